#!/bin/sh
# test_ledger_cli.sh - `parley ledger` end to end on the shipped example:
# replay, status, audit, proofs, bundles verified offline, and the exit
# status 2 (bad input) or 1 (verification failed) with a clear message.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=${PARLEY_SOURCE_ROOT:-.}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"
# parts of this test need these tools and are left out without them; in CI
# (PARLEY_REQUIRE_ALL=1) every one must be there
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/skip.sh"
for tool in sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || [ "${PARLEY_REQUIRE_ALL:-0}" != 1 ] ||
		skip "$tool (its checks would be left out)"
done

S=$ROOT/data/ledger/korea-2007.json
mkdir "$T/k" "$T/k2"
expect_any 0 "35 entries" "$P" ledger replay "$T/l.db" --script "$S" --keys "$T/k" --seed 1
expect_any 2 "exists already" "$P" ledger replay "$T/l.db" --script "$S" --keys "$T/k" --seed 1
# reproducible: the same seed gives the same entries
"$P" ledger replay "$T/l2.db" --script "$S" --keys "$T/k2" --seed 1 >/dev/null
for i in 0 11 20 34; do
	"$P" ledger show "$T/l.db" $i >"$T/a"; "$P" ledger show "$T/l2.db" $i >"$T/b"
	cmp -s "$T/a" "$T/b" || bad "entry $i differs between two replays with the same seed"
done
expect_any 0 "audit passed: 35 entries" "$P" ledger audit "$T/l.db"
expect_any 0 "violated" "$P" ledger status "$T/l.db"
for w in verified expired pledged "trust (beta reputation"; do
	grep -qF "$w" "$T/out" || bad "status lacks '$w'"
done
narrow "$T/out" || bad "status wider than 80 columns"
expect_any 0 '"trust"' "$P" ledger status "$T/l.db" --json --as-of 2008-01-01T00:00:00Z
# privacy: japan does not see the us-russia statement's body
expect_any 0 '"body": null' "$P" ledger show "$T/l.db" 29 --key "$T/k/JPN.key"
expect_any 0 "permanent channel" "$P" ledger show "$T/l.db" 29 --key "$T/k/RUS.key"
expect_any 2 "not the registered secret key" "$P" ledger show "$T/l.db" 29 --key "$T/k2/USA.pub"
# proofs, checkpoint, bundle, offline verification with witnesses
expect_any 0 '"proof"' "$P" ledger proof "$T/l.db" --index 11
expect_any 0 '"root2"' "$P" ledger proof "$T/l.db" --from 20
expect_any 2 "" "$P" ledger proof "$T/l.db" --index 99
expect_any 0 "wrote" "$P" ledger bundle "$T/l.db" 11 --out "$T/b.json"
L="$T/k/log.six-party.example.pub"
expect_any 0 "verified" "$P" ledger verify "$T/b.json" --log-pub "$L" --witness "$T/k/RUS.pub" \
	--witness "$T/k/CHN.pub"
expect_any 1 "NOT VERIFIED" "$P" ledger verify "$T/b.json" --log-pub "$L" --witness "$T/k/USA.pub"
expect_any 1 "NOT VERIFIED" "$P" ledger verify "$T/b.json" --log-pub "$T/k/USA.pub"
sed 's/"index": 11/"index": 12/' "$T/b.json" >"$T/b2.json"
expect_any 1 "NOT VERIFIED" "$P" ledger verify "$T/b2.json" --log-pub "$L"
# appends: a member may, a non-member may not; bad bodies name the rule
expect_any 0 "appended entry 35" "$P" ledger append "$T/l.db" --key "$T/k/USA.key" \
	--kind statement --channel trilateral --body '{"text":"ready to meet"}' \
	--time 2009-05-01T00:00:00Z
expect_any 2 "not a member" "$P" ledger append "$T/l.db" --key "$T/k/JPN.key" \
	--kind statement --channel trilateral --body '{"text":"let me in"}'
expect_any 2 "unknown member 'colour'" "$P" ledger append "$T/l.db" --key "$T/k/USA.key" \
	--kind statement --body '{"text":"x","colour":"red"}'
expect_any 2 "not a JSON object" "$P" ledger append "$T/l.db" --key "$T/k/USA.key" \
	--kind statement --body '{"text":'
expect_any 2 "verification result" "$P" ledger append "$T/l.db" --key "$T/k/IAEA.key" \
	--kind verification --channel six-party --body '{"commitment":"00","result":"maybe"}'
expect_any 2 "--kind 'party'" "$P" ledger append "$T/l.db" --key "$T/k/USA.key" --kind party \
	--body '{}'
# a batch: all or nothing
printf '%s\n' '{"kind":"statement","channel":"public","body":{"text":"one"}}' \
	'{"kind":"statement","channel":"us-russia","body":{"text":"two"}}' >"$T/batch.jsonl"
expect_any 0 "appended entries 36 to 37" "$P" ledger append "$T/l.db" --key "$T/k/USA.key" \
	--batch "$T/batch.jsonl"
printf '%s\n' '{"kind":"statement","channel":"public","body":{"text":"three"}}' \
	'{"kind":"statement","channel":"trilateral","body":{"text":"four"}}' >"$T/batch2.jsonl"
