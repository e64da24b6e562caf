#!/bin/sh
# startup.sh - what starting the parley command costs: shared libraries it
# links, the dynamic loader's work (LD_DEBUG=statistics), instructions of a
# whole run (callgrind, steady under load) and per-run wall time (median of
# LOOPS loops of RUNS runs each), for `parley engines` and a small forecast,
# with /bin/true beside them.  Run from the source root.
# usage: bench/startup.sh PARLEY [RUNS] [LOOPS]   (default 200 runs, 5 loops)
set -eu
P=$1
RUNS=${2:-200}
LOOPS=${3:-5}
CASE=data/cases/korea-six-party.json

echo "binary: $P"
echo "shared libraries (ldd lines): $(ldd "$P" | wc -l)"

# median of the per-run milliseconds of LOOPS loops of RUNS runs of "$@"
per_run_ms() {
	for l in $(seq "$LOOPS"); do
		t0=$(date +%s%N)
		i=0
		while [ $i -lt "$RUNS" ]; do
			"$@" >/dev/null 2>&1
			i=$((i + 1))
		done
		t1=$(date +%s%N)
		echo $(((t1 - t0) / RUNS / 1000))
	done | sort -n | awk '{v[NR] = $1} END {printf "%.2f", v[int((NR + 1) / 2)] / 1000}'
}

instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected/ {print $4}'
}

loader() {
	LD_DEBUG=statistics "$@" 2>&1 >/dev/null |
		awk '/total startup time in dynamic loader/ {c = $(NF - 1)}
		     /number of relocations:/ {r = $NF}
		     /number of relocations from cache/ {k = $NF}
		     END {printf "%s cycles, %s relocations, %s from cache", c, r, k}'
}

row() {
	name=$1
	shift
	printf '| %s | %s | %s | %s |\n' "$name" "$(per_run_ms "$@")" "$(instructions "$@")" \
		"$(loader "$@")"
}

echo
echo "| command | ms per run (median of $LOOPS x $RUNS) | instructions (callgrind) | dynamic loader |"
echo "|---|---:|---:|---|"
row "/bin/true" /bin/true
row "parley engines" "$P" engines
row "parley forecast -e median" "$P" forecast "$CASE" -e median
