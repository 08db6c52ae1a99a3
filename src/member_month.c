/*
 * member_month.c
 *		The month ledger (月度台账): pointsys.member_month holds, for each
 *		member-month with a score or an award, the sum and number of its
 *		score rows and of its award points.  Statement-level triggers on
 *		score and award keep it in step with them, in the same transaction.
 *
 * The annual and quarterly reports aggregate these month rows instead of
 * the score rows, a dozen per member-year instead of two hundred.  Each
 * trigger firing costs one INSERT … ON CONFLICT DO UPDATE (a DELETE: one
 * MERGE) of the changed rows' sums, grouped by member-month and written in
 * key order, so that a COPY of a year's scores costs one aggregation of its
 * transition table.
 * Key order is member_id in bytes (COLLATE "C", whatever the database's
 * collation: cheaper to sort), then month, in every statement that writes
 * month rows, so that concurrent statements take their locks in one order
 * and never deadlock.
 * The score rows are summed here, in C, in exact micro-points (a fifth of
 * the cost of the same aggregation in SQL); award rows, whose points come
 * from their kind, and score rows whose points are not exact in
 * micro-points (a restore of rows no write rule checked) are summed by the
 * SQL statement below, in numeric.
 * A row whose counts fall to zero is deleted.  The triggers are ENABLE
 * ALWAYS: a restore with session_replication_role = replica rebuilds the
 * month ledger from the score and award rows it loads (the table itself is
 * not dumped).
 */
#include "pointsys.h"

#include "fixedpoint.h"
#include "member_month_replicated.h"
#include "month_key.h"
#include "numeric_points.h"
#include "owner_spi.h"
#include "trigger_check.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "replication/logicalworker.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(member_month_changed);

/*
 * The signed contributions of a transition table's rows: (member_id, month,
 * points, scores, award_points, awards).  %1$s is the transition table, %2$s
 * the sign ("" or "OPERATOR(pg_catalog.-)").
 */
#define SCORE_ROWS \
	"SELECT r.member_id, r.month, %2$s r.points, %2$s 1, 0::pg_catalog.numeric, %2$s 0 FROM %1$s r"
#define AWARD_ROWS \
	"SELECT r.member_id, r.month, 0::pg_catalog.numeric, %2$s 0, %2$s k.points, %2$s 1 FROM %1$s r" \
	" JOIN pointsys.award_kind k ON k.kind OPERATOR(pg_catalog.=) r.kind"

#define NEW_ROWS "pointsys_new_rows"
#define OLD_ROWS "pointsys_old_rows"
#define MINUS "OPERATOR(pg_catalog.-)"

/* Add the sums of the contributions to the month rows they belong to */
#define UPSERT \
	"INSERT INTO pointsys.member_month AS m (member_id, month, points, scores, award_points, awards)" \
	" SELECT d.member_id, d.month, pg_catalog.sum(d.points), pg_catalog.sum(d.scores)," \
	"        pg_catalog.sum(d.award_points), pg_catalog.sum(d.awards)" \
	" FROM (%s) AS d (member_id, month, points, scores, award_points, awards)" \
	" GROUP BY d.member_id, d.month ORDER BY d.member_id COLLATE pg_catalog.\"C\", d.month" \
	" ON CONFLICT (member_id, month) DO UPDATE SET" \
	"  points = m.points OPERATOR(pg_catalog.+) EXCLUDED.points," \
	"  scores = m.scores OPERATOR(pg_catalog.+) EXCLUDED.scores," \
	"  award_points = m.award_points OPERATOR(pg_catalog.+) EXCLUDED.award_points," \
	"  awards = m.awards OPERATOR(pg_catalog.+) EXCLUDED.awards"

/* Delete the month rows of removed rows that have nothing left */
#define DELETE_EMPTY \
	"DELETE FROM pointsys.member_month m USING " OLD_ROWS " o" \
	" WHERE m.member_id OPERATOR(pg_catalog.=) o.member_id AND m.month OPERATOR(pg_catalog.=) o.month" \
	"   AND m.scores OPERATOR(pg_catalog.=) 0 AND m.awards OPERATOR(pg_catalog.=) 0"

/* After TRUNCATE of score or award: nothing of it is left in any month */
#define TRUNCATE_SCORES \
	"UPDATE pointsys.member_month SET points = 0, scores = 0 WHERE scores OPERATOR(pg_catalog.<>) 0;" \
	"DELETE FROM pointsys.member_month WHERE scores OPERATOR(pg_catalog.=) 0 AND awards OPERATOR(pg_catalog.=) 0"
