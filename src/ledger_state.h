/*
 * ledger_state.h
 *		Transition states of the scoring aggregates, and their arithmetic.
 *
 * The states are fixed-length values of SQL types of their own
 * (pointsys.quarter_state, pointsys.year_state), so that parallel query
 * and distributed engines can ship and combine them without serialize
 * functions.  Pure C, no postgres.h: built alone by the fuzz harness.
 */
#ifndef POINTSYS_LEDGER_STATE_H
#define POINTSYS_LEDGER_STATE_H

#include <stddef.h>
#include <stdint.h>

/* State of quarter_avg(numeric): up to three monthly totals */
typedef struct QuarterState
{
	int32_t		count;
	int32_t		unused;
	int64_t		sum;			/* micro-points */
} QuarterState;

/*
 * State of a member-year.  In TOTALS mode (annual_assessment) each month
 * receives one monthly total, kept in points[]; in ROWS mode (the ledger's
 * annual results) a month receives any number of item scores, summed in
 * points[], and award points, summed in awards[] and capped at the end.
 */
typedef enum YearMode
{
	YEAR_EMPTY = 0,				/* nothing added yet */
	YEAR_TOTALS = 1,
	YEAR_ROWS = 2
} YearMode;

typedef struct YearState
{
	int32_t		year;
	uint16_t	months;			/* bit m - 1 set when month m is recorded */
	uint8_t		mode;			/* YearMode */
	uint8_t		unused;
	int64_t		points[12];		/* micro-points */
	int64_t		awards[12];		/* micro-points */
} YearState;

typedef enum StateStatus
{
	STATE_OK,
	STATE_TOO_MANY,				/* a fourth monthly total in a quarter */
	STATE_OTHER_YEAR,			/* months of two different years */
	STATE_DUPLICATE_MONTH,		/* TOTALS mode: the same month twice */
	STATE_MIXED,				/* states of different modes combined */
	STATE_OVERFLOW				/* a sum beyond FX_LIMIT */
} StateStatus;

/* The figures of a member-year, all in micro-points */
typedef struct YearFigures
{
	int64_t		month_total[12];	/* valid where months has the bit */
	int64_t		quarter[4];		/* rounded; valid where quarter_months > 0 */
	int			quarter_months[4];
	int			months;			/* recorded months in the year */
	int64_t		assessment;		/* rounded; valid where months > 0 */
} YearFigures;

extern StateStatus quarter_add(QuarterState *state, int64_t total);
extern StateStatus quarter_combine(QuarterState *state, const QuarterState *other);

extern StateStatus year_add_total(YearState *state, int32_t year, int month,
								  int64_t total);
extern StateStatus year_add_row(YearState *state, int32_t year, int month,
								int64_t points, int64_t awards);
extern StateStatus year_combine(YearState *state, const YearState *other);
extern void year_figures(const YearState *state, int64_t reward_cap,
						 YearFigures *figures);

extern size_t quarter_state_format(const QuarterState *state, char *buf, size_t buflen);
extern int	quarter_state_parse(const char *s, size_t len, QuarterState *state);
extern size_t year_state_format(const YearState *state, char *buf, size_t buflen);
extern int	year_state_parse(const char *s, size_t len, YearState *state);

/* Room for the longest text form of either state */
#define STATE_TEXT_MAX 1024

#endif							/* POINTSYS_LEDGER_STATE_H */
