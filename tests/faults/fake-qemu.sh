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
# The whole selftest passed: plan 1..2, both ok.
boot_pass() {
	echo "Linux version 6.12.117 (irqfd-rig@irqfd-rig) #1 SMP PREEMPT_DYNAMIC"
	echo "[    4.100000] Run /init as init process"
	echo "irqfd-rig: init uptime=4.10 kernel=6.12.117"
	echo "KTAP version 1"
	echo "1..2"
	echo "ok 1 KvmSmoke.OpenDevKvm"
	echo "ok 2 KvmSmoke.CreateVmWithIrqchip"
}
# 2 MB of console output: more than a small results disk holds.
spam() {
	yes "[    5.000000][  T100] irqfd-rig fault: console output that fills the results disk" | head -c 2000000
}
# A WARNING as the kernel prints it; $1 is put into its Comm: field.
warning() {
	printf '[    6.000000][  T100] ------------[ cut here ]------------\n'
	printf '[    6.000000][  T100] WARNING: CPU: 1 PID: 100 at virt/kvm/eventfd.c:400 kvm_irqfd_assign+0x100/0x200\n'
	printf '[    6.000000][  T100] Modules linked in:\n'
	printf '[    6.000000][  T100] CPU: 1 UID: 0 PID: 100 Comm: irqfd_%sselftest Not tainted 6.12.117 #1\n' "$1"
	printf '[    6.000000][  T100] RIP: 0010:kvm_irqfd_assign+0x100/0x200\n'
	printf '[    6.000000][  T100] Call Trace:\n'
	printf '[    6.000000][  T100]  <TASK>\n'
	printf '[    6.000000][  T100]  kvm_vm_ioctl+0x1a0/0x1b00%s\n' "$1"
	printf '[    6.000000][  T100]  __x64_sys_ioctl+0x130/0x1a0\n'
	printf '[    6.000000][  T100]  do_syscall_64+0x8a/0x170\n'
	printf '[    6.000000][  T100]  </TASK>\n'
	printf '[    6.000000][  T100] ---[ end trace 0000000000000000 ]---\n'
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
splat-after-flood)
	# The report comes after the results disk is full: only the live scan
	# sees it.
	boot_pass
	spam
	warning ''
	echo "irqfd-rig: end status=0 uptime=9.0"
	;;
pass-after-flood)
	boot_pass
	spam
	echo "irqfd-rig: end status=0 uptime=9.0"
	;;
invalid-utf8-report)
	# A surrogate, an overlong form, a code point above U+10FFFF and a stray
	# continuation byte, as a corrupted console may print them.
	boot_pass
	warning "$(printf '\355\240\200\340\200\200\364\220\200\200\200')"
	echo "irqfd-rig: end status=0 uptime=9.0"
	;;
orphan-holds-console)
	# A process outside QEMU's process group keeps the console open and
	# busy: the timeout must still end the run.
	boot
	setsid sh -c 'echo "fake-qemu: orphan pid=$$"; while :; do echo tick; sleep 0.2; done' &
	exec sleep 3600
	;;
*) echo "fake-qemu: unknown FAKE_QEMU_MODE '$FAKE_QEMU_MODE'" >&2; exit 2 ;;
esac
