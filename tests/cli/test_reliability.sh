#!/bin/sh
# test_reliability.sh - the reliability defects of issue 11, end to end: each
# check failed before its fix.  Bad input exits 2 naming the file (and line),
# nothing hangs, read-only commands leave nothing behind.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=${PARLEY_SOURCE_ROOT:-.}
. "$ROOT/tests/cli/lib.sh"
CASE=$ROOT/data/cases/korea-six-party.json
EFG=$ROOT/data/games/korea-crisis.efg

# within SECS CMD...: CMD must end within SECS seconds of CPU time and 6 x
# SECS of wall-clock time (the machine may be shared; a FIFO's reader waits
# without CPU), else it is killed and that is a failure; its status is left
# in $rc, output in $T/out and $T/err
within() {
	secs=$1; shift
	(ulimit -t "$secs" && exec timeout -s KILL $((6 * secs)) "$@") >"$T/out" 2>"$T/err"
	rc=$?
	case $rc in
	137 | 152) bad "$* did not end within ${secs}s (exit $rc)" ;;
	esac
}

# ---- the game reader: a NUL byte or invalid UTF-8 is refused, with the line
python3 - "$EFG" "$T" <<'PY'
import sys
s = open(sys.argv[1], 'rb').read()
i = s.index(b'"') + 3
open(sys.argv[2] + '/nul.efg', 'wb').write(s[:i] + b'\x00cut' + s[i:])
open(sys.argv[2] + '/latin1.efg', 'wb').write(s[:i] + b'\xe9' + s[i:])
lines = s.split(b'\n')
lines[3] = lines[3].replace(b'"', b'"\xc3\x28', 1)
open(sys.argv[2] + '/bad4.efg', 'wb').write(b'\n'.join(lines))
PY
expect 2 "nul.efg:1: the file contains a NUL byte" "$P" game info "$T/nul.efg"
expect 2 "latin1.efg:1: invalid UTF-8 byte 0xE9" "$P" game info "$T/latin1.efg"
expect 2 "bad4.efg:4: invalid UTF-8 byte 0xC3" "$P" game convert "$T/bad4.efg" --to json \
	--output "$T/never.json"
[ ! -e "$T/never.json" ] && ok || bad "convert wrote invalid UTF-8 out"

# ---- counts a KTAB CSV cannot hold allocate nothing (found by fuzz_case_csv:
# 300000 actors x 245 dimensions from a 17-byte file asked for 5 GB)
printf 'r,(quo0, 3e5,245\n' >"$T/counts.csv"
within 10 "$P" validate --input-format ktab "$T/counts.csv"
[ "$rc" = 2 ] && grep -qF "counts.csv:1: nActors 300000 and nDims 245 need at least" "$T/err" &&
	ok || bad "KTAB counts beyond the file: exit $rc, $(cat "$T/err")"

# ---- a FIFO with no writer: refused at once, not waited on
mkfifo "$T/fifo.json" "$T/fifo.efg"
within 10 "$P" validate "$T/fifo.json"
[ "$rc" = 2 ] && grep -qF "fifo.json: is not a regular file" "$T/err" && ok ||
	bad "validate on a FIFO: exit $rc, $(cat "$T/err")"
within 10 "$P" game info "$T/fifo.efg"
[ "$rc" = 2 ] && grep -qF "fifo.efg: is not a regular file" "$T/err" && ok ||
	bad "game info on a FIFO: exit $rc, $(cat "$T/err")"
within 10 "$P" forecast "$T/fifo.json"
[ "$rc" = 2 ] && ok || bad "forecast on a FIFO: exit $rc"

