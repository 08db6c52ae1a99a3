/*
 * member_month_replicated.h
 *		The month ledger on a logical replication subscriber
 *		(member_month_replicated.c), for the statement triggers of
 *		member_month.c.
 */
#ifndef POINTSYS_MEMBER_MONTH_REPLICATED_H
#define POINTSYS_MEMBER_MONTH_REPLICATED_H

#include "pointsys.h"

extern bool member_month_subscribed(void);
extern void award_kind_missing(Datum kind, Datum member_id, Datum month);

#endif							/* POINTSYS_MEMBER_MONTH_REPLICATED_H */
