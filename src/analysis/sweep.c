/* sweep.c - running a Monte Carlo sweep: worker threads take blocks of
 * sample indices, draw each sample's inputs from its own counter-based
 * stream, call the engine through its fast path (plain arrays for
 * one-dimensional engines, a patched copy of the case's tables for
 * multidimensional ones) and add into their own exact sums, which are
 * merged at the end.  With the design's sensitivity, each sample also runs
 * the B draw and one A-with-B's-input run per uncertain input (Saltelli
 * 2010); with given data, each sample's forecast is only binned by each of
 * its inputs (no extra runs). */
#include "analysis/inputs.h"
#include "core/rng.h"
#include "analysis/sweep_impl.h"
#include "core/case_work.h"
#include "engines/engine_run.h"

#include <math.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 64 /* samples a worker takes at a time */

typedef struct shared {
	const pl_case *c;
	const pl_engine *e;
	pl_engine_args args;
	size_t forum;
	pl_sweep *s;
	size_t ni, na, k, nf, max_view;
	pl_issue_view *views; /* one-dimensional engines: the base view per issue */
	pl_issue_view_buf **vbufs;
	ptrdiff_t *cap_in;	    /* per actor: index of its capability input */
	ptrdiff_t *pos_in, *sal_in; /* per actor x issue: input index, -1 when absent */
	unsigned char *in_view;	    /* per actor x issue: takes part in the view */
	size_t *gd_first, *gd_factor; /* given data: issue i's factors that can move it
					 are gd_factor[gd_first[i] .. gd_first[i + 1]) */
	int batched; /* blocks of samples through the engine's batch, where it has one */
	uint64_t end;
	atomic_uint_fast64_t next, done;
	atomic_int stop;
	atomic_uint finished;
} shared;

/* Each worker on cache lines of its own (alignas 64), so that one writing
 * its fields never invalidates another's. */
typedef struct worker {
	alignas(64) shared *sh;
	pthread_t tid;
	pl_engine_args args;
	pl_i128 *w;
	double *mm;
	int rc;
	pl_error err, scratch_err;
	double *xa, *xb, *xab, *fa, *fb, *fab, *u, *d, *t;
	unsigned char *oka, *okb, *okab, *mask, *sens_ok;
	unsigned char *cyc; /* per issue: the A run ended in a cycle between different forecasts */
	pl_outcome_buf *outs;
	double *pos, *sal, *cap;
	size_t *bin; /* given data: the bin of each factor's input this sample */
	pl_case *cc; /* multidimensional engines: the case with patched tables */
	/* the batched eu (sh->batched): a block's draws, one issue's inputs
	 * for every sample of the block, and its results */
	pl_engine_batch *batch;
	double *bx, *bpos, *bsal, *bcap, *bf, *tf;
	unsigned char *bok, *bcyc, *tc, *taken;
} worker;

/* ---- one forecast ------------------------------------------------------ */

static int cycling(const pl_engine *e, const pl_outcome *o);

/* Issue i's view with one sample's inputs (x), into pos, sal, cap. */
static void view_inputs(const shared *sh, size_t i, const double *x, double *pos, double *sal,
			double *cap)
{
	const pl_issue_view *v = &sh->views[i];
	for (size_t m = 0; m < v->n; m++) {
		size_t a = v->actor[m], ai = a * sh->ni + i;
		pos[m] = x[sh->pos_in[ai]];
		sal[m] = x[sh->sal_in[ai]];
		cap[m] = v->cap[m] * x[sh->cap_in[a]];
	}
}

/* The engine on issue i's view with these inputs. */
static int run_view(worker *W, size_t i, const double *pos, const double *sal, const double *cap,
		    double *f, unsigned char *ok, unsigned char *cyc)
{
	const shared *sh = W->sh;
	pl_issue_view v = sh->views[i];
	v.pos = pos;
	v.sal = sal;
	v.cap = cap;
	pl__outcome_rewind(&W->outs[i]);
	W->scratch_err.code = PL_OK;
	int rc = pl__engine_run_view(sh->e, &v, &W->args, &W->outs[i], &W->scratch_err);
	if (rc == PL_ENOMEM)
		return rc;
	*f = W->outs[i].o.forecast;
	*ok = rc == PL_OK && isfinite(*f);
	*cyc = *ok && cycling(sh->e, &W->outs[i].o);
	return PL_OK;
}

