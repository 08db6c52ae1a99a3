-- src/sql/62_advance_reopen.sql
-- 操作流程 the process's steps: advance and reopen

CREATE FUNCTION @extschema@.advance(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4)
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
COMMENT ON FUNCTION @extschema@.advance(pg_catalog.text, pg_catalog.int4, pg_catalog.int4) IS
	'推进流程 move a branch quarter one step: recording → approved (党员大会评定) → publicized (公示) → filed (上报备案) → verified (积分核查); returns the new status';

CREATE FUNCTION @extschema@.reopen(branch_id pg_catalog.text, year pg_catalog.int4, quarter pg_catalog.int4,
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
COMMENT ON FUNCTION @extschema@.reopen(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.text) IS
	'重新开放 take a branch quarter back to recording (pointsys_admin only; the reason is required and audited)';
