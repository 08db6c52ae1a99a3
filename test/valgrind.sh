#!/bin/bash
# test/valgrind.sh: the pg_regress and isolation suites against Debian's
# stock PostgreSQL 15 running under Valgrind's memcheck, with pointsys built
# normally (assertions on).  Run as root on Debian 12:
#
#     bash test/valgrind.sh
#
# The postmaster runs under valgrind (through a wrapper given to pg_ctl -p);
# backends are forks of it, so they run under valgrind too.  pointsys is
# installed into a private copy of the server's layout (test/private_server.sh),
# so the system installation is not touched.  JIT is off.
#
# Fails (non-zero exit) on any failed test and on any Valgrind error that
# test/valgrind.supp does not suppress (the stock server's own false
# positives, mostly uninitialised padding it writes to WAL: it is built
# without USE_VALGRIND).  Prints each distinct error once, with its origin
# (--track-origins) and a suppression block; those with a pointsys frame
# first.  Also fails on a crash or a failed assertion in the server log.
#
# Debian's server does not tell Valgrind about palloc's chunks: it sees uses
# of uninitialised memory and accesses outside malloc'd blocks, not overruns
# inside a memory context.  Takes about 13 minutes on 2 cores (check.sh runs
# it beside the SQL fuzzer); autovacuum is off, as slow statements would let it
# analyze tables in the middle of tests that EXPLAIN.
#
# Environment: PG_CONFIG, KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

START=$SECONDS

setup_tree valgrind

log "build (assertions on)"
pg_make -j"$(nproc)" with_llvm=no PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" >"$WORK/build.log" 2>&1 ||
	{ cat "$WORK/build.log"; die "the build failed"; }
private_install
chown -R "$PG_USER:" "$WORK/tree"

log "throwaway cluster under valgrind"
VG=$WORK/vg
mkdir -p "$VG"
chown "$PG_USER:" "$VG"
# One log per process; each error between markers, with its suppression.
# --trace-children is about exec, and backends are forks: they are traced.
cat >"$WORK/postgres-vg" <<-EOF2
	#!/bin/sh
	exec valgrind --quiet --tool=memcheck --trace-children=no \\
		--leak-check=no --track-origins=yes --num-callers=30 \\
		--error-markers=VALGRIND-ERROR-BEGIN,VALGRIND-ERROR-END \\
		--gen-suppressions=all --suppressions="$WORK/tree/test/valgrind.supp" \\
		--log-file="$VG/%p.log" "$PRIVATE_POSTGRES" "\$@"
EOF2
chmod 755 "$WORK/postgres-vg"
CLUSTER_CONF="autovacuum = off" START_TIMEOUT=600 start_private_cluster "$WORK/postgres-vg"

maps=$(backend_maps) ||
	{ tail -n 50 "$WORK/log/server.log"; die "could not load pointsys into the server"; }
grep -q vgpreload_memcheck <<<"$maps" || die "the backend does not run under valgrind"
grep -qF "$PRIVATE_PKGLIB/pointsys.so" <<<"$maps" ||
	die "the backend did not load $PRIVATE_PKGLIB/pointsys.so"
BUILT=$SECONDS

run_suites

stop_cluster

log "valgrind errors"
# One file per error (its stack, origin and suppression block)
mkdir -p "$WORK/errors"
shopt -s nullglob
awk -v dir="$WORK/errors" '
	/VALGRIND-ERROR-BEGIN/ { n++; f = sprintf("%s/%03d", dir, n); inerr = 1 }
	inerr { print > f }
	/VALGRIND-ERROR-END/ { inerr = 0; close(f) }
' "$VG"/*.log /dev/null
# A pointsys frame: a line of one of our C files, or our .so
OURS="pointsys\.so|\(($(cd "$WORK/tree/src" && ls ./*.c | sed 's|^\./||; s|\.c$||' | paste -sd'|'))\.c:[0-9]+\)"
# ours: a pointsys frame in the error's stack or origin
classify() {
	if grep -qE "$OURS" "$1"; then
		echo ours
	else
		echo other
	fi
}
# The same error comes once per backend: print each distinct one once
signature() {
	sed -E 's/^==[0-9]+== ?//; s/0x[0-9A-Fa-f]+//g' "$1" | md5sum | cut -c1-32
}
show_errors() {
	local kind=$1 f sig firsts=()
	declare -A count=()
	for f in "$WORK"/errors/*; do
		[ "$(classify "$f")" = "$kind" ] || continue
		sig=$(signature "$f")
		[ -n "${count[$sig]:-}" ] || firsts+=("$f")
		count[$sig]=$((${count[$sig]:-0} + 1))
	done
	for f in ${firsts[@]+"${firsts[@]}"}; do
		show_file "$f"
		printf '(this error %d time(s) in all)\n' "${count[$(signature "$f")]}"
	done
}
errors=0
ours=0
for f in "$WORK"/errors/*; do
	errors=$((errors + 1))
	[ "$(classify "$f")" = other ] || ours=$((ours + 1))
done
show_errors ours
show_errors other
printf '\n%d valgrind error(s), %d with a pointsys frame\n' "$errors" "$ours"
check_server_log

printf '\nbuild and start %ds, tests %ds\n' "$((BUILT - START))" "$((SECONDS - BUILT))"
printf '\n%d passed, %d failed, %d valgrind error(s)\n' "$PASSED" "$FAILED" "$errors"
[ "$FAILED" -eq 0 ] && [ "$errors" -eq 0 ]