#define TRUNCATE_AWARDS \
	"UPDATE pointsys.member_month SET award_points = 0, awards = 0 WHERE awards OPERATOR(pg_catalog.<>) 0;" \
	"DELETE FROM pointsys.member_month WHERE scores OPERATOR(pg_catalog.=) 0 AND awards OPERATOR(pg_catalog.=) 0"

/*
 * The sums of member-months, given as arrays ($1 member_id, $2 month,
 * $3 points, $4 scores), in key order
 */
#define SUMS \
	"SELECT * FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.date[])," \
	"                         pg_catalog.unnest($3::pg_catalog.numeric[]), pg_catalog.unnest($4::pg_catalog.int8[]))" \
	"     AS d (member_id, month, points, scores)" \
	" ORDER BY d.member_id COLLATE pg_catalog.\"C\", d.month"

/* Add the sums of member-months to their month rows */
#define UPSERT_SUMS \
	"INSERT INTO pointsys.member_month AS m (member_id, month, points, scores, award_points, awards)" \
	" SELECT d.member_id, d.month, d.points, d.scores, 0, 0 FROM (" SUMS ") AS d" \
	" ON CONFLICT (member_id, month) DO UPDATE SET" \
	"  points = m.points OPERATOR(pg_catalog.+) EXCLUDED.points," \
	"  scores = m.scores OPERATOR(pg_catalog.+) EXCLUDED.scores"

/*
 * Take a DELETE's sums (SUMS: the negative sums of its deleted score rows)
 * off their month rows: delete those left with nothing, update the others.
 * One write per month row, in key order (a generic plan: a nested loop over
 * the sorted sums).
 */
#define MERGE_DELETED \
	"MERGE INTO pointsys.member_month m USING (" SUMS ") AS d" \
	" ON m.member_id OPERATOR(pg_catalog.=) d.member_id AND m.month OPERATOR(pg_catalog.=) d.month" \
	" WHEN MATCHED AND m.scores OPERATOR(pg_catalog.+) d.scores OPERATOR(pg_catalog.=) 0" \
	"              AND m.awards OPERATOR(pg_catalog.=) 0 THEN DELETE" \
	" WHEN MATCHED THEN UPDATE SET" \
	"  points = m.points OPERATOR(pg_catalog.+) d.points," \
	"  scores = m.scores OPERATOR(pg_catalog.+) d.scores"

/* Delete the month rows, given as arrays, that have nothing left */
#define DELETE_EMPTY_SUMS \
	"DELETE FROM pointsys.member_month m" \
	" USING ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.date[]))" \
	"       AS d (member_id, month)" \
	" WHERE m.member_id OPERATOR(pg_catalog.=) d.member_id AND m.month OPERATOR(pg_catalog.=) d.month" \
	"   AND m.scores OPERATOR(pg_catalog.=) 0 AND m.awards OPERATOR(pg_catalog.=) 0"

static SPIPlanPtr upsert_sums_plan = NULL;
static SPIPlanPtr delete_empty_sums_plan = NULL;
static SPIPlanPtr merge_deleted_plan = NULL;

static const TriggerTable ledger_tables[] = {
	{"score", 3, {{"member_id", TEXTOID}, {"month", DATEOID}, {"points", NUMERICOID}}},
	TRIGGER_TABLE("award")
};
enum
{
	SCORE_MEMBER, SCORE_MONTH, SCORE_POINTS
};
static const TriggerRule member_month_rule = {
	"member_month_changed", false, 0,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE,
	NULL, lengthof(ledger_tables), ledger_tables
};

/* Run one statement built by the trigger; it must succeed */
static void
run(const char *sql)
{
	if (SPI_execute(sql, false, 0) < 0)
		elog(ERROR, "pointsys: cannot maintain the month ledger");
}

/* A member-month's changed score rows, summed */
typedef struct MonthSums
{
	MonthKey	key;
	int64		points;			/* micro-points */
	int64		scores;
	int			dscale;			/* the most decimals of its rows' points */
} MonthSums;

/*
 * Add sign × each score row of a transition table to the sums; false (with
 * sums incomplete) at a row whose points are not exact in micro-points.
 */
