/* roadmap_internal.h - the inside of a pl_roadmap and of the solver, shared
 * by the reader, the solver, the documents and the ties to cases, trust and
 * the ledger (src/roadmap only). */
#ifndef PL_ROADMAP_INTERNAL_H
#define PL_ROADMAP_INTERNAL_H

#include "parley/roadmap.h"

/* Limits that keep a file's memory and the solver's work bounded. */
#define PL_ROADMAP_MAX_PARTIES 64
#define PL_ROADMAP_MAX_STEPS   512

typedef struct pl_rm_party {
	char *id, *name;
	double exposure;
} pl_rm_party;

typedef struct pl_rm_move {
	char *issue;
	double to;
} pl_rm_move;

typedef struct pl_rm_step {
	char *id, *label;
	size_t by;
	int verified;
	size_t n_after;
	size_t *after;
	size_t n_moves;
	pl_rm_move *moves;
} pl_rm_step;

struct pl_roadmap {
	char *name;
	char *file; /* the name it was read under, for messages */
	char hash[65];
	size_t np, ns;
	pl_rm_party *party;
	pl_rm_step *step;
	size_t max_stages; /* ns when the file gives none */
	double *value;	   /* ns x np: worth once counted */
	double *credit;	   /* ns x np: credited while not yet counted (trust) */
	int has_credit;
	int needs_case; /* some step has moves not yet applied */
};

#define PL_RM_AT(r, arr, s, p) ((r)->arr[(s) * (r)->np + (p)])

/* The solver's problem: which parties the objective and the constraints
 * cover.  The plain problem has both = every party; the infeasibility
 * diagnosis maximises one party's margin subject to the others'. */
typedef struct pl_rm_search {
	const pl_roadmap *r;
	size_t K;
	const unsigned char *objective;	  /* per party: in the minimum maximised */
	const unsigned char *constrained; /* per party: must keep margin >= 0 */
	double eps;
	uint64_t node_limit;
	/* Stages may stay empty (a relaxation: removing an empty stage drops
	 * one checkpoint and leaves the others as they were, so its optimum over
	 * K slots is the optimum over every plan of at most K stages). */
	int allow_empty;
	int first_only; /* stop at the first plan accepted */
	/* results */
	int found, truncated;
	double best;	   /* the best objective found */
	double open_bound; /* the best bound left unexplored (truncated) */
	size_t *best_stage;
	uint64_t nodes;
} pl_rm_search;

/* Runs one search with K stages; threshold: only plans whose objective
 * exceeds it are accepted.  Returns PL_ENOMEM or PL_OK. */
int pl__rm_search(pl_rm_search *s, double threshold);

/* Balances of a complete plan: (K + 1) x np rows as in pl_roadmap_plan,
 * with and without credit; returns the margin over the flagged parties. */
double pl__rm_evaluate(const pl_roadmap *r, const size_t *stage, size_t K,
		       const unsigned char *parties, double *balance, double *credit);

/* The longest chain of "after" (the fewest stages any plan needs). */
size_t pl__rm_min_stages(const pl_roadmap *r);

#endif
