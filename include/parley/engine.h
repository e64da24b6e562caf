/* engine.h - forecasting engines and their results.
 *
 * An engine is found by name in the registry (pl_engine_find), takes a case
 * and run options, and returns a pl_result: per issue, the forecast, the
 * round-by-round positions of every actor for dynamic engines, and named
 * statistics.  Every result carries its provenance: engine, parameters (with
 * defaults filled in), seed, parley version and the case's hash. */
#ifndef PARLEY_ENGINE_H
#define PARLEY_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "parley/case.h"
#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pl_engine pl_engine;
typedef struct pl_params pl_params;
typedef struct pl_result pl_result;

/* ---- the registry ---------------------------------------------------- */

size_t pl_engine_count(void);
const pl_engine *pl_engine_at(size_t i);
/* NULL and PL_ENOTFOUND in err (listing the known names) when unknown. */
const pl_engine *pl_engine_find(const char *name, pl_error *err);

const char *pl_engine_name(const pl_engine *e);
const char *pl_engine_summary(const pl_engine *e);
int pl_engine_is_dynamic(const pl_engine *e);    /* has rounds */
int pl_engine_is_multidim(const pl_engine *e);   /* runs all issues jointly */
/* The rounds a dynamic engine runs at most unless told otherwise; 0 for a
 * static engine. */
int pl_engine_default_rounds(const pl_engine *e);

typedef struct pl_param_info {
	const char *name;
	const char *default_value;
	const char *help;
	const char *const *choices; /* NULL-terminated list, or NULL for numbers */
} pl_param_info;
size_t pl_engine_n_params(const pl_engine *e);
const pl_param_info *pl_engine_param(const pl_engine *e, size_t i);

/* ---- parameters ------------------------------------------------------ */

pl_params *pl_params_new(void);
void pl_params_free(pl_params *p);
/* Records name=value; checked against the engine when the run starts. */
int pl_params_set(pl_params *p, const char *name, const char *value, pl_error *err);
/* Parses "name=value". */
int pl_params_parse(pl_params *p, const char *assignment, pl_error *err);
/* A new copy of p (NULL: empty parameters) in *out. */
int pl_params_copy(pl_params **out, const pl_params *p, pl_error *err);

/* ---- running --------------------------------------------------------- */

#define PL_ALL_ISSUES ((size_t)-1)

/* How far a long computation has got: done out of total (units of the
 * caller's choosing), called from the calling thread. */
typedef void (*pl_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct pl_run_options {
	size_t issue;            /* one issue index, or PL_ALL_ISSUES */
	size_t forum;            /* a forum index, or PL_NO_FORUM */
	int rounds;              /* maximum rounds, 0 = the engine's default */
	uint64_t seed;           /* for stochastic engines */
	const pl_params *params; /* may be NULL */
} pl_run_options;

void pl_run_options_init(pl_run_options *opt);

int pl_forecast(const pl_case *c, const pl_engine *e, const pl_run_options *opt,
		pl_result **out, pl_error *err);

/* Checks parameters against engine e (their names and values) without
 * running it: PL_EINPUT naming the parameter and the rule when one fails. */
int pl_engine_check_params(const pl_engine *e, const pl_params *p, pl_error *err);

/* Whether pl_forecast's failure rc with options opt means only that engine e
 * cannot take this case or forum (smp needs every actor's stance on every
 * issue; an issue with no one at the table): bad input from the engine,
 * with options and parameters that pass.  parley forecast --engine all,
 * compare, report and sweep report such an engine as not run, with the
 * reason; other failures stay errors. */
int pl_forecast_cannot_run(const pl_engine *e, const pl_run_options *opt, int rc);

/* ---- results --------------------------------------------------------- */

typedef struct pl_stat {
	const char *name; /* static string, e.g. "mean", "iterations" */
	double value;
} pl_stat;

typedef struct pl_outcome {
	size_t issue;          /* index of the issue in the case */
	double forecast;       /* where the issue lands */
	size_t n_actors;       /* actors that took part */
	const size_t *actor;   /* their indices in the case */
	size_t n_rounds;       /* rounds played; 0 for static engines */
	/* (n_rounds + 1) rows of n_actors positions; row 0 is the start. */
	const double *positions;
	/* n_rounds + 1 forecasts, one per row of positions. */
	const double *round_forecast;
	size_t n_stats;
	const pl_stat *stats;
	const char *note;      /* a remark on how the run ended, or NULL */
} pl_outcome;

void pl_result_free(pl_result *r);
size_t pl_result_n_outcomes(const pl_result *r);
const pl_outcome *pl_result_outcome(const pl_result *r, size_t i);
/* NAN when the outcome has no such statistic. */
double pl_outcome_stat(const pl_outcome *o, const char *name);

const char *pl_result_engine(const pl_result *r);
const char *pl_result_params(const pl_result *r); /* "a=1,b=x", sorted, defaults filled */
uint64_t pl_result_seed(const pl_result *r);
/* The most rounds the run was given (the engine's default when 0 was asked);
 * 0 for a static engine. */
int pl_result_rounds(const pl_result *r);
const char *pl_result_case_hash(const pl_result *r);
const char *pl_result_forum(const pl_result *r); /* forum id, or NULL */

/* One exchange carried out by the exchange engine (docs/models/exchange.md):
 * in round `round` (1 = the first), actor[k] gave on issue[k], moving from
 * from[k] to its voting position to[k] (on the issue's own scale), in return
 * for the other's move; gain[k] is its expected-utility gain (the two are
 * equal under Equal Gain, p=0).  Listed in the order they were carried out. */
typedef struct pl_exchange {
	int round;
	size_t actor[2];
	size_t issue[2];
	double from[2], to[2];
	double gain[2];
} pl_exchange;

/* The exchanges of the run (none for the other engines). */
size_t pl_result_n_exchanges(const pl_result *r);
const pl_exchange *pl_result_exchange(const pl_result *r, size_t k);

#ifdef __cplusplus
}
#endif
#endif
