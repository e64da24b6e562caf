/* json_read.c - the native JSON case format (docs/formats.md).
 *
 * Parsing is jansson's; this file checks the document against the format's
 * rules and builds the case.  Every error names the file and the JSON path
 * ($.actors[2].stances.nuclear.position) of the offending value, or the
 * line and column where the JSON itself is malformed. */
#include "io/io_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jctx {
	const char *name;
	pl_case *c;
	pl_error *err;
	pl__idset actors; /* the actors' ids read so far */
} jctx;

typedef char jpath[256];

/* An error at a JSON path of the file. */
#define fail(x, path, ...) pl__fail_at((x)->err, (x)->name, path, PL__NO_LINE, __VA_ARGS__)

static const char *type_name(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* Rejects keys the format does not define (a typo would otherwise be
 * silently ignored).  Keys starting with "x-" are extensions and ignored. */
static int check_keys(jctx *x, json_t *obj, const char *path, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		if (strncmp(key, "x-", 2) == 0)
			continue;
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= strcmp(key, *a) == 0;
		if (!ok) {
			char list[300] = "";
			size_t used = 0;
			for (const char *const *a = allowed; *a && used < sizeof list - 40; a++)
				used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
							 a == allowed ? "" : ", ", *a);
			const char *near = pl__closest(key, allowed);
			if (near)
				return fail(x, path, "unknown key '%s' (did you mean '%s'? allowed: %s)",
					    key, near, list);
			return fail(x, path, "unknown key '%s' (allowed: %s)", key, list);
		}
	}
	return PL_OK;
}

static int need_type(jctx *x, json_t *v, const char *path, json_type t, const char *want)
{
	if (!v)
		return fail(x, path, "is required");
	int ok = json_typeof(v) == t || (t == JSON_REAL && json_is_number(v));
	if (!ok)
		return fail(x, path, "must be %s, not %s", want, type_name(v));
	return PL_OK;
}

static int get_string(jctx *x, json_t *obj, const char *key, const char *path, int required,
		      const char **out)
{
	jpath p;
	snprintf(p, sizeof p, "%s.%s", path, key);
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v && !required)
		return PL_OK;
	int rc = need_type(x, v, p, JSON_STRING, "a string");
	if (rc)
		return rc;
	if (required && json_string_length(v) == 0)
		return fail(x, p, "must not be empty");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return fail(x, p, "must not contain NUL characters");
	*out = pl__case_strdup(x->c, json_string_value(v));
	return *out ? PL_OK : pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
}

static int get_id(jctx *x, json_t *obj, const char *path, const char **out)
{
	int rc = get_string(x, obj, "id", path, 1, out);
	if (rc)
		return rc;
	if (!pl__valid_id(*out)) {
		jpath p;
		snprintf(p, sizeof p, "%s.id", path);
		return fail(x, p,
			    "'%s' is not a valid id (1-64 characters: letters, digits, '_', '-', "
			    "'.')",
			    *out);
	}
	return PL_OK;
}

/* A finite number in [lo, hi]. */
static int number_in(jctx *x, json_t *v, const char *path, double lo, double hi,
		     const char *range_text, double *out)
{
	int rc = need_type(x, v, path, JSON_REAL, "a number");
	if (rc)
		return rc;
	double d = json_number_value(v);
	if (!isfinite(d))
		return fail(x, path, "must be a finite number");
	if (d < lo || d > hi) {
		char s[40];
		pl__fmt_number(s, sizeof s, d);
		return fail(x, path, "%s is outside %s", s, range_text);
	}
	*out = d;
	return PL_OK;
}

