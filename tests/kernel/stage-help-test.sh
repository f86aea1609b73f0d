#!/bin/sh
# stage-help-test.sh: every stage script of the data path answers -h and
# --help with its usage (exit 0) and does nothing else: no download, no
# tree, no build dir named "--help", nothing in the cache or the cwd.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/stage-help-test.XXXXXX")
trap 'rm -rf "$t"' EXIT
mkdir "$t/cache" "$t/cwd"
failed=0
for s in scripts/kernel/fetch-kernel.sh scripts/kernel/variant-patches.sh scripts/kernel/apply-series.sh scripts/kernel/make-config.sh \
	scripts/kernel/build-kernel.sh rootfs/build-initramfs.sh scripts/kernel/boot-qemu.sh \
	scripts/boot-verdict/judge-run.sh scripts/boot-test.sh; do
	for flag in -h --help; do
		rc=0
		out=$(cd "$t/cwd" && IRQFD_RIG_CACHE=$t/cache "$top/$s" "$flag" 2>&1) || rc=$?
		left=$(ls -A "$t/cache" "$t/cwd" | grep -v ':$' | grep -v '^$' || true)
		if [ "$rc" -ne 0 ] || ! printf '%s\n' "$out" | grep -q '^Usage: '; then
			echo "stage-help-test: FAIL: $s $flag: exit $rc (expected 0 and a 'Usage:' line): $(printf '%s' "$out" | tail -n 2)" >&2
			failed=1
		elif [ -n "$left" ]; then
			echo "stage-help-test: FAIL: $s $flag left files behind: $left" >&2
			failed=1
		fi
		rm -rf "$t/cache"/* "$t/cwd"/*
	done
done
[ "$failed" -eq 0 ] && echo "stage-help-test: every stage answers -h and --help"