static int forecast_views(worker *W, const double *x, double *f, unsigned char *ok)
{
	const shared *sh = W->sh;
	for (size_t i = 0; i < sh->ni; i++) {
		if (!W->mask[i])
			continue;
		view_inputs(sh, i, x, W->pos, W->sal, W->cap);
		int rc = run_view(W, i, W->pos, W->sal, W->cap, &f[i], &ok[i], &W->cyc[i]);
		if (rc)
			return rc;
	}
	return PL_OK;
}

static int forecast_case(worker *W, const double *x, double *f, unsigned char *ok)
{
	const shared *sh = W->sh;
	const pl_case *c = sh->c;
	pl_actor *actors = pl__case_work_actors(W->cc);
	pl_stance *stances = pl__case_work_stances(W->cc);
	for (size_t a = 0; a < sh->na; a++) {
		double factor = x[sh->cap_in[a]];
		actors[a].capability = pl_case_actor(c, a)->capability * factor;
		for (size_t i = 0; i < sh->ni; i++) {
			size_t ai = a * sh->ni + i;
			pl_stance *st = &stances[ai];
			if (!st->present)
				continue;
			st->position = x[sh->pos_in[ai]];
			st->salience = x[sh->sal_in[ai]];
			st->capability = pl_case_stance(c, a, i)->capability * factor;
		}
	}
	W->scratch_err.code = PL_OK;
	int rc = pl__engine_run_case(sh->e, W->cc, sh->forum, &W->args, W->outs, &W->scratch_err);
	if (rc == PL_ENOMEM)
		return rc;
	for (size_t i = 0; i < sh->ni; i++) {
		f[i] = W->outs[i].o.forecast;
		ok[i] = rc == PL_OK && isfinite(f[i]);
		W->cyc[i] = ok[i] && cycling(sh->e, &W->outs[i].o);
	}
	return PL_OK;
}

static int forecast(worker *W, const double *x, double *f, unsigned char *ok)
{
	return pl_engine_is_multidim(W->sh->e) ? forecast_case(W, x, f, ok) : forecast_views(W, x, f, ok);
}

/* ---- one sample -------------------------------------------------------- */

static void draw(const shared *sh, uint64_t j, uint32_t id, double *x)
{
	pl_stream_rng r;
	pl__stream_rng_init(&r, sh->s->seed, j, id);
	for (size_t q = 0; q < sh->k; q++) {
		const pl_input *in = &sh->s->inputs[q];
		if (!in->dist.kind) {
			x[q] = in->kind == PL_INPUT_CAPABILITY ? 1.0 : in->nominal;
			continue;
		}
		double lo = 0, hi = 1;
		if (in->kind == PL_INPUT_POSITION) {
			lo = pl_case_issue(sh->c, in->issue)->min;
			hi = pl_case_issue(sh->c, in->issue)->max;
		}
		x[q] = pl__input_draw(in, lo, hi, &r.rng);
	}
}

/* The forecast scaled to [0, 1]; *clamped when it was off the scale. */
static double scaled(const pl_sweep_issue *is, double f, int *clamped)
{
	double y = (f - is->lo) / (is->hi - is->lo);
	*clamped = y < 0 || y > 1;
	return y < 0 ? 0 : y > 1 ? 1 : y;
}

/* A run that ended in a cycle whose rounds give different forecasts (the
 * stats cycle_low < cycle_high that eu, smp and exchange add through
 * pl__outcome_cycle): its forecast is the cycle's mean (or with cycle=last
 * the last round's).  Only a dynamic engine has rounds to cycle: the others
 * skip the lookups. */
static int cycling(const pl_engine *e, const pl_outcome *o)
{
	return pl_engine_is_dynamic(e) &&
	       pl_outcome_stat(o, "cycle_low") < pl_outcome_stat(o, "cycle_high");
}

