/* smp_chlg.c - the challenges of one turn of the spatial model of
 * politics (docs/models/smp.md, steps 5-8): each initiator's estimate of
 * every target's challenge, with the third parties' votes, its best target,
 * and the bargain it proposes.
 *
 * The perceived utility u^h(i, j) is never stored (KTAB keeps n matrices of
 * n x n): it is one multiply-add from the distance table and two risk
 * attitudes.  Under the default rules the targets are taken by a bound on
 * their gain, last turn's target first, and a target's sum over the third
 * parties stops once it cannot be chosen (below, "Stopping a target's
 * sum"); smp_lanes.c computes the votes four voters at a time.  Each
 * initiator writes only its own slots, so the result does not depend on
 * the number of threads. */
#include "engines/smp/smp_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Third party n's vote in (i:j), given the principals' own contributions
 * ci (for i) and cj (for j): it judges P[i wins] from the little coalition of
 * the principals and itself, then compares joining i or j. */
static inline double tp_vote_with(smp_vr vr, smp_tpc tpc, double wn, double uni, double unj,
				  double unn, double ci, double cj)
{
	const double cn = pl__smp_vote_inline(vr, wn, uni, unj);
	const double cni = cn > 0 ? ci + cn : ci;
	const double cnj = cn < 0 ? cj - cn : cj;
	const double pin = cni / (cni + cnj), pjn = 1.0 - pin;
	/* n's utility when coalition X defeats Y (u_X_def_Y): the winner's
	 * position for the two principals, then where n itself ends.  With
	 * full third-party commitment n takes the winner's position whichever
	 * side it joined; with semi, only when its side lost; with none
	 * (TPC_NO), it keeps its own. */
	const int full = tpc == TPC_FULL, none = tpc == TPC_NO;
	const double u_ik_def_j = uni + uni + (full ? uni : unn);
	const double u_j_def_ik = unj + unj + (none ? unn : unj);
	const double u_i_def_jk = uni + uni + (none ? unn : uni);
	const double u_jk_def_i = unj + unj + (full ? unj : unn);
	const double u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik);
	const double u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i);
	return pl__smp_vote_inline(vr, wn, u_ik_j, u_i_jk);
}

static inline double tp_vote(const smp_model *m, double wn, double uni, double unj, double unn,
			     double ci, double cj)
{
	return tp_vote_with(m->par.vr, m->par.tpc, wn, uni, unj, unn, ci, cj);
}

double pl__smp_third_party_vote(const smp_model *m, double wn, double uni, double unj, double unn,
				double ci, double cj)
{
	return tp_vote(m, wn, uni, unj, unn, ci, cj);
}

/* The per-perspective rows that do not depend on the target j: rh[t] is
 * h's estimate of t's risk attitude, ut_i[t] and ut_t[t] h's estimates of
 * t's utility for i's and for its own position. */
typedef struct persp {
	double *rh, *ut_i, *ut_t;
	/* with VotingRule=Prop and SemiCommit, h = i: ra[t] bounds what third
	 * parties t, t + 1, ... can add to i's side (below, "Stopping a
	 * target's sum"); lane: the same rows in the order m->perm, padded
	 * to SMP_PAD(n) places */
	double *ra;
	double *rh_p, *ut_i_p, *ut_t_p, *ra_p, *sa_p, *sb_p, *vote;
	smp_lane_rows lane;
} persp;

static void persp_fill(const smp_model *m, size_t h, size_t i, persp *ps)
{
	const size_t n = m->n;
	for (size_t t = 0; t < n; t++) {
		ps->rh[t] = pl__smp_est_nra(m->risk[h], m->risk[t], m->par.radj);
		ps->ut_i[t] = pl__smp_bsutil_inline(m->vdiff_t[i * n + t], ps->rh[t]);
		ps->ut_t[t] = pl__smp_bsutil_inline(m->vdiff[t * n + t], ps->rh[t]);
	}
}

