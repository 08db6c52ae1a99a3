-- test/demo.sql: what test/demo.sh shows, in a fresh database of a
-- throwaway cluster.  Files next to this one can be included with \ir
-- (e.g. \ir data/sample_bureau.sql).
\set ON_ERROR_STOP on
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION pointsys;
SET search_path = pointsys, public;

\echo
\echo '== 年度积分与格次  annual total = 0.8 × assessment + 0.2 × democratic, rounded half up'
SELECT a AS "考核积分 assessment", d AS "民主评议 democratic",
       annual_total(a, d) AS "年度积分 total",
       annual_grade(a, d) AS "格次 grade",
       eligibility(annual_grade(a, d)) AS "结果运用 use"
FROM (VALUES (95.5, 96), (89.99, 90.04), (89.99, 90.01), (80, 80.025),
             (75.25, 70), (58, 62)) AS t(a, d);

\echo
\echo '== 四舍五入 each published figure is rounded at its own stage'
\echo '   months 85.5, 85, 85 | 85.5, 85, 85 | 85 ×3 | 85 ×3'
CREATE TEMP TABLE monthly (month date, total numeric);
INSERT INTO monthly
SELECT make_date(2024, m, 1), CASE WHEN m IN (1, 4) THEN 85.5 ELSE 85 END
FROM generate_series(1, 12) AS m;
SELECT extract(quarter FROM month) AS "季度 quarter",
       string_agg(total::text, ', ' ORDER BY month) AS "月度积分 months",
       quarter_avg(total) AS "季考核积分 quarter score"
FROM monthly GROUP BY 1 ORDER BY 1;
SELECT annual_assessment(month, total) AS "年度考核积分 assessment",
       round(avg(total), 2) AS "unrounded mean of months (not used)"
FROM monthly;
SELECT annual_total(annual_assessment(month, total), 90) AS "年度积分 with democratic 90",
       annual_grade(annual_assessment(month, total), 90) AS "格次 grade"
FROM monthly;

\echo
\echo '== 格次边界  grade_of rounds to 0.01 first: a printed 90.00 is always 优秀'
SELECT t AS "total", grade_of(t) AS "格次 grade"
FROM unnest('{59.99, 60, 79.99, 80, 89.99, 89.994, 89.995, 90, 100}'::numeric[]) AS t;

\echo
\echo '== 一票否决  one-vote veto: these sanctions make the year 不合格 whatever the scores'
SELECT k AS "sanction kind", is_veto_sanction(k) AS "vetoes",
       annual_grade(96, 98, is_veto_sanction(k)) AS "grade with 96 / 98"
FROM unnest('{warning, serious_warning, removal_from_post, probation, expulsion, law_violation}'::text[]) AS k;

\echo
\echo '== English labels: SET pointsys.language = en'
SET pointsys.language = 'en';
SELECT g AS grade, eligibility(g)
FROM unnest('{优秀, 良好, 合格, 不合格}'::grade[]) AS g ORDER BY g DESC;
RESET pointsys.language;

\echo
\echo '== 样例局 the sample bureau: 3 branches, 40 members, 2024-2025 (test/data/sample_bureau.sql)'
\ir data/sample_bureau.sql

\echo
\echo '== 年度定级 annual results, 2024 (pointsys.annual_results), first branch'
SELECT r.member_id AS "党员", m.name AS "姓名", q1, q2, q3, q4, months AS "月数",
       assessment AS "考核积分", democratic AS "民主评议", vetoed AS "否决",
       total AS "年度积分", grade AS "格次", eligibility AS "结果运用"
FROM annual_results r JOIN member m USING (member_id)
WHERE r.year = 2024 AND r.branch_id = 'b1'
ORDER BY r.member_id;

\echo
\echo '== 格次分布 grade distribution by branch and year (NULL grade: pending, no democratic score yet)'
SELECT b.name AS "支部", r.year AS "年度",
       count(*) FILTER (WHERE grade = '优秀') AS "优秀",
       count(*) FILTER (WHERE grade = '良好') AS "良好",
       count(*) FILTER (WHERE grade = '合格') AS "合格",
       count(*) FILTER (WHERE grade = '不合格') AS "不合格",
       count(*) FILTER (WHERE grade IS NULL) AS "待定 pending"
