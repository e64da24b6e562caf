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
#include "engines/vec4.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The plain-C variant passes 32-byte vectors between inline functions
 * without AVX: no ABI is crossed (all static), so the warning is moot. */
#define LANES 4

typedef uint64_t v4u __attribute__((vector_size(32)));

struct pl__eu_batch {
	size_t max_n, n;
	int isa;
	/* per slot (n + 1 for X: a sentinel +inf), lane-interleaved: [t * 4 + l] */
	double *X, *XN, *W, *S, *R, *D, *MULT;
	/* per pair of slots: [(u * n + w) * 4 + l]; PS has n + 1 rows */
	double *PS, *P, *LD, *LS, *LF;
	double inv[LANES];
	double lhalf[LANES]; /* log(1/2) in every lane */
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

/* Macros rather than functions: they serve both variants, and clang
 * refuses a call that passes a 32-byte vector from an AVX2 function to one
 * without AVX2, even when it would be inlined. */
typedef double v4d_mem __attribute__((vector_size(32), aligned(8), may_alias));
#define ld(p)	  ((v4d) * (const v4d_mem *)(p))
#define st(p, v)  (*(v4d_mem *)(p) = (v))
#define splat(x)  ((v4d){(x), (x), (x), (x)})
#define vabs(x)	  ((v4d)((v4u)(x) & (v4u){~0ULL >> 1, ~0ULL >> 1, ~0ULL >> 1, ~0ULL >> 1}))
/* Four loads from p at the lanes' indices j, in both variants: AVX2's gather
 * instruction is slower than four loads on this project's AMD machine, and
 * valgrind cannot run it.  TAB is the lookup in pl__exp2_32 of vexp. */
#define GATHER(p, j) ((v4d){(p)[(j)[0]], (p)[(j)[1]], (p)[(j)[2]], (p)[(j)[3]]})
#define TAB(j)	     GATHER(pl__exp2_32, j)

#define AT(a, t)     ((a) + (size_t)(t) * LANES)
#define AT2(a, u, w) ((a) + ((size_t)(u) * n + (size_t)(w)) * LANES)

/* The best offer of one kind so far, per lane (eu.c's consider). */
typedef struct pick4 {
	v4i have;
	v4d target, key, move;
} pick4;

/* ---- one round on every lane: the baseline ------------------------------- */

VEC4_INL v4d sel_g(v4i m, v4d a, v4d b)
{
	return (v4d)(((v4i)a & m) | ((v4i)b & ~m));
}

#define KFN(name)  name##_generic
#define SPLAT(x)   splat(x)
#define KINL	   VEC4_INL
#define KENTRY	   static
#define SEL(m, a, b) sel_g(m, a, b)
#define ANY(m)	   (((m)[0] | (m)[1] | (m)[2] | (m)[3]) != 0)
#define ALL(m)	   (((m)[0] & (m)[1] & (m)[2] & (m)[3]) != 0)
#include "engines/eu/eu_batch_kernel.h"

/* ---- the same with AVX2: blends and sign masks ------------------- */

#if VEC4_AVX2
#define KINL	    static inline __attribute__((always_inline)) VEC4_TARGET_AVX2
KINL v4d sel_a(v4i m, v4d a, v4d b)
{
	return (v4d)_mm256_blendv_pd((__m256d)b, (__m256d)a, (__m256d)m);
}

KINL int mask_a(v4i m)
{
	return _mm256_movemask_pd((__m256d)m);
}

#define KFN(name)  name##_avx2
#define SPLAT(x)   ((v4d)_mm256_set1_pd(x))
#define KENTRY	   static VEC4_TARGET_AVX2
#define SEL(m, a, b) sel_a(m, a, b)
#define ANY(m)	   (mask_a(m) != 0)
#define ALL(m)	   (mask_a(m) == 15)
#include "engines/eu/eu_batch_kernel.h"
#endif

/* ---- lanes ----------------------------------------------------------------- */

int pl__eu_batch_supports(const pl__eu_config *cfg, size_t n)
{
	return cfg->prob == PL_EU_PROB_GLOBAL && cfg->perspective == PL_EU_PERSPECTIVE_OWN &&
	       cfg->compromise == PL_EU_COMPROMISE_LOWEST && !cfg->capitulation && cfg->q == 1 &&
	       n >= 2;
}

int pl__eu_batch_available(void)
{
	return vec4_cpu_avx2();
}

pl__eu_batch *pl__eu_batch_new(size_t max_n, int isa)
{
	if (isa == PL_EU_ISA_AUTO)
		isa = vec4_cpu_avx2() ? PL_EU_ISA_AVX2 : PL_EU_ISA_GENERIC;
	if (isa == PL_EU_ISA_AVX2 && !vec4_cpu_avx2())
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
	for (size_t l = 0; l < LANES; l++)
		b->lhalf[l] = pl__log(0.5);
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
#if VEC4_AVX2
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
