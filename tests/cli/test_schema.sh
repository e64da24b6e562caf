#!/bin/sh
# test_schema.sh - docs/case.schema.json agrees with the reader: every
# shipped case and every case parley writes validates against the schema.
# Uses Debian's python3-jsonschema; skips (77) when it is absent, fails
# instead under PARLEY_REQUIRE_ALL=1.
set -u
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/skip.sh"
PY=$(command -v python3) || skip "python3: not found (apt-get install python3-jsonschema)"
"$PY" -c 'import jsonschema' 2>/dev/null ||
	skip "python3-jsonschema: not installed (apt-get install python3-jsonschema)"
P=${PARLEY:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for f in data/cases/*.json; do
	"$P" convert "$f" "$T/$(basename "$f")" 2>/dev/null || { echo "FAIL: convert $f"; exit 1; }
done
"$PY" - docs/case.schema.json data/cases/*.json "$T"/*.json <<'PYEOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    errors = list(v.iter_errors(json.load(open(path))))
    for e in errors:
        print(f"FAIL: {path}: {e.json_path}: {e.message}")
    bad += len(errors)
# the schema must also refuse what the reader refuses
for doc in ({"issues": [], "actors": []},
            {"issues": [{"id": "x"}], "actors": [{"id": "A", "capability": -1, "stances": {}}]},
            {"issues": [{"id": "x"}], "actors": [{"id": "A", "capability": 1,
              "stances": {"x": {"position": 1, "salience": 101}}}]},
            {"issues": [{"id": "x"}], "actors": [], "colour": 1},
            {"issues": [{"id": "x"}], "actors": [{"id": "A", "capability": 1,
              "stances": {"x": {"position": 1, "salience": 1}}}],
             "forums": [{"id": "everyone", "members": ["A"]}]}):
    if v.is_valid(doc):
        print(f"FAIL: the schema accepts {doc}")
        bad += 1
print(f"schema: {len(sys.argv) - 2 + 5 - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
PYEOF
