/* backtest_impl.h - the inside of a pl_case_set and a pl_backtest, shared by
 * backtest.c (running) and src/report/backtest_doc.c (its documents). */
#ifndef PL_BACKTEST_IMPL_H
#define PL_BACKTEST_IMPL_H

#include "parley/backtest.h"

struct pl_case_set {
	size_t n, cap;
	const pl_case **cases;
	char **names;
	pl_case **owned; /* read from a file by the set (freed with it), else NULL */
};

/* One engine on one issue with an outcome. */
typedef struct pl__bt_cell {
	double forecast; /* NAN: did not run (why_text says why) */
	double error;	 /* 100 (forecast - outcome) / range */
	double q[4];	 /* sweep quantiles 0.1, 0.25, 0.75, 0.9 */
	double crps;
	char *why_text;
} pl__bt_cell;

struct pl_backtest {
	const pl_case_set *set;
	size_t n_engines;
	const pl_engine **engines;
	pl_params **params;
	char **params_text; /* canonical, one per engine */
	int rounds;
	uint64_t seed, sweep;
	size_t n_issues, n_cases_used;
	pl_backtest_issue *issues;
	size_t *case_first, *case_count; /* each case's issues in issues[] */
	pl__bt_cell *cells;		 /* n_issues x n_engines */
	pl_stack *stack;		 /* NULL without stacking */
};

int pl__backtest_stack(pl_stack **out, const pl_backtest *b, pl_error *err);
void pl_stack_free(pl_stack *s);

/* Refuses a parameter that records a run to a file (smp's log): a backtest
 * with sweeps runs each engine thousands of times. */
int pl__backtest_check_sweep(const pl_engine *e, const pl_params *p, char **text,
			     pl_error *err);

#endif
