#!/bin/sh
# run-faults.sh [CASE...]: break the rig on purpose and check it says so.
# Each case injects one fault into a real boot-test (or the script that owns
# the step) and asserts the exact outcome: the exit code, one message naming
# the culprit, the serial log and summary.json kept in the run's directory,
# no process left behind, no half-written file, and the cache and kernel
# tree as they were (no am in progress, no stray branch, temp dir or lock).
#
# It needs the warm cache that `make check`'s boot tests leave (kernel tree,
# build/series); run-checks.sh runs it after them. Cases that need a scratch
# cache make one under $FAULT_TMP (default /tmp) and remove it. Ends with
# "faults: N passed, N failed".
#
# Usage: tests/faults/run-faults.sh [CASE...]   (no CASE: all; -l: list them)
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
here=$top/tests/faults
data=$here/data
boot_test=$top/scripts/boot-test.sh
. "$top/scripts/lib/rig.sh"	# CACHE
KSRC=$CACHE/linux
RESULTS=$top/results
FAULT_TMP=${FAULT_TMP:-${TMPDIR:-/tmp}}
export BUILD_DIR=${BUILD_DIR:-$top/build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$top/$BUILD_DIR ;; esac
# The variant the cases boot (its build must be warm): FAULT_VARIANT=base
# runs the suite before the series is built.
fv=${FAULT_VARIANT:-series}
# Tests that only need a kernel to reach /init run the smoke tests.
smoke="--gtest_filter=KvmSmoke.*"
# Cases that stop a run while its guest runs: a guest that repeats the smoke
# tests until it is stopped, however fast this machine boots it.
long_guest="--gtest_filter=KvmSmoke.* --gtest_repeat=100000"

passed=0 failed=0
scratch=
out=
cleanup_scratch() {
	[ -n "$scratch" ] || return 0
	mountpoint -q "$scratch" 2>/dev/null && umount -l "$scratch"
	rm -rf "$scratch"
	scratch=
}
trap 'cleanup_scratch; rm -f "$out"; [ -z "${runtmp:-}" ] || rm -rf "$runtmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
out=$(mktemp "$FAULT_TMP/fault-out.XXXXXX")

# --- assertions: each prints why and returns 1 -----------------------------
why=
flunk() { why="$*"; return 1; }
expect_rc() { [ "$rc" -eq "$1" ] || flunk "exit $rc, expected $1"; }
expect_out() { grep -q -e "$1" "$out" || flunk "no line matching '$1' in the output"; }
summary_field() { jq -r --arg k "$1" '.[$k] // empty' "$2" 2>/dev/null; }
# expect_summary VERDICT REASON-PATTERN: the run's summary.json, complete.
expect_summary() {
	run=$(sed -n 's/.*results in \(\/[^ ]*\)$/\1/p' "$out" | tail -n 1)
	[ -n "$run" ] && [ -d "$run" ] || flunk "the output names no run directory" || return 1
	[ -f "$run/summary.json" ] || flunk "no summary.json in $run" || return 1
	jq -e . "$run/summary.json" >/dev/null 2>&1 || flunk "$run/summary.json is not valid JSON" || return 1
	v=$(summary_field verdict "$run/summary.json")
	[ "$v" = "$1" ] || flunk "verdict '$v' in $run/summary.json, expected '$1'" || return 1
	r=$(summary_field reason "$run/summary.json")
	echo "$r" | grep -q -e "$2" || flunk "reason '$r' does not match '$2'"
}
expect_serial_log() {
	[ -s "$run/serial.log" ] || flunk "no serial.log kept in $run"
}
# The tree as a boot-test leaves it: on a branch, clean, nothing in progress.
expect_tree_clean() {
	[ ! -d "$KSRC/.git/rebase-apply" ] || flunk "git am left $KSRC/.git/rebase-apply" || return 1
	[ -z "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ] ||
		flunk "the kernel tree has uncommitted changes" || return 1
	! git -C "$KSRC" branch --list 'irqfd-rig-apply-*' | grep -q . ||
		flunk "a temporary branch irqfd-rig-apply-* is left" || return 1
	[ "$(git -C "$KSRC" symbolic-ref -q HEAD || echo detached)" = "$1" ] ||
		flunk "the kernel tree is on $(git -C "$KSRC" symbolic-ref -q HEAD || echo 'a detached HEAD'), not $1"
}
# Nothing half-written anywhere the rig writes.
expect_no_temp() {
	# ccache keeps its own temp files; the tree is checked on its own.
	left=$(find "$1" -maxdepth 3 \( -path "$1/ccache" -o -path "$1/linux" \) -prune -o \
		\( -name '*.tmp.*' -o -name '*.cfgtmp.*' -o -name '*.seedtmp.*' -o -name 'linux.tmp.*' \
		-o -name '.tmp.*' -o -name '*.new' \) -print 2>/dev/null | head -n 3)
	[ -z "$left" ] || flunk "temp files left: $(echo $left)"
}
# No process of the run's session is left (setsid gave it one).
expect_no_processes() {
	n=0
	while pgrep -s "$1" >/dev/null 2>&1; do
		n=$((n + 1))
		[ "$n" -lt 50 ] || { flunk "processes left: $(pgrep -a -s "$1" | head -n 3 | tr '\n' ';')"; return 1; }
		sleep 0.1
	done
}

# run_boot_test ARGS...: boot-test.sh in its own session; output in $out.
run_boot_test() {
	rc=0
	setsid -w "$boot_test" "$@" >"$out" 2>&1 || rc=$?
}

# --- the cases --------------------------------------------------------------
case_patch_does_not_apply() {
	before=$(git -C "$KSRC" symbolic-ref HEAD)
	run_boot_test --variant "$fv" --extra-patch "$data/does-not-apply.patch"
	expect_rc 125 &&
		expect_out "patch 4, does-not-apply.patch, does not apply to .*: hunk at virt/kvm/eventfd.c:180" &&
		expect_summary infra-error "does-not-apply.patch, does not apply" &&
		expect_tree_clean "$before" &&
		! git -C "$KSRC" rev-parse -q --verify refs/heads/rig/$fv+does-not-apply >/dev/null ||
		flunk "a branch rig/$fv+does-not-apply was left"
}

case_build_break() {
	run_boot_test --variant "$fv" --extra-patch "$data/build-break.patch" --test-args "$smoke"
	expect_rc 125 &&
		expect_out 'eventfd.c:2:2: error: #error "irqfd-rig fault injection' &&
		expect_summary infra-error "kernel build for $fv+build-break failed"'.*virt/kvm/eventfd.c:2:2: error: #error .*irqfd-rig fault injection' &&
		expect_tree_clean refs/heads/rig/$fv+build-break || return 1
	# Under git bisect run the same commit is a skip: 125.
	rc=0
	(cd "$KSRC" && setsid "$top/scripts/workflows/bisect/bisect-step.sh") >"$out" 2>&1 || rc=$?
	expect_rc 125 && expect_out 'bisect-step: .* run 1/1: infra-error (exit 125)'
}

case_bad_config_symbol() {
	scratch=$(mktemp -d "$FAULT_TMP/fault-config.XXXXXX")
	rc=0
	"$top/scripts/kernel/make-config.sh" "$scratch/build" "$top"/kernel-config/base.config \
		"$top"/kernel-config/kvm.config "$top"/kernel-config/debug.config "$data/bad-symbols.config" \
		>"$out" 2>&1 || rc=$?
	expect_rc 1 &&
		expect_out 'bad-symbols.config:1: CONFIG_IRQFD_RIG_NO_SUCH_SYMBOL=y did not survive: .*no such symbol in any Kconfig file' &&
		expect_out 'bad-symbols.config:3: CONFIG_BROKEN=y did not survive: .*defined in init/Kconfig but cannot be set' &&
		expect_out 'Nothing written to' &&
		{ [ ! -e "$scratch/build/.config" ] || flunk "a .config was written to $scratch/build"; } &&
		expect_no_temp "$scratch"
}

# scratch_cache [SIZE]: an empty cache (on a tmpfs of SIZE, when given).
scratch_cache() {
	scratch=$(mktemp -d "$FAULT_TMP/fault-cache.XXXXXX")
	if [ -n "${1:-}" ]; then
		mount -t tmpfs -o "size=$1" irqfd-rig-fault "$scratch" 2>/dev/null ||
			{ flunk "cannot mount a $1 tmpfs on $scratch (needs root with CAP_SYS_ADMIN)"; return 1; }
	fi
	mkdir -p "$scratch/downloads"
}
deb() { ls "$CACHE"/downloads/*.deb | head -n 1; }

# expect_download_rejected: the scratch cache's broken .deb is named, removed,
# and no tree is made from it.
expect_download_rejected() {
	IRQFD_RIG_CACHE=$scratch run_boot_test --variant base
	expect_rc 125 &&
		expect_out "is truncated or corrupt" &&
		expect_summary infra-error "fetching the pinned kernel failed.*truncated or corrupt" &&
		{ [ ! -e "$scratch/linux" ] || flunk "a kernel tree was made from a broken download"; } &&
		{ ! ls "$scratch"/downloads/*.deb >/dev/null 2>&1 || flunk "the broken .deb was kept"; } &&
		expect_no_temp "$scratch"
}

case_truncated_download() {
	scratch_cache
	head -c 50000000 "$(deb)" >"$scratch/downloads/$(basename -- "$(deb)")"
	expect_download_rejected
}

case_corrupted_download() {
	scratch_cache
	f=$scratch/downloads/$(basename -- "$(deb)")
	cp "$(deb)" "$f"
	# Overwrite 64 KiB in the middle of the compressed tarball.
	head -c 65536 /dev/zero | tr '\0' 'X' | dd of="$f" bs=65536 seek=1000 conv=notrunc status=none
	expect_download_rejected
}

case_missing_package_version() {
	scratch_cache
	sed 's/^KERNEL_DEB_VERSION=.*/KERNEL_DEB_VERSION=6.12.117-0~irqfd-rig-gone/' \
		"$top/scripts/kernel/pinned.env" >"$scratch/pinned.env"
	IRQFD_RIG_PINNED=$scratch/pinned.env IRQFD_RIG_CACHE=$scratch run_boot_test --variant base
	expect_rc 125 &&
		expect_out "version 6.12.117-0~irqfd-rig-gone (pinned in .*pinned.env) is not in the apt archive" &&
		expect_summary infra-error "is not in the apt archive" &&
		{ [ ! -e "$scratch/linux" ] || flunk "a kernel tree was made"; } && expect_no_temp "$scratch"
}

case_no_space_extracting() {
	scratch_cache 400m || return 1
	cp "$(deb)" "$scratch/downloads/"
	IRQFD_RIG_CACHE=$scratch run_boot_test --variant base
	expect_rc 125 &&
		expect_out "no space left on device while unpacking" &&
		expect_summary infra-error "no space left on device" &&
		{ [ ! -e "$scratch/linux" ] || flunk "a half-unpacked tree was kept"; } &&
		expect_no_temp "$scratch"
}

case_no_space_building() {
	scratch_cache 24m || return 1
	# The real tree, a build directory on the small filesystem.
	ln -s "$KSRC" "$scratch/linux"
	IRQFD_RIG_CACHE=$scratch CCACHE_DIR=$CACHE/ccache run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_out "no space left on device in $scratch/build/$fv" &&
		expect_summary infra-error "no space left on device"
}

case_cache_locked() {
	# Another run holds the cache: give up after IRQFD_RIG_LOCK_WAIT seconds.
	# A process group of its own: flock, its shell and the sleep that holds
	# the lock all go with one kill (killing flock alone left the sleep
	# holding the lock, and the next case waited for it).
	setsid flock "$CACHE/.lock" sh -c 'echo "$PPID fault-suite-holder" >"$1"; sleep 60' sh "$CACHE/.lock" &
	holder=$!
	sleep 1
	IRQFD_RIG_LOCK_WAIT=3 run_boot_test --variant "$fv" --test-args "$smoke"
	pkill -TERM -g "$holder" 2>/dev/null || true
	wait "$holder" 2>/dev/null || true
	flock -w 5 "$CACHE/.lock" true || flunk "the lock holder's processes outlived the case: $(cat "$CACHE/.lock")" || return 1
	expect_rc 125 &&
		expect_out "waiting for $CACHE/.lock (held by pid [0-9]* fault-suite-holder)" &&
		expect_out "gave up after 3 s waiting for $CACHE/.lock" &&
		expect_summary infra-error "gave up after 3 s waiting for $CACHE/.lock"
}

case_older_pinned_cache() {
	scratch_cache
	mkdir -p "$scratch/linux/.git"
	: >"$scratch/linux/Makefile"
	sed 's/^KERNEL_DEB_VERSION=.*/KERNEL_DEB_VERSION=6.12.110-1~deb12u1/; s/^KERNEL_TAG=.*/KERNEL_TAG=v6.12.110-deb-pristine/' \
		"$top/scripts/kernel/pinned.env" | grep -E '^(KERNEL_PKG|KERNEL_DEB_VERSION|KERNEL_TARBALL_SHA256|KERNEL_TAG)=' \
		>"$scratch/linux/.git/irqfd-rig.pinned"
	listing() { (cd "$scratch" && find . -path ./.lock -prune -o -print | sort | sha256sum); }
	before=$(listing)
	IRQFD_RIG_CACHE=$scratch run_boot_test --variant base
	expect_rc 125 &&
		expect_out "holds a different pinned kernel" &&
		expect_out "KERNEL_DEB_VERSION=6.12.110-1~deb12u1" &&
		expect_summary infra-error "fetching the pinned kernel failed" &&
		{ [ "$(listing)" = "$before" ] || flunk "the old cache was changed"; }
}

case_qemu_missing() {
	QEMU=/nonexistent/qemu-system-x86_64 run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_summary infra-error "QEMU did not start: .*No such file or directory" &&
		expect_out "/nonexistent/qemu-system-x86_64"
}

case_qemu_fails_to_start() {
	FAKE_QEMU_MODE=fail-start QEMU=$here/fake-qemu.sh run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_summary infra-error "QEMU printed nothing.*(exit 1).*could not open kernel file"
}

case_guest_panics_at_boot() {
	# No /init and no root device: the kernel panics before any test runs.
	APPEND_EXTRA="rdinit=/nonexistent" run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 2 &&
		expect_summary splat "[Kk]ernel panic\|panic" &&
		expect_serial_log
}

case_guest_hangs_silently() {
	FAKE_QEMU_MODE=silent-hang QEMU=$here/fake-qemu.sh \
		run_boot_test --variant "$fv" --test-args "$smoke" --timeout 10
	expect_rc 3 &&
		expect_summary timeout "printed nothing in" &&
		{ ! pgrep -f '^sleep 3600$' >/dev/null || flunk "the hung fake guest (sleep 3600) is still running"; }
}

case_guest_floods_console() {
	FAKE_QEMU_MODE=flood QEMU=$here/fake-qemu.sh run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 1 &&
		expect_summary test-failure "flooded the serial console" &&
		expect_serial_log || return 1
	size=$(stat -c %s "$run/serial.log")
	[ "$size" -le $((40 << 20)) ] || flunk "serial.log is $size bytes: the flood was not cut off"
}

case_selftest_crashes() {
	FAKE_QEMU_MODE=selftest-crash QEMU=$here/fake-qemu.sh run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 1 && expect_summary test-failure "exited with status 139" && expect_serial_log
}

case_selftest_without_end_marker() {
	FAKE_QEMU_MODE=no-end-marker QEMU=$here/fake-qemu.sh run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 1 && expect_summary test-failure "without its end marker" && expect_serial_log
}

# interrupt SIGNAL PHASE [BOOT-TEST ARGS...]: start a boot-test, wait until
# it is in PHASE, send SIGNAL as a terminal would (SIGINT to the process
# group, SIGTERM to the script), and check what is left.
interrupt() {
	sig=$1 phase=$2
	shift 2
	before=$(git -C "$KSRC" symbolic-ref HEAD)
	stall=
	case $phase in build | boot) ;; *) stall=$phase ;; esac
	export IRQFD_RIG_STALL_AT=$stall IRQFD_RIG_STALL_S=90
	started=0
	start_in_phase "$phase" "$@" || started=1
	unset IRQFD_RIG_STALL_AT IRQFD_RIG_STALL_S
	[ "$started" -eq 0 ] || return 1
	# In PHASE: its start is printed (and for build, it has run a while; for
	# boot, QEMU is running).
	case $phase in build) sleep 4 ;; boot) wait_for_qemu ;; *) sleep 1 ;; esac
	case $sig in
	INT) kill -INT "-$pid" ;;
	*) kill "-$sig" "$pid" ;;
	esac
	rc=0
	wait "$pid" || rc=$?
	case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
	expect_rc "$want" &&
		expect_no_processes "$pid" &&
		expect_summary infra-error "interrupted by SIG$sig during $phase" &&
		expect_tmpdir_clean &&
		expect_no_temp "$CACHE" && expect_no_temp "$RESULTS" &&
		{ [ "$phase" = fetch ] || [ "$phase" = tree ] && expect_tree_clean "$before" || true; }
}
signal_case() {
	sig=$1 phase=$2
	case $phase in
	seed)
		# A variant without a build directory yet is seeded from the series'.
		rm -rf "$CACHE/build/$fv+harmless"
		interrupt "$sig" seed --variant "$fv" --extra-patch "$data/harmless.patch" --test-args "$smoke" &&
			{ [ ! -e "$CACHE/build/$fv+harmless" ] || flunk "a half-seeded build dir was kept"; }
		;;
	build)
		# Something to compile: a fresh mtime on a file of the build, and
		# make run although the tree's content has not changed.
		touch "$KSRC/virt/kvm/eventfd.c"
		export IRQFD_RIG_REBUILD=1
		rc_case=0
		interrupt "$sig" build --variant "$fv" --test-args "$smoke" || rc_case=$?
		unset IRQFD_RIG_REBUILD
		return "$rc_case"
		;;
	boot) interrupt "$sig" boot --variant "$fv" --test-args "$long_guest" ;;
	*) interrupt "$sig" "$phase" --variant "$fv" --test-args "$smoke" ;;
	esac
}
for sig in INT TERM; do
	for phase in fetch tree seed config build initramfs boot; do
		eval "case_sig${sig}_during_$phase() { signal_case $sig $phase; }"
	done
