/*
 * rulebook_guard.c
 *		Keep the rulebook and the members consistent with what is recorded.
 *
 * rulebook_guard() is a BEFORE ROW trigger on item, award_kind, category
 * and member.  An edit that could contradict recorded rows (a lower item
 * maximum, another step, other award points, a shorter membership) first
 * locks the ledger tables it checks in SHARE mode, so that every write in
 * progress has committed and no new one can start until this transaction
 * ends, then checks the latest committed data.  Rulebook edits are also
 * serialized among themselves, for the checks on category caps.
 *
 * Refusals are SQLSTATE 23514 (check_violation), or 23503 for a membership
 * that would leave recorded months outside it.
 */
#include "rulebook.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(rulebook_guard);

/* A prepared query, kept for the life of the backend */
typedef struct GuardQuery
{
	const char *sql;
	int			nargs;
	Oid			argtypes[4];
	SPIPlanPtr	plan;
} GuardQuery;

static GuardQuery item_conflict = {
	"SELECT member_id, pg_catalog.to_char(month, 'YYYY-MM'), points"
	" FROM pointsys.score"
	" WHERE item OPERATOR(pg_catalog.=) $1"
	"   AND (points OPERATOR(pg_catalog.>) $2"
	"        OR (points OPERATOR(pg_catalog.%) $3) OPERATOR(pg_catalog.<>) 0::pg_catalog.numeric)"
	" ORDER BY month, member_id LIMIT 1",
	3, {TEXTOID, NUMERICOID, NUMERICOID}
};

static GuardQuery category_items = {
	"SELECT COALESCE(pg_catalog.sum(max_points), 0::pg_catalog.numeric)"
	" FROM pointsys.item"
	" WHERE category OPERATOR(pg_catalog.=) $1 AND item OPERATOR(pg_catalog.<>) $2",
	2, {TEXTOID, TEXTOID}
};

static GuardQuery category_cap = {
	"SELECT cap FROM pointsys.category WHERE category OPERATOR(pg_catalog.=) $1",
	1, {TEXTOID}
};

static GuardQuery other_caps = {
	"SELECT COALESCE(pg_catalog.sum(cap), 0::pg_catalog.numeric)"
	" FROM pointsys.category WHERE category OPERATOR(pg_catalog.<>) $1",
	1, {TEXTOID}
};

static GuardQuery awards_of_kind = {
	"SELECT pg_catalog.count(*) FROM pointsys.award"
	" WHERE ($1 OPERATOR(pg_catalog.=) '' OR kind OPERATOR(pg_catalog.=) $1)",
	1, {TEXTOID}
};

static GuardQuery outside_membership = {
	"SELECT label FROM ("
	"  SELECT month AS at, pg_catalog.to_char(month, 'YYYY-MM') AS label"
	"   FROM pointsys.score WHERE member_id OPERATOR(pg_catalog.=) $1"
	"    AND (month OPERATOR(pg_catalog.<) $2 OR month OPERATOR(pg_catalog.>) $3)"
	"  UNION ALL"
	"  SELECT month, pg_catalog.to_char(month, 'YYYY-MM')"
	"   FROM pointsys.award WHERE member_id OPERATOR(pg_catalog.=) $1"
	"    AND (month OPERATOR(pg_catalog.<) $2 OR month OPERATOR(pg_catalog.>) $3)"
	"  UNION ALL"
	"  SELECT pg_catalog.make_date(year, 1, 1), year::pg_catalog.text"
	"   FROM pointsys.evaluation WHERE member_id OPERATOR(pg_catalog.=) $1"
	"    AND (pg_catalog.make_date(year, 12, 31) OPERATOR(pg_catalog.<) $2"
	"         OR pg_catalog.make_date(year, 1, 1) OPERATOR(pg_catalog.>) $3)"
	") m ORDER BY at LIMIT 1",
	3, {TEXTOID, DATEOID, DATEOID}
};

/* Run a guard query on the latest data; returns the number of rows */
static uint64
guard_query(GuardQuery *query, Datum *values)
{
	if (query->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(query->sql, query->nargs, query->argtypes);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "pointsys: cannot prepare guard query: %s", query->sql);
		query->plan = plan;
	}
	if (spi_latest(query->plan, values, NULL) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: guard query failed: %s", query->sql);
	return SPI_processed;
}

/* Column of the first result row as text, or as micro-points */
static char *
result_text(int col)
{
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col);
}

static int64
result_points(int col)
{
	bool		isnull;
	Datum		value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
									  col, &isnull);
	int64		points = 0;

	if (!isnull && !points_from_numeric(DatumGetNumeric(value), &points))
		elog(ERROR, "pointsys: value is not exact");
	return points;
}

