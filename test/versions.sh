#!/bin/bash
# test/versions.sh [15] [17] [18]: the whole suite (test/check.sh) on each
# PostgreSQL major pointsys supports.  Run as root on Debian 12 from anywhere:
#
#     bash test/versions.sh            # 15, 17 and 18
#     bash test/versions.sh 17 18      # a subset
#
#   - 15 runs on this machine (Debian 12's own PostgreSQL 15: check.sh
#     installs pointsys into it), or with PG15_IN_ROOT=1 in a Debian
#     bookworm root made like the others (this machine's install untouched);
#   - 17 runs in a Debian trixie root, 18 in a Debian sid root, made when
#     missing with debootstrap --variant=minbase from the mirror apt uses here
#     (about 2 minutes each, once), under $POINTSYS_ROOTS/<suite>; each root
#     gets postgresql-N, postgresql-server-dev-N and what the suite needs, and
#     is entered with chroot (/proc, /dev and /dev/pts mounted for the run,
#     unmounted on exit).  The project tree (git-tracked files plus
#     uncommitted changes, no .git, no build products) is copied into the
#     root and test/check.sh runs there with PG_MAJOR=N.
#
# check.sh builds with -Wall -Wextra -Werror -Wno-unused-parameter and
# assertions, installs, runs pg_regress and the isolation specs on a
# throwaway cluster, the TAP tests, the libFuzzer smoke run, the SQL fuzzer,
# the sanitizer and Valgrind runs, the soak and the benchmark at smoke size.
# The long parts are shortened here (see below), for every major: the
# full-length run on 15 is test/check.sh itself.
#
# In the roots it then builds postgresql-N-pointsys with Debian's tools
# (debian/), checks it with lintian, installs it with apt-get and creates
# the extension from it.
#
# Prints check.sh's output for each major (also kept in
# $POINTSYS_ROOTS/logs/pg<N>.log), then one line per major:
#     PostgreSQL 17.6: 23 passed, 0 failed (412 s)
# and exits non-zero if any major failed.
#
# Environment:
#   POINTSYS_ROOTS    where the roots live (/var/tmp/pointsys-roots)
#   FUZZ_SECONDS      libFuzzer seconds (5)
#   FUZZ_SQL_INPUTS   SQL fuzzer inputs (20000)
#   SOAK_SECONDS      soak seconds (5)
#   DEBIAN_MIRROR     the mirror for debootstrap (default: the one apt uses)
#   PG15_IN_ROOT=1    run 15 in $POINTSYS_ROOTS/bookworm, not on this machine
#   KEEP_WORK=1       passed to check.sh (inside a root: its /tmp/pointsys.*)
#   VERSIONS_SUITE=0  only the package, not check.sh (for work on debian/)
#   CHECK_SHEETS=1    also print the sheets with Chromium in each root (off:
#                     the same SQL makes the same HTML on every major)
#   CHECK_VALGRIND=0  skip check.sh's Valgrind run (test/check.sh sets it:
#                     about 5 of each major's 9 minutes)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
ROOTS=${POINTSYS_ROOTS:-/var/tmp/pointsys-roots}
export FUZZ_SECONDS=${FUZZ_SECONDS:-5}
export FUZZ_SQL_INPUTS=${FUZZ_SQL_INPUTS:-20000}
export SOAK_SECONDS=${SOAK_SECONDS:-5}

log() { printf '\n##### %s\n' "$*"; }
. "$HERE/roots.sh"
die() { printf 'versions.sh: %s\n' "$*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root: it makes and enters chroots and installs packages"

MAJORS=("$@")
[ ${#MAJORS[@]} -gt 0 ] || MAJORS=(15 17 18)
for m in "${MAJORS[@]}"; do
	case $m in
		15 | 17 | 18) ;;
		*) die "usage: $0 [15] [17] [18]  (pointsys supports PostgreSQL 15, 17 and 18)" ;;
	esac
done

# the Debian suite whose PostgreSQL is major $1 (15: this machine, unless
# PG15_IN_ROOT=1)
suite_of() {
	case $1 in
		15) echo bookworm ;;
		17) echo trixie ;;
		18) echo sid ;;
	esac
}

