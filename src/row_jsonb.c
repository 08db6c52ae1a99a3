/*
 * row_jsonb.c
 *		Rows of pointsys's tables as jsonb, exactly as to_jsonb(row) writes
 *		them, for the audit trail (audit.c).
 *
 * to_jsonb looks up each column's type category and output function for
 * every row, and turns numbers into text and back; the audit trail writes
 * one such object per row changed, so that was half its cost.  Here the
 * column types are checked once per statement (trigger_check, with
 * row_jsonb_supports) and each row is written straight into jsonb's binary
 * form, keys in jsonb's order: text as it is, numeric as the stored
 * number, dates and timestamps through the same encoder as to_jsonb.  A
 * statement's rows are written one after another, so that the array of a
 * thousand of them (audit_log's storage) is one copy of their bytes.  Only
 * the column types pointsys's tables use are handled; the audit trigger
 * refuses a table with any other (row_jsonb_supports).  sql/process_roles.sql
 * checks that every audit row equals to_jsonb of the row it records.
 */
#include "pointsys.h"

#include "row_jsonb.h"

#include "catalog/pg_type.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

/* Can a column of this type be written into the audit trail? */
bool
row_jsonb_supports(Oid type)
{
	switch (type)
	{
		case BOOLOID:
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case NUMERICOID:
		case TEXTOID:
		case VARCHAROID:
		case NAMEOID:
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
		case JSONBOID:
			return true;
		default:
			return false;
	}
}

/*
 * The text of the last date or timestamp of each column: a statement's rows
 * mostly share their recorded_at, and formatting it in the session's time
 * zone was a tenth of the audit's time.
 */
#define MEMO_COLUMNS 16
typedef struct DateMemo
{
	Oid			type;
	int64		value;
	pg_tz	   *zone;
	char		json[MAXDATELEN + 1];	/* as to_jsonb writes it */
} DateMemo;
static DateMemo memos[MEMO_COLUMNS];

/* A date or timestamp as to_jsonb writes it, for column number column */
static const char *
date_text_of(int column, Oid type, Datum value)
{
	DateMemo   *memo;
	int64		key = type == DATEOID ? DatumGetDateADT(value) : DatumGetTimestamp(value);

	if (column >= MEMO_COLUMNS)
		return pstrdup(JsonEncodeDateTime(NULL, value, type, NULL));
	memo = &memos[column];
	if (memo->type != type || memo->value != key || memo->zone != session_timezone)
	{
		JsonEncodeDateTime(memo->json, value, type, NULL);
		memo->type = type;
		memo->value = key;
		memo->zone = session_timezone;
	}
	return memo->json;
}

/*
 * Rows are written in jsonb's own binary form (utils/jsonb.h), as
 * convertToJsonb would write them: an object's header, the JEntries of its
 * keys and then of its values, each the length of its data or, every
 * JB_OFFSET_STRIDE-th, the end offset of it; the keys' bytes, then the
 * values'.  Numbers and nested containers start on a 4-byte boundary of
 * the buffer, which counts as part of their data.  All positions are
 * relative to a 4-byte boundary, so the bytes stay valid wherever they are
 * copied to another such boundary.
 */

/* Pad buf with zeros to a 4-byte boundary */
static void
pad_to_int(StringInfo buf)
{
	int			padding = INTALIGN(buf->len) - buf->len;

	if (padding > 0)
	{
		enlargeStringInfo(buf, padding);
		memset(buf->data + buf->len, 0, padding);
		buf->len += padding;
	}
}

/* The container being written: where its JEntries and data start */
typedef struct Container
{
	StringInfo	buf;
	int			entries;		/* offset of JEntry 0 in buf */
	int			data;			/* offset of its data in buf */
	uint32		end;			/* of the last child written, from data */
} Container;

/* Start a container of nchildren JEntries (an object has two per pair) */
static void
container_begin(Container *c, StringInfo buf, uint32 header, int nchildren)
{
	pad_to_int(buf);
	appendBinaryStringInfo(buf, (const char *) &header, sizeof(header));
	c->buf = buf;
	c->entries = buf->len;
	enlargeStringInfo(buf, nchildren * sizeof(JEntry));
	buf->len += nchildren * sizeof(JEntry);
	c->data = buf->len;
	c->end = 0;
}

