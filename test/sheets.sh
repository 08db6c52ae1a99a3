#!/bin/bash
# test/sheets.sh: the printable sheets (record_sheet_html, publicity_html)
# rendered by headless Chromium, as a branch would print them.  Run as root
# on Debian 12 from anywhere:
#
#     bash test/sheets.sh
#
# Builds pointsys, installs it into a private copy of the server's layout
# (test/private_server.sh: the system's installation is never touched),
# starts a throwaway cluster on it, loads the sample bureau
# (test/data/sample_bureau.sql) and a member whose name is HTML, approves
# and publicizes 2024-Q1 of branch b1, writes both sheets to files with one
# psql call each and prints them to A4 PDF with the command of
# doc/reference.md ("Printing", run as written: as root, the sheet alone)
# and to PNG, with Chromium (Debian's chromium, with fonts-noto-cjk).  It
# checks, with poppler-utils:
#   - the page count and size: the publicity list on one A4 portrait page,
#     the record form (45 member-months) on A4 landscape pages, its header
#     row repeated on every page;
#   - the text: titles, branch, names, figures (two decimals each) and
#     publicity dates (the last day as publicity() gives it) are in the
#     PDF's text, Chinese included (the sheets' font is a CJK one), and
#     nothing of the browser's (no date, title, file path);
#   - escaping: the HTML name is printed as text, not interpreted.
# Fails (non-zero exit) on any of them; the files stay in the work dir
# with KEEP_WORK=1.
#
# Environment: PG_CONFIG, KEEP_WORK=1 (see lib.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/test/lib.sh"
. "$ROOT/test/private_server.sh"

require_root
# file: the PNGs' size (a minimal Debian has no file command)
ensure_packages "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc \
	chromium fonts-noto-cjk poppler-utils file
start_work
copy_tree "$ROOT"

log "build and install into a private copy of the server ($WORK/inst)"
pg_make -s -j"$(nproc)" with_llvm=no >"$WORK/build.log" 2>&1 ||
	{ cat "$WORK/build.log"; die "the build failed"; }
private_install
chown -R "$PG_USER:" "$WORK/tree"

log "throwaway cluster with the sample bureau"
start_private_cluster "$PRIVATE_POSTGRES"
as_pg_client createdb bureau
psql_bureau() {
	as_pg_client env PGCLIENTENCODING=UTF8 psql -X -q -v ON_ERROR_STOP=1 -d bureau "$@"
}
psql_bureau -c 'CREATE EXTENSION pointsys' -f "$WORK/tree/test/data/sample_bureau.sql" >/dev/null
# a name that is HTML, and the quarter approved and publicized (5 days)
psql_bureau >/dev/null <<-'EOF'
	INSERT INTO pointsys.member VALUES ('m99', '<script>alert("x")</script>&amp;', 'b1');
	INSERT INTO pointsys.score (member_id, month, item, points)
	SELECT 'm99', pointsys.quarter_start(2024, 1) + pg_catalog.make_interval(months => m), 'role', 20
	FROM pg_catalog.generate_series(0, 2) m;
	SELECT pointsys.advance('b1', 2024, 1), pointsys.advance('b1', 2024, 1);
