/* cmd_game.c - `parley game`: strategic scenario games in Gambit's .efg/.nfg
 * formats: describe them, solve them for equilibria, convert between forms. */
#include "cli.h"

#include <parley/game.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage_text[] =
	"usage: parley game info FILE [--format text|json]\n"
	"       parley game solve FILE [--solver NAME] [--format text|json|csv|gambit]\n"
	"                              [--max N]\n"
	"                              [--tolerance T] [--output OUT]\n"
	"       parley game convert FILE --to efg|nfg|json [--output OUT]\n"
	"       parley game solvers\n"
	"\n"
	"FILE is a Gambit extensive-form (.efg, version 2) or strategic-form (.nfg)\n"
	"game, or parley's JSON form of one (.json, what convert --to json writes);\n"
	"its extension must match its content. `solve` prints every equilibrium\n"
	"found: the strategy or behaviour profile, each player's expected payoff,\n"
	"the probability of every outcome reached, beliefs at information sets, and\n"
	"the profile's maximum regret, which parley checks (0 for exact solvers).\n"
	"The default solver is spe for trees, enummixed for two-player tables and\n"
	"pure otherwise. A tree converted to .nfg becomes its reduced strategic\n"
	"form. Output is written atomically.\n"
	"\n"
	"  --solver NAME   see `parley game solvers`\n"
	"  --format F      text (default), json, csv, or gambit (\"NE,...\" lines as\n"
	"                  Gambit's command-line tools print them)\n"
	"  --max N         stop with an error beyond N equilibria (default 10000)\n"
	"  --tolerance T   regret allowed for floating-point solvers (default 1e-8)\n"
	"  --output OUT    write to OUT instead of standard output\n";

typedef struct game_args {
	const char *sub, *file, *solver, *format, *to, *output;
	pl_game_solve_opts opts;
	char file_buf[4096]; /* a shipped game found elsewhere (cli_data_file) */
} game_args;

static int parse_args(int argc, char **argv, game_args *a)
{
	memset(a, 0, sizeof *a);
	a->opts = (pl_game_solve_opts)PL_GAME_SOLVE_OPTS_INIT;
	for (int k = 1; k < argc; k++) {
		const char *s = argv[k];
		const char **slot = NULL;
		if (strcmp(s, "--solver") == 0)
			slot = &a->solver;
		else if (strcmp(s, "--format") == 0)
			slot = &a->format;
		else if (strcmp(s, "--to") == 0)
			slot = &a->to;
		else if (strcmp(s, "--output") == 0 || strcmp(s, "-o") == 0)
			slot = &a->output;
		if (slot || strcmp(s, "--max") == 0 || strcmp(s, "--tolerance") == 0) {
			if (k + 1 >= argc)
				return cli_usage_error("game", "%s needs a value", s);
			const char *v = argv[++k];
			char *end;
			if (slot) {
				*slot = v;
			} else if (s[2] == 'm') {
				long n = strtol(v, &end, 10);
				if (*end || n < 1 || n > 100000000)
					return cli_usage_error("game",
							       "--max '%s' must be a "
							       "positive integer",
							       v);
				a->opts.max_equilibria = (size_t)n;
			} else {
				double t = strtod(v, &end);
				if (*end || !(t > 0) || t > 1)
					return cli_usage_error("game",
							       "--tolerance '%s' must be in "
							       "(0, 1]",
							       v);
				a->opts.tolerance = t;
			}
		} else if (s[0] == '-' && s[1]) {
			return cli_usage_error("game", "unknown option '%s'", s);
		} else if (!a->sub) {
			a->sub = s;
		} else if (!a->file) {
			a->file = cli_data_file(s, a->file_buf, sizeof a->file_buf);
		} else {
			return cli_usage_error("game", "unexpected argument '%s'", s);
		}
	}
	return 0;
}

static int output_kind(const char *f, pl_game_output *out)
{
	if (!f || strcmp(f, "text") == 0)
		*out = PL_GAME_OUT_TEXT;
	else if (strcmp(f, "json") == 0)
		*out = PL_GAME_OUT_JSON;
	else if (strcmp(f, "csv") == 0)
		*out = PL_GAME_OUT_CSV;
	else if (strcmp(f, "gambit") == 0)
		*out = PL_GAME_OUT_GAMBIT;
	else
		return cli_usage_error("game", "--format '%s' must be text, json, csv or gambit",
				       f);
	return 0;
}

