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
#   - the fuzzer         (test/fuzz/run.sh SECONDS)
#   - the SQL fuzzer     (test/fuzz/sql_fuzz.sh INPUTS: functions and triggers
#     inside a real server)
#   - pg_regress + isolation against the ASan/UBSan build (test/sanitize.sh)
#     and under Valgrind (test/valgrind.sh)
#   - the version against pointsys.control (test/version_check.sh), the
#     documents' blocks (test/docs.sh)
#   - the printable sheets printed by headless Chromium (test/sheets.sh)
#   - concurrency under load (test/soak/run.sh for SOAK_SECONDS)
#   - the benchmark at smoke size (BENCH_SMOKE=1 test/bench/run.sh)
#   - the Debian package: built, lintian, installed into a clean root and
#     upgraded from the previous release (test/package.sh)
#   - the suite on PostgreSQL 17 and 18, in Debian trixie and sid roots
#     (test/versions.sh 17 18: shortened fuzz and soak, no Valgrind)
# Prints the diffs of what failed, then one line "N passed, N failed", and
# exits non-zero on any failure.
#
# Environment: FUZZ_SECONDS (default 30), FUZZ_SQL_INPUTS (default 1000000),
# SOAK_SECONDS (default 20), CHECK_VALGRIND=0 (skip the Valgrind run),
# CHECK_ALL=0 (skip the package and the other majors: test/versions.sh sets
# it for the runs it makes), PG_MAJOR, PG_CONFIG, KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
FUZZ_SQL_INPUTS=${FUZZ_SQL_INPUTS:-1000000}
SOAK_SECONDS=${SOAK_SECONDS:-20}

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

setup_tree libipc-run-perl

log "build (assertions on, $WARNINGS)"
pg_make -j"$(nproc)" PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" COPT="$WARNINGS" ||
	die "the build failed"
pg_make install >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; die "make install failed"; }
chown -R "$PG_USER:" "$WORK/tree"
BUILT=$SECONDS

log "throwaway cluster"
start_cluster
as_pg_client psql -XAtq -c "SELECT version()"

run_suites
check_server_log
stop_cluster

