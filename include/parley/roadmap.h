/* roadmap.h - staged plans of reciprocal steps ("action for action").
 *
 * A roadmap file (docs/formats.md, "Roadmap files"; docs/roadmap.schema.json)
 * lists the parties, how much exposure each can bear, and the steps: who
 * takes each, what it is worth to every party, which steps must come before
 * it and whether its effect is verified (worth something to the others one
 * stage later).  pl_roadmap_solve finds the plan with the fewest stages in
 * which no party's running balance ever falls below minus its exposure;
 * among those the one with the largest margin; among those the smallest
 * vector of stage numbers in file order.  docs/roadmap.md has the model and
 * the method (an exact branch and bound; beyond its node limit an anytime
 * answer that reports its gap). */
#ifndef PARLEY_ROADMAP_H
#define PARLEY_ROADMAP_H

#include <stddef.h>
#include <stdint.h>

#include "parley/case.h"
#include "parley/error.h"
#include "parley/ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pl_roadmap pl_roadmap;

/* Readers: every error names the file and the JSON path and the rule
 * broken (PL_EINPUT), or the line and column of malformed JSON. */
int pl_roadmap_read_mem(const char *data, size_t len, const char *name, pl_roadmap **out,
			pl_error *err);
int pl_roadmap_read_file(const char *path, pl_roadmap **out, pl_error *err);
void pl_roadmap_free(pl_roadmap *r);

size_t pl_roadmap_n_parties(const pl_roadmap *r);
size_t pl_roadmap_n_steps(const pl_roadmap *r);
const char *pl_roadmap_name(const pl_roadmap *r);
const char *pl_roadmap_party_id(const pl_roadmap *r, size_t p);
const char *pl_roadmap_party_name(const pl_roadmap *r, size_t p);
double pl_roadmap_party_exposure(const pl_roadmap *r, size_t p);
const char *pl_roadmap_step_id(const pl_roadmap *r, size_t s);
const char *pl_roadmap_step_label(const pl_roadmap *r, size_t s);
size_t pl_roadmap_step_by(const pl_roadmap *r, size_t s); /* a party index */
int pl_roadmap_step_verified(const pl_roadmap *r, size_t s);
/* What step s is worth to party p once done (after --case, the derived
 * value is included). */
double pl_roadmap_step_value(const pl_roadmap *r, size_t s, size_t p);
/* 1 when some step gives "moves" and the values still need a case. */
int pl_roadmap_needs_case(const pl_roadmap *r);
/* SHA-256 of the file's bytes, 64 hex digits. */
const char *pl_roadmap_hash(const pl_roadmap *r);

/* Derives the value of every step with "moves" from the case: each move of
 * an issue from where the previous move of that issue left it (or the
 * issue's status quo) to "to" is worth, to party p (an actor of the case
 * with the party's id),  100 * s_p * (|from - x_p| - |to - x_p|) / R  for
 * salience s_p in [0, 1], position x_p and scale range R: the change of the
 * linear utility of docs/analysis/feasible.md.  Steps moving one issue must
 * be ordered by "after".  Adds to the step's explicit values. */
int pl_roadmap_apply_case(pl_roadmap *r, const pl_case *c, pl_error *err);

/* Widens each party's tolerance toward counterparts it trusts: while a step
 * of party q that is worth v > 0 to another party p is not yet done (or not
 * yet verified), p's balance is credited w * max(0, 2 t_q - 1) * v, with
 * t_q q's ledger trust score (no record: no credit) and w in [0, 1]. */
int pl_roadmap_apply_trust(pl_roadmap *r, const pl_trust *t, size_t nt, double weight,
			   pl_error *err);

typedef struct pl_roadmap_options {
	/* Branch-and-bound nodes per search before the answer is no longer
	 * proven (0: the default, PL_ROADMAP_NODE_LIMIT); when no plan exists,
	 * the diagnosis's searches (one per party and one for all) share one
	 * such budget. */
	uint64_t node_limit;
} pl_roadmap_options;

#define PL_ROADMAP_NODE_LIMIT 4000000u

typedef struct pl_roadmap_plan {
	int feasible;
	/* 1 when the answer is proven: the fewest stages, the largest margin,
	 * the first such plan (or, when infeasible, that no plan exists). */
	int exact;
	size_t n_stages;
	double margin;		  /* the smallest balance + exposure (+ credit) */
	double gap;		  /* upper bound on the margin minus margin; 0 when exact */
	size_t stage_lower_bound; /* no plan has fewer stages than this */
	size_t *stage;		  /* per step, 1-based */
	/* (n_stages + 1) x n_parties: balance after stage k (row k - 1), and at
	 * the end, once the last stage's verified values arrive (row n_stages). */
	double *balance;
	double *credit; /* the trust credit in the same layout, NULL without trust */
	uint64_t nodes;
	/* When infeasible: the party that cannot be covered (SIZE_MAX when no
	 * exposure can help: the "after" chains need more than max_stages), the
	 * checkpoint (1..n_stages of its best plan, n_stages + 1 = the end), the
	 * smallest increase of its exposure that makes a plan exist, and 1 when
	 * no single party's increase is enough (increase is then for every
	 * party). */
	size_t party;
	size_t at_stage, at_stages;
	double increase;
	int every_party;
	char reason[512];
} pl_roadmap_plan;

int pl_roadmap_solve(const pl_roadmap *r, const pl_roadmap_options *opt, pl_roadmap_plan **out,
		     pl_error *err);
void pl_roadmap_plan_free(pl_roadmap_plan *p);

/* Documents (docs/formats.md, "Roadmap results"): the JSON
 * {"feasible", "margin", "stages": [{"stage", "steps", "balance"}]...} or
 * {"feasible": false, "reason", ...}, and a CSV with one row per step. */
int pl_roadmap_plan_json(char **out, const pl_roadmap *r, const pl_roadmap_plan *p, pl_error *err);
int pl_roadmap_plan_csv(char **out, const pl_roadmap *r, const pl_roadmap_plan *p, pl_error *err);

/* Records the plan's steps as ledger commitments, one per step whose party
 * has a key among keys (a step of a party without a key is skipped and
 * counted in *skipped): action "<roadmap name>: stage K of N: <label>",
 * with the stage, step id and roadmap hash in the body.  All are appended
 * in one transaction.  time NULL: now. */
int pl_roadmap_record(pl_ledger *lg, const pl_roadmap *r, const pl_roadmap_plan *p,
		      const pl_key *keys, size_t n_keys, const char *channel, const char *time,
		      size_t *recorded, size_t *skipped, pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
