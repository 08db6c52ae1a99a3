/*
 * member_cache.c
 *		The backend's cache of members: each member's party dates and
 *		branch history, for the write rules and the row-security policies.
 *
 * The write rules look up the member of every row they check, and the
 * policies the member of every row they filter; a query per row would cost
 * several times the row itself.  So each backend keeps the members it has
 * looked up, read in one of three ways:
 *
 *	- one member, by a query of its own (a clerk's row, a report's first
 *	  rows): a new session's first write costs one small query;
 *	- the members a statement names before it looks any up
 *	  (member_cache_expect: a DELETE's deleted rows), by one query per ten
 *	  thousand of them, and only those (unless they are a quarter of the
 *	  members or more: then all, as below, which costs less);
 *	- every member, in one query, once a cache has fetched a thirty-second
 *	  of them one by one (at least 32; the table's reltuples): a COPY of a
 *	  city's sheets, whose members no trigger knows before their rows come.
 *	  A member it then does not hold does not exist.
 *
 * A recorder's row security reads her own members instead of the city's
 * (member_info_within): at the SCOPE_MISSES-th member she lacks, every
 * member now or ever in one of her branches, in one query; a member her
 * cache then lacks is not hers.  So a clerk reading a report over the
 * whole city holds her branches' members, not a city of them.
 *
 * The rows stream from the executor into the cache (a DestReceiver), with
 * no copy of the result in between, and each member is kept compactly:
 * its id, dates and history in one piece of an arena, no name (member_name
 * reads it for a message), about 110 bytes a member.  The cache keeps to a
 * byte budget, MEMBER_CACHE_BUDGET: past it, it is emptied before the
 * next member is added, and a load of every member that would pass it
 * stops and is not tried again until the cache is rebuilt (the members
 * then come one by one).  So no backend holds more than the budget,
 * whatever the size of the city: 100 000 members take about 11 MB.
 *
 * A statement-level trigger on member and membership (rulebook_changed,
 * caches.c) sends a relcache invalidation for the changed table; every
 * backend receives it when the change commits, at its next table lock, and
 * empties its cache.  Member edits that could contradict recorded rows
 * first lock the ledger tables in SHARE mode (rulebook_guard.c), so no
 * write can slip between the check and the commit.  Members are read with
 * the latest snapshot, so a REPEATABLE READ transaction never sees an old
 * membership, and as the ledger's owner, so that what is cached does not
 * depend on the row security of whoever happened to load it.
 */
#include "pointsys.h"

#include "member_cache.h"

#include "owner_spi.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

/* The most a backend's member cache holds, in bytes (a test builds smaller) */
#ifndef MEMBER_CACHE_BUDGET
#define MEMBER_CACHE_BUDGET (32 * 1024 * 1024)
#endif

/* A recorder's members looked up one by one before all are read at once */
#define SCOPE_MISSES 32

/* Members asked for in one query by member_cache_expect */
#define MEMBER_BATCH 10000

/* The arena's blocks, of which each member takes one piece */
#define ARENA_BLOCK (64 * 1024)

/* members looked up so far, valid while members_valid */
static MemoryContext member_context = NULL;
static HTAB *members = NULL;
static bool members_valid = false;
static MemberInfo *last_member = NULL;	/* the last one looked up */
static int	member_misses = 0;	/* members fetched one by one into it */
static int	member_preload_misses = 0;	/* at which all are loaded */
static float4 member_reltuples = -1;	/* pg_class.reltuples of member */
static bool members_complete = false;	/* it holds every member */

/*
 * A recorder's members (member_info_within): the scope (a list of her
 * branches) of which the cache holds every member, the scope whose
 * members are being looked up one by one and how many so far, and a scope
 * whose members passed the budget
 */
static uint64 scope_loaded = 0;
static uint64 scope_counted = 0;
static int	scope_misses = 0;
static uint64 scope_failed = 0;
static char *arena_next = NULL;
static char *arena_end = NULL;

/* the tables whose invalidations empty the cache; InvalidOid until known */
static Oid	member_relid = InvalidOid;
static Oid	membership_relid = InvalidOid;

/* The ways members are read (their queries: member_plan) */
typedef enum MemberQuery
{
	MEMBER_ONE,					/* $1: a member_id */
	MEMBER_SOME,				/* $1: an array of member_ids */
	MEMBER_WITHIN,				/* $1: an array of branch_ids */
	MEMBER_ALL
} MemberQuery;

/*
 * A member's rows: the member, with each of their membership rows in
 * turn (one row, with NULL since and branch, when they have none), the
 * rows of a member together, in order of since
 */
