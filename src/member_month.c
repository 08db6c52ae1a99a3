/*
 * member_month.c
 *		The month ledger (月度台账): pointsys.member_month holds, for each
 *		member-month with a score or an award, the sum and number of its
 *		score rows and of its award points.  Statement-level triggers on
 *		score and award keep it in step with them, in the same transaction.
 *
 * The annual and quarterly reports aggregate these month rows instead of
 * the score rows, a dozen per member-year instead of two hundred.  Each
 * trigger firing costs one INSERT … ON CONFLICT DO UPDATE of the changed
 * rows' sums, grouped by member-month and written in key order, so that a
 * COPY of a year's scores costs one aggregation of its transition table.
 * A row whose counts fall to zero is deleted.  The triggers are ENABLE
 * ALWAYS: a restore with session_replication_role = replica rebuilds the
 * month ledger from the score and award rows it loads (the table itself is
 * not dumped).
 */
#include "owner_spi.h"
#include "trigger_check.h"

#include "commands/trigger.h"
#include "executor/spi.h"

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
	" GROUP BY d.member_id, d.month ORDER BY d.member_id, d.month" \
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

static const TriggerTable ledger_tables[] = {TRIGGER_TABLE("score"), TRIGGER_TABLE("award")};
static const TriggerRule month_ledger_rule = {
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

	trigger_check(fcinfo, &month_ledger_rule, &firing);
	trigdata = firing.trigdata;
	event = trigdata->tg_event;
	scores = trigger_fired_on(&firing, "score");
	rows = scores ? SCORE_ROWS : AWARD_ROWS;

	spi_begin(&saved);
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
	{
		run(scores ? TRUNCATE_SCORES : TRUNCATE_AWARDS);
		spi_end(&saved);
		return PointerGetDatum(NULL);
	}
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "pointsys: cannot register transition tables");

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
	spi_end(&saved);
	return PointerGetDatum(NULL);
}
