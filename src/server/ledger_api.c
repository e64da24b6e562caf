/* ledger_api.c - the permanent channel over HTTP: the checkpoint, entries
 * signed offline by the parties (answered with an offline bundle), entries
 * read back (a private body only to a channel member who signs the
 * request), inclusion and consistency proofs, witnesses' cosignatures, and
 * the operator's calls (register a party, open a channel) behind the bearer
 * token.  One writing handle appends, under ledger_lock: appends from many
 * clients at once are serialized (a leader appends every waiting entry in
 * one transaction), none refused wrongly.  Reads and bundles go to
 * read-only handles that follow the writer (pl_ledger_refresh), one per
 * computing slot, so they run side by side and wait for no append. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_internal.h"

/* A viewer that is no party (a space is in no valid name): it sees the
 * public bodies only. */
#define NOBODY " "

typedef struct srv_reader {
	pthread_mutex_t lock;
	pl_ledger *lg;
} srv_reader;

int srv_ledger_open(pl_server *s, pl_error *err)
{
	if (!s->cfg.log_key_path)
		return pl_error_set(err, PL_EINPUT, "--ledger", "needs --log-key (the log's key)");
	int rc = pl_key_read_file(s->cfg.log_key_path, &s->log_key, err);
	if (rc)
		return rc;
	if (!s->log_key.has_secret)
		return pl_error_set(err, PL_EINPUT, s->cfg.log_key_path,
				    "the log's secret key is needed (it signs checkpoints)");
	s->has_log_key = 1;
	if ((rc = pl_ledger_open(s->cfg.ledger_path, &s->ledger, err)))
		return rc;
	if (memcmp(pl_ledger_log_key(s->ledger)->pub, s->log_key.pub, 32))
		return pl_error_set(err, PL_EINPUT, s->cfg.log_key_path,
				    "is not the key of the log %s", s->cfg.ledger_path);
	unsigned n = s->cfg.workers < 2 ? 2 : s->cfg.workers > 8 ? 8 : s->cfg.workers;
	if (!(s->readers = calloc(n, sizeof *s->readers)))
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	for (; s->n_readers < n; s->n_readers++) {
		srv_reader *rd = &s->readers[s->n_readers];
		if ((rc = pl_ledger_open_read_only(s->cfg.ledger_path, &rd->lg, err)))
			return rc;
		if (pthread_mutex_init(&rd->lock, NULL)) {
			pl_ledger_close(rd->lg);
			return pl_error_set(err, PL_EINTERNAL, NULL, "cannot create locks");
		}
	}
	return PL_OK;
}

void srv_ledger_close(pl_server *s)
{
	for (unsigned k = 0; k < s->n_readers; k++) {
		pl_ledger_close(s->readers[k].lg);
		pthread_mutex_destroy(&s->readers[k].lock);
	}
	free(s->readers);
	s->readers = NULL;
	s->n_readers = 0;
	pl_ledger_close(s->ledger);
	s->ledger = NULL;
	pl_key_wipe(&s->log_key);
}

/* A reader for this request, locked and brought up to the latest commit:
 * a free one when there is one, else the next in turn. */
static srv_reader *reader_take(pl_server *s, pl_error *err)
{
	unsigned start = __atomic_fetch_add(&s->next_reader, 1, __ATOMIC_RELAXED);
	srv_reader *rd = NULL;
	for (unsigned k = 0; k < s->n_readers && !rd; k++) {
		srv_reader *c = &s->readers[(start + k) % s->n_readers];
		if (pthread_mutex_trylock(&c->lock) == 0)
			rd = c;
	}
	if (!rd) {
		rd = &s->readers[start % s->n_readers];
		pthread_mutex_lock(&rd->lock);
	}
	if (pl_ledger_refresh(rd->lg, err)) {
		pthread_mutex_unlock(&rd->lock);
		return NULL;
	}
	return rd;
}

static void reader_give(srv_reader *rd)
{
	pthread_mutex_unlock(&rd->lock);
}

/* ---- who asks ---- */

/* The operator's bearer token, compared in constant time (both sides
 * hashed first, so the time does not depend on the length either).
 * Answers 401/403, logs the attempt and returns -1 when it is not there. */
