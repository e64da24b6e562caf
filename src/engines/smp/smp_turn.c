/* smp_turn.c - one turn of the spatial model of politics: each actor's
 * perceived utilities, its best challenge (with third parties' votes), the
 * bargain it proposes, each actor's choice among the bargains that concern
 * it by a PCE over them, then new positions and ideals.
 *
 * Cost per turn: O(n^2 d) for the distances, O(n^3) for the challenges
 * (n initiators x n targets x n third parties) and for the bargain PCEs.
 * The perceived utility u^h(i, j) is never stored (KTAB keeps n matrices of
 * n x n): it is one multiply-add from the distance table and two risk
 * attitudes.  Initiators, and then actors choosing bargains, are shared out
 * over threads; each writes only its own slots, so the result does not
 * depend on the number of threads. */
#include "engines/smp/smp_internal.h"
#include "engines/smp/smp_par.h"
#include "core/rng.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int pl__smp_model_init(smp_model *m, size_t n, size_t d, const double *cap, const double *sal,
		       const double *pos, const double *accom, pl_error *err)
{
	m->n = n;
	m->d = d;
	m->cap = cap;
	m->sal = sal;
	m->accom = accom;
	m->avx2 = pl__smp_lanes_avx2();
	m->salsum = calloc(n, sizeof(double));
	m->wn = malloc(n * sizeof(double));
	m->perm = malloc(n * sizeof(size_t));
	m->wn_p = malloc(n * sizeof(double));
	m->pos = malloc(n * d * sizeof(double));
	m->idl = malloc(n * d * sizeof(double));
	m->newpos = malloc(n * d * sizeof(double));
	m->vdiff = malloc(n * n * sizeof(double));
	m->vdiff_t = malloc(n * n * sizeof(double));
	m->selfu_t = calloc(n * n + 8, sizeof(double)); /* padded: smp_values.c */
	m->risk = calloc(n, sizeof(double));
	m->p_rn = calloc(n, sizeof(double));
	m->target = malloc(n * sizeof(long));
	m->p_init = calloc(n, sizeof(double));
	m->p_rcvr = calloc(n, sizeof(double));
	m->edu_rcvr = calloc(n, sizeof(double));
	m->best_edu = calloc(n, sizeof(double));
	m->chosen = malloc(n * sizeof(size_t));
	m->brg = calloc(2 * n, sizeof(smp_bargain));
	m->brg_mem = malloc(4 * n * d * sizeof(double));
	m->brg_val = malloc((2 * n + 1) * n * sizeof(double));
	if (!m->salsum || !m->wn || !m->perm || !m->wn_p || !m->pos || !m->idl || !m->newpos || !m->vdiff || !m->vdiff_t || !m->selfu_t || !m->risk ||
	    !m->p_rn || !m->target || !m->p_init || !m->p_rcvr || !m->edu_rcvr || !m->best_edu ||
	    !m->chosen || !m->brg || !m->brg_mem || !m->brg_val)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	for (size_t i = 0; i < n; i++) {
		double s = 0.0;
		for (size_t k = 0; k < d; k++)
			s = s + sal[i * d + k];
		m->salsum[i] = s;
		m->wn[i] = s * cap[i];
		m->perm[i] = i;
		m->target[i] = -1; /* no target last turn */
	}
	/* heaviest first (an insertion sort of indices: once a run) */
	for (size_t k = 1; k < n; k++) {
		const size_t t = m->perm[k];
		size_t q = k;
		while (q > 0 && m->wn[m->perm[q - 1]] < m->wn[t]) {
			m->perm[q] = m->perm[q - 1];
			q--;
		}
		m->perm[q] = t;
	}
	for (size_t k = 0; k < n; k++)
		m->wn_p[k] = m->wn[m->perm[k]];
	for (size_t b = 0; b < 2 * n; b++) {
		m->brg[b].pi = m->brg_mem + (2 * b) * d;
		m->brg[b].pr = m->brg_mem + (2 * b + 1) * d;
	}
	memcpy(m->pos, pos, n * d * sizeof(double));
	memcpy(m->idl, pos, n * d * sizeof(double));
	return PL_OK;
}

