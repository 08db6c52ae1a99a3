/*
 * quarter_check.c
 *		A member-month's scores and awards may be written only while its
 *		branch's quarter is 'recording' (doc/contract.md §4).
 *
 * The check is race-free: a write locks its branch's row FOR SHARE (once
 * per transaction and quarter) and then reads the quarter's status from the
 * latest committed data; pointsys.advance and every direct write to
 * pointsys.period lock the branch row FOR NO KEY UPDATE first (period.c).
 * So a score either commits before its quarter leaves 'recording', or sees
 * the new status and fails, whatever the isolation level.
 *
 * Which branch's quarter: the member's branch in that month (the member
 * cache's history, pointsys.membership).  A write first locks the member's
 * row FOR KEY SHARE (once per transaction and member); a change of
 * membership locks it FOR UPDATE (membership_changed) and checks the months
 * that have rows.  So either the change commits first, and the write, after
 * its lock, reads the new history (its invalidation is taken in), or the
 * write commits first, and the change sees its rows.
 */
#include "pointsys.h"

#include "quarter_check.h"

#include "owner_spi.h"
#include "refusal.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"

/*
 * Quarters this transaction has locked and found 'recording' (the hash
 * key, zero-padded: longer branch ids are checked every time)
 */
typedef struct OpenQuarter
{
	char		branch_id[64];
	int32		year;
	int32		quarter;
} OpenQuarter;

static LocalTransactionId open_quarters_lxid = InvalidLocalTransactionId;
static HTAB *open_quarters = NULL;
static OpenQuarter last_open_quarter;	/* the last one found */

/* Members whose row this transaction has locked FOR KEY SHARE */
typedef struct LockedMember
{
	char		member_id[64];	/* hash key; longer ids are locked every time */
} LockedMember;

static LocalTransactionId locked_members_lxid = InvalidLocalTransactionId;
static HTAB *locked_members = NULL;
static char last_locked_member[64] = "";


/* A subtransaction's abort releases its row locks: forget what they held */
static void
subxact_callback(SubXactEvent event, SubTransactionId mySubid,
				 SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		open_quarters_lxid = InvalidLocalTransactionId;
		locked_members_lxid = InvalidLocalTransactionId;
	}
}

void
quarter_check_register_callbacks(void)
{
	RegisterSubXactCallback(subxact_callback, NULL);
}

/* A change of a quarter's status is coming: check this transaction's again */
void
forget_open_quarters(void)
{
	open_quarters_lxid = InvalidLocalTransactionId;
}

/*
 * Make *set anew, a set of keysize-byte keys (flags: HASH_STRINGS or
 * HASH_BLOBS) for the current transaction, unless *lxid says it is for
 * this one already; true when it was made
 */
static bool
transaction_set(HTAB **set, LocalTransactionId *lxid, const char *name, Size keysize, int flags)
{
	HASHCTL		ctl;

	if (*lxid == pointsys_current_lxid())
		return false;
	ctl.keysize = keysize;
	ctl.entrysize = keysize;
	ctl.hcxt = TopTransactionContext;
	*set = hash_create(name, 256, &ctl, HASH_ELEM | flags | HASH_CONTEXT);
	*lxid = pointsys_current_lxid();
	return true;
}

/*
 * Lock the row that query (a SELECT ... FOR <strength> of one row by its
 * text key $1, kept in *plan) finds, as the ledger's owner; what names
 * the row in the "cannot happen" error.
 */
