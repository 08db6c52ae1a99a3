# test/private_server.sh: sourced after lib.sh by test/quick.sh,
# test/sanitize.sh, test/valgrind.sh, test/clients.sh and test/sheets.sh
# (source it, don't run it).
#
# Installs a special build of pointsys (sanitized, ...) into a private copy of
# the server's layout under $WORK/inst, and runs the throwaway cluster on
# that copy, so that the build in the system's directories is never replaced:
# another server on the machine (a benchmark, a colleague's check.sh) keeps
# loading the normal one, and nothing needs restoring afterwards.
#
# PostgreSQL finds $libdir and its share directory relative to its own
# executable, so the copy is: the postgres binary itself (copied, since the
# server resolves symlinks to find itself), symlinks to every other file of
# the lib and share directories, and our files from
# `make install DESTDIR=$WORK/inst`.  No bitcode: the scripts build with
# with_llvm=no and run with jit = off, so our C code is what runs.

# private_install MAKE-ARGS...: install $WORK/tree's build into $WORK/inst;
# sets PRIVATE_POSTGRES (the copied binary) and PRIVATE_PKGLIB ($libdir)
private_install() {
	local pgbin pkglib share inst=$WORK/inst f
	pgbin=$("$PG_CONFIG" --bindir)
	pkglib=$("$PG_CONFIG" --pkglibdir)
	share=$("$PG_CONFIG" --sharedir)
	mkdir -p "$inst$pgbin" "$inst$pkglib" "$inst$share/extension"
	cp "$pgbin/postgres" "$inst$pgbin/postgres"
	for f in "$pkglib"/*; do
		case ${f##*/} in pointsys*|bitcode) ;; *) ln -s "$f" "$inst$pkglib/" ;; esac
	done
	for f in "$share"/*; do
		[ "${f##*/}" = extension ] || ln -s "$f" "$inst$share/"
	done
	for f in "$share"/extension/*; do
		case ${f##*/} in pointsys*) ;; *) ln -s "$f" "$inst$share/extension/" ;; esac
	done
	# the server's own message catalogs, next to where ours go (the server
	# finds its locale directory relative to its executable too)
	local localedir mo
	localedir=$("$PG_CONFIG" --localedir)
	for mo in "$localedir"/*/LC_MESSAGES/postgres-"$PG_MAJOR".mo; do
		[ -e "$mo" ] || continue
		mkdir -p "$inst${mo%/*}"
		ln -s "$mo" "$inst$mo"
	done
	pg_make install with_llvm=no DESTDIR="$inst" "$@" >"$WORK/install.log" 2>&1 ||
		{ cat "$WORK/install.log"; die "make install DESTDIR=$inst failed"; }
	PRIVATE_POSTGRES=$inst$pgbin/postgres
	PRIVATE_PKGLIB=$inst$pkglib
}

# start_private_cluster POSTGRES [NAME=value...]: initdb and configure the
# cluster with the stock binaries (lib.sh's start_cluster, with jit = off),
# then restart it on POSTGRES (the private copy, or a wrapper that execs it)
# with the environment variables given.  START_TIMEOUT: seconds (default 120).
start_private_cluster() {
	local postgres=$1
	shift
	CLUSTER_CONF="${CLUSTER_CONF:-}
jit = off"
	start_cluster
	stop_cluster
	as_pg env "$@" pg_ctl -D "$WORK/data" -p "$postgres" -l "$WORK/log/server.log" \
		-w -t "${START_TIMEOUT:-120}" start >/dev/null ||
		{ tail -n 50 "$WORK/log/server.log"; die "the server did not start on $postgres"; }
	CLUSTER_UP=1
}

# private_checked_cluster: as root, $ROOT copied to $WORK/tree, built with
# assertions and warnings as errors, installed privately and a throwaway
# cluster started on it (test/quick.sh, test/regress_alone.sh)
private_checked_cluster() {
	setup_tree
	pg_make -j"$(nproc)" with_llvm=no PG_CPPFLAGS="-DUSE_ASSERT_CHECKING" \
		COPT="$WARNINGS" >"$WORK/build.log" 2>&1 ||
		{ cat "$WORK/build.log"; die "the build failed"; }
	private_install
	chown -R "$PG_USER:" "$WORK/tree"
	start_private_cluster "$PRIVATE_POSTGRES"
}

# The text of /proc/self/maps of a backend that has loaded pointsys, so that
# a script can check which runtime and which pointsys.so the server really uses
backend_maps() {
	as_pg_client psql -XAtq -v ON_ERROR_STOP=1 \
		-c "LOAD '\$libdir/pointsys'" \
		-c "SELECT pg_read_file('/proc/self/maps')"
}
