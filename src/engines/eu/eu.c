/* eu.c - Bueno de Mesquita's expected-utility model of group decisions, as
 * replicated by Scholz, Calbert & Smith (2011).  Each round: a pass with every
 * risk exponent at 1 gives the security levels and the risk exponents; a
 * second pass with those exponents gives win probabilities and the expected
 * utilities of challenges; every actor then takes its best offer
 * (confrontation, compromise or capitulation) and all move at once.
 * docs/models/eu.md gives every formula, variant and degenerate case.
 *
 * Cost per round is O(n^2) (plus a sort) rather than the naive O(n^6): the
 * votes of all voters on a pair of positions are read from prefix sums over
 * voters sorted by position (eu_pass.c).  Shortcuts that change no
 * bit of the result: a cycle of positions is replayed rather than
 * recomputed, log tables carry over between rounds, and positions that
 * cannot make an actor an offer are skipped (docs/models/eu.md, "Cost"). */
#include "engines/engine_impl.h"
#include "engines/eu/eu.h"
#include "engines/eu/eu_batch.h"
#include "engines/eu/eu_history.h"
#include "engines/eu/eu_work.h"
#include "engines/weighted.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	P_PROB,
	P_PERSPECTIVE,
	P_COMPROMISE,
	P_CAPITULATION,
	P_RANGE,
	P_Q,
	P_T,
	P_MU,
	P_FORECAST,
	P_CYCLE
};

static const char *const prob_choices[] = {"global", "pairwise", NULL};
static const char *const perspective_choices[] = {"own", "each", NULL};
static const char *const compromise_choices[] = {"lowest", "nearest", NULL};
static const char *const onoff_choices[] = {"on", "off", NULL};
static const char *const range_choices[] = {"start", "scale", NULL};
static const char *const central_choices[] = {"median", "mean", NULL};

/* The defaults reproduce Scholz et al.'s table; docs/models/eu.md explains
 * every alternative. */
static const pl_param_spec eu_params[] = {
	{.info = {"prob", "global", "one global vote total (table) or eq. 30", prob_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"perspective", "own", "whose exponent prices a rival's challenge",
		  perspective_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"compromise", "lowest", "concession (table) or EU-weighted point",
		  compromise_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"capitulation", "off", "may an actor give in fully (paper text: on)",
		  onoff_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"range", "start", "distances over the starting spread or the scale",
		  range_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"q", "1", "probability that the status quo holds unchallenged", NULL},
	 .kind = PL_PARAM_NUMBER,
	 .lo = 0,
	 .hi = 1},
	{.info = {"t", "1", "probability that things improve unchallenged", NULL},
	 .kind = PL_PARAM_NUMBER,
	 .lo = 0,
	 .hi = 1},
	{.info = {"mu", "median", "expected outcome in U_b, U_w (when q < 1)", central_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"forecast", "median", "each round's forecast", central_choices},
	 .kind = PL_PARAM_CHOICE},
	PL__CYCLE_PARAM,
};

#define N_EU_PARAMS (sizeof eu_params / sizeof eu_params[0])

void pl__eu_config_default(pl__eu_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->capitulation = 0; /* the reproducing code's test never holds */
	cfg->q = 1;
	cfg->t = 1;
}

/* Keeps the candidate with the smaller key, then the smaller move, then the
 * lower target, then the lower actor: a rule that does not depend on the
 * order in which the candidates come (the streaming path of eu_stream.c
 * sees them by pairs of positions, the tables' path by actor). */
static void consider(eu_pick *p, double target, double key, double move, size_t from)
{
	if (p->have) {
		if (key != p->key) {
			if (key > p->key)
				return;
		} else if (move != p->move) {
			if (move > p->move)
				return;
		} else if (target != p->target) {
			if (target > p->target)
				return;
		} else if (from >= p->from) {
			return;
		}
	}
	*p = (eu_pick){1, target, key, move, from};
}

/* Sorts j's challenge to i into confrontation, compromise or capitulation
 * (sec. 6; eij = EU_i(i challenges j), eji = EU_j(j challenges i)). */
