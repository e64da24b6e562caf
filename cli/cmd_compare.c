/* cmd_compare.c - `parley compare`: every forum format of a case with every
 * engine; per issue the forecast per format, the change against a baseline
 * format, who gains and who loses, and whether the outcome is stable
 * (docs/analysis/forums.md). */
#include "cli.h"
#include "compare_out.h"

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
	"outcome is stable across engines and rounds.\n"
	"\n"
	"      --forums all|ID,... formats to compare (default all: 'everyone' at full\n"
	"                          weight and every forum of the case)\n"
	"  -e, --engine all|NAME,...  engines (default all)\n"
	"  -b, --baseline ID       format the changes are measured against (default:\n"
	"                          the forum with the most members)\n"
	"  -r, --rounds N          maximum rounds for dynamic engines\n"
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
		char *end;
		switch (ch) {
		case O_FORUMS: o->forums = optarg; break;
		case 'e': o->engines = optarg; break;
		case 'b': o->baseline = optarg; break;
		case 'r':
			o->rounds = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || o->rounds < 1 || o->rounds > 100000)
				return cli_usage_error("compare",
						       "--rounds '%s' must be a whole "
						       "number from 1 to 100000",
						       optarg);
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

static const char *forum_id(const pl_case *c, size_t f)
{
	return f == PL_NO_FORUM ? "everyone" : pl_case_forum(c, f)->id;
}

/* Columns: format, up to five engines, mean, change, spread, stable: 79
 * characters. */
#define MAX_ENGINE_COLUMNS 5

static void print_issue(FILE *f, const pl_case *c, const pl_compare *cmp, const compare_spec *sp,
			size_t i)
{
	const pl_issue *is = pl_case_issue(c, i);
	size_t ne = sp->n_engines < MAX_ENGINE_COLUMNS ? sp->n_engines : MAX_ENGINE_COLUMNS;
	fprintf(f, "\n%s (%g-%g): ", is->id, is->min, is->max);
	cli_print_text(f, is->name, 50, 0);
	fputc('\n', f);
	fprintf(f, "  %-12s", "format");
	for (size_t e = 0; e < ne; e++)
		fprintf(f, " %7.7s", pl_engine_name(sp->engines[e]));
	fprintf(f, " %6s %6s %6s %3s\n", "mean", "change", "spread", "ok");
	for (size_t k = 0; k < sp->n_forums; k++) {
		char name[16];
		snprintf(name, sizeof name, "%.11s%s", forum_id(c, sp->forums[k]),
			 k == sp->baseline ? "*" : "");
		fprintf(f, "  %-12s", name);
		for (size_t e = 0; e < ne; e++) {
			const pl_result *r = pl_compare_result(cmp, k, e, NULL);
			double x = NAN;
			for (size_t q = 0; r && q < pl_result_n_outcomes(r); q++)
				if (pl_result_outcome(r, q)->issue == i)
					x = pl_result_outcome(r, q)->forecast;
			fputc(' ', f);
			cli_print_num(f, x, 7, 1);
		}
		pl_compare_cell cell;
		pl_compare_cell_of(cmp, k, i, &cell);
		fputc(' ', f);
		cli_print_num(f, cell.forecast, 6, 1);
		fprintf(f, " %+6.1f ", isnan(cell.change) ? 0.0 : cell.change);
		cli_print_num(f, fmax(cell.engine_spread, cell.round_spread), 6, 1);
		fprintf(f, " %3s\n", cell.stable ? "yes" : "no");
	}
}

static void print_gains(FILE *f, const pl_case *c, const pl_compare *cmp, const compare_spec *sp)
{
	size_t na = pl_case_n_actors(c);
	fprintf(f,
		"\ngain against %s, utility x 100 summed over issues\n"
		"(utility = -salience x |forecast - position| / range)\n",
		forum_id(c, sp->forums[sp->baseline]));
	fprintf(f, "  %-12s", "format");
	for (size_t a = 0; a < na && a < 8; a++)
		fprintf(f, " %7.7s", pl_case_actor(c, a)->id);
	fprintf(f, "\n");
	for (size_t k = 0; k < sp->n_forums; k++) {
		fprintf(f, "  %-12.12s", forum_id(c, sp->forums[k]));
		for (size_t a = 0; a < na && a < 8; a++)
			fprintf(f, " %+7.2f", 100 * compare_total_gain(cmp, c, k, a));
		fprintf(f, "\n");
	}
	for (size_t k = 0; k < sp->n_forums; k++) {
		if (k == sp->baseline)
			continue;
		size_t best = 0, worst = 0;
		for (size_t a = 1; a < na; a++) {
			if (compare_total_gain(cmp, c, k, a) > compare_total_gain(cmp, c, k, best))
				best = a;
			if (compare_total_gain(cmp, c, k, a) < compare_total_gain(cmp, c, k, worst))
				worst = a;
		}
		double spread =
			compare_total_gain(cmp, c, k, best) - compare_total_gain(cmp, c, k, worst);
		if (na && spread > 1e-12)
			fprintf(f, "  %s: %s gains most, %s loses most\n",
				forum_id(c, sp->forums[k]), pl_case_actor(c, best)->id,
				pl_case_actor(c, worst)->id);
	}
}

