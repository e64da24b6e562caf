/* test_game.c - the strategic-games module: textbook games with their known
 * equilibria, agreement between solvers, round trips through the writers,
 * and the bad-file suite for the .efg/.nfg readers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>

#include <parley/game.h>

#include "helpers.h"

#define DATA "tests/game/data/"

static pl_game *load(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, DATA "%s", name);
	pl_game *g = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_game_read_file(path, &g, &err)) {
		char buf[2048];
		print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
		fail();
	}
	return g;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The solver's equilibria as sorted "NE,..." lines joined by '|'. */
static char *solve_lines(const pl_game *g, const char *solver)
{
	pl_game_solution *s;
	pl_error err;
	pl_error_clear(&err);
	if (pl_game_solve(g, solver, NULL, &s, &err)) {
		char buf[2048];
		print_error("%s: %s\n", solver, pl_error_format(&err, buf, sizeof buf));
		fail();
	}
	for (size_t k = 0; k < pl_game_solution_n_equilibria(s); k++)
		assert_true(pl_game_solution_regret(s, k) <= 1e-8);
	char *text;
	assert_int_equal(pl_game_solution_format(s, PL_GAME_OUT_GAMBIT, &text, &err), PL_OK);
	pl_game_solution_free(s);
	char *lines[256];
	size_t n = 0;
	for (char *tok = strtok(text, "\n"); tok && n < 256; tok = strtok(NULL, "\n"))
		lines[n++] = tok;
	qsort(lines, n, sizeof *lines, cmp_str);
	size_t len = 1;
	for (size_t k = 0; k < n; k++)
		len += strlen(lines[k]) + 1;
	char *out = calloc(len, 1);
	for (size_t k = 0; k < n; k++) {
		if (k)
			strcat(out, "|");
		strcat(out, lines[k]);
	}
	free(text);
	return out;
}

static void expect(const char *file, const char *solver, const char *want)
{
	pl_game *g = load(file);
	char *got = solve_lines(g, solver);
	if (strcmp(got, want) != 0) {
		print_error("%s with %s:\n  got  %s\n  want %s\n", file, solver, got, want);
		free(got);
		pl_game_free(g);
		fail();
	}
	free(got);
	pl_game_free(g);
}

static void test_prisoners_dilemma(void **state)
{
	(void)state;
	expect("pd.nfg", "pure", "NE,0,1,0,1");
	expect("pd.nfg", "enummixed", "NE,0,1,0,1");
	expect("pd.nfg", "lh", "NE,0,1,0,1");
}

static void test_matching_pennies(void **state)
{
	(void)state;
	expect("mp.nfg", "pure", "");
	expect("mp.nfg", "enummixed", "NE,1/2,1/2,1/2,1/2");
	expect("mp.nfg", "lh", "NE,1/2,1/2,1/2,1/2");
	expect("mp.nfg", "lp", "NE,0.5,0.5,0.5,0.5");
}

static void test_battle_of_the_sexes(void **state)
{
	(void)state;
	expect("bos.nfg", "pure", "NE,0,1,0,1|NE,1,0,1,0");
	expect("bos.nfg", "enummixed", "NE,0,1,0,1|NE,1,0,1,0|NE,2/3,1/3,1/3,2/3");
	expect("bos.nfg", "lh", "NE,0,1,0,1|NE,1,0,1,0|NE,2/3,1/3,1/3,2/3");
}

/* Player 2 is indifferent everywhere: a continuum of equilibria whose
 * extreme points are listed. */
static void test_continuum(void **state)
{
	(void)state;
	expect("continuum.nfg", "enummixed", "NE,0,1,0,1|NE,0,1,1/2,1/2|NE,1,0,1,0|NE,1,0,1/2,1/2");
}

/* von Stengel (2002), the degenerate 3x2 example: three extreme equilibria. */
static void test_degenerate(void **state)
{
	(void)state;
	expect("degenerate.nfg", "enummixed", "NE,0,1/3,2/3,1/3,2/3|NE,1,0,0,1,0|NE,1,0,0,2/3,1/3");
	expect("degenerate.nfg", "pure", "NE,1,0,0,1,0");
}

static void test_three_players(void **state)
{
	(void)state;
	expect("coord3.nfg", "pure", "NE,0,1,0,1,0,1|NE,1,0,1,0,1,0");
}

