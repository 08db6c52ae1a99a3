\set ECHO none
-- test/data/fixture.sql: the set-up every pg_regress test loads first
-- (\i test/data/fixture.sql), so that each runs on its own and in any
-- order: whatever ran before in this database and cluster, it leaves
--   - pointsys freshly created, with node identity 1 (CREATE EXTENSION
--     picks a random one: the ids the tests print stay the same), the
--     extension and everything depending on it dropped first (the drop
--     guard lets it go: pointsys.allow_drop);
--   - the regress_ roles of the tests, made afresh (roles are the
--     cluster's: they outlive a test and its database), every regress_ role
--     a test left behind dropped first, with what it owns here;
--   - a new session (as pg_regress starts each test in: the module not
--     loaded yet, no setting changed) with pg_temp.try of
--     test/data/try.sql.
-- It prints nothing unless something fails (psql's echo is off until its
-- end).
SET client_min_messages = warning;

SET pointsys.allow_drop = on;
DROP EXTENSION IF EXISTS pointsys CASCADE;
DROP SCHEMA IF EXISTS pointsys CASCADE;

SELECT format('DROP OWNED BY %I CASCADE', rolname), format('DROP ROLE %I', rolname)
FROM pg_roles WHERE rolname LIKE 'regress\_%' ORDER BY rolname \gexec

CREATE EXTENSION pointsys;
SELECT pointsys.set_node(1) AS fixture_node \gset

-- The tests' roles (pointsys_recorder, pointsys_admin, pointsys_reader or
-- none), logins that the tests SET ROLE to.  A test that needs a role of
-- its own for a moment (security's hostile role) makes and drops it.
SELECT format('CREATE ROLE %I LOGIN', name),
	   CASE WHEN member_of IS NOT NULL THEN format('GRANT %I TO %I', member_of, name) END
FROM (VALUES
	-- process_roles: recorders of branches pa and pb, the bureau, a reporting tool
	('regress_alice', 'pointsys_recorder'), ('regress_bob', 'pointsys_recorder'),
	('regress_boss', 'pointsys_admin'), ('regress_report', 'pointsys_reader'),
	-- owner_code: a role without pointsys rights, the recorder of branch oa
	-- (and regress_boss, regress_report)
	('regress_nobody', NULL), ('regress_rec_a', 'pointsys_recorder'),
	-- paperwork: recorders of branches wa and wb, the bureau, a reporting tool
	('regress_wa_rec', 'pointsys_recorder'), ('regress_wb_rec', 'pointsys_recorder'),
	('regress_w_admin', 'pointsys_admin'), ('regress_w_reader', 'pointsys_reader'),
	-- transfers: recorders of branches ta and tb, the bureau, a reporting tool
	('regress_ta_rec', 'pointsys_recorder'), ('regress_tb_rec', 'pointsys_recorder'),
	('regress_t_admin', 'pointsys_admin'), ('regress_t_reader', 'pointsys_reader'),
	-- refusals: the recorder of branch fa, the bureau
	('regress_clerk', 'pointsys_recorder'), ('regress_bureau', 'pointsys_admin'),
	-- import: the recorder of branch ia, a reporting tool
	('regress_sheet', 'pointsys_recorder'), ('regress_sheet_reader', 'pointsys_reader'),
	-- appraisal: recorders of branches aa and ab, the bureau, a reporting
	-- tool, two voters' logins and a voting screen's
	('regress_aa_rec', 'pointsys_recorder'), ('regress_ab_rec', 'pointsys_recorder'),
	('regress_a_admin', 'pointsys_admin'), ('regress_a_reader', 'pointsys_reader'),
	('regress_voter1', 'pointsys_voter'), ('regress_voter2', 'pointsys_voter'),
	('regress_kiosk', 'pointsys_voter')
) AS r(name, member_of) \gexec

\connect
\i test/data/try.sql
\set ECHO all
