#!/bin/sh
# test_exports.sh - the shared library exports exactly the functions the
# public headers declare: no engine tables, no pl__ helpers, nothing the
# headers do not promise, and every declared function really there.  The
# declarations are read by the compiler (-aux-info), not by the script that
# writes the version script (src/exports.sh).
# env: PARLEY_SOURCE_ROOT, PARLEY_LIB (libparley.so), CC
R=${PARLEY_SOURCE_ROOT:-.}
LIB=${PARLEY_LIB:?set PARLEY_LIB to the shared libparley}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for h in "$R"/include/parley/*.h; do
	echo "#include <parley/$(basename "$h")>"
done >"$T/all.c"
${CC:-cc} -I"$R/include" -aux-info "$T/aux" -c "$T/all.c" -o "$T/all.o" || exit 1
grep 'include/parley/' "$T/aux" | grep -o 'pl_[a-z][a-z0-9_]* (' | sed 's/ (//' |
	LC_ALL=C sort -u >"$T/declared"
nm -D --defined-only "$LIB" | awk '{print $3}' | sed 's/@.*//' | LC_ALL=C sort -u >"$T/exported"
n=$(wc -l <"$T/declared")
[ "$n" -gt 100 ] || { echo "FAIL: only $n declarations found"; exit 1; }
fail=0
extra=$(LC_ALL=C comm -23 "$T/exported" "$T/declared")
missing=$(LC_ALL=C comm -13 "$T/exported" "$T/declared")
[ -z "$extra" ] || { echo "FAIL: exported but not declared in include/parley/:"; echo "$extra"; fail=1; }
[ -z "$missing" ] || { echo "FAIL: declared but not exported (not defined?):"; echo "$missing"; fail=1; }
echo "exports: $n declared functions, $(wc -l <"$T/exported") exported symbols"
exit $fail
