/* cmd_forecast.c - `parley forecast`: runs one engine or all of them on a
 * case and prints the forecasts as a table, JSON or CSV. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parley forecast [CASE] [OPTIONS]\n"
	"\n"
	"Forecasts where each issue of CASE lands (default: the shipped Korean\n"
	"Peninsula case).\n"
	"\n"
	"  -e, --engine NAME|all   engine to run (default: all; see 'parley engines')\n"
	"  -i, --issue ID          only this issue\n"
	"      --forum ID          only this forum's members at the table (others weigh\n"
	"                          as the forum declares; 'everyone': no forum)\n"
	"  -r, --rounds N          maximum rounds for dynamic engines\n"
	"  -p, --param NAME=VALUE  engine parameter; ENGINE.NAME=VALUE scopes it to one\n"
	"                          engine (repeatable)\n"
	"  -s, --seed N            seed for stochastic engines (default 0)\n"
	"  -t, --trace             round-by-round positions of every actor\n"
	"  -f, --format FMT        table (default), json or csv\n"
	"  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
	"      --input-format FMT  json, csv, ktab or decide (default: guessed)\n"
	"      --trust LEDGER      scale capabilities by the ledger's trust scores\n"
	"                          (factor 1 + W (2 trust - 1); docs/ledger.md)\n"
	"      --trust-weight W    W in [0, 1] (default 0.5)\n"
	"      --trust-as-of T     trust as of time T (YYYY-MM-DDTHH:MM:SSZ)\n"
	"  -h, --help              this help\n";

typedef struct opts {
	const char *engine, *issue, *forum, *format, *output, *input_format;
	const char *trust, *trust_as_of;
	double trust_weight;
	cli_trust trust_info;
	char input_sha256[65]; /* of the case file's bytes */
	int rounds, trace, seed_given;
	uint64_t seed;
	const char **params;
	size_t n_params;
} opts;

typedef struct run {
	const pl_engine *engine;
	pl_result *result;
} run;

static const char *short_id(const char *hash)
{
	static _Thread_local char buf[13];
	snprintf(buf, sizeof buf, "%.12s", hash);
	return buf;
}

/* ---- table --------------------------------------------------------- */

static const char *nearest_anchor(const pl_issue *is, double x)
{
	const char *best = NULL;
	double d = INFINITY;
	for (size_t k = 0; k < is->n_anchors; k++)
		if (fabs(is->anchors[k].value - x) < d) {
			d = fabs(is->anchors[k].value - x);
			best = is->anchors[k].label;
		}
	return best;
}

static const pl_outcome *outcome_for(const pl_result *r, size_t issue)
{
	for (size_t k = 0; k < pl_result_n_outcomes(r); k++)
		if (pl_result_outcome(r, k)->issue == issue)
			return pl_result_outcome(r, k);
	return NULL;
}

/* Writes text starting at column `col`, wrapped at 80 columns with
 * continuation lines indented by `indent`. */
