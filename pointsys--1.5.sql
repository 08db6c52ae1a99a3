/* pointsys--1.4.sql: 党员积分台账 party-member points ledger, release 1.4 */

/*
 * The whole of release 1.4, for CREATE EXTENSION.  A database on an older
 * release gets the same objects from pointsys--1.0.sql and the update
 * scripts (test/t/004_upgrade.pl compares the two, object for object).
 *
 * Names outside quoted text are written @extschema@.name; inside function
 * bodies and string literals, where @extschema@ must not appear
 * (CVE-2023-39417), the schema is written pointsys: it is fixed
 * (relocatable = false).  Every operator a hostile object could capture is
 * written OPERATOR(pg_catalog.op).
 */

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
	LANGUAGE C STABLE STRICT PARALLEL SAFE;

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
COMMENT ON FUNCTION @extschema@.grade_recv(pg_catalog.internal) IS '格次二进制输入 grade binary input: its label, or one byte 0..3 (release 1.1''s form)';
COMMENT ON FUNCTION @extschema@.grade_send(@extschema@.grade) IS '格次二进制输出 grade binary output: its label, in the language of pointsys.language';

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
	INTERNALLENGTH = 200,
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

------------------------------------------------------------------------
-- 台账 the ledger: tables
------------------------------------------------------------------------

CREATE TABLE @extschema@.branch (
	branch_id pg_catalog.text PRIMARY KEY,
	name pg_catalog.text NOT NULL
);
COMMENT ON TABLE @extschema@.branch IS '党支部 party branches';
COMMENT ON COLUMN @extschema@.branch.branch_id IS '支部编号 branch code';
COMMENT ON COLUMN @extschema@.branch.name IS '支部名称 branch name';

CREATE TABLE @extschema@.member (
	member_id pg_catalog.text PRIMARY KEY,
	name pg_catalog.text NOT NULL,
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	joined_on pg_catalog.date,
	left_on pg_catalog.date,
	CONSTRAINT member_left_after_joined CHECK (left_on OPERATOR(pg_catalog.>=) joined_on)
);
CREATE INDEX member_branch_id_idx ON @extschema@.member (branch_id);
COMMENT ON TABLE @extschema@.member IS '党员 party members';
COMMENT ON COLUMN @extschema@.member.member_id IS '党员编号 member code';
COMMENT ON COLUMN @extschema@.member.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.member.branch_id IS '所在支部 current branch: the branch of the latest row of pointsys.membership (kept in step both ways)';
COMMENT ON COLUMN @extschema@.member.joined_on IS '入党(转入)日期 joined the party (or this bureau) on; NULL: before any record';
COMMENT ON COLUMN @extschema@.member.left_on IS '离开日期 left on; NULL: still a member';

CREATE TABLE @extschema@.category (
	category pg_catalog.text PRIMARY KEY,
	title pg_catalog.text NOT NULL,
	cap pg_catalog.numeric NOT NULL,
	CONSTRAINT category_cap_range CHECK (cap OPERATOR(pg_catalog.>=) 0 AND cap OPERATOR(pg_catalog.<=) 100)
);
COMMENT ON TABLE @extschema@.category IS '积分类别 score categories of the rulebook';
COMMENT ON COLUMN @extschema@.category.category IS '类别编号 category code';
COMMENT ON COLUMN @extschema@.category.title IS '类别名称 category title';
COMMENT ON COLUMN @extschema@.category.cap IS '类别上限 monthly cap of the category';

CREATE TABLE @extschema@.item (
	item pg_catalog.text PRIMARY KEY,
	category pg_catalog.text NOT NULL REFERENCES @extschema@.category,
	title pg_catalog.text NOT NULL,
	max_points pg_catalog.numeric NOT NULL,
	step pg_catalog.numeric NOT NULL DEFAULT 0.5,
	CONSTRAINT item_not_reward CHECK (category OPERATOR(pg_catalog.<>) 'reward'),
	CONSTRAINT item_max_points_range CHECK (max_points OPERATOR(pg_catalog.>) 0 AND max_points OPERATOR(pg_catalog.<=) 100),
	CONSTRAINT item_step_range CHECK (step OPERATOR(pg_catalog.>) 0 AND step OPERATOR(pg_catalog.<=) max_points)
);
CREATE INDEX item_category_idx ON @extschema@.item (category);
COMMENT ON TABLE @extschema@.item IS '积分项目 scored items of the rulebook';
COMMENT ON COLUMN @extschema@.item.item IS '项目编号 item code';
COMMENT ON COLUMN @extschema@.item.category IS '所属类别 category';
COMMENT ON COLUMN @extschema@.item.title IS '项目内容 item title';
COMMENT ON COLUMN @extschema@.item.max_points IS '最高分 maximum points in a month';
COMMENT ON COLUMN @extschema@.item.step IS '计分步长 points are multiples of this step';

CREATE TABLE @extschema@.award_kind (
	kind pg_catalog.text PRIMARY KEY,
	title pg_catalog.text NOT NULL,
	points pg_catalog.numeric NOT NULL,
	CONSTRAINT award_kind_points_range CHECK (points OPERATOR(pg_catalog.>) 0 AND points OPERATOR(pg_catalog.<=) 100)
);
COMMENT ON TABLE @extschema@.award_kind IS '奖励种类 kinds of award events';
COMMENT ON COLUMN @extschema@.award_kind.kind IS '奖励种类编号 award kind code';
COMMENT ON COLUMN @extschema@.award_kind.title IS '奖励内容 award title';
COMMENT ON COLUMN @extschema@.award_kind.points IS '加分 points added per event';

CREATE TABLE @extschema@.score (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	month pg_catalog.date NOT NULL,
	item pg_catalog.text NOT NULL REFERENCES @extschema@.item,
	points pg_catalog.numeric NOT NULL,
	note pg_catalog.text,
	recorded_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	recorded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (member_id, month, item)
);
CREATE INDEX score_item_idx ON @extschema@.score (item);
COMMENT ON TABLE @extschema@.score IS '积分台账 monthly item scores';
COMMENT ON COLUMN @extschema@.score.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.score.month IS '月份 month (stored as its first day)';
COMMENT ON COLUMN @extschema@.score.item IS '积分项目 item';
COMMENT ON COLUMN @extschema@.score.points IS '得分 points, 0 to the item''s maximum in its step';
COMMENT ON COLUMN @extschema@.score.note IS '备注 note';
COMMENT ON COLUMN @extschema@.score.recorded_by IS
	'记录人 the role that wrote the row (set by pointsys; a superuser''s value is kept)';
COMMENT ON COLUMN @extschema@.score.recorded_at IS
	'记录时间 start of the transaction that wrote the row (set by pointsys; a superuser''s value is kept)';

CREATE TABLE @extschema@.award (
	award_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	month pg_catalog.date NOT NULL,
	kind pg_catalog.text NOT NULL REFERENCES @extschema@.award_kind,
	description pg_catalog.text,
	recorded_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	recorded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX award_member_month_idx ON @extschema@.award (member_id, month);
CREATE INDEX award_kind_idx ON @extschema@.award (kind);
COMMENT ON TABLE @extschema@.award IS '奖励加分 award events';
COMMENT ON COLUMN @extschema@.award.award_id IS '奖励编号 award id';
COMMENT ON COLUMN @extschema@.award.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.award.month IS '月份 month (stored as its first day)';
COMMENT ON COLUMN @extschema@.award.kind IS '奖励种类 award kind (its points come from award_kind)';
COMMENT ON COLUMN @extschema@.award.description IS '事由 description';
COMMENT ON COLUMN @extschema@.award.recorded_by IS
	'记录人 the role that wrote the row (set by pointsys; a superuser''s value is kept)';
COMMENT ON COLUMN @extschema@.award.recorded_at IS
	'记录时间 start of the transaction that wrote the row (set by pointsys; a superuser''s value is kept)';

CREATE TABLE @extschema@.sanction (
	sanction_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	kind pg_catalog.text NOT NULL,
	effective_on pg_catalog.date NOT NULL,
	lifted_on pg_catalog.date,
	note pg_catalog.text,
	CONSTRAINT sanction_lifted_after_effective CHECK (lifted_on OPERATOR(pg_catalog.>) effective_on)
);
CREATE INDEX sanction_member_id_idx ON @extschema@.sanction (member_id);
COMMENT ON TABLE @extschema@.sanction IS '党纪处分 sanctions; removal_from_post, probation and law_violation veto every year their period touches';
COMMENT ON COLUMN @extschema@.sanction.sanction_id IS '处分编号 sanction id';
COMMENT ON COLUMN @extschema@.sanction.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.sanction.kind IS '处分种类 kind: warning, serious_warning, removal_from_post, probation, expulsion, law_violation';
COMMENT ON COLUMN @extschema@.sanction.effective_on IS '生效日期 effective on (first day of the period)';
COMMENT ON COLUMN @extschema@.sanction.lifted_on IS '解除日期 lifted on (first day after the period); NULL: not lifted';
COMMENT ON COLUMN @extschema@.sanction.note IS '备注 note';

CREATE TABLE @extschema@.evaluation (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	year pg_catalog.int4 NOT NULL,
	democratic pg_catalog.numeric NOT NULL,
	PRIMARY KEY (member_id, year)
);
COMMENT ON TABLE @extschema@.evaluation IS '民主评议 year-end democratic evaluation';
COMMENT ON COLUMN @extschema@.evaluation.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.evaluation.year IS '年度 year';
COMMENT ON COLUMN @extschema@.evaluation.democratic IS '民主评议得分 democratic score, 0 to 100 (weight 20%)';

COMMENT ON INDEX @extschema@.member_branch_id_idx IS '支部党员 members of a branch';
COMMENT ON INDEX @extschema@.item_category_idx IS '类别项目 items of a category';
COMMENT ON INDEX @extschema@.score_item_idx IS '项目积分 scores of an item (rulebook edits check them)';
COMMENT ON INDEX @extschema@.award_member_month_idx IS '党员奖励 awards of a member-month';
COMMENT ON INDEX @extschema@.award_kind_idx IS '种类奖励 awards of a kind (rulebook edits check them)';
COMMENT ON INDEX @extschema@.sanction_member_id_idx IS '党员处分 sanctions of a member (the veto looks them up)';
COMMENT ON CONSTRAINT member_left_after_joined ON @extschema@.member IS '党籍期间 left_on is not before joined_on';
COMMENT ON CONSTRAINT category_cap_range ON @extschema@.category IS '类别上限 a cap from 0 to 100';
COMMENT ON CONSTRAINT item_not_reward ON @extschema@.item IS '奖励分 the reward category has award kinds, not items';
COMMENT ON CONSTRAINT item_max_points_range ON @extschema@.item IS '最高分 above 0, at most 100';
COMMENT ON CONSTRAINT item_step_range ON @extschema@.item IS '计分步长 above 0, at most the maximum';
COMMENT ON CONSTRAINT award_kind_points_range ON @extschema@.award_kind IS '加分 above 0, at most 100';
COMMENT ON CONSTRAINT sanction_lifted_after_effective ON @extschema@.sanction IS '处分期间 lifted after it took effect';

------------------------------------------------------------------------
-- 组织关系 branch membership history (issue 14, transfers): the branch of
-- each member-month; member.branch_id is the latest row's branch (the
-- triggers are in the section 组织关系转接 below)
------------------------------------------------------------------------

CREATE TABLE @extschema@.membership (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member ON DELETE CASCADE,
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	since pg_catalog.date NOT NULL,
	CONSTRAINT membership_pkey PRIMARY KEY (member_id, since),
	CONSTRAINT membership_since_first_of_month
		CHECK (EXTRACT(DAY FROM since) OPERATOR(pg_catalog.=) 1),
	CONSTRAINT membership_since_after_founding
		CHECK (since OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date)
);
CREATE INDEX membership_branch_id_idx ON @extschema@.membership (branch_id);
COMMENT ON TABLE @extschema@.membership IS
	'组织关系 branch membership history: the member belongs to the branch from the month since until the next row; months before the first row belong to the first row''s branch';
COMMENT ON COLUMN @extschema@.membership.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.membership.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.membership.since IS '转入月份 first month in the branch (its first day)';
COMMENT ON INDEX @extschema@.membership_pkey IS '组织关系主键 one row per member and first month';
COMMENT ON INDEX @extschema@.membership_branch_id_idx IS '支部组织关系 membership rows of a branch';
COMMENT ON CONSTRAINT membership_since_first_of_month ON @extschema@.membership IS '转入月份 the first day of a month';
COMMENT ON CONSTRAINT membership_since_after_founding ON @extschema@.membership IS '转入月份 on or after 1921-07-01, the founding of the party';

-- The member's branch in a month: the latest row from that month or
-- before, else the first row; with no row (a subscriber that does not
-- replicate membership), the current branch
CREATE FUNCTION @extschema@.branch_of(member_id pg_catalog.text, month pg_catalog.date) RETURNS pg_catalog.text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT COALESCE(
		(SELECT s.branch_id FROM @extschema@.membership s
		 WHERE s.member_id OPERATOR(pg_catalog.=) branch_of.member_id
		   AND s.since OPERATOR(pg_catalog.<=) branch_of.month
		 ORDER BY s.since DESC LIMIT 1),
		(SELECT s.branch_id FROM @extschema@.membership s
		 WHERE s.member_id OPERATOR(pg_catalog.=) branch_of.member_id
		 ORDER BY s.since LIMIT 1),
		(SELECT m.branch_id FROM @extschema@.member m
		 WHERE m.member_id OPERATOR(pg_catalog.=) branch_of.member_id));
END;
COMMENT ON FUNCTION @extschema@.branch_of(pg_catalog.text, pg_catalog.date) IS
	'所在支部 the branch a member belonged to in the month of a date (pointsys.membership)';

-- The member's branches over the months first_month .. last_month: in
-- month order, each once
CREATE FUNCTION @extschema@.branches_between(member_id pg_catalog.text, first_month pg_catalog.date,
											 last_month pg_catalog.date) RETURNS pg_catalog.text[]
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(b.branch_id ORDER BY b.since)
	FROM (SELECT t.branch_id, pg_catalog.min(t.since) AS since
		  FROM (SELECT @extschema@.branch_of(branches_between.member_id, branches_between.first_month) AS branch_id,
					   branches_between.first_month AS since
				UNION ALL
				SELECT s.branch_id, s.since FROM @extschema@.membership s
				WHERE s.member_id OPERATOR(pg_catalog.=) branches_between.member_id
				  AND s.since OPERATOR(pg_catalog.>) branches_between.first_month
				  AND s.since OPERATOR(pg_catalog.<=) branches_between.last_month) t
		  WHERE t.branch_id IS NOT NULL
		  GROUP BY t.branch_id) b;
END;
COMMENT ON FUNCTION @extschema@.branches_between(pg_catalog.text, pg_catalog.date, pg_catalog.date) IS
	'所在支部 the branches a member belonged to from one month to another, in month order, each once';

------------------------------------------------------------------------
-- 评分细则 the rulebook of doc/contract.md §1
------------------------------------------------------------------------

INSERT INTO @extschema@.category (category, title, cap) VALUES
	('study', '理论学习', 20),
	('service', '服务群众', 20),
	('innovation', '工作创新', 15),
	('worklist', '工作清单完成情况', 15),
	('role', '党员作用发挥', 20),
	('reward', '奖励分', 10);

