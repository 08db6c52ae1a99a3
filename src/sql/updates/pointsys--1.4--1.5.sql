/* pointsys--1.4--1.5.sql: release 1.5 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.5'" to load this file. \quit

------------------------------------------------------------------------
-- 触发器检查 one check of where a PL/pgSQL trigger function fires, for all
-- of them (issue 23's repeats)
------------------------------------------------------------------------
-- A trigger function of pointsys's own fired where it does not belong (a
-- superuser's CREATE TRIGGER on another table, time or event): a clean
-- 39P01, as trigger_check() gives the C triggers.  Each PL/pgSQL trigger
-- function calls it first with its TG_ variables and what it is for.
CREATE FUNCTION @extschema@.check_firing(fn pg_catalog.text, relid pg_catalog.oid, table_name pg_catalog.name,
										 fired_when pg_catalog.text, fired_level pg_catalog.text,
										 fired_op pg_catalog.text, own_table pg_catalog.regclass,
										 own_when pg_catalog.text, own_ops pg_catalog.text[])
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF relid OPERATOR(pg_catalog.<>) own_table::pg_catalog.oid OR fired_when OPERATOR(pg_catalog.<>) own_when
	   OR fired_level OPERATOR(pg_catalog.<>) 'ROW' OR NOT fired_op OPERATOR(pg_catalog.=) ANY (own_ops) THEN
		PERFORM pointsys.refuse('39P01', '%s: cannot fire %s on table "%s"', NULL, NULL,
								fn, pg_catalog.concat_ws(' ', fired_when, fired_op, 'FOR EACH', fired_level), table_name);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_firing(pg_catalog.text, pg_catalog.oid, pg_catalog.name, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.regclass, pg_catalog.text, pg_catalog.text[]) IS
	'触发器检查 refuses (39P01) a trigger function of pointsys fired on another table, time, level or event than its own';

------------------------------------------------------------------------
-- 组织关系转接 a change of membership checked for the statement as a whole
-- (issue 22): the branch of every recorded month before the statement
-- against its branch after it, whatever the statement's shape
------------------------------------------------------------------------

-- The rules of one member's change, given the history before the
-- statement (membership.c reads it with the statement's own snapshot)
CREATE FUNCTION @extschema@.membership_check(member_id pg_catalog.text, current_branch pg_catalog.text,
											 before_since pg_catalog.date[], before_branch pg_catalog.text[])
	RETURNS pg_catalog.text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	latest pg_catalog.text;
	moved record;
	closed_branch pg_catalog.text;
	closed_status pg_catalog.text;
BEGIN
	SELECT s.branch_id INTO latest FROM pointsys.membership s
	WHERE s.member_id OPERATOR(pg_catalog.=) membership_check.member_id
	ORDER BY s.since DESC LIMIT 1;
	IF latest IS NULL THEN
		PERFORM pointsys.refuse('23001', 'member "%s" must keep a membership row',
								'This would leave member "%s" without a membership row (the latest was branch "%s" since %s).',
								'A member always belongs to a branch; delete the member to delete the history.',
								membership_check.member_id,
								before_branch[pg_catalog.array_upper(before_branch, 1)],
								pg_catalog.to_char(before_since[pg_catalog.array_upper(before_since, 1)], 'YYYY-MM'));
	END IF;
	-- the months recorded for the member whose branch the statement changes
	FOR moved IN
		WITH after_rows AS (
			SELECT s.since, s.branch_id FROM pointsys.membership s
			WHERE s.member_id OPERATOR(pg_catalog.=) membership_check.member_id),
		before_rows AS (
			SELECT r.since, r.branch_id
			FROM ROWS FROM (pg_catalog.unnest(before_since), pg_catalog.unnest(before_branch)) AS r(since, branch_id))
		SELECT t.month, t.old_branch, t.new_branch
		FROM (SELECT mm.month,
					 COALESCE((SELECT r.branch_id FROM before_rows r WHERE r.since OPERATOR(pg_catalog.<=) mm.month
							   ORDER BY r.since DESC LIMIT 1),
							  (SELECT r.branch_id FROM before_rows r ORDER BY r.since LIMIT 1),
							  current_branch) AS old_branch,
					 COALESCE((SELECT r.branch_id FROM after_rows r WHERE r.since OPERATOR(pg_catalog.<=) mm.month
							   ORDER BY r.since DESC LIMIT 1),
							  (SELECT r.branch_id FROM after_rows r ORDER BY r.since LIMIT 1)) AS new_branch
			  FROM pointsys.member_month mm
			  WHERE mm.member_id OPERATOR(pg_catalog.=) membership_check.member_id) t
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
			PERFORM pointsys.refuse('55000', CASE closed_status
												 WHEN 'approved' THEN 'quarter %s-Q%s of branch "%s" is approved'
												 WHEN 'publicized' THEN 'quarter %s-Q%s of branch "%s" is publicized'
												 WHEN 'filed' THEN 'quarter %s-Q%s of branch "%s" is filed'
												 WHEN 'verified' THEN 'quarter %s-Q%s of branch "%s" is verified'
												 ELSE 'quarter %s-Q%s of branch "%s" is not recording' END,
									'The month is %4$s: member "%5$s" has scores or awards in it, and this change of membership moves it from branch "%6$s" to branch "%7$s".',
									'A month moves between branches only while its quarter is recording in both; pointsys.reopen() takes it back.',
									pointsys.year_of(moved.month)::pg_catalog.text,
									pointsys.quarter_of(moved.month)::pg_catalog.text, closed_branch,
									pg_catalog.to_char(moved.month, 'YYYY-MM'), membership_check.member_id,
									moved.old_branch, moved.new_branch);
		END IF;
	END LOOP;
	RETURN latest;
END
$$;
COMMENT ON FUNCTION @extschema@.membership_check(pg_catalog.text, pg_catalog.text, pg_catalog.date[], pg_catalog.text[]) IS
	'组织关系规则 a member keeps a membership row; months with scores or awards move between branches only while recording in both (the history before the statement given); returns the latest branch';
REVOKE EXECUTE ON FUNCTION
	@extschema@.membership_check(pg_catalog.text, pg_catalog.text, pg_catalog.date[], pg_catalog.text[])
FROM PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.membership_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'membership_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.membership_changed() IS
	'组织关系 each changed member''s history before the statement against after it (membership_check, as the owner); member.branch_id follows the latest row, written as the writer';

-- The membership rows of a new member or of a change of member.branch_id
-- are the writer's own (pointsys_admin's): written as her, audited as hers
ALTER FUNCTION @extschema@.member_membership() SECURITY INVOKER;

------------------------------------------------------------------------
-- 一对一帮扶 mentoring refusals tell a writer only what she may read; the
-- turns of one mentor's assignments are a row of pointsys's own (issue 22)
------------------------------------------------------------------------

CREATE TABLE @extschema@.mentor_turn (
	mentor_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	turns pg_catalog.int8 NOT NULL DEFAULT 1,
	CONSTRAINT mentor_turn_pkey PRIMARY KEY (mentor_id, year)
);
COMMENT ON TABLE @extschema@.mentor_turn IS
	'帮扶轮次 one row per mentor-year, updated by each assignment of that mentor: assignments of one mentor and year take turns on it (no grants: only pointsys''s trigger locks it)';
COMMENT ON COLUMN @extschema@.mentor_turn.mentor_id IS '帮扶人 the mentor';
COMMENT ON COLUMN @extschema@.mentor_turn.year IS '年度 year';
COMMENT ON COLUMN @extschema@.mentor_turn.turns IS '次数 assignments checked so far';
COMMENT ON INDEX @extschema@.mentor_turn_pkey IS '帮扶轮次主键 one row per mentor-year';

CREATE OR REPLACE FUNCTION @extschema@.mentoring_access() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pointsys.check_firing('mentoring_access', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.mentoring', 'BEFORE', '{INSERT,UPDATE}');
	IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE') THEN
		IF NOT (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE')
				AND EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
							WHERE pointsys.may_record(NEW.member_id, pg_catalog.make_date(NEW.year, g.n, 1)))) THEN
			PERFORM pointsys.refuse('42501', 'new row violates row-level security policy for table "%s"',
									'The row sent: member "%2$s", %3$s, mentor "%4$s".',
									'A recorder writes for the members of her branches, in the months they belong to them.',
									'mentoring', NEW.member_id, NEW.year::pg_catalog.text, NEW.mentor_id);
		END IF;
		-- a recorder's mentor is of her branches that year: nothing of
		-- another branch's members is looked at, nor locked by the
		-- foreign key, for her
		IF NEW.mentor_id IS NOT NULL
		   AND (TG_OP OPERATOR(pg_catalog.=) 'INSERT'
				OR (NEW.mentor_id, NEW.year) IS DISTINCT FROM (OLD.mentor_id, OLD.year))
		   AND NOT EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
						   WHERE pointsys.may_record(NEW.mentor_id, pg_catalog.make_date(NEW.year, g.n, 1))) THEN
			PERFORM pointsys.refuse('42501', 'mentor "%s" is not a member of your branches in %s', NULL,
									'A recorder names a mentor from her own branches; pointsys_admin assigns mentors from other branches.',
									NEW.mentor_id, NEW.year::pg_catalog.text);
		END IF;
	END IF;
	NEW.recorded_by := CURRENT_USER;
	NEW.recorded_at := pg_catalog.now();
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_access() IS
	'帮扶权限 row security first (42501 for a member, or a recorder''s mentor, outside the recorder''s branches that year); stamps recorded_by and recorded_at';

CREATE OR REPLACE FUNCTION @extschema@.mentoring_check() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	member_grade pointsys.grade;
	mentor pointsys.member;
	mentor_grade pointsys.grade;
	limit_mentees pg_catalog.int4;
	mentees pg_catalog.int8;
	-- may the writer (stamped by mentoring_access, which fired first) read
	-- grades and every branch's mentoring?  Then the refusals explain.
	may_read pg_catalog.bool;
BEGIN
	PERFORM pointsys.check_firing('mentoring_check', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.mentoring', 'BEFORE', '{INSERT,UPDATE}');
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
	may_read := pg_catalog.has_table_privilege(NEW.recorded_by, 'pointsys.annual_results', 'SELECT');
	SELECT r.grade INTO member_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.member_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF member_grade IS NULL OR member_grade OPERATOR(pointsys.<>) 'unqualified'::pointsys.grade THEN
		IF may_read THEN
			PERFORM pointsys.refuse('55000', 'member "%s" is not graded 不合格 for %s',
									CASE WHEN member_grade IS NULL THEN 'The %2$s grade is pending.'
										 ELSE 'The %2$s grade is %3$s.' END,
									'Mentors are assigned to members graded 不合格 (unqualified) only.',
									NEW.member_id, NEW.year::pg_catalog.text, member_grade::pg_catalog.text);
		END IF;
		PERFORM pointsys.refuse('55000', 'member "%s" is not graded 不合格 for %s', NULL,
								'Mentors are assigned to members graded 不合格 (unqualified) only.',
								NEW.member_id, NEW.year::pg_catalog.text);
	END IF;
	IF NEW.mentor_id OPERATOR(pg_catalog.=) NEW.member_id THEN
		PERFORM pointsys.refuse('23514', 'member "%s" cannot mentor themself', NULL, NULL, NEW.member_id);
	END IF;
	SELECT * INTO mentor FROM pointsys.member m
	WHERE m.member_id OPERATOR(pg_catalog.=) NEW.mentor_id;
	IF NOT FOUND THEN
		RETURN NEW;				-- for the foreign key to refuse
	END IF;
	-- (a recorder's mentor is of her branches: she may read these dates)
	IF mentor.joined_on OPERATOR(pg_catalog.>) pg_catalog.make_date(NEW.year, 12, 31)
	   OR mentor.left_on OPERATOR(pg_catalog.<) pg_catalog.make_date(NEW.year, 1, 1) THEN
		PERFORM pointsys.refuse('23514', 'mentor "%s" was not a member of the party in %s',
								'Joined on %3$s, left on %4$s.', NULL,
								NEW.mentor_id, NEW.year::pg_catalog.text,
								COALESCE(mentor.joined_on::pg_catalog.text, '-'),
								COALESCE(mentor.left_on::pg_catalog.text, '-'));
	END IF;
	SELECT r.grade INTO mentor_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF mentor_grade OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
		PERFORM pointsys.refuse('23514', CASE WHEN may_read THEN 'mentor "%s" is graded 不合格 for %s'
											  ELSE 'mentor "%s" cannot mentor in %s' END,
								NULL, 'Choose a mentor who is not 不合格 that year.',
								NEW.mentor_id, NEW.year::pg_catalog.text);
	END IF;
	SELECT s.value INTO limit_mentees FROM pointsys.setting s
	WHERE s.name OPERATOR(pg_catalog.=) 'mentees_per_mentor';
	limit_mentees := COALESCE(limit_mentees, 1);
	-- one assignment of this mentor and year at a time: the row of
	-- mentor_turn, which only this trigger writes (an update, so that a
	-- REPEATABLE READ transaction that raced another gets 40001); the count
	-- below then sees the other's committed row under READ COMMITTED
	INSERT INTO pointsys.mentor_turn AS t (mentor_id, year) VALUES (NEW.mentor_id, NEW.year)
	ON CONFLICT ON CONSTRAINT mentor_turn_pkey DO UPDATE SET turns = t.turns OPERATOR(pg_catalog.+) 1;
	SELECT pg_catalog.count(*) INTO mentees FROM pointsys.mentoring t
	WHERE t.mentor_id OPERATOR(pg_catalog.=) NEW.mentor_id
	  AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND t.member_id OPERATOR(pg_catalog.<>) NEW.member_id;
	IF mentees OPERATOR(pg_catalog.>=) limit_mentees THEN
		PERFORM pointsys.refuse('23514', CASE WHEN may_read THEN 'mentor "%1$s" already has %3$s mentee(s) in %2$s'
											  ELSE 'mentor "%s" has no room for another mentee in %s' END,
								'The limit is %4$s (pointsys.setting mentees_per_mentor).', NULL,
								NEW.mentor_id, NEW.year::pg_catalog.text, mentees::pg_catalog.text,
								limit_mentees::pg_catalog.text);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.mentoring_check() IS
	'帮扶规则 a 不合格 member-year; the mentor a member that year, not the member, not 不合格, within mentees_per_mentor; a writer who may not read grades is told no grade and no other branch''s count';

------------------------------------------------------------------------
-- 文字长度 free text bounded (issue 22): notes and descriptions 500
-- characters, names and titles 100; 22001 before the row and its audit
-- row are written.  Longer values already stored are kept: the limit
-- applies to a value written or changed.
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

COMMENT ON COLUMN @extschema@.score.note IS '备注 note, at most 500 characters';
COMMENT ON COLUMN @extschema@.award.description IS '事由 description, at most 500 characters';
COMMENT ON COLUMN @extschema@.sanction.note IS '备注 note, at most 500 characters';
COMMENT ON COLUMN @extschema@.mentoring.note IS '备注 note, at most 500 characters';
COMMENT ON COLUMN @extschema@.branch.name IS '支部名称 branch name, at most 100 characters';
COMMENT ON COLUMN @extschema@.member.name IS '姓名 name, at most 100 characters';
COMMENT ON COLUMN @extschema@.category.title IS '类别名称 category title, at most 100 characters';
COMMENT ON COLUMN @extschema@.item.title IS '项目内容 item title, at most 100 characters';
COMMENT ON COLUMN @extschema@.award_kind.title IS '奖励内容 award title, at most 100 characters';

------------------------------------------------------------------------
-- 类型输入输出 every role may read and write pointsys's types (issue 22):
-- casts, COPY and drivers call the I/O functions as the user, as they do
-- for every built-in type
------------------------------------------------------------------------

GRANT EXECUTE ON FUNCTION
	@extschema@.grade_in(pg_catalog.cstring),
	@extschema@.grade_out(@extschema@.grade),
	@extschema@.grade_recv(pg_catalog.internal),
	@extschema@.grade_send(@extschema@.grade),
	@extschema@.quarter_state_in(pg_catalog.cstring),
	@extschema@.quarter_state_out(@extschema@.quarter_state),
	@extschema@.year_state_in(pg_catalog.cstring),
	@extschema@.year_state_out(@extschema@.year_state)
TO PUBLIC;

------------------------------------------------------------------------
-- 消息 every message in the session's language (issue 24): the SQL
-- functions refuse through pointsys.refuse (C: translated before the
-- arguments go in), not RAISE
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.refuse(sqlstate pg_catalog.text, message pg_catalog.text,
								   detail pg_catalog.text DEFAULT NULL, hint pg_catalog.text DEFAULT NULL,
								   VARIADIC args pg_catalog.text[] DEFAULT '{}')
	RETURNS void
	LANGUAGE c VOLATILE PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'refuse';
COMMENT ON FUNCTION @extschema@.refuse(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text[]) IS
	'拒绝 raise the error sqlstate with message, detail and hint translated into the session''s language (lc_messages), then args put in (%s, %n$s)';

CREATE OR REPLACE FUNCTION @extschema@.rulebook_upsert() RETURNS trigger
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

CREATE OR REPLACE FUNCTION @extschema@.advance(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	current_status pg_catalog.text;
	result pg_catalog.text;
BEGIN
	PERFORM pointsys.quarter_start(advance.year, advance.quarter);
	-- the period row first, then (its trigger) the branch row: the order of
	-- reopen() and of any UPDATE of period, so that they cannot deadlock
	SELECT p.status INTO current_status FROM pointsys.period p
	WHERE p.branch_id OPERATOR(pg_catalog.=) advance.branch_id
	  AND p.year OPERATOR(pg_catalog.=) advance.year
	  AND p.quarter OPERATOR(pg_catalog.=) advance.quarter
	FOR NO KEY UPDATE;
	IF current_status OPERATOR(pg_catalog.=) 'verified' THEN
		PERFORM pointsys.refuse('55000', 'quarter %s-Q%s of branch "%s" is already verified', NULL, NULL,
								advance.year::pg_catalog.text, advance.quarter::pg_catalog.text, advance.branch_id);
	END IF;
	-- one statement, so that two racing calls move two steps, never skip one
	INSERT INTO pointsys.period AS p (branch_id, year, quarter, status)
	VALUES (advance.branch_id, advance.year, advance.quarter, 'approved')
	ON CONFLICT ON CONSTRAINT period_pkey DO UPDATE
	SET status = CASE p.status
					 WHEN 'recording' THEN 'approved'
					 WHEN 'approved' THEN 'publicized'
					 WHEN 'publicized' THEN 'filed'
					 WHEN 'filed' THEN 'verified'
					 ELSE p.status END
	RETURNING p.status INTO result;
	RETURN result;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.reopen(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4,
								   reason pg_catalog.text)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pointsys.quarter_start(reopen.year, reopen.quarter);
	IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE') THEN
		PERFORM pointsys.refuse('42501', 'only pointsys_admin may reopen quarter %s-Q%s of branch "%s"', NULL, NULL,
								reopen.year::pg_catalog.text, reopen.quarter::pg_catalog.text, reopen.branch_id);
	END IF;
	IF reopen.reason IS NULL OR pg_catalog.btrim(reopen.reason) OPERATOR(pg_catalog.=) '' THEN
		PERFORM pointsys.refuse('22023', 'reopening quarter %s-Q%s of branch "%s" needs a reason', NULL, NULL,
								reopen.year::pg_catalog.text, reopen.quarter::pg_catalog.text, reopen.branch_id);
	END IF;
	PERFORM pg_catalog.set_config('pointsys.reason', reopen.reason, true);
	UPDATE pointsys.period p SET status = 'recording'
	WHERE p.branch_id OPERATOR(pg_catalog.=) reopen.branch_id
	  AND p.year OPERATOR(pg_catalog.=) reopen.year
	  AND p.quarter OPERATOR(pg_catalog.=) reopen.quarter;
	RETURN 'recording';
END
$$;

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
		PERFORM pointsys.refuse('22023', 'node identity %s is out of range', NULL,
								'A node identity is an integer from 1 to 8388607, one per database of the city.',
								COALESCE(node::pg_catalog.text, 'NULL'));
	END IF;
	FOREACH tbl IN ARRAY ARRAY['award', 'sanction', 'audit_log'] LOOP
		col := pg_catalog.replace(tbl, '_log', '') OPERATOR(pg_catalog.||) '_id';
		EXECUTE pg_catalog.format('SELECT max(%I) FROM pointsys.%I WHERE %I OPERATOR(pg_catalog.>=) 1099511627776',
								  col, tbl, col)
			INTO used;
		IF used IS NOT NULL THEN
			PERFORM pointsys.refuse('55000', 'node identity cannot change: pointsys.%s has ids of node %s',
									'Its %3$s %4$s was given out under that node.',
									'Set the node right after CREATE EXTENSION, before any award, sanction or audited change.',
									tbl, (used OPERATOR(pg_catalog.>>) 40)::pg_catalog.text, col, used::pg_catalog.text);
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

CREATE OR REPLACE FUNCTION @extschema@.period_publicity() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	today pg_catalog.date := (pg_catalog.now() AT TIME ZONE 'Asia/Shanghai')::pg_catalog.date;
	days pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_firing('period_publicity', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.period', 'BEFORE', '{INSERT,UPDATE}');
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
			PERFORM pointsys.refuse('55000', 'quarter %s-Q%s of branch "%s" is still in publicity until %s',
									'Publicity started on %5$s and ends at the start of %6$s (Beijing time).',
									'File the quarter on or after %6$s.',
									NEW.year::pg_catalog.text, NEW.quarter::pg_catalog.text, NEW.branch_id,
									(OLD.publicity_end OPERATOR(pg_catalog.-) 1)::pg_catalog.text,
									OLD.publicity_start::pg_catalog.text, OLD.publicity_end::pg_catalog.text);
		END IF;
	END IF;
	RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.check_branch_documents(branch_id pg_catalog.text) RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	allowed pg_catalog.bool := pg_catalog.pg_has_role('pointsys_admin', 'USAGE')
		OR pg_catalog.pg_has_role('pointsys_reader', 'USAGE');
BEGIN
	IF NOT allowed AND pg_catalog.pg_has_role('pointsys_recorder', 'USAGE') THEN
		allowed := pointsys.may_record_branch(check_branch_documents.branch_id);
	END IF;
	IF NOT allowed THEN
		PERFORM pointsys.refuse('42501', 'permission denied for the documents of branch "%s"',
								'Only pointsys_admin, pointsys_reader and the branch''s recorders may read them.', NULL,
								check_branch_documents.branch_id);
	END IF;
	IF NOT EXISTS (SELECT FROM pointsys.branch b
				   WHERE b.branch_id OPERATOR(pg_catalog.=) check_branch_documents.branch_id) THEN
		PERFORM pointsys.refuse('42704', 'branch "%s" does not exist', NULL, NULL, check_branch_documents.branch_id);
	END IF;
END
$$;






CREATE OR REPLACE FUNCTION @extschema@.member_membership() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	this_month pg_catalog.date := CURRENT_DATE OPERATOR(pg_catalog.-)
		(EXTRACT(DAY FROM CURRENT_DATE)::pg_catalog.int4 OPERATOR(pg_catalog.-) 1);
	latest pg_catalog.text;
	later pg_catalog.date;
BEGIN
	PERFORM pointsys.check_firing('member_membership', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.member', 'AFTER', '{INSERT,UPDATE}');
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
		PERFORM pointsys.refuse('55000', 'member "%s" cannot be transferred to branch "%s" from %s',
								'A change of member.branch_id is a transfer from the current month; the member''s membership already has a transfer in %4$s.',
								'Write the transfer in pointsys.membership.',
								NEW.member_id, NEW.branch_id, pg_catalog.to_char(this_month, 'YYYY-MM'),
								pg_catalog.to_char(later, 'YYYY-MM'));
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


------------------------------------------------------------------------
-- 民主评议 the democratic appraisal (issue 26), its tables first (the
-- views below read appraisal_round); its rules at the end
------------------------------------------------------------------------

CREATE TABLE @extschema@.appraisal_weight (
	label pg_catalog.text PRIMARY KEY,
	weight pg_catalog.numeric NOT NULL,
	CONSTRAINT appraisal_weight_label CHECK (
		label OPERATOR(pg_catalog.=) ANY (ARRAY['excellent', 'qualified', 'basically_qualified',
												'unqualified']::pg_catalog.text[])),
	CONSTRAINT appraisal_weight_range CHECK (
		weight OPERATOR(pg_catalog.>=) 0 AND weight OPERATOR(pg_catalog.<=) 100
		AND pg_catalog.scale(weight) OPERATOR(pg_catalog.<=) 2)
);
COMMENT ON TABLE @extschema@.appraisal_weight IS
	'评议权重 the points each label of a 测评票 is worth (pointsys_admin); no row: the default (excellent 100, qualified 80, basically_qualified 60, unqualified 0)';
COMMENT ON COLUMN @extschema@.appraisal_weight.label IS
	'评议等次 excellent 优秀, qualified 合格, basically_qualified 基本合格, unqualified 不合格';
COMMENT ON COLUMN @extschema@.appraisal_weight.weight IS '分值 points, 0 to 100 with at most two decimals';
COMMENT ON CONSTRAINT appraisal_weight_label ON @extschema@.appraisal_weight IS '评议等次 one of the four labels';
COMMENT ON CONSTRAINT appraisal_weight_range ON @extschema@.appraisal_weight IS '分值 0 to 100, at most two decimals';

CREATE TABLE @extschema@.appraisal_round (
	branch_id pg_catalog.text NOT NULL REFERENCES @extschema@.branch,
	year pg_catalog.int4 NOT NULL,
	status pg_catalog.text NOT NULL DEFAULT 'open',
	electronic pg_catalog.bool NOT NULL DEFAULT false,
	voting_ended pg_catalog.bool NOT NULL DEFAULT false,
	ballots_issued pg_catalog.int4 NOT NULL,
	ballots_returned pg_catalog.int4,
	weight_excellent pg_catalog.numeric,
	weight_qualified pg_catalog.numeric,
	weight_basically_qualified pg_catalog.numeric,
	weight_unqualified pg_catalog.numeric,
	quorum_percent pg_catalog.int4,
	changed_by pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	changed_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	publicity_start pg_catalog.date,
	publicity_end pg_catalog.date,
	CONSTRAINT appraisal_round_pkey PRIMARY KEY (branch_id, year),
	CONSTRAINT appraisal_round_status CHECK (
		status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'closed', 'publicized', 'final']::pg_catalog.text[])),
	CONSTRAINT appraisal_round_ballots CHECK (
		ballots_issued OPERATOR(pg_catalog.>=) 1 AND ballots_issued OPERATOR(pg_catalog.<=) 10000
		AND ballots_returned OPERATOR(pg_catalog.>=) 0
		AND ballots_returned OPERATOR(pg_catalog.<=) ballots_issued),
	CONSTRAINT appraisal_round_year CHECK (year OPERATOR(pg_catalog.>=) 1921 AND year OPERATOR(pg_catalog.<=) 9999)
);
COMMENT ON TABLE @extschema@.appraisal_round IS
	'民主评议轮次 a branch''s democratic appraisal of a year: open (投票计票) → closed (scores into evaluation) → publicized (公示) → final';
COMMENT ON COLUMN @extschema@.appraisal_round.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.appraisal_round.year IS '年度 year appraised';
COMMENT ON COLUMN @extschema@.appraisal_round.status IS '状态 open, closed, publicized or final';
COMMENT ON COLUMN @extschema@.appraisal_round.electronic IS
	'电子投票 true: voters cast anonymous ballots on screens (cast_ballot); false: tellers enter the paper ballots'' tally';
COMMENT ON COLUMN @extschema@.appraisal_round.voting_ended IS
	'投票结束 an electronic round takes no more ballots, ever (set and committed before it closes: doc/appraisal.md)';
COMMENT ON COLUMN @extschema@.appraisal_round.ballots_issued IS '发出票数 ballots issued (1 to 10000)';
COMMENT ON COLUMN @extschema@.appraisal_round.ballots_returned IS
	'收回票数 ballots returned: entered by the tellers (paper), counted when the round closes (electronic)';
COMMENT ON COLUMN @extschema@.appraisal_round.weight_excellent IS '优秀分值 the weight of excellent when the round closed';
COMMENT ON COLUMN @extschema@.appraisal_round.weight_qualified IS '合格分值 the weight of qualified when the round closed';
COMMENT ON COLUMN @extschema@.appraisal_round.weight_basically_qualified IS '基本合格分值 the weight of basically_qualified when the round closed';
COMMENT ON COLUMN @extschema@.appraisal_round.weight_unqualified IS '不合格分值 the weight of unqualified when the round closed';
COMMENT ON COLUMN @extschema@.appraisal_round.quorum_percent IS '有效票比例 the quorum when the round closed (setting appraisal_quorum_percent)';
COMMENT ON COLUMN @extschema@.appraisal_round.changed_by IS '变更人 changed by';
COMMENT ON COLUMN @extschema@.appraisal_round.changed_at IS '变更时间 changed at';
COMMENT ON COLUMN @extschema@.appraisal_round.publicity_start IS '公示开始 publicity started on (Beijing time)';
COMMENT ON COLUMN @extschema@.appraisal_round.publicity_end IS '公示结束 publicity ends at the start of this day: the round may be final from this day on';
COMMENT ON INDEX @extschema@.appraisal_round_pkey IS '评议轮次主键 one round per branch and year';
COMMENT ON CONSTRAINT appraisal_round_status ON @extschema@.appraisal_round IS '状态 a known status';
COMMENT ON CONSTRAINT appraisal_round_ballots ON @extschema@.appraisal_round IS '票数 1 to 10000 issued, at most as many returned';
COMMENT ON CONSTRAINT appraisal_round_year ON @extschema@.appraisal_round IS '年度 from 1921';

CREATE TABLE @extschema@.appraisal_tally (
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	member_id pg_catalog.text NOT NULL REFERENCES @extschema@.member,
	excellent pg_catalog.int4 NOT NULL DEFAULT 0,
	qualified pg_catalog.int4 NOT NULL DEFAULT 0,
	basically_qualified pg_catalog.int4 NOT NULL DEFAULT 0,
	unqualified pg_catalog.int4 NOT NULL DEFAULT 0,
	spoilt pg_catalog.int4 NOT NULL DEFAULT 0,
	valid pg_catalog.int4 GENERATED ALWAYS AS (excellent OPERATOR(pg_catalog.+) qualified
		OPERATOR(pg_catalog.+) basically_qualified OPERATOR(pg_catalog.+) unqualified) STORED,
	CONSTRAINT appraisal_tally_pkey PRIMARY KEY (branch_id, year, member_id),
	CONSTRAINT appraisal_tally_round_fkey FOREIGN KEY (branch_id, year) REFERENCES @extschema@.appraisal_round,
	CONSTRAINT appraisal_tally_counts CHECK (
		excellent OPERATOR(pg_catalog.>=) 0 AND qualified OPERATOR(pg_catalog.>=) 0
		AND basically_qualified OPERATOR(pg_catalog.>=) 0 AND unqualified OPERATOR(pg_catalog.>=) 0
		AND spoilt OPERATOR(pg_catalog.>=) 0)
);
CREATE INDEX appraisal_tally_member_idx ON @extschema@.appraisal_tally (member_id, year);
COMMENT ON TABLE @extschema@.appraisal_tally IS
	'计票 the tally of a round: for each member appraised, the votes for each label and the ballots spoilt for her';
COMMENT ON COLUMN @extschema@.appraisal_tally.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_tally.year IS '年度 year of the round';
COMMENT ON COLUMN @extschema@.appraisal_tally.member_id IS '被评议党员 the member appraised';
COMMENT ON COLUMN @extschema@.appraisal_tally.excellent IS '优秀 votes';
COMMENT ON COLUMN @extschema@.appraisal_tally.qualified IS '合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_tally.basically_qualified IS '基本合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_tally.unqualified IS '不合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_tally.spoilt IS '废票 ballots whose mark for her is not valid';
COMMENT ON COLUMN @extschema@.appraisal_tally.valid IS '有效票 valid votes: the four labels'' votes together (generated)';
COMMENT ON INDEX @extschema@.appraisal_tally_pkey IS '计票主键 one tally per member in a round';
COMMENT ON INDEX @extschema@.appraisal_tally_member_idx IS '党员计票 a member''s tallies';
COMMENT ON CONSTRAINT appraisal_tally_round_fkey ON @extschema@.appraisal_tally IS '评议轮次 the round tallied';
COMMENT ON CONSTRAINT appraisal_tally_counts ON @extschema@.appraisal_tally IS '票数 no count below 0';

-- 电子投票 the register of logins who may vote, the one-time codes and the
-- ballots.  Codes and ballots have no grants: only cast_ballot (as the
-- owner) writes them, and a ballot has no voter, time, id or order.
CREATE TABLE @extschema@.appraisal_voter (
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	role_name pg_catalog.name NOT NULL,
	voted pg_catalog.bool NOT NULL DEFAULT false,
	CONSTRAINT appraisal_voter_pkey PRIMARY KEY (branch_id, year, role_name),
	CONSTRAINT appraisal_voter_round_fkey FOREIGN KEY (branch_id, year) REFERENCES @extschema@.appraisal_round
);
COMMENT ON TABLE @extschema@.appraisal_voter IS
	'投票人名册 the logins who may cast one ballot in an electronic round; records only whether each voted';
COMMENT ON COLUMN @extschema@.appraisal_voter.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_voter.year IS '年度 year of the round';
COMMENT ON COLUMN @extschema@.appraisal_voter.role_name IS '投票人 the voter''s login';
COMMENT ON COLUMN @extschema@.appraisal_voter.voted IS '已投票 she has voted';
COMMENT ON INDEX @extschema@.appraisal_voter_pkey IS '投票人主键 a login once per round';
COMMENT ON CONSTRAINT appraisal_voter_round_fkey ON @extschema@.appraisal_voter IS '评议轮次 the round';

CREATE TABLE @extschema@.appraisal_code (
	code_hash pg_catalog.bytea NOT NULL,
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	used pg_catalog.bool NOT NULL DEFAULT false,
	CONSTRAINT appraisal_code_pkey PRIMARY KEY (code_hash),
	CONSTRAINT appraisal_code_round_fkey FOREIGN KEY (branch_id, year) REFERENCES @extschema@.appraisal_round
);
CREATE INDEX appraisal_code_round_idx ON @extschema@.appraisal_code (branch_id, year);
COMMENT ON TABLE @extschema@.appraisal_code IS
	'投票码 one-time codes printed for an electronic round: their SHA-256 only, and whether each was used (no grants)';
COMMENT ON COLUMN @extschema@.appraisal_code.code_hash IS '投票码摘要 SHA-256 of the code';
COMMENT ON COLUMN @extschema@.appraisal_code.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_code.year IS '年度 year of the round';
COMMENT ON COLUMN @extschema@.appraisal_code.used IS '已使用 a ballot was cast with it';
COMMENT ON INDEX @extschema@.appraisal_code_pkey IS '投票码主键 each code once';
COMMENT ON INDEX @extschema@.appraisal_code_round_idx IS '轮次投票码 the codes of a round';
COMMENT ON CONSTRAINT appraisal_code_round_fkey ON @extschema@.appraisal_code IS '评议轮次 the round';

CREATE TABLE @extschema@.appraisal_ballot (
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	marks pg_catalog.jsonb NOT NULL,
	CONSTRAINT appraisal_ballot_round_fkey FOREIGN KEY (branch_id, year) REFERENCES @extschema@.appraisal_round
);
CREATE INDEX appraisal_ballot_round_idx ON @extschema@.appraisal_ballot (branch_id, year);
COMMENT ON TABLE @extschema@.appraisal_ballot IS
	'电子测评票 the ballots of electronic rounds: each member''s label, nothing of the voter (no grants; read them in appraisal_ballots once the round is closed)';
COMMENT ON COLUMN @extschema@.appraisal_ballot.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_ballot.year IS '年度 year of the round';
COMMENT ON COLUMN @extschema@.appraisal_ballot.marks IS '评议 {member_id: label}; a member left out: no vote for her';
COMMENT ON INDEX @extschema@.appraisal_ballot_round_idx IS '轮次选票 the ballots of a round';
COMMENT ON CONSTRAINT appraisal_ballot_round_fkey ON @extschema@.appraisal_ballot IS '评议轮次 the round';

-- 民主评议得分 an evaluation's round: NULL for a score typed in
ALTER TABLE @extschema@.evaluation ADD COLUMN round_branch_id pg_catalog.text,
	ADD CONSTRAINT evaluation_round_fkey FOREIGN KEY (round_branch_id, year) REFERENCES @extschema@.appraisal_round;
COMMENT ON COLUMN @extschema@.evaluation.round_branch_id IS
	'评议轮次 the branch of the appraisal round the score came from (with year); NULL: typed in';
COMMENT ON CONSTRAINT evaluation_round_fkey ON @extschema@.evaluation IS '评议轮次 the round the score came from';


------------------------------------------------------------------------
-- 报表类型 typed figures (issue 24): every figure of the reports and the
-- paperwork functions has scale 2 (points, monthly totals, rewards,
-- democratic scores numeric(5,2) or numeric(14,2) as in annual_results);
-- publicity() gives the last day of publicity, as the printed list; the
-- sheets print every figure with two decimals.  A view's column types
-- cannot change in place: the views are dropped with what depends on them
-- (mentoring_due, rankings, annual_grade(text, int)) and created again
-- with their comments and grants; the paperwork functions get row types
-- of their own (a function's result columns keep no typmod).
------------------------------------------------------------------------

DROP FUNCTION @extschema@.annual_grade(pg_catalog.text, pg_catalog.int4);
DROP VIEW @extschema@.mentoring_due;
DROP VIEW @extschema@.rankings;
DROP VIEW @extschema@.record_sheet;
DROP VIEW @extschema@.annual_results;
DROP FUNCTION @extschema@.publicity(pg_catalog.text, pg_catalog.int4, pg_catalog.int4);
DROP FUNCTION @extschema@.annual_publicity(pg_catalog.text, pg_catalog.int4);
DROP FUNCTION @extschema@.points_needed(pg_catalog.text, pg_catalog.int4, pg_catalog.numeric);

CREATE VIEW @extschema@.annual_results WITH (security_invoker = true) AS
SELECT y.member_id, COALESCE(t.branch_id, m.branch_id) AS branch_id, y.year,
	   CAST(f.q1 AS pg_catalog.numeric(14,2)) AS q1, CAST(f.q2 AS pg_catalog.numeric(14,2)) AS q2,
	   CAST(f.q3 AS pg_catalog.numeric(14,2)) AS q3, CAST(f.q4 AS pg_catalog.numeric(14,2)) AS q4,
	   f.months, CAST(f.assessment AS pg_catalog.numeric(14,2)) AS assessment,
	   CAST(e.democratic AS pg_catalog.numeric(5,2)) AS democratic, v.vetoed,
	   CAST(CASE WHEN v.vetoed THEN 0.00
				 ELSE @extschema@.annual_total(f.assessment, e.democratic) END
			AS pg_catalog.numeric(5,2)) AS total,
	   g.grade,
	   @extschema@.eligibility(g.grade) AS eligibility,
	   @extschema@.eligibility_label(g.grade) AS eligibility_label,
	   COALESCE(e.democratic IS NOT NULL
				-- a score from an appraisal round counts once the round is final
				AND (e.round_branch_id IS NULL OR ar.status OPERATOR(pg_catalog.=) 'final')
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
LEFT JOIN @extschema@.appraisal_round ar
	ON ar.branch_id OPERATOR(pg_catalog.=) e.round_branch_id AND ar.year OPERATOR(pg_catalog.=) e.year
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

COMMENT ON VIEW @extschema@.annual_results IS '年度定级 annual results: quarters, assessment (80%), democratic (20%), veto, total, grade, use of results';
COMMENT ON COLUMN @extschema@.annual_results.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.annual_results.branch_id IS '所在支部 branch: the member''s branch in December of the year';
COMMENT ON COLUMN @extschema@.annual_results.year IS '年度 year';
COMMENT ON COLUMN @extschema@.annual_results.q1 IS '一季度 first quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q2 IS '二季度 second quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q3 IS '三季度 third quarter score';
COMMENT ON COLUMN @extschema@.annual_results.q4 IS '四季度 fourth quarter score';
COMMENT ON COLUMN @extschema@.annual_results.months IS '记录月数 recorded months';
COMMENT ON COLUMN @extschema@.annual_results.assessment IS '年度考核积分 annual assessment (mean of recorded quarters)';
COMMENT ON COLUMN @extschema@.annual_results.democratic IS '民主评议 democratic score (two decimals); NULL: not yet evaluated';
COMMENT ON COLUMN @extschema@.annual_results.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.annual_results.total IS '年度积分 annual total; 0 when vetoed, NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.grade IS '格次 grade; NULL while pending';
COMMENT ON COLUMN @extschema@.annual_results.eligibility IS '结果运用 use of results';
COMMENT ON COLUMN @extschema@.annual_results.eligibility_label IS '结果运用说明 use of results in words, in the language of pointsys.language';
COMMENT ON COLUMN @extschema@.annual_results.final IS
	'定级 the grade is final: every recorded quarter verified (in the branch of its months) and the democratic score recorded (from an appraisal round: the round final); false: provisional';
COMMENT ON COLUMN @extschema@.annual_results.branches IS '所在支部（年度） the member''s branches in the year, in month order, each once';

CREATE FUNCTION @extschema@.annual_grade(member_id pg_catalog.text, year pg_catalog.int4) RETURNS @extschema@.grade
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT r.grade FROM @extschema@.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) annual_grade.member_id
	  AND r.year OPERATOR(pg_catalog.=) annual_grade.year;
END;
COMMENT ON FUNCTION @extschema@.annual_grade(pg_catalog.text, pg_catalog.int4) IS
	'年度格次 a member''s grade for a year, as in annual_results; NULL while pending or when nothing is recorded';

CREATE VIEW @extschema@.rankings WITH (security_invoker = true) AS
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
SELECT r.member_id, r.branch_id, r.year, NULL::pg_catalog.int4, CAST(r.total AS pg_catalog.numeric(14,2)),
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
COMMENT ON COLUMN @extschema@.rankings.branch_id IS '所在支部 branch: the member''s branch in the quarter''s last month, or in December for the year';
COMMENT ON COLUMN @extschema@.rankings.year IS '年度 year';
COMMENT ON COLUMN @extschema@.rankings.quarter IS '季度 quarter (1..4); NULL: the year';
COMMENT ON COLUMN @extschema@.rankings.score IS '积分 quarter score, or the annual total (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.branch_rank IS '支部排名 rank in the branch (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.bureau_rank IS '全局排名 rank in the bureau (NULL while pending)';
COMMENT ON COLUMN @extschema@.rankings.vetoed IS '一票否决 the year is vetoed (ranked last); NULL for a quarter';

CREATE VIEW @extschema@.record_sheet WITH (security_invoker = true) AS
SELECT @extschema@.branch_of(mm.member_id, mm.month) AS branch_id, mm.member_id, m.name, mm.month, r.items,
	   CAST(ARRAY(SELECT s.points
				  FROM pg_catalog.unnest(r.items) WITH ORDINALITY AS u(item, n)
				  LEFT JOIN @extschema@.score s
					 ON s.member_id OPERATOR(pg_catalog.=) mm.member_id
					AND s.month OPERATOR(pg_catalog.=) mm.month
					AND s.item OPERATOR(pg_catalog.=) u.item
				  ORDER BY u.n) AS pg_catalog.numeric(5,2)[]) AS points,
	   CAST(mm.award_points AS pg_catalog.numeric(14,2)) AS award_points,
	   CAST(LEAST(mm.award_points, c.cap) AS pg_catalog.numeric(14,2)) AS reward,
	   CAST(mm.points OPERATOR(pg_catalog.+) LEAST(mm.award_points, c.cap) AS pg_catalog.numeric(14,2)) AS total
FROM @extschema@.member_month mm
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) mm.member_id
CROSS JOIN (SELECT @extschema@.rulebook_items() AS items) r
CROSS JOIN (SELECT cap FROM @extschema@.category WHERE category OPERATOR(pg_catalog.=) 'reward') c;
COMMENT ON VIEW @extschema@.record_sheet IS
	'党员积分管理记录表 the record form: one row per recorded member-month, each item''s points in rulebook order, the awards, the capped reward and the total';
COMMENT ON COLUMN @extschema@.record_sheet.branch_id IS '支部 branch: the member''s branch in that month';
COMMENT ON COLUMN @extschema@.record_sheet.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.record_sheet.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.record_sheet.month IS '月份 month (first day)';
COMMENT ON COLUMN @extschema@.record_sheet.items IS '积分项目 the item codes in rulebook order (the same in every row)';
COMMENT ON COLUMN @extschema@.record_sheet.points IS '各项得分 points of each item, in the order of items; NULL: no score row';
COMMENT ON COLUMN @extschema@.record_sheet.award_points IS '奖励加分 award points before the cap';
COMMENT ON COLUMN @extschema@.record_sheet.reward IS '奖励分 award points, capped';
COMMENT ON COLUMN @extschema@.record_sheet.total IS '月度积分 monthly total';

CREATE TYPE @extschema@.publicity_row AS (
	member_id pg_catalog.text,
	name pg_catalog.text,
	m1 pg_catalog.numeric(14,2),
	m2 pg_catalog.numeric(14,2),
	m3 pg_catalog.numeric(14,2),
	score pg_catalog.numeric(14,2),
	branch_rank pg_catalog.int8,
	status pg_catalog.text,
	publicity_start pg_catalog.date,
	publicity_end pg_catalog.date,
	branches pg_catalog.text[]
);
COMMENT ON TYPE @extschema@.publicity_row IS '季度公示行 a row of publicity(): a member of the branch quarter''s list';
COMMENT ON COLUMN @extschema@.publicity_row.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.publicity_row.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.publicity_row.m1 IS '第一个月 monthly total of the quarter''s first month (wherever recorded)';
COMMENT ON COLUMN @extschema@.publicity_row.m2 IS '第二个月 monthly total of the quarter''s second month';
COMMENT ON COLUMN @extschema@.publicity_row.m3 IS '第三个月 monthly total of the quarter''s third month';
COMMENT ON COLUMN @extschema@.publicity_row.score IS '季考核积分 quarter score';
COMMENT ON COLUMN @extschema@.publicity_row.branch_rank IS '排名 rank among the members listed';
COMMENT ON COLUMN @extschema@.publicity_row.status IS '状态 the quarter''s status in the branch';
COMMENT ON COLUMN @extschema@.publicity_row.publicity_start IS '公示开始 first day of publicity (Beijing time); NULL until publicized';
COMMENT ON COLUMN @extschema@.publicity_row.publicity_end IS
	'公示截止 last day of publicity, as the printed list says (period.publicity_end is the day after: the first day the quarter may be filed); NULL until publicized';
COMMENT ON COLUMN @extschema@.publicity_row.branches IS '所在支部 the member''s branches in the quarter, in month order, each once';

CREATE FUNCTION @extschema@.publicity(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS SETOF @extschema@.publicity_row
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
		PERFORM pointsys.refuse('55000', 'quarter %s-Q%s of branch "%s" is not approved yet', NULL,
								'The branch meeting approves the quarter first (pointsys.advance).',
								publicity.year::pg_catalog.text, publicity.quarter::pg_catalog.text, publicity.branch_id);
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
		   p_status, p_start,
		   -- the last day of publicity (a publicity of 0 or 1 day: its first)
		   GREATEST(p_end OPERATOR(pg_catalog.-) 1, p_start), l.branches
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
	'季度公示 a branch quarter''s list to post: the members of the branch in at least one month of the quarter, their three monthly totals, quarter score and rank among them, the publicity''s first and last day, their branches in the quarter; 55000 before the quarter is approved';

CREATE TYPE @extschema@.annual_publicity_row AS (
	member_id pg_catalog.text,
	name pg_catalog.text,
	q1 pg_catalog.numeric(14,2),
	q2 pg_catalog.numeric(14,2),
	q3 pg_catalog.numeric(14,2),
	q4 pg_catalog.numeric(14,2),
	assessment pg_catalog.numeric(14,2),
	democratic pg_catalog.numeric(5,2),
	vetoed pg_catalog.bool,
	total pg_catalog.numeric(5,2),
	grade @extschema@.grade,
	branch_rank pg_catalog.int8,
	final pg_catalog.bool,
	branches pg_catalog.text[],
	excellent pg_catalog.int4,
	qualified pg_catalog.int4,
	basically_qualified pg_catalog.int4,
	unqualified pg_catalog.int4,
	spoilt pg_catalog.int4
);
COMMENT ON TYPE @extschema@.annual_publicity_row IS '年度公示行 a row of annual_publicity(): a member of the branch year''s list';
COMMENT ON COLUMN @extschema@.annual_publicity_row.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.annual_publicity_row.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.annual_publicity_row.q1 IS '一季度 first quarter score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.q2 IS '二季度 second quarter score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.q3 IS '三季度 third quarter score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.q4 IS '四季度 fourth quarter score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.assessment IS '年度考核积分 annual assessment';
COMMENT ON COLUMN @extschema@.annual_publicity_row.democratic IS '民主评议 democratic score';
COMMENT ON COLUMN @extschema@.annual_publicity_row.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.annual_publicity_row.total IS '年度积分 annual total';
COMMENT ON COLUMN @extschema@.annual_publicity_row.grade IS '格次 grade';
COMMENT ON COLUMN @extschema@.annual_publicity_row.branch_rank IS '排名 rank among the members listed';
COMMENT ON COLUMN @extschema@.annual_publicity_row.final IS '定级 the grade is final';
COMMENT ON COLUMN @extschema@.annual_publicity_row.branches IS '所在支部（年度） the member''s branches in the year';
COMMENT ON COLUMN @extschema@.annual_publicity_row.excellent IS '优秀 votes in the democratic appraisal; NULL: the score was typed in';
COMMENT ON COLUMN @extschema@.annual_publicity_row.qualified IS '合格 votes';
COMMENT ON COLUMN @extschema@.annual_publicity_row.basically_qualified IS '基本合格 votes';
COMMENT ON COLUMN @extschema@.annual_publicity_row.unqualified IS '不合格 votes';
COMMENT ON COLUMN @extschema@.annual_publicity_row.spoilt IS '废票 ballots spoilt for the member';

CREATE FUNCTION @extschema@.annual_publicity(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS SETOF @extschema@.annual_publicity_row
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
		PERFORM pointsys.refuse('55000', 'the %s results of branch "%s" are not complete',
								'No democratic score for %3$s.',
								'Record the democratic evaluation (pointsys.evaluation) first.',
								annual_publicity.year::pg_catalog.text, annual_publicity.branch_id, missing);
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
		PERFORM pointsys.refuse('55000', 'quarter %s-Q%s of branch "%s" is not approved yet', NULL,
								'Every recorded quarter of the year is approved before the year''s results are posted.',
								annual_publicity.year::pg_catalog.text, open_quarter::pg_catalog.text,
								annual_publicity.branch_id);
	END IF;
	RETURN QUERY
	-- the members of the branch in at least one month of the year, ranked
	-- among themselves as pointsys.rankings ranks a branch
	SELECT r.member_id, m.name, r.q1, r.q2, r.q3, r.q4, r.assessment, r.democratic, r.vetoed,
		   r.total, r.grade,
		   CASE WHEN r.total IS NOT NULL THEN
			   pg_catalog.rank() OVER (PARTITION BY r.total IS NULL ORDER BY r.vetoed, r.total DESC) END,
		   r.final, r.branches, t.excellent, t.qualified, t.basically_qualified, t.unqualified, t.spoilt
	FROM pointsys.annual_results r
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) r.member_id
	-- the votes behind a score from an appraisal round
	LEFT JOIN pointsys.evaluation e
		ON e.member_id OPERATOR(pg_catalog.=) r.member_id AND e.year OPERATOR(pg_catalog.=) r.year
	LEFT JOIN pointsys.appraisal_tally t
		ON t.branch_id OPERATOR(pg_catalog.=) e.round_branch_id AND t.year OPERATOR(pg_catalog.=) e.year
	   AND t.member_id OPERATOR(pg_catalog.=) e.member_id
	WHERE annual_publicity.branch_id OPERATOR(pg_catalog.=) ANY (r.branches)
	  AND r.year OPERATOR(pg_catalog.=) annual_publicity.year
	ORDER BY 12, 1;
END
$$;
COMMENT ON FUNCTION @extschema@.annual_publicity(pg_catalog.text, pg_catalog.int4) IS
	'年度公示 a branch year''s results to post: the members of the branch in at least one month of the year, ranked among them, with their branches of the year and the votes of their democratic appraisal; 55000 while a democratic score is missing or a recorded quarter is not approved';

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

CREATE TYPE @extschema@.points_needed_row AS (
	grade @extschema@.grade,
	monthly_total pg_catalog.numeric(14,2),
	status pg_catalog.text
);
COMMENT ON TYPE @extschema@.points_needed_row IS '对标找差行 a row of points_needed(): a grade and what reaching it takes';
COMMENT ON COLUMN @extschema@.points_needed_row.grade IS '格次 grade';
COMMENT ON COLUMN @extschema@.points_needed_row.monthly_total IS '月度积分 the lowest monthly total (to 0.01) reaching the grade; 0.00 secured; NULL out of reach';
COMMENT ON COLUMN @extschema@.points_needed_row.status IS '状态 needed, secured or out_of_reach';

CREATE FUNCTION @extschema@.points_needed(member_id pg_catalog.text, year pg_catalog.int4,
										  democratic pg_catalog.numeric DEFAULT NULL)
	RETURNS SETOF @extschema@.points_needed_row
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r pointsys.points_needed_row;
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
		PERFORM pointsys.refuse('42501', 'permission denied for function %s',
								'It reads the veto (sanctions): pointsys_admin and pointsys_reader may call it.', NULL,
								'points_needed');
	END IF;
	SELECT * INTO who FROM pointsys.member m WHERE m.member_id OPERATOR(pg_catalog.=) points_needed.member_id;
	IF NOT FOUND THEN
		PERFORM pointsys.refuse('42704', 'member "%s" does not exist', NULL, NULL, points_needed.member_id);
	END IF;
	PERFORM pointsys.quarter_start(points_needed.year, 1);
	IF dem IS NULL THEN
		SELECT e.democratic INTO dem FROM pointsys.evaluation e
		WHERE e.member_id OPERATOR(pg_catalog.=) points_needed.member_id
		  AND e.year OPERATOR(pg_catalog.=) points_needed.year;
		IF dem IS NULL THEN
			PERFORM pointsys.refuse('22004', 'member "%s" has no democratic score for %s', NULL,
									'Pass an assumed democratic score: pointsys.points_needed(member_id, year, democratic).',
									points_needed.member_id, points_needed.year::pg_catalog.text);
		END IF;
	END IF;
	IF dem OPERATOR(pg_catalog.<) 0 OR dem OPERATOR(pg_catalog.>) 100 THEN
		PERFORM pointsys.refuse('22003', 'democratic score %s is out of range for member "%s"',
								'A democratic score is from 0 to 100.', NULL,
								dem::pg_catalog.text, points_needed.member_id);
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
		r.grade := target;
		IF target OPERATOR(pointsys.=) 'unqualified'::pointsys.grade THEN
			r.monthly_total := 0.00;
			r.status := 'secured';
		ELSIF vetoed THEN
			r.monthly_total := NULL;
			r.status := 'out_of_reach';
		ELSIF pointsys.projected_grade(recorded, recorded_totals, open_months, 0::pg_catalog.numeric, dem)
			  OPERATOR(pointsys.>=) target THEN
			r.monthly_total := 0.00;
			r.status := 'secured';
		ELSIF COALESCE(pg_catalog.cardinality(open_months), 0) OPERATOR(pg_catalog.=) 0
			  OR pointsys.projected_grade(recorded, recorded_totals, open_months, top, dem)
				 OPERATOR(pointsys.<) target THEN
			r.monthly_total := NULL;
			r.status := 'out_of_reach';
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
			r.monthly_total := pg_catalog.round(hi, 2);
			r.status := 'needed';
		END IF;
		RETURN NEXT r;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.points_needed(pg_catalog.text, pg_catalog.int4, pg_catalog.numeric) IS
	'对标找差 per grade: the lowest monthly total that, recorded in every month not yet recorded, reaches it (needed), or secured, or out_of_reach; democratic NULL: the recorded one';

GRANT SELECT ON @extschema@.annual_results, @extschema@.rankings, @extschema@.record_sheet,
	@extschema@.mentoring_due TO pointsys_admin, pointsys_reader;
GRANT SELECT ON @extschema@.record_sheet TO pointsys_recorder;

COMMENT ON FUNCTION @extschema@.record_sheet_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分管理记录表（打印） the record form of a branch quarter as a standalone A4 HTML page';

COMMENT ON FUNCTION @extschema@.publicity_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分公示（打印） the publicity list of a branch quarter as a standalone A4 HTML page; 55000 before the quarter is approved';

------------------------------------------------------------------------
-- 表格导入 bulk loading from CSV text (issue 24): one core for every
-- import (import_rows: in halves, field and detail for every refusal,
-- duplicates included), import_scores and import_awards made its callers;
-- csv_rows, csv_date, import_csv and the loads of branches, members,
-- recorders, scores and awards from CSV text (src/sql/92_import.sql)
------------------------------------------------------------------------

-- 导入核心 the one core of every import: the sheet (a JSON array of
-- objects, keyed by the target table's column names) inserted into
-- pointsys.<target> in one statement; if that fails, the sheet is tried
-- again in halves, and the halves that fail in halves again, each part in
-- a subtransaction and the whole undone, until every bad row stands alone
-- (each good row is checked with the good rows before it in place, as row
-- by row, but a sheet with a few bad rows costs a few statements, not one
-- a row).  Each bad row is reported with its field (the column the
-- refusal names, else the one whose value does not convert, else the last
-- column of the constraint, else the member or branch it is about) and a
-- detail (the refusal's, else one naming what the sheet sent: the key of a
-- duplicate and whether an earlier row has it, the value that does not
-- convert or is missing, or the row).
CREATE FUNCTION @extschema@.import_rows(target pg_catalog.text, sheet pg_catalog.jsonb, dry_run pg_catalog.bool)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cols pg_catalog.text[];
	types pg_catalog.text[];
	required pg_catalog.int4;
	collist pg_catalog.text;
	recdef pg_catalog.text;
	ins pg_catalog.text;
	total pg_catalog.int4;
	los pg_catalog.int4[] := '{}';
	his pg_catalog.int4[] := '{}';
	lo pg_catalog.int4;
	hi pg_catalog.int4;
	mid pg_catalog.int4;
	k pg_catalog.int4;
	elem pg_catalog.jsonb;
	keycols pg_catalog.text[];
	keytext pg_catalog.text;
	earlier pg_catalog.bool;
	bad pg_catalog.int4 := 0;
	fast_state pg_catalog.text;
	fast_message pg_catalog.text;
	fast_detail pg_catalog.text;
BEGIN
	cols := CASE target
		WHEN 'score' THEN '{member_id,month,item,points,note}'::pg_catalog.text[]
		WHEN 'award' THEN '{member_id,month,kind,description}'::pg_catalog.text[]
		WHEN 'branch' THEN '{branch_id,name}'::pg_catalog.text[]
		WHEN 'member' THEN '{member_id,name,branch_id,joined_on,left_on}'::pg_catalog.text[]
		WHEN 'recorder' THEN '{branch_id,role_name,elected_on}'::pg_catalog.text[] END;
	types := CASE target
		WHEN 'score' THEN '{text,date,text,numeric,text}'::pg_catalog.text[]
		WHEN 'award' THEN '{text,date,text,text}'::pg_catalog.text[]
		WHEN 'branch' THEN '{text,text}'::pg_catalog.text[]
		WHEN 'member' THEN '{text,text,text,date,date}'::pg_catalog.text[]
		WHEN 'recorder' THEN '{text,name,date}'::pg_catalog.text[] END;
	required := CASE target WHEN 'score' THEN 4 WHEN 'award' THEN 3 WHEN 'branch' THEN 2 ELSE 3 END;
	IF cols IS NULL THEN
		PERFORM pointsys.refuse('22023', 'pointsys cannot import into "%s"', NULL, NULL, target);
	END IF;
	IF pg_catalog.jsonb_typeof(sheet) IS DISTINCT FROM 'array' THEN
		PERFORM pointsys.refuse('22023', 'a sheet is a JSON array of rows', NULL, 'Give [{%s}, …].',
								pg_catalog.array_to_string(ARRAY(
									SELECT pg_catalog.format('"%s": …', c)
									FROM pg_catalog.unnest(cols[1:required]) AS c), ', '));
	END IF;
	SELECT pg_catalog.string_agg('r.' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c), ', ' ORDER BY n),
		   pg_catalog.string_agg(pg_catalog.quote_ident(c) OPERATOR(pg_catalog.||) ' pg_catalog.'
								 OPERATOR(pg_catalog.||) t, ', ' ORDER BY n)
	INTO collist, recdef
	FROM ROWS FROM (pg_catalog.unnest(cols), pg_catalog.unnest(types)) WITH ORDINALITY AS u(c, t, n);
	ins := pg_catalog.format('INSERT INTO pointsys.%I (%s) SELECT %s FROM pg_catalog.jsonb_to_recordset($1) AS r(%s)',
							 target, pg_catalog.replace(collist, 'r.', ''), collist, recdef);
	-- the sheet in one statement: every rule checked, nothing written if one
	-- fails (nor in a dry run)
	BEGIN
		EXECUTE ins USING sheet;
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
	-- in halves, first half first; the whole undone at the end
	total := pg_catalog.jsonb_array_length(sheet);
	mid := (total OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog./) 2;
	IF total OPERATOR(pg_catalog.>) 1 THEN
		los := ARRAY[mid OPERATOR(pg_catalog.+) 1, 1];
		his := ARRAY[total, mid];
	ELSE
		los := ARRAY[1];
		his := ARRAY[1];
	END IF;
	BEGIN
		WHILE pg_catalog.cardinality(los) OPERATOR(pg_catalog.>) 0 LOOP
			lo := los[pg_catalog.cardinality(los)];
			hi := his[pg_catalog.cardinality(his)];
			los := pg_catalog.trim_array(los, 1);
			his := pg_catalog.trim_array(his, 1);
			IF lo OPERATOR(pg_catalog.<) hi THEN
				BEGIN
					EXECUTE ins USING pg_catalog.jsonb_path_query_array(sheet, '$[$lo to $hi]',
						pg_catalog.jsonb_build_object('lo', lo OPERATOR(pg_catalog.-) 1, 'hi', hi OPERATOR(pg_catalog.-) 1));
				EXCEPTION WHEN OTHERS THEN
					mid := (lo OPERATOR(pg_catalog.+) hi) OPERATOR(pg_catalog./) 2;
					los := los OPERATOR(pg_catalog.||) ARRAY[mid OPERATOR(pg_catalog.+) 1, lo];
					his := his OPERATOR(pg_catalog.||) ARRAY[hi, mid];
				END;
				CONTINUE;
			END IF;
			elem := sheet OPERATOR(pg_catalog.->) (lo OPERATOR(pg_catalog.-) 1);
			BEGIN
				EXECUTE ins USING pg_catalog.jsonb_build_array(elem);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, field = COLUMN_NAME,
					constraint_name = CONSTRAINT_NAME, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
				row_number := lo;
				field := NULLIF(field, '');
				constraint_name := NULLIF(constraint_name, '');
				detail := NULLIF(detail, '');
				-- the field: a value that does not convert to its column's type
				IF field IS NULL AND pg_catalog.left(error_code, 2) OPERATOR(pg_catalog.=) '22' THEN
					FOR k IN 1 .. pg_catalog.cardinality(cols) LOOP
						BEGIN
							EXECUTE pg_catalog.format('SELECT ($1 OPERATOR(pg_catalog.->>) %L)::pg_catalog.%s',
													  cols[k], types[k]) USING elem;
						EXCEPTION WHEN OTHERS THEN
							field := cols[k];
							EXIT;
						END;
					END LOOP;
				END IF;
				-- the constraint's columns: its last names the field (a
				-- duplicate score: the item; a member: member_id)
				IF constraint_name IS NOT NULL THEN
					-- (a check's columns in table order: the later date of a range)
					SELECT pg_catalog.array_agg(a.attname::pg_catalog.text
												ORDER BY CASE WHEN c.contype OPERATOR(pg_catalog.=) 'c' THEN a.attnum::pg_catalog.int8
															  ELSE ck.n END)
					INTO keycols
					FROM pg_catalog.pg_constraint c
					CROSS JOIN LATERAL pg_catalog.unnest(c.conkey) WITH ORDINALITY AS ck(attnum, n)
					JOIN pg_catalog.pg_attribute a
					  ON a.attrelid OPERATOR(pg_catalog.=) c.conrelid AND a.attnum OPERATOR(pg_catalog.=) ck.attnum
					WHERE c.conrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('pointsys.%I', target))
					  AND c.conname OPERATOR(pg_catalog.=) constraint_name;
					field := COALESCE(field, keycols[pg_catalog.cardinality(keycols)]);
				ELSE
					keycols := NULL;
				END IF;
				-- row-level security: the member (or branch) the row is about
				IF field IS NULL AND error_code OPERATOR(pg_catalog.=) '42501' THEN
					field := cols[1];
				END IF;
				IF keycols IS NOT NULL AND error_code OPERATOR(pg_catalog.=) ANY ('{23505,23503}'::pg_catalog.text[]) THEN
					EXECUTE pg_catalog.format('SELECT pg_catalog.concat_ws('', '', %s) FROM pg_catalog.jsonb_to_record($1) AS r(%s)',
											  (SELECT pg_catalog.string_agg('r.' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c), ', ')
											   FROM pg_catalog.unnest(keycols) AS c), recdef)
						INTO keytext USING elem;
				END IF;
				-- a missing referenced row: PostgreSQL names the key's values
				-- only to writers that row security does not restrict
				IF error_code OPERATOR(pg_catalog.=) '23503' AND keycols IS NOT NULL
				   AND (detail IS NULL OR detail OPERATOR(pg_catalog.~~) 'Key is not present in table %') THEN
					detail := pg_catalog.format('Key (%s)=(%s) is not present in table "%s".',
						pg_catalog.array_to_string(keycols, ', '), keytext,
						(SELECT f.relname FROM pg_catalog.pg_constraint c
						 JOIN pg_catalog.pg_class f ON f.oid OPERATOR(pg_catalog.=) c.confrelid
						 WHERE c.conrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('pointsys.%I', target))
						   AND c.conname OPERATOR(pg_catalog.=) constraint_name));
				END IF;
				IF error_code OPERATOR(pg_catalog.=) '23505' AND keycols IS NOT NULL
				   AND (detail IS NULL OR detail OPERATOR(pg_catalog.~~) 'Key (%) already exists.') THEN
					-- a duplicate: its key, and whether an earlier row of the sheet has it
					SELECT EXISTS (
						SELECT FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e(v, n)
						WHERE e.n OPERATOR(pg_catalog.<) lo
						  AND NOT EXISTS (SELECT FROM pg_catalog.unnest(keycols) AS c
										  WHERE (e.v OPERATOR(pg_catalog.->>) c)
												IS DISTINCT FROM (elem OPERATOR(pg_catalog.->>) c)))
					INTO earlier;
					detail := pg_catalog.format(CASE WHEN earlier THEN 'Key (%s)=(%s) is also in an earlier row of the sheet.'
													 ELSE 'Key (%s)=(%s) already exists.' END,
												pg_catalog.array_to_string(keycols, ', '), keytext);
				ELSIF detail IS NULL AND field OPERATOR(pg_catalog.=) ANY (cols)
					  AND (pg_catalog.left(error_code, 2) OPERATOR(pg_catalog.=) '22' OR error_code OPERATOR(pg_catalog.=) '23502') THEN
					detail := CASE WHEN (elem OPERATOR(pg_catalog.->>) field) IS NULL
								   THEN 'The value is empty.'
								   ELSE pg_catalog.format('The value is "%s".', elem OPERATOR(pg_catalog.->>) field) END;
				END IF;
				IF detail IS NULL THEN
					detail := COALESCE(
						(SELECT 'The row is ' OPERATOR(pg_catalog.||)
								pg_catalog.string_agg(pg_catalog.format('%s "%s"', c, elem OPERATOR(pg_catalog.->>) c), ', ' ORDER BY n)
								OPERATOR(pg_catalog.||) '.'
						 FROM pg_catalog.unnest(cols) WITH ORDINALITY AS u(c, n)
						 WHERE (elem OPERATOR(pg_catalog.->>) c) IS NOT NULL),
						'Each row of a sheet is a JSON object keyed by column names.');
				END IF;
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
COMMENT ON FUNCTION @extschema@.import_rows(pg_catalog.text, pg_catalog.jsonb, pg_catalog.bool) IS
	'导入核心 the core of every import: a JSON array of rows inserted into pointsys.<target> (score, award, branch, member, recorder) all or nothing with the caller''s rights; returns every bad row (position, field, SQLSTATE, constraint, message, detail) and then writes nothing';

CREATE OR REPLACE FUNCTION @extschema@.import_scores(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT * FROM @extschema@.import_rows('score', import_scores.sheet, import_scores.dry_run);
END;
COMMENT ON FUNCTION @extschema@.import_scores(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入积分 load a sheet of scores (JSON array of {member_id, month, item, points, note}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

CREATE OR REPLACE FUNCTION @extschema@.import_awards(sheet pg_catalog.jsonb, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT * FROM @extschema@.import_rows('award', import_awards.sheet, import_awards.dry_run);
END;
COMMENT ON FUNCTION @extschema@.import_awards(pg_catalog.jsonb, pg_catalog.bool) IS
	'批量导入奖励 load a sheet of awards (JSON array of {member_id, month, kind, description}) all or nothing, with the caller''s rights; returns no row when loaded, else every bad row and writes nothing; dry_run only checks';

------------------------------------------------------------------------
-- 表格导入 CSV text as Excel and WPS export it (issue 24): the bureau's
-- people (branches, members, recorders) for pointsys_admin, and a month's
-- sheet of scores (long, or the record form's wide layout) or awards for
-- recorders; the text is an argument (psql: \set sheet `cat file.csv`),
-- since COPY FROM is refused under row-level security.  The CSV is read
-- into the JSON sheet of import_rows, whose report is given back with each
-- row's spreadsheet row and each field's column header as the file has it.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.csv_rows(csv pg_catalog.text)
	RETURNS TABLE (line pg_catalog.int4, fields pg_catalog.text[])
	AS 'MODULE_PATHNAME', 'pointsys_csv_rows'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.csv_rows(pg_catalog.text) IS
	'表格行 the rows of a CSV text (UTF-8 byte order mark, CRLF, quoted fields with commas, quotes and line breaks), each with its spreadsheet row number; rows of empty fields skipped';

-- 日期 a date as spreadsheets write it, as PostgreSQL reads it: 2026/7/1,
-- 2026-07-01, 2026.7.1 and 2026年7月1日 are 2026-07-01; with whole_month,
-- 2026-07, 2026/7 and 2026年7月 too; anything else unchanged (its cast
-- fails with the value in the message)
CREATE FUNCTION @extschema@.csv_date(value pg_catalog.text, whole_month pg_catalog.bool)
	RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE
		WHEN m IS NULL OR (m[3] IS NULL AND NOT csv_date.whole_month) THEN csv_date.value
		ELSE pg_catalog.format('%s-%s-%s', m[1], pg_catalog.lpad(m[2], 2, '0'), pg_catalog.lpad(COALESCE(m[3], '1'), 2, '0')) END
	FROM pg_catalog.regexp_match(csv_date.value,
		'^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:(?:[-/.]|月)\s*(\d{1,2})\s*日?|月?)\s*$') AS m;
END;
COMMENT ON FUNCTION @extschema@.csv_date(pg_catalog.text, pg_catalog.bool) IS
	'表格日期 a date written 2026/7/1, 2026-07-01, 2026.7.1 or 2026年7月1日 (and, for a month, 2026-07, 2026/7, 2026年7月) as 2026-07-01; other text unchanged';

CREATE FUNCTION @extschema@.import_csv(target pg_catalog.text, csv pg_catalog.text, dry_run pg_catalog.bool)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text,
				   constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE plpgsql SECURITY INVOKER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	names pg_catalog.jsonb;		-- header (normalised) → column; '' ignored
	labels pg_catalog.jsonb;	-- column → its Chinese header
	required pg_catalog.text[];
	header pg_catalog.text[];
	hline pg_catalog.int4;
	h pg_catalog.text;
	c pg_catalog.text;
	k pg_catalog.int4;
	wide pg_catalog.bool := false;
	pos pg_catalog.jsonb := '{}';		-- column → its position in the header
	item_pos pg_catalog.int4[] := '{}';
	item_code pg_catalog.text[] := '{}';
	bad_header pg_catalog.bool := false;
	sheet pg_catalog.jsonb;
	lines pg_catalog.int4[];
	cells pg_catalog.text[];
BEGIN
	names := CASE target
		WHEN 'branch' THEN '{"branch_id": "branch_id", "支部编号": "branch_id", "name": "name", "支部名称": "name",
							  "序号": ""}'
		WHEN 'member' THEN '{"member_id": "member_id", "党员编号": "member_id", "name": "name", "姓名": "name",
							  "branch_id": "branch_id", "branch": "branch_id", "所在支部": "branch_id",
							  "支部编号": "branch_id", "支部": "branch_id",
							  "joined_on": "joined_on", "入党日期": "joined_on", "转入日期": "joined_on",
							  "入党(转入)日期": "joined_on", "left_on": "left_on", "离开日期": "left_on",
							  "转出日期": "left_on", "支部名称": "", "序号": ""}'
		WHEN 'recorder' THEN '{"branch_id": "branch_id", "branch": "branch_id", "支部编号": "branch_id",
								"所在支部": "branch_id", "支部": "branch_id", "role_name": "role_name",
								"记录员": "role_name", "登录名": "role_name", "elected_on": "elected_on",
								"当选日期": "elected_on", "推选日期": "elected_on", "支部名称": "", "姓名": "",
								"序号": ""}'
		WHEN 'score' THEN '{"member_id": "member_id", "党员编号": "member_id", "month": "month", "月份": "month",
							 "item": "item", "积分项目": "item", "项目编号": "item", "points": "points",
							 "得分": "points", "note": "note", "备注": "note", "name": "", "姓名": "",
							 "branch_id": "", "支部": "", "所在支部": "", "award_points": "", "奖励加分": "",
							 "reward": "", "奖励分": "", "total": "", "月度积分": "", "序号": ""}'
		WHEN 'award' THEN '{"member_id": "member_id", "党员编号": "member_id", "month": "month", "月份": "month",
							 "kind": "kind", "奖励种类": "kind", "description": "description", "事由": "description",
							 "name": "", "姓名": "", "序号": ""}' END;
	labels := '{"branch_id": "支部编号", "name": "姓名", "member_id": "党员编号", "joined_on": "入党日期",
				"left_on": "离开日期", "role_name": "记录员", "elected_on": "当选日期", "month": "月份",
				"item": "积分项目", "points": "得分", "note": "备注", "kind": "奖励种类", "description": "事由"}';
	IF target OPERATOR(pg_catalog.=) 'branch' THEN
		labels := labels OPERATOR(pg_catalog.||) '{"name": "支部名称"}';
	END IF;
	required := CASE target
		WHEN 'branch' THEN '{branch_id,name}'::pg_catalog.text[]
		WHEN 'member' THEN '{member_id,name,branch_id}'::pg_catalog.text[]
		WHEN 'recorder' THEN '{branch_id,role_name,elected_on}'::pg_catalog.text[]
		WHEN 'score' THEN '{member_id,month,item,points}'::pg_catalog.text[]
		WHEN 'award' THEN '{member_id,month,kind}'::pg_catalog.text[] END;
	IF names IS NULL THEN
		PERFORM pointsys.refuse('22023', 'pointsys cannot import into "%s"', NULL, NULL, target);
	END IF;

	-- the header: the first row
	SELECT r.line, r.fields INTO hline, header FROM pointsys.csv_rows(csv) AS r LIMIT 1;
	IF header IS NULL THEN
		RETURN QUERY SELECT 1, NULL::pg_catalog.text, '22P04'::pg_catalog.text, NULL::pg_catalog.text,
			'the CSV text has no header row'::pg_catalog.text,
			'The first row of the sheet names its columns.'::pg_catalog.text;
		RETURN;
	END IF;
	FOR k IN 1 .. pg_catalog.cardinality(header) LOOP
		h := pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.translate(header[k], '（）', '()'), '\s+', '', 'g'));
		c := names OPERATOR(pg_catalog.->>) h;
		IF c IS NULL AND h OPERATOR(pg_catalog.=) '' THEN
			CONTINUE;					-- an empty column spreadsheets add
		END IF;
		IF c IS NULL AND target OPERATOR(pg_catalog.=) 'score' THEN
			SELECT i.item INTO c FROM pointsys.item i
			WHERE pg_catalog.lower(i.item) OPERATOR(pg_catalog.=) h
			   OR pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.translate(i.title, '（）', '()'), '\s+', '', 'g'))
				  OPERATOR(pg_catalog.=) h
			ORDER BY i.item LIMIT 1;
			IF c IS NOT NULL THEN
				IF c OPERATOR(pg_catalog.=) ANY (item_code) THEN
					bad_header := true;
					RETURN QUERY SELECT hline, header[k], '22P04'::pg_catalog.text, NULL::pg_catalog.text,
						pg_catalog.format('the column of item "%s" appears twice', c),
						pg_catalog.format('Column %s repeats an earlier column.', k);
				END IF;
				item_pos := item_pos OPERATOR(pg_catalog.||) k;
				item_code := item_code OPERATOR(pg_catalog.||) c;
				CONTINUE;
			END IF;
		END IF;
		IF c IS NULL THEN
			bad_header := true;
			RETURN QUERY SELECT hline, header[k], '22P04'::pg_catalog.text, NULL::pg_catalog.text,
				pg_catalog.format('unknown column header "%s"', header[k]),
				pg_catalog.format('The columns of this sheet are %s%s.',
					(SELECT pg_catalog.string_agg(pg_catalog.format('%s (%s)', l.value, l.key), ', ' ORDER BY l.key)
					 FROM pg_catalog.jsonb_each_text(labels) AS l
					 WHERE EXISTS (SELECT FROM pg_catalog.jsonb_each_text(names) AS n
								   WHERE n.value OPERATOR(pg_catalog.=) l.key)),
					CASE WHEN target OPERATOR(pg_catalog.=) 'score'
						 THEN ', or one column per item of the rulebook, headed by its code or its title' ELSE '' END);
		ELSIF c OPERATOR(pg_catalog.<>) '' THEN
			IF pos OPERATOR(pg_catalog.?) c THEN
				bad_header := true;
				RETURN QUERY SELECT hline, header[k], '22P04'::pg_catalog.text, NULL::pg_catalog.text,
					pg_catalog.format('the column %s appears twice', labels OPERATOR(pg_catalog.->>) c),
					pg_catalog.format('Column %s repeats column %s.', k, pos OPERATOR(pg_catalog.->>) c);
			ELSE
				pos := pos OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(c, k);
			END IF;
		END IF;
	END LOOP;
	-- a month's sheet without item and points columns is the record form's
	-- layout: one column per item of the rulebook, each required
	IF target OPERATOR(pg_catalog.=) 'score' AND NOT (pos OPERATOR(pg_catalog.?|) '{item,points,note}'::pg_catalog.text[]) THEN
		wide := true;
		required := '{member_id,month}';
		RETURN QUERY SELECT hline, i.title, '22P04'::pg_catalog.text, NULL::pg_catalog.text,
			pg_catalog.format('the sheet has no column for item "%s"', u.item),
			'The record form has a column for each item of the rulebook, headed by its code or its title; leave a cell empty for no score.'::pg_catalog.text
		FROM pg_catalog.unnest(pointsys.rulebook_items()) WITH ORDINALITY AS u(item, n)
		JOIN pointsys.item i ON i.item OPERATOR(pg_catalog.=) u.item
		WHERE u.item OPERATOR(pg_catalog.<>) ALL (item_code)
		ORDER BY u.n;
		IF FOUND THEN
			bad_header := true;
		END IF;
	ELSIF pg_catalog.cardinality(item_code) OPERATOR(pg_catalog.>) 0 THEN
		bad_header := true;
		RETURN QUERY SELECT hline, header[p], '22P04'::pg_catalog.text, NULL::pg_catalog.text,
			pg_catalog.format('unknown column header "%s"', header[p]),
			'A sheet in the long form has the columns 党员编号, 月份, 积分项目, 得分 and 备注; item columns belong to the record form''s layout.'::pg_catalog.text
		FROM pg_catalog.unnest(item_pos) AS p;
	END IF;
	RETURN QUERY SELECT hline, labels OPERATOR(pg_catalog.->>) r, '22P04'::pg_catalog.text, NULL::pg_catalog.text,
		pg_catalog.format('the sheet has no column %s', labels OPERATOR(pg_catalog.->>) r),
		pg_catalog.format('Head a column %s (or %s).', labels OPERATOR(pg_catalog.->>) r, r)
	FROM pg_catalog.unnest(required) AS r
	WHERE NOT pos OPERATOR(pg_catalog.?) r;
	IF FOUND THEN
		bad_header := true;
	END IF;
	IF bad_header THEN
		RETURN;
	END IF;

	-- the rows as JSON objects, each cell trimmed, empty as null, dates read
	IF wide THEN
		SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
					'member_id', v.member_id, 'month', v.month, 'item', v.item, 'points', v.points)
					ORDER BY v.line, v.n),
			   pg_catalog.array_agg(v.line ORDER BY v.line, v.n),
			   pg_catalog.array_agg(v.cell ORDER BY v.line, v.n)
		INTO sheet, lines, cells
		FROM (SELECT r.line, u.n, u.item, header[u.p] AS cell,
					 NULLIF(pg_catalog.btrim(r.fields[(pos OPERATOR(pg_catalog.->>) 'member_id')::pg_catalog.int4]), '') AS member_id,
					 pointsys.csv_date(NULLIF(pg_catalog.btrim(r.fields[(pos OPERATOR(pg_catalog.->>) 'month')::pg_catalog.int4]), ''), true) AS month,
					 NULLIF(pg_catalog.btrim(r.fields[u.p]), '') AS points
			  FROM pointsys.csv_rows(csv) AS r
			  CROSS JOIN ROWS FROM (pg_catalog.unnest(item_pos), pg_catalog.unnest(item_code)) WITH ORDINALITY AS u(p, item, n)
			  WHERE r.line OPERATOR(pg_catalog.>) hline) v
		WHERE v.points IS NOT NULL;
	ELSE
		SELECT pg_catalog.jsonb_agg(v.o ORDER BY v.line), pg_catalog.array_agg(v.line ORDER BY v.line)
		INTO sheet, lines
		FROM (SELECT r.line,
					 pg_catalog.jsonb_object_agg(p.key,
						CASE WHEN p.key OPERATOR(pg_catalog.=) ANY ('{joined_on,left_on,elected_on}'::pg_catalog.text[])
							 THEN pointsys.csv_date(NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), ''), false)
							 WHEN p.key OPERATOR(pg_catalog.=) 'month'
							 THEN pointsys.csv_date(NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), ''), true)
							 WHEN p.key OPERATOR(pg_catalog.=) ANY ('{note,description}'::pg_catalog.text[])
							 THEN NULLIF(r.fields[p.value::pg_catalog.int4], '')
							 -- an item or award kind may be written as its title
							 WHEN p.key OPERATOR(pg_catalog.=) 'item'
							 THEN COALESCE((SELECT i.item FROM pointsys.item i
											WHERE i.title OPERATOR(pg_catalog.=) pg_catalog.btrim(r.fields[p.value::pg_catalog.int4])
											ORDER BY i.item LIMIT 1),
										   NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), ''))
							 WHEN p.key OPERATOR(pg_catalog.=) 'kind'
							 THEN COALESCE((SELECT k.kind FROM pointsys.award_kind k
											WHERE k.title OPERATOR(pg_catalog.=) pg_catalog.btrim(r.fields[p.value::pg_catalog.int4])
											ORDER BY k.kind LIMIT 1),
										   NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), ''))
							 ELSE NULLIF(pg_catalog.btrim(r.fields[p.value::pg_catalog.int4]), '') END) AS o
			  FROM pointsys.csv_rows(csv) AS r
			  CROSS JOIN pg_catalog.jsonb_each_text(pos) AS p
			  WHERE r.line OPERATOR(pg_catalog.>) hline
			  GROUP BY r.line) v;
	END IF;
	-- a recorder's login must exist: checked here (pointsys.recorder takes
	-- any name), with the other rows' checks made by a dry run
	IF target OPERATOR(pg_catalog.=) 'recorder' AND EXISTS (
		SELECT FROM pg_catalog.jsonb_array_elements(sheet) AS e(v)
		WHERE (e.v OPERATOR(pg_catalog.->>) 'role_name') IS NOT NULL
		  AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles a
						  WHERE a.rolname OPERATOR(pg_catalog.=) (e.v OPERATOR(pg_catalog.->>) 'role_name'))) THEN
		RETURN QUERY
		SELECT * FROM (
			SELECT lines[e.n::pg_catalog.int4], header[(pos OPERATOR(pg_catalog.->>) 'role_name')::pg_catalog.int4],
				   '42704'::pg_catalog.text, NULL::pg_catalog.text,
				   pg_catalog.format('role "%s" does not exist', e.v OPERATOR(pg_catalog.->>) 'role_name'),
				   'A recorder is a login of the database (CREATE ROLE … LOGIN; GRANT pointsys_recorder TO …).'::pg_catalog.text
			FROM pg_catalog.jsonb_array_elements(sheet) WITH ORDINALITY AS e(v, n)
			WHERE (e.v OPERATOR(pg_catalog.->>) 'role_name') IS NOT NULL
			  AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles a
							  WHERE a.rolname OPERATOR(pg_catalog.=) (e.v OPERATOR(pg_catalog.->>) 'role_name'))
			UNION ALL
			SELECT lines[i.row_number], COALESCE(header[(pos OPERATOR(pg_catalog.->>) i.field)::pg_catalog.int4], i.field),
				   i.error_code, i.constraint_name, i.message, i.detail
			FROM pointsys.import_rows(target, sheet, true) AS i) AS x
		ORDER BY 1;
		RETURN;
	END IF;
	-- the report, by spreadsheet row and column header; in the record
	-- form's layout a bad member or month, or a repeated member-month, is
	-- reported once for its row
	RETURN QUERY
	SELECT DISTINCT ON (lines[i.row_number], f.field, i.error_code, f.message)
		   lines[i.row_number], f.field, i.error_code, i.constraint_name, i.message, i.detail
	FROM pointsys.import_rows(target, COALESCE(sheet, '[]'), dry_run) AS i
	CROSS JOIN LATERAL (SELECT CASE
		WHEN wide AND i.error_code OPERATOR(pg_catalog.=) '23505' THEN header[(pos OPERATOR(pg_catalog.->>) 'month')::pg_catalog.int4]
		WHEN wide AND i.field OPERATOR(pg_catalog.=) ANY ('{item,points,note}'::pg_catalog.text[]) THEN cells[i.row_number]
		ELSE COALESCE(header[(pos OPERATOR(pg_catalog.->>) i.field)::pg_catalog.int4], i.field) END AS field,
		CASE WHEN wide AND i.error_code OPERATOR(pg_catalog.=) '23505' THEN NULL ELSE i.message END AS message) AS f
	ORDER BY lines[i.row_number], f.field, i.error_code, f.message, i.row_number;
END
$$;
COMMENT ON FUNCTION @extschema@.import_csv(pg_catalog.text, pg_catalog.text, pg_catalog.bool) IS
	'表格导入 a CSV text (header row, Chinese or English headers) loaded into pointsys.<target> through import_rows; the report by spreadsheet row and column header';
CREATE FUNCTION @extschema@.import_branches(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('branch', import_branches.csv, import_branches.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_branches(pg_catalog.text, pg_catalog.bool) IS
	'导入支部 load branches from CSV text (支部编号, 支部名称) all or nothing; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_members(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('member', import_members.csv, import_members.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_members(pg_catalog.text, pg_catalog.bool) IS
	'导入党员 load members from CSV text (党员编号, 姓名, 所在支部, 入党日期, 离开日期) all or nothing; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_recorders(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('recorder', import_recorders.csv, import_recorders.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_recorders(pg_catalog.text, pg_catalog.bool) IS
	'导入记录员 load recorders from CSV text (支部编号, 记录员 login, 当选日期) all or nothing; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_scores_csv(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('score', import_scores_csv.csv, import_scores_csv.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_scores_csv(pg_catalog.text, pg_catalog.bool) IS
	'表格导入积分 load a sheet of scores from CSV text, long (党员编号, 月份, 积分项目, 得分, 备注) or the record form''s layout (党员编号, 月份, a column per item) all or nothing with the caller''s rights; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

CREATE FUNCTION @extschema@.import_awards_csv(csv pg_catalog.text, dry_run pg_catalog.bool DEFAULT false)
	RETURNS TABLE (row_number pg_catalog.int4, field pg_catalog.text, error_code pg_catalog.text, constraint_name pg_catalog.text, message pg_catalog.text, detail pg_catalog.text)
	LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC SELECT * FROM @extschema@.import_csv('award', import_awards_csv.csv, import_awards_csv.dry_run); END;
COMMENT ON FUNCTION @extschema@.import_awards_csv(pg_catalog.text, pg_catalog.bool) IS
	'表格导入奖励 load a sheet of awards from CSV text (党员编号, 月份, 奖励种类, 事由) all or nothing with the caller''s rights; returns no row when loaded, else every bad row by spreadsheet row and column header and writes nothing; dry_run only checks';

REVOKE ALL ON FUNCTION
	@extschema@.import_rows(pg_catalog.text, pg_catalog.jsonb, pg_catalog.bool),
	@extschema@.import_csv(pg_catalog.text, pg_catalog.text, pg_catalog.bool),
	@extschema@.csv_rows(pg_catalog.text),
	@extschema@.csv_date(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_branches(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_members(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_recorders(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_scores_csv(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_awards_csv(pg_catalog.text, pg_catalog.bool)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	@extschema@.import_rows(pg_catalog.text, pg_catalog.jsonb, pg_catalog.bool),
	@extschema@.import_csv(pg_catalog.text, pg_catalog.text, pg_catalog.bool),
	@extschema@.csv_rows(pg_catalog.text),
	@extschema@.csv_date(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_scores_csv(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_awards_csv(pg_catalog.text, pg_catalog.bool)
TO pointsys_admin, pointsys_recorder;
GRANT EXECUTE ON FUNCTION
	@extschema@.import_branches(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_members(pg_catalog.text, pg_catalog.bool),
	@extschema@.import_recorders(pg_catalog.text, pg_catalog.bool)
TO pointsys_admin;

------------------------------------------------------------------------
-- 上报备案 / 积分核查 filed means frozen (issue 25): the audit trail's
-- hash chain (audit_seal, seal_audit, verify_audit), written as in
-- src/sql/83_audit_chain.sql; a digest of the branch quarter's ledger at
-- filing (filing, ledger_text, ledger_digest), verify_quarter,
-- filing_mismatches, as in src/sql/84_filing.sql; the digest line on the
-- printed sheets, as in src/sql/86_sheets.sql.  Quarters filed or
-- verified before the update get a filing of the ledger as it stands at
-- the update (doc/filing.md).
------------------------------------------------------------------------

------------------------------------------------------------------------
-- 审计链 an audit trail that shows tampering (doc/filing.md, The audit
-- trail's chain).  Writers are not slowed: audit.c writes batches as it
-- did, and a batch is sealed afterwards, by seal_audit (at each filing and
-- on demand), once no transaction that could still commit a batch with a
-- lower id is in progress.  That is known without waiting and without a
-- lock on the writers: each call of seal_audit records a mark (the
-- position of the audit id sequence, read first, then the transactions in
-- progress); a later call seals up to the newest mark whose transactions
-- have all ended.
------------------------------------------------------------------------

CREATE TABLE @extschema@.audit_seal (
	audit_id pg_catalog.int8 NOT NULL,
	link pg_catalog.text NOT NULL
		CONSTRAINT audit_seal_link_hex CHECK (link OPERATOR(pg_catalog.~) '^[0-9a-f]{64}$'),
	sealed_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT audit_seal_pkey PRIMARY KEY (audit_id)
);
COMMENT ON TABLE @extschema@.audit_seal IS
	'审计链 the hash chain of the audit trail: one link per sealed batch of audit_log, a chain per node (node_of(audit_id)); written by seal_audit only';
COMMENT ON COLUMN @extschema@.audit_seal.audit_id IS '审计编号 the batch (audit_log.audit_id)';
COMMENT ON COLUMN @extschema@.audit_seal.link IS
	'链值 SHA-256 (hex) of the previous link of the node (64 zeros for the first), a line feed and the batch''s content (audit_batch_text)';
COMMENT ON COLUMN @extschema@.audit_seal.sealed_at IS '封存时间 when the batch was sealed';
COMMENT ON CONSTRAINT audit_seal_link_hex ON @extschema@.audit_seal IS '链值格式 64 lower-case hex digits';
COMMENT ON INDEX @extschema@.audit_seal_pkey IS '审计链主键 one link per batch';

CREATE TABLE @extschema@.audit_seal_mark (
	node pg_catalog.int4 NOT NULL,
	max_id pg_catalog.int8 NOT NULL,
	in_progress pg_catalog.pg_snapshot NOT NULL,
	taken_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	-- a key, so that a publication of the schema can replicate its deletes
	CONSTRAINT audit_seal_mark_pkey PRIMARY KEY (node, max_id)
);
COMMENT ON TABLE @extschema@.audit_seal_mark IS
	'封存标记 marks of seal_audit: the audit id sequence''s position, then the transactions in progress; this cluster''s own (not dumped)';
COMMENT ON COLUMN @extschema@.audit_seal_mark.node IS '节点 the node whose ids the sequence gives out';
COMMENT ON COLUMN @extschema@.audit_seal_mark.max_id IS '编号上限 every audit id reserved before the mark is at most this';
COMMENT ON COLUMN @extschema@.audit_seal_mark.in_progress IS '进行中事务 the snapshot taken after reading max_id: its in-progress transactions may still commit batches up to max_id';
COMMENT ON COLUMN @extschema@.audit_seal_mark.taken_at IS '时间 when the mark was taken';
COMMENT ON INDEX @extschema@.audit_seal_mark_pkey IS
	'封存标记主键 one mark per position of the sequence: the earliest (its snapshot is the older, and as safe)';

CREATE FUNCTION @extschema@.audit_batch_text(audit_id pg_catalog.int8, at pg_catalog.timestamptz,
											 actor pg_catalog.name, acting_as pg_catalog.name,
											 table_name pg_catalog.text, action pg_catalog.text,
											 old_row pg_catalog.jsonb, new_row pg_catalog.jsonb,
											 reason pg_catalog.text, row_count pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE sql STABLE PARALLEL SAFE
RETURN pg_catalog.jsonb_build_object(
	'audit_id', audit_id,
	'at', pg_catalog.to_char(pg_catalog.timezone('UTC', at), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
	'actor', actor, 'acting_as', acting_as, 'table_name', table_name, 'action', action,
	'old_row', old_row, 'new_row', new_row, 'reason', reason, 'row_count', row_count)::pg_catalog.text;
COMMENT ON FUNCTION @extschema@.audit_batch_text(pg_catalog.int8, pg_catalog.timestamptz, pg_catalog.name, pg_catalog.name,
												 pg_catalog.text, pg_catalog.text, pg_catalog.jsonb, pg_catalog.jsonb,
												 pg_catalog.text, pg_catalog.int4) IS
	'批次内容 the content of an audit_log batch that its link hashes: a jsonb object of every column (at in UTC, microseconds), as text';

CREATE FUNCTION @extschema@.audit_link(previous pg_catalog.text, content pg_catalog.text)
	RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
	COALESCE(previous, pg_catalog.repeat('0', 64)) OPERATOR(pg_catalog.||) E'\n' OPERATOR(pg_catalog.||) content, 'UTF8')), 'hex');
COMMENT ON FUNCTION @extschema@.audit_link(pg_catalog.text, pg_catalog.text) IS
	'链值 SHA-256 (hex) of the previous link (64 zeros: none), a line feed and a batch''s content';

CREATE FUNCTION @extschema@.seal_audit(most pg_catalog.int8 DEFAULT NULL) RETURNS pg_catalog.int8
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	position pg_catalog.int8;
	this_node pg_catalog.int4;
	safe pg_catalog.int8;
	previous pg_catalog.text;
	last_sealed pg_catalog.int8;
	sealed pg_catalog.int8 := 0;
	b record;
BEGIN
	-- a REPEATABLE READ snapshot may predate another sealer's links
	IF pg_catalog.current_setting('transaction_isolation') OPERATOR(pg_catalog.<>) 'read committed' THEN
		PERFORM pointsys.refuse('25001', 'seal_audit runs in a READ COMMITTED transaction', NULL,
								'Run it in a transaction of its own, or SET TRANSACTION ISOLATION LEVEL READ COMMITTED.');
	END IF;
	-- one sealer at a time (writers of the ledger take no part)
	LOCK TABLE pointsys.audit_seal_mark IN EXCLUSIVE MODE;
	-- the sequence's position first, then (below) the transactions in progress
	SELECT s.last_value INTO position FROM pointsys.audit_log_audit_id_seq s;
	this_node := pointsys.node_of(position);
	-- the newest earlier mark of this node whose transactions have all ended
	SELECT pg_catalog.max(k.max_id) INTO safe
	FROM pointsys.audit_seal_mark k
	WHERE k.node OPERATOR(pg_catalog.=) this_node
	  AND NOT EXISTS (SELECT FROM pg_catalog.pg_snapshot_xip(k.in_progress) AS x(xid)
					  WHERE pg_catalog.pg_xact_status(x.xid) OPERATOR(pg_catalog.<>) 'aborted'
						AND NOT pg_catalog.pg_visible_in_snapshot(x.xid, pg_catalog.pg_current_snapshot()));
	IF safe IS NOT NULL THEN
		SELECT s.audit_id, s.link INTO last_sealed, previous
		FROM pointsys.audit_seal s
		WHERE s.audit_id OPERATOR(pg_catalog.>=) (this_node::pg_catalog.int8 OPERATOR(pg_catalog.<<) 40)
		  AND s.audit_id OPERATOR(pg_catalog.<) ((this_node OPERATOR(pg_catalog.+) 1)::pg_catalog.int8 OPERATOR(pg_catalog.<<) 40)
		ORDER BY s.audit_id DESC LIMIT 1;
		FOR b IN
			SELECT a.audit_id,
				   pointsys.audit_batch_text(a.audit_id, a.at, a.actor, a.acting_as, a.table_name, a.action,
											 a.old_row, a.new_row, a.reason, a.row_count) AS content
			FROM pointsys.audit_log a
			WHERE a.audit_id OPERATOR(pg_catalog.>=) (this_node::pg_catalog.int8 OPERATOR(pg_catalog.<<) 40)
			  AND a.audit_id OPERATOR(pg_catalog.>) COALESCE(last_sealed, 0)
			  AND a.audit_id OPERATOR(pg_catalog.<=) safe
			ORDER BY a.audit_id
			LIMIT most
		LOOP
			previous := pointsys.audit_link(previous, b.content);
			INSERT INTO pointsys.audit_seal (audit_id, link) VALUES (b.audit_id, previous);
			sealed := sealed OPERATOR(pg_catalog.+) 1;
		END LOOP;
		-- the marks used, unless `most` stopped short of the safe one
		IF most IS NULL OR sealed OPERATOR(pg_catalog.<) most THEN
			DELETE FROM pointsys.audit_seal_mark k
			WHERE k.node OPERATOR(pg_catalog.=) this_node AND k.max_id OPERATOR(pg_catalog.<=) safe;
		END IF;
	END IF;
	INSERT INTO pointsys.audit_seal_mark (node, max_id, in_progress)
	VALUES (this_node, position, pg_catalog.pg_current_snapshot())
	ON CONFLICT ON CONSTRAINT audit_seal_mark_pkey DO NOTHING;
	RETURN sealed;
END
$$;
COMMENT ON FUNCTION @extschema@.seal_audit(pg_catalog.int8) IS
	'审计封存 seals, in id order, this node''s audit batches up to the newest earlier mark whose transactions have all ended, then takes a new mark; at most `most` batches (NULL: no limit); returns how many were sealed (pointsys_admin; each filing seals up to 1000)';
REVOKE EXECUTE ON FUNCTION @extschema@.seal_audit(pg_catalog.int8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.seal_audit(pg_catalog.int8) TO pointsys_admin;

CREATE FUNCTION @extschema@.verify_audit()
	RETURNS TABLE (node pg_catalog.int4, batches pg_catalog.int8, sealed pg_catalog.int8,
				   head_id pg_catalog.int8, head_link pg_catalog.text,
				   first_break pg_catalog.int8, problem pg_catalog.text)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	WITH joined AS (
		SELECT COALESCE(a.audit_id, s.audit_id) AS audit_id,
			   @extschema@.node_of(COALESCE(a.audit_id, s.audit_id)) AS node,
			   a.audit_id IS NOT NULL AS present, s.link,
			   CASE WHEN a.audit_id IS NOT NULL THEN
				   @extschema@.audit_batch_text(a.audit_id, a.at, a.actor, a.acting_as, a.table_name, a.action,
												a.old_row, a.new_row, a.reason, a.row_count) END AS content
		FROM @extschema@.audit_log a
		FULL JOIN @extschema@.audit_seal s ON s.audit_id OPERATOR(pg_catalog.=) a.audit_id
	), chained AS (
		SELECT j.*,
			   -- the link before, among this node's sealed batches
			   pg_catalog.lag(j.link) OVER (PARTITION BY j.node, j.link IS NOT NULL ORDER BY j.audit_id) AS previous,
			   pg_catalog.max(j.audit_id) FILTER (WHERE j.link IS NOT NULL) OVER (PARTITION BY j.node) AS last_sealed
		FROM joined j
	), judged AS (
		SELECT c.node, c.audit_id, c.present, c.link, c.last_sealed,
			   CASE WHEN c.link IS NOT NULL AND NOT c.present THEN 'sealed batch missing (deleted)'
					WHEN c.link IS NULL AND c.audit_id OPERATOR(pg_catalog.<) c.last_sealed
						THEN 'unsealed batch among sealed ones (inserted, or its link deleted)'
					WHEN c.link IS NOT NULL
						 AND c.link OPERATOR(pg_catalog.<>) @extschema@.audit_link(c.previous, c.content)
						THEN 'link does not match (batch altered, reordered, or one before it deleted)'
			   END AS problem
		FROM chained c
	), summary AS (
		SELECT j.node, pg_catalog.count(*) FILTER (WHERE j.present) AS batches,
			   pg_catalog.count(*) FILTER (WHERE j.link IS NOT NULL) AS sealed,
			   pg_catalog.max(j.last_sealed) AS head_id,
			   pg_catalog.min(j.audit_id) FILTER (WHERE j.problem IS NOT NULL) AS first_break,
			   (pg_catalog.array_agg(j.problem ORDER BY j.audit_id) FILTER (WHERE j.problem IS NOT NULL))[1] AS problem
		FROM judged j
		GROUP BY j.node
	)
	SELECT m.node, m.batches, m.sealed, m.head_id, s.link, m.first_break, m.problem
	FROM summary m
	LEFT JOIN @extschema@.audit_seal s ON s.audit_id OPERATOR(pg_catalog.=) m.head_id
	ORDER BY m.node;
END;
COMMENT ON FUNCTION @extschema@.verify_audit() IS
	'审计链核查 per node: batches, sealed batches, the chain head (its id and link, to keep outside the database) and the first break of the chain with what it is; NULL first_break: the chain holds';

CREATE FUNCTION @extschema@.audit_seal_immutable() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pointsys.refuse('42501', 'the audit trail''s chain cannot be changed',
							'%s of pointsys.%s is refused.', 'Links are added by pointsys.seal_audit() only.',
							TG_OP, TG_TABLE_NAME);
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.audit_seal_immutable() IS '审计链不可改 refuses to change the links of the audit trail''s chain';
REVOKE EXECUTE ON FUNCTION @extschema@.audit_seal_immutable() FROM PUBLIC;
CREATE TRIGGER audit_seal_immutable BEFORE UPDATE OR DELETE ON @extschema@.audit_seal
	FOR EACH ROW EXECUTE FUNCTION @extschema@.audit_seal_immutable();
CREATE TRIGGER audit_seal_immutable_truncate BEFORE TRUNCATE ON @extschema@.audit_seal
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_seal_immutable();
COMMENT ON TRIGGER audit_seal_immutable ON @extschema@.audit_seal IS '审计链不可改 links are never updated or deleted';
COMMENT ON TRIGGER audit_seal_immutable_truncate ON @extschema@.audit_seal IS '审计链不可改 the chain is never truncated';

GRANT SELECT ON @extschema@.audit_seal TO pointsys_admin, pointsys_reader;
SELECT pg_catalog.pg_extension_config_dump('pointsys.audit_seal', '');


------------------------------------------------------------------------
-- 备案摘要 the canonical serialisation of a branch quarter and its digest
-- (issue 25).  doc/filing.md specifies the text byte for byte: change
-- nothing here without changing it there (and the second implementation
-- in test/t/011_filing.pl), or every filed digest stops verifying.
------------------------------------------------------------------------

CREATE FUNCTION @extschema@.ledger_field(pg_catalog.text) RETURNS pg_catalog.text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
	$1, E'\\', E'\\\\'), E'\t', E'\\t'), E'\n', E'\\n'), E'\r', E'\\r');
COMMENT ON FUNCTION @extschema@.ledger_field(pg_catalog.text) IS
	'摘要字段 a text field of the ledger serialisation: backslash, tab, line feed and carriage return escaped as \\ \t \n \r (doc/filing.md)';

CREATE FUNCTION @extschema@.ledger_text(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	first_month pg_catalog.date;
	last_month pg_catalog.date;
	result pg_catalog.text;
BEGIN
	-- the rights first: a refused role learns nothing of the arguments
	PERFORM pointsys.check_branch_documents(ledger_text.branch_id);
	first_month := pointsys.quarter_start(ledger_text.year, ledger_text.quarter);
	last_month := (first_month OPERATOR(pg_catalog.+) '2 months'::pg_catalog.interval)::pg_catalog.date;
	-- Read with the caller's rights: an admin and a reader see every row; a
	-- recorder of the branch sees its months' score and award rows (row
	-- security by the branch of each member-month) and the membership rows
	-- naming the branch, from which branch_of finds the branch right for
	-- every month the branch had (doc/filing.md, Who computes it)
	WITH candidates AS (
		-- a member is in the branch some month only if a membership row names it
		SELECT DISTINCT s.member_id FROM pointsys.membership s
		WHERE s.branch_id OPERATOR(pg_catalog.=) ledger_text.branch_id
	), scores AS (
		SELECT s.member_id, s.month, s.item, s.points
		FROM pointsys.score s
		JOIN candidates c ON c.member_id OPERATOR(pg_catalog.=) s.member_id
		WHERE s.month OPERATOR(pg_catalog.>=) first_month AND s.month OPERATOR(pg_catalog.<=) last_month
	), awards AS (
		SELECT a.member_id, a.month, a.award_id, a.kind, k.points
		FROM pointsys.award a
		JOIN candidates c ON c.member_id OPERATOR(pg_catalog.=) a.member_id
		JOIN pointsys.award_kind k ON k.kind OPERATOR(pg_catalog.=) a.kind
		WHERE a.month OPERATOR(pg_catalog.>=) first_month AND a.month OPERATOR(pg_catalog.<=) last_month
	), grouped AS MATERIALIZED (
		-- the member-months recorded, with their sums (materialized: the
		-- branch is looked up once per member-month, not once per row)
		SELECT r.member_id, r.month, pointsys.ledger_field(r.member_id) AS m_field,
			   pg_catalog.to_char(r.month, 'YYYY-MM') AS ym,
			   pg_catalog.sum(r.points) FILTER (WHERE r.scored) AS points,
			   pg_catalog.sum(r.points) FILTER (WHERE NOT r.scored) AS award_points
		FROM (SELECT s.member_id, s.month, s.points, true AS scored FROM scores s
			  UNION ALL
			  SELECT a.member_id, a.month, a.points, false FROM awards a) r
		GROUP BY r.member_id, r.month
	), months AS (
		-- those in the branch
		SELECT g.* FROM grouped g
		WHERE pointsys.branch_of(g.member_id, g.month) OPERATOR(pg_catalog.=) ledger_text.branch_id
	), cap AS (
		SELECT c.cap FROM pointsys.category c WHERE c.category OPERATOR(pg_catalog.=) 'reward'
	), totals AS (
		SELECT m.member_id, m.month, m.m_field, m.ym,
			   COALESCE(m.points, 0) OPERATOR(pg_catalog.+) LEAST(COALESCE(m.award_points, 0), (SELECT cap.cap FROM cap)) AS total
		FROM months m
	), lines (sec, member, grp, month, rank, sub, id, line) AS (
		SELECT 0, '', 0, NULL::pg_catalog.date, 1, '', 0::pg_catalog.int8,
			   pg_catalog.concat_ws(E'\t', 'pointsys-ledger', '1')
		UNION ALL
		SELECT 0, '', 0, NULL, 2, '', 0, pg_catalog.concat_ws(E'\t', 'branch', pointsys.ledger_field(ledger_text.branch_id))
		UNION ALL
		SELECT 0, '', 0, NULL, 3, '', 0, pg_catalog.concat_ws(E'\t', 'quarter', ledger_text.year, ledger_text.quarter)
		UNION ALL
		SELECT 0, '', 0, NULL, 4, '', 0, pg_catalog.concat_ws(E'\t', 'reward_cap', pg_catalog.trim_scale(cap.cap))
		FROM cap
		UNION ALL
		SELECT DISTINCT 1, '', 0, NULL::pg_catalog.date, 0, a.kind, 0::pg_catalog.int8,
			   pg_catalog.concat_ws(E'\t', 'kind', pointsys.ledger_field(a.kind), pg_catalog.trim_scale(a.points))
		FROM months m
		JOIN awards a ON a.member_id OPERATOR(pg_catalog.=) m.member_id AND a.month OPERATOR(pg_catalog.=) m.month
		UNION ALL
		SELECT 2, t.member_id, 0, t.month, 0, '', 0,
			   pg_catalog.concat_ws(E'\t', 'month', t.m_field, t.ym, pg_catalog.trim_scale(t.total))
		FROM totals t
		UNION ALL
		SELECT 2, s.member_id, 0, s.month, 1, s.item, 0,
			   pg_catalog.concat_ws(E'\t', 'score', m.m_field, m.ym, pointsys.ledger_field(s.item),
									pg_catalog.trim_scale(s.points))
		FROM months m
		JOIN scores s ON s.member_id OPERATOR(pg_catalog.=) m.member_id AND s.month OPERATOR(pg_catalog.=) m.month
		UNION ALL
		SELECT 2, a.member_id, 0, a.month, 2, '', a.award_id,
			   pg_catalog.concat_ws(E'\t', 'award', m.m_field, m.ym, a.award_id, pointsys.ledger_field(a.kind))
		FROM months m
		JOIN awards a ON a.member_id OPERATOR(pg_catalog.=) m.member_id AND a.month OPERATOR(pg_catalog.=) m.month
		UNION ALL
		SELECT 2, t.member_id, 1, NULL, 0, '', 0,
			   pg_catalog.concat_ws(E'\t', 'quarter_score', t.m_field,
									pg_catalog.trim_scale(pointsys.quarter_avg(t.total)), pg_catalog.count(*))
		FROM totals t
		GROUP BY t.member_id, t.m_field
	)
	SELECT pg_catalog.string_agg(l.line OPERATOR(pg_catalog.||) E'\n', ''
								 ORDER BY l.sec, l.member COLLATE "C", l.grp, l.month, l.rank, l.sub COLLATE "C", l.id)
	INTO result
	FROM lines l;
	RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.ledger_text(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'备案台账文本 the canonical serialisation of a branch quarter''s ledger that its digest is computed over (doc/filing.md); for the branch''s recorders, admins and readers';

CREATE FUNCTION @extschema@.ledger_digest(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE sql STABLE STRICT
BEGIN ATOMIC
	SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
		@extschema@.ledger_text(ledger_digest.branch_id, ledger_digest.year, ledger_digest.quarter), 'UTF8')), 'hex');
END;
COMMENT ON FUNCTION @extschema@.ledger_digest(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'台账摘要 SHA-256 (64 lower-case hex digits) of the UTF-8 bytes of ledger_text: the branch quarter''s ledger as it stands now';

------------------------------------------------------------------------
-- 备案记录 the filings: one row each time a quarter moves to filed
------------------------------------------------------------------------

CREATE TABLE @extschema@.filing (
	-- no foreign key: a filing outlives its branch's deletion (an archive)
	branch_id pg_catalog.text NOT NULL,
	year pg_catalog.int4 NOT NULL,
	quarter pg_catalog.int4 NOT NULL
		CONSTRAINT filing_quarter_range CHECK (quarter OPERATOR(pg_catalog.>=) 1 AND quarter OPERATOR(pg_catalog.<=) 4),
	filing pg_catalog.int4 NOT NULL
		CONSTRAINT filing_number_positive CHECK (filing OPERATOR(pg_catalog.>=) 1),
	filed_at pg_catalog.timestamptz NOT NULL,
	filed_by pg_catalog.name NOT NULL,
	digest pg_catalog.text NOT NULL
		CONSTRAINT filing_digest_hex CHECK (digest OPERATOR(pg_catalog.~) '^[0-9a-f]{64}$'),
	CONSTRAINT filing_pkey PRIMARY KEY (branch_id, year, quarter, filing)
);
COMMENT ON TABLE @extschema@.filing IS
	'上报备案记录 the digest of a branch quarter''s ledger each time the quarter was filed; earlier filings are kept (written by pointsys only; not audited: the audited change of the period to filed names who filed)';
COMMENT ON COLUMN @extschema@.filing.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.filing.year IS '年度 year';
COMMENT ON COLUMN @extschema@.filing.quarter IS '季度 quarter (1..4)';
COMMENT ON COLUMN @extschema@.filing.filing IS '备案次数 1 for the first filing, 2 for the filing after the first reopen, …';
COMMENT ON COLUMN @extschema@.filing.filed_at IS '备案时间 when the quarter moved to filed (transaction time)';
COMMENT ON COLUMN @extschema@.filing.filed_by IS '备案人 the role that moved the quarter to filed';
COMMENT ON COLUMN @extschema@.filing.digest IS '备案摘要 ledger_digest at filing: SHA-256 of the serialisation of doc/filing.md, lower-case hex';
COMMENT ON CONSTRAINT filing_quarter_range ON @extschema@.filing IS '季度 the quarter is 1..4';
COMMENT ON CONSTRAINT filing_number_positive ON @extschema@.filing IS '备案次数 filings are numbered from 1';
COMMENT ON CONSTRAINT filing_digest_hex ON @extschema@.filing IS '摘要格式 64 lower-case hex digits';
COMMENT ON INDEX @extschema@.filing_pkey IS '备案主键 one row per filing of a branch quarter';

CREATE FUNCTION @extschema@.filing_record() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pointsys.check_firing('filing_record', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.period', 'AFTER', '{UPDATE}');
	IF OLD.status OPERATOR(pg_catalog.=) 'publicized' AND NEW.status OPERATOR(pg_catalog.=) 'filed' THEN
		-- as the owner: every row of the branch quarter, whoever files it;
		-- the period row is locked by the update, so filings do not race
		INSERT INTO pointsys.filing (branch_id, year, quarter, filing, filed_at, filed_by, digest)
		SELECT NEW.branch_id, NEW.year, NEW.quarter,
			   COALESCE(pg_catalog.max(f.filing), 0) OPERATOR(pg_catalog.+) 1,
			   pg_catalog.now(), NEW.changed_by,
			   pointsys.ledger_digest(NEW.branch_id, NEW.year, NEW.quarter)
		FROM pointsys.filing f
		WHERE f.branch_id OPERATOR(pg_catalog.=) NEW.branch_id
		  AND f.year OPERATOR(pg_catalog.=) NEW.year
		  AND f.quarter OPERATOR(pg_catalog.=) NEW.quarter;
		-- and the audit trail's chain sealed as far as it safely can be:
		-- only under READ COMMITTED (a REPEATABLE READ snapshot may predate
		-- another sealer's links), and only when no other seal is under way
		-- (a filing never waits for another branch's open transaction; the
		-- next seal goes further)
		IF pg_catalog.current_setting('transaction_isolation') OPERATOR(pg_catalog.=) 'read committed' THEN
			BEGIN
				LOCK TABLE pointsys.audit_seal_mark IN EXCLUSIVE MODE NOWAIT;
				PERFORM pointsys.seal_audit(1000);
			EXCEPTION WHEN lock_not_available THEN
				NULL;
			END;
		END IF;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.filing_record() IS
	'上报备案摘要 records the ledger digest of a branch quarter when it moves from publicized to filed';
REVOKE EXECUTE ON FUNCTION @extschema@.filing_record() FROM PUBLIC;
CREATE TRIGGER filing_record AFTER UPDATE OF status ON @extschema@.period
	FOR EACH ROW
	WHEN (OLD.status OPERATOR(pg_catalog.=) 'publicized' AND NEW.status OPERATOR(pg_catalog.=) 'filed')
	EXECUTE FUNCTION @extschema@.filing_record();
COMMENT ON TRIGGER filing_record ON @extschema@.period IS
	'上报备案摘要 a filing row with the ledger digest each time the quarter is filed';

ALTER TABLE @extschema@.filing ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON @extschema@.filing FOR SELECT TO pointsys_admin USING (true);
CREATE POLICY reader_all ON @extschema@.filing FOR SELECT TO pointsys_reader USING (true);
CREATE POLICY recorder_branch ON @extschema@.filing FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
COMMENT ON POLICY admin_all ON @extschema@.filing IS '局党组 pointsys_admin reads every branch''s filings';
COMMENT ON POLICY reader_all ON @extschema@.filing IS '报表工具 pointsys_reader reads every branch''s filings';
COMMENT ON POLICY recorder_branch ON @extschema@.filing IS '记录员 the filings of the recorder''s branches';
GRANT SELECT ON @extschema@.filing TO pointsys_admin, pointsys_recorder, pointsys_reader;
SELECT pg_catalog.pg_extension_config_dump('pointsys.filing', '');

------------------------------------------------------------------------
-- 积分核查 verification: the ledger against its filed digest and against
-- the audit trail's history
------------------------------------------------------------------------

-- The score and award rows of a branch quarter that differ from the last
-- version the audit trail recorded of them: a row changed, deleted or
-- inserted around pointsys (triggers off, replica mode, an edited dump)
CREATE FUNCTION @extschema@.audit_differences(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.jsonb
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	first_month pg_catalog.date;
	last_month pg_catalog.date;
	result pg_catalog.jsonb;
BEGIN
	PERFORM pointsys.check_branch_documents(audit_differences.branch_id);
	first_month := pointsys.quarter_start(audit_differences.year, audit_differences.quarter);
	last_month := (first_month OPERATOR(pg_catalog.+) '2 months'::pg_catalog.interval)::pg_catalog.date;
	WITH events AS (
		-- each audit row ends the version of the old row's key (0) and, but
		-- for a DELETE, starts that of the new row's key (1)
		SELECT a.table_name, a.audit_id, 0 AS step, a.old_row AS r, NULL::pg_catalog.jsonb AS version
		FROM pointsys.audit a
		WHERE a.table_name IN ('score', 'award') AND a.old_row IS NOT NULL
		UNION ALL
		SELECT a.table_name, a.audit_id, 1, a.new_row, a.new_row
		FROM pointsys.audit a
		WHERE a.table_name IN ('score', 'award') AND a.new_row IS NOT NULL
	), keyed AS (
		SELECT e.*,
			   CASE e.table_name
				   WHEN 'score' THEN pg_catalog.jsonb_build_object('member_id', e.r OPERATOR(pg_catalog.->>) 'member_id',
																  'month', e.r OPERATOR(pg_catalog.->>) 'month',
																  'item', e.r OPERATOR(pg_catalog.->>) 'item')
				   ELSE pg_catalog.jsonb_build_object('award_id', (e.r OPERATOR(pg_catalog.->>) 'award_id')::pg_catalog.int8) END AS key
		FROM events e
	), audited AS (
		SELECT DISTINCT ON (k.table_name, k.key) k.table_name, k.key, k.audit_id, k.version
		FROM keyed k
		ORDER BY k.table_name, k.key, k.audit_id DESC, k.step DESC
	), audited_alive AS (
		-- a TRUNCATE after the last version ends it too
		SELECT d.table_name, d.key, d.audit_id,
			   CASE WHEN EXISTS (SELECT FROM pointsys.audit_log t
								 WHERE t.table_name OPERATOR(pg_catalog.=) d.table_name
								   AND t.action OPERATOR(pg_catalog.=) 'TRUNCATE'
								   AND t.audit_id OPERATOR(pg_catalog.>) d.audit_id)
					THEN NULL ELSE d.version END AS version
		FROM audited d
	), current_rows AS (
		SELECT 'score'::pg_catalog.text AS table_name,
			   pg_catalog.jsonb_build_object('member_id', s.member_id, 'month', s.month, 'item', s.item) AS key,
			   pg_catalog.to_jsonb(s) AS version
		FROM pointsys.score s
		WHERE s.month OPERATOR(pg_catalog.>=) first_month AND s.month OPERATOR(pg_catalog.<=) last_month
		UNION ALL
		SELECT 'award', pg_catalog.jsonb_build_object('award_id', a.award_id), pg_catalog.to_jsonb(a)
		FROM pointsys.award a
		WHERE a.month OPERATOR(pg_catalog.>=) first_month AND a.month OPERATOR(pg_catalog.<=) last_month
	), both_sides AS (
		SELECT COALESCE(c.table_name, d.table_name) AS table_name, COALESCE(c.key, d.key) AS key,
			   d.audit_id, d.version AS audited, c.version AS current
		FROM current_rows c
		FULL JOIN (SELECT * FROM audited_alive x
				   WHERE x.version IS NOT NULL
					  OR EXISTS (SELECT FROM current_rows c2
								 WHERE c2.table_name OPERATOR(pg_catalog.=) x.table_name
								   AND c2.key OPERATOR(pg_catalog.=) x.key)) d
			ON d.table_name OPERATOR(pg_catalog.=) c.table_name AND d.key OPERATOR(pg_catalog.=) c.key
	), differing AS (
		SELECT b.*
		FROM both_sides b
		WHERE (b.audited IS NULL) IS DISTINCT FROM (b.current IS NULL)
		   OR (b.table_name OPERATOR(pg_catalog.=) 'score'
			   AND (b.audited OPERATOR(pg_catalog.->>) 'points')::pg_catalog.numeric
				   OPERATOR(pg_catalog.<>) (b.current OPERATOR(pg_catalog.->>) 'points')::pg_catalog.numeric)
		   OR (b.table_name OPERATOR(pg_catalog.=) 'award'
			   AND ((b.audited OPERATOR(pg_catalog.->>) 'member_id') IS DISTINCT FROM (b.current OPERATOR(pg_catalog.->>) 'member_id')
					OR (b.audited OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date
					   IS DISTINCT FROM (b.current OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date
					OR (b.audited OPERATOR(pg_catalog.->>) 'kind') IS DISTINCT FROM (b.current OPERATOR(pg_catalog.->>) 'kind')))
	)
	SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
			   'table', x.table_name, 'key', x.key, 'audit_id', x.audit_id,
			   'audited', x.audited, 'current', x.current)
		   ORDER BY x.table_name, x.key)
	INTO result
	FROM differing x
	-- the rows of the branch's months (by either version)
	WHERE pointsys.branch_of(COALESCE(x.current, x.audited) OPERATOR(pg_catalog.->>) 'member_id',
							 (COALESCE(x.current, x.audited) OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date)
		  OPERATOR(pg_catalog.=) audit_differences.branch_id
	  AND (COALESCE(x.current, x.audited) OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date
		  OPERATOR(pg_catalog.>=) first_month
	  AND (COALESCE(x.current, x.audited) OPERATOR(pg_catalog.->>) 'month')::pg_catalog.date
		  OPERATOR(pg_catalog.<=) last_month;
	RETURN COALESCE(result, '[]'::pg_catalog.jsonb);
END
$$;
COMMENT ON FUNCTION @extschema@.audit_differences(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'审计比对 the score and award rows of a branch quarter whose current version is not the last one the audit trail recorded (jsonb array of table, key, audit_id, audited, current); for readers of the audit trail';

CREATE FUNCTION @extschema@.verify_quarter(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS TABLE (status pg_catalog.text, filing pg_catalog.int4, filed_at pg_catalog.timestamptz,
				   filed_digest pg_catalog.text, current_digest pg_catalog.text, matches pg_catalog.bool,
				   differences pg_catalog.jsonb)
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p_status pg_catalog.text;
	f_number pg_catalog.int4;
	f_at pg_catalog.timestamptz;
	f_digest pg_catalog.text;
	now_digest pg_catalog.text;
	diff pg_catalog.jsonb;
BEGIN
	-- the rights first: a refused role learns nothing of the arguments
	PERFORM pointsys.check_branch_documents(verify_quarter.branch_id);
	PERFORM pointsys.quarter_start(verify_quarter.year, verify_quarter.quarter);
	SELECT p.status INTO p_status FROM pointsys.period p
	WHERE p.branch_id OPERATOR(pg_catalog.=) verify_quarter.branch_id
	  AND p.year OPERATOR(pg_catalog.=) verify_quarter.year
	  AND p.quarter OPERATOR(pg_catalog.=) verify_quarter.quarter;
	SELECT f.filing, f.filed_at, f.digest INTO f_number, f_at, f_digest FROM pointsys.filing f
	WHERE f.branch_id OPERATOR(pg_catalog.=) verify_quarter.branch_id
	  AND f.year OPERATOR(pg_catalog.=) verify_quarter.year
	  AND f.quarter OPERATOR(pg_catalog.=) verify_quarter.quarter
	ORDER BY f.filing DESC LIMIT 1;
	now_digest := pointsys.ledger_digest(verify_quarter.branch_id, verify_quarter.year, verify_quarter.quarter);
	-- which rows: for those who may read the audit trail (not recorders)
	IF f_digest IS DISTINCT FROM now_digest
	   AND pg_catalog.has_table_privilege('pointsys.audit_log', 'SELECT') THEN
		diff := pointsys.audit_differences(verify_quarter.branch_id, verify_quarter.year, verify_quarter.quarter);
	END IF;
	RETURN QUERY SELECT COALESCE(p_status, 'recording'), f_number, f_at, f_digest, now_digest,
						f_digest OPERATOR(pg_catalog.=) now_digest, diff;
END
$$;
COMMENT ON FUNCTION @extschema@.verify_quarter(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'积分核查 the quarter''s status, its latest filing, the digest filed and the digest now, whether they match, and (for readers of the audit trail, when not) the rows that differ from the audit trail''s history';

CREATE VIEW @extschema@.filing_mismatches WITH (security_invoker = true) AS
SELECT p.branch_id, p.year, p.quarter, p.status, f.filing, f.filed_at, f.digest AS filed_digest,
	   d.digest AS current_digest
FROM @extschema@.period p
LEFT JOIN LATERAL (
	SELECT f.filing, f.filed_at, f.digest FROM @extschema@.filing f
	WHERE f.branch_id OPERATOR(pg_catalog.=) p.branch_id
	  AND f.year OPERATOR(pg_catalog.=) p.year
	  AND f.quarter OPERATOR(pg_catalog.=) p.quarter
	ORDER BY f.filing DESC LIMIT 1) f ON true
CROSS JOIN LATERAL (SELECT @extschema@.ledger_digest(p.branch_id, p.year, p.quarter) AS digest) d
WHERE p.status IN ('filed', 'verified')
  AND f.digest IS DISTINCT FROM d.digest;
COMMENT ON VIEW @extschema@.filing_mismatches IS
	'备案不符 every filed or verified quarter whose ledger no longer matches its latest filed digest (or that has none), though no audited reopen took it back to recording';
COMMENT ON COLUMN @extschema@.filing_mismatches.branch_id IS '支部 branch';
COMMENT ON COLUMN @extschema@.filing_mismatches.year IS '年度 year';
COMMENT ON COLUMN @extschema@.filing_mismatches.quarter IS '季度 quarter';
COMMENT ON COLUMN @extschema@.filing_mismatches.status IS '状态 filed or verified';
COMMENT ON COLUMN @extschema@.filing_mismatches.filing IS '备案次数 the latest filing (NULL: none recorded)';
COMMENT ON COLUMN @extschema@.filing_mismatches.filed_at IS '备案时间 when it was filed';
COMMENT ON COLUMN @extschema@.filing_mismatches.filed_digest IS '备案摘要 the digest filed';
COMMENT ON COLUMN @extschema@.filing_mismatches.current_digest IS '当前摘要 the digest of the ledger now';
GRANT SELECT ON @extschema@.filing_mismatches TO pointsys_admin, pointsys_recorder, pointsys_reader;

-- The line the printed sheets carry: the filed digest (or, before filing,
-- the ledger's digest now), its first 16 hex digits in groups of four
CREATE FUNCTION @extschema@.digest_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v record;
	d pg_catalog.text;
BEGIN
	SELECT * INTO v FROM pointsys.verify_quarter(digest_html.branch_id, digest_html.year, digest_html.quarter);
	d := CASE WHEN v.status IN ('filed', 'verified') AND v.filed_digest IS NOT NULL THEN v.filed_digest
			  ELSE v.current_digest END;
	d := pg_catalog.concat_ws(' ', pg_catalog.substr(d, 1, 4), pg_catalog.substr(d, 5, 4),
							  pg_catalog.substr(d, 9, 4), pg_catalog.substr(d, 13, 4));
	IF v.status IN ('filed', 'verified') AND v.filed_digest IS NOT NULL THEN
		RETURN pg_catalog.format('<p class="meta">备案摘要（SHA-256 前16位）：<b>%s</b>　第%s次备案，%s%s</p>',
								 d, v.filing,
								 pg_catalog.to_char(v.filed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY年FMMM月FMDD日'),
								 CASE WHEN v.matches THEN '' ELSE '　<b>台账与备案不符</b>' END);
	END IF;
	RETURN pg_catalog.format('<p class="meta">台账摘要（SHA-256 前16位）：<b>%s</b>　尚未备案：台账不再改动时，备案摘要与此相同</p>', d);
END
$$;
COMMENT ON FUNCTION @extschema@.digest_html(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'摘要行（打印） the digest line of the printed sheets: the filed digest (before filing, the ledger''s now), first 16 hex digits in groups of four';

CREATE OR REPLACE FUNCTION @extschema@.record_sheet_html(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
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
			|| (SELECT pg_catalog.string_agg('<td>' || COALESCE(p.points::pg_catalog.text, '')
											 || '</td>', '' ORDER BY p.n)
				FROM pg_catalog.unnest(r.points) WITH ORDINALITY AS p(points, n))
			|| '<td>' || r.reward || '</td><td><b>' || r.total
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
		|| pointsys.digest_html(record_sheet_html.branch_id, record_sheet_html.year, record_sheet_html.quarter)
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
			|| COALESCE(p.m1::pg_catalog.text, '') || '</td><td>'
			|| COALESCE(p.m2::pg_catalog.text, '') || '</td><td>'
			|| COALESCE(p.m3::pg_catalog.text, '') || '</td><td><b>' || p.score || '</b></td></tr>',
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
		|| pointsys.publicity_period_html(p_start, p_end)
		|| pointsys.digest_html(publicity_html.branch_id, publicity_html.year, publicity_html.quarter)
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

-- quarters already filed or verified: their digest as of the update
INSERT INTO @extschema@.filing (branch_id, year, quarter, filing, filed_at, filed_by, digest)
SELECT p.branch_id, p.year, p.quarter, 1, pg_catalog.now(), CURRENT_USER,
	   @extschema@.ledger_digest(p.branch_id, p.year, p.quarter)
FROM @extschema@.period p
WHERE p.status IN ('filed', 'verified');


------------------------------------------------------------------------
-- 民主评议 the democratic appraisal (issue 26): the quorum setting, the
-- voters' role, the rules, the audit trail and row security of its tables
------------------------------------------------------------------------

ALTER TABLE @extschema@.setting DROP CONSTRAINT setting_known,
	ADD CONSTRAINT setting_known CHECK (
		(name OPERATOR(pg_catalog.=) 'publicity_days'
		 AND value OPERATOR(pg_catalog.>=) 0 AND value OPERATOR(pg_catalog.<=) 60)
		OR (name OPERATOR(pg_catalog.=) 'mentees_per_mentor'
			AND value OPERATOR(pg_catalog.>=) 1 AND value OPERATOR(pg_catalog.<=) 10)
		OR (name OPERATOR(pg_catalog.=) 'appraisal_quorum_percent'
			AND value OPERATOR(pg_catalog.>=) 0 AND value OPERATOR(pg_catalog.<=) 99));
COMMENT ON TABLE @extschema@.setting IS
	'局设置 the bureau''s settings (pointsys_admin); no row: the default (publicity_days 5, mentees_per_mentor 1, appraisal_quorum_percent 50)';
COMMENT ON COLUMN @extschema@.setting.name IS
	'设置项 publicity_days (公示天数, 0..60), mentees_per_mentor (每名帮扶人帮扶人数, 1..10) or appraisal_quorum_percent (民主评议有效票须超过发出票数的百分比, 0..99)';
COMMENT ON CONSTRAINT setting_known ON @extschema@.setting IS '设置范围 a known setting within its range';

DO LANGUAGE plpgsql $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'pointsys_voter') THEN
		CREATE ROLE pointsys_voter NOLOGIN;
	END IF;
END
$$;
COMMENT ON ROLE pointsys_voter IS '投票人 pointsys voters: cast one anonymous ballot in an electronic democratic appraisal';
GRANT USAGE ON SCHEMA @extschema@ TO pointsys_voter;

------------------------------------------------------------------------
-- 评议得分 the score: the weighted mean of the votes, exact
------------------------------------------------------------------------

-- The weights in label order: the bureau's, or the default of a label it
-- did not set
CREATE FUNCTION @extschema@.appraisal_weights() RETURNS pg_catalog.numeric[]
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT ARRAY(SELECT COALESCE(w.weight, d.weight)
				 FROM (VALUES (1, 'excellent', 100), (2, 'qualified', 80), (3, 'basically_qualified', 60),
							  (4, 'unqualified', 0)) AS d (n, label, weight)
				 LEFT JOIN @extschema@.appraisal_weight w ON w.label OPERATOR(pg_catalog.=) d.label
				 ORDER BY d.n);
END;
COMMENT ON FUNCTION @extschema@.appraisal_weights() IS
	'评议权重 the weights of excellent, qualified, basically_qualified and unqualified, in that order: pointsys.appraisal_weight''s, else 100, 80, 60, 0';

-- Σ votes × weight / valid votes, rounded half up to 0.01, in integers:
-- the weights have at most two decimals, so 100 × Σ is whole and the
-- rounding is exact (no quotient rounded twice)
CREATE FUNCTION @extschema@.appraisal_score(excellent pg_catalog.int4, qualified pg_catalog.int4,
											basically_qualified pg_catalog.int4, unqualified pg_catalog.int4,
											weights pg_catalog.numeric[])
	RETURNS pg_catalog.numeric
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN v.n OPERATOR(pg_catalog.>) 0 THEN
			   pg_catalog.round(pg_catalog.div((200 OPERATOR(pg_catalog.*) v.s) OPERATOR(pg_catalog.+) v.n,
											   2 OPERATOR(pg_catalog.*) v.n) OPERATOR(pg_catalog./) 100, 2) END
	-- (OPERATOR() binds all alike, left to right: the products in brackets)
	FROM (SELECT (CAST(excellent AS pg_catalog.numeric) OPERATOR(pg_catalog.*) weights[1])
				 OPERATOR(pg_catalog.+) (CAST(qualified AS pg_catalog.numeric) OPERATOR(pg_catalog.*) weights[2])
				 OPERATOR(pg_catalog.+) (CAST(basically_qualified AS pg_catalog.numeric) OPERATOR(pg_catalog.*) weights[3])
				 OPERATOR(pg_catalog.+) (CAST(unqualified AS pg_catalog.numeric) OPERATOR(pg_catalog.*) weights[4]) AS s,
				 CAST(excellent AS pg_catalog.numeric) OPERATOR(pg_catalog.+) qualified
				 OPERATOR(pg_catalog.+) basically_qualified OPERATOR(pg_catalog.+) unqualified AS n) v;
END;
COMMENT ON FUNCTION @extschema@.appraisal_score(pg_catalog.int4, pg_catalog.int4, pg_catalog.int4, pg_catalog.int4, pg_catalog.numeric[]) IS
	'评议得分 the democratic score of a tally: the weighted mean of the four labels'' votes, rounded half up to 0.01; NULL without a valid vote';

-- 评议对象 the members a branch appraises in a year: those in the party in
-- the year whose branch in December (or in their last month) it is, as
-- annual_results files their year under that branch.  Read as the owner
-- (a recorder does not see the later branches of a member who left hers),
-- through appraisal_members() for a round the caller can see.
CREATE FUNCTION @extschema@.appraised_members(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS SETOF pg_catalog.text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT m.member_id FROM @extschema@.member m
	WHERE (m.branch_id OPERATOR(pg_catalog.=) appraised_members.branch_id
		   OR EXISTS (SELECT FROM @extschema@.membership s
					  WHERE s.member_id OPERATOR(pg_catalog.=) m.member_id
						AND s.branch_id OPERATOR(pg_catalog.=) appraised_members.branch_id))
	  AND (m.joined_on IS NULL
		   OR m.joined_on OPERATOR(pg_catalog.<) pg_catalog.make_date(appraised_members.year OPERATOR(pg_catalog.+) 1, 1, 1))
	  AND (m.left_on IS NULL OR m.left_on OPERATOR(pg_catalog.>=) pg_catalog.make_date(appraised_members.year, 1, 1))
	  AND @extschema@.branch_of(m.member_id, pg_catalog.make_date(appraised_members.year, 12, 1))
		  OPERATOR(pg_catalog.=) appraised_members.branch_id
	ORDER BY 1;
END;
COMMENT ON FUNCTION @extschema@.appraised_members(pg_catalog.text, pg_catalog.int4) IS
	'评议对象 (owner only, through appraisal_members) the members a branch appraises in a year: in the party that year, of the branch in December (or when they left)';

CREATE FUNCTION @extschema@.appraisal_members(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS pg_catalog.text[]
	AS 'MODULE_PATHNAME', 'appraisal_members' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION @extschema@.appraisal_members(pg_catalog.text, pg_catalog.int4) IS
	'评议对象 the members the branch of a round the caller can see appraises in its year, in code order';

------------------------------------------------------------------------
-- 评议轮次 the round's steps: open → closed → publicized → final
------------------------------------------------------------------------

-- Whether a row version was written by this transaction or one of its
-- subtransactions (its xmin)
CREATE FUNCTION @extschema@.written_by_this_transaction(pg_catalog.xid) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'written_by_this_transaction' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.written_by_this_transaction(pg_catalog.xid) IS
	'本事务写入 whether a row''s xmin is this transaction or one of its subtransactions';

-- A round as it opens, or reopens: no weights, quorum or publicity yet,
-- an electronic round's ballots not counted
CREATE FUNCTION @extschema@.appraisal_round_reset(r @extschema@.appraisal_round)
	RETURNS @extschema@.appraisal_round
	LANGUAGE plpgsql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	r.weight_excellent := NULL;
	r.weight_qualified := NULL;
	r.weight_basically_qualified := NULL;
	r.weight_unqualified := NULL;
	r.quorum_percent := NULL;
	r.publicity_start := NULL;
	r.publicity_end := NULL;
	IF r.electronic THEN
		r.ballots_returned := NULL;
	END IF;
	RETURN r;
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_round_reset(@extschema@.appraisal_round) IS
	'评议轮次重置 a round as it opens or reopens: no weights, quorum or publicity, an electronic round''s ballots uncounted';

CREATE FUNCTION @extschema@.appraisal_round_check() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	today pg_catalog.date := (pg_catalog.now() AT TIME ZONE 'Asia/Shanghai')::pg_catalog.date;
	days pg_catalog.int4;
	w pg_catalog.numeric[];
BEGIN
	PERFORM pointsys.check_firing('appraisal_round_check', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.appraisal_round', 'BEFORE', '{INSERT,UPDATE,DELETE}');
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		IF OLD.status OPERATOR(pg_catalog.<>) 'open' THEN
			PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" is %s: only an open round may be deleted', NULL, NULL,
									OLD.year::pg_catalog.text, OLD.branch_id, OLD.status);
		END IF;
		RETURN OLD;
	END IF;
	NEW.changed_by := CURRENT_USER;
	NEW.changed_at := pg_catalog.now();
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
		IF NEW.status OPERATOR(pg_catalog.<>) 'open' THEN
			PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" starts open, not %s', NULL, NULL,
									NEW.year::pg_catalog.text, NEW.branch_id, NEW.status);
		END IF;
		IF NEW.year OPERATOR(pg_catalog.>) EXTRACT(YEAR FROM today) THEN
			PERFORM pointsys.refuse('22023', 'appraisal round %s of branch "%s" is in the future', NULL, NULL,
									NEW.year::pg_catalog.text, NEW.branch_id);
		END IF;
		NEW := pointsys.appraisal_round_reset(NEW);
		RETURN NEW;
	END IF;

	IF NEW.branch_id OPERATOR(pg_catalog.<>) OLD.branch_id OR NEW.year OPERATOR(pg_catalog.<>) OLD.year
	   OR NEW.electronic OPERATOR(pg_catalog.<>) OLD.electronic THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" keeps its branch, year and way of voting', NULL,
								'Delete the open round and start another.',
								OLD.year::pg_catalog.text, OLD.branch_id);
	END IF;
	-- an electronic round's vote ends once, while it is open, and never
	-- opens again (not even when the round reopens): doc/appraisal.md
	IF OLD.voting_ended AND NOT NEW.voting_ended THEN
		PERFORM pointsys.refuse('55000', 'the vote of appraisal round %s of branch "%s" has ended: it does not open again', NULL,
								'Start a round of another year, or count the ballots cast.',
								OLD.year::pg_catalog.text, OLD.branch_id);
	END IF;
	IF NEW.voting_ended AND NOT OLD.voting_ended
	   AND NOT (NEW.electronic AND OLD.status OPERATOR(pg_catalog.=) 'open' AND NEW.status OPERATOR(pg_catalog.=) 'open') THEN
		PERFORM pointsys.refuse('55000', 'only the vote of an open electronic appraisal round ends; round %s of branch "%s" is not one', NULL, NULL,
								OLD.year::pg_catalog.text, OLD.branch_id);
	END IF;
	-- the ballots change while the round is open, or with its closing
	IF (NEW.ballots_issued OPERATOR(pg_catalog.<>) OLD.ballots_issued
		OR NEW.ballots_returned IS DISTINCT FROM OLD.ballots_returned)
	   AND NOT (OLD.status OPERATOR(pg_catalog.=) 'open' AND NEW.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'closed']::pg_catalog.text[])) THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" is %s: its ballots cannot change', NULL,
								'pointsys_admin reopens the round first.',
								OLD.year::pg_catalog.text, OLD.branch_id, OLD.status);
	END IF;
	NEW.weight_excellent := OLD.weight_excellent;
	NEW.weight_qualified := OLD.weight_qualified;
	NEW.weight_basically_qualified := OLD.weight_basically_qualified;
	NEW.weight_unqualified := OLD.weight_unqualified;
	NEW.quorum_percent := OLD.quorum_percent;
	NEW.publicity_start := OLD.publicity_start;
	NEW.publicity_end := OLD.publicity_end;
	IF NEW.electronic THEN
		NEW.ballots_returned := OLD.ballots_returned;
	END IF;
	IF NEW.status OPERATOR(pg_catalog.=) OLD.status THEN
		RETURN NEW;
	END IF;

	IF OLD.status OPERATOR(pg_catalog.=) 'open' AND NEW.status OPERATOR(pg_catalog.=) 'closed' THEN
		-- the tallies as committed when the close runs, not as an older
		-- snapshot saw them (a correction committed since would be missed)
		IF pg_catalog.current_setting('transaction_isolation') OPERATOR(pg_catalog.<>) 'read committed' THEN
			PERFORM pointsys.refuse('25001', 'appraisal round %s of branch "%s" closes only in a READ COMMITTED transaction',
									'A snapshot older than the close could miss a tally committed before it.',
									'Close the round in a transaction of the default isolation level.',
									NEW.year::pg_catalog.text, NEW.branch_id);
		END IF;
		IF NEW.electronic THEN
			-- counted only once the end of the vote is committed: a
			-- transaction that counts and rolls back must not let the vote
			-- go on (counts before and after a ballot would show it)
			IF NOT OLD.voting_ended
			   OR pointsys.written_by_this_transaction((SELECT a.xmin FROM pointsys.appraisal_round a
														WHERE a.branch_id OPERATOR(pg_catalog.=) OLD.branch_id
														  AND a.year OPERATOR(pg_catalog.=) OLD.year)) THEN
				PERFORM pointsys.refuse('55000', 'the vote of electronic appraisal round %s of branch "%s" must end, and the end be committed, before its ballots are counted', NULL,
										'UPDATE pointsys.appraisal_round SET voting_ended = true, COMMIT, then close the round.',
										NEW.year::pg_catalog.text, NEW.branch_id);
			END IF;
			NEW.ballots_returned := pointsys.ballots_cast(NEW.branch_id, NEW.year);
			IF NEW.ballots_returned OPERATOR(pg_catalog.>) NEW.ballots_issued THEN
				PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" has %s ballots cast, more than the %s issued', NULL,
										'Raise ballots_issued to the number of voters registered and codes printed.',
										NEW.year::pg_catalog.text, NEW.branch_id, NEW.ballots_returned::pg_catalog.text,
										NEW.ballots_issued::pg_catalog.text);
			END IF;
		ELSIF NEW.ballots_returned IS NULL THEN
			PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" cannot close without the number of ballots returned', NULL,
									'Set ballots_returned to the tellers'' count.',
									NEW.year::pg_catalog.text, NEW.branch_id);
		END IF;
		w := pointsys.appraisal_weights();
		NEW.weight_excellent := w[1];
		NEW.weight_qualified := w[2];
		NEW.weight_basically_qualified := w[3];
		NEW.weight_unqualified := w[4];
		SELECT s.value INTO NEW.quorum_percent FROM pointsys.setting s
		WHERE s.name OPERATOR(pg_catalog.=) 'appraisal_quorum_percent';
		NEW.quorum_percent := COALESCE(NEW.quorum_percent, 50);
	ELSIF OLD.status OPERATOR(pg_catalog.=) 'closed' AND NEW.status OPERATOR(pg_catalog.=) 'publicized' THEN
		SELECT s.value INTO days FROM pointsys.setting s
		WHERE s.name OPERATOR(pg_catalog.=) 'publicity_days';
		NEW.publicity_start := today;
		NEW.publicity_end := today OPERATOR(pg_catalog.+) COALESCE(days, 5);
	ELSIF OLD.status OPERATOR(pg_catalog.=) 'publicized' AND NEW.status OPERATOR(pg_catalog.=) 'final' THEN
		IF today OPERATOR(pg_catalog.<) OLD.publicity_end THEN
			PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" is still in publicity until %s',
									'Publicity started on %4$s and ends at the start of %5$s (Beijing time).',
									'Make the round final on or after %5$s.',
									OLD.year::pg_catalog.text, OLD.branch_id,
									(OLD.publicity_end OPERATOR(pg_catalog.-) 1)::pg_catalog.text,
									OLD.publicity_start::pg_catalog.text, OLD.publicity_end::pg_catalog.text);
		END IF;
	ELSIF NEW.status OPERATOR(pg_catalog.=) 'open' THEN
		IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE') THEN
			PERFORM pointsys.refuse('42501', 'only pointsys_admin may reopen appraisal round %s of branch "%s"', NULL, NULL,
									OLD.year::pg_catalog.text, OLD.branch_id);
		END IF;
		IF pg_catalog.btrim(COALESCE(pg_catalog.current_setting('pointsys.reason', true), '')) OPERATOR(pg_catalog.=) '' THEN
			PERFORM pointsys.refuse('22023', 'reopening appraisal round %s of branch "%s" needs a reason', NULL,
									'SET LOCAL pointsys.reason = ''...'' first: it goes into the audit trail.',
									OLD.year::pg_catalog.text, OLD.branch_id);
		END IF;
		NEW := pointsys.appraisal_round_reset(NEW);
	ELSE
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" moves one step at a time: %s cannot become %s', NULL,
								'The steps are open, closed, publicized, final; pointsys_admin reopens.',
								OLD.year::pg_catalog.text, OLD.branch_id, OLD.status, NEW.status);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_round_check() IS
	'评议流程 a round''s steps one at a time (open → closed → publicized → final; pointsys_admin reopens with a reason); weights and quorum fixed when it closes; publicity dates';
CREATE TRIGGER appraisal_round_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.appraisal_round
	FOR EACH ROW EXECUTE FUNCTION @extschema@.appraisal_round_check();
COMMENT ON TRIGGER appraisal_round_check ON @extschema@.appraisal_round IS '评议流程 the round''s steps';

-- Closing: every member appraised has a tally the ballots can give and
-- more valid votes than the quorum; then each score goes into evaluation,
-- as the writer.  Reopening takes them out again.
CREATE FUNCTION @extschema@.appraisal_round_apply() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	bad record;
	members pg_catalog.text[];
BEGIN
	PERFORM pointsys.check_firing('appraisal_round_apply', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.appraisal_round', 'AFTER', '{UPDATE}');
	IF NEW.status OPERATOR(pg_catalog.=) 'open' AND OLD.status OPERATOR(pg_catalog.<>) 'open' THEN
		DELETE FROM pointsys.evaluation e
		WHERE e.round_branch_id OPERATOR(pg_catalog.=) NEW.branch_id AND e.year OPERATOR(pg_catalog.=) NEW.year;
		IF NEW.electronic THEN
			DELETE FROM pointsys.appraisal_tally t
			WHERE t.branch_id OPERATOR(pg_catalog.=) NEW.branch_id AND t.year OPERATOR(pg_catalog.=) NEW.year;
		END IF;
		RETURN NULL;
	END IF;
	IF NOT (OLD.status OPERATOR(pg_catalog.=) 'open' AND NEW.status OPERATOR(pg_catalog.=) 'closed') THEN
		RETURN NULL;
	END IF;

	IF NEW.electronic THEN
		PERFORM pointsys.count_ballots(NEW.branch_id, NEW.year);
	END IF;
	members := pointsys.appraisal_members(NEW.branch_id, NEW.year);
	SELECT pg_catalog.string_agg(a.member_id, ', ' ORDER BY a.member_id) AS members INTO bad
	FROM pg_catalog.unnest(members) a (member_id)
	WHERE NOT EXISTS (SELECT FROM pointsys.appraisal_tally t
					  WHERE t.branch_id OPERATOR(pg_catalog.=) NEW.branch_id
						AND t.year OPERATOR(pg_catalog.=) NEW.year
						AND t.member_id OPERATOR(pg_catalog.=) a.member_id);
	IF bad.members IS NOT NULL THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" has no tally for %s', NULL,
								'Enter the tellers'' count for every member the branch appraises (pointsys.appraisal_members(branch_id, year)).',
								NEW.year::pg_catalog.text, NEW.branch_id, bad.members);
	END IF;
	SELECT pg_catalog.string_agg(t.member_id, ', ' ORDER BY t.member_id) AS members INTO bad
	FROM pointsys.appraisal_tally t
	WHERE t.branch_id OPERATOR(pg_catalog.=) NEW.branch_id AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND NOT t.member_id OPERATOR(pg_catalog.=) ANY (members);
	IF bad.members IS NOT NULL THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" has a tally for %s, not appraised by the branch in that year', NULL,
								'A member is appraised by her branch in December (or when she left); delete the tally.',
								NEW.year::pg_catalog.text, NEW.branch_id, bad.members);
	END IF;
	SELECT t.member_id, t.valid, t.spoilt INTO bad
	FROM pointsys.appraisal_tally t
	WHERE t.branch_id OPERATOR(pg_catalog.=) NEW.branch_id AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND t.valid OPERATOR(pg_catalog.+) t.spoilt OPERATOR(pg_catalog.>) NEW.ballots_returned
	ORDER BY t.member_id LIMIT 1;
	IF FOUND THEN
		PERFORM pointsys.refuse('23514', 'the tally of member "%s" in appraisal round %s of branch "%s" counts %s votes and %s spoilt, more than the %s ballots returned', NULL, NULL,
								bad.member_id, NEW.year::pg_catalog.text, NEW.branch_id, bad.valid::pg_catalog.text,
								bad.spoilt::pg_catalog.text, NEW.ballots_returned::pg_catalog.text);
	END IF;
	SELECT t.member_id, t.valid INTO bad
	FROM pointsys.appraisal_tally t
	WHERE t.branch_id OPERATOR(pg_catalog.=) NEW.branch_id AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND (t.valid OPERATOR(pg_catalog.*) 100)
		  OPERATOR(pg_catalog.<=) (NEW.quorum_percent OPERATOR(pg_catalog.*) NEW.ballots_issued)
	ORDER BY t.member_id LIMIT 1;
	IF FOUND THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" gives no score to member "%s": %s valid votes of %s ballots issued is not more than the quorum of %s%%',
								'Without a quorum no democratic score is produced (setting appraisal_quorum_percent).',
								'Hold the vote again with more participants, or correct the tally.',
								NEW.year::pg_catalog.text, NEW.branch_id, bad.member_id, bad.valid::pg_catalog.text,
								NEW.ballots_issued::pg_catalog.text, NEW.quorum_percent::pg_catalog.text);
	END IF;
	SELECT e.member_id, e.round_branch_id INTO bad
	FROM pointsys.evaluation e
	JOIN pointsys.appraisal_tally t
		ON t.member_id OPERATOR(pg_catalog.=) e.member_id AND t.year OPERATOR(pg_catalog.=) e.year
	WHERE t.branch_id OPERATOR(pg_catalog.=) NEW.branch_id AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND e.round_branch_id OPERATOR(pg_catalog.<>) NEW.branch_id
	ORDER BY e.member_id LIMIT 1;
	IF FOUND THEN
		PERFORM pointsys.refuse('55000', 'member "%s" already has a democratic score for %s from the appraisal round of branch "%s"', NULL,
								'pointsys_admin reopens that round first.',
								bad.member_id, NEW.year::pg_catalog.text, bad.round_branch_id);
	END IF;
	INSERT INTO pointsys.evaluation AS e (member_id, year, democratic, round_branch_id)
	SELECT t.member_id, t.year,
		   pointsys.appraisal_score(t.excellent, t.qualified, t.basically_qualified, t.unqualified,
									ARRAY[NEW.weight_excellent, NEW.weight_qualified, NEW.weight_basically_qualified, NEW.weight_unqualified]),
		   NEW.branch_id
	FROM pointsys.appraisal_tally t
	WHERE t.branch_id OPERATOR(pg_catalog.=) NEW.branch_id AND t.year OPERATOR(pg_catalog.=) NEW.year
	ORDER BY t.member_id
	ON CONFLICT ON CONSTRAINT evaluation_pkey DO UPDATE
	SET democratic = EXCLUDED.democratic, round_branch_id = EXCLUDED.round_branch_id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_round_apply() IS
	'评议结果 closing a round: a tally for every member appraised, within the ballots returned, above the quorum; then the scores into evaluation (reopening removes them)';
CREATE TRIGGER appraisal_round_apply AFTER UPDATE ON @extschema@.appraisal_round
	FOR EACH ROW EXECUTE FUNCTION @extschema@.appraisal_round_apply();
COMMENT ON TRIGGER appraisal_round_apply ON @extschema@.appraisal_round IS '评议结果 the scores of a closing round into evaluation';

-- The tally changes only while its round is open, for the members the
-- branch appraises, within the ballots; an electronic round's tally is
-- counted from its ballots (by count_ballots, as the owner) when it closes.
CREATE FUNCTION @extschema@.appraisal_tally_check() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t pointsys.appraisal_tally;
	r record;
	counted_by_owner pg_catalog.bool;
	votes pg_catalog.int4;
BEGIN
	PERFORM pointsys.check_firing('appraisal_tally_check', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.appraisal_tally', 'BEFORE', '{INSERT,UPDATE,DELETE}');
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		t := OLD;
	ELSE
		t := NEW;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
	   AND (NEW.branch_id, NEW.year, NEW.member_id) IS DISTINCT FROM (OLD.branch_id, OLD.year, OLD.member_id) THEN
		PERFORM pointsys.refuse('55000', 'a tally keeps its round and member', NULL,
								'Delete the tally and enter another.');
	END IF;
	-- the round's row: a tally and the round's closing take turns
	SELECT a.status, a.electronic, a.ballots_issued, a.ballots_returned INTO r
	FROM pointsys.appraisal_round a
	WHERE a.branch_id OPERATOR(pg_catalog.=) t.branch_id AND a.year OPERATOR(pg_catalog.=) t.year
	FOR SHARE;
	IF NOT FOUND THEN
		RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;	-- the foreign key's to say
	END IF;
	counted_by_owner := CURRENT_USER OPERATOR(pg_catalog.=)
		(SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c
		 WHERE c.oid OPERATOR(pg_catalog.=) TG_RELID);
	IF r.electronic AND TG_OP OPERATOR(pg_catalog.<>) 'DELETE' AND NOT counted_by_owner THEN
		PERFORM pointsys.refuse('55000', 'the tally of electronic appraisal round %s of branch "%s" is counted from its ballots', NULL,
								'It is counted when the round closes.',
								t.year::pg_catalog.text, t.branch_id);
	END IF;
	IF r.status OPERATOR(pg_catalog.<>) 'open'
	   AND NOT (r.electronic AND counted_by_owner AND r.status OPERATOR(pg_catalog.=) 'closed') THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" is %s: its tally cannot change', NULL,
								'pointsys_admin reopens the round first.',
								t.year::pg_catalog.text, t.branch_id, r.status);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		RETURN OLD;
	END IF;
	IF NOT NEW.member_id OPERATOR(pg_catalog.=) ANY (pointsys.appraisal_members(NEW.branch_id, NEW.year)) THEN
		PERFORM pointsys.refuse('23514', 'member "%s" is not appraised by branch "%s" in %s',
								'A member is appraised by her branch in December of the year (or when she left), if she was in the party that year.', NULL,
								NEW.member_id, NEW.branch_id, NEW.year::pg_catalog.text);
	END IF;
	-- (NEW.valid is generated after this trigger)
	votes := NEW.excellent OPERATOR(pg_catalog.+) NEW.qualified OPERATOR(pg_catalog.+)
		NEW.basically_qualified OPERATOR(pg_catalog.+) NEW.unqualified;
	IF votes OPERATOR(pg_catalog.+) NEW.spoilt OPERATOR(pg_catalog.>) COALESCE(r.ballots_returned, r.ballots_issued) THEN
		IF r.ballots_returned IS NULL THEN
			PERFORM pointsys.refuse('23514', 'the tally of member "%s" in appraisal round %s of branch "%s" counts %s votes and %s spoilt, more than the %s ballots issued', NULL, NULL,
									NEW.member_id, NEW.year::pg_catalog.text, NEW.branch_id, votes::pg_catalog.text,
									NEW.spoilt::pg_catalog.text, r.ballots_issued::pg_catalog.text);
		ELSE
			PERFORM pointsys.refuse('23514', 'the tally of member "%s" in appraisal round %s of branch "%s" counts %s votes and %s spoilt, more than the %s ballots returned', NULL, NULL,
									NEW.member_id, NEW.year::pg_catalog.text, NEW.branch_id, votes::pg_catalog.text,
									NEW.spoilt::pg_catalog.text, r.ballots_returned::pg_catalog.text);
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_tally_check() IS
	'计票规则 a tally changes only while its round is open, for a member the branch appraises, within the ballots; electronic rounds are counted from their ballots';
CREATE TRIGGER appraisal_tally_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.appraisal_tally
	FOR EACH ROW EXECUTE FUNCTION @extschema@.appraisal_tally_check();
COMMENT ON TRIGGER appraisal_tally_check ON @extschema@.appraisal_tally IS '计票规则 tally rules';

-- A score with a round is the round's, written as it closes
CREATE FUNCTION @extschema@.evaluation_round_check() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r record;
	expected pg_catalog.numeric;
BEGIN
	PERFORM pointsys.check_firing('evaluation_round_check', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.evaluation', 'BEFORE', '{INSERT,UPDATE}');
	IF NEW.round_branch_id IS NULL THEN
		RETURN NEW;
	END IF;
	SELECT a.status, ARRAY[a.weight_excellent, a.weight_qualified, a.weight_basically_qualified, a.weight_unqualified] AS weights INTO r FROM pointsys.appraisal_round a
	WHERE a.branch_id OPERATOR(pg_catalog.=) NEW.round_branch_id AND a.year OPERATOR(pg_catalog.=) NEW.year;
	IF NOT FOUND THEN
		RETURN NEW;				-- the foreign key's to say
	END IF;
	IF r.status OPERATOR(pg_catalog.<>) 'closed' THEN
		PERFORM pointsys.refuse('55000', 'the democratic score of member "%s" for %s from the appraisal round of branch "%s" is written when the round closes, not while it is %s', NULL,
								'Set round_branch_id to NULL to type a score in.',
								NEW.member_id, NEW.year::pg_catalog.text, NEW.round_branch_id, r.status);
	END IF;
	SELECT pointsys.appraisal_score(t.excellent, t.qualified, t.basically_qualified, t.unqualified, r.weights)
	INTO expected
	FROM pointsys.appraisal_tally t
	WHERE t.branch_id OPERATOR(pg_catalog.=) NEW.round_branch_id AND t.year OPERATOR(pg_catalog.=) NEW.year
	  AND t.member_id OPERATOR(pg_catalog.=) NEW.member_id;
	IF expected IS NULL OR expected OPERATOR(pg_catalog.<>) NEW.democratic THEN
		PERFORM pointsys.refuse('23514', 'the democratic score %s of member "%s" for %s is not the score of the appraisal round of branch "%s" (%s)', NULL, NULL,
								NEW.democratic::pg_catalog.text, NEW.member_id, NEW.year::pg_catalog.text,
								NEW.round_branch_id, COALESCE(expected::pg_catalog.text, '-'));
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.evaluation_round_check() IS
	'评议得分规则 a democratic score that names its round is that round''s score, written as it closes';
CREATE TRIGGER evaluation_round_check BEFORE INSERT OR UPDATE ON @extschema@.evaluation
	FOR EACH ROW EXECUTE FUNCTION @extschema@.evaluation_round_check();
COMMENT ON TRIGGER evaluation_round_check ON @extschema@.evaluation IS '评议得分规则 a round''s score is the round''s';

-- The register changes while its electronic round is open; only a ballot
-- marks a voter as voted
CREATE FUNCTION @extschema@.appraisal_voter_check() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v pointsys.appraisal_voter;
	r record;
BEGIN
	PERFORM pointsys.check_firing('appraisal_voter_check', TG_RELID, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP,
								 'pointsys.appraisal_voter', 'BEFORE', '{INSERT,UPDATE,DELETE}');
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		v := OLD;
	ELSE
		v := NEW;
	END IF;
	IF CURRENT_USER OPERATOR(pg_catalog.<>)
	   (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) TG_RELID) THEN
		IF (TG_OP OPERATOR(pg_catalog.=) 'INSERT' AND NEW.voted)
		   OR (TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND NEW.voted OPERATOR(pg_catalog.<>) OLD.voted)
		   OR (TG_OP OPERATOR(pg_catalog.=) 'DELETE' AND OLD.voted) THEN
			PERFORM pointsys.refuse('42501', 'only a ballot marks "%s" as voted in appraisal round %s of branch "%s"', NULL, NULL,
									v.role_name, v.year::pg_catalog.text, v.branch_id);
		END IF;
		SELECT a.status, a.electronic, a.voting_ended INTO r FROM pointsys.appraisal_round a
		WHERE a.branch_id OPERATOR(pg_catalog.=) v.branch_id AND a.year OPERATOR(pg_catalog.=) v.year
		FOR SHARE;
		IF FOUND AND NOT (r.electronic AND r.status OPERATOR(pg_catalog.=) 'open' AND NOT r.voting_ended) THEN
			PERFORM pointsys.refuse('55000', 'voters are registered for an open electronic appraisal round; round %s of branch "%s" is not one', NULL, NULL,
									v.year::pg_catalog.text, v.branch_id);
		END IF;
	END IF;
	RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_voter_check() IS
	'投票人名册规则 voters are registered while their electronic round is open; only a ballot marks one as voted';
CREATE TRIGGER appraisal_voter_check BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.appraisal_voter
	FOR EACH ROW EXECUTE FUNCTION @extschema@.appraisal_voter_check();
COMMENT ON TRIGGER appraisal_voter_check ON @extschema@.appraisal_voter IS '投票人名册规则 register rules';

------------------------------------------------------------------------
-- 电子投票 anonymous electronic ballots (doc/appraisal.md).  The C
-- functions (appraisal.c) check the caller as the caller, then run these
-- owner-only functions as the owner, as the write rules do.
------------------------------------------------------------------------

-- A statement in the server's log would stand beside its session's user:
-- no ballot (and no ballot form) while the server logs statements
CREATE FUNCTION @extschema@.ballot_logging_check() RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	logging pg_catalog.text;
BEGIN
	SELECT pg_catalog.string_agg(pg_catalog.format('%s = %s', s.name, s.setting), ', ' ORDER BY s.name) INTO logging
	FROM pg_catalog.pg_settings s
	WHERE (s.name OPERATOR(pg_catalog.=) 'log_statement' AND s.setting OPERATOR(pg_catalog.=) 'all')
	   OR (s.name OPERATOR(pg_catalog.=) 'log_min_duration_statement' AND s.setting OPERATOR(pg_catalog.<>) '-1')
	   OR (s.name OPERATOR(pg_catalog.=) 'log_min_duration_sample' AND s.setting OPERATOR(pg_catalog.<>) '-1')
	   OR (s.name OPERATOR(pg_catalog.=) 'log_transaction_sample_rate' AND s.setting OPERATOR(pg_catalog.<>) '0');
	IF logging IS NOT NULL THEN
		PERFORM pointsys.refuse('55000', 'the server logs statements (%s): a ballot would be logged beside its voter', NULL,
								'Ask the DBA to stop logging statements while the vote is open (log_statement none or ddl, log_min_duration_statement -1).',
								logging);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.ballot_logging_check() IS
	'日志检查 refuses (55000) while the server logs statements, which would put a ballot beside its voter in the log';

-- A ballot: checked, the voter's code or register row marked used, the
-- ballot stored with nothing of the voter
CREATE FUNCTION @extschema@.ballot_store(branch_id pg_catalog.text, year pg_catalog.int4, marks pg_catalog.jsonb,
										 code pg_catalog.text, voter pg_catalog.name)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r record;
	bad record;
BEGIN
	SELECT a.status, a.electronic, a.voting_ended INTO r FROM pointsys.appraisal_round a
	WHERE a.branch_id OPERATOR(pg_catalog.=) ballot_store.branch_id AND a.year OPERATOR(pg_catalog.=) ballot_store.year
	FOR SHARE;
	IF NOT FOUND OR NOT r.electronic THEN
		PERFORM pointsys.refuse('55000', 'branch "%s" has no electronic appraisal round for %s', NULL, NULL,
								ballot_store.branch_id, ballot_store.year::pg_catalog.text);
	END IF;
	IF r.status OPERATOR(pg_catalog.<>) 'open' OR r.voting_ended THEN
		PERFORM pointsys.refuse('55000', 'the vote of appraisal round %s of branch "%s" has ended', NULL, NULL,
								ballot_store.year::pg_catalog.text, ballot_store.branch_id);
	END IF;
	PERFORM pointsys.ballot_logging_check();
	IF pg_catalog.jsonb_typeof(ballot_store.marks) IS DISTINCT FROM 'object' THEN
		PERFORM pointsys.refuse('22023', 'a ballot is a JSON object of member codes and labels', NULL,
								'For example {"m001": "excellent", "m002": "qualified"}.');
	END IF;
	SELECT m.key, m.value INTO bad
	FROM pg_catalog.jsonb_each(ballot_store.marks) m
	WHERE m.value OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
	  AND NOT (pg_catalog.jsonb_typeof(m.value) OPERATOR(pg_catalog.=) 'string'
			   AND (m.value OPERATOR(pg_catalog.#>>) '{}'::pg_catalog.text[])
				   OPERATOR(pg_catalog.=) ANY (ARRAY['excellent', 'qualified', 'basically_qualified', 'unqualified']::pg_catalog.text[]))
	ORDER BY m.key LIMIT 1;
	IF FOUND THEN
		PERFORM pointsys.refuse('22023', 'the mark %s for member "%s" is not a label', NULL,
								'Mark excellent, qualified, basically_qualified or unqualified, or leave the member out.',
								pg_catalog.left(bad.value::pg_catalog.text, 40), pg_catalog.left(bad.key, 40));
	END IF;
	SELECT k.key INTO bad
	FROM pg_catalog.jsonb_object_keys(ballot_store.marks) k (key)
	WHERE NOT EXISTS (SELECT FROM pointsys.appraised_members(ballot_store.branch_id, ballot_store.year) a (member_id)
					  WHERE a.member_id OPERATOR(pg_catalog.=) k.key)
	ORDER BY 1 LIMIT 1;
	IF FOUND THEN
		PERFORM pointsys.refuse('22023', 'member "%s" is not on the ballot of branch "%s" for %s', NULL, NULL,
								pg_catalog.left(bad.key, 40), ballot_store.branch_id, ballot_store.year::pg_catalog.text);
	END IF;
	IF ballot_store.code IS NOT NULL THEN
		UPDATE pointsys.appraisal_code c SET used = true
		WHERE c.code_hash OPERATOR(pg_catalog.=) pointsys.code_hash(ballot_store.code)
		  AND c.branch_id OPERATOR(pg_catalog.=) ballot_store.branch_id AND c.year OPERATOR(pg_catalog.=) ballot_store.year
		  AND NOT c.used;
		IF NOT FOUND THEN
			PERFORM pointsys.refuse('28000', 'the code is not one of appraisal round %s of branch "%s", or it was used', NULL, NULL,
									ballot_store.year::pg_catalog.text, ballot_store.branch_id);
		END IF;
	ELSE
		UPDATE pointsys.appraisal_voter v SET voted = true
		WHERE v.branch_id OPERATOR(pg_catalog.=) ballot_store.branch_id AND v.year OPERATOR(pg_catalog.=) ballot_store.year
		  AND v.role_name OPERATOR(pg_catalog.=) ballot_store.voter AND NOT v.voted;
		IF NOT FOUND THEN
			IF EXISTS (SELECT FROM pointsys.appraisal_voter v
					   WHERE v.branch_id OPERATOR(pg_catalog.=) ballot_store.branch_id
						 AND v.year OPERATOR(pg_catalog.=) ballot_store.year
						 AND v.role_name OPERATOR(pg_catalog.=) ballot_store.voter) THEN
				PERFORM pointsys.refuse('55000', '"%s" has already voted in appraisal round %s of branch "%s"', NULL, NULL,
										ballot_store.voter, ballot_store.year::pg_catalog.text, ballot_store.branch_id);
			END IF;
			PERFORM pointsys.refuse('28000', '"%s" is not registered to vote in appraisal round %s of branch "%s"', NULL,
									'The branch''s recorder registers the voters (pointsys.appraisal_voter) or prints codes (pointsys.issue_codes).',
									ballot_store.voter, ballot_store.year::pg_catalog.text, ballot_store.branch_id);
		END IF;
	END IF;
	INSERT INTO pointsys.appraisal_ballot (branch_id, year, marks)
	VALUES (ballot_store.branch_id, ballot_store.year, pg_catalog.jsonb_strip_nulls(ballot_store.marks));
END
$$;
COMMENT ON FUNCTION @extschema@.ballot_store(pg_catalog.text, pg_catalog.int4, pg_catalog.jsonb, pg_catalog.text, pg_catalog.name) IS
	'投票 (owner only, through cast_ballot) checks a ballot, marks the code or the voter used, stores the ballot without its voter';

-- 投票码 the SHA-256 of a code as printed, read without its dashes and
-- spaces, in capitals
CREATE FUNCTION @extschema@.code_hash(code pg_catalog.text) RETURNS pg_catalog.bytea
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.sha256(pg_catalog.convert_to(
		pg_catalog.upper(pg_catalog.translate(code, '- ', '')), 'UTF8'));
END;
COMMENT ON FUNCTION @extschema@.code_hash(pg_catalog.text) IS
	'投票码摘要 the SHA-256 of a one-time code, read without dashes and spaces, in capitals';

-- Codes of twelve characters from 32 that cannot be mistaken for one
-- another (no 0, O, 1, I): 60 random bits each, from gen_random_uuid()'s
-- 122 (pg_strong_random)
CREATE FUNCTION @extschema@.codes_issue(branch_id pg_catalog.text, year pg_catalog.int4, n pg_catalog.int4)
	RETURNS pg_catalog.text[]
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r record;
	issued pg_catalog.int8;
	alphabet CONSTANT pg_catalog.text := '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
	bytes pg_catalog.bytea;
	code pg_catalog.text;
	codes pg_catalog.text[] := '{}';
	pos pg_catalog.int4;
BEGIN
	SELECT a.status, a.electronic, a.voting_ended, a.ballots_issued INTO r FROM pointsys.appraisal_round a
	WHERE a.branch_id OPERATOR(pg_catalog.=) codes_issue.branch_id AND a.year OPERATOR(pg_catalog.=) codes_issue.year
	FOR UPDATE;
	IF NOT r.electronic OR r.status OPERATOR(pg_catalog.<>) 'open' OR r.voting_ended THEN
		PERFORM pointsys.refuse('55000', 'codes are printed for an open electronic appraisal round; round %s of branch "%s" is not one', NULL, NULL,
								codes_issue.year::pg_catalog.text, codes_issue.branch_id);
	END IF;
	IF codes_issue.n IS NULL OR codes_issue.n OPERATOR(pg_catalog.<) 1 THEN
		PERFORM pointsys.refuse('22023', 'the number of codes must be at least 1, not %s', NULL, NULL,
								COALESCE(codes_issue.n::pg_catalog.text, 'NULL'));
	END IF;
	SELECT (SELECT pg_catalog.count(*) FROM pointsys.appraisal_code c
			WHERE c.branch_id OPERATOR(pg_catalog.=) codes_issue.branch_id AND c.year OPERATOR(pg_catalog.=) codes_issue.year)
		   OPERATOR(pg_catalog.+)
		   (SELECT pg_catalog.count(*) FROM pointsys.appraisal_voter v
			WHERE v.branch_id OPERATOR(pg_catalog.=) codes_issue.branch_id AND v.year OPERATOR(pg_catalog.=) codes_issue.year)
	INTO issued;
	IF issued OPERATOR(pg_catalog.+) codes_issue.n OPERATOR(pg_catalog.>) r.ballots_issued THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" has %s ballots issued: %s codes and voters already, %s more are too many', NULL,
								'Raise ballots_issued first.',
								codes_issue.year::pg_catalog.text, codes_issue.branch_id, r.ballots_issued::pg_catalog.text,
								issued::pg_catalog.text, codes_issue.n::pg_catalog.text);
	END IF;
	FOR i IN 1 .. codes_issue.n LOOP
		-- bytes 0-5 and 10-15 of a version 4 UUID are random
		bytes := pg_catalog.uuid_send(pg_catalog.gen_random_uuid());
		code := '';
		FOREACH pos IN ARRAY ARRAY[0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15] LOOP
			code := code OPERATOR(pg_catalog.||)
				pg_catalog.substr(alphabet, pg_catalog.get_byte(bytes, pos) OPERATOR(pg_catalog.%) 32 OPERATOR(pg_catalog.+) 1, 1);
		END LOOP;
		code := pg_catalog.concat_ws('-', pg_catalog.substr(code, 1, 4), pg_catalog.substr(code, 5, 4), pg_catalog.substr(code, 9, 4));
		INSERT INTO pointsys.appraisal_code (code_hash, branch_id, year)
		VALUES (pointsys.code_hash(code), codes_issue.branch_id, codes_issue.year);
		codes := codes OPERATOR(pg_catalog.||) code;
	END LOOP;
	RETURN codes;
END
$$;
COMMENT ON FUNCTION @extschema@.codes_issue(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'投票码 (owner only, through issue_codes) makes n one-time codes for an open electronic round, keeps their SHA-256, returns the codes';

-- 计票 an electronic round's tally, counted once as it closes
CREATE FUNCTION @extschema@.ballot_tally(branch_id pg_catalog.text, year pg_catalog.int4) RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM pointsys.appraisal_round a
				   WHERE a.branch_id OPERATOR(pg_catalog.=) ballot_tally.branch_id
					 AND a.year OPERATOR(pg_catalog.=) ballot_tally.year
					 AND a.electronic AND a.status OPERATOR(pg_catalog.=) 'closed') THEN
		PERFORM pointsys.refuse('55000', 'the ballots of appraisal round %s of branch "%s" are counted as it closes', NULL, NULL,
								ballot_tally.year::pg_catalog.text, ballot_tally.branch_id);
	END IF;
	IF EXISTS (SELECT FROM pointsys.appraisal_tally t
			   WHERE t.branch_id OPERATOR(pg_catalog.=) ballot_tally.branch_id
				 AND t.year OPERATOR(pg_catalog.=) ballot_tally.year) THEN
		RETURN;					-- counted
	END IF;
	INSERT INTO pointsys.appraisal_tally (branch_id, year, member_id, excellent, qualified, basically_qualified, unqualified)
	SELECT ballot_tally.branch_id, ballot_tally.year, a.member_id,
		   pg_catalog.count(*) FILTER (WHERE m.label OPERATOR(pg_catalog.=) 'excellent'),
		   pg_catalog.count(*) FILTER (WHERE m.label OPERATOR(pg_catalog.=) 'qualified'),
		   pg_catalog.count(*) FILTER (WHERE m.label OPERATOR(pg_catalog.=) 'basically_qualified'),
		   pg_catalog.count(*) FILTER (WHERE m.label OPERATOR(pg_catalog.=) 'unqualified')
	FROM pointsys.appraised_members(ballot_tally.branch_id, ballot_tally.year) a (member_id)
	LEFT JOIN (SELECT e.key, e.value AS label
			   FROM pointsys.appraisal_ballot b
			   CROSS JOIN LATERAL pg_catalog.jsonb_each_text(b.marks) e
			   WHERE b.branch_id OPERATOR(pg_catalog.=) ballot_tally.branch_id
				 AND b.year OPERATOR(pg_catalog.=) ballot_tally.year) m
		ON m.key OPERATOR(pg_catalog.=) a.member_id
	GROUP BY a.member_id
	ORDER BY a.member_id;
END
$$;
COMMENT ON FUNCTION @extschema@.ballot_tally(pg_catalog.text, pg_catalog.int4) IS
	'计票 (owner only, through count_ballots) writes a closing electronic round''s tally from its ballots, once';

-- the ballots cast in a round: a number the register shows anyway
CREATE FUNCTION @extschema@.ballot_total(branch_id pg_catalog.text, year pg_catalog.int4) RETURNS pg_catalog.int4
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT CAST(pg_catalog.count(*) AS pg_catalog.int4) FROM @extschema@.appraisal_ballot b
	WHERE b.branch_id OPERATOR(pg_catalog.=) ballot_total.branch_id AND b.year OPERATOR(pg_catalog.=) ballot_total.year;
END;
COMMENT ON FUNCTION @extschema@.ballot_total(pg_catalog.text, pg_catalog.int4) IS
	'投票数 (owner only, through ballots_cast) the number of ballots cast in a round';

CREATE FUNCTION @extschema@.cast_ballot(branch_id pg_catalog.text, year pg_catalog.int4, marks pg_catalog.jsonb,
										code pg_catalog.text DEFAULT NULL)
	RETURNS void
	AS 'MODULE_PATHNAME', 'cast_ballot' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.cast_ballot(pg_catalog.text, pg_catalog.int4, pg_catalog.jsonb, pg_catalog.text) IS
	'投票 cast one anonymous ballot in an open electronic round: {member_id: label}, with a one-time code or as a registered login (pointsys_voter)';
CREATE FUNCTION @extschema@.issue_codes(branch_id pg_catalog.text, year pg_catalog.int4, n pg_catalog.int4)
	RETURNS pg_catalog.text[]
	AS 'MODULE_PATHNAME', 'issue_codes' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.issue_codes(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'发投票码 make n one-time codes for an open electronic round, to print and hand out (shown once; pointsys keeps their SHA-256)';
CREATE FUNCTION @extschema@.ballots_cast(branch_id pg_catalog.text, year pg_catalog.int4) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'ballots_cast' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION @extschema@.ballots_cast(pg_catalog.text, pg_catalog.int4) IS
	'投票数 the number of ballots cast in a round the caller can see';
CREATE FUNCTION @extschema@.count_ballots(branch_id pg_catalog.text, year pg_catalog.int4) RETURNS void
	AS 'MODULE_PATHNAME', 'count_ballots' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION @extschema@.count_ballots(pg_catalog.text, pg_catalog.int4) IS
	'计票 the tally of a closing electronic round from its ballots (its closing calls it; the caller must be able to update the round)';

-- 测评票 what a voter's screen shows: the members on the ballot
CREATE FUNCTION @extschema@.ballot_form(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS TABLE (member_id pg_catalog.text, name pg_catalog.text)
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pointsys.ballot_logging_check();
	RETURN QUERY
	SELECT m.member_id, m.name
	FROM pointsys.appraisal_round r
	CROSS JOIN LATERAL pointsys.appraised_members(r.branch_id, r.year) a (member_id)
	JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) a.member_id
	WHERE r.branch_id OPERATOR(pg_catalog.=) ballot_form.branch_id AND r.year OPERATOR(pg_catalog.=) ballot_form.year
	  AND r.electronic AND r.status OPERATOR(pg_catalog.=) 'open' AND NOT r.voting_ended
	ORDER BY m.member_id;
END
$$;
COMMENT ON FUNCTION @extschema@.ballot_form(pg_catalog.text, pg_catalog.int4) IS
	'测评票 the members on the ballot of an electronic round whose vote is open, for the voters'' screens; 55000 while the server logs statements';

------------------------------------------------------------------------
-- 评议结果 what is read: each member's counts and score, and the ballots
-- of a closed electronic round in an order that tells nothing
------------------------------------------------------------------------

CREATE VIEW @extschema@.appraisal_results WITH (security_invoker = true) AS
SELECT t.branch_id, t.year, t.member_id, m.name, t.excellent, t.qualified, t.basically_qualified, t.unqualified,
	   t.spoilt, t.valid,
	   CAST(@extschema@.appraisal_score(t.excellent, t.qualified, t.basically_qualified, t.unqualified,
										CASE WHEN r.weight_excellent IS NULL THEN @extschema@.appraisal_weights()
											 ELSE ARRAY[r.weight_excellent, r.weight_qualified, r.weight_basically_qualified, r.weight_unqualified] END)
			AS pg_catalog.numeric(5,2)) AS score,
	   r.status, r.ballots_issued, r.ballots_returned
FROM @extschema@.appraisal_tally t
JOIN @extschema@.appraisal_round r
	ON r.branch_id OPERATOR(pg_catalog.=) t.branch_id AND r.year OPERATOR(pg_catalog.=) t.year
JOIN @extschema@.member m ON m.member_id OPERATOR(pg_catalog.=) t.member_id;
COMMENT ON VIEW @extschema@.appraisal_results IS
	'评议结果 each member''s tally in a round, valid votes and democratic score (with the round''s weights once it closed, the current ones before)';
COMMENT ON COLUMN @extschema@.appraisal_results.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_results.year IS '年度 year';
COMMENT ON COLUMN @extschema@.appraisal_results.member_id IS '党员 member';
COMMENT ON COLUMN @extschema@.appraisal_results.name IS '姓名 name';
COMMENT ON COLUMN @extschema@.appraisal_results.excellent IS '优秀 votes';
COMMENT ON COLUMN @extschema@.appraisal_results.qualified IS '合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_results.basically_qualified IS '基本合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_results.unqualified IS '不合格 votes';
COMMENT ON COLUMN @extschema@.appraisal_results.spoilt IS '废票 ballots spoilt for her';
COMMENT ON COLUMN @extschema@.appraisal_results.valid IS '有效票 valid votes';
COMMENT ON COLUMN @extschema@.appraisal_results.score IS '民主评议得分 democratic score; NULL without a valid vote';
COMMENT ON COLUMN @extschema@.appraisal_results.status IS '状态 the round''s status';
COMMENT ON COLUMN @extschema@.appraisal_results.ballots_issued IS '发出票数 ballots issued';
COMMENT ON COLUMN @extschema@.appraisal_results.ballots_returned IS '收回票数 ballots returned';

-- The view reads the ballots as its owner (a view without
-- security_invoker): its readers see marks, never a row's system columns
-- or physical order; security_barrier keeps their own conditions from
-- running before the view's
CREATE VIEW @extschema@.appraisal_ballots WITH (security_barrier = true) AS
SELECT b.branch_id, b.year, b.marks
FROM @extschema@.appraisal_ballot b
JOIN @extschema@.appraisal_round r
	ON r.branch_id OPERATOR(pg_catalog.=) b.branch_id AND r.year OPERATOR(pg_catalog.=) b.year
WHERE r.status OPERATOR(pg_catalog.<>) 'open'
  AND (pg_catalog.pg_has_role('pointsys_admin', 'USAGE') OR pg_catalog.pg_has_role('pointsys_reader', 'USAGE')
	   OR (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE') AND @extschema@.may_record_branch(b.branch_id)))
ORDER BY b.branch_id, b.year, CAST(b.marks AS pg_catalog.text);
COMMENT ON VIEW @extschema@.appraisal_ballots IS
	'电子测评票 the ballots of closed electronic rounds, sorted by their marks (for a recount); nothing of the voters, not even the order they voted in';
COMMENT ON COLUMN @extschema@.appraisal_ballots.branch_id IS '支部 branch of the round';
COMMENT ON COLUMN @extschema@.appraisal_ballots.year IS '年度 year';
COMMENT ON COLUMN @extschema@.appraisal_ballots.marks IS '评议 {member_id: label}';

------------------------------------------------------------------------
-- 权限 who does what
------------------------------------------------------------------------

CREATE POLICY recorder_branch ON @extschema@.appraisal_round TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)) WITH CHECK (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.appraisal_tally TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)) WITH CHECK (@extschema@.may_record_branch(branch_id));
CREATE POLICY recorder_branch ON @extschema@.appraisal_voter TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id)) WITH CHECK (@extschema@.may_record_branch(branch_id));
-- a recorder reads the scores of the members her branches appraise and
-- writes those of her branches' rounds (as they close)
CREATE POLICY recorder_branch ON @extschema@.evaluation TO pointsys_recorder
	USING (@extschema@.may_record(member_id, pg_catalog.make_date(year, 12, 1)))
	WITH CHECK (round_branch_id IS NOT NULL AND @extschema@.may_record_branch(round_branch_id));
COMMENT ON POLICY recorder_branch ON @extschema@.appraisal_round IS '记录员 the rounds of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.appraisal_tally IS '记录员 the tallies of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.appraisal_voter IS '记录员 the voters of the recorder''s branches';
COMMENT ON POLICY recorder_branch ON @extschema@.evaluation IS
	'记录员 reads the scores of members of the recorder''s branches in December; writes the scores of their rounds';

GRANT SELECT ON @extschema@.appraisal_weight, @extschema@.appraisal_round, @extschema@.appraisal_tally,
	@extschema@.appraisal_voter TO pointsys_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.appraisal_round, @extschema@.appraisal_tally,
	@extschema@.appraisal_voter TO pointsys_admin, pointsys_recorder;
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.appraisal_weight TO pointsys_admin;
GRANT SELECT ON @extschema@.appraisal_weight TO pointsys_recorder;
GRANT SELECT, INSERT, UPDATE ON @extschema@.evaluation TO pointsys_recorder;
GRANT SELECT ON @extschema@.appraisal_results, @extschema@.appraisal_ballots
	TO pointsys_admin, pointsys_recorder, pointsys_reader;
-- codes and ballots: nobody's but the owner's (80_roles.sql gave the
-- readers every table)
REVOKE ALL ON @extschema@.appraisal_code, @extschema@.appraisal_ballot FROM pointsys_reader;

REVOKE ALL ON FUNCTION
	@extschema@.appraised_members(pg_catalog.text, pg_catalog.int4),
	@extschema@.appraisal_members(pg_catalog.text, pg_catalog.int4),
	@extschema@.ballot_store(pg_catalog.text, pg_catalog.int4, pg_catalog.jsonb, pg_catalog.text, pg_catalog.name),
	@extschema@.codes_issue(pg_catalog.text, pg_catalog.int4, pg_catalog.int4),
	@extschema@.ballot_tally(pg_catalog.text, pg_catalog.int4),
	@extschema@.ballot_total(pg_catalog.text, pg_catalog.int4),
	@extschema@.cast_ballot(pg_catalog.text, pg_catalog.int4, pg_catalog.jsonb, pg_catalog.text),
	@extschema@.issue_codes(pg_catalog.text, pg_catalog.int4, pg_catalog.int4),
	@extschema@.ballots_cast(pg_catalog.text, pg_catalog.int4),
	@extschema@.count_ballots(pg_catalog.text, pg_catalog.int4),
	@extschema@.ballot_form(pg_catalog.text, pg_catalog.int4),
	@extschema@.appraisal_round_check(),
	@extschema@.appraisal_round_apply(),
	@extschema@.appraisal_tally_check(),
	@extschema@.appraisal_voter_check(),
	@extschema@.evaluation_round_check()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	@extschema@.cast_ballot(pg_catalog.text, pg_catalog.int4, pg_catalog.jsonb, pg_catalog.text),
	@extschema@.ballot_form(pg_catalog.text, pg_catalog.int4)
TO pointsys_voter;
GRANT EXECUTE ON FUNCTION
	@extschema@.appraisal_members(pg_catalog.text, pg_catalog.int4)
TO pointsys_admin, pointsys_recorder, pointsys_reader;
GRANT EXECUTE ON FUNCTION
	@extschema@.issue_codes(pg_catalog.text, pg_catalog.int4, pg_catalog.int4),
	@extschema@.ballots_cast(pg_catalog.text, pg_catalog.int4),
	@extschema@.count_ballots(pg_catalog.text, pg_catalog.int4)
TO pointsys_admin, pointsys_recorder;

SELECT pg_catalog.pg_extension_config_dump('pointsys.appraisal_weight', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.appraisal_round', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.appraisal_tally', '');
SELECT pg_catalog.pg_extension_config_dump('pointsys.appraisal_voter', '');

DO LANGUAGE plpgsql $$
DECLARE
	t pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['appraisal_weight', 'appraisal_round', 'appraisal_tally', 'appraisal_voter'] LOOP
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER audit_insert AFTER INSERT ON pointsys.%1$I
				REFERENCING NEW TABLE AS pointsys_new_rows
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			 CREATE TRIGGER audit_update AFTER UPDATE ON pointsys.%1$I
				REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			 CREATE TRIGGER audit_delete AFTER DELETE ON pointsys.%1$I
				REFERENCING OLD TABLE AS pointsys_old_rows
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			 CREATE TRIGGER audit_truncate AFTER TRUNCATE ON pointsys.%1$I
				FOR EACH STATEMENT EXECUTE FUNCTION pointsys.audit_changes();
			 COMMENT ON TRIGGER audit_insert ON pointsys.%1$I IS %2$L;
			 COMMENT ON TRIGGER audit_update ON pointsys.%1$I IS %3$L;
			 COMMENT ON TRIGGER audit_delete ON pointsys.%1$I IS %4$L;
			 COMMENT ON TRIGGER audit_truncate ON pointsys.%1$I IS %5$L',
			t,
			'审计 audit trail of inserts (one row per inserted row)',
			'审计 audit trail of updates (old and new row)',
			'审计 audit trail of deletes (one row per deleted row)',
			'审计 audit trail of truncation');
	END LOOP;
	FOREACH t IN ARRAY ARRAY['evaluation', 'appraisal_round', 'appraisal_tally', 'appraisal_voter'] LOOP
		EXECUTE pg_catalog.format(
			'ALTER TABLE pointsys.%1$I ENABLE ROW LEVEL SECURITY;
			 CREATE POLICY admin_all ON pointsys.%1$I TO pointsys_admin USING (true) WITH CHECK (true);
			 CREATE POLICY reader_all ON pointsys.%1$I FOR SELECT TO pointsys_reader USING (true);
			 COMMENT ON POLICY admin_all ON pointsys.%1$I IS %2$L;
			 COMMENT ON POLICY reader_all ON pointsys.%1$I IS %3$L',
			t, '局党组 pointsys_admin sees and writes every branch', '报表工具 pointsys_reader reads every branch');
	END LOOP;
END
$$;

-- 打印 the publicity line shared by the lists to post (publicity_html above
-- calls it), and the sheets of an appraisal round
-- The line of a list to post: its publicity period (first and last day;
-- NULL: not publicized yet) and where objections go
CREATE FUNCTION @extschema@.publicity_period_html(first_day pg_catalog.date, last_day pg_catalog.date)
	RETURNS pg_catalog.text
	LANGUAGE sql STABLE PARALLEL SAFE
RETURN '<p class="meta">公示期：'
	|| CASE WHEN first_day IS NULL THEN '（尚未开始）'
			WHEN last_day OPERATOR(pg_catalog.<=) first_day THEN pg_catalog.to_char(first_day, 'YYYY年FMMM月FMDD日')
			ELSE pg_catalog.to_char(first_day, 'YYYY年FMMM月FMDD日') || '至'
				 || pg_catalog.to_char(last_day, 'YYYY年FMMM月FMDD日') END
	|| '。公示期间如有异议，请向支部委员会反映。</p>';
COMMENT ON FUNCTION @extschema@.publicity_period_html(pg_catalog.date, pg_catalog.date) IS
	'公示期（打印） the publicity line of a list to post: its first and last day (NULL: not yet), where objections go';

-- 民主评议 the sheets of an appraisal round (89_appraisal.sql): the round as
-- the caller sees it, once she may read the branch's documents; a round
-- she cannot see is refused (42704) as the ballot box refuses it
CREATE FUNCTION @extschema@.appraisal_sheet_round(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS @extschema@.appraisal_round
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r pointsys.appraisal_round;
BEGIN
	PERFORM pointsys.check_branch_documents(appraisal_sheet_round.branch_id);
	SELECT a.* INTO r FROM pointsys.appraisal_round a
	WHERE a.branch_id OPERATOR(pg_catalog.=) appraisal_sheet_round.branch_id
	  AND a.year OPERATOR(pg_catalog.=) appraisal_sheet_round.year;
	IF NOT FOUND THEN
		PERFORM pointsys.appraisal_members(appraisal_sheet_round.branch_id, appraisal_sheet_round.year);
	END IF;
	RETURN r;
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_sheet_round(pg_catalog.text, pg_catalog.int4) IS
	'评议轮次（打印） the appraisal round a sheet prints, as the caller sees it; refuses like check_branch_documents, and (42704) a round she cannot see';

CREATE FUNCTION @extschema@.appraisal_ballot_html(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r pointsys.appraisal_round;
	branch_name pg_catalog.text;
	rows pg_catalog.text;
BEGIN
	r := pointsys.appraisal_sheet_round(appraisal_ballot_html.branch_id, appraisal_ballot_html.year);
	IF r.electronic THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" is electronic: it has no paper ballots', NULL,
								'Voters see the ballot on their screens (pointsys.ballot_form); pointsys.issue_codes prints one-time codes.',
								r.year::pg_catalog.text, r.branch_id);
	END IF;
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) appraisal_ballot_html.branch_id;
	-- a row per member appraised, in code order, with four empty boxes
	SELECT pg_catalog.string_agg(
			'<tr><td>' || a.n || '</td><td class="nw">' || pointsys.html_escape(COALESCE(m.name, a.member_id))
			|| '</td>' || pg_catalog.repeat('<td style="height:7mm"></td>', 4) || '</tr>',
			E'\n' ORDER BY a.n)
	INTO rows
	FROM pg_catalog.unnest(pointsys.appraisal_members(r.branch_id, r.year)) WITH ORDINALITY AS a(member_id, n)
	LEFT JOIN pointsys.member m ON m.member_id OPERATOR(pg_catalog.=) a.member_id;
	RETURN pointsys.html_page(
		pg_catalog.format('民主评议测评票 %s %s年度', branch_name, r.year),
		false,
		pg_catalog.format('<h1>%s年度党员民主评议测评票</h1>', r.year)
		|| pg_catalog.format('<p class="meta">支部：%s　　（本票不记名）</p>', pointsys.html_escape(branch_name))
		|| '<p class="meta">填票说明：<br>1. 对每名党员，在所选等次下的空格内划“√”，只能划一个。'
		|| '<br>2. 对同一名党员划两个及以上“√”的，该党员的这一票为废票；不划的，视为对该党员弃权。'
		|| '<br>3. 填好后当场投入票箱。</p>'
		|| '<table><thead><tr><th class="nw">序号</th><th>姓名</th><th style="width:20mm">优秀</th>'
		|| '<th style="width:20mm">合格</th><th style="width:20mm">基本合格</th><th style="width:20mm">不合格</th>'
		|| '</tr></thead><tbody>' || E'\n'
		|| COALESCE(rows, '<tr><td colspan="6">本支部本年度无评议对象</td></tr>')
		|| E'\n</tbody></table>');
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_ballot_html(pg_catalog.text, pg_catalog.int4) IS
	'民主评议测评票（打印） the anonymous paper ballot of a branch''s appraisal round: a row per member appraised, a box per label, as a standalone A4 HTML page; 55000 for an electronic round';

CREATE FUNCTION @extschema@.appraisal_results_html(branch_id pg_catalog.text, year pg_catalog.int4)
	RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r pointsys.appraisal_round;
	branch_name pg_catalog.text;
	rows pg_catalog.text;
BEGIN
	r := pointsys.appraisal_sheet_round(appraisal_results_html.branch_id, appraisal_results_html.year);
	IF r.status OPERATOR(pg_catalog.=) 'open' THEN
		PERFORM pointsys.refuse('55000', 'appraisal round %s of branch "%s" is open: its results are fixed when it closes', NULL,
								'Print the results once the tellers'' count is in and the round is closed.',
								r.year::pg_catalog.text, r.branch_id);
	END IF;
	SELECT b.name INTO branch_name FROM pointsys.branch b
	WHERE b.branch_id OPERATOR(pg_catalog.=) appraisal_results_html.branch_id;
	SELECT pg_catalog.string_agg(
			pg_catalog.format('<tr><td>%s</td><td class="nw">%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>'
							  '<td>%s</td><td>%s</td><td><b>%s</b></td></tr>',
							  t.n, pointsys.html_escape(t.name), t.excellent, t.qualified, t.basically_qualified,
							  t.unqualified, t.spoilt, t.valid, t.score),
			E'\n' ORDER BY t.n)
	INTO rows
	FROM (SELECT v.*, pg_catalog.row_number() OVER (ORDER BY v.member_id) AS n
		  FROM pointsys.appraisal_results v
		  WHERE v.branch_id OPERATOR(pg_catalog.=) r.branch_id AND v.year OPERATOR(pg_catalog.=) r.year) t;
	RETURN pointsys.html_page(
		pg_catalog.format('民主评议结果公示 %s %s年度', branch_name, r.year),
		false,
		pg_catalog.format('<h1>%s%s年度党员民主评议结果公示</h1>', pointsys.html_escape(branch_name), r.year)
		-- publicity_end: the day the round may be final, the day after the last
		|| pointsys.publicity_period_html(r.publicity_start, r.publicity_end OPERATOR(pg_catalog.-) 1)
		|| pg_catalog.format('<p class="meta">%s：发出%s张，收回%s张。每名党员的有效票须超过发出票数的%s%%。</p>',
							 CASE WHEN r.electronic THEN '电子投票' ELSE '纸质测评票' END,
							 r.ballots_issued, r.ballots_returned, r.quorum_percent)
		|| pg_catalog.format('<p class="meta">计分办法：优秀%s分，合格%s分，基本合格%s分，不合格%s分；'
							 '得分为有效票的加权平均，四舍五入保留两位小数。</p>',
							 r.weight_excellent, r.weight_qualified, r.weight_basically_qualified, r.weight_unqualified)
		|| '<table><thead><tr><th class="nw">序号</th><th>姓名</th><th>优秀</th><th>合格</th><th>基本合格</th>'
		|| '<th>不合格</th><th>废票</th><th>有效票</th><th>得分</th></tr></thead><tbody>' || E'\n'
		|| COALESCE(rows, '<tr><td colspan="9">无计票</td></tr>')
		|| E'\n</tbody></table>'
		|| '<p class="sign">计票人（签字）：　　　　　　　　监票人（签字）：</p>'
		|| pg_catalog.format('<p class="sign">中共%s委员会（盖章）　　　　日期：</p>', pointsys.html_escape(branch_name)));
END
$$;
COMMENT ON FUNCTION @extschema@.appraisal_results_html(pg_catalog.text, pg_catalog.int4) IS
	'民主评议结果公示（打印） a branch''s appraisal round to post: each member''s votes, spoilt, valid votes and score, the ballots, weights, quorum and publicity, as a standalone A4 HTML page; 55000 while the round is open';

-- A report of one year (WHERE year = …, pushed down to year_of(month))
-- reads that year's month rows only: a BRIN index of the year of each
-- block range of the month ledger, which grows month by month, so that
-- its years lie in runs of pages.  A few bytes per 128 pages, nothing to
-- write for most new rows (issue 27).
CREATE INDEX member_month_year_idx ON @extschema@.member_month
	USING brin (@extschema@.year_of(month)) WITH (autosummarize = on);
COMMENT ON INDEX @extschema@.member_month_year_idx IS '月度台账年度 the years of the month ledger''s block ranges, for one year''s reports';
