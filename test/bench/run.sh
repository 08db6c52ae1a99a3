#!/bin/bash
# test/bench/run.sh: the benchmark (`make bench`).  Run as root on Debian 12:
#
#     make bench                      # 20 000 members × 1 year, 3 repetitions
#     make bench MEMBERS=100000 REPS=5
#     BENCH_SMOKE=1 bash test/bench/run.sh   # seconds: the test suite runs this
#
# Builds pointsys as released (-O2, no assertions), installs it privately
# and starts a throwaway cluster on that copy (jit = off), generates a city
# with test/data/generate.sql and measures, the contenders alternating
# within each repetition, medians reported:
#
#   ingest   COPY of the year's score rows into pointsys.score
#            floor:          pointsys's triggers disabled (foreign keys stay)
#            pointsys:       the C write rules and the month ledger
#            pointsys+audit: those and the C audit trail
#            plpgsql:        the same rules as PL/pgSQL (baseline.sql)
#            plpgsql+audit:  those and a PL/pgSQL row-level audit trigger
#   corrections  UPDATE and DELETE of one month's score rows, rolled back:
#            on:  every trigger of pointsys (write rules, month ledger, audit)
#            off: none of them (foreign keys stay)
#   report   all annual results, serial and with 2 parallel workers
#            floor:    SELECT member_id, year, sum(points) FROM score GROUP BY 1, 2
#            pointsys: SELECT * FROM pointsys.annual_results
#            plain:    the same report as nested GROUP BY views (test/data/plain_report.sql),
#                      checked equal to pointsys's row for row first
#   memory   peak private memory of the backend and of its hash aggregation
#            during the report, on the full ledger (all months, all items)
#            and on a thin one (one row per member-year): the same number of
#            groups with 204 times fewer rows per group.
#
# Prints one table, the targets of the benchmark issue and whether each is
# met.  Fails only when the bench itself fails: a query error, a plain-SQL
# report that differs from pointsys's, or memory that grows with the rows
# per group.  Timings are printed, never asserted.
#
# With BENCH_PROFILE=1 it also samples the whole machine with perf (CPU
# clock) during one COPY through the write rules and the audit trail, and
# during one serial report, and prints where the server spent its time.
#
# Environment: MEMBERS (20000), YEARS (1), REPS (3), CORRECTION_REPS (7, or
# REPS if more), BENCH_SMOKE=1 (200 members, 1 repetition, parallel plans
# forced), BENCH_PROFILE=1 (installs linux-perf), BENCH_INGEST (the ingest
# contenders, e.g. "floor pointsys pointsys+audit"; a ratio to one left out
# prints as -), KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

if [ "${BENCH_SMOKE:-0}" = 1 ]; then
	MEMBERS=${MEMBERS:-200}
	REPS=${REPS:-1}
	CORRECTION_REPS=${CORRECTION_REPS:-$REPS}
	# at this size the planner would never go parallel: make it
	PARALLEL_SETTINGS="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
		SET min_parallel_table_scan_size = 0;"
else
	MEMBERS=${MEMBERS:-20000}
	REPS=${REPS:-3}
	# the corrections take seconds, and this VM's speed varies by a third
	# from one second to the next: more of them steady their medians
	CORRECTION_REPS=${CORRECTION_REPS:-$((REPS > 7 ? REPS : 7))}
	PARALLEL_SETTINGS=""
fi
YEARS=${YEARS:-1}

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc
[ "${BENCH_PROFILE:-0}" = 1 ] && ensure_packages linux-perf
start_work
copy_tree "$ROOT"

# installed privately (test/private_server.sh), so that a check or TAP run
# that installs another build meanwhile changes nothing here, nor this
# bench theirs; no bitcode, and the cluster runs with jit = off
log "build (as released: -O2, no assertions), installed privately"
pg_make -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build failed"; }
private_install

log "throwaway cluster"
PGPORT_TEST=${PGPORT_TEST:-54339}
CLUSTER_CONF="shared_buffers = '1GB'
max_wal_size = '16GB'
checkpoint_timeout = '1h'
max_parallel_workers_per_gather = 2"
start_private_cluster "$PRIVATE_POSTGRES"
mkdir -p "$WORK/bench"
chown "$PG_USER:" "$WORK/bench"

