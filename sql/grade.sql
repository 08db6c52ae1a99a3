--
-- grade: the pointsys.grade type (格次): input, output and its language,
-- operators, sorting, grouping, min/max, indexes, joins, binary form, casts
--
\i test/data/fixture.sql

-- Set before the module is loaded (the fixture ends in a new session): the setting
-- must still apply once the first grade is read
SET pointsys.language = 'en';
SELECT '良好'::pointsys.grade AS good_in_english;
SHOW pointsys.language;
RESET pointsys.language;
SELECT 'good'::pointsys.grade AS good_in_chinese;

--
-- Input: Chinese labels, English words in any case, blanks around
-- (ASCII white space and U+3000, the ideographic space)
--
SELECT to_json(v) AS input, v::pointsys.grade AS grade
FROM (VALUES ('不合格'), ('合格'), ('良好'), ('优秀'),
             ('unqualified'), ('qualified'), ('good'), ('excellent'),
             ('EXCELLENT'), ('Good'), ('QuAlIfIeD'), ('UNQUALIFIED'),
             ('  good  '), (E'\t\n\r\x0b\f良好 \n'), ('　优秀　'), ('　 excellent　 　'),
             (E'\u3000unqualified')) AS t(v);

-- Anything else is refused with SQLSTATE 22P02 and a hint listing the labels
SELECT 'goodd'::pointsys.grade;
\echo :SQLSTATE
SELECT to_json(v) AS input, pg_temp.try(format('SELECT %L::pointsys.grade', v)) AS result
FROM (VALUES (''), (' '), ('　'), ('exc'), ('excellent!'), ('good good'),
             ('go od'), ('优'), ('优秀秀'), ('优 秀'), ('不合'), ('合格格'),
             ('ｇｏｏｄ'), ('Unqualified-'), ('0'), ('3'), ('null')) AS t(v);
SELECT NULL::pointsys.grade IS NULL AS null_stays_null;

--
-- Output: Chinese by default, English with pointsys.language = 'en'
--
CREATE TABLE grades (id int PRIMARY KEY, g pointsys.grade);
INSERT INTO grades VALUES (1, '优秀'), (2, 'good'), (3, '合格'), (4, 'unqualified'),
                          (5, 'excellent'), (6, '良好'), (7, NULL), (8, '良好');
SELECT id, g, g::text AS as_text FROM grades ORDER BY id;
SET pointsys.language = 'en';
SELECT id, g, g::text AS as_text FROM grades ORDER BY id;
SET pointsys.language = 'EN';           -- enum settings ignore case
SHOW pointsys.language;
SET pointsys.language = 'zh';
SELECT g FROM grades WHERE id = 1;
-- bad values and names under the reserved prefix
SET pointsys.language = 'fr';
\echo :SQLSTATE
SET pointsys.language = '';
\echo :SQLSTATE
SET pointsys.langauge = 'en';
\echo :SQLSTATE
SHOW pointsys.language;

--
-- Comparison operators, without search_path: OPERATOR(pointsys.op)
--
SELECT a.g AS a, b.g AS b,
       a.g OPERATOR(pointsys.<)  b.g AS lt,
       a.g OPERATOR(pointsys.<=) b.g AS le,
       a.g OPERATOR(pointsys.=)  b.g AS eq,
       a.g OPERATOR(pointsys.<>) b.g AS ne,
       a.g OPERATOR(pointsys.>=) b.g AS ge,
       a.g OPERATOR(pointsys.>)  b.g AS gt,
       pointsys.grade_cmp(a.g, b.g) AS cmp
FROM (VALUES ('不合格'::pointsys.grade), ('合格'), ('良好'), ('优秀')) AS a(g),
     (VALUES ('不合格'::pointsys.grade), ('合格'), ('良好'), ('优秀')) AS b(g)
ORDER BY a.g USING OPERATOR(pointsys.<), b.g USING OPERATOR(pointsys.<);

-- A reporting tool's way: the schema in search_path
SET search_path = pointsys, public;
SELECT '优秀'::grade > 'good' AS excellent_above_good,
       'qualified'::grade < '良好' AS qualified_below_good,
       'good'::grade = '良好' AS same_grade_two_languages,
       NULL::grade < 'good' AS null_compares_null;

-- ORDER BY, DISTINCT, GROUP BY, min/max
SELECT g FROM grades ORDER BY g, id;
SELECT g FROM grades ORDER BY g DESC NULLS LAST, id;
SELECT DISTINCT g FROM grades ORDER BY g;
SELECT g, count(*) FROM grades GROUP BY g ORDER BY g;
SELECT min(g), max(g), count(g) FROM grades;
SELECT min(g), max(g) FROM grades WHERE id = 7;
SELECT min(g), max(g) FROM grades WHERE false;
SELECT id % 2 AS odd, min(g), max(g) FROM grades GROUP BY 1 ORDER BY 1;
SELECT g FROM grades WHERE g BETWEEN '合格' AND 'good' ORDER BY id;
SELECT g FROM grades WHERE g IN ('excellent', '不合格') ORDER BY id;
SELECT greatest('合格'::grade, '优秀', 'good'), least('合格'::grade, '优秀', 'good');

