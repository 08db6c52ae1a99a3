--
-- aggregates: quarter_avg(numeric) and annual_assessment(date, numeric),
-- their rounding stages, missing months, misuse, window use, parallel
-- (partial + combine) plans, and their state types
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

--
-- The rounding stages (doc/contract.md §1): months 85.5, 85, 85 | 85.5, 85, 85 |
-- 85 ×3 | 85 ×3 give quarters 85.17, 85.17, 85.00, 85.00, and the year is
-- the mean of the rounded quarters, 85.085, rounded half up: 85.09.
-- (The unrounded mean of the months, 85.0833…, would print 85.08.)
--
CREATE TABLE monthly (member text, month date, total numeric);
INSERT INTO monthly VALUES
    ('m1', '2024-01-01', 85.5), ('m1', '2024-02-01', 85), ('m1', '2024-03-01', 85),
    ('m1', '2024-04-01', 85.5), ('m1', '2024-05-01', 85), ('m1', '2024-06-01', 85),
    ('m1', '2024-07-01', 85),   ('m1', '2024-08-01', 85), ('m1', '2024-09-01', 85),
    ('m1', '2024-10-01', 85),   ('m1', '2024-11-01', 85), ('m1', '2024-12-01', 85);

SELECT extract(quarter FROM month) AS quarter, quarter_avg(total)
FROM monthly WHERE member = 'm1' GROUP BY 1 ORDER BY 1;
SELECT annual_assessment(month, total) AS assessment,
       round(avg(total), 2) AS unrounded_mean_of_months
FROM monthly WHERE member = 'm1';
-- the same from the quarters, by hand: the two stages agree
SELECT round(avg(q), 2) AS mean_of_rounded_quarters
FROM (SELECT quarter_avg(total) AS q FROM monthly WHERE member = 'm1'
      GROUP BY extract(quarter FROM month)) AS quarters;
-- input order does not matter; any day of the month names the month
SELECT annual_assessment(month, total ORDER BY month DESC) AS reversed,
       annual_assessment(month + 14, total) AS mid_month,
       annual_assessment((month + interval '1 month' - interval '1 day')::date, total) AS month_end
FROM monthly WHERE member = 'm1';

--
-- Missing months are not zeros: a quarter averages the months recorded, a
-- year the quarters that have any month
--
INSERT INTO monthly VALUES
    ('m2', '2024-01-01', 90),                              -- Q1 = 90.00
    ('m2', '2024-07-01', 80), ('m2', '2024-09-01', 70.01), -- Q3 = 75.005 → 75.01
    ('m3', '2024-11-01', 85.555),                          -- Q4 = 85.56, year = 85.56
    ('m4', '2024-02-01', NULL), ('m4', '2024-05-01', NULL);-- nothing recorded
SELECT member, extract(quarter FROM month) AS quarter, quarter_avg(total), count(total) AS months
FROM monthly WHERE member <> 'm1' GROUP BY 1, 2 ORDER BY 1, 2;
SELECT member, annual_assessment(month, total), count(total) AS months
FROM monthly GROUP BY 1 ORDER BY 1;
-- no rows at all
SELECT quarter_avg(total), annual_assessment(month, total) FROM monthly WHERE false;

--
-- NULLs: a NULL total is an unrecorded month; a NULL month is skipped too
--
SELECT quarter_avg(t) FROM unnest(ARRAY[85, NULL, 90, NULL, 95, NULL]::numeric[]) AS t;
SELECT quarter_avg(t) FROM unnest(ARRAY[NULL, NULL]::numeric[]) AS t;
SELECT annual_assessment(m, t)
FROM (VALUES ('2024-01-01'::date, 80), ('2024-02-01', NULL), (NULL, 100),
             ('2024-04-01', 90)) AS v(m, t);

