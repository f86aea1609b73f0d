#!/bin/sh
# fetch-kernel.sh: make $CACHE/linux, a git tree of the pinned kernel source.
#
# Downloads the pinned linux-source .deb with apt into $CACHE/downloads/, checks
# the tarball's sha256, unpacks it in a temp dir inside the cache, commits it as
# one reproducible commit on branch $KERNEL_BRANCH, tags it $KERNEL_TAG, then
# renames the temp dir to $CACHE/linux. Everything pinned is in pinned.env.
#
# Usage: scripts/kernel/fetch-kernel.sh
# Env:   IRQFD_RIG_CACHE (default ~/.cache/irqfd-rig)
set -eu
. "$(dirname -- "$0")/lib.sh"

help_if_asked "$@"
[ $# -eq 0 ] || die "usage: $PROG (takes no arguments)"
for tool in apt-get apt-cache dpkg-deb git tar xz sha256sum flock; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run make deps)"
done

DEST=$CACHE/linux
STAMP=$DEST/.git/irqfd-rig.pinned
want_stamp() {
	printf 'KERNEL_PKG=%s\nKERNEL_DEB_VERSION=%s\nKERNEL_TARBALL_SHA256=%s\nKERNEL_TAG=%s\n' \
		"$KERNEL_PKG" "$KERNEL_DEB_VERSION" "$KERNEL_TARBALL_SHA256" "$KERNEL_TAG"
}

# Git with no user/system config (so nothing like autocrlf or signing changes the
# commit) and a fixed identity and date (so the commit id is reproducible).
pgit() {
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
	GIT_AUTHOR_NAME=$KERNEL_GIT_NAME GIT_AUTHOR_EMAIL=$KERNEL_GIT_EMAIL GIT_AUTHOR_DATE=$KERNEL_GIT_DATE \
	GIT_COMMITTER_NAME=$KERNEL_GIT_NAME GIT_COMMITTER_EMAIL=$KERNEL_GIT_EMAIL GIT_COMMITTER_DATE=$KERNEL_GIT_DATE \
		git "$@"
}

T_ALL=$(now_ms)
lock_cache

# --- already there? -------------------------------------------------------
if [ -e "$DEST" ]; then
	[ -f "$STAMP" ] ||
		die "$DEST exists but has no $STAMP: not made by $PROG. Remove $DEST (or set IRQFD_RIG_CACHE) and rerun."
	if ! want_stamp | cmp -s - "$STAMP"; then
		die "$DEST holds a different pinned kernel than scripts/kernel/pinned.env:
  cache has: $(tr '\n' ' ' <"$STAMP")
  pinned is: $(want_stamp | tr '\n' ' ')
Remove $DEST (and $CACHE/build) or set IRQFD_RIG_CACHE to another dir, then rerun."
	fi
	c=$(git -C "$DEST" rev-parse -q --verify "refs/tags/$KERNEL_TAG^{commit}") ||
		die "$DEST is stamped for $KERNEL_DEB_VERSION but tag $KERNEL_TAG is missing; remove $DEST and rerun"
	say "$DEST already holds $KERNEL_PKG $KERNEL_DEB_VERSION (tag $KERNEL_TAG = $c); nothing to do"
	exit 0
fi

# Leftovers of an interrupted run (we hold the lock, so nobody else owns them).
rm -rf "$CACHE"/linux.tmp.* "$CACHE"/downloads/.tmp.*

