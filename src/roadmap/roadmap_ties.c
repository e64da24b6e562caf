/* roadmap_ties.c - what ties a roadmap to the rest of parley: step values
 * derived from a case's positions and saliences ("moves"), a party's
 * tolerance widened by the ledger's trust in its counterparts, and the plan
 * recorded in the ledger as commitments (docs/roadmap.md, "Ties"). */
#include "roadmap/roadmap_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* reach[a * ns + b]: step a comes (through "after") after step b. */
static unsigned char *reachability(const pl_roadmap *r)
{
	size_t n = r->ns;
	unsigned char *m = calloc(n * n, 1);
	if (!m)
		return NULL;
	for (size_t a = 0; a < n; a++)
		for (size_t k = 0; k < r->step[a].n_after; k++)
			m[a * n + r->step[a].after[k]] = 1;
	for (size_t k = 0; k < n; k++) /* Warshall */
		for (size_t a = 0; a < n; a++)
			if (m[a * n + k])
				for (size_t b = 0; b < n; b++)
					m[a * n + b] |= m[k * n + b];
	return m;
}

static int find_move(const pl_rm_step *st, const char *issue)
{
	for (size_t m = 0; m < st->n_moves; m++)
		if (strcmp(st->moves[m].issue, issue) == 0)
			return (int)m;
	return -1;
}

/* Where issue i stands before step s moves it: the "to" of the latest
 * earlier step that moves it, else the status quo. */
static int move_from(const pl_roadmap *r, const unsigned char *reach, size_t s, const pl_issue *is,
		     double *from, pl_error *err)
{
	char where[PL_ERROR_WHERE_MAX];
	snprintf(where, sizeof where, "%s: $.steps[%zu].moves", r->file, s);
	size_t last = SIZE_MAX;
	for (size_t t = 0; t < r->ns; t++) {
		if (t == s || find_move(&r->step[t], is->id) < 0)
			continue;
		if (!reach[s * r->ns + t] && !reach[t * r->ns + s])
			return pl_error_set(
				err, PL_EINPUT, where,
				"steps '%s' and '%s' both move issue '%s' but neither "
				"comes after the other: add one to the other's \"after\"",
				r->step[t].id, r->step[s].id, is->id);
		if (reach[s * r->ns + t] && (last == SIZE_MAX || reach[t * r->ns + last]))
			last = t;
	}
	if (last != SIZE_MAX) {
		*from = r->step[last].moves[find_move(&r->step[last], is->id)].to;
		return PL_OK;
	}
	if (!is->has_status_quo)
		return pl_error_set(
			err, PL_EINPUT, where,
			"issue '%s' has no status_quo in the case: the first move of an "
			"issue is valued from its status quo",
			is->id);
	*from = is->status_quo;
	return PL_OK;
}

static int apply_step(pl_roadmap *r, const pl_case *c, const unsigned char *reach, size_t s,
		      pl_error *err)
{
	pl_rm_step *st = &r->step[s];
	char where[PL_ERROR_WHERE_MAX];
	for (size_t m = 0; m < st->n_moves; m++) {
		size_t i;
		snprintf(where, sizeof where, "%s: $.steps[%zu].moves[%zu]", r->file, s, m);
		if (pl_case_find_issue(c, st->moves[m].issue, &i, NULL))
			return pl_error_set(err, PL_EINPUT, where,
					    "moves issue '%s', which the case does not have",
					    st->moves[m].issue);
		const pl_issue *is = pl_case_issue(c, i);
		double to = st->moves[m].to, from = 0;
		if (to < is->min || to > is->max)
			return pl_error_set(err, PL_EINPUT, where,
					    "moves issue '%s' to %g, outside its scale [%g, %g]",
					    is->id, to, is->min, is->max);
		int rc = move_from(r, reach, s, is, &from, err);
		if (rc)
			return rc;
		for (size_t p = 0; p < r->np; p++) {
			size_t a;
			if (pl_case_find_actor(c, r->party[p].id, &a, NULL))
				continue;
			const pl_stance *sp = pl_case_stance(c, a, i);
			if (!sp->present)
				continue;
			double gain = fabs(from - sp->position) - fabs(to - sp->position);
			PL_RM_AT(r, value, s, p) +=
				100.0 * sp->salience * gain / (is->max - is->min);
		}
	}
	return PL_OK;
}

