/* trust.c - commitment lifecycle and trust scores derived from the log.
 *
 * A commitment is pledged when made; a partial verification moves it to in
 * progress; a verified report to verified; a violated report to violated
 * (also after verified: a freeze can be broken later); the committer's
 * withdrawal to withdrawn; an open commitment whose deadline passed is
 * expired.  Trust is a beta reputation (Josang and Ismail 2002) with
 * exponential forgetting; docs/ledger.md states the formula. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ledger/ledger_internal.h"

static const char *const state_names[] = {"pledged",  "in progress", "verified",
					  "violated", "withdrawn",   "expired"};

const char *pl_commitment_state_name(pl_commitment_state s)
{
	return (unsigned)s < 6 ? state_names[s] : "?";
}

void pl_trust_params_default(pl_trust_params *p)
{
	p->half_life_days = 365.0;
	p->prior_pos = 1.0;
	p->prior_neg = 1.0;
}

typedef struct clist {
	pl_commitment *v;
	size_t n, cap;
} clist;

static pl_commitment *find_by_index(clist *l, uint64_t idx)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->v[mid].index < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < l->n && l->v[lo].index == idx) ? &l->v[lo] : NULL;
}

static int add_commitment(clist *l, uint64_t idx, const char *leaf, const pl__record *r, json_t *b)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 16;
		void *p = realloc(l->v, nc * sizeof *l->v);
		if (!p)
			return PL_ENOMEM;
		l->v = p;
		l->cap = nc;
	}
	pl_commitment *c = &l->v[l->n++];
	memset(c, 0, sizeof *c);
	uint8_t lh[PL_HASH_SIZE];
	pl_merkle_leaf_hash(leaf, strlen(leaf), lh);
	pl__hex(lh, PL_HASH_SIZE, c->id);
	c->index = idx;
	snprintf(c->party, sizeof c->party, "%s", r->author);
	snprintf(c->channel, sizeof c->channel, "%s", r->channel);
	const char *a = json_string_value(json_object_get(b, "action"));
	const char *d = json_string_value(json_object_get(b, "deadline"));
	snprintf(c->action, sizeof c->action, "%s", a ? a : "");
	snprintf(c->deadline, sizeof c->deadline, "%s", d ? d : "");
	c->state = PL_COMMIT_PLEDGED;
	snprintf(c->since, sizeof c->since, "%s", r->time);
	return PL_OK;
}

static void apply_report(pl_commitment *c, const pl__record *r, json_t *b)
{
	const char *res = json_string_value(json_object_get(b, "result"));
	pl_commitment_state to = c->state;
	int open = c->state == PL_COMMIT_PLEDGED || c->state == PL_COMMIT_IN_PROGRESS;
	if (r->kind == PL_ENTRY_WITHDRAWAL) {
		if (open)
			to = PL_COMMIT_WITHDRAWN;
	} else if (res && strcmp(res, "partial") == 0) {
		if (open)
			to = PL_COMMIT_IN_PROGRESS;
	} else if (res && strcmp(res, "verified") == 0) {
		if (open)
			to = PL_COMMIT_VERIFIED;
	} else if (res && strcmp(res, "violated") == 0) {
		if (open || c->state == PL_COMMIT_VERIFIED)
			to = PL_COMMIT_VIOLATED;
	}
	if (to != c->state) {
		c->state = to;
		snprintf(c->since, sizeof c->since, "%s", r->time);
	}
}

/* One entry of the scan: a commitment, or a report on one. */
static int scan_row(pl_ledger *lg, clist *l, const char *viewer, const char *as_of, uint64_t idx,
		    const char *leaf, const char *body)
{
	pl__record r;
	if (pl__record_parse_trusted(leaf, strlen(leaf), &r) != PL_OK)
		return PL_EINPUT;
	if (as_of && strcmp(r.time, as_of) > 0)
		return PL_OK;
	if (viewer && !pl__state_is_member(&lg->st, r.channel, viewer))
		return PL_OK;
	json_t *b = json_loads(body, 0, NULL);
	int rc = PL_OK;
	if (r.kind == PL_ENTRY_COMMITMENT) {
		rc = add_commitment(l, idx, leaf, &r, b);
	} else {
		uint8_t h[PL_HASH_SIZE];
		pl__commit_ref ref;
		const char *id = json_string_value(json_object_get(b, "commitment"));
		if (id && pl__unhex(id, h, PL_HASH_SIZE) == 0 &&
		    pl__find_commit_db(lg, h, idx, &ref) == 0) {
			pl_commitment *c = find_by_index(l, ref.index);
			if (c)
				apply_report(c, &r, b);
		}
	}
	json_decref(b);
	return rc;
}

/* The commitments and, in latest, the time they are judged at: as_of or
 * the latest visible entry's time. */
