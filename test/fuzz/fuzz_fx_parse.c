/*
 * fuzz_fx_parse: fx_parse on arbitrary bytes, against the string-splitting
 * reference parser; on success the value's text at every precision
 * against the reference formatter, the six-decimal text parsing back to
 * the same value, and rounding and grading of the value.  The first eight
 * bytes are also taken as a raw int64 for fx_format.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	int64_t		value = 0x1234;
	int64_t		ref = 0x5678;
	FxStatus	status = fx_parse(s, size, &value);
	int			ref_status = ref_parse(s, size, &ref);
	Bytes		b = {data, size};

	if (ref_status == REF_SYNTAX)
		FUZZ_CHECK(status != FX_OK, "fx_parse accepted \"%.*s\" as %lld",
				   (int) size, s, (long long) value);
	else
		FUZZ_CHECK((int) status == ref_status && (status != FX_OK || value == ref),
				   "fx_parse(\"%.*s\") = status %d value %lld; reference status %d value %lld",
				   (int) size, s, status, (long long) value, ref_status, (long long) ref);

	if (status == FX_OK)
	{
		i128		rounded = ref_round_cents(value);

		FUZZ_CHECK(value > -FX_LIMIT && value < FX_LIMIT, "value %lld", (long long) value);
		check_format(value);
		FUZZ_CHECK(fx_round_cents(value) == rounded, "fx_round_cents(%lld) = %lld",
				   (long long) value, (long long) fx_round_cents(value));
		FUZZ_CHECK(grade_for_total(fx_round_cents(value)) == ref_grade_for_total((int64_t) rounded),
				   "grade of %lld", (long long) value);
		if (value >= 0 && value <= FX_MAX_SCORE)
			check_annual(value, FX_MAX_SCORE - value);
		FUZZ_CHECK(fx_is_multiple(value, 500000) == (value % 500000 == 0) &&
				   fx_is_multiple(value, FX_CENT) == (value % FX_CENT == 0) &&
				   !fx_is_multiple(value, 0) && !fx_is_multiple(value, -1),
				   "fx_is_multiple(%lld)", (long long) value);
	}

	check_format((int64_t) take_u64(&b, 8));
	return 0;
}
