/* sweep_out.c - a sweep's results as a table with its provenance (engine,
 * parameters, seed, N, parley version, case hash); the JSON and CSV
 * documents come from the library (pl_sweep_json, pl_sweep_csv). */
#include "sweep_out.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What the factors are ranked by: the total index, or the first-order one
 * where there is no total (given data). */
static double total_of(const pl_sweep *s, size_t issue, size_t k)
{
	pl_sobol x;
	if (pl_sweep_sobol(s, issue, k, &x, NULL))
		return 0;
	return pl_sweep_sensitivity_method(s) == PL_SENS_GIVEN ? x.first : x.total;
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
/* The columns mean, sd, 5 %, median, 95 % and failed of issue i's row. */
static void print_spread(FILE *f, const pl_sweep *s, size_t i, const pl_sweep_summary *sm)
{
	cli_print_num(f, sm->mean, 7, 1);
	fputc(' ', f);
	if (isnan(sm->sd) && sm->n > 0)
		fprintf(f, "%6s", "n/a"); /* one sample: no spread to tell */
	else
		cli_print_num(f, sm->sd, 6, 1);
	fputc(' ', f);
	cli_print_num(f, pl_sweep_quantile(s, i, 0.05), 7, 1);
	fputc(' ', f);
	cli_print_num(f, pl_sweep_quantile(s, i, 0.5), 7, 1);
	fputc(' ', f);
	cli_print_num(f, pl_sweep_quantile(s, i, 0.95), 7, 1);
	fprintf(f, " %7llu\n", (unsigned long long)sm->n_failed);
}


void sweep_print_table(FILE *f, const pl_case *c, const pl_sweep *s, const sweep_out_opts *o)
{
	const pl_case_info *info = pl_case_get_info(c);
	cli_print_text(f, info->title ? info->title : info->id, 80, 0);
	fputc('\n', f);
	fprintf(f, "sweep: engine %s, %llu sample%s, forum %s\n", pl_sweep_engine(s),
		(unsigned long long)pl_sweep_n(s), pl_sweep_n(s) == 1 ? "" : "s",
		pl_sweep_forum(s) ? pl_sweep_forum(s) : "all actors");
	if (o->engine_default || o->seed_default) {
		char line[512];
		snprintf(line, sizeof line,
			 "(%s%s%s: a sweep runs one engine, where 'parley forecast' runs every "
			 "engine with seed 0; -e and -s choose)",
			 o->engine_default ? "engine compromise" : "",
			 o->engine_default && o->seed_default ? " and " : "",
			 o->seed_default ? "seed 1 are sweep's defaults" : " is sweep's default");
		if (o->engine_default && !o->seed_default)
			snprintf(line, sizeof line,
				 "(engine compromise is sweep's default: a sweep runs one engine, "
				 "where 'parley forecast' runs every engine; -e chooses)");
		else if (!o->engine_default)
			snprintf(line, sizeof line,
				 "(seed 1 is sweep's default, where 'parley forecast' and 'parley "
				 "compare' use seed 0; -s chooses)");
		cli_print_wrapped(f, line, 0, 1);
	}
	fprintf(f, "case %s sha256 %.12s  parley %s\n", info->id, pl_case_hash(c), pl_version());
	cli_print_run(f, pl_sweep_engine(s), pl_sweep_seed(s), pl_sweep_rounds(s),
		      pl_sweep_params(s));
	fprintf(f, "uncertainty: %s\n", pl_sweep_uncertainty_text(s));
	cli_print_wrapped(f,
			  "nominal: the forecast of the case as written; mean, sd, p05, median, "
			  "p95: of the forecasts over the samples (90% of them between p05 and "
			  "p95); failed: samples the engine could not run; [lo, hi]: 95% "
			  "interval",
			  0, 0);
	fputc('\n', f);
	fprintf(f, "%-14s %7s %7s %6s %7s %7s %7s %7s\n", "issue", "nominal", "mean", "sd", "p05",
		"median", "p95", "failed");
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_sweep_summary sm;
		pl_sweep_summary_of(s, i, &sm, NULL);
		fprintf(f, "%-14.14s ", pl_case_issue(c, i)->id);
		cli_print_num(f, sm.nominal, 7, 1);
		fputc(' ', f);
		print_spread(f, s, i, &sm);
		if (sm.n_cycling > 0)
			fprintf(f,
				"    %.1f %% of samples end cycling between forecasts (the %s "
				"counts)\n",
				100.0 * (double)sm.n_cycling / (double)sm.n,
				strstr(pl_sweep_params(s), "cycle=last") ? "last round"
									 : "cycle's mean");
		const pl_sweep_prob *pr;
		size_t nt = pl_sweep_thresholds(s, i, &pr);
		for (size_t k = 0; k < nt; k++) {
			char what[96];
			if (pr[k].kind == PL_BETWEEN)
				snprintf(what, sizeof what, "%g <= forecast <= %g", pr[k].value,
					 pr[k].upper);
			else
				snprintf(what, sizeof what, "forecast %s %g",
					 pr[k].kind == PL_AT_MOST ? "<=" : ">=", pr[k].value);
			fprintf(f, "    P(%s) = %.3f  [%.3f, %.3f]\n", what, pr[k].p, pr[k].lo,
				pr[k].hi);
		}
	}
	if (!pl_sweep_has_sensitivity(s) || o->top <= 0)
		return;
	int given = pl_sweep_sensitivity_method(s) == PL_SENS_GIVEN;
	fprintf(f, "\nsensitivity: %s\n",
		given ? "first-order S from given data (no extra runs), 95% intervals"
		      : "first-order S and total ST with 95% intervals");
	if (given)
		cli_print_wrapped(f,
				  "(S: the share of the forecast's variance an input causes alone, "
				  "estimated from the samples themselves; in [0, 1], the largest "
				  "first; a small negative S is sampling noise: read 0; "
				  "--sensitivity design adds the total index ST)",
				  0, 1);
	else
		cli_print_wrapped(f,
				  "(S: the share of the forecast's variance an input causes alone; ST: "
				  "alone and with the others, so ST - S is its share through "
				  "interactions; both in [0, 1], the largest ST first; a small negative "
				  "S is sampling noise: read 0)",
				  0, 1);
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		size_t *order;
		size_t n = sweep_ranked_factors(s, i, &order);
		fprintf(f, "  %s\n", pl_case_issue(c, i)->id);
		for (size_t r = 0; r < n && r < (size_t)o->top; r++) {
			pl_sobol x;
			pl_sweep_sobol(s, i, order[r], &x, NULL);
			if (isnan(x.first)) {
				fprintf(f, "    n/a: the indices need 2 samples or more\n");
				break;
			}
			if (given)
				fprintf(f, "    %-28.28s S %5.2f [%5.2f,%5.2f]\n",
					pl_sweep_factor_label(s, order[r]), x.first, x.first_lo,
					x.first_hi);
			else
				fprintf(f,
					"    %-28.28s S %5.2f [%5.2f,%5.2f]  ST %5.2f [%5.2f,%5.2f]\n",
					pl_sweep_factor_label(s, order[r]), x.first, x.first_lo,
					x.first_hi, x.total, x.total_lo, x.total_hi);
		}
		free(order);
	}
}

