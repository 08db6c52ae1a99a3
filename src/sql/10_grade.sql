-- src/sql/10_grade.sql
-- 格次 the grade type: a C base type of four ordered values, its I/O,
-- comparisons and hashing, operators (also against text), operator
-- classes, min and max

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
