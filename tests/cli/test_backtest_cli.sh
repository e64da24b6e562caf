#!/bin/sh
# test_backtest_cli.sh - parley backtest end to end: the numbers of a hand
# computation, the same bytes for any thread count, a directory of a few
# hundred one-issue CSV files with '# outcome:' lines in well under a minute,
# calibration with --sweep, and exit status 2 with a clear message for bad
# input.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"

# ---- the hand computation of tests/unit/test_backtest.c, through the command
mkdir "$T/hand"
printf '# name: a\n# scale: 0 100\n# outcome: 50\nActor,Capability,Position,Salience\nX,1,0,1\nY,1,100,1\nZ,2,40,0.5\n' >"$T/hand/a.csv"
printf '# name: b\n# scale: 0 10\n# outcome: 5\nActor,Capability,Position,Salience\nX,1,2,1\nY,3,8,1\n' >"$T/hand/b.csv"
printf '# name: c\n# scale: 0 1\n# outcome: 0.6\nActor,Capability,Position,Salience\nX,1,0.2,1\nY,1,0.6,1\nZ,1,0.9,1\n' >"$T/hand/c.csv"
printf 'not a case\n' >"$T/hand/notes.txt"
expect 0 "" "$P" backtest "$T/hand" -e compromise,median
# compromise: |errors| 3.333, 15, 3.333 -> MAE 7.2, RMSE 9.1, median 3.3, bias +2.8
grep -q '^compromise *3 *7\.2 *9\.1 *3\.3 *+2\.8 *67% *67% *0$' "$T/out" && ok ||
	{ bad "compromise row"; cat "$T/out"; }
# median: errors -10, +30, 0 -> MAE 13.3, RMSE 18.3, median 10.0, bias +6.7
grep -q '^median *3 *13\.3 *18\.3 *10\.0 *+6\.7 *33% *67% *0$' "$T/out" && ok ||
	{ bad "median row"; cat "$T/out"; }
grep -q '3 issues with an outcome in 3 of 3 cases' "$T/out" && ok || bad "counts"
expect 0 "" "$P" backtest "$T/hand" -e compromise -f json
grep -q '"mae": 7.222222222222' "$T/out" && ok || bad "json mae"
grep -q '"engine": "compromise",' "$T/out" && ok || bad "json engine key"
expect 0 "" "$P" backtest "$T/hand/b.csv" -e compromise -f csv
grep -q "^$T/hand/b.csv,b,compromise,5,6.5,15,,,,,,\$" "$T/out" && ok || bad "csv row"
[ ! -s "$T/err" ] && ok || bad "progress bar written to a non-terminal"

# ---- the shipped cases by default; smp's skips counted, with the reason
expect 0 "" "$P" backtest
grep -q 'issues with an outcome in 3 of' "$T/out" && ok || bad "shipped cases"
grep -q '^note: smp skipped' "$T/out" && ok || bad "smp skip note"
narrow "$T/out" && ok || bad "table wider than 80 columns"
expect 0 "" "$P" backtest -f json
grep -q '"reason": ' "$T/out" && ok || bad "json skip reasons"
# named wherever they are installed, with each case's hash
grep -q '"case": "shipped/korea-six-party.json",' "$T/out" && ok || bad "shipped case named by its path"
grep -q '"case_sha256": "[0-9a-f]\{64\}",' "$T/out" && ok || bad "case_sha256"

# ---- a few hundred one-issue files, deterministic, and fast
mkdir "$T/many"
awk -v dir="$T/many" 'BEGIN { srand(7); for (f = 1; f <= 300; f++) {
	file = sprintf("%s/d%03d.csv", dir, f); n = 5 + int(rand() * 20)
	print "# name: d" f > file; print "# scale: 0 100" > file
	printf "# outcome: %d\n", int(rand() * 101) > file
	print "Actor,Capability,Position,Salience" > file
	for (a = 1; a <= n; a++)
		printf "A%d,%d,%d,%.2f\n", a, 1 + int(rand() * 100), int(rand() * 101), 0.05 + 0.95 * rand() > file
	close(file) } }'
