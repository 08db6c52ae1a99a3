-- src/sql/83_audit_chain.sql
-- 审计链 the audit trail's hash chain (issue 25 point 3): each batch of
-- audit_log sealed, in id order, with a link hashing its content and the
-- link before it, a chain per node; seal_audit, verify_audit

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
