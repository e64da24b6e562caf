/* median.c - the median voter: the forecast is the position of the weighted
 * median with weights capability x salience (docs/models/median.md gives
 * the tie rule). */
#include "engines/engine_impl.h"
#include "engines/weighted.h"

#include <stdlib.h>

static int run(const pl_issue_view *v, const pl_engine_args *args, pl_outcome_buf *out,
	       pl_error *err)
{
	double *w = malloc(v->n * sizeof *w);
	pl_wpair *scratch = malloc(v->n * sizeof *scratch);
	if (!w || !scratch) {
		free(w);
		free(scratch);
		return PL_ENOMEM;
	}
	if (pl__power_weights(v->n, v->cap, v->sal, w)) {
		free(w);
		free(scratch);
		return pl__no_salience(err);
	}
	double f = pl__weighted_median(v->n, v->pos, w, scratch);
	double mean = pl__weighted_mean(v->n, v->pos, w);
	free(w);
	free(scratch);
	int rc = pl__outcome_push_round(out, v->pos, f);
	if (!rc)
		rc = pl__outcome_add_stat(out, "mean", mean);
	return rc;
}

const struct pl_engine pl_engine_median = {
	.name = "median",
	.summary = "median voter: the capability x salience weighted median",
	.run_issue = run,
};
