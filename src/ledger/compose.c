/* compose.c - entries composed from their parts: a party's registration,
 * a channel's opening (both signed by the log key), and a batch of entries
 * written as JSON lines.  The command and the server call these, so a body
 * is built the same way whichever face receives it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ledger/ledger_internal.h"

/* Appends one entry whose body is the JSON value b (taken). */
static int append_body(pl_ledger *lg, pl_entry_kind kind, const pl_key *log_key, json_t *b,
		       const char *time, uint64_t *index, pl_error *err)
{
	char *body = b ? json_dumps(b, JSON_COMPACT) : NULL;
	json_decref(b);
	if (!body)
		return pl_error_set(err, PL_EINPUT, "body",
				    "the names and texts must be UTF-8 (or out of memory)");
	pl_entry_in in = {kind, PL_LEDGER_PUBLIC_CHANNEL, time, body, log_key, NULL};
	int rc = pl_ledger_append(lg, &in, 1, index, err);
	free(body);
	return rc;
}

int pl_ledger_add_party(pl_ledger *lg, const pl_key *log_key, const char *id, const pl_key *pub,
			const char *name, const char *role, const char *time, uint64_t *index,
			pl_error *err)
{
	char vk[512];
	pl_key_format_vkey(pub, vk, sizeof vk);
	json_t *b =
		json_pack("{s:s, s:s, s:s, s:s}", "id", id, "key", vk, "name", name, "role", role);
	return append_body(lg, PL_ENTRY_PARTY, log_key, b, time, index, err);
}

int pl_ledger_add_channel(pl_ledger *lg, const pl_key *log_key, const char *id, const char *name,
			  const char *const *members, size_t n_members, const char *time,
			  uint64_t *index, pl_error *err)
{
	json_t *m = json_array();
	for (size_t i = 0; m && i < n_members; i++)
		if (json_array_append_new(m, json_string(members[i])) != 0) {
			json_decref(m);
			m = NULL;
		}
	json_t *b = m ? json_pack("{s:s, s:s, s:o}", "id", id, "name", name, "members", m) : NULL;
	return append_body(lg, PL_ENTRY_CHANNEL, log_key, b, time, index, err);
}

static int party_kind(const char *kind)
{
	for (int i = PL_ENTRY_COMMITMENT; kind && i < PL_ENTRY_KIND_COUNT; i++)
		if (strcmp(kind, pl_entry_kind_name((pl_entry_kind)i)) == 0)
			return i;
	return -1;
}

/* One line of a batch, checked; *o and *body (its compact text) are new. */
static int batch_line(const char *l, size_t len, const char *where, json_t **o, char **body,
		      int *kind, pl_error *err)
{
	json_error_t je;
	*body = NULL;
	*o = json_loadb(l, len, JSON_REJECT_DUPLICATES, &je);
	json_t *b = json_object_get(*o, "body");
	*kind = party_kind(json_string_value(json_object_get(*o, "kind")));
	if (!*o || *kind < 0 || !json_is_object(b) || !(*body = json_dumps(b, JSON_COMPACT)))
		return pl_error_set(err, PL_EINPUT, where,
				    "each line is an object with kind (commitment, verification, "
				    "statement, withdrawal) and a body object%s%s",
				    *o ? "" : ": ", *o ? "" : je.text);
	const char *k;
	json_t *v;
	json_object_foreach(*o, k, v)
	{
		int known = !strcmp(k, "kind") || !strcmp(k, "body");
		if (!strcmp(k, "channel") || !strcmp(k, "time")) {
			if (!json_is_string(v))
				return pl_error_set(err, PL_EINPUT, where, "%s must be a string",
						    k);
			known = 1;
		}
		if (!known)
			return pl_error_set(err, PL_EINPUT, where,
					    "unknown member '%s' (a line has kind, channel, time "
					    "and body)",
					    k);
	}
	return PL_OK;
}

/* Moves the parsed lines into one allocation: the entries, then their
 * strings. */
static pl_entry_in *pack(json_t *lines, const int *kinds, size_t n)
{
	size_t size = n * sizeof(pl_entry_in);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(lines, 2 * i);
		const char *ch = json_string_value(json_object_get(o, "channel"));
		const char *t = json_string_value(json_object_get(o, "time"));
		size += strlen(json_string_value(json_array_get(lines, 2 * i + 1))) + 1;
		size += (ch ? strlen(ch) + 1 : 0) + (t ? strlen(t) + 1 : 0);
	}
	pl_entry_in *in = malloc(size ? size : 1);
	char *p = (char *)(in + n);
	for (size_t i = 0; in && i < n; i++) {
		json_t *o = json_array_get(lines, 2 * i);
		const char *s[3] = {json_string_value(json_object_get(o, "channel")),
				    json_string_value(json_object_get(o, "time")),
				    json_string_value(json_array_get(lines, 2 * i + 1))};
		const char *copy[3] = {NULL, NULL, NULL};
		for (int k = 0; k < 3; k++) {
			if (!s[k])
				continue;
			size_t len = strlen(s[k]) + 1;
			memcpy(p, s[k], len);
			copy[k] = p;
			p += len;
		}
		pl_entry_in e = {(pl_entry_kind)kinds[i], copy[0], copy[1], copy[2], NULL, NULL};
		in[i] = e;
	}
	return in;
}

int pl_entry_lines_parse(pl_entry_in **out, size_t *n, const char *text, size_t len,
			 const char *name, pl_error *err)
{
	*out = NULL;
	*n = 0;
	json_t *lines = json_array();
	int *kinds = NULL;
	size_t cap = 0, count = 0, line = 0;
	int rc = lines ? PL_OK : pl_error_set(err, PL_ENOMEM, name, "out of memory");
	for (size_t at = 0; rc == PL_OK && at < len;) {
		const char *l = text + at, *nl = memchr(l, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - l) : len - at;
		at += ll + 1;
		line++;
		if (ll == 0 || (ll == 1 && l[0] == '\r'))
			continue; /* an empty line */
		char where[PL_ERROR_WHERE_MAX];
		snprintf(where, sizeof where, "%s:%zu", name, line);
		json_t *o;
		char *body;
		int kind;
		rc = batch_line(l, ll, where, &o, &body, &kind, err);
		if (rc == PL_OK && count == cap) {
			int *k2 = realloc(kinds, (cap = cap ? 2 * cap : 64) * sizeof *kinds);
			rc = k2 ? PL_OK : pl_error_set(err, PL_ENOMEM, where, "out of memory");
			kinds = k2 ? k2 : kinds;
		}
		if (rc == PL_OK) {
			kinds[count++] = kind;
			json_array_append(lines, o);
			json_array_append_new(lines, json_string(body));
		}
		json_decref(o);
		free(body);
	}
	if (rc == PL_OK && json_array_size(lines) != 2 * count)
		rc = pl_error_set(err, PL_ENOMEM, name, "out of memory");
	if (rc == PL_OK && count && !(*out = pack(lines, kinds, count)))
		rc = pl_error_set(err, PL_ENOMEM, name, "out of memory");
	if (rc == PL_OK)
		*n = count;
	json_decref(lines);
	free(kinds);
	return rc;
}
