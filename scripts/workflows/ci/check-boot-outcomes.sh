#!/bin/sh
# check-boot-outcomes.sh [EXPECTATIONS_FILE]: run `scripts/boot-test.sh` for
# each line of the file (tests/boot-expectations.txt), compare the verdict,
# failed tests and splat titles with what the line expects, and print the
# proof table (also written to results/proof.md, or to $PROOF_TABLE). Ends
# with a tally line "boot-outcomes: N passed, N failed" that run-checks.sh
# adds to its own. VARIANT may be base, series or series-K (the first K
# patches of the series). With RUNS_FILE set, each line's run directory is
# added to that file as "SPEC<tab>DIR" (make check's LAVA stage reuses the
# series run instead of booting it again).
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
file=${1:-$top/tests/boot-expectations.txt}
table=$(mktemp "${TMPDIR:-/tmp}/proof.XXXXXX")
run_file=$(mktemp "${TMPDIR:-/tmp}/proof-run.XXXXXX")
trap 'rm -f "$table" "$run_file"' EXIT
passed=0 failed=0

# jq FILTER on the run's summary.json; nothing when there is none.
summary_jq() { jq -r "$1" "$summary" 2>/dev/null || true; }

while read -r spec verdict expected; do
	case $spec in '' | '#'*) continue ;; esac
	variant=${spec%%+*}
	extra=
	[ "$variant" = "$spec" ] || extra=$top/patches/canary/${spec#*+}.patch
	# "TITLE-PREFIXES @FILE": the first splat's guilty frame must also be
	# resolved to FILE:LINE, with the file's maintainers named.
	want_at=
	case $expected in *' @'*) want_at=${expected##* @}; expected=${expected% @*} ;; esac
	start=$(date +%s)
	rc=0
	: >"$run_file"
	"$top/scripts/boot-test.sh" --variant "$variant" ${extra:+--extra-patch "$extra"} --run-file "$run_file" || rc=$?
	took=$(( $(date +%s) - start ))
	# This run's own directory: results/latest may already be another run's.
	summary=$(cat "$run_file")/summary.json
	[ -z "${RUNS_FILE:-}" ] || printf '%s\t%s\n' "$spec" "$(cat "$run_file")" >>"$RUNS_FILE"
	got=$(summary_jq .verdict)
	got_failed=$(summary_jq '[.tests.results[] | select(.result == "fail") | .name] | sort | join(" ")')
	tests=$(summary_jq '"\(.tests.passed) passed, \(.tests.failed) failed"')
	titles=$(summary_jq '[.splats[] | .title + (if .guilty then " at " + .guilty else "" end)] | join("; ")')
	first_title=${titles%%;*}
	ok=0
	if [ "$got" = "$verdict" ]; then
		case $verdict in
		test-failure)
			want=$(printf '%s\n' $expected | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
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
			if [ "$ok" -eq 1 ] && [ -n "$want_at" ]; then
				got_at=$(summary_jq '"\(.splats[0].guilty // "")|\(.splats[0].maintainers // [] | length)"')
				case ${got_at%|*} in
				"$want_at":[0-9]*) [ "${got_at#*|}" -gt 0 ] || ok=0 ;;
				*) ok=0 ;;
				esac
				[ "$ok" -eq 1 ] || titles="$titles (guilty frame at ${got_at%|*}, ${got_at#*|} maintainers; expected $want_at:LINE and some)"
			fi
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
		# What the selftest said about each failed test (the diagnostics
		# between the previous result and its "not ok"), and the run's
		# reason: CI keeps only the end of the output, where make check
		# repeats these lines.
		echo "  detail: $spec: $(summary_jq .reason)"
		ktap=${summary%/summary.json}/ktap.txt
		if [ -f "$ktap" ]; then
			awk -v spec="$spec" '
				/^(ok|not ok) / { if ($1 == "not") for (i = 0; i < n && i < 4; i++) print "  detail: " spec ": " d[i]; n = 0; next }
				/^# / && !/^# hammer: / { d[n++] = $0 }' "$ktap" | head -n 12
		fi
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
