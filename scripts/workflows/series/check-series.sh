#!/bin/sh
# check-series.sh: prove that the series in patches/ is fit to send and to
# bisect, as ktest's patchcheck does: every patch passes
# `checkpatch.pl --strict` with no error, warning or check, and every prefix
# of the series (patch 1, patches 1-2, ..., the whole series) builds, boots
# and gives the selftest outcome tests/boot-expectations.txt states for it
# (line `series-K`; the whole series may use the `series` line), with no
# splat unless one is expected. Each prefix is one `boot-test.sh --variant
# series-K` run (all prefixes build in $CACHE/build/series-prefix, seeded from
# the base build; ccache); the verdicts are compared by check-boot-outcomes.sh
# and the table is written to results/series-check.md.
#
# Usage: scripts/workflows/series/check-series.sh [EXPECTATIONS_FILE]
# Exit:  0 every patch clean and every prefix as expected, 1 otherwise
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")/../../kernel" && pwd)
. "$KDIR/lib.sh"

TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)
expectations=${1:-$TOP/tests/boot-expectations.txt}
need_tree
series=$("$KDIR/variant-patches.sh" series) || exit 1
set -f
IFS='
'
# shellcheck disable=SC2086
set -- $series
unset IFS
set +f
[ -r "$expectations" ] || die "no $expectations"

failed=0
for p in "$@"; do
	# As send-prep runs it: from the top of the tree, which checkpatch reads.
	# --ignore UNKNOWN_COMMIT_ID: the pinned tree has no upstream history, so
	# checkpatch cannot find the commit a Fixes: tag names (send-prep.sh too).
	out=$(cd "$KSRC" && scripts/checkpatch.pl --strict --terse --no-summary --ignore UNKNOWN_COMMIT_ID "$p" 2>&1) || true
	if [ -n "$out" ]; then
		echo "$out" | sed "s|^$p|$(basename -- "$p")|; s|^|$PROG: |"
		failed=1
	else
		say "checkpatch --strict: $(basename -- "$p"): clean"
	fi
done
[ "$failed" -eq 0 ] || die "checkpatch found problems (above); fix them in the kernel tree and re-export"

# One expectation line per prefix, in order; the whole series may be `series`.
lines=$(mktemp "${TMPDIR:-/tmp}/series-check.XXXXXX")
trap 'rm -f "$lines"' EXIT
k=0
for p in "$@"; do
	k=$((k + 1))
	line=$(awk -v v="series-$k" '$1 == v' "$expectations")
	if [ -z "$line" ] && [ "$k" -eq $# ]; then
		line=$(awk '$1 == "series" { $1 = "series-'"$k"'"; print }' "$expectations")
	fi
	[ -n "$line" ] || die "$expectations states no outcome for prefix $k ($(basename -- "$p")): add a line 'series-$k VERDICT [EXPECTED]'"
	echo "$line" >>"$lines"
done
say "prefixes to build and boot, with their expected outcome:"
sed 's/^/  /' "$lines"
rc=0
PROOF_TABLE=$TOP/results/series-check.md "$TOP/scripts/workflows/ci/check-boot-outcomes.sh" "$lines" || rc=$?
[ "$rc" -eq 0 ] || die "a prefix of the series did not give its expected outcome (above)"
say "all $# patches checkpatch-clean; every prefix builds, boots and gives its expected outcome"