INSERT INTO @extschema@.item (item, category, title, max_points) VALUES
	('study_training', 'study', '积极参加组织安排的学习培训活动', 4),
	('study_notes', 'study', '每月学习笔记1000字以上', 4),
	('org_life', 'study', '参加"三会一课"及各项组织生活', 4),
	('business_notes', 'study', '业务学习笔记、记录1000字以上', 4),
	('reflection', 'study', '每月撰写学习心得体会1篇', 4),
	('liaison', 'service', '密切联系群众，及时反映群众意见建议', 5),
	('mass_work', 'service', '提高做好群众工作的本领', 5),
	('solve_difficulties', 'service', '帮助群众解决实际困难', 5),
	('volunteer', 'service', '带头参加志愿服务、结对帮扶等公益活动', 5),
	('innovation_recorded', 'innovation', '工作中有创新并记录下来', 5),
	('resolve_conflicts', 'innovation', '主动化解群众矛盾', 5),
	('share_innovation', 'innovation', '将创新工作与同事、群众分享并有记录', 5),
	('on_time', 'worklist', '按时按质完成工作清单', 6),
	('exceed', 'worklist', '超额完成工作', 3),
	('recognized', 'worklist', '工作完成情况得到领导、群众认可', 3),
	('extra_duties', 'worklist', '积极主动承担职责以外工作', 3),
	('role', 'role', '党员作用发挥', 20);

INSERT INTO @extschema@.award_kind (kind, title, points) VALUES
	('county', '获得县级表彰、表扬', 2),
	('above_county', '获得县级以上表彰、通报表扬或在省级网络、媒体上发表文章', 3),
	('major_contribution', '有重大贡献、见义勇为', 5);

------------------------------------------------------------------------
-- 写入规则 write rules (C triggers)
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.score_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'score_check' LANGUAGE C;
CREATE FUNCTION @extschema@.award_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'award_check' LANGUAGE C;
CREATE FUNCTION @extschema@.ledger_delete_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ledger_delete_check' LANGUAGE C;
CREATE FUNCTION @extschema@.evaluation_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'evaluation_check' LANGUAGE C;
CREATE FUNCTION @extschema@.sanction_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'sanction_check' LANGUAGE C;
CREATE FUNCTION @extschema@.rulebook_guard() RETURNS trigger
	AS 'MODULE_PATHNAME', 'rulebook_guard' LANGUAGE C;
CREATE FUNCTION @extschema@.rulebook_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'rulebook_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.score_check() IS '积分写入规则 score rules: item known, points 0..max in step, month not in the future, member in the party, quarter recording';
COMMENT ON FUNCTION @extschema@.award_check() IS '奖励写入规则 award rules: kind known, month not in the future, member in the party, quarter recording';
COMMENT ON FUNCTION @extschema@.ledger_delete_check() IS '删除写入规则 deleted scores and awards: each member-month''s quarter recording';
COMMENT ON FUNCTION @extschema@.evaluation_check() IS '民主评议写入规则 evaluation rules: democratic 0..100, member in the party that year';
COMMENT ON FUNCTION @extschema@.sanction_check() IS '处分写入规则 sanction rules: one of the six kinds';
COMMENT ON FUNCTION @extschema@.rulebook_guard() IS '细则一致性 keeps rulebook and member edits consistent with recorded points';
COMMENT ON FUNCTION @extschema@.rulebook_changed() IS '细则缓存失效 tells every session to reload its cached rulebook or members';

-- pg_dump restores the rulebook after CREATE EXTENSION has filled it: an
-- insert of a key that exists updates that entry (and is skipped when the
-- entry is identical), so a customised rulebook survives dump and restore.
CREATE FUNCTION @extschema@.rulebook_upsert() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tbl pg_catalog.text := CASE TG_RELID
		WHEN 'pointsys.category'::pg_catalog.regclass::pg_catalog.oid THEN 'category'
		WHEN 'pointsys.item'::pg_catalog.regclass::pg_catalog.oid THEN 'item'
		WHEN 'pointsys.award_kind'::pg_catalog.regclass::pg_catalog.oid THEN 'award_kind' END;
BEGIN
	IF tbl IS NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('rulebook_upsert: cannot fire on table "%s"', TG_TABLE_NAME),
			DETAIL = 'It fires only on pointsys.category, pointsys.item, pointsys.award_kind.';
	END IF;
	IF TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('rulebook_upsert: cannot fire %s %s FOR EACH %s',
										TG_WHEN, TG_OP, TG_LEVEL);
	END IF;
	IF tbl OPERATOR(pg_catalog.=) 'category' THEN
		UPDATE pointsys.category c SET title = NEW.title, cap = NEW.cap
		WHERE c.category OPERATOR(pg_catalog.=) NEW.category
		  AND (c.title, c.cap) IS DISTINCT FROM (NEW.title, NEW.cap);
		PERFORM FROM pointsys.category c WHERE c.category OPERATOR(pg_catalog.=) NEW.category;
	ELSIF tbl OPERATOR(pg_catalog.=) 'item' THEN
		UPDATE pointsys.item i
		SET category = NEW.category, title = NEW.title, max_points = NEW.max_points, step = NEW.step
		WHERE i.item OPERATOR(pg_catalog.=) NEW.item
		  AND (i.category, i.title, i.max_points, i.step)
			  IS DISTINCT FROM (NEW.category, NEW.title, NEW.max_points, NEW.step);
		PERFORM FROM pointsys.item i WHERE i.item OPERATOR(pg_catalog.=) NEW.item;
	ELSE
		UPDATE pointsys.award_kind k SET title = NEW.title, points = NEW.points
		WHERE k.kind OPERATOR(pg_catalog.=) NEW.kind
		  AND (k.title, k.points) IS DISTINCT FROM (NEW.title, NEW.points);
		PERFORM FROM pointsys.award_kind k WHERE k.kind OPERATOR(pg_catalog.=) NEW.kind;
	END IF;
	IF FOUND THEN
		RETURN NULL;			-- the entry exists and now equals NEW
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.rulebook_upsert() IS '细则导入 inserting an existing rulebook key updates that entry (lets pg_dump restore a customised rulebook)';

CREATE TRIGGER rulebook_upsert BEFORE INSERT ON @extschema@.category
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_upsert();
CREATE TRIGGER rulebook_upsert BEFORE INSERT ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_upsert();
CREATE TRIGGER rulebook_upsert BEFORE INSERT ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_upsert();
-- also when restoring with session_replication_role = replica
ALTER TABLE @extschema@.category ENABLE ALWAYS TRIGGER rulebook_upsert;
ALTER TABLE @extschema@.item ENABLE ALWAYS TRIGGER rulebook_upsert;
ALTER TABLE @extschema@.award_kind ENABLE ALWAYS TRIGGER rulebook_upsert;
COMMENT ON TRIGGER rulebook_upsert ON @extschema@.category IS '细则导入 insert of an existing category updates it';
COMMENT ON TRIGGER rulebook_upsert ON @extschema@.item IS '细则导入 insert of an existing item updates it';
COMMENT ON TRIGGER rulebook_upsert ON @extschema@.award_kind IS '细则导入 insert of an existing award kind updates it';

CREATE TRIGGER score_check BEFORE INSERT OR UPDATE ON @extschema@.score
	FOR EACH ROW EXECUTE FUNCTION @extschema@.score_check();
CREATE TRIGGER award_check BEFORE INSERT OR UPDATE ON @extschema@.award
	FOR EACH ROW EXECUTE FUNCTION @extschema@.award_check();
-- a delete is checked once per member-month, over the deleted rows; named
-- to fire before audit_delete (AFTER triggers fire in name order), so that
-- a delete's audit ids are taken after it holds its quarters' branch rows,
-- as every other write's are: the trail's order is the order of the locks
CREATE TRIGGER allow_delete AFTER DELETE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ledger_delete_check();
CREATE TRIGGER allow_delete AFTER DELETE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ledger_delete_check();
CREATE TRIGGER evaluation_check BEFORE INSERT OR UPDATE ON @extschema@.evaluation
	FOR EACH ROW EXECUTE FUNCTION @extschema@.evaluation_check();
CREATE TRIGGER sanction_check BEFORE INSERT OR UPDATE ON @extschema@.sanction
	FOR EACH ROW EXECUTE FUNCTION @extschema@.sanction_check();

CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.category
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE UPDATE ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();

CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.item
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.award_kind
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.member
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();

COMMENT ON TRIGGER score_check ON @extschema@.score IS '积分写入规则 score write rules';
COMMENT ON TRIGGER award_check ON @extschema@.award IS '奖励写入规则 award write rules';
COMMENT ON TRIGGER allow_delete ON @extschema@.score IS '积分删除规则 deleted scores: their quarters recording';
COMMENT ON TRIGGER allow_delete ON @extschema@.award IS '奖励删除规则 deleted awards: their quarters recording';
COMMENT ON TRIGGER evaluation_check ON @extschema@.evaluation IS '民主评议写入规则 evaluation write rules';
COMMENT ON TRIGGER sanction_check ON @extschema@.sanction IS '处分写入规则 sanction write rules';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.item IS '细则一致性 exact maximum and step, consistent with recorded points';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.award_kind IS '细则一致性 exact award points, fixed once awards are recorded';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.category IS '细则一致性 exact caps; the reward category stays, its cap fixed once awards are recorded';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.member IS '党籍一致性 membership covers every recorded month';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.item IS '细则缓存失效 rulebook cache invalidation';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.award_kind IS '细则缓存失效 rulebook cache invalidation';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.member IS '党员缓存失效 member cache invalidation';

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

CREATE FUNCTION @extschema@.member_month_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'member_month_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.member_month_changed() IS '月度台账 keeps pointsys.member_month in step with score and award';

CREATE TRIGGER member_month_insert AFTER INSERT ON @extschema@.score
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_update AFTER UPDATE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_delete AFTER DELETE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_truncate AFTER TRUNCATE ON @extschema@.score
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
ALTER TABLE @extschema@.score ENABLE ALWAYS TRIGGER member_month_insert,
	ENABLE ALWAYS TRIGGER member_month_update, ENABLE ALWAYS TRIGGER member_month_delete,
	ENABLE ALWAYS TRIGGER member_month_truncate;
COMMENT ON TRIGGER member_month_insert ON @extschema@.score IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_update ON @extschema@.score IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_delete ON @extschema@.score IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_truncate ON @extschema@.score IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';

CREATE TRIGGER member_month_insert AFTER INSERT ON @extschema@.award
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_update AFTER UPDATE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_delete AFTER DELETE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
CREATE TRIGGER member_month_truncate AFTER TRUNCATE ON @extschema@.award
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.member_month_changed();
ALTER TABLE @extschema@.award ENABLE ALWAYS TRIGGER member_month_insert,
	ENABLE ALWAYS TRIGGER member_month_update, ENABLE ALWAYS TRIGGER member_month_delete,
	ENABLE ALWAYS TRIGGER member_month_truncate;
COMMENT ON TRIGGER member_month_insert ON @extschema@.award IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_update ON @extschema@.award IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_delete ON @extschema@.award IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';
COMMENT ON TRIGGER member_month_truncate ON @extschema@.award IS '月度台账 keeps pointsys.member_month in step (fires in replica mode too)';

-- 逻辑复制 on a logical replication subscriber the apply worker fires row
-- triggers only: these count each applied score and award row into the
-- month ledger (month_ledger_rows.c) and drop the cached rulebook, members
-- (and recorders: see the process) when their rows arrive.  ENABLE REPLICA: they fire only in
-- replica mode, and act only in a replication worker.
CREATE FUNCTION @extschema@.member_month_replicated() RETURNS trigger
	AS 'MODULE_PATHNAME', 'member_month_replicated' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.member_month_replicated() IS
	'月度台账（逻辑复制） counts each row a logical replication worker applies to score or award into pointsys.member_month';
CREATE TRIGGER member_month_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.score
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_month_replicated();
CREATE TRIGGER member_month_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.award
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_month_replicated();
ALTER TABLE @extschema@.score ENABLE REPLICA TRIGGER member_month_replicated;
ALTER TABLE @extschema@.award ENABLE REPLICA TRIGGER member_month_replicated;
COMMENT ON TRIGGER member_month_replicated ON @extschema@.score IS
	'月度台账（逻辑复制） keeps pointsys.member_month in step with rows a subscription applies';
COMMENT ON TRIGGER member_month_replicated ON @extschema@.award IS
	'月度台账（逻辑复制） keeps pointsys.member_month in step with rows a subscription applies';
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
ALTER TABLE @extschema@.item ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.award_kind ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.member ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.item IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.award_kind IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.member IS
	'成员缓存失效（逻辑复制） member cache invalidation for rows a subscription applies';

------------------------------------------------------------------------
-- 台账读取 reading the ledger
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.year_of(pg_catalog.date) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'pointsys_year_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.year_of(pg_catalog.date) IS '年度 calendar year of a date';

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

