/* smp.c - the smp engine: KTAB's multi-dimensional Spatial Model of
 * Politics over all issues of a case at once.  This file turns a case and
 * the engine's parameters (KTAB's nine, with KTAB's names and defaults) into
 * a model, runs turns until KTAB's stopping rule holds, and writes the
 * per-turn positions and the final PCE over distinct positions into the
 * outcomes.  The turn itself is in smp_turn.c; docs/models/smp.md. */
#include "engines/engine_impl.h"
#include "engines/smp/smp_internal.h"
#include "parley/version.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const vpm_names[] = {"Linear", "Square", "Quartic", "Octic", "Binary", NULL};
static const char *const pcem_names[] = {"Conditional", "MarkovIncentive", "MarkovUniform", NULL};
static const char *const stm_names[] = {"Deterministic", "Stochastic", NULL};
static const char *const vr_names[] = {"Binary", "PropBin",   "Prop", "PropCbc",
				       "Cubic",	 "ASymProsp", NULL};
static const char *const radj_names[] = {"None", "OneThird", "Half", "TwoThirds", "Full", NULL};
static const char *const rrng_names[] = {"Min", "Mid", "Max", NULL};
static const char *const tpc_names[] = {"NoCommit", "SemiCommit", "FullCommit", NULL};
static const char *const ivb_names[] = {"S1P1", "S2P2", "S2PMax", NULL};
static const char *const bm_names[] = {"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp", NULL};

/* In alphabetical order (the registry's canonical parameter string). */
enum {
	P_BM,
	P_RADJ,
	P_RRNG,
	P_IDEAL,
	P_IVB,
	P_PCEM,
	P_STM,
	P_TPC,
	P_VPM,
	P_VR,
	P_CYCLE,
	P_LOG,
	P_THREADS,
	N_PARAMS
};

#define CHOICE(nm, def, help, list)                                                                \
	{                                                                                          \
		.info = {nm, def, help, list}, .kind = PL_PARAM_CHOICE                             \
	}

static const pl_param_spec specs[N_PARAMS] = {
	CHOICE("BargnModel", "InitOnlyInterp", "whose interpolation a bargain uses", bm_names),
	CHOICE("BigRAdjust", "OneThird",
	       "how far h's estimate of i's risk attitude leans to i's own", radj_names),
	CHOICE("BigRRange", "Mid", "range of risk attitudes: Min [0,1], Mid [-1/2,1], Max [-1,1]",
	       rrng_names),
	{.info = {"IdealAdjustment", "",
		  "ideal accommodation 'adjusting>reference=rate;...' by actor id (empty: "
		  "identity)",
		  NULL},
	 .kind = PL_PARAM_TEXT},
	CHOICE("InterVecBrgn", "S2P2", "bargain interpolation: salience^n x probability^m",
	       ivb_names),
	CHOICE("PCEModel", "Conditional", "probabilistic Condorcet election model", pcem_names),
	CHOICE("StateTransitions", "Deterministic", "most probable bargain, or drawn by the seed",
	       stm_names),
	CHOICE("ThirdPartyCommit", "SemiCommit", "how committed third parties are in a challenge",
	       tpc_names),
	CHOICE("VictoryProbModel", "Linear", "victory probability from coalition strengths",
	       vpm_names),
	CHOICE("VotingRule", "Prop", "vote as a function of the utility difference", vr_names),
	PL__CYCLE_PARAM,
	{.info = {"log", "", "write the challenges and bargains of every turn to this SQLite file",
		  NULL},
	 .kind = PL_PARAM_TEXT,
	 .execution = 1,
	 .single_run = 1},
	{.info = {"threads", "1", "worker threads (the result does not depend on it)", NULL},
	 .kind = PL_PARAM_INT,
	 .lo = 1,
	 .hi = 256,
	 .execution = 1},
};

/* The case seen as the model's arrays (issues are dimensions on [0, 1]). */
typedef struct smp_input {
	size_t n, d;
	size_t *actor;
	size_t *order, *rank; /* the id order (smp_model.order, .rank) */
	double *cap, *sal, *pos, *accom;
	size_t *left, n_left; /* actors left out: salience 0 wherever present */
} smp_input;