/* The child number i has just been written after the one before: its JEntry */
static void
container_child(Container *c, int i, uint32 type)
{
	uint32		end = c->buf->len - c->data;
	JEntry		entry;

	if (end > JENTRY_OFFLENMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a row is too large for the audit trail")));
	entry = type | ((i % JB_OFFSET_STRIDE) == 0 ? (end | JENTRY_HAS_OFF) : (end - c->end));
	memcpy(c->buf->data + c->entries + i * sizeof(JEntry), &entry, sizeof(JEntry));
	c->end = end;
}

/* Append a numeric (any varlena form) with the 4-byte header jsonb keeps */
static void
append_numeric(StringInfo buf, Numeric n)
{
	struct varlena *packed = pg_detoast_datum_packed((struct varlena *) n);
	int			header;

	pad_to_int(buf);
	header = buf->len;
	appendStringInfoSpaces(buf, VARHDRSZ);
	SET_VARSIZE(buf->data + header, VARSIZE_ANY_EXHDR(packed) + VARHDRSZ);
	appendBinaryStringInfo(buf, VARDATA_ANY(packed), VARSIZE_ANY_EXHDR(packed));
}

/* Append a jsonb scalar; return its JEntry type */
static uint32
append_scalar(StringInfo buf, const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return JENTRY_ISNULL;
		case jbvBool:
			return v->val.boolean ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE;
		case jbvString:
			appendBinaryStringInfo(buf, v->val.string.val, v->val.string.len);
			return JENTRY_ISSTRING;
		case jbvNumeric:
			append_numeric(buf, v->val.numeric);
			return JENTRY_ISNUMERIC;
		default:
			elog(ERROR, "pointsys: unexpected jsonb scalar of type %d", (int) v->type);
	}
	return JENTRY_ISNULL;		/* not reached */
}

/* Append a string; return its JEntry type */
static uint32
append_string(StringInfo buf, const char *s, int len)
{
	appendBinaryStringInfo(buf, s, len);
	return JENTRY_ISSTRING;
}

/*
 * Append a non-null value of column number column as to_jsonb writes it;
 * return its JEntry type
 */
static uint32
append_value(StringInfo buf, int column, Oid type, Datum value)
{
	switch (type)
	{
		case BOOLOID:
			return DatumGetBool(value) ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE;
		case INT2OID:
			append_numeric(buf, int64_to_numeric(DatumGetInt16(value)));
			return JENTRY_ISNUMERIC;
		case INT4OID:
			append_numeric(buf, int64_to_numeric(DatumGetInt32(value)));
			return JENTRY_ISNUMERIC;
		case INT8OID:
			append_numeric(buf, int64_to_numeric(DatumGetInt64(value)));
			return JENTRY_ISNUMERIC;
		case NUMERICOID:
			{
				Numeric		n = DatumGetNumeric(value);

				if (numeric_is_nan(n) || numeric_is_inf(n))
				{
					/* not a JSON number: to_jsonb writes its text */
					char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));

					return append_string(buf, s, strlen(s));
				}
				append_numeric(buf, n);
				return JENTRY_ISNUMERIC;
			}
		case TEXTOID:
		case VARCHAROID:
			{
				text	   *t = DatumGetTextPP(value);

				return append_string(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
			}
		case NAMEOID:
			return append_string(buf, NameStr(*DatumGetName(value)),
								 strlen(NameStr(*DatumGetName(value))));
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			{
				const char *s = date_text_of(column, type, value);

				return append_string(buf, s, strlen(s));
			}
		case JSONBOID:
			{
				Jsonb	   *j = DatumGetJsonbP(value);
				JsonbValue	scalar;

				/* a document's scalar is written as the scalar itself */
				if (JsonbExtractScalar(&j->root, &scalar))
					return append_scalar(buf, &scalar);
				pad_to_int(buf);
				appendBinaryStringInfo(buf, (const char *) &j->root, VARSIZE(j) - VARHDRSZ);
				return JENTRY_ISCONTAINER;
			}
		default:				/* row_jsonb_supports let in nothing else */
			elog(ERROR, "pointsys: cannot audit a value of type %s", format_type_be(type));
	}
	return JENTRY_ISNULL;		/* not reached */
}

/* jsonb's order of object keys: shorter first, then bytewise */
static int
key_order(const void *a, const void *b, void *arg)
{
	TupleDesc	desc = (TupleDesc) arg;
	const char *x = NameStr(TupleDescAttr(desc, *(const int *) a)->attname);
	const char *y = NameStr(TupleDescAttr(desc, *(const int *) b)->attname);
	size_t		xlen = strlen(x);
	size_t		ylen = strlen(y);

	if (xlen != ylen)
		return xlen < ylen ? -1 : 1;
	return memcmp(x, y, xlen);
}

