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

-- The C functions of src/grade.c grade_text_eq, _ne, _lt, _le, _gt, _ge
-- (grade <op> text) and text_grade_eq … _ge (text <op> grade), their
-- operators (with the commutator, negator and estimators of
-- grade <op> grade) and the comments of both: one row a comparison, done
-- for each side the text stands on.
DO LANGUAGE plpgsql $$
DECLARE
	c record;
BEGIN
	FOR c IN SELECT * FROM (VALUES
		('eq', '=', '=', '<>', 'eqsel', 'eqjoinsel', '相等', 'equal'),
		('ne', '<>', '<>', '=', 'neqsel', 'neqjoinsel', '不等', 'not equal'),
		('lt', '<', '>', '>=', 'scalarltsel', 'scalarltjoinsel', '低于', 'lower than'),
		('le', '<=', '>=', '>', 'scalarlesel', 'scalarlejoinsel', '不高于', 'lower or equal'),
		('gt', '>', '<', '<=', 'scalargtsel', 'scalargtjoinsel', '高于', 'higher than'),
		('ge', '>=', '<=', '<', 'scalargesel', 'scalargejoinsel', '不低于', 'higher or equal'))
		AS v (name, op, commutator, negator, sel, joinsel, zh, en)
	CROSS JOIN (VALUES
		-- grade_text_eq: 格次相等标签 grade equal a label given as text
		('grade_text_', 'pointsys.grade', 'pg_catalog.text', '格次', '标签', 'grade', 'a label given as text'),
		-- text_grade_eq: 标签相等格次 label given as text equal a grade
		('text_grade_', 'pg_catalog.text', 'pointsys.grade', '标签', '格次', 'label given as text', 'a grade'))
		AS s (prefix, leftarg, rightarg, zh_left, zh_right, en_left, en_right)
	LOOP
		EXECUTE pg_catalog.format(
			'CREATE FUNCTION pointsys.%1$I(%2$s, %3$s) RETURNS pg_catalog.bool
				AS %4$L, %1$L LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
			 CREATE OPERATOR pointsys.%5$s (
				LEFTARG = %2$s, RIGHTARG = %3$s, FUNCTION = pointsys.%1$I,
				COMMUTATOR = OPERATOR(pointsys.%6$s), NEGATOR = OPERATOR(pointsys.%7$s),
				RESTRICT = pg_catalog.%8$I, JOIN = pg_catalog.%9$I);
			 COMMENT ON FUNCTION pointsys.%1$I(%2$s, %3$s) IS %10$L;
			 COMMENT ON OPERATOR pointsys.%5$s (%2$s, %3$s) IS %10$L',
			c.prefix || c.name, c.leftarg, c.rightarg, 'MODULE_PATHNAME', c.op, c.commutator, c.negator,
			c.sel, c.joinsel,
			c.zh_left || c.zh || c.zh_right || ' ' || c.en_left || ' ' || c.en || ' ' || c.en_right);
	END LOOP;
END
$$;
