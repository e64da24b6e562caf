/* cmd_report.c - `parley report`: one self-contained HTML file with the
 * forecasts per engine, round-by-round trajectories, the forum comparison,
 * the sweep's distributions and a tornado chart of its sensitivity indices.
 * The library builds the page (pl_report_html: the data as JSON, Chart.js and
 * src/report/assets/report.js inlined, so the file opens offline);
 * --svg/--png write a single chart with PLplot (report_plot.c). */
#include "cli.h"
#include "report_plot.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parley report [CASE] [-o FILE] [OPTIONS]\n"
	"\n"
	"Writes one HTML file (no network needed to open it) with: the forecast of\n"
	"every engine, round-by-round trajectories of each actor per issue (with\n"
	"--trajectory-engine exchange, also the table of every trade made), the\n"
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

/* Builds the report of the loaded case c and writes the page or the chart. */
static int run_and_write(const pl_case *c, const opts *o)
{
	pl_error err;
	pl_error_clear(&err);
	pl_report_request req = PL_REPORT_REQUEST_INIT;
	req.engines = o->engines;
	req.trajectory_engine = o->traj_engine;
	req.sweep_engine = o->sweep_engine;
	req.forums = o->forums;
	req.baseline = o->baseline;
	req.n = o->n;
	req.seed = o->seed;
	req.threads = o->threads;
	pl_report *r;
	if (pl_report_run(&r, c, &req, &err))
		return cli_report("report", &err);
	int st;
	if (o->svg || o->png) {
#ifdef PARLEY_PLPLOT
		st = report_plot(r, o->chart, o->svg ? o->svg : o->png, o->svg ? "svg" : "png");
#else
		fprintf(stderr, "parley report: this parley was built without PLplot, which draws "
				"--svg and --png charts (apt-get install libplplot-dev "
				"plplot-driver-cairo, then reconfigure)\n");
		st = 2;
#endif
	} else {
		char *page;
		cli_out out;
		if (pl_report_html(&page, r, &err)) {
			st = cli_report("report", &err);
		} else if (cli_out_open(&out)) {
			pl_free(page);
			st = 1;
		} else {
			fputs(page, out.f);
			pl_free(page);
			st = cli_out_close("report", &out, o->output);
		}
	}
	pl_report_free(r);
	return st;
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
	if (!o.svg && !o.png && !pl_report_html_available()) {
		fprintf(stderr,
			"parley report: this parley was built without Chart.js: run "
			"'npm ci' in the source tree, then 'meson setup --reconfigure BUILD' "
			"and rebuild\n");
		return 1;
	}
	pl_case *c;
	st = cli_load_case("report", case_path,
			   o.input_format ? pl_format_from_name(o.input_format) : PL_FORMAT_AUTO,
			   &c);
	if (st)
		return st;
	st = run_and_write(c, &o);
	pl_case_free(c);
	return st;
}
