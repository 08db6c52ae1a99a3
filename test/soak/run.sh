#!/bin/bash
# test/soak/run.sh: concurrency under load.  Run as root on Debian 12:
#
#     bash test/soak/run.sh                    # 5 minutes
#     SOAK_SECONDS=20 bash test/soak/run.sh    # what test/check.sh runs
#
# Builds pointsys with assertions (like check.sh), starts a throwaway
# cluster and a generated bureau of 8 branches, then for SOAK_SECONDS runs
# 8 recorders and the bureau at once, each a separate login in its own
# pgbench (so that row-level security is what it is in production):
#   rec1..rec8   each records for its branch gK and its neighbour's, so two
#                recorders race on every branch; odd ones in READ COMMITTED,
#                even ones in REPEATABLE READ.  They insert, correct (and
#                move), delete scores, insert and delete awards, advance
#                quarters, try another branch, try bad points.
#   soak_admin   reopens quarters with a reason, verifies filed ones and
#                corrects scores in any branch.
# The pgbench scripts (test/soak/recorder.sql, test/soak/bureau.sql: each
# transaction one kind of write, by weight) call helpers (test/soak/setup.sql)
# that catch only the refusals the rules allow there (55000 quarter not
# recording, 23505, 40001 in REPEATABLE READ, 42501 for another branch or
# a recorder's filed → verified, 22003/23514 for bad points) and count
# every outcome; any other error aborts its client.
#
# Fails, printing why, when a pgbench client aborted or one of its
# transactions failed (pgbench 15 goes on after a deadlock or a
# serialization failure and counts it), the server log shows a crash, a
# failed assertion or an error, an invariant of test/data/invariants.sql
# is broken (score rules, membership, writes only
# while recording, audit replay = tables, annual_results = plain SQL), a
# check of test/soak/check.sql is broken (audit rows = committed writes per
# login, recorders only in their branches, reopen reasons), or the race was
# not exercised (no committed write, no 55000 refusal, no reopen).  Prints
# throughput: transactions per second overall and per kind, refusals by
# SQLSTATE, rows written.
#
# Environment: SOAK_SECONDS (300), SOAK_MEMBERS (160, spread over the 8
# branches), SOAK_SEED (1: pgbench's random seeds and the bureau's),
# SOAK_CHECK_TIMEOUT (1200: seconds the invariants may take),
# PGPORT_TEST (54349), PG_CONFIG, KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/test/lib.sh"

SOAK_SECONDS=${SOAK_SECONDS:-300}
SOAK_MEMBERS=${SOAK_MEMBERS:-160}
SOAK_SEED=${SOAK_SEED:-1}
SOAK_CHECK_TIMEOUT=${SOAK_CHECK_TIMEOUT:-1200}
BRANCHES=8

FAILURES=0
fail() {
	printf 'soak: FAILED: %s\n' "$*"
	FAILURES=$((FAILURES + 1))
}

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc
start_work
copy_tree "$ROOT"
SOAK=$WORK/tree/test/soak

log "build (assertions on, $WARNINGS)"
pg_make -j"$(nproc)" PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" COPT="$WARNINGS" \
	>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build failed"; }
pg_make install >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; die "make install failed"; }
chown -R "$PG_USER:" "$WORK/tree"

log "throwaway cluster"
PGPORT_TEST=${PGPORT_TEST:-54349}
start_cluster
mkdir -p "$WORK/soak"
chown "$PG_USER:" "$WORK/soak"

# q ARGS...: psql as postgres on the soak database, quiet, stop on error
q() {
	as_pg_client psql -XAtq -v ON_ERROR_STOP=1 -d soak "$@"
}

log "a bureau of $SOAK_MEMBERS members in $BRANCHES branches, $BRANCHES recorders and the bureau"
as_pg_client psql -XAtq -c "CREATE DATABASE soak ENCODING 'UTF8' TEMPLATE template0"
q -c 'CREATE EXTENSION pointsys'
# No generated scores (the recorders write them), the generated awards
q -v members="$SOAK_MEMBERS" -v branches="$BRANCHES" -v years=1 -v seed="$SOAK_SEED" -v scores=none \
	-f "$WORK/tree/test/data/generate.sql"
q -c 'DROP TABLE pointsys_generated_scores'
q -v branches="$BRANCHES" -f "$SOAK/setup.sql" >/dev/null
SLOTS=$(q -c 'SELECT min(c) FROM (SELECT count(*) AS c FROM soak.slot GROUP BY branch_no) s')
ITEMS=$(q -c 'SELECT count(*) FROM soak.item_no')
echo "$(q -c 'SELECT count(*) FROM pointsys.score') scores, $(q -c 'SELECT count(*) FROM pointsys.award') awards;" \
	"$SLOTS members per branch, $ITEMS items"
