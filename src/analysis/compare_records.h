/* compare_records.h - an engine's record parameter (smp's log=FILE.db)
 * under a forum comparison: every forum's run records into a part file of
 * its own, and the parts are joined into the file the user named once every
 * run has succeeded (docs/analysis/forums.md, "Records"). */
#ifndef PL_ANALYSIS_COMPARE_RECORDS_H
#define PL_ANALYSIS_COMPARE_RECORDS_H

#include "parley/analysis.h"

typedef struct pl__cmp_records pl__cmp_records;

/* Finds the engines of o with a single_run parameter set and plans a part
 * file per forum for each; refuses (PL_EINPUT, naming the parameter) an
 * engine whose records cannot be joined.  *out is NULL when no engine
 * records anything. */
int pl__cmp_records_plan(const pl_compare_options *o, pl__cmp_records **out, pl_error *err);
/* The parameters engine e runs with under forum f: o's, or o's with the
 * record parameter pointing at the run's part file. */
const pl_params *pl__cmp_records_params(const pl__cmp_records *r, const pl_compare_options *o,
					size_t f, size_t e);
/* Joins each engine's parts, in forum order, skipping the runs that did not
 * run (results[f * ne + e] NULL), into the file the user named. */
int pl__cmp_records_join(const pl__cmp_records *r, pl_result *const *results, pl_error *err);
/* Removes the part files and frees r (NULL is fine). */
void pl__cmp_records_free(pl__cmp_records *r);

#endif