static void input_free(smp_input *in)
{
	free(in->actor);
	free(in->order);
	free(in->rank);
	free(in->cap);
	free(in->sal);
	free(in->pos);
	free(in->accom);
	free(in->left);
}

/* An actor takes no part in the run when its salience is 0 on every issue
 * where it has a stance: the run is then the run of the case without it
 * (docs/models/smp.md, "Salience 0").  Each view v[i] is replaced by a copy
 * without those actors, kept in keep[i] (freed by the caller). */
static int drop_silent(const pl_case *c, pl_issue_view *v, size_t d, smp_input *in, double **keep,
		       pl_error *err)
{
	const size_t na = pl_case_n_actors(c);
	unsigned char *seen = calloc(na ? 2 * na : 1, 1);
	in->left = malloc((na ? na : 1) * sizeof *in->left);
	if (!seen || !in->left) {
		free(seen);
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	}
	for (size_t i = 0; i < d; i++)
		for (size_t a = 0; a < v[i].n; a++) {
			seen[v[i].actor[a]] = 1;
			seen[na + v[i].actor[a]] |= v[i].sal[a] > 0;
		}
	for (size_t a = 0; a < na; a++)
		if (seen[a] && !seen[na + a])
			in->left[in->n_left++] = a;
	for (size_t i = 0; in->n_left && i < d; i++) {
		const size_t n = v[i].n ? v[i].n : 1;
		keep[i] = malloc(n * (3 * sizeof(double) + sizeof(size_t)));
		if (!keep[i]) {
			free(seen);
			return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
		}
		double *pos = keep[i], *sal = pos + n, *cap = sal + n;
		size_t *actor = (size_t *)(cap + n), m = 0;
		for (size_t a = 0; a < v[i].n; a++) {
			if (!seen[na + v[i].actor[a]])
				continue;
			actor[m] = v[i].actor[a];
			pos[m] = v[i].pos[a];
			sal[m] = v[i].sal[a];
			cap[m++] = v[i].cap[a];
		}
		v[i].n = m;
		v[i].actor = actor;
		v[i].pos = pos;
		v[i].sal = sal;
		v[i].cap = cap;
	}
	free(seen);
	return PL_OK;
}

static int check_views(const pl_case *c, const pl_issue_view *v, size_t d, pl_error *err)
{
	for (size_t i = 1; i < d; i++) {
		for (size_t a = 0, b = 0; a < v[0].n || b < v[i].n; a++, b++) {
			if (a < v[0].n && b < v[i].n && v[0].actor[a] == v[i].actor[b])
				continue;
			size_t who = a < v[0].n ? v[0].actor[a] : v[i].actor[b];
			size_t on = a < v[0].n ? i : 0;
			return pl_error_set(err, PL_EINPUT, pl_case_issue(c, on)->id,
					    "smp runs all issues at once and needs every actor's "
					    "stance on every issue; actor '%s' has none here",
					    pl_case_actor(c, who)->id);
		}
		for (size_t a = 0; a < v[0].n; a++)
			if (v[i].cap[a] != v[0].cap[a])
				return pl_error_set(
					err, PL_EINPUT, pl_case_issue(c, i)->id,
					"smp gives each actor one capability; actor '%s' has %g "
					"here and %g on issue '%s'",
					pl_case_actor(c, v[0].actor[a])->id, v[i].cap[a],
					v[0].cap[a], pl_case_issue(c, 0)->id);
	}
	return PL_OK;
}

typedef struct id_of {
	const char *id;
	size_t a;
} id_of;

static int by_id(const void *x, const void *y)
{
	return strcmp(((const id_of *)x)->id, ((const id_of *)y)->id);
}

/* The actors sorted by id (ids are unique in a case). */
static int id_order(const pl_case *c, smp_input *in, pl_error *err)
{
	const size_t n = in->n;
	id_of *ids = malloc(n * sizeof *ids);
	in->order = malloc(n * sizeof *in->order);
	in->rank = malloc(n * sizeof *in->rank);
	if (!ids || !in->order || !in->rank) {
		free(ids);
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	}
	for (size_t a = 0; a < n; a++)
		ids[a] = (id_of){pl_case_actor(c, in->actor[a])->id, a};
	qsort(ids, n, sizeof *ids, by_id);
	for (size_t q = 0; q < n; q++) {
		in->order[q] = ids[q].a;
		in->rank[ids[q].a] = q;
	}
	free(ids);
	return PL_OK;
}

