/* game_solve.c - the solver registry, the solution object, and the regret
 * check every reported profile passes before it is returned. */
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

typedef struct solver {
	const char *name;
	const char *about;
	pl__table_solver run;
	int exact;
	int agent;
} solver;

static const solver solvers[] = {
	{"pure", "all pure-strategy Nash equilibria (trees: of the reduced strategic form)",
	 pl__solve_pure, 1, 0},
	{"agent", "all pure agent-form equilibria of a tree", pl__solve_agent_pure, 1, 1},
	{"spe", "subgame-perfect equilibria by backward induction over proper subgames",
	 pl__solve_spe, 1, 0},
	{"enummixed", "all extreme Nash equilibria of a two-player game (vertex enumeration)",
	 pl__solve_enummixed, 1, 0},
	{"lh", "Lemke-Howson from every label and every equilibrium found, two players (exact)",
	 pl__solve_lh, 1, 0},
	{"seqform", "one equilibrium of a two-player tree: Lemke's algorithm on the sequence form",
	 pl__solve_seqform, 1, 0},
	{"logit",
	 "logit quantal response branch from lambda = 0 to its limit (any number of players)",
	 pl__solve_logit, 0, 0},
	{"lp", "minimax equilibrium of a two-player zero-sum game (linear program, GLPK)",
	 pl__solve_lp, 0, 0},
};

#define NSOLVERS (sizeof solvers / sizeof solvers[0])

static const char *const solver_names[] = {"pure",    "agent", "spe", "enummixed", "lh",
					   "seqform", "logit", "lp",  NULL};

const char *const *pl_game_solver_names(void)
{
	return solver_names;
}

static const solver *find_solver(const char *name)
{
	for (size_t i = 0; i < NSOLVERS; i++)
		if (strcmp(solvers[i].name, name) == 0)
			return &solvers[i];
	return NULL;
}

const char *pl_game_solver_describe(const char *name)
{
	const solver *s = name ? find_solver(name) : NULL;
	return s ? s->about : NULL;
}

/* Floating solvers hand over doubles; each distribution is rescaled to sum
 * to exactly 1 so that the regret is that of a genuine profile. */
static void normalize(const pl_game *g, mpq_t *prof)
{
	mpq_t sum;
	mpq_init(sum);
	int nblock = g->kind == PL__TREE ? g->ninfo : g->n;
	for (int b = 0, off = 0; b < nblock; b++) {
		int len;
		if (g->kind == PL__TREE) {
			if (g->info[b].player <= 0)
				continue;
			off = g->info[b].act_off;
			len = g->info[b].nact;
		} else {
			len = g->nstrat[b];
		}
		mpq_set_ui(sum, 0, 1);
		for (int i = 0; i < len; i++) {
			if (mpq_sgn(prof[off + i]) < 0)
				mpq_set_ui(prof[off + i], 0, 1);
			mpq_add(sum, sum, prof[off + i]);
		}
		for (int i = 0; i < len && mpq_sgn(sum) > 0; i++)
			mpq_div(prof[off + i], prof[off + i], sum);
		if (g->kind == PL__TABLE)
			off += len;
	}
	mpq_clear(sum);
}

int pl__solution_add(pl_game_solution *s, mpq_t *prof)
{
	int len = pl__profile_len(s->game);
	for (size_t k = 0; k < s->count; k++) {
		int same = 1;
		for (int i = 0; i < len && same; i++)
			same = mpq_equal(s->prof[k][i], prof[i]);
		if (same)
			return 0;
	}
	if (s->count == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		mpq_t **t = realloc(s->prof, s->cap * sizeof *t);
		double *r = realloc(s->regret, s->cap * sizeof *r);
		if (t)
			s->prof = t;
		if (r)
			s->regret = r;
		if (!t || !r)
			return PL_ENOMEM;
	}
	mpq_t *c = pl__mpq_vec((size_t)len);
	if (!c)
		return PL_ENOMEM;
	for (int i = 0; i < len; i++)
		mpq_set(c[i], prof[i]);
	if (!s->exact)
		normalize(s->game, c);
	s->regret[s->count] = 0;
	s->prof[s->count++] = c;
	return 0;
}

