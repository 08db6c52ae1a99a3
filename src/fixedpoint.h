/*
 * fixedpoint.h
 *		Exact score arithmetic in integer millionths of a point.
 *
 * Every figure on the path from an item's points to a member's grade is an
 * int64 count of millionths of a point ("micro-points").  Input numerics
 * with at most six decimals convert exactly; published figures are rounded
 * half up to hundredths at their own stage (doc/contract.md §1).  No binary floating
 * point is used anywhere.
 *
 * This file and fixedpoint.c do not include postgres.h, so that they can be
 * built alone with sanitizers and fuzzers (test/fuzz).
 */
#ifndef POINTSYS_FIXEDPOINT_H
#define POINTSYS_FIXEDPOINT_H

#include <stddef.h>
#include <stdint.h>

#define FX_DECIMALS		6
#define FX_ONE			INT64_C(1000000)	/* one point */
#define FX_CENT			INT64_C(10000)	/* one hundredth of a point */
#define FX_MAX_SCORE	(100 * FX_ONE)	/* monthly, quarterly, annual maximum */

/* 1e12 points: far beyond any score, far below int64 overflow in sums */
#define FX_LIMIT		(INT64_C(1000000000000) * FX_ONE)

typedef enum FxStatus
{
	FX_OK,
	FX_SYNTAX,					/* not a plain decimal (NaN, Infinity, ...) */
	FX_PRECISION,				/* more than FX_DECIMALS nonzero decimals */
	FX_RANGE					/* magnitude at or beyond FX_LIMIT */
} FxStatus;

extern FxStatus fx_parse(const char *s, size_t len, int64_t *result);
extern FxStatus fx_from_base10000(int negative, int weight, const void *digits,
								  size_t ndigits, int64_t *result);
extern size_t fx_format(int64_t value, int decimals, char *buf, size_t buflen);

extern int64_t fx_round_cents(int64_t value);
extern int64_t fx_mean_cents(int64_t sum, int64_t count);
extern int64_t fx_annual_total(int64_t assessment, int64_t democratic);
extern int	fx_is_multiple(int64_t value, int64_t step);

#endif							/* POINTSYS_FIXEDPOINT_H */
