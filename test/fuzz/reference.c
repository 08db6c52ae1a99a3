/*
 * test/fuzz/reference.c
 *		Reference implementations, written independently of src/: other
 *		algorithms (string splitting, quotient and remainder on __int128,
 *		schoolbook long division on digit strings), so that a shared
 *		mistake is unlikely.
 */
#include <ctype.h>

#include "fuzz.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
ref_parse(const char *s, size_t len, int64_t *value)
{
	size_t		i = 0;
	size_t		whole_at, whole_len, frac_at = 0, frac_len = 0;
	char		digits[32];
	size_t		n = 0;
	int			negative = 0;
	int64_t		v = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		negative = s[i++] == '-';
	whole_at = i;
	while (i < len && is_digit(s[i]))
		i++;
	whole_len = i - whole_at;
	if (i < len && s[i] == '.')
	{
		frac_at = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		frac_len = i - frac_at;
	}
	if (i != len || whole_len + frac_len == 0)
		return REF_SYNTAX;

	/* strip leading zeros of the whole part, trailing zeros of the decimals */
	while (whole_len > 0 && s[whole_at] == '0')
		whole_at++, whole_len--;
	while (frac_len > 0 && s[frac_at + frac_len - 1] == '0')
		frac_len--;
	if (whole_len > 12)			/* 10^12 points or more */
		return FX_RANGE;
	if (frac_len > 6)
		return FX_PRECISION;

	/* whole digits, then exactly six decimals, as one digit string */
	memcpy(digits, s + whole_at, whole_len);
	n = whole_len;
	memcpy(digits + n, s + frac_at, frac_len);
	n += frac_len;
	memset(digits + n, '0', 6 - frac_len);
	n += 6 - frac_len;
	digits[n] = '\0';
	v = strtoll(digits, NULL, 10);	/* at most 18 digits */
	*value = negative ? -v : v;
	return FX_OK;
}

void
ref_format(int64_t value, int decimals, char *buf, size_t buflen)
{
	i128		v = value;
	unsigned __int128 mag = (unsigned __int128) (v < 0 ? -v : v);
	unsigned long long whole = (unsigned long long) (mag / 1000000);
	unsigned long long frac = (unsigned long long) (mag % 1000000);
	int			d;

	for (d = decimals; d < 6; d++)
		frac /= 10;
	if (decimals == 0)
		snprintf(buf, buflen, "%s%llu", value < 0 ? "-" : "", whole);
	else
		snprintf(buf, buflen, "%s%llu.%0*llu", value < 0 ? "-" : "", whole,
				 decimals, frac);
}

i128
ref_div_round(i128 num, i128 den)
{
	i128		mag = num < 0 ? -num : num;
	i128		q = mag / den;
	i128		r = mag % den;

	if (r >= den - r)			/* remainder at least half: away from zero */
		q++;
	return num < 0 ? -q : q;
}

i128
ref_div_round_str(i128 num, uint64_t den)
{
	char		digits[64];
	int			n = 0;
	unsigned __int128 mag = (unsigned __int128) (num < 0 ? -num : num);
	unsigned __int128 q = 0;
	unsigned __int128 r = 0;
	int			i;

	/* decimal digits of |num|, most significant first */
	do
	{
		digits[n++] = (char) ('0' + (int) (mag % 10));
		mag /= 10;
	} while (mag > 0);
	for (i = 0; i < n / 2; i++)
	{
		char		t = digits[i];

		digits[i] = digits[n - 1 - i];
		digits[n - 1 - i] = t;
	}
	/* long division, one digit at a time */
	for (i = 0; i < n; i++)
	{
		r = r * 10 + (unsigned) (digits[i] - '0');
		q = q * 10 + r / den;
		r %= den;
	}
	if (2 * r >= den)
		q++;
	return num < 0 ? -(i128) q : (i128) q;
}

i128
ref_mean_cents(i128 sum, int64_t count)
{
	return ref_div_round(sum, (i128) count * 10000) * 10000;
}

