-- test/soak/admin_reopen.sql: the bureau reopens a quarter, with a reason
-- (pgbench script of test/soak/run.sh, run as soak_admin; -D branches=N slots=S items=I)
\set b random(1, :branches)
\set q random(1, 4)
SELECT soak.reopen(:b, :q);
