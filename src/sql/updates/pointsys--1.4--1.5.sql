/* pointsys--1.4--1.5.sql: release 1.5 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.5'" to load this file. \quit

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
		RAISE EXCEPTION USING
			ERRCODE = 'restrict_violation',
			MESSAGE = pg_catalog.format('member "%s" must keep a membership row', membership_check.member_id),
			DETAIL = pg_catalog.format('This would leave member "%s" without a membership row (the latest was branch "%s" since %s).',
									   membership_check.member_id,
									   before_branch[pg_catalog.array_upper(before_branch, 1)],
									   pg_catalog.to_char(before_since[pg_catalog.array_upper(before_since, 1)], 'YYYY-MM')),
			HINT = 'A member always belongs to a branch; delete the member to delete the history.';
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
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('quarter %s-Q%s of branch "%s" is %s',
											pointsys.year_of(moved.month), pointsys.quarter_of(moved.month),
											closed_branch, closed_status),
				DETAIL = pg_catalog.format('The month is %s: member "%s" has scores or awards in it, and this change of membership moves it from branch "%s" to branch "%s".',
										   pg_catalog.to_char(moved.month, 'YYYY-MM'), membership_check.member_id,
										   moved.old_branch, moved.new_branch),
				HINT = 'A month moves between branches only while its quarter is recording in both; pointsys.reopen() takes it back.';
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
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.mentoring'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('mentoring_access: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
	IF NOT pg_catalog.pg_has_role('pointsys_admin', 'USAGE') THEN
		IF NOT (pg_catalog.pg_has_role('pointsys_recorder', 'USAGE')
				AND EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
							WHERE pointsys.may_record(NEW.member_id, pg_catalog.make_date(NEW.year, g.n, 1)))) THEN
			RAISE EXCEPTION USING
				ERRCODE = 'insufficient_privilege',
				MESSAGE = 'new row violates row-level security policy for table "mentoring"';
		END IF;
		-- a recorder's mentor is of her branches that year: nothing of
		-- another branch's members is looked at, nor locked by the
		-- foreign key, for her
		IF NEW.mentor_id IS NOT NULL
		   AND (TG_OP OPERATOR(pg_catalog.=) 'INSERT'
				OR (NEW.mentor_id, NEW.year) IS DISTINCT FROM (OLD.mentor_id, OLD.year))
		   AND NOT EXISTS (SELECT FROM pg_catalog.generate_series(1, 12) AS g(n)
						   WHERE pointsys.may_record(NEW.mentor_id, pg_catalog.make_date(NEW.year, g.n, 1))) THEN
			RAISE EXCEPTION USING
				ERRCODE = 'insufficient_privilege',
				MESSAGE = pg_catalog.format('mentor "%s" is not a member of your branches in %s',
											NEW.mentor_id, NEW.year),
				HINT = 'A recorder names a mentor from her own branches; pointsys_admin assigns mentors from other branches.';
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
	may_read := pg_catalog.has_table_privilege(NEW.recorded_by, 'pointsys.annual_results', 'SELECT');
	SELECT r.grade INTO member_grade FROM pointsys.annual_results r
	WHERE r.member_id OPERATOR(pg_catalog.=) NEW.member_id
	  AND r.year OPERATOR(pg_catalog.=) NEW.year;
	IF member_grade IS NULL OR member_grade OPERATOR(pointsys.<>) 'unqualified'::pointsys.grade THEN
		IF may_read THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('member "%s" is not graded 不合格 for %s',
											NEW.member_id, NEW.year),
				DETAIL = pg_catalog.format('The %s grade is %s.', NEW.year,
										   COALESCE(member_grade::pg_catalog.text, 'pending')),
				HINT = 'Mentors are assigned to members graded 不合格 (unqualified) only.';
		END IF;
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('member "%s" is not graded 不合格 for %s',
										NEW.member_id, NEW.year),
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
	-- (a recorder's mentor is of her branches: she may read these dates)
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
			MESSAGE = CASE WHEN may_read THEN
						  pg_catalog.format('mentor "%s" is graded 不合格 for %s', NEW.mentor_id, NEW.year)
					  ELSE pg_catalog.format('mentor "%s" cannot mentor in %s', NEW.mentor_id, NEW.year) END,
			HINT = 'Choose a mentor who is not 不合格 that year.';
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
		RAISE EXCEPTION USING
			ERRCODE = 'check_violation',
			MESSAGE = CASE WHEN may_read THEN
						  pg_catalog.format('mentor "%s" already has %s mentee(s) in %s',
											NEW.mentor_id, mentees, NEW.year)
					  ELSE pg_catalog.format('mentor "%s" has no room for another mentee in %s',
											 NEW.mentor_id, NEW.year) END,
			DETAIL = pg_catalog.format('The limit is %s (pointsys.setting mentees_per_mentor).', limit_mentees);
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
