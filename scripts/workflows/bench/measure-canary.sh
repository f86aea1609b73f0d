#!/bin/sh
# measure-canary.sh CANARY [RUNS] [TEST_ARGS]: boot the series plus
# patches/canary/CANARY.patch RUNS times (default 10) and print, per run,
# the verdict, the failed tests and how long the first failing Hammer.*
# scenario hammered before it stopped ("ran X s" in its KTAP diagnostics);
# then the figures of the README's proof table: runs with a test-failure
# (no splat) out of RUNS, and the median seconds of hammering and of the
# whole boot-test to the verdict. Figures, not assertions: exit 0.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
canary=${1:?usage: measure-canary.sh CANARY [RUNS] [TEST_ARGS]}
runs=${2:-10}
test_args=${3:-}
patch=$top/patches/canary/$canary.patch
[ -f "$patch" ] || { echo "measure-canary: no $patch" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/measure-canary.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

caught=0
i=1
while [ "$i" -le "$runs" ]; do
	start=$(date +%s)
	"$top/scripts/boot-test.sh" --variant series --extra-patch "$patch" --test-args "$test_args" \
		>"$tmp/run.log" 2>&1 || true
	took=$(( $(date +%s) - start ))
	last=$(tail -n 1 "$tmp/run.log")
	dir=${last##*results in }
	if [ ! -f "$dir/summary.json" ]; then
		echo "run $i: no summary.json; last line: $last"
		i=$((i + 1))
		continue
	fi
	verdict=$(jq -r .verdict "$dir/summary.json")
	failed=$(jq -r '[.tests.results[] | select(.result == "fail") | .name] | join(" ")' "$dir/summary.json")
	first_hammer=$(jq -r '[.tests.results[] | select(.result == "fail") | .name |
		select(startswith("Hammer."))][0] // ""' "$dir/summary.json")
	hammered=-
	if [ -n "$first_hammer" ]; then
		scenario=${first_hammer#Hammer.}
		hammered=$(grep "^# hammer: $scenario seed=" "$dir/ktap.txt" | head -n 1 |
			awk '{ for (f = 1; f < NF; f++) if ($f == "ran") print $(f + 1) }')
	fi
	if [ "$verdict" = test-failure ]; then
		caught=$((caught + 1))
		echo "$took" >>"$tmp/took"
		[ "$hammered" = - ] || echo "$hammered" >>"$tmp/hammered"
	fi
	echo "run $i: $verdict in ${took}s; hammered ${hammered}s; failed: ${failed:--}; $dir"
	i=$((i + 1))
done
touch "$tmp/took" "$tmp/hammered"
echo "measure-canary: $canary: test-failure in $caught/$runs runs;" \
	"median hammering to verdict $(median <"$tmp/hammered") s;" \
	"median boot-test to verdict $(median <"$tmp/took") s"