# q ARGS...: psql on the bench database, quiet, unaligned, stop on error
q() {
	as_pg_client psql -XAtq -v ON_ERROR_STOP=1 -d bench "$@"
}

# ms SQL...: run the statements with \timing, print the last one's milliseconds
ms() {
	local out
	out=$(q -c '\timing on' -c '\o /dev/null' "$@") || { echo "$out" >&2; die "a benchmark query failed"; }
	echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1
}

# measure BEFORE SQL AFTER: run BEFORE, SQL and AFTER in one session; print
# SQL's milliseconds of wall-clock time and of the backend's CPU time (user
# and system, 10 ms ticks from /proc/self/stat).  Other work on the machine
# stretches the first; the second is what the statement itself cost.
measure() {
	local out wall cpu
	out=$(q -c "${1:-SELECT}" -c "SELECT 'cpu ' || bench_cpu_ticks()" -c '\timing on' -c '\o /dev/null' \
		-c "$2" -c '\o' -c '\timing off' -c "SELECT 'cpu ' || bench_cpu_ticks()" -c "${3:-SELECT}") ||
		{ echo "$out" >&2; die "a benchmark query failed"; }
	wall=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1)
	cpu=$(echo "$out" | awk '/^cpu / { v[n++] = $2 } END { print (v[1] - v[0]) * 10 }')
	[ -n "$wall" ] || die "a benchmark query was not timed"
	echo "$wall $cpu"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# med KEY: the median of RESULT[KEY]
med() { echo "${RESULT[$1]:-}" | tr ' ' '\n' | { grep . || true; } | median; }

