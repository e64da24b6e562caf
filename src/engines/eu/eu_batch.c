/* eu_batch.c - the expected-utility engine on four samples of one issue at
 * once (eu_batch.h).  Each lane of a 4-double vector holds one sample; the
 * lanes' actors are kept sorted by position (each lane its own order), and
 * every table is indexed by the rank in that order ("slot") rather than by
 * distinct position, so loop bounds are the same in every lane.  Where the
 * scalar engine (eu_pass.c, eu.c) works on the m distinct positions, this
 * works on all n slots and masks: a slot that is not the first of its
 * position takes no part in the sums over distinct positions, and its
 * table entries are the same numbers as its position's first slot's (the
 * same operations on the same operands).  Every sum is taken in the
 * scalar engine's order, every product and quotient is written as it is
 * there, and exp and log are src/core/detmath.h's, four at a time with the
 * same operations (values outside their fast range go through the scalar
 * functions), so each lane gets the scalar engine's bits.  What the scalar
 * engine skips (the offers that cannot come; a twin's offers; the log
 * tables carried over) it skips because the result is the same, so
 * computing them here changes nothing.
 *
 * The vectors are GCC's vector extension; the kernel is compiled twice,
 * for AVX2 and for the baseline, and chosen by the CPU at run time.  No
 * FMA in either (-ffp-contract=off, and the AVX2 variant does not enable
 * FMA). */
#include "engines/eu/eu_batch.h"
#include "core/detmath.h"
#include "engines/weighted.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define HAVE_AVX2_VARIANT 1
#else
#define HAVE_AVX2_VARIANT 0
#endif

#define LANES 4
#define INL   static inline __attribute__((always_inline))

typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));

struct pl__eu_batch {
	size_t max_n, n;
	int isa;
	/* per slot (n + 1 for X: a sentinel +inf), lane-interleaved: [t * 4 + l] */
	double *X, *XN, *W, *S, *R, *D, *MULT;
	/* per pair of slots: [(u * n + w) * 4 + l]; PS has n + 1 rows */
	double *PS, *P, *LD, *LS, *LF;
	double inv[LANES];
	/* per lane */
	size_t *perm;	/* [l * max_n + t]: the actor in slot t */
	double *worig;	/* [l * max_n + i]: weights in the actors' order */
	double *hist;	/* [(l * cap_rows + row) * max_n + i]: rows of positions */
	double *fc;	/* [l * cap_rows + row]: each row's forecast */
	size_t cap_rows;
	long job[LANES]; /* the sample in each lane, -1 for none */
	size_t played[LANES];
	void *block;
};

/* ---- four at a time ------------------------------------------------------ */

INL v4d ld(const double *p)
{
	v4d v;
	memcpy(&v, p, sizeof v);
	return v;
}

INL void st(double *p, v4d v)
{
	memcpy(p, &v, sizeof v);
}

INL v4d splat(double x)
{
	return (v4d){x, x, x, x};
}

INL v4d sel(v4i m, v4d a, v4d b)
{
	return (v4d)(((v4i)a & m) | ((v4i)b & ~m));
}

INL v4d vabs(v4d x)
{
	return (v4d)((v4u)x & (v4u){~0ULL >> 1, ~0ULL >> 1, ~0ULL >> 1, ~0ULL >> 1});
}

INL int any(v4i m)
{
	return (m[0] | m[1] | m[2] | m[3]) != 0;
}

INL int all(v4i m)
{
	return (m[0] & m[1] & m[2] & m[3]) != 0;
}

/* pl__exp, lane by lane the same operations. */
INL v4d vexp(v4d x)
{
	const v4d inv = splat(0x1.71547652b82fep+5), hi = splat(0x1.62e42fee00000p-6),
		  lo = splat(0x1.a39ef35793c76p-38), shift = splat(0x1.8p52);
	const v4u mant = (v4u){0xfffffffffffffULL, 0xfffffffffffffULL, 0xfffffffffffffULL,
			       0xfffffffffffffULL};
	v4i ok = vabs(x) < splat(708);
	v4d kd = x * inv + shift;
	v4i k = (v4i)((v4u)kd & mant) - (INT64_C(1) << 51);
	kd = kd - shift;
	v4d r = (x - kd * hi) - kd * lo;
	v4d r2 = r * r, r4 = r2 * r2;
	v4d p = r + (r2 * (splat(0.5) + r * splat(1.0 / 6)) +
		     r4 * ((splat(1.0 / 24) + r * splat(1.0 / 120)) + r2 * splat(1.0 / 720)));
	v4i e = k >> 5;
	v4d t = {pl__exp2_32[k[0] & 31], pl__exp2_32[k[1] & 31], pl__exp2_32[k[2] & 31],
		 pl__exp2_32[k[3] & 31]};
	v4d s = (v4d)((v4u)t + ((v4u)e << 52));
	v4d y = s + s * p;
	if (!all(ok))
		for (int l = 0; l < LANES; l++)
			if (!ok[l])
				y[l] = pl__exp(x[l]);
	return y;
}

