--
-- ledger_rules: the write rules of the ledger (doc/contract.md §3) and the consistency
-- of rulebook and member edits, each refusal with its SQLSTATE
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

INSERT INTO branch VALUES ('rb1', '规则支部');
INSERT INTO member VALUES
    ('r01', '甲', 'rb1', NULL, NULL),
    ('r02', '乙', 'rb1', '2024-05-15', NULL),   -- joined mid-May
    ('r03', '丙', 'rb1', NULL, '2024-06-30');   -- left at the end of June

-- any day of the month is stored as the first day
INSERT INTO score (member_id, month, item, points) VALUES ('r01', '2024-03-17', 'org_life', 4);
INSERT INTO award (member_id, month, kind) VALUES ('r01', '2024-03-31', 'county');
SELECT member_id, month, item, points FROM score WHERE member_id = 'r01';
SELECT member_id, month, kind FROM award WHERE member_id = 'r01';

-- points: 0..max in steps of 0.5 (org_life: max 4)
SELECT s, pg_temp.try(format(
    $$INSERT INTO pointsys.score (member_id, month, item, points) VALUES ('r01', %L, 'org_life', %L)$$,
    make_date(2022 + (i::int - 1) / 12, (i::int - 1) % 12 + 1, 1), s))
FROM unnest('{0, 0.5, 3.5, 4.0, 4.5, 5, -0.5, -1, 2.3, 1.25, 1.0000001, 1.0000000, NaN, Infinity, 1e20}'::text[])
     WITH ORDINALITY AS t(s, i);
SELECT month, points FROM score WHERE member_id = 'r01' AND month < '2024-01-01' ORDER BY month;
DELETE FROM score WHERE member_id = 'r01' AND month < '2024-01-01';

-- the discretionary item role has max 20
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', '2024-04-01', 'role', 20)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', '2024-04-01', 'role', 20.5)$$);

-- unknown item, member or award kind
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', '2024-04-01', 'nap', 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('nobody', '2024-04-01', 'role', 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('r01', '2024-04-01', 'medal')$$);

-- future months are refused (this month is accepted)
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', '2999-01-01', 'role', 1)$$) LIKE '22008 month 2999-01 of item "role" for member "r01" is in the future%' AS future_refused;
SELECT pg_temp.try($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('r01', '2999-12-31', 'county')$$) LIKE '22008 %' AS future_award_refused;
-- so is a month whose first day PostgreSQL cannot store (its first date is 4714-11-24 BC)
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', '4714-11-24 BC', 'role', 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('r01', '4714-11-30 BC', 'county')$$);
SELECT pg_temp.try(format($$INSERT INTO pointsys.score VALUES ('r01', %L, 'role', 1)$$, current_date)) AS this_month;
DELETE FROM score WHERE member_id = 'r01' AND month = date_trunc('month', current_date)::date;
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', 'infinity', 'role', 1)$$);

-- membership: joined 2024-05-15 may have May, not April; left 2024-06-30 may
-- have June, not July
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r02', '2024-04-30', 'role', 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r02', '2024-05-01', 'role', 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r03', '2024-06-30', 'role', 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r03', '2024-07-01', 'role', 1)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('r03', '2024-07-01', 'county')$$);

-- updates are checked like inserts
SELECT pg_temp.try($$UPDATE pointsys.score SET points = 4.5 WHERE member_id = 'r01' AND item = 'org_life'$$);
SELECT pg_temp.try($$UPDATE pointsys.score SET month = '2024-07-09' WHERE member_id = 'r03'$$);
SELECT pg_temp.try($$UPDATE pointsys.score SET month = '2024-02-09' WHERE member_id = 'r01' AND item = 'org_life'$$);
SELECT month, points FROM score WHERE member_id = 'r01' AND item = 'org_life';

-- evaluation: democratic 0..100, year not in the future, member in the party that year
SELECT d, pg_temp.try(format($$INSERT INTO pointsys.evaluation VALUES ('r01', 2023, %L)$$, d))
FROM unnest('{100.5, -1, NaN, 1.0000001, 100}'::text[]) AS d;
SELECT pg_temp.try($$INSERT INTO pointsys.evaluation VALUES ('r01', 2999, 90)$$) LIKE '22008 evaluation year 2999 of member "r01" is out of range%' AS future_year_refused;
SELECT pg_temp.try($$INSERT INTO pointsys.evaluation VALUES ('r02', 2023, 90)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.evaluation VALUES ('r03', 2025, 90)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.evaluation VALUES ('r03', 2024, 90)$$);

-- sanctions: one of the six kinds, lifted after effective
SELECT pg_temp.try($$INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('r01', 'reprimand', '2024-01-01')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.sanction (member_id, kind, effective_on, lifted_on) VALUES ('r01', 'warning', '2024-01-01', '2024-01-01')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.sanction (member_id, kind, effective_on, lifted_on) VALUES ('r01', 'warning', '2024-01-01', '2024-06-01')$$);

-- a COPY with one bad row writes nothing
SELECT count(*) AS scores_before FROM score WHERE member_id = 'r01';
COPY score (member_id, month, item, points) FROM stdin;
r01	2024-05-01	org_life	4
r01	2024-05-01	role	18
r01	2024-05-01	study_notes	4.5
\.
SELECT count(*) AS scores_after FROM score WHERE member_id = 'r01';
COPY score (member_id, month, item, points) FROM stdin;
r01	2024-05-01	org_life	4
r01	2024-05-20	role	18
\.
SELECT month, item, points FROM score WHERE member_id = 'r01' AND month = '2024-05-01' ORDER BY item;

