/* http.c - the listening face: libmicrohttpd in front of
 * pl_server_handle.  One thread per connection (bounded by max_conns), so a
 * Server-Sent Events stream may wait for a job's progress; the compute slots
 * of the server bound the work done at once.  Loopback only unless TLS or
 * --insecure; body limit (413 before the body is read when Content-Length
 * says so), connection timeouts, security headers, an access log line per
 * request. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "server/server_internal.h"

#if MHD_VERSION < 0x00097002
typedef int MHD_Result;
#else
typedef enum MHD_Result MHD_Result;
#endif

typedef struct conn {
	char *body;
	size_t len, cap;
	int too_big;
	int status;
	size_t sent;
	struct timespec start;
	char method[16];
	char path[256];
} conn;

typedef struct face {
	pl_server *s;
	const pl_listen_options *o;
} face;

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
			  "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return 1e3 * (double)(t.tv_sec - t0->tv_sec) + 1e-6 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	face *f = cls;
	conn *k = *con_cls;
	if (!k)
		return;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
				  &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr,
				  sizeof addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr,
				  sizeof addr);
	}
	srv_log(f->s, "%s \"%s %s\" %d %zu %.2fms%s", addr, k->method, k->path, k->status, k->sent,
		ms_since(&k->start), toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (cut)");
	free(k->body);
	free(k);
	*con_cls = NULL;
}

/* ---- Server-Sent Events ---- */

typedef struct stream {
	pl_server *s;
	char id[40];
	unsigned seen;
	char *buf;
	size_t len, off;
	int ended;
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	stream *st = cls;
	for (int tries = 0; st->off == st->len && tries < 2; tries++) {
		if (st->ended)
			return MHD_CONTENT_READER_END_OF_STREAM;
		free(st->buf);
		st->buf = NULL;
		st->off = st->len = 0;
		int rc = pl_server_job_events(st->s, st->id, &st->seen, 1000, &st->buf);
		if (rc < 0 || !st->buf)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		st->len = strlen(st->buf);
		st->ended = rc == 1;
	}
	size_t n = st->len - st->off < max ? st->len - st->off : max;
	memcpy(out, st->buf + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	stream *st = cls;
	free(st->buf);
	free(st);
}

/* ---- requests ---- */

static MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	char *q = cls;
	size_t len = strlen(q);
	snprintf(q + len, 1024 - len, "%s%s%s%s", len ? "&" : "", key, value ? "=" : "",
		 value ? value : "");
	return MHD_YES;
}

static struct MHD_Response *make_response(face *f, pl_http_response *r, conn *k)
{
	struct MHD_Response *m;
	if (r->stream_job[0]) {
		stream *st = calloc(1, sizeof *st);
		if (!st)
			return NULL;
		st->s = f->s;
		snprintf(st->id, sizeof st->id, "%s", r->stream_job);
		m = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, st,
						      stream_free);
		if (!m)
			free(st);
		if (m)
			MHD_add_response_header(m, "Cache-Control", "no-store");
	} else {
		m = MHD_create_response_from_buffer(r->body_len, r->body, MHD_RESPMEM_MUST_FREE);
		if (m)
			r->body = NULL; /* MHD frees it */
		k->sent = r->body_len;
	}
	if (!m)
		return NULL;
	if (r->content_type)
		MHD_add_response_header(m, "Content-Type", r->content_type);
	MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
	if (r->location[0])
		MHD_add_response_header(m, "Location", r->location);
	if (r->allow)
		MHD_add_response_header(m, "Allow", r->allow);
	if (r->status == 401)
		MHD_add_response_header(m, "WWW-Authenticate", "Bearer");
	if (f->s->cors[0])
		MHD_add_response_header(m, "Access-Control-Allow-Origin", f->s->cors);
	if (r->is_static) {
		MHD_add_response_header(m, "Content-Security-Policy", csp);
		MHD_add_response_header(m, "X-Frame-Options", "DENY");
		MHD_add_response_header(m, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(m, "Cross-Origin-Opener-Policy", "same-origin");
		MHD_add_response_header(m, "Permissions-Policy",
					"camera=(), microphone=(), "
					"geolocation=()");
	} else {
		MHD_add_response_header(m, "Cache-Control", "no-store");
		MHD_add_response_header(m, "Content-Security-Policy",
					"default-src 'none'; "
					"frame-ancestors 'none'");
	}
	return m;
}

static MHD_Result answer(face *f, struct MHD_Connection *c, conn *k, const char *url,
			 const char *method)
{
	char query[1024] = "";
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, query);
	pl_http_request q = {
		.method = method,
		.path = url,
		.query = query[0] ? query : NULL,
		.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"),
		.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
		.party = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Parley-Party"),
		.sig_time = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Parley-Time"),
		.signature = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Parley-Signature"),
		.body = k->body,
		.body_len = k->len,
		.now = (uint64_t)time(NULL),
	};
	pl_http_response r;
	if (k->too_big) {
		memset(&r, 0, sizeof r);
		srv_problemf(&r, 413, "request body: over the limit of %zu bytes", f->s->body_max);
	} else if (f->s->cors[0] && strcmp(method, "OPTIONS") == 0) {
		memset(&r, 0, sizeof r);
		r.status = 204;
	} else {
		pl_server_handle(f->s, &q, &r);
	}
	k->status = r.status;
	struct MHD_Response *m = make_response(f, &r, k);
	if (m && f->s->cors[0] && strcmp(method, "OPTIONS") == 0) {
		MHD_add_response_header(m, "Access-Control-Allow-Methods", "GET, POST, DELETE");
		MHD_add_response_header(m, "Access-Control-Allow-Headers",
					"Content-Type, Authorization, Parley-Party, Parley-Time, "
					"Parley-Signature");
	}
	pl_http_response_clear(&r);
	if (!m)
		return MHD_NO;
	MHD_Result ret = MHD_queue_response(c, (unsigned)k->status, m);
	MHD_destroy_response(m);
	return ret;
}

static MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
			     const char *method, const char *version, const char *upload_data,
			     size_t *upload_size, void **con_cls)
{
	face *f = cls;
	conn *k = *con_cls;
	if (!k) { /* the headers: the body comes in the next calls */
		k = calloc(1, sizeof *k);
		if (!k)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &k->start);
		snprintf(k->method, sizeof k->method, "%s", method);
		snprintf(k->path, sizeof k->path, "%s", url);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > f->s->body_max)
			k->too_big = 1;
		*con_cls = k;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!k->too_big && k->len + *upload_size > f->s->body_max) {
			k->too_big = 1;
		} else if (!k->too_big) {
			if (k->len + *upload_size + 1 > k->cap) {
				size_t cap = (k->len + *upload_size + 1) * 2;
				char *nb = realloc(k->body, cap);
				if (!nb)
					return MHD_NO;
				k->body = nb;
				k->cap = cap;
			}
			memcpy(k->body + k->len, upload_data, *upload_size);
			k->len += *upload_size;
			k->body[k->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(f, c, k, url, method);
}

/* ---- listening ---- */

static int is_loopback(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
	return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
}

static int address(const pl_listen_options *o, struct sockaddr_storage *sa, socklen_t *len,
		   pl_error *err)
{
	memset(sa, 0, sizeof *sa);
	const char *host = strcmp(o->host, "localhost") == 0 ? "127.0.0.1" : o->host;
	struct sockaddr_in *in = (struct sockaddr_in *)(void *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)sa;
	if (o->port > 65535)
		return pl_error_set(err, PL_EINPUT, "--listen", "port %u is not in 0..65535",
				    o->port);
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)o->port);
		*len = sizeof *in;
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)o->port);
		*len = sizeof *in6;
	} else {
		return pl_error_set(err, PL_EINPUT, "--listen",
				    "'%s' is not a numeric IPv4 or IPv6 address (or localhost)",
				    o->host);
	}
	return PL_OK;
}

static char *read_pem(const char *path, pl_error *err)
{
	FILE *fp = fopen(path, "rb");
	char *buf = fp ? calloc(1, 1 << 20) : NULL;
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, fp) : 0;
	if (fp)
		fclose(fp);
	if (!buf || n == 0) {
		free(buf);
		pl_error_set(err, PL_EINPUT, path, "cannot read the PEM file");
		return NULL;
	}
	return buf;
}

int pl_server_listen(pl_server *s, const pl_listen_options *o, pl_error *err)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	int tls = o->tls_cert || o->tls_key;
	if (o->version != PL_LISTEN_OPTIONS_VERSION || !o->host || !o->stop)
		return pl_error_set(err, PL_EINPUT, "listen", "bad listen options");
	int rc = address(o, &sa, &salen, err);
	if (rc)
		return rc;
	if (!is_loopback(&sa) && !tls && !o->insecure)
		return pl_error_set(
			err, PL_EINPUT, "--listen",
			"%s is not a loopback address: serving beyond this machine needs "
			"TLS (--tls-cert, --tls-key) or, knowingly, --insecure",
			o->host);
	if (tls && (!o->tls_cert || !o->tls_key))
		return pl_error_set(err, PL_EINPUT, "--tls-cert",
				    "TLS needs both --tls-cert and "
				    "--tls-key");
	if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		return pl_error_set(err, PL_EINPUT, "--tls-cert", "this libmicrohttpd has no TLS");
	char *cert = NULL, *key = NULL;
	if (tls && (!(cert = read_pem(o->tls_cert, err)) || !(key = read_pem(o->tls_key, err)))) {
		free(cert);
		return PL_EINPUT;
	}
	face f = {s, o};
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_ERROR_LOG | (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0) |
			 (tls ? MHD_USE_TLS : 0);
	struct MHD_OptionItem tls_opts[] = {
		{tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, key},
		{MHD_OPTION_END, 0, NULL}};
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)o->port, NULL, NULL, on_request, &f, MHD_OPTION_SOCK_ADDR, &sa,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o->timeout_s ? o->timeout_s : 30),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->max_conns ? o->max_conns : 256),
		MHD_OPTION_NOTIFY_COMPLETED, completed, &f, MHD_OPTION_ARRAY, tls_opts,
		MHD_OPTION_END);
	if (!d) {
		free(cert);
		free(key);
		return pl_error_set(err, PL_EIO, "--listen", "cannot listen on %s port %u: %s",
				    o->host, o->port, strerror(errno));
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = di ? di->port : o->port;
	char url[128];
	snprintf(url, sizeof url, "%s://%s%s%s:%u", tls ? "https" : "http",
		 sa.ss_family == AF_INET6 ? "[" : "", o->host, sa.ss_family == AF_INET6 ? "]" : "",
		 port);
	srv_log(s, "listening on %s", url);
	if (o->on_ready)
		o->on_ready(o->ctx, url);
	while (!*o->stop) {
		struct timespec t = {0, 50 * 1000000L};
		nanosleep(&t, NULL);
	}
	srv_log(s, "stopping");
	MHD_stop_daemon(d);
	free(cert);
	free(key);
	return PL_OK;
}
