/*
 * caches.c
 *		Backend-local caches of the rulebook and of the recorders.
 *
 * The write-rule triggers look up an item's maximum and step and an award
 * kind for every row; a query per row would cost several times the insert
 * itself.  So each backend keeps the whole rulebook (item, award_kind),
 * loaded on first use, and the recorders (pointsys.recorder) with the
 * branches the current user records, for the row-security policies
 * (row_security.c).  The members have a cache of
 * their own (member_cache.c).
 *
 * A statement-level trigger on those tables, and on member and membership
 * (rulebook_changed), sends a relcache invalidation for the changed table;
 * every backend receives it when the change commits, at its next table
 * lock, and drops its copy (a change of roles or of their members, the
 * branches a user records).  Rulebook edits that could contradict recorded
 * rows first lock the ledger tables in SHARE mode (rulebook_guard.c), so
 * no write can slip between the check and the commit; and caches are
 * loaded with the latest snapshot, so a REPEATABLE READ transaction never
 * sees an old rulebook, and as the ledger's owner, so that what is cached
 * does not depend on the row security of whoever happened to load it.
 */
#include "pointsys.h"

#include "caches.h"

#include "numeric_points.h"
#include "owner_spi.h"
#include "trigger_check.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "replication/logicalworker.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(rulebook_changed);

/* the rulebook, valid while rulebook_valid */
static MemoryContext rulebook_context = NULL;
static bool rulebook_valid = false;
static RulebookItem *items = NULL;
static int	nitems = 0;
static RulebookAwardKind *kinds = NULL;
static int	nkinds = 0;

/* A recorder's branch (pointsys.recorder), with its role resolved */
typedef struct RecorderBranch
{
	char	   *branch_id;
	Oid			roleid;			/* InvalidOid if the role does not exist */
} RecorderBranch;

/* the recorders, valid while recorders_valid */
static MemoryContext recorder_context = NULL;
static bool recorders_valid = false;
static RecorderBranch *recorders = NULL;
static int	nrecorders = 0;

/*
 * the branches the current user records (a part of recorders' branches),
 * valid while user_branches_valid for user_branches_role; each list gets
 * a new user_branches_scope
 */
static const char **user_branches = NULL;
static int	nuser_branches = 0;
static bool user_branches_valid = false;
static Oid	user_branches_role = InvalidOid;
static uint64 user_branches_scope = 0;

/* the tables whose invalidations concern us; InvalidOid until known */
static Oid	item_relid = InvalidOid;
static Oid	award_kind_relid = InvalidOid;
static Oid	recorder_relid = InvalidOid;


/* Drop what an invalidation of relid makes stale (InvalidOid: everything) */
static void
relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == item_relid || relid == award_kind_relid)
		rulebook_valid = false;
	if (relid == InvalidOid || relid == recorder_relid)
		recorders_valid = false;
}

/*
 * A role was created, renamed or dropped (the recorders' names resolve
 * anew), or a membership in a role granted or revoked (whose branches a
 * user records)
 */
static void
role_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	if (cacheid == AUTHOID)
		recorders_valid = false;
	user_branches_valid = false;
}

void
caches_register_callbacks(void)
{
	CacheRegisterRelcacheCallback(relcache_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, role_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, role_callback, (Datum) 0);
}

/* Run an unparameterized query on the latest data; returns SPI_processed */
static uint64
spi_latest_query(const char *query)
{
	SPIPlanPtr	plan = SPI_prepare(query, 0, NULL);

	if (plan == NULL || spi_latest(plan, NULL, NULL) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: query failed: %s", query);
	return SPI_processed;
}

/* Text column col of row of the current SPI result, in cxt ("" for NULL) */
static char *
spi_text(MemoryContext cxt, uint64 row, int col)
{
	bool		isnull;
	Datum		value = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	char	   *result = isnull ? pstrdup("") : TextDatumGetCString(value);

	MemoryContextSwitchTo(old);
	return result;
}

/* Column col of row of the current SPI result, in micro-points */
static int64
spi_points(uint64 row, int col)
{
	bool		isnull;
	Datum		value = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
									  col, &isnull);
	int64		result;

	if (isnull || points_from_numeric(value, &result) != FX_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("the rulebook holds a value that is not exact: %s",
						isnull ? "NULL" : numeric_text(value)),
				 errdetail("Row %s of the rulebook, column %d.",
						   SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, 1), col),
				 errhint("Correct it in pointsys.item or pointsys.award_kind: at most 6 decimals.")));
	return result;
}

/*
 * (Re)load a whole-table cache: reset its memory context (made on first
 * use), mark it valid (an invalidation arriving while it loads clears that
 * again), and fill it as the ledger's owner; if the fill fails, the cache
 * stays invalid.  Every whole-table cache loads this way.
 */
static void
cache_load(MemoryContext *cxt, const char *name, bool *valid,
		   void (*fill) (MemoryContext cxt))
{
	OwnerSwitch saved;

	if (*cxt == NULL)
	{
		*cxt = AllocSetContextCreate(CacheMemoryContext, "pointsys cache", ALLOCSET_SMALL_SIZES);
		MemoryContextSetIdentifier(*cxt, name);
	}
	MemoryContextReset(*cxt);
	*valid = true;
	PG_TRY();
	{
		spi_begin(&saved);
		fill(*cxt);
		spi_end(&saved);
	}
	PG_CATCH();
	{
		*valid = false;
		PG_RE_THROW();
	}
	PG_END_TRY();
}

