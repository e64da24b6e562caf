#!/bin/sh
# test_server_readme.sh - the README's curl session, as a new user runs it
# after `make serve`: each command of the block under "## The HTTP API" is
# run as written (localhost:8080 pointed at a free port, my-case.csv a small
# BDM CSV) and must succeed; the forecast must be the very bytes `parley
# forecast --format json` prints.  Also: a token file too short to be a
# secret is refused, and a job's result is addressed by the SHA-256 of its
# bytes.
. "$PARLEY_SOURCE_ROOT/tests/server/lib.sh"
P=$PARLEY
R=$PARLEY_SOURCE_ROOT
command -v curl >/dev/null || { echo "curl is missing (apt-get install curl)"; exit 77; }

# the session: the lines of the first sh block after "## The HTTP API",
# continuation lines joined, comments dropped
awk '/^## The HTTP API/ { sec = 1 } sec && /^```sh/ { on = 1; next }
	on && /^```/ { exit } on { print }' "$R/README.md" |
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' -e 's/[[:space:]]*#[^'"'"'"]*$//' >"$T/session"
n=$(grep -c '^curl ' "$T/session")
[ "$n" -ge 4 ] && ok "the README shows $n curl commands" || fail "README: $n curl commands"
grep -q 'api/v1/forecast' "$T/session" || fail "README: no forecast in the session"

start_server --data "$T/data" || exit 1
mkdir "$T/user"
printf 'Actor,Capability,Position,Salience\nA,10,0,0.5\nB,20,100,0.9\nC,30,40,0.7\n' \
	>"$T/user/my-case.csv"
k=0
while IFS= read -r line; do
	case $line in curl\ *) ;; *) continue ;; esac
	k=$((k + 1))
	cmd=$(printf '%s' "$line" | sed "s/localhost:8080/127.0.0.1:$PORT/g; s/^curl /curl -f /")
	if (cd "$T/user" && eval "$cmd") >"$T/out$k" 2>"$T/err$k"; then
		ok "README command $k: $(printf '%s' "$line" | cut -c1-70)"
	else
		fail "README command $k failed: $line: $(cat "$T/err$k" "$T/out$k" | head -c 300)"
	fi
	case $line in
	*api/v1/forecast*)
		body=$(printf '%s' "$line" | sed -n "s/.*-d '\(.*\)'.*/\1/p")
		engine=$(printf '%s' "$body" | sed -n 's/.*"engine": *"\([a-z]*\)".*/\1/p')
		"$P" forecast --engine "${engine:-all}" --format json >"$T/cmd.json"
		same "$T/out$k" "$T/cmd.json" "README forecast"
		;;
	*api/v1/cases*-X\ POST* | *-X\ POST*api/v1/cases*)
		grep -q '"sha256"' "$T/out$k" && ok "README upload answers its id and sha256" ||
			fail "README upload: $(cat "$T/out$k")"
		;;
	esac
done <"$T/session"

# a job's result is addressed by the SHA-256 of its bytes
req POST /api/v1/sweeps --data-binary '{"samples":50,"seed":2}'
expect 202 "a small sweep"
job=$(sed -n 's/.*"job": "\([0-9a-f]*\)".*/\1/p' "$T/body")
i=0
while [ $i -lt 600 ]; do
	req GET "/api/v1/jobs/$job"
	grep -q '"state": "done"' "$T/body" && break
	sleep 0.2
	i=$((i + 1))
done
sha=$(sed -n 's/.*"sha256": "\([0-9a-f]*\)".*/\1/p' "$T/body")
req GET "/api/v1/jobs/$job/result"
expect 200 "the sweep's result"
[ -n "$sha" ] && [ "$(sha256sum <"$T/body" | cut -d' ' -f1)" = "$sha" ] &&
	ok "the result is addressed by the SHA-256 of its bytes" ||
	fail "result hash: job says '$sha', bytes hash to $(sha256sum <"$T/body")"
stop_server

# an operator token must be a secret worth the name
printf 'short\n' >"$T/token"
"$P" serve --listen 127.0.0.1:0 --data "$T/data" --token-file "$T/token" 2>"$T/err" >/dev/null
st=$?
[ $st = 2 ] && grep -q 'at least 16 characters' "$T/err" && ok "a short token file is refused" ||
	fail "short token: exit $st: $(cat "$T/err")"
"$P" serve --listen 127.0.0.1:0 --data "$T/data" --token-file "$T/none" 2>"$T/err" >/dev/null
st=$?
[ $st != 0 ] && grep -q 'token' "$T/err" && ok "a missing token file is refused" ||
	fail "missing token: exit $st: $(cat "$T/err")"

[ $fails = 0 ] || { echo "$fails failures"; exit 1; }
echo "all README session tests passed"
