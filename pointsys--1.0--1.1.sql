/* pointsys--1.0--1.1.sql: faster reports, same figures */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.1'" to load this file. \quit

-- A member-year's ledger: score rows and award rows are aggregated apart
-- and their states combined, so the scan of score feeds the hash
-- aggregation directly (no Append in between): the report then costs what
-- a bare GROUP BY of score costs (BENCHMARKS.md).
CREATE OR REPLACE VIEW @extschema@.member_years WITH (security_invoker = true) AS
SELECT COALESCE(s.member_id, a.member_id) AS member_id,
	   COALESCE(s.year, a.year) AS year,
	   @extschema@.year_state_combinefn(s.ledger, a.ledger) AS ledger
FROM (SELECT s.member_id, @extschema@.year_of(s.month) AS year,
			 @extschema@.ledger_year(s.month, s.points, NULL) AS ledger
	  FROM @extschema@.score s
	  GROUP BY s.member_id, @extschema@.year_of(s.month)) s
FULL JOIN (SELECT a.member_id, @extschema@.year_of(a.month) AS year,
				  @extschema@.ledger_year(a.month, NULL, k.points) AS ledger
		   FROM @extschema@.award a
		   JOIN @extschema@.award_kind k ON k.kind OPERATOR(pg_catalog.=) a.kind
		   GROUP BY a.member_id, @extschema@.year_of(a.month)) a
	ON a.member_id OPERATOR(pg_catalog.=) s.member_id AND a.year OPERATOR(pg_catalog.=) s.year;

-- The veto of a member-year: the member's veto periods gathered into one
-- multirange and hash-joined, instead of a query per member-year.  Same
-- rule as is_vetoed(): a period [effective_on, lifted_on) touching the year.
CREATE OR REPLACE VIEW @extschema@.annual_results WITH (security_invoker = true) AS
SELECT y.member_id, m.branch_id, y.year,
	   f.q1, f.q2, f.q3, f.q4, f.months, f.assessment,
	   e.democratic, v.vetoed,
	   CASE WHEN v.vetoed THEN 0.00
			ELSE @extschema@.annual_total(f.assessment, e.democratic) END AS total,
	   g.grade,
	   @extschema@.eligibility(g.grade) AS eligibility
FROM @extschema@.member_years y
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) y.member_id
CROSS JOIN LATERAL @extschema@.year_figures(
	y.ledger,
	(SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward')) f
LEFT JOIN @extschema@.evaluation e
	ON e.member_id OPERATOR(pg_catalog.=) y.member_id AND e.year OPERATOR(pg_catalog.=) y.year
LEFT JOIN (SELECT s.member_id,
				  pg_catalog.range_agg(pg_catalog.daterange(s.effective_on, s.lifted_on)) AS periods
		   FROM @extschema@.sanction s
		   WHERE @extschema@.is_veto_sanction(s.kind)
		   GROUP BY s.member_id) vp
	ON vp.member_id OPERATOR(pg_catalog.=) y.member_id
CROSS JOIN LATERAL (SELECT COALESCE(
		vp.periods OPERATOR(pg_catalog.&&)
			pg_catalog.daterange(pg_catalog.make_date(y.year, 1, 1),
								 pg_catalog.make_date(y.year OPERATOR(pg_catalog.+) 1, 1, 1)),
		false) AS vetoed) v
CROSS JOIN LATERAL (SELECT @extschema@.annual_grade(f.assessment, e.democratic, v.vetoed) AS grade) g;
