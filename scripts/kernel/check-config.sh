#!/bin/sh
# check-config.sh: check that every symbol each fragment asks for has the asked
# value in a .config. `# CONFIG_X is not set` (or X absent) counts as n.
#
# With CHECK_CONFIG_TREE set to the kernel tree, a symbol missing from the
# .config is looked up in its Kconfig files, to tell a symbol that does not
# exist from one that exists but cannot be set (no prompt, unmet dependency).
#
# Usage: scripts/kernel/check-config.sh DOTCONFIG FRAGMENT...
# Exit:  0 all survived; 1 some did not (each named with its fragment and
#        line); 2 usage/IO.
set -eu
PROG=$(basename -- "$0")
[ $# -ge 2 ] || { echo "usage: $PROG DOTCONFIG FRAGMENT..." >&2; exit 2; }
for f in "$@"; do
	[ -r "$f" ] || { echo "$PROG: error: cannot read $f" >&2; exit 2; }
done

awk -v prog="$PROG" -v tree="${CHECK_CONFIG_TREE:-}" '
FNR == 1 { nfile++ }
nfile == 1 {
	if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) {
		have[substr($0, 1, RLENGTH - 1)] = substr($0, RLENGTH + 1)
	} else if ($0 ~ /^# CONFIG_[A-Za-z0-9_]+ is not set$/) {
		have[$2] = "n"
	}
	next
}
/^[ \t]*$/ { next }
/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { check($2, "n"); next }
/^#/ { next }
match($0, /^CONFIG_[A-Za-z0-9_]+=/) {
	check(substr($0, 1, RLENGTH - 1), substr($0, RLENGTH + 1)); next
}
{ printf "%s: %s:%d: cannot parse: %s\n", prog, FILENAME, FNR, $0; bad++ }


function why(sym,   name, cmd, file) {
	if (tree == "") return " (unmet dependency or no such symbol)"
	name = substr(sym, 8)
	cmd = "git -C \"" tree "\" grep -l -E \"^[[:space:]]*(menu)?config[[:space:]]+" name "[[:space:]]*$\" -- \"*Kconfig*\" 2>/dev/null"
	file = ""
	cmd | getline file
	close(cmd)
	if (file == "") return ": no such symbol in any Kconfig file"
	return ": " name " is defined in " file " but cannot be set (no prompt, or an unmet dependency)"
}

function check(sym, want,   got) {
	checked++
	got = (sym in have) ? have[sym] : "absent"
	if (want == "n" && (got == "n" || got == "absent")) return
	if (got == want) return
	bad++
	if (got == "absent")
		printf "%s: %s:%d: %s=%s did not survive: not in .config%s\n", prog, FILENAME, FNR, sym, want, why(sym)
	else
		printf "%s: %s:%d: %s=%s did not survive: .config has %s=%s\n", prog, FILENAME, FNR, sym, want, sym, got
}
END {
	if (bad) { printf "%s: %d of %d requested symbols did not survive\n", prog, bad, checked; exit 1 }
	printf "%s: all %d requested symbols survived\n", prog, checked
}' "$@"
