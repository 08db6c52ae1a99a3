/* pointsys--1.3--1.4.sql: release 1.4 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.4'" to load this file. \quit

------------------------------------------------------------------------
-- 审计 the audit trail stored by statement (issue 16)
------------------------------------------------------------------------
-- One row of audit_log holds up to a thousand changed rows of one
-- statement; the view audit shows one row per row changed.  The rows
-- written so far stay as they are: each holds one changed row
-- (row_count 1), with its audit id.

ALTER TABLE @extschema@.audit RENAME TO audit_log;
ALTER INDEX @extschema@.audit_pkey RENAME TO audit_log_pkey;
ALTER SEQUENCE @extschema@.audit_audit_id_seq RENAME TO audit_log_audit_id_seq;
-- PostgreSQL 18 names NOT NULL constraints after their table, and a renamed
-- table keeps them: give them the names a fresh install's have
DO LANGUAGE plpgsql $$
DECLARE
	old_name pg_catalog.name;
BEGIN
	FOR old_name IN
		SELECT c.conname FROM pg_catalog.pg_constraint c
		WHERE c.conrelid OPERATOR(pg_catalog.=) 'pointsys.audit_log'::pg_catalog.regclass
		  AND c.contype OPERATOR(pg_catalog.=) 'n'
		  AND pg_catalog.starts_with(c.conname::pg_catalog.text, 'audit_')
		  AND NOT pg_catalog.starts_with(c.conname::pg_catalog.text, 'audit_log_')
	LOOP
		EXECUTE pg_catalog.format('ALTER TABLE pointsys.audit_log RENAME CONSTRAINT %I TO %I', old_name,
								  'audit_log_' OPERATOR(pg_catalog.||) pg_catalog.substr(old_name::pg_catalog.text, 7));
	END LOOP;
END
$$;
ALTER TABLE @extschema@.audit_log ADD COLUMN row_count pg_catalog.int4 NOT NULL DEFAULT 1
	CONSTRAINT audit_log_row_count_range CHECK (row_count OPERATOR(pg_catalog.>=) 1 AND row_count OPERATOR(pg_catalog.<=) 1000);
COMMENT ON TABLE @extschema@.audit_log IS
	'积分核查存储 storage of the audit trail: the changed rows of a statement, up to a thousand a row (read them in the view audit); never updated or deleted';
COMMENT ON COLUMN @extschema@.audit_log.audit_id IS '审计编号 audit id of the first row changed (the others follow it)';
COMMENT ON COLUMN @extschema@.audit_log.old_row IS '原记录 row before (row_count 1), or the jsonb array of the rows before';
COMMENT ON COLUMN @extschema@.audit_log.new_row IS '新记录 row after (row_count 1), or the jsonb array of the rows after';
COMMENT ON COLUMN @extschema@.audit_log.row_count IS '行数 rows changed: 1, or the length of the arrays';

-- lz4 where the server has it: the arrays are compressed as they are written
DO LANGUAGE plpgsql $$
BEGIN
	ALTER TABLE pointsys.audit_log ALTER COLUMN old_row SET COMPRESSION lz4,
		ALTER COLUMN new_row SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;						-- built without lz4: pglz, the default
END
$$;

CREATE VIEW @extschema@.audit WITH (security_invoker = true) AS
SELECT a.audit_id, a.at, a.actor, a.acting_as, a.table_name, a.action,
	   -- (guarded: a condition on old_row may be tested before the WHERE)
	   CASE WHEN a.row_count OPERATOR(pg_catalog.=) 1 THEN a.old_row END AS old_row,
	   CASE WHEN a.row_count OPERATOR(pg_catalog.=) 1 THEN a.new_row END AS new_row, a.reason
FROM @extschema@.audit_log a
WHERE a.row_count OPERATOR(pg_catalog.=) 1
UNION ALL
SELECT a.audit_id OPERATOR(pg_catalog.+) (r.n OPERATOR(pg_catalog.-) 1), a.at, a.actor, a.acting_as,
	   a.table_name, a.action, r.old_row, r.new_row, a.reason
FROM @extschema@.audit_log a
CROSS JOIN LATERAL ROWS FROM (
		pg_catalog.jsonb_array_elements(CASE WHEN a.row_count OPERATOR(pg_catalog.>) 1 THEN a.old_row END),
		pg_catalog.jsonb_array_elements(CASE WHEN a.row_count OPERATOR(pg_catalog.>) 1 THEN a.new_row END))
	WITH ORDINALITY AS r (old_row, new_row, n)
WHERE a.row_count OPERATOR(pg_catalog.>) 1;
COMMENT ON VIEW @extschema@.audit IS '积分核查 audit trail: one row per change of the ledger, rulebook and process; never updated or deleted';
COMMENT ON COLUMN @extschema@.audit.audit_id IS '审计编号 audit id';
COMMENT ON COLUMN @extschema@.audit.at IS '时间 transaction time of the change';
COMMENT ON COLUMN @extschema@.audit.actor IS '操作人 session user';
COMMENT ON COLUMN @extschema@.audit.acting_as IS '操作角色 current user';
COMMENT ON COLUMN @extschema@.audit.table_name IS '表 table changed';
COMMENT ON COLUMN @extschema@.audit.action IS '操作 INSERT, UPDATE, DELETE or TRUNCATE';
COMMENT ON COLUMN @extschema@.audit.old_row IS '原记录 row before';
COMMENT ON COLUMN @extschema@.audit.new_row IS '新记录 row after';
COMMENT ON COLUMN @extschema@.audit.reason IS
	'理由 SET pointsys.reason of the session (at most 1000 characters); NULL when unset';

CREATE TRIGGER audit_immutable INSTEAD OF INSERT OR UPDATE OR DELETE ON @extschema@.audit
	FOR EACH ROW EXECUTE FUNCTION @extschema@.audit_immutable();
COMMENT ON TRIGGER audit_immutable ON @extschema@.audit IS '审计不可改 audit rows are never written, updated or deleted by hand';
GRANT SELECT ON @extschema@.audit TO pointsys_admin;
GRANT SELECT ON @extschema@.audit TO pointsys_reader;

-- the node identity numbers audit_log's ids
CREATE OR REPLACE FUNCTION @extschema@.set_node(node pg_catalog.int4) RETURNS pg_catalog.int4
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tbl pg_catalog.text;
	col pg_catalog.text;
	used pg_catalog.int8;
BEGIN
	IF node IS NULL OR node OPERATOR(pg_catalog.<) 1 OR node OPERATOR(pg_catalog.>) 8388607 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('node identity %s is out of range', COALESCE(node::pg_catalog.text, 'NULL')),
			HINT = 'A node identity is an integer from 1 to 8388607, one per database of the city.';
	END IF;
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit_log'] LOOP
		col := pg_catalog.replace(tbl, '_log', '') OPERATOR(pg_catalog.||) '_id';
		EXECUTE pg_catalog.format('SELECT max(%I) FROM pointsys.%I WHERE %I OPERATOR(pg_catalog.>=) 1099511627776',
								  col, tbl, col)
			INTO used;
		IF used IS NOT NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('node identity cannot change: pointsys.%s has ids of node %s',
											tbl, used OPERATOR(pg_catalog.>>) 40),
				DETAIL = pg_catalog.format('Its %s %s was given out under that node.', col, used),
				HINT = 'Set the node right after CREATE EXTENSION, before any award, sanction or audited change.';
		END IF;
	END LOOP;
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit_log'] LOOP
		EXECUTE pg_catalog.format('ALTER TABLE pointsys.%I ALTER COLUMN %I RESTART WITH %s', tbl,
								  pg_catalog.replace(tbl, '_log', '') OPERATOR(pg_catalog.||) '_id',
								  node::pg_catalog.int8 OPERATOR(pg_catalog.*) 1099511627776 OPERATOR(pg_catalog.+) 1);
	END LOOP;
	RETURN node;
END
$$;

------------------------------------------------------------------------
-- 写入规则 deletes of scores and awards checked per statement (issue 16)
------------------------------------------------------------------------
-- The quarter of each member-month a DELETE leaves is checked once, over
-- the deleted rows, by a statement trigger; the BEFORE ROW triggers made
-- PostgreSQL fetch every row again before deleting it.  The trigger is
-- named to fire before audit_delete (AFTER triggers fire in name order), so
-- that a delete's audit ids are taken after it holds its quarters' branch
-- rows, as every other write's are: the trail's order is the order of the
-- locks.

CREATE FUNCTION @extschema@.ledger_delete_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ledger_delete_check' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.ledger_delete_check() IS '删除写入规则 deleted scores and awards: each member-month''s quarter recording';
REVOKE EXECUTE ON FUNCTION @extschema@.ledger_delete_check() FROM PUBLIC;

DROP TRIGGER score_check ON @extschema@.score;
DROP TRIGGER award_check ON @extschema@.award;
CREATE TRIGGER score_check BEFORE INSERT OR UPDATE ON @extschema@.score
	FOR EACH ROW EXECUTE FUNCTION @extschema@.score_check();
CREATE TRIGGER award_check BEFORE INSERT OR UPDATE ON @extschema@.award
	FOR EACH ROW EXECUTE FUNCTION @extschema@.award_check();
CREATE TRIGGER allow_delete AFTER DELETE ON @extschema@.score
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ledger_delete_check();
CREATE TRIGGER allow_delete AFTER DELETE ON @extschema@.award
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ledger_delete_check();
COMMENT ON TRIGGER score_check ON @extschema@.score IS '积分写入规则 score write rules';
COMMENT ON TRIGGER award_check ON @extschema@.award IS '奖励写入规则 award write rules';
COMMENT ON TRIGGER allow_delete ON @extschema@.score IS '积分删除规则 deleted scores: their quarters recording';
COMMENT ON TRIGGER allow_delete ON @extschema@.award IS '奖励删除规则 deleted awards: their quarters recording';

------------------------------------------------------------------------
-- 组织关系 branch membership history (issue 14, transfers): the branch of
-- each member-month; member.branch_id is the latest row's branch (the
-- triggers are in the section 组织关系转接 below)
------------------------------------------------------------------------

CREATE TABLE @extschema@.membership (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member ON DELETE CASCADE,
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	since pg_catalog.date NOT NULL,
	CONSTRAINT membership_pkey PRIMARY KEY (member_id, since),
	CONSTRAINT membership_since_first_of_month
		CHECK (EXTRACT(DAY FROM since) OPERATOR(pg_catalog.=) 1),
	CONSTRAINT membership_since_after_founding
		CHECK (since OPERATOR(pg_catalog.>=) '1921-07-01'::pg_catalog.date)
);
CREATE INDEX membership_branch_id_idx ON @extschema@.membership (branch_id);
COMMENT ON TABLE @extschema@.membership IS
	'组织关系 branch membership history: the member belongs to the branch from the month since until the next row; months before the first row belong to the first row''s branch';
COMMENT ON COLUMN @extschema@.membership.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.membership.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.membership.since IS '转入月份 first month in the branch (its first day)';
COMMENT ON INDEX @extschema@.membership_pkey IS '组织关系主键 one row per member and first month';
COMMENT ON INDEX @extschema@.membership_branch_id_idx IS '支部组织关系 membership rows of a branch';
COMMENT ON CONSTRAINT membership_since_first_of_month ON @extschema@.membership IS '转入月份 the first day of a month';
COMMENT ON CONSTRAINT membership_since_after_founding ON @extschema@.membership IS '转入月份 on or after 1921-07-01, the founding of the party';

-- 组织关系 existing members keep their current branch as their whole history
INSERT INTO @extschema@.membership (member_id, branch_id, since)
SELECT m.member_id, m.branch_id,
	   COALESCE(m.joined_on OPERATOR(pg_catalog.-)
				(EXTRACT(DAY FROM m.joined_on)::pg_catalog.int4 OPERATOR(pg_catalog.-) 1),
				'1921-07-01'::pg_catalog.date)
FROM @extschema@.member m;
-- pointsys_reader reads every table (GRANT SELECT ON ALL TABLES of the install script)
GRANT SELECT ON @extschema@.membership TO pointsys_reader;

-- The member's branch in a month: the latest row from that month or
-- before, else the first row; with no row (a subscriber that does not
-- replicate membership), the current branch
CREATE FUNCTION @extschema@.branch_of(member_id pg_catalog.text, month pg_catalog.date) RETURNS pg_catalog.text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT COALESCE(
		(SELECT s.branch_id FROM @extschema@.membership s
		 WHERE s.member_id OPERATOR(pg_catalog.=) branch_of.member_id
		   AND s.since OPERATOR(pg_catalog.<=) branch_of.month
		 ORDER BY s.since DESC LIMIT 1),
		(SELECT s.branch_id FROM @extschema@.membership s
		 WHERE s.member_id OPERATOR(pg_catalog.=) branch_of.member_id
		 ORDER BY s.since LIMIT 1),
		(SELECT m.branch_id FROM @extschema@.member m
		 WHERE m.member_id OPERATOR(pg_catalog.=) branch_of.member_id));
END;
COMMENT ON FUNCTION @extschema@.branch_of(pg_catalog.text, pg_catalog.date) IS
	'所在支部 the branch a member belonged to in the month of a date (pointsys.membership)';

-- The member's branches over the months first_month .. last_month: in
-- month order, each once
CREATE FUNCTION @extschema@.branches_between(member_id pg_catalog.text, first_month pg_catalog.date,
											 last_month pg_catalog.date) RETURNS pg_catalog.text[]
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(b.branch_id ORDER BY b.since)
	FROM (SELECT t.branch_id, pg_catalog.min(t.since) AS since
		  FROM (SELECT @extschema@.branch_of(branches_between.member_id, branches_between.first_month) AS branch_id,
					   branches_between.first_month AS since
				UNION ALL
				SELECT s.branch_id, s.since FROM @extschema@.membership s
				WHERE s.member_id OPERATOR(pg_catalog.=) branches_between.member_id
				  AND s.since OPERATOR(pg_catalog.>) branches_between.first_month
				  AND s.since OPERATOR(pg_catalog.<=) branches_between.last_month) t
		  WHERE t.branch_id IS NOT NULL
		  GROUP BY t.branch_id) b;
END;
COMMENT ON FUNCTION @extschema@.branches_between(pg_catalog.text, pg_catalog.date, pg_catalog.date) IS
	'所在支部 the branches a member belonged to from one month to another, in month order, each once';

COMMENT ON COLUMN @extschema@.member.branch_id IS '所在支部 current branch: the branch of the latest row of pointsys.membership (kept in step both ways)';

------------------------------------------------------------------------
-- 组织关系转接 row security by month
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.may_record(member_id pg_catalog.text, month pg_catalog.date) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'may_record_month' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.may_record(pg_catalog.text) IS '记录权限 is the current user a recorder of this member''s (current) branch';
COMMENT ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date) IS '记录权限 is the current user a recorder of the branch this member belonged to in that month';
DROP POLICY recorder_branch ON @extschema@.member_month;
DROP POLICY recorder_branch ON @extschema@.score;
DROP POLICY recorder_branch ON @extschema@.award;
DROP POLICY recorder_branch ON @extschema@.member;
CREATE POLICY recorder_branch ON @extschema@.member_month FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month));
CREATE POLICY recorder_branch ON @extschema@.score TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month)) WITH CHECK (@extschema@.may_record(member_id, month));
CREATE POLICY recorder_branch ON @extschema@.award TO pointsys_recorder
	USING (@extschema@.may_record(member_id, month)) WITH CHECK (@extschema@.may_record(member_id, month));
CREATE POLICY recorder_branch ON @extschema@.member FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)
		   OR EXISTS (SELECT FROM @extschema@.membership s
					  WHERE s.member_id OPERATOR(pg_catalog.=) member.member_id
						AND @extschema@.may_record_branch(s.branch_id)));
COMMENT ON POLICY recorder_branch ON @extschema@.member_month IS '记录员 the months members spent in the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.score IS '记录员 scores of the months members spent in the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.award IS '记录员 awards of the months members spent in the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.member IS '记录员 members who belong or belonged to one of the recorder''s branches';
DROP POLICY recorder_branch ON @extschema@.mentoring;
CREATE POLICY recorder_branch ON @extschema@.mentoring TO pointsys_recorder
	USING (EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
				   WHERE @extschema@.may_record(mentoring.member_id, pg_catalog.make_date(mentoring.year, g.n, 1))))
	WITH CHECK (EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
						WHERE @extschema@.may_record(mentoring.member_id, pg_catalog.make_date(mentoring.year, g.n, 1))));
COMMENT ON POLICY recorder_branch ON @extschema@.mentoring IS '记录员 mentoring of members who belonged to one of the recorder''s branches that year';

------------------------------------------------------------------------
-- 组织关系转接 reports by the month's branch
------------------------------------------------------------------------

-- 组织关系 the members with more than one membership row, and their
-- member-years: the branch in December, the year's branches, whether each
-- recorded month's quarter is verified in that month's branch.  Functions
-- (not inlined: their SET clause) so that the planner takes them for the
-- few rows they are (ROWS), and the reports over every member keep plans
-- as cheap as before transfers existed; the common member, in one branch
-- all along, is read from member.branch_id.
CREATE FUNCTION @extschema@.moved_members() RETURNS SETOF pg_catalog.text
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT s.member_id FROM @extschema@.membership s
	GROUP BY s.member_id
	HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1;
END;
COMMENT ON FUNCTION @extschema@.moved_members() IS
	'转接党员 the members with more than one membership row (transferred at least once)';

CREATE FUNCTION @extschema@.moved_member_years()
	RETURNS TABLE (member_id pg_catalog.text, year pg_catalog.int4, branch_id pg_catalog.text,
				   branches pg_catalog.text[], verified pg_catalog.bool)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT mm.member_id, @extschema@.year_of(mm.month),
		   @extschema@.branch_of(mm.member_id, pg_catalog.make_date(@extschema@.year_of(mm.month), 12, 1)),
		   @extschema@.branches_between(mm.member_id, pg_catalog.make_date(@extschema@.year_of(mm.month), 1, 1),
										pg_catalog.make_date(@extschema@.year_of(mm.month), 12, 1)),
		   pg_catalog.bool_and(p.branch_id IS NOT NULL)
	FROM @extschema@.member_month mm
	JOIN @extschema@.moved_members() t (member_id) ON t.member_id OPERATOR(pg_catalog.=) mm.member_id
	LEFT JOIN @extschema@.period p
		ON p.branch_id OPERATOR(pg_catalog.=) @extschema@.branch_of(mm.member_id, mm.month)
	   AND p.year OPERATOR(pg_catalog.=) @extschema@.year_of(mm.month)
	   AND p.quarter OPERATOR(pg_catalog.=) @extschema@.quarter_of(mm.month)
	   AND p.status OPERATOR(pg_catalog.=) 'verified'
	GROUP BY mm.member_id, @extschema@.year_of(mm.month);
END;
COMMENT ON FUNCTION @extschema@.moved_member_years() IS
	'转接党员年度 the member-years of transferred members: December''s branch, the year''s branches, every recorded month verified in its own branch';

CREATE OR REPLACE VIEW @extschema@.annual_results WITH (security_invoker = true) AS
SELECT y.member_id, COALESCE(t.branch_id, m.branch_id) AS branch_id, y.year,
	   CAST(f.q1 AS pg_catalog.numeric(14,2)) AS q1, CAST(f.q2 AS pg_catalog.numeric(14,2)) AS q2,
	   CAST(f.q3 AS pg_catalog.numeric(14,2)) AS q3, CAST(f.q4 AS pg_catalog.numeric(14,2)) AS q4,
	   f.months, CAST(f.assessment AS pg_catalog.numeric(14,2)) AS assessment,
	   e.democratic, v.vetoed,
	   CAST(CASE WHEN v.vetoed THEN 0.00
				 ELSE @extschema@.annual_total(f.assessment, e.democratic) END
			AS pg_catalog.numeric(5,2)) AS total,
	   g.grade,
	   @extschema@.eligibility(g.grade) AS eligibility,
	   @extschema@.eligibility_label(g.grade) AS eligibility_label,
	   COALESCE(e.democratic IS NOT NULL
				AND CASE WHEN t.member_id IS NULL THEN
						(f.q1 IS NULL OR pv.q1) AND (f.q2 IS NULL OR pv.q2)
						AND (f.q3 IS NULL OR pv.q3) AND (f.q4 IS NULL OR pv.q4)
					-- a transferred member: each recorded month in its own branch's quarter
					ELSE t.verified END,
				false) AS final,
	   COALESCE(t.branches, ARRAY[m.branch_id]) AS branches
FROM @extschema@.member_years y
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) y.member_id
LEFT JOIN @extschema@.moved_member_years() t
	ON t.member_id OPERATOR(pg_catalog.=) y.member_id AND t.year OPERATOR(pg_catalog.=) y.year
CROSS JOIN LATERAL @extschema@.year_figures(
	y.ledger,
	(SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward')) f
LEFT JOIN @extschema@.evaluation e
	ON e.member_id OPERATOR(pg_catalog.=) y.member_id AND e.year OPERATOR(pg_catalog.=) y.year
LEFT JOIN (SELECT s.member_id,
				  pg_catalog.range_agg(pg_catalog.daterange(s.effective_on, s.lifted_on)) AS periods
		   FROM @extschema@.sanction s
		   WHERE @extschema@.is_veto_sanction(s.kind)
		   GROUP BY s.member_id) vp
	ON vp.member_id OPERATOR(pg_catalog.=) y.member_id
CROSS JOIN LATERAL (SELECT COALESCE(
		vp.periods OPERATOR(pg_catalog.&&)
			pg_catalog.daterange(pg_catalog.make_date(y.year, 1, 1),
								 pg_catalog.make_date(y.year OPERATOR(pg_catalog.+) 1, 1, 1)),
		false) AS vetoed) v
CROSS JOIN LATERAL (SELECT @extschema@.annual_grade(f.assessment, e.democratic, v.vetoed) AS grade) g
-- which quarters of the branch-year are verified (final)
LEFT JOIN (SELECT p.branch_id, p.year,
				  pg_catalog.bool_or(p.quarter OPERATOR(pg_catalog.=) 1) AS q1,
				  pg_catalog.bool_or(p.quarter OPERATOR(pg_catalog.=) 2) AS q2,
				  pg_catalog.bool_or(p.quarter OPERATOR(pg_catalog.=) 3) AS q3,
				  pg_catalog.bool_or(p.quarter OPERATOR(pg_catalog.=) 4) AS q4
		   FROM @extschema@.period p
		   WHERE p.status OPERATOR(pg_catalog.=) 'verified'
		   GROUP BY p.branch_id, p.year) pv
	ON pv.branch_id OPERATOR(pg_catalog.=) m.branch_id AND pv.year OPERATOR(pg_catalog.=) y.year;
COMMENT ON COLUMN @extschema@.annual_results.branch_id IS '所在支部 branch: the member''s branch in December of the year';
COMMENT ON COLUMN @extschema@.annual_results.final IS
	'定级 the grade is final: every recorded quarter verified (in the branch of its months) and the democratic score recorded; false: provisional';
COMMENT ON COLUMN @extschema@.annual_results.branches IS '所在支部（年度） the member''s branches in the year, in month order, each once';

CREATE OR REPLACE VIEW @extschema@.rankings WITH (security_invoker = true) AS
SELECT q.member_id, b.branch_id, q.year, q.quarter, q.score,
	   pg_catalog.rank() OVER (PARTITION BY b.branch_id, q.year, q.quarter ORDER BY q.score DESC) AS branch_rank,
	   pg_catalog.rank() OVER (PARTITION BY q.year, q.quarter ORDER BY q.score DESC) AS bureau_rank,
	   NULL::pg_catalog.bool AS vetoed
FROM @extschema@.quarterly_scores q
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
-- the branch of the quarter's last month (looked up for the members with
-- more than one membership row, as in annual_results)
LEFT JOIN @extschema@.moved_members() t (member_id)
	ON t.member_id OPERATOR(pg_catalog.=) q.member_id
CROSS JOIN LATERAL (SELECT COALESCE(@extschema@.branch_of(t.member_id,
		pg_catalog.make_date(q.year, q.quarter OPERATOR(pg_catalog.*) 3, 1)), m.branch_id) AS branch_id) b
UNION ALL
SELECT r.member_id, r.branch_id, r.year, NULL::pg_catalog.int4, r.total,
	   CASE WHEN r.total IS NOT NULL THEN
		   pg_catalog.rank() OVER (PARTITION BY r.branch_id, r.year, r.total IS NULL
								   ORDER BY r.vetoed, r.total DESC) END,
	   CASE WHEN r.total IS NOT NULL THEN
		   pg_catalog.rank() OVER (PARTITION BY r.year, r.total IS NULL
								   ORDER BY r.vetoed, r.total DESC) END,
	   r.vetoed
FROM @extschema@.annual_results r;
COMMENT ON COLUMN @extschema@.rankings.branch_id IS '所在支部 branch: the member''s branch in the quarter''s last month, or in December for the year';

CREATE OR REPLACE VIEW @extschema@.record_sheet WITH (security_invoker = true) AS
SELECT @extschema@.branch_of(mm.member_id, mm.month) AS branch_id, mm.member_id, m.name, mm.month, r.items,
	   ARRAY(SELECT s.points
			 FROM pg_catalog.unnest(r.items) WITH ORDINALITY AS u(item, n)
			 LEFT JOIN @extschema@.score s
				ON s.member_id OPERATOR(pg_catalog.=) mm.member_id
			   AND s.month OPERATOR(pg_catalog.=) mm.month
			   AND s.item OPERATOR(pg_catalog.=) u.item
			 ORDER BY u.n) AS points,
	   mm.award_points,
	   LEAST(mm.award_points, c.cap) AS reward,
	   mm.points OPERATOR(pg_catalog.+) LEAST(mm.award_points, c.cap) AS total
FROM @extschema@.member_month mm
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) mm.member_id
CROSS JOIN (SELECT @extschema@.rulebook_items() AS items) r
CROSS JOIN (SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward') c;
COMMENT ON COLUMN @extschema@.record_sheet.branch_id IS '支部 branch: the member''s branch in that month';

-- publicity and annual_publicity gain a column (their branches): a new return type
DROP FUNCTION @extschema@.publicity(pg_catalog.text, pg_catalog.int4, pg_catalog.int4);
DROP FUNCTION @extschema@.annual_publicity(pg_catalog.text, pg_catalog.int4);
CREATE FUNCTION @extschema@.publicity(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS TABLE (member_id pg_catalog.text, name pg_catalog.text,
				   m1 pg_catalog.numeric, m2 pg_catalog.numeric, m3 pg_catalog.numeric,
				   score pg_catalog.numeric, branch_rank pg_catalog.int8, status pg_catalog.text,
				   publicity_start pg_catalog.date, publicity_end pg_catalog.date, branches pg_catalog.text[])
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p_status pg_catalog.text;
	p_start pg_catalog.date;
	p_end pg_catalog.date;
	first_month pg_catalog.date;
BEGIN
	-- the rights first: a refused role learns nothing of the arguments
	PERFORM pointsys.check_branch_documents(publicity.branch_id);
	first_month := pointsys.quarter_start(publicity.year, publicity.quarter);
	SELECT p.status, p.publicity_start, p.publicity_end INTO p_status, p_start, p_end
	FROM pointsys.period p
	WHERE p.branch_id OPERATOR(pg_catalog.=) publicity.branch_id
	  AND p.year OPERATOR(pg_catalog.=) publicity.year
	  AND p.quarter OPERATOR(pg_catalog.=) publicity.quarter;
	IF COALESCE(p_status, 'recording') OPERATOR(pg_catalog.=) 'recording' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is not approved yet',
										publicity.year, publicity.quarter, publicity.branch_id),
			HINT = 'The branch meeting approves the quarter first (pointsys.advance).';
	END IF;
	RETURN QUERY
	SELECT q.member_id, m.name,
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id AND t.month OPERATOR(pg_catalog.=) first_month),
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id
			  AND t.month OPERATOR(pg_catalog.=) (first_month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval)::pg_catalog.date),
		   (SELECT t.total FROM pointsys.monthly_scores t
			WHERE t.member_id OPERATOR(pg_catalog.=) q.member_id
			  AND t.month OPERATOR(pg_catalog.=) (first_month OPERATOR(pg_catalog.+) '2 months'::pg_catalog.interval)::pg_catalog.date),
		   q.score,
		   pg_catalog.rank() OVER (ORDER BY q.score DESC),
		   p_status, p_start, p_end, l.branches
	FROM pointsys.quarterly_scores q
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
	-- the members of the branch in at least one month of the quarter
	CROSS JOIN LATERAL (SELECT pointsys.branches_between(q.member_id, first_month,
			(first_month OPERATOR(pg_catalog.+) '2 months'::pg_catalog.interval)::pg_catalog.date) AS branches) l
	WHERE publicity.branch_id OPERATOR(pg_catalog.=) ANY (l.branches)
	  AND q.year OPERATOR(pg_catalog.=) publicity.year
	  AND q.quarter OPERATOR(pg_catalog.=) publicity.quarter
	ORDER BY 7, 1;
END
$$;
COMMENT ON FUNCTION @extschema@.publicity(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'季度公示 a branch quarter''s list to post: the members of the branch in at least one month of the quarter, their three monthly totals, quarter score and rank among them, the publicity dates, their branches in the quarter; 55000 before the quarter is approved';

CREATE FUNCTION @extschema@.annual_publicity(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS TABLE (member_id pg_catalog.text, name pg_catalog.text,
				   q1 pg_catalog.numeric, q2 pg_catalog.numeric, q3 pg_catalog.numeric, q4 pg_catalog.numeric,
				   assessment pg_catalog.numeric, democratic pg_catalog.numeric, vetoed pg_catalog.bool,
				   total pg_catalog.numeric, grade @extschema@.grade, branch_rank pg_catalog.int8,
				   final pg_catalog.bool, branches pg_catalog.text[])
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	missing pg_catalog.text;
	open_quarter pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_branch_documents(annual_publicity.branch_id);
	SELECT pg_catalog.string_agg(r.member_id, ', ' ORDER BY r.member_id) INTO missing
	FROM pointsys.annual_results r
	WHERE annual_publicity.branch_id OPERATOR(pg_catalog.=) ANY (r.branches)
	  AND r.year OPERATOR(pg_catalog.=) annual_publicity.year
	  AND r.democratic IS NULL AND NOT r.vetoed;
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('the %s results of branch "%s" are not complete',
										annual_publicity.year, annual_publicity.branch_id),
			DETAIL = pg_catalog.format('No democratic score for %s.', missing),
			HINT = 'Record the democratic evaluation (pointsys.evaluation) first.';
	END IF;
	-- the quarters of the branch with months recorded in it
	SELECT pointsys.quarter_of(mm.month) INTO open_quarter
	FROM pointsys.member_month mm
	LEFT JOIN pointsys.period p
		ON p.branch_id OPERATOR(pg_catalog.=) annual_publicity.branch_id
	   AND p.year OPERATOR(pg_catalog.=) annual_publicity.year
	   AND p.quarter OPERATOR(pg_catalog.=) pointsys.quarter_of(mm.month)
	WHERE mm.month OPERATOR(pg_catalog.>=) pg_catalog.make_date(annual_publicity.year, 1, 1)
	  AND mm.month OPERATOR(pg_catalog.<) pg_catalog.make_date(annual_publicity.year OPERATOR(pg_catalog.+) 1, 1, 1)
	  AND pointsys.branch_of(mm.member_id, mm.month) OPERATOR(pg_catalog.=) annual_publicity.branch_id
	  AND COALESCE(p.status, 'recording') OPERATOR(pg_catalog.=) 'recording'
	ORDER BY 1 LIMIT 1;
	IF open_quarter IS NOT NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is not approved yet',
										annual_publicity.year, open_quarter, annual_publicity.branch_id),
			HINT = 'Every recorded quarter of the year is approved before the year''s results are posted.';
	END IF;
	RETURN QUERY
	-- the members of the branch in at least one month of the year, ranked
	-- among themselves as pointsys.rankings ranks a branch
	SELECT r.member_id, m.name, r.q1, r.q2, r.q3, r.q4, r.assessment, r.democratic, r.vetoed,
		   r.total, r.grade,
		   CASE WHEN r.total IS NOT NULL THEN
			   pg_catalog.rank() OVER (PARTITION BY r.total IS NULL ORDER BY r.vetoed, r.total DESC) END,
		   r.final, r.branches
	FROM pointsys.annual_results r
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) r.member_id
	WHERE annual_publicity.branch_id OPERATOR(pg_catalog.=) ANY (r.branches)
	  AND r.year OPERATOR(pg_catalog.=) annual_publicity.year
	ORDER BY 12, 1;
END
$$;
COMMENT ON FUNCTION @extschema@.annual_publicity(pg_catalog.text, pg_catalog.int4) IS
	'年度公示 a branch year''s results to post: the members of the branch in at least one month of the year, ranked among them, with their branches of the year; 55000 while a democratic score is missing or a recorded quarter is not approved';

CREATE OR REPLACE FUNCTION @extschema@.publicity_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	branch_name pg_catalog.text;
	rows pg_catalog.text;
	p_start pg_catalog.date;
	p_end pg_catalog.date;
BEGIN
	SELECT pg_catalog.string_agg(
			'<tr><td>' || p.branch_rank || '</td><td class="nw">' || pointsys.html_escape(p.name)
			-- 组织关系转接 a member transferred during the quarter: the branches, in order
			|| CASE WHEN pg_catalog.cardinality(p.branches) OPERATOR(pg_catalog.>) 1
					THEN '<br><small>' || pointsys.html_escape(pg_catalog.array_to_string(p.branches, '→'))
						 || '</small>'
					ELSE '' END
			|| '</td><td>'
			|| COALESCE(pg_catalog.trim_scale(p.m1)::pg_catalog.text, '') || '</td><td>'
			|| COALESCE(pg_catalog.trim_scale(p.m2)::pg_catalog.text, '') || '</td><td>'
			|| COALESCE(pg_catalog.trim_scale(p.m3)::pg_catalog.text, '') || '</td><td><b>' || p.score || '</b></td></tr>',
			E'\n' ORDER BY p.branch_rank, p.member_id),
		   pg_catalog.min(p.publicity_start), pg_catalog.min(p.publicity_end)
	INTO rows, p_start, p_end
	FROM pointsys.publicity(publicity_html.branch_id, publicity_html.year, publicity_html.quarter) p;
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) publicity_html.branch_id;
	RETURN pointsys.html_page(
		pg_catalog.format('党员积分公示 %s %s年第%s季度', branch_name, publicity_html.year, publicity_html.quarter),
		false,
		pg_catalog.format('<h1>%s%s年第%s季度党员积分公示</h1>',
						  pointsys.html_escape(branch_name), publicity_html.year, publicity_html.quarter)
		|| '<p class="meta">公示期：'
		|| CASE WHEN p_start IS NULL THEN '（尚未开始）'
				WHEN p_end OPERATOR(pg_catalog.<=) p_start THEN pg_catalog.to_char(p_start, 'YYYY年FMMM月FMDD日')
				ELSE pg_catalog.to_char(p_start, 'YYYY年FMMM月FMDD日') || '至'
					 || pg_catalog.to_char(p_end OPERATOR(pg_catalog.-) 1, 'YYYY年FMMM月FMDD日') END
		|| '。公示期间如有异议，请向支部委员会反映。</p>'
		|| pg_catalog.format('<table><thead><tr><th>排名</th><th>姓名</th><th>%s月</th><th>%s月</th><th>%s月</th>',
							 (publicity_html.quarter OPERATOR(pg_catalog.*) 3) OPERATOR(pg_catalog.-) 2,
							 (publicity_html.quarter OPERATOR(pg_catalog.*) 3) OPERATOR(pg_catalog.-) 1,
							 publicity_html.quarter OPERATOR(pg_catalog.*) 3)
		|| '<th>季考核积分</th></tr></thead><tbody>' || E'\n'
		|| COALESCE(rows, '<tr><td colspan="6">本季度尚无记录</td></tr>')
		|| E'\n</tbody></table>'
		|| pg_catalog.format('<p class="sign">中共%s委员会（盖章）　　　　日期：</p>', pointsys.html_escape(branch_name)));
END
$$;
COMMENT ON FUNCTION @extschema@.publicity_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分公示（打印） the publicity list of a branch quarter as a standalone A4 HTML page; 55000 before the quarter is approved';

CREATE OR REPLACE FUNCTION @extschema@.mentoring_access() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.mentoring'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('mentoring_access: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
	   AND NOT (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE')
				AND EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
							WHERE pointsys.may_record(NEW.member_id, pg_catalog.make_date(NEW.year, g.n, 1)))) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = 'new row violates row-level security policy for table "mentoring"';
	END IF;
	NEW.recorded_by := CURRENT_USER;
	NEW.recorded_at := pg_catalog.now();
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_access() IS
	'帮扶权限 row security first (42501 for a member outside the recorder''s branches that year); stamps recorded_by and recorded_at';

------------------------------------------------------------------------
-- 组织关系转接 transfers between branches (issue 14): the triggers that
-- keep pointsys.membership and member.branch_id in step, and refuse a
-- change of membership that would move a month out of (or into) a quarter
-- that is no longer recording; audit, row security, privileges
------------------------------------------------------------------------

-- member → membership: a new member's first row; a change of
-- member.branch_id that the membership rows do not make yet is a transfer
-- from the current month
CREATE FUNCTION @extschema@.member_membership() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	this_month pg_catalog.date := CURRENT_DATE OPERATOR(pg_catalog.-)
		(EXTRACT(DAY FROM CURRENT_DATE)::pg_catalog.int4 OPERATOR(pg_catalog.-) 1);
	latest pg_catalog.text;
	later pg_catalog.date;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.member'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('member_membership: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
		INSERT INTO pointsys.membership (member_id, branch_id, since)
		VALUES (NEW.member_id, NEW.branch_id,
				COALESCE(NEW.joined_on OPERATOR(pg_catalog.-)
						 (EXTRACT(DAY FROM NEW.joined_on)::pg_catalog.int4 OPERATOR(pg_catalog.-) 1),
						 '1921-07-01'::pg_catalog.date));
		RETURN NULL;
	END IF;
	SELECT s.branch_id INTO latest FROM pointsys.membership s
	WHERE s.member_id OPERATOR(pg_catalog.=) NEW.member_id
	ORDER BY s.since DESC LIMIT 1;
	IF latest OPERATOR(pg_catalog.=) NEW.branch_id THEN
		RETURN NULL;			-- made by the membership rows (or no change)
	END IF;
	SELECT pg_catalog.min(s.since) INTO later FROM pointsys.membership s
	WHERE s.member_id OPERATOR(pg_catalog.=) NEW.member_id
	  AND s.since OPERATOR(pg_catalog.>) this_month;
	IF later IS NOT NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('member "%s" cannot be transferred to branch "%s" from %s',
										NEW.member_id, NEW.branch_id, pg_catalog.to_char(this_month, 'YYYY-MM')),
			DETAIL = pg_catalog.format('A change of member.branch_id is a transfer from the current month; the member''s membership already has a transfer in %s.',
									   pg_catalog.to_char(later, 'YYYY-MM')),
			HINT = 'Write the transfer in pointsys.membership.';
	END IF;
	IF latest IS NULL THEN
		-- no history yet (rows a replica wrote): the months so far stay in the old branch
		INSERT INTO pointsys.membership (member_id, branch_id, since)
		VALUES (NEW.member_id, OLD.branch_id,
				LEAST(this_month, COALESCE(NEW.joined_on OPERATOR(pg_catalog.-)
						 (EXTRACT(DAY FROM NEW.joined_on)::pg_catalog.int4 OPERATOR(pg_catalog.-) 1),
						 '1921-07-01'::pg_catalog.date)))
		ON CONFLICT ON CONSTRAINT membership_pkey DO NOTHING;
	END IF;
	INSERT INTO pointsys.membership AS s (member_id, branch_id, since)
	VALUES (NEW.member_id, NEW.branch_id, this_month)
	ON CONFLICT ON CONSTRAINT membership_pkey DO UPDATE SET branch_id = EXCLUDED.branch_id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.member_membership() IS
	'组织关系 a new member''s first membership row; a change of member.branch_id is a transfer from the current month';
CREATE TRIGGER member_membership AFTER INSERT OR UPDATE OF branch_id ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_membership();
COMMENT ON TRIGGER member_membership ON @extschema@.member IS
	'组织关系 new members and changes of member.branch_id write pointsys.membership';

-- membership → member: each changed member's rows are checked as the
-- owner, with the member's row locked (FOR UPDATE waits for the writes of
-- score and award rows under way, which hold it FOR KEY SHARE), and the
-- branch rows of every month that changes branch locked FOR SHARE (as a
-- score's write does: no quarter of theirs can change status meanwhile)
CREATE FUNCTION @extschema@.membership_changed() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	ids pg_catalog.text[];
	id pg_catalog.text;
	current_branch pg_catalog.text;
	latest pg_catalog.text;
	o_member pg_catalog.text;
	o_since pg_catalog.date;
	o_branch pg_catalog.text;
	n_member pg_catalog.text;
	n_since pg_catalog.date;
	moved record;
	closed_branch pg_catalog.text;
	closed_status pg_catalog.text;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.membership'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE', 'DELETE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('membership_changed: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		o_member := OLD.member_id; o_since := OLD.since; o_branch := OLD.branch_id;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		n_member := NEW.member_id; n_since := NEW.since;
	END IF;
	ids := CASE WHEN o_member IS NOT DISTINCT FROM n_member THEN ARRAY[n_member]
				ELSE ARRAY[o_member, n_member] END;
	FOREACH id IN ARRAY ids LOOP
		CONTINUE WHEN id IS NULL;
		SELECT m.branch_id INTO current_branch FROM pointsys.member m
		WHERE m.member_id OPERATOR(pg_catalog.=) id
		FOR UPDATE;
		CONTINUE WHEN NOT FOUND;	-- the member's deletion cascades
		SELECT s.branch_id INTO latest FROM pointsys.membership s
		WHERE s.member_id OPERATOR(pg_catalog.=) id
		ORDER BY s.since DESC LIMIT 1;
		IF latest IS NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'restrict_violation',
				MESSAGE = pg_catalog.format('member "%s" must keep a membership row', id),
				DETAIL = pg_catalog.format('This would delete the last row of member "%s" (branch "%s" since %s).',
										   id, o_branch, pg_catalog.to_char(o_since, 'YYYY-MM')),
				HINT = 'A member always belongs to a branch; delete the member to delete the history.';
		END IF;
		-- the months recorded for the member whose branch changes: before
		-- (the rows now, without the new row, with the old one) and after
		FOR moved IN
			WITH now_rows AS (
				SELECT s.since, s.branch_id FROM pointsys.membership s
				WHERE s.member_id OPERATOR(pg_catalog.=) id),
			before_rows AS (
				SELECT r.since, r.branch_id FROM now_rows r
				WHERE NOT (id IS NOT DISTINCT FROM n_member AND r.since IS NOT DISTINCT FROM n_since)
				UNION ALL
				SELECT o_since, o_branch WHERE id OPERATOR(pg_catalog.=) o_member)
			SELECT t.month, t.old_branch, t.new_branch
			FROM (SELECT mm.month,
						 COALESCE((SELECT r.branch_id FROM before_rows r WHERE r.since OPERATOR(pg_catalog.<=) mm.month
								   ORDER BY r.since DESC LIMIT 1),
								  (SELECT r.branch_id FROM before_rows r ORDER BY r.since LIMIT 1),
								  current_branch) AS old_branch,
						 COALESCE((SELECT r.branch_id FROM now_rows r WHERE r.since OPERATOR(pg_catalog.<=) mm.month
								   ORDER BY r.since DESC LIMIT 1),
								  (SELECT r.branch_id FROM now_rows r ORDER BY r.since LIMIT 1)) AS new_branch
				  FROM pointsys.member_month mm
				  WHERE mm.member_id OPERATOR(pg_catalog.=) id) t
			WHERE t.old_branch OPERATOR(pg_catalog.<>) t.new_branch
			ORDER BY t.month
		LOOP
			-- as a score's write does: its branches' rows, then the periods
			PERFORM FROM pointsys.branch b
			WHERE b.branch_id OPERATOR(pg_catalog.=) ANY (ARRAY[moved.old_branch, moved.new_branch])
			ORDER BY b.branch_id
			FOR SHARE;
			SELECT p.branch_id, p.status INTO closed_branch, closed_status FROM pointsys.period p
			WHERE p.branch_id OPERATOR(pg_catalog.=) ANY (ARRAY[moved.old_branch, moved.new_branch])
			  AND p.year OPERATOR(pg_catalog.=) pointsys.year_of(moved.month)
			  AND p.quarter OPERATOR(pg_catalog.=) pointsys.quarter_of(moved.month)
			  AND p.status OPERATOR(pg_catalog.<>) 'recording'
			ORDER BY p.branch_id OPERATOR(pg_catalog.<>) moved.old_branch
			LIMIT 1;
			IF FOUND THEN
				RAISE EXCEPTION USING
					ERRCODE = 'object_not_in_prerequisite_state',
					MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is %s',
												pointsys.year_of(moved.month), pointsys.quarter_of(moved.month),
												closed_branch, closed_status),
					DETAIL = pg_catalog.format('The month is %s: member "%s" has scores or awards in it, and this change of membership moves it from branch "%s" to branch "%s".',
											   pg_catalog.to_char(moved.month, 'YYYY-MM'), id,
											   moved.old_branch, moved.new_branch),
					HINT = 'A month moves between branches only while its quarter is recording in both; pointsys.reopen() takes it back.';
			END IF;
		END LOOP;
		IF current_branch OPERATOR(pg_catalog.<>) latest THEN
			UPDATE pointsys.member m SET branch_id = latest
			WHERE m.member_id OPERATOR(pg_catalog.=) id;
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.membership_changed() IS
	'组织关系 a member keeps a membership row; months with scores or awards move between branches only while recording in both; member.branch_id follows the latest row';
CREATE TRIGGER membership_changed AFTER INSERT OR UPDATE OR DELETE ON @extschema@.membership
	FOR EACH ROW EXECUTE FUNCTION @extschema@.membership_changed();
COMMENT ON TRIGGER membership_changed ON @extschema@.membership IS
	'组织关系 the rules of a change of membership; member.branch_id follows';

CREATE TRIGGER rulebook_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.membership
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.rulebook_changed();
COMMENT ON TRIGGER rulebook_changed ON @extschema@.membership IS '党员缓存失效 member cache invalidation';
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.membership
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
ALTER TABLE @extschema@.membership ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.membership IS
	'成员缓存失效（逻辑复制） member cache invalidation for rows a subscription applies';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.membership
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.membership
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.membership
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.membership
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.membership IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.membership IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.membership IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.membership IS '审计 audit trail of truncation';

ALTER TABLE @extschema@.membership ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.membership TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.membership FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.membership FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
COMMENT ON POLICY admin_all ON @extschema@.membership IS '局党组 pointsys_admin sees and writes every branch (组织关系转接)';
COMMENT ON POLICY reader_all ON @extschema@.membership IS '报表工具 pointsys_reader reads every branch';
COMMENT ON POLICY recorder_branch ON @extschema@.membership IS '记录员 membership rows of the recorder''s branches';

GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.membership TO pointsys_admin;
GRANT SELECT ON @extschema@.membership TO pointsys_recorder;

REVOKE EXECUTE ON FUNCTION
	@extschema@.member_membership(),
	@extschema@.membership_changed()
FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('pointsys.membership', '');

REVOKE EXECUTE ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.may_record(pg_catalog.text, pg_catalog.date)
TO pointsys_admin, pointsys_recorder, pointsys_reader;
