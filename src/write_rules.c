/*
 * write_rules.c
 *		The write rules of the ledger (SPEC §2), as BEFORE ROW triggers:
 *		score_check, award_check, evaluation_check, sanction_check.
 *
 * Per row they only look at the row and at backend-local caches
 * (rulebook.c), so a COPY of a year's spreadsheet costs one query per
 * member, not one per row.  Every refusal names the member, the month (or
 * year), the item (or award kind) and the limit, with its own SQLSTATE:
 *
 *	22003	points or democratic score outside their range
 *	23514	points not in the item's step
 *	22008	a month (or evaluation year) after the current one
 *	23503	unknown member, item or award kind; member not in the party then
 *	22023	unknown sanction kind
 *	55000	the member-month's quarter is no longer 'recording' (process.c)
 */
#include "rulebook.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(score_check);
PG_FUNCTION_INFO_V1(award_check);
PG_FUNCTION_INFO_V1(evaluation_check);
PG_FUNCTION_INFO_V1(sanction_check);

#define MAX_COLUMNS 4

/* Attribute numbers of the columns a trigger reads, per relation */
typedef struct ColumnCache
{
	Oid			relid;
	int			attnums[MAX_COLUMNS];
} ColumnCache;

/* A row being written, with the columns the trigger reads */
typedef struct Row
{
	TriggerData *trigdata;
	HeapTuple	tuple;
	int		   *attnums;
	Datum		values[MAX_COLUMNS];
	bool		nulls[MAX_COLUMNS];
	bool		anynull;
} Row;

/* A calendar month of the ledger */
typedef struct LedgerMonth
{
	int			year;
	int			month;
	DateADT		start;			/* its first day */
	DateADT		end;			/* its last day */
	char		label[16];		/* "2024-03" */
} LedgerMonth;

/*
 * Check the trigger context (BEFORE ... FOR EACH ROW) and read the named
 * columns of the new row (of the old one for a DELETE).
 */
static void
read_row(FunctionCallInfo fcinfo, const char *trigger, const char *const *names,
		 int ncolumns, Row *row)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	ColumnCache *cache;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: not called by trigger manager", trigger)));
	if (!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired BEFORE INSERT, UPDATE or DELETE FOR EACH ROW", trigger)));

	desc = RelationGetDescr(trigdata->tg_relation);
	cache = (ColumnCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL || cache->relid != RelationGetRelid(trigdata->tg_relation))
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ColumnCache));
		for (i = 0; i < ncolumns; i++)
		{
			cache->attnums[i] = SPI_fnumber(desc, names[i]);
			if (cache->attnums[i] <= 0)
				elog(ERROR, "%s: table \"%s\" has no column \"%s\"", trigger,
					 RelationGetRelationName(trigdata->tg_relation), names[i]);
		}
		cache->relid = RelationGetRelid(trigdata->tg_relation);
		fcinfo->flinfo->fn_extra = cache;
	}

	row->trigdata = trigdata;
	row->tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	row->attnums = cache->attnums;
	row->anynull = false;
	for (i = 0; i < ncolumns; i++)
	{
		row->values[i] = heap_getattr(row->tuple, cache->attnums[i], desc, &row->nulls[i]);
		row->anynull |= row->nulls[i];
	}
}

static char *date_text(DateADT date);

/* The month containing date; months are stored as their first day */
static void
ledger_month(DateADT date, LedgerMonth *month)
{
	int			next_year;
	int			next_month;

	date_year_month(date, &month->year, &month->month);
	next_year = month->year + (month->month == 12);
	next_month = month->month % 12 + 1;
	month->start = date2j(month->year, month->month, 1) - POSTGRES_EPOCH_JDATE;
	month->end = date2j(next_year, next_month, 1) - POSTGRES_EPOCH_JDATE - 1;
	if (month->year > 0)
		snprintf(month->label, sizeof(month->label), "%04d-%02d", month->year, month->month);
	else
		snprintf(month->label, sizeof(month->label), "%04d-%02d BC", 1 - month->year, month->month);
	/* the first month PostgreSQL knows starts on its 24th (4714-11-24 BC) */
	if (!IS_VALID_DATE(month->start))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("month %s of date %s cannot be stored: its first day is out of range",
						month->label, date_text(date))));
}

/* A finite date as YYYY-MM-DD (BC), whatever DateStyle says */
static char *
date_text(DateADT date)
{
	int			year;
	int			month;
	int			day;

	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	if (year > 0)
		return psprintf("%04d-%02d-%02d", year, month, day);
	return psprintf("%04d-%02d-%02d BC", 1 - year, month, day);
}