void pl__smp_model_free(smp_model *m)
{
	free(m->salsum);
	free(m->wn);
	free(m->perm);
	free(m->wn_p);
	free(m->pos);
	free(m->idl);
	free(m->newpos);
	free(m->vdiff);
	free(m->vdiff_t);
	free(m->selfu_t);
	free(m->risk);
	free(m->p_rn);
	free(m->target);
	free(m->p_init);
	free(m->p_rcvr);
	free(m->edu_rcvr);
	free(m->best_edu);
	free(m->chosen);
	free(m->brg);
	free(m->brg_mem);
	free(m->brg_val);
}

/* Salience-weighted distance between an ideal and a position. */
double pl__smp_bv_diff(const double *idl, const double *pos, const double *sal, size_t d)
{
	double ds_sq = 0, s_sq = 0;
	for (size_t k = 0; k < d; k++) {
		const double ds = (idl[k] - pos[k]) * sal[k];
		ds_sq = ds_sq + (ds * ds);
		s_sq = s_sq + (sal[k] * sal[k]);
	}
	return sqrt(ds_sq / s_sq);
}

double pl__smp_autil(const smp_model *m, size_t h, size_t i, size_t j)
{
	const double rhi = pl__smp_est_nra(m->risk[h], m->risk[i], m->par.radj);
	return pl__smp_bsutil(m->vdiff[i * m->n + j], rhi);
}

/* Classes of actors at the same position, bit for bit: cls[i] the class of
 * actor i, rep[c] the first actor of class c (classes in the order of their
 * first actors); returns the number of classes, 0 when out of memory.  A
 * merge sort of the rows (stable: each run of equal rows in index order). */
typedef struct pos_key {
	const double *row;
	size_t i;
} pos_key;

size_t pl__smp_position_classes(const double *pos, size_t n, size_t d, size_t *cls, size_t *rep)
{
	pos_key *k = malloc(n * sizeof *k), *t = malloc(n * sizeof *t);
	size_t *num = malloc(n * sizeof *num);
	if (!k || !t || !num) {
		free(k);
		free(t);
		free(num);
		return 0;
	}
	const size_t rb = d * sizeof(double);
	for (size_t i = 0; i < n; i++)
		k[i] = (pos_key){pos + i * d, i};
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			const size_t mid = lo + w < n ? lo + w : n;
			const size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, o = lo;
			while (a < mid && b < hi)
				t[o++] = memcmp(k[b].row, k[a].row, rb) < 0 ? k[b++] : k[a++];
			while (a < mid)
				t[o++] = k[a++];
			while (b < hi)
				t[o++] = k[b++];
		}
		pos_key *x = k;
		k = t;
		t = x;
	}
	/* the first actor of each run stands for it */
	for (size_t q = 0; q < n; q++)
		cls[k[q].i] = q > 0 && !memcmp(k[q].row, k[q - 1].row, rb) ? cls[k[q - 1].i] : k[q].i;
	size_t nc = 0;
	for (size_t i = 0; i < n; i++)
		if (cls[i] == i) {
			num[i] = nc;
			rep[nc++] = i;
		}
	for (size_t i = 0; i < n; i++)
		cls[i] = num[cls[i]];
	free(k);
	free(t);
	free(num);
	return nc;
}

