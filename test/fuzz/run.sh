#!/bin/bash
# test/fuzz/run.sh [SECONDS]: fuzz and property-test pointsys's pure-C core
# (src/fixedpoint.c, src/rules.c, src/ledger_state.c: no postgres.h).
#
#   1. builds everything into test/fuzz/build/ with AddressSanitizer and
#      UndefinedBehaviorSanitizer (installing clang and its fuzzer runtime
#      with apt-get when missing and running as root);
#   2. runs the property test (test/fuzz/properties.c: known values and
#      1,000,000 random cases against reference implementations);
#   3. runs each libFuzzer harness for its share of SECONDS (default 60,
#      split evenly), starting from the seed corpus in test/fuzz/corpus/<target>/
#      plus what earlier runs left in test/fuzz/build/corpus/<target>/.
#
# Prints the executions per target and in total, then "N passed, N failed";
# exits non-zero on any crash, sanitizer report, broken invariant or failed
# property.  Failing inputs are saved as test/fuzz/build/artifacts/<target>-*.
#
# Without clang's libFuzzer runtime it falls back to gcc and standalone.c,
# a small random/mutation driver for the same harnesses.
#
# Environment:
#   FUZZ_ENGINE=libfuzzer|standalone   force an engine (default: libFuzzer if it builds)
#   CASES=N SEED=N                     random cases and seed of the property test
#   FUZZ_TARGETS="fx_parse ..."        a subset of the targets
set -uo pipefail

BUDGET=${1:-60}
case "$BUDGET" in
	'' | *[!0-9]*)
		echo "usage: $0 [seconds]" >&2
		exit 2
		;;
esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$HERE/build
SRC="$ROOT/src/fixedpoint.c $ROOT/src/rules.c $ROOT/src/ledger_state.c"
TARGETS=${FUZZ_TARGETS:-"fx_parse grade_parse sanction_parse quarter_state_parse year_state_parse ledger_ops"}
COMMON="-std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -fno-omit-frame-pointer -I$ROOT/src -I$HERE"
SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

PASSED=0
FAILED=0
EXECS=0
START=$SECONDS

mkdir -p "$BUILD/artifacts" "$BUILD/logs"

log() {
	printf '\n== %s\n' "$*"
}

summary() {
	printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
}

fail_early() {
	printf 'run.sh: %s\n' "$*" >&2
	FAILED=$((FAILED + 1))
	summary
	exit 1
}

# Can $1 compile, link and run a program with the flags that follow?
probe() {
	local cc=$1 src=$2
	shift 2
	command -v "$cc" >/dev/null 2>&1 || return 1
	printf '%s\n' "$src" >"$BUILD/probe.c"
	"$cc" "$@" -o "$BUILD/probe" "$BUILD/probe.c" >"$BUILD/logs/probe.log" 2>&1 || return 1
}

PROBE_MAIN='int main(void) { return 0; }'
PROBE_FUZZ='#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void) d; (void) n; return 0; }'

apt_install() {
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
	echo "run.sh: apt-get install $*"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends "$@" >"$BUILD/logs/apt.log" 2>&1 ||
		{ apt-get update >>"$BUILD/logs/apt.log" 2>&1 &&
			apt-get install -y --no-install-recommends "$@" >>"$BUILD/logs/apt.log" 2>&1; }
}

# libFuzzer's runtime is in libclang-rt-<major>-dev, which clang only
# recommends (through libclang-common-<major>-dev): install it by name.
clang_fuzzer_ok() {
	probe clang "$PROBE_FUZZ" -fsanitize=fuzzer,address,undefined
}

find_clang() {
	clang_fuzzer_ok && return 0
	command -v clang >/dev/null 2>&1 || apt_install clang || return 1
	clang_fuzzer_ok && return 0
	local major
	major=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
	[ -n "$major" ] && apt_install "libclang-rt-$major-dev" && clang_fuzzer_ok
}

find_gcc() {
	probe gcc "$PROBE_MAIN" $SANITIZE && "$BUILD/probe" && return 0
	apt_install gcc libc6-dev || return 1
	probe gcc "$PROBE_MAIN" $SANITIZE && "$BUILD/probe"
}

log "toolchain"
ENGINE=${FUZZ_ENGINE:-}
if [ -z "$ENGINE" ] || [ "$ENGINE" = libfuzzer ]; then
	if find_clang; then
		ENGINE=libfuzzer
	elif [ "$ENGINE" = libfuzzer ]; then
		fail_early "clang with -fsanitize=fuzzer does not work (see $BUILD/logs/)"
	else
		echo "run.sh: no libFuzzer; falling back to gcc and the standalone driver"
		ENGINE=standalone
	fi
fi
if find_gcc; then
	PROPS_CC=gcc
elif probe clang "$PROBE_MAIN" $SANITIZE; then
	PROPS_CC=clang
else
	fail_early "no C compiler with -fsanitize=address,undefined"
fi
if [ "$ENGINE" = standalone ] && [ "$PROPS_CC" != gcc ]; then
	STANDALONE_CC=clang
