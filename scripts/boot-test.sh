#!/bin/sh
# boot-test.sh: take the pinned kernel to a verdict. Fetch it, put the variant's
# patches on a branch of the kernel tree, configure and build it (Kbuild O=,
# one build dir per variant, ccache), pack the selftest into an initramfs,
# boot it under QEMU with qemu-supervise and judge the run with boot-verdict.
#
# Usage: scripts/boot-test.sh [--variant base|series|series-K|head] [--extra-patch FILE]
#                             [--test-args "ARGS"] [--timeout S] [--echo]
#                             [--accel auto|kvm|tcg] [--run-file FILE] [--help]
#                             [--command CMD | --shell] [--guest-bin FILE]...
#                             [--until tree|config|kernel|initramfs]
# --until STAGE (make tree, make config, make kernel, make initramfs): run
# the stages up to STAGE and stop there, with no boot and no verdict; each
# earlier stage is a no-op when its output is up to date. RUN/stages.env
# says what was made (variant, build dir, tree, kernel image, initramfs;
# every run writes it, stage by stage, and the verdict stage reads it),
# and make boot RUN=DIR boots it. RESULTS/latest is left alone.
# --command CMD (make run): the guest runs CMD (as a shell script) instead of
# the selftest; its output is printed, and the exit status is the command's,
# except that the kernel and the rig outrank it: 2 when the kernel printed a
# report (splat), 124 when the guest hung until the timeout, 125 when the
# run could not be made (the same infra-errors as below).
# --shell (make shell): an interactive shell on the guest's console, in this
# terminal (Ctrl-A x or 'poweroff -f' ends it); the log is scanned when it ends.
# --guest-bin FILE: one more static program in the guest's /bin (GUEST_BINS).
# --kernel-tree DIR [--base REV] (make KERNEL_TREE=DIR BASE=REV): any git kernel tree
# instead of the pinned tarball (no Debian download); the variant's patches
# go on REV (default: DIR's HEAD). DIR itself is only read: the rig works in
# a private clone under IRQFD_RIG_CACHE/trees/ (git clone --shared), so the
# checkout, index and branches of DIR stay exactly as they were.
# --accel (default: ACCEL, else auto): auto boots with KVM only where it can
# give the guest a working /dev/kvm (scripts/kernel/choose-accel.sh says
# why or why not); kvm fails at once where it cannot; tcg never tries.
# --test-args is split into words as a shell would (quotes and backslashes
# respected) and never expanded: no globbing, no variables, no commands.
# --run-file FILE: write the run's directory into FILE as soon as it exists
# (what scripts that start a run read, instead of RESULTS/latest).
# Env:   IRQFD_RIG_CACHE, BUILD_DIR (host tools, default build), RESULTS (default results),
#        QEMU (default qemu-system-x86_64), APPEND_EXTRA (kernel command line),
#        MAX_LOG_MB (default 32: a flooding guest is stopped there),
#        IRQFD_RIG_LOCK_WAIT (give up waiting for a lock after S seconds),
#        IRQFD_RIG_REBUILD=1 (run make even when the build dir's stamp says
#        its bzImage is up to date),
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
#          129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM (summary.json says in
#          which phase). Even SIGKILL leaves a summary.json: a watchdog
#          (scripts/kernel/reap-run.sh) stops what the run started and writes
#          it, and the next run closes any run that still has none.
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")/kernel" && pwd)
# Any failure before the guest runs means "could not test": 125, which
# git bisect run reads as "skip this commit".
DIE_STATUS=125
. "$KDIR/lib.sh"

TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)
HOST_BUILD=${BUILD_DIR:-$TOP/build}
case $HOST_BUILD in /*) ;; *) HOST_BUILD=$TOP/$HOST_BUILD ;; esac
RESULTS=${RESULTS:-$TOP/results}
case $RESULTS in /*) ;; *) RESULTS=$TOP/$RESULTS ;; esac

variant= extra= test_args= timeout=900 echo_flag= run_file= accel=${ACCEL:-auto} until=
mode=selftest command= guest_bins= kernel_tree= base_rev= BUILD= INITRD=
NL='
'
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--variant) variant=${2:?--variant needs base, series, series-K or head}; shift 2 ;;
	--extra-patch) extra=${2:?--extra-patch needs a file}; shift 2 ;;
	--test-args) test_args=${2-}; shift 2 ;;
	--timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
	--echo) echo_flag=--echo; shift ;;
	--run-file) run_file=${2:?--run-file needs a file}; shift 2 ;;
	--accel) accel=${2:?--accel needs auto, kvm or tcg}; shift 2 ;;
	--command) [ $# -ge 2 ] || die "--command needs a command"; command=$2; mode=command; shift 2 ;;
	--shell) mode=shell; shift ;;
	--until) until=${2:?--until needs tree, config, kernel or initramfs}; shift 2 ;;
	--kernel-tree) kernel_tree=${2:?--kernel-tree needs a directory}; shift 2 ;;
	--base) base_rev=${2:?--base needs a revision}; shift 2 ;;
	--guest-bin)
		[ -n "${2:-}" ] || die "--guest-bin needs a file"
		[ -f "$2" ] || die "--guest-bin: no file at $2"
		guest_bins=${guest_bins:+$guest_bins$NL}$(cd "$(dirname -- "$2")" && pwd)/$(basename -- "$2")
		shift 2
		;;
	*) die "unknown argument '$1' (scripts/boot-test.sh --help lists them)" ;;
	esac
done
case $timeout in '' | *[!0-9]*) die "--timeout takes whole seconds, not '$timeout'" ;; esac
case $accel in auto | kvm | tcg) ;; *) die "--accel/ACCEL takes auto, kvm or tcg, not '$accel'" ;; esac
case $until in '' | tree | config | kernel | initramfs) ;; *) die "--until takes tree, config, kernel or initramfs, not '$until'" ;; esac
[ -z "$until" ] || [ "$mode" != shell ] || die "--until does not go with --shell (make shell boots)"
# make run: stdout carries the guest command's output alone; the rig's own
# lines go to stderr (fd 3 keeps stdout for the command's output).
if [ "$mode" = command ]; then
	exec 3>&1 1>&2
else
	exec 3>&1
fi

# The kernel tree: the pinned one in the cache, or the developer's own,
# read-only, through a private clone keyed by its path.
WORK=$CACHE
[ -n "$kernel_tree" ] || [ -z "$base_rev" ] || say "warning: --base $base_rev is ignored without --kernel-tree"
if [ -n "$kernel_tree" ]; then
	[ "$variant" != head ] || die "--variant head does not go with --kernel-tree (base builds BASE itself)"
	kernel_tree=$(cd "$kernel_tree" 2>/dev/null && pwd) || die "KERNEL_TREE: no directory at $kernel_tree"
	git -C "$kernel_tree" rev-parse --git-dir >/dev/null 2>&1 || die "KERNEL_TREE: $kernel_tree is not a git tree"
	[ -f "$kernel_tree/Makefile" ] && [ -d "$kernel_tree/scripts/kconfig" ] ||
		die "KERNEL_TREE: $kernel_tree does not look like a kernel tree (no Makefile or scripts/kconfig)"
	base_sha=$(git -C "$kernel_tree" rev-parse -q --verify "${base_rev:-HEAD}^{commit}") ||
		die "BASE: ${base_rev:-HEAD} is not a commit in $kernel_tree"
	tree_url=$(git -C "$kernel_tree" remote get-url origin 2>/dev/null || true)
	base_describe=$(git -C "$kernel_tree" describe --always --tags "$base_sha" 2>/dev/null || echo "$base_sha")
	WORK=$CACHE/trees/$(printf '%s' "$kernel_tree" | sha256sum | cut -c1-12)
	KSRC=$WORK/linux
	KERNEL_TAG=$base_sha
	# Child scripts (lib.sh) take the tree and base from these.
	export IRQFD_RIG_KERNEL_SRC=$KSRC IRQFD_RIG_BASE=$base_sha
fi
# ACCEL=kvm where KVM cannot serve fails before anything is built: all but
# the probe boot can be checked without a kernel.
if [ "$accel" = kvm ]; then
	why=$("$KDIR/choose-accel.sh" kvm) || case $why in
	*"no kernel to probe KVM with") ;;
	*) die "ACCEL=kvm: ${why#kvm: }" ;;
	esac
fi
[ "$timeout" -gt 0 ] || die "--timeout must be more than 0 seconds"

# The variant's patch files (the tree stage's input), one a line: names
# may hold spaces or glob characters, so lists of them are only ever
# expanded with globbing off and IFS a newline. Its error says why.
patches=$("$KDIR/variant-patches.sh" "${variant:-default}" ${extra:+"$extra"}) || exit 125
if [ -z "$variant" ]; then
	variant=$(printf '%s\n' "$patches" | sed -n '1s/^variant=//p')
	patches=$(printf '%s\n' "$patches" | sed 1d)
fi

# The selftest's arguments, one per line: split as a shell splits words,
# never expanded (xargs knows quotes and backslashes, and nothing else).
test_argv=$(printf '%s' "$test_args" | xargs -r printf '%s\n' 2>&1) ||
	die "--test-args: $(echo "$test_argv" | tail -n 1) in '$test_args'"

# The run's name is also a git branch (rig/NAME) and a directory: keep only
# what both accept, whatever the patch file is called.
name=$variant
if [ -n "$extra" ]; then
	x=$(printf '%s' "$(basename -- "$extra" .patch)" | LC_ALL=C tr -c 'A-Za-z0-9._+-' '_' | sed 's/\.\.*/./g; s/^[.-]*//; s/\.lock$/_lock/; s/\.$//')
	name=$variant+${x:-patch}
