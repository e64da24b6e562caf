/* report.h - the documents parley publishes its results as: a forecast, a
 * forum comparison and a sweep in JSON and CSV (docs/formats.md).
 *
 * Every face of parley (the command, the HTTP server) builds a document the
 * same way, so the same request gives the same bytes:
 *
 *   pl_forecast_request req = PL_FORECAST_REQUEST_INIT;
 *   req.engine = "all";                  (what the command's options say)
 *   pl_forecast_set *set;
 *   pl_forecast_set_run(&set, c, &req, &err);
 *   char *json;
 *   pl_forecast_json(&json, set, &err);  (exactly `parley forecast -f json`)
 *   ...
 *   pl_free(json);
 *   pl_forecast_set_free(set);
 *
 * A request holds everything the command's options contribute to the
 * document; its strings are copied by the _run call.  A set keeps a pointer to
 * the case it ran on: the case must outlive it.  docs/api.md gives the
 * conventions (output argument first, versioned options with an _INIT macro,
 * strings freed with pl_free). */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "parley/analysis.h"
#include "parley/case.h"
#include "parley/engine.h"
#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- engine parameters from text --------------------------------------- */

/* The parameters args[0..n_args-1] of a run of the n_engines engines, with the
 * command's rules: "ENGINE.NAME=VALUE" for a known engine that is part of the
 * run, "NAME=VALUE" only when one engine runs.  out[k] (allocated when NULL,
 * else added to) gets engine k's parameters; every name and value is then
 * checked against its engine.  PL_EINPUT naming the argument and the rule when
 * one fails. */
int pl_params_assign(pl_params **out, size_t n_engines, const pl_engine *const *engines,
		     const char *const *args, size_t n_args, pl_error *err);

/* ---- forecasts -------------------------------------------------------- */

/* A ledger whose trust scores scaled the case's capabilities before the
 * forecast (docs/ledger.md), for the document's provenance. */
typedef struct pl_trust_source {
	const char *origin; /* the ledger's origin */
	const char *root;   /* its Merkle root at `size` entries, 64 hex digits */
	uint64_t size;	    /* entries */
	double weight;	    /* W of the factor 1 + W (2 trust - 1) */
	const char *as_of;  /* the time trust was taken at, or NULL (now) */
} pl_trust_source;

/* Called once for each engine that cannot take the case (with engine "all"
 * only: smp needs every actor on every issue), with the reason; the others
 * still run. */
typedef void (*pl_skip_fn)(void *ctx, const char *engine, const pl_error *why);

/* 2 added progress; a version-1 request (without it) is still taken. */
#define PL_FORECAST_REQUEST_VERSION 2

typedef struct pl_forecast_request {
	unsigned version;   /* PL_FORECAST_REQUEST_VERSION */
	const char *engine; /* an engine name, or "all" (NULL: "all") */
	const char *issue;  /* an issue id, or NULL for every issue */
	const char *forum;  /* a forum id, "everyone" or NULL (all actors) */
	int rounds;	    /* maximum rounds, 0 = each engine's default */
	uint64_t seed;	    /* for stochastic engines */
	int trace;	    /* round-by-round positions in the document */
	size_t n_params;    /* engine parameters as text (pl_params_assign) */
	const char *const *params;
	/* smp's parameters from a KTAB XML scenario, or NULL; params go on top */
	const pl_params *scenario_params;
	/* the SHA-256 of the input file's bytes (64 hex digits; pl_sha256_hex),
	 * or NULL (null in the document) */
	const char *input_sha256;
	const pl_trust_source *trust; /* NULL when no ledger scaled the case */
	pl_skip_fn on_skip;	      /* may be NULL */
	void *on_skip_ctx;
	/* (version 2) how far the run has got, or NULL: done out of total,
	 * each engine run an equal share, inside it the rounds of a dynamic
	 * engine or the issues of the others; never part of the document */
	pl_progress_fn progress;
	void *progress_ctx;
} pl_forecast_request;

#define PL_FORECAST_REQUEST_INIT                                                                   \
	{                                                                                          \
		PL_FORECAST_REQUEST_VERSION, "all", NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL,      \
			NULL, NULL, NULL, NULL, NULL                                               \
	}

