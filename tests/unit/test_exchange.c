/* test_exchange.c - the exchange engine's invariants: a two-actor trade
 * worked out by hand (docs/models/exchange.md), each round's forecast is the
 * weighted mean of its voting positions, every exchange moves both actors
 * with equal gains (p=0), runs are reproducible (p>0 and rate=random by
 * seed), the random rates stay within the two actors' salience ratios, and
 * an issue nobody weighs is refused. */
#include "helpers.h"

/* A cares about P, B about Q; they stand at opposite ends of both. */
static const char two[] = "#A;A\n#A;B\n#P;P\n#P;Q\n"
			  "#D;A;P;0;0.8;1\n#D;A;Q;0;0.2;1\n"
			  "#D;B;P;100;0.2;1\n#D;B;Q;100;0.8;1\n";

static pl_result *run(const pl_case *c, const char *param, uint64_t seed, int rounds)
{
	pl_error err;
	pl_error_clear(&err);
	pl_params *p = pl_params_new();
	if (param)
		assert_int_equal(pl_params_parse(p, param, &err), PL_OK);
	pl_run_options o;
	pl_run_options_init(&o);
	o.params = p;
	o.seed = seed;
	o.rounds = rounds;
	pl_result *r = NULL;
	int rc = pl_forecast(c, pl_engine_find("exchange", NULL), &o, &r, &err);
	if (rc) {
		char buf[1024];
		print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
	}
	assert_int_equal(rc, PL_OK);
	pl_params_free(p);
	return r;
}

/* Round 1: A gives all of Q (0 -> 100), B all of P (100 -> 0): exchange
 * ratios 20 each, gain |20 x 0.2 - 20 x 0.8| = 12.  Next start: A on Q
 * 0.8 x 0.4 x 100 + 0.1 x 100 = 42, B on P 0.58 x 100 = 58.  Round 2: the
 * ratios are 58 x 0.2 = 11.6, gain 11.6 x 0.6 = 6.96. */
static void two_actors_by_hand(void **state)
{
	(void)state;
	pl_case *c = case_from(two, "two.txt");
	pl_result *r = run(c, NULL, 0, 2);
	assert_int_equal(pl_result_n_exchanges(r), 2);
	const pl_exchange *e = pl_result_exchange(r, 0);
	assert_int_equal(e->round, 1);
	assert_int_equal(e->actor[0], 0);
	assert_int_equal(e->issue[0], 1);
	assert_double_equal(e->from[0], 0, 1e-12);
	assert_double_equal(e->to[0], 100, 1e-12);
	assert_int_equal(e->actor[1], 1);
	assert_int_equal(e->issue[1], 0);
	assert_double_equal(e->to[1], 0, 1e-12);
	assert_double_equal(e->gain[0], 12, 1e-12);
	assert_double_equal(e->gain[1], 12, 1e-12);
	e = pl_result_exchange(r, 1);
	assert_int_equal(e->round, 2);
	assert_double_equal(e->from[0], 42, 1e-12);
	assert_double_equal(e->from[1], 58, 1e-12);
	assert_double_equal(e->gain[0], 6.96, 1e-12);
	const pl_outcome *p = pl_result_outcome(r, 0), *q = pl_result_outcome(r, 1);
	assert_int_equal(p->n_rounds, 2);
	assert_double_equal(p->round_forecast[0], 20, 1e-12);
	assert_double_equal(q->round_forecast[0], 80, 1e-12);
	assert_double_equal(p->round_forecast[1], 0, 1e-12);
	assert_double_equal(q->round_forecast[1], 100, 1e-12);
	assert_double_equal(p->forecast, 0, 1e-12);
	assert_double_equal(pl_outcome_stat(p, "exchanges"), 2, 0);
	pl_result_free(r);
	pl_case_free(c);
}

/* Five actors, three issues, scales other than 0-100, one missing stance. */
static const char five[] =
	"#A;a\n#A;b\n#A;c\n#A;d\n#A;e\n#P;x\n#M;x;-10\n#M;x;10\n#P;y\n#P;z\n#M;z;1\n#M;z;7\n"
	"#D;a;x;-10;0.9;3\n#D;a;y;20;0.3;3\n#D;a;z;2;0.5;3\n"
	"#D;b;x;5;0.4;2\n#D;b;y;90;0.8;2\n#D;b;z;6;0.6;2\n"
	"#D;c;x;10;0.7;1\n#D;c;y;40;0.5;1\n#D;c;z;1;0.9;1\n"
	"#D;d;x;-2;0.2;4\n#D;d;y;70;0.9;4\n"
	"#D;e;x;0;0.5;2\n#D;e;y;0;0.6;2\n#D;e;z;7;0.3;2\n";

