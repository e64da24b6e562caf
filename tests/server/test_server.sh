#!/bin/sh
# test_server.sh - `parley serve` over HTTP on a free loopback port: every
# endpoint and its error statuses, the command's documents byte for byte,
# uploads that survive a restart, static files and their headers, TLS with a
# self-signed certificate, 16 clients x 200 forecasts, the OpenAPI file
# against the real answers, and a clean stop on SIGTERM.
. "$PARLEY_SOURCE_ROOT/tests/server/lib.sh"
P=$PARLEY
R=$PARLEY_SOURCE_ROOT
command -v curl >/dev/null || { echo "curl is missing (apt-get install curl)"; exit 77; }

start_server --data "$T/data" --static "$T/no-dashboard" || exit 1

# ---- health, engines, cases ----
req GET /api/v1/health
expect 200 "health"
grep -q "\"version\": \"$("$P" --version | cut -d' ' -f2)\"" "$T/body" || fail "health: version"
cp "$T/body" "$T/a_health.json"
req GET /api/v1/engines
expect 200 "engines"
grep -q '"name": "compromise"' "$T/body" || fail "engines: compromise missing"
cp "$T/body" "$T/a_engines.json"
req GET /api/v1/cases
expect 200 "cases"
grep -q '"id": "korea-six-party"' "$T/body" || fail "cases: the default case missing"
req GET /api/v1/cases/korea-six-party
expect 200 "one case"
"$P" convert "$R/data/cases/korea-six-party.json" "$T/k.json" && same "$T/body" "$T/k.json" "GET case"
req GET /api/v1/cases/nope
expect 404 "unknown case"
expect_detail "no case 'nope'" "unknown case"

# uploads: JSON, BDM CSV, KTAB CSV, KTAB XML
req POST /api/v1/cases -H 'Content-Type: application/json' --data-binary "@$R/data/cases/paris-cop21.json"
expect 201 "upload JSON"
sha=$(sha256sum "$R/data/cases/paris-cop21.json" | cut -d' ' -f1)
grep -q "\"sha256\": \"$sha\"" "$T/body" || fail "upload: sha256 of the bytes"
cp "$T/body" "$T/a_created.json"
printf 'Actor,Capability,Position,Salience\nA,10,0,0.5\nB,20,100,0.9\nC,30,40,0.7\n' >"$T/three.csv"
req POST '/api/v1/cases?name=three.csv' -H 'Content-Type: text/csv' --data-binary "@$T/three.csv"
expect 201 "upload BDM CSV"
csv_id=$(sed -n 's/.*"id": "\([0-9a-f]*\)".*/\1/p' "$T/body")
req POST /api/v1/cases -H 'Content-Type: text/csv' --data-binary "@$R/tests/data/smp/harbour-2d.csv"
expect 201 "upload KTAB CSV"
ktab_id=$(sed -n 's/.*"id": "\([0-9a-f]*\)".*/\1/p' "$T/body")
req POST /api/v1/cases -H 'Content-Type: application/xml' --data-binary "@$R/tests/data/smp/harbour-2d.xml"
expect 201 "upload KTAB XML"
xml_id=$(sed -n 's/.*"id": "\([0-9a-f]*\)".*/\1/p' "$T/body")
printf 'Actor,Capability,Position,Salience\nA,10,0,0.5\nB,-2,100,0.9\n' >"$T/bad.csv"
req POST /api/v1/cases -H 'Content-Type: text/csv' --data-binary "@$T/bad.csv"
expect 400 "upload a bad CSV"
expect_detail "upload.csv:3" "bad CSV (its line)"
req POST /api/v1/cases -H 'Content-Type: image/png' --data-binary 'x'
expect 415 "upload of another media type"
req POST /api/v1/cases -H 'Content-Type: application/json' --data-binary '{"id":"x"}'
expect 400 "upload a JSON case without issues"
expect_detail '\$' "bad JSON case (its path)"
req GET "/api/v1/cases/$csv_id"
expect 200 "GET the uploaded CSV case"

# ---- forecasts: the very bytes of parley forecast --format json ----
fc() { # NAME BODY -- COMMAND ARGS
	name=$1
	body=$2
	shift 3
	req POST /api/v1/forecast -H 'Content-Type: application/json' --data-binary "$body"
	expect 200 "forecast $name"
	"$P" forecast "$@" --format json >"$T/cmd.json"
	same "$T/body" "$T/cmd.json" "forecast $name"
}
fc default '{}' --
fc all-trace '{"engine":"all","trace":true,"seed":7}' -- --engine all --trace --seed 7
fc eu-params '{"engine":"eu","rounds":12,"params":{"q":0.5}}' -- --engine eu --rounds 12 -p q=0.5
fc forum '{"case":"korea-six-party","forum":"trilateral","engine":"all"}' -- --forum trilateral
fc issue '{"engine":"median","issue":"nuclear"}' -- --engine median --issue nuclear
fc paris '{"case":"paris-cop21","engine":"all","params":["eu.q=0.5"]}' -- \
	"$R/data/cases/paris-cop21.json" --engine all -p eu.q=0.5
