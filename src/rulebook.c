/*
 * rulebook.c
 *		Backend-local caches of the rulebook and of members.
 *
 * The write-rule triggers look up an item's maximum and step, an award
 * kind, and a member's membership for every row; a query per row would
 * cost several times the insert itself.  So each backend keeps:
 *
 *	- the whole rulebook (item, award_kind), loaded on first use;
 *	- the members it has looked up, one query per member.
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
 * row-security policies (process.c).
 */
#include "rulebook.h"
#include "trigger_check.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "miscadmin.h"

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

#define MEMBER_CACHE_LIMIT 200000

/* the tables whose invalidations concern us; InvalidOid until known */
static Oid	item_relid = InvalidOid;
static Oid	award_kind_relid = InvalidOid;
static Oid	member_relid = InvalidOid;
static Oid	recorder_relid = InvalidOid;

/* owner of the ledger's tables, and the table it was read from */
static Oid	owner_relid = InvalidOid;
static Oid	owner = InvalidOid;

static SPIPlanPtr member_plan = NULL;


/* Drop what an invalidation of relid makes stale (InvalidOid: everything) */
static void
relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == item_relid || relid == award_kind_relid)
		rulebook_valid = false;
	if (relid == InvalidOid || relid == member_relid)
		members_valid = false;
	if (relid == InvalidOid || relid == recorder_relid)
		recorders_valid = false;
	if (relid == InvalidOid || relid == owner_relid)
		owner = InvalidOid;
}

/*
 * Connect to SPI as the owner of the ledger's tables (the extension's
 * owner), with row security not applied, as referential integrity checks
 * do: what the checks and caches read must not depend on who asks.
 *
 * The owner is a superuser, so nothing a user defined may run while we are
 * the owner: the switch is a security-restricted operation (no temporary
 * objects, no SET ROLE, no deferred user code), and search_path is pinned to
 * pg_catalog, pg_temp, as PostgreSQL's maintenance commands do since
 * CVE-2022-1552.  Our queries also name every table, function and operator
 * with its schema, and read only built-in types.  The caller's user and
 * search_path come back with spi_end(), or with the (sub)transaction's
 * abort.
 */
void
spi_begin(OwnerSwitch *saved)
{
	GetUserIdAndSecContext(&saved->userid, &saved->sec_context);
	if (owner == InvalidOid)
	{
		Oid			relid = pointsys_relation("score");
		HeapTuple	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));

		if (!HeapTupleIsValid(tuple))
			elog(ERROR, "cache lookup failed for relation %u", relid);
		owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
		ReleaseSysCache(tuple);
		owner_relid = relid;
	}
	SetUserIdAndSecContext(owner, saved->sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION | SECURITY_NOFORCE_RLS);
	saved->guc_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pointsys: SPI_connect failed");
}

void
spi_end(const OwnerSwitch *saved)
{
	SPI_finish();
	AtEOXact_GUC(true, saved->guc_nestlevel);
	SetUserIdAndSecContext(saved->userid, saved->sec_context);
}

/* Prepare a query once for the life of the backend */
SPIPlanPtr
spi_keep_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, argtypes);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "pointsys: cannot prepare: %s", sql);
		*plan = p;
	}
	return *plan;
}

void
rulebook_register_callbacks(void)
{
	CacheRegisterRelcacheCallback(relcache_callback, (Datum) 0);
}

/* OID of a table of schema pointsys */
Oid
pointsys_relation(const char *name)
{
	return get_relname_relid(name, get_namespace_oid("pointsys", false));
}

/*
 * Run a prepared read-only query on the latest committed data (and this
 * transaction's earlier commands), whatever the isolation level.
 */
int
spi_latest(SPIPlanPtr plan, Datum *values, const char *nulls)
{
	return SPI_execute_snapshot(plan, values, nulls,
								GetLatestSnapshot(), InvalidSnapshot,
								true, false, 0);
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

/* Column col of row of the current SPI result, as text / as micro-points */
static char *
spi_text(uint64 row, int col)
{
	char	   *value = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);

	return MemoryContextStrdup(rulebook_context, value ? value : "");
}

