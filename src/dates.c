/*
 * dates.c
 *		Calendar arithmetic of the ledger, in whole days, without floating
 *		point: the year and month of a date, a ledger month's first and last
 *		day, dates as the messages print them, and the SQL functions
 *		year_of(date), quarter_of(date) and quarter_start(year, quarter).
 */
#include "pointsys.h"

#include "dates.h"

#include "access/xact.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(pointsys_year_of);
PG_FUNCTION_INFO_V1(pointsys_quarter_of);
PG_FUNCTION_INFO_V1(pointsys_quarter_start);

/*
 * The month starts of the last year seen: a report calls date_year_month
 * twice for each ledger row, a write rule ledger_month once, and a member's
 * rows come together.
 */
static bool cached = false;
static int	cached_year;
static DateADT starts[13];		/* 1 January .. 1 December, next 1 January */

/* The month (0..11) of date in cached_year, after caching its year */
static int
cached_month(DateADT date)
{
	int			m;

	if (!cached || date < starts[0] || date >= starts[12])
	{
		int			day;

		if (DATE_NOT_FINITE(date))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("month %s is not a finite date",
							DatumGetCString(DirectFunctionCall1(date_out,
																DateADTGetDatum(date))))));
		j2date(date + POSTGRES_EPOCH_JDATE, &cached_year, &m, &day);
		for (m = 0; m < 13; m++)
			starts[m] = date2j(cached_year + m / 12, m % 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
		cached = true;
	}
	for (m = 11; date < starts[m]; m--)
		;
	return m;
}

/* Year and month (1..12) of a date, which must be finite */
void
date_year_month(DateADT date, int *year, int *month)
{
	*month = cached_month(date) + 1;
	*year = cached_year;
}

/*
 * The month of date as messages name it ("2024-03", "0044-03 BC"), for any
 * date, infinite ones included (as date_out writes them)
 */
char *
month_text(DateADT date)
{
	int			year;
	int			month;

	if (DATE_NOT_FINITE(date))
		return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(date)));
	date_year_month(date, &year, &month);
	return year > 0 ? psprintf("%04d-%02d", year, month) :
		psprintf("%04d-%02d BC", 1 - year, month);
}

/* The month containing date; months are stored as their first day */
void
ledger_month(DateADT date, LedgerMonth *month)
{
	int			m = cached_month(date);

	month->year = cached_year;
	month->month = m + 1;
	month->start = starts[m];
	month->end = starts[m + 1] - 1;
	if (month->year > 0 && month->year < 10000)
	{
		/* "%04d-%02d", without snprintf: this runs for every row written */
		char	   *p = month->label;

		*p++ = '0' + month->year / 1000;
		*p++ = '0' + month->year / 100 % 10;
		*p++ = '0' + month->year / 10 % 10;
		*p++ = '0' + month->year % 10;
		*p++ = '-';
		*p++ = '0' + month->month / 10;
		*p++ = '0' + month->month % 10;
		*p = '\0';
	}
	else if (month->year > 0)
		snprintf(month->label, sizeof(month->label), "%04d-%02d", month->year, month->month);
	else
		snprintf(month->label, sizeof(month->label), "%04d-%02d BC", 1 - month->year, month->month);
	/* the first month PostgreSQL knows starts on its 24th (4714-11-24 BC) */
	if (!IS_VALID_DATE(month->start))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("month %s of date %s cannot be stored: its first day is out of range",
						month->label, date_text(date))));
}

/*
 * Year and month of CURRENT_DATE, which every score written compares with:
 * kept for the transaction (its start fixes CURRENT_DATE) and time zone.
 */
void
current_year_month(int *year, int *month)
{
	static TimestampTz cached_start = DT_NOBEGIN;
	static pg_tz *cached_zone = NULL;
	static int	current_year;
	static int	current_month;

	if (cached_start != GetCurrentTransactionStartTimestamp() || cached_zone != session_timezone)
	{
		date_year_month(GetSQLCurrentDate(), &current_year, &current_month);
		cached_start = GetCurrentTransactionStartTimestamp();
		cached_zone = session_timezone;
	}
	*year = current_year;
	*month = current_month;
}

/* A finite date as YYYY-MM-DD (BC), whatever DateStyle says */
char *
date_text(DateADT date)
{
	int			year;
	int			month;
	int			day;

	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	if (year > 0)
		return psprintf("%04d-%02d-%02d", year, month, day);
	return psprintf("%04d-%02d-%02d BC", 1 - year, month, day);
}

/* year_of(date): the calendar year, without floating point */
Datum
pointsys_year_of(PG_FUNCTION_ARGS)
{
	int			year;
	int			month;

	date_year_month(PG_GETARG_DATEADT(0), &year, &month);
	PG_RETURN_INT32(year);
}

/*
 * quarter_of(date): the quarter (1..4) of the date's year.  IMMUTABLE and a
 * member of the extension, so that postgres_fdw ships a GROUP BY on it to
 * the bureau's server (it ships no EXTRACT or date_trunc on PostgreSQL 15).
 */
Datum
pointsys_quarter_of(PG_FUNCTION_ARGS)
{
	int			year;
	int			month;

	date_year_month(PG_GETARG_DATEADT(0), &year, &month);
	PG_RETURN_INT32((month + 2) / 3);
}

/* quarter_start(year, quarter): first day of the quarter (1..4) */
Datum
pointsys_quarter_start(PG_FUNCTION_ARGS)
{
	int32		year = PG_GETARG_INT32(0);
	int32		quarter = PG_GETARG_INT32(1);

	if (quarter < 1 || quarter > 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quarter %d of %d does not exist", quarter, year),
				 errhint("Quarters are numbered 1 to 4.")));
	if (!IS_VALID_JULIAN(year, 3 * quarter - 2, 1) ||
		!IS_VALID_DATE(date2j(year, 3 * quarter - 2, 1) - POSTGRES_EPOCH_JDATE))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("year %d is out of range", year)));
	PG_RETURN_DATEADT(date2j(year, 3 * quarter - 2, 1) - POSTGRES_EPOCH_JDATE);
}