static void print_wrapped(FILE *f, const char *text, int col, int indent)
{
	int first = 1;
	while (*text) {
		size_t word = strcspn(text, " ");
		int cols = (int)cli_text_columns_n(text, word);
		if (!first && col + 1 + cols > 80) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		first = 0;
		fprintf(f, "%.*s", (int)word, text);
		col += cols;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

static void print_trace(FILE *f, const pl_case *c, const pl_engine *e, const pl_outcome *o)
{
	const size_t per_block = 7;
	fprintf(f, "\n  %s on %s: %zu round%s\n", pl_engine_name(e), pl_case_issue(c, o->issue)->id,
		o->n_rounds, o->n_rounds == 1 ? "" : "s");
	for (size_t b = 0; b < o->n_actors; b += per_block) {
		size_t end = b + per_block < o->n_actors ? b + per_block : o->n_actors;
		fprintf(f, "  %5s %8s", "round", "forecast");
		for (size_t a = b; a < end; a++)
			fprintf(f, " %8.8s", pl_case_actor(c, o->actor[a])->id);
		fprintf(f, "\n");
		for (size_t r = 0; r <= o->n_rounds; r++) {
			fprintf(f, "  %5zu ", r);
			cli_print_num(f, o->round_forecast[r], 8, 2);
			for (size_t a = b; a < end; a++) {
				fputc(' ', f);
				cli_print_num(f, o->positions[r * o->n_actors + a], 8, 2);
			}
			fprintf(f, "\n");
		}
	}
	if (o->note) {
		fprintf(f, "  note: ");
		print_wrapped(f, o->note, 8, 4);
	}
}

/* "engine: a=1,b=2,..." broken after a comma so no line passes 80 columns. */
static void print_params(FILE *f, const char *engine, const char *params)
{
	size_t col = (size_t)fprintf(f, "\n%s: ", engine);
	while (*params) {
		size_t len = strcspn(params, ",");
		int comma = params[len] == ',';
		if (col + len + (size_t)comma > 80 && col > strlen(engine) + 2) {
			fprintf(f, "\n  ");
			col = 2;
		}
		col += (size_t)fprintf(f, "%.*s%s", (int)len, params, comma ? "," : "");
		params += len + (size_t)comma;
	}
}
/* The engines' remarks on how a forecast came about (e.g. a status quo no
 * agreement can move), which the table's numbers alone do not show. */
static void print_notes(FILE *f, const pl_case *c, const run *runs, size_t n_runs)
{
	int header = 0;
	for (size_t k = 0; k < n_runs; k++)
		for (size_t q = 0; q < pl_result_n_outcomes(runs[k].result); q++) {
			const pl_outcome *out = pl_result_outcome(runs[k].result, q);
			if (!out->note)
				continue;
			if (!header)
				fprintf(f, "\nnotes:\n");
			header = 1;
			char label[128];
			snprintf(label, sizeof label, "  %s, %s:", pl_engine_name(runs[k].engine),
				 pl_case_issue(c, out->issue)->id);
			fprintf(f, "%s ", label);
			print_wrapped(f, out->note, (int)cli_text_columns(label) + 1, 4);
		}
}

static void print_table(FILE *f, const pl_case *c, const run *runs, size_t n_runs,
			const opts *o)
{
	const pl_case_info *info = pl_case_get_info(c);
	cli_print_text(f, info->title ? info->title : info->id, 80, 0);
	fputc('\n', f);
	if (info->period) {
		cli_print_text(f, info->period, 80, 0);
		fputc('\n', f);
	}
	fprintf(f, "case %s  sha256 %s  parley %s  forum: %s\n", info->id,
		short_id(pl_case_hash(c)), pl_version(), o->forum ? o->forum : "all actors");
	if (o->trust) {
		fprintf(f, "trust: ledger ");
		cli_print_text(f, o->trust_info.origin, 30, 0);
		fprintf(f, ", %llu entries, root %.12s, weight %g (%zu actors)\n",
			o->trust_info.size, o->trust_info.root, o->trust_info.weight,
			o->trust_info.matched);
		fprintf(f, "input file sha256 %.12s (the case before trust scaling)\n",
			o->input_sha256);
	}
	fprintf(f, "\n");
	/* the issue column takes what the engines leave of 80 columns */
	int label_w = 79 - 10 - 11 * (int)n_runs;
	if (label_w < 12)
		label_w = 12;
	fprintf(f, "%-*s %9s", label_w, "issue", "scale");
	for (size_t k = 0; k < n_runs; k++)
		fprintf(f, " %10.10s", pl_engine_name(runs[k].engine));
	fprintf(f, "\n");
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		const pl_issue *is = pl_case_issue(c, i);
		if (!outcome_for(runs[0].result, i))
			continue;
		char scale[24];
		snprintf(scale, sizeof scale, "%g-%g", is->min, is->max);
		/* the name when it fits, else the (short) id */
		const char *label =
			cli_text_columns(is->name) <= (size_t)label_w ? is->name : is->id;
		cli_print_text(f, label, (size_t)label_w, 1);
		fprintf(f, " %9s", scale);
		for (size_t k = 0; k < n_runs; k++) {
			const pl_outcome *out = outcome_for(runs[k].result, i);
			fputc(' ', f);
			cli_print_num(f, out ? out->forecast : NAN, 10, 1);
		}
		fprintf(f, "\n");
		if (n_runs == 1) {
			const char *anchor = nearest_anchor(is, outcome_for(runs[0].result, i)->forecast);
			if (anchor) {
				fprintf(f, "    nearest anchor: ");
				cli_print_text(f, anchor, 60, 0);
				fputc('\n', f);
			}
		}
	}
	for (size_t k = 0; k < n_runs; k++) {
		const char *p = pl_result_params(runs[k].result);
		if (p[0])
			print_params(f, pl_engine_name(runs[k].engine), p);
	}
	int any = 0;
	for (size_t k = 0; k < n_runs; k++)
		any |= pl_result_params(runs[k].result)[0] != '\0';
	fprintf(f, any ? "\n" : "");
	print_notes(f, c, runs, n_runs);
	if (o->trace)
		for (size_t k = 0; k < n_runs; k++)
			for (size_t q = 0; q < pl_result_n_outcomes(runs[k].result); q++) {
				const pl_outcome *out = pl_result_outcome(runs[k].result, q);
				if (pl_engine_is_dynamic(runs[k].engine) || out->n_rounds > 0)
					print_trace(f, c, runs[k].engine, out);
			}
}

/* ---- JSON ---------------------------------------------------------- */

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *outcome_json(const pl_case *c, const pl_outcome *o, int trace)
{
	json_t *j = json_object();
	json_object_set_new(j, "issue", json_string(pl_case_issue(c, o->issue)->id));
	json_object_set_new(j, "forecast", jnum(o->forecast));
	json_object_set_new(j, "rounds", json_integer((json_int_t)o->n_rounds));
	json_t *stats = json_object();
	for (size_t k = 0; k < o->n_stats; k++)
		json_object_set_new(stats, o->stats[k].name, jnum(o->stats[k].value));
	json_object_set_new(j, "stats", stats);
	json_object_set_new(j, "note", o->note ? json_string(o->note) : json_null());
	json_t *actors = json_array();
	for (size_t a = 0; a < o->n_actors; a++)
		json_array_append_new(actors, json_string(pl_case_actor(c, o->actor[a])->id));
	json_object_set_new(j, "actors", actors);
	if (trace) {
		json_t *rows = json_array();
		for (size_t r = 0; r <= o->n_rounds; r++) {
			json_t *row = json_object();
			json_object_set_new(row, "round", json_integer((json_int_t)r));
			json_object_set_new(row, "forecast", jnum(o->round_forecast[r]));
			json_t *pos = json_array();
			for (size_t a = 0; a < o->n_actors; a++)
				json_array_append_new(pos, jnum(o->positions[r * o->n_actors + a]));
			json_object_set_new(row, "positions", pos);
			json_array_append_new(rows, row);
		}
		json_object_set_new(j, "trajectory", rows);
	}
	return j;
}

static int print_json(FILE *f, const pl_case *c, const run *runs, size_t n_runs, const opts *o)
{
	json_t *root = json_object();
	json_object_set_new(root, "parley", json_string(pl_version()));
	json_t *cj = json_object();
	json_object_set_new(cj, "id", json_string(pl_case_get_info(c)->id));
	json_object_set_new(cj, "sha256", json_string(pl_case_hash(c)));
	json_object_set_new(cj, "input_sha256", json_string(o->input_sha256));
	json_object_set_new(root, "case", cj);
	json_object_set_new(root, "forum", o->forum ? json_string(o->forum) : json_null());
	if (o->trust) {
		json_t *tj = json_object();
		json_object_set_new(tj, "origin", json_string(o->trust_info.origin));
		json_object_set_new(tj, "size", json_integer((json_int_t)o->trust_info.size));
		json_object_set_new(tj, "root", json_string(o->trust_info.root));
		json_object_set_new(tj, "weight", json_real(o->trust_info.weight));
		json_object_set_new(tj, "as_of", o->trust_as_of ? json_string(o->trust_as_of)
							       : json_null());
		json_object_set_new(root, "trust", tj);
	}
	json_t *results = json_array();
	for (size_t k = 0; k < n_runs; k++) {
		const pl_result *r = runs[k].result;
		json_t *rj = json_object();
		json_object_set_new(rj, "engine", json_string(pl_result_engine(r)));
		json_object_set_new(rj, "params", json_string(pl_result_params(r)));
		json_object_set_new(rj, "seed", json_integer((json_int_t)pl_result_seed(r)));
		json_t *outs = json_array();
		for (size_t q = 0; q < pl_result_n_outcomes(r); q++)
			json_array_append_new(outs, outcome_json(c, pl_result_outcome(r, q), o->trace));
		json_object_set_new(rj, "outcomes", outs);
		json_array_append_new(results, rj);
	}
	json_object_set_new(root, "results", results);
	int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	fputc('\n', f);
	json_decref(root);
	return rc;
}

/* ---- CSV ----------------------------------------------------------- */

static void print_csv(FILE *f, const pl_case *c, const run *runs, size_t n_runs, const opts *o)
{
	fprintf(f, "# parley %s; case %s sha256 %s; forum %s\n", pl_version(),
		pl_case_get_info(c)->id, pl_case_hash(c), o->forum ? o->forum : "all");
	if (o->trust)
		fprintf(f, "# trust: ledger %s, %llu entries, root %s, weight %g; input sha256 %s\n",
			o->trust_info.origin, o->trust_info.size, o->trust_info.root,
			o->trust_info.weight, o->input_sha256);
	for (size_t k = 0; k < n_runs; k++)
		fprintf(f, "# engine %s; params %s; seed %llu\n", pl_engine_name(runs[k].engine),
			pl_result_params(runs[k].result),
			(unsigned long long)pl_result_seed(runs[k].result));
	fprintf(f, o->trace ? "engine,issue,round,forecast,actor,position\n"
			    : "engine,issue,forecast,rounds\n");
	for (size_t k = 0; k < n_runs; k++)
		for (size_t q = 0; q < pl_result_n_outcomes(runs[k].result); q++) {
			const pl_outcome *out = pl_result_outcome(runs[k].result, q);
			const char *en = pl_engine_name(runs[k].engine);
			const char *is = pl_case_issue(c, out->issue)->id;
			if (!o->trace) {
				fprintf(f, "%s,%s,%.10g,%zu\n", en, is, out->forecast,
					out->n_rounds);
				continue;
			}
			for (size_t r = 0; r <= out->n_rounds; r++)
				for (size_t a = 0; a < out->n_actors; a++)
					fprintf(f, "%s,%s,%zu,%.10g,%s,%.10g\n", en, is, r,
						out->round_forecast[r],
						pl_case_actor(c, out->actor[a])->id,
						out->positions[r * out->n_actors + a]);
		}
}

/* ---- running ------------------------------------------------------- */

static int parse(int argc, char **argv, opts *o, const char **case_path)
{
	static const struct option longopts[] = {
		{"engine", required_argument, NULL, 'e'}, {"issue", required_argument, NULL, 'i'},
		{"forum", required_argument, NULL, 'F'},  {"rounds", required_argument, NULL, 'r'},
		{"param", required_argument, NULL, 'p'},  {"seed", required_argument, NULL, 's'},
		{"trace", no_argument, NULL, 't'},        {"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'}, {"input-format", required_argument, NULL, 'I'},
		{"trust", required_argument, NULL, 'T'},
		{"trust-weight", required_argument, NULL, 'W'},
		{"trust-as-of", required_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":e:i:r:p:s:tf:o:h", longopts, NULL)) != -1) {
		char *end;
		switch (ch) {
		case 'e': o->engine = optarg; break;
		case 'i': o->issue = optarg; break;
		case 'F': o->forum = optarg; break;
		case 'r':
			o->rounds = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || o->rounds < 1 || o->rounds > 100000)
				return cli_usage_error("forecast",
						       "--rounds '%s' must be a whole number "
						       "from 1 to 100000",
						       optarg);
			break;
		case 'p': o->params[o->n_params++] = optarg; break;
		case 's':
			if (cli_parse_seed("forecast", optarg, &o->seed))
				return 2;
			o->seed_given = 1;
			break;
		case 't': o->trace = 1; break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'I': o->input_format = optarg; break;
		case 'T': o->trust = optarg; break;
		case 'A': o->trust_as_of = optarg; break;
		case 'W':
			o->trust_weight = strtod(optarg, &end);
			if (*end || end == optarg || !(o->trust_weight >= 0 && o->trust_weight <= 1))
				return cli_usage_error("forecast",
						       "--trust-weight '%s' must be a number in [0, 1]",
						       optarg);
			break;
		case 'h': fputs(usage_text, stdout); return -1;
		default: return cli_bad_option("forecast", ch, argv);
		}
	}
	int st = cli_case_operand("forecast", argc, argv, case_path, o->format, o->input_format);
	if (st)
		return st;
	return 0;
}