/* Checks the regret of every profile and keeps its expected payoffs. */
static int verify(pl_game_solution *s, pl_error *err)
{
	size_t n = (size_t)s->game->n;
	mpq_t *pay = pl__mpq_vec(n);
	s->payoff = pl__calloc(s->count * n, sizeof *s->payoff);
	if (!pay || !s->payoff) {
		pl__mpq_vec_free(pay, n);
		return pl__nomem(err);
	}
	mpq_t r;
	mpq_init(r);
	int rc = 0;
	for (size_t k = 0; k < s->count && !rc; k++) {
		rc = s->agent ? pl__agent_regret(s->game, s->prof[k], r)
			      : pl__profile_regret(s->game, s->prof[k], r);
		if (!rc)
			rc = pl__profile_payoffs(s->game, s->prof[k], pay);
		if (rc) {
			rc = pl__nomem(err);
			break;
		}
		for (size_t p = 0; p < n; p++)
			s->payoff[k * n + p] = mpq_get_d(pay[p]);
		s->regret[k] = mpq_get_d(r);
		if (s->exact && mpq_sgn(r) != 0)
			rc = pl_error_set(err, PL_EINTERNAL, s->solver,
					  "equilibrium %zu has regret %g: this is a bug in the "
					  "solver, please report it",
					  k + 1, s->regret[k]);
		else if (!s->exact && s->regret[k] > s->tol)
			rc = pl_error_set(err, PL_ENUMERIC, s->solver,
					  "equilibrium %zu has regret %g, above the tolerance %g",
					  k + 1, s->regret[k], s->tol);
	}
	mpq_clear(r);
	pl__mpq_vec_free(pay, n);
	return rc;
}

int pl_game_solve(const pl_game *g, const char *name, const pl_game_solve_opts *opts,
		  pl_game_solution **out, pl_error *err)
{
	*out = NULL;
	const solver *sv = name ? find_solver(name) : NULL;
	if (!sv)
		return pl_error_set(err, PL_ENOTFOUND, name,
				    "no such solver (try: pure, agent, "
				    "spe, enummixed, lh, seqform, logit, lp)");
	pl_game_solve_opts o = PL_GAME_SOLVE_OPTS_INIT;
	if (opts && opts->version != PL_GAME_SOLVE_OPTS_VERSION)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "game solve options version %u (this parley knows %d; start "
				    "from PL_GAME_SOLVE_OPTS_INIT)",
				    opts->version, PL_GAME_SOLVE_OPTS_VERSION);
	if (opts)
		o = *opts;
	if (o.max_equilibria == 0)
		o.max_equilibria = 10000;
	if (o.max_equilibria > 100000000)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "at most 100000000 equilibria may be asked for (%zu)",
				    o.max_equilibria);
	if (o.tolerance <= 0)
		o.tolerance = 1e-8;
	pl_game_solution *s = pl__calloc(1, sizeof *s);
	if (!s)
		return pl__nomem(err);
	s->game = g;
	s->exact = sv->exact;
	s->agent = sv->agent;
	s->tol = o.tolerance;
	int rc = (s->solver = pl__strdup(sv->name)) ? sv->run(g, s, &o, err) : PL_ENOMEM;
	if (rc == PL_ENOMEM)
		pl__nomem(err); /* solvers return PL_ENOMEM without recording it */
	if (!rc)
		rc = verify(s, err);
	if (rc) {
		pl_game_solution_free(s);
		return rc;
	}
	*out = s;
	return PL_OK;
}

void pl_game_solution_free(pl_game_solution *s)
{
	if (!s)
		return;
	int len = pl__profile_len(s->game);
	for (size_t k = 0; k < s->count; k++)
		pl__mpq_vec_free(s->prof[k], (size_t)len);
	free(s->prof);
	free(s->regret);
	free(s->payoff);
	free(s->solver);
	free(s->note);
	free(s);
}

size_t pl_game_solution_n_equilibria(const pl_game_solution *s)
{
	return s ? s->count : 0;
}

double pl_game_solution_regret(const pl_game_solution *s, size_t k)
{
	return s && k < s->count ? s->regret[k] : 0;
}

double pl_game_solution_payoff(const pl_game_solution *s, size_t k, size_t player)
{
	if (!s || k >= s->count || player >= (size_t)s->game->n)
		return 0;
	return s->payoff[k * (size_t)s->game->n + player];
}

double pl_game_solution_prob(const pl_game_solution *s, size_t k, size_t index)
{
	if (!s || k >= s->count || index >= (size_t)pl__profile_len(s->game))
		return 0;
	return mpq_get_d(s->prof[k][index]);
}