static int64
spi_points(uint64 row, int col)
{
	bool		isnull;
	Datum		value = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
									  col, &isnull);
	int64		result;

	if (isnull || points_from_numeric(value, &result) != FX_OK)
		elog(ERROR, "pointsys: rulebook value is not exact");
	return result;
}

/* Read item and award_kind into rulebook_context */
static void
rulebook_fill(void)
{
	OwnerSwitch saved;
	uint64		n;
	uint64		i;

	if (rulebook_context == NULL)
		rulebook_context = AllocSetContextCreate(CacheMemoryContext,
												 "pointsys rulebook",
												 ALLOCSET_SMALL_SIZES);
	MemoryContextReset(rulebook_context);
	items = NULL;
	kinds = NULL;
	nitems = nkinds = 0;
	item_relid = pointsys_relation("item");
	award_kind_relid = pointsys_relation("award_kind");
	rulebook_valid = true;		/* an invalidation while loading clears it */

	spi_begin(&saved);

	n = spi_latest_query("SELECT item, category, title, max_points, step FROM pointsys.item");
	items = MemoryContextAllocZero(rulebook_context, sizeof(RulebookItem) * (n + 1));
	for (i = 0; i < n; i++)
	{
		items[i].item = spi_text(i, 1);
		items[i].category = spi_text(i, 2);
		items[i].title = spi_text(i, 3);
		items[i].max_points = spi_points(i, 4);
		items[i].step = spi_points(i, 5);
	}
	nitems = (int) n;

	n = spi_latest_query("SELECT kind, title, points FROM pointsys.award_kind");
	kinds = MemoryContextAllocZero(rulebook_context, sizeof(RulebookAwardKind) * (n + 1));
	for (i = 0; i < n; i++)
	{
		kinds[i].kind = spi_text(i, 1);
		kinds[i].title = spi_text(i, 2);
		kinds[i].points = spi_points(i, 3);
	}
	nkinds = (int) n;

	spi_end(&saved);
}

/* (Re)load the rulebook; rulebook_valid stays false if this fails */
static void
rulebook_load(void)
{
	PG_TRY();
	{
		rulebook_fill();
	}
	PG_CATCH();
	{
		rulebook_valid = false;
		PG_RE_THROW();
	}
	PG_END_TRY();
}

/* An item of the rulebook, or NULL.  Valid until the next call. */
const RulebookItem *
rulebook_item(const char *item)
{
	int			i;

	if (!rulebook_valid)
		rulebook_load();
	for (i = 0; i < nitems; i++)
		if (strcmp(items[i].item, item) == 0)
			return &items[i];
	return NULL;
}

