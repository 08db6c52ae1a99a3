-- src/sql/70_audit.sql
-- 积分核查 the audit trail: the triggers that write it and keep
-- it unchanged

------------------------------------------------------------------------
-- 积分核查 the audit trail
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.audit_changes() RETURNS trigger
	AS 'MODULE_PATHNAME', 'audit_changes' LANGUAGE C;
CREATE FUNCTION @extschema@.audit_immutable() RETURNS trigger
	AS 'MODULE_PATHNAME', 'audit_immutable' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.audit_changes() IS '审计记录 writes the audit rows of a change';
COMMENT ON FUNCTION @extschema@.audit_immutable() IS '审计不可改 refuses to change the audit trail';

CREATE TRIGGER audit_immutable BEFORE UPDATE OR DELETE ON @extschema@.audit_log
	FOR EACH ROW EXECUTE FUNCTION @extschema@.audit_immutable();
CREATE TRIGGER audit_immutable_truncate BEFORE TRUNCATE ON @extschema@.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_immutable();
COMMENT ON TRIGGER audit_immutable ON @extschema@.audit_log IS '审计不可改 audit rows are never updated or deleted';
COMMENT ON TRIGGER audit_immutable_truncate ON @extschema@.audit_log IS '审计不可改 the audit trail is never truncated';
CREATE TRIGGER audit_immutable INSTEAD OF INSERT OR UPDATE OR DELETE ON @extschema@.audit
	FOR EACH ROW EXECUTE FUNCTION @extschema@.audit_immutable();
COMMENT ON TRIGGER audit_immutable ON @extschema@.audit IS '审计不可改 audit rows are never written, updated or deleted by hand';

-- one audit row per row changed: statement triggers over the transition
-- tables (an update's old and new rows are paired in order)

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.score
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.score
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.score IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.score IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.score IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.score IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.award
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.award
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.award IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.award IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.award IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.award IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.sanction
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.sanction
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.sanction
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.sanction
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.sanction IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.sanction IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.sanction IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.sanction IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.evaluation
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.evaluation
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.evaluation
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.evaluation
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.evaluation IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.evaluation IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.evaluation IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.evaluation IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.branch
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.branch
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.branch
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.branch
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.branch IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.branch IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.branch IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.branch IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.member
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.member
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.member
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.member
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.member IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.member IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.member IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.member IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.period
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.period
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.period
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.period
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.period IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.period IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.period IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.period IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.recorder
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.recorder
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.recorder
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.recorder
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.recorder IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.recorder IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.recorder IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.recorder IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.item
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.item
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.item
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.item
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.item IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.item IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.item IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.item IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.category
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.category
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.category
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.category
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.category IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.category IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.category IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.category IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.award_kind
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.award_kind
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.award_kind
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.award_kind
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.award_kind IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.award_kind IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.award_kind IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.award_kind IS '审计 audit trail of truncation';
