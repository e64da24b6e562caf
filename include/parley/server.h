/* server.h - the HTTP API of `parley serve` (docs/api/openapi.json).
 *
 * The server is a face like the command, but its routing, storage and jobs
 * live here so that they are testable and fuzzable without sockets:
 * pl_server_handle() answers one request held in memory, and
 * pl_server_listen() puts libmicrohttpd in front of it.  Cases, jobs and
 * results are kept in SQLite under the data directory (results are immutable
 * and addressed by their SHA-256); the permanent channel is a parley ledger
 * (ledger.h) that parties append to with entries signed on their own
 * machines.  docs/server.md describes the API, its errors and its limits. */
#ifndef PARLEY_SERVER_H
#define PARLEY_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_SERVER_BODY_MAX_DEFAULT (16u << 20) /* 16 MiB */

typedef struct pl_server pl_server;

typedef struct pl_server_config {
	int version;		  /* PL_SERVER_CONFIG_VERSION */
	const char *data_dir;	  /* required: cases, jobs, results (parley.db) */
	const char *cases_dir;	  /* shipped cases (*.json), may be NULL */
	const char *games_dir;	  /* shipped games (*.efg, *.nfg), may be NULL */
	const char *ledger_path;  /* the permanent channel's ledger, may be NULL */
	const char *log_key_path; /* the log's key (secret half), with ledger_path */
	const char *token_file;	  /* the operator's bearer token, may be NULL */
	const char *static_dir;	  /* the dashboard (web/dist), may be NULL */
	const char *cors_origin;  /* Access-Control-Allow-Origin, NULL: no CORS */
	unsigned workers;	  /* requests computed at once; 0: online cores */
	unsigned job_workers;	  /* sweeps run at once; 0: 1 */
	unsigned job_queue;	  /* jobs queued or running before 429; 0: 16 */
	unsigned sweep_threads;	  /* threads per sweep; 0: 1 */
	size_t body_max;	  /* request body limit; 0: 16 MiB */
	uint64_t max_samples;	  /* largest sweep; 0: 10^7 */
	FILE *access_log;	  /* one line per request, may be NULL */
} pl_server_config;

#define PL_SERVER_CONFIG_VERSION 1
#define PL_SERVER_CONFIG_INIT                                                                      \
	{                                                                                          \
		PL_SERVER_CONFIG_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, \
			0, 0, 0, NULL                                                              \
	}

/* Opens the data directory (creating it and its database when missing),
 * loads the shipped cases, opens the ledger, and starts the job workers.
 * Jobs a previous run left queued are queued again; running ones are
 * resumed (a sweep is a pure function of its request, so it is run again
 * from the start). */
int pl_server_open(pl_server **out, const pl_server_config *cfg, pl_error *err);
/* Cancels running jobs (they are queued again on the next open), stops the
 * workers and closes everything. */
void pl_server_close(pl_server *s);

/* One request as the handler sees it.  Header values may be NULL. */
typedef struct pl_http_request {
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* "/api/v1/cases/korea-six-party", no query */
	const char *query;  /* after '?', may be NULL */
	const char *content_type;
	const char *authorization; /* "Bearer TOKEN" */
	const char *party;	   /* Parley-Party: the signer of a signed request */
	const char *sig_time;	   /* Parley-Time: POSIX seconds */
	const char *signature;	   /* Parley-Signature: base64 Ed25519 */
	const char *body;
	size_t body_len;
	uint64_t now; /* POSIX seconds (request signatures, cosignatures) */
} pl_http_request;

/* A streamed answer: Server-Sent Events of a job (pl_server_job_events). */
typedef struct pl_http_response {
	int status;
	const char *content_type; /* static string */
	char *body;		  /* pl_free */
	size_t body_len;
	const char *allow;   /* Allow header of a 405, static */
	char location[96];   /* Location header, "" when none */
	char stream_job[40]; /* non-empty: stream this job's events */
	int is_static;	     /* a dashboard file: security headers apply */
} pl_http_response;

/* Answers one request; never fails (a failure is a problem+json answer).
 * Thread-safe: any number of threads may call it at once. */
void pl_server_handle(pl_server *s, const pl_http_request *req, pl_http_response *resp);
void pl_http_response_clear(pl_http_response *resp);

/* The events of job id after *seen progress steps (start with 0): waits up
 * to wait_ms for something new, then writes SSE text to *out (pl_free).
 * Returns 1 when the job has ended (the stream is over), 0 when it goes on,
 * a negative status when there is no such job. */
int pl_server_job_events(pl_server *s, const char *id, unsigned *seen, int wait_ms, char **out);

/* The signed-request scheme (docs/server.md): the message a party signs is
 * "parley-request\n" METHOD "\n" PATH "\n" TIME "\n".  *sig gets base64
 * text of the Ed25519 signature by key_path's secret key (pl_free). */
int pl_server_sign_request(const char *key_path, const char *method, const char *path,
			   uint64_t time, char **sig, pl_error *err);

/* ---- the listening face (libmicrohttpd) ---- */

typedef struct pl_listen_options {
	int version;	      /* PL_LISTEN_OPTIONS_VERSION */
	const char *host;     /* numeric address: "127.0.0.1", "::1", ... */
	unsigned port;	      /* 0: any free port (see *bound_port) */
	const char *tls_cert; /* PEM files; both or neither */
	const char *tls_key;
	int insecure;	    /* allow a non-loopback address without TLS */
	unsigned timeout_s; /* idle/request timeout; 0: 30 s */
	unsigned max_conns; /* connections at once; 0: 256 */
	volatile int *stop; /* the loop ends when *stop becomes non-zero */
	void (*on_ready)(void *ctx, const char *url); /* called once listening */
	void *ctx;
} pl_listen_options;

#define PL_LISTEN_OPTIONS_VERSION 1
#define PL_LISTEN_OPTIONS_INIT                                                                     \
	{                                                                                          \
		PL_LISTEN_OPTIONS_VERSION, "127.0.0.1", 0, NULL, NULL, 0, 0, 0, NULL, NULL, NULL   \
	}

/* Serves s until *o->stop becomes non-zero, then lets requests in flight
 * finish and returns.  Refuses (PL_EINPUT) an address beyond loopback
 * without TLS unless o->insecure. */
int pl_server_listen(pl_server *s, const pl_listen_options *o, pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
