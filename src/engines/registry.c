/* registry.c - the list of engines, parameter checking, and pl_forecast:
 * the one place that turns a case and options into calls of an engine. */
#include "engines/engine_impl.h"
#include "parley/version.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct pl_engine pl_engine_compromise;
extern const struct pl_engine pl_engine_median;
extern const struct pl_engine pl_engine_eu;
extern const struct pl_engine pl_engine_nash;
extern const struct pl_engine pl_engine_smp;
extern const struct pl_engine pl_engine_exchange;
extern const struct pl_engine pl_engine_ensemble;

/* Adding an engine: one file, one line here, one docs/models page. */
static const struct pl_engine *const engines[] = {
	&pl_engine_compromise,
	&pl_engine_median,
	&pl_engine_eu,
	&pl_engine_nash,
	&pl_engine_smp,
	&pl_engine_exchange,
	&pl_engine_ensemble,
};

#define N_ENGINES (sizeof engines / sizeof engines[0])

size_t pl_engine_count(void)
{
	return N_ENGINES;
}

const pl_engine *pl_engine_at(size_t i)
{
	return i < N_ENGINES ? engines[i] : NULL;
}

const pl_engine *pl_engine_find(const char *name, pl_error *err)
{
	for (size_t i = 0; i < N_ENGINES; i++)
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	char known[256] = "";
	size_t used = 0;
	for (size_t i = 0; i < N_ENGINES; i++)
		used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
					 engines[i]->name);
	pl_error_set(err, PL_ENOTFOUND, NULL, "unknown engine '%s' (known: %s)", name, known);
	return NULL;
}

const char *pl_engine_name(const pl_engine *e)
{
	return e->name;
}

const char *pl_engine_summary(const pl_engine *e)
{
	return e->summary;
}

int pl_engine_is_dynamic(const pl_engine *e)
{
	return e->dynamic;
}

int pl_engine_default_rounds(const pl_engine *e)
{
	return e->dynamic ? e->default_rounds : 0;
}

int pl_engine_is_multidim(const pl_engine *e)
{
	return e->multidim;
}

size_t pl_engine_n_params(const pl_engine *e)
{
	return e->n_params;
}

const pl_param_info *pl_engine_param(const pl_engine *e, size_t i)
{
	return i < e->n_params ? &e->params[i].info : NULL;
}

/* ---- parameters ------------------------------------------------------ */

typedef struct kv {
	char *name, *value;
} kv;

struct pl_params {
	kv *items;
	size_t n, cap;
};

pl_params *pl_params_new(void)
{
	return calloc(1, sizeof(pl_params));
}

void pl_params_free(pl_params *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->n; k++) {
		free(p->items[k].name);
		free(p->items[k].value);
	}
	free(p->items);
	free(p);
}

int pl_params_set(pl_params *p, const char *name, const char *value, pl_error *err)
{
	if (!name[0])
		return pl_error_set(err, PL_EINPUT, NULL, "a parameter needs a name");
	char *v = strdup(value);
	if (!v)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < p->n; k++)
		if (strcmp(p->items[k].name, name) == 0) {
			free(p->items[k].value);
			p->items[k].value = v;
			return PL_OK;
		}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		kv *ni = realloc(p->items, cap * sizeof *ni);
		if (!ni) {
			free(v);
			return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		}
		p->items = ni;
		p->cap = cap;
	}
	char *nm = strdup(name);
	if (!nm) {
		free(v);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	p->items[p->n++] = (kv){nm, v};
	return PL_OK;
}

int pl_params_parse(pl_params *p, const char *assignment, pl_error *err)
{
	const char *eq = strchr(assignment, '=');
	if (!eq || eq == assignment)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "parameter '%s' must be written NAME=VALUE", assignment);
	char name[128];
	size_t n = (size_t)(eq - assignment);
	if (n >= sizeof name)
		return pl_error_set(err, PL_EINPUT, NULL, "parameter name too long");
	memcpy(name, assignment, n);
	name[n] = '\0';
	return pl_params_set(p, name, eq + 1, err);
}

int pl__params_with(const pl_params *p, const char *name, const char *value, pl_params **out,
		    pl_error *err)
{
	*out = pl_params_new();
	if (!*out)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = PL_OK;
	for (size_t k = 0; p && k < p->n && !rc; k++)
		rc = pl_params_set(*out, p->items[k].name, p->items[k].value, err);
	if (!rc)
		rc = pl_params_set(*out, name, value, err);
	if (rc) {
		pl_params_free(*out);
		*out = NULL;
	}
	return rc;
}

