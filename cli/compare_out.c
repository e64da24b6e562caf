/* compare_out.c - the formats and engines of a forum comparison from the
 * command line, and the comparison as JSON with its provenance. */
#include "compare_out.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void compare_spec_free(compare_spec *sp)
{
	for (size_t e = 0; sp->params && e < sp->n_engines; e++)
		pl_params_free(sp->params[e]);
	free(sp->params);
	free(sp->forums);
	free((void *)sp->engines);
	memset(sp, 0, sizeof *sp);
}

/* Calls fn on each comma-separated item of list. */
static int each_item(const char *list, int (*fn)(void *ctx, const char *item, pl_error *err),
		     void *ctx, pl_error *err)
{
	char item[256];
	const char *p = list;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof item)
			return pl_error_set(err, PL_EINPUT, NULL, "bad list item in '%s'", list);
		memcpy(item, p, len);
		item[len] = '\0';
		int rc = fn(ctx, item, err);
		if (rc)
			return rc;
		p += len + (comma ? 1 : 0);
	}
	return PL_OK;
}

typedef struct build_ctx {
	const pl_case *c;
	compare_spec *sp;
} build_ctx;

static int add_forum(void *ctx, const char *id, pl_error *err)
{
	build_ctx *b = ctx;
	size_t f = PL_NO_FORUM;
	if (cli_find_forum(b->c, id, &f, err))
		return PL_ENOTFOUND;
	for (size_t k = 0; k < b->sp->n_forums; k++)
		if (b->sp->forums[k] == f)
			return pl_error_set(err, PL_EINPUT, NULL, "forum '%s' listed twice", id);
	b->sp->forums[b->sp->n_forums++] = f;
	return PL_OK;
}

static int add_engine(void *ctx, const char *name, pl_error *err)
{
	build_ctx *b = ctx;
	const pl_engine *e = pl_engine_find(name, err);
	if (!e)
		return PL_ENOTFOUND;
	for (size_t k = 0; k < b->sp->n_engines; k++)
		if (b->sp->engines[k] == e)
			return pl_error_set(err, PL_EINPUT, NULL, "engine '%s' listed twice", name);
	b->sp->engines[b->sp->n_engines++] = e;
	return PL_OK;
}

static size_t default_baseline(const pl_case *c, const compare_spec *sp)
{
	size_t best = 0, most = 0;
	for (size_t k = 0; k < sp->n_forums; k++) {
		size_t m = sp->forums[k] == PL_NO_FORUM
				   ? 0
				   : pl_case_forum(c, sp->forums[k])->n_members;
		if (m > most) {
			most = m;
			best = k;
		}
	}
	return best;
}

int compare_spec_build(const pl_case *c, const char *forums, const char *engines,
		       const char *baseline, const char *const *params, size_t n_params,
		       compare_spec *sp, pl_error *err)
{
	memset(sp, 0, sizeof *sp);
	size_t nf = pl_case_n_forums(c) + 1, ne = pl_engine_count();
	sp->forums = malloc(nf * sizeof *sp->forums);
	sp->engines = malloc(ne * sizeof *sp->engines);
	sp->params = calloc(ne, sizeof *sp->params);
	if (!sp->forums || !sp->engines || !sp->params)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	build_ctx b = {c, sp};
	int rc;
	if (strcmp(forums, "all") == 0) {
		sp->forums[sp->n_forums++] = PL_NO_FORUM;
		for (size_t f = 0; f < pl_case_n_forums(c); f++)
			sp->forums[sp->n_forums++] = f;
		rc = PL_OK;
	} else {
		rc = each_item(forums, add_forum, &b, err);
	}
	if (rc)
		return rc;
	if (strcmp(engines, "all") == 0) {
		for (size_t e = 0; e < ne; e++)
			sp->engines[sp->n_engines++] = pl_engine_at(e);
	} else if ((rc = each_item(engines, add_engine, &b, err))) {
		return rc;
	}
	if ((rc = cli_engine_params(params, n_params, sp->engines, sp->n_engines, sp->params, err)))
		return rc;
	sp->baseline = default_baseline(c, sp);
	if (baseline) {
		size_t f = PL_NO_FORUM, k;
		if (cli_find_forum(c, baseline, &f, err))
			return PL_ENOTFOUND;
		for (k = 0; k < sp->n_forums && sp->forums[k] != f; k++)
			;
		if (k == sp->n_forums)
			return pl_error_set(err, PL_EINPUT, NULL,
					    "--baseline '%s' is not among the formats compared",
					    baseline);
		sp->baseline = k;
	}
	return PL_OK;
}

int compare_spec_run(const pl_case *c, const compare_spec *sp, int rounds, uint64_t seed,
		     pl_compare **out, pl_error *err)
{
	pl_compare_options o = {.n_forums = sp->n_forums,
				.forums = sp->forums,
				.baseline = sp->baseline,
				.n_engines = sp->n_engines,
				.engines = sp->engines,
				.params = (const pl_params *const *)sp->params,
				.rounds = rounds,
				.seed = seed};
	return pl_compare_run(c, &o, out, err);
}

