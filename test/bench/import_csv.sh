#!/bin/bash
# test/bench/import_csv.sh: how long the CSV imports take (issue 24: 10 000
# rows in under 2 s with the report).  Run as root on Debian 12:
#
#     bash test/bench/import_csv.sh            # 10 000 rows, 3 repetitions
#     ROWS=30000 REPS=5 bash test/bench/import_csv.sh
#
# Builds pointsys as released (-O2, no assertions) into a private install,
# starts a throwaway cluster, makes one branch of members and its recorder,
# writes the CSV files as Excel does (BOM, CRLF) and times, as the
# recorder, each call from psql (the text sent, parsed, checked, the report
# returned), medians of REPS:
#
#   long, dry run         import_scores_csv of ROWS rows, dry_run => true
#   long, loaded          the same, written (then deleted again)
#   long, 10 bad, report  ROWS rows of which 10 are refused: the report
#   wide, dry run         the record form's layout, ROWS scores (ROWS / 17 rows)
#   wide, 10 bad, report  the same with 10 scores over their maximum
#   members, dry run      import_members of ROWS members, as pointsys_admin
#
# Prints the timings; asserts nothing (not a timed test).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

ROWS=${ROWS:-10000}
REPS=${REPS:-3}

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc
start_work
copy_tree "$ROOT"
pg_make -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build failed"; }
private_install
chown -R "$PG_USER:" "$WORK/tree"
start_private_cluster "$PRIVATE_POSTGRES"

mkdir -p "$WORK/csv"
chown "$PG_USER:" "$WORK/csv"
psql_as() {
	local user=$1
	shift
	as_pg_client psql -X -q -v ON_ERROR_STOP=1 -U "$user" -d bench "$@"
}
as_pg_client createdb bench
MEMBERS=$(( (ROWS + 16) / 17 ))
psql_as postgres <<-SQL
	CREATE EXTENSION pointsys;
	CREATE ROLE bench_rec LOGIN IN ROLE pointsys_recorder;
	CREATE ROLE bench_admin LOGIN IN ROLE pointsys_admin;
	INSERT INTO pointsys.branch VALUES ('b1', '机关第一党支部');
	INSERT INTO pointsys.member (member_id, name, branch_id, joined_on)
	SELECT 'm' || lpad(g::text, 6, '0'), '党员' || g, 'b1', '2000-01-01' FROM generate_series(1, $MEMBERS) g;
	INSERT INTO pointsys.recorder VALUES ('b1', 'bench_rec', '2020-01-05');
SQL
# Excel's "CSV UTF-8": a byte order mark and CRLF
excel() { printf '\xef\xbb\xbf'; sed 's/$/\r/'; }
# long_sheet BAD: the long form, ROWS scores; BAD of them (spread out) over the maximum
long_sheet() {
	psql_as postgres -c "COPY (
		SELECT m.member_id AS \"党员编号\", m.name AS \"姓名\", '2026年3月' AS \"月份\", i.item AS \"积分项目\",
		       CASE WHEN $1 > 0 AND s.n % ($ROWS / $1 + ($1 > 0)::int) = 7 THEN i.max_points + 1 ELSE i.max_points END AS \"得分\",
		       CASE WHEN s.n % 100 = 0 THEN '补记, 见会议记录' END AS \"备注\"
		FROM (SELECT m.member_id, u.item, row_number() OVER (ORDER BY m.member_id, u.n) AS n
		      FROM pointsys.member m, unnest(pointsys.rulebook_items()) WITH ORDINALITY u(item, n)) s
		JOIN pointsys.member m USING (member_id) JOIN pointsys.item i USING (item)
		WHERE s.n <= $ROWS ORDER BY s.n) TO STDOUT WITH (FORMAT csv, HEADER)" | excel
}
long_sheet 10 >"$WORK/csv/long_bad.csv"
long_sheet 0 >"$WORK/csv/long.csv"
psql_as postgres -c "COPY (
	SELECT m.member_id AS \"党员编号\", m.name AS \"姓名\", '2026/3' AS \"月份\",
	       $(psql_as postgres -Atc "SELECT string_agg(format('max(s.p) FILTER (WHERE s.item = %L) AS %I', u.item, i.title), ', ' ORDER BY u.n)
	                               FROM unnest(pointsys.rulebook_items()) WITH ORDINALITY u(item, n) JOIN pointsys.item i USING (item)")
	FROM (SELECT m.member_id, i.item,
	             CASE WHEN m.member_id IN (SELECT member_id FROM pointsys.member ORDER BY member_id
	                                       OFFSET $MEMBERS / 11 LIMIT 10) AND i.item = 'role' THEN 21 ELSE i.max_points END AS p
	      FROM pointsys.member m, pointsys.item i) s
	JOIN pointsys.member m USING (member_id)
	GROUP BY m.member_id, m.name ORDER BY m.member_id) TO STDOUT WITH (FORMAT csv, HEADER)" | excel >"$WORK/csv/wide_bad.csv"
sed 's/,21\r$/,20\r/' "$WORK/csv/wide_bad.csv" >"$WORK/csv/wide.csv"
psql_as postgres -c "COPY (
	SELECT 'n' || lpad(g::text, 6, '0') AS \"党员编号\", '新党员' || g AS \"姓名\", 'b1' AS \"所在支部\",
	       format('%s/%s/%s', 2000 + g % 25, 1 + g % 12, 1 + g % 28) AS \"入党日期\", NULL AS \"转出日期\"
	FROM generate_series(1, $ROWS) g) TO STDOUT WITH (FORMAT csv, HEADER)" | excel >"$WORK/csv/members.csv"
chown -R "$PG_USER:" "$WORK/csv"

# time USER 'FILE' 'SQL with :'sheet'': milliseconds of one call, the rows of its report
time_call() {
	local user=$1 file=$2 sql=$3
	psql_as "$user" -At <<-SQL
		\set sheet \`cat $WORK/csv/$file\`
		SELECT clock_timestamp() AS t0 \gset
		SELECT count(*) AS n FROM ($sql) r \gset
		SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000) || ' ' || :n;
		DELETE FROM pointsys.score WHERE month = '2026-03-01';
	SQL
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() {
	local label=$1 user=$2 file=$3 sql=$4 times=() out n i
	for ((i = 0; i < REPS; i++)); do
		out=$(time_call "$user" "$file" "$sql")
		times+=("${out%% *}")
		n=${out##* }
	done
	printf '%-26s %8s ms  %6s bad rows reported  (%s)\n' "$label" \
		"$(printf '%s\n' "${times[@]}" | median)" "$n" "$(wc -c <"$WORK/csv/$file") bytes"
}

log "CSV imports, $ROWS rows, median of $REPS (PostgreSQL $PG_MAJOR)"
measure "long, dry run" bench_rec long.csv "SELECT * FROM pointsys.import_scores_csv(:'sheet', dry_run => true)"
measure "long, loaded" bench_rec long.csv "SELECT * FROM pointsys.import_scores_csv(:'sheet')"
measure "long, 10 bad, report" bench_rec long_bad.csv "SELECT * FROM pointsys.import_scores_csv(:'sheet', dry_run => true)"
measure "wide, dry run" bench_rec wide.csv "SELECT * FROM pointsys.import_scores_csv(:'sheet', dry_run => true)"
measure "wide, 10 bad, report" bench_rec wide_bad.csv "SELECT * FROM pointsys.import_scores_csv(:'sheet', dry_run => true)"
measure "members, dry run" bench_admin members.csv "SELECT * FROM pointsys.import_members(:'sheet', dry_run => true)"
