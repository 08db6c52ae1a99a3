/*
 * month_ledger.h
 *		The month ledger on a logical replication subscriber
 *		(month_ledger_rows.c), for member_month.c.
 */
#ifndef POINTSYS_MONTH_LEDGER_H
#define POINTSYS_MONTH_LEDGER_H

#include "pointsys.h"

extern bool month_ledger_subscribed(void);
extern void award_kind_missing(Datum kind, Datum member_id, Datum month);

#endif							/* POINTSYS_MONTH_LEDGER_H */