# rotate N ITEMS...: the items starting from the N-th (mod their number)
rotate() {
	local n=$1
	shift
	local items=("$@") i
	for ((i = 0; i < ${#items[@]}; i++)); do
		echo "${items[(i + n) % ${#items[@]}]}"
	done
}

log "a city of $MEMBERS members × $YEARS year(s)"
as_pg_client psql -XAtq -c "CREATE DATABASE bench ENCODING 'UTF8' TEMPLATE template0"
q -c 'CREATE EXTENSION pointsys'
q -c "CREATE FUNCTION bench_cpu_ticks() RETURNS bigint LANGUAGE sql AS \$\$
	SELECT split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint
	FROM pg_read_file('/proc/self/stat') AS s \$\$"
GENERATE_START=$(date +%s)
q -v members="$MEMBERS" -v years="$YEARS" -v scores=none -f "$WORK/tree/test/data/generate.sql"
q -f "$WORK/tree/test/bench/baseline.sql"
SCORES="$WORK/bench/scores.copy"
q -c "COPY pointsys_generated_scores TO '$SCORES'"
ROWS=$(q -c 'SELECT count(*) FROM pointsys_generated_scores')
echo "$ROWS score rows, $(q -c 'SELECT count(*) FROM pointsys.award') awards," \
	"$(q -c 'SELECT count(*) FROM pointsys.sanction') sanctions, generated in $(($(date +%s) - GENERATE_START)) s"

# --- ingest ---------------------------------------------------------------

# Which of score's triggers each contender runs (all others disabled)
declare -A INGEST_TRIGGERS=(
	[floor]=""
	[pointsys]="score_check member_month_insert"
	[pointsys+audit]="score_check member_month_insert audit_insert audit_update audit_delete audit_truncate"
	[plpgsql]="baseline_check"
	[plpgsql+audit]="baseline_check baseline_audit"
)
# BENCH_INGEST: the contenders to time (all by default)
read -r -a INGEST <<<"${BENCH_INGEST:-floor pointsys pointsys+audit plpgsql plpgsql+audit}"

# An empty score table and audit trail (the month ledger keeps only the
# awards, rebuilt to the size a new bureau's has: emptying it leaves its
# pages behind, and each contender would find it larger than the one
# before), the contender's triggers, a checkpoint
ingest_setup() {
	local t sql="SET session_replication_role = replica;
		ALTER TABLE pointsys.score ENABLE ALWAYS TRIGGER member_month_truncate;
		TRUNCATE pointsys.score;
		ALTER TABLE pointsys.audit_log DISABLE TRIGGER USER;
		TRUNCATE pointsys.audit_log;
		ALTER TABLE pointsys.audit_log ENABLE TRIGGER USER;
		ALTER TABLE pointsys.score DISABLE TRIGGER USER;"
	for t in ${INGEST_TRIGGERS[$1]}; do
		sql="$sql ALTER TABLE pointsys.score ENABLE TRIGGER $t;"
	done
	q -c "$sql" -c 'VACUUM (FULL, ANALYZE) pointsys.member_month' -c 'CHECKPOINT'
}

log "ingest: COPY of $ROWS score rows, $REPS repetition(s)"
declare -A RESULT
for ((r = 0; r < REPS; r++)); do
	while read -r c; do
		ingest_setup "$c"
		read -r t cpu < <(measure "" "COPY pointsys.score (member_id, month, item, points) FROM '$SCORES'")
		[ "$(q -c 'SELECT count(*) FROM pointsys.score')" = "$ROWS" ] || die "$c lost rows"
		case $c in
			*+audit)
				[ "$(q -c "SELECT count(*) FROM pointsys.audit WHERE table_name = 'score'")" = "$ROWS" ] ||
					die "$c did not audit every row"
				;;
		esac
		printf '  %-16s %10.1f ms, CPU %8.0f ms\n' "$c" "$t" "$cpu"
		RESULT[ingest,$c]+="$t "
		LAST_INGEST=$c
		RESULT[cpu,ingest,$c]+="$cpu "
	done < <(rotate "$r" "${INGEST[@]}")
done

# profile NAME SQL...: sample every CPU while psql runs the statements, then
# print the functions the server spent most of its time in
profile() {
	local name=$1 data="$WORK/bench/perf.$1"
	shift
	perf record -q -a -e cpu-clock -o "$data" -- \
		runuser -u "$PG_USER" -- env PATH="$BINDIR:$PATH" PGHOST="$WORK/sock" \
		PGPORT="$PGPORT_TEST" psql -XAtq -v ON_ERROR_STOP=1 -d bench -o /dev/null "$@" ||
		die "profiling $name failed"
	log "profile: $name (share of the samples taken in the server)"
	perf report -i "$data" --stdio --quiet --comm postgres --percentage relative --sort dso,sym 2>/dev/null |
		awk 'NF && ++n <= 25'
}

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
	BENCH_PROFILE_DONE=1
	ingest_setup pointsys+audit
	profile ingest -c "COPY pointsys.score (member_id, month, item, points) FROM '$SCORES'"
fi

# Leave the ledger loaded through pointsys's rules, ready for the reports
# (the last contender's COPY, when it ran pointsys's rules: a city's COPY
# takes minutes)
if [ -n "${BENCH_PROFILE_DONE:-}" ] || [[ " ${INGEST_TRIGGERS[${LAST_INGEST:-floor}]} " != *" member_month_insert "* ]]; then
	ingest_setup pointsys
	q -c "COPY pointsys.score (member_id, month, item, points) FROM '$SCORES'"
fi
q -c 'ALTER TABLE pointsys.score ENABLE TRIGGER USER' \
	-c 'ALTER TABLE pointsys.score ENABLE ALWAYS TRIGGER member_month_insert,
		ENABLE ALWAYS TRIGGER member_month_update, ENABLE ALWAYS TRIGGER member_month_delete,
		ENABLE ALWAYS TRIGGER member_month_truncate,
		ENABLE REPLICA TRIGGER member_month_replicated' \
	-c "ALTER TABLE pointsys.score DISABLE TRIGGER baseline_check, DISABLE TRIGGER baseline_audit" \
	-c 'VACUUM ANALYZE'

# --- a new session ---------------------------------------------------------

# A clerk's connection: the first write of a new session (caches and
# prepared plans empty), one score row in a transaction rolled back, against
# the same write as the session's second; then the member cache of a
# session that looked up every member, and of one that deleted a month.
SESSION_MEMBER=gm$(((MEMBERS + 1) / 2))
SESSION_ROW="'$SESSION_MEMBER', '$(q -c "SELECT max(month) FROM pointsys.score")', 'role'"
SESSION_POINTS=$(q -c "SELECT points FROM pointsys.score WHERE (member_id, month, item) = ($SESSION_ROW)")
SESSION_INSERT="INSERT INTO pointsys.score (member_id, month, item, points) VALUES ($SESSION_ROW, $SESSION_POINTS)"
q -c "DELETE FROM pointsys.score WHERE (member_id, month, item) = ($SESSION_ROW)"
# the bytes of pointsys's caches in this backend (its memory contexts)
CACHE_BYTES="SELECT 'cache ' || sum(total_bytes) FROM pg_backend_memory_contexts
	WHERE name LIKE 'pointsys%' OR ident LIKE 'pointsys%'"
log "a new session: its first write, $((REPS > 5 ? REPS : 5)) repetitions"
for ((r = 0; r < (REPS > 5 ? REPS : 5); r++)); do
	read -r t cpu < <(measure BEGIN "$SESSION_INSERT" ROLLBACK)
	RESULT[session,first]+="$t "
	read -r t cpu < <(measure "BEGIN; SAVEPOINT s; $SESSION_INSERT; ROLLBACK TO s" "$SESSION_INSERT" ROLLBACK)
	RESULT[session,second]+="$t "
	read -r t cpu < <(measure "BEGIN; ALTER TABLE pointsys.score DISABLE TRIGGER USER" "$SESSION_INSERT" ROLLBACK)
	RESULT[session,off]+="$t "
done
printf '  first write %s ms, second %s ms, triggers off %s ms (medians)\n' \
	"$(med session,first)" "$(med session,second)" "$(med session,off)"
q -c "$SESSION_INSERT"
# every member looked up: a DELETE of a month (a quarter of the members or
# more are read at once), then the caches' bytes
out=$(q -c '\timing on' -c "BEGIN" -c "DELETE FROM pointsys.score WHERE month = '$(q -c "SELECT min(month) FROM pointsys.score")'" \
	-c '\timing off' -c ROLLBACK -c "$CACHE_BYTES")
RESULT[session,every_ms]=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1)
RESULT[session,every_cache]=$(echo "$out" | sed -n 's/^cache //p')
# a recorder of one branch reading the whole month ledger (its row
# security asks may_record of every row): her session holds her members
q -c "CREATE ROLE bench_recorder IN ROLE pointsys_recorder" \
	-c "INSERT INTO pointsys.recorder VALUES ('g1', 'bench_recorder', '2000-01-01')"
out=$(q -c "SET ROLE bench_recorder" -c '\timing on' -c "SELECT count(*) FROM pointsys.member_month" \
	-c '\timing off' -c "RESET ROLE" -c "$CACHE_BYTES")
RESULT[session,recorder_ms]=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
RESULT[session,recorder_cache]=$(echo "$out" | sed -n 's/^cache //p')
q -c "DELETE FROM pointsys.recorder WHERE role_name = 'bench_recorder'" -c "DROP ROLE bench_recorder"
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
printf '  every member looked up (a DELETE of a month): %s ms, caches %s MB\n' \
	"${RESULT[session,every_ms]}" "$(mb "${RESULT[session,every_cache]}")"
printf '  a recorder of branch g1 reading the month ledger: %s ms, caches %s MB (%s members in g1)\n' \
	"${RESULT[session,recorder_ms]}" "$(mb "${RESULT[session,recorder_cache]}")" \
	"$(q -c "SELECT count(*) FROM pointsys.member WHERE branch_id = 'g1'")"

# --- corrections ----------------------------------------------------------

# UPDATE and DELETE of one month's score rows (a recorder's corrections),
# each in a transaction rolled back: with every trigger of pointsys on
# (write rules, month ledger, audit trail) and with them all off (the
# foreign keys stay), alternating.
CORRECTION_MONTH=$(q -c "SELECT min(month) + interval '2 months' FROM pointsys.score")
declare -A CORRECTION_SQL=(
	[update]="UPDATE pointsys.score SET points = points WHERE month = '$CORRECTION_MONTH'"
	[delete]="DELETE FROM pointsys.score WHERE month = '$CORRECTION_MONTH'"
)
CORRECTIONS=(off on)
log "corrections: UPDATE and DELETE of the $(q -c "SELECT count(*) FROM pointsys.score WHERE month = '$CORRECTION_MONTH'") score rows of one month, $CORRECTION_REPS repetition(s)"
for ((r = 0; r < CORRECTION_REPS; r++)); do
	for s in update delete; do
		while read -r c; do
			triggers=""
			[ "$c" = off ] && triggers="ALTER TABLE pointsys.score DISABLE TRIGGER USER;"
			read -r t cpu < <(measure "BEGIN; $triggers" "${CORRECTION_SQL[$s]}" ROLLBACK)
			printf '  %-6s %-4s %10.1f ms, CPU %8.0f ms\n' "$s" "$c" "$t" "$cpu"
			RESULT[$s,$c]+="$t "
			RESULT[cpu,$s,$c]+="$cpu "
		done < <(rotate "$r" "${CORRECTIONS[@]}")
	done
done

# --- reports --------------------------------------------------------------

declare -A REPORT_SQL=(
	[floor]='SELECT member_id, pointsys.year_of(month) AS year, sum(points) FROM pointsys.score GROUP BY 1, 2'
	[pointsys]='SELECT * FROM pointsys.annual_results'
	[plain]='SELECT * FROM pointsys_plain.annual_results'
)
REPORTS=(floor pointsys plain)

log "reports: the plain-SQL report equals pointsys's"
diff=$(q -c "SELECT count(*) FROM (
	(SELECT member_id, branch_id, year, q1, q2, q3, q4, months, assessment, democratic,
			vetoed, total, grade::text, eligibility FROM pointsys.annual_results
	 EXCEPT ALL SELECT * FROM pointsys_plain.annual_results)
	UNION ALL
	(SELECT * FROM pointsys_plain.annual_results
	 EXCEPT ALL SELECT member_id, branch_id, year, q1, q2, q3, q4, months, assessment,
			democratic, vetoed, total, grade::text, eligibility FROM pointsys.annual_results)) d")
results=$(q -c 'SELECT count(*) FROM pointsys.annual_results')
echo "$results member-years, $diff differing rows"
[ "$diff" = 0 ] && [ "$results" -gt 0 ] || die "the plain-SQL report differs from pointsys.annual_results"

workers() {
	q -c "SET max_parallel_workers_per_gather = $1; $PARALLEL_SETTINGS" \
		-c "EXPLAIN (COSTS OFF) ${REPORT_SQL[$2]}" |
		sed -n 's/.*Workers Planned: \([0-9]*\).*/\1/p' | sort -n | tail -n 1
}

log "reports: serial and 2 workers, $REPS repetition(s)"
for mode in serial parallel; do
	[ $mode = serial ] && n=0 || n=2
	for c in "${REPORTS[@]}"; do
		RESULT[workers,$mode,$c]=$(workers $n "$c")
	done
	for ((r = 0; r < REPS; r++)); do
		while read -r c; do
			t=$(ms -c "SET max_parallel_workers_per_gather = $n; $PARALLEL_SETTINGS" \
				-c "${REPORT_SQL[$c]}")
			printf '  %-8s %-9s %10.1f ms\n' "$mode" "$c" "$t"
			RESULT[$mode,$c]+="$t "
		done < <(rotate "$r" "${REPORTS[@]}")
	done
done

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
	profile report -c 'SET max_parallel_workers_per_gather = 0' -c "${REPORT_SQL[pointsys]}"
fi

# --- memory ---------------------------------------------------------------

# Peak private memory of a fresh backend running the report serially, JIT
# off (VmHWM less the shared buffers and files it mapped, which only grow),
# and the peak memory of the hash aggregation of score, from EXPLAIN ANALYZE.
memory() {
	local status hwm shared
	status=$(q -c 'SET max_parallel_workers_per_gather = 0; SET jit = off' -c '\o /dev/null' \
		-c "${REPORT_SQL[pointsys]}" -c '\o' -c "SELECT pg_read_file('/proc/self/status')")
	hwm=$(echo "$status" | awk '/^VmHWM:/ { print $2 }')
	shared=$(echo "$status" | awk '/^Rss(Shmem|File):/ { kb += $2 } END { print kb }')
	RESULT[memory,$1,backend]=$(((hwm - shared) / 1024))
	RESULT[memory,$1,hashagg]=$(q -c 'SET max_parallel_workers_per_gather = 0; SET jit = off' \
		-c "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ${REPORT_SQL[pointsys]}" |
		sed -n 's/.*Memory Usage: \([0-9]*\)kB.*/\1/p' | sort -n | tail -n 1)
	RESULT[memory,$1,rows]=$(q -c 'SELECT count(*) FROM pointsys.score')
}

log "memory: full ledger, then one row per member-year"
memory full
q -c 'SET session_replication_role = replica' -c 'TRUNCATE pointsys.score' \
	-c "INSERT INTO pointsys.score (member_id, month, item, points)
		SELECT member_id, month, item, points FROM pointsys_generated_scores
		WHERE item = 'role' AND pointsys.quarter_start(pointsys.year_of(month), 1) = month" \
	-c 'VACUUM ANALYZE pointsys.score'
memory thin
for d in full thin; do
	printf '  %-5s %9s score rows: backend %5s MB, hash aggregation %7s kB\n' "$d" \
		"${RESULT[memory,$d,rows]}" "${RESULT[memory,$d,backend]}" "${RESULT[memory,$d,hashagg]}"
done

# --- the table ------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'; }
# verdict VALUE OP LIMIT: "met" or "MISSED"
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
	if (v == "-") { print "(not measured, or too short to time)"; exit }
	ok = (op == "<=") ? v + 0 <= l + 0 : v + 0 >= l + 0; print ok ? "met" : "MISSED" }'; }

