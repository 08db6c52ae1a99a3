/*
 * process.c
 *		The bureau's process (SPEC §4) where it meets every ledger row:
 *		a member-month may be written only while its branch's quarter is
 *		'recording'; and the row-security tests of who records for which
 *		branch.
 *
 * The quarter check is race-free: a write locks its branch's row FOR SHARE
 * (once per transaction and quarter) and then reads the quarter's status
 * from the latest committed data; pointsys.advance and every direct write
 * to pointsys.period lock the branch row FOR NO KEY UPDATE first.  So a
 * score either commits before its quarter leaves 'recording', or sees the
 * new status and fails, whatever the isolation level.
 */
#include "rulebook.h"
#include "trigger_check.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(may_record);
PG_FUNCTION_INFO_V1(may_record_branch);

/* Quarters this transaction has locked and found 'recording' */
typedef struct OpenQuarter
{
	char	   *branch_id;
	int			year;
	int			quarter;
} OpenQuarter;

static LocalTransactionId open_quarters_lxid = InvalidLocalTransactionId;
static OpenQuarter *open_quarters = NULL;
static int	nopen_quarters = 0;
static int	open_quarters_size = 0;

static SPIPlanPtr lock_branch_plan = NULL;
static SPIPlanPtr period_status_plan = NULL;

/* A subtransaction's abort releases its row locks: forget what they held */
static void
subxact_callback(SubXactEvent event, SubTransactionId mySubid,
				 SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		nopen_quarters = 0;
}

void
process_register_callbacks(void)
{
	RegisterSubXactCallback(subxact_callback, NULL);
}

/*
 * Refuse a write to a member-month of branch_id unless its quarter is
 * 'recording'; "what" describes the row for the message.
 */
void
check_quarter_recording(const char *branch_id, int year, int month,
						const char *member_id, const char *what)
{
	int			quarter = (month - 1) / 3 + 1;
	OwnerSwitch saved;
	Datum		args[3];
	Oid			argtypes[3] = {TEXTOID, INT4OID, INT4OID};
	char	   *status = NULL;
	int			i;

	if (open_quarters_lxid != MyProc->lxid)
	{
		open_quarters_lxid = MyProc->lxid;
		nopen_quarters = 0;
		open_quarters_size = 0;
		open_quarters = NULL;
	}
	for (i = 0; i < nopen_quarters; i++)
		if (open_quarters[i].year == year && open_quarters[i].quarter == quarter &&
			strcmp(open_quarters[i].branch_id, branch_id) == 0)
			return;

	args[0] = CStringGetTextDatum(branch_id);
	args[1] = Int32GetDatum(year);
	args[2] = Int32GetDatum(quarter);

	spi_begin(&saved);
	spi_keep_plan(&lock_branch_plan,
			  "SELECT FROM pointsys.branch WHERE branch_id OPERATOR(pg_catalog.=) $1 FOR SHARE",
			  1, argtypes);
	if (SPI_execute_plan(lock_branch_plan, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot lock branch \"%s\"", branch_id);
	spi_keep_plan(&period_status_plan,
			  "SELECT status FROM pointsys.period"
			  " WHERE branch_id OPERATOR(pg_catalog.=) $1"
			  "   AND year OPERATOR(pg_catalog.=) $2 AND quarter OPERATOR(pg_catalog.=) $3",
			  3, argtypes);
	if (spi_latest(period_status_plan, args, NULL) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot read the period of branch \"%s\"", branch_id);
	if (SPI_processed > 0)
		status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (status != NULL)
		status = pstrdup(status);
	spi_end(&saved);

	if (status != NULL && strcmp(status, "recording") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("quarter %d-Q%d of branch \"%s\" is %s: %s of member \"%s\" in %04d-%02d cannot be written",
						year, quarter, branch_id, status, what, member_id, year, month),
				 errhint("Scores and awards change only while the quarter is recording; pointsys.reopen() takes it back.")));

	if (nopen_quarters == open_quarters_size)
	{
		open_quarters_size = Max(8, 2 * open_quarters_size);
		open_quarters = open_quarters == NULL ?
			MemoryContextAlloc(TopTransactionContext, sizeof(OpenQuarter) * open_quarters_size) :
			repalloc(open_quarters, sizeof(OpenQuarter) * open_quarters_size);
	}
	open_quarters[nopen_quarters].branch_id = MemoryContextStrdup(TopTransactionContext, branch_id);
	open_quarters[nopen_quarters].year = year;
	open_quarters[nopen_quarters].quarter = quarter;
	nopen_quarters++;
}

/* Is the current user a recorder of branch_id? */
static bool
records_branch(const char *branch_id)
{
	Oid			userid = GetUserId();
	int			count;
	const RecorderBranch *recorders = recorder_branches(&count);
	int			i;

	for (i = 0; i < count; i++)
		if (OidIsValid(recorders[i].roleid) &&
			strcmp(recorders[i].branch_id, branch_id) == 0 &&
			is_member_of_role(userid, recorders[i].roleid))
			return true;
	return false;
}

/* Is the current user pointsys_admin (or a superuser)? */
static bool
is_admin(void)
{
	Oid			admin = get_role_oid("pointsys_admin", true);

	return superuser() || (OidIsValid(admin) && has_privs_of_role(GetUserId(), admin));
}