/* A kind of award, or NULL.  Valid until the next call. */
const RulebookAwardKind *
rulebook_award_kind(const char *kind)
{
	int			i;

	if (!rulebook_valid)
		rulebook_load();
	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

/* Fill info from pointsys.member (latest committed data) */
static void
member_fetch(const char *member_id, MemberInfo *info, MemoryContext cxt)
{
	Datum		arg = CStringGetTextDatum(member_id);
	Oid			argtype = TEXTOID;
	bool		isnull;
	OwnerSwitch saved;

	spi_begin(&saved);
	spi_keep_plan(&member_plan,
				  "SELECT name, branch_id, joined_on, left_on FROM pointsys.member"
				  " WHERE member_id OPERATOR(pg_catalog.=) $1",
				  1, &argtype);
	if (spi_latest(member_plan, &arg, NULL) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: member query failed");

	info->exists = SPI_processed > 0;
	if (info->exists)
	{
		HeapTuple	row = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Datum		value;

		info->name = MemoryContextStrdup(cxt, SPI_getvalue(row, desc, 1));
		info->branch_id = MemoryContextStrdup(cxt, SPI_getvalue(row, desc, 2));
		value = SPI_getbinval(row, desc, 3, &isnull);
		info->joined_on = isnull ? DATEVAL_NOBEGIN : DatumGetDateADT(value);
		value = SPI_getbinval(row, desc, 4, &isnull);
		info->left_on = isnull ? DATEVAL_NOEND : DatumGetDateADT(value);
	}
	spi_end(&saved);
}

/* The recorders of every branch.  Valid until the next call. */
const RecorderBranch *
recorder_branches(int *count)
{
	if (!recorders_valid)
	{
		OwnerSwitch saved;
		uint64		n;
		uint64		i;

		if (recorder_context == NULL)
			recorder_context = AllocSetContextCreate(CacheMemoryContext,
													 "pointsys recorders",
													 ALLOCSET_SMALL_SIZES);
		MemoryContextReset(recorder_context);
		recorders = NULL;
		nrecorders = 0;
		recorder_relid = pointsys_relation("recorder");
		recorders_valid = true;

		spi_begin(&saved);
		PG_TRY();
		{
			n = spi_latest_query("SELECT branch_id, role_name::pg_catalog.text FROM pointsys.recorder");
			recorders = MemoryContextAllocZero(recorder_context,
											   sizeof(RecorderBranch) * (n + 1));
			for (i = 0; i < n; i++)
			{
				char	   *role = SPI_getvalue(SPI_tuptable->vals[i],
												SPI_tuptable->tupdesc, 2);

				recorders[i].branch_id = MemoryContextStrdup(recorder_context,
															 SPI_getvalue(SPI_tuptable->vals[i],
																		  SPI_tuptable->tupdesc, 1));
				recorders[i].roleid = get_role_oid(role, true);
			}
			nrecorders = (int) n;
		}
		PG_CATCH();
		{
			recorders_valid = false;
			PG_RE_THROW();
		}
		PG_END_TRY();
		spi_end(&saved);
	}
	*count = nrecorders;
	return recorders;
}

/*
 * A member's membership; info->exists is false for an unknown member.
 * Valid until the next call.
 */
const MemberInfo *
member_info(const char *member_id)
{
	MemberInfo *info;
	bool		found;

	if (strlen(member_id) >= sizeof(info->member_id))
	{
		/* too long to be a hash key: look it up every time */
		info = palloc0(sizeof(MemberInfo));
		member_fetch(member_id, info, CurrentMemoryContext);
		return info;
	}

	if (!members_valid || members == NULL ||
		hash_get_num_entries(members) >= MEMBER_CACHE_LIMIT)
	{
		HASHCTL		ctl;

		if (member_context == NULL)
			member_context = AllocSetContextCreate(CacheMemoryContext,
												   "pointsys members",
												   ALLOCSET_DEFAULT_SIZES);
		MemoryContextReset(member_context);
		ctl.keysize = sizeof(info->member_id);
		ctl.entrysize = sizeof(MemberInfo);
		ctl.hcxt = member_context;
		members = hash_create("pointsys members", 1024, &ctl,
							  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
		member_relid = pointsys_relation("member");
		members_valid = true;
	}

	info = hash_search(members, member_id, HASH_ENTER, &found);
	if (!found)
	{
		PG_TRY();
		{
			member_fetch(member_id, info, member_context);
		}
		PG_CATCH();
		{
			hash_search(members, member_id, HASH_REMOVE, NULL);
			PG_RE_THROW();
		}
		PG_END_TRY();
	}
	return info;
}

/*
 * Statement trigger on item, award_kind, member and recorder: tell every
 * backend, at commit, to drop its cached copy.
 */
Datum
rulebook_changed(PG_FUNCTION_ARGS)
{
	static const TriggerTable cached_tables[] = {
		TRIGGER_TABLE("item"), TRIGGER_TABLE("award_kind"), TRIGGER_TABLE("member"), TRIGGER_TABLE("recorder")
	};
	static const TriggerRule rule = {
		"rulebook_changed", false, 0,
		TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE,
		false, lengthof(cached_tables), cached_tables
	};
	TriggerFiring firing;

	trigger_check(fcinfo, &rule, &firing);
	CacheInvalidateRelcache(firing.trigdata->tg_relation);
	return PointerGetDatum(NULL);
}
