/* request.h - JSON requests and answers for a service face: a request body
 * read as a JSON object whose members are taken by kind, each refusal
 * naming the member's JSON path and the rule in the command's words
 * ("request body: $.rounds: must be a whole number from 1 to 100000"); and
 * small answers built member by member.  `parley serve` (server.h) reads
 * every request and writes every answer that is not a library document
 * through these, so that the face itself handles no JSON. */
#ifndef PARLEY_REQUEST_H
#define PARLEY_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pl_request pl_request;

/* What a member is. */
typedef enum pl_member_kind {
	PL_MEMBER_ABSENT = 0,
	PL_MEMBER_NULL,
	PL_MEMBER_STRING,
	PL_MEMBER_NUMBER,
	PL_MEMBER_BOOL,
	PL_MEMBER_OBJECT,
	PL_MEMBER_ARRAY
} pl_member_kind;

/* Parses body as a JSON object (duplicate members refused).  Errors are
 * PL_EINPUT, where "request body" (with :LINE:COLUMN for bad JSON). */
int pl_request_parse(pl_request **out, const char *body, size_t len, pl_error *err);
void pl_request_free(pl_request *q);

pl_member_kind pl_request_kind(const pl_request *q, const char *name);
/* A member that known (NULL-terminated) does not list: "$.NAME: unknown
 * member (known: ...)". */
int pl_request_check_members(const pl_request *q, const char *const *known, pl_error *err);
/* Optional members: absent or null leaves *out as it was. */
int pl_request_string(const pl_request *q, const char *name, const char **out, pl_error *err);
int pl_request_uint(const pl_request *q, const char *name, uint64_t lo, uint64_t hi, uint64_t *out,
		    pl_error *err);
int pl_request_bool(const pl_request *q, const char *name, int *out, pl_error *err);
/* A number; *given says whether there was one. */
int pl_request_number(const pl_request *q, const char *name, double *out, int *given,
		      pl_error *err);
/* A member as compact JSON text, members in the order given (malloc'd);
 * NULL when absent or out of memory. */
char *pl_request_member_text(const pl_request *q, const char *name);
/* The whole request as compact JSON with sorted members (malloc'd): the
 * form a job's request is kept in. */
char *pl_request_canonical(const pl_request *q);

/* "params": an object {"NAME" or "ENGINE.NAME": value} or an array of
 * "NAME=VALUE" strings, as the command's -p texts: *out (pl_free the
 * strings, then the array; pl_request_texts_free does both) gets *n texts
 * NAME=VALUE. */
int pl_request_params(const pl_request *q, char ***out, size_t *n, pl_error *err);
/* A list member: a string ("all", "A,B") or a non-empty array of strings,
 * joined with commas (*out malloc'd; NULL when absent). */
int pl_request_list(const pl_request *q, const char *name, char **out, pl_error *err);
/* A member that is one value or an array of at most max values, each a
 * string or a number, as texts (numbers in their shortest exact form);
 * what names the form in an error ("VALUE or \"ISSUE:VALUE\""). */
int pl_request_texts(const pl_request *q, const char *name, size_t max, const char *what,
		     char ***out, size_t *n, pl_error *err);
void pl_request_texts_free(char **list, size_t n);

/* ---- answers ---- */

typedef struct pl_answer pl_answer;

/* A new object or array; NULL when out of memory (every call below accepts
 * NULL and does nothing, and pl_answer_text then gives NULL). */
pl_answer *pl_answer_object(void);
pl_answer *pl_answer_array(void);
/* Adds a member (key) to an object, or an element (key NULL) to an array.
 * A NULL string is null. */
void pl_answer_string(pl_answer *a, const char *key, const char *v);
void pl_answer_int(pl_answer *a, const char *key, long long v);
void pl_answer_real(pl_answer *a, const char *key, double v);
void pl_answer_bool(pl_answer *a, const char *key, int v);
/* JSON text (a member of a request, a document), embedded as a value. */
void pl_answer_json(pl_answer *a, const char *key, const char *text);
/* Takes v (freed with a). */
void pl_answer_add(pl_answer *a, const char *key, pl_answer *v);
void pl_answer_free(pl_answer *a);

typedef enum pl_answer_style {
	PL_ANSWER_PRETTY = 0, /* indented by 2, reals with 10 significant digits */
	PL_ANSWER_COMPACT     /* one line */
} pl_answer_style;
/* The text (malloc'd, no newline at the end) and frees a; NULL when out of
 * memory or when a was NULL. */
char *pl_answer_text(pl_answer *a, pl_answer_style style);

#ifdef __cplusplus
}
#endif
#endif
