#!/bin/bash
# test/regress_alone.sh: every pg_regress test runs on its own and in any
# order.  As root: builds this tree, installs it privately (as
# test/quick.sh does: the system's directories are never written) and runs
# each test of REGRESS alone (make installcheck REGRESS=name ISOLATION=),
# then the whole list once in reverse order; fails on any difference.
# Each test brings its database to a known state itself
# (test/data/fixture.sql), so neither what ran before it nor what did not
# may change its output.  A few seconds a test.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

private_checked_cluster

read -ra TESTS <<<"$(pg_make -s --eval 'print-regress: ; @echo $(REGRESS)' print-regress)"
[ ${#TESTS[@]} -gt 0 ] || die "no REGRESS in the Makefile"
REVERSED=()
for ((i = ${#TESTS[@]} - 1; i >= 0; i--)); do
	REVERSED+=("${TESTS[i]}")
done

for t in "${TESTS[@]}"; do
	run_suite "alone-$t" regression.diffs REGRESS="$t" ISOLATION=
done
run_suite reversed regression.diffs REGRESS="${REVERSED[*]}" ISOLATION=
check_server_log
printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
