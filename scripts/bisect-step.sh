#!/bin/sh
# bisect-step.sh: one step of `git bisect run`, run in the kernel tree at the
# commit under test: build it, boot it, run the selftest (boot-test.sh
# --variant head), up to BISECT_REPEAT times, and answer git bisect:
#   0 good: every run passed (or failed only in ways BISECT_BAD_ON ignores)
#   1 bad: a run ended in a verdict BISECT_BAD_ON counts as bad
#   125 skip: the commit cannot be tested (patch, config or build failure)
#   129 abort: the rig itself is broken (an exit code boot-test never gives)
# Env: BISECT_TEST_ARGS (selftest arguments), BISECT_BAD_ON (any, splat,
#      test-failure or timeout; default any), BISECT_REPEAT (default 1).
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
bad_on=${BISECT_BAD_ON:-any}
repeat=${BISECT_REPEAT:-1}
commit=$(git rev-parse --short=12 HEAD)
i=0
while [ "$i" -lt "$repeat" ]; do
	i=$((i + 1))
	rc=0
	IRQFD_RIG_TREE_LOCKED=1 "$top/scripts/boot-test.sh" --variant head \
		--test-args "${BISECT_TEST_ARGS:-}" >"$top/results/.bisect-step.log" 2>&1 || rc=$?
	verdict=$(sed -n 's/^  "verdict": "\(.*\)",$/\1/p' "$top/results/latest/summary.json" 2>/dev/null || true)
	reason=$(sed -n 's/^  "reason": "\(.*\)",$/\1/p' "$top/results/latest/summary.json" 2>/dev/null || true)
	echo "bisect-step: $commit run $i/$repeat: ${verdict:-no verdict} (exit $rc): $reason"
	case $rc in
	0) continue ;;
	125) exit 125 ;;
	1 | 2 | 3)
		case $bad_on in
		any) exit 1 ;;
		splat) [ "$rc" = 2 ] && exit 1 ;;
		test-failure) [ "$rc" = 1 ] && exit 1 ;;
		timeout) [ "$rc" = 3 ] && exit 1 ;;
		esac
		;;
	*)
		tail -n 20 "$top/results/.bisect-step.log" >&2
		echo "bisect-step: boot-test exited $rc, which it never should: aborting the bisection" >&2
		exit 129
		;;
	esac
done
exit 0
