/* cmd_sweep.c - `parley sweep`: Monte Carlo over the case's declared
 * uncertainty, on all cores and, when built with Open MPI and started by
 * mpirun, across processes; prints the forecast distributions, threshold
 * probabilities and sensitivity indices as a table, JSON or CSV. */
#include "cli.h"
#include "sweep_out.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "module.h"
#include "mpi_module.h"

static const char usage_text[] =
	"usage: parley sweep [CASE] [OPTIONS]\n"
	"\n"
	"Draws N perturbed copies of CASE from the uncertainty it declares, runs an\n"
	"engine on each, and reports per issue the forecast distribution, the\n"
	"probability of landing at or above thresholds, and sensitivity indices\n"
	"(docs/analysis/sweep.md).  The same seed gives the same\n"
	"bytes for any number of threads or MPI ranks (mpirun -np K parley sweep ...).\n"
	"\n"
	"  -n, --samples N         samples (default 1000)\n"
	"  -e, --engine NAME       engine (default compromise; see 'parley engines'):\n"
	"                          a sweep runs one engine, forecast all by default\n"
	"  -t, --threads T         worker threads (default: one per core; under mpirun\n"
	"                          each rank takes its share of the machine's cores)\n"
	"  -s, --seed S            seed (default 1; forecast and compare default to 0)\n"
	"      --forum ID          only this forum's members at the table ('everyone':\n"
	"                          all actors at full weight, the default)\n"
	"  -r, --rounds N          maximum rounds for dynamic engines (default: the\n"
	"                          engine's own, 'parley engines -v')\n"
	"  -p, --param NAME=VALUE  engine parameter, or ENGINE.NAME=VALUE (repeatable)\n"
	"      --threshold [ISSUE:]X  P(forecast >= X); <=X: P(forecast <= X), for an\n"
	"                          issue where lower is better; A..B: P(A <= forecast\n"
	"                          <= B) (repeatable)\n"
	"      --over NAME=START:STOP:STEP  one sweep per value of an engine parameter\n"
	"                          (or NAME=V1,V2,...), the same seed for each: the\n"
	"                          p-sweep of Decide is -e exchange --exact\n"
	"                          --no-sensitivity --over p=0:1:0.1 -n 50\n"
	"      --sensitivity given|design  first-order indices from the N runs\n"
	"                          themselves (given, the default), or Saltelli's design:\n"
	"                          first-order and total indices, N x (2 + factors) runs\n"
	"      --no-sensitivity    skip the indices\n"
	"      --by input|actor|kind  factors of the indices: each input (default), each\n"
	"                          actor's inputs together, or each kind of input\n"
	"      --exact             a case with no declared uncertainty stays exact\n"
	"                          (default: parley's default uncertainty, see sweep.md)\n"
	"      --bins B            histogram bins (default 20)\n"
	"      --top K             factors listed per issue in the table (default 5)\n"
	"  -f, --format FMT        table (default), json or csv\n"
	"  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
	"      --no-progress       no progress bar (it shows only on a terminal)\n"
	"      --input-format FMT  json, csv, ktab or decide (default: guessed)\n"
	"  -h, --help              this help\n"
#ifdef PARLEY_MPI
	"\nThis parley is built with Open MPI.\n"
#endif
	;

typedef struct opts {
	const char *engine, *forum, *format, *output, *input_format, *over;
	const char **params, **thresholds;
	size_t n_params, n_thresholds;
	uint64_t n, seed;
	unsigned threads;
	int rounds, sensitivity, exact, progress, top, engine_given, seed_given;
	const cli_mpi *mpi; /* started by mpirun: MPI is initialised */
	pl_sweep_by by;
	size_t bins;
} opts;