static int get_dist(jctx *x, json_t *v, const char *path, pl_dist *out)
{
	static const char *const keys[] = {"dist", "sd", "half_width", NULL};
	int rc = need_type(x, v, path, JSON_OBJECT, "an object");
	if (!rc)
		rc = check_keys(x, v, path, keys);
	const char *kind = NULL;
	if (!rc)
		rc = get_string(x, v, "dist", path, 1, &kind);
	if (rc)
		return rc;
	jpath p;
	const char *param = NULL;
	if (strcmp(kind, "none") == 0) {
		*out = (pl_dist){PL_DIST_NONE, 0};
		return PL_OK;
	} else if (strcmp(kind, "normal") == 0 || strcmp(kind, "beta") == 0) {
		out->kind = kind[0] == 'n' ? PL_DIST_NORMAL : PL_DIST_BETA;
		param = "sd";
	} else if (strcmp(kind, "uniform") == 0) {
		out->kind = PL_DIST_UNIFORM;
		param = "half_width";
	} else {
		snprintf(p, sizeof p, "%s.dist", path);
		return fail(x, p, "unknown distribution '%s' (known: none, normal, uniform, beta)",
			    kind);
	}
	snprintf(p, sizeof p, "%s.%s", path, param);
	json_t *pv = json_object_get(v, param);
	if (!pv)
		return fail(x, p, "is required for a %s distribution", kind);
	rc = number_in(x, pv, p, 0, 1e300, "(0, inf)", &out->a);
	if (!rc && out->a <= 0)
		return fail(x, p, "must be greater than 0");
	return rc;
}

static int cmp_anchor(const void *a, const void *b)
{
	double x = ((const pl_anchor *)a)->value, y = ((const pl_anchor *)b)->value;
	return (x > y) - (x < y);
}

/* YYYY-MM-DD, YYYY-MM or YYYY, a real calendar date. */
static int valid_date(const char *s)
{
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t k = 0; k < n; k++)
		if ((k == 4 || k == 7) ? s[k] != '-' : (s[k] < '0' || s[k] > '9'))
			return 0;
	if (n == 4)
		return 1;
	int y = atoi(s), m = atoi(s + 5);
	if (m < 1 || m > 12)
		return 0;
	if (n == 7)
		return 1;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int d = atoi(s + 8);
	return d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

/* issues[].outcome: {value, range?, date?, source?}, checked against the
 * issue's scale (range_text names it). */
static int read_outcome(jctx *x, json_t *v, const char *path, const pl_issue *is,
			const char *range_text, pl_outcome_record *o)
{
	static const char *const keys[] = {"value", "range", "date", "source", NULL};
	int rc = need_type(x, v, path, JSON_OBJECT, "an object");
	if (!rc)
		rc = check_keys(x, v, path, keys);
	jpath p;
	snprintf(p, sizeof p, "%s.value", path);
	if (!rc)
		rc = number_in(x, json_object_get(v, "value"), p, is->min, is->max, range_text,
			       &o->value);
	if (!rc)
		rc = get_string(x, v, "date", path, 0, &o->date);
	if (!rc)
		rc = get_string(x, v, "source", path, 0, &o->source);
	if (rc)
		return rc;
	if (o->date && !valid_date(o->date)) {
		snprintf(p, sizeof p, "%s.date", path);
		return fail(x, p, "'%s' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", o->date);
	}
	json_t *r = json_object_get(v, "range");
	if (!r)
		return PL_OK;
	snprintf(p, sizeof p, "%s.range", path);
	rc = need_type(x, r, p, JSON_ARRAY, "an array");
	if (!rc && json_array_size(r) != 2)
		return fail(x, p, "must be [lo, hi], two numbers");
	jpath plo, phi;
	snprintf(plo, sizeof plo, "%s[0]", p);
	snprintf(phi, sizeof phi, "%s[1]", p);
	if (!rc)
		rc = number_in(x, json_array_get(r, 0), plo, is->min, is->max, range_text, &o->lo);
	if (!rc)
		rc = number_in(x, json_array_get(r, 1), phi, is->min, is->max, range_text, &o->hi);
	if (rc)
		return rc;
	if (!(o->lo <= o->value && o->value <= o->hi)) {
		char a[40], b[40], c[40];
		pl__fmt_number(a, sizeof a, o->lo);
		pl__fmt_number(b, sizeof b, o->hi);
		pl__fmt_number(c, sizeof c, o->value);
		return fail(x, p,
			    "[%s, %s] must contain the outcome's value %s (lo <= value <= hi)", a,
			    b, c);
	}
	o->has_range = 1;
	return PL_OK;
}

