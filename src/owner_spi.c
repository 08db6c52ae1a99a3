/*
 * owner_spi.c
 *		Queries run as the ledger's owner: the one way pointsys switches to
 *		the extension's owner, and its prepared-plan helpers.
 *
 * The checks, caches, month ledger and audit trail must see the same rows
 * whoever writes, so they query as the owner of the ledger's tables, with
 * row security not applied, as PostgreSQL's referential-integrity checks
 * do.  The owner is a superuser: see spi_begin() for what keeps user code
 * out of that switch (README, Security).
 */
#include "pointsys.h"

#include "owner_spi.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

/* owner of the ledger's tables, and the table it was read from */
static Oid	owner_relid = InvalidOid;
static Oid	owner = InvalidOid;

/* An ALTER of the table the owner was read from: read it again */
static void
owner_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == owner_relid)
		owner = InvalidOid;
}

void
owner_spi_register_callbacks(void)
{
	CacheRegisterRelcacheCallback(owner_relcache_callback, (Datum) 0);
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

/* Prepare a query once for the life of the backend, with cursor options */
static SPIPlanPtr
keep_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes, int options)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare_cursor(sql, nargs, argtypes, options);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "pointsys: cannot prepare: %s", sql);
		*plan = p;
	}
	return *plan;
}

/* Prepare a query once for the life of the backend */
SPIPlanPtr
spi_keep_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	return keep_plan(plan, sql, nargs, argtypes, 0);
}

/*
 * The same, always planned for any arguments: a join with the elements of
 * array arguments is then planned for a hundred of them, as a nested loop
 * over them in the order the query gives, whatever their number.
 */
SPIPlanPtr
spi_keep_generic_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	return keep_plan(plan, sql, nargs, argtypes, CURSOR_OPT_GENERIC_PLAN);
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
