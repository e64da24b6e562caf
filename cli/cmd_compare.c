/* cmd_compare.c - `parley compare`: every forum format of a case with every
 * engine; per issue the forecast per format, the change against a baseline
 * format, who gains and who loses, and whether the outcome is stable
 * (docs/analysis/forums.md). */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parley compare [CASE] [OPTIONS]\n"
	"\n"
	"Runs each forum format of CASE (members at the table, non-members at the\n"
	"forum's outsider weight) with each engine and reports, per issue, the\n"
	"forecast per format, the change against the baseline format, each actor's\n"
	"gain in utility (-salience x |forecast - position| / range) and whether the\n"
	"outcome is stable across engines and rounds. A case needs two formats or\n"
	"more: a case that declares no forum has nothing to compare.\n"
	"\n"
	"      --forums all|ID,... formats to compare (default all: 'everyone' at full\n"
	"                          weight and every forum of the case)\n"
	"  -e, --engine all|NAME,...  engines (default all)\n"
	"  -b, --baseline ID       format the changes are measured against (default:\n"
	"                          the forum with the most members if it seats more\n"
	"                          than half of the actors, else everyone)\n"
	"  -r, --rounds N          maximum rounds for dynamic engines (default: each\n"
	"                          engine's own, 'parley engines -v')\n"
	"  -p, --param ENGINE.NAME=VALUE  engine parameter (repeatable); smp.log=FILE.db\n"
	"                          records every format's smp run in FILE.db, told\n"
	"                          apart by forum (docs/analysis/forums.md)\n"
	"  -s, --seed N            seed for stochastic engines (default 0)\n"
	"  -f, --format FMT        table (default), json or csv\n"
	"  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
	"      --input-format FMT  json, csv, ktab or decide (default: guessed)\n"
	"  -h, --help              this help\n";

typedef struct opts {
	const char *forums, *engines, *baseline, *format, *output, *input_format;
	const char **params;
	size_t n_params;
	int rounds;
	uint64_t seed;
} opts;

static int parse(int argc, char **argv, opts *o, const char **case_path)
{
	enum { O_FORUMS = 256, O_INFMT };
	static const struct option longopts[] = {{"forums", required_argument, NULL, O_FORUMS},
						 {"engine", required_argument, NULL, 'e'},
						 {"baseline", required_argument, NULL, 'b'},
						 {"rounds", required_argument, NULL, 'r'},
						 {"param", required_argument, NULL, 'p'},
						 {"seed", required_argument, NULL, 's'},
						 {"format", required_argument, NULL, 'f'},
						 {"output", required_argument, NULL, 'o'},
						 {"input-format", required_argument, NULL, O_INFMT},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":e:b:r:p:s:f:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case O_FORUMS: o->forums = optarg; break;
		case 'e': o->engines = optarg; break;
		case 'b': o->baseline = optarg; break;
		case 'r':
			if (cli_parse_rounds("compare", optarg, &o->rounds))
				return 2;
			break;
		case 'p': o->params[o->n_params++] = optarg; break;
		case 's':
			if (cli_parse_seed("compare", optarg, &o->seed))
				return 2;
			break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case O_INFMT: o->input_format = optarg; break;
		case 'h': fputs(usage_text, stdout); return -1;
		default: return cli_bad_option("compare", ch, argv);
		}
	}
	int st = cli_case_operand("compare", argc, argv, case_path, o->format, o->input_format);
	if (st)
		return st;
	return 0;
}

/* ---- table ------------------------------------------------------------ */

/* Columns: format (12), up to six engines (6 each), mean, change, spread
 * (5 each) and agree: 80 columns. */
#define MAX_ENGINE_COLUMNS 6

/* v with `decimals` places and its sign, never "-0.0": a value that rounds
 * to zero is printed unsigned. */
static void print_signed(FILE *f, double v, int width, int decimals)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%+.*f", decimals, v);
	if (strspn(buf + 1, "0.") == strlen(buf + 1))
		snprintf(buf, sizeof buf, "%.*f", decimals, 0.0);
	fprintf(f, "%*s", width, buf);
}

/* Whether format k's row is printed: a format with the same forecasts as
 * another one is shown once (pl_comparison_same_as). */
static int shown(const pl_comparison *x, size_t k)
{
	return pl_comparison_same_as(x, k) == k;
}

static void row_name(const pl_comparison *x, size_t k, char *name, size_t size)
{
	snprintf(name, size, "%.11s%s", pl_comparison_forum_id(x, k),
		 k == pl_comparison_baseline(x) ? "*" : "");
}

