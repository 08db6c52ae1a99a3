#!/bin/bash
# test/package.sh: the Debian package, built by Debian's own tools and
# installed the way a DBA installs it.  Run as root on Debian 12:
#
#     bash test/package.sh
#
#   1. builds postgresql-15-pointsys from this tree with dpkg-buildpackage
#      (debian/: dh with the pgxs_loop addon, pg_buildext, debian/pgversions)
#      and runs lintian on it: any error fails;
#   2. builds the previous release's package the same way, from its commit
#      (PREVIOUS_COMMIT, release 1.4) with this tree's debian/ directory;
#   3. makes a clean Debian 12 root (debootstrap --variant=minbase, from
#      the archive apt uses here; cached in $POINTSYS_ROOTS/bookworm-base
#      and copied afresh for each run), and in it, through chroot:
#      - apt-get install ./postgresql-15-pointsys_<previous>.deb, which
#        brings PostgreSQL 15 from the archive; starts the cluster Debian
#        made; CREATE EXTENSION pointsys; the sample bureau; the reports;
#      - apt-get install ./postgresql-15-pointsys_<current>.deb over it;
#        ALTER EXTENSION pointsys UPDATE: the version is the current one and
#        every report, score and audit row is unchanged;
#      - CREATE EXTENSION pointsys in a new database: the current version,
#        and the demo (test/demo.sql) runs and grades.
# Prints one line per step and exits non-zero on any failure.
#
# Environment: POINTSYS_ROOTS (default /var/tmp/pointsys-roots), DEBIAN_MIRROR
# (default: the one apt uses here),
# PREVIOUS_COMMIT, POINTSYS_GIT (the repository holding it; default this
# tree), KEEP_WORK=1 (keep the work directory and the root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/roots.sh"

ROOTS=${POINTSYS_ROOTS:-/var/tmp/pointsys-roots}
PREVIOUS_COMMIT=${PREVIOUS_COMMIT:-34d2cca}
# the git repository that holds the previous release (check.sh runs this
# script in a copy of the tree without .git)
GIT=${POINTSYS_GIT:-$ROOT}
MIRROR=${DEBIAN_MIRROR:-$(apt_mirror)}

require_root
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" postgresql-server-dev-all \
	debhelper fakeroot build-essential lintian debootstrap git
start_work

trap 'unmount_all; cleanup' EXIT

# build_package SRC: dpkg-buildpackage in SRC; the .debs land in SRC/..
build_package() {
	local src=$1
	(cd "$src" && pg_buildext updatecontrol >/dev/null &&
		dpkg-buildpackage -us -uc -b >"$WORK/build-$(basename "$src").log" 2>&1) ||
		{ tail -n 40 "$WORK/build-$(basename "$src").log"; die "dpkg-buildpackage failed in $src"; }
}

# --- 1. the current package -------------------------------------------------
version=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
log "build postgresql-$PG_MAJOR-pointsys $version (dpkg-buildpackage)"
mkdir -p "$WORK/current"
copy_tree "$ROOT"
mv "$WORK/tree" "$WORK/current/pointsys-$version"
build_package "$WORK/current/pointsys-$version"
current_deb=$WORK/current/postgresql-$PG_MAJOR-pointsys_${version}_$(dpkg --print-architecture).deb
[ -f "$current_deb" ] || die "no $current_deb"

log "lintian"
lintian --allow-root --fail-on error "$current_deb" "$WORK/current"/*.changes ||
	die "lintian reports errors"

# --- 2. the previous release's package ---------------------------------------
if git -C "$GIT" rev-parse --verify -q "$PREVIOUS_COMMIT^{commit}" >/dev/null 2>&1; then
	previous=$(git -C "$GIT" show "$PREVIOUS_COMMIT:pointsys.control" |
		sed -n "s/^default_version = '\(.*\)'/\1/p")
	log "build postgresql-$PG_MAJOR-pointsys $previous from $PREVIOUS_COMMIT"
	mkdir -p "$WORK/previous/pointsys-$previous"
	git -C "$GIT" archive "$PREVIOUS_COMMIT" | tar -C "$WORK/previous/pointsys-$previous" -xf -
else
	# a shallow clone: the previous release's scripts are in this tree too,
	# in src/sql/updates (only its C library is this release's)
	previous=1.1
	log "build postgresql-$PG_MAJOR-pointsys $previous from this tree's $previous scripts ($PREVIOUS_COMMIT is not in this clone)"
	mkdir -p "$WORK/previous"
	cp -a "$WORK/current/pointsys-$version" "$WORK/previous/pointsys-$previous"
	(cd "$WORK/previous/pointsys-$previous" && make -s clean >/dev/null 2>&1;
		sed -i "s/^default_version = .*/default_version = '$previous'/" pointsys.control &&
		sed -i -e "s|^DATA = .*|DATA = src/sql/updates/pointsys--1.0.sql src/sql/updates/pointsys--1.0--1.1.sql|" \
			-e "s|^DATA_built = .*|DATA_built =|" Makefile &&
		rm -rf debian)
fi
cp -r "$ROOT/debian" "$WORK/previous/pointsys-$previous/"
# its changelog: the entries from the previous release down
awk -v v="pointsys ($previous)" 'index($0, v) == 1 { on = 1 } on' "$ROOT/debian/changelog" \
	>"$WORK/previous/pointsys-$previous/debian/changelog"