/* pl__log, lane by lane the same operations. */
INL v4d vlog(v4d x)
{
	const v4u mant = (v4u){0xfffffffffffffULL, 0xfffffffffffffULL, 0xfffffffffffffULL,
			       0xfffffffffffffULL};
	const v4u one = (v4u){1023ULL << 52, 1023ULL << 52, 1023ULL << 52, 1023ULL << 52};
	v4u u = (v4u)x;
	v4i ok = (x > splat(0)) & (x != splat(HUGE_VAL)) & (v4i)(u >= (UINT64_C(1) << 52));
	v4i e = (v4i)(u >> 52) - 1023;
	v4d m = (v4d)((u & mant) | one);
	v4i big = m > splat(0x1.6a09e667f3bcdp+0);
	m = sel(big, m * splat(0.5), m);
	e = e - big; /* big is -1 where true */
	v4d f = (m - splat(1)) / (m + splat(1)), f2 = f * f;
	v4d s = splat(1.0 / 3) +
		f2 * (splat(1.0 / 5) +
		      f2 * (splat(1.0 / 7) +
			    f2 * (splat(1.0 / 9) +
				  f2 * (splat(1.0 / 11) +
					f2 * (splat(1.0 / 13) +
					      f2 * (splat(1.0 / 15) +
						    f2 * (splat(1.0 / 17) +
							  f2 * (splat(1.0 / 19) +
								f2 * (splat(1.0 / 21) +
								      f2 / splat(23))))))))));
	/* (double)e exactly: e + 1.5 * 2^52 has e in its low bits */
	v4d ed = (v4d)((v4u)e + (v4u)(v4i){0x4338000000000000LL, 0x4338000000000000LL,
					  0x4338000000000000LL, 0x4338000000000000LL}) -
		 splat(0x1.8p52);
	v4d y = ed * splat(0x1.62e42fee00000p-1) +
		(splat(2) * f + (splat(2) * f * f2 * s + ed * splat(0x1.a39ef35793c76p-33)));
	if (!all(ok))
		for (int l = 0; l < LANES; l++)
			if (!ok[l])
				y[l] = pl__log(x[l]);
	return y;
}

INL v4d pos_part(v4d y)
{
	return sel(y > splat(0), y, splat(0));
}

/* ---- one round on every lane ------------------------------------------- */

#define AT(a, t)       ((a) + (size_t)(t) * LANES)
#define AT2(a, u, w)   ((a) + ((size_t)(u) * n + (size_t)(w)) * LANES)

/* Multiplicity of each slot's position from that slot on (so the first
 * slot of a position holds the count), and the log tables. */
INL void positions_and_logs(pl__eu_batch *b, size_t n, v4d inv)
{
	double *X = b->X;
	v4d next = splat(0);
	for (size_t t = n; t-- > 0;) {
		v4d x = ld(AT(X, t));
		v4d mult = splat(1);
		if (t + 1 < n)
			mult = sel(ld(AT(X, t + 1)) == x, next + splat(1), mult);
		st(AT(b->MULT, t), mult);
		next = mult;
	}
	const v4d lhalf = splat(pl__log(0.5)), ninf = splat(-INFINITY);
	for (size_t u = 0; u < n; u++) {
		st(AT2(b->LD, u, u), ninf);
		st(AT2(b->LS, u, u), lhalf);
		st(AT2(b->LF, u, u), lhalf);
		v4d xu = ld(AT(X, u));
		for (size_t w = u + 1; w < n; w++) {
			v4d d = (ld(AT(X, w)) - xu) * inv;
			v4d s = splat(0.5) - splat(0.5) * d;
			v4i dpos = d > splat(0), spos = s > splat(0);
			v4d lgd = sel(dpos, vlog(sel(dpos, d, splat(1))), ninf);
			v4d lgs = sel(spos, vlog(sel(spos, s, splat(1))), ninf);
			v4d lgf = vlog(splat(0.5) + splat(0.5) * d);
			st(AT2(b->LD, u, w), lgd);
			st(AT2(b->LD, w, u), lgd);
			st(AT2(b->LS, u, w), lgs);
			st(AT2(b->LS, w, u), lgs);
			st(AT2(b->LF, u, w), lgf);
			st(AT2(b->LF, w, u), lgf);
		}
	}
}