q -c 'VACUUM ANALYZE'

LOG_OFFSET=$(stat -c %s "$WORK/log/server.log")
log "soak: $SOAK_SECONDS s"
declare -A PIDS
run_pgbench() {
	local who=$1
	shift
	as_pg_client env PGAPPNAME="$who" pgbench -n -M prepared -c 1 -j 1 -T "$SOAK_SECONDS" \
		-U "$who" -d soak -D branches="$BRANCHES" -D slots="$SLOTS" -D items="$ITEMS" "$@" \
		>"$WORK/soak/$who.out" 2>&1 &
	PIDS[$who]=$!
}
START=$(date +%s.%N)
for ((k = 1; k <= BRANCHES; k++)); do
	run_pgbench "rec$k" --random-seed=$((SOAK_SEED * 1000 + k)) -D own="$k" -f "$SOAK/recorder.sql"
done
run_pgbench soak_admin --random-seed=$((SOAK_SEED * 1000)) -f "$SOAK/bureau.sql"
for who in "${!PIDS[@]}"; do
	rc=0
	wait "${PIDS[$who]}" || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "pgbench of $who exited with $rc:"
		grep -E 'aborted|ERROR|error|FATAL' "$WORK/soak/$who.out" | head -n 20
	fi
done
ELAPSED=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# Every session's transactions and tps, from pgbench
TOTAL_TX=0
TOTAL_TPS=0
printf '\n%-12s %12s %10s\n' session transactions tps
for ((k = 0; k <= BRANCHES; k++)); do
	who=rec$k
	[ "$k" -eq 0 ] && who=soak_admin
	out=$WORK/soak/$who.out
	tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
	tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$out")
	if [ -z "$tx" ] || [ -z "$tps" ]; then
		fail "no pgbench summary from $who:"
		tail -n 20 "$out"
		continue
	fi
	# pgbench 15 counts a deadlock or serialization failure that the
	# helpers did not catch as a failed transaction, and goes on
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out")
	if [ "${failed:-0}" -ne 0 ]; then
		fail "$failed transaction(s) of $who failed (deadlock or serialization failure, see the server log)"
	fi
	printf '%-12s %12d %10.1f\n' "$who" "$tx" "$tps"
	TOTAL_TX=$((TOTAL_TX + tx))
	TOTAL_TPS=$(awk -v a="$TOTAL_TPS" -v b="$tps" 'BEGIN { print a + b }')
done
printf '%-12s %12d %10.1f\n' all "$TOTAL_TX" "$TOTAL_TPS"

log "server log"
SOAK_LOG=$WORK/log/soak.log
tail -c +"$((LOG_OFFSET + 1))" "$WORK/log/server.log" >"$SOAK_LOG"
if grep -qE 'was terminated by signal|TRAP: ' "$WORK/log/server.log"; then
	fail "the server log shows a crash or a failed assertion:"
	grep -E -B5 -A5 'was terminated by signal|TRAP: ' "$WORK/log/server.log" | tail -n 80
fi
# The helpers catch the refusals they expect, which are not logged: any
# ERROR logged during the soak is an error nobody expected
if grep -qE '(ERROR|FATAL|PANIC): ' "$SOAK_LOG"; then
	fail "the server logged errors during the soak:"
	grep -E -A3 '(ERROR|FATAL|PANIC): ' "$SOAK_LOG" | head -n 40
else
	echo "no crash, no failed assertion, no error"
fi

log "invariants (test/data/invariants.sql)"
INV_START=$SECONDS
q -f "$WORK/tree/test/data/invariants.sql" || die "test/data/invariants.sql did not load"
INV=$(q -F ' | ' -c "SET statement_timeout = '${SOAK_CHECK_TIMEOUT}s'" \
	-c 'SELECT invariant, violations, coalesce(example, $$$$) FROM pointsys_check.violations()') ||
	fail "pointsys_check.violations() failed (statement_timeout is SOAK_CHECK_TIMEOUT=$SOAK_CHECK_TIMEOUT s)"
INV_SECONDS=$((SECONDS - INV_START))
echo "(checked in $INV_SECONDS s)"
echo "$INV"
if [ -z "$INV" ]; then
	fail "pointsys_check.violations() returned nothing"
else
	while IFS='|' read -r name count example; do
		[ "${count// /}" = 0 ] || fail "invariant ${name// /} broken by ${count// /} rows, e.g.$example"
	done <<<"$INV"