int pl__smp_assess(smp_model *m, pl_error *err)
{
	const size_t n = m->n, d = m->d;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			m->vdiff[i * n + j] =
				pl__smp_bv_diff(m->idl + i * d, m->pos + j * d, m->sal + i * d, d);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			m->vdiff_t[j * n + i] = m->vdiff[i * n + j];
	size_t *cls = malloc(2 * n * sizeof *cls);
	double *c = malloc(n * n * sizeof *c);
	double *pv = malloc(n * n * sizeof *pv);
	/* Actors at the same position are one option of the risk PCE, summed
	 * once (pl__smp_class_pce: the same bits); not under ASymProsp, nor on
	 * m->plain, which the tests compare with */
	size_t nc = 0;
	if (cls && !m->plain && m->par.vr != VR_ASYMPROSP)
		nc = pl__smp_position_classes(m->pos, n, d, cls, cls + n);
	double *u = malloc(n * (nc ? nc : n) * sizeof *u);
	if (!u || !c || !pv || !cls) {
		free(u);
		free(c);
		free(pv);
		free(cls);
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	}
	/* risk-neutral values, then the PCE over every actor's position */
	int rc;
	if (nc) {
		const size_t *rep = cls + n;
		for (size_t k = 0; k < n; k++)
			for (size_t q = 0; q < nc; q++)
				u[k * nc + q] = pl__smp_bsutil(m->vdiff[k * n + rep[q]], 0.0);
		rc = pl__smp_class_pce(n, n, m->cap, u, nc, cls, m->par.vr, m->par.vpm,
				       m->par.pcem, c, pv, m->p_rn, err);
	} else {
		for (size_t i = 0; i < n * n; i++)
			u[i] = pl__smp_bsutil(m->vdiff[i], 0.0);
		rc = pl__smp_scalar_pce(n, n, m->cap, u, m->par.vr, m->par.vpm, m->par.pcem, c,
					pv, m->p_rn, err);
	}
	if (!rc)
		pl__smp_big_r(m->p_rn, n, m->par.rrng, m->risk);
	for (size_t a = 0; !rc && a < n; a++)
		for (size_t x = 0; x < n; x++)
			m->selfu_t[x * n + a] = pl__smp_autil(m, a, a, x);
	free(u);
	free(c);
	free(pv);
	free(cls);
	return rc;
}

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
	double u_ik_def_j, u_j_def_ik, u_i_def_jk, u_jk_def_i;
	switch (tpc) {
	case TPC_FULL:
		u_ik_def_j = uni + uni + uni;
		u_j_def_ik = unj + unj + unj;
		u_i_def_jk = uni + uni + uni;
		u_jk_def_i = unj + unj + unj;
		break;
	case TPC_SEMI:
		u_ik_def_j = uni + uni + unn;
		u_j_def_ik = unj + unj + unj;
		u_i_def_jk = uni + uni + uni;
		u_jk_def_i = unj + unj + unn;
		break;
	default:
		u_ik_def_j = uni + uni + unn;
		u_j_def_ik = unj + unj + unn;
		u_i_def_jk = uni + uni + unn;
		u_jk_def_i = unj + unj + unn;
		break;
	}
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
	 * target's sum"); lane: the same rows in the order m->perm */
	double *ra;
	double *rh_p, *ut_i_p, *ut_t_p, *ra_p, *vote;
	smp_lane_rows lane;
} persp;

