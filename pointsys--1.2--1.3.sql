/* pointsys--1.2--1.3.sql: release 1.3 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.3'" to load this file. \quit

------------------------------------------------------------------------
-- 审计 the audit trail of updates reads the transition tables too
------------------------------------------------------------------------
-- An UPDATE's audit rows were written by a row trigger, one query per row
-- updated; like inserts and deletes they are now written by one statement
-- trigger over the old and new rows (audit.c pairs them in order).

DO LANGUAGE plpgsql $$
DECLARE
	t pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['score', 'award', 'sanction', 'evaluation', 'branch', 'member',
							 'period', 'recorder', 'item', 'category', 'award_kind'] LOOP
		EXECUTE pg_catalog.format(
			'DROP TRIGGER audit_update ON pointsys.%1$I;'
			'CREATE TRIGGER audit_update AFTER UPDATE ON pointsys.%1$I'
			' REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();'
			'COMMENT ON TRIGGER audit_update ON pointsys.%1$I IS %2$L;',
			t, '审计 audit trail of updates (old and new row)');
	END LOOP;
END
$$;

------------------------------------------------------------------------
-- 逻辑复制 a subscriber's month ledger and caches follow the rows it applies
------------------------------------------------------------------------
-- On a logical replication subscriber the apply worker fires row
-- triggers only: these count each applied score and award row into the
-- month ledger (month_ledger_rows.c) and drop the cached rulebook, members
-- and recorders when their rows arrive.  ENABLE REPLICA: they fire only in
-- replica mode, and act only in a replication worker.
CREATE FUNCTION @extschema@.member_month_replicated() RETURNS trigger
	AS 'MODULE_PATHNAME', 'member_month_replicated' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.member_month_replicated() IS
	'月度台账（逻辑复制） counts each row a logical replication worker applies to score or award into pointsys.member_month';
CREATE TRIGGER member_month_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.score
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_month_replicated();
CREATE TRIGGER member_month_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.award
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_month_replicated();
ALTER TABLE @extschema@.score ENABLE REPLICA TRIGGER member_month_replicated;
ALTER TABLE @extschema@.award ENABLE REPLICA TRIGGER member_month_replicated;
COMMENT ON TRIGGER member_month_replicated ON @extschema@.score IS
	'月度台账（逻辑复制） keeps pointsys.member_month in step with rows a subscription applies';
COMMENT ON TRIGGER member_month_replicated ON @extschema@.award IS
	'月度台账（逻辑复制） keeps pointsys.member_month in step with rows a subscription applies';
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.recorder
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
ALTER TABLE @extschema@.item ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.award_kind ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.member ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.recorder ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.item IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.award_kind IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.member IS
	'成员缓存失效（逻辑复制） member cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.recorder IS
	'记录员缓存失效（逻辑复制） recorder cache invalidation for rows a subscription applies';

REVOKE EXECUTE ON FUNCTION @extschema@.member_month_replicated() FROM PUBLIC;
