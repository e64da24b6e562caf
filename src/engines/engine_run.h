/* engine_run.h - what the engines module shares with the library's other
 * modules beyond the public API: running an engine many times without the
 * registry's checks (a sweep, a comparison across forums), with arguments
 * resolved once and outcome buffers reused between runs.  The engine table
 * itself (struct pl_engine, parameter specs) stays private to the module
 * (engine_impl.h). */
#ifndef PL_ENGINE_RUN_H
#define PL_ENGINE_RUN_H

#include <stdint.h>

#include "parley/engine.h"

typedef struct pl_param_value {
	const char *s; /* the text */
	double d;      /* the number, for PL_PARAM_NUMBER / PL_PARAM_INT */
	int choice;    /* index into info.choices, for PL_PARAM_CHOICE */
} pl_param_value;

/* The exchanges an exchange engine carried out (pl_result_exchange). */
typedef struct pl_exchange_buf {
	pl_exchange *v;
	size_t n, cap;
} pl_exchange_buf;

typedef struct pl_engine_args {
	int rounds;    /* maximum rounds; never 0 here (the default is filled in) */
	uint64_t seed;
	const pl_param_value *param; /* in the order of the engine's specs */
	const char *canonical;	     /* the result's parameter string, or NULL */
	/* where the exchange engine lists its exchanges; NULL when not wanted
	 * (a sweep) */
	pl_exchange_buf *exchanges;
	/* who is watching the run's progress, or NULL (engine_watch.h) */
	struct pl__progress *progress;
} pl_engine_args;



/* A pl_outcome being built. */
typedef struct pl_outcome_buf {
	pl_outcome o;
	size_t cap_rows, cap_stats;
	double *positions, *round_forecast;
	size_t *actor;
	pl_stat *stats;
	char *note;
	int no_notes; /* set by analysis that discards notes (a sweep): not formatted */
} pl_outcome_buf;

/* Starts an outcome for the view's actors (copies their indices). */
int pl__outcome_begin(pl_outcome_buf *o, size_t issue, size_t n_actors, const size_t *actor);
/* Makes an outcome buffer ready for another run without freeing it. */
void pl__outcome_rewind(pl_outcome_buf *o);
void pl__outcome_free(pl_outcome_buf *o);


/* Runs a one-dimensional engine on one view without the registry's
 * checks: for analysis code that calls an engine many times. */
int pl__engine_run_view(const pl_engine *e, const pl_issue_view *v, const pl_engine_args *args,
			pl_outcome_buf *out, pl_error *err);
/* Many runs of one issue at once, for a sweep (engine_batch.c), through
 * the engine's batched form where it has one (struct pl_engine's batch; so
 * far eu's, engines/eu/eu_batch.c: four samples side by side), each
 * sample's forecast bit for bit pl__engine_run_view's. */
typedef struct pl_engine_batch pl_engine_batch;
/* *out = a batch for engine e with these arguments, for issues of up to
 * max_n actors; *out = NULL (and PL_OK) when e has none for them on this
 * CPU, or none that is faster than its runs one at a time. */
int pl__engine_batch_new(const pl_engine *e, const pl_engine_args *args, size_t max_n,
			 pl_engine_batch **out);
/* Runs count samples of one issue of n actors (sample j's arrays at
 * pos + j n, sal + j n, cap + j n; the scale [lo, hi]): for each, taken[j]
 * = 1 with forecast[j] and cycling[j] (1 when its run ended in a cycle
 * between different forecasts), or taken[j] = 0 when it must run alone. */
void pl__engine_batch_run(pl_engine_batch *b, size_t n, size_t count, const double *pos,
			  const double *sal, const double *cap, double lo, double hi,
			  double *forecast, unsigned char *cycling, unsigned char *taken);
void pl__engine_batch_free(pl_engine_batch *b);
/* A copy of p (NULL: no parameters) with name set to value. */
int pl__params_with(const pl_params *p, const char *name, const char *value, pl_params **out,
		    pl_error *err);
/* Resolves user parameters (with defaults) into values for args.param.
 * *values is malloc'd, n_params long; *canonical is "a=1,b=x" (malloc'd). */
int pl__engine_resolve_params(const pl_engine *e, const pl_params *p, pl_param_value **values,
			      char **canonical, pl_error *err);
/* Runs a multidimensional engine on a case (outs: one begun buffer per
 * issue, in case order) without the registry's checks. */
int pl__engine_run_case(const pl_engine *e, const pl_case *c, size_t forum,
			const pl_engine_args *args, pl_outcome_buf *outs, pl_error *err);
/* Whether the engine has the run function its kind needs. */
int pl__engine_runnable(const pl_engine *e);
/* The number of rounds a dynamic engine runs when none is asked (0 for a
 * static engine). */
int pl__engine_default_rounds(const pl_engine *e);
/* Whether parameter k has a side effect of one run (a log file): a sweep
 * refuses it, a comparison joins its files (pl__engine_join_records). */
int pl__engine_param_single_run(const pl_engine *e, size_t k);
/* Whether the engine can join the files of several runs' parameter. */
int pl__engine_can_join_records(const pl_engine *e);
/* Joins the files parts[0..n) that runs wrote for parameter param into
 * one file at path, atomically, each run told apart. */
int pl__engine_join_records(const pl_engine *e, size_t param, const char *path,
			    const char *const *parts, size_t n, pl_error *err);

#endif