#define MEMBER_ROWS \
	"SELECT m.member_id, m.branch_id, m.joined_on, m.left_on, h.since, h.branch_id" \
	" FROM pointsys.member m LEFT JOIN pointsys.membership h" \
	"   ON h.member_id OPERATOR(pg_catalog.=) m.member_id"
#define MEMBER_ORDER " ORDER BY m.member_id, h.since"
#define MEMBER_ROWS_LEGACY \
	"SELECT m.member_id, m.branch_id, m.joined_on, m.left_on, NULL::pg_catalog.date, NULL::pg_catalog.text" \
	" FROM pointsys.member m"
#define MEMBER_WHERE_ONE " WHERE m.member_id OPERATOR(pg_catalog.=) $1"
#define MEMBER_WHERE_SOME " WHERE m.member_id OPERATOR(pg_catalog.=) ANY ($1)"
/* a member now in, or ever in, one of the branches */
#define MEMBER_WHERE_WITHIN_LEGACY " WHERE m.branch_id OPERATOR(pg_catalog.=) ANY ($1)"
#define MEMBER_WHERE_WITHIN MEMBER_WHERE_WITHIN_LEGACY \
	" OR m.member_id IN (SELECT s.member_id FROM pointsys.membership s" \
	"   WHERE s.branch_id OPERATOR(pg_catalog.=) ANY ($1))"

/* Drop the members on an invalidation of member or membership */
static void
member_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == member_relid || relid == membership_relid)
		members_valid = false;
}

void
member_cache_register_callbacks(void)
{
	CacheRegisterRelcacheCallback(member_relcache_callback, (Datum) 0);
}

/* A member_id (the key: a pointer to the id) hashed */
static uint32
member_id_hash(const void *key, Size keysize)
{
	const char *id = *(const char *const *) key;

	return hash_bytes((const unsigned char *) id, (int) strlen(id));
}

static int
member_id_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(const char *const *) key1, *(const char *const *) key2);
}

/* size bytes of the arena, for as long as the cache lives */
static void *
arena_alloc(Size size)
{
	void	   *result;

	size = MAXALIGN(size);
	if (arena_next == NULL || (Size) (arena_end - arena_next) < size)
	{
		Size		block = Max(size, ARENA_BLOCK);

		arena_next = MemoryContextAlloc(member_context, block);
		arena_end = arena_next + block;
	}
	result = arena_next;
	arena_next += size;
	return result;
}

/* The cache's entry for member_id, a new one not existing if none */
static MemberInfo *
member_enter(const char *member_id)
{
	MemberInfo *info = hash_search(members, &member_id, HASH_FIND, NULL);
	char	   *key;

	if (info != NULL)
		return info;
	key = arena_alloc(strlen(member_id) + 1);
	strcpy(key, member_id);
	info = hash_search(members, &key, HASH_ENTER, NULL);
	info->member_id = key;
	info->exists = false;
	info->nhistory = 0;
	info->joined_on = DATEVAL_NOBEGIN;
	info->left_on = DATEVAL_NOEND;
	info->branch_id = "";
	info->since = NULL;
	info->branches = NULL;
	return info;
}

/*
 * The member being read from a query's rows, held until its last row
 * (the rows of a member come together)
 */
typedef struct MemberReceiver
{
	DestReceiver pub;
	MemoryContext scratch;		/* the member being read; reset per member */
	char	   *member_id;		/* NULL before the first row */
	char	   *branch_id;
	DateADT		joined_on;
	DateADT		left_on;
	int			nhistory;
	int			size;
	DateADT    *since;
	char	  **branches;
	bool		stop_at_budget; /* stop (full) once past the budget */
	bool		full;
} MemberReceiver;

/* Store the member read so far into the cache, unless it holds it already */
static void
member_store(MemberReceiver *r)
{
	MemberInfo *info;
	char	   *piece;
	Size		size;
	int			i;

	if (r->member_id == NULL)
		return;
	info = member_enter(r->member_id);
	if (!info->exists)
	{
		/* one piece: the history's branches, their first months, the strings */
		size = sizeof(char *) * r->nhistory + sizeof(DateADT) * r->nhistory +
			strlen(r->branch_id) + 1;
		for (i = 0; i < r->nhistory; i++)
			if (strcmp(r->branches[i], r->branch_id) != 0)
				size += strlen(r->branches[i]) + 1;
		piece = arena_alloc(size);
		info->branches = (const char **) piece;
		piece += sizeof(char *) * r->nhistory;
		info->since = (DateADT *) piece;
		piece += sizeof(DateADT) * r->nhistory;
		info->branch_id = strcpy(piece, r->branch_id);
		piece += strlen(r->branch_id) + 1;
		for (i = 0; i < r->nhistory; i++)
		{
			info->since[i] = r->since[i];
			if (strcmp(r->branches[i], r->branch_id) == 0)
				info->branches[i] = info->branch_id;
			else
			{
				info->branches[i] = strcpy(piece, r->branches[i]);
				piece += strlen(r->branches[i]) + 1;
			}
		}
		info->nhistory = r->nhistory;
		info->joined_on = r->joined_on;
		info->left_on = r->left_on;
		info->exists = true;
	}
	MemoryContextReset(r->scratch);
	r->member_id = NULL;
}

