/*
 * period.c
 *		The period: the quarter's state machine (doc/contract.md §4),
 *		period_check, the trigger on pointsys.period behind advance() and
 *		reopen().
 *
 * A quarter moves one step at a time, recording → approved → publicized →
 * filed → verified; a quarter without a period row is recording.
 */
#include "pointsys.h"

#include "quarter_check.h"
#include "refusal.h"
#include "row_security.h"
#include "settings.h"
#include "trigger_check.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(period_check);

static const char *const statuses[] = {
	"recording", "approved", "publicized", "filed", "verified"
};

#define STATUS_COUNT lengthof(statuses)
#define STATUS_FILED 3

/* Position of a status in the period's order, or -1 */
static int
status_rank(const char *status)
{
	int			i;

	for (i = 0; i < (int) STATUS_COUNT; i++)
		if (strcmp(status, statuses[i]) == 0)
			return i;
	return -1;
}

enum
{
	PERIOD_BRANCH, PERIOD_YEAR, PERIOD_QUARTER, PERIOD_STATUS, PERIOD_BY, PERIOD_AT
};

static const TriggerTable period_table = {
	"period", 6, {
		{"branch_id", TEXTOID}, {"year", INT4OID}, {"quarter", INT4OID},
		{"status", TEXTOID}, {"changed_by", NAMEOID}, {"changed_at", TIMESTAMPTZOID}
	}
};
static const TriggerRule period_rule = {
	"period_check", true,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, 0,
	NULL, 1, &period_table
};

/* A period row's column as text (NULL when NULL) */
static char *
period_text(const TriggerFiring *firing, HeapTuple row, int column)
{
	bool		isnull;
	Datum		value = trigger_column(firing, row, column, &isnull);

	return isnull ? NULL : TextDatumGetCString(value);
}

/*
 * period_check: BEFORE INSERT, UPDATE or DELETE of pointsys.period.  A
 * quarter moves one step at a time, recording → approved → publicized →
 * filed → verified; the branch's recorders may move it up to filed, only
 * pointsys_admin to verified; only pointsys_admin takes it back to
 * recording (an UPDATE or a DELETE), with pointsys.reason set.  Row security
 * is checked first; then the branch row is locked, so that no score of the
 * quarter is being written.  changed_by and changed_at are stamped here.
 */