static int operator_only(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	const char *a = q->authorization;
	if (!s->token[0]) {
		srv_log(s, "refused %s %s: no operator token is configured", q->method, q->path);
		srv_problem(r, 403, "operator calls are disabled: the server has no --token-file");
		return -1;
	}
	if (!a || strncmp(a, "Bearer ", 7)) {
		srv_log(s, "refused %s %s: no bearer token", q->method, q->path);
		srv_problem(r, 401, "operator call: Authorization: Bearer TOKEN is required");
		return -1;
	}
	if (!pl_secret_equal(a + 7, s->token)) {
		srv_log(s, "refused %s %s: wrong bearer token", q->method, q->path);
		srv_problem(r, 403, "operator call: the bearer token is not the operator's");
		return -1;
	}
	return 0;
}

/* A signed request: the viewer, NOBODY when unsigned; -1 (401 answered)
 * when the signature does not hold. */
static int signed_viewer(pl_server *s, const pl_ledger *lg, const pl_http_request *q,
			 char *viewer, size_t size, pl_http_response *r)
{
	snprintf(viewer, size, NOBODY);
	if (!q->party && !q->signature && !q->sig_time)
		return 0;
	pl_error err;
	pl_error_clear(&err);
	if (pl_ledger_verify_request(lg, q->party, q->method, q->path, q->sig_time, q->signature,
				     q->now, &err)) {
		if (strcmp(err.where, "Parley-Signature") == 0 && q->party)
			srv_log(s, "refused %s %s: bad request signature for %.128s", q->method,
				q->path, q->party);
		if (strcmp(err.where, "request") == 0)
			srv_problem(r, 401, err.message);
		else
			srv_problemf(r, 401, "%s: %s", err.where, err.message);
		return -1;
	}
	snprintf(viewer, size, "%s", q->party);
	return 0;
}

int pl_server_sign_request(const char *key_path, const char *method, const char *path,
			   uint64_t time, char **sig, pl_error *err)
{
	pl_key k;
	*sig = NULL;
	int rc = pl_key_read_file(key_path, &k, err);
	if (rc)
		return rc;
	rc = pl_request_sign(&k, method, path, time, sig, err);
	pl_key_wipe(&k);
	return rc;
}

/* ---- answers under the lock ---- */

