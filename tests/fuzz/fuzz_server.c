/* fuzz_server.c - libFuzzer target: the server's router and request
 * bodies, driven through pl_server_handle with no sockets.  An input is
 *
 *     METHOD PATH[?QUERY]\n
 *     Header: value\n      (Content-Type, Authorization, Parley-*)
 *     \n
 *     BODY
 *
 * Every answer must be a well-formed status with a body, never a crash, a
 * leak or a hang.  The server (a temporary data directory with the shipped
 * cases, a ledger and an operator token) is opened once; sweeps are limited
 * to 50 samples so that queued jobs stay cheap. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parley/parley.h"
#include "parley/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pl_server *server;
static char dir[64];

static void cleanup(void)
{
	pl_server_close(server);
	server = NULL;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (dir[0] && system(cmd) != 0)
		fprintf(stderr, "fuzz_server: cannot remove %s\n", dir);
}

static void open_server(void)
{
	snprintf(dir, sizeof dir, "/tmp/fuzz_server.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	char ledger[128], key[128], token[128], data[128];
	snprintf(ledger, sizeof ledger, "%s/l.db", dir);
	snprintf(key, sizeof key, "%s/log.key", dir);
	snprintf(token, sizeof token, "%s/token", dir);
	snprintf(data, sizeof data, "%s/data", dir);
	uint8_t seed[32] = {7};
	pl_key k;
	FILE *f = fopen(token, "w");
	if (!f)
		abort();
	fputs("fuzz-operator-token-0123456789\n", f);
	fclose(f);
	if (pl_key_from_seed("log.fuzz.example", seed, &k, NULL) ||
	    pl_key_write_secret(&k, key, NULL) ||
	    pl_ledger_create(ledger, "fuzz.example/ledger", &k, NULL))
		abort();
	const char *root = getenv("PARLEY_SOURCE_ROOT");
	char cases[4096], games[4096];
	snprintf(cases, sizeof cases, "%s/data/cases", root ? root : ".");
	snprintf(games, sizeof games, "%s/data/games", root ? root : ".");
	pl_server_config cfg = PL_SERVER_CONFIG_INIT;
	cfg.data_dir = data;
	cfg.cases_dir = access(cases, R_OK) == 0 ? cases : NULL;
	cfg.games_dir = access(games, R_OK) == 0 ? games : NULL;
	cfg.ledger_path = ledger;
	cfg.log_key_path = key;
	cfg.token_file = token;
	cfg.workers = 2;
	cfg.job_queue = 4;
	cfg.max_samples = 50;
	cfg.body_max = 1 << 20;
	pl_error err;
	pl_error_clear(&err);
	if (pl_server_open(&server, &cfg, &err)) {
		fprintf(stderr, "fuzz_server: %s: %s\n", err.where, err.message);
		abort();
	}
	atexit(cleanup);
}

static char *header(char *line, const char *name)
{
	size_t n = strlen(name);
	if (strncasecmp(line, name, n) == 0 && line[n] == ':')
		return line + n + 1 + (line[n + 1] == ' ');
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!server)
		open_server();
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	pl_http_request q = {.now = 1700000000};
	char *line = buf, *end = buf + size;
	char *nl = memchr(line, '\n', (size_t)(end - line));
	if (!nl) {
		free(buf);
		return 0;
	}
	*nl = '\0';
	char *sp = strchr(line, ' ');
	if (!sp) {
		free(buf);
		return 0;
	}
	*sp = '\0';
	q.method = line;
	q.path = sp + 1;
	char *qm = strchr(sp + 1, '?');
	if (qm) {
		*qm = '\0';
		q.query = qm + 1;
	}
	line = nl + 1;
	while (line < end && (nl = memchr(line, '\n', (size_t)(end - line))) && nl != line) {
		*nl = '\0';
		char *v;
		if ((v = header(line, "Content-Type")))
			q.content_type = v;
		else if ((v = header(line, "Authorization")))
			q.authorization = v;
		else if ((v = header(line, "Parley-Party")))
			q.party = v;
		else if ((v = header(line, "Parley-Time")))
			q.sig_time = v;
		else if ((v = header(line, "Parley-Signature")))
			q.signature = v;
		line = nl + 1;
	}
	if (line < end && *line == '\n')
		line++;
	q.body = line < end ? line : NULL;
	q.body_len = line < end ? (size_t)(end - line) : 0;
	pl_http_response r;
	pl_server_handle(server, &q, &r);
	if (r.status < 100 || r.status > 599 || (!r.stream_job[0] && r.body_len && !r.body))
		abort();
	pl_http_response_clear(&r);
	free(buf);
	return 0;
}
