/* compare_out.h - choosing the formats and engines of a forum comparison and
 * writing it as JSON; shared by `parley compare` and `parley report`. */
#ifndef PARLEY_CLI_COMPARE_OUT_H
#define PARLEY_CLI_COMPARE_OUT_H

#include <jansson.h>

#include <parley/parley.h>

typedef struct compare_spec {
	size_t n_forums, n_engines, baseline;
	size_t *forums; /* PL_NO_FORUM = everyone */
	const pl_engine **engines;
	pl_params **params;
} compare_spec;

/* forums: "all" or "ID,ID,..." ("everyone" = all actors at full weight);
 * engines: "all" or "NAME,..."; baseline: an id or NULL (the forum with the
 * most members); params: ENGINE.NAME=VALUE or NAME=VALUE for every engine. */
int compare_spec_build(const pl_case *c, const char *forums, const char *engines,
		       const char *baseline, const char *const *params, size_t n_params,
		       compare_spec *sp, pl_error *err);
void compare_spec_free(compare_spec *sp);
int compare_spec_run(const pl_case *c, const compare_spec *sp, int rounds, uint64_t seed,
		     pl_compare **out, pl_error *err);

/* Sum over the issues actor a takes part in of its gain under format k. */
double compare_total_gain(const pl_compare *cmp, const pl_case *c, size_t k, size_t a);

/* Engine e's result under the first format it ran in (every format runs an
 * engine with the same parameters, seed and rounds), for the provenance;
 * NULL when it ran in none. */
const pl_result *compare_engine_result(const pl_compare *cmp, const compare_spec *sp, size_t e);

json_t *compare_to_json(const pl_case *c, const pl_compare *cmp, const compare_spec *sp);

#endif
