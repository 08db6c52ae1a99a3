--
-- ledger_reports: the views and table-reading functions on the sample
-- bureau (test/data/sample_bureau.sql), checked against figures worked out
-- by hand and against an independent recomputation in plain SQL
--
\i test/data/fixture.sql
SET search_path = pointsys, public;
\set ON_ERROR_STOP on
\i test/data/sample_bureau.sql
\unset ON_ERROR_STOP

-- the views' columns, in order (a contract: doc/contract.md §2)
SELECT table_name, string_agg(column_name, ', ' ORDER BY ordinal_position) AS columns
FROM information_schema.columns
WHERE table_schema = 'pointsys'
  AND table_name IN ('monthly_scores', 'quarterly_scores', 'annual_results')
GROUP BY table_name ORDER BY table_name;
-- the published figures are typed with two decimals (1.3), so drivers
-- report scale 2 (JDBC getScale, ODBC SQL_DESC_SCALE)
SELECT table_name, column_name, format_type(a.atttypid, a.atttypmod) AS type
FROM information_schema.columns c
JOIN pg_attribute a ON a.attrelid = ('pointsys.' || c.table_name)::regclass AND a.attname = c.column_name
WHERE table_schema = 'pointsys'
  AND table_name IN ('monthly_scores', 'quarterly_scores', 'annual_results')
  AND data_type = 'numeric'
ORDER BY table_name, ordinal_position;
-- every figure of every other view and of the paperwork functions' rows
-- (their row types) has a declared scale too (issue 24)
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relnamespace = 'pointsys'::regnamespace AND c.relkind IN ('v', 'c') AND a.attnum > 0
  AND a.atttypid IN ('numeric'::regtype, 'numeric[]'::regtype)
  AND c.relname NOT IN ('monthly_scores', 'quarterly_scores', 'annual_results')
ORDER BY 1, a.attnum;
-- functions whose declared result columns are numeric lose any scale
-- (PostgreSQL keeps no typmod there): only the C helpers behind the views,
-- which round to 0.01 themselves, are left
SELECT DISTINCT p.oid::regprocedure AS unscaled_result
FROM pg_proc p, unnest(p.proallargtypes, p.proargmodes) AS u(t, m)
WHERE p.pronamespace = 'pointsys'::regnamespace AND u.m IN ('o', 't') AND u.t = 'numeric'::regtype
ORDER BY 1;

-- m01, 2024, by hand.  Every item at its maximum every month: 20 + 20 + 15
-- + 15 + 20 = 90 scored.  January also has awards 2 + 3 + 5 + 5 = 15,
-- capped at 10, so January is 100 and every other month 90.
--   Q1 = (100 + 90 + 90) / 3 = 93.333... → 93.33;  Q2 = Q3 = Q4 = 90.00
--   assessment = (93.33 + 90 + 90 + 90) / 4 = 90.8325 → 90.83
--   total = 0.8 × 90.83 + 0.2 × 95 = 72.664 + 19 = 91.664 → 91.66 → 优秀
SELECT month, study, service, innovation, worklist, role, reward, total
FROM monthly_scores WHERE member_id = 'm01' AND month < '2024-03-01' ORDER BY month;
SELECT * FROM quarterly_scores WHERE member_id = 'm01' AND year = 2024 ORDER BY quarter;
SELECT * FROM annual_results WHERE member_id = 'm01' AND year = 2024;
-- the use of results in words follows pointsys.language, like the grade
SELECT grade, eligibility, eligibility_label FROM annual_results
WHERE grade IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1;
SET pointsys.language = 'en';
SELECT grade, eligibility, eligibility_label FROM annual_results
WHERE grade IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1;
RESET pointsys.language;
SELECT monthly_score('m01', '2024-01-31') AS january, monthly_score('m01', '2023-12-01') AS nothing,
       quarter_score('m01', 2024, 1) AS q1, quarter_score('m01', 2023, 1) AS no_q,
       annual_grade('m01', 2024) AS grade, is_vetoed('m01', 2024) AS vetoed;
SELECT quarter_score('m01', 2024, 5);

-- m05 joined on 2024-05-15: 2024 has 8 months; Q1 is missing (not a zero),
-- Q2 averages May and June only, and the year averages Q2..Q4.
SELECT quarter, months FROM quarterly_scores WHERE member_id = 'm05' AND year = 2024 ORDER BY quarter;
SELECT q1 IS NULL AS q1_missing, months,
       assessment = round((q2 + q3 + q4) / 3, 2) AS mean_of_three_quarters
FROM annual_results WHERE member_id = 'm05' AND year = 2024;
SELECT q2 = (SELECT round(avg(total), 2) FROM monthly_scores
             WHERE member_id = 'm05' AND month IN ('2024-05-01', '2024-06-01')) AS q2_is_may_june
