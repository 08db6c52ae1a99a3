-- src/sql/71_node.sql
-- 节点标识 node identity: ids unique across bureaus (node_of,
-- set_node)

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
		PERFORM pointsys.refuse('22023', 'node identity %s is out of range', NULL,
								'A node identity is an integer from 1 to 8388607, one per database of the city.',
								COALESCE(node::pg_catalog.text, 'NULL'));
	END IF;
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit_log'] LOOP
		col := pg_catalog.replace(tbl, '_log', '') OPERATOR(pg_catalog.||) '_id';
		EXECUTE pg_catalog.format('SELECT max(%I) FROM pointsys.%I WHERE %I OPERATOR(pg_catalog.>=) 1099511627776',
								  col, tbl, col)
			INTO used;
		IF used IS NOT NULL THEN
			PERFORM pointsys.refuse('55000', 'node identity cannot change: pointsys.%s has ids of node %s',
									'Its %3$s %4$s was given out under that node.',
									'Set the node right after CREATE EXTENSION, before any award, sanction or audited change.',
									tbl, (used OPERATOR(pg_catalog.>>) 40)::pg_catalog.text, col, used::pg_catalog.text);
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
