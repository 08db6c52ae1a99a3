/*
 * member_month_replicated.c
 *		The month ledger (member_month.c) on a logical replication
 *		subscriber: the rows of score and award that a replication worker
 *		applies, one by one.
 *
 * PostgreSQL's apply worker fires row-level triggers only (those ENABLE
 * REPLICA or ALWAYS), never the statement-level ones that keep the month
 * ledger; the initial copy of a table fires both.  So on a subscriber the
 * statement triggers step aside (member_month_changed returns at once in a
 * replication worker) and this row trigger, ENABLE REPLICA, adds or takes
 * away each applied row's share of its member-month, in the same
 * transaction, initial copy included.  Anywhere else it does nothing: an
 * ordinary session (ENABLE REPLICA triggers do not even fire there) or a
 * restore run with session_replication_role = replica, which the statement
 * triggers serve.
 *
 * A subscription that brings pointsys.member_month itself (a publication of
 * all of schema pointsys) gets the publisher's month rows: then neither
 * kind of trigger touches it.  An award whose kind is not (yet) on the
 * subscriber is an error, never a silent zero: the initial copy of award
 * fails and is retried until award_kind has been copied.
 */
#include "pointsys.h"

#include "member_month_replicated.h"

#include "owner_spi.h"
#include "trigger_check.h"

#include "catalog/pg_subscription_rel.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "replication/logicalworker.h"
#include "replication/worker_internal.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(member_month_replicated);

static const TriggerTable replicated_tables[] = {
	{"score", 3, {{"member_id", TEXTOID}, {"month", DATEOID}, {"points", NUMERICOID}}},
	{"award", 3, {{"member_id", TEXTOID}, {"month", DATEOID}, {"kind", TEXTOID}}}
};
static const TriggerRule replicated_rule = {
	"member_month_replicated", false,
	TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE, 0,
	NULL, lengthof(replicated_tables), replicated_tables
};
enum
{
	ROW_MEMBER, ROW_MONTH, ROW_POINTS_OR_KIND
};

/* Add one row's share ($3..$6) to its member-month ($1, $2) */
#define UPSERT_ROW \
	"INSERT INTO pointsys.member_month AS m (member_id, month, points, scores, award_points, awards)" \
	" VALUES ($1, $2, $3, $4, $5, $6)" \
	" ON CONFLICT (member_id, month) DO UPDATE SET" \
	"  points = m.points OPERATOR(pg_catalog.+) EXCLUDED.points," \
	"  scores = m.scores OPERATOR(pg_catalog.+) EXCLUDED.scores," \
	"  award_points = m.award_points OPERATOR(pg_catalog.+) EXCLUDED.award_points," \
	"  awards = m.awards OPERATOR(pg_catalog.+) EXCLUDED.awards"
#define DELETE_EMPTY_ROW \
	"DELETE FROM pointsys.member_month" \
	" WHERE member_id OPERATOR(pg_catalog.=) $1 AND month OPERATOR(pg_catalog.=) $2" \
	"   AND scores OPERATOR(pg_catalog.=) 0 AND awards OPERATOR(pg_catalog.=) 0"
#define KIND_POINTS \
	"SELECT points FROM pointsys.award_kind WHERE kind OPERATOR(pg_catalog.=) $1"

/*
 * Is this a logical replication worker whose subscription brings
 * pointsys.member_month itself?
 */
bool
member_month_subscribed(void)
{
	XLogRecPtr	lsn;

	return IsLogicalWorker() && MySubscription != NULL &&
		GetSubscriptionRelState(MySubscription->oid, pointsys_relation("member_month"),
								&lsn) != SUBREL_STATE_UNKNOWN;
}

/* Refuse to count an award whose kind this database does not have */
void
award_kind_missing(Datum kind, Datum member_id, Datum month)
{
	ereport(ERROR,
			(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
			 errmsg("award kind \"%s\" of member \"%s\" (%s) is not in pointsys.award_kind",
					TextDatumGetCString(kind), TextDatumGetCString(member_id),
					DatumGetCString(DirectFunctionCall1(date_out, month))),
			 errdetail("The month ledger cannot count an award whose kind it does not know."),
			 errhint("A subscription's initial copy retries until award_kind has been copied.")));
}