/* The third parties' votes in (i:j), added to the principals' chij, chji. */
static inline void third_parties(const smp_model *m, const persp *ps, size_t i, size_t j,
				 const double *vdj, double ci, double cj, double *chij,
				 double *chji, smp_vr vr, smp_tpc tpc)
{
	const size_t n = m->n;
	double a = *chij, b = *chji;
	for (size_t t = 0; t < n; t++) {
		if (t == i || t == j)
			continue;
		const double v = tp_vote_with(vr, tpc, m->wn[t], ps->ut_i[t],
					      pl__smp_bsutil_inline(vdj[t], ps->rh[t]),
					      ps->ut_t[t], ci, cj);
		a = v > 0 ? a + v : a;
		b = v < 0 ? b - v : b;
	}
	*chij = a;
	*chji = b;
}

/* Stopping a target's sum (VotingRule=Prop, ThirdPartyCommit=SemiCommit).
 * Third party t's vote is wn ((pin U1 + pjn U2) - (pin U3 + pjn U4)) with
 * U1 - U3 = unn - uni and U2 - U4 = unj - unn: up to rounding the mean of
 * those two weighted by pin, pjn >= 0, pin + pjn = 1.  A utility is at most 1,
 * so what t adds to i's side is at most wn max(0, unn - uni, 1 - unn),
 * known without the target; ra[t] sums that over t, t + 1, ... (with room
 * for rounding far above it).  Once the third parties before t are summed
 * into a (i's side) and b (j's), i's side ends at most at a + ra[t] and j's
 * at least at b (sides only grow), so P[i wins] is at most
 * (a + ra[t]) / (a + ra[t] + b); when winning is worth at least as much to
 * i as losing, its gain is at most the gain at that probability.  If that
 * cannot be chosen (below the best gain so far, or not above
 * SMP_MIN_SIG_EDU), the rest of the sum is not taken: the target would not
 * be chosen whatever it gave.  The sums that are taken are the same
 * operations in the same order as third_parties(). */

static void persp_bounds(const smp_model *m, persp *ps)
{
	const size_t n = m->n;
	double s = 0.0;
	ps->ra[n] = 0.0;
	for (size_t t = n; t-- > 0;) {
		const double uni = ps->ut_i[t], unn = ps->ut_t[t];
		double most = unn - uni;
		most = 1.0 - unn > most ? 1.0 - unn : most;
		most = most > 0.0 ? most : 0.0;
		s = s + m->wn[t] * (most + 1e-12);
		ps->ra[t] = s * (1.0 + 1e-9);
	}
	s = 0.0;
	double sa = 0.0, sb = 0.0, umax = 0.0, rmin = 0.0;
	ps->ra_p[n] = ps->sa_p[n] = ps->sb_p[n] = 0.0;
	for (size_t k = n; k-- > 0;) {
		const size_t t = m->perm[k];
		const double uni = ps->ut_i[t], unn = ps->ut_t[t];
		ps->rh_p[k] = ps->rh[t];
		ps->ut_i_p[k] = uni;
		ps->ut_t_p[k] = unn;
		const double a = unn - uni > 0.0 ? unn - uni : 0.0;
		const double b = 1.0 - unn > 0.0 ? 1.0 - unn : 0.0;
		double most = a > b ? a : b;
		s = s + m->wn[t] * (most + 1e-12);
		ps->ra_p[k] = s * (1.0 + 1e-9);
		sa = sa + m->wn[t] * (a + 1e-12);
		sb = sb + m->wn[t] * b;
		ps->sa_p[k] = sa * (1.0 + 1e-9);
		ps->sb_p[k] = sb * (1.0 + 1e-9);
		umax = uni > umax ? uni : umax;
		rmin = ps->rh[t] < rmin ? ps->rh[t] : rmin;
	}
	/* with every distance in [0, 1] and every risk attitude at least
	 * rmin, a utility (1 - sd)(1 + sd r) is at least min(0, 1 + rmin) */
	const double lo = (1.0 + rmin < 0.0 ? 1.0 + rmin : 0.0) - 1e-12;
	const double xu = m->sd_unit && rmin >= -2.0 && umax <= 2.0 ? (umax - lo) * (1.0 + 1e-9) : -1.0;
	for (size_t k = n; k < SMP_PAD(n); k++) /* places past the last voter */
		ps->rh_p[k] = ps->ut_i_p[k] = ps->ut_t_p[k] = 0.0;
	ps->lane = (smp_lane_rows){n,	     m->wn_p,	ps->rh_p, ps->ut_i_p, ps->ut_t_p,
				   ps->vote, ps->sa_p, ps->sb_p, xu};
}

