--
-- refusals: what a client's form gets from a refused write (issue 11).
-- Every refusal of a write rule carries the table, the column and a
-- constraint name of its own (README, Errors) and the offending value in
-- its detail; dates before the founding of the party (July 1921) are
-- refused.  refusal(statement) shows SQLSTATE, table.column, constraint,
-- message and detail of the statement's error, or 'ok'.
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

CREATE FUNCTION pg_temp.refusal(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text; msg text; detail text; tbl text; col text; con text; sch text;
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
        detail = PG_EXCEPTION_DETAIL, tbl = TABLE_NAME, col = COLUMN_NAME,
        con = CONSTRAINT_NAME, sch = SCHEMA_NAME;
    -- (what changes with the date and the identity values is masked)
    RETURN regexp_replace(regexp_replace(
        concat_ws(' ', state, nullif(sch, '') || '.' || nullif(tbl, '') || coalesce('.' || nullif(col, ''), ''),
                  '[' || nullif(con, '') || ']', msg)
        || coalesce(' DETAIL: ' || nullif(detail, ''), ''),
        'the current (month|year) is [0-9-]+', 'the current \1 is …'),
        'Failing row contains \([0-9]+,', 'Failing row contains (…,');
END
$$;

-- the fixture's roles: regress_clerk (pointsys_recorder) for branch fa,
-- regress_bureau (pointsys_admin)
INSERT INTO branch VALUES ('fa', '表单支部'), ('fb', '另一支部');
INSERT INTO member VALUES
    ('f01', '甲', 'fa', NULL, NULL),
    ('f02', '乙', 'fa', '2024-05-15', NULL),
    ('f03', '丙', 'fa', NULL, '2024-06-30'),
    ('g01', '丁', 'fb', NULL, NULL);
INSERT INTO recorder VALUES ('fa', 'regress_clerk', '2024-01-05');
INSERT INTO setting VALUES ('publicity_days', 0);  -- no publicity to wait for

--
-- Dates before July 1921 (the founding of the Communist Party of China)
--
-- a two-digit year: month 0026-03 of a member without joined_on
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '0026-03-01', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '1921-06-30', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('f01', '1900-01-01', 'county')$$);
-- July 1921 is the first month of the ledger
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '1921-07-01', 'org_life', 4)$$);
DELETE FROM score WHERE member_id = 'f01';
SELECT pg_temp.refusal($$INSERT INTO pointsys.evaluation VALUES ('f01', 26, 90)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.evaluation VALUES ('f01', 1920, 90)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.member VALUES ('f09', '戊', 'fa', '0026-03-01', NULL)$$);
SELECT pg_temp.refusal($$UPDATE pointsys.member SET left_on = '1900-01-01' WHERE member_id = 'f01'$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('f01', 'warning', '0024-01-01')$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.recorder VALUES ('fb', 'regress_clerk', '0025-01-05')$$);
-- (an infinite month, or one whose first day cannot be stored)
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '-infinity', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '4714-11-24 BC', 'org_life', 4)$$);

