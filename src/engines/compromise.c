/* compromise.c - Achen's compromise model: the forecast is the mean of the
 * positions weighted by capability x salience (docs/models/compromise.md). */
#include "engines/engine_impl.h"
#include "engines/weighted.h"

#include <stdlib.h>

static int run(const pl_issue_view *v, const pl_engine_args *args, pl_outcome_buf *out,
	       pl_error *err)
{
	double *w = malloc(v->n * sizeof *w);
	if (!w)
		return PL_ENOMEM;
	if (pl__power_weights(v->n, v->cap, v->sal, w)) {
		free(w);
		return pl__no_salience(err);
	}
	double f = pl__weighted_mean(v->n, v->pos, w);
	free(w);
	return pl__outcome_push_round(out, v->pos, f);
}

const struct pl_engine pl_engine_compromise = {
	.name = "compromise",
	.summary = "Achen's compromise: the capability x salience weighted mean",
	.run_issue = run,
};