/* Selten's horse: pure equilibria (C, c, R) and (D, c, L); no proper
 * subgames, so both are subgame perfect. */
static void test_selten_horse(void **state)
{
	(void)state;
	expect("horse.efg", "pure", "NE,0,1,1,0,1,0|NE,1,0,1,0,0,1");
	expect("horse.efg", "spe", "NE,0,1,1,0,1,0|NE,1,0,1,0,0,1");
	expect("horse.efg", "agent", "NE,0,1,1,0,1,0|NE,1,0,1,0,0,1");
}

/* Centipede: backward induction takes at every node. */
static void test_centipede(void **state)
{
	(void)state;
	expect("centipede.efg", "spe", "NE,1,0,1,0,1,0,1,0");
	expect("centipede.efg", "agent",
	       "NE,1,0,0,1,1,0,0,1|NE,1,0,0,1,1,0,1,0|NE,1,0,1,0,1,0,0,1|NE,1,0,1,0,1,0,1,0");
}

/* A subgame of imperfect information below an outside option: one SPE per
 * equilibrium of the subgame. */
/* A zero-sum tree: the sequence-form LP (floating) and vertex enumeration
 * on the reduced strategic form (exact) find Fred raising on red, bluffing
 * with probability 1/3 on black, Alice meeting with probability 2/3. */
static void test_zero_sum_tree(void **state)
{
	(void)state;
	expect("poker.efg", "enummixed", "NE,1,0,1/3,2/3,2/3,1/3");
	expect("poker.efg", "lp", "NE,1,0,0.3333333333,0.6666666667,0.6666666667,0.3333333333");
}

/* Three movers and no pure equilibrium: the subgame falls back on logit. */
static void test_spe_logit_fallback(void **state)
{
	(void)state;
	expect("mp3.efg", "spe", "NE,0.5,0.5,0.5,0.5,0.5,0.5");
}

/* Lemke on the sequence form: one equilibrium, the one gambit-lcp finds. */
static void test_sequence_form(void **state)
{
	(void)state;
	expect("centipede.efg", "seqform", "NE,1,0,1/2,1/2,2/3,1/3,2/3,1/3");
	expect("entry_bos.efg", "seqform", "NE,1,0,1/2,1/2,0,1");
	pl_game *g = load("horse.efg");
	pl_game_solution *s = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_game_solve(g, "seqform", NULL, &s, &err), PL_EINPUT);
	pl_game_free(g);
}

/* A tree with 279 nodes, 96 information sets and 16 chance nodes: Lemke's
 * path on its sequence form takes hundreds of pivots through degenerate
 * vertices; the equilibrium at its end must be the one gambit-lcp (Gambit
 * 17.0.0a2) printed for the same file, kept beside it. */
static void test_sequence_form_imperfect(void **state)
{
	(void)state;
	FILE *f = fopen(DATA "imperfect.gambit-lcp", "r");
	assert_non_null(f);
	char want[4096];
	assert_non_null(fgets(want, sizeof want, f));
	fclose(f);
	want[strcspn(want, "\n")] = '\0';
	expect("imperfect.efg", "seqform", want);
}

static void test_spe_with_simultaneous_subgame(void **state)
{
	(void)state;
	expect("entry_bos.efg", "spe", "NE,0,1,1,0,1,0|NE,1,0,0,1,0,1|NE,1,0,3/4,1/4,1/4,3/4");
}

/* The logit branch's limit is an equilibrium: within 1e-6 of one of the
 * extreme equilibria vertex enumeration lists (games with isolated
 * equilibria on the branch). */
