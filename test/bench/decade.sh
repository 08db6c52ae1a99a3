#!/bin/bash
# test/bench/decade.sh: the reports over a city's decade.  As root:
#
#     bash test/bench/decade.sh                  # 100 000 members × 10 years
#     MEMBERS=20000 YEARS=5 REPS=3 bash test/bench/decade.sh
#
# A million member-years (100 000 members × 10 years) of full score sheets
# would be 204 million score rows, some 40 GB with their indexes and hours
# to write on this machine.  The reports do not read score rows: they read
# the month ledger (one row per member-month), which is what must be
# full-sized.  So the city's scores are a thin ledger (test/data/generate.sql
# with items=1): one score row per member-month, 12 million for a decade, each
# year written in turn through every rule (write rules, month ledger, audit
# trail) as the years of a real ledger are, so that the month ledger has its
# real rows (12 million, one per member-month) in the order a growing ledger
# has them; awards, vetoes and democratic evaluations as generate.sql makes
# them for every year.
#
# Then, each report timed inside the server (EXPLAIN (ANALYZE, TIMING OFF):
# the whole result computed, nothing sent), serial, after one untimed run
# (WARMUP=0: none), median of REPS:
#
#   floor          SELECT member_id, year_of(month), sum(points) FROM score
#                  GROUP BY 1, 2 (over the thin ledger: 17 times fewer rows
#                  than full sheets would give, so a floor far below the real one)
#   annual_results SELECT * FROM pointsys.annual_results
#   rankings       SELECT * FROM pointsys.rankings (each quarter and year)
#   grades         the grade distribution: year, grade, count(*) of annual_results
#
# each over every year, over the last 5 and 2 years (time against
# member-years: linear?), and over one year (WHERE year = 2024), with the
# month ledger's scan of that one-year report shown (EXPLAIN ANALYZE
# BUFFERS): it should read that year's block ranges only.
#
# Environment: MEMBERS (100000), YEARS (10), REPS (3), WARMUP (1),
# KEEP_WORK=1 (lib.sh).
set -euo pipefail

MEMBERS=${MEMBERS:-100000}
YEARS=${YEARS:-10}
REPS=${REPS:-3}
LAST=2024
FIRST=$((LAST - YEARS + 1))

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

private_setup
log "build (as released: -O2, no assertions), installed privately"
pg_make -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build failed"; }
private_install
PGPORT_TEST=${PGPORT_TEST:-54338}
CLUSTER_CONF="shared_buffers = '1GB'
max_wal_size = '16GB'
checkpoint_timeout = '1h'
work_mem = '64MB'"
start_private_cluster "$PRIVATE_POSTGRES"

q() {
	as_pg_client psql -XAtq -v ON_ERROR_STOP=1 -d decade "$@"
}

# timed LABEL SQL...: run in one session, print LABEL and the seconds it took
timed() {
	local label=$1 start
	shift
	start=$(date +%s.%N)
	q "$@" >/dev/null
	printf '  %-58s %8.1f s\n' "$label" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
}

log "a city of $MEMBERS members × $YEARS years ($FIRST–$LAST), thin score sheets"
df -h "$WORK" | tail -n 1 | awk '{ print "  disk before: " $4 " free" }'
as_pg_client psql -XAtq -c "CREATE DATABASE decade ENCODING 'UTF8' TEMPLATE template0"
q -c 'CREATE EXTENSION pointsys'
GEN_START=$(date +%s)
timed "generate.sql (members, awards, vetoes, evaluations, scores)" \
	-v members="$MEMBERS" -v years="$YEARS" -v items=1 -v scores=none -f "$WORK/tree/test/data/generate.sql"
for ((y = FIRST; y <= LAST; y++)); do
	timed "year $y: its score rows through every rule" -c "INSERT INTO pointsys.score (member_id, month, item, points)
		SELECT member_id, month, item, points FROM pointsys_generated_scores
		WHERE month >= make_date($y, 1, 1) AND month < make_date($y + 1, 1, 1)"
