#!/bin/sh
# test_cli.sh - the parley command end to end: every subcommand's normal
# output, its exit status, and the exit status 2 and message of bad input.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"

expect 0 "" "$P" --version
grep -q '^parley [0-9]' "$T/out" || bad "--version output"
expect 0 "" "$P" --help
expect 2 "unknown command 'frobnicate'" "$P" frobnicate
expect 2 "" "$P"

# forecast on the default case: every engine, every issue, 80 columns
expect 0 "" "$P" forecast
# with every engine the issue column shows ids; with one, the names
for issue in nuclear sequencing security assistance mechanism; do
	grep -q "^$issue " "$T/out" || bad "default forecast lacks '$issue'"
done
"$P" forecast --engine eu >"$T/one"
grep -qF "DPRK nuclear programme" "$T/one" || bad "one-engine table lacks the issue's name"
narrow "$T/out" || bad "table wider than 80 columns"
for e in $("$P" engines | awk '/^[a-z]/ {print $1}'); do
	grep -q "^issue .* $e" "$T/out" || bad "table lacks engine $e"
done
# what the numbers mean: who is at the table, each issue's name and what
# the ends of its scale stand for, the engines in one legend (issue 17)
grep -q "^at the table: all 6 actors (USA, CHN, ROK, JPN, RUS, PRK)$" "$T/out" && ok ||
	bad "the table does not say who is at the table"
grep -q "^  nuclear: DPRK nuclear programme$" "$T/out" && ok || bad "legend: issue name"
grep -q "^       0 = complete, verifiable, irreversible dismantlement" "$T/out" &&
	grep -q "^     100 = recognised nuclear-weapon state$" "$T/out" && ok ||
	bad "legend: what 0 and 100 stand for"
grep -q "^engines: compromise = Achen's compromise; median = median voter;" "$T/out" && ok ||
	bad "legend: engines"
# issues are named by id in every row, however long the name
"$P" forecast data/cases/copenhagen-cop15.json >"$T/cop" 2>/dev/null
awk '/^issue /{t=1; next} t && /^$/ {exit} t {print $1}' "$T/cop" >"$T/cop.ids"
[ "$(wc -l <"$T/cop.ids")" = 7 ] && ! grep -qv '^[A-Za-z0-9]*$' "$T/cop.ids" && ok ||
	bad "copenhagen rows are not named by id: $(tr '\n' ' ' <"$T/cop.ids")"

expect 0 "" "$P" forecast --engine median --format json
grep -q '"sha256": "[0-9a-f]\{64\}"' "$T/out" || bad "json lacks the case hash"
grep -q '"engine": "median"' "$T/out" || bad "json lacks the engine"
grep -q '"parley": "' "$T/out" || bad "json lacks the version"
expect 0 "" "$P" forecast --engine compromise --format csv --issue nuclear
grep -q '^compromise,nuclear,' "$T/out" || bad "csv row"
grep -q '^# parley .* sha256 [0-9a-f]\{64\}' "$T/out" || bad "csv provenance"
expect 0 "" "$P" forecast --engine median --forum bilateral --trace
grep -q '^forum bilateral, Bilateral US-DPRK talks: at the table USA, PRK (the others' "$T/out" ||
	bad "forum not shown"
expect 0 "" "$P" forecast --engine median --forum trilateral
grep -q 'at the table USA,$' "$T/out" && grep -q '^  CHN, RUS (the others weigh 0.25 of their capability)$' "$T/out" &&
	ok || bad "trilateral: the members and the others' weight"

# eu on a cycle (with the paper text's capitulation rule): the note says so;
# the forecast is the mean over the cycle, the same for -r 10 and -r 11
# (issue 12), with the cycle's range; cycle=last gives the last round's,
# which depends on --rounds
expect_any 0 "no rest: from round 1 the positions repeat every 2 rounds" "$P" forecast -e eu -i nuclear -p capitulation=on
for r in 10 11; do
	"$P" forecast -e eu -i nuclear -r $r -p capitulation=on -f json |
		grep -E '"(forecast|cycle_low|cycle_high|cycle_mean)":' | tr -d ' ,' >"$T/cyc$r"
	"$P" forecast -e eu -i nuclear -r $r -p capitulation=on -p cycle=last -f json |
		grep -E '"forecast":' | tr -d ' ,' >"$T/last$r"
