/* smp_lanes.c - the third parties' votes in several challenges of one
 * initiator at once (VotingRule=Prop, ThirdPartyCommit=SemiCommit, the
 * defaults), one target per lane of a 4-wide vector.
 *
 * Each lane computes, for its target, every third party's vote with the
 * same operations on the same values as smp_turn.c's third_parties() (no
 * fused multiply-add: -ffp-contract=off), so each vote is the same bits.
 * The votes are computed heaviest voter first (m->perm), so that the bound
 * of the stop rule (smp_turn.c, "Stopping a target's sum") on what the
 * rest can add shrinks fast, and kept; a lane that is not stopped then sums
 * its kept votes in index order, as one challenge at a time does: the same
 * sums.  A branch of the scalar code becomes a mask: "if (v > 0) a = a + v"
 * is a + (v > 0 ? v : +0.0), the same number since a > 0; the initiator's
 * and the lane's own target are left out by a vote of +0.0.  The vectors
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

VEC4_INL void lanes_body(const smp_model *m, const smp_lane_rows *rw, smp_lanes *l)
{
	const size_t n = m->n, i = l->i;
	const size_t *perm = rw->perm;
	double *vote = rw->vote;
	const size_t j0 = l->j[0], j1 = l->j[1], j2 = l->j[2], j3 = l->j[3];
	const v4i jv = {(int64_t)j0, (int64_t)j1, (int64_t)j2, (int64_t)j3};
	const double *c0 = m->vdiff_t + j0 * n, *c1 = m->vdiff_t + j1 * n;
	const double *c2 = m->vdiff_t + j2 * n, *c3 = m->vdiff_t + j3 * n;
	const v4d ci = {l->a[0], l->a[1], l->a[2], l->a[3]};
	const v4d cj = {l->b[0], l->b[1], l->b[2], l->b[3]};
	const v4d one = splat(1.0), zero = splat(0.0);
	/* the sides so far, summed in the order of perm: only for the stop
	 * rule (the sides returned are summed below in index order) */
	v4d ak = ci, bk = cj;
	int live[SMP_LANES], nlive = 0;
	for (size_t q = 0; q < SMP_LANES; q++) {
		live[q] = q < l->nl;
		l->done[q] = 0;
		nlive += live[q];
	}
	memset(vote + i * SMP_LANES, 0, SMP_LANES * sizeof *vote);
	for (size_t k0 = 0; k0 < n; k0 += SMP_STOP_BLOCK) {
		const size_t k1 = n - k0 > SMP_STOP_BLOCK ? k0 + SMP_STOP_BLOCK : n;
		for (size_t k = k0; k < k1; k++) {
			const size_t t = perm[k];
			if (t == i)
				continue;
			/* vdiff[t * n + j], read down the targets' columns: four
			 * columns of vdiff_t stay in cache for the whole batch */
			const v4d sd = {c0[t], c1[t], c2[t], c3[t]};
			const double r = rw->rh[k], uni = rw->ut_i[k], unn = rw->ut_t[k];
			const double wn = rw->wn[k];
			/* pl__smp_bsutil_inline(sd, r) */
			const v4i le = sd <= one;
			const v4d u_in = (one - sd) * (one + sd * r);
			const v4d u_out = (one - sd) * (1 + r);
			const v4d unj = (v4d)(((v4i)u_in & le) | ((v4i)u_out & ~le));
			/* tp_vote_with(VR_PROP, TPC_SEMI, ...) */
			const v4d cn = wn * (uni - unj);
			const v4d cni = ci + vec4_keep(cn > zero, cn);
			const v4d cnj = cj - vec4_keep(cn < zero, cn);
			const v4d pin = cni / (cni + cnj), pjn = one - pin;
			const double u_ik_def_j = uni + uni + unn, u_i_def_jk = uni + uni + uni;
			const v4d u_j_def_ik = unj + unj + unj, u_jk_def_i = unj + unj + unn;
			const v4d u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik);
			const v4d u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i);
			const v4d v = vec4_keep(jv != (int64_t)t, wn * (u_ik_j - u_i_jk));
			memcpy(vote + t * SMP_LANES, &v, sizeof v);
			ak = ak + vec4_keep(v > zero, v);
			bk = bk - vec4_keep(v < zero, v);
		}
		if (k1 < n) {
			/* ak, bk are sums of the same terms in another order than
			 * the final ones: 1e-9 of room each way, far above rounding */
			for (size_t q = 0; q < l->nl; q++)
				if (live[q] && l->stop[q] &&
				    pl__smp_cannot_win(&l->g[q], (ak[q] + rw->ra[k1]) * (1.0 + 1e-9),
						       bk[q] * (1.0 - 1e-9))) {
					live[q] = 0;
					nlive--;
				}
			if (nlive == 0)
				return;
		}
	}
	/* the sides, in index order as one challenge at a time sums them (the
	 * initiator's and the lane's target's votes are +0.0) */
	v4d a = ci, b = cj;
	for (size_t t = 0; t < n; t++) {
		const v4d v = vec4_load(vote + t * SMP_LANES);
		a = a + vec4_keep(v > zero, v);
		b = b - vec4_keep(v < zero, v);
	}
	for (size_t q = 0; q < l->nl; q++) {
		l->done[q] = live[q];
		l->a[q] = a[q];
		l->b[q] = b[q];
	}
}

static void lanes_generic(const smp_model *m, const smp_lane_rows *rw, smp_lanes *l)
{
	lanes_body(m, rw, l);
}

#if VEC4_AVX2
VEC4_TARGET_AVX2 static void lanes_avx2(const smp_model *m, const smp_lane_rows *rw,
					       smp_lanes *l)
{
	lanes_body(m, rw, l);
}
#endif

int pl__smp_lanes_avx2(void)
{
	return vec4_cpu_avx2();
}

void pl__smp_lanes_run(const smp_model *m, const smp_lane_rows *rw, smp_lanes *l)
{
	/* unused lanes repeat lane 0's target; their results are not read */
	for (size_t q = l->nl; q < SMP_LANES; q++) {
		l->j[q] = l->j[0];
		l->a[q] = l->a[0];
		l->b[q] = l->b[0];
	}
#if VEC4_AVX2
	if (m->avx2) {
		lanes_avx2(m, rw, l);
		return;
	}
#endif
	lanes_generic(m, rw, l);
}
