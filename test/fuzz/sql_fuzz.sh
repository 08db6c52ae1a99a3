#!/bin/bash
# test/fuzz/sql_fuzz.sh [N]: fuzz pointsys's server-side C from SQL, inside a
# real server.  Run as root on Debian 12 from anywhere:
#
#     bash test/fuzz/sql_fuzz.sh            # N = 20 000 inputs (seconds)
#     bash test/fuzz/sql_fuzz.sh 1000000    # the full run (check.sh: about 16 minutes)
#
# test/fuzz/run.sh fuzzes the pure-C parsers with libFuzzer; the code that
# includes postgres.h (input, receive and output functions, the scoring
# functions and aggregates, the C triggers) can only run inside a backend.
# This script:
#   1. builds pointsys like check.sh (assertions on, warnings as errors),
#      installs it, starts a throwaway cluster (port 54359, Unix socket in
#      the work dir), creates the extension and loads the sample bureau;
#   2. loads test/fuzz/sql_fuzz.sql (schema "fuzz": generators, oracles,
#      one driver per target), the corpus test/fuzz/sql_corpus.txt and the
#      allowed SQLSTATEs test/fuzz/sql_allowed.txt;
#   3. checks that the binary path really calls grade_recv;
#   4. runs N inputs split evenly over the 31 targets (each target's corpus
#      lines first, then random and mutated inputs), every input in its own
#      subtransaction, counting (target, stage, SQLSTATE) in fuzz.counts;
#   5. prints the table target x stage x SQLSTATE x count and the total.
#
# Fails (non-zero exit, with the reason and a reproducer) when
#   - an SQLSTATE is XX000/XX001/XX002 or outside the allowed set of its
#     target and stage (fuzz.allowed, from sql_allowed.txt: README's
#     Errors and write-rules tables, plus the server's own errors for the
#     casts and constraints);
#   - an oracle disagrees (PZINV: a pure function's result or SQLSTATE is
#     not what README says it should be);
#   - a backend crashed or an assertion failed (server log: "terminated by
#     signal", "TRAP:"); the crashing input is found by replaying its batch
#     with each input printed, recorded as SQLSTATE CRASH, and the target
#     goes on after it (at most FUZZ_SQL_MAX_CRASHES crashes per target);
#   - fewer inputs ran than requested.
#
# Every input is a function of (seed, target, index): replay one with
#     SELECT * FROM fuzz.replay('<target>', <seed>, <index>);
# in the "fuzz" database (KEEP_WORK=1 keeps the cluster's files).
#
# Environment:
#   FUZZ_SQL_INPUTS=N        inputs when no argument is given (20000)
#   FUZZ_SQL_SEED=S          seed (default 1; printed)
#   FUZZ_SQL_TARGETS="a b"   a subset of the targets (default: all)
#   FUZZ_SQL_BATCH=N         inputs per transaction (1000)
#   FUZZ_SQL_MAX_CRASHES=N   crashes per target before it stops (10)
#   PGPORT_TEST, PG_CONFIG, KEEP_WORK=1 (see test/lib.sh)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/test/lib.sh"

N=${1:-${FUZZ_SQL_INPUTS:-20000}}
SEED=${FUZZ_SQL_SEED:-1}
BATCH=${FUZZ_SQL_BATCH:-1000}
MAX_CRASHES=${FUZZ_SQL_MAX_CRASHES:-10}
PGPORT_TEST=${PGPORT_TEST:-54359}
for v in "$N" "$SEED" "$BATCH" "$MAX_CRASHES"; do
	case "$v" in
		'' | *[!0-9]*) die "usage: $0 [N]  (N, FUZZ_SQL_SEED, FUZZ_SQL_BATCH, FUZZ_SQL_MAX_CRASHES: whole numbers)" ;;
	esac
done
[ "$BATCH" -gt 0 ] || die "FUZZ_SQL_BATCH must be positive"

START=$SECONDS

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc
start_work
copy_tree "$ROOT"

