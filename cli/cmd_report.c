/* cmd_report.c - `parley report`: one self-contained HTML file with the
 * forecasts per engine, round-by-round trajectories, the forum comparison,
 * the sweep's distributions and a tornado chart of its sensitivity indices.
 * The data goes into the page as JSON; Chart.js (inlined at build time from
 * node_modules) and cli/report/report.js draw it, so the file opens offline.
 * --svg/--png write a single chart with PLplot (report_plot.c). */
#include "cli.h"
#include "compare_out.h"
#include "report_colours.h"
#include "report_plot.h"
#include "sweep_out.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef PARLEY_REPORT
extern const unsigned char report_chartjs[], report_js[], report_css[];
extern const size_t report_chartjs_len, report_js_len, report_css_len;
#endif

static const char usage_text[] =
	"usage: parley report [CASE] [-o FILE] [OPTIONS]\n"
	"\n"
	"Writes one HTML file (no network needed to open it) with: the forecast of\n"
	"every engine, round-by-round trajectories of each actor per issue, the\n"
	"forum comparison, the Monte Carlo distributions and a tornado chart of the\n"
	"sensitivity indices.\n"
	"\n"
	"  -o, --output FILE       the HTML file (default: standard output)\n"
	"  -e, --engine all|NAME,...  engines to forecast and compare (default all)\n"
	"      --trajectory-engine NAME  engine whose rounds are drawn (default: the\n"
	"                          first dynamic engine, else the first engine)\n"
	"      --sweep-engine NAME engine of the sweep (default compromise)\n"
	"  -n, --samples N         sweep samples (default 2000)\n"
	"  -s, --seed S            sweep seed (default 1)\n"
	"  -t, --threads T         sweep threads (default: one per core)\n"
	"      --forums all|ID,... formats compared (default all)\n"
	"  -b, --baseline ID       baseline format (default: the largest forum)\n"
	"      --svg FILE          write one chart as SVG instead (needs --chart)\n"
	"      --png FILE          write one chart as PNG instead (needs --chart)\n"
	"      --chart WHICH       forecasts, compare, hist:ISSUE, tornado:ISSUE or\n"
	"                          trajectory:ISSUE\n"
	"      --input-format FMT  json, csv, ktab or decide (default: guessed)\n"
	"  -h, --help              this help\n";

typedef struct opts {
	const char *output, *engines, *traj_engine, *sweep_engine, *forums, *baseline;
	const char *svg, *png, *chart, *input_format;
	uint64_t n, seed;
	unsigned threads;
} opts;

static int parse(int argc, char **argv, opts *o, const char **case_path)
{
	enum { O_TRAJ = 256, O_SWEEP, O_FORUMS, O_SVG, O_PNG, O_CHART, O_INFMT };
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"engine", required_argument, NULL, 'e'},
		{"trajectory-engine", required_argument, NULL, O_TRAJ},
		{"sweep-engine", required_argument, NULL, O_SWEEP},
		{"samples", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"threads", required_argument, NULL, 't'},
		{"forums", required_argument, NULL, O_FORUMS},
		{"baseline", required_argument, NULL, 'b'},
		{"svg", required_argument, NULL, O_SVG},
		{"png", required_argument, NULL, O_PNG},
		{"chart", required_argument, NULL, O_CHART},
		{"input-format", required_argument, NULL, O_INFMT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:e:n:s:t:b:h", longopts, NULL)) != -1) {
		uint64_t v;
		switch (ch) {
		case 'o': o->output = optarg; break;
		case 'e': o->engines = optarg; break;
		case O_TRAJ: o->traj_engine = optarg; break;
		case O_SWEEP: o->sweep_engine = optarg; break;
		case 'n':
			if (cli_parse_u64(optarg, 1, 100000000ULL, &v))
				return cli_usage_error("report",
						       "--samples '%s' must be a whole "
						       "number from 1 to 10^8",
						       optarg);
			o->n = v;
			break;
		case 's':
			if (cli_parse_seed("report", optarg, &o->seed))
				return 2;
			break;
		case 't':
			if (cli_parse_u64(optarg, 1, 1024, &v))
				return cli_usage_error("report",
						       "--threads '%s' must be a whole "
						       "number from 1 to 1024",
						       optarg);
			o->threads = (unsigned)v;
			break;
		case O_FORUMS: o->forums = optarg; break;
		case 'b': o->baseline = optarg; break;
		case O_SVG: o->svg = optarg; break;
		case O_PNG: o->png = optarg; break;
		case O_CHART: o->chart = optarg; break;
		case O_INFMT: o->input_format = optarg; break;
		case 'h': fputs(usage_text, stdout); return -1;
		default: return cli_bad_option("report", ch, argv);
		}
	}
	int st = cli_case_operand("report", argc, argv, case_path, NULL, o->input_format);
	if (st)
		return st;
	if (o->svg && o->png)
		return cli_usage_error("report", "--svg and --png: one chart format at a time");
	if ((o->svg || o->png) && !o->chart)
		return cli_usage_error("report",
				       "--%s needs --chart (forecasts, compare, "
				       "hist:ISSUE, tornado:ISSUE or trajectory:ISSUE)",
				       o->svg ? "svg" : "png");
	if (o->chart && !o->svg && !o->png)
		return cli_usage_error("report", "--chart goes with --svg FILE or --png FILE");
	return 0;
}

