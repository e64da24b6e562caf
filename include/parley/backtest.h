/* backtest.h - forecasts compared with what happened: every issue of a set
 * of cases that records an outcome (pl_issue.outcome), every engine, and how
 * far each engine's forecasts fall from the outcomes (docs/validity.md).
 *
 *   pl_case_set *set;
 *   pl_case_set_new(&set, &err);
 *   pl_case_set_add_path(set, "data/cases", &err);   (a file or a directory)
 *   pl_backtest_request req = PL_BACKTEST_REQUEST_INIT;
 *   pl_backtest *bt;
 *   pl_backtest_run_request(&bt, set, &req, &err);
 *   char *json;
 *   pl_backtest_json(&json, bt, &err);   (exactly `parley backtest -f json`)
 *   pl_free(json); pl_backtest_free(bt); pl_case_set_free(set);
 *
 * Errors are in points of the issue's scale taken as 0-100: 100 x (forecast -
 * outcome) / (max - min), so cases on different scales can be pooled.  The
 * result is the same bytes for any number of threads. */
#ifndef PARLEY_BACKTEST_H
#define PARLEY_BACKTEST_H

#include <stddef.h>
#include <stdint.h>

#include "parley/analysis.h"
#include "parley/case.h"
#include "parley/engine.h"
#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- a set of cases ----------------------------------------------------- */

typedef struct pl_case_set pl_case_set;

int pl_case_set_new(pl_case_set **out, pl_error *err);
void pl_case_set_free(pl_case_set *s);
/* Reads the case file at path (format guessed), or every case file of the
 * directory at path: its regular files named *.json or *.csv (not those of
 * sub-directories), in byte order of their names.  A file that is not a
 * valid case is refused naming it (PL_EINPUT); so is a directory with no
 * case file.  The set owns the cases it reads. */
int pl_case_set_add_path(pl_case_set *s, const char *path, pl_error *err);
/* The same, naming the cases as if path were called as: "shipped" for the
 * directory /usr/share/parley/cases names its files "shipped/korea.json",
 * so that a document does not depend on where the files lie. */
int pl_case_set_add_path_as(pl_case_set *s, const char *path, const char *as,
			    pl_error *err);
/* Adds case c under name (copied); c is borrowed and must outlive the set. */
int pl_case_set_add(pl_case_set *s, const pl_case *c, const char *name, pl_error *err);
size_t pl_case_set_n_cases(const pl_case_set *s);
const pl_case *pl_case_set_case(const pl_case_set *s, size_t i);
/* The name a case was added under (its path for pl_case_set_add_path). */
const char *pl_case_set_name(const pl_case_set *s, size_t i);

/* ---- running -------------------------------------------------------------- */

typedef struct pl_backtest pl_backtest;

#define PL_BACKTEST_REQUEST_VERSION 1

typedef struct pl_backtest_request {
	unsigned version;    /* PL_BACKTEST_REQUEST_VERSION */
	const char *engines; /* "all" or "NAME,NAME,..."; NULL: "all" */
	size_t n_params;     /* engine parameters as text (pl_params_assign) */
	const char *const *params;
	int rounds;	  /* 0 = each engine's default */
	uint64_t seed;	  /* for stochastic engines and the sweeps */
	uint64_t sweep;	  /* samples per case and engine for calibration; 0: none */
	unsigned threads; /* worker threads, 0 = one per online core */
	pl_progress_fn progress; /* (done, total) runs, from the calling thread */
	void *progress_ctx;
	int stack; /* also stack the engines and cross-validate (pl_backtest_stacking) */
} pl_backtest_request;

#define PL_BACKTEST_REQUEST_INIT                                                                   \
	{                                                                                          \
		PL_BACKTEST_REQUEST_VERSION, "all", 0, NULL, 0, 0, 0, 0, NULL, NULL, 0             \
	}

/* Runs every engine of the request on every case of set that has an issue
 * with an outcome.  An engine that cannot take a case (or an issue of it)
 * is skipped there, with the reason, and counted.  An unknown engine, one
 * listed twice or a bad parameter is refused naming it; so is a set with no
 * outcome at all.  *out keeps pointers into set: the set must outlive it. */
int pl_backtest_run_request(pl_backtest **out, const pl_case_set *set,
			    const pl_backtest_request *req, pl_error *err);
void pl_backtest_free(pl_backtest *b);

/* ---- results ---------------------------------------------------------------- */

/* One engine's accuracy over the issues it forecast, errors in points of a
 * 0-100 scale.  The calibration members are NAN (n_calibrated 0) without a
 * sweep. */