static void test_logit_limit(void **state)
{
	(void)state;
	const char *games[] = {"pd.nfg", "mp.nfg", "bos.nfg", "degenerate.nfg"};
	for (size_t k = 0; k < sizeof games / sizeof games[0]; k++) {
		pl_game *g = load(games[k]);
		pl_game_solution *lo = NULL, *en = NULL;
		pl_error err;
		pl_error_clear(&err);
		assert_int_equal(pl_game_solve(g, "logit", NULL, &lo, &err), PL_OK);
		assert_int_equal(pl_game_solve(g, "enummixed", NULL, &en, &err), PL_OK);
		assert_int_equal(pl_game_solution_n_equilibria(lo), 1);
		int near = 0;
		size_t len = 0;
		for (size_t p = 0; p < pl_game_n_players(g); p++)
			len += 3; /* at most 3 strategies in these games; extra indices read 0 */
		for (size_t e = 0; e < pl_game_solution_n_equilibria(en) && !near; e++) {
			near = 1;
			for (size_t i = 0; i < len; i++)
				if (fabs(pl_game_solution_prob(lo, 0, i) -
					 pl_game_solution_prob(en, e, i)) > 1e-6)
					near = 0;
		}
		if (!near) {
			print_error("%s: logit's limit is not an enumerated equilibrium\n",
				    games[k]);
			fail();
		}
		pl_game_solution_free(lo);
		pl_game_solution_free(en);
		pl_game_free(g);
	}
}

/* Every pure and Lemke-Howson equilibrium of a bimatrix game is one of the
 * extreme equilibria vertex enumeration lists. */
static void test_solvers_agree(void **state)
{
	(void)state;
	const char *games[] = {"pd.nfg", "bos.nfg", "mp.nfg", "degenerate.nfg", "continuum.nfg"};
	for (size_t k = 0; k < sizeof games / sizeof games[0]; k++) {
		pl_game *g = load(games[k]);
		char *all = solve_lines(g, "enummixed");
		const char *subs[] = {"pure", "lh"};
		for (size_t j = 0; j < 2; j++) {
			char *part = solve_lines(g, subs[j]);
			for (char *tok = strtok(part, "|"); tok; tok = strtok(NULL, "|"))
				if (!strstr(all, tok)) {
					print_error("%s: %s found %s, not listed by enummixed\n",
						    games[k], subs[j], tok);
					fail();
				}
			free(part);
		}
		free(all);
		pl_game_free(g);
	}
}

static char *write(const pl_game *g, pl_game_format f)
{
	char *s = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_game_write_string(g, f, &s, &err), PL_OK);
	return s;
}

/* Reading what was written gives the same game: writing it again gives the
 * same bytes. */
static void test_round_trip(void **state)
{
	(void)state;
	const char *games[] = {"pd.nfg",
			       "mp.nfg",
			       "bos.nfg",
			       "continuum.nfg",
			       "degenerate.nfg",
			       "coord3.nfg",
			       "horse.efg",
			       "centipede.efg",
			       "entry_bos.efg",
			       "mp3.efg",
			       "../../../data/games/korea-crisis.efg"};
	for (size_t k = 0; k < sizeof games / sizeof games[0]; k++) {
		pl_game *g = load(games[k]);
		pl_game_format fmts[] = {pl_game_is_tree(g) ? PL_GAME_EFG : PL_GAME_NFG,
					 PL_GAME_NFG};
		for (size_t j = 0; j < 2; j++) {
			char *once = write(g, fmts[j]);
			pl_game *again = NULL;
			pl_error err;
			pl_error_clear(&err);
			assert_int_equal(
				pl_game_read_buffer(once, strlen(once), "again", &again, &err),
				PL_OK);
			char *twice = write(again, fmts[j]);
			assert_string_equal(once, twice);
			free(once);
			free(twice);
			pl_game_free(again);
		}
		char *json = write(g, PL_GAME_JSON);
		assert_non_null(strstr(json, "\"format\": \"parley-game\""));
		pl_game *back = NULL;
		pl_error jerr;
		pl_error_clear(&jerr);
		assert_int_equal(pl_game_read_buffer(json, strlen(json), "json", &back, &jerr),
				 PL_OK);
		char *json2 = write(back, PL_GAME_JSON);
		assert_string_equal(json, json2);
		free(json2);
		pl_game_free(back);
		free(json);
		pl_game_free(g);
	}
}

static pl_game *parse(const char *text, const char *name)
{
	pl_game *g = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_game_read_buffer(text, strlen(text), name, &g, &err)) {
		char buf[2048];
		print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
		fail();
	}
	return g;
}

