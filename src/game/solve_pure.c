/* solve_pure.c - all pure-strategy Nash equilibria of a table (any number of
 * players), pure equilibria of a tree's reduced strategic form, and pure
 * agent-form equilibria of a tree.  See docs/games/pure.md. */
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

/* A cell survives when, for every player, no other own strategy pays more
 * against the same strategies of the others. */
static void mark_best_responses(const pl_game *g, int p, char *ok)
{
	long stride = 1;
	for (int q = 0; q < p; q++)
		stride *= g->nstrat[q];
	for (long c = 0; c < g->ncell; c++) {
		if ((c / stride) % g->nstrat[p] != 0)
			continue; /* visit each line of p's strategies once, from its start */
		const mpq_t *best = pl__table_pay(g, c, p);
		for (int k = 1; k < g->nstrat[p]; k++) {
			const mpq_t *v = pl__table_pay(g, c + k * stride, p);
			if (pl__qcmp(*v, *best) > 0)
				best = v;
		}
		for (int k = 0; k < g->nstrat[p]; k++)
			if (pl__qcmp(*pl__table_pay(g, c + k * stride, p), *best) < 0)
				ok[c + k * stride] = 0;
	}
}

static int table_pure(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		      pl_error *err)
{
	int len = pl__profile_len(g);
	char *ok = pl__calloc((size_t)g->ncell, 1);
	mpq_t *prof = pl__mpq_vec((size_t)len);
	int rc = !ok || !prof ? PL_ENOMEM : 0;
	if (!rc) {
		memset(ok, 1, (size_t)g->ncell);
		for (int p = 0; p < g->n; p++)
			mark_best_responses(g, p, ok);
	}
	for (long c = 0; c < g->ncell && !rc; c++) {
		if (!ok[c])
			continue;
		for (int i = 0; i < len; i++)
			mpq_set_ui(prof[i], 0, 1);
		long r = c;
		for (int p = 0, off = 0; p < g->n; off += g->nstrat[p], p++) {
			mpq_set_ui(prof[off + r % g->nstrat[p]], 1, 1);
			r /= g->nstrat[p];
		}
		if (s->count >= o->max_equilibria)
			rc = pl_error_set(err, PL_EINPUT, NULL,
					  "more than %zu equilibria; raise --max",
					  o->max_equilibria);
		else
			rc = pl__solution_add(s, prof);
	}
	pl__mpq_vec_free(prof, (size_t)len);
	free(ok);
	return rc;
}

int pl__solve_via_table(const pl_game *g, pl__table_solver fn, pl_game_solution *s,
			const pl_game_solve_opts *o, pl_error *err)
{
	if (g->kind != PL__TREE)
		return fn(g, s, o, err);
	if (!pl__tree_perfect_recall(g))
		return pl_error_set(err, PL_EINPUT, NULL,
				    "the tree lacks perfect recall: behaviour strategies cannot "
				    "represent its mixed equilibria; solve its strategic form "
				    "(parley game convert --to nfg) instead");
	pl_game *t;
	int rc = pl__tree_to_table(g, &t, err);
	if (rc)
		return rc;
	pl_game_solution st = {.game = t, .exact = s->exact, .tol = s->tol};
	rc = fn(t, &st, o, err);
	mpq_t *behav = pl__mpq_vec((size_t)g->nact_total);
	if (!rc && !behav)
		rc = PL_ENOMEM;
	for (size_t k = 0; !rc && k < st.count; k++) {
		rc = pl__mixed_to_behav(g, t, st.prof[k], behav);
		if (!rc)
			rc = pl__solution_add(s, behav);
	}
	if (!s->note && st.note) {
		s->note = st.note;
		st.note = NULL;
	}
	pl__mpq_vec_free(behav, (size_t)g->nact_total);
	for (size_t k = 0; k < st.count; k++)
		pl__mpq_vec_free(st.prof[k], (size_t)pl__profile_len(t));
	free(st.prof);
	free(st.regret);
	free(st.note);
	free(st.solver);
	pl_game_free(t);
	return rc;
}