/* A row of MEMBER_ROWS: a member's first, or one more of its history */
static bool
member_receive(TupleTableSlot *slot, DestReceiver *self)
{
	MemberReceiver *r = (MemberReceiver *) self;
	MemoryContext old;
	char	   *member_id;

	slot_getallattrs(slot);
	if (slot->tts_isnull[0])
		return true;
	old = MemoryContextSwitchTo(r->scratch);
	member_id = TextDatumGetCString(slot->tts_values[0]);
	if (r->member_id != NULL && strcmp(r->member_id, member_id) != 0)
	{
		MemoryContextSwitchTo(old);
		member_store(r);
		if (r->stop_at_budget &&
			MemoryContextMemAllocated(member_context, true) > MEMBER_CACHE_BUDGET)
		{
			r->full = true;
			return false;		/* stop the query */
		}
		old = MemoryContextSwitchTo(r->scratch);
		member_id = TextDatumGetCString(slot->tts_values[0]);
	}
	if (r->member_id == NULL)
	{
		r->member_id = member_id;
		r->branch_id = slot->tts_isnull[1] ? "" : TextDatumGetCString(slot->tts_values[1]);
		r->joined_on = slot->tts_isnull[2] ? DATEVAL_NOBEGIN : DatumGetDateADT(slot->tts_values[2]);
		r->left_on = slot->tts_isnull[3] ? DATEVAL_NOEND : DatumGetDateADT(slot->tts_values[3]);
		r->nhistory = 0;
		r->size = 4;
		r->since = palloc(sizeof(DateADT) * r->size);
		r->branches = palloc(sizeof(char *) * r->size);
	}
	/* no history (before 1.4's update script): the current branch */
	if (!slot->tts_isnull[4])
	{
		if (r->nhistory == r->size)
		{
			r->size *= 2;
			r->since = repalloc(r->since, sizeof(DateADT) * r->size);
			r->branches = repalloc(r->branches, sizeof(char *) * r->size);
		}
		r->since[r->nhistory] = DatumGetDateADT(slot->tts_values[4]);
		r->branches[r->nhistory++] = slot->tts_isnull[5] ? "" :
			TextDatumGetCString(slot->tts_values[5]);
	}
	MemoryContextSwitchTo(old);
	return true;
}

static void
member_receiver_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
member_receiver_nothing(DestReceiver *self)
{
}

/* The query for the members of kind, prepared once */
static SPIPlanPtr
member_plan(MemberQuery kind)
{
	static SPIPlanPtr plans[4][2];
	bool		legacy = !OidIsValid(membership_relid);
	Oid			argtype = kind == MEMBER_ONE ? TEXTOID : TEXTARRAYOID;
	const char *rows = legacy ? MEMBER_ROWS_LEGACY : MEMBER_ROWS;
	const char *order = legacy ? " ORDER BY m.member_id" : MEMBER_ORDER;
	const char *where = "";

	if (kind == MEMBER_ONE)
		where = MEMBER_WHERE_ONE;
	else if (kind == MEMBER_SOME)
		where = MEMBER_WHERE_SOME;
	else if (kind == MEMBER_WITHIN)
		where = legacy ? MEMBER_WHERE_WITHIN_LEGACY : MEMBER_WHERE_WITHIN;

	if (plans[kind][legacy] == NULL)
	{
		char	   *sql = psprintf("%s%s%s", rows, where, order);

		/* a nested loop over the ids, whatever their number */
		if (kind == MEMBER_SOME)
			spi_keep_generic_plan(&plans[kind][legacy], sql, 1, &argtype);
		else
			spi_keep_plan(&plans[kind][legacy], sql, kind == MEMBER_ALL ? 0 : 1, &argtype);
	}
	return plans[kind][legacy];
}

/*
 * Read the members of a query (latest committed data, as the owner) into
 * the cache; true unless it stopped at the budget (stop_at_budget)
 */
