/*
 * month_key.c
 *		A member-month (member_id, month) as the key of a dynahash table:
 *		its hash and comparison, a cheap test against a row's columns, and
 *		the table's creation, for the statement triggers that gather a
 *		statement's rows by member-month (member_month.c, write_rules.c).
 *
 * The key points to its member_id; whoever enters a key copies the id into
 * memory that lives as long as the table.
 */
#include "pointsys.h"

#include "month_key.h"

#include "common/hashfn.h"
#include "utils/builtins.h"

/* Hash a member-month */
uint32
month_key_hash(const void *key, Size keysize)
{
	const MonthKey *k = key;

	return hash_combine(string_hash(k->member_id, strlen(k->member_id) + 1),
						murmurhash32((uint32) k->month));
}

/* Compare two member-months: 0 when equal */
int
month_key_match(const void *a, const void *b, Size keysize)
{
	const MonthKey *x = a;
	const MonthKey *y = b;

	return x->month != y->month || strcmp(x->member_id, y->member_id) != 0;
}

/*
 * Is key the member-month of a row's member_id (text) and month?  Compares
 * without copying: a statement's rows come member-month by member-month, so
 * most rows have the key of the row before.
 */
bool
month_key_is(const MonthKey *key, Datum member_id, DateADT month)
{
	text	   *id = DatumGetTextPP(member_id);
	size_t		len = VARSIZE_ANY_EXHDR(id);

	return key->month == month && strncmp(key->member_id, VARDATA_ANY(id), len) == 0 &&
		key->member_id[len] == '\0';
}

/*
 * A hash table of entrysize-byte entries, each starting with its MonthKey,
 * in the current memory context
 */
HTAB *
month_key_table(const char *name, long nelem, Size entrysize)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(MonthKey);
	ctl.entrysize = entrysize;
	ctl.hash = month_key_hash;
	ctl.match = month_key_match;
	ctl.hcxt = CurrentMemoryContext;
	return hash_create(name, nelem, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}
