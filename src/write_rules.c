/*
 * write_rules.c
 *		The write rules of the ledger (doc/contract.md §3), as BEFORE ROW
 *		triggers: score_check, award_check, evaluation_check,
 *		sanction_check.
 *
 * Per row they only look at the row and at backend-local caches
 * (caches.c), so a COPY of a year's spreadsheet costs one query per
 * member, not one per row.  A score or award row is first checked against
 * the writer's row-level security (row_security.c), so that a recorder
 * writing for a member outside their branches learns nothing from the
 * refusal; then every refusal names the member, the month (or year), the
 * item (or award kind) and the limit, with the SQLSTATE that
 * doc/contract.md §3 gives it, and carries the table, the column and a
 * constraint name of its own (refusal.c; README's error table), the
 * offending value in its detail.
 *
 * The stamps recorded_by and recorded_at of score and award are set here to
 * the current user and the transaction's start, whatever the writer gave
 * (a superuser's values are kept: pg_restore brings the original stamps).
 */
#include "pointsys.h"

#include "caches.h"
#include "member_cache.h"
#include "dates.h"
#include "fixedpoint.h"
#include "month_key.h"
#include "numeric_points.h"
#include "quarter_check.h"
#include "refusal.h"
#include "row_security.h"
#include "rules.h"
#include "text_limits.h"
#include "trigger_check.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/timestamp.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/rls.h"

PG_FUNCTION_INFO_V1(score_check);
PG_FUNCTION_INFO_V1(award_check);
PG_FUNCTION_INFO_V1(evaluation_check);
PG_FUNCTION_INFO_V1(sanction_check);
PG_FUNCTION_INFO_V1(ledger_delete_check);

/* The columns each trigger reads, in this order */
enum
{
	SCORE_MEMBER, SCORE_MONTH, SCORE_ITEM, SCORE_POINTS, SCORE_BY, SCORE_AT, SCORE_NOTE
};
enum
{
	AWARD_MEMBER, AWARD_MONTH, AWARD_KIND, AWARD_BY, AWARD_AT, AWARD_DESCRIPTION
};
enum
{
	EVALUATION_MEMBER, EVALUATION_YEAR, EVALUATION_DEMOCRATIC
};
enum
{
	SANCTION_MEMBER, SANCTION_KIND, SANCTION_NOTE
};

static const TriggerTable score_table = {
	"score", 7, {
		{"member_id", TEXTOID}, {"month", DATEOID}, {"item", TEXTOID},
		{"points", NUMERICOID}, {"recorded_by", NAMEOID}, {"recorded_at", TIMESTAMPTZOID},
		{"note", TEXTOID}
	}
};
static const TriggerRule score_rule = {
	"score_check", true,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, 0,
	NULL, 1, &score_table
};

static const TriggerTable award_table = {
	"award", 6, {
		{"member_id", TEXTOID}, {"month", DATEOID}, {"kind", TEXTOID},
		{"recorded_by", NAMEOID}, {"recorded_at", TIMESTAMPTZOID}, {"description", TEXTOID}
	}
};
static const TriggerRule award_rule = {
	"award_check", true,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, 0,
	NULL, 1, &award_table
};

static const TriggerTable evaluation_table = {
	"evaluation", 3, {
		{"member_id", TEXTOID}, {"year", INT4OID}, {"democratic", NUMERICOID}
	}
};
static const TriggerRule evaluation_rule = {
	"evaluation_check", true, TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE, 0,
	NULL, 1, &evaluation_table
};

static const TriggerTable sanction_table = {
	"sanction", 3, {{"member_id", TEXTOID}, {"kind", TEXTOID}, {"note", TEXTOID}}
};
static const TriggerRule sanction_rule = {
	"sanction_check", true, TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE, 0,
	NULL, 1, &sanction_table
};

