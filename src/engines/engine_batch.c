/* engine_batch.c - many runs of one issue at once, for sweeps
 * (engine_run.h): the engines that have a batched form (struct pl_engine's
 * batch; eu, on CPUs with AVX2, for issues of up to PL_EU_BATCH_MAX_N
 * actors) run through it. */
#include "engines/engine_impl.h"

#include <stdlib.h>

struct pl_engine_batch {
	const pl__batch_ops *ops;
	void *impl;
};

int pl__engine_batch_new(const pl_engine *e, const pl_engine_args *args, size_t max_n,
			 pl_engine_batch **out)
{
	*out = NULL;
	if (!e->batch)
		return PL_OK;
	void *impl = NULL;
	int rc = e->batch->open(args, max_n, &impl);
	if (rc || !impl)
		return rc;
	pl_engine_batch *b = malloc(sizeof *b);
	if (!b) {
		e->batch->close(impl);
		return PL_ENOMEM;
	}
	b->ops = e->batch;
	b->impl = impl;
	*out = b;
	return PL_OK;
}

void pl__engine_batch_run(pl_engine_batch *b, size_t n, size_t count, const double *pos,
			  const double *sal, const double *cap, double lo, double hi,
			  double *forecast, unsigned char *cycling, unsigned char *taken)
{
	b->ops->run(b->impl, n, count, pos, sal, cap, lo, hi, forecast, cycling, taken);
}

void pl__engine_batch_free(pl_engine_batch *b)
{
	if (!b)
		return;
	b->ops->close(b->impl);
	free(b);
}
