--
-- appraisal: the democratic appraisal (民主评议, issue 26): rounds, the
-- tally of paper ballots and its refusals, the exact score and the grade
-- at its edges, publicity before it counts, anonymous electronic ballots
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

-- the fixture's roles: regress_aa_rec and regress_ab_rec (recorders of
-- branches aa and ab), regress_a_admin, regress_a_reader, the voters'
-- logins regress_voter1 and regress_voter2 and the screen regress_kiosk
INSERT INTO branch VALUES ('aa', '评议甲支部'), ('ab', '评议乙支部');
INSERT INTO member (member_id, name, branch_id) VALUES
	('aa1', '甲一', 'aa'), ('aa2', '甲二', 'aa'), ('aa3', '甲三', 'aa'), ('aa4', '甲四', 'aa'),
	('ab1', '乙一', 'ab'), ('ab2', '乙二', 'ab'), ('ab3', '乙三', 'ab');
-- aa4 moves to ab in July: ab appraises her; ab3 left the party in March:
-- still appraised by ab for the year
INSERT INTO membership VALUES ('aa4', 'ab', '2025-07-01');
UPDATE member SET left_on = '2025-03-15' WHERE member_id = 'ab3';
INSERT INTO recorder VALUES ('aa', 'regress_aa_rec', '2025-01-05'), ('ab', 'regress_ab_rec', '2025-01-05');
INSERT INTO setting VALUES ('publicity_days', 0);
-- aa1's first quarter of 2025, recorded and verified
INSERT INTO score VALUES ('aa1', '2025-01-01', 'role', 20);
SELECT advance('aa', 2025, 1), advance('aa', 2025, 1), advance('aa', 2025, 1), advance('aa', 2025, 1);

-- the defaults: weights 100, 80, 60, 0 (no row); a quorum of more than half
SELECT count(*) FROM appraisal_weight;
SELECT appraisal_weights();
INSERT INTO appraisal_weight VALUES ('qualified', 85.5);
SELECT appraisal_weights();
DELETE FROM appraisal_weight;

-- the score: Σ votes × weight / valid votes, half up to 0.01, exact
SELECT appraisal_score(2, 1, 0, 0, '{100,80,60,0}') AS "93.33",
	   appraisal_score(1, 1, 1, 0, '{100,80,60,0}') AS "80.00",
	   appraisal_score(1, 1, 0, 0, '{100,80.01,60,0}') AS "90.01 (90.005 half up)",
	   appraisal_score(0, 0, 0, 3, '{100,80,60,0}') AS "0.00",
	   appraisal_score(0, 0, 0, 0, '{100,80,60,0}') AS "NULL",
	   appraisal_score(666, 1, 0, 0, '{100,80,60,0}') AS "99.97",
	   appraisal_score(1332, 1, 0, 0, '{100,80,60,0}') AS "99.98",
	   appraisal_score(1, 2, 0, 0, '{99.99,0.01,0,0}') AS "33.34 (33.3366…)";
-- weights out of range or with three decimals are refused
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_weight VALUES ('excellent', 100.5)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_weight VALUES ('qualified', 80.125)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_weight VALUES ('good', 90)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.setting VALUES ('appraisal_quorum_percent', 100)$$);

------------------------------------------------------------------------
-- A paper round: the tellers' tally
------------------------------------------------------------------------
SET ROLE regress_aa_rec;
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_round (branch_id, year, ballots_issued) VALUES ('ab', 2025, 5)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_round (branch_id, year, ballots_issued) VALUES ('aa', 2027, 5)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_round (branch_id, year, ballots_issued, status) VALUES ('aa', 2025, 5, 'closed')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_round (branch_id, year, ballots_issued) VALUES ('aa', 2025, 0)$$);
INSERT INTO appraisal_round (branch_id, year, ballots_issued) VALUES ('aa', 2025, 5);
SELECT branch_id, year, status, electronic, ballots_issued, ballots_returned, changed_by FROM appraisal_round;
-- the members appraised: aa4 is ab's (her branch in December), ab3 too
-- (hers when she left)
SELECT appraisal_members('aa', 2025);
SELECT pg_temp.try($$SELECT pointsys.appraisal_members('ab', 2025)$$);
-- aa4 is ab's to appraise; five ballots issued
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_tally VALUES ('aa', 2025, 'aa4', 5)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_tally VALUES ('aa', 2025, 'aa1', 4, 1, 0, 0, 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_tally VALUES ('aa', 2025, 'aa1', -1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_tally VALUES ('ab', 2025, 'ab1', 1)$$);
INSERT INTO appraisal_tally VALUES ('aa', 2025, 'aa1', 4, 1, 0, 0, 0), ('aa', 2025, 'aa2', 0, 2, 1, 0, 1);
-- closing: the ballots returned first, then every member's tally
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'closed' WHERE branch_id = 'aa'$$);
UPDATE appraisal_round SET ballots_returned = 4 WHERE branch_id = 'aa';
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'closed' WHERE branch_id = 'aa'$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_tally VALUES ('aa', 2025, 'aa3', 3, 1, 1, 0, 0)$$);
INSERT INTO appraisal_tally VALUES ('aa', 2025, 'aa3', 1, 1, 0, 0, 0);
-- aa1's five votes are more than the four ballots returned
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'closed' WHERE branch_id = 'aa'$$);
UPDATE appraisal_tally SET qualified = 0 WHERE member_id = 'aa1';
-- aa3's two valid votes of five issued: not more than half
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'closed' WHERE branch_id = 'aa'$$);
UPDATE appraisal_tally SET basically_qualified = 1 WHERE member_id = 'aa3';
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'publicized' WHERE branch_id = 'aa'$$);
SELECT * FROM appraisal_results ORDER BY member_id;
-- nothing was half-written by the refusals
SELECT count(*) AS evaluations FROM evaluation;
UPDATE appraisal_round SET status = 'closed' WHERE branch_id = 'aa';
SELECT branch_id, year, status, ballots_returned, weight_excellent, weight_qualified, weight_basically_qualified,
	   weight_unqualified, quorum_percent
