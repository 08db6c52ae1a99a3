/*
 * aggregates.h
 *		The aggregates' states as SQL arguments, and their errors
 *		(aggregates.c), shared with the ledger's aggregate (ledger.c).
 */
#ifndef POINTSYS_AGGREGATES_H
#define POINTSYS_AGGREGATES_H

#include "pointsys.h"

#include "ledger_state.h"

extern void state_error(StateStatus status, const char *aggregate);
extern void *writable_state(FunctionCallInfo fcinfo, int argno, Size size);
extern Datum state_unchanged(FunctionCallInfo fcinfo);

#endif							/* POINTSYS_AGGREGATES_H */
