/*
 * pointsys.h
 *		Declarations shared by pointsys's PostgreSQL-facing C files.
 */
#ifndef POINTSYS_H
#define POINTSYS_H

#include "postgres.h"

/*
 * pointsys's messages are translated from its own text domain,
 * "pointsys-<major>" (po/zh_CN.po, bound in _PG_init), as PL/pgSQL's are
 * from "plpgsql-<major>": ereport() and _() look them up there.
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("pointsys")
#undef _
#ifdef ENABLE_NLS
#define _(x) dgettext(TEXTDOMAIN, x)
#else
#define _(x) (x)
#endif

#include "compat.h"

#include "fmgr.h"
#include "utils/numeric.h"

#include "utils/date.h"

#include "fixedpoint.h"
#include "ledger_state.h"
#include "rules.h"

/* pointsys.grade: one byte, passed by value */
#define DatumGetGrade(d)		((Grade) DatumGetChar(d))
#define GradeGetDatum(g)		CharGetDatum((char) (g))
#define PG_GETARG_GRADE(n)		DatumGetGrade(PG_GETARG_DATUM(n))
#define PG_RETURN_GRADE(g)		return GradeGetDatum(g)

/* the ledger's first month: the Communist Party of China was founded in July 1921 */
#define FOUNDING_YEAR 1921
#define FOUNDING_MONTH 7

/* the longest pointsys.reason the audit trail keeps, in characters */
#define AUDIT_REASON_MAX 1000

/* settings (pointsys.c) */
extern int	pointsys_language;
extern char *pointsys_reason;
extern bool pointsys_allow_drop;

/* numeric ⇄ micro-points (numeric_points.c) */
extern FxStatus points_from_numeric(Datum value, int64 *result);
extern FxStatus points_and_scale(Datum value, int64 *result, int *dscale);
extern char *numeric_text(Datum value);
extern int64 points_arg(Datum value, const char *what);
extern int64 score_arg(Datum value, const char *what);
extern Numeric numeric_from_points(int64 points, int decimals);
extern char *points_text(int64 points);

/* argument checks (scoring.c, aggregates.c) */
extern SanctionKind sanction_arg(text *kind);
extern void state_error(StateStatus status, const char *aggregate);
extern void *writable_state(FunctionCallInfo fcinfo, int argno, Size size);
extern Datum state_unchanged(FunctionCallInfo fcinfo);

/* a calendar month of the ledger (dates.c) */
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

#endif							/* POINTSYS_H */
