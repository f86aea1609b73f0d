#!/bin/sh
# make-config.sh: make BUILD_DIR/.config from tinyconfig + the fragments, and
# check that every symbol the fragments ask for survived.
#
# In a temp O= dir beside BUILD_DIR: `make tinyconfig`, merge_config.sh -m with
# the fragments, `make olddefconfig`, check-config.sh; only then is the .config
# moved into BUILD_DIR (left untouched, mtime and all, if it is the same).
# A second run with the same fragments and Kconfig files does nothing.
#
# Usage: scripts/kernel/make-config.sh BUILD_DIR [FRAGMENT...]
#        (default fragments: kernel-config/base.config kvm.config debug.config)
# Env:   IRQFD_RIG_KERNEL_SRC (default $CACHE/linux), IRQFD_RIG_CC (default "ccache gcc")
set -eu
. "$(dirname -- "$0")/lib.sh"

help_if_asked "$@"
[ $# -ge 1 ] || die "usage: $PROG BUILD_DIR [FRAGMENT...]"
BUILD=$1; shift
if [ $# -eq 0 ]; then
	CFGDIR=$(cd "$KDIR/../../kernel-config" && pwd) || die "no kernel-config/ beside scripts/"
	set -- "$CFGDIR/base.config" "$CFGDIR/kvm.config" "$CFGDIR/debug.config"
fi
# Make the fragment paths absolute (merge_config.sh runs from the tree).
for f do
	shift
	[ -r "$f" ] || die "cannot read fragment $f"
	set -- "$@" "$(cd "$(dirname -- "$f")" && pwd)/$(basename -- "$f")"
done
need_tree
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
BUILD=${BUILD%/}
lock_build_dir "$BUILD"
# Temp dirs of interrupted runs (we hold the lock, so they are nobody's).
rm -rf "$BUILD".cfgtmp.*
export CCACHE_DIR
mkdir -p "$CCACHE_DIR"

T_ALL=$(now_ms)

# What the result depends on: fragments, every Kconfig file, the tinyconfig
# fragments, the compiler (Kconfig probes it).
phase_begin inputs
INPUTS=$( {
	for f in "$@"; do printf '%s\n' "$(basename -- "$f")"; cat "$f"; done
	printf 'CC=%s\n' "$RIG_CC"; $RIG_CC --version | head -n 1
	cd "$KSRC" && find . -path ./.git -prune -o \( -name 'Kconfig*' -o -name '*.config' -path '*configs/*' \) -type f -print |
		LC_ALL=C sort | xargs sha256sum
} | sha256sum | cut -d' ' -f1)
phase_end
STAMP=$BUILD/.irqfd-rig-config.stamp

if [ -f "$BUILD/.config" ] && [ -f "$STAMP" ]; then
	have=$(sha256sum "$BUILD/.config" | cut -d' ' -f1)
	if [ "$(cat "$STAMP")" = "inputs=$INPUTS config=$have" ]; then
		"$KDIR/check-config.sh" "$BUILD/.config" "$@" >/dev/null ||
			die "$BUILD/.config matches its stamp but fails check-config.sh (edited by hand?); remove $STAMP and rerun"
		say "$BUILD/.config is up to date; nothing to do"
		say "config sha256 $have"
		exit 0
	fi
fi

TMP=$(mktemp -d "$BUILD.cfgtmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
LOG=$TMP/config.log
run() {
	"$@" >>"$LOG" 2>&1 || { tail -n 30 "$LOG" >&2; die "failed: $*"; }
}

phase_begin tinyconfig
run make -C "$KSRC" O="$TMP" CC="$RIG_CC" tinyconfig
phase_end

phase_begin merge
# -m: merge only; run from the tree as merge_config.sh expects.
(cd "$KSRC" && ./scripts/kconfig/merge_config.sh -m -O "$TMP" "$TMP/.config" "$@") >>"$LOG" 2>&1 ||
	{ tail -n 30 "$LOG" >&2; die "merge_config.sh failed"; }
grep -c '^Value of' "$LOG" | sed "s/^/$PROG: fragments overrode /; s/\$/ tinyconfig values/"
phase_end

phase_begin olddefconfig
run make -C "$KSRC" O="$TMP" CC="$RIG_CC" olddefconfig
phase_end

phase_begin check
CHECK_CONFIG_TREE=$KSRC "$KDIR/check-config.sh" "$TMP/.config" "$@" ||
	die "requested symbols did not survive olddefconfig (above); fix the fragment or its dependencies. Nothing written to $BUILD."
phase_end

mkdir -p "$BUILD"
if cmp -s "$TMP/.config" "$BUILD/.config"; then
	say "$BUILD/.config unchanged"
else
	cp "$TMP/.config" "$BUILD/.config.irqfd-new"
	mv "$BUILD/.config.irqfd-new" "$BUILD/.config"
	say "wrote $BUILD/.config"
fi
SUM=$(sha256sum "$BUILD/.config" | cut -d' ' -f1)
printf 'inputs=%s config=%s\n' "$INPUTS" "$SUM" >"$STAMP.new"
mv "$STAMP.new" "$STAMP"
say "config sha256 $SUM"
say "total $(fmt_ms $(( $(now_ms) - T_ALL )))"