/* The deleted rows' member and month, in score and award */
enum
{
	DELETED_MEMBER, DELETED_MONTH
};
static const TriggerTable deleted_tables[] = {
	{"score", 2, {{"member_id", TEXTOID}, {"month", DATEOID}}},
	{"award", 2, {{"member_id", TEXTOID}, {"month", DATEOID}}}
};
static const TriggerRule delete_rule = {
	"ledger_delete_check", false, 0, TRIGGER_TYPE_DELETE,
	NULL, lengthof(deleted_tables), deleted_tables
};

/* A row being written, with the columns its trigger reads */
typedef struct Row
{
	TriggerFiring firing;
	HeapTuple	tuple;			/* the new row; the old one for a DELETE */
	Datum		values[TRIGGER_MAX_COLUMNS];
	bool		nulls[TRIGGER_MAX_COLUMNS];
} Row;

/* Check the firing against rule and read the columns of the row */
static void
read_row(FunctionCallInfo fcinfo, const TriggerRule *rule, Row *row)
{
	TriggerData *trigdata;
	int			i;

	TupleDesc	desc;
	Datum	   *values;
	bool	   *nulls;

	trigger_check(fcinfo, rule, &row->firing);
	trigdata = row->firing.trigdata;
	row->tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	/* one pass over the row: reading column by column is quadratic */
	desc = RelationGetDescr(trigdata->tg_relation);
	values = palloc(desc->natts * sizeof(Datum));
	nulls = palloc(desc->natts * sizeof(bool));
	heap_deform_tuple(row->tuple, desc, values, nulls);
	for (i = 0; i < row->firing.table->ncolumns; i++)
	{
		row->values[i] = values[row->firing.attnums[i] - 1];
		row->nulls[i] = nulls[row->firing.attnums[i] - 1];
	}
}

/* The name of a rule of rel: "score_month_not_future" */
static const char *
rule_name(Relation rel, const char *rule)
{
	return psprintf("%s_%s", RelationGetRelationName(rel), rule);
}

/*
 * The month of a score or award row.  An infinite date, or one whose
 * month's first day PostgreSQL cannot store (November 4714 BC), is
 * refused here, with the row's table and column.
 */
static void
row_month(Row *row, int month_col, LedgerMonth *month)
{
	Relation	rel = row->firing.trigdata->tg_relation;
	DateADT		date = DatumGetDateADT(row->values[month_col]);

	if (DATE_NOT_FINITE(date) ||
		date < date2j(-4713, 12, 1) - POSTGRES_EPOCH_JDATE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("month of date %s cannot be stored",
						DATE_NOT_FINITE(date) ?
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(date))) :
						date_text(date)),
				 errdetail("A month is stored as its first day, which must be a finite date from 4714-12-01 BC on."),
				 errfield(rel, "month", rule_name(rel, "month_range"))));
	ledger_month(date, month);
}

/* Refuse a month after the current one */
static void
check_not_future(Relation rel, const LedgerMonth *month, const char *member_id, const char *what)
{
	int			year;
	int			current;

	current_year_month(&year, &current);
	if (month->year > year || (month->year == year && month->month > current))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("month %s of %s for member \"%s\" is in the future",
						month->label, what, member_id),
				 errdetail("The month is %s; the current month is %04d-%02d.",
						   month->label, year, current),
				 errfield(rel, "month", rule_name(rel, "month_not_future"))));
}

/*
 * Refuse a month before July 1921, when the Communist Party of China was
 * founded: no ledger month can precede it (a two-digit year typed for a
 * four-digit one, 0026 for 2026, lands here)
 */
static void
check_after_founding(Relation rel, const LedgerMonth *month, const char *member_id,
					 const char *what)
{
	if (month->year < FOUNDING_YEAR ||
		(month->year == FOUNDING_YEAR && month->month < FOUNDING_MONTH))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("month %s of %s for member \"%s\" is before July 1921",
						month->label, what, member_id),
				 errdetail("The month is %s; the Communist Party of China was founded in July 1921, and the ledger has no earlier month.",
						   month->label),
				 errhint("Check the year: a two-digit year such as 0026 is read as the year 26."),
				 errfield(rel, "month", rule_name(rel, "month_after_founding"))));
}