i128
ref_annual_total(i128 assessment, i128 democratic)
{
	return ref_div_round(4 * assessment + democratic, 50000) * 10000;
}

i128
ref_round_cents(i128 value)
{
	return ref_div_round(value, 10000) * 10000;
}

Grade
ref_grade_for_total(int64_t total)
{
	static const struct
	{
		int64_t		cents;
		Grade		grade;
	}			table[] = {{9000, GRADE_EXCELLENT}, {8000, GRADE_GOOD}, {6000, GRADE_QUALIFIED}};
	int64_t		cents = total / 10000 - (total % 10000 < 0);	/* floor */
	size_t		i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (cents >= table[i].cents)
			return table[i].grade;
	return GRADE_UNQUALIFIED;
}

int
ref_grade_parse(const char *s, size_t len, Grade *result)
{
	static const struct
	{
		const char *label;
		Grade		grade;
	}			labels[] = {
		{"\xe4\xbc\x98\xe7\xa7\x80", GRADE_EXCELLENT},	/* 优秀 */
		{"\xe8\x89\xaf\xe5\xa5\xbd", GRADE_GOOD},	/* 良好 */
		{"\xe5\x90\x88\xe6\xa0\xbc", GRADE_QUALIFIED},	/* 合格 */
		{"\xe4\xb8\x8d\xe5\x90\x88\xe6\xa0\xbc", GRADE_UNQUALIFIED},	/* 不合格 */
		{"excellent", GRADE_EXCELLENT},
		{"good", GRADE_GOOD},
		{"qualified", GRADE_QUALIFIED},
		{"unqualified", GRADE_UNQUALIFIED},
	};
	const char *blanks = " \t\n\v\f\r";
	size_t		start = 0;
	size_t		end = len;
	char		folded[64];
	size_t		i;

	for (;;)
	{
		if (start < end && s[start] != '\0' && strchr(blanks, s[start]))
			start += 1;
		else if (end - start >= 3 && memcmp(s + start, "\xe3\x80\x80", 3) == 0)
			start += 3;
		else
			break;
	}
	for (;;)
	{
		if (end > start && s[end - 1] != '\0' && strchr(blanks, s[end - 1]))
			end -= 1;
		else if (end - start >= 3 && memcmp(s + end - 3, "\xe3\x80\x80", 3) == 0)
			end -= 3;
		else
			break;
	}
	if (end - start >= sizeof(folded))
		return 0;
	for (i = start; i < end; i++)
	{
		unsigned char c = (unsigned char) s[i];

		folded[i - start] = (char) (c < 128 ? tolower(c) : c);
	}
	folded[end - start] = '\0';
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
	{
		/* Chinese labels are matched as given (tolower leaves them alone) */
		if (strlen(labels[i].label) == end - start &&
			memcmp(folded, labels[i].label, end - start) == 0)
		{
			*result = labels[i].grade;
			return 1;
		}
	}
	return 0;
}

int
ref_sanction_parse(const char *s, size_t len, SanctionKind *result, int *vetoes)
{
	/* README.md: true for removal_from_post, probation, law_violation */
	static const struct
	{
		const char *code;
		SanctionKind kind;
		int			vetoes;
	}			kinds[] = {
		{"warning", SANCTION_WARNING, 0},
		{"serious_warning", SANCTION_SERIOUS_WARNING, 0},
		{"removal_from_post", SANCTION_REMOVAL_FROM_POST, 1},
		{"probation", SANCTION_PROBATION, 1},
		{"expulsion", SANCTION_EXPULSION, 0},
		{"law_violation", SANCTION_LAW_VIOLATION, 1},
	};
	size_t		i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
	{
		if (len == strlen(kinds[i].code) && strncmp(s, kinds[i].code, len) == 0)
		{
			*result = kinds[i].kind;
			*vetoes = kinds[i].vetoes;
			return 1;
		}
	}
	return 0;
}

