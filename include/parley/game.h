/* game.h - strategic scenario games: Gambit-compatible .efg/.nfg files and
 * equilibrium solvers.
 *
 * A pl_game is either an extensive-form tree (players, chance nodes with exact
 * probabilities, information sets, outcomes on any node) or a strategic-form
 * table (n players, a payoff per player per strategy profile).  Numbers are
 * exact rationals.  Solvers return a pl_game_solution: a list of equilibrium
 * profiles, each verified by its maximum regret, which the library can format
 * as text, JSON or CSV with outcome probabilities, expected payoffs and
 * beliefs.  Everything is reentrant; there is no global state. */
#ifndef PARLEY_GAME_H
#define PARLEY_GAME_H

#include <stddef.h>

#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pl_game pl_game;
typedef struct pl_game_solution pl_game_solution;

typedef enum pl_game_format {
	PL_GAME_EFG = 1, /* Gambit extensive form, version 2 */
	PL_GAME_NFG = 2, /* Gambit strategic form, version 1 (payoff or outcome variant) */
	PL_GAME_JSON = 3 /* parley's JSON form */
} pl_game_format;

typedef enum pl_game_output {
	PL_GAME_OUT_TEXT = 1,
	PL_GAME_OUT_JSON = 2,
	PL_GAME_OUT_CSV = 3,
	PL_GAME_OUT_GAMBIT =
		4 /* one "NE,p1,p2,..." line per equilibrium, as Gambit's tools print */
} pl_game_output;

/* Reads a game from a file named .efg, .nfg or .json (any case) whose first
 * token agrees with its name (EFG, NFG, or '{' for parley's JSON form).  On
 * bad input returns PL_EINPUT with err->where = "FILE:LINE" (or "FILE:
 * $.json.path"), or just "FILE" when the file as a whole is at fault: missing,
 * unreadable, a directory, too large, or named with another extension. */
int pl_game_read_file(const char *path, pl_game **out, pl_error *err);

/* Reads a game from memory, in the format its first token says; name is
 * used in error messages only. */
int pl_game_read_buffer(const char *buf, size_t len, const char *name, pl_game **out,
			pl_error *err);

void pl_game_free(pl_game *g);

/* Writes the game into a newly allocated string (free() it).  A tree may be
 * written as .nfg (its reduced strategic form); a table cannot become a tree. */
int pl_game_write_string(const pl_game *g, pl_game_format fmt, char **out, pl_error *err);

/* Writes the game to path atomically (temporary file, then rename). */
int pl_game_write_file(const pl_game *g, pl_game_format fmt, const char *path, pl_error *err);

/* Describes the game (players, nodes, information sets, strategic-form size,
 * perfect recall) in a newly allocated string, as text or JSON. */
int pl_game_info_string(const pl_game *g, pl_game_output fmt, char **out, pl_error *err);

int pl_game_is_tree(const pl_game *g);
/* The number of players. */
size_t pl_game_n_players(const pl_game *g);
const char *pl_game_title(const pl_game *g);
/* SHA-256 (hex) of the game's canonical .efg/.nfg text, for provenance. */
const char *pl_game_hash(const pl_game *g);
/* The name of player p, 0-based (0 .. pl_game_n_players - 1); NULL beyond. */
const char *pl_game_player_name(const pl_game *g, size_t player);

#define PL_GAME_SOLVE_OPTS_VERSION 1

/* Solver options: start from PL_GAME_SOLVE_OPTS_INIT, then set what you
 * need. */
typedef struct pl_game_solve_opts {
	unsigned version;      /* PL_GAME_SOLVE_OPTS_VERSION */
	size_t max_equilibria; /* 0: the solver's default cap (10000); at most 10^8 */
	double tolerance;      /* regret tolerance for floating solvers; 0: 1e-8 */
	size_t label;	       /* lh: start only from this label (0-based strategy
				* index over both players), or PL_GAME_EVERY_LABEL */
} pl_game_solve_opts;

#define PL_GAME_EVERY_LABEL ((size_t)-1)
#define PL_GAME_SOLVE_OPTS_INIT                                                                    \
	{                                                                                          \
		PL_GAME_SOLVE_OPTS_VERSION, 0, 0.0, PL_GAME_EVERY_LABEL                            \
	}

/* Names of the solvers, NULL-terminated ("pure", "spe", "enummixed", ...). */
const char *const *pl_game_solver_names(void);

/* One-line description of a solver, or NULL when there is no such solver. */
const char *pl_game_solver_describe(const char *name);

/* Runs a solver (opts NULL: the defaults).  PL_ENOTFOUND for an unknown
 * solver, PL_EINPUT for options of another version or when the
 * solver does not apply (e.g. "lp" on a game that is not two-player
 * zero-sum), PL_ENUMERIC when a floating profile fails its regret check. */
int pl_game_solve(const pl_game *g, const char *solver, const pl_game_solve_opts *opts,
		  pl_game_solution **out, pl_error *err);

void pl_game_solution_free(pl_game_solution *s);
/* The number of equilibria found; k below is 0-based. */
size_t pl_game_solution_n_equilibria(const pl_game_solution *s);

/* Maximum regret of equilibrium k (0 for exact solvers). */
double pl_game_solution_regret(const pl_game_solution *s, size_t k);

/* Expected payoff of player (0-based) in equilibrium k. */
double pl_game_solution_payoff(const pl_game_solution *s, size_t k, size_t player);

/* Probability of pure strategy / action index (0-based, in file order over
 * all players' strategies for tables, over all players' information sets'
 * actions for trees) in equilibrium k. */
double pl_game_solution_prob(const pl_game_solution *s, size_t k, size_t index);

/* Formats every equilibrium (profile, outcome probabilities, payoffs,
 * beliefs, regret) into a newly allocated string. */
int pl_game_solution_format(const pl_game_solution *s, pl_game_output fmt, char **out,
			    pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