/* h's estimate (rows ps) of P[i beats j] and of k's expected gain.  With
 * best non-NULL (h = k = i, rows with persp_bounds), returns 0 without them
 * once the gain cannot be chosen against *best (see "Stopping a target's
 * sum"); otherwise 1. */
/* A challenge before its third parties: k's terms of the gain and the
 * principals' sides. */
typedef struct chlg_head {
	double sj, u_vict, u_loss, eu_sq, ci, cj;
} chlg_head;

static void chlg_start(const smp_model *m, const persp *ps, size_t k, size_t i, size_t j,
		       chlg_head *h)
{
	const size_t n = m->n;
	const double *vd = m->vdiff;
	const double uii = ps->ut_i[i];
	const double uij = pl__smp_bsutil_inline(vd[i * n + j], ps->rh[i]);
	const double uji = ps->ut_i[j];
	const double ujj = pl__smp_bsutil_inline(vd[j * n + j], ps->rh[j]);
	const double uki = ps->ut_i[k];
	const double ukj = pl__smp_bsutil_inline(vd[k * n + j], ps->rh[k]);
	h->eu_sq = uki + ukj;
	h->u_vict = uki + uki;
	h->u_loss = ukj + ukj;
	h->sj = m->salsum[j];
	const double cont_i = pl__smp_vote_inline(m->par.vr, m->wn[i], uii, uij);
	const double cont_j = pl__smp_vote_inline(m->par.vr, m->wn[j], uji, ujj);
	double chij = SMP_MIN_CLTN_CHLG, chji = SMP_MIN_CLTN_CHLG;
	if (cont_i > 0.0)
		chij = chij + cont_i;
	if (cont_i < 0.0)
		chji = chji - cont_i;
	if (cont_j > 0.0)
		chij = chij + cont_j;
	if (cont_j < 0.0)
		chji = chji - cont_j;
	h->ci = chij;
	h->cj = chji;
}

/* The gain from the sides after the third parties. */
static void chlg_end(const chlg_head *h, double chij, double chji, double *phij, double *edu)
{
	const double p = chij / (chij + chji), q = chji / (chij + chji);
	const double eu_contest = p * h->u_vict + q * h->u_loss;
	const double eu_chlg = (1 - h->sj) * h->u_vict + h->sj * eu_contest;
	*phij = p;
	*edu = eu_chlg - h->eu_sq;
}

static void prob_edu_rows(const smp_model *m, const persp *ps, size_t k, size_t i, size_t j,
			  double *phij, double *edu)
{
	const double *vdj = m->vdiff_t + j * m->n; /* vdj[t] = vdiff[t * n + j] */
	chlg_head h;
	chlg_start(m, ps, k, i, j, &h);
	double chij = h.ci, chji = h.cj;
	/* the default rules spelt out, so that the compiler drops their switches
	 * from the loop: the same operations, the same bits */
	if (m->par.vr == VR_PROP && m->par.tpc == TPC_SEMI)
		third_parties(m, ps, i, j, vdj, h.ci, h.cj, &chij, &chji, VR_PROP, TPC_SEMI);
	else
		third_parties(m, ps, i, j, vdj, h.ci, h.cj, &chij, &chji, m->par.vr, m->par.tpc);
	chlg_end(&h, chij, chji, phij, edu);
}

static int persp_alloc(persp *ps, size_t n)
{
	const size_t np = SMP_PAD(n);
	ps->rh = malloc((4 * n + 1 + 4 * np + 3 * (n + 1)) * sizeof(double));
	if (!ps->rh)
		return PL_ENOMEM;
	ps->ut_i = ps->rh + n;
	ps->ut_t = ps->rh + 2 * n;
	ps->ra = ps->rh + 3 * n;
	ps->rh_p = ps->rh + 4 * n + 1;
	ps->ut_i_p = ps->rh_p + np;
	ps->ut_t_p = ps->rh_p + 2 * np;
	ps->vote = ps->rh_p + 3 * np;
	ps->ra_p = ps->rh_p + 4 * np;
	ps->sa_p = ps->ra_p + n + 1;
	ps->sb_p = ps->sa_p + n + 1;
	return PL_OK;
}

