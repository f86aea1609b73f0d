#!/bin/sh
# Runs every test registered with CTest in BUILD_DIR, then (unless
# RIG_BOOT_TEST=0) the boot-test outcomes of tests/boot-expectations.txt and
# the send checks and the fault suite (tests/faults), which need the kernel
# tree and builds the boot tests leave, and ends with the one
# summary line CI reads: "N passed, N failed".
set -eu

build_dir=${1:-build}
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
log="$build_dir/ctest.log"

start=$(date +%s)
status=0
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
echo "unit tests: $passed passed, $failed failed in $(( $(date +%s) - start )) s"

if [ "${RIG_BOOT_TEST:-1}" != 0 ]; then
	start=$(date +%s)
	boot_log="$build_dir/boot-outcomes.log"
	BUILD_DIR=$build_dir "$top/scripts/ci/check-boot-outcomes.sh" 2>&1 | tee "$boot_log" || true
	line=$(grep -E '^boot-outcomes: [0-9]+ passed, [0-9]+ failed$' "$boot_log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "run-checks: the boot-test outcomes printed no tally; see $boot_log" >&2
		failed=$((failed + 1))
	else
		passed=$((passed + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
		failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')))
	fi
	echo "boot tests took $(( $(date +%s) - start )) s"

	send_log="$build_dir/send-checks.log"
	"$top/scripts/ci/check-send-prep.sh" 2>&1 | tee "$send_log" || true
	line=$(grep -E '^send-checks: [0-9]+ passed, [0-9]+ failed$' "$send_log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "run-checks: the send checks printed no tally; see $send_log" >&2
		failed=$((failed + 1))
	else
		passed=$((passed + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
		failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')))
	fi

	start=$(date +%s)
	fault_log="$build_dir/faults.log"
	BUILD_DIR=$build_dir "$top/tests/faults/run-faults.sh" 2>&1 | tee "$fault_log" || true
	line=$(grep -E '^faults: [0-9]+ passed, [0-9]+ failed$' "$fault_log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "run-checks: the fault suite printed no tally; see $fault_log" >&2
		failed=$((failed + 1))
	else
		passed=$((passed + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
		failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')))
	fi
	echo "fault suite took $(( $(date +%s) - start )) s"
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
