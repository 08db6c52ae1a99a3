#!/bin/bash
# test/bench/city.sh: a city's reports over federated bureaus against one
# bureau's local report (BENCHMARKS.md, "City level").  Run as a user who may
# run initdb (postgres), with pointsys installed in the PostgreSQL whose
# binaries are first in PATH (or PGBIN):
#
#     runuser -u postgres -- bash test/bench/city.sh
#     MEMBERS=2000 BUREAUS=3 REPS=5 bash test/bench/city.sh
#
# Starts a throwaway cluster (socket and data in a temporary directory,
# removed on exit), creates BUREAUS bureau databases with
# test/data/generate.sql (MEMBERS members each, one year, distinct ids) and
# a city database federating them as README's City level says
# (postgres_fdw, extensions 'pointsys', async_capable, UNION ALL views),
# ANALYZE everywhere, a checkpoint, then times each report REPS times inside the server
# (clock_timestamp around EXECUTE, so psql's start-up is not counted; the
# foreign servers' connections are opened by a first, untimed run) and
# prints the median:
#
#   distribution  year × grade counts          local: annual_results GROUP BY
#                                              city:  city.grade_distribution, summed
#   quarters      quarter_avg per member-quarter
#                                              local: monthly_scores GROUP BY member,
#                                                     year_of, quarter_of
#                                              city:  city.quarter_scores
#   results       every annual result row      local: pointsys.annual_results
#                                              city:  city.annual_results
#
# All bureaus share one cluster and the machine's cores with the city, as
# loopback servers: a lower bound on what the network adds.
set -euo pipefail

MEMBERS=${MEMBERS:-2000}
BUREAUS=${BUREAUS:-3}
REPS=${REPS:-5}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
if [ -n "${PGBIN:-}" ]; then PATH=$PGBIN:$PATH; fi
[ "$(id -u)" -ne 0 ] || { echo "city.sh: run as postgres (initdb refuses root)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/pointsys-city.XXXXXX)
PGPORT=${PGPORT:-54380}
export PGHOST=$WORK PGPORT PGDATABASE=postgres
stop() {
	pg_ctl -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap stop EXIT

initdb -D "$WORK/data" -E UTF8 --no-locale -A trust >/dev/null
cat >>"$WORK/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$WORK'
port = $PGPORT
shared_buffers = 512MB
max_connections = 50
EOF
pg_ctl -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null

psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

setup="CREATE EXTENSION pointsys; CREATE EXTENSION postgres_fdw; CREATE SCHEMA city;"
dist= quarters= results=
for i in $(seq 1 "$BUREAUS"); do
	b=bureau$i
	psql -c "CREATE DATABASE $b TEMPLATE template0"
	psql -d "$b" -c 'CREATE EXTENSION pointsys'
	start=$SECONDS
	psql -d "$b" -v members="$MEMBERS" -v years=1 -v seed="$i" -v prefix="${b}_" -f "$SRC/test/data/generate.sql"
	psql -d "$b" -c 'VACUUM ANALYZE'
	echo "$b: $MEMBERS members generated in $((SECONDS - start)) s"
	setup+="
	CREATE SERVER $b FOREIGN DATA WRAPPER postgres_fdw
		OPTIONS (host '$WORK', port '$PGPORT', dbname '$b', extensions 'pointsys',
				 async_capable 'true', fetch_size '10000');
	CREATE USER MAPPING FOR CURRENT_USER SERVER $b;
	CREATE SCHEMA $b;
	IMPORT FOREIGN SCHEMA pointsys LIMIT TO (annual_results, monthly_scores) FROM SERVER $b INTO $b;
	ANALYZE $b.annual_results, $b.monthly_scores;"
	[ -z "$dist" ] || { dist+=" UNION ALL "; quarters+=" UNION ALL "; results+=" UNION ALL "; }
	dist+="SELECT '$b'::text AS bureau, year, grade, count(*) AS members FROM $b.annual_results GROUP BY year, grade"
	quarters+="SELECT '$b'::text AS bureau, member_id, pointsys.year_of(month) AS year,
		pointsys.quarter_of(month) AS quarter, pointsys.quarter_avg(total) AS score
		FROM $b.monthly_scores GROUP BY member_id, pointsys.year_of(month), pointsys.quarter_of(month)"
	results+="SELECT '$b'::text AS bureau, r.* FROM $b.annual_results r"
done
psql -c 'CREATE DATABASE city TEMPLATE template0'
psql -d city -c "$setup
	CREATE VIEW city.grade_distribution AS $dist;
	CREATE VIEW city.quarter_scores AS $quarters;
	CREATE VIEW city.annual_results AS $results;"
# let the loads' writes settle (checkpoint, autovacuum) before timing
psql -c CHECKPOINT
sleep 10

# median_ms DB QUERY: the median of REPS timed runs, after one untimed run
median_ms() {
	psql -d "$1" -At -c "
	CREATE FUNCTION pg_temp.timed(q text, reps int) RETURNS numeric LANGUAGE plpgsql AS \$\$
	DECLARE t0 timestamptz; ms numeric[] := '{}';
	BEGIN
		EXECUTE q;
		FOR i IN 1 .. reps LOOP
			t0 := clock_timestamp();
			EXECUTE q;
			ms := ms || (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
		END LOOP;
		RETURN (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY m)::numeric, 1) FROM unnest(ms) m);
	END \$\$;
	SELECT pg_temp.timed(\$q\$$2\$q\$, $REPS);"
}

rows() { psql -d "$1" -At -c "SELECT count(*) FROM ($2) s"; }

printf '\n%-13s %10s %14s %10s %14s\n' report 'local ms' 'local rows' 'city ms' 'city rows'
while IFS='|' read -r name local city; do
	printf '%-13s %10s %14s %10s %14s\n' "$name" \
		"$(median_ms bureau1 "$local")" "$(rows bureau1 "$local")" \
		"$(median_ms city "$city")" "$(rows city "$city")"
done <<'EOF'
distribution|SELECT year, grade, count(*) FROM pointsys.annual_results GROUP BY 1, 2|SELECT year, grade, sum(members) FROM city.grade_distribution GROUP BY 1, 2
quarters|SELECT member_id, pointsys.year_of(month), pointsys.quarter_of(month), pointsys.quarter_avg(total) FROM pointsys.monthly_scores GROUP BY 1, 2, 3|SELECT * FROM city.quarter_scores
results|SELECT * FROM pointsys.annual_results|SELECT * FROM city.annual_results
EOF
echo
echo "$BUREAUS bureaus of $MEMBERS members (local: bureau1 alone), median of $REPS runs; $(postgres --version)"