static bool
sum_rows(HTAB *sums, const TriggerFiring *firing, Tuplestorestate *rows, int sign)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(firing->trigdata->tg_relation),
													&TTSOpsMinimalTuple);
	AttrNumber	last = Max(Max(firing->attnums[SCORE_MEMBER], firing->attnums[SCORE_MONTH]),
						   firing->attnums[SCORE_POINTS]);
	bool		exact = true;
	MonthSums  *entry = NULL;

	trigger_rows_rewind(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		MonthKey	key;
		Datum		member_id;
		int64		points;
		int			dscale;
		bool		found;

		slot_getsomeattrs(slot, last);
		if (slot->tts_isnull[firing->attnums[SCORE_MEMBER] - 1] ||
			slot->tts_isnull[firing->attnums[SCORE_MONTH] - 1] ||
			slot->tts_isnull[firing->attnums[SCORE_POINTS] - 1] ||
			points_and_scale(slot->tts_values[firing->attnums[SCORE_POINTS] - 1],
							 &points, &dscale) != FX_OK ||
			dscale > FX_DECIMALS)
		{
			exact = false;
			break;
		}
		member_id = slot->tts_values[firing->attnums[SCORE_MEMBER] - 1];
		key.month = DatumGetDateADT(slot->tts_values[firing->attnums[SCORE_MONTH] - 1]);
		if (entry == NULL || !month_key_is(&entry->key, member_id, key.month))
		{
			key.member_id = TextDatumGetCString(member_id);
			entry = hash_search(sums, &key, HASH_ENTER, &found);
			if (!found)
			{
				entry->points = 0;
				entry->scores = 0;
				entry->dscale = 0;
			}
			else
				pfree((char *) key.member_id);
		}
		entry->points += sign * points;
		entry->scores += sign;
		entry->dscale = Max(entry->dscale, dscale);
	}
	ExecDropSingleTupleTableSlot(slot);
	return exact;
}

/* A one-dimensional array of n values of a type */
static Datum
array_of(Datum *values, int n, Oid type)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1] = {n};
	int			lbs[1] = {1};

	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_md_array(values, NULL, 1, dims, lbs,
											  type, typlen, typbyval, typalign));
}

/*
 * Bring the month rows of a statement's score rows up to date from their
 * sums in C; false, having changed nothing, when a row's points are not
 * exact in micro-points.  All the month rows are upserted in key order,
 * then those that lost rows and have nothing left are deleted; a DELETE
 * merges its sums into them instead (MERGE_DELETED).
 */
