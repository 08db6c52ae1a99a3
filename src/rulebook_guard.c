/*
 * rulebook_guard.c
 *		Keep the rulebook and the members consistent with what is recorded.
 *
 * rulebook_guard() is a BEFORE ROW trigger on item, award_kind, category
 * and member.  A new item, award kind or category must have exact figures.  An edit that could contradict recorded rows (a lower item
 * maximum, another step, other award points, a shorter membership) first
 * locks the ledger tables it checks in SHARE mode, so that every write in
 * progress has committed and no new one can start until this transaction
 * ends, then checks the latest committed data.
 *
 * Refusals are SQLSTATE 23514 (check_violation), or 23503 for a membership
 * that would leave recorded months outside it.
 */
#include "pointsys.h"

#include "dates.h"
#include "fixedpoint.h"
#include "numeric_points.h"
#include "owner_spi.h"
#include "refusal.h"
#include "trigger_check.h"

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

/* The columns rulebook_guard reads of each table, in this order */
enum
{
	ITEM_ITEM, ITEM_MAX_POINTS, ITEM_STEP
};
enum
{
	KIND_KIND, KIND_POINTS
};
enum
{
	CATEGORY_CATEGORY, CATEGORY_CAP
};
enum
{
	MEMBER_MEMBER, MEMBER_JOINED_ON, MEMBER_LEFT_ON
};

static const TriggerTable guarded_tables[] = {
	{"item", 3, {{"item", TEXTOID}, {"max_points", NUMERICOID}, {"step", NUMERICOID}}},
	{"award_kind", 2, {{"kind", TEXTOID}, {"points", NUMERICOID}}},
	{"category", 2, {{"category", TEXTOID}, {"cap", NUMERICOID}}},
	{"member", 3, {{"member_id", TEXTOID}, {"joined_on", DATEOID}, {"left_on", DATEOID}}}
};
static const TriggerRule guard_rule = {
	"rulebook_guard", true, TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, 0,
	NULL, lengthof(guarded_tables), guarded_tables
};

static char *
column_text(const TriggerFiring *firing, HeapTuple tuple, int column)
{
	bool		isnull;
	Datum		value = trigger_column(firing, tuple, column, &isnull);

	return isnull ? NULL : TextDatumGetCString(value);
}

/* A numeric column in micro-points (CHECK constraints keep them exact) */
static int64
column_points(const TriggerFiring *firing, HeapTuple tuple, int column)
{
	bool		isnull;
	Datum		value = trigger_column(firing, tuple, column, &isnull);
	int64		points = 0;

	if (!isnull && points_from_numeric(value, &points) != FX_OK)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s of \"%s\" must have at most %d decimals",
						firing->table->columns[column].name, firing->table->table, FX_DECIMALS),
				 errdetail("The value is %s.", numeric_text(value)),
				 errfield(firing->trigdata->tg_relation, firing->table->columns[column].name,
						  psprintf("%s_%s_decimals", firing->table->table,
								   firing->table->columns[column].name))));
	return points;
}

/*
 * item: an update may not leave recorded points above the maximum or off
 * the step.
 */
static void
guard_item(const TriggerFiring *f, HeapTuple oldrow, HeapTuple newrow)
{
	int64		max_points = column_points(f, newrow, ITEM_MAX_POINTS);
	int64		step = column_points(f, newrow, ITEM_STEP);
	Datum		args[3];
	bool		max_null;
	bool		step_null;

	/* NULLs and a step of 0 or less are for the constraints to refuse */
	args[1] = trigger_column(f, newrow, ITEM_MAX_POINTS, &max_null);
	args[2] = trigger_column(f, newrow, ITEM_STEP, &step_null);
	if (max_null || step_null || step <= 0)
		return;
	if (max_points >= column_points(f, oldrow, ITEM_MAX_POINTS) &&
		step == column_points(f, oldrow, ITEM_STEP))
		return;

	lock_table("LOCK TABLE pointsys.score IN SHARE MODE");
	args[0] = CStringGetTextDatum(column_text(f, oldrow, ITEM_ITEM));
	if (guard_query(&item_conflict, args) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("cannot set item \"%s\" to maximum %s and step %s",
						column_text(f, oldrow, ITEM_ITEM), points_text(max_points), points_text(step)),
				 errdetail("Member \"%s\" has %s points in %s.",
						   result_text(1), result_text(3), result_text(2)),
				 errhint("Correct the recorded points first."),
				 errfield(f->trigdata->tg_relation,
						  max_points < column_points(f, oldrow, ITEM_MAX_POINTS) ? "max_points" : "step",
						  "item_recorded_points")));
}

