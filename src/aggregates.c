/*
 * aggregates.c
 *		The scoring aggregates quarter_avg(numeric) and
 *		annual_assessment(date, numeric), and their state types
 *		pointsys.quarter_state and pointsys.year_state.
 *
 * The states are fixed-length pass-by-reference values.  Transition and
 * combine functions update them in place when called by an aggregate, and
 * work on a copy otherwise.  The arithmetic is in ledger_state.c.
 */
#include "pointsys.h"

#include "aggregates.h"

#include "dates.h"
#include "fixedpoint.h"
#include "ledger_state.h"
#include "numeric_points.h"

#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(quarter_state_in);
PG_FUNCTION_INFO_V1(quarter_state_out);
PG_FUNCTION_INFO_V1(year_state_in);
PG_FUNCTION_INFO_V1(year_state_out);
PG_FUNCTION_INFO_V1(quarter_avg_transfn);
PG_FUNCTION_INFO_V1(quarter_avg_combinefn);
PG_FUNCTION_INFO_V1(quarter_avg_finalfn);
PG_FUNCTION_INFO_V1(annual_assessment_transfn);
PG_FUNCTION_INFO_V1(year_state_combinefn);
PG_FUNCTION_INFO_V1(annual_assessment_finalfn);

/*
 * The state in argument argno, ready to be changed: the argument itself
 * inside an aggregate, a fresh copy outside one, a zeroed state for NULL.
 * Fresh states live in the current (per-call) context; the executor copies
 * them into the aggregate's context.
 */
void *
writable_state(FunctionCallInfo fcinfo, int argno, Size size)
{
	void	   *state;

	if (PG_ARGISNULL(argno))
		return palloc0(size);
	state = PG_GETARG_POINTER(argno);
	if (AggCheckCallContext(fcinfo, NULL))
		return state;
	return memcpy(palloc(size), state, size);
}

/*
 * What a transition or combine function returns for a NULL input: the
 * state as it is (argument 0), which may be NULL.
 */
Datum
state_unchanged(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

/* Raise the error for a status other than STATE_OK */
void
state_error(StateStatus status, const char *aggregate)
{
	switch (status)
	{
		case STATE_OK:
			return;
		case STATE_TOO_MANY:
			ereport(ERROR,
					(errcode(ERRCODE_CARDINALITY_VIOLATION),
					 errmsg("%s received more than 3 monthly totals", aggregate),
					 errhint("A quarter has three months: group by member and quarter.")));
			break;
		case STATE_OTHER_YEAR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s received months of more than one year", aggregate),
					 errhint("Group by member and year.")));
			break;
		case STATE_DUPLICATE_MONTH:
			ereport(ERROR,
					(errcode(ERRCODE_CARDINALITY_VIOLATION),
					 errmsg("%s received the same month twice", aggregate),
					 errhint("Give one monthly total per month.")));
			break;
		case STATE_MIXED:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s cannot combine states of different kinds", aggregate)));
			break;
		case STATE_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: points add up to 10^12 or more", aggregate)));
			break;
	}
}

/*
 * Refuse str as the text of a state type: type names it, detail (marked
 * with gettext_noop) says what its text is
 */
static void
state_syntax_error(const char *type, const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type, str),
			 errdetail_internal("%s", _(detail))));
}

/* quarter_state text form: "<count> <sum>" */
Datum
quarter_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	QuarterState *state = palloc(sizeof(QuarterState));

	if (!quarter_state_parse(str, strlen(str), state))
		state_syntax_error("quarter_state", str,
						   gettext_noop("A quarter state is a count of monthly totals (0 to 3) and their sum."));
	PG_RETURN_POINTER(state);
}

Datum
quarter_state_out(PG_FUNCTION_ARGS)
{
	char		buf[STATE_TEXT_MAX];

	quarter_state_format((QuarterState *) PG_GETARG_POINTER(0), buf, sizeof(buf));
	PG_RETURN_CSTRING(pstrdup(buf));
}

/* year_state text form: see ledger_state.c */
Datum
year_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	YearState  *state = palloc(sizeof(YearState));

	if (!year_state_parse(str, strlen(str), state))
		state_syntax_error("year_state", str,
						   gettext_noop("A year state is empty, \"totals <year> <month>:<total> ...\" or \"rows <year> <month>:<points>+<awards> ...\"."));
	PG_RETURN_POINTER(state);
}

Datum
year_state_out(PG_FUNCTION_ARGS)
{
	char		buf[STATE_TEXT_MAX];

	year_state_format((YearState *) PG_GETARG_POINTER(0), buf, sizeof(buf));
	PG_RETURN_CSTRING(pstrdup(buf));
}

/* quarter_avg(numeric): add one monthly total (NULLs are unrecorded months) */
Datum
quarter_avg_transfn(PG_FUNCTION_ARGS)
{
	QuarterState *state;

	if (PG_ARGISNULL(1))
		return state_unchanged(fcinfo);
	state = writable_state(fcinfo, 0, sizeof(QuarterState));
	state_error(quarter_add(state, score_arg(PG_GETARG_DATUM(1), "monthly total")),
				"quarter_avg");
	PG_RETURN_POINTER(state);
}

Datum
quarter_avg_combinefn(PG_FUNCTION_ARGS)
{
	QuarterState *state;

	if (PG_ARGISNULL(1))
		return state_unchanged(fcinfo);
	state = writable_state(fcinfo, 0, sizeof(QuarterState));
	state_error(quarter_combine(state, (QuarterState *) PG_GETARG_POINTER(1)),
				"quarter_avg");
	PG_RETURN_POINTER(state);
}

Datum
quarter_avg_finalfn(PG_FUNCTION_ARGS)
{
	QuarterState *state;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (QuarterState *) PG_GETARG_POINTER(0);
	if (state->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(numeric_from_points(fx_mean_cents(state->sum, state->count), 2));
}

/* annual_assessment(month, monthly_total): add one month's total */
Datum
annual_assessment_transfn(PG_FUNCTION_ARGS)
{
	YearState  *state;
	int			year;
	int			month;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return state_unchanged(fcinfo);
	date_year_month(PG_GETARG_DATEADT(1), &year, &month);
	state = writable_state(fcinfo, 0, sizeof(YearState));
	state_error(year_add_total(state, year, month,
							   score_arg(PG_GETARG_DATUM(2), "monthly total")),
				"annual_assessment");
	PG_RETURN_POINTER(state);
}

/* Combine two year states (annual_assessment and the ledger's aggregates) */
Datum
year_state_combinefn(PG_FUNCTION_ARGS)
{
	YearState  *state;

	if (PG_ARGISNULL(1))
		return state_unchanged(fcinfo);
	state = writable_state(fcinfo, 0, sizeof(YearState));
	state_error(year_combine(state, (YearState *) PG_GETARG_POINTER(1)),
				"annual_assessment");
	PG_RETURN_POINTER(state);
}

Datum
annual_assessment_finalfn(PG_FUNCTION_ARGS)
{
	YearFigures figures;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	year_figures((YearState *) PG_GETARG_POINTER(0), 0, &figures);
	if (figures.months == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(numeric_from_points(figures.assessment, 2));
}
