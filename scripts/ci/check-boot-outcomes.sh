#!/bin/sh
# check-boot-outcomes.sh [EXPECTATIONS_FILE]: run `scripts/boot-test.sh` for
# each line of the file (tests/boot-expectations.txt), compare the verdict,
# failed tests and splat titles with what the line expects, and print the
# proof table (also written to results/proof.md, or to $PROOF_TABLE). Ends
# with a tally line "boot-outcomes: N passed, N failed" that run-checks.sh
# adds to its own. VARIANT may be base, series or series-K (the first K
# patches of the series).
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
file=${1:-$top/tests/boot-expectations.txt}
table=$(mktemp "${TMPDIR:-/tmp}/proof.XXXXXX")
trap 'rm -f "$table"' EXIT
passed=0 failed=0

json_field() { sed -n "s/^  \"$1\": \"\\(.*\\)\",\$/\\1/p" "$2" 2>/dev/null; }

while read -r spec verdict expected; do
	case $spec in '' | '#'*) continue ;; esac
	variant=${spec%%+*}
	extra=
	[ "$variant" = "$spec" ] || extra=$top/patches/canary/${spec#*+}.patch
	start=$(date +%s)
	rc=0
	"$top/scripts/boot-test.sh" --variant "$variant" ${extra:+--extra-patch "$extra"} || rc=$?
	took=$(( $(date +%s) - start ))
	summary=$top/results/latest/summary.json
	got=$(json_field verdict "$summary")
	got_failed=$(grep -o '"name": "[^"]*", "result": "fail"' "$summary" 2>/dev/null |
		sed 's/"name": "\([^"]*\)".*/\1/' | sort | tr '\n' ' ' | sed 's/ $//')
	tests=$(sed -n 's/.*"passed": \([0-9]*\), "failed": \([0-9]*\), "skipped": \([0-9]*\).*/\1 passed, \2 failed/p' "$summary" 2>/dev/null)
	titles=$(grep -o '{"title": "[^"]*"' "$summary" 2>/dev/null | sed 's/{"title": "//; s/"$//' | paste -sd ';' - | sed 's/;/; /g')
	first_title=${titles%%;*}
	ok=0
	if [ "$got" = "$verdict" ]; then
		case $verdict in
		test-failure)
			want=$(printf '%s\n' $expected | sort | tr '\n' ' ' | sed 's/ $//')
			[ "$got_failed" = "$want" ] && ok=1
			;;
		splat)
			rest=$expected
			while [ -n "$rest" ]; do
				prefix=${rest%%|*}
				case $first_title in "$prefix"*) ok=1 ;; esac
				[ "$rest" = "${rest#*|}" ] && break
				rest=${rest#*|}
			done
			;;
		*) [ -z "$titles" ] && [ -z "$got_failed" ] && ok=1 ;;
		esac
	fi
	if [ "$ok" -eq 1 ]; then
		passed=$((passed + 1))
		mark=ok
	else
		failed=$((failed + 1))
		mark=FAIL
		echo "boot-outcome: FAIL $spec: expected $verdict${expected:+ ($expected)}, got ${got:-nothing}" \
			"(exit $rc)${got_failed:+, failed: $got_failed}${titles:+, splats: $titles}; see $summary"
	fi
	echo "boot-outcome: $mark $spec: ${got:-nothing}${got_failed:+ ($got_failed)}${first_title:+ ($first_title)} in ${took}s"
	printf '| %s | %s | %s | %s | %s | %ss | %s |\n' "$spec" "${got:-none}" "${tests:-}" \
		"${got_failed:--}" "${titles:--}" "$took" "$mark" >>"$table"
done <"$file"

proof=${PROOF_TABLE:-$top/results/proof.md}
mkdir -p "$(dirname -- "$proof")"
{
	echo "| variant | verdict | selftest | failed tests | splat titles | time to verdict | as expected |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	cat "$table"
} >"$proof.tmp"
mv "$proof.tmp" "$proof"
echo
cat "$proof"
echo
echo "boot-outcomes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
