/* test_outcome.c - issues' recorded outcomes (issues[].outcome in JSON,
 * "# outcome:" in BDM CSV): the reader gives every field, the writers write
 * them back so the case reads the same (same hash), the CSV writer says what
 * it cannot carry, and the outcome enters the case's hash.  The rules the
 * readers enforce (on the scale, range containing the value, dates, unknown
 * keys) are test_badinput.c's. */
#include "helpers.h"

#define ACTORS                                                                                     \
	"\"actors\":[{\"id\":\"A\",\"capability\":2,\"stances\":{\"x\":{\"position\":1,"           \
	"\"salience\":50},\"y\":{\"position\":70,\"salience\":20}}},{\"id\":\"B\",\"capability\":" \
	"1,\"stances\":{\"x\":{\"position\":9,\"salience\":80},\"y\":{\"position\":10,"            \
	"\"salience\":90}}}]"

static const char with_outcomes[] =
	"{\"format\":\"parley-case/1\",\"id\":\"t\",\"issues\":["
	"{\"id\":\"x\",\"scale\":{\"min\":0,\"max\":10},\"outcome\":{\"value\":3.25,"
	"\"range\":[2,4],\"date\":\"2008-02-29\",\"source\":\"the final text, art. 2\"}},"
	"{\"id\":\"y\",\"outcome\":{\"value\":100,\"date\":\"1999-12\"}}]," ACTORS "}";

static pl_case *json_without_outcomes(void)
{
	static const char text[] = "{\"format\":\"parley-case/1\",\"id\":\"t\",\"issues\":["
				   "{\"id\":\"x\",\"scale\":{\"min\":0,\"max\":10}},"
				   "{\"id\":\"y\"}]," ACTORS "}";
	return case_from(text, "t.json");
}

static void json_reads_every_field(void **state)
{
	pl_case *c = case_from(with_outcomes, "t.json");
	const pl_issue *x = pl_case_issue(c, 0), *y = pl_case_issue(c, 1);
	assert_true(x->has_outcome);
	assert_double_equal(x->outcome.value, 3.25, 0);
	assert_true(x->outcome.has_range);
	assert_double_equal(x->outcome.lo, 2, 0);
	assert_double_equal(x->outcome.hi, 4, 0);
	assert_string_equal(x->outcome.date, "2008-02-29");
	assert_string_equal(x->outcome.source, "the final text, art. 2");
	assert_true(y->has_outcome);
	assert_double_equal(y->outcome.value, 100, 0);
	assert_false(y->outcome.has_range);
	assert_string_equal(y->outcome.date, "1999-12");
	assert_null(y->outcome.source);
	pl_case *n = json_without_outcomes();
	assert_false(pl_case_issue(n, 0)->has_outcome);
	/* an outcome is part of the case: it changes the hash */
	assert_string_not_equal(pl_case_hash(c), pl_case_hash(n));
	pl_case_free(n);
	pl_case_free(c);
}

static void json_round_trip(void **state)
{
	pl_case *c = case_from(with_outcomes, "t.json");
	char *out = NULL;
	assert_int_equal(pl_case_write_json(c, &out, NULL), PL_OK);
	assert_non_null(strstr(out, "\"outcome\""));
	pl_case *d = case_from(out, "t.json");
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	const pl_issue *x = pl_case_issue(d, 0);
	assert_true(x->has_outcome && x->outcome.has_range);
	assert_double_equal(x->outcome.lo, 2, 0);
	assert_string_equal(x->outcome.source, "the final text, art. 2");
	char *again = NULL;
	assert_int_equal(pl_case_write_json(d, &again, NULL), PL_OK);
	assert_string_equal(out, again);
	pl_free(again);
	pl_free(out);
	pl_case_free(d);
	pl_case_free(c);
}

