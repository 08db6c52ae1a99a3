/* pointsys--1.0.sql: 党员积分台账 party-member points ledger */

\echo Use "CREATE EXTENSION pointsys" to load this file. \quit

-- Refuse a schema "pointsys" that someone else created beforehand: its
-- owner could have planted objects that this script would then resolve.
DO LANGUAGE plpgsql $$
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_namespace n
			   WHERE n.nspname OPERATOR(pg_catalog.=) 'pointsys'
				 AND n.nspowner OPERATOR(pg_catalog.<>)
					 (SELECT r.oid FROM pg_catalog.pg_roles r
					  WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = 'schema "pointsys" is owned by another role',
			HINT = 'Drop the schema, or let its owner install the extension.';
	END IF;
END
$$;

COMMENT ON SCHEMA @extschema@ IS '党员积分台账 party-member points ledger';

------------------------------------------------------------------------
-- 格次 grade: a C base type of four ordered values
------------------------------------------------------------------------

CREATE TYPE @extschema@.grade;

CREATE FUNCTION @extschema@.grade_in(pg_catalog.cstring) RETURNS @extschema@.grade
	AS 'MODULE_PATHNAME', 'grade_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.grade_out(@extschema@.grade) RETURNS pg_catalog.cstring
	AS 'MODULE_PATHNAME', 'grade_out'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.grade_recv(pg_catalog.internal) RETURNS @extschema@.grade
	AS 'MODULE_PATHNAME', 'grade_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.grade_send(@extschema@.grade) RETURNS pg_catalog.bytea
	AS 'MODULE_PATHNAME', 'grade_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.grade (
	INPUT = @extschema@.grade_in,
	OUTPUT = @extschema@.grade_out,
	RECEIVE = @extschema@.grade_recv,
	SEND = @extschema@.grade_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);

COMMENT ON TYPE @extschema@.grade IS '格次 grade: 不合格 unqualified < 合格 qualified < 良好 good < 优秀 excellent';
COMMENT ON FUNCTION @extschema@.grade_in(pg_catalog.cstring) IS '格次输入 grade input: Chinese label or English word, any case';
COMMENT ON FUNCTION @extschema@.grade_out(@extschema@.grade) IS '格次输出 grade output, in the language of pointsys.language';
COMMENT ON FUNCTION @extschema@.grade_recv(pg_catalog.internal) IS '格次二进制输入 grade binary input (one byte, 0..3)';
COMMENT ON FUNCTION @extschema@.grade_send(@extschema@.grade) IS '格次二进制输出 grade binary output (one byte, 0..3)';

