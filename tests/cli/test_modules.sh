#!/bin/sh
# test_modules.sh - Open MPI, PLplot and the HTTP server (libmicrohttpd,
# GnuTLS, p11-kit) are loaded only by the commands that need them
# (cli/module.h): the parley executable does not link them, and a module that
# cannot be loaded makes `parley sweep` under an MPI launcher, `parley report
# --svg` and `parley serve` fail with status 2 and say why, writing nothing.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"

if command -v ldd >/dev/null 2>&1; then
	ldd "$P" >"$T/ldd"
	grep -q 'libmpi\|libopen-pal\|libplplot' "$T/ldd" && bad "parley links MPI or PLplot" || ok
	grep -q 'libmicrohttpd\|libgnutls\|libp11-kit' "$T/ldd" &&
		bad "parley links the server's libraries: $(cat "$T/ldd")" || ok
fi

# a copy of parley beside broken modules: the first place it looks
mkdir "$T/bin"
cp "$P" "$T/bin/parley"
: >"$T/bin/parley-mpi.so"
: >"$T/bin/parley-plot.so"
: >"$T/bin/parley-serve.so"
Q="$T/bin/parley"

# under an MPI launcher without MPI, every rank would run every sample
expect 2 "every rank would run every sample" \
	env OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0 "$Q" sweep -n 20 -o "$T/s.json"
[ ! -e "$T/s.json" ] && ok || bad "sweep wrote output without its MPI module"
grep -q "parley-mpi.so\|built without Open MPI" "$T/err" && ok || bad "sweep does not say why"
expect 2 "every rank would run every sample" env PMIX_RANK=0 "$Q" sweep -n 20
# not under a launcher, sweep needs no module
expect 0 "" "$Q" sweep -n 20 -f json

expect 2 "" "$Q" report -n 10 --svg "$T/c.svg" --chart forecasts
grep -q "parley-plot.so\|without PLplot" "$T/err" && ok || bad "report --svg does not say why"
[ -z "$(ls "$T" | grep '^c\.svg')" ] && ok || bad "report --svg wrote a file without PLplot"
expect 2 "" "$Q" report -n 10 --png "$T/c.png" --chart compare

expect 2 "the server module is missing" "$Q" serve --listen 127.0.0.1:0 --data "$T/d"
grep -q "parley-serve.so" "$T/err" && ok || bad "serve does not name its module"
[ ! -e "$T/d" ] && ok || bad "serve made its data directory without its module"

finish modules