cleanup() {
	local rc=$?
	unmount_all
	return $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- making a root ----------------------------------------------------------

# make_root MAJOR: debootstrap the root of MAJOR's suite and install the
# suite's packages in it, unless that was done already
make_root() {
	local major=$1 suite dir apt_opts=() mirror
	suite=$(suite_of "$major")
	dir=$ROOTS/$suite
	[ -f "$dir/.pointsys-ready-$major-v2" ] && return 0
	mkdir -p "$ROOTS/logs"

	# debootstrap removes $dir/debootstrap when it has finished
	if [ ! -x "$dir/usr/bin/apt-get" ] || [ -d "$dir/debootstrap" ]; then
		grep -q " $dir/" /proc/mounts && die "$dir has something mounted in it; unmount it first"
		rm -rf "$dir"
		command -v debootstrap >/dev/null ||
			apt-get -o DPkg::Lock::Timeout=300 install -y -qq debootstrap >/dev/null ||
			die "cannot install debootstrap"
		mirror=${DEBIAN_MIRROR:-$(apt_mirror)}
		log "debootstrap $suite from $mirror into $dir"
		debootstrap --variant=minbase "$suite" "$dir" "$mirror" \
			>"$ROOTS/logs/debootstrap-$suite.log" 2>&1 ||
			{ tail -n 30 "$ROOTS/logs/debootstrap-$suite.log"; die "debootstrap $suite failed"; }
	fi

	log "packages for PostgreSQL $major in $dir"
	cp /etc/resolv.conf "$dir/etc/resolv.conf"
	# no service starts inside the root, and no "main" cluster: the suite
	# makes its own throwaway clusters
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 755 "$dir/usr/sbin/policy-rc.d"
	mkdir -p "$dir/etc/postgresql-common"
	[ -f "$dir/etc/postgresql-common/createcluster.conf" ] ||
		echo 'create_main_cluster = false' >"$dir/etc/postgresql-common/createcluster.conf"
	# sid's Release file may be older than its Valid-Until on a snapshot
	# mirror; later apt-get runs (the suite's own) need the same setting
	if [ "$suite" = sid ]; then
		apt_opts=(-o Acquire::Check-Valid-Until=false)
		echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99pointsys"
	fi
	mount_root "$dir"
	# the suite's packages: check.sh (server, headers, TAP), test/fuzz/run.sh
	# (clang and its libFuzzer runtime), test/sanitize.sh (gcc's ASan and
	# UBSan runtimes), test/valgrind.sh
	# and the package's build (Debian's tools and lintian)
	local pkgs=("postgresql-$major" "postgresql-server-dev-$major" make gcc libipc-run-perl
		clang valgrind libasan8 libubsan1
		build-essential debhelper postgresql-server-dev-all fakeroot dpkg-dev lintian)
	if ! {
		in_root "$dir" apt-get "${apt_opts[@]}" update -qq &&
			in_root "$dir" apt-get install -y -qq --no-install-recommends \
				-o Dpkg::Options::=--force-confold "${pkgs[@]}" &&
			{
				# libFuzzer: the compiler-rt of the clang installed
				local cmajor
				cmajor=$(in_root "$dir" clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
				in_root "$dir" apt-get install -y -qq --no-install-recommends "libclang-rt-$cmajor-dev"
			}
	} >"$ROOTS/logs/apt-$suite.log" 2>&1; then
		unmount_all
		tail -n 40 "$ROOTS/logs/apt-$suite.log"
		die "apt-get in $dir failed (log: $ROOTS/logs/apt-$suite.log)"
	fi
	unmount_all
	touch "$dir/.pointsys-ready-$major-v2"
}

# --- running the suite -------------------------------------------------------

# copy_project DEST: git-tracked files plus uncommitted changes and new files
# not ignored (no .git, no build products); without git, test/lib.sh's rule
copy_project() {
	local dest=$1
	mkdir -p "$dest"
	if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
			tar --null -T - -cf -) | tar -C "$dest" -xf -
	else
		tar -C "$SRC" -cf - -X "$SRC/test/build_products.exclude" . | tar -C "$dest" -xf -
	fi
}

SUMMARY=()
ANY_FAILED=0

# package_in_root DIR MAJOR: postgresql-MAJOR-pointsys built by Debian's
# tools in the root (debian/, pg_buildext updatecontrol for the root's
# majors), lintian-clean of errors, installed with apt-get over the
# suite's own install, and CREATE EXTENSION from it in a throwaway
# cluster.  Prints one word: ok, or what failed.
package_in_root() {
	local dir=$1 major=$2 deb plog=$ROOTS/logs/package-pg$major.log
	rm -rf "$dir/root/pkg"
	mkdir -p "$dir/root/pkg"
	copy_project "$dir/root/pkg/pointsys"
	{
		in_root "$dir" sh -c 'cd /root/pkg/pointsys && pg_buildext updatecontrol &&
			dpkg-buildpackage -us -uc -b' || { echo build; return; }
		deb=$(cd "$dir/root/pkg" && ls "postgresql-$major-pointsys_"*.deb 2>/dev/null | grep -v dbgsym | head -n 1)
		[ -n "$deb" ] || { echo "no postgresql-$major-pointsys .deb"; return; }
		in_root "$dir" lintian --allow-root --fail-on error "/root/pkg/$deb" || { echo lintian; return; }
		in_root "$dir" apt-get install -y -qq --reinstall "/root/pkg/$deb" || { echo install; return; }
		in_root "$dir" runuser -u postgres -- sh -c "
			set -e
			rm -rf /tmp/pointsys-pkg
			/usr/lib/postgresql/$major/bin/initdb -D /tmp/pointsys-pkg -E UTF8 --no-locale -A trust >/dev/null
			/usr/lib/postgresql/$major/bin/pg_ctl -D /tmp/pointsys-pkg -o '-k /tmp/pointsys-pkg -c listen_addresses=' -w start >/dev/null
			trap '/usr/lib/postgresql/$major/bin/pg_ctl -D /tmp/pointsys-pkg -m fast stop >/dev/null; rm -rf /tmp/pointsys-pkg' EXIT
			/usr/lib/postgresql/$major/bin/psql -X -q -v ON_ERROR_STOP=1 -h /tmp/pointsys-pkg -d postgres -At \
				-c 'CREATE EXTENSION pointsys' \
				-c \"SELECT extversion, pointsys.grade_of(90), pointsys.annual_total(85, 95) FROM pg_extension WHERE extname = 'pointsys'\"
		" || { echo 'CREATE EXTENSION'; return; }
		echo ok
	} 2>>"$plog" | tee -a "$plog" | tail -n 1
}

# run_major MAJOR: check.sh on this machine (15) or in MAJOR's root
run_major() {
	local major=$1 suite dir out start rc=0 version counts package=
	mkdir -p "$ROOTS/logs"
	out=$ROOTS/logs/pg$major.log
	start=$SECONDS
	if [ "$major" = 15 ] && [ "${PG15_IN_ROOT:-0}" != 1 ]; then
		# check.sh copies the tree itself
		log "PostgreSQL 15 on this machine"
		PG_MAJOR=15 PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config CHECK_ALL=0 \
			bash "$SRC/test/check.sh" 2>&1 | tee "$out" || rc=$?
		version=$(/usr/lib/postgresql/15/bin/postgres --version 2>/dev/null || true)
	else
		suite=$(suite_of "$major")
		dir=$ROOTS/$suite
		make_root "$major"
		log "PostgreSQL $major in $dir (Debian $suite)"
		rm -rf "$dir/root/pointsys"
		copy_project "$dir/root/pointsys"
		rm -rf "$dir/root/pointsys/test/fuzz/build"
		cp /etc/resolv.conf "$dir/etc/resolv.conf"
		mount_root "$dir"
		if [ "${VERSIONS_SUITE:-1}" = 1 ]; then
			in_root "$dir" env PG_MAJOR="$major" PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" \
				FUZZ_SECONDS="$FUZZ_SECONDS" FUZZ_SQL_INPUTS="$FUZZ_SQL_INPUTS" \
				SOAK_SECONDS="$SOAK_SECONDS" KEEP_WORK="${KEEP_WORK:-0}" \
				CHECK_ALL=0 CHECK_ONCE=0 CHECK_VALGRIND="${CHECK_VALGRIND:-1}" CHECK_SHEETS="${CHECK_SHEETS:-0}" \
				bash /root/pointsys/test/check.sh 2>&1 | tee "$out" || rc=$?
		else
			echo "0 passed, 0 failed" >"$out"
		fi
		version=$(in_root "$dir" "/usr/lib/postgresql/$major/bin/postgres" --version 2>/dev/null || true)
		log "the package postgresql-$major-pointsys in $dir"
		: >"$ROOTS/logs/package-pg$major.log"
		package=$(package_in_root "$dir" "$major")
		unmount_all
	fi
	# "postgres (PostgreSQL) 17.6 (Debian 17.6-1)" -> 17.6
	version=$(printf '%s\n' "$version" | sed -n 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/p')
	counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1 || true)
	[ -n "$counts" ] || counts="0 passed, 1 failed (check.sh stopped: see $out)"
	if [ "$rc" -ne 0 ] || ! [[ $counts =~ \ 0\ failed$ ]]; then
		ANY_FAILED=1
		[[ $counts =~ \ 0\ failed$ ]] && counts="$counts, but check.sh exited with $rc"
	fi
	if [ -n "$package" ]; then
		[ "$package" = ok ] || ANY_FAILED=1
		counts="$counts; package postgresql-$major-pointsys: $package"
	fi
	SUMMARY+=("PostgreSQL ${version:-$major}: $counts ($((SECONDS - start)) s)")
}

for m in "${MAJORS[@]}"; do
	run_major "$m"
done

printf '\n'
printf '%s\n' "${SUMMARY[@]}"
exit "$ANY_FAILED"
