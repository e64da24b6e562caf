/* jobs.c - sweeps as jobs: a bounded queue (429 when full), a few worker
 * threads, progress for GET /jobs/{id} and its Server-Sent Events, and
 * cancellation.  A sweep runs in chunks of samples merged in order (the
 * same bytes as one run, as under mpirun), so that progress is reported and
 * a cancelled or stopped job ends between chunks.  Jobs are kept in the
 * store: a finished job's result survives a restart, and a job the server
 * stopped in the middle is run again from the start when it opens. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley/report.h"
#include "server/server_internal.h"

#define CHUNKS 400

static const char *state_name(srv_job_state st)
{
	static const char *names[] = {"queued", "running", "done", "failed", "cancelled"};
	return names[st];
}

/* ---- a sweep from its request ---- */

typedef struct sweep_prep {
	srv_case c;
	pl_sweep_request req;
	char **params;
	size_t n_params;
	char **thr;
	size_t n_thr;
	char *forum, *engine, *by;
} sweep_prep;

static const char *const sweep_members[] = {
	"case",	  "engine",	 "samples", "seed",  "threshold", "forum", "rounds",
	"params", "sensitivity", "by",	    "exact", "bins",	  NULL};

static int by_of(const char *b, pl_sweep_by *by, pl_error *err)
{
	*by = strcmp(b, "actor") == 0  ? PL_BY_ACTOR
	      : strcmp(b, "kind") == 0 ? PL_BY_KIND
				       : PL_BY_INPUT;
	if (strcmp(b, "input") && strcmp(b, "actor") && strcmp(b, "kind"))
		return pl_error_set(err, PL_EINPUT, "request body", "$.by: must be input, actor or kind");
	return PL_OK;
}

/* "sensitivity": true (the command's default, given data), false, "given"
 * or "design". */
static int sens_of(const pl_request *req, int *out, pl_error *err)
{
	pl_member_kind k = pl_request_kind(req, "sensitivity");
	if (k == PL_MEMBER_ABSENT || k == PL_MEMBER_NULL)
		return PL_OK;
	if (k == PL_MEMBER_BOOL) {
		int on = 1;
		int rc = pl_request_bool(req, "sensitivity", &on, err);
		*out = on ? PL_SENS_GIVEN : PL_SENS_OFF;
		return rc;
	}
	const char *m = NULL;
	if (k == PL_MEMBER_STRING && pl_request_string(req, "sensitivity", &m, err) == PL_OK &&
	    m && (strcmp(m, "given") == 0 || strcmp(m, "design") == 0)) {
		*out = strcmp(m, "given") == 0 ? PL_SENS_GIVEN : PL_SENS_DESIGN;
		return PL_OK;
	}
	return pl_error_set(err, PL_EINPUT, "request body",
			    "$.sensitivity: must be true, false, \"given\" or \"design\"");
}

static void prep_free(sweep_prep *p)
{
	srv_case_release(&p->c);
	pl_request_texts_free(p->params, p->n_params);
	pl_request_texts_free(p->thr, p->n_thr);
}

/* The sweep a request asks for, with the command's defaults
 * (PL_SWEEP_REQUEST_INIT: 1000 samples, compromise, seed 1, the indices by
 * input, 20 bins), checked by a run of its first sample. */