/* The prefix sums of the votes (linear: every exponent 1, else b->R), then
 * P[u][w], the probability that u's position beats w's (eu_pass.c's
 * vote_tables). */
INL void vote_tables(pl__eu_batch *b, size_t n, v4d inv, int linear)
{
	const double *X = b->X;
	double *PS = b->PS, *P = b->P;
	for (size_t u = 0; u < n; u++)
		st(AT2(PS, 0, u), splat(0));
	for (size_t t = 0; t < n; t++) {
		v4d wv = ld(AT(b->W, t)), xv = ld(AT(X, t)), rv = ld(AT(b->R, t));
		v4i one = rv == splat(1);
		for (size_t u = 0; u < n; u++) {
			v4d prev = ld(AT2(PS, t, u)), xu = ld(AT(X, u));
			v4d lin = prev + wv * vabs(xu - xv) * inv;
			v4d row;
			if (linear) {
				row = lin;
			} else if (u == t) {
				row = prev;
			} else {
				v4i same = xu == xv, use_exp = ~same & ~one;
				row = sel(one, lin, prev);
				if (any(use_exp)) {
					v4d arg = sel(use_exp, rv * ld(AT2(b->LD, t, u)), splat(0));
					row = sel(use_exp, prev + wv * vexp(arg), row);
				}
			}
			st(AT2(PS, t + 1, u), row);
		}
	}
	const double *tot = PS + n * n * LANES;
	v4d sum = splat(0);
	v4i t0 = {0, 0, 0, 0};
	for (size_t u = 0; u < n; u++) {
		st(AT2(P, u, u), splat(0));
		v4d xu = ld(AT(X, u)), mu = ld(AT(b->MULT, u)), totu = ld(AT(tot, u));
		v4i first_u = u == 0 ? (v4i){-1, -1, -1, -1} : ld(AT(X, u - 1)) != xu;
		v4i t = t0;
		for (size_t w = u + 1; w < n; w++) {
			v4d xw = ld(AT(X, w));
			v4d mid = splat(0.5) * (xu + xw);
			for (;;) { /* the voters left of mid: X is sorted, X[n] = +inf */
				v4d xt = {X[t[0] * LANES + 0], X[t[1] * LANES + 1],
					  X[t[2] * LANES + 2], X[t[3] * LANES + 3]};
				v4i below = xt < mid;
				if (!any(below))
					break;
				t -= below;
			}
			if (w == u + 1)
				t0 = t;
			v4d ptw = {PS[(t[0] * n + w) * LANES + 0], PS[(t[1] * n + w) * LANES + 1],
				   PS[(t[2] * n + w) * LANES + 2], PS[(t[3] * n + w) * LANES + 3]};
			v4d ptu = {PS[(t[0] * n + u) * LANES + 0], PS[(t[1] * n + u) * LANES + 1],
				   PS[(t[2] * n + u) * LANES + 2], PS[(t[3] * n + u) * LANES + 3]};
			v4d fa = pos_part(ptw - ptu);
			v4d fb = pos_part((totu - ptu) - (ld(AT(tot, w)) - ptw));
			v4i diff = xu != xw;
			st(AT2(P, u, w), sel(diff, fa, splat(0)));
			st(AT2(P, w, u), sel(diff, fb, splat(0)));
			v4i counts = first_u & diff & (ld(AT(X, w - 1)) != xw);
			sum = sel(counts, sum + mu * ld(AT(b->MULT, w)) * (fa + fb), sum);
		}
	}
	sum = sum * splat(2);
	v4i positive = sum > splat(0);
	for (size_t e = 0; e < n * n; e++)
		st(P + e * LANES, sel(positive, ld(P + e * LANES) / sum, splat(0)));
}

