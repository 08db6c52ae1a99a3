/*
 * drop_guard.c
 *		Refuse DROP EXTENSION pointsys (and DROP SCHEMA pointsys) while the
 *		ledger holds rows, unless pointsys.allow_drop is on.
 *
 * The ledger's tables belong to the extension, so a DROP EXTENSION ...
 * would silently take a bureau's whole record with it.  An event trigger
 * on ddl_command_start sees the statement before anything is dropped.
 */
#include "pointsys.h"

#include "owner_spi.h"
#include "settings.h"

#include "catalog/namespace.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "lib/stringinfo.h"
#include "nodes/parsenodes.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(drop_guard);

/* Does the DROP statement name "pointsys"? */
static bool
drops_pointsys(DropStmt *stmt)
{
	ListCell   *lc;

	if (stmt->removeType != OBJECT_EXTENSION && stmt->removeType != OBJECT_SCHEMA)
		return false;
	foreach(lc, stmt->objects)
	{
		Node	   *object = lfirst(lc);

		if (IsA(object, String) && strcmp(strVal(object), "pointsys") == 0)
			return true;
	}
	return false;
}

/* Names of the ledger tables that hold rows, comma-separated, or NULL */
static char *
tables_with_rows(void)
{
	static const char *const tables[] = {
		"branch", "member", "score", "award", "sanction", "evaluation",
		"recorder", "period", "audit"
	};
	Oid			nsp = get_namespace_oid("pointsys", true);
	StringInfoData query;
	char	   *result = NULL;
	int			i;
	bool		any = false;
	OwnerSwitch saved;

	if (!OidIsValid(nsp))
		return NULL;
	initStringInfo(&query);
	appendStringInfoString(&query, "SELECT pg_catalog.concat_ws(', '");
	for (i = 0; i < (int) lengthof(tables); i++)
	{
		if (!OidIsValid(get_relname_relid(tables[i], nsp)))
			continue;
		appendStringInfo(&query,
						 ", CASE WHEN EXISTS (SELECT FROM pointsys.%s) THEN '%s' END",
						 tables[i], tables[i]);
		any = true;
	}
	appendStringInfoChar(&query, ')');
	if (!any)
		return NULL;

	spi_begin(&saved);
	if (SPI_execute(query.data, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot look at the ledger");
	result = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (result != NULL && result[0] != '\0')
		result = pstrdup(result);
	else
		result = NULL;
	spi_end(&saved);
	return result;
}

Datum
drop_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	Oid			extension;
	char	   *tables;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("drop_guard: must be called as event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;
	if (strcmp(trigdata->event, "ddl_command_start") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("drop_guard: cannot fire on %s", trigdata->event)));

	if (pointsys_allow_drop || !IsA(trigdata->parsetree, DropStmt) ||
		!drops_pointsys((DropStmt *) trigdata->parsetree))
		PG_RETURN_VOID();

	/*
	 * Only the extension's owner may drop it: anyone else's DROP fails on its
	 * own, and must not learn from us which tables hold rows.
	 */
	extension = get_extension_oid("pointsys", true);
	if (!OidIsValid(extension) || !pointsys_extension_ownercheck(extension, GetUserId()))
		PG_RETURN_VOID();

	tables = tables_with_rows();
	if (tables != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_IN_USE),
				 errmsg("pointsys holds the bureau's ledger and cannot be dropped"),
				 errdetail("These tables have rows: %s.", tables),
				 errhint("Dump the database first (pg_dump), then SET pointsys.allow_drop = on and drop it.")));
	PG_RETURN_VOID();
}
