/*
 * rulebook_guard.c
 *		Keep the rulebook and the members consistent with what is recorded.
 *
 * rulebook_guard() is a BEFORE ROW trigger on item, award_kind, category
 * and member.  An edit that could contradict recorded rows (a lower item
 * maximum, another step, other award points, a shorter membership) first
 * locks the ledger tables it checks in SHARE mode, so that every write in
 * progress has committed and no new one can start until this transaction
 * ends, then checks the latest committed data.
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
	3, {TEXTOID, NUMERICOID, NUMERICOID}, NULL
};

static GuardQuery awards_of_kind = {
	"SELECT pg_catalog.count(*) FROM pointsys.award"
	" WHERE ($1 OPERATOR(pg_catalog.=) '' OR kind OPERATOR(pg_catalog.=) $1)",
	1, {TEXTOID}, NULL
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
	3, {TEXTOID, DATEOID, DATEOID}, NULL
};

/* Run a guard query on the latest data; returns the number of rows */
static uint64
guard_query(GuardQuery *query, Datum *values)
{
	spi_keep_plan(&query->plan, query->sql, query->nargs, query->argtypes);
	if (spi_latest(query->plan, values, NULL) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: guard query failed: %s", query->sql);
	return SPI_processed;
}

/* Column of the first result row as text */
static char *
result_text(int col)
{
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col);
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

	if (!isnull && points_from_numeric(value, &points) != FX_OK)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s of \"%s\" must have at most %d decimals",
						name, RelationGetRelationName(trigdata->tg_relation), FX_DECIMALS)));
	return points;
}

/*
 * item: an update may not leave recorded points above the maximum or off
 * the step.
 */
static void
guard_item(TriggerData *trigdata, HeapTuple oldrow, HeapTuple newrow)
{
	int64		max_points = column_points(trigdata, newrow, "max_points");
	int64		step = column_points(trigdata, newrow, "step");
	Datum		args[3];
	bool		max_null;
	bool		step_null;

	/* NULLs and a step of 0 or less are for the constraints to refuse */
	args[1] = column(trigdata, newrow, "max_points", &max_null);
	args[2] = column(trigdata, newrow, "step", &step_null);
	if (max_null || step_null || step <= 0)
		return;
	if (max_points >= column_points(trigdata, oldrow, "max_points") &&
		step == column_points(trigdata, oldrow, "step"))
		return;

	lock_table("LOCK TABLE pointsys.score IN SHARE MODE");
	args[0] = CStringGetTextDatum(column_text(trigdata, oldrow, "item"));
	if (guard_query(&item_conflict, args) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("cannot set item \"%s\" to maximum %s and step %s: member \"%s\" has %s points in %s",
						column_text(trigdata, oldrow, "item"), points_text(max_points),
						points_text(step), result_text(1), result_text(3), result_text(2)),
				 errhint("Correct the recorded points first.")));
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
 * category: the reward cap cannot change once awards are recorded, and the
 * reward category cannot be renamed or removed.
 */
static void
guard_category(TriggerData *trigdata, HeapTuple oldrow, HeapTuple newrow)
{
	char	   *old_code = column_text(trigdata, oldrow, "category");
	char	   *new_code = newrow ? column_text(trigdata, newrow, "category") : NULL;
	Datum		all_kinds = CStringGetTextDatum("");

	if (old_code == NULL || strcmp(old_code, "reward") != 0)
		return;
	if (new_code == NULL || strcmp(new_code, "reward") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("the reward category cannot be renamed or removed"),
				 errdetail("Its cap limits the award points of every month.")));
	if (column_points(trigdata, newrow, "cap") == column_points(trigdata, oldrow, "cap"))
		return;

	lock_table("LOCK TABLE pointsys.award IN SHARE MODE");
	guard_query(&awards_of_kind, &all_kinds);
	if (strcmp(result_text(1), "0") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("cannot change the reward cap: %s awards are recorded", result_text(1)),
				 errhint("Recorded monthly totals would change.")));
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
				 errmsg("member \"%s\" has records in %s, outside the new membership",
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
	OwnerSwitch saved;

	if (!CALLED_AS_TRIGGER(fcinfo) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("rulebook_guard: must be fired BEFORE ... FOR EACH ROW")));

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		oldrow = trigdata->tg_trigtuple;
		newrow = trigdata->tg_newtuple;
	}
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		oldrow = trigdata->tg_trigtuple;
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("rulebook_guard: must be fired BEFORE UPDATE or DELETE")));

	table = RelationGetRelationName(trigdata->tg_relation);
	spi_begin(&saved);

	if (strcmp(table, "item") == 0 && newrow != NULL && oldrow != NULL)
		guard_item(trigdata, oldrow, newrow);
	else if (strcmp(table, "award_kind") == 0 && newrow != NULL && oldrow != NULL)
		guard_award_kind(trigdata, oldrow, newrow);
	else if (strcmp(table, "category") == 0 && oldrow != NULL)
		guard_category(trigdata, oldrow, newrow);
	else if (strcmp(table, "member") == 0 && newrow != NULL && oldrow != NULL)
		guard_member(trigdata, oldrow, newrow);

	spi_end(&saved);
	return PointerGetDatum(newrow != NULL ? newrow : oldrow);
}
