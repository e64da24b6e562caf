/* request.c - JSON requests and answers for a service face
 * (include/parley/request.h): a request body read member by member, every
 * refusal naming the JSON path and the rule, and small answers built
 * member by member.  jansson does the JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "parley/request.h"

#define BODY "request body"

struct pl_request {
	json_t *o;
};

struct pl_answer {
	json_t *v;
	int bad; /* an addition failed (out of memory, bad JSON text) */
};

int pl_request_parse(pl_request **out, const char *body, size_t len, pl_error *err)
{
	json_error_t je;
	*out = NULL;
	if (!body || len == 0)
		return pl_error_set(err, PL_EINPUT, BODY, "a JSON object is required");
	json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		char where[64];
		snprintf(where, sizeof where, BODY ":%d:%d", je.line, je.column);
		return pl_error_set(err, PL_EINPUT, where, "not valid JSON: %s", je.text);
	}
	if (!json_is_object(o)) {
		json_decref(o);
		return pl_error_set(err, PL_EINPUT, BODY, "$: must be a JSON object");
	}
	pl_request *q = malloc(sizeof *q);
	if (!q) {
		json_decref(o);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	q->o = o;
	*out = q;
	return PL_OK;
}

void pl_request_free(pl_request *q)
{
	if (!q)
		return;
	json_decref(q->o);
	free(q);
}

static pl_member_kind kind_of(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: return PL_MEMBER_OBJECT;
	case JSON_ARRAY: return PL_MEMBER_ARRAY;
	case JSON_STRING: return PL_MEMBER_STRING;
	case JSON_INTEGER:
	case JSON_REAL: return PL_MEMBER_NUMBER;
	case JSON_TRUE:
	case JSON_FALSE: return PL_MEMBER_BOOL;
	default: return v ? PL_MEMBER_NULL : PL_MEMBER_ABSENT;
	}
}

pl_member_kind pl_request_kind(const pl_request *q, const char *name)
{
	return kind_of(json_object_get(q->o, name));
}

int pl_request_check_members(const pl_request *q, const char *const *known, pl_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(q->o, key, v)
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
			return pl_error_set(err, PL_EINPUT, BODY,
					    "$.%.100s: unknown member (known: %s)", key, list);
		}
	}
	return PL_OK;
}

/* The member, NULL when absent or null. */
static json_t *member(const pl_request *q, const char *name)
{
	json_t *v = json_object_get(q->o, name);
	return json_is_null(v) ? NULL : v;
}

int pl_request_string(const pl_request *q, const char *name, const char **out, pl_error *err)
{
	json_t *v = member(q, name);
	if (!v)
		return PL_OK;
	if (!json_is_string(v))
		return pl_error_set(err, PL_EINPUT, BODY, "$.%s: must be a string", name);
	*out = json_string_value(v);
	return PL_OK;
}

int pl_request_uint(const pl_request *q, const char *name, uint64_t lo, uint64_t hi, uint64_t *out,
		    pl_error *err)
{
	json_t *v = member(q, name);
	if (!v)
		return PL_OK;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) < lo || (uint64_t)json_integer_value(v) > hi)
		return pl_error_set(err, PL_EINPUT, BODY,
				    "$.%s: must be a whole number from %llu to %llu", name,
				    (unsigned long long)lo, (unsigned long long)hi);
	*out = (uint64_t)json_integer_value(v);
	return PL_OK;
}

int pl_request_bool(const pl_request *q, const char *name, int *out, pl_error *err)
{
	json_t *v = member(q, name);
	if (!v)
		return PL_OK;
	if (!json_is_boolean(v))
		return pl_error_set(err, PL_EINPUT, BODY, "$.%s: must be true or false", name);
	*out = json_is_true(v);
	return PL_OK;
}

int pl_request_number(const pl_request *q, const char *name, double *out, int *given, pl_error *err)
{
	json_t *v = member(q, name);
	*given = 0;
	if (!v)
		return PL_OK;
	if (!json_is_number(v))
		return pl_error_set(err, PL_EINPUT, BODY, "$.%s: must be a number", name);
	*out = json_number_value(v);
	*given = 1;
	return PL_OK;
}

char *pl_request_member_text(const pl_request *q, const char *name)
{
	json_t *v = json_object_get(q->o, name);
	return v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : NULL;
}

char *pl_request_canonical(const pl_request *q)
{
	return json_dumps(q->o, JSON_COMPACT | JSON_SORT_KEYS);
}

void pl_request_texts_free(char **list, size_t n)
{
	for (size_t k = 0; list && k < n; k++)
		free(list[k]);
	free(list);
}

/* A string or a number (or a boolean) as text; NULL for anything else. */
static char *scalar_text(json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_number(v) || json_is_boolean(v))
		return json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
	return NULL;
}