log "build (assertions on, $WARNINGS)"
pg_make -j"$(nproc)" PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" COPT="$WARNINGS" \
	>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build failed"; }
pg_make install >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; die "make install failed"; }

log "throwaway cluster (port $PGPORT_TEST)"
start_cluster
# grade_recv's inputs travel through binary COPY files written and read by
# the server
mkdir -p "$WORK/fuzz"
chown "$PG_USER:" "$WORK/fuzz"
SERVER_LOG=$WORK/log/server.log

# q ARGS...: psql on the fuzz database, quiet, unaligned, stop on error
q() {
	as_pg_client psql -XAtq -v ON_ERROR_STOP=1 -d fuzz "$@"
}

# Wait until the server accepts connections again (after a crash it
# terminates every backend and reinitializes)
wait_ready() {
	for _ in $(seq 1 120); do
		as_pg_client pg_isready -q -d fuzz && return 0
		sleep 0.5
	done
	die "the server did not come back after a crash"
}

# Lines of the server log that show a crash or a failed assertion, after
# byte offset $1
crash_lines() {
	tail -c +"$(($1 + 1))" "$SERVER_LOG" | grep -E 'was terminated by signal|TRAP: ' || true
}

# The same, waiting up to 15 s for them: the postmaster logs a backend's
# death after the client has seen the connection drop
await_crash_lines() {
	local lines
	for _ in $(seq 1 30); do
		lines=$(crash_lines "$1")
		[ -n "$lines" ] && break
		sleep 0.5
	done
	printf '%s' "$lines"
}

as_pg_client createdb -E UTF8 --locale=C -T template0 fuzz
q -c "CREATE EXTENSION pointsys"
q -f "$WORK/tree/test/data/sample_bureau.sql" >/dev/null
q -v fuzz_dir="$WORK/fuzz" -f "$WORK/tree/test/fuzz/sql_fuzz.sql" >/dev/null
# the text files, a line a row (no quoting: fields stay as written)
for f in corpus allowed; do
	q -c "\\copy fuzz.${f}_line (line) FROM '$WORK/tree/test/fuzz/sql_$f.txt' WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')"
	q -c "SELECT fuzz.load_$f()" >/dev/null
done

log "self-test: binary COPY calls grade_recv"
# A byte 2 loads 良好; a byte 7 is refused by grade_recv's own message
# (COPY's framing errors say "incorrect binary data format" instead)
q -c "SELECT fuzz.self_test()"

TARGETS=${FUZZ_SQL_TARGETS:-$(q -c "SELECT string_agg(target, ' ' ORDER BY ord) FROM fuzz.target")}
NTARGETS=$(wc -w <<<"$TARGETS")
PER_TARGET=$(((N + NTARGETS - 1) / NTARGETS))
q -c "SELECT fuzz.plan('{${TARGETS// /,}}'::text[], $PER_TARGET)" >/dev/null ||
	die "unknown target in FUZZ_SQL_TARGETS=\"$TARGETS\""

