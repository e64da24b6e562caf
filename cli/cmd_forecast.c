/* cmd_forecast.c - `parley forecast`: runs one engine or all of them on a
 * case and prints the forecasts as a table, JSON or CSV. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	"  -r, --rounds N          maximum rounds for dynamic engines (default: each\n"
	"                          engine's own: %s)\n"
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
	"      --no-progress       no progress bar (it shows only on a terminal, and\n"
	"                          only once a forecast has taken a second)\n"
	"  -h, --help              this help\n";

/* The usage, with each dynamic engine's default rounds from the registry. */
static void print_usage(FILE *f)
{
	char rounds[256];
	size_t n = 0;
	rounds[0] = '\0';
	for (size_t k = 0; k < pl_engine_count() && n < sizeof rounds; k++)
		if (pl_engine_default_rounds(pl_engine_at(k)))
			n += (size_t)snprintf(rounds + n, sizeof rounds - n, "%s%s %d", n ? ", " : "",
					      pl_engine_name(pl_engine_at(k)),
					      pl_engine_default_rounds(pl_engine_at(k)));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(f, usage_text, rounds);
#pragma GCC diagnostic pop
}

typedef struct opts {
	const char *engine, *issue, *forum, *format, *output, *input_format;
	const char *trust, *trust_as_of;
	double trust_weight;
	cli_trust trust_info;
	char input_sha256[65]; /* of the case file's bytes */
	int rounds, trace, seed_given, no_progress;
	uint64_t seed;
	const char **params;
	size_t n_params;
} opts;

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
		cli_print_wrapped(f, o->note, 8, 4);
	}
}

/* The exchange engine's exchanges, round by round, in the order they were
 * carried out: who gave on which issue, from where to where, and the gain
 * (the first actor's when p > 0 makes them differ; the JSON has both). */
static void print_exchanges(FILE *f, const pl_case *c, const pl_result *r)
{
	int round = 0, differ = 0;
	for (size_t k = 0; k < pl_result_n_exchanges(r); k++) {
		const pl_exchange *e = pl_result_exchange(r, k);
		differ |= e->gain[0] != e->gain[1];
	}
	for (size_t k = 0; k < pl_result_n_exchanges(r); k++) {
		const pl_exchange *e = pl_result_exchange(r, k);
		if (e->round != round) {
			round = e->round;
			fprintf(f, "\n  %s, round %d: exchanges, in the order carried out%s\n",
				pl_result_engine(r), round, differ ? " (gain: the first's)" : "");
			/* (the arrow is one column: the headers are padded by hand) */
			fprintf(f, "  %7s %-10s %-11s %s  %-10s %-11s %s\n", "gain", "actor",
				"gives on", " from \u2192 to ", "actor", "gives on",
				" from \u2192 to");
		}
		fprintf(f, "  ");
		cli_print_num(f, e->gain[0], 7, 3);
		for (int s = 0; s < 2; s++) {
			fprintf(f, "%s%-10.10s %-11.11s ", s ? "  " : " ",
				pl_case_actor(c, e->actor[s])->id, pl_case_issue(c, e->issue[s])->id);
			/* (no padding at the end of the line) */
			fprintf(f, s ? "%5.1f\u2192%.1f" : "%5.1f\u2192%-5.1f", e->from[s], e->to[s]);
		}
		fprintf(f, "\n");
	}
}