static void print_issue(FILE *f, const pl_case *c, const pl_comparison *x, size_t i)
{
	const pl_issue *is = pl_case_issue(c, i);
	size_t ne = pl_comparison_n_engines(x) < MAX_ENGINE_COLUMNS ? pl_comparison_n_engines(x)
								    : MAX_ENGINE_COLUMNS;
	char head[128];
	snprintf(head, sizeof head, "\n%s (%g-%g): ", is->id, is->min, is->max);
	fputs(head, f);
	cli_print_text(f, is->name, 80 - (cli_text_columns(head) - 1), 0);
	fputc('\n', f);
	fprintf(f, "  %-12s", "format");
	for (size_t e = 0; e < ne; e++)
		fprintf(f, " %6.6s", pl_engine_name(pl_comparison_engine(x, e)));
	fprintf(f, " %5s %5s %5s %5s\n", "mean", "chnge", "sprd", "agree");
	for (size_t k = 0; k < pl_comparison_n_forums(x); k++) {
		if (!shown(x, k))
			continue;
		char name[16];
		row_name(x, k, name, sizeof name);
		fprintf(f, "  %-12s", name);
		for (size_t e = 0; e < ne; e++) {
			const pl_result *r =
				pl_compare_result(pl_comparison_compare(x), k, e, NULL);
			double v = NAN;
			for (size_t q = 0; r && q < pl_result_n_outcomes(r); q++)
				if (pl_result_outcome(r, q)->issue == i)
					v = pl_result_outcome(r, q)->forecast;
			fputc(' ', f);
			cli_print_num(f, v, 6, 1);
		}
		pl_compare_cell cell;
		pl_compare_cell_of(pl_comparison_compare(x), k, i, &cell);
		fputc(' ', f);
		cli_print_num(f, cell.forecast, 5, 1);
		fputc(' ', f);
		print_signed(f, isnan(cell.change) ? 0.0 : cell.change, 5, 1);
		fputc(' ', f);
		cli_print_num(f, fmax(cell.engine_spread, cell.round_spread), 5, 1);
		char agree[32];
		snprintf(agree, sizeof agree, "%zu/%zu", cell.n_agree, cell.n_engines);
		fprintf(f, " %5s\n", agree);
	}
}

static void print_gains(FILE *f, const pl_case *c, const pl_comparison *x)
{
	size_t na = pl_case_n_actors(c);
	fprintf(f,
		"\ngain against %s, utility x 100 summed over issues: + the actor is\n"
		"better off than under %s, - worse off (utility = -salience x\n"
		"|forecast - position| / range: 0 when an issue lands on the actor's\n"
		"position, -100 for a full-salience issue at the far end)\n",
		pl_comparison_forum_id(x, pl_comparison_baseline(x)),
		pl_comparison_forum_id(x, pl_comparison_baseline(x)));
	fprintf(f, "  %-12s", "format");
	for (size_t a = 0; a < na && a < 8; a++)
		fprintf(f, " %7.7s", pl_case_actor(c, a)->id);
	fprintf(f, "\n");
	for (size_t k = 0; k < pl_comparison_n_forums(x); k++) {
		if (!shown(x, k))
			continue;
		char name[16];
		row_name(x, k, name, sizeof name);
		fprintf(f, "  %-12s", name);
		for (size_t a = 0; a < na && a < 8; a++) {
			fputc(' ', f);
			print_signed(f, 100 * pl_comparison_total_gain(x, k, a), 7, 2);
		}
		fprintf(f, "\n");
	}
	if (na > 8)
		fprintf(f, "  (the first 8 of %zu actors; the JSON and CSV have all)\n", na);
	for (size_t k = 0; k < pl_comparison_n_forums(x); k++) {
		if (k == pl_comparison_baseline(x) || !shown(x, k))
			continue;
		size_t best = 0, worst = 0;
		for (size_t a = 1; a < na; a++) {
			if (pl_comparison_total_gain(x, k, a) >
			    pl_comparison_total_gain(x, k, best))
				best = a;
			if (pl_comparison_total_gain(x, k, a) <
			    pl_comparison_total_gain(x, k, worst))
				worst = a;
		}
		double spread = pl_comparison_total_gain(x, k, best) -
				pl_comparison_total_gain(x, k, worst);
		if (na && spread > 1e-12)
			fprintf(f, "  %s: %s gains most, %s loses most\n",
				pl_comparison_forum_id(x, k), pl_case_actor(c, best)->id,
				pl_case_actor(c, worst)->id);
	}
}

/* Who sits at the baseline's table. */
static void print_baseline(FILE *f, const pl_case *c, const pl_comparison *x)
{
	size_t b = pl_comparison_baseline(x), fi = pl_comparison_forum(x, b);
	size_t n = fi == PL_NO_FORUM ? pl_case_n_actors(c) : pl_case_forum(c, fi)->n_members;
	fprintf(f, "forum formats against %s (%zu of %zu actors at the table)\n",
		pl_comparison_forum_id(x, b), n, pl_case_n_actors(c));
}

