#!/bin/sh
# test_analysis_cli.sh - parley sweep, compare and report end to end: output
# with provenance, the same bytes for any thread count, files written
# atomically, and exit status 2 with a clear message for bad options.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"

# ---- sweep
expect 0 "" "$P" sweep -n 300 --threshold 50 --threshold nuclear:30
grep -q 'P(forecast >= 30)' "$T/out" && ok || bad "threshold line"
grep -q 'sensitivity: first-order' "$T/out" && ok || bad "sensitivity table"
[ ! -s "$T/err" ] && ok || bad "progress bar written to a non-terminal"
expect 0 "" "$P" sweep -n 300 -f json
for k in '"engine": "compromise"' '"seed": 1' '"samples": 300' '"sha256": "' '"parley": "' \
	'"params": ""' '"first_ci95"' '"quantiles"'; do
	grep -qF "$k" "$T/out" && ok || bad "sweep json lacks $k"
done
"$P" sweep -n 700 -t 1 -f json >"$T/t1" && "$P" sweep -n 700 -t 2 -f json >"$T/t2" &&
	cmp -s "$T/t1" "$T/t2" && ok || bad "json differs between 1 and 2 threads"
"$P" sweep -n 700 -t 1 -f csv --engine median >"$T/c1" &&
	"$P" sweep -n 700 -t 3 -f csv --engine median >"$T/c3" &&
	cmp -s "$T/c1" "$T/c3" && ok || bad "csv differs between 1 and 3 threads"
grep -q '^# sweep; engine median; params ; seed 1; rounds 0; samples 700' "$T/c1" && ok ||
	bad "csv provenance"
grep -q '^nuclear,first,position USA nuclear,' "$T/c1" && ok || bad "csv index rows"
grep -q '^nuclear,total,' "$T/c1" && bad "csv: a total index from given data" || ok
"$P" sweep -n 300 -f csv --engine median --sensitivity design >"$T/cd" &&
	grep -q '^nuclear,total,position USA nuclear,' "$T/cd" && ok || bad "csv total rows (design)"
grep -q '"sensitivity": "given data' "$T/t1" && ok || bad "json: the given-data method not named"
expect 0 "" "$P" sweep -n 300 --sensitivity design
grep -q 'ST ' "$T/out" && ok || bad "table: no total index with --sensitivity design"
expect 2 "--sensitivity 'fast' must be given or design" "$P" sweep --sensitivity fast
"$P" sweep -n 700 -s 2 -f csv --engine median >"$T/c2"
cmp -s "$T/c1" "$T/c2" && bad "seeds 1 and 2 give the same bytes" || ok
expect 0 "" "$P" sweep -n 100 --forum four-party --no-sensitivity -f json -o "$T/s.json"
grep -q '"forum": "four-party"' "$T/s.json" && ok || bad "forum in json"
grep -q '"sensitivity": null' "$T/s.json" && ok || bad "--no-sensitivity"

expect 0 "" "$P" sweep -n 300 --by actor -f json
grep -q '"factors_by": "actor"' "$T/out" && ok || bad "--by actor in json"
grep -q '"factor": "actor PRK"' "$T/out" && ok || bad "actor factor"
# --over: one sweep per value, each what -p NAME=VALUE gives
expect 0 "" "$P" sweep -e exchange --exact --no-sensitivity -n 20 --over p=0:1:0.25 -f json
python3 - "$T/out" <<'PY' && ok || bad "sweep --over json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["parameter"] == "p" and d["values"] == ["0", "0.25", "0.5", "0.75", "1"], d["values"]
assert [s["value"] for s in d["sweeps"]] == d["values"]
assert all(s["samples"] == 20 and s["engine"] == "exchange" for s in d["sweeps"])
assert d["sweeps"][2]["params"] == "cycle=mean,p=0.5,rate=equal"
PY
"$P" sweep -e exchange --exact --no-sensitivity -n 20 -p p=0.5 -f json >"$T/one" &&
	python3 - "$T/out" "$T/one" <<'PY' && ok || bad "--over value differs from -p"
import json, sys
over, one = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
s = over["sweeps"][2]
del s["value"]
assert s == one
PY
"$P" sweep -e exchange --exact --no-sensitivity -n 20 --over p=0.1,0.9 -t 1 -f csv >"$T/o1" &&
	"$P" sweep -e exchange --exact --no-sensitivity -n 20 --over p=0.1,0.9 -t 2 -f csv >"$T/o2" &&
	cmp -s "$T/o1" "$T/o2" && ok || bad "--over csv differs between 1 and 2 threads"
