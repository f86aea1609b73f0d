#!/bin/sh
# reap-run.sh PID TOKEN RUN VERDICT-BIN [VERDICT-ARGS...]: boot-test.sh's watchdog. Waits for
# PID (the boot-test) to end. If it ended without a verdict or, for a run
# that stops before the boot, RUN/stages.env (SIGKILL, or any
# death its traps could not see), stops every process that carries
# IRQFD_RIG_RUN_TOKEN=TOKEN in its environment (the build, tee, the
# supervisor, QEMU, git am: whatever the run had started), so none keeps a
# lock or a guest alive, then writes RUN/summary.json saying what happened (VERDICT-ARGS, such as
# --meta variant=NAME, go to boot-verdict).
#
# It is started with the token removed from its own environment, so it
# never matches itself or the commands it runs.
set -u
[ $# -ge 4 ] || { echo "usage: $0 PID TOKEN RUN VERDICT-BIN [VERDICT-ARGS...]" >&2; exit 2; }
pid=$1 token=$2 run=$3 verdict=$4
shift 4
# SIGINT/SIGHUP to the terminal's process group must not stop the watchdog
# before the run it watches has finished handling them.
trap '' INT HUP
trap 'exit 0' TERM

# tail checks once a second whether PID is alive, without a shell loop.
tail --pid="$pid" -f /dev/null 2>/dev/null || while kill -0 "$pid" 2>/dev/null; do sleep 1; done
# A verdict, or a run that stopped before the boot (--until) as asked: it ended.
[ ! -e "$run/summary.json" ] && ! grep -q '^stopped_after=' "$run/stages.env" 2>/dev/null || exit 0

# The run's processes: those whose environment holds the token (one grep
# over every /proc/PID/environ; NUL ends each variable there).
members() {
	grep -lszxF "IRQFD_RIG_RUN_TOKEN=$token" /proc/[0-9]*/environ | sed 's|^/proc/\([0-9]*\)/environ$|\1|'
}
left=$(members)
stopped=$(echo $left | wc -w)
if [ -n "$left" ]; then
	kill -TERM $left 2>/dev/null
	n=0
	while [ "$n" -lt 30 ] && left=$(members) && [ -n "$left" ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -z "$left" ] || kill -KILL $left 2>/dev/null
fi
phase=$(cat "$run/.phase" 2>/dev/null || echo start-up)
why="boot-test.sh (pid $pid) was killed during $phase without a verdict; its watchdog stopped $stopped process(es) it had started"
# The supervisor, stopped by SIGTERM, has just written run.env: keep its
# facts, but the verdict is this one.
"$verdict" --run "$run" --fail "$why" "$@" >/dev/null 2>&1
rm -f "$run/.phase" "$run/.owner" "$run/.step.fifo"
echo "reap-run: $why; results in $run" >&2
