/* roadmap_solve.c - the optimum of docs/roadmap.md: the fewest stages, then
 * the largest margin, then the smallest stage vector in file order; or, when
 * no plan exists, which party cannot be covered, where, and by how much its
 * exposure would have to grow.  The searches are roadmap_bb.c's. */
#include "roadmap/roadmap_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t pl_roadmap_n_parties(const pl_roadmap *r)
{
	return r->np;
}

size_t pl_roadmap_n_steps(const pl_roadmap *r)
{
	return r->ns;
}

const char *pl_roadmap_name(const pl_roadmap *r)
{
	return r->name;
}

const char *pl_roadmap_party_id(const pl_roadmap *r, size_t p)
{
	return p < r->np ? r->party[p].id : NULL;
}

const char *pl_roadmap_party_name(const pl_roadmap *r, size_t p)
{
	return p < r->np ? r->party[p].name : NULL;
}

double pl_roadmap_party_exposure(const pl_roadmap *r, size_t p)
{
	return p < r->np ? r->party[p].exposure : 0;
}

const char *pl_roadmap_step_id(const pl_roadmap *r, size_t s)
{
	return s < r->ns ? r->step[s].id : NULL;
}

const char *pl_roadmap_step_label(const pl_roadmap *r, size_t s)
{
	return s < r->ns ? r->step[s].label : NULL;
}

size_t pl_roadmap_step_by(const pl_roadmap *r, size_t s)
{
	return s < r->ns ? r->step[s].by : 0;
}

int pl_roadmap_step_verified(const pl_roadmap *r, size_t s)
{
	return s < r->ns && r->step[s].verified;
}

double pl_roadmap_step_value(const pl_roadmap *r, size_t s, size_t p)
{
	return s < r->ns && p < r->np ? PL_RM_AT(r, value, s, p) : 0;
}

int pl_roadmap_needs_case(const pl_roadmap *r)
{
	return r->needs_case;
}

const char *pl_roadmap_hash(const pl_roadmap *r)
{
	return r->hash;
}

void pl_roadmap_plan_free(pl_roadmap_plan *p)
{
	if (!p)
		return;
	free(p->stage);
	free(p->balance);
	free(p->credit);
	free(p);
}

/* Ties within eps count as equal: sums of the same values in another
 * order may differ in the last bits. */
static double tolerance(const pl_roadmap *r)
{
	double scale = 1;
	for (size_t p = 0; p < r->np; p++) {
		double sum = r->party[p].exposure;
		for (size_t s = 0; s < r->ns; s++)
			sum += fabs(PL_RM_AT(r, value, s, p)) + fabs(PL_RM_AT(r, credit, s, p));
		if (sum > scale)
			scale = sum;
	}
	return 1e-9 * scale;
}

/* Fills the plan's stages, balances and margin from a stage vector. */
static int fill_plan(const pl_roadmap *r, pl_roadmap_plan *pl, const size_t *stage, size_t K)
{
	free(pl->stage);
	free(pl->balance);
	free(pl->credit);
	pl->n_stages = K;
	pl->stage = malloc(r->ns * sizeof *pl->stage);
	pl->balance = malloc((K + 1) * r->np * sizeof *pl->balance);
	pl->credit = r->has_credit ? malloc((K + 1) * r->np * sizeof *pl->credit) : NULL;
	if (!pl->stage || !pl->balance || (r->has_credit && !pl->credit))
		return PL_ENOMEM;
	memcpy(pl->stage, stage, r->ns * sizeof *stage);
	double *tmp = pl->credit;
	double *cr = tmp ? tmp : calloc((K + 1) * r->np, sizeof *cr);
	if (!cr)
		return PL_ENOMEM;
	pl->margin = pl__rm_evaluate(r, stage, K, NULL, pl->balance, cr);
	if (!tmp)
		free(cr);
	return PL_OK;
}

/* Renumbers the stages of a relaxed plan so that none is empty; returns
 * the number of stages left.  No checkpoint gets worse (roadmap_internal.h). */
