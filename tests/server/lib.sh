# lib.sh - what the server's tests share: starting `parley serve` on a free
# loopback port (bounded waits), stopping it, and checking answers.
# Sourced by test_*.sh with PARLEY, HAMMER and PARLEY_SOURCE_ROOT set.

fails=0
SERVER_PID=
T=$(mktemp -d)
trap 'stop_server 2>/dev/null; rm -rf "$T"' EXIT

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

ok() {
	echo "ok: $*"
}

# start_server ARGS...: starts parley serve on 127.0.0.1:0 and sets PORT,
# URL and SERVER_PID; the access log goes to $T/access.log.
start_server() {
	: >"$T/serve.out"
	"$PARLEY" serve --listen 127.0.0.1:0 --access-log "$T/access.log" "$@" \
		>"$T/serve.out" 2>"$T/serve.err" &
	SERVER_PID=$!
	i=0
	while [ $i -lt 200 ]; do
		if grep -q 'listening on' "$T/serve.out" 2>/dev/null; then
			URL=$(sed -n 's/.*listening on //p' "$T/serve.out")
			PORT=${URL##*:}
			return 0
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "server did not start:"
			cat "$T/serve.err"
			SERVER_PID=
			return 1
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "server did not start in 10 s"
	return 1
}

# stop_server: SIGTERM, then waits (at most 20 s) for a clean exit 0.
stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null
	i=0
	while kill -0 "$SERVER_PID" 2>/dev/null && [ $i -lt 400 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -9 "$SERVER_PID"
		SERVER_PID=
		return 1
	fi
	wait "$SERVER_PID"
	st=$?
	SERVER_PID=
	return $st
}

# req METHOD PATH [CURL ARGS...]: the answer's body goes to $T/body, its
# status to $STATUS and its headers to $T/headers.
req() {
	m=$1
	p=$2
	shift 2
	STATUS=$(curl -s --max-time 60 -X "$m" -D "$T/headers" -o "$T/body" -w '%{http_code}' \
		"$@" "http://127.0.0.1:$PORT$p")
}

# expect STATUS WHAT: checks $STATUS.
expect() {
	if [ "$STATUS" = "$1" ]; then
		ok "$2 ($1)"
	else
		fail "$2: status $STATUS, expected $1: $(head -c 400 "$T/body")"
	fi
}

# expect_detail TEXT WHAT: the problem's detail contains TEXT.
expect_detail() {
	if grep -q -- "$1" "$T/body" && grep -qi 'content-type: application/problem+json' "$T/headers"; then
		ok "$2 names '$1'"
	else
		fail "$2: no '$1' in $(head -c 400 "$T/body")"
	fi
}

# same FILE1 FILE2 WHAT: byte equality.
same() {
	if cmp -s "$1" "$2"; then
		ok "$3: the same bytes as the command"
	else
		fail "$3: differs from the command's document"
		diff "$1" "$2" | head -10
	fi
}
