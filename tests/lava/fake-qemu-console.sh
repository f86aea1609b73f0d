#!/bin/sh
# fake-qemu-console.sh SERIAL_LOG [QEMU OPTIONS...]: stands in for
# qemu-system-x86_64 under lava-run in the host tests. It prints SERIAL_LOG
# the way the guest's serial console reaches LAVA (lines end in \r\r\n) and
# exits as QEMU does after the guest's reboot (-no-reboot). "--version"
# answers as QEMU does, which lava-run asks.
set -eu
log=${1:?usage: fake-qemu-console.sh SERIAL_LOG [QEMU OPTIONS...]}
shift
case ${1:-} in --version) echo "QEMU emulator version 7.2.0 (fake-qemu-console.sh)"; exit 0 ;; esac
sed 's/$/\r\r/' "$log"
sleep 1
