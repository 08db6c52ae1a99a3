/*
 * audit.c
 *		The audit trail (积分核查): every INSERT, UPDATE and DELETE on the
 *		ledger, the rulebook and the process tables writes one row to
 *		pointsys.audit in the same transaction; audit rows never change.
 *
 * Statement-level triggers read the transition tables here, in C: each
 * row becomes jsonb (row_jsonb.c, equal to to_jsonb) and the audit rows go
 * into pointsys.audit a thousand at a time, the way COPY writes a table:
 * table_multi_insert (one WAL record per page, not per row), then the
 * indexes; the columns the trigger does not give (audit_id, at) take their
 * defaults.  An UPDATE pairs the old and the new transition table row by
 * row: PostgreSQL stores the two versions of each updated row together
 * (checked: the two tables must hold as many rows).  The audit table has
 * no triggers or row security to run on insert; the rows are written with
 * the ledger's owner's rights: recorders can cause audit rows but cannot
 * write or read them.
 */
#include "owner_spi.h"
#include "row_jsonb.h"
#include "trigger_check.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "rewrite/rewriteHandler.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"
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
	TRIGGER_TABLE("category"), TRIGGER_TABLE("award_kind"), TRIGGER_TABLE("mentoring"),
	TRIGGER_TABLE("setting"), TRIGGER_TABLE("membership")
};
static const TriggerRule audit_rule = {
	"audit_changes", false, TRIGGER_TYPE_UPDATE,	/* row-level: releases before 1.3 */
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE,
	row_jsonb_supports, lengthof(audited_tables), audited_tables
};

static const TriggerTable audit_table = TRIGGER_TABLE("audit");
static const TriggerRule immutable_rule = {
	"audit_immutable", true, TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, TRIGGER_TYPE_TRUNCATE,
	NULL, 1, &audit_table
};

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

/* Audit rows held before they are written: COPY's batch */
#define AUDIT_BATCH 1000

/* The columns of pointsys.audit the trigger gives, and their types */
enum
{
	AUDIT_ACTOR, AUDIT_ACTING_AS, AUDIT_TABLE_NAME, AUDIT_ACTION, AUDIT_REASON,
	AUDIT_OLD_ROW, AUDIT_NEW_ROW, AUDIT_GIVEN
};
static const TriggerColumn audit_columns[AUDIT_GIVEN] = {
	{"actor", NAMEOID}, {"acting_as", NAMEOID}, {"table_name", TEXTOID}, {"action", TEXTOID},
	{"reason", TEXTOID}, {"old_row", JSONBOID}, {"new_row", JSONBOID}
};

/* A statement's audit rows being written */
typedef struct AuditWriter
{
	Relation	rel;			/* pointsys.audit */
	EState	   *estate;
	ResultRelInfo *result;
	int			attnums[AUDIT_GIVEN];	/* 0-based */
	Datum		values[AUDIT_GIVEN];	/* the same for every row, up to reason */
	bool		nulls[AUDIT_GIVEN];
	ExprState **defaults;		/* of the other columns, by attribute; NULL: none */
	TupleTableSlot *slots[AUDIT_BATCH];
	int			nslots;			/* made so far */
	int			n;				/* holding a row */
	MemoryContext rows;			/* their jsonb, freed once written */
	BulkInsertState bulk;		/* a ring of buffers, as COPY has */
} AuditWriter;

/*
 * Open pointsys.audit for the audit rows of a statement on audited, run by
 * acting_as (the user before the switch to the owner).
 */
