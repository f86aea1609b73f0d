#!/bin/sh
# bisect.sh GOOD BAD: find the commit between GOOD and BAD (any revisions of
# the kernel tree in the cache: tags, branches, canary/*) that makes the
# boot test go bad, with `git bisect run scripts/workflows/bisect/bisect-step.sh`. Every step
# builds (Kbuild O= in $CACHE/build/head, ccache), boots and tests.
#
# Usage: scripts/workflows/bisect/bisect.sh GOOD BAD
# Env:   BISECT_TEST_ARGS, BISECT_BAD_ON (any|splat|test-failure|timeout),
#        BISECT_REPEAT (runs before a commit is called good, for racy bugs)
# The log of every step goes to results/bisect-<stamp>.log.
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")/../../kernel" && pwd)
DIE_STATUS=2
. "$KDIR/lib.sh"
TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)

[ $# -eq 2 ] || die "usage: $PROG GOOD BAD"
good=$1 bad=$2
# Checked here as well as in every step: a bad setting must stop the
# bisection before it starts, not bless every commit.
case ${BISECT_BAD_ON-any} in
any | splat | test-failure | timeout) ;;
*) die "BAD_ON='${BISECT_BAD_ON-}' is none of any, splat, test-failure, timeout" ;;
esac
case ${BISECT_REPEAT-1} in
'' | *[!0-9]* | 0*) die "REPEAT='${BISECT_REPEAT-}' is not a whole number of runs >= 1" ;;
esac
need_tree
g() { git -C "$KSRC" "$@"; }
g rev-parse -q --verify "$good^{commit}" >/dev/null || die "GOOD=$good is not a commit in $KSRC"
g rev-parse -q --verify "$bad^{commit}" >/dev/null || die "BAD=$bad is not a commit in $KSRC"
g merge-base --is-ancestor "$good" "$bad" || die "GOOD=$good is not an ancestor of BAD=$bad"
[ -z "$(g status --porcelain --untracked-files=no)" ] || die "the kernel tree $KSRC has uncommitted changes"
[ ! -e "$(g rev-parse --absolute-git-dir)/BISECT_LOG" ] || die "a bisection is already in progress in $KSRC (git bisect reset there)"

hold_lock 7 "$CACHE/.tree.lock" || exit 1
before=$(g symbolic-ref -q --short HEAD || g rev-parse HEAD)
mkdir -p "$TOP/results"
log=$TOP/results/bisect-$(date +%Y%m%d-%H%M%S).log
cleanup() { g bisect reset "$before" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

T0=$(now_ms)
say "bisecting $(g rev-list --count "$good..$bad") commit(s) between $good and $bad" \
	"(bad on: ${BISECT_BAD_ON:-any}, repeat: ${BISECT_REPEAT:-1}); log $log"
g bisect start "$bad" "$good" >/dev/null
rc=0
(cd "$KSRC" && git bisect run "$TOP/scripts/workflows/bisect/bisect-step.sh") >"$log" 2>&1 || rc=$?
grep -E '^bisect-step:|is the first bad commit' "$log" || true
steps=$(grep -c '^bisect-step: .* run 1/' "$log" || true)
first=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$log")
g bisect log >>"$log" 2>/dev/null || true
say "$steps step(s) in $(fmt_ms $(( $(now_ms) - T0 )))"
[ -n "$first" ] || { say "no first bad commit found (git bisect run exited $rc); see $log"; exit 1; }
say "first bad commit: $(g log -1 --format='%h %s' "$first")"
