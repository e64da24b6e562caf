/* solve_spe.c - subgame-perfect equilibria by backward induction over proper
 * subgames (Selten 1965, 1975).
 *
 * Subgames are solved from the leaves up.  A subgame whose proper subgames
 * have been replaced by the payoffs of their chosen equilibria is either a
 * single move (chance: take the expectation; a player: every optimal action
 * is a separate equilibrium) or a game of imperfect information, solved on
 * its reduced strategic form: all extreme equilibria (vertex enumeration)
 * for two players, all pure equilibria for more.  Every combination of the
 * proper subgames' equilibria is followed, so all such equilibria are
 * listed, up to the cap.  Solutions share their sub-solutions (a tree of
 * entries), so a long perfect-information tree costs memory linear in its
 * size.  See docs/games/spe.md. */
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

/* deeper nesting would overflow the stack (50,000 did); 20,000 was measured to work */
#define MAX_SUBGAME_DEPTH 10000

typedef struct entry {
	mpq_t *val; /* payoffs of the subgame from its root down */
	int nloc;
	int *loc_act; /* actions (global index) fixed at this subgame's own part */
	mpq_t *loc_prob;
	int nkids;
	struct entry **kids; /* chosen equilibria of the proper subgames below */
} entry;

typedef struct list {
	int n, cap;
	entry **e;
} list;

typedef struct spe {
	const pl_game *g;
	const pl_game_solve_opts *o;
	pl_error *err;
	entry **pool; /* every entry, for freeing */
	size_t npool, cappool;
	long combos;
	int inexact; /* some subgame was solved in floating point (logit) */
} spe;

static void free_entry(entry *e, int n);

/* A new entry, kept in the pool; NULL when out of memory. */
static entry *new_entry(spe *st, int n, int nloc, int nkids)
{
	if (st->npool == st->cappool) {
		size_t cap = st->cappool ? st->cappool * 2 : 64;
		entry **t = realloc(st->pool, cap * sizeof *t);
		if (!t)
			return NULL;
		st->pool = t;
		st->cappool = cap;
	}
	entry *e = pl__calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->val = pl__mpq_vec((size_t)n);
	e->nloc = nloc;
	e->loc_act = pl__calloc((size_t)(nloc ? nloc : 1), sizeof(int));
	e->loc_prob = pl__mpq_vec((size_t)nloc);
	e->nkids = nkids;
	e->kids = pl__calloc((size_t)(nkids ? nkids : 1), sizeof(entry *));
	if (!e->val || !e->loc_act || !e->loc_prob || !e->kids) {
		free_entry(e, n);
		return NULL;
	}
	st->pool[st->npool++] = e;
	return e;
}

static void free_entry(entry *e, int n)
{
	pl__mpq_vec_free(e->val, (size_t)n);
	pl__mpq_vec_free(e->loc_prob, (size_t)e->nloc);
	free(e->loc_act);
	free(e->kids);
	free(e);
}

/* 0, or PL_ENOMEM (the entry stays in the pool, which frees it). */
static int list_push(list *l, entry *e)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 4;
		entry **t = realloc(l->e, (size_t)cap * sizeof *t);
		if (!t)
			return PL_ENOMEM;
		l->e = t;
		l->cap = cap;
	}
	l->e[l->n++] = e;
	return 0;
}

/* The maximal proper subgames strictly below x, into out unless it is NULL;
 * returns how many. */
static int frontier(const pl_game *g, int x, int *out)
{
	int k = 0;
	for (int y = x + 1; y < g->node[x].end;) {
		if (g->node[y].infoset >= 0 && pl__tree_is_subgame_root(g, y)) {
			if (out)
				out[k] = y;
			k++;
			y = g->node[y].end;
		} else {
			y++;
		}
	}
	return k;
}

static int list_solve(spe *st, int x, int depth, list *out);

