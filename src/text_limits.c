/*
 * text_limits.c
 *		The longest free text each column of the ledger keeps.
 *
 * A note or a name is written by one person and read by many: a clerk's
 * remark on a month's item, a member's name on the publicity sheet.  Left
 * unbounded, one writer could store megabytes that every later version
 * copies into the audit trail, which nobody can delete.  So each free-text
 * column has a limit in characters (TextLimit below, doc/contract.md §2);
 * a longer value is refused with 22001 in a BEFORE trigger, before the row
 * and its audit row are written.  A value stored before release 1.5 that
 * is longer is kept: the limit applies to a value written or changed.
 *
 * score, award and sanction check their note in their own write rules
 * (write_rules.c: one trigger per row on the ledger's busiest tables);
 * the other tables have the trigger text_limits of this file.
 */
#include "pointsys.h"

#include "refusal.h"
#include "text_limits.h"
#include "trigger_check.h"

#include "access/detoast.h"
#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(text_limits);

/* The tables of the trigger: their key, then their free-text column */
enum
{
	LIMITED_KEY, LIMITED_TEXT
};
static const TriggerTable limited_tables[] = {
	{"branch", 2, {{"branch_id", TEXTOID}, {"name", TEXTOID}}},
	{"member", 2, {{"member_id", TEXTOID}, {"name", TEXTOID}}},
	{"category", 2, {{"category", TEXTOID}, {"title", TEXTOID}}},
	{"item", 2, {{"item", TEXTOID}, {"title", TEXTOID}}},
	{"award_kind", 2, {{"kind", TEXTOID}, {"title", TEXTOID}}},
	{"mentoring", 2, {{"member_id", TEXTOID}, {"note", TEXTOID}}}
};
static const TriggerRule limits_rule = {
	"text_limits", true, TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE, 0,
	NULL, lengthof(limited_tables), limited_tables
};

/*
 * The length in characters of a text value longer than limit, or -1 when
 * it is within it.  A value of no more bytes than the limit has no more
 * characters either, so most values are never detoasted or counted.
 */
int
text_over_limit(Datum value, int limit)
{
	text	   *t;
	int			length;

	if (toast_raw_datum_size(value) - VARHDRSZ <= (Size) limit)
		return -1;
	t = DatumGetTextPP(value);
	length = pg_mbstrlen_with_len(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	return length > limit ? length : -1;
}

/*
 * Refuse a new value of column (of the row "whose", already written for a
 * message) that is longer than limit.  An UPDATE that leaves the column as
 * it was passes, however long it is.
 */
void
check_text_limit(Relation rel, const char *column, int limit,
				 Datum value, bool isnull, const Datum *old, const char *whose)
{
	int			length;

	if (isnull)
		return;
	length = text_over_limit(value, limit);
	if (length < 0)
		return;
	if (old != NULL && datum_image_eq(value, *old, false, -1))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
			 errmsg("value of column \"%s\" is longer than %d characters", column, limit),
			 errdetail("The value is %d characters long; %s.", length, whose),
			 errhint("Shorten the text to at most %d characters.", limit),
			 errfield(rel, column, NULL)));
}

/*
 * text_limits (BEFORE INSERT OR UPDATE FOR EACH ROW): the free-text column
 * of branch, member, the rulebook and mentoring.
 */
Datum
text_limits(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	HeapTuple	tuple;
	const char *column;
	int			limit;
	bool		isnull;
	bool		key_null;
	Datum		value;
	Datum		key;
	Datum		old = (Datum) 0;
	bool		old_null = true;

	trigger_check(fcinfo, &limits_rule, &firing);
	trigdata = firing.trigdata;
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	column = firing.table->columns[LIMITED_TEXT].name;
	limit = strcmp(column, "note") == 0 ? NOTE_MAX_CHARS : NAME_MAX_CHARS;

	value = trigger_column(&firing, tuple, LIMITED_TEXT, &isnull);
	if (!isnull && text_over_limit(value, limit) >= 0)
	{
		if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
			old = trigger_column(&firing, trigdata->tg_trigtuple, LIMITED_TEXT, &old_null);
		key = trigger_column(&firing, tuple, LIMITED_KEY, &key_null);
		check_text_limit(trigdata->tg_relation, column, limit, value, false,
						 old_null ? NULL : &old,
						 psprintf(_("%s \"%s\""), firing.table->columns[LIMITED_KEY].name,
								  key_null ? "" : TextDatumGetCString(key)));
	}
	return PointerGetDatum(tuple);
}
