/* error.h - the error object every parley call fills in on failure.
 *
 * A call returns an int status (PL_OK or a negative pl_status) and, when it
 * fails, writes what went wrong into a caller-owned pl_error: where (a file
 * with a line or JSON path) and which rule was broken.  There is no global
 * error state.  Passing NULL for the error is allowed: the status still says
 * that something failed.
 *
 * GSL's error handler: parley's calls into GSL cannot reach it, so a program
 * may keep GSL's default handler (which aborts) and still gets a pl_error,
 * not an abort, for bad or extreme input.  One exception (docs/library.md):
 * a failed allocation inside GSL goes to the handler.  A program that must
 * survive out-of-memory should call gsl_set_error_handler_off() once at
 * start-up, before starting threads. */
#ifndef PARLEY_ERROR_H
#define PARLEY_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pl_status {
	PL_OK = 0,
	PL_EINPUT = -1,    /* the input (file, option, JSON) breaks a rule: exit 2 */
	PL_ENOMEM = -2,    /* out of memory */
	PL_EIO = -3,       /* a file could not be read or written */
	PL_ENOTFOUND = -4, /* an engine, issue, forum or actor that is not there */
	PL_ENUMERIC = -5,  /* a numerical method failed to converge */
	PL_EINTERNAL = -6  /* a bug in parley: please report it */
} pl_status;

#define PL_ERROR_WHERE_MAX 512
#define PL_ERROR_MSG_MAX 1024

typedef struct pl_error {
	int code;                        /* a pl_status, PL_OK when empty */
	char where[PL_ERROR_WHERE_MAX];  /* "case.json: $.actors[2].capability", "x.csv:4" */
	char message[PL_ERROR_MSG_MAX];  /* the rule that was broken */
} pl_error;

/* Empties an error object. */
void pl_error_clear(pl_error *err);

/* Records an error and returns code, so a failing call can end with
 * `return pl_error_set(err, PL_EINPUT, where, "...", ...);`.  where may be
 * NULL.  Does nothing but return code when err is NULL or already holds an
 * error (the first, most precise, error wins). */
int pl_error_set(pl_error *err, int code, const char *where, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Writes "where: message" (or just the message) into buf. */
const char *pl_error_format(const pl_error *err, char *buf, size_t size);

/* The process exit status a command should use for this error:
 * 2 for bad input or an unknown name, 1 for anything else. */
int pl_error_exit_status(const pl_error *err);

/* A short English name for a status ("bad input", "out of memory", ...). */
const char *pl_status_name(int code);

/* Frees memory the library returned to the caller (strings and buffers from
 * calls with a `char **out` argument).  NULL is allowed. */
void pl_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