FROM annual_results r JOIN branch b USING (branch_id)
GROUP BY b.name, r.branch_id, r.year ORDER BY r.branch_id, r.year;

\echo
\echo '== 特殊情况 members with something to show'
SELECT member_id AS "党员", year AS "年度", months AS "月数", assessment AS "考核积分",
       democratic AS "民主评议", vetoed AS "否决", total AS "年度积分", grade AS "格次"
FROM annual_results
WHERE member_id IN ('m01', 'm05', 'm09', 'm12', 'm13', 'm14', 'm30')
ORDER BY member_id, year;

\echo
\echo '== 奖励封顶 awards are capped at 10 a month: m01, January 2024 (2 + 3 + 5 + 5 = 15 → 10)'
SELECT member_id, month, study, service, innovation, worklist, role, reward, total
FROM monthly_scores WHERE member_id = 'm01' AND month < '2024-04-01' ORDER BY month;

\echo
\echo '== 定级 final or provisional (annual_results.final): a grade is final once every recorded quarter'
\echo '   of its branch is verified (积分核查) and the democratic score is in; none is yet'
SELECT year AS "年度", count(*) FILTER (WHERE final) AS "final", count(*) FILTER (WHERE NOT final) AS "provisional"
FROM annual_results GROUP BY year ORDER BY year;

\echo
\echo '== 排名 rankings (pointsys.rankings), 2024: ties share a rank, vetoed years last, pending unranked'
SELECT k.member_id AS "党员", m.name AS "姓名", k.branch_id AS "支部", k.score AS "年度积分",
       k.vetoed AS "否决", k.branch_rank AS "支部排名", k.bureau_rank AS "全局排名"
FROM rankings k JOIN member m USING (member_id)
WHERE k.year = 2024 AND k.quarter IS NULL AND (k.bureau_rank <= 5 OR k.vetoed)
ORDER BY k.bureau_rank, k.member_id;

\echo
\echo '== 积分管理记录表 the record form (pointsys.record_sheet): items in rulebook order, m01, 2024-Q1'
SELECT member_id AS "党员", name AS "姓名", month AS "月份", points AS "各项得分 (items in rulebook order)",
       award_points AS "奖励加分", reward AS "奖励分", total AS "月度积分"
FROM record_sheet WHERE member_id = 'm01' AND month < '2024-04-01' ORDER BY month;

\echo
\echo '== 公示 publicity: the branch meeting approves 2024-Q1 of b1 (advance), then it is publicized'
SELECT advance('b1', 2024, 1) AS "党员大会评定", advance('b1', 2024, 1) AS "公示";
SELECT member_id AS "党员", name AS "姓名", m1, m2, m3, score AS "季考核积分", branch_rank AS "排名",
       publicity_end - publicity_start AS "公示天数 days"
FROM publicity('b1', 2024, 1) ORDER BY branch_rank, member_id LIMIT 5;
\echo '   filing before the publicity has ended is refused (55000):'
SET client_min_messages = notice;
DO $$
BEGIN
	PERFORM pointsys.advance('b1', 2024, 1);
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	RAISE NOTICE 'refused: %', regexp_replace(SQLERRM, ' until .*', '');
END
$$;
SET client_min_messages = warning;

\echo
\echo '== 一对一帮扶 mentoring: 不合格 member-years without a mentor (pointsys.mentoring_due), 2024'
SELECT d.member_id AS "党员", m.name AS "姓名", d.branch_id AS "支部", d.total AS "年度积分", d.vetoed AS "否决"
FROM mentoring_due d JOIN member m USING (member_id) WHERE d.year = 2024 ORDER BY d.member_id;
INSERT INTO mentoring (member_id, year, mentor_id, assigned_on, note)
VALUES ('m04', 2024, 'm01', '2025-01-15', '每月谈心一次');
SELECT member_id AS "帮扶对象", year AS "年度", mentor_id AS "帮扶人", assigned_on AS "确定日期", note AS "备注"
FROM mentoring;
SELECT count(*) AS "still without a mentor, 2024" FROM mentoring_due WHERE year = 2024;

