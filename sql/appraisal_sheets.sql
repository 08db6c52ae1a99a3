--
-- appraisal_sheets: the printed 测评票 (appraisal_ballot_html) and results
-- sheet (appraisal_results_html) of a democratic appraisal round (issue
-- 26): who may print them, their refusals, and what they say (the members
-- in order, names escaped, no voter's name; the counts, the score, the
-- ballots, weights, quorum and publicity dates), read with patterns
-- rather than printed whole (test/sheets.sh prints them with Chromium)
--
\i test/data/fixture.sql
SET search_path = pointsys, public;

-- the fixture's roles: regress_aa_rec and regress_ab_rec (recorders of
-- branches aa and ab), regress_a_admin, regress_a_reader, the voters'
-- logins regress_voter1 and regress_voter2
INSERT INTO branch VALUES ('aa', '评议甲支部'), ('ab', '<i>乙&支部</i>');
INSERT INTO member (member_id, name, branch_id) VALUES
	('aa1', '甲一', 'aa'), ('aa2', '<b>"甲&二''</b>', 'aa'), ('aa3', '甲三', 'aa'),
	('ab1', '乙一', 'ab'), ('ab2', '乙二', 'ab');
-- ab2 moves to aa in July: aa appraises her
INSERT INTO membership VALUES ('ab2', 'aa', '2025-07-01');
INSERT INTO recorder VALUES ('aa', 'regress_aa_rec', '2025-01-05'), ('ab', 'regress_ab_rec', '2025-01-05');
INSERT INTO setting VALUES ('publicity_days', 0);

-- how often a pattern occurs in a sheet
CREATE FUNCTION pg_temp.occurs(sheet text, pattern text) RETURNS bigint
	LANGUAGE sql IMMUTABLE RETURN (SELECT count(*) FROM regexp_matches(sheet, pattern, 'g'));

------------------------------------------------------------------------
-- Refusals before there is a round
------------------------------------------------------------------------
SET ROLE regress_aa_rec;
SELECT pg_temp.try($$SELECT pointsys.appraisal_ballot_html('aa', 2025)$$);
SELECT pg_temp.try($$SELECT pointsys.appraisal_results_html('aa', 2025)$$);
SELECT pg_temp.try($$SELECT pointsys.appraisal_ballot_html('ab', 2025)$$);
RESET ROLE;
SET ROLE regress_a_admin;
SELECT pg_temp.try($$SELECT pointsys.appraisal_ballot_html('zz', 2025)$$);
RESET ROLE;
-- a voter's login is none of them (the SQLSTATE only: the message is the
-- documents' check's)
SET ROLE regress_voter1;
SELECT left(pg_temp.try($$SELECT pointsys.appraisal_ballot_html('aa', 2025)$$), 5) AS voter;
RESET ROLE;

------------------------------------------------------------------------
-- The paper ballot of an open round
------------------------------------------------------------------------
SET ROLE regress_aa_rec;
INSERT INTO appraisal_round (branch_id, year, ballots_issued) VALUES ('aa', 2025, 5);
SELECT appraisal_ballot_html('aa', 2025) AS sheet \gset
-- a standalone page, A4 portrait, in Chinese
SELECT :'sheet' LIKE E'<!DOCTYPE html>\n<html lang="zh-CN">%' AS standalone,
	   position('@page{size:A4;' IN :'sheet') > 0 AS a4_portrait,
	   (regexp_match(:'sheet', '<title>([^<]*)</title>'))[1] AS title,
	   (regexp_match(:'sheet', '<h1>([^<]*)</h1>'))[1] AS heading,
	   (regexp_match(:'sheet', '<p class="meta">(支部：[^<]*)</p>'))[1] AS branch;
-- a row per member appraised, in code order (ab2 came in July), the HTML
-- name escaped and never raw
SELECT m[1] AS n, m[2] AS name
FROM regexp_matches(:'sheet', '<tr><td>(\d+)</td><td class="nw">([^<]*)</td>', 'g') m;
SELECT position('&lt;b&gt;&quot;甲&amp;二&#39;&lt;/b&gt;' IN :'sheet') > 0 AS escaped,
	   position('<b>"甲' IN :'sheet') = 0 AS never_raw;
-- the four labels, four empty boxes a member, the rule for marks; no
-- place for the voter's name
SELECT :'sheet' ~ '<th[^>]*>优秀</th><th[^>]*>合格</th><th[^>]*>基本合格</th><th[^>]*>不合格</th>' AS labels,
	   pg_temp.occurs(:'sheet', '<td style="height:7mm"></td>') AS boxes,
	   position('本票不记名' IN :'sheet') > 0 AS anonymous,
	   position('划两个及以上“√”的，该党员的这一票为废票' IN :'sheet') > 0 AS spoilt_rule,
	   :'sheet' !~ '投票人|签名|签字' AS no_voter_field;
-- the results are not fixed while the round is open
SELECT pg_temp.try($$SELECT pointsys.appraisal_results_html('aa', 2025)$$);
RESET ROLE;
-- the bureau and the reporting tool print it too; ab's recorder does not
SET ROLE regress_a_reader;
SELECT appraisal_ballot_html('aa', 2025) = :'sheet' AS "the reader's is the same";
RESET ROLE;
SET ROLE regress_ab_rec;
SELECT pg_temp.try($$SELECT pointsys.appraisal_ballot_html('aa', 2025)$$);
RESET ROLE;

