#!/bin/bash
# test/pg_upgrade.sh: README's "Moving to PostgreSQL 17" run as written
# (issue 24), as root on Debian 12:
#
#     bash test/versions.sh 17     # once: makes the Debian 13 root it copies
#     bash test/pg_upgrade.sh
#
# Copies test/versions.sh's Debian 13 (trixie) root, which has PostgreSQL 17,
# to a scratch root (about 2.5 GB, under /var/tmp, removed on exit unless
# KEEP_WORK=1), adds this machine's PostgreSQL 15 (binaries, and the few
# libraries of Debian 12 it needs that trixie lacks), installs this tree's
# build of pointsys for 15 and, built inside, for 17 (instead of the block's
# first line, which installs the packages), and there, with Debian's
# postgresql-common:
#   - a 15 cluster `main` with the database of test/data/existing_database.sql
#     (an HR application's database) joined as README's steps 1 and 2 say,
#     and the sample bureau;
#   - README's block, found by its mark, less its first line: the empty 17
#     cluster dropped, pg_upgradecluster -m upgrade 15 main, ALTER EXTENSION
#     pointsys UPDATE, the 15 cluster dropped;
#   - then every annual result, the audit trail, the database's owner, every
#     setting (database and logins) and what `report` sees are compared with
#     what they were on 15.
# Prints "pass" or "FAIL" and exits accordingly.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/.." && pwd)

# --- inside the scratch root (as root) --------------------------------------
if [ "${1:-}" = --inside ]; then
	cd "$SRC"
	# a port of its own (the root shares this machine's network); the 17
	# cluster takes it over, as it takes 15's usual 5432
	export PGPORT=5611
	# README.md's block after the mark that starts with $1
	block_after() {
		awk -v mark="$1" '
			index($0, mark) == 1 { go = 1; next }
			go == 1 && /^```/ { go = 2; next }
			go == 2 && /^```/ { exit }
			go == 2 { print }' README.md
	}
	step() { block_after "<!-- run by test/t/011_existing_database.pl: step $1 -->"; }
	psql_q() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"; }
	# no server outlives the run (the root is removed after it)
	stop_all() {
		local v c
		pg_lsclusters -h 2>/dev/null | while read -r v c _; do
			pg_ctlcluster "$v" "$c" stop -m fast 2>/dev/null || true
		done
	}
	trap stop_all EXIT
	state() {
		runuser -u postgres -- psql -X -At -v ON_ERROR_STOP=1 -d bureau \
			-c 'SELECT * FROM pointsys.annual_results ORDER BY member_id, year' \
			-c 'SELECT * FROM pointsys.audit_log ORDER BY audit_id' \
			-c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'bureau'" \
			-c "SELECT coalesce(r.rolname, '-'), s.setconfig FROM pg_db_role_setting s
			    LEFT JOIN pg_roles r ON r.oid = s.setrole ORDER BY 1, 2"
		runuser -u postgres -- psql -X -At -v ON_ERROR_STOP=1 -d 'dbname=bureau user=report' \
			-c 'SHOW search_path' -c 'SELECT count(*), sum(total) FROM annual_results' \
			-c 'SELECT grade_of(85)'
	}
	echo "=== 15: the HR database, README's steps 1 and 2, the sample bureau"
	pg_createcluster -p "$PGPORT" 15 main -- -E UTF8 --no-locale --auth=trust >/dev/null
	echo "listen_addresses = ''" >>/etc/postgresql/15/main/postgresql.conf
	pg_ctlcluster 15 main start
	psql_q -d postgres -f test/data/existing_database.sql
	step 1 | psql_q -d bureau >/dev/null
	psql_q -d bureau -f test/data/sample_bureau.sql
	step 2 | psql_q -d bureau
	state >/tmp/before.txt
	# the empty 17 cluster postgresql-17's package makes
	pg_createcluster -p 5612 17 main -- --auth=trust >/dev/null
	echo "listen_addresses = ''" >>/etc/postgresql/17/main/postgresql.conf
	echo "=== README's block, less its first line"
	block_after '<!-- not run: installs packages; test/pg_upgrade.sh runs it after its first line' | tail -n +2 >/tmp/upgrade.sh
	cat /tmp/upgrade.sh
	bash -e -x /tmp/upgrade.sh
	pg_lsclusters
	state >/tmp/after.txt
	ok=1
	[ "$(pg_lsclusters -h | awk '{ print $1, $2, $3, $4 }')" = "17 main $PGPORT online" ] ||
		{ echo "not one 17 cluster on 15's port"; ok=0; }
	[ "$(psql_q -d bureau -Atc "SELECT extversion FROM pg_extension WHERE extname = 'pointsys'")" = \
		"$(sed -n "s/^default_version = '\(.*\)'/\1/p" pointsys.control)" ] ||
		{ echo "pointsys is not at the control file's version"; ok=0; }
	if ! diff /tmp/before.txt /tmp/after.txt; then
		echo "the upgrade changed something"
		ok=0
	fi
	echo "compared: $(wc -l </tmp/after.txt) lines (annual results, audit trail, owner, settings, report's view)"
	[ "$ok" = 1 ]
	exit
