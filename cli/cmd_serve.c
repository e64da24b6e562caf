/* cmd_serve.c - `parley serve`: the HTTP API (include/parley/server.h).
 * Parses the options, loads the server module (serve_module.h: the server's
 * HTTP and TLS libraries are mapped by this command only), opens the
 * server, listens until SIGTERM or SIGINT, then shuts down cleanly.
 * Everything else is in the library. */
#include "cli.h"
#include "module.h"
#include "serve_module.h"

#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parley/server.h>

static const char usage_text[] =
	"usage: parley serve --data DIR [OPTIONS]\n"
	"\n"
	"Serves the HTTP API (docs/api/openapi.json, docs/server.md): cases,\n"
	"forecasts, comparisons, game solutions, sweeps as jobs, and the\n"
	"permanent channel of a ledger.  Stops cleanly on SIGTERM or SIGINT.\n"
	"\n"
	"  -l, --listen HOST:PORT  address (default 127.0.0.1:8080; port 0: any free\n"
	"                          port); beyond loopback only with TLS or --insecure\n"
	"  -d, --data DIR          cases, jobs and results (SQLite; created if missing)\n"
	"      --cases DIR         shipped cases (default: parley's data/cases)\n"
	"      --ledger DB         the permanent channel's ledger (parley ledger init)\n"
	"      --log-key KEY       the log's secret key (with --ledger)\n"
	"      --token-file FILE   the operator's bearer token (registers parties and\n"
	"                          opens channels)\n"
	"  -w, --workers N         requests computed at once (default: cores)\n"
	"      --job-queue N       sweeps queued or running before 429 (default 16)\n"
	"      --body-limit BYTES  largest request body (default 16 MiB)\n"
	"      --timeout S         idle connection timeout in seconds (default 30)\n"
	"      --tls-cert F        PEM certificate: serve HTTPS\n"
	"      --tls-key F         PEM private key of --tls-cert\n"
	"      --insecure          allow a non-loopback address without TLS\n"
	"      --static DIR        the dashboard's files (default: the built dashboard,\n"
	"                          beside the executable or installed with it)\n"
	"      --cors ORIGIN       allow this origin (default: no CORS)\n"
	"      --access-log FILE   one line per request (default: standard error)\n"
	"  -h, --help              this help\n";

static volatile int stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

typedef struct serve_opts {
	pl_server_config cfg;
	pl_listen_options lo;
	char host[256];
	const char *access_log;
} serve_opts;

static void on_ready(void *ctx, const char *url)
{
	const serve_opts *o = ctx;
	printf("parley serve: listening on %s\n", url);
	if (o->cfg.static_dir)
		printf("parley serve: the dashboard is at %s/ (open it in a browser)\n", url);
	fflush(stdout);
}

static int parse_listen(serve_opts *o, const char *arg)
{
	const char *colon = strrchr(arg, ':');
	uint64_t port;
	if (!colon || colon == arg || cli_parse_u64(colon + 1, 0, 65535, &port))
		return cli_usage_error("serve", "--listen '%s' must be HOST:PORT (port 0..65535)",
				       arg);
	size_t len = (size_t)(colon - arg);
	if (arg[0] == '[' && len >= 2 && arg[len - 1] == ']') /* [::1]:8080 */
		snprintf(o->host, sizeof o->host, "%.*s", (int)(len - 2), arg + 1);
	else
		snprintf(o->host, sizeof o->host, "%.*s", (int)len, arg);
	o->lo.host = o->host;
	o->lo.port = (unsigned)port;
	return 0;
}

static int parse_count(const char *opt, const char *arg, uint64_t lo, uint64_t hi, uint64_t *v)
{
	if (cli_parse_u64(arg, lo, hi, v))
		return cli_usage_error("serve", "%s '%s' must be a whole number from %llu to %llu",
				       opt, arg, (unsigned long long)lo, (unsigned long long)hi);
	return 0;
}

