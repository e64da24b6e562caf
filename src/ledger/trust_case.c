/* trust_case.c - a forecast's case scaled by a ledger's trust scores
 * (docs/ledger.md, "Trust in forecasts"), with what the forecast records of
 * the ledger for its provenance: origin, size and Merkle root. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/case.h"
#include "parley/ledger.h"

/* The last year (1000-2999, four digits standing alone) the case's period
 * names before any ':' (what follows is a gloss: "April 2003 - October 2007:
 * the opening positions of 2003-2004" ends in 2007); 0 when none. */
static int period_end_year(const pl_case *c)
{
	const char *p = pl_case_get_info(c)->period;
	int year = 0;
	for (size_t k = 0; p && p[k] && p[k] != ':'; k++)
		if (isdigit((unsigned char)p[k]) && (k == 0 || !isdigit((unsigned char)p[k - 1])) &&
		    isdigit((unsigned char)p[k + 1]) && isdigit((unsigned char)p[k + 2]) &&
		    isdigit((unsigned char)p[k + 3]) && !isdigit((unsigned char)p[k + 4]) &&
		    (p[k] == '1' || p[k] == '2'))
			year = atoi(p + k);
	return year;
}

/* The latest "since" of the commitments of parties that are actors of c. */
static int latest_event(pl_ledger *lg, const pl_case *c, const char *as_of, char out[11],
			pl_error *err)
{
	pl_commitment *cm = NULL;
	size_t n = 0;
	out[0] = '\0';
	int rc = pl_ledger_commitments(lg, NULL, as_of, &cm, &n, err);
	for (size_t k = 0; !rc && k < n; k++) {
		size_t a;
		if (pl_case_find_actor(c, cm[k].party, &a, NULL) != PL_OK)
			continue;
		if (strncmp(cm[k].since, out, 10) > 0)
			snprintf(out, 11, "%.10s", cm[k].since);
	}
	free(cm);
	return rc;
}

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
		state->period_end_year = period_end_year(c);
	}
	if (!rc)
		rc = latest_event(lg, c, as_of, state->latest_event, err);
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
