#!/bin/sh
# test_roadmap_cli.sh - parley roadmap end to end: the shipped roadmaps, the
# fixed JSON keys, an infeasible roadmap's diagnosis, bad files (exit 2 with
# the JSON path), values from a case, and a plan recorded in a ledger.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"
R=data/roadmaps

for f in $R/*.json; do
	case $f in *-moves.json) continue ;; esac
	expect 0 "" "$P" roadmap "$f"
	grep -q '^plan .*(optimal, proven' "$T/out" && ok || bad "$f: no proven plan"
	narrow "$T/out" && ok || bad "$f: a line wider than 80 columns"
done
# the Korean plan reads as 2007 did: monitors and fuel oil first, the shutdown
# before disablement, the US steps after the declaration
"$P" roadmap $R/korea-2007.json -f json >"$T/k.json" || bad "korea json"
stage_of() { python3 -c "import json,sys
d=json.load(open('$T/k.json'))
print([s['stage'] for s in d['stages'] if sys.argv[1] in s['steps']][0])" "$1"; }
if command -v python3 >/dev/null; then
	[ "$(stage_of iaea)" -lt "$(stage_of shutdown)" ] && ok || bad "IAEA back after shutdown"
	[ "$(stage_of shutdown)" -lt "$(stage_of disable-reactor)" ] && ok || bad "disable before shutdown"
	[ "$(stage_of declaration)" -lt "$(stage_of terror-list)" ] && ok || bad "delisting too early"
	python3 - "$T/k.json" <<'PY' && ok || bad "korea json keys"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["feasible"] is True and isinstance(d["margin"], (int, float))
for s in d["stages"]:
    assert set(["stage", "steps", "balance"]) <= set(s)
    assert set(s["balance"]) == {"PRK", "USA", "ROK", "CHN", "RUS", "JPN"}
PY
fi
"$P" roadmap $R/korea-2007.json -f json >"$T/k2.json" && cmp -s "$T/k.json" "$T/k2.json" && ok ||
	bad "two runs differ"
expect 0 "" "$P" roadmap $R/korea-2007.json -f csv -o "$T/k.csv"
head -1 "$T/k.csv" | grep -q '^stage,step,by,verified,label,PRK,USA' && ok || bad "csv header"

# no plan: the party, the stage and the increase, exit 0
cat >"$T/short.json" <<'J'
{"roadmap":1,"name":"toy","parties":[{"id":"A","exposure":5},{"id":"B","exposure":5}],
 "steps":[{"id":"a1","by":"A","value":{"A":-10,"B":8},"verified":true},
  {"id":"b1","by":"B","value":{"A":8,"B":-6}},
  {"id":"a2","by":"A","value":{"A":-10,"B":12},"after":["a1"],"verified":true},
  {"id":"b2","by":"B","value":{"A":12,"B":-8},"after":["b1"]}]}
J
expect 0 "" "$P" roadmap "$T/short.json" -f json
grep -q '"feasible": false' "$T/out" && grep -q '"party": "B"' "$T/out" &&
	grep -q '"increase": 1,' "$T/out" && grep -q '"stage": 1,' "$T/out" && ok ||
	{ bad "diagnosis"; cat "$T/out"; }
expect 0 "" "$P" roadmap "$T/short.json"
grep -q "'B' cannot be covered after stage 1; raising its exposure by 1 (to 6)" "$T/out" && ok ||
	bad "diagnosis text"

# bad files: exit 2, file and JSON path
bad_file() { printf '%s' "$2" >"$T/bad.json"; expect 2 "$1" "$P" roadmap "$T/bad.json"; }
bad_file 'bad.json: $.roadmap: unsupported version 2' '{"roadmap":2}'
bad_file '$.steps[1].after: '"'"'after'"'"' makes a cycle' \
	'{"roadmap":1,"name":"c","parties":[{"id":"A"}],"steps":[{"id":"x","by":"A","value":{},"after":["y"]},{"id":"y","by":"A","value":{},"after":["x"]}]}'
bad_file "\$.steps[0].by: no party 'B' in \$.parties" \
	'{"roadmap":1,"name":"c","parties":[{"id":"A"}],"steps":[{"id":"x","by":"B","value":{}}]}'
bad_file "\$.steps[0].value.A: must be a number" \
	'{"roadmap":1,"name":"c","parties":[{"id":"A"}],"steps":[{"id":"x","by":"A","value":{"A":"1"}}]}'
bad_file '$.parties[0].exposure: -1 is outside [0, 1e12]' \
	'{"roadmap":1,"name":"c","parties":[{"id":"A","exposure":-1}],"steps":[{"id":"x","by":"A","value":{}}]}'
bad_file "\$.steps[0].after[0]: no step 'z'" \
	'{"roadmap":1,"name":"c","parties":[{"id":"A"}],"steps":[{"id":"x","by":"A","value":{},"after":["z"]}]}'
bad_file 'bad.json:1:' '{"roadmap":1,'
expect 2 "cannot open" "$P" roadmap "$T/none.json"
expect 2 "--format 'x' must be table, json or csv" "$P" roadmap $R/korea-2007.json -f x

# values from a case
expect 2 'their values come from a case' "$P" roadmap $R/korea-2007-moves.json
expect 0 "" "$P" roadmap $R/korea-2007-moves.json --case data/cases/korea-six-party.json
grep -q '^plan ' "$T/out" && ok || bad "moves plan"
expect 2 "\$.steps[0].moves[0]: moves issue 'mechanism', which the case does not have" \
	"$P" roadmap $R/korea-2007-moves.json --case data/cases/paris-cop21.json

# trust and the ledger
if "$P" ledger replay "$T/l.db" --script data/ledger/korea-2007.json --keys "$T/keys" \
	--seed 1 >/dev/null 2>&1; then
	expect 0 "" "$P" roadmap $R/korea-2007.json --trust "$T/l.db"
	grep -q 'credit from trust' "$T/out" && ok || bad "trust credit row"
	expect 0 "recorded 9 steps" "$P" roadmap $R/korea-2007.json --ledger "$T/l.db" \
		--key "$T/keys/PRK.key" --key "$T/keys/USA.key" --time 2009-06-01T00:00:00Z
	"$P" ledger status "$T/l.db" >"$T/st" && grep -q 'stage 1 of 4: IAEA' "$T/st" && ok ||
		{ bad "ledger status lacks the roadmap's commitments"; cat "$T/st"; }
	expect 2 "--ledger and --key go together" "$P" roadmap $R/korea-2007.json --ledger "$T/l.db"
else
	bad "ledger replay failed"
fi
# parley feasible on the shipped Korean case, and the forecast's notes
expect 0 "" "$P" feasible
grep -q '^  nuclear *\[20, 50\]' "$T/out" && ok || bad "feasible: nuclear zone"
grep -q 'every actor with a reservation prefers it' "$T/out" && ok || bad "feasible: package"
narrow "$T/out" && ok || bad "feasible: a line wider than 80 columns"
expect 0 "" "$P" feasible -f json --rule qmv=0.75 --forum six-party
grep -q '"interval": \[' "$T/out" && grep -q '"rule": "qmv"' "$T/out" && ok || bad "feasible json"
expect 2 "--rule 'qmv=2' must be" "$P" feasible --rule qmv=2
expect 2 "no forum 'x'" "$P" feasible --forum x
expect 0 "" "$P" forecast --engine median
grep -q "median, nuclear: the forecast 10 of issue .nuclear. lies outside the zone of" "$T/out" && ok || bad "forecast note"

# the shipped roadmaps follow docs/roadmap.schema.json (python3-jsonschema)
if python3 -c 'import jsonschema' 2>/dev/null; then
	python3 - docs/roadmap.schema.json $R/*.json <<'PY' && ok || bad "schema"
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
bad = [f"{p}: {e.json_path}: {e.message}" for p in sys.argv[2:] for e in v.iter_errors(json.load(open(p)))]
print("\n".join(bad))
assert not v.is_valid({"roadmap": 1, "name": "x", "parties": [{"id": "A"}], "steps": [{"id": "s", "by": "A"}]})
sys.exit(1 if bad else 0)
PY
else
	skip "python3-jsonschema: not installed"
fi
finish roadmap_cli