/*
 * The member, who must exist and belong to the party at some time between
 * first and last: joined on or before last, left on or after first.
 * when_column is the column that dates the row (month, year).
 */
static const MemberInfo *
check_member(Relation rel, const char *member_id, DateADT first, DateADT last,
			 const char *when, const char *when_column, const char *what)
{
	const MemberInfo *member = member_info(member_id);

	if (!member->exists)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("member \"%s\" does not exist", member_id),
				 errdetail("The member is \"%s\"; the row is %s, %s.", member_id, what, when),
				 errfield(rel, "member_id", rule_name(rel, "member_id_fkey"))));
	if (member->joined_on > last || member->left_on < first)
	{
		const char *name = member_name(member);

		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("member \"%s\" does not belong to the party in %s (%s)",
						member_id, when, what),
				 member->joined_on > last ?
				 errdetail("Member \"%s\" (%s) joined on %s.", member_id, name,
						   date_text(member->joined_on)) :
				 errdetail("Member \"%s\" (%s) left on %s.", member_id, name,
						   date_text(member->left_on)),
				 errfield(rel, when_column, rule_name(rel, "member_in_party"))));
	}
	return member;
}

/* text in double quotes, as messages name ids ("m12") */
static const char *
quoted(const char *text)
{
	return psprintf("\"%s\"", text);
}

/*
 * Row security first: a new score or award row for a member the writer may
 * not record is refused before anything else about it is looked at, so
 * that the refusal tells nothing but the row sent: its member, month and
 * item (a score) or kind (an award, award true) (row_security.c).
 */
static void
check_writer(Row *row, int member_col, int month_col, int item_col, bool award)
{
	DateADT		month;
	const char *member_id;

	if (TRIGGER_FIRED_BY_DELETE(row->firing.trigdata->tg_event))
		return;
	month = row->nulls[month_col] ? 0 : DatumGetDateADT(row->values[month_col]);
	member_id = row->nulls[member_col] ? NULL : TextDatumGetCString(row->values[member_col]);
	if (!row_security_allows(row->firing.trigdata->tg_relation, member_id,
							 row->nulls[month_col] ? NULL : &month, NULL))
	{
		const char *member = member_id ? quoted(member_id) : "NULL";
		const char *when = row->nulls[month_col] ? "NULL" : month_text(month);
		const char *item = row->nulls[item_col] ? "NULL" :
		quoted(TextDatumGetCString(row->values[item_col]));

		refuse_row(row->firing.trigdata->tg_relation, member_id,
				   row->nulls[month_col] ? NULL : &month,
				   award ? psprintf(_("The row sent: member %s, %s, award %s."), member, when, item) :
				   psprintf(_("The row sent: member %s, %s, item %s."), member, when, item));
	}
}

/*
 * Is there nothing more to check: a DELETE, or a key column (the first
 * nkeys) left NULL, for the NOT NULL constraints to report?
 */
static bool
nothing_to_check(const Row *row, int nkeys)
{
	int			i;

	if (TRIGGER_FIRED_BY_DELETE(row->firing.trigdata->tg_event))
		return true;
	for (i = 0; i < nkeys; i++)
		if (row->nulls[i])
			return true;
	return false;
}

/*
 * The row's note (or description) within its limit (text_limits.c); month
 * and what, when given, name the row in the message with its member.
 */
static void
check_note(Row *row, int note_col, const char *member_id, const char *month, const char *what)
{
	TriggerData *trigdata = row->firing.trigdata;
	Datum		old = (Datum) 0;
	bool		old_null = true;

	if (row->nulls[note_col] || text_over_limit(row->values[note_col], NOTE_MAX_CHARS) < 0)
		return;
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		old = trigger_column(&row->firing, trigdata->tg_trigtuple, note_col, &old_null);
	check_text_limit(trigdata->tg_relation, row->firing.table->columns[note_col].name,
					 NOTE_MAX_CHARS, row->values[note_col], false, old_null ? NULL : &old,
					 month == NULL ? psprintf(_("member \"%s\""), member_id) :
					 psprintf(_("member \"%s\", %s, %s"), member_id, month, what));
}

