/*
 * caches.c
 *		Backend-local caches of the rulebook and of members.
 *
 * The write-rule triggers look up an item's maximum and step, an award
 * kind, and a member's membership for every row; a query per row would
 * cost several times the insert itself.  So each backend keeps:
 *
 *	- the whole rulebook (item, award_kind), loaded on first use;
 *	- the members it has looked up, with their branch history
 *	  (pointsys.membership), a query per member; once a cache has fetched
 *	  a thirty-second of the members that way (a COPY of a city's sheets,
 *	  a DELETE of a month), every member at once, in one query.
 *
 * A statement-level trigger on those tables (rulebook_changed) sends a
 * relcache invalidation for the changed table; every backend receives it
 * when the change commits, at its next table lock, and drops its copy.
 * Rulebook and member edits that could contradict recorded rows first lock
 * the ledger tables in SHARE mode (rulebook_guard.c), so no write can slip
 * between the check and the commit; and caches are loaded with the latest
 * snapshot, so a REPEATABLE READ transaction never sees an old rulebook,
 * and as the ledger's owner, so that what is cached does not depend on the
 * row security of whoever happened to load it.
 *
 * The recorders (pointsys.recorder) are cached the same way, for the
 * row-security policies (row_security.c).
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

/* the recorders, valid while recorders_valid */
static MemoryContext recorder_context = NULL;
static bool recorders_valid = false;
static RecorderBranch *recorders = NULL;
static int	nrecorders = 0;

/* members looked up so far, valid while members_valid */
static MemoryContext member_context = NULL;
static HTAB *members = NULL;
static bool members_valid = false;
static MemberInfo *last_member = NULL;	/* the last one looked up */
static int	member_misses = 0;	/* members fetched one by one into it */
static int	member_preload_misses = 0;	/* at which all are loaded */
static bool members_complete = false;	/* it holds every member */

#define MEMBER_CACHE_LIMIT 200000
#define MEMBER_PRELOAD_LIMIT 100000 /* rows of member ⟕ membership */

/* the tables whose invalidations concern us; InvalidOid until known */
static Oid	item_relid = InvalidOid;
static Oid	award_kind_relid = InvalidOid;
static Oid	member_relid = InvalidOid;
static Oid	membership_relid = InvalidOid;
static Oid	recorder_relid = InvalidOid;


/* Drop what an invalidation of relid makes stale (InvalidOid: everything) */
static void
relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == item_relid || relid == award_kind_relid)
		rulebook_valid = false;
	if (relid == InvalidOid || relid == member_relid || relid == membership_relid)
		members_valid = false;
	if (relid == InvalidOid || relid == recorder_relid)
		recorders_valid = false;
}

void
caches_register_callbacks(void)
{
	CacheRegisterRelcacheCallback(relcache_callback, (Datum) 0);
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
 * A member's rows: the member, with each of their membership rows in
 * turn (one row, with NULL since and branch, when they have none)
 */
#define MEMBER_ROWS \
	"SELECT m.member_id, m.name, m.branch_id, m.joined_on, m.left_on, h.since, h.branch_id" \
	" FROM pointsys.member m LEFT JOIN pointsys.membership h" \
	"   ON h.member_id OPERATOR(pg_catalog.=) m.member_id"
#define MEMBER_ROWS_LEGACY \
	"SELECT member_id, name, branch_id, joined_on, left_on, NULL::pg_catalog.date, NULL::pg_catalog.text" \
	" FROM pointsys.member"

/*
 * Fill info from rows first..last-1 of the current SPI result, the rows of
 * one member (MEMBER_ROWS) in order of since
 */
static void
member_from_rows(MemberInfo *info, uint64 first, uint64 last, MemoryContext cxt)
{
	HeapTuple	row = SPI_tuptable->vals[first];
	TupleDesc	desc = SPI_tuptable->tupdesc;
	bool		isnull;
	Datum		value;
	int			i;

	info->exists = true;
	info->name = spi_text(cxt, first, 2);
	info->branch_id = spi_text(cxt, first, 3);
	value = SPI_getbinval(row, desc, 4, &isnull);
	info->joined_on = isnull ? DATEVAL_NOBEGIN : DatumGetDateADT(value);
	value = SPI_getbinval(row, desc, 5, &isnull);
	info->left_on = isnull ? DATEVAL_NOEND : DatumGetDateADT(value);

	/*
	 * no history (before the update script to 1.4 has run): the current
	 * branch
	 */
	SPI_getbinval(row, desc, 6, &isnull);
	info->nhistory = isnull ? 0 : (int) (last - first);
	info->since = MemoryContextAlloc(cxt, sizeof(DateADT) * (info->nhistory + 1));
	info->branches = MemoryContextAlloc(cxt, sizeof(char *) * (info->nhistory + 1));
	for (i = 0; i < info->nhistory; i++)
	{
		info->since[i] = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[first + i], desc, 6, &isnull));
		info->branches[i] = spi_text(cxt, first + i, 7);
	}
}

