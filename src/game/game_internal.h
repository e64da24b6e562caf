/* game_internal.h - the game model shared by the readers, writers and solvers. */
#ifndef PARLEY_GAME_INTERNAL_H
#define PARLEY_GAME_INTERNAL_H

#include <gmp.h>
#include <stddef.h>

#include "core/util.h"
#include "parley/game.h"

enum { PL__TREE = 1, PL__TABLE = 2 };
enum { PL__TERMINAL = 0, PL__CHANCE = 1, PL__PERSONAL = 2 };

typedef struct pl__outcome {
	char *label;
	long file_id; /* number in the .efg file, or position in the .nfg list */
	mpq_t *pay;   /* one per player */
} pl__outcome;

typedef struct pl__infoset {
	int player; /* 0 chance, 1..n */
	long file_id;
	char *label;
	int nact;
	char **act_label;
	mpq_t *prob;   /* chance only: nact probabilities */
	int act_off;   /* index of the first action among all personal actions */
	int own_index; /* index among the player's information sets */
	int nmem;
	int *mem; /* member nodes in prefix order */
} pl__infoset;

typedef struct pl__node {
	int type;
	char *label;
	int infoset;	/* -1 for terminal nodes */
	int outcome;	/* -1 for none */
	int parent;	/* -1 for the root */
	int parent_act; /* action taken at the parent to reach this node */
	int child_off;	/* children are g->child[child_off .. child_off+nact) */
	int depth;
	int end; /* one past the last node of the subtree (prefix order) */
} pl__node;

struct pl_game {
	int kind;
	char hash[65]; /* SHA-256 (hex) of the canonical .efg/.nfg text */
	char *title;
	char *comment;
	int n; /* players */
	char **player;

	int noutc;
	pl__outcome *outc;

	/* tree */
	int nnode;
	pl__node *node;
	int *child;
	int ninfo;
	pl__infoset *info;
	int nact_total; /* personal actions over all information sets */
	int *ninfo_pl;	/* per player (index 0..n-1): number of information sets */
	int **info_pl;	/* per player: its information sets in order of first appearance */
	int nmulti;
	int *multi; /* personal information sets with more than one node */
	int recall; /* perfect recall (set by pl__tree_finish) */

	/* table */
	int *nstrat;   /* per player */
	char ***strat; /* per player, per strategy */
	int *cell; /* outcome index per cell (a null cell points at an outcome with file_id 0) */
	long ncell;
	int payoff_variant; /* read from the payoff variant of .nfg */
	/* The payoff variant's outcomes (one per cell) share one block of
	 * payoffs and one empty label, freed once by pl_game_free. */
	mpq_t *pay_pool;
	size_t pay_pool_len;
	char *blank;

	/* reduced strategic form of a tree: per player, per strategy, the action
	 * chosen at each of the player's information sets (-1 if unreachable) */
	int **rsf_choice;
};

/* Sizes that bound what the solvers will attempt. */
#define PL__MAX_CELLS  4000000L
#define PL__MAX_STRATS 100000

/* --- memory and strings (game_model.c) ---
 * No allocation aborts: each returns NULL when memory is exhausted, and
 * the caller unwinds with PL_ENOMEM (pl__nomem), freeing what it made.  A
 * partly built pl_game is always safe to give to pl_game_free. */
void *pl__calloc(size_t n, size_t size);
char *pl__strdup(const char *s);
/* Records "out of memory" in err and returns PL_ENOMEM. */
int pl__nomem(pl_error *err);
/* NULL when out of memory. */
pl_game *pl__game_new(int kind);
/* 0, or PL_ENOMEM (g->n stays 0). */
int pl__game_set_players(pl_game *g, int n);

/* Completes a tree after its nodes have been added: infoset members, action
 * offsets, per-player infoset lists, depths.  0 or PL_ENOMEM. */
int pl__tree_finish(pl_game *g);
/* 1 with perfect recall, else 0 (found by pl__tree_finish). */
int pl__tree_perfect_recall(const pl_game *g);
int pl__tree_is_subgame_root(const pl_game *g, int node);

/* Mixed-radix index of a strategy profile in a table (player 1 fastest). */
long pl__table_index(const pl_game *g, const int *s);

/* Payoff of player p (0-based) in cell c. */
const mpq_t *pl__table_pay(const pl_game *g, long c, int p);

/* Builds the reduced strategic form of a tree as a table game (rsf_choice set). */
int pl__tree_to_table(const pl_game *tree, pl_game **out, pl_error *err);

/* Reads parley's JSON form of a game (game_json.c). */
int pl__game_read_json(const char *buf, size_t len, const char *name, pl_game **out, pl_error *err);

/* --- numbers (game_lex.c) --- */
/* Parses a Gambit number (integer, decimal, exponent, a/b) exactly; 0 on
 * success, -1 if the text is not a number Gambit accepts. */
int pl__parse_number(const char *s, mpq_t out);
/* Appends the canonical text of q ("3", "-1/3") to a growing buffer. */
char *pl__mpq_str(const mpq_t q);
/* Appends q as pl__mpq_str writes it ("-3", "1/3"), without allocating
 * when it is short. */
void pl__sb_mpq(pl_strbuf *b, const mpq_t q);

/* --- quoting into a string buffer (game_write.c) --- */
/* A Gambit label: quotes and backslashes escaped with a backslash. */
void pl__sb_gambit_str(pl_strbuf *b, const char *s);
/* A JSON string: quotes, backslashes and control characters escaped. */
void pl__sb_json_str(pl_strbuf *b, const char *s);

