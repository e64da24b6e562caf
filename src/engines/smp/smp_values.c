/* smp_values.c - every actor's value of the state after each bargain
 * proposed in a turn, and of the status quo (docs/models/smp.md, step 9):
 * the mean of its utilities for everyone's positions, the two parties'
 * replaced by the bargain's.  Each value is taken once a turn (the two PCEs
 * that weigh a bargain read the same row of brg_val).
 *
 * A value is a sum over the positions x = 0, 1, ... in order (the two
 * parties' bargain positions first), so it cannot be shared between
 * bargains without changing its last bits; it is O(n) and there are up to
 * n + 1 rows of n actors: n^3 additions a turn.  They are taken for eight
 * actors and four bargains at once, in vector registers: with the
 * utilities stored by position (selfu_t[x * n + a], padded by 8) the
 * actors of a tile are contiguous, and each position's row is loaded once
 * for the four bargains (compiled for any x86-64 and for AVX2, chosen at
 * run time).  Each actor's sum still takes the same terms in the same
 * order: the same bits as m->plain's one actor at a time. */
#include "engines/smp/smp_internal.h"
#include "engines/smp/smp_par.h"
#include "engines/vec4.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

#define VAL_S 4 /* bargains per block: 2 x VAL_S vector sums in registers */

/* The sums of VAL_S bargain slots for actors a0 .. a0 + 7 (past n: padding,
 * not stored): two vectors of four actors per slot, in registers, over the
 * positions x in order; a position that is a party to some slot's bargain
 * is added to the other slots only. */
VEC4_INL void values_tile(const smp_model *m, const size_t *slot, size_t nb, size_t a0)
{
	const size_t n = m->n;
	size_t lo[VAL_S], hi[VAL_S], pts[2 * VAL_S], np = 0;
	v4d s0[VAL_S], s1[VAL_S];
	for (size_t s = 0; s < VAL_S; s++) {
		const size_t b = slot[s < nb ? s : 0];
		double v[8];
		lo[s] = hi[s] = SIZE_MAX;
		for (size_t q = 0; q < 8; q++) {
			v[q] = 0.0;
			if (b != 2 * n && a0 + q < n) {
				v[q] = v[q] + pl__smp_pos_util(m, a0 + q, m->brg[b].pi);
				v[q] = v[q] + pl__smp_pos_util(m, a0 + q, m->brg[b].pr);
			}
		}
		s0[s] = vec4_load(v);
		s1[s] = vec4_load(v + 4);
		if (b != 2 * n) {
			const smp_bargain *g = &m->brg[b];
			lo[s] = g->init < g->rcvr ? g->init : g->rcvr;
			hi[s] = g->init < g->rcvr ? g->rcvr : g->init;
			pts[np++] = lo[s];
			pts[np++] = hi[s];
		}
	}
	/* the parties' positions in order, each once */
	for (size_t q = 1; q < np; q++)
		for (size_t r = q; r > 0 && pts[r - 1] > pts[r]; r--) {
			const size_t x = pts[r];
			pts[r] = pts[r - 1];
			pts[r - 1] = x;
		}
	const double *u = m->selfu_t + a0;
	size_t x = 0;
	for (size_t q = 0; q <= np; q++) {
		const size_t end = q < np ? pts[q] : n;
		if (end < x)
			continue; /* a repeated point */
		for (; x < end; x++) {
			const v4d r0 = vec4_load(u + x * n), r1 = vec4_load(u + x * n + 4);
			for (size_t s = 0; s < VAL_S; s++) {
				s0[s] = s0[s] + r0;
				s1[s] = s1[s] + r1;
			}
		}
		if (q < np) {
			const v4d r0 = vec4_load(u + x * n), r1 = vec4_load(u + x * n + 4);
			for (size_t s = 0; s < VAL_S; s++)
				if (x != lo[s] && x != hi[s]) {
					s0[s] = s0[s] + r0;
					s1[s] = s1[s] + r1;
				}
			x++;
		}
	}
	for (size_t s = 0; s < nb; s++) {
		double v[8];
		memcpy(v, &s0[s], sizeof s0[s]);
		memcpy(v + 4, &s1[s], sizeof s1[s]);
		double *out = m->brg_val + slot[s] * n + a0;
		for (size_t q = 0; q < 8 && a0 + q < n; q++)
			out[q] = v[q] / (double)n;
	}
}

VEC4_INL void values_body(values_job *job, size_t tile)
{
	for (size_t q = 0; q < job->ns; q += VAL_S)
		values_tile(job->m, job->slot + q, job->ns - q > VAL_S ? VAL_S : job->ns - q,
			    8 * tile);
}

static int values_generic(void *ctx, size_t tile)
{
	values_body(ctx, tile);
	return PL_OK;
}

#if VEC4_AVX2
VEC4_TARGET_AVX2 static int values_avx2(void *ctx, size_t tile)
{
	values_body(ctx, tile);
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
#if VEC4_AVX2
		if (m->avx2)
			fn = values_avx2;
#endif
		rc = pl__smp_par_for(m->threads, (n + 7) / 8, fn, &job);
	}
	free(job.slot);
	return rc;
}
