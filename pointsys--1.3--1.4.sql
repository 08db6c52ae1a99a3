/* pointsys--1.3--1.4.sql: release 1.4 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.4'" to load this file. \quit

------------------------------------------------------------------------
-- 审计 the audit trail stored by statement (issue 16)
------------------------------------------------------------------------
-- One row of audit_log holds up to a thousand changed rows of one
-- statement; the view audit shows one row per row changed.  The rows
-- written so far stay as they are: each holds one changed row
-- (row_count 1), with its audit id.

ALTER TABLE @extschema@.audit RENAME TO audit_log;
ALTER INDEX @extschema@.audit_pkey RENAME TO audit_log_pkey;
ALTER SEQUENCE @extschema@.audit_audit_id_seq RENAME TO audit_log_audit_id_seq;
ALTER TABLE @extschema@.audit_log ADD COLUMN row_count pg_catalog.int4 NOT NULL DEFAULT 1
	CONSTRAINT audit_log_row_count_range CHECK (row_count OPERATOR(pg_catalog.>=) 1 AND row_count OPERATOR(pg_catalog.<=) 1000);
COMMENT ON TABLE @extschema@.audit_log IS
	'积分核查存储 storage of the audit trail: the changed rows of a statement, up to a thousand a row (read them in the view audit); never updated or deleted';
COMMENT ON COLUMN @extschema@.audit_log.audit_id IS '审计编号 audit id of the first row changed (the others follow it)';
COMMENT ON COLUMN @extschema@.audit_log.old_row IS '原记录 row before (row_count 1), or the jsonb array of the rows before';
COMMENT ON COLUMN @extschema@.audit_log.new_row IS '新记录 row after (row_count 1), or the jsonb array of the rows after';
COMMENT ON COLUMN @extschema@.audit_log.row_count IS '行数 rows changed: 1, or the length of the arrays';

-- lz4 where the server has it: the arrays are compressed as they are written
DO LANGUAGE plpgsql $$
BEGIN
	ALTER TABLE pointsys.audit_log ALTER COLUMN old_row SET COMPRESSION lz4,
		ALTER COLUMN new_row SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;						-- built without lz4: pglz, the default
END
$$;

CREATE VIEW @extschema@.audit WITH (security_invoker = true) AS
SELECT a.audit_id, a.at, a.actor, a.acting_as, a.table_name, a.action,
	   -- (guarded: a condition on old_row may be tested before the WHERE)
	   CASE WHEN a.row_count OPERATOR(pg_catalog.=) 1 THEN a.old_row END AS old_row,
	   CASE WHEN a.row_count OPERATOR(pg_catalog.=) 1 THEN a.new_row END AS new_row, a.reason
FROM @extschema@.audit_log a
WHERE a.row_count OPERATOR(pg_catalog.=) 1
UNION ALL
SELECT a.audit_id OPERATOR(pg_catalog.+) (r.n OPERATOR(pg_catalog.-) 1), a.at, a.actor, a.acting_as,
	   a.table_name, a.action, r.old_row, r.new_row, a.reason
FROM @extschema@.audit_log a
CROSS JOIN LATERAL ROWS FROM (
		pg_catalog.jsonb_array_elements(CASE WHEN a.row_count OPERATOR(pg_catalog.>) 1 THEN a.old_row END),
		pg_catalog.jsonb_array_elements(CASE WHEN a.row_count OPERATOR(pg_catalog.>) 1 THEN a.new_row END))
	WITH ORDINALITY AS r (old_row, new_row, n)
WHERE a.row_count OPERATOR(pg_catalog.>) 1;
COMMENT ON VIEW @extschema@.audit IS '积分核查 audit trail: one row per change of the ledger, rulebook and process; never updated or deleted';
COMMENT ON COLUMN @extschema@.audit.audit_id IS '审计编号 audit id';
COMMENT ON COLUMN @extschema@.audit.at IS '时间 transaction time of the change';
COMMENT ON COLUMN @extschema@.audit.actor IS '操作人 session user';
COMMENT ON COLUMN @extschema@.audit.acting_as IS '操作角色 current user';
COMMENT ON COLUMN @extschema@.audit.table_name IS '表 table changed';
COMMENT ON COLUMN @extschema@.audit.action IS '操作 INSERT, UPDATE, DELETE or TRUNCATE';
COMMENT ON COLUMN @extschema@.audit.old_row IS '原记录 row before';
COMMENT ON COLUMN @extschema@.audit.new_row IS '新记录 row after';
COMMENT ON COLUMN @extschema@.audit.reason IS
	'理由 SET pointsys.reason of the session (at most 1000 characters); NULL when unset';

CREATE TRIGGER audit_immutable INSTEAD OF INSERT OR UPDATE OR DELETE ON @extschema@.audit
	FOR EACH ROW EXECUTE FUNCTION @extschema@.audit_immutable();
COMMENT ON TRIGGER audit_immutable ON @extschema@.audit IS '审计不可改 audit rows are never written, updated or deleted by hand';
GRANT SELECT ON @extschema@.audit TO pointsys_admin;
GRANT SELECT ON @extschema@.audit TO pointsys_reader;

-- the node identity numbers audit_log's ids
CREATE OR REPLACE FUNCTION @extschema@.set_node(node pg_catalog.int4) RETURNS pg_catalog.int4
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tbl pg_catalog.text;
	col pg_catalog.text;
	used pg_catalog.int8;
BEGIN
	IF node IS NULL OR node OPERATOR(pg_catalog.<) 1 OR node OPERATOR(pg_catalog.>) 8388607 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('node identity %s is out of range', COALESCE(node::pg_catalog.text, 'NULL')),
			HINT = 'A node identity is an integer from 1 to 8388607, one per database of the city.';
	END IF;
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit_log'] LOOP
		col := pg_catalog.replace(tbl, '_log', '') OPERATOR(pg_catalog.||) '_id';
		EXECUTE pg_catalog.format('SELECT max(%I) FROM pointsys.%I WHERE %I OPERATOR(pg_catalog.>=) 1099511627776',
								  col, tbl, col)
			INTO used;
		IF used IS NOT NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('node identity cannot change: pointsys.%s has ids of node %s',
											tbl, used OPERATOR(pg_catalog.>>) 40),
				DETAIL = pg_catalog.format('Its %s %s was given out under that node.', col, used),
				HINT = 'Set the node right after CREATE EXTENSION, before any award, sanction or audited change.';
		END IF;
	END LOOP;
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit_log'] LOOP
		EXECUTE pg_catalog.format('ALTER TABLE pointsys.%I ALTER COLUMN %I RESTART WITH %s', tbl,
								  pg_catalog.replace(tbl, '_log', '') OPERATOR(pg_catalog.||) '_id',
								  node::pg_catalog.int8 OPERATOR(pg_catalog.*) 1099511627776 OPERATOR(pg_catalog.+) 1);
	END LOOP;
	RETURN node;
END
$$;

------------------------------------------------------------------------
-- 写入规则 deletes of scores and awards checked per statement (issue 16)
------------------------------------------------------------------------
-- The quarter of each member-month a DELETE leaves is checked once, over
-- the deleted rows, by a statement trigger; the BEFORE ROW triggers made
-- PostgreSQL fetch every row again before deleting it.

CREATE FUNCTION @extschema@.ledger_delete_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ledger_delete_check' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.ledger_delete_check() IS '删除写入规则 deleted scores and awards: each member-month''s quarter recording';
REVOKE EXECUTE ON FUNCTION @extschema@.ledger_delete_check() FROM PUBLIC;

DROP TRIGGER score_check ON @extschema@.score;
DROP TRIGGER award_check ON @extschema@.award;
CREATE TRIGGER score_check BEFORE INSERT OR UPDATE ON @extschema@.score
	FOR EACH ROW EXECUTE FUNCTION @extschema@.score_check();
CREATE TRIGGER award_check BEFORE INSERT OR UPDATE ON @extschema@.award
	FOR EACH ROW EXECUTE FUNCTION @extschema@.award_check();
CREATE TRIGGER score_delete_check AFTER DELETE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ledger_delete_check();
CREATE TRIGGER award_delete_check AFTER DELETE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ledger_delete_check();
COMMENT ON TRIGGER score_check ON @extschema@.score IS '积分写入规则 score write rules';
COMMENT ON TRIGGER award_check ON @extschema@.award IS '奖励写入规则 award write rules';
COMMENT ON TRIGGER score_delete_check ON @extschema@.score IS '积分删除规则 deleted scores: their quarters recording';
COMMENT ON TRIGGER award_delete_check ON @extschema@.award IS '奖励删除规则 deleted awards: their quarters recording';
