#!/bin/sh
# Runs every fuzz target for SECONDS on a copy of its corpus and prints, per
# target, the coverage libFuzzer saw on the corpus at start (INITED) and at
# the end (DONE): "cov" counts instrumented edges, "ft" features (edges and
# their hit-count buckets).  A target whose coverage does not grow past its
# corpus fails the run, unless the library's edges are seen otherwise (a
# saturated corpus in a short run; see below): that is what a blind
# (uninstrumented) build looks like.  With "merge", the inputs that add
# coverage are merged into
# tests/fuzz/corpus/<target>/ (libFuzzer's -merge=1: only new features,
# smallest inputs first; the inputs there now, found crashes among them,
# all stay).
# usage: run.sh BUILD_DIR SECONDS [merge]
set -eu
build=$1
secs=$2
merge=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
status=0
found=0

# field NAME LINE: the number after "NAME: " in a libFuzzer status line
field() { printf '%s\n' "$2" | sed -n "s/.* $1: \([0-9]*\).*/\1/p"; }

for t in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	found=$((found + 1))
	name=$(basename "$t")
	seeds=$here/corpus/$name
	work=$(mktemp -d)
	[ -d "$seeds" ] && cp "$seeds"/* "$work"/ 2>/dev/null || true
	log=$build/$name.log
	if ! "$t" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=25 \
		-print_final_stats=1 -artifact_prefix="$build/$name-" "$work" >"$log" 2>&1; then
		echo "FAIL: $name found a crash, leak or hang (see $log):"
		tail -30 "$log"
		status=1
		rm -rf "$work"
		continue
	fi
	start=$(grep -m1 -E '[[:space:]]INITED[[:space:]]' "$log" || true)
	end=$(grep -E '[[:space:]]DONE[[:space:]]' "$log" | tail -1 || true)
	c0=$(field cov "$start") f0=$(field ft "$start")
	c1=$(field cov "$end") f1=$(field ft "$end")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	printf '%-24s cov %5s -> %-5s ft %6s -> %-6s %9s runs in %ss\n' "$name" \
		"${c0:-?}" "${c1:-?}" "${f0:-?}" "${f1:-?}" "${runs:-?}" "$secs"
	# a corpus that saturates may not grow in a short run: then the corpus
	# must reach at least 50 edges more than the empty input does, or the
	# empty input alone 1,000 edges (a harness that always runs the library,
	# as fuzz_sweep_merge does); a blind library (only the harness's edges
	# counted) can do neither
	empty=$(mktemp -d)
	"$t" -runs=0 "$empty" >"$build/$name.empty.log" 2>&1 || true
	rm -rf "$empty"
	ce=$(field cov "$(grep -m1 -E '[[:space:]]INITED[[:space:]]' "$build/$name.empty.log" || true)")
	if [ -z "$c0" ] || [ -z "$c1" ] || [ -z "$ce" ] ||
		{ [ "$c1" -le "$c0" ] && [ "$f1" -le "$f0" ] && [ "$c0" -lt $((ce + 50)) ] &&
			[ "$ce" -lt 1000 ]; }; then
		echo "FAIL: $name: coverage did not grow past its corpus (is the library" \
			"instrumented? see $log)"
		status=1
	elif [ "$merge" = merge ]; then
		mkdir -p "$seeds"
		before=$(ls "$seeds" | wc -l)
		"$t" -merge=1 -max_len=65536 -rss_limit_mb=2048 -timeout=25 "$seeds" "$work" \
			>"$build/$name.merge.log" 2>&1 ||
			{ echo "FAIL: $name: merging into $seeds (see $build/$name.merge.log)"; status=1; }
		echo "  kept $(($(ls "$seeds" | wc -l) - before)) new inputs in tests/fuzz/corpus/$name"
	fi
	rm -rf "$work"
done
if [ "$found" -eq 0 ]; then
	echo "FAIL: no fuzz targets in $build/tests/fuzz (configure with -Dfuzz=true and clang)"
	exit 1
fi
exit $status
