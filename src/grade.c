/*
 * grade.c
 *		The pointsys.grade type (格次): input, output, binary form,
 *		comparison, hashing.
 *
 * A grade is one byte, 0 (不合格) to 3 (优秀), so the byte order is the
 * grade order.  Labels are UTF-8 in rules.c and converted from and to the
 * database encoding here.  Its binary form is its label, like its text
 * form; binary input also takes release 1.1's one byte.  Grades compare
 * with text (and so varchar) through the labels: `grade = ?` with a
 * string parameter.
 */
#include "pointsys.h"

#include "grade.h"

#include "rules.h"
#include "settings.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(grade_in);
PG_FUNCTION_INFO_V1(grade_out);
PG_FUNCTION_INFO_V1(grade_recv);
PG_FUNCTION_INFO_V1(grade_send);
PG_FUNCTION_INFO_V1(grade_eq);
PG_FUNCTION_INFO_V1(grade_ne);
PG_FUNCTION_INFO_V1(grade_lt);
PG_FUNCTION_INFO_V1(grade_le);
PG_FUNCTION_INFO_V1(grade_gt);
PG_FUNCTION_INFO_V1(grade_ge);
PG_FUNCTION_INFO_V1(grade_cmp);
PG_FUNCTION_INFO_V1(grade_hash);
PG_FUNCTION_INFO_V1(grade_hash_extended);
PG_FUNCTION_INFO_V1(grade_larger);
PG_FUNCTION_INFO_V1(grade_smaller);
PG_FUNCTION_INFO_V1(grade_text_eq);
PG_FUNCTION_INFO_V1(grade_text_ne);
PG_FUNCTION_INFO_V1(grade_text_lt);
PG_FUNCTION_INFO_V1(grade_text_le);
PG_FUNCTION_INFO_V1(grade_text_gt);
PG_FUNCTION_INFO_V1(grade_text_ge);
PG_FUNCTION_INFO_V1(text_grade_eq);
PG_FUNCTION_INFO_V1(text_grade_ne);
PG_FUNCTION_INFO_V1(text_grade_lt);
PG_FUNCTION_INFO_V1(text_grade_le);
PG_FUNCTION_INFO_V1(text_grade_gt);
PG_FUNCTION_INFO_V1(text_grade_ge);

/*
 * The hint that lists the labels, in the database encoding: with the
 * Chinese labels where the encoding holds them, else the English ones.
 */
static const char *
labels_hint(void)
{
	static const char hint[] = GRADE_LABELS_HINT;
	const char *translated;

	switch (GetDatabaseEncoding())
	{
		case PG_UTF8:
		case PG_EUC_CN:

			/*
			 * a translation comes in the database encoding, the original in
			 * UTF-8
			 */
			translated = _(hint);
			if (translated != hint)
				return translated;
			return pg_any_to_server(hint, sizeof(hint) - 1, PG_UTF8);
		default:
			return _("Valid grades are excellent, good, qualified, unqualified.");
	}
}

/*
 * A label in the database encoding (len bytes, not necessarily
 * terminated; -1: terminated) to a grade; false if it is none
 */
static bool
label_grade(const char *str, int len, Grade *grade)
{
	char	   *copy;
	char	   *utf8;

	if (len < 0)
		len = (int) strlen(str);
	copy = pnstrdup(str, len);
	utf8 = pg_server_to_any(copy, len, PG_UTF8);

	return grade_parse(utf8, strlen(utf8), grade);
}

/* The same, 22P02 if it is none */
static Grade
grade_from_label(const char *str, int len)
{
	Grade		grade;

	if (!label_grade(str, len, &grade))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "grade",
						pnstrdup(str, len)),
				 errhint("%s", labels_hint())));
	return grade;
}

/* The label of a grade in pointsys.language, in the database encoding */
static const char *
grade_label_text(Grade grade)
{
	const char *label;

	if ((unsigned) grade >= GRADE_COUNT)
		elog(ERROR, "invalid grade value %d", (int) grade);
	label = grade_label(grade, (Language) pointsys_language);
	return pg_any_to_server(label, (int) strlen(label), PG_UTF8);
}

