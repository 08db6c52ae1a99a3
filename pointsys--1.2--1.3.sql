/* pointsys--1.2--1.3.sql: release 1.3 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.3'" to load this file. \quit

------------------------------------------------------------------------
-- 审计 the audit trail of updates reads the transition tables too
------------------------------------------------------------------------
-- An UPDATE's audit rows were written by a row trigger, one query per row
-- updated; like inserts and deletes they are now written by one statement
-- trigger over the old and new rows (audit.c pairs them in order).

DO LANGUAGE plpgsql $$
DECLARE
	t pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['score', 'award', 'sanction', 'evaluation', 'branch', 'member',
							 'period', 'recorder', 'item', 'category', 'award_kind'] LOOP
		EXECUTE pg_catalog.format(
			'DROP TRIGGER audit_update ON pointsys.%1$I;'
			'CREATE TRIGGER audit_update AFTER UPDATE ON pointsys.%1$I'
			' REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();'
			'COMMENT ON TRIGGER audit_update ON pointsys.%1$I IS %2$L;',
			t, '审计 audit trail of updates (old and new row)');
	END LOOP;
END
$$;

------------------------------------------------------------------------
-- 逻辑复制 a subscriber's month ledger and caches follow the rows it applies
------------------------------------------------------------------------
-- On a logical replication subscriber the apply worker fires row
-- triggers only: these count each applied score and award row into the
-- month ledger (month_ledger_rows.c) and drop the cached rulebook, members
-- and recorders when their rows arrive.  ENABLE REPLICA: they fire only in
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
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.recorder
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
ALTER TABLE @extschema@.item ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.award_kind ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.member ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.recorder ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.item IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.award_kind IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.member IS
	'成员缓存失效（逻辑复制） member cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.recorder IS
	'记录员缓存失效（逻辑复制） recorder cache invalidation for rows a subscription applies';

REVOKE EXECUTE ON FUNCTION @extschema@.member_month_replicated() FROM PUBLIC;

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
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit'] LOOP
		col := tbl OPERATOR(pg_catalog.||) '_id';
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
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit'] LOOP
		EXECUTE pg_catalog.format('ALTER TABLE pointsys.%I ALTER COLUMN %I RESTART WITH %s', tbl,
								  tbl OPERATOR(pg_catalog.||) '_id',
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