-- rulebook edits stay consistent with what is recorded
SELECT pg_temp.try($$UPDATE pointsys.item SET max_points = 3 WHERE item = 'org_life'$$);
SELECT pg_temp.try($$UPDATE pointsys.item SET step = 1 WHERE item = 'org_life'$$);
SELECT pg_temp.try($$UPDATE pointsys.item SET max_points = 6 WHERE item = 'org_life'$$);
-- the next statement of the same session already sees the new maximum
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', '2024-06-01', 'org_life', 5.5)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', '2024-06-01', 'study_notes', 5.5)$$);
SELECT pg_temp.try($$UPDATE pointsys.item SET max_points = 5 WHERE item = 'org_life'$$);
DELETE FROM score WHERE member_id = 'r01' AND month = '2024-06-01';
SELECT pg_temp.try($$UPDATE pointsys.item SET max_points = 4 WHERE item = 'org_life'$$);
-- NULLs and a step of 0 are the constraints' to refuse
SELECT pg_temp.try($$UPDATE pointsys.item SET max_points = NULL WHERE item = 'org_life'$$);
SELECT pg_temp.try($$UPDATE pointsys.item SET step = NULL WHERE item = 'org_life'$$);
SELECT pg_temp.try($$UPDATE pointsys.item SET step = 0 WHERE item = 'org_life'$$);
SELECT pg_temp.try($$INSERT INTO pointsys.item VALUES ('org_life', 'study', '组织生活', 4, 0)$$);
SELECT pg_temp.try($$UPDATE pointsys.award_kind SET points = 4 WHERE kind = 'county'$$);
SELECT pg_temp.try($$UPDATE pointsys.award_kind SET title = '获得县级表彰、表扬(修订)' WHERE kind = 'county'$$);
SELECT pg_temp.try($$UPDATE pointsys.award_kind SET points = 4 WHERE kind = 'above_county'$$);
SELECT pg_temp.try($$UPDATE pointsys.award_kind SET points = 3 WHERE kind = 'above_county'$$);
UPDATE award_kind SET title = '获得县级表彰、表扬' WHERE kind = 'county';
SELECT pg_temp.try($$UPDATE pointsys.category SET cap = 12 WHERE category = 'reward'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.category WHERE category = 'reward'$$);
SELECT pg_temp.try($$UPDATE pointsys.category SET category = 'bonus' WHERE category = 'reward'$$);
SELECT pg_temp.try($$INSERT INTO pointsys.item VALUES ('bonus_item', 'reward', '奖励项', 1)$$);
-- a new entry's figures are exact (1.1 let them in, and every later score
-- write failed): refused, and scores go on being written
SELECT pg_temp.try($$INSERT INTO pointsys.item VALUES ('fine_item', 'study', '细项', 1.0000001)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.award_kind VALUES ('fine_kind', '细奖', 0.0000001)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.category VALUES ('fine', '细类', 1.0000001)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('r01', '2024-07-01', 'role', 1)$$);
DELETE FROM score WHERE member_id = 'r01' AND month = '2024-07-01';
-- membership cannot shrink below what is recorded
SELECT pg_temp.try($$UPDATE pointsys.member SET left_on = '2024-04-30' WHERE member_id = 'r01'$$);
SELECT pg_temp.try($$UPDATE pointsys.member SET joined_on = '2024-06-01' WHERE member_id = 'r01'$$);
DELETE FROM evaluation WHERE member_id = 'r01';
-- joined in February: February's records stay inside
SELECT pg_temp.try($$UPDATE pointsys.member SET joined_on = '2024-02-10' WHERE member_id = 'r01'$$);
SELECT pg_temp.try($$UPDATE pointsys.member SET joined_on = NULL WHERE member_id = 'r01'$$);
SELECT pg_temp.try($$UPDATE pointsys.member SET name = '甲乙' WHERE member_id = 'r01'$$);

-- inserting an existing rulebook key updates the entry (how pg_dump restores it)
INSERT INTO item VALUES ('org_life', 'study', '参加"三会一课"及各项组织生活', 4, 0.5);
INSERT INTO item VALUES ('reflection', 'study', '每月撰写学习心得体会1篇', 3.5, 0.5);
INSERT INTO category VALUES ('study', '理论学习', 20);
SELECT item, max_points, step FROM item WHERE item IN ('org_life', 'reflection') ORDER BY item;
UPDATE item SET max_points = 4 WHERE item = 'reflection';

-- the triggers refuse to run in the wrong place
CREATE TABLE pg_temp.not_score (member_id text, month date, item text, points numeric);
CREATE TRIGGER t AFTER INSERT ON pg_temp.not_score FOR EACH ROW EXECUTE FUNCTION pointsys.score_check();
SELECT pg_temp.try($$INSERT INTO pg_temp.not_score VALUES ('r01', '2024-01-01', 'role', 1)$$);
SELECT pg_temp.try($$SELECT pointsys.year_of('infinity')$$);
SELECT pg_temp.try($$SELECT pointsys.quarter_start(2024, 0)$$), pointsys.quarter_start(2024, 4);

DELETE FROM sanction WHERE member_id = 'r01';
DELETE FROM evaluation WHERE member_id IN ('r01', 'r02', 'r03');
DELETE FROM award WHERE member_id IN ('r01', 'r02', 'r03');
DELETE FROM score WHERE member_id IN ('r01', 'r02', 'r03');
DELETE FROM member WHERE member_id IN ('r01', 'r02', 'r03');
DELETE FROM branch WHERE branch_id = 'rb1';
