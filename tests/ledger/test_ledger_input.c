/* test_ledger_input.c - reading a ledger without changing it, and the
 * backdating rule.
 *
 * Read-only opening is tested so that it means something when the tests run
 * as root (for whom chmod 444 stops no write): the database is left with
 * commits in its write-ahead log, which any read-write connection would
 * checkpoint into the database file and delete on close.  After reading,
 * every byte and modification time of the database and -wal files must be
 * as they were, the connection must be one SQLite calls read-only, and
 * every write call must be refused.  A file no one may write (mode 444) must
 * be read without creating -wal or -shm files (a -shm of mode 444 would stop
 * the owner's next append). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ledger/ledger_internal.h"
#include "ledger_fixture.h"

/* A file's bytes and modification time, or absent. */
typedef struct snap {
	int present;
	char *bytes;
	size_t len;
	struct timespec mtime;
} snap;

static snap take(const char *path)
{
	snap s = {0};
	struct stat sb;
	if (stat(path, &sb) != 0)
		return s;
	s.present = 1;
	s.mtime = sb.st_mtim;
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	s.bytes = malloc((size_t)sb.st_size + 1);
	s.len = fread(s.bytes, 1, (size_t)sb.st_size, fp);
	fclose(fp);
	return s;
}

static void same(const snap *a, const char *path)
{
	snap b = take(path);
	if (a->present != b.present)
		fail_msg("%s was %s and is now %s", path, a->present ? "there" : "absent",
			 b.present ? "there" : "gone");
	if (a->present) {
		if (a->len != b.len || memcmp(a->bytes, b.bytes, a->len) != 0)
			fail_msg("%s changed", path);
		assert_true(a->mtime.tv_sec == b.mtime.tv_sec &&
			    a->mtime.tv_nsec == b.mtime.tv_nsec);
	}
	free(b.bytes);
}

static void side(const fixture *f, const char *suffix, char *out, size_t size)
{
	snprintf(out, size, "%s%s", f->db, suffix);
}

/* Every read the commands do, on a read-only ledger of n entries. */
static void read_everything(pl_ledger *lg, uint64_t n)
{
	pl_error err = {0};
	char *s = NULL;
	uint64_t checked = 0;
	assert_int_equal(pl_ledger_size(lg), n);
	assert_int_equal(sqlite3_db_readonly(lg->db, "main"), 1);
	assert_int_equal(pl_ledger_audit(lg, &checked, &err), PL_OK);
	assert_int_equal(checked, n);
	assert_int_equal(pl_ledger_show(lg, n - 1, NULL, &s, &err), PL_OK);
	free(s);
	assert_int_equal(pl_ledger_inclusion_proof(lg, 0, n, &s, &err), PL_OK);
	free(s);
	assert_int_equal(pl_ledger_latest_checkpoint(lg, &s, &err), PL_OK);
	free(s);
	assert_int_equal(pl_ledger_bundle(lg, n - 1, NULL, &s, &err), PL_OK);
	free(s);
	pl_commitment *c = NULL;
	size_t nc = 0;
	assert_int_equal(pl_ledger_commitments(lg, NULL, NULL, &c, &nc, &err), PL_OK);
	assert_int_equal(nc, 1);
	free(c);
}

/* Every write is refused, naming the rule, and changes nothing. */
static void writes_refused(fixture *f, pl_ledger *lg)
{
	pl_error err = {0};
	pl_entry_in in = {PL_ENTRY_STATEMENT, "public",		"2007-06-01T00:00:00Z",
			  "{\"text\":\"x\"}", &f->party[P_USA], NULL};
	uint64_t n = pl_ledger_size(lg);
	assert_int_equal(pl_ledger_append(lg, &in, 1, NULL, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "read-only"));
	assert_int_equal(pl_ledger_size(lg), n);
	char *note = NULL;
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_latest_checkpoint(lg, &note, &err), PL_OK);
	size_t added = 0;
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_add_cosignatures(lg, note, &added, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "read-only"));
	free(note);
}

/* Appends one commitment, checkpoints, closes the fixture's ledger and
 * returns its size: a ledger on disk for the read-only tests to open. */
