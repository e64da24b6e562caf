/* test_smp_zero.c - smp and salience 0: an actor whose salience is 0 on
 * every issue where it has a stance takes no part in the run.  The run must
 * equal the run of the case without that actor (docs/models/smp.md,
 * "Salience 0"), say so in a note, and compare and sweep must take such a
 * case instead of reporting that smp cannot run it. */
#include "helpers.h"

/* ONE: C cares about nothing; ONE_WITHOUT: the same case without C. */
#define ACT_A                                                                                      \
	"{\"id\":\"A\",\"capability\":3,\"stances\":{\"x\":{\"position\":10,\"salience\":80}}},"
#define ACT_B                                                                                      \
	"{\"id\":\"B\",\"capability\":2,\"stances\":{\"x\":{\"position\":60,\"salience\":50}}},"
#define ACT_D                                                                                      \
	"{\"id\":\"D\",\"capability\":5,\"stances\":{\"x\":{\"position\":30,\"salience\":60}}}"
static const char one[] = "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" ACT_A ACT_B
			  "{\"id\":\"C\",\"capability\":4,\"stances\":{\"x\":{\"position\":95,"
			  "\"salience\":0}}}," ACT_D "]}";
static const char one_without[] =
	"{\"issues\":[{\"id\":\"x\"}],\"actors\":[" ACT_A ACT_B ACT_D "]}";

/* Two issues: C has salience 0 on both; E has a stance on y only, salience 0. */
#define ST2(px, sx, py, sy)                                                                        \
	"\"stances\":{\"x\":{\"position\":" #px ",\"salience\":" #sx "},\"y\":{\"position\":" #py  \
	",\"salience\":" #sy "}}}"
#define TWO_HEAD "{\"issues\":[{\"id\":\"x\"},{\"id\":\"y\"}],\"actors\":["
#define TWO_KEEP                                                                                   \
	"{\"id\":\"A\",\"capability\":3," ST2(                                                     \
		10, 80, 70,                                                                        \
		40) ",{\"id\":\"B\",\"capability\":2," ST2(60, 50, 20,                             \
							   90) ",{\"id\":\"D\",\"capability\":"    \
							       "5," ST2(30, 60, 50, 30)
static const char two[] = TWO_HEAD TWO_KEEP ",{\"id\":\"C\",\"capability\":4," ST2(
	95, 0, 40,
	0) ",{\"id\":\"E\",\"capability\":1,\"stances\":{\"y\":{\"position\":5,\"salience\":0}}}]}";
static const char two_without[] = TWO_HEAD TWO_KEEP "]}";

static pl_result *run(const pl_case *c)
{
	pl_error err;
	pl_error_clear(&err);
	pl_result *r = NULL;
	int rc = pl_forecast(c, pl_engine_find("smp", NULL), NULL, &r, &err);
	if (rc) {
		char buf[2048];
		print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
	}
	assert_int_equal(rc, PL_OK);
	return r;
}

/* Same forecasts, rounds and positions of the actors that take part (by
 * id: the case indices differ), bit for bit. */
static void expect_same(const pl_case *cz, const pl_result *z, const pl_case *cw,
			const pl_result *w)
{
	assert_int_equal(pl_result_n_outcomes(z), pl_result_n_outcomes(w));
	for (size_t k = 0; k < pl_result_n_outcomes(z); k++) {
		const pl_outcome *a = pl_result_outcome(z, k), *b = pl_result_outcome(w, k);
		assert_true(a->forecast == b->forecast);
		assert_int_equal(a->n_rounds, b->n_rounds);
		assert_int_equal(a->n_actors, b->n_actors);
		for (size_t i = 0; i < a->n_actors; i++)
			assert_string_equal(pl_case_actor(cz, a->actor[i])->id,
					    pl_case_actor(cw, b->actor[i])->id);
		for (size_t q = 0; q < (a->n_rounds + 1) * a->n_actors; q++)
			assert_true(a->positions[q] == b->positions[q]);
		for (size_t q = 0; q <= a->n_rounds; q++)
			assert_true(a->round_forecast[q] == b->round_forecast[q]);
		assert_non_null(a->note);
		assert_non_null(b->note);
		assert_null(strstr(b->note, "left out"));
	}
}