/* smp's turn weighs every actor's challenge of every other on every issue
 * against every third actor's support, and runs two PCEs over all the
 * actors' positions: its cost grows with the cube of the actors (one core:
 * 500 take about 6 s, 1,000 about 40 s; 2,000 would take five minutes or
 * more), so larger cases are refused at once rather than left running
 * (docs/models/smp.md, "Cost"; docs/benchmarks.md).  KTAB's own limit is
 * 250. */
#define SMP_MAX_ACTORS 1000

static int fill_input(const pl_case *c, const pl_issue_view *v, smp_input *in, pl_error *err)
{
	const size_t n = v[0].n, d = in->d;
	if (n > SMP_MAX_ACTORS)
		return pl_error_set(err, PL_EINPUT, "smp",
				    "%zu actors: smp takes at most %d (its cost grows with the "
				    "cube of the actors: 1000 take about 40 s, 2000 would take "
				    "five minutes or more); the other engines take any number",
				    n, SMP_MAX_ACTORS);
	in->n = n;
	in->actor = malloc(n * sizeof *in->actor);
	in->cap = malloc(n * sizeof *in->cap);
	in->sal = malloc(n * d * sizeof *in->sal);
	in->pos = malloc(n * d * sizeof *in->pos);
	if (!in->actor || !in->cap || !in->sal || !in->pos)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	for (size_t a = 0; a < n; a++) {
		in->actor[a] = v[0].actor[a];
		in->cap[a] = v[0].cap[a];
		for (size_t k = 0; k < d; k++) {
			in->sal[a * d + k] = v[k].sal[a];
			in->pos[a * d + k] = (v[k].pos[a] - v[k].min) / (v[k].max - v[k].min);
		}
		if (!(in->cap[a] > 0))
			return pl_error_set(err, PL_EINPUT, pl_case_actor(c, in->actor[a])->id,
					    "smp needs a positive capability");
	}
	if (n < 2)
		return pl_error_set(err, PL_EINPUT, "smp",
				    "smp needs at least 2 actors with a salience above 0 on some "
				    "issue, found %zu",
				    n);
	return PL_OK;
}

static int find_actor(const pl_case *c, const smp_input *in, const char *id, size_t len,
		      size_t *out, pl_error *err)
{
	for (size_t a = 0; a < in->n; a++) {
		const char *aid = pl_case_actor(c, in->actor[a])->id;
		if (strlen(aid) == len && strncmp(aid, id, len) == 0) {
			*out = a;
			return PL_OK;
		}
	}
	return pl_error_set(err, PL_EINPUT, "IdealAdjustment",
			    "no actor '%.*s' takes part in this run", (int)len, id);
}

/* Parses "adj>ref=rate;..." into the accommodation matrix (identity where
 * unset) and checks KTAB's rules: rates in [0, 1], rows summing to <= 1. */
static int parse_accom(const pl_case *c, smp_input *in, const char *text, pl_error *err)
{
	const size_t n = in->n;
	if (!text[0])
		return PL_OK;
	in->accom = calloc(n * n, sizeof *in->accom);
	if (!in->accom)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	for (size_t i = 0; i < n; i++)
		in->accom[i * n + i] = 1.0;
	for (const char *p = text; *p;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *gt = memchr(p, '>', len), *eq = memchr(p, '=', len);
		if (!gt || !eq || eq < gt)
			return pl_error_set(err, PL_EINPUT, "IdealAdjustment",
					    "'%.*s' must be written adjusting>reference=rate",
					    (int)len, p);
		size_t a = 0, b = 0;
		int rc = find_actor(c, in, p, (size_t)(gt - p), &a, err);
		if (!rc)
			rc = find_actor(c, in, gt + 1, (size_t)(eq - gt - 1), &b, err);
		if (rc)
			return rc;
		char num[64];
		snprintf(num, sizeof num, "%.*s", (int)(len - (size_t)(eq + 1 - p)), eq + 1);
		char *stop;
		double r = strtod(num, &stop);
		if (stop == num || *stop || !(r >= 0 && r <= 1))
			return pl_error_set(err, PL_EINPUT, "IdealAdjustment",
					    "rate '%s' for %.*s must be a number in [0, 1]", num,
					    (int)(eq - p), p);
		in->accom[a * n + b] = r;
		p += len + (end ? 1 : 0);
	}
	int identity = 1;
	for (size_t i = 0; i < n; i++) {
		double s = 0;
		for (size_t j = 0; j < n; j++) {
			s += in->accom[i * n + j];
			identity &= in->accom[i * n + j] == (i == j ? 1.0 : 0.0);
		}
		if (s > 1.0 + 1e-10)
			return pl_error_set(err, PL_EINPUT, "IdealAdjustment",
					    "the rates of actor '%s' add up to %g; they may add up "
					    "to at most 1 (set its own rate below 1 to leave room)",
					    pl_case_actor(c, in->actor[i])->id, s);
	}
	if (identity) {
		free(in->accom);
		in->accom = NULL;
	}
	return PL_OK;
}

