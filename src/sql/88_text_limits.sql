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

CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.branch
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.category
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
CREATE TRIGGER text_limits BEFORE INSERT OR UPDATE ON @extschema@.mentoring
	FOR EACH ROW EXECUTE FUNCTION @extschema@.text_limits();
COMMENT ON TRIGGER text_limits ON @extschema@.branch IS '文字长度 the name at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.member IS '文字长度 the name at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.category IS '文字长度 the title at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.item IS '文字长度 the title at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.award_kind IS '文字长度 the title at most 100 characters';
COMMENT ON TRIGGER text_limits ON @extschema@.mentoring IS '文字长度 the note at most 500 characters';