EOF
# the publicity period as publicity() gives it (5 days: the fifth is the last)
read -r TODAY LAST DAYS < <(psql_bureau -At -F' ' -c "
	SELECT DISTINCT pg_catalog.to_char(publicity_start, 'YYYY年FMMM月FMDD日'),
		   pg_catalog.to_char(publicity_end, 'YYYY年FMMM月FMDD日'), publicity_end - publicity_start + 1
	FROM pointsys.publicity('b1', 2024, 1)")

log "the sheets, one SQL call each"
OUT=$WORK/sheets
mkdir -p "$OUT"
psql_bureau -At -c "SELECT pointsys.record_sheet_html('b1', 2024, 1)" >"$OUT/record.html"
psql_bureau -At -c "SELECT pointsys.publicity_html('b1', 2024, 1)" >"$OUT/publicity.html"
stop_cluster

# doc/reference.md's printing command, as written (for 公示.html)
PRINT=$(awk '/^<!-- not run: needs Chromium; test\/sheets.sh runs this command/ { m = 1; next }
	m && /^```sh$/ { b = 1; next } b && /^```$/ { exit } b { print }' "$ROOT/doc/reference.md")
grep -q '^chromium .*--print-to-pdf=公示\.pdf 公示\.html$' <<<"$PRINT" ||
	die "no printing command in doc/reference.md (got: $PRINT)"
log "print with doc/reference.md's command: $PRINT"
print_as_documented() {	# print_as_documented NAME: NAME.html to NAME.pdf in $OUT
	cp "$OUT/$1.html" "$OUT/公示.html"
	(cd "$OUT" && HOME="$OUT" timeout 120 bash -c "$PRINT") >>"$OUT/chromium.log" 2>&1 ||
		{ tail -n 20 "$OUT/chromium.log"; die "$PRINT failed"; }
	mv "$OUT/公示.pdf" "$OUT/$1.pdf"
}
chromium_run() {
	# as root Chromium needs --no-sandbox; its profile stays in the work dir
	HOME="$OUT" timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--user-data-dir="$OUT/profile" --no-pdf-header-footer "$@" >>"$OUT/chromium.log" 2>&1 ||
		{ tail -n 20 "$OUT/chromium.log"; die "chromium $* failed"; }
}
for s in record publicity; do
	print_as_documented "$s"
	pdftotext -layout "$OUT/$s.pdf" "$OUT/$s.txt"
done
chromium_run --screenshot="$OUT/publicity.png" --window-size=794,1123 "file://$OUT/publicity.html"
chromium_run --screenshot="$OUT/record.png" --window-size=1123,794 "file://$OUT/record.html"

FAILS=0
check() {	# check WHAT COMMAND...
	local what=$1
	shift
	if "$@"; then
		printf 'ok      %s\n' "$what"
	else
		printf 'FAILED  %s\n' "$what"
		FAILS=$((FAILS + 1))
	fi
}
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
page_size() { pdfinfo "$1" | sed -n 's/^Page size: *//p'; }
has() { grep -qF -- "$2" "$OUT/$1.txt"; }

log "checks"
RP=$(pages "$OUT/record.pdf")
PP=$(pages "$OUT/publicity.pdf")
echo "record form: $RP page(s), $(page_size "$OUT/record.pdf"); publicity: $PP page(s), $(page_size "$OUT/publicity.pdf")"
check "publicity list: one page" [ "$PP" -eq 1 ]
check "publicity list: A4 portrait" grep -q '^594\.96 x 841\.92 pts (A4)$' <<<"$(page_size "$OUT/publicity.pdf")"
check "record form: A4 landscape" grep -q '^841\.92 x 594\.96 pts (A4)$' <<<"$(page_size "$OUT/record.pdf")"
# 45 member-months at about 17 rows a landscape page
check "record form: 2 to 4 pages" test "$RP" -ge 2 -a "$RP" -le 4
on_every_page() {	# on_every_page REGEX: in the record form's every page
	local p text
	for p in $(seq 1 "$RP"); do
		text=$(pdftotext -f "$p" -l "$p" -layout "$OUT/record.pdf" -)
		grep -qE -- "$1" <<<"$text" || return 1
	done
}
check "record form: the header row on every page" on_every_page '姓名 +月份'
check "record form: the signatures on every page" on_every_page '记录员（签字）'
check "record form: member-months on every page" on_every_page ' [123]月 '
check "record form: title, branch and quarter" has record 党员积分管理记录表
check "record form: branch and quarter" has record '支部：机关第一党支部'
check "record form: quarter" has record '2024年第1季度'
check "record form: 张伟's January (100.00, reward 10.00)" grep -qE '张伟 +1月 +4\.00 .* 20\.00 +10\.00 +100\.00$' "$OUT/record.txt"
check "record form: every member-month (45 rows)" [ "$(grep -cE ' [123]月 ' "$OUT/record.txt")" -eq 45 ]
check "publicity: title" has publicity '机关第一党支部2024年第1季度党员积分公示'
check "publicity: 5 days of publicity stamped" [ "$DAYS" = 5 ]
check "publicity: the publicity dates" has publicity "公示期：${TODAY}至${LAST}"
check "publicity: rank 1 张伟 with 93.33" grep -qE '^ *1 +张伟 +100\.00 +90\.00 +90\.00 +93\.33$' "$OUT/publicity.txt"
check "publicity: a shared rank (周婷, 田野: 2)" [ "$(grep -cE '^ *2 +(周婷|田野) ' "$OUT/publicity.txt")" -eq 2 ]
check "publicity: the months" has publicity '1月'
# one number format: every figure with two decimals (the rank is a count)
check "record form: every figure with two decimals" \
	[ -z "$(grep -E ' [123]月 ' "$OUT/record.txt" | grep -oE '[0-9.]+' | grep -vE '^[0-9]+\.[0-9]{2}$|^[123]$')" ]
check "publicity: every figure with two decimals" \
	[ -z "$(grep -E '^ *[0-9]+ +\S+ +[0-9]' "$OUT/publicity.txt" | awk '{ $1 = ""; $2 = ""; print }' | grep -oE '[0-9.]+' | grep -vE '^[0-9]+\.[0-9]{2}$')" ]
# the sheet alone: none of the browser's header and footer
for s in record publicity; do
	check "$s: no browser header or footer" \
		[ -z "$(grep -E 'file:|公示\.html|[0-9]+/[0-9]+/[0-9]+|[0-9]+/[0-9]+ *$' "$OUT/$s.txt")" ]
done
check "escaping: the HTML name printed as text (record form)" has record '<script>alert("x")</script>&amp;'
check "escaping: the HTML name printed as text (publicity)" has publicity '<script>alert("x")</script>&amp;'
# Chromium embeds its glyphs as Type 3 fonts without names: check that the
# sheet's first font family is an installed CJK font, and that fonts are embedded
check "the sheets' font is a CJK font" grep -qi 'CJK' <<<"$(fc-match 'Noto Sans CJK SC')"
check "fonts embedded in the PDFs" [ "$(pdffonts "$OUT/record.pdf" | awk 'NR > 2 && $(NF-4) == "yes"' | wc -l)" -gt 0 ]
check "PNG of the publicity list" grep -q 'PNG image data, 794 x 1123' <<<"$(file "$OUT/publicity.png")"
check "PNG of the record form" grep -q 'PNG image data, 1123 x 794' <<<"$(file "$OUT/record.png")"

if [ "$FAILS" -gt 0 ]; then
	show_file "$OUT/record.txt"
	show_file "$OUT/publicity.txt"
	echo "$FAILS check(s) failed"
	exit 1
fi
echo "all checks passed"
