-- src/sql/50_reports.sql
-- 台账读取 reading the ledger: dates, the city level's pushed-down
-- helpers, the ledger_year aggregate, member_years, monthly_scores,
-- quarterly_scores and the per-member functions

------------------------------------------------------------------------
-- 台账读取 reading the ledger
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.year_of(pg_catalog.date) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'pointsys_year_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.year_of(pg_catalog.date) IS '年度 calendar year of a date';

-- A report of one year (WHERE year = …, pushed down to year_of(month))
-- reads that year's month rows only: a BRIN index of the year of each
-- block range of the month ledger, which grows month by month, so that
-- its years lie in runs of pages.  A few bytes per 128 pages, nothing to
-- write for most new rows (issue 27).
CREATE INDEX member_month_year_idx ON @extschema@.member_month
	USING brin (@extschema@.year_of(month)) WITH (autosummarize = on);
COMMENT ON INDEX @extschema@.member_month_year_idx IS '月度台账年度 the years of the month ledger''s block ranges, for one year''s reports';

CREATE FUNCTION @extschema@.quarter_start(year pg_catalog.int4, quarter pg_catalog.int4) RETURNS pg_catalog.date
	AS 'MODULE_PATHNAME', 'pointsys_quarter_start' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_start(pg_catalog.int4, pg_catalog.int4) IS '季度首日 first day of a quarter (1..4)';

------------------------------------------------------------------------
-- 城市级汇总 city level: helpers that postgres_fdw pushes down (issue 13)
------------------------------------------------------------------------
-- A city database federates its bureaus with postgres_fdw (foreign servers
-- with OPTIONS (extensions 'pointsys')).  postgres_fdw ships to the bureau
-- only IMMUTABLE functions of an extension listed there (and PostgreSQL 15
-- ships no EXTRACT or date_trunc), so the city's reports group by these.

CREATE FUNCTION @extschema@.quarter_of(pg_catalog.date) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'pointsys_quarter_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_of(pg_catalog.date) IS
	'季度 quarter (1..4) of a date; immutable, so postgres_fdw pushes a GROUP BY on it to the bureau';

CREATE FUNCTION @extschema@.ledger_year_transfn(@extschema@.year_state, pg_catalog.date, pg_catalog.numeric, pg_catalog.numeric)
	RETURNS @extschema@.year_state
	AS 'MODULE_PATHNAME', 'ledger_year_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ledger_year_transfn(@extschema@.year_state, pg_catalog.date, pg_catalog.numeric, pg_catalog.numeric) IS
	'年度台账累加 ledger_year transition';

CREATE AGGREGATE @extschema@.ledger_year(month pg_catalog.date, points pg_catalog.numeric, award_points pg_catalog.numeric) (
	SFUNC = @extschema@.ledger_year_transfn,
	STYPE = @extschema@.year_state,
	COMBINEFUNC = @extschema@.year_state_combinefn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.ledger_year(pg_catalog.date, pg_catalog.numeric, pg_catalog.numeric) IS
	'年度台账 a member-year''s score rows (points) and award rows (award_points), summed per month';

CREATE FUNCTION @extschema@.year_figures(ledger @extschema@.year_state, reward_cap pg_catalog.numeric,
										 OUT q1 pg_catalog.numeric, OUT q2 pg_catalog.numeric,
										 OUT q3 pg_catalog.numeric, OUT q4 pg_catalog.numeric,
										 OUT months pg_catalog.int4, OUT assessment pg_catalog.numeric)
	AS 'MODULE_PATHNAME', 'year_figures_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.year_figures(@extschema@.year_state, pg_catalog.numeric) IS
	'年度积分 quarters, recorded months and assessment of a ledger_year state, awards capped per month';

CREATE FUNCTION @extschema@.year_quarters(ledger @extschema@.year_state, reward_cap pg_catalog.numeric,
										  OUT quarter pg_catalog.int4, OUT score pg_catalog.numeric,
										  OUT months pg_catalog.int4)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'year_quarters_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION @extschema@.year_quarters(@extschema@.year_state, pg_catalog.numeric) IS
	'季度积分 the recorded quarters of a ledger_year state';

-- A member-year's ledger: its month rows, a dozen a year, gathered in one
-- ledger_year state (the reports read no score row)
CREATE VIEW @extschema@.member_years WITH (security_invoker = true) AS
SELECT m.member_id, @extschema@.year_of(m.month) AS year,
	   @extschema@.ledger_year(m.month, m.points, m.award_points) AS ledger
FROM @extschema@.member_month m
GROUP BY m.member_id, @extschema@.year_of(m.month);

COMMENT ON VIEW @extschema@.member_years IS '年度台账 each member-year''s ledger rows gathered in one ledger_year state';
COMMENT ON COLUMN @extschema@.member_years.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.member_years.year IS '年度 year';
COMMENT ON COLUMN @extschema@.member_years.ledger IS '年度台账状态 ledger_year state';

CREATE VIEW @extschema@.monthly_scores WITH (security_invoker = true) AS
SELECT member_id, month,
	   CAST(COALESCE(t.study, 0) AS pg_catalog.numeric(14,2)) AS study,
	   CAST(COALESCE(t.service, 0) AS pg_catalog.numeric(14,2)) AS service,
	   CAST(COALESCE(t.innovation, 0) AS pg_catalog.numeric(14,2)) AS innovation,
	   CAST(COALESCE(t.worklist, 0) AS pg_catalog.numeric(14,2)) AS worklist,
	   CAST(COALESCE(t.role, 0) AS pg_catalog.numeric(14,2)) AS role,
	   CAST(LEAST(COALESCE(r.awards, 0), c.cap) AS pg_catalog.numeric(14,2)) AS reward,
	   CAST(COALESCE(t.scored, 0) OPERATOR(pg_catalog.+) LEAST(COALESCE(r.awards, 0), c.cap)
			AS pg_catalog.numeric(14,2)) AS total
FROM (SELECT s.member_id, s.month,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'study') AS study,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'service') AS service,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'innovation') AS innovation,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'worklist') AS worklist,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'role') AS role,
			 pg_catalog.sum(s.points) AS scored
	  FROM @extschema@.score s
	  JOIN @extschema@.item i ON i.item OPERATOR(pg_catalog.=) s.item
	  GROUP BY s.member_id, s.month) t
