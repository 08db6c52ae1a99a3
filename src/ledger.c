/*
 * ledger.c
 *		Reading the ledger: the aggregate ledger_year(month, points,
 *		award_points), which gathers a member-year's score and award rows in
 *		one pass, and the functions that turn its state into the published
 *		figures (year_figures, year_quarters), plus year_of and quarter_start.
 *
 * The views quarterly_scores and annual_results are built on these, so
 * that a whole city's annual results need one scan of the ledger and one
 * hash aggregation, parallel when the planner likes.
 */
#include "pointsys.h"

#include "aggregates.h"
#include "dates.h"
#include "fixedpoint.h"
#include "ledger_state.h"
#include "numeric_points.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(ledger_year_transfn);
PG_FUNCTION_INFO_V1(year_figures_of);
PG_FUNCTION_INFO_V1(year_quarters_of);

StaticAssertDecl(sizeof(YearState) == 200, "year_state is 200 bytes in SQL");

/* A ledger figure of one row: points ≥ 0, exact */
static int64
row_points(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int64		points;

	if (PG_ARGISNULL(argno))
		return 0;
	points = points_arg(PG_GETARG_DATUM(argno), what);
	if (points < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s are below 0", what, points_text(points))));
	return points;
}

/*
 * ledger_year(month, points, award_points): add one score row (points) or
 * award row (award_points) of a member-year.
 */
Datum
ledger_year_transfn(PG_FUNCTION_ARGS)
{
	YearState  *state;
	int			year;
	int			month;
	int64		points;
	int64		awards;

	if (PG_ARGISNULL(1) || (PG_ARGISNULL(2) && PG_ARGISNULL(3)))
		return state_unchanged(fcinfo);
	date_year_month(PG_GETARG_DATEADT(1), &year, &month);
	points = row_points(fcinfo, 2, "points");
	awards = row_points(fcinfo, 3, "award points");

	state = writable_state(fcinfo, 0, sizeof(YearState));

	state_error(year_add_row(state, year, month, points, awards), "ledger_year");
	PG_RETURN_POINTER(state);
}

/* The figures of a state; the reward cap must be exact and ≥ 0 */
static void
figures_of(FunctionCallInfo fcinfo, YearFigures *figures)
{
	YearState  *state = (YearState *) PG_GETARG_POINTER(0);
	int64		cap = points_arg(PG_GETARG_DATUM(1), "reward cap");

	if (cap < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("reward cap %s is below 0", points_text(cap))));
	year_figures(state, cap, figures);
}

/*
 * year_figures(state, reward_cap) → (q1, q2, q3, q4, months, assessment):
 * quarters without a recorded month are NULL, and so is the assessment of a
 * year without one.
 */
Datum
year_figures_of(PG_FUNCTION_ARGS)
{
	YearFigures figures;
	TupleDesc	desc;
	Datum		values[6];
	bool		nulls[6];
	int			q;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "year_figures: return type must be a row type");
	figures_of(fcinfo, &figures);

	for (q = 0; q < 4; q++)
	{
		nulls[q] = figures.quarter_months[q] == 0;
		values[q] = nulls[q] ? (Datum) 0 :
			NumericGetDatum(numeric_from_points(figures.quarter[q], 2));
	}
	values[4] = Int32GetDatum(figures.months);
	nulls[4] = false;
	nulls[5] = figures.months == 0;
	values[5] = nulls[5] ? (Datum) 0 :
		NumericGetDatum(numeric_from_points(figures.assessment, 2));

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* year_quarters(state, reward_cap) → (quarter, score, months) per recorded quarter */
Datum
year_quarters_of(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	YearFigures figures;
	int			q;

	InitMaterializedSRF(fcinfo, 0);
	figures_of(fcinfo, &figures);
	for (q = 0; q < 4; q++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (figures.quarter_months[q] == 0)
			continue;
		values[0] = Int32GetDatum(q + 1);
		values[1] = NumericGetDatum(numeric_from_points(figures.quarter[q], 2));
		values[2] = Int32GetDatum(figures.quarter_months[q]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
