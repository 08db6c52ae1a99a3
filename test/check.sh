#!/bin/bash
# test/check.sh: the test command.  Run as root on Debian 12 from anywhere:
#
#     bash test/check.sh
#
# Installs the build and test dependencies, builds pointsys with warnings as
# errors and assertions enabled, installs it, and runs the whole suite
# against a throwaway cluster owned by postgres:
#   - pg_regress tests   (REGRESS in the Makefile: sql/*.sql vs expected/*.out)
#   - isolation specs    (ISOLATION in the Makefile: specs/*.spec, when set)
#   - TAP tests          (test/t/*.pl, when present; each starts its own nodes)
#   - the fuzzer         (test/fuzz/run.sh SECONDS, when present)
#   - the benchmark at smoke size (BENCH_SMOKE=1 test/bench/run.sh)
# Prints the diffs of what failed, then one line "N passed, N failed", and
# exits non-zero on any failure.
#
# Environment: FUZZ_SECONDS (default 30), PG_CONFIG, KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"

FUZZ_SECONDS=${FUZZ_SECONDS:-30}

# PostgreSQL's headers trigger exactly one -Wextra warning: -Wunused-parameter,
# through PG_FUNCTION_ARGS in functions that take no argument and callback
# signatures the server imposes.  Everything else must be clean.
WARNINGS="-Wall -Wextra -Werror -Wno-unused-parameter"

PASSED=0
FAILED=0
START=$SECONDS

summary() {
	printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
}

# A step that stops the run (build, install, cluster) counts as a failure
die() {
	printf 'check.sh: %s\n' "$*" >&2
	FAILED=$((FAILED + 1))
	summary
	exit 1
}

# Count a runner's "name ... ok" / "name ... FAILED" lines (pg_regress and
# pg_isolation_regress print one per test); a runner that failed without
# reporting a failed test (it could not start, say) counts as one failure.
count_results() {
	local out=$1 rc=$2 ok bad
	ok=$(grep -cE '\.\.\. +ok( |$)' "$out" || true)
	bad=$(grep -cE '\.\.\. +(FAILED|failed)' "$out" || true)
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
	fi
	PASSED=$((PASSED + ok))
	FAILED=$((FAILED + bad))
}

show_file() {
	if [ -s "$1" ]; then
		printf '\n--- %s\n' "${1#"$WORK/tree/"}"
		cat "$1"
	fi
}

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" \
	libipc-run-perl make gcc
start_work
copy_tree "$ROOT"

log "build (assertions on, $WARNINGS)"
pg_make -j"$(nproc)" PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" COPT="$WARNINGS" ||
	die "the build failed"
pg_make install >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; die "make install failed"; }
chown -R "$PG_USER:" "$WORK/tree"
BUILT=$SECONDS

log "throwaway cluster"
start_cluster
as_pg_client psql -XAtq -c "SELECT version()"

log "pg_regress"
rc=0
as_pg_client make -C "$WORK/tree" --no-print-directory PG_CONFIG="$PG_CONFIG" \
	installcheck ISOLATION= TAP_TESTS= 2>&1 | tee "$WORK/regress.out" || rc=$?
count_results "$WORK/regress.out" "$rc"
[ "$rc" -eq 0 ] || show_file "$WORK/tree/regression.diffs"

# Isolation specs run when the Makefile lists them in ISOLATION
if grep -qE '^[[:space:]]*ISOLATION[[:space:]]*[:+?]?=' "$WORK/tree/Makefile"; then
	log "isolation"
	rc=0
	as_pg_client make -C "$WORK/tree" --no-print-directory PG_CONFIG="$PG_CONFIG" \
		installcheck REGRESS= TAP_TESTS= 2>&1 | tee "$WORK/isolation.out" || rc=$?
	count_results "$WORK/isolation.out" "$rc"
	[ "$rc" -eq 0 ] || show_file "$WORK/tree/output_iso/regression.diffs"
fi

# Did a backend crash or an assertion fail anywhere above?
if grep -qE 'was terminated by signal|TRAP: ' "$WORK/log/server.log"; then
	echo "check.sh: the server log shows a crash or a failed assertion:"
	grep -E -B5 -A5 'was terminated by signal|TRAP: ' "$WORK/log/server.log" | tail -n 80
	FAILED=$((FAILED + 1))
fi
stop_cluster

# TAP tests: one prove run per file, each counted as one test
shopt -s nullglob
taps=("$WORK"/tree/test/t/*.pl)
if [ ${#taps[@]} -gt 0 ]; then
	log "TAP"
	for t in "${taps[@]}"; do
		name=test/t/$(basename "$t")
		if as_pg make -C "$WORK/tree" --no-print-directory PG_CONFIG="$PG_CONFIG" \
			installcheck REGRESS= ISOLATION= TAP_TESTS=1 PROVE_TESTS="$name" \
			PROVE_FLAGS=--timer 2>&1; then
			PASSED=$((PASSED + 1))
		else
			FAILED=$((FAILED + 1))
			for f in "$WORK"/tree/tmp_check/log/regress_log_*; do
				printf '\n--- %s (last 60 lines)\n' "${f#"$WORK/tree/"}"
				tail -n 60 "$f"
			done
		fi
	done
fi

if [ -f "$WORK/tree/test/fuzz/run.sh" ]; then
	log "fuzz ($FUZZ_SECONDS s)"
	if (cd "$WORK/tree" && bash test/fuzz/run.sh "$FUZZ_SECONDS"); then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
	fi
fi

# The benchmark at smoke size, so that it cannot rot (it builds and installs
# its own release build, and runs its own cluster)
if [ -f "$WORK/tree/test/bench/run.sh" ]; then
	log "bench (smoke size)"
	if BENCH_SMOKE=1 bash "$WORK/tree/test/bench/run.sh"; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
	fi
fi

printf '\nbuild %ds, tests %ds\n' "$((BUILT - START))" "$((SECONDS - BUILT))"
summary
[ "$FAILED" -eq 0 ]
