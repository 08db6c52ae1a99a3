#!/bin/bash
# test/docs.sh [DOC...]: the documents are tested.  Run as root on Debian 12:
#
#     bash test/docs.sh                  # README.md, then doc/*.md
#
# Builds pointsys, installs it into a private copy of the server's layout
# (test/private_server.sh: the system's PostgreSQL directories are never
# written) and starts a throwaway cluster with a database "bureau" (UTF8),
# as README's Getting started assumes.  Then, document after document in
# one database (README.md first, then doc/reference.md, the other doc/*.md
# in name order), every fenced block in order (test/docs_blocks.pl
# extracts them and checks the marks, paths and links):
#   - ```sql: run by psql -v ON_ERROR_STOP=1 in "bureau" as the superuser,
#     or as the login of a <!-- run as ROLE --> mark just before it;
#   - ```sh: run by bash -e as postgres in a scratch directory, with
#     PGHOST/PGPORT/PGDATABASE set to the cluster and "bureau";
#   - ```output: must appear, line for line, in what the block before printed;
#   - <!-- not run: reason --> blocks and ```text blocks are not run.
# Fails on any error, any block that is neither run nor marked, any
# output that differs, any inline `path` that names no file of the tree
# and any link to a missing file or heading (doc/testing.md, "The documents
# are tested").  Prints one line per block and "N passed, N failed".
#
# Environment: PG_MAJOR, PG_CONFIG, KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

setup_tree perl

cd "$WORK/tree"
if [ $# -gt 0 ]; then
	DOCS=("$@")
else
	DOCS=(README.md doc/reference.md)
	for d in doc/*.md; do
		[ "$d" = doc/reference.md ] || DOCS+=("$d")
	done
fi

log "build and private install"
pg_make -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 ||
	{ cat "$WORK/build.log"; die "the build failed"; }
private_install
chown -R "$PG_USER:" "$WORK/tree"

# the blocks, after the build (the built install script is a file of the tree)
BLOCKS=$WORK/blocks
mkdir -p "$BLOCKS"
log "the blocks of ${DOCS[*]}"
if ! perl "$ROOT/test/docs_blocks.pl" "$WORK/tree" "$BLOCKS" "${DOCS[@]}"; then
	FAILED=$((FAILED + 1))
fi

start_private_cluster "$PRIVATE_POSTGRES"
as_pg_client createdb -E UTF8 -T template0 bureau
SCRATCH=$WORK/scratch
mkdir -p "$SCRATCH"
chown -R "$PG_USER:" "$BLOCKS" "$SCRATCH"

# in_db COMMAND...: as postgres, connected to "bureau"
in_db() {
	(cd "$SCRATCH" && as_pg_client env PGDATABASE=bureau PGCLIENTENCODING=UTF8 "$@")
}

# contains OUTPUT EXPECTED: EXPECTED's lines appear in a row in OUTPUT
# (trailing blanks ignored)
contains() {
	awk 'FNR == 1 { f++ } { sub(/[ \t]+$/, "") }
		f == 1 { out[++n] = $0 } f == 2 { want[++m] = $0 }
		END {
			for (i = 1; i + m - 1 <= n; i++) {
				for (j = 1; j <= m && out[i + j - 1] == want[j]; j++);
				if (j > m) exit 0
			}
			exit 1
		}' "$1" "$2"
}

last_out=
ran=0 skipped=0
while IFS=$'\t' read -r id kind where role; do
	file=$BLOCKS/$id.$kind
	case $kind in
		sql | sh)
			if [ "$kind" = sql ]; then
				what="sql${role:+ as $role}"
				run=(psql -X -q -v ON_ERROR_STOP=1 -U "$role" -f "$file")
			else
				what=sh
				run=(bash -e -o pipefail "$file")
			fi
			last_out=$BLOCKS/$id.out
			if in_db "${run[@]}" >"$last_out" 2>&1; then
				echo "ok   $where ($what)"
				PASSED=$((PASSED + 1)) ran=$((ran + 1))
			else
				echo "FAIL $where ($what):"
				sed 's/^/    /' "$last_out"
				FAILED=$((FAILED + 1))
			fi
			;;
		output)
			if [ -n "$last_out" ] && contains "$last_out" "$file"; then
				echo "ok   $where (output as printed)"
				PASSED=$((PASSED + 1))
			else
				echo "FAIL $where: the block before printed something else:"
				sed 's/^/    /' "${last_out:-/dev/null}"
				FAILED=$((FAILED + 1))
			fi
			;;
		skip | text)
			skipped=$((skipped + 1))
			last_out=
			;;
	esac
done <"$BLOCKS/manifest"

check_server_log
printf '\n%d blocks run, %d not run (marked, or text)\n' "$ran" "$skipped"
printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
