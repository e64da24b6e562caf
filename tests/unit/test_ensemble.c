/* test_ensemble.c - the ensemble engine: a weighted mean of the components'
 * forecasts (checked against the components run alone), the midpoint, the
 * interval, a component that cannot take the case left out with a note and
 * the weights renormalised, bad weights refused before the run; and the
 * stacking that learns weights (pl_backtest_stacking) on a set where the
 * answer is known. */
#include "helpers.h"

static const char two_issues[] =
	"{\"format\":\"parley-case/1\",\"id\":\"t\",\"issues\":["
	"{\"id\":\"x\",\"outcome\":{\"value\":30}},{\"id\":\"y\",\"outcome\":{\"value\":60}}],"
	"\"actors\":[{\"id\":\"A\",\"capability\":2,\"stances\":{\"x\":{\"position\":10,"
	"\"salience\":50},\"y\":{\"position\":70,\"salience\":20}}},{\"id\":\"B\","
	"\"capability\":1,\"stances\":{\"x\":{\"position\":90,\"salience\":80}}},"
	"{\"id\":\"C\",\"capability\":1,\"stances\":{\"x\":{\"position\":40,\"salience\":60},"
	"\"y\":{\"position\":20,\"salience\":90}}}]}";

static double forecast_of(const pl_case *c, const char *engine, const char *params, size_t issue,
			  const pl_outcome **keep, pl_result **r)
{
	pl_params *p = pl_params_new();
	if (params)
		assert_int_equal(pl_params_parse(p, params, NULL), PL_OK);
	pl_run_options opt;
	pl_run_options_init(&opt);
	opt.params = p;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_forecast(c, pl_engine_find(engine, NULL), &opt, r, &err);
	if (rc)
		print_error("%s: %s\n", engine, err.message);
	assert_int_equal(rc, PL_OK);
	pl_params_free(p);
	const pl_outcome *o = pl_result_outcome(*r, issue);
	if (keep)
		*keep = o;
	return o->forecast;
}

static double alone(const pl_case *c, const char *engine, size_t issue)
{
	pl_result *r;
	double f = forecast_of(c, engine, NULL, issue, NULL, &r);
	pl_result_free(r);
	return f;
}

static void weighted_mean_of_components(void **state)
{
	pl_case *c = case_from(two_issues, "t.json");
	double comp = alone(c, "compromise", 0), med = alone(c, "median", 0);
	pl_result *r;
	const pl_outcome *o;
	double f = forecast_of(c, "ensemble", "weights=compromise:3,median:1", 0, &o, &r);
	assert_double_equal(f, (3 * comp + med) / 4, 1e-12);
	assert_double_equal(pl_outcome_stat(o, "compromise"), comp, 0);
	assert_double_equal(pl_outcome_stat(o, "median"), med, 0);
	pl_result_free(r);
	/* the midpoint, and the interval clipped to the scale */
	f = forecast_of(c, "ensemble", "weights=compromise:1,midpoint:1", 1, &o, &r);
	assert_double_equal(f, (alone(c, "compromise", 1) + 50) / 2, 1e-12);
	assert_double_equal(pl_outcome_stat(o, "low"), fmax(0, f - 43.5), 1e-12);
	assert_double_equal(pl_outcome_stat(o, "high"), fmin(100, f + 43.5), 1e-12);
	assert_null(o->note);
	pl_result_free(r);
	pl_case_free(c);
}

static void component_left_out(void **state)
{
	/* B has no stance on y: smp cannot take the case */
	pl_case *c = case_from(two_issues, "t.json");
	pl_result *r;
	const pl_outcome *o;
	double f = forecast_of(c, "ensemble", "weights=smp:5,median:1", 0, &o, &r);
	assert_double_equal(f, alone(c, "median", 0), 1e-12);
	assert_non_null(o->note);
	assert_non_null(strstr(o->note, "smp left out"));
	assert_true(isnan(pl_outcome_stat(o, "smp")));
	assert_double_equal(pl_outcome_stat(o, "high") - f, 43.5, 1e-9);
	pl_result_free(r);
	/* smp alone: the ensemble cannot run, and says so as "cannot run" */
	pl_params *p = pl_params_new();
	pl_params_parse(p, "weights=smp:1", NULL);
	pl_run_options opt;
	pl_run_options_init(&opt);
	opt.params = p;
	pl_error err;
	pl_error_clear(&err);
	const pl_engine *e = pl_engine_find("ensemble", NULL);
	int rc = pl_forecast(c, e, &opt, &r, &err);
	assert_int_equal(rc, PL_EINPUT);
	assert_true(pl_forecast_cannot_run(e, &opt, rc));
	assert_non_null(strstr(err.message, "no component"));
	pl_params_free(p);
	pl_case_free(c);
}

