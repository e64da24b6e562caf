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

/* The third parties at places k0 .. k1 - 1 of m->perm (k0 a multiple of
 * SMP_LANES) in the challenge of s->j by s->i: each vote stored in
 * rw->vote[k], the partial sides advanced. */
VEC4_INL void block_body(const smp_lane_rows *rw, smp_lanes *s, size_t k0, size_t k1)
{
	const v4i ki = {(int64_t)s->ki, (int64_t)s->ki, (int64_t)s->ki, (int64_t)s->ki};
	const v4i kj = {(int64_t)s->kj, (int64_t)s->kj, (int64_t)s->kj, (int64_t)s->kj};
	const v4i kn = {(int64_t)rw->n, (int64_t)rw->n, (int64_t)rw->n, (int64_t)rw->n};
	const v4i step = {SMP_LANES, SMP_LANES, SMP_LANES, SMP_LANES};
	const v4d ci = splat(s->a), cj = splat(s->b);
	const v4d one = splat(1.0), zero = splat(0.0);
	const double *sdj = s->sd;
	v4d ak = vec4_load(s->ak), bk = vec4_load(s->bk);
	v4i kv = {(int64_t)k0, (int64_t)k0 + 1, (int64_t)k0 + 2, (int64_t)k0 + 3};
	for (size_t k = k0; k < k1; k += SMP_LANES, kv = kv + step) {
		/* vdiff[t * n + j] for the third parties t at places k .. k + 3 */
		const v4d sd = vec4_load(sdj + k);
		const v4d r = vec4_load(rw->rh + k), uni = vec4_load(rw->ut_i + k);
		const v4d unn = vec4_load(rw->ut_t + k), wn = vec4_load(rw->wn + k);
		/* pl__smp_bsutil_inline(sd, r) */
		const v4i le = sd <= one;
		const v4d u_in = (one - sd) * (one + sd * r);
		const v4d u_out = (one - sd) * (one + r);
		const v4d unj = (v4d)(((v4i)u_in & le) | ((v4i)u_out & ~le));
		/* tp_vote_with(VR_PROP, TPC_SEMI, ...) */
		const v4d cn = wn * (uni - unj);
		const v4d cni = ci + vec4_keep(cn > zero, cn);
		const v4d cnj = cj - vec4_keep(cn < zero, cn);
		const v4d pin = cni / (cni + cnj), pjn = one - pin;
		const v4d u_ik_def_j = uni + uni + unn, u_i_def_jk = uni + uni + uni;
		const v4d u_j_def_ik = unj + unj + unj, u_jk_def_i = unj + unj + unn;
		const v4d u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik);
		const v4d u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i);
		/* the principals and the places past the last voter vote +0.0 */
		const v4i in = (kv != ki) & (kv != kj) & (kv < kn);
		const v4d v = vec4_keep(in, wn * (u_ik_j - u_i_jk));
		memcpy(rw->vote + k, &v, sizeof v);
		ak = ak + vec4_keep(v > zero, v);
		bk = bk - vec4_keep(v < zero, v);
	}
	memcpy(s->ak, &ak, sizeof ak);
	memcpy(s->bk, &bk, sizeof bk);
}

/* Every block of third parties, the stop rule tested between blocks (g
 * NULL: never stopped): 0 when stopped, else 1 with the votes all in
 * rw->vote.  ak, bk are sums of the same terms in another order than the
 * final ones: 1e-9 of room each way, far above rounding. */
VEC4_INL int run_body(const smp_lane_rows *rw, smp_lanes *s, const smp_gain_stop *g,
		      const double *ra)
{
	const size_t n = rw->n, np = SMP_PAD(n);
	for (size_t k0 = 0; k0 < np; k0 += SMP_STOP_BLOCK) {
		const size_t k1 = np - k0 > SMP_STOP_BLOCK ? k0 + SMP_STOP_BLOCK : np;
		block_body(rw, s, k0, k1);
		if (!g || k1 >= n)
			continue;
		const double ak = (s->ak[0] + s->ak[1]) + (s->ak[2] + s->ak[3]);
		const double bk = (s->bk[0] + s->bk[1]) + (s->bk[2] + s->bk[3]);
		if (pl__smp_cannot_win(g, (ak + ra[k1]) * (1.0 + 1e-9), bk * (1.0 - 1e-9)))
			return 0;
	}
	return 1;
}

static int run_generic(const smp_lane_rows *rw, smp_lanes *s, const smp_gain_stop *g,
		       const double *ra)
{
	return run_body(rw, s, g, ra);
}

#if VEC4_AVX2
VEC4_TARGET_AVX2 static int run_avx2(const smp_lane_rows *rw, smp_lanes *s,
					    const smp_gain_stop *g, const double *ra)
{
	return run_body(rw, s, g, ra);
}
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
