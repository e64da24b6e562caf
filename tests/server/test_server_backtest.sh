#!/bin/sh
# test_server_backtest.sh - POST /api/v1/backtest: the very bytes of
# `parley backtest --format json` for the same cases and options, uploaded
# cases by id, the answer against docs/api/openapi.json, and 400/404/405
# problems that name the member and the rule.
. "$PARLEY_SOURCE_ROOT/tests/server/lib.sh"
P=$PARLEY
R=$PARLEY_SOURCE_ROOT
command -v curl >/dev/null || { echo "curl is missing (apt-get install curl)"; exit 77; }

start_server --data "$T/data" --static "$T/no-dashboard" || exit 1

# every shipped case by default: the command's bytes on the same files
req POST /api/v1/backtest --data-binary '{"engine":"compromise,median,eu"}'
expect 200 "backtest of the shipped cases"
cp "$T/body" "$T/a_backtest.json"
grep -q '"mae": ' "$T/body" || fail "backtest: no mae"
grep -q '"cases_with_outcomes": 3,' "$T/body" || fail "backtest: the shipped outcomes"
# the command names cases by path, the server by id: the same numbers
sed -n '/"engines": \[/,/^  \],/p' "$T/body" >"$T/srv_engines"
"$P" backtest "$R"/data/cases -e compromise,median,eu -f json | sed -n '/"engines": \[/,/^  \],/p' >"$T/cmd_engines"
same "$T/srv_engines" "$T/cmd_engines" "backtest scores"

# named cases, an upload among them, sweep and stack, as the command gives them
printf '# name: u\n# scale: 0 10\n# outcome: 5\nActor,Capability,Position,Salience\nX,1,2,1\nY,3,8,1\n' >"$T/u.csv"
req POST '/api/v1/cases?name=u.csv' -H 'Content-Type: text/csv' --data-binary "@$T/u.csv"
expect 201 "upload a case with an outcome"
uid=$(sed -n 's/.*"id": "\([0-9a-f]*\)".*/\1/p' "$T/body")
req POST /api/v1/backtest --data-binary "{\"cases\":[\"korea-six-party\",\"$uid\"],\"engine\":[\"median\",\"compromise\"],\"sweep\":100,\"seed\":3,\"stack\":true}"
expect 200 "backtest of two cases with sweep and stack"
grep -q '"in_80": ' "$T/body" || fail "backtest: no calibration"
grep -q '"heldout_mae": ' "$T/body" || fail "backtest: no stacking"
grep -q "\"case\": \"$uid\"" "$T/body" || fail "backtest: the uploaded case by id"
cp "$T/body" "$T/a_backtest2.json"

# problems
req POST /api/v1/backtest --data-binary '{"cases":["nope"]}'
expect 404 "an unknown case"
expect_detail "no case 'nope'" "unknown case"
req POST /api/v1/backtest --data-binary '{"engine":"nope"}'
expect 400 "an unknown engine"
expect_detail "unknown engine 'nope'" "unknown engine"
req POST /api/v1/backtest --data-binary '{"sweep":0}'
expect 400 "sweep 0"
expect_detail '\$.sweep' "sweep 0"
cp "$T/body" "$T/a_problem.json"
req POST /api/v1/backtest --data-binary '{"colour":1}'
expect 400 "an unknown member"
req POST /api/v1/backtest --data-binary '{"params":{"smp.log":"/tmp/x.db"},"engine":"smp"}'
expect 400 "a parameter that writes a file"
req POST /api/v1/backtest --data-binary '{"cases":"ec-car-emissions"}'
expect 400 "cases without an outcome"
expect_detail "records an outcome" "no outcome"
req GET /api/v1/backtest
expect 405 "GET backtest"

if python3 -c 'import jsonschema' 2>/dev/null; then
	if python3 "$R/tests/server/check_openapi.py" "$R/docs/api/openapi.json" \
		POST:/api/v1/backtest:200="$T/a_backtest.json" \
		POST:/api/v1/backtest:200="$T/a_backtest2.json" \
		POST:/api/v1/backtest:400="$T/a_problem.json"; then
		ok "backtest answers match docs/api/openapi.json"
	else
		fail "backtest answers do not match docs/api/openapi.json"
	fi
elif [ -n "$PARLEY_REQUIRE_ALL" ]; then
	fail "python3-jsonschema is missing"
else
	echo "skip: the OpenAPI check needs python3-jsonschema"
fi

if stop_server; then ok "SIGTERM: clean exit 0"; else fail "SIGTERM: no clean exit"; fi
echo "server_backtest: $fails failed"
[ "$fails" -eq 0 ]