done
grep -q '"cycle_low":6.50' "$T/cyc10" && grep -q '"cycle_high":10.0' "$T/cyc10" || bad "eu cycle range"
grep -q '"forecast":8.25190756' "$T/cyc10" || bad "eu cycle: the forecast is not the cycle's mean"
cmp -s "$T/cyc10" "$T/cyc11" && ok || bad "eu cycle: -r 10 and -r 11 differ"
grep -q '"forecast":6.50' "$T/last10" && grep -q '"forecast":10.0' "$T/last11" && ok ||
	bad "eu cycle=last: not the last round's forecast"
# the Korean case with the defaults: every issue the same for -r 10 and -r 11
"$P" forecast -e eu -r 10 -f csv | grep -v '^#' | cut -d, -f1-3 >"$T/k10"
"$P" forecast -e eu -r 11 -f csv | grep -v '^#' | cut -d, -f1-3 >"$T/k11"
cmp -s "$T/k10" "$T/k11" && ok || bad "eu on the Korean case depends on --rounds"

# the same input gives the same bytes
"$P" forecast --format json >"$T/a" && "$P" forecast --format json >"$T/b"
cmp -s "$T/a" "$T/b" && ok || bad "two runs differ"

# output file written atomically; a failing run leaves nothing
expect 0 "" "$P" forecast --format json -o "$T/f.json"
[ -s "$T/f.json" ] && ok || bad "-o wrote nothing"
expect 2 "no issue 'nope'" "$P" forecast --issue nope -o "$T/g.json"
# -o through a symbolic link replaces the file it points to, not the link;
# -o /dev/stdout writes to the stream
echo old >"$T/real.txt"
ln -s real.txt "$T/link.txt"
expect 0 "" "$P" forecast --engine median -o "$T/link.txt"
[ -L "$T/link.txt" ] && grep -q median "$T/real.txt" && ok || bad "-o replaced the link"
"$P" forecast --engine median -o /dev/stdout >"$T/stream.txt"
grep -q median "$T/stream.txt" && [ -L /dev/stdout ] && ok || bad "-o /dev/stdout"
[ ! -e "$T/g.json" ] && ok || bad "failed run wrote a file"

# bad usage
expect 2 "unknown engine 'oracle'" "$P" forecast --engine oracle
expect 2 "must be a whole number from 0 to 9223372036854775807" "$P" forecast -s 9223372036854775808
expect 2 "must be a whole number from 0 to 9223372036854775807" "$P" sweep -s 99999999999999999999999
expect 2 "--rounds 'x' must be a whole number" "$P" forecast --rounds x
expect 2 "--format 'xml' must be table, json or csv" "$P" forecast --format xml
expect 2 "unknown option '--bogus'" "$P" forecast --bogus
expect 2 "no forum 'g20'" "$P" forecast --forum g20
expect 2 "has no parameter 'x'" "$P" forecast --engine median --param x=1
expect 2 "write parameters as ENGINE.NAME=VALUE" "$P" forecast --param x=1
expect 2 "cannot open: No such file or directory" "$P" forecast /no/such/case.json
expect 2 "its directory does not exist" "$P" forecast -e median -o /nonexistent-dir/out.json
expect 2 "is a directory: the output must name a file" "$P" forecast -e median -o /tmp