typedef struct pl_backtest_score {
	size_t n;	   /* issues with an outcome it forecast */
	size_t n_skipped;  /* issues with an outcome it could not take */
	double mae;	   /* mean absolute error */
	double rmse;	   /* root mean squared error */
	double median_ae;  /* median absolute error */
	double bias;	   /* mean of forecast - outcome */
	double closest;	   /* share of its n issues where no engine that ran is closer */
	double within_10;  /* share with |error| <= 10 */
	size_t n_calibrated; /* issues with a sweep */
	double in_50;	     /* share of outcomes inside the central 50 % interval */
	double in_80;	     /* ... and the central 80 % interval */
	double crps;	     /* mean continuous ranked probability score */
} pl_backtest_score;

size_t pl_backtest_n_engines(const pl_backtest *b);
const pl_engine *pl_backtest_engine(const pl_backtest *b, size_t e);
/* The parameters engine e ran with ("a=1,b=x", defaults filled in). */
const char *pl_backtest_params_text(const pl_backtest *b, size_t e);
int pl_backtest_score_of(const pl_backtest *b, size_t e, pl_backtest_score *out, pl_error *err);

/* The issues with an outcome, in case order then issue order. */
size_t pl_backtest_n_issues(const pl_backtest *b);
typedef struct pl_backtest_issue {
	size_t case_index; /* in the set */
	size_t issue;	   /* in the case */
	double outcome;	   /* on the issue's own scale */
} pl_backtest_issue;
int pl_backtest_issue_of(const pl_backtest *b, size_t k, pl_backtest_issue *out, pl_error *err);

/* Engine e on issue k: the forecast (on the issue's scale; NAN when the
 * engine could not take it, *why says why), and with a sweep the quantiles
 * 0.1, 0.25, 0.75, 0.9 of its forecasts and the issue's CRPS (else NAN). */
typedef struct pl_backtest_cell {
	double forecast;
	double error; /* 100 (forecast - outcome) / (max - min) */
	double q10, q25, q75, q90;
	double crps;
	const char *why; /* NULL when it ran */
} pl_backtest_cell;
int pl_backtest_cell_of(const pl_backtest *b, size_t k, size_t e, pl_backtest_cell *out,
			pl_error *err);

/* Counts for the provenance. */
size_t pl_backtest_n_cases(const pl_backtest *b);	  /* cases in the set */
size_t pl_backtest_n_cases_used(const pl_backtest *b); /* those with an outcome */
uint64_t pl_backtest_seed(const pl_backtest *b);
uint64_t pl_backtest_sweep(const pl_backtest *b);
int pl_backtest_rounds(const pl_backtest *b); /* as asked: 0 = each engine's default */
const pl_case_set *pl_backtest_set(const pl_backtest *b);

/* ---- stacking ------------------------------------------------------------------ */

/* The engines of a backtest (but ensemble) and the scale's midpoint (50 on
 * 0-100) combined with convex weights, in steps of 0.1, that minimise the
 * mean absolute error; found by exhaustive search (no random numbers).  The
 * weights fitted on every issue are what the ensemble engine ships; their
 * leave-one-case-out cross-validation forecasts each case's issues with
 * weights fitted on the other cases only (docs/validity.md).  Errors and
 * forecasts here are on 0-100. */
typedef struct pl_stack pl_stack;

/* NULL unless the request asked for stacking. */
const pl_stack *pl_backtest_stacking(const pl_backtest *b);
size_t pl_stack_n_components(const pl_stack *s);
const char *pl_stack_component(const pl_stack *s, size_t i); /* an engine, or "midpoint" */
double pl_stack_weight(const pl_stack *s, size_t i);	      /* fitted on every issue */
/* "compromise:0.3,...,midpoint:0.1": the value of -p ensemble.weights= */
const char *pl_stack_weights_text(const pl_stack *s);
size_t pl_stack_n_issues(const pl_stack *s);
size_t pl_stack_n_folds(const pl_stack *s); /* cases with an outcome */
double pl_stack_in_sample_mae(const pl_stack *s);
double pl_stack_heldout_mae(const pl_stack *s);
/* The 80 % quantile of the held-out absolute errors: ensemble's spread. */
double pl_stack_spread80(const pl_stack *s);
/* Issue k's held-out forecast, on 0-100. */
double pl_stack_heldout(const pl_stack *s, size_t k);
/* The held-out stack against engine e on the issues e forecast. */
typedef struct pl_stack_versus_engine {
	size_t n;
	double engine_mae, stack_mae;
} pl_stack_versus_engine;
int pl_stack_versus(const pl_stack *s, size_t e, pl_stack_versus_engine *out, pl_error *err);

/* The documents of `parley backtest --format json|csv` (docs/validity.md):
 * JSON {"engines": [{"engine", "n", "mae", "rmse", "median_ae", ...}],
 * "issues": [...], ...}; CSV one row per issue and engine, for plots.
 * *out is freed with pl_free. */
int pl_backtest_json(char **out, const pl_backtest *b, pl_error *err);
int pl_backtest_csv(char **out, const pl_backtest *b, pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