/* The subgame at x with each proper subgame f below replaced by a terminal
 * node paying the chosen equilibrium's value.  rmap[ri] is the information
 * set of g behind information set ri of the result.  NULL when out of memory
 * (and *rmap NULL). */
static pl_game *build_reduced(const pl_game *g, int x, entry *const *chosen, const int *fr, int nfr,
			      int **rmap)
{
	int span = g->node[x].end - x, nomem = 0;
	pl_game *r = pl__game_new(PL__TREE);
	int *nmap = pl__calloc((size_t)span, sizeof(int));
	int *imap = pl__calloc((size_t)g->ninfo, sizeof(int));
	*rmap = pl__calloc((size_t)g->ninfo, sizeof(int));
	if (!r || !nmap || !imap || !*rmap || pl__game_set_players(r, g->n))
		goto fail;
	for (int p = 0; p < g->n; p++)
		if (!(r->player[p] = pl__strdup(g->player[p])))
			goto fail;
	r->node = pl__calloc((size_t)span, sizeof *r->node);
	r->child = pl__calloc((size_t)span, sizeof(int));
	r->info = pl__calloc((size_t)g->ninfo, sizeof *r->info);
	r->outc = pl__calloc((size_t)span, sizeof *r->outc);
	if (!r->node || !r->child || !r->info || !r->outc)
		goto fail;
	for (int i = 0; i < g->ninfo; i++)
		imap[i] = -1;
	int nchild = 0, fi = 0;
	for (int y = x; y < g->node[x].end && !nomem;) {
		int is_f = fi < nfr && fr[fi] == y, ry = r->nnode++;
		const pl__node *gy = &g->node[y];
		pl__node *nd = &r->node[ry];
		nmap[y - x] = ry;
		nd->type = is_f ? PL__TERMINAL : gy->type;
		nomem |= !(nd->label = pl__strdup(gy->label));
		nd->parent = y == x ? -1 : nmap[gy->parent - x];
		nd->parent_act = gy->parent_act;
		nd->infoset = -1;
		nd->outcome = -1;
		if (nd->parent >= 0)
			r->child[r->node[nd->parent].child_off + nd->parent_act] = ry;
		const mpq_t *pay = is_f		      ? (const mpq_t *)chosen[fi]->val
				   : gy->outcome >= 0 ? (const mpq_t *)g->outc[gy->outcome].pay
						      : NULL;
		if (pay) {
			pl__outcome *o = &r->outc[r->noutc];
			nd->outcome = r->noutc++;
			o->label = pl__strdup(is_f ? "" : g->outc[gy->outcome].label);
			o->file_id = r->noutc;
			o->pay = pl__mpq_vec((size_t)g->n);
			if (!o->label || !o->pay) {
				nomem = 1;
				break;
			}
			for (int p = 0; p < g->n; p++)
				mpq_set(o->pay[p], pay[p]);
		}
		if (is_f) {
			y = g->node[y].end;
			fi++;
			continue;
		}
		if (gy->infoset >= 0) {
			int gi = gy->infoset;
			if (imap[gi] < 0) {
				const pl__infoset *gh = &g->info[gi];
				pl__infoset *rh = &r->info[r->ninfo];
				(*rmap)[r->ninfo] = gi;
				imap[gi] = r->ninfo++; /* counted now, so that pl_game_free frees it */
				rh->player = gh->player;
				rh->file_id = gh->file_id;
				rh->nact = gh->nact;
				rh->label = pl__strdup(gh->label);
				rh->act_label = pl__calloc((size_t)gh->nact, sizeof(char *));
				if (!rh->label || !rh->act_label) {
					nomem = 1;
					break;
				}
				for (int a = 0; a < gh->nact; a++)
					nomem |= !(rh->act_label[a] = pl__strdup(gh->act_label[a]));
				if (gh->prob && !nomem) {
					if (!(rh->prob = pl__mpq_vec((size_t)gh->nact))) {
						nomem = 1;
						break;
					}
					for (int a = 0; a < gh->nact; a++)
						mpq_set(rh->prob[a], gh->prob[a]);
				}
			}
			nd->infoset = imap[gi];
			nd->child_off = nchild;
			nchild += g->info[gi].nact;
		}
		y++;
	}
	if (nomem || pl__tree_finish(r))
		goto fail;
	free(nmap);
	free(imap);
	return r;
fail:
	free(nmap);
	free(imap);
	free(*rmap);
	*rmap = NULL;
	pl_game_free(r);
	return NULL;
}

