#!/bin/sh
# Runs every test registered with CTest in BUILD_DIR, then (unless
# RIG_BOOT_TEST=0) the boot-test outcomes of tests/boot-expectations.txt and
# the LAVA job of the series run by lava-run (scripts/workflows/ci/check-lava.sh),
# the send checks and the fault suite (tests/faults), which need the kernel
# tree and builds the boot tests leave, and ends with the one
# summary line CI reads: "N passed, N failed".
set -eu

build_dir=${1:-build}
top=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
log="$build_dir/ctest.log"

start=$(date +%s)
status=0
failures=$(mktemp "${TMPDIR:-/tmp}/run-checks-failures.XXXXXX")
trap 'rm -f "$failures"' EXIT
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" >"$log" 2>&1 || status=$?
cat "$log"

# CTest's own tally: "97% tests passed, 1 tests failed out of 40".
tally=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
if [ -z "$tally" ]; then
	echo "run-checks: ctest printed no tally (status $status); see $log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
failed=$(echo "$tally" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
total=$(echo "$tally" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
passed=$((total - failed))
# CTest's list of failed tests, "  12 - Name (Failed)", for the end.
sed -n '/^The following tests FAILED:/,$p' "$log" | grep -E '^[[:space:]]+[0-9]+ - ' |
	sed 's/^[[:space:]]*/unit-tests: FAIL /' >>"$failures" || true
echo "unit tests: $passed passed, $failed failed in $(( $(date +%s) - start )) s"
# One row per stage for the table printed at the end: name, seconds, tally.
phases="unit-tests|$(( $(date +%s) - start ))|$passed passed, $failed failed"

# The splat scanner's agreement with syzkaller on both parts of the corpus
# (CTest shows a passing test's output only with -V; the floors are asserted
# by the test above).
"$build_dir/bin/splatscan-tests" --gtest_filter='Corpus.AgreesWithSyzkallerTitles' 2>&1 |
	grep -E '^corpus (tune|validation|whole):' || true

# run_stage NAME LOG COMMAND...: run a stage that ends with "NAME: N passed,
# N failed", show its output, add its tally; no tally counts as one failure.
run_stage() {
	name=$1 stage_log=$2
	shift 2
	stage_start=$(date +%s)
	"$@" 2>&1 | tee "$stage_log" || true
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed\$" "$stage_log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "run-checks: $name printed no tally; see $stage_log" >&2
		failed=$((failed + 1))
		tally="no tally (counted as 1 failed)"
	else
		passed=$((passed + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
		failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')))
		tally=${line#"$name: "}
	fi
	# CI shows only the end of the output: keep each failure's own line
	# (and its detail lines) to repeat after the phase table.
	grep -E '^[a-z-]+: FAIL |^  detail: ' "$stage_log" >>"$failures" || true
	took=$(( $(date +%s) - stage_start ))
	echo "$name took $took s"
	phases="$phases
$name|$took|$tally"
}

if [ "${RIG_BOOT_TEST:-1}" != 0 ]; then
	export BUILD_DIR="$build_dir"
	export RUNS_FILE="$build_dir/boot-outcome-runs.tsv"
	: >"$RUNS_FILE"
	run_stage boot-outcomes "$build_dir/boot-outcomes.log" "$top/scripts/workflows/ci/check-boot-outcomes.sh"
	unset RUNS_FILE
	series_run=$(awk -F'\t' '$1 == "series" { print $2 }' "$build_dir/boot-outcome-runs.tsv" | tail -n 1)
	run_stage lava "$build_dir/lava.log" "$top/scripts/workflows/ci/check-lava.sh" ${series_run:+"$series_run"}
	run_stage workstation "$build_dir/workstation.log" "$top/tests/workstation/run-and-shell-test.sh"
	run_stage send-checks "$build_dir/send-checks.log" "$top/scripts/workflows/ci/check-send-prep.sh"
	run_stage faults "$build_dir/faults.log" "$top/tests/faults/run-faults.sh"
fi
echo
echo "make check phases:"
printf '  %-14s %9s  %s\n' phase seconds result
echo "$phases" | while IFS='|' read -r name secs tally; do
	printf '  %-14s %9s  %s\n' "$name" "$secs" "$tally"
done
printf '  %-14s %9s\n' total "$(( $(date +%s) - start ))"
if [ -s "$failures" ]; then
	echo
	echo "make check failures (each stage's log has the whole story):"
	cut -c1-600 "$failures"
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