------------------------------------------------------------------------
-- pg_dump keeps the ledger
------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('pointsys.branch', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.member', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.category', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.item', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.award_kind', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.score', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.award', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.sanction', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.evaluation', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.award_award_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.sanction_sanction_id_seq', '');

------------------------------------------------------------------------
-- 操作流程 the process: recorders, quarter statuses (doc/contract.md §4)
------------------------------------------------------------------------

CREATE TABLE @extschema@.recorder (
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	role_name pg_catalog.name NOT NULL,
	elected_on pg_catalog.date NOT NULL,
	PRIMARY KEY (branch_id, role_name)
);
COMMENT ON TABLE @extschema@.recorder IS '记录员 recorders elected by each branch meeting (确定记录员)';
COMMENT ON COLUMN @extschema@.recorder.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.recorder.role_name IS '记录员角色 role of the recorder (its members record for the branch)';
COMMENT ON COLUMN @extschema@.recorder.elected_on IS '推选日期 elected on';

CREATE TABLE @extschema@.period (
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	year pg_catalog.int4 NOT NULL,
	quarter pg_catalog.int4 NOT NULL CHECK (quarter OPERATOR(pg_catalog.>=) 1 AND quarter OPERATOR(pg_catalog.<=) 4),
	status pg_catalog.text NOT NULL DEFAULT 'recording',
	changed_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	changed_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	publicity_start pg_catalog.date,
	publicity_end pg_catalog.date,
	PRIMARY KEY (branch_id, year, quarter)
);
COMMENT ON TABLE @extschema@.period IS '季度流程 status of each branch quarter: recording → approved → publicized → filed → verified; no row: recording';
COMMENT ON COLUMN @extschema@.period.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.period.year IS '年度 year';
COMMENT ON COLUMN @extschema@.period.quarter IS '季度 quarter (1..4)';
COMMENT ON COLUMN @extschema@.period.status IS '状态 recording 考核登记, approved 党员大会评定, publicized 公示, filed 上报备案, verified 积分核查';
COMMENT ON COLUMN @extschema@.period.changed_by IS '变更人 changed by';
COMMENT ON COLUMN @extschema@.period.changed_at IS '变更时间 changed at';
COMMENT ON COLUMN @extschema@.period.publicity_start IS '公示开始 publicity started on (set when the quarter is publicized; Beijing time)';
COMMENT ON COLUMN @extschema@.period.publicity_end IS '公示结束 publicity ends at the start of this day: the quarter may be filed from this day on';

-- The audit trail is stored by statement (release 1.4): one row of
-- audit_log holds up to a thousand changed rows of one statement, their
-- old and new versions as jsonb arrays (compressed together) and the
-- first of their consecutive audit ids; a statement that changes one row
-- stores its objects as they are (row_count 1).  The view audit shows
-- one row per row changed, as the table of that name did before.
CREATE TABLE @extschema@.audit_log (
	audit_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	actor pg_catalog.name NOT NULL,
	acting_as pg_catalog.name NOT NULL,
	table_name pg_catalog.text NOT NULL,
	action pg_catalog.text NOT NULL,
	old_row pg_catalog.jsonb,
	new_row pg_catalog.jsonb,
	reason pg_catalog.text,
	row_count pg_catalog.int4 NOT NULL DEFAULT 1
		CONSTRAINT audit_log_row_count_range CHECK (row_count OPERATOR(pg_catalog.>=) 1 AND row_count OPERATOR(pg_catalog.<=) 1000)
);
COMMENT ON TABLE @extschema@.audit_log IS
	'积分核查存储 storage of the audit trail: the changed rows of a statement, up to a thousand a row (read them in the view audit); never updated or deleted';
COMMENT ON COLUMN @extschema@.audit_log.audit_id IS '审计编号 audit id of the first row changed (the others follow it)';
COMMENT ON COLUMN @extschema@.audit_log.at IS '时间 transaction time of the change';
COMMENT ON COLUMN @extschema@.audit_log.actor IS '操作人 session user';
COMMENT ON COLUMN @extschema@.audit_log.acting_as IS '操作角色 current user';
COMMENT ON COLUMN @extschema@.audit_log.table_name IS '表 table changed';
COMMENT ON COLUMN @extschema@.audit_log.action IS '操作 INSERT, UPDATE, DELETE or TRUNCATE';
COMMENT ON COLUMN @extschema@.audit_log.old_row IS '原记录 row before (row_count 1), or the jsonb array of the rows before';
COMMENT ON COLUMN @extschema@.audit_log.new_row IS '新记录 row after (row_count 1), or the jsonb array of the rows after';
COMMENT ON COLUMN @extschema@.audit_log.reason IS
	'理由 SET pointsys.reason of the session (at most 1000 characters); NULL when unset';
COMMENT ON COLUMN @extschema@.audit_log.row_count IS '行数 rows changed: 1, or the length of the arrays';

-- lz4 where the server has it: the arrays are compressed as they are written
DO LANGUAGE plpgsql $$
BEGIN
	ALTER TABLE pointsys.audit_log ALTER COLUMN old_row SET COMPRESSION lz4,
		ALTER COLUMN new_row SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;						-- built without lz4: pglz, the default
END
$$;

CREATE VIEW @extschema@.audit WITH (security_invoker = true) AS
SELECT a.audit_id, a.at, a.actor, a.acting_as, a.table_name, a.action,
	   -- (guarded: a condition on old_row may be tested before the WHERE)
	   CASE WHEN a.row_count OPERATOR(pg_catalog.=) 1 THEN a.old_row END AS old_row,
	   CASE WHEN a.row_count OPERATOR(pg_catalog.=) 1 THEN a.new_row END AS new_row, a.reason
FROM @extschema@.audit_log a
WHERE a.row_count OPERATOR(pg_catalog.=) 1
UNION ALL
SELECT a.audit_id OPERATOR(pg_catalog.+) (r.n OPERATOR(pg_catalog.-) 1), a.at, a.actor, a.acting_as,
	   a.table_name, a.action, r.old_row, r.new_row, a.reason
FROM @extschema@.audit_log a
CROSS JOIN LATERAL ROWS FROM (
		pg_catalog.jsonb_array_elements(CASE WHEN a.row_count OPERATOR(pg_catalog.>) 1 THEN a.old_row END),
		pg_catalog.jsonb_array_elements(CASE WHEN a.row_count OPERATOR(pg_catalog.>) 1 THEN a.new_row END))
	WITH ORDINALITY AS r (old_row, new_row, n)
WHERE a.row_count OPERATOR(pg_catalog.>) 1;
COMMENT ON VIEW @extschema@.audit IS '积分核查 audit trail: one row per change of the ledger, rulebook and process; never updated or deleted';
COMMENT ON COLUMN @extschema@.audit.audit_id IS '审计编号 audit id';
COMMENT ON COLUMN @extschema@.audit.at IS '时间 transaction time of the change';
COMMENT ON COLUMN @extschema@.audit.actor IS '操作人 session user';
COMMENT ON COLUMN @extschema@.audit.acting_as IS '操作角色 current user';
COMMENT ON COLUMN @extschema@.audit.table_name IS '表 table changed';
COMMENT ON COLUMN @extschema@.audit.action IS '操作 INSERT, UPDATE, DELETE or TRUNCATE';
COMMENT ON COLUMN @extschema@.audit.old_row IS '原记录 row before';
COMMENT ON COLUMN @extschema@.audit.new_row IS '新记录 row after';
COMMENT ON COLUMN @extschema@.audit.reason IS
	'理由 SET pointsys.reason of the session (at most 1000 characters); NULL when unset';

CREATE FUNCTION @extschema@.period_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'period_check' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.period_check() IS '季度流程规则 one step at a time; recorders up to filed; admin verifies and reopens with a reason';
CREATE TRIGGER period_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.period
	FOR EACH ROW EXECUTE FUNCTION @extschema@.period_check();
COMMENT ON TRIGGER period_check ON @extschema@.period IS '季度流程规则 quarter status rules';

CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.recorder
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
COMMENT ON TRIGGER rulebook_changed ON @extschema@.recorder IS '记录员缓存失效 recorder cache invalidation';
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.recorder
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
ALTER TABLE @extschema@.recorder ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.recorder IS
	'记录员缓存失效（逻辑复制） recorder cache invalidation for rows a subscription applies';

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
	   e.democratic, v.vetoed,
	   CAST(CASE WHEN v.vetoed THEN 0.00
				 ELSE @extschema@.annual_total(f.assessment, e.democratic) END
			AS pg_catalog.numeric(5,2)) AS total,
	   g.grade,
	   @extschema@.eligibility(g.grade) AS eligibility,
	   @extschema@.eligibility_label(g.grade) AS eligibility_label,
	   COALESCE(e.democratic IS NOT NULL
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
COMMENT ON COLUMN @extschema@.annual_results.democratic IS '民主评议 democratic score; NULL: not yet evaluated';
COMMENT ON COLUMN @extschema@.annual_results.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.annual_results.total IS '年度积分 annual total; 0 when vetoed, NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.grade IS '格次 grade; NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.eligibility IS '结果运用 use of results';
COMMENT ON COLUMN @extschema@.annual_results.eligibility_label IS '结果运用说明 use of results in words, in the language of pointsys.language';
COMMENT ON COLUMN @extschema@.annual_results.final IS
	'定级 the grade is final: every recorded quarter verified (in the branch of its months) and the democratic score recorded; false: provisional';
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

CREATE FUNCTION @extschema@.advance(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
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
COMMENT ON FUNCTION @extschema@.advance(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'推进流程 move a branch quarter one step: recording → approved (党员大会评定) → publicized (公示) → filed (上报备案) → verified (积分核查); returns the new status';

CREATE FUNCTION @extschema@.reopen(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4,
								   reason pg_catalog.text)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pointsys.quarter_start(reopen.year, reopen.quarter);
	IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = pg_catalog.format('only pointsys_admin may reopen quarter %s-Q%s of branch "%s"',
										reopen.year, reopen.quarter, reopen.branch_id);
	END IF;
	IF reopen.reason IS NULL OR pg_catalog.btrim(reopen.reason) OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('reopening quarter %s-Q%s of branch "%s" needs a reason',
										reopen.year, reopen.quarter, reopen.branch_id);
	END IF;
	PERFORM pg_catalog.set_config('pointsys.reason', reopen.reason, true);
	UPDATE pointsys.period p SET status = 'recording'
	WHERE p.branch_id OPERATOR(pg_catalog.=) reopen.branch_id
	  AND p.year OPERATOR(pg_catalog.=) reopen.year
	  AND p.quarter OPERATOR(pg_catalog.=) reopen.quarter;
	RETURN 'recording';
END
$$;
COMMENT ON FUNCTION @extschema@.reopen(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.text) IS
	'重新开放 take a branch quarter back to recording (pointsys_admin only; the reason is required and audited)';

------------------------------------------------------------------------
-- 积分核查 the audit trail
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.audit_changes() RETURNS trigger
	AS 'MODULE_PATHNAME', 'audit_changes' LANGUAGE C;
CREATE FUNCTION @extschema@.audit_immutable() RETURNS trigger
	AS 'MODULE_PATHNAME', 'audit_immutable' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.audit_changes() IS '审计记录 writes the audit rows of a change';
COMMENT ON FUNCTION @extschema@.audit_immutable() IS '审计不可改 refuses to change the audit trail';

CREATE TRIGGER audit_immutable BEFORE UPDATE OR DELETE ON @extschema@.audit_log
	FOR EACH ROW EXECUTE FUNCTION @extschema@.audit_immutable();
CREATE TRIGGER audit_immutable_truncate BEFORE TRUNCATE ON @extschema@.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_immutable();
COMMENT ON TRIGGER audit_immutable ON @extschema@.audit_log IS '审计不可改 audit rows are never updated or deleted';
COMMENT ON TRIGGER audit_immutable_truncate ON @extschema@.audit_log IS '审计不可改 the audit trail is never truncated';
CREATE TRIGGER audit_immutable INSTEAD OF INSERT OR UPDATE OR DELETE ON @extschema@.audit
	FOR EACH ROW EXECUTE FUNCTION @extschema@.audit_immutable();
COMMENT ON TRIGGER audit_immutable ON @extschema@.audit IS '审计不可改 audit rows are never written, updated or deleted by hand';

-- one audit row per row changed: statement triggers over the transition
-- tables (an update's old and new rows are paired in order)

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.score
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.score
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.score IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.score IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.score IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.score IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.award
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.award
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.award IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.award IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.award IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.award IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.sanction
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.sanction
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.sanction
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.sanction
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.sanction IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.sanction IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.sanction IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.sanction IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.evaluation
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.evaluation
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.evaluation
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.evaluation
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.evaluation IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.evaluation IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.evaluation IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.evaluation IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.branch
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.branch
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.branch
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.branch
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.branch IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.branch IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.branch IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.branch IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.member
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.member
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.member
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.member
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.member IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.member IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.member IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.member IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.period
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.period
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.period
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.period
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.period IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.period IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.period IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.period IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.recorder
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.recorder
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.recorder
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.recorder
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.recorder IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.recorder IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.recorder IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.recorder IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.item
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.item
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.item
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.item
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.item IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.item IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.item IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.item IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.category
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.category
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.category
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.category
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.category IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.category IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.category IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.category IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.award_kind
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.award_kind
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.award_kind
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.award_kind
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.award_kind IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.award_kind IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.award_kind IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.award_kind IS '审计 audit trail of truncation';

------------------------------------------------------------------------
-- 节点标识 ids unique across bureaus: a node identity per database (issue 13)
------------------------------------------------------------------------
-- award_id, sanction_id and audit_id stay identity columns (the audit
-- trail's C code and every INSERT keep working unchanged), but each
-- database numbers them in a range of its own: node × 2^40 + 1, 2, ...
-- CREATE EXTENSION (and the update from 1.2) picks a random node from 1 to
-- 8388607; the DBA of a city of bureaus sets planned ones with
-- set_node() before any id is given out.  Ids below 2^40 are node 0:
-- rows written before release 1.3.

CREATE FUNCTION @extschema@.node_of(id pg_catalog.int8) RETURNS pg_catalog.int4
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (id OPERATOR(pg_catalog.>>) 40)::pg_catalog.int4;
COMMENT ON FUNCTION @extschema@.node_of(pg_catalog.int8) IS
	'来源节点 the node (database) that gave out an award, sanction or audit id; 0: before release 1.3';

CREATE FUNCTION @extschema@.set_node(node pg_catalog.int4) RETURNS pg_catalog.int4
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tbl pg_catalog.text;
	col pg_catalog.text;
	used pg_catalog.int8;
BEGIN
	IF node IS NULL OR node OPERATOR(pg_catalog.<) 1 OR node OPERATOR(pg_catalog.>) 8388607 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('node identity %s is out of range', COALESCE(node::pg_catalog.text, 'NULL')),
			HINT = 'A node identity is an integer from 1 to 8388607, one per database of the city.';
	END IF;
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit_log'] LOOP
		col := pg_catalog.replace(tbl, '_log', '') OPERATOR(pg_catalog.||) '_id';
		EXECUTE pg_catalog.format('SELECT max(%I) FROM pointsys.%I WHERE %I OPERATOR(pg_catalog.>=) 1099511627776',
								  col, tbl, col)
			INTO used;
		IF used IS NOT NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('node identity cannot change: pointsys.%s has ids of node %s',
											tbl, used OPERATOR(pg_catalog.>>) 40),
				DETAIL = pg_catalog.format('Its %s %s was given out under that node.', col, used),
				HINT = 'Set the node right after CREATE EXTENSION, before any award, sanction or audited change.';
		END IF;
	END LOOP;
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit_log'] LOOP
		EXECUTE pg_catalog.format('ALTER TABLE pointsys.%I ALTER COLUMN %I RESTART WITH %s', tbl,
								  pg_catalog.replace(tbl, '_log', '') OPERATOR(pg_catalog.||) '_id',
								  node::pg_catalog.int8 OPERATOR(pg_catalog.*) 1099511627776 OPERATOR(pg_catalog.+) 1);
	END LOOP;
	RETURN node;
END
$$;
COMMENT ON FUNCTION @extschema@.set_node(pg_catalog.int4) IS
	'节点标识 numbers this database''s award, sanction and audit ids from node × 2^40 + 1 (node 1..8388607); only before any such id of 1.3 exists';
REVOKE ALL ON FUNCTION @extschema@.set_node(pg_catalog.int4) FROM PUBLIC;

SELECT @extschema@.set_node((pg_catalog.floor(pg_catalog.random() OPERATOR(pg_catalog.*) 8388607))::pg_catalog.int4
							OPERATOR(pg_catalog.+) 1);

------------------------------------------------------------------------
-- 建党以前的日期 no date before the founding of the party (issue 11): the
-- Communist Party of China was founded in July 1921, so a membership, a
-- sanction or a recorder's election before it is a typo (0026 for 2026).
-- Score and award months and evaluation years are refused by their
-- triggers (22008); these dates by CHECK constraints (23514).
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
-- 角色与权限 roles, privileges and row-level security
------------------------------------------------------------------------

DO LANGUAGE plpgsql $$
DECLARE
	r pg_catalog.text;
BEGIN
	FOREACH r IN ARRAY ARRAY['pointsys_admin', 'pointsys_recorder', 'pointsys_reader'] LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END
$$;
COMMENT ON ROLE pointsys_admin IS '局党组 pointsys administrators: everything, in every branch';
COMMENT ON ROLE pointsys_recorder IS '记录员 pointsys recorders: scores and awards of their branches';
COMMENT ON ROLE pointsys_reader IS '报表工具 pointsys readers: read everything, write nothing';

CREATE FUNCTION @extschema@.may_record(member_id pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'may_record' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
CREATE FUNCTION @extschema@.may_record(member_id pg_catalog.text, month pg_catalog.date) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'may_record_month' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
CREATE FUNCTION @extschema@.may_record_branch(branch_id pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'may_record_branch' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.may_record(pg_catalog.text) IS '记录权限 is the current user a recorder of this member''s (current) branch';
COMMENT ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date) IS '记录权限 is the current user a recorder of the branch this member belonged to in that month';
COMMENT ON FUNCTION @extschema@.may_record_branch(pg_catalog.text) IS '记录权限 is the current user a recorder of this branch';

GRANT USAGE ON SCHEMA @extschema@ TO pointsys_admin, pointsys_recorder, pointsys_reader;

-- Read like score: recorders see their branches' members only
ALTER TABLE @extschema@.member_month ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.member_month FOR SELECT TO pointsys_admin USING (true);
CREATE POLICY reader_all ON @extschema@.member_month FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.member_month FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month));
COMMENT ON POLICY admin_all ON @extschema@.member_month IS '局党组 pointsys_admin reads every branch';
COMMENT ON POLICY reader_all ON @extschema@.member_month IS '报表工具 pointsys_reader reads every branch';
COMMENT ON POLICY recorder_branch ON @extschema@.member_month IS '记录员 the months members spent in the recorder''s branches';
GRANT SELECT ON @extschema@.member_month TO pointsys_admin, pointsys_recorder, pointsys_reader;


GRANT SELECT, INSERT, UPDATE, DELETE ON
	@extschema@.branch, @extschema@.member, @extschema@.category, @extschema@.item,
	@extschema@.award_kind, @extschema@.score, @extschema@.award, @extschema@.sanction,
	@extschema@.evaluation, @extschema@.recorder, @extschema@.period
	TO pointsys_admin;
GRANT SELECT ON
	@extschema@.audit_log, @extschema@.audit, @extschema@.member_years, @extschema@.monthly_scores,
	@extschema@.quarterly_scores, @extschema@.annual_results
	TO pointsys_admin;

GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO pointsys_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.score, @extschema@.award TO pointsys_recorder;
GRANT SELECT, INSERT, UPDATE ON @extschema@.period TO pointsys_recorder;
GRANT SELECT ON
	@extschema@.branch, @extschema@.member, @extschema@.recorder,
	@extschema@.category, @extschema@.item, @extschema@.award_kind,
	@extschema@.member_years, @extschema@.monthly_scores, @extschema@.quarterly_scores
	TO pointsys_recorder;

REVOKE ALL ON FUNCTION @extschema@.advance(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.reopen(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.advance(pg_catalog.text, pg_catalog.int4, pg_catalog.int4)
	TO pointsys_admin, pointsys_recorder;
GRANT EXECUTE ON FUNCTION @extschema@.reopen(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.text)
	TO pointsys_admin;

ALTER TABLE @extschema@.score ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.award ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.member ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.branch ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.recorder ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.period ENABLE ROW LEVEL SECURITY;

CREATE POLICY admin_all ON @extschema@.score TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.score FOR SELECT TO pointsys_reader USING (true);
COMMENT ON POLICY admin_all ON @extschema@.score IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.score IS '报表工具 pointsys_reader reads every branch';
CREATE POLICY admin_all ON @extschema@.award TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.award FOR SELECT TO pointsys_reader USING (true);
COMMENT ON POLICY admin_all ON @extschema@.award IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.award IS '报表工具 pointsys_reader reads every branch';
CREATE POLICY admin_all ON @extschema@.member TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.member FOR SELECT TO pointsys_reader USING (true);
COMMENT ON POLICY admin_all ON @extschema@.member IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.member IS '报表工具 pointsys_reader reads every branch';
CREATE POLICY admin_all ON @extschema@.branch TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.branch FOR SELECT TO pointsys_reader USING (true);
COMMENT ON POLICY admin_all ON @extschema@.branch IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.branch IS '报表工具 pointsys_reader reads every branch';
CREATE POLICY admin_all ON @extschema@.recorder TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.recorder FOR SELECT TO pointsys_reader USING (true);
COMMENT ON POLICY admin_all ON @extschema@.recorder IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.recorder IS '报表工具 pointsys_reader reads every branch';
CREATE POLICY admin_all ON @extschema@.period TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.period FOR SELECT TO pointsys_reader USING (true);
COMMENT ON POLICY admin_all ON @extschema@.period IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.period IS '报表工具 pointsys_reader reads every branch';

CREATE POLICY recorder_branch ON @extschema@.score TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month)) WITH CHECK (@extschema@.may_record(member_id, month));
CREATE POLICY recorder_branch ON @extschema@.award TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month)) WITH CHECK (@extschema@.may_record(member_id, month));
CREATE POLICY recorder_branch ON @extschema@.member FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)
		   OR EXISTS (SELECT FROM @extschema@.membership s
					  WHERE s.member_id OPERATOR(pg_catalog.=) member.member_id
						AND @extschema@.may_record_branch(s.branch_id)));
CREATE POLICY recorder_branch ON @extschema@.branch FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.recorder FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.period TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)) WITH CHECK (@extschema@.may_record_branch(branch_id));
COMMENT ON POLICY recorder_branch ON @extschema@.score IS '记录员 scores of the months members spent in the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.award IS '记录员 awards of the months members spent in the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.member IS '记录员 members who belong or belonged to one of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.branch IS '记录员 the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.recorder IS '记录员 recorders of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.period IS '记录员 quarters of the recorder''s branches';