expect_any 2 "not a member" "$P" ledger append "$T/l.db" --key "$T/k/JPN.key" --batch "$T/batch2.jsonl"
printf 'not json\n' >"$T/batch3.jsonl"
expect_any 2 "batch3.jsonl:1" "$P" ledger append "$T/l.db" --key "$T/k/JPN.key" --batch "$T/batch3.jsonl"
expect_any 0 "audit passed: 38 entries" "$P" ledger audit "$T/l.db"
expect_any 2 "unknown option" "$P" ledger audit "$T/l.db" --frobnicate
expect_any 2 "unknown subcommand" "$P" ledger frobnicate
# witnessing: a new checkpoint, consistent with the last one seen
expect_any 0 "" "$P" ledger checkpoint "$T/l.db" --log-key "$T/k/log.six-party.example.key"
expect_any 0 "cosigned" "$P" ledger witness "$T/l.db" --key "$T/k/RUS.key" \
	--state "$T/k/RUS.state" --time 1241136000
expect_any 2 "not this log's key" "$P" ledger checkpoint "$T/l.db" --log-key "$T/k/USA.key"
# a split view: the other replay (another history under the same names)
expect_any 2 "" "$P" ledger witness "$T/l2.db" --key "$T/k/RUS.key" --state "$T/k/RUS.state"
# an independent witness (Japan) with no database: first sight, then a
# consistency proof for the grown log; the log attaches its cosignatures
"$P" ledger checkpoint "$T/l.db" --log-key "$T/k/log.six-party.example.key" >"$T/cp1"
expect_any 0 "" "$P" ledger cosign --checkpoint "$T/cp1" --key "$T/k/JPN.key" --log-pub "$L" \
	--state "$T/jpn.state" --time 1241136000 --out "$T/cp1.jpn"
expect_any 0 "attached 1 cosignature" "$P" ledger checkpoint "$T/l.db" --add "$T/cp1.jpn"
expect_any 0 "attached 0 cosignatures" "$P" ledger checkpoint "$T/l.db" --add "$T/cp1.jpn"
size1=$(sed -n 2p "$T/cp1")
"$P" ledger append "$T/l.db" --key "$T/k/CHN.key" --kind statement --body '{"text":"next"}' \
	>/dev/null
"$P" ledger checkpoint "$T/l.db" --log-key "$T/k/log.six-party.example.key" >"$T/cp2"
expect_any 2 "consistency proof from size" "$P" ledger cosign --checkpoint "$T/cp2" \
	--key "$T/k/JPN.key" --log-pub "$L" --state "$T/jpn.state"
"$P" ledger proof "$T/l.db" --from "$size1" >"$T/pr"
expect_any 0 "" "$P" ledger cosign --checkpoint "$T/cp2" --key "$T/k/JPN.key" --log-pub "$L" \
	--state "$T/jpn.state" --proof "$T/pr" --out "$T/cp2.jpn"
expect_any 0 "attached 1 cosignature" "$P" ledger checkpoint "$T/l.db" --add "$T/cp2.jpn"
# the other replay (same seed, so the same log key, but a shorter history) is a
# split view for this witness
"$P" ledger checkpoint "$T/l2.db" --log-key "$T/k2/log.six-party.example.key" >"$T/cpx"
expect_any 2 "split view" "$P" ledger cosign --checkpoint "$T/cpx" \
	--key "$T/k/JPN.key" --log-pub "$L" --state "$T/jpn.state" --proof "$T/pr"
# a cosignature from an unregistered key is refused
"$P" ledger keygen stranger --out "$T/str" >/dev/null
"$P" ledger cosign --checkpoint "$T/cp2" --key "$T/str.key" --log-pub "$L" \
	--state "$T/str.state" --out "$T/cp2.str" >/dev/null
expect_any 2 "not a valid cosignature" "$P" ledger checkpoint "$T/l.db" --add "$T/cp2.str"
expect_any 0 "audit passed" "$P" ledger audit "$T/l.db"
# keys: the secret key file is private
expect_any 0 "" "$P" ledger keygen example.org/observer --out "$T/obs"
[ "$(stat -c %a "$T/obs.key")" = 600 ] || bad "secret key file is not mode 600"
cp "$T/k/USA.key" "$T/open.key"; chmod 644 "$T/open.key"
expect_any 2 "readable by others" "$P" ledger show "$T/l.db" 0 --key "$T/open.key"
# a corrupted entry fails the audit
cp "$T/l.db" "$T/c.db"
printf 'UPDATE entries SET body = replace(body, %s, %s) WHERE idx = 11;\n' \
	"'Yongbyon'" "'Yongbyan'" >"$T/sql"
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$T/c.db" <"$T/sql"
	expect_any 1 "AUDIT FAILED" "$P" ledger audit "$T/c.db"
fi
expect 2 "not a SQLite database" "$P" ledger audit "$S"
expect_any 2 "no such ledger" "$P" ledger status "$T/none.db"
# a registration entry (signed by the log itself) bundles and verifies too
"$P" ledger bundle "$T/l.db" 3 >"$T/b3.json"
expect_any 0 "verified" "$P" ledger verify "$T/b3.json" --log-pub "$L"

finish "ledger cli"
