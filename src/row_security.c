/*
 * row_security.c
 *		Who may write which rows: the row-level security policies' tests
 *		(may_record, may_record_branch), and the same test made first by the
 *		write rules (check_row_security).
 *
 * A recorder records for the branches where pointsys.recorder names a role
 * they are a member of; pointsys_admin for every branch.
 */
#include "pointsys.h"

#include "row_security.h"

#include "caches.h"
#include "member_cache.h"
#include "dates.h"
#include "refusal.h"

#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/rls.h"

PG_FUNCTION_INFO_V1(may_record);
PG_FUNCTION_INFO_V1(may_record_month);
PG_FUNCTION_INFO_V1(may_record_branch);

/* Is the current user a recorder of branch_id? */
bool
records_branch(const char *branch_id)
{
	int			count;
	uint64		scope;
	const char *const *branches = recorded_branches(&count, &scope);
	int			i;

	for (i = 0; i < count; i++)
		if (strcmp(branches[i], branch_id) == 0)
			return true;
	return false;
}

/*
 * The member whose rows a recorder's row security tests: one not existing
 * if the member may never have belonged to one of her branches
 * (member_info_within: her session need not hold the city's members)
 */
static const MemberInfo *
recorders_member(const char *member_id)
{
	int			count;
	uint64		scope;
	const char *const *branches = recorded_branches(&count, &scope);

	return member_info_within(member_id, branches, count, scope);
}

/* Is the current user pointsys_admin (or a superuser)? */
bool
is_admin(void)
{
	Oid			admin = get_role_oid("pointsys_admin", true);

	return superuser() || (OidIsValid(admin) && has_privs_of_role(GetUserId(), admin));
}

/*
 * May the current user write a new row of rel (score, award: for
 * member_id in the month of date month; period: for branch_id), as its
 * row-level security would let them?  The write rules ask this before any
 * other check, and refuse with refuse_row() when not, so that a recorder
 * writing for a member of another branch cannot learn, from which error
 * comes first, whether the member exists, their name and dates, or the
 * state of their quarter; and before any lock is taken, so that such a
 * write blocks nobody.  It mirrors the policies of the install script:
 * admin_all (pointsys_admin: every row) and recorder_branch
 * (pointsys_recorder: may_record(member_id, month), may_record_branch).  A
 * NULL month (for NOT NULL to refuse) is tested against the member's
 * current branch.
 */
bool
row_security_allows(Relation rel, const char *member_id, const DateADT *month,
					const char *branch_id)
{
	Oid			recorder;

	if (superuser() ||
		check_enable_rls(RelationGetRelid(rel), InvalidOid, true) != RLS_ENABLED || is_admin())
		return true;
	recorder = get_role_oid("pointsys_recorder", true);
	if (!OidIsValid(recorder) || !has_privs_of_role(GetUserId(), recorder))
		return false;
	if (member_id != NULL)
	{
		const MemberInfo *member = recorders_member(member_id);

		return member->exists &&
			records_branch(month ? member_branch_at(member, *month) : member->branch_id);
	}
	return branch_id != NULL && records_branch(branch_id);
}

/*
 * Can the current user read member's row: a recorder of a branch the
 * member belongs or belonged to (the policy recorder_branch of member)?
 */
static bool
reads_member(const MemberInfo *member)
{
	int			i;

	if (!member->exists)
		return false;
	if (records_branch(member->branch_id))
		return true;
	for (i = 0; i < member->nhistory; i++)
		if (records_branch(member->branches[i]))
			return true;
	return false;
}

/*
 * Refuse the new row that row_security_allows() did not, naming the row
 * sent (sent: a full sentence, the refusal's detail) and nothing else: the
 * same refusal whatever the member, month, item or quarter, with constant
 * fields.  One exception, release 1.1's refusal (23503): a month before
 * the member joined the party or after they left, for a member the writer
 * may read (one who belongs or belonged to her branches), whose dates she
 * can read anyway.
 */
void
refuse_row(Relation rel, const char *member_id, const DateADT *month, const char *sent)
{
	if (member_id != NULL && month != NULL && !DATE_NOT_FINITE(*month))
	{
		const MemberInfo *member = member_info(member_id);
		int			year;
		int			mon;
		int			y;
		int			m;

		if (reads_member(member))
		{
			bool		before = false; /* the month is before she joined */
			bool		after = false;	/* or after she left */

			date_year_month(*month, &year, &mon);
			if (!DATE_NOT_FINITE(member->joined_on))
			{
				date_year_month(member->joined_on, &y, &m);
				before = y > year || (y == year && m > mon);
			}
			if (!before && !DATE_NOT_FINITE(member->left_on))
			{
				date_year_month(member->left_on, &y, &m);
				after = y < year || (y == year && m < mon);
			}
			if (before || after)
			{
				const char *name = member_name(member);

				ereport(ERROR,
						(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
						 errmsg("member \"%s\" does not belong to the party in %s",
								member_id, month_text(*month)),
						 before ?
						 errdetail("Member \"%s\" (%s) joined on %s. %s", member_id,
								   name, date_text(member->joined_on), sent) :
						 errdetail("Member \"%s\" (%s) left on %s. %s", member_id,
								   name, date_text(member->left_on), sent),
						 errfield(rel, "month", psprintf("%s_member_in_party",
														 RelationGetRelationName(rel)))));
			}
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("new row violates row-level security policy for table \"%s\"",
					RelationGetRelationName(rel)),
			 errdetail_internal("%s", sent),
			 errhint("A recorder writes for the members of her branches, in the months they belong to them."),
			 errfield(rel, strcmp(RelationGetRelationName(rel), "period") == 0 ? "branch_id" : "member_id",
					  "recorder_branch")));
}

/* may_record_branch(branch_id): row security of branch-level tables */
Datum
may_record_branch(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(records_branch(TextDatumGetCString(PG_GETARG_DATUM(0))));
}

/* may_record(member_id): is the current user a recorder of the member's current branch */
Datum
may_record(PG_FUNCTION_ARGS)
{
	const MemberInfo *member = recorders_member(TextDatumGetCString(PG_GETARG_DATUM(0)));

	PG_RETURN_BOOL(member->exists && records_branch(member->branch_id));
}

/*
 * may_record(member_id, month): row security of score, award and
 * member_month: a recorder of the branch the member belonged to in that month
 */
Datum
may_record_month(PG_FUNCTION_ARGS)
{
	const MemberInfo *member = recorders_member(TextDatumGetCString(PG_GETARG_DATUM(0)));

	PG_RETURN_BOOL(member->exists &&
				   records_branch(member_branch_at(member, PG_GETARG_DATEADT(1))));
}
