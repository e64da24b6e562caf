#!/bin/sh
# test_ledger_cli_input.sh - `parley ledger` on input that is not what it
# should be (a missing, empty or truncated file, a directory, another kind
# of file): exit status 2 and a message naming the file and the rule; the
# backdating rule; and the commands that only read, on a ledger the user may
# not write.
#
# As root chmod stops no write, so the read-only checks run as the user
# nobody (setpriv) when the test runs as root, and a ledger whose commits are
# still in its -wal file is read by root too: a read-write open would move
# them into the database on close, so the database and -wal bytes must stay
# as they were.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=${PARLEY_SOURCE_ROOT:-.}
. "$ROOT/tests/cli/lib.sh"
# parts of this test need these tools and are left out without them; in CI
# (PARLEY_REQUIRE_ALL=1) every one must be there
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/skip.sh"
for tool in sqlite3 setpriv; do
	command -v "$tool" >/dev/null 2>&1 || [ "${PARLEY_REQUIRE_ALL:-0}" != 1 ] ||
		skip "$tool (its checks would be left out)"
done

S=$ROOT/data/ledger/korea-2007.json
mkdir "$T/k" "$T/dir"
"$P" ledger replay "$T/l.db" --script "$S" --keys "$T/k" --seed 1 >/dev/null || bad "replay failed"
L="$T/k/log.six-party.example.pub"
"$P" ledger bundle "$T/l.db" 11 --out "$T/b.json" >/dev/null || bad "bundle failed"
: >"$T/empty"
head -c 300 "$T/b.json" >"$T/cut.json"
head -c 4096 "$T/l.db" >"$T/cut.db"

# ---- bundles ----
expect 2 "dir: is a directory, not a ledger bundle" "$P" ledger verify "$T/dir" --log-pub "$L"
expect 2 "none.json: no such file" "$P" ledger verify "$T/none.json" --log-pub "$L"
expect 2 "empty: is empty, not a ledger bundle" "$P" ledger verify "$T/empty" --log-pub "$L"
expect 2 "cut.json: not a ledger bundle: bundle: not JSON" "$P" ledger verify "$T/cut.json" \
	--log-pub "$L"
expect 2 "not a ledger bundle: \$.format" "$P" ledger verify "$S" --log-pub "$L"
expect 2 "l.db: holds a NUL byte, not a ledger bundle" "$P" ledger verify "$T/l.db" --log-pub "$L"
sed 's/"leaf": "{/"leaf": 7, "x": "{/' "$T/b.json" >"$T/shape.json"
expect 2 "not a ledger bundle: \$.entry" "$P" ledger verify "$T/shape.json" --log-pub "$L"
# a bundle of the right form that does not verify is a failed check
sed 's/"index": 11/"index": 12/' "$T/b.json" >"$T/b12.json"
expect 1 "NOT VERIFIED" "$P" ledger verify "$T/b12.json" --log-pub "$L"

# ---- databases, for every command that opens one ----
check_db() { # FILE MESSAGE
	expect 2 "$1: $2" "$P" ledger show "$1" 0
	expect 2 "$1: $2" "$P" ledger status "$1"
	expect 2 "$1: $2" "$P" ledger audit "$1"
	expect 2 "$1: $2" "$P" ledger proof "$1" --index 0
	expect 2 "$1: $2" "$P" ledger bundle "$1" 0
	expect 2 "$1: $2" "$P" ledger checkpoint "$1" --latest
	expect 2 "$1: $2" "$P" ledger append "$1" --key "$T/k/USA.key" --kind statement \
		--body '{"text":"x"}'
	expect 2 "$1: $2" "$P" ledger checkpoint "$1" --log-key "$T/k/log.six-party.example.key"
}
check_db "$T/dir" "is a directory, not a ledger"
check_db "$T/none.db" "no such ledger"
check_db "$T/empty" "is empty, not a ledger"
check_db "$S" "not a ledger (not a SQLite database)"
check_db "$T/cut.db" "not a readable ledger: damaged or truncated"
[ -e "$T/none.db" ] && bad "a command created the missing ledger"
cmp -s "$T/empty" /dev/null || bad "a command wrote into the empty file"

# ---- other input files ----
A="$P ledger append $T/l.db --key $T/k/USA.key"
expect 2 "dir: is a directory, not a JSON body" $A --kind statement --body-file "$T/dir"
expect 2 "empty: is empty, not a JSON body" $A --kind statement --body-file "$T/empty"
expect 2 "none: no such file, not a JSON body" $A --kind statement --body-file "$T/none"
expect 2 "dir: is a directory, not a batch file" $A --batch "$T/dir"
expect 2 "empty: is empty, not a batch file" $A --batch "$T/empty"
expect 2 "dir: is a directory, not a cosigned checkpoint note" "$P" ledger checkpoint \
	"$T/l.db" --add "$T/dir"
expect 2 "empty: is empty, not a cosigned checkpoint note" "$P" ledger checkpoint "$T/l.db" \
	--add "$T/empty"
expect 2 "dir: is a directory, not a checkpoint note" "$P" ledger cosign --checkpoint "$T/dir" \
	--key "$T/k/JPN.key" --log-pub "$L" --state "$T/jpn.state"
"$P" ledger checkpoint "$T/l.db" --latest >"$T/cp" || bad "checkpoint --latest failed"
expect 2 "empty: is empty, not a consistency proof" "$P" ledger cosign --checkpoint "$T/cp" \
	--key "$T/k/JPN.key" --log-pub "$L" --state "$T/jpn.state" --proof "$T/empty"
expect 2 "needs DB and one of" "$P" ledger checkpoint "$T/l.db"
expect 2 "b.json: note:" "$P" ledger cosign --checkpoint "$T/b.json" --key "$T/k/JPN.key" \
	--log-pub "$L" --state "$T/jpn.state"