static void csv_round_trip(void **state)
{
	/* the outcome line may come among the other '#' lines or after the header */
	static const char *const texts[] = {
		"# name: Emissions\n# outcome: 7.5\n# scale: 0 10\n"
		"Actor,Capability,Position,Salience\nDE,10,4,80\nFR,10,10,60\n",
		"# name: Emissions\n# scale: 0 10\nActor,Capability,Position,Salience\n"
		"# outcome: 7.5\nDE,10,4,80\nFR,10,10,60\n",
	};
	pl_case *first = NULL;
	for (size_t k = 0; k < 2; k++) {
		pl_case *c = case_from(texts[k], "emissions.csv");
		const pl_issue *is = pl_case_issue(c, 0);
		assert_true(is->has_outcome);
		assert_double_equal(is->outcome.value, 7.5, 0);
		assert_false(is->outcome.has_range);
		char *out = NULL;
		const char *lost = "x";
		assert_int_equal(pl_case_write_csv(c, 0, &out, &lost, NULL), PL_OK);
		assert_null(lost);
		assert_non_null(strstr(out, "# outcome: 7.5\n"));
		pl_case *d = case_from(out, "emissions.csv");
		assert_string_equal(pl_case_hash(c), pl_case_hash(d));
		pl_free(out);
		pl_case_free(d);
		if (first)
			assert_string_equal(pl_case_hash(first), pl_case_hash(c));
		pl_case_free(first);
		first = c;
	}
	/* without the line there is no outcome, and the hash differs */
	pl_case *n = case_from("# name: Emissions\n# scale: 0 10\n"
			       "Actor,Capability,Position,Salience\nDE,10,4,80\nFR,10,10,60\n",
			       "emissions.csv");
	assert_false(pl_case_issue(n, 0)->has_outcome);
	assert_string_not_equal(pl_case_hash(first), pl_case_hash(n));
	char *out = NULL;
	const char *lost = NULL;
	assert_int_equal(pl_case_write_csv(n, 0, &out, &lost, NULL), PL_OK);
	assert_null(strstr(out, "outcome"));
	pl_free(out);
	pl_case_free(n);
	pl_case_free(first);
}

/* JSON -> CSV keeps the value and says the range, date and source are lost;
 * the value alone survives CSV -> JSON. */
static void csv_says_what_it_loses(void **state)
{
	pl_case *c = case_from(with_outcomes, "t.json");
	char *out = NULL;
	const char *lost = NULL;
	assert_int_equal(pl_case_write_csv(c, 0, &out, &lost, NULL), PL_OK);
	assert_non_null(lost);
	assert_non_null(strstr(lost, "the outcome's range, date and source"));
	pl_case *d = case_from(out, "x.csv");
	assert_true(pl_case_issue(d, 0)->has_outcome);
	assert_double_equal(pl_case_issue(d, 0)->outcome.value, 3.25, 0);
	assert_false(pl_case_issue(d, 0)->outcome.has_range);
	assert_null(pl_case_issue(d, 0)->outcome.date);
	pl_free(out);
	pl_case_free(d);
	pl_case_free(c);
	/* a case without outcomes is not told it loses one */
	c = json_without_outcomes();
	assert_int_equal(pl_case_write_csv(c, 0, &out, &lost, NULL), PL_OK);
	assert_non_null(lost);
	assert_null(strstr(lost, "outcome"));
	pl_free(out);
	pl_case_free(c);
}

/* Dates: the three precisions and leap days. */
static void dates(void **state)
{
	static const char *const good[] = {"2000-02-29", "2015", "2015-12", "1900-12-31"};
	static const char *const bad[] = {"1900-02-29", "2015-00",    "2015-1",	    "15-12-12",
					  "2015-12-32", "2015/12/12", "2015-12-1x", ""};
	char text[1024];
	for (size_t k = 0; k < sizeof good / sizeof *good + sizeof bad / sizeof *bad; k++) {
		int ok = k < sizeof good / sizeof *good;
		const char *d = ok ? good[k] : bad[k - sizeof good / sizeof *good];
		snprintf(text, sizeof text,
			 "{\"issues\":[{\"id\":\"x\",\"outcome\":{\"value\":5,\"date\":\"%s\"}}],"
			 "\"actors\":[{\"id\":\"A\",\"capability\":1,\"stances\":{\"x\":{"
			 "\"position\":1,\"salience\":1}}}]}",
			 d);
		pl_case *c = NULL;
		pl_error err;
		pl_error_clear(&err);
		int rc = pl_case_read_mem(text, strlen(text), "d.json", PL_FORMAT_JSON, &c, &err);
		if (ok != (rc == PL_OK))
			fail_msg("date '%s': expected %s", d, ok ? "accepted" : "refused");
		if (!ok) {
			assert_int_equal(rc, PL_EINPUT);
			char buf[512];
			assert_non_null(strstr(pl_error_format(&err, buf, sizeof buf),
					       "$.issues[0].outcome.date"));
		}
		pl_case_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_reads_every_field),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(csv_round_trip),
		cmocka_unit_test(csv_says_what_it_loses),
		cmocka_unit_test(dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
