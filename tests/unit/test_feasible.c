/* test_feasible.c - red lines and reservations in the case model (JSON and
 * CSV, what the readers refuse) and the feasibility analysis built on them
 * (zones of agreement, blocking pairs, the package LP). */
#include "helpers.h"

static const char rl_json[] =
	"{\"issues\":[{\"id\":\"x\",\"scale\":{\"min\":0,\"max\":10}}],"
	"\"actors\":[{\"id\":\"a\",\"capability\":1,\"reservation\":-5,"
	"\"stances\":{\"x\":{\"position\":2,\"salience\":50,\"red_line\":6}}},"
	"{\"id\":\"b\",\"capability\":1,\"stances\":{\"x\":{\"position\":9,\"salience\":50,"
	"\"red_line\":4}}}]}";

static int case_error(const char *text, const char *name, char *buf, size_t size)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_case_read_mem(text, strlen(text), name, PL_FORMAT_AUTO, &c, &err);
	pl_case_free(c);
	pl_error_format(&err, buf, size);
	return rc;
}

static void red_lines_read_and_round_trip(void **state)
{
	pl_case *c = case_from(rl_json, "rl.json");
	const pl_stance *s = pl_case_stance(c, 0, 0);
	assert_true(s->has_red_line);
	assert_double_equal(s->red_line, 6, 0);
	assert_true(pl_case_actor(c, 0)->has_reservation);
	assert_double_equal(pl_case_actor(c, 0)->reservation, -5, 0);
	assert_false(pl_case_actor(c, 1)->has_reservation);
	char *json = NULL, *csv = NULL;
	const char *lost = NULL;
	assert_int_equal(pl_case_write_json(c, &json, NULL), PL_OK);
	pl_case *d = case_from(json, "rl.json");
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	assert_int_equal(pl_case_write_csv(c, 0, &csv, &lost, NULL), PL_OK);
	assert_non_null(strstr(csv, "RedLine,Reservation\n"));
	pl_case *e = case_from(csv, "x.csv");
	assert_true(pl_case_stance(e, 1, 0)->has_red_line);
	assert_double_equal(pl_case_stance(e, 1, 0)->red_line, 4, 0);
	assert_double_equal(pl_case_actor(e, 0)->reservation, -5, 0);
	assert_false(pl_case_actor(e, 1)->has_reservation);
	pl_free(json);
	pl_free(csv);
	pl_case_free(c);
	pl_case_free(d);
	pl_case_free(e);
}

/* A case without red lines hashes as it did before they existed. */
static void no_red_line_no_key(void **state)
{
	pl_case *c = case_from("{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\","
			       "\"capability\":1,\"stances\":{\"x\":{\"position\":5,"
			       "\"salience\":10}}}]}",
			       "n.json");
	char *json = NULL;
	assert_int_equal(pl_case_write_json(c, &json, NULL), PL_OK);
	assert_null(strstr(json, "red_line"));
	assert_null(strstr(json, "reservation"));
	pl_free(json);
	pl_case_free(c);
}

static void bad_red_lines_refused(void **state)
{
	char buf[2048];
	assert_int_equal(case_error("{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\","
				    "\"capability\":1,\"stances\":{\"x\":{\"position\":5,"
				    "\"salience\":10,\"red_line\":101}}}]}",
				    "b.json", buf, sizeof buf),
			 PL_EINPUT);
	assert_non_null(strstr(buf, "$.actors[0].stances.x.red_line: 101 is outside"));
	assert_int_equal(case_error("{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\","
				    "\"capability\":1,\"reservation\":3,\"stances\":{\"x\":{"
				    "\"position\":5,\"salience\":10}}}]}",
				    "b.json", buf, sizeof buf),
			 PL_EINPUT);
	assert_non_null(strstr(buf, "$.actors[0].reservation: 3 is outside"));
	assert_int_equal(case_error("# scale: 0 10\nActor,Capability,Position,Salience,RedLine\n"
				    "A,1,5,10,11\n",
				    "b.csv", buf, sizeof buf),
			 PL_EINPUT);
	assert_non_null(strstr(buf, "RedLine 11 is outside the scale"));
	assert_int_equal(case_error("Actor,Capability,Position,Salience,Reservation\n"
				    "A,1,5,10,x\n",
				    "b.csv", buf, sizeof buf),
			 PL_EINPUT);
}

static pl_feasible *analyse(const pl_case *c, pl_decision_rule rule, double thr)
{
	pl_feasible_options o = {.forum = PL_NO_FORUM, .rule = rule, .threshold = thr};
	pl_feasible *f = NULL;
	assert_int_equal(pl_feasible_analyse(c, &o, &f, NULL), PL_OK);
	return f;
}

static char *three(double red_b)
{
	static char text[600];
	snprintf(text, sizeof text,
		 "{\"issues\":[{\"id\":\"x\"}],\"actors\":["
		 "{\"id\":\"A\",\"capability\":1,\"stances\":{\"x\":{\"position\":10,"
		 "\"salience\":50,\"red_line\":40}}},"
		 "{\"id\":\"B\",\"capability\":3,\"stances\":{\"x\":{\"position\":90,"
		 "\"salience\":50,\"red_line\":%g}}},"
		 "{\"id\":\"C\",\"capability\":1,\"stances\":{\"x\":{\"position\":50,"
		 "\"salience\":50}}}],"
		 "\"forums\":[{\"id\":\"ac\",\"members\":[\"A\",\"C\"]}]}",
		 red_b);
	return text;
}

