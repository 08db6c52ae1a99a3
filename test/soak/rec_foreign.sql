-- test/soak/rec_foreign.sql: a recorder tries a branch that is not its own (must be refused)
-- (pgbench script of test/soak/run.sh; -D own=K branches=N slots=S items=I)
\set b (:own + random(1, :branches - 2)) % :branches + 1
\set r random(1, :slots)
\set mo random(1, 12)
\set it random(1, :items)
\set p random(0, 999999)
SELECT soak.foreign_write(:b, :r, :mo, :it, :p);