static void add_distribution(worker *W)
{
	const pl_sweep *s = W->sh->s;
	for (size_t i = 0; i < s->n_issues; i++) {
		const pl_sweep_issue *is = &s->issues[i];
		pl_i128 *w = W->w + is->off;
		if (!W->oka[i]) {
			w[W_FAILED]++;
			continue;
		}
		double f = W->fa[i];
		int clamped;
		double y = scaled(is, f, &clamped);
		w[W_N]++;
		w[W_CLAMPED] += clamped;
		w[W_CYCLING] += W->cyc[i];
		w[W_S1] += pl__fix(y);
		w[W_S2] += pl__fix(y * y);
		size_t fb = (size_t)(y * PL_FINE_BINS), cb = (size_t)(y * (double)s->bins);
		W->w[is->off_fine + (fb < PL_FINE_BINS ? fb : PL_FINE_BINS - 1)]++;
		W->w[is->off_bins + (cb < s->bins ? cb : s->bins - 1)]++;
		for (size_t t = 0; t < is->n_thr; t++)
			W->w[is->off_ge + t] += pl__thr_hit(&is->thr[t], f);
		if (f < W->mm[2 * i])
			W->mm[2 * i] = f;
		if (f > W->mm[2 * i + 1])
			W->mm[2 * i + 1] = f;
	}
}

/* Which issues a change of input q can move (added to W->mask). */
static void input_mask(worker *W, size_t q)
{
	const shared *sh = W->sh;
	const pl_input *in = &sh->s->inputs[q];
	for (size_t i = 0; i < sh->ni; i++) {
		if (pl_engine_is_multidim(sh->e))
			W->mask[i] = 1;
		else if (in->kind == PL_INPUT_CAPABILITY)
			W->mask[i] |= sh->in_view[in->actor * sh->ni + i];
		else
			W->mask[i] |= i == in->issue && sh->in_view[in->actor * sh->ni + i];
	}
}

/* Puts factor g's inputs from src into W->xab and marks the issues they
 * reach; returns how many of them are uncertain. */
static size_t set_factor(worker *W, size_t g, const double *src)
{
	const pl_sweep *s = W->sh->s;
	size_t uncertain = 0;
	for (size_t j = s->factor_first[g]; j < s->factor_first[g + 1]; j++) {
		size_t q = s->factor_input[j];
		if (!s->inputs[q].dist.kind)
			continue; /* A and B agree on an exact input */
		W->xab[q] = src[q];
		if (src == W->xb)
			input_mask(W, q);
		uncertain++;
	}
	return uncertain;
}

static void record(worker *W, size_t g)
{
	const shared *sh = W->sh;
	size_t nf = sh->nf;
	for (size_t i = 0; i < sh->ni; i++) {
		if (!W->mask[i] || !W->sens_ok[i])
			continue;
		if (!W->okab[i]) {
			W->sens_ok[i] = 0;
			continue;
		}
		int cl;
		const pl_sweep_issue *is = &sh->s->issues[i];
		double ya = scaled(is, W->fa[i], &cl), yb = scaled(is, W->fb[i], &cl);
		double yab = scaled(is, W->fab[i], &cl);
		W->u[i * nf + g] = yb * (yab - ya);
		W->d[i * nf + g] = yab - ya;
		W->t[i * nf + g] = (ya - yab) * (ya - yab) / 2;
	}
}

static int sensitivity_runs(worker *W)
{
	const shared *sh = W->sh;
	size_t ni = sh->ni, nf = sh->nf;
	memcpy(W->xab, W->xa, sh->k * sizeof *W->xab);
	for (size_t i = 0; i < ni; i++)
		W->sens_ok[i] = W->oka[i] && W->okb[i];
	memset(W->u, 0, 3 * ni * nf * sizeof *W->u);
	for (size_t g = 0; g < nf; g++) {
		memset(W->mask, 0, ni);
		if (!set_factor(W, g, W->xb))
			continue; /* no uncertain input: U = D = T = 0 */
		int rc = forecast(W, W->xab, W->fab, W->okab);
		set_factor(W, g, W->xa);
		if (rc)
			return rc;
		record(W, g);
	}
	return PL_OK;
}

