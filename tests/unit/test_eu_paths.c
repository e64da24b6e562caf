/* test_eu_paths.c - the eu engine's shortcuts give the same bits as the
 * long way round, on random cases: skipping the positions that cannot make
 * an offer (the path with diagnostics skips nothing), replaying a cycle of
 * positions (each round recomputed alone from the row before it), a
 * longer run starting with the rows of a shorter one, and the streaming
 * path (O(n) memory, eu_stream.c) against the tables' path. */
#include "helpers.h"

#include "engines/eu/eu.h"

#include <stdint.h>

enum { MAXN = 14, ROUNDS = 24 };

/* A random issue: positions continuous, on a coarse grid (ties, and cycles
 * through confrontations) or packed within 1e-7 of each other; saliences
 * often high, where offers are skipped. */
typedef struct rcase {
	size_t n, actor[MAXN];
	double pos[MAXN], sal[MAXN], cap[MAXN];
} rcase;

static void random_case(test_rng *r, rcase *c)
{
	c->n = 2 + test_rng_next(r) % (MAXN - 1);
	int kind = (int)(test_rng_next(r) % 3);
	for (size_t i = 0; i < c->n; i++) {
		c->actor[i] = i;
		c->pos[i] = kind == 0	? 100 * test_rng_unit(r)
			    : kind == 1 ? 10.0 * (double)(test_rng_next(r) % 11)
					: (test_rng_next(r) % 2 ? 50 + 1e-7 * test_rng_unit(r) : 100 * test_rng_unit(r));
		c->sal[i] = test_rng_next(r) % 2 ? 0.3 + 0.7 * test_rng_unit(r) : (double)(1 + test_rng_next(r) % 4) / 4;
		c->cap[i] = 1 + 99 * test_rng_unit(r);
	}
}

static pl_issue_view view_of(const rcase *c, const double *pos)
{
	return (pl_issue_view){c->n, c->actor, pos, c->sal, c->cap, 0, 100, 0, 0};
}

static void run(const pl__eu_config *cfg, const pl_issue_view *v, int rounds, pl__eu_diag *d,
		pl_outcome_buf *o)
{
	memset(o, 0, sizeof *o);
	assert_int_equal(pl__outcome_begin(o, 0, v->n, v->actor), PL_OK);
	assert_int_equal(pl__eu_run(cfg, v, rounds, o, d, NULL), PL_OK);
}

static int same_bits(const double *a, const double *b, size_t n)
{
	return memcmp(a, b, n * sizeof *a) == 0;
}

/* One round with diagnostics (every pair priced, no twins, no skipping)
 * against one round without. */
static void skipped_offers_change_nothing(void **state)
{
	(void)state;
	test_rng r = {42};
	pl__eu_config cfg;
	pl__eu_config_default(&cfg);
	for (int it = 0; it < 3000; it++) {
		rcase c;
		random_case(&r, &c);
		pl_issue_view v = view_of(&c, c.pos);
		double rr[MAXN], danger[MAXN], prob[MAXN * MAXN], eu[MAXN * MAXN];
		int move[MAXN];
		size_t partner[MAXN];
		pl__eu_diag d = {rr, danger, prob, eu, move, partner};
		pl_outcome_buf full, fast;
		run(&cfg, &v, 1, &d, &full);
		run(&cfg, &v, 1, NULL, &fast);
		assert_int_equal(full.o.n_rounds, fast.o.n_rounds);
		assert_true(
			same_bits(full.o.positions, fast.o.positions, (full.o.n_rounds + 1) * c.n));
		pl__outcome_free(&full);
		pl__outcome_free(&fast);
	}
}

/* With the distance scale fixed (range=scale) a round depends on the row
 * before it alone, so each row must be what one round from the previous
 * row gives, whether the run computed it or replayed it. */
static void replayed_cycles_are_the_rounds(void **state)
{
	(void)state;
	test_rng r = {7};
	pl__eu_config cfg;
	pl__eu_config_default(&cfg);
	cfg.range = PL_EU_RANGE_SCALE;
	int cycles = 0;
	for (int it = 0; it < 600; it++) {
		rcase c;
		random_case(&r, &c);
		pl_issue_view v = view_of(&c, c.pos);
		pl_outcome_buf o;
		run(&cfg, &v, ROUNDS, NULL, &o);
		size_t n = c.n, rows = o.o.n_rounds + 1;
		for (size_t t = 0; t + 1 < rows; t++) {
			pl_issue_view vt = view_of(&c, o.o.positions + t * n);
			pl_outcome_buf one;
			run(&cfg, &vt, 1, NULL, &one);
			assert_int_equal(one.o.n_rounds, 1);
			assert_true(same_bits(one.o.positions + n, o.o.positions + (t + 1) * n, n));
			assert_true(one.o.round_forecast[1] == o.o.round_forecast[t + 1]);
			pl__outcome_free(&one);
			if (t >= 2 &&
			    same_bits(o.o.positions + t * n, o.o.positions + (t - 2) * n, n))
				cycles++;
		}
		pl__outcome_free(&o);
	}
	assert_true(cycles > 0); /* the cases do exercise the replay */
}

/* A longer run starts with the rows, and a stopped run ends with the stats,
 * of a shorter one. */
