/* sweep_out.h - a sweep's results as a table (`parley sweep`). */
#ifndef PARLEY_CLI_SWEEP_OUT_H
#define PARLEY_CLI_SWEEP_OUT_H

#include <stdio.h>

#include <parley/parley.h>

typedef struct sweep_out_opts {
	int top;	    /* factors listed per issue in the table */
	int engine_default; /* the engine and the seed were not given: the */
	int seed_default;   /* table says they are sweep's defaults */
} sweep_out_opts;

void sweep_print_table(FILE *f, const pl_case *c, const pl_sweep *s, const sweep_out_opts *o);
/* `parley sweep --over`: one row per value and issue. */
void sweep_print_over_table(FILE *f, const pl_case *c, const pl_sweep_over *ov);

/* Factor indices of issue i ordered by total index, largest first; *order is
 * malloc'd.  Returns how many (0 without sensitivity). */
size_t sweep_ranked_factors(const pl_sweep *s, size_t issue, size_t **order);

#endif
