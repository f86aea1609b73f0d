#!/bin/sh
# boot-profile.sh RUN: where a run's boot to /init went, from its serial.log
# and run.env. Best on a run booted with initcall_debug on the kernel command
# line (make bench does one: APPEND_EXTRA=initcall_debug); without it the
# initcall lines are missing and said to be.
#
#   QEMU start to the kernel's clock   boot_s (the host's time of "Run /init")
#                                      less that line's printk stamp: QEMU and
#                                      firmware start, loading and
#                                      decompressing the bzImage, set-up before
#                                      the clock starts
#   kernel clock to /init              the printk stamp of "Run /init"
#     initcalls                        the sum of initcall_debug's "after N
#                                      usecs", and the TOP slowest (default 10)
#   /init to the selftest              /init's own uptime line less "Run /init"
#                                      (exec of busybox sh, the mounts)
#
# With --samples, prints "figure|s|value" lines (for bench.sh) instead.
# Usage: scripts/workflows/bench/boot-profile.sh [--samples] [--top N] RUN
# Exit: 0; 1 the run has no serial.log or never reached /init; 2 usage.
set -eu
samples=0 top=10
while [ $# -gt 0 ]; do
	case $1 in
	--samples) samples=1; shift ;;
	--top) top=${2:?--top needs a number}; shift 2 ;;
	-h | --help) sed -n '2,/^set -eu$/{/^set -eu$/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	-*) echo "boot-profile.sh: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: boot-profile.sh [--samples] [--top N] RUN" >&2; exit 2; }
run=$1
[ -f "$run/serial.log" ] || { echo "boot-profile.sh: no serial.log in $run" >&2; exit 1; }
boot_s=$(sed -n 's/^boot_s=//p' "$run/run.env" 2>/dev/null | head -n 1)
case $boot_s in '' | -*) echo "boot-profile.sh: $run/run.env has no boot_s: the guest never reached /init" >&2; exit 1 ;; esac

tr -d '\r' <"$run/serial.log" | awk -v boot_s="$boot_s" -v top="$top" -v samples="$samples" '
# The printk stamp of a line: "[    1.234567][    T1] ..." (caller id optional).
function stamp(l) { if (match(l, /^\[ *[0-9]+\.[0-9]+\]/)) return substr(l, 2, RLENGTH - 2) + 0; return -1 }
/Run \/init as init process/ && run_init == "" { run_init = stamp($0) }
/irqfd-rig: init uptime=/ && init_up == "" {
	s = $0; sub(/.*init uptime=/, "", s); sub(/ .*/, "", s); init_up = s + 0
}
/initcall .* returned .* after [0-9]+ usecs/ {
	s = $0; sub(/.*initcall /, "", s); fn = s; sub(/[+ ].*/, "", fn)
	us = s; sub(/.* after /, "", us); sub(/ usecs.*/, "", us)
	n++; total += us; name[n] = fn; usec[n] = us + 0
}
END {
	if (init_up == "" || run_init == "") { print "boot-profile.sh: no \"Run /init\" or init uptime line in the log" > "/dev/stderr"; exit 1 }
	pre = boot_s - run_init
	if (samples) {
		printf "boot: QEMU start to the kernel clock|s|%.2f\n", pre
		printf "boot: kernel clock to /init|s|%.2f\n", run_init
		if (n) printf "boot: initcalls|s|%.2f\n", total / 1e6
		printf "boot: /init to the selftest|s|%.2f\n", init_up - run_init
		exit 0
	}
	printf "QEMU start to /init             %6.2f s (boot_s)\n", boot_s
	printf "  QEMU start to the kernel clock %6.2f s (firmware, image load, decompression, early set-up)\n", pre
	printf "  kernel clock to \"Run /init\"    %6.2f s\n", run_init
	if (n) {
		printf "    initcalls                    %6.2f s in %d calls; the %d slowest:\n", total / 1e6, n, (n < top ? n : top)
		for (k = 1; k <= top && k <= n; k++) {
			best = 0
			for (i = 1; i <= n; i++) if (!done[i] && (best == 0 || usec[i] > usec[best])) best = i
			done[best] = 1
			printf "      %6.3f s  %s\n", usec[best] / 1e6, name[best]
		}
	} else {
		print "    initcalls: no initcall_debug lines (boot with APPEND_EXTRA=initcall_debug)"
	}
	printf "  /init to the selftest          %6.2f s (exec of busybox sh, the mounts)\n", init_up - run_init
}'
