/*
 * membership.c
 *		A change of membership (组织关系转接) checked for the statement as a
 *		whole: the branch of every recorded month before the statement
 *		against its branch after it.
 *
 * A member's branch in a month is read from pointsys.membership: the latest
 * row from that month or before.  A change of those rows may move months
 * with scores or awards from one branch to another, which is allowed only
 * while the months' quarters are recording in both branches.  Release 1.4
 * compared each changed row with "the other rows as they are now", which a
 * statement of several rows for one member got past: each of its rows
 * looked harmless next to the others, already written.
 *
 * So the history before the statement is read as the statement itself saw
 * it, as PostgreSQL's referential-integrity checks read with a snapshot of
 * their choosing: the latest committed rows (so that a transfer waited for
 * is taken into account) with the statement's own command id, which hides
 * the rows it wrote and still shows the rows it deleted.  Whatever the
 * statement's shape (several rows, UPDATE, DELETE, upsert, MERGE, a
 * writable CTE, COPY) and row order, the same two histories are compared,
 * by membership_check() in SQL, as the ledger's owner.
 *
 * member.branch_id then follows the latest row.  That update is the
 * writer's own (pointsys_admin's, who may write member): it runs as the
 * writer, so that the audit trail credits her, not the owner.
 */
#include "pointsys.h"

#include "owner_spi.h"
#include "trigger_check.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(membership_changed);

enum
{
	MEMBERSHIP_MEMBER
};
static const TriggerTable membership_table = {
	"membership", 1, {{"member_id", TEXTOID}}
};
static const TriggerRule membership_rule = {
	"membership_changed", false,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, 0,
	NULL, 1, &membership_table
};

/*
 * Check one member's change of membership, as the owner; returns the branch
 * of the latest membership row, or NULL when the member is gone (a
 * deletion cascading from member).
 */
static char *
check_member_history(const char *member_id, CommandId statement_cid)
{
	static SPIPlanPtr lock_plan = NULL;
	static SPIPlanPtr before_plan = NULL;
	static SPIPlanPtr check_plan = NULL;
	Oid			text_type = TEXTOID;
	Oid			check_types[4] = {TEXTOID, TEXTOID, DATEARRAYOID, TEXTARRAYOID};
	Datum		args[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	bool		isnull;
	char	   *latest = NULL;
	Snapshot	before;
	MemoryContext caller = CurrentMemoryContext;
	OwnerSwitch saved;

	args[0] = CStringGetTextDatum(member_id);
	spi_begin(&saved);

	/* the member's row first: changes of one member's history take turns */
	spi_keep_plan(&lock_plan,
				  "SELECT m.branch_id FROM pointsys.member m"
				  " WHERE m.member_id OPERATOR(pg_catalog.=) $1 FOR UPDATE",
				  1, &text_type);
	if (SPI_execute_plan(lock_plan, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot lock member \"%s\"", member_id);
	if (SPI_processed == 0)
	{
		spi_end(&saved);
		return NULL;
	}
	args[1] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	args[1] = isnull ? (Datum) 0 : PointerGetDatum(PG_DETOAST_DATUM_COPY(args[1]));
	nulls[1] = isnull ? 'n' : ' ';

	/*
	 * The history before the statement: the latest committed rows, seen with
	 * the statement's command id.  (GetLatestSnapshot's result is static and
	 * taken afresh by each call; SPI copies it when it runs.)
	 */
	spi_keep_plan(&before_plan,
				  "SELECT pg_catalog.array_agg(s.since ORDER BY s.since),"
				  " pg_catalog.array_agg(s.branch_id ORDER BY s.since)"
				  " FROM pointsys.membership s"
				  " WHERE s.member_id OPERATOR(pg_catalog.=) $1",
				  1, &text_type);
	before = GetLatestSnapshot();
	before->curcid = statement_cid;
	if (SPI_execute_snapshot(before_plan, args, NULL, before, InvalidSnapshot,
							 true, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "pointsys: cannot read the membership of member \"%s\"", member_id);
	args[2] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	nulls[2] = isnull ? 'n' : ' ';
	args[3] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	nulls[3] = isnull ? 'n' : ' ';

	/* the rules, on the history after the statement */
	spi_keep_plan(&check_plan,
				  "SELECT pointsys.membership_check($1, $2, $3, $4)", 4, check_types);
	if (SPI_execute_plan(check_plan, args, nulls, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "pointsys: cannot check the membership of member \"%s\"", member_id);
	latest = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (latest != NULL)
	{
		char	   *current = nulls[1] == 'n' ? NULL : TextDatumGetCString(args[1]);

		/* copied out of SPI's memory; NULL when the branch is already right */
		latest = current != NULL && strcmp(current, latest) == 0 ?
			NULL : MemoryContextStrdup(caller, latest);
	}
	spi_end(&saved);
	return latest;
}

/* member.branch_id set to the latest branch, as the writer */
static void
follow_latest(const char *member_id, const char *branch_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		args[2];

	args[0] = CStringGetTextDatum(member_id);
	args[1] = CStringGetTextDatum(branch_id);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pointsys: SPI_connect failed");
	spi_keep_plan(&plan,
				  "UPDATE pointsys.member m SET branch_id = $2"
				  " WHERE m.member_id OPERATOR(pg_catalog.=) $1",
				  2, types);
	if (SPI_execute_plan(plan, args, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "pointsys: cannot update the branch of member \"%s\"", member_id);
	SPI_finish();
}

/*
 * membership (AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW): the changed
 * rows' members, each checked over the whole statement.  Fired at the
 * statement's end, like every AFTER row trigger, when all its rows are
 * written; several rows of one member check the same two histories.
 */
Datum
membership_changed(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	const char *ids[2] = {NULL, NULL};
	CommandId	statement_cid;
	bool		isnull;
	Datum		value;
	int			i;

	trigger_check(fcinfo, &membership_rule, &firing);
	trigdata = firing.trigdata;
	if (!ActiveSnapshotSet())
		elog(ERROR, "membership_changed: no active snapshot");
	statement_cid = GetActiveSnapshot()->curcid;

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		value = trigger_column(&firing, trigdata->tg_trigtuple, MEMBERSHIP_MEMBER, &isnull);
		if (!isnull)
			ids[0] = TextDatumGetCString(value);
	}
	if (!TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		HeapTuple	new = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;

		value = trigger_column(&firing, new, MEMBERSHIP_MEMBER, &isnull);
		if (!isnull)
			ids[1] = TextDatumGetCString(value);
	}
	if (ids[0] != NULL && ids[1] != NULL && strcmp(ids[0], ids[1]) == 0)
		ids[1] = NULL;

	for (i = 0; i < 2; i++)
	{
		char	   *latest;

		if (ids[i] == NULL)
			continue;
		latest = check_member_history(ids[i], statement_cid);
		if (latest != NULL)
			follow_latest(ids[i], latest);
	}
	return PointerGetDatum(NULL);
}