done
case_sighup_during_boot() { signal_case HUP boot; }

case_two_boot_tests_at_once() {
	out2=$(mktemp "$FAULT_TMP/fault-out.XXXXXX")
	# The first run holds the tree from checkout to the end of its build,
	# which with everything cached takes well under a second: it is held in
	# its tree phase for a few seconds, and the second starts only once it
	# is there, so that the two overlap on every machine, however loaded.
	export IRQFD_RIG_STALL_AT=tree IRQFD_RIG_STALL_S=5
	start_in_phase tree --variant "$fv" --test-args "$smoke" || {
		unset IRQFD_RIG_STALL_AT IRQFD_RIG_STALL_S
		return 1
	}
	unset IRQFD_RIG_STALL_AT IRQFD_RIG_STALL_S
	a=$pid
	rc2=0
	setsid "$boot_test" --variant "$fv" --test-args "$smoke" >"$out2" 2>&1 || rc2=$?
	rc=0
	wait "$a" || rc=$?
	run_a=$(sed -n 's/.*results in \(\/[^ ]*\)$/\1/p' "$out" | tail -n 1)
	run_b=$(sed -n 's/.*results in \(\/[^ ]*\)$/\1/p' "$out2" | tail -n 1)
	waited=$(cat "$out" "$out2" | grep -c 'waiting for' || true)
	rm -f "$out2"
	expect_rc 0 &&
		{ [ "$rc2" -eq 0 ] || flunk "the second boot-test exited $rc2"; } &&
		{ [ -n "$run_a" ] && [ "$run_a" != "$run_b" ] || flunk "both runs wrote $run_a"; } &&
		{ [ "$(summary_field verdict "$run_a/summary.json")" = pass ] &&
			[ "$(summary_field verdict "$run_b/summary.json")" = pass ] || flunk "not both runs passed"; } &&
		{ [ "$waited" -ge 1 ] || flunk "neither run waited for the other"; }
}


