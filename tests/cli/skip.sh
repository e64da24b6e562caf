# skip.sh - how a test script says an optional tool is missing; source it.
#   skip WHAT-IS-MISSING   Meson's skip (exit 77) with a message naming it,
#                          or, with PARLEY_REQUIRE_ALL=1 (CI, where .ci/run
#                          installs everything), a failure (exit 1)
skip() {
	if [ "${PARLEY_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FAIL: $* (PARLEY_REQUIRE_ALL=1: nothing may be skipped)"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
