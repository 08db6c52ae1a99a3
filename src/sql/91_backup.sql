-- src/sql/91_backup.sql
-- 备份 pointsys_admin may read the identity sequences, to pg_dump
-- the ledger

------------------------------------------------------------------------
-- 备份 pointsys_admin can pg_dump the ledger (issue 11): pg_dump reads the
-- state of every sequence it dumps, so the bureau's DBA role needs SELECT
-- on the identity sequences of award, sanction and audit (it reads every
-- table already; pg_dump --enable-row-security lets the policies give it
-- every row, README, Backups).
------------------------------------------------------------------------

GRANT SELECT ON SEQUENCE @extschema@.award_award_id_seq, @extschema@.sanction_sanction_id_seq,
	@extschema@.audit_log_audit_id_seq TO pointsys_admin;