/* Dangers with every exponent at 1 (q = 1, eu_pass.c's dangers_q1) and the
 * risk exponents. */
INL void risk_exponents(pl__eu_batch *b, size_t n, v4d inv)
{
	const double *X = b->X;
	for (size_t t = 0; t < n; t++)
		st(AT(b->R, t), splat(1));
	vote_tables(b, n, inv, 1);
	v4d dmax = splat(-INFINITY), dmin = splat(INFINITY);
	for (size_t u = 0; u < n; u++) {
		v4d xu = ld(AT(X, u)), sa = splat(0), sb = splat(0);
		for (size_t w = 0; w < n; w++) {
			v4d xw = ld(AT(X, w));
			v4i first = w == 0 ? (v4i){-1, -1, -1, -1} : ld(AT(X, w - 1)) != xw;
			v4d md = ld(AT(b->MULT, w)) * vabs(xw - xu);
			sa = sel(first, sa + md, sa);
			sb = sel(first, sb + md * (splat(1) - ld(AT2(b->P, w, u))), sb);
		}
		v4d ga = splat(2) * sa * inv, gb = splat(4) * sb * inv;
		v4d d = ga - ld(AT(b->S, u)) * gb;
		st(AT(b->D, u), d);
		dmax = sel(d > dmax, d, dmax);
		dmin = sel(d < dmin, d, dmin);
	}
	v4d span = dmax - dmin;
	v4d amax = vabs(dmax), amin = vabs(dmin);
	v4d big = sel(amax > amin, amax, amin);
	v4i flat = ~(span > splat(1e-12) * big);
	for (size_t u = 0; u < n; u++) {
		v4d big_r = sel(flat, splat(0),
				(splat(2) * ld(AT(b->D, u)) - dmax - dmin) / span);
		st(AT(b->R, u), (splat(1) - big_r / splat(3)) / (splat(1) + big_r / splat(3)));
	}
}

/* The best offer of one kind so far, per lane (eu.c's consider). */
typedef struct pick4 {
	v4i have;
	v4d target, key, move;
} pick4;

INL void consider4(pick4 *p, v4i m, v4d target, v4d key, v4d move)
{
	v4i better = ~p->have | (key < p->key) |
		     ((key == p->key) & ((move < p->move) | ((move == p->move) & (target < p->target))));
	v4i take = m & better;
	p->have |= take;
	p->target = sel(take, target, p->target);
	p->key = sel(take, key, p->key);
	p->move = sel(take, move, p->move);
}

/* Every actor's move (eu.c's choose_move with q = 1, perspective own,
 * compromise lowest, no capitulation). */
INL void moves(pl__eu_batch *b, size_t n, v4d inv)
{
	const double *X = b->X;
	for (size_t i = 0; i < n; i++) {
		v4d ri = ld(AT(b->R, i)), si = ld(AT(b->S, i)), xi = ld(AT(X, i));
		v4d esq = vexp(splat(-0.693147180559945309417232121458176568) * ri);
		v4d bound = sel(ri < splat(1), sel(esq > splat(0.5), esq, splat(0.5)), splat(0.5)) +
			    splat(0.01);
		pick4 conf = {{0, 0, 0, 0}, splat(0), splat(0), splat(0)};
		pick4 comp = conf;
		for (size_t j = 0; j < n; j++) {
			if (j == i)
				continue;
			v4d xj = ld(AT(X, j));
			v4d pji = ld(AT2(b->P, j, i));
			v4d c = si * (splat(1) - pji);
			v4d dist = vabs(xj - xi);
			v4i skip = (c >= bound) & (dist * inv >= splat(1e-6));
			v4i live = (xj != xi) & ~skip;
			if (!any(live))
				continue;
			v4d es = vexp(ri * sel(live, ld(AT2(b->LS, i, j)), splat(0)));
			v4d ef = vexp(ri * sel(live, ld(AT2(b->LF, i, j)), splat(0)));
			v4d g = splat(4) * (esq - es), h = splat(4) * (ef - es);
			v4d eij = g - ld(AT(b->S, j)) * (splat(1) - ld(AT2(b->P, i, j))) * h;
			v4d eji = g - si * (splat(1) - pji) * h;
			v4i pre = live & (eji > splat(0));
			if (!any(pre))
				continue;
			v4i cf = pre & (eji > eij) & (eij > splat(0));
			v4i cp = pre & ~cf & (eij < splat(0)) & (eji > -eij);
			if (any(cf))
				consider4(&conf, cf, xj, dist, dist);
			if (any(cp)) {
				v4d wpt = (-eij * xi + eji * xj) / (eji - eij);
				v4d target = xi + (xj - xi) * (-eij / eji);
				consider4(&comp, cp, target, wpt, vabs(target - xi));
			}
		}
		st(AT(b->XN, i), sel(conf.have, conf.target, sel(comp.have, comp.target, xi)));
	}
}

