--
-- scoring: the pure scoring functions of doc/contract.md §2 -- grade_of, annual_total,
-- annual_grade, quarter_avg(m1, m2, m3), is_veto_sanction, eligibility --
-- at every boundary, with every kind of bad argument and its SQLSTATE
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

--
-- grade_of(total): ≥ 90 优秀, ≥ 80 良好, ≥ 60 合格, else 不合格, on the total
-- rounded half up to 0.01
--
SELECT t AS total, grade_of(t) AS grade
FROM unnest(ARRAY[0, 0.000001, 30, 59.99, 59.994999, 59.995, 60, 60.00,
                  79.99, 79.994999, 79.995, 80, 89.99, 89.994, 89.994999,
                  89.995, 90, 90.00, 95.5, 99.999999, 100, 100.000000,
                  100.0000000000, -0, -0.00]::numeric[]) AS t;
SELECT grade_of(89.995) AS printed_90_00_is_excellent,
       grade_of(89.99) AS printed_89_99_is_good;
SET pointsys.language = 'en';
SELECT grade_of(59.99), grade_of(60), grade_of(80), grade_of(90);
RESET pointsys.language;
SELECT grade_of(NULL) IS NULL AS strict;
-- out of range, not finite, or not exact to 6 decimals: 22003
SELECT v AS total, pg_temp.try(format('SELECT pointsys.grade_of(%L::numeric)', v)) AS result
FROM unnest(ARRAY['100.01', '100.000001', '100.004', '-0.01', '-0.000001', '-100',
                  'NaN', 'Infinity', '-Infinity', '1e-7', '85.0000001',
                  '89.9999999999', '1e12', '-1e12', '1e100']) AS v;
SELECT grade_of(100.01);
\echo :SQLSTATE
SELECT grade_of('NaN');
\echo :SQLSTATE
SELECT grade_of(1e-7);
\echo :SQLSTATE

--
-- annual_total(assessment, democratic) = 0.8 a + 0.2 d, half up to 0.01
--
SELECT a AS assessment, d AS democratic, annual_total(a, d) AS total,
       grade_of(annual_total(a, d)) AS grade
FROM (VALUES (80, 80.025),        -- 80.005 → 80.01 (half up)
             (80, 80.02),         -- 80.004 → 80.00
             (80, 80.024999),     -- 80.0049998 → 80.00
             (89.99, 90.04),      -- 90.000 → 90.00, 优秀
             (89.99, 90.03),      -- 89.998 → 90.00, 优秀
             (89.99, 90.01),      -- 89.994 → 89.99, 良好
             (90, 89.975),        -- 89.995 → 90.00, 优秀
             (85.09, 90),         -- 86.072 → 86.07
             (59.99, 60),         -- 59.992 → 59.99, 不合格
             (60, 59.975),        -- 59.995 → 60.00, 合格
             (0, 0), (100, 100), (0, 100), (100, 0),
             (99.999999, 99.999999)) AS t(a, d);
SELECT annual_total(NULL, 90) IS NULL AS strict_a, annual_total(90, NULL) IS NULL AS strict_d;
SELECT v AS args, pg_temp.try(format('SELECT pointsys.annual_total(%s)', v)) AS result
FROM unnest(ARRAY['-0.01, 90', '90, -0.01', '100.01, 90', '90, 100.5',
                  $$'NaN', 90$$, $$90, 'Infinity'$$, $$'1e-7', 90$$,
                  '90, 90.0000001']) AS v;

--
-- annual_grade(assessment, democratic, vetoed DEFAULT false)
--
SELECT a AS assessment, d AS democratic, v AS vetoed, annual_grade(a, d, v) AS grade
FROM (VALUES (89.99, 90.04, false),   -- total 90.00
             (89.99, 90.01, false),   -- total 89.99
             (80, 79.975, false),     -- total 79.995 → 80.00
             (60, 60, false),
             (59.99, 60, false),      -- total 59.99
             (100, 100, true),        -- vetoed: 不合格 whatever the scores
             (0, 0, true),
             (NULL, NULL, true),      -- vetoed before any score
             (95, NULL, true),
             (95, NULL, false),       -- no democratic score yet: pending
             (NULL, 95, false),       -- no assessment: pending
             (95, 95, NULL)) AS t(a, d, v);   -- unknown veto: unknown grade
SELECT annual_grade(89.99, 90.04) AS default_not_vetoed,
       annual_grade(89.99, 90.04, vetoed => true) AS named_vetoed,
       annual_grade(NULL::numeric, NULL::numeric) AS pending;
-- scores are checked even when the year is vetoed
SELECT v AS args, pg_temp.try(format('SELECT pointsys.annual_grade(%s)', v)) AS result
FROM unnest(ARRAY['101, 50, true', '50, -1, true', '101, 50, false',
                  '50, 100.01', $$'NaN'::numeric, 50$$, $$50, '-Infinity', true$$,
                  '50.0000001, 50', 'NULL, 100.5']) AS v;

