#!/bin/sh
# test_dashboard.sh - the dashboard (docs/dashboard.md) end to end: a real
# `parley serve` on a free loopback port with the built dashboard, driven by
# headless Chromium (check_dashboard.mjs).  Skips (77) without chromium,
# node, playwright-core or the built dashboard (npm ci before meson setup);
# fails instead under PARLEY_REQUIRE_ALL=1 (tests/cli/skip.sh).  Screenshots
# and the server's log stay in PARLEY_TEST_OUT.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=$(cd "${PARLEY_SOURCE_ROOT:-.}" && pwd)
. "$ROOT/tests/cli/skip.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
WEB=${PARLEY_WEB:?set PARLEY_WEB to the built dashboard}
[ -x "$CHROMIUM" ] || skip "chromium: $CHROMIUM not found (apt-get install chromium)"
command -v node >/dev/null 2>&1 || skip "node: not found (apt-get install nodejs)"
[ -d "$ROOT/node_modules/playwright-core" ] ||
	skip "playwright-core: not in $ROOT/node_modules (run 'npm ci' there)"
[ -f "$WEB/index.html" ] && [ -f "$WEB/app.js" ] ||
	skip "the dashboard: $WEB/index.html not built (run 'npm ci', then reconfigure)"
OUT=${PARLEY_TEST_OUT:-$(mktemp -d)}
rm -rf "$OUT/data" "$OUT"/*.png
mkdir -p "$OUT/data"

# A ledger for the permanent channel: keys, a log and the 2007 replay.
mkdir -p "$OUT/data/keys"
LEDGER=
if "$P" ledger replay "$OUT/data/ledger.db" --script "$ROOT/data/ledger/korea-2007.json" \
	--keys "$OUT/data/keys" --seed 1 >"$OUT/replay.log" 2>&1; then
	LEDGER="--ledger $OUT/data/ledger.db --log-key $OUT/data/keys/log.six-party.example.key"
else
	cat "$OUT/replay.log"; echo "FAIL: parley ledger replay"; exit 1
fi

"$P" serve --listen 127.0.0.1:0 --data "$OUT/data" --static "$WEB" $LEDGER \
	>"$OUT/serve.out" 2>"$OUT/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT INT TERM
URL=
for _ in $(seq 1 100); do
	URL=$(sed -n 's/^parley serve: listening on \(http[^ ]*\).*/\1/p' "$OUT/serve.out")
	[ -n "$URL" ] && break
	kill -0 $SERVER 2>/dev/null || break
	sleep 0.1
done
[ -n "$URL" ] || { cat "$OUT/serve.log"; echo "FAIL: parley serve did not start"; exit 1; }
grep -q "the dashboard is at $URL/" "$OUT/serve.out" ||
	{ cat "$OUT/serve.out"; echo "FAIL: parley serve does not print the dashboard's address"; exit 1; }
CHROMIUM=$CHROMIUM PARLEY_SOURCE_ROOT=$ROOT PARLEY_KEYS=$OUT/data/keys timeout "${DASHBOARD_TIMEOUT:-900}" node "$ROOT/tests/browser/check_dashboard.mjs" \
	"$URL" "$OUT"
rc=$?
[ $rc = 0 ] || tail -20 "$OUT/serve.log"
exit $rc