# validate and convert
expect 0 "" "$P" validate
grep -q 'valid' "$T/out" || bad "validate output"
printf '{"issues": [' >"$T/bad.json"
expect 2 "bad.json:1:12: invalid JSON" "$P" validate "$T/bad.json"
printf 'Actor,Capability,Position,Salience\nA,1,2,300\n' >"$T/bad.csv"
expect 2 "bad.csv:2: Salience 300 is outside [0, 100]" "$P" validate "$T/bad.csv"
: >"$T/empty.json"
expect 2 "the file is empty" "$P" validate "$T/empty.json"

expect 0 "" "$P" convert data/cases/korea-six-party.json "$T/k.json"
expect 0 "" "$P" validate "$T/k.json"
h1=$("$P" validate data/cases/korea-six-party.json | awk '/sha256/ {print $2}')
h2=$("$P" validate "$T/k.json" | awk '/sha256/ {print $2}')
[ "$h1" = "$h2" ] && ok || bad "JSON round trip changed the hash"
expect 0 "does not hold" "$P" convert data/cases/korea-six-party.json "$T/k.csv" --issue security
expect 0 "" "$P" forecast "$T/k.csv" --engine median
# KTAB's reader refuses an actor whose saliences add up to more than 100 (the
# Korean case's USA: 345) and a Power above 10^8; so does the writer
expect 2 "\$.actors[0]: saliences add up to 345 over the issues; KTAB's reader refuses more than 100" \
	"$P" convert data/cases/korea-six-party.json "$T/k.ktab.csv" --to ktab
[ -e "$T/k.ktab.csv" ] && bad "a refused KTAB conversion wrote a file" || ok
kt='{"id":"kt","title":"KT","issues":[{"id":"a","name":"A","anchors":[{"value":0,"label":"none"}]},{"id":"b","name":"B"}],"actors":['
kt_a='{"id":"P","capability":100000000,"stances":{"a":{"position":10,"salience":60},"b":{"position":20,"salience":40}},"note":"at both limits"}'
kt_b='{"id":"Q","capability":5,"stances":{"a":{"position":90,"salience":30},"b":{"position":70,"salience":30}}}'
printf '%s%s,%s]}' "$kt" "$kt_a" "$kt_b" >"$T/kt.json"
expect 0 "does not hold" "$P" convert "$T/kt.json" "$T/k.ktab.csv" --to ktab
expect 0 "" "$P" forecast "$T/k.ktab.csv" --engine compromise --format csv
printf '%s%s,%s]}' "$kt" "$(echo "$kt_a" | sed 's/"salience":40/"salience":40.5/')" "$kt_b" >"$T/kt.json"
expect 2 "\$.actors[0]: saliences add up to 100.5 over the issues" \
	"$P" convert "$T/kt.json" "$T/k2.ktab.csv" --to ktab
printf '%s%s,%s]}' "$kt" "$(echo "$kt_a" | sed 's/100000000/100000000.5/')" "$kt_b" >"$T/kt.json"
expect 2 "\$.actors[0].capability: capability 100000000.5 is above 10^8" \
	"$P" convert "$T/kt.json" "$T/k2.ktab.csv" --to ktab
[ -e "$T/k2.ktab.csv" ] && bad "a refused KTAB conversion wrote a file" || ok
# --rescale: every salience divided by the largest actor's sum / 100 (the
# DPRK's 440), said on stderr; KTAB's check passes on the numbers as written
K=data/cases/korea-six-party.json
expect 0 "note: saliences divided by 4.4 so that no actor's add up to more than 100 (KTAB's limit)" \
	"$P" convert "$K" "$T/k.ktab.csv" --to ktab --rescale
grep -qF "compromise, median and nash forecasts; eu and smp read a salience as an absolute level" \
	"$T/err" && ok || bad "--rescale note lacks what it does to the engines"
grep -qF "does not hold" "$T/err" && ok || bad "--rescale dropped the note on what is lost"
expect 0 "" "$P" validate "$T/k.ktab.csv"
# each actor's saliences, added in file order as KTAB's reader adds them
awk -F, 'NR > 2 { s = 0; for (i = 5; i <= NF; i += 2) s += $i; if (s > 100) bad = 1; if (s > m) m = s }
	END { exit bad || m < 99.999999 }' "$T/k.ktab.csv" && ok || bad "--rescale: a sum over 100"
