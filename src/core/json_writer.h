/* json_writer.h - JSON text written piece by piece into a sink, in the
 * layout every document of the library has had (jansson's json_dumps with
 * an indent of 2: "key": value, one member or element a line, "{}" and
 * "[]" when empty), without building the text or a tree first.  The case's
 * canonical text (case_json.c) and pl__json_document (numfmt.h) write
 * through it, and so does report's forecast document (forecast_doc.c), with
 * the same bytes as its jansson tree would give. */
#ifndef PL_CORE_JSON_WRITER_H
#define PL_CORE_JSON_WRITER_H

#include <stddef.h>

/* Receives the text piece by piece. */
typedef void (*pl__json_sink)(void *ctx, const char *data, size_t n);

typedef struct pl__jw pl__jw;

/* A writer into sink (malloc'd; NULL when out of memory). */
pl__jw *pl__jw_new(pl__json_sink sink, void *ctx);
/* Hands what is buffered to the sink and frees w. */
void pl__jw_end(pl__jw *w);

/* Starts a member of the open object: key is written quoted and escaped. */
void pl__jw_key(pl__jw *w, const char *key, size_t len);
/* Starts a member whose key is given as written, quoted with its ": "
 * (a literal: "\"id\": "). */
void pl__jw_key_text(pl__jw *w, const char *text, size_t len);
/* Starts an element of the open array (or nothing at the top). */
void pl__jw_item(pl__jw *w);
/* Opens '{' or '[' after pl__jw_key or pl__jw_item; closes with '}' or ']'. */
void pl__jw_open(pl__jw *w, char bracket);
void pl__jw_close(pl__jw *w, char bracket);
/* A string value (len bytes, NUL bytes escaped) or a value's text as it
 * stands (a number, true, false, null). */
void pl__jw_string(pl__jw *w, const char *s, size_t len);
void pl__jw_raw(pl__jw *w, const char *text, size_t len);
/* A number as pl__json_document writes a json_real (its shortest text,
 * ".0" after an integral one) and a json_integer. */
void pl__jw_real(pl__jw *w, double v);
void pl__jw_int(pl__jw *w, long long v);
/* Whether jansson would take s as a string or a key (json_string,
 * json_object_set_new): not NULL and valid UTF-8 by its rules. */
int pl__jw_utf8_ok(const char *s);
/* A sink that appends to a pl_strbuf (core/util.h), ctx. */
void pl__jw_buffer_sink(void *ctx, const char *data, size_t n);

#endif
