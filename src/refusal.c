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
 *
 * The SQL's refusals (issue 24).  PL/pgSQL's RAISE never translates its
 * text; pointsys's SQL functions refuse through pointsys.refuse(sqlstate,
 * message, detail, hint, VARIADIC args), which looks the message, detail
 * and hint up in pointsys's text domain first and only then puts the
 * arguments in (%s, or %n$s for the n-th argument), so that po/zh_CN.po
 * holds them whole (the Makefile's pot rule reads them from the SQL source files,
 * po/sql_messages.pl).  The status words of a quarter are translated in
 * messages (status_word).
 *
 * No CONTEXT for a writer below the owner.  A refusal of pointsys (an
 * error of its text domain) raised inside one of its SQL functions carries
 * a CONTEXT quoting that function's statements, which tells a recorder
 * nothing and hides the message.  The emit_log_hook drops the CONTEXT of
 * pointsys's errors for a session whose role (outside any SECURITY DEFINER
 * function) is not a superuser, keeping only COPY's frames (the line of the
 * file); the server log keeps the whole CONTEXT, after the detail
 * (errdetail_log).
 */
#include "pointsys.h"

#include "refusal.h"

#include "dates.h"

#include "catalog/pg_type.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/elog.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(refuse);

static emit_log_hook_type prev_emit_log_hook = NULL;

static void duplicate_key_detail(ErrorData *edata);

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

/*
 * A quarter's status as messages name it: the word of the session's
 * language (recording, approved, publicized, filed, verified); any other
 * text as it is.
 */
const char *
status_word(const char *status)
{
	static const char *const words[] = {
		gettext_noop("recording"), gettext_noop("approved"),
		gettext_noop("publicized"), gettext_noop("filed"), gettext_noop("verified")
	};
	int			i;

	if (status == NULL)
		return "NULL";
	for (i = 0; i < (int) lengthof(words); i++)
		if (strcmp(status, words[i]) == 0)
			return _(words[i]);
	return status;
}

/*
 * format with args put in: %s the next argument, %n$s the n-th, %% a
 * percent sign; a NULL or missing argument is put in as nothing (as
 * format() does), anything else is copied as it is.
 */
static char *
refusal_format(const char *format, const Datum *args, const bool *nulls, int nargs)
{
	StringInfoData buf;
	const char *p;
	int			next = 0;

	initStringInfo(&buf);
	for (p = format; *p != '\0'; p++)
	{
		int			n = -1;

		if (*p != '%')
		{
			appendStringInfoChar(&buf, *p);
			continue;
		}
		if (p[1] == '%')
		{
			appendStringInfoChar(&buf, '%');
			p++;
			continue;
		}
		if (p[1] == 's')
		{
			n = next++;
			p++;
		}
		else if (p[1] >= '1' && p[1] <= '9')
		{
			const char *q = p + 1;
			int			pos = 0;

			while (*q >= '0' && *q <= '9')
			{
				if (pos < 100000)
					pos = pos * 10 + (*q - '0');
				q++;
			}
			if (q[0] == '$' && q[1] == 's')
			{
				n = pos - 1;
				p = q + 1;
			}
		}
		if (n < 0)
		{
			appendStringInfoChar(&buf, '%');
			continue;
		}
		if (n < nargs && !nulls[n])
			appendStringInfoString(&buf, TextDatumGetCString(args[n]));
	}
	return buf.data;
}

/* text in the session's language ("" stays "": gettext would give the catalog's header) */
static const char *
translated(Datum value)
{
	const char *s = TextDatumGetCString(value);

	return *s == '\0' ? s : _(s);
}

/*
 * pointsys.refuse(sqlstate, message, detail, hint, VARIADIC args): raise
 * the error sqlstate with message, detail and hint translated, then their
 * arguments put in.  Anyone may call it: it only raises an error whose
 * every word the caller chose, as RAISE would.  A NULL or malformed
 * sqlstate, or one of the classes 00 to 02 (no error), is P0001
 * (raise_exception); a NULL message is refused as such.
 */
Datum
refuse(PG_FUNCTION_ARGS)
{
	int			sqlerrcode = ERRCODE_RAISE_EXCEPTION;
	const char *message;
	const char *detail = NULL;
	const char *hint = NULL;
	Datum	   *args = NULL;
	bool	   *nulls = NULL;
	int			nargs = 0;

	if (!PG_ARGISNULL(0))
	{
		char	   *state = TextDatumGetCString(PG_GETARG_DATUM(0));

		if (strlen(state) == 5 && strspn(state, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 5 &&
			strncmp(state, "00", 2) != 0 && strncmp(state, "01", 2) != 0 &&
			strncmp(state, "02", 2) != 0)
			sqlerrcode = MAKE_SQLSTATE(state[0], state[1], state[2], state[3], state[4]);
	}
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a refusal needs a message")));
	if (!PG_ARGISNULL(4))
	{
		ArrayType  *array = PG_GETARG_ARRAYTYPE_P(4);

		if (ARR_ELEMTYPE(array) == TEXTOID)
			deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &args, &nulls, &nargs);
	}
	message = refusal_format(translated(PG_GETARG_DATUM(1)), args, nulls, nargs);
	if (!PG_ARGISNULL(2))
		detail = refusal_format(translated(PG_GETARG_DATUM(2)), args, nulls, nargs);
	if (!PG_ARGISNULL(3))
		hint = refusal_format(translated(PG_GETARG_DATUM(3)), args, nulls, nargs);
	ereport(ERROR,
			(errcode(sqlerrcode),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
	PG_RETURN_VOID();
}

/*
 * Is the session's role (as SET ROLE left it, outside any SECURITY DEFINER
 * function) a superuser?  Read from the setting is_superuser, which needs
 * no catalog access: the hook runs before the failed transaction is
 * cleaned up.
 */
static bool
role_is_superuser(void)
{
	const char *value = GetConfigOption("is_superuser", true, false);

	return value != NULL && strcmp(value, "on") == 0;
}

/*
 * The CONTEXT of a pointsys error, as a writer below the owner sees it:
 * COPY's frames only (NULL when there is none).  The server log keeps the
 * whole CONTEXT after the detail.
 */
static void
hide_context(ErrorData *edata)
{
	StringInfoData kept;
	char	   *lines;
	char	   *line;
	char	   *next;

	if (edata->elevel < ERROR || edata->context == NULL ||
		edata->domain == NULL || strcmp(edata->domain, TEXTDOMAIN) != 0 ||
		role_is_superuser())
		return;
	if (edata->detail_log == NULL)
		edata->detail_log = psprintf("%s%scontext not sent to the client:\n%s",
									 edata->detail ? edata->detail : "",
									 edata->detail ? "\n" : "", edata->context);
	initStringInfo(&kept);
	lines = pstrdup(edata->context);
	for (line = lines; line != NULL; line = next)
	{
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (strncmp(line, "COPY ", 5) == 0)
			appendStringInfo(&kept, "%s%s", kept.len > 0 ? "\n" : "", line);
	}
	edata->context = kept.len > 0 ? kept.data : NULL;
}

static void
refusal_emit_log(ErrorData *edata)
{
	MemoryContext old = MemoryContextSwitchTo(ErrorContext);

	duplicate_key_detail(edata);
	hide_context(edata);
	MemoryContextSwitchTo(old);
	if (prev_emit_log_hook)
		prev_emit_log_hook(edata);
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
		edata->detail = psprintf(_("Key %s already exists."), key_text);
}

void
refusal_register_hook(void)
{
	prev_emit_log_hook = emit_log_hook;
	emit_log_hook = refusal_emit_log;
}
