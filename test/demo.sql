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