static int read_issue(jctx *x, json_t *v, size_t i, pl_issue *is)
{
	static const char *const keys[] = {"id",	 "name",       "note",	  "scale",
					   "anchors", "status_quo", "outcome", NULL};
	jpath path;
	snprintf(path, sizeof path, "$.issues[%zu]", i);
	int rc = need_type(x, v, path, JSON_OBJECT, "an object");
	if (!rc)
		rc = check_keys(x, v, path, keys);
	if (!rc)
		rc = get_id(x, v, path, &is->id);
	if (!rc)
		rc = get_string(x, v, "name", path, 0, &is->name);
	if (!rc)
		rc = get_string(x, v, "note", path, 0, &is->note);
	if (rc)
		return rc;
	if (!is->name)
		is->name = is->id;
	is->min = 0;
	is->max = 100;
	json_t *scale = json_object_get(v, "scale");
	if (scale) {
		static const char *const skeys[] = {"min", "max", NULL};
		jpath p;
		snprintf(p, sizeof p, "%s.scale", path);
		rc = need_type(x, scale, p, JSON_OBJECT, "an object");
		if (!rc)
			rc = check_keys(x, scale, p, skeys);
		jpath pmin, pmax;
		snprintf(pmin, sizeof pmin, "%s.min", p);
		snprintf(pmax, sizeof pmax, "%s.max", p);
		if (!rc)
			rc = number_in(x, json_object_get(scale, "min"), pmin, -1e15, 1e15,
				       "[-1e15, 1e15]", &is->min);
		if (!rc)
			rc = number_in(x, json_object_get(scale, "max"), pmax, -1e15, 1e15,
				       "[-1e15, 1e15]", &is->max);
		if (rc)
			return rc;
		if (!(is->min < is->max))
			return fail(x, p, "min must be less than max");
	}
	char range[100], lo[40], hi[40];
	pl__fmt_number(lo, sizeof lo, is->min);
	pl__fmt_number(hi, sizeof hi, is->max);
	snprintf(range, sizeof range, "the issue's scale [%s, %s]", lo, hi);
	json_t *sq = json_object_get(v, "status_quo");
	if (sq) {
		jpath p;
		snprintf(p, sizeof p, "%s.status_quo", path);
		rc = number_in(x, sq, p, is->min, is->max, range, &is->status_quo);
		if (rc)
			return rc;
		is->has_status_quo = 1;
	}
	json_t *oc = json_object_get(v, "outcome");
	if (oc) {
		jpath p;
		snprintf(p, sizeof p, "%s.outcome", path);
		rc = read_outcome(x, oc, p, is, range, &is->outcome);
		if (rc)
			return rc;
		is->has_outcome = 1;
	}
	json_t *anchors = json_object_get(v, "anchors");
	if (anchors) {
		jpath p;
		snprintf(p, sizeof p, "%s.anchors", path);
		rc = need_type(x, anchors, p, JSON_ARRAY, "an array");
		if (rc)
			return rc;
		size_t n = json_array_size(anchors);
		pl_anchor *arr = pl__case_alloc(x->c, sizeof(pl_anchor) * (n ? n : 1));
		if (!arr)
			return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
		for (size_t k = 0; k < n; k++) {
			static const char *const akeys[] = {"value", "label", NULL};
			json_t *a = json_array_get(anchors, k);
			jpath pa, pv;
			snprintf(pa, sizeof pa, "%s[%zu]", p, k);
			snprintf(pv, sizeof pv, "%s.value", pa);
			rc = need_type(x, a, pa, JSON_OBJECT, "an object");
			if (!rc)
				rc = check_keys(x, a, pa, akeys);
			if (!rc)
				rc = number_in(x, json_object_get(a, "value"), pv, is->min, is->max,
					       range, &arr[k].value);
			if (!rc)
				rc = get_string(x, a, "label", pa, 1, &arr[k].label);
			if (rc)
				return rc;
		}
		qsort(arr, n, sizeof *arr, cmp_anchor);
		is->anchors = arr;
		is->n_anchors = n;
	}
	return PL_OK;
}