TMP=$(mktemp -d "$CACHE/linux.tmp.XXXXXX")
DLTMP=
cleanup() { rm -rf "$TMP" ${DLTMP:+"$DLTMP"}; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- download -------------------------------------------------------------
phase_begin download
mkdir -p "$CACHE/downloads"
# apt names the file NAME_VERSION_ARCH.deb with ':' (epoch) written as %3a.
DEB=$(ls "$CACHE/downloads/${KERNEL_PKG}_$(printf %s "$KERNEL_DEB_VERSION" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1) || true
if [ -n "$DEB" ]; then
	say "using cached $DEB"
else
	# apt-cache show PKG=VER exits 0 even for a missing version: ask madison.
	versions() { apt-cache madison "$KERNEL_PKG" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }'; }
	if ! versions | grep -qxF "$KERNEL_DEB_VERSION"; then
		say "$KERNEL_PKG=$KERNEL_DEB_VERSION not in apt's lists; running apt-get update"
		apt-get update -qq || die "apt-get update failed (are you root?)"
		versions | grep -qxF "$KERNEL_DEB_VERSION" ||
			die "$KERNEL_PKG version $KERNEL_DEB_VERSION (pinned in $PINNED_ENV) is not in the apt archive any more; it has: $(versions | tr '\n' ' ')"
	fi
	DLTMP=$(mktemp -d "$CACHE/downloads/.tmp.XXXXXX")
	# As root, apt would drop to its _apt user, which cannot enter ~/.cache: say so.
	sandbox=
	[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	(cd "$DLTMP" && apt-get download -q $sandbox "$KERNEL_PKG=$KERNEL_DEB_VERSION") ||
		die "apt-get download $KERNEL_PKG=$KERNEL_DEB_VERSION failed"
	f=$(ls "$DLTMP"/*.deb) || die "apt-get download left no .deb in $DLTMP"
	mv "$f" "$CACHE/downloads/"
	DEB=$CACHE/downloads/$(basename -- "$f")
	say "downloaded $DEB"
fi
phase_end

# --- check and unpack -----------------------------------------------------
phase_begin verify
# no_space WHAT ERROR: die saying the disk is full, if that is why WHAT failed.
# (Errors are kept in variables: a file in the cache could not be written.)
no_space() {
	case $2 in *"No space left on device"*) ;; *) return 0 ;; esac
	die "no space left on device while $1 in $CACHE ($(avail_mb "$CACHE") MB free; the tree needs about 1600 MB)"
}
if ! err=$(dpkg-deb -x "$DEB" "$TMP/deb" 2>&1); then
	no_space "unpacking $(basename -- "$DEB")" "$err"
	rm -f "$DEB"
	die "$DEB is truncated or corrupt ($(echo "$err" | tail -n 1)); removed it: rerun to download it again"
fi
TARBALL=$TMP/deb/$KERNEL_TARBALL
[ -f "$TARBALL" ] || { rm -f "$DEB"; die "$DEB has no $KERNEL_TARBALL ($PINNED_ENV KERNEL_TARBALL); removed it"; }
got=$(sha256sum "$TARBALL" | cut -d' ' -f1)
if [ "$got" != "$KERNEL_TARBALL_SHA256" ]; then
	rm -f "$DEB"
	die "checksum mismatch for $KERNEL_TARBALL in $(basename -- "$DEB"):
  expected $KERNEL_TARBALL_SHA256 ($PINNED_ENV)
  got      $got
Removed the .deb and the temp dir; nothing was kept."
fi
say "sha256 $got OK"
phase_end

phase_begin extract
mkdir "$TMP/src"
# The tarball holds one top-level folder (linux-source-6.12/): strip it.
if ! err=$(tar -xJf "$TARBALL" -C "$TMP/src" --strip-components=1 --no-same-owner 2>&1); then
	no_space "unpacking the kernel tarball" "$err"
	die "tar -x $KERNEL_TARBALL failed: $(echo "$err" | grep -v 'Exiting with failure' | tail -n 1)"
fi
rm -rf "$TMP/deb"
[ -f "$TMP/src/Makefile" ] || die "$KERNEL_TARBALL did not unpack to a kernel tree (no Makefile)"
say "$(find "$TMP/src" -type f | wc -l) files"
phase_end

# --- pristine commit ------------------------------------------------------
phase_begin git-commit
cd "$TMP/src"
pgit init -q --template= -b "$KERNEL_BRANCH" .
git config user.name "$KERNEL_GIT_NAME"
git config user.email "$KERNEL_GIT_EMAIL"
git config gc.auto 0	# no surprise multi-minute gc in the middle of a later git am
# The tarball's own .gitignore ignores the whole top level: force the add.
pgit add -f -A
pgit commit -q --no-verify -m "$KERNEL_PKG $KERNEL_DEB_VERSION, pristine

Unpacked from $KERNEL_TARBALL in the Debian package
$KERNEL_PKG=$KERNEL_DEB_VERSION, sha256 $KERNEL_TARBALL_SHA256."
pgit tag "$KERNEL_TAG"
want_stamp >.git/irqfd-rig.pinned
COMMIT=$(git rev-parse HEAD)
cd "$CACHE"
phase_end

mv "$TMP/src" "$DEST"
say "$DEST: $KERNEL_PKG $KERNEL_DEB_VERSION, branch $KERNEL_BRANCH, tag $KERNEL_TAG = $COMMIT"
say "total $(fmt_ms $(( $(now_ms) - T_ALL )))"
