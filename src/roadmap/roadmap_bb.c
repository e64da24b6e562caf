/* roadmap_bb.c - the exact search behind pl_roadmap_solve: a depth-first
 * branch and bound over the steps' stage numbers, in file order and
 * smallest stage first, so the first plan reaching a margin is the
 * lexicographically smallest one that does (docs/roadmap.md, "Method").
 *
 * At every node each unassigned step's stages are narrowed to an interval
 * by the "after" chains ([lo, hi]); a step worth v to party p (credit c
 * while not counted) then contributes exactly v to p's balance at the
 * checkpoints it is surely counted by, c at those it surely is not, and at
 * most max(v, c) in between.  Summed, that bounds every party's balance at
 * every checkpoint from above, and so the margin; a node whose bound cannot
 * beat the best plan found, or that leaves a constrained party below its
 * exposure, is cut. */
#include "roadmap/roadmap_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct bb {
	pl_rm_search *s;
	const pl_roadmap *r;
	size_t n, P, K;
	size_t *stage;	/* 0 = unassigned */
	size_t *lohi;	/* per depth: 2n (lo then hi) */
	size_t *topo;	/* a topological order (predecessors first) */
	size_t *n_succ; /* successors, CSR */
	size_t *succ_at, *succ;
	size_t *used; /* steps per stage, K + 1 */
	double *diff; /* K + 3 */
	double thr;
} bb;

static int is_delayed(const pl_roadmap *r, size_t s, size_t p)
{
	return r->step[s].verified && r->step[s].by != p;
}

/* lo and hi of every step under the current assignment; 0 when some step
 * has no stage left. */
static int domains(bb *b, size_t *lo, size_t *hi)
{
	const pl_roadmap *r = b->r;
	for (size_t k = 0; k < b->n; k++) {
		size_t s = b->topo[k], l = 1;
		for (size_t a = 0; a < r->step[s].n_after; a++)
			if (lo[r->step[s].after[a]] + 1 > l)
				l = lo[r->step[s].after[a]] + 1;
		if (b->stage[s]) {
			if (b->stage[s] < l)
				return 0;
			l = b->stage[s];
		}
		lo[s] = l;
	}
	for (size_t k = b->n; k-- > 0;) {
		size_t s = b->topo[k], h = b->K;
		for (size_t a = b->succ_at[s]; a < b->succ_at[s + 1]; a++)
			if (hi[b->succ[a]] - 1 < h)
				h = hi[b->succ[a]] - 1;
		if (b->stage[s]) {
			if (b->stage[s] > h)
				return 0;
			h = b->stage[s];
		}
		if (h < lo[s] || h == 0)
			return 0;
		hi[s] = h;
	}
	return 1;
}

/* Upper bound on min over checkpoints of party p's balance + exposure. */
static double party_bound(bb *b, size_t p, const size_t *lo, const size_t *hi)
{
	const pl_roadmap *r = b->r;
	size_t K1 = b->K + 1;
	double *d = b->diff;
	memset(d, 0, (K1 + 2) * sizeof *d);
	for (size_t s = 0; s < b->n; s++) {
		double v = PL_RM_AT(r, value, s, p), c = PL_RM_AT(r, credit, s, p);
		if (v == 0 && c == 0)
			continue;
		size_t dl = (size_t)is_delayed(r, s, p);
		size_t from = lo[s] + dl, to = hi[s] + dl;
		double m = v > c ? v : c;
		d[1] += c;
		d[from] += m - c;
		d[to] += v - m;
	}
	double run = 0, low = DBL_MAX;
	for (size_t k = 1; k <= K1; k++) {
		run += d[k];
		if (run < low)
			low = run;
	}
	return low + r->party[p].exposure;
}

static void dfs(bb *b, size_t i)
{
	pl_rm_search *s = b->s;
	size_t *lo = b->lohi + i * 2 * b->n, *hi = lo + b->n;
	if (!domains(b, lo, hi))
		return;
	size_t empty = 0;
	for (size_t k = 1; k <= b->K; k++)
		empty += b->used[k] == 0;
	if (!s->allow_empty && empty > b->n - i)
		return;
	if (s->first_only && s->found)
		return;
	double ob = DBL_MAX;
	for (size_t p = 0; p < b->P; p++) {
		if (!s->objective[p] && !s->constrained[p])
			continue;
		double pb = party_bound(b, p, lo, hi);
		if (s->constrained[p] && pb < -s->eps)
			return;
		if (s->objective[p] && pb < ob)
			ob = pb;
	}
	if (ob <= b->thr)
		return;
	if (++s->nodes > s->node_limit) {
		s->truncated = 1;
		if (ob > s->open_bound)
			s->open_bound = ob;
		return;
	}
	if (i == b->n) { /* every bound is exact here */
		s->found = 1;
		s->best = ob;
		memcpy(s->best_stage, b->stage, b->n * sizeof *b->stage);
		b->thr = ob + s->eps;
		return;
	}
	for (size_t t = lo[i]; t <= hi[i]; t++) {
		b->stage[i] = t;
		b->used[t]++;
		dfs(b, i + 1);
		b->used[t]--;
	}
	b->stage[i] = 0;
}