static int prepare(pl_server *s, const pl_request *req, sweep_prep *p, pl_http_response *r)
{
	memset(p, 0, sizeof *p);
	pl_sweep_request init = PL_SWEEP_REQUEST_INIT;
	p->req = init;
	p->req.threads = s->cfg.sweep_threads;
	uint64_t rounds = 0, bins = 20;
	const char *by = "input";
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_request_check_members(req, sweep_members, &err) ||
		 pl_request_string(req, "engine", &p->req.engine, &err) ||
		 pl_request_string(req, "forum", &p->req.forum, &err) ||
		 pl_request_uint(req, "samples", 1, s->cfg.max_samples, &p->req.n, &err) ||
		 pl_request_uint(req, "seed", 0, INT64_MAX, &p->req.seed, &err) ||
		 pl_request_uint(req, "rounds", 1, 100000, &rounds, &err) ||
		 pl_request_uint(req, "bins", 1, 10000, &bins, &err) ||
		 sens_of(req, &p->req.sensitivity, &err) ||
		 pl_request_bool(req, "exact", &p->req.exact, &err) ||
		 pl_request_string(req, "by", &by, &err) || by_of(by, &p->req.by, &err);
	if (rc)
		srv_problem_err(r, &err);
	rc = rc || srv_params(req, &p->params, &p->n_params, r) ||
	     srv_case_resolve(s, req, &p->c, r);
	if (!rc && pl_request_texts(req, "threshold", 64, "VALUE or \"ISSUE:VALUE\"", &p->thr,
				    &p->n_thr, &err)) {
		srv_problem_err(r, &err);
		rc = 1;
	}
	p->req.thresholds = (const char *const *)p->thr;
	p->req.n_thresholds = p->n_thr;
	p->req.rounds = (int)rounds;
	p->req.bins = (size_t)bins;
	p->req.params = (const char *const *)p->params;
	p->req.n_params = p->n_params;
	if (!rc) { /* names, parameters and thresholds: refused now, not in the job */
		pl_sweep_request one = p->req;
		pl_sweep *sw = NULL;
		one.count = 1;
		one.sensitivity = 0;
		one.threads = 1;
		if (pl_sweep_run_request(&sw, p->c.c, &one, &err)) {
			srv_problem_err(r, &err);
			rc = 1;
		}
		pl_sweep_free(sw);
	}
	if (rc)
		prep_free(p);
	return rc ? -1 : 0;
}

/* ---- the job list ---- */

static srv_job *find_job(pl_server *s, const char *id)
{
	for (srv_job *j = s->jobs; j; j = j->next)
		if (strcmp(j->id, id) == 0)
			return j;
	return NULL;
}

static void persist(pl_server *s, const srv_job *j)
{
	pl_error err;
	pl_error_clear(&err);
	pl_store_job sj = {j->id,	  j->request, (int)j->state, j->progress,
			   j->result, j->error,	  j->error_status};
	if (pl_store_put_job(s->store, &sj, &err))
		srv_log(s, "store: job %s: %s", j->id, err.message);
}

/* A job of an earlier run; the list is newest first, so the oldest ends
 * last.  A job left running is queued again: a sweep depends only on its
 * request, so running it anew gives the same result. */
static int stored_job(void *ctx, const pl_store_job *sj)
{
	pl_server *s = ctx;
	srv_job *j = calloc(1, sizeof *j);
	if (!j || !(j->request = strdup(sj->request))) {
		free(j);
		return PL_ENOMEM;
	}
	snprintf(j->id, sizeof j->id, "%s", sj->id);
	j->state = sj->state >= JOB_QUEUED && sj->state <= JOB_CANCELLED ? (srv_job_state)sj->state
									 : JOB_FAILED;
	j->progress = sj->progress;
	snprintf(j->result, sizeof j->result, "%s", sj->result ? sj->result : "");
	snprintf(j->error, sizeof j->error, "%s", sj->error ? sj->error : "");
	j->error_status = sj->error_status;
	if (j->state == JOB_RUNNING || j->state == JOB_QUEUED) {
		j->state = JOB_QUEUED;
		j->progress = 0;
		s->n_active++;
	}
	j->next = s->jobs;
	s->jobs = j;
	return 0;
}

int srv_jobs_load(pl_server *s, pl_error *err)
{
	int rc = pl_store_each_job(s->store, stored_job, s, err);
	if (rc == PL_ENOMEM && err->code == PL_OK)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	return rc;
}

