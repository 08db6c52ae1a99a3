/*
 * grade.h
 *		The pointsys.grade type (grade.c) as a Datum: one byte, passed by
 *		value.
 */
#ifndef POINTSYS_GRADE_H
#define POINTSYS_GRADE_H

#include "pointsys.h"

#include "rules.h"

#define DatumGetGrade(d)		((Grade) DatumGetChar(d))
#define GradeGetDatum(g)		CharGetDatum((char) (g))
#define PG_GETARG_GRADE(n)		DatumGetGrade(PG_GETARG_DATUM(n))
#define PG_RETURN_GRADE(g)		return GradeGetDatum(g)

#endif							/* POINTSYS_GRADE_H */