static void add_sensitivity(worker *W)
{
	const pl_sweep *s = W->sh->s;
	size_t k = W->sh->nf;
	for (size_t i = 0; i < s->n_issues; i++) {
		if (!W->sens_ok[i])
			continue;
		const pl_sweep_issue *is = &s->issues[i];
		pl_i128 *h = W->w + is->off;
		int cl;
		double ya = scaled(is, W->fa[i], &cl), yb = scaled(is, W->fb[i], &cl);
		double p = (ya + yb) / 2, q = (ya * ya + yb * yb) / 2;
		h[W_NSENS]++;
		h[W_P] += pl__fix(p);
		h[W_PP] += pl__fix(p * p);
		h[W_Q] += pl__fix(q);
		h[W_QQ] += pl__fix(q * q);
		h[W_PQ] += pl__fix(p * q);
		for (size_t in = 0; in < k; in++) {
			double u = W->u[i * k + in], d = W->d[i * k + in], t = W->t[i * k + in];
			if (d == 0)
				continue; /* then U = T = 0 too */
			pl_i128 *x = W->w + is->off_sens + in * S_WORDS;
			x[S_U] += pl__fix(u);
			x[S_D] += pl__fix(d);
			x[S_UU] += pl__fix(u * u);
			x[S_UD] += pl__fix(u * d);
			x[S_UP] += pl__fix(u * p);
			x[S_UQ] += pl__fix(u * q);
			x[S_DD] += pl__fix(d * d);
			x[S_DP] += pl__fix(d * p);
			x[S_DQ] += pl__fix(d * q);
			x[S_T] += pl__fix(t);
			x[S_TT] += pl__fix(t * t);
			x[S_TP] += pl__fix(t * p);
			x[S_TQ] += pl__fix(t * q);
		}
	}
}

/* Can input q move issue i's forecast? */
static int reaches(const shared *sh, const pl_input *in, size_t i)
{
	if (pl_engine_is_multidim(sh->e))
		return 1;
	if (in->kind == PL_INPUT_CAPABILITY)
		return sh->in_view[in->actor * sh->ni + i];
	return in->issue == i && sh->in_view[in->actor * sh->ni + i];
}

/* Given data (PL_SENS_GIVEN): sample j's forecasts into its group's sums
 * and, per input, into the bin its A draw fell in. */
static void add_given(worker *W, uint64_t j)
{
	const shared *sh = W->sh;
	const pl_sweep *s = sh->s;
	size_t r = (size_t)(j / GD_RUN % GD_GROUPS);
	/* each uncertain input's bin: how many of its edges lie at or below it */
	for (size_t g = 0; g < sh->nf; g++) {
		size_t q = s->factor_input[s->factor_first[g]];
		const double *edge = s->gd_edges + q * (GD_BINS - 1);
		size_t lo = 0, hi = GD_BINS - 1;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (edge[mid] <= W->xa[q])
				lo = mid + 1;
			else
				hi = mid;
		}
		W->bin[g] = lo;
	}
	for (size_t i = 0; i < s->n_issues; i++) {
		if (!W->oka[i])
			continue;
		const pl_sweep_issue *is = &s->issues[i];
		int cl;
		double y = scaled(is, W->fa[i], &cl);
		pl_i128 *head = W->w + is->off_gd + r * G_WORDS;
		head[G_N]++;
		head[G_S1] += pl__fix(y);
		head[G_S2] += pl__fix(y * y);
		pl_i128 fy = pl__fix(y), *fx = W->w + is->off_sens;
		for (size_t k = sh->gd_first[i]; k < sh->gd_first[i + 1]; k++) {
			size_t g = sh->gd_factor[k];
			pl_i128 *at = fx + GD_AT(sh->nf, r, g, W->bin[g]);
			at[0]++;
			at[1] += fy;
		}
	}
}

