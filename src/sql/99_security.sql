-- src/sql/99_security.sql
-- 安全 who may execute the functions that only PostgreSQL calls,
-- and the row-security tests

------------------------------------------------------------------------
-- 安全 functions that only PostgreSQL calls are not for anyone to call
------------------------------------------------------------------------
-- Trigger and event-trigger functions run queries as the extension's
-- owner, so in 1.0 and 1.1 anyone who could attach one to a table of their own
-- (CREATE TRIGGER needs EXECUTE on the function, granted to PUBLIC by
-- default) ran the owner's code on rows of their making.  The triggers of
-- pointsys's own tables fire whatever the privileges on their functions;
-- aggregates check their support functions' privileges against the
-- aggregate's owner.  So none of these needs EXECUTE for anyone but the
-- owner.  (The C functions also check that they fire on their own table and
-- event: a superuser's mistake gets a clean error.)  The I/O functions of
-- the types are not among them (release 1.5): a run-time cast, a text
-- parameter and COPY call them as the user, so they stay PUBLIC's, as
-- every built-in type's, and take any input.

REVOKE EXECUTE ON FUNCTION
	@extschema@.score_check(),
	@extschema@.award_check(),
	@extschema@.ledger_delete_check(),
	@extschema@.evaluation_check(),
	@extschema@.sanction_check(),
	@extschema@.rulebook_guard(),
	@extschema@.rulebook_changed(),
	@extschema@.rulebook_upsert(),
	@extschema@.period_check(),
	@extschema@.audit_changes(),
	@extschema@.audit_immutable(),
	@extschema@.member_month_changed(),
	@extschema@.member_month_replicated(),
	@extschema@.drop_guard(),
	@extschema@.quarter_avg_transfn(@extschema@.quarter_state, pg_catalog.numeric),
	@extschema@.quarter_avg_combinefn(@extschema@.quarter_state, @extschema@.quarter_state),
	@extschema@.quarter_avg_finalfn(@extschema@.quarter_state),
	@extschema@.annual_assessment_transfn(@extschema@.year_state, pg_catalog.date, pg_catalog.numeric),
	@extschema@.year_state_combinefn(@extschema@.year_state, @extschema@.year_state),
	@extschema@.annual_assessment_finalfn(@extschema@.year_state),
	@extschema@.ledger_year_transfn(@extschema@.year_state, pg_catalog.date, pg_catalog.numeric, pg_catalog.numeric)
FROM PUBLIC;

-- The row-security tests are called by the policies as the user who reads
-- or writes: the pointsys roles need them, nobody else
REVOKE EXECUTE ON FUNCTION
	@extschema@.may_record(pg_catalog.text),
	@extschema@.may_record_branch(pg_catalog.text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	@extschema@.may_record(pg_catalog.text),
	@extschema@.may_record_branch(pg_catalog.text)
TO pointsys_admin, pointsys_recorder, pointsys_reader;
REVOKE EXECUTE ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date)
TO pointsys_admin, pointsys_recorder, pointsys_reader;