static uint64_t commit_and_close(fixture *f)
{
	pl_error err = {0};
	char *note = NULL;
	assert_int_equal(fx_append(f, PL_ENTRY_COMMITMENT, &f->party[P_DPRK], "six-party",
				   "2007-02-13T00:00:00Z",
				   "{\"action\":\"freeze\",\"verification\":\"IAEA\"}", &err),
			 PL_OK);
	assert_int_equal(pl_ledger_checkpoint(f->lg, &f->log, &note, &err), PL_OK);
	free(note);
	uint64_t n = pl_ledger_size(f->lg);
	pl_ledger_close(f->lg);
	f->lg = NULL;
	return n;
}

/* Commits left in the -wal: a read-write open would checkpoint them into
 * the database and remove the -wal on close. */
static void test_read_only_keeps_wal(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	char wal[400], shm[400];
	side(f, "-wal", wal, sizeof wal);
	side(f, "-shm", shm, sizeof shm);
	assert_int_equal(sqlite3_db_config(f->lg->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL),
			 SQLITE_OK);
	uint64_t n = commit_and_close(f);
	snap d = take(f->db), w = take(wal), s = take(shm);
	assert_true(w.present && w.len > 0); /* the commits are in the -wal only */

	pl_ledger *lg = NULL;
	assert_int_equal(pl_ledger_open_read_only(f->db, &lg, &err), PL_OK);
	read_everything(lg, n);
	writes_refused(f, lg);
	pl_ledger_close(lg);
	same(&d, f->db);
	same(&w, wal);
	/* readers keep their read marks in the -shm (shared memory, not data):
	 * it stays, and may change */
	assert_true(s.present && access(shm, F_OK) == 0);
	/* the same ledger as a file nobody may write, the -wal still there */
	assert_int_equal(chmod(f->db, 0444), 0);
	assert_int_equal(pl_ledger_open_read_only(f->db, &lg, &err), PL_OK);
	read_everything(lg, n);
	pl_ledger_close(lg);
	same(&d, f->db);
	same(&w, wal);
	free(d.bytes);
	free(w.bytes);
	free(s.bytes);
}

/* Mode 444 and no -wal: read without creating -wal or -shm. */
static void test_read_only_locked_file(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	char wal[400], shm[400];
	side(f, "-wal", wal, sizeof wal);
	side(f, "-shm", shm, sizeof shm);
	uint64_t n = commit_and_close(f);
	assert_int_equal(access(wal, F_OK), -1);
	assert_int_equal(chmod(f->db, 0444), 0);
	snap d = take(f->db);
	pl_ledger *lg = NULL;
	assert_int_equal(pl_ledger_open_read_only(f->db, &lg, &err), PL_OK);
	read_everything(lg, n);
	writes_refused(f, lg);
	assert_int_equal(access(wal, F_OK), -1);
	assert_int_equal(access(shm, F_OK), -1);
	pl_ledger_close(lg);
	same(&d, f->db);
	assert_int_equal(access(wal, F_OK), -1);
	assert_int_equal(access(shm, F_OK), -1);
	/* opening to write says why it cannot (root may write anyway) */
	if (geteuid() != 0) {
		pl_error_clear(&err);
		assert_int_equal(pl_ledger_open(f->db, &lg, &err), PL_EINPUT);
		assert_non_null(strstr(err.message, "cannot write"));
	}
	free(d.bytes);
}

/* What is not a ledger is named as such, and nothing is created. */
static void test_not_a_ledger(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	pl_ledger *lg = NULL;
	char path[400];
	static const struct {
		const char *name, *content, *says;
	} cases[] = {{"missing", NULL, "no such ledger"},
		     {"empty", "", "is empty"},
		     {"text", "{\"format\":1}\n", "not a SQLite database"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, cases[i].name);
		if (cases[i].content) {
			FILE *fp = fopen(path, "w");
			assert_non_null(fp);
			fputs(cases[i].content, fp);
			fclose(fp);
		}
		for (int ro = 0; ro < 2; ro++) {
			pl_error_clear(&err);
			assert_int_equal(ro ? pl_ledger_open_read_only(path, &lg, &err)
					    : pl_ledger_open(path, &lg, &err),
					 PL_EINPUT);
			assert_non_null(strstr(err.message, cases[i].says));
			assert_string_equal(err.where, path);
		}
		pl_error_clear(&err);
		assert_int_equal(pl_ledger_probe(path, &err), PL_EINPUT);
		assert_non_null(strstr(err.message, cases[i].says));
	}
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_open_read_only(f->dir, &lg, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "is a directory"));
	/* a truncated ledger: SQLite's header, then nothing */
	snprintf(path, sizeof path, "%s/cut.db", f->dir);
	snap d = take(f->db);
	FILE *fp = fopen(path, "wb");
	fwrite(d.bytes, 1, 4096, fp);
	fclose(fp);
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_open_read_only(path, &lg, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "damaged or truncated"));
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_probe(f->db, &err), PL_OK);
	free(d.bytes);
}