int cmd_forecast(int argc, char **argv)
{
	const char *params[256];
	opts o = {.engine = "all", .format = "table", .params = params, .trust_weight = 0.5};
	const char *case_path = NULL;
	if (argc > 256)
		return cli_usage_error("forecast", "too many arguments");
	int st = parse(argc, argv, &o, &case_path);
	if (st)
		return st < 0 ? 0 : st;
	if ((st = cli_check_output("forecast", "case", case_path, o.output)) ||
	    (o.trust && (st = cli_check_output("forecast", "ledger", o.trust, o.output))))
		return st;
	pl_case *c;
	pl_params *xml_params; /* a KTAB XML scenario's smp parameters */
	uint64_t xml_seed = 0;
	st = cli_load_scenario("forecast", case_path,
			       o.input_format ? pl_format_from_name(o.input_format) : PL_FORMAT_AUTO,
			       &c, &xml_params, &xml_seed);
	if (st)
		return st;
	if (xml_params && !o.seed_given)
		o.seed = xml_seed;
	if ((st = cli_file_sha256("forecast", case_path, o.input_sha256)) ||
	    (o.trust && (st = cli_apply_trust("forecast", &c, o.trust, o.trust_weight, o.trust_as_of,
					      &o.trust_info)))) {
		pl_params_free(xml_params);
		pl_case_free(c);
		return st;
	}
	pl_error err;
	pl_error_clear(&err);
	pl_run_options ro;
	pl_run_options_init(&ro);
	ro.rounds = o.rounds;
	ro.seed = o.seed;
	if ((o.issue && pl_case_find_issue(c, o.issue, &ro.issue, &err)) ||
	    (o.forum && cli_find_forum(c, o.forum, &ro.forum, &err))) {
		pl_params_free(xml_params);
		pl_case_free(c);
		return cli_report("forecast", &err);
	}
	if (ro.forum == PL_NO_FORUM)
		o.forum = NULL; /* --forum everyone: the same output as no --forum */
	int all = strcmp(o.engine, "all") == 0;
	size_t n_runs = all ? pl_engine_count() : 1;
	run *runs = calloc(n_runs, sizeof *runs);
	const pl_engine **engines = calloc(n_runs, sizeof *engines);
	pl_params **eparams = calloc(n_runs, sizeof *eparams);
	st = runs && engines && eparams ? 0 : 1;
	for (size_t k = 0; k < n_runs && !st; k++) {
		engines[k] = all ? pl_engine_at(k) : pl_engine_find(o.engine, &err);
		if (!engines[k])
			st = cli_report("forecast", &err);
		/* the scenario's parameters are smp's; the user's -p go on top */
		else if (xml_params && strcmp(pl_engine_name(engines[k]), "smp") == 0) {
			eparams[k] = xml_params;
			xml_params = NULL;
		}
	}
	if (!st && cli_engine_params(o.params, o.n_params, engines, n_runs, eparams, &err))
		st = cli_report("forecast", &err);
	size_t done = 0; /* runs that produced a result */
	pl_error skipped; /* the last engine skipped, when none runs */
	pl_error_clear(&skipped);
	for (size_t k = 0; k < n_runs && !st; k++) {
		pl_error_clear(&err);
		pl_run_options rk = ro;
		rk.params = eparams[k];
		runs[done].engine = engines[k];
		int rc = pl_forecast(c, engines[k], &rk, &runs[done].result, &err);
		if (!rc) {
			done++;
		} else if (all && pl_forecast_cannot_run(engines[k], &rk, rc)) {
			/* with every engine, one that cannot take this case (smp
			 * needs every actor on every issue) is skipped and said so */
			char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
			fprintf(stderr, "parley forecast: note: %s skipped: %s\n",
				pl_engine_name(engines[k]), pl_error_format(&err, buf, sizeof buf));
			skipped = err;
		} else {
			st = cli_report("forecast", &err);
		}
	}
	for (size_t k = 0; eparams && k < n_runs; k++)
		pl_params_free(eparams[k]);
	free(eparams);
	free(engines);
	if (!st && done == 0 && skipped.code) {
		fprintf(stderr, "parley forecast: no engine can run this case\n");
		st = pl_error_exit_status(&skipped);
	}
	n_runs = done;
	if (!st && n_runs == 0)
		st = 1;
	if (!st) {
		cli_out out;
		if (cli_out_open(&out)) {
			st = 1;
		} else {
			if (o.format[0] == 't')
				print_table(out.f, c, runs, n_runs, &o);
			else if (o.format[0] == 'j')
				print_json(out.f, c, runs, n_runs, &o);
			else
				print_csv(out.f, c, runs, n_runs, &o);
			st = cli_out_close("forecast", &out, o.output);
		}
	}
	for (size_t k = 0; runs && k < n_runs; k++)
		pl_result_free(runs[k].result);
	free(runs);
	pl_params_free(xml_params);
	pl_case_free(c);
	return st;
}