INL void round_body(pl__eu_batch *b)
{
	size_t n = b->n;
	v4d inv = ld(b->inv);
	positions_and_logs(b, n, inv);
	risk_exponents(b, n, inv);
	vote_tables(b, n, inv, 0);
	moves(b, n, inv);
}

#if HAVE_AVX2_VARIANT
__attribute__((target("avx2"))) static void round_avx2(pl__eu_batch *b)
{
	round_body(b);
}
#endif

static void round_generic(pl__eu_batch *b)
{
	round_body(b);
}

/* ---- lanes ----------------------------------------------------------------- */

int pl__eu_batch_supports(const pl__eu_config *cfg, size_t n)
{
	return cfg->prob == PL_EU_PROB_GLOBAL && cfg->perspective == PL_EU_PERSPECTIVE_OWN &&
	       cfg->compromise == PL_EU_COMPROMISE_LOWEST && !cfg->capitulation && cfg->q == 1 &&
	       n >= 2 && n <= PL_EU_BATCH_MAX_N;
}

static int cpu_has_avx2(void)
{
#if HAVE_AVX2_VARIANT
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
#else
	return 0;
#endif
}

pl__eu_batch *pl__eu_batch_new(size_t max_n, int isa)
{
	if (isa == PL_EU_ISA_AUTO)
		isa = cpu_has_avx2() ? PL_EU_ISA_AVX2 : PL_EU_ISA_GENERIC;
	if (isa == PL_EU_ISA_AVX2 && !cpu_has_avx2())
		return NULL;
	if (isa != PL_EU_ISA_AVX2 && isa != PL_EU_ISA_GENERIC)
		return NULL;
	pl__eu_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	size_t nn = max_n ? max_n : 1;
	size_t slots = 7 * (nn + 1), pairs = (nn + 1) * nn + 4 * nn * nn;
	size_t words = (slots + pairs) * LANES + LANES * nn * 2;
	b->block = aligned_alloc(32, (words * sizeof(double) + 31) / 32 * 32);
	b->perm = malloc(LANES * nn * sizeof *b->perm);
	if (!b->block || !b->perm) {
		pl__eu_batch_free(b);
		return NULL;
	}
	double *p = b->block;
	double **slot[] = {&b->X, &b->XN, &b->W, &b->S, &b->R, &b->D, &b->MULT};
	for (size_t k = 0; k < sizeof slot / sizeof slot[0]; k++, p += (nn + 1) * LANES)
		*slot[k] = p;
	b->PS = p;
	p += (nn + 1) * nn * LANES;
	double **pair[] = {&b->P, &b->LD, &b->LS, &b->LF};
	for (size_t k = 0; k < 4; k++, p += nn * nn * LANES)
		*pair[k] = p;
	b->worig = p;
	b->max_n = nn;
	b->isa = isa;
	return b;
}

void pl__eu_batch_free(pl__eu_batch *b)
{
	if (!b)
		return;
	free(b->block);
	free(b->perm);
	free(b->hist);
	free(b->fc);
	free(b);
}

int pl__eu_batch_isa(const pl__eu_batch *b)
{
	return b->isa;
}

#define LX(b, t, l) ((b)->X[(t) * LANES + (l)])

/* Lane l's slots sorted by position, ties by actor (eu_pass.c's order). */
static void sort_lane(pl__eu_batch *b, size_t l)
{
	size_t n = b->n, *perm = b->perm + l * b->max_n;
	for (size_t t = 1; t < n; t++) {
		double x = LX(b, t, l), w = b->W[t * LANES + l], s = b->S[t * LANES + l];
		size_t i = perm[t], u = t;
		for (; u > 0 && (x < LX(b, u - 1, l) || (x == LX(b, u - 1, l) && i < perm[u - 1]));
		     u--) {
			LX(b, u, l) = LX(b, u - 1, l);
			b->W[u * LANES + l] = b->W[(u - 1) * LANES + l];
			b->S[u * LANES + l] = b->S[(u - 1) * LANES + l];
			perm[u] = perm[u - 1];
		}
		LX(b, u, l) = x;
		b->W[u * LANES + l] = w;
		b->S[u * LANES + l] = s;
		perm[u] = i;
	}
}

