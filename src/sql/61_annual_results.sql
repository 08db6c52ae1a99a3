-- src/sql/61_annual_results.sql
-- 年度定级 annual results: the members who moved between branches,
-- the view annual_results, annual_grade

-- 年度定级 annual results (here, after period: final reads the quarters' statuses)

-- 组织关系 the members with more than one membership row, and their
-- member-years: the branch in December, the year's branches, whether each
-- recorded month's quarter is verified in that month's branch.  Functions
-- (not inlined: their SET clause) so that the planner takes them for the
-- few rows they are (ROWS), and the reports over every member keep plans
-- as cheap as before transfers existed; the common member, in one branch
-- all along, is read from member.branch_id.
CREATE FUNCTION @extschema@.moved_members() RETURNS SETOF pg_catalog.text
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT s.member_id FROM @extschema@.membership s
	GROUP BY s.member_id
	HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1;
END;
COMMENT ON FUNCTION @extschema@.moved_members() IS
	'转接党员 the members with more than one membership row (transferred at least once)';

CREATE FUNCTION @extschema@.moved_member_years()
	RETURNS TABLE (member_id pg_catalog.text, year pg_catalog.int4, branch_id pg_catalog.text,
				   branches pg_catalog.text[], verified pg_catalog.bool)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT mm.member_id, @extschema@.year_of(mm.month),
		   @extschema@.branch_of(mm.member_id, pg_catalog.make_date(@extschema@.year_of(mm.month), 12, 1)),
		   @extschema@.branches_between(mm.member_id, pg_catalog.make_date(@extschema@.year_of(mm.month), 1, 1),
										pg_catalog.make_date(@extschema@.year_of(mm.month), 12, 1)),
		   pg_catalog.bool_and(p.branch_id IS NOT NULL)
	FROM @extschema@.member_month mm
	JOIN @extschema@.moved_members() t (member_id) ON t.member_id OPERATOR(pg_catalog.=) mm.member_id
	LEFT JOIN @extschema@.period p
		ON p.branch_id OPERATOR(pg_catalog.=) @extschema@.branch_of(mm.member_id, mm.month)
	   AND p.year OPERATOR(pg_catalog.=) @extschema@.year_of(mm.month)
	   AND p.quarter OPERATOR(pg_catalog.=) @extschema@.quarter_of(mm.month)
	   AND p.status OPERATOR(pg_catalog.=) 'verified'
	GROUP BY mm.member_id, @extschema@.year_of(mm.month);
END;
COMMENT ON FUNCTION @extschema@.moved_member_years() IS
	'转接党员年度 the member-years of transferred members: December''s branch, the year''s branches, every recorded month verified in its own branch';

-- The veto of a member-year: the member's veto periods gathered into one
-- multirange and hash-joined, instead of a query per member-year.  Same
-- rule as is_vetoed(): a period [effective_on, lifted_on) touching the year.
CREATE VIEW @extschema@.annual_results WITH (security_invoker = true) AS
SELECT y.member_id, COALESCE(t.branch_id, m.branch_id) AS branch_id, y.year,
	   CAST(f.q1 AS pg_catalog.numeric(14,2)) AS q1, CAST(f.q2 AS pg_catalog.numeric(14,2)) AS q2,
	   CAST(f.q3 AS pg_catalog.numeric(14,2)) AS q3, CAST(f.q4 AS pg_catalog.numeric(14,2)) AS q4,
	   f.months, CAST(f.assessment AS pg_catalog.numeric(14,2)) AS assessment,
	   CAST(e.democratic AS pg_catalog.numeric(5,2)) AS democratic, v.vetoed,
	   CAST(CASE WHEN v.vetoed THEN 0.00
				 ELSE @extschema@.annual_total(f.assessment, e.democratic) END
			AS pg_catalog.numeric(5,2)) AS total,
	   g.grade,
	   @extschema@.eligibility(g.grade) AS eligibility,
	   @extschema@.eligibility_label(g.grade) AS eligibility_label,
	   COALESCE(e.democratic IS NOT NULL
				-- a score from an appraisal round counts once the round is final
				AND (e.round_branch_id IS NULL OR ar.status OPERATOR(pg_catalog.=) 'final')
				AND CASE WHEN t.member_id IS NULL THEN
						(f.q1 IS NULL OR pv.q1) AND (f.q2 IS NULL OR pv.q2)
						AND (f.q3 IS NULL OR pv.q3) AND (f.q4 IS NULL OR pv.q4)
					-- a transferred member: each recorded month in its own branch's quarter
					ELSE t.verified END,
				false) AS final,
	   COALESCE(t.branches, ARRAY[m.branch_id]) AS branches
FROM @extschema@.member_years y
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) y.member_id
LEFT JOIN @extschema@.moved_member_years() t
	ON t.member_id OPERATOR(pg_catalog.=) y.member_id AND t.year OPERATOR(pg_catalog.=) y.year
