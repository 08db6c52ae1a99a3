-- src/sql/41_month_ledger.sql
-- 月度台账 the month ledger (member_month) kept by triggers, also
-- on a logical replication subscriber

------------------------------------------------------------------------
-- 月度台账 the month ledger: one row per member-month, kept by triggers
------------------------------------------------------------------------

CREATE TABLE @extschema@.member_month (
	member_id pg_catalog.text NOT NULL,
	month pg_catalog.date NOT NULL,
	points pg_catalog.numeric NOT NULL,
	scores pg_catalog.int8 NOT NULL,
	award_points pg_catalog.numeric NOT NULL,
	awards pg_catalog.int8 NOT NULL,
	CONSTRAINT member_month_pkey PRIMARY KEY (member_id, month)
);
COMMENT ON TABLE @extschema@.member_month IS
	'月度台账 month ledger: per member-month, the sums of its score rows and award points, kept by the triggers of score and award (not dumped: rebuilt as they are restored)';
COMMENT ON COLUMN @extschema@.member_month.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.member_month.month IS '月份 month (first day)';
COMMENT ON COLUMN @extschema@.member_month.points IS '评分合计 sum of the month''s item scores';
COMMENT ON COLUMN @extschema@.member_month.scores IS '评分条数 number of score rows';
COMMENT ON COLUMN @extschema@.member_month.award_points IS '奖励分合计 sum of the month''s award points, before the cap';
COMMENT ON COLUMN @extschema@.member_month.awards IS '奖励条数 number of award rows';
COMMENT ON INDEX @extschema@.member_month_pkey IS '月度台账主键 one row per member-month';

CREATE FUNCTION @extschema@.member_month_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'member_month_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.member_month_changed() IS '月度台账 keeps pointsys.member_month in step with score and award';

CREATE TRIGGER member_month_insert AFTER INSERT ON @extschema@.score
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_update AFTER UPDATE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_delete AFTER DELETE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_truncate AFTER TRUNCATE ON @extschema@.score
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
ALTER TABLE @extschema@.score ENABLE ALWAYS TRIGGER member_month_insert,
	ENABLE ALWAYS TRIGGER member_month_update, ENABLE ALWAYS TRIGGER member_month_delete,
	ENABLE ALWAYS TRIGGER member_month_truncate;
COMMENT ON TRIGGER member_month_insert ON @extschema@.score IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_update ON @extschema@.score IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_delete ON @extschema@.score IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_truncate ON @extschema@.score IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';

CREATE TRIGGER member_month_insert AFTER INSERT ON @extschema@.award
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_update AFTER UPDATE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_delete AFTER DELETE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_truncate AFTER TRUNCATE ON @extschema@.award
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
ALTER TABLE @extschema@.award ENABLE ALWAYS TRIGGER member_month_insert,
	ENABLE ALWAYS TRIGGER member_month_update, ENABLE ALWAYS TRIGGER member_month_delete,
	ENABLE ALWAYS TRIGGER member_month_truncate;
COMMENT ON TRIGGER member_month_insert ON @extschema@.award IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_update ON @extschema@.award IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_delete ON @extschema@.award IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_truncate ON @extschema@.award IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';

-- 逻辑复制 on a logical replication subscriber the apply worker fires row
-- triggers only: these count each applied score and award row into the
-- month ledger (month_ledger_rows.c) and drop the cached rulebook, members
-- (and recorders: see the process) when their rows arrive.  ENABLE REPLICA: they fire only in
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
ALTER TABLE @extschema@.item ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.award_kind ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.member ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.item IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.award_kind IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.member IS
	'成员缓存失效（逻辑复制） member cache invalidation for rows a subscription applies';
