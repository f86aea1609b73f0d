#!/bin/sh
# send-prep.sh: make version N of the series ready to mail, and never mail it.
#
#  1. format the kernel tree's series branch with `git format-patch -vN`, a
#     cover letter from patches/cover-letter.txt, the changelog of versions
#     2..N from patches/changelog.txt below its "---", and base-commit;
#  2. stop on any checkpatch.pl --strict error, warning or check (naming the
#     patch file, its line and the source line) or a cover-letter placeholder;
#  3. refuse unless the newest boot-test of exactly these patches (matched by
#     stable patch-id) is green;
#  4. write To (maintainers, reviewers) and Cc (lists) into each patch from
#     get_maintainer.pl on the pinned MAINTAINERS; the cover letter gets all;
#  5. range-diff against version N-1 when patches/vN-1/ holds it;
#  6. write the exact `git send-email` command and its --dry-run output.
# Everything goes to a temporary directory first and becomes OUT (default
# patches/vN) only when every step passed.
#
# The mails are from the sender: user.name and user.email of git config (read
# outside any repository: global, system or GIT_CONFIG_* settings). It refuses
# when they are unset or a placeholder (example.com/.org/.net, *.example,
# *.invalid, *.test, *.localhost, no dot in the domain). A patch authored by
# someone else keeps its author (an in-body From: line); one authored by a
# placeholder identity (the rig's neutral "Irqfd Rig") is refused unless
# --reauthor makes the sender its author, dropping the placeholder's
# Signed-off-by. Every patch gets the sender's Signed-off-by if it lacks one.
# The series branch is not changed: the mails are made from rewritten copies.
# When the branch does not exist but PATCHES holds the series (a fresh
# clone), the series is imported first, as `make series-import` does.
#
# Usage: scripts/workflows/send/send-prep.sh [--version N] [--branch B] [--patches DIR]
#                                  [--results DIR] [--out DIR] [--reauthor]
# Env:   IRQFD_RIG_CACHE, IRQFD_RIG_KERNEL_SRC (the kernel tree)
# Exit:  0 ready to send, 1 a check failed or the proof is missing, 2 usage
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")/../../kernel" && pwd)
. "$KDIR/lib.sh"
SEND=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)

usage() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

version= branch=${SERIES_BRANCH:-dev/series} patches=$TOP/patches results=$TOP/results out= reauthor=0
while [ $# -gt 0 ]; do
	case $1 in
	--version) version=${2:?--version needs a number}; shift 2 ;;
	--branch) branch=${2:?--branch needs a branch}; shift 2 ;;
	--patches) patches=$(abspath "${2:?--patches needs a directory}"); shift 2 ;;
	--results) results=$(abspath "${2:?--results needs a directory}"); shift 2 ;;
	--out) out=$(abspath "${2:?--out needs a directory}"); shift 2 ;;
	--reauthor) reauthor=1; shift ;;
	*) usage "unknown argument '$1' (see the usage at the top of $0)" ;;
	esac
done
changelog=$patches/changelog.txt
cover_text=$patches/cover-letter.txt

# --- tools and inputs -------------------------------------------------------
need_tree
for tool in checkpatch.pl get_maintainer.pl; do
	[ -x "$KSRC/scripts/$tool" ] || die "no $KSRC/scripts/$tool in the kernel tree"
done
[ -f "$KSRC/MAINTAINERS" ] || die "no MAINTAINERS in $KSRC"
[ -x "$(git --exec-path)/git-send-email" ] ||
	die "git send-email is not installed (Debian package git-email): run 'make deps'"
[ -r "$cover_text" ] || die "no $cover_text (line 1: the cover letter's subject; then its text)"
[ -r "$changelog" ] || die "no $changelog (the changes of each version; see patches/README.md)"