/* ---- gathering the data ----------------------------------------------- */

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *case_json(const pl_case *c, json_t *data)
{
	json_t *issues = json_array(), *actors = json_array();
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		const pl_issue *is = pl_case_issue(c, i);
		json_array_append_new(issues, json_pack("{s:s,s:s,s:f,s:f}", "id", is->id, "name",
							is->name ? is->name : is->id, "min",
							is->min, "max", is->max));
	}
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		const pl_actor *ac = pl_case_actor(c, a);
		json_array_append_new(actors, json_pack("{s:s,s:s}", "id", ac->id, "name",
							ac->name ? ac->name : ac->id));
	}
	json_object_set_new(data, "issues", issues);
	json_object_set_new(data, "actors", actors);
	return data;
}

/* Which engine, parameters (canonical: sorted, defaults filled in), seed and
 * rounds made result r: shown next to its charts and kept in the data. */
static json_t *run_json(const pl_engine *e, const pl_result *r)
{
	json_t *rounds = json_array();
	for (size_t q = 0; q < pl_result_n_outcomes(r); q++)
		json_array_append_new(rounds,
				      json_integer((json_int_t)pl_result_outcome(r, q)->n_rounds));
	return json_pack("{s:s,s:b,s:s,s:I,s:o}", "engine", pl_engine_name(e), "dynamic",
			 pl_engine_is_dynamic(e), "params", pl_result_params(r), "seed",
			 (json_int_t)pl_result_seed(r), "rounds", rounds);
}

static json_t *dynamic_engines_json(void)
{
	json_t *names = json_array();
	for (size_t k = 0; k < pl_engine_count(); k++)
		if (pl_engine_is_dynamic(pl_engine_at(k)))
			json_array_append_new(names, json_string(pl_engine_name(pl_engine_at(k))));
	return names;
}

/* chosen: the engine came from --trajectory-engine (not the default). */
static json_t *trajectory_json(const pl_case *c, const pl_engine *e, const pl_result *r, int chosen)
{
	json_t *t = run_json(e, r), *issues = json_array();
	json_object_set_new(t, "chosen", json_boolean(chosen));
	json_object_set_new(t, "dynamic_engines", dynamic_engines_json());
	for (size_t q = 0; q < pl_result_n_outcomes(r); q++) {
		const pl_outcome *o = pl_result_outcome(r, q);
		json_t *actors = json_array(), *rows = json_array(), *fc = json_array();
		for (size_t a = 0; a < o->n_actors; a++)
			json_array_append_new(actors,
					      json_string(pl_case_actor(c, o->actor[a])->id));
		for (size_t k = 0; k <= o->n_rounds; k++) {
			json_t *row = json_array();
			for (size_t a = 0; a < o->n_actors; a++)
				json_array_append_new(row, jnum(o->positions[k * o->n_actors + a]));
			json_array_append_new(rows, row);
			json_array_append_new(fc, jnum(o->round_forecast[k]));
		}
		json_array_append_new(issues, json_pack("{s:s,s:I,s:o,s:o,s:o}", "issue",
							pl_case_issue(c, o->issue)->id, "rounds",
							(json_int_t)o->n_rounds, "actors", actors,
							"positions", rows, "forecast", fc));
	}
	json_object_set_new(t, "issues", issues);
	return t;
}

