#!/bin/sh
# test_ktab_cli.sh - KTAB's XML scenarios from ../shared/peers/ktab: the
# scenario's parameters and seed go to smp, --seed overrides the seed, and
# KTAB's own malformed file is refused by line.  Skips (77) when ../shared
# is absent; fails instead under PARLEY_REQUIRE_ALL=1.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/lib.sh"
K=${PARLEY_KTAB_DIR:-../shared/peers/ktab}
[ -d "$K" ] || skip "KTAB scenarios: $K is absent (the peers share beside the source tree)"

expect 0 "" "$P" forecast "$K/dummyData_3Dim.xml" --engine smp --format json
grep -q '"seed": 3707583219545544125' "$T/out" && ok || bad "XML seed not used"
expect 0 "" "$P" forecast "$K/dummyData_3Dim.xml" --engine smp --seed 5 --format json
grep -q '"seed": 5,' "$T/out" && ok || bad "--seed does not override the XML seed"
expect 0 "" "$P" forecast "$K/dummyData_3Dim.xml" --engine all
expect 2 "smpExample.xml:32: <dCoord> is empty" "$P" forecast "$K/smpExample.xml"
expect 0 "" "$P" validate "$K/dummyData_3Dim.xml"

finish "ktab cli"
