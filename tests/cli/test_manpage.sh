#!/bin/sh
# test_manpage.sh - parley(1)'s SYNOPSIS lists every option each command's
# --help lists (but -h/--help), so the two do not drift apart.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=${PARLEY_SOURCE_ROOT:-.}
. "$ROOT/tests/cli/lib.sh"
MAN=$ROOT/cli/parley.1
# the synopsis of COMMAND: from ".B parley COMMAND" to the next ".B parley"
synopsis() {
	sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$MAN" |
		awk -v c=".B parley $1" 'index($0, ".B parley ") == 1 { on = index($0, c) == 1 }
			on' | sed 's/\\-/-/g'
}
for cmd in forecast validate convert engines sweep compare backtest report game roadmap feasible; do
	"$P" $cmd --help >"$T/help" 2>&1
	syn=$(synopsis "$cmd")
	[ -n "$syn" ] && ok || bad "parley.1: no synopsis for $cmd"
	for o in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
		[ "$o" = --help ] && continue
		echo "$syn" | grep -q -- "$o\\b" && ok ||
			bad "parley.1: the synopsis of $cmd lacks $o (in 'parley $cmd --help')"
	done
done
# report writes standard output without -o: the synopsis must not require it
synopsis report | grep -q '^\.B -o' && bad "parley.1: report's -o shown as required" || ok
"$P" report --help | grep -q 'usage: parley report \[CASE\] \[-o FILE\]' && ok ||
	bad "report --help: -o shown as required"
finish manpage
