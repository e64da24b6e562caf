/* stack.c - stacking the engines of a backtest (docs/validity.md): convex
 * weights on the engines' forecasts and the scale's midpoint that minimise
 * the mean absolute error, searched exhaustively on a grid of steps of
 * 1/STEPS (no random numbers: the same data give the same weights), and
 * their leave-one-case-out cross-validation: each case's issues forecast
 * with weights fitted on the other cases only. */
#include "analysis/backtest_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEPS 10

struct pl_stack {
	size_t n_comp;		/* components: engines, then the midpoint */
	const char **name;	/* engine names (static) and "midpoint" */
	size_t *engine;		/* backtest engine index, or (size_t)-1 */
	double *weight;		/* fitted on every issue */
	char *weights_text;
	size_t n_issues, n_folds;
	double in_sample_mae, heldout_mae, spread80;
	double *heldout;	/* per backtest issue: held-out forecast, 0-100 */
	const pl_backtest *b;
};

typedef struct fit_data {
	size_t n_comp, n;  /* components, issues */
	const double *F;   /* n x n_comp, 0-100, NAN when not available */
	const double *y;   /* n outcomes, 0-100 */
	const int *use;	   /* n: 1 when the issue is in the training set */
} fit_data;

static double predict(const double *F, const double *w, size_t n_comp)
{
	double num = 0, den = 0;
	for (size_t c = 0; c < n_comp; c++)
		if (!isnan(F[c]) && w[c] > 0) {
			num += w[c] * F[c];
			den += w[c];
		}
	return den > 0 ? num / den : 50;
}

static double mae_of(const fit_data *d, const double *w)
{
	double sum = 0;
	size_t n = 0;
	for (size_t k = 0; k < d->n; k++)
		if (d->use[k]) {
			sum += fabs(predict(d->F + k * d->n_comp, w, d->n_comp) - d->y[k]);
			n++;
		}
	return n ? sum / (double)n : NAN;
}

/* Every way of giving `left` grid steps to components c..n_comp-1. */
static void search(const fit_data *d, size_t c, int left, int *units, double *w, double *best_w,
		   double *best)
{
	if (c == d->n_comp - 1) {
		units[c] = left;
		for (size_t j = 0; j < d->n_comp; j++)
			w[j] = units[j] / (double)STEPS;
		double m = mae_of(d, w);
		if (m < *best - 1e-12) {
			*best = m;
			memcpy(best_w, w, d->n_comp * sizeof *w);
		}
		return;
	}
	for (int u = left; u >= 0; u--) {
		units[c] = u;
		search(d, c + 1, left - u, units, w, best_w, best);
	}
}

static int fit(const fit_data *d, double *best_w)
{
	int *units = calloc(d->n_comp, sizeof *units);
	double *w = calloc(d->n_comp, sizeof *w);
	if (!units || !w) {
		free(units);
		free(w);
		return PL_ENOMEM;
	}
	double best = INFINITY;
	for (size_t c = 0; c < d->n_comp; c++)
		best_w[c] = c == 0;
	search(d, 0, STEPS, units, w, best_w, &best);
	free(units);
	free(w);
	return PL_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void pl_stack_free(pl_stack *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->engine);
	free(s->weight);
	free(s->weights_text);
	free(s->heldout);
	free(s);
}

