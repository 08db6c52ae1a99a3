#!/bin/bash
# test/bench/audit_chain.sh: how long the audit trail's chain takes over a
# long trail (issue 25: verify_audit over 10 million audit rows).  Run as
# root on Debian 12:
#
#     bash test/bench/audit_chain.sh                 # 50 000 members: 10.2 million rows
#     MEMBERS=5000 bash test/bench/audit_chain.sh    # a tenth
#
# Builds pointsys as released (-O2, no assertions) into a private install,
# starts a throwaway cluster, writes MEMBERS members and a year of score rows
# for each (12 months × the rulebook's 17 items) in one INSERT, so that the
# audit trail holds as many audited rows in batches of a thousand, then
# times seal_audit() (the first sealing of the whole trail: twice, the
# second seals up to the first's mark) and verify_audit().  Prints the
# timings; asserts only that the chain holds (not a timed test).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

MEMBERS=${MEMBERS:-50000}

setup_tree
pg_make -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build failed"; }
private_install
chown -R "$PG_USER:" "$WORK/tree"
CLUSTER_CONF="max_wal_size = 8GB
checkpoint_timeout = 30min
shared_buffers = 1GB" start_private_cluster "$PRIVATE_POSTGRES"

psql_bench() { as_pg_client psql -XAtq -v ON_ERROR_STOP=1 -d bench "$@"; }
as_pg_client createdb -E UTF8 bench
psql_bench -c 'CREATE EXTENSION pointsys'
log "$MEMBERS members"
psql_bench <<SQL
INSERT INTO pointsys.branch VALUES ('b1', '基准支部');
INSERT INTO pointsys.member (member_id, name, branch_id, joined_on)
SELECT 'm' || n, '党员' || n, 'b1', '2000-01-01' FROM generate_series(1, $MEMBERS) n;
SQL
log "a year of scores for each: one INSERT"
start=$SECONDS
psql_bench <<SQL
INSERT INTO pointsys.score (member_id, month, item, points)
SELECT 'm' || n, make_date(2024, mo, 1), i.item, i.step
FROM generate_series(1, $MEMBERS) n, generate_series(1, 12) mo, pointsys.item i;
SQL
echo "written in $((SECONDS - start)) s"
psql_bench -c "SELECT sum(row_count), count(*), pg_size_pretty(pg_total_relation_size('pointsys.audit_log'))
			   FROM pointsys.audit_log" | sed 's/^/audit rows|batches|size: /'
log "timings"
psql_bench <<'SQL'
\timing on
SELECT pointsys.seal_audit() AS "seal_audit (a mark)";
SELECT pointsys.seal_audit() AS "seal_audit (the whole trail)";
SELECT batches, sealed, first_break IS NULL AS chain_holds FROM pointsys.verify_audit();
SQL