static void bad_weights_refused(void **state)
{
	const pl_engine *e = pl_engine_find("ensemble", NULL);
	const char *bad[] = {"weights=", "weights=eu", "weights=eu:-1", "weights=eu:x",
			     "weights=ensemble:1", "weights=nope:1", "weights=eu:0,median:0",
			     "weights=eu:1,eu:2", "weights=eu:1,,median:1"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		pl_params *p = pl_params_new();
		assert_int_equal(pl_params_parse(p, bad[k], NULL), PL_OK);
		pl_error err;
		pl_error_clear(&err);
		if (pl_engine_check_params(e, p, &err) != PL_EINPUT)
			print_error("accepted: %s\n", bad[k]);
		assert_int_equal(err.code, PL_EINPUT);
		assert_non_null(strstr(err.message, "weights"));
		pl_params_free(p);
	}
}

/* Stacking: four one-issue cases where median is always exactly right and
 * compromise is not: the weights go to median alone, in and out of sample. */
static void stacking_finds_the_right_engine(void **state)
{
	static const char *cases[4] = {
		"# scale: 0 100\n# outcome: 40\nActor,Capability,Position,Salience\nX,1,0,1\nY,1,40,1\nZ,1,100,1\n",
		"# scale: 0 100\n# outcome: 70\nActor,Capability,Position,Salience\nX,1,10,1\nY,1,70,1\nZ,1,80,1\n",
		"# scale: 0 10\n# outcome: 2\nActor,Capability,Position,Salience\nX,1,1,1\nY,1,2,1\nZ,1,9,1\n",
		"# scale: 0 100\n# outcome: 55\nActor,Capability,Position,Salience\nX,3,55,1\nY,1,0,1\nZ,1,5,1\n",
	};
	pl_case *c[4];
	pl_case_set *set;
	pl_case_set_new(&set, NULL);
	for (int k = 0; k < 4; k++) {
		c[k] = case_from(cases[k], "s.csv");
		pl_case_set_add(set, c[k], "s.csv", NULL);
	}
	pl_backtest_request req = PL_BACKTEST_REQUEST_INIT;
	req.engines = "compromise,median";
	req.stack = 1;
	pl_backtest *b;
	assert_int_equal(pl_backtest_run_request(&b, set, &req, NULL), PL_OK);
	const pl_stack *st = pl_backtest_stacking(b);
	assert_non_null(st);
	assert_int_equal(pl_stack_n_components(st), 3);
	assert_string_equal(pl_stack_component(st, 2), "midpoint");
	assert_double_equal(pl_stack_weight(st, 1), 1, 1e-12);
	assert_string_equal(pl_stack_weights_text(st), "compromise:0,median:1,midpoint:0");
	assert_int_equal(pl_stack_n_folds(st), 4);
	assert_double_equal(pl_stack_in_sample_mae(st), 0, 1e-9);
	assert_double_equal(pl_stack_heldout_mae(st), 0, 1e-9);
	pl_stack_versus_engine v;
	pl_stack_versus(st, 0, &v, NULL);
	assert_int_equal(v.n, 4);
	assert_true(v.engine_mae > 1);
	assert_double_equal(v.stack_mae, 0, 1e-9);
	pl_backtest_free(b);
	/* without stacking there is none */
	req.stack = 0;
	assert_int_equal(pl_backtest_run_request(&b, set, &req, NULL), PL_OK);
	assert_null(pl_backtest_stacking(b));
	pl_backtest_free(b);
	pl_case_set_free(set);
	for (int k = 0; k < 4; k++)
		pl_case_free(c[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weighted_mean_of_components),
		cmocka_unit_test(component_left_out),
		cmocka_unit_test(bad_weights_refused),
		cmocka_unit_test(stacking_finds_the_right_engine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
