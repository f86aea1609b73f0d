#!/bin/sh
# run-and-shell-test.sh [CASE...]: make run and make shell on the warm cache
# that make check's boot tests leave: a command's output and exit status, a
# splat outranking it, extra static programs in the guest, and an
# interactive shell driven through tmux (type, read, end, nothing left).
# Ends with "workstation: N passed, N failed" for run-checks.sh.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
export BUILD_DIR=${BUILD_DIR:-$top/build}
T=$(mktemp -d "${TMPDIR:-/tmp}/workstation-test.XXXXXX")
session=irqfd-rig-shell-test-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
passed=0 failed=0
why=
flunk() { why="$*"; return 1; }

# run_make ARGS...: make -s ARGS; stdout in $T/out, stderr in $T/err, $rc.
run_make() {
	rc=0
	make -s -C "$top" "$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?
}
expect_rc() { [ "$rc" -eq "$1" ] || flunk "exit $rc, expected $1; stderr: $(tail -n 3 "$T/err" | tr '\n' ' ')"; }
expect_stdout() { grep -q -e "$1" "$T/out" || flunk "no '$1' in stdout: $(head -c 300 "$T/out" | tr '\n' '|')"; }

case_run_prints_output_and_exits_0() {
	run_make run CMD='uname -r; cat /proc/cmdline'
	expect_rc 0 && expect_stdout '^6\.12\.117$' && expect_stdout 'console=ttyS0' &&
		{ ! grep -q 'boot-test' "$T/out" || flunk "the rig's own lines are on stdout"; }
}

# The command's own status: boot-test.sh --command gives it as its exit
# status (make run cannot: make exits 2 whenever a recipe fails, so it
# prints the status instead).
case_run_exits_with_the_command_status() {
	rc=0
	"$top/scripts/boot-test.sh" --command 'echo about to fail; exit 7' >"$T/out" 2>"$T/err" </dev/null || rc=$?
	expect_rc 7 && expect_stdout '^about to fail$' || return 1
	run_make run CMD='exit 7'
	expect_rc 2 && { grep -q 'test-failure (exit 7)' "$T/err" || flunk "make run does not say the command exited 7"; }
}

case_run_splat_outranks_the_command() {
	# The use-after-free canary splats when an eventfd with an irqfd is
	# closed; the command itself would exit 0.
	run_make run EXTRA_PATCH=patches/canary/use-after-free.patch \
		CMD='/bin/irqfd_selftest --gtest_filter=IrqfdTest.* >/dev/null 2>&1; exit 0'
	expect_rc 2 && { grep -q 'verdict splat\|: splat (exit 2)' "$T/err" || flunk "stderr does not say splat"; }
}

case_guest_bins_static_and_dynamic() {
	printf '#include <stdio.h>\nint main(void) { puts("hello from a guest bin"); return 3; }\n' >"$T/hello.c"
	cc -static -O1 -o "$T/hello-static" "$T/hello.c" && cc -O1 -o "$T/hello-dynamic" "$T/hello.c" ||
		{ flunk "cannot build the test programs (static libc missing?)"; return 1; }
	# boot-test.sh --command, for the command's own status (make exits 2).
	rc=0
	"$top/scripts/boot-test.sh" --command 'hello-static' --guest-bin "$T/hello-static" \
		>"$T/out" 2>"$T/err" </dev/null || rc=$?
	expect_rc 3 && expect_stdout '^hello from a guest bin$' || return 1
	run_make run CMD='hello-dynamic' GUEST_BINS="$T/hello-dynamic"
	expect_rc 2 && { grep -q "hello-dynamic is dynamically linked" "$T/err" "$T/out" || flunk "no message naming the dynamic program"; }
}

# wait_screen TEXT SECONDS: until tmux's pane shows TEXT.
wait_screen() {
	n=0
	until tmux capture-pane -p -t "$session" -S -200 | grep -q -e "$1"; do
		n=$((n + 1))
		[ "$n" -lt $(($2 * 5)) ] || { flunk "the screen never showed '$1': $(tmux capture-pane -p -t "$session" | tail -n 5 | tr '\n' '|')"; return 1; }
		sleep 0.2
	done
}

case_shell_interactive() {
	tmux new-session -d -s "$session" -x 160 -y 48 \
		"cd '$top' && make -s shell BUILD_DIR='$BUILD_DIR'; echo SHELL-EXIT=\$?; sleep 600"
	wait_screen 'irqfd-rig: shell:' 600 || return 1
	sleep 2
	tmux send-keys -t "$session" 'echo rig-$((6*7)); cat /proc/lockdep_stats | head -n 1' Enter
	wait_screen '^rig-42' 60 && wait_screen 'lock-classes:' 30 || return 1
	# debugfs is mounted and KVM's directory is in it.
	tmux send-keys -t "$session" 'test -d /sys/kernel/debug/kvm && echo debugfs-$((1+1))' Enter
	wait_screen '^debugfs-2' 30 || { why="no /sys/kernel/debug/kvm in the guest ($why)"; return 1; }
	tmux send-keys -t "$session" 'poweroff -f' Enter
	wait_screen 'SHELL-EXIT=0' 60 || return 1
	tmux kill-session -t "$session" 2>/dev/null || true
	! pgrep -f "qemu-system-x86_64 .*stdio,id=console,mux=on" >/dev/null || flunk "QEMU is still running"
}