/* lh first pivots on 128-bit integers and starts again on GMP integers
 * when a step would overflow, dropping what it found so far (solve_lh.c).
 * Multiplying every payoff by a power of ten leaves a game's equilibria
 * and its Lemke-Howson paths as they are, while the tableaux' entries grow
 * past 128 bits within a few pivots at 10^15 (and part way through the
 * walk at 10^6): each scale must list the same equilibria, each one of
 * those vertex enumeration lists. */
static void test_lh_wide_payoffs(void **state)
{
	(void)state;
	test_rng rng = {2026};
	for (int game = 0; game < 20; game++) {
		int a[2][6][6];
		for (int i = 0; i < 6; i++)
			for (int j = 0; j < 6; j++)
				for (int p = 0; p < 2; p++)
					a[p][i][j] = (int)(test_rng_next(&rng) % 1000);
		const char *zeros[] = {"", "000000", "000000000000000"};
		char *first = NULL;
		for (int z = 0; z < 3; z++) {
			char text[8192];
			size_t len = (size_t)snprintf(text, sizeof text,
				"NFG 1 R \"wide\" { \"1\" \"2\" } { 6 6 }\n");
			for (int j = 0; j < 6; j++) /* player 1's strategy varies fastest */
				for (int i = 0; i < 6; i++)
					len += (size_t)snprintf(text + len, sizeof text - len,
								"%d%s %d%s ", a[0][i][j], zeros[z],
								a[1][i][j], zeros[z]);
			pl_game *g = parse(text, "wide.nfg");
			char *lines = solve_lines(g, "lh");
			if (!first) {
				char *all = solve_lines(g, "enummixed");
				char *copy = strdup(lines);
				for (char *tok = strtok(copy, "|"); tok; tok = strtok(NULL, "|"))
					if (!strstr(all, tok)) {
						print_error("game %d: lh found %s, not listed by "
							    "enummixed\n", game, tok);
						fail();
					}
				free(copy);
				free(all);
				first = lines;
			} else {
				if (strcmp(lines, first) != 0) {
					print_error("game %d, payoffs x 1%s:\n  got  %s\n  want %s\n",
						    game, zeros[z], lines, first);
					fail();
				}
				free(lines);
			}
			pl_game_free(g);
		}
		free(first);
	}
}

/* Removes the "number" of every information set (the lines of
 * "infosets", which have no "parent"), giving the JSON an older or
 * hand-written file has. */
static void strip_infoset_numbers(char *json)
{
	char *w = json;
	for (char *line = json; *line;) {
		char *end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		char keep = *end;
		*end = '\0'; /* search this line only */
		char *num = strstr(line, ", \"number\": ");
		int infoset = strncmp(line, "    {\"id\": ", 11) == 0 &&
			      !strstr(line, "\"parent\"") && num;
		*end = keep;
		for (char *r = line; r < end;) {
			if (infoset && r == num) {
				r += 12;
				while (*r >= '0' && *r <= '9')
					r++;
				continue;
			}
			*w++ = *r++;
		}
		line = end;
	}
	*w = '\0';
}

/* .efg -> JSON -> .efg gives the same bytes (and so the same hash) for every
 * tree shipped or used as a fixture; so does a JSON file without infoset
 * numbers when the .efg numbers each player's sets 1, 2, ... in order, as
 * Gambit does. */
static void test_json_round_trip(void **state)
{
	(void)state;
	const char *dirs[] = {DATA, "data/games/"};
	int trees = 0;
	for (size_t d = 0; d < 2; d++) {
		DIR *dir = opendir(dirs[d]);
		assert_non_null(dir);
		for (struct dirent *e; (e = readdir(dir));) {
			size_t len = strlen(e->d_name);
			if (len < 5 || strcmp(e->d_name + len - 4, ".efg") != 0)
				continue;
			char path[512];
			snprintf(path, sizeof path, "%s%s", dirs[d], e->d_name);
			pl_game *g = NULL;
			pl_error err;
			pl_error_clear(&err);
			assert_int_equal(pl_game_read_file(path, &g, &err), PL_OK);
			char *efg = write(g, PL_GAME_EFG), *json = write(g, PL_GAME_JSON);
			pl_game *back = parse(json, path);
			char *again = write(back, PL_GAME_EFG);
			if (strcmp(efg, again) != 0) {
				print_error("%s: .efg -> JSON -> .efg changed the file\n", path);
				fail();
			}
			assert_string_equal(pl_game_hash(g), pl_game_hash(back));
			/* the written .efg itself survives the trip byte for byte */
			pl_game *canon = parse(efg, path);
			char *json2 = write(canon, PL_GAME_JSON);
			assert_string_equal(json, json2);
			strip_infoset_numbers(json2);
			assert_null(strstr(json2, "\"player\": 1, \"number\""));
			assert_non_null(strstr(json2, "\"outcome\": {\"number\""));
			pl_game *plain = parse(json2, path);
			char *plain_efg = write(plain, PL_GAME_EFG);
			if (strcmp(efg, plain_efg) != 0) {
				print_error(
					"%s: JSON without infoset numbers renumbered the sets\n",
					path);
				fail();
			}
			free(efg);
			free(json);
			free(again);
			free(json2);
			free(plain_efg);
			pl_game_free(g);
			pl_game_free(back);
			pl_game_free(canon);
			pl_game_free(plain);
			trees++;
		}
		closedir(dir);
	}
	assert_true(trees >= 6);
}

