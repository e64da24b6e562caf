/* io.h - reading and writing cases.
 *
 * Three formats: parley's JSON (native; docs/formats.md and
 * docs/case.schema.json), the BDM-style CSV (Actor,Capability,Position,
 * Salience: one issue per file) and KTAB's SMP CSV (several issues, 0-100).
 * Readers validate everything and report the file, line or JSON path and the
 * rule broken; on failure nothing is returned.  Writers write to a temporary
 * file and rename it, so a failed write leaves no half-written file. */
#ifndef PARLEY_IO_H
#define PARLEY_IO_H

#include <stddef.h>

#include "parley/case.h"
#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pl_format {
	PL_FORMAT_AUTO = 0,
	PL_FORMAT_JSON,
	PL_FORMAT_CSV,  /* BDM-style: Actor,Capability,Position,Salience */
	PL_FORMAT_KTAB, /* KTAB SMP CSV */
	PL_FORMAT_DECIDE /* Decide's #A/#P/#M/#D rows (the exchange model's files) */
} pl_format;

/* Inputs larger than this are refused (a case is a few kilobytes). */
#define PL_MAX_INPUT_BYTES (32u * 1024u * 1024u)

/* Guesses the format from the name (.json, .csv) and, for .csv, from the
 * first line (KTAB's starts with name,description,nActors,nDims; Decide's
 * with a #A, #P, #M or #D key, quoted or not, whatever the name). */
pl_format pl_format_guess(const char *path, const char *data, size_t len);
const char *pl_format_name(pl_format f);
/* "json", "csv", "ktab", "decide" -> format; PL_FORMAT_AUTO when unknown. */
pl_format pl_format_from_name(const char *name);

/* Reads a case from memory; name is used in error messages and, for the
 * one-issue CSV format, as the issue id (its base name without .csv). */
int pl_case_read_mem(const char *data, size_t len, const char *name, pl_format fmt,
		     pl_case **out, pl_error *err);
int pl_case_read_file(const char *path, pl_format fmt, pl_case **out, pl_error *err);

/* Writers produce a NUL-terminated malloc'd string in *out. */
int pl_case_write_json(const pl_case *c, char **out, pl_error *err);
/* The CSV formats hold one issue (BDM) or all issues (KTAB) and drop what
 * they cannot express (notes, anchors, forums): the caller is told which in
 * *lost (a static string, or NULL when nothing was lost). */
int pl_case_write_csv(const pl_case *c, size_t issue, char **out, const char **lost,
		      pl_error *err);
/* KTAB CSV is written in the dialect KTAB's own reader takes; what that reader
 * cannot read back as it is (a line break, "$$" or "&quot;" in a name, a
 * name over KTAB's length limits) or refuses (an actor's saliences adding up
 * to more than 100, a capability over 10^8) is refused with PL_EINPUT naming
 * the field ("$.actors[1].name", "$.actors[1]").  *lost is NULL exactly when
 * the text reads back as the same case (same hash); docs/formats.md.  The
 * same as pl_case_write_ktab_ex with flags 0. */
int pl_case_write_ktab(const pl_case *c, char **out, const char **lost, pl_error *err);

/* Flags of pl_case_write_ktab_ex, or-ed. */
enum {
	/* Instead of refusing the numbers KTAB's reader refuses, divide every
	 * salience of the case by one factor (the largest actor's sum / 100)
	 * and every capability by another (the largest / 10^8), each nudged up
	 * until the numbers as written pass KTAB's checks: the ratios are kept. */
	PL_KTAB_RESCALE = 1u << 0
};

#define PL_KTAB_NOTE_MAX 512

/* What PL_KTAB_RESCALE did: every salience was divided by salience_divisor
 * and every capability (overall and per issue) by capability_divisor, 1 when
 * left as they were; note says so for a person ("saliences divided by 3.45
 * ...", and which engines may then forecast differently), "" when nothing
 * was divided. */
typedef struct pl_ktab_rescale {
	double salience_divisor;
	double capability_divisor;
	char note[PL_KTAB_NOTE_MAX];
} pl_ktab_rescale;

/* pl_case_write_ktab with flags (PL_KTAB_RESCALE); rescaled, which may be
 * NULL, is filled on success.  Under PL_KTAB_RESCALE, *lost is about the
 * rescaled case: NULL when the text reads back as the case with its numbers
 * divided. */
int pl_case_write_ktab_ex(const pl_case *c, unsigned flags, char **out, const char **lost,
			  pl_ktab_rescale *rescaled, pl_error *err);

/* Decide's format (tab-separated, quoted), every issue; what it cannot hold
 * (forums, status quo, uncertainty, the case's description) is named in
 * *lost, NULL when nothing was lost.  docs/formats.md. */
int pl_case_write_decide(const pl_case *c, char **out, const char **lost, pl_error *err);

/* Writes data to path through a temporary file in the same directory and a
 * rename: either the whole file appears or nothing changes. */
int pl_write_file_atomic(const char *path, const char *data, size_t len, pl_error *err);
/* The same with the new file's permission bits (the umask applies); a
 * secret key is written with 0600 and is never readable by others, not even
 * for a moment. */
int pl_write_file_atomic_mode(const char *path, const char *data, size_t len, unsigned mode,
			      pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