grep -q '^p,issue,quantity,factor,value,lo,hi$' "$T/o1" && ok || bad "--over csv header"
grep -q '^0.9,nuclear,mean,,' "$T/o1" && ok || bad "--over csv rows"
expect 0 "" "$P" sweep -e exchange --exact --no-sensitivity -n 5 --over p=0:0.2:0.1
grep -q '^0.1      nuclear' "$T/out" && ok || bad "--over table row"
expect 2 "--over 'p=1:0:0.5': STEP must be above 0 and STOP at least START" \
	"$P" sweep -e exchange --over p=1:0:0.5
expect 2 "--over 'p=0:1': START, STOP and STEP must be numbers" "$P" sweep -e exchange --over p=0:1
expect 2 "--over p: the parameter is also given as 'p=0.5'" \
	"$P" sweep -e exchange -p p=0.5 --over p=0,1
expect 2 "engine 'exchange' has no parameter 'q'" "$P" sweep -e exchange --over q=0,1
expect 2 "--by 'issue' must be input, actor or kind" "$P" sweep --by issue
expect 2 "--samples '0' must be a whole number" "$P" sweep -n 0
expect 2 "--samples 'x' must be a whole number" "$P" sweep -n x
expect 2 "--threads '0' must be a whole number" "$P" sweep -t 0
expect 2 "--bins '0' must be a whole number" "$P" sweep --bins 0
expect 2 "--format 'xml' must be table, json or csv" "$P" sweep --format xml
expect 2 "unknown engine 'oracle'" "$P" sweep --engine oracle
expect 2 "unknown option '--bogus'" "$P" sweep --bogus
expect 2 "no forum 'g20'" "$P" sweep --forum g20
expect 2 "has no parameter 'x'" "$P" sweep --param x=1
expect 2 "no issue 'nope'" "$P" sweep --threshold nope:5
expect 2 "must be [ISSUE:]X, >=X (at least X)" "$P" sweep --threshold nuclear:abc
# eu runs that end in a cycle are counted (docs/models/eu.md, step 8)
"$P" sweep -e eu -n 300 --no-sensitivity -f json >"$T/cyc.json" || bad "eu sweep"
grep -q '"cycling": [1-9]' "$T/cyc.json" && ok || bad "eu sweep counts no cycling samples"
"$P" sweep -e compromise -n 100 --no-sensitivity -f json >"$T/cyc0.json" || bad "compromise sweep"
grep -q '"cycling": [1-9]' "$T/cyc0.json" && bad "a static engine's samples cycle" || ok
"$P" sweep -e eu -n 300 --no-sensitivity >"$T/cyc.txt" || bad "eu sweep table"
grep -q '% of samples end cycling between forecasts' "$T/cyc.txt" && ok || bad "eu sweep table: no cycling line"
expect 2 "threshold 150 is outside issue 'nuclear''s scale [0, 100]" "$P" sweep -n 10 --threshold 150
expect 2 "threshold -1 is outside issue 'security''s scale" "$P" sweep -n 10 --threshold security:-1
expect 2 "no forum 'g20'" "$P" sweep --forum g20 -o "$T/never.json"
[ ! -e "$T/never.json" ] && ok || bad "failed sweep wrote a file"
# the rounds and the parameters are recorded in every format
"$P" sweep -n 20 -e eu -r 2 -f json >"$T/r2.json" && "$P" sweep -n 20 -e eu -f json >"$T/r10.json"
grep -q '"rounds": 2,' "$T/r2.json" && grep -q '"rounds": 10,' "$T/r10.json" && ok ||
	bad "sweep json lacks rounds"
grep -q '"params": "capitulation=off,' "$T/r2.json" && ok || bad "sweep json lacks eu's params"
"$P" sweep -n 20 -e eu -r 2 -f csv | grep -q '^# sweep; engine eu; params capitulation=off,.*; seed 1; rounds 2; samples 20;' &&
	ok || bad "sweep csv lacks rounds"
expect 0 "" "$P" sweep -n 20 -e eu -r 2 -s 7
grep -q '^eu: seed 7; rounds 2; params capitulation=off,' "$T/out" && ok ||
	bad "sweep table lacks seed, rounds or params"
