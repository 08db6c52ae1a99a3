--
-- process_roles: the seven steps, the three roles, row-level security and
-- the audit trail (doc/contract.md §4), with regress_ roles
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

-- the fixture's roles: regress_alice and regress_bob (pointsys_recorder) for
-- branches pa and pb, regress_boss (pointsys_admin) the bureau party group,
-- regress_report (pointsys_reader) a reporting tool

INSERT INTO branch VALUES ('pa', '甲支部'), ('pb', '乙支部');
INSERT INTO member VALUES ('pa1', '甲一', 'pa'), ('pa2', '甲二', 'pa'), ('pb1', '乙一', 'pb');
-- 确定记录员: the branch meetings elect their recorders
INSERT INTO recorder VALUES ('pa', 'regress_alice', '2024-01-05'), ('pb', 'regress_bob', '2024-01-05');
-- no publicity period to wait for here (sql/paperwork.sql tests it)
INSERT INTO setting VALUES ('publicity_days', 0);

-- 考核登记: alice records for her branch only
SET ROLE regress_alice;
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('pa1', '2024-01-01', 'role', 15), ('pa2', '2024-01-01', 'role', 16)$$);
SELECT pg_temp.try($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('pa1', '2024-02-01', 'county')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('pb1', '2024-01-01', 'role', 15)$$);
SELECT member_id FROM member ORDER BY 1;
SELECT branch_id FROM branch ORDER BY 1;
SELECT member_id, month, points FROM score WHERE member_id LIKE 'p%' ORDER BY 1;
SELECT member_id, total FROM monthly_scores WHERE member_id LIKE 'p%' ORDER BY 1, month;
SELECT pg_temp.try($$SELECT * FROM pointsys.sanction$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.evaluation$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.audit$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.audit_log$$);
SELECT pg_temp.try($$SELECT * FROM pointsys.annual_results$$);
SELECT pg_temp.try($$INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('pa1', 'warning', '2024-01-01')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.evaluation VALUES ('pa1', 2024, 90)$$);
SELECT pg_temp.try($$UPDATE pointsys.item SET max_points = 5 WHERE item = 'role'$$);
SELECT pg_temp.try($$INSERT INTO pointsys.member VALUES ('pa3', 'x', 'pa')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.recorder VALUES ('pb', 'regress_alice', '2024-01-05')$$);
RESET ROLE;

SET ROLE regress_bob;
SELECT member_id, month, points FROM score WHERE member_id LIKE 'p%' ORDER BY 1;
SELECT pg_temp.try($$UPDATE pointsys.score SET points = 1 WHERE member_id = 'pa1'$$) AS update_other_branch,
       (SELECT count(*) FROM pointsys.score WHERE member_id = 'pa1') AS visible;
SELECT pg_temp.try($$DELETE FROM pointsys.score WHERE member_id = 'pa1'$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('pb1', '2024-01-01', 'role', 15)$$);
-- bob cannot move alice's quarter
SELECT pg_temp.try($$SELECT pointsys.advance('pa', 2024, 1)$$);
RESET ROLE;
SELECT member_id, points FROM score WHERE member_id LIKE 'p%' ORDER BY 1;

-- 党员大会评定 → 公示 → 上报备案: the recorder moves her quarter up to filed
SET ROLE regress_alice;
SELECT advance('pa', 2024, 1);
-- a locked quarter refuses inserts, updates and deletes of scores and awards
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('pa1', '2024-03-01', 'role', 15)$$);
SELECT pg_temp.try($$UPDATE pointsys.score SET points = 14 WHERE member_id = 'pa1'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.score WHERE member_id = 'pa1'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.award WHERE member_id = 'pa1'$$);
SELECT pg_temp.try($$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('pa2', '2024-03-01', 'county')$$);
-- ... also moving a row into it or out of it; the next quarter is open
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('pa1', '2024-04-01', 'role', 15)$$);
SELECT pg_temp.try($$UPDATE pointsys.score SET month = '2024-03-01' WHERE member_id = 'pa1' AND month = '2024-04-01'$$);
SELECT pg_temp.try($$UPDATE pointsys.score SET month = '2024-05-01' WHERE member_id = 'pa1' AND month = '2024-01-01'$$);
SELECT advance('pa', 2024, 1);
SELECT advance('pa', 2024, 1);
-- 积分核查 is the bureau's step
SELECT pg_temp.try($$SELECT pointsys.advance('pa', 2024, 1)$$);
SELECT pg_temp.try($$UPDATE pointsys.period SET status = 'verified' WHERE branch_id = 'pa'$$);
SELECT pg_temp.try($$SELECT pointsys.reopen('pa', 2024, 1, 'mistake')$$);
SELECT pg_temp.try($$UPDATE pointsys.period SET status = 'recording' WHERE branch_id = 'pa'$$);
SELECT branch_id, year, quarter, status, changed_by FROM period ORDER BY 1, 2, 3;
RESET ROLE;

