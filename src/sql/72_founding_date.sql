-- src/sql/72_founding_date.sql
-- 建党以前的日期 no membership, sanction or election dated before
-- July 1921

------------------------------------------------------------------------
-- 建党以前的日期 no date before the founding of the party (issue 11): the
-- Communist Party of China was founded in July 1921, so a membership, a
-- sanction or a recorder's election before it is a typo (0026 for 2026).
-- Score and award months and evaluation years are refused by their
-- triggers (22008); these dates by CHECK constraints (23514).
------------------------------------------------------------------------

ALTER TABLE @extschema@.member
	ADD CONSTRAINT member_joined_after_founding
		CHECK (joined_on OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date),
	ADD CONSTRAINT member_left_after_founding
		CHECK (left_on OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date);
ALTER TABLE @extschema@.sanction
	ADD CONSTRAINT sanction_effective_after_founding
		CHECK (effective_on OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date);
ALTER TABLE @extschema@.recorder
	ADD CONSTRAINT recorder_elected_after_founding
		CHECK (elected_on OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date);
COMMENT ON CONSTRAINT member_joined_after_founding ON @extschema@.member IS '入党日期 joined on or after 1921-07-01, the founding of the party';
COMMENT ON CONSTRAINT member_left_after_founding ON @extschema@.member IS '出党日期 left on or after 1921-07-01, the founding of the party';
COMMENT ON CONSTRAINT sanction_effective_after_founding ON @extschema@.sanction IS '处分生效日期 effective on or after 1921-07-01, the founding of the party';
COMMENT ON CONSTRAINT recorder_elected_after_founding ON @extschema@.recorder IS '推选日期 elected on or after 1921-07-01, the founding of the party';
