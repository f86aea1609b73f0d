#!/bin/sh
# variant-patches.sh: the tree stage's input. Prints the patch files a
# variant puts on the pinned kernel, one absolute path a line, in the order
# they apply; nothing for base and head.
#
# Usage: scripts/kernel/variant-patches.sh [--dir PATCHES] VARIANT [EXTRA_PATCH]
#   VARIANT: base, series (patches/0001-*.patch ..., not the cover letter),
#   series-K (the first K of them: what a bisection lands on), head (the
#   tree as it is), or default (series when PATCHES holds one, else base;
#   the variant is then printed first, as "variant=NAME").
#   EXTRA_PATCH: one more patch on top (a canary); not with head.
# --dir: another folder of format-patch files (default: the repository's
#   patches/).
# Exit: 0, 2 when the variant cannot be had (no series, K too large, no
# such file), with the reason.
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
DIE_STATUS=2
. "$KDIR/../lib/rig.sh"
help_if_asked "$@"
dir=$KDIR/../../patches
[ "${1:-}" != --dir ] || { dir=${2:?--dir needs a folder}; shift 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $PROG [--dir PATCHES] VARIANT [EXTRA_PATCH]"
variant=$1 extra=${2:-}
[ -d "$dir" ] || die "no patch folder at $dir"
dir=$(cd "$dir" && pwd)
NL='
'
# File names may hold spaces or glob characters: the list is newline
# separated, and a name with a newline is refused.
series=$(for p in "$dir"/0[0-9][0-9][0-9]-*.patch; do
	case $p in */0000-*) ;; *) [ ! -f "$p" ] || printf '%s\n' "$p" ;; esac
done)
count=$(printf '%s' "$series" | grep -c '' || true)
if [ "$variant" = default ]; then
	if [ -n "$series" ]; then variant=series; else variant=base; fi
	echo "variant=$variant"
fi
case $variant in
base | head) patches= ;;
series)
	[ -n "$series" ] || die "VARIANT=series but $dir holds no series (0001-*.patch ...)"
	patches=$series
	;;
series-[1-9] | series-[1-9][0-9])
	k=${variant#series-}
	[ -n "$series" ] || die "VARIANT=$variant but $dir holds no series (0001-*.patch ...)"
	[ "$k" -le "$count" ] || die "VARIANT=$variant but the series has only $count patch(es)"
	patches=$(printf '%s\n' "$series" | head -n "$k")
	;;
*) die "unknown variant '$variant' (base, series, series-K or head)" ;;
esac
if [ -n "$extra" ]; then
	[ "$variant" != head ] || die "--extra-patch does not go with --variant head"
	[ -f "$extra" ] || die "no patch file at $extra"
	case $extra in *"$NL"*) die "a patch path with a newline in it is not supported: '$extra'" ;; esac
	extra=$(cd "$(dirname -- "$extra")" && pwd)/$(basename -- "$extra")
	patches=${patches:+$patches$NL}$extra
fi
[ -z "$patches" ] || printf '%s\n' "$patches"
