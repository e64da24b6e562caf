/* sweep_out.c - a sweep's results as a table, JSON or CSV, each with its
 * provenance (engine, parameters, seed, N, parley version, case hash). */
#include "sweep_out.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double sweep_quantiles[SWEEP_N_QUANTILES] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

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

static double total_of(const pl_sweep *s, size_t issue, size_t k)
{
	pl_sobol x;
	if (pl_sweep_sobol(s, issue, k, &x, NULL))
		return 0;
	return x.total;
}

size_t sweep_ranked_factors(const pl_sweep *s, size_t issue, size_t **order)
{
	*order = NULL;
	size_t n = pl_sweep_n_factors(s);
	if (!pl_sweep_has_sensitivity(s) || n == 0)
		return 0;
	size_t *o = malloc(n * sizeof *o);
	double *t = malloc(n * sizeof *t);
	if (!o || !t) {
		free(o);
		free(t);
		return 0;
	}
	for (size_t k = 0; k < n; k++) {
		o[k] = k;
		t[k] = total_of(s, issue, k);
	}
	/* insertion sort: stable, so ties keep the inputs' order */
	for (size_t k = 1; k < n; k++) {
		size_t v = o[k], j = k;
		while (j > 0 && t[o[j - 1]] < t[v]) {
			o[j] = o[j - 1];
			j--;
		}
		o[j] = v;
	}
	free(t);
	*order = o;
	return n;
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
		json_object_set_new(
			j, "nominal",
			jnum(in->kind == PL_INPUT_SALIENCE ? 100 * in->nominal : in->nominal));
		json_object_set_new(j, "dist", json_string(dist_name(in->dist.kind)));
		json_object_set_new(j, in->dist.kind == PL_DIST_UNIFORM ? "half_width" : "sd",
				    jnum(shown_a(in)));
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
	json_object_set_new(j, "nominal", jnum(sm.nominal));
	json_object_set_new(j, "samples", json_integer((json_int_t)sm.n));
	json_object_set_new(j, "failed", json_integer((json_int_t)sm.n_failed));
	json_object_set_new(j, "cycling", json_integer((json_int_t)sm.n_cycling));
	json_object_set_new(j, "mean", jnum(sm.mean));
	json_object_set_new(j, "sd", jnum(sm.sd));
	json_object_set_new(j, "min", jnum(sm.min));
	json_object_set_new(j, "max", jnum(sm.max));
	json_t *q = json_object();
	for (size_t k = 0; k < SWEEP_N_QUANTILES; k++) {
		char name[16];
		snprintf(name, sizeof name, "p%02.0f", 100 * sweep_quantiles[k]);
		json_object_set_new(q, name, jnum(pl_sweep_quantile(s, i, sweep_quantiles[k])));
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
	for (size_t k = 0; k < nt; k++)
		json_array_append_new(t, json_pack("{s:o,s:o,s:[o,o]}", "at_least",
						   jnum(pr[k].value), "p", jnum(pr[k].p), "ci95",
						   jnum(pr[k].lo), jnum(pr[k].hi)));
	json_object_set_new(j, "thresholds", t);
	if (pl_sweep_has_sensitivity(s)) {
		json_t *sens = json_array();
		for (size_t k = 0; k < pl_sweep_n_factors(s); k++) {
			pl_sobol x;
			pl_sweep_sobol(s, i, k, &x, NULL);
			json_array_append_new(sens, json_pack("{s:s,s:o,s:[o,o],s:o,s:[o,o]}",
							      "factor", pl_sweep_factor_label(s, k),
							      "first", jnum(x.first), "first_ci95",
							      jnum(x.first_lo), jnum(x.first_hi),
							      "total", jnum(x.total), "total_ci95",
							      jnum(x.total_lo), jnum(x.total_hi)));
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

json_t *sweep_to_json(const pl_case *c, const pl_sweep *s)
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
		pl_sweep_has_sensitivity(s)
			? json_string("Saltelli et al. 2010 first-order (output centred), "
				      "Jansen 1999 total; "
				      "delta-method 95% intervals")
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

void sweep_print_table(FILE *f, const pl_case *c, const pl_sweep *s, const sweep_out_opts *o)
{
	const pl_case_info *info = pl_case_get_info(c);
	cli_print_text(f, info->title ? info->title : info->id, 80, 0);
	fputc('\n', f);
	fprintf(f, "sweep: engine %s, %llu sample%s, forum %s\n", pl_sweep_engine(s),
		(unsigned long long)pl_sweep_n(s), pl_sweep_n(s) == 1 ? "" : "s",
		pl_sweep_forum(s) ? pl_sweep_forum(s) : "all actors");
	fprintf(f, "case %s sha256 %.12s  parley %s\n", info->id, pl_case_hash(c), pl_version());
	cli_print_run(f, pl_sweep_engine(s), pl_sweep_seed(s), pl_sweep_rounds(s),
		      pl_sweep_params(s));
	fprintf(f, "uncertainty: %s\n\n", pl_sweep_uncertainty_text(s));
	fprintf(f, "%-14s %7s %7s %6s %7s %7s %7s %7s\n", "issue", "nominal", "mean", "sd", "p05",
		"median", "p95", "failed");
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_sweep_summary sm;
		pl_sweep_summary_of(s, i, &sm, NULL);
		fprintf(f, "%-14.14s ", pl_case_issue(c, i)->id);
		cli_print_num(f, sm.nominal, 7, 1);
		fputc(' ', f);
		cli_print_num(f, sm.mean, 7, 1);
		fputc(' ', f);
		if (isnan(sm.sd) && sm.n > 0)
			fprintf(f, "%6s", "n/a"); /* one sample: no spread to tell */
		else
			cli_print_num(f, sm.sd, 6, 1);
		fputc(' ', f);
		cli_print_num(f, pl_sweep_quantile(s, i, 0.05), 7, 1);
		fputc(' ', f);
		cli_print_num(f, pl_sweep_quantile(s, i, 0.5), 7, 1);
		fputc(' ', f);
		cli_print_num(f, pl_sweep_quantile(s, i, 0.95), 7, 1);
		fprintf(f, " %7llu\n", (unsigned long long)sm.n_failed);
		if (sm.n_cycling > 0)
			fprintf(f,
				"    %.1f %% of samples end cycling between forecasts (the "
				"last round's counts)\n",
				100.0 * (double)sm.n_cycling / (double)sm.n);
		const pl_sweep_prob *pr;
		size_t nt = pl_sweep_thresholds(s, i, &pr);
		for (size_t k = 0; k < nt; k++)
			fprintf(f, "    P(forecast >= %g) = %.3f  [%.3f, %.3f]\n", pr[k].value,
				pr[k].p, pr[k].lo, pr[k].hi);
	}
	if (!pl_sweep_has_sensitivity(s) || o->top <= 0)
		return;
	fprintf(f, "\nsensitivity: first-order S and total ST with 95%% intervals\n");
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		size_t *order;
		size_t n = sweep_ranked_factors(s, i, &order);
		fprintf(f, "  %s\n", pl_case_issue(c, i)->id);
		for (size_t r = 0; r < n && r < (size_t)o->top; r++) {
			pl_sobol x;
			pl_sweep_sobol(s, i, order[r], &x, NULL);
			if (isnan(x.total)) {
				fprintf(f, "    n/a: the indices need 2 samples or more\n");
				break;
			}
			fprintf(f, "    %-28.28s S %5.2f [%5.2f,%5.2f]  ST %5.2f [%5.2f,%5.2f]\n",
				pl_sweep_factor_label(s, order[r]), x.first, x.first_lo, x.first_hi,
				x.total, x.total_lo, x.total_hi);
		}
		free(order);
	}
}
