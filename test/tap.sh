#!/bin/bash
# test/tap.sh [test/t/NNN_name.pl...]: TAP tests (default: all of test/t)
# against this tree's build, as root.  They test what `make install` puts
# in the system's directories, so the install and the tests hold
# /tmp/pointsys-system.lock: two checkouts running it take turns.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"

setup_tree libipc-run-perl
pg_make -j"$(nproc)" PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" >"$WORK/build.log" 2>&1 ||
	{ cat "$WORK/build.log"; die "the build failed"; }
chown -R "$PG_USER:" "$WORK/tree"
BINDIR=$("$PG_CONFIG" --bindir)
[ $# -gt 0 ] || set -- test/t/*.pl
exec 9>/tmp/pointsys-system.lock
flock 9
pg_make install >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; die "make install failed"; }
for name in "$@"; do
	run_tap "$name"
done
printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
