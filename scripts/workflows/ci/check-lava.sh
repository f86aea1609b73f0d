#!/bin/sh
# check-lava.sh [RUN]: the LAVA stage of make check. Takes the run
# directory RUN of a series boot-test (make check passes the one its boot
# outcomes made), or boots the series with boot-test.sh (its own run, found
# through --run-file); writes the run's LAVA job, runs it with lava-run on
# the rig's QEMU device and checks that LAVA's per-test results give the
# rig's verdict (scripts/workflows/lava/run-lava-job.sh).
# Ends with "lava: N passed, N failed" (make check reads it).
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-lava.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0
rc=0
if [ -n "${1:-}" ] && [ -f "$1/summary.json" ]; then
	run=$1
	echo "check-lava: the series run of the boot outcomes: $run"
else
	[ -z "${1:-}" ] || echo "check-lava: no summary.json in $1: booting the series"
	"$top/scripts/boot-test.sh" --variant series --run-file "$scratch/run" || rc=$?
	run=$(cat "$scratch/run" 2>/dev/null || true)
fi
if [ -z "$run" ] || [ "$rc" -eq 125 ] || [ ! -f "$run/summary.json" ]; then
	echo "check-lava: the series boot-test gave no verdict (exit $rc): nothing for LAVA to run"
	failed=1
else
	start=$(date +%s)
	if "$top/scripts/workflows/lava/run-lava-job.sh" --run "$run"; then
		passed=1
	else
		failed=1
	fi
	echo "check-lava: LAVA job of $run in $(( $(date +%s) - start )) s"
fi
echo "lava: $passed passed, $failed failed"
