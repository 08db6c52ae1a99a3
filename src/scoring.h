/*
 * scoring.h
 *		The argument check of a sanction kind (scoring.c), shared with the
 *		write rules.
 */
#ifndef POINTSYS_SCORING_H
#define POINTSYS_SCORING_H

#include "pointsys.h"

#include "rules.h"

extern SanctionKind sanction_arg(text *kind);

#endif							/* POINTSYS_SCORING_H */
