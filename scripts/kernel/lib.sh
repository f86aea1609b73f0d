# The kernel stages' helpers (scripts/kernel/*.sh, and the scripts that
# drive them). Sourced, never run; sources scripts/lib/rig.sh (PROG, say,
# die, timing, hold_lock, CACHE).
# Sets: KDIR (this folder), KSRC, RIG_CC, and the pinned.env values.

KDIR=${KDIR:-$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)}
. "$KDIR/../lib/rig.sh"
# IRQFD_RIG_PINNED: another pinned.env (the fault tests pin a missing version).
PINNED_ENV=${IRQFD_RIG_PINNED:-$KDIR/pinned.env}
. "$PINNED_ENV"
# A developer's own tree (boot-test --kernel-tree): its base replaces the tag.
[ -z "${IRQFD_RIG_BASE:-}" ] || KERNEL_TAG=$IRQFD_RIG_BASE

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
