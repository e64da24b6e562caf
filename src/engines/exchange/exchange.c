/* exchange.c - the exchange engine: Stokman and Van Oosten's exchange model
 * in its Equal-Gain form, as Decide implements it (docs/models/exchange.md).
 * This file reads the case into 0-100 positions, plays the rounds
 * (xch_round.c), and writes each issue's outcome and the list of exchanges
 * carried out. */
#include "engines/engine_impl.h"
#include "engines/exchange/xch.h"

#include <stdlib.h>
#include <string.h>

enum { P_P, P_RATE, P_CYCLE, N_PARAMS };

static const char *const rate_choices[] = {"equal", "random", NULL};

static const pl_param_spec specs[N_PARAMS] = {
	[P_P] = {.info = {"p", "0",
			  "Decide's randomisation: 0 is Equal Gain; above 0 one actor of "
			  "each exchange, drawn at random (--seed), gains up to p of the way "
			  "to its largest or smallest possible gain",
			  NULL},
		 .kind = PL_PARAM_NUMBER,
		 .lo = 0,
		 .hi = 1},
	[P_RATE] = {.info = {"rate", "equal",
			     "exchange rates: 'equal' (Equal Gain) or 'random' (the random-rate "
			     "model: each exchange's ratios drawn at random, --seed)",
			     rate_choices},
		    .kind = PL_PARAM_CHOICE},
	[P_CYCLE] = PL__CYCLE_PARAM,
};

/* The case as the model reads it. */
typedef struct xin {
	size_t n, d;
	double *pos, *sal, *pow, *den, *lo, *step;
	unsigned char *present;
	size_t **actor; /* per issue, the actors taking part */
	size_t *n_in;
} xin;

static void xin_free(xin *x)
{
	for (size_t i = 0; x->actor && i < x->d; i++)
		free(x->actor[i]);
	free(x->actor);
	free(x->n_in);
	free(x->pos);
	free(x->sal);
	free(x->pow);
	free(x->den);
	free(x->lo);
	free(x->present);
}

static int read_issue(const pl_case *c, size_t i, size_t forum, xin *x, pl_error *err)
{
	pl_issue_view v;
	pl_issue_view_buf *buf;
	int rc = pl_case_issue_view(c, i, forum, &v, &buf, err);
	if (rc)
		return rc;
	size_t d = x->d;
	x->lo[i] = v.min;
	x->step[i] = 100.0 / (v.max - v.min);
	x->actor[i] = malloc((v.n + 1) * sizeof **x->actor);
	if (!x->actor[i]) {
		pl_issue_view_buf_free(buf);
		return pl_error_set(err, PL_ENOMEM, "exchange", "out of memory");
	}
	x->n_in[i] = v.n;
	x->den[i] = 0;
	for (size_t k = 0; k < v.n; k++) {
		size_t a = v.actor[k];
		x->actor[i][k] = a;
		x->present[a * d + i] = 1;
		x->pos[a * d + i] = (v.pos[k] - v.min) * x->step[i];
		x->sal[a * d + i] = v.sal[k];
		x->pow[a * d + i] = v.cap[k];
		x->den[i] += v.sal[k] * v.cap[k];
	}
	pl_issue_view_buf_free(buf);
	if (!(x->den[i] > 0))
		return pl_error_set(err, PL_EINPUT, pl_case_issue(c, i)->id,
				    "exchange: no actor takes part in this issue with a salience "
				    "and a capability above 0");
	return PL_OK;
}