const char *
i128_text(i128 v, char buf[64])
{
	char		tmp[64];
	int			n = 0;
	int			len = 0;
	unsigned __int128 mag = (unsigned __int128) (v < 0 ? -v : v);

	do
	{
		tmp[n++] = (char) ('0' + (int) (mag % 10));
		mag /= 10;
	} while (mag > 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return buf;
}

/*
 * The state text forms, by splitting on single spaces first (the grammar
 * of ledger_state.c's comment: "<count> <sum>"; "" or "totals <year>
 * <m>:<total> ..." or "rows <year> <m>:<points>+<awards> ...").
 */

/* A whole number token: a plain decimal without a point, in lo..hi */
static int
ref_whole(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *value)
{
	int64_t		v;

	if (memchr(s, '.', len) != NULL || ref_parse(s, len, &v) != FX_OK)
		return 0;
	*value = v / 1000000;
	return *value >= lo && *value <= hi;
}

/* A figure token: a plain decimal in 0..max */
static int
ref_figure(const char *s, size_t len, int64_t max, int64_t *value)
{
	return ref_parse(s, len, value) == FX_OK && *value >= 0 && *value <= max;
}

int
ref_quarter_state_parse(const char *s, size_t len, QuarterState *state)
{
	const char *space = memchr(s, ' ', len);
	int64_t		count, sum;

	memset(state, 0, sizeof(*state));
	if (space == NULL ||
		!ref_whole(s, (size_t) (space - s), 0, 3, &count) ||
		!ref_figure(space + 1, len - (size_t) (space + 1 - s), count * 100000000, &sum))
		return 0;
	state->count = (int32_t) count;
	state->sum = sum;
	return 1;
}

int
ref_year_state_parse(const char *s, size_t len, YearState *state)
{
	const char *tokens[64];
	size_t		lens[64];
	int			n = 0;
	size_t		at = 0;
	int64_t		year;
	int			rows;
	int			i;

	memset(state, 0, sizeof(*state));
	if (len == 0)
		return 1;
	/* split on every space; empty tokens (two spaces, a space at an end) fail below */
	for (;;)
	{
		const char *space = memchr(s + at, ' ', len - at);
		size_t		end = space ? (size_t) (space - s) : len;

		if (n == 64)
			return 0;			/* more than 12 months anyway */
		tokens[n] = s + at;
		lens[n++] = end - at;
		if (space == NULL)
			break;
		at = end + 1;
	}
	if (n < 2)
		return 0;
	if (lens[0] == 6 && memcmp(tokens[0], "totals", 6) == 0)
		rows = 0;
	else if (lens[0] == 4 && memcmp(tokens[0], "rows", 4) == 0)
		rows = 1;
	else
		return 0;
	if (!ref_whole(tokens[1], lens[1], INT32_MIN, INT32_MAX, &year))
		return 0;
	state->mode = rows ? YEAR_ROWS : YEAR_TOTALS;
	state->year = (int32_t) year;
	for (i = 2; i < n; i++)
	{
		const char *colon = memchr(tokens[i], ':', lens[i]);
		const char *fig;
		size_t		fig_len;
		int64_t		month;
		int64_t		max = rows ? FX_LIMIT - 1 : FX_MAX_SCORE;

		if (colon == NULL ||
			!ref_whole(tokens[i], (size_t) (colon - tokens[i]), 1, 12, &month) ||
			(state->months >> (month - 1)) & 1)
			return 0;
		fig = colon + 1;
		fig_len = lens[i] - (size_t) (fig - tokens[i]);
		if (rows)
		{
			const char *plus = memchr(fig, '+', fig_len);

			if (plus == NULL ||
				!ref_figure(fig, (size_t) (plus - fig), max, &state->points[month - 1]) ||
				!ref_figure(plus + 1, fig_len - (size_t) (plus + 1 - fig), max,
							&state->awards[month - 1]))
				return 0;
		}
		else if (!ref_figure(fig, fig_len, max, &state->points[month - 1]))
			return 0;
		state->months |= (uint16_t) (1u << (month - 1));
	}
	return 1;
}
