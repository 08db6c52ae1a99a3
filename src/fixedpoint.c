/*
 * fixedpoint.c
 *		Exact score arithmetic in integer millionths of a point.
 *
 * Rounding is half up (四舍五入) to hundredths.  Scores are never negative
 * by the time they are rounded, but the functions below round half away
 * from zero so that they are symmetric and safe for any input.
 */
#include "fixedpoint.h"

#include <string.h>

/*
 * Parse a plain decimal number ("-12.5", "85", "0.000001") as produced by
 * numeric_out.  Trailing zero decimals beyond FX_DECIMALS are accepted.
 * On FX_RANGE, *result is FX_LIMIT with the number's sign.
 */
FxStatus
fx_parse(const char *s, size_t len, int64_t *result)
{
	size_t		i = 0;
	int			negative = 0;
	int			digits = 0;
	int			decimals = 0;
	int64_t		value = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		negative = (s[i++] == '-');

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
	{
		value = value * 10 + (s[i] - '0');
		if (value >= FX_LIMIT / FX_ONE)
		{
			*result = negative ? -FX_LIMIT : FX_LIMIT;
			return FX_RANGE;
		}
	}
	value *= FX_ONE;

	if (i < len && s[i] == '.')
	{
		int64_t		unit = FX_ONE;

		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, decimals++)
		{
			if (decimals < FX_DECIMALS)
			{
				unit /= 10;
				value += (s[i] - '0') * unit;
			}
			else if (s[i] != '0')
				return FX_PRECISION;
		}
	}

	if (i != len || digits + decimals == 0)
		return FX_SYNTAX;

	*result = negative ? -value : value;
	return FX_OK;
}

/*
 * Convert a number held as base-10000 digits, the way PostgreSQL stores a
 * numeric: the value is the sum of digit[i] * 10000^(weight - i), where
 * digit[i] is the i-th native int16 at "digits" (which need not be
 * aligned).  Same statuses and results as fx_parse on the number's text.
 */
FxStatus
fx_from_base10000(int negative, int weight, const void *digits, size_t ndigits,
				  int64_t *result)
{
	int64_t		value = 0;
	size_t		i;

	for (i = 0; i < ndigits; i++)
	{
		int64_t		exponent = (int64_t) weight - (int64_t) i;	/* of 10000 */
		int16_t		digit;

		memcpy(&digit, (const char *) digits + i * sizeof(int16_t), sizeof(int16_t));

		if (digit < 0 || digit > 9999)
			return FX_SYNTAX;
		if (digit == 0)
			continue;
		if (exponent >= 3)		/* 10000^3 points is FX_LIMIT */
		{
			*result = negative ? -FX_LIMIT : FX_LIMIT;
			return FX_RANGE;
		}
		switch (exponent)
		{
			case 2:
				value += digit * (INT64_C(100000000) * FX_ONE);
				break;
			case 1:
				value += digit * (INT64_C(10000) * FX_ONE);
				break;
			case 0:
				value += digit * FX_ONE;
				break;
			case -1:
				value += digit * 100;
				break;
			case -2:
				if (digit % 100 != 0)
					return FX_PRECISION;
				value += digit / 100;
				break;
			default:
				return FX_PRECISION;
		}
	}
	*result = negative ? -value : value;
	return FX_OK;
}

/*
 * Write value with exactly "decimals" decimals (0..FX_DECIMALS), truncating
 * further digits.  Returns the length written, excluding the NUL; the
 * buffer must hold at least 32 bytes.
 */
size_t
fx_format(int64_t value, int decimals, char *buf, size_t buflen)
{
	char		tmp[32];
	size_t		n = 0;
	size_t		len = 0;
	uint64_t	magnitude;
	uint64_t	whole;
	uint64_t	frac;
	int			d;

	if (buflen < 32 || decimals < 0 || decimals > FX_DECIMALS)
		return 0;

	magnitude = value < 0 ? (uint64_t) 0 - (uint64_t) value : (uint64_t) value;
	whole = magnitude / FX_ONE;
	frac = magnitude % FX_ONE;
	for (d = decimals; d < FX_DECIMALS; d++)
		frac /= 10;

	for (d = 0; d < decimals; d++, frac /= 10)
		tmp[n++] = (char) ('0' + frac % 10);
	if (decimals > 0)
		tmp[n++] = '.';
	do
	{
		tmp[n++] = (char) ('0' + whole % 10);
		whole /= 10;
	} while (whole > 0);
	if (value < 0)
		tmp[n++] = '-';

	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

/* Divide, rounding half away from zero; den > 0 */
static int64_t
div_round(int64_t num, int64_t den)
{
	if (num >= 0)
		return (num + den / 2) / den;
	return -((-num + den / 2) / den);
}

/* Round to hundredths, half up; the result is still in micro-points */
int64_t
fx_round_cents(int64_t value)
{
	return div_round(value, FX_CENT) * FX_CENT;
}

/*
 * Mean of count values whose sum is given, rounded half up to hundredths.
 * Exact: the division is done once, on the unrounded sum.
 */
int64_t
fx_mean_cents(int64_t sum, int64_t count)
{
	return div_round(sum, count * FX_CENT) * FX_CENT;
}

/*
 * Annual total = 0.8 × assessment + 0.2 × democratic, rounded half up to
 * hundredths.  8a + 2d is ten times the exact total, so one division by
 * 10 × FX_CENT rounds it exactly.
 */
int64_t
fx_annual_total(int64_t assessment, int64_t democratic)
{
	return div_round(8 * assessment + 2 * democratic, 10 * FX_CENT) * FX_CENT;
}

/* Is value a whole multiple of step (step > 0)? */
int
fx_is_multiple(int64_t value, int64_t step)
{
	return step > 0 && value % step == 0;
}
