--
-- paperwork: the branch's documents and the use of results (issue 14):
-- final grades, rankings, the record form, publicity, mentoring, points
-- needed, printable sheets; refusals as the real roles.  Year 2019, which
-- no other test uses, so that the bureau ranks below are this file's.
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

-- the fixture's roles: regress_wa_rec and regress_wb_rec (pointsys_recorder)
-- for branches wa and wb, regress_w_admin (pointsys_admin) the bureau party
-- group, regress_w_reader (pointsys_reader) a reporting tool

INSERT INTO branch VALUES ('wa', '文书甲支部'), ('wb', '文书乙支部');
INSERT INTO member (member_id, name, branch_id, joined_on) VALUES
	('wa1', '甲"一"<b>&', 'wa', NULL), ('wa2', '甲二', 'wa', NULL), ('wa3', '甲三', 'wa', NULL),
	('wa4', '甲四', 'wa', NULL), ('wa5', '甲五', 'wa', NULL), ('wa6', '甲六', 'wa', '2020-03-01'),
	('wb1', '乙一', 'wb', NULL);
INSERT INTO recorder VALUES ('wa', 'regress_wa_rec', '2019-01-05'), ('wb', 'regress_wb_rec', '2019-01-05');

-- wa1: every item at its maximum (90) all year, and in January awards
-- 5 + 5 + 2 = 12, capped at 10: January 100.  wa2, wa5: 80 a month (role
-- 10 of 20).  wa3: 80 from January to June only.  wa4: role 20 only, 20 a
-- month.  wb1: 90 a month.
INSERT INTO score (member_id, month, item, points)
SELECT m.member_id, pg_catalog.make_date(2019, mo, 1), i.item,
	   CASE WHEN m.member_id IN ('wa2', 'wa3', 'wa5') AND i.item = 'role' THEN 10 ELSE i.max_points END
FROM (VALUES ('wa1'), ('wa2'), ('wa3'), ('wa5'), ('wb1')) m(member_id),
	 generate_series(1, 12) mo, item i
WHERE NOT (m.member_id = 'wa3' AND mo > 6);
INSERT INTO score (member_id, month, item, points)
SELECT 'wa4', pg_catalog.make_date(2019, mo, 1), 'role', 20 FROM generate_series(1, 12) mo;
INSERT INTO award (member_id, month, kind) VALUES
	('wa1', '2019-01-10', 'major_contribution'), ('wa1', '2019-01-20', 'major_contribution'),
	('wa1', '2019-01-30', 'county');
INSERT INTO sanction (member_id, kind, effective_on, lifted_on) VALUES ('wa5', 'probation', '2019-02-01', '2020-02-01');
INSERT INTO evaluation VALUES ('wa1', 2019, 95), ('wa2', 2019, 90), ('wa4', 2019, 80), ('wa5', 2019, 90),
	('wb1', 2019, 85);

------------------------------------------------------------------------
-- 1. the record form: items in rulebook order, the reward capped
------------------------------------------------------------------------
SELECT items FROM record_sheet WHERE member_id = 'wa1' AND month = '2019-01-01';
SELECT member_id, month, points, award_points, reward, total
FROM record_sheet WHERE member_id IN ('wa1', 'wa4') AND month <= '2019-02-01' ORDER BY 1, 2;
-- a recorder's form shows her branches only
SET ROLE regress_wb_rec;
SELECT branch_id, count(*) FROM record_sheet WHERE month >= '2019-01-01' AND month < '2020-01-01' GROUP BY 1;
RESET ROLE;

------------------------------------------------------------------------
-- 2. final or provisional: nothing is verified yet
------------------------------------------------------------------------
SELECT member_id, assessment, democratic, vetoed, total, grade, final
FROM annual_results WHERE year = 2019 ORDER BY member_id;

------------------------------------------------------------------------
-- 3. rankings: ties share a rank (1, 2, 2, 2, 5); the vetoed year last;
-- wa3's pending year unranked
------------------------------------------------------------------------
SELECT member_id, branch_id, score, branch_rank, bureau_rank
FROM rankings WHERE year = 2019 AND quarter = 1 ORDER BY bureau_rank, member_id;
SELECT member_id, branch_id, score, vetoed, branch_rank, bureau_rank
FROM rankings WHERE year = 2019 AND quarter IS NULL ORDER BY bureau_rank, member_id;
SET ROLE regress_w_reader;
SELECT count(*) FROM rankings WHERE year = 2019;
RESET ROLE;
SET ROLE regress_wa_rec;
SELECT pg_temp.try($$SELECT * FROM pointsys.rankings$$);
RESET ROLE;