# --- faults of the disk under the results -------------------------------------
# scratch_results SIZE [OPTIONS]: RESULTS on a tmpfs of SIZE (mount OPTIONS).
scratch_results() {
	scratch=$(mktemp -d "$FAULT_TMP/fault-results.XXXXXX")
	mount -t tmpfs -o "size=$1${2:+,$2}" irqfd-rig-fault "$scratch" 2>/dev/null ||
		{ flunk "cannot mount a $1 tmpfs on $scratch (needs root with CAP_SYS_ADMIN)"; return 1; }
}

case_enospc_under_serial_log_splat() {
	# The guest passes its tests, fills the disk, then the kernel warns: the
	# warning never reaches serial.log, but the supervisor saw it.
	scratch_results 1m || return 1
	RESULTS=$scratch FAKE_QEMU_MODE=splat-after-flood QEMU=$here/fake-qemu.sh \
		run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 2 &&
		expect_summary splat "WARNING in kvm_irqfd_assign.*serial.log is incomplete: No space left on device" &&
		{ jq -e '.[0].title == "WARNING in kvm_irqfd_assign"' "$run/splats.json" >/dev/null 2>&1 ||
			[ ! -e "$run/splats.json" ] || flunk "splats.json does not hold the live splat"; } &&
		expect_no_temp "$scratch"
}