/* Forecasts of every engine of the comparison with everyone at the table;
 * an engine that cannot take the case (pl_forecast_cannot_run) is left out,
 * as the comparison's notes say. */
static int forecasts_json(const pl_case *c, const compare_spec *sp, const char *traj_name,
			  json_t *data, pl_error *err)
{
	const pl_engine *traj = NULL;
	if (traj_name && !(traj = pl_engine_find(traj_name, err)))
		return PL_ENOTFOUND;
	json_t *names = json_array(), *values = json_array(), *runs = json_array();
	pl_result **rs = calloc(sp->n_engines, sizeof *rs);
	int rc = rs ? PL_OK : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	for (size_t e = 0; e < sp->n_engines && !rc; e++) {
		pl_run_options ro;
		pl_run_options_init(&ro);
		ro.params = sp->params[e];
		pl_error why;
		pl_error_clear(&why);
		rc = pl_forecast(c, sp->engines[e], &ro, &rs[e], &why);
		if (pl_forecast_cannot_run(sp->engines[e], &ro, rc)) {
			rc = PL_OK;
		} else if (rc) {
			pl_error_set(err, rc, why.where, "%s", why.message);
		} else {
			json_array_append_new(names, json_string(pl_engine_name(sp->engines[e])));
			json_array_append_new(runs, run_json(sp->engines[e], rs[e]));
		}
	}
	for (size_t e = 0; !traj && !rc && e < sp->n_engines; e++)
		if (rs[e] && pl_engine_is_dynamic(sp->engines[e]))
			traj = sp->engines[e];
	for (size_t e = 0; !traj && !rc && e < sp->n_engines; e++)
		if (rs[e])
			traj = sp->engines[e];
	if (!traj && !rc)
		rc = pl_error_set(err, PL_EINPUT, NULL,
				  "no engine of the report can run this case");
	for (size_t i = 0; i < pl_case_n_issues(c) && !rc; i++) {
		json_t *row = json_array();
		for (size_t e = 0; e < sp->n_engines; e++)
			if (rs[e])
				json_array_append_new(row,
						      jnum(pl_result_outcome(rs[e], i)->forecast));
		json_array_append_new(values, row);
	}
	/* the trajectory engine runs with the parameters it has in the comparison */
	pl_run_options tro;
	pl_run_options_init(&tro);
	for (size_t e = 0; e < sp->n_engines; e++)
		if (sp->engines[e] == traj)
			tro.params = sp->params[e];
	pl_result *tr = NULL;
	if (!rc)
		rc = pl_forecast(c, traj, &tro, &tr, err);
	if (!rc) {
		json_object_set_new(data, "forecasts",
				    json_pack("{s:o,s:o,s:o}", "engines", names, "values", values,
					      "runs", runs));
		json_object_set_new(data, "trajectories",
				    trajectory_json(c, traj, tr, traj_name != NULL));
	} else {
		json_decref(names);
		json_decref(values);
		json_decref(runs);
	}
	pl_result_free(tr);
	for (size_t e = 0; rs && e < sp->n_engines; e++)
		pl_result_free(rs[e]);
	free(rs);
	return rc;
}

/* Total indices per actor and issue: whose judgements move the forecast. */
static int actor_indices_json(const pl_case *c, const opts *o, json_t *data, pl_error *err)
{
	const pl_engine *e = pl_engine_find(o->sweep_engine, err);
	if (!e)
		return PL_ENOTFOUND;
	pl_sweep_options so;
	pl_sweep_options_init(&so);
	so.n = o->n;
	so.seed = o->seed;
	so.threads = o->threads;
	so.sensitivity = 1;
	so.by = PL_BY_ACTOR;
	pl_sweep *s = NULL;
	int rc = pl_sweep_run(c, e, &so, &s, err);
	if (rc)
		return rc;
	json_t *rows = json_array();
	for (size_t f = 0; f < pl_sweep_n_factors(s); f++) {
		json_t *total = json_array();
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			pl_sobol x;
			pl_sweep_sobol(s, i, f, &x, NULL);
			json_array_append_new(total, jnum(x.total));
		}
		json_array_append_new(rows, json_pack("{s:s,s:o}", "factor",
						      pl_sweep_factor_label(s, f), "total", total));
	}
	json_object_set_new(data, "actor_indices", rows);
	pl_sweep_free(s);
	return PL_OK;
}