static int read_input(const pl_case *c, size_t forum, const pl_engine_args *args, smp_input *in,
		      pl_error *err)
{
	const size_t d = pl_case_n_issues(c);
	in->d = d;
	pl_issue_view *v = calloc(d, sizeof *v);
	pl_issue_view_buf **buf = calloc(d, sizeof *buf);
	double **keep = calloc(d, sizeof *keep);
	int rc = (!v || !buf || !keep) ? pl_error_set(err, PL_ENOMEM, "smp", "out of memory")
				       : PL_OK;
	for (size_t i = 0; !rc && i < d; i++)
		rc = pl_case_issue_view(c, i, forum, &v[i], &buf[i], err);
	if (!rc)
		rc = drop_silent(c, v, d, in, keep, err);
	if (!rc)
		rc = check_views(c, v, d, err);
	if (!rc)
		rc = fill_input(c, v, in, err);
	if (!rc)
		rc = id_order(c, in, err);
	if (!rc)
		rc = parse_accom(c, in, args->param[P_IDEAL].s, err);
	for (size_t i = 0; buf && i < d; i++)
		pl_issue_view_buf_free(buf[i]);
	for (size_t i = 0; keep && i < d; i++)
		free(keep[i]);
	free(v);
	free(buf);
	free(keep);
	return rc;
}

/* Per-turn record kept until the outcomes are written. */
typedef struct trace {
	double *pos; /* (turns + 1) x n x d, on [0, 1] */
	double *fc;  /* (turns + 1) x d: PCE-weighted mean of distinct positions */
	size_t rows, cap;
} trace;

/* A run with deterministic transitions whose state (the positions and the
 * ideals: everything a turn reads, docs/models/smp.md, "Cycles") comes back
 * to that of an earlier turn, bit for bit, repeats the turns since then for
 * ever; KTAB's stop rule, which those turns did not meet, then ends it only
 * at the turn limit.  Records the first repeat: the state after turn `from`
 * comes back every `period` turns. */
typedef struct smp_cycle {
	size_t from, period;
	int seen; /* a repeat was found (a cycle, or rest) */
} smp_cycle;

/* The PCE over distinct positions of the current state; fills fc[d]. */
static int state_forecast(smp_model *m, size_t *uniq, size_t *nu, double *prob, double *fc,
			  pl_error *err)
{
	int rc = pl__smp_final_pce(m, uniq, nu, prob, err);
	for (size_t k = 0; !rc && k < m->d; k++) {
		double s = 0;
		for (size_t q = 0; q < *nu; q++)
			s += prob[q] * m->pos[uniq[q] * m->d + k];
		fc[k] = s;
	}
	return rc;
}

static int trace_push(trace *t, smp_model *m, size_t *uniq, size_t *nu, double *prob, pl_error *err)
{
	const size_t nd = m->n * m->d;
	if (t->rows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		double *p = realloc(t->pos, cap * nd * sizeof *p);
		if (p)
			t->pos = p;
		double *f = realloc(t->fc, cap * m->d * sizeof *f);
		if (f)
			t->fc = f;
		if (!p || !f)
			return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
		t->cap = cap;
	}
	memcpy(t->pos + t->rows * nd, m->pos, nd * sizeof *m->pos);
	int rc = state_forecast(m, uniq, nu, prob, t->fc + t->rows * m->d, err);
	t->rows++;
	return rc;
}

