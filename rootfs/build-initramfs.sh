#!/bin/sh
# build-initramfs.sh OUT.cpio.gz SELFTEST_BINARY [SELFTEST_ARGS]
#
# Writes the boot-test initramfs: static busybox, rootfs/init and the
# selftest binary, with SELFTEST_ARGS in /etc/irqfd-selftest.args.
# Reproducible: sorted entries, owner 0:0, fixed mtimes, gzip -n; the same
# inputs give the same bytes. Written to a temp file, then renamed.
set -eu

[ $# -ge 2 ] && [ $# -le 3 ] || {
	echo "usage: $0 OUT.cpio.gz SELFTEST_BINARY [SELFTEST_ARGS]" >&2
	exit 2
}
out=$1
selftest=$2
args=${3:-}
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
busybox=${BUSYBOX:-/bin/busybox}

[ -x "$selftest" ] || { echo "build-initramfs: no selftest binary at $selftest" >&2; exit 1; }
[ -x "$busybox" ] || {
	echo "build-initramfs: $busybox not found (apt-get install busybox-static, or make deps)" >&2
	exit 1
}
case $(LC_ALL=C file -L "$busybox" "$selftest") in
*dynamically*)
	echo "build-initramfs: $busybox and $selftest must be statically linked" >&2
	exit 1
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
trap 'rm -rf "$tmp" "$out.tmp.$$"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
root=$tmp/root
mkdir -p "$root/bin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$selftest" "$root/bin/irqfd_selftest"
cp "$here/init" "$root/init"
printf '%s\n' "$args" >"$root/etc/irqfd-selftest.args"
chmod 0755 "$root/init" "$root/bin/busybox" "$root/bin/irqfd_selftest"
chmod 0644 "$root/etc/irqfd-selftest.args"
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -9 >"$tmp/initramfs.cpio.gz"
mkdir -p "$(dirname -- "$out")"
mv "$tmp/initramfs.cpio.gz" "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "build-initramfs: wrote $out ($(du -h "$out" | cut -f1), sha256 $(sha256sum "$out" | cut -c1-16))"
