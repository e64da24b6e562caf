#!/bin/sh
# Runs the benchmarks of a release build and prints Markdown tables.
# usage: bench/run.sh BUILD_DIR   (make bench does this)
set -eu
build=$1
ninja -C "$build" bench/bench_engines >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
"$build/bench/bench_engines"
echo
ninja -C "$build" bench/bench_sweep cli/parley >/dev/null
"$build/bench/bench_sweep" data/cases/korea-six-party.json
echo
sh bench/bench_scaling.sh "$build" eu 400000 5
echo
sh bench/bench_parallel.sh "$build" eu 40000 3
ninja -C "$build" bench/bench_nash >/dev/null
echo
"$build/bench/bench_nash"
echo
ninja -C "$build" bench/bench_ledger >/dev/null
"$build/bench/bench_ledger"
