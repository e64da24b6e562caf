/* helpers.h - small helpers the unit tests share: reading a case from a
 * string, running an engine on it, reading test files, a seeded generator. */
#ifndef PL_TEST_HELPERS_H
#define PL_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <math.h>
#include <parley/parley.h>

/* cmocka 1.1.5 (Debian 12) has no assert_double_equal; this one also treats
 * two NaNs as different and prints both values. */
#ifndef assert_double_equal
#define assert_double_equal(a, b, eps)                                                    \
	do {                                                                              \
		double a_ = (a), b_ = (b), e_ = (eps);                                    \
		if (!(fabs(a_ - b_) <= e_)) {                                             \
			print_error("%.17g != %.17g (tolerance %g)\n", a_, b_, e_);     \
			fail();                                                           \
		}                                                                         \
	} while (0)
#endif

/* A seeded generator for random test instances (SplitMix64): the same
 * sequence on every machine, independent of the library's own RNG so that a
 * change there does not change which instances a test draws. */
typedef struct test_rng {
	uint64_t s;
} test_rng;

static inline uint64_t test_rng_next(test_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* uniform on [0, 1) */
static inline double test_rng_unit(test_rng *r)
{
	return (double)(test_rng_next(r) >> 11) * 0x1p-53;
}

/* Reads a case from a string; fails the test (printing the error) when the
 * reader rejects it. */
static inline pl_case *case_from(const char *text, const char *name)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_case_read_mem(text, strlen(text), name, PL_FORMAT_AUTO, &c, &err);
	if (rc) {
		char buf[2048];
		print_error("reading %s: %s\n", name, pl_error_format(&err, buf, sizeof buf));
	}
	assert_int_equal(rc, PL_OK);
	return c;
}

/* Reads a case file; fails the test (printing the error) when the reader
 * rejects it. */
static inline pl_case *case_from_file(const char *path)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_case_read_file(path, PL_FORMAT_AUTO, &c, &err)) {
		char buf[2048];
		print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
		fail();
	}
	return c;
}

/* The error message a reader gives for text, "where: message". */
static inline const char *read_error(const char *text, size_t len, const char *name,
				     pl_format fmt, char *buf, size_t size)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_case_read_mem(text, len, name, fmt, &c, &err);
	pl_case_free(c);
	if (rc == PL_OK)
		snprintf(buf, size, "(accepted)");
	else
		pl_error_format(&err, buf, size);
	return buf;
}

/* Runs engine on issue 0 of c (all actors) and returns the forecast. */
static inline double forecast1(const pl_case *c, const char *engine, const char *param)
{
	pl_error err;
	pl_error_clear(&err);
	const pl_engine *e = pl_engine_find(engine, &err);
	assert_non_null(e);
	pl_params *p = pl_params_new();
	if (param)
		assert_int_equal(pl_params_parse(p, param, &err), PL_OK);
	pl_run_options o;
	pl_run_options_init(&o);
	o.issue = 0;
	o.params = p;
	pl_result *r = NULL;
	int rc = pl_forecast(c, e, &o, &r, &err);
	if (rc) {
		char buf[2048];
		print_error("%s: %s\n", engine, pl_error_format(&err, buf, sizeof buf));
	}
	assert_int_equal(rc, PL_OK);
	double f = pl_result_outcome(r, 0)->forecast;
	pl_result_free(r);
	pl_params_free(p);
	return f;
}

/* A one-issue case on [0, 100] from parallel arrays (ids A0, A1, ...). */
static inline pl_case *case_from_arrays(size_t n, const double *cap, const double *pos,
					const double *sal100, const double *status_quo)
{
	size_t size = 512 + n * 160;
	char *s = malloc(size);
	size_t used = (size_t)snprintf(s, size, "{\"issues\":[{\"id\":\"x\"");
	if (status_quo)
		used += (size_t)snprintf(s + used, size - used, ",\"status_quo\":%.17g", *status_quo);
	used += (size_t)snprintf(s + used, size - used, "}],\"actors\":[");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(s + used, size - used,
					 "%s{\"id\":\"A%zu\",\"capability\":%.17g,\"stances\":{\"x\":"
					 "{\"position\":%.17g,\"salience\":%.17g}}}",
					 i ? "," : "", i, cap[i], pos[i], sal100[i]);
	snprintf(s + used, size - used, "]}");
	pl_case *c = case_from(s, "arrays.json");
	free(s);
	return c;
}

/* Reads a whole file into a malloc'd buffer (NULL when absent). */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	size_t got = fread(b, 1, (size_t)n, f);
	fclose(f);
	b[got] = '\0';
	if (len)
		*len = got;
	return b;
}

#endif
