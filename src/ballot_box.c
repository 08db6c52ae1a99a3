/*
 * ballot_box.c
 *		The ballot box of the democratic appraisal (民主评议, issue 26): the
 *		entrances through which a voter casts an anonymous ballot and a
 *		recorder prints one-time codes and counts the ballots, none of which
 *		any role may read or write itself.
 *
 * The codes and ballots (pointsys.appraisal_code, appraisal_ballot) have no
 * grants.  Each entrance first asks as the caller, so that PostgreSQL's own
 * privileges and row security decide: the round must be one she may see
 * (ballots_cast) or update (issue_codes, count_ballots); a voter is her
 * current user.  Then it runs one owner-only SQL function of
 * src/sql/89_appraisal.sql as the owner, through spi_begin(): a
 * security-restricted operation with search_path pinned, as the write rules
 * run.  Nothing here logs or keeps anything of a ballot (doc/appraisal.md).
 */
#include "pointsys.h"

#include "owner_spi.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(cast_ballot);
PG_FUNCTION_INFO_V1(issue_codes);
PG_FUNCTION_INFO_V1(ballots_cast);
PG_FUNCTION_INFO_V1(count_ballots);
PG_FUNCTION_INFO_V1(appraisal_members);
PG_FUNCTION_INFO_V1(written_by_this_transaction);

/*
 * Refuse a round the caller cannot see (or, for_update, cannot update), as
 * the caller: the same refusal whether it does not exist or is hidden.
 */
static void
check_round(text *branch_id, int32 year, bool for_update)
{
	Oid			argtypes[2] = {TEXTOID, INT4OID};
	Datum		values[2] = {PointerGetDatum(branch_id), Int32GetDatum(year)};
	bool		found;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pointsys: SPI_connect failed");
	if (SPI_execute_with_args(for_update ?
							  "SELECT FROM pointsys.appraisal_round r"
							  " WHERE r.branch_id OPERATOR(pg_catalog.=) $1"
							  " AND r.year OPERATOR(pg_catalog.=) $2 FOR UPDATE" :
							  "SELECT FROM pointsys.appraisal_round r"
							  " WHERE r.branch_id OPERATOR(pg_catalog.=) $1"
							  " AND r.year OPERATOR(pg_catalog.=) $2",
							  2, argtypes, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "pointsys: cannot read the appraisal round");
	found = SPI_processed > 0;
	SPI_finish();
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("branch \"%s\" has no appraisal round for %d", text_to_cstring(branch_id), year)));
}

/*
 * Run query (one row, one column) as the owner; its value is copied into
 * the caller's memory
 */
static Datum
owner_query(const char *query, int nargs, Oid *argtypes, Datum *values, const char *nulls,
			bool *isnull)
{
	OwnerSwitch saved;
	Datum		result;
	int16		typlen;
	bool		typbyval;

	spi_begin(&saved);
	if (SPI_execute_with_args(query, nargs, argtypes, values, nulls, false, 1) != SPI_OK_SELECT
		|| SPI_processed != 1)
		elog(ERROR, "pointsys: query failed: %s", query);
	result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, isnull);
	if (!*isnull)
	{
		get_typlenbyval(SPI_gettypeid(SPI_tuptable->tupdesc, 1), &typlen, &typbyval);
		result = SPI_datumTransfer(result, typbyval, typlen);
	}
	spi_end(&saved);
	return result;
}

/* cast_ballot(branch_id, year, marks, code): one ballot, as the voter */
Datum
cast_ballot(PG_FUNCTION_ARGS)
{
	Oid			argtypes[5] = {TEXTOID, INT4OID, JSONBOID, TEXTOID, NAMEOID};
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	NameData	voter;
	bool		isnull;
	int			nest;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a ballot needs its branch, year and marks")));
	namestrcpy(&voter, GetUserNameFromId(GetUserId(), false));
	values[0] = PG_GETARG_DATUM(0);
	values[1] = PG_GETARG_DATUM(1);
	values[2] = PG_GETARG_DATUM(2);
	values[3] = PG_ARGISNULL(3) ? (Datum) 0 : PG_GETARG_DATUM(3);
	nulls[3] = PG_ARGISNULL(3) ? 'n' : ' ';
	values[4] = NameGetDatum(&voter);

	/*
	 * A refused ballot (cast twice, say) must not put the statement, marks
	 * and all, in the server's log beside its session's user: not while this
	 * runs (an error's report comes before the transaction's abort restores
	 * the setting)
	 */
	nest = NewGUCNestLevel();
	(void) set_config_option("log_min_error_statement", "panic", PGC_SUSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) owner_query("SELECT pointsys.ballot_store($1, $2, $3, $4, $5)",
					   5, argtypes, values, nulls, &isnull);
	AtEOXact_GUC(true, nest);
	PG_RETURN_VOID();
}

/*
 * The round of arguments 0 and 1 (branch_id, year) checked as the caller
 * (check_round), then query run as the owner with the first nargs
 * arguments (the third an int4)
 */
static Datum
round_query(FunctionCallInfo fcinfo, bool for_update, const char *query, int nargs, bool *isnull)
{
	Oid			argtypes[3] = {TEXTOID, INT4OID, INT4OID};
	Datum		values[3];
	int			i;

	check_round(PG_GETARG_TEXT_PP(0), PG_GETARG_INT32(1), for_update);
	for (i = 0; i < nargs; i++)
		values[i] = PG_GETARG_DATUM(i);
	return owner_query(query, nargs, argtypes, values, NULL, isnull);
}

/* issue_codes(branch_id, year, n): n one-time codes, by one who may update the round */
Datum
issue_codes(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		codes;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	codes = round_query(fcinfo, true, "SELECT pointsys.codes_issue($1, $2, $3)", 3, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(codes);
}

/* ballots_cast(branch_id, year): how many ballots a round the caller sees has */
Datum
ballots_cast(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		total = round_query(fcinfo, false, "SELECT pointsys.ballot_total($1, $2)", 2, &isnull);

	PG_RETURN_INT32(isnull ? 0 : DatumGetInt32(total));
}

/* count_ballots(branch_id, year): a closing electronic round's tally */
Datum
count_ballots(PG_FUNCTION_ARGS)
{
	bool		isnull;

	(void) round_query(fcinfo, true, "SELECT pointsys.ballot_tally($1, $2)", 2, &isnull);
	PG_RETURN_VOID();
}

/*
 * appraisal_members(branch_id, year): the members a round the caller sees
 * appraises, read as the owner (who sees every branch a member moved to)
 */
Datum
appraisal_members(PG_FUNCTION_ARGS)
{
	bool		isnull;

	PG_RETURN_DATUM(round_query(fcinfo, false,
								"SELECT COALESCE(pg_catalog.array_agg(a.m ORDER BY a.m), '{}')"
								" FROM pointsys.appraised_members($1, $2) a (m)", 2, &isnull));
}

/* written_by_this_transaction(xid): a row version of ours (subtransactions too)? */
Datum
written_by_this_transaction(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(TransactionIdIsCurrentTransactionId(DatumGetTransactionId(PG_GETARG_DATUM(0))));
}