static int parse(int argc, char **argv, serve_opts *o)
{
	enum {
		O_CASES = 256,
		O_LEDGER,
		O_LOGKEY,
		O_TOKEN,
		O_QUEUE,
		O_BODY,
		O_TIMEOUT,
		O_CERT,
		O_KEY,
		O_INSECURE,
		O_STATIC,
		O_CORS,
		O_ALOG
	};
	static const struct option longopts[] = {{"listen", required_argument, NULL, 'l'},
						 {"data", required_argument, NULL, 'd'},
						 {"cases", required_argument, NULL, O_CASES},
						 {"ledger", required_argument, NULL, O_LEDGER},
						 {"log-key", required_argument, NULL, O_LOGKEY},
						 {"token-file", required_argument, NULL, O_TOKEN},
						 {"workers", required_argument, NULL, 'w'},
						 {"job-queue", required_argument, NULL, O_QUEUE},
						 {"body-limit", required_argument, NULL, O_BODY},
						 {"timeout", required_argument, NULL, O_TIMEOUT},
						 {"tls-cert", required_argument, NULL, O_CERT},
						 {"tls-key", required_argument, NULL, O_KEY},
						 {"insecure", no_argument, NULL, O_INSECURE},
						 {"static", required_argument, NULL, O_STATIC},
						 {"cors", required_argument, NULL, O_CORS},
						 {"access-log", required_argument, NULL, O_ALOG},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	int ch, st = 0;
	uint64_t v;
	optind = 1;
	opterr = 0;
	while (!st && (ch = getopt_long(argc, argv, ":l:d:w:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l': st = parse_listen(o, optarg); break;
		case 'd': o->cfg.data_dir = optarg; break;
		case O_CASES: o->cfg.cases_dir = optarg; break;
		case O_LEDGER: o->cfg.ledger_path = optarg; break;
		case O_LOGKEY: o->cfg.log_key_path = optarg; break;
		case O_TOKEN: o->cfg.token_file = optarg; break;
		case 'w':
			if (!(st = parse_count("--workers", optarg, 1, 1024, &v)))
				o->cfg.workers = (unsigned)v;
			break;
		case O_QUEUE:
			if (!(st = parse_count("--job-queue", optarg, 1, 100000, &v)))
				o->cfg.job_queue = (unsigned)v;
			break;
		case O_BODY:
			if (!(st = parse_count("--body-limit", optarg, 1024, 1ull << 30, &v)))
				o->cfg.body_max = (size_t)v;
			break;
		case O_TIMEOUT:
			if (!(st = parse_count("--timeout", optarg, 1, 3600, &v)))
				o->lo.timeout_s = (unsigned)v;
			break;
		case O_CERT: o->lo.tls_cert = optarg; break;
		case O_KEY: o->lo.tls_key = optarg; break;
		case O_INSECURE: o->lo.insecure = 1; break;
		case O_STATIC: o->cfg.static_dir = optarg; break;
		case O_CORS: o->cfg.cors_origin = optarg; break;
		case O_ALOG: o->access_log = optarg; break;
		case 'h': fputs(usage_text, stdout); return -1;
		default: return cli_bad_option("serve", ch, argv);
		}
	}
	if (!st && optind < argc)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (!st && !o->cfg.data_dir)
		return cli_usage_error("serve", "--data DIR is required (where cases, jobs and "
						"results are kept)");
	if (!st && (!o->cfg.ledger_path != !o->cfg.log_key_path))
		return cli_usage_error("serve", "--ledger and --log-key go together");
	return st;
}

/* The dashboard's files (web/meson.build): BUILD/web beside BUILD/cli in
 * the build tree, else DATADIR/parley/web of an install, found relative to
 * the executable first (a DESTDIR or moved install), then at the configured
 * path.  The first directory that holds index.html, into web (size bytes). */
static int find_dashboard(char *web, size_t size)
{
	char dir[4096], path[4096 + 64];
	const char *tries[] = {"/../web", "/../share/parley/web", NULL};
	if (cli_exe_dir(dir, sizeof dir) == 0)
		for (size_t k = 0; tries[k]; k++) {
			snprintf(web, size, "%s%s", dir, tries[k]);
			snprintf(path, sizeof path, "%s/index.html", web);
			if (access(path, R_OK) == 0)
				return 0;
		}
	snprintf(web, size, "%s/web", PARLEY_INSTALL_DATADIR);
	snprintf(path, sizeof path, "%s/index.html", web);
	return access(path, R_OK) == 0 ? 0 : -1;
}

/* The shipped cases and games beside the default case, and the dashboard. */
static void default_dirs(serve_opts *o, char *cases, char *games, char *web, size_t size)
{
	char buf[4096];
	snprintf(cases, size, "%s", cli_default_case(buf, sizeof buf));
	char *dir = dirname(cases); /* .../data/cases */
	memmove(cases, dir, strlen(dir) + 1);
	snprintf(games, size, "%s/../games", cases);
	if (!o->cfg.cases_dir)
		o->cfg.cases_dir = cases;
	if (!o->cfg.games_dir && access(games, R_OK) == 0)
		o->cfg.games_dir = games;
	if (!o->cfg.static_dir && find_dashboard(web, size) == 0)
		o->cfg.static_dir = web;
}

int cmd_serve(int argc, char **argv)
{
	serve_opts o = {.cfg = PL_SERVER_CONFIG_INIT, .lo = PL_LISTEN_OPTIONS_INIT};
	o.lo.port = 8080;
	int st = parse(argc, argv, &o);
	if (st)
		return st < 0 ? 0 : st;
	char cases[4096], games[4096], web[4096];
	default_dirs(&o, cases, games, web, sizeof cases);
	FILE *log = stderr;
	if (o.access_log && !(log = fopen(o.access_log, "a"))) {
		fprintf(stderr, "parley serve: %s: cannot open the access log\n", o.access_log);
		return 2;
	}
	o.cfg.access_log = log;
	pl_error err;
	pl_error_clear(&err);
	pl_server *s;
	char why[8192];
	const cli_serve *srv = cli_module_load(CLI_SERVE_MODULE, CLI_SERVE_SYMBOL, why, sizeof why);
	if (!srv) {
		fprintf(stderr, "parley serve: the server module is missing: %s\n", why);
		if (log != stderr)
			fclose(log);
		return 2;
	}
	if (srv->open(&s, &o.cfg, &err)) {
		if (log != stderr)
			fclose(log);
		return cli_report("serve", &err);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	o.lo.stop = &stop_flag;
	o.lo.on_ready = on_ready;
	o.lo.ctx = &o;
	st = srv->listen(s, &o.lo, &err) ? cli_report("serve", &err) : 0;
	srv->close(s);
	if (!st)
		fprintf(stderr, "parley serve: stopped\n");
	if (log != stderr)
		fclose(log);
	return st;
}
