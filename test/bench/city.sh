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

. "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
start_cluster city "${PGPORT:-54380}"

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