# --- the sender -----------------------------------------------------------------
# placeholder_email ADDRESS: true for an address nobody reads.
placeholder_email() {
	case $1 in *@*.*) ;; *) return 0 ;; esac
	case $(printf '%s' "${1##*@}" | tr '[:upper:]' '[:lower:]') in
	example.com | example.org | example.net | *.example.com | *.example.org | *.example.net | \
		example | *.example | invalid | *.invalid | test | *.test | localhost | *.localhost) return 0 ;;
	esac
	return 1
}
sender_name=$(cd / && git config --get user.name || true)
sender_email=$(cd / && git config --get user.email || true)
if [ -z "$sender_name" ] || [ -z "$sender_email" ]; then
	die "no sender identity: git config has no user.name or user.email. Set the name and" \
		"address you send from (git config --global user.name 'Your Name';" \
		"git config --global user.email you@your.domain), then run send-prep again"
fi
if placeholder_email "$sender_email"; then
	die "the sender identity '$sender_name <$sender_email>' from git config is a placeholder," \
		"not an address anyone reads: set your own (git config --global user.email you@your.domain)" \
		"and run send-prep again"
fi
sender="$sender_name <$sender_email>"

if ! git -C "$KSRC" rev-parse -q --verify "refs/heads/$branch" >/dev/null; then
	"$KDIR/variant-patches.sh" --dir "$patches" series >/dev/null 2>&1 ||
		die "no branch $branch in $KSRC, and $patches holds no series to import:" \
			"commit the series there on $KERNEL_TAG"
	say "no branch $branch in $KSRC (a fresh clone?): importing the series from $patches, as 'make series-import' does"
	IRQFD_RIG_PATCHES=$patches "$TOP/scripts/workflows/series/import-series.sh" "$branch" >&2 ||
		die "importing $patches as $branch failed (above)"
fi
n=$(git -C "$KSRC" rev-list --count "$KERNEL_TAG..$branch")
[ "$n" -gt 0 ] || die "$branch has no commits on top of $KERNEL_TAG"
[ "$(git -C "$KSRC" merge-base "$KERNEL_TAG" "$branch")" = "$(git -C "$KSRC" rev-parse "$KERNEL_TAG^{commit}")" ] ||
	die "$branch is not based on $KERNEL_TAG: rebase it there first"

# The changelog: "vN:" starts version N's section, '#' lines are comments.
sections=$(sed -n 's/^v\([0-9][0-9]*\):[[:space:]]*$/\1/p' "$changelog")
newest=$(echo "$sections" | sort -n | tail -n 1)
if [ -z "$version" ]; then version=${newest:-1}; fi
case $version in '' | *[!0-9]* | 0*) usage "--version must be a number from 1 (got '$version')" ;; esac
if [ "$version" -gt 1 ] && ! echo "$sections" | grep -qx "$version"; then
	die "$changelog has no 'v$version:' section: add one at the top saying what changed since v$((version - 1))"
fi
echo "$sections" | grep -qx 1 &&
	die "$changelog has a 'v1:' section: the first version changes nothing; say what it is in cover-letter.txt"
[ -n "$out" ] || out=$patches/v$version
say "version $version of $branch ($n patch(es) on $KERNEL_TAG) -> $out"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/send-prep.XXXXXX")
stage=
trap 'rm -rf "$tmp" ${stage:+"$stage"}' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
mkdir "$tmp/out"

