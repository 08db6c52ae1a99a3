/*
 * text_limits.h
 *		The longest free text each column of the ledger keeps
 *		(text_limits.c).
 */
#ifndef POINTSYS_TEXT_LIMITS_H
#define POINTSYS_TEXT_LIMITS_H

#include "pointsys.h"

#include "utils/relcache.h"

/* notes and descriptions, in characters */
#define NOTE_MAX_CHARS 500
/* names and titles, in characters */
#define NAME_MAX_CHARS 100

extern int	text_over_limit(Datum value, int limit);
extern void check_text_limit(Relation rel, const char *column, int limit,
							 Datum value, bool isnull, const Datum *old,
							 const char *whose);

#endif							/* POINTSYS_TEXT_LIMITS_H */
