#!/bin/bash
# test/sheets.sh: the printable sheets (record_sheet_html, publicity_html,
# and the democratic appraisal's appraisal_ballot_html and
# appraisal_results_html) rendered by headless Chromium, as a branch would
# print them.  Run as root on Debian 12 from anywhere:
#
#     bash test/sheets.sh
#
# Builds pointsys, installs it into a private copy of the server's layout
# (test/private_server.sh: the system's installation is never touched),
# starts a throwaway cluster on it, loads the sample bureau
# (test/data/sample_bureau.sql) and a member whose name is HTML, approves
# and publicizes 2024-Q1 of branch b1, opens b1's appraisal round of 2024
# (paper ballots: the 测评票 is printed then), enters the tellers' count,
# closes and publicizes it, writes the four sheets to files with one psql
# call each and prints them to A4 PDF with the command of
# doc/reference.md ("Printing", run as written: as root, the sheet alone)
# and to PNG, with Chromium (Debian's chromium, with fonts-noto-cjk).  It
# checks, with poppler-utils:
#   - the page count and size: the publicity list, the 测评票 and the
#     appraisal results each on one A4 portrait page, the record form (45
#     member-months) on A4 landscape pages, its header row repeated on
#     every page;
#   - the text: titles, branch, names, figures (two decimals each) and
#     publicity dates (the last day as publicity() gives it) are in the
#     PDF's text, Chinese included (the sheets' font is a CJK one), and
#     nothing of the browser's (no date, title, file path); the 测评票's
#     members, four labels and rule for marks, and no place for a voter's
#     name; the results' counts, scores, ballots, weights and quorum;
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
	-- 民主评议 b1's paper round of 2024: 16 ballots issued
	INSERT INTO pointsys.appraisal_round (branch_id, year, ballots_issued) VALUES ('b1', 2024, 16);
