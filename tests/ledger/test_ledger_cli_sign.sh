#!/bin/sh
# test_ledger_cli_sign.sh - `parley ledger sign` (an entry signed offline,
# with no database) and `parley ledger append DB --signed FILE`: the round
# trip to a bundle that `ledger verify` accepts offline, and the refusals
# (forged, changed, replayed, unregistered, non-member, another log); and
# the batch file of `append --batch` (pl_entry_lines_parse): its line numbers
# and the members it refuses.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=${PARLEY_SOURCE_ROOT:-.}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"

S=$ROOT/data/ledger/korea-2007.json
L="$T/k/log.six-party.example.pub"
O=six-party.example/ledger
"$P" ledger replay "$T/l.db" --script "$S" --keys "$T/k" --seed 1 >/dev/null ||
	bad "replay failed"
# signed with no database at all (the party's own machine), and with the
# origin read from a copy of the ledger: both give the entry for this log
expect_any 0 '"format":"parley-signed-entry/v1"' "$P" ledger sign --key "$T/k/USA.key" \
	--origin "$O" --kind statement --channel trilateral --time 2009-05-01T00:00:00Z \
	--body '{"text":"ready to meet"}'
cp "$T/out" "$T/e.json"
[ "$(wc -l <"$T/e.json")" = 1 ] || bad "a signed entry is not one line"
expect_any 0 '"origin":"six-party.example/ledger"' "$P" ledger sign --key "$T/k/RUS.key" \
	--ledger "$T/l.db" --kind statement --channel us-russia --body '{"text":"agreed"}'
cp "$T/out" "$T/r.json"
printf '{"text":"from a file"}' >"$T/body.json"
expect_any 0 '"text":"from a file"' "$P" ledger sign --key "$T/k/CHN.key" --origin "$O" \
	--kind statement --body-file "$T/body.json"
cp "$T/out" "$T/c.json"
# append: the log checks every rule, then bundle and offline verification
expect_any 0 "appended entry 35 (signed offline)" "$P" ledger append "$T/l.db" --signed "$T/e.json"
expect_any 0 "appended entry 36" "$P" ledger append "$T/l.db" --signed "$T/r.json"
expect_any 0 "appended entry 37" "$P" ledger append "$T/l.db" --signed - <"$T/c.json"
"$P" ledger checkpoint "$T/l.db" --log-key "$T/k/log.six-party.example.key" >/dev/null
expect_any 0 "wrote" "$P" ledger bundle "$T/l.db" 35 --out "$T/b.json"
expect_any 0 "verified" "$P" ledger verify "$T/b.json" --log-pub "$L"
grep -qF 'ready to meet' "$T/b.json" || bad "the bundle lacks the body"
expect_any 0 '"author": "USA"' "$P" ledger show "$T/l.db" 35
# refusals: nothing is appended
expect 2 "a replay" "$P" ledger append "$T/l.db" --signed "$T/e.json"
sed 's/ready to meet/ready to leave/' "$T/e.json" >"$T/f.json"
expect 2 "does not match the hash" "$P" ledger append "$T/l.db" --signed "$T/f.json"
sed 's/"time":"2009-05-01T00:00:00Z"/"time":"2009-05-02T00:00:00Z"/' "$T/e.json" >"$T/g.json"
expect 2 "signature of USA does not verify" "$P" ledger append "$T/l.db" --signed "$T/g.json"
expect_any 0 "" "$P" ledger sign --key "$T/k/JPN.key" --origin "$O" --kind statement \
	--channel trilateral --body '{"text":"let me in"}'
cp "$T/out" "$T/j.json"
expect 2 "JPN is not a member" "$P" ledger append "$T/l.db" --signed "$T/j.json"
"$P" ledger keygen stranger --out "$T/stranger" >/dev/null
"$P" ledger sign --key "$T/stranger.key" --origin "$O" --kind statement \
	--body '{"text":"hello"}' >"$T/s.json"
expect 2 "'stranger' is not a registered party" "$P" ledger append "$T/l.db" --signed "$T/s.json"
# a key of the same name that is not the registered one (a forgery)
"$P" ledger keygen USA --out "$T/usa2" >/dev/null
"$P" ledger sign --key "$T/usa2.key" --origin "$O" --kind statement \
	--body '{"text":"forged"}' >"$T/u.json"
