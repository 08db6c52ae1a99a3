/* pointsys--1.2--1.3.sql: release 1.3 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.3'" to load this file. \quit

------------------------------------------------------------------------
-- 报表友好类型 report-friendly types (issue 11): grade's binary form is its
-- label, grade compares with text, the use of results in words, and the
-- published figures typed numeric(…,2) in the views
------------------------------------------------------------------------

ALTER FUNCTION @extschema@.grade_send(@extschema@.grade) STABLE;
COMMENT ON FUNCTION @extschema@.grade_recv(pg_catalog.internal) IS '格次二进制输入 grade binary input: its label, or one byte 0..3 (release 1.1''s form)';
COMMENT ON FUNCTION @extschema@.grade_send(@extschema@.grade) IS '格次二进制输出 grade binary output: its label, in the language of pointsys.language';

------------------------------------------------------------------------
-- 格次与文本比较 grade compared with text (issue 11): a string parameter
-- (JDBC setString, psycopg) is text or varchar, not grade; the label it
-- holds is compared as a grade (22P02 if it is none).  varchar reaches
-- these through its implicit cast to text.  grade = 'literal' still
-- resolves to grade = grade.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.grade_text_eq(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_eq(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_eq(@extschema@.grade, pg_catalog.text) IS '格次相等标签 grade equal a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_eq(pg_catalog.text, @extschema@.grade) IS '标签相等格次 label given as text equal a grade';
CREATE FUNCTION @extschema@.grade_text_ne(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_ne(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_ne(@extschema@.grade, pg_catalog.text) IS '格次不等标签 grade not equal a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_ne(pg_catalog.text, @extschema@.grade) IS '标签不等格次 label given as text not equal a grade';
CREATE FUNCTION @extschema@.grade_text_lt(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_lt(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_lt(@extschema@.grade, pg_catalog.text) IS '格次低于标签 grade lower than a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_lt(pg_catalog.text, @extschema@.grade) IS '标签低于格次 label given as text lower than a grade';
CREATE FUNCTION @extschema@.grade_text_le(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_le(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_le(@extschema@.grade, pg_catalog.text) IS '格次不高于标签 grade lower or equal a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_le(pg_catalog.text, @extschema@.grade) IS '标签不高于格次 label given as text lower or equal a grade';
CREATE FUNCTION @extschema@.grade_text_gt(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_gt(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_gt(@extschema@.grade, pg_catalog.text) IS '格次高于标签 grade higher than a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_gt(pg_catalog.text, @extschema@.grade) IS '标签高于格次 label given as text higher than a grade';
CREATE FUNCTION @extschema@.grade_text_ge(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_ge(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_ge(@extschema@.grade, pg_catalog.text) IS '格次不低于标签 grade higher or equal a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_ge(pg_catalog.text, @extschema@.grade) IS '标签不低于格次 label given as text higher or equal a grade';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR @extschema@.= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.grade, pg_catalog.text) IS '格次相等标签 grade equal a label given as text';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.grade, pg_catalog.text) IS '格次不等标签 grade not equal a label given as text';
COMMENT ON OPERATOR @extschema@.< (@extschema@.grade, pg_catalog.text) IS '格次低于标签 grade lower than a label given as text';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.grade, pg_catalog.text) IS '格次不高于标签 grade lower or equal a label given as text';
COMMENT ON OPERATOR @extschema@.> (@extschema@.grade, pg_catalog.text) IS '格次高于标签 grade higher than a label given as text';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.grade, pg_catalog.text) IS '格次不低于标签 grade higher or equal a label given as text';
COMMENT ON OPERATOR @extschema@.= (pg_catalog.text, @extschema@.grade) IS '标签相等格次 label given as text equal a grade';
COMMENT ON OPERATOR @extschema@.<> (pg_catalog.text, @extschema@.grade) IS '标签不等格次 label given as text not equal a grade';
COMMENT ON OPERATOR @extschema@.< (pg_catalog.text, @extschema@.grade) IS '标签低于格次 label given as text lower than a grade';
COMMENT ON OPERATOR @extschema@.<= (pg_catalog.text, @extschema@.grade) IS '标签不高于格次 label given as text lower or equal a grade';
COMMENT ON OPERATOR @extschema@.> (pg_catalog.text, @extschema@.grade) IS '标签高于格次 label given as text higher than a grade';
COMMENT ON OPERATOR @extschema@.>= (pg_catalog.text, @extschema@.grade) IS '标签不低于格次 label given as text higher or equal a grade';

CREATE FUNCTION @extschema@.eligibility_label(@extschema@.grade) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'pointsys_eligibility_label'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.eligibility_label(@extschema@.grade) IS
	'结果运用说明 use of results in words, in the language of pointsys.language (like the grade''s label)';


-- A view's column types cannot change in place: the three report views and
-- the functions reading them are dropped (dependents first) and created
-- again exactly as pointsys--1.3.sql creates them, with their comments and
-- grants in the same order.
DROP FUNCTION @extschema@.annual_grade(pg_catalog.text, pg_catalog.int4);
DROP FUNCTION @extschema@.quarter_score(pg_catalog.text, pg_catalog.int4, pg_catalog.int4);
DROP FUNCTION @extschema@.monthly_score(pg_catalog.text, pg_catalog.date);
DROP VIEW @extschema@.annual_results;
DROP VIEW @extschema@.quarterly_scores;
DROP VIEW @extschema@.monthly_scores;

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

-- The veto of a member-year: the member's veto periods gathered into one
-- multirange and hash-joined, instead of a query per member-year.  Same
-- rule as is_vetoed(): a period [effective_on, lifted_on) touching the year.
CREATE VIEW @extschema@.annual_results WITH (security_invoker = true) AS
SELECT y.member_id, m.branch_id, y.year,
	   CAST(f.q1 AS pg_catalog.numeric(14,2)) AS q1, CAST(f.q2 AS pg_catalog.numeric(14,2)) AS q2,
	   CAST(f.q3 AS pg_catalog.numeric(14,2)) AS q3, CAST(f.q4 AS pg_catalog.numeric(14,2)) AS q4,
	   f.months, CAST(f.assessment AS pg_catalog.numeric(14,2)) AS assessment,
	   e.democratic, v.vetoed,
	   CAST(CASE WHEN v.vetoed THEN 0.00
				 ELSE @extschema@.annual_total(f.assessment, e.democratic) END
			AS pg_catalog.numeric(5,2)) AS total,
	   g.grade,
	   @extschema@.eligibility(g.grade) AS eligibility,
	   @extschema@.eligibility_label(g.grade) AS eligibility_label
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

COMMENT ON VIEW @extschema@.annual_results IS '年度定级 annual results: quarters, assessment (80%), democratic (20%), veto, total, grade, use of results';
COMMENT ON COLUMN @extschema@.annual_results.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.annual_results.branch_id IS '所在支部 branch';
COMMENT ON COLUMN @extschema@.annual_results.year IS '年度 year';
COMMENT ON COLUMN @extschema@.annual_results.q1 IS '一季度 first quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q2 IS '二季度 second quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q3 IS '三季度 third quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q4 IS '四季度 fourth quarter score';
COMMENT ON COLUMN @extschema@.annual_results.months IS '记录月数 recorded months';
COMMENT ON COLUMN @extschema@.annual_results.assessment IS '年度考核积分 annual assessment (mean of recorded quarters)';
COMMENT ON COLUMN @extschema@.annual_results.democratic IS '民主评议 democratic score; NULL: not yet evaluated';
COMMENT ON COLUMN @extschema@.annual_results.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.annual_results.total IS '年度积分 annual total; 0 when vetoed, NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.grade IS '格次 grade; NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.eligibility IS '结果运用 use of results';
COMMENT ON COLUMN @extschema@.annual_results.eligibility_label IS '结果运用说明 use of results in words, in the language of pointsys.language';

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

CREATE FUNCTION @extschema@.annual_grade(member_id pg_catalog.text, year pg_catalog.int4) RETURNS @extschema@.grade
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT r.grade FROM @extschema@.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) annual_grade.member_id
	  AND r.year OPERATOR(pg_catalog.=) annual_grade.year;
END;
COMMENT ON FUNCTION @extschema@.annual_grade(pg_catalog.text, pg_catalog.int4) IS
	'年度格次 a member''s grade for a year, as in annual_results; NULL while pending or when nothing is recorded';

GRANT SELECT ON @extschema@.monthly_scores, @extschema@.quarterly_scores, @extschema@.annual_results
	TO pointsys_admin;
GRANT SELECT ON @extschema@.monthly_scores, @extschema@.quarterly_scores, @extschema@.annual_results
	TO pointsys_reader;
GRANT SELECT ON @extschema@.monthly_scores, @extschema@.quarterly_scores TO pointsys_recorder;

------------------------------------------------------------------------
-- 建党以前的日期 no date before the founding of the party (issue 11): the
-- Communist Party of China was founded in July 1921, so a membership, a
-- sanction or a recorder's election before it is a typo (0026 for 2026).
-- Score and award months and evaluation years are refused by their
-- triggers (22008); these dates by CHECK constraints (23514).
-- (An existing row that breaks one stops the update, naming the
-- constraint: correct the typo, then update again.)
------------------------------------------------------------------------

ALTER TABLE @extschema@.member
	ADD CONSTRAINT member_joined_after_founding
		CHECK (joined_on OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date),
	ADD CONSTRAINT member_left_after_founding
		CHECK (left_on OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date);
ALTER TABLE @extschema@.sanction
	ADD CONSTRAINT sanction_effective_after_founding
		CHECK (effective_on OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date);
ALTER TABLE @extschema@.recorder
	ADD CONSTRAINT recorder_elected_after_founding
		CHECK (elected_on OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date);
COMMENT ON CONSTRAINT member_joined_after_founding ON @extschema@.member IS '入党日期 joined on or after 1921-07-01, the founding of the party';
COMMENT ON CONSTRAINT member_left_after_founding ON @extschema@.member IS '出党日期 left on or after 1921-07-01, the founding of the party';
COMMENT ON CONSTRAINT sanction_effective_after_founding ON @extschema@.sanction IS '处分生效日期 effective on or after 1921-07-01, the founding of the party';
COMMENT ON CONSTRAINT recorder_elected_after_founding ON @extschema@.recorder IS '推选日期 elected on or after 1921-07-01, the founding of the party';


------------------------------------------------------------------------
-- 备份 pointsys_admin can pg_dump the ledger (issue 11): pg_dump reads the
-- state of every sequence it dumps, so the bureau's DBA role needs SELECT
-- on the identity sequences of award, sanction and audit (it reads every
-- table already; pg_dump --enable-row-security lets the policies give it
-- every row, README, Backups).
------------------------------------------------------------------------

GRANT SELECT ON SEQUENCE @extschema@.award_award_id_seq, @extschema@.sanction_sanction_id_seq,
	@extschema@.audit_audit_id_seq TO pointsys_admin;


------------------------------------------------------------------------
-- 批量导入 bulk import of a month's sheet (issue 11): COPY FROM is refused
-- under row-level security, so a recorder loads a sheet of scores or awards
-- with one call, all or nothing, under every write rule and its own
-- row-level security (SECURITY INVOKER); a dry run lists every bad row
-- (row number, field, SQLSTATE, constraint, message in the session's
-- language) and writes nothing.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.import_scores(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	elem pg_catalog.jsonb;
	n pg_catalog.int8;
	v_member pg_catalog.text;
	v_month pg_catalog.date;
	v_item pg_catalog.text;
	v_points pg_catalog.numeric;
	v_note pg_catalog.text;
	v_column pg_catalog.text;
	bad pg_catalog.int4 := 0;
	fast_state pg_catalog.text;
	fast_message pg_catalog.text;
	fast_detail pg_catalog.text;
BEGIN
	IF pg_catalog.jsonb_typeof(sheet) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'a sheet is a JSON array of rows'
			USING ERRCODE = '22023',
				  HINT = 'Give [{"member_id": …, "month": …, "item": …, "points": …}, …].';
	END IF;
	-- the sheet in one statement: every rule checked, nothing written if one
	-- fails (nor in a dry run); only then row by row, to find every bad row
	BEGIN
		INSERT INTO pointsys.score (member_id, month, item, points, note)
		SELECT r.member_id, r.month, r.item, r.points, r.note
		FROM pg_catalog.jsonb_to_recordset(sheet)
			 AS r(member_id pg_catalog.text, month pg_catalog.date, item pg_catalog.text,
				  points pg_catalog.numeric, note pg_catalog.text);
		IF dry_run THEN
			RAISE SQLSTATE 'PZ001';		-- a good sheet: undone
		END IF;
		RETURN;
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		RETURN;
	WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS fast_state = RETURNED_SQLSTATE, fast_message = MESSAGE_TEXT,
			fast_detail = PG_EXCEPTION_DETAIL;
	END;
	-- row by row, each in a subtransaction, the whole undone at the end
	BEGIN
		FOR elem, n IN SELECT e.value, e.ordinality
					   FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e LOOP
			BEGIN
				v_column := 'member_id';
				v_member := elem OPERATOR(pg_catalog.->>) 'member_id';
				v_column := 'month';
				v_month := (elem OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date;
				v_column := 'item';
				v_item := elem OPERATOR(pg_catalog.->>) 'item';
				v_column := 'points';
				v_points := (elem OPERATOR(pg_catalog.->>) 'points')::pg_catalog.numeric;
				v_column := 'note';
				v_note := elem OPERATOR(pg_catalog.->>) 'note';
				v_column := NULL;
				INSERT INTO pointsys.score (member_id, month, item, points, note)
				VALUES (v_member, v_month, v_item, v_points, v_note);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, field = COLUMN_NAME,
					constraint_name = CONSTRAINT_NAME, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
				row_number := n::pg_catalog.int4;
				field := COALESCE(NULLIF(field, ''), v_column);
				constraint_name := NULLIF(constraint_name, '');
				detail := NULLIF(detail, '');
				bad := bad OPERATOR(pg_catalog.+) 1;
				RETURN NEXT;
			END;
		END LOOP;
		RAISE SQLSTATE 'PZ001';
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		NULL;
	END;
	-- the one statement failed, yet no row does alone (a lock or
	-- serialization failure, say): that error is the caller's
	IF bad OPERATOR(pg_catalog.=) 0 THEN
		IF fast_detail IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message;
		END IF;
		RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message, DETAIL = fast_detail;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入积分 load a sheet of scores (JSON array of {member_id, month, item, points, note}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_awards(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	elem pg_catalog.jsonb;
	n pg_catalog.int8;
	v_member pg_catalog.text;
	v_month pg_catalog.date;
	v_kind pg_catalog.text;
	v_description pg_catalog.text;
	v_column pg_catalog.text;
	bad pg_catalog.int4 := 0;
	fast_state pg_catalog.text;
	fast_message pg_catalog.text;
	fast_detail pg_catalog.text;
BEGIN
	IF pg_catalog.jsonb_typeof(sheet) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'a sheet is a JSON array of rows'
			USING ERRCODE = '22023',
				  HINT = 'Give [{"member_id": …, "month": …, "kind": …}, …].';
	END IF;
	BEGIN
		INSERT INTO pointsys.award (member_id, month, kind, description)
		SELECT r.member_id, r.month, r.kind, r.description
		FROM pg_catalog.jsonb_to_recordset(sheet)
			 AS r(member_id pg_catalog.text, month pg_catalog.date, kind pg_catalog.text,
				  description pg_catalog.text);
		IF dry_run THEN
			RAISE SQLSTATE 'PZ001';		-- a good sheet: undone
		END IF;
		RETURN;
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		RETURN;
	WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS fast_state = RETURNED_SQLSTATE, fast_message = MESSAGE_TEXT,
			fast_detail = PG_EXCEPTION_DETAIL;
	END;
	BEGIN
		FOR elem, n IN SELECT e.value, e.ordinality
					   FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e LOOP
			BEGIN
				v_column := 'member_id';
				v_member := elem OPERATOR(pg_catalog.->>) 'member_id';
				v_column := 'month';
				v_month := (elem OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date;
				v_column := 'kind';
				v_kind := elem OPERATOR(pg_catalog.->>) 'kind';
				v_column := 'description';
				v_description := elem OPERATOR(pg_catalog.->>) 'description';
				v_column := NULL;
				INSERT INTO pointsys.award (member_id, month, kind, description)
				VALUES (v_member, v_month, v_kind, v_description);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, field = COLUMN_NAME,
					constraint_name = CONSTRAINT_NAME, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
				row_number := n::pg_catalog.int4;
				field := COALESCE(NULLIF(field, ''), v_column);
				constraint_name := NULLIF(constraint_name, '');
				detail := NULLIF(detail, '');
				bad := bad OPERATOR(pg_catalog.+) 1;
				RETURN NEXT;
			END;
		END LOOP;
		RAISE SQLSTATE 'PZ001';
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		NULL;
	END;
	IF bad OPERATOR(pg_catalog.=) 0 THEN
		IF fast_detail IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message;
		END IF;
		RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message, DETAIL = fast_detail;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入奖励 load a sheet of awards (JSON array of {member_id, month, kind, description}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

REVOKE ALL ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool)
	TO pointsys_admin, pointsys_recorder;
GRANT EXECUTE ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool)
	TO pointsys_admin, pointsys_recorder;