\echo
\echo '== 对标找差 points needed: m02 has January to June 2023 recorded; with democratic 85, the lowest'
\echo '   monthly total needed in each of the six months left to reach each grade'
INSERT INTO score (member_id, month, item, points)
SELECT 'm02', make_date(2023, mo, 1), i.item, floor(i.max_points * 0.75 / i.step) * i.step
FROM generate_series(1, 6) AS mo, item AS i;
SELECT month AS "月份", total AS "月度积分" FROM monthly_scores
WHERE member_id = 'm02' AND month < '2024-01-01' ORDER BY month LIMIT 2;
SELECT grade AS "格次", monthly_total AS "每月至少 monthly total", status AS "状态"
FROM points_needed('m02', 2023, 85);

\echo
\echo '== 组织关系转接 a transfer: m07 moves from b1 to b2 in July 2025 (pointsys.membership,'
\echo '   pointsys_admin); each month stays with the branch of that month'
INSERT INTO membership (member_id, branch_id, since) VALUES ('m07', 'b2', '2025-07-01');
SELECT member_id AS "党员", branch_id AS "支部", since AS "转入月份" FROM membership
WHERE member_id = 'm07' ORDER BY since;
SELECT member_id AS "党员", branch_id AS "现支部 member.branch_id" FROM member WHERE member_id = 'm07';
SELECT branch_id AS "支部 (the month's)", min(month) AS "from", max(month) AS "to", count(*) AS "months"
FROM record_sheet WHERE member_id = 'm07' AND month >= '2025-01-01' GROUP BY branch_id ORDER BY 2;
SELECT year AS "年度", branch_id AS "支部 (December's)", branches AS "年度所在支部", total AS "年度积分"
FROM annual_results WHERE member_id = 'm07' ORDER BY year;

\echo
\echo '== 打印 printable sheets: one call each prints a standalone A4 HTML page, e.g.'
\echo '     psql -At -c "SELECT pointsys.publicity_html(''b1'', 2024, 1)" > 公示.html'
\echo '     psql -At -c "SELECT pointsys.record_sheet_html(''b1'', 2024, 1)" > 记录表.html'
SELECT length(publicity_html('b1', 2024, 1)) AS "publicity_html characters",
       length(record_sheet_html('b1', 2024, 1)) AS "record_sheet_html characters",
       substr(publicity_html('b1', 2024, 1), 1, 15) AS "begins";

\echo
\echo '== 表格导入 loading from CSV text as Excel and WPS save it (a BOM, CRLF, quoted cells, Chinese'
\echo '   headers, dates 2026/7/1 or 2026年7月1日); from a file in psql:'
\echo '     \\set people `cat 党员.csv`'
\echo '     SELECT * FROM pointsys.import_members(:''people'', dry_run => true);'
\echo '   the bureau loads a branch and its members; the dry run lists every bad row (spreadsheet row,'
\echo '   column header, SQLSTATE, message, detail) and writes nothing:'
SELECT E'\uFEFF支部编号,支部名称\r\nb4,"机关第四党支部, 新设"\r\n' AS branches,
       E'\uFEFF序号,党员编号,姓名,所在支部,入党日期,转出日期\r\n'
       '1,m41,孙丽,b4,2015/7/1,\r\n'
       '2,m42,"钱""小""明",b4,2019年11月20日,\r\n'
       '3,m43,郑凯,b4,2020-02-30,\r\n'
       '4,m41,孙丽,b4,2015/7/1,\r\n'
       '5,m44,冯洁,b9,2022.3.1,\r\n' AS people \gset
