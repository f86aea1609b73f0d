#!/bin/sh
# apply-series.sh: check out BRANCH in the kernel tree as the pinned tag plus
# PATCHes applied with `git am`, in order. When the branch already holds
# exactly these patches (same contents) it is only checked out, so Kbuild sees
# no change. A patch that does not apply is named with the file and line of
# the failing hunk, and the tree is left on the branch it was on before.
# What a run killed in the middle of this left behind (a `git am` in
# progress, the temporary branch) is cleaned up first, and said so.
# The caller holds the tree lock (boot-test.sh, bisect.sh).
#
# Usage: scripts/kernel/apply-series.sh BRANCH [PATCH...]
set -eu
. "$(dirname -- "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $PROG BRANCH [PATCH...]"
BRANCH=$1
shift
need_tree
for p in "$@"; do [ -r "$p" ] || die "cannot read patch $p"; done
git check-ref-format "refs/heads/$BRANCH" || die "'$BRANCH' is not a valid git branch name"


# Committer identity and date fixed: the same patches give the same commit ids.
kgit() {
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
	GIT_COMMITTER_NAME=$KERNEL_GIT_NAME GIT_COMMITTER_EMAIL=$KERNEL_GIT_EMAIL \
	GIT_COMMITTER_DATE=$KERNEL_GIT_DATE git -C "$KSRC" "$@"
}

# Leftovers of a run that was killed (SIGKILL, a lost session) while it
# applied patches: nobody else is applying now, since we hold the tree lock.
gitdir=$(kgit rev-parse --absolute-git-dir)
if [ -d "$gitdir/rebase-apply" ]; then
	say "a killed run left 'git am' in progress in $KSRC: aborting it"
	kgit am --abort >/dev/null 2>&1 || rm -rf "$gitdir/rebase-apply"
fi
case $(kgit symbolic-ref -q --short HEAD || true) in
irqfd-rig-apply-*)
	say "a killed run left $KSRC on its temporary branch $(kgit symbolic-ref --short HEAD): discarding its changes"
	kgit reset -q --hard
	kgit checkout -q --detach
	;;
esac
for b in $(kgit for-each-ref --format='%(refname:short)' 'refs/heads/irqfd-rig-apply-*'); do
	kgit branch -q -D "$b"
	say "deleted the temporary branch $b of a killed run"
done

[ -z "$(kgit status --porcelain --untracked-files=no)" ] ||
	die "the kernel tree $KSRC has uncommitted changes; commit or stash them first"
want=$({ echo "$KERNEL_TAG"; for p in "$@"; do sha256sum <"$p"; done; } | sha256sum | cut -c1-16)
have=$(kgit config --get "branch.$BRANCH.irqfd-rig-series" || true)
if [ "$have" = "$want" ] && kgit rev-parse -q --verify "refs/heads/$BRANCH" >/dev/null; then
	kgit checkout -q "$BRANCH"
	say "$BRANCH: up to date ($# patch(es) on $KERNEL_TAG), checked out"
	exit 0
fi

before=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
tmp=irqfd-rig-apply-$$
restore() {
	kgit am --abort >/dev/null 2>&1 || true
	kgit checkout -q -f "$before" 2>/dev/null || true
	kgit branch -q -D "$tmp" 2>/dev/null || true
}
trap 'restore; exit 130' INT
trap 'restore; exit 143' TERM
trap 'restore; exit 129' HUP
kgit checkout -q -B "$tmp" "$KERNEL_TAG"
n=0
for p in "$@"; do
	n=$((n + 1))
	out=$(kgit am -q --keep-cr "$p" 2>&1) || {
		echo "$out" | grep -E '^(error|Patch failed|fatal)' | sed "s/^/$PROG: /" >&2
		hunk=$(echo "$out" | sed -n 's/^error: patch failed: //p' | head -n 1)
		restore
		die "patch $n, $(basename -- "$p"), does not apply to $KERNEL_TAG${hunk:+: hunk at $hunk}; the tree is back on $before"
	}
done
kgit checkout -q -B "$BRANCH" || { restore; die "cannot make branch $BRANCH; the tree is back on $before"; }
kgit branch -q -D "$tmp"
kgit config "branch.$BRANCH.irqfd-rig-series" "$want"
trap - INT TERM HUP
say "$BRANCH: $KERNEL_TAG + $n patch(es) applied, at $(kgit rev-parse --short=12 HEAD)"
