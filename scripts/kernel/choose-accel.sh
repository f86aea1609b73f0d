#!/bin/sh
# choose-accel.sh auto|kvm|tcg [BZIMAGE]: decide how QEMU runs the guest and
# print one line, "ACCEL: REASON" (ACCEL is kvm or tcg).
#
# The guest needs a working /dev/kvm of its own (the selftest drives KVM),
# so KVM acceleration is only worth having with nested virtualisation, and
# /dev/kvm existing on the host proves nothing (on some hosts KVM_RUN works
# but QEMU with -accel kvm never prints a line). auto takes KVM only when
# every one of these holds, in this order, and otherwise names the first
# that does not:
#   1. /dev/kvm exists and this user can read and write it;
#   2. the host CPU shows vmx or svm in /proc/cpuinfo;
#   3. nested virtualisation is on (kvm_intel or kvm_amd's "nested" parameter);
#   4. a probe boot of BZIMAGE with -accel kvm -cpu host prints the kernel's
#      banner within IRQFD_RIG_ACCEL_PROBE_S seconds (default 20).
# kvm: the same checks; the first that fails is an error (exit 1).
# tcg: no checks.
#
# Env (tests point these at fakes): IRQFD_RIG_DEV_KVM (/dev/kvm),
# IRQFD_RIG_CPUINFO (/proc/cpuinfo), IRQFD_RIG_SYS_MODULE (/sys/module),
# QEMU (qemu-system-x86_64), IRQFD_RIG_ACCEL_PROBE_S.
# Exit: 0 with the choice printed; 1 ACCEL=kvm cannot be had (the line says
# why); 2 usage.
set -eu
PROG=choose-accel.sh
want=${1:-}
bzimage=${2:-}
dev=${IRQFD_RIG_DEV_KVM:-/dev/kvm}
cpuinfo=${IRQFD_RIG_CPUINFO:-/proc/cpuinfo}
sysmod=${IRQFD_RIG_SYS_MODULE:-/sys/module}
qemu=${QEMU:-qemu-system-x86_64}
probe_s=${IRQFD_RIG_ACCEL_PROBE_S:-20}

case $want in
tcg) echo "tcg: ACCEL=tcg asked for it"; exit 0 ;;
auto | kvm) ;;
*) echo "usage: $PROG auto|kvm|tcg [BZIMAGE]" >&2; exit 2 ;;
esac

# no REASON: KVM cannot serve; auto falls back to TCG, kvm fails.
no() {
	if [ "$want" = kvm ]; then
		echo "kvm: cannot be used: $*"
		exit 1
	fi
	echo "tcg: $*"
	exit 0
}

[ -e "$dev" ] || no "no $dev on this host"
[ -r "$dev" ] && [ -w "$dev" ] || no "$dev is not readable and writable by $(id -un)"
flags=$(grep -m 1 '^flags' "$cpuinfo" 2>/dev/null || true)
case " $flags " in
*" vmx "*) module=kvm_intel ;;
*" svm "*) module=kvm_amd ;;
*) no "the host CPU shows no vmx or svm flag: no nested virtualisation to give the guest a /dev/kvm" ;;
esac
nested=$(cat "$sysmod/$module/parameters/nested" 2>/dev/null || echo missing)
case $nested in
Y | y | 1) ;;
missing) no "$module is not loaded ($sysmod/$module/parameters/nested is missing)" ;;
*) no "nested virtualisation is off ($module.nested=$nested)" ;;
esac
[ -n "$bzimage" ] || no "no kernel to probe KVM with"
# The probe: the rig's own kernel, no initramfs; its banner is the proof
# that a guest really runs. panic=-1 and -no-reboot end it after the banner.
out=$(timeout -k 2 "$probe_s" "$qemu" -nodefaults -no-user-config -accel kvm -cpu host -m 512M \
	-kernel "$bzimage" -append "console=ttyS0 panic=-1" -display none -monitor none \
	-serial stdio -no-reboot </dev/null 2>&1 | head -c 1000000 | grep -m 1 -a 'Linux version' || true)
[ -n "$out" ] || no "a probe boot with -accel kvm -cpu host printed no kernel banner in $probe_s s"
echo "kvm: /dev/kvm usable, $module.nested=$nested, and a probe boot with -accel kvm printed the kernel banner"