static size_t compress(size_t *stage, size_t n, size_t K)
{
	size_t map[PL_ROADMAP_MAX_STEPS + 2] = {0}, next = 0;
	for (size_t k = 1; k <= K; k++)
		for (size_t s = 0; s < n; s++)
			if (stage[s] == k) {
				map[k] = ++next;
				break;
			}
	for (size_t s = 0; s < n; s++)
		stage[s] = map[stage[s]];
	return next;
}

/* One search with K slots; adds its nodes to the plan's. */
static int run(pl_rm_search *s, pl_roadmap_plan *pl, size_t K, int relaxed, double thr)
{
	s->K = K;
	s->allow_empty = relaxed;
	s->first_only = relaxed && thr == -s->eps && s->objective == s->constrained;
	int rc = pl__rm_search(s, thr);
	pl->nodes += s->nodes;
	s->nodes = 0;
	if (s->truncated)
		pl->exact = 0;
	return rc;
}

/* The first checkpoint where party p is lowest (balance + credit + exposure). */
static size_t lowest_checkpoint(const pl_roadmap *r, const pl_roadmap_plan *pl, size_t p)
{
	size_t at = 1;
	double low = DBL_MAX;
	for (size_t k = 1; k <= pl->n_stages + 1; k++) {
		size_t i = (k - 1) * r->np + p;
		double m = pl->balance[i] + (pl->credit ? pl->credit[i] : 0) + r->party[p].exposure;
		if (m < low - 1e-12) {
			low = m;
			at = k;
		}
	}
	return at;
}

static void say_short(const pl_roadmap *r, pl_roadmap_plan *pl, size_t p)
{
	char where[64];
	if (pl->at_stage > pl->at_stages)
		snprintf(where, sizeof where, "at the end, once the last verified steps count");
	else
		snprintf(where, sizeof where, "after stage %zu", pl->at_stage);
	if (pl->every_party)
		snprintf(
			pl->reason, sizeof pl->reason,
			"no plan keeps every party within its exposure, and no one party's "
			"exposure alone can fix that; with every party's exposure raised by %.6g a "
			"plan of %zu stages exists, in which '%s' is lowest %s",
			pl->increase, pl->at_stages, r->party[p].id, where);
	else
		snprintf(pl->reason, sizeof pl->reason,
			 "no plan keeps every party within its exposure: '%s' cannot be covered "
			 "%s; raising its exposure by %.6g (to %.6g) makes a plan of %zu stages "
			 "exist",
			 r->party[p].id, where, pl->increase, r->party[p].exposure + pl->increase,
			 pl->at_stages);
}

/* No plan exists: the party whose exposure needs the smallest increase,
 * over every plan of at most k1 stages (one relaxed search per party). */
static int diagnose(const pl_roadmap *r, pl_rm_search *s, size_t k1, pl_roadmap_plan *pl)
{
	unsigned char *obj = calloc(r->np, 1), *con = calloc(r->np, 1);
	size_t *keep = calloc(r->ns, sizeof *keep);
	int rc = (!obj || !con || !keep) ? PL_ENOMEM : PL_OK, found = 0;
	double pick = -DBL_MAX;
	size_t who = SIZE_MAX;
	s->objective = obj;
	s->constrained = con;
	s->node_limit = s->node_limit / (r->np + 1) + 1; /* the budget is shared */
	for (size_t p = 0; !rc && p <= r->np; p++) {
		if (p == r->np && found)
			break;
		memset(obj, p == r->np, r->np); /* last: everyone, unconstrained */
		memset(con, p < r->np, r->np);
		if (p < r->np)
			obj[p] = 1, con[p] = 0;
		rc = run(s, pl, k1, 1, -DBL_MAX);
		if (!rc && s->found && s->best > pick + s->eps) {
			pick = s->best;
			memcpy(keep, s->best_stage, r->ns * sizeof *keep);
			who = p;
			found = 1;
		}
	}
	if (!rc && found) {
		pl->every_party = who == r->np;
		size_t K = compress(keep, r->ns, k1);
		rc = fill_plan(r, pl, keep, K);
		pl->increase = pick < 0 ? -pick : 0;
		if (!rc && pl->every_party) {
			double low = DBL_MAX;
			for (size_t p = 0; p < r->np; p++) {
				size_t at = lowest_checkpoint(r, pl, p);
				size_t i = (at - 1) * r->np + p;
				double m = pl->balance[i] + (pl->credit ? pl->credit[i] : 0) +
					   r->party[p].exposure;
				if (m < low - s->eps) {
					low = m;
					who = p;
				}
			}
		}
		pl->party = who;
		pl->at_stages = K;
		pl->at_stage = lowest_checkpoint(r, pl, who);
		say_short(r, pl, who);
	}
	pl->feasible = 0;
	free(obj);
	free(con);
	free(keep);
	return rc;
}

