/*
 * test/fuzz/checks.c
 *		Invariants of the aggregate states and the arithmetic, checked
 *		against reference.c.  Shared by the harnesses and properties.c.
 */
#include "fuzz.h"

#define MONTH_SET(state, m)	(((state)->months >> ((m) - 1)) & 1)

void
check_year_valid(const YearState *state)
{
	int64_t		max = state->mode == YEAR_TOTALS ? FX_MAX_SCORE : FX_LIMIT - 1;
	int			m;

	FUZZ_CHECK(state->mode == YEAR_EMPTY || state->mode == YEAR_TOTALS ||
			   state->mode == YEAR_ROWS, "mode %d", state->mode);
	FUZZ_CHECK((state->months & ~0xfff) == 0, "months 0x%x", state->months);
	FUZZ_CHECK(state->unused == 0, "unused byte %d", state->unused);
	if (state->mode == YEAR_EMPTY)
		FUZZ_CHECK(state->year == 0 && state->months == 0, "empty state with a year or months");
	for (m = 1; m <= 12; m++)
	{
		int64_t		p = state->points[m - 1];
		int64_t		a = state->awards[m - 1];

		if (!MONTH_SET(state, m))
			FUZZ_CHECK(p == 0 && a == 0, "month %d unset but holds %lld+%lld",
					   m, (long long) p, (long long) a);
		FUZZ_CHECK(p >= 0 && p <= max, "month %d points %lld", m, (long long) p);
		FUZZ_CHECK(a >= 0 && a <= (state->mode == YEAR_ROWS ? max : 0),
				   "month %d awards %lld", m, (long long) a);
	}
}

void
check_year_roundtrip(const YearState *state)
{
	char	   *buf = malloc(STATE_TEXT_MAX);
	char	   *again = malloc(STATE_TEXT_MAX);
	YearState	back;
	size_t		len;
	int			ok;

	memset(buf, 0x5a, STATE_TEXT_MAX);
	len = year_state_format(state, buf, STATE_TEXT_MAX);
	FUZZ_CHECK(len < STATE_TEXT_MAX && len == strlen(buf),
			   "year_state_format returned %zu for text of %zu bytes", len, strlen(buf));
	ok = year_state_parse(buf, len, &back);
	FUZZ_CHECK(ok, "year_state_format wrote \"%s\", which year_state_parse refuses", buf);
	FUZZ_CHECK(memcmp(&back, state, sizeof(back)) == 0,
			   "\"%s\" parses back to a different state", buf);
	FUZZ_CHECK(year_state_format(&back, again, STATE_TEXT_MAX) == len &&
			   strcmp(again, buf) == 0, "\"%s\" formats again as \"%s\"", buf, again);
	free(buf);
	free(again);
}

void
check_quarter_roundtrip(const QuarterState *state)
{
	char	   *buf = malloc(64);	/* the documented minimum, on the heap for ASan */
	char		again[64];
	QuarterState back;
	size_t		len;

	len = quarter_state_format(state, buf, 64);
	FUZZ_CHECK(len < 64 && len == strlen(buf), "quarter_state_format returned %zu", len);
	FUZZ_CHECK(quarter_state_parse(buf, len, &back),
			   "quarter_state_format wrote \"%s\", which quarter_state_parse refuses", buf);
	FUZZ_CHECK(memcmp(&back, state, sizeof(back)) == 0,
			   "\"%s\" parses back to a different state", buf);
	FUZZ_CHECK(quarter_state_format(&back, again, sizeof(again)) == len &&
			   strcmp(again, buf) == 0, "\"%s\" formats again as \"%s\"", buf, again);
	free(buf);
}

void
check_quarter_mean(const QuarterState *state)
{
	char		t1[64], t2[64];
	i128		ref;
	int64_t		got;

	if (state->count <= 0)
		return;
	got = fx_mean_cents(state->sum, state->count);
	ref = ref_mean_cents(state->sum, state->count);
	FUZZ_CHECK(got == ref, "fx_mean_cents(%lld, %d) = %lld, reference %s",
			   (long long) state->sum, state->count, (long long) got, i128_text(ref, t1));
	ref = ref_div_round_str(state->sum, (uint64_t) state->count * 10000) * 10000;
	FUZZ_CHECK(got == ref, "fx_mean_cents(%lld, %d) = %lld, long division %s",
			   (long long) state->sum, state->count, (long long) got, i128_text(ref, t2));
}

