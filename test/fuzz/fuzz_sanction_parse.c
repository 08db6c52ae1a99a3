/*
 * fuzz_sanction_parse: sanction_parse on arbitrary bytes against the list
 * of README.md, with sanction_vetoes of the kind found.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	SanctionKind kind = (SanctionKind) 99;
	SanctionKind ref = (SanctionKind) 98;
	int			vetoes = -1;
	int			ok = sanction_parse(s, size, &kind);
	int			ref_ok = ref_sanction_parse(s, size, &ref, &vetoes);

	FUZZ_CHECK(ok == ref_ok && (!ok || kind == ref),
			   "sanction_parse(\"%.*s\") = %d (kind %d); reference %d (kind %d)",
			   (int) size, s, ok, kind, ref_ok, ref);
	if (ok)
		FUZZ_CHECK(sanction_vetoes(kind) == vetoes, "sanction_vetoes(%d) = %d, README says %d",
				   kind, sanction_vetoes(kind), vetoes);
	return 0;
}
