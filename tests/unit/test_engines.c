/* test_engines.c - the static engines (compromise, median) on hand-computed
 * cases, and properties every engine must keep: permuting actors or scaling
 * capabilities changes nothing, forecasts stay on the scale, a dominant
 * actor wins. */
#include "helpers.h"

#include <math.h>

static void compromise_by_hand(void **state)
{
	/* weights 2*50=100 and 1*100=100: mean of 20 and 80 */
	double cap[] = {2, 1}, pos[] = {20, 80}, sal[] = {50, 100};
	pl_case *c = case_from_arrays(2, cap, pos, sal, NULL);
	assert_double_equal(forecast1(c, "compromise", NULL), 50.0, 1e-12);
	pl_case_free(c);
	/* weights 3, 1: (3*0 + 1*100) / 4 */
	double cap2[] = {3, 1}, pos2[] = {0, 100}, sal2[] = {100, 100};
	c = case_from_arrays(2, cap2, pos2, sal2, NULL);
	assert_double_equal(forecast1(c, "compromise", NULL), 25.0, 1e-12);
	pl_case_free(c);
}

static void median_by_hand(void **state)
{
	/* weights 1, 1, 3: the median is where 2.5 of 5 is reached: 60 */
	double cap[] = {1, 1, 3}, pos[] = {10, 30, 60}, sal[] = {100, 100, 100};
	pl_case *c = case_from_arrays(3, cap, pos, sal, NULL);
	assert_double_equal(forecast1(c, "median", NULL), 60.0, 0);
	pl_case_free(c);
	/* weights 2, 1, 1: cumulative 2 of 4 reached exactly at 10: the tie
	 * rule gives the midpoint of 10 and 30 */
	double cap2[] = {2, 1, 1}, pos2[] = {10, 30, 60};
	c = case_from_arrays(3, cap2, pos2, sal, NULL);
	assert_double_equal(forecast1(c, "median", NULL), 20.0, 0);
	pl_case_free(c);
	/* equal positions pool their weight */
	double cap3[] = {1, 1, 1, 2}, pos3[] = {40, 40, 40, 90}, sal3[] = {100, 100, 100, 100};
	c = case_from_arrays(4, cap3, pos3, sal3, NULL);
	assert_double_equal(forecast1(c, "median", NULL), 40.0, 0);
	pl_case_free(c);
}

/* Every salience 0: no one cares, so compromise and median refuse, naming
 * the issue, as they refuse when every capability is 0 (they answered by
 * capability alone, 25 and 0 here). */
static void zero_salience_is_refused(void **state)
{
	double cap[] = {3, 1}, pos[] = {0, 100}, sal[] = {0, 0};
	pl_case *c = case_from_arrays(2, cap, pos, sal, NULL);
	const char *engines[] = {"compromise", "median"};
	for (int k = 0; k < 2; k++) {
		pl_error err;
		pl_error_clear(&err);
		pl_result *r = NULL;
		assert_int_equal(pl_forecast(c, pl_engine_find(engines[k], &err), NULL, &r, &err),
				 PL_EINPUT);
		assert_null(r);
		assert_non_null(strstr(err.message, "every salience is 0"));
		assert_string_equal(err.where, pl_case_issue(c, 0)->id);
	}
	pl_case_free(c);
}