CROSS JOIN LATERAL @extschema@.year_figures(
	y.ledger,
	(SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward')) f
LEFT JOIN @extschema@.evaluation e
	ON e.member_id OPERATOR(pg_catalog.=) y.member_id AND e.year OPERATOR(pg_catalog.=) y.year
LEFT JOIN @extschema@.appraisal_round ar
	ON ar.branch_id OPERATOR(pg_catalog.=) e.round_branch_id AND ar.year OPERATOR(pg_catalog.=) e.year
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
CROSS JOIN LATERAL (SELECT @extschema@.annual_grade(f.assessment, e.democratic, v.vetoed) AS grade) g
-- which quarters of the branch-year are verified (final)
LEFT JOIN (SELECT p.branch_id, p.year,
				  pg_catalog.bool_or(p.quarter OPERATOR(pg_catalog.=) 1) AS q1,
				  pg_catalog.bool_or(p.quarter OPERATOR(pg_catalog.=) 2) AS q2,
				  pg_catalog.bool_or(p.quarter OPERATOR(pg_catalog.=) 3) AS q3,
				  pg_catalog.bool_or(p.quarter OPERATOR(pg_catalog.=) 4) AS q4
		   FROM @extschema@.period p
		   WHERE p.status OPERATOR(pg_catalog.=) 'verified'
		   GROUP BY p.branch_id, p.year) pv
	ON pv.branch_id OPERATOR(pg_catalog.=) m.branch_id AND pv.year OPERATOR(pg_catalog.=) y.year;

COMMENT ON VIEW @extschema@.annual_results IS '年度定级 annual results: quarters, assessment (80%), democratic (20%), veto, total, grade, use of results';
COMMENT ON COLUMN @extschema@.annual_results.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.annual_results.branch_id IS '所在支部 branch: the member''s branch in December of the year';
COMMENT ON COLUMN @extschema@.annual_results.year IS '年度 year';
COMMENT ON COLUMN @extschema@.annual_results.q1 IS '一季度 first quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q2 IS '二季度 second quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q3 IS '三季度 third quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q4 IS '四季度 fourth quarter score';
COMMENT ON COLUMN @extschema@.annual_results.months IS '记录月数 recorded months';
COMMENT ON COLUMN @extschema@.annual_results.assessment IS '年度考核积分 annual assessment (mean of recorded quarters)';
COMMENT ON COLUMN @extschema@.annual_results.democratic IS '民主评议 democratic score (two decimals); NULL: not yet evaluated';
COMMENT ON COLUMN @extschema@.annual_results.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.annual_results.total IS '年度积分 annual total; 0 when vetoed, NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.grade IS '格次 grade; NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.eligibility IS '结果运用 use of results';
COMMENT ON COLUMN @extschema@.annual_results.eligibility_label IS '结果运用说明 use of results in words, in the language of pointsys.language';
COMMENT ON COLUMN @extschema@.annual_results.final IS
	'定级 the grade is final: every recorded quarter verified (in the branch of its months) and the democratic score recorded (from an appraisal round: the round final); false: provisional';
COMMENT ON COLUMN @extschema@.annual_results.branches IS '所在支部（年度） the member''s branches in the year, in month order, each once';

CREATE FUNCTION @extschema@.annual_grade(member_id pg_catalog.text, year pg_catalog.int4) RETURNS @extschema@.grade
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT r.grade FROM @extschema@.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) annual_grade.member_id
	  AND r.year OPERATOR(pg_catalog.=) annual_grade.year;
END;
COMMENT ON FUNCTION @extschema@.annual_grade(pg_catalog.text, pg_catalog.int4) IS
	'年度格次 a member''s grade for a year, as in annual_results; NULL while pending or when nothing is recorded';
