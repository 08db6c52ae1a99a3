/*
 * test/fuzz/state_parse_fuzz.h
 *		The LLVMFuzzerTestOneInput of the two state parsers' harnesses
 *		(fuzz_quarter_state_parse.c, fuzz_year_state_parse.c), written once
 *		as a template, the way PostgreSQL's lib/simplehash.h is.  The
 *		including file defines
 *
 *			STATE			the state type (QuarterState, YearState)
 *			STATE_PARSE		its parser, as a name and as a string
 *			STATE_PARSE_NAME
 *			REF_PARSE		the reference's parser (reference.c)
 *			STATE_COMBINE	its combine function
 *
 *		and the static functions
 *
 *			check_parsed(const STATE *)			what holds of a parsed state
 *			check_combined(const STATE *a, const STATE *b, StateStatus s1,
 *						   StateStatus s2, const STATE *ab)
 *												what holds of a and b combined
 *												(a + b: status s1, state ab;
 *												b + a: status s2)
 *
 *		then includes this file.
 *
 * On arbitrary bytes the parser must agree with the reference, and
 * check_parsed must hold when it accepts.  When the input holds a newline,
 * the two halves are parsed too and combined in both orders, which must
 * agree: both accepted (with the same state) or both refused.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	const char *nl = memchr(s, '\n', size);
	STATE		st;
	STATE		ref;
	int			ok = STATE_PARSE(s, size, &st);
	int			ref_ok = REF_PARSE(s, size, &ref);

	FUZZ_CHECK(ok == ref_ok && (!ok || memcmp(&st, &ref, sizeof(ref)) == 0),
			   "%s(\"%.*s\") = %d; the reference parser says %d%s", STATE_PARSE_NAME,
			   (int) size, s, ok, ref_ok, ok && ref_ok ? ", with another state" : "");
	if (ok)
		check_parsed(&st);

	if (nl != NULL)
	{
		STATE		a,
					b,
					ab,
					ba;
		StateStatus s1,
					s2;

		if (!STATE_PARSE(s, (size_t) (nl - s), &a) ||
			!STATE_PARSE(nl + 1, size - (size_t) (nl + 1 - s), &b))
			return 0;
		check_parsed(&a);
		check_parsed(&b);
		ab = a;
		ba = b;
		s1 = STATE_COMBINE(&ab, &b);
		s2 = STATE_COMBINE(&ba, &a);
		FUZZ_CHECK((s1 == STATE_OK) == (s2 == STATE_OK), "combine statuses %d and %d", s1, s2);
		if (s1 == STATE_OK)
			FUZZ_CHECK(memcmp(&ab, &ba, sizeof(ab)) == 0, "combine is not commutative");
		check_combined(&a, &b, s1, s2, &ab);
	}
	return 0;
}

#undef STATE
#undef STATE_PARSE
#undef STATE_PARSE_NAME
#undef REF_PARSE
#undef STATE_COMBINE