/* The points of an award's kind, which must be on this database */
static Datum
kind_points(Datum kind, const char *member_id, Datum month)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtype = TEXTOID;
	bool		isnull;
	Datum		points;

	if (SPI_execute_plan(spi_keep_plan(&plan, KIND_POINTS, 1, &argtype), &kind, NULL, true, 1)
		!= SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot read pointsys.award_kind");
	if (SPI_processed == 0)
		award_kind_missing(kind, PointerGetDatum(cstring_to_text(member_id)), month);
	points = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return isnull ? NumericGetDatum(int64_to_numeric(0)) : datumCopy(points, false, -1);
}

/* Add sign × one row's share to its member-month */
static void
apply_row(const TriggerFiring *firing, HeapTuple tuple, int sign)
{
	static SPIPlanPtr upsert_plan = NULL;
	static SPIPlanPtr delete_plan = NULL;
	static Oid	argtypes[6] = {TEXTOID, DATEOID, NUMERICOID, INT8OID, NUMERICOID, INT8OID};
	Datum		args[6];
	bool		member_null;
	bool		month_null;
	bool		value_null;
	Datum		value;

	args[0] = trigger_column(firing, tuple, ROW_MEMBER, &member_null);
	args[1] = trigger_column(firing, tuple, ROW_MONTH, &month_null);
	value = trigger_column(firing, tuple, ROW_POINTS_OR_KIND, &value_null);
	if (member_null || month_null || value_null)
		return;					/* NOT NULL columns: nothing to count */
	if (trigger_fired_on(firing, "score"))
	{
		args[2] = value;
		args[3] = Int64GetDatum(sign);
		args[4] = NumericGetDatum(int64_to_numeric(0));
		args[5] = Int64GetDatum(0);
	}
	else
	{
		args[2] = NumericGetDatum(int64_to_numeric(0));
		args[3] = Int64GetDatum(0);
		args[4] = kind_points(value, TextDatumGetCString(args[0]), args[1]);
		args[5] = Int64GetDatum(sign);
	}
	if (sign < 0)
	{
		args[2] = DirectFunctionCall1(numeric_uminus, args[2]);
		args[4] = DirectFunctionCall1(numeric_uminus, args[4]);
	}
	if (SPI_execute_plan(spi_keep_plan(&upsert_plan, UPSERT_ROW, 6, argtypes), args, NULL, false, 0)
		!= SPI_OK_INSERT)
		elog(ERROR, "pointsys: cannot maintain the month ledger");
	if (sign < 0 &&
		SPI_execute_plan(spi_keep_plan(&delete_plan, DELETE_EMPTY_ROW, 2, argtypes), args, NULL, false, 0)
		!= SPI_OK_DELETE)
		elog(ERROR, "pointsys: cannot maintain the month ledger");
}

/*
 * AFTER INSERT, UPDATE or DELETE FOR EACH ROW of score or award, ENABLE
 * REPLICA: in a logical replication worker, the applied row's share of the
 * month ledger.
 */
Datum
member_month_replicated(PG_FUNCTION_ARGS)
{
	TriggerFiring firing;
	TriggerData *trigdata;
	OwnerSwitch saved;

	trigger_check(fcinfo, &replicated_rule, &firing);
	if (!IsLogicalWorker() || member_month_subscribed())
		return PointerGetDatum(NULL);
	trigdata = firing.trigdata;

	spi_begin(&saved);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		apply_row(&firing, trigdata->tg_trigtuple, 1);
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		apply_row(&firing, trigdata->tg_trigtuple, -1);
	else
	{
		apply_row(&firing, trigdata->tg_trigtuple, -1);
		apply_row(&firing, trigdata->tg_newtuple, 1);
	}
	spi_end(&saved);
	return PointerGetDatum(NULL);
}