fc csv "{\"case\":\"$csv_id\",\"engine\":\"all\"}" -- "$T/three.csv" --engine all
fc ktab "{\"case\":\"$ktab_id\",\"engine\":\"smp\"}" -- "$R/tests/data/smp/harbour-2d.csv" --engine smp
fc xml "{\"case\":\"$xml_id\",\"engine\":\"smp\"}" -- "$R/tests/data/smp/harbour-2d.xml" --engine smp

req POST /api/v1/forecast --data-binary '{"engine":"nope"}'
expect 400 "unknown engine"
expect_detail "nope" "unknown engine"
req POST /api/v1/forecast --data-binary '{"rounds":0}'
expect 400 "rounds 0"
expect_detail '\$.rounds: must be a whole number from 1 to 100000' "rounds 0"
req POST /api/v1/forecast --data-binary '{"engine":"compromise","colour":1}'
expect 400 "unknown member"
expect_detail '\$.colour: unknown member' "unknown member"
req POST /api/v1/forecast --data-binary '{"engine":"smp","params":{"log":"/tmp/x.db"}}'
expect 400 "a parameter that writes a file"
req POST /api/v1/forecast --data-binary '{"case":{"id":"inline"}}'
expect 400 "a bad inline case"
expect_detail '\$.case' "bad inline case"
req POST /api/v1/forecast --data-binary '[1'
expect 400 "broken JSON"
expect_detail 'request body:1:' "broken JSON (its line)"
req GET /api/v1/forecast
expect 405 "GET forecast"
grep -qi '^Allow: POST' "$T/headers" || fail "405 without Allow"
req GET /api/v1/nothing
expect 404 "unknown resource"
head -c 17000000 /dev/zero | tr '\0' ' ' >"$T/big"
req POST /api/v1/forecast --data-binary "@$T/big"
expect 413 "a body over 16 MiB"

# ---- game solutions ----
req POST /api/v1/games/solve --data-binary '{"game":"korea-crisis"}'
expect 200 "solve a shipped game"
"$P" game solve "$R/data/games/korea-crisis.efg" --format json >"$T/cmd.json"
same "$T/body" "$T/cmd.json" "solve"
body=$(python3 -c 'import json,sys; print(json.dumps({"game": open(sys.argv[1]).read(), "solver": "enumpure"}))' "$R/data/games/korea-crisis.efg")
req POST /api/v1/games/solve --data-binary "$body"
"$P" game solve "$R/data/games/korea-crisis.efg" --solver enumpure --format json >"$T/cmd.json" 2>/dev/null
if [ -s "$T/cmd.json" ]; then
	expect 200 "solve a game given as text"
	same "$T/body" "$T/cmd.json" "solve (text, enumpure)"
else
	expect 400 "solve with a solver the command refuses too"
fi
req POST /api/v1/games/solve --data-binary '{"game":"EFG 2 R \"x\" { \"a\" \n"}'
expect 400 "solve a broken game"
req POST /api/v1/games/solve --data-binary '{"game":"nosuchgame"}'
expect 404 "solve an unknown shipped game"
req GET /api/v1/games/korea-crisis
expect 200 "a shipped game's tree"
"$P" game convert "$R/data/games/korea-crisis.efg" --to json >"$T/cmd.json"
same "$T/body" "$T/cmd.json" "a shipped game's tree (game convert --to json)"
req GET /api/v1/games/nosuchgame
expect 404 "an unknown shipped game's tree"
req GET /api/v1/games/..%2Fcases%2Fx
expect 404 "a game name that is no name"
req DELETE /api/v1/games/korea-crisis
expect 405 "a game is read only"

# ---- a case in the other formats, and its report ----
req GET '/api/v1/cases/korea-six-party?format=csv&issue=security'
expect 200 "a case as BDM CSV"
"$P" convert "$R/data/cases/korea-six-party.json" "$T/cmd.csv" --issue security 2>/dev/null
same "$T/body" "$T/cmd.csv" "a case as BDM CSV (convert --issue)"
req GET '/api/v1/cases/ec-car-emissions?format=ktab'
expect 400 "a case KTAB's format cannot hold"
expect_detail "KTAB's format is 0-100 only" "KTAB's scale"
req GET '/api/v1/cases/korea-six-party?format=ktab'
expect 400 "a case KTAB's reader would refuse, as convert refuses it"
expect_detail "saliences add up to 345" "KTAB's limit"
req GET '/api/v1/cases/korea-six-party?format=ktab&rescale=1'
expect 200 "a case as KTAB CSV, rescaled"
"$P" convert "$R/data/cases/korea-six-party.json" "$T/cmd.ktab.csv" --to ktab --rescale 2>/dev/null
same "$T/body" "$T/cmd.ktab.csv" "a case as KTAB CSV (convert --to ktab --rescale)"
req GET '/api/v1/cases/korea-six-party?format=csv&issue=nosuch'
expect 400 "a CSV of an issue the case lacks"
expect_detail "no such issue" "a CSV of an issue the case lacks"
req GET '/api/v1/cases/korea-six-party?format=xml'
expect 400 "a format cases are not written in"
req GET /api/v1/cases/ec-car-emissions/report
if grep -q 'built without Chart.js' "$T/body"; then
	echo "SKIP (part): the report: parley was built without Chart.js"