static const char *lookup(const pl_params *p, const char *name)
{
	for (size_t k = 0; p && k < p->n; k++)
		if (strcmp(p->items[k].name, name) == 0)
			return p->items[k].value;
	return NULL;
}

static int check_value(const pl_engine *e, const pl_param_spec *s, const char *text,
		       pl_param_value *v, pl_error *err)
{
	v->s = text;
	if (s->kind == PL_PARAM_TEXT) {
		if (!s->check)
			return PL_OK;
		char why[256] = "";
		if (s->check(text, why, sizeof why) == 0)
			return PL_OK;
		return pl_error_set(err, PL_EINPUT, NULL, "engine '%s': parameter %s='%s': %s",
				    e->name, s->info.name, text, why);
	}
	if (s->kind == PL_PARAM_CHOICE) {
		for (int k = 0; s->info.choices[k]; k++)
			if (strcmp(s->info.choices[k], text) == 0) {
				v->choice = k;
				return PL_OK;
			}
		char list[256] = "";
		size_t used = 0;
		for (int k = 0; s->info.choices[k] && used < sizeof list - 1; k++)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
						 k ? ", " : "", s->info.choices[k]);
		return pl_error_set(err, PL_EINPUT, NULL,
				    "engine '%s': parameter %s='%s' is not one of: %s", e->name,
				    s->info.name, text, list);
	}
	char *end;
	errno = 0;
	double d = strtod(text, &end);
	if (end == text || *end || !isfinite(d) || errno == ERANGE)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "engine '%s': parameter %s='%s' is not a number", e->name,
				    s->info.name, text);
	if (s->kind == PL_PARAM_INT && d != floor(d))
		return pl_error_set(err, PL_EINPUT, NULL,
				    "engine '%s': parameter %s='%s' must be a whole number",
				    e->name, s->info.name, text);
	if (d < s->lo || d > s->hi)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "engine '%s': parameter %s=%s is outside [%g, %g]", e->name,
				    s->info.name, text, s->lo, s->hi);
	v->d = d;
	return PL_OK;
}

int pl__engine_resolve_params(const pl_engine *e, const pl_params *p, pl_param_value **values,
			      char **canonical, pl_error *err)
{
	*values = NULL;
	*canonical = NULL;
	for (size_t k = 0; p && k < p->n; k++) {
		size_t s = 0;
		while (s < e->n_params && strcmp(e->params[s].info.name, p->items[k].name) != 0)
			s++;
		if (s == e->n_params) {
			char list[256] = "";
			size_t used = 0;
			for (size_t q = 0; q < e->n_params && used < sizeof list - 1; q++)
				used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
							 q ? ", " : "", e->params[q].info.name);
			return pl_error_set(err, PL_EINPUT, NULL,
					    "engine '%s' has no parameter '%s' (it has: %s)",
					    e->name, p->items[k].name,
					    e->n_params ? list : "none");
		}
	}
	pl_param_value *v = calloc(e->n_params ? e->n_params : 1, sizeof *v);
	size_t cap = 64;
	for (size_t s = 0; s < e->n_params; s++)
	{
		const char *text = lookup(p, e->params[s].info.name);
		cap += strlen(e->params[s].info.name) + 2 +
		       strlen(text ? text : e->params[s].info.default_value);
	}
	char *canon = malloc(cap);
	if (!v || !canon) {
		free(v);
		free(canon);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	canon[0] = '\0';
	for (size_t s = 0; s < e->n_params; s++) {
		const char *text = lookup(p, e->params[s].info.name);
		int rc = check_value(e, &e->params[s], text ? text : e->params[s].info.default_value,
				     &v[s], err);
		if (rc) {
			free(v);
			free(canon);
			return rc;
		}
	}
	/* the canonical string lists the parameters sorted by name */
	const char *last = "";
	int first = 1;
	for (size_t n = 0; n < e->n_params; n++) {
		size_t next = e->n_params;
		for (size_t s = 0; s < e->n_params; s++)
			if (strcmp(e->params[s].info.name, last) > 0 &&
			    (next == e->n_params ||
			     strcmp(e->params[s].info.name, e->params[next].info.name) < 0))
				next = s;
		last = e->params[next].info.name;
		if (e->params[next].execution)
			continue;
		strcat(canon, first ? "" : ",");
		strcat(canon, e->params[next].info.name);
		strcat(canon, "=");
		strcat(canon, v[next].s);
		first = 0;
	}
	*values = v;
	*canonical = canon;
	return PL_OK;
}

/* ---- running --------------------------------------------------------- */