--
-- Misuse, with its SQLSTATE
--
-- more than 3 monthly totals in a quarter: 21000
SELECT quarter_avg(t) FROM unnest(ARRAY[85, 85, 85, 85]::numeric[]) AS t;
\echo :SQLSTATE
SELECT quarter_avg(total) FROM monthly WHERE member = 'm1';
\echo :SQLSTATE
-- months of two years: 22023
SELECT annual_assessment(m, t)
FROM (VALUES ('2024-12-01'::date, 85), ('2025-01-01', 85)) AS v(m, t);
\echo :SQLSTATE
-- the same month twice (whatever the day): 21000
SELECT annual_assessment(m, t)
FROM (VALUES ('2024-03-01'::date, 85), ('2024-03-31', 90)) AS v(m, t);
\echo :SQLSTATE
SELECT stmt, pg_temp.try(stmt) AS result
FROM unnest(ARRAY[
    $$SELECT pointsys.quarter_avg(t) FROM unnest('{85,100.01}'::numeric[]) t$$,
    $$SELECT pointsys.quarter_avg(t) FROM unnest('{-1}'::numeric[]) t$$,
    $$SELECT pointsys.quarter_avg(t) FROM unnest('{NaN}'::numeric[]) t$$,
    $$SELECT pointsys.quarter_avg(t) FROM unnest('{85.0000001}'::numeric[]) t$$,
    $$SELECT pointsys.annual_assessment('2024-01-01', 100.5)$$,
    $$SELECT pointsys.annual_assessment('2024-01-01', 'Infinity')$$,
    $$SELECT pointsys.annual_assessment('infinity', 85)$$,
    $$SELECT pointsys.annual_assessment('-infinity', 85)$$,
    $$SELECT pointsys.annual_assessment(m, 85) FROM unnest('{2024-01-01,2023-12-31}'::date[]) m$$,
    $$SELECT pointsys.annual_assessment(m, 85) FROM unnest('{2024-06-01,2024-06-30}'::date[]) m$$
    ]) AS stmt;

