/*
 * fuzz_quarter_state_parse: quarter_state_parse (the text input of
 * pointsys.quarter_state) on arbitrary bytes.  On success: fields in
 * range, format → parse gives the same bytes, the mean against the
 * reference, and combining or adding does not overflow.  When the input
 * holds a newline, the two halves are parsed too and combined in both
 * orders, which must agree.
 */
#include "fuzz.h"

static void
check_parsed(const QuarterState *q)
{
	static const int64_t totals[] = {0, 1, 5000, 85 * FX_ONE + 5000, FX_MAX_SCORE};
	QuarterState copy;
	size_t		i;

	FUZZ_CHECK(q->count >= 0 && q->count <= 3 && q->unused == 0 &&
			   q->sum >= 0 && q->sum <= q->count * FX_MAX_SCORE,
			   "parsed count %d sum %lld", q->count, (long long) q->sum);
	check_quarter_roundtrip(q);
	check_quarter_mean(q);

	/* with itself */
	copy = *q;
	if (quarter_combine(&copy, q) == STATE_OK)
	{
		FUZZ_CHECK(copy.count == 2 * q->count && copy.sum == 2 * q->sum, "self-combine");
		check_quarter_roundtrip(&copy);
		check_quarter_mean(&copy);
	}
	else
		FUZZ_CHECK(2 * q->count > 3 && memcmp(&copy, q, sizeof(copy)) == 0,
				   "self-combine refused, or changed the state");

	/* one more monthly total */
	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++)
	{
		copy = *q;
		if (quarter_add(&copy, totals[i]) == STATE_OK)
		{
			FUZZ_CHECK(q->count < 3, "a fourth total accepted");
			check_quarter_roundtrip(&copy);
			check_quarter_mean(&copy);
		}
		else
			FUZZ_CHECK(q->count == 3, "quarter_add refused at count %d", q->count);
	}
}

/* a and b combined: refused exactly when they hold more than 3 totals */
static void
check_combined(const QuarterState *a, const QuarterState *b, StateStatus s1, StateStatus s2,
			   const QuarterState *ab)
{
	FUZZ_CHECK(s1 == s2, "combine statuses %d and %d", s1, s2);
	FUZZ_CHECK((s1 == STATE_OK) == (a->count + b->count <= 3), "combine status %d", s1);
	if (s1 == STATE_OK)
	{
		check_quarter_roundtrip(ab);
		check_quarter_mean(ab);
	}
}

#define STATE QuarterState
#define STATE_PARSE quarter_state_parse
#define STATE_PARSE_NAME "quarter_state_parse"
#define REF_PARSE ref_quarter_state_parse
#define STATE_COMBINE quarter_combine
#include "state_parse_fuzz.h"