fi
git check-ref-format "refs/heads/rig/$name" || die "cannot make a branch name from '$extra' (got rig/$name)"

# The run's directory exists from the start, so every way out leaves a verdict.
stamp=$(date +%Y%m%d-%H%M%S)
RUN=$RESULTS/$stamp-$name
n=1
mkerr=$(mkdir -p -- "$RESULTS" 2>&1) || die "cannot create the results directory: $mkerr"
# mkdir is the test and the claim in one: two runs started in the same second
# get two directories. Any failure but "exists" (a read-only or full disk,
# no permission) is an error at once, not another try.
until mkerr=$(mkdir -- "$RUN" 2>&1); do
	[ -e "$RUN" ] && [ "$n" -lt 100 ] || die "cannot create a run directory in $RESULTS: ${mkerr#mkdir: }"
	RUN=$RESULTS/$stamp-$name.$n
	n=$((n + 1))
done
[ -z "$run_file" ] || printf '%s\n' "$RUN" >"$run_file" || die "cannot write --run-file $run_file"

VERDICT=$HOST_BUILD/bin/boot-verdict
SUPERVISE=$HOST_BUILD/bin/qemu-supervise
SELFTEST=$HOST_BUILD/bin/irqfd_selftest
SPLATSCAN=$HOST_BUILD/bin/splatscan
SYMBOLIZE=$HOST_BUILD/bin/symbolize-splats
for tool in "$VERDICT" "$SUPERVISE" "$SELFTEST" "$SPLATSCAN" "$SYMBOLIZE"; do
	[ -x "$tool" ] || die "$tool is missing: run 'make' first"
done

# Who owns the run: this pid and its start time (a reused pid is not us).
proc_start() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }
printf '%s %s\n' "$$" "$(proc_start $$)" >"$RUN/.owner" 2>/dev/null ||
	die "cannot write in $RUN: $(touch "$RUN/.owner" 2>&1 | sed 's/^touch: //')"
# A run that stops before the boot (--until) has no verdict to point people at.
[ -n "$until" ] ||
	{ ln -sfn "$(basename -- "$RUN")" "$RESULTS/latest.tmp.$$" && mv -T "$RESULTS/latest.tmp.$$" "$RESULTS/latest"; } ||
	rm -f "$RESULTS/latest.tmp.$$"

