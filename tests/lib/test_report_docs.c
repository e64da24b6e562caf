/* test_report_docs.c - a program that calls the library's document
 * functions (include/parley/report.h) gets the very bytes the command
 * prints: for each shipped case, forecast, compare and sweep in JSON and CSV
 * from the library are compared with `$PARLEY ... --format json|csv`.  Also
 * the requests' rules: an unknown version, engine or forum is refused with
 * the reason, and a failed run returns no set. */
#include <parley/parley.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			printf("FAIL: " __VA_ARGS__);                                              \
			printf("\n");                                                              \
		}                                                                                  \
	} while (0)

static const char *const cases[] = {"korea-six-party", "copenhagen-cop15", "ec-car-emissions",
				    "paris-cop21"};

/* What `$PARLEY args` prints on standard output (malloc'd). */
static char *command_output(const char *args)
{
	const char *p = getenv("PARLEY");
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "'%s' %s 2>/dev/null", p ? p : "parley", args);
	FILE *f = popen(cmd, "r");
	if (!f)
		return NULL;
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *more = realloc(buf, cap *= 2);
			if (!more) {
				free(buf);
				buf = NULL;
			}
			buf = more;
		}
	}
	pclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

static void same(const char *doc, const char *args)
{
	char *want = command_output(args);
	CHECK(want && doc && strcmp(want, doc) == 0, "library and 'parley %s' differ", args);
	free(want);
}

/* What a forecast's progress callback saw. */
typedef struct seen {
	int calls, backwards, over;
	uint64_t last, total;
} seen;

static void watch(void *ctx, uint64_t done, uint64_t total)
{
	seen *s = ctx;
	s->backwards += s->calls && done < s->last;
	s->over += done > total || (s->calls && total != s->total);
	s->calls++;
	s->last = done;
	s->total = total;
}

static void check_forecast(const pl_case *c, const char *path, const char *input_sha256)
{
	pl_error err;
	pl_error_clear(&err);
	pl_forecast_request req = PL_FORECAST_REQUEST_INIT;
	req.trace = 1;
	req.input_sha256 = input_sha256;
	/* watched: the progress goes forward to its total and the document
	 * below (the command's, which nothing watches) is the same */
	seen s = {0};
	req.progress = watch;
	req.progress_ctx = &s;
	pl_forecast_set *set;
	int rc = pl_forecast_set_run(&set, c, &req, &err);
	CHECK(rc == 0, "forecast of %s: %s", path, err.message);
	if (rc)
		return;
	CHECK(s.calls > 0 && !s.backwards && !s.over && s.last == s.total && s.total > 0,
	      "progress of %s: %d calls, %d backwards, %d over, ended %llu of %llu", path,
	      s.calls, s.backwards, s.over, (unsigned long long)s.last,
	      (unsigned long long)s.total);
	char *json = NULL, *csv = NULL, args[1024];
	CHECK(pl_forecast_json(&json, set, &err) == 0, "forecast json: %s", err.message);
	CHECK(pl_forecast_csv(&csv, set, &err) == 0, "forecast csv: %s", err.message);
	snprintf(args, sizeof args, "forecast '%s' -t -f json", path);
	same(json, args);
	snprintf(args, sizeof args, "forecast '%s' -t -f csv", path);
	same(csv, args);
	pl_free(json);
	pl_free(csv);
	pl_forecast_set_free(set);
}

static void check_compare(const pl_case *c, const char *path)
{
	pl_error err;
	pl_error_clear(&err);
	pl_compare_request req = PL_COMPARE_REQUEST_INIT;
	pl_comparison *x;
	if (pl_case_n_forums(c) == 0) { /* nothing to compare: both refuse it */
		int rc = pl_compare_request_check(c, &req, &err);
		CHECK(rc == PL_EINPUT && strstr(err.message, "declares no forum"),
		      "compare of %s without forums: %d %s", path, rc, err.message);
		return;
	}
	int rc = pl_compare_request_check(c, &req, &err);
	if (!rc)
		rc = pl_comparison_run(&x, c, &req, &err);
	CHECK(rc == 0, "compare of %s: %s", path, err.message);
	if (rc)
		return;
	char *json = NULL, *csv = NULL, args[1024];
	CHECK(pl_compare_json(&json, x, &err) == 0, "compare json: %s", err.message);
	CHECK(pl_compare_csv(&csv, x, &err) == 0, "compare csv: %s", err.message);
	snprintf(args, sizeof args, "compare '%s' -f json", path);
	same(json, args);
	snprintf(args, sizeof args, "compare '%s' -f csv", path);
	same(csv, args);
	pl_free(json);
	pl_free(csv);
	pl_comparison_free(x);
}

/* thresholds only on the Korean case, whose issues share a 0-100 scale */
static void check_sweep(const pl_case *c, const char *path, int thresholds)
{
	pl_error err;
	pl_error_clear(&err);
	pl_sweep_request req = PL_SWEEP_REQUEST_INIT;
	const char *thr[] = {"40", "60"};
	req.n = 120;
	req.threads = 2;
	req.n_thresholds = thresholds ? 2 : 0;
	req.thresholds = thr;
	const char *t = thresholds ? "--threshold 40 --threshold 60" : "";
	pl_sweep *s;
	int rc = pl_sweep_run_request(&s, c, &req, &err);
	CHECK(rc == 0, "sweep of %s: %s", path, err.message);
	if (rc)
		return;
	char *json = NULL, *csv = NULL, args[1024];
	CHECK(pl_sweep_json(&json, c, s, &err) == 0, "sweep json: %s", err.message);
	CHECK(pl_sweep_csv(&csv, c, s, &err) == 0, "sweep csv: %s", err.message);
	snprintf(args, sizeof args, "sweep '%s' -n 120 %s -f json", path, t);
	same(json, args);
	snprintf(args, sizeof args, "sweep '%s' -n 120 %s -f csv", path, t);
	same(csv, args);
	pl_free(json);
	pl_free(csv);
	pl_sweep_free(s);
}

