#!/bin/sh
# test_game_cli.sh - `parley game` end to end: info, solve in every format,
# convert, exit status 2 with file:line on bad files, nothing written on error.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
D=tests/game/data
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"
has() { grep -qF -- "$1" "$T/out" && ok || bad "output lacks '$1'"; }

expect 0 "" "$P" game --help
expect 0 "" "$P" game solvers
has "enummixed"
expect 0 "" "$P" game info data/games/korea-crisis.efg
has "perfect recall: yes"
has "players: 4"

# the crisis game: equilibria with outcome probabilities and payoffs
expect 0 "" "$P" game solve data/games/korea-crisis.efg
has "equilibria: 3"
has "Guarantee for a freeze: the forum works"
has "\"Deal, then a new crisis\"): 3/5"
has "outcomes reached in no equilibrium"
expect 0 "" "$P" game solve data/games/korea-crisis.efg --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["equilibria"]) == 3' \
	"$T/out" 2>/dev/null && ok || { command -v python3 >/dev/null && bad "json output" || ok; }
expect 0 "" "$P" game solve $D/bos.nfg --format csv
has "equilibrium,section,player,where,item,value"
expect 0 "" "$P" game solve $D/bos.nfg --solver lh --format gambit
has "NE,2/3,1/3,1/3,2/3"
expect 0 "" "$P" game solve $D/mp.nfg --solver lp
has "maximum regret"

# convert: a tree to its reduced strategic form, written atomically
expect 0 "" "$P" game convert $D/horse.efg --to nfg --output "$T/horse.nfg"
expect 0 "" "$P" game solve "$T/horse.nfg" --solver pure --format gambit
[ "$(wc -l <"$T/out")" = 2 ] && ok || bad "horse strategic form: 2 pure equilibria"
expect 0 "" "$P" game convert $D/pd.nfg --to json
has "\"format\": \"parley-game\""

# .efg -> JSON -> .efg gives the same bytes, and so the same hash
for f in data/games/*.efg $D/*.efg; do
	b=$(basename "$f" .efg)
	"$P" game convert "$f" --to efg --output "$T/$b.1.efg" &&
		"$P" game convert "$T/$b.1.efg" --to json --output "$T/$b.json" &&
		"$P" game convert "$T/$b.json" --to efg --output "$T/$b.2.efg" &&
		cmp -s "$T/$b.1.efg" "$T/$b.2.efg" && ok || bad "$f: .efg -> JSON -> .efg differs"
	h1=$("$P" game solve "$T/$b.1.efg" --solver spe --format json | grep -o 'input_sha256[^,]*')
	h2=$("$P" game solve "$T/$b.json" --solver spe --format json | grep -o 'input_sha256[^,]*')
	[ -n "$h1" ] && [ "$h1" = "$h2" ] && ok || bad "$f: hash '$h1' became '$h2'"
done

# bad input: exit 2, the file and line, nothing written
printf 'EFG 2 R "t" { "1" }\nc "" 1 "" { "a" 1/2 "b" 1/3 } 0\nt "" 0\nt "" 0\n' >"$T/bad.efg"
expect 2 "bad.efg:2: chance information set 1: probabilities sum to 5/6" \
	"$P" game solve "$T/bad.efg" --output "$T/never"
[ ! -e "$T/never" ] && ok || bad "output written on error"
expect 2 "no such solver" "$P" game solve $D/pd.nfg --solver nosuch
expect 2 "two-player" "$P" game solve $D/coord3.nfg --solver enummixed
expect 2 "constant-sum" "$P" game solve $D/bos.nfg --solver lp
expect 2 "cannot be written as .efg" "$P" game convert $D/pd.nfg --to efg
expect 2 "unknown option" "$P" game solve $D/pd.nfg --frob

# every bad-input path of `parley game`: exit 2, the file (and the line where
# there is one) and the rule broken, for info, solve and convert alike
for sub in info solve "convert --to json"; do
	# shellcheck disable=SC2086
	expect 2 "/nonexistent.efg: cannot open the game file: No such file" \
		"$P" game $sub /nonexistent.efg
done
mkdir "$T/dir.efg"
expect 2 "dir.efg: is a directory, not a game file" "$P" game info "$T/dir.efg"
expect 2 "is a directory, not a game file" "$P" game solve "$T"
: >"$T/empty.efg"
expect 2 "empty.efg:1: not a game file: it is empty" "$P" game info "$T/empty.efg"
printf '\n\n' >"$T/blank.nfg"
expect 2 "blank.nfg:1: not a game file: it is empty" "$P" game solve "$T/blank.nfg"
cp $D/horse.efg "$T/horse.txt"
expect 2 "horse.txt: unknown extension '.txt': a game file is named .efg, .nfg or .json" \
	"$P" game info "$T/horse.txt"
cp $D/horse.efg "$T/horse"
expect 2 "horse: the name has no extension" "$P" game convert "$T/horse" --to json
cp $D/pd.nfg "$T/pd.efg"
expect 2 "pd.efg:1: the file is named .efg but holds a strategic-form game (NFG)" \
	"$P" game info "$T/pd.efg"
"$P" game convert $D/pd.nfg --to json >"$T/pd.json" 2>/dev/null
cp "$T/pd.json" "$T/pdj.nfg"
expect 2 "pdj.nfg:1: the file is named .nfg but holds parley's JSON form" \
	"$P" game solve "$T/pdj.nfg"
cp $D/pd.nfg "$T/pdn.json"
expect 2 "pdn.json:1: the file is named .json but holds a strategic-form game" \
	"$P" game info "$T/pdn.json"
cp $D/horse.efg "$T/upper.EFG"
expect 0 "" "$P" game info "$T/upper.EFG"
printf '\177ELF\002\001' >"$T/binary.efg"
expect 2 "binary.efg:1: not a game file" "$P" game info "$T/binary.efg"
expect 2 "--output '$T/pd.nfg' must end in .json" \
	"$P" game convert $D/pd.nfg --to json --output "$T/pd.nfg"
[ ! -e "$T/pd.nfg" ] && ok || bad "convert wrote a file with the wrong extension"

finish "game cli"