/*
 * The columns of desc (not dropped) in the order jsonb keeps its keys, so
 * that row_jsonb hands them over already sorted: sorting the keys of every
 * row was a third of its time.  Returns their number.
 */
int
row_jsonb_order(TupleDesc desc, int *order)
{
	int			n = 0;
	int			i;

	for (i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped)
			order[n++] = i;
	qsort_arg(order, n, sizeof(int), key_order, desc);
	return n;
}

/*
 * Start a list of rows as jsonb, to be written one after another into
 * rows->data
 */
void
row_objects_init(RowObjects *rows, int capacity)
{
	initStringInfo(&rows->data);
	rows->ends = palloc(capacity * sizeof(uint32));
	rows->capacity = capacity;
	rows->n = 0;
	rows->nkeys = -1;
}

/* Forget the rows written, keeping the memory */
void
row_objects_reset(RowObjects *rows)
{
	resetStringInfo(&rows->data);
	rows->n = 0;
}

/*
 * Write the row in slot as a jsonb object, equal to to_jsonb(row); order
 * holds its n columns from row_jsonb_order.
 */
void
row_objects_add(RowObjects *rows, TupleTableSlot *slot, const int *order, int n)
{
	TupleDesc	desc = slot->tts_tupleDescriptor;
	StringInfo	buf = &rows->data;
	Container	object;
	int			i;

	Assert(rows->n < rows->capacity);
	slot_getallattrs(slot);
	container_begin(&object, buf, (uint32) n | JB_FOBJECT, 2 * n);
	if (rows->nkeys == n)
	{
		/* the keys as the first row wrote them: their offsets are the same */
		memcpy(buf->data + object.entries, rows->keys, n * sizeof(JEntry));
		appendBinaryStringInfo(buf, rows->keys + n * sizeof(JEntry), rows->keys_len);
		object.end = rows->keys_len;
	}
	else
	{
		for (i = 0; i < n; i++)
		{
			const char *key = NameStr(TupleDescAttr(desc, order[i])->attname);

			container_child(&object, i, append_string(buf, key, strlen(key)));
		}
		rows->nkeys = n;
		rows->keys_len = buf->len - object.data;
		rows->keys = MemoryContextAlloc(GetMemoryChunkContext(rows->ends),
										n * sizeof(JEntry) + rows->keys_len);
		memcpy(rows->keys, buf->data + object.entries, n * sizeof(JEntry));
		memcpy(rows->keys + n * sizeof(JEntry), buf->data + object.data, rows->keys_len);
	}
	for (i = 0; i < n; i++)
	{
		int			column = order[i];
		uint32		type = JENTRY_ISNULL;

		if (!slot->tts_isnull[column])
			type = append_value(buf, column, TupleDescAttr(desc, column)->atttypid,
								slot->tts_values[column]);
		container_child(&object, n + i, type);
	}
	rows->ends[rows->n++] = buf->len;
}

/*
 * The rows written as one jsonb value: the object of a single row, or the
 * array of them all (jsonb_agg of the objects), in the current memory
 * context
 */
Datum
row_objects_jsonb(const RowObjects *rows)
{
	StringInfoData out;
	Container	array;
	int			i;

	Assert(rows->n > 0);
	initStringInfo(&out);
	appendStringInfoSpaces(&out, VARHDRSZ);
	if (rows->n == 1)
		appendBinaryStringInfo(&out, rows->data.data, rows->data.len);
	else
	{
		/*
		 * each object starts on a 4-byte boundary of rows->data: copy them
		 * whole
		 */
		container_begin(&array, &out, (uint32) rows->n | JB_FARRAY, rows->n);
		appendBinaryStringInfo(&out, rows->data.data, rows->data.len);
		for (i = 0; i < rows->n; i++)
		{
			uint32		end = rows->ends[i];
			JEntry		entry;

			if (end > JENTRY_OFFLENMASK)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("a statement's rows are too large for the audit trail")));
			entry = JENTRY_ISCONTAINER |
				((i % JB_OFFSET_STRIDE) == 0 ? (end | JENTRY_HAS_OFF) :
				 (end - (i == 0 ? 0 : rows->ends[i - 1])));
			memcpy(out.data + array.entries + i * sizeof(JEntry), &entry, sizeof(JEntry));
		}
	}
	SET_VARSIZE(out.data, out.len);
	return PointerGetDatum(out.data);
}