SELECT pg_catalog.pg_extension_config_dump('pointsys.recorder', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.period', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.audit_log_audit_id_seq', '');

------------------------------------------------------------------------
-- 台账文书与结果运用 the branch's paperwork and the use of results
-- (issue 14): settings, publicity dates, rankings, the record form,
-- publicity lists, mentoring, points needed, printable sheets
------------------------------------------------------------------------

CREATE TABLE @extschema@.setting (
	name pg_catalog.text PRIMARY KEY,
	value pg_catalog.int4 NOT NULL,
	CONSTRAINT setting_known CHECK (
		(name OPERATOR(pg_catalog.=) 'publicity_days'
		 AND value OPERATOR(pg_catalog.>=) 0 AND value OPERATOR(pg_catalog.<=) 60)
		OR (name OPERATOR(pg_catalog.=) 'mentees_per_mentor'
			AND value OPERATOR(pg_catalog.>=) 1 AND value OPERATOR(pg_catalog.<=) 10))
);
COMMENT ON TABLE @extschema@.setting IS
	'局设置 the bureau''s settings (pointsys_admin); no row: the default (publicity_days 5, mentees_per_mentor 1)';
COMMENT ON COLUMN @extschema@.setting.name IS '设置项 publicity_days (公示天数, 0..60) or mentees_per_mentor (每名帮扶人帮扶人数, 1..10)';
COMMENT ON COLUMN @extschema@.setting.value IS '值 value';
COMMENT ON CONSTRAINT setting_known ON @extschema@.setting IS '设置范围 a known setting within its range';

-- 公示 the publicity dates of a quarter: set when it moves to publicized;
-- it moves to filed only once publicity has ended.  Dates are Beijing time,
-- so that a session's TimeZone cannot shorten publicity.
CREATE FUNCTION @extschema@.period_publicity() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	today pg_catalog.date := (pg_catalog.now() AT TIME ZONE 'Asia/Shanghai')::pg_catalog.date;
	days pg_catalog.int4;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.period'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('period_publicity: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NEW.status OPERATOR(pg_catalog.=) 'publicized'
	   AND (TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.status OPERATOR(pg_catalog.<>) 'publicized') THEN
		SELECT s.value INTO days FROM pointsys.setting s
		WHERE s.name OPERATOR(pg_catalog.=) 'publicity_days';
		NEW.publicity_start := today;
		NEW.publicity_end := today OPERATOR(pg_catalog.+) COALESCE(days, 5);
	ELSIF TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR NEW.status OPERATOR(pg_catalog.=) 'recording' THEN
		NEW.publicity_start := NULL;
		NEW.publicity_end := NULL;
	ELSE
		NEW.publicity_start := OLD.publicity_start;
		NEW.publicity_end := OLD.publicity_end;
		IF NEW.status OPERATOR(pg_catalog.=) 'filed' AND OLD.status OPERATOR(pg_catalog.=) 'publicized'
		   AND today OPERATOR(pg_catalog.<) OLD.publicity_end THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is still in publicity until %s',
											NEW.year, NEW.quarter, NEW.branch_id,
											OLD.publicity_end OPERATOR(pg_catalog.-) 1),
				DETAIL = pg_catalog.format('Publicity started on %s and ends at the start of %s (Beijing time).',
										   OLD.publicity_start, OLD.publicity_end),
				HINT = pg_catalog.format('File the quarter on or after %s.', OLD.publicity_end);
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.period_publicity() IS
	'公示期 stamps a quarter''s publicity dates when it is publicized; refuses filed before publicity has ended';
-- named to fire after period_check (BEFORE triggers fire in name order)
CREATE TRIGGER period_publicity BEFORE INSERT OR UPDATE ON @extschema@.period
	FOR EACH ROW EXECUTE FUNCTION @extschema@.period_publicity();
COMMENT ON TRIGGER period_publicity ON @extschema@.period IS '公示期 publicity dates; no filing before publicity ends';

-- 排名 rankings: a quarter's score, a year's total; ties share a rank
-- (1, 1, 3); vetoed years after every other year, pending years unranked
CREATE VIEW @extschema@.rankings WITH (security_invoker = true) AS
SELECT q.member_id, b.branch_id, q.year, q.quarter, q.score,
	   pg_catalog.rank() OVER (PARTITION BY b.branch_id, q.year, q.quarter ORDER BY q.score DESC) AS branch_rank,
	   pg_catalog.rank() OVER (PARTITION BY q.year, q.quarter ORDER BY q.score DESC) AS bureau_rank,
	   NULL::pg_catalog.bool AS vetoed
FROM @extschema@.quarterly_scores q
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
-- the branch of the quarter's last month (looked up for the members with
-- more than one membership row, as in annual_results)
LEFT JOIN @extschema@.moved_members() t (member_id)
	ON t.member_id OPERATOR(pg_catalog.=) q.member_id
CROSS JOIN LATERAL (SELECT COALESCE(@extschema@.branch_of(t.member_id,
		pg_catalog.make_date(q.year, q.quarter OPERATOR(pg_catalog.*) 3, 1)), m.branch_id) AS branch_id) b
UNION ALL
SELECT r.member_id, r.branch_id, r.year, NULL::pg_catalog.int4, r.total,
	   CASE WHEN r.total IS NOT NULL THEN
		   pg_catalog.rank() OVER (PARTITION BY r.branch_id, r.year, r.total IS NULL
								   ORDER BY r.vetoed, r.total DESC) END,
	   CASE WHEN r.total IS NOT NULL THEN
		   pg_catalog.rank() OVER (PARTITION BY r.year, r.total IS NULL
								   ORDER BY r.vetoed, r.total DESC) END,
	   r.vetoed
FROM @extschema@.annual_results r;
COMMENT ON VIEW @extschema@.rankings IS
	'排名 ranks in the branch and the bureau per quarter and per year; ties share a rank; vetoed years last, pending years unranked';
COMMENT ON COLUMN @extschema@.rankings.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.rankings.branch_id IS '所在支部 branch: the member''s branch in the quarter''s last month, or in December for the year';
COMMENT ON COLUMN @extschema@.rankings.year IS '年度 year';
COMMENT ON COLUMN @extschema@.rankings.quarter IS '季度 quarter (1..4); NULL: the year';
COMMENT ON COLUMN @extschema@.rankings.score IS '积分 quarter score, or the annual total (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.branch_rank IS '支部排名 rank in the branch (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.bureau_rank IS '全局排名 rank in the bureau (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.vetoed IS '一票否决 the year is vetoed (ranked last); NULL for a quarter';

-- 积分管理记录表 the record form: one row per recorded member-month, the
-- rulebook's items in its order (the categories and items as shipped, then
-- any added ones by code)
CREATE FUNCTION @extschema@.rulebook_items() RETURNS pg_catalog.text[]
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(i.item ORDER BY
		pg_catalog.array_position(ARRAY['study', 'service', 'innovation', 'worklist', 'role']::pg_catalog.text[],
								  i.category) NULLS LAST,
		i.category,
		pg_catalog.array_position(ARRAY['study_training', 'study_notes', 'org_life', 'business_notes',
										'reflection', 'liaison', 'mass_work', 'solve_difficulties',
										'volunteer', 'innovation_recorded', 'resolve_conflicts',
										'share_innovation', 'on_time', 'exceed', 'recognized',
										'extra_duties', 'role']::pg_catalog.text[],
								  i.item) NULLS LAST,
		i.item)
	FROM @extschema@.item i;
END;
COMMENT ON FUNCTION @extschema@.rulebook_items() IS
	'细则顺序 the item codes in rulebook order: the shipped categories and items in the order of the rules, then added ones by code';

CREATE VIEW @extschema@.record_sheet WITH (security_invoker = true) AS
SELECT @extschema@.branch_of(mm.member_id, mm.month) AS branch_id, mm.member_id, m.name, mm.month, r.items,
	   ARRAY(SELECT s.points
			 FROM pg_catalog.unnest(r.items) WITH ORDINALITY AS u(item, n)
			 LEFT JOIN @extschema@.score s
				ON s.member_id OPERATOR(pg_catalog.=) mm.member_id
			   AND s.month OPERATOR(pg_catalog.=) mm.month
			   AND s.item OPERATOR(pg_catalog.=) u.item
			 ORDER BY u.n) AS points,
	   mm.award_points,
	   LEAST(mm.award_points, c.cap) AS reward,
	   mm.points OPERATOR(pg_catalog.+) LEAST(mm.award_points, c.cap) AS total
FROM @extschema@.member_month mm
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) mm.member_id
CROSS JOIN (SELECT @extschema@.rulebook_items() AS items) r
CROSS JOIN (SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward') c;
COMMENT ON VIEW @extschema@.record_sheet IS
	'党员积分管理记录表 the record form: one row per recorded member-month, each item''s points in rulebook order, the awards, the capped reward and the total';
COMMENT ON COLUMN @extschema@.record_sheet.branch_id IS '支部 branch: the member''s branch in that month';
COMMENT ON COLUMN @extschema@.record_sheet.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.record_sheet.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.record_sheet.month IS '月份 month (first day)';
COMMENT ON COLUMN @extschema@.record_sheet.items IS '积分项目 the item codes in rulebook order (the same in every row)';
COMMENT ON COLUMN @extschema@.record_sheet.points IS '各项得分 points of each item, in the order of items; NULL: no score row';
COMMENT ON COLUMN @extschema@.record_sheet.award_points IS '奖励加分 award points before the cap';
COMMENT ON COLUMN @extschema@.record_sheet.reward IS '奖励分 award points, capped';
COMMENT ON COLUMN @extschema@.record_sheet.total IS '月度积分 monthly total';

-- Who may print a branch's documents: pointsys_admin and pointsys_reader
-- every branch, a recorder their branches
CREATE FUNCTION @extschema@.check_branch_documents(branch_id pg_catalog.text) RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT (pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
			OR pg_catalog.pg_has_role('pointsys_reader', 'USAGE')
			OR (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE')
				AND pointsys.may_record_branch(check_branch_documents.branch_id))) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = pg_catalog.format('permission denied for the documents of branch "%s"',
										check_branch_documents.branch_id),
			DETAIL = 'Only pointsys_admin, pointsys_reader and the branch''s recorders may read them.';
	END IF;
	IF NOT EXISTS (SELECT FROM pointsys.branch b
				   WHERE b.branch_id OPERATOR(pg_catalog.=) check_branch_documents.branch_id) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'undefined_object',
			MESSAGE = pg_catalog.format('branch "%s" does not exist', check_branch_documents.branch_id);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_branch_documents(pg_catalog.text) IS
	'文书权限 refuses (42501) a role that may not read the branch''s documents, (42704) an unknown branch';

-- 公示 the quarter's list to post
CREATE FUNCTION @extschema@.publicity(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS TABLE (member_id pg_catalog.text, name pg_catalog.text,
				   m1 pg_catalog.numeric, m2 pg_catalog.numeric, m3 pg_catalog.numeric,
				   score pg_catalog.numeric, branch_rank pg_catalog.int8, status pg_catalog.text,
				   publicity_start pg_catalog.date, publicity_end pg_catalog.date, branches pg_catalog.text[])
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p_status pg_catalog.text;
	p_start pg_catalog.date;
	p_end pg_catalog.date;
	first_month pg_catalog.date;
BEGIN
	-- the rights first: a refused role learns nothing of the arguments
	PERFORM pointsys.check_branch_documents(publicity.branch_id);
	first_month := pointsys.quarter_start(publicity.year, publicity.quarter);
	SELECT p.status, p.publicity_start, p.publicity_end INTO p_status, p_start, p_end
	FROM pointsys.period p
	WHERE p.branch_id OPERATOR(pg_catalog.=) publicity.branch_id
	  AND p.year OPERATOR(pg_catalog.=) publicity.year
	  AND p.quarter OPERATOR(pg_catalog.=) publicity.quarter;
	IF COALESCE(p_status, 'recording') OPERATOR(pg_catalog.=) 'recording' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is not approved yet',
										publicity.year, publicity.quarter, publicity.branch_id),
			HINT = 'The branch meeting approves the quarter first (pointsys.advance).';
	END IF;
	RETURN QUERY
	SELECT q.member_id, m.name,
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id AND t.month OPERATOR(pg_catalog.=) first_month),
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id
			  AND t.month OPERATOR(pg_catalog.=) (first_month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval)::pg_catalog.date),
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id
			  AND t.month OPERATOR(pg_catalog.=) (first_month OPERATOR(pg_catalog.+) '2 months'::pg_catalog.interval)::pg_catalog.date),
		   q.score,
		   pg_catalog.rank() OVER (ORDER BY q.score DESC),
		   p_status, p_start, p_end, l.branches
	FROM pointsys.quarterly_scores q
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
	-- the members of the branch in at least one month of the quarter
	CROSS JOIN LATERAL (SELECT pointsys.branches_between(q.member_id, first_month,
			(first_month OPERATOR(pg_catalog.+) '2 months'::pg_catalog.interval)::pg_catalog.date) AS branches) l
	WHERE publicity.branch_id OPERATOR(pg_catalog.=) ANY (l.branches)
	  AND q.year OPERATOR(pg_catalog.=) publicity.year
	  AND q.quarter OPERATOR(pg_catalog.=) publicity.quarter
	ORDER BY 7, 1;