static int sweep_of(const pl_case *c, const opts *o, pl_sweep **s, pl_error *err)
{
	const pl_engine *e = pl_engine_find(o->sweep_engine, err);
	if (!e)
		return PL_ENOTFOUND;
	pl_sweep_options so;
	pl_sweep_options_init(&so);
	so.n = o->n;
	so.seed = o->seed;
	so.threads = o->threads;
	so.sensitivity = 1;
	return pl_sweep_run(c, e, &so, s, err);
}

/* ---- the page ---------------------------------------------------------- */

#ifdef PARLEY_REPORT
static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* JSON inside <script>: "</" would end the element, so it is written "<\/". */
static void script_json(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (s[0] == '<' && s[1] == '/') {
			fputs("<\\/", f);
			s++;
		} else {
			fputc(*s, f);
		}
	}
}

static void write_page(FILE *f, const pl_case *c, const json_t *data)
{
	const pl_case_info *info = pl_case_get_info(c);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<title>parley "
	      "report: ",
	      f);
	html_text(f, info->title ? info->title : info->id);
	fputs("</title>\n<style>\n", f);
	fwrite(report_css, 1, report_css_len, f);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>", f);
	html_text(f, info->title ? info->title : info->id);
	fputs("</h1>\n<p>", f);
	html_text(f, info->period);
	fputs("</p>\n<p class=\"provenance\">case ", f);
	html_text(f, info->id);
	fprintf(f, " &middot; sha256 %s &middot; parley %s</p>\n</header>\n", pl_case_hash(c),
		pl_version());
	fputs("<main id=\"report\"></main>\n<script type=\"application/json\" id=\"parley-data\">",
	      f);
	char *js = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	if (js)
		script_json(f, js);
	free(js);
	fputs("</script>\n<script>\n", f);
	fwrite(report_chartjs, 1, report_chartjs_len, f);
	fputs("\n</script>\n<script>\n", f);
	fwrite(report_js, 1, report_js_len, f);
	fputs("\n</script>\n</body>\n</html>\n", f);
}
#endif

/* How sure each format's forecast is: the sweep engine under every format of
 * the comparison (same seed, so the formats see the same draws), without
 * indices: the 5 %, 50 % and 95 % quantiles per issue. */
static int forum_sweeps_json(const pl_case *c, const opts *o, const compare_spec *sp, json_t *data,
			     pl_error *err)
{
	const pl_engine *e = pl_engine_find(o->sweep_engine, err);
	if (!e)
		return PL_ENOTFOUND;
	json_t *arr = json_array();
	int rc = PL_OK;
	for (size_t k = 0; k < sp->n_forums && !rc; k++) {
		pl_sweep_options so;
		pl_sweep_options_init(&so);
		so.n = o->n;
		so.seed = o->seed;
		so.threads = o->threads;
		so.forum = sp->forums[k];
		pl_sweep *s = NULL;
		pl_error why;
		pl_error_clear(&why);
		rc = pl_sweep_run(c, e, &so, &s, &why);
		json_t *issues = json_array();
		for (size_t i = 0; !rc && i < pl_case_n_issues(c); i++) {
			pl_sweep_summary sm;
			pl_sweep_summary_of(s, i, &sm, NULL);
			json_array_append_new(
				issues, json_pack("{s:s,s:o,s:o,s:o,s:o}", "issue",
						  pl_case_issue(c, i)->id, "mean", jnum(sm.mean),
						  "p05", jnum(pl_sweep_quantile(s, i, 0.05)), "p50",
						  jnum(pl_sweep_quantile(s, i, 0.5)), "p95",
						  jnum(pl_sweep_quantile(s, i, 0.95))));
		}
		const char *id = sp->forums[k] == PL_NO_FORUM ? "everyone"
							      : pl_case_forum(c, sp->forums[k])->id;
		if (rc == PL_EINPUT) {
			/* a format with no one at the table on some issue: shown as absent */
			rc = PL_OK;
			json_decref(issues);
			issues = json_null();
		} else if (rc) {
			pl_error_set(err, rc, why.where, "%s", why.message);
		}
		json_array_append_new(arr, json_pack("{s:s,s:o}", "forum", id, "issues", issues));
		pl_sweep_free(s);
	}
	json_object_set_new(data, "forum_sweeps", arr);
	return rc;
}

