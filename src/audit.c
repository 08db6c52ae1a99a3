/*
 * audit.c
 *		The audit trail (积分核查): every INSERT, UPDATE and DELETE on the
 *		ledger, the rulebook and the process tables writes one row to
 *		pointsys.audit in the same transaction; audit rows never change.
 *
 * Statement-level triggers read the transition tables here, in C: each
 * row becomes jsonb (row_jsonb.c, equal to to_jsonb) and the audit rows
 * are inserted a batch at a time by one prepared INSERT … SELECT FROM
 * unnest(old rows, new rows), so that a COPY of a year's scores costs a few
 * hundred statements, not one per row, and the rows keep their order.  An
 * UPDATE pairs the old and the new transition table row by row: PostgreSQL
 * stores the two versions of each updated row together (checked: the two
 * tables must hold as many rows).  The rows are written as the ledger's
 * owner: recorders can cause audit rows but cannot write or read them.
 */
#include "owner_spi.h"
#include "row_jsonb.h"
#include "trigger_check.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(audit_changes);
PG_FUNCTION_INFO_V1(audit_immutable);

/*
 * The tables audited, whose rows are written whole as jsonb: every column
 * must be of a type row_jsonb handles, whose conversion runs no code a user
 * could have defined.
 */
static const TriggerTable audited_tables[] = {
	TRIGGER_TABLE("score"), TRIGGER_TABLE("award"), TRIGGER_TABLE("sanction"),
	TRIGGER_TABLE("evaluation"), TRIGGER_TABLE("branch"), TRIGGER_TABLE("member"),
	TRIGGER_TABLE("period"), TRIGGER_TABLE("recorder"), TRIGGER_TABLE("item"),
	TRIGGER_TABLE("category"), TRIGGER_TABLE("award_kind")
};
static const TriggerRule audit_rule = {
	"audit_changes", false, 0,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE,
	row_jsonb_supports, lengthof(audited_tables), audited_tables
};

static const TriggerTable audit_table = TRIGGER_TABLE("audit");
static const TriggerRule immutable_rule = {
	"audit_immutable", true, TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, TRIGGER_TYPE_TRUNCATE,
	NULL, 1, &audit_table
};

/* Audit rows per INSERT: the jsonb of as many changed rows is held in memory */
#define AUDIT_BATCH 1000

/*
 * One statement writes every batch of audit rows: $1 actor, $2 acting_as,
 * $3 table_name, $4 action, $5 reason, $6 and $7 the old and new rows
 * (either may be NULL: ROWS FROM pads it with NULLs).
 */
#define AUDIT_INSERT \
	"INSERT INTO pointsys.audit (actor, acting_as, table_name, action, old_row, new_row, reason)" \
	" SELECT $1, $2, $3, $4, r.old_row, r.new_row, $5" \
	" FROM ROWS FROM (pg_catalog.unnest($6::pg_catalog.jsonb[]), pg_catalog.unnest($7::pg_catalog.jsonb[]))" \
	"      AS r (old_row, new_row)"

static SPIPlanPtr audit_plan = NULL;

/* A statement's audit rows being written */
typedef struct AuditBatch
{
	Datum		args[7];
	char		nulls[8];
	Datum	   *old_rows;
	Datum	   *new_rows;
	int			n;
	MemoryContext context;		/* the batch's rows, freed at each write */
} AuditBatch;

/*
 * The reason of this session's changes (pointsys.reason), NULL when unset;
 * refused when longer than AUDIT_REASON_MAX characters.
 */
static char *
audit_reason(void)
{
	int			length;

	if (pointsys_reason == NULL || pointsys_reason[0] == '\0')
		return NULL;
	length = pg_mbstrlen(pointsys_reason);
	if (length > AUDIT_REASON_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("pointsys.reason is too long for the audit trail"),
				 errdetail("It has %d characters; the limit is %d.", length, AUDIT_REASON_MAX),
				 errhint("Give a shorter reason, and keep long documents elsewhere with a reference in the reason.")));
	return pointsys_reason;
}

/* Insert the batch's rows, if any, into pointsys.audit */
static void
write_batch(AuditBatch *batch)
{
	int			dims[1];
	int			lbs[1] = {1};
	bool	   *rownulls;
	MemoryContext caller;
	int			i;

	if (batch->n == 0)
		return;
	dims[0] = batch->n;
	caller = MemoryContextSwitchTo(batch->context);
	rownulls = palloc(batch->n * sizeof(bool));
	for (i = 0; i < batch->n; i++)
		rownulls[i] = batch->old_rows[i] == (Datum) 0;
	batch->args[5] = PointerGetDatum(construct_md_array(batch->old_rows, rownulls, 1, dims, lbs,
														JSONBOID, -1, false, TYPALIGN_INT));
	for (i = 0; i < batch->n; i++)
		rownulls[i] = batch->new_rows[i] == (Datum) 0;
	batch->args[6] = PointerGetDatum(construct_md_array(batch->new_rows, rownulls, 1, dims, lbs,
														JSONBOID, -1, false, TYPALIGN_INT));
	MemoryContextSwitchTo(caller);
	if (SPI_execute_plan(audit_plan, batch->args, batch->nulls, false, 0) != SPI_OK_INSERT ||
		SPI_processed != (uint64) batch->n)
		elog(ERROR, "pointsys: cannot write the audit trail");
	batch->n = 0;
	MemoryContextReset(batch->context);
}

