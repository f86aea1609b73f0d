#!/bin/sh
# fake-qemu-console.sh [--hang] SERIAL_LOG [QEMU OPTIONS...]: stands in for
# qemu-system-x86_64 under lava-run in the host tests. It prints SERIAL_LOG
# the way the guest's serial console reaches LAVA (lines end in \r\r\n) and
# exits as QEMU does after the guest's reboot (-no-reboot). "--version"
# answers as QEMU does, which lava-run asks. --hang: a guest that hangs after
# the log (it never exits; LAVA's timeout and power-off end it).
set -eu
hang=
[ "${1:-}" != --hang ] || { hang=1; shift; }
log=${1:?usage: fake-qemu-console.sh SERIAL_LOG [QEMU OPTIONS...]}
shift
case ${1:-} in --version) echo "QEMU emulator version 7.2.0 (fake-qemu-console.sh)"; exit 0 ;; esac
sed 's/$/\r\r/' "$log"
if [ -n "$hang" ]; then sleep 600; else sleep 1; fi
