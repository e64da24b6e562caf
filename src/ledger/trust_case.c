/* trust_case.c - a forecast's case scaled by a ledger's trust scores
 * (docs/ledger.md, "Trust in forecasts"), with what the forecast records of
 * the ledger for its provenance: origin, size and Merkle root. */
#include <stdio.h>
#include <stdlib.h>

#include "parley/case.h"
#include "parley/ledger.h"

/* The ledger's state and the scaled case, with lg open. */
static int scale(pl_ledger *lg, const pl_case *c, double weight, const char *as_of, pl_case **out,
		 pl_ledger_trust_state *state, pl_error *err)
{
	size_t nt = 0, n = pl_case_n_actors(c);
	pl_trust *t = NULL;
	const char **ids = malloc((n ? n : 1) * sizeof *ids);
	double *factor = malloc((n ? n : 1) * sizeof *factor);
	pl_trust_params params;
	pl_trust_params_default(&params);
	int rc = ids && factor ? PL_OK : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	if (!rc)
		rc = pl_ledger_trust(lg, NULL, as_of, &params, &t, &nt, err);
	for (size_t a = 0; !rc && a < n; a++)
		ids[a] = pl_case_actor(c, a)->id;
	if (!rc)
		rc = pl_trust_capability_factors(t, nt, ids, n, weight, factor, err);
	if (!rc)
		rc = pl_case_scale_capabilities(c, factor, out, err);
	if (!rc) {
		uint8_t root[PL_HASH_SIZE];
		state->size = pl_ledger_size(lg);
		rc = pl_ledger_root(lg, state->size, root, err);
		for (size_t k = 0; k < PL_HASH_SIZE; k++)
			snprintf(state->root + 2 * k, 3, "%02x", root[k]);
		snprintf(state->origin, sizeof state->origin, "%s", pl_ledger_origin(lg));
		state->matched = 0;
		for (size_t a = 0; a < n; a++)
			state->matched += factor[a] != 1.0;
	}
	free(t);
	free(ids);
	free(factor);
	return rc;
}

int pl_ledger_scale_case(pl_case **out, const pl_case *c, const char *ledger_path, double weight,
			 const char *as_of, pl_ledger_trust_state *state, pl_error *err)
{
	*out = NULL;
	pl_ledger *lg = NULL;
	int rc = pl_ledger_open_read_only(ledger_path, &lg, err);
	if (!rc)
		rc = scale(lg, c, weight, as_of, out, state, err);
	pl_ledger_close(lg);
	if (rc) {
		pl_case_free(*out);
		*out = NULL;
	}
	return rc;
}