static bool
member_read(MemberQuery kind, Datum arg, bool stop_at_budget)
{
	MemberReceiver r;
	SPIExecuteOptions options;
	OwnerSwitch saved;
	int			rc;

	memset(&r, 0, sizeof(r));
	r.pub.receiveSlot = member_receive;
	r.pub.rStartup = member_receiver_startup;
	r.pub.rShutdown = member_receiver_nothing;
	r.pub.rDestroy = member_receiver_nothing;
	r.pub.mydest = DestNone;
	r.stop_at_budget = stop_at_budget;
	r.scratch = AllocSetContextCreate(CurrentMemoryContext, "pointsys member rows",
									  ALLOCSET_SMALL_SIZES);
	memset(&options, 0, sizeof(options));
	options.read_only = true;
	options.dest = &r.pub;

	spi_begin(&saved);
	if (kind != MEMBER_ALL)
	{
		options.params = makeParamList(1);
		options.params->numParams = 1;
		options.params->params[0].value = arg;
		options.params->params[0].isnull = false;
		options.params->params[0].pflags = PARAM_FLAG_CONST;
		options.params->params[0].ptype = kind == MEMBER_ONE ? TEXTOID : TEXTARRAYOID;
	}
	PushActiveSnapshot(GetLatestSnapshot());
	rc = SPI_execute_plan_extended(member_plan(kind), &options);
	PopActiveSnapshot();
	if (rc < 0)
		elog(ERROR, "pointsys: member query failed");
	if (!r.full)
		member_store(&r);
	spi_end(&saved);
	MemoryContextDelete(r.scratch);
	return !r.full;
}

/* member_read, leaving the cache invalid if it fails half-way */
static bool
member_read_all_or_nothing(MemberQuery kind, Datum arg, bool stop_at_budget)
{
	bool		result = false;

	PG_TRY();
	{
		result = member_read(kind, arg, stop_at_budget);
	}
	PG_CATCH();
	{
		members_valid = false;	/* some members may be half-filled */
		PG_RE_THROW();
	}
	PG_END_TRY();
	return result;
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

	member_reltuples = -1;
	if (HeapTupleIsValid(tuple))
	{
		member_reltuples = ((Form_pg_class) GETSTRUCT(tuple))->reltuples;
		ReleaseSysCache(tuple);
	}
	return (int) Max(32, Min(member_reltuples / 32, 1e9));
}

