/* test_io_decide.c - Decide's input format: what a file says becomes the
 * case (scales from #M, per-issue power, missing stances), both separators
 * and both quotes, errors by line, the writer's output reads back as the
 * same case; and Decide's three shipped data sets (../shared/peers/decide,
 * never copied into the repository) read and write back the same, when the
 * folder is there. */
#include "helpers.h"

#include <unistd.h>

#define DECIDE_DIR "../shared/peers/decide"

static const char tabbed[] = "'#A'\t'USA'\t'United States'\t''\n"
			     "'#A'\t'EU (incl Norway)'\t'EU (incl Norway)'\t''\n"
			     "'#/'\t'a comment'\n"
			     "'#P'\t'toll'\t'Toll'\t'how high'\n"
			     "'#M'\t'toll'\t0.5\n"
			     "'#M'\t'toll'\t3\t'the middle'\n"
			     "'#M'\t'toll'\t7\n"
			     "'#P'\t'treaty'\t'treaty'\t''\n"
			     "'#D'\t'USA'\t'toll'\t3.0\t0.7\t1.0\n"
			     "'#D'\t'EU (incl Norway)'\t'toll'\t7\t0.25\t0.156\n"
			     "'#D'\t'EU (incl Norway)'\t'treaty'\t50.0\t0.4\t0.2\n";

static void reads_tabbed(void **state)
{
	(void)state;
	pl_case *c = case_from(tabbed, "dir/sample.txt");
	assert_int_equal(pl_format_guess("x.csv", tabbed, strlen(tabbed)), PL_FORMAT_DECIDE);
	assert_int_equal(pl_case_n_actors(c), 2);
	assert_int_equal(pl_case_n_issues(c), 2);
	assert_string_equal(pl_case_get_info(c)->id, "sample");
	const pl_actor *eu = pl_case_actor(c, 1);
	assert_string_equal(eu->id, "eu-incl-norway");
	assert_string_equal(eu->name, "EU (incl Norway)");
	assert_double_equal(eu->capability, 0.2, 0);
	const pl_issue *toll = pl_case_issue(c, 0);
	assert_double_equal(toll->min, 0.5, 0);
	assert_double_equal(toll->max, 7, 0);
	assert_int_equal(toll->n_anchors, 1);
	assert_string_equal(toll->anchors[0].label, "the middle");
	assert_string_equal(toll->note, "how high");
	const pl_issue *treaty = pl_case_issue(c, 1);
	assert_double_equal(treaty->min, 0, 0);
	assert_double_equal(treaty->max, 100, 0);
	const pl_stance *s = pl_case_stance(c, 1, 0);
	assert_true(s->present);
	assert_double_equal(s->position, 7, 0);
	assert_double_equal(s->salience, 0.25, 0);
	assert_double_equal(s->capability, 0.156, 0);
	assert_false(pl_case_stance(c, 0, 1)->present);
	pl_case_free(c);
}

static void reads_semicolons(void **state)
{
	(void)state;
	const char *text = "#A;a;\"the a; one\"\n#A;'b'\n#P;p\n#D;a;p;10;0.5;1\n"
			   "#D ; b ; p ; 90 ; 1 ; 2 ; 'it''s b'\n";
	pl_case *c = case_from(text, "semi");
	assert_string_equal(pl_case_actor(c, 0)->name, "the a; one");
	assert_string_equal(pl_case_stance(c, 1, 0)->note, "it's b");
	assert_double_equal(pl_case_stance(c, 1, 0)->capability, 2, 0);
	pl_case_free(c);
}

static void expect_error(const char *text, const char *where, const char *msg)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_case_read_mem(text, strlen(text), "f.txt", PL_FORMAT_DECIDE, &c, &err);
	char buf[1024];
	pl_error_format(&err, buf, sizeof buf);
	if (rc != PL_EINPUT || !strstr(buf, where) || !strstr(buf, msg)) {
		print_error("expected '%s' ... '%s', got rc %d: %s\n", where, msg, rc, buf);
		fail();
	}
	assert_null(c);
}

