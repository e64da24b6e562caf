/* lcp_sparse.h - Lemke's algorithm on a sparse, exact tableau (lcp_sparse.c),
 * for linear complementarity problems whose matrix is mostly zeros, such as
 * the sequence form of a game tree (solve_seqform.c). */
#ifndef PARLEY_GAME_LCP_SPARSE_H
#define PARLEY_GAME_LCP_SPARSE_H

#include <gmp.h>

/* The problem: find w, z >= 0 with w'z = 0 and  w + T z = c.  The tableau
 * starts as  I w + T z - 1 z0 = c  (T = -M for w = c + M z). */
typedef struct pl__lcp pl__lcp;

/* NULL when out of memory. */
pl__lcp *pl__lcp_new(int n);
void pl__lcp_free(pl__lcp *lc);

/* Sets T[r][j] (each entry at most once; zeros may be skipped).  When
 * memory runs out the setters do nothing and pl__lcp_lemke returns -2. */
void pl__lcp_set_t(pl__lcp *lc, int r, int j, const mpz_t v);
void pl__lcp_set_t_si(pl__lcp *lc, int r, int j, long v);
/* Sets c[r] (at most once). */
void pl__lcp_set_c_si(pl__lcp *lc, int r, long v);

/* Runs Lemke's algorithm with covering vector 1: z0 enters at the most
 * negative c (ties to the later row), then complementary pivots, each
 * leaving variable chosen by the lexicographic minimum ratio over the
 * initial basis (so degenerate problems do not cycle), until z0 leaves.
 * Returns 0 at a solution (also when c >= 0 already), -1 on a ray or after
 * max_pivots pivots, -2 when out of memory. */
int pl__lcp_lemke(pl__lcp *lc, long max_pivots);

/* The value of z_j at the solution. */
void pl__lcp_z(const pl__lcp *lc, int j, mpq_t out);

#endif