--
-- quarter_avg(m1, m2, m3): mean of the recorded (non-NULL) months, half up
--
SELECT m1, m2, m3, quarter_avg(m1, m2, m3) AS quarter
FROM (VALUES (85.5, 85, 85),          -- 85.1666… → 85.17
             (85, 85, 85),
             (85, 85, 85.5),
             (85.5, NULL, 85),        -- two months recorded: 85.25
             (NULL, NULL, 90),
             (90, NULL, NULL),
             (NULL, NULL, NULL),      -- nothing recorded: NULL
             (0, 0, 0.015),           -- 0.005 → 0.01 (half up)
             (0, 0, 0.014999),        -- 0.004999… → 0.00
             (100, 100, 100),
             (0, 0, 0),
             (99.99, 99.99, 99.98),   -- 99.9866… → 99.99
             (70.004, 70.004, 70.006),-- 70.00466… → 70.00
             (33.333333, 33.333333, 33.333334)) AS t(m1, m2, m3);
SELECT v AS args, pg_temp.try(format('SELECT pointsys.quarter_avg(%s)', v)) AS result
FROM unnest(ARRAY['101, 85, 85', '85, -0.5, 85', 'NULL, NULL, 100.01',
                  $$85, 85, 'NaN'$$, $$'Infinity', NULL, NULL$$,
                  '85, 85.0000001, NULL']) AS v;

--
-- is_veto_sanction(kind): removal_from_post, probation, law_violation veto
--
SELECT k AS kind, is_veto_sanction(k) AS vetoes
FROM unnest(ARRAY['warning', 'serious_warning', 'removal_from_post',
                  'probation', 'expulsion', 'law_violation']) AS k;
SELECT is_veto_sanction(NULL) IS NULL AS strict;
-- unknown kinds (codes are exact and lower case): 22023
SELECT to_json(k) AS kind, pg_temp.try(format('SELECT pointsys.is_veto_sanction(%L)', k)) AS result
FROM unnest(ARRAY['', 'Warning', 'PROBATION', ' probation', 'probation ',
                  'law violation', 'expelled', '留党察看']) AS k;
SELECT is_veto_sanction('dismissal');
\echo :SQLSTATE

--
-- eligibility(grade): use of results (结果运用)
--
SELECT g AS grade, eligibility(g)
FROM unnest(ARRAY['优秀', '良好', '合格', '不合格']::grade[]) AS g;
SET pointsys.language = 'en';
SELECT g AS grade, eligibility(g)
FROM unnest(ARRAY['excellent', 'good', 'qualified', 'unqualified']::grade[]) AS g;
RESET pointsys.language;
SELECT eligibility(NULL) IS NULL AS strict;

-- From monthly totals to eligibility, in one query
SELECT eligibility(annual_grade(annual_assessment(m, t), 92, false)) AS eligibility,
       annual_assessment(m, t) AS assessment,
       annual_total(annual_assessment(m, t), 92) AS total
FROM (VALUES ('2024-01-01'::date, 85.5), ('2024-02-01', 85), ('2024-03-01', 85),
             ('2024-04-01', 85.5), ('2024-05-01', 85), ('2024-06-01', 85),
             ('2024-07-01', 85), ('2024-08-01', 85), ('2024-09-01', 85),
             ('2024-10-01', 85), ('2024-11-01', 85), ('2024-12-01', 85)) AS m(m, t);

--
-- Numerics are read from their stored digits: every storage form converts
-- exactly.  Short headers (packed on disk), long headers (display scale
-- above 63 or a weight beyond ±63), negative weights, interior zero digits.
--
CREATE TEMP TABLE stored (x numeric, form text);
INSERT INTO stored
SELECT v, form
FROM generate_series(0, 100000000, 9973) AS i,
     LATERAL (VALUES (i / 1000000.0, 'short'),
                     ((i / 1000000.0)::numeric(90, 70), 'long'),
                     (i / 1000000.0 + 0e-80, 'long')) AS f(v, form);
-- quarter_avg of a value twice is the value rounded half up to 0.01
SELECT form, count(*) AS n,
       count(*) FILTER (WHERE pointsys.quarter_avg(x, x, NULL) <> round(x, 2)) AS wrong
FROM stored GROUP BY form ORDER BY form;
-- the grade of every stored value is the grade of its rounded text
SELECT count(*) AS wrong FROM stored
WHERE pointsys.grade_of(x) <> pointsys.grade_of(round(x, 2)::text::numeric);
-- beyond six decimals or 10^12, in either header form: 22003
SELECT v AS value,
       split_part(pg_temp.try(format('SELECT pointsys.quarter_avg(%s, NULL, NULL)', v)), ' ', 1) AS sqlstate
FROM unnest(ARRAY['1e-70', '50.0000001::numeric(90, 70)', '50.00000000000000000001',
                  '1e100', '-1e-70', '100.000000000000000000000001']) AS v;
SELECT pointsys.quarter_avg(1e-70 * 0 + 50, 50.000000000000000000000000000, NULL) AS exact;
