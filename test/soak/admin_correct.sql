-- test/soak/admin_correct.sql: the bureau corrects a score in any branch
-- (pgbench script of test/soak/run.sh, run as soak_admin; -D branches=N slots=S items=I)
\set b random(1, :branches)
\set r random(1, :slots)
\set mo random(1, 12)
\set it random(1, :items)
\set p random(0, 999999)
SELECT soak.admin_correct(:b, :r, :mo, :it, :p);