static void print_table(FILE *f, const pl_case *c, const pl_compare *cmp, const compare_spec *sp)
{
	const pl_case_info *info = pl_case_get_info(c);
	cli_print_text(f, info->title ? info->title : info->id, 80, 0);
	fputc('\n', f);
	fprintf(f, "forum formats against %s\ncase %s  sha256 %.12s  parley %s\n",
		forum_id(c, sp->forums[sp->baseline]), info->id, pl_case_hash(c), pl_version());
	fprintf(f,
		"* baseline; mean over the %zu engine%s; spread = the larger of the engines'\n"
		"and the last rounds' range; ok (stable) = engines within 10%% and last\n"
		"rounds within 2%% of the scale\n",
		sp->n_engines, sp->n_engines == 1 ? "" : "s");
	for (size_t e = 0; e < sp->n_engines; e++) {
		const pl_result *r = compare_engine_result(cmp, sp, e);
		if (r)
			cli_print_run(f, pl_result_engine(r), pl_result_seed(r),
				      pl_result_rounds(r), pl_result_params(r));
		else
			fprintf(f, "%s: did not run\n", pl_engine_name(sp->engines[e]));
	}
	for (size_t i = 0; i < pl_case_n_issues(c); i++)
		print_issue(f, c, cmp, sp, i);
	for (size_t k = 0; k < sp->n_forums; k++)
		for (size_t e = 0; e < sp->n_engines; e++) {
			const char *why;
			if (!pl_compare_result(cmp, k, e, &why) && why)
				fprintf(f, "\nnote: %s did not run under %s: %s\n",
					pl_engine_name(sp->engines[e]), forum_id(c, sp->forums[k]),
					why);
		}
	print_gains(f, c, cmp, sp);
}

static void print_csv(FILE *f, const pl_case *c, const pl_compare *cmp, const compare_spec *sp)
{
	fprintf(f, "# parley %s; case %s sha256 %s; compare, baseline %s\n", pl_version(),
		pl_case_get_info(c)->id, pl_case_hash(c), forum_id(c, sp->forums[sp->baseline]));
	for (size_t e = 0; e < sp->n_engines; e++) {
		const pl_result *r = compare_engine_result(cmp, sp, e);
		if (r)
			fprintf(f, "# engine %s; params %s; seed %llu; rounds %d\n",
				pl_result_engine(r), pl_result_params(r),
				(unsigned long long)pl_result_seed(r), pl_result_rounds(r));
		else
			fprintf(f, "# engine %s; did not run\n", pl_engine_name(sp->engines[e]));
	}
	fprintf(f, "forum,issue,engine,forecast,change,engine_spread,round_spread,stable\n");
	for (size_t k = 0; k < sp->n_forums; k++)
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			pl_compare_cell cell;
			pl_compare_cell_of(cmp, k, i, &cell);
			for (size_t e = 0; e < sp->n_engines; e++) {
				const pl_result *r = pl_compare_result(cmp, k, e, NULL);
				for (size_t q = 0; r && q < pl_result_n_outcomes(r); q++)
					if (pl_result_outcome(r, q)->issue == i)
						fprintf(f, "%s,%s,%s,%.10g,,,,\n",
							forum_id(c, sp->forums[k]),
							pl_case_issue(c, i)->id,
							pl_engine_name(sp->engines[e]),
							pl_result_outcome(r, q)->forecast);
			}
			fprintf(f, "%s,%s,mean,%.10g,%.10g,%.10g,%.10g,%d\n",
				forum_id(c, sp->forums[k]), pl_case_issue(c, i)->id, cell.forecast,
				cell.change, cell.engine_spread, cell.round_spread, cell.stable);
		}
	fprintf(f, "forum,actor,issue,utility,gain\n");
	for (size_t k = 0; k < sp->n_forums; k++)
		for (size_t a = 0; a < pl_case_n_actors(c); a++)
			for (size_t i = 0; i < pl_case_n_issues(c); i++) {
				double u = pl_compare_utility(cmp, k, a, i);
				if (isnan(u))
					continue;
				fprintf(f, "%s,%s,%s,%.10g,%.10g\n", forum_id(c, sp->forums[k]),
					pl_case_actor(c, a)->id, pl_case_issue(c, i)->id, u,
					pl_compare_gain(cmp, k, a, i));
			}
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
	pl_error err;
	pl_error_clear(&err);
	compare_spec sp;
	pl_compare *cmp = NULL;
	if (compare_spec_build(c, o.forums, o.engines, o.baseline, o.params, o.n_params, &sp,
			       &err) ||
	    compare_spec_run(c, &sp, o.rounds, o.seed, &cmp, &err)) {
		st = cli_report("compare", &err);
	} else {
		cli_out out;
		if (cli_out_open(&out)) {
			st = 1;
		} else {
			if (o.format[0] == 't')
				print_table(out.f, c, cmp, &sp);
			else if (o.format[0] == 'j') {
				json_t *j = compare_to_json(c, cmp, &sp);
				json_dumpf(j, out.f,
					   JSON_INDENT(2) | JSON_PRESERVE_ORDER |
						   JSON_REAL_PRECISION(10));
				fputc('\n', out.f);
				json_decref(j);
			} else
				print_csv(out.f, c, cmp, &sp);
			st = cli_out_close("compare", &out, o.output);
		}
	}
	pl_compare_free(cmp);
	compare_spec_free(&sp);
	pl_case_free(c);
	return st;
}
