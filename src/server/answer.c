/* answer.c - building the server's answers: JSON documents, RFC 9457
 * problem details (built with parley/request.h), and the request body
 * read as a JSON object. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server_internal.h"

static const char *status_title(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

void srv_bytes(pl_http_response *r, int status, const char *type, char *body, size_t len)
{
	free(r->body);
	r->status = status;
	r->content_type = type;
	r->body = body;
	r->body_len = len;
}

void srv_answer(pl_http_response *r, int status, pl_answer *a)
{
	char *text = pl_answer_text(a, PL_ANSWER_PRETTY);
	size_t len = text ? strlen(text) : 0;
	char *body = text ? realloc(text, len + 2) : NULL;
	if (!body) {
		free(text);
		srv_problem(r, 500, "out of memory");
		return;
	}
	body[len] = '\n';
	body[len + 1] = '\0';
	srv_bytes(r, status, "application/json", body, len + 1);
}

void srv_problem(pl_http_response *r, int status, const char *detail)
{
	pl_answer *p = pl_answer_object();
	pl_answer_string(p, "type", "about:blank");
	pl_answer_string(p, "title", status_title(status));
	pl_answer_int(p, "status", status);
	pl_answer_string(p, "detail", detail);
	char *text = pl_answer_text(p, PL_ANSWER_PRETTY);
	if (!text) { /* keep an answer even without memory */
		r->status = status;
		r->content_type = "application/problem+json";
		free(r->body);
		r->body = NULL;
		r->body_len = 0;
		return;
	}
	srv_bytes(r, status, "application/problem+json", text, strlen(text));
}

void srv_problemf(pl_http_response *r, int status, const char *fmt, ...)
{
	char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	srv_problem(r, status, buf);
}

void srv_problem_err(pl_http_response *r, const pl_error *err)
{
	char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
	int status = err->code == PL_EINPUT	 ? 400
		     : err->code == PL_ENOTFOUND ? 400
		     : err->code == PL_ENUMERIC	 ? 422
						 : 500;
	srv_problem(r, status, err->code ? pl_error_format(err, buf, sizeof buf) : "failed");
}

void srv_method_not_allowed(pl_http_response *r, const char *allow)
{
	srv_problemf(r, 405, "this resource answers %s only", allow);
	r->allow = allow;
}

pl_request *srv_body(const pl_http_request *q, pl_http_response *r)
{
	pl_request *req;
	pl_error err;
	pl_error_clear(&err);
	if (pl_request_parse(&req, q->body, q->body_len, &err)) {
		srv_problem_err(r, &err);
		return NULL;
	}
	return req;
}

void srv_log(pl_server *s, const char *fmt, ...)
{
	if (!s->log)
		return;
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&s->log_lock);
	fprintf(s->log, "%s ", when);
	vfprintf(s->log, fmt, ap);
	fputc('\n', s->log);
	fflush(s->log);
	pthread_mutex_unlock(&s->log_lock);
	va_end(ap);
}

void pl_http_response_clear(pl_http_response *resp)
{
	free(resp->body);
	memset(resp, 0, sizeof *resp);
}

int srv_grow(void **p, size_t *cap, size_t size)
{
	size_t n = *cap ? *cap * 2 : 16;
	void *q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

const char *srv_query_arg(const char *query, const char *name, char *buf, size_t size)
{
	size_t n = strlen(name);
	for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			size_t len = strcspn(p + n + 1, "&");
			if (len >= size)
				return NULL;
			memcpy(buf, p + n + 1, len);
			buf[len] = '\0';
			return buf;
		}
	return NULL;
}