/* Every round's forecast is the weighted mean of its voting positions, and
 * every position stays on its scale. */
static void check_weighted_means(const pl_case *c, const pl_result *r)
{
	for (size_t k = 0; k < pl_result_n_outcomes(r); k++) {
		const pl_outcome *o = pl_result_outcome(r, k);
		const pl_issue *is = pl_case_issue(c, o->issue);
		for (size_t t = 0; t <= o->n_rounds; t++) {
			double num = 0, den = 0;
			for (size_t a = 0; a < o->n_actors; a++) {
				const pl_stance *s = pl_case_stance(c, o->actor[a], o->issue);
				double x = o->positions[t * o->n_actors + a];
				assert_true(x >= is->min - 1e-9 && x <= is->max + 1e-9);
				num += x * s->salience * s->capability;
				den += s->salience * s->capability;
			}
			assert_double_equal(o->round_forecast[t], num / den, 1e-9);
		}
	}
}

static void rounds_are_weighted_means(void **state)
{
	(void)state;
	pl_case *c = case_from(five, "five.txt");
	pl_result *r = run(c, NULL, 0, 10);
	assert_true(pl_result_n_exchanges(r) > 0);
	check_weighted_means(c, r);
	/* the gains are equal and positive, the moves stay on the scales */
	for (size_t k = 0; k < pl_result_n_exchanges(r); k++) {
		const pl_exchange *e = pl_result_exchange(r, k);
		assert_double_equal(e->gain[0], e->gain[1], 1e-9);
		assert_true(e->gain[0] > 0);
		assert_true(e->issue[0] != e->issue[1] && e->actor[0] != e->actor[1]);
		for (int s = 0; s < 2; s++) {
			const pl_issue *is = pl_case_issue(c, e->issue[s]);
			assert_true(e->to[s] != e->from[s]);
			assert_true(e->to[s] >= is->min - 1e-9 && e->to[s] <= is->max + 1e-9);
		}
	}
	pl_result_free(r);
	pl_case_free(c);
}

static int same_results(const pl_result *a, const pl_result *b)
{
	if (pl_result_n_exchanges(a) != pl_result_n_exchanges(b))
		return 0;
	for (size_t k = 0; k < pl_result_n_outcomes(a); k++)
		if (pl_result_outcome(a, k)->forecast != pl_result_outcome(b, k)->forecast)
			return 0;
	return 1;
}

static void reproducible(void **state)
{
	(void)state;
	pl_case *c = case_from(five, "five.txt");
	pl_result *a = run(c, NULL, 1, 10), *b = run(c, NULL, 2, 10);
	assert_true(same_results(a, b)); /* p=0 does not draw */
	pl_result_free(a);
	pl_result_free(b);
	a = run(c, "p=0.5", 7, 10);
	b = run(c, "p=0.5", 7, 10);
	assert_true(same_results(a, b));
	int differs = 0;
	for (uint64_t seed = 8; seed < 12 && !differs; seed++) {
		pl_result *d = run(c, "p=0.5", seed, 10);
		differs = !same_results(a, d);
		pl_result_free(d);
	}
	assert_true(differs);
	pl_result *z = run(c, NULL, 7, 10);
	assert_false(same_results(a, z));
	pl_result_free(z);
	pl_result_free(a);
	pl_result_free(b);
	pl_case_free(c);
}

/* Random rates: A's salience ratio P:Q is 0.8:0.4, B's 0.2:0.8, so both
 * ratios are drawn from [s_BQ / s_AQ, s_AP / s_BP] = [2, 4]; A gives on Q
 * by dq S_Q / (c s_AQ) = 3 dq, within [6, 12] (short of B's position, so
 * uncapped); B moves all the way to A on P.  The gains are
 * |dq s_AQ - dp s_AP| for A and |dp s_BP - dq s_BQ| for B. */