/* KTAB's stop rule after turn t: t >= max, or t >= 2 and the last move is
 * under 2% of the first one. */
static int stop_now(const trace *t, size_t n, size_t d, int turn, int max_turns, double *ratio)
{
	const size_t nd = n * d;
	const double d01 = pl__smp_state_dist(t->pos, t->pos + nd, n, d) + SMP_MIN_SIG_DELTA;
	const double dxy = pl__smp_state_dist(t->pos + (size_t)(turn - 1) * nd,
					      t->pos + (size_t)turn * nd, n, d);
	*ratio = dxy / d01;
	return turn >= max_turns || (turn >= SMP_MIN_ITER && *ratio < SMP_MIN_DELTA_RATIO);
}

static const char *const p_names[] = {
#define P10(x)                                                                                     \
	"p_position_" #x "0", "p_position_" #x "1", "p_position_" #x "2", "p_position_" #x "3",    \
		"p_position_" #x "4", "p_position_" #x "5", "p_position_" #x "6",                  \
		"p_position_" #x "7", "p_position_" #x "8", "p_position_" #x "9"
	P10(), P10(1), P10(2), P10(3), P10(4), P10(5), P10(6), P10(7), P10(8), P10(9),
#undef P10
};
#define N_P_NAMES (sizeof p_names / sizeof p_names[0])

/* Writes the note listing the distinct final positions with their actors. */
static int write_note(pl_outcome_buf *o, const pl_case *c, const smp_model *m, const smp_input *in,
		      size_t issue, const size_t *uniq, size_t nu, const double *prob, smp_cycle cy,
		      int last)
{
	size_t cap = 1024 + nu * 64 + (m->n + in->n_left) * 32, used = 0;
	char *s = malloc(cap);
	size_t *owner = malloc(m->n * sizeof *owner);
	if (!s || !owner) {
		free(s);
		free(owner);
		return PL_ENOMEM;
	}
	s[0] = '\0';
	/* the first distinct position within tolerance claims the actor */
	for (size_t a = 0; a < m->n; a++) {
		owner[a] = nu;
		for (size_t r = 0; r < nu && owner[a] == nu; r++) {
			double e = 0;
			for (size_t k = 0; k < m->d; k++) {
				double x3 = m->pos[a * m->d + k] - m->pos[uniq[r] * m->d + k];
				e += x3 * x3;
			}
			if (sqrt(e) < SMP_POS_TOL)
				owner[a] = r;
		}
	}
	const pl_issue *is = pl_case_issue(c, issue);
	if (cy.period) {
		int w = pl__cycle_text(s, cap, o, 0, cy.from, cy.period, last, "smp", "turn");
		used = w > 0 && (size_t)w < cap - 3 ? (size_t)w : 0;
		used += (size_t)snprintf(s + used, cap - used, "; ");
	}
	if (in->n_left)
		used += (size_t)snprintf(s + used, cap - used, "left out (salience 0 on every issue):");
	for (size_t q = 0; q < in->n_left && used < cap; q++)
		used += (size_t)snprintf(s + used, cap - used, "%s%s", q ? "," : " ",
					 pl_case_actor(c, in->left[q])->id);
	if (in->n_left && used < cap)
		used += (size_t)snprintf(s + used, cap - used, "; ");
	used += (size_t)snprintf(s + used, cap - used,
				 "final PCE over %zu distinct positions:", nu);
	for (size_t q = 0; q < nu && used < cap; q++) {
		const double x = is->min + m->pos[uniq[q] * m->d + issue] * (is->max - is->min);
		used += (size_t)snprintf(s + used, cap - used, "%s p=%.4f at %.2f {", q ? ";" : "",
					 prob[q], x);
		int first = 1;
		for (size_t a = 0; a < m->n && used < cap; a++) {
			if (owner[a] != q)
				continue;
			used += (size_t)snprintf(s + used, cap - used, "%s%s", first ? "" : ",",
						 pl_case_actor(c, in->actor[a])->id);
			first = 0;
		}
		if (used < cap)
			used += (size_t)snprintf(s + used, cap - used, "}");
	}
	int rc = pl__outcome_set_note(o, "%s", s);
	free(s);
	free(owner);
	return rc;
}

