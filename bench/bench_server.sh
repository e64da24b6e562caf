#!/bin/sh
# bench_server.sh - `parley serve` under load, with our bounded client
# (tests/server/hammer.c) on the same machine: compromise forecasts of the
# default case from 16 clients, and signed appends through the API from 64
# clients.  Prints requests/s (wall), p50/p99 latency, and the server's CPU
# time per request (from /proc: the machine is shared, so CPU time is the
# steadier figure).  Medians of RUNS runs.  With BASELINE=PARLEY (another
# build's parley, an earlier version) the appends are measured with it too,
# run for run in turn with ours, each on its own copy of the same ledger, and
# the ratio of the medians is printed: a comparison in the same load.
# usage: [BASELINE=PARLEY] bench/bench_server.sh BUILD_DIR [RUNS]
set -eu
build=$(cd "$1" && pwd)
runs=${2:-3}
ninja -C "$build" cli/parley tests/server/hammer tests/server/srvtool >/dev/null
P=$build/cli/parley
H=$build/tests/server/hammer
S=$build/tests/server/srvtool
T=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT

start() { # ARGS...
	: >"$T/out" # not the last server's line: under load the new one starts late
	"${SERVE:-$P}" serve --listen 127.0.0.1:0 --access-log /dev/null "$@" >"$T/out" 2>"$T/err" &
	pid=$!
	i=0
	until grep -q listening "$T/out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || { cat "$T/err"; exit 1; }
		sleep 0.05
	done
	port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$T/out")
}
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tck=$(getconf CLK_TCK)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run NAME CLIENTS REQUESTS HAMMER-ARGS...: one line per run into $T/NAME
run() {
	name=$1
	shift
	c0=$(cpu)
	"$H" "$port" "$@" >"$T/h" || { cat "$T/h"; exit 1; }
	c1=$(cpu)
	n=$4
	awk -v c="$((c1 - c0))" -v t="$tck" -v n="$n" '{
		for (i = 1; i <= NF; i++) {
			if ($i ~ /\/s$/) rate = $i + 0
			if ($i == "p50") p50 = $(i + 1)
			if ($i == "p99") p99 = $(i + 1)
		}
		printf "%s %s %s %.1f\n", rate, p50, p99, 1e6 * c / t / n
	}' "$T/h" >>"$T/$name"
}

report() { # NAME LABEL
	printf '| %s | %s | %s | %s | %s |\n' "$2" \
		"$(cut -d' ' -f1 "$T/$1" | median)" "$(cut -d' ' -f2 "$T/$1" | median)" \
		"$(cut -d' ' -f3 "$T/$1" | median)" "$(cut -d' ' -f4 "$T/$1" | median)"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | requests/s | p50 ms | p99 ms | server CPU µs/request |"
echo "|---|---|---|---|---|"

start --data "$T/data"
"$H" "$port" POST /api/v1/forecast 4 2000 '{"engine":"compromise"}' >/dev/null # warm up
for k in $(seq "$runs"); do
	run fc POST /api/v1/forecast 16 20000 '{"engine":"compromise"}' 200
done
report fc "compromise forecast, default case, 16 clients"
for k in $(seq "$runs"); do
	run health GET /api/v1/health 16 20000 '' 200
done
report health "GET /api/v1/health, 16 clients (the HTTP floor)"
kill "$pid"
wait "$pid" 2>/dev/null || true

# signed appends: fresh entries each run (an entry goes in once)
cd "$T"
"$P" ledger keygen log.bench.example --out log >/dev/null
"$P" ledger keygen USA --out USA >/dev/null
"$P" ledger init l.db --origin bench.example/ledger --log-key log.key >/dev/null
"$P" ledger party add l.db --log-key log.key --id USA --pub USA.pub --name U --role delegation >/dev/null
mkdir "$T/e"
"$S" entries USA.key bench.example/ledger public $((3000 * runs)) "$T/e"
cp l.db lb.db
cd - >/dev/null
stop() {
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
}
for k in $(seq "$runs"); do
	sed -n "$(((k - 1) * 3000 + 1)),$((k * 3000))p" "$T/e/list" >"$T/list$k"
	start --data "$T/data2" --ledger "$T/l.db" --log-key "$T/log.key"
	run ap POST /api/v1/ledger/entries 64 3000 "@@$T/list$k" 201
	stop
	if [ -n "${BASELINE:-}" ]; then
		SERVE=$BASELINE start --data "$T/data3" --ledger "$T/lb.db" --log-key "$T/log.key"
		run apb POST /api/v1/ledger/entries 64 3000 "@@$T/list$k" 201
		stop
	fi
done
report ap "signed append (bundle answered), 64 clients"
if [ -n "${BASELINE:-}" ]; then
	report apb "the same, BASELINE ($BASELINE)"
	echo
	awk -v a="$(cut -d' ' -f1 "$T/ap" | median)" -v b="$(cut -d' ' -f1 "$T/apb" | median)" \
		-v c="$(cut -d' ' -f4 "$T/ap" | median)" -v d="$(cut -d' ' -f4 "$T/apb" | median)" \
		'BEGIN { printf "appends: %.2fx the requests/s of the baseline, %.2fx its CPU per request\n", a / b, c / d }'
fi
"$P" ledger audit "$T/l.db" >/dev/null && echo && echo "ledger audit after the appends: passed"