# --- 1. format ---------------------------------------------------------------
phase_begin format
# Version 1 has no "v1" in its subjects, as on the lists and in b4.
vflag=
[ "$version" -eq 1 ] || vflag=-v$version
# The mails are made from copies of the commits (same trees, on a private
# chain of commit objects; the branch is not touched) with the sender's
# Signed-off-by added where missing and, with --reauthor, the sender as the
# author of patches a placeholder identity wrote.
kgit() {
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
	GIT_COMMITTER_NAME=$KERNEL_GIT_NAME GIT_COMMITTER_EMAIL=$KERNEL_GIT_EMAIL \
	GIT_COMMITTER_DATE=$KERNEL_GIT_DATE git -C "$KSRC" "$@"
}
head=$(kgit rev-parse "$KERNEL_TAG^{commit}")
refused= reauthored= signed=
k=0
for c in $(kgit rev-list --reverse "$KERNEL_TAG..$branch"); do
	k=$((k + 1))
	a_name=$(kgit log -1 --format=%an "$c")
	a_email=$(kgit log -1 --format=%ae "$c")
	kgit log -1 --format=%B "$c" >"$tmp/msg"
	if [ "$(printf '%s' "$a_email" | tr '[:upper:]' '[:lower:]')" != \
		"$(printf '%s' "$sender_email" | tr '[:upper:]' '[:lower:]')" ] && placeholder_email "$a_email"; then
		if [ "$reauthor" -eq 0 ]; then
			refused="$refused
  patch $k, $(kgit log -1 --format=%s "$c"): author $a_name <$a_email>"
			continue
		fi
		# The placeholder vouches for nothing: its sign-off goes, the sender's comes.
		grep -vixF "Signed-off-by: $a_name <$a_email>" "$tmp/msg" >"$tmp/msg.new" || true
		mv "$tmp/msg.new" "$tmp/msg"
		a_name=$sender_name a_email=$sender_email
		reauthored=$((${reauthored:-0} + 1))
	fi
	if ! grep -qixF "Signed-off-by: $sender" "$tmp/msg"; then
		kgit interpret-trailers --trailer "Signed-off-by: $sender" <"$tmp/msg" >"$tmp/msg.new"
		mv "$tmp/msg.new" "$tmp/msg"
		signed=$((${signed:-0} + 1))
	fi
	head=$(GIT_AUTHOR_NAME=$a_name GIT_AUTHOR_EMAIL=$a_email \
		GIT_AUTHOR_DATE=$(kgit log -1 --format=%aD "$c") \
		kgit commit-tree "$(kgit rev-parse "$c^{tree}")" -p "$head" -F "$tmp/msg")
done
[ -z "$refused" ] ||
	die "these patches are authored by a placeholder identity, not by a person:$refused
Mail them as yours with --reauthor (make send-prep REAUTHOR=1): you become their author and" \
		"sign them off, as $sender"
[ -z "$reauthored" ] || say "re-authored $reauthored patch(es) as $sender (--reauthor)"
[ -z "$signed" ] || say "added 'Signed-off-by: $sender' to $signed patch(es)"
author=$sender
GIT_COMMITTER_NAME=$sender_name GIT_COMMITTER_EMAIL=$sender_email \
	git -C "$KSRC" -c format.signature= format-patch -q $vflag --cover-letter --base="$KERNEL_TAG" \
	--zero-commit --from="$sender" -o "$tmp/out" "$KERNEL_TAG..$head"
