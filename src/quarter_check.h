/*
 * quarter_check.h
 *		A member-month is written only while the quarter of its branch is
 *		recording; the branch and member row locks that make it race-free
 *		(quarter_check.c).
 */
#ifndef POINTSYS_QUARTER_CHECK_H
#define POINTSYS_QUARTER_CHECK_H

#include "pointsys.h"

#include "utils/relcache.h"

extern void quarter_check_register_callbacks(void);
extern void check_quarter_recording(Relation rel, const char *branch_id, int year, int month,
									const char *member_id, const char *what);
extern void forget_open_quarters(void);
extern void lock_branch(const char *branch_id, bool for_update);
extern void lock_member(const char *member_id);

#endif							/* POINTSYS_QUARTER_CHECK_H */