END
$$;
COMMENT ON FUNCTION @extschema@.publicity(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'季度公示 a branch quarter''s list to post: the members of the branch in at least one month of the quarter, their three monthly totals, quarter score and rank among them, the publicity dates, their branches in the quarter; 55000 before the quarter is approved';

-- 年度公示 the year's list to post, once every democratic score is in
CREATE FUNCTION @extschema@.annual_publicity(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS TABLE (member_id pg_catalog.text, name pg_catalog.text,
				   q1 pg_catalog.numeric, q2 pg_catalog.numeric, q3 pg_catalog.numeric, q4 pg_catalog.numeric,
				   assessment pg_catalog.numeric, democratic pg_catalog.numeric, vetoed pg_catalog.bool,
				   total pg_catalog.numeric, grade @extschema@.grade, branch_rank pg_catalog.int8,
				   final pg_catalog.bool, branches pg_catalog.text[])
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	missing pg_catalog.text;
	open_quarter pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_branch_documents(annual_publicity.branch_id);
	SELECT pg_catalog.string_agg(r.member_id, ', ' ORDER BY r.member_id) INTO missing
	FROM pointsys.annual_results r
	WHERE annual_publicity.branch_id OPERATOR(pg_catalog.=) ANY (r.branches)
	  AND r.year OPERATOR(pg_catalog.=) annual_publicity.year
	  AND r.democratic IS NULL AND NOT r.vetoed;
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('the %s results of branch "%s" are not complete',
										annual_publicity.year, annual_publicity.branch_id),
			DETAIL = pg_catalog.format('No democratic score for %s.', missing),
			HINT = 'Record the democratic evaluation (pointsys.evaluation) first.';
	END IF;
	-- the quarters of the branch with months recorded in it
	SELECT pointsys.quarter_of(mm.month) INTO open_quarter
	FROM pointsys.member_month mm
	LEFT JOIN pointsys.period p
		ON p.branch_id OPERATOR(pg_catalog.=) annual_publicity.branch_id
	   AND p.year OPERATOR(pg_catalog.=) annual_publicity.year
	   AND p.quarter OPERATOR(pg_catalog.=) pointsys.quarter_of(mm.month)
	WHERE mm.month OPERATOR(pg_catalog.>=) pg_catalog.make_date(annual_publicity.year, 1, 1)
	  AND mm.month OPERATOR(pg_catalog.<) pg_catalog.make_date(annual_publicity.year OPERATOR(pg_catalog.+) 1, 1, 1)
	  AND pointsys.branch_of(mm.member_id, mm.month) OPERATOR(pg_catalog.=) annual_publicity.branch_id
	  AND COALESCE(p.status, 'recording') OPERATOR(pg_catalog.=) 'recording'
	ORDER BY 1 LIMIT 1;
	IF open_quarter IS NOT NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is not approved yet',
										annual_publicity.year, open_quarter, annual_publicity.branch_id),
			HINT = 'Every recorded quarter of the year is approved before the year''s results are posted.';
	END IF;
	RETURN QUERY
	-- the members of the branch in at least one month of the year, ranked
	-- among themselves as pointsys.rankings ranks a branch
	SELECT r.member_id, m.name, r.q1, r.q2, r.q3, r.q4, r.assessment, r.democratic, r.vetoed,
		   r.total, r.grade,
		   CASE WHEN r.total IS NOT NULL THEN
			   pg_catalog.rank() OVER (PARTITION BY r.total IS NULL ORDER BY r.vetoed, r.total DESC) END,
		   r.final, r.branches
	FROM pointsys.annual_results r
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) r.member_id
	WHERE annual_publicity.branch_id OPERATOR(pg_catalog.=) ANY (r.branches)
	  AND r.year OPERATOR(pg_catalog.=) annual_publicity.year
	ORDER BY 12, 1;
END
$$;
COMMENT ON FUNCTION @extschema@.annual_publicity(pg_catalog.text, pg_catalog.int4) IS
	'年度公示 a branch year''s results to post: the members of the branch in at least one month of the year, ranked among them, with their branches of the year; 55000 while a democratic score is missing or a recorded quarter is not approved';

-- 一对一帮扶 mentoring of 不合格 member-years
CREATE TABLE @extschema@.mentoring (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	year pg_catalog.int4 NOT NULL,
	mentor_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	assigned_on pg_catalog.date NOT NULL DEFAULT CURRENT_DATE,
	ended_on pg_catalog.date,
	note pg_catalog.text,
	recorded_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	recorded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT mentoring_pkey PRIMARY KEY (member_id, year),
	CONSTRAINT mentoring_ended_after_assigned CHECK (ended_on OPERATOR(pg_catalog.>=) assigned_on)
);
CREATE INDEX mentoring_mentor_idx ON @extschema@.mentoring (mentor_id, year);
COMMENT ON TABLE @extschema@.mentoring IS '一对一帮扶 the mentor assigned to each 不合格 member-year';
COMMENT ON COLUMN @extschema@.mentoring.member_id IS '帮扶对象 the member graded 不合格';
COMMENT ON COLUMN @extschema@.mentoring.year IS '年度 the year graded 不合格';
COMMENT ON COLUMN @extschema@.mentoring.mentor_id IS '帮扶人 the mentor: a member of the party that year, not 不合格 that year';
COMMENT ON COLUMN @extschema@.mentoring.assigned_on IS '确定日期 assigned on';
COMMENT ON COLUMN @extschema@.mentoring.ended_on IS '结束日期 mentoring ended on; NULL: under way';
COMMENT ON COLUMN @extschema@.mentoring.note IS '备注 note';
COMMENT ON COLUMN @extschema@.mentoring.recorded_by IS '记录人 the role that wrote the row';
COMMENT ON COLUMN @extschema@.mentoring.recorded_at IS '记录时间 when the row was written';
COMMENT ON INDEX @extschema@.mentoring_pkey IS '帮扶主键 one mentoring per member-year';
COMMENT ON INDEX @extschema@.mentoring_mentor_idx IS '帮扶人 mentees of a mentor in a year';
COMMENT ON CONSTRAINT mentoring_ended_after_assigned ON @extschema@.mentoring IS '帮扶期间 ended on or after it was assigned';

-- Who writes, first, as the writer: a recorder's row for a member outside
-- their branches fails with row security's own error before any rule is
-- checked (the rules would tell about another branch); then the stamps.
CREATE FUNCTION @extschema@.mentoring_access() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.mentoring'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('mentoring_access: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
	   AND NOT (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE')
				AND EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
							WHERE pointsys.may_record(NEW.member_id, pg_catalog.make_date(NEW.year, g.n, 1)))) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = 'new row violates row-level security policy for table "mentoring"';
	END IF;
	NEW.recorded_by := CURRENT_USER;
	NEW.recorded_at := pg_catalog.now();
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_access() IS
	'帮扶权限 row security first (42501 for a member outside the recorder''s branches that year); stamps recorded_by and recorded_at';
-- named to fire before mentoring_check (BEFORE triggers fire in name order)
CREATE TRIGGER mentoring_access BEFORE INSERT OR UPDATE ON @extschema@.mentoring
	FOR EACH ROW EXECUTE FUNCTION @extschema@.mentoring_access();
COMMENT ON TRIGGER mentoring_access ON @extschema@.mentoring IS '帮扶权限 row security first; the stamps';

-- The rules, as the owner: they read grades and mentors of every branch.
-- Checked on INSERT and when member, year or mentor change.
CREATE FUNCTION @extschema@.mentoring_check() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	member_grade pointsys.grade;
	mentor pointsys.member;
	mentor_grade pointsys.grade;
	limit_mentees pg_catalog.int4;
	mentees pg_catalog.int8;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.mentoring'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('mentoring_check: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NEW.member_id IS NULL OR NEW.year IS NULL OR NEW.mentor_id IS NULL THEN
		RETURN NEW;				-- for NOT NULL to refuse
	END IF;
	-- an end or a note changes no rule: the rules held when assigned
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
	   AND (NEW.member_id, NEW.year, NEW.mentor_id) IS NOT DISTINCT FROM (OLD.member_id, OLD.year, OLD.mentor_id) THEN
		RETURN NEW;
	END IF;
	IF NOT EXISTS (SELECT FROM pointsys.member m
				   WHERE m.member_id OPERATOR(pg_catalog.=) NEW.member_id) THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	SELECT r.grade INTO member_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.member_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF member_grade IS NULL OR member_grade OPERATOR(pointsys.<>) 'unqualified'::pointsys.grade THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('member "%s" is not graded 不合格 for %s',
										NEW.member_id, NEW.year),
			DETAIL = pg_catalog.format('The %s grade is %s.', NEW.year,
									   COALESCE(member_grade::pg_catalog.text, 'pending')),
			HINT = 'Mentors are assigned to members graded 不合格 (unqualified) only.';
	END IF;
	IF NEW.mentor_id OPERATOR(pg_catalog.=) NEW.member_id THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('member "%s" cannot mentor themself', NEW.member_id);
	END IF;
	SELECT * INTO mentor FROM pointsys.member m
	WHERE m.member_id OPERATOR(pg_catalog.=) NEW.mentor_id;
	IF NOT FOUND THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	IF mentor.joined_on OPERATOR(pg_catalog.>) pg_catalog.make_date(NEW.year, 12, 31)
	   OR mentor.left_on OPERATOR(pg_catalog.<) pg_catalog.make_date(NEW.year, 1, 1) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('mentor "%s" was not a member of the party in %s',
										NEW.mentor_id, NEW.year),
			DETAIL = pg_catalog.format('Joined on %s, left on %s.',
									   COALESCE(mentor.joined_on::pg_catalog.text, '-'),
									   COALESCE(mentor.left_on::pg_catalog.text, '-'));
	END IF;
	SELECT r.grade INTO mentor_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF mentor_grade OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('mentor "%s" is graded 不合格 for %s',
										NEW.mentor_id, NEW.year),
			HINT = 'Choose a mentor who is not 不合格 that year.';
	END IF;
	SELECT s.value INTO limit_mentees FROM pointsys.setting s
	WHERE s.name OPERATOR(pg_catalog.=) 'mentees_per_mentor';
	limit_mentees := COALESCE(limit_mentees, 1);
	-- one assignment of this mentor and year at a time (a transaction lock,
	-- on no row); the count below then sees the other's committed row under
	-- READ COMMITTED
	PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pointsys.mentoring'),
											 pg_catalog.hashtext(NEW.mentor_id OPERATOR(pg_catalog.||) '/'
																 OPERATOR(pg_catalog.||) NEW.year::pg_catalog.text));
	SELECT pg_catalog.count(*) INTO mentees FROM pointsys.mentoring t
	WHERE t.mentor_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND t.member_id OPERATOR(pg_catalog.<>) NEW.member_id;
	IF mentees OPERATOR(pg_catalog.>=) limit_mentees THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('mentor "%s" already has %s mentee(s) in %s',
										NEW.mentor_id, mentees, NEW.year),
			DETAIL = pg_catalog.format('The limit is %s (pointsys.setting mentees_per_mentor).', limit_mentees);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_check() IS
	'帮扶规则 a 不合格 member-year; the mentor a member that year, not the member, not 不合格, within mentees_per_mentor';
CREATE TRIGGER mentoring_check BEFORE INSERT OR UPDATE ON @extschema@.mentoring
	FOR EACH ROW EXECUTE FUNCTION @extschema@.mentoring_check();
COMMENT ON TRIGGER mentoring_check ON @extschema@.mentoring IS '帮扶规则 mentoring rules';

CREATE VIEW @extschema@.mentoring_due WITH (security_invoker = true) AS
SELECT r.member_id, r.branch_id, r.year, r.total, r.vetoed, r.final
FROM @extschema@.annual_results r
WHERE r.grade OPERATOR(@extschema@.=) 'unqualified'::@extschema@.grade
  AND NOT EXISTS (SELECT FROM @extschema@.mentoring t
				  WHERE t.member_id OPERATOR(pg_catalog.=) r.member_id
					AND t.year OPERATOR(pg_catalog.=) r.year);
COMMENT ON VIEW @extschema@.mentoring_due IS '待帮扶 不合格 member-years without a mentor';
COMMENT ON COLUMN @extschema@.mentoring_due.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.mentoring_due.branch_id IS '所在支部 branch';
COMMENT ON COLUMN @extschema@.mentoring_due.year IS '年度 year';
COMMENT ON COLUMN @extschema@.mentoring_due.total IS '年度积分 annual total';
COMMENT ON COLUMN @extschema@.mentoring_due.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.mentoring_due.final IS '定级 the grade is final';

-- 对标找差 points needed
CREATE FUNCTION @extschema@.projected_grade(months pg_catalog.date[], totals pg_catalog.numeric[],
											open_months pg_catalog.date[], fill pg_catalog.numeric,
											democratic pg_catalog.numeric)
	RETURNS @extschema@.grade
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.annual_grade(@extschema@.annual_assessment(t.month, t.total), projected_grade.democratic, false)
	FROM (SELECT u.month, u.total
		  FROM ROWS FROM (pg_catalog.unnest(projected_grade.months), pg_catalog.unnest(projected_grade.totals)) AS u(month, total)
		  UNION ALL
		  SELECT o.month, projected_grade.fill
		  FROM pg_catalog.unnest(projected_grade.open_months) AS o(month)) t;
END;
COMMENT ON FUNCTION @extschema@.projected_grade(pg_catalog.date[], pg_catalog.numeric[], pg_catalog.date[], pg_catalog.numeric, pg_catalog.numeric) IS
	'预计格次 the grade of a year whose recorded months have these totals and whose open months all score fill (not vetoed)';