static int find_issue(const pl_case *c, const char *id, size_t *out)
{
	for (size_t i = 0; i < c->n_issues; i++)
		if (strcmp(c->issues[i].id, id) == 0) {
			*out = i;
			return 1;
		}
	return 0;
}

static int read_stance(jctx *x, json_t *v, const char *path, const pl_issue *is,
		       pl_stance *s)
{
	static const char *const keys[] = {"position", "salience", "note", "position_uncertainty",
					   "salience_uncertainty", "red_line", NULL};
	int rc = need_type(x, v, path, JSON_OBJECT, "an object");
	if (!rc)
		rc = check_keys(x, v, path, keys);
	if (rc)
		return rc;
	char range[100], lo[40], hi[40];
	pl__fmt_number(lo, sizeof lo, is->min);
	pl__fmt_number(hi, sizeof hi, is->max);
	snprintf(range, sizeof range, "the issue's scale [%s, %s]", lo, hi);
	jpath p;
	snprintf(p, sizeof p, "%s.position", path);
	rc = number_in(x, json_object_get(v, "position"), p, is->min, is->max, range, &s->position);
	if (rc)
		return rc;
	snprintf(p, sizeof p, "%s.salience", path);
	rc = number_in(x, json_object_get(v, "salience"), p, 0, 100, "the salience range [0, 100]",
		       &s->salience);
	if (rc)
		return rc;
	s->salience /= 100.0;
	json_t *rl = json_object_get(v, "red_line");
	if (rl) {
		snprintf(p, sizeof p, "%s.red_line", path);
		rc = number_in(x, rl, p, is->min, is->max, range, &s->red_line);
		if (rc)
			return rc;
		s->has_red_line = 1;
	}
	rc = get_string(x, v, "note", path, 0, &s->note);
	json_t *u = json_object_get(v, "position_uncertainty");
	if (!rc && u) {
		snprintf(p, sizeof p, "%s.position_uncertainty", path);
		rc = get_dist(x, u, p, &s->position_uncertainty);
	}
	u = json_object_get(v, "salience_uncertainty");
	if (!rc && u) {
		snprintf(p, sizeof p, "%s.salience_uncertainty", path);
		rc = get_dist(x, u, p, &s->salience_uncertainty);
		s->salience_uncertainty.a /= 100.0;
	}
	s->present = 1;
	return rc;
}

