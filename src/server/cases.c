/* cases.c - the case registry (the shipped cases and those uploaded,
 * addressed by id) and the endpoints health, engines and cases. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_internal.h"

int srv_case_parse(const char *data, size_t len, const char *name, pl_format fmt, pl_case **c,
		   pl_params **xml, uint64_t *xml_seed, pl_error *err)
{
	*xml = NULL;
	if (fmt == (pl_format)-1) { /* a KTAB XML scenario */
		*xml = pl_params_new();
		if (!*xml)
			return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		int rc = pl_ktab_xml_read_mem(data, len, name, c, *xml, xml_seed, err);
		if (rc) {
			pl_params_free(*xml);
			*xml = NULL;
		}
		return rc;
	}
	return pl_case_read_mem(data, len, name, fmt, c, err);
}

static srv_case *find_locked(pl_server *s, const char *id)
{
	for (size_t k = 0; k < s->n_cases; k++)
		if (strcmp(s->cases[k].id, id) == 0)
			return &s->cases[k];
	return NULL;
}

int srv_cases_add(pl_server *s, const char *id, const char *sha256, const char *format,
		  const char *name, int shipped, pl_case *c, const char *xml, size_t xml_len,
		  pl_error *err)
{
	int rc = PL_OK;
	pthread_rwlock_wrlock(&s->cases_lock);
	if (find_locked(s, id)) {
		pl_case_free(c); /* the same id: the same bytes (ids are hashes) */
	} else if (s->n_cases == s->cap_cases &&
		   srv_grow((void **)&s->cases, &s->cap_cases, sizeof *s->cases)) {
		pl_case_free(c);
		rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	} else {
		srv_case *e = &s->cases[s->n_cases];
		memset(e, 0, sizeof *e);
		snprintf(e->id, sizeof e->id, "%s", id);
		snprintf(e->sha256, sizeof e->sha256, "%s", sha256);
		snprintf(e->format, sizeof e->format, "%s", format);
		snprintf(e->name, sizeof e->name, "%s", name);
		e->shipped = shipped;
		e->c = c;
		if (xml && !(e->xml = malloc(xml_len + 1))) {
			pl_case_free(c);
			rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		} else {
			if (xml) {
				memcpy(e->xml, xml, xml_len);
				e->xml_len = xml_len;
			}
			s->n_cases++;
		}
	}
	pthread_rwlock_unlock(&s->cases_lock);
	return rc;
}

static int read_whole(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = cap < PL_MAX_INPUT_BYTES ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	*out = buf;
	*len = n;
	return buf ? 0 : -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The shipped cases: every *.json of cases_dir, by the id inside. */
int srv_cases_load_shipped(pl_server *s, pl_error *err)
{
	if (!s->cfg.cases_dir)
		return PL_OK;
	DIR *d = opendir(s->cfg.cases_dir);
	if (!d)
		return pl_error_set(err, PL_EIO, s->cfg.cases_dir, "cannot read the directory");
	char *names[256];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < 256) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
			if ((names[n] = strdup(de->d_name)))
				n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	int rc = PL_OK;
	for (size_t k = 0; k < n; k++) {
		char path[4400];
		snprintf(path, sizeof path, "%s/%s", s->cfg.cases_dir, names[k]);
		char *data;
		size_t len;
		pl_case *c = NULL;
		char sha[65];
		if (!rc && read_whole(path, &data, &len) == 0) {
			pl_sha256_hex(sha, data, len);
			rc = pl_case_read_mem(data, len, path, PL_FORMAT_JSON, &c, err);
			if (!rc)
				rc = srv_cases_add(s, pl_case_get_info(c)->id, sha, "json", path, 1,
						   c, NULL, 0, err);
			free(data);
		} else if (!rc) {
			rc = pl_error_set(err, PL_EIO, path, "cannot read the file");
		}
		free(names[k]);
	}
	return rc;
}

void srv_cases_free(pl_server *s)
{
	for (size_t k = 0; k < s->n_cases; k++) {
		pl_case_free(s->cases[k].c);
		free(s->cases[k].xml);
	}
	free(s->cases);
	s->cases = NULL;
	s->n_cases = 0;
}

void srv_case_release(srv_case *c)
{
	if (c->owned)
		pl_case_free(c->c);
	pl_params_free(c->xml_params);
	c->c = NULL;
	c->xml_params = NULL;
}

/* An inline case object: parsed as a JSON case, hashed as its compact
 * text (members in the order given). */
static int resolve_inline(const pl_request *req, srv_case *out, pl_http_response *r)
{
	char *text = pl_request_member_text(req, "case");
	if (!text) {
		srv_problem(r, 500, "out of memory");
		return -1;
	}
	pl_error err;
	pl_error_clear(&err);
	memset(out, 0, sizeof *out);
	int rc = pl_case_read_mem(text, strlen(text), "$.case", PL_FORMAT_JSON, &out->c, &err);
	if (rc) {
		srv_problem_err(r, &err);
	} else {
		pl_sha256_hex(out->sha256, text, strlen(text));
		snprintf(out->id, sizeof out->id, "%s", pl_case_get_info(out->c)->id);
		snprintf(out->format, sizeof out->format, "json");
		out->owned = 1;
	}
	free(text);
	return rc ? -1 : 0;
}

