/* compare_doc.c - a forum comparison request (formats and engines as text,
 * as the command and the server take them) run, and its JSON and CSV
 * documents (include/parley/report.h, docs/analysis/forums.md). */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct pl_comparison {
	const pl_case *c;
	size_t n_forums, n_engines, baseline;
	size_t *forums; /* PL_NO_FORUM = everyone */
	const pl_engine **engines;
	pl_params **params;
	pl_compare *cmp;
};

void pl_comparison_free(pl_comparison *x)
{
	if (!x)
		return;
	for (size_t e = 0; x->params && e < x->n_engines; e++)
		pl_params_free(x->params[e]);
	free(x->params);
	free(x->forums);
	free((void *)x->engines);
	pl_compare_free(x->cmp);
	free(x);
}

const pl_compare *pl_comparison_compare(const pl_comparison *x)
{
	return x->cmp;
}

size_t pl_comparison_n_forums(const pl_comparison *x)
{
	return x->n_forums;
}

size_t pl_comparison_forum(const pl_comparison *x, size_t k)
{
	return k < x->n_forums ? x->forums[k] : PL_NO_FORUM;
}

const char *pl_comparison_forum_id(const pl_comparison *x, size_t k)
{
	size_t f = pl_comparison_forum(x, k);
	return f == PL_NO_FORUM ? "everyone" : pl_case_forum(x->c, f)->id;
}

size_t pl_comparison_baseline(const pl_comparison *x)
{
	return x->baseline;
}

size_t pl_comparison_n_engines(const pl_comparison *x)
{
	return x->n_engines;
}

const pl_engine *pl_comparison_engine(const pl_comparison *x, size_t e)
{
	return e < x->n_engines ? x->engines[e] : NULL;
}

const pl_params *pl_comparison_params(const pl_comparison *x, size_t e)
{
	return e < x->n_engines ? x->params[e] : NULL;
}

double pl_comparison_total_gain(const pl_comparison *x, size_t k, size_t a)
{
	double sum = 0;
	for (size_t i = 0; i < pl_case_n_issues(x->c); i++) {
		double g = pl_compare_gain(x->cmp, k, a, i);
		if (isfinite(g))
			sum += g;
	}
	return sum;
}

const pl_result *pl_comparison_engine_result(const pl_comparison *x, size_t e)
{
	for (size_t k = 0; k < x->n_forums; k++) {
		const pl_result *r = pl_compare_result(x->cmp, k, e, NULL);
		if (r)
			return r;
	}
	return NULL;
}

/* ---- the formats and engines from text ---------------------------------- */

/* Calls fn on each comma-separated item of list. */
static int each_item(const char *list, int (*fn)(pl_comparison *x, const char *item, pl_error *err),
		     pl_comparison *x, pl_error *err)
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
		int rc = fn(x, item, err);
		if (rc)
			return rc;
		p += len + (comma ? 1 : 0);
	}
	return PL_OK;
}

static int add_forum(pl_comparison *x, const char *id, pl_error *err)
{
	size_t f = PL_NO_FORUM;
	if (pl__report_find_forum(x->c, id, &f, err))
		return PL_ENOTFOUND;
	for (size_t k = 0; k < x->n_forums; k++)
		if (x->forums[k] == f)
			return pl_error_set(err, PL_EINPUT, NULL, "forum '%s' listed twice", id);
	x->forums[x->n_forums++] = f;
	return PL_OK;
}

static int add_engine(pl_comparison *x, const char *name, pl_error *err)
{
	const pl_engine *e = pl_engine_find(name, err);
	if (!e)
		return PL_ENOTFOUND;
	for (size_t k = 0; k < x->n_engines; k++)
		if (x->engines[k] == e)
			return pl_error_set(err, PL_EINPUT, NULL, "engine '%s' listed twice", name);
	x->engines[x->n_engines++] = e;
	return PL_OK;
}

/* The forum with the most members when it seats more than half of the
 * actors; else everyone when compared (a small forum is not a baseline by
 * default: everyone is the case itself); else the largest forum compared. */
static size_t default_baseline(const pl_comparison *x)
{
	size_t best = 0, most = 0, everyone = x->n_forums;
	for (size_t k = 0; k < x->n_forums; k++) {
		if (x->forums[k] == PL_NO_FORUM) {
			everyone = k;
			continue;
		}
		size_t m = pl_case_forum(x->c, x->forums[k])->n_members;
		if (m > most) {
			most = m;
			best = k;
		}
	}
	if (2 * most <= pl_case_n_actors(x->c) && everyone < x->n_forums)
		return everyone;
	return best;
}