/* A accepts [0, 40], B [red, 100], C everything. */
static void zones_and_blocking_pairs(void **state)
{
	pl_case *c = case_from(three(30), "z.json");
	pl_feasible *f = analyse(c, PL_RULE_UNANIMITY, 0);
	assert_true(f->issues[0].feasible);
	assert_double_equal(f->issues[0].interval.lo, 30, 0);
	assert_double_equal(f->issues[0].interval.hi, 40, 0);
	char buf[300];
	assert_false(pl_feasible_outside(c, f, 0, 35, buf, sizeof buf));
	assert_true(pl_feasible_outside(c, f, 0, 50, buf, sizeof buf));
	assert_non_null(strstr(buf, "outside the zone of agreement [30, 40]"));
	pl_feasible_free(f);
	pl_case_free(c);
	c = case_from(three(60), "z.json");
	f = analyse(c, PL_RULE_UNANIMITY, 0);
	assert_false(f->issues[0].feasible);
	assert_int_equal(f->issues[0].n_blocking, 2);
	assert_int_equal(f->issues[0].blocking[0], 0);
	assert_int_equal(f->issues[0].blocking[1], 1);
	char *json = NULL;
	assert_int_equal(pl_feasible_json(&json, c, f, NULL), PL_OK);
	assert_non_null(strstr(json, "\"interval\": null"));
	assert_non_null(strstr(json, "\"blocking\": [\n        \"A\",\n        \"B\"\n      ]"));
	pl_free(json);
	pl_feasible_free(f);
	/* the forum of A and C only: B does not count */
	pl_feasible_options o = {.rule = PL_RULE_UNANIMITY};
	assert_int_equal(pl_case_find_forum(c, "ac", &o.forum, NULL), PL_OK);
	assert_int_equal(pl_feasible_analyse(c, &o, &f, NULL), PL_OK);
	assert_true(f->issues[0].feasible);
	assert_double_equal(f->issues[0].interval.hi, 40, 0);
	assert_double_equal(f->issues[0].interval.lo, 0, 0);
	pl_feasible_free(f);
	/* qualified majority 0.6 of capability 5: B (3) with C (1) or A + C + B */
	f = analyse(c, PL_RULE_QMV, 0.6);
	assert_true(f->issues[0].feasible);
	assert_double_equal(f->issues[0].interval.lo, 60, 0);
	assert_double_equal(f->issues[0].interval.hi, 100, 0);
	pl_feasible_free(f);
	/* 0.9: no point has 4.5 of 5 */
	f = analyse(c, PL_RULE_QMV, 0.9);
	assert_false(f->issues[0].feasible);
	assert_true(f->issues[0].n_blocking >= 1);
	pl_feasible_free(f);
	pl_case_free(c);
}

/* Two actors at opposite corners of two issues, reservations -120: the
 * package splits the difference, x1 + x2 = 100, margin 20. */
static void package_by_linear_program(void **state)
{
	pl_case *c = case_from(
		"{\"issues\":[{\"id\":\"p\"},{\"id\":\"q\"}],\"actors\":["
		"{\"id\":\"A\",\"capability\":1,\"reservation\":-120,\"stances\":{"
		"\"p\":{\"position\":0,\"salience\":100},\"q\":{\"position\":0,\"salience\":100}}},"
		"{\"id\":\"B\",\"capability\":1,\"reservation\":-120,\"stances\":{"
		"\"p\":{\"position\":100,\"salience\":100},\"q\":{\"position\":100,"
		"\"salience\":100}}}]}",
		"lp.json");
	pl_feasible *f = analyse(c, PL_RULE_UNANIMITY, 0);
	assert_true(f->has_package);
	assert_true(f->package_found);
	assert_double_equal(f->margin, 20, 1e-6);
	assert_double_equal(f->position[0] + f->position[1], 100, 1e-6);
	assert_double_equal(f->actor_margin[0], 20, 1e-6);
	assert_double_equal(pl_feasible_utility(c, 0, f->position), -100, 1e-6);
	pl_feasible_free(f);
	pl_case_free(c);
	/* reservations of -90 leave no package: the best misses by 10 */
	c = case_from("{\"issues\":[{\"id\":\"p\"},{\"id\":\"q\"}],\"actors\":["
		      "{\"id\":\"A\",\"capability\":1,\"reservation\":-90,\"stances\":{"
		      "\"p\":{\"position\":0,\"salience\":100},\"q\":{\"position\":0,"
		      "\"salience\":100}}},"
		      "{\"id\":\"B\",\"capability\":1,\"reservation\":-90,\"stances\":{"
		      "\"p\":{\"position\":100,\"salience\":100},\"q\":{\"position\":100,"
		      "\"salience\":100}}}]}",
		      "lp.json");
	f = analyse(c, PL_RULE_UNANIMITY, 0);
	assert_false(f->package_found);
	assert_double_equal(f->margin, -10, 1e-6);
	pl_feasible_free(f);
	pl_case_free(c);
}

/* The shipped Korean case has red lines and reservations: a zone on every
 * issue, and a package everyone prefers to the status quo. */
static void korean_case_has_a_deal(void **state)
{
	pl_case *c = case_from_file("data/cases/korea-six-party.json");
	pl_feasible *f = analyse(c, PL_RULE_UNANIMITY, 0);
	for (size_t i = 0; i < f->n_issues; i++)
		assert_true(f->issues[i].feasible);
	assert_double_equal(f->issues[0].interval.lo, 20, 0);
	assert_double_equal(f->issues[0].interval.hi, 50, 0);
	assert_true(f->package_found);
	assert_true(f->margin > 0);
	pl_feasible_free(f);
	pl_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(red_lines_read_and_round_trip),
		cmocka_unit_test(no_red_line_no_key),
		cmocka_unit_test(bad_red_lines_refused),
		cmocka_unit_test(zones_and_blocking_pairs),
		cmocka_unit_test(package_by_linear_program),
		cmocka_unit_test(korean_case_has_a_deal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