# A run whose boot-test died without a verdict (SIGKILL to its whole
# process group, a crash of the machine) is closed by the next run.
for owner in "$RESULTS"/*/.owner; do
	[ -f "$owner" ] || continue
	dead=${owner%/.owner}
	[ "$dead" != "$RUN" ] && [ ! -e "$dead/summary.json" ] || continue
	read -r opid ostart <"$owner" 2>/dev/null || continue
	[ "$(proc_start "$opid")" != "$ostart" ] || continue
	phase=$(cat "$dead/.phase" 2>/dev/null || echo start-up)
	"$VERDICT" --run "$dead" --fail "its boot-test.sh (pid $opid) died during $phase without a verdict; closed by the run in $RUN" \
		>/dev/null 2>&1 || true
	rm -f "$dead/.owner" "$dead/.phase" "$dead/.step.fifo" "$dead"/.*.rc "$dead/run.env.tmp"
	say "closed $dead: its boot-test (pid $opid) died during $phase without a verdict"
done

# Every process this run starts carries the token; if this script is killed
# in a way it cannot trap (SIGKILL), the watchdog stops them all and writes
# the verdict.
IRQFD_RIG_RUN_TOKEN=$$.$(proc_start $$).$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
export IRQFD_RIG_RUN_TOKEN
env -u IRQFD_RIG_RUN_TOKEN "$KDIR/reap-run.sh" "$$" "$IRQFD_RIG_RUN_TOKEN" "$RUN" "$VERDICT" \
	--meta variant="$name" </dev/null >/dev/null 2>&1 &

durations=
phase_begin_t() {
	phase_begin "$1"
	echo "$1" >"$RUN/.phase" 2>/dev/null || true
}
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
	BUILD_DIR=$HOST_BUILD "$TOP/scripts/boot-verdict/judge-run.sh" --run "$RUN" --fail "$why" \
		--meta variant="$name" $durations >/dev/null || true
	rm -f "$RUN/.owner" "$RUN/.phase"
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
	trap '' INT TERM HUP
	# The terminal may be gone (SIGHUP): a failed message must not end this
	# handler before the verdict is written.
	set +e
	# The step first, and only then the rest (the tee that logs the step):
	# a step's clean-up must not find its output pipe gone, or SIGPIPE ends
	# it before its EXIT trap removes its temporary files.
	[ -z "$child" ] || { kill_tree "$child"; wait "$child" 2>/dev/null || true; }
	# $! of a background pipeline is its last command (tee): take down every
	# other descendant of this script too.
	for c in $(pgrep -P $$ 2>/dev/null); do kill_tree "$c"; done
	why="interrupted by SIG$2 during ${PHASE_NAME:-start-up}"
	# The run's directory says so too: a summary, never a half-written one.
	# shellcheck disable=SC2086
	BUILD_DIR=$HOST_BUILD "$TOP/scripts/boot-verdict/judge-run.sh" --run "$RUN" --fail "$why" \
		--meta variant="$name" $durations >/dev/null 2>&1 || true
	rm -f "$RUN/.step.fifo" "$RUN/.owner" "$RUN/.phase"
	say "$why; results in $RUN"
	exit "$1"
}
trap 'on_signal 130 INT' INT
trap 'on_signal 143 TERM' TERM
trap 'on_signal 129 HUP' HUP
run_step() {
	# The step's output goes through a FIFO to tee: the step itself is the
	# background job, so its exit status comes from wait, with no status file
	# to go stale when this script is killed.
	fifo=$RUN/.step.fifo
	rm -f "$fifo"
	mkfifo "$fifo" || return 1
	tee -a "$RUN/$PHASE_NAME.log" <"$fifo" &
	teepid=$!
	(
		# Fault injection (tests/faults): hold the step here so that a signal
		# is sure to land in this phase.
		if [ "${IRQFD_RIG_STALL_AT:-}" = "$PHASE_NAME" ]; then
			echo "boot-test: IRQFD_RIG_STALL_AT=$PHASE_NAME: stalling"
			sleep "${IRQFD_RIG_STALL_S:-600}"
		fi
		exec "$@"
	) >"$fifo" 2>&1 </dev/null &
	child=$!
	rc=0
	wait "$child" || rc=$?
	child=
	wait "$teepid" || true
	rm -f "$fifo"
	return "$rc"
}

# RUN/stages.env: what each stage made (KEY=VALUE lines), the stages'
# interface: the boot stage boots the build and initrd it names, and the
# verdict stage records it in summary.json. Rewritten whole after each
# stage (temporary file, then rename), so no reader sees half of it.
stage_made() {
	keys=" "
	for kv in "$@"; do keys="$keys${kv%%=*} "; done
	{
		[ ! -f "$RUN/stages.env" ] || awk -F= -v keys="$keys" 'index(keys, " " $1 " ") == 0' "$RUN/stages.env"
		printf '%s\n' "$@"
	} >"$RUN/stages.env.tmp" && mv "$RUN/stages.env.tmp" "$RUN/stages.env" ||
		infra_fail "cannot write $RUN/stages.env"
}

# --until: the run ends after STAGE; stopped_after= in RUN/stages.env takes
# the place of a verdict (the watchdog and the next run take it as the end).
stop_after() {
	[ "$until" = "$1" ] || return 0
	stage_made stopped_after="$1"
	rm -f "$RUN/.owner" "$RUN/.phase"
	sed 's/^/  /' "$RUN/stages.env"
	echo "boot-test: $name: stopped after the $1 stage, as asked (exit 0); results in $RUN"
	exit 0
}

say "variant $name; results in $RUN"
if [ -z "$kernel_tree" ]; then
	phase_begin_t fetch
	run_step "$KDIR/fetch-kernel.sh" || infra_fail "fetching the pinned kernel failed (see above)"
	phase_end_t
else
	say "kernel tree $kernel_tree${tree_url:+ ($tree_url)}, base $base_describe ($base_sha); working in $KSRC"
fi

# The tree is shared by all variants: hold it from checkout to the end of the
# build (a bisection holds it for all its steps and says so).
lock_tree() {
	[ "${IRQFD_RIG_TREE_LOCKED:-0}" = 1 ] && return 0
	mkdir -p "$WORK"
	hold_lock 7 "$WORK/.tree.lock" 2>"$RUN/tree-lock.err" || {
		cat "$RUN/tree-lock.err" >&2
		infra_fail "$(sed 's/^[^:]*: error: //' "$RUN/tree-lock.err" | tail -n 1)"
	}
	rm -f "$RUN/tree-lock.err"
}
lock_tree

if [ -n "$kernel_tree" ] && [ ! -d "$KSRC/.git" ]; then
	phase_begin_t clone
	# --shared: the clone borrows DIR's objects (alternates) and writes
	# nothing into DIR; made aside and renamed, so a half-made clone is
	# never taken for one.
	rm -rf "$WORK"/linux.tmp.*
	clone_tmp=$(mktemp -d "$WORK/linux.tmp.XXXXXX")
	run_step git clone -q --shared --no-checkout "$kernel_tree" "$clone_tmp/linux" ||
		infra_fail "cloning $kernel_tree failed"
	run_step git -C "$clone_tmp/linux" -c advice.detachedHead=false checkout -q --detach "$base_sha" ||
		infra_fail "checking out $base_describe in the private clone failed"
	mv "$clone_tmp/linux" "$KSRC" && rmdir "$clone_tmp"
	phase_end_t
fi

set -f
IFS=$NL
# shellcheck disable=SC2086
set -- $patches
unset IFS
set +f
if [ "$variant" != head ]; then
	phase_begin_t tree
	run_step "$KDIR/apply-series.sh" "rig/$name" "$@" || infra_fail "the patches for $name do not apply (see above)"
	phase_end_t
fi
# Stable patch-ids identify the exact series a verdict belongs to, whatever
# the file names or commit ids (what send-prep will match a green run by).
stage_made variant="$name" tree="$KSRC" \
	branch="$(git -C "$KSRC" symbolic-ref -q --short HEAD || echo detached)" \
	head="$(git -C "$KSRC" rev-parse --short=12 HEAD)" kernel_tag="$KERNEL_TAG" \
	patches="$(for p in "$@"; do basename -- "$p"; done | paste -sd, -)" \
	patch_ids="$(for p in "$@"; do git patch-id --stable <"$p" | cut -c1-40; done | paste -sd, -)" \
	${kernel_tree:+kernel_tree="$kernel_tree" kernel_tree_url="$tree_url" base_commit="$base_sha" base_describe="$base_describe"}
stop_after tree

BUILD=$WORK/build/$name
# The prefixes of the series share one build dir (they hold the tree lock
# until their build is done, so they never build in it at once).
case $name in series-[0-9] | series-[0-9][0-9]) BUILD=$WORK/build/series-prefix ;; esac
# A variant's first build starts from its parent's objects: series from base,
# series+extra from series.
parent=$WORK/build/$variant
[ -n "$extra" ] && [ -f "$parent/.config" ] || parent=$WORK/build/base
if [ "$BUILD" != "$parent" ] && [ ! -e "$BUILD" ] && [ -f "$parent/.config" ]; then
	phase_begin_t seed
	run_step "$KDIR/seed-build-dir.sh" "$parent" "$BUILD" || infra_fail "seeding $BUILD failed"
	phase_end_t
fi
phase_begin_t config
run_step "$KDIR/make-config.sh" "$BUILD" || infra_fail "the kernel config for $name failed (see above)"
phase_end_t
stage_made build="$BUILD" config_hash="$(sha256sum "$BUILD/.config" | cut -c1-16)"
stop_after config
phase_begin_t build
run_step "$KDIR/build-kernel.sh" "$BUILD" || infra_fail "the kernel build for $name failed (see above)"
phase_end_t
# The image this run boots, by hash, read while the tree is still ours:
# make lava-job hands exactly it to LAVA, and refuses once a later build of
# the variant has replaced it.
stage_made kernel="$BUILD/arch/x86/boot/bzImage" \
	kernel_sha256="$(sha256sum <"$BUILD/arch/x86/boot/bzImage" | cut -c1-64)"
stop_after kernel
[ "${IRQFD_RIG_TREE_LOCKED:-0}" = 1 ] || exec 7>&-

phase_begin_t initramfs
# One image per variant and guest contents (arguments, command, programs):
# runs at once never share one that another is rewriting for other ones.
key=$({ printf '%s\0' "$mode" "$command" "$test_argv"; printf '%s' "$guest_bins" | while read -r b; do
	sha256sum <"$b"; done; } | sha256sum | cut -c1-12)
INITRD=$CACHE/initramfs/$name.$key.cpio.gz
set -f
IFS=$NL
# shellcheck disable=SC2086
set -- $test_argv
# Options first, then the image, the selftest and its arguments.
set -- "$INITRD" "$SELFTEST" "$@"
for b in $guest_bins; do set -- --guest-bin "$b" "$@"; done
unset IFS
set +f
case $mode in
command) set -- --command "$command" "$@" ;;
shell) set -- --shell "$@" ;;
esac
run_step "$TOP/rootfs/build-initramfs.sh" "$@" ||
	infra_fail "building the initramfs failed"
phase_end_t
stage_made initrd="$INITRD" initramfs_sha256="$(sha256sum <"$INITRD" | cut -c1-64)"
stop_after initramfs

phase_begin_t boot
# The boot stage owns QEMU's command line (scripts/kernel/boot-qemu.sh
# --dry-run prints it) and the accelerator's choice; RUN/boot.env says what
# it chose.
export SUPERVISE
set -- --build "$BUILD" --initrd "$INITRD" --run "$RUN" --accel "$accel" --timeout "$timeout" \
	--max-log-mb "${MAX_LOG_MB:-32}" ${APPEND_EXTRA:+--append "$APPEND_EXTRA"} $echo_flag
boot_rc=0
if [ "$mode" = shell ]; then
	# The terminal is the guest's console: no tee in between.
	"$KDIR/boot-qemu.sh" "$@" --console || boot_rc=$?
else
	run_step "$KDIR/boot-qemu.sh" "$@" || boot_rc=$?
fi
[ -f "$RUN/boot.env" ] || infra_fail "the boot stage failed before QEMU started (exit $boot_rc, see above)"
# The supervisor's run.env says why QEMU did not start or failed: the
# verdict names it. Without one the supervisor itself failed.
[ "$boot_rc" -eq 0 ] || [ -f "$RUN/run.env" ] || infra_fail "qemu-supervise failed and left no run.env"
phase_end_t

rc=0
guest_flag=
[ "$mode" = selftest ] || guest_flag=--command
# The verdict stage: symbolizes any report on this build's vmlinux (file:line,
# the guilty frame, its maintainers), then boot-verdict judges the run. What
# the run is (variant, head, hashes, images, accelerator, command line) it
# reads from RUN/stages.env and RUN/boot.env; only what no stage wrote is
# passed here.
# shellcheck disable=SC2086
BUILD_DIR=$HOST_BUILD "$TOP/scripts/boot-verdict/judge-run.sh" --run "$RUN" \
	$guest_flag --meta mode="$mode" --meta test_args="$test_args" $durations || rc=$?
rm -f "$RUN/.owner" "$RUN/.phase"
if [ "$mode" = command ]; then
	# The command's own lines: between its start and the end marker, less
	# the kernel's messages ("[    5.123456]...").
	sed -n '/irqfd-rig: command start/,/irqfd-rig: end status=/p' "$RUN/serial.log" | sed '1d;$d' |
		tr -d '\r' | grep -vE '^\[ *[0-9]+\.[0-9]+\]' >&3 || true
	case $rc in
	0 | 1)
		status=$(sed -n 's/^test_status=//p' "$RUN/run.env")
		case $status in '' | -*) ;; *) rc=$status ;; esac
		;;
	3) rc=124 ;;
	esac
fi
echo "boot-test: $name: $(jq -r '.verdict // "no verdict"' "$RUN/summary.json" 2>/dev/null || echo 'no summary.json') (exit $rc); results in $RUN"
exit "$rc"