/* A pseudo-random case from a fixed LCG, so the test is the same every run. */
static double lcg(unsigned long long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

enum { N = 9 };

static void random_case(unsigned long long seed, double *cap, double *pos, double *sal)
{
	for (int i = 0; i < N; i++) {
		cap[i] = 1 + 99 * lcg(&seed);
		pos[i] = 100 * lcg(&seed);
		sal[i] = 10 + 90 * lcg(&seed);
	}
}

static void properties(void **state)
{
	for (size_t e = 0; e < pl_engine_count(); e++) {
		const char *name = pl_engine_name(pl_engine_at(e));
		if (pl_engine_is_multidim(pl_engine_at(e)))
			continue;
		for (unsigned long long seed = 1; seed <= 20; seed++) {
			double cap[N], pos[N], sal[N], pc[N], pp[N], ps[N], sc[N];
			random_case(seed, cap, pos, sal);
			pl_case *c = case_from_arrays(N, cap, pos, sal, NULL);
			double f = forecast1(c, name, NULL);
			/* on the scale */
			assert_true(f >= 0 && f <= 100);
			/* permuting the actors (a reversal) changes nothing */
			for (int i = 0; i < N; i++) {
				pc[i] = cap[N - 1 - i];
				pp[i] = pos[N - 1 - i];
				ps[i] = sal[N - 1 - i];
				sc[i] = cap[i] * 7.5;
			}
			pl_case *p = case_from_arrays(N, pc, pp, ps, NULL);
			assert_double_equal(forecast1(p, name, NULL), f, 1e-9);
			/* scaling every capability changes nothing */
			pl_case *s = case_from_arrays(N, sc, pos, sal, NULL);
			assert_double_equal(forecast1(s, name, NULL), f, 1e-9);
			pl_case_free(c);
			pl_case_free(p);
			pl_case_free(s);
			/* one dominant actor wins */
			cap[3] = 1e9;
			sal[3] = 100;
			c = case_from_arrays(N, cap, pos, sal, NULL);
			assert_double_equal(forecast1(c, name, NULL), pos[3], 1e-3);
			pl_case_free(c);
		}
	}
}

static void unknown_engine_and_parameter(void **state)
{
	pl_error err;
	pl_error_clear(&err);
	assert_null(pl_engine_find("oracle", &err));
	assert_int_equal(err.code, PL_ENOTFOUND);
	assert_non_null(strstr(err.message, "unknown engine 'oracle' (known: compromise"));

	double cap[] = {1}, pos[] = {50}, sal[] = {50};
	pl_case *c = case_from_arrays(1, cap, pos, sal, NULL);
	pl_params *p = pl_params_new();
	assert_int_equal(pl_params_parse(p, "colour=blue", &err), PL_OK);
	pl_run_options o;
	pl_run_options_init(&o);
	o.params = p;
	pl_result *r;
	pl_error_clear(&err);
	assert_int_equal(pl_forecast(c, pl_engine_find("median", NULL), &o, &r, &err), PL_EINPUT);
	assert_string_equal(err.message, "engine 'median' has no parameter 'colour' (it has: none)");
	pl_params_free(p);
	pl_case_free(c);
}

static void result_provenance(void **state)
{
	double cap[] = {1, 2}, pos[] = {10, 90}, sal[] = {50, 50};
	pl_case *c = case_from_arrays(2, cap, pos, sal, NULL);
	pl_run_options o;
	pl_run_options_init(&o);
	o.seed = 42;
	pl_result *r;
	assert_int_equal(pl_forecast(c, pl_engine_find("median", NULL), &o, &r, NULL), PL_OK);
	assert_string_equal(pl_result_engine(r), "median");
	assert_int_equal(pl_result_seed(r), 42);
	assert_string_equal(pl_result_case_hash(r), pl_case_hash(c));
	assert_int_equal(strlen(pl_result_case_hash(r)), 64);
	assert_null(pl_result_forum(r));
	const pl_outcome *out = pl_result_outcome(r, 0);
	assert_int_equal(out->n_actors, 2);
	assert_int_equal(out->n_rounds, 0);
	assert_double_equal(out->positions[1], 90, 0);
	assert_true(isnan(pl_outcome_stat(out, "no-such-stat")));
	pl_result_free(r);
	pl_case_free(c);
}

static void forum_weights(void **state)
{
	const char *text =
		"{\"issues\":[{\"id\":\"x\"}],\"actors\":["
		"{\"id\":\"A\",\"capability\":1,\"stances\":{\"x\":{\"position\":0,\"salience\":100}}},"
		"{\"id\":\"B\",\"capability\":1,\"stances\":{\"x\":{\"position\":100,\"salience\":100}}},"
		"{\"id\":\"C\",\"capability\":2,\"stances\":{\"x\":{\"position\":40,\"salience\":100}}}],"
		"\"forums\":[{\"id\":\"ab\",\"members\":[\"B\",\"A\"]},"
		"{\"id\":\"half\",\"members\":[\"A\",\"B\"],\"outsider_weight\":0.5}]}";
	pl_case *c = case_from(text, "forums.json");
	const pl_engine *e = pl_engine_find("compromise", NULL);
	pl_run_options o;
	pl_run_options_init(&o);
	pl_result *r;
	/* everyone: (0 + 100 + 80) / 4 */
	assert_int_equal(pl_forecast(c, e, &o, &r, NULL), PL_OK);
	assert_double_equal(pl_result_outcome(r, 0)->forecast, 45, 1e-12);
	pl_result_free(r);
	/* A and B alone: C has weight 0 and is left out */
	assert_int_equal(pl_case_find_forum(c, "ab", &o.forum, NULL), PL_OK);
	assert_int_equal(pl_forecast(c, e, &o, &r, NULL), PL_OK);
	assert_double_equal(pl_result_outcome(r, 0)->forecast, 50, 1e-12);
	assert_int_equal(pl_result_outcome(r, 0)->n_actors, 2);
	assert_string_equal(pl_result_forum(r), "ab");
	pl_result_free(r);
	/* C at half weight: (0 + 100 + 40) / 3 */
	assert_int_equal(pl_case_find_forum(c, "half", &o.forum, NULL), PL_OK);
	assert_int_equal(pl_forecast(c, e, &o, &r, NULL), PL_OK);
	assert_double_equal(pl_result_outcome(r, 0)->forecast, 140.0 / 3, 1e-12);
	pl_result_free(r);
	pl_case_free(c);
}

static void scaled_capabilities(void **state)
{
	double cap[] = {1, 1}, pos[] = {0, 100}, sal[] = {100, 100};
	pl_case *c = case_from_arrays(2, cap, pos, sal, NULL), *d = NULL;
	double factor[] = {3, 1};
	assert_int_equal(pl_case_scale_capabilities(c, factor, &d, NULL), PL_OK);
	assert_double_equal(pl_case_actor(d, 0)->capability, 3, 0);
	assert_double_equal(pl_case_stance(d, 0, 0)->capability, 3, 0);
	assert_double_equal(forecast1(c, "compromise", NULL), 50, 1e-12);
	assert_double_equal(forecast1(d, "compromise", NULL), 25, 1e-12);
	assert_string_not_equal(pl_case_hash(c), pl_case_hash(d));
	pl_case_free(d);
	/* factors of 1 give back the same case, hash included */
	double ones[] = {1, 1};
	assert_int_equal(pl_case_scale_capabilities(c, ones, &d, NULL), PL_OK);
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	pl_case_free(d);
	double bad[] = {-1, 1};
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_case_scale_capabilities(c, bad, &d, &err), PL_EINPUT);
	assert_null(d);
	pl_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compromise_by_hand),
		cmocka_unit_test(median_by_hand),
		cmocka_unit_test(zero_salience_is_refused),
		cmocka_unit_test(properties),
		cmocka_unit_test(unknown_engine_and_parameter),
		cmocka_unit_test(result_provenance),
		cmocka_unit_test(forum_weights),
		cmocka_unit_test(scaled_capabilities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