/* The width of an engine's column in the forecast table. */
static int engine_width(const pl_engine *e)
{
	int n = (int)strlen(pl_engine_name(e));
	return n < 6 ? 6 : n > 10 ? 10 : n;
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
/* A forecast outside the red lines' zone of agreement (unanimity of the
 * forum's members, docs/analysis/feasible.md) gets a note. */
static int print_zone_notes(FILE *f, const pl_case *c, const pl_forecast_set *set, int header)
{
	pl_feasible_options fo = {.forum = PL_NO_FORUM};
	pl_feasible *fe = NULL;
	const char *forum = pl_forecast_set_forum(set);
	if ((forum && pl_case_find_forum(c, forum, &fo.forum, NULL)) ||
	    pl_feasible_analyse(c, &fo, &fe, NULL))
		return header;
	for (size_t k = 0; k < pl_forecast_set_n_results(set); k++)
		for (size_t q = 0; q < pl_result_n_outcomes(pl_forecast_set_result(set, k)); q++) {
			const pl_outcome *out =
				pl_result_outcome(pl_forecast_set_result(set, k), q);
			char label[128], why[300];
			if (!pl_feasible_outside(c, fe, out->issue, out->forecast, why, sizeof why))
				continue;
			if (!header)
				fprintf(f, "\nnotes:\n");
			header = 1;
			snprintf(label, sizeof label,
				 "  %s, %s:", pl_engine_name(pl_forecast_set_engine(set, k)),
				 pl_case_issue(c, out->issue)->id);
			fprintf(f, "%s ", label);
			cli_print_wrapped(f, why, (int)cli_text_columns(label) + 1, 4);
		}
	pl_feasible_free(fe);
	return header;
}

/* The engines' remarks on how a forecast came about (e.g. a status quo no
 * agreement can move), which the table's numbers alone do not show. */
static void print_notes(FILE *f, const pl_case *c, const pl_forecast_set *set)
{
	int header = 0;
	for (size_t k = 0; k < pl_forecast_set_n_results(set); k++)
		for (size_t q = 0; q < pl_result_n_outcomes(pl_forecast_set_result(set, k)); q++) {
			const pl_outcome *out =
				pl_result_outcome(pl_forecast_set_result(set, k), q);
			if (!out->note)
				continue;
			if (!header)
				fprintf(f, "\nnotes:\n");
			header = 1;
			char label[128];
			snprintf(label, sizeof label,
				 "  %s, %s:", pl_engine_name(pl_forecast_set_engine(set, k)),
				 pl_case_issue(c, out->issue)->id);
			fprintf(f, "%s ", label);
			cli_print_wrapped(f, out->note, (int)cli_text_columns(label) + 1, 4);
		}
	print_zone_notes(f, c, set, header);
}

/* Who sits at the table: every actor, or the forum's members (and what the
 * others weigh). */
static void print_table_seats(FILE *f, const pl_case *c, const char *forum)
{
	char line[2048];
	size_t n = 0, fi = PL_NO_FORUM;
	if (forum && cli_find_forum(c, forum, &fi, NULL))
		fi = PL_NO_FORUM;
	if (fi == PL_NO_FORUM) {
		n = (size_t)snprintf(line, sizeof line, "at the table: all %zu actors (",
				     pl_case_n_actors(c));
		for (size_t a = 0; a < pl_case_n_actors(c) && n < sizeof line; a++)
			n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", a ? ", " : "",
					      pl_case_actor(c, a)->id);
	} else {
		const pl_forum *fo = pl_case_forum(c, fi);
		n = (size_t)snprintf(line, sizeof line, "forum %s, %s: at the table ", fo->id,
				     fo->name);
		for (size_t m = 0; m < fo->n_members && n < sizeof line; m++)
			n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", m ? ", " : "",
					      pl_case_actor(c, fo->members[m])->id);
		if (n < sizeof line && fo->n_members < pl_case_n_actors(c)) {
			if (fo->outsider_weight > 0)
				n += (size_t)snprintf(line + n, sizeof line - n,
						      " (the others weigh %g of their "
						      "capability",
						      fo->outsider_weight);
			else
				n += (size_t)snprintf(line + n, sizeof line - n,
						      " (the others are absent");
		} else if (n < sizeof line) {
			n += (size_t)snprintf(line + n, sizeof line - n, " (every actor");
		}
	}
	if (n < sizeof line)
		snprintf(line + n, sizeof line - n, ")");
	cli_print_wrapped(f, line, 0, 2);
}

/* The anchor nearest x, as "VALUE: LABEL", cut to the line. */
static void print_anchor_line(FILE *f, const pl_issue *is, double x, int indent)
{
	const pl_anchor *best = NULL;
	for (size_t k = 0; k < is->n_anchors; k++)
		if (!best || fabs(is->anchors[k].value - x) < fabs(best->value - x))
			best = &is->anchors[k];
	if (!best)
		return;
	char head[64];
	int n = snprintf(head, sizeof head, "%*s%6g = ", indent, "", best->value);
	fputs(head, f);
	cli_print_text(f, best->label, (size_t)(80 - n), 0);
	fputc('\n', f);
}

/* What the rows' numbers mean: each issue's name and what the ends of its
 * scale stand for (the case's anchors nearest them); with one engine the
 * table already shows the anchor nearest each forecast. */