static void test_one_issue_equals_without(void **state)
{
	(void)state;
	pl_case *cz = case_from(one, "one.json"), *cw = case_from(one_without, "without.json");
	pl_result *z = run(cz), *w = run(cw);
	expect_same(cz, z, cw, w);
	const char *note = pl_result_outcome(z, 0)->note;
	assert_non_null(strstr(note, "left out (salience 0 on every issue): C;"));
	pl_result_free(z);
	pl_result_free(w);
	pl_case_free(cz);
	pl_case_free(cw);
}

static void test_two_issues_equals_without(void **state)
{
	(void)state;
	pl_case *cz = case_from(two, "two.json"), *cw = case_from(two_without, "without.json");
	pl_result *z = run(cz), *w = run(cw);
	expect_same(cz, z, cw, w);
	for (size_t k = 0; k < 2; k++)
		assert_non_null(strstr(pl_result_outcome(z, k)->note,
				       "left out (salience 0 on every issue): C,E;"));
	pl_result_free(z);
	pl_result_free(w);
	pl_case_free(cz);
	pl_case_free(cw);
}

/* Fewer than 2 actors that care: still a clear refusal, which compare
 * reports as "not run". */
static void test_too_few_left(void **state)
{
	(void)state;
	static const char few[] =
		"{\"issues\":[{\"id\":\"x\"}],\"actors\":[" ACT_A
		"{\"id\":\"C\",\"capability\":4,\"stances\":{\"x\":{\"position\":95,"
		"\"salience\":0}}}]}";
	pl_case *c = case_from(few, "few.json");
	pl_error err;
	pl_error_clear(&err);
	pl_result *r = NULL;
	const pl_engine *smp = pl_engine_find("smp", NULL);
	int rc = pl_forecast(c, smp, NULL, &r, &err);
	assert_int_equal(rc, PL_EINPUT);
	assert_null(r);
	assert_non_null(strstr(err.message, "at least 2 actors with a salience above 0"));
	assert_true(pl_forecast_cannot_run(smp, NULL, rc));
	pl_case_free(c);
}

/* KTAB's CSV format: W has salience 0 on both issues. */
static void test_ktab_csv_left_out(void **state)
{
	(void)state;
	const char *zero = "Z,\"zero salience\",3,2,\n"
			   "Actor,Description,Power,A Position,A Salience,B Position,B Salience,\n"
			   "X,x,10,10,50,20,50,\nY,y,10,80,50,70,50,\nW,w,10,50,0,50,0,\n";
	pl_case *c = case_from(zero, "zero.csv");
	pl_result *r = run(c);
	assert_int_equal(pl_result_outcome(r, 0)->n_actors, 2);
	assert_non_null(strstr(pl_result_outcome(r, 1)->note, "salience 0 on every issue): W;"));
	pl_result_free(r);
	pl_case_free(c);
}

static void test_compare_and_sweep_take_it(void **state)
{
	(void)state;
	pl_case *c = case_from(one, "one.json");
	const pl_engine *smp = pl_engine_find("smp", NULL), *med = pl_engine_find("median", NULL);
	size_t forums[] = {PL_NO_FORUM};
	const pl_engine *engines[] = {med, smp};
	pl_compare_options o = {
		.n_forums = 1, .forums = forums, .n_engines = 2, .engines = engines};
	pl_compare *cmp = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_compare_run(c, &o, &cmp, &err), PL_OK);
	const char *why = "unset";
	assert_non_null(pl_compare_result(cmp, 0, 1, &why));
	assert_null(why);
	pl_compare_free(cmp);

	pl_sweep_options so;
	pl_sweep_options_init(&so);
	so.n = 8;
	so.seed = 7;
	so.threads = 1;
	pl_sweep *s = NULL;
	pl_error_clear(&err);
	int rc = pl_sweep_run(c, smp, &so, &s, &err);
	if (rc) {
		char buf[2048];
		print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
	}
	assert_int_equal(rc, PL_OK);
	pl_sweep_summary sum;
	assert_int_equal(pl_sweep_summary_of(s, 0, &sum, &err), PL_OK);
	assert_int_equal(sum.n, 8);
	assert_int_equal(sum.n_failed, 0);
	pl_case *cw = case_from(one_without, "without.json");
	pl_result *w = run(cw);
	assert_true(sum.nominal == pl_result_outcome(w, 0)->forecast);
	pl_result_free(w);
	pl_case_free(cw);
	pl_sweep_free(s);
	pl_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_issue_equals_without),
		cmocka_unit_test(test_two_issues_equals_without),
		cmocka_unit_test(test_too_few_left),
		cmocka_unit_test(test_ktab_csv_left_out),
		cmocka_unit_test(test_compare_and_sweep_take_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