static int write_outcomes(const pl_case *c, const smp_model *m, const smp_input *in, const trace *t,
			  const size_t *uniq, size_t nu, const double *prob, double ratio,
			  smp_cycle cy, int last, pl_outcome_buf *outs)
{
	const size_t n = m->n, d = m->d;
	double *row = malloc(n * sizeof *row);
	if (!row)
		return PL_ENOMEM;
	int rc = PL_OK;
	size_t top = 0;
	for (size_t q = 1; q < nu; q++)
		top = prob[q] > prob[top] ? q : top;
	for (size_t k = 0; !rc && k < d; k++) {
		const pl_issue *is = pl_case_issue(c, k);
		const double lo = is->min, span = is->max - is->min;
		rc = pl__outcome_begin(&outs[k], k, n, in->actor);
		for (size_t r = 0; !rc && r < t->rows; r++) {
			for (size_t a = 0; a < n; a++)
				row[a] = lo + t->pos[(r * n + a) * d + k] * span;
			rc = pl__outcome_push_round(&outs[k], row, lo + t->fc[r * d + k] * span);
		}
		if (!rc)
			rc = pl__outcome_add_stat(&outs[k], "turns", (double)(t->rows - 1));
		if (!rc)
			rc = pl__outcome_add_stat(&outs[k], "last_move_ratio", ratio);
		if (!rc)
			rc = pl__outcome_add_stat(&outs[k], "distinct_positions", (double)nu);
		if (!rc)
			rc = pl__outcome_add_stat(&outs[k], "most_likely_position",
						  lo + m->pos[uniq[top] * d + k] * span);
		if (!rc)
			rc = pl__outcome_add_stat(&outs[k], "p_most_likely", prob[top]);
		for (size_t q = 0; !rc && q < nu && q < N_P_NAMES; q++)
			rc = pl__outcome_add_stat(&outs[k], p_names[q], prob[q]);
		double clo, chi;
		if (!rc && cy.period)
			rc = pl__outcome_cycle(&outs[k], 0, cy.from, cy.period, last, &clo, &chi);
		if (!rc)
			rc = write_note(&outs[k], c, m, in, k, uniq, nu, prob, cy, last);
	}
	free(row);
	return rc;
}

static void set_params(smp_model *m, const pl_engine_args *args)
{
	const pl_param_value *p = args->param;
	m->par = (smp_params){
		.vpm = (smp_vpm)p[P_VPM].choice,
		.pcem = (smp_pcem)p[P_PCEM].choice,
		.stm = (smp_stm)p[P_STM].choice,
		.vr = (smp_vr)p[P_VR].choice,
		.radj = (smp_radj)p[P_RADJ].choice,
		.rrng = (smp_rrng)p[P_RRNG].choice,
		.tpc = (smp_tpc)p[P_TPC].choice,
		.ivb = (smp_ivb)p[P_IVB].choice,
		.bm = (smp_bm)p[P_BM].choice,
	};
	m->seed = args->seed;
	m->threads = (int)p[P_THREADS].d;
}

static int note_state(smp_model *m, pl__states *h, double *state, smp_cycle *c)
{
	const size_t nd = m->n * m->d;
	if (c->seen || m->par.stm != STM_DETERMINISTIC)
		return PL_OK;
	memcpy(state, m->pos, nd * sizeof *state);
	memcpy(state + nd, m->idl, nd * sizeof *state);
	size_t s;
	int rc = pl__states_add(h, state, &s);
	c->seen = !rc && s + 1 < h->len;
	if (c->seen && s + 2 < h->len) /* period 1 is rest: no one moved */
		*c = (smp_cycle){s, h->len - 1 - s, 1};
	return rc;
}