------------------------------------------------------------------------
-- 4. publicity (公示)
------------------------------------------------------------------------
SET ROLE regress_wa_rec;
-- not approved yet
SELECT pg_temp.try($$SELECT * FROM pointsys.publicity('wa', 2019, 1)$$);
SELECT pg_temp.try($$SELECT pointsys.publicity_html('wa', 2019, 1)$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.publicity('wa', 2019, 5)$$);
SELECT advance('wa', 2019, 1);
SELECT * FROM publicity('wa', 2019, 1);
SELECT advance('wa', 2019, 1);
SELECT member_id, branch_rank, status,
	   publicity_start = (now() AT TIME ZONE 'Asia/Shanghai')::date AS started_today,
	   publicity_end - publicity_start + 1 AS days
FROM publicity('wa', 2019, 1) ORDER BY member_id;
-- publicity_end is the last day of publicity, the day the printed list
-- names; period.publicity_end is the day after (the quarter may be filed)
SELECT DISTINCT p.publicity_end + 1 = d.publicity_end AS day_after,
	   strpos(publicity_html('wa', 2019, 1),
			  '至' || to_char(p.publicity_end, 'YYYY年FMMM月FMDD日') || '。') > 0 AS printed
FROM publicity('wa', 2019, 1) p, period d
WHERE d.branch_id = 'wa' AND d.year = 2019 AND d.quarter = 1;
-- the printed sheets use one number format: every figure with two decimals
-- (a monthly total 89.50 beside a quarter score 87.50; the rank is a count)
SELECT 'record form' AS sheet, count(*) AS figures, bool_and(m[1] ~ '^[0-9]+\.[0-9]{2}$') AS two_decimals
FROM regexp_matches(record_sheet_html('wa', 2019, 1), '<td>(?:<b>)?([0-9][0-9.]*)(?:</b>)?</td>', 'g') AS m
UNION ALL
SELECT 'publicity', count(*), bool_and(m[1] ~ '^[0-9]+\.[0-9]{2}$')
FROM regexp_matches(publicity_html('wa', 2019, 1), '(?<=</td>)<td>(?:<b>)?([0-9][0-9.]*)(?:</b>)?</td>', 'g') AS m;
-- filing waits for the end of publicity, advance() or UPDATE alike
SELECT pg_temp.try($$SELECT pointsys.advance('wa', 2019, 1)$$) LIKE '55000 quarter 2019-Q1 of branch "wa" is still in publicity until %' AS refused;
SELECT pg_temp.try($$UPDATE pointsys.period SET status = 'filed' WHERE branch_id = 'wa' AND year = 2019 AND quarter = 1$$) LIKE '55000 %' AS refused;
-- the dates are pointsys's: an update of them is ignored
UPDATE period SET publicity_start = '2000-01-01', publicity_end = '2000-01-06'
WHERE branch_id = 'wa' AND year = 2019 AND quarter = 1;
SELECT publicity_end - publicity_start AS days, publicity_start > '2000-01-01' AS kept
FROM period WHERE branch_id = 'wa' AND year = 2019 AND quarter = 1;
-- the recorders of other branches may not read it
RESET ROLE;
SET ROLE regress_wb_rec;
SELECT pg_temp.try($$SELECT * FROM pointsys.publicity('wa', 2019, 1)$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.publicity('nope', 2019, 1)$$);
-- nor a voter (pointsys_voter: the schema, not the documents): the same
-- refusal, naming no function
RESET ROLE;
SET ROLE regress_voter1;
SELECT pg_temp.try($$SELECT * FROM pointsys.publicity('wa', 2019, 1)$$);
RESET ROLE;
SET ROLE regress_w_admin;
SELECT pg_temp.try($$SELECT * FROM pointsys.publicity('nope', 2019, 1)$$);
RESET ROLE;
-- the publicity length is the bureau's: admin only, 0 to 60 days
SET ROLE regress_wa_rec;
SELECT pg_temp.try($$INSERT INTO pointsys.setting VALUES ('publicity_days', 0)$$);
RESET ROLE;
SET ROLE regress_w_admin;
SELECT pg_temp.try($$INSERT INTO pointsys.setting VALUES ('publicity_days', 61)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.setting VALUES ('holidays', 3)$$);
INSERT INTO setting VALUES ('publicity_days', 0);
-- a reopened quarter's publicity starts again
SELECT reopen('wa', 2019, 1, '公示期调整');
SELECT publicity_start, publicity_end FROM period WHERE branch_id = 'wa' AND year = 2019 AND quarter = 1;
RESET ROLE;
SET ROLE regress_wa_rec;
SELECT advance('wa', 2019, 1), advance('wa', 2019, 1), advance('wa', 2019, 1);
SELECT status, publicity_end = publicity_start AS no_wait
FROM period WHERE branch_id = 'wa' AND year = 2019 AND quarter = 1;
-- the year's list waits for every quarter's approval and every democratic score
SELECT pg_temp.try($$SELECT * FROM pointsys.annual_publicity('wa', 2019)$$);
RESET ROLE;
SET ROLE regress_w_admin;
SELECT pg_temp.try($$SELECT * FROM pointsys.annual_publicity('wa', 2019)$$);
INSERT INTO evaluation VALUES ('wa3', 2019, 90);
SELECT pg_temp.try($$SELECT * FROM pointsys.annual_publicity('wa', 2019)$$);
-- every quarter of wa and wb approved, then verified
SELECT b, q, advance(b, 2019, q), advance(b, 2019, q), advance(b, 2019, q)
FROM (VALUES ('wa'), ('wb')) v(b), generate_series(1, 4) q WHERE NOT (b = 'wa' AND q = 1);
SELECT * FROM annual_publicity('wa', 2019);
SELECT member_id, final FROM annual_results WHERE year = 2019 ORDER BY member_id;
SELECT b, q, advance(b, 2019, q) FROM (VALUES ('wa'), ('wb')) v(b), generate_series(1, 4) q ORDER BY 1, 2;
-- final: every recorded quarter verified and the democratic score in
SELECT member_id, total, grade, final FROM annual_results WHERE year = 2019 ORDER BY member_id;
RESET ROLE;