narrow "$T/out" && ok || bad "sweep table too wide"
# one sample: no spread and no index, not a certain 0
expect 0 "" "$P" sweep -n 1
grep -q 'engine compromise, 1 sample,' "$T/out" && ok || bad "sweep table says '1 samples'"
grep -q '^nuclear .* n/a ' "$T/out" && ok || bad "sweep -n 1: sd is not n/a"
grep -q 'n/a: the indices need 2 samples' "$T/out" && ok || bad "sweep -n 1: indices not n/a"
grep -q '0\.00 \[' "$T/out" && bad "sweep -n 1 prints an index of 0.00" || ok
expect 0 "" "$P" sweep -n 1 -f json
grep -q '"sd": null' "$T/out" && grep -q '"total": null' "$T/out" && ok ||
	bad "sweep -n 1 json: sd and total are not null"
grep -q '"total": 0' "$T/out" && bad "sweep -n 1 json: an index of 0" || ok
expect 0 "" "$P" sweep -n 1 -f csv
grep -q '^nuclear,sd,,,,$' "$T/out" && grep -q '^nuclear,first,position USA nuclear,,,$' "$T/out" &&
	ok || bad "sweep -n 1 csv: sd and first are not empty"
expect 0 "" "$P" sweep -n 1 -f csv --sensitivity design
grep -q '^nuclear,total,position USA nuclear,,,$' "$T/out" && ok ||
	bad "sweep -n 1 csv (design): total is not empty"
expect 0 "" "$P" sweep -n 2 -f json
grep -q '"sd": null' "$T/out" && bad "sweep -n 2: sd is null" || ok
# uncertainty: what was drawn from, not what the case declares
C=data/cases/ec-car-emissions.json
expect 0 "" "$P" sweep "$C" -n 5 --exact
grep -q '^uncertainty: none (every input exact)' "$T/out" && ok || bad "--exact says '$(grep uncertainty "$T/out")'"
expect 0 "" "$P" sweep "$C" -n 5
grep -q '^uncertainty: parley defaults' "$T/out" && ok || bad "defaults not said"
expect 0 "" "$P" sweep "$C" -n 5 --exact -f csv
grep -q '; uncertainty none$' "$T/out" && ok || bad "--exact csv uncertainty"

# ---- thresholds: at least, at most (lower is better), a range (issue 17)
expect 0 "" "$P" sweep -n 300 -e median --no-sensitivity --threshold '<=30' --threshold 40..60 \
	--threshold 'nuclear:>=10' --threshold 30
grep -q "^    P(forecast <= 30) = " "$T/out" && grep -q "^    P(40 <= forecast <= 60) = " "$T/out" &&
	grep -q "^    P(forecast >= 10) = " "$T/out" && ok || bad "sweep table: threshold kinds"
"$P" sweep -n 300 -e median --no-sensitivity --threshold '<=30' --threshold 30 \
	--threshold 30..30 --threshold 40..60 --threshold 0..100 -f json >"$T/thr.json" || bad "sweep json thresholds"
python3 - "$T/thr.json" <<'PYEOF' && ok || bad "threshold probabilities disagree"
import json, sys
d = json.load(open(sys.argv[1]))
for i in d["issues"]:
    t = i["thresholds"]
    get = lambda key, v: [x["p"] for x in t if x.get(key) == v][0]
    ge, le, eq = get("at_least", 30.0), get("at_most", 30.0), get("between", [30.0, 30.0])
    # P(f >= 30) + P(f <= 30) - P(f = 30) = 1, and the whole scale is 1
    assert abs(ge + le - eq - 1) < 1e-12, (i["issue"], ge, le, eq)
    assert get("between", [0.0, 100.0]) == 1.0, i["issue"]
    kinds = [next(k for k in ("at_least", "at_most", "between") if k in x) for x in t]
    assert kinds == ["at_least", "at_most", "between", "between", "between"], kinds
PYEOF
"$P" sweep -n 50 -e median --no-sensitivity --threshold 'nuclear:<=30' --threshold 20..80 -f csv |
	grep -q '^nuclear,p_at_most_30,' && ok || bad "sweep csv: p_at_most_30"
"$P" sweep -n 50 -e median --no-sensitivity --threshold 20..80 -f csv |
	grep -q '^nuclear,p_between_20_80,' && ok || bad "sweep csv: p_between_20_80"
