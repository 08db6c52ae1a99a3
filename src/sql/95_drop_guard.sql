-- src/sql/95_drop_guard.sql
-- 防误删 DROP EXTENSION keeps the ledger unless told otherwise

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