EOF
# the publicity period as publicity() gives it (5 days: the fifth is the last)
read -r TODAY LAST DAYS < <(psql_bureau -At -F' ' -c "
	SELECT DISTINCT pg_catalog.to_char(publicity_start, 'YYYY年FMMM月FMDD日'),
		   pg_catalog.to_char(publicity_end, 'YYYY年FMMM月FMDD日'), publicity_end - publicity_start + 1
	FROM pointsys.publicity('b1', 2024, 1)")

log "the sheets, one SQL call each"
OUT=$WORK/sheets
mkdir -p "$OUT"
# the 测评票 as the round opens; then the tellers count 15 ballots returned
# (张伟: 12 优秀, 2 合格, 1 基本合格: 1420 / 15 = 94.67), the round closes and
# is publicized (5 days, as the quarter)
psql_bureau -At -c "SELECT pointsys.appraisal_ballot_html('b1', 2024)" >"$OUT/ballot.html"
psql_bureau >/dev/null <<-'EOF'
	INSERT INTO pointsys.appraisal_tally (branch_id, year, member_id, excellent, qualified, basically_qualified,
										  unqualified, spoilt)
	SELECT 'b1', 2024, a.m, CASE a.m WHEN 'm01' THEN 12 ELSE 10 - a.n % 4 END,
		   CASE a.m WHEN 'm01' THEN 2 ELSE 3 + a.n % 4 END, 1, 0, CASE a.m WHEN 'm01' THEN 0 ELSE a.n % 2 END
	FROM pg_catalog.unnest(pointsys.appraisal_members('b1', 2024)) WITH ORDINALITY AS a(m, n);
	UPDATE pointsys.appraisal_round SET ballots_returned = 15, status = 'closed' WHERE branch_id = 'b1' AND year = 2024;
	UPDATE pointsys.appraisal_round SET status = 'publicized' WHERE branch_id = 'b1' AND year = 2024;
EOF
APPRAISED=$(psql_bureau -At -c "SELECT pg_catalog.cardinality(pointsys.appraisal_members('b1', 2024))")
psql_bureau -At -c "SELECT pointsys.appraisal_results_html('b1', 2024)" >"$OUT/results.html"
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
for s in record publicity ballot results; do
	print_as_documented "$s"
	pdftotext -layout "$OUT/$s.pdf" "$OUT/$s.txt"
done
chromium_run --screenshot="$OUT/publicity.png" --window-size=794,1123 "file://$OUT/publicity.html"
chromium_run --screenshot="$OUT/record.png" --window-size=1123,794 "file://$OUT/record.html"
chromium_run --screenshot="$OUT/ballot.png" --window-size=794,1123 "file://$OUT/ballot.html"
chromium_run --screenshot="$OUT/results.png" --window-size=794,1123 "file://$OUT/results.html"

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
# 民主评议: the 测评票 and the results, one A4 portrait page each
for s in ballot results; do
	check "$s: one page" [ "$(pages "$OUT/$s.pdf")" -eq 1 ]
	check "$s: A4 portrait" grep -q '^594\.96 x 841\.92 pts (A4)$' <<<"$(page_size "$OUT/$s.pdf")"
	check "$s: a row per member appraised ($APPRAISED, the HTML name's m99 among them)" \
		[ "$(grep -cE '^ *[0-9]+ +[^ 0-9]' "$OUT/$s.txt")" -eq "$APPRAISED" ]
done
check "ballot: title" has ballot '2024年度党员民主评议测评票'
check "ballot: branch, anonymous" grep -qE '支部：机关第一党支部 +（本票不记名）' "$OUT/ballot.txt"
check "ballot: the four labels" grep -qE '序号 +姓名 +优秀 +合格 +基本合格 +不合格' "$OUT/ballot.txt"
check "ballot: the rule for marks" has ballot '2. 对同一名党员划两个及以上“√”的，该党员的这一票为废票'
check "ballot: 张伟 on it, first" grep -qE '^ *1 +张伟 *$' "$OUT/ballot.txt"
check "ballot: no place for the voter's name" [ -z "$(grep -E '投票人|签名|签字' "$OUT/ballot.txt")" ]
check "results: title" has results '机关第一党支部2024年度党员民主评议结果公示'
check "results: the publicity dates" has results "公示期：${TODAY}至${LAST}"
check "results: ballots and quorum" has results '纸质测评票：发出16张，收回15张。每名党员的有效票须超过发出票数的50%。'
check "results: the weights" has results '优秀100分，合格80分，基本合格60分，不合格0分'
check "results: 张伟 12/2/1/0, 0 spoilt, 15 valid, 94.67" grep -qE '^ *1 +张伟 +12 +2 +1 +0 +0 +15 +94\.67$' "$OUT/results.txt"
check "results: every score with two decimals" \
	[ -z "$(grep -E '^ *[0-9]+ +[^ 0-9]' "$OUT/results.txt" | awk '{ print $NF }' | grep -vE '^[0-9]+\.[0-9]{2}$')" ]
check "results: the tellers' signatures" has results '计票人（签字）'
# the sheet alone: none of the browser's header and footer
for s in record publicity ballot results; do
	check "$s: no browser header or footer" \
		[ -z "$(grep -E 'file:|公示\.html|[0-9]+/[0-9]+/[0-9]+|[0-9]+/[0-9]+ *$' "$OUT/$s.txt")" ]
done
check "escaping: the HTML name printed as text (record form)" has record '<script>alert("x")</script>&amp;'
check "escaping: the HTML name printed as text (publicity)" has publicity '<script>alert("x")</script>&amp;'
check "escaping: the HTML name printed as text (ballot)" has ballot '<script>alert("x")</script>&amp;'
check "escaping: the HTML name printed as text (results)" has results '<script>alert("x")</script>&amp;'
# Chromium embeds its glyphs as Type 3 fonts without names: check that the
# sheet's first font family is an installed CJK font, and that fonts are embedded
check "the sheets' font is a CJK font" grep -qi 'CJK' <<<"$(fc-match 'Noto Sans CJK SC')"
check "fonts embedded in the PDFs" [ "$(pdffonts "$OUT/record.pdf" | awk 'NR > 2 && $(NF-4) == "yes"' | wc -l)" -gt 0 ]
check "PNG of the publicity list" grep -q 'PNG image data, 794 x 1123' <<<"$(file "$OUT/publicity.png")"
check "PNG of the record form" grep -q 'PNG image data, 1123 x 794' <<<"$(file "$OUT/record.png")"
check "PNG of the 测评票" grep -q 'PNG image data, 794 x 1123' <<<"$(file "$OUT/ballot.png")"
check "PNG of the appraisal results" grep -q 'PNG image data, 794 x 1123' <<<"$(file "$OUT/results.png")"

if [ "$FAILS" -gt 0 ]; then
	show_file "$OUT/record.txt"
	show_file "$OUT/publicity.txt"
	show_file "$OUT/ballot.txt"
	show_file "$OUT/results.txt"
	echo "$FAILS check(s) failed"
	exit 1
fi
echo "all checks passed"
