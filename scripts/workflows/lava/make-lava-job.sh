#!/bin/sh
# make-lava-job.sh --run DIR | --variant NAME [--kernel-url URL] [--ramdisk-url URL] [--accel tcg|kvm]
#                  [--timeout S] [--out FILE]
# Writes a LAVA v2 job definition that boots the kernel and initramfs of the
# boot-test run in DIR the way boot-test.sh boots them (-cpu max, -smp
# 2,sockets=2, -m 1G, the same kernel command line) and turns the
# selftest's KTAP lines into LAVA test cases with a "monitors" test action.
# The run's bzImage and initramfs are copied into DIR/lava/ (checked against
# the sha256 boot-test recorded); the job points at those copies with
# file:// URLs unless --kernel-url/--ramdisk-url say where a lab fetches
# them. The job is validated with LAVA's own schema (lava_common, strict).
#
# The rig's verdict rules stay the rig's: the monitor's pattern also makes
# every kernel splat line (BUG, WARNING, INFO: task/rcu, Kernel panic,
# general protection fault) a failing LAVA test case, and
# scripts/workflows/lava/lava-verdict.py applies the rig's rules (splatscan over the
# console, a SKIP is not a pass, no end marker is no pass) to lava-run's
# result records. LAVA's own job result stays "pass" whatever the tests say.
# --variant NAME instead of --run takes the newest finished run of that
# variant in RESULTS (default results/), and says which.
# Default --out: DIR/lava-job.yaml. Exit 0 written and valid, 2 usage or
# invalid job.
set -eu
prog=make-lava-job.sh
DIE_STATUS=2
. "$(dirname -- "$0")/../../lib/rig.sh"	# die

run= variant= kernel_url= ramdisk_url= accel=tcg timeout=900 out=
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--run) run=${2:?--run needs a run directory}; shift 2 ;;
	--variant) variant=${2:?--variant needs a name}; shift 2 ;;
	--kernel-url) kernel_url=${2:?}; shift 2 ;;
	--ramdisk-url) ramdisk_url=${2:?}; shift 2 ;;
	--accel) accel=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	*) die "unknown argument '$1' (--help lists them)" ;;
	esac
