#!/bin/sh
# fake-boot-test.sh: stands in for scripts/boot-test.sh in the stress tests.
# Takes boot-test's options, makes a run directory in RESULTS, writes it to
# --run-file, "boots" for FAKE_BOOT_S seconds and judges a fixture console
# with the real boot-verdict: seeds whose thousands are a multiple of 4
# (runs 3 and 7 of a campaign with a base below 1000) give the splat
# fixture, the others the pass one. On SIGTERM it records the interruption
# as boot-test does (exit 143). Each live instance holds a file in
# FAKE_LIVE_DIR, so the test can count how many ran at once.
# Env: FAKE_BOOT_S (default 1), FAKE_LONG_FROM (a seed).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
test_args= run_file=
while [ $# -gt 0 ]; do
	case $1 in
	--test-args) test_args=$2; shift 2 ;;
	--run-file) run_file=$2; shift 2 ;;
	--variant | --extra-patch | --timeout) shift 2 ;;
	*) echo "fake-boot-test: unknown $1" >&2; exit 125 ;;
	esac
done
seed=${test_args##*--hammer-seed=}
run=$RESULTS/20261201-000000-fake.$seed
mkdir -p "$run"
echo "$run" >"$run_file"
echo boot >"$run/.phase"
live=$FAKE_LIVE_DIR/$$
: >"$live"
sleeper=
on_term() {
	[ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
	"$BUILD_DIR/bin/boot-verdict" --run "$run" --fail "interrupted by SIGTERM during boot" >/dev/null 2>&1 || true
	rm -f "$live"
	exit 143
}
trap on_term TERM
boot_s=${FAKE_BOOT_S:-1}
# Seeds from FAKE_LONG_FROM on boot for 60 s: what Ctrl-C interrupts.
[ -z "${FAKE_LONG_FROM:-}" ] || [ "$seed" -lt "$FAKE_LONG_FROM" ] || boot_s=60
sleep "$boot_s" &
sleeper=$!
wait "$sleeper"
sleeper=
if [ $((seed / 1000 % 4)) -eq 0 ]; then fixture=splat; else fixture=pass; fi
cp "$here/../kcidb/runs/$fixture/serial.log" "$here/../kcidb/runs/$fixture/run.env" "$run/"
rc=0
"$BUILD_DIR/bin/boot-verdict" --run "$run" --meta variant=series --meta test_args="$test_args" >/dev/null || rc=$?
rm -f "$live"
exit "$rc"
