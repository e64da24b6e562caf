/* smp_lanes.c - the third parties' votes in a challenge
 * (VotingRule=Prop, ThirdPartyCommit=SemiCommit, the defaults), four
 * voters at a time, one per lane of a 4-wide vector.
 *
 * Each lane computes its voter's vote with the same operations on the same
 * values as smp_chlg.c's third_parties() (no fused multiply-add:
 * -ffp-contract=off), so each vote is the same bits.  The voters are taken
 * in the order m->perm (heaviest first), whose rows (weights, risk
 * attitudes, utilities, and each target's column of distances, m->vdiff_p)
 * are laid out in that order so that four voters are one load, a block at
 * a time, so that the bound of the stop rule (smp_chlg.c, "Stopping a
 * target's sum") on what the rest can add shrinks fast; the votes are
 * kept, and a target that is not stopped sums them in index order, as one
 * challenge at a time does: the same sums.  A branch of the scalar code becomes a mask: "if (v > 0) a = a + v"
 * is a + (v > 0 ? v : +0.0), the same number since a > 0; the initiator
 * and the target are left out by a vote of +0.0.  The vectors
 * are GCC's generic ones, compiled twice: for any x86-64 (two SSE2 halves)
 * and for AVX2, chosen at run time; both give the same bits. */
#include "engines/smp/smp_internal.h"
#include "engines/vec4.h"

#include <stdint.h>
#include <string.h>


VEC4_INL v4d splat(double x)
{
	return (v4d){x, x, x, x};
}

#define LANES_RUN  run_generic
#define LANES_VOTE vote_generic
#define LANES_ATTR
#define LANES_POS(v) vec4_keep((v) > zero, (v))
#define LANES_NEG(v) vec4_keep((v) < zero, (v))
#define LANES_LOAD(p) vec4_load(p)
#define LANES_SPLAT(x) splat(x)
#define LANES_KEEP(m, v) vec4_keep((m), (v))
#include "engines/smp/smp_lanes_run.h"

#if VEC4_AVX2
#define LANES_RUN  run_avx2
#define LANES_VOTE vote_avx2
#define LANES_ATTR VEC4_TARGET_AVX2
#define LANES_POS(v) ((v4d)_mm256_max_pd((__m256d)(v), (__m256d)zero))
#define LANES_NEG(v) ((v4d)_mm256_min_pd((__m256d)(v), (__m256d)zero))
/* Intrinsics, not vec4.h's helpers: clang refuses a call that returns a
 * 32-byte vector from a function compiled without AVX into one compiled
 * with it (the ABIs differ), even when the callee is always inlined.  The
 * same loads and bitwise and, so the same bits. */
#define LANES_LOAD(p) ((v4d)_mm256_loadu_pd(p))
#define LANES_SPLAT(x) ((v4d)_mm256_set1_pd(x))
#define LANES_KEEP(m, v) ((v4d)_mm256_and_pd((__m256d)(m), (__m256d)(v)))
#include "engines/smp/smp_lanes_run.h"
#endif

int pl__smp_lanes_avx2(void)
{
	return vec4_cpu_avx2();
}

int pl__smp_lanes_run(const smp_model *m, const smp_lane_rows *rw, smp_lanes *s,
		      const smp_gain_stop *g, const double *ra)
{
#if VEC4_AVX2
	if (m->avx2)
		return run_avx2(rw, s, g, ra);
#endif
	(void)m;
	return run_generic(rw, s, g, ra);
}

/* The sides after every third party, in index order as one challenge at a
 * time sums them (the principals' votes are +0.0): "if (v > 0) a = a + v",
 * the same as adding +0.0 otherwise. */
void pl__smp_lanes_sides(const smp_model *m, const smp_lane_rows *rw, const smp_lanes *s,
			 double *a, double *b)
{
	double x = s->a, y = s->b;
	for (size_t t = 0; t < m->n; t++) {
		const double v = rw->vote[m->place[t]];
		x = v > 0 ? x + v : x;
		y = v < 0 ? y - v : y;
	}
	*a = x;
	*b = y;
}
