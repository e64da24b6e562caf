#!/bin/sh
# bench_scale.sh - how every engine's time and memory grow with the actors
# (issue 18): synthetic one-issue cases of 10 to 100,000 actors
# (bench/gen_case.py), `parley forecast CASE -e ENGINE -f json` timed by
# /usr/bin/time: user + system CPU seconds and peak resident memory, the
# median of REPEATS runs.  An engine is left out above its limit (smp
# refuses more than 1,000 actors; eu, O(n^2) a round, is run to 10,000) or
# once a run takes more than LIMIT seconds (then stopped).  Prints a
# Markdown table.
# usage: bench/bench_scale.sh BUILD_DIR [REPEATS] [LIMIT] [ENGINES]
#   (ENGINES: a space-separated list, default every engine)
set -eu
build=$1
reps=${2:-3}
limit=${3:-60}
engines=${4:-compromise median nash eu exchange smp}
P=$build/cli/parley
here=$(dirname "$0")
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
sizes="10 100 1000 10000 100000"
for n in $sizes; do python3 "$here/gen_case.py" "$n" >"$d/c$n.csv"; done
echo "| engine | actors | CPU s | peak memory |"
echo "|---|---:|---:|---:|"
for e in $engines; do
	for n in $sizes; do
		case $e in smp) [ "$n" -le 1000 ] || continue ;; eu) [ "$n" -le 10000 ] || continue ;; esac
		: >"$d/t"
		: >"$d/m"
		st=0
		for r in $(seq "$reps"); do
			st=0
			timeout "$limit" /usr/bin/time -f "%U %S %M" -o "$d/one" "$P" forecast "$d/c$n.csv" \
				-e "$e" -f json >/dev/null 2>&1 || st=$?
			[ "$st" = 124 ] && break
			awk '{ print $1 + $2 }' "$d/one" >>"$d/t"
			awk '{ print $3 }' "$d/one" >>"$d/m"
		done
		if [ "$st" = 124 ]; then
			echo "| $e | $n | > $limit (stopped) | - |"
			break
		fi
		t=$(median <"$d/t")
		m=$(median <"$d/m")
		awk -v e="$e" -v n="$n" -v t="$t" -v m="$m" \
			'BEGIN { printf "| %s | %d | %.2f | %.1f MB |\n", e, n, t, m / 1024 }'
		awk -v t="$t" -v l="$limit" 'BEGIN { exit !(t > l) }' && break
	done
done