static void print_issue_legend(FILE *f, const pl_case *c, const pl_forecast_set *set, int one)
{
	fprintf(f, "\nnumbers: where the issue lands on its scale%s\n",
		one ? "" : "; the scale's ends:");
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		const pl_issue *is = pl_case_issue(c, i);
		if (!outcome_for(pl_forecast_set_result(set, 0), i))
			continue;
		char head[128];
		snprintf(head, sizeof head, "  %s: ", is->id);
		fputs(head, f);
		cli_print_text(f, is->name, 80 - cli_text_columns(head), 0);
		fputc('\n', f);
		if (one || !is->n_anchors)
			continue;
		print_anchor_line(f, is, is->min, 2);
		print_anchor_line(f, is, is->max, 2);
	}
}

/* A short name per engine: its summary up to the first ':', ',' or '('. */
static void print_engine_legend(FILE *f, const pl_forecast_set *set)
{
	char line[2048];
	fputc('\n', f);
	size_t n = (size_t)snprintf(line, sizeof line, "engines:");
	for (size_t k = 0; k < pl_forecast_set_n_results(set) && n < sizeof line; k++) {
		const pl_engine *e = pl_forecast_set_engine(set, k);
		const char *sum = pl_engine_summary(e);
		int len = (int)strcspn(sum, ":,(");
		while (len > 0 && sum[len - 1] == ' ')
			len--;
		n += (size_t)snprintf(line + n, sizeof line - n, "%s %s = %.*s%s", k ? ";" : "",
				      pl_engine_name(e), len, sum,
				      pl_engine_is_dynamic(e) ? " (rounds)" : "");
	}
	if (n < sizeof line)
		snprintf(line + n, sizeof line - n, " ('parley engines -v' for more)");
	cli_print_wrapped(f, line, 0, 2);
}

static void print_trust_warning(FILE *f, const cli_trust *t, const char *prefix);

/* What the ledger changed: the actors scaled and by how much, the case as
 * a plain run names it, and a warning when the ledger's events are later
 * than the period the case describes. */
static void print_trust(FILE *f, const cli_trust *t)
{
	char line[2048];
	snprintf(line, sizeof line,
		 "trust: ledger %.60s, %llu entries, root %.12s, weight %g: capabilities "
		 "scaled %s%s (the case's sha256 above is after scaling; before: %.12s, as "
		 "'parley forecast' without --trust shows it)",
		 t->origin, t->size, t->root, t->weight, t->matched ? "" : "for no actor",
		 t->factors, t->case_sha256);
	cli_print_wrapped(f, line, 0, 2);
	print_trust_warning(f, t, "");
}

/* The warning when the ledger's events are later than the case's period
 * (prefix: "" in the table, "parley forecast: " on stderr). */
static void print_trust_warning(FILE *f, const cli_trust *t, const char *prefix)
{
	char line[2048];
	int year = t->latest_event[0] ? atoi(t->latest_event) : 0;
	if (t->period_end_year && year > t->period_end_year) {
		snprintf(line, sizeof line,
			 "%swarning: the trust counts events up to %s, after the case's period "
			 "(which ends in %d): a forecast of that period learns from its future; "
			 "--trust-as-of %d-12-31T23:59:59Z takes the ledger as it stood then",
			 prefix, t->latest_event, t->period_end_year, t->period_end_year);
		cli_print_wrapped(f, line, 0, 2);
	}
}