void
check_year_figures(const YearState *state, int64_t reward_cap)
{
	YearFigures f;
	i128		quarter_sum = 0;
	i128		lo = 0, hi = 0;
	int			quarters = 0;
	int			months = 0;
	int			q;
	char		t1[64], t2[64];

	memset(&f, 0xa5, sizeof(f));
	year_figures(state, reward_cap, &f);
	for (q = 0; q < 4; q++)
	{
		i128		sum = 0;
		int			n = 0;
		int			m;

		for (m = 3 * q + 1; m <= 3 * q + 3; m++)
		{
			i128		total = 0;

			if (MONTH_SET(state, m))
			{
				total = state->points[m - 1];
				if (state->mode == YEAR_ROWS)
					total += state->awards[m - 1] < reward_cap ? state->awards[m - 1] : reward_cap;
				if (months == 0 || total < lo)
					lo = total;
				if (months == 0 || total > hi)
					hi = total;
				sum += total;
				n++;
				months++;
			}
			FUZZ_CHECK(f.month_total[m - 1] == total, "month %d total %lld, reference %s",
					   m, (long long) f.month_total[m - 1], i128_text(total, t1));
		}
		FUZZ_CHECK(f.quarter_months[q] == n, "quarter %d months %d, reference %d",
				   q + 1, f.quarter_months[q], n);
		if (n > 0)
		{
			i128		ref = ref_mean_cents(sum, n);

			FUZZ_CHECK(f.quarter[q] == ref, "quarter %d = %lld, reference %s (sum %s of %d)",
					   q + 1, (long long) f.quarter[q], i128_text(ref, t1), i128_text(sum, t2), n);
			quarter_sum += ref;
			quarters++;
		}
		else
			FUZZ_CHECK(f.quarter[q] == 0, "empty quarter %d = %lld", q + 1, (long long) f.quarter[q]);
	}
	FUZZ_CHECK(f.months == months, "months %d, reference %d", f.months, months);
	if (quarters == 0)
	{
		FUZZ_CHECK(f.assessment == 0, "assessment %lld of an empty year", (long long) f.assessment);
		return;
	}
	{
		i128		ref = ref_mean_cents(quarter_sum, quarters);

		FUZZ_CHECK(f.assessment == ref, "assessment %lld, reference %s",
				   (long long) f.assessment, i128_text(ref, t1));
		FUZZ_CHECK(ref_round_cents(lo) <= f.assessment && f.assessment <= ref_round_cents(hi),
				   "assessment %lld outside the rounded monthly totals %s..%s",
				   (long long) f.assessment, i128_text(lo, t1), i128_text(hi, t2));
	}
}

void
check_annual(int64_t assessment, int64_t democratic)
{
	int64_t		got = fx_annual_total(assessment, democratic);
	i128		ref = ref_annual_total(assessment, democratic);
	i128		ref2 = ref_div_round_str((i128) 4 * assessment + democratic, 50000) * 10000;
	int64_t		lo = assessment < democratic ? assessment : democratic;
	int64_t		hi = assessment < democratic ? democratic : assessment;
	Grade		g;
	char		t[64];

	FUZZ_CHECK(got == ref && got == ref2, "fx_annual_total(%lld, %lld) = %lld, reference %s",
			   (long long) assessment, (long long) democratic, (long long) got, i128_text(ref, t));
	FUZZ_CHECK(ref_round_cents(lo) <= got && got <= ref_round_cents(hi),
			   "annual total %lld outside its scores", (long long) got);
	g = grade_for_total(got);
	FUZZ_CHECK(g == ref_grade_for_total(got), "grade_for_total(%lld) = %d", (long long) got, g);
	FUZZ_CHECK(grade_label(g, LANGUAGE_ZH) && grade_label(g, LANGUAGE_EN) &&
			   grade_eligibility(g), "grade %d without label", g);
}

void
check_format(int64_t value)
{
	char	   *buf = malloc(32);	/* the documented minimum, on the heap for ASan */
	char		ref[64];
	int64_t		back;
	int			d;

	for (d = 0; d <= FX_DECIMALS; d++)
	{
		size_t		len = fx_format(value, d, buf, 32);

		ref_format(value, d, ref, sizeof(ref));
		FUZZ_CHECK(len == strlen(buf) && strcmp(buf, ref) == 0,
				   "fx_format(%lld, %d) = \"%s\" (%zu), reference \"%s\"",
				   (long long) value, d, buf, len, ref);
	}
	FUZZ_CHECK(fx_format(value, -1, buf, 32) == 0 && fx_format(value, 7, buf, 32) == 0 &&
			   fx_format(value, 6, buf, 31) == 0, "fx_format accepted bad arguments");
	if (value > -FX_LIMIT && value < FX_LIMIT)
	{
		size_t		len = fx_format(value, FX_DECIMALS, buf, 32);

		FUZZ_CHECK(fx_parse(buf, len, &back) == FX_OK && back == value,
				   "fx_format(%lld) = \"%s\" does not parse back", (long long) value, buf);
	}
	free(buf);
}