# A developer's own checkout (here: a clone of the pinned tree elsewhere) as
# KERNEL_TREE: the series boot-tests as in the default flow, and the
# checkout's HEAD, branches, index and files are exactly as they were.
case_kernel_tree_is_only_read() {
	cache=${IRQFD_RIG_CACHE:-$HOME/.cache/irqfd-rig}
	dev="$T/dev tree"
	git clone -q --shared "$cache/linux" "$dev" && git -C "$dev" checkout -q -b my-work v6.12.117-deb-pristine ||
		{ flunk "cannot make the developer's tree"; return 1; }
	echo "my uncommitted note" >>"$dev/README"
	snapshot() {
		git -C "$dev" rev-parse HEAD
		git -C "$dev" for-each-ref --format='%(refname) %(objectname)'
		sha256sum <"$dev/.git/index"
		git -C "$dev" status --porcelain --untracked-files=all
		git -C "$dev" diff | sha256sum
		ls -A "$dev/.git"
	}
	snapshot >"$T/before"
	# The tree is what is tested here, not the hammer: one second of it.
	run_make boot-test KERNEL_TREE="$dev" BASE=v6.12.117-deb-pristine VARIANT=series TEST_ARGS='--hammer-seconds=1'
	run=$(sed -n 's/.*results in \(\/.*\)$/\1/p' "$T/out" "$T/err" | tail -n 1)
	snapshot >"$T/after"
	key=$(printf '%s' "$dev" | sha256sum | cut -c1-12)
	rm -rf "$cache/trees/$key"
	expect_rc 0 || return 1
	jq -e --arg d "$dev" '.verdict == "pass" and .kernel_tree == $d and (.base_describe | startswith("v6.12.117-deb-pristine"))' \
		"$run/summary.json" >/dev/null || flunk "summary.json: $(jq -c '{verdict, kernel_tree, base_describe}' "$run/summary.json")" || return 1
	cmp -s "$T/before" "$T/after" || flunk "the developer's tree changed: $(diff "$T/before" "$T/after" | head -n 5 | tr '\n' '|')"
}

# The data path a stage at a time: make kernel and make initramfs stop after
# their stage with RUN/stages.env (no verdict);
# make boot RUN= boots that run and make verdict RUN= judges it, as
# boot-test would have.
case_stages_one_at_a_time() {
	run_of() { sed -n 's/.*results in \(\/.*\)$/\1/p' "$T/out" "$T/err" | tail -n 1; }
	run_make kernel VARIANT=series
	expect_rc 0 || return 1
	run=$(run_of)
	grep -qx 'stopped_after=kernel' "$run/stages.env" 2>/dev/null && grep -q '^kernel=.*/bzImage$' "$run/stages.env" ||
		flunk "make kernel: stages.env in '$run': $(tr '\n' ' ' <"$run/stages.env" 2>/dev/null)" || return 1
	[ ! -e "$run/summary.json" ] || flunk "make kernel wrote a verdict in $run" || return 1
	run_make initramfs VARIANT=series TEST_ARGS='--hammer-seconds=1'
	expect_rc 0 || return 1
	run=$(run_of)
	initrd=$(sed -n 's/^initrd=//p' "$run/stages.env" 2>/dev/null)
	[ -n "$initrd" ] && [ -f "$initrd" ] || flunk "make initramfs: no initrd in $run/stages.env" || return 1
	run_make boot RUN="$run" DRY_RUN=1
	expect_rc 0 && expect_stdout "'-initrd' '$initrd'" || return 1
	[ ! -e "$run/serial.log" ] || flunk "DRY_RUN=1 booted" || return 1
	run_make boot RUN="$run"
	expect_rc 0 || return 1
	grep -q 'irqfd-rig: end status=0' "$run/serial.log" 2>/dev/null || flunk "make boot: no end marker in $run/serial.log" || return 1
	run_make verdict RUN="$run"
	expect_rc 0 || return 1
	jq -e '.verdict == "pass" and .variant == "series" and .tests.failed == 0 and .tests.passed > 0' "$run/summary.json" >/dev/null ||
		flunk "make verdict: $(jq -c '{verdict, variant, tests: .tests.passed}' "$run/summary.json" 2>&1)" || return 1
	# The verdict stage read what the run is from the run directory alone.
	for kv in config_hash:config_hash kernel_sha256:kernel_sha256 initramfs_sha256:initramfs_sha256 head:kernel_head; do
		want=$(sed -n "s/^${kv%%:*}=//p" "$run/stages.env")
		[ -n "$want" ] && jq -e --arg k "${kv#*:}" --arg v "$want" '.[$k] == $v' "$run/summary.json" >/dev/null ||
			flunk "make verdict: ${kv#*:} is $(jq -c --arg k "${kv#*:}" '.[$k]' "$run/summary.json"), stages.env says '$want'" || return 1
	done
	jq -e '(.accel | length) > 0 and (.kernel_cmdline | contains("console="))' "$run/summary.json" >/dev/null ||
		flunk "make verdict: boot.env's accel and command line not in summary.json: $(jq -c '{accel, kernel_cmdline}' "$run/summary.json")" || return 1
	# Judged again: what the first judgement recorded stays.
	run_make verdict RUN="$run"
	expect_rc 0 && jq -e '.variant == "series" and (.initramfs_sha256 | length) == 64' "$run/summary.json" >/dev/null ||
		flunk "make verdict again lost the run's record: $(jq -c . "$run/summary.json" | head -c 300)"
}

all=$(sed -n 's/^case_\([a-z0-9_]*\)() {.*/\1/p' "$0")
command -v tmux >/dev/null || { echo "run-and-shell-test: tmux not found (make deps)" >&2; echo "workstation: 0 passed, 1 failed"; exit 1; }
for c in ${*:-$all}; do
	why=
	t0=$(date +%s)
	if "case_$c"; then
		passed=$((passed + 1))
		echo "workstation: ok $c ($(( $(date +%s) - t0 )) s)"
	else
		failed=$((failed + 1))
		echo "workstation: FAIL $c: $why ($(( $(date +%s) - t0 )) s)"
	fi
done
echo "workstation: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
