/*
 * fuzz_year_state_parse: year_state_parse (the text input of
 * pointsys.year_state, which SQL can hand to the transition, combine and
 * figures functions) on arbitrary bytes.  On success: fields in range,
 * format → parse gives the same bytes, year_figures against the reference
 * for several reward caps, combining with itself, adding a month.  When
 * the input holds a newline, the two halves are parsed too and combined in
 * both orders, which must agree.
 */
#include "fuzz.h"

static const int64_t caps[] = {0, 10 * FX_ONE, FX_LIMIT - 1};

static void
check_state(const YearState *y)
{
	size_t		i;

	check_year_valid(y);
	check_year_roundtrip(y);
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		check_year_figures(y, caps[i]);
	if (y->mode == YEAR_TOTALS)
	{
		YearFigures f;

		year_figures(y, 0, &f);
		if (f.months > 0)
		{
			check_annual(f.assessment, 0);
			check_annual(f.assessment, FX_MAX_SCORE);
		}
	}
}

static void
check_parsed(const YearState *y)
{
	YearState	copy;
	StateStatus status;
	int			m;

	check_year_valid(y);
	check_state(y);

	/* with itself: TOTALS refuses repeated months, ROWS doubles */
	copy = *y;
	status = year_combine(&copy, y);
	if (y->mode == YEAR_TOTALS && y->months != 0)
		FUZZ_CHECK(status == STATE_DUPLICATE_MONTH, "self-combine of totals: %d", status);
	else if (status == STATE_OK)
	{
		for (m = 0; m < 12; m++)
			FUZZ_CHECK(copy.points[m] == 2 * y->points[m] && copy.awards[m] == 2 * y->awards[m],
					   "self-combine month %d", m + 1);
		check_state(&copy);
	}
	else
		FUZZ_CHECK(status == STATE_OVERFLOW && y->mode == YEAR_ROWS,
				   "self-combine status %d", status);

	/* one more month */
	for (m = 1; m <= 12; m++)
	{
		copy = *y;
		if (y->mode == YEAR_ROWS || y->mode == YEAR_EMPTY)
			status = year_add_row(&copy, y->year, m, 5 * FX_ONE + 5000, 2 * FX_ONE);
		else
			status = year_add_total(&copy, y->year, m, 85 * FX_ONE + 5000);
		if (status == STATE_OK)
			check_state(&copy);
		else
			FUZZ_CHECK(status == STATE_OVERFLOW ||
					   (status == STATE_DUPLICATE_MONTH && ((y->months >> (m - 1)) & 1)),
					   "adding month %d: status %d", m, status);
	}
}

/* a and b combined (refused for a repeated month of totals, or overflow) */
static void
check_combined(const YearState *a, const YearState *b, StateStatus s1, StateStatus s2,
			   const YearState *ab)
{
	(void) a;
	(void) b;
	(void) s2;
	if (s1 == STATE_OK)
		check_state(ab);
}

#define STATE YearState
#define STATE_PARSE year_state_parse
#define STATE_PARSE_NAME "year_state_parse"
#define REF_PARSE ref_year_state_parse
#define STATE_COMBINE year_combine
#include "state_parse_fuzz.h"
