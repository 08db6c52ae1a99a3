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
	RAISE EXCEPTION USING
		ERRCODE = 'insufficient_privilege',
		MESSAGE = 'the audit trail''s chain cannot be changed',
		DETAIL = pg_catalog.format('%s of pointsys.%s is refused.', TG_OP, TG_TABLE_NAME),
		HINT = 'Links are added by pointsys.seal_audit() only.';
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
	'上报备案记录 the digest of a branch quarter''s ledger each time the quarter was filed; earlier filings are kept (written by pointsys only, audited)';
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
	IF TG_RELID OPERATOR(pg_catalog.<>) 'pointsys.period'::pg_catalog.regclass::pg_catalog.oid
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
	   OR TG_OP OPERATOR(pg_catalog.<>) 'UPDATE' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('filing_record: cannot fire %s %s FOR EACH %s on table "%s"',
										TG_WHEN, TG_OP, TG_LEVEL, TG_TABLE_NAME);
	END IF;
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
		-- and the audit trail's chain sealed as far as it safely can be
		PERFORM pointsys.seal_audit(1000);
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

CREATE TRIGGER audit_insert AFTER INSERT ON @extschema@.filing
	REFERENCING NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_update AFTER UPDATE ON @extschema@.filing
	REFERENCING OLD TABLE AS pointsys_old_rows NEW TABLE AS pointsys_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_delete AFTER DELETE ON @extschema@.filing
	REFERENCING OLD TABLE AS pointsys_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON @extschema@.filing
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.audit_changes();
COMMENT ON TRIGGER audit_insert ON @extschema@.filing IS '审计 audit trail of inserts (one row per inserted row)';
COMMENT ON TRIGGER audit_update ON @extschema@.filing IS '审计 audit trail of updates (old and new row)';
COMMENT ON TRIGGER audit_delete ON @extschema@.filing IS '审计 audit trail of deletes (one row per deleted row)';
COMMENT ON TRIGGER audit_truncate ON @extschema@.filing IS '审计 audit trail of truncation';

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
