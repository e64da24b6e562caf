#!/bin/sh
# test_server_ledger.sh - the permanent channel over HTTP: operator calls
# behind the bearer token (401/403, nothing changed, the attempt logged),
# sign -> submit -> verify offline, forged, replayed and unregistered
# entries refused, private bodies only to members who sign the request,
# proofs, a witness's cosignature, and kill -9 during 500 appends from 8
# clients: after a restart every acknowledged entry is there, nothing twice,
# and `parley ledger audit` passes.
. "$PARLEY_SOURCE_ROOT/tests/server/lib.sh"
P=$PARLEY
command -v curl >/dev/null || { echo "curl is missing (apt-get install curl)"; exit 77; }
ORIGIN=serve.example/ledger
cd "$T" || exit 1
"$P" ledger keygen log.serve.example --out log >/dev/null &&
	for p in USA PRK CHN EVE; do "$P" ledger keygen $p --out $p >/dev/null || exit 1; done
"$P" ledger init l.db --origin $ORIGIN --log-key log.key >/dev/null || exit 1
echo "operator-token-0123456789abcdef" >token
start_server --data "$T/data" --ledger l.db --log-key log.key --token-file token || exit 1

checkpoint_size() { curl -s "http://127.0.0.1:$PORT/api/v1/ledger/checkpoint" | sed -n 2p; }

# ---- operator calls need the token ----
party() { # ID [CURL ARGS]
	id=$1
	shift
	body=$(printf '{"id":"%s","key":"%s","name":"%s","role":"delegation"}' "$id" "$(cat "$id.pub")" "$id")
	req POST /api/v1/ledger/parties -H 'Content-Type: application/json' --data-binary "$body" "$@"
}
before=$(checkpoint_size)
party USA
expect 401 "register a party without a token"
grep -qi '^WWW-Authenticate: Bearer' "$T/headers" || fail "401 without WWW-Authenticate"
party USA -H 'Authorization: Bearer wrong-token-wrong-token'
expect 403 "register a party with a wrong token"
req POST /api/v1/ledger/channels --data-binary '{"id":"x","members":["USA","PRK"]}'
expect 401 "open a channel without a token"
[ "$(checkpoint_size)" = "$before" ] && ok "refused operator calls changed nothing" ||
	fail "a refused operator call changed the log"
grep -q 'refused POST /api/v1/ledger/parties: wrong bearer token' access.log &&
	grep -q 'refused POST /api/v1/ledger/parties: no bearer token' access.log &&
	ok "refused operator calls are logged" || fail "refused operator calls not logged"
AUTH="Authorization: Bearer $(cat token)"
for p in USA PRK CHN; do
	party $p -H "$AUTH"
	expect 201 "register $p"
done
req POST /api/v1/ledger/channels -H "$AUTH" --data-binary '{"id":"bilateral","name":"US-DPRK","members":["USA","PRK"]}'
expect 201 "open a channel"
req POST /api/v1/ledger/channels -H "$AUTH" --data-binary '{"id":"bilateral","members":["USA"]}'
expect 400 "a channel of one"

# ---- sign -> submit -> verify offline ----
"$P" ledger sign --key USA.key --origin $ORIGIN --kind commitment --channel bilateral \
	--time 2026-01-02T00:00:00Z --body '{"action":"freeze the reactor","verification":"inspection"}' >c.json ||
	fail "ledger sign"
req POST /api/v1/ledger/entries -H 'Content-Type: application/json' --data-binary @c.json
expect 201 "submit a signed commitment"
cp "$T/body" bundle.json
loc=$(sed -n 's/^Location: *//Ip' "$T/headers" | tr -d '\r')
"$P" ledger verify bundle.json --log-pub log.pub >verify.out 2>&1 && ok "the bundle verifies offline" ||
	fail "ledger verify: $(cat verify.out)"
