/* inputs.h - the uncertain inputs of a case and how a sweep draws them. */
#ifndef PL_ANALYSIS_INPUTS_H
#define PL_ANALYSIS_INPUTS_H

#include "parley/analysis.h"

#include <gsl/gsl_rng.h>

/* parley's defaults for a case that declares no uncertainty at all
 * (docs/analysis/sweep.md). */
#define PL_DEFAULT_CAPABILITY_SD 0.10 /* fraction of the capability */
#define PL_DEFAULT_POSITION_SD	 0.05 /* fraction of the range */
#define PL_DEFAULT_SALIENCE_SD	 0.10 /* salience units (10 on the 0-100 scale) */

/* Draws one value of input in: a capability factor around 1 (capabilities
 * are multiplied by it), or a position or salience on [lo, hi]. */
double pl__input_draw(const pl_input *in, double lo, double hi, gsl_rng *r);
/* The nb - 1 inner edges of nb bins of equal probability under the
 * distribution pl__input_draw draws from (edges[b - 1] = F^-1(b / nb)); an
 * input that does not vary gets edges that put every draw in one bin. */
void pl__input_bin_edges(const pl_input *in, double lo, double hi, size_t nb, double *edges);

#endif