/* What a run ends with, set on the job under the lock. */
typedef struct job_end {
	srv_job_state state;
	int status;
	char result[65];
	char error[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
} job_end;

/* A failed job keeps the problem's detail. */
static void job_fail(job_end *e, int status, const char *problem)
{
	pl_request *p = NULL;
	const char *d = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (problem && !pl_request_parse(&p, problem, strlen(problem), &err))
		pl_request_string(p, "detail", &d, &err);
	e->state = JOB_FAILED;
	e->status = status;
	snprintf(e->error, sizeof e->error, "%s", d ? d : problem ? problem : "failed");
	pl_request_free(p);
}

static int cancelled(pl_server *s, srv_job *j)
{
	pthread_mutex_lock(&s->job_lock);
	int c = j->cancel || s->stopping;
	pthread_mutex_unlock(&s->job_lock);
	return c;
}

static void set_progress(pl_server *s, srv_job *j, double p)
{
	pthread_mutex_lock(&s->job_lock);
	j->progress = p;
	j->steps++;
	pthread_cond_broadcast(&s->job_changed);
	pthread_mutex_unlock(&s->job_lock);
}

/* Runs the sweep in chunks; 1 when it was stopped before the end. */
static int run_chunks(pl_server *s, srv_job *j, sweep_prep *p, pl_sweep **out, pl_error *err)
{
	uint64_t n = p->req.n, chunks = n < CHUNKS ? n : CHUNKS;
	pl_sweep *whole = NULL;
	for (uint64_t k = 0; k < chunks; k++) {
		if (cancelled(s, j)) {
			pl_sweep_free(whole);
			return 1;
		}
		pl_sweep_request o = p->req;
		o.first = n * k / chunks;
		o.count = n * (k + 1) / chunks - o.first;
		pl_sweep *part = NULL;
		void *buf = NULL;
		size_t len = 0;
		int rc = pl_sweep_run_request(&part, p->c.c, &o, err);
		if (!rc && whole)
			rc = pl_sweep_pack(part, &buf, &len, err);
		if (!rc && whole)
			rc = pl_sweep_merge(whole, buf, len, err);
		free(buf);
		if (!whole && !rc) {
			whole = part;
			part = NULL;
		}
		pl_sweep_free(part);
		if (rc) {
			pl_sweep_free(whole);
			return -1;
		}
		set_progress(s, j, (double)(k + 1) / (double)chunks);
	}
	*out = whole;
	return 0;
}

static void run_job(pl_server *s, srv_job *j)
{
	pl_http_response r = {0};
	pl_request *req = NULL;
	pl_error perr;
	pl_error_clear(&perr);
	pl_request_parse(&req, j->request, strlen(j->request), &perr);
	sweep_prep p;
	job_end e = {.state = JOB_DONE};
	if (!req || prepare(s, req, &p, &r)) {
		job_fail(&e, r.status ? r.status : 400, r.body);
	} else {
		pl_error err;
		pl_error_clear(&err);
		pl_sweep *sw = NULL;
		char *doc = NULL;
		int rc = run_chunks(s, j, &p, &sw, &err);
		if (rc == 1)
			e.state = JOB_RUNNING; /* stopped: see below */
		if (!rc)
			rc = pl_sweep_json(&doc, p.c.c, sw, &err);
		if (!rc)
			rc = pl_store_put_result(s->store, "application/json", doc, strlen(doc),
						 e.result, &err);
		if (rc < 0) {
			char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
			job_fail(&e, err.code == PL_EINPUT ? 400 : 500, NULL);
			snprintf(e.error, sizeof e.error, "%s",
				 pl_error_format(&err, buf, sizeof buf));
		}
		pl_free(doc);
		pl_sweep_free(sw);
		prep_free(&p);
	}
	pl_request_free(req);
	pl_http_response_clear(&r);
	pthread_mutex_lock(&s->job_lock);
	if (j->cancel) {
		j->state = JOB_CANCELLED; /* DELETE said so: no result */
	} else {
		/* JOB_RUNNING: the server stops; it runs again on the next open */
		j->state = e.state;
		j->error_status = e.status;
		snprintf(j->result, sizeof j->result, "%s", e.state == JOB_DONE ? e.result : "");
		snprintf(j->error, sizeof j->error, "%s", e.error);
		if (e.state == JOB_DONE)
			j->progress = 1;
	}
	if (j->state != JOB_RUNNING)
		s->n_active--;
	j->steps++;
	srv_job copy = *j;
	pthread_cond_broadcast(&s->job_changed);
	pthread_mutex_unlock(&s->job_lock);
	persist(s, &copy);
	if (copy.state != JOB_RUNNING)
		srv_log(s, "job %s %s", copy.id, state_name(copy.state));
}

static void *worker(void *arg)
{
	pl_server *s = arg;
	pthread_mutex_lock(&s->job_lock);
	while (!s->stopping) {
		srv_job *next = NULL;
		for (srv_job *j = s->jobs; j; j = j->next)
			if (j->state == JOB_QUEUED)
				next = j; /* the list is newest first: the last is the oldest */
		if (!next) {
			pthread_cond_wait(&s->job_cond, &s->job_lock);
			continue;
		}
		next->state = JOB_RUNNING;
		next->steps++;
		srv_job copy = *next;
		pthread_cond_broadcast(&s->job_changed);
		pthread_mutex_unlock(&s->job_lock);
		persist(s, &copy);
		run_job(s, next);
		pthread_mutex_lock(&s->job_lock);
	}
	pthread_mutex_unlock(&s->job_lock);
	return NULL;
}

int srv_jobs_start(pl_server *s, pl_error *err)
{
	s->job_threads = calloc(s->cfg.job_workers, sizeof *s->job_threads);
	if (!s->job_threads)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	for (unsigned k = 0; k < s->cfg.job_workers; k++) {
		if (pthread_create(&s->job_threads[k], NULL, worker, s))
			return pl_error_set(err, PL_EINTERNAL, NULL, "cannot start a job worker");
		s->n_job_threads++;
	}
	return PL_OK;
}

void srv_jobs_stop(pl_server *s)
{
	pthread_mutex_lock(&s->job_lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->job_cond);
	pthread_cond_broadcast(&s->job_changed);
	pthread_mutex_unlock(&s->job_lock);
	for (unsigned k = 0; k < s->n_job_threads; k++)
		pthread_join(s->job_threads[k], NULL);
	s->n_job_threads = 0;
	free(s->job_threads);
	s->job_threads = NULL;
}

void srv_jobs_free(pl_server *s)
{
	while (s->jobs) {
		srv_job *j = s->jobs;
		s->jobs = j->next;
		free(j->request);
		free(j);
	}
}

/* ---- endpoints ---- */

static pl_answer *job_answer(const srv_job *j)
{
	pl_answer *o = pl_answer_object();
	pl_answer_string(o, "id", j->id);
	pl_answer_string(o, "state", state_name(j->state));
	pl_answer_real(o, "progress", j->progress);
	char url[96];
	if (j->state == JOB_DONE) {
		snprintf(url, sizeof url, "/api/v1/jobs/%s/result", j->id);
		pl_answer_string(o, "result", url);
		pl_answer_string(o, "sha256", j->result);
	}
	if (j->state == JOB_FAILED)
		pl_answer_string(o, "error", j->error);
	return o;
}

void srv_api_sweeps(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "POST")) {
		srv_method_not_allowed(r, "POST");
		return;
	}
	pl_request *req = srv_body(q, r);
	sweep_prep p;
	if (!req || prepare(s, req, &p, r)) {
		pl_request_free(req);
		return;
	}
	prep_free(&p);
	pl_error err;
	pl_error_clear(&err);
	srv_job *j = calloc(1, sizeof *j);
	if (j && (pl_random_hex(j->id, 16, &err) || !(j->request = pl_request_canonical(req)))) {
		free(j);
		j = NULL;
	}
	pl_request_free(req);
	if (!j) {
		srv_problem(r, 500, "out of memory");
		return;
	}
	pthread_mutex_lock(&s->job_lock);
	int full = s->n_active >= s->cfg.job_queue;
	if (!full)
		s->n_active++;
	pthread_mutex_unlock(&s->job_lock);
	if (full) {
		free(j->request);
		free(j);
		srv_problemf(r, 429,
			     "the job queue is full (%u jobs queued or running); try again later",
			     s->cfg.job_queue);
		return;
	}
	persist(s, j);
	pthread_mutex_lock(&s->job_lock);
	j->next = s->jobs;
	s->jobs = j;
	pthread_cond_signal(&s->job_cond);
	pthread_mutex_unlock(&s->job_lock);
	snprintf(r->location, sizeof r->location, "/api/v1/jobs/%s", j->id);
	pl_answer *a = pl_answer_object();
	pl_answer_string(a, "job", j->id);
	srv_answer(r, 202, a);
}

