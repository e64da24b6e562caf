#!/bin/sh
# bench_sensitivity.sh - what the sensitivity indices cost a sweep (issue
# 18): `parley sweep CASE -e ENGINE -t 1` with --no-sensitivity, the default
# given-data indices and Saltelli's design, each as samples per CPU-second
# (user + system; median of REPEATS runs, interleaved so that all see the
# same load) and, with CALLGRIND=1, valgrind instructions per sample (the
# run of 2N samples minus the run of N, so that start-up cancels).
# usage: bench/bench_sensitivity.sh BUILD_DIR CASE [ENGINE] [N] [REPEATS]
set -eu
build=$1
case=$2
engine=${3:-eu}
n=${4:-20000}
reps=${5:-5}
P=$build/cli/parley
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# the design costs (2 + factors) runs a sample: a tenth of the samples
modes="none given design"
samples() { if [ "$1" = design ]; then echo $((n / 10)); else echo "$n"; fi; }
flag() { case $1 in none) echo --no-sensitivity ;; *) echo "--sensitivity $1" ;; esac; }
for r in $(seq "$reps"); do
	for m in $modes; do
		# shellcheck disable=SC2046 # flag is two words
		/usr/bin/time -f "%U %S" -o "$d/one" "$P" sweep "$case" -e "$engine" -t 1 -f json \
			-n "$(samples "$m")" $(flag "$m") >/dev/null
		awk '{ print $1 + $2 }' "$d/one" >>"$d/$m"
	done
done
echo "| sensitivity | N | CPU s (median of $reps) | samples per CPU-second | instructions per sample |"
echo "|---|---:|---:|---:|---:|"
for m in $modes; do
	s=$(samples "$m")
	t=$(median <"$d/$m")
	ins=-
	if [ "${CALLGRIND:-0}" = 1 ]; then
		k=$((s / 10))
		for c in $k $((2 * k)); do
			# shellcheck disable=SC2046
			valgrind --tool=callgrind --callgrind-out-file="$d/cg" "$P" sweep "$case" -e "$engine" \
				-t 1 -f json -n "$c" $(flag "$m") >/dev/null 2>"$d/cg$c"
		done
		a=$(sed -n 's/.*refs: *//p' "$d/cg$k" | tr -d ,)
		b=$(sed -n 's/.*refs: *//p' "$d/cg$((2 * k))" | tr -d ,)
		ins=$(awk -v a="$a" -v b="$b" -v k="$k" 'BEGIN { printf "%.0f", (b - a) / k }')
	fi
	awk -v m="$m" -v s="$s" -v t="$t" -v i="$ins" \
		'BEGIN { printf "| %s | %d | %.2f | %.3g | %s |\n", m, s, t, s / t, i }'
done