void pl__smp_prob_edu(const smp_model *m, size_t h, size_t k, size_t i, size_t j, double *phij,
		      double *edu)
{
	persp ps;
	if (persp_alloc(&ps, m->n)) {
		*phij = NAN;
		*edu = NAN;
		return;
	}
	persp_fill(m, h, i, &ps);
	prob_edu_rows(m, &ps, k, i, j, phij, edu);
	free(ps.rh);
}

static double round4(double x)
{
	return (double)(int)(0.5 + x * 10000.0) / 10000.0;
}

/* Both sides' bargain coordinates on one dimension, from the perspective
 * that gives i the probability pi of winning. */
void pl__smp_interp_dim(smp_ivb ivb, double ti, double si, double pi, double tj, double sj,
			double pj, double *bi, double *bj)
{
	if (ivb == IVB_S2PMAX) {
		const double di = pj > pi ? pj - pi : 0, dj = pi > pj ? pi - pj : 0;
		const double si2 = si * si, sj2 = sj * sj;
		const double dik = (di * sj2) / ((di * sj2) + SMP_MIN_W + ((1 - di) * si2));
		const double djk = (dj * si2) / ((dj * si2) + SMP_MIN_W + ((1 - dj) * sj2));
		*bi = ti + dik * (tj - ti);
		*bj = tj + djk * (ti - tj);
		return;
	}
	/* s^e p^e, e = 1 (S1P1) or 2, by multiplication: KTAB calls pow, whose
	 * glibc variants (FMA or not) round x^2 differently, about once in a
	 * thousand; a product rounds the same on every machine. */
	const int sq = ivb != IVB_S1P1;
	const double wi = sq ? (si * si) * (pi * pi) : si * pi;
	const double wj = sq ? (sj * sj) * (pj * pj) : sj * pj;
	*bi = round4(((wi + SMP_MIN_W) * ti + wj * tj) / (wi + SMP_MIN_W + wj));
	*bj = round4((wi * ti + (SMP_MIN_W + wj) * tj) / (wi + SMP_MIN_W + wj));
}

static void interpolate(const smp_model *m, size_t i, size_t j, double pi, smp_bargain *b)
{
	const size_t d = m->d;
	b->init = i;
	b->rcvr = j;
	for (size_t k = 0; k < d; k++)
		pl__smp_interp_dim(m->par.ivb, m->pos[i * d + k], m->sal[i * d + k], pi,
				   m->pos[j * d + k], m->sal[j * d + k], 1 - pi, &b->pi[k],
				   &b->pr[k]);
}

/* A target and the most its challenge could gain the initiator. */
typedef struct target_bound {
	double most;
	size_t rank, j;
} target_bound;

/* a goes before b: the larger bound, of equal bounds the first in id order */
static inline int goes_before(const target_bound *a, const target_bound *b)
{
	return a->most != b->most ? a->most > b->most : a->rank < b->rank;
}

static void sift_down(target_bound *h, size_t c, size_t k)
{
	for (;;) {
		size_t t = k;
		const size_t l = 2 * k + 1, r = l + 1;
		if (l < c && goes_before(&h[l], &h[t]))
			t = l;
		if (r < c && goes_before(&h[r], &h[t]))
			t = r;
		if (t == k)
			return;
		const target_bound x = h[k];
		h[k] = h[t];
		h[t] = x;
		k = t;
	}
}

/* The targets in the order of their bounds, taken from a heap as they are
 * needed: most initiators stop after a few, so the rest are never sorted. */
typedef struct target_queue {
	target_bound *heap, *out;
	size_t nh, nout;
} target_queue;

