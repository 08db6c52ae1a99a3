-- test/fuzz/sql_fuzz.sql: the SQL-level fuzz driver of test/fuzz/sql_fuzz.sh.
--
-- Run (by sql_fuzz.sh) in a database with pointsys and the sample bureau
-- (test/data/sample_bureau.sql), as a superuser, with psql -v fuzz_dir=DIR
-- (a directory the server may write: grade_recv's binary COPY files).
--
-- Everything lives in schema "fuzz":
--   target      the targets, one per server-side C entry point or trigger
--   allowed     the SQLSTATEs each (target, stage) may raise, and why
--               (test/fuzz/sql_allowed.txt)
--   corpus      test/fuzz/sql_corpus.txt, replayed first (index 0, 1, ...)
--   gen()       input number idx of a target: its corpus line, or random
--               and mutated arguments drawn after setseed(hash(seed, target,
--               idx)), so every input is reproducible on its own
--   exec()      runs one input in its own subtransaction and returns its
--               stage ("cast": the server's own casts of the arguments;
--               "call": pointsys's code, as the superuser, or
--               "call:admin" / "call:recorder" / "call:nobody" as those
--               roles; "check": an oracle disagreed) and its SQLSTATE;
--               a successful input is rolled back too (SQLSTATE PZOK0,
--               counted as 00000), so inputs do not depend on each other
--   run()       a batch of one target, counted into counts (and failures)
--   run_all     every planned target in batches, committing each batch
--   report      target x stage x SQLSTATE x count, with the verdict
--
-- Targets: every SQL-callable C function that takes user data (grade
-- input, receive, output, comparison, hashing and send; the state types'
-- text input; the scoring functions and aggregates and their transition,
-- combine and final functions; year_figures, year_quarters, year_of,
-- quarter_start, may_record, may_record_branch) and the C triggers behind
-- INSERT/UPDATE/DELETE of score, award, evaluation, sanction, period, member
-- and the rulebook, and every trigger function attached by a superuser or
-- another role to a table of their own with random columns (see the table
-- "target"), and the paperwork of release 1.3 (publicity, annual_publicity,
-- points_needed, the HTML sheets, mentoring's rules), SQL and PL/pgSQL
-- that take user data; changes of membership of several rows and
-- statements (issue 22: INSERT, UPDATE, DELETE, upsert, MERGE, writable
-- CTEs, in random row order, against quarters in every status) and free
-- text of 0..2000 characters in every note, description, name and title
-- column, and democratic appraisal rounds (issue 26: weights, quorum,
-- paper tallies or electronic ballots, the close).  The aggregates have no
-- serialize/deserialize functions (fixed-length state types), so there is
-- no bytea state input to fuzz.
--
-- Oracles: the pure functions (grade input and receive, grade_of,
-- annual_total, annual_grade, quarter_avg, the aggregates, ledger_year with
-- year_figures, is_veto_sanction, eligibility, the quarter_state functions,
-- the grade operators, year_of, quarter_start)
-- and INSERTs into score, evaluation and sanction as the superuser are
-- checked against an independent SQL statement of README's rules: the
-- expected SQLSTATE, and the result when it succeeds.  A change of
-- membership that succeeds must leave every recorded month of the members
-- it names in its branch unless the month's quarter records in both the old
-- and the new branch, and member.branch_id the latest row's; free text is
-- accepted exactly when its length is within its column's limit (else
-- 22001); an appraisal round's every step gives the SQLSTATE the rules
-- say, a refused step leaves nothing, and a close writes each member's
-- weighted mean, computed apart (o_mean), from the tally entered or the
-- ballots accepted.  A state produced by
-- any function must read back from its text form unchanged.

SET client_min_messages = warning;
CREATE SCHEMA fuzz;
ALTER DATABASE fuzz SET search_path = fuzz, public;
SET search_path = fuzz, public;

CREATE TABLE config (fuzz_dir text NOT NULL);
INSERT INTO config VALUES (:'fuzz_dir');

-- The targets, in the order they run
CREATE TABLE target (ord int PRIMARY KEY, target text UNIQUE NOT NULL, what text NOT NULL);
INSERT INTO target VALUES
	(1, 'grade_in', 'text -> grade (grade_in)'),
	(2, 'grade_recv', 'binary COPY -> grade (grade_recv), arbitrary bytes'),
	(3, 'language', 'SET pointsys.language, then grade_out'),
	(4, 'quarter_state_in', 'text -> quarter_state, and back'),
	(5, 'year_state_in', 'text -> year_state, and back'),
	(6, 'grade_of', 'grade_of(numeric)'),
	(7, 'annual_total', 'annual_total(numeric, numeric)'),
	(8, 'annual_grade', 'annual_grade(numeric, numeric [, boolean])'),
	(9, 'annual_grade_member', 'annual_grade(member_id, year)'),
	(10, 'quarter_avg', 'quarter_avg(numeric, numeric, numeric)'),
	(11, 'quarter_avg_agg', 'aggregate quarter_avg(numeric) over 0..5 rows'),
	(12, 'annual_assessment', 'aggregate annual_assessment(date, numeric) over 0..14 rows'),
	(13, 'ledger_year', 'aggregate ledger_year(date, numeric, numeric), then year_figures and year_quarters'),
	(14, 'quarter_state_fns', 'quarter_avg transition, combine and final functions called directly'),
	(15, 'year_state_fns', 'year_state transition, combine, final, year_figures, year_quarters called directly'),
	(16, 'is_veto_sanction', 'is_veto_sanction(text)'),
	(17, 'eligibility', 'eligibility(grade)'),
	(18, 'ledger_reads', 'year_of, quarter_start, monthly_score, quarter_score, is_vetoed'),
	(19, 'score', 'INSERT/UPDATE/DELETE of pointsys.score (score_check)'),
	(20, 'award', 'INSERT/UPDATE/DELETE of pointsys.award (award_check)'),
	(21, 'evaluation', 'INSERT/UPDATE/DELETE of pointsys.evaluation (evaluation_check)'),
	(22, 'sanction', 'INSERT/UPDATE/DELETE of pointsys.sanction (sanction_check)'),
	(23, 'period', 'INSERT/UPDATE/DELETE of pointsys.period, advance(), reopen() (period_check)'),
	(24, 'member', 'UPDATE of pointsys.member (rulebook_guard)'),
	(25, 'rulebook', 'INSERT/UPDATE/DELETE of item, award_kind, category (rulebook_guard, rulebook_upsert)'),
	(26, 'grade_ops', 'grade comparison, hash and send functions, min/max(grade)'),
	(27, 'lookalike', 'a trigger function of pointsys attached to a table of the caller''s, of random columns and types, and fired'),
	(28, 'paperwork', 'publicity, annual_publicity, points_needed, record_sheet_html, publicity_html, INSERT into mentoring (period_publicity, mentoring_check)'),
	(29, 'membership', 'changes of membership of several rows and statements: INSERT, UPDATE, DELETE, upsert, MERGE, writable CTEs, member.branch_id (member_membership, membership_changed)'),
	(30, 'text_length', 'free text of 0..2000 characters of random scripts written to every note, description, name and title column'),
	(31, 'appraisal', 'a democratic appraisal round: weights, quorum, paper tallies or electronic ballots, the close (appraisal_round_check, appraisal_round_apply, appraisal_tally_check, evaluation_round_check, cast_ballot, issue_codes, count_ballots)');

------------------------------------------------------------------------
-- Allowed SQLSTATEs per (target, stage).  Anything else fails the run.
------------------------------------------------------------------------

CREATE TABLE allowed (
	target text NOT NULL REFERENCES target (target),
	stage text NOT NULL,
	sqlstate text NOT NULL,
	why text NOT NULL,
	PRIMARY KEY (target, stage, sqlstate)
);

-- success, everywhere
INSERT INTO allowed
SELECT t.target, s, '00000', 'accepted'
FROM target t, unnest('{call,call:admin,call:recorder,call:nobody}'::text[]) s;

-- the rest: test/fuzz/sql_allowed.txt, one rule per line (targets x
-- stages x SQLSTATEs, and why), loaded by sql_fuzz.sh into allowed_line
CREATE TABLE allowed_line (n bigserial, line text);

CREATE FUNCTION load_allowed() RETURNS bigint LANGUAGE sql AS $$
	INSERT INTO allowed
	SELECT t, s, st, f[4]
	FROM (SELECT string_to_array(line, chr(9)) FROM allowed_line WHERE line !~ '^\s*(#|$)') l (f),
		unnest(string_to_array(f[1], ',')) t, unnest(string_to_array(f[2], ',')) s,
		unnest(string_to_array(f[3], ',')) st
	ON CONFLICT DO NOTHING;
	SELECT count(*) FROM allowed;
$$;

------------------------------------------------------------------------
-- The corpus: test/fuzz/sql_corpus.txt, one input per line:
--     target<TAB>arg1<TAB>arg2...
-- \N is NULL; \t \n \r \\ \u3000 are a tab, newline, return, backslash,
-- ideographic space; lines
-- starting with # and blank lines are skipped.
------------------------------------------------------------------------

CREATE TABLE corpus_line (n bigserial, line text);
CREATE TABLE corpus (target text NOT NULL REFERENCES target (target), ord int NOT NULL,
					 args text[] NOT NULL, PRIMARY KEY (target, ord));

CREATE FUNCTION unescape(f text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN f = '\N' THEN NULL
		   ELSE replace(replace(replace(replace(replace(replace(f,
				'\\', chr(1)), '\t', chr(9)), '\n', chr(10)), '\r', chr(13)), '\u3000', chr(12288)), chr(1), '\') END
$$;

CREATE FUNCTION load_corpus() RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	l record;
	f text[];
	a text[];
	i int;
	bad text;
BEGIN
	DELETE FROM corpus;
	FOR l IN SELECT line FROM corpus_line
			 WHERE line !~ '^\s*(#|$)' ORDER BY n LOOP
		f := string_to_array(l.line, chr(9));
		IF NOT EXISTS (SELECT FROM target WHERE target = f[1]) THEN
			RAISE EXCEPTION 'sql_corpus.txt: unknown target in line "%"', l.line;
		END IF;
		a := '{}';
		FOR i IN 2 .. cardinality(f) LOOP
			a := a || unescape(f[i]);
		END LOOP;
		INSERT INTO corpus
		SELECT f[1], coalesce(max(ord) + 1, 0), a FROM corpus WHERE target = f[1];
	END LOOP;
	SELECT string_agg(t.target, ', ') INTO bad
	FROM target t WHERE NOT EXISTS (SELECT FROM corpus c WHERE c.target = t.target);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'sql_corpus.txt has no line for %', bad;
	END IF;
	RETURN (SELECT count(*) FROM corpus);
END $$;

------------------------------------------------------------------------
-- Fixtures beyond the sample bureau: roles, a recorder of b1, quarters in
-- every status, a rulebook item nobody scored
------------------------------------------------------------------------

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fuzz_admin') THEN
		CREATE ROLE fuzz_admin NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fuzz_recorder') THEN
		CREATE ROLE fuzz_recorder NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fuzz_nobody') THEN
		CREATE ROLE fuzz_nobody NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fuzz_voter') THEN
		CREATE ROLE fuzz_voter NOLOGIN;
	END IF;
END $$;
GRANT pointsys_admin TO fuzz_admin;
GRANT pointsys_recorder TO fuzz_recorder;
GRANT pointsys_voter TO fuzz_voter;
INSERT INTO pointsys.recorder VALUES ('b1', 'fuzz_recorder', '2024-01-02');
-- b2 2024: Q1 approved, Q2 publicized, Q3 filed, Q4 verified; b1 2025 Q4 filed;
-- b1 2024 Q1 and b3 2025 Q2 verified (no publicity period to wait for
-- before filing)
INSERT INTO pointsys.setting VALUES ('publicity_days', 0);
-- transfers, before the quarters close: m07 (b1) to b2 from 2024-07; m08
-- (b2) to b1 from 2025-03; m09 (b3) to b2 for 2024-04 .. 2024-09
INSERT INTO pointsys.membership VALUES ('m07', 'b2', '2024-07-01'), ('m08', 'b1', '2025-03-01'),
	('m09', 'b2', '2024-04-01'), ('m09', 'b3', '2024-10-01');
-- b1 2024: Q1 verified; b3 2025: Q2 verified
SELECT pointsys.advance('b1', 2024, 1) FROM generate_series(1, 4);
SELECT pointsys.advance('b3', 2025, 2) FROM generate_series(1, 4);
SELECT pointsys.advance('b2', 2024, q) FROM generate_series(1, 4) q, generate_series(1, 4) s WHERE s <= q ORDER BY q, s;
SELECT pointsys.advance('b1', 2025, 4) FROM generate_series(1, 3);
INSERT INTO pointsys.item (item, category, title, max_points, step)
VALUES ('fuzz_item', 'study', '模糊测试', 3, 0.25);

------------------------------------------------------------------------
-- Random building blocks (all drawn from random(), seeded per input)
------------------------------------------------------------------------

CREATE FUNCTION ri(lo bigint, hi bigint) RETURNS bigint LANGUAGE sql VOLATILE AS
	'SELECT lo + floor(random() * (hi - lo + 1))::bigint';
CREATE FUNCTION chance(p float8) RETURNS boolean LANGUAGE sql VOLATILE AS
	'SELECT random() < p';
CREATE FUNCTION pick(a text[]) RETURNS text LANGUAGE sql VOLATILE AS
	'SELECT a[1 + floor(random() * cardinality(a))::int]';

-- A character: ASCII, controls, Latin-1, CJK, blanks and look-alikes
-- (U+3000, NBSP, BOM, zero width, full-width digits and minus), astral
CREATE FUNCTION rand_char() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	c int;
BEGIN
	CASE ri(1, 8)
	WHEN 1, 2 THEN c := ri(32, 126);
	WHEN 3 THEN c := ri(1, 31);
	WHEN 4 THEN c := ri(127, 255);
	WHEN 5 THEN c := ri(19968, 40959);			-- CJK unified ideographs
	WHEN 6 THEN c := pick('{12288,160,65279,8203,65296,65305,65294,65293,8722,12290,8233,133}')::int;
	WHEN 7 THEN c := ri(65536, 1114111);
	ELSE c := ri(256, 65533);
	END CASE;
	IF c BETWEEN 55296 AND 57343 THEN			-- surrogates are not characters
		c := 63;
	END IF;
	RETURN chr(c);
END $$;

CREATE FUNCTION blank() RETURNS text LANGUAGE sql VOLATILE AS $$
	SELECT pick(ARRAY[' ', chr(9), chr(10), chr(11), chr(12), chr(13), chr(12288), chr(160), chr(65279), '  ',
					  chr(12288) || chr(12288)])
$$;

-- Tokens the parsers know, for insertion mutations
CREATE FUNCTION token() RETURNS text LANGUAGE sql VOLATILE AS $$
	SELECT pick('{不合格,合格,良好,优秀,unqualified,qualified,good,excellent,totals,rows,":","+"," ",".",e,E,-,
				 NaN,Infinity,inf,0,100,99.995,1e12,999999999999.999999,0.000001,0.0000001,warning,probation,
				 removal_from_post,law_violation,serious_warning,expulsion,recording,approved,publicized,filed,
				 verified,infinity,BC,AD,epoch,today,allballs,J2451545,T,Z,+08,"\\",\\x}')
$$;

-- Mutate a string 1 to 3 times: bit flips, deletion, truncation,
-- insertion of digits, signs, dots, exponents, blanks, characters, tokens,
-- case changes, special values, huge and tiny magnitudes, duplication
CREATE FUNCTION mutate(s text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	k int;
	len int;
	p int;
	c int;
	x text;
BEGIN
	s := coalesce(s, '');
	FOR k IN 1 .. ri(1, 3) LOOP
		len := length(s);
		p := ri(1, len + 1);					-- a position, or just past the end
		CASE ri(1, 17)
		WHEN 1 THEN								-- flip a bit of a character
			IF len > 0 THEN
				p := ri(1, len);
				c := ascii(substr(s, p, 1)) # (1 << ri(0, 20)::int);
				IF c = 0 OR c BETWEEN 55296 AND 57343 OR c > 1114111 THEN
					c := 63;
				END IF;
				s := overlay(s PLACING chr(c) FROM p FOR 1);
			END IF;
		WHEN 2 THEN s := overlay(s PLACING '' FROM p FOR ri(1, 3)::int);
		WHEN 3 THEN s := left(s, p - 1);
		WHEN 4 THEN s := overlay(s PLACING ri(0, 9)::text FROM p FOR 0);
		WHEN 5 THEN s := overlay(s PLACING pick('{-,+,--,+-}') FROM p FOR 0);
		WHEN 6 THEN s := overlay(s PLACING '.' FROM p FOR 0);
		WHEN 7 THEN s := s || pick('{e,E}') || pick('{"",+,-}') || ri(0, 1100)::text;
		WHEN 8 THEN s := overlay(s PLACING blank() FROM p FOR 0);
		WHEN 9 THEN s := blank() || s || blank();
		WHEN 10 THEN s := CASE ri(1, 2) WHEN 1 THEN upper(s) ELSE lower(s) END;
		WHEN 11 THEN s := overlay(s PLACING rand_char() FROM p FOR 0);
		WHEN 12 THEN s := overlay(s PLACING token() FROM p FOR 0);
		WHEN 13 THEN
			s := pick('{NaN,nan,Infinity,-Infinity,+Infinity,inf,-inf,"",-0,+0,0,00,.,-,+,e,1e,1e-,.e1,0x10,1_000,"1,5",１００,"1 0"}');
		WHEN 14 THEN s := overlay(s PLACING repeat(ri(1, 9)::text, ri(1, 1100)::int) FROM p FOR 0);
		WHEN 15 THEN s := '0.' || repeat('0', ri(5, 1100)::int) || ri(1, 9)::text;
		WHEN 16 THEN
			IF len > 0 THEN
				x := substr(s, ri(1, len)::int, ri(1, 8)::int);
				s := overlay(s PLACING x FROM p FOR 0);
			END IF;
		ELSE s := overlay(s PLACING repeat('0', ri(1, 30)::int) FROM p FOR 0);
		END CASE;
	END LOOP;
	RETURN s;
END $$;

-- s, mutated with probability p
CREATE FUNCTION maybe_mutate(s text, p float8) RETURNS text LANGUAGE sql VOLATILE AS
	'SELECT CASE WHEN chance(p) THEN mutate(s) ELSE s END';

-- Random text: short strings of random characters
CREATE FUNCTION rand_text() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	s text := '';
BEGIN
	FOR i IN 1 .. ri(0, 12) LOOP
		s := s || rand_char();
	END LOOP;
	RETURN s;
END $$;

-- A number as text: valid scores, boundaries, out of range, too precise,
-- special values; mutated 35% of the time
CREATE FUNCTION num_text(hi numeric DEFAULT 100) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	s text;
BEGIN
	CASE ri(1, 10)
	WHEN 1, 2, 3 THEN s := round((random() * hi)::numeric, ri(0, 6)::int)::text;
	WHEN 4 THEN s := (ri(0, 2 * hi::bigint) / 2.0)::text;
	WHEN 5 THEN
		s := pick('{0,100,100.000001,99.999999,-0,-0.000001,0.000001,0.0000005,99.995,89.995,89.994,79.995,59.995,
				   59.994999,90,80,60,1e2,1E+2,100.0000000,1000000000000,999999999999.999999,-999999999999.999999,
				   0.5,4,4.5,3,3.5,10,2,5,1e-6,1e-7,0.0000001,123456789012345678901234567890}');
	WHEN 6 THEN s := round((random() * 2e14 - 1e14)::numeric, ri(0, 8)::int)::text;
	WHEN 7 THEN s := round((random() * hi)::numeric, ri(7, 30)::int)::text;
	WHEN 8 THEN s := pick('{NaN,Infinity,-Infinity}');
	WHEN 9 THEN s := ri(-5, 105)::text;
	ELSE s := (random() * hi)::text;			-- a float8's digits
	END CASE;
	RETURN maybe_mutate(s, 0.35);
END $$;

-- A date as text: the sample years, around today, the whole range of
-- date (BC included), infinities, edge days; mutated 15% of the time
CREATE FUNCTION date_text() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	s text;
	m date;
BEGIN
	CASE ri(1, 11)
	WHEN 1, 2, 3 THEN s := (make_date(ri(2023, 2026)::int, ri(1, 12)::int, 1) + ri(0, 30)::int)::text;
	WHEN 4 THEN
		m := date_trunc('month', current_date)::date;
		s := ((m + make_interval(months => ri(-3, 3)::int))::date + ri(0, 30)::int)::text;
	WHEN 5 THEN s := (date '2000-01-01' + ri(-2451545, 2145031948)::int)::text;
	WHEN 6 THEN
		s := pick('{infinity,-infinity,+infinity,epoch,today,tomorrow,yesterday,"4713-11-24 BC","4713-01-01 BC",
				   "4714-11-24 BC","5874897-12-31","5874897-12-01","5874898-01-01","0001-01-01 BC","0001-12-31 BC",
				   0001-01-01,0000-01-01,1999-12-31,2000-02-29,2100-02-29,2024-02-30,2024-13-01,2024-00-10,
				   J0,J2451545,"2024-03-05 BC",20240305,2024-3-5,3/5/2024,"March 5 2024",2024-W10-2,
				   "2024-03-05 12:00:00+14",2024-03-05T25:00}');
	WHEN 7 THEN s := make_date(-ri(1, 4713)::int, ri(1, 12)::int, ri(1, 28)::int)::text;
	WHEN 8 THEN s := make_date(ri(2027, 5874896)::int, ri(1, 12)::int, 1)::text;
	WHEN 9 THEN s := make_date(ri(1, 2022)::int, ri(1, 12)::int, ri(1, 28)::int)::text;
	WHEN 10 THEN
		m := make_date(ri(2023, 2026)::int, ri(1, 12)::int, 1);
		s := ((m + interval '1 month')::date - 1)::text;
	ELSE s := (current_date + ri(-400, 400)::int)::text;
	END CASE;
	RETURN maybe_mutate(s, 0.15);
END $$;

-- A whole number as text
CREATE FUNCTION int_text(lo int, hi int) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	s text;
BEGIN
	CASE ri(1, 6)
	WHEN 1, 2, 3 THEN s := ri(lo, hi)::text;
	WHEN 4 THEN s := pick('{0,-1,1,2147483647,-2147483648,2147483648,5874897,5874898,-4713,-4714,10000,99999,1000000}');
	WHEN 5 THEN s := ri(-2147483648, 2147483647)::text;
	ELSE s := (extract(year FROM current_date)::int + ri(-2, 2))::text;
	END CASE;
	RETURN maybe_mutate(s, 0.1);
END $$;

-- Codes: a known one 80% of the time, else mutated, random or NULL
CREATE FUNCTION code(known text[], p_null float8 DEFAULT 0.03) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	IF chance(p_null) THEN
		RETURN NULL;
	ELSIF chance(0.8) THEN
		RETURN pick(known);
	ELSIF chance(0.7) THEN
		RETURN mutate(pick(known));
	END IF;
	RETURN rand_text();
END $$;

CREATE FUNCTION members() RETURNS text[] LANGUAGE sql STABLE AS
	'SELECT array_agg(member_id ORDER BY member_id) FROM pointsys.member';
CREATE FUNCTION items() RETURNS text[] LANGUAGE sql STABLE AS
	'SELECT array_agg(item ORDER BY item) FROM pointsys.item';
CREATE FUNCTION kinds() RETURNS text[] LANGUAGE sql STABLE AS
	'SELECT array_agg(kind ORDER BY kind) FROM pointsys.award_kind';
CREATE FUNCTION labels() RETURNS text[] LANGUAGE sql IMMUTABLE AS
	$$SELECT '{不合格,合格,良好,优秀,unqualified,qualified,good,excellent}'::text[]$$;
CREATE FUNCTION sanction_kinds() RETURNS text[] LANGUAGE sql IMMUTABLE AS
	$$SELECT '{warning,serious_warning,removal_from_post,probation,expulsion,law_violation}'::text[]$$;
CREATE FUNCTION statuses() RETURNS text[] LANGUAGE sql IMMUTABLE AS
	$$SELECT '{recording,approved,publicized,filed,verified}'::text[]$$;

-- A member, month, item... of the sample: keys of rows that exist
CREATE FUNCTION sample_month() RETURNS text LANGUAGE sql VOLATILE AS
	'SELECT make_date(ri(2024, 2025)::int, ri(1, 12)::int, 1)::text';

-- A quarter_state text: "<count> <sum>", valid, edge or mutated
CREATE FUNCTION qs_text() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	c int := ri(0, 3);
	s text;
BEGIN
	IF chance(0.15) THEN
		s := pick('{"0 0","3 300","3 300.000001","4 0","-1 0","3 -0.000001","1 100.000000","0 0.000000","2 1e2",
				   "1  5","1 5 ",""," 1 5","1 NaN","1 Infinity","1 0.0000001","2147483648 0","1 999999999999.999999"}');
	ELSE
		s := c::text || ' ' || round((random() * c * 100)::numeric, 6)::text;
	END IF;
	RETURN maybe_mutate(s, 0.4);
END $$;

-- A year_state text: empty, "totals <year> <m>:<total> ...",
-- "rows <year> <m>:<points>+<awards> ...", valid, edge or mutated
CREATE FUNCTION ys_text() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	rows boolean := chance(0.5);
	s text;
	m int;
BEGIN
	IF chance(0.08) THEN
		s := '';
	ELSIF chance(0.1) THEN
		s := pick('{"totals 2024","rows 2024","totals 2024 1:100 1:100","totals 2024 13:5","totals 2024 0:5",
				   "rows 2024 1:999999999999.999999+999999999999.999999","rows 2024 1:1000000000000+0",
				   "totals -2147483648 12:0","totals 2147483647 1:0","rows 2147483648 1:0+0","totals 2024 1:100.000001",
				   "totals  2024","totals 2024 ","rows 2024 1:5","totals 2024 1:5+5","TOTALS 2024","totals 2024.0 1:5",
				   "totals 2024 01:5","totals 2024 1:-0","rows 2024 12:0+0 1:0+0"}');
	ELSE
		s := CASE WHEN rows THEN 'rows ' ELSE 'totals ' END ||
			 CASE WHEN chance(0.8) THEN ri(2023, 2026) ELSE ri(-2147483648, 2147483647) END::text;
		FOR m IN 1 .. 12 LOOP
			CONTINUE WHEN chance(0.4);
			s := s || ' ' || m::text || ':' ||
				 CASE WHEN rows THEN
					  round((random() * CASE WHEN chance(0.9) THEN 100 ELSE 1e12 END)::numeric, ri(0, 6)::int)::text ||
					  '+' || round((random() * CASE WHEN chance(0.9) THEN 15 ELSE 1e12 END)::numeric, ri(0, 6)::int)::text
				 ELSE round((random() * 100)::numeric, ri(0, 6)::int)::text END;
		END LOOP;
	END IF;
	RETURN maybe_mutate(s, 0.4);
END $$;

-- Bytes as bytea text ('\x...'): mostly one byte, also none, several,
-- many; NULL sometimes
CREATE FUNCTION bytes_text() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	n int;
	s text := '\x';
BEGIN
	CASE ri(1, 22)
	WHEN 1 THEN RETURN NULL;
	WHEN 2, 3 THEN n := 0;
	WHEN 4, 5, 6, 7, 8, 9 THEN RETURN '\x0' || ri(0, 3)::text;
	-- 1.3's label form, and near misses
	WHEN 21, 22 THEN
		RETURN '\x' || encode(convert_to(pick('{优秀,良好,合格,不合格,good,EXCELLENT," qualified ",unqualified,优,goo,"良好 x"}'), 'UTF8'), 'hex');
	WHEN 10, 11, 12, 13, 14, 15 THEN n := 1;
	WHEN 16, 17, 18 THEN n := ri(2, 8);
	WHEN 19 THEN RETURN '\x0' || ri(0, 3)::text || lpad(to_hex(ri(0, 255)::int), 2, '0');
	ELSE n := ri(9, 1000);
	END CASE;
	FOR i IN 1 .. n LOOP
		s := s || lpad(to_hex(ri(0, 255)::int), 2, '0');
	END LOOP;
	RETURN s;
END $$;

-- The role an input runs as
CREATE FUNCTION rand_role() RETURNS text LANGUAGE sql VOLATILE AS
	$$SELECT pick('{super,super,super,super,super,super,admin,admin,recorder,recorder,recorder,recorder,nobody}')$$;

-- Bits of a column mask: which columns an UPDATE sets
CREATE FUNCTION mask(n int) RETURNS text LANGUAGE sql VOLATILE AS
	'SELECT ri(1, (1 << n) - 1)::text';

-- NULL with probability p, else v
CREATE FUNCTION orn(v text, p float8 DEFAULT 0.03) RETURNS text LANGUAGE sql VOLATILE AS
	'SELECT CASE WHEN random() < p THEN NULL ELSE v END';

-- membership: a member of the fixture's transfers and their neighbours
-- (an unknown one or NULL now and then)
CREATE FUNCTION ms_member() RETURNS text LANGUAGE sql VOLATILE AS
	$$SELECT code('{m01,m02,m03,m04,m05,m06,m07,m08,m09}', 0.02)$$;

-- A since: the first of a month of 2023..2026, one of the member's rows
-- (to update or delete it), one the CHECKs refuse (not the first of the
-- month, before July 1921), or NULL
CREATE FUNCTION ms_since(m text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	CASE ri(1, 20)
	WHEN 1 THEN RETURN NULL;
	WHEN 2 THEN RETURN make_date(ri(2023, 2026)::int, ri(1, 12)::int, ri(2, 28)::int)::text;
	WHEN 3 THEN RETURN pick('{1921-06-01,1921-07-01,1900-01-01}');
	WHEN 4, 5, 6, 7, 8, 9 THEN
		RETURN coalesce((SELECT s.since::text FROM pointsys.membership s WHERE s.member_id = m
						 ORDER BY s.since OFFSET ri(0, 2) LIMIT 1), '2024-01-01');
	ELSE RETURN make_date(ri(2023, 2026)::int, ri(1, 12)::int, 1)::text;
	END CASE;
END $$;

-- One statement changing membership: op ins (a multi-row INSERT), upd
-- (UPDATE ... FROM VALUES of several rows), shift (UPDATE moving a
-- member's later rows by some months), del (DELETE of several rows, or of a
-- member's later rows), upsert (ON CONFLICT DO UPDATE / NOTHING), merge
-- (MERGE inserting, updating and deleting), cte (a DELETE or UPDATE in a
-- WITH, then an INSERT), member (UPDATE member.branch_id).  The rows name
-- m1 mostly and m2 sometimes; their order is random.
CREATE FUNCTION ms_stmt(op text, m1 text, m2 text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	rows3 text[] := '{}';			-- (member, branch, since)
	rows4 text[] := '{}';			-- (member, branch, since, old since)
	m text;
	b text;
	b0 text := CASE WHEN chance(0.6) THEN code('{b1,b2,b3}') END;	-- one branch for every row
	sn text;
BEGIN
	FOR i IN 1 .. ri(1, 4) LOOP
		m := CASE WHEN chance(0.8) THEN m1 ELSE m2 END;
		b := coalesce(b0, code('{b1,b2,b3}'));
		sn := ms_since(m);
		rows3 := rows3 || format('(%L, %L, %L::date)', m, b, sn);
		rows4 := rows4 || format('(%L, %L, %L::date, %L::date)', m, b, sn, ms_since(m));
	END LOOP;
	RETURN CASE op
	WHEN 'ins' THEN
		format('INSERT INTO pointsys.membership VALUES %s', array_to_string(rows3, ', '))
	WHEN 'upd' THEN
		format('UPDATE pointsys.membership m SET branch_id = coalesce(v.branch_id, m.branch_id), since = coalesce(v.since, m.since)
				FROM (VALUES %s) v(member_id, branch_id, since, old) WHERE m.member_id = v.member_id AND m.since = v.old',
			   array_to_string(rows4, ', '))
	WHEN 'shift' THEN
		format('UPDATE pointsys.membership SET since = (since + make_interval(months => %s))::date WHERE member_id = %L AND since >= %L::date',
			   ri(-8, 8), m1, ms_since(m1))
	WHEN 'del' THEN
		CASE WHEN chance(0.6) THEN
			format('DELETE FROM pointsys.membership m USING (VALUES %s) v(member_id, branch_id, since, old)
					WHERE m.member_id = v.member_id AND m.since = v.old', array_to_string(rows4, ', '))
		ELSE format('DELETE FROM pointsys.membership WHERE member_id = %L AND since >= %L::date', m1, ms_since(m1)) END
	WHEN 'upsert' THEN
		format('INSERT INTO pointsys.membership VALUES %s ON CONFLICT ON CONSTRAINT membership_pkey %s',
			   array_to_string(rows3, ', '),
			   CASE WHEN chance(0.8) THEN 'DO UPDATE SET branch_id = EXCLUDED.branch_id' ELSE 'DO NOTHING' END)
	WHEN 'merge' THEN
		format('MERGE INTO pointsys.membership t USING (VALUES %s) v(member_id, branch_id, since, old)
				ON t.member_id = v.member_id AND t.since = v.old
				WHEN MATCHED AND v.since IS NULL THEN DELETE
				WHEN MATCHED THEN UPDATE SET branch_id = coalesce(v.branch_id, t.branch_id), since = v.since
				WHEN NOT MATCHED THEN INSERT VALUES (v.member_id, v.branch_id, coalesce(v.since, v.old))',
			   array_to_string(rows4, ', '))
	WHEN 'cte' THEN
		format('WITH w AS (%s RETURNING 1) %s', ms_stmt(pick('{upd,shift,del}'), m1, m2), ms_stmt(pick('{ins,upsert}'), m1, m2))
	ELSE
		format('UPDATE pointsys.member SET branch_id = %L WHERE member_id = %L', code('{b1,b2,b3}'), m1)
	END;
END $$;

-- free text: characters to repeat to a length, of one script or mixed
CREATE FUNCTION text_pattern() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	s text := '';
BEGIN
	CASE ri(1, 7)
	WHEN 1 THEN RETURN 'x';
	WHEN 2 THEN RETURN '党';
	WHEN 3 THEN RETURN chr(128512);				-- astral (4 bytes in UTF-8)
	WHEN 4 THEN RETURN 'e' || chr(769);			-- a combining accent: 2 characters
	WHEN 5 THEN RETURN blank();
	ELSE
		FOR i IN 1 .. ri(1, 5) LOOP
			s := s || rand_char();
		END LOOP;
		RETURN s;
	END CASE;
END $$;

------------------------------------------------------------------------
-- gen(target, seed, idx): the arguments of input idx, as text
------------------------------------------------------------------------

CREATE FUNCTION gen(p_target text, p_seed bigint, p_idx bigint) RETURNS text[]
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	a text[];
	n int;
	y int;
	op text;
	mems text[];
	x jsonb;
	mk jsonb;
	c1 int;
	c2 int;
	cs int[];
	t1 text;
	clean boolean;
BEGIN
	SELECT c.args INTO a FROM corpus c WHERE c.target = p_target AND c.ord = p_idx;
	IF FOUND THEN
		RETURN a;
	END IF;
	PERFORM setseed(hashtextextended(p_target || '/' || p_idx, p_seed) / 9223372036854775807.0);
	CASE p_target
	WHEN 'grade_in', 'eligibility' THEN
		CASE ri(1, 10)
		WHEN 1, 2, 3 THEN a := ARRAY[pick(labels())];
		WHEN 4, 5 THEN a := ARRAY[blank() || pick(labels()) || blank()];
		WHEN 6, 7, 8 THEN a := ARRAY[mutate(pick(labels()))];
		WHEN 9 THEN a := ARRAY[rand_text()];
		ELSE a := ARRAY[orn(token(), 0.2)];
		END CASE;
	WHEN 'grade_recv' THEN
		a := ARRAY[bytes_text()];
	WHEN 'language' THEN
		a := ARRAY[CASE ri(1, 4) WHEN 1 THEN pick('{zh,en,ZH,En,eN}') WHEN 2 THEN mutate(pick('{zh,en}'))
				   WHEN 3 THEN orn(rand_text(), 0.1) ELSE pick('{zh,en}') END,
				   pick(labels())];
	WHEN 'quarter_state_in' THEN
		a := ARRAY[orn(qs_text(), 0.01)];
	WHEN 'year_state_in' THEN
		a := ARRAY[orn(ys_text(), 0.01)];
	WHEN 'grade_of' THEN
		a := ARRAY[orn(num_text(), 0.01)];
	WHEN 'annual_total' THEN
		a := ARRAY[orn(num_text(), 0.02), orn(num_text(), 0.02)];
	WHEN 'annual_grade' THEN
		a := ARRAY[orn(num_text(), 0.1), orn(num_text(), 0.1),
				   CASE ri(1, 10) WHEN 1 THEN NULL WHEN 2 THEN mutate(pick('{t,f}'))
				   ELSE pick('{t,f,f,f,false,true,yes,no,on,off,1,0}') END,
				   pick('{2,3,3}')];
	WHEN 'annual_grade_member' THEN
		a := ARRAY[code(members()), orn(int_text(2022, 2027))];
	WHEN 'quarter_avg' THEN
		a := ARRAY[orn(num_text(), 0.2), orn(num_text(), 0.2), orn(num_text(), 0.2)];
	WHEN 'quarter_avg_agg' THEN
		a := '{}';
		FOR i IN 1 .. ri(0, 5) LOOP
			a := a || orn(num_text(), 0.15);
		END LOOP;
	WHEN 'annual_assessment' THEN
		-- pairs (month, total); mostly one year, months repeat sometimes
		a := '{}';
		y := CASE WHEN chance(0.9) THEN ri(2023, 2026) ELSE ri(-4000, 9999) END;
		FOR i IN 1 .. ri(0, 14) LOOP
			a := a || orn(CASE WHEN chance(0.8) AND y BETWEEN 1 AND 9999 THEN make_date(y, ri(1, 12)::int, ri(1, 28)::int)::text
							   ELSE date_text() END)
				   || orn(num_text(), 0.05);
		END LOOP;
	WHEN 'ledger_year' THEN
		-- cap, then triples (month, points, award points)
		a := ARRAY[orn(CASE WHEN chance(0.7) THEN '10' ELSE num_text(20) END, 0.02)];
		y := ri(2023, 2026);
		FOR i IN 1 .. ri(0, 10) LOOP
			a := a || orn(CASE WHEN chance(0.85) THEN make_date(y, ri(1, 12)::int, ri(1, 28)::int)::text
							   ELSE date_text() END)
				   || orn(num_text(CASE WHEN chance(0.9) THEN 100 ELSE 1e12 END), 0.3)
				   || orn(num_text(CASE WHEN chance(0.9) THEN 15 ELSE 1e12 END), 0.5);
		END LOOP;
	WHEN 'quarter_state_fns' THEN
		op := pick('{trans,combine,final}');
		a := ARRAY[op, orn(qs_text(), 0.1),
				   CASE op WHEN 'trans' THEN orn(num_text(), 0.1) WHEN 'combine' THEN orn(qs_text(), 0.1) END];
	WHEN 'year_state_fns' THEN
		op := pick('{trans,ledger,combine,final,figures,quarters}');
		a := ARRAY[op, orn(ys_text(), 0.1)];
		CASE op
		WHEN 'trans' THEN a := a || orn(CASE WHEN chance(0.7) THEN make_date(ri(2023, 2026)::int, ri(1, 12)::int, 1)::text
											 ELSE date_text() END) || orn(num_text(), 0.05);
		WHEN 'ledger' THEN a := a || orn(CASE WHEN chance(0.7) THEN make_date(ri(2023, 2026)::int, ri(1, 12)::int, 1)::text
											  ELSE date_text() END)
							   || orn(num_text(CASE WHEN chance(0.9) THEN 100 ELSE 1e12 END), 0.3)
							   || orn(num_text(CASE WHEN chance(0.9) THEN 15 ELSE 1e12 END), 0.3);
		WHEN 'combine' THEN a := a || orn(ys_text(), 0.1);
		WHEN 'figures', 'quarters' THEN a := a || orn(CASE WHEN chance(0.6) THEN '10' ELSE num_text(1e12) END, 0.05);
		ELSE NULL;
		END CASE;
	WHEN 'is_veto_sanction' THEN
		a := ARRAY[CASE ri(1, 6) WHEN 1 THEN upper(pick(sanction_kinds())) WHEN 2 THEN blank() || pick(sanction_kinds())
				   WHEN 3 THEN mutate(pick(sanction_kinds())) WHEN 4 THEN mutate(pick(sanction_kinds())) ELSE code(sanction_kinds(), 0.02) END];
	WHEN 'grade_ops' THEN
		-- two grades, then 0..6 for min/max (NULLs among them), and a hash seed
		a := ARRAY[CASE WHEN chance(0.9) THEN pick(labels()) ELSE mutate(pick(labels())) END,
				   CASE WHEN chance(0.9) THEN pick(labels()) ELSE mutate(pick(labels())) END,
				   CASE ri(1, 3) WHEN 1 THEN '0' WHEN 2 THEN ((random() - 0.5) * 1.8e19)::bigint::text
				   ELSE ri(-5, 5)::text END];
		FOR i IN 1 .. ri(0, 6) LOOP
			a := a || orn(pick(labels()), 0.2);
		END LOOP;
	WHEN 'ledger_reads' THEN
		a := ARRAY[pick('{year_of,quarter_start,monthly_score,quarter_score,is_vetoed,may_record,may_record_branch}'),
				   code(members()), orn(date_text()), orn(int_text(2022, 2027)), orn(int_text(-1, 6))];
	WHEN 'score' THEN
		-- op, role, member, month, item, points, key member, key month, key item, update mask
		a := ARRAY[pick('{ins,ins,ins,upd,upd,del}'), rand_role(), code(members()), orn(date_text()),
				   code(items()), orn(CASE WHEN chance(0.6) THEN (ri(0, 10) / 2.0)::text ELSE num_text(10) END),
				   pick(members()), sample_month(), pick(items()), mask(4)];
	WHEN 'award' THEN
		-- op, role, member, month, kind, key award_id, update mask
		a := ARRAY[pick('{ins,ins,ins,upd,upd,del}'), rand_role(), code(members()), orn(date_text()),
				   code(kinds()), ri(1, 12)::text, mask(3)];
	WHEN 'evaluation' THEN
		-- op, role, member, year, democratic, key member, key year, update mask
		a := ARRAY[pick('{ins,ins,ins,upd,upd,del}'), rand_role(), code(members()), orn(int_text(2020, 2027)),
				   orn(num_text()), pick(members()), ri(2024, 2025)::text, mask(3)];
	WHEN 'sanction' THEN
		-- op, role, member, kind, effective_on, lifted_on, key sanction_id, update mask
		a := ARRAY[pick('{ins,ins,ins,upd,upd,del}'), rand_role(), code(members()), code(sanction_kinds()),
				   orn(date_text()), orn(date_text(), 0.4), ri(1, 5)::text, mask(4)];
	WHEN 'paperwork' THEN
		-- op, role, branch, year, quarter, member, democratic, mentor
		a := ARRAY[pick('{publicity,publicity,annual_publicity,points_needed,points_needed,record_sheet_html,publicity_html,mentoring}'),
				   rand_role(), code('{b1,b2,b3}'), orn(int_text(2023, 2026)), orn(int_text(0, 5)),
				   code(members()), orn(num_text(), 0.3), code(members())];
	WHEN 'period' THEN
		-- op, role, branch, year, quarter, status, reason, key branch, key year, key quarter, update mask
		a := ARRAY[pick('{ins,ins,upd,upd,del,advance,reopen}'), rand_role(), code('{b1,b2,b3}'),
				   orn(int_text(2023, 2026)), orn(int_text(0, 5)), code(statuses()),
				   CASE ri(1, 4) WHEN 1 THEN NULL WHEN 2 THEN blank() ELSE rand_text() END,
				   pick('{b1,b2,b3}'), ri(2024, 2025)::text, ri(1, 4)::text, mask(4)];
	WHEN 'membership' THEN
		-- op, role, the members the statements name (comma-separated, for the
		-- oracle), then the statements: one, or two or three for op multi
		op := pick('{ins,ins,upd,upd,shift,del,upsert,merge,merge,cte,member,multi,multi}');
		a := ARRAY[op, pick('{super,admin,admin,admin,admin,admin,recorder,nobody}'), ms_member(), ms_member()];
		FOR i IN 1 .. CASE WHEN op = 'multi' THEN ri(2, 3) ELSE 1 END LOOP
			a := a || ms_stmt(CASE WHEN op = 'multi' THEN pick('{ins,upd,shift,del,upsert,merge,cte,member}') ELSE op END,
							  a[3], a[4]);
		END LOOP;
		a[3] := concat_ws(',', a[3], a[4]);
		a := a[1:3] || a[5:];
	WHEN 'text_length' THEN
		-- column, role, op (ins: a new row; upd: an existing row), length,
		-- the characters repeated to that length
		a := ARRAY[pick('{score.note,award.description,mentoring.note,sanction.note,branch.name,member.name,category.title,item.title,award_kind.title}'),
				   pick('{super,admin,admin,recorder,recorder,nobody}'), pick('{ins,upd}'),
				   CASE ri(1, 4) WHEN 1 THEN ri(0, 2000)::text WHEN 2 THEN pick('{0,1,99,100,101,499,500,501,1000,2000}')
								 WHEN 3 THEN ri(95, 105)::text ELSE ri(495, 505)::text END,
				   text_pattern()];
	WHEN 'appraisal' THEN
		-- mode (paper, electronic), role, branch, year, ballots issued,
		-- ballots returned (paper), the four weights, the quorum (NULL: no
		-- setting); then for paper the tallies [[member, excellent, qualified,
		-- basically_qualified, unqualified, spoilt], ...], the ballots returned
		-- corrected before the close (NULL: not) and each|all (a statement
		-- per tally or one for all); for electronic the ballots [{"m": marks,
		-- "c": fresh|reuse|bogus|voter|nomarks}, ...] (a code of their own, the
		-- last code again, an unknown one, the login fuzz_voter, NULL marks),
		-- the codes printed beyond them and yes|no (fuzz_voter registered).
		-- Half the rounds are clean (every member tallied, counts within the
		-- ballots returned and near them, ballots with labels): they close
		-- unless the quorum or a rare mistake stops them
		op := pick('{paper,paper,electronic}');
		clean := chance(0.5);
		y := CASE WHEN chance(0.9) THEN ri(2024, 2026) ELSE pick('{1920,1921,2023,2027,9999}')::int END;
		n := CASE WHEN chance(0.93) THEN ri(1, 9) ELSE pick('{0,-1,10000,10001}')::int END;
		a := ARRAY[op, pick('{super,super,admin,admin,recorder,recorder,recorder,nobody}'),
				   CASE WHEN chance(0.85) THEN pick('{b1,b1,b2,b3}') ELSE code('{b1,b2,b3}', 0) END, y::text, n::text,
				   CASE WHEN clean AND chance(0.8) THEN n::text
						ELSE CASE ri(1, 12) WHEN 1 THEN NULL WHEN 2 THEN (n + ri(1, 2))::text WHEN 3 THEN '-1'
							 ELSE ri(greatest(n - 2, 0), greatest(n, 0))::text END END,
				   CASE WHEN chance(0.2) THEN '{100,80,60,0}'
						ELSE (SELECT array_agg(CASE WHEN chance(0.03) THEN pick('{100.01,-0.01,101,80.100,12.345,1e2,0.005}')
													ELSE round(ri(0, 10000) / 100.0, ri(0, 2)::int)::text END)
							  FROM generate_series(1, 4))::text END,
				   CASE WHEN chance(0.3) THEN NULL WHEN chance(0.15) THEN pick('{-1,100,0,99}') ELSE ri(10, 80)::text END];
		mems := CASE WHEN y BETWEEN 1921 AND 9999 THEN o_appraised(a[3], y) ELSE '{}' END;
		IF op = 'paper' THEN
			-- counts near the ballots returned (issued while none are),
			-- sometimes beyond them or below 0; a member left out or one
			-- the branch does not appraise, now and then
			c1 := greatest(coalesce(a[6]::int, n), 0);
			x := '[]';
			FOR i IN 1 .. cardinality(mems) + CASE WHEN NOT clean AND chance(0.1) THEN 1 ELSE 0 END LOOP
				CONTINUE WHEN NOT clean AND chance(0.05);
				c2 := CASE WHEN clean THEN ri(greatest(c1 - 1, 0), c1)
						   ELSE CASE ri(1, 12) WHEN 1 THEN c1 + ri(1, 3) WHEN 2 THEN ri(0, c1) ELSE ri(greatest(c1 - 2, 0), c1) END END;
				cs := ARRAY[CASE WHEN chance(0.8) THEN 0 ELSE ri(0, least(c2, 2)) END];
				c2 := c2 - cs[1];
				FOR j IN 1 .. 3 LOOP
					cs := cs || ri(0, c2)::int;
					c2 := c2 - cs[j + 1];
				END LOOP;
				cs := cs || c2;
				IF NOT clean AND chance(0.03) THEN
					cs[ri(1, 5)] := -1;
				END IF;
				x := x || jsonb_build_array(jsonb_build_array(
					CASE WHEN i <= cardinality(mems) THEN mems[i] ELSE pick(members() || 'zz'::text) END,
					cs[2], cs[3], cs[4], cs[5], cs[1]));
			END LOOP;
			a := a || x::text || CASE WHEN chance(0.15) THEN ri(-1, n + 1)::text END || pick('{each,each,all}');
		ELSE
			-- each member a label mostly, left out or null now and then; in
			-- one ballot of ten a mark that is not a label, a member not on
			-- the ballot, or no object at all
			x := '[]';
			FOR i IN 1 .. CASE WHEN clean THEN least(greatest(n, 0), 10) ELSE ri(0, least(greatest(n, 0), 10)) END LOOP
				mk := '{}';
				FOREACH t1 IN ARRAY mems LOOP
					CASE WHEN chance(0.92) THEN
						mk := mk || jsonb_build_object(t1, pick('{excellent,qualified,basically_qualified,unqualified}'));
					WHEN chance(0.5) THEN
						mk := mk || jsonb_build_object(t1, NULL);
					ELSE NULL;
					END CASE;
				END LOOP;
				CASE ri(1, 30)
				WHEN 1 THEN mk := mk || jsonb_build_object(coalesce(pick(mems), 'm01'), pick('{good,Excellent,"",优秀," qualified"}'));
				WHEN 2 THEN mk := mk || jsonb_build_object(coalesce(pick(mems), 'm01'), pick('{1,true,"[\"excellent\"]","{\"a\": 1}"}')::jsonb);
				WHEN 3 THEN mk := mk || jsonb_build_object(code(members(), 0), 'excellent');
				WHEN 4 THEN mk := pick('{"[]","\"excellent\"","null","1"}')::jsonb;
				ELSE NULL;
				END CASE;
				x := x || jsonb_build_array(jsonb_build_object(
					'm', mk, 'c', CASE WHEN chance(0.85) THEN 'fresh' ELSE pick('{reuse,bogus,voter,voter,voter,nomarks}') END));
			END LOOP;
			a := a || x::text || CASE WHEN chance(0.05) THEN (n + 1)::text ELSE ri(0, 1)::text END
				   || CASE WHEN chance(0.3) THEN 'yes' ELSE 'no' END;
		END IF;
	WHEN 'member' THEN
		-- op, role, key member, joined_on, left_on, member_id, branch_id, update mask
		a := ARRAY[pick('{upd,upd,upd,upd,del}'), rand_role(), pick(members()),
				   orn(date_text(), 0.3), orn(date_text(), 0.3), code(members()), code('{b1,b2,b3}'), mask(4)];
	WHEN 'rulebook' THEN
		-- op, role, key, title, number 1, number 2, category, update mask
		op := pick('{item_upd,item_upd,item_ins,item_del,kind_upd,kind_ins,kind_del,cat_upd,cat_ins,cat_del}');
		a := ARRAY[op, pick('{super,super,admin,recorder,nobody}'),
				   CASE WHEN op LIKE 'item%' THEN code(items())
						WHEN op LIKE 'kind%' THEN code(kinds())
						ELSE code('{study,service,innovation,worklist,role,reward}') END,
				   orn(CASE WHEN chance(0.8) THEN '规则' ELSE rand_text() END),
				   orn(num_text(CASE WHEN chance(0.5) THEN 10 ELSE 100 END)), orn(num_text(5)),
				   code('{study,service,innovation,worklist,role,reward}'), mask(3)];
	WHEN 'lookalike' THEN
		-- function, role, table name, timing, level, event, then 1..8
		-- (column, type, value): the columns the functions read, and others,
		-- of random types
		a := ARRAY[pick('{score_check,award_check,evaluation_check,sanction_check,period_check,rulebook_guard,
						  rulebook_changed,rulebook_upsert,member_month_changed,member_month_replicated,audit_changes,
						  audit_immutable,drop_guard,membership_changed,text_limits,member_membership,filing_record,
						  period_publicity,mentoring_access,mentoring_check,appraisal_round_check,appraisal_round_apply,
						  appraisal_tally_check,evaluation_round_check,appraisal_voter_check}'),
				   pick('{super,super,super,admin,recorder,nobody}'),
				   CASE WHEN chance(0.8) THEN pick('{score,award,evaluation,sanction,period,member,item,award_kind,category,
													 recorder,branch,audit,member_month,membership,mentoring,filing,
													 appraisal_round,appraisal_tally,appraisal_voter}')
						ELSE 'lk_' || ri(1, 99) END,
				   pick('{BEFORE,BEFORE,AFTER}'), pick('{ROW,ROW,STATEMENT}'), pick('{INSERT,UPDATE,DELETE,TRUNCATE}')];
		FOR i IN 1 .. ri(1, 8) LOOP
			a := a || pick('{member_id,month,item,points,kind,year,democratic,branch_id,quarter,status,changed_by,changed_at,
							 recorded_by,recorded_at,max_points,step,category,cap,joined_on,left_on,name,title,note,x}')
				   || pick('{text,int4,int8,int2,date,numeric,name,timestamptz,bool,bytea,float8,jsonb,"\"char\"",text[],
							 pointsys.grade,uuid,interval,point,varchar,oid,timestamp}')
				   || orn(CASE ri(1, 4) WHEN 1 THEN num_text() WHEN 2 THEN date_text() WHEN 3 THEN rand_text()
						  ELSE code(members()) END, 0.2);
		END LOOP;
	END CASE;
	RETURN a;
END $$;

------------------------------------------------------------------------
-- Oracles: README's rules restated in plain SQL.  They never raise.
------------------------------------------------------------------------

CREATE FUNCTION finite(x numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS
	$$SELECT x NOT IN ('NaN', 'Infinity', '-Infinity')$$;
-- held exactly: finite, below 10^12, at most 6 decimals
CREATE FUNCTION exact(x numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS
	$$SELECT CASE WHEN finite(x) THEN abs(x) < 1e12 AND x = trunc(x, 6) ELSE false END$$;
-- a score: exact and 0..100
CREATE FUNCTION score_ok(x numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS
	$$SELECT CASE WHEN exact(x) THEN x BETWEEN 0 AND 100 ELSE false END$$;
CREATE FUNCTION grade_label(total numeric) RETURNS text LANGUAGE sql IMMUTABLE AS
	$$SELECT CASE WHEN total >= 90 THEN '优秀' WHEN total >= 80 THEN '良好'
				  WHEN total >= 60 THEN '合格' ELSE '不合格' END$$;

-- rank of a grade (0 不合格 .. 3 优秀) by its label, and back
CREATE FUNCTION rank(g pointsys.grade) RETURNS int LANGUAGE sql IMMUTABLE AS
	$$SELECT array_position('{不合格,合格,良好,优秀}'::text[], g::text) - 1$$;
CREATE FUNCTION label(r int) RETURNS text LANGUAGE sql IMMUTABLE AS
	$$SELECT ('{不合格,合格,良好,优秀}'::text[])[r + 1]$$;

-- grade input: ASCII blanks and U+3000 trimmed, then a Chinese label or an
-- English word in any ASCII case
CREATE FUNCTION o_grade(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE lower(btrim(s, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(12288)) COLLATE "C")
		   WHEN '不合格' THEN '不合格' WHEN 'unqualified' THEN '不合格'
		   WHEN '合格' THEN '合格' WHEN 'qualified' THEN '合格'
		   WHEN '良好' THEN '良好' WHEN 'good' THEN '良好'
		   WHEN '优秀' THEN '优秀' WHEN 'excellent' THEN '优秀' END
$$;

-- quarter_state text "<count> <sum>" as (count, sum)
CREATE FUNCTION qs_parts(q pointsys.quarter_state, OUT c int, OUT s numeric) LANGUAGE sql IMMUTABLE AS
	$$SELECT split_part(q::text, ' ', 1)::int, split_part(q::text, ' ', 2)::numeric$$;
CREATE FUNCTION qs_norm(q pointsys.quarter_state) RETURNS text LANGUAGE sql IMMUTABLE AS
	$$SELECT (SELECT c || ' ' || trim_scale(s) FROM qs_parts(q))$$;

-- The mean of values, rounded half up to 0.01 (values are ≥ 0)
CREATE FUNCTION mean2(vals numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE AS
	'SELECT round(avg(v), 2) FROM unnest(vals) v';

-- annual_assessment over (month, total) rows, in order: expected SQLSTATE
-- and result
CREATE FUNCTION o_assessment(ds date[], ns numeric[], OUT state text, OUT result text)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	y int;
	seen int[] := '{}';
	totals numeric[] := array_fill(NULL::numeric, ARRAY[12]);
	m int;
	qs numeric[] := '{}';
BEGIN
	state := '00000';
	FOR i IN 1 .. coalesce(cardinality(ds), 0) LOOP
		CONTINUE WHEN ds[i] IS NULL OR ns[i] IS NULL;
		IF NOT isfinite(ds[i]) THEN state := '22008'; RETURN; END IF;
		IF NOT score_ok(ns[i]) THEN state := '22003'; RETURN; END IF;
		IF y IS NOT NULL AND extract(year FROM ds[i]) <> y THEN state := '22023'; RETURN; END IF;
		y := extract(year FROM ds[i]);
		m := extract(month FROM ds[i]);
		IF m = ANY (seen) THEN state := '21000'; RETURN; END IF;
		seen := seen || m;
		totals[m] := ns[i];
	END LOOP;
	FOR q IN 0 .. 3 LOOP
		IF totals[3 * q + 1] IS NOT NULL OR totals[3 * q + 2] IS NOT NULL OR totals[3 * q + 3] IS NOT NULL THEN
			qs := qs || mean2(totals[3 * q + 1 : 3 * q + 3]);
		END IF;
	END LOOP;
	result := mean2(qs)::text;
END $$;

-- ledger_year over (month, points, award points) rows, then year_figures
-- with the reward cap: expected SQLSTATE and result (q1..q4, months,
-- assessment)
CREATE FUNCTION o_ledger_year(cap numeric, ds date[], ps numeric[], aws numeric[], OUT state text, OUT result text)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	y int;
	m int;
	pts numeric[] := array_fill(0::numeric, ARRAY[12]);
	awd numeric[] := array_fill(0::numeric, ARRAY[12]);
	seen boolean[] := array_fill(false, ARRAY[12]);
	q numeric[] := array_fill(NULL::numeric, ARRAY[4]);
	totals numeric[];
	months int := 0;
	any_row boolean := false;
BEGIN
	state := '00000';
	FOR i IN 1 .. coalesce(cardinality(ds), 0) LOOP
		CONTINUE WHEN ds[i] IS NULL OR (ps[i] IS NULL AND aws[i] IS NULL);
		IF NOT isfinite(ds[i]) THEN state := '22008'; RETURN; END IF;
		IF ps[i] IS NOT NULL AND NOT (exact(ps[i]) AND ps[i] >= 0) THEN state := '22003'; RETURN; END IF;
		IF aws[i] IS NOT NULL AND NOT (exact(aws[i]) AND aws[i] >= 0) THEN state := '22003'; RETURN; END IF;
		IF y IS NOT NULL AND extract(year FROM ds[i]) <> y THEN state := '22023'; RETURN; END IF;
		y := extract(year FROM ds[i]);
		m := extract(month FROM ds[i]);
		pts[m] := pts[m] + coalesce(ps[i], 0);
		IF pts[m] >= 1e12 THEN state := '22003'; RETURN; END IF;
		awd[m] := awd[m] + coalesce(aws[i], 0);
		IF awd[m] >= 1e12 THEN state := '22003'; RETURN; END IF;
		seen[m] := true;
		any_row := true;
	END LOOP;
	IF NOT any_row OR cap IS NULL THEN
		result := NULL;					-- no state, or a NULL cap: year_figures is strict
		RETURN;
	END IF;
	IF NOT exact(cap) OR cap < 0 THEN state := '22003'; RETURN; END IF;
	FOR qn IN 0 .. 3 LOOP
		totals := '{}';
		FOR m IN 3 * qn + 1 .. 3 * qn + 3 LOOP
			IF seen[m] THEN
				totals := totals || (pts[m] + least(awd[m], cap));
				months := months + 1;
			END IF;
		END LOOP;
		IF cardinality(totals) > 0 THEN
			q[qn + 1] := mean2(totals);
		END IF;
	END LOOP;
	result := ROW(q[1], q[2], q[3], q[4], months, mean2(q))::text;
END $$;

-- INSERT INTO score as the superuser (write_rules.c's order of checks).
-- A month in November 4714 BC cannot be stored as its first day, which is
-- before the first date PostgreSQL has (4714-11-24 BC): refused with 22008
-- (where the other checks would accept the row, 22008 only).
CREATE FUNCTION o_score_ins(p_member text, p_month date, p_item text, p_points numeric) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	r text := o_score_ins_rules(p_member, p_month, p_item, p_points);
BEGIN
	IF isfinite(p_month) AND p_month < date '4714-12-01 BC' THEN
		RETURN CASE WHEN r = '00000' THEN '22008' ELSE '22008|' || r END;
	END IF;
	RETURN r;
END $$;

CREATE FUNCTION o_score_ins_rules(p_member text, p_month date, p_item text, p_points numeric) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	it pointsys.item;
	mb pointsys.member;
	m0 date;
	st text;
BEGIN
	IF p_member IS NULL OR p_month IS NULL OR p_item IS NULL OR p_points IS NULL THEN RETURN '23502'; END IF;
	IF NOT isfinite(p_month) THEN RETURN '22008'; END IF;
	SELECT * INTO it FROM pointsys.item WHERE item = p_item;
	IF NOT FOUND THEN RETURN '23503'; END IF;
	IF NOT finite(p_points) THEN RETURN '22003'; END IF;
	IF abs(p_points) >= 1e12 THEN
		RETURN CASE WHEN p_points = trunc(p_points, 6) THEN '22003' ELSE '22003|23514' END;
	END IF;
	IF p_points <> trunc(p_points, 6) THEN RETURN '23514'; END IF;
	IF p_points > it.max_points OR p_points < 0 THEN RETURN '22003'; END IF;
	IF p_points % it.step <> 0 THEN RETURN '23514'; END IF;
	-- (date_trunc stops at timestamp's range; November 4714 BC has no first day)
	m0 := CASE WHEN p_month < date '4714-12-01 BC' THEN p_month ELSE p_month - (extract(day FROM p_month)::int - 1) END;
	IF m0 > date_trunc('month', current_date) OR m0 < date '1921-07-01' THEN RETURN '22008'; END IF;
	SELECT * INTO mb FROM pointsys.member WHERE member_id = p_member;
	IF NOT FOUND THEN RETURN '23503'; END IF;
	IF mb.joined_on > (m0 + interval '1 month - 1 day')::date OR mb.left_on < m0 THEN RETURN '23503'; END IF;
	SELECT status INTO st FROM pointsys.period
	WHERE branch_id = pointsys.branch_of(p_member, m0) AND year = extract(year FROM m0) AND quarter = (extract(month FROM m0)::int - 1) / 3 + 1;
	IF st <> 'recording' THEN RETURN '55000'; END IF;
	IF EXISTS (SELECT FROM pointsys.score WHERE member_id = p_member AND month = m0 AND item = p_item) THEN
		RETURN '23505';
	END IF;
	RETURN '00000';
END $$;

-- INSERT INTO evaluation as the superuser
CREATE FUNCTION o_evaluation_ins(p_member text, p_year int, p_democratic numeric) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	mb pointsys.member;
BEGIN
	IF p_member IS NULL OR p_year IS NULL OR p_democratic IS NULL THEN RETURN '23502'; END IF;
	IF NOT score_ok(p_democratic) THEN RETURN '22003'; END IF;
	IF p_year > extract(year FROM current_date) OR p_year < 1921 THEN RETURN '22008'; END IF;
	SELECT * INTO mb FROM pointsys.member WHERE member_id = p_member;
	IF NOT FOUND THEN RETURN '23503'; END IF;
	IF mb.joined_on > make_date(p_year, 12, 31) OR mb.left_on < make_date(p_year, 1, 1) THEN RETURN '23503'; END IF;
	IF EXISTS (SELECT FROM pointsys.evaluation WHERE member_id = p_member AND year = p_year) THEN RETURN '23505'; END IF;
	RETURN '00000';
END $$;

-- INSERT INTO sanction as the superuser
CREATE FUNCTION o_sanction_ins(p_member text, p_kind text, p_effective date, p_lifted date) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_member IS NULL OR p_kind IS NULL THEN RETURN '23502'; END IF;
	IF p_kind <> ALL (sanction_kinds()) THEN RETURN '22023'; END IF;
	IF p_effective IS NULL THEN RETURN '23502'; END IF;
	IF p_lifted <= p_effective OR p_effective < date '1921-07-01' THEN RETURN '23514'; END IF;
	IF NOT EXISTS (SELECT FROM pointsys.member WHERE member_id = p_member) THEN RETURN '23503'; END IF;
	RETURN '00000';
END $$;

------------------------------------------------------------------------
-- A state's text form reads back as itself (PZINV otherwise)
CREATE FUNCTION check_reads_back(v anyelement) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	back text;
BEGIN
	EXECUTE format('SELECT $1::%s::text', pg_typeof(v)) INTO back USING v::text;
	IF back IS DISTINCT FROM v::text THEN
		RAISE SQLSTATE 'PZINV' USING MESSAGE = format('%s %L reads back as %L', pg_typeof(v), v::text, back);
	END IF;
END $$;

-- The month d1 written to a score or award row was stored as d2, its
-- first day (PZINV otherwise)
CREATE FUNCTION check_stored_month(d1 date, d2 date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF d1 < date '4714-12-01 BC' OR d2 <> d1 - (extract(day FROM d1)::int - 1) THEN
		RAISE SQLSTATE 'PZINV' USING MESSAGE = format('month %s stored as %s%s', d1, d2,
			CASE WHEN d2 < date '4714-11-24 BC' THEN ', a date outside the range of type date' ELSE '' END);
	END IF;
END $$;

------------------------------------------------------------------------
-- The democratic appraisal (issue 26): a round from the bureau's weights
-- and quorum through its tally or ballots to its close, each step's
-- SQLSTATE and what it leaves against README's rules restated here
------------------------------------------------------------------------

-- The members a branch appraises in a year: in the party that year, of
-- the branch in December or in the month they left (membership rows)
CREATE FUNCTION o_appraised(p_branch text, p_year int) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(m.member_id ORDER BY m.member_id), '{}')
	FROM pointsys.member m
	CROSS JOIN LATERAL (SELECT least(make_date(p_year, 12, 1), date_trunc('month', m.left_on)::date) AS last) l
	WHERE (m.joined_on IS NULL OR m.joined_on <= make_date(p_year, 12, 31))
	  AND (m.left_on IS NULL OR m.left_on >= make_date(p_year, 1, 1))
	  AND coalesce((SELECT s.branch_id FROM pointsys.membership s WHERE s.member_id = m.member_id AND s.since <= l.last
					ORDER BY s.since DESC LIMIT 1),
				   (SELECT s.branch_id FROM pointsys.membership s WHERE s.member_id = m.member_id ORDER BY s.since LIMIT 1),
				   m.branch_id) = p_branch
$$;

-- The weighted mean of the votes v (excellent, qualified,
-- basically_qualified, unqualified) by the weights w, half up to 0.01:
-- in hundredths of a point, Σ v × 100w divided by the valid votes, one
-- more when the remainder is at least half of them; NULL without a vote
CREATE FUNCTION o_mean(v int[], w numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN n > 0 THEN ((s / n) + CASE WHEN 2 * (s % n) >= n THEN 1 ELSE 0 END)::numeric / 100 END
	FROM (SELECT sum(v[i]::bigint * (w[i] * 100)::bigint)::bigint AS s, sum(v[i])::bigint AS n
		  FROM generate_series(1, 4) i) x
$$;

-- A ballot's marks: an object of members on the ballot, each a label or
-- null (22023 otherwise)
CREATE FUNCTION o_marks(marks jsonb, appraised text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN jsonb_typeof(marks) IS DISTINCT FROM 'object' THEN '22023'
				WHEN EXISTS (SELECT FROM jsonb_each(marks) e
							 WHERE jsonb_typeof(e.value) <> 'null'
							   AND NOT (jsonb_typeof(e.value) = 'string'
										AND e.value #>> '{}' IN ('excellent', 'qualified', 'basically_qualified', 'unqualified')))
					THEN '22023'
				WHEN EXISTS (SELECT FROM jsonb_object_keys(marks) k WHERE k <> ALL (appraised)) THEN '22023'
				ELSE '00000' END
$$;

-- One statement as role who (fuzz.as_role; 'super': the superuser), in a
-- subtransaction of its own: its SQLSTATE (00000 when it succeeds), its
-- message, and a SELECT's first value
CREATE FUNCTION try_as(who text, stmt text, OUT state text, OUT message text, OUT result text)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM as_role(who);
	IF stmt LIKE 'SELECT %' THEN
		EXECUTE stmt INTO result;
	ELSE
		EXECUTE stmt;
	END IF;
	PERFORM set_config('role', 'none', true);
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END $$;

-- PZINV unless step gave the SQLSTATE expected and left what it should
-- (left: a condition read after it, as the superuser)
CREATE FUNCTION expect_step(step text, expected text, got record, left_ok boolean DEFAULT true) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF got.state IS DISTINCT FROM expected THEN
		RAISE SQLSTATE 'PZINV' USING MESSAGE = format('%s: expected %s, got %s: %s', step, expected, got.state,
													  coalesce(got.message, ''));
	END IF;
	IF left_ok IS NOT TRUE THEN
		RAISE SQLSTATE 'PZINV' USING MESSAGE = format('%s (%s) left the tables wrong', step, got.state);
	END IF;
END $$;

-- A round of the appraisal (target appraisal; gen() describes the
-- arguments): the weights and the quorum (as the superuser), the round,
-- then the tellers' tallies (paper) or the register, the codes and the
-- ballots (electronic), then the close, each step as role who.  Each
-- step's SQLSTATE is checked against the rules, and what it leaves: a
-- refused step nothing, a close the weighted mean of the tally of each
-- member appraised in evaluation, an electronic tally the ballots
-- accepted per label.  The result: the last step's SQLSTATE and message.
CREATE FUNCTION appraisal_run(mode text, who text, br text, yr int, issued int, returned int, w numeric[],
							  quorum int, spec jsonb, extra int, flag text, OUT state text, OUT message text)
LANGUAGE plpgsql AS $$
DECLARE
	is_electronic boolean := mode = 'electronic';
	q int := coalesce(quorum, 50);
	mems text[];
	r record;
	x jsonb;
	m text;
	i int;
	k int;
	exp text;
	n_before bigint;
	-- each member's counts (excellent, qualified, basically_qualified,
	-- unqualified, spoilt) as entered or counted, and whether she has a tally
	cnt int[];
	has boolean[];
	codes text[] := '{}';
	next_code int := 1;
	used_codes text[] := '{}';
	code text;
	last_code text;
	voter text := 'none';		-- none, registered, voted
	accepted int := 0;
	stmt text;
	seen text[] := '{}';
	took int[] := '{}';			-- the tallies written, by their place in spec
	n_row int;
BEGIN
	-- the bureau's weights: 0 to 100 with at most two decimals
	SELECT to_jsonb(array_agg(weight ORDER BY label)) INTO x FROM pointsys.appraisal_weight;
	r := try_as('super', format('INSERT INTO pointsys.appraisal_weight VALUES (''excellent'', %L), (''qualified'', %L),
								 (''basically_qualified'', %L), (''unqualified'', %L)
								 ON CONFLICT (label) DO UPDATE SET weight = EXCLUDED.weight', w[1], w[2], w[3], w[4]));
	exp := CASE WHEN EXISTS (SELECT FROM unnest(w) v WHERE v < 0 OR v > 100 OR scale(v) > 2) THEN '23514' ELSE '00000' END;
	PERFORM expect_step('weights', exp, r,
						r.state = '00000'
						OR to_jsonb((SELECT array_agg(weight ORDER BY label) FROM pointsys.appraisal_weight)) IS NOT DISTINCT FROM x);
	IF r.state <> '00000' THEN
		SELECT r.state, r.message INTO state, message;
		RETURN;
	END IF;
	-- the quorum: 0 to 99 percent; no setting, 50
	IF quorum IS NULL THEN
		DELETE FROM pointsys.setting WHERE name = 'appraisal_quorum_percent';
	ELSE
		r := try_as('super', format('INSERT INTO pointsys.setting VALUES (''appraisal_quorum_percent'', %s)
									 ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value', quorum));
		PERFORM expect_step('quorum', CASE WHEN quorum BETWEEN 0 AND 99 THEN '00000' ELSE '23514' END, r);
		IF r.state <> '00000' THEN
			SELECT r.state, r.message INTO state, message;
			RETURN;
		END IF;
	END IF;

	-- the round: nobody has no rights, a recorder only her branch b1; not
	-- in the future (Beijing time); 1 to 10000 ballots issued, at most as
	-- many returned; a known branch
	r := try_as(who, format('INSERT INTO pointsys.appraisal_round (branch_id, year, ballots_issued, ballots_returned, electronic)
							 VALUES (%L, %s, %s, %s, %L)', br, yr, issued, coalesce(returned::text, 'NULL'), is_electronic));
	exp := CASE WHEN who = 'nobody' THEN '42501'
				WHEN yr > extract(year FROM now() AT TIME ZONE 'Asia/Shanghai') THEN '22023'
				WHEN who = 'recorder' AND br <> 'b1' THEN '42501'
				WHEN issued NOT BETWEEN 1 AND 10000 OR yr < 1921
					 OR (NOT is_electronic AND (returned < 0 OR returned > issued)) THEN '23514'
				WHEN br NOT IN (SELECT branch_id FROM pointsys.branch) THEN '23503'
				ELSE '00000' END;
	PERFORM expect_step('round', exp, r,
						r.state = '00000' OR NOT EXISTS (SELECT FROM pointsys.appraisal_round a WHERE a.branch_id = br AND a.year = yr));
	IF r.state <> '00000' THEN
		SELECT r.state, r.message INTO state, message;
		RETURN;
	END IF;
	IF is_electronic THEN
		returned := NULL;
	END IF;
	mems := o_appraised(br, yr);
	cnt := array_fill(0, ARRAY[cardinality(mems), 5]);
	has := array_fill(is_electronic, ARRAY[cardinality(mems)]);

	IF NOT is_electronic THEN
		-- the tellers' tallies, a statement each or all in one: a member
		-- appraised, no count below 0, votes and spoilt within the
		-- ballots returned (issued while none are); a refused statement
		-- writes none of its rows
		IF flag = 'all' THEN
			exp := '00000';
			stmt := NULL;
		END IF;
		FOR x, n_row IN SELECT * FROM jsonb_array_elements(spec) WITH ORDINALITY LOOP
			m := x ->> 0;
			i := array_position(mems, m);
			k := (x ->> 1)::int + (x ->> 2)::int + (x ->> 3)::int + (x ->> 4)::int + (x ->> 5)::int;
			IF flag = 'all' THEN
				stmt := concat_ws(', ', stmt, format('(%L, %s, %L, %s, %s, %s, %s, %s)', br, yr, m, x -> 1, x -> 2, x -> 3, x -> 4, x -> 5));
				IF exp = '00000' THEN
					exp := CASE WHEN i IS NULL OR k > coalesce(returned, issued)
									 OR least((x ->> 1)::int, (x ->> 2)::int, (x ->> 3)::int, (x ->> 4)::int, (x ->> 5)::int) < 0 THEN '23514'
								WHEN m = ANY (seen) THEN '23505'
								ELSE '00000' END;
				END IF;
				seen := seen || m;
				CONTINUE;
			END IF;
			SELECT count(*) INTO n_before FROM pointsys.appraisal_tally t WHERE t.branch_id = br AND t.year = yr;
			r := try_as(who, format('INSERT INTO pointsys.appraisal_tally VALUES (%L, %s, %L, %s, %s, %s, %s, %s)',
									br, yr, m, x -> 1, x -> 2, x -> 3, x -> 4, x -> 5));
			exp := CASE WHEN i IS NULL OR k > coalesce(returned, issued)
							 OR least((x ->> 1)::int, (x ->> 2)::int, (x ->> 3)::int, (x ->> 4)::int, (x ->> 5)::int) < 0 THEN '23514'
						WHEN EXISTS (SELECT FROM unnest(took) t WHERE spec -> (t - 1) ->> 0 = m) THEN '23505'
						ELSE '00000' END;
			PERFORM expect_step('tally ' || m, exp, r,
								r.state = '00000' OR n_before = (SELECT count(*) FROM pointsys.appraisal_tally t
																 WHERE t.branch_id = br AND t.year = yr));
			IF r.state = '00000' THEN
				took := took || n_row;
			END IF;
		END LOOP;
		IF flag = 'all' AND stmt IS NOT NULL THEN
			r := try_as(who, 'INSERT INTO pointsys.appraisal_tally VALUES ' || stmt);
			PERFORM expect_step('tallies', exp, r,
								r.state = '00000' OR NOT EXISTS (SELECT FROM pointsys.appraisal_tally t
																 WHERE t.branch_id = br AND t.year = yr));
			IF r.state = '00000' THEN
				took := ARRAY(SELECT generate_series(1, jsonb_array_length(spec)));
			END IF;
		END IF;
		-- the tallies written
		FOR x, n_row IN SELECT * FROM jsonb_array_elements(spec) WITH ORDINALITY LOOP
			CONTINUE WHEN n_row <> ALL (took);
			i := array_position(mems, x ->> 0);
			has[i] := true;
			FOR j IN 1 .. 5 LOOP
				cnt[i][j] := (x ->> j)::int;
			END LOOP;
		END LOOP;
		-- the ballots returned, corrected while the round is open
		IF extra IS NOT NULL THEN
			r := try_as(who, format('UPDATE pointsys.appraisal_round SET ballots_returned = %s WHERE branch_id = %L AND year = %s',
									extra, br, yr));
			PERFORM expect_step('returned', CASE WHEN extra BETWEEN 0 AND issued THEN '00000' ELSE '23514' END, r,
								(SELECT a.ballots_returned FROM pointsys.appraisal_round a WHERE a.branch_id = br AND a.year = yr)
								IS NOT DISTINCT FROM CASE WHEN r.state = '00000' THEN extra ELSE returned END);
			IF r.state = '00000' THEN
				returned := extra;
			END IF;
		END IF;
	ELSE
		-- the register: the login fuzz_voter
		IF flag = 'yes' THEN
			r := try_as(who, format('INSERT INTO pointsys.appraisal_voter (branch_id, year, role_name) VALUES (%L, %s, ''fuzz_voter'')',
									br, yr));
			PERFORM expect_step('voter', '00000', r);
			voter := 'registered';
		END IF;
		-- codes for the ballots cast with one, and extra more: codes and
		-- voters at most the ballots issued
		k := (SELECT count(*) FROM jsonb_array_elements(spec) b WHERE b ->> 'c' = 'fresh') + extra;
		IF k > 0 THEN
			r := try_as(who, format('SELECT pointsys.issue_codes(%L, %s, %s)', br, yr, k));
			PERFORM expect_step('codes', CASE WHEN k + (voter = 'registered')::int > issued THEN '55000' ELSE '00000' END, r,
								(SELECT count(*) FROM pointsys.appraisal_code c WHERE c.branch_id = br AND c.year = yr)
								= CASE WHEN r.state = '00000' THEN k ELSE 0 END);
			IF r.state = '00000' THEN
				codes := r.result::text[];
			END IF;
		END IF;
		-- the ballots: marks first (22023), then the code (28000: unknown or
		-- used) or the voter (28000: not registered; 55000: voted); a
		-- refused ballot stores nothing and uses no code or vote
		FOR x IN SELECT * FROM jsonb_array_elements(spec) LOOP
			code := CASE x ->> 'c'
					WHEN 'fresh' THEN coalesce(codes[next_code], 'ZZZZ-ZZZZ-ZZZ2')
					WHEN 'reuse' THEN coalesce(last_code, 'ZZZZ-ZZZZ-ZZZ3')
					WHEN 'bogus' THEN 'ZZZZ-ZZZZ-ZZZ4'
					WHEN 'nomarks' THEN 'ZZZZ-ZZZZ-ZZZ5' END;
			IF x ->> 'c' = 'fresh' THEN
				next_code := next_code + 1;
			END IF;
			IF code IS NOT NULL THEN
				last_code := code;
			END IF;
			SELECT count(*) INTO n_before FROM pointsys.appraisal_ballot b WHERE b.branch_id = br AND b.year = yr;
			r := try_as(CASE WHEN x ->> 'c' = 'voter' THEN 'voter' ELSE 'super' END,
						format('SELECT pointsys.cast_ballot(%L, %s, %L::jsonb, %L)', br, yr,
							   CASE WHEN x ->> 'c' <> 'nomarks' THEN x -> 'm' END, code));
			exp := CASE WHEN x ->> 'c' = 'nomarks' THEN '22004'
						WHEN o_marks(x -> 'm', mems) <> '00000' THEN o_marks(x -> 'm', mems)
						WHEN x ->> 'c' = 'voter' THEN CASE voter WHEN 'registered' THEN '00000' WHEN 'voted' THEN '55000' ELSE '28000' END
						WHEN code = ANY (codes) AND code <> ALL (used_codes) THEN '00000'
						ELSE '28000' END;
			PERFORM expect_step('ballot ' || (x -> 'm')::text, exp, r,
								n_before + (r.state = '00000')::int
								= (SELECT count(*) FROM pointsys.appraisal_ballot b WHERE b.branch_id = br AND b.year = yr)
								AND (SELECT count(*) FROM pointsys.appraisal_code c WHERE c.branch_id = br AND c.year = yr AND c.used)
									= cardinality(used_codes) + (r.state = '00000' AND x ->> 'c' <> 'voter')::int
								AND (SELECT count(*) FROM pointsys.appraisal_voter v WHERE v.branch_id = br AND v.year = yr AND v.voted)
									= (voter = 'voted' OR (r.state = '00000' AND x ->> 'c' = 'voter'))::int);
			IF r.state = '00000' THEN
				accepted := accepted + 1;
				IF x ->> 'c' = 'voter' THEN
					voter := 'voted';
				ELSE
					used_codes := used_codes || code;
				END IF;
				FOR i IN 1 .. cardinality(mems) LOOP
					k := array_position('{excellent,qualified,basically_qualified,unqualified}'::text[], x -> 'm' ->> mems[i]);
					IF k IS NOT NULL THEN
						cnt[i][k] := cnt[i][k] + 1;
					END IF;
				END LOOP;
			END IF;
		END LOOP;
		-- the end of the vote; a ballot after it is refused (55000)
		r := try_as(who, format('UPDATE pointsys.appraisal_round SET voting_ended = true WHERE branch_id = %L AND year = %s', br, yr));
		PERFORM expect_step('end of the vote', '00000', r);
		r := try_as('super', format('SELECT pointsys.cast_ballot(%L, %s, ''{}'', ''ZZZZ-ZZZZ-ZZZ6'')', br, yr));
		PERFORM expect_step('ballot after the end', '55000', r,
							(SELECT count(*) FROM pointsys.appraisal_ballot b WHERE b.branch_id = br AND b.year = yr) = accepted);
		returned := accepted;
	END IF;

	-- the close: the ballots returned (paper), a tally for every member
	-- appraised, within the ballots returned, each with more valid votes
	-- than the quorum's share of the ballots issued
	r := try_as(who, format('UPDATE pointsys.appraisal_round SET status = ''closed'' WHERE branch_id = %L AND year = %s', br, yr));
	-- (an electronic round's only once the end of its vote is committed:
	-- never within an input)
	exp := CASE WHEN is_electronic OR returned IS NULL THEN '55000'
				WHEN false = ANY (has) THEN '55000'
				WHEN EXISTS (SELECT FROM generate_series(1, cardinality(mems)) j
							 WHERE cnt[j][1] + cnt[j][2] + cnt[j][3] + cnt[j][4] + cnt[j][5] > returned) THEN '23514'
				WHEN EXISTS (SELECT FROM generate_series(1, cardinality(mems)) j
							 WHERE (cnt[j][1] + cnt[j][2] + cnt[j][3] + cnt[j][4]) * 100 <= q * issued) THEN '55000'
				ELSE '00000' END;
	IF r.state = '00000' THEN
		-- the round's weights, quorum and ballots; each member's tally and
		-- score; no other score from the round
		SELECT concat_ws('; ',
				   (SELECT format('round %s', to_jsonb(a)) FROM pointsys.appraisal_round a
					WHERE a.branch_id = br AND a.year = yr
					  AND NOT (a.status = 'closed' AND a.ballots_returned = returned AND a.quorum_percent = q
							   AND ARRAY[a.weight_excellent, a.weight_qualified, a.weight_basically_qualified, a.weight_unqualified] = w)),
				   (SELECT string_agg(format('%s: tally %s, score %s of round %s, expected %s and %s', mems[j],
											 concat_ws('/', t.excellent, t.qualified, t.basically_qualified, t.unqualified, t.spoilt),
											 e.democratic, e.round_branch_id, array_to_string(cnt[j:j][1:5], '/'),
											 o_mean(ARRAY[cnt[j][1], cnt[j][2], cnt[j][3], cnt[j][4]], w)), ', ')
					FROM generate_series(1, cardinality(mems)) j
					LEFT JOIN pointsys.appraisal_tally t ON t.branch_id = br AND t.year = yr AND t.member_id = mems[j]
					LEFT JOIN pointsys.evaluation e ON e.member_id = mems[j] AND e.year = yr
					WHERE ROW(t.excellent, t.qualified, t.basically_qualified, t.unqualified, t.spoilt)
							  IS DISTINCT FROM ROW(cnt[j][1], cnt[j][2], cnt[j][3], cnt[j][4], cnt[j][5])
					   OR e.round_branch_id IS DISTINCT FROM br
					   OR e.democratic IS DISTINCT FROM o_mean(ARRAY[cnt[j][1], cnt[j][2], cnt[j][3], cnt[j][4]], w)),
				   (SELECT format('%s scores from the round for %s members', count(*), cardinality(mems))
					FROM pointsys.evaluation e WHERE e.round_branch_id = br AND e.year = yr
					HAVING count(*) <> cardinality(mems)))
		INTO stmt;
		PERFORM expect_step('close' || coalesce(nullif(': ' || stmt, ': '), ''), exp, r, stmt = '');
	ELSE
		-- still open, nothing counted or scored
		PERFORM expect_step('close', exp, r,
			(SELECT a.status = 'open' AND a.weight_excellent IS NULL AND a.ballots_returned IS NOT DISTINCT FROM
						CASE WHEN is_electronic THEN NULL ELSE returned END
			 FROM pointsys.appraisal_round a WHERE a.branch_id = br AND a.year = yr)
			AND NOT EXISTS (SELECT FROM pointsys.evaluation e WHERE e.round_branch_id = br AND e.year = yr)
			AND (NOT is_electronic OR NOT EXISTS (SELECT FROM pointsys.appraisal_tally t WHERE t.branch_id = br AND t.year = yr)));
	END IF;
	IF is_electronic THEN
		-- the count, as the close would make it once the end is committed:
		-- the round marked closed with the triggers off (as a replica
		-- would), then the owner's count; each member's votes per label are
		-- the ballots accepted that give her that label
		PERFORM set_config('session_replication_role', 'replica', true);
		UPDATE pointsys.appraisal_round a SET status = 'closed' WHERE a.branch_id = br AND a.year = yr;
		PERFORM set_config('session_replication_role', 'origin', true);
		PERFORM pointsys.ballot_tally(br, yr);
		SELECT string_agg(format('%s: %s, expected %s', mems[j],
								 concat_ws('/', t.excellent, t.qualified, t.basically_qualified, t.unqualified, t.spoilt),
								 array_to_string(cnt[j:j][1:5], '/')), ', ')
		INTO stmt
		FROM generate_series(1, cardinality(mems)) j
		LEFT JOIN pointsys.appraisal_tally t ON t.branch_id = br AND t.year = yr AND t.member_id = mems[j]
		WHERE ROW(t.excellent, t.qualified, t.basically_qualified, t.unqualified, t.spoilt)
			  IS DISTINCT FROM ROW(cnt[j][1], cnt[j][2], cnt[j][3], cnt[j][4], cnt[j][5]);
		IF stmt IS NOT NULL OR (SELECT count(*) FROM pointsys.appraisal_tally t WHERE t.branch_id = br AND t.year = yr)
							   <> cardinality(mems) THEN
			RAISE SQLSTATE 'PZINV' USING MESSAGE = format('the count of %s ballots: %s', accepted, coalesce(stmt, 'tallies of others'));
		END IF;
	END IF;
	SELECT r.state, r.message INTO state, message;
END $$;

-- exec(target, args): one input, in its own subtransaction
------------------------------------------------------------------------

-- The UPDATE (op upd) or DELETE (op del) of the rows of pointsys.<tbl>
-- WHERE cond, as a statement with parameters: $1, $2, ... are the new
-- values of the columns cols, in order; the next one is a mask whose bit
-- i - 1 says whether cols[i] changes (every column is assigned, to itself
-- where its bit is clear); cond's parameters come after the mask.  A
-- DELETE leaves the values and the mask unused.
CREATE FUNCTION keyed_write(op text, tbl text, cols text[], cond text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE op
		   WHEN 'del' THEN format('DELETE FROM pointsys.%I WHERE %s', tbl, cond)
		   WHEN 'upd' THEN format('UPDATE pointsys.%I SET %s WHERE %s', tbl,
								  string_agg(format('%1$I = CASE WHEN $%2$s & %3$s <> 0 THEN $%4$s ELSE %1$I END',
													c, cardinality(cols) + 1, 1 << (i::int - 1), i), ', ' ORDER BY i),
								  cond) END
	FROM unnest(cols) WITH ORDINALITY u (c, i)
$$;

-- grade_recv's inputs are loaded into this table by binary COPY
CREATE TABLE grade_bin (g pointsys.grade);

CREATE FUNCTION exec(p_target text, a text[], OUT stage text, OUT state text, OUT message text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	op text := a[1];
	n1 numeric; n2 numeric; n3 numeric;
	bl boolean;
	d1 date; d2 date; kd date;
	i1 int; i2 int;
	t1 text; t2 text; t3 text;
	g1 pointsys.grade; g2 pointsys.grade;
	gs pointsys.grade[];
	k bigint;
	bv bytea;
	ns numeric[] := '{}'; ds date[] := '{}'; ps numeric[] := '{}'; aws numeric[] := '{}';
	q1 pointsys.quarter_state; q2 pointsys.quarter_state; qr pointsys.quarter_state;
	c1 int; s1 numeric; c2 int; s2 numeric;
	y1 pointsys.year_state; y2 pointsys.year_state; yr pointsys.year_state;
	msk int;
	cnt bigint;
	path text;
	expect text;				-- expected SQLSTATE(s), '|'-separated; NULL: no oracle
	expect_r text;				-- the expected result, when expect is 00000
	got_r text;					-- the result
	cols text[]; defs text[]; vals text[];
	mems text[]; mem_arr text[]; mon_arr date[]; br_arr text[];
BEGIN
	stage := 'cast';
	BEGIN
		CASE p_target
		WHEN 'grade_in' THEN
			stage := 'oracle';
			expect_r := o_grade(a[1]);
			expect := CASE WHEN a[1] IS NULL OR expect_r IS NOT NULL THEN '00000' ELSE '22P02' END;
			stage := 'call';
			got_r := a[1]::pointsys.grade::text;

		WHEN 'grade_recv' THEN
			-- COPY (SELECT bytes) TO a file, binary: one bytea field whose
			-- bytes are the input; COPY grade_bin FROM it hands exactly
			-- those bytes to grade_recv
			bv := a[1]::bytea;
			stage := 'oracle';
			-- one byte: release 1.1's rank 0..3; more or fewer: a label
			-- in UTF-8 (1.3); anything else 22P03
			IF bv IS NULL THEN
				expect := '00000';
			ELSIF length(bv) = 1 THEN
				IF get_byte(bv, 0) <= 3 THEN
					expect_r := (ARRAY['不合格', '合格', '良好', '优秀'])[get_byte(bv, 0) + 1];
				END IF;
			ELSE
				BEGIN
					expect_r := o_grade(convert_from(bv, 'UTF8'));
				EXCEPTION WHEN OTHERS THEN
					expect_r := NULL;
				END;
			END IF;
			IF bv IS NOT NULL THEN
				expect := CASE WHEN expect_r IS NOT NULL THEN '00000' ELSE '22P03' END;
			END IF;
			stage := 'cast';
			SELECT fuzz_dir || '/grade.bin' INTO path FROM config;
			EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', a[1], path);
			stage := 'call';
			EXECUTE format('COPY grade_bin FROM %L WITH (FORMAT binary)', path);
			stage := 'check';
			SELECT count(*), min(g::text) INTO cnt, got_r FROM grade_bin;
			IF cnt <> 1 THEN
				RAISE SQLSTATE 'PZINV' USING MESSAGE = format('binary COPY of %s loaded %s rows', a[1], cnt);
			END IF;
			stage := 'call';

		WHEN 'language' THEN
			stage := 'call';
			PERFORM set_config('pointsys.language', a[1], true);
			stage := 'cast';
			g1 := a[2]::pointsys.grade;
			stage := 'call';
			got_r := g1::text;

		-- a state's text form reads back unchanged
		WHEN 'quarter_state_in', 'year_state_in' THEN
			stage := 'call';
			IF p_target = 'quarter_state_in' THEN
				q1 := a[1]::pointsys.quarter_state;
				got_r := q1::text;
				stage := 'check';
				PERFORM check_reads_back(q1);
			ELSE
				y1 := a[1]::pointsys.year_state;
				got_r := y1::text;
				stage := 'check';
				PERFORM check_reads_back(y1);
			END IF;
			stage := 'call';

		WHEN 'grade_of' THEN
			n1 := a[1]::numeric;
			stage := 'oracle';
			expect := CASE WHEN n1 IS NULL OR score_ok(n1) THEN '00000' ELSE '22003' END;
			IF n1 IS NOT NULL AND expect = '00000' THEN
				expect_r := grade_label(round(n1, 2));
			END IF;
			stage := 'call';
			got_r := pointsys.grade_of(n1)::text;

		WHEN 'annual_total' THEN
			n1 := a[1]::numeric;
			n2 := a[2]::numeric;
			stage := 'oracle';
			IF n1 IS NULL OR n2 IS NULL THEN
				expect := '00000';		-- strict
			ELSIF score_ok(n1) AND score_ok(n2) THEN
				expect := '00000';
				expect_r := round(0.8 * n1 + 0.2 * n2, 2)::text;
			ELSE
				expect := '22003';
			END IF;
			stage := 'call';
			got_r := pointsys.annual_total(n1, n2)::text;

		WHEN 'annual_grade' THEN
			n1 := a[1]::numeric;
			n2 := a[2]::numeric;
			bl := CASE WHEN a[4] = '2' THEN false ELSE a[3]::boolean END;
			stage := 'oracle';
			IF (n1 IS NOT NULL AND NOT score_ok(n1)) OR (n2 IS NOT NULL AND NOT score_ok(n2)) THEN
				expect := '22003';
			ELSE
				expect := '00000';
				expect_r := CASE WHEN bl IS NULL THEN NULL WHEN bl THEN '不合格'
								 WHEN n1 IS NULL OR n2 IS NULL THEN NULL
								 ELSE grade_label(round(0.8 * n1 + 0.2 * n2, 2)) END;
			END IF;
			stage := 'call';
			IF a[4] = '2' THEN
				got_r := pointsys.annual_grade(n1, n2)::text;
			ELSE
				got_r := pointsys.annual_grade(n1, n2, bl)::text;
			END IF;

		WHEN 'annual_grade_member' THEN
			t1 := a[1];
			i1 := a[2]::int;
			stage := 'call';
			got_r := pointsys.annual_grade(t1, i1)::text;

		WHEN 'quarter_avg' THEN
			n1 := a[1]::numeric;
			n2 := a[2]::numeric;
			n3 := a[3]::numeric;
			stage := 'oracle';
			expect := '00000';
			IF (n1 IS NOT NULL AND NOT score_ok(n1)) OR (n2 IS NOT NULL AND NOT score_ok(n2))
			   OR (n3 IS NOT NULL AND NOT score_ok(n3)) THEN
				expect := '22003';
			ELSE
				expect_r := mean2(array_remove(ARRAY[n1, n2, n3], NULL))::text;
			END IF;
			stage := 'call';
			got_r := pointsys.quarter_avg(n1, n2, n3)::text;

		WHEN 'quarter_avg_agg' THEN
			ns := a::numeric[];
			stage := 'oracle';
			expect := '00000';
			cnt := 0;
			FOR i IN 1 .. cardinality(ns) LOOP
				CONTINUE WHEN ns[i] IS NULL;
				IF NOT score_ok(ns[i]) THEN expect := '22003'; EXIT; END IF;
				IF cnt = 3 THEN expect := '21000'; EXIT; END IF;
				cnt := cnt + 1;
			END LOOP;
			IF expect = '00000' THEN
				expect_r := mean2(array_remove(ns, NULL))::text;
			END IF;
			stage := 'call';
			got_r := (SELECT pointsys.quarter_avg(v ORDER BY o) FROM unnest(ns) WITH ORDINALITY u (v, o))::text;

		WHEN 'annual_assessment' THEN
			FOR i IN 1 .. cardinality(a) / 2 LOOP
				ds := ds || a[2 * i - 1]::date;
				ns := ns || a[2 * i]::numeric;
			END LOOP;
			stage := 'oracle';
			SELECT o.state, o.result INTO expect, expect_r FROM o_assessment(ds, ns) o;
			stage := 'call';
			got_r := (SELECT pointsys.annual_assessment(d, v ORDER BY o)
					  FROM unnest(ds, ns) WITH ORDINALITY u (d, v, o))::text;

		WHEN 'ledger_year' THEN
			n1 := a[1]::numeric;
			FOR i IN 1 .. (cardinality(a) - 1) / 3 LOOP
				ds := ds || a[3 * i - 1]::date;
				ps := ps || a[3 * i]::numeric;
				aws := aws || a[3 * i + 1]::numeric;
			END LOOP;
			stage := 'oracle';
			SELECT o.state, o.result INTO expect, expect_r FROM o_ledger_year(n1, ds, ps, aws) o;
			stage := 'call';
			SELECT pointsys.ledger_year(d, p, w ORDER BY o) INTO y1
			FROM unnest(ds, ps, aws) WITH ORDINALITY u (d, p, w, o);
			IF y1 IS NOT NULL AND n1 IS NOT NULL THEN
				got_r := (SELECT f::text FROM pointsys.year_figures(y1, n1) f);
				stage := 'check';
				-- year_quarters lists the quarters year_figures has, and the
				-- state reads back from its text
				IF (SELECT string_agg(q.score::text, ',' ORDER BY q.quarter) FROM pointsys.year_quarters(y1, n1) q)
				   IS DISTINCT FROM (SELECT concat_ws(',', f.q1, f.q2, f.q3, f.q4) FROM pointsys.year_figures(y1, n1) f
									 WHERE f.months > 0) THEN
					RAISE SQLSTATE 'PZINV' USING MESSAGE = format('year_quarters and year_figures disagree on %s', y1);
				END IF;
				PERFORM check_reads_back(y1);
				stage := 'call';
			END IF;

		WHEN 'quarter_state_fns' THEN
			q1 := a[2]::pointsys.quarter_state;
			IF op = 'trans' THEN
				n1 := a[3]::numeric;
			ELSIF op = 'combine' THEN
				q2 := a[3]::pointsys.quarter_state;
			END IF;
			stage := 'oracle';
			SELECT coalesce(p.c, 0), coalesce(p.s, 0) INTO c1, s1 FROM qs_parts(q1) p;
			SELECT coalesce(p.c, 0), coalesce(p.s, 0) INTO c2, s2 FROM qs_parts(q2) p;
			expect := '00000';
			IF op = 'trans' THEN
				IF n1 IS NULL THEN
					expect_r := qs_norm(q1);
				ELSIF NOT score_ok(n1) THEN
					expect := '22003';
				ELSIF c1 >= 3 THEN
					expect := '21000';
				ELSE
					expect_r := (c1 + 1) || ' ' || trim_scale(s1 + n1);
				END IF;
			ELSIF op = 'combine' THEN
				IF q2 IS NULL THEN
					expect_r := qs_norm(q1);
				ELSIF c1 + c2 > 3 THEN
					expect := '21000';
				ELSE
					expect_r := (c1 + c2) || ' ' || trim_scale(s1 + s2);
				END IF;
			ELSE
				expect_r := CASE WHEN c1 > 0 THEN round(s1 / c1, 2)::text END;
			END IF;
			stage := 'call';
			CASE op
			WHEN 'trans' THEN qr := pointsys.quarter_avg_transfn(q1, n1);
			WHEN 'combine' THEN qr := pointsys.quarter_avg_combinefn(q1, q2);
			ELSE got_r := pointsys.quarter_avg_finalfn(q1)::text;
			END CASE;
			IF op <> 'final' THEN
				stage := 'check';
				got_r := qs_norm(qr);
				PERFORM check_reads_back(qr);
				stage := 'call';
			END IF;

		WHEN 'year_state_fns' THEN
			y1 := a[2]::pointsys.year_state;
			CASE op
			WHEN 'trans' THEN d1 := a[3]::date; n1 := a[4]::numeric;
			WHEN 'ledger' THEN d1 := a[3]::date; n1 := a[4]::numeric; n2 := a[5]::numeric;
			WHEN 'combine' THEN y2 := a[3]::pointsys.year_state;
			WHEN 'figures', 'quarters' THEN n1 := a[3]::numeric;
			ELSE NULL;
			END CASE;
			stage := 'call';
			CASE op
			WHEN 'trans' THEN yr := pointsys.annual_assessment_transfn(y1, d1, n1);
			WHEN 'ledger' THEN yr := pointsys.ledger_year_transfn(y1, d1, n1, n2);
			WHEN 'combine' THEN yr := pointsys.year_state_combinefn(y1, y2);
			WHEN 'final' THEN got_r := pointsys.annual_assessment_finalfn(y1)::text;
			WHEN 'figures' THEN
				got_r := CASE WHEN y1 IS NOT NULL AND n1 IS NOT NULL
							  THEN (SELECT f::text FROM pointsys.year_figures(y1, n1) f) END;
			ELSE
				got_r := (SELECT string_agg(q::text, ';') FROM pointsys.year_quarters(y1, n1) q);
			END CASE;
			stage := 'check';
			-- every input is ≥ 0: no figure may come out negative; a state
			-- reads back from its text
			IF got_r LIKE '%-%' THEN
				RAISE SQLSTATE 'PZINV' USING MESSAGE = format('%s of %L gave a negative figure: %s', op, y1::text, got_r);
			END IF;
			IF op = 'final' AND got_r::numeric > 100 AND y1::text LIKE 'totals%' THEN
				RAISE SQLSTATE 'PZINV' USING MESSAGE = format('final of %L gave %s > 100', y1::text, got_r);
			END IF;
			IF yr IS NOT NULL THEN
				got_r := yr::text;
				PERFORM check_reads_back(yr);
			END IF;
			stage := 'call';

		WHEN 'is_veto_sanction' THEN
			t1 := a[1];
			expect := CASE WHEN t1 IS NULL OR t1 = ANY (sanction_kinds()) THEN '00000' ELSE '22023' END;
			expect_r := CASE WHEN t1 IN ('removal_from_post', 'probation', 'law_violation') THEN 'true'
							 WHEN t1 IN ('warning', 'serious_warning', 'expulsion') THEN 'false' END;
			stage := 'call';
			got_r := pointsys.is_veto_sanction(t1)::text;

		WHEN 'eligibility' THEN
			g1 := a[1]::pointsys.grade;
			expect := '00000';
			expect_r := CASE g1::text WHEN '优秀' THEN 'priority' WHEN '良好' THEN 'eligible'
									  WHEN '合格' THEN 'ineligible' WHEN '不合格' THEN 'mentoring' END;
			stage := 'call';
			got_r := pointsys.eligibility(g1);

		WHEN 'ledger_reads' THEN
			t1 := a[2];
			d1 := a[3]::date;
			i1 := a[4]::int;
			i2 := a[5]::int;
			stage := 'oracle';
			IF op = 'year_of' THEN
				-- astronomical years, like the server's j2date: 1 BC is year 0
				expect := CASE WHEN d1 IS NULL OR isfinite(d1) THEN '00000' ELSE '22008' END;
				expect_r := CASE WHEN isfinite(d1) THEN
								 (extract(year FROM d1) + CASE WHEN extract(year FROM d1) < 0 THEN 1 ELSE 0 END)::text END;
			ELSIF op = 'quarter_start' THEN
				IF i1 IS NULL OR i2 IS NULL THEN
					expect := '00000';
				ELSIF i2 NOT BETWEEN 1 AND 4 THEN
					expect := '22023';
				ELSIF i1 < -4712 OR i1 > 5874897 THEN
					expect := '22008';
				ELSE
					expect := '00000';
					expect_r := make_date(CASE WHEN i1 <= 0 THEN i1 - 1 ELSE i1 END, 3 * i2 - 2, 1)::text;
				END IF;
			END IF;
			stage := 'call';
			CASE op
			WHEN 'year_of' THEN got_r := pointsys.year_of(d1)::text;
			WHEN 'quarter_start' THEN got_r := pointsys.quarter_start(i1, i2)::text;
			WHEN 'monthly_score' THEN got_r := pointsys.monthly_score(t1, d1)::text;
			WHEN 'quarter_score' THEN got_r := pointsys.quarter_score(t1, i1, i2)::text;
			WHEN 'may_record' THEN got_r := pointsys.may_record(t1)::text;
			WHEN 'may_record_branch' THEN got_r := pointsys.may_record_branch(t1)::text;
			ELSE got_r := pointsys.is_vetoed(t1, i1)::text;
			END CASE;

		WHEN 'grade_ops' THEN
			g1 := a[1]::pointsys.grade;
			g2 := a[2]::pointsys.grade;
			k := a[3]::bigint;
			gs := a[4:]::pointsys.grade[];
			stage := 'oracle';
			c1 := rank(g1);
			c2 := rank(g2);
			expect := '00000';
			expect_r := concat_ws(',', sign(c1 - c2), c1 < c2, c1 <= c2, c1 = c2, c1 <> c2, c1 >= c2, c1 > c2,
								  label(greatest(c1, c2)), label(least(c1, c2)),
								  encode(convert_to(label(c1), 'UTF8'), 'hex'),
								  (SELECT label(min(rank(x))) FROM unnest(gs) x),
								  (SELECT label(max(rank(x))) FROM unnest(gs) x));
			stage := 'call';
			got_r := concat_ws(',', pointsys.grade_cmp(g1, g2), g1 OPERATOR(pointsys.<) g2,
							   g1 OPERATOR(pointsys.<=) g2, g1 OPERATOR(pointsys.=) g2,
							   g1 OPERATOR(pointsys.<>) g2, g1 OPERATOR(pointsys.>=) g2,
							   g1 OPERATOR(pointsys.>) g2, pointsys.grade_larger(g1, g2),
							   pointsys.grade_smaller(g1, g2), encode(pointsys.grade_send(g1), 'hex'),
							   (SELECT pointsys.min(x) FROM unnest(gs) x), (SELECT pointsys.max(x) FROM unnest(gs) x));
			stage := 'check';
			-- the extended hash with seed 0 agrees with the plain hash in its
			-- low 32 bits (hash opclass contract); equal grades hash equal
			IF (pointsys.grade_hash_extended(g1, 0) & 4294967295) <> (pointsys.grade_hash(g1)::bigint & 4294967295)
			   OR (c1 = c2 AND (pointsys.grade_hash(g1) <> pointsys.grade_hash(g2)
								OR pointsys.grade_hash_extended(g1, k) <> pointsys.grade_hash_extended(g2, k))) THEN
				RAISE SQLSTATE 'PZINV' USING MESSAGE = format('grade hashes of %s and %s break the hash contract', g1, g2);
			END IF;
			stage := 'call';

		-- The triggers.  a[2] is the role: super (the superuser),
		-- admin (pointsys_admin), recorder (pointsys_recorder, recorder of
		-- b1), nobody (no pointsys role).
		WHEN 'score' THEN
			t1 := a[3]; d1 := a[4]::date; t2 := a[5]; n1 := a[6]::numeric;
			kd := a[8]::date; msk := a[10]::int;
			stage := 'oracle';
			expect := CASE WHEN op = 'ins' AND a[2] = 'super' THEN o_score_ins(t1, d1, t2, n1) END;
			stage := as_role(a[2]);
			CASE op
			WHEN 'ins' THEN
				INSERT INTO pointsys.score (member_id, month, item, points) VALUES (t1, d1, t2, n1)
				RETURNING month INTO d2;
				stage := 'check';
				PERFORM set_config('role', 'none', true);
				PERFORM check_stored_month(d1, d2);
				stage := call_stage(a[2]);
			ELSE
				EXECUTE keyed_write(op, 'score', '{member_id,month,item,points}', 'member_id = $6 AND month = $7 AND item = $8')
					USING t1, d1, t2, n1, msk, a[7], kd, a[9];
			END CASE;

		WHEN 'award' THEN
			t1 := a[3]; d1 := a[4]::date; t2 := a[5]; i1 := a[6]::int; msk := a[7]::int;
			stage := as_role(a[2]);
			CASE op
			WHEN 'ins' THEN
				INSERT INTO pointsys.award (member_id, month, kind) VALUES (t1, d1, t2) RETURNING month INTO d2;
				stage := 'check';
				PERFORM set_config('role', 'none', true);
				PERFORM check_stored_month(d1, d2);
				stage := call_stage(a[2]);
			ELSE
				EXECUTE keyed_write(op, 'award', '{member_id,month,kind}', 'award_id = $5') USING t1, d1, t2, msk, i1;
			END CASE;

		WHEN 'evaluation' THEN
			t1 := a[3]; i1 := a[4]::int; n1 := a[5]::numeric; i2 := a[7]::int; msk := a[8]::int;
			stage := 'oracle';
			expect := CASE WHEN op = 'ins' AND a[2] = 'super' THEN o_evaluation_ins(t1, i1, n1) END;
			stage := as_role(a[2]);
			CASE op
			WHEN 'ins' THEN
				INSERT INTO pointsys.evaluation (member_id, year, democratic) VALUES (t1, i1, n1);
			ELSE
				EXECUTE keyed_write(op, 'evaluation', '{member_id,year,democratic}', 'member_id = $5 AND year = $6')
					USING t1, i1, n1, msk, a[6], i2;
			END CASE;

		WHEN 'sanction' THEN
			t1 := a[3]; t2 := a[4]; d1 := a[5]::date; d2 := a[6]::date; i1 := a[7]::int; msk := a[8]::int;
			stage := 'oracle';
			expect := CASE WHEN op = 'ins' AND a[2] = 'super' THEN o_sanction_ins(t1, t2, d1, d2) END;
			stage := as_role(a[2]);
			CASE op
			WHEN 'ins' THEN
				INSERT INTO pointsys.sanction (member_id, kind, effective_on, lifted_on) VALUES (t1, t2, d1, d2);
			ELSE
				EXECUTE keyed_write(op, 'sanction', '{member_id,kind,effective_on,lifted_on}', 'sanction_id = $6')
					USING t1, t2, d1, d2, msk, i1;
			END CASE;

		WHEN 'period' THEN
			t1 := a[3]; i1 := a[4]::int; i2 := a[5]::int; t2 := a[6]; t3 := a[7];
			kd := make_date(a[9]::int, 1, 1); msk := a[11]::int;
			IF t3 IS NOT NULL AND op <> 'reopen' THEN
				PERFORM set_config('pointsys.reason', t3, true);
			END IF;
			stage := as_role(a[2]);
			CASE op
			WHEN 'ins' THEN
				INSERT INTO pointsys.period (branch_id, year, quarter, status) VALUES (t1, i1, i2, t2);
			WHEN 'upd', 'del' THEN
				EXECUTE keyed_write(op, 'period', '{branch_id,year,quarter,status}', 'branch_id = $6 AND year = $7 AND quarter = $8')
					USING t1, i1, i2, t2, msk, a[8], a[9]::int, a[10]::int;
			WHEN 'advance' THEN
				PERFORM pointsys.advance(t1, i1, i2);
			ELSE
				PERFORM pointsys.reopen(t1, i1, i2, t3);
			END CASE;

		WHEN 'paperwork' THEN
			t1 := a[3]; i1 := a[4]::int; i2 := a[5]::int; t2 := a[6]; n1 := a[7]::numeric; t3 := a[8];
			stage := as_role(a[2]);
			CASE op
			WHEN 'publicity' THEN
				PERFORM count(*) FROM pointsys.publicity(t1, i1, i2);
			WHEN 'annual_publicity' THEN
				PERFORM count(*) FROM pointsys.annual_publicity(t1, i1);
			WHEN 'points_needed' THEN
				PERFORM count(*) FROM pointsys.points_needed(t2, i1, n1);
			WHEN 'record_sheet_html' THEN
				PERFORM length(pointsys.record_sheet_html(t1, i1, i2));
			WHEN 'publicity_html' THEN
				PERFORM length(pointsys.publicity_html(t1, i1, i2));
			ELSE
				INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES (t2, i1, t3);
			END CASE;

		-- Changes of membership (a[4..], one statement each).  The oracle: a
		-- month with scores or awards of a member they name keeps its branch
		-- unless its quarter is recording in the old branch and the new
		-- (README, Transfers: a verified quarter's rows never change branch
		-- without an audited reopen); member.branch_id is the latest row's.
		WHEN 'membership' THEN
			mems := string_to_array(a[3], ',');
			SELECT coalesce(array_agg(mm.member_id ORDER BY mm.member_id, mm.month), '{}'),
				   coalesce(array_agg(mm.month ORDER BY mm.member_id, mm.month), '{}'),
				   coalesce(array_agg(pointsys.branch_of(mm.member_id, mm.month) ORDER BY mm.member_id, mm.month), '{}')
			INTO mem_arr, mon_arr, br_arr
			FROM pointsys.member_month mm WHERE mm.member_id = ANY (mems);
			stage := as_role(a[2]);
			FOR i IN 4 .. cardinality(a) LOOP
				EXECUTE a[i];
			END LOOP;
			stage := 'check';
			PERFORM set_config('role', 'none', true);
			SELECT string_agg(format('%s %s: %s -> %s (%s)', u.m, to_char(u.d, 'YYYY-MM'), u.b, x.nb,
									 (SELECT string_agg(p.branch_id || ' ' || p.status, ', ' ORDER BY p.branch_id)
									  FROM pointsys.period p
									  WHERE p.branch_id IN (u.b, x.nb) AND p.year = pointsys.year_of(u.d)
										AND p.quarter = pointsys.quarter_of(u.d) AND p.status <> 'recording')), '; ')
			INTO got_r
			FROM unnest(mem_arr, mon_arr, br_arr) u(m, d, b)
			CROSS JOIN LATERAL (SELECT pointsys.branch_of(u.m, u.d) AS nb) x
			WHERE x.nb IS DISTINCT FROM u.b
			  AND EXISTS (SELECT FROM pointsys.period p
						  WHERE p.branch_id IN (u.b, x.nb) AND p.year = pointsys.year_of(u.d)
							AND p.quarter = pointsys.quarter_of(u.d) AND p.status <> 'recording');
			IF got_r IS NOT NULL THEN
				RAISE SQLSTATE 'PZINV' USING MESSAGE = 'months with records moved out of or into a quarter not recording: ' || got_r;
			END IF;
			SELECT string_agg(m.member_id || ' ' || m.branch_id, ', ') INTO got_r
			FROM pointsys.member m
			WHERE m.member_id = ANY (mems)
			  AND m.branch_id IS DISTINCT FROM (SELECT s.branch_id FROM pointsys.membership s
												WHERE s.member_id = m.member_id ORDER BY s.since DESC LIMIT 1);
			IF got_r IS NOT NULL THEN
				RAISE SQLSTATE 'PZINV' USING MESSAGE = 'member.branch_id is not the latest membership row''s: ' || got_r;
			END IF;
			stage := call_stage(a[2]);

		-- Free text of a[4] characters (a[5] repeated) into a[1], a new row
		-- (ins) or an existing one (upd).  The oracle: accepted exactly when
		-- the length is within the column's limit (500 for notes and
		-- descriptions, 100 for names and titles), else 22001; 42501 for a
		-- role that may not write the table.
		WHEN 'text_length' THEN
			t1 := left(repeat(a[5], a[4]::int / greatest(length(a[5]), 1) + 1), a[4]::int);
			IF a[1] = 'mentoring.note' AND a[3] = 'upd' THEN
				INSERT INTO pointsys.mentoring (member_id, year, mentor_id) VALUES ('m13', 2024, 'm01');
			END IF;
			-- an award in a quarter that records (m01's January is in b1's
			-- verified 2024-Q1)
			IF a[1] = 'award.description' AND a[3] = 'upd' THEN
				INSERT INTO pointsys.award (member_id, month, kind) VALUES ('m01', '2024-05-01', 'county');
			END IF;
			expect := CASE WHEN a[2] = 'nobody' OR (a[2] = 'recorder' AND a[1] NOT IN ('score.note', 'award.description', 'mentoring.note'))
							 THEN '42501'
						   WHEN length(t1) <= CASE WHEN a[1] LIKE '%.name' OR a[1] LIKE '%.title' THEN 100 ELSE 500 END THEN '00000'
						   ELSE '22001' END;
			stage := as_role(a[2]);
			CASE a[1] || ' ' || a[3]
			WHEN 'score.note ins' THEN
				INSERT INTO pointsys.score (member_id, month, item, points, note) VALUES ('m01', '2024-05-01', 'fuzz_item', 1, t1);
			WHEN 'score.note upd' THEN
				UPDATE pointsys.score SET note = t1 WHERE member_id = 'm01' AND month = '2024-05-01' AND item = 'study_notes';
			WHEN 'award.description ins' THEN
				INSERT INTO pointsys.award (member_id, month, kind, description) VALUES ('m01', '2024-05-01', 'county', t1);
			WHEN 'award.description upd' THEN
				UPDATE pointsys.award SET description = t1 WHERE member_id = 'm01' AND month = '2024-05-01' AND kind = 'county';
			WHEN 'mentoring.note ins' THEN
				INSERT INTO pointsys.mentoring (member_id, year, mentor_id, note) VALUES ('m13', 2024, 'm01', t1);
			WHEN 'mentoring.note upd' THEN
				UPDATE pointsys.mentoring SET note = t1 WHERE member_id = 'm13' AND year = 2024;
			WHEN 'sanction.note ins' THEN
				INSERT INTO pointsys.sanction (member_id, kind, effective_on, note) VALUES ('m01', 'warning', '2024-02-01', t1);
			WHEN 'sanction.note upd' THEN
				UPDATE pointsys.sanction SET note = t1 WHERE member_id = 'm14';
			WHEN 'branch.name ins' THEN
				INSERT INTO pointsys.branch VALUES ('bz', t1);
			WHEN 'branch.name upd' THEN
				UPDATE pointsys.branch SET name = t1 WHERE branch_id = 'b3';
			WHEN 'member.name ins' THEN
				INSERT INTO pointsys.member (member_id, name, branch_id) VALUES ('mz', t1, 'b3');
			WHEN 'member.name upd' THEN
				UPDATE pointsys.member SET name = t1 WHERE member_id = 'm03';
			WHEN 'category.title ins' THEN
				INSERT INTO pointsys.category (category, title, cap) VALUES ('fz', t1, 5);
			WHEN 'category.title upd' THEN
				UPDATE pointsys.category SET title = t1 WHERE category = 'study';
			WHEN 'item.title ins' THEN
				INSERT INTO pointsys.item (item, category, title, max_points, step) VALUES ('fz_item', 'study', t1, 1, 0.5);
			WHEN 'item.title upd' THEN
				UPDATE pointsys.item SET title = t1 WHERE item = 'fuzz_item';
			WHEN 'award_kind.title ins' THEN
				INSERT INTO pointsys.award_kind (kind, title, points) VALUES ('fz_kind', t1, 1);
			ELSE
				UPDATE pointsys.award_kind SET title = t1 WHERE kind = 'county';
			END CASE;

		-- A democratic appraisal round (appraisal_run): its last step's
		-- SQLSTATE is the input's; an oracle's disagreement is PZINV
		WHEN 'appraisal' THEN
			i1 := a[4]::int; c1 := a[5]::int; c2 := a[6]::int; ns := a[7]::numeric[]; i2 := a[8]::int;
			msk := a[10]::int;
			stage := call_stage(a[2]);
			BEGIN
				SELECT r.state, r.message INTO t1, t2
				FROM appraisal_run(a[1], a[2], a[3], i1, c1, c2, ns, i2, a[9]::jsonb, msk, a[11]) r;
			EXCEPTION WHEN SQLSTATE 'PZINV' THEN
				GET STACKED DIAGNOSTICS t2 = MESSAGE_TEXT;
				stage := 'check';
				RAISE SQLSTATE 'PZINV' USING MESSAGE = t2;
			END;
			IF t1 <> '00000' THEN
				RAISE USING ERRCODE = t1, MESSAGE = t2;
			END IF;
			got_r := t2;

		WHEN 'member' THEN
			d1 := a[4]::date; d2 := a[5]::date; t1 := a[6]; t2 := a[7]; msk := a[8]::int;
			stage := as_role(a[2]);
			EXECUTE keyed_write(op, 'member', '{joined_on,left_on,member_id,branch_id}', 'member_id = $6')
				USING d1, d2, t1, t2, msk, a[3];

		WHEN 'rulebook' THEN
			t1 := a[3]; t2 := a[4]; n1 := a[5]::numeric; n2 := a[6]::numeric; t3 := a[7]; msk := a[8]::int;
			stage := as_role(a[2]);
			CASE op
			WHEN 'item_ins' THEN
				INSERT INTO pointsys.item (item, category, title, max_points, step) VALUES (t1, t3, t2, n1, n2);
			WHEN 'kind_ins' THEN
				INSERT INTO pointsys.award_kind (kind, title, points) VALUES (t1, t2, n1);
			WHEN 'cat_ins' THEN
				INSERT INTO pointsys.category (category, title, cap) VALUES (t1, t2, n1);
			WHEN 'item_upd', 'item_del' THEN
				EXECUTE keyed_write(right(op, 3), 'item', '{max_points,step,title}', 'item = $5') USING n1, n2, t2, msk, t1;
			WHEN 'kind_upd', 'kind_del' THEN
				EXECUTE keyed_write(right(op, 3), 'award_kind', '{points,title}', 'kind = $4') USING n1, t2, msk, t1;
			ELSE
				EXECUTE keyed_write(right(op, 3), 'category', '{category,cap,title}', 'category = $5') USING t3, n1, t2, msk, t1;
			END CASE;

		-- A trigger function on a table of the caller's (a[2]): the table,
		-- made by the caller, with its distinct columns and one row (NULLs
		-- where a value does not fit its type), then CREATE TRIGGER and the
		-- event that fires it.  Only the superuser may attach it, and it
		-- must then refuse to fire: nothing may succeed.
		WHEN 'lookalike' THEN
			PERFORM as_role(a[2]);
			cols := '{}'; defs := '{}'; vals := '{}';
			FOR i IN 0 .. (cardinality(a) - 6) / 3 - 1 LOOP
				CONTINUE WHEN a[7 + 3 * i] = ANY (cols);
				cols := cols || a[7 + 3 * i];
				defs := defs || format('%I %s', a[7 + 3 * i], a[8 + 3 * i]);
				vals := vals || format('%L::%s', a[9 + 3 * i], a[8 + 3 * i]);
			END LOOP;
			EXECUTE format('CREATE TEMP TABLE %I (%s)', a[3], array_to_string(defs, ', '));
			BEGIN
				EXECUTE format('INSERT INTO pg_temp.%I VALUES (%s)', a[3], array_to_string(vals, ', '));
			EXCEPTION WHEN OTHERS THEN
				EXECUTE format('INSERT INTO pg_temp.%I DEFAULT VALUES', a[3]);
			END;
			stage := call_stage(a[2]);
			expect := CASE WHEN a[2] = 'super' THEN '39P01|0A000|42P17'
						   ELSE '42501|0A000' || CASE WHEN a[1] = 'drop_guard' THEN '|42P17' ELSE '' END END;
			EXECUTE format('CREATE TRIGGER lookalike %s %s ON pg_temp.%I FOR EACH %s EXECUTE FUNCTION pointsys.%I()',
						   a[4], a[6], a[3], a[5], a[1]);
			EXECUTE CASE a[6]
				WHEN 'INSERT' THEN format('INSERT INTO pg_temp.%I DEFAULT VALUES', a[3])
				WHEN 'UPDATE' THEN format('UPDATE pg_temp.%I SET %I = %I', a[3], cols[1], cols[1])
				WHEN 'DELETE' THEN format('DELETE FROM pg_temp.%I', a[3])
				ELSE format('TRUNCATE pg_temp.%I', a[3]) END;
		END CASE;
		RAISE SQLSTATE 'PZOK0';			-- roll the input back
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
	END;
	IF state = 'PZOK0' THEN
		state := '00000';
		message := got_r;
	END IF;
	IF expect IS NOT NULL AND stage LIKE 'call%'
	   AND NOT (state = ANY (string_to_array(expect, '|'))
				AND (state <> '00000' OR expect_r IS NOT DISTINCT FROM got_r OR p_target IN ('score', 'evaluation', 'sanction', 'text_length'))) THEN
		message := format('expected %s%s, got %s: %s', expect,
						  CASE WHEN expect = '00000' THEN ' ' || coalesce(quote_literal(expect_r), 'NULL') ELSE '' END,
						  state, coalesce(message, 'NULL'));
		state := 'PZINV';
		stage := 'check';
	END IF;
END $$;

-- The stage name of a role, and switching to it for the rest of the
-- subtransaction (the error or PZOK0 that ends it switches back)
CREATE FUNCTION call_stage(who text) RETURNS text LANGUAGE sql IMMUTABLE AS
	$$SELECT CASE who WHEN 'super' THEN 'call' ELSE 'call:' || who END$$;
CREATE FUNCTION as_role(who text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	IF who <> 'super' THEN
		PERFORM set_config('role', 'fuzz_' || who, true);
	END IF;
	RETURN call_stage(who);
END $$;
GRANT USAGE ON SCHEMA fuzz TO fuzz_admin, fuzz_recorder, fuzz_nobody, fuzz_voter;

------------------------------------------------------------------------
-- Counting
------------------------------------------------------------------------

CREATE TABLE counts (
	target text NOT NULL,
	stage text NOT NULL,
	sqlstate text NOT NULL,
	n bigint NOT NULL,
	example_idx bigint,
	example_input text,
	example_message text,
	PRIMARY KEY (target, stage, sqlstate)
);

-- Outcomes that are not allowed: the first 5 inputs of each
CREATE TABLE failures (
	target text NOT NULL,
	stage text NOT NULL,
	sqlstate text NOT NULL,
	idx bigint NOT NULL,
	input text,
	message text,
	replay text
);

CREATE TABLE progress (
	ord int PRIMARY KEY,
	target text UNIQUE NOT NULL,
	requested bigint NOT NULL,
	done bigint NOT NULL DEFAULT 0,
	crashes int NOT NULL DEFAULT 0,
	seconds numeric NOT NULL DEFAULT 0	-- running inputs (not restarts and replays after crashes)
);

-- run(target, seed, first, count): inputs first .. first + count - 1,
-- counted into counts and failures.  With verbose, each input is printed
-- (NOTICE "fuzz input <target> <idx> <args>") before it runs and nothing
-- is recorded: sql_fuzz.sh replays a crashed batch so.
CREATE FUNCTION run(p_target text, p_seed bigint, p_first bigint, p_count bigint, p_verbose boolean DEFAULT false)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	keys text[] := '{}';
	ns bigint[] := '{}';
	ex_idx bigint[] := '{}';
	ex_in text[] := '{}';
	ex_msg text[] := '{}';
	ok text[];
	a text[];
	r record;
	k text;
	pos int;
BEGIN
	SELECT coalesce(array_agg(stage || '|' || sqlstate), '{}') INTO ok FROM allowed WHERE target = p_target;
	FOR idx IN p_first .. p_first + p_count - 1 LOOP
		a := gen(p_target, p_seed, idx);
		IF p_verbose THEN
			RAISE NOTICE 'fuzz input % % %', p_target, idx, a;
		END IF;
		r := exec(p_target, a);
		k := r.stage || '|' || r.state;
		pos := array_position(keys, k);
		IF pos IS NULL THEN
			keys := keys || k;
			ns := ns || 1::bigint;
			ex_idx := ex_idx || idx;
			ex_in := ex_in || a::text;
			ex_msg := ex_msg || left(r.message, 300);
		ELSE
			ns[pos] := ns[pos] + 1;
		END IF;
		IF NOT p_verbose AND k <> ALL (ok)
		   AND (SELECT count(*) FROM failures f
				WHERE f.target = p_target AND f.stage = r.stage AND f.sqlstate = r.state) < 5 THEN
			INSERT INTO failures
			VALUES (p_target, r.stage, r.state, idx, a::text, r.message,
					format('SELECT * FROM fuzz.replay(%L, %s, %s);', p_target, p_seed, idx));
		END IF;
	END LOOP;
	IF NOT p_verbose THEN
		INSERT INTO counts AS c
		SELECT p_target, split_part(u.k, '|', 1), split_part(u.k, '|', 2), u.n, u.i, u.inp, u.msg
		FROM unnest(keys, ns, ex_idx, ex_in, ex_msg) u (k, n, i, inp, msg)
		ON CONFLICT (target, stage, sqlstate) DO UPDATE SET n = c.n + excluded.n;
	END IF;
	RETURN p_count;
END $$;

-- plan(targets, per_target): start a run (at least each target's corpus)
CREATE FUNCTION plan(p_targets text[], p_per_target bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	bad text;
BEGIN
	SELECT string_agg(x, ', ') INTO bad FROM unnest(p_targets) x WHERE x NOT IN (SELECT target FROM target);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'unknown targets: %', bad USING HINT = 'Targets are listed in fuzz.target.';
	END IF;
	DELETE FROM counts;
	DELETE FROM failures;
	DELETE FROM progress;
	INSERT INTO progress (ord, target, requested)
	SELECT t.ord, t.target, greatest(p_per_target, (SELECT count(*) FROM corpus c WHERE c.target = t.target))
	FROM target t WHERE t.target = ANY (p_targets);
	RETURN (SELECT sum(requested) FROM progress);
END $$;

-- run_all(seed, batch): every unfinished target, a batch per transaction;
-- a target that crashed max_crashes times stops
CREATE PROCEDURE run_all(p_seed bigint, p_batch bigint, p_max_crashes int DEFAULT 10) LANGUAGE plpgsql AS $$
DECLARE
	t text;
	first bigint;
	n bigint;
	t0 timestamptz;
BEGIN
	LOOP
		SELECT p.target, p.done, least(p_batch, p.requested - p.done) INTO t, first, n
		FROM progress p WHERE p.done < p.requested AND p.crashes < p_max_crashes ORDER BY p.ord LIMIT 1;
		EXIT WHEN NOT FOUND;
		t0 := clock_timestamp();
		PERFORM run(t, p_seed, first, n);
		UPDATE progress SET done = done + n,
							seconds = seconds + extract(epoch FROM clock_timestamp() - t0)
		WHERE target = t;
		COMMIT;
	END LOOP;
END $$;

-- record_crash: input culprit (or, if the replay did not crash, somewhere
-- in [first, first + count)) crashed the backend.  The inputs before it
-- are counted, it is counted as CRASH, and the target goes on after it.
CREATE FUNCTION record_crash(p_target text, p_seed bigint, p_first bigint, p_count bigint, p_culprit bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	a text[];
	at bigint := CASE WHEN p_culprit >= p_first THEN p_culprit ELSE p_first END;
	t0 timestamptz := clock_timestamp();
BEGIN
	IF p_culprit >= p_first THEN
		PERFORM run(p_target, p_seed, p_first, p_culprit - p_first);
	END IF;
	a := gen(p_target, p_seed, at);
	INSERT INTO counts AS c
	VALUES (p_target, 'crash', 'CRASH', 1, at, a::text, 'the backend crashed')
	ON CONFLICT (target, stage, sqlstate) DO UPDATE SET n = c.n + 1;
	INSERT INTO failures
	SELECT p_target, 'crash', 'CRASH', at, a::text,
			CASE WHEN p_culprit >= p_first THEN 'the backend crashed on this input'
				 ELSE format('the backend crashed in batch [%s, %s); it did not recur when replayed alone',
							 p_first, p_first + p_count) END,
			format('SELECT * FROM fuzz.replay(%L, %s, %s);', p_target, p_seed, at)
	WHERE (SELECT count(*) FROM failures f WHERE f.target = p_target AND f.sqlstate = 'CRASH') < 5;
	UPDATE progress
	SET done = CASE WHEN p_culprit >= p_first THEN p_culprit + 1 ELSE p_first + p_count END,
		crashes = crashes + 1,
		seconds = seconds + extract(epoch FROM clock_timestamp() - t0)
	WHERE target = p_target;
END $$;

-- replay(target, seed, idx): run one input again, and show it
CREATE FUNCTION replay(p_target text, p_seed bigint, p_idx bigint,
					   OUT stage text, OUT sqlstate text, OUT message text, OUT input text)
LANGUAGE plpgsql AS $$
DECLARE
	a text[] := gen(p_target, p_seed, p_idx);
	r record;
BEGIN
	r := exec(p_target, a);
	stage := r.stage;
	sqlstate := r.state;
	message := r.message;
	input := a::text;
END $$;

-- The binary path really reaches grade_recv: a byte 2 loads 良好, a byte 7
-- is refused with grade_recv's own message (COPY's framing errors read
-- "incorrect binary data format" instead)
CREATE FUNCTION self_test() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	r := exec('grade_recv', ARRAY['\x02']);
	IF r.state <> '00000' OR r.message IS DISTINCT FROM '良好' THEN
		RAISE EXCEPTION 'binary COPY of byte 2: % %, expected 00000 良好', r.state, r.message;
	END IF;
	r := exec('grade_recv', ARRAY['\x07']);
	IF r.state <> '22P03' OR r.message IS DISTINCT FROM 'invalid binary grade 7' THEN
		RAISE EXCEPTION 'binary COPY of byte 7: % %, expected 22P03 "invalid binary grade 7"', r.state, r.message;
	END IF;
	RETURN 'ok: byte 2 loads 良好; byte 7 gives 22P03 "invalid binary grade 7" (grade_recv''s message)';
END $$;

CREATE VIEW report AS
SELECT c.target, c.stage, c.sqlstate, c.n,
	   CASE WHEN a.sqlstate IS NOT NULL THEN 'ok' ELSE 'NOT ALLOWED' END AS verdict
FROM counts c
JOIN target t ON t.target = c.target
LEFT JOIN allowed a ON a.target = c.target AND a.stage = c.stage AND a.sqlstate = c.sqlstate
ORDER BY t.ord, c.stage, c.sqlstate;

CREATE VIEW progress_report AS
SELECT p.target, p.requested, p.done,
	   (SELECT coalesce(sum(c.n), 0) FROM counts c WHERE c.target = p.target) AS ran,
	   p.crashes, round(p.seconds, 1) AS seconds
FROM progress p ORDER BY p.ord;

-- One function per target: fuzz_<target>(seed, count) runs inputs 0 .. count - 1
DO $$
DECLARE
	t text;
BEGIN
	FOR t IN SELECT target FROM target ORDER BY ord LOOP
		EXECUTE format('CREATE FUNCTION %I(seed bigint, count bigint) RETURNS bigint LANGUAGE sql
						AS %L', 'fuzz_' || t, format('SELECT fuzz.run(%L, seed, 0, count)', t));
	END LOOP;
END $$;
