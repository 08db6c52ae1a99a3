/*
 * numeric_points.h
 *		SQL numeric ⇄ exact micro-points, and the argument checks built on
 *		them (numeric_points.c).
 */
#ifndef POINTSYS_NUMERIC_POINTS_H
#define POINTSYS_NUMERIC_POINTS_H

#include "pointsys.h"

#include "fixedpoint.h"

#include "utils/numeric.h"

extern FxStatus points_from_numeric(Datum value, int64 *result);
extern FxStatus points_and_scale(Datum value, int64 *result, int *dscale);
extern char *numeric_text(Datum value);
extern int64 points_arg(Datum value, const char *what);
extern int64 score_arg(Datum value, const char *what);
extern Numeric numeric_from_points(int64 points, int decimals);
extern char *points_text(int64 points);

#endif							/* POINTSYS_NUMERIC_POINTS_H */
