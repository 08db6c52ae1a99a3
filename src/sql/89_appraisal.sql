-- src/sql/89_appraisal.sql
-- 民主评议 the democratic appraisal (党员民主评议): rounds, the tally of
-- paper ballots, the score, publicity, anonymous electronic ballots
-- (tables: 34_appraisal_tables.sql; doc/appraisal.md)

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
