/* sweep_stats.c - the statistics of a sweep: the layout of its exact sums,
 * merging partial sweeps, and turning sums into means, quantiles,
 * threshold probabilities and Sobol' indices with their intervals
 * (docs/analysis/sweep.md). */
#include "analysis/inputs.h"
#include "analysis/sweep_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

pl_i128 pl__fix(double v)
{
	return (pl_i128)llrint(ldexp(v, PL_FIX_BITS));
}

static long double unfix(pl_i128 v)
{
	return ldexpl((long double)v, -PL_FIX_BITS);
}

static int cmp_thr(const void *a, const void *b)
{
	const pl_threshold *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	double xh = x->kind == PL_BETWEEN ? x->hi : 0, yh = y->kind == PL_BETWEEN ? y->hi : 0;
	return (xh > yh) - (xh < yh);
}

static int issue_thresholds(pl_sweep_issue *is, size_t i, const pl_sweep_options *o)
{
	is->thr = malloc((o->n_thresholds + 1) * sizeof *is->thr);
	is->probs = calloc(o->n_thresholds + 1, sizeof *is->probs);
	if (!is->thr || !is->probs)
		return PL_ENOMEM;
	size_t m = 0;
	for (size_t t = 0; t < o->n_thresholds; t++)
		if (o->thresholds[t].issue == PL_ALL_ISSUES || o->thresholds[t].issue == i) {
			is->thr[m] = o->thresholds[t];
			is->thr[m].issue = i;
			if (is->thr[m].kind != PL_BETWEEN)
				is->thr[m].hi = 0;
			m++;
		}
	qsort(is->thr, m, sizeof *is->thr, cmp_thr);
	size_t u = 0;
	for (size_t t = 0; t < m; t++)
		if (u == 0 || cmp_thr(&is->thr[t], &is->thr[u - 1]) != 0)
			is->thr[u++] = is->thr[t];
	is->n_thr = u;
	return PL_OK;
}

int pl__sweep_layout(pl_sweep *s, const pl_case *c, const pl_sweep_options *o, pl_error *err)
{
	s->n_issues = pl_case_n_issues(c);
	s->issues = calloc(s->n_issues ? s->n_issues : 1, sizeof *s->issues);
	if (!s->issues)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	size_t off = 0;
	for (size_t i = 0; i < s->n_issues; i++) {
		pl_sweep_issue *is = &s->issues[i];
		is->lo = pl_case_issue(c, i)->min;
		is->hi = pl_case_issue(c, i)->max;
		is->nominal = NAN;
		is->bins_out = calloc(s->bins, sizeof *is->bins_out);
		if (!is->bins_out || issue_thresholds(is, i, o))
			return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		is->off = off;
		is->off_fine = off + W_HEAD;
		is->off_bins = is->off_fine + PL_FINE_BINS;
		is->off_ge = is->off_bins + s->bins;
		is->off_gd = is->off_ge + is->n_thr;
		if (s->sensitivity == PL_SENS_GIVEN) {
			is->off_sens = is->off_gd + GD_GROUPS * G_WORDS;
			off = is->off_sens + s->n_factors * GD_FACTOR_WORDS;
		} else {
			is->off_sens = is->off_gd;
			off = is->off_sens + (s->sensitivity ? s->n_factors * S_WORDS : 0);
		}
	}
	s->n_words = off;
	if (s->sensitivity == PL_SENS_GIVEN) {
		s->gd_edges = malloc((s->n_inputs + 1) * (GD_BINS - 1) * sizeof *s->gd_edges);
		if (!s->gd_edges)
			return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		for (size_t q = 0; q < s->n_inputs; q++) {
			const pl_input *in = &s->inputs[q];
			double lo = 0, hi = 1;
			if (in->kind == PL_INPUT_POSITION) {
				lo = pl_case_issue(c, in->issue)->min;
				hi = pl_case_issue(c, in->issue)->max;
			}
			pl__input_bin_edges(in, lo, hi, GD_BINS, s->gd_edges + q * (GD_BINS - 1));
		}
	}
	if (pl__sweep_acc_new(s, &s->w, &s->minmax))
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory for the sweep's sums");
	return PL_OK;
}

