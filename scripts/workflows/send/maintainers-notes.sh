#!/bin/sh
# maintainers-notes.sh: regenerate the generated blocks of MAINTAINERS-notes.md
# and keep the prose around them. Each block sits between
#   <!-- generated: NAME -->  and  <!-- end: NAME -->
# and comes from one source:
#   maintainers  get_maintainer.pl on each patches/0NNN-*.patch, run in the
#                pinned kernel tree (its MAINTAINERS)
#   testing      tests/boot-expectations.txt, which `make check` asserts
#   versions     patches/changelog.txt and the patches/vN/ that send-prep wrote
# With --check nothing is written: it fails, showing the difference, when the
# file is not what it would regenerate (CI runs this).
#
# Usage: scripts/workflows/send/maintainers-notes.sh [--check] [--patches DIR]
#                                          [--expectations FILE] [--file FILE]
# Env:   IRQFD_RIG_CACHE, IRQFD_RIG_KERNEL_SRC (the kernel tree)
set -eu
KDIR=$(CDPATH= cd -- "$(dirname -- "$0")/../../kernel" && pwd)
. "$KDIR/lib.sh"
TOP=$(CDPATH= cd -- "$KDIR/../.." && pwd)

check=0 patches=$TOP/patches expectations=$TOP/tests/boot-expectations.txt file=$TOP/MAINTAINERS-notes.md
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1; shift ;;
	--patches) patches=${2:?--patches needs a directory}; shift 2 ;;
	--expectations) expectations=${2:?--expectations needs a file}; shift 2 ;;
	--file) file=${2:?--file needs a file}; shift 2 ;;
	*) printf '%s: unknown argument %s\n' "$PROG" "$1" >&2; exit 2 ;;
	esac
done
need_tree
[ -f "$file" ] || die "no $file to regenerate"
[ -r "$expectations" ] || die "no $expectations"
series=$("$KDIR/variant-patches.sh" --dir "$patches" series) || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/maintainers-notes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The Subject header unfolded, without its "[PATCH ...]" prefix.
subject_of() {
	awk '/^Subject: / { s = $0; on = 1; next } on && /^[ \t]/ { s = s $0; next } on { exit }
		END { print s }' "$1" | sed 's/^Subject: \(\[[^]]*\] \)\{0,1\}//; s/[[:space:]][[:space:]]*/ /g'
}
joined() { paste -sd '\n' - | awk 'NF' | paste -sd ';' - | sed 's/;/, /g'; }

total=$(echo "$series" | wc -l)
{
	echo "| patch | touches | maintainers | reviewers | lists | trees |"
	echo "| --- | --- | --- | --- | --- | --- |"
	k=0
	# One file a line: names may hold spaces or glob characters.
	set -f
	IFS='
'
	for p in $series; do
		unset IFS
		k=$((k + 1))
		files=$(sed -n 's|^diff --git a/\([^ ]*\) b/.*|`\1`|p' "$p" | joined)
		(cd "$KSRC" && scripts/get_maintainer.pl --nogit --nogit-fallback --nogit-chief-penguins \
			--rolestats --scm "$p") >"$tmp/gm" || die "get_maintainer.pl failed on $(basename -- "$p")"
		maint=$(grep -E '\((maintainer|supporter|odd fixer|chief penguin):' "$tmp/gm" | sed 's/ <[^>]*>//' | joined)
		rev=$(grep -E '\(reviewer:' "$tmp/gm" | sed 's/ <[^>]*>//' | joined)
		lists=$(grep -E '^[^ ]+@[^ ]+ \((open|moderated|subscriber|closed)? ?list' "$tmp/gm" | cut -d' ' -f1 | joined)
		# Every file falls back to Linus' tree (THE REST): it says nothing.
		trees=$(grep -E '^(git|hg|quilt|stgit|topgit) ' "$tmp/gm" | grep -v 'torvalds/linux.git' |
			cut -d' ' -f2- | joined)
		printf '| %d/%d %s | %s | %s | %s | %s | %s |\n' "$k" "$total" "$(subject_of "$p")" \
			"$files" "${maint:--}" "${rev:--}" "${lists:--}" "${trees:--}"
	done
	unset IFS
	set +f
} >"$tmp/maintainers"