req POST /api/v1/ledger/entries --data-binary @c.json
expect 400 "the same entry again (a replay)"
expect_detail "replay" "replay"
sed 's/freeze the reactor/restart the reactor/' c.json >forged.json
req POST /api/v1/ledger/entries --data-binary @forged.json
expect 400 "a forged entry (body changed after signing)"
"$P" ledger sign --key EVE.key --origin $ORIGIN --kind statement --time 2026-01-02T00:00:00Z \
	--body '{"text":"hello"}' >eve.json
req POST /api/v1/ledger/entries --data-binary @eve.json
expect 400 "an entry by an unregistered key"
"$P" ledger sign --key CHN.key --origin $ORIGIN --kind statement --channel bilateral \
	--time 2026-01-02T00:00:00Z --body '{"text":"not a member"}' >chn.json
req POST /api/v1/ledger/entries --data-binary @chn.json
expect 400 "an entry in a channel the author is not in"
"$P" ledger sign --key USA.key --origin other.example/ledger --kind statement \
	--time 2026-01-02T00:00:00Z --body '{"text":"elsewhere"}' >other.json
req POST /api/v1/ledger/entries --data-binary @other.json
expect 400 "an entry signed for another log"
req POST /api/v1/ledger/entries --data-binary 'not json'
expect 400 "not a signed entry"

# ---- a private body only to a member who signs the request ----
req GET "$loc"
expect 200 "read the commitment unsigned"
grep -q 'freeze the reactor' "$T/body" && fail "a private body shown to anyone"
now=$(date +%s)
set -- $("$BUILD_TESTS/srvtool" request USA.key GET "$loc" "$now")
req GET "$loc" -H "Parley-Party: $1" -H "Parley-Time: $now" -H "Parley-Signature: $2"
expect 200 "read the commitment as USA, signed"
grep -q 'freeze the reactor' "$T/body" && ok "a member sees the private body" ||
	fail "a member who signs does not see the body"
set -- $("$BUILD_TESTS/srvtool" request CHN.key GET "$loc" "$now")
req GET "$loc" -H "Parley-Party: $1" -H "Parley-Time: $now" -H "Parley-Signature: $2"
expect 200 "read the commitment as CHN, signed"
grep -q 'freeze the reactor' "$T/body" && fail "a non-member sees the private body"
set -- $("$BUILD_TESTS/srvtool" request USA.key GET "$loc" "$now")
req GET "$loc" -H "Parley-Party: PRK" -H "Parley-Time: $now" -H "Parley-Signature: $2"
expect 401 "USA's signature presented as PRK's"
# the status (commitments, trust) as the signing party sees it
req GET /api/v1/ledger/status
expect 200 "the ledger's status, unsigned"
grep -q 'freeze the reactor' "$T/body" && fail "a private commitment in the unsigned status"
set -- $("$BUILD_TESTS/srvtool" request USA.key GET /api/v1/ledger/status "$now")
req GET '/api/v1/ledger/status?as_of=2030-01-01T00:00:00Z' -H "Parley-Party: $1" \
	-H "Parley-Time: $now" -H "Parley-Signature: $2"
expect 200 "the ledger's status as USA, signed"
grep -q 'freeze the reactor' "$T/body" && ok "a member's status holds the private commitment" ||
	fail "the status as USA lacks its commitment: $(head -c 300 "$T/body")"
"$P" ledger status l.db --key USA.key --as-of 2030-01-01T00:00:00Z --json >status.cmd 2>/dev/null
python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); sys.exit(a!=b)' \
	"$T/body" status.cmd && ok "the status is the command's (ledger status --key USA.key)" ||
	fail "the status differs from ledger status --key USA.key --json"
req GET '/api/v1/ledger/status?as_of=yesterday'
expect 400 "a status as of no time"
expect_detail "YYYY-MM-DDTHH:MM:SSZ" "the time's format"
old=$((now - 3600))
set -- $("$BUILD_TESTS/srvtool" request USA.key GET "$loc" "$old")
req GET "$loc" -H "Parley-Party: $1" -H "Parley-Time: $old" -H "Parley-Signature: $2"
expect 401 "a signed request an hour old"
req GET /api/v1/ledger/entries/999
expect 404 "an entry past the end"
req GET /api/v1/ledger/entries/x
expect 404 "an entry that is no number"

