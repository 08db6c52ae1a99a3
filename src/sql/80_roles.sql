-- src/sql/80_roles.sql
-- 角色与权限 roles, privileges and row-level security of the ledger
-- and the process

------------------------------------------------------------------------
-- 角色与权限 roles, privileges and row-level security
------------------------------------------------------------------------

DO LANGUAGE plpgsql $$
DECLARE
	r pg_catalog.text;
BEGIN
	FOREACH r IN ARRAY ARRAY['pointsys_admin', 'pointsys_recorder', 'pointsys_reader', 'pointsys_voter'] LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END
$$;
COMMENT ON ROLE pointsys_admin IS '局党组 pointsys administrators: everything, in every branch';
COMMENT ON ROLE pointsys_recorder IS '记录员 pointsys recorders: scores and awards of their branches';
COMMENT ON ROLE pointsys_reader IS '报表工具 pointsys readers: read everything, write nothing';
COMMENT ON ROLE pointsys_voter IS '投票人 pointsys voters: cast one anonymous ballot in an electronic democratic appraisal';

CREATE FUNCTION @extschema@.may_record(member_id pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'may_record' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
CREATE FUNCTION @extschema@.may_record(member_id pg_catalog.text, month pg_catalog.date) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'may_record_month' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
CREATE FUNCTION @extschema@.may_record_branch(branch_id pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'may_record_branch' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.may_record(pg_catalog.text) IS '记录权限 is the current user a recorder of this member''s (current) branch';
COMMENT ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date) IS '记录权限 is the current user a recorder of the branch this member belonged to in that month';
COMMENT ON FUNCTION @extschema@.may_record_branch(pg_catalog.text) IS '记录权限 is the current user a recorder of this branch';

GRANT USAGE ON SCHEMA @extschema@ TO pointsys_admin, pointsys_recorder, pointsys_reader, pointsys_voter;

-- Read like score: recorders see their branches' members only
ALTER TABLE @extschema@.member_month ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.member_month FOR SELECT TO pointsys_admin USING (true);
CREATE POLICY reader_all ON @extschema@.member_month FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.member_month FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month));
COMMENT ON POLICY admin_all ON @extschema@.member_month IS '局党组 pointsys_admin reads every branch';
COMMENT ON POLICY reader_all ON @extschema@.member_month IS '报表工具 pointsys_reader reads every branch';
COMMENT ON POLICY recorder_branch ON @extschema@.member_month IS '记录员 the months members spent in the recorder''s branches';
GRANT SELECT ON @extschema@.member_month TO pointsys_admin, pointsys_recorder, pointsys_reader;


GRANT SELECT, INSERT, UPDATE, DELETE ON
	@extschema@.branch, @extschema@.member, @extschema@.category, @extschema@.item,
	@extschema@.award_kind, @extschema@.score, @extschema@.award, @extschema@.sanction,
	@extschema@.evaluation, @extschema@.recorder, @extschema@.period
	TO pointsys_admin;
GRANT SELECT ON
	@extschema@.audit_log, @extschema@.audit, @extschema@.member_years, @extschema@.monthly_scores,
	@extschema@.quarterly_scores, @extschema@.annual_results
	TO pointsys_admin;

GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO pointsys_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.score, @extschema@.award TO pointsys_recorder;
GRANT SELECT, INSERT, UPDATE ON @extschema@.period TO pointsys_recorder;
GRANT SELECT ON
	@extschema@.branch, @extschema@.member, @extschema@.recorder,
	@extschema@.category, @extschema@.item, @extschema@.award_kind,
	@extschema@.member_years, @extschema@.monthly_scores, @extschema@.quarterly_scores
	TO pointsys_recorder;

REVOKE ALL ON FUNCTION @extschema@.advance(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.reopen(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.advance(pg_catalog.text, pg_catalog.int4, pg_catalog.int4)
	TO pointsys_admin, pointsys_recorder;
GRANT EXECUTE ON FUNCTION @extschema@.reopen(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.text)
	TO pointsys_admin;

-- Row security on score, award, member, branch, recorder and period, with
-- the policies admin_all (局党组 pointsys_admin sees and writes every
-- branch) and reader_all (报表工具 pointsys_reader reads every branch):
-- 96_audit_and_policies.sql.  Each table's recorder_branch policy:

CREATE POLICY recorder_branch ON @extschema@.score TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month)) WITH CHECK (@extschema@.may_record(member_id, month));
CREATE POLICY recorder_branch ON @extschema@.award TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month)) WITH CHECK (@extschema@.may_record(member_id, month));
CREATE POLICY recorder_branch ON @extschema@.member FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)
		   OR EXISTS (SELECT FROM @extschema@.membership s
					  WHERE s.member_id OPERATOR(pg_catalog.=) member.member_id
						AND @extschema@.may_record_branch(s.branch_id)));
CREATE POLICY recorder_branch ON @extschema@.branch FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.recorder FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.period TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)) WITH CHECK (@extschema@.may_record_branch(branch_id));
COMMENT ON POLICY recorder_branch ON @extschema@.score IS '记录员 scores of the months members spent in the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.award IS '记录员 awards of the months members spent in the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.member IS '记录员 members who belong or belonged to one of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.branch IS '记录员 the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.recorder IS '记录员 recorders of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.period IS '记录员 quarters of the recorder''s branches';

SELECT pg_catalog.pg_extension_config_dump('pointsys.recorder', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.period', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.audit_log_audit_id_seq', '');