log "fuzz: $N inputs ($PER_TARGET for each of $NTARGETS targets, corpus first), seed $SEED (FUZZ_SQL_SEED)"
FUZZ_START=$SECONDS
while :; do
	offset=$(stat -c %s "$SERVER_LOG")
	rc=0
	q -c "CALL fuzz.run_all($SEED, $BATCH, $MAX_CRASHES)" 2>"$WORK/run.err" || rc=$?
	[ "$rc" -eq 0 ] && break
	crashed=$(await_crash_lines "$offset")
	if [ -z "$crashed" ]; then
		cat "$WORK/run.err"
		die "the fuzz driver failed without a crash in the server log"
	fi
	printf '%s\n' "$crashed"
	wait_ready
	# The batch in flight is the first unfinished one: replay it with each
	# input printed before it runs; the last one printed is the culprit.
	read -r target first count <<<"$(q -F' ' -c "SELECT target, done, least($BATCH, requested - done)
		FROM fuzz.progress WHERE done < requested AND crashes < $MAX_CRASHES ORDER BY ord LIMIT 1")"
	[ -n "${target:-}" ] || die "a crash, but no batch in flight"
	offset=$(stat -c %s "$SERVER_LOG")
	q -c "SELECT fuzz.run('$target', $SEED, $first, $count, true)" >/dev/null 2>"$WORK/replay.err" || true
	culprit=$(grep -oE 'fuzz input [^ ]+ [0-9]+' "$WORK/replay.err" | tail -n 1 | awk '{print $4}')
	if [ -z "$(await_crash_lines "$offset")" ] || [ -z "$culprit" ]; then
		echo "the crash did not recur when batch $target [$first, $((first + count))) was replayed alone:"
		tail -n 5 "$WORK/replay.err"
		culprit=-1
	else
		echo "crashing input: $(grep -E "fuzz input $target $culprit " "$WORK/replay.err" | tail -n 1 | sed 's/^[^:]*: *//')"
	fi
	wait_ready
	q -c "SELECT fuzz.record_crash('$target', $SEED, $first, $count, $culprit)" >/dev/null
done
FUZZ_TIME=$((SECONDS - FUZZ_START))

log "results: target x stage x SQLSTATE (seed $SEED)"
q -P pager=off -P footer=off -c "SELECT * FROM fuzz.report" -A -F' | ' --no-align -t |
	awk -F' \\| ' 'BEGIN { printf "%-20s %-14s %-6s %9s  %s\n", "target", "stage", "state", "count", "verdict" }
		{ printf "%-20s %-14s %-6s %9s  %s\n", $1, $2, $3, $4, $5 }'

log "per target: inputs requested and run, crashes, seconds spent running inputs"
q -c "SELECT target, requested, ran, crashes, seconds FROM fuzz.progress_report" -F' ' |
	awk 'BEGIN { printf "%-20s %9s %9s %7s %8s\n", "target", "requested", "ran", "crashes", "seconds" }
		{ printf "%-20s %9s %9s %7s %8s\n", $1, $2, $3, $4, $5 }'

total=$(q -c "SELECT coalesce(sum(n), 0) FROM fuzz.counts")
rate=$(awk -v n="$total" -v s="$FUZZ_TIME" 'BEGIN { printf "%.0f", (s > 0 ? n / s : n) }')
printf '\n%s inputs in %d s (%s/s), seed %s\n' "$total" "$FUZZ_TIME" "$rate" "$SEED"

FAILURES=0
fail() {
	printf '\nFAIL: %s\n' "$*"
	FAILURES=$((FAILURES + 1))
}

bad=$(q -c "SELECT count(*) FROM fuzz.report WHERE verdict <> 'ok'")
if [ "$bad" -gt 0 ]; then
	fail "$bad (target, stage, SQLSTATE) outcomes are not allowed; examples and reproducers:"
	q -P pager=off -x -c "SELECT target, stage, sqlstate, idx, input, message, replay
		FROM fuzz.failures ORDER BY target, stage, sqlstate, idx" -A -F': '
fi
short=$(q -c "SELECT string_agg(format('%s: %s of %s', target, ran, requested), '; ')
	FROM fuzz.progress_report WHERE ran < requested")
[ -z "$short" ] || fail "fewer inputs ran than requested: $short"
[ "$total" -ge "$N" ] || fail "$total inputs ran, $N requested"
crashed=$(crash_lines 0)
if [ -n "$crashed" ]; then
	fail "the server log shows $(wc -l <<<"$crashed") backend crashes or failed assertions (replays included); the first:"
	grep -E -m 5 -B2 -A3 'was terminated by signal|TRAP: ' "$SERVER_LOG"
fi

printf '\nsql_fuzz: %d s in all; ' "$((SECONDS - START))"
if [ "$FAILURES" -gt 0 ]; then
	echo "FAILED ($FAILURES)"
	exit 1
fi
echo "ok"
