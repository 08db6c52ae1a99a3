-- src/sql/21_aggregates.sql
-- 计分聚合 the scoring aggregates (quarter_avg, annual_assessment)
-- and their fixed-length state types

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