expect 2 "the range A..B needs A <= B" "$P" sweep -n 5 --threshold 60..40
expect 2 "must be [ISSUE:]X, >=X (at least X), <=X" "$P" sweep -n 5 --threshold '<=x'
expect 2 "must be [ISSUE:]X" "$P" sweep -n 5 --threshold '>=40..60'
expect 2 "threshold range 50..120 is outside issue 'nuclear''s scale" "$P" sweep -n 5 --threshold 50..120

# ---- compare
expect 0 "" "$P" compare
for k in "against six-party (6 of 6 actors at the table)" "bilateral" "trilateral" \
	"gains most" "agree: how many engines land within 10%"; do
	grep -qF "$k" "$T/out" && ok || bad "compare table lacks '$k'"
done
narrow "$T/out" && ok || bad "compare table too wide"
expect 0 "" "$P" compare --forums bilateral,six-party --baseline bilateral --engine median -f json
grep -q '"baseline": "bilateral"' "$T/out" && ok || bad "compare json baseline"
grep -q '"gain"' "$T/out" && ok || bad "compare json gain"
expect 0 "" "$P" compare -f csv
grep -q '^six-party,nuclear,mean,' "$T/out" && ok || bad "compare csv"
# engine, parameters, seed and rounds in every format
for s in 1 2; do
	"$P" compare -e smp,median -p smp.StateTransitions=Stochastic -s $s >"$T/cmp$s" &&
		"$P" compare -e smp,median -p smp.StateTransitions=Stochastic -s $s -f csv >"$T/cmp$s.csv" &&
		"$P" compare -e smp,median -p smp.StateTransitions=Stochastic -s $s -f json >"$T/cmp$s.json" ||
		bad "compare -s $s failed"
	grep -q "^smp: seed $s; rounds 100; params BargnModel=" "$T/cmp$s" && ok ||
		bad "compare table lacks smp's seed, rounds or params"
	grep -q "^  StateTransitions=Stochastic," "$T/cmp$s" && ok || bad "compare table params"
	grep -q "^median: seed $s; params (none)" "$T/cmp$s" && ok || bad "compare table median"
	grep -q "^# engine smp; params .*StateTransitions=Stochastic.*; seed $s; rounds 100$" "$T/cmp$s.csv" &&
		ok || bad "compare csv lacks smp's provenance"
	grep -q "^# engine median; params ; seed $s; rounds 0$" "$T/cmp$s.csv" && ok ||
		bad "compare csv lacks median's provenance"
	grep -q "\"seed\": $s," "$T/cmp$s.json" && grep -q '"rounds": 100,' "$T/cmp$s.json" && ok ||
		bad "compare json lacks seed or rounds"
done
narrow "$T/cmp1" && ok || bad "compare table with params too wide"
"$P" compare -e smp -r 3 -f json | grep -q '"rounds": 3,' && ok || bad "compare json: -r 3"
expect 0 "" "$P" compare -e median
grep -q 'mean: over the 1 engine;' "$T/out" && ok || bad "compare says '1 engines'"
expect 2 "no forum 'g20'" "$P" compare --forums bilateral,g20
expect 2 "is not among the formats compared" "$P" compare --forums bilateral,trilateral --baseline six-party
# issue 17: the table's columns tell formats apart; identical formats once;
# no -0.0; nothing to compare is said, not printed as a self-comparison
expect 0 "" "$P" compare
grep -q "^everyone gives the same forecasts as six-party: shown once, as six-party$" "$T/out" &&
	ok || bad "compare: everyone and six-party not merged"
grep -q "^  everyone " "$T/out" && bad "compare: the everyone row is still printed" || ok
grep -q -- "-0\.0\b" "$T/out" && bad "compare prints -0.0" || ok
awk '/^  (bilateral|three-party|four-party|six-party\*|trilateral) .*[0-9]\/[0-9]$/ {print $NF}' "$T/out" |
	sort -u >"$T/agree"
[ "$(wc -l <"$T/agree")" -ge 3 ] && ok || bad "compare: the agree column does not tell rows apart"
expect 0 "" "$P" compare -e compromise,median,eu,nash,smp,exchange
grep -q "^  bilateral .* 3/6$" "$T/out" && ok || bad "compare: bilateral nuclear agree"
expect 2 "case 'copenhagen-cop15' declares no forum: there is nothing to compare" \
	"$P" compare data/cases/copenhagen-cop15.json
