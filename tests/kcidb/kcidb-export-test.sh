#!/bin/sh
# kcidb-export-test.sh CASE: make a run directory from the fixture
# tests/kcidb/runs/CASE (serial.log and run.env as qemu-supervise leaves
# them), judge it with boot-verdict as boot-test does, export it with
# kcidb-export, and validate the result with kcidb-io's latest schema
# (../shared/vendor/kcidb-io, Debian's python3-jsonschema). Then check what
# the submission says against the rig's verdict, and that the validator
# rejects a broken copy (so that a pass means something).
# Env: BUILD_DIR (default build), KCIDB_IO (default ../shared/vendor/kcidb-io),
#      PYTHON (default /usr/bin/python3: Debian's, with python3-jsonschema).
set -eu
case_name=${1:?usage: kcidb-export-test.sh pass|test-failure|splat|timeout}
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
top=$(CDPATH= cd -- "$here/../.." && pwd)
build=${BUILD_DIR:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
kcidb_io=${KCIDB_IO:-$top/../shared/vendor/kcidb-io}
python=${PYTHON:-/usr/bin/python3}
fail() { echo "kcidb-export-test $case_name: FAIL: $*" >&2; exit 1; }

[ -d "$here/runs/$case_name" ] || fail "no fixture $here/runs/$case_name"
[ -d "$kcidb_io/kcidb_io" ] || fail "kcidb-io is not at $kcidb_io (set KCIDB_IO)"
[ -x "$python" ] || fail "$python not found (install python3-jsonschema)"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/kcidb-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
run=$scratch/20261201-023433-series
mkdir "$run"
cp "$here/runs/$case_name/serial.log" "$here/runs/$case_name/run.env" "$run/"

# What boot-test.sh passes to boot-verdict after a boot.
rc=0
"$build/bin/boot-verdict" --run "$run" --meta variant=series --meta config_hash=5d0c4a1e9f3b2c70 \
	--meta kernel_tag=v6.12.117-deb-pristine --meta kernel_head=c7415205b633 \
	--meta test_args=--hammer-seed=7 \
	--list patches=0001-sched-wait.patch,0002-KVM-irqfd.patch,0003-KVM-irqfd.patch \
	--list patch_ids=1111111111111111111111111111111111111111,2222222222222222222222222222222222222222,3333333333333333333333333333333333333333 \
	--number fetch=0.2 --number tree=1.5 --number config=3.1 --number build=20.4 \
	--number initramfs=0.8 --number boot=50.2 >"$scratch/verdict.out" || rc=$?
verdict=$(jq -r .verdict "$run/summary.json")
[ "$verdict" = "$case_name" ] || fail "boot-verdict says $verdict (exit $rc), the fixture is a $case_name"

"$build/bin/kcidb-export" --run "$run" >/dev/null || fail "kcidb-export failed"
out=$run/kcidb.json
PYTHONPATH=$kcidb_io "$python" "$top/scripts/workflows/kcidb-export/validate-kcidb.py" "$out" || fail "kcidb-io rejects $out"

# The submission must say what the rig said.
status_of() { jq -r --arg p "$1" '[.tests[] | select(.path == $p) | .status] | join(",")' "$out"; }
count() { jq -r --arg s "$1" '[.tests[] | select(.status == $s)] | length' "$out"; }
[ "$(status_of boot)" = PASS ] || fail "boot is '$(status_of boot)', not PASS"
[ "$(jq -r '.tests | length' "$out")" -eq $(( 2 + $(jq -r '.tests.reported' "$run/summary.json") + $(jq -r '.splats | length' "$run/summary.json") )) ] ||
	fail "not one test per KTAP result and splat (plus boot and the suite)"
case $case_name in
pass)
	[ "$(count PASS)" -eq 6 ] && [ "$(count FAIL)" -eq 0 ] || fail "a pass run must be 6 PASS, no FAIL"
	;;
test-failure)
	[ "$(status_of irqfd_selftest.IrqfdTest.OneEventfdTwoVmsIsBusyOrReachesBoth)" = FAIL ] ||
		fail "the failed KTAP test is not FAIL"
	[ "$(status_of irqfd_selftest.Hammer.CloseRaces)" = SKIP ] || fail "a KTAP SKIP must stay SKIP"
	[ "$(status_of irqfd_selftest)" = FAIL ] || fail "the suite is not FAIL"
	[ "$(count FAIL)" -eq 2 ] || fail "expected 2 FAIL (the test and its suite)"
	;;
splat)
	[ "$(status_of kernel_splat.BUG)" = FAIL ] || fail "the splat is not a FAIL test"
	jq -e '.tests[] | select(.path == "kernel_splat.BUG") |
		(.comment == "kernel BUG in irqfd_deactivate") and
		(.log_excerpt | contains("kernel BUG at virt/kvm/eventfd.c:131!")) and
		(.log_excerpt | contains("irqfd_wakeup"))' "$out" >/dev/null ||
		fail "the splat test lacks its title or log excerpt"
	# The guest was stopped after the splat: the suite did not complete.
	[ "$(status_of irqfd_selftest)" = ERROR ] || fail "the stopped suite is not ERROR"
	[ "$(count PASS)" -eq 4 ] || fail "the 3 tests that passed before the splat, and boot, are PASS"
	;;
timeout)
	# The guest hung after two tests: they passed, the suite did not finish.
	[ "$(status_of irqfd_selftest)" = ERROR ] || fail "the hung suite is not ERROR"
	[ "$(count PASS)" -eq 3 ] && [ "$(count FAIL)" -eq 0 ] || fail "expected boot and 2 tests PASS, no FAIL"
	;;
esac

# The validator can fail: a copy without an origin and one with an unknown
# status must both be rejected.
jq 'del(.tests[0].origin)' "$out" >"$scratch/no-origin.json"
jq '.tests[0].status = "BROKEN"' "$out" >"$scratch/bad-status.json"
for broken in no-origin bad-status; do
	if PYTHONPATH=$kcidb_io "$python" "$top/scripts/workflows/kcidb-export/validate-kcidb.py" "$scratch/$broken.json" 2>/dev/null; then
		fail "kcidb-io accepted the broken copy $broken.json: the validation proves nothing"
	fi
done
echo "kcidb-export-test $case_name: ok ($(jq -r '.tests | length' "$out") tests, verdict $verdict)"