[ -s "$WORK/previous/pointsys-$previous/debian/changelog" ] ||
	die "debian/changelog has no entry for $previous"
build_package "$WORK/previous/pointsys-$previous"
previous_deb=$WORK/previous/postgresql-$PG_MAJOR-pointsys_${previous}_$(dpkg --print-architecture).deb
[ -f "$previous_deb" ] || die "no $previous_deb"

# --- 3. a clean Debian 12 root ------------------------------------------------
base=$ROOTS/bookworm-base
if [ ! -x "$base/usr/bin/apt-get" ]; then
	log "debootstrap bookworm into $base (once)"
	rm -rf "$base"
	mkdir -p "$ROOTS"
	debootstrap --variant=minbase bookworm "$base" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
		{ tail -n 30 "$WORK/debootstrap.log"; die "debootstrap failed"; }
fi
CHROOT=$WORK/root
log "a clean root: a copy of $base"
cp -a "$base" "$CHROOT"
mount_root "$CHROOT"
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
# the archive (suites, updates and security) apt uses here: the package
# depends on the PostgreSQL minor release it was built against
rm -f "$CHROOT/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$CHROOT/etc/apt/sources.list.d/" 2>/dev/null || true
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$CHROOT/etc/apt/sources.list"
# no service starts inside the root by itself
printf '#!/bin/sh\nexit 101\n' >"$CHROOT/usr/sbin/policy-rc.d"
chmod +x "$CHROOT/usr/sbin/policy-rc.d"
mkdir -p "$CHROOT/pkg/data"
cp "$previous_deb" "$current_deb" "$ROOT/test/demo.sql" "$CHROOT/pkg/"
cp "$ROOT/test/data/sample_bureau.sql" "$CHROOT/pkg/data/"
chmod -R a+rX "$CHROOT/pkg"

as_postgres() {
	in_root "$CHROOT" runuser -u postgres -- env PGCLIENTENCODING=UTF8 "$@"
}
sql() {
	as_postgres psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$@"
}

log "apt-get install ./$(basename "$previous_deb") in the clean root"
in_root "$CHROOT" apt-get update -qq >"$WORK/apt-root.log" 2>&1 &&
	in_root "$CHROOT" apt-get install -y -qq "/pkg/$(basename "$previous_deb")" >>"$WORK/apt-root.log" 2>&1 ||
	{ tail -n 30 "$WORK/apt-root.log"; die "the previous package does not install"; }
in_root "$CHROOT" pg_lsclusters
in_root "$CHROOT" pg_ctlcluster "$PG_MAJOR" main start

log "release $previous: CREATE EXTENSION, the sample bureau, the reports"
as_postgres createdb bureau
sql bureau -c "CREATE EXTENSION pointsys"
[ "$(sql bureau -c "SELECT extversion FROM pg_extension WHERE extname = 'pointsys'")" = "$previous" ] ||
	die "the previous package did not install release $previous"
sql bureau -f /pkg/data/sample_bureau.sql
sql bureau -c "SET pointsys.reason = '更正'; UPDATE pointsys.score SET points = 3
			   WHERE member_id = 'm03' AND month = '2025-01-01' AND item = 'org_life'"
# (the columns of release 1.2: 1.3 adds eligibility_label; democratic at
# scale 2, as 1.5 types it, which changes no value)
report="SELECT member_id, branch_id, year, q1, q2, q3, q4, months, assessment, democratic::numeric(5,2), vetoed,
			   total, grade, eligibility
		FROM pointsys.annual_results ORDER BY member_id, year;
		SELECT count(*), sum(points) FROM pointsys.score;
		SELECT audit_id, table_name, action, new_row FROM pointsys.audit ORDER BY audit_id"
before=$(sql bureau -c "$report")
grep -q '优秀' <<<"$before" || die "release $previous grades nothing 优秀"

log "apt-get install ./$(basename "$current_deb") over it; ALTER EXTENSION pointsys UPDATE"
in_root "$CHROOT" apt-get install -y -qq "/pkg/$(basename "$current_deb")" >>"$WORK/apt-root.log" 2>&1 ||
	{ tail -n 30 "$WORK/apt-root.log"; die "the current package does not install over the previous one"; }
in_root "$CHROOT" dpkg-query -W "postgresql-$PG_MAJOR-pointsys"
sql bureau -c "ALTER EXTENSION pointsys UPDATE"
[ "$(sql bureau -c "SELECT extversion FROM pg_extension WHERE extname = 'pointsys'")" = "$version" ] ||
	die "ALTER EXTENSION UPDATE did not reach $version"
after=$(sql bureau -c "$report")
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") | head -20; die "the update changed the ledger"; }
echo "release $previous → $version: every result, score and audit row unchanged"

log "release $version: CREATE EXTENSION in a new database, the demo"
as_postgres createdb demo
demo=$(as_postgres psql -X -q -v ON_ERROR_STOP=1 -d demo -f /pkg/demo.sql) || die "the demo fails"
[ "$(sql demo -c "SELECT extversion FROM pg_extension WHERE extname = 'pointsys'")" = "$version" ] ||
	die "CREATE EXTENSION did not install $version"
grep -q '优秀' <<<"$demo" || die "the demo grades nothing 优秀"
echo "$demo" | tail -n 12

in_root "$CHROOT" pg_ctlcluster "$PG_MAJOR" main stop
log "package: postgresql-$PG_MAJOR-pointsys $version builds, is lintian-clean, installs and upgrades from $previous"