expect 2 "forums 'six-party' names one format: there is nothing to compare it with" \
	"$P" compare --forums six-party
# a small forum is not the default baseline: everyone is (the case itself)
python3 - data/cases/korea-six-party.json "$T/small.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["forums"] = [f for f in d["forums"] if f["id"] == "bilateral"]
json.dump(d, open(sys.argv[2], "w"))
PYEOF
expect 0 "" "$P" compare "$T/small.json" -e median
grep -q "^forum formats against everyone (6 of 6 actors at the table)$" "$T/out" && ok ||
	bad "compare: a two-member forum became the baseline"
expect 2 "unknown engine 'oracle'" "$P" compare --engine median,oracle
expect 2 "write parameters as ENGINE.NAME=VALUE" "$P" compare --param x=1
expect 2 "listed twice" "$P" compare --forums bilateral,bilateral
# smp's log under compare: one file, one run per forum, told apart by forum
expect 2 "is a directory: the output must name a file" "$P" compare --engine smp -p smp.log="$T"
expect 2 "its directory does not exist" "$P" forecast --engine smp -p log="$T/no/x.db"
expect 0 "" "$P" compare --engine smp,median -p smp.log="$T/cmp.db" -p smp.threads=2 -f csv
[ -s "$T/cmp.db" ] && ok || bad "compare wrote no smp log"
ls "$T" | grep -q 'cmp\.db\.' && bad "compare left part or temporary files" || ok
if command -v sqlite3 >/dev/null 2>&1; then
	forums=$(sqlite3 "$T/cmp.db" "SELECT group_concat(forum, ' ') FROM (SELECT forum FROM run ORDER BY run)")
	[ "$forums" = "everyone bilateral three-party four-party six-party trilateral" ] && ok ||
		bad "compare's smp log has runs '$forums'"
	n=$(sqlite3 "$T/cmp.db" "SELECT count(DISTINCT run) FROM position")
	[ "$n" = 6 ] && ok || bad "compare's smp log has positions of $n runs"
	# a compare's run of a forum logs what a forecast of that forum logs
	expect 0 "" "$P" compare --engine smp --forums six-party,bilateral -p smp.log="$T/one.db"
	for t in $(sqlite3 "$T/one.db" .tables); do
		sqlite3 "$T/one.db" "DELETE FROM $t WHERE run <> 1"
	done
	expect 0 "" "$P" forecast --engine smp --forum six-party -p log="$T/fc.db"
	[ "$(sqlite3 "$T/one.db" .dump)" = "$(sqlite3 "$T/fc.db" .dump)" ] && ok ||
		bad "compare of one forum and forecast of that forum log different rows"
fi

# ---- an engine that cannot take a case is "not run", as forecast skips it
PARIS="${PARLEY_SOURCE_ROOT:-.}/data/cases/paris-cop21.json"
expect 0 "smp skipped: amb2050: smp runs all issues at once" "$P" forecast "$PARIS"
# compare needs forums: copies of the cases with one added
python3 - "$PARIS" "$T/paris.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["forums"] = [{"id": "big", "members": [a["id"] for a in d["actors"]][:10]}]
json.dump(d, open(sys.argv[2], "w"))
PYEOF
expect 0 "" "$P" compare "$T/paris.json"
tr '\n' ' ' <"$T/out" | sed 's/  */ /g' >"$T/flat"
grep -q "note: smp did not run under everyone: amb2050: smp runs all issues at once" "$T/flat" &&
	ok || bad "compare does not say why smp did not run"
expect 0 "" "$P" compare "$T/paris.json" -f json
grep -q '"not_run": "amb2050: smp runs all issues' "$T/out" && ok || bad "compare json not_run"
printf '{"issues":[{"id":"i"}],"forums":[{"id":"f","members":["A"]}],"actors":[{"id":"A","capability":10,"stances":{"i":{"position":30,"salience":50}}}]}' >"$T/one.json"
printf '{"issues":[{"id":"i"}],"forums":[{"id":"f","members":["A","C"]}],"actors":[{"id":"A","capability":10,"stances":{"i":{"position":30,"salience":50}}},{"id":"B","capability":10,"stances":{"i":{"position":70,"salience":0}}},{"id":"C","capability":10,"stances":{"i":{"position":60,"salience":40}}}]}' >"$T/zero.json"
printf 'Actor,Capability,Position,Salience\nA,10,30,50\n' >"$T/one.csv"
printf 'Actor,Capability,Position,Salience\nA,10,30,50\nB,10,70,0\nC,10,60,40\n' >"$T/zero.csv"
expect 0 "" "$P" compare "$T/one.json"
grep -q "note: smp did not run under everyone: smp: smp needs at least 2 actors" "$T/out" &&
	ok || bad "compare of one actor"
