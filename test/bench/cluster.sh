# test/bench/cluster.sh: sourced by test/bench/city.sh and
# test/bench/replication.sh (source it, don't run it), as a user who may run
# initdb (postgres), with pointsys installed in the PostgreSQL whose binaries
# are first in PATH (or PGBIN).
#
#   start_cluster NAME PORT [EXTRA_CONF]
#       a throwaway cluster in /tmp/pointsys-NAME.XXXXXX ($WORK), socket
#       there, removed on exit; exports PGHOST, PGPORT, PGDATABASE
#   psql ARGS...        psql, quiet, stop on error
#   median_ms DB QUERY  the median of $REPS timed runs of QUERY inside the
#       server (clock_timestamp around EXECUTE: psql's start-up is not
#       counted), after one untimed run
#
# It also sets what both benchmarks take from the environment: MEMBERS per
# bureau (2000), BUREAUS (3), REPS (5), and SRC, the top of the tree.

if [ -n "${PGBIN:-}" ]; then PATH=$PGBIN:$PATH; fi

MEMBERS=${MEMBERS:-2000}
BUREAUS=${BUREAUS:-3}
REPS=${REPS:-5}
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

start_cluster() {
	local name=$1 port=$2 extra=${3:-}
	[ "$(id -u)" -ne 0 ] || { echo "$name.sh: run as postgres (initdb refuses root)" >&2; exit 2; }
	WORK=$(mktemp -d "/tmp/pointsys-$name.XXXXXX")
	export PGHOST=$WORK PGPORT=$port PGDATABASE=postgres
	trap 'pg_ctl -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
	initdb -D "$WORK/data" -E UTF8 --no-locale -A trust >/dev/null
	cat >>"$WORK/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$WORK'
port = $port
shared_buffers = 512MB
max_connections = 50
$extra
CONF
	pg_ctl -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
}

psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

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
