/* case_build.h - core's interface for building a case: the inside of a
 * pl_case, for the readers that build one (io/), and for core itself.  No
 * other module includes it (tests/lib/test_layers.py, docs/api.md "Layers"):
 * the rest of the library reads a case through include/parley/case.h, and a
 * sweep changes a working copy through core/case_work.h.
 *
 * A reader allocates a case with pl__case_new, fills the arrays, and calls
 * pl__case_finish, which checks what cannot be checked field by field
 * (anchors in order, forums' members), computes the hash and freezes it.
 * After that the case is only read. */
#ifndef PL_CORE_CASE_BUILD_H
#define PL_CORE_CASE_BUILD_H

#include "parley/case.h"

struct pl_case {
	pl_case_info info;
	size_t n_issues, n_actors, n_forums;
	pl_issue *issues;
	pl_actor *actors;
	pl_forum *forums;
	pl_stance *stances; /* n_actors x n_issues, index a * n_issues + i */
	pl_case_uncertainty uncertainty;
	char hash[65];
	struct pl_arena *arena; /* owns every string and small array */
};

pl_case *pl__case_new(void);
/* Copies into the case's arena; NULL stays NULL.  Returns NULL on OOM. */
char *pl__case_strdup(pl_case *c, const char *s);
void *pl__case_alloc(pl_case *c, size_t size); /* zeroed */
/* Sizes the actor, issue and stance arrays (all zeroed). */
int pl__case_alloc_tables(pl_case *c, size_t n_actors, size_t n_issues, size_t n_forums);
/* Fills defaults (stance capability from the actor) and hashes. */
int pl__case_finish(pl_case *c, const char *where, pl_error *err);

/* Receives the canonical text piece by piece. */
typedef void (*pl__case_sink)(void *ctx, const char *data, size_t n);
/* Writes the case's canonical JSON (what pl_case_write_json returns and the
 * hash is taken over) into sink, in pieces of up to 8 KiB or one long
 * string (case_json.c).  PL_OK, PL_ENOMEM, or PL_EINTERNAL for two issues
 * with one id (no reader builds such a case). */
int pl__case_canonical(const pl_case *c, pl__case_sink sink, void *ctx);

#define PL_STANCE(c, a, i) (&(c)->stances[(a) * (c)->n_issues + (i)])

#endif
