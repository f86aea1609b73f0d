#!/bin/sh
# patches-to-commits.sh BASE [PATCH...]: turn `git format-patch` files back into
# commits on top of BASE in the kernel tree, and print the last commit's id.
# It works on a private index file, so the tree's checkout, index and
# branches are not touched: neither a range-diff against a version kept only
# as patch files (send-prep) nor making a variant's branch (apply-series)
# may rewrite files in the tree, whose mtimes an incremental build trusts;
# and a run killed half-way leaves nothing in the tree to clean up.
# A patch that does not apply is named with its number and the file and
# line of its failing hunk.
#
# With no PATCH (the variant base), it prints BASE's own commit.
#
# Usage: scripts/kernel/patches-to-commits.sh BASE [PATCH...]
set -eu
KDIR=${KDIR:-$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)}
. "$KDIR/lib.sh"

[ $# -ge 1 ] || die "usage: $PROG BASE [PATCH...]"
base=$1
shift
need_tree
tmp=$(mktemp -d "${TMPDIR:-/tmp}/patches-to-commits.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

kgit() {
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_INDEX_FILE=$tmp/index \
	GIT_COMMITTER_NAME=$KERNEL_GIT_NAME GIT_COMMITTER_EMAIL=$KERNEL_GIT_EMAIL \
	GIT_COMMITTER_DATE=$KERNEL_GIT_DATE git -C "$KSRC" "$@"
}
head=$(kgit rev-parse --verify -q "$base^{commit}") || die "no commit $base in $KSRC"
kgit read-tree "$head"
n=0
for p in "$@"; do
	n=$((n + 1))
	[ -r "$p" ] || die "cannot read patch $p"
	kgit mailinfo "$tmp/msg" "$tmp/diff" <"$p" >"$tmp/info" ||
		die "patch $n, $(basename -- "$p"), is not a patch in mail form"
	field() { sed -n "s/^$1: //p" "$tmp/info"; }
	out=$(kgit apply --cached "$tmp/diff" 2>&1) || {
		echo "$out" | grep -E '^(error|fatal)' | sed "s/^/$PROG: /" >&2
		hunk=$(echo "$out" | sed -n 's/^error: patch failed: //p' | head -n 1)
		die "patch $n, $(basename -- "$p"), does not apply to $base${hunk:+: hunk at $hunk}"
	}
	tree=$(kgit write-tree)
	head=$({ field Subject; echo; cat "$tmp/msg"; } |
		GIT_AUTHOR_NAME=$(field Author) GIT_AUTHOR_EMAIL=$(field Email) GIT_AUTHOR_DATE=$(field Date) \
		kgit commit-tree "$tree" -p "$head")
done
echo "$head"