static int parse(int argc, char **argv, opts *o, const char **case_path)
{
	enum {
		O_FORUM = 256,
		O_THR,
		O_NOSENS,
		O_SENS,
		O_EXACT,
		O_BINS,
		O_TOP,
		O_NOPROG,
		O_INFMT,
		O_BY,
		O_OVER
	};
	static const struct option longopts[] = {{"samples", required_argument, NULL, 'n'},
						 {"engine", required_argument, NULL, 'e'},
						 {"threads", required_argument, NULL, 't'},
						 {"seed", required_argument, NULL, 's'},
						 {"forum", required_argument, NULL, O_FORUM},
						 {"rounds", required_argument, NULL, 'r'},
						 {"param", required_argument, NULL, 'p'},
						 {"threshold", required_argument, NULL, O_THR},
						 {"no-sensitivity", no_argument, NULL, O_NOSENS},
						 {"sensitivity", required_argument, NULL, O_SENS},
						 {"exact", no_argument, NULL, O_EXACT},
						 {"bins", required_argument, NULL, O_BINS},
						 {"top", required_argument, NULL, O_TOP},
						 {"format", required_argument, NULL, 'f'},
						 {"output", required_argument, NULL, 'o'},
						 {"no-progress", no_argument, NULL, O_NOPROG},
						 {"by", required_argument, NULL, O_BY},
						 {"over", required_argument, NULL, O_OVER},
						 {"input-format", required_argument, NULL, O_INFMT},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	int ch;
	uint64_t v;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":n:e:t:s:r:p:f:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (cli_parse_u64(optarg, 1, 1000000000000ULL, &o->n))
				return cli_usage_error("sweep",
						       "--samples '%s' must be a whole "
						       "number from 1 to 10^12",
						       optarg);
			break;
		case 'e':
			o->engine = optarg;
			o->engine_given = 1;
			break;
		case 't':
			if (cli_parse_u64(optarg, 1, 1024, &v))
				return cli_usage_error("sweep",
						       "--threads '%s' must be a whole "
						       "number from 1 to 1024",
						       optarg);
			o->threads = (unsigned)v;
			break;
		case 's':
			if (cli_parse_seed("sweep", optarg, &o->seed))
				return 2;
			o->seed_given = 1;
			break;
		case O_FORUM: o->forum = optarg; break;
		case 'r':
			if (cli_parse_rounds("sweep", optarg, &o->rounds))
				return 2;
			break;
		case 'p': o->params[o->n_params++] = optarg; break;
		case O_THR: o->thresholds[o->n_thresholds++] = optarg; break;
		case O_NOSENS: o->sensitivity = PL_SENS_OFF; break;
		case O_SENS:
			if (strcmp(optarg, "given") == 0)
				o->sensitivity = PL_SENS_GIVEN;
			else if (strcmp(optarg, "design") == 0)
				o->sensitivity = PL_SENS_DESIGN;
			else
				return cli_usage_error("sweep",
						       "--sensitivity '%s' must be given or design",
						       optarg);
			break;
		case O_EXACT: o->exact = 1; break;
		case O_BINS:
			if (cli_parse_u64(optarg, 1, 10000, &v))
				return cli_usage_error("sweep",
						       "--bins '%s' must be a whole number "
						       "from 1 to 10000",
						       optarg);
			o->bins = (size_t)v;
			break;
		case O_TOP:
			if (cli_parse_u64(optarg, 0, 100000, &v))
				return cli_usage_error("sweep",
						       "--top '%s' must be a whole number "
						       "from 0 to 100000",
						       optarg);
			o->top = (int)v;
			break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case O_NOPROG: o->progress = 0; break;
		case O_BY:
			if (strcmp(optarg, "input") == 0)
				o->by = PL_BY_INPUT;
			else if (strcmp(optarg, "actor") == 0)
				o->by = PL_BY_ACTOR;
			else if (strcmp(optarg, "kind") == 0)
				o->by = PL_BY_KIND;
			else
				return cli_usage_error(
					"sweep", "--by '%s' must be input, actor or kind", optarg);
			break;
		case O_INFMT: o->input_format = optarg; break;
		case O_OVER: o->over = optarg; break;
		case 'h': fputs(usage_text, stdout); return -1;
		default: return cli_bad_option("sweep", ch, argv);
		}
	}
	int st = cli_case_operand("sweep", argc, argv, case_path, o->format, o->input_format);
	if (st)
		return st;
	return 0;
}

/* ---- running ---------------------------------------------------------- */

/* Under mpirun the ranks split the samples through parley-mpi.so
 * (mpi_module.h), loaded only then, so a plain `parley sweep` never maps an
 * MPI runtime.  Started by mpirun without the module, every rank would sweep
 * every sample: refuse instead.  Returns 0 (o->mpi set under mpirun) or the
 * exit status 2, having said why. */
