#!/bin/sh
# test_server_jobs.sh - comparisons and sweeps over HTTP: POST /compare gives
# `parley compare --format json`'s bytes; a sweep is a job (202) whose
# progress streams as Server-Sent Events and whose result is `parley sweep
# --format json`'s bytes; DELETE cancels; a full queue answers 429; a
# finished result survives a restart and a job the stop interrupted runs
# again when the server opens.
. "$PARLEY_SOURCE_ROOT/tests/server/lib.sh"
P=$PARLEY
command -v curl >/dev/null || { echo "curl is missing (apt-get install curl)"; exit 77; }

start_server --data "$T/data" --job-queue 2 || exit 1

# ---- compare ----
cmpdoc() { # NAME BODY -- COMMAND ARGS
	name=$1
	body=$2
	shift 3
	req POST /api/v1/compare --data-binary "$body"
	expect 200 "compare $name"
	"$P" compare "$@" --format json >"$T/cmd.json"
	same "$T/body" "$T/cmd.json" "compare $name"
}
cmpdoc default '{}' --
cmpdoc some '{"forums":["everyone","trilateral"],"engines":"compromise,eu","seed":2}' -- \
	--forums everyone,trilateral -e compromise,eu -s 2
req POST /api/v1/compare --data-binary '{"forums":["nowhere"]}'
expect 400 "compare an unknown forum"
expect_detail "nowhere" "unknown forum"

# ---- a sweep as a job ----
wait_job() { # ID: polls (at most 240 s) until the job has ended; $STATE
	i=0
	while [ $i -lt 2400 ]; do
		req GET "/api/v1/jobs/$1"
		STATE=$(sed -n 's/.*"state": "\([a-z]*\)".*/\1/p' "$T/body")
		case $STATE in done | failed | cancelled) return 0 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
job_of() { sed -n 's/.*"job": "\([0-9a-f]*\)".*/\1/p' "$T/body"; }

req POST /api/v1/sweeps --data-binary '{"samples":300,"seed":3,"threshold":[50,"nuclear:40"]}'
expect 202 "start a sweep"
grep -qi '^Location: /api/v1/jobs/' "$T/headers" || fail "202 without Location"
job=$(job_of)
cp "$T/body" "$T/a_created.json"
curl -s -N --max-time 240 "http://127.0.0.1:$PORT/api/v1/jobs/$job/events" >"$T/events"
grep -q '^event: done' "$T/events" && grep -q '^data: {"id"' "$T/events" &&
	ok "events: progress then done ($(grep -c '^event:' "$T/events") events)" ||
	fail "events: $(head -c 300 "$T/events")"
wait_job "$job" && [ "$STATE" = done ] || fail "the sweep did not finish: $STATE"
cp "$T/body" "$T/a_job.json"
req GET "/api/v1/jobs/$job/result"
expect 200 "the sweep's result"
cp "$T/body" "$T/result1.json"
"$P" sweep -n 300 -s 3 --threshold 50 --threshold nuclear:40 --format json >"$T/cmd.json"
same "$T/body" "$T/cmd.json" "sweep"
req DELETE "/api/v1/jobs/$job"
expect 409 "cancel a finished job"
req GET /api/v1/jobs/ffff
expect 404 "an unknown job"
cp "$T/body" "$T/a_404.json"
if python3 -c 'import jsonschema' 2>/dev/null; then
	python3 "$PARLEY_SOURCE_ROOT/tests/server/check_openapi.py" \
		"$PARLEY_SOURCE_ROOT/docs/api/openapi.json" POST:/api/v1/sweeps:202="$T/a_created.json" \
		GET:/api/v1/jobs/{id}:200="$T/a_job.json" GET:/api/v1/jobs/{id}:404="$T/a_404.json" \
		POST:/api/v1/compare:200="$T/cmd.json" >"$T/oa.out" &&
		ok "job answers match docs/api/openapi.json" || fail "OpenAPI: $(cat "$T/oa.out")"
fi
req POST /api/v1/jobs/ffff
expect 405 "POST a job"
req POST /api/v1/sweeps --data-binary '{"samples":0}'
expect 400 "a sweep of no samples"
expect_detail '\$.samples' "samples 0"
req POST /api/v1/sweeps --data-binary '{"engine":"nope"}'
expect 400 "a sweep with an unknown engine"
req POST /api/v1/sweeps --data-binary '{"threshold":["nowhere:3"]}'
expect 400 "a sweep with a threshold on an unknown issue"

# ---- cancel, and a full queue ----
req POST /api/v1/sweeps --data-binary '{"samples":200000,"engine":"eu"}'
expect 202 "start a long sweep"
long1=$(job_of)
req POST /api/v1/sweeps --data-binary '{"samples":200000,"engine":"eu","seed":2}'
expect 202 "queue a second long sweep"
long2=$(job_of)
req POST /api/v1/sweeps --data-binary '{"samples":10}'
expect 429 "a third job on a queue of two"
req DELETE "/api/v1/jobs/$long2"
expect 200 "cancel a queued job"
grep -q '"state": "cancelled"' "$T/body" || fail "cancelled job state: $(cat "$T/body")"
req DELETE "/api/v1/jobs/$long1"
expect 200 "cancel a running job"
wait_job "$long1" && [ "$STATE" = cancelled ] || fail "the running job did not end cancelled: $STATE"
req GET "/api/v1/jobs/$long1/result"
expect 409 "the result of a cancelled job"

# ---- restarts: a result survives, an interrupted job runs again ----
req POST /api/v1/sweeps --data-binary '{"samples":400,"engine":"eu","seed":5}'
expect 202 "start a sweep to interrupt"
resumed=$(job_of)
stop_server || fail "SIGTERM with a job running"
start_server --data "$T/data" --job-queue 2 || exit 1
req GET "/api/v1/jobs/$job/result"
expect 200 "a finished result after a restart"
same "$T/body" "$T/result1.json" "the result after a restart"
wait_job "$resumed" && [ "$STATE" = done ] && ok "the interrupted job ran again after the restart" ||
	fail "the interrupted job: $STATE"
req GET "/api/v1/jobs/$resumed/result"
"$P" sweep -n 400 -e eu -s 5 --format json >"$T/cmd.json"
same "$T/body" "$T/cmd.json" "the resumed sweep"
stop_server || fail "SIGTERM"

[ $fails = 0 ] || { echo "$fails failures"; exit 1; }
echo "all job server tests passed"
