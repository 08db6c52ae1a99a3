-- test/soak/setup.sql: the soak test's logins and helpers (test/soak/run.sh
-- runs it as a superuser, after CREATE EXTENSION pointsys and
-- test/data/generate.sql with -v branches=N).
--
--   psql -v branches=8 -f test/soak/setup.sql
--
-- Logins: rec1..recN, each granted pointsys_recorder and registered as the
-- recorder of branch gK and of its neighbour g(K mod N + 1), so that every
-- branch has two recorders racing on it; the even ones work in REPEATABLE
-- READ, the odd ones in READ COMMITTED.  soak_admin is a pointsys_admin.
--
-- Schema soak: the helpers the pgbench scripts call (test/soak/recorder.sql,
-- test/soak/bureau.sql).
-- Each does one kind of write AS ITS CALLER (SECURITY INVOKER: row-level
-- security applies), catches only the refusals the rules allow in that
-- situation, and counts the outcome in soak.tally in the same transaction,
-- so that a refused write never kills a pgbench client and every committed
-- write is counted exactly once.  Any other error, or a write that should
-- have been refused and was not, is raised: the client aborts and run.sh
-- fails.

\set ON_ERROR_STOP on

CREATE SCHEMA soak;

-- quarters move from publicized to filed at once (no publicity period)
INSERT INTO pointsys.setting VALUES ('publicity_days', 0);

-- Members by branch number and position, items by position, so that the
-- scripts can pick them with \set random()
CREATE TABLE soak.slot (
	branch_no int NOT NULL,
	n int NOT NULL,
	member_id text NOT NULL,
	PRIMARY KEY (branch_no, n)
);
INSERT INTO soak.slot
SELECT substr(branch_id, 2)::int,
	   row_number() OVER (PARTITION BY branch_id ORDER BY member_id),
	   member_id
FROM pointsys.member
WHERE branch_id ~ '^g[0-9]+$';

CREATE TABLE soak.item_no (
	n int PRIMARY KEY,
	item text NOT NULL,
	max_points numeric NOT NULL,
	step numeric NOT NULL
);
INSERT INTO soak.item_no
SELECT row_number() OVER (ORDER BY item), item, max_points, step FROM pointsys.item;

-- Outcomes: one row per login, kind and outcome ('ok', 'miss' when the
-- row to change was not there, 'noop', or the SQLSTATE of the refusal).
-- Each session updates only its own rows, so the tally adds no contention
-- between sessions.
CREATE TABLE soak.tally (
	actor name NOT NULL,
	kind text NOT NULL,
	outcome text NOT NULL,
	n bigint NOT NULL,
	PRIMARY KEY (actor, kind, outcome)
);

-- note(kind, outcome): count the outcome, and return it
CREATE FUNCTION soak.note(kind text, outcome text) RETURNS text
LANGUAGE sql AS $$
	INSERT INTO soak.tally VALUES (session_user, kind, outcome, 1)
	ON CONFLICT (actor, kind, outcome) DO UPDATE SET n = soak.tally.n + 1
	RETURNING outcome;
$$;

-- by_key(what, rows): the outcome of a write of one key: 'ok' (one row) or
-- 'miss' (none); more rows raise
CREATE FUNCTION soak.by_key(what text, nrows bigint) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF nrows > 1 THEN
		RAISE EXCEPTION 'soak: one % wrote % rows', what, nrows;
	END IF;
	RETURN CASE nrows WHEN 1 THEN 'ok' ELSE 'miss' END;
END
$$;

CREATE FUNCTION soak.member(branch_no int, n int) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT member_id FROM soak.slot s WHERE s.branch_no = $1 AND s.n = $2;
$$;

-- Points p mapped into 0..max in the item's step
CREATE FUNCTION soak.points(it int, p int) RETURNS numeric
LANGUAGE sql STABLE AS $$
	SELECT (p % (max_points / step + 1)::int) * step FROM soak.item_no WHERE n = it;
$$;

CREATE FUNCTION soak.item(it int) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT item FROM soak.item_no WHERE n = it;
$$;

-- insert: a score of a member of branch b, any day of month mo of 2024
-- (the ledger moves it to the first).  Refusals: 55000 (quarter not
-- recording), 23505 (the member-month-item is there), 40001 (REPEATABLE
-- READ lost a race).
CREATE FUNCTION soak.score_insert(b int, r int, mo int, it int, p int) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO pointsys.score (member_id, month, item, points)
	VALUES (soak.member(b, r), make_date(2024, mo, 1 + p % 28), soak.item(it), soak.points(it, p));
	RETURN soak.note('insert', 'ok');
