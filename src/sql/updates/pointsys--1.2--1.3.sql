/* pointsys--1.2--1.3.sql: release 1.3 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.3'" to load this file. \quit

------------------------------------------------------------------------
-- 审计 the audit trail of updates reads the transition tables too
------------------------------------------------------------------------
-- An UPDATE's audit rows were written by a row trigger, one query per row
-- updated; like inserts and deletes they are now written by one statement
-- trigger over the old and new rows (audit.c pairs them in order).

DO LANGUAGE plpgsql $$
DECLARE
	t pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['score', 'award', 'sanction', 'evaluation', 'branch', 'member',
							 'period', 'recorder', 'item', 'category', 'award_kind'] LOOP
		EXECUTE pg_catalog.format(
			'DROP TRIGGER audit_update ON pointsys.%1$I;'
			'CREATE TRIGGER audit_update AFTER UPDATE ON pointsys.%1$I'
			' REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows'
			' FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();'
			'COMMENT ON TRIGGER audit_update ON pointsys.%1$I IS %2$L;',
			t, '审计 audit trail of updates (old and new row)');
	END LOOP;
END
$$;

------------------------------------------------------------------------
-- 逻辑复制 a subscriber's month ledger and caches follow the rows it applies
------------------------------------------------------------------------
-- On a logical replication subscriber the apply worker fires row
-- triggers only: these count each applied score and award row into the
-- month ledger (month_ledger_rows.c) and drop the cached rulebook, members
-- and recorders when their rows arrive.  ENABLE REPLICA: they fire only in
-- replica mode, and act only in a replication worker.
CREATE FUNCTION @extschema@.member_month_replicated() RETURNS trigger
	AS 'MODULE_PATHNAME', 'member_month_replicated' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.member_month_replicated() IS
	'月度台账（逻辑复制） counts each row a logical replication worker applies to score or award into pointsys.member_month';
CREATE TRIGGER member_month_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.score
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_month_replicated();
CREATE TRIGGER member_month_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.award
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_month_replicated();
ALTER TABLE @extschema@.score ENABLE REPLICA TRIGGER member_month_replicated;
ALTER TABLE @extschema@.award ENABLE REPLICA TRIGGER member_month_replicated;
COMMENT ON TRIGGER member_month_replicated ON @extschema@.score IS
	'月度台账（逻辑复制） keeps pointsys.member_month in step with rows a subscription applies';
COMMENT ON TRIGGER member_month_replicated ON @extschema@.award IS
	'月度台账（逻辑复制） keeps pointsys.member_month in step with rows a subscription applies';
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.item
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.award_kind
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
CREATE TRIGGER rulebook_changed_replicated AFTER INSERT OR UPDATE OR DELETE ON @extschema@.recorder
	FOR EACH ROW EXECUTE FUNCTION @extschema@.rulebook_changed();
ALTER TABLE @extschema@.item ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.award_kind ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.member ENABLE REPLICA TRIGGER rulebook_changed_replicated;
ALTER TABLE @extschema@.recorder ENABLE REPLICA TRIGGER rulebook_changed_replicated;
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.item IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.award_kind IS
	'细则缓存失效（逻辑复制） rulebook cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.member IS
	'成员缓存失效（逻辑复制） member cache invalidation for rows a subscription applies';
COMMENT ON TRIGGER rulebook_changed_replicated ON @extschema@.recorder IS
	'记录员缓存失效（逻辑复制） recorder cache invalidation for rows a subscription applies';

REVOKE EXECUTE ON FUNCTION @extschema@.member_month_replicated() FROM PUBLIC;

------------------------------------------------------------------------
-- 城市级汇总 city level: helpers that postgres_fdw pushes down (issue 13)
------------------------------------------------------------------------
-- A city database federates its bureaus with postgres_fdw (foreign servers
-- with OPTIONS (extensions 'pointsys')).  postgres_fdw ships to the bureau
-- only IMMUTABLE functions of an extension listed there (and PostgreSQL 15
-- ships no EXTRACT or date_trunc), so the city's reports group by these.

CREATE FUNCTION @extschema@.quarter_of(pg_catalog.date) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'pointsys_quarter_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_of(pg_catalog.date) IS
	'季度 quarter (1..4) of a date; immutable, so postgres_fdw pushes a GROUP BY on it to the bureau';

------------------------------------------------------------------------
-- 节点标识 ids unique across bureaus: a node identity per database (issue 13)
------------------------------------------------------------------------
-- award_id, sanction_id and audit_id stay identity columns (the audit
-- trail's C code and every INSERT keep working unchanged), but each
-- database numbers them in a range of its own: node × 2^40 + 1, 2, ...
-- CREATE EXTENSION (and the update from 1.2) picks a random node from 1 to
-- 8388607; the DBA of a city of bureaus sets planned ones with
-- set_node() before any id is given out.  Ids below 2^40 are node 0:
-- rows written before release 1.3.

CREATE FUNCTION @extschema@.node_of(id pg_catalog.int8) RETURNS pg_catalog.int4
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (id OPERATOR(pg_catalog.>>) 40)::pg_catalog.int4;
COMMENT ON FUNCTION @extschema@.node_of(pg_catalog.int8) IS
	'来源节点 the node (database) that gave out an award, sanction or audit id; 0: before release 1.3';

CREATE FUNCTION @extschema@.set_node(node pg_catalog.int4) RETURNS pg_catalog.int4
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
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit'] LOOP
		col := tbl OPERATOR(pg_catalog.||) '_id';
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
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit'] LOOP
		EXECUTE pg_catalog.format('ALTER TABLE pointsys.%I ALTER COLUMN %I RESTART WITH %s', tbl,
								  tbl OPERATOR(pg_catalog.||) '_id',
								  node::pg_catalog.int8 OPERATOR(pg_catalog.*) 1099511627776 OPERATOR(pg_catalog.+) 1);
	END LOOP;
	RETURN node;
END
$$;
COMMENT ON FUNCTION @extschema@.set_node(pg_catalog.int4) IS
	'节点标识 numbers this database''s award, sanction and audit ids from node × 2^40 + 1 (node 1..8388607); only before any such id of 1.3 exists';
REVOKE ALL ON FUNCTION @extschema@.set_node(pg_catalog.int4) FROM PUBLIC;

SELECT @extschema@.set_node((pg_catalog.floor(pg_catalog.random() OPERATOR(pg_catalog.*) 8388607))::pg_catalog.int4
							OPERATOR(pg_catalog.+) 1);

------------------------------------------------------------------------
-- 报表友好类型 report-friendly types (issue 11): grade's binary form is its
-- label, grade compares with text, the use of results in words, and the
-- published figures typed numeric(…,2) in the views
------------------------------------------------------------------------

ALTER FUNCTION @extschema@.grade_send(@extschema@.grade) STABLE;
COMMENT ON FUNCTION @extschema@.grade_recv(pg_catalog.internal) IS '格次二进制输入 grade binary input: its label, or one byte 0..3 (release 1.1''s form)';
COMMENT ON FUNCTION @extschema@.grade_send(@extschema@.grade) IS '格次二进制输出 grade binary output: its label, in the language of pointsys.language';

------------------------------------------------------------------------
-- 格次与文本比较 grade compared with text (issue 11): a string parameter
-- (JDBC setString, psycopg) is text or varchar, not grade; the label it
-- holds is compared as a grade (22P02 if it is none).  varchar reaches
-- these through its implicit cast to text.  grade = 'literal' still
-- resolves to grade = grade.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.grade_text_eq(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_eq(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_eq(@extschema@.grade, pg_catalog.text) IS '格次相等标签 grade equal a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_eq(pg_catalog.text, @extschema@.grade) IS '标签相等格次 label given as text equal a grade';
CREATE FUNCTION @extschema@.grade_text_ne(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_ne(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_ne(@extschema@.grade, pg_catalog.text) IS '格次不等标签 grade not equal a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_ne(pg_catalog.text, @extschema@.grade) IS '标签不等格次 label given as text not equal a grade';
CREATE FUNCTION @extschema@.grade_text_lt(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_lt(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_lt(@extschema@.grade, pg_catalog.text) IS '格次低于标签 grade lower than a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_lt(pg_catalog.text, @extschema@.grade) IS '标签低于格次 label given as text lower than a grade';
CREATE FUNCTION @extschema@.grade_text_le(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_le(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_le(@extschema@.grade, pg_catalog.text) IS '格次不高于标签 grade lower or equal a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_le(pg_catalog.text, @extschema@.grade) IS '标签不高于格次 label given as text lower or equal a grade';
CREATE FUNCTION @extschema@.grade_text_gt(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_gt(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_gt(@extschema@.grade, pg_catalog.text) IS '格次高于标签 grade higher than a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_gt(pg_catalog.text, @extschema@.grade) IS '标签高于格次 label given as text higher than a grade';
CREATE FUNCTION @extschema@.grade_text_ge(@extschema@.grade, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'grade_text_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text_grade_ge(pg_catalog.text, @extschema@.grade) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'text_grade_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_text_ge(@extschema@.grade, pg_catalog.text) IS '格次不低于标签 grade higher or equal a label given as text';
COMMENT ON FUNCTION @extschema@.text_grade_ge(pg_catalog.text, @extschema@.grade) IS '标签不低于格次 label given as text higher or equal a grade';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.grade, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.grade_text_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR @extschema@.= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.grade,
	FUNCTION = @extschema@.text_grade_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.grade, pg_catalog.text) IS '格次相等标签 grade equal a label given as text';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.grade, pg_catalog.text) IS '格次不等标签 grade not equal a label given as text';
COMMENT ON OPERATOR @extschema@.< (@extschema@.grade, pg_catalog.text) IS '格次低于标签 grade lower than a label given as text';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.grade, pg_catalog.text) IS '格次不高于标签 grade lower or equal a label given as text';
COMMENT ON OPERATOR @extschema@.> (@extschema@.grade, pg_catalog.text) IS '格次高于标签 grade higher than a label given as text';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.grade, pg_catalog.text) IS '格次不低于标签 grade higher or equal a label given as text';
COMMENT ON OPERATOR @extschema@.= (pg_catalog.text, @extschema@.grade) IS '标签相等格次 label given as text equal a grade';
COMMENT ON OPERATOR @extschema@.<> (pg_catalog.text, @extschema@.grade) IS '标签不等格次 label given as text not equal a grade';
COMMENT ON OPERATOR @extschema@.< (pg_catalog.text, @extschema@.grade) IS '标签低于格次 label given as text lower than a grade';
COMMENT ON OPERATOR @extschema@.<= (pg_catalog.text, @extschema@.grade) IS '标签不高于格次 label given as text lower or equal a grade';
COMMENT ON OPERATOR @extschema@.> (pg_catalog.text, @extschema@.grade) IS '标签高于格次 label given as text higher than a grade';
COMMENT ON OPERATOR @extschema@.>= (pg_catalog.text, @extschema@.grade) IS '标签不低于格次 label given as text higher or equal a grade';

CREATE FUNCTION @extschema@.eligibility_label(@extschema@.grade) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'pointsys_eligibility_label'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.eligibility_label(@extschema@.grade) IS
	'结果运用说明 use of results in words, in the language of pointsys.language (like the grade''s label)';


-- A view's column types cannot change in place: the three report views and
-- the functions reading them are dropped (dependents first) and created
-- again exactly as pointsys--1.3.sql creates them, with their comments and
-- grants in the same order.
DROP FUNCTION @extschema@.annual_grade(pg_catalog.text, pg_catalog.int4);
DROP FUNCTION @extschema@.quarter_score(pg_catalog.text, pg_catalog.int4, pg_catalog.int4);
DROP FUNCTION @extschema@.monthly_score(pg_catalog.text, pg_catalog.date);
DROP VIEW @extschema@.annual_results;
DROP VIEW @extschema@.quarterly_scores;
DROP VIEW @extschema@.monthly_scores;

CREATE VIEW @extschema@.monthly_scores WITH (security_invoker = true) AS
SELECT member_id, month,
	   CAST(COALESCE(t.study, 0) AS pg_catalog.numeric(14,2)) AS study,
	   CAST(COALESCE(t.service, 0) AS pg_catalog.numeric(14,2)) AS service,
	   CAST(COALESCE(t.innovation, 0) AS pg_catalog.numeric(14,2)) AS innovation,
	   CAST(COALESCE(t.worklist, 0) AS pg_catalog.numeric(14,2)) AS worklist,
	   CAST(COALESCE(t.role, 0) AS pg_catalog.numeric(14,2)) AS role,
	   CAST(LEAST(COALESCE(r.awards, 0), c.cap) AS pg_catalog.numeric(14,2)) AS reward,
	   CAST(COALESCE(t.scored, 0) OPERATOR(pg_catalog.+) LEAST(COALESCE(r.awards, 0), c.cap)
			AS pg_catalog.numeric(14,2)) AS total
FROM (SELECT s.member_id, s.month,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'study') AS study,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'service') AS service,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'innovation') AS innovation,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'worklist') AS worklist,
			 pg_catalog.sum(s.points) FILTER (WHERE i.category OPERATOR(pg_catalog.=) 'role') AS role,
			 pg_catalog.sum(s.points) AS scored
	  FROM @extschema@.score s
	  JOIN @extschema@.item i ON i.item OPERATOR(pg_catalog.=) s.item
	  GROUP BY s.member_id, s.month) t
FULL JOIN (SELECT a.member_id, a.month, pg_catalog.sum(k.points) AS awards
		   FROM @extschema@.award a
		   JOIN @extschema@.award_kind k ON k.kind OPERATOR(pg_catalog.=) a.kind
		   GROUP BY a.member_id, a.month) r USING (member_id, month)
CROSS JOIN (SELECT cap FROM @extschema@.category
			WHERE category OPERATOR(pg_catalog.=) 'reward') c;
COMMENT ON VIEW @extschema@.monthly_scores IS '月度积分 monthly scores by category; reward is capped; one row per recorded member-month';
COMMENT ON COLUMN @extschema@.monthly_scores.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.monthly_scores.month IS '月份 month (first day)';
COMMENT ON COLUMN @extschema@.monthly_scores.study IS '理论学习 study';
COMMENT ON COLUMN @extschema@.monthly_scores.service IS '服务群众 service to the masses';
COMMENT ON COLUMN @extschema@.monthly_scores.innovation IS '工作创新 innovation';
COMMENT ON COLUMN @extschema@.monthly_scores.worklist IS '工作清单完成情况 work list';
COMMENT ON COLUMN @extschema@.monthly_scores.role IS '党员作用发挥 exemplary role';
COMMENT ON COLUMN @extschema@.monthly_scores.reward IS '奖励分 award points, capped';
COMMENT ON COLUMN @extschema@.monthly_scores.total IS '月度积分 monthly total';

CREATE VIEW @extschema@.quarterly_scores WITH (security_invoker = true) AS
SELECT y.member_id, y.year, q.quarter, CAST(q.score AS pg_catalog.numeric(14,2)) AS score, q.months
FROM @extschema@.member_years y
CROSS JOIN LATERAL @extschema@.year_quarters(
	y.ledger,
	(SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward')) q;
COMMENT ON VIEW @extschema@.quarterly_scores IS '季度积分 quarter scores: mean of the recorded months, rounded half up to 0.01';
COMMENT ON COLUMN @extschema@.quarterly_scores.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.quarterly_scores.year IS '年度 year';
COMMENT ON COLUMN @extschema@.quarterly_scores.quarter IS '季度 quarter (1..4)';
COMMENT ON COLUMN @extschema@.quarterly_scores.score IS '季考核积分 quarter score';
COMMENT ON COLUMN @extschema@.quarterly_scores.months IS '记录月数 recorded months';

-- The veto of a member-year: the member's veto periods gathered into one
-- multirange and hash-joined, instead of a query per member-year.  Same
-- rule as is_vetoed(): a period [effective_on, lifted_on) touching the year.
CREATE VIEW @extschema@.annual_results WITH (security_invoker = true) AS
SELECT y.member_id, m.branch_id, y.year,
	   CAST(f.q1 AS pg_catalog.numeric(14,2)) AS q1, CAST(f.q2 AS pg_catalog.numeric(14,2)) AS q2,
	   CAST(f.q3 AS pg_catalog.numeric(14,2)) AS q3, CAST(f.q4 AS pg_catalog.numeric(14,2)) AS q4,
	   f.months, CAST(f.assessment AS pg_catalog.numeric(14,2)) AS assessment,
	   e.democratic, v.vetoed,
	   CAST(CASE WHEN v.vetoed THEN 0.00
				 ELSE @extschema@.annual_total(f.assessment, e.democratic) END
			AS pg_catalog.numeric(5,2)) AS total,
	   g.grade,
	   @extschema@.eligibility(g.grade) AS eligibility,
	   @extschema@.eligibility_label(g.grade) AS eligibility_label
FROM @extschema@.member_years y
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) y.member_id
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
CROSS JOIN LATERAL (SELECT @extschema@.annual_grade(f.assessment, e.democratic, v.vetoed) AS grade) g;

COMMENT ON VIEW @extschema@.annual_results IS '年度定级 annual results: quarters, assessment (80%), democratic (20%), veto, total, grade, use of results';
COMMENT ON COLUMN @extschema@.annual_results.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.annual_results.branch_id IS '所在支部 branch';
COMMENT ON COLUMN @extschema@.annual_results.year IS '年度 year';
COMMENT ON COLUMN @extschema@.annual_results.q1 IS '一季度 first quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q2 IS '二季度 second quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q3 IS '三季度 third quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q4 IS '四季度 fourth quarter score';
COMMENT ON COLUMN @extschema@.annual_results.months IS '记录月数 recorded months';
COMMENT ON COLUMN @extschema@.annual_results.assessment IS '年度考核积分 annual assessment (mean of recorded quarters)';
COMMENT ON COLUMN @extschema@.annual_results.democratic IS '民主评议 democratic score; NULL: not yet evaluated';
COMMENT ON COLUMN @extschema@.annual_results.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.annual_results.total IS '年度积分 annual total; 0 when vetoed, NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.grade IS '格次 grade; NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.eligibility IS '结果运用 use of results';
COMMENT ON COLUMN @extschema@.annual_results.eligibility_label IS '结果运用说明 use of results in words, in the language of pointsys.language';

CREATE FUNCTION @extschema@.monthly_score(member_id pg_catalog.text, month pg_catalog.date) RETURNS pg_catalog.numeric
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT t.total FROM @extschema@.monthly_scores t
	WHERE t.member_id OPERATOR(pg_catalog.=) monthly_score.member_id
	  AND t.month OPERATOR(pg_catalog.=) pg_catalog.date_trunc('month', monthly_score.month)::pg_catalog.date;
END;
COMMENT ON FUNCTION @extschema@.monthly_score(pg_catalog.text, pg_catalog.date) IS
	'月度积分 a member''s monthly total (any day of the month); NULL if nothing is recorded';

CREATE FUNCTION @extschema@.quarter_score(member_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.numeric
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT q.score FROM @extschema@.quarterly_scores q
	WHERE q.member_id OPERATOR(pg_catalog.=) quarter_score.member_id
	  AND q.year OPERATOR(pg_catalog.=) quarter_score.year
	  AND q.quarter OPERATOR(pg_catalog.=) quarter_score.quarter
	  -- refuses a quarter outside 1..4 (SQLSTATE 22023)
	  AND @extschema@.quarter_start(quarter_score.year, quarter_score.quarter) IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.quarter_score(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'季考核积分 a member''s quarter score; NULL if nothing is recorded; error for a quarter outside 1..4';

CREATE FUNCTION @extschema@.annual_grade(member_id pg_catalog.text, year pg_catalog.int4) RETURNS @extschema@.grade
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT r.grade FROM @extschema@.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) annual_grade.member_id
	  AND r.year OPERATOR(pg_catalog.=) annual_grade.year;
END;
COMMENT ON FUNCTION @extschema@.annual_grade(pg_catalog.text, pg_catalog.int4) IS
	'年度格次 a member''s grade for a year, as in annual_results; NULL while pending or when nothing is recorded';

GRANT SELECT ON @extschema@.monthly_scores, @extschema@.quarterly_scores, @extschema@.annual_results
	TO pointsys_admin;
GRANT SELECT ON @extschema@.monthly_scores, @extschema@.quarterly_scores, @extschema@.annual_results
	TO pointsys_reader;
GRANT SELECT ON @extschema@.monthly_scores, @extschema@.quarterly_scores TO pointsys_recorder;

------------------------------------------------------------------------
-- 建党以前的日期 no date before the founding of the party (issue 11): the
-- Communist Party of China was founded in July 1921, so a membership, a
-- sanction or a recorder's election before it is a typo (0026 for 2026).
-- Score and award months and evaluation years are refused by their
-- triggers (22008); these dates by CHECK constraints (23514).
-- (An existing row that breaks one stops the update, naming the
-- constraint: correct the typo, then update again.)
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


------------------------------------------------------------------------
-- 备份 pointsys_admin can pg_dump the ledger (issue 11): pg_dump reads the
-- state of every sequence it dumps, so the bureau's DBA role needs SELECT
-- on the identity sequences of award, sanction and audit (it reads every
-- table already; pg_dump --enable-row-security lets the policies give it
-- every row, README, Backups).
------------------------------------------------------------------------

GRANT SELECT ON SEQUENCE @extschema@.award_award_id_seq, @extschema@.sanction_sanction_id_seq,
	@extschema@.audit_audit_id_seq TO pointsys_admin;


------------------------------------------------------------------------
-- 批量导入 bulk import of a month's sheet (issue 11): COPY FROM is refused
-- under row-level security, so a recorder loads a sheet of scores or awards
-- with one call, all or nothing, under every write rule and its own
-- row-level security (SECURITY INVOKER); a dry run lists every bad row
-- (row number, field, SQLSTATE, constraint, message in the session's
-- language) and writes nothing.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.import_scores(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	elem pg_catalog.jsonb;
	n pg_catalog.int8;
	v_member pg_catalog.text;
	v_month pg_catalog.date;
	v_item pg_catalog.text;
	v_points pg_catalog.numeric;
	v_note pg_catalog.text;
	v_column pg_catalog.text;
	bad pg_catalog.int4 := 0;
	fast_state pg_catalog.text;
	fast_message pg_catalog.text;
	fast_detail pg_catalog.text;
BEGIN
	IF pg_catalog.jsonb_typeof(sheet) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'a sheet is a JSON array of rows'
			USING ERRCODE = '22023',
				  HINT = 'Give [{"member_id": …, "month": …, "item": …, "points": …}, …].';
	END IF;
	-- the sheet in one statement: every rule checked, nothing written if one
	-- fails (nor in a dry run); only then row by row, to find every bad row
	BEGIN
		INSERT INTO pointsys.score (member_id, month, item, points, note)
		SELECT r.member_id, r.month, r.item, r.points, r.note
		FROM pg_catalog.jsonb_to_recordset(sheet)
			 AS r(member_id pg_catalog.text, month pg_catalog.date, item pg_catalog.text,
				  points pg_catalog.numeric, note pg_catalog.text);
		IF dry_run THEN
			RAISE SQLSTATE 'PZ001';		-- a good sheet: undone
		END IF;
		RETURN;
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		RETURN;
	WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS fast_state = RETURNED_SQLSTATE, fast_message = MESSAGE_TEXT,
			fast_detail = PG_EXCEPTION_DETAIL;
	END;
	-- row by row, each in a subtransaction, the whole undone at the end
	BEGIN
		FOR elem, n IN SELECT e.value, e.ordinality
					   FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e LOOP
			BEGIN
				v_column := 'member_id';
				v_member := elem OPERATOR(pg_catalog.->>) 'member_id';
				v_column := 'month';
				v_month := (elem OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date;
				v_column := 'item';
				v_item := elem OPERATOR(pg_catalog.->>) 'item';
				v_column := 'points';
				v_points := (elem OPERATOR(pg_catalog.->>) 'points')::pg_catalog.numeric;
				v_column := 'note';
				v_note := elem OPERATOR(pg_catalog.->>) 'note';
				v_column := NULL;
				INSERT INTO pointsys.score (member_id, month, item, points, note)
				VALUES (v_member, v_month, v_item, v_points, v_note);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, field = COLUMN_NAME,
					constraint_name = CONSTRAINT_NAME, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
				row_number := n::pg_catalog.int4;
				field := COALESCE(NULLIF(field, ''), v_column);
				constraint_name := NULLIF(constraint_name, '');
				detail := NULLIF(detail, '');
				bad := bad OPERATOR(pg_catalog.+) 1;
				RETURN NEXT;
			END;
		END LOOP;
		RAISE SQLSTATE 'PZ001';
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		NULL;
	END;
	-- the one statement failed, yet no row does alone (a lock or
	-- serialization failure, say): that error is the caller's
	IF bad OPERATOR(pg_catalog.=) 0 THEN
		IF fast_detail IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message;
		END IF;
		RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message, DETAIL = fast_detail;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入积分 load a sheet of scores (JSON array of {member_id, month, item, points, note}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_awards(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	elem pg_catalog.jsonb;
	n pg_catalog.int8;
	v_member pg_catalog.text;
	v_month pg_catalog.date;
	v_kind pg_catalog.text;
	v_description pg_catalog.text;
	v_column pg_catalog.text;
	bad pg_catalog.int4 := 0;
	fast_state pg_catalog.text;
	fast_message pg_catalog.text;
	fast_detail pg_catalog.text;
BEGIN
	IF pg_catalog.jsonb_typeof(sheet) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'a sheet is a JSON array of rows'
			USING ERRCODE = '22023',
				  HINT = 'Give [{"member_id": …, "month": …, "kind": …}, …].';
	END IF;
	BEGIN
		INSERT INTO pointsys.award (member_id, month, kind, description)
		SELECT r.member_id, r.month, r.kind, r.description
		FROM pg_catalog.jsonb_to_recordset(sheet)
			 AS r(member_id pg_catalog.text, month pg_catalog.date, kind pg_catalog.text,
				  description pg_catalog.text);
		IF dry_run THEN
			RAISE SQLSTATE 'PZ001';		-- a good sheet: undone
		END IF;
		RETURN;
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		RETURN;
	WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS fast_state = RETURNED_SQLSTATE, fast_message = MESSAGE_TEXT,
			fast_detail = PG_EXCEPTION_DETAIL;
	END;
	BEGIN
		FOR elem, n IN SELECT e.value, e.ordinality
					   FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e LOOP
			BEGIN
				v_column := 'member_id';
				v_member := elem OPERATOR(pg_catalog.->>) 'member_id';
				v_column := 'month';
				v_month := (elem OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date;
				v_column := 'kind';
				v_kind := elem OPERATOR(pg_catalog.->>) 'kind';
				v_column := 'description';
				v_description := elem OPERATOR(pg_catalog.->>) 'description';
				v_column := NULL;
				INSERT INTO pointsys.award (member_id, month, kind, description)
				VALUES (v_member, v_month, v_kind, v_description);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, field = COLUMN_NAME,
					constraint_name = CONSTRAINT_NAME, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
				row_number := n::pg_catalog.int4;
				field := COALESCE(NULLIF(field, ''), v_column);
				constraint_name := NULLIF(constraint_name, '');
				detail := NULLIF(detail, '');
				bad := bad OPERATOR(pg_catalog.+) 1;
				RETURN NEXT;
			END;
		END LOOP;
		RAISE SQLSTATE 'PZ001';
	EXCEPTION WHEN SQLSTATE 'PZ001' THEN
		NULL;
	END;
	IF bad OPERATOR(pg_catalog.=) 0 THEN
		IF fast_detail IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message;
		END IF;
		RAISE EXCEPTION USING ERRCODE = fast_state, MESSAGE = fast_message, DETAIL = fast_detail;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入奖励 load a sheet of awards (JSON array of {member_id, month, kind, description}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

REVOKE ALL ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool)
	TO pointsys_admin, pointsys_recorder;
GRANT EXECUTE ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool)
	TO pointsys_admin, pointsys_recorder;

------------------------------------------------------------------------
-- 台账文书与结果运用 (issue 14): the changes to objects of 1.2
------------------------------------------------------------------------

ALTER TABLE @extschema@.period ADD COLUMN publicity_start pg_catalog.date;
ALTER TABLE @extschema@.period ADD COLUMN publicity_end pg_catalog.date;
COMMENT ON COLUMN @extschema@.period.publicity_start IS '公示开始 publicity started on (set when the quarter is publicized; Beijing time)';
COMMENT ON COLUMN @extschema@.period.publicity_end IS '公示结束 publicity ends at the start of this day: the quarter may be filed from this day on';

-- final is added at the end (after the columns issue 11's section re-created),
-- so that CREATE OR REPLACE VIEW keeps the others
CREATE OR REPLACE VIEW @extschema@.annual_results WITH (security_invoker = true) AS
SELECT y.member_id, m.branch_id, y.year,
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
				AND (f.q1 IS NULL OR pv.q1) AND (f.q2 IS NULL OR pv.q2)
				AND (f.q3 IS NULL OR pv.q3) AND (f.q4 IS NULL OR pv.q4), false) AS final
FROM @extschema@.member_years y
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) y.member_id
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

COMMENT ON COLUMN @extschema@.annual_results.final IS
	'定级 the grade is final: every recorded quarter verified and the democratic score recorded; false: provisional';

------------------------------------------------------------------------
-- 台账文书与结果运用 the branch's paperwork and the use of results
-- (issue 14): settings, publicity dates, rankings, the record form,
-- publicity lists, mentoring, points needed, printable sheets
------------------------------------------------------------------------

CREATE TABLE @extschema@.setting (
	name pg_catalog.text PRIMARY KEY,
	value pg_catalog.int4 NOT NULL,
	CONSTRAINT setting_known CHECK (
		(name OPERATOR(pg_catalog.=) 'publicity_days'
		 AND value OPERATOR(pg_catalog.>=) 0 AND value OPERATOR(pg_catalog.<=) 60)
		OR (name OPERATOR(pg_catalog.=) 'mentees_per_mentor'
			AND value OPERATOR(pg_catalog.>=) 1 AND value OPERATOR(pg_catalog.<=) 10))
);
COMMENT ON TABLE @extschema@.setting IS
	'局设置 the bureau''s settings (pointsys_admin); no row: the default (publicity_days 5, mentees_per_mentor 1)';
COMMENT ON COLUMN @extschema@.setting.name IS '设置项 publicity_days (公示天数, 0..60) or mentees_per_mentor (每名帮扶人帮扶人数, 1..10)';
COMMENT ON COLUMN @extschema@.setting.value IS '值 value';
COMMENT ON CONSTRAINT setting_known ON @extschema@.setting IS '设置范围 a known setting within its range';

-- 公示 the publicity dates of a quarter: set when it moves to publicized;
-- it moves to filed only once publicity has ended.  Dates are Beijing time,
-- so that a session's TimeZone cannot shorten publicity.
CREATE FUNCTION @extschema@.period_publicity() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	today pg_catalog.date := (pg_catalog.now() AT TIME ZONE 'Asia/Shanghai')::pg_catalog.date;
	days pg_catalog.int4;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.period'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('period_publicity: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NEW.status OPERATOR(pg_catalog.=) 'publicized'
	   AND (TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.status OPERATOR(pg_catalog.<>) 'publicized') THEN
		SELECT s.value INTO days FROM pointsys.setting s
		WHERE s.name OPERATOR(pg_catalog.=) 'publicity_days';
		NEW.publicity_start := today;
		NEW.publicity_end := today OPERATOR(pg_catalog.+) COALESCE(days, 5);
	ELSIF TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR NEW.status OPERATOR(pg_catalog.=) 'recording' THEN
		NEW.publicity_start := NULL;
		NEW.publicity_end := NULL;
	ELSE
		NEW.publicity_start := OLD.publicity_start;
		NEW.publicity_end := OLD.publicity_end;
		IF NEW.status OPERATOR(pg_catalog.=) 'filed' AND OLD.status OPERATOR(pg_catalog.=) 'publicized'
		   AND today OPERATOR(pg_catalog.<) OLD.publicity_end THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is still in publicity until %s',
											NEW.year, NEW.quarter, NEW.branch_id,
											OLD.publicity_end OPERATOR(pg_catalog.-) 1),
				DETAIL = pg_catalog.format('Publicity started on %s and ends at the start of %s (Beijing time).',
										   OLD.publicity_start, OLD.publicity_end),
				HINT = pg_catalog.format('File the quarter on or after %s.', OLD.publicity_end);
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.period_publicity() IS
	'公示期 stamps a quarter''s publicity dates when it is publicized; refuses filed before publicity has ended';
-- named to fire after period_check (BEFORE triggers fire in name order)
CREATE TRIGGER period_publicity BEFORE INSERT OR UPDATE ON @extschema@.period
	FOR EACH ROW EXECUTE FUNCTION @extschema@.period_publicity();
COMMENT ON TRIGGER period_publicity ON @extschema@.period IS '公示期 publicity dates; no filing before publicity ends';

-- 排名 rankings: a quarter's score, a year's total; ties share a rank
-- (1, 1, 3); vetoed years after every other year, pending years unranked
CREATE VIEW @extschema@.rankings WITH (security_invoker = true) AS
SELECT q.member_id, m.branch_id, q.year, q.quarter, q.score,
	   pg_catalog.rank() OVER (PARTITION BY m.branch_id, q.year, q.quarter ORDER BY q.score DESC) AS branch_rank,
	   pg_catalog.rank() OVER (PARTITION BY q.year, q.quarter ORDER BY q.score DESC) AS bureau_rank,
	   NULL::pg_catalog.bool AS vetoed
FROM @extschema@.quarterly_scores q
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
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
COMMENT ON VIEW @extschema@.rankings IS
	'排名 ranks in the branch and the bureau per quarter and per year; ties share a rank; vetoed years last, pending years unranked';
COMMENT ON COLUMN @extschema@.rankings.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.rankings.branch_id IS '所在支部 branch';
COMMENT ON COLUMN @extschema@.rankings.year IS '年度 year';
COMMENT ON COLUMN @extschema@.rankings.quarter IS '季度 quarter (1..4); NULL: the year';
COMMENT ON COLUMN @extschema@.rankings.score IS '积分 quarter score, or the annual total (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.branch_rank IS '支部排名 rank in the branch (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.bureau_rank IS '全局排名 rank in the bureau (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.vetoed IS '一票否决 the year is vetoed (ranked last); NULL for a quarter';

-- 积分管理记录表 the record form: one row per recorded member-month, the
-- rulebook's items in its order (the categories and items as shipped, then
-- any added ones by code)
CREATE FUNCTION @extschema@.rulebook_items() RETURNS pg_catalog.text[]
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(i.item ORDER BY
		pg_catalog.array_position(ARRAY['study', 'service', 'innovation', 'worklist', 'role']::pg_catalog.text[],
								  i.category) NULLS LAST,
		i.category,
		pg_catalog.array_position(ARRAY['study_training', 'study_notes', 'org_life', 'business_notes',
										'reflection', 'liaison', 'mass_work', 'solve_difficulties',
										'volunteer', 'innovation_recorded', 'resolve_conflicts',
										'share_innovation', 'on_time', 'exceed', 'recognized',
										'extra_duties', 'role']::pg_catalog.text[],
								  i.item) NULLS LAST,
		i.item)
	FROM @extschema@.item i;
END;
COMMENT ON FUNCTION @extschema@.rulebook_items() IS
	'细则顺序 the item codes in rulebook order: the shipped categories and items in the order of the rules, then added ones by code';

CREATE VIEW @extschema@.record_sheet WITH (security_invoker = true) AS
SELECT m.branch_id, mm.member_id, m.name, mm.month, r.items,
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
COMMENT ON VIEW @extschema@.record_sheet IS
	'党员积分管理记录表 the record form: one row per recorded member-month, each item''s points in rulebook order, the awards, the capped reward and the total';
COMMENT ON COLUMN @extschema@.record_sheet.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.record_sheet.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.record_sheet.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.record_sheet.month IS '月份 month (first day)';
COMMENT ON COLUMN @extschema@.record_sheet.items IS '积分项目 the item codes in rulebook order (the same in every row)';
COMMENT ON COLUMN @extschema@.record_sheet.points IS '各项得分 points of each item, in the order of items; NULL: no score row';
COMMENT ON COLUMN @extschema@.record_sheet.award_points IS '奖励加分 award points before the cap';
COMMENT ON COLUMN @extschema@.record_sheet.reward IS '奖励分 award points, capped';
COMMENT ON COLUMN @extschema@.record_sheet.total IS '月度积分 monthly total';

-- Who may print a branch's documents: pointsys_admin and pointsys_reader
-- every branch, a recorder their branches
CREATE FUNCTION @extschema@.check_branch_documents(branch_id pg_catalog.text) RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT (pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
			OR pg_catalog.pg_has_role('pointsys_reader', 'USAGE')
			OR (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE')
				AND pointsys.may_record_branch(check_branch_documents.branch_id))) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = pg_catalog.format('permission denied for the documents of branch "%s"',
										check_branch_documents.branch_id),
			DETAIL = 'Only pointsys_admin, pointsys_reader and the branch''s recorders may read them.';
	END IF;
	IF NOT EXISTS (SELECT FROM pointsys.branch b
				   WHERE b.branch_id OPERATOR(pg_catalog.=) check_branch_documents.branch_id) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'undefined_object',
			MESSAGE = pg_catalog.format('branch "%s" does not exist', check_branch_documents.branch_id);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_branch_documents(pg_catalog.text) IS
	'文书权限 refuses (42501) a role that may not read the branch''s documents, (42704) an unknown branch';

-- 公示 the quarter's list to post
CREATE FUNCTION @extschema@.publicity(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS TABLE (member_id pg_catalog.text, name pg_catalog.text,
				   m1 pg_catalog.numeric, m2 pg_catalog.numeric, m3 pg_catalog.numeric,
				   score pg_catalog.numeric, branch_rank pg_catalog.int8, status pg_catalog.text,
				   publicity_start pg_catalog.date, publicity_end pg_catalog.date)
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
		   p_status, p_start, p_end
	FROM pointsys.quarterly_scores q
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
	WHERE m.branch_id OPERATOR(pg_catalog.=) publicity.branch_id
	  AND q.year OPERATOR(pg_catalog.=) publicity.year
	  AND q.quarter OPERATOR(pg_catalog.=) publicity.quarter
	ORDER BY 7, 1;
END
$$;
COMMENT ON FUNCTION @extschema@.publicity(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'季度公示 a branch quarter''s list to post: the three monthly totals, the quarter score, the rank in the branch, the publicity dates; 55000 before the quarter is approved';

-- 年度公示 the year's list to post, once every democratic score is in
CREATE FUNCTION @extschema@.annual_publicity(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS TABLE (member_id pg_catalog.text, name pg_catalog.text,
				   q1 pg_catalog.numeric, q2 pg_catalog.numeric, q3 pg_catalog.numeric, q4 pg_catalog.numeric,
				   assessment pg_catalog.numeric, democratic pg_catalog.numeric, vetoed pg_catalog.bool,
				   total pg_catalog.numeric, grade @extschema@.grade, branch_rank pg_catalog.int8,
				   final pg_catalog.bool)
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
	WHERE r.branch_id OPERATOR(pg_catalog.=) annual_publicity.branch_id
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
	SELECT q.quarter INTO open_quarter
	FROM pointsys.quarterly_scores q
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) q.member_id
	LEFT JOIN pointsys.period p
		ON p.branch_id OPERATOR(pg_catalog.=) m.branch_id AND p.year OPERATOR(pg_catalog.=) q.year
	   AND p.quarter OPERATOR(pg_catalog.=) q.quarter
	WHERE m.branch_id OPERATOR(pg_catalog.=) annual_publicity.branch_id
	  AND q.year OPERATOR(pg_catalog.=) annual_publicity.year
	  AND COALESCE(p.status, 'recording') OPERATOR(pg_catalog.=) 'recording'
	ORDER BY q.quarter LIMIT 1;
	IF open_quarter IS NOT NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is not approved yet',
										annual_publicity.year, open_quarter, annual_publicity.branch_id),
			HINT = 'Every recorded quarter of the year is approved before the year''s results are posted.';
	END IF;
	RETURN QUERY
	SELECT r.member_id, m.name, r.q1, r.q2, r.q3, r.q4, r.assessment, r.democratic, r.vetoed,
		   r.total, r.grade, k.branch_rank, r.final
	FROM pointsys.annual_results r
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) r.member_id
	JOIN pointsys.rankings k
		ON k.member_id OPERATOR(pg_catalog.=) r.member_id AND k.year OPERATOR(pg_catalog.=) r.year
	   AND k.quarter IS NULL
	WHERE r.branch_id OPERATOR(pg_catalog.=) annual_publicity.branch_id
	  AND r.year OPERATOR(pg_catalog.=) annual_publicity.year
	ORDER BY k.branch_rank, r.member_id;
END
$$;
COMMENT ON FUNCTION @extschema@.annual_publicity(pg_catalog.text, pg_catalog.int4) IS
	'年度公示 a branch year''s results to post, ranked; 55000 while a democratic score is missing or a recorded quarter is not approved';

-- 一对一帮扶 mentoring of 不合格 member-years
CREATE TABLE @extschema@.mentoring (
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	year pg_catalog.int4 NOT NULL,
	mentor_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	assigned_on pg_catalog.date NOT NULL DEFAULT CURRENT_DATE,
	ended_on pg_catalog.date,
	note pg_catalog.text,
	recorded_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	recorded_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT mentoring_pkey PRIMARY KEY (member_id, year),
	CONSTRAINT mentoring_ended_after_assigned CHECK (ended_on OPERATOR(pg_catalog.>=) assigned_on)
);
CREATE INDEX mentoring_mentor_idx ON @extschema@.mentoring (mentor_id, year);
COMMENT ON TABLE @extschema@.mentoring IS '一对一帮扶 the mentor assigned to each 不合格 member-year';
COMMENT ON COLUMN @extschema@.mentoring.member_id IS '帮扶对象 the member graded 不合格';
COMMENT ON COLUMN @extschema@.mentoring.year IS '年度 the year graded 不合格';
COMMENT ON COLUMN @extschema@.mentoring.mentor_id IS '帮扶人 the mentor: a member of the party that year, not 不合格 that year';
COMMENT ON COLUMN @extschema@.mentoring.assigned_on IS '确定日期 assigned on';
COMMENT ON COLUMN @extschema@.mentoring.ended_on IS '结束日期 mentoring ended on; NULL: under way';
COMMENT ON COLUMN @extschema@.mentoring.note IS '备注 note';
COMMENT ON COLUMN @extschema@.mentoring.recorded_by IS '记录人 the role that wrote the row';
COMMENT ON COLUMN @extschema@.mentoring.recorded_at IS '记录时间 when the row was written';
COMMENT ON INDEX @extschema@.mentoring_pkey IS '帮扶主键 one mentoring per member-year';
COMMENT ON INDEX @extschema@.mentoring_mentor_idx IS '帮扶人 mentees of a mentor in a year';
COMMENT ON CONSTRAINT mentoring_ended_after_assigned ON @extschema@.mentoring IS '帮扶期间 ended on or after it was assigned';

-- Who writes, first, as the writer: a recorder's row for a member outside
-- their branches fails with row security's own error before any rule is
-- checked (the rules would tell about another branch); then the stamps.
CREATE FUNCTION @extschema@.mentoring_access() RETURNS trigger
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
				AND COALESCE(pointsys.may_record(NEW.member_id), false)) THEN
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
	'帮扶权限 row security first (42501 for a member outside the recorder''s branches); stamps recorded_by and recorded_at';
-- named to fire before mentoring_check (BEFORE triggers fire in name order)
CREATE TRIGGER mentoring_access BEFORE INSERT OR UPDATE ON @extschema@.mentoring
	FOR EACH ROW EXECUTE FUNCTION @extschema@.mentoring_access();
COMMENT ON TRIGGER mentoring_access ON @extschema@.mentoring IS '帮扶权限 row security first; the stamps';

-- The rules, as the owner: they read grades and mentors of every branch.
-- Checked on INSERT and when member, year or mentor change.
CREATE FUNCTION @extschema@.mentoring_check() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	member_grade pointsys.grade;
	mentor pointsys.member;
	mentor_grade pointsys.grade;
	limit_mentees pg_catalog.int4;
	mentees pg_catalog.int8;
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.mentoring'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('mentoring_check: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NEW.member_id IS NULL OR NEW.year IS NULL OR NEW.mentor_id IS NULL THEN
		RETURN NEW;				-- for NOT NULL to refuse
	END IF;
	-- an end or a note changes no rule: the rules held when assigned
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
	   AND (NEW.member_id, NEW.year, NEW.mentor_id) IS NOT DISTINCT FROM (OLD.member_id, OLD.year, OLD.mentor_id) THEN
		RETURN NEW;
	END IF;
	IF NOT EXISTS (SELECT FROM pointsys.member m
				   WHERE m.member_id OPERATOR(pg_catalog.=) NEW.member_id) THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	SELECT r.grade INTO member_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.member_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF member_grade IS NULL OR member_grade OPERATOR(pointsys.<>) 'unqualified'::pointsys.grade THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('member "%s" is not graded 不合格 for %s',
										NEW.member_id, NEW.year),
			DETAIL = pg_catalog.format('The %s grade is %s.', NEW.year,
									   COALESCE(member_grade::pg_catalog.text, 'pending')),
			HINT = 'Mentors are assigned to members graded 不合格 (unqualified) only.';
	END IF;
	IF NEW.mentor_id OPERATOR(pg_catalog.=) NEW.member_id THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('member "%s" cannot mentor themself', NEW.member_id);
	END IF;
	SELECT * INTO mentor FROM pointsys.member m
	WHERE m.member_id OPERATOR(pg_catalog.=) NEW.mentor_id;
	IF NOT FOUND THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	IF mentor.joined_on OPERATOR(pg_catalog.>) pg_catalog.make_date(NEW.year, 12, 31)
	   OR mentor.left_on OPERATOR(pg_catalog.<) pg_catalog.make_date(NEW.year, 1, 1) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('mentor "%s" was not a member of the party in %s',
										NEW.mentor_id, NEW.year),
			DETAIL = pg_catalog.format('Joined on %s, left on %s.',
									   COALESCE(mentor.joined_on::pg_catalog.text, '-'),
									   COALESCE(mentor.left_on::pg_catalog.text, '-'));
	END IF;
	SELECT r.grade INTO mentor_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF mentor_grade OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('mentor "%s" is graded 不合格 for %s',
										NEW.mentor_id, NEW.year),
			HINT = 'Choose a mentor who is not 不合格 that year.';
	END IF;
	SELECT s.value INTO limit_mentees FROM pointsys.setting s
	WHERE s.name OPERATOR(pg_catalog.=) 'mentees_per_mentor';
	limit_mentees := COALESCE(limit_mentees, 1);
	-- one assignment of this mentor and year at a time (a transaction lock,
	-- on no row); the count below then sees the other's committed row under
	-- READ COMMITTED
	PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pointsys.mentoring'),
											 pg_catalog.hashtext(NEW.mentor_id OPERATOR(pg_catalog.||) '/'
																 OPERATOR(pg_catalog.||) NEW.year::pg_catalog.text));
	SELECT pg_catalog.count(*) INTO mentees FROM pointsys.mentoring t
	WHERE t.mentor_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND t.member_id OPERATOR(pg_catalog.<>) NEW.member_id;
	IF mentees OPERATOR(pg_catalog.>=) limit_mentees THEN
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = pg_catalog.format('mentor "%s" already has %s mentee(s) in %s',
										NEW.mentor_id, mentees, NEW.year),
			DETAIL = pg_catalog.format('The limit is %s (pointsys.setting mentees_per_mentor).', limit_mentees);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_check() IS
	'帮扶规则 a 不合格 member-year; the mentor a member that year, not the member, not 不合格, within mentees_per_mentor';
CREATE TRIGGER mentoring_check BEFORE INSERT OR UPDATE ON @extschema@.mentoring
	FOR EACH ROW EXECUTE FUNCTION @extschema@.mentoring_check();
COMMENT ON TRIGGER mentoring_check ON @extschema@.mentoring IS '帮扶规则 mentoring rules';

CREATE VIEW @extschema@.mentoring_due WITH (security_invoker = true) AS
SELECT r.member_id, r.branch_id, r.year, r.total, r.vetoed, r.final
FROM @extschema@.annual_results r
WHERE r.grade OPERATOR(@extschema@.=) 'unqualified'::@extschema@.grade
  AND NOT EXISTS (SELECT FROM @extschema@.mentoring t
				  WHERE t.member_id OPERATOR(pg_catalog.=) r.member_id
					AND t.year OPERATOR(pg_catalog.=) r.year);
COMMENT ON VIEW @extschema@.mentoring_due IS '待帮扶 不合格 member-years without a mentor';
COMMENT ON COLUMN @extschema@.mentoring_due.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.mentoring_due.branch_id IS '所在支部 branch';
COMMENT ON COLUMN @extschema@.mentoring_due.year IS '年度 year';
COMMENT ON COLUMN @extschema@.mentoring_due.total IS '年度积分 annual total';
COMMENT ON COLUMN @extschema@.mentoring_due.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.mentoring_due.final IS '定级 the grade is final';

-- 对标找差 points needed
CREATE FUNCTION @extschema@.projected_grade(months pg_catalog.date[], totals pg_catalog.numeric[],
											open_months pg_catalog.date[], fill pg_catalog.numeric,
											democratic pg_catalog.numeric)
	RETURNS @extschema@.grade
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.annual_grade(@extschema@.annual_assessment(t.month, t.total), projected_grade.democratic, false)
	FROM (SELECT u.month, u.total
		  FROM ROWS FROM (pg_catalog.unnest(projected_grade.months), pg_catalog.unnest(projected_grade.totals)) AS u(month, total)
		  UNION ALL
		  SELECT o.month, projected_grade.fill
		  FROM pg_catalog.unnest(projected_grade.open_months) AS o(month)) t;
END;
COMMENT ON FUNCTION @extschema@.projected_grade(pg_catalog.date[], pg_catalog.numeric[], pg_catalog.date[], pg_catalog.numeric, pg_catalog.numeric) IS
	'预计格次 the grade of a year whose recorded months have these totals and whose open months all score fill (not vetoed)';

CREATE FUNCTION @extschema@.points_needed(member_id pg_catalog.text, year pg_catalog.int4,
										  democratic pg_catalog.numeric DEFAULT NULL)
	RETURNS TABLE (grade @extschema@.grade, monthly_total pg_catalog.numeric, status pg_catalog.text)
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	who pointsys.member;
	dem pg_catalog.numeric := points_needed.democratic;
	recorded pg_catalog.date[];
	recorded_totals pg_catalog.numeric[];
	open_months pg_catalog.date[];
	top pg_catalog.numeric;
	vetoed pg_catalog.bool;
	target pointsys.grade;
	lo pg_catalog.numeric;
	hi pg_catalog.numeric;
	mid pg_catalog.numeric;
BEGIN
	-- the veto reads the member's sanctions, which recorders may not read
	IF NOT (pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
			OR pg_catalog.pg_has_role('pointsys_reader', 'USAGE')) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = 'permission denied for function points_needed',
			DETAIL = 'It reads the veto (sanctions): pointsys_admin and pointsys_reader may call it.';
	END IF;
	SELECT * INTO who FROM pointsys.member m WHERE m.member_id OPERATOR(pg_catalog.=) points_needed.member_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'undefined_object',
			MESSAGE = pg_catalog.format('member "%s" does not exist', points_needed.member_id);
	END IF;
	PERFORM pointsys.quarter_start(points_needed.year, 1);
	IF dem IS NULL THEN
		SELECT e.democratic INTO dem FROM pointsys.evaluation e
		WHERE e.member_id OPERATOR(pg_catalog.=) points_needed.member_id
		  AND e.year OPERATOR(pg_catalog.=) points_needed.year;
		IF dem IS NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'null_value_not_allowed',
				MESSAGE = pg_catalog.format('member "%s" has no democratic score for %s',
											points_needed.member_id, points_needed.year),
				HINT = 'Pass an assumed democratic score: pointsys.points_needed(member_id, year, democratic).';
		END IF;
	END IF;
	IF dem OPERATOR(pg_catalog.<) 0 OR dem OPERATOR(pg_catalog.>) 100 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'numeric_value_out_of_range',
			MESSAGE = pg_catalog.format('democratic score %s is out of range for member "%s"', dem, points_needed.member_id),
			DETAIL = 'A democratic score is from 0 to 100.';
	END IF;
	SELECT pg_catalog.array_agg(t.month ORDER BY t.month), pg_catalog.array_agg(t.total ORDER BY t.month)
	INTO recorded, recorded_totals
	FROM pointsys.monthly_scores t
	WHERE t.member_id OPERATOR(pg_catalog.=) points_needed.member_id
	  AND pointsys.year_of(t.month) OPERATOR(pg_catalog.=) points_needed.year;
	-- the months of the year the member belongs to the party, not recorded
	SELECT pg_catalog.array_agg(d.month ORDER BY d.month) INTO open_months
	FROM (SELECT pg_catalog.make_date(points_needed.year, mo, 1) AS month
		  FROM pg_catalog.generate_series(1, 12) AS mo) d
	WHERE (who.joined_on IS NULL
		   OR who.joined_on OPERATOR(pg_catalog.<) (d.month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval))
	  AND (who.left_on IS NULL OR who.left_on OPERATOR(pg_catalog.>=) d.month)
	  AND d.month OPERATOR(pg_catalog.<>) ALL (COALESCE(recorded, '{}'));
	vetoed := pointsys.is_vetoed(points_needed.member_id, points_needed.year);
	-- the highest monthly total the rulebook allows
	SELECT COALESCE(pg_catalog.sum(LEAST(c.cap, COALESCE(i.most, 0))), 0) INTO top
	FROM pointsys.category c
	LEFT JOIN (SELECT i.category, pg_catalog.sum(i.max_points) AS most
			   FROM pointsys.item i GROUP BY i.category) i
		ON i.category OPERATOR(pg_catalog.=) c.category
	WHERE c.category OPERATOR(pg_catalog.<>) 'reward';
	top := top OPERATOR(pg_catalog.+)
		   (SELECT c.cap FROM pointsys.category c WHERE c.category OPERATOR(pg_catalog.=) 'reward');

	FOREACH target IN ARRAY ARRAY['excellent', 'good', 'qualified', 'unqualified']::pointsys.grade[] LOOP
		grade := target;
		IF target OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
			monthly_total := 0.00;
			status := 'secured';
		ELSIF vetoed THEN
			monthly_total := NULL;
			status := 'out_of_reach';
		ELSIF pointsys.projected_grade(recorded, recorded_totals, open_months, 0::pg_catalog.numeric, dem)
			  OPERATOR(pointsys.>=) target THEN
			monthly_total := 0.00;
			status := 'secured';
		ELSIF COALESCE(pg_catalog.cardinality(open_months), 0) OPERATOR(pg_catalog.=) 0
			  OR pointsys.projected_grade(recorded, recorded_totals, open_months, top, dem)
				 OPERATOR(pointsys.<) target THEN
			monthly_total := NULL;
			status := 'out_of_reach';
		ELSE
			-- the lowest total to 0.01 that reaches target: lo fails, hi reaches
			lo := 0;
			hi := top;
			WHILE hi OPERATOR(pg_catalog.-) lo OPERATOR(pg_catalog.>) 0.01 LOOP
				mid := pg_catalog.round((lo OPERATOR(pg_catalog.+) hi) OPERATOR(pg_catalog./) 2, 2);
				IF pointsys.projected_grade(recorded, recorded_totals, open_months, mid, dem)
				   OPERATOR(pointsys.>=) target THEN
					hi := mid;
				ELSE
					lo := mid;
				END IF;
			END LOOP;
			monthly_total := pg_catalog.round(hi, 2);
			status := 'needed';
		END IF;
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.points_needed(pg_catalog.text, pg_catalog.int4, pg_catalog.numeric) IS
	'对标找差 per grade: the lowest monthly total that, recorded in every month not yet recorded, reaches it (needed), or secured, or out_of_reach; democratic NULL: the recorded one';

-- 打印 printable sheets: standalone HTML pages, A4, Chinese
CREATE FUNCTION @extschema@.html_escape(pg_catalog.text) RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
	$1, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION @extschema@.html_escape(pg_catalog.text) IS '转义 text escaped for HTML (& < > " '')';

CREATE FUNCTION @extschema@.html_page(title pg_catalog.text, landscape pg_catalog.bool, body pg_catalog.text)
	RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '<!DOCTYPE html>' || E'\n' || '<html lang="zh-CN"><head><meta charset="utf-8"><title>'
	|| @extschema@.html_escape(title) || '</title><style>'
	|| '@page{size:A4' || CASE WHEN landscape THEN ' landscape' ELSE '' END || ';margin:12mm}'
	|| 'body{font-family:"Noto Sans CJK SC","Noto Serif CJK SC","Source Han Sans SC","SimSun",sans-serif;font-size:9pt;margin:0}'
	|| 'h1{font-size:15pt;text-align:center;margin:0 0 3mm}'
	|| 'p.meta{margin:0 0 3mm}'
	|| 'table{border-collapse:collapse;width:100%}'
	|| 'th,td{border:0.5pt solid #000;padding:1mm;text-align:center}'
	|| 'thead{display:table-header-group}tr{page-break-inside:avoid}'
	|| 'th.item{font-size:7pt;font-weight:normal}td.nw,th.nw{white-space:nowrap}'
	|| 'p.sign{margin-top:6mm}td.sign{border:none;text-align:left;padding-top:4mm}tfoot{display:table-footer-group}'
	|| '</style></head><body>' || E'\n' || body || E'\n</body></html>\n';
COMMENT ON FUNCTION @extschema@.html_page(pg_catalog.text, pg_catalog.bool, pg_catalog.text) IS
	'打印页面 a standalone A4 HTML page around an (escaped) body';

CREATE FUNCTION @extschema@.record_sheet_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	first_month pg_catalog.date;
	branch_name pg_catalog.text;
	head pg_catalog.text;
	rows pg_catalog.text;
	n pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_branch_documents(record_sheet_html.branch_id);
	first_month := pointsys.quarter_start(record_sheet_html.year, record_sheet_html.quarter);
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) record_sheet_html.branch_id;
	SELECT pg_catalog.string_agg('<th class="item">' || pointsys.html_escape(i.title) || '</th>', '' ORDER BY u.n),
		   pg_catalog.count(*)
	INTO head, n
	FROM pg_catalog.unnest(pointsys.rulebook_items()) WITH ORDINALITY AS u(item, n)
	JOIN pointsys.item i ON i.item OPERATOR(pg_catalog.=) u.item;
	SELECT pg_catalog.string_agg(
			'<tr><td class="nw">' || pointsys.html_escape(r.name) || '</td><td class="nw">'
			|| pg_catalog.to_char(r.month, 'FMMM') || '月</td>'
			|| (SELECT pg_catalog.string_agg('<td>' || COALESCE(pg_catalog.trim_scale(p.points)::pg_catalog.text, '')
											 || '</td>', '' ORDER BY p.n)
				FROM pg_catalog.unnest(r.points) WITH ORDINALITY AS p(points, n))
			|| '<td>' || pg_catalog.trim_scale(r.reward) || '</td><td><b>' || pg_catalog.trim_scale(r.total)
			|| '</b></td></tr>',
			E'\n' ORDER BY r.member_id, r.month)
	INTO rows
	FROM pointsys.record_sheet r
	WHERE r.branch_id OPERATOR(pg_catalog.=) record_sheet_html.branch_id
	  AND r.month OPERATOR(pg_catalog.>=) first_month
	  AND r.month OPERATOR(pg_catalog.<) (first_month OPERATOR(pg_catalog.+) '3 months'::pg_catalog.interval);
	RETURN pointsys.html_page(
		pg_catalog.format('党员积分管理记录表 %s %s年第%s季度', branch_name, record_sheet_html.year, record_sheet_html.quarter),
		true,
		'<h1>党员积分管理记录表</h1>'
		|| pg_catalog.format('<p class="meta">支部：%s　　%s年第%s季度</p>',
							 pointsys.html_escape(branch_name), record_sheet_html.year, record_sheet_html.quarter)
		|| '<table><thead><tr><th class="nw">姓名</th><th class="nw">月份</th>' || COALESCE(head, '')
		|| '<th>奖励分</th><th>月度积分</th></tr></thead>'
		-- the signatures in the footer: Chromium and browsers repeat it on every page
		|| pg_catalog.format('<tfoot><tr><td class="sign" colspan="%s">记录员（签字）：　　　　　　　　'
							 '支部书记（签字）：　　　　　　　　日期：</td></tr></tfoot><tbody>',
							 n OPERATOR(pg_catalog.+) 4) || E'\n'
		|| COALESCE(rows, pg_catalog.format('<tr><td colspan="%s">本季度尚无记录</td></tr>', n OPERATOR(pg_catalog.+) 4))
		|| E'\n</tbody></table>');
END
$$;
COMMENT ON FUNCTION @extschema@.record_sheet_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分管理记录表（打印） the record form of a branch quarter as a standalone A4 HTML page';

CREATE FUNCTION @extschema@.publicity_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
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
			'<tr><td>' || p.branch_rank || '</td><td class="nw">' || pointsys.html_escape(p.name) || '</td><td>'
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

-- audit, row security, privileges of the paperwork
CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.mentoring
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.mentoring
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.mentoring
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.mentoring
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.mentoring IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.mentoring IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.mentoring IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.mentoring IS '审计 audit trail of truncation';

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.setting
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.setting
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.setting
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.setting
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.setting IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.setting IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.setting IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.setting IS '审计 audit trail of truncation';

ALTER TABLE @extschema@.mentoring ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.mentoring TO pointsys_admin USING (true) WITH CHECK (true);
CREATE POLICY reader_all ON @extschema@.mentoring FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.mentoring TO pointsys_recorder
	USING (@extschema@.may_record(member_id)) WITH CHECK (@extschema@.may_record(member_id));
COMMENT ON POLICY admin_all ON @extschema@.mentoring IS '局党组 pointsys_admin sees and writes every branch';
COMMENT ON POLICY reader_all ON @extschema@.mentoring IS '报表工具 pointsys_reader reads every branch';
COMMENT ON POLICY recorder_branch ON @extschema@.mentoring IS '记录员 mentoring of members of the recorder''s branches';

GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.setting, @extschema@.mentoring TO pointsys_admin;
GRANT SELECT ON @extschema@.rankings, @extschema@.record_sheet, @extschema@.mentoring_due TO pointsys_admin;
GRANT SELECT ON @extschema@.setting, @extschema@.mentoring, @extschema@.rankings, @extschema@.record_sheet,
	@extschema@.mentoring_due TO pointsys_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.mentoring TO pointsys_recorder;
GRANT SELECT ON @extschema@.setting, @extschema@.record_sheet TO pointsys_recorder;

REVOKE EXECUTE ON FUNCTION
	@extschema@.period_publicity(),
	@extschema@.mentoring_access(),
	@extschema@.mentoring_check()
FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('pointsys.setting', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.mentoring', '');