------------------------------------------------------------------------
-- 5. mentoring (一对一帮扶)
------------------------------------------------------------------------
SELECT member_id, branch_id, total, vetoed, final FROM mentoring_due WHERE year = 2019 ORDER BY 1;
SET ROLE regress_wa_rec;
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('wa4', 2019, 'wa4')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('wa4', 2019, 'wa5')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('wa4', 2019, 'wa6')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('wa2', 2019, 'wa1')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('wa4', 2019, 'zz')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id, assigned_on) VALUES ('wa4', 2019, 'wa1', '2020-01-10')$$);
-- at most one mentee a year unless the bureau says otherwise
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id, assigned_on) VALUES ('wa5', 2019, 'wa1', '2020-01-10')$$);
SELECT pg_temp.try($$UPDATE pointsys.setting SET value = 2$$);
RESET ROLE;
SET ROLE regress_w_admin;
INSERT INTO setting VALUES ('mentees_per_mentor', 2);
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id, assigned_on) VALUES ('wa5', 2019, 'wa1', '2020-01-10')$$);
RESET ROLE;
-- recorders see and write their branches' mentoring only
SET ROLE regress_wb_rec;
SELECT count(*) FROM mentoring;
SELECT pg_temp.try($$UPDATE pointsys.mentoring SET ended_on = '2020-12-31'$$), (SELECT count(*) FROM pointsys.mentoring WHERE ended_on IS NOT NULL) AS ended;
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('wa4', 2019, 'wb1')$$);
-- row security first: nothing is told of another branch's grades
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('wa2', 2019, 'wb1')$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.mentoring_due$$);
RESET ROLE;
SET ROLE regress_wa_rec;
SELECT pg_temp.try($$UPDATE pointsys.mentoring SET ended_on = '2019-12-31' WHERE member_id = 'wa4'$$);
UPDATE mentoring SET ended_on = '2020-12-31', note = '帮扶结束' WHERE member_id = 'wa4';
SELECT member_id, year, mentor_id, assigned_on, ended_on, note, recorded_by FROM mentoring ORDER BY 1;
RESET ROLE;
SELECT count(*) FROM mentoring_due WHERE year = 2019;
-- audited like every ledger table
SELECT acting_as, action, coalesce(new_row, old_row) ->> 'member_id' AS member_id, new_row ->> 'ended_on' AS ended_on
FROM audit WHERE table_name = 'mentoring' ORDER BY audit_id;
SELECT action, new_row ->> 'name' AS name, new_row ->> 'value' AS value
FROM audit WHERE table_name = 'setting' ORDER BY audit_id;

