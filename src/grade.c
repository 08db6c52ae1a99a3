/*
 * grade.c
 *		The pointsys.grade type (格次): input, output, binary form,
 *		comparison, hashing.
 *
 * A grade is one byte, 0 (不合格) to 3 (优秀), so the byte order is the
 * grade order.  Labels are UTF-8 in rules.c and converted from and to the
 * database encoding here.
 */
#include "pointsys.h"

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

/*
 * The hint that lists the labels, in the database encoding: with the
 * Chinese labels where the encoding holds them, else the English ones.
 */
static const char *
labels_hint(void)
{
	static const char hint[] = GRADE_LABELS_HINT;

	switch (GetDatabaseEncoding())
	{
		case PG_UTF8:
		case PG_EUC_CN:
			return pg_any_to_server(hint, sizeof(hint) - 1, PG_UTF8);
		default:
			return "Valid grades are excellent, good, qualified, unqualified.";
	}
}

/* Text to grade: a Chinese label or an English word, any case, blanks around */
Datum
grade_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	char	   *utf8 = pg_server_to_any(str, (int) len, PG_UTF8);
	Grade		grade;

	if (!grade_parse(utf8, strlen(utf8), &grade))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "grade", str),
				 errhint("%s", labels_hint())));
	PG_RETURN_GRADE(grade);
}

/* Grade to text, in the language of pointsys.language */
Datum
grade_out(PG_FUNCTION_ARGS)
{
	Grade		grade = PG_GETARG_GRADE(0);
	const char *label;

	if ((unsigned) grade >= GRADE_COUNT)
		elog(ERROR, "invalid grade value %d", (int) grade);
	label = grade_label(grade, (Language) pointsys_language);
	PG_RETURN_CSTRING(pstrdup(pg_any_to_server(label, (int) strlen(label), PG_UTF8)));
}

/* Binary form: one byte, the grade's rank 0..3 */
Datum
grade_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			rank;

	if (buf->len - buf->cursor != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary grade of %d bytes", buf->len - buf->cursor),
				 errdetail("A binary grade is one byte from 0 (unqualified) to 3 (excellent).")));
	rank = pq_getmsgbyte(buf);
	if (rank < 0 || rank >= GRADE_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary grade %d", rank),
				 errdetail("A binary grade is one byte from 0 (unqualified) to 3 (excellent).")));
	PG_RETURN_GRADE((Grade) rank);
}

Datum
grade_send(PG_FUNCTION_ARGS)
{
	Grade		grade = PG_GETARG_GRADE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, (uint8) grade);
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
