/*
 * trigger_check.c
 *		Where each trigger function of pointsys may fire, and the typed
 *		columns it reads.
 *
 * pointsys's trigger functions run queries as the ledger's owner, so each
 * must know exactly what it is looking at before it reads a column: that
 * the trigger manager called it, on one of the tables of schema pointsys it
 * was written for (compared by OID, never by name alone), at its timing,
 * level and event, and that the columns it reads have the types it
 * expects.  Anything else is refused with SQLSTATE 39P01 before a column is
 * read.  Only the extension's owner can attach these functions at all
 * (EXECUTE is revoked from PUBLIC), so a refusal is a superuser's mistake;
 * the check makes it a clean error rather than a misread row.
 *
 * The result of the table check is kept in the function's fn_extra, so it
 * costs a few catalog cache look-ups per statement, not per row.
 */
#include "pointsys.h"

#include "trigger_check.h"

#include "access/htup_details.h"
#include "access/transam.h"
#include "catalog/namespace.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/* What a function's fn_extra remembers of the table it last checked */
typedef struct CheckedTable
{
	Oid			relid;
	const TriggerTable *table;
	AttrNumber	attnums[TRIGGER_MAX_COLUMNS];
} CheckedTable;

/* The event of a firing as a TRIGGER_TYPE_ bit */
static int
event_bit(TriggerEvent event)
{
	if (TRIGGER_FIRED_BY_INSERT(event))
		return TRIGGER_TYPE_INSERT;
	if (TRIGGER_FIRED_BY_UPDATE(event))
		return TRIGGER_TYPE_UPDATE;
	if (TRIGGER_FIRED_BY_DELETE(event))
		return TRIGGER_TYPE_DELETE;
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
		return TRIGGER_TYPE_TRUNCATE;
	return 0;
}

/* "BEFORE UPDATE FOR EACH ROW", for messages */
static const char *
event_text(TriggerEvent event)
{
	return psprintf("%s %s FOR EACH %s",
					TRIGGER_FIRED_BEFORE(event) ? "BEFORE" :
					TRIGGER_FIRED_AFTER(event) ? "AFTER" : "INSTEAD OF",
					TRIGGER_FIRED_BY_INSERT(event) ? "INSERT" :
					TRIGGER_FIRED_BY_UPDATE(event) ? "UPDATE" :
					TRIGGER_FIRED_BY_DELETE(event) ? "DELETE" : "TRUNCATE",
					TRIGGER_FIRED_FOR_ROW(event) ? "ROW" : "STATEMENT");
}

/*
 * The table of rule that relid is, with its columns checked, or an error:
 * a table of another schema, another table of ours, a column missing or of
 * another type.
 */
static void
check_table(const TriggerRule *rule, Relation rel, CheckedTable *checked)
{
	Oid			relid = RelationGetRelid(rel);
	Oid			nsp = get_namespace_oid("pointsys", true);
	TupleDesc	desc = RelationGetDescr(rel);
	const TriggerTable *table = NULL;
	StringInfoData names;
	int			i;

	for (i = 0; i < rule->ntables && table == NULL; i++)
		if (OidIsValid(nsp) && relid == get_relname_relid(rule->tables[i].table, nsp))
			table = &rule->tables[i];
	if (table == NULL)
	{
		initStringInfo(&names);
		for (i = 0; i < rule->ntables; i++)
			appendStringInfo(&names, "%spointsys.%s", i > 0 ? ", " : "", rule->tables[i].table);
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: cannot fire on table \"%s\"", rule->function,
						RelationGetRelationName(rel)),
				 errdetail("It fires only on %s.", names.data)));
	}

	for (i = 0; i < table->ncolumns; i++)
	{
		const TriggerColumn *column = &table->columns[i];
		int			attnum = SPI_fnumber(desc, column->name);

		if (attnum <= 0 || TupleDescAttr(desc, attnum - 1)->atttypid != column->type)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("%s: column \"%s\" of table \"%s\" is missing or of another type",
							rule->function, column->name, RelationGetRelationName(rel)),
					 errdetail("It must be of type %s.", format_type_be(column->type))));
		checked->attnums[i] = (AttrNumber) attnum;
	}
	if (rule->column_type_ok != NULL)
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && !rule->column_type_ok(att->atttypid))
				ereport(ERROR,
						(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						 errmsg("%s: column \"%s\" of table \"%s\" is of type %s, which it does not handle",
								rule->function, NameStr(att->attname),
								RelationGetRelationName(rel), format_type_be(att->atttypid))));
		}
	checked->relid = relid;
	checked->table = table;
}

/*
 * Refuse a call of a trigger function outside the firings its rule allows;
 * otherwise fill firing with the table and the numbers of its columns.
 */
void
trigger_check(FunctionCallInfo fcinfo, const TriggerRule *rule, TriggerFiring *firing)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	CheckedTable *checked;
	int			allowed;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be called as trigger", rule->function)));

	allowed = TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ?
		rule->row_events : rule->statement_events;
	/* a view's INSTEAD OF trigger counts as BEFORE (audit_immutable) */
	if ((rule->before ? TRIGGER_FIRED_AFTER(trigdata->tg_event) :
		 !TRIGGER_FIRED_AFTER(trigdata->tg_event)) ||
		(event_bit(trigdata->tg_event) & allowed) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: cannot fire %s", rule->function, event_text(trigdata->tg_event))));

	checked = (CheckedTable *) fcinfo->flinfo->fn_extra;
	if (checked == NULL || checked->relid != RelationGetRelid(trigdata->tg_relation))
	{
		CheckedTable fresh;

		check_table(rule, trigdata->tg_relation, &fresh);
		if (checked == NULL)
			checked = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(CheckedTable));
		*checked = fresh;
		fcinfo->flinfo->fn_extra = checked;
	}

	firing->trigdata = trigdata;
	firing->table = checked->table;
	firing->attnums = checked->attnums;
}

/* Column number column (of the table's TriggerColumns) of a row */
Datum
trigger_column(const TriggerFiring *firing, HeapTuple tuple, int column, bool *isnull)
{
	Assert(column >= 0 && column < firing->table->ncolumns);
	return heap_getattr(tuple, firing->attnums[column],
						RelationGetDescr(firing->trigdata->tg_relation), isnull);
}

/* Does the checked firing concern pointsys.<table>? */
bool
trigger_fired_on(const TriggerFiring *firing, const char *table)
{
	return strcmp(firing->table->table, table) == 0;
}

/*
 * Start reading a transition table from its first row, with a read pointer
 * of one's own (another trigger of the statement may have read it already)
 */
void
trigger_rows_rewind(Tuplestorestate *rows)
{
	tuplestore_select_read_pointer(rows, tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(rows);
}