# ---- a 100,000-deep tree: info and solve answer in seconds, not minutes
python3 - "$T/deep.efg" <<'PY'
import sys
n = 100000
out = ['EFG 2 R "deep" { "A" "B" }', '""']
for i in range(n):
    out.append('p "" %d %d "" { "a" "b" } 0' % (1 + i % 2, i // 2 + 1))
    out.append('t "" %d "" { %d %d }' % (i + 1, i, -i))
out.append('t "" %d "" { 0 0 }' % (n + 1))
open(sys.argv[1], 'w').write('\n'.join(out) + '\n')
PY
within 20 "$P" game info "$T/deep.efg"
[ "$rc" = 0 ] && grep -qF "strategic form: too large to build" "$T/out" && ok ||
	bad "game info on a deep tree: exit $rc"
within 20 "$P" game solve "$T/deep.efg"
[ "$rc" = 2 ] && grep -qF "subgames nest more than" "$T/err" && ok ||
	bad "game solve on a deep tree: exit $rc, $(cat "$T/err")"
# ---- enummixed: a 14 x 14 game of equal payoffs (rank 1) is solved at once;
# a game too large for it is refused before the work starts
python3 - "$T" <<'PY'
import random, sys
random.seed(1)
def nfg(path, n, pay):
    with open(path, 'w') as f:
        f.write('NFG 1 R "t" { "A" "B" } { %d %d }\n' % (n, n))
        f.write(' '.join('%d %d' % pay() for _ in range(n * n)) + '\n')
nfg(sys.argv[1] + '/zero.nfg', 14, lambda: (0, 0))
nfg(sys.argv[1] + '/big.nfg', 13, lambda: (random.randint(0, 9), random.randint(0, 9)))
PY
within 20 "$P" game solve "$T/zero.nfg" --solver enummixed --max 1000
[ "$rc" = 0 ] && grep -qF "equilibria: 196" "$T/out" && ok ||
	bad "enummixed on the 14 x 14 zero game: exit $rc, $(head -3 "$T/out" "$T/err")"
within 10 "$P" game solve "$T/big.nfg" --solver enummixed
[ "$rc" = 2 ] && grep -qF "too large for vertex enumeration" "$T/err" && ok ||
	bad "enummixed on a 13 x 13 game: exit $rc, $(cat "$T/err")"

# ---- smp on 2,000 actors: refused at once with its documented limit (it
# ran for over a minute); the other engines answer
python3 -c '
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    f.write("Actor,Capability,Position,Salience\n")
    for i in range(2000):
        f.write("A%d,%d,%d,%d\n" % (i, random.randint(1, 100), random.randint(0, 100),
                                    random.randint(10, 100)))
' "$T/many.csv"
within 10 "$P" forecast "$T/many.csv" -e smp
[ "$rc" = 2 ] && grep -qF "2000 actors: smp takes at most 1000" "$T/err" && ok ||
	bad "smp on 2000 actors: exit $rc, $(cat "$T/err")"
within 10 "$P" forecast "$T/many.csv" -e median
[ "$rc" = 0 ] && ok || bad "median on 2000 actors: exit $rc"

# ---- an input the user may not read: exit 2 as for a missing one (as user
# nobody when the test runs as root, for whom chmod 000 stops nothing)
RUN=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	RUN="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
	chmod 755 "$T"
fi
if [ -n "$RUN" ] || [ "$(id -u)" != 0 ]; then
	cp "$CASE" "$T/secret.json"
	cp "$EFG" "$T/secret.efg"
	chmod 000 "$T/secret.json" "$T/secret.efg"
	for cmd in validate forecast sweep; do
		expect 2 "secret.json: cannot open: Permission denied" $RUN "$P" $cmd "$T/secret.json"
	done
	expect 2 "secret.efg: cannot open the game file: Permission denied" \
		$RUN "$P" game info "$T/secret.efg"
else
	echo "running as root without setpriv or user nobody: permission checks left out"
fi
expect 2 "missing.efg: cannot open the game file: No such file" "$P" game info "$T/missing.efg"

# ---- read-only ledger commands leave no -wal or -shm beside the ledger
mkdir "$T/k" "$T/l"
"$P" ledger replay "$T/l/l.db" --script "$ROOT/data/ledger/korea-2007.json" --keys "$T/k" \
	--seed 1 >/dev/null 2>&1 || bad "replay"
cp "$T/l/l.db" "$T/l.orig"
expect 2 "is a directory, not a ledger bundle" "$P" ledger verify "$T" \
	--log-pub "$T/k/log.six-party.example.pub"
for c in "status" "audit" "show 11" "proof --index 11" "bundle 11" "checkpoint --latest"; do
	set -- $c
	sub=$1; shift
	expect_any 0 "" "$P" ledger "$sub" "$T/l/l.db" "$@"
	left=$(ls "$T/l" | grep -v '^l\.db$' | tr '\n' ' ')
	[ -z "$left" ] && ok || bad "ledger $c left $left"
done
cmp -s "$T/l/l.db" "$T/l.orig" && ok || bad "read-only commands changed the ledger"

# ---- a caller's salt that anyone can guess is refused; a fresh one is kept
for salt in 00000000000000000000000000000000 abababababababababababababababab 12; do
	expect 2 "body: the salt" "$P" ledger append "$T/l/l.db" --key "$T/k/USA.key" \
		--kind statement --body "{\"text\":\"yes\",\"salt\":\"$salt\"}"
done
expect_any 0 "appended entry 35" "$P" ledger append "$T/l/l.db" --key "$T/k/USA.key" \
	--kind statement --body '{"text":"yes","salt":"8f3a1c9e4b7d2a6f5e0c8b3d9a1f7e24"}'

# ---- a consistency proof for other sizes is no accusation of forking
L="$T/k/log.six-party.example.pub"
"$P" ledger checkpoint "$T/l/l.db" --log-key "$T/k/log.six-party.example.key" >"$T/cp1"
expect_any 0 "" "$P" ledger cosign --checkpoint "$T/cp1" --key "$T/k/JPN.key" --log-pub "$L" \
	--state "$T/jpn.state" --time 1241136000 --out "$T/cp1.jpn"
"$P" ledger append "$T/l/l.db" --key "$T/k/CHN.key" --kind statement --body '{"text":"next"}' \
	>/dev/null
"$P" ledger checkpoint "$T/l/l.db" --log-key "$T/k/log.six-party.example.key" >"$T/cp2"
"$P" ledger proof "$T/l/l.db" --from 20 >"$T/wrong.json"
expect 2 "the consistency proof is from size 20 to 37; these checkpoints need one from 36" \
	"$P" ledger cosign --checkpoint "$T/cp2" --key "$T/k/JPN.key" --log-pub "$L" \
	--state "$T/jpn.state" --proof "$T/wrong.json"
grep -q "split view" "$T/err" && bad "a wrong-size proof called a split view"
# the same proof without its sizes: its length does not fit 35 -> 36
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({"proof": d["proof"]}))' \
	"$T/wrong.json" >"$T/bare.json"
expect 2 "does not match a log growing from 36 to 37 entries" \
	"$P" ledger cosign --checkpoint "$T/cp2" --key "$T/k/JPN.key" --log-pub "$L" \
	--state "$T/jpn.state" --proof "$T/bare.json"
grep -q "split view" "$T/err" && bad "a wrong-length proof called a split view"
"$P" ledger proof "$T/l/l.db" --from 36 >"$T/right.json"
expect_any 0 "" "$P" ledger cosign --checkpoint "$T/cp2" --key "$T/k/JPN.key" --log-pub "$L" \
	--state "$T/jpn.state" --proof "$T/right.json" --out "$T/cp2.jpn"

# ---- a message that quotes input with "%.40s" cuts no UTF-8 character
python3 -c 'import sys; open(sys.argv[1], "w").write("x" + "\u00e9" * 40 + ",1\n")' "$T/cut.dec"
expect 2 "a line starts with #A" "$P" convert "$T/cut.dec" "$T/cut.json" --from decide
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$T/err" 2>/dev/null && ok ||
	bad "an error message holds a cut UTF-8 character"

# ---- no GSL allocator in the library: they report a failed malloc through
# GSL's handler, which aborts a library user's program by default
if grep -rn 'gsl_[a-z_]*_alloc *(' "$ROOT/src" | grep -v '^[^:]*:[0-9]*: *\(/\*\|\*\)' >"$T/alloc"; then
	bad "GSL allocators in src/: $(cat "$T/alloc")"
else
	ok
fi

finish reliability