static int play(smp_model *m, const pl_engine_args *args, trace *t, size_t *uniq, size_t *nu,
		double *prob, double *ratio, smp_cycle *cycle, pl_error *err)
{
	pl__states h;
	pl__states_init(&h, 2 * m->n * m->d);
	double *state = malloc((2 * m->n * m->d + 1) * sizeof *state);
	int rc = state ? pl__smp_assess(m, err) : pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	if (!rc)
		rc = trace_push(t, m, uniq, nu, prob, err);
	if (!rc && note_state(m, &h, state, cycle))
		rc = pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	int turn = 1;
	for (; !rc; turn++) {
		rc = pl__smp_turn(m, err);
		if (!rc)
			rc = trace_push(t, m, uniq, nu, prob, err);
		pl__engine_progress(args, turn);
		if (!rc && note_state(m, &h, state, cycle))
			rc = pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
		if (!rc && stop_now(t, m->n, m->d, turn, args->rounds, ratio))
			break;
	}
	/* a repeat matters only when the run went on to the turn limit; one
	 * that KTAB's rule stopped (a first move too small to measure the
	 * others by) has an end of its own */
	if (!rc && turn >= SMP_MIN_ITER && *ratio < SMP_MIN_DELTA_RATIO)
		*cycle = (smp_cycle){0, 0, 1};
	free(state);
	pl__states_free(&h);
	return rc;
}

/* The log of this run (parameter log), with what the run was. */
static int open_log(const pl_case *c, size_t forum, const pl_engine_args *args, const smp_input *in,
		    smp_model *m, pl_error *err)
{
	const char **actor = malloc((in->n + in->d) * sizeof *actor);
	if (!actor)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	for (size_t a = 0; a < in->n; a++)
		actor[a] = pl_case_actor(c, in->actor[a])->id;
	for (size_t k = 0; k < in->d; k++)
		actor[in->n + k] = pl_case_issue(c, k)->id;
	smp_log_run run = {
		.case_id = pl_case_get_info(c)->id,
		.case_sha256 = pl_case_hash(c),
		/* the pseudo-forum of parley compare (docs/analysis/forums.md) */
		.forum = forum == PL_NO_FORUM ? "everyone" : pl_case_forum(c, forum)->id,
		.params = args->canonical,
		.version = pl_version(),
		.seed = args->seed,
		.rounds = args->rounds,
		.actor_id = actor,
		.dim_id = actor + in->n,
	};
	int rc = pl__smp_log_open(&m->log, args->param[P_LOG].s, m, &run, err);
	free(actor);
	return rc;
}

static int join_logs(size_t param, const char *path, const char *const *parts, size_t n,
		     pl_error *err)
{
	(void)param; /* log is smp's only record */
	return pl__smp_log_join(path, parts, n, err);
}

static int run_case(const pl_case *c, size_t forum, const pl_engine_args *args,
		    pl_outcome_buf *outs, pl_error *err)
{
	smp_input in = {0};
	smp_model m = {0};
	trace t = {0};
	size_t *uniq = NULL, nu = 0;
	double *prob = NULL, ratio = 0;
	smp_cycle cy = {0, 0, 0};
	int rc = read_input(c, forum, args, &in, err);
	if (!rc)
		rc = pl__smp_model_init(&m, in.n, in.d, in.cap, in.sal, in.pos, in.accom, err);
	if (!rc) {
		set_params(&m, args);
		m.order = in.order;
		m.rank = in.rank;
		uniq = malloc(in.n * sizeof *uniq);
		prob = malloc(in.n * sizeof *prob);
		if (!uniq || !prob)
			rc = pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	}
	const char *log_path = args->param[P_LOG].s;
	if (!rc && log_path[0])
		rc = open_log(c, forum, args, &in, &m, err);
	if (!rc)
		rc = play(&m, args, &t, uniq, &nu, prob, &ratio, &cy, err);
	if (m.log && !rc)
		rc = pl__smp_log_positions(m.log, &m, err);
	if (m.log) {
		int lrc = pl__smp_log_close(m.log, rc == PL_OK, err);
		rc = rc ? rc : lrc;
	}
	if (!rc && write_outcomes(c, &m, &in, &t, uniq, nu, prob, ratio, cy,
				  args->param[P_CYCLE].choice == 1, outs))
		rc = pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	free(t.pos);
	free(t.fc);
	free(uniq);
	free(prob);
	pl__smp_model_free(&m);
	input_free(&in);
	return rc;
}

const struct pl_engine pl_engine_smp = {
	.name = "smp",
	.summary = "KTAB's spatial model of politics: challenges and bargains over all issues",
	.dynamic = 1,
	.multidim = 1,
	.default_rounds = SMP_MAX_ITER,
	.params = specs,
	.n_params = N_PARAMS,
	.run_case = run_case,
	.join_records = join_logs,
};
