/*
 * rules.h
 *		The bureau's rules (doc/contract.md §1) that do not depend on the ledger:
 *		grades and their labels, use of results, sanction kinds.
 *
 * Pure C, no postgres.h: built alone by the fuzz and sanitizer harness.
 */
#ifndef POINTSYS_RULES_H
#define POINTSYS_RULES_H

#include <stddef.h>
#include <stdint.h>

/* Grades (格次), in their order; stored as one byte */
typedef enum Grade
{
	GRADE_UNQUALIFIED = 0,		/* 不合格 */
	GRADE_QUALIFIED = 1,		/* 合格 */
	GRADE_GOOD = 2,				/* 良好 */
	GRADE_EXCELLENT = 3			/* 优秀 */
} Grade;

#define GRADE_COUNT 4

typedef enum Language
{
	LANGUAGE_ZH = 0,
	LANGUAGE_EN = 1
} Language;

extern Grade grade_for_total(int64_t total);
extern int	grade_parse(const char *s, size_t len, Grade *result);
extern const char *grade_label(Grade grade, Language language);
extern const char *grade_eligibility(Grade grade);
extern const char *grade_eligibility_label(Grade grade, Language language);

/* Sanction kinds (处分种类) */
typedef enum SanctionKind
{
	SANCTION_WARNING,
	SANCTION_SERIOUS_WARNING,
	SANCTION_REMOVAL_FROM_POST,
	SANCTION_PROBATION,
	SANCTION_EXPULSION,
	SANCTION_LAW_VIOLATION,
	SANCTION_COUNT
} SanctionKind;

extern int	sanction_parse(const char *s, size_t len, SanctionKind *result);
extern int	sanction_vetoes(SanctionKind kind);

#define GRADE_LABELS_HINT \
	"Valid grades are 优秀, 良好, 合格, 不合格 or excellent, good, qualified, unqualified."
#define SANCTION_KINDS_HINT \
	"Valid kinds are warning, serious_warning, removal_from_post, probation, expulsion and law_violation."

#endif							/* POINTSYS_RULES_H */