/* Refuse a month after the current one */
static void
check_not_future(const LedgerMonth *month, const char *member_id, const char *what)
{
	int			year;
	int			current;

	date_year_month(GetSQLCurrentDate(), &year, &current);
	if (month->year > year || (month->year == year && month->month > current))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("month %s of %s for member \"%s\" is in the future",
						month->label, what, member_id),
				 errdetail("The current month is %04d-%02d.", year, current)));
}

/*
 * The member, who must exist and belong to the party at some time between
 * first and last: joined on or before last, left on or after first.
 */
static const MemberInfo *
check_member(const char *member_id, DateADT first, DateADT last,
			 const char *when, const char *what)
{
	const MemberInfo *member = member_info(member_id);

	if (!member->exists)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("member \"%s\" does not exist (%s, %s)", member_id, what, when)));
	if (member->joined_on > last)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("member \"%s\" does not belong to the party in %s (%s)",
						member_id, when, what),
				 errdetail("Member \"%s\" (%s) joined on %s.", member_id, member->name,
						   date_text(member->joined_on))));
	if (member->left_on < first)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("member \"%s\" does not belong to the party in %s (%s)",
						member_id, when, what),
				 errdetail("Member \"%s\" (%s) left on %s.", member_id, member->name,
						   date_text(member->left_on))));
	return member;
}

/*
 * The checks common to score and award rows: a month that is not in the
 * future, of a member who belongs to the party then, in a quarter that is
 * still recording.  Returns the row with the month moved to its first day.
 */
static HeapTuple
check_member_month(Row *row, int member_col, int month_col, const char *what,
				   const LedgerMonth *month)
{
	const char *member_id = TextDatumGetCString(row->values[member_col]);
	int			attnum = row->attnums[month_col];
	Datum		start = DateADTGetDatum(month->start);
	bool		isnull = false;

	const MemberInfo *member;

	check_not_future(month, member_id, what);
	member = check_member(member_id, month->start, month->end, month->label, what);
	check_quarter_recording(member->branch_id, month->year, month->month, member_id, what);

	if (DatumGetDateADT(row->values[month_col]) == month->start)
		return row->tuple;
	return heap_modify_tuple_by_cols(row->tuple,
									 RelationGetDescr(row->trigdata->tg_relation),
									 1, &attnum, &start, &isnull);
}

/*
 * An UPDATE or DELETE of a score or award row: the quarter the row leaves
 * must still be recording.  Returns true for a DELETE, which needs no more.
 */
static bool
check_old_row(Row *row, int member_col, int month_col, const char *what)
{
	TriggerData *trigdata = row->trigdata;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	old = trigdata->tg_trigtuple;
	bool		member_null;
	bool		month_null;
	Datum		member_id;
	Datum		date;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		return false;
	member_id = heap_getattr(old, row->attnums[member_col], desc, &member_null);
	date = heap_getattr(old, row->attnums[month_col], desc, &month_null);
	if (!member_null && !month_null)
	{
		const char *id = TextDatumGetCString(member_id);
		const MemberInfo *member = member_info(id);
		int			year;
		int			month;

		date_year_month(DatumGetDateADT(date), &year, &month);
		if (member->exists)
			check_quarter_recording(member->branch_id, year, month, id, what);
	}
	return TRIGGER_FIRED_BY_DELETE(trigdata->tg_event);
}

/*
 * score: points of a known item, from 0 to its maximum, in its step, for a
 * member in the party, in a month that is not in the future.
 */
Datum
score_check(PG_FUNCTION_ARGS)
{
	static const char *const columns[] = {"member_id", "month", "item", "points"};
	Row			row;
	LedgerMonth month;
	const char *member_id;
	const char *item_code;
	const RulebookItem *item;
	int64		points;
	char		what[128];

	read_row(fcinfo, "score_check", columns, 4, &row);
	if (check_old_row(&row, 0, 1, "a score"))
		return PointerGetDatum(row.tuple);
	if (row.anynull)
		return PointerGetDatum(row.tuple);	/* NOT NULL constraints report it */

	member_id = TextDatumGetCString(row.values[0]);
	item_code = TextDatumGetCString(row.values[2]);
	ledger_month(DatumGetDateADT(row.values[1]), &month);

	item = rulebook_item(item_code);
	if (item == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("item \"%s\" is not in the rulebook (member \"%s\", %s)",
						item_code, member_id, month.label),
				 errhint("The items are listed in pointsys.item.")));

#define SCORE_CONTEXT(fmt) \
	fmt " of item \"%s\" (%s) for member \"%s\" in %s"