int pl__solve_pure(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		   pl_error *err)
{
	return pl__solve_via_table(g, table_pure, s, o, err);
}

/* Agent form: every information set is its own agent with its owner's
 * payoff.  The agent regret of a behaviour profile is the largest gain any
 * single information set can make by switching to one action, everything
 * else fixed; a pure agent-form equilibrium has agent regret 0.  (Without
 * perfect recall, or off the path, this is weaker than Nash.) */
int pl__agent_regret(const pl_game *g, mpq_t *prof, mpq_t out)
{
	mpq_t *pay = pl__mpq_vec((size_t)g->n), *alt = pl__mpq_vec((size_t)g->n);
	mpq_t gain;
	mpq_init(gain);
	mpq_set_ui(out, 0, 1);
	int rc = !pay || !alt ? PL_ENOMEM : pl__profile_payoffs(g, prof, pay);
	for (int hi = 0; !rc && hi < g->ninfo; hi++) {
		const pl__infoset *h = &g->info[hi];
		if (h->player <= 0)
			continue;
		mpq_t *save = pl__mpq_vec((size_t)h->nact);
		if (!save) {
			rc = PL_ENOMEM;
			break;
		}
		for (int a = 0; a < h->nact; a++)
			mpq_set(save[a], prof[h->act_off + a]);
		for (int a = 0; !rc && a < h->nact; a++) {
			for (int b = 0; b < h->nact; b++)
				mpq_set_ui(prof[h->act_off + b], a == b, 1);
			if ((rc = pl__profile_payoffs(g, prof, alt)))
				break;
			mpq_sub(gain, alt[h->player - 1], pay[h->player - 1]);
			if (mpq_cmp(gain, out) > 0)
				mpq_set(out, gain);
		}
		for (int a = 0; a < h->nact; a++)
			mpq_set(prof[h->act_off + a], save[a]);
		pl__mpq_vec_free(save, (size_t)h->nact);
	}
	mpq_clear(gain);
	pl__mpq_vec_free(pay, (size_t)g->n);
	pl__mpq_vec_free(alt, (size_t)g->n);
	return rc;
}

int pl__solve_agent_pure(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
			 pl_error *err)
{
	if (g->kind != PL__TREE)
		return table_pure(g, s, o, err);
	double total = 1;
	for (int hi = 0; hi < g->ninfo; hi++)
		if (g->info[hi].player > 0)
			total *= g->info[hi].nact;
	if (total > 1e6)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "%.0f pure behaviour profiles: too many to enumerate", total);
	int *cur = pl__calloc((size_t)(g->ninfo ? g->ninfo : 1), sizeof(int));
	mpq_t *prof = pl__mpq_vec((size_t)g->nact_total);
	mpq_t r;
	mpq_init(r);
	int rc = !cur || !prof ? PL_ENOMEM : 0;
	while (!rc) {
		for (int i = 0; i < g->nact_total; i++)
			mpq_set_ui(prof[i], 0, 1);
		for (int hi = 0; hi < g->ninfo; hi++)
			if (g->info[hi].player > 0)
				mpq_set_ui(prof[g->info[hi].act_off + cur[hi]], 1, 1);
		if ((rc = pl__agent_regret(g, prof, r)))
			break;
		if (mpq_sgn(r) == 0) {
			if (s->count >= o->max_equilibria) {
				rc = pl_error_set(err, PL_EINPUT, NULL, "more than %zu equilibria",
						  o->max_equilibria);
				break;
			}
			if ((rc = pl__solution_add(s, prof)))
				break;
		}
		int hi = 0;
		for (; hi < g->ninfo; hi++) {
			if (g->info[hi].player <= 0)
				continue;
			if (++cur[hi] < g->info[hi].nact)
				break;
			cur[hi] = 0;
		}
		if (hi == g->ninfo)
			break;
	}
	free(cur);
	pl__mpq_vec_free(prof, (size_t)g->nact_total);
	mpq_clear(r);
	return rc;
}
