#!/bin/sh
# stress.sh: many boot-tests of one kernel, to catch what happens only
# sometimes. The first run builds the kernel alone; once its build is done,
# N boot-tests in all run M at a time, each with its own hammer seed
# (--hammer-seed=S added to the selftest's arguments) and its own run
# directory (boot-test's --run-file, never results/latest). At the end, or
# on Ctrl-C (every QEMU is stopped; the runs that finished are reported),
# build/bin/stress-report writes stress.json and prints the table: per
# splat title and per failing test how many runs, the first run and its
# seed, the time to the first report; the detection rate (runs that did not
# pass, of those judged) with its Wilson 95% interval; the seeds that
# caught it and how to replay one.
#
# Usage: scripts/workflows/stress/stress.sh [--runs N] [--jobs M] [--variant V] [--extra-patch FILE]
#                                 [--test-args "ARGS"] [--timeout S] [--seed-base S]
# --runs 10 by default; --jobs: nproc/2 (each guest has 2 vCPUs), at least 1.
# Run i's seed is SEED_BASE + 1000*i: the selftest seeds hammer thread t with
# seed+t, so seeds 1000 apart never share a thread's stream. The base is
# random unless given.
# Results: RESULTS/stress-<stamp>-<name>/ (stress.json, table.txt, runs.tsv,
# one boot-test log per run); the runs' own directories are in RESULTS.
# Exit: 0 every judged run passed, 1 at least one caught something,
#       125 no run could be judged (the build failed, ...), 130 interrupted.
set -eu
prog=stress.sh
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
top=$(CDPATH= cd -- "$here/../../.." && pwd)
build=${BUILD_DIR:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
export BUILD_DIR="$build"
results=${RESULTS:-$top/results}
case $results in /*) ;; *) results=$top/$results ;; esac
DIE_STATUS=125
. "$top/scripts/lib/rig.sh"	# die

runs=10 jobs= variant= extra= test_args= timeout=900 seed_base=
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--runs) runs=${2:?}; shift 2 ;;
	--jobs) jobs=${2:?}; shift 2 ;;
	--variant) variant=${2:?}; shift 2 ;;
	--extra-patch) extra=${2:?}; shift 2 ;;
	--test-args) test_args=${2-}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--seed-base) seed_base=${2:?}; shift 2 ;;
	*) die "unknown argument '$1' (--help lists them)" ;;
	esac
done
[ -n "$jobs" ] || jobs=$(( $(nproc) / 2 ))
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
case $runs$jobs$timeout in *[!0-9]*) die "--runs, --jobs and --timeout take whole numbers" ;; esac
[ "$runs" -ge 1 ] || die "--runs must be at least 1"
case " $test_args" in *" --hammer-seed"*) die "--test-args must not hold --hammer-seed: each run gets its own" ;; esac
if [ -z "$seed_base" ]; then
	seed_base=$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')
	seed_base=$((seed_base * 1000))
fi
case $seed_base in '' | *[!0-9]*) die "--seed-base takes a whole number" ;; esac
[ -z "$extra" ] || [ -f "$extra" ] || die "no patch file at $extra"
# The tests stand a fake boot-test in for the real one.
boot_test=${STRESS_BOOT_TEST:-$top/scripts/boot-test.sh}
for tool in "$build/bin/stress-report" "$boot_test"; do
	[ -x "$tool" ] || die "$tool is missing: run 'make' first"
done

name=${variant:-default}
# printf, not a pipe from basename: its newline would become a '_'.
[ -z "$extra" ] || name=$name+$(printf '%s' "$(basename -- "$extra" .patch)" | LC_ALL=C tr -c 'A-Za-z0-9._+-' '_')
dir=$results/stress-$(date +%Y%m%d-%H%M%S)-$name
mkdir -p "$results"
mkdir "$dir" || die "cannot create $dir"
: >"$dir/runs.tsv"

now() { date +%s.%N | cut -c1-14; }
t0=$(now)
since() { awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
echo "$prog: $runs run(s), $jobs at a time, seeds $((seed_base + 1000))..$((seed_base + 1000 * runs)) in steps of 1000; in $dir"

start_run() {
	i=$1
	seed=$((seed_base + 1000 * i))
	eval "seed_$i=$seed start_$i=$(since)"
	(
		set -- --test-args "${test_args:+$test_args }--hammer-seed=$seed" --timeout "$timeout" \
			--run-file "$dir/run-$i.dir"
		[ -z "$variant" ] || set -- "$@" --variant "$variant"
		[ -z "$extra" ] || set -- "$@" --extra-patch "$extra"
		exec "$boot_test" "$@"
	) >"$dir/run-$i.log" 2>&1 </dev/null &
	eval "pid_$i=$!"
	running="$running $i"
	echo "$prog: run $i/$runs started (seed $seed)"
}

# A finished run: its exit status, its directory, one line of runs.tsv.
reap() {
	i=$1
	eval "pid=\$pid_$i seed=\$seed_$i start=\$start_$i"
	rc=0
	wait "$pid" || rc=$?
	run_dir=$(cat "$dir/run-$i.dir" 2>/dev/null || true)
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$seed" "$run_dir" "$rc" "$start" "$(since)" >>"$dir/runs.tsv"
	verdict=$(jq -r '.verdict // "no verdict"' "$run_dir/summary.json" 2>/dev/null || echo "no summary.json")
	echo "$prog: run $i/$runs (seed $seed): $verdict (exit $rc) after $(since) s; $run_dir"
	[ "$i" != 1 ] || first_rc=$rc
}

interrupted=
on_signal() {
	trap '' INT TERM HUP
	interrupted=$1
	echo "$prog: interrupted: stopping the running boot-tests (each stops its QEMU)"
	for i in $running; do
		eval "kill -TERM \$pid_$i" 2>/dev/null || true
	done
}
trap 'on_signal SIGINT' INT
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGHUP' HUP

running= next=1 first_rc=
# The first run builds alone; the others only boot what it built (boot-test
# holds the tree lock only until its build ends).
build_done() {
	[ -n "$first_rc" ] && return 0
	d=$(cat "$dir/run-1.dir" 2>/dev/null || true)
	[ -n "$d" ] || return 1
	case $(cat "$d/.phase" 2>/dev/null || true) in initramfs | boot) return 0 ;; esac
	return 1
}
while :; do
	still=
	for i in $running; do
		eval "pid=\$pid_$i"
		if kill -0 "$pid" 2>/dev/null; then still="$still $i"; else reap "$i"; fi
	done
	running=$still
	[ -z "$interrupted" ] || { [ -n "$running" ] && { sleep 1; continue; }; break; }
	if [ -n "$first_rc" ] && [ "$first_rc" -eq 125 ] && [ "$next" -le "$runs" ]; then
		echo "$prog: the first run ended in infra-error (exit 125): not starting the others; see $dir/run-1.log"
		next=$((runs + 1))
	fi
	while [ "$next" -le "$runs" ] && [ "$(echo $running | wc -w)" -lt "$jobs" ] &&
		{ [ "$next" -eq 1 ] || build_done; }; do
		start_run "$next"
		next=$((next + 1))
	done
	[ -n "$running" ] || [ "$next" -le "$runs" ] || break
	sleep 1
done

sort -n "$dir/runs.tsv" >"$dir/runs.tsv.tmp" && mv "$dir/runs.tsv.tmp" "$dir/runs.tsv"
"$build/bin/stress-report" --runs "$dir/runs.tsv" --out "$dir/stress.json" \
	--meta variant="${variant:-default}" --meta extra_patch="$extra" --meta test_args="$test_args" \
	--meta jobs="$jobs" --meta runs_requested="$runs" --meta seed_base="$seed_base" \
	--meta interrupted="${interrupted:-no}" --meta wall_s="$(since)" | tee "$dir/table.txt"
seed=$(jq -r '.detection.seeds[0] // empty' "$dir/stress.json")
if [ -n "$seed" ]; then
	echo "replay: make boot-test${variant:+ VARIANT=$variant}${extra:+ EXTRA_PATCH=$extra} TEST_ARGS='${test_args:+$test_args }--hammer-seed=$seed'"
fi
echo "$prog: stress.json and table.txt in $dir (wall time $(since) s)"
[ -z "$interrupted" ] || exit 130
[ "$(jq -r .runs_judged "$dir/stress.json")" -gt 0 ] || exit 125
[ "$(jq -r .detection.caught "$dir/stress.json")" -eq 0 ] || exit 1