SELECT * FROM import_branches(:'branches');
SELECT row_number AS "行", field AS "列", error_code, message, detail FROM import_members(:'people', dry_run => true);
\echo '   corrected and loaded:'
SELECT replace(replace(replace(:'people', '2020-02-30', '2020-02-29'), E'4,m41,孙丽,b4,2015/7/1,\r\n', ''), 'b9', 'b4') AS people \gset
SELECT * FROM import_members(:'people');
SELECT member_id AS "党员", name AS "姓名", branch_id AS "支部", joined_on AS "入党日期" FROM member
WHERE branch_id = 'b4' ORDER BY member_id;
SELECT 'CREATE ROLE demo_clerk LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'demo_clerk') \gexec
SELECT 'GRANT pointsys_recorder TO demo_clerk' WHERE NOT pg_has_role('demo_clerk', 'pointsys_recorder', 'MEMBER') \gexec
SELECT * FROM import_recorders(E'支部编号,记录员,当选日期\r\nb4,demo_clerk,2026年1月6日\r\n');
\echo
\echo '   the recorder of b4 loads January 2026 in the record form''s layout (a column per item, by code'
\echo '   or title, in rulebook order); m43''s role score is over the maximum, m41''s row is there twice:'
SET ROLE demo_clerk;
SELECT pg_catalog.format(E'党员编号,姓名,月份,%s,奖励分,月度积分\r\n', array_to_string(rulebook_items(), ','))
       || E'm41,孙丽,2026年1月,4,4,4,4,4,5,5,5,5,5,5,5,6,3,3,3,20,,90\r\n'
       || E'm42,钱"小"明,2026/1,4,4,4,4,4,5,5,5,5,5,5,5,6,3,3,3,18.5,,88.5\r\n'
       || E'm43,郑凯,2026-01,3,3,3,3,3,4,4,4,4,4,4,4,5,2,2,2,21,,75\r\n'
       || E'm41,孙丽,2026年1月,4,4,4,4,4,5,5,5,5,5,5,5,6,3,3,3,20,,90\r\n' AS sheet \gset
SELECT row_number AS "行", field AS "列", error_code, message, detail FROM import_scores_csv(:'sheet', dry_run => true);
\echo '   corrected and loaded (no row: loaded); the record form reads it back:'
SELECT replace(:'sheet', ',21,,75', ',16,,70') AS sheet \gset
SELECT left(:'sheet', length(:'sheet') - length(E'm41,孙丽,2026年1月,4,4,4,4,4,5,5,5,5,5,5,5,6,3,3,3,20,,90\r\n')) AS sheet \gset
SELECT * FROM import_scores_csv(:'sheet');
SELECT member_id AS "党员", name AS "姓名", month AS "月份", points AS "各项得分", total AS "月度积分"
FROM record_sheet WHERE branch_id = 'b4' ORDER BY member_id;
RESET ROLE;

\echo '== 上报备案 / 积分核查 filed means frozen (doc/filing.md): b2 files 2024-Q1; its digest is kept'
\echo '   and printed on the sheets; an edit around pointsys (replica mode, as a superuser) is found'
INSERT INTO setting VALUES ('publicity_days', 0)
ON CONFLICT (name) DO UPDATE SET value = excluded.value;
SELECT advance('b2', 2024, 1) AS "评定", advance('b2', 2024, 1) AS "公示", advance('b2', 2024, 1) AS "备案";
SELECT branch_id AS "支部", year AS "年度", quarter AS "季度", filing AS "次", digest AS "备案摘要 SHA-256"
FROM filing WHERE branch_id = 'b2';
SELECT substring(record_sheet_html('b2', 2024, 1) FROM '备案摘要[^<]*<b>[^<]*</b>') AS "记录表上的摘要";
SET session_replication_role = replica;
UPDATE score SET points = 20 WHERE member_id = 'm02' AND month = '2024-02-01' AND item = 'role';
RESET session_replication_role;
SELECT branch_id AS "支部", year AS "年度", quarter AS "季度", status AS "状态",
       left(filed_digest, 16) AS "备案摘要", left(current_digest, 16) AS "当前摘要"
FROM filing_mismatches;
SELECT d->>'table' AS "表", d->'key' AS "行", d->'audited'->'points' AS "审计记录", d->'current'->'points' AS "现值"
FROM verify_quarter('b2', 2024, 1) v, jsonb_array_elements(v.differences) d;
\echo '   the audit trail''s chain: sealed twice; its head (verify_audit().head_link, different in every'
\echo '   database) is what the bureau keeps outside'
SELECT seal_audit() >= 0 AS "标记", seal_audit() > 0 AS "封存";
SELECT batches AS "批次", sealed AS "已封存", length(head_link) AS "链头长度",
       first_break IS NULL AS "链完整" FROM verify_audit();