cover=$(ls "$tmp"/out/*0000-cover-letter.patch)
base_sha=$(git -C "$KSRC" rev-parse --short=12 "$KERNEL_TAG^{commit}")
{
	sed -n '1p' "$cover_text"
	sed '1d' "$cover_text"
	echo
	echo "Based on $KERNEL_TAG ($base_sha, the base-commit below):"
	echo "$KERNEL_PKG $KERNEL_DEB_VERSION from Debian, which is upstream"
	echo "$KERNEL_VERSION with Debian's patches."
	if [ "$version" -gt 1 ]; then
		echo
		echo "---"
		# Sections from vN down, each "vK:" line read as "Changes in vK:".
		awk -v want="$version" '
			/^#/ { next }
			/^v[0-9]+:[[:space:]]*$/ { k = substr($0, 2) + 0; on = (k <= want)
				if (on) { if (printed) print ""; print "Changes in v" k ":"; printed = 1 }
				blank = 0; next }
			!on { next }
			/^[[:space:]]*$/ { blank = 1; next }
			{ if (blank) print ""; blank = 0; print }
		' "$changelog"
	fi
} >"$tmp/cover-parts"
awk -v parts="$tmp/cover-parts" '
	/\*\*\* SUBJECT HERE \*\*\*/ { getline subject < parts; sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
	/\*\*\* BLURB HERE \*\*\*/ { while ((getline line < parts) > 0) print line; next }
	{ print }
' "$cover" >"$tmp/cover.new"
mv "$tmp/cover.new" "$cover"
phase_end

# --- 2. checks ----------------------------------------------------------------
phase_begin checks
problems=0
# The pinned tree is an import of a tarball, without upstream's history, so
# checkpatch cannot look up any upstream commit (Fixes: tags): it would call
# every one unknown. Their form and subject are still checked.
CHECKPATCH_FLAGS="--strict --terse --no-summary --ignore UNKNOWN_COMMIT_ID"
report() { printf '%s: %s\n' "$PROG" "$*" >&2; problems=$((problems + 1)); }
grep -n -e '\*\*\* SUBJECT HERE \*\*\*' -e '\*\*\* BLURB HERE \*\*\*' -e 'EDITME' "$cover" >"$tmp/placeholders" || true
while IFS=: read -r line text; do
	report "$(basename -- "$cover"):$line: placeholder left in the cover letter: $text"
done <"$tmp/placeholders"
grep -q '^base-commit: [0-9a-f]\{40\}$' "$cover" || report "$(basename -- "$cover"): no base-commit line"
for p in "$tmp"/out/*.patch; do
	[ "$p" != "$cover" ] || continue
	name=$(basename -- "$p")
	# --terse gives "PATCH:LINE: TYPE: message"; --showfile the same report
	# as "FILE:LINE" of the source, one line each and in the same order.
	by_patch=$(cd "$KSRC" && scripts/checkpatch.pl $CHECKPATCH_FLAGS "$p" 2>&1) || true
	by_file=$(cd "$KSRC" && scripts/checkpatch.pl $CHECKPATCH_FLAGS --showfile "$p" 2>&1) || true
	[ -n "$by_patch" ] || continue
	if [ "$(echo "$by_patch" | wc -l)" -eq "$(echo "$by_file" | wc -l)" ]; then
		printf '%s\n' "$by_patch" | sed "s|^$p|$name|" >"$tmp/a"
		printf '%s\n' "$by_file" | sed "s|^$p:.*||; s|^\\([^:]*:[0-9]*\\):.*|(at \\1)|" >"$tmp/b"
		paste -d ' ' "$tmp/a" "$tmp/b" | sed 's/ $//'
	else
		printf '%s\n' "$by_patch" | sed "s|^$p|$name|"
	fi | sed "s/^/$PROG: checkpatch: /" >&2
	report "$name: checkpatch.pl --strict reported $(echo "$by_patch" | wc -l) problem(s), above"
done
[ "$problems" -eq 0 ] || {
	git -C "$KSRC" log --reverse --format='  %h %s' "$KERNEL_TAG..$branch" >&2
	die "$problems problem(s); fix the commits on $branch (above) and run send-prep again"
}
phase_end

# --- 3. the boot-test proof -----------------------------------------------------
phase_begin proof
ids=$(for p in "$tmp"/out/*.patch; do
	[ "$p" = "$cover" ] || git patch-id --stable <"$p" | cut -c1-40
done | paste -sd, -)
# A summary.json's string field, and a list field joined with commas.
json_string() { jq -r --arg k "$1" '.[$k] // empty' "$2" 2>/dev/null; }
json_list() { jq -r --arg k "$1" '.[$k] // [] | join(",")' "$2" 2>/dev/null; }
proof=
for s in $(ls -d "$results"/[0-9]*/ 2>/dev/null | sort -r); do
	s=${s%/}/summary.json
	[ -f "$s" ] || continue
	[ "$(json_list patch_ids "$s")" = "$ids" ] || continue
	# A run that chose its own tests does not prove the series.
	[ -z "$(json_string test_args "$s")" ] || continue
	proof=$s
	break
done
exported=$("$KDIR/variant-patches.sh" --dir "$patches" series 2>/dev/null | while IFS= read -r p; do
	git patch-id --stable <"$p" | cut -c1-40
done | paste -sd, -)
if [ "$exported" = "$ids" ]; then
	run_cmd="make boot-test VARIANT=series"
else
	run_cmd="make series-export SERIES_BRANCH=$branch && make boot-test VARIANT=series"
fi
if [ -z "$proof" ]; then
	die "no boot-test of this series (patch-ids $(echo "$ids" | sed 's/\([0-9a-f]\{12\}\)[0-9a-f]*/\1/g'))" \
		"in $results: run '$run_cmd', then send-prep again"
fi
verdict=$(json_string verdict "$proof")
reason=$(json_string reason "$proof")
run_dir=$(dirname -- "$proof")
if [ "$verdict" != pass ]; then
	die "the last boot-test of this series, $run_dir, is '$verdict'${reason:+ ($reason)}, not pass:" \
		"fix the series and run '$run_cmd', then send-prep again"
fi
say "proof: $run_dir: pass"
phase_end

# --- 4. recipients --------------------------------------------------------------
phase_begin recipients
get_maintainer() {
	(cd "$KSRC" && scripts/get_maintainer.pl --nogit --nogit-fallback --nogit-chief-penguins \
		--norolestats "$@")
}
: >"$tmp/all-to"
: >"$tmp/all-cc"
# add_header FILE TO_LIST CC_LIST: put To/Cc at the end of the mail header.
add_header() {
	awk -v to="$2" -v cc="$3" '
		function emit(name, list,   n, a, i, s) {
			n = split(list, a, "\n"); s = ""
			for (i = 1; i <= n; i++) if (a[i] != "") s = s (s == "" ? "" : ",\n    ") a[i]
			if (s != "") print name ": " s
		}
		!done && /^$/ { emit("To", to); emit("Cc", cc); done = 1 }
		{ print }
	' "$1" >"$1.new" && mv "$1.new" "$1"
}
for p in "$tmp"/out/*.patch; do
	[ "$p" != "$cover" ] || continue
	to=$(get_maintainer --nol --nor "$p") || die "get_maintainer.pl failed on $(basename -- "$p")"
	cc=$(get_maintainer --nom "$p") || die "get_maintainer.pl failed on $(basename -- "$p")"
	[ -n "$to$cc" ] || die "get_maintainer.pl names nobody for $(basename -- "$p")"
	add_header "$p" "$to" "$cc"
	echo "$to" >>"$tmp/all-to"
	echo "$cc" >>"$tmp/all-cc"
done
to=$(awk 'NF && !seen[$0]++' "$tmp/all-to")
# Whoever is in To somewhere is not copied as well.
cc=$(awk 'NR == FNR { if (NF) to[$0] = 1; next } NF && !($0 in to) && !seen[$0]++' "$tmp/all-to" "$tmp/all-cc")
add_header "$cover" "$to" "$cc"
# The report reads the recipients back from the mails as written, so it
# says what the files say, whatever git send-email's delivery method would
# print for them: "FILE" and below it one "To: ADDRESS" or "Cc: ADDRESS" a
# line. Folded headers are unfolded; a comma inside a quoted name or <...>
# does not split an address.
for p in "$tmp"/out/*.patch; do
	basename -- "$p"
	awk '
		function flush(   i, c, q, a, part) {
			if (name == "") return
			q = 0; a = 0; part = ""
			for (i = 1; i <= length(value); i++) {
				c = substr(value, i, 1)
				if (c == "\"") q = !q
				else if (!q && c == "<") a = 1
				else if (!q && c == ">") a = 0
				if (c == "," && !q && !a) { emit(name, part); part = ""; continue }
				part = part c
			}
			emit(name, part); name = ""
		}
		function emit(kind, address) {
			gsub(/^[ \t]+|[ \t]+$/, "", address)
			if (address != "") print "  " kind ": " address
		}
		NR == 1 && /^From / { next }
		/^$/ { flush(); exit }
		/^[ \t]/ { if (name != "") value = value " " $0; next }
		{ flush() }
		tolower($0) ~ /^to:/ { name = "To"; value = substr($0, 4) }
		tolower($0) ~ /^cc:/ { name = "Cc"; value = substr($0, 4) }
		END { flush() }
	' "$p"
done >"$tmp/recipients"
awk '!/^  / { mail = $0; n[mail] = 0; next } { n[mail]++ } END { for (m in n) if (!n[m]) print m }' \
	"$tmp/recipients" >"$tmp/unaddressed"
[ ! -s "$tmp/unaddressed" ] || die "no To: or Cc: in $(paste -sd' ' "$tmp/unaddressed")"
sed 's/^/  /' "$tmp/recipients"
phase_end

# --- 5. range-diff --------------------------------------------------------------
prev=$patches/v$((version - 1))
if [ "$version" -gt 1 ] && ls "$prev"/*.patch >/dev/null 2>&1; then
	phase_begin range-diff
	prev_patches=$(ls "$prev"/*.patch | grep -v '0000-cover-letter\.patch$')
	# shellcheck disable=SC2086
	prev_head=$("$KDIR/patches-to-commits.sh" "$KERNEL_TAG" $prev_patches) ||
		die "cannot rebuild v$((version - 1)) from $prev"
	git -C "$KSRC" range-diff --no-color "$KERNEL_TAG..$prev_head" "$KERNEL_TAG..$branch" \
		>"$tmp/out/range-diff.txt"
	sed 's/^/  /' "$tmp/out/range-diff.txt"
	phase_end
elif [ "$version" -gt 1 ]; then
	say "no $prev/ with version $((version - 1)): no range-diff"
fi

# --- 6. the send command and its dry run ------------------------------------------
phase_begin dry-run
{
	echo "Series: $(sed -n 's/^Subject: //p' "$cover" | head -n 1)"
	echo "Version: $version"
	echo "Branch: $branch ($(git -C "$KSRC" rev-parse --short=12 "$branch")) on $KERNEL_TAG ($base_sha)"
	echo "Patch-ids: $ids"
	echo "Boot-test: $run_dir: pass"
	echo "checkpatch.pl --strict: clean"
	echo "Recipients:"
	sed 's/^/  /' "$tmp/recipients"
} >"$tmp/out/prep-report.txt"
# The command names the final directory; the dry run reads the same files here.
shown=$out
case $out in "$TOP"/*) shown=${out#"$TOP"/} ;; esac
from_opt="--from=\"$author\""
echo "git send-email --confirm=always $from_opt $shown/*.patch" >"$tmp/out/send-email-command.txt"
# The sender's own configuration, mail transport included, is what the real
# send will use, so the dry run keeps it; its report of the recipients
# depends on that transport (SMTP "RCPT TO:" or a sendmail command line),
# which is why prep-report.txt lists them from the mails instead.
# --no-annotate: a sendemail.annotate would open an editor on every mail.
(cd "$tmp/out" && git send-email --dry-run --confirm=never --no-annotate --from="$author" ./*.patch) \
	>"$tmp/out/send-email-dry-run.txt" 2>&1 || {
	sed 's/^/  /' "$tmp/out/send-email-dry-run.txt" | tail -n 20 >&2
	die "git send-email --dry-run failed (above)"
}
grep -c '^Dry-OK' "$tmp/out/send-email-dry-run.txt" | grep -qx "$(ls "$tmp"/out/*.patch | wc -l)" ||
	die "git send-email --dry-run did not accept every mail; see the output above"
phase_end

# --- publish ----------------------------------------------------------------------
# Staged beside its destination (the temp dir may be on another file
# system, where mv would be a copy that can stop half-way), then renamed.
mkdir -p "$(dirname -- "$out")"
stage=$(mktemp -d "$(dirname -- "$out")/.$(basename -- "$out").new.XXXXXX")
cp -R "$tmp/out/." "$stage/"
rm -rf "$out.old.$$"
[ ! -e "$out" ] || mv "$out" "$out.old.$$"
mv "$stage" "$out"
stage=
rm -rf "$out.old.$$"
say "version $version is ready in $shown/ ($(ls "$out"/*.patch | wc -l) mails; nothing was sent):"
ls "$out" | sed 's/^/  /'
say "to send it, run:"
echo "  $(cat "$out/send-email-command.txt")"