typedef struct pl_forecast_set pl_forecast_set;

/* Runs the request's engines on case c.  With engine "all", an engine that
 * cannot take the case is skipped (on_skip says why); when none can run,
 * the last one's error with the message "no engine can run this case".  Any
 * other failure (an unknown engine, issue or forum, a bad parameter) is
 * PL_EINPUT or PL_ENOTFOUND naming it, and *out stays NULL. */
int pl_forecast_set_run(pl_forecast_set **out, const pl_case *c, const pl_forecast_request *req,
			pl_error *err);
void pl_forecast_set_free(pl_forecast_set *s);

/* The engines that ran, in registry order, and their results. */
size_t pl_forecast_set_n_results(const pl_forecast_set *s);
const pl_result *pl_forecast_set_result(const pl_forecast_set *s, size_t i);
const pl_engine *pl_forecast_set_engine(const pl_forecast_set *s, size_t i);
/* The forum id, or NULL when every actor sits at the table ("everyone"). */
const char *pl_forecast_set_forum(const pl_forecast_set *s);

/* The documents of `parley forecast --format json|csv` (docs/formats.md),
 * with the request's trace; *out is freed with pl_free. */
int pl_forecast_json(char **out, const pl_forecast_set *s, pl_error *err);
int pl_forecast_csv(char **out, const pl_forecast_set *s, pl_error *err);

/* ---- forum comparisons ------------------------------------------------------ */

#define PL_COMPARE_REQUEST_VERSION 1

typedef struct pl_compare_request {
	unsigned version;     /* PL_COMPARE_REQUEST_VERSION */
	const char *forums;   /* "all" or "ID,ID,..." ("everyone": all actors at full
				 weight); NULL: "all" */
	const char *engines;  /* "all" or "NAME,NAME,..."; NULL: "all" */
	const char *baseline; /* a format compared, or NULL: the forum with the most
				 members if it seats more than half of the
				 actors, else everyone */
	size_t n_params;      /* engine parameters as text (pl_params_assign) */
	const char *const *params;
	int rounds; /* 0 = each engine's default */
	uint64_t seed;
} pl_compare_request;

#define PL_COMPARE_REQUEST_INIT                                                                    \
	{                                                                                          \
		PL_COMPARE_REQUEST_VERSION, "all", "all", NULL, 0, NULL, 0, 0                      \
	}

/* A comparison with the formats and engines it was asked for. */
typedef struct pl_comparison pl_comparison;

/* Runs every format of the request with every engine (pl_compare_run).  An
 * unknown forum or engine, one listed twice, a baseline not among the
 * formats or a bad parameter is refused naming it; *out stays NULL. */
int pl_comparison_run(pl_comparison **out, const pl_case *c, const pl_compare_request *req,
		      pl_error *err);
/* Whether the request compares two formats or more: a case that declares no
 * forum (with forums "all"), or a list of one, leaves nothing to compare and
 * is refused (PL_EINPUT) saying so.  The command and the server call it
 * before pl_comparison_run; the report, which shows a case without forums
 * too, does not. */
int pl_compare_request_check(const pl_case *c, const pl_compare_request *req, pl_error *err);
/* The format whose forecasts (every engine, every issue) and utilities
 * are exactly those of format k ("everyone" and a forum that seats every
 * actor at full weight): the baseline when it is one of them, else the
 * first; k itself when no other format is the same.  A table shows such
 * formats once. */
size_t pl_comparison_same_as(const pl_comparison *x, size_t k);
void pl_comparison_free(pl_comparison *x);

/* The comparison's results (pl_compare_result and the other calls of
 * analysis.h take the indices below). */
const pl_compare *pl_comparison_compare(const pl_comparison *x);
/* The formats: a forum index of the case, or PL_NO_FORUM for everyone; its
 * id ("everyone" for PL_NO_FORUM); which of them is the baseline. */
