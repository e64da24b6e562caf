/* feasible.h - is an agreement possible at all?  From the red lines of a
 * case (stances' red_line) the zone of agreement of each issue under a
 * decision rule, or the pair of actors that block it; from the actors'
 * reservations (what no agreement is worth to them) the package over all
 * issues that every actor prefers to no agreement by the largest smallest
 * margin, a linear program solved with GLPK.  docs/analysis/feasible.md has
 * the formulas. */
#ifndef PARLEY_FEASIBLE_H
#define PARLEY_FEASIBLE_H

#include <stddef.h>

#include "parley/case.h"
#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pl_decision_rule {
	PL_RULE_UNANIMITY = 0, /* every member with a stance must accept */
	PL_RULE_QMV	       /* accepting members hold >= threshold of the capability */
} pl_decision_rule;

typedef struct pl_feasible_options {
	size_t forum; /* PL_NO_FORUM: every actor */
	pl_decision_rule rule;
	double threshold; /* for PL_RULE_QMV, in (0, 1]; 0 means 2/3 */
} pl_feasible_options;

typedef struct pl_zone {
	double lo, hi;
} pl_zone;

typedef struct pl_feasible_issue {
	size_t issue;
	int feasible;
	pl_zone interval; /* the zone (under QMV the widest of the zones) */
	size_t n_zones;	  /* under QMV the accepted set may have several parts */
	pl_zone *zones;
	size_t n_blocking; /* when not feasible: the actors that block */
	size_t *blocking;
} pl_feasible_issue;

typedef struct pl_feasible {
	size_t n_issues;
	pl_feasible_issue *issues;
	pl_feasible_options options;
	/* The package (only when some actor counted has a reservation): */
	int has_package;      /* 1 when the LP was posed */
	int package_found;    /* 1 when every such actor gets at least its reservation */
	double margin;	      /* the largest smallest margin (may be < 0) */
	double *position;     /* per issue: the package (NAN when no zone) */
	double *actor_margin; /* per actor: utility - reservation, NAN when not counted */
	char note[256];	      /* why no package was posed or found, or "" */
} pl_feasible;

int pl_feasible_analyse(const pl_case *c, const pl_feasible_options *opt, pl_feasible **out,
			pl_error *err);
void pl_feasible_free(pl_feasible *f);

/* The document: {"issues": [{"issue", "feasible", "interval": [lo, hi] or
 * null, "blocking": [ids]}...], "package": {...}, provenance}. */
int pl_feasible_json(char **out, const pl_case *c, const pl_feasible *f, pl_error *err);

/* 1 when x lies outside issue i's zone (or the issue has none): for a note
 * on a forecast; the sentence goes to buf. */
int pl_feasible_outside(const pl_case *c, const pl_feasible *f, size_t issue, double x, char *buf,
			size_t size);

/* An actor's utility of a package (one position per issue), in the units
 * of reservations: -100 * sum over its issues of salience * |x - position|
 * / scale range. */
double pl_feasible_utility(const pl_case *c, size_t actor, const double *package);

#ifdef __cplusplus
}
#endif
#endif
