/* signed.c - entries signed away from the log.
 *
 * A party signs an entry on its own machine, with no copy of the database,
 * and hands the result to the log operator (a file, or the body of an HTTP
 * request) as one JSON document, the signed entry:
 *
 *     {"body":{...},"format":"parley-signed-entry/v1","leaf":{...},
 *      "origin":"six-party.example/ledger"}
 *
 * The log appends it under the rules of every append: the key must be the
 * author's registered one, the author a member of the channel, the entry new
 * (no replay) and the signature good for this log's origin (no forgery).
 * docs/ledger.md, "Entries signed offline", is the manual. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ledger/ledger_internal.h"

#define SIGNED_FORMAT "parley-signed-entry/v1"
/* The longest document read: a body may spell each byte as a \u escape. */
#define SIGNED_DOC_MAX (8 * (PL_LEDGER_BODY_MAX + 4096))

int pl_entry_sign(char **out, const char *origin, const pl_entry_in *in, pl_error *err)
{
	*out = NULL;
	if (!origin || !pl__name_ok(origin))
		return pl_error_set(err, PL_EINPUT, "origin",
				    "'%s' is not a valid log origin (letters, digits, . _ - / :)",
				    origin ? origin : "");
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	pl__state st;
	memset(&st, 0, sizeof st);
	snprintf(st.origin, sizeof st.origin, "%s", origin);
	char *leaf = NULL, *body = NULL;
	int rc = pl__entry_make(&st, in, &leaf, &body, err);
	if (rc != PL_OK)
		return rc;
	/* both parts are canonical already and the origin needs no escape, so
	 * the document is canonical too: members in byte order, no spaces */
	static const char f1[] = "{\"body\":", f2[] = ",\"format\":\"" SIGNED_FORMAT "\",\"leaf\":",
			  f3[] = ",\"origin\":\"", f4[] = "\"}";
	size_t n = strlen(f1) + strlen(body) + strlen(f2) + strlen(leaf) + strlen(f3) +
		   strlen(origin) + strlen(f4) + 1;
	char *doc = malloc(n);
	if (doc)
		snprintf(doc, n, "%s%s%s%s%s%s%s", f1, body, f2, leaf, f3, origin, f4);
	free(leaf);
	free(body);
	if (!doc)
		return pl_error_set(err, PL_ENOMEM, "entry", "out of memory");
	*out = doc;
	return PL_OK;
}

/* The canonical text of member name of doc, an object; NULL and the error
 * when it is missing, not an object or not expressible canonically. */
static char *part_text(json_t *doc, const char *name, pl_error *err)
{
	char where[32];
	snprintf(where, sizeof where, "$.%s", name);
	json_t *v = json_object_get(doc, name);
	if (!json_is_object(v)) {
		pl_error_set(err, PL_EINPUT, where, "must be a JSON object (the %s of the entry)",
			     strcmp(name, "leaf") == 0 ? "signed leaf record" : "body");
		return NULL;
	}
	char *s = pl__canonical(v);
	if (!s)
		pl_error_set(err, PL_EINPUT, where,
			     "holds a fraction, an integer beyond 2^53, a non-ASCII key or "
			     "nesting deeper than 32 (canonical JSON allows none)");
	return s;
}

/* The leaf and body texts of a signed-entry document for a log of origin. */
int pl__signed_doc_parse(const char *doc, size_t len, const char *origin, char **leaf, char **body,
			 pl_error *err)
{
	*leaf = *body = NULL;
	if (len > SIGNED_DOC_MAX)
		return pl_error_set(err, PL_EINPUT, "signed entry",
				    "longer than %d bytes: not a signed entry", SIGNED_DOC_MAX);
	json_error_t je;
	json_t *d = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je);
	if (!d)
		return pl_error_set(err, PL_EINPUT, "signed entry",
				    "not JSON (line %d, column %d: %s)", je.line, je.column,
				    je.text);
	const char *fmt = json_string_value(json_object_get(d, "format"));
	const char *o = json_string_value(json_object_get(d, "origin"));
	int rc = PL_OK;
	if (!json_is_object(d) || !fmt || strcmp(fmt, SIGNED_FORMAT) != 0)
		rc = pl_error_set(err, PL_EINPUT, "$.format",
				  "not \"" SIGNED_FORMAT "\": not a signed entry (make one with "
				  "'parley ledger sign')");
	else if (json_object_size(d) != 4 || !o)
		rc = pl_error_set(err, PL_EINPUT, "signed entry",
				  "has exactly the members body, format, leaf and origin (a "
				  "string)");
	else if (strcmp(o, origin) != 0)
		rc = pl_error_set(err, PL_EINPUT, "$.origin",
				  "the entry was signed for the log '%s', this log is '%s'", o,
				  origin);
	if (rc == PL_OK && !(*leaf = part_text(d, "leaf", err)))
		rc = PL_EINPUT;
	if (rc == PL_OK && !(*body = part_text(d, "body", err)))
		rc = PL_EINPUT;
	json_decref(d);
	if (rc != PL_OK) {
		free(*leaf);
		free(*body);
		*leaf = *body = NULL;
	}
	return rc;
}

