#!/bin/sh
# test_example.sh - the example program of docs/library.md builds against the
# installed library with pkg-config and prints the very forecast document the
# command prints.  Installs the build (meson install) into a temporary
# DESTDIR, compiles the first C block under "## A complete example" with
# `pkg-config --cflags --libs parley` (its prefix moved into the DESTDIR),
# links the shared library and runs it.
# env: PARLEY_SOURCE_ROOT, PARLEY_BUILD (the build directory), PARLEY, CC,
# EXAMPLE_CFLAGS (the sanitizers the library was built with)
R=${PARLEY_SOURCE_ROOT:-.}
B=${PARLEY_BUILD:?set PARLEY_BUILD to the build directory}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
meson install -C "$B" --no-rebuild --destdir "$T/root" >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; echo "FAIL: meson install"; exit 1; }
pc=$(find "$T/root" -name parley.pc | head -1)
[ -n "$pc" ] || { echo "FAIL: no parley.pc installed"; exit 1; }
awk '/^## A complete example/ {on = 1} on && /^```c$/ {code = 1; next}
	code && /^```$/ {exit} code {print}' "$R/docs/library.md" >"$T/forecast.c"
[ -s "$T/forecast.c" ] || { echo "FAIL: no example in docs/library.md"; exit 1; }
# the installed parley.pc with its prefix moved into the DESTDIR (the
# dependencies' own .pc files stay as they are)
prefix=$(sed -n 's/^prefix=//p' "$pc")
mkdir -p "$T/pc"
sed "s#^prefix=.*#prefix=$T/root$prefix#" "$pc" >"$T/pc/parley.pc"
export PKG_CONFIG_PATH="$T/pc"
pc() { pkg-config "$@" parley; }
flags=$(pc --cflags --libs) || { echo "FAIL: pkg-config parley"; exit 1; }
# shellcheck disable=SC2086 # pkg-config's flags are split on purpose
${CC:-cc} -std=c17 -Wall -Wextra -Werror $EXAMPLE_CFLAGS "$T/forecast.c" $flags -o "$T/forecast" ||
	{ echo "FAIL: the example does not build with: $flags"; exit 1; }
libdir=$(pc --variable=libdir)
case_file=$(find "$T/root" -name korea-six-party.json | head -1)
LD_LIBRARY_PATH="$libdir" "$T/forecast" "$case_file" >"$T/out" ||
	{ echo "FAIL: the example failed"; exit 1; }
ldd_lib=$(LD_LIBRARY_PATH="$libdir" ldd "$T/forecast" | grep -o 'libparley[^ ]*' | head -1)
"$PARLEY" forecast "$case_file" --format json >"$T/want" || exit 1
n=$(wc -l <"$T/want")
head -n "$n" "$T/out" >"$T/got"
cmp -s "$T/got" "$T/want" || { echo "FAIL: the example's JSON differs from parley forecast's"; exit 1; }
tail -n +"$((n + 1))" "$T/out" | grep -q '^compromise *nuclear' ||
	{ echo "FAIL: the example's table is missing"; exit 1; }
echo "library_example: built with $flags, linked $ldd_lib, same document as parley forecast"
