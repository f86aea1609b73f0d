#!/bin/sh
# judge-run.sh: the verdict stage. Judges the boot in a run directory: when
# its serial.log holds a report, symbolize-splats turns the report's frames
# into file:line on the booted build's vmlinux, marks the guilty frame and
# names its maintainers (RUN/frames.json); then boot-verdict writes
# splats.json, ktap.txt and summary.json and prints the verdict. What the
# run is comes from the files the earlier stages left in it: RUN/stages.env
# (variant, head, patches and their patch-ids, config hash, kernel image and
# initramfs with their sha256s) and RUN/boot.env (accelerator, kernel command line).
#
# Usage: scripts/boot-verdict/judge-run.sh --run DIR [--again] [--build BUILD] [--tree SRC]
#                                          [BOOT-VERDICT-OPTION...]
# --again (make verdict RUN=DIR): judge the log that is there now (after
#   make boot RUN=DIR, say), keeping what DIR's summary.json recorded
#   (variant, patches, hashes, durations), or for a run that stopped after
#   its initramfs (make initramfs), what its stages.env says it is.
# --build, --tree: the Kbuild O= dir that was booted and its kernel tree
#   (default: build= and tree= in DIR/boot.env, else DIR/stages.env).
# Any other option goes to boot-verdict as it is (--meta K=V, --number K=S,
# --list K=A,B, --command, --fail REASON: an infra-error, written at once
# without symbolizing); this stage adds --number symbolize=S when it
# symbolized.
# Env: BUILD_DIR (the rig's host tools, default build).
# Exit: boot-verdict's: 0 pass, 1 test-failure, 2 splat, 3 timeout,
# 125 infra-error or no run to judge. A symbolization that fails is said and
# never changes the verdict.
set -eu
TOP=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
HOST_BUILD=${BUILD_DIR:-$TOP/build}
case $HOST_BUILD in /*) ;; *) HOST_BUILD=$TOP/$HOST_BUILD ;; esac
# Every error: the run could not be judged (125, what git bisect run skips).
DIE_STATUS=125
. "$TOP/scripts/lib/rig.sh"

run= build= tree= again=0 failing=0
# What goes to boot-verdict, built up in "$@" after the loop.
n=$#
while [ "$n" -gt 0 ]; do
	a=$1
	shift
	n=$((n - 1))
	case $a in
	-h | --help) usage; exit 0 ;;
	--run) [ "$n" -gt 0 ] || die "--run needs a directory"; run=$1; shift; n=$((n - 1)) ;;
	--build) [ "$n" -gt 0 ] || die "--build needs a directory"; build=$1; shift; n=$((n - 1)) ;;
	--tree) [ "$n" -gt 0 ] || die "--tree needs a directory"; tree=$1; shift; n=$((n - 1)) ;;
	--again) again=1 ;;
	--fail) failing=1; set -- "$@" "$a" ;;
	*) set -- "$@" "$a" ;;
	esac
done
[ -n "$run" ] || { usage >&2; exit 125; }
[ -d "$run" ] || die "no run directory at $run"
env_value() { [ -f "$run/$1" ] && sed -n "s/^$2=//p" "$run/$1" | tail -n 1; }
if [ "$again" = 1 ] && [ -f "$run/summary.json" ]; then
	# Judged before (make boot RUN=DIR booted it once more): what it recorded.
	set -- "$@" --again
else
	# What the stages made (RUN/stages.env) and how it was booted
	# (RUN/boot.env) is what the verdict records of the run: FILE:KEY:META,
	# put before the caller's options (boot-verdict keeps the last value of
	# a key, so the caller's win). A key the file lacks is left out.
	for m in stages.env:variant:variant stages.env:head:kernel_head stages.env:kernel_tag:kernel_tag \
		stages.env:kernel_tree:kernel_tree stages.env:kernel_tree_url:kernel_tree_url \
		stages.env:base_commit:base_commit stages.env:base_describe:base_describe \
		stages.env:config_hash:config_hash stages.env:kernel:kernel_image \
		stages.env:kernel_sha256:kernel_sha256 stages.env:initrd:initramfs \
		stages.env:initramfs_sha256:initramfs_sha256 boot.env:accel:accel \
		boot.env:accel_reason:accel_reason boot.env:kernel_cmdline:kernel_cmdline \
		boot.env:kernel:boot_image; do
		f=${m%%:*} k=${m#*:} && k=${k%%:*}
		grep -q "^$k=" "$run/$f" 2>/dev/null || continue
		set -- --meta "${m##*:}=$(env_value "$f" "$k")" "$@"
	done
	# The patches the tree stage applied, and their stable patch-ids.
	for k in patches patch_ids; do
		grep -q "^$k=" "$run/stages.env" 2>/dev/null || continue
		set -- --list "$k=$(env_value stages.env "$k")" "$@"
	done
	# A run made by make initramfs and booted by make boot ran the selftest.
	[ "$again" = 0 ] || set -- --meta mode=selftest "$@"
fi
[ -n "$build" ] || build=$(env_value boot.env build) || true
[ -n "$build" ] || build=$(env_value stages.env build) || true
[ -n "$tree" ] || tree=$(env_value boot.env tree) || true
[ -n "$tree" ] || tree=$(env_value stages.env tree) || true

verdict=$HOST_BUILD/bin/boot-verdict
splatscan=$HOST_BUILD/bin/splatscan
symbolize=$HOST_BUILD/bin/symbolize-splats
for tool in "$verdict" "$splatscan" "$symbolize"; do
	[ -x "$tool" ] || die "$tool is missing: run 'make' first"
done

reports=$(mktemp "${TMPDIR:-/tmp}/judge-run-reports.XXXXXX")
trap 'rm -f "$reports" "$run/frames.json.tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
scan_rc=0
# --fail (a run that could not be made, or was interrupted): the verdict is
# infra-error whatever the log holds, and is written at once, unsymbolized.
if [ "$failing" = 0 ] && [ -f "$run/serial.log" ]; then
	"$splatscan" --json "$run/serial.log" >"$reports" 2>/dev/null || scan_rc=$?
fi
rm -f "$run/frames.json"
if [ "$scan_rc" -eq 1 ]; then
	t0=$(now_ms)
	if [ -z "$build" ] || [ ! -f "$build/vmlinux" ]; then
		echo "$PROG: warning: no vmlinux${build:+ in $build} to symbolize with: the splats are not symbolized"
	elif "$symbolize" --vmlinux "$build/vmlinux" ${tree:+--tree "$tree"} "$reports" >"$run/frames.json.tmp" 2>"$run/symbolize.log" &&
		mv "$run/frames.json.tmp" "$run/frames.json"; then
		echo "$PROG: frames: $(jq -r '[.[] | "\(.title) at \(.guilty.file // "?"):\(.guilty.line // "?")"] | join("; ")' "$run/frames.json" 2>/dev/null)"
		set -- "$@" --frames "$run/frames.json"
	else
		echo "$PROG: warning: symbolize-splats failed ($(tail -n 1 "$run/symbolize.log" 2>/dev/null)): the splats are not symbolized"
	fi
	[ -s "$run/symbolize.log" ] || rm -f "$run/symbolize.log"
	set -- "$@" --number "symbolize=$(awk -v ms=$(( $(now_ms) - t0 )) 'BEGIN { printf "%.1f", ms / 1000 }')"
fi
rc=0
"$verdict" --run "$run" "$@" || rc=$?
exit "$rc"
