#!/bin/sh
# check-series.sh: prove that the series in patches/ is fit to send and to
# bisect: every patch passes `checkpatch.pl --strict` with no error, warning
# or check, and the tree builds after each patch in turn (Kbuild O= in
# $CACHE/build/series-check, seeded from the base build, ccache).
#
# Usage: scripts/kernel/check-series.sh
set -eu
. "$(dirname -- "$0")/lib.sh"

TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)
need_tree
set -- $(ls "$TOP"/patches/0[0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-' || true)
[ $# -gt 0 ] || die "patches/ holds no series (0001-*.patch ...)"

failed=0
for p in "$@"; do
	out=$("$KSRC/scripts/checkpatch.pl" --strict --quiet --no-tree "$p" 2>&1) || true
	if [ -n "$out" ]; then
		echo "$out" | sed "s|^|$PROG: $(basename -- "$p"): |"
		failed=1
	else
		say "checkpatch --strict: $(basename -- "$p"): clean"
	fi
done
[ "$failed" -eq 0 ] || die "checkpatch found problems (above); fix them in the kernel tree and re-export"

BUILD=$CACHE/build/series-check
[ -e "$BUILD" ] || [ ! -f "$CACHE/build/base/.config" ] ||
	"$KDIR/seed-build-dir.sh" "$CACHE/build/base" "$BUILD"
hold_lock 7 "$CACHE/.tree.lock" || exit 1
applied=
k=0
for p in "$@"; do
	k=$((k + 1))
	applied="$applied $p"
	# shellcheck disable=SC2086
	"$KDIR/apply-series.sh" rig/series-check $applied >/dev/null ||
		die "patch $k, $(basename -- "$p"), does not apply (run apply-series.sh to see why)"
	"$KDIR/make-config.sh" "$BUILD" >/dev/null
	T0=$(now_ms)
	"$KDIR/build-kernel.sh" "$BUILD" >"$BUILD.log" 2>&1 || {
		grep -E 'error' "$BUILD.log" | head -n 5 >&2
		die "the tree does not build after patch $k, $(basename -- "$p") (log $BUILD.log)"
	}
	say "builds after patch $k: $(basename -- "$p") ($(fmt_ms $(( $(now_ms) - T0 ))))"
done
say "all $# patches checkpatch-clean and bisectable"
