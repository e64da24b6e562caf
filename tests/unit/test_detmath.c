/* test_detmath.c - the machine-independent exp and log of src/core/detmath.h:
 * special values, and the error against glibc over the ranges the engines
 * use and the whole domain (random arguments from a fixed seed). */
#include "helpers.h"

#include "core/detmath.h"

#include <float.h>
#include <math.h>

/* distance in units in the last place between two finite doubles */
static double ulps(double got, double want)
{
	if (got == want)
		return 0;
	int e;
	frexp(want, &e);
	double ulp = ldexp(1, (e - 53 < -1074 ? -1074 : e - 53));
	return fabs(got - want) / ulp;
}

/* xorshift64*: a fixed stream of arguments */
static double uniform(uint64_t *s, double lo, double hi)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	uint64_t u = *s * 2685821657736338717ULL;
	return lo + (hi - lo) * ((double)(u >> 11) * 0x1p-53);
}

/* the largest error in ulp of mine against the library's, over n
 * arguments drawn uniformly from [lo, hi) */
static double worst(double (*mine)(double), double (*libm)(double), double lo, double hi, int n)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	double w = 0;
	for (int k = 0; k < n; k++) {
		double x = uniform(&s, lo, hi);
		w = fmax(w, ulps(mine(x), libm(x)));
	}
	return w;
}

static double my_exp(double x)
{
	return pl__exp(x);
}

static double my_log(double x)
{
	return pl__log(x);
}

static double worst_exp(double lo, double hi, int n)
{
	return worst(my_exp, exp, lo, hi, n);
}

static double worst_log(double lo, double hi, int n)
{
	return worst(my_log, log, lo, hi, n);
}

static void test_exp_special(void **state)
{
	(void)state;
	assert_true(pl__exp(0) == 1);
	assert_true(pl__exp(-INFINITY) == 0);
	assert_true(pl__exp(-800) == 0);
	assert_true(isinf(pl__exp(710)) && pl__exp(710) > 0);
	assert_true(isnan(pl__exp(NAN)));
	assert_true(pl__exp(-0x1.62e42fefa39efp-1) == 0.5); /* -ln 2 */
	/* subnormal results stay close to the library's */
	for (double x = -744; x < -708; x += 0.37)
		assert_true(fabs(pl__exp(x) - exp(x)) <= 2 * 0x1p-1074 + 1e-15 * exp(x));
}

static void test_exp_error(void **state)
{
	(void)state;
	/* the engines raise bases in (0, 1.5] to powers in [1/2, 2] */
	assert_true(worst_exp(-40, 1, 200000) <= 1.0);
	assert_true(worst_exp(-1, 1, 200000) <= 1.0);
	assert_true(worst_exp(-708, 709, 200000) <= 1.0);
	/* the top of the range, up to the largest finite result */
	assert_true(worst_exp(708, 709.78, 20000) <= 2.0);
	assert_true(isfinite(pl__exp(709.78)) && isinf(pl__exp(709.8)));
}

static void test_log_special(void **state)
{
	(void)state;
	assert_true(pl__log(1) == 0);
	assert_true(pl__log(0) == -INFINITY);
	assert_true(isnan(pl__log(-1)));
	assert_true(isnan(pl__log(NAN)));
	assert_true(pl__log(INFINITY) == INFINITY);
	assert_true(pl__log(2) == 0x1.62e42fefa39efp-1);
	assert_true(ulps(pl__log(0x1p-1074), log(0x1p-1074)) <= 1);
	assert_true(ulps(pl__log(DBL_MAX), log(DBL_MAX)) <= 1);
}

static void test_log_error(void **state)
{
	(void)state;
	assert_true(worst_log(1e-9, 1.5, 200000) <= 2.0);
	assert_true(worst_log(0.5, 2, 200000) <= 2.0);
	assert_true(worst_log(1, 1e300, 200000) <= 2.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exp_special),
		cmocka_unit_test(test_exp_error),
		cmocka_unit_test(test_log_special),
		cmocka_unit_test(test_log_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
