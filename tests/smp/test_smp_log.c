/* test_smp_log.c - the smp engine's SQLite log (log=FILE.db) under a forum
 * comparison: one file keeps every forum's run, each tagged by its forum and
 * equal row for row to the log `parley forecast --forum ID` writes; the same
 * bytes for any number of threads; a failed comparison leaves the old file
 * as it was and no part or temporary file behind. */
#include "helpers.h"

#include <dirent.h>
#include <sqlite3.h>
#include <unistd.h>

/* Three actors with power and one without; forum "powerless" has no one at
 * the table, "pair" two of them, "alone" one (too few for smp). */
static const char json[] =
	"{\"id\":\"t\",\"issues\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"actors\":["
	"{\"id\":\"A\",\"capability\":3,\"stances\":{\"a\":{\"position\":10,\"salience\":60},"
	"\"b\":{\"position\":20,\"salience\":40}}},"
	"{\"id\":\"B\",\"capability\":2,\"stances\":{\"a\":{\"position\":90,\"salience\":50},"
	"\"b\":{\"position\":70,\"salience\":50}}},"
	"{\"id\":\"C\",\"capability\":1,\"stances\":{\"a\":{\"position\":40,\"salience\":50},"
	"\"b\":{\"position\":30,\"salience\":50}}},"
	"{\"id\":\"D\",\"capability\":0,\"stances\":{\"a\":{\"position\":40,\"salience\":50},"
	"\"b\":{\"position\":30,\"salience\":50}}}],"
	"\"forums\":[{\"id\":\"powerless\",\"members\":[\"D\"],\"outsider_weight\":0},"
	"{\"id\":\"pair\",\"members\":[\"A\",\"B\"],\"outsider_weight\":0},"
	"{\"id\":\"alone\",\"members\":[\"A\"],\"outsider_weight\":0}]}";

static pl_params *params(const char *const *kv)
{
	pl_params *p = pl_params_new();
	pl_error err;
	for (size_t k = 0; kv[k]; k++)
		assert_int_equal(pl_params_parse(p, kv[k], &err), PL_OK);
	return p;
}

/* Compares every forum of c (everyone first) with smp, and with eu too
 * when eu_kv (eu's parameters) is not NULL. */
static int compare_n(const pl_case *c, size_t nf, const char *const *smp_kv,
		     const char *const *eu_kv, pl_error *err)
{
	size_t forums[16];
	assert_true(nf <= 16);
	forums[0] = PL_NO_FORUM;
	for (size_t f = 1; f < nf; f++)
		forums[f] = f - 1;
	const pl_engine *engines[2] = {pl_engine_find("smp", err), pl_engine_find("eu", err)};
	pl_params *ps[2] = {params(smp_kv), eu_kv ? params(eu_kv) : NULL};
	const pl_params *cps[2] = {ps[0], ps[1]};
	pl_compare_options o = {.n_forums = nf,
				.forums = forums,
				.n_engines = eu_kv ? 2 : 1,
				.engines = engines,
				.params = cps};
	pl_compare *cmp = NULL;
	pl_error_clear(err);
	int rc = pl_compare_run(c, &o, &cmp, err);
	pl_compare_free(cmp);
	pl_params_free(ps[0]);
	pl_params_free(ps[1]);
	return rc;
}

static int compare(const pl_case *c, const char *const *smp_kv, const char *const *eu_kv,
		   pl_error *err)
{
	return compare_n(c, pl_case_n_forums(c) + 1, smp_kv, eu_kv, err);
}

static char *text_of(sqlite3 *db, const char *sql, long run)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (run >= 0)
		sqlite3_bind_int64(st, 1, run);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(st, 0);
	char *s = strdup(t ? (const char *)t : "");
	sqlite3_finalize(st);
	return s;
}

/* Every row of run `run` of each per-turn table, as text. */
static const char *const dumps[] = {
	"SELECT group_concat(turn||','||actor||','||dim||','||position||','||ideal, ';') FROM "
	"(SELECT * FROM position WHERE run = ?1 ORDER BY rowid)",
	"SELECT group_concat(turn||','||initiator||','||target||','||p_win_initiator_view||','||"
	"p_win_target_view||','||expected_gain||','||gain_target_view, ';') FROM (SELECT * FROM "
	"challenge WHERE run = ?1 ORDER BY rowid)",
	"SELECT group_concat(turn||','||bargain||','||initiator||','||receiver||','||dim||','||"
	"initiator_pos||','||receiver_pos, ';') FROM (SELECT * FROM bargain WHERE run = ?1 "
	"ORDER BY rowid)",
	"SELECT group_concat(turn||','||actor||','||bargain||','||probability||','||chosen, ';') "
	"FROM (SELECT * FROM bargain_choice WHERE run = ?1 ORDER BY rowid)",
	"SELECT group_concat(actor||','||id, ';') FROM (SELECT * FROM actor WHERE run = ?1 ORDER "
	"BY rowid)",
	"SELECT case_id||','||case_sha256||','||forum||','||engine||','||params||','||seed||','||"
	"rounds||','||parley FROM run WHERE run = ?1",
};

/* A fresh directory (dir is its mkdtemp template), the log's path c.db in
 * it, and the parameter "log=PATH". */
typedef struct log_dir {
	char dir[32], db_path[300], kv[320];
} log_dir;

