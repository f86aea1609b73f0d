#!/bin/sh
# seed-build-dir.sh: start a variant's build dir as a copy of a parent's (e.g.
# build/series from build/base), so the variant's first build recompiles only
# what its patches change. cp -a keeps mtimes, and --reflink=auto shares blocks
# where the filesystem can. Copies to a temp dir, then renames. Does nothing if
# CHILD exists.
#
# This pays off when both variants build from the same source path (one tree,
# a branch per variant): Kbuild records absolute source paths, so a child built
# from a different tree path recompiles everything anyway (ccache still helps).
#
# Usage: scripts/kernel/seed-build-dir.sh PARENT_BUILD_DIR CHILD_BUILD_DIR
set -eu
. "$(dirname -- "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $PROG PARENT_BUILD_DIR CHILD_BUILD_DIR"
PARENT=${1%/} CHILD=${2%/}
lock_build_dir "$CHILD"
rm -rf "$CHILD".seedtmp.*
if [ -e "$CHILD" ]; then
	say "$CHILD already exists; nothing to do"
	exit 0
fi
[ -f "$PARENT/.config" ] || die "$PARENT has no .config: not a build dir (run make-config.sh/build-kernel.sh on it first)"
phase_begin seed
TMP=$(mktemp -d "$CHILD.seedtmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
cp -a --reflink=auto "$PARENT/." "$TMP/" || die "cp -a $PARENT $TMP failed"
rm -f "$TMP"/build.log
mv "$TMP" "$CHILD"
trap - EXIT
phase_end
say "seeded $CHILD from $PARENT ($(du -sh "$CHILD" | cut -f1))"