static void
lock_table(const char *sql)
{
	if (SPI_execute(sql, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "pointsys: %s failed", sql);
}

/* A column of a row, by name; *isnull is set */
static Datum
column(TriggerData *trigdata, HeapTuple tuple, const char *name, bool *isnull)
{
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	int			attnum = SPI_fnumber(desc, name);

	if (attnum <= 0)
		elog(ERROR, "rulebook_guard: table \"%s\" has no column \"%s\"",
			 RelationGetRelationName(trigdata->tg_relation), name);
	return heap_getattr(tuple, attnum, desc, isnull);
}

static char *
column_text(TriggerData *trigdata, HeapTuple tuple, const char *name)
{
	bool		isnull;
	Datum		value = column(trigdata, tuple, name, &isnull);

	return isnull ? NULL : TextDatumGetCString(value);
}

/* A numeric column in micro-points (CHECK constraints keep them exact) */
static int64
column_points(TriggerData *trigdata, HeapTuple tuple, const char *name)
{
	bool		isnull;
	Datum		value = column(trigdata, tuple, name, &isnull);
	int64		points = 0;

	if (!isnull && !points_from_numeric(DatumGetNumeric(value), &points))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s of \"%s\" must have at most %d decimals",
						name, RelationGetRelationName(trigdata->tg_relation), FX_DECIMALS)));
	return points;
}

/*
 * item: its category's items may not add up to more than the category's
 * cap; an update may not leave recorded points above the maximum or off
 * the step.
 */
static void
guard_item(TriggerData *trigdata, HeapTuple oldrow, HeapTuple newrow)
{
	char	   *item = column_text(trigdata, newrow, "item");
	char	   *category = column_text(trigdata, newrow, "category");
	int64		max_points = column_points(trigdata, newrow, "max_points");
	int64		step = column_points(trigdata, newrow, "step");
	Datum		args[3];

	if (item == NULL || category == NULL)
		return;					/* NOT NULL constraints report it */

	args[0] = CStringGetTextDatum(category);
	args[1] = CStringGetTextDatum(item);
	if (guard_query(&category_cap, args) > 0)
	{
		int64		cap = result_points(1);
		int64		others;

		guard_query(&category_items, args);
		others = result_points(1);
		if (others + max_points > cap)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("items of category \"%s\" would add up to %s, above its cap %s",
							category, points_text(others + max_points), points_text(cap)),
					 errdetail("Item \"%s\" has the maximum %s.", item, points_text(max_points))));
	}

	if (oldrow != NULL &&
		(max_points < column_points(trigdata, oldrow, "max_points") ||
		 step != column_points(trigdata, oldrow, "step")))
	{
		bool		isnull;

		lock_table("LOCK TABLE pointsys.score IN SHARE MODE");
		args[0] = CStringGetTextDatum(column_text(trigdata, oldrow, "item"));
		args[1] = column(trigdata, newrow, "max_points", &isnull);
		args[2] = column(trigdata, newrow, "step", &isnull);
		if (guard_query(&item_conflict, args) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("cannot set item \"%s\" to maximum %s and step %s: member \"%s\" has %s points in %s",
							item, points_text(max_points), points_text(step),
							result_text(1), result_text(3), result_text(2)),
					 errhint("Correct the recorded points first.")));
	}
}

/* award_kind: the points of a kind with recorded awards cannot change */
static void
guard_award_kind(TriggerData *trigdata, HeapTuple oldrow, HeapTuple newrow)
{
	char	   *kind = column_text(trigdata, oldrow, "kind");
	Datum		arg;

	if (column_points(trigdata, newrow, "points") == column_points(trigdata, oldrow, "points"))
		return;
	lock_table("LOCK TABLE pointsys.award IN SHARE MODE");
	arg = CStringGetTextDatum(kind);
	guard_query(&awards_of_kind, &arg);
	if (strcmp(result_text(1), "0") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("cannot change the points of award kind \"%s\": %s awards of it are recorded",
						kind, result_text(1)),
				 errhint("Add a new award kind for new awards instead.")));
}

/*
 * category: caps add up to at most 100; a cap is at least the sum of its
 * items' maxima; the reward cap cannot change once awards are recorded,
 * and the reward category cannot be renamed or removed.
 */