int pl__backtest_stack(pl_stack **out, const pl_backtest *b, pl_error *err)
{
	*out = NULL;
	pl_stack *s = calloc(1, sizeof *s);
	size_t ne = b->n_engines, n = b->n_issues;
	if (!s)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	s->b = b;
	s->name = calloc(ne + 1, sizeof *s->name);
	s->engine = calloc(ne + 1, sizeof *s->engine);
	s->weight = calloc(ne + 1, sizeof *s->weight);
	s->heldout = calloc(n ? n : 1, sizeof *s->heldout);
	double *F = calloc((n ? n : 1) * (ne + 1), sizeof *F);
	double *y = calloc(n ? n : 1, sizeof *y), *ae = calloc(n ? n : 1, sizeof *ae);
	int *use = calloc(n ? n : 1, sizeof *use);
	double *w = calloc(ne + 1, sizeof *w);
	int rc = PL_OK;
	if (!s->name || !s->engine || !s->weight || !s->heldout || !F || !y || !ae || !use || !w)
		rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	for (size_t e = 0; !rc && e < ne; e++)
		if (strcmp(pl_engine_name(b->engines[e]), "ensemble") != 0) {
			s->engine[s->n_comp] = e;
			s->name[s->n_comp++] = pl_engine_name(b->engines[e]);
		}
	if (!rc) {
		s->engine[s->n_comp] = (size_t)-1;
		s->name[s->n_comp++] = "midpoint";
	}
	/* the forecasts and outcomes on 0-100 */
	for (size_t k = 0; !rc && k < n; k++) {
		const pl_case *c = b->set->cases[b->issues[k].case_index];
		const pl_issue *is = pl_case_issue(c, b->issues[k].issue);
		double range = is->max - is->min;
		y[k] = 100 * (b->issues[k].outcome - is->min) / range;
		for (size_t j = 0; j < s->n_comp; j++) {
			double f = s->engine[j] == (size_t)-1
					   ? is->min + range / 2
					   : b->cells[k * ne + s->engine[j]].forecast;
			F[k * s->n_comp + j] = isnan(f) ? NAN : 100 * (f - is->min) / range;
		}
	}
	fit_data d = {s->n_comp, n, F, y, use};
	/* every issue: the weights shipped */
	for (size_t k = 0; k < n; k++)
		use[k] = 1;
	s->n_issues = n;
	if (!rc && fit(&d, s->weight))
		rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	if (!rc)
		s->in_sample_mae = mae_of(&d, s->weight);
	/* leave one case out */
	for (size_t ci = 0; !rc && ci < b->set->n; ci++) {
		if (!b->case_count[ci])
			continue;
		s->n_folds++;
		for (size_t k = 0; k < n; k++)
			use[k] = b->issues[k].case_index != ci;
		int any = 0;
		for (size_t k = 0; k < n; k++)
			any |= use[k];
		if (!any) { /* one case only: nothing to learn from, the midpoint */
			for (size_t j = 0; j < s->n_comp; j++)
				w[j] = j == s->n_comp - 1;
		} else if (fit(&d, w)) {
			rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
			break;
		}
		for (size_t k = b->case_first[ci]; k < b->case_first[ci] + b->case_count[ci]; k++)
			s->heldout[k] = predict(F + k * s->n_comp, w, s->n_comp);
	}
	if (!rc && n) {
		double sum = 0;
		for (size_t k = 0; k < n; k++) {
			ae[k] = fabs(s->heldout[k] - y[k]);
			sum += ae[k];
		}
		s->heldout_mae = sum / (double)n;
		qsort(ae, n, sizeof *ae, cmp_double);
		/* the 80 % quantile of the held-out errors (the lower one of a pair) */
		size_t q = (size_t)ceil(0.8 * (double)n);
		s->spread80 = ae[q ? q - 1 : 0];
	}
	/* "compromise:0.3,median:0.1,..." */
	if (!rc) {
		size_t cap = 32;
		for (size_t j = 0; j < s->n_comp; j++)
			cap += strlen(s->name[j]) + 8;
		s->weights_text = malloc(cap);
		if (!s->weights_text)
			rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		else {
			size_t used = 0;
			s->weights_text[0] = '\0';
			for (size_t j = 0; j < s->n_comp; j++)
				used += (size_t)snprintf(s->weights_text + used, cap - used, "%s%s:%g",
							 j ? "," : "", s->name[j], s->weight[j]);
		}
	}
	free(F);
	free(y);
	free(ae);
	free(use);
	free(w);
	if (rc) {
		pl_stack_free(s);
		return rc;
	}
	*out = s;
	return PL_OK;
}

size_t pl_stack_n_components(const pl_stack *s)
{
	return s->n_comp;
}

const char *pl_stack_component(const pl_stack *s, size_t i)
{
	return i < s->n_comp ? s->name[i] : NULL;
}

double pl_stack_weight(const pl_stack *s, size_t i)
{
	return i < s->n_comp ? s->weight[i] : NAN;
}

const char *pl_stack_weights_text(const pl_stack *s)
{
	return s->weights_text;
}

size_t pl_stack_n_folds(const pl_stack *s)
{
	return s->n_folds;
}

size_t pl_stack_n_issues(const pl_stack *s)
{
	return s->n_issues;
}

double pl_stack_in_sample_mae(const pl_stack *s)
{
	return s->in_sample_mae;
}

double pl_stack_heldout_mae(const pl_stack *s)
{
	return s->heldout_mae;
}

double pl_stack_spread80(const pl_stack *s)
{
	return s->spread80;
}

double pl_stack_heldout(const pl_stack *s, size_t k)
{
	return k < s->n_issues ? s->heldout[k] : NAN;
}

int pl_stack_versus(const pl_stack *s, size_t e, pl_stack_versus_engine *out, pl_error *err)
{
	const pl_backtest *b = s->b;
	if (e >= b->n_engines)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "no engine %zu in the backtest", e);
	double se = 0, ss = 0;
	size_t n = 0;
	for (size_t k = 0; k < b->n_issues; k++) {
		const pl__bt_cell *x = &b->cells[k * b->n_engines + e];
		if (isnan(x->forecast))
			continue;
		const pl_case *c = b->set->cases[b->issues[k].case_index];
		const pl_issue *is = pl_case_issue(c, b->issues[k].issue);
		double y = 100 * (b->issues[k].outcome - is->min) / (is->max - is->min);
		se += fabs(x->error);
		ss += fabs(s->heldout[k] - y);
		n++;
	}
	out->n = n;
	out->engine_mae = n ? se / (double)n : NAN;
	out->stack_mae = n ? ss / (double)n : NAN;
	return PL_OK;
}
