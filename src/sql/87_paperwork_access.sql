-- src/sql/87_paperwork_access.sql
-- 台账文书 the paperwork's audit, row security, privileges and
-- dumped tables

-- audit, row security, privileges of the paperwork
CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.mentoring
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.mentoring
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.mentoring
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.mentoring
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.mentoring IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.mentoring IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.mentoring IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.mentoring IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.setting
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.setting
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.setting
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.setting
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.setting IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.setting IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.setting IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.setting IS '审计 audit trail of truncation';

ALTER TABLE @extschema@.mentoring ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.mentoring TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.mentoring FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.mentoring TO pointsys_recorder
	USING (EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
				   WHERE @extschema@.may_record(mentoring.member_id, pg_catalog.make_date(mentoring.year, g.n, 1))))
	WITH CHECK (EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
						WHERE @extschema@.may_record(mentoring.member_id, pg_catalog.make_date(mentoring.year, g.n, 1))));
COMMENT ON POLICY admin_all ON @extschema@.mentoring IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.mentoring IS '报表工具 pointsys_reader reads every branch';
COMMENT ON POLICY recorder_branch ON @extschema@.mentoring IS '记录员 mentoring of members who belonged to one of the recorder''s branches that year';

GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.setting, @extschema@.mentoring TO pointsys_admin;
GRANT SELECT ON @extschema@.rankings, @extschema@.record_sheet, @extschema@.mentoring_due TO pointsys_admin;
GRANT SELECT ON @extschema@.setting, @extschema@.mentoring, @extschema@.rankings, @extschema@.record_sheet,
	@extschema@.mentoring_due TO pointsys_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.mentoring TO pointsys_recorder;
GRANT SELECT ON @extschema@.setting, @extschema@.record_sheet TO pointsys_recorder;

REVOKE EXECUTE ON FUNCTION
	@extschema@.period_publicity(),
	@extschema@.mentoring_access(),
	@extschema@.mentoring_check()
FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('pointsys.setting', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.mentoring', '');
