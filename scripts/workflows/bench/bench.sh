#!/bin/sh
# bench.sh: every figure of the rig in one table, each the median of several
# runs with min and max beside it, and the same in results/bench.json.
#
#   cold set-up to verdict   empty cache and ccache (the .deb copied, not
#                            downloaded), boot-test --variant base
#   warm re-run              boot-test --variant series, nothing changed
#   one-file change          touch virt/kvm/eventfd.c, boot-test series
#   boot to /init            from those runs' summary.json
#   variant switch           base -> series -> series+canary -> series: the
#                            tree, seed, config and build phases of each step
#   boot: QEMU start to the kernel clock, kernel clock to /init, initcalls,
#         /init to the selftest: boot-profile.sh on boots with initcall_debug
#   hammer cycles/s          Hammer.* for HAMMER_S seconds, per scenario and op
#   splat-to-verdict         series+use-after-free: first splat on the console
#                            to QEMU stopped and the log closed
#   splatscan MB/s, RSS      bench-splatscan on a 100 MB console log
#   bisect steps and time    make bisect GOOD=pristine BAD=canary/use-after-free
#
# Figures, not assertions: a figure that could not be measured is shown as
# such with its reason, and the exit status is 1.
#
# Usage: scripts/workflows/bench/bench.sh
# Env:   RUNS (default 3), COLD_RUNS (default 1: about 10 min each),
#        BISECT_RUNS (default 1: about 3 min each), HAMMER_S (default 10),
#        BUILD_DIR, IRQFD_RIG_CACHE
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
build_dir=${BUILD_DIR:-$top/build}
case $build_dir in /*) ;; *) build_dir=$top/$build_dir ;; esac
. "$top/scripts/lib/rig.sh"	# CACHE, now_ms
runs=${RUNS:-3} cold_runs=${COLD_RUNS:-1} bisect_runs=${BISECT_RUNS:-1} hammer_s=${HAMMER_S:-10}
boot_test=$top/scripts/boot-test.sh
results=$top/results

work=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
cold=
cleanup() { rm -rf "$work" ${cold:+"$cold"}; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
samples=$work/samples	# "figure|unit|value" lines
problems=$work/problems	# "figure|why" lines
: >"$samples"
: >"$problems"

sample() { printf '%s|%s|%s\n' "$1" "$2" "$3" >>"$samples"; }
problem() { printf '%s|%s\n' "$1" "$2" >>"$problems"; echo "bench: $1: $2" >&2; }
# field KEY SUMMARY: a top-level value of a summary.json, empty when null.
field() { jq -r --arg k "$1" '.[$k] // empty' "$2" 2>/dev/null; }
# boot_test ARGS...: one boot-test; $run is then its own run directory
# (never results/latest, which a concurrent run may have moved).
boot_test() {
	: >"$work/run"
	"$boot_test" --run-file "$work/run" "$@"
}
run_dir() { cat "$work/run"; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
step() { echo "bench: $* ..."; }

# timed_boot_test FIGURE WANT-EXIT ARGS...: one boot-test, its wall time a
# sample of FIGURE, its boot-to-/init a sample too. Sets $run.
timed_boot_test() {
	figure=$1 want=$2
	shift 2
	t0=$(now_ms)
	rc=0
	boot_test "$@" >"$work/log" 2>&1 || rc=$?
	ms=$(( $(now_ms) - t0 ))
	run=$(run_dir)
	if [ "$rc" -ne "$want" ]; then
		problem "$figure" "boot-test $* exited $rc, not $want (see $run)"
		return 1
	fi
	sample "$figure" s "$(secs "$ms")"
	b=$(field boot_to_init_s "$run/summary.json")
	[ -z "$b" ] || sample "boot to /init" s "$b"
	echo "bench:   $figure: $(secs "$ms") s"
	[ "$figure" = "warm re-run" ] || return 0
	# Where a warm run's time goes: each phase of boot-test, and the rig's own
	# overhead, the wall time less the hammer's configured seconds (the
	# selftest prints them on its first line).
	for p in tree config build initramfs; do
		v=$(jq -r --arg p "$p" '.durations_s[$p] // empty' "$run/summary.json" 2>/dev/null)
		[ -z "$v" ] || sample "warm: $p phase" s "$v"
	done
	hs=$(sed -n 's/.*--hammer-seconds=\([0-9]*\).*/\1/p' "$run/serial.log" | head -n 1)
	if [ -n "$hs" ]; then
		sample "warm overhead (wall time less the ${hs} s of hammer)" s "$(awk -v ms="$ms" -v h="$hs" 'BEGIN { printf "%.1f", ms / 1000 - h }')"
	fi
}