static void job_result(pl_server *s, const srv_job *j, pl_http_response *r)
{
	if (j->state != JOB_DONE) {
		srv_problemf(r, 409, "job %s is %s: it has no result%s%s", j->id,
			     state_name(j->state), j->state == JOB_FAILED ? ": " : "",
			     j->state == JOB_FAILED ? j->error : "");
		return;
	}
	char sha[65], *data;
	size_t len;
	snprintf(sha, sizeof sha, "%s", j->result);
	pl_error err;
	pl_error_clear(&err);
	if (pl_store_get_result(s->store, sha, &data, &len, &err)) {
		srv_problem_err(r, &err);
		return;
	}
	srv_bytes(r, 200, "application/json", data, len);
}

void srv_api_job(pl_server *s, const pl_http_request *q, pl_http_response *r, const char *id,
		 const char *what)
{
	int del = strcmp(q->method, "DELETE") == 0;
	if (what && strcmp(what, "result") && strcmp(what, "events")) {
		srv_problemf(r, 404, "no resource %.200s", q->path);
		return;
	}
	if (strcmp(q->method, "GET") && (what || !del)) {
		srv_method_not_allowed(r, what ? "GET" : "GET, DELETE");
		return;
	}
	pthread_mutex_lock(&s->job_lock);
	srv_job *j = find_job(s, id);
	srv_job copy;
	if (j && del && (j->state == JOB_QUEUED || j->state == JOB_RUNNING)) {
		j->cancel = 1;
		if (j->state == JOB_QUEUED)
			s->n_active--;
		j->state = JOB_CANCELLED;
		j->steps++;
		pthread_cond_broadcast(&s->job_changed);
	}
	if (j)
		copy = *j;
	pthread_mutex_unlock(&s->job_lock);
	if (!j) {
		srv_problemf(r, 404, "no job '%.64s'", id);
		return;
	}
	if (del && copy.state != JOB_CANCELLED) {
		srv_problemf(r, 409, "job %s has ended (%s): nothing to cancel", id,
			     state_name(copy.state));
		return;
	}
	if (del) {
		persist(s, &copy);
		srv_log(s, "job %s cancelled", id);
	}
	if (what && strcmp(what, "result") == 0) {
		job_result(s, &copy, r);
		return;
	}
	if (what) { /* events: the face streams them */
		snprintf(r->stream_job, sizeof r->stream_job, "%s", id);
		r->status = 200;
		r->content_type = "text/event-stream";
		return;
	}
	srv_answer(r, 200, job_answer(&copy));
}

