/* numfmt.h - numbers as the library writes them in JSON and CSV: the
 * shortest text that reads back (strtod) to the same double, so every
 * machine-readable result round-trips and the bytes stay reproducible
 * (C's printf is exact for %.17g on glibc, and the choice among 15, 16
 * and 17 digits depends on the value alone). */
#ifndef PL_CORE_NUMFMT_H
#define PL_CORE_NUMFMT_H

#include <stddef.h>

/* Formats a number the way every writer does (pl__fmt_shortest) into
 * buf of size bytes. */
void pl__fmt_number(char *buf, size_t size, double v);
/* v * scale as the shortest text that a reader dividing by scale reads back
 * as v (a salience stored on [0, 1], written on [0, 100]: 0.07 is "7"): an
 * integer when one does, else the first of 15, 16, 17 digits that does. */
void pl__fmt_scaled(char *buf, size_t size, double v, double scale);

/* Room for any number the functions below write, with its NUL. */
#define PL__NUM_MAX 40

/* Writes v into buf (at least PL__NUM_MAX bytes) and returns buf: an
 * integer below 1e15 in magnitude without a decimal point ("3", "-0" is
 * "0"), else the first of %.15g, %.16g, %.17g that strtod reads back as v;
 * "nan", "inf" or "-inf" when v is not finite (callers that write JSON
 * write null instead). */
char *pl__fmt_shortest(char *buf, double v);

/* Writes v into buf (at least PL__NUM_MAX bytes) as printf's "%.{p}g"
 * writes it (p from 15 to 17), and returns buf. */
char *pl__fmt_digits(char *buf, double v, int p);

/* A copy of the JSON text json (as jansson's json_dumps writes it, with
 * JSON_REAL_PRECISION(17) so that each real reads back exactly) in which
 * every real number is written as pl__fmt_shortest writes it, with ".0"
 * kept on integral reals.  Strings are left alone.  malloc'd; NULL when out
 * of memory. */
char *pl__json_shortest_reals(const char *json);

struct json_t;
/* The text of a JSON result document as every one is written: indented by
 * two, keys in the order they were set, every real as its shortest text
 * that reads back the same (pl__json_shortest_reals), ending in a newline.
 * Takes root over (json_decref).  malloc'd; NULL when out of memory or root
 * is NULL. */
char *pl__json_document(struct json_t *root);

#endif