/* The registered case id. */
static int resolve_id(pl_server *s, const char *id, srv_case *out, pl_http_response *r)
{
	pthread_rwlock_rdlock(&s->cases_lock);
	srv_case *c = find_locked(s, id);
	if (c)
		*out = *c;
	pthread_rwlock_unlock(&s->cases_lock);
	if (!c) {
		srv_problemf(
			r, 404,
			"request body: $.case: no case '%.200s' (GET /api/v1/cases lists them)",
			id);
		return -1;
	}
	out->owned = 0;
	out->xml_params = NULL;
	if (out->xml) { /* a fresh copy: its parameters go under the request's */
		pl_error err;
		pl_error_clear(&err);
		if (srv_case_parse(out->xml, out->xml_len, out->name, (pl_format)-1, &out->c,
				   &out->xml_params, &out->xml_seed, &err)) {
			srv_problem_err(r, &err);
			return -1;
		}
		out->owned = 1;
		out->xml = NULL;
	}
	return 0;
}

int srv_case_resolve_id(pl_server *s, const char *id, srv_case *out, pl_http_response *r)
{
	return resolve_id(s, id, out, r);
}

int srv_case_resolve(pl_server *s, const pl_request *req, srv_case *out, pl_http_response *r)
{
	pl_member_kind k = pl_request_kind(req, "case");
	if (k == PL_MEMBER_OBJECT)
		return resolve_inline(req, out, r);
	const char *id = "korea-six-party";
	if (k != PL_MEMBER_ABSENT && k != PL_MEMBER_NULL) {
		pl_error err;
		pl_error_clear(&err);
		if (k != PL_MEMBER_STRING) {
			srv_problem(r, 400,
				    "request body: $.case: must be a case id (a string) or a case "
				    "object");
			return -1;
		}
		pl_request_string(req, "case", &id, &err);
	}
	return resolve_id(s, id, out, r);
}

/* ---- endpoints ---- */

void srv_api_health(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "GET")) {
		srv_method_not_allowed(r, "GET");
		return;
	}
	pl_answer *a = pl_answer_object();
	pl_answer_string(a, "status", "ok");
	pl_answer_string(a, "version", pl_version());
	srv_answer(r, 200, a);
}

static pl_answer *engine_answer(const pl_engine *e)
{
	pl_answer *params = pl_answer_array();
	for (size_t i = 0; i < pl_engine_n_params(e); i++) {
		const pl_param_info *pi = pl_engine_param(e, i);
		pl_answer *p = pl_answer_object();
		pl_answer_string(p, "name", pi->name);
		pl_answer_string(p, "default", pi->default_value);
		pl_answer_string(p, "help", pi->help);
		if (pi->choices) {
			pl_answer *ch = pl_answer_array();
			for (size_t c = 0; pi->choices[c]; c++)
				pl_answer_string(ch, NULL, pi->choices[c]);
			pl_answer_add(p, "choices", ch);
		}
		pl_answer_add(params, NULL, p);
	}
	pl_answer *o = pl_answer_object();
	pl_answer_string(o, "name", pl_engine_name(e));
	pl_answer_string(o, "summary", pl_engine_summary(e));
	pl_answer_bool(o, "dynamic", pl_engine_is_dynamic(e));
	pl_answer_bool(o, "multidim", pl_engine_is_multidim(e));
	pl_answer_add(o, "params", params);
	return o;
}

void srv_api_engines(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "GET")) {
		srv_method_not_allowed(r, "GET");
		return;
	}
	pl_answer *list = pl_answer_array();
	for (size_t k = 0; k < pl_engine_count(); k++)
		pl_answer_add(list, NULL, engine_answer(pl_engine_at(k)));
	pl_answer *a = pl_answer_object();
	pl_answer_add(a, "engines", list);
	srv_answer(r, 200, a);
}

static pl_answer *case_summary(const srv_case *c)
{
	const pl_case_info *in = c->c ? pl_case_get_info(c->c) : NULL;
	pl_answer *o = pl_answer_object();
	pl_answer_string(o, "id", c->id);
	pl_answer_string(o, "sha256", c->sha256);
	pl_answer_string(o, "format", c->format);
	pl_answer_string(o, "title", in ? in->title : NULL);
	pl_answer_int(o, "actors", c->c ? (long long)pl_case_n_actors(c->c) : 0);
	pl_answer_int(o, "issues", c->c ? (long long)pl_case_n_issues(c->c) : 0);
	pl_answer_string(o, "source", c->shipped ? "shipped" : "uploaded");
	return o;
}

static void list_cases(pl_server *s, pl_http_response *r)
{
	pl_answer *list = pl_answer_array();
	pthread_rwlock_rdlock(&s->cases_lock);
	for (size_t k = 0; k < s->n_cases; k++)
		pl_answer_add(list, NULL, case_summary(&s->cases[k]));
	pthread_rwlock_unlock(&s->cases_lock);
	pl_answer *a = pl_answer_object();
	pl_answer_add(a, "cases", list);
	srv_answer(r, 200, a);
}

