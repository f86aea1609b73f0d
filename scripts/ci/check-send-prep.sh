#!/bin/sh
# check-send-prep.sh: what `make check` asserts of sending, with the real
# tools of the pinned tree once the boot tests have run:
#  - MAINTAINERS-notes.md is what `make maintainers-notes` would write;
#  - `make send-prep` accepts the series in patches/ (checkpatch --strict,
#    the green boot-test just run, get_maintainer.pl, git send-email
#    --dry-run), writing to a scratch directory instead of patches/vN.
# Ends with "send-checks: N passed, N failed" for run-checks.sh.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/send-prep-check.XXXXXX")
trap 'rm -rf "$out"' EXIT
passed=0 failed=0

check() {
	name=$1
	shift
	if "$@" >"$out/log" 2>&1; then
		passed=$((passed + 1))
		echo "send-check: ok $name"
	else
		failed=$((failed + 1))
		sed 's/^/  /' "$out/log"
		echo "send-check: FAIL $name"
	fi
}
check "MAINTAINERS-notes.md is current" "$top/scripts/send/maintainers-notes.sh" --check
# rig/series is the series boot-test built from patches/.
check "send-prep accepts the series" "$top/scripts/send/send-prep.sh" --branch rig/series --out "$out/prepared"
echo "send-checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
