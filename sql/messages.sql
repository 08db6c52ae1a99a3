--
-- messages: pointsys's messages in the session's language (issue 11).
-- With lc_messages = 'zh_CN.UTF-8' they come from po/zh_CN.po (text
-- domain pointsys-<major>); otherwise they are English.  (The test scripts
-- generate the zh_CN.UTF-8 locale: test/lib.sh, ensure_zh_locale.)
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

INSERT INTO branch VALUES ('ma', '消息支部');
INSERT INTO member VALUES ('ma1', '甲', 'ma', '2024-05-15', NULL);

CREATE TEMP TABLE refusals (n int, stmt text);
INSERT INTO refusals VALUES
    (1, $$INSERT INTO pointsys.score VALUES ('ma1', '2024-06-01', 'org_life', 4.5)$$),
    (2, $$INSERT INTO pointsys.score VALUES ('ma1', '2024-06-01', 'org_life', 1.25)$$),
    (3, $$INSERT INTO pointsys.score VALUES ('ma1', '2024-04-01', 'org_life', 4)$$),
    (4, $$INSERT INTO pointsys.score VALUES ('ma1', '0026-03-01', 'org_life', 4)$$),
    (5, $$INSERT INTO pointsys.score VALUES ('nobody', '2024-06-01', 'org_life', 4)$$),
    (6, $$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('ma1', '2024-06-01', 'medal')$$),
    (7, $$INSERT INTO pointsys.sanction (member_id, kind, effective_on) VALUES ('ma1', 'reprimand', '2024-06-01')$$),
    (8, $$SELECT 'best'::pointsys.grade$$),
    (9, $$SELECT pointsys.quarter_start(2024, 5)$$);

SET lc_messages = 'zh_CN.UTF-8';
SELECT n, pg_temp.try(stmt) FROM refusals ORDER BY n;
-- the refusal's SQLSTATE and fields do not depend on the language
SELECT n, pg_temp.try(stmt) LIKE '2%' AS has_sqlstate FROM refusals WHERE n <= 7 ORDER BY n;
RESET lc_messages;
SELECT n, pg_temp.try(stmt) FROM refusals ORDER BY n;
SET lc_messages = 'C';
SELECT pg_temp.try(stmt) FROM refusals WHERE n = 1;
RESET lc_messages;

DELETE FROM member WHERE member_id = 'ma1';
DELETE FROM branch WHERE branch_id = 'ma';
