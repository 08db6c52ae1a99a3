/* pointsys: 党员积分台账 party-member points ledger, the install script */

/*
 * The whole of the current release (default_version in pointsys.control),
 * for CREATE EXTENSION.  The Makefile builds it as pointsys--<version>.sql
 * from the files of src/sql, NN_concept.sql, in name order: each holds one
 * concept, and a later file may use what an earlier one created.  Edit
 * those files, never the built script.  A database on an older release
 * gets the same objects from src/sql/updates/pointsys--1.0.sql and the
 * update scripts beside it (test/t/004_upgrade.pl compares the two, object
 * for object).
 *
 * src/sql/00_header.sql: this header, the guard against running the script
 * in psql, the check of the schema's owner.
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
-- (The one message of pointsys raised by RAISE: nothing of the extension,
-- pointsys.refuse included, may be created in such a schema, so it is
-- written in both languages.)
DO LANGUAGE plpgsql $$
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_namespace n
			   WHERE n.nspname OPERATOR(pg_catalog.=) 'pointsys'
				 AND n.nspowner OPERATOR(pg_catalog.<>)
					 (SELECT r.oid FROM pg_catalog.pg_roles r
					  WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = 'schema "pointsys" is owned by another role (模式 "pointsys" 的属主是另一个角色)',
			HINT = 'Drop the schema, or let its owner install the extension. (删除该模式，或由其属主安装本扩展。)';
	END IF;
END
$$;

COMMENT ON SCHEMA @extschema@ IS '党员积分台账 party-member points ledger';
