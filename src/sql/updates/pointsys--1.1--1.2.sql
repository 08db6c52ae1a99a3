/* pointsys--1.1--1.2.sql: no role below the owner can reach the owner's code (issue 10) */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.2'" to load this file. \quit

------------------------------------------------------------------------
-- 安全 functions that only PostgreSQL calls are not for anyone to call
------------------------------------------------------------------------
-- Trigger and event-trigger functions run queries as the extension's
-- owner, so in 1.1 anyone who could attach one to a table of their own
-- (CREATE TRIGGER needs EXECUTE on the function, granted to PUBLIC by
-- default) ran the owner's code on rows of their making.  The triggers of
-- pointsys's own tables fire whatever the privileges on their functions;
-- aggregates check their support functions' privileges against the
-- aggregate's owner; types call their I/O functions without a check.  So
-- none of these needs EXECUTE for anyone but the owner.  (The C functions
-- also check that they fire on their own table and event: a superuser's
-- mistake gets a clean error.)

REVOKE EXECUTE ON FUNCTION
	@extschema@.score_check(),
	@extschema@.award_check(),
	@extschema@.evaluation_check(),
	@extschema@.sanction_check(),
	@extschema@.rulebook_guard(),
	@extschema@.rulebook_changed(),
	@extschema@.rulebook_upsert(),
	@extschema@.period_check(),
	@extschema@.audit_changes(),
	@extschema@.audit_immutable(),
	@extschema@.member_month_changed(),
	@extschema@.drop_guard(),
	@extschema@.grade_in(pg_catalog.cstring),
	@extschema@.grade_out(@extschema@.grade),
	@extschema@.grade_recv(pg_catalog.internal),
	@extschema@.grade_send(@extschema@.grade),
	@extschema@.quarter_state_in(pg_catalog.cstring),
	@extschema@.quarter_state_out(@extschema@.quarter_state),
	@extschema@.year_state_in(pg_catalog.cstring),
	@extschema@.year_state_out(@extschema@.year_state),
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

-- rulebook_upsert runs as its caller, but it too fires only where it was
-- made to: BEFORE INSERT FOR EACH ROW on category, item and award_kind
CREATE OR REPLACE FUNCTION @extschema@.rulebook_upsert() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tbl pg_catalog.text := CASE TG_RELID
		WHEN 'pointsys.category'::pg_catalog.regclass::pg_catalog.oid THEN 'category'
		WHEN 'pointsys.item'::pg_catalog.regclass::pg_catalog.oid THEN 'item'
		WHEN 'pointsys.award_kind'::pg_catalog.regclass::pg_catalog.oid THEN 'award_kind' END;
BEGIN
	IF tbl IS NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('rulebook_upsert: cannot fire on table "%s"', TG_TABLE_NAME),
			DETAIL = 'It fires only on pointsys.category, pointsys.item, pointsys.award_kind.';
	END IF;
	IF TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('rulebook_upsert: cannot fire %s %s FOR EACH %s',
										TG_WHEN, TG_OP, TG_LEVEL);
	END IF;
	IF tbl OPERATOR(pg_catalog.=) 'category' THEN
		UPDATE pointsys.category c SET title = NEW.title, cap = NEW.cap
		WHERE c.category OPERATOR(pg_catalog.=) NEW.category
		  AND (c.title, c.cap) IS DISTINCT FROM (NEW.title, NEW.cap);
		PERFORM FROM pointsys.category c WHERE c.category OPERATOR(pg_catalog.=) NEW.category;
	ELSIF tbl OPERATOR(pg_catalog.=) 'item' THEN
		UPDATE pointsys.item i
		SET category = NEW.category, title = NEW.title, max_points = NEW.max_points, step = NEW.step
		WHERE i.item OPERATOR(pg_catalog.=) NEW.item
		  AND (i.category, i.title, i.max_points, i.step)
			  IS DISTINCT FROM (NEW.category, NEW.title, NEW.max_points, NEW.step);
		PERFORM FROM pointsys.item i WHERE i.item OPERATOR(pg_catalog.=) NEW.item;
	ELSE
		UPDATE pointsys.award_kind k SET title = NEW.title, points = NEW.points
		WHERE k.kind OPERATOR(pg_catalog.=) NEW.kind
		  AND (k.title, k.points) IS DISTINCT FROM (NEW.title, NEW.points);
		PERFORM FROM pointsys.award_kind k WHERE k.kind OPERATOR(pg_catalog.=) NEW.kind;
	END IF;
	IF FOUND THEN
		RETURN NULL;			-- the entry exists and now equals NEW
	END IF;
	RETURN NEW;
END
$$;

------------------------------------------------------------------------
-- 细则一致性 a new rulebook entry has exact figures
------------------------------------------------------------------------
-- 1.1 checked an item's, award kind's or category's figures on UPDATE
-- only: an INSERT of max_points 1.0000001 made every later score fail.
DROP TRIGGER rulebook_guard ON @extschema@.item;
DROP TRIGGER rulebook_guard ON @extschema@.award_kind;
DROP TRIGGER rulebook_guard ON @extschema@.category;
CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.category
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
COMMENT ON TRIGGER rulebook_guard ON @extschema@.item IS '细则一致性 exact maximum and step, consistent with recorded points';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.award_kind IS '细则一致性 exact award points, fixed once awards are recorded';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.category IS '细则一致性 exact caps; the reward category stays, its cap fixed once awards are recorded';

------------------------------------------------------------------------
-- 审计理由 the reason has a limit
------------------------------------------------------------------------
-- pointsys.reason is copied into every audit row of a change; the write
-- rules refuse (22001) a reason longer than 1000 characters.  Audit rows
-- already written keep theirs.
COMMENT ON COLUMN @extschema@.audit.reason IS
	'理由 SET pointsys.reason of the session (at most 1000 characters); NULL when unset';

-- 录入人 the stamps are pointsys's, not the writer's
COMMENT ON COLUMN @extschema@.score.recorded_by IS
	'记录人 the role that wrote the row (set by pointsys; a superuser''s value is kept)';
COMMENT ON COLUMN @extschema@.score.recorded_at IS
	'记录时间 start of the transaction that wrote the row (set by pointsys; a superuser''s value is kept)';
COMMENT ON COLUMN @extschema@.award.recorded_by IS
	'记录人 the role that wrote the row (set by pointsys; a superuser''s value is kept)';
COMMENT ON COLUMN @extschema@.award.recorded_at IS
	'记录时间 start of the transaction that wrote the row (set by pointsys; a superuser''s value is kept)';