/*
 * The checks common to score and award rows: a month that is not in the
 * future, of a member who belongs to the party then, in a quarter that is
 * still recording in the branch the member belonged to that month.  Returns the row as it is stored: the month moved to its
 * first day and, unless a superuser writes it, stamped with the current
 * user and the transaction's start.
 */
static HeapTuple
check_member_month(Row *row, int member_col, int month_col, int by_col, int at_col,
				   const char *what, const LedgerMonth *month)
{
	Relation	rel = row->firing.trigdata->tg_relation;
	const char *member_id = TextDatumGetCString(row->values[member_col]);
	const MemberInfo *member;
	int			cols[3];
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			n = 0;

	check_not_future(rel, month, member_id, what);
	check_after_founding(rel, month, member_id, what);
	lock_member(member_id);
	member = check_member(rel, member_id, month->start, month->end, month->label, "month", what);
	check_quarter_recording(rel, member_branch_at(member, month->start), month->year, month->month,
							member_id, what);

	if (DatumGetDateADT(row->values[month_col]) != month->start)
	{
		cols[n] = row->firing.attnums[month_col];
		values[n++] = DateADTGetDatum(month->start);
	}
	if (!superuser())
	{
		cols[n] = row->firing.attnums[by_col];
		values[n++] = DirectFunctionCall1(namein,
										  CStringGetDatum(GetUserNameFromId(GetUserId(), false)));
		cols[n] = row->firing.attnums[at_col];
		values[n++] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	}
	if (n == 0)
		return row->tuple;
	return heap_modify_tuple_by_cols(row->tuple,
									 RelationGetDescr(row->firing.trigdata->tg_relation),
									 n, cols, values, nulls);
}

/*
 * A member-month's row is changed or deleted: the quarter of the branch the
 * member belonged to that month must be recording.  Unlike a new row, this
 * needs no lock of the member's row: a change of membership that would
 * move the month to another branch sees the row (committed or not yet
 * deleted) and asks for that branch's quarter to be recording too.
 */
static void
check_month_left(Relation rel, const char *member_id, DateADT date, const char *what)
{
	const MemberInfo *member = member_info(member_id);
	int			year;
	int			month;

	date_year_month(date, &year, &month);
	if (member->exists)
		check_quarter_recording(rel, member_branch_at(member, date), year, month, member_id, what);
}

/*
 * An UPDATE or DELETE of a score or award row: the quarter the row leaves
 * (of the branch the member belonged to in its month) must still be
 * recording.  (Row security has already hidden the rows of
 * other branches from a recorder.)
 */
static void
check_old_row(Row *row, int member_col, int month_col, const char *what)
{
	TriggerData *trigdata = row->firing.trigdata;
	HeapTuple	old = trigdata->tg_trigtuple;
	bool		member_null;
	bool		month_null;
	Datum		member_id;
	Datum		date;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		return;
	member_id = trigger_column(&row->firing, old, member_col, &member_null);
	date = trigger_column(&row->firing, old, month_col, &month_null);
	if (!member_null && !month_null)
		check_month_left(trigdata->tg_relation, TextDatumGetCString(member_id),
						 DatumGetDateADT(date), what);
}

/*
 * score: points of a known item, from 0 to its maximum, in its step, for a
 * member in the party, in a month that is not in the future.
 */