static void longer_runs_extend_shorter_ones(void **state)
{
	(void)state;
	test_rng r = {99};
	pl__eu_config cfg;
	pl__eu_config_default(&cfg);
	for (int it = 0; it < 600; it++) {
		rcase c;
		random_case(&r, &c);
		pl_issue_view v = view_of(&c, c.pos);
		int k = 1 + (int)(test_rng_next(&r) % 12);
		pl_outcome_buf a, b;
		run(&cfg, &v, k, NULL, &a);
		run(&cfg, &v, ROUNDS, NULL, &b);
		assert_true(a.o.n_rounds <= b.o.n_rounds);
		assert_true(same_bits(a.o.positions, b.o.positions, (a.o.n_rounds + 1) * c.n));
		if (b.o.n_rounds < (size_t)k) /* stopped early: the same run */
			assert_true(a.o.n_rounds == b.o.n_rounds &&
				    pl_outcome_stat(&a.o, "moves") ==
					    pl_outcome_stat(&b.o, "moves"));
		pl__outcome_free(&a);
		pl__outcome_free(&b);
	}
}

/* A run that does not come to rest says so: the stats cycle (the period),
 * cycle_low and cycle_high (the forecast's range over the cycle), the same
 * for a longer run; the last rows do repeat with that period; and a run
 * that stops, or never repeats, has no cycle stats. */
static void cycles_are_reported(void **state)
{
	(void)state;
	test_rng r = {2024};
	pl__eu_config cfg;
	pl__eu_config_default(&cfg);
	int seen = 0;
	for (int it = 0; it < 600; it++) {
		rcase c;
		random_case(&r, &c);
		pl_issue_view v = view_of(&c, c.pos);
		pl_outcome_buf a, b;
		run(&cfg, &v, ROUNDS, NULL, &a);
		run(&cfg, &v, ROUNDS + 7, NULL, &b);
		double period = pl_outcome_stat(&a.o, "cycle");
		if (isnan(period)) {
			assert_true(isnan(pl_outcome_stat(&a.o, "cycle_low")));
			if (a.o.n_rounds == ROUNDS && a.o.n_rounds >= 2)
				assert_false(same_bits(a.o.positions + a.o.n_rounds * c.n,
						       a.o.positions + (a.o.n_rounds - 2) * c.n, c.n));
		} else {
			seen++;
			size_t p = (size_t)period, last = a.o.n_rounds;
			assert_true(p >= 2 && p <= last);
			assert_true(pl_outcome_stat(&a.o, "stable") == 0);
			assert_true(same_bits(a.o.positions + last * c.n,
					      a.o.positions + (last - p) * c.n, c.n));
			double lo = INFINITY, hi = -INFINITY;
			for (size_t t = last - p + 1; t <= last; t++) {
				lo = fmin(lo, a.o.round_forecast[t]);
				hi = fmax(hi, a.o.round_forecast[t]);
			}
			assert_true(pl_outcome_stat(&a.o, "cycle_low") == lo);
			assert_true(pl_outcome_stat(&a.o, "cycle_high") == hi);
			assert_non_null(a.o.note);
			assert_non_null(strstr(a.o.note, "no rest"));
			assert_true(pl_outcome_stat(&b.o, "cycle") == period);
			assert_true(pl_outcome_stat(&b.o, "cycle_low") == lo);
			assert_true(pl_outcome_stat(&b.o, "cycle_high") == hi);
		}
		pl__outcome_free(&a);
		pl__outcome_free(&b);
	}
	assert_true(seen > 0); /* the cases do exercise cycles */
}

/* The streaming path (no pairwise tables) gives the bits of the tables'
 * path: every row, the forecasts and the stats, in every variant. */
static void streaming_gives_the_tables_bits(void **state)
{
	(void)state;
	test_rng r = {1801};
	for (int it = 0; it < 3000; it++) {
		rcase c;
		random_case(&r, &c);
		pl__eu_config cfg;
		pl__eu_config_default(&cfg);
		int variant = it % 8;
		cfg.prob = variant == 1 ? PL_EU_PROB_PAIRWISE : PL_EU_PROB_GLOBAL;
		cfg.perspective = variant == 2 ? PL_EU_PERSPECTIVE_EACH : PL_EU_PERSPECTIVE_OWN;
		cfg.q = variant == 3 ? 0.7 : 1;
		cfg.t = variant == 3 ? 0.4 : 1;
		cfg.mu = variant == 3 && it % 16 == 3 ? PL_EU_MEAN : PL_EU_MEDIAN;
		cfg.capitulation = variant == 4;
		cfg.compromise = variant == 5 ? PL_EU_COMPROMISE_NEAREST : PL_EU_COMPROMISE_LOWEST;
		cfg.range = variant == 6 ? PL_EU_RANGE_SCALE : PL_EU_RANGE_START;
		pl_issue_view v = view_of(&c, c.pos);
		pl_outcome_buf a, b;
		cfg.path = PL_EU_PATH_TABLES;
		run(&cfg, &v, ROUNDS, NULL, &a);
		cfg.path = PL_EU_PATH_STREAM;
		run(&cfg, &v, ROUNDS, NULL, &b);
		assert_int_equal(a.o.n_rounds, b.o.n_rounds);
		size_t rows = a.o.n_rounds + 1;
		assert_true(same_bits(a.o.positions, b.o.positions, rows * c.n));
		assert_true(same_bits(a.o.round_forecast, b.o.round_forecast, rows));
		assert_int_equal(a.o.n_stats, b.o.n_stats);
		for (size_t s = 0; s < a.o.n_stats; s++)
			assert_true(same_bits(&a.o.stats[s].value, &b.o.stats[s].value, 1));
		pl__outcome_free(&a);
		pl__outcome_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(skipped_offers_change_nothing),
		cmocka_unit_test(replayed_cycles_are_the_rounds),
		cmocka_unit_test(longer_runs_extend_shorter_ones),
		cmocka_unit_test(cycles_are_reported),
		cmocka_unit_test(streaming_gives_the_tables_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
