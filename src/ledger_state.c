/*
 * ledger_state.c
 *		Transition states of the scoring aggregates: adding, combining,
 *		computing a member-year's figures, and the states' text form.
 *
 * Where is the reward cap applied?  In year_figures(), once per month.
 * Where are quarters rounded?  Also there: each quarter is rounded half up
 * to hundredths, and the assessment is the mean of the rounded quarters,
 * rounded again (doc/contract.md §1).
 */
#include <string.h>

#include "fixedpoint.h"
#include "ledger_state.h"

#define MONTH_BIT(m)	((uint16_t) (1u << ((m) - 1)))

/* Add one monthly total to a quarter's state */
StateStatus
quarter_add(QuarterState *state, int64_t total)
{
	if (state->count >= 3)
		return STATE_TOO_MANY;
	state->count++;
	state->sum += total;
	return STATE_OK;
}

StateStatus
quarter_combine(QuarterState *state, const QuarterState *other)
{
	if (state->count + other->count > 3)
		return STATE_TOO_MANY;
	state->count += other->count;
	state->sum += other->sum;
	return STATE_OK;
}

/* Make an empty state take year and mode, or check that they match */
static StateStatus
year_claim(YearState *state, int32_t year, YearMode mode)
{
	if (state->mode == YEAR_EMPTY)
	{
		state->mode = (uint8_t) mode;
		state->year = year;
		return STATE_OK;
	}
	if (state->mode != mode)
		return STATE_MIXED;
	if (state->year != year)
		return STATE_OTHER_YEAR;
	return STATE_OK;
}

/* Add a month's total (TOTALS mode); a month may come only once */
StateStatus
year_add_total(YearState *state, int32_t year, int month, int64_t total)
{
	StateStatus status = year_claim(state, year, YEAR_TOTALS);

	if (status != STATE_OK)
		return status;
	if (state->months & MONTH_BIT(month))
		return STATE_DUPLICATE_MONTH;
	state->months |= MONTH_BIT(month);
	state->points[month - 1] = total;
	return STATE_OK;
}

/*
 * Add to a sum, which must stay below FX_LIMIT like every figure fx_parse
 * reads back; both operands are 0..FX_LIMIT - 1.
 */
static StateStatus
add_bounded(int64_t *sum, int64_t value)
{
	if (value >= FX_LIMIT - *sum)
		return STATE_OVERFLOW;
	*sum += value;
	return STATE_OK;
}

/* Add a ledger row (ROWS mode): item points, award points, or both */
StateStatus
year_add_row(YearState *state, int32_t year, int month,
			 int64_t points, int64_t awards)
{
	StateStatus status = year_claim(state, year, YEAR_ROWS);

	if (status == STATE_OK)
		status = add_bounded(&state->points[month - 1], points);
	if (status == STATE_OK)
		status = add_bounded(&state->awards[month - 1], awards);
	if (status == STATE_OK)
		state->months |= MONTH_BIT(month);
	return status;
}

/* Merge other into state (the combine step of parallel aggregation) */
StateStatus
year_combine(YearState *state, const YearState *other)
{
	StateStatus status;
	int			m;

	if (other->mode == YEAR_EMPTY)
		return STATE_OK;
	status = year_claim(state, other->year, (YearMode) other->mode);
	if (status != STATE_OK)
		return status;
	if (state->mode == YEAR_TOTALS && (state->months & other->months))
		return STATE_DUPLICATE_MONTH;

	for (m = 0; m < 12; m++)
	{
		if ((status = add_bounded(&state->points[m], other->points[m])) != STATE_OK ||
			(status = add_bounded(&state->awards[m], other->awards[m])) != STATE_OK)
			return status;
	}
	state->months |= other->months;
	return STATE_OK;
}

/*
 * Months, quarters and assessment of a member-year.  A month's total is its
 * item points plus its award points capped at reward_cap (ROWS mode); a quarter is the
 * mean of its recorded months and a year the mean of its recorded quarters,
 * each rounded half up to hundredths.
 */
void
year_figures(const YearState *state, int64_t reward_cap, YearFigures *figures)
{
	int64_t		quarter_sum = 0;
	int			quarters = 0;
	int			q;

	memset(figures, 0, sizeof(*figures));
	for (q = 0; q < 4; q++)
	{
		int64_t		sum = 0;
		int			m;

		for (m = 3 * q + 1; m <= 3 * q + 3; m++)
		{
			int64_t		total;

			if (!(state->months & MONTH_BIT(m)))
				continue;
			total = state->points[m - 1];
			if (state->mode == YEAR_ROWS)
				total += state->awards[m - 1] < reward_cap ?
					state->awards[m - 1] : reward_cap;
			figures->month_total[m - 1] = total;
			figures->quarter_months[q]++;
			sum += total;
		}
		if (figures->quarter_months[q] == 0)
			continue;
		figures->quarter[q] = fx_mean_cents(sum, figures->quarter_months[q]);
		figures->months += figures->quarter_months[q];
		quarter_sum += figures->quarter[q];
		quarters++;
	}
	if (quarters > 0)
		figures->assessment = fx_mean_cents(quarter_sum, quarters);
}

/*
 * Text forms.  quarter_state: "<count> <sum>".  year_state: empty, or
 * "totals <year> <m>:<total> …", or "rows <year> <m>:<points>+<awards> …",
 * every figure with six decimals so that the form is exact.
 */

