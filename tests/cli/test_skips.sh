#!/bin/sh
# test_skips.sh - the tests that need an optional tool say so: with the tool
# missing each exits 77 (Meson's skip) naming it, and with
# PARLEY_REQUIRE_ALL=1 (CI) each fails instead.  The tools are taken away
# here: a PATH without them, a parley that says it was built without them.
set -u
P=${PARLEY:?set PARLEY to the parley binary}
ROOT=$(cd "${PARLEY_SOURCE_ROOT:-.}" && pwd)
. "$ROOT/tests/cli/lib.sh"
unset PARLEY_REQUIRE_ALL
export PARLEY_TEST_OUT="$T/browser"

# a PATH with the basic tools and none of the optional ones
mkdir -p "$T/bin" "$T/tools"
for tool in mktemp rm grep cat mkdir head cmp awk; do
	ln -s "$(command -v $tool)" "$T/bin/$tool"
done
# a parley built without the optional parts (wraps the real one)
fake_parley() { # NAME MESSAGE-FOR-report
	cat >"$T/$1" <<FAKE
#!/bin/sh
[ "\$1" = report ] && { echo "parley report: this parley was built without $2" >&2; exit 2; }
[ "\$1" = sweep ] && [ "\$2" = --help ] && { echo "usage: parley sweep"; exit 0; }
exec "$P" "\$@"
FAKE
	chmod +x "$T/$1"
}
fake_parley no-chartjs "Chart.js: run 'npm ci'"
fake_parley no-plplot "PLplot, which draws"
printf '#!/bin/sh\nexit 0\n' >"$T/tools/node"
cp "$T/tools/node" "$T/tools/mpirun"
chmod +x "$T/tools/node" "$T/tools/mpirun"
# source trees without node_modules and with an (empty) playwright-core
mkdir -p "$T/root/tests/cli" "$T/root-npm/tests/cli" "$T/root-npm/node_modules/playwright-core"
ln -s "$ROOT/tests/cli/skip.sh" "$T/root/tests/cli/skip.sh"
ln -s "$ROOT/tests/cli/skip.sh" "$T/root-npm/tests/cli/skip.sh"
SH=$(command -v sh)

# check MISSING SCRIPT [ARG] with the environment set by the caller: skip
# naming MISSING, then fail under PARLEY_REQUIRE_ALL=1
check() {
	missing=$1; shift
	"$SH" "$@" >"$T/out" 2>&1
	st=$?
	[ $st = 77 ] && grep -q "^SKIP: $missing" "$T/out" && ok ||
		{ bad "$* without $missing exited $st, wanted 77 naming it"; cat "$T/out"; }
	PARLEY_REQUIRE_ALL=1 "$SH" "$@" >"$T/out" 2>&1
	st=$?
	[ $st = 1 ] && grep -q "^FAIL: $missing.*PARLEY_REQUIRE_ALL" "$T/out" && ok ||
		{ bad "$* without $missing under PARLEY_REQUIRE_ALL=1 exited $st, wanted 1"; cat "$T/out"; }
}

S=$ROOT/tests
PARLEY=$T/no-chartjs check "Chart.js" "$S/cli/test_report_cli.sh" html
PARLEY=$T/no-plplot check "PLplot" "$S/cli/test_report_cli.sh" plot
CHROMIUM=$T/none check "chromium" "$S/browser/test_report.sh"
CHROMIUM=/bin/sh PATH=$T/bin check "node" "$S/browser/test_report.sh"
CHROMIUM=/bin/sh PATH=$T/tools:$PATH PARLEY_SOURCE_ROOT=$T/root \
	check "playwright-core" "$S/browser/test_report.sh"
CHROMIUM=/bin/sh PATH=$T/tools:$PATH PARLEY_SOURCE_ROOT=$T/root-npm PARLEY=$T/no-chartjs \
	check "Chart.js" "$S/browser/test_report.sh"
export PARLEY_WEB="$T/no-dashboard"
CHROMIUM=$T/none check "chromium" "$S/browser/test_dashboard.sh"
CHROMIUM=/bin/sh PATH=$T/bin check "node" "$S/browser/test_dashboard.sh"
CHROMIUM=/bin/sh PATH=$T/tools:$PATH PARLEY_SOURCE_ROOT=$T/root \
	check "playwright-core" "$S/browser/test_dashboard.sh"
CHROMIUM=/bin/sh PATH=$T/tools:$PATH PARLEY_SOURCE_ROOT=$T/root-npm \
	check "the dashboard" "$S/browser/test_dashboard.sh"
PATH=$T/bin check "python3" "$S/cli/test_schema.sh"
PATH=$T/bin check "mpirun" "$S/cli/test_mpi.sh"
PATH=$T/tools:$PATH PARLEY=$T/no-chartjs check "Open MPI" "$S/cli/test_mpi.sh"
PARLEY_KTAB_DIR=$T/none check "KTAB scenarios" "$S/cli/test_ktab_cli.sh"

finish "skips"