static void errors_by_line(void **state)
{
	(void)state;
	expect_error("#A;a\n#P;p\n#D;a;p;150;0.5;1\n", "f.txt:3", "outside the scale [0, 100]");
	expect_error("#A;a\n#P;p\n\n#D;a;q;50;0.5;1\n", "f.txt:4", "no #P line declares");
	expect_error("#A;a\n#P;p\n#D;b;p;50;0.5;1\n", "f.txt:3", "no #A line declares");
	expect_error("#A;a\n#P;p\n#D;a;p;50;1.5;1\n", "f.txt:3", "salience 1.5 is outside");
	expect_error("#A;a\n#P;p\n#D;a;p;50;0.5;-1\n", "f.txt:3", "power -1 is outside");
	expect_error("#A;a\n#P;p\n#D;a;p;x;0.5;1\n", "f.txt:3", "position 'x' is not a number");
	expect_error("#A;a\n#P;p\n#D;a;p;50;0.5\n", "f.txt:3", "#D needs actor, issue");
	expect_error("#A;a\n#P;p\n#D;a;p;5;0.5;1\n#D;a;p;6;0.5;1\n", "f.txt:4", "second #D");
	expect_error("#A;'a\n", "f.txt:1", "not closed");
	expect_error("#A;'a'b\n", "f.txt:1", "after the closing");
	expect_error("#A;a\n#X;p\n", "f.txt:2", "not '#X'");
	expect_error("#A;a\n#A;a\n", "f.txt:2", "duplicate actor 'a' (also line 1)");
	expect_error("#A;a\n#P;p\n#M;p;3\n#D;a;p;3;0.5;1\n", "f.txt:2", "one #M value only");
	expect_error("#A;a\n#P;p\n#M;q;3\n", "f.txt:3", "#M names issue 'q'");
	expect_error("#A;a\n#D;a;p;3;0.5;1\n", "f.txt", "at least one #A (actor) and one #P");
	expect_error("#A;a\n#P;p\n", "f.txt", "no actor with a stance");
}

/* Written and read back: the same case (the same hash) with nothing lost. */
/* KTAB scenario names that start like Decide tags stay KTAB: "#Demo" is no
 * #D row, and "#/emo" with KTAB's two counts is no Decide comment (both found
 * by fuzz_case_csv); a real Decide comment line still means Decide. */
static void guess_ktab_lookalikes(void **state)
{
	(void)state;
	const char *ktab[] = {
		"#Demo,\"A demo\",2,1\nActor,Description,Power,P Position,P Salience\n",
		"#/emo ,\"A demo\",2,2,\nActor,Description,Power,P Position,P Salience\n",
	};
	for (size_t k = 0; k < 2; k++)
		assert_int_equal(pl_format_guess(NULL, ktab[k], strlen(ktab[k])), PL_FORMAT_KTAB);
	const char decide[] = "#/ COP21, 2 actors, 1 issue\n'#A'\t'USA'\t'USA'\t''\n";
	assert_int_equal(pl_format_guess(NULL, decide, strlen(decide)), PL_FORMAT_DECIDE);
	const char row[] = "#D,USA,toll,3,0.7,1\n";
	assert_int_equal(pl_format_guess(NULL, row, strlen(row)), PL_FORMAT_DECIDE);
}

static void roundtrip(const pl_case *c, const char *name)
{
	char *out = NULL;
	const char *lost = "?";
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_case_write_decide(c, &out, &lost, &err), PL_OK);
	if (lost)
		print_error("%s: lost %s\n", name, lost);
	assert_null(lost);
	assert_int_equal(pl_format_guess(NULL, out, strlen(out)), PL_FORMAT_DECIDE);
	pl_case *d = case_from(out, name);
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	free(out);
	pl_case_free(d);
}

static void writes_back(void **state)
{
	(void)state;
	pl_case *c = case_from(tabbed, "sample.txt");
	roundtrip(c, "sample.txt");
	pl_case_free(c);
	const char *odd = "#A;'it''s'\n#P;p;'a\ttab'\n#M;p;-5\n#M;p;5;'five'\n#D;'it''s';p;0;0;0\n";
	c = case_from(odd, "odd.txt");
	roundtrip(c, "odd.txt");
	pl_case_free(c);
}

static void shipped_data_sets(void **state)
{
	(void)state;
	if (access(DECIDE_DIR, R_OK) != 0) {
		print_message("skipped: %s is absent (Decide's data sets)\n", DECIDE_DIR);
		skip();
	}
	const char *files[] = {"sample_data.txt", "copenhagen.csv", "cop21.csv"};
	const size_t actors[] = {10, 11, 15}, issues[] = {6, 7, 13}, stances[] = {60, 75, 181};
	for (size_t k = 0; k < 3; k++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", DECIDE_DIR, files[k]);
		pl_case *c = case_from_file(path);
		assert_int_equal(pl_case_n_actors(c), actors[k]);
		assert_int_equal(pl_case_n_issues(c), issues[k]);
		size_t n = 0;
		for (size_t a = 0; a < actors[k]; a++)
			for (size_t i = 0; i < issues[k]; i++)
				n += pl_case_stance(c, a, i)->present != 0;
		assert_int_equal(n, stances[k]);
		roundtrip(c, files[k]);
		pl_case_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_tabbed),	     cmocka_unit_test(reads_semicolons),
		cmocka_unit_test(errors_by_line),    cmocka_unit_test(writes_back),
		cmocka_unit_test(shipped_data_sets), cmocka_unit_test(guess_ktab_lookalikes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
