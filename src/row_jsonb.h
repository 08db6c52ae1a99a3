/*
 * row_jsonb.h
 *		Rows of pointsys's tables as jsonb, as to_jsonb writes them
 *		(row_jsonb.c).
 */
#ifndef POINTSYS_ROW_JSONB_H
#define POINTSYS_ROW_JSONB_H

#include "pointsys.h"

#include "executor/tuptable.h"

extern bool row_jsonb_supports(Oid type);
extern int	row_jsonb_order(TupleDesc desc, int *order);
extern Datum row_jsonb(TupleTableSlot *slot, const int *order, int n);
extern Datum row_jsonb_array(const Datum *rows, int n);

#endif							/* POINTSYS_ROW_JSONB_H */
