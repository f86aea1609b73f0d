#!/bin/sh
# end-to-end-test.sh SYMBOLIZE FIXTURE SRCDIR: symbolize-splats on a report
# that the fixture program prints of its own stack: the RIP frame must give
# the faulting line, the caller's frame the line of its call, a "? " frame
# is unreliable, the frame the title blames is the guilty one, and the tree's
# get_maintainer.pl (a stand-in here) names who maintains its file.
set -eu
symbolize=$1 fixture=$2 src=$3
t=$(mktemp -d "${TMPDIR:-/tmp}/symbolize-test.XXXXXX")
trap 'rm -rf "$t"' EXIT
fail() { echo "symbolize end-to-end: FAIL: $*" >&2; exit 1; }

# A kernel tree of one file, with a get_maintainer.pl that answers for it.
mkdir -p "$t/tree/scripts"
ln -s "$src/fixture.cc" "$t/tree/fixture.cc"
cat >"$t/tree/scripts/get_maintainer.pl" <<'PL'
my $file = $ARGV[-1];
print "Fixture Maintainer <fixture\@example.org>\nfixture-list\@example.org ($file)\n";
PL

"$fixture" >"$t/report.txt" 2>"$t/expect.txt"
fault_line=$(awk -F= '$1 == "fault_line" {print $2}' "$t/expect.txt")
call_line=$(awk -F= '$1 == "call_line" {print $2}' "$t/expect.txt")
jq -Rs '[{file: "serial.log", line: 7, kind: "BUG", title: "kernel BUG in fixture_crash", count: 1, corrupted: false, text: .}]' \
	"$t/report.txt" >"$t/reports.json"
"$symbolize" --vmlinux "$fixture" --tree "$t/tree" "$t/reports.json" >"$t/frames.json" ||
	fail "symbolize-splats exited $?"

jq -e 'length == 1 and .[0].line == 7 and .[0].title == "kernel BUG in fixture_crash"' "$t/frames.json" >/dev/null ||
	fail "not one report with its line and title: $(jq -c '[.[] | {line, title}]' "$t/frames.json")"
jq -e --argjson l "$fault_line" '.[0].frames[0] | .function == "fixture_crash" and .stack == "RIP" and .file == "fixture.cc" and .line == $l and .guilty' \
	"$t/frames.json" >/dev/null || fail "the RIP frame is not fixture.cc:$fault_line, guilty: $(jq -c '.[0].frames[0]' "$t/frames.json")"
jq -e '.[0].frames[1] | .function == "fixture_unrelated" and .reliable == false and .guilty == false' "$t/frames.json" >/dev/null ||
	fail "the '? ' frame is not unreliable: $(jq -c '.[0].frames[1]' "$t/frames.json")"
jq -e --argjson l "$call_line" '.[0].frames[2] | .function == "fixture_caller" and .file == "fixture.cc" and .line == $l and .stack == "Call Trace"' \
	"$t/frames.json" >/dev/null || fail "the caller's frame is not its call at fixture.cc:$call_line: $(jq -c '.[0].frames[2]' "$t/frames.json")"
jq -e --argjson l "$fault_line" '.[0].guilty == {function: "fixture_crash", file: "fixture.cc", line: $l}' "$t/frames.json" >/dev/null ||
	fail "guilty is not fixture_crash at fixture.cc:$fault_line: $(jq -c '.[0].guilty' "$t/frames.json")"
jq -e '.[0].maintainers == ["Fixture Maintainer <fixture@example.org>", "fixture-list@example.org (fixture.cc)"]' "$t/frames.json" >/dev/null ||
	fail "maintainers: $(jq -c '.[0].maintainers' "$t/frames.json")"

# A vmlinux that is not there is an error that says so.
rc=0
"$symbolize" --vmlinux "$t/none" --tree "$t/tree" "$t/reports.json" >/dev/null 2>"$t/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "no vmlinux at $t/none" "$t/err" || fail "missing vmlinux: exit $rc, $(cat "$t/err")"
echo "symbolize end-to-end: ok"