/* Exact numbers: decimals, exponents and fractions are read exactly. */
static void test_numbers(void **state)
{
	(void)state;
	const char *text = "NFG 1 R \"numbers\" { \"a\" \"b\" } { 1 1 }\n0.1 -2.5e-1\n";
	pl_game *g = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_game_read_buffer(text, strlen(text), "n", &g, &err), PL_OK);
	char *out = write(g, PL_GAME_NFG);
	assert_non_null(strstr(out, "1/10 -1/4"));
	free(out);
	pl_game_free(g);
}

typedef struct bad {
	const char *text;
	const char *where;   /* expected err.where */
	const char *message; /* a substring of the message */
} bad;

static const bad bad_files[] = {
	{"", "bad:1", "not a game file"},
	{"XYZ 1", "bad:1", "not a game file"},
	{"EFG 3 R \"t\" { \"1\" }\nt \"\" 0\n", "bad:1", "version 2"},
	{"EFG 2 Q \"t\" { \"1\" }\nt \"\" 0\n", "bad:1", "data type"},
	{"EFG 2 R \"t\" { }\nt \"\" 0\n", "bad:1", "at least one player"},
	{"EFG 2 R \"t\" { \"1\" }\n\nc \"\" 1 \"\" { \"a\" 1/2 \"b\" 0.4 } 0\nt \"\" 0\nt \"\" 0\n",
	 "bad:3", "sum to 9/10, not exactly 1"},
	{"EFG 2 R \"t\" { \"1\" }\nc \"\" 1 \"\" { \"a\" 3/2 \"b\" -1/2 } 0\nt \"\" 0\nt \"\" 0\n",
	 "bad:2", "negative"},
	{"EFG 2 R \"t\" { \"1\" \"2\" }\np \"\" 1 1 \"\" { \"L\" \"R\" } 0\n"
	 "p \"\" 2 1 \"\" { \"l\" \"r\" } 0\nt \"\" 0\nt \"\" 0\n"
	 "p \"\" 2 1 \"\" { \"l\" \"x\" } 0\nt \"\" 0\nt \"\" 0\n",
	 "bad:6", "action 2 is \"x\" here, \"r\" in its first definition"},
	{"EFG 2 R \"t\" { \"1\" \"2\" }\np \"\" 1 1 \"\" { \"L\" \"R\" } 0\n"
	 "p \"\" 2 1 \"\" { \"l\" \"r\" } 0\nt \"\" 0\nt \"\" 0\n"
	 "p \"\" 2 1 \"\" { \"l\" \"r\" \"m\" } 0\nt \"\" 0\nt \"\" 0\nt \"\" 0\n",
	 "bad:6", "3 actions here, 2 in its first definition"},
	{"EFG 2 R \"t\" { \"1\" }\np \"\" 1 7 0\n", "bad:2", "used before it is defined"},
	{"EFG 2 R \"t\" { \"1\" }\nt \"\" 4\n", "bad:2", "outcome 4 is used before"},
	{"EFG 2 R \"t\" { \"1\" }\nt \"\" 0 \"x\" { 1 }\n", "bad:2", "null outcome"},
	{"EFG 2 R \"t\" { \"1\" \"2\" }\nt \"\" 1 \"x\" { 1 }\n", "bad:2",
	 "expected a payoff for every player, found '}'"},
	{"EFG 2 R \"t\" { \"1\" }\nt \"\" 1 \"x\" { 1 2 }\n", "bad:2",
	 "after one payoff per player"},
	{"EFG 2 R \"t\" { \"1\" }\np \"\" 1 1 \"\" { \"a\" \"b\" } 0\nt \"\" 1 \"x\" { 1 }\n"
	 "p \"\" 3 1 0\n",
	 "bad:4", "player 3 does not exist"},
	{"EFG 2 R \"t\" { \"1\" }\np \"\" 1 1 \"\" { \"a\" \"b\" } 0\nt \"\" 1 \"x\" { 1 }\n"
	 "t \"\" 1 \"x\" { 2 }\n",
	 "bad:4", "payoff of player 1 differs"},
	{"EFG 2 R \"t\" { \"1\" }\np \"\" 1 1 \"\" { \"a\" \"b\" } 0\nt \"\" 0\n", "bad:3",
	 "the tree ends early"},
	{"EFG 2 R \"t\" { \"1\" }\nt \"\" 0\nt \"\" 0\n", "bad:3", "after the end of the tree"},
	{"EFG 2 R \"t\" { \"1 }\n", "bad:1", "end of file inside a quoted label"},
	{"EFG 2 R \"t\" { \"1\" }\nq \"\" 0\n", "bad:2", "node type c, p or t"},
	{"EFG 2 R \"t\" { \"1\" }\nt \"\" 1 \"x\" { +1 }\n", "bad:2", "not a number Gambit"},
	{"EFG 2 R \"t\" { \"1\" }\nt \"\" 1 \"x\" { 1/0 }\n", "bad:2", "not a number Gambit"},
	{"EFG 2 R \"t\" { \"1\" }\nt \"\" 1 \"x\" { 1e }\n", "bad:2", "malformed exponent"},
	{"EFG 2 R \"t\" { \"1\" }\nt \"\" 1.5\n", "bad:2", "must be an integer"},
	{"NFG 1 R \"t\" { \"1\" \"2\" } { 2 2 }\n1 2 3 4 5 6 7\n", "bad:2", "end of file"},
	{"NFG 1 R \"t\" { \"1\" \"2\" } { 1 1 }\n1 2 3\n", "bad:2", "after the last entry"},
	{"NFG 1 R \"t\" { \"1\" \"2\" } { 0 2 }\n", "bad:1", "integer >= 1"},
	{"NFG 1 R \"t\" { \"1\" \"2\" } { 2 }\n1 2\n", "bad:1", "number of strategies"},
	{"NFG 1 R \"t\" { \"1\" \"2\" } { { \"a\" } { \"b\" } }\n{ { \"o\" 1 2 } }\n3\n", "bad:3",
	 "outcome 3 does not exist"},
	{"NFG 1 R \"t\" { \"1\" \"2\" } { { \"a\" } { } }\n", "bad:1", "no strategies"},
	{"NFG 2 R \"t\" { \"1\" } { 1 }\n1\n", "bad:1", "version 1"},
	{"NFG 1 R \"t\" { \"1\" } { 1 }\n1x\n", "bad:2", "after the last entry"},
	{"{\"format\": \"parley-game\", ", "bad:1", "not valid JSON"},
	{"{\"format\": \"other\"}", "bad: $.format", "parley-game"},
	{"{\"format\": \"parley-game\", \"type\": \"table\", \"players\": [\"a\"], "
	 "\"strategies\": [[\"x\"]], \"payoffs\": [[0.5]]}",
	 "bad: $.payoffs[0].payoffs[0]", "a JSON real is not exact"},
	{"{\"format\": \"parley-game\", \"type\": \"tree\", \"players\": [\"a\"], "
	 "\"infosets\": [{\"player\": 0, \"actions\": [\"h\", \"t\"], "
	 "\"probabilities\": [\"1/2\", \"1/3\"]}], \"nodes\": []}",
	 "bad: $.infosets[0]", "do not sum to exactly 1"},
	{"{\"format\": \"parley-game\", \"type\": \"tree\", \"players\": [\"a\"], "
	 "\"infosets\": [{\"player\": 1, \"actions\": [\"l\", \"r\"]}], \"nodes\": ["
	 "{\"parent\": -1, \"type\": \"personal\", \"infoset\": 0}, "
	 "{\"parent\": 0, \"action\": 1, \"type\": \"terminal\"}]}",
	 "bad: $.nodes[1]", "prefix order"},
	{"{\"format\": \"parley-game\", \"type\": \"tree\", \"players\": [\"a\"], "
	 "\"infosets\": [{\"player\": 1, \"number\": 3, \"actions\": [\"l\", \"r\"]}, "
	 "{\"player\": 1, \"number\": 3, \"actions\": [\"x\"]}], \"nodes\": []}",
	 "bad: $.infosets[1]", "information set 3 of player 1 is also $.infosets[0]"},
	{"{\"format\": \"parley-game\", \"type\": \"tree\", \"players\": [\"a\"], "
	 "\"infosets\": [{\"player\": 1, \"number\": 0, \"actions\": [\"l\"]}], "
	 "\"nodes\": []}",
	 "bad: $.infosets[0]", "\"number\" must be an integer from 1"},
	{"{\"format\": \"parley-game\", \"type\": \"tree\", \"players\": [\"a\"], "
	 "\"infosets\": [{\"player\": 1, \"actions\": [\"l\", \"r\"]}], \"nodes\": ["
	 "{\"parent\": -1, \"type\": \"personal\", \"infoset\": 0}, "
	 "{\"parent\": 0, \"action\": 0, \"type\": \"terminal\", "
	 "\"outcome\": {\"number\": 2, \"label\": \"w\", \"payoffs\": [1]}}, "
	 "{\"parent\": 0, \"action\": 1, \"type\": \"terminal\", "
	 "\"outcome\": {\"number\": 2, \"label\": \"w\", \"payoffs\": [2]}}]}",
	 "bad: $.nodes[2].outcome", "outcome 2: payoff of player 1 differs"},
};

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof bad_files / sizeof bad_files[0]; k++) {
		const bad *b = &bad_files[k];
		pl_game *g = NULL;
		pl_error err;
		pl_error_clear(&err);
		int rc = pl_game_read_buffer(b->text, strlen(b->text), "bad", &g, &err);
		if (rc != PL_EINPUT || strcmp(err.where, b->where) != 0 ||
		    !strstr(err.message, b->message)) {
			print_error("bad file %zu: rc %d, where '%s', message '%s'\n  want '%s' "
				    "'%s'\n",
				    k, rc, err.where, err.message, b->where, b->message);
			fail();
		}
		assert_null(g);
	}
	const char nul[] = "EFG 2 R \"t\" { \"1\" }\n\0";
	pl_game *g = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_game_read_buffer(nul, sizeof nul - 1, "nul", &g, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "NUL"));
}