/* --- profiles (game_profile.c) ---
 * A profile is an array of mpq: for a table, one probability per strategy
 * (players' strategies concatenated); for a tree, one per personal action
 * (information sets in index order, actions concatenated). */
int pl__profile_len(const pl_game *g);
/* Expected payoffs (n values) of a profile; 0 or PL_ENOMEM (as for every
 * int-valued helper below that allocates). */
int pl__profile_payoffs(const pl_game *g, mpq_t *prof, mpq_t *out);
/* Maximum regret of a profile (needs perfect recall on trees). */
int pl__profile_regret(const pl_game *g, mpq_t *prof, mpq_t out);
/* Largest gain of a one-information-set deviation (agent form). */
int pl__agent_regret(const pl_game *g, mpq_t *prof, mpq_t out);
/* Reach probability of every node of a tree under a behaviour profile. */
void pl__tree_reach(const pl_game *g, mpq_t *prof, mpq_t *reach);
/* Converts a mixed profile over the reduced strategic form (rsf, made by
 * pl__tree_to_table) into a behaviour profile of the tree. */
int pl__mixed_to_behav(const pl_game *tree, const pl_game *rsf, mpq_t *mixed, mpq_t *behav);

/* n initialised rationals, or NULL when out of memory. */
mpq_t *pl__mpq_vec(size_t n);
/* mpq_cmp, comparing the numerators alone when both are integers (the
 * payoffs of most games): the same sign, without mpq_cmp's cross products. */
static inline int pl__qcmp(const mpq_t a, const mpq_t b)
{
	if (mpz_cmp_ui(mpq_denref(a), 1) == 0 && mpz_cmp_ui(mpq_denref(b), 1) == 0)
		return mpz_cmp(mpq_numref(a), mpq_numref(b));
	return mpq_cmp(a, b);
}
void pl__mpq_vec_free(mpq_t *v, size_t n);

/* --- solutions (game_solve.c) --- */
struct pl_game_solution {
	const pl_game *game; /* not owned: the solution lives no longer than the game */
	char *solver;
	int exact;
	int agent; /* regret is agent-form regret (pure agent-form solver) */
	double tol;
	size_t count, cap;
	mpq_t **prof; /* per equilibrium: pl__profile_len values */
	double *regret;
	double *payoff; /* per equilibrium, per player: expected payoff (found by the check) */
	char *note;	/* what the solver wants the reader to know, or NULL */
};
/* Adds a copy of prof unless an identical profile is already listed; 0 or
 * PL_ENOMEM.  Solvers return PL_ENOMEM as it is: pl_game_solve records it. */
int pl__solution_add(pl_game_solution *s, mpq_t *prof);

/* --- solvers: each fills s with profiles of s->game --- */
int pl__solve_pure(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		   pl_error *err);
int pl__solve_agent_pure(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
			 pl_error *err);
int pl__solve_spe(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		  pl_error *err);
int pl__solve_enummixed(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
			pl_error *err);
int pl__solve_lh(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o, pl_error *err);
int pl__solve_seqform(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		      pl_error *err);
int pl__solve_logit(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		    pl_error *err);
int pl__solve_lp(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o, pl_error *err);

/* Table solvers used on trees through their reduced strategic form: runs fn
 * on the table and converts each mixed profile to a behaviour profile. */
typedef int (*pl__table_solver)(const pl_game *, pl_game_solution *, const pl_game_solve_opts *,
				pl_error *);
int pl__solve_via_table(const pl_game *g, pl__table_solver fn, pl_game_solution *s,
			const pl_game_solve_opts *o, pl_error *err);

/* The sequence form of a two-player tree with perfect recall (solve_seqform.c). */
typedef struct pl__seqs {
	int n1, n2;  /* sequences of players 1 and 2 (0 is the empty sequence) */
	int k1, k2;  /* constraint rows: 1 + number of information sets */
	int *seq;    /* per personal action: its sequence index (own player) */
	int *parent; /* per information set: the sequence leading to it */
} pl__seqs;
/* 0, or PL_ENOMEM (nothing to free). */
int pl__seq_build(const pl_game *g, pl__seqs *s);
/* Dense n1 x n2 payoffs, every terminal payoff first shifted below 0. */
int pl__seq_payoffs(const pl_game *g, const pl__seqs *s, mpq_t *a, mpq_t *b);
/* The same payoffs as the list of their nonzero pairs (either payoff may be
 * 0), ordered by (s1, s2); returns the count (or PL_ENOMEM, *out NULL).  Free
 * with pl__seq_entries_free. */
typedef struct pl__seq_entry {
	int s1, s2;
	mpq_t a, b;
} pl__seq_entry;
int pl__seq_payoffs_sparse(const pl_game *g, const pl__seqs *s, pl__seq_entry **out);
void pl__seq_entries_free(pl__seq_entry *e, int m);
/* Entry (row, col) of player p's constraint matrix (E or F): 1, -1 or 0. */
int pl__seq_constraint(const pl_game *g, const pl__seqs *s, int p, int row, int col);

/* Two-player tables as dense matrices A (player 1) and B (player 2), m x n,
 * row-major; caller frees with pl__mpq_vec_free(.., m*n).  0, or PL_ENOMEM
 * with nothing to free. */
int pl__bimatrix(const pl_game *g, mpq_t **a, mpq_t **b);

#endif
