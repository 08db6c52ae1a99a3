#!/bin/bash
# test/tap.sh [test/t/NNN_name.pl...]: TAP tests (default: all of test/t)
# against this tree's build, as root.  They test what `make install` puts
# in the system's directories, so the install and the tests hold
# /tmp/pointsys-system.lock: two checkouts running it take turns.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" \
	libipc-run-perl make gcc
ensure_zh_locale
start_work
copy_tree "$ROOT"
pg_make -j"$(nproc)" PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" >"$WORK/build.log" 2>&1 ||
	{ cat "$WORK/build.log"; die "the build failed"; }
chown -R "$PG_USER:" "$WORK/tree"
BINDIR=$("$PG_CONFIG" --bindir)
[ $# -gt 0 ] || set -- test/t/*.pl
exec 9>/tmp/pointsys-system.lock
flock 9
pg_make install >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; die "make install failed"; }
for name in "$@"; do
	if as_pg make -C "$WORK/tree" --no-print-directory PG_CONFIG="$PG_CONFIG" \
		installcheck REGRESS= ISOLATION= TAP_TESTS=1 PROVE_TESTS="$name" PROVE_FLAGS=--timer; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		for f in "$WORK"/tree/tmp_check/log/regress_log_*; do
			printf '\n--- %s (last 60 lines)\n' "${f#"$WORK/tree/"}"
			tail -n 60 "$f"
		done
	fi
done
printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
