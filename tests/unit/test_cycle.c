/* test_cycle.c - the one rule for a dynamic engine whose run cycles (issue
 * 12; src/engines/cycle.c, outcome.c): the state history finds the first
 * earlier state equal bit for bit (so 0 and -0 differ), and a cycle's
 * forecast is the mean over one period (exactly the value when the period
 * gives one value), with its stats and note, or the last round's. */
#include "helpers.h"

#include "engines/engine_impl.h"

static void states_find_bitwise_repeats(void **state)
{
	(void)state;
	pl__states h;
	pl__states_init(&h, 2);
	const double a[2] = {1, 2}, b[2] = {1, 2.0000000000000004}, c[2] = {0.0, 5},
		     d[2] = {-0.0, 5};
	size_t s;
	assert_int_equal(pl__states_add(&h, a, &s), PL_OK);
	assert_int_equal(s, 0); /* its own index: no repeat */
	assert_int_equal(pl__states_add(&h, b, &s), PL_OK);
	assert_int_equal(s, 1); /* one bit apart is another state */
	assert_int_equal(pl__states_add(&h, c, &s), PL_OK);
	assert_int_equal(s, 2);
	assert_int_equal(pl__states_add(&h, d, &s), PL_OK);
	assert_int_equal(s, 3); /* -0 is not 0, bit for bit */
	for (int k = 0; k < 40; k++) /* past the first growth of the arrays */
		assert_int_equal(pl__states_add(&h, (double[2]){k + 10.0, 0}, &s), PL_OK);
	assert_int_equal(pl__states_add(&h, b, &s), PL_OK);
	assert_int_equal(s, 1);
	assert_int_equal(h.len, 45);
	pl__states_free(&h);
}

/* rows 0..4 with forecasts 5, 10, 6, 10, 6: from row 1 a cycle of 2 */
static void fill(pl_outcome_buf *o, const double *f, size_t n)
{
	const size_t actor[1] = {0};
	memset(o, 0, sizeof *o);
	assert_int_equal(pl__outcome_begin(o, 0, 1, actor), PL_OK);
	for (size_t r = 0; r < n; r++)
		assert_int_equal(pl__outcome_push_round(o, &f[r], f[r]), PL_OK);
}

static void cycle_mean_or_last(void **state)
{
	(void)state;
	const double f[5] = {5, 10, 6, 10, 6};
	pl_outcome_buf o;
	double lo, hi;
	fill(&o, f, 5);
	assert_int_equal(pl__outcome_cycle(&o, 0, 1, 2, 0, &lo, &hi), PL_OK);
	assert_true(o.o.forecast == 8);
	assert_true(lo == 6 && hi == 10);
	assert_true(pl_outcome_stat(&o.o, "cycle") == 2);
	assert_true(pl_outcome_stat(&o.o, "cycle_low") == 6);
	assert_true(pl_outcome_stat(&o.o, "cycle_high") == 10);
	assert_true(pl_outcome_stat(&o.o, "cycle_mean") == 8);
	char note[512];
	pl__cycle_text(note, sizeof note, &o, 0, 1, 2, 0, "smp", "turn");
	assert_non_null(strstr(note, "no rest: from turn 1 the positions repeat every 2 turns "
				     "and the forecast cycles through 10, 6; the value reported "
				     "is their mean"));
	assert_non_null(strstr(note, "-p smp.cycle=last for the last turn's)"));
	pl__outcome_free(&o);

	fill(&o, f, 5);
	assert_int_equal(pl__outcome_cycle(&o, 0, 1, 2, 1, &lo, &hi), PL_OK);
	assert_true(o.o.forecast == 6); /* the last round's */
	assert_true(pl_outcome_stat(&o.o, "cycle_mean") == 8);
	pl__cycle_text(note, sizeof note, &o, 0, 1, 2, 1, "exchange", "round");
	assert_non_null(strstr(note, "the value reported is the last round's, so it depends "
				     "on --rounds"));
	assert_non_null(strstr(note, "-p exchange.cycle=mean for their mean)"));
	pl__outcome_free(&o);
}

/* A period whose forecasts are all one value reports that value exactly
 * (0.1 + 0.1 + 0.1 over 3 is not 0.1 in doubles). */
static void one_value_exactly(void **state)
{
	(void)state;
	const double f[7] = {0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
	pl_outcome_buf o;
	double lo, hi;
	fill(&o, f, 7);
	assert_int_equal(pl__outcome_cycle(&o, 0, 1, 3, 0, &lo, &hi), PL_OK);
	assert_true(o.o.forecast == 0.1);
	char note[512];
	pl__cycle_text(note, sizeof note, &o, 0, 1, 3, 0, "eu", "round");
	assert_string_equal(note, "no rest: from round 1 the positions repeat every 3 rounds, "
				  "with the same forecast in each");
	pl__outcome_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(states_find_bitwise_repeats),
		cmocka_unit_test(cycle_mean_or_last),
		cmocka_unit_test(one_value_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
