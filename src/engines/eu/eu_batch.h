/* eu_batch.h - the expected-utility engine run on many samples of one
 * issue at once, for sweeps: four samples side by side in the lanes of a
 * vector (AVX2, chosen at run time when the CPU has it; the same code on
 * plain C vectors for the tests), each sample's result bit for bit the scalar engine's
 * (pl__eu_run; tests/unit/test_eu_batch.c compares them).  A lane whose
 * sample comes to rest, cycles or reaches the last round is refilled with
 * the next sample; samples the batch does not take (degenerate ones, and
 * every variant but the default's) are left to the scalar engine.
 * docs/models/eu.md ("Cost") describes it. */
#ifndef PL_ENGINES_EU_BATCH_H
#define PL_ENGINES_EU_BATCH_H

#include "engines/eu/eu.h"

#include <stddef.h>

/* Instruction sets of the batch. */
enum { PL_EU_ISA_AUTO, PL_EU_ISA_GENERIC, PL_EU_ISA_AVX2 };

typedef struct pl__eu_batch pl__eu_batch;

/* The most actors the sweep gives the batch (a batch takes any n up to the
 * max_n it was made for).  Its cost grows with n^2 (every pair of
 * actors, masked) where the scalar engine's grows with n m (m distinct
 * positions) and skips more offers one sample at a time: measured on this
 * project's machine, AVX2 lanes run 2.3x the scalar engine's speed at 6 and
 * 10 actors, 1.6x at 16, and break even at 24 (docs/benchmarks.md). */
#define PL_EU_BATCH_MAX_N 20

/* Can the batch run this variant on n actors?  (The default variants,
 * q = 1; any range, forecast and cycle rule; n >= 2.) */
int pl__eu_batch_supports(const pl__eu_config *cfg, size_t n);
/* Does this CPU run the batch faster than the scalar engine?  (AVX2: the
 * plain-C variant, PL_EU_ISA_GENERIC, is the same arithmetic for the tests
 * and for machines without it, at half the scalar engine's speed.) */
int pl__eu_batch_available(void);
/* A batch for issues of up to max_n actors; isa PL_EU_ISA_*.  NULL when
 * out of memory or when isa names a set this CPU lacks. */
pl__eu_batch *pl__eu_batch_new(size_t max_n, int isa);
void pl__eu_batch_free(pl__eu_batch *b);
/* The instruction set chosen (PL_EU_ISA_GENERIC or PL_EU_ISA_AVX2). */
int pl__eu_batch_isa(const pl__eu_batch *b);

/* Runs count samples of one issue of n actors (sample j's arrays at
 * pos + j n, sal + j n, cap + j n; the scale [lo, hi]) for up to
 * rounds rounds.  For each sample: taken[j] = 1 and forecast[j], cycling[j]
 * (1 when it ended in a cycle between different forecasts) as pl__eu_run
 * would give them; taken[j] = 0 for a sample left to the scalar engine. */
void pl__eu_batch_run(pl__eu_batch *b, const pl__eu_config *cfg, int rounds, size_t n,
		      size_t count, const double *pos, const double *sal, const double *cap,
		      double lo, double hi, double *forecast, unsigned char *cycling,
		      unsigned char *taken);

#endif
