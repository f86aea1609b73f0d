#!/bin/sh
# variant-patches-test.sh: the tree stage's input (scripts/kernel/
# variant-patches.sh) on a made-up patch folder: which files each variant
# applies, in order, and the refusals, with their exit status and reason.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
vp=$top/scripts/kernel/variant-patches.sh
t=$(mktemp -d "${TMPDIR:-/tmp}/variant-patches-test.XXXXXX")
trap 'rm -rf "$t"' EXIT
failed=0
flunk() { echo "variant-patches-test: FAIL: $*" >&2; failed=$((failed + 1)); }
mkdir "$t/p" "$t/empty"
for f in 0000-cover-letter.patch 0001-first.patch "0002-with space.patch" 0003-third.patch notes.txt; do : >"$t/p/$f"; done
: >"$t/extra.patch"
# expect RC OUTPUT ARGS...: the exit status and the whole of stdout.
expect() {
	want_rc=$1 want_out=$2
	shift 2
	rc=0
	out=$("$vp" "$@" 2>"$t/err") || rc=$?
	[ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ] ||
		flunk "$*: exit $rc, expected $want_rc; got '$out', expected '$want_out' ($(cat "$t/err"))"
}
expect_err() { # RC REASON ARGS...
	want_rc=$1 reason=$2
	shift 2
	rc=0
	"$vp" "$@" >/dev/null 2>"$t/err" || rc=$?
	[ "$rc" = "$want_rc" ] && grep -qF "$reason" "$t/err" ||
		flunk "$*: exit $rc, expected $want_rc with '$reason'; stderr: $(cat "$t/err")"
}
NL='
'
P=$t/p
expect 0 "$P/0001-first.patch$NL$P/0002-with space.patch$NL$P/0003-third.patch" --dir "$P" series
expect 0 "$P/0001-first.patch$NL$P/0002-with space.patch" --dir "$P" series-2
expect 0 "" --dir "$P" base
expect 0 "" --dir "$P" head
expect 0 "variant=series$NL$P/0001-first.patch$NL$P/0002-with space.patch$NL$P/0003-third.patch" --dir "$P" default
expect 0 "variant=base" --dir "$t/empty" default
expect 0 "$P/0001-first.patch$NL$t/extra.patch" --dir "$P" series-1 "$t/extra.patch"
expect 0 "$t/extra.patch" --dir "$P" base "$t/extra.patch"
expect_err 2 "the series has only 3 patch(es)" --dir "$P" series-4
expect_err 2 "holds no series" --dir "$t/empty" series
expect_err 2 "holds no series" --dir "$t/empty" series-1
expect_err 2 "does not go with --variant head" --dir "$P" head "$t/extra.patch"
expect_err 2 "no patch file at $t/missing.patch" --dir "$P" series "$t/missing.patch"
expect_err 2 "unknown variant 'series-0'" --dir "$P" series-0
expect_err 2 "no patch folder at $t/none" --dir "$t/none" series
[ "$failed" -eq 0 ] && echo "variant-patches-test: all cases as expected"
