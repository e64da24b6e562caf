/* store.c - the service store (include/parley/store.h): one SQLite
 * connection under a mutex; results addressed by their SHA-256, and
 * triggers that refuse any change to a stored result. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "parley/digest.h"
#include "parley/store.h"

struct pl_store {
	sqlite3 *db;
	pthread_mutex_t lock;
	char path[4200];
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT OR IGNORE INTO meta VALUES('format', 'parley-server 1');"
	"CREATE TABLE IF NOT EXISTS cases(id TEXT PRIMARY KEY, sha256 TEXT NOT NULL,"
	" format TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS results(sha256 TEXT PRIMARY KEY, type TEXT NOT NULL,"
	" data BLOB NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS results_keep BEFORE UPDATE ON results"
	" BEGIN SELECT RAISE(ABORT, 'results are immutable'); END;"
	"CREATE TRIGGER IF NOT EXISTS results_stay BEFORE DELETE ON results"
	" BEGIN SELECT RAISE(ABORT, 'results are immutable'); END;"
	"CREATE TABLE IF NOT EXISTS jobs(id TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
	" request TEXT NOT NULL, state INTEGER NOT NULL, progress REAL NOT NULL,"
	" result TEXT, error TEXT, error_status INTEGER);";

static int db_fail(pl_store *st, pl_error *err, const char *what)
{
	return pl_error_set(err, PL_EIO, st->path, "%s: %s", what, sqlite3_errmsg(st->db));
}

int pl_store_open(pl_store **out, const char *dir, pl_error *err)
{
	*out = NULL;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return pl_error_set(err, PL_EIO, dir, "cannot create the directory: %s",
				    strerror(errno));
	pl_store *st = calloc(1, sizeof *st);
	if (!st)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	if (pthread_mutex_init(&st->lock, NULL)) {
		free(st);
		return pl_error_set(err, PL_EINTERNAL, NULL, "cannot create a lock");
	}
	snprintf(st->path, sizeof st->path, "%s/parley-server.db", dir);
	int rc = PL_OK;
	if (sqlite3_open_v2(st->path, &st->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = pl_error_set(err, PL_EIO, st->path, "cannot open: %s",
				  st->db ? sqlite3_errmsg(st->db) : "out of memory");
	} else {
		sqlite3_busy_timeout(st->db, 5000);
		if (sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
			rc = db_fail(st, err, "cannot set up the store");
		} else {
			sqlite3_stmt *q;
			int ok = 0;
			if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key='format'",
					       -1, &q, NULL) == SQLITE_OK) {
				ok = sqlite3_step(q) == SQLITE_ROW &&
				     strcmp((const char *)sqlite3_column_text(q, 0),
					    "parley-server 1") == 0;
				sqlite3_finalize(q);
			}
			if (!ok)
				rc = pl_error_set(err, PL_EINPUT, st->path,
						  "not a parley server store");
		}
	}
	if (rc) {
		pl_store_close(st);
		return rc;
	}
	*out = st;
	return PL_OK;
}

void pl_store_close(pl_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

int pl_store_put_case(pl_store *st, const char *id, const char *sha256, const char *format,
		      const char *name, const void *data, size_t len, pl_error *err)
{
	sqlite3_stmt *q;
	int rc = PL_OK;
	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO cases VALUES(?,?,?,?,?)", -1, &q,
			       NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot store the case");
	} else {
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, format, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, name, -1, SQLITE_STATIC);
		sqlite3_bind_blob(q, 5, data, (int)len, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = db_fail(st, err, "cannot store the case");
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int pl_store_each_case(pl_store *st, pl_store_case_fn fn, void *ctx, pl_error *err)
{
	sqlite3_stmt *q;
	int rc = PL_OK;
	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(st->db, "SELECT id, format, name, data FROM cases ORDER BY id", -1,
			       &q, NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot read the cases");
	} else {
		while (!rc && sqlite3_step(q) == SQLITE_ROW)
			rc = fn(ctx, (const char *)sqlite3_column_text(q, 0),
				(const char *)sqlite3_column_text(q, 1),
				(const char *)sqlite3_column_text(q, 2),
				(const char *)sqlite3_column_blob(q, 3),
				(size_t)sqlite3_column_bytes(q, 3));
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int pl_store_put_result(pl_store *st, const char *type, const void *data, size_t len,
			char sha256[65], pl_error *err)
{
	pl_sha256_hex(sha256, data, len);
	sqlite3_stmt *q;
	int rc = PL_OK;
	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO results VALUES(?,?,?)", -1, &q,
			       NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot store the result");
	} else {
		sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, type, -1, SQLITE_STATIC);
		sqlite3_bind_blob(q, 3, data, (int)len, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = db_fail(st, err, "cannot store the result");
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int pl_store_get_result(pl_store *st, const char *sha256, char **data, size_t *len, pl_error *err)
{
	sqlite3_stmt *q;
	int rc = PL_OK;
	*data = NULL;
	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(st->db, "SELECT data FROM results WHERE sha256=?", -1, &q, NULL) !=
	    SQLITE_OK) {
		rc = db_fail(st, err, "cannot read the result");
	} else {
		sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW) {
			*len = (size_t)sqlite3_column_bytes(q, 0);
			*data = malloc(*len + 1);
			if (*data) {
				memcpy(*data, sqlite3_column_blob(q, 0), *len);
				(*data)[*len] = '\0';
			} else {
				rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
			}
		} else {
			rc = pl_error_set(err, PL_ENOTFOUND, sha256, "no such result");
		}
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int pl_store_put_job(pl_store *st, const pl_store_job *j, pl_error *err)
{
	sqlite3_stmt *q;
	int rc = PL_OK;
	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(
		    st->db,
		    "INSERT INTO jobs VALUES(?1, (SELECT count(*) FROM jobs), ?2, ?3, ?4,"
		    " ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET state=?3, progress=?4,"
		    " result=?5, error=?6, error_status=?7",
		    -1, &q, NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot store the job");
	} else {
		sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, j->request, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 3, j->state);
		sqlite3_bind_double(q, 4, j->progress);
		if (j->result && j->result[0])
			sqlite3_bind_text(q, 5, j->result, -1, SQLITE_STATIC);
		if (j->error && j->error[0])
			sqlite3_bind_text(q, 6, j->error, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 7, j->error_status);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = db_fail(st, err, "cannot store the job");
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static const char *text_col(sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);
	return t ? (const char *)t : "";
}

int pl_store_each_job(pl_store *st, pl_store_job_fn fn, void *ctx, pl_error *err)
{
	sqlite3_stmt *q;
	int rc = PL_OK;
	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, request, state, progress, result, error, error_status"
			       " FROM jobs ORDER BY seq",
			       -1, &q, NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot read the jobs");
	} else {
		while (!rc && sqlite3_step(q) == SQLITE_ROW) {
			pl_store_job j = {text_col(q, 0),	    text_col(q, 1),
					  sqlite3_column_int(q, 2), sqlite3_column_double(q, 3),
					  text_col(q, 4),	    text_col(q, 5),
					  sqlite3_column_int(q, 6)};
			if (!sqlite3_column_text(q, 1))
				j.request = "{}";
			rc = fn(ctx, &j);
		}
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}
