#!/bin/sh
# test_report_cli.sh html|plot - parley report's outputs that need an
# optional part of the build: the HTML report (Chart.js from `npm ci`,
# inlined at configure time) or the single SVG/PNG charts (PLplot).  Skips
# (77) naming what is missing when parley was built without it; fails
# instead under PARLEY_REQUIRE_ALL=1.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
MODE=${1:?usage: test_report_cli.sh html|plot}
# fontconfig under PLplot's PNG device keeps memory until exit (sanitizer runs)
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=${PARLEY_SOURCE_ROOT:-.}/tests/cli/lsan-thirdparty.supp"
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"
ROOT=${PARLEY_SOURCE_ROOT:-.}

html() {
	"$P" report -n 200 -o "$T/r.html" 2>"$T/err"
	grep -q 'built without Chart.js' "$T/err" &&
		skip "Chart.js: parley was configured before 'npm ci' (run it, then reconfigure)"
	[ -s "$T/r.html" ] && ok || { bad "report -o wrote nothing"; cat "$T/err"; }
	grep -q 'Chart.js v4' "$T/r.html" && ok || bad "Chart.js not inlined"
	grep -qi '<script[^>]*src=' "$T/r.html" && bad "report loads a script from elsewhere" || ok
	grep -q 'id="parley-data"' "$T/r.html" && ok || bad "report data"
	PY=$(command -v python3) || skip "python3: not found (apt-get install python3)"
	# one colour per engine, format, actor and issue; provenance in the data
	"$PY" "$ROOT/tests/cli/report_data.py" html "$T/r.html" && ok || bad "report data"
	expect 0 "" "$P" report -n 50 --trajectory-engine median -o "$T/s.html"
	"$PY" "$ROOT/tests/cli/report_data.py" html "$T/s.html" && ok || bad "report data (median)"
	grep -q '"chosen":true' "$T/s.html" && grep -q '"dynamic_engines":\["eu","smp"' "$T/s.html" &&
		ok || bad "--trajectory-engine median: not recorded as chosen, or no dynamic engines"
	# smp cannot take the Paris case: left out, as compare and forecast do
	expect 0 "" "$P" report -n 50 "${PARLEY_SOURCE_ROOT:-.}/data/cases/paris-cop21.json" \
		-o "$T/paris.html"
	grep -q 'smp runs all issues at once' "$T/paris.html" && ok || bad "report lacks why smp did not run"
}

# The PLplot charts use the HTML report's colours (report_colours.c): the
# formats in the data's order, the tornado's total index red and first-order
# blue, the actors then the black forecast in a trajectory.
plot_colours() {
	PY=$(command -v python3) || skip "python3: not found (apt-get install python3)"
	"$P" report -n 50 -o "$T/c.html" 2>/dev/null || return 0 # no Chart.js: html skips
	colours=$("$PY" -c 'import sys, json, re
t = open(sys.argv[1]).read()
d = json.loads(re.search(r"id=\"parley-data\">(.*?)</script>", t, re.S).group(1))
c = d["colours"]
print(" ".join(c["format"][f["id"]] for f in d["compare"]["forums"]))
print(c["series"]["total ST"], c["series"]["first-order S"])
tr = [x for x in d["trajectories"]["issues"] if x["issue"] == "security"][0]
print(" ".join([c["actor"][a] for a in tr["actors"]] + [c["series"]["forecast"]]))' "$T/c.html")
	set -- $(echo "$colours" | sed -n 1p)
	"$PY" "$ROOT/tests/cli/report_data.py" svg-order "$T/cmp.svg" "$@" && ok || bad "compare svg colours"
	set -- $(echo "$colours" | sed -n 2p)
	"$PY" "$ROOT/tests/cli/report_data.py" svg-order "$T/t.svg" "$@" && ok || bad "tornado svg colours"
	set -- $(echo "$colours" | sed -n 3p)
	"$PY" "$ROOT/tests/cli/report_data.py" svg-order "$T/tr.svg" "$@" && ok || bad "trajectory svg colours"
}

plot() {
	"$P" report -n 10 --svg "$T/probe.svg" --chart compare 2>"$T/err"
	grep -q 'without PLplot' "$T/err" &&
		skip "PLplot: parley was built without it (apt-get install libplplot-dev plplot-driver-cairo, then reconfigure)"
	expect 0 "" "$P" report -n 200 --svg "$T/t.svg" --chart tornado:nuclear
	grep -q '<svg' "$T/t.svg" && ok || bad "svg chart"
	expect 0 "" "$P" report -n 200 --png "$T/f.png" --chart forecasts
	head -c 8 "$T/f.png" | grep -q PNG && ok || bad "png chart"
	expect 0 "" "$P" report -n 50 --svg "$T/tr.svg" --chart trajectory:security
	grep -q 'polyline\|<path' "$T/tr.svg" && ok || bad "trajectory svg has no lines"
	expect 0 "" "$P" report -n 50 --svg "$T/cmp.svg" --chart compare
	plot_colours
	expect 2 "must be forecasts, compare, hist:ISSUE" "$P" report --svg "$T/x.svg" --chart pie
	expect 2 "with an issue of the case" "$P" report --svg "$T/x.svg" --chart hist:nope
	[ ! -e "$T/x.svg" ] && ok || bad "failed chart wrote a file"
}

case $MODE in
html) html ;;
plot) plot ;;
*) echo "usage: test_report_cli.sh html|plot"; exit 2 ;;
esac
finish "report $MODE"