# --- cold ----------------------------------------------------------------------
i=0
while [ "$i" -lt "$cold_runs" ]; do
	i=$((i + 1))
	step "cold set-up to verdict, run $i/$cold_runs (about 10 min)"
	cold=$(mktemp -d "${TMPDIR:-/tmp}/bench-cold.XXXXXX")
	mkdir -p "$cold/downloads"
	cp "$CACHE"/downloads/*.deb "$cold/downloads/" 2>/dev/null ||
		{ problem "cold set-up to verdict" "no .deb in $CACHE/downloads to start from"; break; }
	IRQFD_RIG_CACHE=$cold CCACHE_DIR=$cold/ccache timed_boot_test "cold set-up to verdict" 1 --variant base || true
	rm -rf "$cold"
	cold=
done

# --- warm, one-file change -----------------------------------------------------------
step "warming up the series build"
"$boot_test" --variant series >"$work/log" 2>&1 || problem "warm re-run" "the warm-up boot-test of the series failed"
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	step "warm re-run $i/$runs"
	timed_boot_test "warm re-run" 0 --variant series || true
	step "one-file change to verdict $i/$runs"
	# A new mtime, and make run although the content is the same (the
	# build stamp would rightly skip it): the work of editing that file.
	touch "$CACHE/linux/virt/kvm/eventfd.c"
	export IRQFD_RIG_REBUILD=1
	timed_boot_test "one-file change to verdict" 0 --variant series || true
	unset IRQFD_RIG_REBUILD
done

# --- variant switch ----------------------------------------------------------------
# base -> series -> series+canary -> series on a warm cache: what each switch
# costs before the boot (tree, seed, config and build phases), with a 1 s
# hammer so the boots stay short.
step "variant switch: base, series, series+use-after-free, series"
prev=
for v in base series series+canary series; do
	case $v in
	series+canary) set -- --variant series --extra-patch "$top/patches/canary/use-after-free.patch" ;;
	*) set -- --variant "$v" ;;
	esac
	rc=0
	boot_test "$@" --test-args '--hammer-seconds=1' >"$work/log" 2>&1 || rc=$?
	run=$(run_dir)
	if [ -n "$prev" ]; then
		s=$(jq -r '[.durations_s | (.tree, .seed, .config, .build) // 0] | add | . * 10 | round / 10' "$run/summary.json" 2>/dev/null)
		if [ -n "$s" ] && [ "$rc" -ne 125 ]; then
			sample "variant switch $prev to $v (tree+config+build)" s "$s"
			echo "bench:   $prev to $v: $s s before the boot"
		else
			problem "variant switch $prev to $v" "boot-test exited $rc (see $run)"
		fi
	fi
	prev=$v
done

# --- where boot to /init goes ------------------------------------------------------
# A boot with initcall_debug (ignore_loglevel: its lines are KERN_DEBUG),
# split by boot-profile.sh; the slowest initcalls of the last one are
# printed after the table.
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	step "boot profile $i/$runs (initcall_debug, make run CMD=true)"
	rc=0
	APPEND_EXTRA='initcall_debug ignore_loglevel' boot_test --variant series --command true >"$work/log" 2>&1 || rc=$?
	run=$(run_dir)
	if [ "$rc" -ne 0 ]; then
		problem "boot profile" "make run CMD=true with initcall_debug exited $rc (see $run)"
		continue
	fi
	if "$top/scripts/workflows/bench/boot-profile.sh" --samples "$run" >>"$samples" &&
		"$top/scripts/workflows/bench/boot-profile.sh" "$run" >"$work/profile"; then
		sed 's/^/bench:   /' "$work/profile"
	else
		problem "boot profile" "boot-profile.sh could not read $run"
	fi
done

# --- splat-to-verdict ----------------------------------------------------------------
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	step "splat-to-verdict latency $i/$runs"
	rc=0
	boot_test --variant series --extra-patch "$top/patches/canary/use-after-free.patch" >"$work/log" 2>&1 || rc=$?
	run=$(run_dir)
	first=$(field first_splat_s "$run/summary.json")
	boot=$(jq -r '.durations_s.boot // empty' "$run/summary.json" 2>/dev/null)
	if [ "$rc" -ne 2 ] || [ -z "$first" ] || [ -z "$boot" ]; then
		problem "splat-to-verdict" "the use-after-free canary gave exit $rc, no splat time (see $run)"
		continue
	fi
	# The boot phase starts QEMU and ends when it is stopped and the log
	# closed; boot-verdict after it takes well under a second.
	latency=$(awk -v b="$boot" -v f="$first" 'BEGIN { printf "%.1f", b - f }')
	sample "splat-to-verdict" s "$latency"
	echo "bench:   splat at $first s after QEMU start, verdict $latency s later"
done

# --- hammer ----------------------------------------------------------------------------
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	step "hammer $i/$runs (${hammer_s} s per scenario)"
	rc=0
	boot_test --variant series --test-args "--gtest_filter=Hammer.* --hammer-seconds=$hammer_s" \
		>"$work/log" 2>&1 || rc=$?
	run=$(run_dir)
	if [ "$rc" -ne 0 ]; then
		problem "hammer" "the hammer run exited $rc (see $run)"
		continue
	fi
	sed -n 's/^# hammer: \([A-Za-z]*\) \(.*\) [0-9]* ops, \([0-9.]*\)\/s$/\1 \2|\3/p' "$run/ktap.txt" |
		while IFS='|' read -r what rate; do sample "hammer $what" "ops/s" "$rate"; done
done

# --- splatscan ---------------------------------------------------------------------------
step "splatscan on a 100 MB console log"
if "$build_dir/bin/bench-splatscan" --bin "$build_dir/bin/splatscan" >"$work/log" 2>&1; then
	# "console log + reports  105 MB  168.6  [ 146.3 - 173.4]  3.8 MiB  0.59 s"
	line=$(grep '^console log + reports' "$work/log")
	set -- $(echo "$line" | tr -d '[]' | sed 's/console log + reports//')
	# $1 size, $2 MB, $3 median, $4 min, $5 -, $6 max, $7 rss
	printf 'splatscan throughput|MB/s|%s|%s|%s|3\n' "$3" "$4" "$6" >"$work/precomputed"
	sample "splatscan peak RSS" MiB "$7"
else
	problem "splatscan throughput" "bench-splatscan failed: $(tail -n 1 "$work/log")"
fi

# --- bisect --------------------------------------------------------------------------------
i=0
while [ "$i" -lt "$bisect_runs" ]; do
	i=$((i + 1))
	step "bisect $i/$bisect_runs (about 3 min)"
	t0=$(now_ms)
	if BUILD_DIR=$build_dir BISECT_BAD_ON=splat "$top/scripts/workflows/bisect/bisect.sh" v6.12.117-deb-pristine canary/use-after-free \
		>"$work/log" 2>&1 </dev/null; then
		ms=$(( $(now_ms) - t0 ))
		n=$(grep -c '^bisect-step: .* run 1/' "$work/log" || true)
		sample "bisect time" s "$(secs "$ms")"
		sample "bisect steps" steps "$n"
		echo "bench:   $n steps, $(secs "$ms") s"
	else
		problem "bisect" "make bisect failed: $(tail -n 1 "$work/log")"
	fi
done

# --- the table and bench.json -----------------------------------------------------------
# median/min/max per figure, in the order first sampled.
awk -F'|' '
	!($1 in n) { order[++k] = $1; unit[$1] = $2 }
	{ v[$1, ++n[$1]] = $3 + 0 }
	END {
		for (i = 1; i <= k; i++) {
			f = order[i]; m = n[f]
			for (a = 1; a <= m; a++) s[a] = v[f, a]
			for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
			med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
			printf "%s|%s|%.1f|%.1f|%.1f|%d\n", f, unit[f], med, s[1], s[m], m
		}
	}' "$samples" >"$work/figures"
[ ! -f "$work/precomputed" ] || cat "$work/precomputed" >>"$work/figures"

{
	printf '%-44s %10s %10s %10s %6s  %s\n' figure median min max runs unit
	while IFS='|' read -r f u med mn mx m; do
		printf '%-44s %10s %10s %10s %6s  %s\n' "$f" "$med" "$mn" "$mx" "$m" "$u"
	done <"$work/figures"
	while IFS='|' read -r f why; do
		printf '%-44s %10s  %s\n' "$f" "-" "not measured: $why"
	done <"$problems"
} >"$work/table"
mkdir -p "$results"
{
	echo "{"
	echo "  \"machine\": {\"cpus\": $(nproc), \"kernel\": \"$(uname -r)\"},"
	echo "  \"figures\": ["
	awk -F'|' '{ printf "%s    {\"figure\": \"%s\", \"unit\": \"%s\", \"median\": %s, \"min\": %s, \"max\": %s, \"runs\": %s}", (NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, $6 } END { print "" }' "$work/figures"
	echo "  ],"
	echo "  \"not_measured\": ["
	awk -F'|' '{ gsub(/"/, "\\\"", $2); printf "%s    {\"figure\": \"%s\", \"why\": \"%s\"}", (NR > 1 ? ",\n" : ""), $1, $2 } END { print "" }' "$problems"
	echo "  ]"
	echo "}"
} >"$results/bench.json.tmp"
mv "$results/bench.json.tmp" "$results/bench.json"
echo
cat "$work/table"
if [ -f "$work/profile" ]; then
	echo
	echo "boot to /init, the last profiled boot (scripts/workflows/bench/boot-profile.sh):"
	cat "$work/profile"
fi
echo
echo "bench: figures in $results/bench.json"
[ ! -s "$problems" ]
