#!/bin/sh
# bench-hammer.sh [boot-test options...]: run only the selftest's Hammer.*
# scenarios in the guest (2 vCPUs under TCG, KASAN and lockdep) and print
# their cycles per second per operation. Figures, not assertions.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
args=${HAMMER_ARGS:---hammer-seconds=30}
log=$(mktemp "${TMPDIR:-/tmp}/bench-hammer.XXXXXX")
run_file=$(mktemp "${TMPDIR:-/tmp}/bench-hammer-run.XXXXXX")
trap 'rm -f "$log" "$run_file"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
rc=0
"$top/scripts/boot-test.sh" --test-args "--gtest_filter=Hammer.* $args" --run-file "$run_file" "$@" >"$log" 2>&1 || rc=$?
run=$(cat "$run_file")
ktap=$run/ktap.txt
if [ "$rc" -ne 0 ] || [ -z "$run" ] || [ ! -s "$ktap" ]; then
	tail -n 20 "$log" >&2
	echo "bench-hammer: the hammer run did not pass (exit $rc); see ${run:-the output above}" >&2
	exit 1
fi
echo "bench-hammer: $(jq -r .variant "$run/summary.json") kernel, selftest args: $args"
printf '%-18s %-26s %10s %10s\n' scenario operation ops per-second
sed -n 's/^# hammer: \([A-Za-z]*\) \(.*\) \([0-9]*\) ops, \([0-9.]*\)\/s$/\1 \2 \3 \4/p' "$ktap" |
	while read -r scenario op ops rate; do
		printf '%-18s %-26s %10s %10s\n' "$scenario" "$op" "$ops" "$rate"
	done
echo "assign+deassign+close cycles per second, per scenario:"
sed -n 's/^# hammer: \([A-Za-z]*\) assign+deassign+close \([0-9]*\) ops, \([0-9.]*\)\/s$/  \1: \3\/s/p' "$ktap"
