/* case_export.c - a case in the other formats the command writes, for the
 * dashboard's downloads: GET /api/v1/cases/ID?format=csv[&issue=ISSUE]
 * (BDM-style CSV, one issue), ?format=ktab[&rescale=1] (KTAB's SMP CSV, as
 * `parley convert --to ktab [--rescale]`), and GET
 * /api/v1/cases/ID/report (the HTML report of `parley report`). */
#include <stdlib.h>
#include <string.h>

#include "server_internal.h"

#include <parley/io.h>
#include <parley/report.h>

void srv_case_export(const pl_http_request *q, pl_http_response *r, const srv_case *c,
		     const char *format)
{
	pl_error err;
	pl_error_clear(&err);
	char *text = NULL;
	const char *lost = NULL;
	int rc;
	if (strcmp(format, "csv") == 0) {
		char issue[PL_LEDGER_NAME_MAX + 1];
		size_t ix = 0, n = pl_case_n_issues(c->c);
		if (srv_query_arg(q->query, "issue", issue, sizeof issue)) {
			while (ix < n && strcmp(pl_case_issue(c->c, ix)->id, issue))
				ix++;
			if (ix == n) {
				srv_problemf(r, 400, "query: issue '%s': the case has no such issue",
					     issue);
				return;
			}
		}
		rc = pl_case_write_csv(c->c, ix, &text, &lost, &err);
	} else if (strcmp(format, "ktab") == 0) {
		char rescale[8];
		unsigned flags = srv_query_arg(q->query, "rescale", rescale, sizeof rescale) &&
						 strcmp(rescale, "0")
					 ? PL_KTAB_RESCALE
					 : 0;
		rc = pl_case_write_ktab_ex(c->c, flags, &text, &lost, NULL, &err);
	} else {
		srv_problemf(r, 400, "query: format '%.40s': must be json, csv or ktab", format);
		return;
	}
	if (rc) {
		srv_problem_err(r, &err);
		return;
	}
	(void)lost; /* what CSV drops (notes, anchors, forums) the docs say */
	srv_bytes(r, 200, "text/csv; charset=utf-8", text, strlen(text));
}

void srv_api_case_report(pl_server *s, const pl_http_request *q, pl_http_response *r,
			 const char *id)
{
	if (strcmp(q->method, "GET")) {
		srv_method_not_allowed(r, "GET");
		return;
	}
	srv_case c;
	int rc = srv_case_resolve_id(s, id, &c, r);
	if (rc) {
		if (r->status == 404)
			srv_problemf(r, 404, "no case '%.200s' (GET /api/v1/cases lists them)", id);
		return;
	}
	pl_error err;
	pl_error_clear(&err);
	pl_report_request req = PL_REPORT_REQUEST_INIT;
	req.threads = 1;
	pl_report *rep = NULL;
	char *html = NULL;
	srv_slot_take(s);
	rc = pl_report_run(&rep, c.c, &req, &err);
	if (!rc)
		rc = pl_report_html(&html, rep, &err);
	srv_slot_give(s);
	pl_report_free(rep);
	srv_case_release(&c);
	if (rc) {
		srv_problem_err(r, &err);
		return;
	}
	srv_bytes(r, 200, "text/html; charset=utf-8", html, strlen(html));
}
