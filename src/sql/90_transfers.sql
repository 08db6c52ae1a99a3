-- src/sql/90_transfers.sql
-- 组织关系转接 transfers between branches: the triggers that keep
-- membership and member.branch_id in step; their audit, row security
-- and privileges

------------------------------------------------------------------------
-- 组织关系转接 transfers between branches (issue 14): the triggers that
-- keep pointsys.membership and member.branch_id in step, and refuse a
-- change of membership that would move a month out of (or into) a quarter
-- that is no longer recording; audit, row security, privileges
------------------------------------------------------------------------

-- member → membership: a new member's first row; a change of
-- member.branch_id that the membership rows do not make yet is a transfer
-- from the current month.  The rows are the writer's own (pointsys_admin's,
-- who alone writes member): written as her, audited as hers.
CREATE FUNCTION @extschema@.member_membership() RETURNS trigger
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
COMMENT ON FUNCTION @extschema@.member_membership() IS
	'组织关系 a new member''s first membership row; a change of member.branch_id is a transfer from the current month';
CREATE TRIGGER member_membership AFTER INSERT OR UPDATE OF branch_id ON @extschema@.member
	FOR EACH ROW EXECUTE FUNCTION @extschema@.member_membership();
COMMENT ON TRIGGER member_membership ON @extschema@.member IS
	'组织关系 new members and changes of member.branch_id write pointsys.membership';

-- membership → member: each changed member's history before the
-- statement against after it (membership.c), for the statement as a whole.
-- The rules, as the owner, with the member's row locked (FOR UPDATE waits
-- for the writes of score and award rows under way, which hold it FOR KEY
-- SHARE), and the branch rows of every month that changes branch locked FOR
-- SHARE (as a score's write does: no quarter of theirs can change status
-- meanwhile); then member.branch_id follows the latest row, as the writer.
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

CREATE FUNCTION @extschema@.membership_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'membership_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.membership_changed() IS
	'组织关系 each changed member''s history before the statement against after it (membership_check, as the owner); member.branch_id follows the latest row, written as the writer';
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

-- (the audit triggers, row security and the admin_all and reader_all
-- policies of membership: 96_audit_and_policies.sql)
CREATE POLICY recorder_branch ON @extschema@.membership FOR SELECT TO pointsys_recorder
	USING (@extschema@.may_record_branch(branch_id));
COMMENT ON POLICY recorder_branch ON @extschema@.membership IS '记录员 membership rows of the recorder''s branches';

GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.membership TO pointsys_admin;
GRANT SELECT ON @extschema@.membership TO pointsys_recorder;

REVOKE EXECUTE ON FUNCTION
	@extschema@.member_membership(),
	@extschema@.membership_changed()
FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('pointsys.membership', '');