FULL JOIN (SELECT a.member_id, a.month, pg_catalog.sum(k.points) AS awards
		   FROM @extschema@.award a
		   JOIN @extschema@.award_kind k ON k.kind OPERATOR(pg_catalog.=) a.kind
		   GROUP BY a.member_id, a.month) r USING (member_id, month)
CROSS JOIN (SELECT cap FROM @extschema@.category
			WHERE category OPERATOR(pg_catalog.=) 'reward') c;
COMMENT ON VIEW @extschema@.monthly_scores IS '月度积分 monthly scores by category; reward is capped; one row per recorded member-month';
COMMENT ON COLUMN @extschema@.monthly_scores.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.monthly_scores.month IS '月份 month (first day)';
COMMENT ON COLUMN @extschema@.monthly_scores.study IS '理论学习 study';
COMMENT ON COLUMN @extschema@.monthly_scores.service IS '服务群众 service to the masses';
COMMENT ON COLUMN @extschema@.monthly_scores.innovation IS '工作创新 innovation';
COMMENT ON COLUMN @extschema@.monthly_scores.worklist IS '工作清单完成情况 work list';
COMMENT ON COLUMN @extschema@.monthly_scores.role IS '党员作用发挥 exemplary role';
COMMENT ON COLUMN @extschema@.monthly_scores.reward IS '奖励分 award points, capped';
COMMENT ON COLUMN @extschema@.monthly_scores.total IS '月度积分 monthly total';

CREATE VIEW @extschema@.quarterly_scores WITH (security_invoker = true) AS
SELECT y.member_id, y.year, q.quarter, CAST(q.score AS pg_catalog.numeric(14,2)) AS score, q.months
FROM @extschema@.member_years y
CROSS JOIN LATERAL @extschema@.year_quarters(
	y.ledger,
	(SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward')) q;
COMMENT ON VIEW @extschema@.quarterly_scores IS '季度积分 quarter scores: mean of the recorded months, rounded half up to 0.01';
COMMENT ON COLUMN @extschema@.quarterly_scores.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.quarterly_scores.year IS '年度 year';
COMMENT ON COLUMN @extschema@.quarterly_scores.quarter IS '季度 quarter (1..4)';
COMMENT ON COLUMN @extschema@.quarterly_scores.score IS '季考核积分 quarter score';
COMMENT ON COLUMN @extschema@.quarterly_scores.months IS '记录月数 recorded months';

CREATE FUNCTION @extschema@.is_vetoed(member_id pg_catalog.text, year pg_catalog.int4) RETURNS pg_catalog.bool
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT EXISTS (
		SELECT FROM @extschema@.sanction s
		WHERE s.member_id OPERATOR(pg_catalog.=) is_vetoed.member_id
		  AND @extschema@.is_veto_sanction(s.kind)
		  AND s.effective_on OPERATOR(pg_catalog.<) pg_catalog.make_date(is_vetoed.year OPERATOR(pg_catalog.+) 1, 1, 1)
		  AND (s.lifted_on IS NULL
			   OR s.lifted_on OPERATOR(pg_catalog.>) pg_catalog.make_date(is_vetoed.year, 1, 1)));
END;
COMMENT ON FUNCTION @extschema@.is_vetoed(pg_catalog.text, pg_catalog.int4) IS
	'一票否决 is the year vetoed: a removal_from_post, probation or law_violation period [effective_on, lifted_on) touches it';

CREATE FUNCTION @extschema@.monthly_score(member_id pg_catalog.text, month pg_catalog.date) RETURNS pg_catalog.numeric
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT t.total FROM @extschema@.monthly_scores t
	WHERE t.member_id OPERATOR(pg_catalog.=) monthly_score.member_id
	  AND t.month OPERATOR(pg_catalog.=) pg_catalog.date_trunc('month', monthly_score.month)::pg_catalog.date;
END;
COMMENT ON FUNCTION @extschema@.monthly_score(pg_catalog.text, pg_catalog.date) IS
	'月度积分 a member''s monthly total (any day of the month); NULL if nothing is recorded';

CREATE FUNCTION @extschema@.quarter_score(member_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.numeric
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT q.score FROM @extschema@.quarterly_scores q
	WHERE q.member_id OPERATOR(pg_catalog.=) quarter_score.member_id
	  AND q.year OPERATOR(pg_catalog.=) quarter_score.year
	  AND q.quarter OPERATOR(pg_catalog.=) quarter_score.quarter
	  -- refuses a quarter outside 1..4 (SQLSTATE 22023)
	  AND @extschema@.quarter_start(quarter_score.year, quarter_score.quarter) IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.quarter_score(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'季考核积分 a member''s quarter score; NULL if nothing is recorded; error for a quarter outside 1..4';
