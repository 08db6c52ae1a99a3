/* pointsys--1.0--1.1.sql: faster reports, same figures; advance() cannot deadlock with reopen() */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.1'" to load this file. \quit

------------------------------------------------------------------------
-- 月度台账 the month ledger: one row per member-month, kept by triggers
------------------------------------------------------------------------

CREATE TABLE @extschema@.member_month (
	member_id pg_catalog.text NOT NULL,
	month pg_catalog.date NOT NULL,
	points pg_catalog.numeric NOT NULL,
	scores pg_catalog.int8 NOT NULL,
	award_points pg_catalog.numeric NOT NULL,
	awards pg_catalog.int8 NOT NULL,
	CONSTRAINT member_month_pkey PRIMARY KEY (member_id, month)
);
COMMENT ON TABLE @extschema@.member_month IS
	'月度台账 month ledger: per member-month, the sums of its score rows and award points, kept by the triggers of score and award (not dumped: rebuilt as they are restored)';
COMMENT ON COLUMN @extschema@.member_month.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.member_month.month IS '月份 month (first day)';
COMMENT ON COLUMN @extschema@.member_month.points IS '评分合计 sum of the month''s item scores';
COMMENT ON COLUMN @extschema@.member_month.scores IS '评分条数 number of score rows';
COMMENT ON COLUMN @extschema@.member_month.award_points IS '奖励分合计 sum of the month''s award points, before the cap';
COMMENT ON COLUMN @extschema@.member_month.awards IS '奖励条数 number of award rows';
COMMENT ON INDEX @extschema@.member_month_pkey IS '月度台账主键 one row per member-month';

-- what is recorded already (no write may slip in before the triggers exist)
LOCK TABLE @extschema@.score, @extschema@.award IN SHARE MODE;
INSERT INTO @extschema@.member_month (member_id, month, points, scores, award_points, awards)
SELECT r.member_id, r.month, pg_catalog.sum(r.points), pg_catalog.sum(r.scores),
	   pg_catalog.sum(r.award_points), pg_catalog.sum(r.awards)
FROM (SELECT s.member_id, s.month, s.points, 1 AS scores, 0::pg_catalog.numeric AS award_points, 0 AS awards
	  FROM @extschema@.score s
	  UNION ALL
	  SELECT a.member_id, a.month, 0, 0, k.points, 1
	  FROM @extschema@.award a
	  JOIN @extschema@.award_kind k ON k.kind OPERATOR(pg_catalog.=) a.kind) r
GROUP BY r.member_id, r.month;

CREATE FUNCTION @extschema@.member_month_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'member_month_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.member_month_changed() IS '月度台账 keeps pointsys.member_month in step with score and award';

DO LANGUAGE plpgsql $$
DECLARE
	t pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['score', 'award'] LOOP
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER member_month_insert AFTER INSERT ON pointsys.%1$I'
			' REFERENCING NEW TABLE AS pointsys_new_rows'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.member_month_changed();'
			'CREATE TRIGGER member_month_update AFTER UPDATE ON pointsys.%1$I'
			' REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.member_month_changed();'
			'CREATE TRIGGER member_month_delete AFTER DELETE ON pointsys.%1$I'
			' REFERENCING OLD TABLE AS pointsys_old_rows'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.member_month_changed();'
			'CREATE TRIGGER member_month_truncate AFTER TRUNCATE ON pointsys.%1$I'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.member_month_changed();'
			'ALTER TABLE pointsys.%1$I ENABLE ALWAYS TRIGGER member_month_insert,'
			' ENABLE ALWAYS TRIGGER member_month_update, ENABLE ALWAYS TRIGGER member_month_delete,'
			' ENABLE ALWAYS TRIGGER member_month_truncate;'
			'COMMENT ON TRIGGER member_month_insert ON pointsys.%1$I IS %2$L;'
			'COMMENT ON TRIGGER member_month_update ON pointsys.%1$I IS %2$L;'
			'COMMENT ON TRIGGER member_month_delete ON pointsys.%1$I IS %2$L;'
			'COMMENT ON TRIGGER member_month_truncate ON pointsys.%1$I IS %2$L;',
			t, '月度台账 keeps pointsys.member_month in step (fires in replica mode too)');
	END LOOP;
END
$$;

-- Read like score: recorders see their branches' members only
ALTER TABLE @extschema@.member_month ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.member_month FOR SELECT TO pointsys_admin USING (true);
CREATE POLICY reader_all ON @extschema@.member_month FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.member_month FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record(member_id));
COMMENT ON POLICY admin_all ON @extschema@.member_month IS '局党组 pointsys_admin reads every branch';
COMMENT ON POLICY reader_all ON @extschema@.member_month IS '报表工具 pointsys_reader reads every branch';
COMMENT ON POLICY recorder_branch ON @extschema@.member_month IS '记录员 months of members of the recorder''s branches';
GRANT SELECT ON @extschema@.member_month TO pointsys_admin, pointsys_recorder, pointsys_reader;

-- A member-year's ledger: its month rows, a dozen a year, gathered in one
-- ledger_year state (the reports read no score row)
CREATE OR REPLACE VIEW @extschema@.member_years WITH (security_invoker = true) AS
SELECT m.member_id, @extschema@.year_of(m.month) AS year,
	   @extschema@.ledger_year(m.month, m.points, m.award_points) AS ledger
FROM @extschema@.member_month m
GROUP BY m.member_id, @extschema@.year_of(m.month);

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

-- advance() locks the quarter's period row before its trigger locks the
-- branch row, in the order reopen() and direct UPDATEs of period take them:
-- 1.0 took them the other way round, and an advance racing a reopen of the
-- same quarter could deadlock (specs/reopen_race.spec)
CREATE OR REPLACE FUNCTION @extschema@.advance(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	current_status pg_catalog.text;
	result pg_catalog.text;
BEGIN
	PERFORM pointsys.quarter_start(advance.year, advance.quarter);
	-- the period row first, then (its trigger) the branch row: the order of
	-- reopen() and of any UPDATE of period, so that they cannot deadlock
	SELECT p.status INTO current_status FROM pointsys.period p
	WHERE p.branch_id OPERATOR(pg_catalog.=) advance.branch_id
	  AND p.year OPERATOR(pg_catalog.=) advance.year
	  AND p.quarter OPERATOR(pg_catalog.=) advance.quarter
	FOR NO KEY UPDATE;
	IF current_status OPERATOR(pg_catalog.=) 'verified' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is already verified',
										advance.year, advance.quarter, advance.branch_id);
	END IF;
	-- one statement, so that two racing calls move two steps, never skip one
	INSERT INTO pointsys.period AS p (branch_id, year, quarter, status)
	VALUES (advance.branch_id, advance.year, advance.quarter, 'approved')
	ON CONFLICT ON CONSTRAINT period_pkey DO UPDATE
	SET status = CASE p.status
					 WHEN 'recording' THEN 'approved'
					 WHEN 'approved' THEN 'publicized'
					 WHEN 'publicized' THEN 'filed'
					 WHEN 'filed' THEN 'verified'
					 ELSE p.status END
	RETURNING p.status INTO result;
	RETURN result;
END
$$;