static void persp_fill(const smp_model *m, size_t h, size_t i, persp *ps)
{
	const size_t n = m->n;
	for (size_t t = 0; t < n; t++) {
		ps->rh[t] = pl__smp_est_nra(m->risk[h], m->risk[t], m->par.radj);
		ps->ut_i[t] = pl__smp_bsutil(m->vdiff_t[i * n + t], ps->rh[t]);
		ps->ut_t[t] = pl__smp_bsutil(m->vdiff[t * n + t], ps->rh[t]);
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
	ps->ra_p[n] = 0.0;
	for (size_t k = n; k-- > 0;) {
		const size_t t = m->perm[k];
		const double uni = ps->ut_i[t], unn = ps->ut_t[t];
		ps->rh_p[k] = ps->rh[t];
		ps->ut_i_p[k] = uni;
		ps->ut_t_p[k] = unn;
		double most = unn - uni;
		most = 1.0 - unn > most ? 1.0 - unn : most;
		most = most > 0.0 ? most : 0.0;
		s = s + m->wn[t] * (most + 1e-12);
		ps->ra_p[k] = s * (1.0 + 1e-9);
	}
	ps->lane = (smp_lane_rows){m->perm, m->wn_p, ps->rh_p, ps->ut_i_p, ps->ut_t_p, ps->ra_p,
				   ps->vote};
}

/* third_parties() for Prop and SemiCommit, stopped early (returning 0) once
 * the target cannot be chosen; g NULL: never stopped. */
static inline int third_parties_stop(const smp_model *m, const persp *ps, size_t i, size_t j,
				     const double *vdj, double ci, double cj, double *chij,
				     double *chji, const smp_gain_stop *g)
{
	const size_t n = m->n;
	double a = *chij, b = *chji;
	for (size_t t0 = 0; t0 < n; t0 += SMP_STOP_BLOCK) {
		const size_t t1 = n - t0 > SMP_STOP_BLOCK ? t0 + SMP_STOP_BLOCK : n;
		for (size_t t = t0; t < t1; t++) {
			if (t == i || t == j)
				continue;
			const double v = tp_vote_with(VR_PROP, TPC_SEMI, m->wn[t], ps->ut_i[t],
						      pl__smp_bsutil_inline(vdj[t], ps->rh[t]),
						      ps->ut_t[t], ci, cj);
			a = v > 0 ? a + v : a;
			b = v < 0 ? b - v : b;
		}
		if (g && t1 < n && pl__smp_cannot_win(g, (a + ps->ra[t1]) * (1.0 + 1e-9), b))
			return 0;
	}
	*chij = a;
	*chji = b;
	return 1;
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
	const double uij = pl__smp_bsutil(vd[i * n + j], ps->rh[i]);
	const double uji = ps->ut_i[j];
	const double ujj = pl__smp_bsutil(vd[j * n + j], ps->rh[j]);
	const double uki = ps->ut_i[k];
	const double ukj = pl__smp_bsutil(vd[k * n + j], ps->rh[k]);
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

static int prob_edu_stop(const smp_model *m, const persp *ps, size_t k, size_t i, size_t j,
			 double *phij, double *edu, const double *best)
{
	const double *vdj = m->vdiff_t + j * m->n; /* vdj[t] = vdiff[t * n + j] */
	chlg_head h;
	chlg_start(m, ps, k, i, j, &h);
	double chij = h.ci, chji = h.cj;
	/* the default rules spelt out, so that the compiler drops their switches
	 * from the loop: the same operations, the same bits */
	if (m->par.vr == VR_PROP && m->par.tpc == TPC_SEMI) {
		smp_gain_stop g = {0};
		const int stop = best && h.u_vict >= h.u_loss;
		if (stop)
			g = pl__smp_gain_stop(*best, h.sj, h.u_vict, h.u_loss, h.eu_sq);
		if (!third_parties_stop(m, ps, i, j, vdj, h.ci, h.cj, &chij, &chji,
					stop ? &g : NULL))
			return 0;
	} else {
		third_parties(m, ps, i, j, vdj, h.ci, h.cj, &chij, &chji, m->par.vr, m->par.tpc);
	}
	chlg_end(&h, chij, chji, phij, edu);
	return 1;
}

static void prob_edu_rows(const smp_model *m, const persp *ps, size_t k, size_t i, size_t j,
			  double *phij, double *edu)
{
	(void)prob_edu_stop(m, ps, k, i, j, phij, edu, NULL);
}

static int persp_alloc(persp *ps, size_t n)
{
	ps->rh = malloc(((8 + SMP_LANES) * n + 2) * sizeof(double));
	if (!ps->rh)
		return PL_ENOMEM;
	ps->ut_i = ps->rh + n;
	ps->ut_t = ps->rh + 2 * n;
	ps->ra = ps->rh + 3 * n;
	ps->rh_p = ps->rh + 4 * n + 1;
	ps->ut_i_p = ps->rh + 5 * n + 1;
	ps->ut_t_p = ps->rh + 6 * n + 1;
	ps->ra_p = ps->rh + 7 * n + 1;
	ps->vote = ps->rh + 8 * n + 2;
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
static size_t target_bounds(const smp_model *m, const persp *ps, size_t i, target_bound *tb)
{
	const size_t n = m->n;
	const double uki = ps->ut_i[i], u_vict = uki + uki;
	size_t c = 0;
	for (size_t j = 0; j < n; j++) {
		if (j == i)
			continue;
		const double ukj = pl__smp_bsutil(m->vdiff[i * n + j], ps->rh[i]);
		const double u_loss = ukj + ukj, eu_sq = uki + ukj, sj = m->salsum[j];
		const double hi = u_vict > u_loss ? u_vict : u_loss;
		const double most = (1 - sj) * u_vict + sj * hi - eu_sq;
		const double size = (1 + sj) * (fabs(u_vict) + fabs(u_loss) + fabs(eu_sq) + 1);
		tb[c++] = (target_bound){most + 1e-9 * size, pl__smp_rank(m, j), j};
	}
	for (size_t k = c / 2; k-- > 0;)
		sift_down(tb, c, k);
	return c;
}

/* Initiator i: its best target, and the bargain(s) it proposes. */
static int challenge_one(void *ctx, size_t i)
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
	const size_t nt = target_bounds(m, &ps, i, tb);
	target_queue tq = {tb, tb + n, nt, 0};
	/* Last turn's target first: it is often the best again, and the higher
	 * the best gain so far, the sooner the others stop.  The order does not
	 * change the choice (the largest gain, of equal gains the first in id
	 * order), only how many sums are cut short. */
	const long prev = lanes ? m->target[i] : -1;
	int alone = lanes && prev < 0;
	if (prev >= 0) {
		double p, edu;
		const size_t j = (size_t)prev;
		if (prob_edu_stop(m, &ps, i, i, j, &p, &edu, &best_eu) && SMP_MIN_SIG_EDU < edu) {
			best = prev;
			best_rank = pl__smp_rank(m, j);
			best_p = p;
			best_eu = edu;
		} else {
			alone = 1;
		}
	}
	for (size_t q = 0; q < nt;) {
		if (target_at(&tq, q)->most < best_eu || !(target_at(&tq, q)->most > SMP_MIN_SIG_EDU))
			break;
		if (prev >= 0 && target_at(&tq, q)->j == (size_t)prev) {
			q++;
			continue;
		}
		/* one target alone while there is no best gain to stop the others
		 * at, then SMP_LANES at a time under the default rules */
		double pl[SMP_LANES], edul[SMP_LANES];
		size_t qs[SMP_LANES], nl = 0;
		if (!lanes || alone) {
			qs[0] = q;
			nl = prob_edu_stop(m, &ps, i, i, target_at(&tq, q)->j, &pl[0], &edul[0],
					   lanes ? &best_eu : NULL);
			q++;
			alone = 0;
		} else {
			smp_lanes L = {.i = i, .nl = 0};
			chlg_head h[SMP_LANES];
			while (L.nl < SMP_LANES && q < nt && !(target_at(&tq, q)->most < best_eu) &&
			       target_at(&tq, q)->most > SMP_MIN_SIG_EDU) {
				if (prev >= 0 && target_at(&tq, q)->j == (size_t)prev) {
					q++;
					continue;
				}
				const size_t l = L.nl++;
				qs[l] = q;
				L.j[l] = target_at(&tq, q++)->j;
				chlg_start(m, &ps, i, i, L.j[l], &h[l]);
				L.a[l] = h[l].ci;
				L.b[l] = h[l].cj;
				L.stop[l] = h[l].u_vict >= h[l].u_loss;
				if (L.stop[l])
					L.g[l] = pl__smp_gain_stop(best_eu, h[l].sj, h[l].u_vict,
								   h[l].u_loss, h[l].eu_sq);
			}
			pl__smp_lanes_run(m, &ps.lane, &L);
			for (size_t l = 0; l < L.nl; l++)
				if (L.done[l]) {
					qs[nl] = qs[l];
					chlg_end(&h[l], L.a[l], L.b[l], &pl[nl], &edul[nl]);
					nl++;
				}
		}
		/* in the order of the bounds, as one at a time */
		for (size_t l = 0; l < nl; l++) {
			const double edu = edul[l];
			const size_t rank = tq.out[qs[l]].rank;
			if (SMP_MIN_SIG_EDU < edu &&
			    (best_eu < edu || (edu == best_eu && rank < best_rank))) {
				best = (long)tq.out[qs[l]].j;
				best_rank = rank;
				best_p = pl[l];
				best_eu = edu;
			}
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
	prob_edu_rows(m, &ps, i, i, j, &pj, &edu_j);
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

/* The bargains that concern actor k, status quo first, then by their
 * initiators in id order: their indices into m->brg (SIZE_MAX for the
 * status quo).  A tie between bargains goes to the first listed. */
static size_t bargains_of(const smp_model *m, size_t k, size_t *bidx)
{
	size_t nb = 0;
	bidx[nb++] = SIZE_MAX;
	for (size_t q = 0; q < m->n; q++) {
		const size_t i = pl__smp_ord(m, q);
		if (m->target[i] < 0 || (i != k && (size_t)m->target[i] != k))
			continue;
		bidx[nb++] = 2 * i;
		if (m->par.bm == BM_INIT_RCVR)
			bidx[nb++] = 2 * i + 1;
	}
	return nb;
}

/* Actor k: the PCE over its bargains, and the one it adopts. */
static int resolve_one(void *ctx, size_t k)
{
	smp_model *m = ctx;
	const size_t n = m->n, d = m->d;
	size_t *bidx = malloc((2 * n + 1) * sizeof *bidx);
	if (!bidx)
		return PL_ENOMEM;
	const size_t nb = bargains_of(m, k, bidx);
	double *u = malloc(n * nb * sizeof *u);
	double *c = malloc(nb * nb * sizeof *c);
	double *pv = malloc(nb * nb * sizeof *pv);
	double *p = malloc(nb * sizeof *p);
	int rc = (!u || !c || !pv || !p) ? PL_ENOMEM : PL_OK;
	for (size_t a = 0; !rc && a < n; a++)
		for (size_t b = 0; b < nb; b++)
			u[a * nb + b] = m->brg_val[(bidx[b] == SIZE_MAX ? 2 * n : bidx[b]) * n + a];
	pl_error err;
	if (!rc)
		rc = pl__smp_scalar_pce(n, nb, m->cap, u, m->par.vr, m->par.vpm, m->par.pcem, c, pv,
					p, &err);
	size_t pick = 0;
	if (!rc && m->par.stm == STM_DETERMINISTIC) {
		double best = -1.0;
		for (size_t b = 0; b < nb; b++)
			if (best < fabs(p[b])) {
				best = fabs(p[b]);
				pick = b;
			}
	} else if (!rc) {
		const double r = pl__counter_uniform(m->seed, m->turn, pl__smp_rank(m, k));
		double s = 0.0;
		pick = nb - 1;
		for (size_t b = 0; b < nb; b++) {
			s = s + p[b];
			if (r <= s) {
				pick = b;
				break;
			}
		}
	}
	if (!rc) {
		const size_t b = bidx[pick];
		m->chosen[k] = b;
		const double *src = b == SIZE_MAX	  ? m->pos + k * d
				    : m->brg[b].init == k ? m->brg[b].pi
							  : m->brg[b].pr;
		memcpy(m->newpos + k * d, src, d * sizeof(double));
		if (m->log)
			rc = pl__smp_log_bargain_choice(m->log, m, k, nb, bidx, p, pick);
	}
	free(bidx);
	free(u);
	free(c);
	free(pv);
	free(p);
	return rc;
}

/* ideal_i <- sum_j A(i,j) pos_j + (1 - min(1, sum_j A(i,j))) ideal_i */
static void new_ideals(smp_model *m)
{
	const size_t n = m->n, d = m->d;
	if (!m->accom) {
		memcpy(m->idl, m->pos, n * d * sizeof(double));
		return;
	}
	double *nip = malloc(d * sizeof *nip);
	double *old = malloc(n * d * sizeof *old);
	if (!nip || !old) {
		/* cannot happen in practice; keep the identity behaviour */
		free(nip);
		free(old);
		memcpy(m->idl, m->pos, n * d * sizeof(double));
		return;
	}
	memcpy(old, m->idl, n * d * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		double si = 0.0;
		for (size_t k = 0; k < d; k++)
			nip[k] = 0.0;
		for (size_t j = 0; j < n; j++) {
			const double a = m->accom[i * n + j];
			si = si + a;
			for (size_t k = 0; k < d; k++)
				nip[k] = nip[k] + a * m->pos[j * d + k];
		}
		si = si > 1.0 ? 1.0 : si;
		const double lag = 1.0 - si;
		for (size_t k = 0; k < d; k++)
			m->idl[i * d + k] = nip[k] + lag * old[i * d + k];
	}
	free(nip);
	free(old);
}

int pl__smp_turn(smp_model *m, pl_error *err)
{
	int rc = pl__smp_par_for(m->threads, m->n, challenge_one, m);
	if (!rc)
		rc = pl__smp_values(m);
	if (!rc)
		rc = pl__smp_par_for(m->threads, m->n, resolve_one, m);
	if (rc == PL_ENOMEM)
		return pl_error_set(err, rc, "smp", "out of memory");
	if (rc)
		return pl_error_set(err, rc, "smp",
				    "a bargain PCE did not settle in turn %u (Markov PCE)",
				    m->turn + 1);
	if (m->log && (rc = pl__smp_log_turn(m->log, m, err)))
		return rc;
	memcpy(m->pos, m->newpos, m->n * m->d * sizeof(double));
	new_ideals(m);
	m->turn++;
	return pl__smp_assess(m, err);
}
