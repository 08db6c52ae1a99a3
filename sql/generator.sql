--
-- generator: test/data/generate.sql still runs and gives what it promises
--
\i test/data/fixture.sql
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

-- a statement that reads many members loads them all at once (caches.c):
-- after a change to member has emptied the member cache, a DELETE of a
-- month of every generated member, then an INSERT of theirs with a member
-- the load did not find, which does not exist (test/data/generate.sql
-- stops at errors: this one is expected)
\unset ON_ERROR_STOP
BEGIN;
UPDATE member SET name = name WHERE false;
DELETE FROM score WHERE member_id LIKE 'gm%' AND month = (SELECT max(month) FROM score WHERE member_id LIKE 'gm%');
SELECT count(*) AS month_rows_wrong
FROM member_month m
CROSS JOIN LATERAL (SELECT count(*) AS scores, coalesce(sum(s.points), 0) AS points
                    FROM score s WHERE (s.member_id, s.month) = (m.member_id, m.month)) s
WHERE m.member_id LIKE 'gm%' AND (m.scores, m.points) IS DISTINCT FROM (s.scores, s.points);
SELECT count(*) AS months_without_rows
FROM member_month m
WHERE m.member_id LIKE 'gm%' AND m.awards = 0
  AND NOT EXISTS (SELECT FROM score s WHERE (s.member_id, s.month) = (m.member_id, m.month));
INSERT INTO score (member_id, month, item, points)
SELECT member_id, (SELECT max(month) FROM member_month WHERE member_id LIKE 'gm%'), 'role', 1
FROM member WHERE member_id LIKE 'gm%'
UNION ALL SELECT 'nobody', (SELECT max(month) FROM member_month WHERE member_id LIKE 'gm%'), 'role', 1;
ROLLBACK;