/* Kahn's algorithm; the reader has refused cycles. */
static void topo_order(bb *b)
{
	const pl_roadmap *r = b->r;
	size_t *indeg = b->used; /* borrowed: n <= K is not assumed, sized n + K */
	size_t head = 0, tail = 0;
	for (size_t s = 0; s < b->n; s++) {
		indeg[s] = r->step[s].n_after;
		if (indeg[s] == 0)
			b->topo[tail++] = s;
	}
	while (head < tail) {
		size_t s = b->topo[head++];
		for (size_t a = b->succ_at[s]; a < b->succ_at[s + 1]; a++)
			if (--indeg[b->succ[a]] == 0)
				b->topo[tail++] = b->succ[a];
	}
}

static int bb_init(bb *b, pl_rm_search *s)
{
	const pl_roadmap *r = s->r;
	size_t n = r->ns, edges = 0;
	for (size_t t = 0; t < n; t++)
		edges += r->step[t].n_after;
	*b = (bb){.s = s, .r = r, .n = n, .P = r->np, .K = s->K};
	b->stage = calloc(n, sizeof *b->stage);
	b->lohi = calloc((n + 1) * 2 * n, sizeof *b->lohi);
	b->topo = calloc(n, sizeof *b->topo);
	b->succ_at = calloc(n + 1, sizeof *b->succ_at);
	b->succ = calloc(edges + 1, sizeof *b->succ);
	b->used = calloc(n + s->K + 2, sizeof *b->used);
	b->diff = calloc(s->K + 4, sizeof *b->diff);
	if (!b->stage || !b->lohi || !b->topo || !b->succ_at || !b->succ || !b->used || !b->diff)
		return PL_ENOMEM;
	for (size_t t = 0; t < n; t++)
		for (size_t a = 0; a < r->step[t].n_after; a++)
			b->succ_at[r->step[t].after[a] + 1]++;
	for (size_t t = 0; t < n; t++)
		b->succ_at[t + 1] += b->succ_at[t];
	size_t *fill = b->topo; /* borrowed before the order is computed */
	for (size_t t = 0; t < n; t++)
		fill[t] = b->succ_at[t];
	for (size_t t = 0; t < n; t++)
		for (size_t a = 0; a < r->step[t].n_after; a++)
			b->succ[fill[r->step[t].after[a]]++] = t;
	topo_order(b);
	memset(b->used, 0, (n + s->K + 2) * sizeof *b->used);
	return PL_OK;
}

static void bb_free(bb *b)
{
	free(b->stage);
	free(b->lohi);
	free(b->topo);
	free(b->succ_at);
	free(b->succ);
	free(b->used);
	free(b->diff);
}

int pl__rm_search(pl_rm_search *s, double threshold)
{
	bb b;
	s->found = 0;
	s->truncated = 0;
	s->best = -DBL_MAX;
	s->open_bound = -DBL_MAX;
	int rc = bb_init(&b, s);
	if (!rc) {
		b.thr = threshold;
		dfs(&b, 0);
	}
	bb_free(&b);
	return rc;
}

size_t pl__rm_min_stages(const pl_roadmap *r)
{
	pl_rm_search s = {.r = r, .K = r->ns};
	bb b;
	size_t longest = 1;
	if (bb_init(&b, &s) == PL_OK) {
		size_t *depth = b.lohi;
		for (size_t k = 0; k < r->ns; k++) {
			size_t t = b.topo[k], d = 1;
			for (size_t a = 0; a < r->step[t].n_after; a++)
				if (depth[r->step[t].after[a]] + 1 > d)
					d = depth[r->step[t].after[a]] + 1;
			depth[t] = d;
			if (d > longest)
				longest = d;
		}
	}
	bb_free(&b);
	return longest;
}

double pl__rm_evaluate(const pl_roadmap *r, const size_t *stage, size_t K,
		       const unsigned char *parties, double *balance, double *credit)
{
	double margin = DBL_MAX;
	for (size_t k = 1; k <= K + 1; k++)
		for (size_t p = 0; p < r->np; p++) {
			double bal = 0, cr = 0;
			for (size_t s = 0; s < r->ns; s++) {
				if (stage[s] + (size_t)is_delayed(r, s, p) <= k)
					bal += PL_RM_AT(r, value, s, p);
				else
					cr += PL_RM_AT(r, credit, s, p);
			}
			if (balance)
				balance[(k - 1) * r->np + p] = bal;
			if (credit)
				credit[(k - 1) * r->np + p] = cr;
			double m = bal + cr + r->party[p].exposure;
			if ((!parties || parties[p]) && m < margin)
				margin = m;
		}
	return margin;
}
