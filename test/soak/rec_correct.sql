-- test/soak/rec_correct.sql: a recorder corrects a score (sometimes moving it to another month)
-- (pgbench script of test/soak/run.sh; -D own=K branches=N slots=S items=I)
\set b (:own - 1 + random(0, 1)) % :branches + 1
\set r random(1, :slots)
\set mo random(1, 12)
\set it random(1, :items)
\set p random(0, 999999)
SELECT soak.score_correct(:b, :r, :mo, :it, :p);