/* eu_pass.c's sorted_median over lane l's slots. */
static double lane_median(const pl__eu_batch *b, size_t l)
{
	size_t n = b->n;
	const double *X = b->X + l, *W = b->W + l;
	double total = 0;
	for (size_t t = 0; t < n; t++)
		total += W[t * LANES];
	double half = total / 2, cum = 0, tol = 1e-12 * total;
	for (size_t t = 0; t < n;) {
		size_t u = t;
		while (u < n && X[u * LANES] == X[t * LANES])
			cum += W[(u++) * LANES];
		if (cum >= half - tol) {
			if (fabs(cum - half) <= tol) {
				while (u < n && W[u * LANES] == 0)
					u++;
				if (u < n)
					return (X[t * LANES] + X[u * LANES]) / 2;
			}
			return X[t * LANES];
		}
		t = u;
	}
	return X[(n - 1) * LANES];
}

static double *lane_row(pl__eu_batch *b, size_t l, size_t row)
{
	return b->hist + (l * b->cap_rows + row) * b->max_n;
}

/* Records lane l's positions as row `row` with its forecast. */
static void push_row(pl__eu_batch *b, const pl__eu_config *cfg, size_t l, size_t row)
{
	size_t n = b->n;
	double *h = lane_row(b, l, row);
	const size_t *perm = b->perm + l * b->max_n;
	for (size_t t = 0; t < n; t++)
		h[perm[t]] = LX(b, t, l);
	b->fc[l * b->cap_rows + row] = cfg->forecast == PL_EU_MEAN
					       ? pl__weighted_mean(n, h, b->worig + l * b->max_n)
					       : lane_median(b, l);
}

/* Loads sample j into lane l; 0 when the scalar engine must take it (the
 * cases pl__eu_run calls degenerate, or a value that is not finite). */
static int load_lane(pl__eu_batch *b, const pl__eu_config *cfg, size_t l, size_t j,
		     const double *pos, const double *sal, const double *cap, double lo, double hi)
{
	size_t n = b->n;
	pos += j * n, sal += j * n, cap += j * n;
	double wsum = 0, xlo = INFINITY, xhi = -INFINITY;
	double *wo = b->worig + l * b->max_n;
	for (size_t i = 0; i < n; i++) {
		wo[i] = cap[i] * sal[i];
		if (!isfinite(pos[i]) || !isfinite(sal[i]) || !isfinite(wo[i]))
			return 0;
		wsum += wo[i];
		xlo = fmin(xlo, pos[i]);
		xhi = fmax(xhi, pos[i]);
	}
	double range = cfg->range == PL_EU_RANGE_SCALE ? hi - lo : xhi - xlo;
	if (n < 2 || xhi - xlo == 0 || !(wsum > 0) || !(range > 0) || !isfinite(range))
		return 0;
	b->inv[l] = 1 / range;
	size_t *perm = b->perm + l * b->max_n;
	for (size_t i = 0; i < n; i++) {
		LX(b, i, l) = pos[i];
		b->W[i * LANES + l] = wo[i];
		b->S[i * LANES + l] = sal[i];
		perm[i] = i;
	}
	sort_lane(b, l);
	b->played[l] = 0;
	push_row(b, cfg, l, 0);
	return 1;
}

/* The next sample the batch takes into lane l, from *next on; the ones it
 * does not take are marked so.  0 when none is left. */
static int refill(pl__eu_batch *b, const pl__eu_config *cfg, size_t l, size_t *next, size_t count,
		  const double *pos, const double *sal, const double *cap, double lo, double hi,
		  unsigned char *taken)
{
	while (*next < count) {
		size_t j = (*next)++;
		taken[j] = (unsigned char)load_lane(b, cfg, l, j, pos, sal, cap, lo, hi);
		if (taken[j]) {
			b->job[l] = (long)j;
			return 1;
		}
	}
	b->job[l] = -1;
	return 0;
}

