/*
 * fuzz_ledger_ops: the bytes are a program of aggregate operations, as
 * the SQL aggregates would issue them: year_add_total (annual_assessment),
 * year_add_row (ledger_year), quarter_add (quarter_avg), and arithmetic
 * probes.  Arguments stay in the domain the SQL layer lets through: months
 * 1..12, monthly totals 0..100, ledger figures 0..10^12 exclusive.
 *
 * The program runs sequentially on one state, and again split in three
 * segments on three states that are then combined in two different orders
 * (as parallel aggregation does).  Both must succeed or fail together, and
 * on success give the same bytes.  The final states are checked: figures
 * against the reference, assessment within the rounded monthly totals,
 * text round trip, annual total and grade.
 *
 * Also: the text forms of a state made of the raw bytes (no crash, no
 * overflow of the documented buffer sizes).
 *
 * Layout: cap selector, democratic selector, split 1, split 2, then
 * operations of one opcode byte and their arguments, until the bytes end.
 */
#include "fuzz.h"

#define MAX_OPS 64

typedef enum OpKind
{
	OP_TOTAL,					/* year_add_total(year, month, total) */
	OP_ROW,						/* year_add_row(year, month, points, awards) */
	OP_QUARTER,					/* quarter_add(total) */
	OP_ARITH					/* arithmetic probes, no state */
} OpKind;

typedef struct Op
{
	OpKind		kind;
	int32_t		year;
	int			month;
	int64_t		a;
	int64_t		b;
} Op;

/* A score 0..100, biased towards the values that round interestingly */
static int64_t
score_of(uint8_t sel, Bytes *in)
{
	switch (sel % 7)
	{
		case 0:
			return 0;
		case 1:
			return FX_MAX_SCORE;
		case 2:				/* whole hundredths */
			return (int64_t) (take_u64(in, 2) % 10001) * FX_CENT;
		case 3:				/* a half hundredth: rounding ties */
			return (int64_t) (take_u64(in, 2) % 10000) * FX_CENT + FX_CENT / 2;
		case 4:				/* halves, the default step */
			return (int64_t) (take_u8(in) % 201) * (FX_ONE / 2);
		case 5:				/* thirds of a hundredth nearby: mean ties */
			return 85 * FX_ONE + (int64_t) (take_u8(in) % 64) * 3333;
		default:			/* any micro-point value */
			return (int64_t) (take_u64(in, 4) % (uint64_t) (FX_MAX_SCORE + 1));
	}
}

static int64_t
take_score(Bytes *in)
{
	return score_of(take_u8(in), in);
}

/* A ledger figure 0..FX_LIMIT-1, sometimes huge to reach the overflow bound */
static int64_t
take_figure(Bytes *in)
{
	uint8_t		sel = take_u8(in);

	switch (sel % 8)
	{
		case 5:				/* just below the limit */
			return FX_LIMIT - 1 - (int64_t) take_u64(in, 2);
		case 6:				/* about half of it */
			return FX_LIMIT / 2 - (int64_t) (take_u64(in, 1) % 3) * FX_ONE / 2;
		case 7:				/* any */
			return (int64_t) (take_u64(in, 8) % (uint64_t) FX_LIMIT);
		default:
			return score_of(sel / 8, in);
	}
}

static int32_t
take_year(uint8_t opcode)
{
	static const int32_t years[] = {2023, -4713, 5874897, INT32_MIN};

	/* mostly one year: a state refuses a second one */
	return (opcode & 0xe0) == 0xe0 ? years[(opcode >> 3) & 3] : 2024;
}