int pl_ledger_append_signed_doc(pl_ledger *lg, const char *doc, size_t len, uint64_t *index,
				pl_error *err)
{
	char *leaf, *body;
	if (index)
		*index = pl_ledger_size(lg);
	int rc = pl__signed_doc_parse(doc, len, pl_ledger_origin(lg), &leaf, &body, err);
	if (rc == PL_OK)
		rc = pl_ledger_append_signed(lg, leaf, body, index, err);
	free(leaf);
	free(body);
	return rc;
}

int pl_ledger_append_signed_docs(pl_ledger *lg, size_t n, const char *const *doc, const size_t *len,
				 uint64_t *index, pl_error *errs, pl_error *err)
{
	char **leaf = calloc(n ? n : 1, sizeof *leaf), **body = calloc(n ? n : 1, sizeof *body);
	size_t *pos = calloc(n ? n : 1, sizeof *pos), m = 0;
	uint64_t *idx = calloc(n ? n : 1, sizeof *idx);
	pl_error *e = calloc(n ? n : 1, sizeof *e);
	int rc = leaf && body && pos && idx && e
			 ? PL_OK
			 : pl_error_set(err, PL_ENOMEM, "entry", "out of memory");
	for (size_t k = 0; k < n && rc == PL_OK; k++) /* the documents that parse */
		if (pl__signed_doc_parse(doc[k], len[k], pl_ledger_origin(lg), &leaf[m], &body[m],
					 &errs[k]) == PL_OK)
			pos[m++] = k;
	if (rc == PL_OK)
		rc = pl_ledger_append_signed_many(lg, m, (const char *const *)leaf,
						  (const char *const *)body, idx, e, err);
	for (size_t j = 0; j < m; j++) {
		if (rc == PL_OK && e[j].code != PL_OK)
			errs[pos[j]] = e[j];
		else if (rc == PL_OK && index)
			index[pos[j]] = idx[j];
		free(leaf[j]);
		free(body[j]);
	}
	free(leaf);
	free(body);
	free(pos);
	free(idx);
	free(e);
	return rc;
}

/* ---- prepared entries: the expensive part of an append, done beforehand ---- */

struct pl_signed_entry {
	char *leaf, *body;
	uint8_t pub[32];
	int verified;
};

int pl_signed_entry_prepare(const pl_ledger *lg, const char *doc, size_t len,
			    pl_signed_entry **out, pl_error *err)
{
	*out = NULL;
	pl_signed_entry *e = calloc(1, sizeof *e);
	if (!e)
		return pl_error_set(err, PL_ENOMEM, "entry", "out of memory");
	int rc = pl__signed_doc_parse(doc, len, pl_ledger_origin(lg), &e->leaf, &e->body, err);
	if (rc != PL_OK) {
		free(e);
		return rc;
	}
	/* a signature that does not hold (or an author lg does not know yet)
	 * is left to the append, which says why in its own words */
	e->verified = pl__entry_presign(&lg->st, e->leaf, e->pub) == 0;
	*out = e;
	return PL_OK;
}

void pl_signed_entry_free(pl_signed_entry *e)
{
	if (!e)
		return;
	free(e->leaf);
	free(e->body);
	free(e);
}

int pl_ledger_append_prepared(pl_ledger *lg, size_t n, pl_signed_entry *const *e,
			      uint64_t *index, pl_error *errs, pl_error *err)
{
	const char **leaf = calloc(n ? n : 1, sizeof *leaf);
	const char **body = calloc(n ? n : 1, sizeof *body);
	const uint8_t **verified = calloc(n ? n : 1, sizeof *verified);
	int rc = leaf && body && verified ? PL_OK
					  : pl_error_set(err, PL_ENOMEM, "entry", "out of memory");
	for (size_t k = 0; k < n && rc == PL_OK; k++) {
		leaf[k] = e[k]->leaf;
		body[k] = e[k]->body;
		verified[k] = e[k]->verified ? e[k]->pub : NULL;
	}
	if (rc == PL_OK)
		rc = pl__append_signed_many(lg, n, leaf, body, verified, index, errs, err);
	free(leaf);
	free(body);
	free(verified);
	return rc;
}