Datum
score_check(PG_FUNCTION_ARGS)
{
	Row			row;
	LedgerMonth month;
	const char *member_id;
	const char *item_code;
	const RulebookItem *item;
	int64		points;
	static char what[128];
	static char what_item[128]; /* the item what names */
	static char words_locale[64];	/* the lc_messages of the words below */
	static const char *a_score;
	static const char *item_format;
	const char *locale = locale_messages ? locale_messages : "";
	Relation	rel;

	/* translated again only when lc_messages changes: gettext locks per call */
	if (a_score == NULL || strcmp(words_locale, locale) != 0)
	{
		a_score = _("a score");
		item_format = _("item \"%s\"");
		strlcpy(words_locale, locale, sizeof(words_locale));
		what_item[0] = '\0';
	}
	read_row(fcinfo, &score_rule, &row);
	check_writer(&row, SCORE_MEMBER, SCORE_MONTH, SCORE_ITEM, false);
	check_old_row(&row, SCORE_MEMBER, SCORE_MONTH, a_score);
	if (nothing_to_check(&row, SCORE_POINTS + 1))
		return PointerGetDatum(row.tuple);

	rel = row.firing.trigdata->tg_relation;
	member_id = TextDatumGetCString(row.values[SCORE_MEMBER]);
	item_code = TextDatumGetCString(row.values[SCORE_ITEM]);
	row_month(&row, SCORE_MONTH, &month);

	item = rulebook_item(item_code);
	if (item == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("item \"%s\" is not in the rulebook", item_code),
				 errdetail("The item is \"%s\"; member \"%s\", %s.", item_code, member_id, month.label),
				 errhint("The items are listed in pointsys.item."),
				 errfield(rel, "item", "score_item_fkey")));

	switch (points_from_numeric(row.values[SCORE_POINTS], &points))
	{
		case FX_OK:
		case FX_RANGE:			/* ±FX_LIMIT: beyond the maximum or below 0 */
			break;
		case FX_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("points %s of item \"%s\" are not a finite number",
							numeric_text(row.values[SCORE_POINTS]), item->item),
					 errdetail("The points are %s; member \"%s\", %s; the item is %s.",
							   numeric_text(row.values[SCORE_POINTS]), member_id, month.label,
							   item->title),
					 errfield(rel, "points", "score_points_finite")));
			break;
		case FX_PRECISION:
			points = 1;			/* finer than any step */
			break;
	}
	if (points > item->max_points)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("points %s exceed the maximum %s of item \"%s\"",
						numeric_text(row.values[SCORE_POINTS]), points_text(item->max_points),
						item->item),
				 errdetail("The points are %s; member \"%s\", %s; the item is %s.",
						   numeric_text(row.values[SCORE_POINTS]), member_id, month.label,
						   item->title),
				 errfield(rel, "points", "score_points_max")));
	if (points < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("points %s of item \"%s\" are below the minimum 0",
						numeric_text(row.values[SCORE_POINTS]), item->item),
				 errdetail("The points are %s; member \"%s\", %s; the item is %s.",
						   numeric_text(row.values[SCORE_POINTS]), member_id, month.label,
						   item->title),
				 errfield(rel, "points", "score_points_min")));
	if (!fx_is_multiple(points, item->step))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("points %s of item \"%s\" are not a multiple of the step %s",
						numeric_text(row.values[SCORE_POINTS]), item->item,
						points_text(item->step)),
				 errdetail("The points are %s; member \"%s\", %s; the item is %s.",
						   numeric_text(row.values[SCORE_POINTS]), member_id, month.label,
						   item->title),
				 errfield(rel, "points", "score_points_step")));

	/* formatted once per item (and language), not per row */
	if (strcmp(what_item, item->item) != 0)
	{
		snprintf(what, sizeof(what), item_format, item->item);
		strlcpy(what_item, item->item, sizeof(what_item));
	}
	check_note(&row, SCORE_NOTE, member_id, month.label, what);
	row.tuple = check_member_month(&row, SCORE_MEMBER, SCORE_MONTH, SCORE_BY,
								   SCORE_AT, what, &month);
	if (check_enable_rls(RelationGetRelid(rel), InvalidOid, true) == RLS_ENABLED)
		remember_score_key(member_id, month.start, item->item);
	return PointerGetDatum(row.tuple);
}