floor_in=$(med ingest,floor)
plpgsql_in=$(med ingest,plpgsql)
ser_floor=$(med serial,floor)
ser_plain=$(med serial,plain)

log "results: $MEMBERS members × $YEARS year(s), $ROWS score rows, medians of $REPS ($CORRECTION_REPS for the corrections)"
printf '%-8s %-32s %9s %8s %11s %9s\n' phase contender seconds "× floor" "× baseline" "CPU × fl."
for c in "${INGEST[@]}"; do
	t=$(med "ingest,$c")
	base=$plpgsql_in
	[ "$c" = plpgsql+audit ] || [ "$c" = pointsys+audit ] && base=$(med ingest,plpgsql+audit)
	printf '%-8s %-32s %9s %8s %11s %9s\n' ingest "$c" "$(secs "$t")" \
		"$(ratio "$t" "$floor_in")" "$(ratio "$t" "$base")" \
		"$(ratio "$(med "cpu,ingest,$c")" "$(med cpu,ingest,floor)")"
done
for s in update delete; do
	for c in "${CORRECTIONS[@]}"; do
		t=$(med "$s,$c")
		printf '%-8s %-32s %9s %8s %11s %9s\n' "$s" "one month, pointsys $c" "$(secs "$t")" \
			"$(ratio "$t" "$(med "$s,off")")" "" "$(ratio "$(med "cpu,$s,$c")" "$(med "cpu,$s,off")")"
	done