# TAP tests: one prove run per file, each counted as one test
shopt -s nullglob
taps=("$WORK"/tree/test/t/*.pl)
if [ ${#taps[@]} -gt 0 ]; then
	log "TAP"
	for t in "${taps[@]}"; do
		run_tap "test/t/$(basename "$t")"
	done
fi

# step NAME COMMAND...: a whole script of its own (build, cluster, checks)
# that counts as one test; its time is kept for the table at the end
STEP_TIMES=()
step() {
	local name=$1 began=$SECONDS rc=0
	shift
	log "$name"
	(cd "$WORK/tree" && "$@") || rc=$?
	step_counted "$name" "$began" "$rc"
}

# step_counted NAME BEGAN RC: count a step that began at BEGAN seconds
step_counted() {
	local result=ok
	if [ "$3" = 0 ]; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		result=FAILED
	fi
	STEP_TIMES+=("$(printf '%6d s  %-6s %s' "$((SECONDS - $2))" "$result" "$1")")
}

# step_begin NAME COMMAND...: a step run beside the next ones, for a long
# one that keeps one core busy while they keep the other (each step has its
# own work directory and cluster); step_end waits for it, prints its output
# and counts it.  One at a time.
step_begin() {
	BESIDE_NAME=$1
	BESIDE_BEGAN=$SECONDS
	shift
	log "$BESIDE_NAME: begun, its output follows when it ends"
	(cd "$WORK/tree" && "$@") >"$WORK/beside.log" 2>&1 &
	BESIDE_PID=$!
}
step_end() {
	local rc=0
	wait "$BESIDE_PID" || rc=$?
	log "$BESIDE_NAME"
	cat "$WORK/beside.log"
	step_counted "$BESIDE_NAME" "$BESIDE_BEGAN" "$rc"
}

# Steps whose result does not depend on the PostgreSQL major run once, on
# Debian 12 (test/versions.sh sets CHECK_ONCE=0 in the other majors' roots):
# the version, the documents, the source's habits (trixie has no
# pg-bsd-indent), the tests' independence of order, LibreOffice
once() { [ "${CHECK_ONCE:-1}" = 1 ]; }
# the version, written once in pointsys.control, everywhere else (doc/releasing.md)
once && step "version (test/version_check.sh)" bash test/version_check.sh
# every SQL block and shell command of README.md and doc/*.md runs or is marked (doc/testing.md)
once && step "documents (test/docs.sh)" bash test/docs.sh
# every message of src/*.c and src/sql/*.sql has its Chinese translation (po/zh_CN.po)
step "message catalog (make po-check)" pg_make po-check
# the source's habits (includes, headers, pgindent, typedefs, repeats)
once && step "lint (test/lint.sh)" bash test/lint.sh
once && step "pg_regress tests alone and in reverse order (test/regress_alone.sh)" bash test/regress_alone.sh
step "fuzz ($FUZZ_SECONDS s)" bash test/fuzz/run.sh "$FUZZ_SECONDS"
# the pg_regress and isolation suites under Valgrind (about 13 minutes),
# beside the SQL fuzzer (about 15), the sanitizers and the sheets: each
# keeps a core busy (its packages first, so that no two apt-get run at once)
if [ "${CHECK_VALGRIND:-1}" = 1 ]; then
	ensure_packages valgrind
	step_begin "valgrind" bash test/valgrind.sh
fi
# the server-side C (input, receive, scoring functions, aggregates, triggers)
# fuzzed from SQL inside a real server
step "sql fuzz ($FUZZ_SQL_INPUTS inputs)" bash test/fuzz/sql_fuzz.sh "$FUZZ_SQL_INPUTS"
# the pg_regress and isolation suites again, against pointsys built with
# ASan + UBSan, loaded by the stock server
step "sanitizers (ASan + UBSan)" bash test/sanitize.sh
# the printable sheets, printed by headless Chromium to PDF and PNG (its own
# private install and cluster); CHECK_SHEETS=0 skips them (test/versions.sh
# does, in the other majors' roots: HTML made by SQL prints the same there)
[ "${CHECK_SHEETS:-1}" = 0 ] || step "printable sheets (Chromium)" bash test/sheets.sh
[ "${CHECK_VALGRIND:-1}" = 0 ] || step_end
# pgjdbc, psycopg 3 and psqlODBC (Debian's packages) against a throwaway
# cluster: a recorder's prepared batch and refusals, the bulk import, a
# reporting login's column metadata in text and binary mode
step "client drivers (test/clients.sh)" bash test/clients.sh
once && step "LibreOffice over psqlODBC, README's DSN (test/libreoffice.sh)" bash test/libreoffice.sh
# 8 recorders and the bureau at once for SOAK_SECONDS, then every invariant
step "soak ($SOAK_SECONDS s)" env SOAK_SECONDS="$SOAK_SECONDS" bash test/soak/run.sh
# the benchmark at smoke size, so that it cannot rot (it builds and installs
# its own release build, and runs its own cluster)
step "bench (smoke size)" env BENCH_SMOKE=1 bash test/bench/run.sh

# the package and the other majors (each builds in its own root)
if [ "${CHECK_ALL:-1}" = 1 ]; then
	step "Debian package (build, lintian, clean install, upgrade from the previous release)" \
		env POINTSYS_GIT="$ROOT" bash test/package.sh
	step "PostgreSQL 17 and 18 (test/versions.sh)" env CHECK_VALGRIND=0 bash test/versions.sh 17 18
fi

printf '\nbuild %ds, tests %ds; the steps, slowest first:\n' "$((BUILT - START))" "$((SECONDS - BUILT))"
printf '%s\n' "${STEP_TIMES[@]}" | sort -rn
summary
[ "$FAILED" -eq 0 ]
