#!/bin/sh
# test_widths.sh - every help text and every line of the README's tour
# fits 80 columns (measured in terminal columns: python3's unicodedata),
# on standard output and standard error alike, so a terminal or a mail
# shows them unbroken.  A command added to the tour or a help text that
# grows past 80 columns fails here.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"
PY=$(command -v python3) || skip "python3: not found (apt-get install python3)"

# fits NAME FILE: no line of FILE wider than 80 columns
fits() {
	"$PY" - "$2" <<'PYEOF' >"$T/why" 2>&1 && ok || bad "$1: $(cat "$T/why")"
import sys, unicodedata
def cols(s):
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf"
               else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
for n, line in enumerate(text.split("\n"), 1):
    if cols(line) > 80:
        sys.exit(f"line {n} is {cols(line)} columns: {line}")
PYEOF
}

# run NAME STATUS ARGS...: parley ARGS exits STATUS, its stdout and stderr
# fit 80 columns
run() {
	name=$1; want=$2; shift 2
	"$P" "$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" = "$want" ] && ok || { bad "$name: parley $* exited $got, wanted $want"; head -3 "$T/err"; }
	cat "$T/out" "$T/err" >"$T/$name"
	fits "$name" "$T/$name"
}

# ---- every help text
run help 0 --help
run usage 2
for c in forecast validate convert engines sweep compare report game ledger feasible \
	roadmap serve; do
	run "help-$c" 0 "$c" --help
done
for s in info solve convert solvers; do run "help-game-$s" 0 game "$s" --help; done
for s in keygen init append sign replay show status proof checkpoint witness cosign \
	bundle verify audit; do
	run "help-ledger-$s" 0 ledger "$s" --help
done
run help-ledger-party 0 ledger party add --help
run help-ledger-channel 0 ledger channel add --help
run ledger-usage 2 ledger

# ---- the tour (README.md), on the shipped data
K=$T/keys
L=$T/l.db
run forecast 0 forecast
run forecast-trace 0 forecast --engine eu --trace
run forecast-bilateral 0 forecast --forum bilateral
run forecast-trilateral 0 forecast --forum trilateral -e median
run validate 0 validate data/cases/korea-six-party.json
run engines 0 engines
run engines-v 0 engines -v
run compare 0 compare
run sweep 0 sweep -n 200 --threshold 50
run sweep-actor 0 sweep --by actor -e eu -n 100
run game-solve 0 game solve data/games/korea-crisis.efg
run game-info 0 game info data/games/korea-crisis.efg
run ledger-replay 0 ledger replay "$L" --script data/ledger/korea-2007.json --keys "$K" --seed 1
run ledger-status 0 ledger status "$L"
run ledger-status-wide 0 ledger status "$L" --wide
run forecast-trust 0 forecast --trust "$L"
run feasible 0 feasible
run roadmap 0 roadmap data/roadmaps/korea-2007.json
run roadmap-ledger 0 roadmap data/roadmaps/korea-2007.json --ledger "$L" --key "$K/PRK.key"
# and the other shipped cases
for c in data/cases/*.json; do
	run "forecast-$(basename "$c" .json)" 0 forecast "$c"
done
finish "widths"
