/* compare.c - forum formats side by side: every engine under every format,
 * the change against a baseline format, each actor's utility and gain, and
 * whether the outcome is stable across engines and rounds
 * (docs/analysis/forums.md). */
#include "parley/analysis.h"
#include "analysis/compare_records.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Limits for "stable", as fractions of the issue's range (forums.md). */
#define ENGINE_SPREAD_LIMIT 0.10
#define ROUND_SPREAD_LIMIT  0.02

struct pl_compare {
	const pl_case *c;
	size_t nf, ne, ni, na, baseline;
	pl_result **results;	/* nf x ne */
	char **why;		/* nf x ne */
	pl_compare_cell *cells; /* nf x ni */
	double *util;		/* nf x na x ni */
};

void pl_compare_free(pl_compare *cmp)
{
	if (!cmp)
		return;
	for (size_t k = 0; k < cmp->nf * cmp->ne; k++) {
		pl_result_free(cmp->results[k]);
		free(cmp->why[k]);
	}
	free(cmp->results);
	free(cmp->why);
	free(cmp->cells);
	free(cmp->util);
	free(cmp);
}

static const pl_outcome *outcome_for(const pl_result *r, size_t issue)
{
	for (size_t k = 0; r && k < pl_result_n_outcomes(r); k++)
		if (pl_result_outcome(r, k)->issue == issue)
			return pl_result_outcome(r, k);
	return NULL;
}

/* max - min of the round forecasts over the last quarter of the rounds. */
static double round_spread(const pl_outcome *o)
{
	if (o->n_rounds == 0)
		return 0;
	size_t tail = (o->n_rounds + 3) / 4;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t r = o->n_rounds - tail; r <= o->n_rounds; r++) {
		lo = fmin(lo, o->round_forecast[r]);
		hi = fmax(hi, o->round_forecast[r]);
	}
	return hi - lo;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The largest number of engines whose forecasts on issue i under format f
 * lie within `within` of one another (a window slid over them sorted). */
static size_t agreeing(const pl_compare *cmp, size_t f, size_t i, double within)
{
	double v[64];
	size_t n = 0, best = 0;
	for (size_t e = 0; e < cmp->ne && n < sizeof v / sizeof v[0]; e++) {
		const pl_outcome *o = outcome_for(cmp->results[f * cmp->ne + e], i);
		if (o && isfinite(o->forecast))
			v[n++] = o->forecast;
	}
	qsort(v, n, sizeof v[0], cmp_double);
	for (size_t lo = 0, hi = 0; hi < n; hi++) {
		while (v[hi] - v[lo] > within * (1 + 1e-12))
			lo++;
		if (hi - lo + 1 > best)
			best = hi - lo + 1;
	}
	return best;
}

static void fill_cell(pl_compare *cmp, size_t f, size_t i)
{
	const pl_issue *is = pl_case_issue(cmp->c, i);
	double range = is->max - is->min, sum = 0, lo = INFINITY, hi = -INFINITY, rs = 0;
	size_t n = 0;
	for (size_t e = 0; e < cmp->ne; e++) {
		const pl_outcome *o = outcome_for(cmp->results[f * cmp->ne + e], i);
		if (!o || !isfinite(o->forecast))
			continue;
		sum += o->forecast;
		lo = fmin(lo, o->forecast);
		hi = fmax(hi, o->forecast);
		rs = fmax(rs, round_spread(o));
		n++;
	}
	pl_compare_cell *cell = &cmp->cells[f * cmp->ni + i];
	cell->n_engines = n;
	cell->n_agree = agreeing(cmp, f, i, ENGINE_SPREAD_LIMIT * range);
	cell->forecast = n ? sum / (double)n : NAN;
	cell->engine_spread = n ? hi - lo : NAN;
	cell->round_spread = n ? rs : NAN;
	cell->stable = n && cell->engine_spread <= ENGINE_SPREAD_LIMIT * range &&
		       rs <= ROUND_SPREAD_LIMIT * range;
	for (size_t a = 0; a < cmp->na; a++) {
		const pl_stance *s = pl_case_stance(cmp->c, a, i);
		double u = 0;
		size_t m = 0;
		for (size_t e = 0; s->present && e < cmp->ne; e++) {
			const pl_outcome *o = outcome_for(cmp->results[f * cmp->ne + e], i);
			if (!o || !isfinite(o->forecast))
				continue;
			u += -s->salience * fabs(o->forecast - s->position) / range;
			m++;
		}
		cmp->util[(f * cmp->na + a) * cmp->ni + i] = m ? u / (double)m : NAN;
	}
}

