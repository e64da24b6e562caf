/* cmd_backtest.c - `parley backtest`: every engine's forecasts against the
 * outcomes the cases record (docs/validity.md).  The library runs the
 * backtest and writes its documents; this file reads options and prints. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: parley backtest [PATH...] [OPTIONS]\n"
	"\n"
	"Runs the engines on every case file given (a directory: its *.json and\n"
	"*.csv files) and compares each forecast with the outcome the case records\n"
	"(issues[].outcome in JSON, '# outcome: VALUE' in CSV).  Per engine: issues\n"
	"forecast, mean, root mean squared and median absolute error, bias, the\n"
	"share of issues where it was closest and the share within 10, in points\n"
	"of a 0-100 scale.  With no PATH, the shipped cases.\n"
	"\n"
	"  -e, --engine all|NAME,...  engines (default all); one that cannot take an\n"
	"                          issue is skipped there, with the reason, and counted\n"
	"      --sweep N           also N Monte Carlo samples per case and engine:\n"
	"                          how often the outcome falls in the central 50 %% and\n"
	"                          80 %% intervals, and the CRPS\n"
	"      --stack             also stack the engines (weights learned on the\n"
	"                          issues) and cross-validate, leaving one case out\n"
	"  -r, --rounds N          maximum rounds for dynamic engines\n"
	"  -p, --param ENGINE.NAME=VALUE  engine parameter (repeatable)\n"
	"  -s, --seed N            seed for stochastic engines and sweeps (default 0)\n"
	"  -j, --threads N         worker threads (default: one per core); the output\n"
	"                          is the same for any number\n"
	"  -f, --format FMT        table (default), json, or csv (one row per issue\n"
	"                          and engine, for plots)\n"
	"  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
	"      --no-progress       no progress bar (it shows only on a terminal)\n"
	"  -h, --help              this help\n";

typedef struct opts {
	const char *engines, *format, *output;
	const char **params;
	size_t n_params;
	int rounds, progress, stack;
	uint64_t seed, sweep, threads;
} opts;

static int parse(int argc, char **argv, opts *o)
{
	enum { O_SWEEP = 256, O_NOPROG, O_STACK };
	static const struct option longopts[] = {{"engine", required_argument, NULL, 'e'},
						 {"sweep", required_argument, NULL, O_SWEEP},
						 {"stack", no_argument, NULL, O_STACK},
						 {"rounds", required_argument, NULL, 'r'},
						 {"param", required_argument, NULL, 'p'},
						 {"seed", required_argument, NULL, 's'},
						 {"threads", required_argument, NULL, 'j'},
						 {"format", required_argument, NULL, 'f'},
						 {"output", required_argument, NULL, 'o'},
						 {"no-progress", no_argument, NULL, O_NOPROG},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":e:r:p:s:j:f:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e': o->engines = optarg; break;
		case O_SWEEP:
			if (cli_parse_u64(optarg, 1, 10000000, &o->sweep))
				return cli_usage_error("backtest",
						       "--sweep '%s' must be a whole number "
						       "from 1 to 10000000",
						       optarg);
			break;
		case 'r':
			if (cli_parse_rounds("backtest", optarg, &o->rounds))
				return 2;
			break;
		case 'p': o->params[o->n_params++] = optarg; break;
		case 's':
			if (cli_parse_seed("backtest", optarg, &o->seed))
				return 2;
			break;
		case 'j':
			if (cli_parse_u64(optarg, 1, 1024, &o->threads))
				return cli_usage_error("backtest",
						       "--threads '%s' must be a whole number "
						       "from 1 to 1024",
						       optarg);
			break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case O_NOPROG: o->progress = 0; break;
		case O_STACK: o->stack = 1; break;
		case 'h': fputs(usage_text, stdout); return -1;
		default: return cli_bad_option("backtest", ch, argv);
		}
	}
	if (strcmp(o->format, "table") && strcmp(o->format, "json") && strcmp(o->format, "csv"))
		return cli_usage_error("backtest", "--format '%s': use table, json or csv",
				       o->format);
	return 0;
}

/* ---- table ------------------------------------------------------------ */

/* text broken between words so that no line passes width columns, each line
 * begun with indent */