/* A file the user named wrongly is bad input (exit status 2), not an I/O
 * failure: missing, a directory, another extension, content of another
 * format than its name. */
static void test_bad_paths(void **state)
{
	(void)state;
	static const struct {
		const char *path, *where, *message;
	} cases[] = {
		{DATA "missing.efg", DATA "missing.efg", "cannot open the game file"},
		{DATA, DATA, "is a directory"},
		{DATA "../meson.build", DATA "../meson.build", "unknown extension '.build'"},
		{DATA "../test_game_cli.sh", DATA "../test_game_cli.sh", "unknown extension"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		pl_game *g = NULL;
		pl_error err;
		pl_error_clear(&err);
		assert_int_equal(pl_game_read_file(cases[k].path, &g, &err), PL_EINPUT);
		assert_string_equal(err.where, cases[k].where);
		assert_non_null(strstr(err.message, cases[k].message));
		assert_int_equal(pl_error_exit_status(&err), 2);
		assert_null(g);
	}
}

/* Labels with quotes and backslashes survive a round trip. */
static void test_escapes(void **state)
{
	(void)state;
	const char *text = "NFG 1 R \"say \\\"no\\\" \\\\ twice\" { \"a\" } { 1 }\n1\n";
	pl_game *g = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_game_read_buffer(text, strlen(text), "esc", &g, &err), PL_OK);
	assert_string_equal(pl_game_title(g), "say \"no\" \\ twice");
	char *out = write(g, PL_GAME_NFG);
	assert_non_null(strstr(out, "\"say \\\"no\\\" \\\\ twice\""));
	free(out);
	pl_game_free(g);
}