void pl__eu_offer(const eu_work *k, size_t i, size_t j, double eij, double eji, eu_pick pick[3])
{
	double xi = k->x[i], xj = k->x[j], dist = fabs(xj - xi);
	if (eji > eij && eij > 0) {
		consider(&pick[0], xj, dist, dist, j);
	} else if (eji > 0 && eij < 0 && eji > -eij) {
		double wpt = (-eij * xi + eji * xj) / (eji - eij);
		if (k->cfg.compromise == PL_EU_COMPROMISE_NEAREST) {
			consider(&pick[1], wpt, fabs(wpt - xi), fabs(wpt - xi), j);
		} else {
			double target = xi + (xj - xi) * (-eij / eji);
			consider(&pick[1], target, wpt, fabs(target - xi), j);
		}
	} else if (eji > 0 && eij < 0 && eji < -eij && k->cfg.capitulation) {
		consider(&pick[2], xj, dist, dist, j);
	}
}

/* EU_j(j challenges i) as i sees it, priced with j's own exponent
 * (perspective each); ls, lf the logs of the pair's (0.5 -+ d/2). */
static double rival_eu_each(const eu_work *k, size_t i, size_t j, double pji, double ls, double lf)
{
	double rj = k->r[j];
	double es = pl__eu_pow(ls, rj), ef = pl__eu_pow(lf, rj);
	double v = pl__eu_value(pji, k->sal[i], es, ef, pl__exp(-EU_LN2 * rj), k->cfg.q);
	if (k->cfg.q < 1) {
		double d = fabs(k->x[j] - k->x[i]) * k->inv_range;
		v += pl__eu_no_challenge_term(k, fabs(k->x[j] - k->mu) * k->inv_range + d, rj);
	}
	return v;
}

/* With Q = 1, eq. 25 is EU = g - s (1 - p) h, g = U_s - U_sq and
 * h = U_s - U_f, where g and h depend only on i's exponent and the
 * distance. */
void pl__eu_pair_values(const eu_work *k, size_t i, size_t j, double g, double h, double pij,
			double pji, double ls, double lf, double *eij, double *eji)
{
	*eij = g - k->sal[j] * (1 - pij) * h;
	*eji = g - k->sal[i] * (1 - pji) * h;
	if (k->cfg.q < 1) {
		double ri = k->r[i], d = fabs(k->x[j] - k->x[i]) * k->inv_range;
		*eij += (1 - k->cfg.q) * (2 - 4 * pl__exp(-EU_LN2 * ri)) +
			pl__eu_no_challenge_term(k, fabs(k->x[i] - k->mu) * k->inv_range + d, ri);
		*eji += (1 - k->cfg.q) * (2 - 4 * pl__exp(-EU_LN2 * ri)) +
			pl__eu_no_challenge_term(k, fabs(k->x[j] - k->mu) * k->inv_range + d, ri);
	}
	if (k->cfg.perspective == PL_EU_PERSPECTIVE_EACH)
		*eji = rival_eu_each(k, i, j, pji, ls, lf);
}

/* Both expected utilities of the pair (i, j) as i sees them, from the
 * tables (g, h of actor i in k->es, k->ef). */
static void pair_eu(const eu_work *k, size_t i, size_t j, double *eij, double *eji)
{
	size_t m = k->m, a = k->pos_of[i], b = k->pos_of[j];
	pl__eu_pair_values(k, i, j, k->es[b], k->ef[b], k->prob[a * m + b], k->prob[b * m + a],
			   k->ls[a * m + b], k->lf[a * m + b], eij, eji);
}

/* Fills k->es[b] = g and k->ef[b] = h of pair_eu for actor i and every
 * other distinct position b. */
static void lottery_terms(eu_work *k, size_t i)
{
	size_t m = k->m, a = k->pos_of[i];
	double ri = k->r[i], esq = pl__exp(-EU_LN2 * ri);
	const double *ls = k->ls + a * m, *lf = k->lf + a * m;
	for (size_t b = 0; b < m; b++) {
		if (b == a)
			continue;
		double es = pl__eu_pow(ls[b], ri), ef = pl__eu_pow(lf[b], ri);
		k->es[b] = 4 * (esq - es);
		k->ef[b] = 4 * (ef - es);
	}
}

