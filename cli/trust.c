/* trust.c - `parley forecast --trust LEDGER`: the ledger's trust scores
 * scale the actors' capabilities before the forecast (docs/ledger.md, "Trust
 * in forecasts"), and the ledger's state goes into the result's provenance. */
#include "cli.h"

#include <parley/ledger.h>

#include <stdio.h>

int cli_apply_trust(const char *cmd, pl_case **c, const char *path, double weight,
		    const char *as_of, cli_trust *info)
{
	pl_error err;
	pl_error_clear(&err);
	pl_case *scaled = NULL;
	pl_ledger_trust_state state;
	if (pl_ledger_scale_case(&scaled, *c, path, weight, as_of, &state, &err) != PL_OK)
		return cli_report(cmd, &err);
	snprintf(info->case_sha256, sizeof info->case_sha256, "%s", pl_case_hash(*c));
	size_t n = 0;
	info->factors[0] = '\0';
	for (size_t a = 0; a < pl_case_n_actors(*c) && n < sizeof info->factors; a++) {
		double before = pl_case_actor(*c, a)->capability,
		       after = pl_case_actor(scaled, a)->capability;
		if (before != after && before > 0)
			n += (size_t)snprintf(info->factors + n, sizeof info->factors - n,
					      "%s%s x%.2f", n ? ", " : "", pl_case_actor(*c, a)->id,
					      after / before);
	}
	snprintf(info->latest_event, sizeof info->latest_event, "%s", state.latest_event);
	info->period_end_year = state.period_end_year;
	snprintf(info->origin, sizeof info->origin, "%s", state.origin);
	snprintf(info->root, sizeof info->root, "%s", state.root);
	info->size = state.size;
	info->weight = weight;
	info->matched = state.matched;
	pl_case_free(*c);
	*c = scaled;
	return 0;
}
