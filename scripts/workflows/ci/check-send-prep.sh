#!/bin/sh
# check-send-prep.sh: what `make check` asserts of sending, with the real
# tools of the pinned tree once the boot tests have run:
#  - MAINTAINERS-notes.md is what `make maintainers-notes` would write;
#  - `make send-prep` accepts the series in patches/ (checkpatch --strict,
#    the green boot-test just run, get_maintainer.pl, git send-email
#    --dry-run), writing to a scratch directory instead of patches/vN, when
#    git config names a real sender; without one, it refuses.
# Ends with "send-checks: N passed, N failed" for run-checks.sh.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
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
check "MAINTAINERS-notes.md is current" "$top/scripts/workflows/send/maintainers-notes.sh" --check
# rig/series is the series boot-test built from patches/. Its patches carry
# the rig's neutral identity, so the sender takes them over (--reauthor).
# Without a real sender identity in git config, send-prep must refuse.
refuses() {
	! "$@" >"$out/refusal" 2>&1 || { cat "$out/refusal"; return 1; }
	cat "$out/refusal"
	grep -q -e 'no sender identity' -e 'is a placeholder' "$out/refusal"
}
email=$(cd / && git config --get user.email || true)
case $email in
'' | *@example.com | *@example.org | *@example.net | *.example | *.invalid | *.test | *.localhost | *@localhost)
	check "send-prep refuses to prepare mail without a real sender ('${email:-no user.email}')" \
		refuses "$top/scripts/workflows/send/send-prep.sh" --branch rig/series --out "$out/prepared" --reauthor
	;;
*)
	check "send-prep accepts the series" "$top/scripts/workflows/send/send-prep.sh" --branch rig/series \
		--out "$out/prepared" --reauthor
	;;
esac
echo "send-checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
