-- test/data/invariants.sql: what must hold of a pointsys ledger whatever
-- happened to it (a crash, a restore, hours of concurrent recorders).  Run
-- after CREATE EXTENSION pointsys, as a superuser:
--
--   psql -f test/data/invariants.sql -c 'SELECT * FROM pointsys_check.violations()'
--
-- violations() returns one row per invariant with the number of rows that
-- break it and one of them; every count must be 0.  The invariants:
--   score_rules       every score within 0..max_points of its item, in its
--                     step, on the first day of a month not in the future
--   membership        every score and award in a month the member belongs
--                     to the party
--   recording_only    every audited score and award write happened while
--                     its branch quarter was recording: the latest period
--                     change audited before it left the quarter recording
--   audit_<table>     replaying the audit trail of score, award and period
--                     gives exactly the table: every row's last audit row
--                     is its current value, and no deleted row remains
--   member_month      the month ledger holds exactly the sums and counts of
--                     each member-month's score and award rows
--   annual_results    pointsys.annual_results equals the plain-SQL
--                     recomputation of test/data/plain_report.sql
-- (audit ids are taken in lock order: a write to a quarter holds its branch
-- row until commit, and a period change waits for it, so the audit order
-- of two writes that conflict is the order they happened in.)

\ir plain_report.sql

CREATE SCHEMA pointsys_check;

-- The audit rows of a table since its last audited TRUNCATE, as records of
-- the table's type, given as a NULL of that type (jsonb_populate_record
-- reads them back whatever the session's TimeZone or DateStyle).  A row's
-- note may be NULL, so "is there a row" is asked of its key, never of the
-- whole record.
CREATE FUNCTION pointsys_check.audit_of(rowtype anyelement, OUT audit_id bigint, OUT action text,
										OUT old anyelement, OUT new anyelement)
RETURNS SETOF record LANGUAGE sql STABLE AS $$
	SELECT a.audit_id, a.action,
		   CASE WHEN a.old_row IS NOT NULL THEN jsonb_populate_record(rowtype, a.old_row) END,
		   CASE WHEN a.new_row IS NOT NULL THEN jsonb_populate_record(rowtype, a.new_row) END
	FROM pointsys.audit a
	WHERE a.table_name = (parse_ident(pg_typeof(rowtype)::text))[2]
	  AND a.audit_id > coalesce((SELECT max(t.audit_id) FROM pointsys.audit t
								 WHERE t.table_name = (parse_ident(pg_typeof(rowtype)::text))[2]
								   AND t.action = 'TRUNCATE'), 0)
$$;
CREATE VIEW pointsys_check.score_audit AS SELECT * FROM pointsys_check.audit_of(NULL::pointsys.score);
CREATE VIEW pointsys_check.award_audit AS SELECT * FROM pointsys_check.audit_of(NULL::pointsys.award);
CREATE VIEW pointsys_check.period_audit AS SELECT * FROM pointsys_check.audit_of(NULL::pointsys.period);

-- Every member-month written by an audited score or award change (the old
-- and the new month of an update both count), with its branch
CREATE VIEW pointsys_check.ledger_writes AS
SELECT w.audit_id, w.member_id, w.month, m.branch_id
FROM (SELECT audit_id, (old).member_id, (old).month FROM pointsys_check.score_audit WHERE (old).member_id IS NOT NULL
	  UNION ALL
	  SELECT audit_id, (new).member_id, (new).month FROM pointsys_check.score_audit WHERE (new).member_id IS NOT NULL
	  UNION ALL
	  SELECT audit_id, (old).member_id, (old).month FROM pointsys_check.award_audit WHERE (old).member_id IS NOT NULL
	  UNION ALL
	  SELECT audit_id, (new).member_id, (new).month FROM pointsys_check.award_audit WHERE (new).member_id IS NOT NULL) w
JOIN pointsys.member m ON m.member_id = w.member_id;

-- The audited history of each branch quarter in audit order: its status
-- changes and the writes to it, each write with the status its quarter had
-- then (that of the latest change before it; 'recording' before any, or
-- after the period row was deleted).  One sort, whatever the audit's size.
CREATE VIEW pointsys_check.quarter_history AS
SELECT e.audit_id, e.branch_id, e.year, e.quarter, e.member_id, e.month,
	   coalesce(first_value(e.status) OVER (PARTITION BY e.branch_id, e.year, e.quarter, e.changes
											ORDER BY e.audit_id), 'recording') AS status
FROM (SELECT h.*, count(*) FILTER (WHERE h.member_id IS NULL)
						OVER (PARTITION BY h.branch_id, h.year, h.quarter ORDER BY h.audit_id) AS changes
	  FROM (SELECT audit_id, coalesce((new).branch_id, (old).branch_id) AS branch_id,
				   coalesce((new).year, (old).year) AS year,
				   coalesce((new).quarter, (old).quarter) AS quarter,
				   NULL::text AS member_id, NULL::date AS month,
				   coalesce((new).status, 'recording') AS status
			FROM pointsys_check.period_audit
			UNION ALL
			SELECT audit_id, branch_id, extract(year FROM month)::int, extract(quarter FROM month)::int,
				   member_id, month, NULL
			FROM pointsys_check.ledger_writes) h) e;

-- Each member-month's sums and counts, from the score and award rows
CREATE VIEW pointsys_check.month_sums AS
SELECT member_id, month, sum(points) AS points, sum(scores) AS scores,
	   sum(award_points) AS award_points, sum(awards) AS awards
