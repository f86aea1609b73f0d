#!/bin/sh
# boot-qemu.sh: the boot stage. Boot a built kernel and an initramfs in QEMU,
# under qemu-supervise (which stops the guest at the first report, a hang or
# a flood, and writes RUN/serial.log and RUN/run.env) or, with --console, on
# this terminal. The one place where the rig's QEMU options live: boot-test,
# make run and make shell all boot through it.
#
# Usage: scripts/kernel/boot-qemu.sh --build BUILD --initrd FILE --run DIR
#            | --from-run DIR    (make boot RUN=DIR: DIR's kernel and initramfs again)
#            [--accel auto|kvm|tcg] [--append ARGS]
#            [--timeout S] [--max-log-mb N] [--echo] [--console] [--dry-run]
# --build: the kernel's Kbuild O= dir (its arch/x86/boot/bzImage is booted).
# --accel (default: ACCEL, else auto): choose-accel.sh decides and says why.
# --append: more kernel command line after the rig's own.
# --console: QEMU's console and monitor on this terminal (make shell); the
#   serial output is also copied to RUN/serial.log.
# --from-run DIR: the build, initramfs and extra command line that DIR's
#   boot.env names (a run of boot-test), or its stages.env (a run that
#   stopped after the initramfs stage), booted into DIR: its serial.log and
#   run.env are replaced (make verdict RUN=DIR judges the new boot).
# --dry-run: print the QEMU command line this would run, and nothing else.
# Writes RUN/boot.env (build, tree, initrd, append, accel, accel_reason,
# kernel, kernel_cmdline, qemu) and,
# through qemu-supervise, RUN/serial.log and RUN/run.env.
# Env: QEMU (default qemu-system-x86_64), SUPERVISE (default
# build/bin/qemu-supervise).
# Exit: qemu-supervise's status (0 guest ran and exited, else see its
# --help); QEMU's with --console; 0 with --dry-run; 1 the accelerator asked
# for cannot be had or the build has no image; 2 usage.
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
. "$KDIR/lib.sh"
TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)

build= initrd= run= accel=${ACCEL:-auto} append= timeout=900
max_log_mb=32 echo_flag= console=0 dry_run=0
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--build) build=${2:?--build needs a directory}; shift 2 ;;
	--initrd) initrd=${2:?--initrd needs a file}; shift 2 ;;
	--run) run=${2:?--run needs a directory}; shift 2 ;;
	--from-run)
		run=${2:?--from-run needs a run directory}
		# boot.env: an earlier boot; stages.env: a run that stopped after
		# its initramfs (make initramfs), never booted yet.
		from=$run/boot.env
		[ -f "$from" ] || from=$run/stages.env
		[ -f "$from" ] || die "--from-run: no boot.env or stages.env in $run (not a boot-test run, or one from before the boot stage wrote it)"
		build=$(sed -n 's/^build=//p' "$from")
		initrd=$(sed -n 's/^initrd=//p' "$from")
		append=$(sed -n 's/^append=//p' "$from")
		[ -n "$initrd" ] || die "--from-run: $from names no initramfs (the run stopped before that stage: make initramfs makes one)"
		shift 2
		;;
	--accel) accel=${2:?--accel needs auto, kvm or tcg}; shift 2 ;;
	--append) append=${2-}; shift 2 ;;
	--timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
	--max-log-mb) max_log_mb=${2:?--max-log-mb needs a number}; shift 2 ;;
	--echo) echo_flag=--echo; shift ;;
	--console) console=1; shift ;;
	--dry-run) dry_run=1; shift ;;
	*) echo "$PROG: unknown argument '$1' ($PROG --help lists them)" >&2; exit 2 ;;
	esac
done
[ -n "$build" ] && [ -n "$initrd" ] && [ -n "$run" ] || { usage >&2; exit 2; }
case $accel in auto | kvm | tcg) ;; *) echo "$PROG: --accel/ACCEL takes auto, kvm or tcg, not '$accel'" >&2; exit 2 ;; esac
case $timeout in '' | *[!0-9]*) echo "$PROG: --timeout takes whole seconds, not '$timeout'" >&2; exit 2 ;; esac
# The bzImage, not vmlinux by its PVH entry point: with KASAN that entry's C
# code calls an instrumented memcmp before the shadow exists and the guest
# triple-faults (tried on 6.12.117), and the gzip it would save takes
# under 0.3 s of the 0.5 s from QEMU start to the kernel's first line.
kernel=$build/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel image at $kernel (build the kernel first)"
[ "$dry_run" = 1 ] || [ -f "$initrd" ] || die "no initramfs at $initrd"

