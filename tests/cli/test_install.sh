#!/bin/sh
# test_install.sh - what `make install` installs, staged with DESTDIR: the
# command, the library, the shipped cases, games, ledger scripts and
# roadmaps; and the installed command runs the README's tour lines (their
# data/... paths) from a directory that has no data/ (issue 17).
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"
B=${PARLEY_BUILD_ROOT:?set PARLEY_BUILD_ROOT to the build directory}
command -v meson >/dev/null 2>&1 || skip "meson: not found (apt-get install meson)"
meson install -C "$B" --no-rebuild --quiet --destdir "$T/stage" >"$T/log" 2>&1 ||
	{ bad "meson install --destdir failed: $(tail -3 "$T/log")"; finish install; }
prefix=$(meson introspect "$B" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
S=$T/stage$prefix
for f in bin/parley share/parley/cases/korea-six-party.json share/parley/games/korea-crisis.efg \
	share/parley/ledger/korea-2007.json share/parley/roadmaps/korea-2007.json \
	share/man/man1/parley.1; do
	[ -e "$S/$f" ] && ok || bad "not installed: $f"
done
# the staged command, run from an empty directory, finds the shipped files
# by the tour's data/... paths (PARLEY_DATA: the staged data directory)
mkdir -p "$T/elsewhere"
cd "$T/elsewhere" || exit 1
export PARLEY_DATA="$S/share/parley"
export LD_LIBRARY_PATH="$(dirname "$(find "$S" -name 'libparley.so*' | head -1)")"
I=$S/bin/parley
expect 0 "" "$I" game solve data/games/korea-crisis.efg
grep -q "^equilibria: 3$" "$T/out" && ok || bad "installed: game solve"
expect 0 "" "$I" ledger replay "$T/l.db" --script data/ledger/korea-2007.json --keys "$T/k" --seed 1
grep -q "35 entries" "$T/out" && ok || bad "installed: ledger replay"
expect 0 "" "$I" roadmap data/roadmaps/korea-2007.json
expect 0 "" "$I" forecast data/cases/paris-cop21.json -e median
expect 0 "" "$I" forecast -e median
# the installed `parley serve` loads its module from libdir/parley, and the
# module finds the installed library beside it (its rpath, not
# LD_LIBRARY_PATH)
[ -e "$(dirname "$LD_LIBRARY_PATH")/$(basename "$LD_LIBRARY_PATH")/parley/parley-serve.so" ] &&
	ok || bad "not installed: parley-serve.so in libdir/parley"
: >"$T/serve.out"
env -u LD_LIBRARY_PATH "$I" serve --listen 127.0.0.1:0 --data "$T/sd" >"$T/serve.out" 2>&1 &
spid=$!
n=0
while [ $n -lt 100 ] && ! grep -q "listening on" "$T/serve.out" && kill -0 $spid 2>/dev/null; do
	sleep 0.2
	n=$((n + 1))
done
grep -q "listening on http://127.0.0.1:" "$T/serve.out" && ok ||
	bad "installed: serve did not start: $(cat "$T/serve.out")"
kill $spid 2>/dev/null
wait $spid
# a path that is not a shipped file is still an error naming it
expect 2 "data/games/nothing.efg" "$I" game solve data/games/nothing.efg
finish install