static int do_sample(worker *W, uint64_t j)
{
	const shared *sh = W->sh;
	W->args.seed = pl__sample_seed(sh->s->seed, j);
	draw(sh, j, 0, W->xa);
	memset(W->mask, 1, sh->ni);
	int rc = forecast(W, W->xa, W->fa, W->oka);
	if (rc)
		return rc;
	add_distribution(W);
	if (sh->s->sensitivity == PL_SENS_GIVEN)
		add_given(W, j);
	if (sh->s->sensitivity != PL_SENS_DESIGN)
		return PL_OK;
	draw(sh, j, 1, W->xb);
	rc = forecast(W, W->xb, W->fb, W->okb);
	if (!rc)
		rc = sensitivity_runs(W);
	if (!rc)
		add_sensitivity(W);
	return rc;
}

/* Samples [b, e) through the batched eu: the block's draws, then each
 * issue's runs for all of them (the samples the batch does not take run
 * alone), then each sample's sums in order, as do_sample adds them. */
static int do_block(worker *W, uint64_t b, uint64_t e)
{
	const shared *sh = W->sh;
	size_t cnt = (size_t)(e - b), k = sh->k, ni = sh->ni;
	for (size_t s = 0; s < cnt; s++)
		draw(sh, b + s, 0, W->bx + s * k);
	for (size_t i = 0; i < ni; i++) {
		const pl_issue_view *v = &sh->views[i];
		size_t n = v->n;
		for (size_t s = 0; s < cnt; s++)
			view_inputs(sh, i, W->bx + s * k, W->bpos + s * n, W->bsal + s * n,
				    W->bcap + s * n);
		pl__engine_batch_run(W->batch, n, cnt, W->bpos, W->bsal, W->bcap, v->min, v->max,
				     W->tf, W->tc, W->taken);
		for (size_t s = 0; s < cnt; s++) {
			size_t at = s * ni + i;
			if (W->taken[s]) {
				W->bf[at] = W->tf[s];
				W->bok[at] = isfinite(W->tf[s]);
				W->bcyc[at] = W->bok[at] && W->tc[s];
				continue;
			}
			int rc = run_view(W, i, W->bpos + s * n, W->bsal + s * n, W->bcap + s * n,
					  &W->bf[at], &W->bok[at], &W->bcyc[at]);
			if (rc)
				return rc;
		}
	}
	for (size_t s = 0; s < cnt; s++) {
		memcpy(W->xa, W->bx + s * k, k * sizeof *W->xa);
		memcpy(W->fa, W->bf + s * ni, ni * sizeof *W->fa);
		memcpy(W->oka, W->bok + s * ni, ni);
		memcpy(W->cyc, W->bcyc + s * ni, ni);
		add_distribution(W);
		if (sh->s->sensitivity == PL_SENS_GIVEN)
			add_given(W, b + s);
	}
	return PL_OK;
}

static void *work(void *arg)
{
	worker *W = arg;
	shared *sh = W->sh;
	while (!atomic_load(&sh->stop)) {
		uint64_t b = atomic_fetch_add(&sh->next, BLOCK);
		if (b >= sh->end)
			break;
		uint64_t e = b + BLOCK < sh->end ? b + BLOCK : sh->end;
		if (W->batch)
			W->rc = do_block(W, b, e);
		for (uint64_t j = b; j < e && !W->rc && !W->batch; j++)
			W->rc = do_sample(W, j);
		if (W->rc) {
			pl_error_set(&W->err, W->rc, pl_engine_name(sh->e), "out of memory in sample %llu",
				     (unsigned long long)b);
			atomic_store(&sh->stop, 1);
		}
		atomic_fetch_add(&sh->done, e - b);
	}
	atomic_fetch_add(&sh->finished, 1);
	return NULL;
}

/* ---- workers ----------------------------------------------------------- */

static void worker_free(worker *W)
{
	if (!W->sh)
		return;
	for (size_t i = 0; W->outs && i < W->sh->ni; i++)
		pl__outcome_free(&W->outs[i]);
	free(W->outs);
	free(W->w);
	free(W->mm);
	free(W->xa);
	free(W->fa);
	free(W->u);
	free(W->oka);
	free(W->pos);
	free(W->bin);
	free(W->bx);
	free(W->bok);
	pl__engine_batch_free(W->batch);
	pl__case_work_free(W->cc);
	memset(W, 0, sizeof *W);
}