static void print_table(FILE *f, const pl_case *c, const pl_forecast_set *set, const opts *o)
{
	size_t n_runs = pl_forecast_set_n_results(set);
	const char *forum = pl_forecast_set_forum(set);
	const pl_case_info *info = pl_case_get_info(c);
	cli_print_text(f, info->title ? info->title : info->id, 80, 0);
	fputc('\n', f);
	if (info->period) {
		cli_print_text(f, info->period, 80, 0);
		fputc('\n', f);
	}
	fprintf(f, "case %s  sha256 %s  parley %s\n", info->id, short_id(pl_case_hash(c)),
		pl_version());
	print_table_seats(f, c, forum);
	if (o->trust)
		print_trust(f, &o->trust_info);
	fprintf(f, "\n");
	/* each engine's column is as wide as its name (at least 6); the issue
	 * column takes what the engines leave of 80 columns */
	int label_w = 79 - 10;
	for (size_t k = 0; k < n_runs; k++)
		label_w -= 1 + engine_width(pl_forecast_set_engine(set, k));
	if (label_w < 12)
		label_w = 12;
	/* issue ids are short: the column is as wide as the longest */
	int ids_w = 5;
	for (size_t i = 0; i < pl_case_n_issues(c); i++)
		if ((int)cli_text_columns(pl_case_issue(c, i)->id) > ids_w)
			ids_w = (int)cli_text_columns(pl_case_issue(c, i)->id);
	if (ids_w + 2 < label_w)
		label_w = ids_w + 2;
	fprintf(f, "%-*s %9s", label_w, "issue", "scale");
	for (size_t k = 0; k < n_runs; k++) {
		int w = engine_width(pl_forecast_set_engine(set, k));
		fprintf(f, " %*.*s", w, w, pl_engine_name(pl_forecast_set_engine(set, k)));
	}
	fprintf(f, "\n");
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		const pl_issue *is = pl_case_issue(c, i);
		if (!outcome_for(pl_forecast_set_result(set, 0), i))
			continue;
		char scale[24];
		snprintf(scale, sizeof scale, "%g-%g", is->min, is->max);
		/* the id, as every command names issues; the legend gives the name */
		cli_print_text(f, is->id, (size_t)label_w, 1);
		fprintf(f, " %9s", scale);
		for (size_t k = 0; k < n_runs; k++) {
			const pl_outcome *out = outcome_for(pl_forecast_set_result(set, k), i);
			fputc(' ', f);
			cli_print_num(f, out ? out->forecast : NAN,
				      engine_width(pl_forecast_set_engine(set, k)), 1);
		}
		fprintf(f, "\n");
		if (n_runs == 1) {
			const char *anchor = nearest_anchor(
				is, outcome_for(pl_forecast_set_result(set, 0), i)->forecast);
			if (anchor) {
				fprintf(f, "    nearest anchor: ");
				cli_print_text(f, anchor, 80 - 20, 0);
				fputc('\n', f);
			}
		}
	}
	print_issue_legend(f, c, set, n_runs == 1);
	print_engine_legend(f, set);
	for (size_t k = 0; k < n_runs; k++) {
		const char *p = pl_result_params(pl_forecast_set_result(set, k));
		if (p[0])
			print_params(f, pl_engine_name(pl_forecast_set_engine(set, k)), p);
	}
	int any = 0;
	for (size_t k = 0; k < n_runs; k++)
		any |= pl_result_params(pl_forecast_set_result(set, k))[0] != '\0';
	fprintf(f, any ? "\n" : "");
	print_notes(f, c, set);
	if (o->trace)
		for (size_t k = 0; k < n_runs; k++)
			for (size_t q = 0; q < pl_result_n_outcomes(pl_forecast_set_result(set, k));
			     q++) {
				const pl_outcome *out =
					pl_result_outcome(pl_forecast_set_result(set, k), q);
				if (pl_engine_is_dynamic(pl_forecast_set_engine(set, k)) ||
				    out->n_rounds > 0)
					print_trace(f, c, pl_forecast_set_engine(set, k), out);
			}
	if (o->trace)
		for (size_t k = 0; k < n_runs; k++)
			print_exchanges(f, c, pl_forecast_set_result(set, k));
}

/* ---- running ------------------------------------------------------- */

static int parse(int argc, char **argv, opts *o, const char **case_path)
{
	static const struct option longopts[] = {{"engine", required_argument, NULL, 'e'},
						 {"issue", required_argument, NULL, 'i'},
						 {"forum", required_argument, NULL, 'F'},
						 {"rounds", required_argument, NULL, 'r'},
						 {"param", required_argument, NULL, 'p'},
						 {"seed", required_argument, NULL, 's'},
						 {"trace", no_argument, NULL, 't'},
						 {"format", required_argument, NULL, 'f'},
						 {"output", required_argument, NULL, 'o'},
						 {"input-format", required_argument, NULL, 'I'},
						 {"trust", required_argument, NULL, 'T'},
						 {"trust-weight", required_argument, NULL, 'W'},
						 {"trust-as-of", required_argument, NULL, 'A'},
						 {"no-progress", no_argument, NULL, 'P'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
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
			if (cli_parse_rounds("forecast", optarg, &o->rounds))
				return 2;
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
		case 'P': o->no_progress = 1; break;
		case 'W':
			o->trust_weight = strtod(optarg, &end);
			if (*end || end == optarg ||
			    !(o->trust_weight >= 0 && o->trust_weight <= 1))
				return cli_usage_error(
					"forecast",
					"--trust-weight '%s' must be a number in [0, 1]", optarg);
			break;
		case 'h': print_usage(stdout); return -1;
		default: return cli_bad_option("forecast", ch, argv);
		}
	}
	int st = cli_case_operand("forecast", argc, argv, case_path, o->format, o->input_format);
	if (st)
		return st;
	return 0;
}