--
-- score: each cause its own constraint name (as pointsys_admin)
--
SET ROLE regress_bureau;
-- 23503 three ways: unknown member, unknown item, not in the party then
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('nobody', '2024-04-01', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-04-01', 'nap', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f02', '2024-04-01', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f03', '2024-07-01', 'org_life', 4)$$);
-- points
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-04-01', 'org_life', 4.5)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-04-01', 'org_life', -1)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-04-01', 'org_life', 'NaN')$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-04-01', 'org_life', 1.25)$$);
-- months
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2999-01-01', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', 'infinity', 'org_life', 4)$$);
-- award and evaluation
SELECT pg_temp.refusal($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('f01', '2024-04-01', 'medal')$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('nobody', '2024-04-01', 'county')$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('f02', '2024-04-01', 'county')$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.evaluation VALUES ('f01', 2024, 100.5)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.evaluation VALUES ('f01', 2999, 90)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.evaluation VALUES ('nobody', 2024, 90)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.evaluation VALUES ('f02', 2023, 90)$$);
-- sanctions (the CHECK constraint is PostgreSQL's own, with its name)
SELECT pg_temp.refusal($$INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('f01', 'reprimand', '2024-01-01')$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.sanction (member_id, kind, effective_on, lifted_on) VALUES ('f01', 'warning', '2024-01-01', '2023-01-01')$$);
RESET ROLE;

--
-- the recorder: row-level security first, then the same fields
--
-- (g02 joined the party in branch fb in February 2024, moved to fa in May)
INSERT INTO member VALUES ('g02', '戊', 'fb', '2024-02-10', NULL);
INSERT INTO membership VALUES ('g02', 'fa', '2024-05-01');
SET ROLE regress_clerk;
-- the refusal names the row sent (1.5); for a member of her branch, a month
-- before they joined the party is 1.1's 23503 with the date, which she may
-- read; a month of another branch stays the uniform 42501
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('g02', '2024-01-01', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('g02', '2024-03-01', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('g02', '2024-01-01', 'county')$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('g01', '2024-04-01', 'org_life', 4)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('nobody', '2024-04-01', 'org_life', 9)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-04-01', 'org_life', 4.5)$$);
SELECT pg_temp.refusal($$SELECT pointsys.advance('fb', 2024, 2)$$);
-- a duplicate score: PostgreSQL hides the key from writers under row-level
-- security; pointsys adds it (the row is one the recorder may see)
INSERT INTO score VALUES ('f01', '2024-04-01', 'org_life', 4), ('f01', '2024-04-01', 'role', 10);
INSERT INTO score VALUES ('f01', '2024-05-01', 'org_life', 4), ('f01', '2024-04-01', 'role', 12);
\echo :SQLSTATE
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-04-01', 'role', 12)$$);
-- an upsert is not refused
INSERT INTO score VALUES ('f01', '2024-04-01', 'role', 12)
ON CONFLICT (member_id, month, item) DO UPDATE SET points = EXCLUDED.points;
SELECT member_id, month, item, points FROM score WHERE member_id = 'f01' ORDER BY month, item;
-- the quarter: advance it, then write to it
SELECT advance('fa', 2024, 2);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-05-01', 'role', 10)$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('f01', '2024-06-01', 'county')$$);
-- the process: a jump, a status that does not exist, verifying, reopening
SELECT pg_temp.refusal($$UPDATE pointsys.period SET status = 'filed' WHERE branch_id = 'fa' AND year = 2024 AND quarter = 2$$);
SELECT pg_temp.refusal($$UPDATE pointsys.period SET status = 'done' WHERE branch_id = 'fa' AND year = 2024 AND quarter = 2$$);
SELECT advance('fa', 2024, 2), advance('fa', 2024, 2);
SELECT pg_temp.refusal($$SELECT pointsys.advance('fa', 2024, 2)$$);
SELECT pg_temp.refusal($$UPDATE pointsys.period SET status = 'recording' WHERE branch_id = 'fa' AND year = 2024 AND quarter = 2$$);
SELECT pg_temp.refusal($$UPDATE pointsys.period SET year = 2023 WHERE branch_id = 'fa' AND year = 2024 AND quarter = 2$$);
RESET ROLE;
SELECT pg_temp.refusal($$UPDATE pointsys.period SET status = 'recording' WHERE branch_id = 'fa' AND year = 2024 AND quarter = 2$$);

--
-- rulebook and membership edits that contradict the records
--
INSERT INTO item VALUES ('fx_item', 'role', '表单测试项', 4, 0.5);
INSERT INTO score VALUES ('f01', '2024-01-01', 'fx_item', 3.5);
SELECT pg_temp.refusal($$UPDATE pointsys.item SET max_points = 3 WHERE item = 'fx_item'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.item SET step = 1 WHERE item = 'fx_item'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.item SET max_points = 4.0000001 WHERE item = 'fx_item'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.category SET category = 'rewards' WHERE category = 'reward'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.member SET joined_on = '2024-05-01' WHERE member_id = 'f01'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.member SET left_on = '2024-03-31' WHERE member_id = 'f01'$$);

--
-- free text (issue 22): notes and descriptions at most 500 characters,
-- names and titles 100, counted in characters; 22001 naming the row, before
-- the row and its audit row are written.  A longer value stored before 1.5
-- stays while an UPDATE leaves it as it is.
--
SELECT count(*) AS audit_before FROM audit \gset
SET ROLE regress_clerk;
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-02-01', 'study_notes', 1, pg_catalog.repeat('记', 501))$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-02-01', 'study_notes', 1, pg_catalog.repeat('x', 10000000))$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.award (member_id, month, kind, description) VALUES ('f01', '2024-02-01', 'county', pg_catalog.repeat('事', 501))$$);
SELECT pg_temp.refusal($$INSERT INTO pointsys.score VALUES ('f01', '2024-02-01', 'study_notes', 1, pg_catalog.repeat('记', 500))$$);
SELECT pg_temp.refusal($$UPDATE pointsys.score SET note = note || '!' WHERE member_id = 'f01' AND month = '2024-02-01'$$);
RESET ROLE;
SELECT count(*) - :audit_before AS audit_rows_written FROM audit;
SET ROLE regress_bureau;
SELECT pg_temp.refusal($$INSERT INTO pointsys.sanction (member_id, kind, effective_on, note) VALUES ('f01', 'warning', '2024-02-01', pg_catalog.repeat('处', 501))$$);
SELECT pg_temp.refusal($$UPDATE pointsys.member SET name = pg_catalog.repeat('名', 101) WHERE member_id = 'f01'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.branch SET name = pg_catalog.repeat('支', 101) WHERE branch_id = 'fa'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.item SET title = pg_catalog.repeat('项', 101) WHERE item = 'fx_item'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.member SET name = pg_catalog.repeat('名', 100) WHERE member_id = 'f01'$$);
RESET ROLE;
-- a name stored longer before 1.5 (written here with the trigger off) stays
-- through an UPDATE of another column, and cannot grow
ALTER TABLE member DISABLE TRIGGER text_limits;
UPDATE member SET name = repeat('旧', 150) WHERE member_id = 'f02';
ALTER TABLE member ENABLE TRIGGER text_limits;
SELECT pg_temp.refusal($$UPDATE pointsys.member SET left_on = '2025-12-31' WHERE member_id = 'f02'$$);
SELECT pg_temp.refusal($$UPDATE pointsys.member SET name = name || '新' WHERE member_id = 'f02'$$);
UPDATE member SET name = '乙', left_on = NULL WHERE member_id = 'f02';

-- the constraint names, one per cause, are those README's error table lists
-- (each name above; 23503 has three for score)

-- clean up
SET pointsys.reason = 'regression cleanup';
DELETE FROM period WHERE branch_id IN ('fa', 'fb');
DELETE FROM setting WHERE name = 'publicity_days';
RESET pointsys.reason;
DELETE FROM score WHERE member_id LIKE 'f%';
DELETE FROM item WHERE item = 'fx_item';
DELETE FROM evaluation WHERE member_id LIKE 'f%';
DELETE FROM sanction WHERE member_id LIKE 'f%';
DELETE FROM recorder WHERE branch_id IN ('fa', 'fb');
DELETE FROM member WHERE member_id IN ('f01', 'f02', 'f03', 'g01', 'g02');
DELETE FROM branch WHERE branch_id IN ('fa', 'fb');
