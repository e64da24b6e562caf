/* fuzz_roadmap.c - libFuzzer target: the roadmap reader must reject or
 * accept any bytes without crashing, leaking or reading out of bounds; an
 * accepted roadmap is solved (with a small node budget) and written as JSON
 * and CSV, and a plan it calls feasible must keep every party within its
 * exposure after every stage. */
#include <parley/parley.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_plan(const pl_roadmap *r, const pl_roadmap_plan *pl)
{
	size_t np = pl_roadmap_n_parties(r);
	for (size_t k = 0; k <= pl->n_stages; k++)
		for (size_t p = 0; p < np; p++) {
			double b = pl->balance[k * np + p] + pl_roadmap_party_exposure(r, p);
			if (b < pl->margin - 1e-6 * (1 + (b < 0 ? -b : b)))
				abort();
		}
	for (size_t s = 0; s < pl_roadmap_n_steps(r); s++)
		if (pl->stage[s] < 1 || pl->stage[s] > pl->n_stages)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_roadmap *r = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_roadmap_read_mem((const char *)data, size, "fuzz.json", &r, &err))
		return 0;
	pl_roadmap_plan *pl = NULL;
	pl_roadmap_options opt = {.node_limit = 20000};
	if (!pl_roadmap_needs_case(r) && pl_roadmap_solve(r, &opt, &pl, &err) == 0) {
		if (pl->feasible)
			check_plan(r, pl);
		char *json = NULL, *csv = NULL;
		if (pl_roadmap_plan_json(&json, r, pl, &err) ||
		    pl_roadmap_plan_csv(&csv, r, pl, &err))
			abort();
		pl_free(json);
		pl_free(csv);
	}
	pl_roadmap_plan_free(pl);
	pl_roadmap_free(r);
	return 0;
}