# read back and written again without --rescale: the writer's own check passes
expect 0 "" "$P" convert "$T/k.ktab.csv" "$T/k-back.json"
expect 0 "" "$P" convert "$T/k-back.json" "$T/k-again.ktab.csv" --to ktab
[ -e "$T/k-again.ktab.csv" ] && ok || bad "the rescaled case does not write as KTAB"
# the compromise and median forecasts do not change (ratios are kept to 15
# digits, the forecasts to 10)
for e in compromise median; do
	"$P" forecast "$K" -e $e --format csv | grep -v '^#' | cut -d, -f3 |
		awk 'NR > 1 { printf "%.10g\n", $1 }' >"$T/f1"
	"$P" forecast "$T/k.ktab.csv" -e $e --format csv | grep -v '^#' | cut -d, -f3 |
		awk 'NR > 1 { printf "%.10g\n", $1 }' >"$T/f2"
	cmp -s "$T/f1" "$T/f2" && ok || bad "--rescale changed the $e forecast"
done
# within the limits --rescale changes nothing and says nothing about it
printf '%s%s,%s]}' "$kt" "$kt_a" "$kt_b" >"$T/kt.json"
"$P" convert "$T/kt.json" "$T/plain.ktab.csv" --to ktab 2>/dev/null
expect 0 "" "$P" convert "$T/kt.json" "$T/same.ktab.csv" --to ktab --rescale
cmp -s "$T/plain.ktab.csv" "$T/same.ktab.csv" && ok || bad "--rescale changed a file within the limits"
grep -q "divided" "$T/err" && bad "--rescale noted a division that did not happen" || ok
# a capability over 10^8: every capability divided, the largest written as 10^8
printf '%s%s,%s]}' "$kt" "$(echo "$kt_a" | sed 's/100000000/300000000/')" "$kt_b" >"$T/kt.json"
expect 0 "note: capabilities divided by 3 so that none is above 10^8 (KTAB's limit)" \
	"$P" convert "$T/kt.json" "$T/cap.ktab.csv" --to ktab --rescale
grep -q '^P,P,100000000,' "$T/cap.ktab.csv" && grep -q '^Q,Q,1.66666666666667,' "$T/cap.ktab.csv" &&
	ok || bad "--rescale capabilities"
# the refusal says what would help; --rescale is for KTAB output only
expect 2 "(--rescale divides every salience of the case by the same factor)" \
	"$P" convert "$K" "$T/k3.ktab.csv" --to ktab
expect 2 "--rescale is for KTAB output (--to ktab) only" \
	"$P" convert "$K" "$T/k3.json" --rescale
expect 2 "--rescale is for KTAB output (--to ktab) only" \
	"$P" convert "$K" "$T/k3.csv" --to csv --rescale
[ -e "$T/k3.json" ] || [ -e "$T/k3.csv" ] || [ -e "$T/k3.ktab.csv" ] &&
	bad "a refused conversion wrote a file" || ok
expect 2 "needs IN and OUT" "$P" convert only-one.json
expect 2 "--to 'xml' must be json, csv, ktab or decide" "$P" convert a.json b.xml --to xml

expect 0 "" "$P" engines -v

# a case one engine cannot take (smp needs every actor on every issue):
# --engine all skips it with a note; asking for it alone is an error, and
# a sweep of it says why (the same reason) before sampling
printf '{"issues":[{"id":"a"},{"id":"b"}],"actors":[{"id":"A","capability":1,"stances":{"a":{"position":10,"salience":50},"b":{"position":20,"salience":50}}},{"id":"B","capability":1,"stances":{"a":{"position":90,"salience":50}}}]}' >"$T/partial.json"
expect 0 "note: smp skipped" "$P" forecast "$T/partial.json"
expect 2 "needs every actor's stance on every issue" "$P" forecast "$T/partial.json" --engine smp
expect 2 "needs every actor's stance on every issue" "$P" sweep "$T/partial.json" --engine smp -n 10

