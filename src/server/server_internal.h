/* server_internal.h - what the files of the server module share: the
 * server object, the case registry, the store (SQLite), the job queue, the
 * ledger channel and the helpers that build JSON and problem answers. */
#ifndef PARLEY_SERVER_INTERNAL_H
#define PARLEY_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "parley/parley.h"
#include "parley/request.h"
#include "parley/server.h"
#include "parley/store.h"

/* ---- cases ---- */

typedef struct srv_case {
	char id[PL_LEDGER_NAME_MAX + 1];
	char sha256[65];		   /* of the bytes as given (input_sha256 of documents) */
	char format[8];			   /* json, csv, ktab, xml */
	char name[PL_LEDGER_NAME_MAX + 1]; /* the file name it was read under */
	int shipped;
	int owned; /* an inline case: srv_case_release frees it */
	pl_case *c;
	pl_params *xml_params; /* a KTAB XML scenario's smp parameters */
	uint64_t xml_seed;
	char *xml; /* in the registry: an XML scenario's bytes, read anew per use */
	size_t xml_len;
} srv_case;

/* ---- jobs ---- */

typedef enum srv_job_state {
	JOB_QUEUED = 0,
	JOB_RUNNING,
	JOB_DONE,
	JOB_FAILED,
	JOB_CANCELLED
} srv_job_state;

