#!/bin/sh
# test_mpi.sh - a sweep split over 2 (and 3) MPI ranks gives the same bytes as
# one process.  Skips (77) when mpirun or an MPI build of parley is absent,
# fails instead under PARLEY_REQUIRE_ALL=1.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/skip.sh"
command -v mpirun >/dev/null 2>&1 ||
	skip "mpirun: not found (apt-get install openmpi-bin libopenmpi-dev)"
"$P" sweep --help | grep -q 'built with Open MPI' ||
	skip "Open MPI: this parley was built without it (apt-get install libopenmpi-dev, then reconfigure)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# Under the sanitizers, Open MPI's dlopened components leak at exit (frames
# in unloaded modules cannot be suppressed by name); leak checking of parley
# itself is done by the single-process runs, which use the same sweep code.
MPIRUN="mpirun --allow-run-as-root --oversubscribe -x ASAN_OPTIONS=detect_leaks=0"
"$P" sweep -n 2000 -t 1 -f json >"$T/one" || exit 1
$MPIRUN -np 2 "$P" sweep -n 2000 -t 1 -f json >"$T/two" || { echo "FAIL: mpirun -np 2"; exit 1; }
$MPIRUN -np 3 "$P" sweep -n 2000 -t 2 -f json -o "$T/three" || { echo "FAIL: mpirun -np 3"; exit 1; }
cmp "$T/one" "$T/two" || { echo "FAIL: 2 ranks differ from 1 process"; exit 1; }
cmp "$T/one" "$T/three" || { echo "FAIL: 3 ranks differ from 1 process"; exit 1; }
# a bad option fails on every rank with status 2
$MPIRUN -np 2 "$P" sweep --forum g20 >/dev/null 2>"$T/err"
[ $? -ne 0 ] && grep -q "no forum 'g20'" "$T/err" || { echo "FAIL: bad option under mpirun"; exit 1; }
echo "mpi: 2 and 3 ranks give the same bytes as one process"
