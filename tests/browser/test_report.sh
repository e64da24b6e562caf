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