static int read_actor(jctx *x, json_t *v, size_t a)
{
	static const char *const keys[] = {"id",
					   "name",
					   "note",
					   "capability",
					   "capability_by_issue",
					   "capability_uncertainty",
					   "stances",
					   "reservation",
					   NULL};
	pl_case *c = x->c;
	pl_actor *ac = &c->actors[a];
	jpath path, p;
	snprintf(path, sizeof path, "$.actors[%zu]", a);
	int rc = need_type(x, v, path, JSON_OBJECT, "an object");
	if (!rc)
		rc = check_keys(x, v, path, keys);
	if (!rc)
		rc = get_id(x, v, path, &ac->id);
	if (!rc)
		rc = get_string(x, v, "name", path, 0, &ac->name);
	if (!rc)
		rc = get_string(x, v, "note", path, 0, &ac->note);
	if (rc)
		return rc;
	if (!ac->name)
		ac->name = ac->id;
	size_t b;
	if (pl__idset_add(&x->actors, ac->id, a, &b))
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	if (b != SIZE_MAX) {
		snprintf(p, sizeof p, "%s.id", path);
		return fail(x, p, "duplicate actor id '%s' (also $.actors[%zu])", ac->id, b);
	}
	snprintf(p, sizeof p, "%s.capability", path);
	rc = number_in(x, json_object_get(v, "capability"), p, 0, 1e300, "[0, 1e300]",
		       &ac->capability);
	if (rc)
		return rc;
	json_t *res = json_object_get(v, "reservation");
	if (res) {
		snprintf(p, sizeof p, "%s.reservation", path);
		rc = number_in(x, res, p, -1e15, 0,
			       "[-1e15, 0] (a package can be worth at most 0: every issue at the "
			       "actor's own position)",
			       &ac->reservation);
		if (rc)
			return rc;
		ac->has_reservation = 1;
	}
	json_t *u = json_object_get(v, "capability_uncertainty");
	if (u) {
		snprintf(p, sizeof p, "%s.capability_uncertainty", path);
		rc = get_dist(x, u, p, &ac->capability_uncertainty);
		if (rc)
			return rc;
	}
	json_t *by = json_object_get(v, "capability_by_issue");
	const char *key;
	json_t *val;
	if (by) {
		snprintf(p, sizeof p, "%s.capability_by_issue", path);
		rc = need_type(x, by, p, JSON_OBJECT, "an object");
		if (rc)
			return rc;
		json_object_foreach(by, key, val)
		{
			jpath pk;
			size_t i;
			snprintf(pk, sizeof pk, "%s.%s", p, key);
			if (!find_issue(c, key, &i))
				return fail(x, pk, "no issue '%s' in $.issues", key);
			rc = number_in(x, val, pk, 0, 1e300, "[0, 1e300]",
				       &PL_STANCE(c, a, i)->capability);
			if (rc)
				return rc;
		}
	}
	json_t *st = json_object_get(v, "stances");
	snprintf(p, sizeof p, "%s.stances", path);
	rc = need_type(x, st, p, JSON_OBJECT, "an object");
	if (rc)
		return rc;
	json_object_foreach(st, key, val)
	{
		jpath pk;
		size_t i;
		snprintf(pk, sizeof pk, "%s.%s", p, key);
		if (!find_issue(c, key, &i))
			return fail(x, pk, "no issue '%s' in $.issues", key);
		rc = read_stance(x, val, pk, &c->issues[i], PL_STANCE(c, a, i));
		if (rc)
			return rc;
	}
	return PL_OK;
}

static int read_forum(jctx *x, json_t *v, size_t f)
{
	static const char *const keys[] = {"id", "name", "note", "members", "outsider_weight",
					   NULL};
	pl_case *c = x->c;
	pl_forum *fo = &c->forums[f];
	jpath path, p;
	snprintf(path, sizeof path, "$.forums[%zu]", f);
	int rc = need_type(x, v, path, JSON_OBJECT, "an object");
	if (!rc)
		rc = check_keys(x, v, path, keys);
	if (!rc)
		rc = get_id(x, v, path, &fo->id);
	if (!rc)
		rc = get_string(x, v, "name", path, 0, &fo->name);
	if (!rc)
		rc = get_string(x, v, "note", path, 0, &fo->note);
	if (rc)
		return rc;
	if (!fo->name)
		fo->name = fo->id;
	if (strcmp(fo->id, "everyone") == 0) {
		snprintf(p, sizeof p, "%s.id", path);
		return fail(x, p,
			    "forum id 'everyone' is reserved: it names all actors at full "
			    "weight (no forum) in --forum, --forums and --baseline");
	}
	for (size_t g = 0; g < f; g++)
		if (strcmp(c->forums[g].id, fo->id) == 0) {
			snprintf(p, sizeof p, "%s.id", path);
			return fail(x, p, "duplicate forum id '%s' (also $.forums[%zu])", fo->id,
				    g);
		}
	json_t *ow = json_object_get(v, "outsider_weight");
	if (ow) {
		snprintf(p, sizeof p, "%s.outsider_weight", path);
		rc = number_in(x, ow, p, 0, 1, "[0, 1]", &fo->outsider_weight);
		if (rc)
			return rc;
	}
	json_t *m = json_object_get(v, "members");
	snprintf(p, sizeof p, "%s.members", path);
	rc = need_type(x, m, p, JSON_ARRAY, "an array");
	if (rc)
		return rc;
	size_t n = json_array_size(m);
	if (n == 0)
		return fail(x, p, "a forum needs at least one member");
	size_t *mem = pl__case_alloc(x->c, n * sizeof *mem);
	if (!mem)
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	for (size_t k = 0; k < n; k++) {
		jpath pk;
		snprintf(pk, sizeof pk, "%s[%zu]", p, k);
		json_t *id = json_array_get(m, k);
		rc = need_type(x, id, pk, JSON_STRING, "a string (an actor id)");
		if (rc)
			return rc;
		size_t a = pl__idset_find(&x->actors, json_string_value(id));
		if (a == SIZE_MAX)
			return fail(x, pk, "no actor '%s' in $.actors", json_string_value(id));
		/* insertion sort keeps members ascending and finds repeats */
		size_t q = k;
		while (q > 0 && mem[q - 1] > a) {
			mem[q] = mem[q - 1];
			q--;
		}
		if (q > 0 && mem[q - 1] == a)
			return fail(x, pk, "actor '%s' is listed twice", json_string_value(id));
		mem[q] = a;
	}
	fo->members = mem;
	fo->n_members = n;
	return PL_OK;
}

