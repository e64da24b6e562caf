#!/bin/sh
# test_ledger_concurrent.sh - `parley ledger append` from several processes
# at once: every append is acknowledged (none refused as a replay or for a
# locked database), each gets its own index with no gap, and the audit
# passes.  Processes and appends per process: $1 and $2 (4 and 100).
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=${PARLEY_SOURCE_ROOT:-.}
. "$ROOT/tests/cli/lib.sh"
NPROC=${1:-4}
NAPP=${2:-100}

mkdir "$T/k"
expect_any 0 "35 entries" "$P" ledger replay "$T/l.db" --script "$ROOT/data/ledger/korea-2007.json" \
	--keys "$T/k" --seed 1
i=0
while [ "$i" -lt "$NPROC" ]; do
	(
		j=0
		while [ "$j" -lt "$NAPP" ]; do
			"$P" ledger append "$T/l.db" --key "$T/k/USA.key" --kind statement \
				--channel public --body "{\"text\":\"process $i, message $j\"}" \
				>>"$T/out.$i" 2>>"$T/err.$i" || echo "$i $j" >>"$T/refused"
			j=$((j + 1))
		done
	) &
	i=$((i + 1))
done
wait
total=$((NPROC * NAPP))
if [ -s "$T/refused" ]; then
	bad "$(wc -l <"$T/refused") of $total concurrent appends refused:"
	sort "$T"/err.* | uniq -c | head -5
else
	ok
fi
# "appended entry N": one line per append, the indexes 35 .. 35+total-1
cat "$T"/out.* | sed -n 's/^appended entry \([0-9]*\).*/\1/p' | sort -n >"$T/idx"
seq 35 $((35 + total - 1)) >"$T/want"
cmp -s "$T/idx" "$T/want" && ok ||
	bad "the acknowledged indexes are not 35..$((35 + total - 1)) once each" \
		"($(wc -l <"$T/idx") acknowledged, $(sort -n "$T/idx" | uniq -d | wc -l) duplicates)"
expect_any 0 "audit passed: $((35 + total)) entries" "$P" ledger audit "$T/l.db"
finish ledger_concurrent
