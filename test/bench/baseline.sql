-- test/bench/baseline.sql: what a bureau without pointsys would write, the
-- competitor of every benchmark figure (schema pointsys_baseline).
--
-- The same tables, checked by PL/pgSQL triggers doing what pointsys's C
-- triggers do, row by row, with a query for each look-up; and the same
-- annual report as nested GROUP BY views in plain SQL
-- (test/data/plain_report.sql, schema pointsys_plain).  The bench checks
-- that this report gives exactly pointsys.annual_results.

CREATE SCHEMA pointsys_baseline;

-- The write rules of doc/contract.md §3 for a score row: month moved to its first day
-- and not in the future, item known, points in range and step, member in
-- the party that month, quarter still recording (its branch row locked so
-- that an advance cannot slip in between).
CREATE FUNCTION pointsys_baseline.score_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pointsys AS $$
DECLARE
	it record;
	m record;
	st text;
BEGIN
	NEW.month := date_trunc('month', NEW.month)::date;
	IF NEW.month > date_trunc('month', current_date) THEN
		RAISE EXCEPTION 'month % of member "%" is in the future', NEW.month, NEW.member_id
			USING ERRCODE = '22008';
	END IF;
	SELECT max_points, step INTO it FROM item WHERE item.item = NEW.item;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown item "%"', NEW.item USING ERRCODE = '23503';
	END IF;
	IF NEW.points < 0 OR NEW.points > it.max_points THEN
		RAISE EXCEPTION 'points % of member "%" in % for item "%" are outside 0..%',
			NEW.points, NEW.member_id, NEW.month, NEW.item, it.max_points USING ERRCODE = '22003';
	END IF;
	IF NEW.points % it.step <> 0 THEN
		RAISE EXCEPTION 'points % of member "%" in % for item "%" are not in steps of %',
			NEW.points, NEW.member_id, NEW.month, NEW.item, it.step USING ERRCODE = '23514';
	END IF;
	SELECT branch_id, joined_on, left_on INTO m FROM member WHERE member_id = NEW.member_id;
	IF NOT FOUND OR m.joined_on > (NEW.month + interval '1 month' - interval '1 day')::date
			OR m.left_on < NEW.month THEN
		RAISE EXCEPTION 'member "%" is not in the party in %', NEW.member_id, NEW.month
			USING ERRCODE = '23503';
	END IF;
	PERFORM FROM branch WHERE branch_id = m.branch_id FOR SHARE;
	SELECT status INTO st FROM period
	WHERE branch_id = m.branch_id AND year = extract(year FROM NEW.month)
	  AND quarter = extract(quarter FROM NEW.month);
	IF coalesce(st, 'recording') <> 'recording' THEN
		RAISE EXCEPTION 'quarter %-Q% of branch "%" is %', extract(year FROM NEW.month),
			extract(quarter FROM NEW.month), m.branch_id, st USING ERRCODE = '55000';
	END IF;
	RETURN NEW;
END
$$;

-- The audit trail, one row per changed row
CREATE FUNCTION pointsys_baseline.audit() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pointsys AS $$
BEGIN
	INSERT INTO audit_log (actor, acting_as, table_name, action, old_row, new_row, reason)
	VALUES (session_user, current_user, TG_TABLE_NAME, TG_OP,
			CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
			CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
			nullif(current_setting('pointsys.reason', true), ''));
	RETURN NULL;
END
$$;

-- Created disabled: the bench enables them when the baseline's turn comes
CREATE TRIGGER baseline_check BEFORE INSERT OR UPDATE ON pointsys.score
	FOR EACH ROW EXECUTE FUNCTION pointsys_baseline.score_check();
CREATE TRIGGER baseline_audit AFTER INSERT OR UPDATE OR DELETE ON pointsys.score
	FOR EACH ROW EXECUTE FUNCTION pointsys_baseline.audit();
ALTER TABLE pointsys.score DISABLE TRIGGER baseline_check, DISABLE TRIGGER baseline_audit;

\ir ../data/plain_report.sql
