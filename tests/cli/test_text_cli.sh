#!/bin/sh
# test_text_cli.sh - tables with Korean, Chinese and Russian text (titles,
# periods, issue and anchor names of tests/cli/data/unicode-names.json):
# text is cut between characters, never inside one, and measured in
# terminal columns (a Hangul or Han character takes two), so every line
# stays within 80 columns and the columns line up.  Needs python3 (its
# unicodedata is the reference for the widths).
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"
PY=$(command -v python3) || skip "python3: not found (apt-get install python3)"
CASE=tests/cli/data/unicode-names.json

# widths FILE: fails unless FILE is UTF-8 with no line over 80 columns;
# prints the column at which "0-100" starts on each line that has it
widths() {
	"$PY" - "$1" <<'PYEOF'
import sys, unicodedata
def cols(s):
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf"
               else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
try:
    text = open(sys.argv[1], encoding="utf-8").read()
except UnicodeDecodeError as e:
    sys.exit(f"not UTF-8: {e}")
for n, line in enumerate(text.split("\n"), 1):
    if cols(line) > 80:
        sys.exit(f"line {n} is {cols(line)} columns wide: {line}")
    k = line.find(" 0-100 ")
    if k >= 0:
        print(cols(line[:k]))
PYEOF
}

# check NAME ARGS...: run parley ARGS; output within 80 columns, UTF-8
check() {
	name=$1; shift
	expect 0 "" "$P" "$@"
	cp "$T/out" "$T/$name"
	widths "$T/$name" >"$T/$name.cols" 2>"$T/why" && ok || bad "$name: $(cat "$T/why")"
}

check one forecast "$CASE" --engine median
# the scale column starts at the same column on every issue's row
[ "$(sort -u "$T/one.cols" | wc -l)" = 1 ] && [ "$(wc -l <"$T/one.cols")" = 3 ] && ok ||
	bad "one-engine table: the scale column wanders ($(tr '\n' ' ' <"$T/one.cols"))"
# a name of 27 Han characters (81 bytes, 54 columns) fits the 58-column label
grep -qF "朝鲜核计划的冻结与拆除以及国际原子能机构核查的顺序安排" "$T/one" && ok ||
	bad "the Chinese issue name was replaced or cut"
# the Korean title is 93 columns: cut to 80, at a character
head -1 "$T/one" | grep -qF "한반도 비핵화와" && ok || bad "title missing"
check all forecast "$CASE"
check trace forecast "$CASE" --engine smp --trace
check compare compare "$CASE"
check sweep sweep "$CASE" -n 64

# ledger status: the action column (24 columns) of a commitment in Korean
"$PY" - data/ledger/korea-2007.json "$T/script.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["entries"]:
    if e.get("label") == "freeze":
        e["body"]["action"] = "영변 원자로와 재처리 시설의 가동 중단 및 봉인"
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
PYEOF
mkdir -p "$T/keys"
expect 0 "" "$P" ledger replay "$T/l.db" --script "$T/script.json" --keys "$T/keys" --seed 1
check status ledger status "$T/l.db"
grep -q "영변 원자로와 재처리 시…$" "$T/status" && ok || bad "ledger status: action not cut at 24 columns"

# the exchange engine's trades (--trace): within 80 columns, no padding at a
# line's end, each move as from→to; the gain is said to be the first actor's
# only when the two gains differ (p > 0), not under Equal Gain
check trades forecast --engine exchange --trace
! grep -q " $" "$T/trades" && ok || bad "exchange trace: a line ends in spaces"
grep -q "round 1: exchanges, in the order carried out$" "$T/trades" && ok ||
	bad "exchange trace: Equal Gain's header says the gains differ: $(grep -m1 'round 1:' "$T/trades")"
grep -qE "^ +2\.422 USA +security +40\.0→88\.2 +PRK +nuclear +90\.0→0\.0$" "$T/trades" && ok ||
	bad "exchange trace: the first trade is not 'USA security 40.0→88.2, PRK nuclear 90.0→0.0': $(grep -m1 -A2 'round 1:' "$T/trades")"
check trades-p forecast --engine exchange -p p=0.5 --seed 1 --trace
grep -q "round 1: exchanges, in the order carried out (gain: the first's)$" "$T/trades-p" && ok ||
	bad "exchange trace, p=0.5: the header does not say whose gain is shown"

finish "text cli"
