#!/bin/sh
# build-kernel.sh: build BUILD_DIR's bzImage from the kernel tree with Kbuild
# (O=BUILD_DIR, -j$(nproc), CC="ccache gcc", ccache in the rig cache).
# BUILD_DIR/.config must exist (scripts/kernel/make-config.sh). Kbuild is
# incremental; a second run with nothing changed rebuilds nothing and says so.
# Full output goes to BUILD_DIR/build.log; a progress line is printed every
# so often, and errors as they happen.
#
# A build that has nothing to do still costs Kbuild about 20 s on 2 cores
# (every dependency file is read and every rule checked). After a good
# build, BUILD_DIR/.irqfd-rig-build.stamp records what it was made from:
# the source tree's path, its commit's tree and that it had no changes,
# the .config's hash, the compiler and its version, the linker's version
# and the bzImage's hash. When all of these are the same the next time, make is not run at
# all. The stamp is removed before make starts, so a build that fails or
# is interrupted never leaves one; delete it (or set IRQFD_RIG_REBUILD=1)
# to run make anyway.
#
# Usage: scripts/kernel/build-kernel.sh BUILD_DIR
# Env:   IRQFD_RIG_KERNEL_SRC, IRQFD_RIG_CC, JOBS (default nproc), V=1 (all output)
set -eu
. "$(dirname -- "$0")/lib.sh"

help_if_asked "$@"
[ $# -eq 1 ] || die "usage: $PROG BUILD_DIR"
BUILD=${1%/}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
need_tree
[ -f "$BUILD/.config" ] || die "no $BUILD/.config: run scripts/kernel/make-config.sh $BUILD first"
JOBS=${JOBS:-$(nproc)}
mkdir -p "$CCACHE_DIR"

lock_build_dir "$BUILD"

IMG=$BUILD/arch/x86/boot/bzImage
LOG=$BUILD/build.log
STEPS_FILE=$BUILD/.irqfd-rig-build.steps	# line count of the last full build, for a rough %
before=$( [ -f "$IMG" ] && sha256sum "$IMG" | cut -d' ' -f1 || echo none)
expect=$(cat "$STEPS_FILE" 2>/dev/null || echo 0)
STAMP=$BUILD/.irqfd-rig-build.stamp

# What this build dir would be made from now; nothing when the tree has
# changes git does not know as a commit (then only make can tell).
build_inputs() {
	tree=$(git -C "$KSRC" rev-parse -q --verify 'HEAD^{tree}' 2>/dev/null) || return 0
	[ -z "$(git -C "$KSRC" status --porcelain --untracked-files=no 2>/dev/null)" ] || return 0
	printf 'source %s\ntree %s\nconfig %s\ncc %s\ncc_version %s\nld_version %s\nbzImage %s\n' \
		"$KSRC" "$tree" "$(sha256sum <"$BUILD/.config" | cut -d' ' -f1)" "$RIG_CC" \
		"$(${RIG_CC#ccache } --version 2>/dev/null | head -n 1)" \
		"$(ld --version 2>/dev/null | head -n 1)" "$before"
}
inputs=$(build_inputs)
if [ "${IRQFD_RIG_REBUILD:-0}" != 1 ] && [ "$before" != none ] && [ -n "$inputs" ] &&
	[ "$inputs" = "$(cat "$STAMP" 2>/dev/null)" ]; then
	phase_begin build
	phase_end
	say "bzImage up to date: same tree ($(printf '%s\n' "$inputs" | awk '$1 == "tree" {print substr($2, 1, 12)}')), .config and compiler as its last build ($STAMP); make not run"
	say "bzImage: $IMG ($(du -h "$IMG" | cut -f1))"
	exit 0
fi
rm -f "$STAMP"
ccache -z >/dev/null 2>&1 || true

say "building $IMG from $KSRC with -j$JOBS CC=\"$RIG_CC\" (log: $LOG)"
phase_begin build
# Bookkeeping lives outside BUILD: on a full disk it must still be written.
STATE=$(mktemp -d "${TMPDIR:-/tmp}/build-kernel.XXXXXX")
trap 'rm -rf "$STATE"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# Its output may go to a pipe whose reader is gone (a watchdog stops every
# process of the run at once): exit through the EXIT trap, not by SIGPIPE.
trap 'exit 141' PIPE
RCF=$STATE/rc
{
	rc=0
	make -C "$KSRC" O="$BUILD" -j"$JOBS" CC="$RIG_CC" bzImage 2>&1 || rc=$?
	echo "$rc" >"$RCF"
} | tee "$LOG" | {
	# A progress line every 30 s and at the link steps; errors as they come.
	n=0 t0=$(date +%s) last=0
	while IFS= read -r line; do
		n=$((n + 1))
		if [ "${V:-0}" = 1 ]; then printf '%s\n' "$line"; continue; fi
		case $line in
		*error:* | *"Error "[0-9]* | *'***'*) printf '%s\n' "$line"; continue ;;
		esac
		e=$(( $(date +%s) - t0 ))
		case $line in
		*" LD "*vmlinux | *" BUILD "*bzImage) ;;
		*) [ $((e - last)) -ge 30 ] || continue ;;
		esac
		last=$e
		pct=
		[ "$expect" -gt 0 ] && [ "$n" -lt "$expect" ] && pct=" ~$((100 * n / expect))%"
		printf '%s: [%3dm%02ds] %5d steps%s %s\n' "$PROG" $((e / 60)) $((e % 60)) "$n" "$pct" "$line"
	done
	echo "$n" >"$STATE/count"
}
rc=$(cat "$RCF" 2>/dev/null || echo 1)
steps=$(cat "$STATE/count" 2>/dev/null || echo 0)
if [ "$rc" != 0 ]; then
	# A full disk makes the compiler fail in ways that look like bugs: say so first.
	if grep -q 'No space left on device' "$LOG" 2>/dev/null || [ "$(avail_mb "$BUILD")" -lt 2 ]; then
		die "no space left on device in $BUILD ($(avail_mb "$BUILD") MB free); make bzImage failed (exit $rc)"
	fi
	echo "--- last lines of $LOG ---" >&2
	grep -n -B2 -A6 -m 5 'error:' "$LOG" >&2 || tail -n 40 "$LOG" >&2
	die "make bzImage failed (exit $rc) in $BUILD; full log $LOG"
