/*
 * audit.c
 *		The audit trail (积分核查): every INSERT, UPDATE and DELETE on the
 *		ledger, the rulebook and the process tables is recorded in the same
 *		transaction, one audit row per row changed; audit rows never change.
 *
 * Statement-level triggers read the transition tables here, in C: each
 * row becomes jsonb (row_jsonb.c, equal to to_jsonb).  Since release 1.4
 * the rows of a statement are stored a thousand at a time: one row of
 * pointsys.audit_log holds the jsonb arrays of their old and new versions
 * (compressed together by TOAST) and the first of their audit ids, which
 * are consecutive (reserve_audit_ids); the view pointsys.audit shows them
 * one per row changed.  A statement that changes one row stores its
 * objects as they are.  An UPDATE pairs the old and the new transition
 * table row by row: PostgreSQL stores the two versions of each updated row
 * together (checked: the two tables must hold as many rows).
 *
 * A database not yet updated to 1.4 has the table pointsys.audit instead,
 * one row per row changed; its rows are written a thousand at a time the
 * way COPY writes a table (table_multi_insert, then the indexes).  The
 * audit tables have no triggers or row security to run on insert; the
 * rows are written with the ledger's owner's rights: recorders can cause
 * audit rows but cannot write or read them.
 */
#include "pointsys.h"

#include "owner_spi.h"
#include "row_jsonb.h"
#include "settings.h"
#include "trigger_check.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
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
	TRIGGER_TABLE("setting"), TRIGGER_TABLE("membership"), TRIGGER_TABLE("appraisal_weight"),
	TRIGGER_TABLE("appraisal_round"), TRIGGER_TABLE("appraisal_tally"), TRIGGER_TABLE("appraisal_voter")
};
static const TriggerRule audit_rule = {
	"audit_changes", false, TRIGGER_TYPE_UPDATE,	/* row-level: releases
													 * before 1.3 */
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE,
	row_jsonb_supports, lengthof(audited_tables), audited_tables
};

