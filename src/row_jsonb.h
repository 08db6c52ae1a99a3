/*
 * row_jsonb.h
 *		Rows of pointsys's tables as jsonb, as to_jsonb writes them
 *		(row_jsonb.c).
 */
#ifndef POINTSYS_ROW_JSONB_H
#define POINTSYS_ROW_JSONB_H

#include "pointsys.h"

#include "executor/tuptable.h"

#include "lib/stringinfo.h"

/*
 * Rows as jsonb objects, written one after another into data, each on a
 * 4-byte boundary; ends[i] is where row i ends.  The rows are of one table:
 * their keys, the same in each, are kept from the first row (their
 * JEntries, then their bytes).
 */
typedef struct RowObjects
{
	StringInfoData data;
	uint32	   *ends;
	int			n;
	int			capacity;
	char	   *keys;
	int			nkeys;			/* -1 before the first row */
	int			keys_len;		/* the keys' bytes */
} RowObjects;

extern bool row_jsonb_supports(Oid type);
extern int	row_jsonb_order(TupleDesc desc, int *order);
extern void row_objects_init(RowObjects *rows, int capacity);
extern void row_objects_reset(RowObjects *rows);
extern void row_objects_add(RowObjects *rows, TupleTableSlot *slot, const int *order, int n);
extern Datum row_objects_jsonb(const RowObjects *rows);

#endif							/* POINTSYS_ROW_JSONB_H */