static int worker_init(worker *W, shared *sh)
{
	memset(W, 0, sizeof *W);
	W->sh = sh;
	W->args = sh->args;
	pl_error_clear(&W->err);
	size_t ni = sh->ni ? sh->ni : 1, k = sh->k ? sh->k : 1, nv = sh->max_view + 1;
	size_t nf = sh->nf ? sh->nf : 1;
	W->xa = malloc(3 * k * sizeof(double));
	W->fa = malloc(3 * ni * sizeof(double));
	W->u = calloc(3 * ni * nf, sizeof(double));
	W->oka = calloc(6 * ni, 1);
	W->pos = malloc(3 * nv * sizeof(double));
	W->outs = calloc(ni, sizeof *W->outs);
	W->bin = calloc(nf, sizeof *W->bin);
	if (!W->xa || !W->fa || !W->u || !W->oka || !W->pos || !W->outs || !W->bin ||
	    pl__sweep_acc_new(sh->s, &W->w, &W->mm))
		return PL_ENOMEM;
	W->xb = W->xa + k;
	W->xab = W->xa + 2 * k;
	W->fb = W->fa + ni;
	W->fab = W->fa + 2 * ni;
	W->d = W->u + ni * nf;
	W->t = W->u + 2 * ni * nf;
	W->okb = W->oka + ni;
	W->okab = W->oka + 2 * ni;
	W->mask = W->oka + 3 * ni;
	W->sens_ok = W->oka + 4 * ni;
	W->cyc = W->oka + 5 * ni;
	W->sal = W->pos + nv;
	W->cap = W->pos + 2 * nv;
	if (pl_engine_is_multidim(sh->e)) {
		W->cc = pl__case_work_new(sh->c);
		return W->cc ? PL_OK : PL_ENOMEM;
	}
	if (sh->batched && pl__engine_batch_new(sh->e, &W->args, sh->max_view, &W->batch))
		return PL_ENOMEM;
	if (W->batch) {
		W->bx = malloc((BLOCK * k + 4 * BLOCK * nv + 2 * BLOCK * ni + BLOCK) * sizeof(double));
		W->bok = malloc(2 * BLOCK * ni + 2 * BLOCK);
		if (!W->bx || !W->bok)
			return PL_ENOMEM;
		W->bpos = W->bx + BLOCK * k;
		W->bsal = W->bpos + BLOCK * nv;
		W->bcap = W->bsal + BLOCK * nv;
		W->bf = W->bcap + BLOCK * nv;
		W->tf = W->bf + BLOCK * ni;
		W->bcyc = W->bok + BLOCK * ni;
		W->tc = W->bcyc + BLOCK * ni;
		W->taken = W->tc + BLOCK;
	}
	for (size_t i = 0; i < sh->ni; i++) {
		if (pl__outcome_begin(&W->outs[i], i, sh->views[i].n, sh->views[i].actor))
			return PL_ENOMEM;
		W->outs[i].no_notes = 1; /* a sweep reports no notes: do not format them */
	}
	return PL_OK;
}

/* ---- setting up -------------------------------------------------------- */

static void shared_free(shared *sh)
{
	for (size_t i = 0; sh->vbufs && i < sh->ni; i++)
		pl_issue_view_buf_free(sh->vbufs[i]);
	free(sh->vbufs);
	free(sh->views);
	free(sh->cap_in);
	free(sh->pos_in);
	free(sh->in_view);
	free(sh->gd_first);
	free(sh->gd_factor);
}

/* Given data: which factors can move each issue (uncertain, and reaching it). */
static int given_lists(shared *sh)
{
	const pl_sweep *s = sh->s;
	sh->gd_first = calloc(sh->ni + 1, sizeof *sh->gd_first);
	sh->gd_factor = malloc((sh->ni * sh->nf + 1) * sizeof *sh->gd_factor);
	if (!sh->gd_first || !sh->gd_factor)
		return PL_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < sh->ni; i++) {
		sh->gd_first[i] = k;
		for (size_t g = 0; g < sh->nf; g++) {
			const pl_input *in = &s->inputs[s->factor_input[s->factor_first[g]]];
			if (in->dist.kind && reaches(sh, in, i))
				sh->gd_factor[k++] = g;
		}
	}
	sh->gd_first[sh->ni] = k;
	return PL_OK;
}

