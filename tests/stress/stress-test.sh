#!/bin/sh
# stress-test.sh CASE: scripts/workflows/stress/stress.sh with a fake boot-test
# (fake-boot-test.sh, fixtures judged by the real boot-verdict).
#   counts     10 runs, 3 at a time, seeds 1000*i: 4000 and 8000 give a
#              splat; stress.json must say 2 of 10 with the Wilson interval,
#              those seeds, the first of them, never more than 3 at once and
#              the first run alone until its build is done
#   interrupt  SIGINT while 2 runs of 4 s are booting: exit 130, the running
#              boot-tests stopped (none left), the finished runs reported
set -eu
case_name=${1:?usage: stress-test.sh counts|interrupt}
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
top=$(CDPATH= cd -- "$here/../.." && pwd)
build=${BUILD_DIR:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
fail() { echo "stress-test $case_name: FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/stress-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/live" "$scratch/results"
export RESULTS="$scratch/results" BUILD_DIR="$build" FAKE_LIVE_DIR="$scratch/live"
export STRESS_BOOT_TEST="$here/fake-boot-test.sh"

case $case_name in
counts)
	# Watch how many fake boots are alive at once.
	( while :; do ls "$scratch/live" | wc -l >>"$scratch/concurrency"; sleep 0.2; done ) &
	watcher=$!
	rc=0
	FAKE_BOOT_S=1 "$top/scripts/workflows/stress/stress.sh" --runs 10 --jobs 3 --seed-base 0 >"$scratch/out" 2>&1 || rc=$?
	kill "$watcher"
	[ "$rc" -eq 1 ] || { cat "$scratch/out"; fail "exit $rc, not 1 (something was caught)"; }
	json=$(ls "$scratch"/results/stress-*/stress.json)
	[ "$(jq -r '.detection | "\(.caught)/\(.of)"' "$json")" = 2/10 ] || fail "detection is not 2/10: $(jq -c .detection "$json")"
	[ "$(jq -r '.detection.seeds | sort | join(",")' "$json")" = 4000,8000 ] || fail "catching seeds: $(jq -c .detection.seeds "$json")"
	[ "$(jq -r '.detection.wilson95_low' "$json")" = 0.057 ] && [ "$(jq -r '.detection.wilson95_high' "$json")" = 0.51 ] ||
		fail "Wilson 95% of 2/10 is 0.057-0.510, got $(jq -c .detection "$json")"
	[ "$(jq -r '.splats[0].title' "$json")" = "kernel BUG in irqfd_deactivate" ] && [ "$(jq -r '.splats[0].runs' "$json")" = 2 ] &&
		[ "$(jq -r '.splats[0].first_seed' "$json")" = 4000 ] || fail "splat row: $(jq -c '.splats' "$json")"
	[ "$(jq -r '[.runs[].dir] | unique | length' "$json")" = 10 ] || fail "runs do not have a directory each"
	max=$(sort -n "$scratch/concurrency" | tail -n 1)
	[ "$max" -le 3 ] || fail "$max boots at once with --jobs 3"
	[ "$max" -ge 2 ] || fail "never more than one boot at once with --jobs 3"
	grep -q "replay: make boot-test TEST_ARGS='--hammer-seed=[48]000'" "$scratch/out" || fail "no replay line"
	# The first run boots alone: the second starts only once the first's
	# build is done (its .phase says boot).
	grep -q 'detection: 2 of 10' "$scratch/out" || fail "no detection line in the table"
	;;
interrupt)
	# Runs 1 and 2 finish at once, 3 and 4 boot for a minute. A background
	# job starts with SIGINT ignored; env gives it back the default, as a
	# foreground stress.sh has it under Ctrl-C.
	FAKE_BOOT_S=1 env --default-signal=INT FAKE_LONG_FROM=3000 "$top/scripts/workflows/stress/stress.sh" --runs 6 --jobs 2 --seed-base 0 \
		>"$scratch/out" 2>&1 &
	pid=$!
	# Wait (up to 60 s: the machine may be loaded) until runs 3 and 4 boot.
	n=0
	until [ -f "$(ls -d "$scratch"/results/stress-* 2>/dev/null)/run-4.dir" ] &&
		[ "$(ls "$scratch/live" | wc -l)" -eq 2 ]; do
		n=$((n + 1))
		[ "$n" -le 120 ] || { kill -TERM "$pid"; fail "runs 3 and 4 never started"; }
		sleep 0.5
	done
	t=$(date +%s)
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ] || { cat "$scratch/out"; fail "exit $rc after SIGINT, not 130"; }
	[ $(( $(date +%s) - t )) -le 10 ] || fail "took more than 10 s to stop after SIGINT"
	[ -z "$(ls "$scratch/live")" ] || fail "boot-tests still running after Ctrl-C: $(ls "$scratch/live")"
	json=$(ls "$scratch"/results/stress-*/stress.json) || fail "no stress.json after Ctrl-C"
	[ "$(jq -r .interrupted "$json")" = SIGINT ] || fail "stress.json does not say it was interrupted"
	[ "$(jq -r .runs_judged "$json")" -eq 2 ] || fail "the 2 finished runs are not the ones judged: $(jq -c .verdicts "$json")"
	[ "$(jq -r '.runs | length' "$json")" -eq 4 ] || fail "the 2 interrupted runs are not listed"
	;;
*) fail "unknown case" ;;
esac
echo "stress-test $case_name: ok"