/* award: a known kind, for a member in the party, in a past or current month */
Datum
award_check(PG_FUNCTION_ARGS)
{
	Row			row;
	LedgerMonth month;
	const char *kind;
	char		what[128];

	read_row(fcinfo, &award_rule, &row);
	check_writer(&row, AWARD_MEMBER, AWARD_MONTH, AWARD_KIND, true);
	check_old_row(&row, AWARD_MEMBER, AWARD_MONTH, _("an award"));
	if (nothing_to_check(&row, AWARD_KIND + 1))
		return PointerGetDatum(row.tuple);

	kind = TextDatumGetCString(row.values[AWARD_KIND]);
	row_month(&row, AWARD_MONTH, &month);
	if (rulebook_award_kind(kind) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("award kind \"%s\" is not in the rulebook", kind),
				 errdetail("The kind is \"%s\"; member \"%s\", %s.", kind,
						   TextDatumGetCString(row.values[AWARD_MEMBER]), month.label),
				 errhint("The kinds are listed in pointsys.award_kind."),
				 errfield(row.firing.trigdata->tg_relation, "kind", "award_kind_fkey")));

	snprintf(what, sizeof(what), _("award \"%s\""), kind);
	check_note(&row, AWARD_DESCRIPTION, TextDatumGetCString(row.values[AWARD_MEMBER]),
			   month.label, what);
	return PointerGetDatum(check_member_month(&row, AWARD_MEMBER, AWARD_MONTH, AWARD_BY,
											  AWARD_AT, what, &month));
}

/*
 * evaluation: a democratic score from 0 to 100 for a member in the party
 * during that year, not after the current year.  (Only pointsys_admin
 * writes evaluations: the table has no row security.)
 */
Datum
evaluation_check(PG_FUNCTION_ARGS)
{
	Row			row;
	const char *member_id;
	int32		year;
	int			current_year;
	int			current_month;
	int64		democratic;
	char		when[32];
	Relation	rel;

	read_row(fcinfo, &evaluation_rule, &row);
	if (nothing_to_check(&row, EVALUATION_DEMOCRATIC + 1))
		return PointerGetDatum(row.tuple);

	rel = row.firing.trigdata->tg_relation;
	member_id = TextDatumGetCString(row.values[EVALUATION_MEMBER]);
	year = DatumGetInt32(row.values[EVALUATION_YEAR]);
	snprintf(when, sizeof(when), "%d", year);

	if (points_from_numeric(row.values[EVALUATION_DEMOCRATIC], &democratic) != FX_OK ||
		democratic < 0 || democratic > FX_MAX_SCORE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("democratic score %s of member \"%s\" for %d is out of range",
						numeric_text(row.values[EVALUATION_DEMOCRATIC]), member_id, year),
				 errdetail("The score is %s; democratic scores range from 0 to 100, with at most %d decimals.",
						   numeric_text(row.values[EVALUATION_DEMOCRATIC]), FX_DECIMALS),
				 errfield(rel, "democratic", "evaluation_democratic_range")));

	current_year_month(&current_year, &current_month);
	if (year < FOUNDING_YEAR)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("evaluation year %d of member \"%s\" is before 1921", year, member_id),
				 errdetail("The year is %d; the Communist Party of China was founded in July 1921, and the ledger has no earlier year.",
						   year),
				 errhint("Check the year: a two-digit year such as 26 is read as the year 26."),
				 errfield(rel, "year", "evaluation_year_after_founding")));
	if (year > current_year)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("evaluation year %d of member \"%s\" is out of range", year, member_id),
				 errdetail("The year is %d; the current year is %d.", year, current_year),
				 errfield(rel, "year", "evaluation_year_not_future")));

	check_member(rel, member_id,
				 date2j(year, 1, 1) - POSTGRES_EPOCH_JDATE,
				 date2j(year, 12, 31) - POSTGRES_EPOCH_JDATE,
				 when, "year", _("democratic evaluation"));
	return PointerGetDatum(row.tuple);
}

