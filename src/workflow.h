/*
 * workflow.h
 *		The bureau's process where it meets each write: who may write which
 *		rows (row_security.c), whether a member-month's quarter is still
 *		recording (quarter_check.c), and the quarter's state machine
 *		(workflow.c).
 */
#ifndef POINTSYS_WORKFLOW_H
#define POINTSYS_WORKFLOW_H

#include "pointsys.h"

#include "utils/relcache.h"

/* row_security.c */
extern bool is_admin(void);
extern bool records_branch(const char *branch_id);
extern void check_row_security(Relation rel, const char *member_id, const DateADT *month,
							   const char *branch_id);

/* quarter_check.c */
extern void quarter_check_register_callbacks(void);
extern void check_quarter_recording(Relation rel, const char *branch_id, int year, int month,
									const char *member_id, const char *what);
extern void forget_open_quarters(void);
extern void lock_branch(const char *branch_id, bool for_update);
extern void lock_member(const char *member_id);

#endif							/* POINTSYS_WORKFLOW_H */