static void
guard_category(TriggerData *trigdata, HeapTuple oldrow, HeapTuple newrow)
{
	char	   *old_code = oldrow ? column_text(trigdata, oldrow, "category") : NULL;
	char	   *new_code = newrow ? column_text(trigdata, newrow, "category") : NULL;
	Datum		args[2];

	if (old_code != NULL && strcmp(old_code, "reward") == 0 &&
		(new_code == NULL || strcmp(new_code, "reward") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("the reward category cannot be renamed or removed"),
				 errdetail("Its cap limits the award points of every month.")));
	if (newrow == NULL || new_code == NULL)
		return;

	{
		int64		cap = column_points(trigdata, newrow, "cap");
		int64		others;

		args[0] = CStringGetTextDatum(new_code);
		guard_query(&other_caps, args);
		others = result_points(1);
		if (others + cap > FX_MAX_SCORE)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("category caps would add up to %s, above the monthly 100 points",
							points_text(others + cap)),
					 errdetail("Category \"%s\" has the cap %s.", new_code, points_text(cap))));

		args[1] = CStringGetTextDatum("");
		guard_query(&category_items, args);
		if (result_points(1) > cap)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("cap %s of category \"%s\" is below the %s points of its items",
							points_text(cap), new_code, points_text(result_points(1)))));

		if (strcmp(new_code, "reward") == 0 && oldrow != NULL &&
			cap != column_points(trigdata, oldrow, "cap"))
		{
			lock_table("LOCK TABLE pointsys.award IN SHARE MODE");
			guard_query(&awards_of_kind, &args[1]);
			if (strcmp(result_text(1), "0") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("cannot change the reward cap: %s awards are recorded",
								result_text(1))));
		}
	}
}

/* member: a shorter membership may not leave recorded months outside it */
static void
guard_member(TriggerData *trigdata, HeapTuple oldrow, HeapTuple newrow)
{
	bool		isnull;
	Datum		joined = column(trigdata, newrow, "joined_on", &isnull);
	DateADT		first = isnull ? DATEVAL_NOBEGIN : DatumGetDateADT(joined);
	Datum		left = column(trigdata, newrow, "left_on", &isnull);
	DateADT		last = isnull ? DATEVAL_NOEND : DatumGetDateADT(left);
	char	   *member_id = column_text(trigdata, oldrow, "member_id");
	Datum		args[3];
	bool		old_null;
	Datum		old_joined = column(trigdata, oldrow, "joined_on", &old_null);
	DateADT		old_first = old_null ? DATEVAL_NOBEGIN : DatumGetDateADT(old_joined);
	Datum		old_left = column(trigdata, oldrow, "left_on", &old_null);
	DateADT		old_last = old_null ? DATEVAL_NOEND : DatumGetDateADT(old_left);

	if (first <= old_first && last >= old_last)
		return;					/* not shorter: nothing recorded can fall outside */

	if (!DATE_NOT_FINITE(first))
	{
		int			year;
		int			month;

		date_year_month(first, &year, &month);
		first = date2j(year, month, 1) - POSTGRES_EPOCH_JDATE;
	}

	lock_table("LOCK TABLE pointsys.score, pointsys.award, pointsys.evaluation IN SHARE MODE");
	args[0] = CStringGetTextDatum(member_id);
	args[1] = DateADTGetDatum(first);
	args[2] = DateADTGetDatum(last);
	if (guard_query(&outside_membership, args) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("member \"%s\" has points recorded in %s, outside the new membership",
						member_id, result_text(1)),
				 errhint("Correct or remove those records first.")));
}

Datum
rulebook_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *table;
	HeapTuple	oldrow = NULL;
	HeapTuple	newrow = NULL;

	if (!CALLED_AS_TRIGGER(fcinfo) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("rulebook_guard: must be fired BEFORE ... FOR EACH ROW")));

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		newrow = trigdata->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		oldrow = trigdata->tg_trigtuple;
		newrow = trigdata->tg_newtuple;
	}
	else
		oldrow = trigdata->tg_trigtuple;

	table = RelationGetRelationName(trigdata->tg_relation);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pointsys: SPI_connect failed");

	/* one rulebook edit at a time, without blocking ordinary writes */
	if (strcmp(table, "member") != 0)
		lock_table("LOCK TABLE pointsys.category IN SHARE UPDATE EXCLUSIVE MODE");

	if (strcmp(table, "item") == 0 && newrow != NULL)
		guard_item(trigdata, oldrow, newrow);
	else if (strcmp(table, "award_kind") == 0 && oldrow != NULL && newrow != NULL)
		guard_award_kind(trigdata, oldrow, newrow);
	else if (strcmp(table, "category") == 0)
		guard_category(trigdata, oldrow, newrow);
	else if (strcmp(table, "member") == 0 && oldrow != NULL && newrow != NULL)
		guard_member(trigdata, oldrow, newrow);

	SPI_finish();
	return PointerGetDatum(newrow != NULL ? newrow : oldrow);
}