FROM appraisal_round;
SELECT member_id, year, democratic, round_branch_id FROM evaluation ORDER BY 1;
-- after the close: the tally, the ballots and the scores are fixed
SELECT pg_temp.try($$UPDATE pointsys.appraisal_tally SET excellent = 1 WHERE member_id = 'aa1'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.appraisal_tally WHERE member_id = 'aa1'$$);
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET ballots_issued = 6 WHERE branch_id = 'aa'$$);
SELECT pg_temp.try($$UPDATE pointsys.evaluation SET democratic = 99 WHERE member_id = 'aa1'$$);
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'final' WHERE branch_id = 'aa'$$);
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'open' WHERE branch_id = 'aa'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.appraisal_round WHERE branch_id = 'aa'$$);
-- a recorder writes no score of her own, and none of another branch
SELECT pg_temp.try($$INSERT INTO pointsys.evaluation VALUES ('ab1', 2025, 90)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.evaluation VALUES ('ab1', 2025, 90, 'aa')$$);
SELECT member_id FROM evaluation ORDER BY 1;
RESET ROLE;

-- the audit trail credits the recorder, and keeps the round
SELECT actor, acting_as, action, new_row->>'member_id' AS member_id, new_row->>'democratic' AS democratic,
	   new_row->>'round_branch_id' AS round
FROM audit WHERE table_name = 'evaluation' ORDER BY audit_id;

-- the grade waits for the round to be final
SELECT member_id, democratic, final FROM annual_results WHERE branch_id = 'aa' ORDER BY 1;

SET ROLE regress_aa_rec;
UPDATE appraisal_round SET status = 'publicized' WHERE branch_id = 'aa';
SELECT status, publicity_start = (now() AT TIME ZONE 'Asia/Shanghai')::date AS today, publicity_end - publicity_start AS days
FROM appraisal_round WHERE branch_id = 'aa';
RESET ROLE;
SELECT member_id, democratic, final FROM annual_results WHERE branch_id = 'aa' ORDER BY 1;
SET ROLE regress_aa_rec;
UPDATE appraisal_round SET status = 'final' WHERE branch_id = 'aa';
RESET ROLE;
SELECT member_id, democratic, total, grade, final FROM annual_results WHERE branch_id = 'aa' ORDER BY 1;

-- reopening: pointsys_admin, with a reason; the scores come out again
SET ROLE regress_a_admin;
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'open' WHERE branch_id = 'aa'$$);
BEGIN;
SET LOCAL pointsys.reason = '计票有误，重新计票';
UPDATE appraisal_round SET status = 'open' WHERE branch_id = 'aa';
SELECT status, weight_excellent, quorum_percent, publicity_start FROM appraisal_round WHERE branch_id = 'aa';
SELECT count(*) AS evaluations FROM evaluation;
ROLLBACK;
RESET ROLE;

-- publicity with days to wait
UPDATE setting SET value = 5 WHERE name = 'publicity_days';
INSERT INTO appraisal_round (branch_id, year, ballots_issued, ballots_returned) VALUES ('aa', 2024, 3, 3);
INSERT INTO appraisal_tally VALUES ('aa', 2024, 'aa1', 3, 0, 0, 0, 0), ('aa', 2024, 'aa2', 3, 0, 0, 0, 0),
	('aa', 2024, 'aa3', 2, 1, 0, 0, 0), ('aa', 2024, 'aa4', 0, 3, 0, 0, 0);