int pl_roadmap_apply_case(pl_roadmap *r, const pl_case *c, pl_error *err)
{
	if (!r->needs_case)
		return PL_OK;
	unsigned char *reach = reachability(r);
	if (!reach)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = PL_OK;
	for (size_t s = 0; !rc && s < r->ns; s++)
		rc = apply_step(r, c, reach, s, err);
	free(reach);
	if (!rc)
		r->needs_case = 0;
	return rc;
}

int pl_roadmap_apply_trust(pl_roadmap *r, const pl_trust *t, size_t nt, double weight,
			   pl_error *err)
{
	if (!(weight >= 0 && weight <= 1))
		return pl_error_set(err, PL_EINPUT, "trust weight", "must be in [0, 1]");
	for (size_t q = 0; q < r->np; q++) {
		double c = 0;
		for (size_t k = 0; k < nt; k++)
			if (strcmp(t[k].party, r->party[q].id) == 0 && t[k].score > 0.5)
				c = weight * (2 * t[k].score - 1);
		for (size_t s = 0; s < r->ns; s++) {
			if (r->step[s].by != q)
				continue;
			for (size_t p = 0; p < r->np; p++) {
				double v = PL_RM_AT(r, value, s, p);
				PL_RM_AT(r, credit, s, p) = (p != q && v > 0) ? c * v : 0;
			}
		}
	}
	r->has_credit = 1;
	return PL_OK;
}

/* Cuts s to at most max bytes without splitting a UTF-8 character. */
static void cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

static char *commitment_body(const pl_roadmap *r, const pl_roadmap_plan *pl, size_t s)
{
	char action[512], note[512];
	snprintf(action, sizeof action, "stage %zu of %zu: %s", pl->stage[s], pl->n_stages,
		 r->step[s].label);
	cut_utf8(action, 255);
	snprintf(note, sizeof note, "parley roadmap '%s', step %s, stage %zu of %zu, sha256 %s",
		 r->name, r->step[s].id, pl->stage[s], pl->n_stages, r->hash);
	cut_utf8(note, 400);
	json_t *b = json_object();
	json_object_set_new(b, "action", json_string(action));
	json_object_set_new(b, "verification",
			    json_string(r->step[s].verified
						? "verified by the other parties before the next "
						  "stage counts it"
						: "done as the roadmap's stage says"));
	json_object_set_new(b, "note", json_string(note));
	char *text = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(b);
	return text;
}

int pl_roadmap_record(pl_ledger *lg, const pl_roadmap *r, const pl_roadmap_plan *pl,
		      const pl_key *keys, size_t n_keys, const char *channel, const char *time,
		      size_t *recorded, size_t *skipped, pl_error *err)
{
	*recorded = *skipped = 0;
	if (!pl->feasible)
		return pl_error_set(err, PL_EINPUT, r->name, "no plan to record");
	pl_entry_in *in = calloc(r->ns, sizeof *in);
	char **bodies = calloc(r->ns, sizeof *bodies);
	int rc = (in && bodies) ? PL_OK : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	size_t n = 0;
	for (size_t k = 1; !rc && k <= pl->n_stages; k++)
		for (size_t s = 0; !rc && s < r->ns; s++) {
			if (pl->stage[s] != k)
				continue;
			const pl_key *key = NULL;
			for (size_t q = 0; q < n_keys; q++)
				if (strcmp(keys[q].name, r->party[r->step[s].by].id) == 0)
					key = &keys[q];
			if (!key) {
				(*skipped)++;
				continue;
			}
			if (!(bodies[n] = commitment_body(r, pl, s))) {
				rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
				break;
			}
			in[n] = (pl_entry_in){.kind = PL_ENTRY_COMMITMENT,
					      .channel = channel,
					      .time = time,
					      .body = bodies[n],
					      .author = key};
			n++;
		}
	if (!rc && n)
		rc = pl_ledger_append(lg, in, n, NULL, err);
	if (!rc)
		*recorded = n;
	for (size_t k = 0; bodies && k < r->ns; k++)
		free(bodies[k]);
	free(bodies);
	free(in);
	return rc;
}