/* Arithmetic probes with raw 64-bit values reduced to each function's domain */
static void
arith(int64_t a, int64_t b)
{
	int64_t		count = 1 + (int64_t) ((uint64_t) b % 12);
	/* |sum| ≤ 9.2e18 - den, so that sum + den / 2 cannot overflow */
	int64_t		sum = a % (INT64_MAX - 12 * FX_CENT);
	int64_t		v = a % FX_LIMIT;
	int64_t		x = a % (9 * (FX_LIMIT / 10));
	int64_t		y = b % (9 * (FX_LIMIT / 10));
	int64_t		got;
	i128		ref;
	char		t[64];

	check_format(a);
	check_format(b);

	got = fx_round_cents(v);
	ref = ref_round_cents(v);
	FUZZ_CHECK(got == ref, "fx_round_cents(%lld) = %lld, reference %s",
			   (long long) v, (long long) got, i128_text(ref, t));

	got = fx_mean_cents(sum, count);
	ref = ref_mean_cents(sum, count);
	FUZZ_CHECK(got == ref, "fx_mean_cents(%lld, %lld) = %lld, reference %s",
			   (long long) sum, (long long) count, (long long) got, i128_text(ref, t));
	ref = ref_div_round_str(sum, (uint64_t) count * FX_CENT) * FX_CENT;
	FUZZ_CHECK(got == ref, "fx_mean_cents(%lld, %lld) = %lld, long division %s",
			   (long long) sum, (long long) count, (long long) got, i128_text(ref, t));

	/* wider than the SQL layer's 0..100, as far as 8x + 2y stays in int64 */
	got = fx_annual_total(x, y);
	ref = ref_annual_total(x, y);
	FUZZ_CHECK(got == ref, "fx_annual_total(%lld, %lld) = %lld, reference %s",
			   (long long) x, (long long) y, (long long) got, i128_text(ref, t));

	FUZZ_CHECK(fx_is_multiple(a, b) == (b > 0 && (i128) a % b == 0),
			   "fx_is_multiple(%lld, %lld)", (long long) a, (long long) b);
	FUZZ_CHECK(grade_for_total(v) == ref_grade_for_total(v), "grade_for_total(%lld)", (long long) v);
}

typedef struct Run
{
	YearState	year;
	QuarterState quarter;
	int			year_ok;
	int			quarter_ok;
} Run;

/* Apply ops[from, to) to a fresh run, stopping each state at its first error */
static void
run_ops(const Op *ops, int from, int to, Run *r)
{
	int			i;

	memset(r, 0, sizeof(*r));
	r->year_ok = r->quarter_ok = 1;
	for (i = from; i < to; i++)
	{
		const Op   *op = &ops[i];

		switch (op->kind)
		{
			case OP_TOTAL:
				if (r->year_ok)
					r->year_ok = year_add_total(&r->year, op->year, op->month, op->a) == STATE_OK;
				break;
			case OP_ROW:
				if (r->year_ok)
					r->year_ok = year_add_row(&r->year, op->year, op->month, op->a, op->b) == STATE_OK;
				break;
			case OP_QUARTER:
				if (r->quarter_ok)
					r->quarter_ok = quarter_add(&r->quarter, op->a) == STATE_OK;
				break;
			case OP_ARITH:
				break;
		}
	}
}

