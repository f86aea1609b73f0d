#!/bin/sh
# boot-test.sh: take the pinned kernel to a verdict. Fetch it, put the variant's
# patches on a branch of the kernel tree, configure and build it (Kbuild O=,
# one build dir per variant, ccache), pack the selftest into an initramfs,
# boot it under QEMU with qemu-supervise and judge the run with boot-verdict.
#
# Usage: scripts/boot-test.sh [--variant base|series|series-K|head] [--extra-patch FILE]
#                             [--test-args "ARGS"] [--timeout S] [--echo]
# Env:   IRQFD_RIG_CACHE, BUILD_DIR (host tools, default build), RESULTS (default results),
#        QEMU (default qemu-system-x86_64), APPEND_EXTRA (kernel command line),
#        MAX_LOG_MB (default 32: a flooding guest is stopped there),
#        IRQFD_RIG_LOCK_WAIT (give up waiting for a lock after S seconds),
#        IRQFD_RIG_STALL_AT=PHASE (fault tests: hold PHASE IRQFD_RIG_STALL_S s)
#
# --variant head builds whatever the kernel tree has checked out, untouched
# (git bisect run uses it through bisect-step.sh). --variant series-K applies
# the first K patches of the series only (a prefix: what a bisection would
# land on); all prefixes share one build dir, build/series-prefix, so moving
# from one to the next rebuilds only what the next patch changes.
# Results: RESULTS/<stamp>-<variant>/ with serial.log, splats.json, ktap.txt,
# summary.json; RESULTS/latest points at the newest.
# Exit:    0 pass, 1 test-failure, 2 splat, 3 timeout, 125 infra-error (fetch,
#          patch, config or build failure too: what git bisect run skips),
#          130/143 interrupted (summary.json says in which phase).
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")/kernel" && pwd)
. "$KDIR/lib.sh"

# Any failure before the guest runs means "could not test": 125, which
# git bisect run reads as "skip this commit".
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 125; }

TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)
HOST_BUILD=${BUILD_DIR:-$TOP/build}
case $HOST_BUILD in /*) ;; *) HOST_BUILD=$TOP/$HOST_BUILD ;; esac
RESULTS=${RESULTS:-$TOP/results}
case $RESULTS in /*) ;; *) RESULTS=$TOP/$RESULTS ;; esac

variant= extra= test_args= timeout=900 echo_flag=
while [ $# -gt 0 ]; do
	case $1 in
	--variant) variant=${2:?--variant needs base, series, series-K or head}; shift 2 ;;
	--extra-patch) extra=${2:?--extra-patch needs a file}; shift 2 ;;
	--test-args) test_args=${2-}; shift 2 ;;
	--timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
	--echo) echo_flag=--echo; shift ;;
	*) die "unknown argument '$1' (see the usage at the top of $0)" ;;
	esac
done
series_patches=$(ls "$TOP"/patches/0[0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-' || true)
if [ -z "$variant" ]; then
	if [ -n "$series_patches" ]; then variant=series; else variant=base; fi
fi
case $variant in
base) patches= ;;
series)
	[ -n "$series_patches" ] || die "VARIANT=series but patches/ holds no series (0001-*.patch ...)"
	patches=$series_patches
	;;
head) patches= ;;
series-[1-9] | series-[1-9][0-9])
	k=${variant#series-}
	[ -n "$series_patches" ] || die "VARIANT=$variant but patches/ holds no series (0001-*.patch ...)"
	[ "$k" -le "$(echo "$series_patches" | wc -l)" ] ||
		die "VARIANT=$variant but the series has only $(echo "$series_patches" | wc -l) patch(es)"
	patches=$(echo "$series_patches" | head -n "$k")
	;;
*) die "unknown variant '$variant' (base, series, series-K or head)" ;;
esac
[ "$variant" != head ] || [ -z "$extra" ] || die "--extra-patch does not go with --variant head"
if [ -n "$extra" ]; then
	[ -f "$extra" ] || die "no patch file at $extra"
	extra=$(cd "$(dirname -- "$extra")" && pwd)/$(basename -- "$extra")
	patches="$patches $extra"
fi

# The run's directory exists from the start, so every way out leaves a verdict.
stamp=$(date +%Y%m%d-%H%M%S)
name=$variant
[ -z "$extra" ] || name=$variant+$(basename -- "$extra" .patch)
RUN=$RESULTS/$stamp-$name
n=1
mkdir -p "$RESULTS"
# mkdir is the test and the claim in one: two runs started in the same second
# get two directories.
until mkdir "$RUN" 2>/dev/null; do
	[ -d "$RESULTS" ] || die "cannot create $RESULTS"
	RUN=$RESULTS/$stamp-$name.$n
	n=$((n + 1))
done
ln -sfn "$(basename -- "$RUN")" "$RESULTS/latest.tmp.$$" && mv -T "$RESULTS/latest.tmp.$$" "$RESULTS/latest"

VERDICT=$HOST_BUILD/bin/boot-verdict
SUPERVISE=$HOST_BUILD/bin/qemu-supervise
SELFTEST=$HOST_BUILD/bin/irqfd_selftest
for tool in "$VERDICT" "$SUPERVISE" "$SELFTEST"; do
	[ -x "$tool" ] || die "$tool is missing: run 'make' first"
done

durations=
phase_begin_t() { phase_begin "$1"; }
phase_end_t() {
	phase_end
	durations="$durations --number $PHASE_NAME=$(awk -v ms=$(( $(now_ms) - PHASE_T0 )) 'BEGIN { printf "%.1f", ms / 1000 }')"
}

# Every failure before the boot ends here: a summary.json that says why, exit 125.
infra_fail() {
	why="$*"
	# The step's own error line names the patch, hunk, symbol or file: the
	# compiler's first error, else the step's last error line.
	# A full disk first: then the compiler's errors are only symptoms.
	detail=$(grep -E '^[^ ]+\.sh: error: no space left on device' "$RUN/$PHASE_NAME.log" 2>/dev/null | head -n 1 || true)
	[ -n "$detail" ] ||
		detail=$(grep -E ': (fatal )?error: ' "$RUN/$PHASE_NAME.log" 2>/dev/null | grep -v '^[^:]*\.sh: ' | head -n 1 || true)
	[ -n "$detail" ] ||
		detail=$(grep -E '(error|Error|ERROR)' "$RUN/$PHASE_NAME.log" 2>/dev/null | tail -n 1 || true)
	[ -z "$detail" ] || why="$why: $(echo "$detail" | sed "s|$KSRC/||g")"
	say "infra-error: $why"
	# shellcheck disable=SC2086
	"$VERDICT" --run "$RUN" --fail "$why" --meta variant="$name" $durations >/dev/null || true
	echo "boot-test: verdict infra-error (exit 125): $why; results in $RUN"
	exit 125
}

# Long steps run in the background, their output shown and kept in
# RUN/<phase>.log, so that SIGINT/SIGTERM are acted on at once and take the
# whole step (make, QEMU) down with them.
child=
kill_tree() {
	for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c"; done
	kill -TERM "$1" 2>/dev/null || true
}
on_signal() {
	trap '' INT TERM
	# $! of a background pipeline is its last command (tee): take down every
	# descendant of this script instead.
	for c in $(pgrep -P $$ 2>/dev/null); do kill_tree "$c"; done
	[ -z "$child" ] || wait "$child" 2>/dev/null || true
	why="interrupted by SIG$2 during ${PHASE_NAME:-start-up}"
	# The run's directory says so too: a summary, never a half-written one.
	# shellcheck disable=SC2086
	"$VERDICT" --run "$RUN" --fail "$why" --meta variant="$name" $durations >/dev/null 2>&1 || true
	rm -f "$RUN"/.*.rc
	say "$why; results in $RUN"
	exit "$1"
}
trap 'on_signal 130 INT' INT
trap 'on_signal 143 TERM' TERM
run_step() {
	rcf=$RUN/.$PHASE_NAME.rc
	{
		rc=0
		# Fault injection (tests/faults): hold the step here so that a signal
		# is sure to land in this phase.
		if [ "${IRQFD_RIG_STALL_AT:-}" = "$PHASE_NAME" ]; then
			echo "boot-test: IRQFD_RIG_STALL_AT=$PHASE_NAME: stalling"
			sleep "${IRQFD_RIG_STALL_S:-600}"
		fi
		"$@" 2>&1 || rc=$?
		echo "$rc" >"$rcf"
	} | tee -a "$RUN/$PHASE_NAME.log" &
	child=$!
	wait "$child" || true
	child=
	rc=$(cat "$rcf" 2>/dev/null || echo 1)
	rm -f "$rcf"
	return "$rc"
}

say "variant $name; results in $RUN"
phase_begin_t fetch
run_step "$KDIR/fetch-kernel.sh" || infra_fail "fetching the pinned kernel failed (see above)"
phase_end_t

# The tree is shared by all variants: hold it from checkout to the end of the
# build (a bisection holds it for all its steps and says so).
lock_tree() {
	[ "${IRQFD_RIG_TREE_LOCKED:-0}" = 1 ] && return 0
	mkdir -p "$CACHE"
	hold_lock 7 "$CACHE/.tree.lock" 2>"$RUN/tree-lock.err" || {
		cat "$RUN/tree-lock.err" >&2
		infra_fail "$(sed 's/^[^:]*: error: //' "$RUN/tree-lock.err" | tail -n 1)"
	}
	rm -f "$RUN/tree-lock.err"
}
lock_tree

if [ "$variant" != head ]; then
	phase_begin_t tree
	branch=rig/$name
	run_step "$KDIR/apply-series.sh" "$branch" $patches || infra_fail "the patches for $name do not apply (see above)"
	phase_end_t
fi

BUILD=$CACHE/build/$name
# The prefixes of the series share one build dir (they hold the tree lock
# until their build is done, so they never build in it at once).
case $name in series-[0-9] | series-[0-9][0-9]) BUILD=$CACHE/build/series-prefix ;; esac
# A variant's first build starts from its parent's objects: series from base,
# series+extra from series.
parent=$CACHE/build/$variant
[ -n "$extra" ] && [ -f "$parent/.config" ] || parent=$CACHE/build/base
if [ "$BUILD" != "$parent" ] && [ ! -e "$BUILD" ] && [ -f "$parent/.config" ]; then
	phase_begin_t seed
	run_step "$KDIR/seed-build-dir.sh" "$parent" "$BUILD" || infra_fail "seeding $BUILD failed"
	phase_end_t
fi
phase_begin_t config
run_step "$KDIR/make-config.sh" "$BUILD" || infra_fail "the kernel config for $name failed (see above)"
phase_end_t
phase_begin_t build
run_step "$KDIR/build-kernel.sh" "$BUILD" || infra_fail "the kernel build for $name failed (see above)"
phase_end_t
[ "${IRQFD_RIG_TREE_LOCKED:-0}" = 1 ] || exec 7>&-
config_hash=$(sha256sum "$BUILD/.config" | cut -c1-16)
head=$(git -C "$KSRC" rev-parse --short=12 HEAD)

phase_begin_t initramfs
# One image per variant and selftest arguments: runs at once never share one
# that another is rewriting for other arguments.
INITRD=$CACHE/initramfs/$name.$(printf '%s' "$test_args" | sha256sum | cut -c1-12).cpio.gz
run_step "$TOP/rootfs/build-initramfs.sh" "$INITRD" "$SELFTEST" "$test_args" ||
	infra_fail "building the initramfs failed"
phase_end_t

phase_begin_t boot
# console=ttyS0: QEMU's first serial port is the supervisor's pipe.
# panic=-1 with -no-reboot: a panic ends QEMU at once instead of hanging.
# tsc=reliable: multi-threaded TCG fails the TSC check, and without ACPI there
# is no other good clocksource. sockets=2: without ACPI the kernel finds CPUs
# in the MP table, which lists one per package.
# A flood is cut off at MAX_LOG_MB (a normal run logs well under 1 MB).
run_step "$SUPERVISE" --out "$RUN" --timeout "$timeout" --grace 5 --max-log-mb "${MAX_LOG_MB:-32}" $echo_flag -- \
	"${QEMU:-qemu-system-x86_64}" -nodefaults -no-user-config -accel tcg,thread=multi -cpu max \
	-m 2G -smp 2,sockets=2,cores=1,threads=1 -kernel "$BUILD/arch/x86/boot/bzImage" \
	-initrd "$INITRD" -append "console=ttyS0 panic=-1 tsc=reliable ${APPEND_EXTRA:-}" \
	-display none -monitor none -serial stdio -no-reboot || {
	# The supervisor's run.env says why QEMU did not start or failed: the
	# verdict names it. Without one the supervisor itself failed.
	[ -f "$RUN/run.env" ] || infra_fail "qemu-supervise failed and left no run.env"
}
phase_end_t

patch_names=$(for p in $patches; do printf '%s,' "$(basename -- "$p")"; done)
# Stable patch-ids identify the exact series a verdict belongs to, whatever
# the file names or commit ids (what send-prep will match a green run by).
patch_ids=$(for p in $patches; do git patch-id --stable <"$p" | cut -c1-40; done | paste -sd, -)
rc=0
# shellcheck disable=SC2086
"$VERDICT" --run "$RUN" --meta variant="$name" --meta config_hash="$config_hash" \
	--meta kernel_tag="$KERNEL_TAG" --meta kernel_head="$head" --meta test_args="$test_args" \
	--list patches="$patch_names" --list patch_ids="$patch_ids" $durations || rc=$?
echo "boot-test: $name: $(sed -n 's/^  "verdict": "\(.*\)",$/\1/p' "$RUN/summary.json") (exit $rc); results in $RUN"
exit "$rc"