static void make_log_dir(log_dir *l)
{
	snprintf(l->dir, sizeof l->dir, "/tmp/parley-cmplog-XXXXXX");
	assert_non_null(mkdtemp(l->dir));
	snprintf(l->db_path, sizeof l->db_path, "%s/c.db", l->dir);
	snprintf(l->kv, sizeof l->kv, "log=%s", l->db_path);
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* One file, one run per forum in the comparison's order, each equal to the
 * forecast of that forum alone. */
static void test_compare_keeps_every_forum(void **state)
{
	(void)state;
	log_dir l;
	make_log_dir(&l);
	const char *dir = l.dir, *db_path = l.db_path, *kv = l.kv;
	pl_case *c = case_from_file("data/cases/korea-six-party.json");
	size_t nf = pl_case_n_forums(c) + 1;
	assert_true(nf >= 3);
	pl_error err;
	const char *kvs[] = {kv, "threads=2", NULL};
	assert_int_equal(compare(c, kvs, NULL, &err), PL_OK);
	assert_int_equal(entries(dir), 1);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	char *n = text_of(db, "SELECT count(*) FROM run", -1);
	assert_int_equal(atol(n), (long)nf);
	free(n);
	for (size_t f = 0; f < nf; f++) {
		char *forum = text_of(db, "SELECT forum FROM run WHERE run = ?1", (long)f + 1);
		assert_string_equal(forum, f ? pl_case_forum(c, f - 1)->id : "everyone");
		free(forum);
		/* the same run alone, through pl_forecast with --forum */
		char one[300], kv1[320];
		snprintf(one, sizeof one, "%s/one.db", dir);
		snprintf(kv1, sizeof kv1, "log=%s", one);
		const char *kvs1[] = {kv1, NULL};
		pl_params *p = params(kvs1);
		pl_run_options ro;
		pl_run_options_init(&ro);
		ro.forum = f ? f - 1 : PL_NO_FORUM;
		ro.params = p;
		pl_result *r = NULL;
		assert_int_equal(pl_forecast(c, pl_engine_find("smp", &err), &ro, &r, &err), PL_OK);
		pl_result_free(r);
		pl_params_free(p);
		sqlite3 *db1;
		assert_int_equal(sqlite3_open(one, &db1), SQLITE_OK);
		for (size_t q = 0; q < sizeof dumps / sizeof dumps[0]; q++) {
			char *a = text_of(db, dumps[q], (long)f + 1),
			     *b = text_of(db1, dumps[q], 1);
			assert_true(q != 0 || strlen(a) > 0);
			assert_string_equal(a, b);
			free(a);
			free(b);
		}
		sqlite3_close(db1);
		unlink(one);
	}
	sqlite3_close(db);
	/* the bytes do not depend on the threads */
	char db2[300], kv2[320];
	snprintf(db2, sizeof db2, "%s/c2.db", dir);
	snprintf(kv2, sizeof kv2, "log=%s", db2);
	const char *kvs2[] = {kv2, "threads=5", NULL};
	assert_int_equal(compare(c, kvs2, NULL, &err), PL_OK);
	size_t la, lb;
	char *a = slurp(db_path, &la), *b = slurp(db2, &lb);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	unlink(db2);
	unlink(db_path);
	rmdir(dir);
	pl_case_free(c);
}

/* Writes "old" at path. */
static void old_file(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("old", f);
	fclose(f);
}

static void expect_old(const char *dir, const char *path)
{
	assert_int_equal(entries(dir), 1);
	size_t len;
	char *b = slurp(path, &len);
	assert_non_null(b);
	assert_int_equal(len, 3);
	assert_memory_equal(b, "old", 3);
	free(b);
}

/* A comparison that fails (eu's parameter is refused) leaves the old file
 * untouched and nothing else behind.  smp's "cannot run forum 'alone'" is
 * no failure: that run is reported as not run (the test below). */
static void test_failed_compare_leaves_old_log(void **state)
{
	(void)state;
	log_dir l;
	make_log_dir(&l);
	const char *dir = l.dir, *db_path = l.db_path, *kv = l.kv;
	old_file(db_path);
	pl_case *c = case_from(json, "t.json");
	pl_error err;
	const char *kvs[] = {kv, NULL}, *bad[] = {"no_such=1", NULL};
	assert_int_equal(compare_n(c, 3, kvs, bad, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "no_such"));
	expect_old(dir, db_path);
	unlink(db_path);
	rmdir(dir);
	pl_case_free(c);
}

/* A comparison of a case whose forums leave an issue with no one at the
 * table ("powerless") or one actor, too few for smp ("alone"): those runs
 * are not run and left out of the log, the others are in it. */
static void test_compare_log_skips_forums_that_cannot_run(void **state)
{
	(void)state;
	pl_case *c = case_from(json, "t.json");
	log_dir l;
	make_log_dir(&l);
	const char *dir = l.dir, *db_path = l.db_path, *kv = l.kv;
	pl_error err;
	const char *kvs[] = {kv, NULL};
	int rc = compare(c, kvs, NULL, &err);
	if (rc)
		print_error("%s: %s\n", err.where, err.message);
	assert_int_equal(rc, PL_OK);
	assert_int_equal(entries(dir), 1);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	char *forums = text_of(db, "SELECT group_concat(run||':'||forum, ' ') FROM run", -1);
	char *pair = text_of(db, "SELECT group_concat(id, ' ') FROM actor WHERE run = 2", -1);
	assert_string_equal(forums, "1:everyone 2:pair");
	assert_string_equal(pair, "A B");
	free(forums);
	free(pair);
	sqlite3_close(db);
	unlink(db_path);
	rmdir(dir);
	pl_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_keeps_every_forum),
		cmocka_unit_test(test_failed_compare_leaves_old_log),
		cmocka_unit_test(test_compare_log_skips_forums_that_cannot_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
