/* test_exchange_decide.c - parley's exchange engine against Decide: on
 * Decide's three data sets (../shared/peers/decide, read in place), the
 * forecast of every issue after each of 10 rounds equals Decide's to 1e-6,
 * for Equal Gain (the numbers and how they were made: exchange_decide_ref.h)
 * and for the random-rate model with the same draws (exchange_decide_rr_ref.h).
 * Exits 77 (skipped) when the folder is absent. */
#include "helpers.h"

#include <unistd.h>

#include "exchange_decide_ref.h"
#include "exchange_decide_rr_ref.h"

#define DECIDE_DIR "../shared/peers/decide"

/* The largest difference from ref over every round and issue (failing
 * above 1e-6); param and seed as the reference was run. */
static double compare(const decide_ref *ref, const char *param, uint64_t seed)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", DECIDE_DIR, ref->file);
	pl_case *c = case_from_file(path);
	assert_int_equal(pl_case_n_issues(c), (size_t)ref->issues);
	pl_run_options o;
	pl_run_options_init(&o);
	o.rounds = ref->rounds;
	o.seed = seed;
	pl_error err;
	pl_error_clear(&err);
	pl_params *p = pl_params_new();
	if (param)
		assert_int_equal(pl_params_parse(p, param, &err), PL_OK);
	o.params = p;
	pl_result *r = NULL;
	assert_int_equal(pl_forecast(c, pl_engine_find("exchange", NULL), &o, &r, &err), PL_OK);
	double w = 0;
	for (int i = 0; i < ref->issues; i++) {
		const pl_outcome *out = pl_result_outcome(r, (size_t)i);
		assert_string_equal(pl_case_issue(c, out->issue)->name, ref->issue[i]);
		assert_int_equal(out->n_rounds, (size_t)ref->rounds);
		for (int t = 1; t <= ref->rounds; t++) {
			double want = ref->forecast[(t - 1) * ref->issues + i];
			double d = fabs(out->round_forecast[t] - want);
			if (d > 1e-6)
				print_error("%s, %s, round %d: parley %.12g, Decide %.12g\n",
					    ref->file, ref->issue[i], t, out->round_forecast[t],
					    want);
			assert_true(d <= 1e-6);
			w = fmax(w, d);
		}
	}
	print_message("  %-16s %-11s seed %llu, %2d issues x %d rounds: largest "
		      "difference %.1e\n",
		      ref->file, param ? param : "equal gain", (unsigned long long)seed,
		      ref->issues, ref->rounds, w);
	pl_result_free(r);
	pl_case_free(c);
	pl_params_free(p);
	return w;
}

static void agrees_with_decide(void **state)
{
	(void)state;
	double worst = 0;
	for (size_t k = 0; k < sizeof decide_refs / sizeof decide_refs[0]; k++)
		worst = fmax(worst, compare(&decide_refs[k], NULL, 0));
	assert_true(worst <= 1e-6);
}

static void random_rates_agree_with_decide(void **state)
{
	(void)state;
	double worst = 0;
	for (size_t k = 0; k < sizeof decide_rr_refs / sizeof decide_rr_refs[0]; k++)
		worst = fmax(worst, compare(&decide_rr_refs[k].ref, "rate=random",
					    decide_rr_refs[k].seed));
	assert_true(worst <= 1e-6);
}

int main(void)
{
	if (access(DECIDE_DIR, R_OK) != 0) {
		printf("skipped: %s is absent (Decide's data sets)\n", DECIDE_DIR);
		return 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agrees_with_decide),
		cmocka_unit_test(random_rates_agree_with_decide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