static const target_bound *target_at(target_queue *tq, size_t q)
{
	while (tq->nout <= q) {
		tq->out[tq->nout++] = tq->heap[0];
		tq->heap[0] = tq->heap[--tq->nh];
		sift_down(tq->heap, tq->nh, 0);
	}
	return &tq->out[q];
}

/* Fills tb[0..n-1) with every target of initiator i and a bound on its
 * expected gain, as a heap whose top is the largest.  The gain is eu_chlg - eu_sq with
 * eu_chlg = (1 - s_j) u_vict + s_j (p u_vict + q u_loss), p, q >= 0 and
 * p + q = 1 up to rounding, so it is at most
 * (1 - s_j) u_vict + s_j max(u_vict, u_loss) - eu_sq; the margin (1e-9 of
 * the terms' size) is far above the rounding of the computed gain. */
/* Targets whose bound is below floor (the best gain already found) are
 * left out: in the heap's order they would come after every other and end
 * the search. */
static size_t target_bounds(const smp_model *m, const persp *ps, size_t i, double floor,
			    target_bound *tb)
{
	const size_t n = m->n;
	const double uki = ps->ut_i[i], u_vict = uki + uki;
	size_t c = 0;
	for (size_t j = 0; j < n; j++) {
		if (j == i)
			continue;
		const double ukj = pl__smp_bsutil_inline(m->vdiff[i * n + j], ps->rh[i]);
		const double u_loss = ukj + ukj, eu_sq = uki + ukj, sj = m->salsum[j];
		const double hi = u_vict > u_loss ? u_vict : u_loss;
		const double most = (1 - sj) * u_vict + sj * hi - eu_sq;
		const double size = (1 + sj) * (fabs(u_vict) + fabs(u_loss) + fabs(eu_sq) + 1);
		const double bound = most + 1e-9 * size;
		if (!(bound < floor))
			tb[c++] = (target_bound){bound, pl__smp_rank(m, j), j};
	}
	for (size_t k = c / 2; k-- > 0;)
		sift_down(tb, c, k);
	return c;
}

/* Initiator i's challenge of target j under the default rules: the third
 * parties a block of SMP_STOP_BLOCK at a time in the order m->perm, four
 * to a vector (smp_lanes.c), and stopped once j cannot be chosen against
 * g (NULL: never).  The sides, once every block has run, are summed in
 * index order: the same bits as third_parties().  Returns 0 when stopped. */
static int target_run(const smp_model *m, const persp *ps, size_t i, size_t j,
		      const chlg_head *h, const smp_gain_stop *g, double *chij, double *chji)
{
	const size_t n = m->n, np = SMP_PAD(n);
	smp_lanes s = {.ki = m->place[i],
		       .kj = m->place[j],
		       .a = h->ci,
		       .b = h->cj,
		       .sd = m->vdiff_p + j * np};
	if (!pl__smp_lanes_run(m, &ps->lane, &s, g, ps->ra_p))
		return 0;
	pl__smp_lanes_sides(m, &ps->lane, &s, chij, chji);
	return 1;
}

/* The estimate (rows ps, with persp_bounds()) of P[i beats j] and of i's
 * gain, by target_run(), with the stop rule against *best (NULL: none) when
 * i's winning is worth at least its losing.  Returns 0 when stopped. */
static int target_gain(const smp_model *m, const persp *ps, size_t i, size_t j,
		       const double *best, double *phij, double *edu)
{
	chlg_head h;
	chlg_start(m, ps, i, i, j, &h);
	smp_gain_stop g;
	const int stop = best && h.u_vict >= h.u_loss;
	if (stop)
		g = pl__smp_gain_stop(*best, h.sj, h.u_vict, h.u_loss, h.eu_sq);
	double a, b;
	if (!target_run(m, ps, i, j, &h, stop ? &g : NULL, &a, &b))
		return 0;
	chlg_end(&h, a, b, phij, edu);
	return 1;
}

