/*
 * numeric_points.c
 *		Conversion between SQL numeric and exact micro-points.
 */
#include "pointsys.h"

#include "numeric_points.h"

#include "fixedpoint.h"

#include "utils/builtins.h"

/*
 * The on-disk layout of a numeric (src/backend/utils/adt/numeric.c; the
 * same in every release since 9.1, as pg_upgrade requires): after the
 * varlena header, a 16-bit header word; a short numeric keeps its sign and
 * weight in it, a long one has its sign there and its weight in the next
 * 16 bits; then the base-10000 digits, most significant first.
 */
#define NUMERIC_FORM_MASK		0xC000
#define NUMERIC_NEGATIVE		0x4000
#define NUMERIC_SHORT			0x8000
#define NUMERIC_SPECIAL			0xC000	/* NaN, ±Infinity */
#define NUMERIC_SHORT_NEGATIVE	0x2000
#define NUMERIC_SHORT_WEIGHT_SIGN 0x0040
#define NUMERIC_SHORT_WEIGHT	0x003F
#define NUMERIC_SHORT_DSCALE_MASK 0x1F80
#define NUMERIC_SHORT_DSCALE_SHIFT 7
#define NUMERIC_DSCALE_MASK		0x3FFF

/*
 * Convert a numeric to micro-points, reading its digits in place: this runs
 * for every ledger row of a report, so it neither copies the value (short
 * varlenas stay packed) nor formats it as text.  NaN and ±Infinity give
 * FX_SYNTAX; otherwise the statuses and results of fx_parse.
 */
FxStatus
points_from_numeric(Datum value, int64 *result)
{
	int			dscale;

	return points_and_scale(value, result, &dscale);
}

/*
 * The same, with the number of decimals the numeric shows (its display
 * scale: 2 for 3.50)
 */
FxStatus
points_and_scale(Datum value, int64 *result, int *dscale)
{
	struct varlena *packed = PG_DETOAST_DATUM_PACKED(value);
	const char *data = VARDATA_ANY(packed);
	Size		size = VARSIZE_ANY_EXHDR(packed);
	uint16		header;
	int16		weight;
	bool		negative;

	if (size < sizeof(uint16))
		return FX_SYNTAX;
	memcpy(&header, data, sizeof(uint16));	/* may be unaligned */
	data += sizeof(uint16);
	size -= sizeof(uint16);

	switch (header & NUMERIC_FORM_MASK)
	{
		case NUMERIC_SPECIAL:
			return FX_SYNTAX;
		case NUMERIC_SHORT:
			*dscale = (header & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
			negative = (header & NUMERIC_SHORT_NEGATIVE) != 0;
			weight = (int16) ((header & NUMERIC_SHORT_WEIGHT) |
							  ((header & NUMERIC_SHORT_WEIGHT_SIGN) ? ~NUMERIC_SHORT_WEIGHT : 0));
			break;
		default:
			if (size < sizeof(int16))
				return FX_SYNTAX;
			*dscale = header & NUMERIC_DSCALE_MASK;
			negative = (header & NUMERIC_FORM_MASK) == NUMERIC_NEGATIVE;
			memcpy(&weight, data, sizeof(int16));
			data += sizeof(int16);
			size -= sizeof(int16);
			break;
	}
	return fx_from_base10000(negative, weight, data, size / sizeof(int16), result);
}

/* Text of a numeric, for error messages */
char *
numeric_text(Datum value)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, value));
}

/*
 * Convert an argument that must be a finite number of points with at most
 * six decimals; "what" names it in the error.
 */
int64
points_arg(Datum value, const char *what)
{
	int64		result;

	switch (points_from_numeric(value, &result))
	{
		case FX_OK:
			break;
		case FX_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s %s is not a finite number", what, numeric_text(value))));
			break;
		case FX_PRECISION:
		case FX_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s %s cannot be held exactly", what, numeric_text(value)),
					 errdetail("Points are kept exactly to %d decimal places and below 10^12.",
							   FX_DECIMALS)));
			break;
	}
	return result;
}

/* Convert an argument that must be a score from 0 to 100 */
int64
score_arg(Datum value, const char *what)
{
	int64		result = points_arg(value, what);

	if (result < 0 || result > FX_MAX_SCORE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is out of range", what, numeric_text(value)),
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
