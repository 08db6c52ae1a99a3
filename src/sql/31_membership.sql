-- src/sql/31_membership.sql
-- 组织关系 branch membership history: the table membership and the
-- branch of a member-month (branch_of, branches_between); its triggers
-- are in 90_transfers.sql

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
