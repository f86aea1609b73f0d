#!/bin/sh
# bisect-step.sh: one step of `git bisect run`, run in the kernel tree at the
# commit under test: build it, boot it, run the selftest (boot-test.sh
# --variant head), up to BISECT_REPEAT times, and answer git bisect:
#   0 good: every run passed (or failed only in ways BISECT_BAD_ON ignores)
#   1 bad: a run ended in a verdict BISECT_BAD_ON counts as bad
#   125 skip: the commit cannot be tested (patch, config or build failure)
#   129 abort: the rig itself is broken (an exit code boot-test never gives),
#       or the settings are wrong: a step that tested nothing must not
#       answer "good"
# Env: BISECT_TEST_ARGS (selftest arguments), BISECT_BAD_ON (any, splat,
#      test-failure or timeout; default any), BISECT_REPEAT (default 1).
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
abort() { echo "bisect-step: error: $*; aborting the bisection" >&2; exit 129; }
# Unset means the default; set but empty is a mistake, and refused.
bad_on=${BISECT_BAD_ON-any}
repeat=${BISECT_REPEAT-1}
case $bad_on in
any | splat | test-failure | timeout) ;;
*) abort "BISECT_BAD_ON='$bad_on' is none of any, splat, test-failure, timeout" ;;
esac
case $repeat in
'' | *[!0-9]* | 0*) abort "BISECT_REPEAT='$repeat' is not a whole number of runs >= 1" ;;
esac
commit=$(git rev-parse --short=12 HEAD)
results=${RESULTS:-$top/results}
mkdir -p "$results"
step_log=$(mktemp "$results/.bisect-step.XXXXXX")
run_file=$(mktemp "$results/.bisect-run.XXXXXX")
trap 'rm -f "$step_log" "$run_file"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
i=0
while [ "$i" -lt "$repeat" ]; do
	i=$((i + 1))
	rc=0
	: >"$run_file"
	IRQFD_RIG_TREE_LOCKED=1 "$top/scripts/boot-test.sh" --variant head --run-file "$run_file" \
		--test-args "${BISECT_TEST_ARGS:-}" >"$step_log" 2>&1 || rc=$?
	# This run's own directory, never results/latest (another run may own it).
	run=$(cat "$run_file")
	verdict= reason=
	if [ -n "$run" ] && [ -f "$run/summary.json" ]; then
		verdict=$(jq -r '.verdict' "$run/summary.json")
		reason=$(jq -r '.reason' "$run/summary.json")
	fi
	echo "bisect-step: $commit run $i/$repeat: ${verdict:-no verdict} (exit $rc): $reason${run:+ ($run)}"
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
		tail -n 20 "$step_log" >&2
		abort "boot-test exited $rc, which it never should"
		;;
	esac
done
exit 0
