/* smp_turn.c - one turn of the spatial model of politics: the model's
 * state and its assessment (distances, the risk PCE, risk attitudes), the
 * challenges (smp_chlg.c), each actor's choice among the bargains that
 * concern it by a PCE over them, then new positions and ideals.
 *
 * Cost per turn: O(n^2 d) for the distances, O(n^3) for the challenges
 * (n initiators x n targets x n third parties) and for the bargain PCEs.
 * Initiators, and then actors choosing bargains, are shared out over
 * threads; each writes only its own slots, so the result does not depend
 * on the number of threads. */
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
	m->place = malloc(n * sizeof(size_t));
	m->wn_p = calloc(SMP_PAD(n), sizeof(double));
	m->pos = malloc(n * d * sizeof(double));
	m->idl = malloc(n * d * sizeof(double));
	m->newpos = malloc(n * d * sizeof(double));
	m->vdiff = malloc(n * n * sizeof(double));
	m->vdiff_t = malloc(n * n * sizeof(double));
	m->vdiff_p = calloc(n * SMP_PAD(n), sizeof(double));
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
	if (!m->salsum || !m->wn || !m->perm || !m->place || !m->wn_p || !m->pos || !m->idl || !m->newpos || !m->vdiff || !m->vdiff_t || !m->vdiff_p || !m->selfu_t || !m->risk ||
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
	for (size_t k = 0; k < n; k++) {
		m->wn_p[k] = m->wn[m->perm[k]];
		m->place[m->perm[k]] = k;
	}
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
	free(m->place);
	free(m->wn_p);
	free(m->pos);
	free(m->idl);
	free(m->newpos);
	free(m->vdiff);
	free(m->vdiff_t);
	free(m->vdiff_p);
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
	return pl__smp_bsutil_inline(m->vdiff[i * m->n + j], rhi);
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
	m->sd_unit = 1;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			const double v = m->vdiff[i * n + j];
			m->vdiff_t[j * n + i] = v;
			m->sd_unit &= v >= 0.0 && v <= 1.0;
		}
	for (size_t j = 0; j < n; j++)
		for (size_t k = 0; k < n; k++)
			m->vdiff_p[j * SMP_PAD(n) + k] = m->vdiff_t[j * n + m->perm[k]];
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
				u[k * nc + q] = pl__smp_bsutil_inline(m->vdiff[k * n + rep[q]], 0.0);
		rc = pl__smp_class_pce(n, n, m->cap, u, nc, cls, m->par.vr, m->par.vpm,
				       m->par.pcem, c, pv, m->p_rn, err);
	} else {
		for (size_t i = 0; i < n * n; i++)
			u[i] = pl__smp_bsutil_inline(m->vdiff[i], 0.0);
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
	int rc = pl__smp_par_for(m->threads, m->n, pl__smp_challenge_one, m);
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
