/* sweep_object.c - a sweep's options and result object: the defaults of
 * pl_sweep_options, freeing a pl_sweep, and what a result records of how
 * it was made (engine, parameters, seed, rounds, forum, inputs); checking a
 * sweep's options and making its empty result.  Running a sweep is sweep.c;
 * its statistics, sweep_stats.c. */
#include "analysis/inputs.h"
#include "analysis/sweep_impl.h"
#include "engines/engine_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pl_sweep_options_init(pl_sweep_options *o)
{
	memset(o, 0, sizeof *o);
	o->n = 1000;
	o->forum = PL_NO_FORUM;
	o->builtin_defaults = 1;
	o->bins = 20;
}

void pl_sweep_free(pl_sweep *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->issues && i < s->n_issues; i++) {
		free(s->issues[i].thr);
		free(s->issues[i].probs);
		free(s->issues[i].bins_out);
	}
	free(s->issues);
	pl__sweep_factors_free(s);
	free(s->inputs);
	free(s->w);
	free(s->minmax);
	free(s->gd_edges);
	free(s->engine);
	free(s->params);
	free(s->forum);
	free(s);
}

/* ---- provenance --------------------------------------------------------- */

const char *pl_sweep_engine(const pl_sweep *s)
{
	return s->engine;
}

const char *pl_sweep_params(const pl_sweep *s)
{
	return s->params;
}

uint64_t pl_sweep_seed(const pl_sweep *s)
{
	return s->seed;
}

int pl_sweep_rounds(const pl_sweep *s)
{
	return s->rounds;
}

uint64_t pl_sweep_n(const pl_sweep *s)
{
	return s->n;
}

const char *pl_sweep_forum(const pl_sweep *s)
{
	return s->forum;
}

int pl_sweep_has_sensitivity(const pl_sweep *s)
{
	return s->sensitivity != PL_SENS_OFF;
}

int pl_sweep_sensitivity_method(const pl_sweep *s)
{
	return s->sensitivity;
}

size_t pl_sweep_n_inputs(const pl_sweep *s)
{
	return s->n_inputs;
}

const pl_input *pl_sweep_input(const pl_sweep *s, size_t k)
{
	return k < s->n_inputs ? &s->inputs[k] : NULL;
}