/* An earlier actor in the same place (position and salience, hence the
 * same risk exponent and the same offers), or n. */
size_t pl__eu_twin_of(const eu_work *k, size_t t)
{
	size_t i = k->ord[t].i;
	for (size_t u = t; u-- > 0 && k->ord[u].x == k->ord[t].x;)
		if (k->sal[k->ord[u].i] == k->sal[i])
			return k->ord[u].i;
	return k->n;
}

/* Fills k->es, k->ef (as lottery_terms) for the positions b from which i
 * could receive an offer, and k->skip[b] = 1 for the others.  Every kind
 * of offer needs EU_j(ji) = g - c h > 0, c = s_i (1 - P_ba).  With
 * rho = g / h = (2^-r - s^r) / (f^r - s^r), s, f = 1/2 -+ d/2, rho <= 1/2
 * for r >= 1 (t^r convex, 1/2 the midpoint of s and f) and rho <= 2^-r for
 * r <= 1 (concavity; equality at d = 1).  So c >= max(1/2, 2^-r) means
 * EU_j(ji) <= 0 exactly; the margin of 0.01, with d >= 1e-6 (then h >= d/2),
 * is many orders above the rounding of the computed values, so the
 * computed EU_j(ji) is <= 0 too and skipping b changes nothing. */
static void lottery_terms_pruned(eu_work *k, size_t i)
{
	size_t m = k->m, a = k->pos_of[i];
	double ri = k->r[i], si = k->sal[i];
	/* 2^-r only when needed: max(1/2, 2^-r) is 1/2 for r >= 1 */
	int have_esq = ri < 1;
	double esq = have_esq ? pl__exp(-EU_LN2 * ri) : 0;
	double bound = (have_esq ? fmax(0.5, esq) : 0.5) + 0.01;
	const double *ls = k->ls + a * m, *lf = k->lf + a * m, *ux = k->ux;
	for (size_t b = 0; b < m; b++) {
		if (b == a)
			continue;
		double c = si * (1 - k->prob[b * m + a]);
		k->skip[b] = c >= bound && fabs(ux[b] - ux[a]) * k->inv_range >= 1e-6;
		if (k->skip[b])
			continue;
		if (!have_esq) {
			esq = pl__exp(-EU_LN2 * ri);
			have_esq = 1;
		}
		double es = pl__eu_pow(ls[b], ri), ef = pl__eu_pow(lf[b], ri);
		k->es[b] = 4 * (esq - es);
		k->ef[b] = 4 * (ef - es);
	}
}

/* Actor i weighs every rival's challenge and picks its move (sec. 6). */
static void choose_move(eu_work *k, size_t i, pl__eu_diag *diag)
{
	size_t n = k->n, m = k->m, a = k->pos_of[i];
	eu_pick pick[3] = {{0}};
	if (k->cfg.q == 1 && k->cfg.perspective == PL_EU_PERSPECTIVE_OWN && !diag) {
		/* pair_eu with Q = 1, inlined, over the positions that can offer */
		lottery_terms_pruned(k, i);
		const size_t *restrict pos_of = k->pos_of;
		const double *restrict sal = k->sal, *restrict es = k->es, *restrict ef = k->ef;
		const double *restrict pa = k->prob + a * m;
		const unsigned char *skip = k->skip;
		double si = sal[i];
		for (size_t j = 0; j < n; j++) {
			size_t b = pos_of[j];
			if (b == a || skip[b])
				continue;
			double g = es[b], h = ef[b];
			double eij = g - sal[j] * (1 - pa[b]) * h;
			double eji = g - si * (1 - k->prob[b * m + a]) * h;
			if (eji > 0) /* every kind of offer needs it */
				pl__eu_offer(k, i, j, eij, eji, pick);
		}
	} else {
		lottery_terms(k, i);
		for (size_t j = 0; j < n; j++) {
			if (k->pos_of[j] == a)
				continue;
			double eij, eji;
			pair_eu(k, i, j, &eij, &eji);
			if (diag && diag->eu)
				diag->eu[i * n + j] = eij;
			pl__eu_offer(k, i, j, eij, eji, pick);
		}
	}
	k->xn[i] = pl__eu_take(k, i, pick);
	for (int kind = 0; diag && diag->move && kind < 3; kind++)
		if (pick[kind].have) {
			diag->move[i] = kind + 1;
			diag->partner[i] = pick[kind].from;
			break;
		}
}