#define SCORE_ARGS item->item, item->title, member_id, month.label

	switch (points_from_numeric(row.values[3], &points))
	{
		case FX_OK:
		case FX_RANGE:			/* ±FX_LIMIT: beyond the maximum or below 0 */
			break;
		case FX_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("points %s of item \"%s\" (%s) for member \"%s\" in %s are not a finite number",
							numeric_text(row.values[3]), SCORE_ARGS)));
			break;
		case FX_PRECISION:
			points = 1;			/* finer than any step */
			break;
	}
	if (points > item->max_points)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg(SCORE_CONTEXT("points %s exceed the maximum %s"),
						numeric_text(row.values[3]), points_text(item->max_points), SCORE_ARGS)));
	if (points < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg(SCORE_CONTEXT("points %s are below the minimum 0"),
						numeric_text(row.values[3]), SCORE_ARGS)));
	if (!fx_is_multiple(points, item->step))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg(SCORE_CONTEXT("points %s are not a multiple of the step %s"),
						numeric_text(row.values[3]), points_text(item->step), SCORE_ARGS)));

	snprintf(what, sizeof(what), "item \"%s\"", item->item);
	return PointerGetDatum(check_member_month(&row, 0, 1, what, &month));
}

/* award: a known kind, for a member in the party, in a past or current month */
Datum
award_check(PG_FUNCTION_ARGS)
{
	static const char *const columns[] = {"member_id", "month", "kind"};
	Row			row;
	LedgerMonth month;
	const char *kind;
	char		what[128];

	read_row(fcinfo, "award_check", columns, 3, &row);
	if (check_old_row(&row, 0, 1, "an award"))
		return PointerGetDatum(row.tuple);
	if (row.anynull)
		return PointerGetDatum(row.tuple);

	kind = TextDatumGetCString(row.values[2]);
	ledger_month(DatumGetDateADT(row.values[1]), &month);
	if (rulebook_award_kind(kind) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("award kind \"%s\" is not in the rulebook (member \"%s\", %s)",
						kind, TextDatumGetCString(row.values[0]), month.label),
				 errhint("The kinds are listed in pointsys.award_kind.")));

	snprintf(what, sizeof(what), "award \"%s\"", kind);
	return PointerGetDatum(check_member_month(&row, 0, 1, what, &month));
}

/*
 * evaluation: a democratic score from 0 to 100 for a member in the party
 * during that year, not after the current year.
 */
Datum
evaluation_check(PG_FUNCTION_ARGS)
{
	static const char *const columns[] = {"member_id", "year", "democratic"};
	Row			row;
	const char *member_id;
	int32		year;
	int			current_year;
	int			current_month;
	int64		democratic;
	char		when[32];

	read_row(fcinfo, "evaluation_check", columns, 3, &row);
	if (TRIGGER_FIRED_BY_DELETE(row.trigdata->tg_event) || row.anynull)
		return PointerGetDatum(row.tuple);

	member_id = TextDatumGetCString(row.values[0]);
	year = DatumGetInt32(row.values[1]);
	snprintf(when, sizeof(when), "%d", year);

	if (points_from_numeric(row.values[2], &democratic) != FX_OK ||
		democratic < 0 || democratic > FX_MAX_SCORE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("democratic score %s of member \"%s\" for %d is out of range",
						numeric_text(row.values[2]), member_id, year),
				 errdetail("Democratic scores range from 0 to 100, with at most %d decimals.",
						   FX_DECIMALS)));

	date_year_month(GetSQLCurrentDate(), &current_year, &current_month);
	if (year > current_year || year < 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("evaluation year %d of member \"%s\" is out of range", year, member_id),
				 errdetail("The current year is %d.", current_year)));

	check_member(member_id,
				 date2j(year, 1, 1) - POSTGRES_EPOCH_JDATE,
				 date2j(year, 12, 31) - POSTGRES_EPOCH_JDATE,
				 when, "democratic evaluation");
	return PointerGetDatum(row.tuple);
}

/* sanction: one of the six kinds */
Datum
sanction_check(PG_FUNCTION_ARGS)
{
	static const char *const columns[] = {"member_id", "kind"};
	Row			row;
	text	   *kind;
	SanctionKind parsed;

	read_row(fcinfo, "sanction_check", columns, 2, &row);
	if (TRIGGER_FIRED_BY_DELETE(row.trigdata->tg_event) || row.anynull)
		return PointerGetDatum(row.tuple);

	kind = DatumGetTextPP(row.values[1]);
	if (!sanction_parse(VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind), &parsed))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown sanction kind \"%s\" for member \"%s\"",
						text_to_cstring(kind), TextDatumGetCString(row.values[0])),
				 errhint(SANCTION_KINDS_HINT)));
	return PointerGetDatum(row.tuple);
}
