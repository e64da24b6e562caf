/* smp_values.c - every actor's value of the state after each bargain
 * proposed in a turn, and of the status quo (docs/models/smp.md, step 9):
 * the mean of its utilities for everyone's positions, the two parties'
 * replaced by the bargain's.  Each value is taken once a turn (the two PCEs
 * that weigh a bargain read the same row of brg_val).
 *
 * A value is a sum over the positions x = 0, 1, ... in order (the two
 * parties' bargain positions first), so it cannot be shared between
 * bargains without changing its last bits; it is O(n) and there are up to
 * n + 1 rows of n actors: n^3 additions a turn.  They are taken for many
 * actors at once: with the utilities stored by position (selfu_t[x * n + a])
 * the actors of a tile are contiguous, and the innermost loop adds one
 * position's row to a block of bargains' partial sums, a plain vector loop
 * (compiled for any x86-64 and for AVX2, chosen at run time).  Each actor's
 * sum still takes the same terms in the same order: the same bits as
 * m->plain's one actor at a time. */
#include "engines/smp/smp_internal.h"
#include "engines/smp/smp_par.h"

#include <stdint.h>
#include <stdlib.h>

double pl__smp_pos_util(const smp_model *m, size_t a, const double *p)
{
	return pl__smp_bsutil(pl__smp_bv_diff(m->idl + a * m->d, p, m->sal + a * m->d, m->d),
			      m->risk[a]);
}

/* one actor at a time (m->plain) */
static double bargain_value(const smp_model *m, size_t a, size_t b)
{
	const size_t n = m->n;
	const double *u = m->selfu_t + a; /* u[x * n]: a's utility for x's position */
	double s = 0.0;
	if (b == SIZE_MAX) {
		for (size_t x = 0; x < n; x++)
			s = s + u[x * n];
		return s / (double)n;
	}
	const smp_bargain *g = &m->brg[b];
	s = s + pl__smp_pos_util(m, a, g->pi);
	s = s + pl__smp_pos_util(m, a, g->pr);
	/* every x but the two parties, in order */
	const size_t lo = g->init < g->rcvr ? g->init : g->rcvr;
	const size_t hi = g->init < g->rcvr ? g->rcvr : g->init;
	for (size_t x = 0; x < lo; x++)
		s = s + u[x * n];
	for (size_t x = lo + 1; x < hi; x++)
		s = s + u[x * n];
	for (size_t x = hi + 1; x < n; x++)
		s = s + u[x * n];
	return s / (double)n;
}

/* The bargain slots proposed this turn (2i: initiator i's; 2i + 1: the
 * receiver's view under InitRcvrInterp) and the status quo (2n). */
typedef struct values_job {
	smp_model *m;
	size_t *slot, ns;
} values_job;

static int value_plain(void *ctx, size_t q)
{
	values_job *job = ctx;
	smp_model *m = job->m;
	const size_t n = m->n, b = job->slot[q];
	for (size_t a = 0; a < n; a++)
		m->brg_val[b * n + a] = bargain_value(m, a, b == 2 * n ? SIZE_MAX : b);
	return PL_OK;
}

#define VAL_B 16 /* bargains per block */
#define VAL_A 64 /* actors per tile */

static inline __attribute__((always_inline)) void values_body(values_job *job, size_t blk)
{
	smp_model *m = job->m;
	const size_t n = m->n, q0 = blk * VAL_B;
	const size_t nb = job->ns - q0 > VAL_B ? VAL_B : job->ns - q0;
	size_t lo[VAL_B], hi[VAL_B];
	double acc[VAL_B][VAL_A];
	for (size_t s = 0; s < nb; s++) {
		const size_t b = job->slot[q0 + s];
		if (b == 2 * n) {
			lo[s] = hi[s] = SIZE_MAX;
			continue;
		}
		const smp_bargain *g = &m->brg[b];
		lo[s] = g->init < g->rcvr ? g->init : g->rcvr;
		hi[s] = g->init < g->rcvr ? g->rcvr : g->init;
	}
	for (size_t a0 = 0; a0 < n; a0 += VAL_A) {
		const size_t len = n - a0 > VAL_A ? VAL_A : n - a0;
		for (size_t s = 0; s < nb; s++) {
			const size_t b = job->slot[q0 + s];
			for (size_t a = 0; a < len; a++) {
				double v = 0.0;
				if (b != 2 * n) {
					v = v + pl__smp_pos_util(m, a0 + a, m->brg[b].pi);
					v = v + pl__smp_pos_util(m, a0 + a, m->brg[b].pr);
				}
				acc[s][a] = v;
			}
		}
		for (size_t x = 0; x < n; x++) {
			const double *row = m->selfu_t + x * n + a0;
			for (size_t s = 0; s < nb; s++) {
				if (x == lo[s] || x == hi[s])
					continue;
				double *ac = acc[s];
				for (size_t a = 0; a < len; a++)
					ac[a] = ac[a] + row[a];
			}
		}
		for (size_t s = 0; s < nb; s++) {
			double *out = m->brg_val + job->slot[q0 + s] * n + a0;
			for (size_t a = 0; a < len; a++)
				out[a] = acc[s][a] / (double)n;
		}
	}
}

static int values_generic(void *ctx, size_t blk)
{
	values_body(ctx, blk);
	return PL_OK;
}

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
__attribute__((target("avx2"))) static int values_avx2(void *ctx, size_t blk)
{
	values_body(ctx, blk);
	return PL_OK;
}
#endif

int pl__smp_values(smp_model *m)
{
	const size_t n = m->n;
	values_job job = {m, malloc((2 * n + 1) * sizeof(size_t)), 0};
	if (!job.slot)
		return PL_ENOMEM;
	for (size_t b = 0; b < 2 * n; b++)
		if (m->target[b / 2] >= 0 && (b % 2 == 0 || m->par.bm == BM_INIT_RCVR))
			job.slot[job.ns++] = b;
	job.slot[job.ns++] = 2 * n;
	int rc;
	if (m->plain) {
		rc = pl__smp_par_for(m->threads, job.ns, value_plain, &job);
	} else {
		int (*fn)(void *, size_t) = values_generic;
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
		if (m->avx2)
			fn = values_avx2;
#endif
		rc = pl__smp_par_for(m->threads, (job.ns + VAL_B - 1) / VAL_B, fn, &job);
	}
	free(job.slot);
	return rc;
}
