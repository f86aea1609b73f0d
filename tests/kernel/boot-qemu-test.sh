#!/bin/sh
# boot-qemu-test.sh CASE: the boot stage (scripts/kernel/boot-qemu.sh) on a
# fake build dir, with --dry-run or a fake qemu-supervise that records its
# arguments. No kernel, no QEMU.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
stage=$top/scripts/kernel/boot-qemu.sh
t=$(mktemp -d "${TMPDIR:-/tmp}/boot-qemu-test.XXXXXX")
trap 'rm -rf "$t"' EXIT
fail() { echo "boot-qemu-test: $case: FAIL: $*" >&2; exit 1; }
case=${1:?usage: boot-qemu-test.sh CASE}

mkdir -p "$t/build/arch/x86/boot" "$t/run"
: >"$t/build/arch/x86/boot/bzImage"
: >"$t/initrd"
# A supervisor that writes its arguments, one a line, and a run.env.
cat >"$t/supervise" <<'EOF'
#!/bin/sh
out=
for a in "$@"; do printf '%s\n' "$a"; done >"$FAKE_ARGS"
while [ $# -gt 0 ]; do [ "$1" = --out ] && out=$2; shift; done
echo qemu_started=1 >"$out/run.env"
EOF
chmod +x "$t/supervise"
export SUPERVISE="$t/supervise" FAKE_ARGS="$t/args" QEMU=fake-qemu
dry() { "$stage" --build "$t/build" --initrd "$t/initrd" --run "$t/run" --accel tcg --dry-run "$@"; }

case $case in
boots_the_bzimage)
	out=$(dry) || fail "exit $?"
	case $out in *"'-kernel' '$t/build/arch/x86/boot/bzImage'"*) ;; *) fail "no -kernel bzImage in: $out" ;; esac
	case $out in *"'-accel' 'tcg,thread=multi' '-cpu' 'max'"*) ;; *) fail "not TCG with -cpu max: $out" ;; esac
	case $out in *"'-initrd' '$t/initrd'"*) ;; *) fail "no -initrd: $out" ;; esac
	[ ! -e "$t/run/boot.env" ] || fail "--dry-run wrote boot.env"
	;;
append_and_console)
	out=$(dry --append 'irqfd.x=1' --console) || fail "exit $?"
	case $out in *"'-append' 'console=ttyS0 panic=-1 tsc=reliable irqfd.x=1'"*) ;; *) fail "append: $out" ;; esac
	case $out in *"'-mon' 'chardev=console'"*) ;; *) fail "--console has no muxed monitor: $out" ;; esac
	;;
dry_run_output_runs_as_is)
	# The printed line is one a shell runs with the same arguments.
	out=$(dry --append "it's quoted") || fail "exit $?"
	eval "set -- $out"
	[ "$1" = fake-qemu ] || fail "first word '$1'"
	found=0
	while [ $# -gt 0 ]; do [ "$1" = "console=ttyS0 panic=-1 tsc=reliable it's quoted" ] && found=1; shift; done
	[ "$found" = 1 ] || fail "the -append argument did not survive quoting: $out"
	;;
supervised_writes_boot_env)
	"$stage" --build "$t/build" --initrd "$t/initrd" --run "$t/run" --accel tcg --timeout 77 --echo >"$t/out" 2>&1 ||
		fail "exit $?: $(cat "$t/out")"
	grep -qx 'accel=tcg' "$t/run/boot.env" && grep -qx "kernel=$t/build/arch/x86/boot/bzImage" "$t/run/boot.env" &&
		grep -qx 'kernel_cmdline=console=ttyS0 panic=-1 tsc=reliable' "$t/run/boot.env" ||
		fail "boot.env: $(cat "$t/run/boot.env")"
	# The supervisor got the run dir, the timeout, --echo and QEMU after --.
	tr '\n' ' ' <"$t/args" | grep -q -- "--out $t/run --timeout 77 --grace 5 --max-log-mb 32 --echo -- fake-qemu " ||
		fail "supervisor arguments: $(tr '\n' ' ' <"$t/args")"
	grep -q "booting: 'fake-qemu'" "$t/out" || fail "it did not say what it ran: $(cat "$t/out")"
	;;
from_run_boots_the_same)
	# make boot RUN=DIR: the build, initramfs and extra command line of DIR.
	"$stage" --build "$t/build" --initrd "$t/initrd" --run "$t/run" --accel tcg --append 'x=1' >/dev/null 2>&1 ||
		fail "first boot: exit $?"
	out=$("$stage" --from-run "$t/run" --accel tcg --dry-run) || fail "--from-run: exit $?"
	case $out in *"'-kernel' '$t/build/arch/x86/boot/bzImage' '-initrd' '$t/initrd' '-append' 'console=ttyS0 panic=-1 tsc=reliable x=1'"*) ;;
	*) fail "--from-run did not boot the same: $out" ;; esac
	rc=0
	"$stage" --from-run "$t" --dry-run >"$t/out" 2>&1 || rc=$?
	[ "$rc" = 1 ] && grep -q "no boot.env or stages.env in $t" "$t/out" || fail "--from-run on a non-run: exit $rc, $(cat "$t/out")"
	;;
from_stages_env)
	# make initramfs, then make boot RUN=DIR: DIR/stages.env names the build
	# and initramfs; a run that stopped before the initramfs names none.
	printf 'stopped_after=initramfs\nbuild=%s\ninitrd=%s\n' "$t/build" "$t/initrd" >"$t/run/stages.env"
	out=$("$stage" --from-run "$t/run" --accel tcg --dry-run) || fail "--from-run on stages.env: exit $?"
	case $out in *"'-kernel' '$t/build/arch/x86/boot/bzImage' '-initrd' '$t/initrd' '-append' 'console=ttyS0 panic=-1 tsc=reliable'"*) ;;
	*) fail "--from-run did not boot what stages.env names: $out" ;; esac
	printf 'stopped_after=kernel\nbuild=%s\n' "$t/build" >"$t/run/stages.env"
	rc=0
	"$stage" --from-run "$t/run" --accel tcg --dry-run >"$t/out" 2>&1 || rc=$?
	[ "$rc" = 1 ] && grep -q "names no initramfs" "$t/out" || fail "stages.env without initrd: exit $rc, $(cat "$t/out")"
	;;
missing_image_is_named)
	rm "$t/build/arch/x86/boot/bzImage"
	rc=0
	dry >"$t/out" 2>&1 || rc=$?
	[ "$rc" = 1 ] && grep -q "no kernel image at $t/build/arch/x86/boot/bzImage" "$t/out" || fail "exit $rc: $(cat "$t/out")"
	;;
usage)
	rc=0
	"$stage" --bogus >"$t/out" 2>&1 || rc=$?
	[ "$rc" = 2 ] && grep -q "unknown argument '--bogus'" "$t/out" || fail "exit $rc: $(cat "$t/out")"
	rc=0
	"$stage" >"$t/out" 2>&1 || rc=$?
	[ "$rc" = 2 ] && grep -q "Usage: scripts/kernel/boot-qemu.sh" "$t/out" || fail "no arguments: exit $rc"
	;;
*) fail "unknown case" ;;
esac
echo "boot-qemu-test: $case: ok"