/* Fill info from pointsys.member and pointsys.membership (latest committed data) */
static void
member_fetch(const char *member_id, MemberInfo *info, MemoryContext cxt)
{
	static SPIPlanPtr plan = NULL;
	static SPIPlanPtr legacy_plan = NULL;
	Datum		arg = CStringGetTextDatum(member_id);
	Oid			argtype = TEXTOID;
	OwnerSwitch saved;

	spi_begin(&saved);
	if (spi_latest(OidIsValid(membership_relid) ?
				   spi_keep_plan(&plan, MEMBER_ROWS " WHERE m.member_id OPERATOR(pg_catalog.=) $1"
								 " ORDER BY h.since", 1, &argtype) :
				   spi_keep_plan(&legacy_plan, MEMBER_ROWS_LEGACY " WHERE member_id OPERATOR(pg_catalog.=) $1",
								 1, &argtype),
				   &arg, NULL) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: member query failed");
	info->exists = false;
	info->nhistory = 0;
	if (SPI_processed > 0)
		member_from_rows(info, 0, SPI_processed, cxt);
	spi_end(&saved);
}

/*
 * Load every member and their history into the cache, in one query (latest
 * committed data), unless member ⟕ membership has more than
 * MEMBER_PRELOAD_LIMIT rows; true when loaded: the cache then holds every
 * member, and a member_id it does not hold does not exist.
 */
static bool
members_preload(void)
{
	OwnerSwitch saved;
	uint64		n;
	uint64		first;
	uint64		next;

	spi_begin(&saved);
	n = spi_latest_query(OidIsValid(membership_relid) ?
						 MEMBER_ROWS " ORDER BY m.member_id COLLATE pg_catalog.\"C\", h.since"
						 " LIMIT " CppAsString2(MEMBER_PRELOAD_LIMIT) " + 1" :
						 MEMBER_ROWS_LEGACY " LIMIT " CppAsString2(MEMBER_PRELOAD_LIMIT) " + 1");
	if (n > MEMBER_PRELOAD_LIMIT)
	{
		spi_end(&saved);
		return false;
	}
	for (first = 0; first < n; first = next)
	{
		char	   *member_id = spi_text(CurrentMemoryContext, first, 1);
		MemberInfo *info;
		bool		found;

		/* the rows of one member */
		for (next = first + 1; next < n; next++)
			if (strcmp(member_id, spi_text(CurrentMemoryContext, next, 1)) != 0)
				break;
		if (strlen(member_id) >= MEMBER_ID_CACHED)
			continue;			/* not cached: looked up every time */
		info = hash_search(members, member_id, HASH_ENTER, &found);
		if (!found)
			member_from_rows(info, first, next, member_context);
	}
	spi_end(&saved);
	return true;
}

/*
 * The member's branch in the month of date month (doc/contract.md §4): the
 * branch of the latest membership row from that month or before; before
 * the first row, the first row's branch; with no row (a subscriber that
 * does not replicate membership), the current branch.  Allocates nothing:
 * the write rules call it for every row.
 */
const char *
member_branch_at(const MemberInfo *member, DateADT month)
{
	int			i;

	if (member->nhistory == 0)
		return member->branch_id;
	for (i = member->nhistory - 1; i > 0; i--)
		if (member->since[i] <= month)
			break;
	return member->branches[i];
}

/* The recorders of every branch.  Valid until the next call. */
const RecorderBranch *
recorder_branches(int *count)
{
	if (!recorders_valid)
		cache_load(&recorder_context, "pointsys recorders", &recorders_valid, recorders_fill);
	*count = nrecorders;
	return recorders;
}

/*
 * After how many members fetched one by one a statement is taken to be
 * reading many, and all are loaded at once: a thirty-second of them (at
 * least 32).  A query per member costs about five times a member's share
 * of loading them all, so this wastes at most a sixth of a load.
 */
static int
preload_misses(void)
{
	HeapTuple	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(member_relid));
	float4		members = -1;

	if (HeapTupleIsValid(tuple))
	{
		members = ((Form_pg_class) GETSTRUCT(tuple))->reltuples;
		ReleaseSysCache(tuple);
	}
	return (int) Max(32, Min(members / 32, MEMBER_CACHE_LIMIT));
}

