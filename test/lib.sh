# test/lib.sh: shared by test/check.sh and test/demo.sh (source it, don't run it).
#
# Installs the build dependencies, builds and installs pointsys, and runs a
# throwaway PostgreSQL cluster as the postgres user (initdb refuses root).
# Everything temporary lives under $WORK, which the caller removes with
# cleanup (set as an EXIT trap by start_work).
#
# Settings (environment):
#   PG_MAJOR    the PostgreSQL major to build and test against: 15, 17 or 18
#               (default 15; test/versions.sh sets it inside its roots)
#   PG_CONFIG   pg_config of the target server
#               (default /usr/lib/postgresql/$PG_MAJOR/bin/pg_config)
#   KEEP_WORK=1 keep $WORK (build tree, cluster, logs) for inspection
#   CLUSTER_CONF extra postgresql.conf lines for the throwaway cluster

PG_MAJOR=${PG_MAJOR:-15}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
PG_USER=postgres

# The warnings every build of the suite treats as errors.  PostgreSQL's
# headers trigger exactly one -Wextra warning: -Wunused-parameter, through
# PG_FUNCTION_ARGS in functions that take no argument and callback
# signatures the server imposes.  Everything else must be clean.
WARNINGS="-Wall -Wextra -Werror -Wno-unused-parameter"