void sweep_print_over_table(FILE *f, const pl_case *c, const pl_sweep_over *ov)
{
	const pl_case_info *info = pl_case_get_info(c);
	const pl_sweep *s0 = pl_sweep_over_sweep(ov, 0);
	cli_print_text(f, info->title ? info->title : info->id, 80, 0);
	fputc('\n', f);
	fprintf(f, "sweep over %s: engine %s, %zu value%s x %llu sample%s, forum %s\n",
		pl_sweep_over_param(ov), pl_sweep_engine(s0), pl_sweep_over_n(ov),
		pl_sweep_over_n(ov) == 1 ? "" : "s", (unsigned long long)pl_sweep_n(s0),
		pl_sweep_n(s0) == 1 ? "" : "s",
		pl_sweep_forum(s0) ? pl_sweep_forum(s0) : "all actors");
	fprintf(f, "case %s sha256 %.12s  parley %s\n", info->id, pl_case_hash(c), pl_version());
	cli_print_run(f, pl_sweep_engine(s0), pl_sweep_seed(s0), pl_sweep_rounds(s0),
		      pl_sweep_params(s0));
	fprintf(f, "uncertainty: %s\n\n", pl_sweep_uncertainty_text(s0));
	fprintf(f, "%-8s %-14s %7s %6s %7s %7s %7s %7s\n", pl_sweep_over_param(ov), "issue", "mean",
		"sd", "p05", "median", "p95", "failed");
	for (size_t k = 0; k < pl_sweep_over_n(ov); k++) {
		const pl_sweep *s = pl_sweep_over_sweep(ov, k);
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			pl_sweep_summary sm;
			pl_sweep_summary_of(s, i, &sm, NULL);
			fprintf(f, "%-8.8s %-14.14s ", pl_sweep_over_value(ov, k),
				pl_case_issue(c, i)->id);
			print_spread(f, s, i, &sm);
		}
	}
}
