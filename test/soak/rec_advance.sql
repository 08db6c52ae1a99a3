-- test/soak/rec_advance.sql: a recorder advances a quarter of one of its branches
-- (pgbench script of test/soak/run.sh; -D own=K branches=N slots=S items=I)
\set b (:own - 1 + random(0, 1)) % :branches + 1
\set q random(1, 4)
SELECT soak.advance(:b, :q);
