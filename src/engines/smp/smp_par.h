/* smp_par.h - a small parallel for over indices with POSIX threads. */
#ifndef PL_SMP_PAR_H
#define PL_SMP_PAR_H

#include <stddef.h>

/* Calls fn(ctx, i) for i in [0, count) on up to `threads` threads (thread t
 * takes i = t, t + threads, ...).  Returns the status of the lowest index
 * that failed, so the outcome does not depend on scheduling. */
int pl__smp_par_for(int threads, size_t count, int (*fn)(void *ctx, size_t i), void *ctx);

#endif
