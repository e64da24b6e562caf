/* sweep_doc.c - a sweep request (engine, forum, thresholds and parameters
 * as text, as the command and the server take them) run, and the sweep's
 * JSON and CSV documents (include/parley/report.h, docs/analysis/sweep.md),
 * each with its provenance (engine, parameters, seed, N, parley version, case
 * hash). */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The quantiles every document reports. */
#define N_QUANTILES 7
static const double quantiles[N_QUANTILES] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

static const char *dist_name(pl_dist_kind k)
{
	switch (k) {
	case PL_DIST_NONE: return "none";
	case PL_DIST_NORMAL: return "normal";
	case PL_DIST_UNIFORM: return "uniform";
	case PL_DIST_BETA: return "beta";
	}
	return "?";
}

static const char *source_name(pl_input_source s)
{
	switch (s) {
	case PL_SOURCE_EXACT: return "exact";
	case PL_SOURCE_INPUT: return "declared";
	case PL_SOURCE_CASE: return "case default";
	case PL_SOURCE_BUILTIN: return "parley default";
	}
	return "?";
}

/* Spread in the case's own units: capability sd is a fraction; salience is
 * shown on the 0-100 scale of the case file. */
static double shown_a(const pl_input *in)
{
	return in->kind == PL_INPUT_SALIENCE ? 100 * in->dist.a : in->dist.a;
}

static json_t *inputs_json(const pl_case *c, const pl_sweep *s)
{
	json_t *arr = json_array();
	char label[256];
	for (size_t k = 0; k < pl_sweep_n_inputs(s); k++) {
		const pl_input *in = pl_sweep_input(s, k);
		json_t *j = json_object();
		json_object_set_new(j, "input",
				    json_string(pl_input_label(c, in, label, sizeof label)));
		json_object_set_new(j, "kind", json_string(pl_input_kind_name(in->kind)));
		json_object_set_new(j, "actor", json_string(pl_case_actor(c, in->actor)->id));
		json_object_set_new(j, "issue",
				    in->issue == PL_ALL_ISSUES
					    ? json_null()
					    : json_string(pl_case_issue(c, in->issue)->id));
		json_object_set_new(j, "nominal",
				    pl__report_jnum(in->kind == PL_INPUT_SALIENCE
							    ? 100 * in->nominal
							    : in->nominal));
		json_object_set_new(j, "dist", json_string(dist_name(in->dist.kind)));
		json_object_set_new(j, in->dist.kind == PL_DIST_UNIFORM ? "half_width" : "sd",
				    pl__report_jnum(shown_a(in)));
		json_object_set_new(j, "source", json_string(source_name(in->source)));
		json_array_append_new(arr, j);
	}
	return arr;
}

static json_t *issue_json(const pl_case *c, const pl_sweep *s, size_t i)
{
	pl_sweep_summary sm;
	pl_sweep_summary_of(s, i, &sm, NULL);
	json_t *j = json_object();
	const pl_issue *is = pl_case_issue(c, i);
	json_object_set_new(j, "issue", json_string(is->id));
	json_object_set_new(j, "scale", json_pack("[f,f]", is->min, is->max));
	json_object_set_new(j, "nominal", pl__report_jnum(sm.nominal));
	json_object_set_new(j, "samples", json_integer((json_int_t)sm.n));
	json_object_set_new(j, "failed", json_integer((json_int_t)sm.n_failed));
	json_object_set_new(j, "cycling", json_integer((json_int_t)sm.n_cycling));
	json_object_set_new(j, "mean", pl__report_jnum(sm.mean));
	json_object_set_new(j, "sd", pl__report_jnum(sm.sd));
	json_object_set_new(j, "min", pl__report_jnum(sm.min));
	json_object_set_new(j, "max", pl__report_jnum(sm.max));
	json_t *q = json_object();
	for (size_t k = 0; k < N_QUANTILES; k++) {
		char name[16];
		snprintf(name, sizeof name, "p%02.0f", 100 * quantiles[k]);
		json_object_set_new(q, name,
				    pl__report_jnum(pl_sweep_quantile(s, i, quantiles[k])));
	}
	json_object_set_new(j, "quantiles", q);
	const uint64_t *counts;
	double lo, hi;
	size_t nb = pl_sweep_histogram(s, i, &counts, &lo, &hi);
	json_t *h = json_array();
	for (size_t b = 0; b < nb; b++)
		json_array_append_new(h, json_integer((json_int_t)counts[b]));
	json_object_set_new(j, "histogram",
			    json_pack("{s:f,s:f,s:o}", "lo", lo, "hi", hi, "counts", h));
	const pl_sweep_prob *pr;
	size_t nt = pl_sweep_thresholds(s, i, &pr);
	json_t *t = json_array();
	for (size_t k = 0; k < nt; k++) {
		/* {"at_least": X}, {"at_most": X} or {"between": [A, B]}, then p */
		json_t *what = pr[k].kind == PL_BETWEEN
				       ? json_pack("[o,o]", pl__report_jnum(pr[k].value),
						   pl__report_jnum(pr[k].upper))
				       : pl__report_jnum(pr[k].value);
		json_array_append_new(
			t, json_pack("{s:o,s:o,s:[o,o]}",
				     pr[k].kind == PL_AT_MOST  ? "at_most"
				     : pr[k].kind == PL_BETWEEN ? "between"
								: "at_least",
				     what, "p", pl__report_jnum(pr[k].p), "ci95",
				     pl__report_jnum(pr[k].lo), pl__report_jnum(pr[k].hi)));
	}
	json_object_set_new(j, "thresholds", t);
	if (pl_sweep_has_sensitivity(s)) {
		json_t *sens = json_array();
		for (size_t k = 0; k < pl_sweep_n_factors(s); k++) {
			pl_sobol x;
			pl_sweep_sobol(s, i, k, &x, NULL);
			json_array_append_new(sens,
					      json_pack("{s:s,s:o,s:[o,o],s:o,s:[o,o]}", "factor",
							pl_sweep_factor_label(s, k), "first",
							pl__report_jnum(x.first), "first_ci95",
							pl__report_jnum(x.first_lo),
							pl__report_jnum(x.first_hi), "total",
							pl__report_jnum(x.total), "total_ci95",
							pl__report_jnum(x.total_lo),
							pl__report_jnum(x.total_hi)));
		}
		json_object_set_new(j, "sensitivity", sens);
	}
	return j;
}

