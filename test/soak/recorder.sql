-- test/soak/recorder.sql: one transaction of a recorder (pgbench script of
-- test/soak/run.sh, run as recK; -D own=K branches=N slots=S items=I), in
-- one of its two branches, gK and its neighbour's.  Chances in 100:
--   35  insert a score
--   30  correct a score (sometimes moving it to another month)
--   15  delete a score
--   10  insert an award, or delete one
--    2  advance a quarter
--    4  try a branch that is not its own (must be refused)
--    4  write points out of range or off the step (must be refused)
\set b (:own - 1 + random(0, 1)) % :branches + 1
\set r random(1, :slots)
\set mo random(1, 12)
\set it random(1, :items)
\set p random(0, 999999)
\set w random(1, 100)
\if :w <= 35
SELECT soak.score_insert(:b, :r, :mo, :it, :p);
\elif :w <= 65
SELECT soak.correct('correct', :b, :r, :mo, :it, :p, true);
\elif :w <= 80
SELECT soak.score_delete(:b, :r, :mo, :it);
\elif :w <= 90
SELECT soak.award(:b, :r, :mo, :p);
\elif :w <= 92
\set q random(1, 4)
SELECT soak.advance(:b, :q);
\elif :w <= 96
\set b (:own + random(1, :branches - 2)) % :branches + 1
SELECT soak.foreign_write(:b, :r, :mo, :it, :p);
\else
SELECT soak.bad_points(:b, :r, :mo, :it, :p);
\endif