CREATE FUNCTION @extschema@.points_needed(member_id pg_catalog.text, year pg_catalog.int4,
										  democratic pg_catalog.numeric DEFAULT NULL)
	RETURNS TABLE (grade @extschema@.grade, monthly_total pg_catalog.numeric, status pg_catalog.text)
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	who pointsys.member;
	dem pg_catalog.numeric := points_needed.democratic;
	recorded pg_catalog.date[];
	recorded_totals pg_catalog.numeric[];
	open_months pg_catalog.date[];
	top pg_catalog.numeric;
	vetoed pg_catalog.bool;
	target pointsys.grade;
	lo pg_catalog.numeric;
	hi pg_catalog.numeric;
	mid pg_catalog.numeric;
BEGIN
	-- the veto reads the member's sanctions, which recorders may not read
	IF NOT (pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
			OR pg_catalog.pg_has_role('pointsys_reader', 'USAGE')) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = 'permission denied for function points_needed',
			DETAIL = 'It reads the veto (sanctions): pointsys_admin and pointsys_reader may call it.';
	END IF;
	SELECT * INTO who FROM pointsys.member m WHERE m.member_id OPERATOR(pg_catalog.=) points_needed.member_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'undefined_object',
			MESSAGE = pg_catalog.format('member "%s" does not exist', points_needed.member_id);
	END IF;
	PERFORM pointsys.quarter_start(points_needed.year, 1);
	IF dem IS NULL THEN
		SELECT e.democratic INTO dem FROM pointsys.evaluation e
		WHERE e.member_id OPERATOR(pg_catalog.=) points_needed.member_id
		  AND e.year OPERATOR(pg_catalog.=) points_needed.year;
		IF dem IS NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'null_value_not_allowed',
				MESSAGE = pg_catalog.format('member "%s" has no democratic score for %s',
											points_needed.member_id, points_needed.year),
				HINT = 'Pass an assumed democratic score: pointsys.points_needed(member_id, year, democratic).';
		END IF;
	END IF;
	IF dem OPERATOR(pg_catalog.<) 0 OR dem OPERATOR(pg_catalog.>) 100 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'numeric_value_out_of_range',
			MESSAGE = pg_catalog.format('democratic score %s is out of range for member "%s"', dem, points_needed.member_id),
			DETAIL = 'A democratic score is from 0 to 100.';
	END IF;
	SELECT pg_catalog.array_agg(t.month ORDER BY t.month), pg_catalog.array_agg(t.total ORDER BY t.month)
	INTO recorded, recorded_totals
	FROM pointsys.monthly_scores t
	WHERE t.member_id OPERATOR(pg_catalog.=) points_needed.member_id
	  AND pointsys.year_of(t.month) OPERATOR(pg_catalog.=) points_needed.year;
	-- the months of the year the member belongs to the party, not recorded
	SELECT pg_catalog.array_agg(d.month ORDER BY d.month) INTO open_months
	FROM (SELECT pg_catalog.make_date(points_needed.year, mo, 1) AS month
		  FROM pg_catalog.generate_series(1, 12) AS mo) d
	WHERE (who.joined_on IS NULL
		   OR who.joined_on OPERATOR(pg_catalog.<) (d.month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval))
	  AND (who.left_on IS NULL OR who.left_on OPERATOR(pg_catalog.>=) d.month)
	  AND d.month OPERATOR(pg_catalog.<>) ALL (COALESCE(recorded, '{}'));
	vetoed := pointsys.is_vetoed(points_needed.member_id, points_needed.year);
	-- the highest monthly total the rulebook allows
	SELECT COALESCE(pg_catalog.sum(LEAST(c.cap, COALESCE(i.most, 0))), 0) INTO top
	FROM pointsys.category c
	LEFT JOIN (SELECT i.category, pg_catalog.sum(i.max_points) AS most
			   FROM pointsys.item i GROUP BY i.category) i
		ON i.category OPERATOR(pg_catalog.=) c.category
	WHERE c.category OPERATOR(pg_catalog.<>) 'reward';
	top := top OPERATOR(pg_catalog.+)
		   (SELECT c.cap FROM pointsys.category c WHERE c.category OPERATOR(pg_catalog.=) 'reward');

	FOREACH target IN ARRAY ARRAY['excellent', 'good', 'qualified', 'unqualified']::pointsys.grade[] LOOP
		grade := target;
		IF target OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
			monthly_total := 0.00;
			status := 'secured';
		ELSIF vetoed THEN
			monthly_total := NULL;
			status := 'out_of_reach';
		ELSIF pointsys.projected_grade(recorded, recorded_totals, open_months, 0::pg_catalog.numeric, dem)
			  OPERATOR(pointsys.>=) target THEN
			monthly_total := 0.00;
			status := 'secured';
		ELSIF COALESCE(pg_catalog.cardinality(open_months), 0) OPERATOR(pg_catalog.=) 0
			  OR pointsys.projected_grade(recorded, recorded_totals, open_months, top, dem)
				 OPERATOR(pointsys.<) target THEN
			monthly_total := NULL;
			status := 'out_of_reach';
		ELSE
			-- the lowest total to 0.01 that reaches target: lo fails, hi reaches
			lo := 0;
			hi := top;
			WHILE hi OPERATOR(pg_catalog.-) lo OPERATOR(pg_catalog.>) 0.01 LOOP
				mid := pg_catalog.round((lo OPERATOR(pg_catalog.+) hi) OPERATOR(pg_catalog./) 2, 2);
				IF pointsys.projected_grade(recorded, recorded_totals, open_months, mid, dem)
				   OPERATOR(pointsys.>=) target THEN
					hi := mid;
				ELSE
					lo := mid;
				END IF;
			END LOOP;
			monthly_total := pg_catalog.round(hi, 2);
			status := 'needed';
		END IF;
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.points_needed(pg_catalog.text, pg_catalog.int4, pg_catalog.numeric) IS
	'对标找差 per grade: the lowest monthly total that, recorded in every month not yet recorded, reaches it (needed), or secured, or out_of_reach; democratic NULL: the recorded one';

-- 打印 printable sheets: standalone HTML pages, A4, Chinese
CREATE FUNCTION @extschema@.html_escape(pg_catalog.text) RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
	$1, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION @extschema@.html_escape(pg_catalog.text) IS '转义 text escaped for HTML (& < > " '')';

CREATE FUNCTION @extschema@.html_page(title pg_catalog.text, landscape pg_catalog.bool, body pg_catalog.text)
	RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '<!DOCTYPE html>' || E'\n' || '<html lang="zh-CN"><head><meta charset="utf-8"><title>'
	|| @extschema@.html_escape(title) || '</title><style>'
	|| '@page{size:A4' || CASE WHEN landscape THEN ' landscape' ELSE '' END || ';margin:12mm}'
	|| 'body{font-family:"Noto Sans CJK SC","Noto Serif CJK SC","Source Han Sans SC","SimSun",sans-serif;font-size:9pt;margin:0}'
	|| 'h1{font-size:15pt;text-align:center;margin:0 0 3mm}'
	|| 'p.meta{margin:0 0 3mm}'
	|| 'table{border-collapse:collapse;width:100%}'
	|| 'th,td{border:0.5pt solid #000;padding:1mm;text-align:center}'
	|| 'thead{display:table-header-group}tr{page-break-inside:avoid}'
	|| 'th.item{font-size:7pt;font-weight:normal}td.nw,th.nw{white-space:nowrap}'
	|| 'p.sign{margin-top:6mm}td.sign{border:none;text-align:left;padding-top:4mm}tfoot{display:table-footer-group}'
	|| '</style></head><body>' || E'\n' || body || E'\n</body></html>\n';
COMMENT ON FUNCTION @extschema@.html_page(pg_catalog.text, pg_catalog.bool, pg_catalog.text) IS
	'打印页面 a standalone A4 HTML page around an (escaped) body';

CREATE FUNCTION @extschema@.record_sheet_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	first_month pg_catalog.date;
	branch_name pg_catalog.text;
	head pg_catalog.text;
	rows pg_catalog.text;
	n pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_branch_documents(record_sheet_html.branch_id);
	first_month := pointsys.quarter_start(record_sheet_html.year, record_sheet_html.quarter);
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) record_sheet_html.branch_id;
	SELECT pg_catalog.string_agg('<th class="item">' || pointsys.html_escape(i.title) || '</th>', '' ORDER BY u.n),
		   pg_catalog.count(*)
	INTO head, n
	FROM pg_catalog.unnest(pointsys.rulebook_items()) WITH ORDINALITY AS u(item, n)
	JOIN pointsys.item i ON i.item OPERATOR(pg_catalog.=) u.item;
	SELECT pg_catalog.string_agg(
			'<tr><td class="nw">' || pointsys.html_escape(r.name) || '</td><td class="nw">'
			|| pg_catalog.to_char(r.month, 'FMMM') || '月</td>'
			|| (SELECT pg_catalog.string_agg('<td>' || COALESCE(pg_catalog.trim_scale(p.points)::pg_catalog.text, '')
											 || '</td>', '' ORDER BY p.n)
				FROM pg_catalog.unnest(r.points) WITH ORDINALITY AS p(points, n))
			|| '<td>' || pg_catalog.trim_scale(r.reward) || '</td><td><b>' || pg_catalog.trim_scale(r.total)
			|| '</b></td></tr>',
			E'\n' ORDER BY r.member_id, r.month)
	INTO rows
	FROM pointsys.record_sheet r
	WHERE r.branch_id OPERATOR(pg_catalog.=) record_sheet_html.branch_id
	  AND r.month OPERATOR(pg_catalog.>=) first_month
	  AND r.month OPERATOR(pg_catalog.<) (first_month OPERATOR(pg_catalog.+) '3 months'::pg_catalog.interval);
	RETURN pointsys.html_page(
		pg_catalog.format('党员积分管理记录表 %s %s年第%s季度', branch_name, record_sheet_html.year, record_sheet_html.quarter),
		true,
		'<h1>党员积分管理记录表</h1>'
		|| pg_catalog.format('<p class="meta">支部：%s　　%s年第%s季度</p>',
							 pointsys.html_escape(branch_name), record_sheet_html.year, record_sheet_html.quarter)
		|| '<table><thead><tr><th class="nw">姓名</th><th class="nw">月份</th>' || COALESCE(head, '')
		|| '<th>奖励分</th><th>月度积分</th></tr></thead>'
		-- the signatures in the footer: Chromium and browsers repeat it on every page
		|| pg_catalog.format('<tfoot><tr><td class="sign" colspan="%s">记录员（签字）：　　　　　　　　'
							 '支部书记（签字）：　　　　　　　　日期：</td></tr></tfoot><tbody>',
							 n OPERATOR(pg_catalog.+) 4) || E'\n'
		|| COALESCE(rows, pg_catalog.format('<tr><td colspan="%s">本季度尚无记录</td></tr>', n OPERATOR(pg_catalog.+) 4))
		|| E'\n</tbody></table>');
END
$$;
COMMENT ON FUNCTION @extschema@.record_sheet_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分管理记录表（打印） the record form of a branch quarter as a standalone A4 HTML page';

CREATE FUNCTION @extschema@.publicity_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	branch_name pg_catalog.text;
	rows pg_catalog.text;
	p_start pg_catalog.date;
	p_end pg_catalog.date;
BEGIN
	SELECT pg_catalog.string_agg(
			'<tr><td>' || p.branch_rank || '</td><td class="nw">' || pointsys.html_escape(p.name)
			-- 组织关系转接 a member transferred during the quarter: the branches, in order
			|| CASE WHEN pg_catalog.cardinality(p.branches) OPERATOR(pg_catalog.>) 1
					THEN '<br><small>' || pointsys.html_escape(pg_catalog.array_to_string(p.branches, '→'))
						 || '</small>'
					ELSE '' END
			|| '</td><td>'
			|| COALESCE(pg_catalog.trim_scale(p.m1)::pg_catalog.text, '') || '</td><td>'
			|| COALESCE(pg_catalog.trim_scale(p.m2)::pg_catalog.text, '') || '</td><td>'
			|| COALESCE(pg_catalog.trim_scale(p.m3)::pg_catalog.text, '') || '</td><td><b>' || p.score || '</b></td></tr>',
			E'\n' ORDER BY p.branch_rank, p.member_id),
		   pg_catalog.min(p.publicity_start), pg_catalog.min(p.publicity_end)
	INTO rows, p_start, p_end
	FROM pointsys.publicity(publicity_html.branch_id, publicity_html.year, publicity_html.quarter) p;
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) publicity_html.branch_id;
	RETURN pointsys.html_page(
		pg_catalog.format('党员积分公示 %s %s年第%s季度', branch_name, publicity_html.year, publicity_html.quarter),
		false,
		pg_catalog.format('<h1>%s%s年第%s季度党员积分公示</h1>',
						  pointsys.html_escape(branch_name), publicity_html.year, publicity_html.quarter)
		|| '<p class="meta">公示期：'
		|| CASE WHEN p_start IS NULL THEN '（尚未开始）'
				WHEN p_end OPERATOR(pg_catalog.<=) p_start THEN pg_catalog.to_char(p_start, 'YYYY年FMMM月FMDD日')
				ELSE pg_catalog.to_char(p_start, 'YYYY年FMMM月FMDD日') || '至'
					 || pg_catalog.to_char(p_end OPERATOR(pg_catalog.-) 1, 'YYYY年FMMM月FMDD日') END
		|| '。公示期间如有异议，请向支部委员会反映。</p>'
		|| pg_catalog.format('<table><thead><tr><th>排名</th><th>姓名</th><th>%s月</th><th>%s月</th><th>%s月</th>',
							 (publicity_html.quarter OPERATOR(pg_catalog.*) 3) OPERATOR(pg_catalog.-) 2,
							 (publicity_html.quarter OPERATOR(pg_catalog.*) 3) OPERATOR(pg_catalog.-) 1,
							 publicity_html.quarter OPERATOR(pg_catalog.*) 3)
		|| '<th>季考核积分</th></tr></thead><tbody>' || E'\n'
		|| COALESCE(rows, '<tr><td colspan="6">本季度尚无记录</td></tr>')
		|| E'\n</tbody></table>'
		|| pg_catalog.format('<p class="sign">中共%s委员会（盖章）　　　　日期：</p>', pointsys.html_escape(branch_name)));
END
$$;
COMMENT ON FUNCTION @extschema@.publicity_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分公示（打印） the publicity list of a branch quarter as a standalone A4 HTML page; 55000 before the quarter is approved';

-- audit, row security, privileges of the paperwork
CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.mentoring
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.mentoring
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.mentoring
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.mentoring
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.mentoring IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.mentoring IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.mentoring IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.mentoring IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.setting
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.setting
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.setting
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.setting
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.setting IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.setting IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.setting IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.setting IS '审计 audit trail of truncation';

ALTER TABLE @extschema@.mentoring ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.mentoring TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.mentoring FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.mentoring TO pointsys_recorder
	USING (EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
				   WHERE @extschema@.may_record(mentoring.member_id, pg_catalog.make_date(mentoring.year, g.n, 1))))
	WITH CHECK (EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
						WHERE @extschema@.may_record(mentoring.member_id, pg_catalog.make_date(mentoring.year, g.n, 1))));
COMMENT ON POLICY admin_all ON @extschema@.mentoring IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.mentoring IS '报表工具 pointsys_reader reads every branch';
COMMENT ON POLICY recorder_branch ON @extschema@.mentoring IS '记录员 mentoring of members who belonged to one of the recorder''s branches that year';

GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.setting, @extschema@.mentoring TO pointsys_admin;
GRANT SELECT ON @extschema@.rankings, @extschema@.record_sheet, @extschema@.mentoring_due TO pointsys_admin;
GRANT SELECT ON @extschema@.setting, @extschema@.mentoring, @extschema@.rankings, @extschema@.record_sheet,
	@extschema@.mentoring_due TO pointsys_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.mentoring TO pointsys_recorder;
GRANT SELECT ON @extschema@.setting, @extschema@.record_sheet TO pointsys_recorder;

REVOKE EXECUTE ON FUNCTION
	@extschema@.period_publicity(),
	@extschema@.mentoring_access(),
	@extschema@.mentoring_check()
FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('pointsys.setting', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.mentoring', '');

------------------------------------------------------------------------
-- 组织关系转接 transfers between branches (issue 14): the triggers that
-- keep pointsys.membership and member.branch_id in step, and refuse a
-- change of membership that would move a month out of (or into) a quarter
-- that is no longer recording; audit, row security, privileges
------------------------------------------------------------------------

-- member → membership: a new member's first row; a change of
-- member.branch_id that the membership rows do not make yet is a transfer
-- from the current month
CREATE FUNCTION @extschema@.member_membership() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	this_month pg_catalog.date := CURRENT_DATE OPERATOR(pg_catalog.-)
		(EXTRACT(DAY FROM CURRENT_DATE)::pg_catalog.int4 OPERATOR(pg_catalog.-) 1);
	latest pg_catalog.text;
	later pg_catalog.date;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.member'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('member_membership: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
		INSERT INTO pointsys.membership (member_id, branch_id, since)
		VALUES (NEW.member_id, NEW.branch_id,
				COALESCE(NEW.joined_on OPERATOR(pg_catalog.-)
						 (EXTRACT(DAY FROM NEW.joined_on)::pg_catalog.int4 OPERATOR(pg_catalog.-) 1),
						 '1921-07-01'::pg_catalog.date));
		RETURN NULL;
	END IF;
	SELECT s.branch_id INTO latest FROM pointsys.membership s
	WHERE s.member_id OPERATOR(pg_catalog.=) NEW.member_id
	ORDER BY s.since DESC LIMIT 1;
	IF latest OPERATOR(pg_catalog.=) NEW.branch_id THEN
		RETURN NULL;			-- made by the membership rows (or no change)
	END IF;
	SELECT pg_catalog.min(s.since) INTO later FROM pointsys.membership s
	WHERE s.member_id OPERATOR(pg_catalog.=) NEW.member_id
	  AND s.since OPERATOR(pg_catalog.>) this_month;
	IF later IS NOT NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('member "%s" cannot be transferred to branch "%s" from %s',
										NEW.member_id, NEW.branch_id, pg_catalog.to_char(this_month, 'YYYY-MM')),
			DETAIL = pg_catalog.format('A change of member.branch_id is a transfer from the current month; the member''s membership already has a transfer in %s.',
									   pg_catalog.to_char(later, 'YYYY-MM')),
			HINT = 'Write the transfer in pointsys.membership.';
	END IF;
	IF latest IS NULL THEN
		-- no history yet (rows a replica wrote): the months so far stay in the old branch
		INSERT INTO pointsys.membership (member_id, branch_id, since)
		VALUES (NEW.member_id, OLD.branch_id,
				LEAST(this_month, COALESCE(NEW.joined_on OPERATOR(pg_catalog.-)
						 (EXTRACT(DAY FROM NEW.joined_on)::pg_catalog.int4 OPERATOR(pg_catalog.-) 1),
						 '1921-07-01'::pg_catalog.date)))
		ON CONFLICT ON CONSTRAINT membership_pkey DO NOTHING;
	END IF;
	INSERT INTO pointsys.membership AS s (member_id, branch_id, since)
	VALUES (NEW.member_id, NEW.branch_id, this_month)
	ON CONFLICT ON CONSTRAINT membership_pkey DO UPDATE SET branch_id = EXCLUDED.branch_id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.member_membership() IS
	'组织关系 a new member''s first membership row; a change of member.branch_id is a transfer from the current month';
CREATE TRIGGER member_membership AFTER INSERT OR UPDATE OF branch_id ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_membership();
COMMENT ON TRIGGER member_membership ON @extschema@.member IS
	'组织关系 new members and changes of member.branch_id write pointsys.membership';

-- membership → member: each changed member's rows are checked as the
-- owner, with the member's row locked (FOR UPDATE waits for the writes of
-- score and award rows under way, which hold it FOR KEY SHARE), and the
-- branch rows of every month that changes branch locked FOR SHARE (as a
-- score's write does: no quarter of theirs can change status meanwhile)
CREATE FUNCTION @extschema@.membership_changed() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	ids pg_catalog.text[];
	id pg_catalog.text;
	current_branch pg_catalog.text;
	latest pg_catalog.text;
	o_member pg_catalog.text;
	o_since pg_catalog.date;
	o_branch pg_catalog.text;
	n_member pg_catalog.text;
	n_since pg_catalog.date;
	moved record;
	closed_branch pg_catalog.text;
	closed_status pg_catalog.text;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.membership'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE', 'DELETE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('membership_changed: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		o_member := OLD.member_id; o_since := OLD.since; o_branch := OLD.branch_id;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		n_member := NEW.member_id; n_since := NEW.since;
	END IF;
	ids := CASE WHEN o_member IS NOT DISTINCT FROM n_member THEN ARRAY[n_member]
				ELSE ARRAY[o_member, n_member] END;
	FOREACH id IN ARRAY ids LOOP
		CONTINUE WHEN id IS NULL;
		SELECT m.branch_id INTO current_branch FROM pointsys.member m
		WHERE m.member_id OPERATOR(pg_catalog.=) id
		FOR UPDATE;
		CONTINUE WHEN NOT FOUND;	-- the member's deletion cascades
		SELECT s.branch_id INTO latest FROM pointsys.membership s
		WHERE s.member_id OPERATOR(pg_catalog.=) id
		ORDER BY s.since DESC LIMIT 1;
		IF latest IS NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'restrict_violation',
				MESSAGE = pg_catalog.format('member "%s" must keep a membership row', id),
				DETAIL = pg_catalog.format('This would delete the last row of member "%s" (branch "%s" since %s).',
										   id, o_branch, pg_catalog.to_char(o_since, 'YYYY-MM')),
				HINT = 'A member always belongs to a branch; delete the member to delete the history.';
		END IF;
		-- the months recorded for the member whose branch changes: before
		-- (the rows now, without the new row, with the old one) and after
		FOR moved IN
			WITH now_rows AS (
				SELECT s.since, s.branch_id FROM pointsys.membership s
				WHERE s.member_id OPERATOR(pg_catalog.=) id),
			before_rows AS (
				SELECT r.since, r.branch_id FROM now_rows r
				WHERE NOT (id IS NOT DISTINCT FROM n_member AND r.since IS NOT DISTINCT FROM n_since)
				UNION ALL
				SELECT o_since, o_branch WHERE id OPERATOR(pg_catalog.=) o_member)
			SELECT t.month, t.old_branch, t.new_branch
			FROM (SELECT mm.month,
						 COALESCE((SELECT r.branch_id FROM before_rows r WHERE r.since OPERATOR(pg_catalog.<=) mm.month
								   ORDER BY r.since DESC LIMIT 1),
								  (SELECT r.branch_id FROM before_rows r ORDER BY r.since LIMIT 1),
								  current_branch) AS old_branch,
						 COALESCE((SELECT r.branch_id FROM now_rows r WHERE r.since OPERATOR(pg_catalog.<=) mm.month
								   ORDER BY r.since DESC LIMIT 1),
								  (SELECT r.branch_id FROM now_rows r ORDER BY r.since LIMIT 1)) AS new_branch
				  FROM pointsys.member_month mm
				  WHERE mm.member_id OPERATOR(pg_catalog.=) id) t
			WHERE t.old_branch OPERATOR(pg_catalog.<>) t.new_branch
			ORDER BY t.month
		LOOP
			-- as a score's write does: its branches' rows, then the periods
			PERFORM FROM pointsys.branch b
			WHERE b.branch_id OPERATOR(pg_catalog.=) ANY (ARRAY[moved.old_branch, moved.new_branch])
			ORDER BY b.branch_id
			FOR SHARE;
			SELECT p.branch_id, p.status INTO closed_branch, closed_status FROM pointsys.period p
			WHERE p.branch_id OPERATOR(pg_catalog.=) ANY (ARRAY[moved.old_branch, moved.new_branch])
			  AND p.year OPERATOR(pg_catalog.=) pointsys.year_of(moved.month)
			  AND p.quarter OPERATOR(pg_catalog.=) pointsys.quarter_of(moved.month)
			  AND p.status OPERATOR(pg_catalog.<>) 'recording'
			ORDER BY p.branch_id OPERATOR(pg_catalog.<>) moved.old_branch
			LIMIT 1;
			IF FOUND THEN
				RAISE EXCEPTION USING
					ERRCODE = 'object_not_in_prerequisite_state',
					MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is %s',
												pointsys.year_of(moved.month), pointsys.quarter_of(moved.month),
												closed_branch, closed_status),
					DETAIL = pg_catalog.format('The month is %s: member "%s" has scores or awards in it, and this change of membership moves it from branch "%s" to branch "%s".',
											   pg_catalog.to_char(moved.month, 'YYYY-MM'), id,
											   moved.old_branch, moved.new_branch),
					HINT = 'A month moves between branches only while its quarter is recording in both; pointsys.reopen() takes it back.';
			END IF;
		END LOOP;
		IF current_branch OPERATOR(pg_catalog.<>) latest THEN
			UPDATE pointsys.member m SET branch_id = latest
			WHERE m.member_id OPERATOR(pg_catalog.=) id;
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.membership_changed() IS
	'组织关系 a member keeps a membership row; months with scores or awards move between branches only while recording in both; member.branch_id follows the latest row';
CREATE TRIGGER membership_changed AFTER INSERT OR UPDATE OR DELETE ON @extschema@.membership
	FOR EACH ROW EXECUTE FUNCTION @extschema@.membership_changed();
COMMENT ON TRIGGER membership_changed ON @extschema@.membership IS
	'组织关系 the rules of a change of membership; member.branch_id follows';

CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.membership
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
COMMENT ON TRIGGER rulebook_changed ON @extschema@.membership IS '党员缓存失效 member cache invalidation';
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.membership
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
ALTER TABLE @extschema@.membership ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.membership IS
	'成员缓存失效（逻辑复制） member cache invalidation for rows a subscription applies';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.membership
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.membership
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.membership
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.membership
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.membership IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.membership IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.membership IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.membership IS '审计 audit trail of truncation';

ALTER TABLE @extschema@.membership ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.membership TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.membership FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.membership FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
COMMENT ON POLICY admin_all ON @extschema@.membership IS '局党组 pointsys_admin sees and writes every branch (组织关系转接)';
COMMENT ON POLICY reader_all ON @extschema@.membership IS '报表工具 pointsys_reader reads every branch';
COMMENT ON POLICY recorder_branch ON @extschema@.membership IS '记录员 membership rows of the recorder''s branches';

GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.membership TO pointsys_admin;
GRANT SELECT ON @extschema@.membership TO pointsys_recorder;

REVOKE EXECUTE ON FUNCTION
	@extschema@.member_membership(),
	@extschema@.membership_changed()
FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('pointsys.membership', '');

------------------------------------------------------------------------
-- 备份 pointsys_admin can pg_dump the ledger (issue 11): pg_dump reads the
-- state of every sequence it dumps, so the bureau's DBA role needs SELECT
-- on the identity sequences of award, sanction and audit (it reads every
-- table already; pg_dump --enable-row-security lets the policies give it
-- every row, README, Backups).
------------------------------------------------------------------------

GRANT SELECT ON SEQUENCE @extschema@.award_award_id_seq, @extschema@.sanction_sanction_id_seq,
	@extschema@.audit_log_audit_id_seq TO pointsys_admin;

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

------------------------------------------------------------------------
-- 防误删 DROP EXTENSION keeps the ledger unless told otherwise
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.drop_guard() RETURNS event_trigger
	AS 'MODULE_PATHNAME', 'drop_guard' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.drop_guard() IS
	'防误删 refuses DROP EXTENSION/SCHEMA pointsys while the ledger holds rows, unless pointsys.allow_drop is on';
CREATE EVENT TRIGGER pointsys_drop_guard ON ddl_command_start
	WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
	EXECUTE FUNCTION @extschema@.drop_guard();
COMMENT ON EVENT TRIGGER pointsys_drop_guard IS '防误删 keeps the bureau''s ledger from being dropped with the extension';

------------------------------------------------------------------------
-- 安全 functions that only PostgreSQL calls are not for anyone to call
------------------------------------------------------------------------
-- Trigger and event-trigger functions run queries as the extension's
-- owner, so in 1.0 and 1.1 anyone who could attach one to a table of their own
-- (CREATE TRIGGER needs EXECUTE on the function, granted to PUBLIC by
-- default) ran the owner's code on rows of their making.  The triggers of
-- pointsys's own tables fire whatever the privileges on their functions;
-- aggregates check their support functions' privileges against the
-- aggregate's owner; types call their I/O functions without a check.  So
-- none of these needs EXECUTE for anyone but the owner.  (The C functions
-- also check that they fire on their own table and event: a superuser's
-- mistake gets a clean error.)

REVOKE EXECUTE ON FUNCTION
	@extschema@.score_check(),
	@extschema@.award_check(),
	@extschema@.ledger_delete_check(),
	@extschema@.evaluation_check(),
	@extschema@.sanction_check(),
	@extschema@.rulebook_guard(),
	@extschema@.rulebook_changed(),
	@extschema@.rulebook_upsert(),
	@extschema@.period_check(),
	@extschema@.audit_changes(),
	@extschema@.audit_immutable(),
	@extschema@.member_month_changed(),
	@extschema@.member_month_replicated(),
	@extschema@.drop_guard(),
	@extschema@.grade_in(pg_catalog.cstring),
	@extschema@.grade_out(@extschema@.grade),
	@extschema@.grade_recv(pg_catalog.internal),
	@extschema@.grade_send(@extschema@.grade),
	@extschema@.quarter_state_in(pg_catalog.cstring),
	@extschema@.quarter_state_out(@extschema@.quarter_state),
	@extschema@.year_state_in(pg_catalog.cstring),
	@extschema@.year_state_out(@extschema@.year_state),
	@extschema@.quarter_avg_transfn(@extschema@.quarter_state, pg_catalog.numeric),
	@extschema@.quarter_avg_combinefn(@extschema@.quarter_state, @extschema@.quarter_state),
	@extschema@.quarter_avg_finalfn(@extschema@.quarter_state),
	@extschema@.annual_assessment_transfn(@extschema@.year_state, pg_catalog.date, pg_catalog.numeric),
	@extschema@.year_state_combinefn(@extschema@.year_state, @extschema@.year_state),
	@extschema@.annual_assessment_finalfn(@extschema@.year_state),
	@extschema@.ledger_year_transfn(@extschema@.year_state, pg_catalog.date, pg_catalog.numeric, pg_catalog.numeric)
FROM PUBLIC;

-- The row-security tests are called by the policies as the user who reads
-- or writes: the pointsys roles need them, nobody else
REVOKE EXECUTE ON FUNCTION
	@extschema@.may_record(pg_catalog.text),
	@extschema@.may_record_branch(pg_catalog.text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	@extschema@.may_record(pg_catalog.text),
	@extschema@.may_record_branch(pg_catalog.text)
TO pointsys_admin, pointsys_recorder, pointsys_reader;
REVOKE EXECUTE ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date)
TO pointsys_admin, pointsys_recorder, pointsys_reader;

