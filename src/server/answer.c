/* answer.c - building the server's answers: JSON documents, RFC 9457
 * problem details, and the checks on request objects whose failures name
 * the JSON path and the rule, in the command's words. */
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

void srv_json(pl_http_response *r, int status, json_t *v)
{
	char *text =
		v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
		  : NULL;
	json_decref(v);
	if (!text) {
		srv_problem(r, 500, "out of memory");
		return;
	}
	size_t len = strlen(text);
	char *body = realloc(text, len + 2);
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
	json_t *p = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
			      status_title(status), "status", status, "detail", detail);
	char *text = p ? json_dumps(p, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(p);
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

json_t *srv_body_object(const pl_http_request *q, pl_http_response *r)
{
	json_error_t je;
	if (!q->body || q->body_len == 0) {
		srv_problem(r, 400, "request body: a JSON object is required");
		return NULL;
	}
	json_t *o = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		srv_problemf(r, 400, "request body:%d:%d: not valid JSON: %s", je.line, je.column,
			     je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		srv_problem(r, 400, "request body: $: must be a JSON object");
		return NULL;
	}
	return o;
}

int srv_check_members(json_t *o, const char *const *known, pl_http_response *r)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		size_t k = 0;
		while (known[k] && strcmp(known[k], key))
			k++;
		if (!known[k]) {
			char list[512] = "";
			for (k = 0; known[k]; k++) {
				strncat(list, k ? ", " : "", sizeof list - strlen(list) - 1);
				strncat(list, known[k], sizeof list - strlen(list) - 1);
			}
			srv_problemf(r, 400, "request body: $.%.100s: unknown member (known: %s)",
				     key, list);
			return -1;
		}
	}
	return 0;
}

int srv_get_string(json_t *o, const char *name, const char **out, pl_http_response *r)
{
	json_t *v = json_object_get(o, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		srv_problemf(r, 400, "request body: $.%s: must be a string", name);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int srv_get_uint(json_t *o, const char *name, uint64_t lo, uint64_t hi, uint64_t *out,
		 pl_http_response *r)
{
	json_t *v = json_object_get(o, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) < lo || (uint64_t)json_integer_value(v) > hi) {
		srv_problemf(r, 400, "request body: $.%s: must be a whole number from %llu to %llu",
			     name, (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

int srv_get_bool(json_t *o, const char *name, int *out, pl_http_response *r)
{
	json_t *v = json_object_get(o, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		srv_problemf(r, 400, "request body: $.%s: must be true or false", name);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
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
