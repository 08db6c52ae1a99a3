--
-- import_csv: the bureau's people and a month's sheet loaded from CSV text
-- as Excel and WPS export it (issue 24): a UTF-8 byte order mark, CRLF,
-- quoted fields with commas, quotes and line breaks, each date form,
-- Chinese and English headers, the record form's wide layout; every bad
-- row reported by its spreadsheet row and column header, with its
-- SQLSTATE, message and detail, and nothing written; as the real roles
-- (pointsys_admin loads people, a recorder her branch's sheet).  The files
-- are test/data/csv/*.csv, read as psql reads a file (\set x `cat file`).
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

-- the fixture's roles: regress_bureau (pointsys_admin), regress_sheet
-- (pointsys_recorder, of branch ia once loaded), regress_sheet_reader
-- (pointsys_reader)
SET ROLE regress_bureau;
-- branches: BOM, CRLF, a quoted name holding a comma
\set people `cat test/data/csv/branches.csv`
SELECT * FROM import_branches(:'people', dry_run => true);
SELECT count(*) AS branches FROM branch;
SELECT * FROM import_branches(:'people');
SELECT * FROM branch ORDER BY branch_id;

-- members with mistakes: the dry run reports each by its spreadsheet row
-- (row 4's quoted line break does not start a row) and column header; a
-- wrong date, a leaving date before joining, a repeated member, an
-- unknown branch
\set people `cat test/data/csv/members_bad.csv`
SELECT * FROM import_members(:'people', dry_run => true);
-- not a dry run: the same report, nothing written
SELECT row_number, field, error_code FROM import_members(:'people');
SELECT count(*) AS members FROM member;
-- corrected: each date form (2020/7/1, 2024年5月15日, 2019-03-01, 2023.1.9)
\set people `cat test/data/csv/members.csv`
SELECT * FROM import_members(:'people');
SELECT member_id, name, branch_id, joined_on, left_on FROM member ORDER BY member_id;
SELECT member_id, branch_id, since FROM membership ORDER BY member_id;

-- recorders (WPS: English headers, LF, no BOM): a login that does not
-- exist, an unknown branch
\set people `cat test/data/csv/recorders.csv`
SELECT * FROM import_recorders(:'people', dry_run => true);
SELECT count(*) AS recorders FROM recorder;
SELECT * FROM import_recorders(:'people' || '');
SELECT * FROM import_recorders($$branch_id,role_name,elected_on
ia,regress_sheet,2024/1/5$$);
SELECT * FROM recorder;

-- headers: an empty text, unknown and missing columns, a column twice
SELECT * FROM import_branches('');
SELECT * FROM import_branches(E'\uFEFF编号,名称,支部编号\r\n');
SELECT * FROM import_branches(E'branch_id,支部编号,name\r\nic,ic,丙支部\r\n');
-- an unterminated quoted field
SELECT pg_temp.try($$SELECT * FROM pointsys.import_branches(E'支部编号,支部名称\nic,"丙支部\n')$$);
RESET ROLE;

-- a month's sheet, as the recorder of branch ia
SET ROLE regress_sheet;
-- the long form: a repeated row (the month written two ways), a member of
-- another branch (the refusal names what she sent, not the branch), an
-- empty score, a month that does not exist
\set sheet `cat test/data/csv/scores_long.csv`
SELECT * FROM import_scores_csv(:'sheet', dry_run => true);
SELECT count(*) AS scores FROM score;
-- the record form's layout, headed by the items' titles in rulebook order
-- (as record_sheet_html prints them), with the computed columns ignored
\set sheet `cat test/data/csv/record_form.csv`
SELECT * FROM import_scores_csv(:'sheet', dry_run => true);
SELECT count(*) AS scores FROM score;
SELECT * FROM import_scores_csv(:'sheet');
SELECT member_id, month, points, total FROM record_sheet ORDER BY member_id, month;
-- its mistakes: a score over the maximum, another branch's member, a
-- member-month twice, a day that does not exist (each reported once)
\set sheet `cat test/data/csv/record_form_bad.csv`
SELECT * FROM import_scores_csv(:'sheet', dry_run => true);
-- item codes as headers, the last item's column missing, an unknown column
\set sheet `cat test/data/csv/record_form_columns.csv`
SELECT * FROM import_scores_csv(:'sheet', dry_run => true);
-- awards
SELECT * FROM import_awards_csv(E'党员编号,月份,奖励种类,事由\r\nia1,2024/8,county,"先进个人, 县级"\r\nia1,2024-08,medal,\r\n');
SELECT * FROM import_awards_csv(E'党员编号,月份,奖励种类,事由\r\nia1,2024/8,county,"先进个人, 县级"\r\n');
SELECT member_id, month, kind, description FROM award;
-- in the long form an item (or award kind) may be written as its title
SELECT * FROM import_scores_csv(E'党员编号,月份,积分项目,得分\r\nia1,2024年10月,党员作用发挥,15\r\nia1,2024年10月,参加"三会一课"及各项组织生活,4\r\n');
SELECT * FROM import_awards_csv(E'党员编号,月份,奖励种类\r\nia1,2024/10,获得县级表彰、表扬\r\n');
SELECT member_id, month, item, points FROM score WHERE month = '2024-10-01' ORDER BY item;
SELECT member_id, month, kind FROM award WHERE month = '2024-10-01';
-- a recorder loads no people
SELECT pg_temp.try($$SELECT * FROM pointsys.import_members('党员编号,姓名,所在支部')$$);
RESET ROLE;
-- nor does a reporting tool load a sheet
SET ROLE regress_sheet_reader;
SELECT pg_temp.try($$SELECT * FROM pointsys.import_scores_csv('党员编号,月份,积分项目,得分')$$);
RESET ROLE;

-- the dates spreadsheets write
SELECT v, csv_date(v, false) AS day, csv_date(v, true) AS month
FROM unnest(ARRAY['2026/7/1', '2026-07-01', '2026.7.1', '2026年7月1日', ' 2026 年 7 月 1 日 ',
				  '2026-07', '2026/7', '2026年7月', '7/1/2026', '20260701']) AS v;
