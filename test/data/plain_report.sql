-- test/data/plain_report.sql: the annual report as a bureau without
-- pointsys would write it, nested GROUP BY views in plain SQL (schema
-- pointsys_plain).  It shares nothing with pointsys's C aggregate: the
-- benchmark races it (test/bench/run.sh) and the reliability tests check
-- pointsys.annual_results against it (test/data/invariants.sql).  Its
-- grade column is text, so compare with grade::text.

CREATE SCHEMA pointsys_plain;

-- The annual report, stage by stage: monthly totals, quarters, years
CREATE VIEW pointsys_plain.monthly AS
SELECT r.member_id, r.month,
	   sum(r.points) + least(sum(r.award), (SELECT cap FROM pointsys.category
											WHERE category = 'reward')) AS total
FROM (SELECT member_id, month, points, 0 AS award FROM pointsys.score
	  UNION ALL
	  SELECT a.member_id, a.month, 0, k.points
	  FROM pointsys.award a JOIN pointsys.award_kind k ON k.kind = a.kind) r
GROUP BY r.member_id, r.month;

CREATE VIEW pointsys_plain.quarterly AS
SELECT member_id, extract(year FROM month)::int AS year,
	   extract(quarter FROM month)::int AS quarter,
	   round(avg(total), 2) AS score, count(*) AS months
FROM pointsys_plain.monthly
GROUP BY 1, 2, 3;

CREATE VIEW pointsys_plain.yearly AS
SELECT member_id, year,
	   max(score) FILTER (WHERE quarter = 1) AS q1,
	   max(score) FILTER (WHERE quarter = 2) AS q2,
	   max(score) FILTER (WHERE quarter = 3) AS q3,
	   max(score) FILTER (WHERE quarter = 4) AS q4,
	   sum(months)::int AS months,
	   round(avg(score), 2) AS assessment
FROM pointsys_plain.quarterly
GROUP BY member_id, year;

CREATE VIEW pointsys_plain.annual_results AS
SELECT r.member_id, r.branch_id, r.year, r.q1, r.q2, r.q3, r.q4, r.months,
	   r.assessment, r.democratic, r.vetoed, r.total,
	   CASE WHEN r.total >= 90 THEN '优秀' WHEN r.total >= 80 THEN '良好'
			WHEN r.total >= 60 THEN '合格' WHEN r.total IS NOT NULL THEN '不合格' END AS grade,
	   CASE WHEN r.total >= 90 THEN 'priority' WHEN r.total >= 80 THEN 'eligible'
			WHEN r.total >= 60 THEN 'ineligible' WHEN r.total IS NOT NULL THEN 'mentoring' END AS eligibility
FROM (SELECT y.*, m.branch_id, e.democratic, v.vetoed,
			 CASE WHEN v.vetoed THEN 0.00
				  ELSE round(0.8 * y.assessment + 0.2 * e.democratic, 2) END AS total
	  FROM pointsys_plain.yearly y
	  JOIN pointsys.member m ON m.member_id = y.member_id
	  LEFT JOIN pointsys.evaluation e ON e.member_id = y.member_id AND e.year = y.year
	  CROSS JOIN LATERAL (
		  SELECT EXISTS (SELECT FROM pointsys.sanction s
						 WHERE s.member_id = y.member_id
						   AND s.kind IN ('removal_from_post', 'probation', 'law_violation')
						   AND s.effective_on < make_date(y.year + 1, 1, 1)
						   AND (s.lifted_on IS NULL OR s.lifted_on > make_date(y.year, 1, 1)))
			  AS vetoed) v) r;
