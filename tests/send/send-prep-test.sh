#!/bin/sh
# send-prep-test.sh CASE: run scripts/workflows/send/send-prep.sh (and
# maintainers-notes.sh) on a throwaway kernel-like git repo holding a
# two-patch synthetic series. Its checkpatch.pl and get_maintainer.pl are
# small stand-ins with the real tools' command lines and output formats, so
# the test needs no kernel tree; git send-email is the real one. Neither
# the machine's git configuration nor its mail transport (an MTA at
# /usr/sbin/sendmail, a sendemail.* of the user's) reaches it: it has its
# own HOME and global config, and git send-email delivers to a stand-in
# sendmail that records what it is given.
# CTest runs one CASE per test (see CMakeLists.txt); no CASE runs them all.
set -eu
top=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
send_prep=$top/scripts/workflows/send/send-prep.sh
notes=$top/scripts/workflows/send/maintainers-notes.sh
tag=v6.12.117-deb-pristine	# what scripts/kernel/pinned.env names

fail() { echo "FAIL: $case: $*" >&2; exit 1; }
expect_file() { [ -f "$1" ] || fail "no file $1"; }
expect_grep() { grep -q -e "$1" "$2" || { sed 's/^/  | /' "$2" >&2; fail "'$1' not in $2"; }; }
expect_no_grep() { ! grep -q -e "$1" "$2" || { sed 's/^/  | /' "$2" >&2; fail "'$1' in $2"; }; }

setup() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/send-prep-test.XXXXXX")
	trap 'rm -rf "$T"' EXIT
	export IRQFD_RIG_CACHE="$T/cache" IRQFD_RIG_KERNEL_SRC="$T/linux"
	# Nothing of the machine's git or mail setup: its own HOME and global config.
	export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config"
	export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$T/gitconfig"
	unset GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT EMAIL
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
	mkdir -p "$HOME" "$T/mta/bin" "$T/mta/sent"
	git config --file "$T/gitconfig" user.name "Test Author"
	# Not a placeholder domain: send-prep refuses example.org and the like.
	git config --file "$T/gitconfig" user.email "author@irqfd-rig-test.net"
	# The stand-in MTA: mail N leaves its arguments, one a line, in
	# sent/N.args and the message in sent/N.msg; nothing is sent.
	cat >"$T/mta/bin/sendmail" <<EOF
#!/bin/sh
sent='$T/mta/sent'
n=\$(( \$(ls "\$sent" | wc -l) / 2 + 1 ))
printf '%s\\n' "\$@" >"\$sent/\$n.args"
cat >"\$sent/\$n.msg"
EOF
	chmod +x "$T/mta/bin/sendmail"
	git config --file "$T/gitconfig" sendemail.sendmailCmd "'$T/mta/bin/sendmail'"
	K=$T/linux
	mkdir -p "$K/scripts/kconfig" "$K/src" "$T/patches" "$T/results"
	: >"$K/Makefile"
	: >"$K/scripts/kconfig/.keep"
	printf 'SYNTHETIC\nM:\tAnn Maintainer <ann@example.org>\nF:\tsrc/\n' >"$K/MAINTAINERS"
	for f in a b; do printf 'int %s(void)\n{\n\treturn 0;\n}\n' "$f" >"$K/src/$f.c"; done
	# checkpatch.pl stand-in: a "+" line with FIXME is a WARNING, reported
	# as the real --terse output does (by patch line, or by source line).
	cat >"$K/scripts/checkpatch.pl" <<'EOF'
#!/bin/sh
showfile=0
for a; do case $a in --showfile) showfile=1 ;; --*) ;; *) p=$a ;; esac; done
awk -v p="$p" -v showfile="$showfile" '
	/^\+\+\+ b\// { file = substr($0, 7) }
	/^@@ / { split($3, a, /[+,]/); line = a[2] - 1; next }
	/^[+ ]/ && file != "" { line++ }
	/^\+.*FIXME/ { n++; print (showfile ? file ":" line : p ":" NR) ": WARNING: FIXME left in the code" }
	END { exit n > 0 }' "$p"
EOF
	# get_maintainer.pl stand-in: src/a.c is Ann's, src/b.c is Bob's, Rita
	# reviews both, and list@example.org carries them.
	cat >"$K/scripts/get_maintainer.pl" <<'EOF'