log() { printf '\n=== %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

require_root() {
	[ "$(id -u)" -eq 0 ] || die "run as root: it installs packages and the extension, and runs the server as $PG_USER"
}

# apt-get install the packages that are not installed yet
ensure_packages() {
	local missing=() p
	# every script builds pointsys, and its build compiles the message
	# catalogs with msgfmt (gettext)
	set -- "$@" gettext
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		# one line here; apt's own output in a log, shown if it fails
		local apt_log
		apt_log=$(mktemp /tmp/pointsys-apt.XXXXXX.log)
		log "installing ${missing[*]} (log: $apt_log)"
		export DEBIAN_FRONTEND=noninteractive
		if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$apt_log" 2>&1; then
			tail -n 50 "$apt_log"
			die "apt-get install failed (whole log: $apt_log)"
		fi
		rm -f "$apt_log"
	fi
	id "$PG_USER" >/dev/null 2>&1 || die "no $PG_USER user: is postgresql-$PG_MAJOR installed?"
}

# The zh_CN.UTF-8 locale, for the tests of the Chinese messages
# (SET lc_messages = 'zh_CN.UTF-8'): Debian's locales package, with the
# locale enabled in /etc/locale.gen and generated when missing
ensure_zh_locale() {
	ensure_packages locales
	if ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
		log "generating the zh_CN.UTF-8 locale"
		grep -qE '^zh_CN\.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null ||
			echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen
		locale-gen >/dev/null || die "locale-gen failed"
	fi
}

# A private work directory, removed on exit
start_work() {
	WORK=$(mktemp -d /tmp/pointsys.XXXXXX)
	chmod 755 "$WORK"
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

cleanup() {
	local rc=$?
	stop_cluster
	if [ "${KEEP_WORK:-0}" = 1 ]; then
		echo "kept $WORK" >&2
	elif [ -n "${WORK:-}" ]; then
		rm -rf "$WORK"
	fi
	return $rc
}

# Copy the source tree (with uncommitted changes, without the build products
# that test/build_products.exclude lists)
# to $WORK/tree, where it is built and tested: the checkout stays clean.
copy_tree() {
	local src=$1
	mkdir -p "$WORK/tree"
	tar -C "$src" -cf - -X "$src/test/build_products.exclude" . | tar -C "$WORK/tree" -xf -
}

# make in $WORK/tree as the current user (root): build and install
pg_make() {
	make -C "$WORK/tree" --no-print-directory PG_CONFIG="$PG_CONFIG" "$@"
}

# Run a command as postgres with the server's binaries first in PATH
as_pg() {
	runuser -u "$PG_USER" -- env PATH="$BINDIR:$PATH" "$@"
}

# Run a command as postgres, connected to the throwaway cluster
as_pg_client() {
	runuser -u "$PG_USER" -- env PATH="$BINDIR:$PATH" \
		PGHOST="$WORK/sock" PGPORT="$PGPORT_TEST" PGUSER="$PG_USER" \
		PGDATABASE=postgres "$@"
}

# initdb and start a cluster in $WORK/data, reachable only through a Unix
# socket in $WORK/sock (so the port cannot clash with a running server)
start_cluster() {
	BINDIR=$("$PG_CONFIG" --bindir)
	PGPORT_TEST=${PGPORT_TEST:-54329}
	mkdir -p "$WORK/data" "$WORK/sock" "$WORK/log"
	chown "$PG_USER:" "$WORK/data" "$WORK/sock" "$WORK/log"
	chmod 700 "$WORK/data"
	as_pg initdb -D "$WORK/data" -U "$PG_USER" -A trust -E UTF8 --no-locale \
		>"$WORK/log/initdb.log" 2>&1 ||
		{ cat "$WORK/log/initdb.log"; die "initdb failed"; }
	cat >>"$WORK/data/postgresql.conf" <<-EOF
		listen_addresses = ''
		unix_socket_directories = '$WORK/sock'
		port = $PGPORT_TEST
		fsync = off
		max_worker_processes = 8
		max_parallel_workers = 8
		log_line_prefix = '%m [%p] %q%a '
		${CLUSTER_CONF:-}
	EOF
	as_pg pg_ctl -D "$WORK/data" -l "$WORK/log/server.log" -w -t 60 start >/dev/null ||
		{ cat "$WORK/log/server.log"; die "the server did not start"; }
	CLUSTER_UP=1
}

stop_cluster() {
	if [ "${CLUSTER_UP:-0}" = 1 ]; then
		as_pg pg_ctl -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 ||
			as_pg pg_ctl -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
		CLUSTER_UP=0
	fi
}

# setup_tree PACKAGE...: what the scripts that build and test do first, as
# root: the server, its headers, make, gcc and the PACKAGEs installed, the
# Chinese locale, a work dir ($WORK) holding a copy of the tree at $ROOT
setup_tree() {
	require_root
	ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc "$@"
	ensure_zh_locale
	start_work
	copy_tree "$ROOT"
}

# --- running the suites (check.sh, sanitize.sh, valgrind.sh) ---------------

PASSED=0
FAILED=0

# count_results OUTPUT RC: count a runner's "name ... ok" / "name ... FAILED"
# lines (pg_regress and pg_isolation_regress print one per test; from 16 on
# in TAP form, "ok 3 - name" / "not ok 1 - name") into PASSED and FAILED;
# a runner that failed without reporting a failed test (it could not
# start, say) counts as one failure
count_results() {
	local out=$1 rc=$2 ok bad
	ok=$(grep -cE '\.\.\. +ok( |$)|^ok +[0-9]+ +[-+] ' "$out" || true)
	bad=$(grep -cE '\.\.\. +(FAILED|failed)|^not ok +[0-9]+ +[-+] ' "$out" || true)
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
	fi
	PASSED=$((PASSED + ok))
	FAILED=$((FAILED + bad))
}

# show_file FILE [LINES]: print a file that is not empty, under its name
show_file() {
	if [ -s "$1" ]; then
		printf '\n--- %s\n' "${1#"$WORK/"}"
		head -n "${2:-100000}" "$1"
	fi
}

# run_suite NAME DIFFS MAKE-ARGS...: one pg_regress-style runner of the
# Makefile's installcheck against the running throwaway cluster, counted;
# the first lines of DIFFS shown when it fails
run_suite() {
	local name=$1 diffs=$2 rc=0
	shift 2
	log "$name"
	as_pg_client make -C "$WORK/tree" --no-print-directory PG_CONFIG="$PG_CONFIG" \
		installcheck TAP_TESTS= "$@" 2>&1 | tee "$WORK/$name.out" || rc=$?
	count_results "$WORK/$name.out" "$rc"
	[ "$rc" -eq 0 ] || show_file "$WORK/tree/$diffs" 300
}

# run_suites: the pg_regress tests and the isolation specs of the Makefile
run_suites() {
	run_suite pg_regress regression.diffs ISOLATION=
	run_suite isolation output_iso/regression.diffs REGRESS=
}

# run_tap test/t/NNN_name.pl: one TAP file (prove) against what `make
# install` put in the system's directories, counted as one test; the tails
# of its logs shown when it fails
run_tap() {
	if as_pg make -C "$WORK/tree" --no-print-directory PG_CONFIG="$PG_CONFIG" \
		installcheck REGRESS= ISOLATION= TAP_TESTS=1 PROVE_TESTS="$1" PROVE_FLAGS=--timer 2>&1; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		for f in "$WORK"/tree/tmp_check/log/regress_log_*; do
			printf '\n--- %s (last 60 lines)\n' "${f#"$WORK/tree/"}"
			tail -n 60 "$f"
		done
	fi
}

# check_server_log: did a backend crash or an assertion fail?  (one failure)
check_server_log() {
	if grep -aqE 'was terminated by signal|TRAP: ' "$WORK/log/server.log"; then
		echo "the server log shows a crash or a failed assertion:"
		grep -aE -B5 -A5 'was terminated by signal|TRAP: ' "$WORK/log/server.log" | tail -n 80
		FAILED=$((FAILED + 1))
	fi
}
