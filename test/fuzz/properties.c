/*
 * test/fuzz/properties.c
 *		Deterministic property test of the pure-C core: known values from
 *		the rules (doc/contract.md §1), parser edge cases, the state text
 *		forms, then random cases (1,000,000 by default) comparing
 *		fx_mean_cents, fx_annual_total, fx_round_cents and fx_parse with
 *		the reference implementations of reference.c (quotient and
 *		remainder on __int128, and long division on digit strings).
 *
 *	properties [cases]		(also CASES and SEED in the environment)
 *
 * Ends with "N passed, N failed"; exits 1 on any failure.
 */
#include <stdarg.h>

#include "fuzz.h"

static long passed;
static long failed;

/* Failure number nth (from 0) at file:line: the first 30 are printed */
static void
report_failure(long nth, const char *file, int line, const char *fmt,...)
__attribute__((format(printf, 4, 5)));

static void
report_failure(long nth, const char *file, int line, const char *fmt,...)
{
	va_list		args;

	if (nth >= 30)
		return;
	fprintf(stderr, "FAIL %s:%d: ", file, line);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
}

#define EXPECT(cond, ...) \
	do { \
		if (cond) \
			passed++; \
		else \
			report_failure(failed++, __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

#define PTS(whole, micro) ((int64_t) (whole) * FX_ONE + (micro))

static int64_t
parse_or_die(const char *s)
{
	int64_t		v = 0;

	if (fx_parse(s, strlen(s), &v) != FX_OK)
	{
		fprintf(stderr, "properties: test value \"%s\" does not parse\n", s);
		exit(2);
	}
	return v;
}

static const char *
text(int64_t v, char buf[32])
{
	fx_format(v, 6, buf, 32);
	return buf;
}

/* --- known values --- */

static void
annual(const char *a, const char *d, const char *expected)
{
	int64_t		got = fx_annual_total(parse_or_die(a), parse_or_die(d));
	char		t[32];

	EXPECT(got == parse_or_die(expected), "annual_total(%s, %s) = %s, expected %s",
		   a, d, text(got, t), expected);
}

static void
mean(const char *const *values, int n, const char *expected)
{
	int64_t		sum = 0;
	QuarterState q = {0};
	int			i;
	char		t[32];

	for (i = 0; i < n; i++)
	{
		sum += parse_or_die(values[i]);
		EXPECT(quarter_add(&q, parse_or_die(values[i])) == STATE_OK, "quarter_add %s", values[i]);
	}
	EXPECT(fx_mean_cents(sum, n) == parse_or_die(expected), "mean of %d values starting %s = %s, expected %s",
		   n, values[0], text(fx_mean_cents(sum, n), t), expected);
	EXPECT(q.count == n && fx_mean_cents(q.sum, q.count) == parse_or_die(expected),
		   "quarter state mean = %s, expected %s", text(fx_mean_cents(q.sum, q.count), t), expected);
}

static void
known_arithmetic(void)
{
	char		t[32];

	annual("80", "80.025", "80.01");
	annual("89.99", "90.04", "90.00");
	annual("90", "89.975", "90.00");	/* 89.995 */
	annual("90", "89.974999", "89.99");
	annual("100", "100", "100");
	annual("0", "0", "0");
	annual("60", "59.95", "59.99");
	annual("0", "100", "20");
	annual("85.09", "95", "87.07");		/* 68.072 + 19 */

	{
		static const char *const q1[] = {"85.5", "85", "85"};
		static const char *const tie[] = {"85.005", "85.005", "85.005"};
		static const char *const below[] = {"85.004999"};
		static const char *const two[] = {"90", "89.99"};

		mean(q1, 3, "85.17");
		mean(tie, 3, "85.01");
		mean(below, 1, "85.00");
		mean(two, 2, "90.00");		/* 89.995 */
	}

	EXPECT(fx_round_cents(parse_or_die("89.995")) == PTS(90, 0), "round 89.995");
	EXPECT(fx_round_cents(parse_or_die("89.994999")) == PTS(89, 990000), "round 89.994999");
	EXPECT(fx_round_cents(-5000) == -10000, "round -0.005 away from zero: %s",
		   text(fx_round_cents(-5000), t));
	EXPECT(fx_round_cents(-4999) == 0, "round -0.004999");

	EXPECT(fx_is_multiple(PTS(7, 500000), 500000) && !fx_is_multiple(PTS(7, 250000), 500000) &&
		   !fx_is_multiple(5, 0) && !fx_is_multiple(5, -5) && fx_is_multiple(0, 1),
		   "fx_is_multiple");

	/* grade boundaries on rounded totals */
	{
		static const struct
		{
			const char *total;
			Grade		grade;
		}			cases[] = {
			{"0", GRADE_UNQUALIFIED}, {"59.99", GRADE_UNQUALIFIED}, {"60", GRADE_QUALIFIED},
			{"79.99", GRADE_QUALIFIED}, {"80", GRADE_GOOD}, {"89.99", GRADE_GOOD},
			{"90", GRADE_EXCELLENT}, {"100", GRADE_EXCELLENT},
		};
		size_t		i;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			EXPECT(grade_for_total(parse_or_die(cases[i].total)) == cases[i].grade,
				   "grade_for_total(%s) = %d, expected %d", cases[i].total,
				   grade_for_total(parse_or_die(cases[i].total)), cases[i].grade);
		/* grade_of rounds first: 89.995 is 优秀, 89.994999 良好 */
		EXPECT(grade_for_total(fx_round_cents(parse_or_die("89.995"))) == GRADE_EXCELLENT, "89.995");
		EXPECT(grade_for_total(fx_round_cents(parse_or_die("89.994999"))) == GRADE_GOOD, "89.994999");
		EXPECT(grade_for_total(fx_round_cents(parse_or_die("59.995"))) == GRADE_QUALIFIED, "59.995");
	}
}

static void
known_year(void)
{
	static const char *const months[12] = {
		"85.5", "85", "85", "85.5", "85", "85", "85", "85", "85", "85", "85", "85"
	};
	YearState	y = {0};
	YearFigures f;
	int			m;
	char		t[32];

	for (m = 1; m <= 12; m++)
		EXPECT(year_add_total(&y, 2024, m, parse_or_die(months[m - 1])) == STATE_OK, "month %d", m);
	year_figures(&y, 0, &f);
	EXPECT(f.quarter[0] == PTS(85, 170000) && f.quarter[1] == PTS(85, 170000) &&
		   f.quarter[2] == PTS(85, 0) && f.quarter[3] == PTS(85, 0),
		   "quarters %s ...", text(f.quarter[0], t));
	EXPECT(f.months == 12 && f.assessment == PTS(85, 90000), "assessment %s, expected 85.09",
		   text(f.assessment, t));
	EXPECT(year_add_total(&y, 2024, 5, 0) == STATE_DUPLICATE_MONTH, "duplicate month");
	EXPECT(year_add_total(&y, 2025, 5, 0) == STATE_OTHER_YEAR, "other year");
	EXPECT(year_add_row(&y, 2024, 5, 0, 0) == STATE_MIXED, "mixed");

	/* the same year split in two halves and combined */
	{
		YearState	h1 = {0}, h2 = {0};

		for (m = 1; m <= 12; m++)
			year_add_total(m <= 6 ? &h1 : &h2, 2024, m, parse_or_die(months[m - 1]));
		EXPECT(year_combine(&h2, &h1) == STATE_OK && memcmp(&h2, &y, sizeof(y)) == 0,
			   "combined halves differ");
		EXPECT(year_combine(&h2, &h1) == STATE_DUPLICATE_MONTH, "combining twice");
	}

	/* one quarter: Q2 alone is 85.17 */
	{
		YearState	q = {0};

		for (m = 4; m <= 6; m++)
			year_add_total(&q, 2024, m, parse_or_die(months[m - 1]));
		year_figures(&q, 0, &f);
		EXPECT(f.months == 3 && f.quarter_months[1] == 3 && f.quarter_months[0] == 0 &&
			   f.assessment == PTS(85, 170000), "single quarter %s", text(f.assessment, t));
	}

	/* ROWS: item points plus awards capped per month */
	{
		YearState	r = {0};

		EXPECT(year_add_row(&r, 2024, 1, PTS(50, 0), 0) == STATE_OK &&
			   year_add_row(&r, 2024, 1, PTS(30, 0), 0) == STATE_OK &&
			   year_add_row(&r, 2024, 1, 0, PTS(8, 0)) == STATE_OK &&
			   year_add_row(&r, 2024, 1, 0, PTS(7, 0)) == STATE_OK &&
			   year_add_row(&r, 2024, 2, PTS(70, 500000), 0) == STATE_OK, "rows");
		year_figures(&r, PTS(10, 0), &f);
		EXPECT(f.month_total[0] == PTS(90, 0) && f.month_total[1] == PTS(70, 500000) &&
			   f.quarter[0] == PTS(80, 250000) && f.assessment == PTS(80, 250000),
			   "rows with cap 10: month 1 %s", text(f.month_total[0], t));
		year_figures(&r, 0, &f);
		EXPECT(f.month_total[0] == PTS(80, 0), "rows with cap 0: %s", text(f.month_total[0], t));
		year_figures(&r, PTS(20, 0), &f);
		EXPECT(f.month_total[0] == PTS(95, 0), "rows with cap 20: %s", text(f.month_total[0], t));
	}
	{
		YearState	r = {0};

		EXPECT(year_add_row(&r, 2024, 3, FX_LIMIT - 1, 0) == STATE_OK &&
			   year_add_row(&r, 2024, 3, 2, 0) == STATE_OVERFLOW, "overflow past 10^12");
	}
	{
		/*
		 * A month sum must stay below 10^12 points, the bound of every
		 * figure fx_parse reads back: one that reached it exactly was
		 * accepted and then formatted as text that year_state_parse
		 * refused (fixed in 8fd1afc; seeds regression-limit-roundtrip).
		 */
		YearState	r = {0};
		YearState	back;
		char		buf[STATE_TEXT_MAX];

		EXPECT(year_add_row(&r, 2024, 1, FX_LIMIT - 2, 1) == STATE_OK &&
			   year_add_row(&r, 2024, 1, 1, 0) == STATE_OK &&
			   year_add_row(&r, 2024, 1, 1, 0) == STATE_OVERFLOW &&
			   year_add_row(&r, 2024, 1, 0, FX_LIMIT - 1) == STATE_OVERFLOW,
			   "a month sum of exactly 10^12 points is not refused");
		year_state_format(&r, buf, sizeof(buf));
		EXPECT(year_state_parse(buf, strlen(buf), &back) && memcmp(&back, &r, sizeof(r)) == 0,
			   "the largest month sum formats as \"%s\", which does not read back", buf);
	}
}

/* --- parsing --- */

static void
parse_case(const char *s, size_t len, FxStatus status, int64_t value)
{
	int64_t		got = -77;
	FxStatus	st = fx_parse(s, len, &got);

	EXPECT(st == status && (st != FX_OK || got == value),
		   "fx_parse(\"%.*s\") = status %d value %lld, expected status %d value %lld",
		   (int) len, s, st, (long long) got, status, (long long) value);
}

#define PARSE(s, st, v) parse_case(s, sizeof(s) - 1, st, v)

static void
known_parsing(void)
{
	char		buf[32];

	PARSE(".5", FX_OK, 500000);
	PARSE("5.", FX_OK, 5000000);
	PARSE("-0", FX_OK, 0);
	PARSE("-0.000000", FX_OK, 0);
	PARSE("+1", FX_OK, FX_ONE);
	PARSE("0085.50", FX_OK, PTS(85, 500000));
	PARSE("", FX_SYNTAX, 0);
	PARSE("-", FX_SYNTAX, 0);
	PARSE("+", FX_SYNTAX, 0);
	PARSE(".", FX_SYNTAX, 0);
	PARSE("-.", FX_SYNTAX, 0);
	PARSE("--1", FX_SYNTAX, 0);
	PARSE("1e5", FX_SYNTAX, 0);
	PARSE("NaN", FX_SYNTAX, 0);
	PARSE("Infinity", FX_SYNTAX, 0);
	PARSE("-Infinity", FX_SYNTAX, 0);
	PARSE(" 1", FX_SYNTAX, 0);
	PARSE("1 ", FX_SYNTAX, 0);
	PARSE("1.2.3", FX_SYNTAX, 0);
	PARSE("1,5", FX_SYNTAX, 0);
	PARSE("\xef\xbc\x91", FX_SYNTAX, 0);	/* fullwidth 1 */
	parse_case("1\0", 2, FX_SYNTAX, 0);		/* embedded NUL */
	PARSE("0.000001", FX_OK, 1);
	PARSE("0.0000001", FX_PRECISION, 0);
	PARSE("0.0000010", FX_OK, 1);
	PARSE("1.1234567", FX_PRECISION, 0);
	PARSE("1.1234560000", FX_OK, PTS(1, 123456));
	PARSE("-1.12345600000000000000000000000000000001", FX_PRECISION, 0);
	PARSE("999999999999.999999", FX_OK, FX_LIMIT - 1);
	PARSE("-999999999999.999999", FX_OK, -(FX_LIMIT - 1));
	PARSE("0999999999999", FX_OK, PTS(999999999999LL, 0));
	PARSE("1000000000000", FX_RANGE, 0);
	PARSE("-1000000000000", FX_RANGE, 0);
	PARSE("1000000000000.0", FX_RANGE, 0);
	PARSE("99999999999999999999999999999", FX_RANGE, 0);

	EXPECT(fx_format(0, 6, buf, 32) == 8 && strcmp(buf, "0.000000") == 0, "format 0: %s", buf);
	EXPECT(fx_format(-1, 6, buf, 32) && strcmp(buf, "-0.000001") == 0, "format -1: %s", buf);
	EXPECT(fx_format(PTS(85, 509999), 2, buf, 32) && strcmp(buf, "85.50") == 0, "format truncates: %s", buf);
	EXPECT(fx_format(INT64_MIN, 6, buf, 32) && strcmp(buf, "-9223372036854.775808") == 0,
		   "format INT64_MIN: %s", buf);
	EXPECT(fx_format(INT64_MAX, 0, buf, 32) && strcmp(buf, "9223372036854") == 0,
		   "format INT64_MAX: %s", buf);
	EXPECT(fx_format(1, 6, buf, 31) == 0 && fx_format(1, 7, buf, 32) == 0, "format bad arguments");
}

static void
known_labels(void)
{
	static const struct
	{
		const char *s;
		int			ok;
		Grade		grade;
	}			cases[] = {
		{"\xe4\xbc\x98\xe7\xa7\x80", 1, GRADE_EXCELLENT},	/* 优秀 */
		{"\xe8\x89\xaf\xe5\xa5\xbd", 1, GRADE_GOOD},	/* 良好 */
		{"\xe5\x90\x88\xe6\xa0\xbc", 1, GRADE_QUALIFIED},	/* 合格 */
		{"\xe4\xb8\x8d\xe5\x90\x88\xe6\xa0\xbc", 1, GRADE_UNQUALIFIED},	/* 不合格 */
		{" Excellent ", 1, GRADE_EXCELLENT},
		{"\xe3\x80\x80\xe5\x90\x88\xe6\xa0\xbc\xe3\x80\x80", 1, GRADE_QUALIFIED},	/* 　合格　 */
		{"\t\r\n\v\fGOOD\xe3\x80\x80 \xe3\x80\x80", 1, GRADE_GOOD},
		{"unQualified", 1, GRADE_UNQUALIFIED},
		{"", 0, 0},
		{"   ", 0, 0},
		{"\xe3\x80\x80", 0, 0},
		{"excellent!", 0, 0},
		{"excellen", 0, 0},
		{"\xe4\xbc\x98 \xe7\xa7\x80", 0, 0},	/* 优 秀 */
		{"\xe4\xbc\x98\xe7\xa7\x80\xe3\x80", 0, 0},	/* 优秀 and half an ideographic space */
		{"\xe5\x90\x88\xe6\xa0\xbc\xc2\xa0", 0, 0},	/* 合格 NBSP: not a blank here */
		{"\xe4\xb8\x8d", 0, 0},
		{"qualified\xe3\x80\x80x", 0, 0},
	};
	static const struct
	{
		const char *s;
		int			ok;
		SanctionKind kind;
		int			vetoes;
	}			sanctions[] = {
		{"warning", 1, SANCTION_WARNING, 0},
		{"serious_warning", 1, SANCTION_SERIOUS_WARNING, 0},
		{"removal_from_post", 1, SANCTION_REMOVAL_FROM_POST, 1},
		{"probation", 1, SANCTION_PROBATION, 1},
		{"expulsion", 1, SANCTION_EXPULSION, 0},
		{"law_violation", 1, SANCTION_LAW_VIOLATION, 1},
		{"Warning", 0, 0, 0},
		{"warning ", 0, 0, 0},
		{"", 0, 0, 0},
		{"law", 0, 0, 0},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		Grade		g = (Grade) 99;
		int			ok = grade_parse(cases[i].s, strlen(cases[i].s), &g);

		EXPECT(ok == cases[i].ok && (!ok || g == cases[i].grade),
			   "grade_parse(\"%s\") = %d (grade %d)", cases[i].s, ok, g);
	}
	EXPECT(strcmp(grade_label(GRADE_EXCELLENT, LANGUAGE_ZH), "\xe4\xbc\x98\xe7\xa7\x80") == 0 &&
		   strcmp(grade_label(GRADE_UNQUALIFIED, LANGUAGE_EN), "unqualified") == 0 &&
		   strcmp(grade_eligibility(GRADE_EXCELLENT), "priority") == 0 &&
		   strcmp(grade_eligibility(GRADE_UNQUALIFIED), "mentoring") == 0, "labels");
	for (i = 0; i < sizeof(sanctions) / sizeof(sanctions[0]); i++)
	{
		SanctionKind k = (SanctionKind) 99;
		int			ok = sanction_parse(sanctions[i].s, strlen(sanctions[i].s), &k);

		EXPECT(ok == sanctions[i].ok &&
			   (!ok || (k == sanctions[i].kind && sanction_vetoes(k) == sanctions[i].vetoes)),
			   "sanction_parse(\"%s\") = %d (kind %d)", sanctions[i].s, ok, k);
	}
}

/* --- state text forms --- */

/*
 * s parses as a year state (else a quarter state) exactly when canonical
 * is not NULL, and then formats as canonical
 */
static void
state_text(int year, const char *s, const char *canonical)
{
	QuarterState q;
	YearState	y;
	char		buf[STATE_TEXT_MAX];
	int			got = year ? year_state_parse(s, strlen(s), &y) : quarter_state_parse(s, strlen(s), &q);
	const char *type = year ? "year_state" : "quarter_state";

	EXPECT(got == (canonical != NULL), "%s_parse(\"%s\") = %d", type, s, got);
	if (got && canonical != NULL)
	{
		if (year)
			year_state_format(&y, buf, sizeof(buf));
		else
			quarter_state_format(&q, buf, sizeof(buf));
		EXPECT(strcmp(buf, canonical) == 0, "%s \"%s\" formats as \"%s\"", type, s, buf);
	}
}

static void
known_states(void)
{
	/* text forms accepted, and the canonical forms they format as */
	static const struct
	{
		int			year;		/* a year state, else a quarter state */
		const char *s;
		const char *canonical;
	}			accepted[] = {
		{0, "2 170.5", "2 170.500000"},
		{0, "0 0", "0 0.000000"},
		{0, "3 300", "3 300.000000"},
		{0, "+1 -0", "1 0.000000"},
		{1, "", ""},
		{1, "totals 2024 1:85.500000 2:85.000000", "totals 2024 1:85.500000 2:85.000000"},
		{1, "totals 2024 2:85 1:85.5", "totals 2024 1:85.500000 2:85.000000"},
		{1, "rows 2024 1:80.000000+15.000000", "rows 2024 1:80.000000+15.000000"},
		{1, "rows 2024 12:999999999999.999999+0", "rows 2024 12:999999999999.999999+0.000000"},
		{1, "rows 2024", "rows 2024"},
		{1, "totals -2147483648 01:0", "totals -2147483648 1:0.000000"},
	};
	/* text forms refused */
	static const char *const bad_quarters[] = {
		"1 100.000001", "4 0", "1 -1", "1.0 1", "1  1", "1 1 ", ""
	};
	static const char *const bad_years[] = {
		"rows 2024 10.000000 1:80.000000+15.000000", "totals 2147483648",
		"totals 2024 1:100.000001", "totals 2024 1:1 1:2", "totals 2024 0:1",
		"totals 2024 13:1", "totals 2024 1:5+1", "rows 2024 1:5",
		"rows 2024 1:-5+0", "rows 2024 1:1000000000000+0", "ROWS 2024",
		"totals 2024 ", "totals", " "
	};
	size_t		i;

	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
		state_text(accepted[i].year, accepted[i].s, accepted[i].canonical);
	for (i = 0; i < sizeof(bad_quarters) / sizeof(bad_quarters[0]); i++)
		state_text(0, bad_quarters[i], NULL);
	for (i = 0; i < sizeof(bad_years) / sizeof(bad_years[0]); i++)
		state_text(1, bad_years[i], NULL);
}

/* --- random cases against the references --- */

static uint64_t rng;

static uint64_t
next_random(void)
{
	return fuzz_random(&rng);
}

/* A score 0..100 with a random precision: whole, halves, cents, ties, micro */
static int64_t
random_score(void)
{
	switch (next_random() % 5)
	{
		case 0:
			return (int64_t) (next_random() % 101) * FX_ONE;
		case 1:
			return (int64_t) (next_random() % 201) * (FX_ONE / 2);
		case 2:
			return (int64_t) (next_random() % 10001) * FX_CENT;
		case 3:
			return (int64_t) (next_random() % 10000) * FX_CENT + FX_CENT / 2;
		default:
			return (int64_t) (next_random() % (uint64_t) (FX_MAX_SCORE + 1));
	}
}

/* A random plain decimal (or near miss) as text */
static size_t
random_decimal(char *buf)
{
	size_t		n = 0;
	int			whole = (int) (next_random() % 16);
	int			decimals = (int) (next_random() % 10);
	int			i;

	switch (next_random() % 6)
	{
		case 0:
			buf[n++] = '-';
			break;
		case 1:
			buf[n++] = '+';
			break;
	}
	for (i = 0; i < whole; i++)
		buf[n++] = (char) ('0' + (next_random() % 3 == 0 ? 0 : next_random() % 10));
	if (next_random() % 4 != 0)
	{
		buf[n++] = '.';
		for (i = 0; i < decimals; i++)
			buf[n++] = (char) ('0' + (i >= 6 && next_random() % 2 ? 0 : next_random() % 10));
	}
	if (next_random() % 50 == 0)	/* a stray character */
		buf[next_random() % (n + 1)] = "e x.-+"[next_random() % 6];
	return n;
}

/* A broken comparison in a random case: report the first few, fail the case */
#define RCHECK(cond, ...) \
	do { \
		if (!(cond)) \
			report_failure(failed + bad++, __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

/* The text numeric_out gives for base-10000 digits (see fx_from_base10000) */
static void
base10000_text(int negative, int weight, const int16_t *digits, size_t n, char *buf)
{
	char	   *p = buf;
	int			e;

	if (negative)
		*p++ = '-';
	if (weight < 0)
		*p++ = '0';
	for (e = weight; e >= 0; e--)
	{
		int			d = (size_t) (weight - e) < n ? digits[weight - e] : 0;

		p += sprintf(p, e == weight ? "%d" : "%04d", d);
	}
	if ((int) n - 1 > weight)
	{
		*p++ = '.';
		for (e = -1; e >= weight - (int) n + 1; e--)
			p += sprintf(p, "%04d", weight - e >= 0 ? digits[weight - e] : 0);
	}
	*p = '\0';
}

static void
random_cases(long cases)
{
	long		i;

	for (i = 0; i < cases; i++)
	{
		int			bad = 0;
		char		t1[64], t2[64];

		/* a quarter of one to three monthly totals */
		{
			int			n = 1 + (int) (next_random() % 3);
			int64_t		sum = 0;
			int64_t		got;
			i128		r1, r2;
			int			k;

			for (k = 0; k < n; k++)
				sum += random_score();
			got = fx_mean_cents(sum, n);
			r1 = ref_div_round(sum, (i128) n * FX_CENT) * FX_CENT;
			r2 = ref_div_round_str(sum, (uint64_t) n * FX_CENT) * FX_CENT;
			RCHECK(got == r1 && got == r2, "fx_mean_cents(%lld, %d) = %lld; references %s %s",
				   (long long) sum, n, (long long) got, i128_text(r1, t1), i128_text(r2, t2));
		}
		/* an assessment: one to four rounded quarters */
		{
			int			n = 1 + (int) (next_random() % 4);
			int64_t		sum = 0;
			int64_t		got;
			i128		r;
			int			k;

			for (k = 0; k < n; k++)
				sum += fx_round_cents(random_score());
			got = fx_mean_cents(sum, n);
			r = ref_div_round_str(sum, (uint64_t) n * FX_CENT) * FX_CENT;
			RCHECK(got == r, "fx_mean_cents(%lld, %d) = %lld; reference %s",
				   (long long) sum, n, (long long) got, i128_text(r, t1));
		}
		/* any sum and count the int64 arithmetic can hold */
		{
			int64_t		n = 1 + (int64_t) (next_random() % 12);
			int64_t		sum = (int64_t) next_random() % (INT64_MAX - 12 * FX_CENT);
			int64_t		got = fx_mean_cents(sum, n);
			i128		r = ref_div_round_str(sum, (uint64_t) n * FX_CENT) * FX_CENT;

			RCHECK(got == r, "fx_mean_cents(%lld, %lld) = %lld; reference %s",
				   (long long) sum, (long long) n, (long long) got, i128_text(r, t1));
		}
		/* an annual total and its grade */
		{
			int64_t		a = random_score();
			int64_t		d = random_score();
			int64_t		got = fx_annual_total(a, d);
			i128		r1 = ref_annual_total(a, d);
			i128		r2 = ref_div_round_str((i128) 8 * a + 2 * d, 100000) * FX_CENT;

			RCHECK(got == r1 && got == r2, "fx_annual_total(%lld, %lld) = %lld; references %s %s",
				   (long long) a, (long long) d, (long long) got, i128_text(r1, t1), i128_text(r2, t2));
			RCHECK(grade_for_total(got) == ref_grade_for_total(got), "grade_for_total(%lld)",
				   (long long) got);
		}
		/* rounding any value in range */
		{
			int64_t		v = (int64_t) next_random() % FX_LIMIT;

			RCHECK(fx_round_cents(v) == ref_round_cents(v), "fx_round_cents(%lld)", (long long) v);
		}
		/* parsing, and the six-decimal text parsing back */
		{
			char		buf[40];
			char		out[32];
			size_t		len = random_decimal(buf);
			int64_t		got = 0, ref = 0;
			FxStatus	st = fx_parse(buf, len, &got);
			int			rs = ref_parse(buf, len, &ref);

			RCHECK(rs == REF_SYNTAX ? st != FX_OK : ((int) st == rs && (st != FX_OK || got == ref)),
				   "fx_parse(\"%.*s\") = %d %lld; reference %d %lld",
				   (int) len, buf, st, (long long) got, rs, (long long) ref);
			if (st == FX_OK)
			{
				int64_t		back = 0;
				size_t		n = fx_format(got, 6, out, sizeof(out));

				RCHECK(fx_parse(out, n, &back) == FX_OK && back == got, "round trip of %s", out);
			}
		}
		/* a numeric's base-10000 digits, against fx_parse of its text */
		{
			int16_t		digits[12];
			size_t		n = 1 + next_random() % 12;
			int			weight = (int) (next_random() % 14) - 8;
			int			negative = (int) (next_random() % 2);
			char		buf[128];
			int64_t		got = 0, ref = 0;
			FxStatus	st, rs;

			for (size_t k = 0; k < n; k++)
				digits[k] = (int16_t) (next_random() % 3 == 0 ? 0 : next_random() % 10000);
			digits[0] = digits[0] ? digits[0] : 1;	/* numeric strips zero digits */
			digits[n - 1] = digits[n - 1] ? digits[n - 1] : 5000;
			base10000_text(negative, weight, digits, n, buf);
			st = fx_from_base10000(negative, weight, digits, n, &got);
			rs = fx_parse(buf, strlen(buf), &ref);
			RCHECK(st == rs && (st == FX_PRECISION || got == ref),
				   "fx_from_base10000(%s) = %d %lld; fx_parse %d %lld",
				   buf, st, (long long) got, rs, (long long) ref);
		}
		if (bad)
			failed++;
		else
			passed++;
	}
}

int
main(int argc, char **argv)
{
	long		cases = 1000000;
	const char *env;
	unsigned long long seed = 20240101;

	if ((env = getenv("SEED")) != NULL)
		seed = strtoull(env, NULL, 10);
	rng = seed;
	if ((env = getenv("CASES")) != NULL)
		cases = atol(env);
	if (argc > 1)
		cases = atol(argv[1]);

	known_arithmetic();
	known_year();
	known_parsing();
	known_labels();
	known_states();
	printf("known values: %ld passed, %ld failed\n", passed, failed);
	random_cases(cases);
	printf("random cases: %ld (SEED=%llu)\n", cases, seed);
	printf("%ld passed, %ld failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