# trust from the ledger scales capabilities and is recorded in the result
mkdir -p "$T/keys"
if "$P" ledger replay "$T/l.db" --script data/ledger/korea-2007.json --keys "$T/keys" \
	--seed 1 >/dev/null 2>&1; then
	expect 0 "" "$P" forecast --trust "$T/l.db" --engine compromise --format json
	grep -q '"root": "[0-9a-f]\{64\}"' "$T/out" && grep -q '"size": 35' "$T/out" && ok ||
		bad "--trust provenance"
	# the case hash is of the scaled case; the input file's own hash is kept too
	K=data/cases/korea-six-party.json
	fhash=$(sha256sum <"$K" | cut -c1-64)
	plain=$("$P" validate "$K" | awk '/sha256/ {print $2}')
	expect 0 "" "$P" forecast "$K" --trust "$T/l.db" --engine median --format json
	grep -q "\"input_sha256\": \"$fhash\"" "$T/out" && ok || bad "json lacks the input file's sha256"
	grep -q "\"sha256\": \"$plain\"" "$T/out" && bad "--trust: sha256 is the unscaled case's" || ok
	expect 0 "" "$P" forecast "$K" --trust "$T/l.db" --engine median --format csv
	grep -q "^# trust: .*; input sha256 $fhash\$" "$T/out" && ok || bad "csv lacks the input sha256"
	expect 0 "" "$P" forecast "$K" --trust "$T/l.db" --engine median
	# the case's hash before scaling is the plain run's (issue 17), the
	# actors scaled are named, and events after the case's period warned of
	tr '\n' ' ' <"$T/out" | sed 's/  */ /g' >"$T/flat"
	grep -q "before: $(echo "$plain" | cut -c1-12), as 'parley forecast' without --trust shows it" "$T/flat" &&
		ok || bad "table lacks the unscaled case's sha256"
	grep -q "capabilities scaled USA x0.98, CHN x1.10, ROK x1.14, RUS x1.14, PRK x0.90" "$T/flat" &&
		ok || bad "table does not name the actors scaled"
	grep -q "warning: the trust counts events up to 2009-04-14, after the case's period (which ends in 2007)" "$T/flat" &&
		ok || bad "no warning of events after the case's period"
	expect 0 "" "$P" forecast "$K" --trust "$T/l.db" --engine median --trust-as-of 2007-12-31T23:59:59Z
	grep -q "warning" "$T/out" && bad "warning with --trust-as-of inside the period" || ok
	expect 0 "" "$P" forecast "$K" --trust "$T/l.db" --engine median -f json
	grep -q "^parley forecast: warning: the trust counts events up to 2009-04-14" "$T/err" && ok ||
		bad "json: no warning on stderr"
	"$P" convert "$K" "$T/k.csv" --issue security 2>/dev/null
	expect 0 "" "$P" forecast "$T/k.csv" --engine median --format json
	grep -q "\"input_sha256\": \"$(sha256sum <"$T/k.csv" | cut -c1-64)\"" "$T/out" && ok ||
		bad "input_sha256 of a CSV case"
	"$P" forecast --engine compromise --format csv | grep -v '^#' >"$T/plain"
	"$P" forecast --trust "$T/l.db" --trust-weight 0 --engine compromise --format csv |
		grep -v '^#' >"$T/w0"
	"$P" forecast --trust "$T/l.db" --trust-weight 1 --engine compromise --format csv |
		grep -v '^#' >"$T/w1"
	cmp -s "$T/plain" "$T/w0" && ok || bad "--trust-weight 0 changed the forecast"
	cmp -s "$T/plain" "$T/w1" && bad "--trust-weight 1 changed nothing" || ok
	expect 2 "must be a number in [0, 1]" "$P" forecast --trust "$T/l.db" --trust-weight 2
	expect 2 "no such ledger" "$P" forecast --trust "$T/none.db"
	expect 0 "" "$P" ledger keygen NEW --out "$T/new"
	expect 2 "exists already" "$P" ledger keygen NEW --out "$T/new"
