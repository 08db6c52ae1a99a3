/*
 * audit.c
 *		The audit trail (积分核查): every INSERT, UPDATE and DELETE on the
 *		ledger, the rulebook and the process tables writes one row to
 *		pointsys.audit in the same transaction; audit rows never change.
 *
 * Inserts and deletes are audited by statement-level triggers reading the
 * transition tables, so that a COPY of a year's scores costs one INSERT …
 * SELECT, not one query per row; updates, which pair an old and a new row,
 * by a row-level trigger.  The rows are written as the ledger's owner:
 * recorders can cause audit rows but cannot write or read them.
 */
#include "owner_spi.h"
#include "trigger_check.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(audit_changes);
PG_FUNCTION_INFO_V1(audit_immutable);

/*
 * The tables audited, whose rows are serialised whole (to_jsonb): they must
 * have built-in column types only, whose conversion to jsonb runs no code
 * a user could have defined.
 */
static const TriggerTable audited_tables[] = {
	TRIGGER_TABLE("score"), TRIGGER_TABLE("award"), TRIGGER_TABLE("sanction"),
	TRIGGER_TABLE("evaluation"), TRIGGER_TABLE("branch"), TRIGGER_TABLE("member"),
	TRIGGER_TABLE("period"), TRIGGER_TABLE("recorder"), TRIGGER_TABLE("item"),
	TRIGGER_TABLE("category"), TRIGGER_TABLE("award_kind"), TRIGGER_TABLE("mentoring"),
	TRIGGER_TABLE("setting")
};
static const TriggerRule audit_rule = {
	"audit_changes", false, TRIGGER_TYPE_UPDATE,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE,
	true, lengthof(audited_tables), audited_tables
};

static const TriggerTable audit_table = TRIGGER_TABLE("audit");
static const TriggerRule immutable_rule = {
	"audit_immutable", true, TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, TRIGGER_TYPE_TRUNCATE,
	false, 1, &audit_table
};

/* Transition table names used by the triggers of pointsys--1.0.sql */
#define AUDIT_INSERT \
	"INSERT INTO pointsys.audit (actor, acting_as, table_name, action, old_row, new_row, reason) "

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

Datum
audit_changes(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	TriggerEvent event;
	char	   *reason;
	Relation	rel;
	Oid			argtypes[6] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, InvalidOid, InvalidOid};
	Datum		args[6];
	char		nulls[7] = "      ";
	OwnerSwitch saved;
	int			rc;

	trigger_check(fcinfo, &audit_rule, &firing);
	trigdata = firing.trigdata;
	event = trigdata->tg_event;
	rel = trigdata->tg_relation;

	args[0] = CStringGetTextDatum(GetUserNameFromId(GetSessionUserId(), false));
	args[1] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	args[2] = CStringGetTextDatum(RelationGetRelationName(rel));
	reason = audit_reason();
	if (reason != NULL)
		args[3] = CStringGetTextDatum(reason);
	else
		nulls[3] = 'n';

	spi_begin(&saved);
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "pointsys: cannot register transition tables");

	if (TRIGGER_FIRED_FOR_ROW(event) && TRIGGER_FIRED_BY_UPDATE(event))
	{
		TupleDesc	desc = RelationGetDescr(rel);

		argtypes[4] = argtypes[5] = rel->rd_rel->reltype;
		args[4] = heap_copy_tuple_as_datum(trigdata->tg_trigtuple, desc);
		args[5] = heap_copy_tuple_as_datum(trigdata->tg_newtuple, desc);
		rc = SPI_execute_with_args(AUDIT_INSERT
								   "VALUES ($1, $2, $3, 'UPDATE', pg_catalog.to_jsonb($5), pg_catalog.to_jsonb($6), $4)",
								   6, argtypes, args, nulls, false, 0);
	}
	else if (TRIGGER_FIRED_FOR_STATEMENT(event) && TRIGGER_FIRED_BY_INSERT(event))
		rc = SPI_execute_with_args(AUDIT_INSERT
								   "SELECT $1, $2, $3, 'INSERT', NULL, pg_catalog.to_jsonb(n), $4"
								   " FROM pointsys_new_rows n",
								   4, argtypes, args, nulls, false, 0);
	else if (TRIGGER_FIRED_FOR_STATEMENT(event) && TRIGGER_FIRED_BY_DELETE(event))
		rc = SPI_execute_with_args(AUDIT_INSERT
								   "SELECT $1, $2, $3, 'DELETE', pg_catalog.to_jsonb(o), NULL, $4"
								   " FROM pointsys_old_rows o",
								   4, argtypes, args, nulls, false, 0);
	else if (TRIGGER_FIRED_FOR_STATEMENT(event) && TRIGGER_FIRED_BY_TRUNCATE(event))
		rc = SPI_execute_with_args(AUDIT_INSERT
								   "VALUES ($1, $2, $3, 'TRUNCATE', NULL, NULL, $4)",
								   4, argtypes, args, nulls, false, 0);
	else						/* trigger_check let in nothing else */
		elog(ERROR, "audit_changes: unexpected trigger event");

	if (rc != SPI_OK_INSERT)
		elog(ERROR, "pointsys: cannot write the audit trail");
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