FROM (SELECT member_id, month, points, 1 AS scores, 0 AS award_points, 0 AS awards
	  FROM pointsys.score
	  UNION ALL
	  SELECT a.member_id, a.month, 0, 0, k.points, 1
	  FROM pointsys.award a JOIN pointsys.award_kind k ON k.kind = a.kind) r
GROUP BY member_id, month;

CREATE FUNCTION pointsys_check.violations()
RETURNS TABLE (invariant text, violations bigint, example text)
LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT 'score_rules', count(*), min(format('%s %s %s = %s', s.member_id, s.month, s.item, s.points))
	FROM pointsys.score s JOIN pointsys.item i ON i.item = s.item
	WHERE s.points < 0 OR s.points > i.max_points OR s.points % i.step <> 0
	   OR s.month <> date_trunc('month', s.month)::date
	   OR s.month > date_trunc('month', current_date)::date
	UNION ALL
	SELECT 'membership', count(*), min(format('%s %s', w.member_id, w.month))
	FROM (SELECT member_id, month FROM pointsys.score
		  UNION ALL SELECT member_id, month FROM pointsys.award) w
	JOIN pointsys.member m ON m.member_id = w.member_id
	WHERE m.joined_on > (w.month + interval '1 month' - interval '1 day')::date
	   OR m.left_on < w.month
	UNION ALL
	SELECT 'recording_only', count(*),
		   min(format('audit %s: %s %s while %s-Q%s of %s was %s', audit_id, member_id,
					  month, year, quarter, branch_id, status))
	FROM pointsys_check.quarter_history
	WHERE member_id IS NOT NULL AND status <> 'recording'
	UNION ALL
	SELECT 'audit_score', count(*), min(format('%s %s %s', coalesce(s.member_id, l.member_id),
											   coalesce(s.month, l.month), coalesce(s.item, l.item)))
	FROM pointsys.score s
	FULL JOIN (SELECT DISTINCT ON (member_id, month, item) member_id, month, item, present, new
			   FROM (SELECT audit_id, (new).member_id, (new).month, (new).item, true AS present, new
					 FROM pointsys_check.score_audit WHERE (new).member_id IS NOT NULL
					 UNION ALL
					 -- the key a row leaves: a DELETE, or an UPDATE that moves it
					 SELECT audit_id, (old).member_id, (old).month, (old).item, false, NULL
					 FROM pointsys_check.score_audit
					 WHERE (old).member_id IS NOT NULL
					   AND ((new).member_id IS NULL
							OR ((old).member_id, (old).month, (old).item)
							   IS DISTINCT FROM ((new).member_id, (new).month, (new).item))) e
			   ORDER BY member_id, month, item, audit_id DESC) l
		ON l.member_id = s.member_id AND l.month = s.month AND l.item = s.item
	WHERE (s.member_id IS NULL AND l.present)
	   OR (s.member_id IS NOT NULL AND (l.member_id IS NULL OR NOT l.present OR l.new IS DISTINCT FROM s))
	UNION ALL
	SELECT 'audit_award', count(*), min(coalesce(a.award_id, (l.new).award_id)::text)
	FROM pointsys.award a
	FULL JOIN (SELECT DISTINCT ON ((coalesce(new, old)).award_id) new
			   FROM pointsys_check.award_audit
			   ORDER BY (coalesce(new, old)).award_id, audit_id DESC) l
		ON (l.new).award_id = a.award_id
	WHERE (a.award_id IS NULL AND (l.new).award_id IS NOT NULL)
	   OR (a.award_id IS NOT NULL AND l.new IS DISTINCT FROM a)
	UNION ALL
	SELECT 'audit_period', count(*), min(format('%s %s-Q%s', coalesce(p.branch_id, (l.new).branch_id),
												coalesce(p.year, (l.new).year), coalesce(p.quarter, (l.new).quarter)))
	FROM pointsys.period p
	FULL JOIN (SELECT DISTINCT ON ((coalesce(new, old)).branch_id, (coalesce(new, old)).year,
								   (coalesce(new, old)).quarter) new
			   FROM pointsys_check.period_audit
			   ORDER BY (coalesce(new, old)).branch_id, (coalesce(new, old)).year,
						(coalesce(new, old)).quarter, audit_id DESC) l
		ON (l.new).branch_id = p.branch_id AND (l.new).year = p.year AND (l.new).quarter = p.quarter
	WHERE (p.branch_id IS NULL AND (l.new).branch_id IS NOT NULL)
	   OR (p.branch_id IS NOT NULL AND l.new IS DISTINCT FROM p)
	UNION ALL
	SELECT 'member_month', count(*), min(format('%s %s', d.member_id, d.month))
	FROM ((SELECT member_id, month, points, scores, award_points, awards FROM pointsys.member_month
		   EXCEPT ALL SELECT * FROM pointsys_check.month_sums)
		  UNION ALL
		  (SELECT * FROM pointsys_check.month_sums
		   EXCEPT ALL SELECT member_id, month, points, scores, award_points, awards
		   FROM pointsys.member_month)) d
	UNION ALL
	SELECT 'annual_results', count(*), min(format('%s %s', d.member_id, d.year))
	FROM ((SELECT member_id, branch_id, year, q1, q2, q3, q4, months, assessment, democratic,
				  vetoed, total, grade::text, eligibility FROM pointsys.annual_results
		   EXCEPT ALL SELECT * FROM pointsys_plain.annual_results)
		  UNION ALL
		  (SELECT * FROM pointsys_plain.annual_results
		   EXCEPT ALL SELECT member_id, branch_id, year, q1, q2, q3, q4, months, assessment,
						 democratic, vetoed, total, grade::text, eligibility FROM pointsys.annual_results)) d;
END;