static void
lock_row(SPIPlanPtr *plan, const char *query, const char *what, const char *key)
{
	Oid			argtype = TEXTOID;
	Datum		arg = CStringGetTextDatum(key);
	OwnerSwitch saved;

	spi_begin(&saved);
	if (SPI_execute_plan(spi_keep_plan(plan, query, 1, &argtype), &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot lock %s \"%s\"", what, key);
	spi_end(&saved);
}

/*
 * Lock a branch's row as the ledger's owner: FOR SHARE before a write to
 * one of its quarters, FOR NO KEY UPDATE before a change of a quarter's
 * status.
 */
void
lock_branch(const char *branch_id, bool for_update)
{
	static SPIPlanPtr share_plan = NULL;
	static SPIPlanPtr update_plan = NULL;

	if (for_update)
		lock_row(&update_plan,
				 "SELECT FROM pointsys.branch WHERE branch_id OPERATOR(pg_catalog.=) $1"
				 " FOR NO KEY UPDATE", "branch", branch_id);
	else
		lock_row(&share_plan,
				 "SELECT FROM pointsys.branch WHERE branch_id OPERATOR(pg_catalog.=) $1"
				 " FOR SHARE", "branch", branch_id);
}

/*
 * Lock a member's row FOR KEY SHARE as the ledger's owner before the member's
 * history is read for a write of theirs (see the top of the file), once per
 * transaction and member; after the lock, take in the invalidations of the
 * transactions it may have waited for.
 */
void
lock_member(const char *member_id)
{
	static SPIPlanPtr plan = NULL;
	bool		cached = strlen(member_id) < sizeof(last_locked_member);

	if (transaction_set(&locked_members, &locked_members_lxid, "pointsys locked members",
						sizeof(LockedMember), HASH_STRINGS))
		last_locked_member[0] = '\0';
	/* a sheet's rows come member by member */
	if (cached && strcmp(last_locked_member, member_id) == 0)
		return;
	if (cached && hash_search(locked_members, member_id, HASH_FIND, NULL) != NULL)
	{
		strcpy(last_locked_member, member_id);
		return;
	}

	lock_row(&plan,
			 "SELECT FROM pointsys.member WHERE member_id OPERATOR(pg_catalog.=) $1"
			 " FOR KEY SHARE", "member", member_id);
	AcceptInvalidationMessages();

	if (cached)
	{
		hash_search(locked_members, member_id, HASH_ENTER, NULL);
		strcpy(last_locked_member, member_id);
	}
}

/*
 * Refuse a write to a member-month of branch_id unless its quarter is
 * 'recording'; "what" describes the row for the message.
 */
void
check_quarter_recording(Relation rel, const char *branch_id, int year, int month,
						const char *member_id, const char *what)
{
	int			quarter = (month - 1) / 3 + 1;
	static SPIPlanPtr period_status_plan = NULL;
	OwnerSwitch saved;
	Datum		args[3];
	Oid			argtypes[3] = {TEXTOID, INT4OID, INT4OID};
	char	   *status = NULL;
	OpenQuarter key;
	bool		cached = strlen(branch_id) < sizeof(key.branch_id);

	if (transaction_set(&open_quarters, &open_quarters_lxid, "pointsys open quarters",
						sizeof(OpenQuarter), HASH_BLOBS))
		memset(&last_open_quarter, 0, sizeof(last_open_quarter));
	memset(&key, 0, sizeof(key));
	if (cached)
		strcpy(key.branch_id, branch_id);
	key.year = year;
	key.quarter = quarter;
	/* a sheet's rows come member by member */
	if (cached && memcmp(&key, &last_open_quarter, sizeof(key)) == 0)
		return;
	if (cached && hash_search(open_quarters, &key, HASH_FIND, NULL) != NULL)
	{
		last_open_quarter = key;
		return;
	}

	lock_branch(branch_id, false);

	args[0] = CStringGetTextDatum(branch_id);
	args[1] = Int32GetDatum(year);
	args[2] = Int32GetDatum(quarter);
	spi_begin(&saved);
	spi_keep_plan(&period_status_plan,
				  "SELECT status FROM pointsys.period"
				  " WHERE branch_id OPERATOR(pg_catalog.=) $1"
				  "   AND year OPERATOR(pg_catalog.=) $2 AND quarter OPERATOR(pg_catalog.=) $3",
				  3, argtypes);
	if (spi_latest(period_status_plan, args, NULL) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot read the period of branch \"%s\"", branch_id);
	if (SPI_processed > 0)
		status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (status != NULL)
		status = pstrdup(status);
	spi_end(&saved);

	if (status != NULL && strcmp(status, "recording") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("quarter %d-Q%d of branch \"%s\" is %s", year, quarter, branch_id, status_word(status)),
				 errdetail("The month is %04d-%02d: %s of member \"%s\" cannot be written.",
						   year, month, what, member_id),
				 errhint("Scores and awards change only while the quarter is recording; pointsys.reopen() takes it back."),
				 errfield(rel, "month", psprintf("%s_quarter_recording", RelationGetRelationName(rel)))));

	if (cached)
	{
		hash_search(open_quarters, &key, HASH_ENTER, NULL);
		last_open_quarter = key;
	}
}
