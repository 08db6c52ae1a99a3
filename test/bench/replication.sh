#!/bin/bash
# test/bench/replication.sh: bureaus consolidated into a city database by
# logical replication (BENCHMARKS.md, "City level").  Run as a user who may
# run initdb (postgres), with pointsys installed in the PostgreSQL whose
# binaries are first in PATH (or PGBIN):
#
#     runuser -u postgres -- bash test/bench/replication.sh
#     MEMBERS=2000 BUREAUS=3 REPS=5 bash test/bench/replication.sh
#
# Starts a throwaway cluster (wal_level = logical; removed on exit), creates
# BUREAUS bureau databases with test/data/generate.sql (MEMBERS members
# each, one year, distinct ids) and a city database subscribed to each
# bureau's ledger as README's "Logical replication" says (the first bureau
# also publishes the rulebook), then measures:
#
#   initial copy   from CREATE SUBSCRIPTION to every table synchronised
#   a month        one bureau COPYs a month of scores (MEMBERS × 17 rows)
#                  and commits; the lag is the time from that commit until
#                  the city has applied it (its month ledger included):
#                  the apply throughput is rows / lag
#   report         annual_results in the city (all bureaus, consolidated,
#                  read locally) against one bureau's own, medians of REPS
#
# and checks that the city's results for each bureau equal the bureau's.
# All databases share one cluster and the machine's cores: the bureau's
# COPY, the walsender and the apply worker compete, as they would not on
# separate servers.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
start_cluster replication "${PGPORT:-54381}" "wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
max_logical_replication_workers = 20
max_worker_processes = 30"

now() { date +%s.%N; }
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

LEDGER="pointsys.branch, pointsys.member, pointsys.score, pointsys.award, pointsys.sanction, pointsys.evaluation"
psql -c 'CREATE DATABASE city TEMPLATE template0'
psql -d city -c 'CREATE EXTENSION pointsys' \
	-c 'SET session_replication_role = replica' \
	-c 'DELETE FROM pointsys.item; DELETE FROM pointsys.award_kind; DELETE FROM pointsys.category'
for i in $(seq 1 "$BUREAUS"); do
	b=bureau$i
	psql -c "CREATE DATABASE $b TEMPLATE template0"
	psql -d "$b" -c 'CREATE EXTENSION pointsys'
	psql -d "$b" -v members="$MEMBERS" -v years=1 -v seed="$i" -v prefix="${b}_" -v scores=none \
		-f "$SRC/test/data/generate.sql"
	# the year but its last month through the write rules; December is for later
	psql -d "$b" -c "INSERT INTO pointsys.score (member_id, month, item, points)
		SELECT member_id, month, item, points FROM pointsys_generated_scores WHERE month < '2024-12-01'"
	tables=$LEDGER
	[ "$i" = 1 ] && tables="$tables, pointsys.item, pointsys.category, pointsys.award_kind"
	psql -d "$b" -c "CREATE PUBLICATION city FOR TABLE $tables" \
		-c "SELECT pg_create_logical_replication_slot('city_$b', 'pgoutput')" >/dev/null
done
psql -c CHECKPOINT

# --- initial copy ---------------------------------------------------------------
rows=$(for i in $(seq 1 "$BUREAUS"); do psql -d "bureau$i" -At -c 'SELECT count(*) FROM pointsys.score'; done |
	awk '{ s += $1 } END { print s }')
start=$(now)
for i in $(seq 1 "$BUREAUS"); do
	# in one cluster the slot exists beforehand (CREATE SUBSCRIPTION would wait for itself)
	psql -d city -c "CREATE SUBSCRIPTION city_bureau$i
		CONNECTION 'host=$WORK port=$PGPORT dbname=bureau$i' PUBLICATION city
		WITH (create_slot = false, slot_name = 'city_bureau$i')"
done
until [ "$(psql -d city -At -c "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate NOT IN ('r', 's')")" = 0 ] &&
	[ "$(psql -d city -At -c 'SELECT count(*) FROM pointsys.score')" = "$rows" ]; do
	sleep 0.2
done
copy_ms=$(ms_since "$start")

# caught_up DB SLOT LSN: has the slot's subscriber confirmed LSN?
caught_up() {
	[ "$(psql -d "$1" -At -c "SELECT confirmed_flush_lsn >= '$3' FROM pg_replication_slots WHERE slot_name = '$2'")" = t ]
}

# --- a month of scores ----------------------------------------------------------
month_rows=$(psql -d bureau1 -At -c "SELECT count(*) FROM pointsys_generated_scores WHERE month = '2024-12-01'")
psql -d bureau1 -c "COPY (SELECT member_id, month, item, points FROM pointsys_generated_scores
	WHERE month = '2024-12-01') TO '$WORK/december.copy'"
start=$(now)
psql -d bureau1 -c "COPY pointsys.score (member_id, month, item, points) FROM '$WORK/december.copy'"
copy_month_ms=$(ms_since "$start")
lsn=$(psql -d bureau1 -At -c 'SELECT pg_current_wal_insert_lsn()')
commit=$(now)
until caught_up bureau1 city_bureau1 "$lsn" &&
	[ "$(psql -d city -At -c "SELECT count(*) FROM pointsys.score WHERE month = '2024-12-01'")" = "$month_rows" ]; do
	sleep 0.05
done
lag_ms=$(ms_since "$commit")

# --- the city's figures equal each bureau's --------------------------------------------
for i in $(seq 1 "$BUREAUS"); do
	q="SELECT * FROM pointsys.annual_results WHERE member_id LIKE 'bureau${i}\_%' ORDER BY member_id, year"
	[ "$(psql -d "bureau$i" -At -c "$q")" = "$(psql -d city -At -c "$q")" ] ||
		{ echo "replication.sh: the city's annual_results of bureau$i differ from the bureau's" >&2; exit 1; }
done

# --- reports ---------------------------------------------------------------------
psql -c CHECKPOINT
psql -d city -c 'VACUUM ANALYZE'
psql -d bureau1 -c 'VACUUM ANALYZE'
report="SELECT * FROM pointsys.annual_results"

printf '\n%-44s %12s\n' measure value
printf '%-44s %9s ms   (%s score rows, %.0f rows/s)\n' "initial copy, $BUREAUS bureaus" "$copy_ms" "$rows" \
	"$(awk -v r="$rows" -v ms="$copy_ms" 'BEGIN { print r / ms * 1000 }')"
printf '%-44s %9s ms   (%s rows)\n' "a month's COPY on bureau1" "$copy_month_ms" "$month_rows"
printf '%-44s %9s ms   (%.0f rows/s applied)\n' "lag: that commit until applied in the city" "$lag_ms" \
	"$(awk -v r="$month_rows" -v ms="$lag_ms" 'BEGIN { print r / (ms > 0 ? ms : 1) * 1000 }')"
printf '%-44s %9s ms   (%s rows)\n' "annual_results, bureau1 alone" "$(median_ms bureau1 "$report")" \
	"$(psql -d bureau1 -At -c "SELECT count(*) FROM ($report) r")"
printf '%-44s %9s ms   (%s rows)\n' "annual_results, the city (consolidated)" "$(median_ms city "$report")" \
	"$(psql -d city -At -c "SELECT count(*) FROM ($report) r")"
echo
echo "$BUREAUS bureaus of $MEMBERS members, one cluster; reports: median of $REPS runs; $(postgres --version)"
