#!/bin/sh
# run-lava-job.sh --run DIR [--timeout S]: run the boot-test run DIR's LAVA
# job here, with Debian's lava-run (as root, no LAVA server) on the rig's
# QEMU device (scripts/workflows/lava/qemu-irqfd-rig.yaml), and compare what LAVA
# recorded with the rig's own verdict in DIR/summary.json
# (scripts/workflows/lava/lava-verdict.py). The job is written first when DIR has
# none (make-lava-job.sh). lava-run's log and output go to DIR/lava/.
# Exit: 0 LAVA's results match the rig's verdict, 1 they do not,
# 2 usage, 125 lava-run could not run the job.
set -eu
prog=run-lava-job.sh
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
top=$(CDPATH= cd -- "$here/../../.." && pwd)
build=${BUILD_DIR:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
run= timeout=900
while [ $# -gt 0 ]; do
	case $1 in
	--run) run=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	*) echo "$prog: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$run" ] && [ -f "$run/summary.json" ] || { echo "$prog: --run DIR (a finished boot-test run) is required" >&2; exit 2; }
command -v lava-run >/dev/null || { echo "$prog: lava-run not found: make deps installs lava-dispatcher" >&2; exit 125; }
[ "$(id -u)" -eq 0 ] || { echo "$prog: lava-run runs as root only" >&2; exit 125; }
run=$(CDPATH= cd -- "$run" && pwd)
[ -f "$run/lava-job.yaml" ] || "$here/make-lava-job.sh" --run "$run" --timeout "$timeout" || exit 2
mkdir -p "$run/lava"
rm -rf "$run/lava/output"
echo '{}' >"$run/lava/dispatcher.yaml"
start=$(date +%s)
rc=0
lava-run --job-id "$(basename -- "$run")" --output-dir "$run/lava/output" \
	--device "$here/qemu-irqfd-rig.yaml" --dispatcher "$run/lava/dispatcher.yaml" \
	"$run/lava-job.yaml" >"$run/lava/lava.log" 2>&1 || rc=$?
took=$(( $(date +%s) - start ))
if ! grep -q '"lvl": "results"' "$run/lava/lava.log"; then
	tail -n 20 "$run/lava/lava.log" >&2
	echo "$prog: lava-run (exit $rc) recorded no result; log in $run/lava/lava.log" >&2
	exit 125
fi
echo "$prog: lava-run finished in ${took} s (exit $rc)"
/usr/bin/python3 "$here/lava-verdict.py" --splatscan "$build/bin/splatscan" \
	--serial-out "$run/lava/serial.log" --expect "$run/summary.json" "$run/lava/lava.log"
