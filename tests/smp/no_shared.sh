#!/bin/sh
# no_shared.sh - the smp tests where ../shared is absent (a clone without
# KTAB's peer files): test_smp must run all of its checks and pass without
# skipping any part of itself, and test_smp_ktab must skip as a whole, exit 77.
# usage: no_shared.sh SOURCE_ROOT TEST_SMP TEST_SMP_KTAB
set -u
src=$1
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
smp=$(abs "$2")
ktab=$(abs "$3")
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/repo"
ln -s "$src/tests" "$t/repo/tests"
ln -s "$src/data" "$t/repo/data"
fails=0
cd "$t/repo" || exit 1
[ ! -e ../shared ] || { echo "$t/shared exists"; exit 1; }

"$smp" >"$t/smp.out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	echo "FAIL: test_smp without ../shared exits $rc"; cat "$t/smp.out"; fails=1
elif grep -qi "skip" "$t/smp.out"; then
	echo "FAIL: test_smp passes while skipping part of itself:"
	grep -i "skip" "$t/smp.out"; fails=1
else
	echo "ok: test_smp passes without ../shared, nothing skipped"
fi

PARLEY_REQUIRE_ALL=0 "$ktab" >"$t/ktab.out" 2>&1
rc=$?
if [ $rc -ne 77 ] || ! grep -q "skipped: ../shared/peers/ktab is absent" "$t/ktab.out"; then
	echo "FAIL: test_smp_ktab without ../shared exits $rc (want 77 and a message)"
	cat "$t/ktab.out"; fails=1
else
	echo "ok: test_smp_ktab skips (77): $(cat "$t/ktab.out")"
fi
exit $fails
