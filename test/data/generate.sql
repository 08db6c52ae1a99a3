-- test/data/generate.sql: a bureau of any size, deterministic, for tests
-- and benchmarks.  Run after CREATE EXTENSION pointsys:
--
--   psql -v members=20000 -v years=1 -v seed=1 -f test/data/generate.sql
--
-- Variables (all optional):
--   members   number of members (default 1000), spread over branches
--   branches  number of branches (default members / 200, at least 1)
--   years     number of years of scores, ending with 2024 (default 1)
--   seed      changes every generated score (default 1)
--   items     how many items each member has each month, the rulebook's
--             first ones by code (default all 17); items=1 is a thin
--             ledger, one score row per member-month
--   prefix    put before every branch and member id (default none), so
--             that several generated bureaus have distinct ids
--   scores    'load' (default) inserts the scores through the write rules;
--             'none' leaves them out and creates the unlogged table
--             pointsys_generated_scores (member_id, month, item, points)
--             instead, so that a benchmark can COPY them in itself
--
-- Every member has every item every month (17 rows a month: 20 000 members
-- × 1 year ≈ 4.1 million score rows), about one award a month per 40
-- members, one veto sanction per 97 members, and a democratic evaluation
-- for every member-year but one member in 50.  The same variables always
-- give the same rows: hashint4, never random().

\set ON_ERROR_STOP on
\if :{?members} \else \set members 1000 \endif
\if :{?years} \else \set years 1 \endif
\if :{?seed} \else \set seed 1 \endif
\if :{?prefix} \else \set prefix '' \endif
\if :{?scores} \else \set scores load \endif
\if :{?items} \else \set items 1000 \endif
\if :{?branches} \else
SELECT GREATEST(1, :members / 200) AS branches \gset
\endif

-- g(n): a deterministic pseudo-random number 0..2^31-1 for this seed
CREATE FUNCTION pg_temp.g(n bigint) RETURNS int LANGUAGE sql IMMUTABLE
RETURN pg_catalog.hashint8(n * 1000003 + :seed) & 2147483647;

INSERT INTO pointsys.branch (branch_id, name)
SELECT :'prefix' || 'g' || b, '生成支部' || b FROM pg_catalog.generate_series(1, :branches) AS b;

INSERT INTO pointsys.member (member_id, name, branch_id)
SELECT :'prefix' || 'gm' || i, '党员' || i, :'prefix' || 'g' || (i % :branches + 1)
FROM pg_catalog.generate_series(1, :members) AS i;

CREATE UNLOGGED TABLE pointsys_generated_scores AS
SELECT :'prefix' || 'gm' || i AS member_id, pg_catalog.make_date(y, mo, 1) AS month, it.item,
	   LEAST(it.max_points,
			 pg_catalog.floor(it.max_points * (0.45 + (pg_temp.g(i) % 56) / 100.0)
							  / it.step + (pg_temp.g(i * 7919 + y * 131 + mo * 17 + it.ord) % 3) - 1)
			 * it.step) AS points
FROM pg_catalog.generate_series(1, :members) AS i,
	 pg_catalog.generate_series(2025 - :years, 2024) AS y,
	 pg_catalog.generate_series(1, 12) AS mo,
	 (SELECT item, max_points, step, row_number() OVER (ORDER BY item) AS ord
	  FROM pointsys.item) AS it
WHERE it.ord <= :items;
UPDATE pointsys_generated_scores SET points = 0 WHERE points < 0;

\if :{?scores}
SELECT :'scores' = 'load' AS load_scores \gset
\endif
\if :load_scores
INSERT INTO pointsys.score (member_id, month, item, points)
SELECT member_id, month, item, points FROM pointsys_generated_scores;
DROP TABLE pointsys_generated_scores;
\endif

INSERT INTO pointsys.award (member_id, month, kind)
SELECT :'prefix' || 'gm' || i, pg_catalog.make_date(y, mo, 1),
	   (ARRAY['county', 'above_county', 'major_contribution'])[pg_temp.g(i + y + mo) % 3 + 1]
FROM pg_catalog.generate_series(1, :members) AS i,
	 pg_catalog.generate_series(2025 - :years, 2024) AS y,
	 pg_catalog.generate_series(1, 12) AS mo
WHERE pg_temp.g(i * 31 + y * 12 + mo) % 40 = 0;

INSERT INTO pointsys.sanction (member_id, kind, effective_on, lifted_on)
SELECT :'prefix' || 'gm' || i, 'probation', pg_catalog.make_date(2024, pg_temp.g(i) % 12 + 1, 1), NULL
FROM pg_catalog.generate_series(1, :members) AS i
WHERE i % 97 = 0;

INSERT INTO pointsys.evaluation (member_id, year, democratic)
SELECT :'prefix' || 'gm' || i, y, 60 + pg_temp.g(i * 3 + y) % 41
FROM pg_catalog.generate_series(1, :members) AS i,
	 pg_catalog.generate_series(2025 - :years, 2024) AS y
WHERE i % 50 <> 0;