static void check_report(const pl_case *c, const char *path)
{
	pl_error err;
	pl_error_clear(&err);
	pl_report_request req = PL_REPORT_REQUEST_INIT;
	req.n = 100;
	pl_report *r;
	int rc = pl_report_run(&r, c, &req, &err);
	CHECK(rc == 0, "report of %s: %s", path, err.message);
	if (rc)
		return;
	char *html = NULL, args[1024];
	if (pl_report_html_available()) {
		CHECK(pl_report_html(&html, r, &err) == 0, "report html: %s", err.message);
		snprintf(args, sizeof args, "report '%s' -n 100", path);
		same(html, args);
		pl_free(html);
	}
	pl_chart *chart = calloc(1, sizeof *chart);
	CHECK(chart && pl_report_chart(chart, r, "tornado:nuclear", &err) == 0 &&
		      chart->n_ser == 2 && chart->n_cat > 0 && chart->horizontal,
	      "tornado chart: %s", err.message);
	pl_error_clear(&err);
	CHECK(chart && pl_report_chart(chart, r, "pie", &err) == PL_EINPUT &&
		      strstr(err.message, "must be forecasts"),
	      "an unknown chart: %s", err.message);
	free(chart);
	pl_report_free(r);
}

static void check_refusals(const pl_case *c)
{
	pl_error err;
	pl_forecast_set *set = (pl_forecast_set *)&err;
	pl_forecast_request req = PL_FORECAST_REQUEST_INIT;
	req.version = 99;
	pl_error_clear(&err);
	CHECK(pl_forecast_set_run(&set, c, &req, &err) == PL_EINPUT && !set &&
		      strstr(err.message, "version 99"),
	      "a request of an unknown version: %s", err.message);
	/* a version-1 request (before progress) is still taken, its progress
	 * members never read */
	seen v1 = {0};
	req.version = 1;
	req.engine = "median";
	req.progress = watch;
	req.progress_ctx = &v1;
	pl_error_clear(&err);
	CHECK(pl_forecast_set_run(&set, c, &req, &err) == 0 && set && v1.calls == 0,
	      "a version-1 request: %s", err.message);
	pl_forecast_set_free(set);
	req.progress = NULL;
	req.version = PL_FORECAST_REQUEST_VERSION;
	req.engine = "oracle";
	pl_error_clear(&err);
	CHECK(pl_forecast_set_run(&set, c, &req, &err) == PL_ENOTFOUND && !set &&
		      strstr(err.message, "oracle"),
	      "an unknown engine: %s", err.message);
	req.engine = "eu";
	req.forum = "nowhere";
	pl_error_clear(&err);
	CHECK(pl_forecast_set_run(&set, c, &req, &err) != 0 && !set &&
		      strstr(err.message, "nowhere"),
	      "an unknown forum: %s", err.message);
	const char *params[] = {"smp.BigRRange=Max"};
	req.forum = NULL;
	req.params = params;
	req.n_params = 1;
	pl_error_clear(&err);
	CHECK(pl_forecast_set_run(&set, c, &req, &err) == PL_EINPUT && !set &&
		      strstr(err.message, "not part of this run"),
	      "a parameter for an engine that does not run: %s", err.message);
	pl_compare_request creq = PL_COMPARE_REQUEST_INIT;
	creq.forums = "six-party,six-party";
	pl_comparison *x = (pl_comparison *)&err;
	pl_error_clear(&err);
	CHECK(pl_comparison_run(&x, c, &creq, &err) == PL_EINPUT && !x &&
		      strstr(err.message, "listed twice"),
	      "a format listed twice: %s", err.message);
	pl_sweep_request sreq = PL_SWEEP_REQUEST_INIT;
	const char *thr[] = {"nowhere:50"};
	sreq.thresholds = thr;
	sreq.n_thresholds = 1;
	pl_sweep *s = (pl_sweep *)&err;
	pl_error_clear(&err);
	CHECK(pl_sweep_run_request(&s, c, &sreq, &err) == PL_ENOTFOUND && !s &&
		      strstr(err.message, "nowhere"),
	      "a threshold on an unknown issue: %s", err.message);
}

int main(void)
{
	const char *root = getenv("PARLEY_SOURCE_ROOT");
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char path[1024], hex[65];
		snprintf(path, sizeof path, "%s/data/cases/%s.json", root ? root : ".", cases[k]);
		pl_error err;
		pl_error_clear(&err);
		pl_case *c;
		if (pl_case_read_file(path, PL_FORMAT_AUTO, &c, &err) ||
		    pl_sha256_file_hex(hex, path, &err)) {
			CHECK(0, "%s: %s", path, err.message);
			continue;
		}
		check_forecast(c, path, hex);
		check_compare(c, path);
		check_sweep(c, path, k == 0);
		if (k == 0) {
			check_refusals(c);
			check_report(c, path);
		}
		pl_case_free(c);
	}
	printf("report documents: %d failures\n", failures);
	return failures != 0;
}
