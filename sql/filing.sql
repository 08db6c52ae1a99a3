--
-- filing: 上报备案 and 积分核查 (issue 25).  A quarter moving to filed
-- gets a digest of its ledger (doc/filing.md), kept with every earlier one;
-- verify_quarter and filing_mismatches find a ledger changed around
-- pointsys (replica mode, triggers off) and name the rows that differ from
-- the audit trail, while honest histories (corrections before filing,
-- reopen and refile, transfers, rulebook edits) verify clean.  Branches
-- da and db, year 2016, which no other test uses.
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

CREATE ROLE regress_da_rec LOGIN IN ROLE pointsys_recorder;
CREATE ROLE regress_db_rec LOGIN IN ROLE pointsys_recorder;
CREATE ROLE regress_d_admin LOGIN IN ROLE pointsys_admin;
CREATE ROLE regress_d_reader LOGIN IN ROLE pointsys_reader;

INSERT INTO branch VALUES ('da', '备案甲支部'), ('db', '备案乙支部');
INSERT INTO member (member_id, name, branch_id, joined_on) VALUES
	('d1', '甲一', 'da', NULL), ('d2', '甲二', 'da', NULL), ('d3', '乙一', 'db', NULL),
	('d4', '转一', 'da', NULL), (E'd5\tx', '怪名', 'da', NULL);
-- d4 moves from da to db in February 2016
INSERT INTO membership VALUES ('d4', 'db', '2016-02-01');
INSERT INTO recorder VALUES ('da', 'regress_da_rec', '2016-01-05'), ('db', 'regress_db_rec', '2016-01-05');
INSERT INTO setting VALUES ('publicity_days', 0);

INSERT INTO score (member_id, month, item, points)
SELECT m, make_date(2016, mo, 1), i, p
FROM (VALUES ('d1', 'study_training', 4), ('d1', 'role', 18.5), ('d2', 'role', 20), ('d3', 'on_time', 6),
			 ('d4', 'liaison', 5), (E'd5\tx', 'exceed', 3)) v(m, i, p),
	 generate_series(1, 3) mo;
INSERT INTO award (member_id, month, kind) VALUES
	('d1', '2016-01-10', 'major_contribution'), ('d1', '2016-01-20', 'major_contribution'),
	('d1', '2016-01-30', 'county'), ('d2', '2016-03-03', 'above_county');

------------------------------------------------------------------------
-- 1. the serialisation (doc/filing.md): d4's January only (then db's),
-- d1's January reward capped at 10, the tab in d5's id escaped
------------------------------------------------------------------------
SELECT ledger_text('da', 2016, 1);
SELECT ledger_digest('da', 2016, 1) = encode(sha256(convert_to(ledger_text('da', 2016, 1), 'UTF8')), 'hex') AS digest_of_text;

------------------------------------------------------------------------
-- 2. a correction before filing, then approved, publicized and filed by
-- the recorder: the filing row holds the digest of the corrected ledger
------------------------------------------------------------------------
SET ROLE regress_da_rec;
UPDATE score SET points = 19 WHERE member_id = 'd1' AND item = 'role' AND month = '2016-02-01';
SELECT advance('da', 2016, 1), advance('da', 2016, 1);
SELECT count(*) AS filings_before FROM filing;
SELECT advance('da', 2016, 1);
SELECT branch_id, year, quarter, filing, filed_by, digest = ledger_digest('da', 2016, 1) AS digest_now FROM filing;
-- she verifies her branch: it matches; she is not shown audit rows
SELECT status, filing, matches, differences FROM verify_quarter('da', 2016, 1);
SELECT * FROM filing_mismatches;
-- not another branch's (42501, whether it exists or not)
SELECT pg_temp.try($$SELECT * FROM pointsys.verify_quarter('db', 2016, 1)$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.verify_quarter('no such', 2016, 1)$$);
SELECT pg_temp.try($$SELECT pointsys.ledger_text('db', 2016, 1)$$);
RESET ROLE;
SET ROLE regress_db_rec;
SELECT count(*) AS filings_seen FROM filing;
RESET ROLE;
-- a login without pointsys rights
SET ROLE regress_nobody;
SELECT pg_temp.try($$SELECT * FROM pointsys.verify_quarter('da', 2016, 1)$$) LIKE '42501 %' AS refused;
RESET ROLE;
SET ROLE regress_d_reader;
SELECT status, filing, matches, differences FROM verify_quarter('da', 2016, 1);
SELECT count(*) AS mismatches FROM filing_mismatches;
RESET ROLE;
-- the printed sheets carry the first 16 hex digits, grouped
SELECT strpos(record_sheet_html('da', 2016, 1),
			  (SELECT substr(digest, 1, 4) || ' ' || substr(digest, 5, 4) || ' ' || substr(digest, 9, 4) || ' '
					  || substr(digest, 13, 4) FROM filing)) > 0 AS record_sheet_prints_it,
	   strpos(publicity_html('da', 2016, 1),
			  (SELECT substr(digest, 1, 4) || ' ' || substr(digest, 5, 4) FROM filing)) > 0 AS publicity_prints_it,
	   strpos(record_sheet_html('da', 2016, 1), '第1次备案') > 0 AS numbered;
