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
COMMENT ON COLUMN @extschema@.member.branch_id IS '所在支部 branch';
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
COMMENT ON COLUMN @extschema@.score.recorded_by IS '记录人 recorded by';
COMMENT ON COLUMN @extschema@.score.recorded_at IS '记录时间 recorded at';

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
COMMENT ON COLUMN @extschema@.award.recorded_by IS '记录人 recorded by';
COMMENT ON COLUMN @extschema@.award.recorded_at IS '记录时间 recorded at';

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
-- 评分细则 the rulebook of SPEC §1
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
BEGIN
	IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'category' THEN
		UPDATE pointsys.category c SET title = NEW.title, cap = NEW.cap
		WHERE c.category OPERATOR(pg_catalog.=) NEW.category
		  AND (c.title, c.cap) IS DISTINCT FROM (NEW.title, NEW.cap);
		PERFORM FROM pointsys.category c WHERE c.category OPERATOR(pg_catalog.=) NEW.category;
	ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'item' THEN
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

CREATE TRIGGER score_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.score
	FOR EACH ROW EXECUTE FUNCTION @extschema@.score_check();
CREATE TRIGGER award_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.award
	FOR EACH ROW EXECUTE FUNCTION @extschema@.award_check();
CREATE TRIGGER evaluation_check BEFORE INSERT OR UPDATE ON @extschema@.evaluation
	FOR EACH ROW EXECUTE FUNCTION @extschema@.evaluation_check();
CREATE TRIGGER sanction_check BEFORE INSERT OR UPDATE ON @extschema@.sanction
	FOR EACH ROW EXECUTE FUNCTION @extschema@.sanction_check();

CREATE TRIGGER rulebook_guard BEFORE UPDATE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE UPDATE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE UPDATE OR DELETE ON @extschema@.category
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
COMMENT ON TRIGGER evaluation_check ON @extschema@.evaluation IS '民主评议写入规则 evaluation write rules';
COMMENT ON TRIGGER sanction_check ON @extschema@.sanction IS '处分写入规则 sanction write rules';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.item IS '细则一致性 item maximum and step consistent with recorded points';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.award_kind IS '细则一致性 award points fixed once awards are recorded';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.category IS '细则一致性 the reward category stays, its cap fixed once awards are recorded';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.member IS '党籍一致性 membership covers every recorded month';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.item IS '细则缓存失效 rulebook cache invalidation';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.award_kind IS '细则缓存失效 rulebook cache invalidation';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.member IS '党员缓存失效 member cache invalidation';

------------------------------------------------------------------------
-- 台账读取 reading the ledger
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.year_of(pg_catalog.date) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'pointsys_year_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.year_of(pg_catalog.date) IS '年度 calendar year of a date';

CREATE FUNCTION @extschema@.quarter_start(year pg_catalog.int4, quarter pg_catalog.int4) RETURNS pg_catalog.date
	AS 'MODULE_PATHNAME', 'pointsys_quarter_start' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_start(pg_catalog.int4, pg_catalog.int4) IS '季度首日 first day of a quarter (1..4)';

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

CREATE VIEW @extschema@.member_years WITH (security_invoker = true) AS
SELECT r.member_id, @extschema@.year_of(r.month) AS year,
	   @extschema@.ledger_year(r.month, r.points, r.award_points) AS ledger
FROM (SELECT s.member_id, s.month, s.points, NULL::pg_catalog.numeric AS award_points
	  FROM @extschema@.score s
	  UNION ALL
	  SELECT a.member_id, a.month, NULL, k.points
	  FROM @extschema@.award a
	  JOIN @extschema@.award_kind k ON k.kind OPERATOR(pg_catalog.=) a.kind) r
GROUP BY r.member_id, @extschema@.year_of(r.month);
COMMENT ON VIEW @extschema@.member_years IS '年度台账 each member-year''s ledger rows gathered in one ledger_year state';
COMMENT ON COLUMN @extschema@.member_years.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.member_years.year IS '年度 year';
COMMENT ON COLUMN @extschema@.member_years.ledger IS '年度台账状态 ledger_year state';

