# Shared helpers for scripts/kernel/*.sh. Sourced, never run.
# Sets: KDIR (this folder), CACHE, KSRC, RIG_CC, and the pinned.env values.

KDIR=${KDIR:-$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)}
# IRQFD_RIG_PINNED: another pinned.env (the fault tests pin a missing version).
PINNED_ENV=${IRQFD_RIG_PINNED:-$KDIR/pinned.env}
. "$PINNED_ENV"
# A developer's own tree (boot-test --kernel-tree): its base replaces the tag.
[ -z "${IRQFD_RIG_BASE:-}" ] || KERNEL_TAG=$IRQFD_RIG_BASE

CACHE=${IRQFD_RIG_CACHE:-${HOME:?HOME is not set}/.cache/irqfd-rig}
# Kernel tree to build from (fetch-kernel.sh creates the default one).
KSRC=${IRQFD_RIG_KERNEL_SRC:-$CACHE/linux}
# One compiler string for config and build: Kbuild compares the CC it was
# configured with, and a change of CC rebuilds everything.
RIG_CC=${IRQFD_RIG_CC:-ccache gcc}
# Fixed build identity so the kernel version string does not change with the host/time.
export KBUILD_BUILD_USER=irqfd-rig KBUILD_BUILD_HOST=irqfd-rig KBUILD_BUILD_VERSION=1
# Set but empty: the release is plain 6.12.117, without the "+" that a git
# tree off its release tag would add.
export LOCALVERSION=
export KBUILD_BUILD_TIMESTAMP="${KBUILD_BUILD_TIMESTAMP:-$KERNEL_GIT_DATE}"
export CCACHE_DIR="${CCACHE_DIR:-$CACHE/ccache}"
# Paths under the cache are hashed relative to the build dir: a kernel tree
# at another place in the cache (KERNEL_TREE's private clone, whose build
# dirs sit the same distance from it) then hits what the pinned tree's
# builds put in ccache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$CACHE}"
# With debug info (-g), ccache hashes the build dir in by default, so one
# variant's objects never serve another's: a variant whose .config changed
# recompiled all 830 objects (8 min) although base had just built the same
# ones. The line tables name sources relative to the build dir, and every
# build dir sits at the same depth beside the tree, so they are the same
# from any of them.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

PROG=$(basename -- "$0")

say() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

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

# lock_cache: serialise scripts that write the cache (fd 9 held until exit).
lock_cache() {
	mkdir -p "$CACHE" || die "cannot create cache dir $CACHE"
	hold_lock 9 "$CACHE/.lock" || exit 1
}

need_tree() {
	[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/scripts/kconfig" ] ||
		die "no kernel tree at $KSRC (run scripts/kernel/fetch-kernel.sh, or set IRQFD_RIG_KERNEL_SRC)"
}

# lock_build_dir DIR: one config/build/seed of DIR at a time (fd 8 held until
# exit). The lock file sits beside DIR, so DIR itself can be made or renamed.
lock_build_dir() {
	mkdir -p "$(dirname -- "$1")" || die "cannot create $(dirname -- "$1")"
	hold_lock 8 "$1.lock" || exit 1
}

# avail_mb DIR: free space of DIR's filesystem, in MB.
avail_mb() { df -Pm "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'; }