FROM annual_results WHERE member_id = 'm05' AND year = 2024;

-- m09 left on 2025-06-30: 2025 has 6 months, Q3 and Q4 missing
SELECT year, months, q3, q4 FROM annual_results WHERE member_id = 'm09' ORDER BY year;

-- vetoes: m12's probation [2024-03-01, 2025-01-01) touches 2024 only (lifted
-- on 1 January 2025); m13's removal [2023-06-01, 2024-01-02) touches 2024
-- (lifted on 2 January); m14's warning never vetoes
SELECT member_id, year, vetoed, total, grade, eligibility, is_vetoed(member_id, year) AS is_vetoed
FROM annual_results WHERE member_id IN ('m12', 'm13', 'm14') ORDER BY member_id, year;

-- pending: no democratic score for m30 and m31 in 2025
SELECT member_id, year, democratic, vetoed, total, grade, eligibility
FROM annual_results WHERE grade IS NULL ORDER BY member_id;

-- a vetoed year without a democratic score is still 0 and 不合格
DELETE FROM evaluation WHERE member_id = 'm12' AND year = 2024;
SELECT member_id, year, democratic, total, grade FROM annual_results WHERE member_id = 'm12' AND year = 2024;
INSERT INTO evaluation VALUES ('m12', 2024, 75);

-- an award under the cap counts in full (m20: one award of 5)
SELECT month, reward FROM monthly_scores WHERE member_id = 'm20' AND reward > 0;

-- the grade distribution of the sample bureau
SELECT year, grade, count(*) FROM annual_results GROUP BY year, grade ORDER BY year, grade;

-- an independent recomputation, in plain SQL from the tables, of every
-- annual result: round() of numeric rounds half away from zero, exactly
WITH month_totals AS (
    SELECT member_id, month, sum(points) AS scored, 0 AS awards
    FROM score GROUP BY member_id, month
    UNION ALL
    SELECT a.member_id, a.month, 0, sum(k.points)
    FROM award a JOIN award_kind k USING (kind) GROUP BY a.member_id, a.month
), months AS (
    SELECT member_id, month, sum(scored) + least(sum(awards), 10) AS total
    FROM month_totals GROUP BY member_id, month
), quarters AS (
    SELECT member_id, extract(year FROM month)::int AS year,
           extract(quarter FROM month)::int AS quarter,
           round(avg(total), 2) AS score, count(*) AS months
    FROM months GROUP BY 1, 2, 3
), years AS (
    SELECT member_id, year, round(avg(score), 2) AS assessment, sum(months) AS months
    FROM quarters GROUP BY 1, 2
), expected AS (
    SELECT y.member_id, y.year, y.months, y.assessment, e.democratic,
           EXISTS (SELECT FROM sanction s
                   WHERE s.member_id = y.member_id
                     AND s.kind IN ('removal_from_post', 'probation', 'law_violation')
                     AND s.effective_on < make_date(y.year + 1, 1, 1)
                     AND (s.lifted_on IS NULL OR s.lifted_on > make_date(y.year, 1, 1))) AS vetoed
    FROM years y LEFT JOIN evaluation e USING (member_id, year)
), graded AS (
    SELECT *, CASE WHEN vetoed THEN 0 ELSE round(0.8 * assessment + 0.2 * democratic, 2) END AS total
    FROM expected
)
SELECT count(*) AS mismatches FROM (
    (SELECT member_id, year, months, assessment, democratic, vetoed, total,
            CASE WHEN total IS NULL THEN NULL
                 WHEN total >= 90 THEN '优秀' WHEN total >= 80 THEN '良好'
                 WHEN total >= 60 THEN '合格' ELSE '不合格' END AS grade
     FROM graded
     EXCEPT
     SELECT member_id, year, months, assessment, democratic, vetoed, total, grade::text
     FROM annual_results)
    UNION ALL
    (SELECT member_id, year, months, assessment, democratic, vetoed, total, grade::text
     FROM annual_results
     EXCEPT
     SELECT member_id, year, months, assessment, democratic, vetoed, total,
            CASE WHEN total IS NULL THEN NULL
                 WHEN total >= 90 THEN '优秀' WHEN total >= 80 THEN '良好'
                 WHEN total >= 60 THEN '合格' ELSE '不合格' END
     FROM graded)
) AS diff;
SELECT count(*) AS rows FROM annual_results;

-- quarterly_scores agrees with the quarter columns of annual_results
SELECT count(*) AS mismatches
FROM annual_results r
JOIN quarterly_scores q USING (member_id, year)
WHERE q.score IS DISTINCT FROM (ARRAY[r.q1, r.q2, r.q3, r.q4])[q.quarter];