-- before filing, the sheet prints the ledger's digest now
SELECT strpos(record_sheet_html('db', 2016, 1), '尚未备案') > 0 AS not_filed_yet;
-- nobody writes filings by hand, not even the bureau
SET ROLE regress_d_admin;
SELECT pg_temp.try($$DELETE FROM pointsys.filing$$);
SELECT pg_temp.try($$INSERT INTO pointsys.filing VALUES ('da', 2016, 2, 1, now(), 'x', repeat('0', 64))$$);
RESET ROLE;
-- the filing row is pointsys's, not audited (it would credit the owner);
-- the audited change of the period to filed names who filed
SELECT count(*) AS filing_audit_rows FROM audit WHERE table_name = 'filing';
SELECT a.acting_as, a.new_row->>'status' AS status, f.filed_by
FROM audit a JOIN filing f ON f.branch_id = a.new_row->>'branch_id' AND f.year = (a.new_row->>'year')::int
	AND f.quarter = (a.new_row->>'quarter')::int AND f.filing = 1
WHERE a.table_name = 'period' AND a.new_row->>'branch_id' = 'da' AND a.new_row->>'status' = 'filed';

------------------------------------------------------------------------
-- 3. honest histories after filing: another branch's months of a
-- transferred member, a rulebook edit, the quarter verified
------------------------------------------------------------------------
INSERT INTO score VALUES ('d4', '2016-03-01', 'mass_work', 5);
UPDATE item SET max_points = 5, title = '积极参加组织安排的学习培训活动（改）' WHERE item = 'study_training';
INSERT INTO award_kind VALUES ('city', '市级表彰', 3);
SET ROLE regress_d_admin;
SELECT advance('da', 2016, 1);
SELECT status, filing, matches FROM verify_quarter('da', 2016, 1);
SELECT count(*) AS mismatches FROM filing_mismatches;
RESET ROLE;

------------------------------------------------------------------------
-- 4. tampering around pointsys, as a superuser, is found and named
------------------------------------------------------------------------
-- an UPDATE in replica mode (no trigger fires: no audit row)
SET session_replication_role = replica;
UPDATE score SET points = 20 WHERE member_id = 'd1' AND item = 'role' AND month = '2016-03-01';
RESET session_replication_role;
SELECT status, matches, jsonb_path_query_array(differences, '$[*].key') AS keys,
	   jsonb_path_query_array(differences, '$[*].audited.points') AS audited,
	   jsonb_path_query_array(differences, '$[*].current.points') AS current
