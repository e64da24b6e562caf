/* server.c - the server object and its router: pl_server_open/close and
 * pl_server_handle, which answers one request held in memory (so that tests
 * and the fuzzer drive it without sockets), and the dashboard's static
 * files. */
#define _DEFAULT_SOURCE /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/server_internal.h"

static int read_token(pl_server *s, pl_error *err)
{
	FILE *f = fopen(s->cfg.token_file, "r");
	if (!f)
		return pl_error_set(err, PL_EIO, s->cfg.token_file,
				    "cannot read the token file: %s", strerror(errno));
	size_t n = fread(s->token, 1, sizeof s->token - 1, f);
	fclose(f);
	s->token[n] = '\0';
	while (n > 0 && (s->token[n - 1] == '\n' || s->token[n - 1] == '\r' ||
			 s->token[n - 1] == ' ' || s->token[n - 1] == '\t'))
		s->token[--n] = '\0';
	if (n < 16) {
		pl_secret_wipe(s->token, sizeof s->token);
		return pl_error_set(err, PL_EINPUT, s->cfg.token_file,
				    "the token must be at least 16 characters (one line)");
	}
	return PL_OK;
}

static int init_locks(pl_server *s)
{
	return pthread_rwlock_init(&s->cases_lock, NULL) ||
	       pthread_mutex_init(&s->slot_lock, NULL) || pthread_cond_init(&s->slot_cond, NULL) ||
	       pthread_mutex_init(&s->job_lock, NULL) || pthread_cond_init(&s->job_cond, NULL) ||
	       pthread_cond_init(&s->job_changed, NULL) ||
	       pthread_mutex_init(&s->ledger_lock, NULL) ||
	       pthread_mutex_init(&s->log_lock, NULL) ||
	       pthread_mutex_init(&s->append_lock, NULL);
}

static int stored_case(void *ctx, const char *id, const char *format, const char *name,
		       const char *data, size_t len)
{
	pl_server *s = ctx;
	pl_error err;
	pl_error_clear(&err);
	pl_format fmt = strcmp(format, "xml") == 0    ? (pl_format)-1
			: strcmp(format, "json") == 0 ? PL_FORMAT_JSON
			: strcmp(format, "ktab") == 0 ? PL_FORMAT_KTAB
						      : PL_FORMAT_CSV;
	pl_case *c;
	pl_params *xp;
	uint64_t seed;
	if (srv_case_parse(data, len, name, fmt, &c, &xp, &seed, &err))
		return -1;
	pl_params_free(xp);
	char sha[65];
	pl_sha256_hex(sha, data, len);
	return srv_cases_add(s, id, sha, format, name, 0, c, fmt == (pl_format)-1 ? data : NULL,
			     len, &err);
}

static int load_cases(pl_server *s, pl_error *err)
{
	int rc = pl_store_each_case(s->store, stored_case, s, err);
	if (rc && (rc == -1 || err->code == PL_OK)) /* the store read, the case did not */
		return pl_error_set(err, PL_EINPUT, s->data_dir, "a stored case no longer reads");
	return rc;
}

int pl_server_open(pl_server **out, const pl_server_config *cfg, pl_error *err)
{
	*out = NULL;
	if (!cfg || cfg->version != PL_SERVER_CONFIG_VERSION || !cfg->data_dir)
		return pl_error_set(err, PL_EINPUT, "server",
				    "a configuration with a data directory "
				    "is required");
	pl_server *s = calloc(1, sizeof *s);
	if (!s)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	s->cfg = *cfg;
	if (init_locks(s)) {
		free(s);
		return pl_error_set(err, PL_EINTERNAL, NULL, "cannot create locks");
	}
	snprintf(s->data_dir, sizeof s->data_dir, "%s", cfg->data_dir);
	snprintf(s->cors, sizeof s->cors, "%s", cfg->cors_origin ? cfg->cors_origin : "");
	if (cfg->static_dir && !realpath(cfg->static_dir, s->static_dir))
		s->static_dir[0] = '\0';
	s->body_max = cfg->body_max ? cfg->body_max : PL_SERVER_BODY_MAX_DEFAULT;
	if (!s->cfg.workers) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		s->cfg.workers = n > 0 ? (unsigned)n : 1;
	}
	s->cfg.job_workers = cfg->job_workers ? cfg->job_workers : 1;
	s->cfg.job_queue = cfg->job_queue ? cfg->job_queue : 16;
	s->cfg.sweep_threads = cfg->sweep_threads ? cfg->sweep_threads : 1;
	s->cfg.max_samples = cfg->max_samples ? cfg->max_samples : 10000000;
	s->log = cfg->access_log;
	*out = s;
	int rc = PL_OK;
	if ((cfg->token_file && (rc = read_token(s, err))) ||
	    (rc = pl_store_open(&s->store, s->data_dir, err)) ||
	    (rc = srv_cases_load_shipped(s, err)) || (rc = load_cases(s, err)) ||
	    (rc = srv_jobs_load(s, err)) || (cfg->ledger_path && (rc = srv_ledger_open(s, err))) ||
	    (rc = srv_jobs_start(s, err))) {
		pl_server_close(s);
		*out = NULL;
	}
	return rc;
}

