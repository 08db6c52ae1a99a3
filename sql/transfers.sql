--
-- transfers: transfers between branches (组织关系转接, issue 14 part 7).
-- Member tx1 moves from branch ta to branch tb in July 2017: each month's
-- writes are locked by the quarter of that month's branch and open to that
-- branch's recorder only; a change of membership may not move a month of a
-- quarter that is no longer recording; member.branch_id and membership
-- stay in step; the reports list each month under its own branch.  Year
-- 2017, which no other test uses.
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

-- the fixture's roles: regress_ta_rec and regress_tb_rec (pointsys_recorder)
-- for branches ta and tb, regress_t_admin (pointsys_admin) the bureau party
-- group, regress_t_reader (pointsys_reader) a reporting tool

INSERT INTO branch VALUES ('ta', '转接甲支部'), ('tb', '转接乙支部');
INSERT INTO member (member_id, name, branch_id, joined_on) VALUES
	('tx1', '转一', 'ta', '2010-05-17'), ('ta2', '甲二', 'ta', NULL), ('tb2', '乙二', 'tb', NULL);
INSERT INTO recorder VALUES ('ta', 'regress_ta_rec', '2017-01-05'), ('tb', 'regress_tb_rec', '2017-01-05');

------------------------------------------------------------------------
-- 1. a new member's history: one row, from the month joined (or 1921-07)
------------------------------------------------------------------------
SELECT * FROM membership WHERE member_id IN ('tx1', 'ta2', 'tb2') ORDER BY member_id, since;
SELECT branch_of('tx1', '2017-06-30'), branch_of('tx1', '1990-01-01'), branch_of('nobody', '2017-01-01');

------------------------------------------------------------------------
-- 2. the transfer: tx1 to tb from July 2017 (pointsys_admin only)
------------------------------------------------------------------------
SET ROLE regress_ta_rec;
SELECT pg_temp.try($$INSERT INTO pointsys.membership VALUES ('tx1', 'tb', '2017-07-01')$$);
SELECT pg_temp.try($$UPDATE pointsys.membership SET branch_id = 'ta' WHERE member_id = 'tx1'$$);
RESET ROLE;
SET ROLE regress_t_admin;
SELECT pg_temp.try($$INSERT INTO pointsys.membership VALUES ('tx1', 'tb', '2017-07-15')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.membership VALUES ('tx1', 'tb', '1921-06-01')$$);
SET pointsys.reason = '组织关系转接 ta → tb';
INSERT INTO membership VALUES ('tx1', 'tb', '2017-07-01');
RESET pointsys.reason;
RESET ROLE;
-- member.branch_id follows the latest row
SELECT member_id, branch_id FROM member WHERE member_id = 'tx1';
SELECT m, branch_of('tx1', make_date(2017, m, 1)) FROM generate_series(5, 8) m;
SELECT branches_between('tx1', '2017-01-01', '2017-12-01') AS year,
	   branches_between('tx1', '2017-04-01', '2017-06-01') AS q2,
	   branches_between('tx1', '2017-07-01', '2017-09-01') AS q3;

------------------------------------------------------------------------
-- 3. writes by the month's branch: each recorder writes and sees the
-- months of their own branch only
------------------------------------------------------------------------
SET ROLE regress_ta_rec;
INSERT INTO score (member_id, month, item, points) VALUES ('tx1', '2017-05-01', 'role', 10),
	('tx1', '2017-06-01', 'role', 12), ('ta2', '2017-05-01', 'role', 15), ('ta2', '2017-08-01', 'role', 8),
	('ta2', '2017-10-01', 'role', 9);
SELECT pg_temp.try($$INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('tx1', '2017-07-01', 'role', 5)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('tx1', '2017-08-01', 'county')$$);
SELECT member_id, month, points FROM score WHERE member_id LIKE 't%' ORDER BY 1, 2;
SELECT member_id, month FROM member_month WHERE member_id LIKE 't%' ORDER BY 1, 2;
-- her record sheets of past months still show tx1's name
SELECT member_id, name, branch_id FROM member WHERE member_id LIKE 't%' ORDER BY 1;
SELECT branch_id, member_id FROM membership WHERE member_id LIKE 't%' ORDER BY 2, 1;
-- a row of hers moved into tb's months is refused, as a new row would be
SELECT pg_temp.try($$UPDATE pointsys.score SET month = '2017-07-01' WHERE member_id = 'tx1' AND month = '2017-06-01'$$);
RESET ROLE;
SET ROLE regress_tb_rec;
INSERT INTO score (member_id, month, item, points) VALUES ('tx1', '2017-07-01', 'role', 14),
	('tx1', '2017-08-01', 'role', 16), ('tx1', '2017-09-01', 'role', 18), ('tb2', '2017-05-01', 'role', 11);