struct pl_result {
	char *engine, *params, *forum;
	uint64_t seed;
	int rounds; /* the most rounds the run was given; 0 for a static engine */
	char hash[65];
	size_t n;
	pl_outcome_buf *outs;
	pl_param_value *values; /* resolved parameters, in spec order */
	pl_exchange_buf xs;     /* the exchange engine's exchanges */
};

void pl_run_options_init(pl_run_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->issue = PL_ALL_ISSUES;
	opt->forum = PL_NO_FORUM;
}

void pl_result_free(pl_result *r)
{
	if (!r)
		return;
	for (size_t k = 0; k < r->n; k++)
		pl__outcome_free(&r->outs[k]);
	free(r->outs);
	free(r->engine);
	free(r->params);
	free(r->forum);
	free(r->values);
	free(r->xs.v);
	free(r);
}

int pl__engine_run_view(const pl_engine *e, const pl_issue_view *v, const pl_engine_args *args,
			pl_outcome_buf *out, pl_error *err)
{
	return e->run_issue(v, args, out, err);
}

int pl__engine_run_case(const pl_engine *e, const pl_case *c, size_t forum,
			const pl_engine_args *args, pl_outcome_buf *outs, pl_error *err)
{
	return e->run_case(c, forum, args, outs, err);
}

int pl__engine_runnable(const pl_engine *e)
{
	return e->multidim ? e->run_case != NULL : e->run_issue != NULL;
}

int pl__engine_default_rounds(const pl_engine *e)
{
	return e->default_rounds;
}

int pl__engine_param_single_run(const pl_engine *e, size_t k)
{
	return k < e->n_params && e->params[k].single_run;
}

int pl__engine_can_join_records(const pl_engine *e)
{
	return e->join_records != NULL;
}

int pl__engine_join_records(const pl_engine *e, size_t param, const char *path,
			    const char *const *parts, size_t n, pl_error *err)
{
	if (!e->join_records)
		return pl_error_set(err, PL_EINTERNAL, e->name, "this engine cannot join its records");
	return e->join_records(param, path, parts, n, err);
}

static int run_one_issue(const pl_case *c, const pl_engine *e, size_t issue, size_t forum,
			 const pl_engine_args *args, pl_outcome_buf *out, pl_error *err)
{
	pl_issue_view v;
	pl_issue_view_buf *buf;
	int rc = pl_case_issue_view(c, issue, forum, &v, &buf, err);
	if (rc)
		return rc;
	if (v.n == 0) {
		pl_issue_view_buf_free(buf);
		return pl_error_set(err, PL_EINPUT, pl_case_issue(c, issue)->id,
				    "no actor with a positive weight takes part in this issue%s%s",
				    forum == PL_NO_FORUM ? "" : " in forum ",
				    forum == PL_NO_FORUM ? "" : pl_case_forum(c, forum)->id);
	}
	rc = pl__outcome_begin(out, issue, v.n, v.actor);
	if (!rc)
		rc = e->run_issue(&v, args, out, err);
	pl_issue_view_buf_free(buf);
	if (rc == PL_ENOMEM)
		pl_error_set(err, rc, e->name, "out of memory");
	else if (rc && err && !err->where[0]) /* an engine's rule about this issue */
		snprintf(err->where, sizeof err->where, "%s", pl_case_issue(c, issue)->id);
	return rc;
}

int pl_forecast(const pl_case *c, const pl_engine *e, const pl_run_options *opt,
		pl_result **out, pl_error *err)
{
	return pl__forecast_watched(c, e, opt, NULL, out, err);
}

