/*
 * month_key.h
 *		A member-month as the key of a backend hash table (month_key.c),
 *		for the statement triggers that gather a statement's rows by
 *		member-month: member_month.c and the delete check of write_rules.c.
 */
#ifndef POINTSYS_MONTH_KEY_H
#define POINTSYS_MONTH_KEY_H

#include "pointsys.h"

#include "utils/hsearch.h"

/* A member-month, as the key of a dynahash table (HASH_FUNCTION, HASH_COMPARE) */
typedef struct MonthKey
{
	const char *member_id;
	DateADT		month;
} MonthKey;

extern uint32 month_key_hash(const void *key, Size keysize);
extern int	month_key_match(const void *a, const void *b, Size keysize);
extern bool month_key_is(const MonthKey *key, Datum member_id, DateADT month);
extern HTAB *month_key_table(const char *name, long nelem, Size entrysize);

#endif							/* POINTSYS_MONTH_KEY_H */