fi
phase_end
[ -f "$IMG" ] || die "make succeeded but $IMG is missing"
[ "$steps" -gt "$expect" ] && echo "$steps" >"$STEPS_FILE"

after=$(sha256sum "$IMG" | cut -d' ' -f1)
# Recorded with the new image's hash: the next run compares it as "before".
if [ -n "$inputs" ]; then
	{ printf '%s\n' "$inputs" | grep -v '^bzImage ' && echo "bzImage $after"; } >"$STAMP.tmp" &&
		mv "$STAMP.tmp" "$STAMP" || rm -f "$STAMP.tmp"
fi
if [ "$before" = "$after" ]; then
	say "bzImage unchanged: nothing needed rebuilding"
else
	say "bzImage rebuilt ($steps Kbuild steps)"
fi
say "ccache: $(ccache -s 2>/dev/null | awk '/^ *Hits:|^ *Misses:/ {printf "%s %s  ", $1, $2}')"
# The version string the boot loader shows: setup header field kernel_version
# (offset 0x20e) points at it, relative to 0x200.
vp=$(od -An -tu2 -j 526 -N 2 "$IMG" | tr -d ' ')
say "version: $(dd if="$IMG" bs=1 skip=$((vp + 512)) count=256 2>/dev/null | tr '\0' '\n' | head -n 1)"
say "bzImage: $IMG ($(du -h "$IMG" | cut -f1))"