/* Add a changed row (its old and new version, each as jsonb or 0 for none) */
static void
add_row(AuditBatch *batch, Datum old_row, Datum new_row)
{
	batch->old_rows[batch->n] = old_row;
	batch->new_rows[batch->n] = new_row;
	if (++batch->n == AUDIT_BATCH)
		write_batch(batch);
}

/* Start reading a transition table from its first row */
static void
rewind_rows(Tuplestorestate *rows)
{
	tuplestore_select_read_pointer(rows, tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(rows);
}

/*
 * Write the audit rows of the statement's transition tables: the new rows
 * of an INSERT, the old ones of a DELETE, both of an UPDATE, row by row.
 */
static void
audit_rows(AuditBatch *batch, TriggerData *trigdata)
{
	Tuplestorestate *old_table = trigdata->tg_oldtable;
	Tuplestorestate *new_table = trigdata->tg_newtable;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	TupleTableSlot *old_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	TupleTableSlot *new_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	int		   *order = palloc(desc->natts * sizeof(int));
	int			ncolumns = row_jsonb_order(desc, order);

	if (old_table != NULL && new_table != NULL &&
		tuplestore_tuple_count(old_table) != tuplestore_tuple_count(new_table))
		elog(ERROR, "pointsys: the old and new rows of an UPDATE do not pair");
	if (old_table != NULL)
		rewind_rows(old_table);
	if (new_table != NULL)
		rewind_rows(new_table);

	for (;;)
	{
		bool		have_old = old_table != NULL &&
			tuplestore_gettupleslot(old_table, true, false, old_slot);
		bool		have_new = new_table != NULL &&
			tuplestore_gettupleslot(new_table, true, false, new_slot);
		MemoryContext caller;
		Datum		old_row = (Datum) 0;
		Datum		new_row = (Datum) 0;

		if (!have_old && !have_new)
			break;
		caller = MemoryContextSwitchTo(batch->context);
		if (have_old)
			old_row = row_jsonb(old_slot, order, ncolumns);
		if (have_new)
			new_row = row_jsonb(new_slot, order, ncolumns);
		MemoryContextSwitchTo(caller);
		add_row(batch, old_row, new_row);
	}
	write_batch(batch);
	ExecDropSingleTupleTableSlot(old_slot);
	ExecDropSingleTupleTableSlot(new_slot);
}

/*
 * AFTER INSERT, UPDATE or DELETE (FOR EACH STATEMENT, with transition
 * tables) or TRUNCATE of an audited table: write its audit rows.
 */
Datum
audit_changes(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	TriggerEvent event;
	AuditBatch	batch;
	char	   *reason;
	OwnerSwitch saved;
	static Oid	argtypes[7] = {NAMEOID, NAMEOID, TEXTOID, TEXTOID, TEXTOID,
	JSONBARRAYOID, JSONBARRAYOID};

	trigger_check(fcinfo, &audit_rule, &firing);
	trigdata = firing.trigdata;
	event = trigdata->tg_event;

	memset(&batch, 0, sizeof(batch));
	strcpy(batch.nulls, "       ");
	batch.args[0] = DirectFunctionCall1(namein,
										CStringGetDatum(GetUserNameFromId(GetSessionUserId(), false)));
	batch.args[1] = DirectFunctionCall1(namein,
										CStringGetDatum(GetUserNameFromId(GetUserId(), false)));
	batch.args[2] = CStringGetTextDatum(RelationGetRelationName(trigdata->tg_relation));
	batch.args[3] = CStringGetTextDatum(TRIGGER_FIRED_BY_INSERT(event) ? "INSERT" :
										TRIGGER_FIRED_BY_UPDATE(event) ? "UPDATE" :
										TRIGGER_FIRED_BY_DELETE(event) ? "DELETE" : "TRUNCATE");
	reason = audit_reason();
	if (reason != NULL)
		batch.args[4] = CStringGetTextDatum(reason);
	else
		batch.nulls[4] = 'n';
	batch.old_rows = palloc(AUDIT_BATCH * sizeof(Datum));
	batch.new_rows = palloc(AUDIT_BATCH * sizeof(Datum));
	batch.context = AllocSetContextCreate(CurrentMemoryContext, "pointsys audit rows",
										  ALLOCSET_DEFAULT_SIZES);

	spi_begin(&saved);
	spi_keep_plan(&audit_plan, AUDIT_INSERT, lengthof(argtypes), argtypes);
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
	{
		add_row(&batch, (Datum) 0, (Datum) 0);
		write_batch(&batch);
	}
	else if (trigdata->tg_oldtable != NULL || trigdata->tg_newtable != NULL)
		audit_rows(&batch, trigdata);
	else
		elog(ERROR, "pointsys: audit_changes needs the transition tables");
	spi_end(&saved);
	MemoryContextDelete(batch.context);
	return PointerGetDatum(NULL);
}

/* BEFORE UPDATE, DELETE or TRUNCATE of pointsys.audit: refuse */
Datum
audit_immutable(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;

	trigger_check(fcinfo, &immutable_rule, &firing);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("the audit trail cannot be changed"),
			 errdetail("Audit rows are never updated, deleted or truncated.")));
	return PointerGetDatum(NULL);
}
