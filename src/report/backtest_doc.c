/* backtest_doc.c - the documents of a backtest (include/parley/backtest.h,
 * docs/validity.md): JSON with one score object per engine ({"engine", "n",
 * "mae", ...}: these keys are a contract) and the issues, and CSV with one row
 * per issue and engine for plots. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *score_json(const pl_backtest *b, size_t e)
{
	pl_backtest_score s;
	json_t *o = json_object();
	pl_backtest_score_of(b, e, &s, NULL);
	json_object_set_new(o, "engine", json_string(pl_engine_name(pl_backtest_engine(b, e))));
	json_object_set_new(o, "n", json_integer((json_int_t)s.n));
	json_object_set_new(o, "mae", pl__report_jnum(s.mae));
	json_object_set_new(o, "rmse", pl__report_jnum(s.rmse));
	json_object_set_new(o, "median_ae", pl__report_jnum(s.median_ae));
	json_object_set_new(o, "bias", pl__report_jnum(s.bias));
	json_object_set_new(o, "closest", pl__report_jnum(s.closest));
	json_object_set_new(o, "within_10", pl__report_jnum(s.within_10));
	json_object_set_new(o, "skipped", json_integer((json_int_t)s.n_skipped));
	if (pl_backtest_sweep(b)) {
		json_object_set_new(o, "calibrated", json_integer((json_int_t)s.n_calibrated));
		json_object_set_new(o, "in_50", pl__report_jnum(s.in_50));
		json_object_set_new(o, "in_80", pl__report_jnum(s.in_80));
		json_object_set_new(o, "crps", pl__report_jnum(s.crps));
	}
	json_object_set_new(o, "params", json_string(pl_backtest_params_text(b, e)));
	return o;
}

static json_t *issue_json(const pl_backtest *b, size_t k, json_t *skipped)
{
	pl_backtest_issue bi;
	pl_backtest_issue_of(b, k, &bi, NULL);
	const pl_case_set *set = pl_backtest_set(b);
	const char *cname = pl_case_set_name(set, bi.case_index);
	const pl_case *c = pl_case_set_case(set, bi.case_index);
	const pl_issue *is = pl_case_issue(c, bi.issue);
	json_t *o = json_object(), *scale = json_array(), *fc = json_object(),
	       *er = json_object();
	json_object_set_new(o, "case", json_string(cname));
	json_object_set_new(o, "case_id", json_string(pl_case_get_info(c)->id));
	json_object_set_new(o, "case_sha256", json_string(pl_case_hash(c)));
	json_object_set_new(o, "issue", json_string(is->id));
	json_array_append_new(scale, json_real(is->min));
	json_array_append_new(scale, json_real(is->max));
	json_object_set_new(o, "scale", scale);
	json_object_set_new(o, "outcome", json_real(bi.outcome));
	json_t *iv = pl_backtest_sweep(b) ? json_object() : NULL;
	for (size_t e = 0; e < pl_backtest_n_engines(b); e++) {
		pl_backtest_cell x;
		pl_backtest_cell_of(b, k, e, &x, NULL);
		const char *name = pl_engine_name(pl_backtest_engine(b, e));
		json_object_set_new(fc, name, pl__report_jnum(x.forecast));
		json_object_set_new(er, name, pl__report_jnum(x.error));
		if (iv && !isnan(x.crps)) {
			json_t *q = json_object(), *i50 = json_array(), *i80 = json_array();
			json_array_append_new(i50, json_real(x.q25));
			json_array_append_new(i50, json_real(x.q75));
			json_array_append_new(i80, json_real(x.q10));
			json_array_append_new(i80, json_real(x.q90));
			json_object_set_new(q, "50", i50);
			json_object_set_new(q, "80", i80);
			json_object_set_new(q, "crps", pl__report_jnum(x.crps));
			json_object_set_new(iv, name, q);
		}
		if (x.why) {
			json_t *s = json_object();
			json_object_set_new(s, "engine", json_string(name));
			json_object_set_new(s, "case", json_string(cname));
			json_object_set_new(s, "issue", json_string(is->id));
			json_object_set_new(s, "reason", json_string(x.why));
			json_array_append_new(skipped, s);
		}
	}
	json_object_set_new(o, "forecasts", fc);
	json_object_set_new(o, "errors", er);
	if (iv)
		json_object_set_new(o, "intervals", iv);
	if (pl_backtest_stacking(b))
		json_object_set_new(o, "stack_heldout",
				    json_real(is->min + (is->max - is->min) *
						  pl_stack_heldout(pl_backtest_stacking(b), k) / 100));
	return o;
}

static json_t *stack_json(const pl_backtest *b, const pl_stack *st)
{
	json_t *o = json_object(), *comp = json_array(), *vs = json_array();
	json_object_set_new(o, "method",
			    json_string("convex weights in steps of 0.1 minimising the mean "
					"absolute error (exhaustive search); leave-one-case-out "
					"cross-validation"));
	for (size_t j = 0; j < pl_stack_n_components(st); j++) {
		json_t *c = json_object();
		json_object_set_new(c, "component", json_string(pl_stack_component(st, j)));
		json_object_set_new(c, "weight", json_real(pl_stack_weight(st, j)));
		json_array_append_new(comp, c);
	}
	json_object_set_new(o, "weights", comp);
	json_object_set_new(o, "weights_param", json_string(pl_stack_weights_text(st)));
	json_object_set_new(o, "issues", json_integer((json_int_t)pl_stack_n_issues(st)));
	json_object_set_new(o, "folds", json_integer((json_int_t)pl_stack_n_folds(st)));
	json_object_set_new(o, "in_sample_mae", pl__report_jnum(pl_stack_in_sample_mae(st)));
	json_object_set_new(o, "heldout_mae", pl__report_jnum(pl_stack_heldout_mae(st)));
	json_object_set_new(o, "spread80", pl__report_jnum(pl_stack_spread80(st)));
	for (size_t e = 0; e < pl_backtest_n_engines(b); e++) {
		pl_stack_versus_engine v;
		pl_stack_versus(st, e, &v, NULL);
		json_t *x = json_object();
		json_object_set_new(x, "engine", json_string(pl_engine_name(pl_backtest_engine(b, e))));
		json_object_set_new(x, "n", json_integer((json_int_t)v.n));
		json_object_set_new(x, "engine_mae", pl__report_jnum(v.engine_mae));
		json_object_set_new(x, "stack_heldout_mae", pl__report_jnum(v.stack_mae));
		json_array_append_new(vs, x);
	}
	json_object_set_new(o, "versus", vs);
	return o;
}

int pl_backtest_json(char **out, const pl_backtest *b, pl_error *err)
{
	json_t *root = json_object(), *engines = json_array(), *issues = json_array(),
	       *skipped = json_array(), *run = json_object();
	json_object_set_new(root, "parley", json_string(pl_version()));
	json_object_set_new(run, "cases", json_integer((json_int_t)pl_backtest_n_cases(b)));
	json_object_set_new(run, "cases_with_outcomes",
			    json_integer((json_int_t)pl_backtest_n_cases_used(b)));
	json_object_set_new(run, "issues", json_integer((json_int_t)pl_backtest_n_issues(b)));
	json_object_set_new(run, "seed", json_integer((json_int_t)pl_backtest_seed(b)));
	json_object_set_new(run, "rounds", json_integer(pl_backtest_rounds(b)));
	json_object_set_new(run, "sweep", json_integer((json_int_t)pl_backtest_sweep(b)));
	json_object_set_new(run, "errors",
			    json_string("points of the issue's scale taken as 0-100: "
					"100 (forecast - outcome) / (max - min)"));
	json_object_set_new(root, "backtest", run);
	for (size_t e = 0; e < pl_backtest_n_engines(b); e++)
		json_array_append_new(engines, score_json(b, e));
	json_object_set_new(root, "engines", engines);
	for (size_t k = 0; k < pl_backtest_n_issues(b); k++)
		json_array_append_new(issues, issue_json(b, k, skipped));
	json_object_set_new(root, "issues", issues);
	json_object_set_new(root, "skipped", skipped);
	if (pl_backtest_stacking(b))
		json_object_set_new(root, "stacking", stack_json(b, pl_backtest_stacking(b)));
	return pl__report_dump(out, root, err);
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
	char n[PL__NUM_MAX];
	fputc(',', f);
	if (isfinite(v))
		fputs(pl__fmt_shortest(n, v), f);
}

int pl_backtest_csv(char **out, const pl_backtest *b, pl_error *err)
{
	pl__report_text t;
	int rc = pl__report_text_open(&t, err);
	if (rc) {
		*out = NULL;
		return rc;
	}
	FILE *f = t.f;
	const pl_case_set *set = pl_backtest_set(b);
	fprintf(f, "# parley %s; backtest of %zu issues in %zu of %zu cases; seed %llu; sweep %llu\n",
		pl_version(), pl_backtest_n_issues(b), pl_backtest_n_cases_used(b),
		pl_backtest_n_cases(b), (unsigned long long)pl_backtest_seed(b),
		(unsigned long long)pl_backtest_sweep(b));
	for (size_t e = 0; e < pl_backtest_n_engines(b); e++)
		fprintf(f, "# engine %s; params %s\n", pl_engine_name(pl_backtest_engine(b, e)),
			pl_backtest_params_text(b, e));
	fputs("# error = 100 (forecast - outcome) / (max - min)\n", f);
	fputs("case,issue,engine,outcome,forecast,error,q10,q25,q75,q90,crps,skipped\n", f);
	for (size_t k = 0; k < pl_backtest_n_issues(b); k++) {
		pl_backtest_issue bi;
		pl_backtest_issue_of(b, k, &bi, NULL);
		const pl_case *c = pl_case_set_case(set, bi.case_index);
		for (size_t e = 0; e < pl_backtest_n_engines(b); e++) {
			pl_backtest_cell x;
			pl_backtest_cell_of(b, k, e, &x, NULL);
			csv_field(f, pl_case_set_name(set, bi.case_index));
			fputc(',', f);
			csv_field(f, pl_case_issue(c, bi.issue)->id);
			fprintf(f, ",%s", pl_engine_name(pl_backtest_engine(b, e)));
			csv_num(f, bi.outcome);
			csv_num(f, x.forecast);
			csv_num(f, x.error);
			csv_num(f, x.q10);
			csv_num(f, x.q25);
			csv_num(f, x.q75);
			csv_num(f, x.q90);
			csv_num(f, x.crps);
			fputc(',', f);
			if (x.why)
				csv_field(f, x.why);
			fputc('\n', f);
		}
	}
	return pl__report_text_close(out, &t, err);
}
