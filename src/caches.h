/*
 * caches.h
 *		Backend-local caches of the rulebook, the members and the
 *		recorders (caches.c).
 */
#ifndef POINTSYS_CACHES_H
#define POINTSYS_CACHES_H

#include "pointsys.h"

/* An item of the rulebook (pointsys.item) */
typedef struct RulebookItem
{
	char	   *item;
	char	   *category;
	char	   *title;
	int64		max_points;		/* micro-points */
	int64		step;			/* micro-points */
} RulebookItem;

/* A kind of award (pointsys.award_kind) */
typedef struct RulebookAwardKind
{
	char	   *kind;
	char	   *title;
	int64		points;			/* micro-points */
} RulebookAwardKind;

/* The longest member_id the member cache holds, with its terminating zero */
#define MEMBER_ID_CACHED 64

/*
 * A member's party membership (pointsys.member) and branch history
 * (pointsys.membership: the first month in each branch, ascending)
 */
typedef struct MemberInfo
{
	char		member_id[MEMBER_ID_CACHED];	/* hash key; longer ids are
												 * not cached */
	bool		exists;
	char	   *name;
	char	   *branch_id;		/* the current branch */
	DateADT		joined_on;		/* DATEVAL_NOBEGIN when NULL */
	DateADT		left_on;		/* DATEVAL_NOEND when NULL */
	int			nhistory;		/* membership rows; 0: branch_id throughout */
	DateADT    *since;			/* nhistory first months, ascending */
	char	  **branches;		/* the branch from each of them */
} MemberInfo;

/* A recorder's branch (pointsys.recorder), with its role resolved */
typedef struct RecorderBranch
{
	char	   *branch_id;
	Oid			roleid;			/* InvalidOid if the role does not exist */
} RecorderBranch;

extern void caches_register_callbacks(void);
extern const RulebookItem *rulebook_item(const char *item);
extern const RulebookAwardKind *rulebook_award_kind(const char *kind);
extern const MemberInfo *member_info(const char *member_id);
extern void member_cache_expect(int n);
extern const char *member_branch_at(const MemberInfo *member, DateADT month);
extern const RecorderBranch *recorder_branches(int *count);

#endif							/* POINTSYS_CACHES_H */