/* An empty member cache, if it was invalidated or has passed its budget */
static void
members_ready(void)
{
	HASHCTL		ctl;

	if (members_valid && members != NULL &&
		MemoryContextMemAllocated(member_context, true) <= MEMBER_CACHE_BUDGET)
		return;
	if (member_context == NULL)
		member_context = AllocSetContextCreate(CacheMemoryContext, "pointsys members",
											   ALLOCSET_DEFAULT_SIZES);
	MemoryContextReset(member_context);
	last_member = NULL;
	arena_next = arena_end = NULL;
	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(MemberInfo);
	ctl.hash = member_id_hash;
	ctl.match = member_id_match;
	ctl.hcxt = member_context;
	members = hash_create("pointsys members", 1024, &ctl,
						  HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	member_relid = pointsys_relation("member");
	membership_relid = pointsys_relation("membership");
	/* a load of all that stopped at the budget is not tried again */
	if (!members_valid || member_preload_misses != INT_MAX)
		member_preload_misses = preload_misses();
	if (!members_valid)
		scope_failed = 0;
	scope_loaded = scope_counted = 0;
	members_valid = true;
	member_misses = 0;
	members_complete = false;
}

/*
 * Load every member, unless they pass the budget: then the cache is
 * emptied and its members come one by one until it is rebuilt.
 */
static void
members_load_all(void)
{
	members_complete = member_read_all_or_nothing(MEMBER_ALL, (Datum) 0, true);
	if (!members_complete)
	{
		members_valid = false;
		members_ready();
		member_preload_misses = INT_MAX;
	}
}

/*
 * Add a member that is not in the cache: from the whole table loaded at the
 * member_preload_misses-th such member, else by a query of its own.
 */
static MemberInfo *
member_add(const char *member_id)
{
	if (!members_complete && ++member_misses == member_preload_misses)
		members_load_all();
	if (!members_complete)
		member_read_all_or_nothing(MEMBER_ONE, CStringGetTextDatum(member_id), false);
	/* not read: does not exist */
	return member_enter(member_id);
}

/*
 * A statement is about to look up these members (a member_id may come more
 * than once): read those the cache does not hold, ten thousand to a query,
 * instead of one query each.
 */
void
member_cache_expect(const char *const *member_ids, int n)
{
	Datum	   *ids = palloc(sizeof(Datum) * Min(n, MEMBER_BATCH));
	int			i = 0;

	/*
	 * A quarter of the members or more (a month's DELETE): reading them all
	 * in one pass costs less than looking up each of them by its id
	 */
	members_ready();
	if (!members_complete && member_preload_misses != INT_MAX &&
		n >= Max(32, member_reltuples / 4))
		members_load_all();
	while (i < n)
	{
		int			first = i;
		int			nids = 0;

		members_ready();
		if (members_complete)
			break;
		for (; i < n && nids < MEMBER_BATCH; i++)
			if (hash_search(members, &member_ids[i], HASH_FIND, NULL) == NULL)
				ids[nids++] = CStringGetTextDatum(member_ids[i]);
		if (nids == 0)
			continue;
		member_read_all_or_nothing(MEMBER_SOME,
								   PointerGetDatum(construct_array(ids, nids, TEXTOID, -1,
																   false, TYPALIGN_INT)),
								   false);
		/* those not read do not exist */
		for (; first < i; first++)
			member_enter(member_ids[first]);
	}
	pfree(ids);
}

/* The cache's entry for member_id, or NULL (the cache made ready) */
static MemberInfo *
member_cached(const char *member_id)
{
	/* a sheet's rows come member by member */
	if (members_valid && last_member != NULL && strcmp(last_member->member_id, member_id) == 0)
		return last_member;
	members_ready();
	return hash_search(members, &member_id, HASH_FIND, NULL);
}

/*
 * A member's membership; info->exists is false for an unknown member.
 * Valid until the next call.
 */
const MemberInfo *
member_info(const char *member_id)
{
	MemberInfo *info = member_cached(member_id);

	if (info == NULL)
		info = member_add(member_id);
	last_member = info;
	return info;
}

/*
 * A member for the row security of a recorder (not an admin) whose
 * branches are branches[0..count-1], scope identifying that list
 * (recorded_branches): one who never belonged to any of them may come back
 * as not existing.  So her session holds her own members, not the city's:
 * the first members it lacks are read one by one, and the SCOPE_MISSES-th
 * reads every member of her branches at once, after which a member the
 * cache does not hold is not hers.
 */
const MemberInfo *
member_info_within(const char *member_id, const char *const *branches, int count,
				   uint64 scope)
{
	static const MemberInfo not_hers = {"", false, 0, DATEVAL_NOBEGIN, DATEVAL_NOEND, "", NULL, NULL};
	MemberInfo *info;

	if (count == 0)
		return &not_hers;		/* she records no branch */
	info = member_cached(member_id);
	if (info != NULL)
		return last_member = info;
	if (members_complete || scope_loaded == scope)
		return &not_hers;
	if (scope_counted != scope)
	{
		scope_counted = scope;
		scope_misses = 0;
	}
	if (scope_failed != scope && ++scope_misses >= SCOPE_MISSES)
	{
		Datum	   *ids = palloc(sizeof(Datum) * count);
		int			i;

		for (i = 0; i < count; i++)
			ids[i] = CStringGetTextDatum(branches[i]);
		if (member_read_all_or_nothing(MEMBER_WITHIN,
									   PointerGetDatum(construct_array(ids, count, TEXTOID, -1,
																	   false, TYPALIGN_INT)),
									   true))
			scope_loaded = scope;
		else
		{
			/* her members pass the budget: one by one, from an empty cache */
			members_valid = false;
			members_ready();
			scope_failed = scope;
		}
		pfree(ids);
		info = hash_search(members, &member_id, HASH_FIND, NULL);
		return info != NULL ? (last_member = info) : &not_hers;
	}
	member_read_all_or_nothing(MEMBER_ONE, CStringGetTextDatum(member_id), false);
	/* not read: does not exist */
	return last_member = member_enter(member_id);
}

/* A member's name, read for a message ("" for a member that does not exist) */
const char *
member_name(const MemberInfo *member)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtype = TEXTOID;
	Datum		arg = CStringGetTextDatum(member->member_id);
	OwnerSwitch saved;
	MemoryContext caller = CurrentMemoryContext;
	char	   *name = "";

	spi_begin(&saved);
	if (spi_latest(spi_keep_plan(&plan, "SELECT name FROM pointsys.member"
								 " WHERE member_id OPERATOR(pg_catalog.=) $1", 1, &argtype),
				   &arg, NULL) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: member query failed");
	if (SPI_processed > 0)
	{
		bool		isnull;
		Datum		value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			name = MemoryContextStrdup(caller, TextDatumGetCString(value));
	}
	spi_end(&saved);
	return name;
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
