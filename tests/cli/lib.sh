# lib.sh - what the CLI test scripts share; source it after setting P.
#   ok / bad MSG            count a check
#   expect STATUS MSG CMD   run CMD: its exit status must be STATUS and, when
#                           MSG is not empty, its stderr must contain MSG;
#                           stdout and stderr stay in $T/out and $T/err
#   expect_any STATUS MSG CMD  the same, with MSG in stdout or stderr
#   finish NAME             print "NAME: N passed, N failed" and exit
#   skip WHAT               skip (77) or, under PARLEY_REQUIRE_ALL=1, fail
#                           (skip.sh)
. "${PARLEY_SOURCE_ROOT:-.}/tests/cli/skip.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# narrow FILE: no line wider than 80 columns (the ellipsis that marks cut
# text is 3 bytes and 1 column; awk counts bytes)
narrow() { sed 's/\xe2\x80\xa6/./g' "$1" | awk 'length > 80 { exit 1 }'; }

# run_expect STREAMS STATUS MSG CMD: STREAMS is "err" or "out err"
run_expect() {
	streams=$1; want=$2; msg=$3; shift 3
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		bad "$* exited $got, wanted $want"; cat "$T/err"; return
	fi
	[ -z "$msg" ] && { ok; return; }
	for stream in $streams; do
		grep -qF -- "$msg" "$T/$stream" && { ok; return; }
	done
	bad "$*: $streams lacks '$msg'"; cat "$T/out" "$T/err"
}

expect() { run_expect err "$@"; }
expect_any() { run_expect "out err" "$@"; }

finish() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