expect 0 "" "$P" compare "$T/zero.json"
grep -q "  format  .* smp " "$T/out" && ! grep -q "smp did not run under everyone" "$T/out" &&
	ok || bad "compare of an actor with salience 0"
expect 2 "no engine can run under any format compared: smp: smp needs at least 2 actors" \
	"$P" compare "$T/one.json" -e smp
printf '{"issues":[{"id":"x"}],"actors":[{"id":"A","capability":0,"stances":{"x":{"position":5,"salience":5}}}]}' >"$T/nobody.json"
expect 2 "no engine can run this case" "$P" forecast "$T/nobody.json"
# a sweep of an engine that cannot run: exit 2 with forecast's reason
expect 2 "amb2050: smp runs all issues at once and needs every actor's stance" \
	"$P" sweep "$PARIS" -e smp -n 20
expect 0 "" "$P" sweep "$T/zero.csv" -e smp -n 20

# ---- -p: the same rules for forecast, compare and sweep
for cmd in forecast compare sweep; do
	expect 2 "parameter 'bogus.q=1': unknown engine 'bogus'" "$P" $cmd -p bogus.q=1
done
expect 2 "parameter 'eu.q=1' is for engine 'eu', which is not part of this run (engines run: median)" \
	"$P" forecast -e median -p eu.q=1
expect 2 "parameter 'eu.q=abc' is for engine 'eu', which is not part of this run (engines run: median)" \
	"$P" compare -e median -p eu.q=abc
expect 2 "parameter 'median.q=1' is for engine 'median', which is not part of this run (engines run: compromise)" \
	"$P" sweep -n 20 -p median.q=1
expect 2 "engine 'eu': parameter q='abc' is not a number" "$P" compare -p eu.q=abc
expect 2 "engine 'eu': parameter q='abc' is not a number" "$P" forecast -p eu.q=abc
expect 2 "engine 'smp' has no parameter 'zz'" "$P" forecast -p smp.zz=1
expect 2 "engine 'eu': parameter q='abc' is not a number" "$P" sweep -n 20 -e eu -p eu.q=abc
expect 0 "" "$P" sweep -n 20 -e eu -p eu.q=0.5 -f json
grep -q '"params": ".*q=0.5' "$T/out" && ok || bad "sweep -p eu.q=0.5 not applied"
"$P" sweep -n 20 -e eu -p q=0.5 -f json >"$T/plain.json" 2>/dev/null &&
	cmp -s "$T/out" "$T/plain.json" && ok || bad "sweep -p eu.q=0.5 and -p q=0.5 differ"

# ---- "everyone": a reserved forum id, all actors at full weight everywhere
printf '{"issues":[{"id":"x"}],"actors":[{"id":"A","capability":1,"stances":{"x":{"position":5,"salience":5}}}],"forums":[{"id":"everyone","members":["A"]}]}' >"$T/ev.json"
expect 2 "ev.json: \$.forums[0].id: forum id 'everyone' is reserved" "$P" validate "$T/ev.json"
expect 2 "forum id 'everyone' is reserved" "$P" compare "$T/ev.json"
"$P" forecast -f json >"$T/f0" && "$P" forecast --forum everyone -f json >"$T/f1" &&
	cmp -s "$T/f0" "$T/f1" && ok || bad "forecast --forum everyone differs from no --forum"
"$P" sweep -n 50 -f json >"$T/s0" && "$P" sweep -n 50 --forum everyone -f json >"$T/s1" &&
	cmp -s "$T/s0" "$T/s1" && ok || bad "sweep --forum everyone differs from no --forum"
expect 0 "" "$P" compare --forums everyone,bilateral --baseline everyone -e median
expect 0 "" "$P" forecast "$T/one.csv" --forum everyone -e median

# ---- report: the checks that need no optional tool (the HTML and the
# PLplot charts are in test_report_cli.sh, which skips without them)
expect 2 "--chart goes with --svg FILE or --png FILE" "$P" report --chart compare
expect 2 "--svg needs --chart" "$P" report --svg "$T/x.svg"

finish "analysis cli"