#!/bin/sh
m=1 l=1 r=1 roles=0 scm=0
for a; do
	case $a in
	--nom) m=0 ;; --nol) l=0 ;; --nor) r=0 ;; --rolestats) roles=1 ;; --norolestats) roles=0 ;;
	--scm) scm=1 ;; --*) ;; *) p=$a ;;
	esac
done
role() { [ "$roles" -eq 0 ] || printf ' (%s:SYNTHETIC)' "$1"; echo; }
if [ "$m" -eq 1 ]; then
	! grep -q '^+++ b/src/a.c' "$p" || { printf 'Ann Maintainer <ann@example.org>'; role maintainer; }
	! grep -q '^+++ b/src/b.c' "$p" || { printf 'Bob Maintainer <bob@example.org>'; role maintainer; }
fi
[ "$r" -eq 0 ] || { printf 'Rita Reviewer <rita@example.org>'; role reviewer; }
[ "$l" -eq 0 ] || { printf 'list@example.org'; [ "$roles" -eq 0 ] && echo || echo ' (open list:SYNTHETIC)'; }
[ "$scm" -eq 0 ] || echo 'git git://example.org/synthetic.git next'
EOF
	chmod +x "$K/scripts/checkpatch.pl" "$K/scripts/get_maintainer.pl"
	git -C "$K" init -q -b pristine
	git -C "$K" add -A
	git -C "$K" commit -q -m "pristine"
	git -C "$K" tag "$tag"
	git -C "$K" checkout -q -b dev/series
	commit a "src: Make a() return 1" "a() must report success."
	commit b "src: Make b() return 1" "b() must report success too."
	printf 'Synthetic: make a() and b() succeed\nTwo patches that a test prepares for sending.\n' \
		>"$T/patches/cover-letter.txt"
	printf '# What changed in each version, newest first.\n' >"$T/patches/changelog.txt"
}

# commit NAME SUBJECT BODY [TEXT]: change src/NAME.c to return 1 (or TEXT).
commit() {
	printf 'int %s(void)\n{\n\treturn %s;\n}\n' "$1" "${4:-1}" >"$K/src/$1.c"
	git -C "$K" commit -q -a -s -m "$2" -m "$3"
}

# boot_test VERDICT [STAMP]: record a boot-test of dev/series as boot-test.sh
# does: summary.json with the stable patch-ids of its patches.
boot_test() {
	ids=$(git -C "$K" format-patch --stdout "$tag..dev/series" | git patch-id --stable |
		cut -d' ' -f1 | sed 's/.*/"&"/' | paste -sd, - | sed 's/,/, /g')
	run=$T/results/${2:-20260101-000000}-series
	mkdir -p "$run"
	cat >"$run/summary.json" <<EOF
{
  "verdict": "$1",
  "exit_code": 0,
  "reason": "synthetic $1",
  "test_args": "",
  "variant": "series",
  "patch_ids": [$ids],
  "patches": []
}
EOF
}

# expect_recipients DIR: prep-report.txt in DIR lists each mail's recipients
# as the synthetic get_maintainer.pl assigns them.
expect_recipients() {
	cat >"$T/recipients.expected" <<'EOF'
Recipients:
  0000-cover-letter.patch
    To: Ann Maintainer <ann@example.org>
    To: Bob Maintainer <bob@example.org>
    Cc: Rita Reviewer <rita@example.org>
    Cc: list@example.org
  0001-src-Make-a-return-1.patch
    To: Ann Maintainer <ann@example.org>
    Cc: Rita Reviewer <rita@example.org>
    Cc: list@example.org
  0002-src-Make-b-return-1.patch
    To: Bob Maintainer <bob@example.org>
    Cc: Rita Reviewer <rita@example.org>
    Cc: list@example.org
EOF
	awk '/^Recipients:$/ { on = 1 } on' "$1/prep-report.txt" >"$T/recipients.reported"
	diff -u "$T/recipients.expected" "$T/recipients.reported" >&2 ||
		fail "prep-report.txt does not list the expected recipients (difference above)"
}

# expect_nothing_sent: the stand-in MTA was never run.
expect_nothing_sent() {
	[ -z "$(ls "$T/mta/sent")" ] || fail "send-prep ran the sendmail: $(ls "$T/mta/sent" | paste -sd' ' -)"
}

