/* smp_par.c - the parallel for of smp_par.h: static interleaved shares,
 * per-index status, no shared mutable state between workers. */
#include "engines/smp/smp_par.h"
#include "parley/error.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct share {
	int (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t first, step, count;
	int *status;
} share;

static void *work(void *arg)
{
	share *s = arg;
	for (size_t i = s->first; i < s->count; i += s->step)
		s->status[i] = s->fn(s->ctx, i);
	return NULL;
}

int pl__smp_par_for(int threads, size_t count, int (*fn)(void *ctx, size_t i), void *ctx)
{
	if (count == 0)
		return PL_OK;
	size_t t = threads < 1 ? 1 : (size_t)threads;
	t = t > count ? count : t;
	int *status = calloc(count, sizeof *status);
	share *sh = calloc(t, sizeof *sh);
	pthread_t *tid = calloc(t, sizeof *tid);
	if (!status || !sh || !tid) {
		free(status);
		free(sh);
		free(tid);
		return PL_ENOMEM;
	}
	size_t started = 1;
	for (size_t k = 0; k < t; k++)
		sh[k] = (share){fn, ctx, k, t, count, status};
	for (size_t k = 1; k < t; k++) {
		if (pthread_create(&tid[k], NULL, work, &sh[k]) != 0)
			break;
		started++;
	}
	/* shares whose thread could not start are run here, in order */
	for (size_t k = started; k < t; k++)
		work(&sh[k]);
	work(&sh[0]);
	for (size_t k = 1; k < started; k++)
		pthread_join(tid[k], NULL);
	int rc = PL_OK;
	for (size_t i = 0; i < count && !rc; i++)
		rc = status[i];
	free(status);
	free(sh);
	free(tid);
	return rc;
}