else
	bad "ledger replay of the shipped example failed"
fi

# valid, but no one has weight: validate says no engine can forecast it
printf '# name: nuclear\nActor,Capability,Position,Salience\nA,0,10,50\nB,0,90,50\n' >"$T/z.csv"
expect_any 0 "no actor has capability x salience above 0," "$P" validate "$T/z.csv"
"$P" validate >"$T/v" && ! grep -q "note" "$T/v" && ok || bad "validate notes on the shipped case"
expect 2 "" "$P" forecast "$T/z.csv" --engine median

# outcomes: validate counts them and refuses one off the scale (exit 2, line or path)
expect_any 0 "outcomes 5 of 5 issues, each on its scale" "$P" validate
printf '# scale: 0 10\nActor,Capability,Position,Salience\n# outcome: 12\nA,1,2,30\n' >"$T/o.csv"
expect 2 "o.csv:3: the outcome 12 is outside the scale [0, 10]" "$P" validate "$T/o.csv"
sed 's/"value": 25,/"value": 125,/' data/cases/korea-six-party.json >"$T/o.json"
expect 2 "o.json: \$.issues[0].outcome.value: 125 is outside the issue's scale [0, 100]" \
	"$P" validate "$T/o.json"

# a full standard output is an I/O failure (exit 1), said once, with the reason
if [ -w /dev/full ]; then
	"$P" forecast --engine median >/dev/full 2>"$T/full"
	[ $? -eq 1 ] && [ "$(grep -c 'cannot write to standard output: ' "$T/full")" = 1 ] &&
		[ "$(wc -l <"$T/full")" = 1 ] && ok || bad "stdout on a full disk: $(cat "$T/full")"
fi

# an output file that is the input is refused, whatever the path looks like,
# and the input is left as it was
cp data/cases/korea-six-party.json "$T/in.json"
ln "$T/in.json" "$T/link.json"
before=$(sha256sum <"$T/in.json")
for cmd in forecast sweep compare report; do
	expect 2 "the output '$T/in.json' is the case file '$T/in.json'" \
		"$P" $cmd "$T/in.json" -o "$T/in.json"
	expect 2 "the output '$T/./in.json' is the case file" "$P" $cmd "$T/in.json" -o "$T/./in.json"
	expect 2 "the output '$T/link.json' is the case file '$T/in.json'" \
		"$P" $cmd "$T/in.json" -o "$T/link.json"
done
expect 2 "the output '$T/in.json' is the case file" "$P" report "$T/in.json" --chart compare --svg "$T/in.json"
expect 2 "the output '$T/in.json' is the input file '$T/in.json'" \
	"$P" convert "$T/in.json" "$T/in.json"
expect 2 "is the input file" "$P" convert "$T/in.json" "$T/link.json" --to csv
[ "$(sha256sum <"$T/in.json")" = "$before" ] && ok || bad "a refused output changed the input"
ls "$T" | grep -q 'in\.json\.' && bad "a refused output left a temporary file" || ok
# the default case too (a copy, so that a failure harms no shipped file)
mkdir -p "$T/data/cases" && cp data/cases/korea-six-party.json "$T/data/cases/"
PARLEY_DATA="$T/data" expect 2 "is the case file" \
	"$P" forecast --engine median -o "$T/data/cases/korea-six-party.json"
cmp -s data/cases/korea-six-party.json "$T/data/cases/korea-six-party.json" && ok ||
	bad "the default case was replaced"
expect 0 "" "$P" forecast "$T/in.json" --engine median -o "$T/other.json"
[ -s "$T/other.json" ] && ok || bad "an output beside the input was not written"
expect 0 "" "$P" convert "$T/in.json" -

finish "cli"
