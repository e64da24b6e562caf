/* case.h - the negotiation model: who is at the table, over what, wanting
 * what, caring how much, with what strength.
 *
 * A pl_case is immutable once loaded and validated (see io.h for the
 * readers).  Everything it hands out is owned by the case and lives as long
 * as it does.  Indices are stable: actor i, issue j, forum k are in file
 * order.
 *
 * Scales: positions are on each issue's own [min, max] scale; salience is
 * stored in [0, 1] (the JSON format writes it as 0-100); capability is any
 * non-negative number (only ratios matter). */
#ifndef PARLEY_CASE_H
#define PARLEY_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pl_case pl_case;

/* How uncertain an input is, for Monte Carlo sweeps.  PL_DIST_NONE means the
 * value is taken as exact (or the case-level default applies, see
 * pl_case_uncertainty). */
typedef enum pl_dist_kind {
	PL_DIST_NONE = 0,
	PL_DIST_NORMAL,  /* a = standard deviation; truncated to the valid range */
	PL_DIST_UNIFORM, /* a = half-width around the value, clipped to the range */
	PL_DIST_BETA     /* a = standard deviation of a beta on the valid range */
} pl_dist_kind;

typedef struct pl_dist {
	pl_dist_kind kind;
	double a;
} pl_dist;

typedef struct pl_anchor {
	double value;
	const char *label;
} pl_anchor;

/* What happened on an issue, as recorded in the case: a point of the issue's
 * scale, optionally the range of defensible codings (lo <= value <= hi), the
 * date (YYYY-MM-DD, YYYY-MM or YYYY) and a source.  Forecasts never read it;
 * it is there to compare them with. */
typedef struct pl_outcome_record {
	double value;
	int has_range;
	double lo, hi;
	const char *date;   /* may be NULL */
	const char *source; /* may be NULL */
} pl_outcome_record;

typedef struct pl_issue {
	const char *id;
	const char *name;
	const char *note; /* rationale / source, may be NULL */
	double min, max;  /* the scale, min < max */
	int has_status_quo;
	double status_quo;
	size_t n_anchors;
	const pl_anchor *anchors; /* sorted by value */
	int has_outcome; /* 0: no outcome recorded */
	pl_outcome_record outcome;
} pl_issue;

typedef struct pl_actor {
	const char *id;
	const char *name;
	const char *note;
	double capability;
	pl_dist capability_uncertainty;
	/* What the actor gets from no agreement, as a utility in the units of
	 * docs/analysis/feasible.md (0 = every issue at its own position, below
	 * 0 = worse); has_reservation == 0: the actor takes any package. */
	int has_reservation;
	double reservation;
} pl_actor;

/* An actor's stance on an issue.  present == 0 means the actor takes no part
 * in that issue (it is left out of that issue's forecast). */
typedef struct pl_stance {
	int present;
	double position;
	double salience;   /* in [0, 1] */
	double capability; /* effective capability on this issue (per-issue
	                      override or the actor's own) */
	const char *note;
	pl_dist position_uncertainty;
	pl_dist salience_uncertainty;
	/* The position beyond which the actor accepts no agreement: it accepts
	 * every point of the scale on its position's side of the line (the line
	 * itself included).  has_red_line == 0: it accepts any position. */
	int has_red_line;
	double red_line;
} pl_stance;

/* A negotiating format: who sits at the table.  Non-members still weigh
 * outsider_weight times their capability (0 = absent, 1 = as if members). */
typedef struct pl_forum {
	const char *id;
	const char *name;
	const char *note;
	size_t n_members;
	const size_t *members; /* actor indices, ascending */
	double outsider_weight;
} pl_forum;

typedef struct pl_case_info {
	const char *id;
	const char *title;
	const char *period;      /* the time the case describes, may be NULL */
	const char *description;
	size_t n_sources;
	const char *const *sources;
} pl_case_info;

void pl_case_free(pl_case *c);

const pl_case_info *pl_case_get_info(const pl_case *c);
size_t pl_case_n_issues(const pl_case *c);
size_t pl_case_n_actors(const pl_case *c);
size_t pl_case_n_forums(const pl_case *c);
const pl_issue *pl_case_issue(const pl_case *c, size_t i);
const pl_actor *pl_case_actor(const pl_case *c, size_t a);
const pl_forum *pl_case_forum(const pl_case *c, size_t f);
const pl_stance *pl_case_stance(const pl_case *c, size_t actor, size_t issue);

/* Case-level default uncertainty for inputs that declare none. */
typedef struct pl_case_uncertainty {
	pl_dist capability, position, salience;
} pl_case_uncertainty;
const pl_case_uncertainty *pl_case_get_uncertainty(const pl_case *c);

/* Lookups by id; return PL_ENOTFOUND (and fill err) when absent. */
int pl_case_find_issue(const pl_case *c, const char *id, size_t *out, pl_error *err);
int pl_case_find_actor(const pl_case *c, const char *id, size_t *out, pl_error *err);
int pl_case_find_forum(const pl_case *c, const char *id, size_t *out, pl_error *err);

/* SHA-256 of the case's canonical JSON form, as 64 hex digits: the same
 * model read from JSON, CSV or KTAB CSV has the same hash. */
const char *pl_case_hash(const pl_case *c);

/* A new case equal to c but for each actor's capability (overall and per
 * issue) multiplied by factor[a] >= 0 (n_actors factors, in actor order).
 * The new case has its own hash.  This is how evidence from outside the
 * case (for instance the ledger's trust scores, see docs/ledger.md) enters a
 * forecast without changing the case file. */
int pl_case_scale_capabilities(const pl_case *c, const double *factor, pl_case **out,
			       pl_error *err);

/* One issue seen as the arrays a one-dimensional engine reads: the actors
 * that take part (optionally only a forum's members at full weight, the
 * others at the forum's outsider weight; actors of weight 0 are left out). */
typedef struct pl_issue_view {
	size_t n;             /* actors taking part */
	const size_t *actor;  /* their indices in the case */
	const double *pos;    /* positions on [min, max] */
	const double *sal;    /* saliences in [0, 1] */
	const double *cap;    /* effective capabilities, forum weight applied */
	double min, max;
	int has_status_quo;
	double status_quo;
} pl_issue_view;

typedef struct pl_issue_view_buf pl_issue_view_buf;

/* Builds the view of issue i under forum f (f == (size_t)-1 for everyone).
 * The arrays live in *buf until pl_issue_view_buf_free. */
#define PL_NO_FORUM ((size_t)-1)
int pl_case_issue_view(const pl_case *c, size_t issue, size_t forum, pl_issue_view *view,
		       pl_issue_view_buf **buf, pl_error *err);
void pl_issue_view_buf_free(pl_issue_view_buf *buf);

#ifdef __cplusplus
}
#endif
#endif
