#!/bin/sh
# patches-to-commits-test.sh: patches-to-commits.sh on a throwaway tree.
# With no patch it prints the base's own commit (the variant base on a
# fresh cache, where rig/base does not exist yet: a cold make check failed
# its first boot outcome on this); with one it makes a commit on the base
# without touching the tree's checkout, index or branches.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/p2c-test.XXXXXX")
trap 'rm -rf "$t"' EXIT
fail() { echo "patches-to-commits-test: FAIL: $*" >&2; exit 1; }
g() { GIT_CONFIG_GLOBAL=/dev/null git -C "$t/tree" -c user.name=T -c user.email=t@example.org "$@"; }
# Enough of a kernel tree for the rig to take it for one.
mkdir -p "$t/tree/scripts/kconfig"
: >"$t/tree/Makefile"
: >"$t/tree/scripts/kconfig/Kconfig"
g init -q
echo one >"$t/tree/file"
g add file Makefile scripts
g commit -q -m base
g tag base
base=$(g rev-parse HEAD)
echo two >>"$t/tree/file"
g commit -q -am change
g format-patch -q -1 -o "$t/patches"
g checkout -q base 2>/dev/null
export IRQFD_RIG_KERNEL_SRC="$t/tree" IRQFD_RIG_CACHE="$t/cache"

got=$("$top/scripts/kernel/patches-to-commits.sh" base) || fail "no patches: exit $?"
[ "$got" = "$base" ] || fail "no patches: printed '$got', expected the base commit $base"

got=$("$top/scripts/kernel/patches-to-commits.sh" base "$t"/patches/*.patch) || fail "one patch: exit $?"
[ "$(g rev-parse "$got^")" = "$base" ] || fail "one patch: $got is not a child of the base"
[ "$(g show "$got:file" | tail -n 1)" = two ] || fail "one patch: the commit does not hold the change"
[ "$(g rev-parse HEAD)" = "$base" ] && [ -z "$(g status --porcelain)" ] ||
	fail "the tree's checkout or index changed"

rc=0
"$top/scripts/kernel/patches-to-commits.sh" 2>"$t/err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "usage: patches-to-commits.sh BASE \[PATCH...\]" "$t/err" || fail "no base: exit $rc, $(cat "$t/err")"
echo "patches-to-commits-test: ok"
