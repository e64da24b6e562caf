/* roadmap_read.c - reading roadmap files (docs/formats.md, "Roadmap files";
 * docs/roadmap.schema.json).
 *
 * jansson parses; this file checks the document against the format's rules
 * and builds the pl_roadmap.  Every error names the file and the JSON path
 * ($.steps[3].after[0]) of the offending value and the rule broken, or the
 * line and column where the JSON itself is malformed.  "after" must not
 * form a cycle. */
#include "core/sha256.h"
#include "core/json_check.h"
#include "core/util.h"
#include "roadmap/roadmap_internal.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rctx {
	const char *name;
	pl_error *err;
	pl_roadmap *r;
} rctx;

typedef char rpath[200];

/* An error at a JSON path of the file. */
#define fail(x, path, ...) pl__fail_at((x)->err, (x)->name, path, PL__NO_LINE, __VA_ARGS__)

static int oom(rctx *x)
{
	return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
}

static int need(rctx *x, const json_t *v, const char *path, int ok, const char *want)
{
	if (!v)
		return fail(x, path, "is required");
	if (!ok)
		return fail(x, path, "must be %s, not %s", want, pl__json_type_name(v));
	return PL_OK;
}

/* A string member; *out is malloc'd (NULL when absent and optional). */
static int get_string(rctx *x, json_t *obj, const char *key, const char *path, int required,
		      char **out)
{
	rpath p;
	snprintf(p, sizeof p, "%s.%s", path, key);
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v && !required)
		return PL_OK;
	int rc = need(x, v, p, v && json_is_string(v), "a string");
	if (rc)
		return rc;
	if (strlen(json_string_value(v)) != json_string_length(v))
		return fail(x, p, "must not contain NUL characters");
	if (required && json_string_length(v) == 0)
		return fail(x, p, "must not be empty");
	*out = strdup(json_string_value(v));
	return *out ? PL_OK : oom(x);
}

static int get_id(rctx *x, json_t *obj, const char *path, char **out)
{
	int rc = get_string(x, obj, "id", path, 1, out);
	if (!rc && !pl__valid_id(*out)) {
		rpath p;
		snprintf(p, sizeof p, "%s.id", path);
		return fail(x, p,
			    "'%s' is not a valid id (1-64 characters: letters, digits, '_', '-', "
			    "'.')",
			    *out);
	}
	return rc;
}

static int get_number(rctx *x, json_t *v, const char *path, double lo, double hi, const char *range,
		      double *out)
{
	int rc = need(x, v, path, v && json_is_number(v), "a number");
	if (rc)
		return rc;
	double d = json_number_value(v);
	if (!isfinite(d) || d < lo || d > hi)
		return fail(x, path, "%.15g is outside %s", d, range);
	*out = d;
	return PL_OK;
}

static int find_party(const pl_roadmap *r, const char *id, size_t *out)
{
	for (size_t p = 0; p < r->np; p++)
		if (r->party[p].id && strcmp(r->party[p].id, id) == 0) {
			*out = p;
			return 1;
		}
	return 0;
}

static int find_step(const pl_roadmap *r, const char *id, size_t *out)
{
	for (size_t s = 0; s < r->ns; s++)
		if (r->step[s].id && strcmp(r->step[s].id, id) == 0) {
			*out = s;
			return 1;
		}
	return 0;
}

static int read_party(rctx *x, json_t *v, size_t k)
{
	static const char *const keys[] = {"id", "name", "exposure", "note", NULL};
	pl_rm_party *pa = &x->r->party[k];
	rpath path, p;
	snprintf(path, sizeof path, "$.parties[%zu]", k);
	int rc = need(x, v, path, json_is_object(v), "an object");
	if (!rc)
		rc = pl__json_check_keys(x->err, x->name, v, path, keys);
	if (!rc)
		rc = get_id(x, v, path, &pa->id);
	if (!rc)
		rc = get_string(x, v, "name", path, 0, &pa->name);
	if (rc)
		return rc;
	for (size_t q = 0; q < k; q++)
		if (strcmp(x->r->party[q].id, pa->id) == 0) {
			snprintf(p, sizeof p, "%s.id", path);
			return fail(x, p, "duplicate party id '%s' (also $.parties[%zu])", pa->id,
				    q);
		}
	if (!pa->name && !(pa->name = strdup(pa->id)))
		return oom(x);
	json_t *e = json_object_get(v, "exposure");
	if (e) {
		snprintf(p, sizeof p, "%s.exposure", path);
		rc = get_number(x, e, p, 0, 1e12, "[0, 1e12]", &pa->exposure);
	}
	json_t *note = json_object_get(v, "note");
	if (!rc && note) {
		snprintf(p, sizeof p, "%s.note", path);
		rc = need(x, note, p, json_is_string(note), "a string");
	}
	return rc;
}