# expect_delivered SUBJECT ADDRESSES: the mail with that subject reached the
# stand-in MTA for exactly ADDRESSES (sorted, space-separated): its
# arguments without the options ("-i", "-f SENDER").
expect_delivered() {
	for m in "$T"/mta/sent/*.msg; do
		[ -f "$m" ] && grep -qxF "Subject: $1" "$m" || continue
		got=$(awk 'skip { skip = 0; next } $0 == "-f" { skip = 1; next } /^-/ { next } { print }' \
			"${m%.msg}.args" | sort | paste -sd' ' -)
		[ "$got" = "$2" ] || fail "'$1' was delivered to '$got', not '$2'"
		return 0
	done
	fail "no mail with the subject '$1' reached the stand-in MTA"
}

prep() {
	rc=0
	"$send_prep" --patches "$T/patches" --results "$T/results" "$@" >"$T/out.txt" 2>&1 || rc=$?
}

case_writes_expected_files() {
	boot_test pass
	prep
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc"; }
	d=$T/patches/v1
	for f in 0000-cover-letter.patch 0001-src-Make-a-return-1.patch 0002-src-Make-b-return-1.patch \
		prep-report.txt send-email-command.txt send-email-dry-run.txt; do
		expect_file "$d/$f"
	done
	[ ! -e "$d/range-diff.txt" ] || fail "version 1 has a range-diff"
	expect_grep '^Subject: \[PATCH 0/2\] Synthetic: make a() and b() succeed$' "$d/0000-cover-letter.patch"
	expect_grep '^Subject: \[PATCH 1/2\] src: Make a() return 1$' "$d/0001-src-Make-a-return-1.patch"
	expect_grep "^base-commit: $(git -C "$K" rev-parse "$tag")\$" "$d/0000-cover-letter.patch"
	expect_grep "^Based on $tag" "$d/0000-cover-letter.patch"
	expect_no_grep '^Changes in' "$d/0000-cover-letter.patch"
	# Per patch: its maintainer in To, the reviewer and the list in Cc.
	expect_grep '^To: Ann Maintainer <ann@example.org>$' "$d/0001-src-Make-a-return-1.patch"
	expect_grep '^To: Bob Maintainer <bob@example.org>$' "$d/0002-src-Make-b-return-1.patch"
	expect_grep '^Cc: Rita Reviewer <rita@example.org>,$' "$d/0001-src-Make-a-return-1.patch"
	expect_grep '^    list@example.org$' "$d/0002-src-Make-b-return-1.patch"
	expect_grep '^To: Ann Maintainer <ann@example.org>,$' "$d/0000-cover-letter.patch"
	expect_grep '^    Bob Maintainer <bob@example.org>$' "$d/0000-cover-letter.patch"
	expect_grep "^git send-email --confirm=always --from=\"Test Author <author@irqfd-rig-test.net>\" $d/\*.patch\$" \
		"$d/send-email-command.txt"
	[ "$(grep -c '^Dry-OK' "$d/send-email-dry-run.txt")" -eq 3 ] || fail "the dry run did not pass 3 mails"
	expect_recipients "$d"
	expect_nothing_sent
	expect_grep "^Boot-test: $T/results/20260101-000000-series: pass\$" "$d/prep-report.txt"
	expect_grep 'nothing was sent' "$T/out.txt"
}

# The command in send-email-command.txt, run with the test's stand-in MTA,
# mails exactly the recipients that prep-report.txt lists; git send-email
# also copies the author (From: and Signed-off-by:), as it does by default.
case_delivers_to_reported_recipients() {
	boot_test pass
	prep
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc"; }
	d=$T/patches/v1
	expect_recipients "$d"
	# Answering the prompt of --confirm=always needs a terminal.
	send=$(sed 's/ --confirm=always / --confirm=never /' "$d/send-email-command.txt")
	case $send in *" --confirm=never "*) ;; *) fail "no --confirm=always in $d/send-email-command.txt" ;; esac
	(cd "$T" && eval "$send") >"$T/send.txt" 2>&1 || { cat "$T/send.txt" >&2; fail "sending failed"; }
	[ "$(ls "$T"/mta/sent/*.msg | wc -l)" -eq 3 ] || fail "the stand-in MTA got $(ls "$T"/mta/sent/*.msg | wc -l) mails, not 3"
	expect_delivered '[PATCH 0/2] Synthetic: make a() and b() succeed' \
		'ann@example.org author@irqfd-rig-test.net bob@example.org list@example.org rita@example.org'
	expect_delivered '[PATCH 1/2] src: Make a() return 1' \
		'ann@example.org author@irqfd-rig-test.net list@example.org rita@example.org'
	expect_delivered '[PATCH 2/2] src: Make b() return 1' \
		'author@irqfd-rig-test.net bob@example.org list@example.org rita@example.org'
}

# prepare_v1_through TRANSPORT: send-prep of version 1 passes with a dry run
# through the transport that the regex TRANSPORT finds in its output (so
# the case tests the transport it means to), lists the expected recipients
# and sends nothing.
prepare_v1_through() {
	boot_test pass
	prep
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc"; }
	expect_grep "$1" "$T/patches/v1/send-email-dry-run.txt"
	expect_recipients "$T/patches/v1"
	expect_nothing_sent
}

# A sender with an MTA and no transport configured: git send-email takes
# /usr/sbin/sendmail, /usr/lib/sendmail or the first sendmail on PATH (here
# the stand-in), and reports a sendmail command line instead of "RCPT TO:".
# Their own habits come along: sendemail.annotate (with an editor that
# fails) must not stop the dry run.
case_reports_recipients_with_mta() {
	git config --file "$T/gitconfig" --unset sendemail.sendmailCmd
	git config --file "$T/gitconfig" sendemail.annotate true
	git config --file "$T/gitconfig" core.editor false
	export PATH="$T/mta/bin:$PATH"
	prepare_v1_through '^Sendmail: /[^ ]*/sendmail '
}

