#!/bin/sh
# Runs every test registered with CTest in BUILD_DIR and ends with the one
# summary line CI reads: "N passed, N failed".
set -eu

build_dir=${1:-build}
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
echo "checks took $(( $(date +%s) - start )) s"
echo "$((total - failed)) passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