# ---- proofs, checkpoint, cosignatures ----
req GET /api/v1/ledger/entries/0/proof
expect 200 "inclusion proof"
req GET '/api/v1/ledger/consistency?from=1&to=3'
expect 200 "consistency proof"
req GET '/api/v1/ledger/consistency?from=3'
expect 400 "consistency proof without to"
req GET /api/v1/ledger/checkpoint
expect 200 "checkpoint"
cp "$T/body" cp.txt
head -1 cp.txt | grep -q "^$ORIGIN\$" || fail "checkpoint origin"
req GET /api/v1/ledger/log-key
expect 200 "the log's verifier key"
cmp -s "$T/body" log.pub && ok "the log's verifier key is the .pub file's" ||
	fail "log-key: $(cat "$T/body") is not log.pub's $(cat log.pub)"
req POST /api/v1/ledger/log-key
expect 405 "the log's key is read only"
"$P" ledger cosign --checkpoint cp.txt --key CHN.key --log-pub log.pub --state chn.state \
	--out cp.chn >/dev/null 2>&1 || fail "cosign"
req POST /api/v1/ledger/cosignatures -H 'Content-Type: text/plain' --data-binary @cp.chn
expect 200 "a witness's cosignature"
grep -q '"added": 1' "$T/body" || fail "cosignature not added: $(cat "$T/body")"
req POST /api/v1/ledger/cosignatures --data-binary 'garbage'
expect 400 "a note that is no checkpoint"
req GET /api/v1/ledger/entries
expect 405 "GET the entries collection"

# ---- kill -9 during 500 appends from 8 clients ----
mkdir -p many
"$BUILD_TESTS/srvtool" entries USA.key $ORIGIN public 500 many || fail "signing 500 entries"
"$HAMMER" "$PORT" POST /api/v1/ledger/entries 8 500 @@many/list 201 acks >hammer.out 2>&1 &
hp=$!
sleep 0.4
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
wait $hp
acked=$(wc -l <acks)
echo "acknowledged before kill -9: $acked of 500 ($(head -1 hammer.out))"
start_server --data "$T/data" --ledger l.db --log-key log.key --token-file token || exit 1
missing=0
while read -r file where; do
	req GET "$where"
	if [ "$STATUS" != 200 ] || ! python3 -c '
import json, sys
doc = json.load(open(sys.argv[1])); got = json.load(open(sys.argv[2]))
leaf = got["record"]
sys.exit(0 if doc["leaf"]["sig"] == leaf.get("sig") else 1)' "$file" "$T/body"; then
		missing=$((missing + 1))
	fi
done <acks
[ $missing = 0 ] && ok "all $acked acknowledged entries present after kill -9" ||
	fail "$missing acknowledged entries missing or different after kill -9"
# the rest again: acknowledged ones are replays, the others go in once
"$HAMMER" "$PORT" POST /api/v1/ledger/entries 8 500 @@many/list 201 acks2 >hammer2.out 2>&1
again=$(wc -l <acks2)
[ "$again" -le $((500 - acked)) ] && ok "resubmitted: $again new, the acknowledged refused as replays" ||
	fail "resubmitted: $again accepted, but $acked had been acknowledged"
stop_server || fail "SIGTERM after the appends"
"$P" ledger audit l.db >audit.out 2>&1 && ok "ledger audit: $(cat audit.out)" || fail "audit: $(cat audit.out)"
n=$("$P" ledger status l.db --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])' 2>/dev/null)
# 3 parties + 1 channel + 1 commitment + 500 statements, each once
[ "$n" = 505 ] && ok "505 entries: every statement exactly once" || fail "ledger has $n entries, expected 505"

[ $fails = 0 ] || { echo "$fails failures"; exit 1; }
echo "all ledger server tests passed"