Datum
period_check(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	HeapTuple	oldrow = NULL;
	HeapTuple	newrow = NULL;
	HeapTuple	row;
	bool		isnull;
	char	   *branch_id;
	int			year;
	int			quarter;
	int			from = 0;
	int			to = 0;
	int			i;

	trigger_check(fcinfo, &period_rule, &firing);
	trigdata = firing.trigdata;
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		oldrow = trigdata->tg_trigtuple;
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		newrow = trigdata->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		newrow = trigdata->tg_newtuple;
	row = newrow ? newrow : oldrow;
	branch_id = period_text(&firing, row, PERIOD_BRANCH);

	/* row security first: a recorder's write for another branch locks nothing */
	if (newrow != NULL && !row_security_allows(trigdata->tg_relation, NULL, NULL, branch_id))
	{
		Datum		y = trigger_column(&firing, newrow, PERIOD_YEAR, &isnull);
		char	   *year_text = isnull ? "NULL" : psprintf("%d", DatumGetInt32(y));
		Datum		q = trigger_column(&firing, newrow, PERIOD_QUARTER, &isnull);
		char	   *quarter_text = isnull ? "NULL" : psprintf("%d", DatumGetInt32(q));

		refuse_row(trigdata->tg_relation, NULL, NULL,
				   psprintf(_("The row sent: quarter %s-Q%s of branch \"%s\"."),
							year_text, quarter_text, branch_id ? branch_id : "NULL"));
	}

	/* a key left NULL is for its NOT NULL constraint to refuse (23502) */
	if (newrow != NULL)
		for (i = PERIOD_BRANCH; i <= PERIOD_QUARTER; i++)
		{
			(void) trigger_column(&firing, newrow, i, &isnull);
			if (isnull)
				return PointerGetDatum(newrow);
		}

	/* this transaction's quarters may change status: check them again */
	forget_open_quarters();

	year = DatumGetInt32(trigger_column(&firing, row, PERIOD_YEAR, &isnull));
	quarter = DatumGetInt32(trigger_column(&firing, row, PERIOD_QUARTER, &isnull));

	lock_branch(branch_id, true);

	if (oldrow != NULL && newrow != NULL)
	{
		TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);

		for (i = PERIOD_BRANCH; i <= PERIOD_QUARTER; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, firing.attnums[i] - 1);
			bool		old_null;
			bool		new_null;
			Datum		old_value = trigger_column(&firing, oldrow, i, &old_null);
			Datum		new_value = trigger_column(&firing, newrow, i, &new_null);

			if (old_null != new_null ||
				(!old_null && !datumIsEqual(old_value, new_value, att->attbyval, att->attlen)))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("the branch, year and quarter of a period row cannot change"),
						 errdetail("The row is quarter %d-Q%d of branch \"%s\".", year, quarter, branch_id),
						 errhint("Insert a row for the other quarter instead."),
						 errfield(trigdata->tg_relation, NameStr(att->attname), "period_key_unchanged")));
		}
	}

	if (oldrow != NULL)
	{
		char	   *status = period_text(&firing, oldrow, PERIOD_STATUS);

		/* a status this trigger never let in (a restore) counts as recording */
		from = status ? Max(status_rank(status), 0) : 0;
	}
	if (newrow != NULL)
	{
		char	   *status = period_text(&firing, newrow, PERIOD_STATUS);

		to = status ? status_rank(status) : -1;
		if (to < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("invalid status for quarter %d-Q%d of branch \"%s\"", year, quarter, branch_id),
					 errdetail("The status is %s.", status ? quote_literal_cstr(status) : "NULL"),
					 errhint("The statuses are recording, approved, publicized, filed and verified."),
					 errfield(trigdata->tg_relation, "status", "period_status_valid")));
	}

	if (to == 0 && from > 0)
	{
		/* reopen (重新开放) */
		if (!is_admin())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only pointsys_admin may reopen quarter %d-Q%d of branch \"%s\"",
							year, quarter, branch_id),
					 errdetail("The status would go from %s to %s.", status_word(statuses[from]), status_word(statuses[to])),
					 errfield(trigdata->tg_relation, "status", "period_reopen_admin")));
		if (pointsys_reason == NULL || strspn(pointsys_reason, " \t\r\n") == strlen(pointsys_reason))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("reopening quarter %d-Q%d of branch \"%s\" needs a reason",
							year, quarter, branch_id),
					 errdetail("The status would go from %s to %s.", status_word(statuses[from]), status_word(statuses[to])),
					 errhint("Use pointsys.reopen(branch_id, year, quarter, reason), or SET LOCAL pointsys.reason."),
					 errfield(trigdata->tg_relation, "status", "period_reopen_reason")));
	}
	else if (to != from)
	{
		if (to != from + 1)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("quarter %d-Q%d of branch \"%s\" cannot move from %s to %s",
							year, quarter, branch_id, status_word(statuses[from]), status_word(statuses[to])),
					 errdetail("The new status is %s; the quarter is %s.", status_word(statuses[to]), status_word(statuses[from])),
					 errhint("A quarter moves one step at a time: recording, approved, publicized, filed, verified."),
					 errfield(trigdata->tg_relation, "status", "period_one_step")));
		if (to > STATUS_FILED && !is_admin())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only pointsys_admin may move quarter %d-Q%d of branch \"%s\" to %s",
							year, quarter, branch_id, status_word(statuses[to])),
					 errdetail("The new status is %s.", status_word(statuses[to])),
					 errfield(trigdata->tg_relation, "status", "period_verify_admin")));
		if (!is_admin() && !records_branch(branch_id))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to move quarter %d-Q%d of branch \"%s\" to %s",
							year, quarter, branch_id, status_word(statuses[to])),
					 errdetail("Only a recorder of the branch or pointsys_admin may."),
					 errfield(trigdata->tg_relation, "branch_id", "period_recorder_branch")));
	}

	if (newrow != NULL)
	{
		int			cols[2] = {firing.attnums[PERIOD_BY], firing.attnums[PERIOD_AT]};
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(GetUserId(), false)));
		values[1] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
		newrow = heap_modify_tuple_by_cols(newrow, RelationGetDescr(trigdata->tg_relation),
										   2, cols, values, nulls);
	}
	return PointerGetDatum(newrow ? newrow : oldrow);
}