/* A confrontation before a compromise before a capitulation. */
double pl__eu_take(const eu_work *k, size_t i, const eu_pick pick[3])
{
	for (int kind = 0; kind < 3; kind++)
		if (pick[kind].have)
			return pick[kind].target;
	return k->x[i];
}

static void fill_diag(const eu_work *k, pl__eu_diag *diag)
{
	size_t n = k->n, m = k->m;
	for (size_t i = 0; i < n; i++) {
		if (diag->r)
			diag->r[i] = k->r[i];
		if (diag->danger)
			diag->danger[i] = k->danger[i];
		if (diag->move) {
			diag->move[i] = PL_EU_STAY;
			diag->partner[i] = i;
		}
		for (size_t j = 0; j < n; j++) {
			if (diag->eu)
				diag->eu[i * n + j] = 0;
			if (diag->prob)
				diag->prob[i * n + j] = k->prob[k->pos_of[i] * m + k->pos_of[j]];
		}
	}
}

/* One round on positions sorted in k->ord; returns how many actors moved. */
static size_t eu_round(eu_work *k, pl__eu_diag *diag)
{
	size_t n = k->n;
	if (k->stream) {
		pl__eu_stream_round(k);
	} else {
		pl__eu_distinct_positions(k);
		k->mu = k->cfg.q < 1 ? pl__eu_central(k, k->cfg.mu) : 0;
		pl__eu_risk_exponents(k);
		if (k->cfg.prob == PL_EU_PROB_GLOBAL) {
			for (size_t i = 0; i < n; i++)
				k->rv[i] = k->r[i];
			pl__eu_vote_tables_powered(k);
		}
		if (diag)
			fill_diag(k, diag);
		for (size_t t = 0; t < n; t++) {
			size_t i = k->ord[t].i, twin = diag ? n : pl__eu_twin_of(k, t);
			if (twin < n)
				k->xn[i] = k->xn[twin];
			else
				choose_move(k, i, diag);
		}
	}
	size_t moved = 0;
	for (size_t i = 0; i < n; i++) {
		moved += k->xn[i] != k->x[i];
		k->x[i] = k->xn[i];
	}
	pl__eu_sort_actors(k, 0);
	return moved;
}

/* ---- running ------------------------------------------------------------- */

static double start_range(const pl_issue_view *v)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < v->n; i++) {
		lo = fmin(lo, v->pos[i]);
		hi = fmax(hi, v->pos[i]);
	}
	return v->n ? hi - lo : 0;
}

/* Why the model cannot move at all, or NULL when it can. */
static const char *degenerate(const eu_work *k, const pl_issue_view *v, double range)
{
	double wsum = 0;
	for (size_t i = 0; i < k->n; i++)
		wsum += k->w[i];
	if (k->n < 2 || start_range(v) == 0)
		return "all positions are equal: no one has a reason to move";
	if (!(wsum > 0))
		return "every actor has capability x salience 0: no votes, so no one moves";
	if (!(range > 0) || !isfinite(range))
		return "the distance scale has no width: no one moves";
	return NULL;
}

/* A run whose positions came back to those of an earlier round: the
 * rounds repeat from round `from` every `period` rounds (0: no cycle). */
typedef struct eu_cycle {
	size_t from, period;
} eu_cycle;

/* The note on a cycle and its stats (pl__outcome_cycle: cycle, cycle_low,
 * cycle_high, cycle_mean); with last, the forecast stays the last round's. */
