/*
 * row_security.h
 *		Who may write which rows (row_security.c): the test the write rules
 *		make before row-level security's own, and its refusal, which names
 *		the row sent.
 */
#ifndef POINTSYS_ROW_SECURITY_H
#define POINTSYS_ROW_SECURITY_H

#include "pointsys.h"

#include "utils/relcache.h"

extern bool is_admin(void);
extern bool records_branch(const char *branch_id);
extern bool row_security_allows(Relation rel, const char *member_id, const DateADT *month,
								const char *branch_id);
POINTSYS_NORETURN_BEFORE extern void refuse_row(Relation rel, const char *member_id,
												const DateADT *month,
												const char *sent) POINTSYS_NORETURN_AFTER;

#endif							/* POINTSYS_ROW_SECURITY_H */