------------------------------------------------------------------------
-- 组织关系转接 a change of membership checked for the statement as a whole
-- (issue 22): the branch of every recorded month before the statement
-- against its branch after it, whatever the statement's shape
------------------------------------------------------------------------

-- The rules of one member's change, given the history before the
-- statement (membership.c reads it with the statement's own snapshot)
CREATE FUNCTION @extschema@.membership_check(member_id pg_catalog.text, current_branch pg_catalog.text,
											 before_since pg_catalog.date[], before_branch pg_catalog.text[])
	RETURNS pg_catalog.text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	latest pg_catalog.text;
	moved record;
	closed_branch pg_catalog.text;
	closed_status pg_catalog.text;
BEGIN
	SELECT s.branch_id INTO latest FROM pointsys.membership s
	WHERE s.member_id OPERATOR(pg_catalog.=) membership_check.member_id
	ORDER BY s.since DESC LIMIT 1;
	IF latest IS NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'restrict_violation',
			MESSAGE = pg_catalog.format('member "%s" must keep a membership row', membership_check.member_id),
			DETAIL = pg_catalog.format('This would leave member "%s" without a membership row (the latest was branch "%s" since %s).',
									   membership_check.member_id,
									   before_branch[pg_catalog.array_upper(before_branch, 1)],
									   pg_catalog.to_char(before_since[pg_catalog.array_upper(before_since, 1)], 'YYYY-MM')),
			HINT = 'A member always belongs to a branch; delete the member to delete the history.';
	END IF;
	-- the months recorded for the member whose branch the statement changes
	FOR moved IN
		WITH after_rows AS (
			SELECT s.since, s.branch_id FROM pointsys.membership s
			WHERE s.member_id OPERATOR(pg_catalog.=) membership_check.member_id),
		before_rows AS (
			SELECT r.since, r.branch_id
			FROM ROWS FROM (pg_catalog.unnest(before_since), pg_catalog.unnest(before_branch)) AS r(since, branch_id))
		SELECT t.month, t.old_branch, t.new_branch
		FROM (SELECT mm.month,
					 COALESCE((SELECT r.branch_id FROM before_rows r WHERE r.since OPERATOR(pg_catalog.<=) mm.month
							   ORDER BY r.since DESC LIMIT 1),
							  (SELECT r.branch_id FROM before_rows r ORDER BY r.since LIMIT 1),
							  current_branch) AS old_branch,
					 COALESCE((SELECT r.branch_id FROM after_rows r WHERE r.since OPERATOR(pg_catalog.<=) mm.month
							   ORDER BY r.since DESC LIMIT 1),
							  (SELECT r.branch_id FROM after_rows r ORDER BY r.since LIMIT 1)) AS new_branch
			  FROM pointsys.member_month mm
			  WHERE mm.member_id OPERATOR(pg_catalog.=) membership_check.member_id) t
		WHERE t.old_branch OPERATOR(pg_catalog.<>) t.new_branch
		ORDER BY t.month
	LOOP
		-- as a score's write does: its branches' rows, then the periods
		PERFORM FROM pointsys.branch b
		WHERE b.branch_id OPERATOR(pg_catalog.=) ANY (ARRAY[moved.old_branch, moved.new_branch])
		ORDER BY b.branch_id
		FOR SHARE;
		SELECT p.branch_id, p.status INTO closed_branch, closed_status FROM pointsys.period p
		WHERE p.branch_id OPERATOR(pg_catalog.=) ANY (ARRAY[moved.old_branch, moved.new_branch])
		  AND p.year OPERATOR(pg_catalog.=) pointsys.year_of(moved.month)
		  AND p.quarter OPERATOR(pg_catalog.=) pointsys.quarter_of(moved.month)
		  AND p.status OPERATOR(pg_catalog.<>) 'recording'
		ORDER BY p.branch_id OPERATOR(pg_catalog.<>) moved.old_branch
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is %s',
											pointsys.year_of(moved.month), pointsys.quarter_of(moved.month),
											closed_branch, closed_status),
				DETAIL = pg_catalog.format('The month is %s: member "%s" has scores or awards in it, and this change of membership moves it from branch "%s" to branch "%s".',
										   pg_catalog.to_char(moved.month, 'YYYY-MM'), membership_check.member_id,
										   moved.old_branch, moved.new_branch),
				HINT = 'A month moves between branches only while its quarter is recording in both; pointsys.reopen() takes it back.';
		END IF;
	END LOOP;
	RETURN latest;
END
$$;
COMMENT ON FUNCTION @extschema@.membership_check(pg_catalog.text, pg_catalog.text, pg_catalog.date[], pg_catalog.text[]) IS
	'组织关系规则 a member keeps a membership row; months with scores or awards move between branches only while recording in both (the history before the statement given); returns the latest branch';
REVOKE EXECUTE ON FUNCTION
	@extschema@.membership_check(pg_catalog.text, pg_catalog.text, pg_catalog.date[], pg_catalog.text[])
FROM PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.membership_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'membership_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.membership_changed() IS
	'组织关系 each changed member''s history before the statement against after it (membership_check, as the owner); member.branch_id follows the latest row, written as the writer';

-- The membership rows of a new member or of a change of member.branch_id
-- are the writer's own (pointsys_admin's): written as her, audited as hers
ALTER FUNCTION @extschema@.member_membership() SECURITY INVOKER;

------------------------------------------------------------------------
-- 一对一帮扶 mentoring refusals tell a writer only what she may read; the
-- turns of one mentor's assignments are a row of pointsys's own (issue 22)
------------------------------------------------------------------------

CREATE TABLE @extschema@.mentor_turn (
	mentor_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	turns pg_catalog.int8 NOT NULL DEFAULT 1,
	CONSTRAINT mentor_turn_pkey PRIMARY KEY (mentor_id, year)
);
COMMENT ON TABLE @extschema@.mentor_turn IS
	'帮扶轮次 one row per mentor-year, updated by each assignment of that mentor: assignments of one mentor and year take turns on it (no grants: only pointsys''s trigger locks it)';
COMMENT ON COLUMN @extschema@.mentor_turn.mentor_id IS '帮扶人 the mentor';
COMMENT ON COLUMN @extschema@.mentor_turn.year IS '年度 year';
COMMENT ON COLUMN @extschema@.mentor_turn.turns IS '次数 assignments checked so far';
COMMENT ON INDEX @extschema@.mentor_turn_pkey IS '帮扶轮次主键 one row per mentor-year';
REVOKE ALL ON @extschema@.mentor_turn FROM PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.mentoring_access() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.mentoring'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('mentoring_access: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE') THEN
		IF NOT (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE')
				AND EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
							WHERE pointsys.may_record(NEW.member_id, pg_catalog.make_date(NEW.year, g.n, 1)))) THEN
			RAISE EXCEPTION USING
				ERRCODE = 'insufficient_privilege',
				MESSAGE = 'new row violates row-level security policy for table "mentoring"';
		END IF;
		-- a recorder's mentor is of her branches that year: nothing of
		-- another branch's members is looked at, nor locked by the
		-- foreign key, for her
		IF NEW.mentor_id IS NOT NULL
		   AND (TG_OP OPERATOR(pg_catalog.=) 'INSERT'
				OR (NEW.mentor_id, NEW.year) IS DISTINCT FROM (OLD.mentor_id, OLD.year))
		   AND NOT EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
						   WHERE pointsys.may_record(NEW.mentor_id, pg_catalog.make_date(NEW.year, g.n, 1))) THEN
			RAISE EXCEPTION USING
				ERRCODE = 'insufficient_privilege',
				MESSAGE = pg_catalog.format('mentor "%s" is not a member of your branches in %s',
											NEW.mentor_id, NEW.year),
				HINT = 'A recorder names a mentor from her own branches; pointsys_admin assigns mentors from other branches.';
		END IF;
	END IF;
	NEW.recorded_by := CURRENT_USER;
	NEW.recorded_at := pg_catalog.now();
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_access() IS
	'帮扶权限 row security first (42501 for a member, or a recorder''s mentor, outside the recorder''s branches that year); stamps recorded_by and recorded_at';

CREATE OR REPLACE FUNCTION @extschema@.mentoring_check() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	member_grade pointsys.grade;
	mentor pointsys.member;
	mentor_grade pointsys.grade;
	limit_mentees pg_catalog.int4;
	mentees pg_catalog.int8;
	-- may the writer (stamped by mentoring_access, which fired first) read
	-- grades and every branch's mentoring?  Then the refusals explain.
	may_read pg_catalog.bool;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.mentoring'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('mentoring_check: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NEW.member_id IS NULL OR NEW.year IS NULL OR NEW.mentor_id IS NULL THEN
		RETURN NEW;				-- for NOT NULL to refuse
	END IF;
	-- an end or a note changes no rule: the rules held when assigned
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
	   AND (NEW.member_id, NEW.year, NEW.mentor_id) IS NOT DISTINCT FROM (OLD.member_id, OLD.year, OLD.mentor_id) THEN
		RETURN NEW;
	END IF;
	IF NOT EXISTS (SELECT FROM pointsys.member m
				   WHERE m.member_id OPERATOR(pg_catalog.=) NEW.member_id) THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	may_read := pg_catalog.has_table_privilege(NEW.recorded_by, 'pointsys.annual_results', 'SELECT');
	SELECT r.grade INTO member_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.member_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF member_grade IS NULL OR member_grade OPERATOR(pointsys.<>) 'unqualified'::pointsys.grade THEN
		IF may_read THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('member "%s" is not graded 不合格 for %s',
											NEW.member_id, NEW.year),
				DETAIL = pg_catalog.format('The %s grade is %s.', NEW.year,
										   COALESCE(member_grade::pg_catalog.text, 'pending')),
				HINT = 'Mentors are assigned to members graded 不合格 (unqualified) only.';
		END IF;
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('member "%s" is not graded 不合格 for %s',
										NEW.member_id, NEW.year),
			HINT = 'Mentors are assigned to members graded 不合格 (unqualified) only.';
	END IF;
	IF NEW.mentor_id OPERATOR(pg_catalog.=) NEW.member_id THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('member "%s" cannot mentor themself', NEW.member_id);
	END IF;
	SELECT * INTO mentor FROM pointsys.member m
	WHERE m.member_id OPERATOR(pg_catalog.=) NEW.mentor_id;
	IF NOT FOUND THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	-- (a recorder's mentor is of her branches: she may read these dates)
	IF mentor.joined_on OPERATOR(pg_catalog.>) pg_catalog.make_date(NEW.year, 12, 31)
	   OR mentor.left_on OPERATOR(pg_catalog.<) pg_catalog.make_date(NEW.year, 1, 1) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('mentor "%s" was not a member of the party in %s',
										NEW.mentor_id, NEW.year),
			DETAIL = pg_catalog.format('Joined on %s, left on %s.',
									   COALESCE(mentor.joined_on::pg_catalog.text, '-'),
									   COALESCE(mentor.left_on::pg_catalog.text, '-'));
	END IF;
	SELECT r.grade INTO mentor_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF mentor_grade OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = CASE WHEN may_read THEN
						  pg_catalog.format('mentor "%s" is graded 不合格 for %s', NEW.mentor_id, NEW.year)
					  ELSE pg_catalog.format('mentor "%s" cannot mentor in %s', NEW.mentor_id, NEW.year) END,
			HINT = 'Choose a mentor who is not 不合格 that year.';
	END IF;
	SELECT s.value INTO limit_mentees FROM pointsys.setting s
	WHERE s.name OPERATOR(pg_catalog.=) 'mentees_per_mentor';
	limit_mentees := COALESCE(limit_mentees, 1);
	-- one assignment of this mentor and year at a time: the row of
	-- mentor_turn, which only this trigger writes (an update, so that a
	-- REPEATABLE READ transaction that raced another gets 40001); the count
	-- below then sees the other's committed row under READ COMMITTED
	INSERT INTO pointsys.mentor_turn AS t (mentor_id, year) VALUES (NEW.mentor_id, NEW.year)
	ON CONFLICT ON CONSTRAINT mentor_turn_pkey DO UPDATE SET turns = t.turns OPERATOR(pg_catalog.+) 1;
	SELECT pg_catalog.count(*) INTO mentees FROM pointsys.mentoring t
	WHERE t.mentor_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND t.member_id OPERATOR(pg_catalog.<>) NEW.member_id;
	IF mentees OPERATOR(pg_catalog.>=) limit_mentees THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = CASE WHEN may_read THEN
						  pg_catalog.format('mentor "%s" already has %s mentee(s) in %s',
											NEW.mentor_id, mentees, NEW.year)
					  ELSE pg_catalog.format('mentor "%s" has no room for another mentee in %s',
											 NEW.mentor_id, NEW.year) END,
			DETAIL = pg_catalog.format('The limit is %s (pointsys.setting mentees_per_mentor).', limit_mentees);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_check() IS
	'帮扶规则 a 不合格 member-year; the mentor a member that year, not the member, not 不合格, within mentees_per_mentor; a writer who may not read grades is told no grade and no other branch''s count';

------------------------------------------------------------------------
-- 文字长度 free text bounded (issue 22): notes and descriptions 500
-- characters, names and titles 100; 22001 before the row and its audit
-- row are written.  Longer values already stored are kept: the limit
-- applies to a value written or changed.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.text_limits() RETURNS trigger
	AS 'MODULE_PATHNAME', 'text_limits' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.text_limits() IS
	'文字长度 names and titles at most 100 characters, mentoring notes 500 (22001)';
REVOKE EXECUTE ON FUNCTION @extschema@.text_limits() FROM PUBLIC;

CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.branch
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.category
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.mentoring
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
COMMENT ON TRIGGER text_limits ON @extschema@.branch IS '文字长度 the name at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.member IS '文字长度 the name at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.category IS '文字长度 the title at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.item IS '文字长度 the title at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.award_kind IS '文字长度 the title at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.mentoring IS '文字长度 the note at most 500 characters';

COMMENT ON COLUMN @extschema@.score.note IS '备注 note, at most 500 characters';
COMMENT ON COLUMN @extschema@.award.description IS '事由 description, at most 500 characters';
COMMENT ON COLUMN @extschema@.sanction.note IS '备注 note, at most 500 characters';
COMMENT ON COLUMN @extschema@.mentoring.note IS '备注 note, at most 500 characters';
COMMENT ON COLUMN @extschema@.branch.name IS '支部名称 branch name, at most 100 characters';
COMMENT ON COLUMN @extschema@.member.name IS '姓名 name, at most 100 characters';
COMMENT ON COLUMN @extschema@.category.title IS '类别名称 category title, at most 100 characters';
COMMENT ON COLUMN @extschema@.item.title IS '项目内容 item title, at most 100 characters';
COMMENT ON COLUMN @extschema@.award_kind.title IS '奖励内容 award title, at most 100 characters';

------------------------------------------------------------------------
-- 类型输入输出 every role may read and write pointsys's types (issue 22):
-- casts, COPY and drivers call the I/O functions as the user, as they do
-- for every built-in type
------------------------------------------------------------------------

GRANT EXECUTE ON FUNCTION
	@extschema@.grade_in(pg_catalog.cstring),
	@extschema@.grade_out(@extschema@.grade),
	@extschema@.grade_recv(pg_catalog.internal),
	@extschema@.grade_send(@extschema@.grade),
	@extschema@.quarter_state_in(pg_catalog.cstring),
	@extschema@.quarter_state_out(@extschema@.quarter_state),
	@extschema@.year_state_in(pg_catalog.cstring),
	@extschema@.year_state_out(@extschema@.year_state)
TO PUBLIC;