/* A subgame of imperfect information, solved on its reduced strategic form. */
static int reduced_solve(spe *st, int x, entry **chosen, int *fr, int nfr, list *out)
{
	const pl_game *g = st->g;
	int *rmap;
	pl_game *r = build_reduced(g, x, chosen, fr, nfr, &rmap);
	if (!r)
		return PL_ENOMEM;
	pl_game_solution rs = {.game = r, .exact = 1};
	int movers = 0;
	for (int p = 0; p < r->n; p++)
		movers += r->ninfo_pl[p] > 0;
	int rc = movers <= 2 ? pl__solve_enummixed(r, &rs, st->o, st->err)
			     : pl__solve_pure(r, &rs, st->o, st->err);
	if (!rc && rs.count == 0) {
		/* three or more movers and no pure equilibrium: the logit limit gives
		 * one (mixed) equilibrium, in floating point */
		rs.exact = 0;
		rs.tol = st->o->tolerance;
		rc = pl__solve_logit(r, &rs, st->o, st->err);
		st->inexact = 1;
	}
	for (size_t k = 0; !rc && k < rs.count; k++) {
		entry *e = new_entry(st, g->n, r->nact_total, nfr);
		if (!e) {
			rc = PL_ENOMEM;
			break;
		}
		for (int ri = 0; ri < r->ninfo; ri++) {
			const pl__infoset *rh = &r->info[ri];
			if (rh->player <= 0)
				continue;
			for (int a = 0; a < rh->nact; a++) {
				e->loc_act[rh->act_off + a] = g->info[rmap[ri]].act_off + a;
				mpq_set(e->loc_prob[rh->act_off + a], rs.prof[k][rh->act_off + a]);
			}
		}
		memcpy(e->kids, chosen, (size_t)nfr * sizeof *chosen);
		if (!(rc = pl__profile_payoffs(r, rs.prof[k], e->val)))
			rc = list_push(out, e);
	}
	for (size_t k = 0; k < rs.count; k++)
		pl__mpq_vec_free(rs.prof[k], (size_t)r->nact_total);
	free(rs.prof);
	free(rs.regret);
	free(rs.note);
	free(rs.solver);
	free(rmap);
	pl_game_free(r);
	return rc;
}

/* Payoff vector of reaching child c of a one-move subgame. */
static void child_value(const pl_game *g, int c, const entry *const *chosen, const int *fr, int nfr,
			mpq_t *v)
{
	for (int p = 0; p < g->n; p++)
		mpq_set_ui(v[p], 0, 1);
	for (int i = 0; i < nfr; i++)
		if (fr[i] == c) {
			for (int p = 0; p < g->n; p++)
				mpq_set(v[p], chosen[i]->val[p]);
			return;
		}
	if (g->node[c].outcome >= 0)
		for (int p = 0; p < g->n; p++)
			mpq_set(v[p], g->outc[g->node[c].outcome].pay[p]);
}

/* A subgame that is a single move: every child is terminal or a proper
 * subgame. */