static void test_solver_errors(void **state)
{
	(void)state;
	pl_game *g = load("coord3.nfg");
	pl_game_solution *s = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_game_solve(g, "enummixed", NULL, &s, &err), PL_EINPUT);
	pl_error_clear(&err);
	assert_int_equal(pl_game_solve(g, "nosuch", NULL, &s, &err), PL_ENOTFOUND);
	pl_game_free(g);
	g = load("bos.nfg");
	pl_error_clear(&err);
	assert_int_equal(pl_game_solve(g, "lp", NULL, &s, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "constant-sum"));
	pl_game_free(g);
}

/* Players, equilibria and payoffs are counted from 0 (size_t), as every
 * index of the library; options carry their version. */
static void test_indices(void **state)
{
	(void)state;
	pl_game *g = load("bos.nfg");
	assert_int_equal(pl_game_n_players(g), 2);
	assert_string_equal(pl_game_player_name(g, 0), "Alice");
	assert_string_equal(pl_game_player_name(g, 1), "Bob");
	assert_null(pl_game_player_name(g, 2));
	assert_null(pl_game_player_name(g, SIZE_MAX));
	pl_game_solve_opts o = PL_GAME_SOLVE_OPTS_INIT;
	pl_game_solution *s = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_game_solve(g, "enummixed", &o, &s, &err), PL_OK);
	assert_int_equal(pl_game_solution_n_equilibria(s), 3);
	/* the first equilibrium is (Opera, Opera): Alice 2, Bob 1 */
	assert_true(fabs(pl_game_solution_payoff(s, 0, 0) - 2) < 1e-12);
	assert_true(fabs(pl_game_solution_payoff(s, 0, 1) - 1) < 1e-12);
	assert_true(pl_game_solution_payoff(s, 0, 2) == 0);
	assert_true(pl_game_solution_payoff(s, 3, 0) == 0);
	assert_true(pl_game_solution_prob(s, 0, 0) == 1);
	pl_game_solution_free(s);
	/* a cap of 1 stops at the second equilibrium */
	o.max_equilibria = 1;
	s = NULL;
	assert_int_equal(pl_game_solve(g, "enummixed", &o, &s, &err), PL_EINPUT);
	assert_null(s);
	assert_non_null(strstr(err.message, "more than 1 equilibria"));
	/* lh from one label (0-based) finds one equilibrium; a label beyond the
	 * strategies is refused */
	o = (pl_game_solve_opts)PL_GAME_SOLVE_OPTS_INIT;
	o.label = 0;
	assert_int_equal(pl_game_solve(g, "lh", &o, &s, &err), PL_OK);
	assert_int_equal(pl_game_solution_n_equilibria(s), 1);
	pl_game_solution_free(s);
	o.label = 4;
	s = NULL;
	pl_error_clear(&err);
	assert_int_equal(pl_game_solve(g, "lh", &o, &s, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "label 4 is not in 0..3"));
	/* options of an unknown version (a zeroed struct) are refused */
	pl_game_solve_opts zero;
	memset(&zero, 0, sizeof zero);
	pl_error_clear(&err);
	assert_int_equal(pl_game_solve(g, "pure", &zero, &s, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "PL_GAME_SOLVE_OPTS_INIT"));
	pl_game_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prisoners_dilemma),
		cmocka_unit_test(test_matching_pennies),
		cmocka_unit_test(test_battle_of_the_sexes),
		cmocka_unit_test(test_continuum),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_three_players),
		cmocka_unit_test(test_selten_horse),
		cmocka_unit_test(test_centipede),
		cmocka_unit_test(test_spe_with_simultaneous_subgame),
		cmocka_unit_test(test_sequence_form),
		cmocka_unit_test(test_sequence_form_imperfect),
		cmocka_unit_test(test_spe_logit_fallback),
		cmocka_unit_test(test_zero_sum_tree),
		cmocka_unit_test(test_solvers_agree),
		cmocka_unit_test(test_lh_wide_payoffs),
		cmocka_unit_test(test_logit_limit),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_solver_errors),
		cmocka_unit_test(test_indices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
