/*
 * numeric_points.c
 *		Conversion between SQL numeric and exact micro-points.
 */
#include "pointsys.h"

#include "utils/builtins.h"

/*
 * Convert a numeric to micro-points.  Returns false when it cannot be held
 * exactly: NaN, ±Infinity, more than six nonzero decimals, or a magnitude
 * of 10^12 or more.
 */
bool
points_from_numeric(Numeric num, int64 *result)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out,
														NumericGetDatum(num)));
	FxStatus	status = fx_parse(s, strlen(s), result);

	pfree(s);
	return status == FX_OK;
}

/* Text of a numeric argument, for error messages */
static char *
numeric_text(Numeric num)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
}

/*
 * Convert an argument that must be a finite number of points with at most
 * six decimals; "what" names it in the error.
 */
int64
points_arg(Numeric num, const char *what)
{
	int64		result;

	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is not a finite number", what, numeric_text(num))));
	if (!points_from_numeric(num, &result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s cannot be held exactly", what, numeric_text(num)),
				 errdetail("Points are kept exactly to %d decimal places and below 10^12.",
						   FX_DECIMALS)));
	return result;
}

/* Convert an argument that must be a score from 0 to 100 */
int64
score_arg(Numeric num, const char *what)
{
	int64		result = points_arg(num, what);

	if (result < 0 || result > FX_MAX_SCORE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is out of range", what, numeric_text(num)),
				 errdetail("Scores range from 0 to 100.")));
	return result;
}

/* A numeric of micro-points with the given number of decimals (truncated) */
Numeric
numeric_from_points(int64 points, int decimals)
{
	int64		divisor = FX_ONE;
	int			d;

	for (d = 0; d < decimals; d++)
		divisor /= 10;
	return int64_div_fast_to_numeric(points / divisor, decimals);
}

/* Micro-points as text, without trailing zero decimals, for messages */
char *
points_text(int64 points)
{
	char		buf[32];
	size_t		len = fx_format(points, FX_DECIMALS, buf, sizeof(buf));

	while (len > 0 && buf[len - 1] == '0')
		len--;
	if (len > 0 && buf[len - 1] == '.')
		len--;
	return pnstrdup(buf, len);
}
