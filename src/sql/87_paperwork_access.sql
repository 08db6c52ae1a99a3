-- src/sql/87_paperwork_access.sql
-- 台账文书 the paperwork's audit, row security, privileges and
-- dumped tables

-- audit, row security, privileges of the paperwork (the audit triggers of
-- mentoring and setting, row security and the admin_all and reader_all
-- policies of mentoring: 96_audit_and_policies.sql)
CREATE POLICY recorder_branch ON @extschema@.mentoring TO pointsys_recorder
	USING (EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
				   WHERE @extschema@.may_record(mentoring.member_id, pg_catalog.make_date(mentoring.year, g.n, 1))))
	WITH CHECK (EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
						WHERE @extschema@.may_record(mentoring.member_id, pg_catalog.make_date(mentoring.year, g.n, 1))));
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
