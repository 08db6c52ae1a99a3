--
-- city: the helpers a city database's postgres_fdw pushes down to its
-- bureaus (issue 13; test/t/006_federation.pl federates three bureaus and
-- reads the pushed-down SQL from EXPLAIN VERBOSE).
--
\i test/data/fixture.sql

-- quarter_of(date): the quarter of every month, at both ends of each month
SELECT m AS month, pointsys.quarter_of(make_date(2024, m, 1)) AS first_day,
       pointsys.quarter_of((make_date(2024, m, 1) + interval '1 month - 1 day')::date) AS last_day
FROM generate_series(1, 12) AS m;

-- the same as EXTRACT(quarter) on every day of four years, a leap year
-- included (no day differs)
SELECT count(*) AS days, count(*) FILTER (
           WHERE pointsys.quarter_of(t::date) <> extract(quarter FROM t)::int) AS differ
FROM generate_series(DATE '2023-01-01', DATE '2026-12-31', interval '1 day') AS g(t);
-- and at the ends of PostgreSQL's dates
SELECT d, pointsys.quarter_of(d), pointsys.year_of(d)
FROM (VALUES (DATE '4713-11-24 BC'), (DATE '0001-12-31 BC'), (DATE '0001-01-01'),
             (DATE '5874897-12-31')) AS v(d);

-- NULL in, NULL out (STRICT); an infinite date is refused (22008)
SELECT pointsys.quarter_of(NULL) IS NULL AS null_is_null;
SELECT pg_temp.try($$SELECT pointsys.quarter_of('infinity')$$);
SELECT pg_temp.try($$SELECT pointsys.quarter_of('-infinity')$$);

-- What postgres_fdw needs to ship a function: IMMUTABLE and a member of
-- the extension named in the server's "extensions" option.  Every function
-- the city's reports group or aggregate by (expect every row true)
SELECT p.oid::regprocedure AS function, p.provolatile = 'i' AS immutable,
       EXISTS (SELECT FROM pg_depend d
               WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pointsys'))
           AS extension_member
FROM pg_proc p
WHERE p.oid IN ('pointsys.year_of(date)'::regprocedure, 'pointsys.quarter_of(date)'::regprocedure,
                'pointsys.quarter_avg(numeric)'::regprocedure,
                'pointsys.annual_assessment(date, numeric)'::regprocedure,
                'pointsys.grade_ge(pointsys.grade, pointsys.grade)'::regprocedure,
                'pointsys.grade_eq(pointsys.grade, pointsys.grade)'::regprocedure,
                'pointsys.min(pointsys.grade)'::regprocedure, 'pointsys.max(pointsys.grade)'::regprocedure,
                'pointsys.quarter_avg_transfn(pointsys.quarter_state, numeric)'::regprocedure,
                'pointsys.quarter_avg_finalfn(pointsys.quarter_state)'::regprocedure,
                'pointsys.annual_assessment_transfn(pointsys.year_state, date, numeric)'::regprocedure,
                'pointsys.annual_assessment_finalfn(pointsys.year_state)'::regprocedure)
ORDER BY p.oid::regprocedure::text;

-- Node identities (ids unique across bureaus).  The fixture sets node 1:
-- every award, sanction and audit id given out here is node 1's
SELECT pointsys.node_of(1), pointsys.node_of(1099511627775), pointsys.node_of(1099511627776),
       pointsys.node_of(9223372036854775807);
INSERT INTO pointsys.branch VALUES ('ca', '城市支部');
INSERT INTO pointsys.member VALUES ('ca1', '甲', 'ca');
INSERT INTO pointsys.award (member_id, month, kind) VALUES ('ca1', '2024-01-01', 'county');
INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('ca1', 'warning', '2024-01-01');
SELECT 'award' AS ids, count(*) > 0 AS given_out, bool_and(pointsys.node_of(award_id) = 1) AS node_1 FROM pointsys.award
UNION ALL SELECT 'sanction', count(*) > 0, bool_and(pointsys.node_of(sanction_id) = 1) FROM pointsys.sanction
UNION ALL SELECT 'audit', count(*) > 0, bool_and(pointsys.node_of(audit_id) = 1) FROM pointsys.audit;
-- once ids were given out the node cannot change (55000); out of range is
-- 22023; only the owner may call it
SELECT pg_temp.try($$SELECT pointsys.set_node(2)$$);
SELECT pg_temp.try($$SELECT pointsys.set_node(0)$$);
SELECT pg_temp.try($$SELECT pointsys.set_node(8388608)$$);
SELECT pg_temp.try($$SELECT pointsys.set_node(NULL)$$);
SELECT r AS role, has_function_privilege(r, 'pointsys.set_node(integer)', 'EXECUTE') AS may_set_node
FROM unnest(ARRAY['pointsys_admin', 'pointsys_recorder', 'pointsys_reader']) AS r;
