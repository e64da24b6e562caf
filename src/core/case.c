/* case.c - the case model: construction by readers, read-only access, and
 * per-issue views for the engines. */
#include "core/sha256.h"
#include "core/case_build.h"
#include "core/case_work.h"
#include "core/arena.h"
#include "parley/io.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pl_case *pl__case_new(void)
{
	pl_case *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->arena = pl__arena_new();
	if (!c->arena) {
		free(c);
		return NULL;
	}
	return c;
}

void pl_case_free(pl_case *c)
{
	if (!c)
		return;
	pl__arena_free(c->arena);
	free(c);
}

char *pl__case_strdup(pl_case *c, const char *s)
{
	return pl__arena_strdup(c->arena, s);
}

void *pl__case_alloc(pl_case *c, size_t size)
{
	return pl__arena_alloc(c->arena, size);
}

int pl__case_alloc_tables(pl_case *c, size_t n_actors, size_t n_issues, size_t n_forums)
{
	c->n_actors = n_actors;
	c->n_issues = n_issues;
	c->n_forums = n_forums;
	c->actors = pl__case_alloc(c, sizeof(pl_actor) * (n_actors ? n_actors : 1));
	c->issues = pl__case_alloc(c, sizeof(pl_issue) * (n_issues ? n_issues : 1));
	c->forums = pl__case_alloc(c, sizeof(pl_forum) * (n_forums ? n_forums : 1));
	c->stances = pl__case_alloc(c, sizeof(pl_stance) * (n_actors * n_issues + 1));
	if (!c->actors || !c->issues || !c->forums || !c->stances)
		return PL_ENOMEM;
	for (size_t k = 0; k < n_actors * n_issues; k++)
		c->stances[k].capability = NAN;
	return PL_OK;
}

static void hash_sink(void *ctx, const char *data, size_t n)
{
	pl__sha256_update(ctx, (const unsigned char *)data, n);
}

/* The hash is the SHA-256 of the canonical JSON form, written straight
 * into the hash (case_json.c). */
static int rehash(pl_case *c, pl_error *err)
{
	pl__sha256_ctx st;
	pl__sha256_init(&st);
	int rc = pl__case_canonical(c, hash_sink, &st);
	if (rc)
		return pl_error_set(err, rc, c->info.id,
				    rc == PL_ENOMEM ? "out of memory hashing the case"
						    : "two issues have one id");
	unsigned char h[PL__SHA256_SIZE];
	pl__sha256_final(&st, h);
	sodium_bin2hex(c->hash, sizeof c->hash, h, sizeof h);
	return PL_OK;
}

int pl__case_finish(pl_case *c, const char *where, pl_error *err)
{
	for (size_t a = 0; a < c->n_actors; a++)
		for (size_t i = 0; i < c->n_issues; i++) {
			pl_stance *s = PL_STANCE(c, a, i);
			if (isnan(s->capability))
				s->capability = c->actors[a].capability;
		}
	size_t participants = 0;
	for (size_t k = 0; k < c->n_actors * c->n_issues; k++)
		participants += c->stances[k].present != 0;
	if (participants == 0)
		return pl_error_set(err, PL_EINPUT, where,
				    "the case has no actor with a stance on any issue");

	return rehash(c, err);
}

int pl_case_scale_capabilities(const pl_case *c, const double *factor, pl_case **out,
			       pl_error *err)
{
	*out = NULL;
	for (size_t a = 0; a < c->n_actors; a++)
		if (!(factor[a] >= 0) || !isfinite(factor[a]))
			return pl_error_set(err, PL_EINPUT, c->actors[a].id,
					    "a capability factor must be a finite number >= 0");
	char *json = NULL;
	int rc = pl_case_write_json(c, &json, err);
	if (rc)
		return rc;
	pl_case *d = NULL;
	rc = pl_case_read_mem(json, strlen(json), c->info.id, PL_FORMAT_JSON, &d, err);
	free(json);
	if (rc)
		return rc;
	for (size_t a = 0; a < d->n_actors; a++) {
		d->actors[a].capability *= factor[a];
		for (size_t i = 0; i < d->n_issues; i++)
			PL_STANCE(d, a, i)->capability *= factor[a];
	}
	rc = rehash(d, err);
	if (rc) {
		pl_case_free(d);
		return rc;
	}
	*out = d;
	return PL_OK;
}

const pl_case_info *pl_case_get_info(const pl_case *c)
{
	return &c->info;
}

size_t pl_case_n_issues(const pl_case *c)
{
	return c->n_issues;
}

size_t pl_case_n_actors(const pl_case *c)
{
	return c->n_actors;
}

size_t pl_case_n_forums(const pl_case *c)
{
	return c->n_forums;
}

const pl_issue *pl_case_issue(const pl_case *c, size_t i)
{
	return i < c->n_issues ? &c->issues[i] : NULL;
}

const pl_actor *pl_case_actor(const pl_case *c, size_t a)
{
	return a < c->n_actors ? &c->actors[a] : NULL;
}

const pl_forum *pl_case_forum(const pl_case *c, size_t f)
{
	return f < c->n_forums ? &c->forums[f] : NULL;
}