accel_line=$("$KDIR/choose-accel.sh" "$accel" "$kernel") || die "ACCEL=kvm: ${accel_line#kvm: }"
accel_used=${accel_line%%:*}
accel_reason=${accel_line#*: }

# With KVM, -cpu host passes VMX/SVM through, so the guest nests; under TCG,
# -cpu max emulates SVM.
if [ "$accel_used" = kvm ]; then
	set -- -accel kvm -cpu host
else
	set -- -accel tcg,thread=multi -cpu max
fi
# console=ttyS0: QEMU's first serial port is the supervisor's pipe (or this
# terminal). panic=-1 with -no-reboot: a panic ends QEMU at once instead of
# hanging. tsc=reliable: multi-threaded TCG fails the TSC check, and without
# ACPI there is no other good clocksource. sockets=2: without ACPI the kernel
# finds CPUs in the MP table, which lists one per package. -m 1G: with 2G,
# KASAN's shadow set-up and freeing the pages at boot took about 0.5 s more
# under TCG; the selftest's VMs have no guest memory, and KASAN's quarantine
# (1/32 of RAM) still holds 32 MB of freed objects.
cmdline="console=ttyS0 panic=-1 tsc=reliable${append:+ $append}"
set -- "${QEMU:-qemu-system-x86_64}" -nodefaults -no-user-config "$@" \
	-m 1G -smp 2,sockets=2,cores=1,threads=1 -kernel "$kernel" -initrd "$initrd" \
	-append "$cmdline" -display none -no-reboot
if [ "$console" = 1 ]; then
	# QEMU's stdio chardev, muxed with its monitor (Ctrl-A x quits, Ctrl-A c
	# the monitor), Ctrl-C for the guest, and a copy of everything in
	# serial.log for the scan at the end.
	set -- "$@" -chardev "stdio,id=console,mux=on,signal=off,logfile=$run/serial.log" \
		-serial chardev:console -mon chardev=console
else
	set -- "$@" -monitor none -serial stdio
fi
# One line a shell can run as it is.
quoted=$(for a in "$@"; do printf "'%s' " "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"; done)
quoted=${quoted% }
if [ "$dry_run" = 1 ]; then
	printf '%s\n' "$quoted"
	exit 0
fi

mkdir -p "$run"
{
	# tree: where the build's sources are, for the verdict stage's file:line.
	printf 'build=%s\ntree=%s\ninitrd=%s\nappend=%s\n' "$build" "$KSRC" "$initrd" "$append"
	printf 'accel=%s\naccel_reason=%s\nkernel=%s\n' "$accel_used" "$accel_reason" "$kernel"
	printf 'kernel_cmdline=%s\nqemu=%s\n' "$cmdline" "$quoted"
} >"$run/boot.env.tmp"
mv "$run/boot.env.tmp" "$run/boot.env"
say "accelerator: $accel_used ($accel_reason)"
say "booting: $quoted"

if [ "$console" = 1 ]; then
	say "a shell on the guest's console: 'poweroff -f' or Ctrl-A x ends it"
	rc=0
	t0=$(now_ms)
	"$@" || rc=$?
	status=$(sed -n 's/.*irqfd-rig: end status=\([0-9]*\).*/\1/p' "$run/serial.log" | tail -n 1)
	# What qemu-supervise would have written, for the verdict.
	printf 'qemu_started=1\nqemu_exit=%s\nstop_reason=guest-exit\nboot_marker_seen=1\nend_marker_seen=%s\ntest_status=%s\nguest_bytes=%s\nwall_s=%s\n' \
		"$rc" "$([ -n "$status" ] && echo 1 || echo 0)" "${status:--1}" \
		"$(wc -c <"$run/serial.log")" "$(awk -v ms=$(( $(now_ms) - t0 )) 'BEGIN { print ms / 1000 }')" >"$run/run.env"
	# Ended with Ctrl-A x: no end marker, but nothing went wrong.
	[ -n "$status" ] || printf 'end_marker_seen=1\ntest_status=0\n' >>"$run/run.env"
	exit "$rc"
fi
supervise=${SUPERVISE:-$TOP/build/bin/qemu-supervise}
[ -x "$supervise" ] || die "$supervise is missing: run 'make' first"
# A flood is cut off at --max-log-mb (a normal run logs well under 1 MB).
exec "$supervise" --out "$run" --timeout "$timeout" --grace 5 --max-log-mb "$max_log_mb" $echo_flag -- "$@"
