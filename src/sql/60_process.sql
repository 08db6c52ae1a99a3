-- src/sql/60_process.sql
-- 操作流程 the process: recorders, quarter statuses (period), where
-- the audit trail is stored (audit_log, the view audit), period_check

------------------------------------------------------------------------
-- 操作流程 the process: recorders, quarter statuses (doc/contract.md §4)
------------------------------------------------------------------------

CREATE TABLE @extschema@.recorder (
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	role_name pg_catalog.name NOT NULL,
	elected_on pg_catalog.date NOT NULL,
	PRIMARY KEY (branch_id, role_name)
);
COMMENT ON TABLE @extschema@.recorder IS '记录员 recorders elected by each branch meeting (确定记录员)';
COMMENT ON COLUMN @extschema@.recorder.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.recorder.role_name IS '记录员角色 role of the recorder (its members record for the branch)';
COMMENT ON COLUMN @extschema@.recorder.elected_on IS '推选日期 elected on';

CREATE TABLE @extschema@.period (
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	year pg_catalog.int4 NOT NULL,
	quarter pg_catalog.int4 NOT NULL CHECK (quarter OPERATOR(pg_catalog.>=) 1 AND quarter OPERATOR(pg_catalog.<=) 4),
	status pg_catalog.text NOT NULL DEFAULT 'recording',
	changed_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	changed_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	publicity_start pg_catalog.date,
	publicity_end pg_catalog.date,
	PRIMARY KEY (branch_id, year, quarter)
);
COMMENT ON TABLE @extschema@.period IS '季度流程 status of each branch quarter: recording → approved → publicized → filed → verified; no row: recording';
COMMENT ON COLUMN @extschema@.period.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.period.year IS '年度 year';
COMMENT ON COLUMN @extschema@.period.quarter IS '季度 quarter (1..4)';
COMMENT ON COLUMN @extschema@.period.status IS '状态 recording 考核登记, approved 党员大会评定, publicized 公示, filed 上报备案, verified 积分核查';
COMMENT ON COLUMN @extschema@.period.changed_by IS '变更人 changed by';
COMMENT ON COLUMN @extschema@.period.changed_at IS '变更时间 changed at';
COMMENT ON COLUMN @extschema@.period.publicity_start IS '公示开始 publicity started on (set when the quarter is publicized; Beijing time)';
COMMENT ON COLUMN @extschema@.period.publicity_end IS '公示结束 publicity ends at the start of this day: the quarter may be filed from this day on';

-- The audit trail is stored by statement (release 1.4): one row of
-- audit_log holds up to a thousand changed rows of one statement, their
-- old and new versions as jsonb arrays (compressed together) and the
-- first of their consecutive audit ids; a statement that changes one row
-- stores its objects as they are (row_count 1).  The view audit shows
-- one row per row changed, as the table of that name did before.
CREATE TABLE @extschema@.audit_log (
	audit_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	actor pg_catalog.name NOT NULL,
	acting_as pg_catalog.name NOT NULL,
	table_name pg_catalog.text NOT NULL,
	action pg_catalog.text NOT NULL,
	old_row pg_catalog.jsonb,
	new_row pg_catalog.jsonb,
	reason pg_catalog.text,
	row_count pg_catalog.int4 NOT NULL DEFAULT 1
		CONSTRAINT audit_log_row_count_range CHECK (row_count OPERATOR(pg_catalog.>=) 1 AND row_count OPERATOR(pg_catalog.<=) 1000)
);
COMMENT ON TABLE @extschema@.audit_log IS
	'积分核查存储 storage of the audit trail: the changed rows of a statement, up to a thousand a row (read them in the view audit); never updated or deleted';
COMMENT ON COLUMN @extschema@.audit_log.audit_id IS '审计编号 audit id of the first row changed (the others follow it)';
COMMENT ON COLUMN @extschema@.audit_log.at IS '时间 transaction time of the change';
COMMENT ON COLUMN @extschema@.audit_log.actor IS '操作人 session user';
COMMENT ON COLUMN @extschema@.audit_log.acting_as IS '操作角色 current user';
COMMENT ON COLUMN @extschema@.audit_log.table_name IS '表 table changed';
COMMENT ON COLUMN @extschema@.audit_log.action IS '操作 INSERT, UPDATE, DELETE or TRUNCATE';
COMMENT ON COLUMN @extschema@.audit_log.old_row IS '原记录 row before (row_count 1), or the jsonb array of the rows before';
COMMENT ON COLUMN @extschema@.audit_log.new_row IS '新记录 row after (row_count 1), or the jsonb array of the rows after';
COMMENT ON COLUMN @extschema@.audit_log.reason IS
	'理由 SET pointsys.reason of the session (at most 1000 characters); NULL when unset';
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
COMMENT ON COLUMN @extschema@.audit.old_row IS '原记录 row before';
COMMENT ON COLUMN @extschema@.audit.new_row IS '新记录 row after';
-- The view's other columns (at, actor, acting_as, table_name, action,
-- reason) are audit_log's as they are: each takes the comment of
-- audit_log's column of its name
DO LANGUAGE plpgsql $$
DECLARE
	c record;
BEGIN
	FOR c IN SELECT v.attname, pg_catalog.col_description(t.attrelid, t.attnum) AS comment
		FROM pg_catalog.pg_attribute v
		JOIN pg_catalog.pg_attribute t ON t.attname OPERATOR(pg_catalog.=) v.attname
		WHERE v.attrelid OPERATOR(pg_catalog.=) 'pointsys.audit'::pg_catalog.regclass
		  AND t.attrelid OPERATOR(pg_catalog.=) 'pointsys.audit_log'::pg_catalog.regclass
		  AND pg_catalog.col_description(v.attrelid, v.attnum) IS NULL
	LOOP
		EXECUTE pg_catalog.format('COMMENT ON COLUMN pointsys.audit.%I IS %L', c.attname, c.comment);
	END LOOP;
END
$$;

CREATE FUNCTION @extschema@.period_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'period_check' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.period_check() IS '季度流程规则 one step at a time; recorders up to filed; admin verifies and reopens with a reason';
CREATE TRIGGER period_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.period
	FOR EACH ROW EXECUTE FUNCTION @extschema@.period_check();
COMMENT ON TRIGGER period_check ON @extschema@.period IS '季度流程规则 quarter status rules';

CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.recorder
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
COMMENT ON TRIGGER rulebook_changed ON @extschema@.recorder IS '记录员缓存失效 recorder cache invalidation';
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.recorder
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
ALTER TABLE @extschema@.recorder ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.recorder IS
	'记录员缓存失效（逻辑复制） recorder cache invalidation for rows a subscription applies';
