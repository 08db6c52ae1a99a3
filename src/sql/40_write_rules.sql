-- src/sql/40_write_rules.sql
-- 写入规则 the write rules (C triggers) of score, award, evaluation
-- and sanction; the rulebook's guard, its cache invalidation and its
-- upsert on restore

------------------------------------------------------------------------
-- 写入规则 write rules (C triggers)
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.score_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'score_check' LANGUAGE C;
CREATE FUNCTION @extschema@.award_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'award_check' LANGUAGE C;
CREATE FUNCTION @extschema@.ledger_delete_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ledger_delete_check' LANGUAGE C;
CREATE FUNCTION @extschema@.evaluation_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'evaluation_check' LANGUAGE C;
CREATE FUNCTION @extschema@.sanction_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'sanction_check' LANGUAGE C;
CREATE FUNCTION @extschema@.rulebook_guard() RETURNS trigger
	AS 'MODULE_PATHNAME', 'rulebook_guard' LANGUAGE C;
CREATE FUNCTION @extschema@.rulebook_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'rulebook_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.score_check() IS '积分写入规则 score rules: item known, points 0..max in step, month not in the future, member in the party, quarter recording';
COMMENT ON FUNCTION @extschema@.award_check() IS '奖励写入规则 award rules: kind known, month not in the future, member in the party, quarter recording';
COMMENT ON FUNCTION @extschema@.ledger_delete_check() IS '删除写入规则 deleted scores and awards: each member-month''s quarter recording';
COMMENT ON FUNCTION @extschema@.evaluation_check() IS '民主评议写入规则 evaluation rules: democratic 0..100, member in the party that year';
COMMENT ON FUNCTION @extschema@.sanction_check() IS '处分写入规则 sanction rules: one of the six kinds';
COMMENT ON FUNCTION @extschema@.rulebook_guard() IS '细则一致性 keeps rulebook and member edits consistent with recorded points';
COMMENT ON FUNCTION @extschema@.rulebook_changed() IS '细则缓存失效 tells every session to reload its cached rulebook or members';

-- pg_dump restores the rulebook after CREATE EXTENSION has filled it: an
-- insert of a key that exists updates that entry (and is skipped when the
-- entry is identical), so a customised rulebook survives dump and restore.
CREATE FUNCTION @extschema@.rulebook_upsert() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tbl pg_catalog.text := CASE TG_RELID
		WHEN 'pointsys.category'::pg_catalog.regclass::pg_catalog.oid THEN 'category'
		WHEN 'pointsys.item'::pg_catalog.regclass::pg_catalog.oid THEN 'item'
		WHEN 'pointsys.award_kind'::pg_catalog.regclass::pg_catalog.oid THEN 'award_kind' END;
BEGIN
	IF tbl IS NULL THEN
		PERFORM pointsys.refuse('39P01', '%s: cannot fire on table "%s"', 'It fires only on %3$s.', NULL,
								'rulebook_upsert', TG_TABLE_NAME, 'pointsys.category, pointsys.item, pointsys.award_kind');
	END IF;
	IF TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		PERFORM pointsys.refuse('39P01', '%s: cannot fire %s', NULL, NULL,
								'rulebook_upsert', pg_catalog.concat_ws(' ', TG_WHEN, TG_OP, 'FOR EACH', TG_LEVEL));
	END IF;
	IF tbl OPERATOR(pg_catalog.=) 'category' THEN
		UPDATE pointsys.category c SET title = NEW.title, cap = NEW.cap
		WHERE c.category OPERATOR(pg_catalog.=) NEW.category
		  AND (c.title, c.cap) IS DISTINCT FROM (NEW.title, NEW.cap);
		PERFORM FROM pointsys.category c WHERE c.category OPERATOR(pg_catalog.=) NEW.category;
	ELSIF tbl OPERATOR(pg_catalog.=) 'item' THEN
		UPDATE pointsys.item i
		SET category = NEW.category, title = NEW.title, max_points = NEW.max_points, step = NEW.step
		WHERE i.item OPERATOR(pg_catalog.=) NEW.item
		  AND (i.category, i.title, i.max_points, i.step)
			  IS DISTINCT FROM (NEW.category, NEW.title, NEW.max_points, NEW.step);
		PERFORM FROM pointsys.item i WHERE i.item OPERATOR(pg_catalog.=) NEW.item;
	ELSE
		UPDATE pointsys.award_kind k SET title = NEW.title, points = NEW.points
		WHERE k.kind OPERATOR(pg_catalog.=) NEW.kind
		  AND (k.title, k.points) IS DISTINCT FROM (NEW.title, NEW.points);
		PERFORM FROM pointsys.award_kind k WHERE k.kind OPERATOR(pg_catalog.=) NEW.kind;
	END IF;
	IF FOUND THEN
		RETURN NULL;			-- the entry exists and now equals NEW
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.rulebook_upsert() IS '细则导入 inserting an existing rulebook key updates that entry (lets pg_dump restore a customised rulebook)';