/* Copies lane `from`'s state into lane l (an idle lane computes a copy). */
static void copy_lane(pl__eu_batch *b, size_t l, size_t from)
{
	for (size_t t = 0; t < b->n; t++) {
		LX(b, t, l) = LX(b, t, from);
		b->W[t * LANES + l] = b->W[t * LANES + from];
		b->S[t * LANES + l] = b->S[t * LANES + from];
	}
	b->inv[l] = b->inv[from];
}

/* After a round: lane l's moves, its new row, and whether its run ended
 * (stable, a cycle, or the last round); then *forecast and *cyc. */
static int advance_lane(pl__eu_batch *b, const pl__eu_config *cfg, size_t l, int rounds,
			double *forecast, unsigned char *cyc)
{
	size_t n = b->n, moved = 0, row = b->played[l];
	const double *fc = b->fc + l * b->cap_rows;
	for (size_t t = 0; t < n; t++) {
		moved += b->XN[t * LANES + l] != LX(b, t, l);
		LX(b, t, l) = b->XN[t * LANES + l];
	}
	*cyc = 0;
	if (moved == 0) { /* at rest: the last row's forecast */
		*forecast = fc[row];
		return 1;
	}
	sort_lane(b, l);
	row = ++b->played[l];
	push_row(b, cfg, l, row);
	const double *h = lane_row(b, l, row);
	for (size_t s = 0; s < row; s++) {
		if (memcmp(lane_row(b, l, s), h, n * sizeof *h) != 0)
			continue;
		/* a cycle: rows s .. row - 1 repeat (eu_history.c, pl__outcome_cycle) */
		size_t period = row - s;
		double lo = fc[s], hi = fc[s], sum = 0;
		for (size_t r = 0; r < period; r++) {
			lo = fc[s + r] < lo ? fc[s + r] : lo;
			hi = fc[s + r] > hi ? fc[s + r] : hi;
			sum += fc[s + r];
		}
		double mean = lo == hi ? lo : sum / (double)period;
		*forecast = cfg->cycle_last ? fc[s + ((size_t)rounds - s) % period] : mean;
		*cyc = lo < hi;
		return 1;
	}
	if (row >= (size_t)rounds) {
		*forecast = fc[row];
		return 1;
	}
	return 0;
}

void pl__eu_batch_run(pl__eu_batch *b, const pl__eu_config *cfg, int rounds, size_t n,
		      size_t count, const double *pos, const double *sal, const double *cap,
		      double lo, double hi, double *forecast, unsigned char *cycling,
		      unsigned char *taken)
{
	if (!pl__eu_batch_supports(cfg, n) || n > b->max_n || rounds < 1) {
		memset(taken, 0, count);
		return;
	}
	size_t rows = (size_t)rounds + 1;
	if (rows > b->cap_rows) {
		double *h = realloc(b->hist, LANES * rows * b->max_n * sizeof *h);
		if (h)
			b->hist = h;
		double *f = h ? realloc(b->fc, LANES * rows * sizeof *f) : NULL;
		if (f)
			b->fc = f;
		if (!h || !f) { /* the scalar engine takes them all */
			memset(taken, 0, count);
			return;
		}
		b->cap_rows = rows;
	}
	b->n = n;
	for (size_t l = 0; l < LANES; l++)
		b->X[n * LANES + l] = INFINITY; /* the sentinel of the vote tables' search */
	size_t next = 0, busy = 0;
	long any_lane = -1;
	for (size_t l = 0; l < LANES; l++)
		if (refill(b, cfg, l, &next, count, pos, sal, cap, lo, hi, taken)) {
			busy++;
			any_lane = (long)l;
		}
	for (size_t l = 0; l < LANES && busy; l++)
		if (b->job[l] < 0)
			copy_lane(b, l, (size_t)any_lane);
	void (*round)(pl__eu_batch *) = round_generic;
#if HAVE_AVX2_VARIANT
	if (b->isa == PL_EU_ISA_AVX2)
		round = round_avx2;
#endif
	while (busy) {
		round(b);
		for (size_t l = 0; l < LANES; l++) {
			long j = b->job[l];
			if (j < 0) /* idle: it recomputes the same positions */
				continue;
			if (!advance_lane(b, cfg, l, rounds, &forecast[j], &cycling[j]))
				continue;
			if (!refill(b, cfg, l, &next, count, pos, sal, cap, lo, hi, taken)) {
				busy--;
				b->job[l] = -1;
			}
		}
	}
}
