/*
 * rules.c
 *		Grades, their labels, use of results, and sanction kinds.
 */
#include <string.h>

#include "fixedpoint.h"
#include "rules.h"

/*
 * The Chinese texts are macros: pgindent's pg_bsd_indent (2.1.1, Debian's)
 * rewrites the byte 0x80 inside a string literal of C code, and 一 and 秀
 * hold one in UTF-8; it copies preprocessor lines as they stand.
 */
#define ZH_UNQUALIFIED			"不合格"
#define ZH_QUALIFIED			"合格"
#define ZH_GOOD					"良好"
#define ZH_EXCELLENT			"优秀"
#define ZH_USE_UNQUALIFIED		"取消一切评先树优资格，列入帮扶教育对象"
#define ZH_USE_QUALIFIED		"取消参加评先树优资格"
#define ZH_USE_GOOD				"可参加评先树优"
#define ZH_USE_EXCELLENT		"优先推荐参加市级以上评先树优"

/* A grade's labels and the use of its results */
typedef struct GradeTexts
{
	const char *zh;
	const char *en;
	const char *eligibility;
	const char *eligibility_zh; /* what the code means, for people */
	const char *eligibility_en;
} GradeTexts;

static const GradeTexts grades[GRADE_COUNT] = {
	[GRADE_UNQUALIFIED] = {ZH_UNQUALIFIED, "unqualified", "mentoring", ZH_USE_UNQUALIFIED,
	"not eligible for any commendation; one-to-one mentoring"},
	[GRADE_QUALIFIED] = {ZH_QUALIFIED, "qualified", "ineligible", ZH_USE_QUALIFIED,
	"not eligible for commendation"},
	[GRADE_GOOD] = {ZH_GOOD, "good", "eligible", ZH_USE_GOOD,
	"eligible for commendation"},
	[GRADE_EXCELLENT] = {ZH_EXCELLENT, "excellent", "priority", ZH_USE_EXCELLENT,
	"recommended first for commendations at city level and above"},
};

/* A sanction kind's code, and whether it vetoes (一票否决) */
typedef struct SanctionText
{
	const char *code;
	int			vetoes;
} SanctionText;

static const SanctionText sanctions[SANCTION_COUNT] = {
	[SANCTION_WARNING] = {"warning", 0},
	[SANCTION_SERIOUS_WARNING] = {"serious_warning", 0},
	[SANCTION_REMOVAL_FROM_POST] = {"removal_from_post", 1},
	[SANCTION_PROBATION] = {"probation", 1},
	[SANCTION_EXPULSION] = {"expulsion", 0},
	[SANCTION_LAW_VIOLATION] = {"law_violation", 1},
};

/*
 * The grade of an annual total, which must already be rounded to
 * hundredths: ≥ 90 优秀, ≥ 80 良好, ≥ 60 合格, else 不合格.
 */
Grade
grade_for_total(int64_t total)
{
	if (total >= 90 * FX_ONE)
		return GRADE_EXCELLENT;
	if (total >= 80 * FX_ONE)
		return GRADE_GOOD;
	if (total >= 60 * FX_ONE)
		return GRADE_QUALIFIED;
	return GRADE_UNQUALIFIED;
}

/* Is c ASCII white space? */
static int
is_ascii_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* U+3000 全角空格, the ideographic space, in UTF-8 */
#define IDEOGRAPHIC_SPACE "\xe3\x80\x80"

/* Strip ASCII white space and ideographic spaces from both ends */
static void
trim_blanks(const char **s, size_t *len)
{
	for (;;)
	{
		if (*len >= 1 && is_ascii_blank((*s)[0]))
			(*s)++, (*len)--;
		else if (*len >= 3 && memcmp(*s, IDEOGRAPHIC_SPACE, 3) == 0)
			(*s) += 3, (*len) -= 3;
		else
			break;
	}
	for (;;)
	{
		if (*len >= 1 && is_ascii_blank((*s)[*len - 1]))
			(*len)--;
		else if (*len >= 3 && memcmp(*s + *len - 3, IDEOGRAPHIC_SPACE, 3) == 0)
			(*len) -= 3;
		else
			break;
	}
}

static int
equal_ignoring_ascii_case(const char *s, size_t len, const char *word)
{
	size_t		i;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c + ('a' - 'A'));
		if (c != word[i])
			return 0;
	}
	return 1;
}

/*
 * Parse a grade label (UTF-8): the Chinese label or the English word in any
 * case, with surrounding blanks.  Returns 1 on success.
 */
int
grade_parse(const char *s, size_t len, Grade *result)
{
	int			g;

	trim_blanks(&s, &len);
	for (g = 0; g < GRADE_COUNT; g++)
	{
		if ((strlen(grades[g].zh) == len && memcmp(s, grades[g].zh, len) == 0) ||
			equal_ignoring_ascii_case(s, len, grades[g].en))
		{
			*result = (Grade) g;
			return 1;
		}
	}
	return 0;
}

const char *
grade_label(Grade grade, Language language)
{
	return language == LANGUAGE_EN ? grades[grade].en : grades[grade].zh;
}

/* Use of results (结果运用) */
const char *
grade_eligibility(Grade grade)
{
	return grades[grade].eligibility;
}

/* The use of results in words, in a language (UTF-8) */
const char *
grade_eligibility_label(Grade grade, Language language)
{
	return language == LANGUAGE_EN ? grades[grade].eligibility_en : grades[grade].eligibility_zh;
}

/* Parse a sanction kind code (exact, lower case).  Returns 1 on success. */
int
sanction_parse(const char *s, size_t len, SanctionKind *result)
{
	int			k;

	for (k = 0; k < SANCTION_COUNT; k++)
	{
		if (strlen(sanctions[k].code) == len &&
			memcmp(s, sanctions[k].code, len) == 0)
		{
			*result = (SanctionKind) k;
			return 1;
		}
	}
	return 0;
}

/* Does this kind of sanction veto the years it touches (一票否决)? */
int
sanction_vetoes(SanctionKind kind)
{
	return sanctions[kind].vetoes;
}