fi

log "soak checks (test/soak/check.sql)"
CHK=$(q -F ' | ' -f "$SOAK/check.sql") || fail "test/soak/check.sql failed"
echo "$CHK"
[ "$(echo "$CHK" | wc -l)" -eq 4 ] || fail "check.sql did not return its 4 checks"
while IFS='|' read -r name count example; do
	[ "${count// /}" = 0 ] || fail "check ${name// /} broken by ${count// /} rows, e.g.$example"
done <<<"$CHK"

log "throughput ($SOAK_SECONDS s asked, $ELAPSED s run)"
q -c "
	SELECT kind, sum(n) AS attempts, round(sum(n) / $SOAK_SECONDS.0, 1) AS tps,
		   sum(n) FILTER (WHERE outcome = 'ok') AS ok,
		   sum(n) FILTER (WHERE outcome IN ('miss', 'noop')) AS \"miss/noop\",
		   string_agg(outcome || ':' || n, ' ' ORDER BY outcome)
			   FILTER (WHERE outcome ~ '^[0-9A-Z]{5}$') AS refusals
	FROM (SELECT kind, outcome, sum(n) AS n FROM soak.tally GROUP BY 1, 2) t
	GROUP BY kind ORDER BY attempts DESC" -F ' | ' |
	sed '1i kind | attempts | tps | ok | miss/noop | refusals'
echo
q -c "SELECT 'refusals by SQLSTATE: ' || string_agg(outcome || ' ' || n, ', ' ORDER BY n DESC)
	  FROM (SELECT outcome, sum(n) AS n FROM soak.tally WHERE outcome ~ '^[0-9A-Z]{5}$' GROUP BY 1) t"
q -c "SELECT 'rows written (audited): ' || string_agg(table_name || ' ' || n, ', ' ORDER BY table_name)
		   || ', total ' || sum(n) || ' (' || round(sum(n) / $SOAK_SECONDS.0, 1) || '/s)'
	  FROM (SELECT table_name, count(*) AS n FROM pointsys.audit
			WHERE actor ~ '^rec[0-9]+$' OR actor = 'soak_admin' GROUP BY 1) t"
q -c "SELECT 'quarters at the end: ' || string_agg(status || ' ' || n, ', ' ORDER BY status)
	  FROM (SELECT coalesce(p.status, 'recording') AS status, count(*) AS n
			FROM generate_series(1, $BRANCHES) b CROSS JOIN generate_series(1, 4) qu
			LEFT JOIN pointsys.period p ON p.branch_id = 'g' || b AND p.year = 2024 AND p.quarter = qu
			GROUP BY 1) t"

# The race was exercised: every recorder committed writes, some were
# refused because their quarter had left recording, quarters came back
log "was the race exercised?"
while IFS='|' read -r what got; do
	echo "$what: $got"
	[ "$got" -gt 0 ] || fail "the soak never got: $what"
done < <(q -F '|' -c "
	SELECT what, got FROM (
		SELECT k AS i, 'committed writes of rec' || k AS what, coalesce(sum(t.n), 0) AS got
		FROM generate_series(1, $BRANCHES) k
		LEFT JOIN soak.tally t ON t.actor = 'rec' || k AND t.outcome = 'ok'
			 AND t.kind IN ('insert', 'correct', 'delete', 'award_insert', 'award_delete')
		GROUP BY k
		UNION ALL
		SELECT 100 + i, what, coalesce((SELECT sum(n) FROM soak.tally t WHERE t.kind = v.kind AND t.outcome = v.outcome), 0)
		FROM (VALUES (1, 'quarter refusals (55000) of inserts', 'insert', '55000'),
					 (2, 'quarter refusals (55000) of corrections', 'correct', '55000'),
					 (3, 'quarter refusals (55000) of deletes', 'delete', '55000'),
					 (4, 'advances', 'advance', 'ok'),
					 (5, 'reopens', 'reopen', 'ok'),
					 (6, 'verifications', 'verify', 'ok'),
					 (7, 'refused writes to other branches', 'foreign_insert', '42501'),
					 (8, 'refused bad points', 'bad_points', '22003')) v(i, what, kind, outcome)) c
	ORDER BY i")

printf '\nsoak: %s s, %d transactions (%.1f tps), ' "$SOAK_SECONDS" "$TOTAL_TX" "$TOTAL_TPS"
if [ "$FAILURES" -eq 0 ]; then
	echo "every invariant holds"
else
	echo "$FAILURES failure(s)"
	exit 1
fi