expect 2 "b.json: note:" "$P" ledger checkpoint "$T/l.db" --add "$T/b.json"
expect 2 "dir: cannot read the witness state" "$P" ledger witness "$T/l.db" \
	--key "$T/k/RUS.key" --state "$T/dir"
expect 2 "cut.json: the witness state is not a checkpoint of this log" "$P" ledger witness \
	"$T/l.db" --key "$T/k/RUS.key" --state "$T/cut.json"

# ---- backdating: a verification dated before its commitment (entry 11,
# the freeze of 2007-02-13) ----
h=$("$P" ledger show "$T/l.db" 11 | sed -n 's/.*"leaf_hash": "\([0-9a-f]*\)".*/\1/p')
ev=$(printf '%064d' 0)
expect 2 "backdated: dated 2007-02-12T23:59:59Z, before the commitment" "$P" ledger append \
	"$T/l.db" --key "$T/k/IAEA.key" --kind verification --channel six-party \
	--time 2007-02-12T23:59:59Z \
	--body "{\"commitment\":\"$h\",\"result\":\"verified\",\"evidence\":\"$ev\"}"
expect 2 "backdated" "$P" ledger append "$T/l.db" --key "$T/k/PRK.key" --kind withdrawal \
	--channel six-party --time 2007-01-01T00:00:00Z \
	--body "{\"commitment\":\"$h\",\"reason\":\"no\"}"
expect_any 0 "audit passed: 35 entries" "$P" ledger audit "$T/l.db"

# ---- reading a ledger the user may not write ----
RUN=
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
		RUN="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
		chmod 755 "$T"
	else
		echo "no setpriv or no user nobody: the read-only checks run as root only"
	fi
fi
as_user() { $RUN "$@"; }
reads() { # DB: every command that only reads, as the user
	expect_any 0 "entries" as_user "$P" ledger status "$1"
	expect_any 0 "audit passed" as_user "$P" ledger audit "$1"
	expect_any 0 '"leaf_hash"' as_user "$P" ledger show "$1" 11
	expect_any 0 '"proof"' as_user "$P" ledger proof "$1" --index 11
	expect_any 0 "parley-ledger-bundle/v1" as_user "$P" ledger bundle "$1" 11
	expect_any 0 "six-party.example/ledger" as_user "$P" ledger checkpoint "$1" --latest
	expect_any 0 '"trust"' as_user "$P" forecast --trust "$1" --engine compromise -f json
}
# (a) mode 444 in a directory the user may write: nothing is created beside
# it, and once the user makes it writable again appends work (a -shm left
# with mode 444 would refuse them)
mkdir "$T/a"
cp "$T/l.db" "$T/a/l.db"
cp "$T/k/USA.key" "$T/a/USA.key"
[ -n "$RUN" ] && chown -R nobody "$T/a"
as_user chmod 444 "$T/a/l.db"
cp "$T/a/l.db" "$T/a.orig"
reads "$T/a/l.db"
cmp -s "$T/a/l.db" "$T/a.orig" || bad "(a) a read-only command changed the database"
ls "$T/a" | grep -q -- '-wal\|-shm' && bad "(a) read-only commands left $(ls "$T/a")"
if [ -n "$RUN" ] || [ "$(id -u)" != 0 ]; then
	expect 2 "cannot write the ledger" as_user "$P" ledger append "$T/a/l.db" \
		--key "$T/a/USA.key" --kind statement --body '{"text":"x"}'
fi
as_user chmod 644 "$T/a/l.db"
expect_any 0 "appended entry 35" as_user "$P" ledger append "$T/a/l.db" --key "$T/a/USA.key" \
	--kind statement --body '{"text":"x"}'
# (b) mode 444 in a directory the user may not write (read-only media)
mkdir "$T/b"
cp "$T/l.db" "$T/b/l.db"
chmod 444 "$T/b/l.db"
[ -z "$RUN" ] && chmod 555 "$T/b"
reads "$T/b/l.db"
cmp -s "$T/b/l.db" "$T/l.db" || bad "(b) a read-only command changed the database"
ls "$T/b" | grep -q -- '-wal\|-shm' && bad "(b) read-only commands left $(ls "$T/b")"
chmod 755 "$T/b"
# (c) commits still in the -wal (a writer that did not checkpoint): read as
# the user in a directory it may not write, and by root
if command -v sqlite3 >/dev/null 2>&1; then
	mkdir "$T/c"
	cp "$T/l.db" "$T/c/l.db"
	sqlite3 "$T/c/l.db" ".dbconfig no_ckpt_on_close on" "PRAGMA user_version = 7;" >/dev/null
	[ -s "$T/c/l.db-wal" ] || bad "(c) the -wal holds nothing"
	chmod 444 "$T/c/l.db" "$T/c/l.db-wal" "$T/c/l.db-shm"
	cp "$T/c/l.db" "$T/c.orig"
	cp "$T/c/l.db-wal" "$T/c.wal"
	[ -z "$RUN" ] && chmod 555 "$T/c"
	reads "$T/c/l.db"
	RUN_SAVED=$RUN
	RUN=
	reads "$T/c/l.db"
	RUN=$RUN_SAVED
	cmp -s "$T/c/l.db" "$T/c.orig" || bad "(c) a read-only command changed the database"
	cmp -s "$T/c/l.db-wal" "$T/c.wal" || bad "(c) a read-only command changed the -wal"
	[ "$(sqlite3 -readonly "$T/c/l.db" 'PRAGMA user_version')" = 7 ] ||
		bad "(c) the commit in the -wal is lost"
	chmod 755 "$T/c"
else
	echo "no sqlite3 shell: the -wal case is covered by test_ledger_input only"
fi

finish "ledger cli input"
