/*
 * trigger_check.h
 *		Where each trigger function of pointsys may fire, and the typed
 *		columns it reads (trigger_check.c).
 */
#ifndef POINTSYS_TRIGGER_CHECK_H
#define POINTSYS_TRIGGER_CHECK_H

#include "pointsys.h"

#include "access/htup.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "utils/tuplestore.h"

#define TRIGGER_MAX_COLUMNS 8

/* A column a trigger function reads, with the type it must have */
typedef struct TriggerColumn
{
	const char *name;
	Oid			type;
} TriggerColumn;

/* A table of schema pointsys a trigger function may fire on */
typedef struct TriggerTable
{
	const char *table;
	int			ncolumns;
	TriggerColumn columns[TRIGGER_MAX_COLUMNS];
} TriggerTable;

/* A table whose columns the function does not read */
#define TRIGGER_TABLE(name) {(name), 0, {{NULL, InvalidOid}}}

/*
 * Where a trigger function may fire: its timing (before: BEFORE, or
 * INSTEAD OF on a view; otherwise AFTER), the events it handles FOR
 * EACH ROW and FOR EACH STATEMENT (TRIGGER_TYPE_INSERT, _UPDATE, _DELETE,
 * _TRUNCATE), and its tables.  column_type_ok, when set, must accept the
 * type of every column of the table (the audit trail writes whole rows).
 */
typedef struct TriggerRule
{
	const char *function;
	bool		before;
	int			row_events;
	int			statement_events;
	bool		(*column_type_ok) (Oid type);
	int			ntables;
	const TriggerTable *tables;
} TriggerRule;

/* A checked firing: the table it fires on and its columns' numbers */
typedef struct TriggerFiring
{
	TriggerData *trigdata;
	const TriggerTable *table;
	const AttrNumber *attnums;
} TriggerFiring;

extern void trigger_check(FunctionCallInfo fcinfo, const TriggerRule *rule,
						  TriggerFiring *firing);
extern Datum trigger_column(const TriggerFiring *firing, HeapTuple tuple, int column,
							bool *isnull);
extern bool trigger_fired_on(const TriggerFiring *firing, const char *table);
extern void trigger_rows_rewind(Tuplestorestate *rows);

#endif							/* POINTSYS_TRIGGER_CHECK_H */