FROM verify_quarter('da', 2016, 1);
SELECT branch_id, year, quarter, status, filing, filed_digest <> current_digest AS differs FROM filing_mismatches;
SELECT strpos(record_sheet_html('da', 2016, 1), '台账与备案不符') > 0 AS sheet_says_so;
-- put back as it was: the digest matches again
SET session_replication_role = replica;
UPDATE score SET points = 18.5 WHERE member_id = 'd1' AND item = 'role' AND month = '2016-03-01';
RESET session_replication_role;
SELECT matches FROM verify_quarter('da', 2016, 1);
-- the same value written with more zeros is the same figure
SET session_replication_role = replica;
UPDATE score SET points = 18.50 WHERE member_id = 'd1' AND item = 'role' AND month = '2016-03-01';
RESET session_replication_role;
SELECT matches FROM verify_quarter('da', 2016, 1);
-- a DELETE with the triggers disabled
ALTER TABLE award DISABLE TRIGGER ALL;
DELETE FROM award WHERE member_id = 'd2';
ALTER TABLE award ENABLE TRIGGER ALL;
SELECT matches, jsonb_path_query_array(differences, '$[*].table') AS tables,
	   jsonb_path_query_array(differences, '$[*].current') AS current
FROM verify_quarter('da', 2016, 1);
-- a row slipped in (replica mode), and the award put back
SET session_replication_role = replica;
INSERT INTO score (member_id, month, item, points, recorded_by, recorded_at)
VALUES ('d2', '2016-01-01', 'volunteer', 5, 'regress_da_rec', '2016-02-01');
INSERT INTO award (award_id, member_id, month, kind, recorded_by, recorded_at)
OVERRIDING SYSTEM VALUE
SELECT (new_row->>'award_id')::int8, 'd2', '2016-03-01', 'above_county', 'x', now()
FROM audit WHERE table_name = 'award' AND new_row->>'member_id' = 'd2';
RESET session_replication_role;
SELECT matches, jsonb_path_query_array(differences, '$[*].key') AS keys,
	   jsonb_path_query_array(differences, '$[*].audited.points') AS audited,
	   jsonb_path_query_array(differences, '$[*].current.points') AS current
FROM verify_quarter('da', 2016, 1);
-- even a superuser's plain DELETE is refused: the quarter is verified
SELECT pg_temp.try($$DELETE FROM pointsys.score WHERE member_id = 'd2' AND item = 'volunteer'$$);
SET session_replication_role = replica;
DELETE FROM score WHERE member_id = 'd2' AND item = 'volunteer';
RESET session_replication_role;
SELECT matches, differences FROM verify_quarter('da', 2016, 1);
-- a membership moved around pointsys: the digest sees it, no score row differs
ALTER TABLE membership DISABLE TRIGGER ALL;
UPDATE membership SET branch_id = 'db' WHERE member_id = 'd2';
ALTER TABLE membership ENABLE TRIGGER ALL;
SELECT matches, differences FROM verify_quarter('da', 2016, 1);
ALTER TABLE membership DISABLE TRIGGER ALL;
UPDATE membership SET branch_id = 'da' WHERE member_id = 'd2';
ALTER TABLE membership ENABLE TRIGGER ALL;
SELECT matches FROM verify_quarter('da', 2016, 1);
-- a period row set to filed around pointsys has no filing: listed
SET session_replication_role = replica;
INSERT INTO period (branch_id, year, quarter, status) VALUES ('db', 2016, 2, 'filed');
RESET session_replication_role;
SELECT branch_id, year, quarter, status, filing, filed_digest FROM filing_mismatches ORDER BY 1, 2, 3;

------------------------------------------------------------------------
-- 5. reopen and refile: both filings kept with their dates
------------------------------------------------------------------------
SET ROLE regress_d_admin;
SELECT reopen('da', 2016, 1, '更正甲一三月');
SELECT status, filing, matches FROM verify_quarter('da', 2016, 1);
UPDATE score SET points = 20 WHERE member_id = 'd1' AND item = 'role' AND month = '2016-03-01';
SELECT advance('da', 2016, 1), advance('da', 2016, 1), advance('da', 2016, 1);
SELECT filing, filed_by, digest = ledger_digest('da', 2016, 1) AS current FROM filing
WHERE branch_id = 'da' ORDER BY filing;
SELECT status, filing, matches FROM verify_quarter('da', 2016, 1);
SELECT branch_id, year, quarter FROM filing_mismatches;
RESET ROLE;