/* After an append: a fresh checkpoint, then the entry's bundle. */
static void answer_bundle(pl_server *s, uint64_t index, pl_http_response *r)
{
	pl_error err;
	pl_error_clear(&err);
	char *note = NULL, *bundle = NULL;
	int rc = pl_ledger_checkpoint(s->ledger, &s->log_key, &note, &err);
	if (!rc)
		rc = pl_ledger_bundle(s->ledger, index, NULL, &bundle, &err);
	pl_free(note);
	if (rc) {
		srv_problem_err(r, &err);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/ledger/entries/%" PRIu64, index);
	srv_bytes(r, 201, "application/json", bundle, strlen(bundle));
}

/* An entry waiting to be appended. */
typedef struct srv_pending {
	pl_signed_entry *e;
	uint64_t index;
	pl_error err;
	int rc, done;
	pthread_cond_t cond; /* its turn: done, or to lead */
	struct srv_pending *next;
} srv_pending;

#define BATCH_MAX 256

/* The leader: appends a batch of waiting entries in one transaction (one
 * sync to disk for all), then signs one checkpoint that covers them all. */
static void append_batch(pl_server *s, srv_pending **batch, size_t n)
{
	pl_signed_entry *es[BATCH_MAX];
	size_t accepted = 0;
	uint64_t idx[BATCH_MAX];
	pl_error errs[BATCH_MAX], err;
	for (size_t k = 0; k < n; k++) {
		es[k] = batch[k]->e;
		pl_error_clear(&errs[k]);
	}
	pl_error_clear(&err);
	pthread_mutex_lock(&s->ledger_lock);
	int rc = pl_ledger_append_prepared(s->ledger, n, es, idx, errs, &err);
	for (size_t k = 0; k < n && rc == PL_OK; k++)
		accepted += errs[k].code == PL_OK;
	char *note = NULL;
	if (rc == PL_OK && accepted)
		rc = pl_ledger_checkpoint(s->ledger, &s->log_key, &note, &err);
	pthread_mutex_unlock(&s->ledger_lock);
	pl_free(note);
	for (size_t k = 0; k < n; k++) {
		batch[k]->rc = rc ? rc : errs[k].code;
		batch[k]->err = rc ? err : errs[k];
		batch[k]->index = idx[k];
	}
}

/* Queues the entry; the first request to find no leader appends everything
 * queued, the others wait for it.  Many clients, one transaction.  Each
 * waits on its own condition, so a batch wakes its own members and the
 * next leader, not every waiting request. */
static void append_queued(pl_server *s, srv_pending *p)
{
	pthread_cond_init(&p->cond, NULL);
	pthread_mutex_lock(&s->append_lock);
	if (s->queue_tail)
		s->queue_tail->next = p;
	else
		s->queue = p;
	s->queue_tail = p;
	while (!p->done) {
		if (s->appending) {
			pthread_cond_wait(&p->cond, &s->append_lock);
			continue;
		}
		srv_pending *batch[BATCH_MAX];
		size_t n = 0;
		while (s->queue && n < BATCH_MAX) {
			batch[n++] = s->queue;
			s->queue = s->queue->next;
		}
		if (!s->queue)
			s->queue_tail = NULL;
		s->appending = 1;
		pthread_mutex_unlock(&s->append_lock);
		append_batch(s, batch, n);
		pthread_mutex_lock(&s->append_lock);
		for (size_t k = 0; k < n; k++) {
			batch[k]->done = 1;
			pthread_cond_signal(&batch[k]->cond);
		}
		s->appending = 0;
		if (s->queue) /* the next leader */
			pthread_cond_signal(&s->queue->cond);
	}
	pthread_mutex_unlock(&s->append_lock);
	pthread_cond_destroy(&p->cond);
}

static void post_entry(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (!q->body || !q->body_len) {
		srv_problem(r, 400,
			    "request body: a signed entry (parley ledger sign) is required");
		return;
	}
	/* parsed and its signature verified here, side by side with other
	 * requests; only the append itself waits for the writer */
	srv_pending p = {.rc = 0};
	pl_error_clear(&p.err);
	srv_reader *rd = reader_take(s, &p.err);
	p.rc = rd ? pl_signed_entry_prepare(rd->lg, q->body, q->body_len, &p.e, &p.err)
		  : p.err.code;
	if (rd)
		reader_give(rd);
	if (!p.rc)
		append_queued(s, &p);
	pl_signed_entry_free(p.e);
	if (p.rc) {
		char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
		srv_log(s, "refused entry: %s", pl_error_format(&p.err, buf, sizeof buf));
		srv_problem_err(r, &p.err);
		return;
	}
	pl_error err;
	pl_error_clear(&err);
	char *bundle = NULL;
	rd = reader_take(s, &err);
	int rc = rd ? pl_ledger_bundle(rd->lg, p.index, NULL, &bundle, &err) : err.code;
	if (rd)
		reader_give(rd);
	if (rc) {
		srv_problem_err(r, &err);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/ledger/entries/%" PRIu64, p.index);
	srv_bytes(r, 201, "application/json", bundle, strlen(bundle));
}

/* The operator's party and channel entries, signed by the log key. */
static void operator_entry(pl_server *s, const pl_http_request *q, pl_http_response *r, int channel)
{
	if (operator_only(s, q, r))
		return;
	pl_request *req = srv_body(q, r);
	if (!req)
		return;
	static const char *const pm[] = {"id", "key", "name", "role", "time", NULL};
	static const char *const cm[] = {"id", "name", "members", "time", NULL};
	const char *id = NULL, *key = NULL, *name = NULL, *role = "delegation", *t = NULL;
	char *members = NULL, *text = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_request_check_members(req, channel ? cm : pm, &err) ||
	    pl_request_string(req, "id", &id, &err) || pl_request_string(req, "key", &key, &err) ||
	    pl_request_string(req, "name", &name, &err) ||
	    pl_request_string(req, "role", &role, &err) ||
	    pl_request_string(req, "time", &t, &err)) {
		srv_problem_err(r, &err);
		goto done;
	}
	if (!id || (!channel && !key) ||
	    (channel && pl_request_kind(req, "members") != PL_MEMBER_ARRAY)) {
		srv_problem(r, 400,
			    channel ? "request body: $.id and $.members (an array of party "
				      "ids) are required"
				    : "request body: $.id and $.key (the party's verifier key "
				      "text) are required");
		goto done;
	}
	pl_answer *body = pl_answer_object();
	pl_answer_string(body, "id", id);
	if (channel) {
		members = pl_request_member_text(req, "members");
		pl_answer_string(body, "name", name ? name : id);
		pl_answer_json(body, "members", members);
	} else {
		pl_answer_string(body, "key", key);
		pl_answer_string(body, "name", name ? name : id);
		pl_answer_string(body, "role", role);
	}
	text = pl_answer_text(body, PL_ANSWER_COMPACT);
	pl_entry_in in = {channel ? PL_ENTRY_CHANNEL : PL_ENTRY_PARTY,
			  PL_LEDGER_PUBLIC_CHANNEL,
			  t,
			  text,
			  &s->log_key,
			  NULL};
	uint64_t index;
	pthread_mutex_lock(&s->ledger_lock);
	if (!text)
		srv_problem(r, 500, "out of memory");
	else if (pl_ledger_append(s->ledger, &in, 1, &index, &err))
		srv_problem_err(r, &err);
	else
		answer_bundle(s, index, r);
	pthread_mutex_unlock(&s->ledger_lock);
	if (r->status == 201)
		srv_log(s, "operator: %s %s registered", channel ? "channel" : "party", id);
done:
	free(text);
	free(members);
	pl_request_free(req);
}

static int parse_u64(const char *t, uint64_t *out)
{
	char *end;
	if (!t || !*t || *t < '0' || *t > '9')
		return -1;
	*out = strtoull(t, &end, 10);
	return *end && *end != '&' ? -1 : 0;
}

static void get_entry(pl_server *s, const pl_http_request *q, pl_http_response *r, const char *idx,
		      const char *what)
{
	uint64_t index, size;
	if (parse_u64(idx, &index)) {
		srv_problemf(r, 404, "no entry '%.64s' (entries are numbered from 0)", idx);
		return;
	}
	char viewer[PL_LEDGER_NAME_MAX + 1];
	pl_error err;
	pl_error_clear(&err);
	char *json = NULL;
	int rc;
	srv_reader *rd = reader_take(s, &err);
	if (!rd) {
		srv_problem_err(r, &err);
		return;
	}
	pl_ledger *lg = rd->lg;
	if (signed_viewer(s, lg, q, viewer, sizeof viewer, r)) {
		reader_give(rd);
		return;
	}
	size = pl_ledger_size(lg);
	char qbuf[32];
	const char *qs = srv_query_arg(q->query, "size", qbuf, sizeof qbuf);
	if (index >= size) {
		rc = pl_error_set(&err, PL_ENOTFOUND, idx,
				  "no such entry: the log has %" PRIu64 " entries", size);
	} else if (what && strcmp(what, "proof") == 0) {
		if (qs && parse_u64(qs, &size))
			rc = pl_error_set(&err, PL_EINPUT, "?size", "must be a whole number");
		else
			rc = pl_ledger_inclusion_proof(lg, index, size, &json, &err);
	} else if (what) {
		rc = pl_ledger_bundle(lg, index, viewer, &json, &err);
	} else {
		rc = pl_ledger_show(lg, index, viewer, &json, &err);
	}
	reader_give(rd);
	if (rc == PL_ENOTFOUND)
		srv_problemf(r, 404, "%s: %s", err.where, err.message);
	else if (rc)
		srv_problem_err(r, &err);
	else
		srv_bytes(r, 200, "application/json", json, strlen(json));
}

static void consistency(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	uint64_t a, b;
	char b1[32], b2[32];
	if (parse_u64(srv_query_arg(q->query, "from", b1, sizeof b1), &a) ||
	    parse_u64(srv_query_arg(q->query, "to", b2, sizeof b2), &b)) {
		srv_problem(r, 400, "?from=SIZE1&to=SIZE2: two whole numbers are required");
		return;
	}
	pl_error err;
	pl_error_clear(&err);
	char *json = NULL;
	srv_reader *rd = reader_take(s, &err);
	int rc = rd ? pl_ledger_consistency_proof(rd->lg, a, b, &json, &err) : err.code;
	if (rd)
		reader_give(rd);
	if (rc) {
		srv_problem_err(r, &err);
		return;
	}
	srv_bytes(r, 200, "application/json", json, strlen(json));
}

static void checkpoint(pl_server *s, pl_http_response *r)
{
	pl_error err;
	pl_error_clear(&err);
	char *note = NULL;
	srv_reader *rd = reader_take(s, &err);
	int rc = rd ? pl_ledger_latest_checkpoint(rd->lg, &note, &err) : err.code;
	if (rd)
		reader_give(rd);
	if (rc == PL_ENOTFOUND || (!rc && !note)) { /* none stored yet: sign the tree */
		pl_error_clear(&err);
		pthread_mutex_lock(&s->ledger_lock);
		rc = pl_ledger_checkpoint(s->ledger, &s->log_key, &note, &err);
		pthread_mutex_unlock(&s->ledger_lock);
	}
	if (rc) {
		srv_problem_err(r, &err);
		return;
	}
	srv_bytes(r, 200, "text/plain; charset=utf-8", note, strlen(note));
}

/* GET /api/v1/ledger/status[?as_of=TIME]: the document `parley ledger status
 * --json` prints (commitments, their state, each party's trust) as the
 * party that signs the request sees it; unsigned, the public channel's. */
static void status(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	char viewer[PL_LEDGER_NAME_MAX + 1], as_of[64];
	const char *t = srv_query_arg(q->query, "as_of", as_of, sizeof as_of);
	pl_error err;
	pl_error_clear(&err);
	char *json = NULL;
	srv_reader *rd = reader_take(s, &err);
	if (!rd) {
		srv_problem_err(r, &err);
		return;
	}
	if (signed_viewer(s, rd->lg, q, viewer, sizeof viewer, r)) {
		reader_give(rd);
		return;
	}
	int rc = pl_ledger_status_json(&json, rd->lg, viewer, t, NULL, &err);
	reader_give(rd);
	if (rc)
		srv_problem_err(r, &err);
	else
		srv_bytes(r, 200, "application/json", json, strlen(json));
}

/* The log's verifier key (C2SP signed-note "name+hexid+base64"), with which
 * a reader checks checkpoints; the dashboard shows it for comparison with
 * the key the reader got from the operator by other means. */
static void log_vkey(pl_server *s, pl_http_response *r)
{
	char buf[512];
	if (pl_key_format_vkey(&s->log_key, buf, sizeof buf - 1)) {
		srv_problem(r, 500, "the log's verifier key cannot be formatted");
		return;
	}
	strcat(buf, "\n");
	char *text = strdup(buf);
	if (!text) {
		srv_problem(r, 500, "out of memory");
		return;
	}
	srv_bytes(r, 200, "text/plain; charset=utf-8", text, strlen(text));
}

static void cosignatures(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	char *note = q->body ? malloc(q->body_len + 1) : NULL;
	if (!note) {
		srv_problem(r, 400, "request body: a cosigned checkpoint note is required");
		return;
	}
	memcpy(note, q->body, q->body_len);
	note[q->body_len] = '\0';
	pl_error err;
	pl_error_clear(&err);
	size_t added = 0;
	pthread_mutex_lock(&s->ledger_lock);
	int rc = pl_ledger_add_cosignatures(s->ledger, note, &added, &err);
	pthread_mutex_unlock(&s->ledger_lock);
	free(note);
	if (rc) {
		srv_problem_err(r, &err);
		return;
	}
	pl_answer *a = pl_answer_object();
	pl_answer_int(a, "added", (long long)added);
	srv_answer(r, 200, a);
}

void srv_api_ledger(pl_server *s, const pl_http_request *q, pl_http_response *r, char **seg,
		    size_t n)
{
	const char *m = q->method, *a = seg[0];
	int get = strcmp(m, "GET") == 0, post = strcmp(m, "POST") == 0;
	if (!s->ledger) {
		srv_problem(r, 404,
			    "this server keeps no ledger (parley serve --ledger DB "
			    "--log-key KEY)");
		return;
	}
	if (n == 1 && strcmp(a, "checkpoint") == 0) {
		get ? checkpoint(s, r) : srv_method_not_allowed(r, "GET");
		return;
	}
	if (n == 1 && strcmp(a, "status") == 0) {
		get ? status(s, q, r) : srv_method_not_allowed(r, "GET");
		return;
	}
	if (n == 1 && strcmp(a, "log-key") == 0) {
		get ? log_vkey(s, r) : srv_method_not_allowed(r, "GET");
		return;
	}
	if (n == 1 && strcmp(a, "entries") == 0) {
		post ? post_entry(s, q, r) : srv_method_not_allowed(r, "POST");
		return;
	}
	if ((n == 2 || n == 3) && strcmp(a, "entries") == 0) {
		if (n == 3 && strcmp(seg[2], "proof") && strcmp(seg[2], "bundle")) {
			srv_problemf(r, 404, "no resource %.200s", q->path);
			return;
		}
		{
			get ? get_entry(s, q, r, seg[1], n == 3 ? seg[2] : NULL)
			    : srv_method_not_allowed(r, "GET");
			return;
		}
	}
	if (n == 1 && strcmp(a, "consistency") == 0) {
		get ? consistency(s, q, r) : srv_method_not_allowed(r, "GET");
		return;
	}
	if (n == 1 && strcmp(a, "cosignatures") == 0) {
		post ? cosignatures(s, q, r) : srv_method_not_allowed(r, "POST");
		return;
	}
	if (n == 1 && (strcmp(a, "parties") == 0 || strcmp(a, "channels") == 0)) {
		post ? operator_entry(s, q, r, a[0] == 'c') : srv_method_not_allowed(r, "POST");
		return;
	}
	srv_problemf(r, 404, "no resource %.200s", q->path);
}
