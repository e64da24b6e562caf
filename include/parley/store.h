/* store.h - the service store: what `parley serve` keeps under its data
 * directory (DIR/parley-server.db, SQLite in WAL mode, synchronous=FULL):
 * uploaded cases by id, jobs with their state, and results addressed by
 * the SHA-256 of their bytes, immutable once stored (the database itself
 * refuses to change or delete one).  Every call is thread-safe: one
 * connection serves them one at a time. */
#ifndef PARLEY_STORE_H
#define PARLEY_STORE_H

#include <stddef.h>

#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pl_store pl_store;

/* Opens DIR/parley-server.db, creating the directory (mode 0700) and the
 * database when missing; PL_EINPUT when the file is another database. */
int pl_store_open(pl_store **out, const char *dir, pl_error *err);
void pl_store_close(pl_store *st);

/* An uploaded case: its id, the SHA-256 of its bytes, its format (json,
 * csv, ktab, xml), the file name it is read under, and the bytes.  The
 * same id twice keeps the first. */
int pl_store_put_case(pl_store *st, const char *id, const char *sha256, const char *format,
		      const char *name, const void *data, size_t len, pl_error *err);
/* Calls fn for every stored case, by id; fn's non-zero return stops the
 * walk and is returned. */
typedef int (*pl_store_case_fn)(void *ctx, const char *id, const char *format, const char *name,
				const char *data, size_t len);
int pl_store_each_case(pl_store *st, pl_store_case_fn fn, void *ctx, pl_error *err);

/* A result, addressed by its content: *sha256 gets the hex SHA-256 of the
 * bytes it is stored under (storing the same bytes again changes nothing). */
int pl_store_put_result(pl_store *st, const char *type, const void *data, size_t len,
			char sha256[65], pl_error *err);
/* The result stored under sha256 (malloc'd, NUL-terminated); PL_ENOTFOUND
 * when there is none. */
int pl_store_get_result(pl_store *st, const char *sha256, char **data, size_t *len, pl_error *err);

/* A job as stored: the request (canonical JSON), its state (the server's
 * numbering), progress 0..1, and its result's hash or its error. */
typedef struct pl_store_job {
	const char *id;
	const char *request;
	int state;
	double progress;
	const char *result; /* "" or NULL: none */
	const char *error;  /* "" or NULL: none */
	int error_status;
} pl_store_job;

/* Inserts the job or updates its state, progress, result and error. */
int pl_store_put_job(pl_store *st, const pl_store_job *j, pl_error *err);
/* Calls fn for every stored job, oldest first (non-zero stops the walk). */
typedef int (*pl_store_job_fn)(void *ctx, const pl_store_job *j);
int pl_store_each_job(pl_store *st, pl_store_job_fn fn, void *ctx, pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