/* Text to grade: a Chinese label or an English word, any case, blanks around */
Datum
grade_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);

	PG_RETURN_GRADE(grade_from_label(str, (int) strlen(str)));
}

/* Grade to text, in the language of pointsys.language */
Datum
grade_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(grade_label_text(PG_GETARG_GRADE(0))));
}

/*
 * Binary input: the label as text (what grade_send sends since 1.3), or
 * release 1.1's one byte, the grade's rank 0..3.  No label is one byte
 * long, so the length tells the two apart.
 */
Datum
grade_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			length = buf->len - buf->cursor;
	int			rank;
	char	   *str;
	Grade		grade;

	if (length != 1)
	{
		/* text in the client encoding: not a label if not valid there */
		str = pnstrdup(pq_getmsgbytes(buf, length), length);
		if (!pg_verify_mbstr(pg_get_client_encoding(), str, length, true) ||
			!label_grade(pg_client_to_server(str, length), -1, &grade))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary grade of %d bytes", length),
					 errdetail("A binary grade is its label, or one byte from 0 (unqualified) to 3 (excellent).")));
		PG_RETURN_GRADE(grade);
	}
	rank = pq_getmsgbyte(buf);
	if (rank < 0 || rank >= GRADE_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary grade %d", rank),
				 errdetail("A binary grade is its label, or one byte from 0 (unqualified) to 3 (excellent).")));
	PG_RETURN_GRADE((Grade) rank);
}

/* Binary output: the label, as the text output gives it */
Datum
grade_send(PG_FUNCTION_ARGS)
{
	const char *label = grade_label_text(PG_GETARG_GRADE(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, label, (int) strlen(label));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define GRADE_COMPARISON(name, op) \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_GRADE(0) op PG_GETARG_GRADE(1)); \
}

GRADE_COMPARISON(grade_eq, ==)
GRADE_COMPARISON(grade_ne, !=)
GRADE_COMPARISON(grade_lt, <)
GRADE_COMPARISON(grade_le, <=)
GRADE_COMPARISON(grade_gt, >)
GRADE_COMPARISON(grade_ge, >=)

/* grade against a label given as text (22P02 if it is none) */
#define GRADE_TEXT_COMPARISON(name, op) \
Datum \
grade_text_##name(PG_FUNCTION_ARGS) \
{ \
	text	   *label = PG_GETARG_TEXT_PP(1); \
\
	PG_RETURN_BOOL(PG_GETARG_GRADE(0) op \
				   grade_from_label(VARDATA_ANY(label), VARSIZE_ANY_EXHDR(label))); \
} \
Datum \
text_grade_##name(PG_FUNCTION_ARGS) \
{ \
	text	   *label = PG_GETARG_TEXT_PP(0); \
\
	PG_RETURN_BOOL(grade_from_label(VARDATA_ANY(label), VARSIZE_ANY_EXHDR(label)) op \
				   PG_GETARG_GRADE(1)); \
}

GRADE_TEXT_COMPARISON(eq, ==)
GRADE_TEXT_COMPARISON(ne, !=)
GRADE_TEXT_COMPARISON(lt, <)
GRADE_TEXT_COMPARISON(le, <=)
GRADE_TEXT_COMPARISON(gt, >)
GRADE_TEXT_COMPARISON(ge, >=)

/* btree support: -1, 0 or 1 */
Datum
grade_cmp(PG_FUNCTION_ARGS)
{
	Grade		a = PG_GETARG_GRADE(0);
	Grade		b = PG_GETARG_GRADE(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

/* hash support */
Datum
grade_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_GRADE(0));
}

Datum
grade_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_GRADE(0), PG_GETARG_INT64(1));
}

/* max(grade) and min(grade) */
Datum
grade_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_GRADE(Max(PG_GETARG_GRADE(0), PG_GETARG_GRADE(1)));
}

Datum
grade_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_GRADE(Min(PG_GETARG_GRADE(0), PG_GETARG_GRADE(1)));
}
