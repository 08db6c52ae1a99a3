#!/bin/bash
# test/sanitize.sh: the pg_regress and isolation suites against pointsys
# built with AddressSanitizer + UndefinedBehaviorSanitizer (`make ASAN=1`),
# loaded by Debian's stock PostgreSQL 15.  Run as root on Debian 12:
#
#     bash test/sanitize.sh
#
# How the stock server runs a sanitized module:
#   - the ASan runtime (gcc's libasan) is LD_PRELOADed into the postmaster,
#     with test/sanitize_preload.c, which works around a startup deadlock and
#     makes UBSAN_OPTIONS work (see that file); backends inherit both
#     through fork;
#   - the sanitized build is installed into a private copy of the server's
#     layout under the work dir (test/private_server.sh): the system
#     installation is never touched, so a server running elsewhere on the
#     machine keeps the normal build, and nothing needs restoring;
#   - JIT is off, so every pointsys function runs the sanitized code.
# The script checks that a backend has both the runtime and the sanitized
# pointsys.so mapped before it runs the tests.
#
# Fails (non-zero exit) if a test fails, if any sanitizer report was written
# (ASan and UBSan stop the backend at the first one: -fno-sanitize-recover),
# or if the server log shows a crash or a failed assertion; prints the
# reports.  Leak detection is off: backends exit without freeing, by design.
#
# What it cannot see: overruns inside palloc'd memory.  The stock server is
# built without ASan's memory-context poisoning, so ASan knows only the
# malloc'd blocks that hold many palloc chunks; it checks stack and global
# buffers in our code, heap blocks as a whole, and UBSan checks signed
# overflow (-fno-wrapv), shifts, alignment, null and bounds of our code.
#
# Environment: PG_CONFIG, KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

START=$SECONDS

setup_tree libasan8 libubsan1

# gcc's ASan runtime, preloaded.  (The UBSan one, libubsan, comes in as a
# dependency of pointsys.so.)
ASAN_RT=$(readlink -f "$(gcc -print-file-name=libasan.so)")
[ -f "$ASAN_RT" ] || die "gcc has no libasan.so"

log "build (ASAN=1, assertions on)"
# with_llvm=no: no bitcode, there is no JIT here to use it
pg_make -j"$(nproc)" ASAN=1 with_llvm=no PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" ||
	die "the build failed"
# Keep the build honest: the module must really be instrumented
grep -q __asan_report "$WORK/tree/pointsys.so" && grep -q __ubsan_handle "$WORK/tree/pointsys.so" ||
	die "pointsys.so is not instrumented: is the ASAN=1 block in the Makefile?"
gcc -O2 -fPIC -shared -o "$WORK/sanitize_preload.so" "$WORK/tree/test/sanitize_preload.c" ||
	die "could not build test/sanitize_preload.c"

log "install into a private copy of the server ($WORK/inst)"
private_install ASAN=1
chown -R "$PG_USER:" "$WORK/tree"

log "throwaway cluster on the sanitized build"
SAN=$WORK/san
mkdir -p "$SAN"
chown "$PG_USER:" "$SAN"
# abort_on_error: a report kills the backend with SIGABRT, so the server
# log shows a crash too.  ASan writes its reports to $SAN/asan.PID; UBSan
# (gcc's, next to ASan) ignores log_path and writes to stderr, that is the
# server log.
start_private_cluster "$PRIVATE_POSTGRES" \
	LD_PRELOAD="$ASAN_RT $WORK/sanitize_preload.so" \
	ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:log_path=$SAN/asan" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1"

# Check that a backend really runs with the ASan runtime and our build
maps=$(backend_maps) ||
	{ tail -n 50 "$WORK/log/server.log"; die "could not load pointsys into the sanitized server"; }
grep -qF "$ASAN_RT" <<<"$maps" || die "the backend has no ASan runtime loaded"
grep -qF "$PRIVATE_PKGLIB/pointsys.so" <<<"$maps" ||
	die "the backend did not load the sanitized $PRIVATE_PKGLIB/pointsys.so"
BUILT=$SECONDS

run_suites
# stop first: a report is complete only when its process is gone
stop_cluster

log "sanitizer reports"
reports=0
shopt -s nullglob
for f in "$SAN"/*; do
	if [ -s "$f" ]; then
		reports=$((reports + 1))
		show_file "$f"
	fi
done
# UBSan's reports, and any ASan could not write to its file, are in the
# server log, one "runtime error:" / "ERROR: AddressSanitizer" line each
REPORT_RE='runtime error:|ERROR: AddressSanitizer'
n=$(grep -acE "$REPORT_RE" "$WORK/log/server.log" || true)
if [ "$n" -gt 0 ]; then
	reports=$((reports + n))
	printf '\n--- log/server.log: sanitizer reports\n'
	grep -aE -A25 "$REPORT_RE" "$WORK/log/server.log" | head -n 200
fi
echo "$reports sanitizer report(s)"

check_server_log

printf '\nbuild and start %ds, tests %ds\n' "$((BUILT - START))" "$((SECONDS - BUILT))"
printf '\n%d passed, %d failed, %d sanitizer report(s)\n' "$PASSED" "$FAILED" "$reports"
[ "$FAILED" -eq 0 ] && [ "$reports" -eq 0 ]
