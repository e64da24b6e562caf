/* sweep_object.c - a sweep's options and result object: the defaults of
 * pl_sweep_options, freeing a pl_sweep, and what a result records of how
 * it was made (engine, parameters, seed, rounds, forum, inputs).  Running a
 * sweep is sweep.c; its statistics, sweep_stats.c. */
#include "analysis/inputs.h"
#include "analysis/sweep_impl.h"

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