size_t pl_comparison_n_forums(const pl_comparison *x);
size_t pl_comparison_forum(const pl_comparison *x, size_t k);
const char *pl_comparison_forum_id(const pl_comparison *x, size_t k);
size_t pl_comparison_baseline(const pl_comparison *x);
/* The engines and the parameters each ran with. */
size_t pl_comparison_n_engines(const pl_comparison *x);
const pl_engine *pl_comparison_engine(const pl_comparison *x, size_t e);
const pl_params *pl_comparison_params(const pl_comparison *x, size_t e);
/* Engine e's result under the first format it ran in (every format runs an
 * engine with the same parameters, seed and rounds), for the provenance;
 * NULL when it ran in none. */
const pl_result *pl_comparison_engine_result(const pl_comparison *x, size_t e);
/* Sum over the issues actor a takes part in of its gain under format k. */
double pl_comparison_total_gain(const pl_comparison *x, size_t k, size_t a);

/* The documents of `parley compare --format json|csv`; *out is freed with
 * pl_free. */
int pl_compare_json(char **out, const pl_comparison *x, pl_error *err);
int pl_compare_csv(char **out, const pl_comparison *x, pl_error *err);

/* ---- sweeps ------------------------------------------------------------------ */

#define PL_SWEEP_REQUEST_VERSION 1

typedef struct pl_sweep_request {
	unsigned version;   /* PL_SWEEP_REQUEST_VERSION */
	const char *engine; /* an engine name; NULL: "compromise" */
	const char *forum;  /* a forum id, "everyone" or NULL (all actors) */
	uint64_t n;	    /* samples (>= 1) */
	uint64_t seed;
	unsigned threads; /* worker threads, 0 = one per online core */
	int rounds;	  /* 0 = the engine's default */
	size_t n_params;  /* engine parameters as text (pl_params_assign) */
	const char *const *params;
	size_t n_thresholds; /* "[ISSUE:]X" or ">=X": P(forecast >= X); "<=X":
				P(forecast <= X); "A..B": P(A <= forecast <= B) */
	const char *const *thresholds;
	int sensitivity; /* the indices: PL_SENS_* (PL_SENS_GIVEN after _INIT) */
	pl_sweep_by by;	 /* their factors */
	int exact;	 /* a case with no declared uncertainty stays exact */
	size_t bins;	 /* histogram bins (20 after _INIT) */
	/* only samples [first, first + count) (count 0: to n), for one part
	 * of a sweep split over processes (pl_sweep_merge) */
	uint64_t first, count;
	pl_progress_fn progress; /* may be NULL */
	void *progress_ctx;
} pl_sweep_request;

#define PL_SWEEP_REQUEST_INIT                                                                      \
	{                                                                                          \
		PL_SWEEP_REQUEST_VERSION, "compromise", NULL, 1000, 1, 0, 0, 0, NULL, 0, NULL, 2,  \
			PL_BY_INPUT, 0, 20, 0, 0, NULL, NULL                                       \
	}

/* Runs the request (pl_sweep_run).  An unknown engine, forum or threshold
 * issue, a threshold that is not a number or a bad parameter is refused
 * naming it; *out stays NULL. */
int pl_sweep_run_request(pl_sweep **out, const pl_case *c, const pl_sweep_request *req,
			 pl_error *err);

/* One sweep per value of one engine parameter (`parley sweep --over`;
 * docs/analysis/sweep.md, "Over a parameter"): over is "NAME=START:STOP:STEP"
 * (STOP included when a whole number of steps away; STEP > 0) or
 * "NAME=V1,V2,..." (at most 1001 values).  Each value runs req with
 * NAME=VALUE added to its parameters (which must not set NAME already) and
 * the same seed: what `parley sweep -p NAME=VALUE` gives for it.  A bad range
 * or parameter is refused naming it; *out stays NULL. */
typedef struct pl_sweep_over pl_sweep_over;
int pl_sweep_over_run(pl_sweep_over **out, const pl_case *c, const pl_sweep_request *req,
		      const char *over, pl_error *err);