/* Append a formatted figure; returns the new length */
static size_t
append_figure(char *buf, size_t at, int64_t value)
{
	return at + fx_format(value, FX_DECIMALS, buf + at, 32);
}

size_t
quarter_state_format(const QuarterState *state, char *buf, size_t buflen)
{
	size_t		len;

	if (buflen < 64)
		return 0;
	len = fx_format((int64_t) state->count * FX_ONE, 0, buf, buflen);
	buf[len++] = ' ';
	return append_figure(buf, len, state->sum);
}

size_t
year_state_format(const YearState *state, char *buf, size_t buflen)
{
	size_t		len = 0;
	int			m;

	if (buflen < STATE_TEXT_MAX)
		return 0;
	if (state->mode == YEAR_EMPTY)
	{
		buf[0] = '\0';
		return 0;
	}
	strcpy(buf, state->mode == YEAR_TOTALS ? "totals " : "rows ");
	len = strlen(buf);
	len += fx_format((int64_t) state->year * FX_ONE, 0, buf + len, 32);
	for (m = 1; m <= 12; m++)
	{
		if (!(state->months & MONTH_BIT(m)))
			continue;
		buf[len++] = ' ';
		if (m >= 10)
			buf[len++] = '1';
		buf[len++] = (char) ('0' + m % 10);
		buf[len++] = ':';
		len = append_figure(buf, len, state->points[m - 1]);
		if (state->mode == YEAR_ROWS)
		{
			buf[len++] = '+';
			len = append_figure(buf, len, state->awards[m - 1]);
		}
	}
	buf[len] = '\0';
	return len;
}

/* A cursor over a state's text form */
typedef struct Scanner
{
	const char *s;
	size_t		len;
} Scanner;

/* Take the next token ending at one of the stop characters (or the end) */
static int
scan_token(Scanner *sc, const char *stops, const char **tok, size_t *toklen)
{
	size_t		i = 0;

	while (i < sc->len && strchr(stops, sc->s[i]) == NULL)
		i++;
	if (i == 0)
		return 0;
	*tok = sc->s;
	*toklen = i;
	sc->s += i;
	sc->len -= i;
	return 1;
}

/* Take one expected character */
static int
scan_char(Scanner *sc, char c)
{
	if (sc->len == 0 || sc->s[0] != c)
		return 0;
	sc->s++;
	sc->len--;
	return 1;
}

/* Take a figure in 0..max, ending at a stop character or the end */
static int
scan_figure(Scanner *sc, const char *stops, int64_t max, int64_t *value)
{
	const char *tok;
	size_t		toklen;

	return scan_token(sc, stops, &tok, &toklen) &&
		fx_parse(tok, toklen, value) == FX_OK &&
		*value >= 0 && *value <= max;
}

/* Take a whole number in lo..hi */
static int
scan_whole(Scanner *sc, const char *stops, int64_t lo, int64_t hi, int64_t *value)
{
	const char *tok;
	size_t		toklen;

	if (!scan_token(sc, stops, &tok, &toklen) ||
		memchr(tok, '.', toklen) != NULL ||
		fx_parse(tok, toklen, value) != FX_OK)
		return 0;
	*value /= FX_ONE;
	return *value >= lo && *value <= hi;
}

int
quarter_state_parse(const char *s, size_t len, QuarterState *state)
{
	Scanner		sc = {s, len};
	int64_t		count;
	int64_t		sum;

	memset(state, 0, sizeof(*state));
	if (!scan_whole(&sc, " ", 0, 3, &count) || !scan_char(&sc, ' ') ||
		!scan_figure(&sc, "", count * FX_MAX_SCORE, &sum) || sc.len != 0)
		return 0;
	state->count = (int32_t) count;
	state->sum = sum;
	return 1;
}

int
year_state_parse(const char *s, size_t len, YearState *state)
{
	Scanner		sc = {s, len};
	const char *tok;
	size_t		toklen;
	int64_t		year;
	int64_t		max;

	memset(state, 0, sizeof(*state));
	if (len == 0)
		return 1;

	if (!scan_token(&sc, " ", &tok, &toklen) || !scan_char(&sc, ' '))
		return 0;
	if (toklen == 6 && memcmp(tok, "totals", 6) == 0)
		state->mode = YEAR_TOTALS;
	else if (toklen == 4 && memcmp(tok, "rows", 4) == 0)
		state->mode = YEAR_ROWS;
	else
		return 0;
	max = state->mode == YEAR_TOTALS ? FX_MAX_SCORE : FX_LIMIT;

	if (!scan_whole(&sc, " ", INT32_MIN, INT32_MAX, &year))
		return 0;
	state->year = (int32_t) year;

	while (sc.len > 0)
	{
		int64_t		month;

		if (!scan_char(&sc, ' ') ||
			!scan_whole(&sc, ":", 1, 12, &month) || !scan_char(&sc, ':') ||
			(state->months & MONTH_BIT(month)))
			return 0;
		if (!scan_figure(&sc, state->mode == YEAR_ROWS ? "+" : " ",
						 max, &state->points[month - 1]))
			return 0;
		if (state->mode == YEAR_ROWS &&
			!(scan_char(&sc, '+') &&
			  scan_figure(&sc, " ", max, &state->awards[month - 1])))
			return 0;
		state->months |= MONTH_BIT(month);
	}
	return 1;
}
