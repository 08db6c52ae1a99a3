/*
 * row_jsonb.c
 *		A row of one of pointsys's tables as jsonb, exactly as
 *		to_jsonb(row) writes it, for the audit trail (audit.c).
 *
 * to_jsonb looks up each column's type category and output function for
 * every row, and turns numbers into text and back; the audit trail writes
 * one such object per row changed, so that was half its cost.  Here the
 * column types are checked once per statement (trigger_check, with
 * row_jsonb_supports) and each value goes into the jsonb directly: text as it is, numeric as the stored
 * number, dates and timestamps through the same encoder as to_jsonb.  Only
 * the column types pointsys's tables use are handled; the audit trigger
 * refuses a table with any other (row_jsonb_supports).  sql/ledger_rules.sql
 * checks that every audit row equals to_jsonb of the row it records.
 */
#include "row_jsonb.h"

#include "catalog/pg_type.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"

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
	char		text[MAXDATELEN + 1];
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
		JsonEncodeDateTime(memo->text, value, type, NULL);
		memo->type = type;
		memo->value = key;
		memo->zone = session_timezone;
	}
	return memo->text;
}

/*
 * The jsonb scalar (or embedded document) of a non-null value of column
 * number column
 */
static void
push_value(JsonbParseState **state, int column, Oid type, Datum value)
{
	JsonbValue	v;
	const char *s;

	switch (type)
	{
		case BOOLOID:
			v.type = jbvBool;
			v.val.boolean = DatumGetBool(value);
			break;
		case INT2OID:
			v.type = jbvNumeric;
			v.val.numeric = int64_to_numeric(DatumGetInt16(value));
			break;
		case INT4OID:
			v.type = jbvNumeric;
			v.val.numeric = int64_to_numeric(DatumGetInt32(value));
			break;
		case INT8OID:
			v.type = jbvNumeric;
			v.val.numeric = int64_to_numeric(DatumGetInt64(value));
			break;
		case NUMERICOID:
			{
				Numeric		n = DatumGetNumeric(value);	/* detoasted: 4-byte header */

				if (numeric_is_nan(n) || numeric_is_inf(n))
				{
					/* not a JSON number: to_jsonb writes its text */
					s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
					v.type = jbvString;
					v.val.string.val = (char *) s;
					v.val.string.len = strlen(s);
				}
				else
				{
					v.type = jbvNumeric;
					v.val.numeric = n;
				}
			}
			break;
		case TEXTOID:
		case VARCHAROID:
			{
				text	   *t = DatumGetTextPP(value);

				v.type = jbvString;
				v.val.string.val = VARDATA_ANY(t);
				v.val.string.len = VARSIZE_ANY_EXHDR(t);
			}
			break;
		case NAMEOID:
			s = NameStr(*DatumGetName(value));
			v.type = jbvString;
			v.val.string.val = (char *) s;
			v.val.string.len = strlen(s);
			break;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			s = date_text_of(column, type, value);
			v.type = jbvString;
			v.val.string.val = (char *) s;
			v.val.string.len = strlen(s);
			break;
		case JSONBOID:
			{
				Jsonb	   *j = DatumGetJsonbP(value);

				v.type = jbvBinary;
				v.val.binary.data = &j->root;
				v.val.binary.len = VARSIZE(j) - VARHDRSZ;
			}
			break;
		default:				/* row_jsonb_supports let in nothing else */
			elog(ERROR, "pointsys: cannot audit a value of type %s", format_type_be(type));
	}
	pushJsonbValue(state, WJB_VALUE, &v);
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
 * The row in slot as a jsonb object: to_jsonb(row).  order holds its n
 * columns from row_jsonb_order.
 */
Datum
row_jsonb(TupleTableSlot *slot, const int *order, int n)
{
	TupleDesc	desc = slot->tts_tupleDescriptor;
	JsonbParseState *state = NULL;
	JsonbValue *object;
	int			i;

	slot_getallattrs(slot);
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < n; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, order[i]);
		JsonbValue	key;

		key.type = jbvString;
		key.val.string.val = NameStr(att->attname);
		key.val.string.len = strlen(NameStr(att->attname));
		pushJsonbValue(&state, WJB_KEY, &key);
		if (slot->tts_isnull[order[i]])
		{
			JsonbValue	null;

			null.type = jbvNull;
			pushJsonbValue(&state, WJB_VALUE, &null);
		}
		else
			push_value(&state, order[i], att->atttypid, slot->tts_values[order[i]]);
	}
	object = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbPGetDatum(JsonbValueToJsonb(object));
}

/*
 * The jsonb array of n jsonb objects made by row_jsonb, in their order:
 * jsonb_agg of them, assembled from their bytes.  jsonb keeps an array's
 * element containers as they are, each starting on a 4-byte boundary (the
 * padding counts as part of the element), with its end offset rather than
 * its length in every JB_OFFSET_STRIDE-th entry.
 */
Datum
row_jsonb_array(const Datum *rows, int n)
{
	Size		size = VARHDRSZ + offsetof(JsonbContainer, children) + n * sizeof(JEntry);
	Jsonb	   *array;
	char	   *data;
	uint32		offset = 0;
	int			i;

	for (i = 0; i < n; i++)
		size += INTALIGN(VARSIZE(DatumGetPointer(rows[i])) - VARHDRSZ);
	if (size - VARHDRSZ > JENTRY_OFFLENMASK)
		elog(ERROR, "pointsys: %d audited rows are too large for one jsonb array", n);
	array = palloc0(size);
	array->root.header = (uint32) n | JB_FARRAY;
	data = (char *) &array->root.children[n];
	for (i = 0; i < n; i++)
	{
		const Jsonb *row = (const Jsonb *) DatumGetPointer(rows[i]);
		uint32		length = VARSIZE(row) - VARHDRSZ;
		uint32		padding = INTALIGN(offset) - offset;

		Assert(JB_ROOT_IS_OBJECT(row));
		memcpy(data + offset + padding, &row->root, length);
		offset += padding + length;
		array->root.children[i] = JENTRY_ISCONTAINER |
			((i % JB_OFFSET_STRIDE) == 0 ? (offset | JENTRY_HAS_OFF) : (padding + length));
	}
	SET_VARSIZE(array, data + offset - (char *) array);
	return JsonbPGetDatum(array);
}
