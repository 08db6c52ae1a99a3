-- test/bench/baseline.sql: what a bureau without pointsys would write, the
-- competitor of every benchmark figure (schema pointsys_baseline).
--
-- The same tables, checked by PL/pgSQL triggers doing what pointsys's C
-- triggers do, row by row, with a query for each look-up; and the same
-- annual report as nested GROUP BY views in plain SQL.  The bench checks
-- that this report gives exactly pointsys.annual_results.

CREATE SCHEMA pointsys_baseline;

-- The write rules of SPEC §2 for a score row: month moved to its first day
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
	INSERT INTO audit (actor, acting_as, table_name, action, old_row, new_row, reason)
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

-- The annual report, stage by stage: monthly totals, quarters, years
CREATE VIEW pointsys_baseline.monthly AS
SELECT r.member_id, r.month,
	   sum(r.points) + least(sum(r.award), (SELECT cap FROM pointsys.category
											WHERE category = 'reward')) AS total
FROM (SELECT member_id, month, points, 0 AS award FROM pointsys.score
	  UNION ALL
	  SELECT a.member_id, a.month, 0, k.points
	  FROM pointsys.award a JOIN pointsys.award_kind k ON k.kind = a.kind) r
GROUP BY r.member_id, r.month;

CREATE VIEW pointsys_baseline.quarterly AS
SELECT member_id, extract(year FROM month)::int AS year,
	   extract(quarter FROM month)::int AS quarter,
	   round(avg(total), 2) AS score, count(*) AS months
FROM pointsys_baseline.monthly
GROUP BY 1, 2, 3;

CREATE VIEW pointsys_baseline.yearly AS
SELECT member_id, year,
	   max(score) FILTER (WHERE quarter = 1) AS q1,
	   max(score) FILTER (WHERE quarter = 2) AS q2,
	   max(score) FILTER (WHERE quarter = 3) AS q3,
	   max(score) FILTER (WHERE quarter = 4) AS q4,
	   sum(months)::int AS months,
	   round(avg(score), 2) AS assessment
FROM pointsys_baseline.quarterly
GROUP BY member_id, year;

CREATE VIEW pointsys_baseline.annual_results AS
SELECT r.member_id, r.branch_id, r.year, r.q1, r.q2, r.q3, r.q4, r.months,
	   r.assessment, r.democratic, r.vetoed, r.total,
	   CASE WHEN r.total >= 90 THEN '优秀' WHEN r.total >= 80 THEN '良好'
			WHEN r.total >= 60 THEN '合格' WHEN r.total IS NOT NULL THEN '不合格' END AS grade,
	   CASE WHEN r.total >= 90 THEN 'priority' WHEN r.total >= 80 THEN 'eligible'
			WHEN r.total >= 60 THEN 'ineligible' WHEN r.total IS NOT NULL THEN 'mentoring' END AS eligibility
FROM (SELECT y.*, m.branch_id, e.democratic, v.vetoed,
			 CASE WHEN v.vetoed THEN 0.00
				  ELSE round(0.8 * y.assessment + 0.2 * e.democratic, 2) END AS total
	  FROM pointsys_baseline.yearly y
	  JOIN pointsys.member m ON m.member_id = y.member_id
	  LEFT JOIN pointsys.evaluation e ON e.member_id = y.member_id AND e.year = y.year
	  CROSS JOIN LATERAL (
		  SELECT EXISTS (SELECT FROM pointsys.sanction s
						 WHERE s.member_id = y.member_id
						   AND s.kind IN ('removal_from_post', 'probation', 'law_violation')
						   AND s.effective_on < make_date(y.year + 1, 1, 1)
						   AND (s.lifted_on IS NULL OR s.lifted_on > make_date(y.year, 1, 1)))
			  AS vetoed) v) r;
