/* pointsys--1.2--1.3.sql: release 1.3 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.3'" to load this file. \quit

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