int pl_request_params(const pl_request *q, char ***out, size_t *n, pl_error *err)
{
	json_t *p = member(q, "params");
	*out = NULL;
	*n = 0;
	if (!p)
		return PL_OK;
	if (!json_is_object(p) && !json_is_array(p))
		return pl_error_set(err, PL_EINPUT, BODY,
				    "$.params: must be an object {\"NAME\": value} or an array "
				    "of \"NAME=VALUE\" strings");
	size_t cap = json_is_object(p) ? json_object_size(p) : json_array_size(p);
	char **list = calloc(cap ? cap : 1, sizeof *list);
	if (!list)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	size_t k = 0;
	int rc = PL_OK;
	if (json_is_object(p)) {
		const char *key;
		json_t *v;
		json_object_foreach(p, key, v)
		{
			char *val = json_is_boolean(v) || json_is_number(v) || json_is_string(v)
					    ? scalar_text(v)
					    : NULL;
			if (!val) {
				rc = pl_error_set(err, PL_EINPUT, BODY,
						  "$.params.%.100s: must be a string or a number",
						  key);
				break;
			}
			size_t len = strlen(key) + strlen(val) + 2;
			if ((list[k] = malloc(len)))
				snprintf(list[k++], len, "%s=%s", key, val);
			free(val);
		}
	} else {
		for (size_t i = 0; i < cap && !rc; i++) {
			json_t *v = json_array_get(p, i);
			if (!json_is_string(v))
				rc = pl_error_set(err, PL_EINPUT, BODY,
						  "$.params[%zu]: must be a string NAME=VALUE", i);
			else if ((list[k] = strdup(json_string_value(v))))
				k++;
		}
	}
	*out = list;
	*n = k;
	return rc;
}

int pl_request_list(const pl_request *q, const char *name, char **out, pl_error *err)
{
	json_t *v = member(q, name);
	*out = NULL;
	if (!v)
		return PL_OK;
	if (json_is_string(v)) {
		*out = strdup(json_string_value(v));
		return *out ? PL_OK : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	size_t len = 0, n = json_is_array(v) ? json_array_size(v) : 0;
	for (size_t k = 0; k < n; k++) {
		const char *t = json_string_value(json_array_get(v, k));
		if (!t)
			return pl_error_set(err, PL_EINPUT, BODY, "$.%s[%zu]: must be a string",
					    name, k);
		len += strlen(t) + 1;
	}
	if (n == 0)
		return pl_error_set(err, PL_EINPUT, BODY,
				    "$.%s: must be \"all\", \"A,B,...\" or a non-empty array of "
				    "names",
				    name);
	char *buf = malloc(len);
	if (!buf)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	size_t at = 0;
	for (size_t k = 0; k < n; k++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", k ? "," : "",
				       json_string_value(json_array_get(v, k)));
	*out = buf;
	return PL_OK;
}

int pl_request_texts(const pl_request *q, const char *name, size_t max, const char *what,
		     char ***out, size_t *n, pl_error *err)
{
	json_t *v = member(q, name);
	*out = NULL;
	*n = 0;
	if (!v)
		return PL_OK;
	size_t m = json_is_array(v) ? json_array_size(v) : 1;
	if (m > max)
		return pl_error_set(err, PL_EINPUT, BODY, "$.%s: at most %zu values", name, max);
	char **list = calloc(m ? m : 1, sizeof *list);
	if (!list)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = PL_OK;
	size_t k = 0;
	for (; k < m; k++) {
		json_t *t = json_is_array(v) ? json_array_get(v, k) : v;
		if (!(json_is_string(t) || json_is_number(t)) || !(list[k] = scalar_text(t))) {
			rc = json_is_array(v) ? pl_error_set(err, PL_EINPUT, BODY,
							     "$.%s[%zu]: must be %s", name, k, what)
					      : pl_error_set(err, PL_EINPUT, BODY,
							     "$.%s: must be %s", name, what);
			break;
		}
	}
	*out = list;
	*n = k;
	return rc;
}

/* ---- answers ---- */

static pl_answer *answer_new(json_t *v)
{
	pl_answer *a = v ? malloc(sizeof *a) : NULL;
	if (!a) {
		json_decref(v);
		return NULL;
	}
	a->v = v;
	a->bad = 0;
	return a;
}

pl_answer *pl_answer_object(void)
{
	return answer_new(json_object());
}

pl_answer *pl_answer_array(void)
{
	return answer_new(json_array());
}

/* Adds v (taken) under key, or to the array. */
static void put(pl_answer *a, const char *key, json_t *v)
{
	if (!a) {
		json_decref(v);
		return;
	}
	int rc = !v			       ? -1
		 : key && json_is_object(a->v) ? json_object_set_new(a->v, key, v)
		 : !key && json_is_array(a->v) ? json_array_append_new(a->v, v)
					       : (json_decref(v), -1);
	if (rc)
		a->bad = 1;
}

void pl_answer_string(pl_answer *a, const char *key, const char *v)
{
	put(a, key, v ? json_string(v) : json_null());
}

void pl_answer_int(pl_answer *a, const char *key, long long v)
{
	put(a, key, json_integer((json_int_t)v));
}

void pl_answer_real(pl_answer *a, const char *key, double v)
{
	put(a, key, json_real(v));
}

void pl_answer_bool(pl_answer *a, const char *key, int v)
{
	put(a, key, json_boolean(v));
}

void pl_answer_json(pl_answer *a, const char *key, const char *text)
{
	put(a, key, text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL);
}

void pl_answer_add(pl_answer *a, const char *key, pl_answer *v)
{
	if (v && v->bad && a)
		a->bad = 1;
	json_t *j = v ? json_incref(v->v) : NULL;
	pl_answer_free(v);
	put(a, key, j);
}

void pl_answer_free(pl_answer *a)
{
	if (!a)
		return;
	json_decref(a->v);
	free(a);
}

char *pl_answer_text(pl_answer *a, pl_answer_style style)
{
	if (!a)
		return NULL;
	char *text = a->bad ? NULL
		     : style == PL_ANSWER_COMPACT
			     ? json_dumps(a->v, JSON_COMPACT | JSON_PRESERVE_ORDER)
			     : json_dumps(a->v, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
							JSON_REAL_PRECISION(10));
	pl_answer_free(a);
	return text;
}
