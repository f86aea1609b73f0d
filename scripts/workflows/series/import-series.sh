#!/bin/sh
# import-series.sh [BRANCH]: make BRANCH (default dev/series) in the kernel
# tree from the series in patches/, applied with `git am` on the pinned tag.
# A fresh clone has the patches but not the branch that `make series-export`
# and `make send-prep` work from. An existing branch is never overwritten.
#
# Usage: scripts/workflows/series/import-series.sh [BRANCH]
# Env:   IRQFD_RIG_PATCHES (default patches/: where the series is read from)
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")/../../kernel" && pwd)
. "$KDIR/lib.sh"

BRANCH=${1:-${SERIES_BRANCH:-dev/series}}
TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)
need_tree
! git -C "$KSRC" rev-parse -q --verify "refs/heads/$BRANCH" >/dev/null ||
	die "$BRANCH exists in $KSRC already; delete it (git branch -D $BRANCH) to import patches/ over it"
PATCHES=${IRQFD_RIG_PATCHES:-$TOP/patches}
series=$("$KDIR/variant-patches.sh" --dir "$PATCHES" series) || exit 1
set -f
IFS='
'
# shellcheck disable=SC2086
set -- $series
unset IFS
set +f
# boot-test switches the tree's branches under this lock.
mkdir -p "$CACHE"
hold_lock 7 "$CACHE/.tree.lock" || exit 1
"$KDIR/apply-series.sh" "$BRANCH" "$@"
