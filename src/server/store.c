/* store.c - the server's SQLite store under --data: uploaded cases, jobs,
 * and results addressed by their SHA-256 (a trigger refuses any change to a
 * stored result).  One connection, used under s->db_lock. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>
#include <sqlite3.h>

#include "server/server_internal.h"

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

static int db_fail(pl_server *s, pl_error *err, const char *what)
{
	return pl_error_set(err, PL_EIO, s->data_dir, "%s: %s", what,
			    sqlite3_errmsg((sqlite3 *)s->db));
}

int srv_store_open(pl_server *s, pl_error *err)
{
	if (mkdir(s->data_dir, 0700) && errno != EEXIST)
		return pl_error_set(err, PL_EIO, s->data_dir, "cannot create the directory: %s",
				    strerror(errno));
	char path[4200];
	snprintf(path, sizeof path, "%s/parley-server.db", s->data_dir);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		int rc = pl_error_set(err, PL_EIO, path, "cannot open: %s",
				      db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return rc;
	}
	s->db = db;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(s, err, "cannot set up the store");
	sqlite3_stmt *st;
	int ok = 0;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='format'", -1, &st, NULL) ==
	    SQLITE_OK) {
		ok = sqlite3_step(st) == SQLITE_ROW &&
		     strcmp((const char *)sqlite3_column_text(st, 0), "parley-server 1") == 0;
		sqlite3_finalize(st);
	}
	if (!ok)
		return pl_error_set(err, PL_EINPUT, path, "not a parley server store");
	return PL_OK;
}

void srv_store_close(pl_server *s)
{
	sqlite3_close((sqlite3 *)s->db);
	s->db = NULL;
}

int srv_store_put_case(pl_server *s, const srv_case *c, const char *name, const char *data,
		       size_t len, pl_error *err)
{
	sqlite3 *db = s->db;
	sqlite3_stmt *st;
	int rc = PL_OK;
	pthread_mutex_lock(&s->db_lock);
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO cases VALUES(?,?,?,?,?)", -1, &st,
			       NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "cannot store the case");
	} else {
		sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c->format, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 5, data, (int)len, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, err, "cannot store the case");
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&s->db_lock);
	return rc;
}

int srv_store_load_cases(pl_server *s,
			 int (*fn)(pl_server *s, const char *id, const char *format,
				   const char *name, const char *data, size_t len),
			 pl_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT id, format, name, data FROM cases ORDER BY id", -1,
			       &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "cannot read the cases");
	int rc = PL_OK;
	while (sqlite3_step(st) == SQLITE_ROW && !rc)
		rc = fn(s, (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2),
			(const char *)sqlite3_column_blob(st, 3),
			(size_t)sqlite3_column_bytes(st, 3));
	sqlite3_finalize(st);
	if (rc)
		return pl_error_set(err, PL_EINPUT, s->data_dir, "a stored case no longer reads");
	return PL_OK;
}

int srv_store_put_result(pl_server *s, const char *type, const char *data, size_t len,
			 char sha256[65], pl_error *err)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(sha256, 65, h, sizeof h);
	sqlite3_stmt *st;
	int rc = PL_OK;
	pthread_mutex_lock(&s->db_lock);
	if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO results VALUES(?,?,?)", -1, &st,
			       NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "cannot store the result");
	} else {
		sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, data, (int)len, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, err, "cannot store the result");
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&s->db_lock);
	return rc;
}

int srv_store_get_result(pl_server *s, const char *sha256, char **data, size_t *len, pl_error *err)
{
	sqlite3_stmt *st;
	int rc = PL_OK;
	*data = NULL;
	pthread_mutex_lock(&s->db_lock);
	if (sqlite3_prepare_v2(s->db, "SELECT data FROM results WHERE sha256=?", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = db_fail(s, err, "cannot read the result");
	} else {
		sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*len = (size_t)sqlite3_column_bytes(st, 0);
			*data = malloc(*len + 1);
			if (*data) {
				memcpy(*data, sqlite3_column_blob(st, 0), *len);
				(*data)[*len] = '\0';
			} else {
				rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
			}
		} else {
			rc = pl_error_set(err, PL_ENOTFOUND, sha256, "no such result");
		}
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&s->db_lock);
	return rc;
}

int srv_store_put_job(pl_server *s, const srv_job *j, pl_error *err)
{
	sqlite3_stmt *st;
	int rc = PL_OK;
	pthread_mutex_lock(&s->db_lock);
	if (sqlite3_prepare_v2(
		    s->db,
		    "INSERT INTO jobs VALUES(?1, (SELECT count(*) FROM jobs), ?2, ?3, ?4,"
		    " ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET state=?3, progress=?4,"
		    " result=?5, error=?6, error_status=?7",
		    -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "cannot store the job");
	} else {
		sqlite3_bind_text(st, 1, j->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, j->request, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, (int)j->state);
		sqlite3_bind_double(st, 4, j->progress);
		if (j->result[0])
			sqlite3_bind_text(st, 5, j->result, -1, SQLITE_STATIC);
		if (j->error[0])
			sqlite3_bind_text(st, 6, j->error, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 7, j->error_status);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, err, "cannot store the job");
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&s->db_lock);
	return rc;
}

static void copy_col(sqlite3_stmt *st, int col, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(buf, size, "%s", t ? (const char *)t : "");
}

/* Jobs of an earlier run, oldest last in the list (the list is newest
 * first).  A job left running is queued again: a sweep depends only on its
 * request, so running it anew gives the same result. */
int srv_store_load_jobs(pl_server *s, pl_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, request, state, progress, result, error, error_status"
			       " FROM jobs ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "cannot read the jobs");
	int rc = PL_OK;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		srv_job *j = calloc(1, sizeof *j);
		const char *req = (const char *)sqlite3_column_text(st, 1);
		if (!j || !(j->request = strdup(req ? req : "{}"))) {
			free(j);
			rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
			break;
		}
		copy_col(st, 0, j->id, sizeof j->id);
		j->state = (srv_job_state)sqlite3_column_int(st, 2);
		j->progress = sqlite3_column_double(st, 3);
		copy_col(st, 4, j->result, sizeof j->result);
		copy_col(st, 5, j->error, sizeof j->error);
		j->error_status = sqlite3_column_int(st, 6);
		if (j->state == JOB_RUNNING || j->state == JOB_QUEUED) {
			j->state = JOB_QUEUED;
			j->progress = 0;
			s->n_active++;
		}
		j->next = s->jobs;
		s->jobs = j;
	}
	sqlite3_finalize(st);
	return rc;
}