static void
writer_open(AuditWriter *w, Relation audited, TriggerEvent event, Oid acting_as)
{
	TupleDesc	desc;
	char	   *reason = audit_reason();
	int			i;

	memset(w, 0, sizeof(*w));
	w->rel = table_open(pointsys_relation("audit"), RowExclusiveLock);
	desc = RelationGetDescr(w->rel);
	for (i = 0; i < AUDIT_GIVEN; i++)
	{
		int			attnum = SPI_fnumber(desc, audit_columns[i].name);

		if (attnum <= 0 || TupleDescAttr(desc, attnum - 1)->atttypid != audit_columns[i].type)
			elog(ERROR, "pointsys: column \"%s\" of pointsys.audit is missing or of another type",
				 audit_columns[i].name);
		w->attnums[i] = attnum - 1;
	}

	w->estate = CreateExecutorState();
	w->result = makeNode(ResultRelInfo);
	InitResultRelInfo(w->result, w->rel, 0, NULL, 0);
	ExecOpenIndices(w->result, false);
	w->defaults = palloc0(desc->natts * sizeof(ExprState *));
	for (i = 0; i < desc->natts; i++)
	{
		Node	   *expr;

		if (TupleDescAttr(desc, i)->attisdropped)
			continue;
		expr = build_column_default(w->rel, i + 1);
		if (expr != NULL)
			w->defaults[i] = ExecPrepareExpr((Expr *) expr, w->estate);
	}
	/* a given column has no default to take, whatever the table says */
	for (i = 0; i < AUDIT_GIVEN; i++)
		w->defaults[w->attnums[i]] = NULL;

	w->values[AUDIT_ACTOR] = DirectFunctionCall1(namein,
												 CStringGetDatum(GetUserNameFromId(GetSessionUserId(), false)));
	w->values[AUDIT_ACTING_AS] = DirectFunctionCall1(namein,
													 CStringGetDatum(GetUserNameFromId(acting_as, false)));
	w->values[AUDIT_TABLE_NAME] = CStringGetTextDatum(RelationGetRelationName(audited));
	w->values[AUDIT_ACTION] = CStringGetTextDatum(TRIGGER_FIRED_BY_INSERT(event) ? "INSERT" :
												  TRIGGER_FIRED_BY_UPDATE(event) ? "UPDATE" :
												  TRIGGER_FIRED_BY_DELETE(event) ? "DELETE" :
												  "TRUNCATE");
	if (reason != NULL)
		w->values[AUDIT_REASON] = CStringGetTextDatum(reason);
	w->nulls[AUDIT_REASON] = reason == NULL;
	w->bulk = GetBulkInsertState();
	w->rows = AllocSetContextCreate(CurrentMemoryContext, "pointsys audit rows",
									ALLOCSET_DEFAULT_SIZES);
}

/* Insert the rows held, and their index entries */
static void
writer_flush(AuditWriter *w)
{
	int			i;

	if (w->n == 0)
		return;
	table_multi_insert(w->rel, w->slots, w->n, GetCurrentCommandId(true), 0, w->bulk);
	for (i = 0; i < w->n; i++)
	{
		if (w->result->ri_NumIndices > 0)
			list_free(pointsys_insert_index_tuples(w->result, w->slots[i], w->estate));
		ExecClearTuple(w->slots[i]);
	}
	w->n = 0;
	MemoryContextReset(w->rows);
	ResetPerTupleExprContext(w->estate);
}

/* Hold the audit row of a changed row (old and new version: jsonb or 0) */
static void
writer_add(AuditWriter *w, Datum old_row, Datum new_row)
{
	TupleDesc	desc = RelationGetDescr(w->rel);
	ExprContext *econtext = GetPerTupleExprContext(w->estate);
	TupleTableSlot *slot;
	int			i;

	if (w->n == w->nslots)
		w->slots[w->nslots++] = table_slot_create(w->rel, NULL);
	slot = w->slots[w->n++];
	ExecClearTuple(slot);
	for (i = 0; i < desc->natts; i++)
	{
		slot->tts_isnull[i] = true;
		if (w->defaults[i] != NULL)
			slot->tts_values[i] = ExecEvalExprSwitchContext(w->defaults[i], econtext,
															&slot->tts_isnull[i]);
	}
	for (i = 0; i <= AUDIT_REASON; i++)
	{
		slot->tts_values[w->attnums[i]] = w->values[i];
		slot->tts_isnull[w->attnums[i]] = w->nulls[i];
	}
	slot->tts_values[w->attnums[AUDIT_OLD_ROW]] = old_row;
	slot->tts_isnull[w->attnums[AUDIT_OLD_ROW]] = old_row == (Datum) 0;
	slot->tts_values[w->attnums[AUDIT_NEW_ROW]] = new_row;
	slot->tts_isnull[w->attnums[AUDIT_NEW_ROW]] = new_row == (Datum) 0;
	ExecStoreVirtualTuple(slot);
	if (w->n == AUDIT_BATCH)
		writer_flush(w);
}