static int mpi_start(opts *o)
{
	const char *var = getenv("OMPI_COMM_WORLD_SIZE") ? "OMPI_COMM_WORLD_SIZE"
			  : getenv("PMIX_RANK")		 ? "PMIX_RANK"
			  : getenv("PMI_RANK")		 ? "PMI_RANK"
							 : NULL;
	o->mpi = NULL;
	if (!var)
		return 0;
#ifdef PARLEY_MPI
	char why[8192];
	o->mpi = cli_module_load(CLI_MPI_MODULE, CLI_MPI_SYMBOL, why, sizeof why);
	if (o->mpi) {
		o->mpi->init();
		/* the ranks on this machine share its cores: without --threads a
		 * rank takes its share, not a thread per core each */
		const char *local = getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
		if (!local)
			local = getenv("MPI_LOCALNRANKS");
		long cores = sysconf(_SC_NPROCESSORS_ONLN), ranks = local ? atol(local) : 0;
		if (!o->threads && ranks > 0 && cores > 0)
			o->threads = cores / ranks > 0 ? (unsigned)(cores / ranks) : 1;
		return 0;
	}
	fprintf(stderr,
		"parley sweep: started by an MPI launcher (%s is set), but MPI is not "
		"available: %s\n",
		var, why);
#else
	fprintf(stderr,
		"parley sweep: started by an MPI launcher (%s is set), but this parley was "
		"built without Open MPI (apt-get install libopenmpi-dev, then reconfigure)\n",
		var);
#endif
	fprintf(stderr, "parley sweep: not sweeping, since every rank would run every sample\n");
	return 2;
}

static void mpi_end(const opts *o)
{
	if (o->mpi)
		o->mpi->finalize();
}

static int rank_info(const opts *o, int *rank, int *size)
{
	*rank = 0;
	*size = 1;
	if (!o->mpi)
		return 0;
	o->mpi->world(rank, size);
	return 1;
}

/* Gathers every rank's packed sums into rank 0's sweep. */
static int combine(const opts *o, pl_sweep *s, int status, int *all_status, pl_error *err)
{
	*all_status = status;
	if (!o->mpi)
		return PL_OK;
	int rank, size;
	rank_info(o, &rank, &size);
	*all_status = o->mpi->max(status);
	if (*all_status)
		return PL_OK;
	void *buf = NULL;
	size_t len = 0;
	int rc = pl_sweep_pack(s, &buf, &len, err);
	if (rc)
		return rc;
	unsigned char *all = rank == 0 ? malloc(len * (size_t)size) : NULL;
	if (rank == 0 && !all) {
		free(buf);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory gathering ranks");
	}
	if (o->mpi->gather(buf, len, all))
		rc = pl_error_set(err, PL_EINPUT, NULL,
				  "the sweep's sums (%zu bytes) exceed one MPI message", len);
	for (int r = 1; rank == 0 && r < size && !rc; r++)
		rc = pl_sweep_merge(s, all + (size_t)r * len, len, err);
	free(buf);
	free(all);
	return rc;
}

/* The sweep, or with --over one per value (*over_out, its first sweep in
 * *out for the checks that follow). */
static int run(const opts *o, const pl_case *c, pl_sweep **out, pl_sweep_over **over_out,
	       pl_error *err)
{
	pl_sweep_request req = PL_SWEEP_REQUEST_INIT;
	req.engine = o->engine;
	req.forum = o->forum;
	req.n = o->n;
	req.seed = o->seed;
	req.threads = o->threads;
	req.rounds = o->rounds;
	req.n_params = o->n_params;
	req.params = (const char *const *)o->params;
	req.n_thresholds = o->n_thresholds;
	req.thresholds = (const char *const *)o->thresholds;
	req.sensitivity = o->sensitivity;
	req.by = o->by;
	req.exact = o->exact;
	req.bins = o->bins;
	int rank, size;
	int mpi = rank_info(o, &rank, &size);
	req.first = o->n * (uint64_t)rank / (uint64_t)size;
	req.count = o->n * (uint64_t)(rank + 1) / (uint64_t)size - req.first;
	cli_progress pr;
	cli_progress_start(&pr, "samples", 0);
	pr.rank_note = mpi;
	if (o->progress && rank == 0 && isatty(STDERR_FILENO)) {
		req.progress = cli_progress_show;
		req.progress_ctx = &pr;
	}
	int rc;
	if (o->over) {
		rc = pl_sweep_over_run(over_out, c, &req, o->over, err);
		*out = rc ? NULL : pl_sweep_over_sweep(*over_out, 0);
	} else
		rc = pl_sweep_run_request(out, c, &req, err);
	cli_progress_end(&pr);
	return rc;
}

