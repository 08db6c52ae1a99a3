/*
 * month_ledger.h
 *		The month ledger on a logical replication subscriber
 *		(month_ledger_rows.c), for member_month.c; member-months as hash
 *		keys (member_month.c), for the month ledger and the write rules.
 */
#ifndef POINTSYS_MONTH_LEDGER_H
#define POINTSYS_MONTH_LEDGER_H

#include "pointsys.h"

#include "utils/date.h"

/* A member-month, as the key of a dynahash table (HASH_FUNCTION, HASH_COMPARE) */
typedef struct MonthKey
{
	const char *member_id;
	DateADT		month;
} MonthKey;

extern uint32 month_key_hash(const void *key, Size keysize);
extern int	month_key_match(const void *a, const void *b, Size keysize);
extern bool month_key_is(const MonthKey *key, Datum member_id, DateADT month);

extern bool month_ledger_subscribed(void);
extern void award_kind_missing(Datum kind, Datum member_id, Datum month);

#endif							/* POINTSYS_MONTH_LEDGER_H */