\echo
\echo '== 民主评议 the democratic appraisal: b3 appraises 2025 with paper ballots (测评票, pointsys.appraisal_round).'
\echo '   Its quarters of 2025 are verified first, so the typed-in democratic scores give final grades:'
SELECT q AS "季度", advance('b3', 2025, q) AS "评定", advance('b3', 2025, q) AS "公示",
       advance('b3', 2025, q) AS "备案", advance('b3', 2025, q) AS "核查"
FROM generate_series(1, 4) AS q;
CREATE TEMP TABLE typed_in AS
SELECT member_id, democratic, total, grade, final FROM annual_results WHERE branch_id = 'b3' AND year = 2025;
SELECT 'CREATE ROLE demo_b3_clerk LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'demo_b3_clerk') \gexec
SELECT 'GRANT pointsys_recorder TO demo_b3_clerk' WHERE NOT pg_has_role('demo_b3_clerk', 'pointsys_recorder', 'MEMBER') \gexec
INSERT INTO recorder VALUES ('b3', 'demo_b3_clerk', '2025-01-06');
\echo '   the recorder opens the round (12 ballots issued) and prints the 测评票 (no voter''s name on it):'
\echo '     psql -At -c "SELECT pointsys.appraisal_ballot_html(''b3'', 2025)" > 测评票.html'
SET ROLE demo_b3_clerk;
INSERT INTO appraisal_round (branch_id, year, ballots_issued) VALUES ('b3', 2025, 12);
SELECT appraisal_members('b3', 2025) AS "评议对象 members appraised (m09 left in June: still b3's)";
SELECT (SELECT count(*) FROM regexp_matches(s, '<tr><td>\d+</td>', 'g')) AS "测评票 rows",
       (SELECT bool_and(position(html_escape(m.name) IN s) > 0) FROM member m
        WHERE m.member_id = ANY (appraisal_members('b3', 2025))) AS "every name on it",
       s ~ '优秀</th><th[^>]*>合格</th><th[^>]*>基本合格</th><th[^>]*>不合格' AS "four boxes a name"
FROM appraisal_ballot_html('b3', 2025) AS s;
\echo '   the tellers (计票人) count 11 ballots returned: for each member the votes for 优秀, 合格, 基本合格,'
\echo '   不合格, and the ballots spoilt for her; the round closes (weights 100/80/60/0, quorum: more than'
\echo '   50 % of the ballots issued valid) and each score replaces the typed-in one:'
INSERT INTO appraisal_tally (branch_id, year, member_id, excellent, qualified, basically_qualified, unqualified, spoilt)
VALUES ('b3', 2025, 'm03', 9, 2, 0, 0, 0), ('b3', 2025, 'm06', 5, 5, 1, 0, 0), ('b3', 2025, 'm09', 0, 8, 2, 0, 1),
       ('b3', 2025, 'm12', 0, 3, 5, 2, 1), ('b3', 2025, 'm15', 7, 4, 0, 0, 0), ('b3', 2025, 'm18', 4, 6, 1, 0, 0),
       ('b3', 2025, 'm21', 2, 8, 1, 0, 0), ('b3', 2025, 'm24', 6, 5, 0, 0, 0), ('b3', 2025, 'm27', 3, 7, 0, 0, 1),
       ('b3', 2025, 'm30', 8, 3, 0, 0, 0), ('b3', 2025, 'm33', 1, 9, 1, 0, 0), ('b3', 2025, 'm36', 5, 6, 0, 0, 0),
       ('b3', 2025, 'm39', 0, 6, 3, 1, 1);
UPDATE appraisal_round SET ballots_returned = 11, status = 'closed' WHERE branch_id = 'b3' AND year = 2025;
SELECT member_id AS "党员", name AS "姓名", excellent AS "优秀", qualified AS "合格", basically_qualified AS "基本合格",
       unqualified AS "不合格", spoilt AS "废票", valid AS "有效票", score AS "得分", status AS "状态"