------------------------------------------------------------------------
-- The results sheet of the closed round, then publicized
------------------------------------------------------------------------
SET ROLE regress_aa_rec;
-- aa1 (300 + 80) / 4 = 95.00; aa2 (100 + 160 + 60) / 4 = 80.00;
-- aa3 (160 + 60 + 0) / 4 = 55.00; ab2 (200 + 80) / 3 = 93.33
INSERT INTO appraisal_tally VALUES ('aa', 2025, 'aa1', 3, 1, 0, 0, 0), ('aa', 2025, 'aa2', 1, 2, 1, 0, 1),
	('aa', 2025, 'aa3', 0, 2, 1, 1, 0), ('aa', 2025, 'ab2', 2, 1, 0, 0, 1);
UPDATE appraisal_round SET ballots_returned = 5, status = 'closed' WHERE branch_id = 'aa';
SELECT appraisal_results_html('aa', 2025) AS sheet \gset
SELECT position('@page{size:A4;' IN :'sheet') > 0 AS a4_portrait,
	   (regexp_match(:'sheet', '<title>([^<]*)</title>'))[1] AS title,
	   (regexp_match(:'sheet', '<h1>([^<]*)</h1>'))[1] AS heading;
SELECT m[1] AS "序号", m[2] AS "姓名", m[3] AS "优秀", m[4] AS "合格", m[5] AS "基本合格", m[6] AS "不合格",
	   m[7] AS "废票", m[8] AS "有效票", m[9] AS "得分"
FROM regexp_matches(:'sheet', '<tr><td>(\d+)</td><td class="nw">([^<]*)</td><td>(\d+)</td><td>(\d+)</td>'
					'<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td><b>([^<]*)</b></td></tr>', 'g') m;
-- the figures are the view's
SELECT member_id, score FROM appraisal_results WHERE branch_id = 'aa' ORDER BY member_id;
SELECT m[1] AS line FROM regexp_matches(:'sheet', '<p class="meta">([^<]*)</p>', 'g') m;
SELECT position('<b>"甲' IN :'sheet') = 0 AS never_raw, position('计票人（签字）' IN :'sheet') > 0 AS tellers_sign;
-- the ballot still prints (for the file)
SELECT pg_temp.occurs(appraisal_ballot_html('aa', 2025), '<tr><td>\d+</td>') AS ballot_rows;
UPDATE appraisal_round SET status = 'publicized' WHERE branch_id = 'aa';
-- publicity_days 0: one day, today (Beijing time)
SELECT (regexp_match(appraisal_results_html('aa', 2025), '<p class="meta">公示期：([^<。]*)。'))[1]
	   = to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY年FMMM月FMDD日') AS "publicity: today";
UPDATE appraisal_round SET status = 'final' WHERE branch_id = 'aa';
RESET ROLE;
SET ROLE regress_a_reader;
SELECT (regexp_match(appraisal_results_html('aa', 2025), '<td><b>([^<]*)</b></td></tr>'))[1] AS "aa1, final, for the reader";
RESET ROLE;
SET ROLE regress_ab_rec;
SELECT pg_temp.try($$SELECT pointsys.appraisal_results_html('aa', 2025)$$);
RESET ROLE;

------------------------------------------------------------------------
-- An electronic round: no paper ballot; its results sheet, publicized
-- for five days
------------------------------------------------------------------------
UPDATE setting SET value = 5 WHERE name = 'publicity_days';
SET ROLE regress_ab_rec;
INSERT INTO appraisal_round (branch_id, year, ballots_issued, electronic) VALUES ('ab', 2025, 2, true);
SELECT pg_temp.try($$SELECT pointsys.appraisal_ballot_html('ab', 2025)$$);
INSERT INTO appraisal_voter (branch_id, year, role_name) VALUES ('ab', 2025, 'regress_voter1'), ('ab', 2025, 'regress_voter2');
RESET ROLE;
SET ROLE regress_voter1;
SELECT cast_ballot('ab', 2025, '{"ab1": "excellent"}');
RESET ROLE;
SET ROLE regress_voter2;
SELECT cast_ballot('ab', 2025, '{"ab1": "basically_qualified"}');
RESET ROLE;
SET ROLE regress_ab_rec;
SELECT pg_temp.try($$SELECT pointsys.appraisal_results_html('ab', 2025)$$);
UPDATE appraisal_round SET voting_ended = true WHERE branch_id = 'ab';
SELECT pg_temp.try($$SELECT pointsys.appraisal_results_html('ab', 2025)$$);
UPDATE appraisal_round SET status = 'closed' WHERE branch_id = 'ab';
UPDATE appraisal_round SET status = 'publicized' WHERE branch_id = 'ab';
SELECT appraisal_results_html('ab', 2025) AS sheet \gset
RESET ROLE;
-- the branch's name escaped in title, heading and seal
SELECT (regexp_match(:'sheet', '<title>([^<]*)</title>'))[1] AS title,
	   (regexp_match(:'sheet', '<h1>([^<]*)</h1>'))[1] AS heading,
	   (regexp_match(:'sheet', '<p class="sign">(中共[^<]*)</p>'))[1] AS seal;
SELECT regexp_replace(m[1], '\d+年\d+月\d+日', 'D', 'g') AS line
FROM regexp_matches(:'sheet', '<p class="meta">([^<]*)</p>', 'g') m;
-- five days: the last is the fourth after the first
SELECT to_date(m[2], 'YYYY年MM月DD日') - to_date(m[1], 'YYYY年MM月DD日') AS "last - first"
FROM regexp_match(:'sheet', '公示期：(\d+年\d+月\d+日)至(\d+年\d+月\d+日)') m;
SELECT (regexp_match(:'sheet', '<tr><td>1</td><td class="nw">乙一</td>(.*)</tr>'))[1] AS ab1;