static int build_data(const pl_case *c, const opts *o, compare_spec *sp, pl_compare **cmp,
		      pl_sweep **s, json_t **data, pl_error *err)
{
	int rc = compare_spec_build(c, o->forums, o->engines, o->baseline, NULL, 0, sp, err);
	if (!rc)
		rc = compare_spec_run(c, sp, 0, 0, cmp, err);
	if (!rc)
		rc = sweep_of(c, o, s, err);
	if (rc)
		return rc;
	*data = json_pack("{s:s,s:s?,s:s}", "parley", pl_version(), "case", pl_case_get_info(c)->id,
			  "case_sha256", pl_case_hash(c));
	case_json(c, *data);
	rc = forecasts_json(c, sp, o->traj_engine, *data, err);
	if (!rc) {
		json_object_set_new(*data, "compare", compare_to_json(c, *cmp, sp));
		json_object_set_new(*data, "sweep", sweep_to_json(c, *s));
		rc = forum_sweeps_json(c, o, sp, *data, err);
	}
	if (!rc)
		rc = actor_indices_json(c, o, *data, err);
	if (!rc)
		json_object_set_new(*data, "colours", report_colours_json(*data));
	return rc;
}

int cmd_report(int argc, char **argv)
{
	opts o = {.engines = "all",
		  .sweep_engine = "compromise",
		  .forums = "all",
		  .n = 2000,
		  .seed = 1};
	const char *case_path = NULL;
	int st = parse(argc, argv, &o, &case_path);
	if (st)
		return st < 0 ? 0 : st;
	if ((st = cli_check_output("report", "case", case_path, o.output)) ||
	    (st = cli_check_output("report", "case", case_path, o.svg)) ||
	    (st = cli_check_output("report", "case", case_path, o.png)))
		return st;
#ifndef PARLEY_REPORT
	if (!o.svg && !o.png) {
		fprintf(stderr,
			"parley report: this parley was built without Chart.js: run "
			"'npm ci' in the source tree, then 'meson setup --reconfigure BUILD' "
			"and rebuild\n");
		return 1;
	}
#endif
	pl_case *c;
	st = cli_load_case("report", case_path,
			   o.input_format ? pl_format_from_name(o.input_format) : PL_FORMAT_AUTO,
			   &c);
	if (st)
		return st;
	pl_error err;
	pl_error_clear(&err);
	compare_spec sp;
	memset(&sp, 0, sizeof sp);
	pl_compare *cmp = NULL;
	pl_sweep *s = NULL;
	json_t *data = NULL;
	if (build_data(c, &o, &sp, &cmp, &s, &data, &err)) {
		st = cli_report("report", &err);
	} else if (o.svg || o.png) {
#ifdef PARLEY_PLPLOT
		st = report_plot(c, data, o.chart, o.svg ? o.svg : o.png, o.svg ? "svg" : "png");
#else
		fprintf(stderr, "parley report: this parley was built without PLplot, which draws "
				"--svg and --png charts (apt-get install libplplot-dev "
				"plplot-driver-cairo, then reconfigure)\n");
		st = 2;
#endif
	} else {
#ifdef PARLEY_REPORT
		cli_out out;
		if (cli_out_open(&out)) {
			st = 1;
		} else {
			write_page(out.f, c, data);
			st = cli_out_close("report", &out, o.output);
		}
#endif
	}
	json_decref(data);
	pl_sweep_free(s);
	pl_compare_free(cmp);
	compare_spec_free(&sp);
	pl_case_free(c);
	return st;
}