/* True when some issue got no forecast from any sample. */
static int every_sample_failed(const pl_case *c, const pl_sweep *s)
{
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_sweep_summary sum;
		if (pl_sweep_summary_of(s, i, &sum, NULL) == PL_OK && sum.n == 0 &&
		    sum.n_failed > 0)
			return 1;
	}
	return 0;
}

/* With --over: true when some value's sweep failed on every sample of an
 * issue. */
static int over_failed(const pl_case *c, const pl_sweep_over *ov)
{
	for (size_t k = 0; ov && k < pl_sweep_over_n(ov); k++)
		if (every_sample_failed(c, pl_sweep_over_sweep(ov, k)))
			return 1;
	return 0;
}

/* The document in the format asked for, or the table, to out. */
static int print_sweep(FILE *out, const pl_case *c, const pl_sweep *s, const pl_sweep_over *ov,
		       const opts *o, const sweep_out_opts *so)
{
	if (o->format[0] == 't') {
		if (ov)
			sweep_print_over_table(out, c, ov);
		else
			sweep_print_table(out, c, s, so);
		return 0;
	}
	pl_error err;
	pl_error_clear(&err);
	char *doc;
	int rc = ov ? (o->format[0] == 'j' ? pl_sweep_over_json : pl_sweep_over_csv)(&doc, c, ov,
										     &err)
		    : (o->format[0] == 'j' ? pl_sweep_json : pl_sweep_csv)(&doc, c, s, &err);
	if (rc)
		return cli_report("sweep", &err);
	fputs(doc, out);
	pl_free(doc);
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	const char *params[256], *thresholds[256];
	opts o = {.engine = "compromise",
		  .format = "table",
		  .params = params,
		  .thresholds = thresholds,
		  .n = 1000,
		  .seed = 1,
		  .sensitivity = PL_SENS_GIVEN,
		  .progress = 1,
		  .top = 5,
		  .bins = 20};
	const char *case_path = NULL;
	if (argc > 256)
		return cli_usage_error("sweep", "too many arguments");
	int st = parse(argc, argv, &o, &case_path);
	if (st)
		return st < 0 ? 0 : st;
	if ((st = cli_check_output("sweep", "case", case_path, o.output)))
		return st;
	pl_case *c;
	st = cli_load_case("sweep", case_path,
			   o.input_format ? pl_format_from_name(o.input_format) : PL_FORMAT_AUTO,
			   &c);
	if (st)
		return st;
	pl_error err;
	pl_error_clear(&err);
	pl_sweep *s = NULL;
	pl_sweep_over *ov = NULL;
	st = mpi_start(&o);
	if (st) {
		pl_case_free(c);
		return st;
	}
	int rc = run(&o, c, &s, &ov, &err);
	int rank, size, all_status = 0;
	rank_info(&o, &rank, &size);
	if (!rc && ov) /* every value's sweep gathered from the ranks */
		for (size_t k = 0; k < pl_sweep_over_n(ov) && !rc && !all_status; k++)
			rc = combine(&o, pl_sweep_over_sweep(ov, k), rc, &all_status, &err);
	else if (!rc)
		rc = combine(&o, s, rc, &all_status, &err);
	else
		combine(&o, NULL, pl_error_exit_status(&err), &all_status, NULL);
	if (rc) {
		st = cli_report("sweep", &err);
	} else if (all_status) {
		st = all_status;
	} else if (rank == 0 && (every_sample_failed(c, s) || over_failed(c, ov))) {
		fprintf(stderr, "parley sweep: the engine failed on every sample of some issue; "
				"there is no distribution to report (try parley forecast on the "
				"case)\n");
		st = 1;
	} else if (rank == 0) {
		cli_out out;
		if (cli_out_open(&out)) {
			st = 1;
		} else {
			sweep_out_opts so = {.top = o.top,
					     .engine_default = !o.engine_given,
					     .seed_default = !o.seed_given};
			st = print_sweep(out.f, c, s, ov, &o, &so);
			if (st)
				cli_out_discard(&out);
			else
				st = cli_out_close("sweep", &out, o.output);
		}
	}
	if (ov)
		pl_sweep_over_free(ov); /* s is its first sweep */
	else
		pl_sweep_free(s);
	pl_case_free(c);
	mpi_end(&o);
	return st;
}