static int single_move(spe *st, int x, entry **chosen, int *fr, int nfr, list *out)
{
	const pl_game *g = st->g;
	const pl__node *nd = &g->node[x];
	const pl__infoset *h = &g->info[nd->infoset];
	int n = g->n, k = h->nact, start = out->n;
	mpq_t *cv = pl__mpq_vec((size_t)(k * n));
	if (!cv)
		return PL_ENOMEM;
	int rc = 0;
	for (int a = 0; a < k; a++)
		child_value(g, g->child[nd->child_off + a], (const entry *const *)chosen, fr, nfr,
			    &cv[a * n]);
	if (h->player == 0) {
		entry *e = new_entry(st, n, 0, nfr);
		if (!e) {
			pl__mpq_vec_free(cv, (size_t)(k * n));
			return PL_ENOMEM;
		}
		mpq_t t;
		mpq_init(t);
		for (int a = 0; a < k; a++)
			for (int p = 0; p < n; p++) {
				mpq_mul(t, h->prob[a], cv[a * n + p]);
				mpq_add(e->val[p], e->val[p], t);
			}
		mpq_clear(t);
		memcpy(e->kids, chosen, (size_t)nfr * sizeof *chosen);
		rc = list_push(out, e);
	} else {
		int p = h->player - 1, best = 0;
		for (int a = 1; a < k; a++)
			if (mpq_cmp(cv[a * n + p], cv[best * n + p]) > 0)
				best = a;
		for (int a = 0; a < k && !rc; a++) {
			if (mpq_cmp(cv[a * n + p], cv[best * n + p]) != 0)
				continue;
			entry *e = new_entry(st, n, k, nfr);
			if (!e) {
				rc = PL_ENOMEM;
				break;
			}
			for (int b = 0; b < k; b++) {
				e->loc_act[b] = h->act_off + b;
				mpq_set_ui(e->loc_prob[b], a == b, 1);
			}
			for (int q = 0; q < n; q++)
				mpq_set(e->val[q], cv[a * n + q]);
			memcpy(e->kids, chosen, (size_t)nfr * sizeof *chosen);
			rc = list_push(out, e);
		}
	}
	if (nd->outcome >= 0) /* the move's own outcome, added to every entry just made */
		for (int i = start; i < out->n; i++)
			for (int q = 0; q < n; q++)
				mpq_add(out->e[i]->val[q], out->e[i]->val[q],
					g->outc[nd->outcome].pay[q]);
	pl__mpq_vec_free(cv, (size_t)(k * n));
	return rc;
}

static int is_single_move(const pl_game *g, int x, const int *fr, int nfr)
{
	const pl__node *nd = &g->node[x];
	int k = g->info[nd->infoset].nact;
	for (int a = 0; a < k; a++) {
		int c = g->child[nd->child_off + a], hit = g->node[c].infoset < 0;
		for (int i = 0; i < nfr && !hit; i++)
			hit = fr[i] == c;
		if (!hit)
			return 0;
	}
	return 1;
}

static int list_solve(spe *st, int x, int depth, list *out)
{
	const pl_game *g = st->g;
	if (depth > MAX_SUBGAME_DEPTH)
		return pl_error_set(st->err, PL_EINPUT, NULL, "subgames nest more than %d deep",
				    MAX_SUBGAME_DEPTH);
	/* counted first: an array as long as the subtree at every level of a
	 * deep chain would cost memory quadratic in its depth */
	int nfr = frontier(g, x, NULL), rc = 0;
	int *fr = pl__calloc((size_t)(nfr ? nfr : 1), sizeof(int));
	if (!fr)
		return PL_ENOMEM;
	frontier(g, x, fr);
	list *sub = pl__calloc((size_t)(nfr ? nfr : 1), sizeof *sub);
	if (!sub) {
		free(fr);
		return PL_ENOMEM;
	}
	for (int i = 0; i < nfr && !rc; i++) {
		rc = list_solve(st, fr[i], depth + 1, &sub[i]);
		if (!rc && sub[i].n == 0) /* no equilibrium below: none here either */
			goto done;
	}
	int single = is_single_move(g, x, fr, nfr);
	int *pick = pl__calloc((size_t)(nfr ? nfr : 1), sizeof(int));
	entry **chosen = pl__calloc((size_t)(nfr ? nfr : 1), sizeof(entry *));
	if (!rc && (!pick || !chosen))
		rc = PL_ENOMEM;
	while (!rc) {
		for (int i = 0; i < nfr; i++)
			chosen[i] = sub[i].e[pick[i]];
		if ((size_t)++st->combos > 4 * st->o->max_equilibria + 100000)
			rc = pl_error_set(
				st->err, PL_EINPUT, NULL,
				"too many combinations of subgame equilibria (raise --max)");
		else if (single)
			rc = single_move(st, x, chosen, fr, nfr, out);
		else
			rc = reduced_solve(st, x, chosen, fr, nfr, out);
		if (!rc && (size_t)out->n > st->o->max_equilibria)
			rc = pl_error_set(st->err, PL_EINPUT, NULL,
					  "more than %zu subgame-perfect equilibria (raise --max)",
					  st->o->max_equilibria);
		int i = 0;
		for (; i < nfr; i++) {
			if (++pick[i] < sub[i].n)
				break;
			pick[i] = 0;
		}
		if (i == nfr)
			break;
	}
	free(pick);
	free(chosen);
done:
	for (int i = 0; i < nfr; i++)
		free(sub[i].e);
	free(sub);
	free(fr);
	return rc;
}

