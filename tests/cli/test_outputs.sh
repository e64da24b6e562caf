#!/bin/sh
# test_outputs.sh - what `parley ledger` and `parley game` print keeps its
# bytes: each command of outputs/commands must print (stdout, stderr and exit
# status) exactly what it printed before the ledger's and the game's documents
# moved from cli/ into the library (issue 11), recorded as SHA-256 sums in
# outputs/sha256.  A change that means to change an output updates the sums:
# tests/cli/test_outputs.sh --update (with $PARLEY and $PARLEY_SOURCE_ROOT
# set), and says so in news.d/.
P=${PARLEY:?set PARLEY to the parley executable}
R=${PARLEY_SOURCE_ROOT:-.}
cd "$R" || exit 1
. tests/cli/lib.sh
D=tests/cli/outputs
G=tests/game/data
K=$T/k
L=$T/l.db
W=$T/w.db
# the version, wherever it is printed, is made neutral (a release changes it)
V=$("$P" --version | awk '{print $2}' | sed 's/\./\\./g')
mkdir -p "$K" "$T/k2"
"$P" ledger replay "$L" --script data/ledger/korea-2007.json --keys "$K" --seed 1 \
	>/dev/null 2>&1 || { echo "ledger replay failed"; exit 1; }
cp "$L" "$W"
"$P" ledger bundle "$L" 11 --out "$T/b11.json" >/dev/null &&
	"$P" ledger bundle "$L" 29 --key "$K/JPN.key" --out "$T/b29.json" >/dev/null &&
	sed 's/"index": 11/"index": 12/' "$T/b11.json" >"$T/bad.json" &&
	"$P" ledger keygen NEW --out "$T/new" >/dev/null || { echo "setup failed"; exit 1; }
printf '%s\n' '{"kind":"statement","channel":"public","body":{"text":"one"}}' \
	'{"kind":"statement","channel":"us-russia","body":{"text":"two"}}' >"$T/batch.jsonl"
printf '%s\n' '{"kind":"statement","channel":"public","body":{"text":"three"}}' \
	'{"kind":"statement","channel":"trilateral","body":{"text":"four"}}' >"$T/batch2.jsonl"
printf 'not json\n' >"$T/batch3.jsonl"
printf '{"origin":"x"}' >"$T/noscript.json"
printf '{"text":"from a file"}' >"$T/body.json"

# one command's output (the temporary directory and audit's time made
# neutral) as its SHA-256
run_one() {
	# shellcheck disable=SC2086 # the arguments are split on purpose
	"$P" $1 >"$T/o" 2>"$T/e"
	s=$?
	{ cat "$T/o"; echo "--- stderr"; cat "$T/e"; echo "exit $s"; } |
		sed -e "s#$T/#@TMP@/#g" -e "s/$V/@VERSION@/g" -e 's/verified ([0-9.]* s)$/verified (@TIME@ s)/' |
		sha256sum | cut -c1-64
}

expand() {
	echo "$1" | sed -e "s#\$L#$L#g" -e "s#\$W#$W#g" -e "s#\$K#$K#g" -e "s#\$G#$G#g" \
		-e "s#\$T#$T#g"
}

if [ "${1:-}" = "--update" ]; then
	grep -v '^#' "$D/commands" | while read -r name args; do
		echo "$(run_one "$(expand "$args")") $name"
	done >"$D/sha256"
	exit 0
fi

grep -v '^#' "$D/commands" >"$T/commands"
while read -r name args; do
	want=$(awk -v n="$name" '$2 == n {print $1}' "$D/sha256")
	got=$(run_one "$(expand "$args")")
	if [ -z "$want" ]; then
		bad "$name: no sum in $D/sha256"
	elif [ "$got" = "$want" ]; then
		ok
	else
		bad "$name: parley $args prints other bytes than before"
		head -5 "$T/o" "$T/e"
	fi
done <"$T/commands"
finish outputs