static int note_cycle(pl_outcome_buf *out, size_t base, eu_cycle c, int last)
{
	double lo, hi;
	int rc = pl__outcome_cycle(out, base, c.from, c.period, last, &lo, &hi);
	char note[512];
	if (!rc)
		pl__cycle_text(note, sizeof note, out, base, c.from, c.period, last, "eu", "round");
	return rc ? rc : pl__outcome_set_note(out, "%s", note);
}

static int finish(eu_work *k, pl_outcome_buf *out, const char *why, int stable, size_t played,
		  size_t moves, size_t base, eu_cycle cycle)
{
	int rc = PL_OK;
	if (why)
		rc = pl__outcome_set_note(out, "%s", why);
	else if (stable)
		rc = pl__outcome_set_note(out,
					  "stable after %zu round%s: no actor had an offer worth "
					  "taking",
					  played, played == 1 ? "" : "s");
	else if (cycle.period)
		rc = note_cycle(out, base, cycle, k->cfg.cycle_last);
	if (!rc)
		rc = pl__outcome_add_stat(out, "median", pl__eu_central(k, PL_EU_MEDIAN));
	if (!rc)
		rc = pl__outcome_add_stat(out, "mean", pl__eu_central(k, PL_EU_MEAN));
	if (!rc)
		rc = pl__outcome_add_stat(out, "rounds", (double)played);
	if (!rc)
		rc = pl__outcome_add_stat(out, "moves", (double)moves);
	if (!rc)
		rc = pl__outcome_add_stat(out, "stable", why || stable ? 1 : 0);
	return rc;
}

/* The model's state is the positions alone (the range is fixed at the start,
 * the order of the actors follows from the positions), so once a row repeats
 * row s, every later round repeats the rounds after s: copies them. */
static int replay_cycle(eu_work *k, pl__eu_history *h, size_t s, pl_outcome_buf *out, int rounds,
			size_t *played, size_t *moves)
{
	int rc = pl__eu_history_replay(h, s, out, (size_t)rounds, k->x, played, moves);
	pl__eu_sort_actors(k, 0);
	return rc;
}

int pl__eu_run(const pl__eu_config *cfg, const pl_issue_view *v, int rounds, pl_outcome_buf *out,
	       pl__eu_diag *diag, pl_error *err)
{
	eu_work k = {0};
	pl__eu_history h = {0};
	size_t n = v->n;
	/* the tables are faster while they are small; diagnostics read them */
	k.stream = !diag && (cfg->path == PL_EU_PATH_STREAM ||
			     (cfg->path == PL_EU_PATH_AUTO && n > PL_EU_TABLE_MAX));
	int rc = pl__eu_work_alloc(&k, n);
	if (rc) {
		pl__eu_work_free(&k);
		return pl_error_set(err, rc, "eu", "out of memory");
	}
	k.n = n;
	k.sal = v->sal;
	k.cfg = *cfg;
	for (size_t i = 0; i < n; i++) {
		k.w[i] = v->cap[i] * v->sal[i];
		k.x[i] = v->pos[i];
	}
	pl__power_weights(n, v->cap, v->sal, k.cw);
	double range = cfg->range == PL_EU_RANGE_SCALE ? v->max - v->min : start_range(v);
	k.inv_range = 1 / range;
	pl__eu_sort_actors(&k, 1);

	const char *why = n ? degenerate(&k, v, range) : "no actors";
	size_t played = 0, moves = 0;
	int stable = 0;
	eu_cycle cycle = {0, 0};
	h.base = out->o.positions ? out->o.n_rounds + 1 : 0;
	if (n)
		rc = pl__outcome_push_round(out, k.x, pl__eu_central(&k, k.cfg.forecast));
	if (!rc && n && !why)
		rc = pl__eu_history_add(&h, k.x, n, 0);
	for (int round = 0; !rc && !why && round < rounds; round++) {
		k.round_at = round;
		size_t moved = eu_round(&k, round == 0 ? diag : NULL);
		pl__engine_progress(cfg->args, round + 1);
		if (moved == 0) {
			stable = 1;
			break;
		}
		moves += moved;
		played++;
		rc = pl__outcome_push_round(out, k.x, pl__eu_central(&k, k.cfg.forecast));
		if (!rc)
			rc = pl__eu_history_add(&h, k.x, n, moved);
		size_t s = rc ? h.len : pl__eu_history_repeat(&h, out, n);
		if (s < h.len) {
			cycle = (eu_cycle){s, h.len - 1 - s};
			rc = replay_cycle(&k, &h, s, out, rounds, &played, &moves);
			break;
		}
	}
	if (!rc && n)
		rc = finish(&k, out, why, stable, played, moves, h.base, cycle);
	pl__eu_work_free(&k);
	pl__eu_history_free(&h);
	if (rc)
		return pl_error_set(err, rc, "eu", "out of memory");
	return PL_OK;
}