static int run_all(pl_compare *cmp, const pl_compare_options *o, const pl__cmp_records *rec,
		   pl_error *err)
{
	for (size_t f = 0; f < cmp->nf; f++)
		for (size_t e = 0; e < cmp->ne; e++) {
			pl_run_options ro;
			pl_run_options_init(&ro);
			ro.forum = o->forums[f];
			ro.rounds = o->rounds;
			ro.seed = o->seed;
			ro.params = pl__cmp_records_params(rec, o, f, e);
			pl_error why;
			pl_error_clear(&why);
			size_t k = f * cmp->ne + e;
			int rc = pl_forecast(cmp->c, o->engines[e], &ro, &cmp->results[k], &why);
			if (pl_forecast_cannot_run(o->engines[e], &ro, rc)) {
				/* an engine that cannot take this format (no one at the
				 * table on some issue; smp without every stance): not run,
				 * with the reason, as parley forecast skips it */
				char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
				cmp->why[k] = strdup(pl_error_format(&why, buf, sizeof buf));
				if (!cmp->why[k])
					return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
				continue;
			}
			if (rc) {
				pl_error_set(err, rc, why.where, "%s", why.message);
				return rc;
			}
		}
	for (size_t k = 0; k < cmp->nf * cmp->ne; k++)
		if (cmp->results[k])
			return PL_OK;
	/* nothing to compare: as parley forecast when no engine can run */
	return pl_error_set(err, PL_EINPUT, NULL, "no engine can run under any format compared: %s",
			    cmp->why[0]);
}

int pl_compare_run(const pl_case *c, const pl_compare_options *o, pl_compare **out, pl_error *err)
{
	*out = NULL;
	if (o->n_forums == 0 || o->n_engines == 0)
		return pl_error_set(err, PL_EINPUT, NULL, "compare needs a forum and an engine");
	if (o->baseline >= o->n_forums)
		return pl_error_set(err, PL_EINPUT, NULL, "baseline %zu out of range", o->baseline);
	for (size_t f = 0; f < o->n_forums; f++)
		if (o->forums[f] != PL_NO_FORUM && o->forums[f] >= pl_case_n_forums(c))
			return pl_error_set(err, PL_ENOTFOUND, NULL, "forum index %zu out of range",
					    o->forums[f]);
	pl_compare *cmp = calloc(1, sizeof *cmp);
	if (!cmp)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	cmp->c = c;
	cmp->nf = o->n_forums;
	cmp->ne = o->n_engines;
	cmp->ni = pl_case_n_issues(c);
	cmp->na = pl_case_n_actors(c);
	cmp->baseline = o->baseline;
	cmp->results = calloc(cmp->nf * cmp->ne, sizeof *cmp->results);
	cmp->why = calloc(cmp->nf * cmp->ne, sizeof *cmp->why);
	cmp->cells = calloc(cmp->nf * cmp->ni + 1, sizeof *cmp->cells);
	cmp->util = calloc(cmp->nf * cmp->na * cmp->ni + 1, sizeof *cmp->util);
	/* an engine's record (smp's log=FILE): a part file per forum, joined */
	pl__cmp_records *rec = NULL;
	int rc = (!cmp->results || !cmp->why || !cmp->cells || !cmp->util)
			 ? pl_error_set(err, PL_ENOMEM, NULL, "out of memory")
			 : pl__cmp_records_plan(o, &rec, err);
	if (!rc)
		rc = run_all(cmp, o, rec, err);
	if (!rc)
		rc = pl__cmp_records_join(rec, cmp->results, err);
	pl__cmp_records_free(rec);
	if (rc) {
		pl_compare_free(cmp);
		return rc;
	}
	for (size_t f = 0; f < cmp->nf; f++)
		for (size_t i = 0; i < cmp->ni; i++)
			fill_cell(cmp, f, i);
	for (size_t f = 0; f < cmp->nf; f++)
		for (size_t i = 0; i < cmp->ni; i++)
			cmp->cells[f * cmp->ni + i].change =
				cmp->cells[f * cmp->ni + i].forecast -
				cmp->cells[cmp->baseline * cmp->ni + i].forecast;
	*out = cmp;
	return PL_OK;
}

const pl_result *pl_compare_result(const pl_compare *cmp, size_t f, size_t e, const char **why)
{
	if (f >= cmp->nf || e >= cmp->ne) {
		if (why)
			*why = "out of range";
		return NULL;
	}
	if (why)
		*why = cmp->why[f * cmp->ne + e];
	return cmp->results[f * cmp->ne + e];
}

int pl_compare_cell_of(const pl_compare *cmp, size_t f, size_t issue, pl_compare_cell *out)
{
	if (f >= cmp->nf || issue >= cmp->ni)
		return PL_ENOTFOUND;
	*out = cmp->cells[f * cmp->ni + issue];
	return PL_OK;
}

double pl_compare_utility(const pl_compare *cmp, size_t f, size_t actor, size_t issue)
{
	if (f >= cmp->nf || actor >= cmp->na || issue >= cmp->ni)
		return NAN;
	return cmp->util[(f * cmp->na + actor) * cmp->ni + issue];
}

double pl_compare_gain(const pl_compare *cmp, size_t f, size_t actor, size_t issue)
{
	return pl_compare_utility(cmp, f, actor, issue) -
	       pl_compare_utility(cmp, cmp->baseline, actor, issue);
}
