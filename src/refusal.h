/*
 * refusal.h
 *		What a client's form needs to know of a write rule's refusal: the
 *		table, column and constraint name of each refusal (refusal.c), and
 *		the key of a duplicate score for writers that row-level security
 *		keeps from seeing PostgreSQL's own detail; a quarter's status as
 *		messages name it.  (The SQL function pointsys.refuse and the hook
 *		that keeps CONTEXT from writers below the owner are refusal.c's.)
 */
#ifndef POINTSYS_REFUSAL_H
#define POINTSYS_REFUSAL_H

#include "pointsys.h"

#include "utils/relcache.h"

/*
 * errfield(rel, column, constraint): inside ereport(), the refusal's schema
 * and table (rel), column and constraint name (column or constraint may
 * be NULL), as errtablecol() and errtableconstraint() give them.  Every
 * constraint name pointsys gives is listed in README's error table.
 */
extern int	errfield(Relation rel, const char *column, const char *constraint);

/* the key of the score row about to be written, for a 23505 on score_pkey */
extern void remember_score_key(const char *member_id, DateADT month, const char *item);
extern void refusal_register_hook(void);

/* a quarter's status in the session's language */
extern const char *status_word(const char *status);

#endif							/* POINTSYS_REFUSAL_H */