static int read_value(rctx *x, json_t *v, const char *path, size_t s)
{
	int rc = need(x, v, path, json_is_object(v), "an object keyed by party id");
	const char *key;
	json_t *val;
	if (rc)
		return rc;
	json_object_foreach(v, key, val)
	{
		rpath p;
		size_t q;
		snprintf(p, sizeof p, "%s.%s", path, key);
		if (!find_party(x->r, key, &q))
			return fail(x, p, "no party '%s' in $.parties", key);
		rc = get_number(x, val, p, -1e12, 1e12, "[-1e12, 1e12]",
				&PL_RM_AT(x->r, value, s, q));
		if (rc)
			return rc;
	}
	return PL_OK;
}

static int read_moves(rctx *x, json_t *v, const char *path, pl_rm_step *st)
{
	static const char *const keys[] = {"issue", "to", NULL};
	int rc = need(x, v, path, json_is_array(v), "an array");
	if (rc)
		return rc;
	size_t n = json_array_size(v);
	if (n == 0)
		return fail(x, path, "must list at least one move");
	st->moves = calloc(n, sizeof *st->moves);
	if (!st->moves)
		return oom(x);
	for (size_t k = 0; k < n; k++) {
		rpath p, pt;
		json_t *m = json_array_get(v, k);
		snprintf(p, sizeof p, "%s[%zu]", path, k);
		snprintf(pt, sizeof pt, "%s.to", p);
		rc = need(x, m, p, json_is_object(m), "an object {\"issue\", \"to\"}");
		if (!rc)
			rc = pl__json_check_keys(x->err, x->name, m, p, keys);
		if (!rc)
			rc = get_string(x, m, "issue", p, 1, &st->moves[k].issue);
		st->n_moves = k + 1;
		if (!rc)
			rc = get_number(x, json_object_get(m, "to"), pt, -1e15, 1e15,
					"[-1e15, 1e15]", &st->moves[k].to);
		if (rc)
			return rc;
		for (size_t q = 0; q < k; q++)
			if (strcmp(st->moves[q].issue, st->moves[k].issue) == 0)
				return fail(x, p, "issue '%s' is moved twice by one step",
					    st->moves[k].issue);
	}
	x->r->needs_case = 1;
	return PL_OK;
}

static int read_after(rctx *x, json_t *v, const char *path, size_t s)
{
	pl_rm_step *st = &x->r->step[s];
	int rc = need(x, v, path, json_is_array(v), "an array of step ids");
	if (rc)
		return rc;
	size_t n = json_array_size(v);
	st->after = calloc(n ? n : 1, sizeof *st->after);
	if (!st->after)
		return oom(x);
	for (size_t k = 0; k < n; k++) {
		rpath p;
		size_t t;
		json_t *id = json_array_get(v, k);
		snprintf(p, sizeof p, "%s[%zu]", path, k);
		rc = need(x, id, p, json_is_string(id), "a string (a step id)");
		if (rc)
			return rc;
		if (!find_step(x->r, json_string_value(id), &t))
			return fail(x, p, "no step '%s' in $.steps", json_string_value(id));
		if (t == s)
			return fail(x, p, "a step cannot come after itself");
		for (size_t q = 0; q < k; q++)
			if (st->after[q] == t)
				return fail(x, p, "step '%s' is listed twice",
					    json_string_value(id));
		st->after[k] = t;
		st->n_after = k + 1;
	}
	return PL_OK;
}

/* First pass: ids (so "after" may name a later step); second: the rest. */
static int read_step_id(rctx *x, json_t *v, size_t s)
{
	rpath path, p;
	snprintf(path, sizeof path, "$.steps[%zu]", s);
	int rc = need(x, v, path, json_is_object(v), "an object");
	if (!rc)
		rc = get_id(x, v, path, &x->r->step[s].id);
	for (size_t q = 0; !rc && q < s; q++)
		if (strcmp(x->r->step[q].id, x->r->step[s].id) == 0) {
			snprintf(p, sizeof p, "%s.id", path);
			return fail(x, p, "duplicate step id '%s' (also $.steps[%zu])",
				    x->r->step[s].id, q);
		}
	return rc;
}