CREATE FUNCTION @extschema@.grade_eq(@extschema@.grade, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_ne(@extschema@.grade, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_lt(@extschema@.grade, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_le(@extschema@.grade, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_gt(@extschema@.grade, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_ge(@extschema@.grade, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_cmp(@extschema@.grade, @extschema@.grade) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'grade_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_hash(@extschema@.grade) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'grade_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_hash_extended(@extschema@.grade, pg_catalog.int8) RETURNS pg_catalog.int8
	AS 'MODULE_PATHNAME', 'grade_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.grade_larger(@extschema@.grade, @extschema@.grade) RETURNS @extschema@.grade
	AS 'MODULE_PATHNAME', 'grade_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.grade_smaller(@extschema@.grade, @extschema@.grade) RETURNS @extschema@.grade
	AS 'MODULE_PATHNAME', 'grade_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.grade_eq(@extschema@.grade, @extschema@.grade) IS '格次相等 grade equal';
COMMENT ON FUNCTION @extschema@.grade_ne(@extschema@.grade, @extschema@.grade) IS '格次不等 grade not equal';
COMMENT ON FUNCTION @extschema@.grade_lt(@extschema@.grade, @extschema@.grade) IS '格次低于 grade lower than';
COMMENT ON FUNCTION @extschema@.grade_le(@extschema@.grade, @extschema@.grade) IS '格次不高于 grade lower or equal';
COMMENT ON FUNCTION @extschema@.grade_gt(@extschema@.grade, @extschema@.grade) IS '格次高于 grade higher than';
COMMENT ON FUNCTION @extschema@.grade_ge(@extschema@.grade, @extschema@.grade) IS '格次不低于 grade higher or equal';
COMMENT ON FUNCTION @extschema@.grade_cmp(@extschema@.grade, @extschema@.grade) IS '格次比较 grade comparison for btree';
COMMENT ON FUNCTION @extschema@.grade_hash(@extschema@.grade) IS '格次散列 grade hash';
COMMENT ON FUNCTION @extschema@.grade_hash_extended(@extschema@.grade, pg_catalog.int8) IS '格次散列(带种子) grade hash with seed';
COMMENT ON FUNCTION @extschema@.grade_larger(@extschema@.grade, @extschema@.grade) IS '较高格次 the higher of two grades';
COMMENT ON FUNCTION @extschema@.grade_smaller(@extschema@.grade, @extschema@.grade) IS '较低格次 the lower of two grades';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.grade, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.grade_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.grade, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.grade_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.grade, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.grade_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.grade, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.grade_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.grade, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.grade_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.grade, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.grade_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

COMMENT ON OPERATOR @extschema@.= (@extschema@.grade, @extschema@.grade) IS '格次相等 grade equal';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.grade, @extschema@.grade) IS '格次不等 grade not equal';
COMMENT ON OPERATOR @extschema@.< (@extschema@.grade, @extschema@.grade) IS '格次低于 grade lower than';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.grade, @extschema@.grade) IS '格次不高于 grade lower or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.grade, @extschema@.grade) IS '格次高于 grade higher than';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.grade, @extschema@.grade) IS '格次不低于 grade higher or equal';

CREATE OPERATOR CLASS @extschema@.grade_ops
	DEFAULT FOR TYPE @extschema@.grade USING btree AS
	OPERATOR 1 @extschema@.<,
	OPERATOR 2 @extschema@.<=,
	OPERATOR 3 @extschema@.=,
	OPERATOR 4 @extschema@.>=,
	OPERATOR 5 @extschema@.>,
	FUNCTION 1 @extschema@.grade_cmp(@extschema@.grade, @extschema@.grade);

CREATE OPERATOR CLASS @extschema@.grade_hash_ops
	DEFAULT FOR TYPE @extschema@.grade USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.grade_hash(@extschema@.grade),
	FUNCTION 2 @extschema@.grade_hash_extended(@extschema@.grade, pg_catalog.int8);

COMMENT ON OPERATOR CLASS @extschema@.grade_ops USING btree IS '格次排序 grade btree ordering';
COMMENT ON OPERATOR CLASS @extschema@.grade_hash_ops USING hash IS '格次散列 grade hashing';

CREATE AGGREGATE @extschema@.min(@extschema@.grade) (
	SFUNC = @extschema@.grade_smaller,
	STYPE = @extschema@.grade,
	COMBINEFUNC = @extschema@.grade_smaller,
	SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.grade) (
	SFUNC = @extschema@.grade_larger,
	STYPE = @extschema@.grade,
	COMBINEFUNC = @extschema@.grade_larger,
	SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.grade) IS '最低格次 lowest grade';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.grade) IS '最高格次 highest grade';

CREATE CAST (@extschema@.grade AS pg_catalog.text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (pg_catalog.text AS @extschema@.grade) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (@extschema@.grade AS pg_catalog.text) IS '格次转文本 grade to its label';
COMMENT ON CAST (pg_catalog.text AS @extschema@.grade) IS '文本转格次 label to grade';

------------------------------------------------------------------------
-- 计分函数 pure scoring functions (SPEC §1)
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

------------------------------------------------------------------------
-- 计分聚合 scoring aggregates and their fixed-length states
------------------------------------------------------------------------

CREATE TYPE @extschema@.quarter_state;
CREATE FUNCTION @extschema@.quarter_state_in(pg_catalog.cstring) RETURNS @extschema@.quarter_state
	AS 'MODULE_PATHNAME', 'quarter_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_state_out(@extschema@.quarter_state) RETURNS pg_catalog.cstring
	AS 'MODULE_PATHNAME', 'quarter_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.quarter_state (
	INPUT = @extschema@.quarter_state_in,
	OUTPUT = @extschema@.quarter_state_out,
	INTERNALLENGTH = 16,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.quarter_state IS '季度聚合状态 state of quarter_avg(numeric): count and sum of monthly totals';
COMMENT ON FUNCTION @extschema@.quarter_state_in(pg_catalog.cstring) IS '季度聚合状态输入 quarter_state input';
COMMENT ON FUNCTION @extschema@.quarter_state_out(@extschema@.quarter_state) IS '季度聚合状态输出 quarter_state output';

CREATE TYPE @extschema@.year_state;
CREATE FUNCTION @extschema@.year_state_in(pg_catalog.cstring) RETURNS @extschema@.year_state
	AS 'MODULE_PATHNAME', 'year_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.year_state_out(@extschema@.year_state) RETURNS pg_catalog.cstring
	AS 'MODULE_PATHNAME', 'year_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.year_state (
	INPUT = @extschema@.year_state_in,
	OUTPUT = @extschema@.year_state_out,
	INTERNALLENGTH = 208,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.year_state IS '年度聚合状态 state of a member-year: points and awards of each month';
COMMENT ON FUNCTION @extschema@.year_state_in(pg_catalog.cstring) IS '年度聚合状态输入 year_state input';
COMMENT ON FUNCTION @extschema@.year_state_out(@extschema@.year_state) IS '年度聚合状态输出 year_state output';

CREATE FUNCTION @extschema@.quarter_avg_transfn(@extschema@.quarter_state, pg_catalog.numeric)
	RETURNS @extschema@.quarter_state
	AS 'MODULE_PATHNAME', 'quarter_avg_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_avg_combinefn(@extschema@.quarter_state, @extschema@.quarter_state)
	RETURNS @extschema@.quarter_state
	AS 'MODULE_PATHNAME', 'quarter_avg_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_avg_finalfn(@extschema@.quarter_state) RETURNS pg_catalog.numeric
	AS 'MODULE_PATHNAME', 'quarter_avg_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_avg_transfn(@extschema@.quarter_state, pg_catalog.numeric) IS '季考核积分累加 quarter_avg transition';
COMMENT ON FUNCTION @extschema@.quarter_avg_combinefn(@extschema@.quarter_state, @extschema@.quarter_state) IS '季考核积分合并 quarter_avg combine';
COMMENT ON FUNCTION @extschema@.quarter_avg_finalfn(@extschema@.quarter_state) IS '季考核积分结果 quarter_avg final';

CREATE AGGREGATE @extschema@.quarter_avg(monthly_total pg_catalog.numeric) (
	SFUNC = @extschema@.quarter_avg_transfn,
	STYPE = @extschema@.quarter_state,
	FINALFUNC = @extschema@.quarter_avg_finalfn,
	COMBINEFUNC = @extschema@.quarter_avg_combinefn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.quarter_avg(pg_catalog.numeric) IS
	'季考核积分 quarter score: mean of at most 3 monthly totals, rounded half up to 0.01';

CREATE FUNCTION @extschema@.annual_assessment_transfn(@extschema@.year_state, pg_catalog.date, pg_catalog.numeric)
	RETURNS @extschema@.year_state
	AS 'MODULE_PATHNAME', 'annual_assessment_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.year_state_combinefn(@extschema@.year_state, @extschema@.year_state)
	RETURNS @extschema@.year_state
	AS 'MODULE_PATHNAME', 'year_state_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.annual_assessment_finalfn(@extschema@.year_state) RETURNS pg_catalog.numeric
	AS 'MODULE_PATHNAME', 'annual_assessment_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.annual_assessment_transfn(@extschema@.year_state, pg_catalog.date, pg_catalog.numeric) IS '年度考核积分累加 annual_assessment transition';
COMMENT ON FUNCTION @extschema@.year_state_combinefn(@extschema@.year_state, @extschema@.year_state) IS '年度聚合状态合并 combine two year states';
COMMENT ON FUNCTION @extschema@.annual_assessment_finalfn(@extschema@.year_state) IS '年度考核积分结果 annual_assessment final';

CREATE AGGREGATE @extschema@.annual_assessment(month pg_catalog.date, monthly_total pg_catalog.numeric) (
	SFUNC = @extschema@.annual_assessment_transfn,
	STYPE = @extschema@.year_state,
	FINALFUNC = @extschema@.annual_assessment_finalfn,
	COMBINEFUNC = @extschema@.year_state_combinefn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.annual_assessment(pg_catalog.date, pg_catalog.numeric) IS
	'年度考核积分 annual assessment: monthly totals → rounded quarter means → rounded mean of quarters';
