/*
 * settings.h
 *		pointsys's settings (pointsys.language, pointsys.reason,
 *		pointsys.allow_drop), defined by settings.c.
 */
#ifndef POINTSYS_SETTINGS_H
#define POINTSYS_SETTINGS_H

#include "pointsys.h"

/* the longest pointsys.reason the audit trail keeps, in characters */
#define AUDIT_REASON_MAX 1000

/* pointsys.language: the language of grade labels in output (Language) */
extern int	pointsys_language;

/* pointsys.reason: the reason the audit trail records; NULL when unset */
extern char *pointsys_reason;

/* pointsys.allow_drop: DROP EXTENSION allowed while the ledger holds rows */
extern bool pointsys_allow_drop;

extern void settings_define(void);

#endif							/* POINTSYS_SETTINGS_H */