typedef struct srv_job {
	char id[33];
	char *request; /* the request body, canonical JSON */
	srv_job_state state;
	double progress;
	unsigned steps; /* progress events so far */
	char result[65];
	char error[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
	int error_status; /* HTTP status of a failed job's problem */
	int cancel;
	struct srv_job *next;
} srv_job;

/* ---- the server ---- */

struct pl_server {
	pl_server_config cfg;
	char data_dir[4096];
	char static_dir[4096];
	char cors[256];
	char token[256]; /* "" when there is no operator token */
	size_t body_max;
	/* cases: shipped then uploaded, under rw */
	pthread_rwlock_t cases_lock;
	srv_case *cases;
	size_t n_cases, cap_cases;
	/* cases, jobs and results under the data directory (parley/store.h) */
	pl_store *store;
	/* computing slots: at most cfg.workers requests compute at once */
	pthread_mutex_t slot_lock;
	pthread_cond_t slot_cond;
	unsigned busy;
	/* jobs */
	pthread_mutex_t job_lock;
	pthread_cond_t job_cond;    /* work for the workers */
	pthread_cond_t job_changed; /* progress for event streams */
	srv_job *jobs;
	unsigned n_active; /* queued or running */
	int stopping;
	pthread_t *job_threads;
	unsigned n_job_threads;
	/* appends wait in a queue; one of them at a time (the leader) appends
	 * every waiting entry in one transaction (ledger_api.c) */
	pthread_mutex_t append_lock;
	struct srv_pending *queue, *queue_tail;
	int appending;
	/* the ledger: one writer under ledger_lock, and read-only handles
	 * that follow it (pl_ledger_refresh), each under its own lock, for
	 * reads and bundles, which so wait for no append */
	pthread_mutex_t ledger_lock;
	pl_ledger *ledger;
	struct srv_reader *readers;
	unsigned n_readers;
	unsigned next_reader;
	pl_key log_key;
	int has_log_key;
	FILE *log; /* access and security log */
	pthread_mutex_t log_lock;
};

/* ---- answers (answer.c) ---- */

/* A problem+json answer: status, and "where: message" as the detail. */
void srv_problem(pl_http_response *r, int status, const char *detail);
void srv_problemf(pl_http_response *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The answer for a failed library call: 400 for bad input, 404 for a name
 * that is not there, 500 otherwise. */
void srv_problem_err(pl_http_response *r, const pl_error *err);
/* A JSON answer (pl_answer_text, with a newline); takes a. */
void srv_answer(pl_http_response *r, int status, pl_answer *a);
/* Bytes as they are (a document from the library); takes ownership. */
void srv_bytes(pl_http_response *r, int status, const char *type, char *body, size_t len);
void srv_method_not_allowed(pl_http_response *r, const char *allow);
/* Parses the body as a JSON object; on failure answers 400 and returns NULL. */
pl_request *srv_body(const pl_http_request *q, pl_http_response *r);
/* The value of name=VALUE in a query string, copied to buf; NULL when
 * absent or too long. */
const char *srv_query_arg(const char *query, const char *name, char *buf, size_t size);
void srv_log(pl_server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Doubles an array's capacity (at least 16); -1 when out of memory, the
 * array unchanged. */
int srv_grow(void **p, size_t *cap, size_t size);

/* ---- cases (cases.c) ---- */

int srv_cases_load_shipped(pl_server *s, pl_error *err);
/* Adds a parsed case (takes c); the registry keeps one entry per id. */
int srv_cases_add(pl_server *s, const char *id, const char *sha256, const char *format,
		  const char *name, int shipped, pl_case *c, const char *xml, size_t xml_len,
		  pl_error *err);
int srv_case_parse(const char *data, size_t len, const char *name, pl_format fmt, pl_case **c,
		   pl_params **xml, uint64_t *xml_seed, pl_error *err);
void srv_cases_free(pl_server *s);
/* Resolves the "case" member of a request: an id or an inline object (the
 * default case when absent).
 * On success *out is a case the caller frees with srv_case_release. */
int srv_case_resolve(pl_server *s, const pl_request *req, srv_case *out, pl_http_response *r);
/* The case of that id (404 naming it when there is none). */
int srv_case_resolve_id(pl_server *s, const char *id, srv_case *out, pl_http_response *r);
void srv_case_release(srv_case *c);

/* The "params" member as the command's -p texts, a parameter that writes
 * a file on the server refused (run.c); free with pl_request_texts_free. */
int srv_params(const pl_request *req, char ***out, size_t *n, pl_http_response *r);

/* ---- computing slots ---- */
void srv_slot_take(pl_server *s);
void srv_slot_give(pl_server *s);

/* ---- endpoints ---- */
void srv_api_health(pl_server *s, const pl_http_request *q, pl_http_response *r);
void srv_api_engines(pl_server *s, const pl_http_request *q, pl_http_response *r);
void srv_api_cases(pl_server *s, const pl_http_request *q, pl_http_response *r);
void srv_api_case(pl_server *s, const pl_http_request *q, pl_http_response *r, const char *id);
void srv_api_forecast(pl_server *s, const pl_http_request *q, pl_http_response *r);
void srv_api_backtest(pl_server *s, const pl_http_request *q, pl_http_response *r);
void srv_api_compare(pl_server *s, const pl_http_request *q, pl_http_response *r);
void srv_api_solve(pl_server *s, const pl_http_request *q, pl_http_response *r);
/* case_export.c: a case as CSV or KTAB CSV, and its HTML report */
void srv_case_export(const pl_http_request *q, pl_http_response *r, const srv_case *c,
		     const char *format);
void srv_api_case_report(pl_server *s, const pl_http_request *q, pl_http_response *r,
			 const char *id);
void srv_api_game(pl_server *s, const pl_http_request *q, pl_http_response *r, const char *name);
void srv_api_sweeps(pl_server *s, const pl_http_request *q, pl_http_response *r);
void srv_api_job(pl_server *s, const pl_http_request *q, pl_http_response *r, const char *id,
		 const char *what);
void srv_api_ledger(pl_server *s, const pl_http_request *q, pl_http_response *r, char **seg,
		    size_t n);
void srv_api_static(pl_server *s, const pl_http_request *q, pl_http_response *r);

/* ---- jobs (jobs.c) ---- */
int srv_jobs_start(pl_server *s, pl_error *err);
void srv_jobs_stop(pl_server *s);
void srv_jobs_free(pl_server *s);
/* The jobs of an earlier run, from the store (a job left queued or
 * running is queued again). */
int srv_jobs_load(pl_server *s, pl_error *err);

/* ---- ledger (ledger_api.c) ---- */
int srv_ledger_open(pl_server *s, pl_error *err);
void srv_ledger_close(pl_server *s);

#endif