int pl__sweep_acc_new(const pl_sweep *s, pl_i128 **w, double **minmax)
{
	*w = calloc(s->n_words ? s->n_words : 1, sizeof **w);
	*minmax = malloc((2 * s->n_issues + 1) * sizeof **minmax);
	if (!*w || !*minmax) {
		free(*w);
		free(*minmax);
		*w = NULL;
		*minmax = NULL;
		return PL_ENOMEM;
	}
	for (size_t i = 0; i < s->n_issues; i++) {
		(*minmax)[2 * i] = INFINITY;
		(*minmax)[2 * i + 1] = -INFINITY;
	}
	return PL_OK;
}

void pl__sweep_acc_add(pl_sweep *s, const pl_i128 *w, const double *minmax)
{
	/* wrapping addition: merged bytes from elsewhere cannot cause undefined
	 * behaviour (a real sweep stays far below 2^127) */
	for (size_t k = 0; k < s->n_words; k++)
		s->w[k] = (pl_i128)((pl_u128)s->w[k] + (pl_u128)w[k]);
	for (size_t i = 0; i < s->n_issues; i++) {
		if (minmax[2 * i] < s->minmax[2 * i])
			s->minmax[2 * i] = minmax[2 * i];
		if (minmax[2 * i + 1] > s->minmax[2 * i + 1])
			s->minmax[2 * i + 1] = minmax[2 * i + 1];
	}
}

/* Wilson score interval for k successes in n trials, z = 1.96. */
static void wilson(double k, double n, double *lo, double *hi)
{
	const double z = 1.959963984540054;
	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	double p = k / n, z2 = z * z / n;
	double centre = (p + z2 / 2) / (1 + z2);
	double half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z2);
	*lo = centre - half < 0 ? 0 : centre - half;
	*hi = centre + half > 1 ? 1 : centre + half;
}

void pl__sweep_finish(pl_sweep *s)
{
	for (size_t i = 0; i < s->n_issues; i++) {
		pl_sweep_issue *is = &s->issues[i];
		double n = (double)s->w[is->off + W_N];
		for (size_t b = 0; b < s->bins; b++)
			is->bins_out[b] = (uint64_t)s->w[is->off_bins + b];
		for (size_t t = 0; t < is->n_thr; t++) {
			double k = (double)s->w[is->off_ge + t];
			pl_sweep_prob *p = &is->probs[t];
			p->value = is->thr[t].value;
			p->kind = is->thr[t].kind;
			p->upper = is->thr[t].kind == PL_BETWEEN ? is->thr[t].hi : NAN;
			p->p = n > 0 ? k / n : NAN;
			wilson(k, n, &p->lo, &p->hi);
		}
	}
}

/* ---- accessors -------------------------------------------------------- */

int pl_sweep_summary_of(const pl_sweep *s, size_t issue, pl_sweep_summary *out, pl_error *err)
{
	if (issue >= s->n_issues)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "issue index %zu out of range", issue);
	const pl_sweep_issue *is = &s->issues[issue];
	const pl_i128 *w = s->w + is->off;
	long double n = (long double)w[W_N], range = is->hi - is->lo;
	*out = (pl_sweep_summary){.issue = issue,
				  .n = (uint64_t)w[W_N],
				  .n_failed = (uint64_t)w[W_FAILED],
				  .n_cycling = (uint64_t)w[W_CYCLING],
				  .nominal = is->nominal,
				  .mean = NAN,
				  .sd = NAN,
				  .min = NAN,
				  .max = NAN};
	if (n <= 0)
		return PL_OK;
	long double m = unfix(w[W_S1]) / n;
	long double var = unfix(w[W_S2]) / n - m * m;
	if (var < 0)
		var = 0;
	out->mean = (double)(is->lo + range * m);
	out->min = s->minmax[2 * issue];
	out->max = s->minmax[2 * issue + 1];
	if (n < 2)
		return PL_OK; /* one sample has no spread: sd stays NAN */
	out->sd = (double)(range * sqrtl(var * n / (n - 1)));
	if (out->min == out->max)
		out->sd = 0; /* not the rounding residue of the fixed-point sums */
	return PL_OK;
}