static int choose_baseline(pl_comparison *x, const char *baseline, pl_error *err)
{
	x->baseline = default_baseline(x);
	if (!baseline)
		return PL_OK;
	size_t f = PL_NO_FORUM, k;
	if (pl__report_find_forum(x->c, baseline, &f, err))
		return PL_ENOTFOUND;
	for (k = 0; k < x->n_forums && x->forums[k] != f; k++)
		;
	if (k == x->n_forums)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "--baseline '%s' is not among the formats compared", baseline);
	x->baseline = k;
	return PL_OK;
}

static int build(pl_comparison *x, const pl_compare_request *req, pl_error *err)
{
	const pl_case *c = x->c;
	size_t nf = pl_case_n_forums(c) + 1, ne = pl_engine_count();
	x->forums = malloc(nf * sizeof *x->forums);
	x->engines = malloc(ne * sizeof *x->engines);
	x->params = calloc(ne, sizeof *x->params);
	if (!x->forums || !x->engines || !x->params)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = PL_OK;
	if (!req->forums || strcmp(req->forums, "all") == 0) {
		x->forums[x->n_forums++] = PL_NO_FORUM;
		for (size_t f = 0; f < pl_case_n_forums(c); f++)
			x->forums[x->n_forums++] = f;
	} else {
		rc = each_item(req->forums, add_forum, x, err);
	}
	if (rc)
		return rc;
	if (!req->engines || strcmp(req->engines, "all") == 0) {
		for (size_t e = 0; e < ne; e++)
			x->engines[x->n_engines++] = pl_engine_at(e);
	} else if ((rc = each_item(req->engines, add_engine, x, err))) {
		return rc;
	}
	if ((rc = pl_params_assign(x->params, x->n_engines, x->engines, req->params, req->n_params,
				   err)))
		return rc;
	return choose_baseline(x, req->baseline, err);
}

/* Counts the items of a comma-separated list. */
static size_t n_items(const char *list)
{
	size_t n = *list != '\0';
	for (; *list; list++)
		n += *list == ',';
	return n;
}

int pl_compare_request_check(const pl_case *c, const pl_compare_request *req, pl_error *err)
{
	int all = !req->forums || strcmp(req->forums, "all") == 0;
	size_t n = all ? 1 + pl_case_n_forums(c) : n_items(req->forums);
	if (n >= 2)
		return PL_OK;
	if (all)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "case '%s' declares no forum: there is nothing to compare "
				    "'everyone' with (a case lists its formats under \"forums\", "
				    "docs/formats.md; 'parley forecast' gives everyone's forecast)",
				    pl_case_get_info(c)->id);
	return pl_error_set(err, PL_EINPUT, NULL,
			    "forums '%s' names one format: there is nothing to compare it "
			    "with (name two or more, or all)",
			    req->forums);
}

size_t pl_comparison_same_as(const pl_comparison *x, size_t k)
{
	const pl_compare *cmp = x->cmp;
	size_t ni = pl_case_n_issues(x->c);
	for (size_t j = 0; j < x->n_forums; j++) {
		if (j == k)
			continue;
		int same = 1;
		for (size_t e = 0; same && e < x->n_engines; e++) {
			const pl_result *a = pl_compare_result(cmp, j, e, NULL);
			const pl_result *b = pl_compare_result(cmp, k, e, NULL);
			if (!a || !b) {
				same = !a && !b;
				continue;
			}
			for (size_t i = 0; same && i < ni; i++) {
				pl_compare_cell ca, cb;
				pl_compare_cell_of(cmp, j, i, &ca);
				pl_compare_cell_of(cmp, k, i, &cb);
				same = (isnan(ca.forecast) && isnan(cb.forecast)) ||
				       ca.forecast == cb.forecast;
			}
			for (size_t q = 0; same && q < pl_result_n_outcomes(a); q++)
				same = q < pl_result_n_outcomes(b) &&
				       pl_result_outcome(a, q)->forecast ==
					       pl_result_outcome(b, q)->forecast;
		}
		for (size_t a = 0; same && a < pl_case_n_actors(x->c); a++)
			for (size_t i = 0; same && i < ni; i++) {
				double u = pl_compare_utility(cmp, j, a, i),
				       v = pl_compare_utility(cmp, k, a, i);
				same = (isnan(u) && isnan(v)) || u == v;
			}
		if (!same)
			continue;
		/* the baseline stands for its twins; else the first of them */
		if (k == x->baseline)
			return k;
		if (j == x->baseline || j < k)
			return j;
	}
	return k;
}