static int read_step(rctx *x, json_t *v, size_t s)
{
	static const char *const keys[] = {"id",       "by",	"label", "value",  "after",
					   "verified", "moves", "note",	 "source", NULL};
	pl_rm_step *st = &x->r->step[s];
	rpath path, p;
	snprintf(path, sizeof path, "$.steps[%zu]", s);
	int rc = pl__json_check_keys(x->err, x->name, v, path, keys);
	char *by = NULL;
	if (!rc)
		rc = get_string(x, v, "by", path, 1, &by);
	if (!rc && !find_party(x->r, by, &st->by)) {
		snprintf(p, sizeof p, "%s.by", path);
		rc = fail(x, p, "no party '%s' in $.parties", by);
	}
	free(by);
	if (!rc)
		rc = get_string(x, v, "label", path, 0, &st->label);
	if (rc)
		return rc;
	if (!st->label && !(st->label = strdup(st->id)))
		return oom(x);
	json_t *f;
	if ((f = json_object_get(v, "verified"))) {
		snprintf(p, sizeof p, "%s.verified", path);
		rc = need(x, f, p, json_is_boolean(f), "true or false");
		st->verified = json_is_true(f);
	}
	if (!rc && (f = json_object_get(v, "value"))) {
		snprintf(p, sizeof p, "%s.value", path);
		rc = read_value(x, f, p, s);
	}
	if (!rc && (f = json_object_get(v, "moves"))) {
		snprintf(p, sizeof p, "%s.moves", path);
		rc = read_moves(x, f, p, st);
	}
	if (!rc && (f = json_object_get(v, "after"))) {
		snprintf(p, sizeof p, "%s.after", path);
		rc = read_after(x, f, p, s);
	}
	static const char *const texts[] = {"note", "source", NULL};
	for (const char *const *t = texts; !rc && *t; t++)
		if ((f = json_object_get(v, *t))) {
			snprintf(p, sizeof p, "%s.%s", path, *t);
			rc = need(x, f, p, json_is_string(f), "a string");
		}
	if (!rc && !json_object_get(v, "value") && !json_object_get(v, "moves"))
		rc = fail(x, path,
			  "a step needs \"value\" (what it is worth to each party) or "
			  "\"moves\" (issue positions, valued with --case)");
	return rc;
}

/* Depth-first search for a cycle in "after"; names one. */
static int check_cycles(rctx *x)
{
	pl_roadmap *r = x->r;
	unsigned char *state = calloc(r->ns, 1); /* 0 new, 1 on the path, 2 done */
	size_t *path = calloc(r->ns, sizeof *path), *edge = calloc(r->ns, sizeof *edge);
	int rc = (!state || !path || !edge) ? oom(x) : PL_OK;
	for (size_t root = 0; !rc && root < r->ns; root++) {
		if (state[root])
			continue;
		size_t depth = 0;
		path[0] = root;
		edge[0] = 0;
		state[root] = 1;
		while (!rc) {
			size_t s = path[depth];
			if (edge[depth] == r->step[s].n_after) {
				state[s] = 2;
				if (depth-- == 0)
					break;
				continue;
			}
			size_t t = r->step[s].after[edge[depth]++];
			if (state[t] == 1) {
				rpath p;
				snprintf(p, sizeof p, "$.steps[%zu].after", s);
				rc = fail(
					x, p,
					"'after' makes a cycle: step '%s' comes after '%s', which "
					"comes (through 'after') after '%s'",
					r->step[s].id, r->step[t].id, r->step[s].id);
			} else if (state[t] == 0) {
				state[t] = 1;
				path[++depth] = t;
				edge[depth] = 0;
			}
		}
	}
	free(state);
	free(path);
	free(edge);
	return rc;
}