static int shared_init(shared *sh, const pl_case *c, const pl_engine *e, pl_sweep *s, size_t forum,
		       pl_error *err)
{
	sh->c = c;
	sh->e = e;
	sh->s = s;
	sh->forum = forum;
	sh->ni = pl_case_n_issues(c);
	sh->na = pl_case_n_actors(c);
	sh->k = s->n_inputs;
	sh->nf = s->n_factors;
	size_t nai = sh->na * sh->ni + 1;
	sh->views = calloc(sh->ni + 1, sizeof *sh->views);
	sh->vbufs = calloc(sh->ni + 1, sizeof *sh->vbufs);
	sh->cap_in = malloc((sh->na + 1) * sizeof *sh->cap_in);
	sh->pos_in = malloc(2 * nai * sizeof *sh->pos_in);
	sh->in_view = calloc(nai, 1);
	if (!sh->views || !sh->vbufs || !sh->cap_in || !sh->pos_in || !sh->in_view)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	sh->sal_in = sh->pos_in + nai;
	for (size_t q = 0; q < 2 * nai; q++)
		sh->pos_in[q] = -1;
	for (size_t q = 0; q < sh->k; q++) {
		const pl_input *in = &s->inputs[q];
		if (in->kind == PL_INPUT_CAPABILITY)
			sh->cap_in[in->actor] = (ptrdiff_t)q;
		else
			(in->kind == PL_INPUT_POSITION
				 ? sh->pos_in
				 : sh->sal_in)[in->actor * sh->ni + in->issue] = (ptrdiff_t)q;
	}
	for (size_t i = 0; i < sh->ni; i++) {
		int rc = pl_case_issue_view(c, i, forum, &sh->views[i], &sh->vbufs[i], err);
		if (rc)
			return rc;
		if (sh->views[i].n == 0 && !pl_engine_is_multidim(e))
			return pl_error_set(err, PL_EINPUT, pl_case_issue(c, i)->id,
					    "no actor with a positive weight takes part in this "
					    "issue%s%s",
					    forum == PL_NO_FORUM ? "" : " in forum ",
					    forum == PL_NO_FORUM ? "" : pl_case_forum(c, forum)->id);
		if (sh->views[i].n > sh->max_view)
			sh->max_view = sh->views[i].n;
		for (size_t m = 0; m < sh->views[i].n; m++)
			sh->in_view[sh->views[i].actor[m] * sh->ni + i] = 1;
	}
	if (s->sensitivity == PL_SENS_GIVEN && given_lists(sh))
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	return PL_OK;
}

/* The forecast of the unperturbed case, with worker W. */
static int nominal(worker *W, pl_error *err)
{
	const shared *sh = W->sh;
	for (size_t q = 0; q < sh->k; q++)
		W->xa[q] = sh->s->inputs[q].kind == PL_INPUT_CAPABILITY ? 1.0
									: sh->s->inputs[q].nominal;
	memset(W->mask, 1, sh->ni);
	W->args.seed = sh->s->seed;
	int rc = forecast(W, W->xa, W->fa, W->oka);
	if (rc)
		return pl_error_set(err, rc, pl_engine_name(sh->e), "out of memory");
	for (size_t i = 0; i < sh->ni; i++)
		sh->s->issues[i].nominal = W->oka[i] ? W->fa[i] : NAN;
	return PL_OK;
}

static void watch(shared *sh, unsigned n_workers, const pl_sweep_options *o, uint64_t total)
{
	while (o->progress && atomic_load(&sh->finished) < n_workers) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
		if (o->progress)
			o->progress(o->progress_ctx, atomic_load(&sh->done), total);
	}
}