void pl__eu_config_from_args(const pl_engine_args *args, pl__eu_config *cfg_out)
{
	pl__eu_config cfg;
	pl__eu_config_default(&cfg);
	cfg.prob = args->param[P_PROB].choice;
	cfg.perspective = args->param[P_PERSPECTIVE].choice;
	cfg.compromise = args->param[P_COMPROMISE].choice;
	cfg.capitulation = args->param[P_CAPITULATION].choice == 0;
	cfg.range = args->param[P_RANGE].choice;
	cfg.q = args->param[P_Q].d;
	cfg.t = args->param[P_T].d;
	cfg.mu = args->param[P_MU].choice;
	cfg.forecast = args->param[P_FORECAST].choice;
	cfg.cycle_last = args->param[P_CYCLE].choice == 1;
	cfg.args = args;
	*cfg_out = cfg;
}

static int run(const pl_issue_view *v, const pl_engine_args *args, pl_outcome_buf *out,
	       pl_error *err)
{
	pl__eu_config cfg;
	pl__eu_config_from_args(args, &cfg);
	return pl__eu_run(&cfg, v, args->rounds, out, NULL, err);
}

/* The batched form for sweeps (engine_impl.h's pl__batch_ops): samples
 * four at a time through eu_batch.c, where this CPU has AVX2 and the
 * parameters are ones it supports. */
typedef struct eu_sweep_batch {
	pl__eu_config cfg;
	int rounds;
	pl__eu_batch *b;
} eu_sweep_batch;

static int batch_open(const pl_engine_args *args, size_t max_n, void **out)
{
	*out = NULL;
	if (!pl__eu_batch_available() || args->rounds < 1)
		return PL_OK;
	pl__eu_config cfg;
	pl__eu_config_from_args(args, &cfg);
	if (!pl__eu_batch_supports(&cfg, 2))
		return PL_OK;
	eu_sweep_batch *s = malloc(sizeof *s);
	if (!s)
		return PL_ENOMEM;
	s->cfg = cfg;
	s->rounds = args->rounds;
	s->b = pl__eu_batch_new(max_n < PL_EU_BATCH_MAX_N ? max_n : PL_EU_BATCH_MAX_N,
				PL_EU_ISA_AVX2);
	if (!s->b) {
		free(s);
		return PL_ENOMEM;
	}
	*out = s;
	return PL_OK;
}

static void batch_run(void *b, size_t n, size_t count, const double *pos, const double *sal,
		      const double *cap, double lo, double hi, double *forecast,
		      unsigned char *cycling, unsigned char *taken)
{
	eu_sweep_batch *s = b;
	pl__eu_batch_run(s->b, &s->cfg, s->rounds, n, count, pos, sal, cap, lo, hi, forecast,
			 cycling, taken);
}

static void batch_close(void *b)
{
	eu_sweep_batch *s = b;
	pl__eu_batch_free(s->b);
	free(s);
}

static const pl__batch_ops eu_batch_ops = {batch_open, batch_run, batch_close};

const struct pl_engine pl_engine_eu = {
	.name = "eu",
	.summary = "Bueno de Mesquita's expected utility (Scholz et al. 2011)",
	.dynamic = 1,
	.default_rounds = 10,
	.params = eu_params,
	.n_params = N_EU_PARAMS,
	.run_issue = run,
	.batch = &eu_batch_ops,
};