/*
 * members_preload, leaving the cache invalid if it fails half-way; a
 * bureau too large to load is not tried again until the cache is rebuilt
 */
static void
members_load_all(void)
{
	PG_TRY();
	{
		members_complete = members_preload();
	}
	PG_CATCH();
	{
		members_valid = false;	/* some members may be half-filled */
		PG_RE_THROW();
	}
	PG_END_TRY();
	if (!members_complete)
		member_preload_misses = INT_MAX;
}

/* member_fetch into a new entry of the cache, which a failure removes */
static void
member_fetch_entry(MemberInfo *info)
{
	PG_TRY();
	{
		member_fetch(info->member_id, info, member_context);
	}
	PG_CATCH();
	{
		hash_search(members, info->member_id, HASH_REMOVE, NULL);
		PG_RE_THROW();
	}
	PG_END_TRY();
}

/*
 * Add a member that is not in the cache: from the whole table loaded at the
 * member_preload_misses-th such member, else by a query of its own.
 */
static MemberInfo *
member_add(const char *member_id)
{
	MemberInfo *info;

	if (!members_complete && ++member_misses == member_preload_misses)
	{
		members_load_all();
		info = hash_search(members, member_id, HASH_FIND, NULL);
		if (info != NULL)
			return info;
	}
	info = hash_search(members, member_id, HASH_ENTER, NULL);
	if (members_complete)
	{
		info->exists = false;
		info->nhistory = 0;
	}
	else
		member_fetch_entry(info);
	return info;
}

/* An empty member cache, if it was invalidated or has grown too large */
static void
members_ready(void)
{
	HASHCTL		ctl;

	if (members_valid && members != NULL && hash_get_num_entries(members) < MEMBER_CACHE_LIMIT)
		return;
	if (member_context == NULL)
		member_context = AllocSetContextCreate(CacheMemoryContext, "pointsys members",
											   ALLOCSET_DEFAULT_SIZES);
	MemoryContextReset(member_context);
	last_member = NULL;
	ctl.keysize = MEMBER_ID_CACHED;
	ctl.entrysize = sizeof(MemberInfo);
	ctl.hcxt = member_context;
	members = hash_create("pointsys members", 1024, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	member_relid = pointsys_relation("member");
	membership_relid = pointsys_relation("membership");
	members_valid = true;
	member_misses = 0;
	member_preload_misses = preload_misses();
	members_complete = false;
}

/*
 * A statement is about to look up n distinct members: if that is as many
 * as would make member_info load them all anyway, load them now, without
 * the queries for single members before.
 */
void
member_cache_expect(int n)
{
	members_ready();
	if (!members_complete && member_misses + n >= member_preload_misses)
		members_load_all();
}

/*
 * A member's membership; info->exists is false for an unknown member.
 * Valid until the next call.
 */
const MemberInfo *
member_info(const char *member_id)
{
	MemberInfo *info;

	members_ready();

	if (strlen(member_id) >= MEMBER_ID_CACHED)
	{
		/* too long to be a hash key: look it up every time */
		info = palloc0(sizeof(MemberInfo));
		member_fetch(member_id, info, CurrentMemoryContext);
		return info;
	}

	/* a sheet's rows come member by member */
	if (last_member != NULL && strcmp(last_member->member_id, member_id) == 0)
		return last_member;
	info = hash_search(members, member_id, HASH_FIND, NULL);
	if (info == NULL)
		info = member_add(member_id);
	last_member = info;
	return info;
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