static void note_skip(void *ctx, const char *engine, const pl_error *why)
{
	char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8], line[sizeof buf + 128];
	snprintf(line, sizeof line, "parley forecast: note: %s skipped: %s", engine,
		 pl_error_format(why, buf, sizeof buf));
	cli_print_wrapped(stderr, line, 0, 2);
}

/* The document in the format asked for, or the table, to out. */
static int print_forecast(FILE *out, const pl_case *c, const pl_forecast_set *set, const opts *o)
{
	if (o->format[0] == 't') {
		print_table(out, c, set, o);
		return 0;
	}
	pl_error err;
	pl_error_clear(&err);
	char *doc;
	if ((o->format[0] == 'j' ? pl_forecast_json : pl_forecast_csv)(&doc, set, &err))
		return cli_report("forecast", &err);
	fputs(doc, out);
	pl_free(doc);
	return 0;
}

/* Runs the forecast on the loaded case c and prints it. */
static int run_and_print(const pl_case *c, const opts *o, const pl_params *xml_params)
{
	pl_error err;
	pl_error_clear(&err);
	pl_trust_source trust = {o->trust_info.origin, o->trust_info.root, o->trust_info.size,
				 o->trust_info.weight, o->trust_as_of};
	pl_forecast_request req = PL_FORECAST_REQUEST_INIT;
	req.engine = o->engine;
	req.issue = o->issue;
	req.forum = o->forum;
	req.rounds = o->rounds;
	req.seed = o->seed;
	req.trace = o->trace;
	req.n_params = o->n_params;
	req.params = (const char *const *)o->params;
	req.scenario_params = xml_params;
	req.input_sha256 = o->input_sha256;
	req.trust = o->trust ? &trust : NULL;
	req.on_skip = note_skip;
	/* most forecasts take milliseconds: a bar only after a second */
	cli_progress pr;
	cli_progress_start(&pr, NULL, 1.0);
	if (!o->no_progress && isatty(STDERR_FILENO)) {
		req.progress = cli_progress_show;
		req.progress_ctx = &pr;
	}
	pl_forecast_set *set;
	int rc = pl_forecast_set_run(&set, c, &req, &err);
	cli_progress_end(&pr);
	if (rc)
		return cli_report("forecast", &err);
	cli_out out;
	int st = 1;
	if (!cli_out_open(&out)) {
		st = print_forecast(out.f, c, set, o);
		if (st)
			cli_out_discard(&out);
		else
			st = cli_out_close("forecast", &out, o->output);
	}
	pl_forecast_set_free(set);
	return st;
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
			       o.input_format ? pl_format_from_name(o.input_format)
					      : PL_FORMAT_AUTO,
			       &c, &xml_params, &xml_seed);
	if (st)
		return st;
	if (xml_params && !o.seed_given)
		o.seed = xml_seed;
	char path[4096];
	pl_error err;
	pl_error_clear(&err);
	if (pl_sha256_file_hex(o.input_sha256,
			       case_path ? cli_data_file(case_path, path, sizeof path)
					 : cli_default_case(path, sizeof path),
			       &err))
		st = cli_report("forecast", &err);
	else if (o.trust)
		st = cli_apply_trust("forecast", &c, o.trust, o.trust_weight, o.trust_as_of,
				     &o.trust_info);
	if (!st && o.trust && o.format[0] != 't') /* the table says it itself */
		print_trust_warning(stderr, &o.trust_info, "parley forecast: ");
	if (!st)
		st = run_and_print(c, &o, xml_params);
	pl_params_free(xml_params);
	pl_case_free(c);
	return st;
}
