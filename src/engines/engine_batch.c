/* engine_batch.c - many runs of one issue at once, for sweeps
 * (engine_run.h): the engines that have a batched form (eu, on CPUs with
 * AVX2, for issues of up to PL_EU_BATCH_MAX_N actors). */
#include "engines/engine_impl.h"
#include "engines/eu/eu_batch.h"

#include <stdlib.h>
#include <string.h>

struct pl_engine_batch {
	pl__eu_config cfg;
	int rounds;
	pl__eu_batch *eu;
};

int pl__engine_batch_new(const pl_engine *e, const pl_engine_args *args, size_t max_n,
			 pl_engine_batch **out)
{
	*out = NULL;
	if (strcmp(e->name, "eu") != 0 || !pl__eu_batch_available())
		return PL_OK;
	pl__eu_config cfg;
	pl__eu_config_from_args(args, &cfg);
	if (!pl__eu_batch_supports(&cfg, 2) || args->rounds < 1)
		return PL_OK;
	pl_engine_batch *b = calloc(1, sizeof *b);
	if (!b)
		return PL_ENOMEM;
	b->cfg = cfg;
	b->rounds = args->rounds;
	b->eu = pl__eu_batch_new(max_n < PL_EU_BATCH_MAX_N ? max_n : PL_EU_BATCH_MAX_N,
				 PL_EU_ISA_AVX2);
	if (!b->eu) {
		free(b);
		return PL_ENOMEM;
	}
	*out = b;
	return PL_OK;
}

void pl__engine_batch_run(pl_engine_batch *b, size_t n, size_t count, const double *pos,
			  const double *sal, const double *cap, double lo, double hi,
			  double *forecast, unsigned char *cycling, unsigned char *taken)
{
	pl__eu_batch_run(b->eu, &b->cfg, b->rounds, n, count, pos, sal, cap, lo, hi, forecast,
			 cycling, taken);
}

void pl__engine_batch_free(pl_engine_batch *b)
{
	if (!b)
		return;
	pl__eu_batch_free(b->eu);
	free(b);
}