EXCEPTION WHEN SQLSTATE '55000' OR SQLSTATE '23505' OR SQLSTATE '40001' THEN
	RETURN soak.note('insert', SQLSTATE);
END
$$;

-- correct: new points for a score, by a recorder (kind 'correct') or the
-- bureau ('admin_correct', in any branch: it races the recorders and the
-- quarters like they do); when it moves, one time in seven a move to
-- another month (maybe of another quarter: both must be recording)
CREATE FUNCTION soak.correct(kind text, b int, r int, mo int, it int, p int, moves boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	nrows bigint;
BEGIN
	UPDATE pointsys.score
	SET points = soak.points(it, p),
		month = CASE WHEN moves AND p % 7 = 0 THEN make_date(2024, (mo + p) % 12 + 1, 1) ELSE month END
	WHERE member_id = soak.member(b, r) AND month = make_date(2024, mo, 1) AND item = soak.item(it);
	GET DIAGNOSTICS nrows = ROW_COUNT;
	RETURN soak.note(kind, soak.by_key('score key', nrows));
EXCEPTION WHEN SQLSTATE '55000' OR SQLSTATE '23505' OR SQLSTATE '40001' THEN
	RETURN soak.note(kind, SQLSTATE);
END
$$;

CREATE FUNCTION soak.score_delete(b int, r int, mo int, it int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	nrows bigint;
BEGIN
	DELETE FROM pointsys.score
	WHERE member_id = soak.member(b, r) AND month = make_date(2024, mo, 1) AND item = soak.item(it);
	GET DIAGNOSTICS nrows = ROW_COUNT;
	RETURN soak.note('delete', soak.by_key('score key', nrows));
EXCEPTION WHEN SQLSTATE '55000' OR SQLSTATE '40001' THEN
	RETURN soak.note('delete', SQLSTATE);
END
$$;

-- award: two times in three a new award, else the member-month's oldest
-- award deleted
CREATE FUNCTION soak.award(b int, r int, mo int, p int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	what text := CASE WHEN p % 3 = 0 THEN 'award_delete' ELSE 'award_insert' END;
	nrows bigint;
	m text := soak.member(b, r);
BEGIN
	IF what = 'award_insert' THEN
		INSERT INTO pointsys.award (member_id, month, kind)
		VALUES (m, make_date(2024, mo, 1), (ARRAY['county', 'above_county', 'major_contribution'])[p / 3 % 3 + 1]);
	ELSE
		DELETE FROM pointsys.award
		WHERE award_id = (SELECT min(award_id) FROM pointsys.award a
						  WHERE a.member_id = m AND a.month = make_date(2024, mo, 1));
	END IF;
	GET DIAGNOSTICS nrows = ROW_COUNT;
	RETURN soak.note(what, soak.by_key('award id', nrows));
EXCEPTION WHEN SQLSTATE '55000' OR SQLSTATE '40001' THEN
	RETURN soak.note(what, SQLSTATE);
END
$$;

-- advance: quarter q of branch b one step.  Refusals: 42501 when it is
-- filed (only the bureau verifies), 55000 when it is verified, 40001 when
-- REPEATABLE READ acted on an old status.
CREATE FUNCTION soak.advance(b int, q int) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pointsys.advance('g' || b, 2024, q);
	RETURN soak.note('advance', 'ok');
EXCEPTION
	WHEN SQLSTATE '55000' OR SQLSTATE '40001' THEN
		RETURN soak.note('advance', SQLSTATE);
	WHEN SQLSTATE '42501' THEN
		IF SQLERRM NOT LIKE 'only pointsys_admin may move quarter % to verified' THEN
			RAISE;
		END IF;
		RETURN soak.note('advance', SQLSTATE);
END
$$;

-- foreign: the caller tries a branch it does not record for.  It must not
-- see the member's scores, its UPDATE and DELETE must find nothing, its
-- INSERT and advance must be refused: 42501 (row-level security), or 55000
-- when the write rules find the quarter closed before row security runs.
CREATE FUNCTION soak.foreign_write(b int, r int, mo int, it int, p int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	m text := soak.member(b, r);
	nrows bigint;
BEGIN
	IF EXISTS (SELECT FROM pointsys.score WHERE member_id = m)
	   OR EXISTS (SELECT FROM pointsys.member WHERE member_id = m) THEN
		RAISE EXCEPTION 'soak: % sees member % of branch g%, not its branch', current_user, m, b;
	END IF;
	UPDATE pointsys.score SET points = soak.points(it, p) WHERE member_id = m;
	GET DIAGNOSTICS nrows = ROW_COUNT;
	IF nrows <> 0 THEN
		RAISE EXCEPTION 'soak: % updated % scores of member % of branch g%', current_user, nrows, m, b;
	END IF;
	DELETE FROM pointsys.award WHERE member_id = m;
	GET DIAGNOSTICS nrows = ROW_COUNT;
	IF nrows <> 0 THEN
		RAISE EXCEPTION 'soak: % deleted % awards of member % of branch g%', current_user, nrows, m, b;
	END IF;
	BEGIN
		INSERT INTO pointsys.score (member_id, month, item, points)
		VALUES (m, make_date(2024, mo, 1), soak.item(it), soak.points(it, p));
		RAISE EXCEPTION 'soak: % inserted a score of member % of branch g%', current_user, m, b;
	EXCEPTION WHEN SQLSTATE '42501' OR SQLSTATE '55000' THEN
		PERFORM soak.note('foreign_insert', SQLSTATE);
	END;
	BEGIN
		PERFORM pointsys.advance('g' || b, 2024, (mo - 1) / 3 + 1);
		RAISE EXCEPTION 'soak: % advanced a quarter of branch g%', current_user, b;
	EXCEPTION WHEN SQLSTATE '42501' THEN
		RETURN soak.note('foreign_advance', SQLSTATE);
	END;
END
$$;

-- bad: points above the item's maximum, or off its step: always refused
-- (22003, 23514; 55000 if the quarter check ever comes first)
CREATE FUNCTION soak.bad_points(b int, r int, mo int, it int, p int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	pts numeric;
BEGIN
	SELECT CASE WHEN p % 2 = 0 THEN max_points + step * (1 + p % 3) ELSE soak.points(it, p) + round(step / 2, 2) END
	INTO pts FROM soak.item_no WHERE n = it;
	BEGIN
		INSERT INTO pointsys.score (member_id, month, item, points)
		VALUES (soak.member(b, r), make_date(2024, mo, 1), soak.item(it), pts);
		RAISE EXCEPTION 'soak: % points of item % were accepted', pts, soak.item(it);
	EXCEPTION WHEN SQLSTATE '22003' OR SQLSTATE '23514' OR SQLSTATE '55000' THEN
		RETURN soak.note('bad_points', SQLSTATE);
	END;
END
$$;

-- The bureau (soak_admin).  reopen: a quarter that is not recording goes
-- back to recording, with a reason.
CREATE FUNCTION soak.reopen(b int, q int) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT FROM pointsys.period
			   WHERE branch_id = 'g' || b AND year = 2024 AND quarter = q AND status <> 'recording') THEN
		PERFORM pointsys.reopen('g' || b, 2024, q, 'soak: the bureau reopens g' || b || ' 2024-Q' || q);
		RETURN soak.note('reopen', 'ok');
	END IF;
	RETURN soak.note('reopen', 'noop');
END
$$;

-- verify: a filed quarter moves to verified (only the bureau moves it
-- from filed, so nobody races this one)
CREATE FUNCTION soak.verify(b int, q int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	status text;
BEGIN
	IF EXISTS (SELECT FROM pointsys.period p
			   WHERE branch_id = 'g' || b AND year = 2024 AND quarter = q AND p.status = 'filed') THEN
		status := pointsys.advance('g' || b, 2024, q);
		IF status <> 'verified' THEN
			RAISE EXCEPTION 'soak: verifying g% 2024-Q% gave %', b, q, status;
		END IF;
		RETURN soak.note('verify', 'ok');
	END IF;
	RETURN soak.note('verify', 'noop');
END
$$;

-- The logins
SELECT format('CREATE ROLE rec%s LOGIN; GRANT pointsys_recorder TO rec%s;', k, k)
FROM generate_series(1, :branches) k \gexec
SELECT format('ALTER ROLE rec%s SET default_transaction_isolation = %L', k, 'repeatable read')
FROM generate_series(2, :branches, 2) k \gexec
CREATE ROLE soak_admin LOGIN;
GRANT pointsys_admin TO soak_admin;

INSERT INTO pointsys.recorder (branch_id, role_name, elected_on)
SELECT 'g' || b, 'rec' || k, '2024-01-05'
FROM generate_series(1, :branches) k,
	 LATERAL (VALUES (k), (k % :branches + 1)) v(b);

GRANT USAGE ON SCHEMA soak TO pointsys_recorder, pointsys_admin;
GRANT SELECT ON soak.slot, soak.item_no TO pointsys_recorder, pointsys_admin;
GRANT SELECT, INSERT, UPDATE ON soak.tally TO pointsys_recorder, pointsys_admin;
