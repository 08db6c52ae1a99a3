-- src/sql/96_audit_and_policies.sql
-- 积分核查与行级安全 what every table of the ledger, the process and the
-- paperwork gets alike, one list each, once all of them exist: the four
-- triggers that write its audit trail, and row security with the
-- policies for the administrators and the readers (each table's own
-- recorder_branch policy stands beside its table's privileges)

------------------------------------------------------------------------
-- 积分核查 the audit trail of each table (audit_changes, 70_audit.sql):
-- one audit row per row changed, by statement triggers over the
-- transition tables (an update's old and new rows are paired in order)
------------------------------------------------------------------------

DO LANGUAGE plpgsql $$
DECLARE
	t pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['score', 'award', 'sanction', 'evaluation', 'branch', 'member', 'period',
							 'recorder', 'item', 'category', 'award_kind', 'mentoring', 'setting',
							 'membership', 'appraisal_weight', 'appraisal_round', 'appraisal_tally',
							 'appraisal_voter'] LOOP
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER audit_insert AFTER INSERT ON pointsys.%1$I
				REFERENCING NEW TABLE AS pointsys_new_rows
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			 CREATE TRIGGER audit_update AFTER UPDATE ON pointsys.%1$I
				REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			 CREATE TRIGGER audit_delete AFTER DELETE ON pointsys.%1$I
				REFERENCING OLD TABLE AS pointsys_old_rows
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			 CREATE TRIGGER audit_truncate AFTER TRUNCATE ON pointsys.%1$I
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			 COMMENT ON TRIGGER audit_insert ON pointsys.%1$I IS %2$L;
			 COMMENT ON TRIGGER audit_update ON pointsys.%1$I IS %3$L;
			 COMMENT ON TRIGGER audit_delete ON pointsys.%1$I IS %4$L;
			 COMMENT ON TRIGGER audit_truncate ON pointsys.%1$I IS %5$L',
			t,
			'审计 audit trail of inserts (one row per inserted row)',
			'审计 audit trail of updates (old and new row)',
			'审计 audit trail of deletes (one row per deleted row)',
			'审计 audit trail of truncation');
	END LOOP;
END
$$;

------------------------------------------------------------------------
-- 行级安全 row security of the tables a recorder reads or writes by
-- branch (80_roles.sql), with the same two policies on each:
-- admin_all (pointsys_admin reads and writes every row) and reader_all
-- (pointsys_reader reads every row)
------------------------------------------------------------------------

DO LANGUAGE plpgsql $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES
		('score', ''), ('award', ''), ('member', ''), ('branch', ''), ('recorder', ''), ('period', ''),
		('mentoring', ''), ('membership', ' (组织关系转接)'), ('evaluation', ''), ('appraisal_round', ''),
		('appraisal_tally', ''), ('appraisal_voter', ''))
		AS v (name, admin_note)
	LOOP
		EXECUTE pg_catalog.format(
			'ALTER TABLE pointsys.%1$I ENABLE ROW LEVEL SECURITY;
			 CREATE POLICY admin_all ON pointsys.%1$I TO pointsys_admin USING (true) WITH CHECK (true);
			 CREATE POLICY reader_all ON pointsys.%1$I FOR SELECT TO pointsys_reader USING (true);
			 COMMENT ON POLICY admin_all ON pointsys.%1$I IS %2$L;
			 COMMENT ON POLICY reader_all ON pointsys.%1$I IS %3$L',
			t.name,
			'局党组 pointsys_admin sees and writes every branch' || t.admin_note,
			'报表工具 pointsys_reader reads every branch');
	END LOOP;
END
$$;
