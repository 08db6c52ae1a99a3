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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	const char *nl = memchr(s, '\n', size);
	YearState	y;

	YearState	ref;
	int			ok = year_state_parse(s, size, &y);
	int			ref_ok = ref_year_state_parse(s, size, &ref);

	FUZZ_CHECK(ok == ref_ok && (!ok || memcmp(&y, &ref, sizeof(ref)) == 0),
			   "year_state_parse(\"%.*s\") = %d; the reference parser says %d%s",
			   (int) size, s, ok, ref_ok, ok && ref_ok ? ", with another state" : "");
	if (ok)
		check_parsed(&y);

	if (nl != NULL)
	{
		YearState	a, b, ab, ba;
		StateStatus s1, s2;

		if (!year_state_parse(s, (size_t) (nl - s), &a) ||
			!year_state_parse(nl + 1, size - (size_t) (nl + 1 - s), &b))
			return 0;
		check_parsed(&a);
		check_parsed(&b);
		ab = a;
		ba = b;
		s1 = year_combine(&ab, &b);
		s2 = year_combine(&ba, &a);
		FUZZ_CHECK((s1 == STATE_OK) == (s2 == STATE_OK), "combine statuses %d and %d", s1, s2);
		if (s1 == STATE_OK)
		{
			FUZZ_CHECK(memcmp(&ab, &ba, sizeof(ab)) == 0, "combine is not commutative");
			check_state(&ab);
		}
	}
	return 0;
}
