#!/bin/sh
# build-initramfs.sh: the initramfs stage.
#
# Usage: rootfs/build-initramfs.sh [--guest-bin FILE]... [--command CMD | --shell]
#                                  OUT.cpio.gz SELFTEST_BINARY [SELFTEST_ARG...]
#
# Writes the boot-test initramfs: static busybox, rootfs/init and the
# selftest binary, with the SELFTEST_ARGs in /etc/irqfd-selftest.args, one
# per line (/init passes them on exactly, never split or globbed again).
# --guest-bin FILE: one more static program, as /bin/$(basename FILE)
# (a dynamically linked one is refused: the guest has no libraries).
# --command CMD: /init runs CMD (a shell script) instead of the selftest.
# --shell: /init starts an interactive shell on the console instead.
# Reproducible: sorted entries, owner 0:0, fixed mtimes, gzip -n; the same
# inputs give the same bytes. Built in a temp dir beside OUT, then renamed:
# a reader sees the old image or the whole new one, and the temp dir of a
# killed run is removed by the next one.
set -eu

usage() {
	echo "usage: $0 [--guest-bin FILE]... [--command CMD | --shell] OUT.cpio.gz SELFTEST_BINARY [SELFTEST_ARG...]" >&2
	exit 2
}
NL='
'
guest_bins= command= shell=0 has_command=0
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) sed -n '2,/^set -eu$/{/^set -eu$/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	--guest-bin) [ $# -ge 2 ] || usage; guest_bins=${guest_bins:+$guest_bins$NL}$2; shift 2 ;;
	--command) [ $# -ge 2 ] || usage; command=$2; has_command=1; shift 2 ;;
	--shell) shell=1; shift ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
[ "$shell" = 0 ] || [ "$has_command" = 0 ] || { echo "build-initramfs: --command and --shell exclude each other" >&2; exit 2; }
out=$1
selftest=$2
shift 2
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
set -f
IFS=$NL
for b in $guest_bins; do
	[ -f "$b" ] && [ -x "$b" ] || { echo "build-initramfs: GUEST_BINS: $b is not an executable file" >&2; exit 1; }
	case $(LC_ALL=C file -L "$b") in
	*dynamically*)
		echo "build-initramfs: GUEST_BINS: $b is dynamically linked, and the guest has no shared libraries: link it with -static" >&2
		exit 1
		;;
	*ELF*) ;;
	*) echo "build-initramfs: GUEST_BINS: $b is not an ELF program: $(LC_ALL=C file -b -L "$b")" >&2; exit 1 ;;
	esac
done
unset IFS
set +f
for a in "$@"; do
	case $a in *'
'*) echo "build-initramfs: a selftest argument holds a newline: '$a'" >&2; exit 1 ;; esac
done

outdir=$(dirname -- "$out")
mkdir -p "$outdir"
# Temp dirs are named after the pid that made them: one whose maker is gone
# was left by a killed run (they are about 90 MB each).
for old in "$outdir"/.initramfs.tmp.*; do
	[ -d "$old" ] || continue
	p=${old##*/.initramfs.tmp.}
	p=${p%%.*}
	kill -0 "$p" 2>/dev/null || { rm -rf "$old"; echo "build-initramfs: removed $old, left by a killed run"; }
done
# Everything the image is made of, hashed: when OUT was made from the same,
# its bytes would be the same again (the build is reproducible), so it is
# kept. OUT.inputs is removed before OUT is replaced and written after.
inputs=$({
	for f in "$0" "$here/init" "$busybox" "$selftest"; do sha256sum <"$f"; done
	set -f
	IFS=$NL
	for b in $guest_bins; do printf '%s\0' "$(basename -- "$b")"; sha256sum <"$b"; done
	unset IFS
	set +f
	printf '%s\0' "$has_command" "$command" "$shell" "$@"
} | sha256sum | cut -c1-64)
if [ -f "$out" ] && [ "$(cat "$out.inputs" 2>/dev/null)" = "$inputs" ]; then
	echo "build-initramfs: $out is up to date (same init, busybox, selftest, programs and arguments)"
	exit 0
fi
rm -f "$out.inputs"
tmp=$(mktemp -d "$outdir/.initramfs.tmp.$$.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
root=$tmp/root
mkdir -p "$root/bin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$selftest" "$root/bin/irqfd_selftest"
cp "$here/init" "$root/init"
set -f
IFS=$NL
for b in $guest_bins; do
	cp "$b" "$root/bin/$(basename -- "$b")"
	chmod 0755 "$root/bin/$(basename -- "$b")"
done
unset IFS
set +f
# busybox's applets as links in /bin, made here rather than by
# `busybox --install` in /init: 270 symlinks made under TCG with lockdep
# cost the guest about 0.4 s on every boot. A program already in /bin (the
# selftest, a --guest-bin) keeps its name, as --install would leave it.
# Not init and sh: when the kernel cannot run /init (a wrong rdinit=, a
# broken image) it falls back to /bin/init and then /bin/sh, and busybox
# init would then sit on the console until the timeout instead of the
# panic that names the problem at once. /init links /bin/sh itself.
for a in $("$busybox" --list); do
	case $a in init | sh) continue ;; esac
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
[ "$has_command" = 0 ] || printf '%s\n' "$command" >"$root/etc/irqfd-rig.command"
[ "$shell" = 0 ] || : >"$root/etc/irqfd-rig.shell"
: >"$root/etc/irqfd-selftest.args"
[ $# -eq 0 ] || printf '%s\n' "$@" >"$root/etc/irqfd-selftest.args"
chmod 0755 "$root/init" "$root/bin/busybox" "$root/bin/irqfd_selftest"
chmod 0644 "$root/etc/irqfd-selftest.args"
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -9 >"$tmp/initramfs.cpio.gz"
mv "$tmp/initramfs.cpio.gz" "$out"
echo "$inputs" >"$tmp/inputs" && mv "$tmp/inputs" "$out.inputs"
echo "build-initramfs: wrote $out ($(du -h "$out" | cut -f1), sha256 $(sha256sum "$out" | cut -c1-16))"
