#!/bin/sh
# check-boot-outcomes.sh EXPECTATIONS_FILE: run `scripts/boot-test.sh` for each
# variant listed and compare its verdict (and failed tests) with the file.
# Prints one "boot-outcome: ok|FAIL ..." line per variant and a tally line
# "boot-outcomes: N passed, N failed" that run-checks.sh adds to its own.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
file=${1:-$top/tests/boot-expectations.txt}
passed=0 failed=0
while read -r variant verdict want_failed; do
	case $variant in '' | '#'*) continue ;; esac
	start=$(date +%s)
	rc=0
	"$top/scripts/boot-test.sh" --variant "$variant" || rc=$?
	summary=$top/results/latest/summary.json
	got=$(sed -n 's/^  "verdict": "\(.*\)",$/\1/p' "$summary" 2>/dev/null || true)
	got_failed=$(grep -o '"name": "[^"]*", "result": "fail"' "$summary" 2>/dev/null |
		sed 's/"name": "\([^"]*\)".*/\1/' | sort | tr '\n' ' ' | sed 's/ $//')
	want_sorted=$(printf '%s\n' $want_failed | sort | tr '\n' ' ' | sed 's/ $//')
	took=$(( $(date +%s) - start ))
	if [ "$got" = "$verdict" ] && [ "$got_failed" = "$want_sorted" ]; then
		passed=$((passed + 1))
		echo "boot-outcome: ok   $variant: $got${got_failed:+ ($got_failed)} in ${took}s"
	else
		failed=$((failed + 1))
		echo "boot-outcome: FAIL $variant: expected $verdict${want_sorted:+ ($want_sorted)}," \
			"got ${got:-nothing}${got_failed:+ ($got_failed)} (exit $rc) in ${took}s; see $summary"
	fi
done <"$file"
echo "boot-outcomes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