else
	STANDALONE_CC=gcc
fi
echo "engine: $ENGINE; property test: $PROPS_CC"
[ "$ENGINE" = libfuzzer ] && clang --version | head -n 1

log "build"
BUILD_START=$SECONDS
build() {
	local out=$1
	shift
	if ! "$@" -o "$out" >"$BUILD/logs/build-$(basename "$out").log" 2>&1; then
		cat "$BUILD/logs/build-$(basename "$out").log"
		fail_early "build of $(basename "$out") failed"
	fi
	# show warnings, if any
	[ -s "$BUILD/logs/build-$(basename "$out").log" ] && cat "$BUILD/logs/build-$(basename "$out").log"
	return 0
}

build "$BUILD/properties" $PROPS_CC $COMMON $SANITIZE \
	"$HERE/properties.c" "$HERE/reference.c" "$HERE/checks.c" $SRC
if [ "$ENGINE" = libfuzzer ]; then
	# the shared code once, instrumented for the fuzzer, then one link per target
	mkdir -p "$BUILD/obj"
	OBJS=""
	for f in $SRC "$HERE/reference.c" "$HERE/checks.c"; do
		o="$BUILD/obj/$(basename "$f" .c).o"
		build "$o" clang $COMMON $SANITIZE -fsanitize=fuzzer-no-link -c "$f"
		OBJS="$OBJS $o"
	done
	for t in $TARGETS; do
		build "$BUILD/fuzz_$t" clang $COMMON $SANITIZE -fsanitize=fuzzer \
			"$HERE/fuzz_$t.c" $OBJS
	done
else
	for t in $TARGETS; do
		build "$BUILD/fuzz_$t" $STANDALONE_CC $COMMON $SANITIZE \
			"$HERE/fuzz_$t.c" "$HERE/standalone.c" "$HERE/reference.c" "$HERE/checks.c" $SRC
	done
fi
echo "built in $((SECONDS - BUILD_START)) s"

log "property test"
PROPS_START=$SECONDS
"$BUILD/properties" 2>&1 | tee "$BUILD/logs/properties.log"
PROPS_STATUS=${PIPESTATUS[0]}
LINE=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$BUILD/logs/properties.log" | tail -n 1)
if [ -n "$LINE" ]; then
	PASSED=$((PASSED + $(echo "$LINE" | cut -d' ' -f1)))
	FAILED=$((FAILED + $(echo "$LINE" | cut -d' ' -f3)))
fi
if [ "$PROPS_STATUS" -ne 0 ] && { [ -z "$LINE" ] || [ "$(echo "$LINE" | cut -d' ' -f3)" = 0 ]; }; then
	echo "properties exited with status $PROPS_STATUS"
	FAILED=$((FAILED + 1))
fi
echo "property test took $((SECONDS - PROPS_START)) s"

NTARGETS=$(echo $TARGETS | wc -w)
PER=$((BUDGET / NTARGETS))
[ "$PER" -lt 1 ] && PER=1
log "fuzzing: $NTARGETS targets, $PER s each ($ENGINE)"
for t in $TARGETS; do
	work="$BUILD/corpus/$t"
	seeds="$HERE/corpus/$t"
	logf="$BUILD/logs/fuzz_$t.log"
	mkdir -p "$work" "$seeds"
	rm -f "$BUILD/artifacts/$t-"*
	dict=()
	[ -f "$HERE/dict/$t.dict" ] && [ "$ENGINE" = libfuzzer ] && dict=("-dict=$HERE/dict/$t.dict")
	t0=$SECONDS
	"$BUILD/fuzz_$t" -max_total_time="$PER" -timeout=10 -rss_limit_mb=2048 -max_len=512 \
		-print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t-" "${dict[@]}" \
		"$work" "$seeds" >"$logf" 2>&1
	status=$?
	n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$logf" | tail -n 1 | grep -o '[0-9]*$')
	n=${n:-0}
	EXECS=$((EXECS + n))
	if [ "$status" -eq 0 ] && ! grep -qE 'ERROR: (Address|Undefined|Leak)Sanitizer|runtime error:|invariant failed' "$logf"; then
		printf '%-22s ok      %10d executions in %d s, corpus %d\n' "$t" "$n" "$((SECONDS - t0))" \
			"$(ls "$work" | wc -l)"
		PASSED=$((PASSED + 1))
	else
		printf '%-22s FAILED  %10d executions in %d s (status %d)\n' "$t" "$n" "$((SECONDS - t0))" "$status"
		grep -E -A 40 'invariant failed|ERROR: |runtime error:' "$logf" | head -n 60
		ls "$BUILD/artifacts/$t-"* 2>/dev/null | sed 's/^/failing input: /'
		FAILED=$((FAILED + 1))
	fi
done

printf '\ntotal executions: %d in %d s of fuzzing (%s); whole run %d s\n' \
	"$EXECS" "$((NTARGETS * PER))" "$ENGINE" "$((SECONDS - START))"
summary
[ "$FAILED" -eq 0 ]