static int read_top(rctx *x, json_t *root)
{
	static const char *const keys[] = {"roadmap", "name",	     "parties",
					   "steps",   "max_stages",  "note",
					   "sources", "description", NULL};
	pl_roadmap *r = x->r;
	int rc = need(x, root, "$", json_is_object(root), "an object");
	if (!rc)
		rc = pl__json_check_keys(x->err, x->name, root, "$", keys);
	if (rc)
		return rc;
	json_t *ver = json_object_get(root, "roadmap");
	rc = need(x, ver, "$.roadmap", ver && json_is_integer(ver), "the integer 1");
	if (!rc && json_integer_value(ver) != 1)
		rc = fail(x, "$.roadmap", "unsupported version %lld (this parley reads 1)",
			  (long long)json_integer_value(ver));
	if (!rc)
		rc = get_string(x, root, "name", "$", 1, &r->name);
	json_t *parties = json_object_get(root, "parties"), *steps = json_object_get(root, "steps");
	if (!rc)
		rc = need(x, parties, "$.parties", json_is_array(parties), "an array");
	if (!rc)
		rc = need(x, steps, "$.steps", json_is_array(steps), "an array");
	if (rc)
		return rc;
	r->np = json_array_size(parties);
	r->ns = json_array_size(steps);
	if (r->np == 0 || r->np > PL_ROADMAP_MAX_PARTIES)
		return fail(x, "$.parties", "a roadmap needs 1 to %d parties, not %zu",
			    PL_ROADMAP_MAX_PARTIES, r->np);
	if (r->ns == 0 || r->ns > PL_ROADMAP_MAX_STEPS)
		return fail(x, "$.steps", "a roadmap needs 1 to %d steps, not %zu",
			    PL_ROADMAP_MAX_STEPS, r->ns);
	r->party = calloc(r->np, sizeof *r->party);
	r->step = calloc(r->ns, sizeof *r->step);
	r->value = calloc(r->ns * r->np, sizeof *r->value);
	r->credit = calloc(r->ns * r->np, sizeof *r->credit);
	if (!r->party || !r->step || !r->value || !r->credit)
		return oom(x);
	for (size_t k = 0; !rc && k < r->np; k++)
		rc = read_party(x, json_array_get(parties, k), k);
	for (size_t s = 0; !rc && s < r->ns; s++)
		rc = read_step_id(x, json_array_get(steps, s), s);
	for (size_t s = 0; !rc && s < r->ns; s++)
		rc = read_step(x, json_array_get(steps, s), s);
	if (!rc)
		rc = check_cycles(x);
	r->max_stages = r->ns;
	json_t *ms = json_object_get(root, "max_stages");
	if (!rc && ms) {
		rc = need(x, ms, "$.max_stages", json_is_integer(ms), "an integer");
		if (!rc && json_integer_value(ms) < 1)
			rc = fail(x, "$.max_stages", "must be at least 1");
		if (!rc && (size_t)json_integer_value(ms) < r->ns)
			r->max_stages = (size_t)json_integer_value(ms);
	}
	return rc;
}

void pl_roadmap_free(pl_roadmap *r)
{
	if (!r)
		return;
	for (size_t p = 0; r->party && p < r->np; p++) {
		free(r->party[p].id);
		free(r->party[p].name);
	}
	for (size_t s = 0; r->step && s < r->ns; s++) {
		pl_rm_step *st = &r->step[s];
		free(st->id);
		free(st->label);
		free(st->after);
		for (size_t m = 0; m < st->n_moves; m++)
			free(st->moves[m].issue);
		free(st->moves);
	}
	free(r->party);
	free(r->step);
	free(r->value);
	free(r->credit);
	free(r->name);
	free(r->file);
	free(r);
}

int pl_roadmap_read_mem(const char *data, size_t len, const char *name, pl_roadmap **out,
			pl_error *err)
{
	*out = NULL;
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char where[PL_ERROR_WHERE_MAX];
		snprintf(where, sizeof where, "%s:%d:%d", name, jerr.line, jerr.column);
		return pl_error_set(err, PL_EINPUT, where, "invalid JSON: %s", jerr.text);
	}
	pl_roadmap *r = calloc(1, sizeof *r);
	rctx x = {.name = name, .err = err, .r = r};
	int rc = r && (r->file = strdup(name)) ? read_top(&x, root) : oom(&x);
	json_decref(root);
	if (rc) {
		pl_roadmap_free(r);
		return rc;
	}
	unsigned char h[PL__SHA256_SIZE];
	pl__sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(r->hash, sizeof r->hash, h, sizeof h);
	*out = r;
	return PL_OK;
}

int pl_roadmap_read_file(const char *path, pl_roadmap **out, pl_error *err)
{
	static const pl__file_kind kind = {
		.open_fail = "cannot open the roadmap file",
		.not_dir = "is a directory, not a roadmap file",
		.limit = (size_t)32 << 20,
		.noun = "a roadmap",
		.limit_note = " (32 MiB)",
	};
	*out = NULL;
	char *buf;
	size_t len;
	int rc = pl__read_file(path, &kind, &buf, &len, err);
	if (rc)
		return rc;
	rc = pl_roadmap_read_mem(buf, len, path, out, err);
	free(buf);
	return rc;
}