/* 0 or PL_ENOMEM. */
static int assemble(const entry *e, mpq_t *behav)
{
	/* An explicit stack: entry trees can be as deep as the game tree. */
	size_t cap = 64, top = 0;
	const entry **stack = pl__calloc(cap, sizeof *stack);
	if (!stack)
		return PL_ENOMEM;
	stack[top++] = e;
	while (top) {
		const entry *c = stack[--top];
		for (int i = 0; i < c->nloc; i++)
			mpq_set(behav[c->loc_act[i]], c->loc_prob[i]);
		for (int i = 0; i < c->nkids; i++) {
			if (top == cap) {
				cap *= 2;
				const entry **t = realloc(stack, cap * sizeof *t);
				if (!t) {
					free(stack);
					return PL_ENOMEM;
				}
				stack = t;
			}
			stack[top++] = c->kids[i];
		}
	}
	free(stack);
	return 0;
}

int pl__solve_spe(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o, pl_error *err)
{
	if (g->kind != PL__TREE) {
		s->note = pl__strdup("a table has no proper subgames: these are its pure Nash "
				     "equilibria");
		return s->note ? pl__solve_pure(g, s, o, err) : PL_ENOMEM;
	}
	if (!pl__tree_perfect_recall(g))
		return pl_error_set(err, PL_EINPUT, NULL,
				    "subgame perfection needs a tree with perfect recall");
	if (g->node[0].infoset < 0) {
		mpq_t *none = pl__mpq_vec(1);
		int rc = none ? pl__solution_add(s, none) : PL_ENOMEM;
		pl__mpq_vec_free(none, 1);
		return rc;
	}
	spe st = {.g = g, .o = o, .err = err};
	list top = {0};
	int rc = list_solve(&st, 0, 0, &top);
	if (st.inexact) {
		s->exact = 0;
		free(s->note);
		s->note = pl__strdup("a subgame where three or more players move has no pure "
				     "equilibrium; it was solved by tracing the logit branch "
				     "(floating point)");
		if (!s->note && !rc)
			rc = PL_ENOMEM;
	}
	mpq_t *behav = pl__mpq_vec((size_t)g->nact_total);
	if (!behav && !rc)
		rc = PL_ENOMEM;
	for (int k = 0; !rc && k < top.n; k++) {
		for (int i = 0; i < g->nact_total; i++)
			mpq_set_ui(behav[i], 0, 1);
		if (!(rc = assemble(top.e[k], behav)))
			rc = pl__solution_add(s, behav);
	}
	pl__mpq_vec_free(behav, (size_t)g->nact_total);
	free(top.e);
	for (size_t i = 0; i < st.npool; i++)
		free_entry(st.pool[i], g->n);
	free(st.pool);
	return rc;
}