double pl_sweep_quantile(const pl_sweep *s, size_t issue, double p)
{
	if (issue >= s->n_issues || !(p >= 0 && p <= 1))
		return NAN;
	const pl_sweep_issue *is = &s->issues[issue];
	double n = (double)s->w[is->off + W_N];
	double mn = s->minmax[2 * issue], mx = s->minmax[2 * issue + 1];
	if (n <= 0)
		return NAN;
	if (p == 0)
		return mn;
	if (p == 1)
		return mx;
	double target = p * n, below = 0, width = (is->hi - is->lo) / PL_FINE_BINS;
	for (size_t b = 0; b < PL_FINE_BINS; b++) {
		double k = (double)s->w[is->off_fine + b];
		if (k > 0 && below + k >= target) {
			double x = is->lo + width * ((double)b + (target - below) / k);
			return x < mn ? mn : x > mx ? mx : x;
		}
		below += k;
	}
	return mx;
}

size_t pl_sweep_histogram(const pl_sweep *s, size_t issue, const uint64_t **counts, double *lo,
			  double *hi)
{
	*counts = NULL;
	if (issue >= s->n_issues)
		return 0;
	const pl_sweep_issue *is = &s->issues[issue];
	*counts = is->bins_out;
	*lo = is->lo;
	*hi = is->hi;
	return s->bins;
}

size_t pl_sweep_thresholds(const pl_sweep *s, size_t issue, const pl_sweep_prob **out)
{
	if (issue >= s->n_issues) {
		*out = NULL;
		return 0;
	}
	*out = s->issues[issue].probs;
	return s->issues[issue].n_thr;
}

/* Means and covariances of the per-sample variables (X, D, P, Q) from their
 * sums; X is U or T, D is absent (zero) for the total index. */
typedef struct moments {
	long double m[4];    /* X, D, P, Q */
	long double c[4][4]; /* covariances */
} moments;

static void moments_of(const pl_i128 *x, int first, const pl_i128 *h, long double n, moments *mo)
{
	/* sums: [i][j] of X_i X_j; zero where D does not take part */
	long double s1[4] = {unfix(x[first ? S_U : S_T]), first ? unfix(x[S_D]) : 0, unfix(h[W_P]),
			     unfix(h[W_Q])};
	long double s2[4][4] = {{0}};
	s2[0][0] = unfix(x[first ? S_UU : S_TT]);
	s2[0][2] = unfix(x[first ? S_UP : S_TP]);
	s2[0][3] = unfix(x[first ? S_UQ : S_TQ]);
	if (first) {
		s2[0][1] = unfix(x[S_UD]);
		s2[1][1] = unfix(x[S_DD]);
		s2[1][2] = unfix(x[S_DP]);
		s2[1][3] = unfix(x[S_DQ]);
	}
	s2[2][2] = unfix(h[W_PP]);
	s2[2][3] = unfix(h[W_PQ]);
	s2[3][3] = unfix(h[W_QQ]);
	for (int a = 0; a < 4; a++)
		mo->m[a] = s1[a] / n;
	for (int a = 0; a < 4; a++)
		for (int b = a; b < 4; b++)
			mo->c[a][b] = mo->c[b][a] = s2[a][b] / n - mo->m[a] * mo->m[b];
}

/* The index (X - P D) / (Q - P^2) of means and its delta-method 95 %
 * interval: X = U, D as recorded gives Saltelli's first-order estimator on
 * the output centred on its mean; X = T, D = 0 gives Jansen's total. */