static int ended(srv_job_state st)
{
	return st == JOB_DONE || st == JOB_FAILED || st == JOB_CANCELLED;
}

int pl_server_job_events(pl_server *s, const char *id, unsigned *seen, int wait_ms, char **out)
{
	*out = NULL;
	pthread_mutex_lock(&s->job_lock);
	srv_job *j = find_job(s, id);
	if (!j) {
		pthread_mutex_unlock(&s->job_lock);
		return PL_ENOTFOUND;
	}
	if (*seen && j->steps == *seen && !ended(j->state) && !s->stopping) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_sec += wait_ms / 1000;
		t.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->job_changed, &s->job_lock, &t);
	}
	srv_job copy = *j;
	int news = j->steps != *seen || *seen == 0;
	*seen = j->steps ? j->steps : 1;
	pthread_mutex_unlock(&s->job_lock);
	int end = ended(copy.state);
	if (!news) {
		*out = strdup(": waiting\n\n"); /* a comment keeps the connection alive */
		return *out ? 0 : PL_ENOMEM;
	}
	char *data = pl_answer_text(job_answer(&copy), PL_ANSWER_COMPACT);
	size_t len = (data ? strlen(data) : 0) + 64;
	*out = data ? malloc(len) : NULL;
	if (*out)
		snprintf(*out, len, "event: %s\ndata: %s\n\n",
			 end ? state_name(copy.state) : "progress", data);
	free(data);
	if (!*out)
		return PL_ENOMEM;
	return end ? 1 : s->stopping ? 1 : 0;
}