done
for mode in serial parallel; do
	for c in "${REPORTS[@]}"; do
		t=$(med "$mode,$c")
		printf '%-8s %-32s %9s %8s %11s\n' report "$c, $mode (${RESULT[workers,$mode,$c]:-0} workers)" \
			"$(secs "$t")" "$(ratio "$t" "$(med "$mode,floor")")" \
			"$(ratio "$t" "$(med "$mode,plain")")"
	done
done

in_rules=$(ratio "$(med ingest,pointsys)" "$floor_in")
in_vs_plpgsql=$(ratio "$(med ingest,pointsys)" "$plpgsql_in")
in_audit=$(ratio "$(med ingest,pointsys+audit)" "$floor_in")
update_ratio=$(ratio "$(med update,on)" "$(med update,off)")
delete_ratio=$(ratio "$(med delete,on)" "$(med delete,off)")
cpu_ratio() { ratio "$(med "cpu,$1")" "$(med "cpu,$2")"; }
rep_floor=$(ratio "$(med serial,pointsys)" "$ser_floor")
rep_plain=$(ratio "$(med serial,pointsys)" "$ser_plain")
speedup=$(ratio "$(med serial,pointsys)" "$(med parallel,pointsys)")
mem_growth=$(ratio "${RESULT[memory,full,hashagg]}" "${RESULT[memory,thin,hashagg]}")

