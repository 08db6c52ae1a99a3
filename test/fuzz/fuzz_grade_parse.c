/*
 * fuzz_grade_parse: grade_parse on arbitrary bytes against the reference
 * parser; the same with blanks (ASCII and U+3000) added around it; on
 * success the grade's labels parse back to it.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char prefix[] = " \xe3\x80\x80\t";
	static const char suffix[] = "\r\n\xe3\x80\x80 ";
	const char *s = (const char *) data;
	Grade		grade = (Grade) 99;
	Grade		ref = (Grade) 98;
	int			ok = grade_parse(s, size, &grade);
	int			ref_ok = ref_grade_parse(s, size, &ref);
	size_t		padded_len = sizeof(prefix) - 1 + size + sizeof(suffix) - 1;
	char	   *padded = malloc(padded_len ? padded_len : 1);
	Grade		padded_grade = (Grade) 97;
	int			padded_ok;

	FUZZ_CHECK(ok == ref_ok && (!ok || grade == ref),
			   "grade_parse(\"%.*s\") = %d (grade %d); reference %d (grade %d)",
			   (int) size, s, ok, grade, ref_ok, ref);

	memcpy(padded, prefix, sizeof(prefix) - 1);
	memcpy(padded + sizeof(prefix) - 1, s, size);
	memcpy(padded + sizeof(prefix) - 1 + size, suffix, sizeof(suffix) - 1);
	padded_ok = grade_parse(padded, padded_len, &padded_grade);
	FUZZ_CHECK(padded_ok == ok && (!ok || padded_grade == grade),
			   "blanks around \"%.*s\" change grade_parse: %d (grade %d) instead of %d",
			   (int) size, s, padded_ok, padded_grade, ok);
	free(padded);

	if (ok)
	{
		int			lang;

		FUZZ_CHECK((unsigned) grade < GRADE_COUNT, "grade %d", grade);
		for (lang = LANGUAGE_ZH; lang <= LANGUAGE_EN; lang++)
		{
			const char *label = grade_label(grade, (Language) lang);
			Grade		back = (Grade) 96;

			FUZZ_CHECK(grade_parse(label, strlen(label), &back) && back == grade,
					   "label \"%s\" of grade %d does not parse back", label, grade);
		}
		FUZZ_CHECK(grade_eligibility(grade) != NULL && *grade_eligibility(grade),
				   "grade %d without eligibility", grade);
	}
	return 0;
}
