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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(red_lines_read_and_round_trip),
		cmocka_unit_test(no_red_line_no_key),
		cmocka_unit_test(bad_red_lines_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
