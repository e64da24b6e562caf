/* status.c - the ledger's status document: the commitments and the trust
 * table a viewer may see, as `parley ledger status --json` prints it (and as
 * a server answers it), built here so that every face gives the same bytes. */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "ledger/ledger_internal.h"

static char *status_json(pl_ledger *lg, const char *viewer, const char *as_of,
			 const pl_commitment *c, size_t nc, const pl_trust *t, size_t nt,
			 double half_life)
{
	json_t *o =
		json_pack("{s:s, s:I, s:s?, s:s?, s:f, s:[], s:[]}", "origin", pl_ledger_origin(lg),
			  "entries", (json_int_t)pl_ledger_size(lg), "viewer", viewer, "as_of",
			  as_of, "half_life_days", half_life, "commitments", "trust");
	json_t *ca = json_object_get(o, "commitments"), *ta = json_object_get(o, "trust");
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(
			ca, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "index",
				      (json_int_t)c[i].index, "id", c[i].id, "party", c[i].party,
				      "channel", c[i].channel, "action", c[i].action, "state",
				      pl_commitment_state_name(c[i].state), "since", c[i].since,
				      "deadline", c[i].deadline[0] ? c[i].deadline : NULL));
	for (size_t i = 0; i < nt; i++)
		json_array_append_new(ta, json_pack("{s:s, s:f, s:f, s:f, s:i, s:i, s:i}", "party",
						    t[i].party, "trust", t[i].score, "evidence_for",
						    t[i].pos, "evidence_against", t[i].neg, "kept",
						    t[i].kept, "broken", t[i].broken, "open",
						    t[i].open));
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

int pl_ledger_status_json(char **out, pl_ledger *lg, const char *viewer, const char *as_of,
			  const pl_trust_params *params, pl_error *err)
{
	*out = NULL;
	pl_trust_params p;
	if (params)
		p = *params;
	else
		pl_trust_params_default(&p);
	pl_commitment *c = NULL;
	pl_trust *t = NULL;
	size_t nc = 0, nt = 0;
	int rc = pl_ledger_commitments(lg, viewer, as_of, &c, &nc, err);
	if (rc == PL_OK)
		rc = pl_ledger_trust(lg, viewer, as_of, &p, &t, &nt, err);
	if (rc == PL_OK && !(*out = status_json(lg, viewer, as_of, c, nc, t, nt, p.half_life_days)))
		rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	free(c);
	free(t);
	return rc;
}