CREATE VIEW @extschema@.monthly_scores WITH (security_invoker = true) AS
SELECT member_id, month,
	   COALESCE(t.study, 0) AS study,
	   COALESCE(t.service, 0) AS service,
	   COALESCE(t.innovation, 0) AS innovation,
	   COALESCE(t.worklist, 0) AS worklist,
	   COALESCE(t.role, 0) AS role,
	   LEAST(COALESCE(r.awards, 0), c.cap) AS reward,
	   COALESCE(t.scored, 0) OPERATOR(pg_catalog.+) LEAST(COALESCE(r.awards, 0), c.cap) AS total
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
SELECT y.member_id, y.year, q.quarter, q.score, q.months
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

CREATE VIEW @extschema@.annual_results WITH (security_invoker = true) AS
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
CROSS JOIN LATERAL (SELECT @extschema@.is_vetoed(y.member_id, y.year) AS vetoed) v
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
-- 操作流程 the process: recorders, quarter statuses (SPEC §4)
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
	PRIMARY KEY (branch_id, year, quarter)
);
COMMENT ON TABLE @extschema@.period IS '季度流程 status of each branch quarter: recording → approved → publicized → filed → verified; no row: recording';
COMMENT ON COLUMN @extschema@.period.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.period.year IS '年度 year';
COMMENT ON COLUMN @extschema@.period.quarter IS '季度 quarter (1..4)';
COMMENT ON COLUMN @extschema@.period.status IS '状态 recording 考核登记, approved 党员大会评定, publicized 公示, filed 上报备案, verified 积分核查';
COMMENT ON COLUMN @extschema@.period.changed_by IS '变更人 changed by';
COMMENT ON COLUMN @extschema@.period.changed_at IS '变更时间 changed at';

CREATE TABLE @extschema@.audit (
	audit_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	actor pg_catalog.name NOT NULL,
	acting_as pg_catalog.name NOT NULL,
	table_name pg_catalog.text NOT NULL,
	action pg_catalog.text NOT NULL,
	old_row pg_catalog.jsonb,
	new_row pg_catalog.jsonb,
	reason pg_catalog.text
);
COMMENT ON TABLE @extschema@.audit IS '积分核查 audit trail: one row per change of the ledger, rulebook and process; never updated or deleted';
COMMENT ON COLUMN @extschema@.audit.audit_id IS '审计编号 audit id';
COMMENT ON COLUMN @extschema@.audit.at IS '时间 transaction time of the change';
COMMENT ON COLUMN @extschema@.audit.actor IS '操作人 session user';
COMMENT ON COLUMN @extschema@.audit.acting_as IS '操作角色 current user';
COMMENT ON COLUMN @extschema@.audit.table_name IS '表 table changed';
COMMENT ON COLUMN @extschema@.audit.action IS '操作 INSERT, UPDATE, DELETE or TRUNCATE';
COMMENT ON COLUMN @extschema@.audit.old_row IS '原记录 row before';
COMMENT ON COLUMN @extschema@.audit.new_row IS '新记录 row after';
COMMENT ON COLUMN @extschema@.audit.reason IS '理由 SET pointsys.reason of the session; NULL when unset';

CREATE FUNCTION @extschema@.period_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'period_check' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.period_check() IS '季度流程规则 one step at a time; recorders up to filed; admin verifies and reopens with a reason';
CREATE TRIGGER period_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.period
	FOR EACH ROW EXECUTE FUNCTION @extschema@.period_check();
COMMENT ON TRIGGER period_check ON @extschema@.period IS '季度流程规则 quarter status rules';

CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.recorder
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
COMMENT ON TRIGGER rulebook_changed ON @extschema@.recorder IS '记录员缓存失效 recorder cache invalidation';

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
	SELECT p.status INTO current_status FROM pointsys.period p
	WHERE p.branch_id OPERATOR(pg_catalog.=) advance.branch_id
	  AND p.year OPERATOR(pg_catalog.=) advance.year
	  AND p.quarter OPERATOR(pg_catalog.=) advance.quarter;
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

CREATE TRIGGER audit_immutable BEFORE UPDATE OR DELETE ON @extschema@.audit
	FOR EACH ROW EXECUTE FUNCTION @extschema@.audit_immutable();
CREATE TRIGGER audit_immutable_truncate BEFORE TRUNCATE ON @extschema@.audit
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_immutable();
COMMENT ON TRIGGER audit_immutable ON @extschema@.audit IS '审计不可改 audit rows are never updated or deleted';
COMMENT ON TRIGGER audit_immutable_truncate ON @extschema@.audit IS '审计不可改 the audit trail is never truncated';

