/*
 * caches.h
 *		Backend-local caches of the rulebook and the recorders (caches.c).
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

extern void caches_register_callbacks(void);
extern const RulebookItem *rulebook_item(const char *item);
extern const RulebookAwardKind *rulebook_award_kind(const char *kind);
extern const char *const *recorded_branches(int *count, uint64 *scope);

#endif							/* POINTSYS_CACHES_H */