------------------------------------------------------------------------
-- 6. points needed (对标找差).  wa3 has 80 from January to June; with x in
-- each of the six open months, Q3 = Q4 = x, assessment = 40 + x/2 and
-- total = 0.8 x assessment + 0.2 x 90.  优秀 needs assessment 90.00: x =
-- 99.99 (40 + 49.995 → 90.00); 良好 77.50: x = 74.99; 合格 52.50: x = 24.99.
------------------------------------------------------------------------
SELECT * FROM points_needed('wa3', 2019, 90);
-- one step below each answer falls short
SELECT projected_grade('{2019-01-01}', '{80}', '{2019-07-01}', 99.98, 90) AS below_99_99;
SELECT g.grade, g.monthly_total,
	   projected_grade(m.months, m.totals, m.open, g.monthly_total, 90) AS reached,
	   projected_grade(m.months, m.totals, m.open, g.monthly_total - 0.01, 90) AS one_below
FROM points_needed('wa3', 2019, 90) g,
	 (SELECT array_agg(month ORDER BY month) AS months, array_agg(total ORDER BY month) AS totals,
			 (SELECT array_agg(make_date(2019, mo, 1)) FROM generate_series(7, 12) mo) AS open
	  FROM monthly_scores WHERE member_id = 'wa3') m
WHERE g.status = 'needed';
-- a year fully recorded: secured or out of reach; the recorded democratic score
SELECT * FROM points_needed('wa1', 2019);
SELECT * FROM points_needed('wa4', 2019, 100);
-- vetoed: nothing above 不合格
SELECT * FROM points_needed('wa5', 2019, 100);
SELECT pg_temp.try($$SELECT * FROM pointsys.points_needed('wa3', 2019, 101)$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.points_needed('wb1', 2020)$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.points_needed('zz', 2019, 90)$$);
-- not for recorders: it reads the veto (sanctions), even of their own members
SET ROLE regress_wa_rec;
SELECT pg_temp.try($$SELECT * FROM pointsys.points_needed('wa3', 2019, 90)$$);
RESET ROLE;

------------------------------------------------------------------------
-- 7. printable sheets: one call each, escaped, A4
------------------------------------------------------------------------
SET ROLE regress_wa_rec;
SELECT strpos(h, '<!DOCTYPE html>') = 1 AS doctype, strpos(h, 'size:A4 landscape') > 0 AS a4_landscape,
	   strpos(h, '党员积分管理记录表') > 0 AS title, strpos(h, '文书甲支部') > 0 AS branch,
	   strpos(h, '甲&quot;一&quot;&lt;b&gt;&amp;') > 0 AS escaped, strpos(h, '<b>&') = 0 AS no_raw_name,
	   strpos(h, '积极参加组织安排的学习培训活动') > 0 AS item_title,
	   (length(h) - length(replace(h, '<tr><td class="nw">', ''))) / length('<tr><td class="nw">') AS rows
FROM record_sheet_html('wa', 2019, 1) h;
SELECT strpos(h, 'size:A4;') > 0 AS a4, strpos(h, '党员积分公示') > 0 AS title,
	   strpos(h, '甲&quot;一&quot;&lt;b&gt;&amp;') > 0 AS escaped, strpos(h, '93.33') > 0 AS score,
	   (length(h) - length(replace(h, '<tr><td>', ''))) / length('<tr><td>') AS rows
FROM publicity_html('wa', 2019, 1) h;
SELECT strpos(record_sheet_html('wa', 2018, 1), '本季度尚无记录') > 0 AS empty_quarter;
RESET ROLE;
SET ROLE regress_wb_rec;
SELECT pg_temp.try($$SELECT pointsys.record_sheet_html('wa', 2019, 1)$$);
SELECT pg_temp.try($$SELECT pointsys.record_sheet_html('wb', 2019, 0)$$);
RESET ROLE;
SELECT html_escape('<a href="x">R&D''s</a>');

-- the reporting tool reads every branch's documents and writes nothing
SET ROLE regress_w_reader;
SELECT (SELECT count(*) FROM publicity('wa', 2019, 1)) AS publicity,
	   (SELECT count(*) FROM annual_publicity('wa', 2019)) AS annual,
	   (SELECT count(*) FROM mentoring WHERE year = 2019) AS mentoring,
	   (SELECT count(*) FROM points_needed('wb1', 2019)) AS points_needed,
	   length(publicity_html('wb', 2019, 4)) > 0 AS sheet;
SELECT pg_temp.try($$INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('wa2', 2019, 'wb1')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.setting VALUES ('mentees_per_mentor', 3)$$);
RESET ROLE;

-- clean up: the ledger rows of 2019 stay (audited); the settings and the recorders go
DELETE FROM setting;
DELETE FROM recorder WHERE role_name IN ('regress_wa_rec', 'regress_wb_rec');