expect 2 "signature of USA does not verify" "$P" ledger append "$T/l.db" --signed "$T/u.json"
"$P" ledger sign --key "$T/k/USA.key" --origin other.example/log --kind statement \
	--body '{"text":"elsewhere"}' >"$T/o.json"
expect 2 "o.json: \$.origin: the entry was signed for the log 'other.example/log'" \
	"$P" ledger append "$T/l.db" --signed "$T/o.json"
expect 2 "b.json: \$.format" "$P" ledger append "$T/l.db" --signed "$T/b.json"
printf '{"body":' >"$T/t.json"
expect 2 "t.json: signed entry: not JSON" "$P" ledger append "$T/l.db" --signed "$T/t.json"
expect 2 "no such file" "$P" ledger append "$T/l.db" --signed "$T/none.json"
expect_any 0 "audit passed: 38 entries" "$P" ledger audit "$T/l.db"
# usage
expect 2 "--origin ORIGIN or --ledger DB" "$P" ledger sign --key "$T/k/USA.key" \
	--kind statement --body '{}'
expect 2 "--kind 'party'" "$P" ledger sign --key "$T/k/USA.key" --origin "$O" --kind party \
	--body '{}'
expect 2 "not a JSON object" "$P" ledger sign --key "$T/k/USA.key" --origin "$O" \
	--kind statement --body '{"text":'
expect 2 "not a valid log origin" "$P" ledger sign --key "$T/k/USA.key" --origin 'a b' \
	--kind statement --body '{}'
expect 2 "no DB" "$P" ledger sign "$T/l.db" --key "$T/k/USA.key" --kind statement --body '{}'
expect 2 "no other option" "$P" ledger append "$T/l.db" --signed "$T/e.json" --key "$T/k/USA.key"
expect 2 "no such ledger" "$P" ledger sign --key "$T/k/USA.key" --ledger "$T/none.db" \
	--kind statement --body '{}'
# batches: a line's number counts empty lines too; a misspelt or mistyped
# member is refused instead of sending the entry to the public channel
printf '\n%s\n\n%s\n' '{"kind":"statement","body":{"text":"a"}}' 'oops' >"$T/b1.jsonl"
expect 2 "b1.jsonl:4: each line is an object" "$P" ledger append "$T/l.db" \
	--key "$T/k/USA.key" --batch "$T/b1.jsonl"
printf '%s\n' '{"kind":"statement","chanel":"us-russia","body":{"text":"a"}}' >"$T/b2.jsonl"
expect 2 "b2.jsonl:1: unknown member 'chanel'" "$P" ledger append "$T/l.db" \
	--key "$T/k/USA.key" --batch "$T/b2.jsonl"
printf '%s\n' '{"kind":"statement","channel":7,"body":{"text":"a"}}' >"$T/b3.jsonl"
expect 2 "b3.jsonl:1: channel must be a string" "$P" ledger append "$T/l.db" \
	--key "$T/k/USA.key" --batch "$T/b3.jsonl"
printf '\n\n' >"$T/b4.jsonl"
expect 2 "holds no entries" "$P" ledger append "$T/l.db" --key "$T/k/USA.key" --batch "$T/b4.jsonl"
printf '%s\r\n\r\n%s\n' '{"kind":"statement","channel":"us-russia","body":{"text":"a"}}' \
	'{"kind":"statement","time":"2009-06-01T00:00:00Z","body":{"text":"b"}}' >"$T/b5.jsonl"
expect_any 0 "appended entries 38 to 39 in one transaction" "$P" ledger append "$T/l.db" \
	--key "$T/k/USA.key" --batch "$T/b5.jsonl"
expect_any 0 '"channel": "us-russia"' "$P" ledger show "$T/l.db" 38
expect_any 0 '"time": "2009-06-01T00:00:00Z"' "$P" ledger show "$T/l.db" 39
expect_any 0 "audit passed: 40 entries" "$P" ledger audit "$T/l.db"

finish "ledger cli sign"
