/* engine_watch.h - a forecast with someone watching its progress: the
 * engines report the rounds they have played, pl_forecast_set_run (report)
 * passes them on to the caller's progress function.  Open to report. */
#ifndef PL_ENGINES_ENGINE_WATCH_H
#define PL_ENGINES_ENGINE_WATCH_H

#include "engines/engine_run.h"

/* A forecast's progress: each issue (each run of a multi-issue engine) is
 * `per` units, 100 a round for a dynamic engine; base is where the issue
 * being run starts. */
typedef struct pl__progress {
	pl_progress_fn fn;
	void *ctx;
	uint64_t base, per, total, last;
} pl__progress;

/* An engine has played `rounds` rounds of the issue in hand (a fraction
 * inside a long round).  Cheap when no one is watching. */
static inline void pl__engine_progress(const pl_engine_args *a, double rounds)
{
	pl__progress *p = a ? a->progress : NULL;
	if (!p || !p->fn)
		return;
	double u = rounds * 100;
	uint64_t done = p->base + (u < (double)p->per ? (uint64_t)u : p->per);
	if (done > p->total)
		done = p->total;
	if (done <= p->last)
		return;
	p->last = done;
	p->fn(p->ctx, done, p->total);
}

/* pl_forecast with someone watching its progress (pg may be NULL). */
int pl__forecast_watched(const pl_case *c, const pl_engine *e, const pl_run_options *opt,
			 pl__progress *pg, pl_result **out, pl_error *err);

#endif
