-- src/sql/05_refuse.sql
-- 拒绝 pointsys's refusals raised from SQL, in the session's language

-- PL/pgSQL's RAISE never translates its text.  pointsys's SQL functions
-- refuse through this C function instead (refusal.c): it looks message,
-- detail and hint up in pointsys's message catalog (po/zh_CN.po) first and
-- only then puts the arguments in, %s for the next, %n$s for the n-th (a
-- NULL one as nothing, as format() does).  The Makefile's pot rule reads
-- the literal message, detail and hint of every pointsys.refuse call of
-- src/sql/*.sql (po/sql_messages.pl), so that `make po-check` fails on one
-- without a translation.  Write them literally, as whole sentences (a CASE
-- of literals where the words differ), never built with format().
--
-- Every role may call it, as everyone may RAISE: it only raises an error
-- whose every word the caller chose, reads and writes nothing, and takes
-- any input (a malformed or non-error SQLSTATE is P0001).  pointsys's
-- SECURITY INVOKER functions and triggers call it as the writer.
CREATE FUNCTION @extschema@.refuse(sqlstate pg_catalog.text, message pg_catalog.text,
								   detail pg_catalog.text DEFAULT NULL, hint pg_catalog.text DEFAULT NULL,
								   VARIADIC args pg_catalog.text[] DEFAULT '{}')
	RETURNS void
	LANGUAGE c VOLATILE PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'refuse';
COMMENT ON FUNCTION @extschema@.refuse(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text[]) IS
	'拒绝 raise the error sqlstate with message, detail and hint translated into the session''s language (lc_messages), then args put in (%s, %n$s)';

-- A trigger function of pointsys's own fired where it does not belong (a
-- superuser's CREATE TRIGGER on another table, time or event): a clean
-- 39P01, as trigger_check() gives the C triggers.  Each PL/pgSQL trigger
-- function calls it first with its TG_ variables and what it is for.
CREATE FUNCTION @extschema@.check_firing(fn pg_catalog.text, relid pg_catalog.oid, table_name pg_catalog.name,
										 fired_when pg_catalog.text, fired_level pg_catalog.text,
										 fired_op pg_catalog.text, own_table pg_catalog.regclass,
										 own_when pg_catalog.text, own_ops pg_catalog.text[])
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF relid OPERATOR(pg_catalog.<>) own_table::pg_catalog.oid OR fired_when OPERATOR(pg_catalog.<>) own_when
	   OR fired_level OPERATOR(pg_catalog.<>) 'ROW' OR NOT fired_op OPERATOR(pg_catalog.=) ANY (own_ops) THEN
		PERFORM pointsys.refuse('39P01', '%s: cannot fire %s on table "%s"', NULL, NULL,
								fn, pg_catalog.concat_ws(' ', fired_when, fired_op, 'FOR EACH', fired_level), table_name);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_firing(pg_catalog.text, pg_catalog.oid, pg_catalog.name, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.regclass, pg_catalog.text, pg_catalog.text[]) IS
	'触发器检查 refuses (39P01) a trigger function of pointsys fired on another table, time, level or event than its own';