/* Write what is held and close pointsys.audit */
static void
writer_close(AuditWriter *w)
{
	int			i;

	writer_flush(w);
	for (i = 0; i < w->nslots; i++)
		ExecDropSingleTupleTableSlot(w->slots[i]);
	ExecCloseIndices(w->result);
	FreeExecutorState(w->estate);
	table_close(w->rel, NoLock);
	FreeBulkInsertState(w->bulk);
	MemoryContextDelete(w->rows);
}

/*
 * Hold the audit rows of the statement's transition tables: the new rows
 * of an INSERT, the old ones of a DELETE, both of an UPDATE, row by row.
 */
static void
audit_rows(AuditWriter *w, TriggerData *trigdata)
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
		trigger_rows_rewind(old_table);
	if (new_table != NULL)
		trigger_rows_rewind(new_table);

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
		caller = MemoryContextSwitchTo(w->rows);
		if (have_old)
			old_row = row_jsonb(old_slot, order, ncolumns);
		if (have_new)
			new_row = row_jsonb(new_slot, order, ncolumns);
		MemoryContextSwitchTo(caller);
		writer_add(w, old_row, new_row);
	}
	ExecDropSingleTupleTableSlot(old_slot);
	ExecDropSingleTupleTableSlot(new_slot);
}

/*
 * Hold the audit row of one updated row: the row-level trigger of the
 * releases before 1.3, until ALTER EXTENSION pointsys UPDATE replaces it.
 */
static void
audit_row(AuditWriter *w, TriggerData *trigdata)
{
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);
	int		   *order = palloc(desc->natts * sizeof(int));
	int			ncolumns = row_jsonb_order(desc, order);
	MemoryContext caller = MemoryContextSwitchTo(w->rows);
	Datum		old_row;
	Datum		new_row;

	ExecStoreHeapTuple(trigdata->tg_trigtuple, slot, false);
	old_row = row_jsonb(slot, order, ncolumns);
	ExecStoreHeapTuple(trigdata->tg_newtuple, slot, false);
	new_row = row_jsonb(slot, order, ncolumns);
	MemoryContextSwitchTo(caller);
	writer_add(w, old_row, new_row);
	ExecDropSingleTupleTableSlot(slot);
}

/*
 * AFTER INSERT, UPDATE or DELETE (FOR EACH STATEMENT, with transition
 * tables; or FOR EACH ROW for an UPDATE, as before 1.3) or TRUNCATE of an
 * audited table: write its audit rows.
 */
Datum
audit_changes(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	AuditWriter writer;
	OwnerSwitch saved;
	Oid			acting_as = GetUserId();

	trigger_check(fcinfo, &audit_rule, &firing);
	trigdata = firing.trigdata;

	spi_begin(&saved);
	writer_open(&writer, trigdata->tg_relation, trigdata->tg_event, acting_as);
	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		writer_add(&writer, (Datum) 0, (Datum) 0);
	else if (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		audit_row(&writer, trigdata);
	else if (trigdata->tg_oldtable != NULL || trigdata->tg_newtable != NULL)
		audit_rows(&writer, trigdata);
	else
		elog(ERROR, "pointsys: audit_changes needs the transition tables");
	writer_close(&writer);
	spi_end(&saved);
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
