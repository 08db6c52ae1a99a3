/*
 * refusal.c
 *		Structured refusals (issue 11): each refusal of a write rule names
 *		its table, column and constraint in the error's fields
 *		(PG_DIAG_TABLE_NAME, PG_DIAG_COLUMN_NAME, PG_DIAG_CONSTRAINT_NAME),
 *		so that a form can highlight the field and tell the causes apart.
 *
 * A duplicate score.  PostgreSQL's unique violation on score_pkey carries
 * the key in its detail only for writers that row-level security does not
 * restrict: a recorder (or pointsys_admin) gets "duplicate key value
 * violates unique constraint" without knowing which row.  The writer is
 * entitled to the key: the row they wrote passed row-level security, and
 * the row it collides with has the same member, so it is one they may see.
 * score_check remembers the key of each row it lets through for such a
 * writer (the unique check follows the BEFORE trigger of the same row,
 * with no other score trigger in between), and an emit_log_hook adds it as
 * the detail of that 23505 when it is reported.  (An error caught inside
 * PL/pgSQL is not reported, so an exception handler sees no detail; the
 * bulk import reports its rows itself.)
 */
#include "pointsys.h"

#include "refusal.h"

#include "dates.h"

#include "storage/proc.h"
#include "utils/elog.h"
#include "utils/memutils.h"
#include "utils/rel.h"

static emit_log_hook_type prev_emit_log_hook = NULL;

/* the last score row let through for a restricted writer */
static LocalTransactionId key_lxid = InvalidLocalTransactionId;
static char *key_text = NULL;

int
errfield(Relation rel, const char *column, const char *constraint)
{
	errtable(rel);
	if (column != NULL)
		err_generic_string(PG_DIAG_COLUMN_NAME, column);
	if (constraint != NULL)
		err_generic_string(PG_DIAG_CONSTRAINT_NAME, constraint);
	return 0;
}

void
remember_score_key(const char *member_id, DateADT month, const char *item)
{
	char	   *text = psprintf("(member_id, month, item)=(%s, %s, %s)",
								member_id, date_text(month), item);

	if (key_text != NULL)
		pfree(key_text);
	key_text = MemoryContextStrdup(TopMemoryContext, text);
	pfree(text);
	key_lxid = pointsys_current_lxid();
}

static void
duplicate_key_detail(ErrorData *edata)
{
	if (edata->elevel == ERROR && edata->sqlerrcode == ERRCODE_UNIQUE_VIOLATION &&
		edata->detail == NULL && key_text != NULL &&
		MyProc != NULL && key_lxid == pointsys_current_lxid() &&
		edata->constraint_name != NULL && strcmp(edata->constraint_name, "score_pkey") == 0 &&
		edata->table_name != NULL && strcmp(edata->table_name, "score") == 0 &&
		edata->schema_name != NULL && strcmp(edata->schema_name, "pointsys") == 0)
	{
		MemoryContext old = MemoryContextSwitchTo(ErrorContext);

		edata->detail = psprintf(_("Key %s already exists."), key_text);
		MemoryContextSwitchTo(old);
	}
	if (prev_emit_log_hook)
		prev_emit_log_hook(edata);
}

void
refusal_register_hook(void)
{
	prev_emit_log_hook = emit_log_hook;
	emit_log_hook = duplicate_key_detail;
}