/* Fill the rulebook cache: item and award_kind */
static void
rulebook_fill(MemoryContext cxt)
{
	uint64		n;
	uint64		i;

	item_relid = pointsys_relation("item");
	award_kind_relid = pointsys_relation("award_kind");

	n = spi_latest_query("SELECT item, category, title, max_points, step FROM pointsys.item");
	items = MemoryContextAllocZero(cxt, sizeof(RulebookItem) * (n + 1));
	for (i = 0; i < n; i++)
	{
		items[i].item = spi_text(cxt, i, 1);
		items[i].category = spi_text(cxt, i, 2);
		items[i].title = spi_text(cxt, i, 3);
		items[i].max_points = spi_points(i, 4);
		items[i].step = spi_points(i, 5);
	}
	nitems = (int) n;

	n = spi_latest_query("SELECT kind, title, points FROM pointsys.award_kind");
	kinds = MemoryContextAllocZero(cxt, sizeof(RulebookAwardKind) * (n + 1));
	for (i = 0; i < n; i++)
	{
		kinds[i].kind = spi_text(cxt, i, 1);
		kinds[i].title = spi_text(cxt, i, 2);
		kinds[i].points = spi_points(i, 3);
	}
	nkinds = (int) n;
}

/* Fill the recorders cache, with each role resolved */
static void
recorders_fill(MemoryContext cxt)
{
	uint64		n;
	uint64		i;

	recorder_relid = pointsys_relation("recorder");
	n = spi_latest_query("SELECT branch_id, role_name::pg_catalog.text FROM pointsys.recorder");
	recorders = MemoryContextAllocZero(cxt, sizeof(RecorderBranch) * (n + 1));
	for (i = 0; i < n; i++)
	{
		recorders[i].branch_id = spi_text(cxt, i, 1);
		recorders[i].roleid = get_role_oid(spi_text(cxt, i, 2), true);
	}
	nrecorders = (int) n;
	user_branches = MemoryContextAlloc(cxt, sizeof(char *) * (n + 1));
	user_branches_valid = false;
}

/* An item of the rulebook, or NULL.  Valid until the next call. */
const RulebookItem *
rulebook_item(const char *item)
{
	static int	last = 0;		/* a sheet's rows come item by item */
	int			i;

	if (!rulebook_valid)
		cache_load(&rulebook_context, "pointsys rulebook", &rulebook_valid, rulebook_fill);
	if (last < nitems && strcmp(items[last].item, item) == 0)
		return &items[last];
	for (i = 0; i < nitems; i++)
		if (strcmp(items[i].item, item) == 0)
			return &items[last = i];
	return NULL;
}

/* A kind of award, or NULL.  Valid until the next call. */
const RulebookAwardKind *
rulebook_award_kind(const char *kind)
{
	int			i;

	if (!rulebook_valid)
		cache_load(&rulebook_context, "pointsys rulebook", &rulebook_valid, rulebook_fill);
	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

/*
 * The branches the current user records: those of pointsys.recorder whose
 * role she is a member of (a branch may come twice).  *scope identifies
 * the list: a list that may differ has another.  Valid until the next call.
 */
const char *const *
recorded_branches(int *count, uint64 *scope)
{
	Oid			user = GetUserId();
	int			i;

	if (!recorders_valid)
		cache_load(&recorder_context, "pointsys recorders", &recorders_valid, recorders_fill);
	if (!user_branches_valid || user_branches_role != user)
	{
		nuser_branches = 0;
		for (i = 0; i < nrecorders; i++)
			if (OidIsValid(recorders[i].roleid) && is_member_of_role(user, recorders[i].roleid))
				user_branches[nuser_branches++] = recorders[i].branch_id;
		user_branches_role = user;
		user_branches_valid = true;
		user_branches_scope++;
	}
	*count = nuser_branches;
	*scope = user_branches_scope;
	return user_branches;
}

/*
 * Statement trigger on item, award_kind, member, membership and recorder: tell every
 * backend, at commit, to drop its cached copy.  Also their row triggers,
 * ENABLE REPLICA, for the rows a logical replication worker applies (it
 * fires no statement trigger).
 */
Datum
rulebook_changed(PG_FUNCTION_ARGS)
{
	static const TriggerTable cached_tables[] = {
		TRIGGER_TABLE("item"), TRIGGER_TABLE("award_kind"),
		TRIGGER_TABLE("member"), TRIGGER_TABLE("membership"), TRIGGER_TABLE("recorder")
	};
	static const TriggerRule rule = {
		"rulebook_changed", false, TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE,
		TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE,
		NULL, lengthof(cached_tables), cached_tables
	};
	TriggerFiring firing;

	trigger_check(fcinfo, &rule, &firing);
	/* the row triggers (ENABLE REPLICA) serve a logical replication worker */
	if (TRIGGER_FIRED_FOR_ROW(firing.trigdata->tg_event) && !IsLogicalWorker())
		return PointerGetDatum(NULL);
	CacheInvalidateRelcache(firing.trigdata->tg_relation);
	return PointerGetDatum(NULL);
}