void pl_server_close(pl_server *s)
{
	if (!s)
		return;
	srv_jobs_stop(s);
	srv_jobs_free(s);
	srv_ledger_close(s);
	pl_store_close(s->store);
	srv_cases_free(s);
	pl_secret_wipe(s->token, sizeof s->token);
	pthread_rwlock_destroy(&s->cases_lock);
	pthread_mutex_destroy(&s->slot_lock);
	pthread_cond_destroy(&s->slot_cond);
	pthread_mutex_destroy(&s->job_lock);
	pthread_cond_destroy(&s->job_cond);
	pthread_cond_destroy(&s->job_changed);
	pthread_mutex_destroy(&s->ledger_lock);
	pthread_mutex_destroy(&s->append_lock);
	pthread_mutex_destroy(&s->log_lock);
	free(s);
}

void srv_slot_take(pl_server *s)
{
	pthread_mutex_lock(&s->slot_lock);
	while (s->busy >= s->cfg.workers)
		pthread_cond_wait(&s->slot_cond, &s->slot_lock);
	s->busy++;
	pthread_mutex_unlock(&s->slot_lock);
}

void srv_slot_give(pl_server *s)
{
	pthread_mutex_lock(&s->slot_lock);
	s->busy--;
	pthread_cond_signal(&s->slot_cond);
	pthread_mutex_unlock(&s->slot_lock);
}

/* ---- routing ---- */

#define MAX_SEGMENTS 8

/* Splits "/a/b/c" into at most MAX_SEGMENTS segments of letters, digits and
 * . _ - only (anything else is no resource of this API); returns the count
 * or -1. */
