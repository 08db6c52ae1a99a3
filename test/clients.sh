#!/bin/bash
# test/clients.sh: pointsys through real client drivers (issue 11), with
# Debian's packages: pgjdbc (libpostgresql-jdbc-java, run by the JDK's
# single-file launcher), psycopg 3 (python3-psycopg) and psqlODBC
# (odbc-postgresql with unixODBC, driven by python3-pyodbc).  Run as root
# on Debian 12:
#
#     bash test/clients.sh
#
# It builds pointsys, installs it into a private copy of the server
# (test/private_server.sh: the system installation is never touched),
# starts a throwaway cluster listening on 127.0.0.1 (trust authentication),
# loads the sample bureau with README's set-up (a recorder login with
# lc_messages = 'zh_CN.UTF-8', a reporting login, the database's
# search_path) and runs:
#   test/clients/Recorder.java   JDBC, as the recorder: a batch of prepared
#                                INSERTs; each refusal's SQLSTATE, table,
#                                column, constraint and Chinese message; a
#                                failed batch leaves nothing; the bulk import
#                                and its dry run
#   test/clients/psycopg_check.py  psycopg 3: the reporting login reads the
#                                views in text and binary mode (scale 2 in
#                                the column metadata, decimals, grade labels,
#                                grade = %s with a str); the recorder's
#                                refusals and dry run through e.diag
#   test/clients/odbc_check.py   psqlODBC, the reporting login through
#                                README's DSN as written
#                                (test/clients/readme_dsn.sh): column
#                                metadata (scale 2 for every report's
#                                figures), labels and a grade parameter; a
#                                recorder's refusal's SQLSTATE and Chinese
#                                message
#   test/clients/libreoffice_check.py  only with CLIENTS=libreoffice
#                                (test/libreoffice.sh): LibreOffice
#                                headless over psqlODBC, README's DSN
# Each prints "ok N - what" or "not ok N - what" per check and exits
# non-zero if any check failed; this script ends with "N passed, N failed".
#
# Environment: PG_CONFIG, KEEP_WORK=1 (see lib.sh), CLIENTS_PORT (54391),
# CLIENTS (the clients to run: "jdbc psycopg odbc", or "libreoffice").
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

CLIENTS=${CLIENTS:-jdbc psycopg odbc}
wants() { [[ " $CLIENTS " == *" $1 "* ]]; }

setup_tree default-jdk-headless libpostgresql-jdbc-java python3-psycopg \
	odbc-postgresql unixodbc python3-pyodbc
! wants libreoffice || ensure_packages libreoffice-core libreoffice-base python3-uno

log "build and install into a private copy of the server"
pg_make -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build failed"; }
private_install
chown -R "$PG_USER:" "$WORK/tree"

PORT=${CLIENTS_PORT:-54391}
PGPORT_TEST=$PORT
CLUSTER_CONF="listen_addresses = '127.0.0.1'" start_private_cluster "$PRIVATE_POSTGRES"

log "the sample bureau, README's set-up for a recorder and a reporting tool"
cat >"$WORK/setup.sql" <<'SQL'
CREATE DATABASE bureau ENCODING 'UTF8' TEMPLATE template0;
\c bureau
CREATE EXTENSION pointsys;
\i test/data/sample_bureau.sql
-- the clerk of branch b1, who reads pointsys's refusals in Chinese
CREATE ROLE clerk LOGIN;
GRANT pointsys_recorder TO clerk;
INSERT INTO pointsys.recorder VALUES ('b1', 'clerk', '2025-01-05');
ALTER ROLE clerk SET lc_messages = 'zh_CN.UTF-8';
-- a member of the clerk's branch with nothing recorded, one of another branch
INSERT INTO pointsys.member (member_id, name, branch_id) VALUES ('c01', '客户端甲', 'b1'), ('c99', '客户端乙', 'b2');
-- the reporting tool
CREATE ROLE report LOGIN;
GRANT pointsys_reader TO report;
ALTER DATABASE bureau SET search_path = "$user", public, pointsys;
-- b1's 2024 approved: its publicity lists can be read (their figures' scale)
SELECT pointsys.advance('b1', 2024, q) FROM generate_series(1, 4) AS q;
SQL
chown "$PG_USER:" "$WORK/setup.sql"
(cd "$WORK/tree" && as_pg_client psql -XAtq -v ON_ERROR_STOP=1 -f "$WORK/setup.sql") >"$WORK/setup.log" 2>&1 ||
	{ cat "$WORK/setup.log"; die "the set-up failed"; }

# README's ODBC DSN, as written, pointed at this cluster
bash "$ROOT/test/clients/readme_dsn.sh" "$ROOT/README.md" "$PORT" >"$WORK/odbc.ini" ||
	die "README's ODBC DSN could not be read"
if wants libreoffice; then
	# and the same without UpdatableCursors = 0, to show what it avoids
	UPDATABLE=$(sed -e 's/^\[bureau\]$/[bureau_updatable]/' -e '/^UpdatableCursors/d' "$WORK/odbc.ini")
	printf '%s\n' "$UPDATABLE" >>"$WORK/odbc.ini"
	mkdir -p "$WORK/lo"
	chown "$PG_USER:" "$WORK/lo"
fi
chown "$PG_USER:" "$WORK/odbc.ini"

JDBC_JAR=/usr/share/java/postgresql.jar
[ -f "$JDBC_JAR" ] || die "no $JDBC_JAR (libpostgresql-jdbc-java)"

PASSED=0
FAILED=0
client() {
	local name=$1
	shift
	log "$name"
	if (cd "$WORK/tree" && runuser -u "$PG_USER" -- env CLIENTS_PORT="$PORT" LANG=C.UTF-8 "$@"); then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
	fi
}
! wants jdbc || client "JDBC (pgjdbc $(dpkg-query -W -f='${Version}' libpostgresql-jdbc-java))" \
	java -cp "$JDBC_JAR" test/clients/Recorder.java 127.0.0.1 "$PORT"
! wants psycopg || client "psycopg $(/usr/bin/python3 -c 'import psycopg; print(psycopg.__version__)')" \
	/usr/bin/python3 test/clients/psycopg_check.py
! wants odbc || client "ODBC (psqlODBC $(dpkg-query -W -f='${Version}' odbc-postgresql), unixODBC)" \
	env ODBCINI="$WORK/odbc.ini" /usr/bin/python3 test/clients/odbc_check.py
# in a C locale: the character set comes from the data source, as README says
! wants libreoffice || client "LibreOffice $(dpkg-query -W -f='${Version}' libreoffice-core), psqlODBC" \
	env HOME="$WORK/lo" ODBCINI="$WORK/odbc.ini" LC_ALL=C timeout 300 \
	/usr/bin/python3 test/clients/libreoffice_check.py README.md "$WORK/lo/profile"

check_server_log
printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
