#!/bin/bash
# test/bench/curve.sh: the bench at growing cities, one line per size.  As root:
#
#     bash test/bench/curve.sh                      # 1 000, 20 000, 100 000, 200 000 members
#     SIZES="1000 20000" REPS=3 bash test/bench/curve.sh
#
# Runs test/bench/run.sh once per size (MEMBERS, one year: 204 score rows a
# member) with the ingest contenders that the targets compare (floor, write
# rules and month ledger, everything on) and prints, per size, the floor's
# COPY in seconds and each ratio to it, the corrections' ratios, a new
# session's first write, a backend's caches after every member was looked
# up, a recorder's session's caches, annual_results (seconds and × floor) and how long the size took from
# start to end (generation included).  Each size's full output is kept in
# $CURVE_DIR/members-N.log.
#
# Environment: SIZES, REPS (1: the largest COPYs take minutes),
# CORRECTION_REPS (3), CURVE_DIR (/var/tmp/pointsys-curve), and whatever
# run.sh takes (BENCH_PROFILE=1 for a profile at every size).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIZES=${SIZES:-1000 20000 100000 200000}
CURVE_DIR=${CURVE_DIR:-/var/tmp/pointsys-curve}
mkdir -p "$CURVE_DIR"

for m in $SIZES; do
	start=$(date +%s)
	echo "=== $m members: $CURVE_DIR/members-$m.log"
	MEMBERS=$m REPS=${REPS:-1} CORRECTION_REPS=${CORRECTION_REPS:-3} \
		BENCH_INGEST=${BENCH_INGEST:-floor pointsys pointsys+audit} \
		bash "$ROOT/test/bench/run.sh" >"$CURVE_DIR/members-$m.log" 2>&1 ||
		{ tail -n 30 "$CURVE_DIR/members-$m.log"; echo "curve: $m members failed" >&2; exit 1; }
	# the ingest ratios in the backend's CPU time too (the table's last column)
	cpu=$(awk '$1 == "ingest" && $2 == "pointsys" { r = $NF } $1 == "ingest" && $2 == "pointsys+audit" { a = $NF }
		END { print "cpu_rules " r " cpu_audit " a }' "$CURVE_DIR/members-$m.log")
	echo "$(grep '^curve ' "$CURVE_DIR/members-$m.log") took_s $(($(date +%s) - start)) $cpu" |
		tee -a "$CURVE_DIR/curve.txt"
done

echo
printf '%9s %10s %9s %8s %8s %8s %8s %8s %8s %9s %9s %9s %9s %8s %7s\n' members "score rows" "floor s" \
	"rules ×" "(CPU)" "all on ×" "(CPU)" "UPDATE ×" "DELETE ×" "1st w. ms" "cache MB" "rec. MB" "report s" "× floor" "took s"
for m in $SIZES; do
	grep "^curve $m " "$CURVE_DIR/curve.txt" | tail -n 1 |
		awk '{ printf "%9s %10s %9s %8s %8s %8s %8s %8s %8s %9s %9s %9s %9s %8s %7s\n",
			$2, $3, $5, $7, $27, $9, $29, $11, $13, $15, $17, $23, $19, $21, $25 }'
done