/* the storage of the audit trail (1.4), the view of it, the table before */
static const TriggerTable audit_tables[] = {
	TRIGGER_TABLE("audit_log"), TRIGGER_TABLE("audit")
};
static const TriggerRule immutable_rule = {
	"audit_immutable", true,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, TRIGGER_TYPE_TRUNCATE,
	NULL, lengthof(audit_tables), audit_tables
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

/*
 * Changed rows per row of pointsys.audit_log; audit rows of pointsys.audit
 * held before they are written (COPY's batch)
 */
#define AUDIT_BATCH 1000

/*
 * The columns of the audit table the trigger gives, and their types; the
 * last two only in pointsys.audit_log
 */
enum
{
	AUDIT_ACTOR, AUDIT_ACTING_AS, AUDIT_TABLE_NAME, AUDIT_ACTION, AUDIT_REASON,
	AUDIT_OLD_ROW, AUDIT_NEW_ROW, AUDIT_ID, AUDIT_ROW_COUNT, AUDIT_GIVEN
};
static const TriggerColumn audit_columns[AUDIT_GIVEN] = {
	{"actor", NAMEOID}, {"acting_as", NAMEOID}, {"table_name", TEXTOID}, {"action", TEXTOID},
	{"reason", TEXTOID}, {"old_row", JSONBOID}, {"new_row", JSONBOID},
	{"audit_id", INT8OID}, {"row_count", INT4OID}
};

/* A statement's audit rows being written */
typedef struct AuditWriter
{
	Relation	rel;			/* pointsys.audit_log, or pointsys.audit */
	bool		stored_by_statement;	/* pointsys.audit_log */
	Oid			sequence;		/* of its audit ids */
	int64		next_id;		/* the next of the ids reserved */
	EState	   *estate;
	ResultRelInfo *result;
	int			attnums[AUDIT_GIVEN];	/* 0-based; -1: not in pointsys.audit */
	Datum		values[AUDIT_GIVEN];	/* the same for every row, up to
										 * reason */
	bool		nulls[AUDIT_GIVEN];
	ExprState **defaults;		/* of the other columns, by attribute; NULL:
								 * none */
	TupleTableSlot *slots[AUDIT_BATCH];
	int			nslots;			/* made so far */
	int			n;				/* holding a row */
	MemoryContext rows;			/* their jsonb, freed once written */
	BulkInsertState bulk;		/* a ring of buffers, as COPY has */
} AuditWriter;

/*
 * Open the audit table for the audit rows of a statement on audited, run
 * by acting_as (the user before the switch to the owner).
 */
static void
writer_open(AuditWriter *w, Relation audited, TriggerEvent event, Oid acting_as)
{
	TupleDesc	desc;
	char	   *reason = audit_reason();
	Oid			audit_log = pointsys_relation("audit_log");
	int			i;

	memset(w, 0, sizeof(*w));
	w->stored_by_statement = OidIsValid(audit_log);
	if (w->stored_by_statement)
	{
		w->sequence = pointsys_relation("audit_log_audit_id_seq");
		if (!OidIsValid(w->sequence))
			elog(ERROR, "pointsys: the sequence of pointsys.audit_log is missing");
	}
	w->rel = table_open(w->stored_by_statement ? audit_log : pointsys_relation("audit"),
						RowExclusiveLock);
	desc = RelationGetDescr(w->rel);
	for (i = 0; i < AUDIT_GIVEN; i++)
	{
		int			attnum = SPI_fnumber(desc, audit_columns[i].name);

		w->attnums[i] = -1;
		if (i >= AUDIT_ID && !w->stored_by_statement)
			continue;			/* from its default, or none */
		if (attnum <= 0 || TupleDescAttr(desc, attnum - 1)->atttypid != audit_columns[i].type)
			elog(ERROR, "pointsys: column \"%s\" of pointsys.%s is missing or of another type",
				 audit_columns[i].name, RelationGetRelationName(w->rel));
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
		if (w->attnums[i] >= 0)
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

/*
 * Reserve n consecutive audit ids for the statement's rows of
 * pointsys.audit_log, and return the first.  Every writer of the audit
 * trail takes them here, under a lock of its own held only for the
 * nextval and setval of the sequence, so no other session's ids fall
 * between.  The ids stay in the order the statements took them, across
 * sessions, as with one nextval per row.
 */
static int64
reserve_audit_ids(AuditWriter *w, int64 n)
{
	int64		first;

	LockDatabaseObject(RelationRelationId, w->sequence, 0, ExclusiveLock);
	first = nextval_internal(w->sequence, false);
	if (n > 1)
		DirectFunctionCall2(setval_oid, ObjectIdGetDatum(w->sequence),
							Int64GetDatum(first + n - 1));
	UnlockDatabaseObject(RelationRelationId, w->sequence, 0, ExclusiveLock);
	return first;
}

/*
 * Hold an audit row: the old and new versions (jsonb or 0) of one changed
 * row, or, in pointsys.audit_log, the jsonb arrays of count changed rows
 * with the next count of the ids reserved.
 */
static void
writer_add(AuditWriter *w, Datum old_row, Datum new_row, int count)
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
	if (w->stored_by_statement)
	{
		slot->tts_values[w->attnums[AUDIT_ID]] = Int64GetDatum(w->next_id);
		slot->tts_isnull[w->attnums[AUDIT_ID]] = false;
		slot->tts_values[w->attnums[AUDIT_ROW_COUNT]] = Int32GetDatum(count);
		slot->tts_isnull[w->attnums[AUDIT_ROW_COUNT]] = false;
		w->next_id += count;
	}
	ExecStoreVirtualTuple(slot);
	/* a row of the arrays of a thousand rows is written at once */
	if (w->n == AUDIT_BATCH || count > 1)
		writer_flush(w);
}

/* Write what is held and close the audit table */
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
 * Hold the audit rows of the rows written to olds and news (either may
 * have none), and start them afresh
 */
static void
writer_add_objects(AuditWriter *w, RowObjects *olds, RowObjects *news)
{
	MemoryContext caller = MemoryContextSwitchTo(w->rows);
	int			count = Max(olds->n, news->n);
	Datum		old_rows = olds->n > 0 ? row_objects_jsonb(olds) : (Datum) 0;
	Datum		new_rows = news->n > 0 ? row_objects_jsonb(news) : (Datum) 0;

	MemoryContextSwitchTo(caller);
	writer_add(w, old_rows, new_rows, count);
	row_objects_reset(olds);
	row_objects_reset(news);
}

/*
 * Hold the audit rows of the statement's transition tables: the new rows
 * of an INSERT, the old ones of a DELETE, both of an UPDATE, in order: a
 * thousand to a row of pointsys.audit_log, or one to a row of
 * pointsys.audit.
 */
static void
audit_rows(AuditWriter *w, TriggerData *trigdata)
{
	Tuplestorestate *old_table = trigdata->tg_oldtable;
	Tuplestorestate *new_table = trigdata->tg_newtable;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	int64		nrows = tuplestore_tuple_count(old_table != NULL ? old_table : new_table);
	int			per_row = w->stored_by_statement ? AUDIT_BATCH : 1;
	TupleTableSlot *old_slot;
	TupleTableSlot *new_slot;
	int		   *order;
	int			ncolumns;
	RowObjects	olds;
	RowObjects	news;

	if (old_table != NULL && new_table != NULL &&
		tuplestore_tuple_count(old_table) != tuplestore_tuple_count(new_table))
		elog(ERROR, "pointsys: the old and new rows of an UPDATE do not pair");
	if (nrows == 0)
		return;
	old_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	new_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	order = palloc(desc->natts * sizeof(int));
	ncolumns = row_jsonb_order(desc, order);
	row_objects_init(&olds, per_row);
	row_objects_init(&news, per_row);
	if (w->stored_by_statement)
		w->next_id = reserve_audit_ids(w, nrows);
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

		if (!have_old && !have_new)
			break;
		if (have_old)
			row_objects_add(&olds, old_slot, order, ncolumns);
		if (have_new)
			row_objects_add(&news, new_slot, order, ncolumns);
		if (Max(olds.n, news.n) == per_row)
			writer_add_objects(w, &olds, &news);
	}
	if (olds.n > 0 || news.n > 0)
		writer_add_objects(w, &olds, &news);
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
	RowObjects	olds;
	RowObjects	news;

	row_objects_init(&olds, 1);
	row_objects_init(&news, 1);
	ExecStoreHeapTuple(trigdata->tg_trigtuple, slot, false);
	row_objects_add(&olds, slot, order, ncolumns);
	ExecStoreHeapTuple(trigdata->tg_newtuple, slot, false);
	row_objects_add(&news, slot, order, ncolumns);
	if (w->stored_by_statement)
		w->next_id = reserve_audit_ids(w, 1);
	writer_add_objects(w, &olds, &news);
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
	{
		if (writer.stored_by_statement)
			writer.next_id = reserve_audit_ids(&writer, 1);
		writer_add(&writer, (Datum) 0, (Datum) 0, 1);
	}
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

/*
 * BEFORE UPDATE, DELETE or TRUNCATE of the audit table, INSTEAD OF INSERT,
 * UPDATE or DELETE on the view pointsys.audit: refuse
 */
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
