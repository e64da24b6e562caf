/* case_work.h - what core shares with the library's other modules about a
 * case beyond the public API: a working copy whose tables a sweep may change
 * in place between runs, so that a multidimensional engine can be run on
 * thousands of variants of a case without building a case each time. */
#ifndef PL_CORE_CASE_WORK_H
#define PL_CORE_CASE_WORK_H

#include "parley/case.h"

/* A copy of c that shares its strings, issues and forums (c must outlive
 * it) and owns its actor and stance tables.  Its hash is c's: it is a
 * scratch object, never a result's case.  NULL when out of memory. */
pl_case *pl__case_work_new(const pl_case *c);
void pl__case_work_free(pl_case *w);
/* The tables to change: n_actors actors; n_actors x n_issues stances,
 * index a * n_issues + i. */
pl_actor *pl__case_work_actors(pl_case *w);
pl_stance *pl__case_work_stances(pl_case *w);

#endif