fi

# --- on this machine (as root) ----------------------------------------------
. "$HERE/lib.sh"
. "$HERE/roots.sh"
require_root
ROOTS=${POINTSYS_ROOTS:-/var/tmp/pointsys-roots}
BASE=$ROOTS/trixie
[ -f "$BASE/.pointsys-ready-17-v2" ] || die "no Debian 13 root in $BASE: run bash test/versions.sh 17 first"
ensure_packages "postgresql-15" "postgresql-server-dev-15" make gcc

SCRATCH=$(mktemp -d /var/tmp/pointsys-upgrade.XXXXXX)
finish() {
	local rc=$?
	unmount_all
	if [ "${KEEP_WORK:-0}" = 1 ]; then
		echo "kept $SCRATCH" >&2
	else
		rm -rf --one-file-system "$SCRATCH" || echo "could not remove all of $SCRATCH" >&2
	fi
	[ "$rc" -eq 0 ] && echo pass || echo FAIL
	return $rc
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "copying $BASE to $SCRATCH"
tar -C "$BASE" --one-file-system -cf - --exclude=./proc --exclude=./dev --exclude=./tmp --exclude=./var/tmp \
	--exclude=./build . 2>/dev/null | tar -C "$SCRATCH" -xf - || true
[ -x "$SCRATCH/usr/lib/postgresql/17/bin/pg_upgrade" ] || die "the copy of $BASE has no PostgreSQL 17"
mkdir -p "$SCRATCH/proc" "$SCRATCH/dev" "$SCRATCH/tmp" "$SCRATCH/var/tmp"
chmod 1777 "$SCRATCH/tmp" "$SCRATCH/var/tmp"
rm -rf "$SCRATCH/etc/postgresql/15" "$SCRATCH/etc/postgresql/17" "$SCRATCH/var/lib/postgresql/15" \
	"$SCRATCH/var/lib/postgresql/17"

log "PostgreSQL 15 from this machine"
cp -a /usr/lib/postgresql/15 "$SCRATCH/usr/lib/postgresql/"
cp -a /usr/share/postgresql/15 "$SCRATCH/usr/share/postgresql/"
rm -f "$SCRATCH"/usr/lib/postgresql/15/lib/pointsys* "$SCRATCH"/usr/share/postgresql/15/extension/pointsys*
for lib in $(for f in "$SCRATCH"/usr/lib/postgresql/15/bin/* "$SCRATCH"/usr/lib/postgresql/15/lib/*.so; do
	chroot "$SCRATCH" ldd "${f#"$SCRATCH"}" 2>/dev/null | awk '/not found/ { print $1 }'
done | sort -u); do
	cp -L "/usr/lib/x86_64-linux-gnu/$lib" "$SCRATCH/usr/lib/x86_64-linux-gnu/" ||
		die "no $lib on this machine for PostgreSQL 15 in the root"
	# and what that library needs in turn
	for dep in $(ldd "/usr/lib/x86_64-linux-gnu/$lib" | awk '$3 ~ /^\// { print $3 }'); do
		[ -e "$SCRATCH$dep" ] || cp -L "$dep" "$SCRATCH$dep"
	done
done
chroot "$SCRATCH" ldconfig

log "pointsys built for 15 here and for 17 in the root"
WORK=$SCRATCH/host   # lib.sh's build directory, inside the scratch root's directory
mkdir -p "$WORK"
copy_tree "$SRC"
pg_make -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "the build for 15 failed"; }
pg_make install with_llvm=no DESTDIR="$SCRATCH" >>"$WORK/build.log" 2>&1 ||
	{ cat "$WORK/build.log"; die "make install for 15 failed"; }
mkdir -p "$SCRATCH/build/pointsys"
copy_tree_to() { tar -C "$SRC" --exclude=./.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' -cf - . | tar -C "$1" -xf -; }
copy_tree_to "$SCRATCH/build/pointsys"
mount_root "$SCRATCH"
in_root "$SCRATCH" bash -c 'cd /build/pointsys &&
	make -j2 PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config with_llvm=no &&
	make PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config with_llvm=no install' >"$WORK/build17.log" 2>&1 ||
	{ tail -n 40 "$WORK/build17.log"; die "the build for 17 failed"; }

log "15 -> 17 in the root"
in_root "$SCRATCH" bash /build/pointsys/test/pg_upgrade.sh --inside
