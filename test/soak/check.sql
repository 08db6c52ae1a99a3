-- test/soak/check.sql: what must hold after the soak, besides the ledger
-- invariants of test/data/invariants.sql.  run.sh runs it as a superuser;
-- one row per check: name, number of offending rows, one of them.  Every
-- count must be 0.
--
--   audit_vs_tally  per login, table and action, the audit trail holds
--                   exactly as many rows as the helpers counted committed
--                   writes (no write unaudited, no audit row without a
--                   write); advances and reopens count as period writes
--   own_branches    every score, award and period row a recorder changed
--                   belongs to a branch it records for (row-level security)
--   acting_as       the soak's logins never acted as another role, and the
--                   recorded_by of what they inserted is themselves
--   reopen_reason   every quarter taken back to recording was taken back
--                   by the bureau, with a reason

\pset footer off

WITH soak_actor(actor) AS (
	SELECT rolname FROM pg_roles WHERE rolname ~ '^rec[0-9]+$' OR rolname = 'soak_admin'
), expected AS (
	SELECT t.actor, m.table_name, m.action, sum(t.n) AS n
	FROM soak.tally t
	JOIN (VALUES ('insert', 'score', 'INSERT'),
				 ('correct', 'score', 'UPDATE'),
				 ('admin_correct', 'score', 'UPDATE'),
				 ('delete', 'score', 'DELETE'),
				 ('award_insert', 'award', 'INSERT'),
				 ('award_delete', 'award', 'DELETE'),
				 ('advance', 'period', 'WRITE'),
				 ('verify', 'period', 'WRITE'),
				 ('reopen', 'period', 'WRITE')) m(kind, table_name, action)
		ON m.kind = t.kind
	WHERE t.outcome = 'ok'
	GROUP BY 1, 2, 3
), audited AS (
	SELECT a.actor, a.table_name,
		   CASE WHEN a.table_name = 'period' THEN 'WRITE' ELSE a.action END AS action,
		   count(*) AS n
	FROM pointsys.audit a JOIN soak_actor s ON s.actor = a.actor
	GROUP BY 1, 2, 3
)
SELECT 'audit_vs_tally' AS "check", count(*) AS bad,
	   min(format('%s %s %s: %s counted, %s audited', coalesce(e.actor, a.actor),
				  coalesce(e.table_name, a.table_name), coalesce(e.action, a.action),
				  coalesce(e.n, 0), coalesce(a.n, 0))) AS example
FROM expected e
FULL JOIN audited a USING (actor, table_name, action)
WHERE coalesce(e.n, 0) <> coalesce(a.n, 0)
UNION ALL
SELECT 'own_branches', count(*),
	   min(format('audit %s: %s changed %s of branch %s', a.audit_id, a.actor, a.table_name, b.branch_id))
FROM pointsys.audit a
CROSS JOIN LATERAL (
	SELECT coalesce(a.new_row, a.old_row) ->> 'branch_id' AS branch_id WHERE a.table_name = 'period'
	UNION ALL
	SELECT m.branch_id FROM pointsys.member m
	WHERE a.table_name IN ('score', 'award')
	  AND m.member_id IN (a.new_row ->> 'member_id', a.old_row ->> 'member_id')) b
WHERE a.actor ~ '^rec[0-9]+$'
  AND NOT EXISTS (SELECT FROM pointsys.recorder r WHERE r.role_name = a.actor AND r.branch_id = b.branch_id)
UNION ALL
SELECT 'acting_as', count(*), min(format('audit %s: %s acting as %s, recorded by %s', audit_id, actor,
										 acting_as, new_row ->> 'recorded_by'))
FROM pointsys.audit
WHERE (actor ~ '^rec[0-9]+$' OR actor = 'soak_admin')
  AND (acting_as <> actor
	   OR (table_name IN ('score', 'award') AND action = 'INSERT' AND new_row ->> 'recorded_by' <> actor))
UNION ALL
SELECT 'reopen_reason', count(*), min(format('audit %s: %s reopened %s %s-Q%s, reason %s', audit_id, actor,
											 new_row ->> 'branch_id', new_row ->> 'year', new_row ->> 'quarter',
											 coalesce(reason, 'NULL')))
FROM pointsys.audit
WHERE table_name = 'period' AND action = 'UPDATE'
  AND old_row ->> 'status' <> 'recording' AND new_row ->> 'status' = 'recording'
  AND (actor <> 'soak_admin' OR coalesce(btrim(reason), '') = '');