/* Initiator i: its best target, and the bargain(s) it proposes. */
int pl__smp_challenge_one(void *ctx, size_t i)
{
	smp_model *m = ctx;
	const size_t n = m->n, d = m->d;
	long best = -1;
	size_t best_rank = SIZE_MAX;
	double best_eu = -1.0, best_p = 0.0;
	persp ps;
	target_bound *tb = malloc(2 * n * sizeof *tb);
	if (!tb || persp_alloc(&ps, n)) {
		free(tb);
		return PL_ENOMEM;
	}
	persp_fill(m, i, i, &ps);
	const int lanes = !m->plain && m->par.vr == VR_PROP && m->par.tpc == TPC_SEMI;
	if (lanes)
		persp_bounds(m, &ps);
	/* The target with the largest gain above SMP_MIN_SIG_EDU, of equal gains
	 * the first in id order (KTAB goes through them in that order and keeps
	 * a strictly larger gain).  Taken by bounds, largest first: once a bound
	 * is below the best gain so far, or not above SMP_MIN_SIG_EDU, neither
	 * that target nor any after it can be chosen, and their third parties
	 * need not be summed (docs/models/smp.md, "Cost"). */
	/* Last turn's target first: it is often the best again, and the higher
	 * the best gain so far, the sooner the others stop.  The order does not
	 * change the choice (the largest gain, of equal gains the first in id
	 * order), only how many sums are cut short. */
	const long prev = lanes ? m->target[i] : -1;
	double p, edu;
	if (prev >= 0 && target_gain(m, &ps, i, (size_t)prev, &best_eu, &p, &edu) &&
	    SMP_MIN_SIG_EDU < edu) {
		best = prev;
		best_rank = pl__smp_rank(m, (size_t)prev);
		best_p = p;
		best_eu = edu;
	}
	const size_t nt = target_bounds(m, &ps, i, best_eu, tb);
	target_queue tq = {tb, tb + n, nt, 0};
	for (size_t q = 0; q < nt; q++) {
		const target_bound *tg = target_at(&tq, q);
		if (tg->most < best_eu || !(tg->most > SMP_MIN_SIG_EDU))
			break;
		if (prev >= 0 && tg->j == (size_t)prev)
			continue;
		if (lanes) {
			if (!target_gain(m, &ps, i, tg->j, &best_eu, &p, &edu))
				continue;
		} else {
			prob_edu_rows(m, &ps, i, i, tg->j, &p, &edu);
		}
		if (SMP_MIN_SIG_EDU < edu &&
		    (best_eu < edu || (edu == best_eu && tg->rank < best_rank))) {
			best = (long)tg->j;
			best_rank = tg->rank;
			best_p = p;
			best_eu = edu;
		}
	}
	free(tb);
	m->target[i] = best;
	m->best_edu[i] = best < 0 ? 0.0 : best_eu;
	if (best < 0) {
		free(ps.rh);
		return PL_OK;
	}
	const size_t j = (size_t)best;
	double pj, edu_j;
	persp_fill(m, j, i, &ps);
	if (lanes) {
		persp_bounds(m, &ps);
		(void)target_gain(m, &ps, i, j, NULL, &pj, &edu_j);
	} else {
		prob_edu_rows(m, &ps, i, i, j, &pj, &edu_j);
	}
	free(ps.rh);
	m->p_init[i] = best_p;
	m->p_rcvr[i] = pj;
	m->edu_rcvr[i] = edu_j;
	smp_bargain *b1 = &m->brg[2 * i], *b2 = &m->brg[2 * i + 1];
	interpolate(m, i, j, best_p, b1); /* from i's perspective */
	/* From j's perspective KTAB interpolates with j's estimate of i's expected
	 * gain where its comment says "probability that i defeats j"; being
	 * compatible means doing the same (docs/models/smp.md, step 8). */
	interpolate(m, i, j, edu_j, b2);
	if (m->par.bm == BM_PWCOMP) {
		/* KTAB weighs both perspectives with the initiator's capability */
		const double wi = m->cap[i] * m->salsum[i], wj = m->cap[i] * m->salsum[j];
		for (size_t k = 0; k < d; k++) {
			b1->pi[k] = (wi * b1->pi[k] + wj * b2->pi[k]) / (wi + wj);
			b1->pr[k] = (wi * b1->pr[k] + wj * b2->pr[k]) / (wi + wj);
		}
	}
	return PL_OK;
}

