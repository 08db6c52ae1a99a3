/*
 * dates.h
 *		Calendar months of the ledger and dates in messages (dates.c).
 */
#ifndef POINTSYS_DATES_H
#define POINTSYS_DATES_H

#include "pointsys.h"

/* a calendar month of the ledger */
typedef struct LedgerMonth
{
	int			year;
	int			month;
	DateADT		start;			/* its first day */
	DateADT		end;			/* its last day */
	char		label[16];		/* "2024-03" */
} LedgerMonth;

extern void date_year_month(DateADT date, int *year, int *month);
extern void ledger_month(DateADT date, LedgerMonth *month);
extern void current_year_month(int *year, int *month);
extern char *date_text(DateADT date);
extern char *month_text(DateADT date);

#endif							/* POINTSYS_DATES_H */