/* Which uncertainty the sweep drew from, in the words of each format. */
typedef enum uncertainty { UNC_NONE, UNC_DECLARED, UNC_BUILTIN } uncertainty;

static uncertainty uncertainty_of(const pl_sweep *s)
{
	int any = 0;
	for (size_t k = 0; k < pl_sweep_n_inputs(s); k++) {
		const pl_input *in = pl_sweep_input(s, k);
		if (in->source == PL_SOURCE_BUILTIN)
			return UNC_BUILTIN;
		any |= in->source != PL_SOURCE_EXACT && in->dist.kind != PL_DIST_NONE;
	}
	return any ? UNC_DECLARED : UNC_NONE;
}

static const char *const unc_json[] = {"none (every input exact)", "as declared by the case",
				       "parley defaults (the case declares none)"};
static const char *const unc_csv[] = {"none", "declared", "parley defaults"};

json_t *pl__sweep_to_json(const pl_case *c, const pl_sweep *s)
{
	json_t *root = json_object();
	json_object_set_new(root, "parley", json_string(pl_version()));
	json_object_set_new(root, "analysis", json_string("sweep"));
	json_object_set_new(
		root, "case",
		json_pack("{s:s,s:s}", "id", pl_case_get_info(c)->id, "sha256", pl_case_hash(c)));
	json_object_set_new(root, "engine", json_string(pl_sweep_engine(s)));
	json_object_set_new(root, "params", json_string(pl_sweep_params(s)));
	json_object_set_new(root, "seed", json_integer((json_int_t)pl_sweep_seed(s)));
	json_object_set_new(root, "rounds", json_integer(pl_sweep_rounds(s)));
	json_object_set_new(root, "samples", json_integer((json_int_t)pl_sweep_n(s)));
	json_object_set_new(root, "forum",
			    pl_sweep_forum(s) ? json_string(pl_sweep_forum(s)) : json_null());
	json_object_set_new(root, "rng", json_string("philox4x32-10, stream (seed, sample)"));
	json_object_set_new(root, "uncertainty", json_string(unc_json[uncertainty_of(s)]));
	json_object_set_new(
		root, "sensitivity",
		pl_sweep_sensitivity_method(s) == PL_SENS_DESIGN
			? json_string("Saltelli et al. 2010 first-order (output centred), "
				      "Jansen 1999 total; "
				      "delta-method 95% intervals")
		: pl_sweep_sensitivity_method(s) == PL_SENS_GIVEN
			? json_string("given data: first-order from 20 equal-probability bins "
				      "of each input, bias-corrected; no total index; grouped "
				      "jackknife 95% intervals (10 groups)")
			: json_null());
	static const char *const by[] = {"input", "actor", "kind"};
	json_object_set_new(root, "factors_by", json_string(by[pl_sweep_factors_by(s)]));
	json_object_set_new(root, "inputs", inputs_json(c, s));
	json_t *issues = json_array();
	for (size_t i = 0; i < pl_case_n_issues(c); i++)
		json_array_append_new(issues, issue_json(c, s, i));
	json_object_set_new(root, "issues", issues);
	return root;
}

const char *pl_sweep_uncertainty_text(const pl_sweep *s)
{
	return unc_json[uncertainty_of(s)];
}