static bool
upsert_score_sums(const TriggerFiring *firing)
{
	TriggerData *trigdata = firing->trigdata;
	HTAB	   *sums;
	HASH_SEQ_STATUS seq;
	MonthSums  *entry;
	Datum	   *members;
	Datum	   *months;
	Datum	   *points;
	Datum	   *scores;
	Datum		args[4];
	int			n;
	int			nless = 0;		/* member-months that lost rows: first */
	int			less = 0;
	int			more;
	static Oid	argtypes[4] = {TEXTARRAYOID, DATEARRAYOID, NUMERICARRAYOID, INT8ARRAYOID};

	sums = month_key_table("pointsys month sums", 1024, sizeof(MonthSums));
	if ((trigdata->tg_newtable != NULL && !sum_rows(sums, firing, trigdata->tg_newtable, 1)) ||
		(trigdata->tg_oldtable != NULL && !sum_rows(sums, firing, trigdata->tg_oldtable, -1)))
	{
		hash_destroy(sums);
		return false;
	}

	/* an UPDATE that kept a month's sums (a note corrected) changes nothing */
	n = 0;
	hash_seq_init(&seq, sums);
	while ((entry = hash_seq_search(&seq)) != NULL)
	{
		if (entry->points != 0 || entry->scores != 0)
			n++;
		if (entry->scores < 0)
			nless++;
	}
	if (n == 0)
	{
		hash_destroy(sums);
		return true;
	}
	members = palloc(n * sizeof(Datum));
	months = palloc(n * sizeof(Datum));
	points = palloc(n * sizeof(Datum));
	scores = palloc(n * sizeof(Datum));
	more = nless;
	hash_seq_init(&seq, sums);
	while ((entry = hash_seq_search(&seq)) != NULL)
	{
		int			i;

		if (entry->points == 0 && entry->scores == 0)
			continue;
		i = entry->scores < 0 ? less++ : more++;

		members[i] = CStringGetTextDatum(entry->key.member_id);
		months[i] = DateADTGetDatum(entry->key.month);
		points[i] = NumericGetDatum(numeric_from_points(entry->points, entry->dscale));
		scores[i] = Int64GetDatum(entry->scores);
	}
	hash_destroy(sums);

	args[0] = array_of(members, n, TEXTOID);
	args[1] = array_of(months, n, DATEOID);
	args[2] = array_of(points, n, NUMERICOID);
	args[3] = array_of(scores, n, INT8OID);
	if (trigdata->tg_newtable == NULL)
	{
		/*
		 * a DELETE: one write per month row, where the upsert and delete
		 * write two
		 */
		if (SPI_execute_plan(spi_keep_generic_plan(&merge_deleted_plan, MERGE_DELETED, 4, argtypes),
							 args, NULL, false, 0) != SPI_OK_MERGE)
			elog(ERROR, "pointsys: cannot maintain the month ledger");
		return true;
	}
	if (SPI_execute_plan(spi_keep_plan(&upsert_sums_plan, UPSERT_SUMS, 4, argtypes),
						 args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "pointsys: cannot maintain the month ledger");
	if (nless > 0)
	{
		args[0] = array_of(members, nless, TEXTOID);
		args[1] = array_of(months, nless, DATEOID);
		if (SPI_execute_plan(spi_keep_plan(&delete_empty_sums_plan, DELETE_EMPTY_SUMS, 2, argtypes),
							 args, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "pointsys: cannot maintain the month ledger");
	}
	return true;
}

/*
 * Refuse award rows whose kind is not in award_kind (only a restore without
 * foreign keys could bring them): the join of AWARD_ROWS would have left
 * them out of the sums.
 */
static void
check_award_kinds(TriggerData *trigdata)
{
	const char *tables[2] = {trigdata->tg_newtable ? NEW_ROWS : NULL,
	trigdata->tg_oldtable ? OLD_ROWS : NULL};
	int			i;

	for (i = 0; i < 2; i++)
	{
		bool		isnull;

		if (tables[i] == NULL)
			continue;
		run(psprintf("SELECT r.kind, r.member_id, r.month FROM %s r WHERE NOT EXISTS"
					 " (SELECT FROM pointsys.award_kind k WHERE k.kind OPERATOR(pg_catalog.=) r.kind)"
					 " LIMIT 1", tables[i]));
		if (SPI_processed > 0)
			award_kind_missing(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
							   SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull),
							   SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	}
}

/*
 * AFTER INSERT, UPDATE or DELETE (FOR EACH STATEMENT, with transition
 * tables pointsys_new_rows / pointsys_old_rows) or TRUNCATE of score or
 * award: bring pointsys.member_month up to date.
 */
Datum
member_month_changed(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	TriggerEvent event;
	bool		scores;
	const char *rows;
	StringInfoData sql;
	OwnerSwitch saved;

	trigger_check(fcinfo, &member_month_rule, &firing);
	trigdata = firing.trigdata;
	event = trigdata->tg_event;
	scores = trigger_fired_on(&firing, "score");
	rows = scores ? SCORE_ROWS : AWARD_ROWS;

	/*
	 * A logical replication worker applies rows one by one: the row trigger
	 * member_month_replicated counts them (member_month_replicated.c); only a
	 * replicated TRUNCATE is for this trigger, unless the subscription brings
	 * the month ledger itself.
	 */
	if (IsLogicalWorker() && (!TRIGGER_FIRED_BY_TRUNCATE(event) || member_month_subscribed()))
		return PointerGetDatum(NULL);

	spi_begin(&saved);
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
	{
		run(scores ? TRUNCATE_SCORES : TRUNCATE_AWARDS);
		spi_end(&saved);
		return PointerGetDatum(NULL);
	}
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "pointsys: cannot register transition tables");

	if (!scores || !upsert_score_sums(&firing))
	{
		/* the contributions: + each new row, − each old row */
		initStringInfo(&sql);
		if (trigdata->tg_newtable != NULL)
			appendStringInfo(&sql, rows, NEW_ROWS, "");
		if (trigdata->tg_newtable != NULL && trigdata->tg_oldtable != NULL)
			appendStringInfoString(&sql, " UNION ALL ");
		if (trigdata->tg_oldtable != NULL)
			appendStringInfo(&sql, rows, OLD_ROWS, MINUS);
		if (sql.len == 0)
			elog(ERROR, "pointsys: member_month_changed needs transition tables");
		run(psprintf(UPSERT, sql.data));
		if (trigdata->tg_oldtable != NULL)
			run(DELETE_EMPTY);
		if (!scores)
			check_award_kinds(trigdata);
	}
	spi_end(&saved);
	return PointerGetDatum(NULL);
}
