/* engine_impl.h - what an engine file implements, and the helpers it uses
 * to fill in its outcome.
 *
 * An engine is one file defining one `const struct pl_engine pl_engine_X`,
 * listed in registry.c.  A one-dimensional engine implements run_issue: it
 * reads a pl_issue_view (plain arrays) and writes a pl_outcome_buf.  An
 * engine over all issues at once (multidim) implements run_case instead.
 * Parameters are declared as specs; the registry checks the user's values
 * against them before the engine runs, so the engine can trust args.
 * What analysis code needs to run engines (the arguments, the outcome
 * buffer) is in engine_run.h, which this header includes. */
#ifndef PL_ENGINE_IMPL_H
#define PL_ENGINE_IMPL_H

#include "parley/engine.h"
#include "engines/engine_run.h"
#include "engines/engine_watch.h"

/* PL_PARAM_TEXT is taken as written (a file name, a list). */
typedef enum pl_param_kind {
	PL_PARAM_CHOICE,
	PL_PARAM_NUMBER,
	PL_PARAM_INT,
	PL_PARAM_TEXT
} pl_param_kind;

typedef struct pl_param_spec {
	pl_param_info info;
	pl_param_kind kind;
	double lo, hi; /* inclusive range for numbers */
	/* An execution setting (threads, a log file) that does not change the
	 * result: left out of the result's canonical parameters, so the same
	 * inputs give the same bytes however the run was executed. */
	int execution;
	/* A side effect of one run (a log file) when set: a sweep, which runs the
	 * engine thousands of times over threads, refuses the parameter. */
	int single_run;
	/* For PL_PARAM_TEXT: 0 when text is a valid value, else -1 with the rule
	 * broken in why (checked with the other parameters, before the run). */
	int (*check)(const char *text, char *why, size_t size);
} pl_param_spec;

/* An engine's batched form: many runs of one issue at once, for a sweep
 * (engine_run.h's pl__engine_batch_*, which calls these). */
typedef struct pl__batch_ops {
	/* *out = a batch for these arguments, for issues of up to max_n
	 * actors, or NULL (and PL_OK) when there is none for them on this CPU */
	int (*open)(const pl_engine_args *args, size_t max_n, void **out);
	/* pl__engine_batch_run's contract */
	void (*run)(void *b, size_t n, size_t count, const double *pos, const double *sal,
		    const double *cap, double lo, double hi, double *forecast,
		    unsigned char *cycling, unsigned char *taken);
	void (*close)(void *b);
} pl__batch_ops;

struct pl_engine {
	const char *name;
	const char *summary;
	int dynamic;
	int multidim;
	int default_rounds;
	const pl_param_spec *params;
	size_t n_params;
	int (*run_issue)(const pl_issue_view *v, const pl_engine_args *args, pl_outcome_buf *out,
			 pl_error *err);
	/* outs has one buffer per issue of the case, in case order. */
	int (*run_case)(const pl_case *c, size_t forum, const pl_engine_args *args,
			pl_outcome_buf *outs, pl_error *err);
	/* For analysis that runs the engine several times with one single_run
	 * parameter (a forum comparison): each run records into a file of its
	 * own, parts[k] (the parameter's value), and this joins them into one
	 * file at path, atomically, each run told apart.  NULL when the
	 * engine's records cannot be joined: such analysis refuses them. */
	int (*join_records)(size_t param, const char *path, const char *const *parts, size_t n,
			    pl_error *err);
	/* The engine's batched form for sweeps, or NULL: its runs go one at a
	 * time. */
	const pl__batch_ops *batch;
};

/* Appends one row of positions with its forecast; the first row is the start. */
int pl__outcome_push_round(pl_outcome_buf *o, const double *positions, double forecast);
int pl__outcome_add_stat(pl_outcome_buf *o, const char *name, double value);
int pl__outcome_set_note(pl_outcome_buf *o, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* A dynamic engine's run that cannot come to rest: from row `from` (counted
 * from row `base` of the outcome) the rounds repeat every `period` rounds.
 * The one rule every dynamic engine follows (docs/models/eu.md, "Cycles"):
 * the forecast is the mean of the forecasts over one period (last = 0), or
 * the last round's (last = 1); the stats cycle (the period), cycle_low and
 * cycle_high (the range over the period, the forecast's interval) and
 * cycle_mean are added either way.  Writes *lo and *hi. */
int pl__outcome_cycle(pl_outcome_buf *o, size_t base, size_t from, size_t period, int last,
		      double *lo, double *hi);

/* The states a deterministic dynamic engine's run has been in, to find the
 * first that repeats an earlier one bit for bit (cycle.c).  Each state is k
 * doubles: everything the next round depends on (eu, exchange: the
 * positions; smp: the positions and the ideals). */
typedef struct pl__states {
	size_t len, cap, k;
	uint64_t *hash;
	double *x; /* len x k */
} pl__states;
void pl__states_init(pl__states *h, size_t k);
/* Records state x as state h->len; *repeat is the earlier state equal to it
 * bit for bit, or its own index (h->len - 1 after the call) when none is. */
int pl__states_add(pl__states *h, const double *x, size_t *repeat);
void pl__states_free(pl__states *h);
/* The hash of k doubles' bits that pl__states_add files a state under (eu's
 * history hashes its rows of positions with it too). */
uint64_t pl__state_hash(const double *x, size_t k);

/* The note on such a cycle (its forecasts, what is reported and how to get
 * the other value), for engine (its name in -p ENGINE.cycle) whose steps are
 * called unit ("round", "turn"); as snprintf. */
int pl__cycle_text(char *buf, size_t size, const pl_outcome_buf *o, size_t base, size_t from,
		   size_t period, int last, const char *engine, const char *unit);

/* The parameter every dynamic engine takes for it ("cycle": mean or last). */
#define PL__CYCLE_PARAM                                                                            \
	{.info = {"cycle", "mean",                                                                 \
		  "forecast of a run that cycles: the mean over the cycle, or the last round's",   \
		  pl__cycle_choices},                                                              \
	 .kind = PL_PARAM_CHOICE}
extern const char *const pl__cycle_choices[];

#endif