DO LANGUAGE plpgsql $$
DECLARE
	t pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['score', 'award', 'sanction', 'evaluation', 'branch', 'member',
							 'period', 'recorder', 'item', 'category', 'award_kind'] LOOP
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER audit_insert AFTER INSERT ON pointsys.%1$I'
			' REFERENCING NEW TABLE AS pointsys_new_rows'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();'
			'CREATE TRIGGER audit_update AFTER UPDATE ON pointsys.%1$I'
			' FOR EACH ROW EXECUTE FUNCTION pointsys.audit_changes();'
			'CREATE TRIGGER audit_delete AFTER DELETE ON pointsys.%1$I'
			' REFERENCING OLD TABLE AS pointsys_old_rows'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();'
			'CREATE TRIGGER audit_truncate AFTER TRUNCATE ON pointsys.%1$I'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();'
			'COMMENT ON TRIGGER audit_insert ON pointsys.%1$I IS %2$L;'
			'COMMENT ON TRIGGER audit_update ON pointsys.%1$I IS %3$L;'
			'COMMENT ON TRIGGER audit_delete ON pointsys.%1$I IS %4$L;'
			'COMMENT ON TRIGGER audit_truncate ON pointsys.%1$I IS %5$L;',
			t,
			'审计 audit trail of inserts (one row per inserted row)',
			'审计 audit trail of updates (old and new row)',
			'审计 audit trail of deletes (one row per deleted row)',
			'审计 audit trail of truncation');
	END LOOP;
END
$$;

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
CREATE FUNCTION @extschema@.may_record_branch(branch_id pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'may_record_branch' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.may_record(pg_catalog.text) IS '记录权限 is the current user a recorder of this member''s branch';
COMMENT ON FUNCTION @extschema@.may_record_branch(pg_catalog.text) IS '记录权限 is the current user a recorder of this branch';

GRANT USAGE ON SCHEMA @extschema@ TO pointsys_admin, pointsys_recorder, pointsys_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON
	@extschema@.branch, @extschema@.member, @extschema@.category, @extschema@.item,
	@extschema@.award_kind, @extschema@.score, @extschema@.award, @extschema@.sanction,
	@extschema@.evaluation, @extschema@.recorder, @extschema@.period
	TO pointsys_admin;
GRANT SELECT ON
	@extschema@.audit, @extschema@.member_years, @extschema@.monthly_scores,
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

DO LANGUAGE plpgsql $$
DECLARE
	t pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['score', 'award', 'member', 'branch', 'recorder', 'period'] LOOP
		EXECUTE pg_catalog.format(
			'CREATE POLICY admin_all ON pointsys.%1$I TO pointsys_admin USING (true) WITH CHECK (true);'
			'CREATE POLICY reader_all ON pointsys.%1$I FOR SELECT TO pointsys_reader USING (true);'
			'COMMENT ON POLICY admin_all ON pointsys.%1$I IS %2$L;'
			'COMMENT ON POLICY reader_all ON pointsys.%1$I IS %3$L;',
			t,
			'局党组 pointsys_admin sees and writes every branch',
			'报表工具 pointsys_reader reads every branch');
	END LOOP;
END
$$;

CREATE POLICY recorder_branch ON @extschema@.score TO pointsys_recorder
	USING (@extschema@.may_record(member_id)) WITH CHECK (@extschema@.may_record(member_id));
CREATE POLICY recorder_branch ON @extschema@.award TO pointsys_recorder
	USING (@extschema@.may_record(member_id)) WITH CHECK (@extschema@.may_record(member_id));
CREATE POLICY recorder_branch ON @extschema@.member FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.branch FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.recorder FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.period TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)) WITH CHECK (@extschema@.may_record_branch(branch_id));
COMMENT ON POLICY recorder_branch ON @extschema@.score IS '记录员 scores of members of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.award IS '记录员 awards of members of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.member IS '记录员 members of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.branch IS '记录员 the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.recorder IS '记录员 recorders of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.period IS '记录员 quarters of the recorder''s branches';

SELECT pg_catalog.pg_extension_config_dump('pointsys.recorder', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.period', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.audit', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.audit_audit_id_seq', '');

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
