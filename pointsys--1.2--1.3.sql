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
