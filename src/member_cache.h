/*
 * member_cache.h
 *		The backend's cache of members and their branch history
 *		(member_cache.c).
 */
#ifndef POINTSYS_MEMBER_CACHE_H
#define POINTSYS_MEMBER_CACHE_H

#include "pointsys.h"

#include "utils/date.h"

/*
 * A member's party membership (pointsys.member) and branch history
 * (pointsys.membership: the first month in each branch, ascending).  The
 * member's name is not kept: member_name() reads it for a message.
 */
typedef struct MemberInfo
{
	const char *member_id;		/* hash key */
	bool		exists;
	int			nhistory;		/* membership rows; 0: branch_id throughout */
	DateADT		joined_on;		/* DATEVAL_NOBEGIN when NULL */
	DateADT		left_on;		/* DATEVAL_NOEND when NULL */
	const char *branch_id;		/* the current branch */
	DateADT    *since;			/* nhistory first months, ascending */
	const char **branches;		/* the branch from each of them */
} MemberInfo;

extern void member_cache_register_callbacks(void);
extern const MemberInfo *member_info(const char *member_id);
extern const MemberInfo *member_info_within(const char *member_id,
											const char *const *branches, int count,
											uint64 scope);
extern void member_cache_expect(const char *const *member_ids, int n);
extern const char *member_name(const MemberInfo *member);
extern const char *member_branch_at(const MemberInfo *member, DateADT month);

#endif							/* POINTSYS_MEMBER_CACHE_H */