FROM appraisal_results WHERE branch_id = 'b3' AND year = 2025 ORDER BY member_id;
\echo '   the results are posted (民主评议结果公示, appraisal_results_html) and, after the publicity days'
\echo '   (0 here), made final:'
UPDATE appraisal_round SET status = 'publicized' WHERE branch_id = 'b3' AND year = 2025;
SELECT regexp_replace(m[1], '\d+年\d+月\d+日', '(today)') AS "appraisal_results_html('b3', 2025)"
FROM regexp_matches(appraisal_results_html('b3', 2025), '<p class="meta">([^<]*)</p>', 'g') AS m;
RESET ROLE;
SELECT count(*) FILTER (WHERE final) AS "final", count(*) FILTER (WHERE NOT final) AS "provisional (publicized)"
FROM annual_results WHERE branch_id = 'b3' AND year = 2025;
SET ROLE demo_b3_clerk;
UPDATE appraisal_round SET status = 'final' WHERE branch_id = 'b3' AND year = 2025;
RESET ROLE;
\echo '   the annual results of b3, 2025, before (typed in) and after the round:'
SELECT r.member_id AS "党员", t.democratic AS "民主评议 before", r.democratic AS "after",
       t.total AS "年度积分 before", r.total AS "after", t.grade AS "格次 before", r.grade AS "after",
       t.final AS "final before", r.final AS "after"
FROM annual_results r JOIN typed_in t USING (member_id)
WHERE r.branch_id = 'b3' AND r.year = 2025 ORDER BY r.member_id;

\echo
\echo '== 电子投票 an electronic round: b4 appraises 2026 on screens; its recorder prints one-time codes'
\echo '   (a code is shown once: pointsys keeps its SHA-256); a voting screen''s login (pointsys_voter)'
\echo '   casts two ballots with two of them; a ballot carries nothing of its voter'
SELECT 'CREATE ROLE demo_screen LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'demo_screen') \gexec
SELECT 'GRANT pointsys_voter TO demo_screen' WHERE NOT pg_has_role('demo_screen', 'pointsys_voter', 'MEMBER') \gexec
SET ROLE demo_clerk;
INSERT INTO appraisal_round (branch_id, year, ballots_issued, electronic) VALUES ('b4', 2026, 3, true);
SELECT codes[1] AS code1, codes[2] AS code2, cardinality(codes) AS codes
FROM (SELECT issue_codes('b4', 2026, 3) AS codes) AS c \gset
SELECT :codes AS "codes printed";
RESET ROLE;
-- a ballot is refused while the server logs statements (it would stand
-- beside its session's user in the log)
SET log_statement = none;
SET ROLE demo_screen;
SELECT member_id AS "党员", name AS "姓名" FROM ballot_form('b4', 2026);
SELECT count(*) AS "ballots cast"
FROM (VALUES ('{"m41": "excellent", "m42": "qualified", "m43": "qualified", "m44": "excellent"}'::jsonb, :'code1'),
             ('{"m41": "excellent", "m42": "excellent", "m43": "basically_qualified", "m44": "qualified"}', :'code2'))
     AS b(marks, code),
     LATERAL cast_ballot('b4', 2026, b.marks, b.code);
\echo '   the same code again is refused (28000):'
SET demo.code = :'code1';
SET client_min_messages = notice;
DO $$
BEGIN
	PERFORM pointsys.cast_ballot('b4', 2026, '{"m41": "unqualified"}', current_setting('demo.code'));
EXCEPTION WHEN invalid_authorization_specification THEN
	RAISE NOTICE 'refused: %', SQLERRM;
END
$$;
SET client_min_messages = warning;
RESET ROLE;
RESET log_statement;
RESET demo.code;
\echo '   the recorder ends the vote (committed before the count: doc/appraisal.md), then closes the round:'
SET ROLE demo_clerk;
UPDATE appraisal_round SET voting_ended = true WHERE branch_id = 'b4' AND year = 2026;
UPDATE appraisal_round SET status = 'closed' WHERE branch_id = 'b4' AND year = 2026;
SELECT ballots_issued AS "发出", ballots_returned AS "收回 (counted)" FROM appraisal_round WHERE branch_id = 'b4';
SELECT member_id AS "党员", excellent AS "优秀", qualified AS "合格", basically_qualified AS "基本合格",
       unqualified AS "不合格", valid AS "有效票", score AS "得分"
FROM appraisal_results WHERE branch_id = 'b4' ORDER BY member_id;
SELECT marks AS "电子测评票 appraisal_ballots: sorted, no voter"
FROM appraisal_ballots WHERE branch_id = 'b4';
RESET ROLE;