start=$(date +%s)
"$P" backtest "$T/many" -j 1 -f json >"$T/j1" 2>"$T/err" && ok || { bad "300 files"; cat "$T/err"; }
end=$(date +%s)
[ $((end - start)) -lt 60 ] && ok || bad "300 files took $((end - start)) s (limit 60)"
grep -q '"issues": 300,' "$T/j1" && ok || bad "300 issues counted"
"$P" backtest "$T/many" -j 3 -f json >"$T/j3"
cmp -s "$T/j1" "$T/j3" && ok || bad "json differs between 1 and 3 threads"

# ---- calibration
expect 0 "" "$P" backtest data/cases/korea-six-party.json -e compromise,median --sweep 200 -f json
for k in '"in_50": ' '"in_80": ' '"crps": ' '"calibrated": 5' '"intervals": {'; do
	grep -qF "$k" "$T/out" && ok || bad "sweep json lacks $k"
done
"$P" backtest data/cases/korea-six-party.json -e median --sweep 200 -j 1 -f csv >"$T/s1"
"$P" backtest data/cases/korea-six-party.json -e median --sweep 200 -j 2 -f csv >"$T/s2"
cmp -s "$T/s1" "$T/s2" && ok || bad "sweep csv differs between 1 and 2 threads"
expect 0 "" "$P" backtest data/cases/korea-six-party.json -e median --sweep 200
grep -q '^calibration (200 samples per case)' "$T/out" && ok || bad "calibration table"

# ---- stacking and the ensemble engine
expect 0 "" "$P" backtest --stack -e compromise,median,eu,nash,smp,exchange
grep -q '^held-out MAE [0-9]' "$T/out" && ok || bad "stacking table"
grep -q '^  compromise:' "$T/out" && ok || bad "stacking weights"
narrow "$T/out" && ok || bad "stacking table wider than 80 columns"
expect 0 "" "$P" backtest --stack -e compromise,median,eu,nash,smp,exchange -f json
grep -q '"heldout_mae": ' "$T/out" && ok || bad "json heldout_mae"
# the shipped weights are this run's: ensemble's default is what --stack learns
w=$(sed -n 's/.*"weights_param": "\(.*\)".*/\1/p' "$T/out")
"$P" engines -v >"$T/eng"
grep -qF "$w" "$T/eng" && ok || bad "ensemble's default weights are not --stack's ($w)"
expect 0 "" "$P" forecast -e ensemble -f json
grep -q '"low": ' "$T/out" && ok || bad "ensemble interval"
expect 2 "is not a component" "$P" forecast -e ensemble -p weights=nope:1

# ---- output to a file
expect 0 "" "$P" backtest "$T/hand" -e median -f csv -o "$T/o.csv"
grep -q '^case,issue,engine,outcome,forecast,error' "$T/o.csv" && ok || bad "-o file"

# ---- bad input: exit 2 naming it
expect 2 "nope" "$P" backtest "$T/hand" -e nope
expect 2 "listed twice" "$P" backtest "$T/hand" -e median,median
expect 2 "--sweep '0'" "$P" backtest "$T/hand" --sweep 0
expect 2 "--format 'xml'" "$P" backtest "$T/hand" -f xml
expect 2 "$T/none.csv" "$P" backtest "$T/none.csv"
expect 2 "records one run" "$P" backtest "$T/hand" -e smp -p smp.log="$T/x.db"
expect 2 "no issue of the 1 case records an outcome" "$P" backtest data/cases/ec-car-emissions.json
mkdir "$T/empty"
expect 2 "holds no case file" "$P" backtest "$T/empty"
printf '# scale: 0 100\n# outcome: 500\nActor,Capability,Position,Salience\nX,1,50,1\n' >"$T/hand/z.csv"
expect 2 "z.csv" "$P" backtest "$T/hand"
rm "$T/hand/z.csv"
expect 2 "would replace the case" "$P" backtest "$T/hand/a.csv" -o "$T/hand/a.csv"
expect 0 "" "$P" backtest --help
grep -q '^usage: parley backtest' "$T/out" && ok || bad "help"

finish test_backtest_cli
