/*
 * scoring.c
 *		The pure scoring functions of doc/contract.md §2: grade_of, annual_total,
 *		annual_grade, quarter_avg(m1, m2, m3), is_veto_sanction, eligibility.
 *
 * Each takes numerics, converts them exactly to micro-points (refusing
 * anything outside 0..100), computes with fixedpoint.c and returns a
 * numeric rounded to hundredths.
 */
#include "pointsys.h"

#include "scoring.h"

#include "fixedpoint.h"
#include "grade.h"
#include "numeric_points.h"
#include "rules.h"
#include "settings.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(pointsys_grade_of);
PG_FUNCTION_INFO_V1(pointsys_annual_total);
PG_FUNCTION_INFO_V1(pointsys_annual_grade);
PG_FUNCTION_INFO_V1(pointsys_quarter_avg3);
PG_FUNCTION_INFO_V1(pointsys_is_veto_sanction);
PG_FUNCTION_INFO_V1(pointsys_eligibility);
PG_FUNCTION_INFO_V1(pointsys_eligibility_label);

/*
 * grade_of(total): the grade of an annual total.  The total is rounded half
 * up to hundredths first, as printed, so 89.995 is 优秀 like 90.00.
 */
Datum
pointsys_grade_of(PG_FUNCTION_ARGS)
{
	int64		total = score_arg(PG_GETARG_DATUM(0), "total");

	PG_RETURN_GRADE(grade_for_total(fx_round_cents(total)));
}

/* annual_total(assessment, democratic) = 0.8 × a + 0.2 × d, rounded */
Datum
pointsys_annual_total(PG_FUNCTION_ARGS)
{
	int64		assessment = score_arg(PG_GETARG_DATUM(0), "assessment");
	int64		democratic = score_arg(PG_GETARG_DATUM(1), "democratic score");

	PG_RETURN_NUMERIC(numeric_from_points(fx_annual_total(assessment, democratic), 2));
}

/*
 * annual_grade(assessment, democratic, vetoed): 不合格 when vetoed, whatever
 * the scores; otherwise NULL (pending) while either score is NULL.
 */
Datum
pointsys_annual_grade(PG_FUNCTION_ARGS)
{
	int64		assessment = 0;
	int64		democratic = 0;

	/* out-of-range scores are errors even when the year is vetoed */
	if (!PG_ARGISNULL(0))
		assessment = score_arg(PG_GETARG_DATUM(0), "assessment");
	if (!PG_ARGISNULL(1))
		democratic = score_arg(PG_GETARG_DATUM(1), "democratic score");

	if (PG_ARGISNULL(2))
		PG_RETURN_NULL();
	if (PG_GETARG_BOOL(2))
		PG_RETURN_GRADE(GRADE_UNQUALIFIED);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	PG_RETURN_GRADE(grade_for_total(fx_annual_total(assessment, democratic)));
}

/* quarter_avg(m1, m2, m3): mean of the recorded (non-NULL) months, rounded */
Datum
pointsys_quarter_avg3(PG_FUNCTION_ARGS)
{
	static const char *const names[3] = {"m1", "m2", "m3"};
	int64		sum = 0;
	int			count = 0;
	int			i;

	for (i = 0; i < 3; i++)
	{
		char		what[32];

		if (PG_ARGISNULL(i))
			continue;
		snprintf(what, sizeof(what), "monthly total %s", names[i]);
		sum += score_arg(PG_GETARG_DATUM(i), what);
		count++;
	}
	if (count == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(numeric_from_points(fx_mean_cents(sum, count), 2));
}

/* Parse a sanction kind, or raise the error that lists the six */
SanctionKind
sanction_arg(text *kind)
{
	SanctionKind result;

	if (!sanction_parse(VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind), &result))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown sanction kind \"%s\"", text_to_cstring(kind)),
				 errhint(SANCTION_KINDS_HINT)));
	return result;
}

/* is_veto_sanction(kind): does this kind veto (一票否决)? */
Datum
pointsys_is_veto_sanction(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sanction_vetoes(sanction_arg(PG_GETARG_TEXT_PP(0))));
}

/* eligibility(grade): use of results (结果运用) */
Datum
pointsys_eligibility(PG_FUNCTION_ARGS)
{
	Grade		grade = PG_GETARG_GRADE(0);

	if ((unsigned) grade >= GRADE_COUNT)
		elog(ERROR, "invalid grade value %d", (int) grade);
	PG_RETURN_TEXT_P(cstring_to_text(grade_eligibility(grade)));
}

/* eligibility_label(grade): the use of results in words, in pointsys.language */
Datum
pointsys_eligibility_label(PG_FUNCTION_ARGS)
{
	Grade		grade = PG_GETARG_GRADE(0);
	const char *label;

	if ((unsigned) grade >= GRADE_COUNT)
		elog(ERROR, "invalid grade value %d", (int) grade);
	label = grade_eligibility_label(grade, (Language) pointsys_language);
	PG_RETURN_TEXT_P(cstring_to_text(pg_any_to_server(label, (int) strlen(label), PG_UTF8)));
}