static int run_workers(shared *sh, const pl_sweep_options *o, uint64_t first, uint64_t count,
		       pl_error *err)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t blocks = (count + BLOCK - 1) / BLOCK;
	unsigned n = o->threads ? o->threads : (cores > 0 ? (unsigned)cores : 1);
	if (n > blocks)
		n = blocks ? (unsigned)blocks : 1;
	worker *ws = aligned_alloc(alignof(worker), n * sizeof *ws);
	if (ws)
		memset(ws, 0, n * sizeof *ws);
	if (!ws)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	atomic_init(&sh->next, first);
	atomic_init(&sh->done, 0);
	atomic_init(&sh->stop, 0);
	atomic_init(&sh->finished, 0);
	sh->end = first + count;
	int rc = PL_OK;
	unsigned started = 0;
	for (; started < n && !rc; started++) {
		rc = worker_init(&ws[started], sh);
		if (!rc && started == 0)
			rc = nominal(&ws[0], err);
		if (!rc && pthread_create(&ws[started].tid, NULL, work, &ws[started]))
			rc = PL_ENOMEM;
		if (rc) {
			atomic_store(&sh->stop, 1);
			break;
		}
	}
	if (rc)
		pl_error_set(err, rc, NULL, "cannot start the sweep's threads");
	else
		watch(sh, n, o, count);
	for (unsigned w = 0; w < started; w++)
		pthread_join(ws[w].tid, NULL);
	for (unsigned w = 0; w < n; w++) {
		if (!rc && ws[w].rc) {
			rc = ws[w].rc;
			pl_error_set(err, rc, ws[w].err.where, "%s", ws[w].err.message);
		}
		if (!rc)
			pl__sweep_acc_add(sh->s, ws[w].w, ws[w].mm);
		worker_free(&ws[w]);
	}
	free(ws);
	if (!rc && o->progress)
		o->progress(o->progress_ctx, count, count);
	return rc;
}

/* An engine that cannot take the case or forum at all (smp without every
 * actor's stance on every issue) would fail on every sample: one run of the
 * nominal case says so, with the engine's reason, before any sampling.  It
 * goes through pl_forecast (the reason and its rule are forecast's), so it
 * is not the workers' nominal run below: one engine run more per sweep. */
static int check_nominal(const pl_case *c, const pl_engine *e, const pl_sweep_options *o,
			 pl_error *err)
{
	pl_run_options ro;
	pl_run_options_init(&ro);
	ro.forum = o->forum;
	ro.rounds = o->rounds;
	ro.seed = o->seed;
	ro.params = o->params;
	pl_result *r = NULL;
	pl_error why;
	pl_error_clear(&why);
	int rc = pl_forecast(c, e, &ro, &r, &why);
	pl_result_free(r);
	if (rc == PL_ENOMEM || pl_forecast_cannot_run(e, &ro, rc))
		return pl_error_set(err, rc, why.where, "%s", why.message);
	return PL_OK; /* other failures are counted per sample, as before */
}

int pl_sweep_run(const pl_case *c, const pl_engine *e, const pl_sweep_options *o, pl_sweep **out,
		 pl_error *err)
{
	*out = NULL;
	int rc = pl__sweep_check_options(c, e, o, err);
	if (rc)
		return rc;
	pl_sweep *s = NULL;
	pl_param_value *values = NULL;
	shared sh;
	memset(&sh, 0, sizeof sh);
	rc = pl__sweep_new(c, e, o, &values, &s, err);
	if (!rc)
		rc = check_nominal(c, e, o, err);
	if (!rc)
		rc = shared_init(&sh, c, e, s, o->forum, err);
	if (!rc) {
		sh.args = (pl_engine_args){.rounds = o->rounds ? o->rounds : pl__engine_default_rounds(e),
					   .seed = o->seed,
					   .param = values};
		if (sh.args.rounds <= 0)
			sh.args.rounds = 1;
		/* without the design's extra runs, blocks of samples go through
		 * the engine's batch where it has one (eu on AVX2) */
		sh.batched = s->sensitivity != PL_SENS_DESIGN && !pl_engine_is_multidim(e);
		uint64_t count = o->count ? o->count : o->n - o->first;
		rc = run_workers(&sh, o, o->first, count, err);
	}
	shared_free(&sh);
	free(values);
	if (rc) {
		pl_sweep_free(s);
		return rc;
	}
	pl__sweep_finish(s);
	*out = s;
	return PL_OK;
}