else
	expect 200 "a case's HTML report"
	"$P" report "$R/data/cases/ec-car-emissions.json" -o "$T/cmd.html" 2>/dev/null
	same "$T/body" "$T/cmd.html" "a case's HTML report (parley report)"
fi
req GET /api/v1/cases/nosuch/report
expect 404 "the report of no case"

# ---- static files: none without a dashboard (--static names none here) ----
req GET /
expect 404 "no dashboard"

# ---- 16 clients x 200 forecasts, no error ----
if "$HAMMER" "$PORT" POST /api/v1/forecast 16 3200 '{"engine":"compromise"}' 200 >"$T/hammer.out"; then
	ok "16 clients x 200 forecasts: $(cat "$T/hammer.out")"
else
	fail "16 clients x 200 forecasts: $(cat "$T/hammer.out")"
fi

# ---- the OpenAPI file against the answers kept above ----
if python3 -c 'import jsonschema' 2>/dev/null; then
	cp "$T/body" "$T/a_last.json"
	req POST /api/v1/forecast --data-binary '{"engine":"all"}'
	cp "$T/body" "$T/a_forecast.json"
	req GET /api/v1/cases
	cp "$T/body" "$T/a_cases.json"
	req POST /api/v1/forecast --data-binary '{"rounds":-1}'
	cp "$T/body" "$T/a_problem.json"
	if python3 "$R/tests/server/check_openapi.py" "$R/docs/api/openapi.json" \
		GET:/api/v1/health:200="$T/a_health.json" GET:/api/v1/engines:200="$T/a_engines.json" \
		GET:/api/v1/cases:200="$T/a_cases.json" POST:/api/v1/cases:201="$T/a_created.json" \
		POST:/api/v1/forecast:200="$T/a_forecast.json" \
		POST:/api/v1/forecast:400="$T/a_problem.json"; then
		ok "answers match docs/api/openapi.json"
	else
		fail "answers do not match docs/api/openapi.json"
	fi
elif [ -n "$PARLEY_REQUIRE_ALL" ]; then
	fail "python3-jsonschema is missing"
else
	echo "skip: the OpenAPI check needs python3-jsonschema"
fi

# ---- a clean stop, and the uploads survive it ----
if stop_server; then ok "SIGTERM: clean exit 0"; else fail "SIGTERM: no clean exit"; fi
grep -q '"POST /api/v1/cases" 201' "$T/access.log" || fail "access log: no line for an upload"
start_server --data "$T/data" || exit 1
req GET "/api/v1/cases/$csv_id"
expect 200 "the uploaded case after a restart"
stop_server

# ---- static files with their security headers, nothing outside ----
mkdir -p "$T/web/assets" "$T/outside"
echo '<!doctype html><title>parley</title>' >"$T/web/index.html"
echo 'secret' >"$T/outside/secret.txt"
ln -s "$T/outside/secret.txt" "$T/web/assets/link.txt"
start_server --data "$T/data" --static "$T/web" || exit 1
req GET /
expect 200 "the dashboard's index"
grep -qi '^Content-Security-Policy: default-src' "$T/headers" || fail "static: no CSP"
grep -qi '^X-Frame-Options: DENY' "$T/headers" || fail "static: no X-Frame-Options"
grep -qi '^Access-Control-Allow-Origin' "$T/headers" && fail "CORS without --cors"
req GET /assets/link.txt
expect 404 "a symbolic link out of the dashboard"
STATUS=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "http://127.0.0.1:$PORT/../outside/secret.txt")
expect 404 "a path with .."
stop_server

# ---- TLS with a self-signed certificate; no plain HTTP beyond loopback ----
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
		-days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
	start_server --data "$T/data" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" || exit 1
	case $URL in https://*) ok "TLS: serves https" ;; *) fail "TLS: $URL" ;; esac
	STATUS=$(curl -s --cacert "$T/cert.pem" -o "$T/body" -w '%{http_code}' "https://127.0.0.1:$PORT/api/v1/health")
	expect 200 "health over TLS"
	STATUS=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/health")
	[ "$STATUS" = 200 ] && fail "plain HTTP answered on the TLS port"
	stop_server
else
	echo "skip: no openssl for the TLS test"
fi
"$P" serve --listen 192.0.2.1:8080 --data "$T/data" 2>"$T/err"
st=$?
[ $st = 2 ] && grep -q 'not a loopback address' "$T/err" && ok "no plain HTTP beyond loopback" ||
	fail "non-loopback without TLS: exit $st: $(cat "$T/err")"
"$P" serve --data "$T/data" --listen nonsense 2>"$T/err"
[ $? = 2 ] || fail "a bad --listen is not exit 2"

[ $fails = 0 ] || { echo "$fails failures"; exit 1; }
echo "all server tests passed"
