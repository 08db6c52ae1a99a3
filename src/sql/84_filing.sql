-- src/sql/84_filing.sql
-- 上报备案 / 积分核查 a digest of the branch quarter's ledger at filing,
-- kept with the quarter (filing), and its verification (verify_quarter,
-- filing_mismatches); the serialisation is specified in doc/filing.md

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