/* into := into + other, for both states */
static void
combine(Run *into, const Run *other)
{
	into->year_ok = into->year_ok && other->year_ok &&
		year_combine(&into->year, &other->year) == STATE_OK;
	into->quarter_ok = into->quarter_ok && other->quarter_ok &&
		quarter_combine(&into->quarter, &other->quarter) == STATE_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Bytes		in = {data, size};
	Op			ops[MAX_OPS];
	int			n = 0;
	uint8_t		cap_sel = take_u8(&in);
	int64_t		democratic = take_score(&in);
	uint8_t		split1 = take_u8(&in);
	uint8_t		split2 = take_u8(&in);
	int64_t		cap;
	int			k1, k2;
	Run			seq, a, b, c, r1, r2;

	/*
	 * The text forms are written for any bytes of a state, even ones no
	 * operation makes: never longer than their buffers' documented size.
	 */
	{
		YearState	raw_year;
		QuarterState raw_quarter;
		char	   *buf = malloc(STATE_TEXT_MAX);
		size_t		len;

		memset(&raw_year, 0, sizeof(raw_year));
		memset(&raw_quarter, 0, sizeof(raw_quarter));
		memcpy(&raw_year, data, size < sizeof(raw_year) ? size : sizeof(raw_year));
		memcpy(&raw_quarter, data, size < sizeof(raw_quarter) ? size : sizeof(raw_quarter));
		len = year_state_format(&raw_year, buf, STATE_TEXT_MAX);
		FUZZ_CHECK(len < STATE_TEXT_MAX && len == strlen(buf), "year_state_format wrote %zu", len);
		free(buf);
		buf = malloc(64);
		len = quarter_state_format(&raw_quarter, buf, 64);
		FUZZ_CHECK(len < 64 && len == strlen(buf), "quarter_state_format wrote %zu", len);
		free(buf);
	}

	switch (cap_sel % 4)
	{
		case 0:
			cap = 0;
			break;
		case 1:
			cap = 10 * FX_ONE;
			break;
		case 2:
			cap = FX_LIMIT - 1;
			break;
		default:
			cap = (int64_t) cap_sel * (FX_ONE / 4);
			break;
	}

	while (in.n > 0 && n < MAX_OPS)
	{
		uint8_t		opcode = take_u8(&in);
		Op		   *op = &ops[n++];

		memset(op, 0, sizeof(*op));
		op->kind = (OpKind) (opcode % 4);
		op->year = take_year(opcode);
		switch (op->kind)
		{
			case OP_TOTAL:
				op->month = 1 + take_u8(&in) % 12;
				op->a = take_score(&in);
				break;
			case OP_ROW:
				op->month = 1 + take_u8(&in) % 12;
				op->a = take_figure(&in);
				op->b = (opcode & 4) ? take_figure(&in) : 0;	/* score rows have no awards */
				break;
			case OP_QUARTER:
				op->a = take_score(&in);
				break;
			case OP_ARITH:
				op->a = (int64_t) take_u64(&in, 8);
				op->b = (int64_t) take_u64(&in, 8);
				arith(op->a, op->b);
				break;
		}
	}

	k1 = n ? split1 % (n + 1) : 0;
	k2 = n ? split2 % (n + 1) : 0;
	if (k1 > k2)
	{
		int			t = k1;

		k1 = k2;
		k2 = t;
	}
	run_ops(ops, 0, n, &seq);
	run_ops(ops, 0, k1, &a);
	run_ops(ops, k1, k2, &b);
	run_ops(ops, k2, n, &c);

	/* (a + b) + c */
	r1 = a;
	combine(&r1, &b);
	combine(&r1, &c);
	/* c + (b + a) */
	r2 = b;
	combine(&r2, &a);
	{
		Run			cr = c;

		combine(&cr, &r2);
		r2 = cr;
	}

	FUZZ_CHECK(seq.year_ok == r1.year_ok && seq.year_ok == r2.year_ok,
			   "year: sequential ok %d, split at %d,%d of %d ok %d and %d",
			   seq.year_ok, k1, k2, n, r1.year_ok, r2.year_ok);
	FUZZ_CHECK(seq.quarter_ok == r1.quarter_ok && seq.quarter_ok == r2.quarter_ok,
			   "quarter: sequential ok %d, split ok %d and %d",
			   seq.quarter_ok, r1.quarter_ok, r2.quarter_ok);

	if (seq.year_ok)
	{
		FUZZ_CHECK(memcmp(&seq.year, &r1.year, sizeof(YearState)) == 0 &&
				   memcmp(&seq.year, &r2.year, sizeof(YearState)) == 0,
				   "combined year states differ from the sequential one (split at %d,%d of %d)",
				   k1, k2, n);
		check_year_valid(&seq.year);
		check_year_roundtrip(&seq.year);
		check_year_figures(&seq.year, cap);
		check_year_figures(&seq.year, 0);
		if (seq.year.mode == YEAR_TOTALS && seq.year.months != 0)
		{
			YearFigures f;

			year_figures(&seq.year, 0, &f);
			check_annual(f.assessment, democratic);
		}
	}
	if (seq.quarter_ok)
	{
		FUZZ_CHECK(memcmp(&seq.quarter, &r1.quarter, sizeof(QuarterState)) == 0 &&
				   memcmp(&seq.quarter, &r2.quarter, sizeof(QuarterState)) == 0,
				   "combined quarter states differ from the sequential one");
		check_quarter_roundtrip(&seq.quarter);
		check_quarter_mean(&seq.quarter);
	}
	return 0;
}