int pl_comparison_run(pl_comparison **out, const pl_case *c, const pl_compare_request *req,
		      pl_error *err)
{
	*out = NULL;
	if (!req || req->version != PL_COMPARE_REQUEST_VERSION)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "compare request version %u (this parley knows %d)",
				    req ? req->version : 0u, PL_COMPARE_REQUEST_VERSION);
	pl_comparison *x = calloc(1, sizeof *x);
	if (!x)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	x->c = c;
	int rc = build(x, req, err);
	if (!rc) {
		pl_compare_options o = {.n_forums = x->n_forums,
					.forums = x->forums,
					.baseline = x->baseline,
					.n_engines = x->n_engines,
					.engines = x->engines,
					.params = (const pl_params *const *)x->params,
					.rounds = req->rounds,
					.seed = req->seed};
		rc = pl_compare_run(c, &o, &x->cmp, err);
	}
	if (rc) {
		pl_comparison_free(x);
		return rc;
	}
	*out = x;
	return PL_OK;
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *members_json(const pl_case *c, size_t f)
{
	json_t *mem = json_array();
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		int in = f == PL_NO_FORUM;
		for (size_t m = 0; !in && m < pl_case_forum(c, f)->n_members; m++)
			in = pl_case_forum(c, f)->members[m] == a;
		if (in)
			json_array_append_new(mem, json_string(pl_case_actor(c, a)->id));
	}
	return mem;
}

static json_t *run_json(const pl_comparison *x, size_t k, size_t e)
{
	const pl_case *c = x->c;
	const char *why;
	const pl_result *r = pl_compare_result(x->cmp, k, e, &why);
	json_t *rj = json_object();
	json_object_set_new(rj, "engine", json_string(pl_engine_name(x->engines[e])));
	json_object_set_new(rj, "params", r ? json_string(pl_result_params(r)) : json_null());
	json_object_set_new(rj, "seed",
			    r ? json_integer((json_int_t)pl_result_seed(r)) : json_null());
	json_object_set_new(rj, "rounds", r ? json_integer(pl_result_rounds(r)) : json_null());
	json_object_set_new(rj, "not_run", why ? json_string(why) : json_null());
	json_t *fc = json_object(), *tr = json_object();
	for (size_t q = 0; r && q < pl_result_n_outcomes(r); q++) {
		const pl_outcome *o = pl_result_outcome(r, q);
		const char *id = pl_case_issue(c, o->issue)->id;
		json_object_set_new(fc, id, pl__report_jnum(o->forecast));
		json_t *rounds = json_array();
		for (size_t t = 0; t <= o->n_rounds; t++)
			json_array_append_new(rounds, pl__report_jnum(o->round_forecast[t]));
		json_object_set_new(tr, id, rounds);
	}
	json_object_set_new(rj, "forecasts", fc);
	json_object_set_new(rj, "round_forecasts", tr);
	return rj;
}

static json_t *issues_json(const pl_comparison *x, size_t k)
{
	json_t *issues = json_array();
	for (size_t i = 0; i < pl_case_n_issues(x->c); i++) {
		pl_compare_cell cell;
		pl_compare_cell_of(x->cmp, k, i, &cell);
		json_array_append_new(
			issues,
			json_pack("{s:s,s:o,s:o,s:o,s:o,s:b,s:I,s:I}", "issue",
				  pl_case_issue(x->c, i)->id, "forecast", pl__report_jnum(cell.forecast),
				  "change", pl__report_jnum(cell.change), "engine_spread",
				  pl__report_jnum(cell.engine_spread), "round_spread",
				  pl__report_jnum(cell.round_spread), "stable", cell.stable, "agree",
				  (json_int_t)cell.n_agree, "engines", (json_int_t)cell.n_engines));
	}
	return issues;
}

static json_t *gain_json(const pl_comparison *x, size_t k)
{
	const pl_case *c = x->c;
	json_t *gain = json_object();
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		json_t *per = json_object();
		for (size_t i = 0; i < pl_case_n_issues(c); i++)
			json_object_set_new(per, pl_case_issue(c, i)->id,
					    pl__report_jnum(pl_compare_gain(x->cmp, k, a, i)));
		json_object_set_new(per, "total",
				    pl__report_jnum(pl_comparison_total_gain(x, k, a)));
		json_object_set_new(gain, pl_case_actor(c, a)->id, per);
	}
	return gain;
}

static json_t *forum_json(const pl_comparison *x, size_t k)
{
	const pl_case *c = x->c;
	size_t f = x->forums[k];
	const pl_forum *fm = f == PL_NO_FORUM ? NULL : pl_case_forum(c, f);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(pl_comparison_forum_id(x, k)));
	json_object_set_new(j, "name",
			    json_string(!fm	   ? "Everyone at full weight"
					: fm->name ? fm->name
						   : fm->id));
	json_object_set_new(j, "members", members_json(c, f));
	json_object_set_new(j, "outsider_weight", pl__report_jnum(fm ? fm->outsider_weight : 1.0));
	json_t *runs = json_array();
	for (size_t e = 0; e < x->n_engines; e++)
		json_array_append_new(runs, run_json(x, k, e));
	json_object_set_new(j, "runs", runs);
	json_object_set_new(j, "issues", issues_json(x, k));
	json_object_set_new(j, "gain", gain_json(x, k));
	return j;
}