int pl__sweep_check_options(const pl_case *c, const pl_engine *e, const pl_sweep_options *o,
			    pl_error *err)
{
	if (o->n < 1)
		return pl_error_set(err, PL_EINPUT, NULL, "a sweep needs at least 1 sample");
	if (o->first > o->n || o->count > o->n - o->first)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "samples [%llu, +%llu) are outside 0..%llu",
				    (unsigned long long)o->first, (unsigned long long)o->count,
				    (unsigned long long)o->n);
	if (o->bins < 1 || o->bins > 10000)
		return pl_error_set(err, PL_EINPUT, NULL, "bins must be from 1 to 10000");
	if (o->forum != PL_NO_FORUM && o->forum >= pl_case_n_forums(c))
		return pl_error_set(err, PL_ENOTFOUND, NULL, "forum index %zu out of range",
				    o->forum);
	if (o->rounds < 0)
		return pl_error_set(err, PL_EINPUT, NULL, "rounds must be 0 (default) or more");
	if (o->sensitivity != PL_SENS_OFF && o->sensitivity != PL_SENS_DESIGN &&
	    o->sensitivity != PL_SENS_GIVEN)
		return pl_error_set(err, PL_EINPUT, NULL, "unknown sensitivity method %d",
				    o->sensitivity);
	if (o->by != PL_BY_INPUT && o->by != PL_BY_ACTOR && o->by != PL_BY_KIND)
		return pl_error_set(err, PL_EINPUT, NULL, "unknown grouping of the factors");
	for (size_t t = 0; t < o->n_thresholds; t++) {
		double v = o->thresholds[t].value, hi = o->thresholds[t].hi;
		size_t at = o->thresholds[t].issue;
		int kind = o->thresholds[t].kind;
		if (!isfinite(v) || (at != PL_ALL_ISSUES && at >= pl_case_n_issues(c)) ||
		    (kind != PL_AT_LEAST && kind != PL_AT_MOST && kind != PL_BETWEEN) ||
		    (kind == PL_BETWEEN && !(isfinite(hi) && v <= hi)))
			return pl_error_set(err, PL_EINPUT, NULL, "threshold %zu is not valid", t);
		if (kind == PL_BETWEEN) /* a range is checked at its ends */
			for (size_t i = 0; i < pl_case_n_issues(c); i++) {
				const pl_issue *is = pl_case_issue(c, i);
				if ((at == PL_ALL_ISSUES || at == i) &&
				    !(v >= is->min && hi <= is->max))
					return pl_error_set(
						err, PL_EINPUT, NULL,
						"threshold range %g..%g is outside issue '%s''s "
						"scale [%g, %g]%s",
						v, hi, is->id, is->min, is->max,
						at == PL_ALL_ISSUES ? " (name the issues: --threshold "
								      "ISSUE:A..B)"
								    : "");
			}
		/* outside the scale, P(forecast >= v) is 0 or 1 whatever the inputs */
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			const pl_issue *is = pl_case_issue(c, i);
			if ((at == PL_ALL_ISSUES || at == i) && !(v >= is->min && v <= is->max))
				return pl_error_set(err, PL_EINPUT, NULL,
						    "threshold %g is outside issue '%s''s scale "
						    "[%g, %g]%s",
						    v, is->id, is->min, is->max,
						    at == PL_ALL_ISSUES
							    ? " (name the issues: --threshold ISSUE:VALUE)"
							    : "");
		}
	}
	if (!pl__engine_runnable(e))
		return pl_error_set(err, PL_EINTERNAL, pl_engine_name(e), "engine has no run function");
	return PL_OK;
}

/* The rounds each run is given, as pl_result_rounds records them. */
static int most_rounds(const pl_engine *e, int asked)
{
	if (!pl_engine_is_dynamic(e))
		return 0;
	if (asked)
		return asked;
	return pl__engine_default_rounds(e) > 0 ? pl__engine_default_rounds(e) : 1;
}

int pl__sweep_new(const pl_case *c, const pl_engine *e, const pl_sweep_options *o,
		  pl_param_value **values, pl_sweep **out, pl_error *err)
{
	pl_sweep *s = calloc(1, sizeof *s);
	if (!s)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	*out = s;
	s->seed = o->seed;
	s->n = o->n;
	s->rounds = most_rounds(e, o->rounds);
	/* given data bins one input at a time: a group of inputs needs the design */
	s->sensitivity = o->sensitivity == PL_SENS_GIVEN && o->by != PL_BY_INPUT ? PL_SENS_DESIGN
										   : o->sensitivity;
	s->bins = o->bins;
	s->by = o->by;
	s->engine = strdup(pl_engine_name(e));
	s->forum = o->forum == PL_NO_FORUM ? NULL : strdup(pl_case_forum(c, o->forum)->id);
	if (!s->engine || (o->forum != PL_NO_FORUM && !s->forum))
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = pl__engine_resolve_params(e, o->params, values, &s->params, err);
	for (size_t k = 0; !rc && k < pl_engine_n_params(e); k++)
		if (pl__engine_param_single_run(e, k) && (*values)[k].s && (*values)[k].s[0])
			rc = pl_error_set(err, PL_EINPUT, pl_engine_name(e),
					  "parameter %s=%s records one run; a sweep runs the engine "
					  "for every sample, so it is refused here (record one run "
					  "with 'parley forecast')",
					  pl_engine_param(e, k)->name, (*values)[k].s);
	if (!rc)
		rc = pl_case_inputs(c, o->builtin_defaults, &s->inputs, &s->n_inputs, err);
	if (!rc)
		rc = pl__sweep_factors(s, c, err);
	if (!rc)
		rc = pl__sweep_layout(s, c, o, err);
	return rc;
}