UPDATE appraisal_round SET status = 'closed' WHERE branch_id = 'aa' AND year = 2024;
UPDATE appraisal_round SET status = 'publicized' WHERE branch_id = 'aa' AND year = 2024;
SELECT regexp_replace(pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'final' WHERE branch_id = 'aa' AND year = 2024$$),
					  '\d{4}-\d\d-\d\d', 'YYYY-MM-DD', 'g');
UPDATE setting SET value = 0 WHERE name = 'publicity_days';

------------------------------------------------------------------------
-- The grade at its edges: assessment 87.50, democratic from the ballots
------------------------------------------------------------------------
INSERT INTO score (member_id, month, item, points)
SELECT m, '2025-01-01', i.item, CASE WHEN i.item = 'role' THEN 17.5 ELSE i.max_points END
FROM item i CROSS JOIN unnest(ARRAY['ab1', 'ab2']) m;
-- 0.8 × 87.50 + 0.2 × 99.97 = 89.994 → 89.99 良好; 0.2 × 99.98 → 89.996 → 90.00 优秀
SET ROLE regress_ab_rec;
INSERT INTO appraisal_round (branch_id, year, ballots_issued, ballots_returned) VALUES ('ab', 2025, 1333, 1333);
INSERT INTO appraisal_tally VALUES ('ab', 2025, 'ab1', 666, 1, 0, 0, 0), ('ab', 2025, 'ab2', 1332, 1, 0, 0, 0),
	('ab', 2025, 'ab3', 1000, 0, 0, 0, 0), ('ab', 2025, 'aa4', 0, 0, 0, 701, 0);
SELECT appraisal_members('ab', 2025);
UPDATE appraisal_round SET status = 'closed' WHERE branch_id = 'ab';
UPDATE appraisal_round SET status = 'publicized' WHERE branch_id = 'ab';
UPDATE appraisal_round SET status = 'final' WHERE branch_id = 'ab';
RESET ROLE;
SELECT member_id, assessment, democratic, total, grade, final FROM annual_results
WHERE member_id IN ('ab1', 'ab2') ORDER BY 1;
-- the year's list to post shows the votes (once the quarter is approved)
SELECT advance('ab', 2025, 1);
SET ROLE regress_a_reader;
SELECT member_id, democratic, excellent, qualified, basically_qualified, unqualified, spoilt
FROM annual_publicity('ab', 2025) ORDER BY member_id;
RESET ROLE;

------------------------------------------------------------------------
-- An electronic round: anonymous ballots
------------------------------------------------------------------------
SET pointsys.reason = 'test';
UPDATE appraisal_round SET status = 'open' WHERE year = 2024;
RESET pointsys.reason;
DELETE FROM appraisal_tally WHERE year = 2024;
DELETE FROM appraisal_round WHERE year = 2024;
SET ROLE regress_ab_rec;
INSERT INTO appraisal_round (branch_id, year, ballots_issued, electronic, ballots_returned) VALUES ('ab', 2024, 4, true, 4);
SELECT ballots_returned FROM appraisal_round WHERE branch_id = 'ab' AND year = 2024;
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_tally VALUES ('ab', 2024, 'ab1', 1)$$);
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET electronic = false WHERE branch_id = 'ab' AND year = 2024$$);
INSERT INTO appraisal_voter (branch_id, year, role_name) VALUES ('ab', 2024, 'regress_voter1'), ('ab', 2024, 'regress_voter2');
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_voter VALUES ('ab', 2024, 'regress_kiosk', true)$$);
SELECT pg_temp.try($$SELECT pointsys.issue_codes('ab', 2024, 3)$$);
SELECT array_length(codes, 1) AS n, codes[1] ~ '^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$' AS printable,
	   codes[1] <> codes[2] AS differ, codes[1] AS code1, codes[2] AS code2
FROM (SELECT issue_codes('ab', 2024, 2) AS codes) c \gset
SELECT :n, :'printable', :'differ';
RESET ROLE;
SET ROLE regress_aa_rec;
SELECT pg_temp.try($$SELECT pointsys.issue_codes('ab', 2024, 1)$$);
SELECT pg_temp.try($$SELECT pointsys.ballots_cast('ab', 2024)$$);
RESET ROLE;
SET ROLE regress_a_reader;
SELECT pg_temp.try($$SELECT pointsys.issue_codes('ab', 2024, 1)$$);
RESET ROLE;

