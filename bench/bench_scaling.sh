#!/bin/sh
# bench_scaling.sh - speed-up of `parley sweep` on 2 threads and on 2 MPI
# ranks, the same N samples each time, runs interleaved so that all see the
# same load, median of REPEATS wall times:
#   T1  one process, 1 thread          T2  one process, 2 threads
#   M1  mpirun -np 1 (1 thread)        M2  mpirun -np 2 (1 thread each)
#   S   mpirun -np 2 on 2 samples: what mpirun and MPI_Init cost by themselves
# Thread speed-up T1 / T2 (target 1.9); MPI efficiency M1 / (2 M2) (target
# 90 %), and against a plain process T1 / (2 M2).  Needs an idle machine:
# on a shared one the second core is not there to be measured.
# usage: bench/bench_scaling.sh BUILD_DIR [ENGINE] [N] [REPEATS] [MPIRUN_OPTIONS]
set -eu
build=$1
engine=${2:-eu}
n=${3:-400000}
reps=${4:-5}
mpiopt=${5:-}
P=$build/cli/parley
mpi=0
command -v mpirun >/dev/null 2>&1 && "$P" sweep --help | grep -q 'built with Open MPI' && mpi=1
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }
timed() { s=$(now); "$@" >/dev/null; awk -v s="$s" -v e="$(now)" 'BEGIN { print e - s }'; }
sweep() { "$P" sweep -e "$engine" --no-sensitivity -f json "$@"; }
# shellcheck disable=SC2086 # mpiopt is a list of options
ranks() { mpirun --allow-run-as-root --oversubscribe $mpiopt -np "$1" "$P" sweep -e "$engine" \
	--no-sensitivity -f json -t 1 -n "$2"; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for r in $(seq "$reps"); do
	timed sweep -n "$n" -t 1 >>"$d/t1"
	timed sweep -n "$n" -t 2 >>"$d/t2"
	if [ "$mpi" = 1 ]; then
		timed ranks 1 "$n" >>"$d/m1"
		timed ranks 2 "$n" >>"$d/m2"
		timed ranks 2 2 >>"$d/s"
	fi
done
t1=$(median <"$d/t1")
t2=$(median <"$d/t2")
echo "| engine | N | 1 thread | 2 threads | speed-up | mpirun -np 1 | -np 2 | MPI efficiency | against 1 process | mpirun alone |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
if [ "$mpi" = 1 ]; then
	m1=$(median <"$d/m1")
	m2=$(median <"$d/m2")
	s=$(median <"$d/s")
else
	m1=- m2=- s=-
fi
awk -v e="$engine" -v n="$n" -v t1="$t1" -v t2="$t2" -v m1="$m1" -v m2="$m2" -v s="$s" 'BEGIN {
	printf "| %s | %d | %.2f s | %.2f s | %.2f× |", e, n, t1, t2, t1 / t2
	if (m1 == "-")
		print " - | - | - | - | - |"
	else
		printf " %.2f s | %.2f s | %.0f %% | %.0f %% | %.2f s |\n", m1, m2, 100 * m1 / (2 * m2),
			100 * t1 / (2 * m2), s
}'
