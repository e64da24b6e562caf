/* test_numfmt_ref.c - the digit search of core/numfmt.c against the
 * printf-and-strtod trial it replaced (issues 11 and 18): byte for byte on
 * millions of doubles of every kind (random bit patterns, subnormals,
 * powers of two and of ten and their neighbours, integers, short decimals,
 * halfway cases, +-0), and pl__fmt_digits against printf's %.15g, %.16g and
 * %.17g on each.  PARLEY_NUMFMT_N sets the number of random doubles per
 * kind (default 30,000; set it to 10^7 or more for a long run). */
#include "helpers.h"

#include "core/numfmt.h"

#include <float.h>

/* The implementation before issue 18, kept as the reference: the first of
 * %.15g, %.16g, %.17g that strtod reads back. */
static char *reference(char *buf, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, PL__NUM_MAX, "%s", isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
		return buf;
	}
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		snprintf(buf, PL__NUM_MAX, "%lld", (long long)v);
		return buf;
	}
	for (int digits = 15; digits < 17; digits++) {
		snprintf(buf, PL__NUM_MAX, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return buf;
	}
	snprintf(buf, PL__NUM_MAX, "%.17g", v);
	return buf;
}

static unsigned long n_checked;

static void check(double v)
{
	char want[PL__NUM_MAX], got[PL__NUM_MAX];
	reference(want, v);
	pl__fmt_shortest(got, v);
	if (strcmp(want, got) != 0)
		fail_msg("%a (%.17g): numfmt wrote %s, printf's trial %s", v, v, got, want);
	for (int p = 15; p <= 17; p++) {
		snprintf(want, sizeof want, "%.*g", p, v);
		pl__fmt_digits(got, v, p);
		if (strcmp(want, got) != 0)
			fail_msg("%a (%.17g): pl__fmt_digits(%d) wrote %s, printf %s", v, v, p, got,
				 want);
	}
	n_checked++;
}

static void check_both(double v)
{
	check(v);
	check(-v);
}

static double from_bits(uint64_t b)
{
	double v;
	memcpy(&v, &b, sizeof v);
	return v;
}

static long n_random(void)
{
	const char *s = getenv("PARLEY_NUMFMT_N");
	return s && *s ? atol(s) : 30000;
}

/* Every power of two (2046 normal, 52 subnormal), of ten, and the three
 * doubles either side of each: the lopsided intervals and the decades. */
static void powers(void **state)
{
	(void)state;
	n_checked = 0;
	for (int e = -1074; e <= 1023; e++) {
		double v = ldexp(1, e);
		check_both(v);
		double up = v, down = v;
		for (int k = 0; k < 3; k++) {
			up = nextafter(up, INFINITY);
			down = nextafter(down, 0);
			if (isfinite(up))
				check_both(up);
			check_both(down);
		}
	}
	for (int e = -325; e <= 309; e++) {
		char t[16];
		snprintf(t, sizeof t, "1e%d", e);
		double v = strtod(t, NULL), up = v, down = v;
		if (!isfinite(v))
			continue;
		check_both(v);
		for (int k = 0; k < 3; k++) {
			up = nextafter(up, INFINITY);
			down = nextafter(down, 0);
			if (isfinite(up))
				check_both(up);
			check_both(down);
		}
	}
	check(0.0);
	check(-0.0);
	check(DBL_MAX);
	check(-DBL_MAX);
	check(DBL_MIN);
	check(DBL_TRUE_MIN);
	check(NAN);
	check(INFINITY);
	check(-INFINITY);
	printf("# powers: %lu doubles\n", n_checked);
}

/* Random bit patterns over every exponent, random subnormals, random
 * doubles near 1 (most of a case's numbers), short decimals as a case file
 * writes them ("12.34", "0.357", "35.7"), integers on both sides of 1e15 and
 * 2^53, and exact halfway cases at 15, 16 and 17 digits (an integer plus a
 * short binary fraction, n / 2^j). */
static void random_doubles(void **state)
{
	(void)state;
	n_checked = 0;
	test_rng rng = {0x243F6A8885A308D3ull};
	long n = n_random();
	for (long k = 0; k < n; k++) {
		uint64_t x = test_rng_next(&rng);
		double v = from_bits(x);
		if (isfinite(v))
			check(v);
		check(from_bits(x & 0x800FFFFFFFFFFFFFull)); /* subnormal */
		check(from_bits((x & 0x800FFFFFFFFFFFFFull) | 0x3FF0000000000000ull) * 3);
		uint64_t y = test_rng_next(&rng);
		int places = (int)(y % 6);
		double scale = pow(10, places);
		check_both((double)(y >> 40) / scale);
		check_both((double)(y % 1000) / pow(10, (int)(y >> 60) % 4 + 1));
		check_both((double)(y >> 10)); /* up to 2^54 */
		check_both((double)(y >> 14) + 0.5);
		check_both(ldexp((double)(y >> 11), -(int)(y % 12)));
		check_both((double)(y >> 12) / 8 + 1e15);
	}
	printf("# random: %lu doubles (%ld of each kind)\n", n_checked, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(powers),
		cmocka_unit_test(random_doubles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
