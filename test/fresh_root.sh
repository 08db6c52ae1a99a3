#!/bin/bash
# test/fresh_root.sh [demo] [check]: README's two commands on a brand-new
# Debian 12, as root.  Run as root on Debian 12, before each release and
# whenever the suite's set-up changes (not in CI: it takes the time of the
# whole suite):
#
#     bash test/fresh_root.sh            # both commands
#     bash test/fresh_root.sh demo       # only `bash test/demo.sh`
#
# Makes a new root with `debootstrap --variant=minbase bookworm` (nothing
# but Debian's essential packages and apt) under $FRESH_ROOT, from the
# mirror apt uses on this machine, copies this clone into it (/root/pointsys:
# a git clone of it, with the uncommitted changes on top), and runs there,
# through chroot as root, exactly the commands at the top of README.md
# (read from it), with nothing installed by hand: whatever a command needs,
# the suite must install itself.  /proc and /dev are mounted for the run and
# unmounted on exit.  Prints each command's output (kept in
# $FRESH_ROOT.logs/) and one line per command, "pass" or "FAIL", and exits
# non-zero if any failed.  The root is removed at the start of the next run
# (KEEP_ROOT=0 removes it at the end).
#
# The only change made to the root before the commands is policy-rc.d,
# which keeps services from starting inside a chroot (as in every Debian
# build root): the suite runs its own throwaway clusters.
#
# Environment:
#   FRESH_ROOT     where the root is made (/var/tmp/pointsys-fresh/bookworm)
#   DEBIAN_MIRROR  the mirror for debootstrap (default: the one apt uses)
#   CHECK_ALL, CHECK_VALGRIND, FUZZ_SECONDS, FUZZ_SQL_INPUTS, SOAK_SECONDS:
#                  passed to the commands (see test/check.sh), e.g.
#                  CHECK_ALL=0 CHECK_VALGRIND=0 FUZZ_SQL_INPUTS=20000 SOAK_SECONDS=5
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
FRESH_ROOT=${FRESH_ROOT:-/var/tmp/pointsys-fresh/bookworm}
LOGS=$FRESH_ROOT.logs

log() { printf '\n##### %s\n' "$*"; }
die() { printf 'fresh_root.sh: %s\n' "$*" >&2; exit 2; }
. "$HERE/roots.sh"

[ "$(id -u)" -eq 0 ] || die "run as root: it makes and enters a chroot"
case $FRESH_ROOT in "$SRC"/*) die "FRESH_ROOT must be outside the clone" ;; esac

WHICH=("$@")
[ ${#WHICH[@]} -gt 0 ] || WHICH=(demo check)
for w in "${WHICH[@]}"; do
	case $w in demo | check) ;; *) die "usage: $0 [demo] [check]" ;; esac
done

# README's two commands: the first fenced block after its title
mapfile -t COMMANDS < <(awk '/^```/ { if (inb) exit; if (seen) inb = 1; next }
	/^# / { seen = 1 } inb && NF' "$SRC/README.md")
[ ${#COMMANDS[@]} -eq 2 ] || die "README.md: expected two commands under the title, found ${#COMMANDS[@]}"

cleanup() {
	local rc=$?
	unmount_all
	[ "${KEEP_ROOT:-1}" = 1 ] || rm -rf "$FRESH_ROOT"
	return $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- a brand-new root ---------------------------------------------------------
grep -q " $FRESH_ROOT/" /proc/mounts && die "$FRESH_ROOT has something mounted in it; unmount it first"
rm -rf "$FRESH_ROOT" "$LOGS"
mkdir -p "$(dirname "$FRESH_ROOT")" "$LOGS"
command -v debootstrap >/dev/null ||
	apt-get -o DPkg::Lock::Timeout=300 install -y -qq debootstrap >/dev/null ||
	die "cannot install debootstrap"
MIRROR=${DEBIAN_MIRROR:-$(apt_mirror)}
[ -n "$MIRROR" ] || die "no Debian mirror in this machine's apt sources; set DEBIAN_MIRROR"
log "debootstrap --variant=minbase bookworm $FRESH_ROOT"
debootstrap --variant=minbase bookworm "$FRESH_ROOT" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1 ||
	{ tail -n 30 "$LOGS/debootstrap.log"; die "debootstrap failed"; }
cp /etc/resolv.conf "$FRESH_ROOT/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$FRESH_ROOT/usr/sbin/policy-rc.d"
chmod 755 "$FRESH_ROOT/usr/sbin/policy-rc.d"

# --- the clone ------------------------------------------------------------------
log "copy the clone to $FRESH_ROOT/root/pointsys"
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	git clone -q --no-hardlinks "$SRC" "$FRESH_ROOT/root/pointsys"
	# the uncommitted changes and new files (not ignored) on top
	(cd "$SRC" && git ls-files -z --modified --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -C "$FRESH_ROOT/root/pointsys" -xf -
	(cd "$SRC" && git ls-files -z --deleted) | (cd "$FRESH_ROOT/root/pointsys" && xargs -0 -r rm -f)
else
	mkdir -p "$FRESH_ROOT/root/pointsys"
	tar -C "$SRC" -cf - --exclude='*.o' --exclude='*.so' . | tar -C "$FRESH_ROOT/root/pointsys" -xf -
fi

# --- the commands -------------------------------------------------------------
mount_root "$FRESH_ROOT"
RESULTS=()
FAILED=0
for w in "${WHICH[@]}"; do
	case $w in demo) cmd=${COMMANDS[0]} ;; check) cmd=${COMMANDS[1]} ;; esac
	log "in the root, as root, in /root/pointsys: $cmd"
	start=$SECONDS
	if in_root "$FRESH_ROOT" env \
		${CHECK_ALL:+CHECK_ALL=$CHECK_ALL} ${CHECK_VALGRIND:+CHECK_VALGRIND=$CHECK_VALGRIND} \
		${FUZZ_SECONDS:+FUZZ_SECONDS=$FUZZ_SECONDS} ${FUZZ_SQL_INPUTS:+FUZZ_SQL_INPUTS=$FUZZ_SQL_INPUTS} \
		${SOAK_SECONDS:+SOAK_SECONDS=$SOAK_SECONDS} \
		bash -c "cd /root/pointsys && $cmd" 2>&1 | tee "$LOGS/$w.log"; then
		RESULTS+=("pass  $cmd ($((SECONDS - start)) s)")
	else
		RESULTS+=("FAIL  $cmd ($((SECONDS - start)) s, log: $LOGS/$w.log)")
		FAILED=1
	fi
done
unmount_all

log "a brand-new Debian 12 (debootstrap --variant=minbase bookworm)"
printf '%s\n' "${RESULTS[@]}"
exit "$FAILED"
