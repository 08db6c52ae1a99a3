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

-- The four triggers that write the audit trail of each table (audit_insert,
-- audit_update, audit_delete, audit_truncate): 96_audit_and_policies.sql,
-- once every audited table exists.
