#!/bin/bash
# test/version_check.sh [--release]: the version is written once, in
# pointsys.control's default_version; everything else that names the
# current version must agree with it.  Runs anywhere (no root, no server);
# test/check.sh runs it as a step.
#
# Checks, against V = default_version:
#   - META.json: "version" (twice) is V.0, and the provided file is
#     pointsys--V.sql;
#   - debian/changelog: the top entry is version V;
#   - CHANGELOG.md: the first "## " heading is "## V (YYYY-MM-DD)", dated
#     as the top debian/changelog entry, or, while the release is being
#     made, "## V (unreleased)", and then that entry's distribution is
#     UNRELEASED (as `dch -v V` writes it; `dch -r` releases it);
#   - README.md and doc/*.md: every package file name
#     (postgresql-NN-pointsys_X_arch.deb), release tarball
#     (pointsys-X.tar.gz) and "current release is X" names V.
# With --release (doc/releasing.md), CHANGELOG.md's heading must be dated.
# Prints one line per failed check and exits non-zero on any.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
RELEASE=0
[ "${1:-}" = --release ] && RELEASE=1

BAD=0
fail() {
	printf 'version_check: %s\n' "$*" >&2
	BAD=1
}

V=$(sed -n "s/^default_version = '\([^']*\)'.*/\1/p" pointsys.control)
[[ $V =~ ^[0-9]+\.[0-9]+$ ]] || { fail "pointsys.control: no default_version = 'X.Y'"; exit 1; }

# META.json
mapfile -t meta_versions < <(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' META.json | grep -v '^1\.0\.0$')
[ ${#meta_versions[@]} -eq 2 ] || fail "META.json: expected 2 \"version\" fields besides meta-spec's, found ${#meta_versions[@]}"
for mv in "${meta_versions[@]}"; do
	[ "$mv" = "$V.0" ] || fail "META.json: \"version\": \"$mv\", pointsys.control says $V (write $V.0)"
done
grep -q "\"file\": \"pointsys--$V.sql\"" META.json ||
	fail "META.json: \"file\" is not \"pointsys--$V.sql\""

# debian/changelog
deb_version=$(sed -n '1s/^pointsys (\([^)]*\)).*/\1/p' debian/changelog)
[ "$deb_version" = "$V" ] ||
	fail "debian/changelog: the top entry is \"$deb_version\", pointsys.control says $V (dch -v $V)"
deb_dist=$(sed -n '1s/^pointsys ([^)]*) \([^;]*\);.*/\1/p' debian/changelog)
deb_date=$(sed -n '0,/^ -- /s/^ -- .*>  \(.*\)$/\1/p' debian/changelog)
[ "$RELEASE" = 0 ] || [ "$deb_dist" != UNRELEASED ] ||
	fail "debian/changelog: the top entry is UNRELEASED (dch -r)"

# CHANGELOG.md
heading=$(grep -m 1 '^## ' CHANGELOG.md)
if [[ $heading =~ ^##\ ([0-9.]+)\ \((unreleased|[0-9]{4}-[0-9]{2}-[0-9]{2})\)$ ]]; then
	[ "${BASH_REMATCH[1]}" = "$V" ] ||
		fail "CHANGELOG.md: the latest heading is for ${BASH_REMATCH[1]}, pointsys.control says $V"
	when=${BASH_REMATCH[2]}
	if [ "$when" = unreleased ]; then
		[ "$RELEASE" = 0 ] || fail "CHANGELOG.md: \"$heading\": a release is dated"
		[ "$deb_dist" = UNRELEASED ] ||
			fail "CHANGELOG.md: \"$heading\", but debian/changelog's top entry is released ($deb_dist): date the heading"
	else
		[ "$deb_dist" != UNRELEASED ] ||
			fail "CHANGELOG.md: \"$heading\" is dated, but debian/changelog's top entry is UNRELEASED"
		deb_day=$(date -u -d "$deb_date" +%F 2>/dev/null)
		[ "$deb_day" = "$when" ] ||
			fail "CHANGELOG.md: \"$heading\", but debian/changelog's top entry is dated $deb_day"
	fi
else
	fail "CHANGELOG.md: the latest heading \"$heading\" is not \"## $V (YYYY-MM-DD)\" or \"## $V (unreleased)\""
fi

# the documents: package file names, tarballs, "the current release"
for doc in README.md doc/*.md; do
	[ -f "$doc" ] || continue
	while IFS=: read -r line name; do
		fail "$doc:$line: $name names another version than $V"
	done < <(grep -noE 'postgresql-[0-9]+-pointsys_[0-9][0-9.]*[0-9]|pointsys-[0-9]+\.[0-9]+[0-9.]*\.tar\.gz|current release is [0-9]+\.[0-9]+' "$doc" |
		grep -vE "pointsys_${V//./\\.}$|pointsys-${V//./\\.}\.tar\.gz$|current release is ${V//./\\.}$")
done

[ "$BAD" = 0 ] && echo "version_check: $V everywhere"
exit "$BAD"
