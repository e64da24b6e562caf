#!/bin/sh
# test_report.sh - the HTML report in headless Chromium: every chart drawn,
# nothing fetched from the network.  Skips (77) without chromium, node,
# playwright-core (npm ci) or a parley built with Chart.js; fails instead
# under PARLEY_REQUIRE_ALL=1 (tests/cli/skip.sh).
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=${PARLEY_SOURCE_ROOT:-.}
. "$ROOT/tests/cli/skip.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip "chromium: $CHROMIUM not found (apt-get install chromium)"
command -v node >/dev/null 2>&1 || skip "node: not found (apt-get install nodejs)"
[ -d "$ROOT/node_modules/playwright-core" ] ||
	skip "playwright-core: not in $ROOT/node_modules (run 'npm ci' there)"
OUT=${PARLEY_TEST_OUT:-$(mktemp -d)}
mkdir -p "$OUT"
if ! "$P" report -n 500 -o "$OUT/report.html" 2>"$OUT/err"; then
	grep -q 'built without Chart.js' "$OUT/err" &&
		skip "Chart.js: parley was configured before 'npm ci' (run it, then reconfigure)"
	cat "$OUT/err"; echo "FAIL: parley report"; exit 1
fi
CHROMIUM=$CHROMIUM PARLEY_SOURCE_ROOT=$ROOT node "$ROOT/tests/browser/check_report.mjs" \
	"$OUT/report.html" "$OUT/report.png" || exit 1
# a static trajectory engine chosen by the user: said so, naming the dynamic ones
"$P" report -n 50 --trajectory-engine exchange -o "$OUT/trades.html" || exit 1
CHROMIUM=$CHROMIUM PARLEY_SOURCE_ROOT=$ROOT node "$ROOT/tests/browser/check_report.mjs" \
	"$OUT/trades.html" "$OUT/trades.png" || exit 1
"$P" report -n 50 --trajectory-engine median -o "$OUT/static.html" || exit 1
EXPECT_NOTE="median (chosen with --trajectory-engine) is a static engine" \
	CHROMIUM=$CHROMIUM PARLEY_SOURCE_ROOT=$ROOT node "$ROOT/tests/browser/check_report.mjs" \
	"$OUT/static.html" "$OUT/static.png" || exit 1
# smp cannot take the Paris case: the page says so, with the reason
"$P" report -n 100 "$ROOT/data/cases/paris-cop21.json" -o "$OUT/paris.html" 2>"$OUT/err" ||
	{ cat "$OUT/err"; echo "FAIL: parley report of the Paris case"; exit 1; }
EXPECT_TEXT="smp did not run under everyone: amb2050: smp runs all issues at once||no gain against another to chart" \
	CHROMIUM=$CHROMIUM PARLEY_SOURCE_ROOT=$ROOT node "$ROOT/tests/browser/check_report.mjs" \
	"$OUT/paris.html" "$OUT/paris.png"
# issues on two scales (one issue of the Korean case moved to 0-20): a chart
# per scale, each axis spanning its scale (check_report.mjs, checkLayout)
python3 - "$ROOT/data/cases/korea-six-party.json" "$OUT/scales.json" <<'PYEOF' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
i = d["issues"][0]
i["scale"] = {"min": 0, "max": 20}
for a in i.get("anchors", []): a["value"] = a["value"] / 5
if "status_quo" in i: i["status_quo"] = i["status_quo"] / 5
if "outcome" in i:
    o = i["outcome"]; o["value"] = o["value"] / 5
    if "range" in o: o["range"] = [v / 5 for v in o["range"]]
for a in d["actors"]:
    s = a["stances"].get(i["id"])
    if s:
        s["position"] = s["position"] / 5
        if "red_line" in s: s["red_line"] = s["red_line"] / 5
json.dump(d, open(sys.argv[2], "w"))
PYEOF
"$P" report -n 100 "$OUT/scales.json" -o "$OUT/scales.html" 2>"$OUT/err" ||
	{ cat "$OUT/err"; echo "FAIL: parley report of a case on two scales"; exit 1; }
CHROMIUM=$CHROMIUM PARLEY_SOURCE_ROOT=$ROOT node "$ROOT/tests/browser/check_report.mjs" \
	"$OUT/scales.html" "$OUT/scales.png" || exit 1