log "targets"
printf '%-52s %8s  %s\n' \
	"ingest, write rules + month ledger ≤ 1.08 × floor" "$in_rules" "$(verdict "$in_rules" '<=' 1.08)" \
	"  the same in CPU time" "$(cpu_ratio ingest,pointsys ingest,floor)" \
	"$(verdict "$(cpu_ratio ingest,pointsys ingest,floor)" '<=' 1.08)" \
	"ingest, write rules ≤ 0.6 × PL/pgSQL" "$in_vs_plpgsql" "$(verdict "$in_vs_plpgsql" '<=' 0.6)" \
	"ingest, everything on (+ audit) ≤ 1.3 × floor" "$in_audit" "$(verdict "$in_audit" '<=' 1.3)" \
	"  the same in CPU time" "$(cpu_ratio ingest,pointsys+audit ingest,floor)" \
	"$(verdict "$(cpu_ratio ingest,pointsys+audit ingest,floor)" '<=' 1.3)" \
	"UPDATE of a month, everything on ≤ 1.5 × off" "$update_ratio" "$(verdict "$update_ratio" '<=' 1.5)" \
	"DELETE of a month, everything on ≤ 1.5 × off" "$delete_ratio" "$(verdict "$delete_ratio" '<=' 1.5)" \
	"annual_results ≤ 2 × floor" "$rep_floor" "$(verdict "$rep_floor" '<=' 2)" \
	"annual_results ≤ 0.15 × plain SQL" "$rep_plain" "$(verdict "$rep_plain" '<=' 0.15)" \
	"annual_results, 2 workers ≥ 1.6 × faster" "$speedup" "$(verdict "$speedup" '>=' 1.6)" \
	"memory: full / thin hash aggregation (flat: ≤ 2)" "$mem_growth" "$(verdict "$mem_growth" '<=' 2)" \
	"a new session's first write ≤ 20 ms" "$(med session,first)" "$(verdict "$(med session,first)" '<=' 20)" \
	"caches of a backend ≤ 32 MB (every member looked up)" "$(mb "${RESULT[session,every_cache]}")" \
	"$(verdict "$(mb "${RESULT[session,every_cache]}")" '<=' 32)" \
	"  the same for 200 connections (MB)" "$(awk -v b="${RESULT[session,every_cache]}" 'BEGIN { printf "%.0f", 200 * b / 1048576 }')" "" \
	"  a recorder's session (MB, her branch's members)" "$(mb "${RESULT[session,recorder_cache]}")" ""

# One line for test/bench/curve.sh: members, score rows, then seconds and ratios
printf 'curve %s %s floor %s pointsys %s audit %s update %s delete %s first_ms %s cache_mb %s report_s %s report_floor %s recorder_mb %s\n' \
	"$MEMBERS" "$ROWS" "$(secs "$floor_in")" "$in_rules" "$in_audit" "$update_ratio" "$delete_ratio" \
	"$(med session,first)" "$(mb "${RESULT[session,every_cache]}")" "$(secs "$(med serial,pointsys)")" "$rep_floor" \
	"$(mb "${RESULT[session,recorder_cache]}")"

# Memory is the one figure the bench asserts: a state that grew with its
# rows would show here at any size.
[ "$(verdict "$mem_growth" '<=' 2)" = met ] || die "report memory grows with the rows per group"
echo "bench: done"
