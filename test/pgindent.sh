#!/bin/bash
# test/pgindent.sh [--check] [FILE...]: PostgreSQL's pgindent for pointsys's
# C files (default: src/*.c src/*.h), without PostgreSQL's source tree.
#
# PostgreSQL's pgindent is a Perl script of its source tree (not packaged by
# Debian) around pg_bsd_indent (Debian's package pg-bsd-indent).  This runs
# pg_bsd_indent the way that script does: the same options, the same few
# rewrites before and after it (// comments, dash-protected comments
# "/*---", run-together comments, "type *" return types), and a typedefs
# list made of
#   - typedefs.list: pointsys's own typedefs (test/lint.sh checks that it
#     lists every typedef of src/, as ctags finds them), and
#   - the typedefs of the server's headers (pg_config --includedir-server)
#     and of the C library's and compiler's headers they use, found by
#     ctags; PostgreSQL's buildfarm list holds the same names.
#
# Without --check it rewrites the files in place; with --check it changes
# nothing, prints what would change (a diff) and exits 1 if anything would.
#
# pg_bsd_indent 2.1.1 (Debian 12) rewrites the byte 0x80 inside a string
# literal of C code (一 and 秀 hold one in UTF-8) and leaves preprocessor
# lines as they stand, so such literals are macros (src/rules.c).  A file
# where it would mangle one shows up here as a change.
#
# Needs pg_bsd_indent, universal-ctags and perl (test/lint.sh installs them).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/${PG_MAJOR:-15}/bin/pg_config}
INDENT_OPTS="-bad -bap -bbb -bc -bl -cli1 -cp33 -cdb -nce -d0 -di12 -nfc1 -i4 -l79 -lp -lpl -nip -npro -sac -tpg -ts4"

check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
cd "$ROOT"
if [ $# -eq 0 ]; then
	set -- src/*.c src/*.h
fi

tmp=$(mktemp -d /tmp/pointsys-pgindent.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# The typedefs: ours, the server's and the C library's.  pgindent adds
# "bool" and leaves out names that are mostly used otherwise.
{
	cat typedefs.list
	echo bool
	ctags -R -x --kinds-C=t --languages=C --langmap=C:.h \
		"$("$PG_CONFIG" --includedir-server)" /usr/include/*.h \
		"/usr/include/$(gcc -print-multiarch)/bits" "/usr/include/$(gcc -print-multiarch)/sys" \
		"$(gcc -print-file-name=include)" 2>/dev/null | awk '{ print $1 }'
} | grep -vxE 'ANY|FD_SET|U|abs|allocfunc|boolean|date|digit|ilist|interval|iterator|other|pointer|printfunc|reference|string|timestamp|type|wrap' |
	sort -u >"$tmp/typedefs"

changed=0
for f in "$@"; do
	# before: // comments to /* */, dash-protected comments kept
	perl -0pe 's!^([ \t]*)//(.*)$!$1/* $2 */!gm; s!/\* +---!/*---X_X!g' "$f" >"$tmp/in.c"
	(cd "$tmp" && pg_bsd_indent $INDENT_OPTS -U"$tmp/typedefs" in.c out.c) ||
		{ echo "pgindent: pg_bsd_indent failed on $f" >&2; exit 2; }
	# after: the comments back, a tab between run-together comments, one
	# space before the * of a return type on a line of its own
	perl -0pi -e 's!/\*---X_X!/* ---!g; s!\*/(/\*.*\*/)$!*/\t$1!gm; s!^([A-Za-z_]\S*)[ \t]+\*$!$1 *!gm' "$tmp/out.c"
	if ! cmp -s "$f" "$tmp/out.c"; then
		changed=1
		if [ $check = 1 ]; then
			diff -u "$f" "$tmp/out.c" --label "$f" --label "$f (pgindent)" || true
		else
			cat "$tmp/out.c" >"$f"
			echo "pgindent: $f"
		fi
	fi
done
[ $check = 0 ] || [ $changed = 0 ]
