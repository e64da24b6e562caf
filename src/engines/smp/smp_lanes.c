/* smp_lanes.c - the third parties' votes in several challenges of one
 * initiator at once (VotingRule=Prop, ThirdPartyCommit=SemiCommit, the
 * defaults), one target per lane of a 4-wide vector.
 *
 * Each lane does what smp_turn.c's third_parties() does for its target: the
 * same operations on the same values in the same order (third parties in
 * index order, no fused multiply-add: -ffp-contract=off), so its sums are
 * the same bits.  A branch of the scalar code becomes a mask: "if (v > 0)
 * a = a + v" is a + (v > 0 ? v : +0.0), the same number since a > 0; the
 * initiator's and the lane's own target are left out by a zero vote.  The
 * vectors are GCC's generic ones, compiled twice: for any x86-64 (two SSE2
 * halves) and for AVX2, chosen at run time; both give the same bits. */
#include "engines/smp/smp_internal.h"

#include <stdint.h>

#if defined(__clang__)
#pragma clang diagnostic ignored "-Wpsabi"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define HAVE_AVX2_VARIANT 1
#else
#define HAVE_AVX2_VARIANT 0
#endif

typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));

#define INL static inline __attribute__((always_inline))

/* x where the mask is set, +0.0 elsewhere */
INL v4d keep(v4i mask, v4d x)
{
	return (v4d)((v4i)x & mask);
}

INL v4d splat(double x)
{
	return (v4d){x, x, x, x};
}

INL void lanes_body(const smp_model *m, const double *rh, const double *ut_i,
		    const double *ut_t, const double *ra, smp_lanes *l)
{
	const size_t n = m->n, i = l->i;
	const double *vd = m->vdiff, *wnv = m->wn;
	const size_t j0 = l->j[0], j1 = l->j[1], j2 = l->j[2], j3 = l->j[3];
	const v4i jv = {(int64_t)j0, (int64_t)j1, (int64_t)j2, (int64_t)j3};
	const v4d ci = {l->a[0], l->a[1], l->a[2], l->a[3]};
	const v4d cj = {l->b[0], l->b[1], l->b[2], l->b[3]};
	const v4d one = splat(1.0), zero = splat(0.0);
	v4d a = ci, b = cj;
	int live[SMP_LANES], nlive = 0;
	for (size_t q = 0; q < SMP_LANES; q++) {
		live[q] = q < l->nl;
		l->done[q] = 0;
		nlive += live[q];
	}
	for (size_t t0 = 0; t0 < n; t0 += SMP_STOP_BLOCK) {
		const size_t t1 = n - t0 > SMP_STOP_BLOCK ? t0 + SMP_STOP_BLOCK : n;
		for (size_t t = t0; t < t1; t++) {
			if (t == i)
				continue;
			const double *row = vd + t * n; /* row[j] = vdiff_t[j * n + t] */
			const v4d sd = {row[j0], row[j1], row[j2], row[j3]};
			const double r = rh[t], uni = ut_i[t], unn = ut_t[t], wn = wnv[t];
			/* pl__smp_bsutil_inline(sd, r) */
			const v4i le = sd <= one;
			const v4d u_in = (one - sd) * (one + sd * r);
			const v4d u_out = (one - sd) * (1 + r);
			const v4d unj = (v4d)(((v4i)u_in & le) | ((v4i)u_out & ~le));
			/* tp_vote_with(VR_PROP, TPC_SEMI, ...) */
			const v4d cn = wn * (uni - unj);
			const v4d cni = ci + keep(cn > zero, cn);
			const v4d cnj = cj - keep(cn < zero, cn);
			const v4d pin = cni / (cni + cnj), pjn = one - pin;
			const double u_ik_def_j = uni + uni + unn, u_i_def_jk = uni + uni + uni;
			const v4d u_j_def_ik = unj + unj + unj, u_jk_def_i = unj + unj + unn;
			const v4d u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik);
			const v4d u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i);
			const v4d v = keep(jv != (int64_t)t, wn * (u_ik_j - u_i_jk));
			a = a + keep(v > zero, v);
			b = b - keep(v < zero, v);
		}
		if (t1 < n) {
			for (size_t q = 0; q < l->nl; q++)
				if (live[q] && l->stop[q] &&
				    pl__smp_cannot_win(&l->g[q], (a[q] + ra[t1]) * (1.0 + 1e-9), b[q])) {
					live[q] = 0;
					nlive--;
				}
			if (nlive == 0)
				return;
		}
	}
	for (size_t q = 0; q < l->nl; q++) {
		l->done[q] = live[q];
		l->a[q] = a[q];
		l->b[q] = b[q];
	}
}

static void lanes_generic(const smp_model *m, const double *rh, const double *ut_i,
			  const double *ut_t, const double *ra, smp_lanes *l)
{
	lanes_body(m, rh, ut_i, ut_t, ra, l);
}

#if HAVE_AVX2_VARIANT
__attribute__((target("avx2"))) static void lanes_avx2(const smp_model *m, const double *rh,
							const double *ut_i, const double *ut_t,
							const double *ra, smp_lanes *l)
{
	lanes_body(m, rh, ut_i, ut_t, ra, l);
}
#endif

int pl__smp_lanes_avx2(void)
{
#if HAVE_AVX2_VARIANT
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") != 0;
#else
	return 0;
#endif
}

void pl__smp_lanes_run(const smp_model *m, const double *rh, const double *ut_i,
		       const double *ut_t, const double *ra, smp_lanes *l)
{
	/* unused lanes repeat lane 0's target; their results are not read */
	for (size_t q = l->nl; q < SMP_LANES; q++) {
		l->j[q] = l->j[0];
		l->a[q] = l->a[0];
		l->b[q] = l->b[0];
	}
#if HAVE_AVX2_VARIANT
	if (m->avx2) {
		lanes_avx2(m, rh, ut_i, ut_t, ra, l);
		return;
	}
#endif
	lanes_generic(m, rh, ut_i, ut_t, ra, l);
}
