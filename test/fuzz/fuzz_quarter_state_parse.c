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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	const char *nl = memchr(s, '\n', size);
	QuarterState q;

	QuarterState	ref;
	int			ok = quarter_state_parse(s, size, &q);
	int			ref_ok = ref_quarter_state_parse(s, size, &ref);

	FUZZ_CHECK(ok == ref_ok && (!ok || memcmp(&q, &ref, sizeof(ref)) == 0),
			   "quarter_state_parse(\"%.*s\") = %d; the reference parser says %d%s",
			   (int) size, s, ok, ref_ok, ok && ref_ok ? ", with another state" : "");
	if (ok)
		check_parsed(&q);

	if (nl != NULL)
	{
		QuarterState a, b, ab, ba;
		StateStatus s1, s2;

		if (!quarter_state_parse(s, (size_t) (nl - s), &a) ||
			!quarter_state_parse(nl + 1, size - (size_t) (nl + 1 - s), &b))
			return 0;
		check_parsed(&a);
		check_parsed(&b);
		ab = a;
		ba = b;
		s1 = quarter_combine(&ab, &b);
		s2 = quarter_combine(&ba, &a);
		FUZZ_CHECK(s1 == s2, "combine statuses %d and %d", s1, s2);
		FUZZ_CHECK((s1 == STATE_OK) == (a.count + b.count <= 3), "combine status %d", s1);
		if (s1 == STATE_OK)
		{
			FUZZ_CHECK(memcmp(&ab, &ba, sizeof(ab)) == 0, "combine is not commutative");
			check_quarter_roundtrip(&ab);
			check_quarter_mean(&ab);
		}
	}
	return 0;
}
