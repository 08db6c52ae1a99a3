#!/bin/bash
# test/quick.sh [MAKE-ARGS...]: the pg_regress tests and isolation specs
# against a private install and a throwaway cluster, as root.  The system's
# PostgreSQL directories are never written, so several checkouts can run it
# at once (make installcheck, by contrast, tests what `make install` put
# there).  MAKE-ARGS go to installcheck: REGRESS='scoring' ISOLATION=
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

private_setup
pg_make -j"$(nproc)" with_llvm=no PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" \
	COPT="-Wall -Wextra -Werror -Wno-unused-parameter" >"$WORK/build.log" 2>&1 ||
	{ cat "$WORK/build.log"; die "the build failed"; }
private_install
chown -R "$PG_USER:" "$WORK/tree"
start_private_cluster "$PRIVATE_POSTGRES"
run_suite pg_regress regression.diffs ISOLATION= "$@"
run_suite isolation output_iso/regression.diffs REGRESS= "$@"
check_server_log
printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