done
if [ -z "$run" ] && [ -n "$variant" ]; then
	results=${RESULTS:-$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)/results}
	for d in "$results"/*-"$variant" "$results"/*-"$variant".[0-9]*; do
		[ -f "$d/summary.json" ] && [ -n "$(jq -r '.kernel_image // empty' "$d/summary.json")" ] && run=$d
	done
	[ -n "$run" ] || die "no finished run of variant '$variant' in $results: make boot-test VARIANT=$variant first"
	echo "$prog: the newest run of $variant: $run"
fi
[ -n "$run" ] || die "--run DIR or --variant NAME is required (a boot-test run directory)"
[ -f "$run/summary.json" ] || die "$run has no summary.json: not a finished boot-test run"
run=$(CDPATH= cd -- "$run" && pwd)
case $accel in tcg | kvm) ;; *) die "--accel is tcg or kvm, not '$accel'" ;; esac
case $timeout in '' | *[!0-9]*) die "--timeout takes whole seconds" ;; esac
out=${out:-$run/lava-job.yaml}

field() { jq -r --arg k "$1" '.[$k] // empty' "$run/summary.json"; }
kernel=$(field kernel_image)
initramfs=$(field initramfs)
[ -n "$kernel" ] && [ -n "$initramfs" ] ||
	die "$run/summary.json names no kernel_image/initramfs (a run from before make lava-job, or one that never built)"
# The build dir is reused by later builds of the variant: only the images
# this run booted will do.
mkdir -p "$run/lava"
for pair in "$kernel:$(field kernel_sha256):bzImage" "$initramfs:$(field initramfs_sha256):initramfs.cpio.gz"; do
	src=${pair%%:*} rest=${pair#*:}
	want=${rest%%:*} name=${rest#*:}
	if [ -f "$run/lava/$name" ] && [ "$(sha256sum <"$run/lava/$name" | cut -c1-64)" = "$want" ]; then
		continue
	fi
	[ -f "$src" ] || die "$src is gone: boot the variant again"
	[ "$(sha256sum <"$src" | cut -c1-64)" = "$want" ] ||
		die "$src was rebuilt since this run (sha256 differs): boot the variant again"
	cp "$src" "$run/lava/$name.tmp" && mv "$run/lava/$name.tmp" "$run/lava/$name"
done
kernel_url=${kernel_url:-file://$run/lava/bzImage}
ramdisk_url=${ramdisk_url:-file://$run/lava/initramfs.cpio.gz}
# LAVA's schema takes any string: a URL its worker cannot fetch would fail
# only in the lab.
for u in "$kernel_url" "$ramdisk_url"; do
	case $u in file:///* | http://?* | https://?*) ;; *) die "'$u' is not a file://, http:// or https:// URL" ;; esac
done
cmdline=$(field kernel_cmdline)
cmdline=${cmdline:-console=ttyS0 panic=-1 tsc=reliable}
# It goes into image_arg inside double quotes, which LAVA's command line
# splitting reads: a double quote in it cannot be passed on.
case $cmdline in *'"'*) die "the run's kernel command line holds a double quote: $cmdline" ;; esac
name=$(field variant)
stamp=$(basename -- "$run")

# YAML single-quoted scalar: only the quote itself needs escaping.
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

# TCG: the template's "-cpu host -enable-kvm" is dropped (no_kvm) and the
# rig's "-accel tcg,thread=multi -cpu max" added. KVM: the template's own.
if [ "$accel" = tcg ]; then
	no_kvm=true
	accel_options="
  - '-accel tcg,thread=multi'
  - '-cpu max'"
else
	no_kvm=false
	accel_options=
fi
# One pattern for each console line the monitor must count (pexpect, one
# regex, named groups used once): a complete KTAP result line ("ok N name",
# "not ok N name", "ok N name # SKIP ...") or the first line of a kernel
# splat. The lookahead waits for the line's \r (lines end \r\r\n) so that
# "ok 4 x # SKIP" is never taken as a pass before its end has arrived.
splat_start='BUG|WARNING|INFO: task|INFO: rcu|Kernel panic|general protection fault'
pattern="\\n(?=(?:(?:not )?ok \\d+ |(?:\\[[^\\]\\r\\n]*\\] ?)+(?:kernel |watchdog: )?(?=$splat_start))(?P<test_case_id>[^#\\r\\n]*?)(?: # [^\\r\\n]*)?\\r)(?:ok \\d+ [^\\s#]+ # (?=SKIP)|(?:\\[[^\\]\\r\\n]*\\] ?)+(?:kernel |watchdog: )?)?(?P<result>not ok|ok|SKIP|BUG|WARNING|INFO|Kernel panic|general protection fault)"

tmp=$out.tmp
cat >"$tmp" <<YAML
# LAVA v2 job: the irqfd-rig boot-test of $name (run $stamp), written by
# make lava-job. Submit it to a lab with: lavacli jobs submit $(basename -- "$out")
# The lab's device type must be "qemu"; its worker needs qemu-system-x86_64.
device_type: qemu
job_name: $(sq "irqfd-rig $name $stamp")
priority: medium
visibility: public
timeouts:
  job:
    seconds: $((timeout + 600))
  action:
    seconds: $((timeout + 60))
  connection:
    minutes: 2
# The same context makes a lab's qemu.jinja2 render what
# scripts/workflows/lava/qemu-irqfd-rig.yaml holds.
context:
  arch: amd64
  no_kvm: $no_kvm
  memory: 1024
  extra_options:$accel_options
  - '-smp 2,sockets=2,cores=1,threads=1'
  - '-no-reboot'
actions:
- deploy:
    timeout:
      minutes: 5
    to: tmpfs
    images:
      kernel:
        image_arg: $(sq "-kernel {kernel} -append \"$cmdline\"")
        url: $(sq "$kernel_url")
      ramdisk:
        image_arg: '-initrd {ramdisk}'
        url: $(sq "$ramdisk_url")
- boot:
    timeout:
      minutes: 5
    method: qemu
    media: tmpfs
- test:
    timeout:
      seconds: $timeout
    monitors:
    - name: irqfd-selftest
      start: 'irqfd-rig: init uptime='
      end: 'irqfd-rig: end status='
      pattern: $(sq "$pattern")
      fixupdict:
        'ok': pass
        'not ok': fail
        'SKIP': skip
        'BUG': fail
        'WARNING': fail
        'INFO': fail
        'Kernel panic': fail
        'general protection fault': fail
YAML
# LAVA's own schema, strict, as lava-server checks a submission.
/usr/bin/python3 - "$tmp" <<'PY' || { rm -f "$tmp"; die "the job does not pass LAVA's schema (above)"; }
import sys
import yaml
from lava_common.schemas import validate
with open(sys.argv[1], encoding="utf-8") as f:
    validate(yaml.safe_load(f), strict=True)
PY
mv "$tmp" "$out"
echo "$prog: $out (LAVA schema: valid)"
