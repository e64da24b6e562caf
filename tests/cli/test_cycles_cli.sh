#!/bin/sh
# test_cycles_cli.sh - every dynamic engine follows one rule when its run
# cycles (issue 12; docs/models/eu.md, "Cycles"): the forecast is the mean
# over one period of the cycle, the same whatever --rounds once the cycle
# has repeated, with the stats cycle, cycle_low, cycle_high, cycle_mean and
# a note; cycle=last gives the last round's value instead, and sweeps count
# the samples that cycle.  eu's own cycle is tested in test_cli.sh; here smp
# and exchange, on two small cases found by a random search
# (tests/cli/data/smp-cycle.csv, exchange-cycle.csv), and the Korean case.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"

# stat NAME FILE: the value of "NAME": in a forecast's JSON (first issue)
stat() { sed -n "s/.*\"$1\": \\([-0-9.e+]*\\).*/\\1/p" "$2" | head -1; }

# cycles ENGINE CASE NOTE R1 R2 R3: the run cycles with that note; the forecast
# is the same at R1, R2 and R3 rounds and equals cycle_mean, inside
# [cycle_low, cycle_high]; cycle=last gives different values at R1..R3 (the
# phases of the cycle), each one of the cycle's
cycles() {
	e=$1 c=$2 note=$3
	shift 3
	expect_any 0 "$note" "$P" forecast "$c" -e $e -r $1
	for r in "$@"; do
		"$P" forecast "$c" -e $e -r $r -f csv | grep -v "^#" | cut -d, -f1-3 >"$T/$e.mean$r" || bad "$e -r $r"
		"$P" forecast "$c" -e $e -r $r -p cycle=last -f csv | grep -v "^#" | cut -d, -f1-3 >"$T/$e.last$r"
	done
	cmp -s "$T/$e.mean$1" "$T/$e.mean$2" && cmp -s "$T/$e.mean$2" "$T/$e.mean$3" && ok ||
		bad "$e on a cycle: the forecast depends on --rounds"
	cmp -s "$T/$e.last$1" "$T/$e.last$2" && bad "$e cycle=last: -r $1 and -r $2 agree" || ok
	"$P" forecast "$c" -e $e -r $1 -f json >"$T/$e.json"
	f=$(stat forecast "$T/$e.json") m=$(stat cycle_mean "$T/$e.json")
	lo=$(stat cycle_low "$T/$e.json") hi=$(stat cycle_high "$T/$e.json")
	[ -n "$m" ] && [ "$f" = "$m" ] && ok || bad "$e: forecast $f is not cycle_mean $m"
	awk -v f="$f" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo < f && f < hi) }' && ok ||
		bad "$e: forecast $f outside the cycle's range [$lo, $hi]"
	grep -q '"cycle": [0-9]' "$T/$e.json" && ok || bad "$e: no cycle stat"
	"$P" forecast "$c" -e $e -r $1 -p cycle=last -f json >"$T/$e.lastj"
	l=$(stat forecast "$T/$e.lastj")
	awk -v f="$l" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo <= f && f <= hi) }' && ok ||
		bad "$e cycle=last: $l outside the cycle's range"
	grep -q '"cycle_mean": ' "$T/$e.lastj" && ok || bad "$e cycle=last: the stats are missing"
}

# smp: from turn 17 the state (positions and ideals) repeats every 3 turns;
# KTAB's stop rule never holds, so the run goes to the turn limit (100)
cycles smp tests/cli/data/smp-cycle.csv \
	"no rest: from turn 17 the positions repeat every 3 turns" 99 100 101
# exchange (Equal Gain): from round 218 the positions repeat every 10 rounds
cycles exchange tests/cli/data/exchange-cycle.csv \
	"no rest: from round 218 the positions repeat every 10 rounds" 300 301 305

# before the cycle has repeated within the rounds run, the last round counts
"$P" forecast tests/cli/data/exchange-cycle.csv -e exchange -r 200 -f json >"$T/x200"
grep -q '"cycle"' "$T/x200" && bad "exchange: a cycle reported before it repeated" || ok
# draws that depend on the round never repeat a run: no cycle is looked for
"$P" forecast tests/cli/data/exchange-cycle.csv -e exchange -r 300 -p p=0.1 -f json >"$T/xp"
grep -q '"cycle"' "$T/xp" && bad "exchange p > 0: a cycle reported" || ok
"$P" forecast tests/cli/data/smp-cycle.csv -e smp -p StateTransitions=Stochastic -f json >"$T/ss"
grep -q '"cycle"' "$T/ss" && bad "smp Stochastic: a cycle reported" || ok

# sweeps count the samples that cycle, for every dynamic engine
"$P" sweep tests/cli/data/smp-cycle.csv -e smp -n 4 --exact --no-sensitivity -f json >"$T/sw1" ||
	bad "smp sweep"
grep -q '"cycling": 4,' "$T/sw1" && ok || bad "smp sweep: cycling not counted"
"$P" sweep tests/cli/data/exchange-cycle.csv -e exchange -r 300 -n 4 --exact --no-sensitivity \
	-f json >"$T/sw2" || bad "exchange sweep"
grep -q '"cycling": 4,' "$T/sw2" && ok || bad "exchange sweep: cycling not counted"
"$P" sweep tests/cli/data/smp-cycle.csv -e smp -n 4 --exact --no-sensitivity >"$T/sw3"
grep -q "100.0 % of samples end cycling between forecasts (the cycle's mean counts)" \
	"$T/sw3" && ok || bad "sweep table: no cycling line"
"$P" sweep tests/cli/data/smp-cycle.csv -e smp -p cycle=last -n 4 --exact --no-sensitivity >"$T/sw4"
grep -q "100.0 % of samples end cycling between forecasts (the last round counts)" \
	"$T/sw4" && ok || bad "sweep table, cycle=last: no cycling line"

# the Korean case: eu and smp give the same forecast at -r 10 and -r 11
# (issue 12).  exchange does not: its run neither rests nor cycles within
# 11 rounds, and a run that is still moving has no value independent of
# --rounds (docs/validity.md)
for e in eu smp; do
	"$P" forecast -e $e -r 10 -f csv | grep -v "^#" | cut -d, -f1-3 >"$T/k10" || bad "$e -r 10"
	"$P" forecast -e $e -r 11 -f csv | grep -v "^#" | cut -d, -f1-3 >"$T/k11"
	cmp -s "$T/k10" "$T/k11" && ok || bad "$e on the Korean case depends on --rounds"
done
"$P" forecast -e exchange -r 10 -f csv | grep -v "^#" | cut -d, -f1-3 >"$T/k10"
"$P" forecast -e exchange -r 11 -f csv | grep -v "^#" | cut -d, -f1-3 >"$T/k11"
cmp -s "$T/k10" "$T/k11" && bad "exchange on the Korean case at rest (update docs/validity.md)" || ok

# every engine that runs rounds takes the parameter
"$P" engines -v >"$T/eng"
for e in eu smp exchange; do
	awk -v e="$e" '/^[a-z]/ { on = $1 == e } on && /^    cycle=mean / { found = 1 }
		END { exit !found }' "$T/eng" && ok || bad "$e lacks the cycle parameter"
done
expect 2 "cycle" "$P" forecast -e smp -p cycle=first
expect 2 "cycle" "$P" forecast -e exchange -p cycle=first

finish test_cycles_cli
