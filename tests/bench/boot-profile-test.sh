#!/bin/sh
# boot-profile-test.sh: boot-profile.sh on a made-up run whose figures are
# known: QEMU start to /init 3.0 s, "Run /init" stamped 2.4 s (so 0.6 s before
# the kernel's clock), initcalls 0.5 + 0.25 + 0.05 s, /init's uptime 2.9 s.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/boot-profile-test.XXXXXX")
trap 'rm -rf "$t"' EXIT
fail() { echo "boot-profile-test: FAIL: $*" >&2; exit 1; }
printf 'boot_s=3.0\n' >"$t/run.env"
cat >"$t/serial.log" <<'LOG'
[    0.000000][    T0] Linux version 6.12.117
[    1.000000][    T1] initcall slow_init+0x0/0x10 returned 0 after 500000 usecs
[    1.100000][    T1] initcall fast_init+0x0/0x10 returned 0 after 50000 usecs
[    1.400000][    T1] initcall middle_init+0x0/0x10 returned 0 after 250000 usecs
[    2.400000][    T1] Run /init as init process
irqfd-rig: init uptime=2.90 kernel=6.12.117
LOG
got=$("$top/scripts/workflows/bench/boot-profile.sh" --samples "$t")
want='boot: QEMU start to the kernel clock|s|0.60
boot: kernel clock to /init|s|2.40
boot: initcalls|s|0.80
boot: /init to the selftest|s|0.50'
[ "$got" = "$want" ] || fail "samples: got
$got
want
$want"
out=$("$top/scripts/workflows/bench/boot-profile.sh" --top 2 "$t")
# The two slowest, slowest first; the third is not listed.
printf '%s\n' "$out" | grep -A2 'initcalls .* 0.80 s in 3 calls; the 2 slowest' | tail -n 2 | tr -s ' ' >"$t/top"
[ "$(cat "$t/top")" = " 0.500 s slow_init
 0.250 s middle_init" ] || fail "top 2: $(cat "$t/top")"
# Without initcall_debug the initcalls are said to be missing, not zero.
grep -v initcall "$t/serial.log" >"$t/s" && mv "$t/s" "$t/serial.log"
"$top/scripts/workflows/bench/boot-profile.sh" "$t" | grep -q 'no initcall_debug lines' || fail "no initcall lines not said"
# A run that never reached /init is an error.
printf 'boot_s=-1\n' >"$t/run.env"
rc=0
"$top/scripts/workflows/bench/boot-profile.sh" "$t" 2>/dev/null || rc=$?
[ "$rc" = 1 ] || fail "a run without boot_s: exit $rc, want 1"
echo "boot-profile-test: ok"
