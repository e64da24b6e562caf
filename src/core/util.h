/* util.h - the library's internal utility layer, shared by every module:
 * whole-file reading, atomic writing, a growing string buffer, error
 * locations and UTC times.  Each exists once, here (file.c, strbuf.c,
 * util.c); modules include this header, never each other's private ones.
 * The random streams are in core/rng.h. */
#ifndef PL_CORE_UTIL_H
#define PL_CORE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "parley/error.h"

#if defined(__GNUC__)
#define PL__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PL__PRINTF(f, a)
#endif

/* Drops, in place, the bytes of s that are not part of a whole UTF-8
 * character: what "%.Ns" or a full buffer leaves of a cut one (error.c;
 * pl_error_set applies it to every message). */
void pl__utf8_repair(char *s);
/* text (malloc'd, may be NULL) with a newline appended, for documents that end
 * in one; text is taken over (freed on failure). NULL when out of memory. */
char *pl__with_newline(char *text);

/* ---- files (file.c) ---------------------------------------------------- */

/* What a whole-file read says when it refuses a file. */
typedef struct pl__file_kind {
	const char *open_fail;	/* "cannot open" -> "cannot open: No such file..." */
	const char *not_dir;	/* "is a directory, not a case file" */
	size_t limit;		/* the largest file accepted, in bytes */
	const char *noun;	/* "a case": "the file is N bytes; a case may be at
				   most <limit> bytes<limit_note>" */
	const char *limit_note; /* " (32 MiB)", or NULL */
	int missing_ok;		/* a missing file is no error: *out stays NULL */
} pl__file_kind;

/* Opens path to read it, without waiting: 0 and *out on success (a
 * directory opens too: the caller names what it wanted instead); an errno
 * value when it cannot be opened; -1 when it is a FIFO, socket or device,
 * which is not opened: a FIFO without a writer would keep the reader
 * waiting for ever, a device may never end. */
int pl__open_input(const char *path, FILE **out);
/* The error for pl__open_input's rc: PL_EINPUT (exit status 2) for a path
 * the user got wrong (missing, not permitted, not a regular file), PL_EIO
 * for a failing machine; open_fail begins the message ("cannot open"). */
int pl__open_input_fail(pl_error *err, const char *path, int rc, const char *open_fail);

/* Reads the whole file at path into a malloc'd, NUL-terminated *out of
 * *len bytes (len may be NULL).  A path the user got wrong (missing, a
 * directory, not readable, a FIFO or device, too large) is PL_EINPUT; a
 * failing read PL_EIO; errors name path. */
int pl__read_file(const char *path, const pl__file_kind *kind, char **out, size_t *len,
		  pl_error *err);

/* Writes data to path all at once (a temporary file beside it, fsync'd,
 * renamed over path, the directory fsync'd): a reader sees the old file or
 * the whole new one, even after a crash.  A path that is not a regular file
 * (a terminal, /dev/stdout) is written directly.  Public as
 * pl_write_file_atomic(_mode) in parley/io.h. */

/* PL_EINPUT, as the atomic writer says it, when path names a directory or
 * lies in a directory that does not exist: for outputs written otherwise
 * (a SQLite log). */
int pl__check_output_path(const char *path, pl_error *err);

/* ---- a growing string buffer (strbuf.c) -------------------------------- */

/* Starts zeroed ({0}); s is malloc'd and NUL-terminated once anything was
 * appended.  A failed allocation sets oom and makes every later append a
 * no-op, so a writer checks oom once at the end. */
typedef struct pl_strbuf {
	char *s;
	size_t len, cap;
	int oom;
} pl_strbuf;

void pl__sb_printf(pl_strbuf *b, const char *fmt, ...) PL__PRINTF(2, 3);
/* Appends n bytes of data (which may hold NUL bytes). */
void pl__sb_add(pl_strbuf *b, const void *data, size_t n);
/* Appends a NUL-terminated string as it is (no format: cheaper than
 * pl__sb_printf(b, "%s", s) on the writers' hot paths). */
void pl__sb_puts(pl_strbuf *b, const char *s);
/* Appends a long in decimal. */
void pl__sb_long(pl_strbuf *b, long v);
/* Appends text with every line longer than width characters broken at
 * spaces; a continuation line is indented 4 more than its line. */
void pl__sb_add_wrapped(pl_strbuf *b, const char *text, size_t width);

/* The word of known (a NULL-terminated list) nearest to word, within 2
 * edits (case-insensitive), or NULL: for "did you mean" in messages. */
const char *pl__closest(const char *word, const char *const *known);

/* ---- error locations (util.c) ------------------------------------------ */

#define PL__NO_LINE (-1L)

/* Records a PL_EINPUT error located in a file: where is "name: path" when
 * path is given (a JSON path), else "name:line" when line is not
 * PL__NO_LINE, else "name".  Returns PL_EINPUT. */
int pl__fail_at(pl_error *err, const char *name, const char *path, long line, const char *fmt, ...)
	PL__PRINTF(5, 6);
int pl__vfail_at(pl_error *err, const char *name, const char *path, long line, const char *fmt,
		 va_list ap) PL__PRINTF(5, 0);

/* ---- a set of ids (idset.c) --------------------------------------------- */

/* The ids seen so far, each with the index it came with, so that a reader
 * finds a duplicate in O(1) rather than by comparing every pair.  The set
 * points at the callers' strings, which must outlive it. */
typedef struct pl__idset {
	size_t cap, n;
	struct pl__idset_slot *slot;
} pl__idset;

/* Adds id with index idx: PL_OK and *dup = SIZE_MAX when it is new, PL_OK
 * and *dup = the index of the earlier one when it was there (not added),
 * PL_ENOMEM. */
int pl__idset_add(pl__idset *s, const char *id, size_t idx, size_t *dup);
/* The index id came with, or SIZE_MAX. */
size_t pl__idset_find(const pl__idset *s, const char *id);
void pl__idset_free(pl__idset *s);

/* ---- UTC times "YYYY-MM-DDTHH:MM:SSZ" (util.c) ------------------------- */

/* Parses a time string of exactly that form, a real date in 1900 or later;
 * 0 and *out (seconds since 1970, may be negative), or -1. */
int pl__time_parse(const char *s, int64_t *out);
/* Formats t (seconds since 1970) into out. */
void pl__time_format(int64_t t, char out[32]);

#endif
