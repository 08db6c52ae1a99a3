/*
 * test/fuzz/fuzz.h
 *		Shared by the fuzz harnesses, the standalone driver and the property
 *		test: the check macro, a byte reader, a random generator, and the
 *		reference implementations (reference.c) that the harnesses compare
 *		the pure-C core of pointsys against.
 *
 * Each harness is a libFuzzer target (LLVMFuzzerTestOneInput).  Built with
 * clang -fsanitize=fuzzer it runs under libFuzzer; built with gcc and
 * standalone.c it runs under a small random/mutation driver instead.
 */
#ifndef POINTSYS_FUZZ_H
#define POINTSYS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixedpoint.h"
#include "ledger_state.h"
#include "rules.h"

typedef __int128 i128;

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which and where, then abort (libFuzzer saves the input) */
#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "\n*** invariant failed at %s:%d: %s\n*** ", \
					__FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

/* Reading structured values out of fuzz bytes; zeros once they run out */
typedef struct Bytes
{
	const uint8_t *p;
	size_t		n;
} Bytes;

static inline uint8_t
take_u8(Bytes *b)
{
	if (b->n == 0)
		return 0;
	b->n--;
	return *b->p++;
}

static inline uint64_t
take_u64(Bytes *b, int nbytes)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < nbytes; i++)
		v = (v << 8) | take_u8(b);
	return v;
}

/*
 * The next of a sequence of pseudo-random numbers (splitmix64), from its
 * state; the property test and the standalone driver each keep their own
 */
static inline uint64_t
fuzz_random(uint64_t *state)
{
	uint64_t	z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* --- reference.c: independent implementations --- */

#define REF_SYNTAX (-1)			/* not a plain decimal at all */

/*
 * Parse with string operations: split sign / whole digits / decimals,
 * strip leading and trailing zeros, compare lengths.  Returns an FxStatus,
 * or REF_SYNTAX when the text is not [+-]digits[.digits] (with at least one
 * digit).  A plain decimal that is both too large and too precise is
 * FX_RANGE.
 */
int			ref_parse(const char *s, size_t len, int64_t *value);

/* value with "decimals" decimals, truncated, via __int128 and snprintf */
void		ref_format(int64_t value, int decimals, char *buf, size_t buflen);

/* num / den rounded half away from zero, via quotient and remainder; den > 0 */
i128		ref_div_round(i128 num, i128 den);

/* The same by schoolbook long division on the decimal digits of |num| */
i128		ref_div_round_str(i128 num, uint64_t den);

/* Mean of count values summing to sum, rounded half up to hundredths */
i128		ref_mean_cents(i128 sum, int64_t count);

/* 0.8 a + 0.2 d = (4a + d) / 5, rounded half up to hundredths */
i128		ref_annual_total(i128 assessment, i128 democratic);

/* Round to hundredths, half away from zero */
i128		ref_round_cents(i128 value);

/* Grade of a total, by its whole hundredths (floored) against a table */
Grade		ref_grade_for_total(int64_t total);

/* Grade label parser: decode, trim, compare with a lower-cased copy */
int			ref_grade_parse(const char *s, size_t len, Grade *result);

/* Sanction kinds as listed in README.md, and whether they veto */
int			ref_sanction_parse(const char *s, size_t len, SanctionKind *result,
							   int *vetoes);

/* The state text forms, parsed by splitting on spaces first */
int			ref_quarter_state_parse(const char *s, size_t len, QuarterState *state);
int			ref_year_state_parse(const char *s, size_t len, YearState *state);

/* i128 as decimal text, for messages */
const char *i128_text(i128 v, char buf[64]);

/* --- checks.c: invariants of states, shared by several harnesses --- */

/*
 * Fields in range, as year_state_parse makes them and as the SQL layer's
 * arguments keep them: every figure below FX_LIMIT, so that it reads back
 */
void		check_year_valid(const YearState *state);

/* format → parse gives the same bytes, and formats to the same text */
void		check_year_roundtrip(const YearState *state);
void		check_quarter_roundtrip(const QuarterState *state);

/* year_figures against a reference computation, and its bounds */
void		check_year_figures(const YearState *state, int64_t reward_cap);

/* fx_mean_cents of a quarter state against the reference */
void		check_quarter_mean(const QuarterState *state);

/* annual total and grade of two scores in 0..100 against the reference */
void		check_annual(int64_t assessment, int64_t democratic);

/* fx_format of any value, every precision, against the reference */
void		check_format(int64_t value);

#endif							/* POINTSYS_FUZZ_H */