/* A verification or withdrawal dated before its commitment is refused
 * when appended and when audited. */
static void test_backdating(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	char *js = NULL, hash[65];
	assert_int_equal(fx_append(f, PL_ENTRY_COMMITMENT, &f->party[P_DPRK], "six-party",
				   "2007-03-01T00:00:00Z",
				   "{\"action\":\"freeze\",\"verification\":\"IAEA\"}", &err),
			 PL_OK);
	uint64_t ci = pl_ledger_size(f->lg) - 1;
	assert_int_equal(pl_ledger_show(f->lg, ci, NULL, &js, &err), PL_OK);
	const char *h = strstr(js, "\"leaf_hash\": \"");
	assert_non_null(h);
	snprintf(hash, sizeof hash, "%.64s", h + 14);
	free(js);
	static const char ev[] = "0000000000000000000000000000000000000000000000000000000000000000";
	uint64_t n = pl_ledger_size(f->lg);
	pl_error_clear(&err);
	assert_int_equal(
		fx_appendf(f, PL_ENTRY_VERIFICATION, &f->party[P_IAEA], "six-party",
			   "2007-02-28T23:59:59Z", &err,
			   "{\"commitment\":\"%s\",\"result\":\"verified\",\"evidence\":\"%s\"}",
			   hash, ev),
		PL_EINPUT);
	assert_non_null(strstr(err.message, "backdated"));
	assert_non_null(strstr(err.message, "2007-03-01T00:00:00Z"));
	pl_error_clear(&err);
	assert_int_equal(fx_appendf(f, PL_ENTRY_WITHDRAWAL, &f->party[P_DPRK], "six-party",
				    "2006-12-31T00:00:00Z", &err,
				    "{\"commitment\":\"%s\",\"reason\":\"changed our mind\"}",
				    hash),
			 PL_EINPUT);
	assert_non_null(strstr(err.message, "backdated"));
	assert_int_equal(pl_ledger_size(f->lg), n);
	/* the same second is not before */
	pl_error_clear(&err);
	assert_int_equal(
		fx_appendf(f, PL_ENTRY_VERIFICATION, &f->party[P_IAEA], "six-party",
			   "2007-03-01T00:00:00Z", &err,
			   "{\"commitment\":\"%s\",\"result\":\"partial\",\"evidence\":\"%s\"}",
			   hash, ev),
		PL_OK);
	/* signed elsewhere and slipped into the database past the rules: audit
	 * refuses it */
	char body[512], *leaf = NULL, *sbody = NULL;
	snprintf(body, sizeof body,
		 "{\"commitment\":\"%s\",\"result\":\"verified\",\"evidence\":\"%s\"}", hash, ev);
	pl_entry_in in = {PL_ENTRY_VERIFICATION, "six-party", "2007-01-15T00:00:00Z", body,
			  &f->party[P_IAEA],	 NULL};
	assert_int_equal(pl_ledger_sign_entry(f->lg, &in, &leaf, &sbody, &err), PL_OK);
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_append_signed(f->lg, leaf, sbody, NULL, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "backdated"));
	uint8_t lh[PL_HASH_SIZE];
	pl_merkle_leaf_hash(leaf, strlen(leaf), lh);
	sqlite3_stmt *st;
	assert_int_equal(
		sqlite3_prepare_v2(f->lg->db,
				   "INSERT INTO entries VALUES (?, ?, ?, ?, 'verification',"
				   " 'six-party', 'iaea')",
				   -1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)pl_ledger_size(f->lg));
	sqlite3_bind_text(st, 2, leaf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sbody, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, lh, PL_HASH_SIZE, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	free(leaf);
	free(sbody);
	pl_ledger_close(f->lg);
	assert_int_equal(pl_ledger_open(f->db, &f->lg, &err), PL_OK);
	uint64_t checked;
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_audit(f->lg, &checked, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "backdated"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_only_keeps_wal, fx_state_setup,
						fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_read_only_locked_file, fx_state_setup,
						fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_not_a_ledger, fx_state_setup,
						fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_backdating, fx_state_setup, fx_state_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
