#!/bin/bash
# test/demo.sh: the demo command.  Run as root on Debian 12 from anywhere:
#
#     bash test/demo.sh [file.sql]
#
# Installs the build dependencies, builds and installs pointsys, starts a
# throwaway cluster (as postgres), creates a database "bureau" and runs
# test/demo.sql there (or the given file), which creates the extension and
# prints what it does.  The cluster is removed on exit.
#
# Environment: PG_CONFIG, KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"

DEMO_SQL=$(realpath "${1:-$ROOT/test/demo.sql}")
[ -r "$DEMO_SQL" ] || die "cannot read $DEMO_SQL"

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc
start_work
copy_tree "$ROOT"

log "build and install pointsys"
pg_make -s -j"$(nproc)"
pg_make -s install

log "throwaway cluster"
start_cluster
as_pg_client createdb bureau

# The file and the files it includes (\ir) must be readable by postgres
if [[ "$DEMO_SQL" == "$ROOT"/* ]]; then
	script="$WORK/tree/${DEMO_SQL#"$ROOT"/}"
else
	mkdir -p "$WORK/extra"
	cp "$DEMO_SQL" "$WORK/extra/"
	script="$WORK/extra/$(basename "$DEMO_SQL")"
fi
chown -R "$PG_USER:" "$WORK/tree" "$WORK/extra" 2>/dev/null || true

log "psql -d bureau -f ${DEMO_SQL#"$ROOT"/}"
as_pg_client env PGCLIENTENCODING=UTF8 psql -X -q -d bureau -f "$script"