int pl_sweep_json(char **out, const pl_case *c, const pl_sweep *s, pl_error *err)
{
	return pl__report_dump(out, pl__sweep_to_json(c, s), err);
}

static void csv_num(FILE *f, double v)
{
	char num[PL__NUM_MAX];
	if (isfinite(v))
		fprintf(f, "%s", pl__fmt_shortest(num, v));
}

static void csv_row(FILE *f, const char *issue, const char *quantity, const char *input, double v,
		    double lo, double hi)
{
	fprintf(f, "%s,%s,%s,", issue, quantity, input);
	csv_num(f, v);
	fputc(',', f);
	csv_num(f, lo);
	fputc(',', f);
	csv_num(f, hi);
	fputc('\n', f);
}

static void csv_issue(FILE *f, const pl_case *c, const pl_sweep *s, size_t i);

int pl_sweep_csv(char **out, const pl_case *c, const pl_sweep *s, pl_error *err)
{
	pl__report_text t;
	int rc = pl__report_text_open(&t, err);
	if (rc) {
		*out = NULL;
		return rc;
	}
	FILE *f = t.f;
	fprintf(f, "# parley %s; case %s sha256 %s; forum %s\n", pl_version(),
		pl_case_get_info(c)->id, pl_case_hash(c),
		pl_sweep_forum(s) ? pl_sweep_forum(s) : "all");
	fprintf(f,
		"# sweep; engine %s; params %s; seed %llu; rounds %d; samples %llu; uncertainty "
		"%s\n",
		pl_sweep_engine(s), pl_sweep_params(s), (unsigned long long)pl_sweep_seed(s),
		pl_sweep_rounds(s), (unsigned long long)pl_sweep_n(s), unc_csv[uncertainty_of(s)]);
	fprintf(f, "issue,quantity,factor,value,lo,hi\n");
	for (size_t i = 0; i < pl_case_n_issues(c); i++)
		csv_issue(f, c, s, i);
	return pl__report_text_close(out, &t, err);
}

/* The rows of issue i. */
static void csv_issue(FILE *f, const pl_case *c, const pl_sweep *s, size_t i)
{
	const char *id = pl_case_issue(c, i)->id;
	pl_sweep_summary sm;
	pl_sweep_summary_of(s, i, &sm, NULL);
	csv_row(f, id, "nominal", "", sm.nominal, NAN, NAN);
	csv_row(f, id, "samples", "", (double)sm.n, NAN, NAN);
	csv_row(f, id, "failed", "", (double)sm.n_failed, NAN, NAN);
	csv_row(f, id, "cycling", "", (double)sm.n_cycling, NAN, NAN);
	csv_row(f, id, "mean", "", sm.mean, NAN, NAN);
	csv_row(f, id, "sd", "", sm.sd, NAN, NAN);
	csv_row(f, id, "min", "", sm.min, NAN, NAN);
	csv_row(f, id, "max", "", sm.max, NAN, NAN);
	for (size_t k = 0; k < N_QUANTILES; k++) {
		char name[16];
		snprintf(name, sizeof name, "p%02.0f", 100 * quantiles[k]);
		csv_row(f, id, name, "", pl_sweep_quantile(s, i, quantiles[k]), NAN, NAN);
	}
	const uint64_t *counts;
	double lo, hi;
	size_t nb = pl_sweep_histogram(s, i, &counts, &lo, &hi);
	for (size_t b = 0; b < nb; b++) {
		double w = (hi - lo) / (double)nb;
		csv_row(f, id, "bin", "", (double)counts[b], lo + w * (double)b,
			lo + w * (double)(b + 1));
	}
	const pl_sweep_prob *pr;
	size_t nt = pl_sweep_thresholds(s, i, &pr);
	for (size_t k = 0; k < nt; k++) {
		char name[64];
		if (pr[k].kind == PL_BETWEEN)
			snprintf(name, sizeof name, "p_between_%g_%g", pr[k].value, pr[k].upper);
		else
			snprintf(name, sizeof name, "p_at_%s_%g",
				 pr[k].kind == PL_AT_MOST ? "most" : "least", pr[k].value);
		csv_row(f, id, name, "", pr[k].p, pr[k].lo, pr[k].hi);
	}
	for (size_t k = 0; pl_sweep_has_sensitivity(s) && k < pl_sweep_n_factors(s); k++) {
		pl_sobol x;
		pl_sweep_sobol(s, i, k, &x, NULL);
		const char *label = pl_sweep_factor_label(s, k);
		csv_row(f, id, "first", label, x.first, x.first_lo, x.first_hi);
		if (pl_sweep_sensitivity_method(s) == PL_SENS_DESIGN)
			csv_row(f, id, "total", label, x.total, x.total_lo, x.total_hi);
	}
}
