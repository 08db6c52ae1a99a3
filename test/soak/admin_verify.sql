-- test/soak/admin_verify.sql: the bureau verifies a filed quarter
-- (pgbench script of test/soak/run.sh, run as soak_admin; -D branches=N slots=S items=I)
\set b random(1, :branches)
\set q random(1, 4)
SELECT soak.verify(:b, :q);
