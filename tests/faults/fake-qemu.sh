#!/bin/sh
# fake-qemu.sh QEMU-ARGS...: stands in for qemu-system-x86_64 (boot-test's
# QEMU=) and plays one broken guest, chosen by FAKE_QEMU_MODE. It ignores
# its arguments; what it prints on stdout is the guest's serial console.
set -eu
boot() {
	echo "Linux version 6.12.117 (irqfd-rig@irqfd-rig) #1 SMP PREEMPT_DYNAMIC"
	echo "[    4.100000] Run /init as init process"
	echo "irqfd-rig: init uptime=4.10 kernel=6.12.117"
	echo "KTAP version 1"
	echo "1..23"
	echo "ok 1 KvmSmoke.OpenDevKvm"
	echo "ok 2 KvmSmoke.CreateVmWithIrqchip"
}
case ${FAKE_QEMU_MODE:?set FAKE_QEMU_MODE} in
fail-start)
	echo "qemu-system-x86_64: -kernel bzImage: could not open kernel file (fake-qemu)" >&2
	exit 1
	;;
silent-hang) exec sleep 3600 ;;
flood)
	boot
	# 100 MB of console spam, then a normal end: the rig must stop reading first.
	yes "irqfd-rig fault: a guest flooding its serial console with the same line again and again" |
		head -c 104857600
	echo "irqfd-rig: end status=0 uptime=9.0"
	;;
selftest-crash)
	boot
	echo "Segmentation fault"
	echo "irqfd-rig: end status=139 uptime=5.0"
	;;
no-end-marker) boot ;;
*) echo "fake-qemu: unknown FAKE_QEMU_MODE '$FAKE_QEMU_MODE'" >&2; exit 2 ;;
esac