-- the voters: what the screen shows, then one ballot each
SET ROLE regress_voter1;
SELECT * FROM ballot_form('ab', 2024);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '["ab1"]')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "good"}')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": ["excellent"]}')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"aa1": "excellent"}')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('aa', 2025, '{"aa1": "excellent"}')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "excellent", "ab2": "qualified", "ab3": "basically_qualified", "aa4": null}')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "excellent", "ab2": "qualified", "ab3": "basically_qualified"}')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "excellent"}')$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.appraisal_ballot$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.appraisal_voter$$);
RESET ROLE;
SET ROLE regress_voter2;
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "qualified", "ab2": "qualified", "ab3": "unqualified", "aa4": "excellent"}')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "qualified", "ab2": "qualified", "ab3": "unqualified"}')$$);
RESET ROLE;
SET ROLE regress_kiosk;
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "excellent"}')$$);
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "excellent"}', 'AAAA-BBBB-CCCC')$$);
SELECT pg_temp.try(format($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "basically_qualified", "ab2": "excellent", "ab3": "qualified"}', %L)$$,
						  lower(replace(:'code1', '-', ' '))));
SELECT pg_temp.try(format($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "excellent"}', %L)$$, :'code1'));
RESET ROLE;

-- nobody reads the ballots or codes while the vote is open, not even the
-- bureau; the register shows who voted, nothing more
SET ROLE regress_a_admin;
SELECT pg_temp.try($$SELECT * FROM pointsys.appraisal_ballot$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.appraisal_code$$);
SELECT * FROM appraisal_ballots;
SELECT role_name, voted FROM appraisal_voter ORDER BY 1;
SELECT ballots_cast('ab', 2024);
RESET ROLE;
SET ROLE regress_a_reader;
SELECT pg_temp.try($$SELECT * FROM pointsys.appraisal_ballot$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.appraisal_code$$);
RESET ROLE;

-- the ballots are counted once the end of the vote is committed: a
-- transaction that ends the vote, counts and rolls back would let the vote
-- go on with counts seen (doc/appraisal.md)
SET ROLE regress_ab_rec;
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'closed' WHERE branch_id = 'ab' AND year = 2024$$);
BEGIN;
UPDATE appraisal_round SET voting_ended = true WHERE branch_id = 'ab' AND year = 2024;
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'closed' WHERE branch_id = 'ab' AND year = 2024$$);
SAVEPOINT s;
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET status = 'closed' WHERE branch_id = 'ab' AND year = 2024$$);
ROLLBACK;
UPDATE appraisal_round SET voting_ended = true WHERE branch_id = 'ab' AND year = 2024;
-- the vote has ended: no ballot, code, voter or reopening of it
RESET ROLE;
SET ROLE regress_kiosk;
SELECT pg_temp.try(format($$SELECT pointsys.cast_ballot('ab', 2024, '{"ab1": "excellent"}', %L)$$, :'code2'));
SELECT * FROM ballot_form('ab', 2024);
RESET ROLE;
SET ROLE regress_ab_rec;
SELECT pg_temp.try($$SELECT pointsys.issue_codes('ab', 2024, 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.appraisal_voter VALUES ('ab', 2024, 'regress_kiosk')$$);
SELECT pg_temp.try($$UPDATE pointsys.appraisal_round SET voting_ended = false WHERE branch_id = 'ab' AND year = 2024$$);
-- closing counts the ballots (the unused code is a ballot not returned)
UPDATE appraisal_round SET status = 'closed' WHERE branch_id = 'ab' AND year = 2024;
RESET ROLE;
SELECT member_id, excellent, qualified, basically_qualified, unqualified, spoilt, valid, score, status, ballots_returned
FROM appraisal_results WHERE year = 2024 ORDER BY member_id;
SELECT member_id, democratic, round_branch_id FROM evaluation WHERE year = 2024 ORDER BY 1;
SET ROLE regress_a_admin;
SELECT * FROM appraisal_ballots;
RESET ROLE;
SET ROLE regress_aa_rec;
SELECT count(*) AS "ab's ballots seen by aa's recorder" FROM appraisal_ballots;
RESET ROLE;
-- the ballot box writes no audit rows of ballots or codes
SELECT table_name, count(*) FROM audit WHERE table_name LIKE 'appraisal%' GROUP BY 1 ORDER BY 1;

-- a login without pointsys rights reaches none of the ballot box
SET ROLE regress_nobody;
SELECT pg_temp.try($$SELECT pointsys.cast_ballot('ab', 2024, '{}')$$);
SELECT pg_temp.try($$SELECT pointsys.issue_codes('ab', 2024, 1)$$);
SELECT pg_temp.try($$SELECT pointsys.count_ballots('ab', 2024)$$);
SELECT pg_temp.try($$SELECT pointsys.appraisal_members('ab', 2024)$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.ballot_form('ab', 2024)$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.appraisal_ballots$$);
RESET ROLE;

-- a server that logs statements takes no ballot
SET log_min_duration_statement = 0;
SET ROLE regress_kiosk;
SELECT pg_temp.try($$SELECT * FROM pointsys.ballot_form('ab', 2024)$$);
RESET ROLE;
RESET log_min_duration_statement;
