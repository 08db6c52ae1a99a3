/*
 * rulebook.h
 *		Backend-local caches of the rulebook (items, award kinds) and of
 *		members, used by the write-rule triggers so that no row costs a query.
 */
#ifndef POINTSYS_RULEBOOK_H
#define POINTSYS_RULEBOOK_H

#include "pointsys.h"

#include "executor/spi.h"
#include "utils/relcache.h"

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

/* A member's party membership (pointsys.member) */
typedef struct MemberInfo
{
	char		member_id[64];	/* hash key; longer ids are not cached */
	bool		exists;
	char	   *name;
	char	   *branch_id;
	DateADT		joined_on;		/* DATEVAL_NOBEGIN when NULL */
	DateADT		left_on;		/* DATEVAL_NOEND when NULL */
} MemberInfo;

/* A recorder's branch (pointsys.recorder), with its role resolved */
typedef struct RecorderBranch
{
	char	   *branch_id;
	Oid			roleid;			/* InvalidOid if the role does not exist */
} RecorderBranch;

/* The caller's user and settings, saved while SPI runs as the ledger's owner */
typedef struct OwnerSwitch
{
	Oid			userid;
	int			sec_context;
	int			guc_nestlevel;
} OwnerSwitch;

extern void rulebook_register_callbacks(void);
extern void spi_begin(OwnerSwitch *saved);
extern void spi_end(const OwnerSwitch *saved);
extern SPIPlanPtr spi_keep_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes);
extern const RecorderBranch *recorder_branches(int *count);
extern const RulebookItem *rulebook_item(const char *item);
extern const RulebookAwardKind *rulebook_award_kind(const char *kind);
extern const MemberInfo *member_info(const char *member_id);
extern Oid	pointsys_relation(const char *name);

/* the process (process.c) */
extern void process_register_callbacks(void);
extern void check_row_security(Relation rel, const char *member_id, const char *branch_id);
extern void check_quarter_recording(const char *branch_id, int year, int month,
									const char *member_id, const char *what);

/* run a read-only SPI query on the latest committed data (rulebook_guard.c) */
extern int	spi_latest(SPIPlanPtr plan, Datum *values, const char *nulls);

#endif							/* POINTSYS_RULEBOOK_H */