json_t *pl__compare_to_json(const pl_comparison *x)
{
	const pl_case *c = x->c;
	json_t *root = json_object();
	json_object_set_new(root, "parley", json_string(pl_version()));
	json_object_set_new(root, "analysis", json_string("compare"));
	json_object_set_new(
		root, "case",
		json_pack("{s:s,s:s}", "id", pl_case_get_info(c)->id, "sha256", pl_case_hash(c)));
	json_object_set_new(root, "baseline", json_string(pl_comparison_forum_id(x, x->baseline)));
	json_object_set_new(root, "utility",
			    json_string("-salience x |forecast - position| / (max - min)"));
	json_t *forums = json_array();
	for (size_t k = 0; k < x->n_forums; k++)
		json_array_append_new(forums, forum_json(x, k));
	json_object_set_new(root, "forums", forums);
	return root;
}

int pl_compare_json(char **out, const pl_comparison *x, pl_error *err)
{
	return pl__report_dump(out, pl__compare_to_json(x), err);
}

/* ---- CSV ------------------------------------------------------------------- */

static void csv_forecasts(FILE *f, const pl_comparison *x)
{
	char n[4][PL__NUM_MAX];
	const pl_case *c = x->c;
	fprintf(f, "forum,issue,engine,forecast,change,engine_spread,round_spread,stable,agree\n");
	for (size_t k = 0; k < x->n_forums; k++)
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			pl_compare_cell cell;
			pl_compare_cell_of(x->cmp, k, i, &cell);
			for (size_t e = 0; e < x->n_engines; e++) {
				const pl_result *r = pl_compare_result(x->cmp, k, e, NULL);
				for (size_t q = 0; r && q < pl_result_n_outcomes(r); q++)
					if (pl_result_outcome(r, q)->issue == i)
						fprintf(f, "%s,%s,%s,%s,,,,,\n",
							pl_comparison_forum_id(x, k),
							pl_case_issue(c, i)->id,
							pl_engine_name(x->engines[e]),
							pl__fmt_shortest(n[0], pl_result_outcome(r, q)->forecast));
			}
			fprintf(f, "%s,%s,mean,%s,%s,%s,%s,%d,%zu\n", pl_comparison_forum_id(x, k),
				pl_case_issue(c, i)->id, pl__fmt_shortest(n[0], cell.forecast),
				pl__fmt_shortest(n[1], cell.change),
				pl__fmt_shortest(n[2], cell.engine_spread),
				pl__fmt_shortest(n[3], cell.round_spread), cell.stable, cell.n_agree);
		}
}

static void csv_utilities(FILE *f, const pl_comparison *x)
{
	const pl_case *c = x->c;
	char n[2][PL__NUM_MAX];
	fprintf(f, "forum,actor,issue,utility,gain\n");
	for (size_t k = 0; k < x->n_forums; k++)
		for (size_t a = 0; a < pl_case_n_actors(c); a++)
			for (size_t i = 0; i < pl_case_n_issues(c); i++) {
				double u = pl_compare_utility(x->cmp, k, a, i);
				if (isnan(u))
					continue;
				fprintf(f, "%s,%s,%s,%s,%s\n", pl_comparison_forum_id(x, k),
					pl_case_actor(c, a)->id, pl_case_issue(c, i)->id,
					pl__fmt_shortest(n[0], u),
					pl__fmt_shortest(n[1], pl_compare_gain(x->cmp, k, a, i)));
			}
}

int pl_compare_csv(char **out, const pl_comparison *x, pl_error *err)
{
	pl__report_text t;
	int rc = pl__report_text_open(&t, err);
	if (rc) {
		*out = NULL;
		return rc;
	}
	FILE *f = t.f;
	fprintf(f, "# parley %s; case %s sha256 %s; compare, baseline %s\n", pl_version(),
		pl_case_get_info(x->c)->id, pl_case_hash(x->c),
		pl_comparison_forum_id(x, x->baseline));
	for (size_t e = 0; e < x->n_engines; e++) {
		const pl_result *r = pl_comparison_engine_result(x, e);
		if (r)
			fprintf(f, "# engine %s; params %s; seed %llu; rounds %d\n",
				pl_result_engine(r), pl_result_params(r),
				(unsigned long long)pl_result_seed(r), pl_result_rounds(r));
		else
			fprintf(f, "# engine %s; did not run\n", pl_engine_name(x->engines[e]));
	}
	csv_forecasts(f, x);
	csv_utilities(f, x);
	return pl__report_text_close(out, &t, err);
}