INSERT INTO award (member_id, month, kind) VALUES ('tx1', '2017-08-01', 'county');
SELECT pg_temp.try($$INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('tx1', '2017-06-01', 'study_notes', 1)$$);
WITH u AS (UPDATE score SET points = 0 WHERE member_id = 'tx1' AND month = '2017-05-01' RETURNING 1)
SELECT count(*) AS updated_in_ta_months FROM u;
SELECT member_id, month, points FROM score WHERE member_id LIKE 't%' ORDER BY 1, 2;
SELECT member_id, name, branch_id FROM member WHERE member_id LIKE 't%' ORDER BY 1;
RESET ROLE;
-- the reporting tool reads every month
SET ROLE regress_t_reader;
SELECT count(*) AS scores FROM score WHERE member_id = 'tx1';
SELECT count(*) AS history FROM membership WHERE member_id = 'tx1';
RESET ROLE;

------------------------------------------------------------------------
-- 4. each month is locked by its own branch's quarter: ta's Q2 approved
-- locks May and June; tb's Q3 approved locks July to September
------------------------------------------------------------------------
SET ROLE regress_ta_rec;
SELECT advance('ta', 2017, 2);
RESET ROLE;
SET ROLE regress_tb_rec;
SELECT advance('tb', 2017, 3);
RESET ROLE;
SET ROLE regress_t_admin;
SELECT pg_temp.try($$INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('tx1', '2017-06-01', 'study_notes', 1)$$);
SELECT pg_temp.try($$UPDATE pointsys.score SET points = 13 WHERE member_id = 'tx1' AND month = '2017-08-01'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.award WHERE member_id = 'tx1'$$);
-- tb's Q2 and ta's Q3 are not tx1's: approving them locks nothing of tx1
SELECT advance('tb', 2017, 2), advance('ta', 2017, 3);
SELECT reopen('ta', 2017, 2, '更正'), reopen('tb', 2017, 3, '更正');
SELECT pg_temp.try($$INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('tx1', '2017-06-01', 'study_notes', 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('tx1', '2017-09-01', 'study_notes', 1)$$);
-- July to September locked again (tb's Q3), ta's Q2 recording, tb's Q2 and ta's Q3 approved
SELECT advance('tb', 2017, 3);
RESET ROLE;

------------------------------------------------------------------------
-- 5. a change of membership that moves a month of a quarter no longer
-- recording is refused (55000), in the old branch or the new
------------------------------------------------------------------------
SET ROLE regress_t_admin;
-- moving the transfer to June moves June (recorded) from ta (Q2 recording)
-- to tb (Q2 approved): the new branch refuses
SELECT pg_temp.try($$UPDATE pointsys.membership SET since = '2017-06-01' WHERE member_id = 'tx1' AND since = '2017-07-01'$$);
-- moving it to August moves July (recorded) from tb to ta, both Q3 approved:
-- the old branch is named
SELECT pg_temp.try($$UPDATE pointsys.membership SET since = '2017-08-01' WHERE member_id = 'tx1' AND since = '2017-07-01'$$);
-- undoing the transfer moves July to September back to ta
SELECT pg_temp.try($$DELETE FROM pointsys.membership WHERE member_id = 'tx1' AND since = '2017-07-01'$$);
SELECT member_id, branch_id FROM member WHERE member_id = 'tx1';
-- a recorded month moves while its quarter records in both: ta2's October
INSERT INTO membership VALUES ('ta2', 'tb', '2017-10-01');
SELECT member_id, branch_id FROM member WHERE member_id = 'ta2';
SELECT branch_id, month FROM record_sheet WHERE member_id = 'ta2' ORDER BY month;
-- but not August (ta's Q3 approved)
SELECT pg_temp.try($$UPDATE pointsys.membership SET since = '2017-08-01' WHERE member_id = 'ta2' AND since = '2017-10-01'$$);
-- nor by a statement of several rows, each harmless beside the others
-- (issue 22): July has no score, and in 1.4 each row saw August already in
-- tb through the other.  The branch of every month is compared before and
-- after the statement as a whole, whatever its shape and row order.
SELECT pg_temp.try($$INSERT INTO pointsys.membership VALUES ('ta2', 'tb', '2017-07-01'), ('ta2', 'tb', '2017-08-01')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.membership VALUES ('ta2', 'tb', '2017-08-01'), ('ta2', 'tb', '2017-07-01')$$);
SELECT pg_temp.try($$MERGE INTO pointsys.membership s
	USING (VALUES ('ta2', 'tb', date '2017-07-01'), ('ta2', 'tb', date '2017-08-01')) v (member_id, branch_id, since)
	ON s.member_id = v.member_id AND s.since = v.since
	WHEN NOT MATCHED THEN INSERT VALUES (v.member_id, v.branch_id, v.since)$$);
SELECT pg_temp.try($$WITH d AS (DELETE FROM pointsys.membership WHERE member_id = 'ta2' AND since = '2017-10-01' RETURNING member_id)
	INSERT INTO pointsys.membership SELECT 'ta2', 'tb', m::date FROM generate_series(date '2017-07-01', '2017-08-01', '1 month') m$$);
-- an UPDATE of two rows: tb from October and from November (nothing
-- recorded moves) shifted three months back together
INSERT INTO membership VALUES ('ta2', 'tb', '2017-11-01');
SELECT pg_temp.try($$UPDATE pointsys.membership SET since = since - interval '3 months' WHERE member_id = 'ta2' AND since >= '2017-10-01'$$);
DELETE FROM membership WHERE member_id = 'ta2' AND since = '2017-11-01';
-- accepted when every quarter a recorded month leaves or enters records:
-- October (Q4 recording in both) back to ta and to tb again, one statement each
SELECT pg_temp.try($$WITH d AS (DELETE FROM pointsys.membership WHERE member_id = 'ta2' AND since = '2017-10-01' RETURNING member_id)
	INSERT INTO pointsys.membership VALUES ('ta2', 'tb', '2017-11-01')$$);
SELECT branch_id, month FROM record_sheet WHERE member_id = 'ta2' ORDER BY month;
SELECT pg_temp.try($$UPDATE pointsys.membership SET since = '2017-10-01' WHERE member_id = 'ta2' AND since = '2017-11-01'$$);
SELECT since, branch_id FROM membership WHERE member_id = 'ta2' ORDER BY since;
-- months without scores or awards move freely, locked or not: tb2 (May
-- only) to ta from June, and back
INSERT INTO membership VALUES ('tb2', 'ta', '2017-06-01');
SELECT member_id, branch_id FROM member WHERE member_id = 'tb2';
DELETE FROM membership WHERE member_id = 'tb2' AND since = '2017-06-01';
-- a member always has a branch: the last row stays
SELECT pg_temp.try($$DELETE FROM pointsys.membership WHERE member_id = 'tb2'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.membership WHERE member_id = 'ta2'$$);
SELECT member_id, branch_id FROM member WHERE member_id IN ('ta2', 'tb2') ORDER BY 1;
RESET ROLE;

------------------------------------------------------------------------
-- 6. UPDATE of member.branch_id is a transfer from the current month
------------------------------------------------------------------------
SET ROLE regress_t_admin;
UPDATE member SET branch_id = 'ta' WHERE member_id = 'tb2';
SELECT branch_id, since = (current_date - (extract(day FROM current_date)::int - 1)) AS this_month
FROM membership WHERE member_id = 'tb2' ORDER BY since;
-- back again within the month: the same row changes
UPDATE member SET branch_id = 'tb' WHERE member_id = 'tb2';
SELECT branch_id, since = (current_date - (extract(day FROM current_date)::int - 1)) AS this_month
FROM membership WHERE member_id = 'tb2' ORDER BY since;
-- refused when a later transfer is already written
INSERT INTO membership SELECT 'tb2', 'ta', (current_date - (extract(day FROM current_date)::int - 1)) + interval '2 months';
SELECT pg_temp.try($$UPDATE pointsys.member SET branch_id = 'tb' WHERE member_id = 'tb2'$$) LIKE
	'55000 member "tb2" cannot be transferred to branch "tb" from %' AS refused;
DELETE FROM membership WHERE member_id = 'tb2' AND since > current_date;
SELECT member_id, branch_id FROM member WHERE member_id = 'tb2';
RESET ROLE;

------------------------------------------------------------------------
-- 7. the reports by the month's branch
------------------------------------------------------------------------
-- the record form: tx1's months under ta to June, under tb from July
SELECT branch_id, member_id, month, total FROM record_sheet
WHERE member_id LIKE 't%' AND month >= '2017-01-01' AND month < '2018-01-01' ORDER BY 2, 3;
SELECT strpos(h, '转一') > 0 AS lists_tx1 FROM record_sheet_html('ta', 2017, 2) h;
SELECT strpos(h, '转一') > 0 AS lists_tx1 FROM record_sheet_html('ta', 2017, 3) h;
SELECT strpos(h, '转一') > 0 AS lists_tx1 FROM record_sheet_html('tb', 2017, 3) h;
-- the year's results: the branch of December and the year's branches
SELECT member_id, branch_id, branches, q2, q3, assessment, final FROM annual_results
WHERE year = 2017 AND member_id LIKE 't%' ORDER BY 1;
-- rankings: a quarter in the branch of its last month, the year in December's
SELECT member_id, branch_id, quarter, score, branch_rank FROM rankings
WHERE year = 2017 AND member_id LIKE 't%' ORDER BY quarter NULLS LAST, branch_id, member_id;
-- publicity: tb's Q3 (approved) lists tx1; ta2's August is ta's
SET ROLE regress_tb_rec;
SELECT member_id, m1, m2, m3, score, branch_rank, branches FROM publicity('tb', 2017, 3);
SELECT strpos(h, '转一') > 0 AS lists_tx1, strpos(h, '→') > 0 AS shows_transfer
FROM publicity_html('tb', 2017, 3) h;
SELECT pg_temp.try($$SELECT * FROM pointsys.publicity('ta', 2017, 3)$$);
RESET ROLE;
-- a quarter split between two branches: both list the member
SET ROLE regress_t_admin;
SELECT reopen('tb', 2017, 3, '季度中转接'), reopen('ta', 2017, 3, '季度中转接');
INSERT INTO membership VALUES ('tx1', 'ta', '2017-09-01');    -- back to ta for September
SELECT advance('ta', 2017, 3), advance('tb', 2017, 3);
SELECT 'ta' AS branch, member_id, m1, m2, m3, score, branch_rank, branches FROM publicity('ta', 2017, 3)
UNION ALL
SELECT 'tb', member_id, m1, m2, m3, score, branch_rank, branches FROM publicity('tb', 2017, 3)
ORDER BY 1, 2;
SELECT strpos(h, 'tb→ta') > 0 AS shows_transfer FROM publicity_html('ta', 2017, 3) h;
SELECT member_id, branch_id, branches FROM annual_results WHERE year = 2017 AND member_id = 'tx1';
-- final: every recorded quarter verified in its own month's branch (no
-- publicity days, so that the quarters can be filed today)
INSERT INTO setting VALUES ('publicity_days', 0);
INSERT INTO evaluation VALUES ('tx1', 2017, 90);
SELECT advance('ta', 2017, 2);
SELECT advance('ta', 2017, 2);
SELECT advance('ta', 2017, 2);
SELECT advance('ta', 2017, 2);
SELECT advance('ta', 2017, 3);
SELECT advance('ta', 2017, 3);
SELECT advance('ta', 2017, 3);
SELECT member_id, final FROM annual_results WHERE year = 2017 AND member_id = 'tx1';
SELECT advance('tb', 2017, 3);
SELECT advance('tb', 2017, 3);
SELECT advance('tb', 2017, 3);
SELECT member_id, final FROM annual_results WHERE year = 2017 AND member_id = 'tx1';
DELETE FROM setting;
RESET ROLE;
SELECT branch_id, quarter, status FROM period WHERE year = 2017 ORDER BY 1, 2;

------------------------------------------------------------------------
-- 8. the audit trail has the membership rows; the cache of every session
-- follows a transfer (as the recorders saw above)
------------------------------------------------------------------------
SELECT action, old_row, new_row, reason FROM audit
WHERE table_name = 'membership' AND coalesce(new_row, old_row) ->> 'member_id' = 'tx1' ORDER BY audit_id;
SELECT action, old_row ->> 'branch_id' AS old_branch, new_row ->> 'branch_id' AS new_branch FROM audit
WHERE table_name = 'member' AND new_row ->> 'member_id' = 'tx1' AND action = 'UPDATE' ORDER BY audit_id;
SELECT bool_and(r::text = to_jsonb(jsonb_populate_record(NULL::pointsys.membership, r))::text) AS as_to_jsonb
FROM audit a, LATERAL (VALUES (a.old_row), (a.new_row)) v (r)
WHERE a.table_name = 'membership' AND r IS NOT NULL;
-- the rows pointsys writes for a writer's statement are hers (issue 22): a
-- new member's first membership row, the rows of a change of
-- member.branch_id, and member.branch_id following a membership row
SET ROLE regress_t_admin;
INSERT INTO member (member_id, name, branch_id, joined_on) VALUES ('tc9', '丙九', 'ta', '2017-01-01');
UPDATE member SET branch_id = 'tb' WHERE member_id = 'tc9';
INSERT INTO membership VALUES ('tc9', 'ta', date_trunc('month', current_date)::date + interval '1 month');
RESET ROLE;
SELECT table_name, action, actor, acting_as, count(*) FROM audit
WHERE table_name IN ('member', 'membership') AND coalesce(new_row, old_row) ->> 'member_id' = 'tc9'
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2;

------------------------------------------------------------------------
-- 9. a recorder's row security holds her own members (issue 27): 40 more
-- members in each branch; tb's are looked up first, so the 32nd look-up
-- reads every member ever in her branches at once and later ones come
-- from it (tx1 and tc9 through their history); each answer is checked
-- against member.branch_id and branch_of, through a grant of tb's
-- recorder role, its revocation, a recorder row and its deletion
------------------------------------------------------------------------
INSERT INTO member (member_id, name, branch_id)
SELECT 'ts' || b || g, '范围' || b || g, 't' || b FROM (VALUES ('a'), ('b')) v (b), generate_series(1, 40) g;
\set ids 'SELECT ''tsb'' || g FROM generate_series(1, 40) g UNION ALL SELECT ''tsa'' || g FROM generate_series(1, 40) g UNION ALL VALUES (''tx1''), (''tc9''), (''ta2''), (''tb2''), (''nobody'')'
CREATE TEMP TABLE scope_truth AS
SELECT l.id, m.branch_id AS now, branch_of(l.id, '2017-06-01') AS june
FROM (:ids) l (id) LEFT JOIN member m ON m.member_id = l.id;
CREATE TEMP TABLE scope_seen (step int, branches text[], id text, now bool, june bool);
GRANT SELECT, INSERT ON scope_seen TO PUBLIC;
\set seen 'INSERT INTO scope_seen SELECT :step, :branches, l.id, may_record(l.id), may_record(l.id, ''2017-06-01'') FROM (:ids) l (id)'
SET ROLE regress_ta_rec;
\set step 1
\set branches '''{ta}'''
:seen;
RESET ROLE;
GRANT regress_tb_rec TO regress_ta_rec;
SET ROLE regress_ta_rec;
\set step 2
\set branches '''{ta,tb}'''
:seen;
RESET ROLE;
REVOKE regress_tb_rec FROM regress_ta_rec;
SET ROLE regress_ta_rec;
\set step 3
\set branches '''{ta}'''
:seen;
RESET ROLE;
INSERT INTO recorder VALUES ('tb', 'regress_ta_rec', '2017-01-05');
SET ROLE regress_ta_rec;
\set step 4
\set branches '''{ta,tb}'''
:seen;
RESET ROLE;
DELETE FROM recorder WHERE (branch_id, role_name) = ('tb', 'regress_ta_rec');
SET ROLE regress_ta_rec;
\set step 5
\set branches '''{ta}'''
:seen;
RESET ROLE;
SELECT s.step, s.branches, count(*) FILTER (WHERE s.now) AS hers_now, count(*) FILTER (WHERE s.june) AS hers_in_june,
	count(*) FILTER (WHERE s.now IS DISTINCT FROM coalesce(t.now = ANY (s.branches), false)
		OR s.june IS DISTINCT FROM coalesce(t.june = ANY (s.branches), false)) AS wrong
FROM scope_seen s JOIN scope_truth t USING (id) GROUP BY 1, 2 ORDER BY 1;

-- clean up: the ledger rows of 2017 stay (audited); the recorders go
DELETE FROM recorder WHERE role_name IN ('regress_ta_rec', 'regress_tb_rec');