int pl__forecast_watched(const pl_case *c, const pl_engine *e, const pl_run_options *opt,
			 pl__progress *pg, pl_result **out, pl_error *err)
{
	*out = NULL;
	pl_run_options defaults;
	if (!opt) {
		pl_run_options_init(&defaults);
		opt = &defaults;
	}
	if (opt->issue != PL_ALL_ISSUES && opt->issue >= pl_case_n_issues(c))
		return pl_error_set(err, PL_ENOTFOUND, NULL, "issue index %zu out of range",
				    opt->issue);
	if (opt->forum != PL_NO_FORUM && opt->forum >= pl_case_n_forums(c))
		return pl_error_set(err, PL_ENOTFOUND, NULL, "forum index %zu out of range",
				    opt->forum);
	if (opt->rounds < 0)
		return pl_error_set(err, PL_EINPUT, NULL, "rounds must be 0 (default) or more");
	pl_result *r = calloc(1, sizeof *r);
	if (!r)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = pl__engine_resolve_params(e, opt->params, &r->values, &r->params, err);
	if (rc) {
		pl_result_free(r);
		return rc;
	}
	r->engine = strdup(e->name);
	r->forum = opt->forum == PL_NO_FORUM ? NULL : strdup(pl_case_forum(c, opt->forum)->id);
	r->seed = opt->seed;
	snprintf(r->hash, sizeof r->hash, "%s", pl_case_hash(c));
	pl_engine_args args = {.rounds = opt->rounds ? opt->rounds : e->default_rounds,
			       .seed = opt->seed,
			       .param = r->values,
			       .canonical = r->params,
			       .exchanges = &r->xs};
	if (args.rounds <= 0)
		args.rounds = 1;
	r->rounds = e->dynamic ? args.rounds : 0;
	size_t first = opt->issue == PL_ALL_ISSUES ? 0 : opt->issue;
	size_t count = opt->issue == PL_ALL_ISSUES ? pl_case_n_issues(c) : 1;
	if (pg) {
		pg->per = 100 * (uint64_t)(e->dynamic ? args.rounds : 1);
		pg->total = pg->per * (e->multidim ? 1 : count);
		pg->base = pg->last = 0;
		args.progress = pg;
	}
	r->outs = calloc(e->multidim ? pl_case_n_issues(c) : count, sizeof *r->outs);
	if (!r->engine || !r->outs || (opt->forum != PL_NO_FORUM && !r->forum)) {
		pl_result_free(r);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	if (e->multidim) {
		r->n = pl_case_n_issues(c);
		rc = e->run_case(c, opt->forum, &args, r->outs, err);
		if (!rc && first != 0) {
			/* the issue asked for goes first; the others are dropped below */
			pl_outcome_buf keep = r->outs[first];
			r->outs[first] = r->outs[0];
			r->outs[0] = keep;
		}
	} else {
		for (size_t k = 0; k < count && !rc; k++) {
			if (pg)
				pg->base = k * pg->per;
			rc = run_one_issue(c, e, first + k, opt->forum, &args, &r->outs[k], err);
			r->n = k + 1;
		}
	}
	if (pg && pg->fn && !rc && pg->last < pg->total) { /* came to rest early: done too */
		pg->last = pg->total;
		pg->fn(pg->ctx, pg->total, pg->total);
	}
	if (rc) {
		pl_result_free(r);
		return rc;
	}
	for (size_t k = count; k < r->n; k++)
		pl__outcome_free(&r->outs[k]);
	r->n = count;
	*out = r;
	return PL_OK;
}

int pl_engine_check_params(const pl_engine *e, const pl_params *p, pl_error *err)
{
	pl_param_value *v;
	char *canon;
	int rc = pl__engine_resolve_params(e, p, &v, &canon, err);
	free(v);
	free(canon);
	return rc;
}

int pl_forecast_cannot_run(const pl_engine *e, const pl_run_options *opt, int rc)
{
	if (rc != PL_EINPUT || !e || (opt && opt->rounds < 0))
		return 0;
	return pl_engine_check_params(e, opt ? opt->params : NULL, NULL) == PL_OK;
}

size_t pl_result_n_outcomes(const pl_result *r)
{
	return r->n;
}

const pl_outcome *pl_result_outcome(const pl_result *r, size_t i)
{
	return i < r->n ? &r->outs[i].o : NULL;
}

double pl_outcome_stat(const pl_outcome *o, const char *name)
{
	for (size_t k = 0; k < o->n_stats; k++)
		if (strcmp(o->stats[k].name, name) == 0)
			return o->stats[k].value;
	return NAN;
}

const char *pl_result_engine(const pl_result *r)
{
	return r->engine;
}

const char *pl_result_params(const pl_result *r)
{
	return r->params;
}

uint64_t pl_result_seed(const pl_result *r)
{
	return r->seed;
}

int pl_result_rounds(const pl_result *r)
{
	return r->rounds;
}

const char *pl_result_case_hash(const pl_result *r)
{
	return r->hash;
}

const char *pl_result_forum(const pl_result *r)
{
	return r->forum;
}

int pl_params_copy(pl_params **out, const pl_params *p, pl_error *err)
{
	*out = pl_params_new();
	if (!*out)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = PL_OK;
	for (size_t k = 0; p && k < p->n && !rc; k++)
		rc = pl_params_set(*out, p->items[k].name, p->items[k].value, err);
	if (rc) {
		pl_params_free(*out);
		*out = NULL;
	}
	return rc;
}

size_t pl_result_n_exchanges(const pl_result *r)
{
	return r->xs.n;
}

const pl_exchange *pl_result_exchange(const pl_result *r, size_t k)
{
	return k < r->xs.n ? &r->xs.v[k] : NULL;
}