SET ROLE regress_boss;
SELECT advance('pa', 2024, 1);
SELECT pg_temp.try($$SELECT pointsys.advance('pa', 2024, 1)$$);
-- direct writes to period obey the same rules
SELECT pg_temp.try($$INSERT INTO pointsys.period (branch_id, year, quarter, status) VALUES ('pb', 2024, 1, 'filed')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.period (branch_id, year, quarter, status) VALUES ('pb', 2024, 1, 'done')$$);
SELECT pg_temp.try($$UPDATE pointsys.period SET quarter = 2 WHERE branch_id = 'pa'$$);
SELECT pg_temp.try($$UPDATE pointsys.period SET status = 'recording' WHERE branch_id = 'pa'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.period WHERE branch_id = 'pa'$$);
SELECT pg_temp.try($$INSERT INTO pointsys.period (branch_id, year, quarter) VALUES (NULL, 2024, 1)$$);
SELECT pg_temp.try($$UPDATE pointsys.period SET year = NULL WHERE branch_id = 'pa'$$);
SELECT pg_temp.try($$SELECT pointsys.advance(NULL, 2024, 1)$$);
-- reopening needs a reason, which lands in the audit trail
SELECT pg_temp.try($$SELECT pointsys.reopen('pa', 2024, 1, NULL)$$);
SELECT pg_temp.try($$SELECT pointsys.reopen('pa', 2024, 1, '')$$);
SELECT pg_temp.try($$SELECT pointsys.reopen('pa', 2024, 1, '   ')$$);
SELECT pg_temp.try($$SELECT pointsys.reopen('pa', 2024, 5, 'x')$$);
BEGIN;
SELECT reopen('pa', 2024, 1, '更正甲一1月积分');
UPDATE score SET points = 14 WHERE member_id = 'pa1' AND month = '2024-01-01';
COMMIT;
SELECT branch_id, year, quarter, status, changed_by FROM period ORDER BY 1, 2, 3;
RESET ROLE;

-- the reporting tool reads everything and writes nothing
SET ROLE regress_report;
SELECT member_id, months, assessment FROM annual_results WHERE member_id LIKE 'p%' ORDER BY 1;
SELECT count(*) > 0 AS reads_audit FROM audit;
SELECT count(*) > 0 AS reads_audit_log FROM audit_log;
SELECT pg_temp.try($$INSERT INTO pointsys.audit_log (actor, acting_as, table_name, action) VALUES ('x', 'x', 'x', 'x')$$);
SELECT pg_temp.try($$INSERT INTO pointsys.score VALUES ('pb1', '2024-02-01', 'role', 15)$$);
SELECT pg_temp.try($$UPDATE pointsys.period SET status = 'approved'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.branch WHERE branch_id = 'pb'$$);
SELECT pg_temp.try($$INSERT INTO pointsys.evaluation VALUES ('pb1', 2024, 90)$$);
SELECT pg_temp.try($$SELECT pointsys.advance('pb', 2024, 1)$$);
RESET ROLE;

-- the audit trail: one row per row changed, who did it, acting as whom,
-- old and new rows, and the reason
SELECT acting_as, table_name, action,
       old_row ->> 'member_id' AS old_member, old_row ->> 'points' AS old_points,
       new_row ->> 'member_id' AS new_member, new_row ->> 'points' AS new_points,
       COALESCE(new_row ->> 'status', old_row ->> 'status') AS status, reason
FROM audit
WHERE COALESCE(new_row, old_row) ->> 'member_id' LIKE 'p%'
   OR COALESCE(new_row, old_row) ->> 'branch_id' IN ('pa', 'pb')
ORDER BY audit_id;
SELECT bool_and(actor = session_user) AS actor_is_session_user FROM audit;

-- a multi-row insert writes one audit row per row
SELECT count(*) AS audit_before FROM audit \gset
INSERT INTO score (member_id, month, item, points)
SELECT 'pb1', '2024-05-01', item, 1 FROM item WHERE category = 'study';
SELECT count(*) - :audit_before AS audit_rows_added FROM audit;
-- a multi-row update pairs each row's old and new version
SELECT max(audit_id) AS audit_before FROM audit \gset
UPDATE score SET points = 0, note = item WHERE member_id = 'pb1' AND month = '2024-05-01';
SELECT count(*) AS rows_updated,
       count(*) FILTER (WHERE old_row ->> 'item' = new_row ->> 'item'
                          AND new_row ->> 'note' = old_row ->> 'item'
                          AND old_row ->> 'points' = '1' AND new_row ->> 'points' = '0') AS paired
