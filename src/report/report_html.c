/* report_html.c - the report as one self-contained HTML file
 * (include/parley/report.h): the data goes into the page as JSON; Chart.js
 * (inlined at build time from node_modules) and assets/report.js draw it, so
 * the file opens offline. */
#include "report_internal.h"

#include <stdlib.h>

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

/* Returns -1 when the data could not be written (out of memory). */
static int write_page(FILE *f, const pl_case *c, const json_t *data)
{
	const pl_case_info *info = pl_case_get_info(c);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<title>parley "
	      "report: ",
	      f);
	html_text(f, info->title ? info->title : info->id);
	fputs("</title>\n<style>\n", f);
	fwrite(pl__report_css, 1, pl__report_css_len, f);
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
	if (!js)
		return -1;
	script_json(f, js);
	free(js);
	fputs("</script>\n<script>\n", f);
	fwrite(pl__report_chartjs, 1, pl__report_chartjs_len, f);
	fputs("\n</script>\n<script>\n", f);
	fwrite(pl__report_js, 1, pl__report_js_len, f);
	fputs("\n</script>\n</body>\n</html>\n", f);
	return 0;
}

int pl_report_html_available(void)
{
	return pl__report_assets_present;
}

int pl_report_html(char **out, const pl_report *r, pl_error *err)
{
	*out = NULL;
	if (!pl__report_assets_present)
		return pl_error_set(
			err, PL_EIO, NULL,
			"this parley was built without Chart.js: run 'npm ci' in the "
			"source tree, then 'meson setup --reconfigure BUILD' and rebuild");
	pl__report_text t;
	int rc = pl__report_text_open(&t, err);
	if (rc)
		return rc;
	if (write_page(t.f, r->c, r->data)) {
		char *partial;
		pl__report_text_close(&partial, &t, NULL);
		free(partial);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing the report");
	}
	return pl__report_text_close(out, &t, err);
}