static void print_wrapped(FILE *f, const char *text, const char *indent, size_t width)
{
	size_t room = width - strlen(indent);
	while (*text) {
		size_t len = strlen(text), cut = len;
		if (cli_text_columns(text) > room) {
			size_t fit = cli_text_fit(text, room, NULL);
			cut = fit;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = fit;
		}
		fprintf(f, "%s%.*s\n", indent, (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

/* a comma-separated list broken after commas at 76 columns */
static void print_wrapped_inline(FILE *f, const char *list)
{
	size_t col = 2;
	const char *p = list;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) + 1 : strlen(p);
		if (col + len > 78 && col > 2) {
			fputs("\n  ", f);
			col = 2;
		}
		fprintf(f, "%.*s", (int)len, p);
		col += len;
		p += len;
	}
	fputc('\n', f);
}

static void print_table(FILE *f, const pl_backtest *b)
{
	size_t ne = pl_backtest_n_engines(b);
	fprintf(f, "backtest: %zu issue%s with an outcome in %zu of %zu case%s; seed %llu\n",
		pl_backtest_n_issues(b), pl_backtest_n_issues(b) == 1 ? "" : "s",
		pl_backtest_n_cases_used(b), pl_backtest_n_cases(b),
		pl_backtest_n_cases(b) == 1 ? "" : "s", (unsigned long long)pl_backtest_seed(b));
	fprintf(f, "errors in points of a 0-100 scale: 100 x (forecast - outcome) / range\n\n");
	fprintf(f, "%-12s %5s %6s %6s %6s %6s %7s %6s %7s\n", "engine", "n", "MAE", "RMSE",
		"median", "bias", "closest", "<=10", "skipped");
	for (size_t e = 0; e < ne; e++) {
		pl_backtest_score s;
		pl_backtest_score_of(b, e, &s, NULL);
		fprintf(f, "%-12.12s %5zu ", pl_engine_name(pl_backtest_engine(b, e)), s.n);
		cli_print_num(f, s.mae, 6, 1);
		fputc(' ', f);
		cli_print_num(f, s.rmse, 6, 1);
		fputc(' ', f);
		cli_print_num(f, s.median_ae, 6, 1);
		fputc(' ', f);
		if (isnan(s.bias))
			cli_print_num(f, s.bias, 6, 1);
		else
			fprintf(f, "%+6.1f", s.bias);
		fputc(' ', f);
		cli_print_num(f, 100 * s.closest, 6, 0);
		fputs("% ", f);
		cli_print_num(f, 100 * s.within_10, 5, 0);
		fprintf(f, "%% %7zu\n", s.n_skipped);
	}
	if (pl_backtest_sweep(b)) {
		fprintf(f,
			"\ncalibration (%llu samples per case): share of outcomes inside the\n"
			"central 50 %% and 80 %% intervals of each engine's forecasts, and the CRPS\n\n",
			(unsigned long long)pl_backtest_sweep(b));
		fprintf(f, "%-12s %5s %6s %6s %6s\n", "engine", "n", "in 50", "in 80", "CRPS");
		for (size_t e = 0; e < ne; e++) {
			pl_backtest_score s;
			pl_backtest_score_of(b, e, &s, NULL);
			fprintf(f, "%-12.12s %5zu ", pl_engine_name(pl_backtest_engine(b, e)),
				s.n_calibrated);
			cli_print_num(f, 100 * s.in_50, 5, 0);
			fputs("% ", f);
			cli_print_num(f, 100 * s.in_80, 5, 0);
			fputs("% ", f);
			cli_print_num(f, s.crps, 6, 1);
			fputc('\n', f);
		}
	}
	const pl_stack *st = pl_backtest_stacking(b);
	if (st) {
		fprintf(f,
			"\nstacking: convex weights (steps of 0.1) on the engines and the scale's\n"
			"midpoint minimising the MAE; held out: each of the %zu cases with an\n"
			"outcome forecast with weights learned on the others\n\n",
			pl_stack_n_folds(st));
		fprintf(f, "weights on all %zu issues (in-sample MAE ", pl_stack_n_issues(st));
		cli_print_num(f, pl_stack_in_sample_mae(st), 0, 1);
		fputs("):\n  ", f);
		print_wrapped_inline(f, pl_stack_weights_text(st));
		fprintf(f, "held-out MAE ");
		cli_print_num(f, pl_stack_heldout_mae(st), 0, 1);
		fprintf(f, "; 80 %% of held-out errors within ");
		cli_print_num(f, pl_stack_spread80(st), 0, 1);
		fprintf(f, "\n\n%-12s %5s %10s %10s %7s\n", "against", "n", "its MAE", "held-out",
			"change");
		for (size_t e = 0; e < ne; e++) {
			pl_stack_versus_engine v;
			pl_stack_versus(st, e, &v, NULL);
			fprintf(f, "%-12.12s %5zu ", pl_engine_name(pl_backtest_engine(b, e)), v.n);
			cli_print_num(f, v.engine_mae, 10, 1);
			fputc(' ', f);
			cli_print_num(f, v.stack_mae, 10, 1);
			if (v.n && v.engine_mae > 0)
				fprintf(f, " %+6.0f%%\n", 100 * (v.stack_mae / v.engine_mae - 1));
			else
				fputs("       -\n", f);
		}
	}
	/* each engine's skips: how many, and the first reason */
	for (size_t e = 0; e < ne; e++) {
		size_t n = 0;
		const char *first = NULL;
		for (size_t k = 0; k < pl_backtest_n_issues(b); k++) {
			pl_backtest_cell x;
			pl_backtest_cell_of(b, k, e, &x, NULL);
			if (x.why) {
				n++;
				if (!first)
					first = x.why;
			}
		}
		if (n) {
			fprintf(f, "\nnote: %s skipped %zu issue%s (-f json lists each); the first:\n",
				pl_engine_name(pl_backtest_engine(b, e)), n, n == 1 ? "" : "s");
			print_wrapped(f, first, "  ", 78);
		}
	}
}

static int print_doc(FILE *out, const pl_backtest *b, const opts *o)
{
	if (o->format[0] == 't') {
		print_table(out, b);
		return 0;
	}
	pl_error err;
	pl_error_clear(&err);
	char *doc;
	if ((o->format[0] == 'j' ? pl_backtest_json : pl_backtest_csv)(&doc, b, &err))
		return cli_report("backtest", &err);
	fputs(doc, out);
	pl_free(doc);
	return 0;
}

/* The shipped cases' directory: the default case's. */
static const char *default_dir(char *buf, size_t size)
{
	cli_default_case(buf, size);
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return buf;
}

int cmd_backtest(int argc, char **argv)
{
	const char *params[256];
	opts o = {.engines = "all", .format = "table", .params = params, .progress = 1};
	if (argc > 256)
		return cli_usage_error("backtest", "too many arguments");
	int st = parse(argc, argv, &o);
	if (st)
		return st < 0 ? 0 : st;
	for (int k = optind; k < argc; k++)
		if ((st = cli_check_output("backtest", "case", argv[k], o.output)))
			return st;
	pl_error err;
	pl_error_clear(&err);
	pl_case_set *set;
	if (pl_case_set_new(&set, &err))
		return cli_report("backtest", &err);
	char dir[4096];
	if (optind == argc)
		st = pl_case_set_add_path_as(set, default_dir(dir, sizeof dir), "shipped", &err);
	for (int k = optind; k < argc && !st; k++)
		st = pl_case_set_add_path(set, argv[k], &err);
	if (st) {
		pl_case_set_free(set);
		return cli_report("backtest", &err);
	}
	pl_backtest_request req = PL_BACKTEST_REQUEST_INIT;
	req.engines = o.engines;
	req.n_params = o.n_params;
	req.params = (const char *const *)o.params;
	req.rounds = o.rounds;
	req.seed = o.seed;
	req.sweep = o.sweep;
	req.threads = (unsigned)o.threads;
	req.stack = o.stack;
	cli_progress pr;
	cli_progress_start(&pr, "runs", 0);
	if (o.progress && isatty(STDERR_FILENO)) {
		req.progress = cli_progress_show;
		req.progress_ctx = &pr;
	}
	pl_backtest *b;
	st = pl_backtest_run_request(&b, set, &req, &err);
	cli_progress_end(&pr);
	if (st) {
		pl_case_set_free(set);
		return cli_report("backtest", &err);
	}
	cli_out out;
	st = 1;
	if (!cli_out_open(&out)) {
		st = print_doc(out.f, b, &o);
		if (st)
			cli_out_discard(&out);
		else
			st = cli_out_close("backtest", &out, o.output);
	}
	pl_backtest_free(b);
	pl_case_set_free(set);
	return st;
}