/*
 * Refuse a new row of rel (score, award: for member_id; period: for
 * branch_id) that the current user's row-level security would refuse, and
 * say no more than PostgreSQL's own check would.  The write rules call this
 * before any other check, so that a recorder writing for a member of
 * another branch cannot learn, from which error comes first, whether the
 * member exists, their name and dates, or the state of their quarter; and
 * before any lock is taken, so that such a write blocks nobody.  It
 * mirrors the policies of pointsys--1.0.sql: admin_all (pointsys_admin:
 * every row) and recorder_branch (pointsys_recorder: may_record,
 * may_record_branch).
 */
void
check_row_security(Relation rel, const char *member_id, const char *branch_id)
{
	Oid			recorder;

	if (superuser() ||
		check_enable_rls(RelationGetRelid(rel), InvalidOid, true) != RLS_ENABLED || is_admin())
		return;
	recorder = get_role_oid("pointsys_recorder", true);
	if (OidIsValid(recorder) && has_privs_of_role(GetUserId(), recorder))
	{
		if (member_id != NULL)
		{
			const MemberInfo *member = member_info(member_id);

			if (member->exists && records_branch(member->branch_id))
				return;
		}
		else if (branch_id != NULL && records_branch(branch_id))
			return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("new row violates row-level security policy for table \"%s\"",
					RelationGetRelationName(rel))));
}

/* may_record_branch(branch_id): row security of branch-level tables */
Datum
may_record_branch(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(records_branch(TextDatumGetCString(PG_GETARG_DATUM(0))));
}

/* may_record(member_id): row security of score and award */
Datum
may_record(PG_FUNCTION_ARGS)
{
	const MemberInfo *member = member_info(TextDatumGetCString(PG_GETARG_DATUM(0)));

	PG_RETURN_BOOL(member->exists && records_branch(member->branch_id));
}

PG_FUNCTION_INFO_V1(period_check);

static const char *const statuses[] = {
	"recording", "approved", "publicized", "filed", "verified"
};

#define STATUS_COUNT lengthof(statuses)
#define STATUS_FILED 3

/* Position of a status in the process, or -1 */
static int
status_rank(const char *status)
{
	int			i;

	for (i = 0; i < (int) STATUS_COUNT; i++)
		if (strcmp(status, statuses[i]) == 0)
			return i;
	return -1;
}

/* Lock a branch's row FOR NO KEY UPDATE, as the ledger's owner */
static void
lock_branch_for_period(const char *branch_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtype = TEXTOID;
	Datum		arg = CStringGetTextDatum(branch_id);
	OwnerSwitch saved;

	spi_begin(&saved);
	spi_keep_plan(&plan,
			  "SELECT FROM pointsys.branch WHERE branch_id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE",
			  1, &argtype);
	if (SPI_execute_plan(plan, &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot lock branch \"%s\"", branch_id);
	spi_end(&saved);
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
	false, 1, &period_table
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

	/* row security first: a recorder's write for another branch locks nothing */
	if (newrow != NULL)
		check_row_security(trigdata->tg_relation, NULL,
						   period_text(&firing, newrow, PERIOD_BRANCH));

	/* a key left NULL is for its NOT NULL constraint to refuse (23502) */
	if (newrow != NULL)
		for (i = PERIOD_BRANCH; i <= PERIOD_QUARTER; i++)
		{
			(void) trigger_column(&firing, newrow, i, &isnull);
			if (isnull)
				return PointerGetDatum(newrow);
		}

	/* this transaction's quarters may change status: check them again */
	nopen_quarters = 0;

	branch_id = period_text(&firing, row, PERIOD_BRANCH);
	year = DatumGetInt32(trigger_column(&firing, row, PERIOD_YEAR, &isnull));
	quarter = DatumGetInt32(trigger_column(&firing, row, PERIOD_QUARTER, &isnull));

	lock_branch_for_period(branch_id);

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
						 errhint("Insert a row for the other quarter instead.")));
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
					 errhint("The statuses are recording, approved, publicized, filed and verified.")));
	}

	if (to == 0 && from > 0)
	{
		/* reopen (重新开放) */
		if (!is_admin())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only pointsys_admin may reopen quarter %d-Q%d of branch \"%s\"",
							year, quarter, branch_id)));
		if (pointsys_reason == NULL || strspn(pointsys_reason, " \t\r\n") == strlen(pointsys_reason))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("reopening quarter %d-Q%d of branch \"%s\" needs a reason",
							year, quarter, branch_id),
					 errhint("Use pointsys.reopen(branch_id, year, quarter, reason), or SET LOCAL pointsys.reason.")));
	}
	else if (to != from)
	{
		if (to != from + 1)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("quarter %d-Q%d of branch \"%s\" cannot move from %s to %s",
							year, quarter, branch_id, statuses[from], statuses[to]),
					 errhint("A quarter moves one step at a time: recording, approved, publicized, filed, verified.")));
		if (to > STATUS_FILED && !is_admin())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only pointsys_admin may move quarter %d-Q%d of branch \"%s\" to %s",
							year, quarter, branch_id, statuses[to])));
		if (!is_admin() && !records_branch(branch_id))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only a recorder of branch \"%s\" or pointsys_admin may move quarter %d-Q%d to %s",
							branch_id, year, quarter, statuses[to])));
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
