--
-- owner_code: pointsys's code that runs as the extension's owner cannot be
-- reached by anyone else (issue 10).  Who may execute which function; each
-- trigger function refuses, even for a superuser, to fire anywhere but on
-- its own table and event, before it reads a column; row security comes
-- before every other check of a recorder's write; the stamps are
-- pointsys's; pointsys.reason has a limit.  (test/t/003_red_team.pl logs
-- in as each role and tries the attacks themselves.)
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

-- the fixture's roles: regress_nobody (no pointsys role at all),
-- regress_rec_a (pointsys_recorder) for branch oa, regress_boss
-- (pointsys_admin), regress_report (pointsys_reader)

-- 1. What each role may execute.  The public interface, and nothing that
-- only PostgreSQL calls (trigger and event-trigger functions, aggregate
-- support functions, type input/output): a login with no pointsys role
-- may execute exactly these
SELECT p.oid::regprocedure AS executable_by_anyone
FROM pg_proc p
WHERE p.pronamespace = 'pointsys'::regnamespace
  AND has_function_privilege('regress_nobody', p.oid, 'EXECUTE')
ORDER BY p.oid::regprocedure::text COLLATE "C";
-- and the pointsys roles may execute these as well
SELECT r.rolname, p.oid::regprocedure AS executable
FROM pg_proc p, pg_roles r
WHERE p.pronamespace = 'pointsys'::regnamespace
  AND r.rolname IN ('pointsys_admin', 'pointsys_recorder', 'pointsys_reader')
  AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
  AND NOT has_function_privilege('regress_nobody', p.oid, 'EXECUTE')
ORDER BY r.rolname, p.oid::regprocedure::text COLLATE "C";
-- none of them may execute a trigger or event-trigger function (expect none)
SELECT r.rolname, p.oid::regprocedure
FROM pg_proc p, pg_roles r
WHERE p.pronamespace = 'pointsys'::regnamespace
  AND p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
  AND r.rolname IN ('pointsys_admin', 'pointsys_recorder', 'pointsys_reader', 'regress_nobody')
  AND has_function_privilege(r.oid, p.oid, 'EXECUTE');
-- so nobody but the owner can attach one to a table of their own
SET ROLE regress_rec_a;
CREATE TEMP TABLE own (member_id text, month date, item text, points numeric);
SELECT pg_temp.try($$CREATE TRIGGER t AFTER UPDATE ON pg_temp.own FOR EACH ROW EXECUTE FUNCTION pointsys.audit_changes()$$);
SELECT pg_temp.try($$CREATE TRIGGER t BEFORE INSERT ON pg_temp.own FOR EACH ROW EXECUTE FUNCTION pointsys.score_check()$$);
DROP TABLE pg_temp.own;
RESET ROLE;
-- while the aggregates and the views work for every pointsys role
SET ROLE regress_report;
SELECT pointsys.quarter_avg(t), pointsys.annual_assessment(m, t)
FROM (VALUES ('2024-01-01'::date, 85.5), ('2024-02-01', 85)) AS v(m, t);
SELECT count(*) >= 0 AS reads_reports FROM pointsys.annual_results;
RESET ROLE;

