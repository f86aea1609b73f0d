# scripts/lib/rig.sh: the shell helpers every script of the rig shares.
# Sourced, never run. Sets PROG and CACHE; defines say, die, now_ms,
# fmt_ms, phase_begin/phase_end, hold_lock, avail_mb, usage and
# help_if_asked.

# The cache: what runs share (kernel tree, build dirs, initramfs images,
# ccache, downloads). Never inside the repository.
CACHE=${IRQFD_RIG_CACHE:-${HOME:?HOME is not set}/.cache/irqfd-rig}

PROG=$(basename -- "$0")

# die MESSAGE: "PROG: error: MESSAGE" on stderr, then exit DIE_STATUS.
# What the status means is the script's contract, set once at its top:
#   1    (the default) this step failed; a stage script run by boot-test,
#        which turns it into the run's infra-error
#   2    a usage error, where the script's own failures have other codes
#        (bisect.sh, make-lava-job.sh)
#   125  the run could not be made or judged: what git bisect run skips
#        (boot-test.sh, judge-run.sh, stress.sh)
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit "${DIE_STATUS:-1}"; }
say() { printf '%s: %s\n' "$PROG" "$*"; }

# usage: the script's header comment (line 2 up to "set -eu"), which is its
# help. help_if_asked "$@": print it and exit 0 when the first argument is
# -h or --help, so that no script takes --help for a directory or a branch.
usage() { sed -n '2,/^set -eu$/{/^set -eu$/d;s/^# \{0,1\}//;p}' "$0"; }
help_if_asked() { case ${1:-} in -h | --help) usage; exit 0 ;; esac; }

# Milliseconds since the epoch (GNU date).
now_ms() { date +%s%3N; }
fmt_ms() { awk -v ms="$1" 'BEGIN { s = ms / 1000; printf "%dm%04.1fs", int(s / 60), s - 60 * int(s / 60) }'; }

# phase_begin NAME / phase_end: print each phase and its duration.
phase_begin() { PHASE_NAME=$1; PHASE_T0=$(now_ms); say "[$PHASE_NAME] ..."; }
phase_end() { say "[$PHASE_NAME] done in $(fmt_ms $(( $(now_ms) - PHASE_T0 )))"; }

# hold_lock FD FILE: take FILE's flock on FD (kept until exit) and write who
# holds it into FILE. While another run holds it, say who and wait: for ever,
# or IRQFD_RIG_LOCK_WAIT seconds, after which it says so and returns 1.
hold_lock() {
	eval "exec $1>>\"\$2\"" 2>/dev/null || { printf '%s: error: cannot open %s\n' "$PROG" "$2" >&2; return 1; }
	if ! flock -n "$1"; then
		holder=$(head -n 1 "$2" 2>/dev/null || true)
		# The pid written there may be gone while processes it started still
		# hold the lock (a run killed with SIGKILL): name those too.
		hpid=${holder%% *}
		if [ -n "$hpid" ] && ! kill -0 "$hpid" 2>/dev/null; then
			# (Processes that have the file open; waiters like this one too.)
			pids=$(find /proc/[0-9]*/fd -lname "$2" 2>/dev/null | cut -d/ -f3 | sort -nu | grep -vx "$$")
			n=$(echo "$pids" | grep -c . || true)
			still=$(echo "$pids" | head -n 3 | while read -r p; do
				printf '%s %s, ' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)"; done)
			[ "$n" -le 3 ] || still="$still$((n - 3)) more, "
			holder="$holder, which has exited; processes it started still have it open: ${still%, }"
		fi
		say "waiting for $2 (held by ${holder:+pid }${holder:-another process}) ..."
		if [ -n "${IRQFD_RIG_LOCK_WAIT:-}" ]; then
			flock -w "$IRQFD_RIG_LOCK_WAIT" "$1" || {
				printf '%s: error: gave up after %s s waiting for %s, held by %s\n' "$PROG" \
					"$IRQFD_RIG_LOCK_WAIT" "$2" "${holder:-another process}" >&2
				return 1
			}
		else
			flock "$1" || return 1
		fi
	fi
	printf '%s %s\n' "$$" "$PROG" >"$2"
}

# avail_mb DIR: free space of DIR's filesystem, in MB.
avail_mb() { df -Pm "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'; }
