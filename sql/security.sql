--
-- security: installing and using pointsys where other roles can create
-- objects (after contrib/seg's security.sql).  A hostile role plants, in
-- schema public, comparison and arithmetic operators and better-matching
-- overloads of common functions that raise an error when called; the DBA
-- installs with public ahead of pg_catalog in search_path.  Nothing may
-- call them or bind to them.  Then: a schema "pointsys" created beforehand
-- by another role makes CREATE EXTENSION fail.
--
-- Drops and re-creates the extension (each test's fixture makes its own).
--
\i test/data/fixture.sql
DROP EXTENSION pointsys;
SELECT current_database() AS datname \gset

CREATE ROLE regress_pointsys_hostile;
GRANT CREATE ON SCHEMA public TO regress_pointsys_hostile;
SET ROLE regress_pointsys_hostile;
\i test/data/hostile.sql
RESET ROLE;

-- the traps work
SET search_path = public, pg_catalog;
SELECT 'a'::text = 'a'::text;
SELECT 1::numeric + 1::numeric;
SELECT date_trunc('month', '2024-05-20'::date);
SELECT make_date(2024, 1, 1);
RESET search_path;

-- a schema "pointsys" made by someone else: refused (42501), nothing created
CREATE ROLE regress_pointsys_squatter;
GRANT CREATE ON DATABASE :"datname" TO regress_pointsys_squatter;
DROP SCHEMA pointsys;           -- left behind by DROP EXTENSION
SET ROLE regress_pointsys_squatter;
CREATE SCHEMA pointsys;
CREATE FUNCTION pointsys.grade_of(numeric) RETURNS text LANGUAGE sql AS $$SELECT 'planted'$$;
RESET ROLE;
SET search_path = public, pg_catalog;
-- (no CONTEXT: 18 adds the lines of the extension script to it)
\set SHOW_CONTEXT never
CREATE EXTENSION pointsys;
\echo :SQLSTATE
\set SHOW_CONTEXT errors
RESET search_path;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'pointsys';
SELECT p.oid::regprocedure, p.proowner::regrole FROM pg_proc p
WHERE p.pronamespace = 'pointsys'::regnamespace;
DROP SCHEMA pointsys CASCADE;

-- install with the traps in place and public ahead of pg_catalog
SET search_path = public, pg_catalog;
CREATE EXTENSION pointsys;
SELECT pointsys.set_node(1);    -- as test/data/fixture.sql: the ids printed stay the same
RESET search_path;
SELECT extname, extversion, extnamespace::regnamespace, extowner::regrole
FROM pg_extension WHERE extname = 'pointsys';
SELECT nspname, nspowner::regrole FROM pg_namespace WHERE nspname = 'pointsys';

-- nothing of the extension refers to a planted object (a view, default or
-- constraint bound to one would call it later)
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS dependent,
       pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) AS planted
FROM pg_depend d
WHERE (d.refclassid = 'pg_proc'::regclass AND d.refobjid IN
          (SELECT oid FROM pg_proc WHERE proowner = 'regress_pointsys_hostile'::regrole))
   OR (d.refclassid = 'pg_operator'::regclass AND d.refobjid IN
          (SELECT oid FROM pg_operator WHERE oprowner = 'regress_pointsys_hostile'::regrole))
EXCEPT
SELECT pg_describe_object('pg_operator'::regclass, oid, 0), pg_describe_object('pg_proc'::regclass, oprcode, 0)
FROM pg_operator WHERE oprowner = 'regress_pointsys_hostile'::regrole;

-- and using it, with the traps ahead of pg_catalog, calls none
SET search_path = public, pg_catalog;
SELECT pointsys.grade_of(89.995), pointsys.annual_total(80, 80.025),
       pointsys.annual_grade(89.99, 90.04), pointsys.quarter_avg(85.5, 85, 85),
       pointsys.is_veto_sanction('probation'), pointsys.eligibility('良好');
SELECT 'good'::pointsys.grade OPERATOR(pointsys.<) '优秀',
       pointsys.max(g), pointsys.min(g)
FROM unnest('{良好,合格,优秀}'::pointsys.grade[]) AS g;
SELECT pointsys.annual_assessment(m, t),
       pointsys.quarter_avg(t) FILTER (WHERE m OPERATOR(pg_catalog.<) '2024-04-01')
FROM (VALUES ('2024-01-01'::date, 85.5), ('2024-02-01', 85), ('2024-03-01', 85),
             ('2024-04-01', 85.5), ('2024-05-01', 85), ('2024-06-01', 85),
             ('2024-07-01', 85), ('2024-10-01', 85)) AS v(m, t);
-- the ledger's write rules, triggers and views
INSERT INTO pointsys.branch (branch_id, name) VALUES ('regress_b1', 'branch one');
INSERT INTO pointsys.member (member_id, name, branch_id) VALUES ('regress_m1', 'member one', 'regress_b1');
INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('regress_m1', '2024-01-15', 'study_notes', 4);
INSERT INTO pointsys.award (member_id, month, kind) VALUES ('regress_m1', '2024-01-01', 'county');
INSERT INTO pointsys.evaluation (member_id, year, democratic) VALUES ('regress_m1', 2024, 90);
SELECT member_id, month, study, reward, total FROM pointsys.monthly_scores;
SELECT member_id, year, q1, months, assessment, democratic, vetoed, total, grade, eligibility
FROM pointsys.annual_results;
SELECT pointsys.monthly_score('regress_m1', '2024-01-01'), pointsys.quarter_score('regress_m1', 2024, 1),
       pointsys.is_vetoed('regress_m1', 2024), pointsys.annual_grade('regress_m1', 2024);
RESET search_path;

-- clean up: the extension stays installed, without the ledger rows
DELETE FROM pointsys.evaluation WHERE member_id = 'regress_m1';
DELETE FROM pointsys.award WHERE member_id = 'regress_m1';
DELETE FROM pointsys.score WHERE member_id = 'regress_m1';
DELETE FROM pointsys.member WHERE member_id = 'regress_m1';
DELETE FROM pointsys.branch WHERE branch_id = 'regress_b1';
DROP OWNED BY regress_pointsys_hostile, regress_pointsys_squatter;
DROP ROLE regress_pointsys_hostile, regress_pointsys_squatter;