# A sender without an MTA: git send-email talks SMTP to localhost. This
# machine may have an MTA, so the test names localhost itself, as git does
# when it finds no sendmail; a dry run connects to nothing.
case_reports_recipients_without_mta() {
	git config --file "$T/gitconfig" --unset sendemail.sendmailCmd
	git config --file "$T/gitconfig" sendemail.smtpServer localhost
	prepare_v1_through '^Server: localhost$'
}

case_stops_on_checkpatch_warning() {
	commit a "src: Leave a note" "A note for later." "1; /* FIXME */"
	boot_test pass
	prep
	[ "$rc" -eq 1 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc, not 1"; }
	expect_grep '^send-prep.sh: checkpatch: 0003-src-Leave-a-note.patch:[0-9][0-9]*: WARNING: FIXME left in the code (at src/a.c:3)$' "$T/out.txt"
	expect_grep 'error: 1 problem(s); fix the commits on dev/series' "$T/out.txt"
	expect_no_grep 'checkpatch: 000[12]' "$T/out.txt"
	[ ! -e "$T/patches/v1" ] || fail "a failed send-prep left $T/patches/v1"
}

case_refuses_without_green_boot_test() {
	prep
	[ "$rc" -eq 1 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc with no boot-test"; }
	expect_grep "error: no boot-test of this series .* in $T/results: run 'make series-export SERIES_BRANCH=dev/series && make boot-test VARIANT=series'" "$T/out.txt"
	[ ! -e "$T/patches/v1" ] || fail "a refused send-prep left $T/patches/v1"
	# Green once, then red: the newest run of the series counts.
	boot_test pass 20260101-000000
	boot_test test-failure 20260102-000000
	prep
	[ "$rc" -eq 1 ] || fail "send-prep exited $rc after a red boot-test"
	expect_grep "the last boot-test of this series, $T/results/20260102-000000-series, is 'test-failure' (synthetic test-failure)" "$T/out.txt"
	# A green run of an older series proves nothing about this one.
	rm -rf "$T/results"/*
	boot_test pass
	commit b "src: Make b() return 2" "Two is better." 2
	prep
	[ "$rc" -eq 1 ] || fail "send-prep exited $rc with a proof of another series"
	expect_grep "no boot-test of this series" "$T/out.txt"
	[ ! -e "$T/patches/v1" ] || fail "a refused send-prep left $T/patches/v1"
}

case_version_bump_gives_range_diff() {
	boot_test pass 20260101-000000
	prep
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep of v1 exited $rc"; }
	# v2: patch 2 changes; without a changelog section it is refused.
	git -C "$K" reset -q --hard HEAD~1
	commit b "src: Make b() return 1" "b() must report success, as a() does."
	boot_test pass 20260102-000000
	prep --version 2
	[ "$rc" -eq 1 ] || fail "send-prep of v2 without a changelog section exited $rc"
	expect_grep "changelog.txt has no 'v2:' section" "$T/out.txt"
	printf 'v2:\n- Patch 2: say why b() must succeed.\n' >>"$T/patches/changelog.txt"
	prep
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep of v2 exited $rc"; }
	d=$T/patches/v2
	expect_file "$d/range-diff.txt"
	expect_grep '^1: *[0-9a-f]* = 1: *[0-9a-f]* src: Make a() return 1$' "$d/range-diff.txt"
	expect_grep '^2: *[0-9a-f]* ! 2: *[0-9a-f]* src: Make b() return 1$' "$d/range-diff.txt"
	expect_grep 'as a() does' "$d/range-diff.txt"
	expect_grep '^Subject: \[PATCH v2 0/2\] Synthetic' "$d/v2-0000-cover-letter.patch"
	expect_grep '^Subject: \[PATCH v2 2/2\] src: Make b() return 1$' "$d/v2-0002-src-Make-b-return-1.patch"
	expect_grep '^Changes in v2:$' "$d/v2-0000-cover-letter.patch"
	expect_grep '^- Patch 2: say why b() must succeed.$' "$d/v2-0000-cover-letter.patch"
	expect_file "$T/patches/v1/0000-cover-letter.patch"
	# v2's range-diff leaves the kernel tree's checkout alone.
	[ "$(git -C "$K" symbolic-ref --short HEAD)" = dev/series ] || fail "the kernel tree left dev/series"
	[ -z "$(git -C "$K" status --porcelain)" ] || fail "the kernel tree has changes"
}

case_maintainers_notes_current() {
	boot_test pass
	git -C "$K" format-patch -q -o "$T/patches" "$tag..dev/series"
	printf '# Notes\n<!-- generated: maintainers -->\n<!-- end: maintainers -->\nprose\n<!-- generated: testing -->\n<!-- end: testing -->\n<!-- generated: versions -->\n<!-- end: versions -->\n' \
		>"$T/notes.md"
	printf 'base test-failure Some.Test\nseries pass\nseries+hang splat INFO: task hung\n' >"$T/expect.txt"
	n() { "$notes" --patches "$T/patches" --expectations "$T/expect.txt" --file "$T/notes.md" "$@" >"$T/out.txt" 2>&1; }
	! n --check || fail "--check passed on empty blocks"
	expect_grep 'notes.md is not current' "$T/out.txt"
	n || { cat "$T/out.txt" >&2; fail "regenerating the notes failed"; }
	expect_grep '^| 1/2 src: Make a() return 1 | `src/a.c` | Ann Maintainer (maintainer:SYNTHETIC) | Rita Reviewer (reviewer:SYNTHETIC) | list@example.org | git://example.org/synthetic.git next |$' "$T/notes.md"
	expect_grep '^| `series+hang` | the series + canary `patches/canary/hang.patch` | splat: first report titled `INFO: task hung`... |$' "$T/notes.md"
	expect_grep '^No version prepared yet' "$T/notes.md"
	expect_grep '^prose$' "$T/notes.md"
	n --check || { cat "$T/out.txt" >&2; fail "--check failed right after regenerating"; }
	prep
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc"; }
	! n --check || fail "--check passed after send-prep wrote v1"
	n
	expect_grep '^- v1: `patches/v1/`, 3 mails, prepared .*; the first version.$' "$T/notes.md"
}

case_refuses_placeholder_identity() {
	boot_test pass
	git config --file "$T/gitconfig" --unset user.email
	prep
	[ "$rc" -eq 1 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc with no user.email"; }
	expect_grep 'error: no sender identity: git config has no user.name or user.email' "$T/out.txt"
	for address in author@example.org author@example.com author@mail.example author@host.invalid author@localhost; do
		git config --file "$T/gitconfig" user.email "$address"
		prep
		[ "$rc" -eq 1 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc from $address"; }
		expect_grep "error: the sender identity 'Test Author <$address>' from git config is a placeholder" "$T/out.txt"
	done
	[ ! -e "$T/patches/v1" ] || fail "a refused send-prep left $T/patches/v1"
}

# Patches written by the rig's neutral identity go out only as the sender's.
case_reauthors_placeholder_patches() {
	git -C "$K" reset -q --hard "$tag"
	for f in a b; do
		GIT_AUTHOR_NAME="Irqfd Rig" GIT_AUTHOR_EMAIL=irqfd-rig@example.org \
		GIT_COMMITTER_NAME="Irqfd Rig" GIT_COMMITTER_EMAIL=irqfd-rig@example.org \
			commit $f "src: Make $f() return 1" "$f() must report success."
	done
	before=$(git -C "$K" rev-parse dev/series)
	boot_test pass
	prep
	[ "$rc" -eq 1 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc on placeholder-authored patches"; }
	expect_grep '^  patch 1, src: Make a() return 1: author Irqfd Rig <irqfd-rig@example.org>$' "$T/out.txt"
	expect_grep 'with --reauthor' "$T/out.txt"
	[ ! -e "$T/patches/v1" ] || fail "a refused send-prep left $T/patches/v1"
	prep --reauthor
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep --reauthor exited $rc"; }
	expect_grep 're-authored 2 patch(es) as Test Author <author@irqfd-rig-test.net>' "$T/out.txt"
	for p in "$T"/patches/v1/*.patch; do
		expect_grep '^From: Test Author <author@irqfd-rig-test.net>$' "$p"
		expect_no_grep "irqfd-rig@example.org" "$p"
	done
	expect_grep '^Signed-off-by: Test Author <author@irqfd-rig-test.net>$' "$T/patches/v1/0001-src-Make-a-return-1.patch"
	[ "$(git -C "$K" rev-parse dev/series)" = "$before" ] || fail "send-prep changed dev/series"
}

# Someone else's patch keeps its author and gains the sender's sign-off.
case_signs_off_others_patches() {
	git -C "$K" reset -q --hard "$tag"
	GIT_AUTHOR_NAME="Other Developer" GIT_AUTHOR_EMAIL=other@elsewhere-dev.net \
	GIT_COMMITTER_NAME="Other Developer" GIT_COMMITTER_EMAIL=other@elsewhere-dev.net \
		commit a "src: Make a() return 1" "a() must report success."
	boot_test pass
	prep
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc"; }
	p=$T/patches/v1/0001-src-Make-a-return-1.patch
	expect_grep '^From: Test Author <author@irqfd-rig-test.net>$' "$p"
	expect_grep '^From: Other Developer <other@elsewhere-dev.net>$' "$p"
	[ "$(grep '^Signed-off-by: ' "$p" | paste -sd'|' -)" = \
		"Signed-off-by: Other Developer <other@elsewhere-dev.net>|Signed-off-by: Test Author <author@irqfd-rig-test.net>" ] ||
		{ grep '^Signed-off-by' "$p" >&2; fail "the sign-offs are not the author's, then the sender's"; }
	expect_grep "added 'Signed-off-by: Test Author <author@irqfd-rig-test.net>' to 1 patch(es)" "$T/out.txt"
}

# A fresh clone has patches/ but no series branch in the kernel tree.
case_imports_series_on_fresh_clone() {
	boot_test pass
	git -C "$K" format-patch -q -o "$T/patches" "$tag..dev/series"
	git -C "$K" checkout -q pristine
	git -C "$K" branch -q -D dev/series
	prep
	[ "$rc" -eq 0 ] || { cat "$T/out.txt" >&2; fail "send-prep exited $rc on a fresh clone"; }
	expect_grep "no branch dev/series in $K (a fresh clone?): importing the series from $T/patches" "$T/out.txt"
	[ "$(git -C "$K" rev-list --count "$tag..dev/series")" -eq 2 ] || fail "dev/series was not imported"
	expect_file "$T/patches/v1/0002-src-Make-b-return-1.patch"
	# Nothing to import from: said so.
	rm -rf "$T/patches"/0*.patch "$T/patches/v1"
	git -C "$K" checkout -q pristine
	git -C "$K" branch -q -D dev/series
	prep
	[ "$rc" -eq 1 ] || fail "send-prep exited $rc with neither branch nor patches"
	expect_grep "no branch dev/series in $K, and $T/patches holds no series to import" "$T/out.txt"
}

cases="writes_expected_files delivers_to_reported_recipients reports_recipients_with_mta
	reports_recipients_without_mta stops_on_checkpatch_warning refuses_without_green_boot_test
	version_bump_gives_range_diff maintainers_notes_current refuses_placeholder_identity
	reauthors_placeholder_patches signs_off_others_patches imports_series_on_fresh_clone"
if [ $# -eq 0 ]; then
	for c in $cases; do "$0" "$c" || exit 1; done
	exit 0
fi
case=$1
case " $(echo $cases) " in *" $case "*) ;; *) echo "unknown case $case (cases: $(echo $cases))" >&2; exit 2 ;; esac
setup
"case_$case"
echo "ok: $case"