-- 2. A superuser may attach them (privileges do not bind superusers), but
-- each refuses every table but its own, compared by OID: a temporary copy
-- of the genuine table, same name, same columns, is refused with 39P01
-- before a column is read, and no audit row is written
SELECT count(*) AS audit_rows_before FROM pointsys.audit \gset
CREATE FUNCTION pg_temp.fire_on_copy(fn text, tbl text, timing text, level text, event text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    col text := (SELECT quote_ident(attname) FROM pg_attribute
                 WHERE attrelid = format('pointsys.%I', tbl)::regclass AND attnum = 1);
    result text;
BEGIN
    -- a copy with one row, under the genuine table's name
    EXECUTE format('CREATE TEMP TABLE %I AS SELECT * FROM pointsys.%I WITH NO DATA', tbl, tbl);
    EXECUTE format('INSERT INTO pg_temp.%I DEFAULT VALUES', tbl);
    EXECUTE format('CREATE TRIGGER t %s %s ON pg_temp.%I FOR EACH %s EXECUTE FUNCTION pointsys.%I()',
                   timing, event, tbl, level, fn);
    result := pg_temp.try(CASE event
        WHEN 'INSERT' THEN format('INSERT INTO pg_temp.%I DEFAULT VALUES', tbl)
        WHEN 'UPDATE' THEN format('UPDATE pg_temp.%I SET %s = %s', tbl, col, col)
        WHEN 'DELETE' THEN format('DELETE FROM pg_temp.%I', tbl)
        ELSE format('TRUNCATE pg_temp.%I', tbl) END);
    EXECUTE format('DROP TABLE pg_temp.%I', tbl);
    RETURN result;
END
$$;
-- each function at its own timing, level and event, on a copy of its own table
SELECT fn, pg_temp.fire_on_copy(fn, tbl, timing, level, event) AS result
FROM (VALUES ('score_check', 'score', 'BEFORE', 'ROW', 'INSERT'),
             ('score_check', 'score', 'BEFORE', 'ROW', 'DELETE'),
             ('award_check', 'award', 'BEFORE', 'ROW', 'UPDATE'),
             ('ledger_delete_check', 'award', 'AFTER', 'STATEMENT', 'DELETE'),
             ('evaluation_check', 'evaluation', 'BEFORE', 'ROW', 'INSERT'),
             ('sanction_check', 'sanction', 'BEFORE', 'ROW', 'UPDATE'),
             ('period_check', 'period', 'BEFORE', 'ROW', 'INSERT'),
             ('rulebook_guard', 'member', 'BEFORE', 'ROW', 'UPDATE'),
             ('rulebook_guard', 'category', 'BEFORE', 'ROW', 'DELETE'),
             ('rulebook_changed', 'recorder', 'AFTER', 'STATEMENT', 'INSERT'),
             ('rulebook_upsert', 'item', 'BEFORE', 'ROW', 'INSERT'),
             ('member_month_changed', 'award', 'AFTER', 'STATEMENT', 'TRUNCATE'),
             ('member_month_replicated', 'score', 'AFTER', 'ROW', 'UPDATE'),
             ('audit_changes', 'branch', 'AFTER', 'STATEMENT', 'INSERT'),
             ('audit_changes', 'award', 'AFTER', 'STATEMENT', 'UPDATE'),
             ('audit_immutable', 'audit_log', 'BEFORE', 'STATEMENT', 'TRUNCATE')) AS f(fn, tbl, timing, level, event);
-- a look-alike with other column types (1.1 read them as text and date: a crash)
CREATE TEMP TABLE lookalike (member_id int, month text, item int, points text);
CREATE TRIGGER t BEFORE INSERT ON pg_temp.lookalike FOR EACH ROW EXECUTE FUNCTION pointsys.score_check();
SELECT pg_temp.try($$INSERT INTO pg_temp.lookalike VALUES (1, 'x', 2, 'y')$$);
DROP TABLE pg_temp.lookalike;
SELECT count(*) OPERATOR(pg_catalog.-) :audit_rows_before AS audit_rows_written FROM pointsys.audit;

-- on their own table, at another timing or event, they refuse too
BEGIN;
CREATE TRIGGER wrong AFTER INSERT ON pointsys.sanction FOR EACH STATEMENT
    EXECUTE FUNCTION pointsys.sanction_check();
CREATE TRIGGER wrong AFTER DELETE ON pointsys.evaluation FOR EACH ROW
    EXECUTE FUNCTION pointsys.audit_changes();
INSERT INTO branch VALUES ('oa', 'branch oa');
INSERT INTO member VALUES ('oa1', '甲', 'oa', '2024-03-01', NULL);
SELECT pg_temp.try($$INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('oa1', 'warning', '2024-05-01')$$);
INSERT INTO evaluation VALUES ('oa1', 2024, 90);
SELECT pg_temp.try($$DELETE FROM pointsys.evaluation$$);
ROLLBACK;
-- and where a column they read is not of the type they expect (an owner's
-- ALTER TABLE), or an audited table has a column of a type of our own
BEGIN;
ALTER TABLE pointsys.period ALTER COLUMN changed_by TYPE text;
SELECT pg_temp.try($$INSERT INTO pointsys.period VALUES ('x', 2024, 1, 'approved')$$);
ROLLBACK;
BEGIN;
ALTER TABLE pointsys.branch ADD COLUMN g pointsys.grade;
SELECT pg_temp.try($$INSERT INTO pointsys.branch VALUES ('oz', 'z', '优秀')$$);
ROLLBACK;

-- 3. Row security first: regress_rec_a records for branch oa only.  Every
-- write of theirs for a member of branch ob, or for nobody, fails with the
-- same 42501 as row-level security's own, whatever else is wrong with it:
-- it tells nothing of the member, their dates or their quarter.  Its
-- detail names the row sent (1.5), and only that: the refusals differ in
-- it alone, and it is exactly what the writer sent
INSERT INTO branch VALUES ('oa', 'branch oa'), ('ob', 'branch ob');
INSERT INTO member VALUES ('oa1', '甲', 'oa', '2024-03-01', NULL),
                          ('ob1', '乙秘密', 'ob', '2024-03-01', '2024-08-31');
INSERT INTO recorder VALUES ('oa', 'regress_rec_a', '2024-01-01');
SELECT pointsys.advance('ob', 2024, 2);
SET ROLE regress_rec_a;
SELECT count(DISTINCT regexp_replace(r, 'The row sent: [^.]*[.]', 'The row sent: …')) AS distinct_refusals,
       min(regexp_replace(r, 'The row sent: [^.]*[.]', 'The row sent: …')) AS refusal,
       bool_and(strpos(r, format('DETAIL: The row sent: member %s, %s, item "%s".',
                                 CASE m WHEN 'NULL' THEN 'NULL' ELSE '"' || btrim(m, '''') || '"' END,
                                 left(d, 7), i)) > 0) AS names_the_row_sent
FROM (SELECT m, d, i, pg_temp.try(format('INSERT INTO pointsys.score (member_id, month, item, points) VALUES (%s, %L, %L, %s)',
                        m, d, i, p)) AS r
      FROM (VALUES ('''ob1''', '2024-03-01', 'role', '1'),      -- an allowed score
                   ('''ob1''', '2024-01-01', 'role', '1'),      -- before joining
                   ('''ob1''', '2024-10-01', 'role', '1'),      -- after leaving
                   ('''ob1''', '2024-05-01', 'role', '1'),      -- quarter approved
                   ('''ob1''', '2999-01-01', 'role', '1'),      -- the future
                   ('''ob1''', '2024-03-01', 'nap', '1'),       -- unknown item
                   ('''ob1''', '2024-03-01', 'role', '99'),     -- beyond the maximum
                   ('''ob1''', '2024-03-01', 'role', '0.3'),    -- off the step
                   ('''nobody''', '2024-03-01', 'role', '1'),   -- no such member
                   ('NULL', '2024-03-01', 'role', '1')          -- no member
           ) AS t(m, d, i, p)) s;
SELECT count(DISTINCT regexp_replace(r, 'The row sent: [^.]*[.]', 'The row sent: …')) AS distinct_refusals,
       min(regexp_replace(r, 'The row sent: [^.]*[.]', 'The row sent: …')) AS refusal,
       bool_and(strpos(r, format('DETAIL: The row sent: member "%s", %s, award "%s".', m, left(d, 7), k)) > 0)
           AS names_the_row_sent
FROM (SELECT m, d, k, pg_temp.try(format('INSERT INTO pointsys.award (member_id, month, kind) VALUES (%L, %L, %L)', m, d, k)) AS r
      FROM (VALUES ('ob1', '2024-03-01', 'county'), ('ob1', '2024-05-01', 'medal'),
                   ('ob1', '2999-01-01', 'county'), ('nobody', '2024-03-01', 'county')) AS t(m, d, k)) s;
-- moving a score of theirs to another branch's member, and another
-- branch's quarter: the same
SELECT pg_temp.try($$INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('oa1', '2024-03-01', 'role', 1)$$);
SELECT pg_temp.try($$UPDATE pointsys.score SET member_id = 'ob1' WHERE member_id = 'oa1'$$);
SELECT pg_temp.try($$SELECT pointsys.advance('ob', 2024, 2)$$);
SELECT pg_temp.try($$SELECT pointsys.advance('nowhere', 2024, 2)$$);
-- nor anything about sanctions and evaluations
SELECT pg_temp.try($$SELECT pointsys.is_vetoed('ob1', 2024)$$);
SELECT pg_temp.try($$SELECT pointsys.annual_grade('ob1', 2024)$$);

-- 4. The stamps are pointsys's: the current user and the transaction's
-- start, whatever the writer gives
BEGIN;
SELECT pg_temp.try($$INSERT INTO pointsys.score (member_id, month, item, points, recorded_by, recorded_at)
             VALUES ('oa1', '2024-04-01', 'role', 2, 'regress_boss', '2000-01-01')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.award (member_id, month, kind, recorded_by, recorded_at)
             VALUES ('oa1', '2024-04-01', 'county', 'regress_boss', '2000-01-01')$$);
SELECT recorded_by, recorded_at = now() AS now FROM pointsys.score WHERE member_id = 'oa1' AND month = '2024-04-01'
UNION ALL
SELECT recorded_by, recorded_at = now() FROM pointsys.award WHERE member_id = 'oa1' AND month = '2024-04-01';
COMMIT;
RESET ROLE;
SET ROLE regress_boss;
BEGIN;
UPDATE pointsys.score SET points = 3, recorded_by = 'regress_rec_a', recorded_at = '2000-01-01'
WHERE member_id = 'oa1' AND month = '2024-04-01';
SELECT recorded_by, recorded_at = now() AS now FROM pointsys.score WHERE member_id = 'oa1' AND month = '2024-04-01';
COMMIT;
RESET ROLE;
-- a superuser's stamps are kept (pg_restore brings the original ones)
INSERT INTO score (member_id, month, item, points, recorded_by, recorded_at)
VALUES ('oa1', '2024-05-01', 'role', 2, 'regress_rec_a', '2024-05-31 12:00+08');
SELECT recorded_by, recorded_at FROM score WHERE member_id = 'oa1' AND month = '2024-05-01';

-- 5. pointsys.reason: at most 1000 characters in the audit trail (22001)
SELECT set_config('pointsys.reason', repeat('理', 1000), false) IS NOT NULL AS set;
SELECT pg_temp.try($$UPDATE pointsys.score SET points = 1 WHERE member_id = 'oa1' AND month = '2024-05-01'$$);
SELECT length(reason) FROM pointsys.audit WHERE audit_id = (SELECT max(audit_id) FROM pointsys.audit);
SELECT set_config('pointsys.reason', repeat('x', 1001), false) IS NOT NULL AS set;
SELECT pg_temp.try($$UPDATE pointsys.score SET points = 2 WHERE member_id = 'oa1' AND month = '2024-05-01'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.score WHERE member_id = 'oa1' AND month = '2024-05-01'$$);
SELECT points FROM score WHERE member_id = 'oa1' AND month = '2024-05-01';
RESET pointsys.reason;

-- 6. DROP EXTENSION by someone else fails on its own (42501), without the
-- drop guard telling which tables hold rows
SET ROLE regress_nobody;
SELECT pg_temp.try($$DROP EXTENSION pointsys$$);
RESET ROLE;

-- 7. every role reads and writes pointsys's types (issue 22): their I/O
-- functions are PUBLIC's, as every built-in type's, so that run-time casts,
-- a text parameter, COPY and drivers work for every role that may use the
-- schema (a role without USAGE on it cannot name the type at all)
SELECT t.typname, p.proname, has_function_privilege('public', p.oid, 'EXECUTE') AS public_may
FROM pg_type t
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pointsys'
JOIN pg_proc p ON p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend)
WHERE t.typtype = 'b' AND t.typcategory <> 'A'   -- (from 17 on, array types are members too)
ORDER BY 1, 2;
SET ROLE regress_report;
SELECT '优秀'::varchar::pointsys.grade AS from_varchar, 'qualified'::text::pointsys.grade AS from_text;
PREPARE grade_param(text) AS SELECT $1::pointsys.grade AS grade;
EXECUTE grade_param('合格');
DEALLOCATE grade_param;
SELECT pointsys.grade_out('优秀'::pointsys.grade), pointsys.grade_in('不合格'::cstring);
SELECT pg_temp.try($$SELECT pointsys.grade_in('甲等'::cstring)$$);
SELECT pg_temp.try($$SELECT pointsys.year_state_in('garbage'::cstring)$$);
CREATE TEMP TABLE grades (g pointsys.grade);
COPY grades FROM stdin;
优秀
unqualified
\.
SELECT g::text FROM grades ORDER BY g;
DROP TABLE grades;
RESET ROLE;

-- clean up
SET pointsys.reason = 'regression cleanup';
DELETE FROM period WHERE branch_id IN ('oa', 'ob');
RESET pointsys.reason;
DELETE FROM award WHERE member_id LIKE 'o%';
DELETE FROM score WHERE member_id LIKE 'o%';
DELETE FROM recorder WHERE branch_id IN ('oa', 'ob');
DELETE FROM member WHERE member_id LIKE 'o%';
DELETE FROM branch WHERE branch_id IN ('oa', 'ob');