static int read_sources(jctx *x, json_t *v)
{
	if (!v)
		return PL_OK;
	int rc = need_type(x, v, "$.sources", JSON_ARRAY, "an array of strings");
	if (rc)
		return rc;
	size_t n = json_array_size(v);
	const char **src = pl__case_alloc(x->c, sizeof(char *) * (n ? n : 1));
	if (!src)
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	for (size_t k = 0; k < n; k++) {
		jpath p;
		snprintf(p, sizeof p, "$.sources[%zu]", k);
		json_t *s = json_array_get(v, k);
		rc = need_type(x, s, p, JSON_STRING, "a string");
		if (rc)
			return rc;
		src[k] = pl__case_strdup(x->c, json_string_value(s));
	}
	x->c->info.sources = src;
	x->c->info.n_sources = n;
	return PL_OK;
}

static int read_uncertainty(jctx *x, json_t *v)
{
	static const char *const keys[] = {"capability", "position", "salience", NULL};
	if (!v)
		return PL_OK;
	int rc = need_type(x, v, "$.uncertainty", JSON_OBJECT, "an object");
	if (!rc)
		rc = check_keys(x, v, "$.uncertainty", keys);
	pl_case_uncertainty *u = &x->c->uncertainty;
	json_t *d;
	if (!rc && (d = json_object_get(v, "capability")))
		rc = get_dist(x, d, "$.uncertainty.capability", &u->capability);
	if (!rc && (d = json_object_get(v, "position")))
		rc = get_dist(x, d, "$.uncertainty.position", &u->position);
	if (!rc && (d = json_object_get(v, "salience"))) {
		rc = get_dist(x, d, "$.uncertainty.salience", &u->salience);
		u->salience.a /= 100.0;
	}
	return rc;
}