void pl_sweep_over_free(pl_sweep_over *o);
const char *pl_sweep_over_param(const pl_sweep_over *o);
size_t pl_sweep_over_n(const pl_sweep_over *o);
/* Value k as text (as the engine got it) and its sweep; NULL out of range. */
const char *pl_sweep_over_value(const pl_sweep_over *o, size_t k);
pl_sweep *pl_sweep_over_sweep(const pl_sweep_over *o, size_t k);
/* The documents of `parley sweep --over ... --format json|csv`: each value's
 * sweep document (as pl_sweep_json, with "value") in "sweeps"; the CSV of
 * pl_sweep_csv with the value as a first column. */
int pl_sweep_over_json(char **out, const pl_case *c, const pl_sweep_over *o, pl_error *err);
int pl_sweep_over_csv(char **out, const pl_case *c, const pl_sweep_over *o, pl_error *err);

/* The documents of `parley sweep --format json|csv` for sweep s of case c;
 * *out is freed with pl_free. */
int pl_sweep_json(char **out, const pl_case *c, const pl_sweep *s, pl_error *err);
int pl_sweep_csv(char **out, const pl_case *c, const pl_sweep *s, pl_error *err);
/* Which uncertainty the sweep drew from, in words: "none (every input exact)",
 * "as declared by the case" or "parley defaults (the case declares none)". */
const char *pl_sweep_uncertainty_text(const pl_sweep *s);

/* ---- the HTML report ------------------------------------------------------- */

#define PL_REPORT_REQUEST_VERSION 1

typedef struct pl_report_request {
	unsigned version;	       /* PL_REPORT_REQUEST_VERSION */
	const char *engines;	       /* "all" or "NAME,..." to forecast and compare */
	const char *trajectory_engine; /* whose rounds are drawn; NULL: the first
					  dynamic engine, else the first engine */
	const char *sweep_engine;      /* NULL: "compromise" */
	const char *forums;	       /* formats compared: "all" or "ID,..." */
	const char *baseline;	       /* NULL: the largest forum */
	uint64_t n;		       /* sweep samples */
	uint64_t seed;		       /* sweep seed */
	unsigned threads;	       /* sweep threads, 0 = one per online core */
} pl_report_request;

#define PL_REPORT_REQUEST_INIT                                                                     \
	{                                                                                          \
		PL_REPORT_REQUEST_VERSION, "all", NULL, "compromise", "all", NULL, 2000, 1, 0      \
	}

/* The data of a report: the forecasts of every engine, round-by-round
 * trajectories, the forum comparison, the sweep with its indices, per-format
 * sweeps and the palette. */
typedef struct pl_report pl_report;

int pl_report_run(pl_report **out, const pl_case *c, const pl_report_request *req, pl_error *err);
void pl_report_free(pl_report *r);

/* Whether this parley was built with Chart.js (from node_modules at build
 * time), which pl_report_html inlines; without it pl_report_html fails with
 * PL_EIO saying how to get it. */
int pl_report_html_available(void);

/* The self-contained HTML page of `parley report` (it opens offline); *out
 * is freed with pl_free. */
int pl_report_html(char **out, const pl_report *r, pl_error *err);

/* One chart of a report as numbers, for a plotting program (`parley report
 * --svg/--png` draws it with PLplot): grouped bars (categories x series), or
 * lines (points x series) when lines is set.  Its strings point into the
 * report (and labels): valid while the report is. */
#define PL_CHART_SERIES 10
#define PL_CHART_POINTS 256
#define PL_CHART_LABELS 16

typedef struct pl_chart {
	char title[256];
	const char *value_label;
	size_t n_cat, n_ser;
	const char *cat[PL_CHART_POINTS];
	const char *ser[PL_CHART_SERIES];
	double v[PL_CHART_POINTS][PL_CHART_SERIES];
	int horizontal;
	int lines;
	double lo, hi; /* the value axis of lines */
	/* each series' colour (0-255 red, green, blue), the HTML page's */
	int rgb[PL_CHART_SERIES][3];
	char labels[PL_CHART_LABELS][64]; /* storage for category names */
} pl_chart;

/* Chart which ("forecasts", "compare", "hist:ISSUE", "tornado:ISSUE" or
 * "trajectory:ISSUE") of report r into *out; PL_EINPUT saying what the
 * choices are for another. */
int pl_report_chart(pl_chart *out, const pl_report *r, const char *which, pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
