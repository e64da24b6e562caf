/* test_numfmt.c - numbers in JSON and CSV read back as the same double
 * (issue 12): the shortest of 15, 16 and 17 digits, integers without a
 * point, no undefined behaviour on huge values (issue 11: pl__fmt_number
 * converted 1e20 to long long before checking the range), jansson's reals
 * rewritten outside strings only, and 100/3 through the forecast documents
 * and the case writers. */
#include "helpers.h"

#include "core/numfmt.h"

#include <jansson.h>
#include "io/io_internal.h"

static void reads_back(double v)
{
	char buf[PL__NUM_MAX];
	pl__fmt_shortest(buf, v);
	if (strtod(buf, NULL) != v)
		fail_msg("%.17g written as %s", v, buf);
}

static void shortest_by_hand(void **state)
{
	(void)state;
	char buf[PL__NUM_MAX];
	assert_string_equal(pl__fmt_shortest(buf, 100.0 / 3), "33.333333333333336");
	assert_string_equal(pl__fmt_shortest(buf, 0.1), "0.1");
	assert_string_equal(pl__fmt_shortest(buf, 0.1 + 0.2), "0.30000000000000004");
	assert_string_equal(pl__fmt_shortest(buf, 7.0), "7");
	assert_string_equal(pl__fmt_shortest(buf, -0.0), "0");
	assert_string_equal(pl__fmt_shortest(buf, 1e15), "1e+15");
	assert_string_equal(pl__fmt_shortest(buf, 999999999999999.0), "999999999999999");
	assert_string_equal(pl__fmt_shortest(buf, 1e20), "1e+20");
	assert_string_equal(pl__fmt_shortest(buf, 9.3e18), "9.3e+18");
	assert_string_equal(pl__fmt_shortest(buf, -1.7976931348623157e308),
			    "-1.7976931348623157e+308");
	assert_string_equal(pl__fmt_shortest(buf, 5e-324), "4.94065645841247e-324");
	assert_string_equal(pl__fmt_shortest(buf, NAN), "nan");
	assert_string_equal(pl__fmt_shortest(buf, -INFINITY), "-inf");
	/* issue 11: the range is checked before any conversion (UBSan) */
	pl__fmt_number(buf, sizeof buf, 1e20);
	assert_string_equal(buf, "1e+20");
	pl__fmt_number(buf, sizeof buf, -9.3e18);
	assert_string_equal(buf, "-9.3e+18");
	pl__fmt_number(buf, sizeof buf, 1e300);
	assert_string_equal(buf, "1e+300");
}

/* Random bit patterns and random values on [0, 100]: every one reads back,
 * and one digit fewer than written would not. */
static void shortest_random(void **state)
{
	(void)state;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	for (int k = 0; k < 200000; k++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double v;
		if (k % 2) {
			memcpy(&v, &x, sizeof v);
			if (!isfinite(v))
				continue;
		} else {
			v = (double)(x >> 11) / 9007199254740992.0 * 100;
		}
		reads_back(v);
		char buf[PL__NUM_MAX], less[PL__NUM_MAX];
		pl__fmt_shortest(buf, v);
		/* significant digits: from the first non-zero one to the exponent */
		const char *p = buf + strspn(buf, "-0."), *e = strchr(buf, 'e');
		size_t digits = 0;
		for (; *p && p != e; p++)
			digits += *p >= '0' && *p <= '9';
		if (digits > 15 && strchr(buf, '.')) {
			snprintf(less, sizeof less, "%.*g", (int)digits - 1, v);
			assert_true(strtod(less, NULL) != v);
		}
	}
}

/* A document's reals as their shortest text, ".0" kept on an integral one,
 * strings left alone (the text as it was when jansson dumped it at 17
 * digits and the reals were shortened after). */