static int read_doc(jctx *x, json_t *root)
{
	static const char *const keys[] = {"format",  "id",     "title",  "period",     "description",
					   "sources", "issues", "actors", "forums",     "uncertainty",
					   NULL};
	pl_case *c = x->c;
	int rc = need_type(x, root, "$", JSON_OBJECT, "an object");
	if (!rc)
		rc = check_keys(x, root, "$", keys);
	const char *format = NULL;
	if (!rc)
		rc = get_string(x, root, "format", "$", 0, &format);
	if (rc)
		return rc;
	if (format && strcmp(format, "parley-case/1") != 0)
		return fail(x, "$.format", "unsupported format '%s' (this parley reads parley-case/1)",
			    format);
	json_t *issues = json_object_get(root, "issues");
	json_t *actors = json_object_get(root, "actors");
	json_t *forums = json_object_get(root, "forums");
	rc = need_type(x, issues, "$.issues", JSON_ARRAY, "an array");
	if (!rc)
		rc = need_type(x, actors, "$.actors", JSON_ARRAY, "an array");
	if (!rc && forums)
		rc = need_type(x, forums, "$.forums", JSON_ARRAY, "an array");
	if (rc)
		return rc;
	if (json_array_size(issues) == 0)
		return fail(x, "$.issues", "a case needs at least one issue");
	if (json_array_size(actors) == 0)
		return fail(x, "$.actors", "a case needs at least one actor");
	rc = pl__case_alloc_tables(c, json_array_size(actors), json_array_size(issues),
				   forums ? json_array_size(forums) : 0);
	if (rc)
		return pl_error_set(x->err, rc, x->name, "out of memory");

	const char *id = NULL;
	rc = get_string(x, root, "id", "$", 0, &id);
	if (!rc && id && !pl__valid_id(id))
		return fail(x, "$.id", "'%s' is not a valid id (1-64 characters: letters, digits, "
				       "'_', '-', '.')", id);
	c->info.id = id;
	if (!rc)
		rc = get_string(x, root, "title", "$", 0, &c->info.title);
	if (!rc)
		rc = get_string(x, root, "period", "$", 0, &c->info.period);
	if (!rc)
		rc = get_string(x, root, "description", "$", 0, &c->info.description);
	if (!rc)
		rc = read_sources(x, json_object_get(root, "sources"));
	for (size_t i = 0; !rc && i < c->n_issues; i++) {
		rc = read_issue(x, json_array_get(issues, i), i, &c->issues[i]);
		for (size_t j = 0; !rc && j < i; j++)
			if (strcmp(c->issues[j].id, c->issues[i].id) == 0) {
				jpath p;
				snprintf(p, sizeof p, "$.issues[%zu].id", i);
				rc = fail(x, p, "duplicate issue id '%s' (also $.issues[%zu])",
					  c->issues[i].id, j);
			}
	}
	for (size_t a = 0; !rc && a < c->n_actors; a++)
		rc = read_actor(x, json_array_get(actors, a), a);
	for (size_t f = 0; !rc && f < c->n_forums; f++)
		rc = read_forum(x, json_array_get(forums, f), f);
	if (!rc)
		rc = read_uncertainty(x, json_object_get(root, "uncertainty"));
	for (size_t i = 0; !rc && i < c->n_issues; i++) {
		size_t n = 0;
		for (size_t a = 0; a < c->n_actors; a++)
			n += PL_STANCE(c, a, i)->present;
		if (n == 0) {
			jpath p;
			snprintf(p, sizeof p, "$.issues[%zu]", i);
			rc = fail(x, p, "no actor has a stance on issue '%s'", c->issues[i].id);
		}
	}
	if (!rc && !c->info.id) {
		/* a case without an id takes its file's base name */
		char slug[80];
		const char *base = strrchr(x->name, '/');
		pl__slug(base ? base + 1 : x->name, slug, sizeof slug);
		size_t n = strlen(slug);
		if (n > 5 && strcmp(slug + n - 5, "-json") == 0)
			slug[n - 5] = '\0';
		c->info.id = pl__case_strdup(c, slug);
	}
	return rc;
}

int pl__read_json(const char *data, size_t len, const char *name, pl_case **out, pl_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char where[PL_ERROR_WHERE_MAX];
		snprintf(where, sizeof where, "%s:%d:%d", name, jerr.line, jerr.column);
		return pl_error_set(err, PL_EINPUT, where, "invalid JSON: %s", jerr.text);
	}
	pl_case *c = pl__case_new();
	if (!c) {
		json_decref(root);
		return pl_error_set(err, PL_ENOMEM, name, "out of memory");
	}
	jctx x = {.name = name, .c = c, .err = err};
	int rc = read_doc(&x, root);
	pl__idset_free(&x.actors);
	json_decref(root);
	if (!rc)
		rc = pl__case_finish(c, name, err);
	if (rc) {
		pl_case_free(c);
		return rc;
	}
	*out = c;
	return PL_OK;
}