CREATE TRIGGER rulebook_upsert BEFORE INSERT ON @extschema@.category
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_upsert();
CREATE TRIGGER rulebook_upsert BEFORE INSERT ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_upsert();
CREATE TRIGGER rulebook_upsert BEFORE INSERT ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_upsert();
-- also when restoring with session_replication_role = replica
ALTER TABLE @extschema@.category ENABLE ALWAYS TRIGGER rulebook_upsert;
ALTER TABLE @extschema@.item ENABLE ALWAYS TRIGGER rulebook_upsert;
ALTER TABLE @extschema@.award_kind ENABLE ALWAYS TRIGGER rulebook_upsert;
COMMENT ON TRIGGER rulebook_upsert ON @extschema@.category IS '细则导入 insert of an existing category updates it';
COMMENT ON TRIGGER rulebook_upsert ON @extschema@.item IS '细则导入 insert of an existing item updates it';
COMMENT ON TRIGGER rulebook_upsert ON @extschema@.award_kind IS '细则导入 insert of an existing award kind updates it';

CREATE TRIGGER score_check BEFORE INSERT OR UPDATE ON @extschema@.score
	FOR EACH ROW EXECUTE FUNCTION @extschema@.score_check();
CREATE TRIGGER award_check BEFORE INSERT OR UPDATE ON @extschema@.award
	FOR EACH ROW EXECUTE FUNCTION @extschema@.award_check();
-- a delete is checked once per member-month, over the deleted rows; named
-- to fire before audit_delete (AFTER triggers fire in name order), so that
-- a delete's audit ids are taken after it holds its quarters' branch rows,
-- as every other write's are: the trail's order is the order of the locks
CREATE TRIGGER allow_delete AFTER DELETE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ledger_delete_check();
CREATE TRIGGER allow_delete AFTER DELETE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ledger_delete_check();
CREATE TRIGGER evaluation_check BEFORE INSERT OR UPDATE ON @extschema@.evaluation
	FOR EACH ROW EXECUTE FUNCTION @extschema@.evaluation_check();
CREATE TRIGGER sanction_check BEFORE INSERT OR UPDATE ON @extschema@.sanction
	FOR EACH ROW EXECUTE FUNCTION @extschema@.sanction_check();

CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.category
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();
CREATE TRIGGER rulebook_guard BEFORE UPDATE ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_guard();

CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.item
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.award_kind
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.member
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();

COMMENT ON TRIGGER score_check ON @extschema@.score IS '积分写入规则 score write rules';
COMMENT ON TRIGGER award_check ON @extschema@.award IS '奖励写入规则 award write rules';
COMMENT ON TRIGGER allow_delete ON @extschema@.score IS '积分删除规则 deleted scores: their quarters recording';
COMMENT ON TRIGGER allow_delete ON @extschema@.award IS '奖励删除规则 deleted awards: their quarters recording';
COMMENT ON TRIGGER evaluation_check ON @extschema@.evaluation IS '民主评议写入规则 evaluation write rules';
COMMENT ON TRIGGER sanction_check ON @extschema@.sanction IS '处分写入规则 sanction write rules';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.item IS '细则一致性 exact maximum and step, consistent with recorded points';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.award_kind IS '细则一致性 exact award points, fixed once awards are recorded';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.category IS '细则一致性 exact caps; the reward category stays, its cap fixed once awards are recorded';
COMMENT ON TRIGGER rulebook_guard ON @extschema@.member IS '党籍一致性 membership covers every recorded month';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.item IS '细则缓存失效 rulebook cache invalidation';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.award_kind IS '细则缓存失效 rulebook cache invalidation';
COMMENT ON TRIGGER rulebook_changed ON @extschema@.member IS '党员缓存失效 member cache invalidation';