static void index_ci(const pl_i128 *x, int first, const pl_i128 *h, long double n, double *est,
		     double *lo, double *hi)
{
	moments mo;
	moments_of(x, first, h, n, &mo);
	long double X = mo.m[0], D = mo.m[1], P = mo.m[2], Q = mo.m[3];
	long double V = Q - P * P;
	if (!(V > 1e-24L)) {
		*est = *lo = *hi = 0;
		return;
	}
	long double S = (X - P * D) / V;
	long double g[4] = {1 / V, -P / V, (-D + 2 * P * S) / V, -S / V};
	long double var = 0;
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			var += g[a] * g[b] * mo.c[a][b];
	long double half = 1.959963984540054L * sqrtl(var > 0 ? var / n : 0);
	*est = (double)S;
	*lo = (double)(S - half);
	*hi = (double)(S + half);
}

/* The binned estimate of the first-order index from the given data, with
 * group `drop` left out (GD_GROUPS: none): with N samples of variance V,
 * bins b of n_b samples and mean m_b,
 *   S = [ sum_b n_b (m_b - m)^2 / N - (B - 1) W / N ] / V,
 * W the pooled variance within the B non-empty bins (its expected share of
 * the first term, removed so that an input that does nothing scores about
 * 0).  *state: 1 an estimate, 0 exactly 0 (no variance, or the input never
 * reached the issue), -1 fewer than 2 samples. */
static long double gd_estimate(const pl_i128 *head, const pl_i128 *fx, size_t nf, size_t g,
				size_t drop, int *state)
{
	long double n = 0, s1 = 0, s2 = 0;
	for (size_t r = 0; r < GD_GROUPS; r++) {
		if (r == drop)
			continue;
		n += (long double)head[r * G_WORDS + G_N];
		s1 += unfix(head[r * G_WORDS + G_S1]);
		s2 += unfix(head[r * G_WORDS + G_S2]);
	}
	*state = -1;
	if (n < 2)
		return 0;
	*state = 0;
	long double mean = s1 / n, var = s2 / n - mean * mean, sq = 0, seen = 0;
	if (!(var > 1e-24L))
		return 0;
	size_t full = 0;
	for (size_t b = 0; b < GD_BINS; b++) {
		long double cnt = 0, sy = 0;
		for (size_t r = 0; r < GD_GROUPS; r++) {
			if (r == drop)
				continue;
			cnt += (long double)fx[GD_AT(nf, r, g, b)];
			sy += unfix(fx[GD_AT(nf, r, g, b) + 1]);
		}
		if (cnt > 0) {
			sq += sy * sy / cnt;
			seen += cnt;
			full++;
		}
	}
	if (seen == 0)
		return 0; /* the input cannot move this issue */
	*state = 1;
	long double within = n > (long double)full ? (s2 - sq) / (n - (long double)full) : 0;
	long double between = sq / n - mean * mean;
	return (between - ((long double)full - 1) * within / n) / var;
}

/* The given-data first-order index and its grouped-jackknife 95 %
 * interval (Efron and Stein 1981): the estimate with each group left out
 * in turn, var = (G - 1)/G sum (S_-g - mean)^2. */
static void gd_index(const pl_i128 *head, const pl_i128 *fx, size_t nf, size_t f, pl_sobol *out)
{
	int state;
	long double S = gd_estimate(head, fx, nf, f, GD_GROUPS, &state);
	*out = (pl_sobol){NAN, NAN, NAN, NAN, NAN, NAN};
	if (state < 0)
		return;
	if (state == 0) {
		out->first = out->first_lo = out->first_hi = 0;
		return;
	}
	long double est[GD_GROUPS], sum = 0;
	size_t g = 0;
	for (size_t r = 0; r < GD_GROUPS; r++) {
		if (head[r * G_WORDS + G_N] == 0)
			continue;
		int st;
		est[g] = gd_estimate(head, fx, nf, f, r, &st);
		sum += est[g++];
	}
	long double var = 0;
	for (size_t k = 0; k < g; k++)
		var += (est[k] - sum / (long double)g) * (est[k] - sum / (long double)g);
	long double half =
		g > 1 ? 1.959963984540054L * sqrtl(var * (long double)(g - 1) / (long double)g) : 0;
	out->first = (double)S;
	out->first_lo = (double)(S - half);
	out->first_hi = (double)(S + half);
}

