/* report_internal.h - what the document writers of src/report/ share: a
 * JSON tree dumped the way every parley document is (two-space indent, keys
 * in insertion order, ten significant digits, a final newline) and text
 * written to a memory stream, each handed out as a string for pl_free. */
#ifndef PARLEY_REPORT_INTERNAL_H
#define PARLEY_REPORT_INTERNAL_H

#include <jansson.h>
#include <stdio.h>

#include "core/numfmt.h"
#include "parley/parley.h"

/* A number, or null when it is not finite. */
json_t *pl__report_jnum(double v);

/* Dumps root (and drops the reference) into *out.  PL_ENOMEM when root is
 * NULL (a failed allocation while it was built) or dumping fails. */
int pl__report_dump(char **out, json_t *root, pl_error *err);

/* Text documents: pl__report_text_open opens *f on a memory stream;
 * pl__report_text_close closes it and hands the text to *out. */
typedef struct pl__report_text {
	FILE *f;
	char *buf;
	size_t len;
} pl__report_text;
int pl__report_text_open(pl__report_text *t, pl_error *err);
int pl__report_text_close(char **out, pl__report_text *t, pl_error *err);

/* The forum an id names: "everyone" (a reserved id, docs/formats.md) is all
 * actors at full weight, PL_NO_FORUM; any other must be a forum of c. */
int pl__report_find_forum(const pl_case *c, const char *id, size_t *out, pl_error *err);

/* The JSON trees of the documents, for the HTML report's data. */
json_t *pl__compare_to_json(const pl_comparison *x);
json_t *pl__sweep_to_json(const pl_case *c, const pl_sweep *s);

/* A copy of s (NULL stays NULL); -1 when out of memory. */
int pl__report_strdup(char **out, const char *s);

#endif
