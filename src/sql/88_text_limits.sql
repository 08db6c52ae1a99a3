-- src/sql/88_text_limits.sql
-- 文字长度 free text bounded (release 1.5): notes and descriptions 500
-- characters, names and titles 100; 22001 before the row and its audit row
-- are written (text_limits.c).  score, award and sanction check their notes
-- in their write rules; this trigger covers branch, member, the rulebook and
-- mentoring.  A longer value stored before 1.5 is kept while unchanged.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.text_limits() RETURNS trigger
	AS 'MODULE_PATHNAME', 'text_limits' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.text_limits() IS
	'文字长度 names and titles at most 100 characters, mentoring notes 500 (22001)';
REVOKE EXECUTE ON FUNCTION @extschema@.text_limits() FROM PUBLIC;

-- The trigger text_limits on each table, and what its comment says it bounds
DO LANGUAGE plpgsql $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES
		('branch', 'the name at most 100 characters'),
		('member', 'the name at most 100 characters'),
		('category', 'the title at most 100 characters'),
		('item', 'the title at most 100 characters'),
		('award_kind', 'the title at most 100 characters'),
		('mentoring', 'the note at most 500 characters'))
		AS v (name, bound)
	LOOP
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON pointsys.%1$I
				FOR EACH ROW EXECUTE FUNCTION pointsys.text_limits();
			 COMMENT ON TRIGGER text_limits ON pointsys.%1$I IS %2$L',
			t.name, '文字长度 ' || t.bound);
	END LOOP;
END
$$;