const pl_stance *pl_case_stance(const pl_case *c, size_t a, size_t i)
{
	return (a < c->n_actors && i < c->n_issues) ? PL_STANCE(c, a, i) : NULL;
}

const pl_case_uncertainty *pl_case_get_uncertainty(const pl_case *c)
{
	return &c->uncertainty;
}

const char *pl_case_hash(const pl_case *c)
{
	return c->hash;
}

/* Lists up to a few known ids, for "did you mean" style messages. */
static void list_ids(char *buf, size_t size, const char *const *ids, size_t stride, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < n && used + 1 < size; k++) {
		const char *id = *(const char *const *)((const char *)ids + k * stride);
		int w = snprintf(buf + used, size - used, "%s%s", k ? ", " : "", id);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

#define FIND_BY_ID(kind, arr, count)                                                          \
	for (size_t k = 0; k < (count); k++)                                                  \
		if (strcmp((arr)[k].id, id) == 0) {                                           \
			*out = k;                                                             \
			return PL_OK;                                                         \
		}                                                                             \
	char known[400];                                                                      \
	list_ids(known, sizeof known, &(arr)[0].id, sizeof((arr)[0]), (count));               \
	return pl_error_set(err, PL_ENOTFOUND, NULL, "no " kind " '%s' in this case (known: %s)", \
			    id, known)

int pl_case_find_issue(const pl_case *c, const char *id, size_t *out, pl_error *err)
{
	FIND_BY_ID("issue", c->issues, c->n_issues);
}

int pl_case_find_actor(const pl_case *c, const char *id, size_t *out, pl_error *err)
{
	FIND_BY_ID("actor", c->actors, c->n_actors);
}

int pl_case_find_forum(const pl_case *c, const char *id, size_t *out, pl_error *err)
{
	if (c->n_forums == 0)
		return pl_error_set(err, PL_ENOTFOUND, NULL,
				    "no forum '%s': this case declares no forums", id);
	FIND_BY_ID("forum", c->forums, c->n_forums);
}

struct pl_issue_view_buf {
	size_t *actor;
	double *pos, *sal, *cap;
};

void pl_issue_view_buf_free(pl_issue_view_buf *b)
{
	if (!b)
		return;
	free(b->actor);
	free(b->pos);
	free(b);
}

static int is_member(const pl_forum *f, size_t a)
{
	for (size_t k = 0; k < f->n_members; k++)
		if (f->members[k] == a)
			return 1;
	return 0;
}

int pl_case_issue_view(const pl_case *c, size_t issue, size_t forum, pl_issue_view *view,
		       pl_issue_view_buf **bufp, pl_error *err)
{
	*bufp = NULL;
	if (issue >= c->n_issues)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "issue index %zu out of range", issue);
	if (forum != PL_NO_FORUM && forum >= c->n_forums)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "forum index %zu out of range", forum);
	const pl_forum *f = forum == PL_NO_FORUM ? NULL : &c->forums[forum];
	pl_issue_view_buf *b = calloc(1, sizeof *b);
	size_t n = c->n_actors ? c->n_actors : 1;
	if (b) {
		b->actor = malloc(n * sizeof *b->actor);
		b->pos = malloc(3 * n * sizeof(double));
	}
	if (!b || !b->actor || !b->pos) {
		pl_issue_view_buf_free(b);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory building an issue view");
	}
	b->sal = b->pos + n;
	b->cap = b->pos + 2 * n;
	size_t m = 0;
	for (size_t a = 0; a < c->n_actors; a++) {
		const pl_stance *s = PL_STANCE(c, a, issue);
		if (!s->present)
			continue;
		double w = (!f || is_member(f, a)) ? 1.0 : f->outsider_weight;
		if (w <= 0.0 || s->capability <= 0.0)
			continue;
		b->actor[m] = a;
		b->pos[m] = s->position;
		b->sal[m] = s->salience;
		b->cap[m] = s->capability * w;
		m++;
	}
	const pl_issue *is = &c->issues[issue];
	*view = (pl_issue_view){.n = m, .actor = b->actor, .pos = b->pos, .sal = b->sal,
				.cap = b->cap, .min = is->min, .max = is->max,
				.has_status_quo = is->has_status_quo,
				.status_quo = is->status_quo};
	*bufp = b;
	return PL_OK;
}

pl_case *pl__case_work_new(const pl_case *c)
{
	pl_case *w = malloc(sizeof *w);
	if (!w)
		return NULL;
	*w = *c;
	w->stances = malloc((c->n_actors * c->n_issues + 1) * sizeof(pl_stance));
	w->actors = malloc((c->n_actors + 1) * sizeof(pl_actor));
	if (!w->stances || !w->actors) {
		pl__case_work_free(w);
		return NULL;
	}
	memcpy(w->stances, c->stances, c->n_actors * c->n_issues * sizeof(pl_stance));
	memcpy(w->actors, c->actors, c->n_actors * sizeof(pl_actor));
	return w;
}

void pl__case_work_free(pl_case *w)
{
	if (!w)
		return;
	free(w->stances);
	free(w->actors);
	free(w);
}

pl_actor *pl__case_work_actors(pl_case *w)
{
	return w->actors;
}

pl_stance *pl__case_work_stances(pl_case *w)
{
	return w->stances;
}