static int read_input(const pl_case *c, size_t forum, xin *x, pl_error *err)
{
	size_t n = pl_case_n_actors(c), d = pl_case_n_issues(c);
	x->n = n;
	x->d = d;
	x->pos = calloc(n * d + 1, sizeof *x->pos);
	x->sal = calloc(n * d + 1, sizeof *x->sal);
	x->pow = calloc(n * d + 1, sizeof *x->pow);
	x->den = calloc(d + 1, sizeof *x->den);
	x->lo = calloc(2 * d + 1, sizeof *x->lo);
	x->step = x->lo ? x->lo + d : NULL;
	x->present = calloc(n * d + 1, 1);
	x->actor = calloc(d + 1, sizeof *x->actor);
	x->n_in = calloc(d + 1, sizeof *x->n_in);
	if (!x->pos || !x->sal || !x->pow || !x->den || !x->lo || !x->present || !x->actor ||
	    !x->n_in)
		return pl_error_set(err, PL_ENOMEM, "exchange", "out of memory");
	for (size_t i = 0; i < d; i++) {
		int rc = read_issue(c, i, forum, x, err);
		if (rc)
			return rc;
	}
	return PL_OK;
}

/* A 0-100 value back on issue i's scale (Decide's de_normalize). */
static double scale_back(const xin *x, size_t i, double v)
{
	return v == 0 ? x->lo[i] : v / x->step[i] + x->lo[i];
}

/* One row of every issue's outcome: the positions and their weighted mean. */
static int push_rows(const xin *x, const double *pos, pl_outcome_buf *outs, double *row)
{
	size_t d = x->d;
	for (size_t i = 0; i < d; i++) {
		double num = 0;
		for (size_t k = 0; k < x->n_in[i]; k++) {
			size_t a = x->actor[i][k];
			num += pos[a * d + i] * x->sal[a * d + i] * x->pow[a * d + i];
			row[k] = scale_back(x, i, pos[a * d + i]);
		}
		int rc = pl__outcome_push_round(&outs[i], row, scale_back(x, i, num / x->den[i]));
		if (rc)
			return rc;
	}
	return PL_OK;
}

static int log_exchanges(const xin *x, const xch_round *r, int round, pl_exchange_buf *b,
			 double *count)
{
	for (size_t k = 0; k < r->n_done; k++) {
		const xch_done *t = &r->done[k];
		count[t->issue[0]]++;
		count[t->issue[1]]++;
		if (!b)
			continue;
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 64;
			pl_exchange *nv = realloc(b->v, cap * sizeof *nv);
			if (!nv)
				return PL_ENOMEM;
			b->v = nv;
			b->cap = cap;
		}
		pl_exchange *e = &b->v[b->n++];
		e->round = round;
		for (int s = 0; s < 2; s++) {
			e->actor[s] = t->actor[s];
			e->issue[s] = t->issue[s];
			e->from[s] = scale_back(x, t->issue[s], t->from[s]);
			e->to[s] = scale_back(x, t->issue[s], t->to[s]);
			e->gain[s] = t->gain[s];
		}
	}
	return PL_OK;
}

/* An Equal-Gain run (p = 0: no draws) is a function of the positions each
 * round starts from, so when those come back to an earlier round's, bit for
 * bit, the rounds since then repeat for ever (docs/models/exchange.md,
 * "Cycles").  The draws of p > 0 and of rate=random depend on the round, so
 * their runs never repeat that way. */
typedef struct xch_cycle {
	size_t from, period; /* rows of the outcome */
	int seen;	     /* a repeat was found (a cycle, or rest) */
} xch_cycle;

static int note_start(const xch_model *m, pl__states *h, const double *start, xch_cycle *c)
{
	if (c->seen || m->p > 0 || m->random_rate)
		return PL_OK;
	size_t s;
	int rc = pl__states_add(h, start, &s);
	/* round k starts from state k - 1 and gives row k; state k equal to
	 * state s: round k + 1 repeats round s + 1, so rows s + 1 .. k cycle.
	 * A period of 1 is rest (no one moved) */
	c->seen = !rc && s + 1 < h->len;
	if (c->seen && s + 2 < h->len)
		*c = (xch_cycle){s + 1, h->len - 1 - s, 1};
	return rc;
}

