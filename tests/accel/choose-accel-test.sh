#!/bin/sh
# choose-accel-test.sh [CASE]: scripts/kernel/choose-accel.sh against fake
# /dev/kvm nodes, /proc/cpuinfo files, nested parameters and QEMUs: a host
# where KVM would be chosen, and each reason it would not. No CASE: all.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
choose=$top/scripts/kernel/choose-accel.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/choose-accel-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() { echo "FAIL: $case: $*" >&2; exit 1; }
# A host with everything KVM needs; each case breaks one piece.
fake_host() {
	rm -rf "$T/host"
	mkdir -p "$T/host/sys/kvm_amd/parameters" "$T/host/sys/kvm_intel/parameters"
	: >"$T/host/kvm"
	echo "flags		: fpu vme de pse tsc msr pae mce cx8 apic svm lm" >"$T/host/cpuinfo"
	echo 1 >"$T/host/sys/kvm_amd/parameters/nested"
	echo N >"$T/host/sys/kvm_intel/parameters/nested"
	printf '#!/bin/sh\necho "[    0.000000] Linux version 6.12.117 (fake)"\n' >"$T/host/qemu"
	chmod +x "$T/host/qemu"
	: >"$T/host/bzImage"
}
# choose MODE: run the script on the fake host; $rc and $line are set.
choose() {
	rc=0
	line=$(IRQFD_RIG_DEV_KVM=$T/host/kvm IRQFD_RIG_CPUINFO=$T/host/cpuinfo \
		IRQFD_RIG_SYS_MODULE=$T/host/sys QEMU=$T/host/qemu IRQFD_RIG_ACCEL_PROBE_S=2 \
		"$choose" "$1" "$T/host/bzImage") || rc=$?
}
expect() {
	[ "$rc" -eq "$1" ] || fail "exit $rc, expected $1 (line: $line)"
	case $line in $2) ;; *) fail "'$line' is not '$2'" ;; esac
}
# expect_refused REASON-GLOB: auto takes TCG and kvm fails, both naming it.
expect_refused() {
	choose auto
	expect 0 "tcg: $1"
	choose kvm
	expect 1 "kvm: cannot be used: $1"
}

case_kvm_when_everything_works() {
	fake_host
	choose auto
	expect 0 "kvm: /dev/kvm usable, kvm_amd.nested=1, and a probe boot*"
	choose kvm
	expect 0 "kvm: *"
}
case_intel_host() {
	fake_host
	sed -i 's/ svm / vmx /' "$T/host/cpuinfo"
	echo Y >"$T/host/sys/kvm_intel/parameters/nested"
	choose auto
	expect 0 "kvm: /dev/kvm usable, kvm_intel.nested=Y*"
}
case_no_dev_kvm() { fake_host; rm "$T/host/kvm"; expect_refused "no $T/host/kvm on this host"; }
case_no_vmx_or_svm() {
	fake_host
	sed -i 's/ svm / /' "$T/host/cpuinfo"
	expect_refused "the host CPU shows no vmx or svm flag*"
}
case_nested_off() {
	fake_host
	echo 0 >"$T/host/sys/kvm_amd/parameters/nested"
	expect_refused "nested virtualisation is off (kvm_amd.nested=0)"
}
case_module_not_loaded() {
	fake_host
	sed -i 's/ svm / vmx /' "$T/host/cpuinfo"
	rm -r "$T/host/sys/kvm_intel"
	expect_refused "kvm_intel is not loaded*"
}
case_probe_prints_nothing() {
	# What these machines do: /dev/kvm works for KVM_RUN, QEMU prints nothing.
	fake_host
	printf '#!/bin/sh\nexec sleep 30\n' >"$T/host/qemu"
	expect_refused "a probe boot with -accel kvm -cpu host printed no kernel banner in 2 s"
}
case_tcg_asked_for() {
	fake_host
	choose tcg
	expect 0 "tcg: ACCEL=tcg asked for it"
}
case_bad_mode() {
	fake_host
	choose fast
	[ "$rc" -eq 2 ] || fail "exit $rc for ACCEL=fast, expected 2"
}

all=$(sed -n 's/^case_\([a-z_]*\)() {.*/\1/p' "$0")
for case in ${1:-$all}; do
	"case_$case"
	echo "ok: $case"
done