static void json_reals_only(void **state)
{
	(void)state;
	const char *in = "{\"a\": 0.10000000000000001, \"s\": \"0.10000000000000001 \\\" 1.50\","
			 " \"i\": 12, \"r\": 10.0, \"n\": -2.5e-07, \"big\": 1e+20,"
			 " \"third\": 33.333333333333336, \"arr\": [1.0, 2.2000000000000002], \"e\": {}}";
	json_t *root = json_loads(in, 0, NULL);
	assert_non_null(root);
	char *out = pl__json_document(root);
	assert_non_null(out);
	assert_string_equal(out, "{\n  \"a\": 0.1,\n  \"s\": \"0.10000000000000001 \\\" 1.50\",\n"
				 "  \"i\": 12,\n  \"r\": 10.0,\n  \"n\": -2.5e-07,\n  \"big\": 1e+20,\n"
				 "  \"third\": 33.333333333333336,\n  \"arr\": [\n    1.0,\n    2.2\n  ],\n"
				 "  \"e\": {}\n}\n");
	free(out);
}

/* Two actors, capability 2 at 0 and 1 at 100, salience 100: the compromise
 * forecast is 100/3. */
static const char third_case[] =
	"{\"issues\":[{\"id\":\"x\"}],\"actors\":["
	"{\"id\":\"A\",\"capability\":2,\"stances\":{\"x\":{\"position\":0,\"salience\":100}}},"
	"{\"id\":\"B\",\"capability\":1,\"stances\":{\"x\":{\"position\":100,\"salience\":100}}}]}";

static void third_through_documents(void **state)
{
	(void)state;
	pl_case *c = case_from(third_case, "third.json");
	pl_forecast_request req = PL_FORECAST_REQUEST_INIT;
	req.engine = "compromise";
	pl_forecast_set *s = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_forecast_set_run(&s, c, &req, &err), PL_OK);
	assert_true(pl_result_outcome(pl_forecast_set_result(s, 0), 0)->forecast == 100.0 / 3);
	char *json = NULL, *csv = NULL;
	assert_int_equal(pl_forecast_json(&json, s, &err), PL_OK);
	const char *f = strstr(json, "\"forecast\": ");
	assert_non_null(f);
	assert_true(strtod(f + strlen("\"forecast\": "), NULL) == 100.0 / 3);
	assert_int_equal(pl_forecast_csv(&csv, s, &err), PL_OK);
	assert_non_null(strstr(csv, "\ncompromise,x,33.333333333333336,0\n"));
	pl_free(json);
	pl_free(csv);
	pl_forecast_set_free(s);
	pl_case_free(c);
}

/* The case writers: a capability of 1/3 and a salience of 100/3 (stored as
 * 1/3) read back bit for bit from JSON and from CSV. */
static void third_through_case_writers(void **state)
{
	(void)state;
	char text[512];
	snprintf(text, sizeof text,
		 "{\"issues\":[{\"id\":\"x\"}],\"actors\":["
		 "{\"id\":\"A\",\"capability\":%.17g,\"stances\":{\"x\":{\"position\":%.17g,"
		 "\"salience\":%.17g}}},"
		 "{\"id\":\"B\",\"capability\":1,\"stances\":{\"x\":{\"position\":100,"
		 "\"salience\":7}}}]}",
		 1.0 / 3, 100.0 / 3, 100.0 / 3);
	pl_case *c = case_from(text, "t.json");
	char *json = NULL, *csv = NULL;
	const char *lost = NULL;
	assert_int_equal(pl_case_write_json(c, &json, NULL), PL_OK);
	assert_int_equal(pl_case_write_csv(c, 0, &csv, &lost, NULL), PL_OK);
	assert_non_null(strstr(json, "\"salience\": 7\n"));
	pl_case *d = case_from(json, "back.json"), *e = case_from(csv, "back.csv");
	for (pl_case *b = d; b; b = b == d ? e : NULL) {
		assert_true(pl_case_actor(b, 0)->capability == 1.0 / 3);
		assert_true(pl_case_stance(b, 0, 0)->position == 100.0 / 3);
		assert_true(pl_case_stance(b, 0, 0)->salience == pl_case_stance(c, 0, 0)->salience);
		assert_true(pl_case_stance(b, 1, 0)->salience == 0.07);
	}
	pl_free(json);
	pl_free(csv);
	pl_case_free(c);
	pl_case_free(d);
	pl_case_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shortest_by_hand),
		cmocka_unit_test(shortest_random),
		cmocka_unit_test(json_reals_only),
		cmocka_unit_test(third_through_documents),
		cmocka_unit_test(third_through_case_writers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