static int play(const xin *x, const pl_engine_args *args, pl_outcome_buf *outs, double *count,
		xch_cycle *cycle)
{
	size_t n = x->n, d = x->d;
	xch_model m = {.n = n,
		       .d = d,
		       .sal = x->sal,
		       .pow = x->pow,
		       .present = x->present,
		       .den = x->den,
		       .p = args->param[P_P].d,
		       .random_rate = args->param[P_RATE].choice == 1,
		       .seed = args->seed};
	double *cur = malloc(3 * n * d * sizeof *cur + sizeof *cur);
	double *row = malloc((n + 1) * sizeof *row);
	double *num = malloc(2 * (d + 1) * sizeof *num);
	xch_round r = {.m = &m, .num = num, .nbs = num ? num + d + 1 : NULL};
	int rc = cur && row && num ? PL_OK : PL_ENOMEM;
	double *vote = cur ? cur + n * d : NULL, *next = vote ? vote + n * d : NULL;
	pl__states h;
	pl__states_init(&h, n * d);
	if (!rc) {
		memcpy(cur, x->pos, n * d * sizeof *cur);
		rc = push_rows(x, cur, outs, row);
	}
	if (!rc)
		rc = note_start(&m, &h, cur, cycle);
	for (int k = 1; !rc && k <= args->rounds; k++) {
		r.pos = cur;
		r.index = (uint32_t)k;
		rc = pl__xch_round(&r, vote, next);
		if (!rc)
			rc = push_rows(x, vote, outs, row);
		if (!rc)
			rc = log_exchanges(x, &r, k, args->exchanges, count);
		memcpy(cur, next, n * d * sizeof *cur);
		if (!rc)
			rc = note_start(&m, &h, cur, cycle);
	}
	pl__states_free(&h);
	pl__xch_round_free(&r);
	free(cur);
	free(row);
	free(num);
	return rc;
}

/* The forecast of a cycling run (pl__outcome_cycle) and the note. */
static int note_cycle(pl_outcome_buf *o, xch_cycle c, int last)
{
	double lo, hi;
	int rc = pl__outcome_cycle(o, 0, c.from, c.period, last, &lo, &hi);
	char note[512];
	if (!rc)
		pl__cycle_text(note, sizeof note, o, 0, c.from, c.period, last, "exchange",
			       "round");
	return rc ? rc : pl__outcome_set_note(o, "%s", note);
}

static int run_case(const pl_case *c, size_t forum, const pl_engine_args *args,
		    pl_outcome_buf *outs, pl_error *err)
{
	xin x = {0};
	if (args->param[P_RATE].choice == 1 && args->param[P_P].d > 0)
		return pl_error_set(err, PL_EINPUT, "exchange",
				    "p randomises Equal Gain; the random-rate model (rate=random) "
				    "draws its own rates: give one or the other");
	int rc = read_input(c, forum, &x, err);
	double *count = rc ? NULL : calloc(x.d + 1, sizeof *count);
	if (!rc && !count)
		rc = pl_error_set(err, PL_ENOMEM, "exchange", "out of memory");
	for (size_t i = 0; !rc && i < x.d; i++)
		if (pl__outcome_begin(&outs[i], i, x.n_in[i], x.actor[i]))
			rc = pl_error_set(err, PL_ENOMEM, "exchange", "out of memory");
	xch_cycle cy = {0, 0, 0};
	if (!rc && play(&x, args, outs, count, &cy))
		rc = pl_error_set(err, PL_ENOMEM, "exchange", "out of memory");
	for (size_t i = 0; !rc && i < x.d; i++)
		if (pl__outcome_add_stat(&outs[i], "exchanges", count[i]) ||
		    (cy.period && note_cycle(&outs[i], cy, args->param[P_CYCLE].choice == 1)))
			rc = pl_error_set(err, PL_ENOMEM, "exchange", "out of memory");
	free(count);
	xin_free(&x);
	return rc;
}

const struct pl_engine pl_engine_exchange = {
	.name = "exchange",
	.summary = "Stokman's exchange model (Equal Gain or random rates, as Decide): "
		   "actors trade moves across issues",
	.dynamic = 1,
	.multidim = 1,
	.default_rounds = 10,
	.params = specs,
	.n_params = N_PARAMS,
	.run_case = run_case,
};