static int commitments_at(pl_ledger *lg, const char *viewer, const char *as_of, pl_commitment **out,
			  size_t *n, char latest[32], pl_error *err)
{
	clist l = {0};
	latest[0] = '\0';
	*out = NULL;
	*n = 0;
	if (as_of && pl__time_parse(as_of, NULL) != 0)
		return pl_error_set(err, PL_EINPUT, "as-of", "'%s' is not YYYY-MM-DDTHH:MM:SSZ",
				    as_of);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT idx, leaf, body FROM entries WHERE kind IN"
			       " ('commitment', 'verification', 'withdrawal') ORDER BY idx",
			       -1, &st, NULL) != SQLITE_OK)
		return pl_error_set(err, PL_EIO, lg->path, "cannot read entries");
	int rc = PL_OK;
	while (rc == PL_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *leaf = (const char *)sqlite3_column_text(st, 1);
		const char *body = (const char *)sqlite3_column_text(st, 2);
		if (!leaf || !body) {
			rc = PL_EINPUT;
			break;
		}
		rc = scan_row(lg, &l, viewer, as_of, (uint64_t)sqlite3_column_int64(st, 0), leaf,
			      body);
		pl__record r;
		if (rc == PL_OK && pl__record_parse_trusted(leaf, strlen(leaf), &r) == PL_OK &&
		    strcmp(r.time, latest) > 0 && (!as_of || strcmp(r.time, as_of) <= 0))
			snprintf(latest, 32, "%s", r.time);
	}
	sqlite3_finalize(st);
	if (rc != PL_OK) {
		free(l.v);
		return pl_error_set(err, rc, lg->path, "an entry cannot be read: run audit");
	}
	const char *now = as_of ? as_of : latest;
	for (size_t i = 0; i < l.n; i++) {
		pl_commitment *c = &l.v[i];
		int open = c->state == PL_COMMIT_PLEDGED || c->state == PL_COMMIT_IN_PROGRESS;
		if (open && c->deadline[0] && strcmp(c->deadline, now) < 0) {
			c->state = PL_COMMIT_EXPIRED;
			snprintf(c->since, sizeof c->since, "%s", c->deadline);
		}
	}
	*out = l.v;
	*n = l.n;
	if (as_of)
		snprintf(latest, 32, "%s", as_of);
	return PL_OK;
}

int pl_ledger_commitments(pl_ledger *lg, const char *viewer, const char *as_of, pl_commitment **out,
			  size_t *n, pl_error *err)
{
	char latest[32];
	return commitments_at(lg, viewer, as_of, out, n, latest, err);
}

/* Evidence of an outcome: +1 kept, -1 broken, -0.5 withdrawn, 0 open. */
static double outcome(pl_commitment_state s)
{
	switch (s) {
	case PL_COMMIT_VERIFIED: return 1.0;
	case PL_COMMIT_VIOLATED:
	case PL_COMMIT_EXPIRED: return -1.0;
	case PL_COMMIT_WITHDRAWN: return -0.5;
	default: return 0.0;
	}
}

int pl_ledger_trust(pl_ledger *lg, const char *viewer, const char *as_of,
		    const pl_trust_params *params, pl_trust **out, size_t *n, pl_error *err)
{
	pl_trust_params def;
	if (!params) {
		pl_trust_params_default(&def);
		params = &def;
	}
	*out = NULL;
	*n = 0;
	if (!(params->half_life_days > 0) || !(params->prior_pos > 0) || !(params->prior_neg > 0))
		return pl_error_set(err, PL_EINPUT, "trust",
				    "half-life and priors must be positive");
	pl_commitment *c;
	size_t nc;
	char latest[32];
	if (commitments_at(lg, viewer, as_of, &c, &nc, latest, err) != PL_OK)
		return PL_EINPUT;
	double now = latest[0] ? pl__time_days(latest) : 0;
	pl_trust *t = calloc(lg->st.nparties ? lg->st.nparties : 1, sizeof *t);
	if (!t) {
		free(c);
		return pl_error_set(err, PL_ENOMEM, "trust", "out of memory");
	}
	for (size_t p = 0; p < lg->st.nparties; p++) {
		pl_trust *x = &t[p];
		snprintf(x->party, sizeof x->party, "%s", lg->st.parties[p].key.name);
		for (size_t i = 0; i < nc; i++) {
			if (strcmp(c[i].party, x->party) != 0)
				continue;
			double o = outcome(c[i].state);
			double age = now - pl__time_days(c[i].since);
			double w = pow(2.0, -(age > 0 ? age : 0) / params->half_life_days);
			if (o > 0)
				x->pos += o * w, x->kept++;
			else if (o < 0)
				x->neg += -o * w, x->broken++;
			else
				x->open++;
		}
		x->score = (x->pos + params->prior_pos) /
			   (x->pos + x->neg + params->prior_pos + params->prior_neg);
	}
	free(c);
	*out = t;
	*n = lg->st.nparties;
	return PL_OK;
}

int pl_trust_capability_factors(const pl_trust *t, size_t nt, const char *const *actor_ids,
				size_t n_actors, double weight, double *factor, pl_error *err)
{
	if (!(weight >= 0 && weight <= 1))
		return pl_error_set(err, PL_EINPUT, "trust weight", "must be between 0 and 1");
	for (size_t a = 0; a < n_actors; a++) {
		factor[a] = 1.0;
		for (size_t i = 0; i < nt; i++)
			if (actor_ids[a] && strcmp(actor_ids[a], t[i].party) == 0)
				factor[a] = 1.0 + weight * (2.0 * t[i].score - 1.0);
	}
	return PL_OK;
}