static void print_table(FILE *f, const pl_case *c, const pl_comparison *x)
{
	const pl_case_info *info = pl_case_get_info(c);
	cli_print_text(f, info->title ? info->title : info->id, 80, 0);
	fputc('\n', f);
	print_baseline(f, c, x);
	fprintf(f, "case %s  sha256 %.12s  parley %s\n", info->id, pl_case_hash(c),
		pl_version());
	size_t ne = pl_comparison_n_engines(x);
	char legend[1024];
	snprintf(legend, sizeof legend,
		 "each engine's forecast per format (%s); mean: over the %zu engine%s; "
		 "chnge: the mean's change against %s; sprd: the larger of the engines' "
		 "and the last rounds' range; agree: how many engines land within 10%% "
		 "of the scale of one another%s",
		 pl_comparison_n_forums(x) > 1 ? "* the baseline" : "the baseline", ne,
		 ne == 1 ? "" : "s", pl_comparison_forum_id(x, pl_comparison_baseline(x)),
		 ne > MAX_ENGINE_COLUMNS ? "; engines past the sixth count in the mean, "
					   "their columns are in the JSON and CSV"
					 : "");
	cli_print_wrapped(f, legend, 0, 0);
	for (size_t k = 0; k < pl_comparison_n_forums(x); k++) {
		size_t j = pl_comparison_same_as(x, k);
		if (j != k)
			fprintf(f, "%s gives the same forecasts as %s: shown once, as %s\n",
				pl_comparison_forum_id(x, k), pl_comparison_forum_id(x, j),
				pl_comparison_forum_id(x, j));
	}
	for (size_t e = 0; e < ne; e++) {
		const pl_result *r = pl_comparison_engine_result(x, e);
		if (r)
			cli_print_run(f, pl_result_engine(r), pl_result_seed(r),
				      pl_result_rounds(r), pl_result_params(r));
		else
			fprintf(f, "%s: did not run\n", pl_engine_name(pl_comparison_engine(x, e)));
	}
	for (size_t i = 0; i < pl_case_n_issues(c); i++)
		print_issue(f, c, x, i);
	for (size_t k = 0; k < pl_comparison_n_forums(x); k++)
		for (size_t e = 0; e < pl_comparison_n_engines(x); e++) {
			const char *why;
			if (!pl_compare_result(pl_comparison_compare(x), k, e, &why) && why) {
				char note[1024];
				snprintf(note, sizeof note, "note: %s did not run under %s: %s",
					 pl_engine_name(pl_comparison_engine(x, e)),
					 pl_comparison_forum_id(x, k), why);
				fputc('\n', f);
				cli_print_wrapped(f, note, 0, 2);
			}
		}
	print_gains(f, c, x);
}

/* The document in the format asked for, or the table, to out. */
static int print_compare(FILE *out, const pl_case *c, const pl_comparison *x, const opts *o)
{
	if (o->format[0] == 't') {
		print_table(out, c, x);
		return 0;
	}
	pl_error err;
	pl_error_clear(&err);
	char *doc;
	if ((o->format[0] == 'j' ? pl_compare_json : pl_compare_csv)(&doc, x, &err))
		return cli_report("compare", &err);
	fputs(doc, out);
	pl_free(doc);
	return 0;
}

static int run_and_print(const pl_case *c, const opts *o)
{
	pl_error err;
	pl_error_clear(&err);
	pl_compare_request req = PL_COMPARE_REQUEST_INIT;
	req.forums = o->forums;
	req.engines = o->engines;
	req.baseline = o->baseline;
	req.n_params = o->n_params;
	req.params = (const char *const *)o->params;
	req.rounds = o->rounds;
	req.seed = o->seed;
	pl_comparison *x;
	if (pl_compare_request_check(c, &req, &err) || pl_comparison_run(&x, c, &req, &err))
		return cli_report("compare", &err);
	cli_out out;
	int st = 1;
	if (!cli_out_open(&out)) {
		st = print_compare(out.f, c, x, o);
		if (st)
			cli_out_discard(&out);
		else
			st = cli_out_close("compare", &out, o->output);
	}
	pl_comparison_free(x);
	return st;
}

int cmd_compare(int argc, char **argv)
{
	const char *params[256];
	opts o = {.forums = "all", .engines = "all", .format = "table", .params = params};
	const char *case_path = NULL;
	if (argc > 256)
		return cli_usage_error("compare", "too many arguments");
	int st = parse(argc, argv, &o, &case_path);
	if (st)
		return st < 0 ? 0 : st;
	if ((st = cli_check_output("compare", "case", case_path, o.output)))
		return st;
	pl_case *c;
	st = cli_load_case("compare", case_path,
			   o.input_format ? pl_format_from_name(o.input_format) : PL_FORMAT_AUTO,
			   &c);
	if (st)
		return st;
	st = run_and_print(c, &o);
	pl_case_free(c);
	return st;
}