/* Writes text atomically to the output (or stdout) and frees it. */
static int emit(char *text, const char *output)
{
	cli_out o;
	if (cli_out_open(&o)) {
		free(text);
		fprintf(stderr, "parley game: out of memory\n");
		return 1;
	}
	fputs(text, o.f);
	free(text);
	return cli_out_close("game", &o, output);
}

static int do_solvers(void)
{
	const char *const *names = pl_game_solver_names();
	for (size_t k = 0; names[k]; k++)
		printf("  %-10s %s\n", names[k], pl_game_solver_describe(names[k]));
	return 0;
}

static const char *default_solver(const pl_game *g)
{
	if (pl_game_is_tree(g))
		return "spe";
	return pl_game_n_players(g) == 2 ? "enummixed" : "pure";
}

static int do_solve(const game_args *a, const pl_game *g, pl_error *err)
{
	pl_game_output kind = PL_GAME_OUT_TEXT;
	int st = output_kind(a->format, &kind);
	if (st)
		return st;
	pl_game_solution *sol;
	if (pl_game_solve(g, a->solver ? a->solver : default_solver(g), &a->opts, &sol, err))
		return cli_report("game", err);
	char *text;
	st = pl_game_solution_format(sol, kind, &text, err);
	pl_game_solution_free(sol);
	if (st)
		return cli_report("game", err);
	return emit(text, a->output);
}

/* Whether the name of a converted game's file ends in .efg/.nfg/.json as
 * to says (any case), so that parley can read the file back. */
static int output_matches(const char *path, const char *to)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');
	return dot && strcasecmp(dot + 1, to) == 0;
}

static int do_convert(const game_args *a, const pl_game *g, pl_error *err)
{
	pl_game_format f;
	if (!a->to)
		return cli_usage_error("game", "convert needs --to efg, nfg or json");
	if (strcmp(a->to, "efg") == 0)
		f = PL_GAME_EFG;
	else if (strcmp(a->to, "nfg") == 0)
		f = PL_GAME_NFG;
	else if (strcmp(a->to, "json") == 0)
		f = PL_GAME_JSON;
	else
		return cli_usage_error("game", "--to '%s' must be efg, nfg or json", a->to);
	if (a->output && !output_matches(a->output, a->to))
		return cli_usage_error("game",
				       "--output '%s' must end in .%s: parley reads a game "
				       "file by its extension",
				       a->output, a->to);
	if (a->output) {
		if (pl_game_write_file(g, f, a->output, err))
			return cli_report("game", err);
		return 0;
	}
	char *text;
	if (pl_game_write_string(g, f, &text, err))
		return cli_report("game", err);
	return emit(text, NULL);
}

int cmd_game(int argc, char **argv)
{
	for (int k = 1; k < argc; k++)
		if (strcmp(argv[k], "-h") == 0 || strcmp(argv[k], "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		}
	game_args a;
	int st = parse_args(argc, argv, &a);
	if (st)
		return st;
	if (!a.sub)
		return cli_usage_error("game",
				       "needs a subcommand: info, solve, convert or solvers");
	if (strcmp(a.sub, "solvers") == 0)
		return do_solvers();
	if (strcmp(a.sub, "info") && strcmp(a.sub, "solve") && strcmp(a.sub, "convert"))
		return cli_usage_error("game", "unknown subcommand '%s'", a.sub);
	if (!a.file)
		return cli_usage_error("game", "%s needs a game file", a.sub);
	pl_error err;
	pl_error_clear(&err);
	pl_game *g;
	if (pl_game_read_file(a.file, &g, &err))
		return cli_report("game", &err);
	if (strcmp(a.sub, "solve") == 0) {
		st = do_solve(&a, g, &err);
	} else if (strcmp(a.sub, "convert") == 0) {
		st = do_convert(&a, g, &err);
	} else {
		pl_game_output kind = PL_GAME_OUT_TEXT;
		char *text;
		st = output_kind(a.format, &kind);
		if (!st && (kind == PL_GAME_OUT_CSV || kind == PL_GAME_OUT_GAMBIT))
			st = cli_usage_error("game", "info prints text or json");
		if (!st && pl_game_info_string(g, kind, &text, &err))
			st = cli_report("game", &err);
		else if (!st)
			st = emit(text, a.output);
	}
	pl_game_free(g);
	return st;
}