/* award_kind: the points of a kind with recorded awards cannot change */
static void
guard_award_kind(const TriggerFiring *f, HeapTuple oldrow, HeapTuple newrow)
{
	char	   *kind = column_text(f, oldrow, KIND_KIND);
	Datum		arg;

	if (column_points(f, newrow, KIND_POINTS) == column_points(f, oldrow, KIND_POINTS))
		return;
	lock_table("LOCK TABLE pointsys.award IN SHARE MODE");
	arg = CStringGetTextDatum(kind);
	guard_query(&awards_of_kind, &arg);
	if (strcmp(result_text(1), "0") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("cannot change the points of award kind \"%s\"", kind),
				 errdetail("%s awards of it are recorded.", result_text(1)),
				 errhint("Add a new award kind for new awards instead."),
				 errfield(f->trigdata->tg_relation, "points", "award_kind_recorded_points")));
}

/*
 * category: the reward cap cannot change once awards are recorded, and the
 * reward category cannot be renamed or removed.
 */
static void
guard_category(const TriggerFiring *f, HeapTuple oldrow, HeapTuple newrow)
{
	char	   *old_code = column_text(f, oldrow, CATEGORY_CATEGORY);
	char	   *new_code = newrow ? column_text(f, newrow, CATEGORY_CATEGORY) : NULL;
	Datum		all_kinds = CStringGetTextDatum("");

	if (old_code == NULL || strcmp(old_code, "reward") != 0)
		return;
	if (new_code == NULL || strcmp(new_code, "reward") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("the reward category cannot be renamed or removed"),
				 errdetail("Its cap limits the award points of every month."),
				 errfield(f->trigdata->tg_relation, "category", "category_reward_kept")));
	if (column_points(f, newrow, CATEGORY_CAP) == column_points(f, oldrow, CATEGORY_CAP))
		return;

	lock_table("LOCK TABLE pointsys.award IN SHARE MODE");
	guard_query(&awards_of_kind, &all_kinds);
	if (strcmp(result_text(1), "0") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("cannot change the reward cap"),
				 errdetail("%s awards are recorded.", result_text(1)),
				 errhint("Recorded monthly totals would change."),
				 errfield(f->trigdata->tg_relation, "cap", "category_reward_cap_recorded")));
}

/* member: a shorter membership may not leave recorded months outside it */
static void
guard_member(const TriggerFiring *f, HeapTuple oldrow, HeapTuple newrow)
{
	bool		isnull;
	Datum		joined = trigger_column(f, newrow, MEMBER_JOINED_ON, &isnull);
	DateADT		first = isnull ? DATEVAL_NOBEGIN : DatumGetDateADT(joined);
	Datum		left = trigger_column(f, newrow, MEMBER_LEFT_ON, &isnull);
	DateADT		last = isnull ? DATEVAL_NOEND : DatumGetDateADT(left);
	char	   *member_id = column_text(f, oldrow, MEMBER_MEMBER);
	Datum		args[3];
	bool		old_null;
	Datum		old_joined = trigger_column(f, oldrow, MEMBER_JOINED_ON, &old_null);
	DateADT		old_first = old_null ? DATEVAL_NOBEGIN : DatumGetDateADT(old_joined);
	Datum		old_left = trigger_column(f, oldrow, MEMBER_LEFT_ON, &old_null);
	DateADT		old_last = old_null ? DATEVAL_NOEND : DatumGetDateADT(old_left);

	if (first <= old_first && last >= old_last)
		return;					/* not shorter: nothing can fall outside */

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
				 errmsg("member \"%s\" has records outside the new membership", member_id),
				 errdetail("The first is in %s.", result_text(1)),
				 errhint("Correct or remove those records first."),
				 errfield(f->trigdata->tg_relation, first > old_first ? "joined_on" : "left_on",
						  "member_records_in_membership")));
}

/*
 * A new rulebook entry: its figures must be exact (at most 6 decimals),
 * or every write that reads the rulebook would fail.  Other refusals are
 * for the tables' constraints.
 */
static void
guard_new_entry(const TriggerFiring *f, HeapTuple newrow)
{
	int			i;

	for (i = 0; i < f->table->ncolumns; i++)
		if (f->table->columns[i].type == NUMERICOID)
			(void) column_points(f, newrow, i);
}

Datum
rulebook_guard(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	HeapTuple	oldrow;
	HeapTuple	newrow = NULL;
	OwnerSwitch saved;

	trigger_check(fcinfo, &guard_rule, &firing);
	trigdata = firing.trigdata;
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		guard_new_entry(&firing, trigdata->tg_trigtuple);
		return PointerGetDatum(trigdata->tg_trigtuple);
	}
	oldrow = trigdata->tg_trigtuple;
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		newrow = trigdata->tg_newtuple;

	spi_begin(&saved);
	if (trigger_fired_on(&firing, "item") && newrow != NULL)
		guard_item(&firing, oldrow, newrow);
	else if (trigger_fired_on(&firing, "award_kind") && newrow != NULL)
		guard_award_kind(&firing, oldrow, newrow);
	else if (trigger_fired_on(&firing, "category"))
		guard_category(&firing, oldrow, newrow);
	else if (trigger_fired_on(&firing, "member") && newrow != NULL)
		guard_member(&firing, oldrow, newrow);
	spi_end(&saved);

	return PointerGetDatum(newrow != NULL ? newrow : oldrow);
}