{
	echo "| run | patches applied | expected outcome |"
	echo "| --- | --- | --- |"
	while read -r spec verdict expected; do
		case $spec in '' | '#'*) continue ;; esac
		case $spec in
		base) applied="none (the pinned kernel)" ;;
		series) applied="the series" ;;
		series+*) applied="the series + canary \`patches/canary/${spec#*+}.patch\`" ;;
		series-1) applied="patch 1 of the series only" ;;
		series-[0-9]*) applied="patches 1-${spec#series-} of the series" ;;
		*) applied=$spec ;;
		esac
		case $verdict in
		test-failure) outcome="test-failure: exactly \`$expected\` fails, no splat" ;;
		splat)
			# "PREFIXES @FILE": the report's guilty frame must resolve into FILE.
			at=
			case $expected in *' @'*) at=${expected##* @}; expected=${expected% @*} ;; esac
			outcome="splat: first report titled \`$(echo "$expected" | sed 's/|/` or `/g')\`...${at:+, its guilty frame at \`$at:LINE\` with the file's maintainers named}"
			;;
		pass) outcome="pass: every selftest passes, no splat" ;;
		*) outcome=$verdict ;;
		esac
		printf '| `%s` | %s | %s |\n' "$spec" "$applied" "$outcome"
	done <"$expectations"
} >"$tmp/testing"

{
	versions=$(ls -d "$patches"/v[0-9]*/ 2>/dev/null | sed 's|.*/v\([0-9]*\)/$|\1|' | sort -n)
	if [ -z "$versions" ]; then
		echo "No version prepared yet: \`make send-prep\` writes version N to \`patches/vN/\`."
	fi
	for v in $versions; do
		d=$patches/v$v
		cover=$(ls "$d"/*0000-cover-letter.patch 2>/dev/null | head -n 1)
		mails=$(ls "$d"/*.patch | wc -l)
		date=$([ -z "$cover" ] || sed -n 's/^Date: //p' "$cover" | head -n 1)
		printf -- '- v%s: `patches/v%s/`, %s mails, prepared %s' "$v" "$v" "$mails" "${date:-(no cover letter)}"
		if [ "$v" -eq 1 ]; then
			echo "; the first version."
		else
			echo "; changes:"
			awk -v want="$v" '/^#/ { next } /^v[0-9]+:[[:space:]]*$/ { on = (substr($0, 2) + 0 == want); next }
				on && NF { print "  " $0 }' "$patches/changelog.txt"
		fi
	done
} >"$tmp/versions"

# Replace each block's body; a block the file lacks is an error.
for block in maintainers testing versions; do
	grep -qx "<!-- generated: $block -->" "$file" && grep -qx "<!-- end: $block -->" "$file" ||
		die "$file lacks the markers '<!-- generated: $block -->' and '<!-- end: $block -->'"
done
awk -v dir="$tmp" '
	/^<!-- generated: [a-z]+ -->$/ { print; name = $3; while ((getline line < (dir "/" name)) > 0) print line; skip = 1; next }
	/^<!-- end: [a-z]+ -->$/ { skip = 0 }
	!skip { print }
' "$file" >"$tmp/new"

if [ "$check" -eq 1 ]; then
	if ! diff -u "$file" "$tmp/new" >"$tmp/diff"; then
		sed "s|$tmp/new|regenerated|" "$tmp/diff" >&2
		die "$(basename -- "$file") is not current (difference above): run 'make maintainers-notes' and commit it"
	fi
	say "$(basename -- "$file") is current"
	exit 0
fi
if cmp -s "$file" "$tmp/new"; then
	say "$(basename -- "$file"): unchanged"
else
	cp "$tmp/new" "$file.tmp.$$" && mv "$file.tmp.$$" "$file"
	say "$(basename -- "$file"): regenerated"
fi