case_enospc_under_serial_log_pass() {
	# Nothing went wrong but the disk: no pass can be proven from half a log.
	scratch_results 1m || return 1
	RESULTS=$scratch FAKE_QEMU_MODE=pass-after-flood QEMU=$here/fake-qemu.sh \
		run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_summary infra-error "serial.log could not be written (No space left on device after [0-9]* bytes" &&
		expect_no_temp "$scratch"
}

case_erofs_results() {
	scratch_results 1m ro || return 1
	t0=$(date +%s)
	RESULTS=$scratch run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_out "cannot create a run directory in $scratch: .*Read-only file system" &&
		{ [ $(( $(date +%s) - t0 )) -lt 20 ] || flunk "it took $(( $(date +%s) - t0 )) s to give up"; }
}

case_enospc_results() {
	# No inode left: mkdir itself fails with ENOSPC.
	scratch_results 1m nr_inodes=1 || return 1
	t0=$(date +%s)
	RESULTS=$scratch/results run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_out "cannot create the results directory: .*No space left on device" &&
		{ [ $(( $(date +%s) - t0 )) -lt 20 ] || flunk "it took $(( $(date +%s) - t0 )) s to give up"; }
}

# --- SIGKILL and SIGHUP ---------------------------------------------------------
# start_in_phase PHASE ARGS...: start a boot-test in its own session and
# return when it is in PHASE ($pid is the script and the session). An
# asynchronous command of a script starts with SIGINT ignored, and a shell
# cannot trap a signal ignored at its start: env restores the defaults.
start_in_phase() {
	phase=$1
	shift
	# A TMPDIR of the run's own (see expect_tmpdir_clean).
	[ -z "${runtmp:-}" ] || rm -rf "$runtmp"
	runtmp=$(mktemp -d "$FAULT_TMP/fault-tmpdir.XXXXXX")
	setsid env --default-signal=INT,TERM,HUP TMPDIR="$runtmp" "$boot_test" "$@" >"$out" 2>&1 &
	pid=$!
	n=0
	until grep -q "boot-test.sh: \[$phase\] \.\.\." "$out"; do
		n=$((n + 1))
		kill -0 "$pid" 2>/dev/null && [ "$n" -lt 1200 ] || {
			kill -KILL "-$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
			flunk "the boot-test never reached phase $phase"
			return 1
		}
		sleep 0.1
	done
}
# wait_for_qemu: the run started by start_in_phase boot has started QEMU
# and the guest has run a second (else the case fails).
wait_for_qemu() {
	n=0
	until grep -q "boot-qemu.sh: booting: " "$out"; do
		n=$((n + 1))
		kill -0 "$pid" 2>/dev/null && [ "$n" -lt 600 ] || { flunk "QEMU never started"; return 1; }
		sleep 0.1
	done
	sleep 1
}
# The steps keep some bookkeeping under TMPDIR, outside the cache the other
# checks look at (build-kernel.sh's state directory): a run that was
# stopped, whatever the signal, leaves nothing there.
expect_tmpdir_clean() {
	left=$(ls -A "$runtmp" 2>/dev/null)
	[ -z "$left" ] || flunk "left in TMPDIR $runtmp: $(echo $left)"
}
# The run started last: the newest directory in RESULTS.
newest_run() { ls -td "$RESULTS"/[0-9]*/ | head -n 1 | sed 's|/$||'; }
# A build that was stopped must not leave a stamp that lets the next run
# skip make on half-built objects.
expect_no_build_stamp() {
	[ ! -e "$CACHE/build/$fv/.irqfd-rig-build.stamp" ] || flunk "a stopped build left $CACHE/build/$fv/.irqfd-rig-build.stamp"
}
expect_tree_lock_free() {
	flock -n "$CACHE/.tree.lock" true || flunk "the tree lock is still held: $(cat "$CACHE/.tree.lock")"
}
# expect_reaped PHASE: after SIGKILL of the script alone, its watchdog
# stopped everything and wrote the verdict.
expect_reaped() {
	expect_rc 137 && expect_no_processes "$pid" || return 1
	run=$(newest_run)
	n=0
	until [ -f "$run/summary.json" ] || [ "$n" -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
	[ "$(summary_field verdict "$run/summary.json")" = infra-error ] ||
		flunk "no infra-error summary.json in $run" || return 1
	summary_field reason "$run/summary.json" | grep -q "was killed during $1 without a verdict" ||
		flunk "reason '$(summary_field reason "$run/summary.json")' does not say it was killed during $1" || return 1
	expect_tree_lock_free && expect_no_temp "$CACHE" && expect_no_temp "$RESULTS" &&
		{ [ -z "$(find "$run" -name '.*' ! -name . 2>/dev/null)" ] || flunk "left in $run: $(ls -A "$run" | grep '^\.' | tr '\n' ' ')"; }
}

case_sigkill_during_build() {
	touch "$KSRC/virt/kvm/eventfd.c"
	export IRQFD_RIG_REBUILD=1
	rc_case=0
	start_in_phase build --variant "$fv" --test-args "$smoke" || rc_case=1
	unset IRQFD_RIG_REBUILD
	[ "$rc_case" -eq 0 ] || return 1
	sleep 4
	kill -KILL "$pid"
	rc=0
	wait "$pid" || rc=$?
	expect_reaped build && expect_tree_clean "refs/heads/rig/$fv" && expect_no_build_stamp &&
		expect_tmpdir_clean
}

# A build that has nothing to do is not run again (its stamp matches);
# IRQFD_RIG_REBUILD=1 runs make anyway, and any input that differs from
# the stamp's (here the tree it records) runs make too.
case_build_stamp_skips_make() {
	stamp=$CACHE/build/$fv/.irqfd-rig-build.stamp
	QEMU=/nonexistent/qemu-system-x86_64 run_boot_test --variant "$fv" --test-args "$smoke"
	[ -f "$stamp" ] || flunk "no $stamp after a good build" || return 1
	QEMU=/nonexistent/qemu-system-x86_64 run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 && expect_out "bzImage up to date: same tree .*; make not run" || return 1
	IRQFD_RIG_REBUILD=1 QEMU=/nonexistent/qemu-system-x86_64 run_boot_test --variant "$fv" --test-args "$smoke"
	expect_out "bzImage unchanged: nothing needed rebuilding" || return 1
	awk '$1 == "tree" { $2 = "0000000000000000000000000000000000000000" } { print }' "$stamp" >"$stamp.new" &&
		mv "$stamp.new" "$stamp"
	QEMU=/nonexistent/qemu-system-x86_64 run_boot_test --variant "$fv" --test-args "$smoke"
	expect_out "bzImage unchanged: nothing needed rebuilding" &&
		{ grep -q "^tree $(git -C "$KSRC" rev-parse 'HEAD^{tree}')\$" "$stamp" || flunk "the stamp was not renewed: $(cat "$stamp")"; }
}

case_sigkill_during_boot() {
	start_in_phase boot --variant "$fv" --test-args "$long_guest" || return 1
	wait_for_qemu
	kill -KILL "$pid"
	rc=0
	wait "$pid" || rc=$?
	expect_reaped boot
}

# The whole session killed at once (watchdog included): the next run closes
# the dead run's directory and says so.
case_sigkill_everything_during_boot() {
	start_in_phase boot --variant "$fv" --test-args "$long_guest" || return 1
	wait_for_qemu
	dead=$(newest_run)
	kill -KILL "-$pid"
	wait "$pid" 2>/dev/null || true
	expect_no_processes "$pid" || return 1
	[ ! -e "$dead/summary.json" ] || flunk "the killed run has a summary.json already" || return 1
	QEMU=/nonexistent/qemu-system-x86_64 run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_out "closed $dead: its boot-test (pid $pid) died during boot without a verdict" &&
		{ [ "$(summary_field verdict "$dead/summary.json")" = infra-error ] ||
			flunk "the dead run got no summary.json"; } &&
		expect_tree_lock_free
}

# SIGHUP while the patches are applied: they go into a private index, so the
# tree is untouched and the run says where it stopped.
case_sighup_during_tree() { signal_case HUP tree; }

# The whole session killed while patches are applied: the next run finds
# the tree as it was and closes the dead run.
case_sigkill_everything_during_tree() {
	export IRQFD_RIG_STALL_AT=tree IRQFD_RIG_STALL_S=90
	start_in_phase tree --variant "$fv" --test-args "$smoke" || { unset IRQFD_RIG_STALL_AT IRQFD_RIG_STALL_S; return 1; }
	unset IRQFD_RIG_STALL_AT IRQFD_RIG_STALL_S
	sleep 1
	dead=$(newest_run)
	kill -KILL "-$pid"
	wait "$pid" 2>/dev/null || true
	expect_no_processes "$pid" || return 1
	QEMU=/nonexistent/qemu-system-x86_64 run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_out "closed $dead: its boot-test (pid $pid) died during tree without a verdict" &&
		expect_tree_clean "refs/heads/rig/$fv" && expect_tree_lock_free
}

# What a rig that applied patches with `git am` in the tree left when it
# was killed mid-way (an am in progress on a temporary branch) is cleaned
# up by the next run, which says so.
case_leftover_git_am_is_cleaned() {
	git -C "$KSRC" checkout -q -b irqfd-rig-apply-999999 "rig/$fv" &&
		! GIT_CONFIG_GLOBAL=/dev/null git -C "$KSRC" -c user.name=f -c user.email=f@f am -q "$data/does-not-apply.patch" \
			>/dev/null 2>&1 &&
		[ -d "$KSRC/.git/rebase-apply" ] || flunk "could not leave a git am in progress to clean up" || return 1
	QEMU=/nonexistent/qemu-system-x86_64 run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 125 &&
		expect_out "a killed run left 'git am' in progress in $KSRC: aborting it" &&
		expect_out "deleted the temporary branch irqfd-rig-apply-999999 of a killed run" &&
		expect_tree_clean "refs/heads/rig/$fv"
}

# --- settings and names ------------------------------------------------------------
case_bad_bisect_settings() {
	for setting in BISECT_REPEAT=abc BISECT_REPEAT=0 BISECT_REPEAT= BISECT_BAD_ON=splats; do
		rc=0
		(cd "$KSRC" && env "$setting" "$top/scripts/workflows/bisect/bisect-step.sh") >"$out" 2>&1 || rc=$?
		expect_rc 129 && expect_out "bisect-step: error: ${setting%%=*}=.*aborting the bisection" || {
			why="bisect-step.sh with $setting: $why"
			return 1
		}
		! grep -q 'run 1/' "$out" || flunk "bisect-step.sh with $setting ran a boot-test" || return 1
		rc=0
		env "$setting" "$top/scripts/workflows/bisect/bisect.sh" v6.12.117-deb-pristine "rig/$fv" >"$out" 2>&1 || rc=$?
		expect_rc 2 || { why="bisect.sh with $setting: $why"; return 1; }
	done
	[ ! -e "$(git -C "$KSRC" rev-parse --absolute-git-dir)/BISECT_LOG" ] || flunk "a bisection was started"
}

case_odd_patch_names() {
	# A directory with a space; a file name with a '~' (not allowed in a git
	# ref) and glob characters; beside it a file the glob would match, which
	# must not be the one applied.
	scratch=$(mktemp -d "$FAULT_TMP/fault-names.XXXXXX")
	mkdir "$scratch/my patches"
	cp "$data/harmless.patch" "$scratch/my patches/fix~v2 [ab].patch"
	cp "$data/does-not-apply.patch" "$scratch/my patches/fix~v2 a.patch"
	run_boot_test --variant "$fv" --extra-patch "$scratch/my patches/fix~v2 [ab].patch" --test-args "$smoke"
	expect_rc 0 &&
		expect_summary pass "all .* tests passed" &&
		{ jq -e '.patches[-1] == "fix~v2 [ab].patch"' "$run/summary.json" >/dev/null ||
			flunk "summary.json does not name the patch as given"; } &&
		expect_tree_clean "refs/heads/rig/$fv+fix_v2__ab_"
}

# The selftest arguments of the image boot-test built last.
initramfs_args() {
	img=$(ls -t "$CACHE"/initramfs/*.cpio.gz | head -n 1)
	zcat "$img" | (cd "$1" && cpio --quiet -i --to-stdout etc/irqfd-selftest.args)
}

case_test_args_quotes_spaces_star() {
	scratch=$(mktemp -d "$FAULT_TMP/fault-args.XXXXXX")
	# Through make, a backquote must not run on the host.
	rc=0
	TEST_ARGS="--gtest_filter='KvmSmoke.*:No such test' \`touch $scratch/pwned\` *" \
		FAKE_QEMU_MODE=selftest-crash QEMU=$here/fake-qemu.sh \
		setsid make -s -C "$top" boot-test VARIANT="$fv" BUILD_DIR="$BUILD_DIR" >"$out" 2>&1 || rc=$?
	# The fake guest's crash is a test-failure; make says so with its own 2.
	expect_rc 2 && expect_out "test-failure (exit 1)" || return 1
	[ ! -e "$scratch/pwned" ] || flunk "a backquote in TEST_ARGS ran on the host" || return 1
	printf '%s\n' '--gtest_filter=KvmSmoke.*:No such test' '`touch' "$scratch/pwned\`" '*' >"$scratch/want"
	initramfs_args "$scratch" >"$scratch/got"
	cmp -s "$scratch/want" "$scratch/got" ||
		flunk "the initramfs has arguments '$(tr '\n' '|' <"$scratch/got")', not '$(tr '\n' '|' <"$scratch/want")'" ||
		return 1
	# In the guest: one argument with a space and a '*' reaches the selftest
	# whole (split at the space, gtest would be given stray arguments).
	run_boot_test --variant "$fv" --test-args "'--gtest_filter=KvmSmoke.*:No such test'"
	expect_rc 0 && expect_summary pass "all .* tests passed" || return 1
	# Unbalanced quotes are an error, not a guess.
	run_boot_test --variant "$fv" --test-args "--gtest_filter='KvmSmoke.*"
	expect_rc 125 && expect_out "test-args: .*unmatched single quote"
}

case_invalid_utf8_in_report() {
	FAKE_QEMU_MODE=invalid-utf8-report QEMU=$here/fake-qemu.sh run_boot_test --variant "$fv" --test-args "$smoke"
	expect_rc 2 && expect_summary splat "WARNING in kvm_irqfd_assign" || return 1
	for f in splats.json summary.json; do
		python3 -m json.tool "$run/$f" >/dev/null 2>&1 || flunk "$run/$f is not valid JSON" || return 1
	done
}

case_supervisor_timeout_is_hard() {
	t0=$(date +%s)
	FAKE_QEMU_MODE=orphan-holds-console QEMU=$here/fake-qemu.sh \
		run_boot_test --variant "$fv" --test-args "$smoke" --timeout 3
	took=$(( $(date +%s) - t0 ))
	orphan=$(sed -n 's/.*fake-qemu: orphan pid=\([0-9]*\).*/\1/p' "$(newest_run)/serial.log" | head -n 1)
	[ -z "$orphan" ] || kill -KILL "$orphan" 2>/dev/null || true
	expect_rc 3 && expect_summary timeout "no result before the timeout" || return 1
	boot=$(jq -r '.durations_s.boot' "$run/summary.json")
	awk -v b="$boot" 'BEGIN { exit !(b < 10) }' || flunk "the boot phase took $boot s with --timeout 3"
	rc=0
	"$boot_test" --timeout nan >"$out" 2>&1 || rc=$?
	expect_rc 125 && expect_out "timeout takes whole seconds, not 'nan'"
}

case_stale_initramfs_temp() {
	# What a killed build-initramfs.sh leaves (its pid is gone) is removed.
	scratch=$(mktemp -d "$FAULT_TMP/fault-initramfs.XXXXXX")
	mkdir -p "$scratch/.initramfs.tmp.999999999.abcdef/root"
	rc=0
	"$top/rootfs/build-initramfs.sh" "$scratch/x.cpio.gz" "$BUILD_DIR/bin/irqfd_selftest" >"$out" 2>&1 || rc=$?
	expect_rc 0 && expect_out "removed $scratch/.initramfs.tmp.999999999.abcdef, left by a killed run" &&
		{ [ -z "$(ls -A "$scratch" | grep -v -e '^x.cpio.gz$' -e '^x.cpio.gz.inputs$')" ] || flunk "left in $scratch: $(ls -A "$scratch")"; }
}

# What the rig's scripts must never do again: temp names others can
# predict, JSON read with sed, and a run's consumer reading results/latest.
case_no_predictable_temp_no_sed_json_no_latest() {
	files=$(cd "$top" && git ls-files '*.sh' 'Makefile')
	bad=$(cd "$top" && grep -nE '(/tmp|TMPDIR[^}]*\})/[^ "]*\$\$' $files | grep -v '^tests/faults/run-faults.sh:' || true)
	[ -z "$bad" ] || flunk "predictable temp names: $bad" || return 1
	bad=$(cd "$top" && grep -nE 'sed .*\\"(verdict|reason|patch_ids|test_args|variant|first_splat_s)\\"|sed .*"(passed|boot)": ' $files |
		grep -v '^tests/faults/run-faults.sh:' || true)
	[ -z "$bad" ] || flunk "JSON read with sed: $bad" || return 1
	bad=$(cd "$top" && grep -nE '(results|RESULTS)/latest' $files | grep -vE '^[^:]*:[0-9]+:\s*#|## ' |
		grep -v '^scripts/boot-test.sh:' | grep -v '^tests/faults/run-faults.sh:' || true)
	[ -z "$bad" ] || flunk "readers of results/latest: $bad"
}

# --- driver -------------------------------------------------------------------
all=$(sed -n 's/^case_\([a-zA-Z_]*\)() {.*/\1/p' "$0")
all="$all $(for sig in INT TERM; do for phase in fetch tree seed config build initramfs boot; do
	printf 'sig%s_during_%s ' "$sig" "$phase"; done; done)"
if [ "${1:-}" = -l ]; then
	printf '%s\n' $all
	exit 0
fi
[ $# -gt 0 ] || set -- $all
[ -d "$KSRC/.git" ] || { echo "run-faults: no kernel tree at $KSRC: run make boot-test first" >&2; exit 2; }
# Every case ends with the tree on rig/$fv as boot-test left it.
for c in "$@"; do
	case " $(echo $all) " in *" $c "*) ;; *) echo "run-faults: unknown case $c" >&2; exit 2 ;; esac
	t0=$(date +%s)
	why=
	if "case_$c"; then
		passed=$((passed + 1))
		echo "fault: ok $c ($(( $(date +%s) - t0 )) s)"
	else
		failed=$((failed + 1))
		echo "fault: FAIL $c: ${why:-failed} ($(( $(date +%s) - t0 )) s)"
		sed 's/^/    | /' "$out" | tail -n 15
	fi
	cleanup_scratch
done
# What the cases made for themselves goes: their branches and build dirs.
if git -C "$KSRC" symbolic-ref -q HEAD | grep -q "^refs/heads/rig/$fv+\\(build-break\\|harmless\\|fix_v2__ab_\\)\$"; then
	git -C "$KSRC" checkout -q "rig/$fv" 2>/dev/null || true
fi
for v in build-break harmless fix_v2__ab_; do
	git -C "$KSRC" branch -q -D "rig/$fv+$v" 2>/dev/null || true
	rm -rf "$CACHE/build/$fv+$v" "$CACHE/build/$fv+$v.lock"
done
echo "faults: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