double compare_total_gain(const pl_compare *cmp, const pl_case *c, size_t k, size_t a)
{
	double sum = 0;
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		double g = pl_compare_gain(cmp, k, a, i);
		if (isfinite(g))
			sum += g;
	}
	return sum;
}

const pl_result *compare_engine_result(const pl_compare *cmp, const compare_spec *sp, size_t e)
{
	for (size_t k = 0; k < sp->n_forums; k++) {
		const pl_result *r = pl_compare_result(cmp, k, e, NULL);
		if (r)
			return r;
	}
	return NULL;
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *forum_json(const pl_case *c, const pl_compare *cmp, const compare_spec *sp, size_t k)
{
	size_t f = sp->forums[k];
	json_t *j = json_object();
	json_object_set_new(j, "id",
			    json_string(f == PL_NO_FORUM ? "everyone" : pl_case_forum(c, f)->id));
	json_object_set_new(j, "name",
			    json_string(f == PL_NO_FORUM	    ? "Everyone at full weight"
					: pl_case_forum(c, f)->name ? pl_case_forum(c, f)->name
								    : pl_case_forum(c, f)->id));
	json_t *mem = json_array();
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		int in = f == PL_NO_FORUM;
		for (size_t m = 0; !in && m < pl_case_forum(c, f)->n_members; m++)
			in = pl_case_forum(c, f)->members[m] == a;
		if (in)
			json_array_append_new(mem, json_string(pl_case_actor(c, a)->id));
	}
	json_object_set_new(j, "members", mem);
	json_object_set_new(j, "outsider_weight",
			    jnum(f == PL_NO_FORUM ? 1.0 : pl_case_forum(c, f)->outsider_weight));
	json_t *runs = json_array();
	for (size_t e = 0; e < sp->n_engines; e++) {
		const char *why;
		const pl_result *r = pl_compare_result(cmp, k, e, &why);
		json_t *rj = json_object();
		json_object_set_new(rj, "engine", json_string(pl_engine_name(sp->engines[e])));
		json_object_set_new(rj, "params",
				    r ? json_string(pl_result_params(r)) : json_null());
		json_object_set_new(rj, "seed",
				    r ? json_integer((json_int_t)pl_result_seed(r)) : json_null());
		json_object_set_new(rj, "rounds",
				    r ? json_integer(pl_result_rounds(r)) : json_null());
		json_object_set_new(rj, "not_run", why ? json_string(why) : json_null());
		json_t *fc = json_object(), *tr = json_object();
		for (size_t q = 0; r && q < pl_result_n_outcomes(r); q++) {
			const pl_outcome *o = pl_result_outcome(r, q);
			const char *id = pl_case_issue(c, o->issue)->id;
			json_object_set_new(fc, id, jnum(o->forecast));
			json_t *rounds = json_array();
			for (size_t t = 0; t <= o->n_rounds; t++)
				json_array_append_new(rounds, jnum(o->round_forecast[t]));
			json_object_set_new(tr, id, rounds);
		}
		json_object_set_new(rj, "forecasts", fc);
		json_object_set_new(rj, "round_forecasts", tr);
		json_array_append_new(runs, rj);
	}
	json_object_set_new(j, "runs", runs);
	json_t *issues = json_array();
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_compare_cell cell;
		pl_compare_cell_of(cmp, k, i, &cell);
		json_array_append_new(
			issues,
			json_pack("{s:s,s:o,s:o,s:o,s:o,s:b}", "issue", pl_case_issue(c, i)->id,
				  "forecast", jnum(cell.forecast), "change", jnum(cell.change),
				  "engine_spread", jnum(cell.engine_spread), "round_spread",
				  jnum(cell.round_spread), "stable", cell.stable));
	}
	json_object_set_new(j, "issues", issues);
	json_t *gain = json_object();
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		json_t *per = json_object();
		for (size_t i = 0; i < pl_case_n_issues(c); i++)
			json_object_set_new(per, pl_case_issue(c, i)->id,
					    jnum(pl_compare_gain(cmp, k, a, i)));
		json_object_set_new(per, "total", jnum(compare_total_gain(cmp, c, k, a)));
		json_object_set_new(gain, pl_case_actor(c, a)->id, per);
	}
	json_object_set_new(j, "gain", gain);
	return j;
}

json_t *compare_to_json(const pl_case *c, const pl_compare *cmp, const compare_spec *sp)
{
	json_t *root = json_object();
	json_object_set_new(root, "parley", json_string(pl_version()));
	json_object_set_new(root, "analysis", json_string("compare"));
	json_object_set_new(
		root, "case",
		json_pack("{s:s,s:s}", "id", pl_case_get_info(c)->id, "sha256", pl_case_hash(c)));
	size_t b = sp->forums[sp->baseline];
	json_object_set_new(root, "baseline",
			    json_string(b == PL_NO_FORUM ? "everyone" : pl_case_forum(c, b)->id));
	json_object_set_new(root, "utility",
			    json_string("-salience x |forecast - position| / (max - min)"));
	json_t *forums = json_array();
	for (size_t k = 0; k < sp->n_forums; k++)
		json_array_append_new(forums, forum_json(c, cmp, sp, k));
	json_object_set_new(root, "forums", forums);
	return root;
}