/* sanction: one of the six kinds (only pointsys_admin writes sanctions) */
Datum
sanction_check(PG_FUNCTION_ARGS)
{
	Row			row;
	text	   *kind;
	SanctionKind parsed;

	read_row(fcinfo, &sanction_rule, &row);
	if (nothing_to_check(&row, SANCTION_KIND + 1))
		return PointerGetDatum(row.tuple);

	kind = DatumGetTextPP(row.values[SANCTION_KIND]);
	if (!sanction_parse(VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind), &parsed))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown sanction kind \"%s\" for member \"%s\"",
						text_to_cstring(kind), TextDatumGetCString(row.values[SANCTION_MEMBER])),
				 errdetail("The kind is \"%s\".", text_to_cstring(kind)),
				 errhint(SANCTION_KINDS_HINT),
				 errfield(row.firing.trigdata->tg_relation, "kind", "sanction_kind_valid")));
	check_note(&row, SANCTION_NOTE, TextDatumGetCString(row.values[SANCTION_MEMBER]), NULL, NULL);
	return PointerGetDatum(row.tuple);
}

/*
 * AFTER DELETE FOR EACH STATEMENT on score and award: the quarter of every
 * member-month whose rows the statement deleted must be recording.  Checked
 * once per member-month over the deleted rows, where a BEFORE ROW trigger
 * made PostgreSQL fetch each row again before deleting it; a refusal still
 * undoes the whole statement.  (Row security has already hidden the rows of
 * other branches from a recorder.)
 */
Datum
ledger_delete_check(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	Relation	rel;
	TupleTableSlot *slot;
	AttrNumber	member_att;
	AttrNumber	month_att;
	const char *what;
	HTAB	   *checked;
	const char **members;		/* their members, one after another */
	int			nmembers = 0;
	MonthKey  **months;			/* the member-months, in the order of the rows */
	int			nmonths = 0;
	int			size = 256;
	MonthKey   *last = NULL;
	int			i;

	trigger_check(fcinfo, &delete_rule, &firing);
	trigdata = firing.trigdata;
	if (trigdata->tg_oldtable == NULL)
		elog(ERROR, "ledger_delete_check: needs the old rows (REFERENCING OLD TABLE)");
	rel = trigdata->tg_relation;
	what = trigger_fired_on(&firing, "score") ? _("a score") : _("an award");
	member_att = firing.attnums[DELETED_MEMBER];
	month_att = firing.attnums[DELETED_MONTH];

	checked = month_key_table("pointsys deleted member-months", 256, sizeof(MonthKey));
	months = palloc(size * sizeof(MonthKey *));
	members = palloc(size * sizeof(char *));
	slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	trigger_rows_rewind(trigdata->tg_oldtable);
	while (tuplestore_gettupleslot(trigdata->tg_oldtable, true, false, slot))
	{
		bool		member_null;
		bool		month_null;
		Datum		member = slot_getattr(slot, member_att, &member_null);
		Datum		month = slot_getattr(slot, month_att, &month_null);
		MonthKey	key;
		bool		found;

		if (member_null || month_null ||
			(last != NULL && month_key_is(last, member, DatumGetDateADT(month))))
			continue;
		key.member_id = TextDatumGetCString(member);
		key.month = DatumGetDateADT(month);
		last = hash_search(checked, &key, HASH_ENTER, &found);
		if (found)
			continue;
		if (nmonths == size)
		{
			size *= 2;
			months = repalloc(months, size * sizeof(MonthKey *));
			members = repalloc(members, size * sizeof(char *));
		}
		months[nmonths++] = last;
		/* a member's months come together: their member once */
		if (nmembers == 0 || strcmp(members[nmembers - 1], last->member_id) != 0)
			members[nmembers++] = last->member_id;
	}

	/* the member cache reads those it does not hold in one query */
	member_cache_expect(members, nmembers);
	for (i = 0; i < nmonths; i++)
		check_month_left(rel, months[i]->member_id, months[i]->month, what);
	ExecDropSingleTupleTableSlot(slot);
	pfree(members);
	hash_destroy(checked);
	return PointerGetDatum(NULL);
}