FROM audit WHERE audit_id > :audit_before;
-- ... stored together (1.4): one row of audit_log holds the statement's
-- rows as two arrays, under consecutive audit ids
SELECT row_count, jsonb_array_length(old_row) AS old_rows, jsonb_array_length(new_row) AS new_rows
FROM audit_log WHERE audit_id > :audit_before;
SELECT max(audit_id) - min(audit_id) + 1 = count(*) AS ids_consecutive FROM audit WHERE audit_id > :audit_before;
-- a statement of 2 500 rows: arrays of 1 000, 1 000 and 500, the ids
-- consecutive across them, every row once in the view, in order
SELECT max(audit_id) AS audit_before FROM audit \gset
INSERT INTO member (member_id, name, branch_id)
SELECT 'px' || i, '临时' || i, 'pb' FROM generate_series(1, 2500) i;
-- (each new member's first membership row is a statement of its own)
SELECT row_count, action, jsonb_array_length(new_row) AS new_rows, old_row IS NULL AS no_old_rows
FROM audit_log WHERE audit_id > :audit_before AND table_name = 'member' ORDER BY audit_id;
SELECT count(*) AS rows_audited, count(DISTINCT audit_id) AS ids, max(audit_id) - min(audit_id) + 1 AS id_range,
       bool_and(new_row ->> 'member_id' = 'px' || (audit_id - min_id + 1)) AS in_order
FROM audit, LATERAL (SELECT min(audit_id) AS min_id FROM audit
                     WHERE audit_id > :audit_before AND table_name = 'member') m
WHERE audit_id > :audit_before AND table_name = 'member';
SELECT count(*) AS membership_rows_audited FROM audit
WHERE audit_id > :audit_before AND table_name = 'membership' AND new_row ->> 'member_id' LIKE 'px%';
DELETE FROM member WHERE member_id LIKE 'px%';
SELECT table_name, row_count, action, jsonb_array_length(old_row) AS old_rows FROM audit_log
WHERE audit_id > :audit_before AND action = 'DELETE' ORDER BY audit_id;
-- a statement that changes nothing writes nothing
SELECT max(audit_id) AS audit_before FROM audit \gset
DELETE FROM member WHERE member_id LIKE 'px%';
SELECT count(*) AS audit_rows_of_nothing FROM audit_log WHERE audit_id > :audit_before;

-- audit rows never change, even for the owner: not in the view ...
SELECT pg_temp.try($$UPDATE pointsys.audit SET reason = 'x'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.audit$$);
SELECT pg_temp.try($$INSERT INTO pointsys.audit (audit_id) VALUES (1)$$);
SELECT pg_temp.try($$TRUNCATE pointsys.audit$$);
-- ... nor where they are stored
SELECT pg_temp.try($$UPDATE pointsys.audit_log SET reason = 'x'$$);
SELECT pg_temp.try($$DELETE FROM pointsys.audit_log$$);
SELECT pg_temp.try($$TRUNCATE pointsys.audit_log$$);

-- a sanction and an evaluation, audited like the rest (every ledger table
-- has rows now)
INSERT INTO sanction (member_id, kind, effective_on) VALUES ('pb1', 'warning', '2024-01-01');
INSERT INTO evaluation VALUES ('pb1', 2024, 90);

-- DROP EXTENSION does not take the ledger with it
SELECT pg_temp.try($$DROP EXTENSION pointsys$$);
SELECT pg_temp.try($$DROP SCHEMA pointsys CASCADE$$);

-- clean up (periods first: scores can only go while their quarter records)
SET pointsys.reason = 'regression cleanup';
DELETE FROM period WHERE branch_id IN ('pa', 'pb');
RESET pointsys.reason;
DELETE FROM award WHERE member_id LIKE 'p%';
DELETE FROM score WHERE member_id LIKE 'p%';
DELETE FROM sanction WHERE member_id LIKE 'p%';
DELETE FROM evaluation WHERE member_id LIKE 'p%';
DELETE FROM recorder WHERE branch_id IN ('pa', 'pb');
DELETE FROM member WHERE member_id LIKE 'p%';
DELETE FROM branch WHERE branch_id IN ('pa', 'pb');
DELETE FROM setting WHERE name = 'publicity_days';
INSERT INTO category VALUES ('pc', '临时类别 a category for a moment', 12.50);
UPDATE category SET cap = 10 WHERE category = 'pc';
INSERT INTO item VALUES ('pc_item', 'pc', '临时项目 an item for a moment', 4, 0.5);
INSERT INTO award_kind VALUES ('pc_kind', '临时奖励 an award kind for a moment', 1);
DELETE FROM award_kind WHERE kind = 'pc_kind';
DELETE FROM item WHERE item = 'pc_item';
DELETE FROM category WHERE category = 'pc';

-- every row in the audit trail is written exactly as to_jsonb writes it
-- (a row rebuilt from the audit's jsonb gives the same text back)
CREATE FUNCTION pg_temp.as_to_jsonb(t text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    result boolean;
BEGIN
    EXECUTE format($q$
        SELECT bool_and(r::text = to_jsonb(jsonb_populate_record(NULL::pointsys.%1$I, r))::text)
        FROM pointsys.audit a, LATERAL (VALUES (a.old_row), (a.new_row)) v (r)
        WHERE a.table_name = %1$L AND r IS NOT NULL$q$, t) INTO result;
    RETURN result;
END
$$;
SELECT t AS audited_table, pg_temp.as_to_jsonb(t)
FROM unnest(ARRAY['score', 'award', 'sanction', 'evaluation', 'branch', 'member',
                  'period', 'recorder', 'item', 'category', 'award_kind', 'setting']) AS t;
