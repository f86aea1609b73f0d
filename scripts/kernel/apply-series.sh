#!/bin/sh
# apply-series.sh: check out BRANCH in the kernel tree as the pinned tag plus
# PATCHes applied in order (as `git am` would, but in a private index). When
# the branch already holds exactly these patches (same contents) it is only
# checked out, so Kbuild sees no change. A patch that does not apply is named with the file and line of
# the failing hunk, and the tree is left on the branch it was on before.
# What an older rig killed in the middle of `git am` left behind (the am in
# progress, its temporary branch) is cleaned up first, and said so.
# The caller holds the tree lock (boot-test.sh, bisect.sh).
#
# Usage: scripts/kernel/apply-series.sh BRANCH [PATCH...]
set -eu
. "$(dirname -- "$0")/lib.sh"

help_if_asked "$@"
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

# The branch is made in a private index (patches-to-commits.sh) and then
# checked out in one step: only the files that differ from the current
# checkout are written, so switching between variants rebuilds only what
# their patches touch, and nothing is left half-applied if this is killed.
before=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
errf=$(mktemp "${TMPDIR:-/tmp}/apply-series.XXXXXX")
trap 'rm -f "$errf"' EXIT
commit=$(KDIR=$KDIR "$KDIR/patches-to-commits.sh" "$KERNEL_TAG" "$@" 2>"$errf") || {
	cat "$errf" >&2
	# Its last line names the patch and the hunk.
	die "$(tail -n 1 "$errf" | sed 's/^[^:]*: error: //'); the tree is still on $before"
}
kgit checkout -q -B "$BRANCH" "$commit" || die "cannot check out $BRANCH; the tree is still on $before"
kgit config "branch.$BRANCH.irqfd-rig-series" "$want"
say "$BRANCH: $KERNEL_TAG + $# patch(es) applied, at $(kgit rev-parse --short=12 HEAD)"