static int split(const char *path, char *buf, size_t size, char **seg)
{
	size_t len = strlen(path);
	if (len == 0 || len >= size || path[0] != '/')
		return -1;
	memcpy(buf, path + 1, len);
	int n = 0;
	char *p = buf;
	while (*p) {
		if (n == MAX_SEGMENTS)
			return -1;
		seg[n++] = p;
		while (*p && *p != '/') {
			char c = *p;
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
				return -1;
			p++;
		}
		if (p == seg[n - 1] || (seg[n - 1][0] == '.'))
			return -1; /* empty, ".", "..", hidden */
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static void route_api(pl_server *s, const pl_http_request *q, pl_http_response *r, char **seg,
		      int n)
{
	const char *a = n > 2 ? seg[2] : "";
	if (n == 3 && strcmp(a, "health") == 0) {
		srv_api_health(s, q, r);
		return;
	}
	if (n == 3 && strcmp(a, "engines") == 0) {
		srv_api_engines(s, q, r);
		return;
	}
	if (n == 3 && strcmp(a, "cases") == 0) {
		srv_api_cases(s, q, r);
		return;
	}
	if (n == 4 && strcmp(a, "cases") == 0) {
		srv_api_case(s, q, r, seg[3]);
		return;
	}
	if (n == 5 && strcmp(a, "cases") == 0 && strcmp(seg[4], "report") == 0) {
		srv_api_case_report(s, q, r, seg[3]);
		return;
	}
	if (n == 3 && strcmp(a, "forecast") == 0) {
		srv_api_forecast(s, q, r);
		return;
	}
	if (n == 3 && strcmp(a, "compare") == 0) {
		srv_api_compare(s, q, r);
		return;
	}
	if (n == 3 && strcmp(a, "backtest") == 0) {
		srv_api_backtest(s, q, r);
		return;
	}
	if (n == 4 && strcmp(a, "games") == 0 && strcmp(seg[3], "solve") == 0) {
		srv_api_solve(s, q, r);
		return;
	}
	if (n == 4 && strcmp(a, "games") == 0) {
		srv_api_game(s, q, r, seg[3]);
		return;
	}
	if (n == 3 && strcmp(a, "sweeps") == 0) {
		srv_api_sweeps(s, q, r);
		return;
	}
	if ((n == 4 || n == 5) && strcmp(a, "jobs") == 0) {
		srv_api_job(s, q, r, seg[3], n == 5 ? seg[4] : NULL);
		return;
	}
	if (n >= 4 && strcmp(a, "ledger") == 0) {
		srv_api_ledger(s, q, r, seg + 3, (size_t)(n - 3));
		return;
	}
	srv_problemf(r, 404, "no resource %.200s (docs/api/openapi.json lists them)", q->path);
}

void pl_server_handle(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	memset(r, 0, sizeof *r);
	if (!q->method || !q->path) {
		srv_problem(r, 400, "a request needs a method and a path");
		return;
	}
	if (q->body_len > s->body_max) {
		srv_problemf(r, 413, "request body: %zu bytes, over the limit of %zu bytes",
			     q->body_len, s->body_max);
		return;
	}
	char buf[1024], *seg[MAX_SEGMENTS];
	int n = split(q->path, buf, sizeof buf, seg);
	if (n >= 2 && strcmp(seg[0], "api") == 0 && strcmp(seg[1], "v1") == 0) {
		route_api(s, q, r, seg, n);
		return;
	}
	if (n >= 1 && strcmp(seg[0], "api") == 0) {
		srv_problemf(r, 404, "no resource %.200s (the API is under /api/v1/)", q->path);
		return;
	}
	if (n < 0 && strncmp(q->path, "/api/", 5) == 0) {
		srv_problemf(r, 404, "no resource %.200s", q->path);
		return;
	}
	srv_api_static(s, q, r);
}

/* ---- static files (the dashboard) ---- */

static const char *media_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {{".html", "text/html; charset=utf-8"},
		     {".js", "text/javascript; charset=utf-8"},
		     {".mjs", "text/javascript; charset=utf-8"},
		     {".css", "text/css; charset=utf-8"},
		     {".json", "application/json"},
		     {".svg", "image/svg+xml"},
		     {".png", "image/png"},
		     {".ico", "image/x-icon"},
		     {".woff2", "font/woff2"},
		     {".txt", "text/plain; charset=utf-8"}};
	const char *dot = strrchr(path, '.');
	for (size_t k = 0; dot && k < sizeof types / sizeof *types; k++)
		if (strcmp(dot, types[k].ext) == 0)
			return types[k].type;
	return "application/octet-stream";
}

/* Serves a file under static_dir and nothing outside it: the path's
 * segments are checked (no "..", no hidden files) and the resolved path must
 * still lie under the directory (no symbolic link out). */
void srv_api_static(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD")) {
		srv_method_not_allowed(r, "GET, HEAD");
		return;
	}
	char buf[1024], *seg[MAX_SEGMENTS];
	int n = strcmp(q->path, "/") == 0 ? 0 : split(q->path, buf, sizeof buf, seg);
	if (!s->static_dir[0] || n < 0) {
		srv_problemf(r, 404, "no resource %.200s", q->path);
		return;
	}
	char path[4096 + 1100], real[PATH_MAX];
	size_t len = (size_t)snprintf(path, sizeof path, "%s", s->static_dir);
	for (int k = 0; k < n; k++)
		len += (size_t)snprintf(path + len, sizeof path - len, "/%s", seg[k]);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(path + len, sizeof path - len, "/index.html");
	size_t dl = strlen(s->static_dir);
	if (!realpath(path, real) || strncmp(real, s->static_dir, dl) || real[dl] != '/' ||
	    stat(real, &st) || !S_ISREG(st.st_mode) || st.st_size > 64 << 20) {
		srv_problemf(r, 404, "no resource %.200s", q->path);
		return;
	}
	FILE *f = fopen(real, "rb");
	char *data = f ? malloc((size_t)st.st_size + 1) : NULL;
	size_t got = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
	if (f)
		fclose(f);
	if (!data || got != (size_t)st.st_size) {
		free(data);
		{
			srv_problemf(r, 404, "no resource %.200s", q->path);
			return;
		}
	}
	srv_bytes(r, 200, media_type(real), data, got);
	r->is_static = 1;
}
