--
-- generator: test/data/generate.sql still runs and gives what it promises
--
\set members 100
\set branches 3
\set years 2
\set seed 7
\i test/data/generate.sql
SET search_path = pointsys, public;

-- every item of every month of every member: 100 × 2 × 12 × 17
SELECT count(*) AS scores, count(*) = 100 * 2 * 12 * 17 AS complete
FROM score WHERE member_id LIKE 'gm%';
SELECT count(DISTINCT branch_id) AS branches FROM member WHERE member_id LIKE 'gm%';
-- every member-year has a result; one member in 50 is pending; member 97's
-- probation (2024, not lifted) vetoes 2024 only
SELECT year, count(*) AS results, count(*) FILTER (WHERE grade IS NULL) AS pending,
       count(*) FILTER (WHERE vetoed) AS vetoed, min(months) AS min_months
FROM annual_results WHERE member_id LIKE 'gm%' GROUP BY year ORDER BY year;
-- the rows obey the rules they were written through
SELECT count(*) AS out_of_rule
FROM score s JOIN item i USING (item)
WHERE s.member_id LIKE 'gm%' AND (s.points < 0 OR s.points > i.max_points OR s.points % i.step <> 0);
