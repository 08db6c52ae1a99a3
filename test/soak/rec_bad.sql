-- test/soak/rec_bad.sql: a recorder writes points out of range or off the step (must be refused)
-- (pgbench script of test/soak/run.sh; -D own=K branches=N slots=S items=I)
\set b (:own - 1 + random(0, 1)) % :branches + 1
\set r random(1, :slots)
\set mo random(1, 12)
\set it random(1, :items)
\set p random(0, 999999)
SELECT soak.bad_points(:b, :r, :mo, :it, :p);