int pl_sweep_sobol(const pl_sweep *s, size_t issue, size_t factor, pl_sobol *out, pl_error *err)
{
	if (!s->sensitivity)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "the sweep ran without sensitivity indices");
	if (issue >= s->n_issues || factor >= s->n_factors)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "issue %zu / factor %zu out of range",
				    issue, factor);
	const pl_sweep_issue *is = &s->issues[issue];
	if (s->sensitivity == PL_SENS_GIVEN) {
		gd_index(s->w + is->off_gd, s->w + is->off_sens, s->n_factors, factor, out);
		return PL_OK;
	}
	const pl_i128 *h = s->w + is->off, *x = s->w + is->off_sens + factor * S_WORDS;
	long double n = (long double)h[W_NSENS];
	if (n < 2) {
		/* a variance, and so an index, needs two samples at least */
		*out = (pl_sobol){NAN, NAN, NAN, NAN, NAN, NAN};
		return PL_OK;
	}
	memset(out, 0, sizeof *out);
	index_ci(x, 1, h, n, &out->first, &out->first_lo, &out->first_hi);
	index_ci(x, 0, h, n, &out->total, &out->total_lo, &out->total_hi);
	return PL_OK;
}

/* ---- packing ---------------------------------------------------------- */

#define PACK_MAGIC 0x706c7377u /* "plsw" */

typedef struct pack_head {
	uint32_t magic, version;
	uint64_t n_words, n_issues, n, seed;
} pack_head;

int pl_sweep_pack(const pl_sweep *s, void **buf, size_t *len, pl_error *err)
{
	size_t size =
		sizeof(pack_head) + s->n_words * sizeof(pl_i128) + 2 * s->n_issues * sizeof(double);
	unsigned char *b = malloc(size);
	if (!b)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory packing a sweep");
	pack_head h = {PACK_MAGIC, 1, s->n_words, s->n_issues, s->n, s->seed};
	memcpy(b, &h, sizeof h);
	memcpy(b + sizeof h, s->w, s->n_words * sizeof(pl_i128));
	memcpy(b + sizeof h + s->n_words * sizeof(pl_i128), s->minmax,
	       2 * s->n_issues * sizeof(double));
	*buf = b;
	*len = size;
	return PL_OK;
}

int pl_sweep_merge(pl_sweep *s, const void *buf, size_t len, pl_error *err)
{
	pack_head h;
	if (len < sizeof h)
		return pl_error_set(err, PL_EINPUT, NULL, "packed sweep too short");
	memcpy(&h, buf, sizeof h);
	size_t want = sizeof h + s->n_words * sizeof(pl_i128) + 2 * s->n_issues * sizeof(double);
	if (h.magic != PACK_MAGIC || h.version != 1 || h.n_words != s->n_words ||
	    h.n_issues != s->n_issues || h.n != s->n || h.seed != s->seed || len != want)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "packed sweep is not part of this sweep (layout, N or seed "
				    "differ)");
	const unsigned char *b = buf;
	pl_i128 *w = malloc(s->n_words * sizeof *w + 1);
	double *mm = malloc(2 * s->n_issues * sizeof *mm + 1);
	if (!w || !mm) {
		free(w);
		free(mm);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory merging a sweep");
	}
	memcpy(w, b + sizeof h, s->n_words * sizeof *w);
	memcpy(mm, b + sizeof h + s->n_words * sizeof *w, 2 * s->n_issues * sizeof *mm);
	pl__sweep_acc_add(s, w, mm);
	free(w);
	free(mm);
	pl__sweep_finish(s);
	return PL_OK;
}
