#!/bin/sh
# export-series.sh [BRANCH]: regenerate patches/ from the kernel tree: one
# `git format-patch` file per commit of BRANCH (default dev/series) since the
# pinned tag, plus 0000-cover-letter.patch whose subject and blurb come from
# patches/cover-letter.txt (first line: subject; the rest: blurb). The old
# series files are replaced only once the new ones are all written.
#
# Usage: scripts/workflows/series/export-series.sh [BRANCH]
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")/../../kernel" && pwd)
. "$KDIR/lib.sh"

BRANCH=${1:-${SERIES_BRANCH:-dev/series}}
TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)
OUT=$TOP/patches
COVER=$OUT/cover-letter.txt
need_tree
git -C "$KSRC" rev-parse -q --verify "refs/heads/$BRANCH" >/dev/null ||
	die "no branch $BRANCH in $KSRC (make your series there, on top of $KERNEL_TAG)"
[ -r "$COVER" ] || die "no $COVER (line 1: cover letter subject; then the blurb)"
n=$(git -C "$KSRC" rev-list --count "$KERNEL_TAG..$BRANCH")
[ "$n" -gt 0 ] || die "$BRANCH has no commits on top of $KERNEL_TAG"

TMP=$(mktemp -d "$OUT/.export.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# The cover letter is signed by whoever wrote the series' first patch.
author=$(git -C "$KSRC" log -1 --format='%an' "$KERNEL_TAG..$BRANCH" --reverse)
email=$(git -C "$KSRC" log -1 --format='%ae' "$KERNEL_TAG..$BRANCH" --reverse)
GIT_COMMITTER_NAME=$author GIT_COMMITTER_EMAIL=$email GIT_AUTHOR_NAME=$author GIT_AUTHOR_EMAIL=$email \
	git -C "$KSRC" format-patch -q --cover-letter --base="$KERNEL_TAG" --zero-commit \
	-o "$TMP" "$KERNEL_TAG..$BRANCH"
subject=$(head -n 1 "$COVER")
awk -v subject="$subject" -v blurbfile="$COVER" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
	/\*\*\* BLURB HERE \*\*\*/ {
		getline line < blurbfile	# skip the subject line
		while ((getline line < blurbfile) > 0) print line
		next
	}
	{ print }
' "$TMP/0000-cover-letter.patch" >"$TMP/cover.tmp"
mv "$TMP/cover.tmp" "$TMP/0000-cover-letter.patch"
rm -f "$OUT"/0[0-9][0-9][0-9]-*.patch
mv "$TMP"/0*.patch "$OUT/"
say "wrote $n patch(es) and the cover letter from $BRANCH to $OUT:"
ls "$OUT"/0[0-9][0-9][0-9]-*.patch | sed "s|^$TOP/|  |"
