#!/bin/sh
# lava-run-test.sh CASE: the LAVA path end to end without a kernel. The
# fixture tests/kcidb/runs/CASE (a pass, a test-failure, a splat console, or
# a guest that hangs after two tests: LAVA's monitor times out)
# is judged by boot-verdict (the rig's verdict), make-lava-job.sh writes its
# LAVA job (checked with LAVA's schema), lava-run runs it on the rig's
# device (scripts/workflows/lava/qemu-irqfd-rig.yaml) whose QEMU is replaced by
# fake-qemu-console.sh printing the fixture, and lava-verdict.py must find
# in lava-run's result records exactly the rig's verdict, KTAP results and
# splat titles. Then the comparison must be able to fail: the same LAVA log
# against another fixture's summary.json must differ.
# Needs root (lava-run refuses otherwise) and Debian's lava-dispatcher.
set -eu
case_name=${1:?usage: lava-run-test.sh pass|test-failure|splat|timeout}
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
top=$(CDPATH= cd -- "$here/../.." && pwd)
build=${BUILD_DIR:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
fail() { echo "lava-run-test $case_name: FAIL: $*" >&2; exit 1; }
command -v lava-run >/dev/null || fail "lava-run not found: install lava-dispatcher (make deps)"
[ "$(id -u)" -eq 0 ] || fail "lava-run runs as root only"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/lava-run-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
run=$scratch/20261201-023433-series
mkdir "$run"
cp "$here/../kcidb/runs/$case_name/serial.log" "$here/../kcidb/runs/$case_name/run.env" "$run/"
# Stand-ins for the images: LAVA only copies them.
echo "not a kernel" >"$scratch/bzImage"
echo "not an initramfs" >"$scratch/initramfs.cpio.gz"
sha() { sha256sum <"$1" | cut -c1-64; }
"$build/bin/boot-verdict" --run "$run" --meta variant=series \
	--meta kernel_image="$scratch/bzImage" --meta kernel_sha256="$(sha "$scratch/bzImage")" \
	--meta initramfs="$scratch/initramfs.cpio.gz" --meta initramfs_sha256="$(sha "$scratch/initramfs.cpio.gz")" \
	--meta kernel_cmdline="console=ttyS0 panic=-1 tsc=reliable" --number build=1 >/dev/null || true
[ "$(jq -r .verdict "$run/summary.json")" = "$case_name" ] || fail "the fixture is not a $case_name"

job_timeout=60 hang=
[ "$case_name" != timeout ] || { job_timeout=5 hang=--hang; }
"$top/scripts/workflows/lava/make-lava-job.sh" --run "$run" --timeout "$job_timeout" >/dev/null || fail "make-lava-job.sh failed"

# The rig's device, with the fake console for QEMU.
printf '#!/bin/sh\nexec sh %s %s %s "$@"\n' "$here/fake-qemu-console.sh" "$hang" "$run/serial.log" >"$scratch/qemu-system-x86_64"
chmod +x "$scratch/qemu-system-x86_64"
/usr/bin/python3 - "$top/scripts/workflows/lava/qemu-irqfd-rig.yaml" "$scratch/qemu-system-x86_64" "$scratch/device.yaml" <<'PY'
import sys
import yaml
with open(sys.argv[1], encoding="utf-8") as f:
    device = yaml.safe_load(f)
device["actions"]["boot"]["methods"]["qemu"]["parameters"]["command"] = sys.argv[2]
with open(sys.argv[3], "w", encoding="utf-8") as f:
    yaml.safe_dump(device, f)
PY
echo '{}' >"$scratch/dispatcher.yaml"
rc=0
lava-run --job-id "test-$case_name" --output-dir "$scratch/lava-out" --device "$scratch/device.yaml" \
	--dispatcher "$scratch/dispatcher.yaml" "$run/lava-job.yaml" >"$scratch/lava.log" 2>&1 || rc=$?
grep -q '"lvl": "results"' "$scratch/lava.log" || { tail -20 "$scratch/lava.log"; fail "lava-run (exit $rc) recorded no result"; }

if ! /usr/bin/python3 "$top/scripts/workflows/lava/lava-verdict.py" --splatscan "$build/bin/splatscan" \
	--expect "$run/summary.json" "$scratch/lava.log" >"$scratch/verdict.out"; then
	cat "$scratch/verdict.out"
	grep '"lvl": "\(results\|error\|warning\)"' "$scratch/lava.log" | tail -20
	fail "LAVA's results do not match the rig's verdict"
fi
grep '^lava-verdict:' "$scratch/verdict.out"

# The comparison can fail: against another outcome's summary it must.
other=pass
[ "$case_name" != pass ] || other=splat
mkdir "$scratch/other"
cp "$here/../kcidb/runs/$other/serial.log" "$here/../kcidb/runs/$other/run.env" "$scratch/other/"
"$build/bin/boot-verdict" --run "$scratch/other" >/dev/null || true
if /usr/bin/python3 "$top/scripts/workflows/lava/lava-verdict.py" --splatscan "$build/bin/splatscan" \
	--expect "$scratch/other/summary.json" "$scratch/lava.log" >/dev/null; then
	fail "lava-verdict found the $case_name LAVA log to match a $other run"
fi
echo "lava-run-test $case_name: ok (lava-run exit $rc)"
