-- test/soak/bureau.sql: one transaction of the bureau (pgbench script of
-- test/soak/run.sh, run as soak_admin; -D branches=N slots=S items=I), in
-- any branch.  Chances in 100:
--   25  reopen a quarter, with a reason
--   15  verify a filed quarter
--   60  correct a score
\set b random(1, :branches)
\set q random(1, 4)
\set w random(1, 100)
\if :w <= 25
SELECT soak.reopen(:b, :q);
\elif :w <= 40
SELECT soak.verify(:b, :q);
\else
\set r random(1, :slots)
\set mo random(1, 12)
\set it random(1, :items)
\set p random(0, 999999)
SELECT soak.correct('admin_correct', :b, :r, :mo, :it, :p, false);
\endif
