-- src/sql/20_scoring.sql
-- 计分函数 the pure scoring functions: grade of a total, annual
-- total and grade, quarter average, vetoing sanctions, use of results

------------------------------------------------------------------------
-- 计分函数 pure scoring functions (doc/contract.md §1)
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.grade_of(total pg_catalog.numeric) RETURNS @extschema@.grade
	AS 'MODULE_PATHNAME', 'pointsys_grade_of'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_of(pg_catalog.numeric) IS
	'定格次 grade of an annual total (0..100, rounded half up to 0.01 first): ≥90 优秀, ≥80 良好, ≥60 合格, else 不合格';

CREATE FUNCTION @extschema@.annual_total(assessment pg_catalog.numeric, democratic pg_catalog.numeric)
	RETURNS pg_catalog.numeric
	AS 'MODULE_PATHNAME', 'pointsys_annual_total'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.annual_total(pg_catalog.numeric, pg_catalog.numeric) IS
	'年度积分 annual total: 80% assessment + 20% democratic evaluation, rounded half up to 0.01';

CREATE FUNCTION @extschema@.annual_grade(assessment pg_catalog.numeric, democratic pg_catalog.numeric,
										 vetoed pg_catalog.bool DEFAULT false)
	RETURNS @extschema@.grade
	AS 'MODULE_PATHNAME', 'pointsys_annual_grade'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.annual_grade(pg_catalog.numeric, pg_catalog.numeric, pg_catalog.bool) IS
	'年度格次 annual grade: 不合格 if vetoed (一票否决), NULL (pending) without both scores';

CREATE FUNCTION @extschema@.quarter_avg(m1 pg_catalog.numeric, m2 pg_catalog.numeric, m3 pg_catalog.numeric)
	RETURNS pg_catalog.numeric
	AS 'MODULE_PATHNAME', 'pointsys_quarter_avg3'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_avg(pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric) IS
	'季考核积分 quarter score: mean of the recorded (non-NULL) monthly totals, rounded half up to 0.01';

CREATE FUNCTION @extschema@.is_veto_sanction(kind pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'pointsys_is_veto_sanction'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_veto_sanction(pg_catalog.text) IS
	'一票否决处分 does this sanction kind veto: removal_from_post, probation, law_violation';

CREATE FUNCTION @extschema@.eligibility(@extschema@.grade) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'pointsys_eligibility'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.eligibility(@extschema@.grade) IS
	'结果运用 use of results: priority, eligible, ineligible, mentoring';

CREATE FUNCTION @extschema@.eligibility_label(@extschema@.grade) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'pointsys_eligibility_label'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.eligibility_label(@extschema@.grade) IS
	'结果运用说明 use of results in words, in the language of pointsys.language (like the grade''s label)';