--
-- As window functions: running figures (the final functions leave the
-- state intact)
--
SELECT month, total,
       quarter_avg(total) OVER (PARTITION BY extract(quarter FROM month) ORDER BY month) AS quarter_so_far,
       annual_assessment(month, total) OVER (ORDER BY month) AS year_so_far,
       quarter_avg(total) OVER (ORDER BY month ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS two_months
FROM monthly WHERE member = 'm1' ORDER BY month;

--
-- Parallel aggregation: partial aggregates in workers, combined in the
-- leader, same results as a serial run
--
CREATE TABLE ledger_totals (member int, month date, total numeric);
-- every member's months are spread over the whole table, so that each
-- worker sees part of most groups and the leader has to combine them
INSERT INTO ledger_totals
SELECT mb, make_date(y, mo, 1), ((mb * 37 + mo * 11 + y) % 4001) / 40.0
FROM generate_series(1, 1500) AS mb, generate_series(2023, 2024) AS y,
     generate_series(1, 12) AS mo
WHERE (mb + mo) % 5 <> 0               -- some months unrecorded
ORDER BY mo, y, mb;
ANALYZE ledger_totals;
SELECT count(*), min(total)::numeric(6,3), max(total)::numeric(6,3) FROM ledger_totals;

-- plan_lines(query): EXPLAIN ANALYZE without the figures that vary from
-- run to run (rows per worker, memory, timing) or between majors (18 shows
-- buffers by default, and fractional rows)
CREATE FUNCTION pg_temp.plan_lines(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
        CONTINUE WHEN line ~ '^\s*(Sort Method|Worker \d|Batches|Memory|Rows Removed|Heap Fetches|Disk)';
        RETURN NEXT regexp_replace(line, ' \(actual rows=[\d.]+ loops=\d+\)', '');
    END LOOP;
END
$$;

-- the two groupings (psql variables: the same query serial, then parallel)
\set by_quarter 'SELECT member, extract(year FROM month) AS year, extract(quarter FROM month) AS quarter, quarter_avg(total) AS score FROM ledger_totals GROUP BY 1, 2, 3'
\set by_year 'SELECT member, extract(year FROM month) AS year, annual_assessment(month, total) AS assessment FROM ledger_totals GROUP BY 1, 2'
CREATE TEMP TABLE serial_quarters AS :by_quarter;
CREATE TEMP TABLE serial_years AS :by_year;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;

EXPLAIN (COSTS OFF) :by_quarter;
CREATE TEMP TABLE parallel_quarters AS :by_quarter;

EXPLAIN (COSTS OFF) :by_year;
CREATE TEMP TABLE parallel_years AS :by_year;

-- with hash aggregation too
RESET enable_hashagg;
SET enable_sort = off;
EXPLAIN (COSTS OFF) :by_year;
CREATE TEMP TABLE parallel_years_hashed AS :by_year;
RESET enable_sort;

-- workers really run the partial aggregates
SELECT pg_temp.plan_lines($$SELECT member, extract(year FROM month), annual_assessment(month, total)
                            FROM ledger_totals GROUP BY 1, 2$$);
-- errors found by a worker or by the leader's combine step reach the client
SELECT pg_temp.try($$SELECT pointsys.annual_assessment(month, total) FROM ledger_totals WHERE member = 1$$);
SELECT pg_temp.try($$SELECT pointsys.quarter_avg(total) FROM ledger_totals WHERE member = 1 AND month < '2023-07-01'$$);

-- without GROUP BY (with the default cost of passing a tuple to the leader,
-- which makes the partial aggregate worthwhile): Partial Aggregate /
-- Finalize Aggregate.  Member 7's second quarter of 2024 is 58.175, 58.45
-- and 58.725: 58.45.
RESET parallel_tuple_cost;
SELECT pg_temp.plan_lines($$SELECT quarter_avg(total), annual_assessment(month, total) FROM ledger_totals
                            WHERE member = 7 AND month BETWEEN '2024-04-01' AND '2024-06-01'$$);
SELECT quarter_avg(total), annual_assessment(month, total)
FROM ledger_totals WHERE member = 7 AND month BETWEEN '2024-04-01' AND '2024-06-01';

RESET parallel_setup_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- parallel = serial (expect zeros)
SELECT (SELECT count(*) FROM serial_quarters) AS quarters,
       (SELECT count(*) FROM (SELECT * FROM serial_quarters EXCEPT SELECT * FROM parallel_quarters) d) AS q_missing,
       (SELECT count(*) FROM (SELECT * FROM parallel_quarters EXCEPT SELECT * FROM serial_quarters) d) AS q_extra,
       (SELECT count(*) FROM serial_years) AS years,
       (SELECT count(*) FROM (SELECT * FROM serial_years EXCEPT SELECT * FROM parallel_years) d) AS y_missing,
       (SELECT count(*) FROM (SELECT * FROM parallel_years EXCEPT SELECT * FROM serial_years) d) AS y_extra,
       (SELECT count(*) FROM (SELECT * FROM serial_years EXCEPT SELECT * FROM parallel_years_hashed) d) AS yh_missing,
       (SELECT count(*) FROM (SELECT * FROM parallel_years_hashed EXCEPT SELECT * FROM serial_years) d) AS yh_extra;
-- and serial = the rule computed by hand with numeric: each quarter rounded
-- half up (round() on numeric rounds half away from zero), then the year
SELECT count(*) AS quarters_differing FROM serial_quarters s
JOIN (SELECT member, extract(year FROM month) AS year, extract(quarter FROM month) AS quarter,
             round(avg(total), 2) AS score
      FROM ledger_totals GROUP BY 1, 2, 3) h USING (member, year, quarter)
WHERE s.score IS DISTINCT FROM h.score;
SELECT count(*) AS years_differing FROM serial_years s
JOIN (SELECT member, year, round(avg(score), 2) AS assessment
      FROM serial_quarters GROUP BY 1, 2) h USING (member, year)
WHERE s.assessment IS DISTINCT FROM h.assessment;
SELECT * FROM serial_years WHERE member IN (1, 1500) ORDER BY 1, 2;

--
-- The state types: exact text forms (count and sum; year and months), the
-- support functions called directly, and bad states (22P02)
--
SELECT '2 170.5'::quarter_state, '0 0'::quarter_state, '3 300'::quarter_state;
SELECT s::quarter_state AS state,
       s::quarter_state::text::quarter_state::text = s::quarter_state::text AS round_trip
FROM (VALUES ('1 85.555'), ('3 299.999997'), ('2 0.000001')) AS v(s);
SELECT s::year_state AS state,
       s::year_state::text::year_state::text = s::year_state::text AS round_trip
FROM (VALUES (''), ('totals 2024'), ('totals -1 2:0.000001'), ('totals 2147483647 3:100 11:99.999999')) AS v(s);
SELECT quarter_avg_finalfn('2 170.5'), quarter_avg_finalfn('0 0'), quarter_avg_finalfn(NULL);
SELECT quarter_avg_transfn(NULL, 85.5), quarter_avg_transfn('2 170', 85.5),
       quarter_avg_transfn('2 170', NULL);
SELECT quarter_avg_combinefn('1 85', '2 170.5'), quarter_avg_combinefn(NULL, '1 85'),
       quarter_avg_combinefn('1 85', NULL);
SELECT pg_temp.try($$SELECT pointsys.quarter_avg_transfn('3 255', 85)$$) AS fourth_month,
       pg_temp.try($$SELECT pointsys.quarter_avg_combinefn('2 170', '2 170')$$) AS four_months;

SELECT ''::year_state AS empty, 'totals 2024 1:85 12:90.5'::year_state AS totals;
SELECT annual_assessment_finalfn('totals 2024 1:85.5 2:85 3:85 4:85.5 5:85 6:85 7:85 8:85 9:85 10:85 11:85 12:85') AS assessment,
       annual_assessment_finalfn('') AS nothing;
SELECT annual_assessment_transfn(NULL, '2024-05-20', 77.25),
       annual_assessment_transfn('totals 2024 1:85', '2024-02-01', 90);
SELECT year_state_combinefn('totals 2024 1:85', 'totals 2024 2:90 3:95'),
       year_state_combinefn('', 'totals 2024 2:90'),
       year_state_combinefn('totals 2024 2:90', '');
SELECT pg_temp.try($$SELECT pointsys.year_state_combinefn('totals 2024 1:85', 'totals 2024 1:85')$$) AS same_month,
       pg_temp.try($$SELECT pointsys.year_state_combinefn('totals 2024 1:85', 'totals 2025 2:85')$$) AS two_years;

SELECT to_json(s) AS input, pg_temp.try(format('SELECT %L::pointsys.quarter_state', s)) AS result
FROM unnest(ARRAY['', '0', '1', '1 ', ' 1 85', '1  85', '1 85 ', '4 0', '-1 0',
                  '1.0 85', '1 101', '1 -1', '0 5', '2 200.000001', '1 85.0000001',
                  '1 NaN', 'x 1', '1 85x', '1,85']) AS s;
SELECT to_json(s) AS input,
       split_part(pg_temp.try(format('SELECT %L::pointsys.year_state', s)), ' DETAIL: ', 1) AS result
FROM unnest(ARRAY['totals', 'totals ', 'totals 2024 ', 'totals 2024  1:85',
                  'totals 2024 0:85', 'totals 2024 13:85', 'totals 2024 1:85 1:90',
                  'totals 2024 1:101', 'totals 2024 1:-1', 'totals 2024 1:',
                  'totals 2024 1', 'totals 2024.5 1:85', 'totals x', 'sums 2024 1:85',
                  'TOTALS 2024', 'totals 2024 1:85,', ' totals 2024',
                  'totals 99999999999', 'totals 2147483648']) AS s;
-- the detail describes the text form
SELECT 'totals 2024 1:85 1:90'::year_state;

DROP TABLE monthly, ledger_totals;

-- Every day of a leap and a common year, in scrambled order, lands in its
-- month (the month lookup keeps the last year's month starts)
SELECT y AS year,
       pointsys.ledger_year(d, 1, NULL ORDER BY hashint4(k))::text =
       format('rows %s ', y) || (SELECT string_agg(format('%s:%s.000000+0.000000', m,
                                   extract(day FROM make_date(y, m, 1) + interval '1 month - 1 day')), ' ' ORDER BY m)
                                 FROM generate_series(1, 12) AS m) AS every_day_in_its_month
FROM generate_series(2023, 2024) AS y,
     LATERAL (SELECT k, make_date(y, 1, 1) + k AS d
              FROM generate_series(0, make_date(y + 1, 1, 1) - make_date(y, 1, 1) - 1) AS k) AS days
GROUP BY y ORDER BY y;