/* The format of an upload: ?format=..., else from the media type; ?name=
 * gives the file name the command would see (a one-issue CSV's issue id). */
static int upload_format(const pl_http_request *q, char *name, size_t size, pl_format *fmt,
			 const char **fname, pl_http_response *r)
{
	const char *ct = q->content_type ? q->content_type : "";
	char fbuf[16];
	const char *qf = srv_query_arg(q->query, "format", fbuf, sizeof fbuf);
	int json = qf ? strcmp(qf, "json") == 0 : strncmp(ct, "application/json", 16) == 0;
	int csv = qf ? strcmp(qf, "csv") == 0 : strncmp(ct, "text/csv", 8) == 0;
	int xml = qf ? strcmp(qf, "xml") == 0
		     : strncmp(ct, "application/xml", 15) == 0 || strncmp(ct, "text/xml", 8) == 0;
	if (!srv_query_arg(q->query, "name", name, size) || !name[0] || strchr(name, '/'))
		snprintf(name, size, "%s",
			 json  ? "request body"
			 : xml ? "upload.xml"
			       : "upload.csv");
	if (json) {
		*fmt = PL_FORMAT_JSON, *fname = "json";
	} else if (csv) {
		*fmt = pl_format_guess("upload.csv", q->body, q->body_len);
		*fname = *fmt == PL_FORMAT_KTAB ? "ktab" : "csv";
	} else if (qf && strcmp(qf, "ktab") == 0) {
		*fmt = PL_FORMAT_KTAB, *fname = "ktab";
	} else if (xml) {
		*fmt = (pl_format)-1, *fname = "xml";
	} else {
		srv_problemf(r, 415,
			     "Content-Type '%.100s': a case is application/json, text/csv (BDM or "
			     "KTAB CSV) or application/xml (a KTAB scenario); or say ?format=json, "
			     "csv, ktab or xml",
			     ct);
		return -1;
	}
	return 0;
}

static void upload_case(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	char name[PL_LEDGER_NAME_MAX + 1];
	const char *fname;
	pl_format fmt;
	if (upload_format(q, name, sizeof name, &fmt, &fname, r))
		return;
	if (!q->body || q->body_len == 0) {
		srv_problem(r, 400, "request body: empty: a case is required");
		return;
	}
	pl_error err;
	pl_error_clear(&err);
	pl_case *c;
	pl_params *xp;
	uint64_t seed;
	if (srv_case_parse(q->body, q->body_len, name, fmt, &c, &xp, &seed, &err)) {
		srv_problem_err(r, &err);
		return;
	}
	pl_params_free(xp);
	srv_case e = {.shipped = 0};
	pl_sha256_hex(e.sha256, q->body, q->body_len);
	/* the id: the bytes' hash, or with a ?name= the hash of name and bytes
	 * (a one-issue CSV's issue id is its file name) */
	char idhash[65];
	if (srv_query_arg(q->query, "name", idhash, sizeof idhash))
		pl_sha256_hex2(idhash, name, strlen(name) + 1, q->body, q->body_len);
	else
		memcpy(idhash, e.sha256, sizeof idhash);
	snprintf(e.id, sizeof e.id, "%.16s", idhash);
	snprintf(e.format, sizeof e.format, "%s", fname);
	if (pl_store_put_case(s->store, e.id, e.sha256, fname, name, q->body, q->body_len, &err) ||
	    srv_cases_add(s, e.id, e.sha256, fname, name, 0, c,
			  fmt == (pl_format)-1 ? q->body : NULL, q->body_len, &err)) {
		srv_problem_err(r, &err);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/cases/%s", e.id);
	pl_answer *a = pl_answer_object();
	pl_answer_string(a, "id", e.id);
	pl_answer_string(a, "sha256", e.sha256);
	srv_answer(r, 201, a);
}

void srv_api_cases(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "GET") == 0) {
		list_cases(s, r);
		return;
	}
	if (strcmp(q->method, "POST") == 0) {
		upload_case(s, q, r);
		return;
	}
	srv_method_not_allowed(r, "GET, POST");
}

/* One case, in parley's JSON case format (?format=csv or ktab: case_export.c). */
void srv_api_case(pl_server *s, const pl_http_request *q, pl_http_response *r, const char *id)
{
	if (strcmp(q->method, "GET")) {
		srv_method_not_allowed(r, "GET");
		return;
	}
	srv_case c;
	if (resolve_id(s, id, &c, r)) {
		if (r->status == 404)
			srv_problemf(r, 404, "no case '%.200s' (GET /api/v1/cases lists them)", id);
		return;
	}
	char format[16];
	if (srv_query_arg(q->query, "format", format, sizeof format) && strcmp(format, "json")) {
		srv_case_export(q, r, &c, format);
		srv_case_release(&c);
		return;
	}
	pl_error err;
	pl_error_clear(&err);
	char *text;
	if (pl_case_write_json(c.c, &text, &err))
		srv_problem_err(r, &err);
	else
		srv_bytes(r, 200, "application/json", text, strlen(text));
	srv_case_release(&c);
}