-- Hash aggregation and sort-based grouping give the same groups
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT g, count(*) FROM grades GROUP BY g;
SELECT g, count(*) FROM grades GROUP BY g ORDER BY g;
RESET enable_sort;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT g, count(*) FROM grades GROUP BY g;
SELECT g, count(*) FROM grades GROUP BY g;
RESET enable_hashagg;

--
-- Indexes: btree and hash, used and correct
--
CREATE TABLE many (id int PRIMARY KEY, g grade NOT NULL);
INSERT INTO many
SELECT i, (ARRAY['不合格', '合格', '良好', '优秀'])[1 + (i % 4 + (i % 5 = 0)::int) % 4]::grade
FROM generate_series(1, 2000) AS i;
SELECT g, count(*) FROM many GROUP BY g ORDER BY g;

CREATE INDEX many_g_btree ON many (g);
ANALYZE many;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE g = '良好';
SELECT count(*) FROM many WHERE g = '良好';
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE g >= 'good';
SELECT count(*) FROM many WHERE g >= 'good';
EXPLAIN (COSTS OFF) SELECT id, g FROM many WHERE g < '合格' ORDER BY g, id LIMIT 3;
SELECT id, g FROM many WHERE g < '合格' ORDER BY g, id LIMIT 3;
-- min and max read the two ends of the btree.  Only the plan's nodes: how
-- the InitPlans are labelled and whether an IS NOT NULL index condition is
-- shown differ between PostgreSQL majors
CREATE FUNCTION pg_temp.plan_nodes(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        CONTINUE WHEN line !~ '^(\S|\s*->)';
        RETURN NEXT line;
    END LOOP;
END
$$;
SELECT pg_temp.plan_nodes('SELECT min(g), max(g) FROM many');
SELECT min(g), max(g) FROM many;
DROP INDEX many_g_btree;

CREATE INDEX many_g_hash ON many USING hash (g);
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE g = 'excellent';
SELECT count(*) FROM many WHERE g = 'excellent';
RESET enable_bitmapscan;
SELECT count(*) FROM many WHERE g = '优秀';
RESET enable_seqscan;
SELECT count(*) FROM many WHERE g = '优秀';
-- a unique btree index refuses a second 优秀 spelled in English
CREATE TABLE one_each (g grade PRIMARY KEY);
INSERT INTO one_each VALUES ('优秀'), ('良好');
INSERT INTO one_each VALUES ('EXCELLENT');
\echo :SQLSTATE

--
-- Joins on grade: hash join, merge join
--
CREATE TABLE labels (g grade PRIMARY KEY, label text);
INSERT INTO labels VALUES ('不合格', 'd'), ('合格', 'c'), ('良好', 'b'), ('优秀', 'a');
ANALYZE labels;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT l.label, count(*) FROM many m JOIN labels l ON l.g = m.g GROUP BY l.label;
SELECT l.label, count(*) FROM many m JOIN labels l ON l.g = m.g GROUP BY l.label ORDER BY 1;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT l.label, count(*) FROM many m JOIN labels l ON l.g = m.g GROUP BY l.label;
SELECT l.label, count(*) FROM many m JOIN labels l ON l.g = m.g GROUP BY l.label ORDER BY 1;
RESET enable_hashjoin;
RESET enable_nestloop;

--
-- Binary form: the label, in the language of pointsys.language (1.3);
-- binary input also takes 1.1's one byte, the rank 0 (不合格) .. 3 (优秀)
--
SELECT g, grade_send(g), convert_from(grade_send(g), 'UTF8') AS label
FROM labels ORDER BY g;
SET pointsys.language = 'en';
SELECT g, grade_send(g) FROM labels ORDER BY g;
RESET pointsys.language;
-- round trip through COPY ... (FORMAT binary)
\copy (SELECT id, g FROM grades ORDER BY id) TO 'results/grade_copy.bin' WITH (FORMAT binary)
CREATE TABLE grades_back (id int, g grade);
\copy grades_back FROM 'results/grade_copy.bin' WITH (FORMAT binary)
SELECT * FROM grades_back ORDER BY id;
SELECT count(*) AS differing FROM (
    (SELECT id, g FROM grades EXCEPT SELECT id, g FROM grades_back)
    UNION ALL
    (SELECT id, g FROM grades_back EXCEPT SELECT id, g FROM grades)) AS d;
-- handmade binary COPY data: the header, then for each row a field count
-- of 1, a field length and the bytes, then the trailer
CREATE TABLE received (g grade);
COPY received FROM PROGRAM $$printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\001\0\0\0\001\0\0\001\0\0\0\001\001\0\001\0\0\0\001\002\0\001\0\0\0\001\003\377\377'$$
    WITH (FORMAT binary);
SELECT g, g::text FROM received;
-- the label form: 'good' and 优秀 (UTF-8), as 1.3 sends them
TRUNCATE received;
COPY received FROM PROGRAM $$printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\001\0\0\0\004good\0\001\0\0\0\006\344\274\230\347\247\200\377\377'$$
    WITH (FORMAT binary);
SELECT g, g::text FROM received;
-- a rank beyond 3, a byte with the high bit set, two bytes that are no
-- label, an unknown label, no byte: 22P03 (the field: its length, then its
-- bytes, between the same header and trailer as above)
SELECT field, pg_temp.try(format('COPY received FROM PROGRAM %L WITH (FORMAT binary)',
           format($$printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\001%s\377\377'$$, field))) AS result
FROM unnest(ARRAY['\0\0\0\001\007', '\0\0\0\001\377', '\0\0\0\002\001\001', '\0\0\0\004best', '\0\0\0\0']) AS field;
SELECT count(*) AS rows_after_errors FROM received;

--
-- Casts to and from text (assignment casts)
--
SELECT '优秀'::text::grade AS from_text, ('良好'::grade)::text AS to_text,
       CAST(' Qualified '::text AS grade) AS trimmed;
SET pointsys.language = 'en';
SELECT ('良好'::grade)::text AS to_text_en, CAST('不合格'::varchar AS grade) AS from_varchar;
RESET pointsys.language;
-- assignment: a text value into a grade column, a grade into a text column
INSERT INTO grades VALUES (9, 'excellent'::text);
CREATE TABLE grade_texts (t text);
INSERT INTO grade_texts SELECT g FROM grades WHERE id = 9;
SELECT * FROM grade_texts;
-- comparisons with text and varchar (1.3): a driver's string parameter
-- holds a label, compared as a grade
SELECT g, g = 'good'::text AS eq_text, g = 'GOOD'::varchar AS eq_varchar,
       '良好'::varchar = g AS varchar_eq, g <> '良好'::text AS ne,
       g < 'good'::text AS lt, g <= '良好'::varchar AS le,
       g > 'good'::text AS gt, g >= '良好'::varchar AS ge,
       'good'::text < g AS text_lt, 'good'::text >= g AS text_ge
FROM grades WHERE id IN (1, 2, 3, 7) ORDER BY id;
PREPARE by_label(varchar) AS SELECT id FROM grades WHERE g = $1 ORDER BY id;
EXECUTE by_label('良好');
PREPARE at_least(text) AS SELECT id FROM grades WHERE g >= $1 ORDER BY id;
EXECUTE at_least('good');
DEALLOCATE by_label;
DEALLOCATE at_least;
-- a literal still means grade = grade, and two literals still compare as
-- text: nothing became ambiguous
EXPLAIN (COSTS OFF, VERBOSE) SELECT id FROM grades WHERE g = 'good';
EXPLAIN (COSTS OFF, VERBOSE) SELECT id FROM grades WHERE 'good' < g;
SELECT '优秀' = ' 优秀' AS two_literals_as_text, 'good'::text = 'good'::varchar AS text_and_varchar;
SELECT o.oprname, o.oprleft::regtype, o.oprright::regtype
FROM pg_operator o
WHERE o.oprnamespace = 'pointsys'::regnamespace AND 'text'::regtype IN (o.oprleft, o.oprright)
ORDER BY 1, 2, 3;
-- a string that is no label: 22P02, as for input
SELECT pg_temp.try($$SELECT '良好'::pointsys.grade OPERATOR(pointsys.=) 'best'::text$$);
SELECT pg_temp.try($$SELECT 'best'::varchar OPERATOR(pointsys.<) '良好'::pointsys.grade$$);
SELECT pg_temp.try($$SELECT 'bad'::text::pointsys.grade$$);

DROP TABLE grades, grades_back, many, one_each, labels, received, grade_texts;

--
-- A database in another server encoding: EUC_CN (GB2312), which Chinese
-- databases often use.  The extension installs (its script is UTF-8), reads
-- and writes the Chinese labels, and its messages stay readable (22P02,
-- 22P03 with their hint and detail, not an encoding error).
--
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_pointsys_euc_cn ENCODING 'EUC_CN' TEMPLATE template0
    LC_COLLATE 'C' LC_CTYPE 'C';
\c regress_pointsys_euc_cn
SET client_encoding = 'UTF8';
SHOW server_encoding;
CREATE EXTENSION pointsys;
SELECT obj_description('pointsys.grade'::regtype, 'pg_type') AS comment;
SELECT v AS input, v::pointsys.grade AS grade
FROM (VALUES ('优秀'), ('　良好　'), ('Qualified'), ('不合格')) AS t(v);
SELECT pointsys.grade_of(89.995) AS grade, pointsys.eligibility('合格') AS eligibility;
SET pointsys.language = 'en';
SELECT '优秀'::pointsys.grade AS excellent;
RESET pointsys.language;
SELECT '优'::pointsys.grade;
\echo :SQLSTATE
CREATE TABLE received (g pointsys.grade);
COPY received FROM PROGRAM $$printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\001\0\0\0\001\007\377\377'$$
    WITH (FORMAT binary);
\echo :SQLSTATE
\c :regress_db
DROP DATABASE regress_pointsys_euc_cn;