done
q -c 'DROP TABLE pointsys_generated_scores'
timed "VACUUM ANALYZE" -c 'VACUUM ANALYZE'
echo "  generated in $(($(date +%s) - GEN_START)) s"
q -c "SELECT format('  %s: %s rows, %s', c.relname, to_char(c.reltuples, 'FM999G999G999'),
		pg_size_pretty(pg_total_relation_size(c.oid)))
	FROM pg_class c WHERE c.relnamespace = 'pointsys'::regnamespace
		AND c.relname IN ('score', 'member_month', 'award', 'evaluation', 'audit_log')
	ORDER BY c.relname"
q -c "SELECT '  member_month_year_idx: ' || pg_size_pretty(pg_relation_size('pointsys.member_month_year_idx'))"
df -h "$WORK" | tail -n 1 | awk '{ print "  disk after: " $4 " free" }'

declare -A SQL=(
	[floor]="SELECT member_id, pointsys.year_of(month) AS year, sum(points) FROM pointsys.score GROUP BY 1, 2"
	[annual_results]="SELECT * FROM pointsys.annual_results"
	[rankings]="SELECT * FROM pointsys.rankings"
	[grades]="SELECT year, grade, count(*) FROM pointsys.annual_results GROUP BY 1, 2"
)
REPORTS=(floor annual_results rankings grades)

# where WHERE: the report over those years (the floor filters its groups
# the same way, as a HAVING on the year)
report_sql() {
	local r=$1 where=$2
	[ -z "$where" ] && { echo "${SQL[$r]}"; return; }
	case $r in
		floor) echo "${SQL[$r]} HAVING pointsys.year_of(month) $where" ;;
		grades) echo "SELECT year, grade, count(*) FROM pointsys.annual_results WHERE year $where GROUP BY 1, 2" ;;
		*) echo "${SQL[$r]} WHERE year $where" ;;
	esac
}

# seconds SQL: the median over REPS of its execution time, inside the server
seconds() {
	local r out
	[ "${WARMUP:-1}" = 1 ] &&
		q -c 'SET max_parallel_workers_per_gather = 0' -c "EXPLAIN (ANALYZE, TIMING OFF) $1" >/dev/null
	for ((r = 0; r < REPS; r++)); do
		out=$(q -c 'SET max_parallel_workers_per_gather = 0' -c "EXPLAIN (ANALYZE, TIMING OFF) $1")
		echo "$out" | sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p'
	done | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] / 1000 }'
}

log "reports, serial, median of $REPS (seconds; member-years in brackets)"
printf '  %-16s' years
for r in "${REPORTS[@]}"; do printf ' %15s' "$r"; done
printf ' %12s\n' "× floor"
for span in "$YEARS" 5 2 one; do
	case $span in
		one) where="= $LAST" label="$LAST only" ;;
		"$YEARS") where="" label="all $YEARS" ;;
		*) [ "$span" -lt "$YEARS" ] || continue
			where=">= $((LAST - span + 1))" label="last $span" ;;
	esac
	my=$(q -c "SELECT count(*) FROM pointsys.member_years $( [ -n "$where" ] && echo "WHERE year $where")")
	printf '  %-16s' "$label [$my]"
	declare -A T=()
	for r in "${REPORTS[@]}"; do
		T[$r]=$(seconds "$(report_sql "$r" "$where")")
		printf ' %15s' "${T[$r]}"
	done
	printf ' %12s\n' "$(awk -v a="${T[annual_results]}" -v b="${T[floor]}" 'BEGIN { printf "%.2f", a / b }')"
done

log "the one-year report's reads of the month ledger ($LAST)"
q -c 'SET max_parallel_workers_per_gather = 0' \
	-c "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF) SELECT * FROM pointsys.annual_results WHERE year = $LAST" |
	grep -A6 -E 'on member_month' | sed 's/^/  /'
q -c "SELECT '  member_month: ' || relpages || ' pages in all' FROM pg_class WHERE oid = 'pointsys.member_month'::regclass"
echo "decade: done"
