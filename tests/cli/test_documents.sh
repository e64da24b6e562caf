#!/bin/sh
# test_documents.sh - the JSON and CSV documents of forecast, compare and
# sweep keep their bytes: each command of documents/commands must print
# exactly what it printed when the documents moved from cli/ into the library
# (issue 11), recorded as SHA-256 sums in documents/sha256 with the version
# written as @VERSION@.  A change that means to change a document updates the
# sums: tests/cli/test_documents.sh --update (with $PARLEY and
# $PARLEY_SOURCE_ROOT set), and says so in news.d/.
P=${PARLEY:?set PARLEY to the parley executable}
R=${PARLEY_SOURCE_ROOT:-.}
cd "$R" || exit 1
. tests/cli/lib.sh
D=tests/cli/documents
# the version, wherever it is printed, is made neutral (a release changes it)
V=$("$P" --version | awk '{print $2}' | sed 's/\./\\./g')
K=data/cases/korea-six-party.json
L=$T/l.db
mkdir -p "$T/keys"
"$P" ledger replay "$L" --script data/ledger/korea-2007.json --keys "$T/keys" --seed 1 \
	>/dev/null 2>&1 || { echo "ledger replay failed"; exit 1; }

# the output of one command with the version (and the temporary ledger's
# path) made neutral, as its SHA-256
run_one() {
	# shellcheck disable=SC2086 # the arguments are split on purpose
	{ "$P" $1 2>"$T/err"; echo "exit $?"; } | sed -e "s#$T/#@TMP@/#g" -e "s/$V/@VERSION@/g" | sha256sum | cut -c1-64
}

if [ "$1" = "--update" ]; then
	grep -v '^#' "$D/commands" | while read -r name args; do
		args=$(echo "$args" | sed -e "s#\$K#$K#g" -e "s#\$L#$L#g")
		echo "$(run_one "$args") $name"
	done >"$D/sha256"
	exit 0
fi

grep -v '^#' "$D/commands" >"$T/commands"
while read -r name args; do
	args=$(echo "$args" | sed -e "s#\$K#$K#g" -e "s#\$L#$L#g")
	want=$(awk -v n="$name" '$2 == n {print $1}' "$D/sha256")
	got=$(run_one "$args")
	if [ -z "$want" ]; then
		bad "$name: no sum in $D/sha256"
	elif [ "$got" = "$want" ]; then
		ok
	else
		bad "$name: parley $args prints other bytes than before"
		cat "$T/err"
	fi
done <"$T/commands"
finish documents