static void random_rates_in_range(void **state)
{
	(void)state;
	pl_case *c = case_from("#A;A\n#A;B\n#P;P\n#P;Q\n"
			       "#D;A;P;0;0.8;1\n#D;A;Q;0;0.4;1\n"
			       "#D;B;P;100;0.2;1\n#D;B;Q;100;0.8;1\n",
			       "rates.txt");
	double lo = 13, hi = -1;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		pl_result *r = run(c, "rate=random", seed, 1);
		assert_int_equal(pl_result_n_exchanges(r), 1);
		const pl_exchange *e = pl_result_exchange(r, 0);
		assert_int_equal(e->actor[0], 0);
		assert_int_equal(e->issue[0], 1);
		double move = e->to[0] - e->from[0], dq = move / 3;
		assert_true(move >= 6 - 1e-9 && move <= 12 + 1e-9);
		assert_double_equal(e->to[1], 0, 1e-12); /* B all the way */
		lo = fmin(lo, move);
		hi = fmax(hi, move);
		/* dp from B's gain |0.2 dp - 0.8 dq|, then A's gain |0.4 dq - 0.8 dp|
		 * must follow from it, with dp in [2, 4] */
		int found = 0;
		for (int sgn = -1; sgn <= 1; sgn += 2) {
			double dp = (0.8 * dq + sgn * e->gain[1]) / 0.2;
			if (dp >= 2 - 1e-9 && dp <= 4 + 1e-9 &&
			    fabs(fabs(0.4 * dq - 0.8 * dp) - e->gain[0]) < 1e-9)
				found = 1;
		}
		assert_true(found);
		check_weighted_means(c, r);
		pl_result_free(r);
	}
	assert_true(hi - lo > 1); /* the draws vary with the seed */
	pl_case_free(c);
}

/* The random-rate model on five actors: weighted means, moves on the
 * scales, the same run for the same seed, another for another seed; p
 * (which randomises Equal Gain) is refused with it. */
static void random_rate_runs(void **state)
{
	(void)state;
	pl_case *c = case_from(five, "five.txt");
	pl_result *a = run(c, "rate=random", 3, 10), *b = run(c, "rate=random", 3, 10);
	assert_true(pl_result_n_exchanges(a) > 0);
	check_weighted_means(c, a);
	assert_true(same_results(a, b));
	for (size_t k = 0; k < pl_result_n_exchanges(a); k++) {
		const pl_exchange *e = pl_result_exchange(a, k);
		assert_true(e->issue[0] != e->issue[1] && e->actor[0] != e->actor[1]);
		for (int s = 0; s < 2; s++) {
			const pl_issue *is = pl_case_issue(c, e->issue[s]);
			assert_true(e->to[s] >= is->min - 1e-9 && e->to[s] <= is->max + 1e-9);
			assert_true(e->gain[s] >= 0);
		}
	}
	int differs = 0;
	for (uint64_t seed = 4; seed < 10 && !differs; seed++) {
		pl_result *d = run(c, "rate=random", seed, 10);
		differs = !same_results(a, d);
		pl_result_free(d);
	}
	assert_true(differs);
	pl_result *eg = run(c, NULL, 3, 10);
	assert_false(same_results(a, eg));
	pl_result_free(eg);
	pl_result_free(a);
	pl_result_free(b);

	pl_error err;
	pl_error_clear(&err);
	pl_params *p = pl_params_new();
	assert_int_equal(pl_params_parse(p, "rate=random", &err), PL_OK);
	assert_int_equal(pl_params_parse(p, "p=0.5", &err), PL_OK);
	pl_run_options o;
	pl_run_options_init(&o);
	o.params = p;
	pl_result *r = NULL;
	assert_int_equal(pl_forecast(c, pl_engine_find("exchange", NULL), &o, &r, &err), PL_EINPUT);
	char buf[512];
	assert_non_null(strstr(pl_error_format(&err, buf, sizeof buf), "rate=random"));
	pl_params_free(p);
	pl_case_free(c);
}

static void refuses_an_issue_nobody_weighs(void **state)
{
	(void)state;
	pl_case *c = case_from("#A;a\n#A;b\n#P;p\n#P;q\n#D;a;p;0;0;1\n#D;b;p;9;0;1\n"
			       "#D;a;q;0;0.5;1\n#D;b;q;9;0.5;1\n",
			       "zero.txt");
	pl_error err;
	pl_error_clear(&err);
	pl_run_options o;
	pl_run_options_init(&o);
	pl_result *r = NULL;
	const pl_engine *e = pl_engine_find("exchange", NULL);
	int rc = pl_forecast(c, e, &o, &r, &err);
	assert_int_equal(rc, PL_EINPUT);
	assert_true(pl_forecast_cannot_run(e, &o, rc));
	char buf[512];
	assert_non_null(strstr(pl_error_format(&err, buf, sizeof buf), "p: exchange: no actor"));
	pl_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_actors_by_hand),
		cmocka_unit_test(rounds_are_weighted_means),
		cmocka_unit_test(reproducible),
		cmocka_unit_test(random_rates_in_range),
		cmocka_unit_test(random_rate_runs),
		cmocka_unit_test(refuses_an_issue_nobody_weighs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
