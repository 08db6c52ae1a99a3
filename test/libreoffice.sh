#!/bin/bash
# test/libreoffice.sh: a report designer's LibreOffice, headless, with
# Debian's packages (issue 24): LibreOffice's ODBC driver (sdbc:odbc) over
# psqlODBC (odbc-postgresql, unixODBC), through README's DSN as written,
# driven by Python-UNO (libreoffice-core, libreoffice-base, python3-uno).
# Run as root on Debian 12:
#
#     bash test/libreoffice.sh
#
# It builds pointsys, installs it into a private copy of the server
# (test/private_server.sh: the system installation is never touched),
# starts a throwaway cluster on 127.0.0.1 (trust authentication), loads the
# sample bureau with README's reporting login, writes README's DSN
# (test/clients/readme_dsn.sh) to an odbc.ini of its own ($ODBCINI), with
# a second DSN that lacks `UpdatableCursors = 0`, and runs
# test/clients/libreoffice_check.py: README's LibreOffice queries through
# LibreOffice's SQL parser and a RowSet, "year" and "quarter" quoted, the
# figures at scale 2, a grade filter and Chinese text intact, and the ctid
# error without README's line.  Prints "ok N - what" per check; exits
# non-zero if any failed.
#
# Environment: PG_CONFIG, KEEP_WORK=1 (see lib.sh), LIBREOFFICE_PORT (54392).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc \
	odbc-postgresql unixodbc libreoffice-core libreoffice-base python3-uno
start_work
copy_tree "$ROOT"

log "build and install into a private copy of the server"
pg_make -s -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build failed"; }
private_install
chown -R "$PG_USER:" "$WORK/tree"

PORT=${LIBREOFFICE_PORT:-54392}
PGPORT_TEST=$PORT
CLUSTER_CONF="listen_addresses = '127.0.0.1'" start_private_cluster "$PRIVATE_POSTGRES"

log "the sample bureau and README's reporting login"
cat >"$WORK/setup.sql" <<'SQL'
CREATE DATABASE bureau ENCODING 'UTF8' TEMPLATE template0;
\c bureau
CREATE EXTENSION pointsys;
\i test/data/sample_bureau.sql
CREATE ROLE report LOGIN;
GRANT pointsys_reader TO report;
ALTER DATABASE bureau SET search_path = "$user", public, pointsys;
SQL
chown "$PG_USER:" "$WORK/setup.sql"
(cd "$WORK/tree" && as_pg_client psql -XAtq -v ON_ERROR_STOP=1 -f "$WORK/setup.sql") >"$WORK/setup.log" 2>&1 ||
	{ cat "$WORK/setup.log"; die "the set-up failed"; }

log "README's DSN, and the same without UpdatableCursors = 0"
bash "$ROOT/test/clients/readme_dsn.sh" "$ROOT/README.md" "$PORT" >"$WORK/odbc.ini" ||
	die "README's ODBC DSN could not be read"
grep -q '^UpdatableCursors = 0$' "$WORK/odbc.ini" || die "README's DSN lacks UpdatableCursors = 0"
sed -e 's/^\[bureau\]$/[bureau_updatable]/' -e '/^UpdatableCursors/d' "$WORK/odbc.ini" >>"$WORK/odbc.ini.more"
cat "$WORK/odbc.ini.more" >>"$WORK/odbc.ini"
cat "$WORK/odbc.ini"
mkdir -p "$WORK/lo"
chown -R "$PG_USER:" "$WORK/odbc.ini" "$WORK/lo"

log "LibreOffice $(dpkg-query -W -f='${Version}' libreoffice-core), psqlODBC $(dpkg-query -W -f='${Version}' odbc-postgresql)"
# as postgres (soffice wants no root), in a C locale: the character set
# must come from the data source, as README says, not from the locale
RC=0
(cd "$WORK/tree" && runuser -u "$PG_USER" -- env HOME="$WORK/lo" ODBCINI="$WORK/odbc.ini" LC_ALL=C \
	timeout 300 /usr/bin/python3 test/clients/libreoffice_check.py "$WORK/tree/README.md" "$WORK/lo/profile") || RC=$?
check_server_log
[ "$RC" -eq 0 ] || die "LibreOffice checks failed"
