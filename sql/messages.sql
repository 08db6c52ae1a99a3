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

--
-- Every message, the SQL's too (issue 24): the SQL functions refuse through
-- pointsys.refuse, which translates message, detail and hint before their
-- arguments go in; a quarter's status is named in the session's language;
-- a recorder's refusal names the row she sent.
--
INSERT INTO branch VALUES ('mb', '另一支部');
-- mt1 joined the party in branch mb in March 2024 and moved to ma in May
INSERT INTO member VALUES ('mb1', '乙', 'mb', '2024-01-01', NULL), ('mt1', '丁', 'mb', '2024-03-15', NULL);
INSERT INTO membership VALUES ('mt1', 'ma', '2024-05-01');
INSERT INTO recorder VALUES ('ma', 'regress_clerk', '2024-01-05');
INSERT INTO setting VALUES ('publicity_days', 0);
SELECT advance('ma', 2023, 4), advance('ma', 2023, 4), advance('ma', 2023, 4), advance('ma', 2023, 4);
SELECT advance('ma', 2024, 2);

CREATE TEMP TABLE sql_refusals (n int, stmt text);
INSERT INTO sql_refusals VALUES
    (10, $$SELECT pointsys.advance('ma', 2023, 4)$$),
    (11, $$SELECT * FROM pointsys.publicity('ma', 2024, 1)$$),
    (12, $$INSERT INTO pointsys.score VALUES ('ma1', '2024-05-01', 'org_life', 4)$$),
    (13, $$SELECT pointsys.set_node(0)$$),
    (14, $$SELECT * FROM pointsys.points_needed('nobody', 2024)$$),
    (15, $$SELECT pointsys.reopen('ma', 2023, 4, ' ')$$),
    (16, $$UPDATE pointsys.period SET status = 'verified' WHERE branch_id = 'ma' AND year = 2024 AND quarter = 2$$),
    -- pointsys.refuse takes any input: %n$s, a missing or NULL argument,
    -- a lone %, an unknown SQLSTATE (P0001), no message, empty texts
    (17, $$SELECT pointsys.refuse('XX', 'a %s|%2$s|%9$s|%%|%d|%', NULL, NULL, 'x', NULL)$$),
    (18, $$SELECT pointsys.refuse('00000', NULL)$$),
    (28, $$SELECT pointsys.refuse('22023', '', '', '')$$),
    (19, $$SELECT pointsys.refuse('23514', 'member "%s" cannot mentor themself', 'no such detail %s', NULL, 'm1')$$);
-- as the recorder of ma
CREATE TEMP TABLE recorder_refusals (n int, stmt text);
INSERT INTO recorder_refusals VALUES
    (20, $$SELECT * FROM pointsys.publicity('mb', 2024, 1)$$),
    (21, $$INSERT INTO pointsys.score VALUES ('mb1', '2024-03-01', 'study', 1)$$),
    (22, $$INSERT INTO pointsys.award (member_id, month, kind) VALUES ('nobody', '2024-03-01', 'county')$$),
    -- a member of her branch: before they joined the party (1.1's 23503),
    -- before they joined her branch (the uniform 42501, with the row)
    (23, $$INSERT INTO pointsys.score VALUES ('mt1', '2024-02-01', 'study', 1)$$),
    (24, $$INSERT INTO pointsys.score VALUES ('mt1', '2024-04-01', 'study', 1)$$),
    (25, $$SELECT pointsys.advance('mb', 2024, 1)$$),
    -- (reopen is not hers: PostgreSQL's own 42501, whose words in its own
    -- catalog change between majors: its SQLSTATE alone is shown)
    (26, $$SELECT pointsys.reopen('ma', 2024, 2, 'mistake')$$);
GRANT SELECT ON recorder_refusals TO regress_clerk;

SET lc_messages = 'zh_CN.UTF-8';
SELECT n, pg_temp.try(stmt) FROM sql_refusals ORDER BY n;
SET ROLE regress_clerk;
SELECT n, CASE n WHEN 26 THEN left(pg_temp.try(stmt), 5) ELSE pg_temp.try(stmt) END AS try FROM recorder_refusals ORDER BY n;
RESET ROLE;
RESET lc_messages;
SELECT n, pg_temp.try(stmt) FROM sql_refusals ORDER BY n;
SET ROLE regress_clerk;
SELECT n, CASE n WHEN 26 THEN left(pg_temp.try(stmt), 5) ELSE pg_temp.try(stmt) END AS try FROM recorder_refusals ORDER BY n;
RESET ROLE;

--
-- No CONTEXT for a writer below the owner (issue 24): a refusal raised
-- inside pointsys's SQL functions reaches the recorder without the lines
-- quoting their statements (the server log keeps them); a superuser still
-- gets them.  (SHOW_CONTEXT always: psql shows any CONTEXT there is;
-- VERBOSITY verbose would add the C file's line numbers.)
--
\set SHOW_CONTEXT always
SET ROLE regress_clerk;
SELECT pointsys.advance('ma', 2023, 4);
SELECT pointsys.publicity_html('mb', 2024, 1);
SELECT pointsys.publicity_html('ma', 2024, 1);
SELECT pointsys.advance('ma', 2024, 2), pointsys.advance('ma', 2024, 2);
SELECT pointsys.advance('ma', 2024, 2);
RESET ROLE;
SET lc_messages = 'zh_CN.UTF-8';
SET ROLE regress_clerk;
SELECT pointsys.advance('ma', 2024, 2);
RESET ROLE;
RESET lc_messages;
SELECT pointsys.advance('ma', 2023, 4);
\set SHOW_CONTEXT errors
