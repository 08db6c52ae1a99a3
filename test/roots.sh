# test/roots.sh: Debian roots for the tests, entered with chroot; sourced by
# test/versions.sh and test/package.sh (source it, don't run it).
#
# A caller mounts what a root needs for a run with mount_root DIR, runs
# commands inside with in_root DIR COMMAND..., and unmounts everything it
# mounted with unmount_all (call it from the caller's EXIT trap too).

# The Debian mirror apt uses here: the first deb URI of sources.list,
# sources.list.d/*.list or sources.list.d/*.sources that is not the
# security archive
apt_mirror() {
	local uri
	uri=$({
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }'
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }'
	} | grep -E '/debian/?$' | grep -v security | head -n 1 || true)
	echo "${uri:-}"
}

# --- mounts, always undone on exit -----------------------------------------

MOUNTED=()

mount_root() {
	local dir=$1
	mount -t proc proc "$dir/proc"
	MOUNTED=("$dir/proc" "${MOUNTED[@]}")
	# /dev with its submounts (/dev/pts, /dev/shm: the server's dynamic
	# shared memory), as a slave so that nothing propagates back
	mount --rbind /dev "$dir/dev"
	mount --make-rslave "$dir/dev"
	MOUNTED=("$dir/dev" "${MOUNTED[@]}")
}

unmount_all() {
	local m
	for m in "${MOUNTED[@]}"; do
		umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null ||
			echo "roots.sh: could not unmount $m" >&2
	done
	MOUNTED=()
}

# in_root DIR COMMAND...: run a command inside the root, clean environment
in_root() {
	local dir=$1
	shift
	chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive "$@"
}