-- the month ledger (member_month, kept by the triggers of score and award)
-- equals its recomputation from the rows, through inserts, updates that
-- move rows between members and months, deletes, and a truncate
CREATE TEMP VIEW month_ledger_mismatches AS
SELECT count(*) AS mismatches FROM (
    (SELECT * FROM member_month
     EXCEPT ALL
     SELECT member_id, month, sum(points), sum(scores), sum(award_points), sum(awards)
     FROM (SELECT member_id, month, points, 1 AS scores, 0 AS award_points, 0 AS awards FROM score
           UNION ALL
           SELECT a.member_id, a.month, 0, 0, k.points, 1
           FROM award a JOIN award_kind k USING (kind)) r
     GROUP BY member_id, month)
    UNION ALL
    (SELECT member_id, month, sum(points), sum(scores), sum(award_points), sum(awards)
     FROM (SELECT member_id, month, points, 1 AS scores, 0 AS award_points, 0 AS awards FROM score
           UNION ALL
           SELECT a.member_id, a.month, 0, 0, k.points, 1
           FROM award a JOIN award_kind k USING (kind)) r
     GROUP BY member_id, month
     EXCEPT ALL
     SELECT * FROM member_month)) d;
SELECT count(*) AS month_rows, (SELECT mismatches FROM month_ledger_mismatches) FROM member_month;
BEGIN;
SET LOCAL session_replication_role = replica;  -- the quarters' statuses aside
UPDATE score SET points = points / 2 WHERE member_id = 'm02' AND month < '2024-04-01' AND item = 'role';
DELETE FROM score WHERE member_id = 'm03' AND month = '2024-02-01' AND item = 'role';
UPDATE score SET month = '2024-02-01' WHERE member_id = 'm03' AND month = '2024-01-01' AND item = 'role';
DELETE FROM score WHERE member_id = 'm06' AND month IN ('2024-03-01', '2024-04-01');
UPDATE score SET member_id = 'm06', month = '2024-03-01'
WHERE member_id = 'm04' AND month = '2024-06-01' AND item <> 'role';
-- a DELETE of a month: the month rows it empties go, m01's January keeps
-- its awards with no score left, m02's keeps the rows not deleted
DELETE FROM score WHERE month = '2024-01-01' AND (member_id <> 'm02' OR item = 'role');
SELECT count(*) FILTER (WHERE member_id NOT IN ('m01', 'm02') AND awards = 0) AS emptied_left,
       min(scores) FILTER (WHERE member_id = 'm01') AS m01_scores,
       min(awards) FILTER (WHERE member_id = 'm01') AS m01_awards,
       min(scores) FILTER (WHERE member_id = 'm02') AS m02_scores,
       (SELECT count(*) FROM score WHERE month = '2024-01-01' AND member_id = 'm02') AS m02_rows
FROM member_month WHERE month = '2024-01-01';
DELETE FROM award WHERE member_id = 'm01';
INSERT INTO award (member_id, month, kind) VALUES ('m07', '2024-01-01', 'county');
SELECT (SELECT count(*) FROM member_month WHERE member_id = 'm06' AND month = '2024-04-01') AS m06_april,
       (SELECT scores FROM member_month WHERE member_id = 'm06' AND month = '2024-03-01') AS m06_march,
       (SELECT scores FROM member_month WHERE member_id = 'm04' AND month = '2024-06-01') AS m04_june,
       mismatches FROM month_ledger_mismatches;
-- summed in C in micro-points, shown at the rows' scale as sum() would;
-- points beyond micro-points (rows no write rule checked) summed in numeric
INSERT INTO score (member_id, month, item, points)
VALUES ('m07', '2023-11-01', 'role', 1.50), ('m07', '2023-11-01', 'org_life', 2.5);
INSERT INTO score (member_id, month, item, points)
VALUES ('m07', '2023-12-01', 'role', 1.0000001), ('m07', '2023-12-01', 'org_life', 2.50000000);
UPDATE score SET note = '改正' WHERE member_id = 'm07' AND month < '2024-01-01';  -- sums kept
SELECT month, points, scores FROM member_month WHERE member_id = 'm07' AND month < '2024-01-01' ORDER BY month;
SELECT mismatches FROM month_ledger_mismatches;
TRUNCATE award;
SELECT count(*) FILTER (WHERE awards > 0) AS months_with_awards, (SELECT mismatches FROM month_ledger_mismatches)
FROM member_month;
TRUNCATE score;
SELECT count(*) AS month_rows FROM member_month;
ROLLBACK;

-- parallel: the same rows as serial, and the plan splits the aggregation
CREATE TEMP TABLE serial AS SELECT * FROM annual_results;
ANALYZE member_month;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT * FROM member_years;
SELECT count(*) AS mismatches FROM (
    (SELECT * FROM annual_results EXCEPT SELECT * FROM serial)
    UNION ALL
    (SELECT * FROM serial EXCEPT SELECT * FROM annual_results)) AS diff;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
