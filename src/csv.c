/*
 * csv.c
 *		CSV text as Excel and WPS export it (issue 24), split into rows of
 *		fields for the bulk import (src/sql/92_import.sql): a UTF-8 byte
 *		order mark skipped, CRLF, LF or CR line ends, fields quoted with
 *		double quotes holding commas, doubled quotes and line breaks.  Each
 *		row carries its number as the spreadsheet shows it (the first row is
 *		1; a line break inside a quoted field does not start a row); rows
 *		whose fields are all empty are skipped but counted.
 */
#include "pointsys.h"

#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(pointsys_csv_rows);

/* Emit one row (line, fields) unless every field is empty */
static void
emit_row(ReturnSetInfo *rsinfo, int line, List *fields, bool any)
{
	Datum		values[2];
	bool		nulls[2] = {false, false};
	Datum	   *items;
	int			n = list_length(fields);
	int			i = 0;
	ListCell   *lc;

	if (!any)
		return;
	items = palloc(sizeof(Datum) * n);
	foreach(lc, fields)
		items[i++] = PointerGetDatum(lfirst(lc));
	values[0] = Int32GetDatum(line);
	values[1] = PointerGetDatum(construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT));
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	pfree(items);
}

/*
 * csv_rows(csv text) → SETOF (line int4, fields text[]): the rows of a CSV
 * text, lenient as spreadsheets are (a quote inside an unquoted field, or
 * text after a closing quote, is kept as written); an unterminated quoted
 * field is an error (22P04).
 */
Datum
pointsys_csv_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *csv = PG_GETARG_TEXT_PP(0);
	const char *p = VARDATA_ANY(csv);
	const char *end = p + VARSIZE_ANY_EXHDR(csv);
	StringInfoData field;
	List	   *fields = NIL;
	bool		any = false;	/* a non-empty field in this row */
	int			line = 1;

	InitMaterializedSRF(fcinfo, 0);
	if (end - p >= 3 && (unsigned char) p[0] == 0xEF && (unsigned char) p[1] == 0xBB &&
		(unsigned char) p[2] == 0xBF)
		p += 3;
	if (p == end)
		return (Datum) 0;
	initStringInfo(&field);
	for (;;)
	{
		/* one field, up to a comma, a line end or the end of the text */
		resetStringInfo(&field);
		if (p < end && *p == '"')
		{
			int			opened = line;

			p++;
			for (;;)
			{
				if (p == end)
					ereport(ERROR,
							(errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
							 errmsg("unterminated quoted field in CSV text"),
							 errdetail("The quoted field that starts in row %d is not closed.", opened)));
				if (*p == '"')
				{
					if (p + 1 < end && p[1] == '"')
					{
						appendStringInfoChar(&field, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				appendStringInfoChar(&field, *p++);
			}
		}
		while (p < end && *p != ',' && *p != '\n' && *p != '\r')
			appendStringInfoChar(&field, *p++);
		if (field.len > 0)
			any = true;
		fields = lappend(fields, cstring_to_text_with_len(field.data, field.len));
		if (p < end && *p == ',')
		{
			p++;
			continue;
		}
		/* a line end or the end: the row is complete */
		emit_row(rsinfo, line, fields, any);
		list_free_deep(fields);
		fields = NIL;
		any = false;
		if (p == end)
			break;
		if (*p == '\r' && p + 1 < end && p[1] == '\n')
			p++;
		p++;
		line++;
		if (p == end)
			break;				/* the last line's end */
	}
	return (Datum) 0;
}