/* The fewest stages: relaxed feasibility is monotone in the number of
 * slots and its least feasible K is the least K of a plan.  Scanning up
 * from the longest chain keeps the searches small (few slots) until the
 * answer; only a roadmap without a plan pays for the search at k1. */
static int fewest_stages(pl_rm_search *s, pl_roadmap_plan *pl, size_t k0, size_t k1, size_t *out)
{
	*out = k1 + 1;
	for (size_t K = k0; K <= k1; K++) {
		int rc = run(s, pl, K, 1, -s->eps);
		if (rc)
			return rc;
		if (s->found) {
			*out = K;
			break;
		}
	}
	return PL_OK;
}

static int solve(const pl_roadmap *r, uint64_t limit, pl_roadmap_plan *pl)
{
	size_t k0 = pl__rm_min_stages(r), k1 = r->max_stages, K = 0;
	pl->stage_lower_bound = k0;
	pl->exact = 1;
	pl->party = SIZE_MAX;
	if (k0 > k1) {
		snprintf(pl->reason, sizeof pl->reason,
			 "the 'after' chains need %zu stages, more than max_stages (%zu): no "
			 "exposure can make a plan exist",
			 k0, k1);
		return PL_OK;
	}
	unsigned char *all = malloc(r->np);
	pl_rm_search s = {.r = r,
			  .objective = all,
			  .constrained = all,
			  .eps = tolerance(r),
			  .node_limit = limit,
			  .best_stage = calloc(r->ns, sizeof(size_t))};
	int rc = (!all || !s.best_stage) ? PL_ENOMEM : PL_OK;
	if (all)
		memset(all, 1, r->np);
	if (!rc)
		rc = fewest_stages(&s, pl, k0, k1, &K);
	int any = !rc && K <= k1;
	/* at the fewest stages no feasible plan has an empty stage; after a
	 * truncated bisection, more may be needed */
	for (; any && !rc && K <= k1; K++) {
		rc = run(&s, pl, K, 0, -s.eps);
		if (!rc && s.found) {
			rc = fill_plan(r, pl, s.best_stage, K);
			pl->feasible = 1;
			pl->stage_lower_bound = pl->exact ? K : k0;
			if (s.truncated)
				pl->gap = s.open_bound > s.best ? s.open_bound - s.best : 0;
			break;
		}
	}
	if (!rc && !pl->feasible)
		rc = diagnose(r, &s, k1, pl);
	free(all);
	free(s.best_stage);
	return rc;
}
int pl_roadmap_solve(const pl_roadmap *r, const pl_roadmap_options *opt, pl_roadmap_plan **out,
		     pl_error *err)
{
	*out = NULL;
	if (r->needs_case)
		return pl_error_set(err, PL_EINPUT, r->file,
				    "some steps give \"moves\": their values come from a case "
				    "(--case CASE, pl_roadmap_apply_case)");
	pl_roadmap_plan *pl = calloc(1, sizeof *pl);
	if (!pl)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	uint64_t limit = opt && opt->node_limit ? opt->node_limit : PL_ROADMAP_NODE_LIMIT;
	int rc = solve(r, limit, pl);
	if (rc) {
		pl_roadmap_plan_free(pl);
		return pl_error_set(err, rc, NULL, "out of memory solving the roadmap");
	}
	*out = pl;
	return PL_OK;
}
