--
-- import: a month's sheet loaded by a recorder with one call (issue 11),
-- all or nothing under every write rule and the recorder's row-level
-- security, and the dry run that lists every bad row without writing.
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

-- the fixture's roles: regress_sheet (pointsys_recorder) for branch ia,
-- regress_sheet_reader (pointsys_reader)
INSERT INTO branch VALUES ('ia', '导入支部'), ('ib', '别的支部');
INSERT INTO member VALUES ('ia1', '甲', 'ia', NULL), ('ia2', '乙', 'ia', '2024-05-15'), ('ib1', '丙', 'ib', NULL);
INSERT INTO recorder VALUES ('ia', 'regress_sheet', '2024-01-05');

SET ROLE regress_sheet;
-- a good sheet: loaded, no row returned
SELECT * FROM import_scores($$[
  {"member_id": "ia1", "month": "2024-06-01", "item": "org_life", "points": 4},
  {"member_id": "ia1", "month": "2024-06-01", "item": "role", "points": "15.5"},
  {"member_id": "ia2", "month": "2024-06-01", "item": "org_life", "points": 3.5, "note": "补记"}]$$);
SELECT member_id, month, item, points, note, recorded_by FROM score WHERE member_id LIKE 'ia%' ORDER BY 1, 3;

-- a sheet with bad rows: every one reported, with its row number and
-- field, and nothing written (not even the good row 1)
SELECT * FROM import_scores($$[
  {"member_id": "ia1", "month": "2024-07-01", "item": "org_life", "points": 4},
  {"member_id": "ia1", "month": "2024-07-01", "item": "org_life", "points": 4.5},
  {"member_id": "ia2", "month": "2024-04-01", "item": "org_life", "points": 4},
  {"member_id": "ib1", "month": "2024-07-01", "item": "org_life", "points": 4},
  {"member_id": "ia1", "month": "0024-07-01", "item": "role", "points": 4},
  {"member_id": "ia1", "month": "2024-07-01", "item": "nap", "points": 1},
  {"member_id": "ia1", "month": "2024-13-01", "item": "role", "points": 1},
  {"member_id": "ia1", "month": "2024-07-01", "item": "role", "points": "many"},
  {"member_id": "ia1", "month": "2024-07-01", "item": "extra_duties"},
  {"member_id": "ia1", "month": "2024-07-01", "item": "org_life", "points": 3},
  {"member_id": "ia1", "month": "2024-06-01", "item": "org_life", "points": 3},
  {"member_id": "ia2", "month": "2024-07-01", "item": "role", "points": 1.25}]$$);
SELECT count(*) AS july_rows FROM score WHERE month = '2024-07-01';
-- the dry run of a good sheet: no row, nothing written
SELECT * FROM import_scores('[{"member_id": "ia1", "month": "2024-07-01", "item": "org_life", "points": 4}]', dry_run => true);
SELECT count(*) AS july_rows FROM score WHERE month = '2024-07-01';
-- messages in the session's language (lc_messages is the superuser's to
-- set: ALTER ROLE ... SET lc_messages, README)
RESET ROLE;
SET lc_messages = 'zh_CN.UTF-8';
SET ROLE regress_sheet;
SELECT row_number, field, error_code, constraint_name, message
FROM import_scores($$[{"member_id": "ia1", "month": "2024-07-01", "item": "org_life", "points": 4.5}]$$, true);
RESET ROLE;
RESET lc_messages;
SET ROLE regress_sheet;
-- awards
SELECT * FROM import_awards($$[
  {"member_id": "ia1", "month": "2024-06-01", "kind": "county", "description": "先进个人"},
  {"member_id": "ia1", "month": "2024-06-01", "kind": "medal"},
  {"member_id": "ib1", "month": "2024-06-01", "kind": "county"}]$$);
SELECT * FROM import_awards('[{"member_id": "ia1", "month": "2024-06-01", "kind": "county"}]');
SELECT member_id, month, kind, description FROM award WHERE member_id LIKE 'ia%';
-- not a sheet
SELECT pg_temp.try($$SELECT * FROM pointsys.import_scores('{"member_id": "ia1"}')$$);
RESET ROLE;
-- a reader may not import
SET ROLE regress_sheet_reader;
SELECT pg_temp.try($$SELECT * FROM pointsys.import_scores('[]')$$);
RESET ROLE;

DELETE FROM award WHERE member_id LIKE 'ia%';
DELETE FROM score WHERE member_id LIKE 'ia%';
DELETE FROM recorder WHERE branch_id IN ('ia', 'ib');
DELETE FROM member WHERE member_id IN ('ia1', 'ia2', 'ib1');
DELETE FROM branch WHERE branch_id IN ('ia', 'ib');
