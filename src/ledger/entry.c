/* entry.c - ledger entries: the signed leaf record, its body, and the rules
 * every entry must keep (who may write what where).  The same check runs
 * when an entry is appended and when audit replays the log. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/sha256.h"
#include "ledger/ledger_internal.h"

static const char *const kind_names[PL_ENTRY_KIND_COUNT] = {
	"party", "channel", "commitment", "verification", "statement", "withdrawal"};

const char *pl_entry_kind_name(pl_entry_kind k)
{
	return (unsigned)k < PL_ENTRY_KIND_COUNT ? kind_names[k] : "?";
}

int pl__kind_from_name(const char *s, pl_entry_kind *out)
{
	for (int i = 0; i < PL_ENTRY_KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (pl_entry_kind)i;
			return 0;
		}
	return -1;
}

/* ---- state ---- */

const pl__party *pl__state_party(const pl__state *st, const char *id)
{
	for (size_t i = 0; i < st->nparties; i++)
		if (strcmp(st->parties[i].key.name, id) == 0)
			return &st->parties[i];
	return NULL;
}

const pl__channel *pl__state_channel(const pl__state *st, const char *id)
{
	for (size_t i = 0; i < st->nchannels; i++)
		if (strcmp(st->channels[i].id, id) == 0)
			return &st->channels[i];
	return NULL;
}

int pl__state_is_member(const pl__state *st, const char *channel, const char *party)
{
	if (strcmp(channel, PL_LEDGER_PUBLIC_CHANNEL) == 0)
		return 1;
	const pl__channel *c = pl__state_channel(st, channel);
	if (!c)
		return 0;
	for (size_t i = 0; i < c->nmembers; i++)
		if (strcmp(c->members[i], party) == 0)
			return 1;
	return 0;
}

void pl__state_free(pl__state *st)
{
	for (size_t i = 0; i < st->nchannels; i++) {
		for (size_t j = 0; j < st->channels[i].nmembers; j++)
			free(st->channels[i].members[j]);
		free(st->channels[i].members);
	}
	free(st->channels);
	free(st->parties);
	st->channels = NULL;
	st->parties = NULL;
	st->nchannels = st->cchannels = st->nparties = st->cparties = 0;
}

/* ---- records ---- */

char *pl__signed_message(const char *origin, const char *leaf_without_sig, size_t *len)
{
	static const char domain[] = "parley-ledger-entry/v1\n";
	size_t o = strlen(origin), l = strlen(leaf_without_sig), d = sizeof domain - 1;
	char *m = malloc(d + o + 1 + l + 1);
	if (!m)
		return NULL;
	memcpy(m, domain, d);
	memcpy(m + d, origin, o);
	m[d + o] = '\n';
	memcpy(m + d + o + 1, leaf_without_sig, l + 1);
	*len = d + o + 1 + l;
	return m;
}

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int record_parse(const char *leaf, size_t len, int check, pl__record *r, pl_error *err);

int pl__record_parse(const char *leaf, size_t len, pl__record *r, pl_error *err)
{
	return record_parse(leaf, len, 1, r, err);
}

int pl__record_parse_trusted(const char *leaf, size_t len, pl__record *r)
{
	return record_parse(leaf, len, 0, r, NULL);
}

static int record_parse(const char *leaf, size_t len, int check, pl__record *r, pl_error *err)
{
	const char *why = NULL;
	memset(r, 0, sizeof *r);
	if (len > 4096)
		return pl_error_set(err, PL_EINPUT, "entry", "a leaf record is at most 4096 bytes");
	json_t *o = pl__parse_canonical(leaf, len, check, &why);
	if (!o)
		return pl_error_set(err, PL_EINPUT, "entry", "the leaf record %s", why);
	static const char *const keys[] = {"author", "body", "channel", "kind",
					   "nonce",  "sig",  "time",	"v"};
	int ok = json_is_object(o) && json_object_size(o) == 8;
	for (size_t i = 0; ok && i < 8; i++)
		ok = json_object_get(o, keys[i]) != NULL;
	const char *a = str_of(o, "author"), *b = str_of(o, "body"), *c = str_of(o, "channel"),
		   *k = str_of(o, "kind"), *n = str_of(o, "nonce"), *s = str_of(o, "sig"),
		   *t = str_of(o, "time");
	json_t *v = json_object_get(o, "v");
	if (!ok || !a || !b || !c || !k || !n || !s || !t || !json_is_integer(v)) {
		json_decref(o);
		return pl_error_set(err, PL_EINPUT, "entry",
				    "a leaf record has exactly the string fields author, body, "
				    "channel, kind, nonce, sig, time and the integer v");
	}
	const char *bad = NULL;
	if (json_integer_value(v) != 1)
		bad = "$.v: only version 1 is known";
	else if (!pl__name_ok(a))
		bad = "$.author: not a valid party name";
	else if (!pl__name_ok(c))
		bad = "$.channel: not a valid channel name";
	else if (pl__kind_from_name(k, &r->kind) != 0)
		bad = "$.kind: not one of party, channel, commitment, verification, statement, "
		      "withdrawal";
	else if (pl__time_parse(t, NULL) != 0)
		bad = "$.time: not a time YYYY-MM-DDTHH:MM:SSZ";
	else if (strlen(n) != 32 || pl__unhex(n, (uint8_t[16]){0}, 16) != 0)
		bad = "$.nonce: not 32 lower-case hex digits";
	else if (pl__unhex(b, r->body_hash, PL_HASH_SIZE) != 0)
		bad = "$.body: not a SHA-256 hash in lower-case hex";
	else if (pl__unb64(s, strlen(s), r->sig, 64) != 0)
		bad = "$.sig: not a base64 Ed25519 signature";
	if (!bad) {
		r->v = 1;
		snprintf(r->author, sizeof r->author, "%s", a);
		snprintf(r->channel, sizeof r->channel, "%s", c);
		snprintf(r->time, sizeof r->time, "%s", t);
		snprintf(r->nonce, sizeof r->nonce, "%s", n);
	}
	json_decref(o);
	if (bad)
		return pl_error_set(err, PL_EINPUT, "entry", "%s", bad);
	return PL_OK;
}

/* The leaf text without its "sig" member (what the author signs). */
static char *unsigned_leaf(const char *leaf)
{
	json_t *o = json_loads(leaf, 0, NULL);
	if (!o)
		return NULL;
	json_object_del(o, "sig");
	char *s = pl__canonical(o);
	json_decref(o);
	return s;
}

/* 16 bytes for a nonce (what = 0) or a salt (what = 1). */
static void fresh_bytes(const uint8_t *seed, int what, uint8_t out[16])
{
	if (!seed) {
		randombytes_buf(out, 16);
		return;
	}
	uint8_t h[32], in[33];
	memcpy(in, seed, 32);
	in[32] = (uint8_t)what;
	pl__sha256(h, in, sizeof in);
	memcpy(out, h, 16);
}

/* A salt the caller supplies must protect as the library's does: at least
 * 16 bytes as lowercase hex (at most 64), and no short pattern repeated
 * (all zeros, "abab..."), which anyone could guess. */
static const char *weak_salt(json_t *s)
{
	const char *v = json_string_value(s);
	if (!v)
		return "is not a string";
	size_t n = strlen(v);
	if (n < 32 || n > 128 || n % 2)
		return "must be 32 to 128 lowercase hex digits (16 to 64 bytes)";
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
			return "must be 32 to 128 lowercase hex digits (16 to 64 bytes)";
	for (size_t period = 1; period <= 8; period++) {
		size_t i = period;
		while (i < n && v[i] == v[i - period])
			i++;
		if (i == n)
			return "is a short pattern repeated, which anyone can guess; leave it "
			       "out and the library adds a random one";
	}
	return NULL;
}

static int make_body(const pl_entry_in *in, char **body, pl_error *err)
{
	json_error_t je;
	json_t *b = json_loads(in->body ? in->body : "{}", JSON_REJECT_DUPLICATES, &je);
	if (!b || !json_is_object(b)) {
		json_decref(b);
		return pl_error_set(err, PL_EINPUT, "body", "not a JSON object%s%s", b ? "" : ": ",
				    b ? "" : je.text);
	}
	const char *weak =
		json_object_get(b, "salt") ? weak_salt(json_object_get(b, "salt")) : NULL;
	if (weak) {
		json_decref(b);
		return pl_error_set(err, PL_EINPUT, "body", "the salt %s", weak);
	}
	if (!json_object_get(b, "salt")) {
		uint8_t salt[16];
		char hex[33];
		fresh_bytes(in->seed, 1, salt);
		pl__hex(salt, 16, hex);
		json_object_set_new(b, "salt", json_string(hex));
	}
	*body = pl__canonical(b);
	json_decref(b);
	if (*body && strlen(*body) > PL_LEDGER_BODY_MAX) {
		free(*body);
		*body = NULL;
		return pl_error_set(err, PL_EINPUT, "body",
				    "longer than %d bytes: keep documents off the log and record "
				    "their SHA-256",
				    PL_LEDGER_BODY_MAX);
	}
	if (!*body)
		return pl_error_set(err, PL_EINPUT, "body",
				    "holds a fraction, an integer beyond 2^53, a non-ASCII key or "
				    "nesting deeper than 32 (canonical JSON allows none)");
	return PL_OK;
}

int pl__entry_make(const pl__state *st, const pl_entry_in *in, char **leaf, char **body,
		   pl_error *err)
{
	*leaf = *body = NULL;
	char now[32];
	if (!in->author || !in->author->has_secret)
		return pl_error_set(err, PL_EINPUT, "entry", "the author's secret key is needed");
	if ((unsigned)in->kind >= PL_ENTRY_KIND_COUNT)
		return pl_error_set(err, PL_EINPUT, "entry", "unknown entry kind");
	const char *channel = in->channel ? in->channel : PL_LEDGER_PUBLIC_CHANNEL;
	if (!pl__name_ok(channel))
		return pl_error_set(err, PL_EINPUT, "entry", "bad channel name '%s'", channel);
	if (!in->time)
		pl__time_format((int64_t)time(NULL), now);
	const char *t = in->time ? in->time : now;
	if (pl__time_parse(t, NULL) != 0)
		return pl_error_set(err, PL_EINPUT, "entry",
				    "time '%s' is not YYYY-MM-DDTHH:MM:SSZ", t);
	if (make_body(in, body, err) != PL_OK)
		return PL_EINPUT;
	uint8_t h[PL_HASH_SIZE], nonce[16];
	char hex[65], nhex[33], sig64[128];
	pl__sha256(h, (const uint8_t *)*body, strlen(*body));
	pl__hex(h, PL_HASH_SIZE, hex);
	fresh_bytes(in->seed, 0, nonce);
	pl__hex(nonce, 16, nhex);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "author", in->author->name,
			      "body", hex, "channel", channel, "kind", pl_entry_kind_name(in->kind),
			      "nonce", nhex, "time", t, "v", 1);
	char *unsig = o ? pl__canonical(o) : NULL;
	size_t mlen = 0;
	char *msg = unsig ? pl__signed_message(st->origin, unsig, &mlen) : NULL;
	if (msg) {
		uint8_t sig[64];
		crypto_sign_detached(sig, NULL, (const uint8_t *)msg, mlen, in->author->sec);
		pl__b64(sig, 64, sig64, sizeof sig64);
		json_object_set_new(o, "sig", json_string(sig64));
		*leaf = pl__canonical(o);
	}
	free(msg);
	free(unsig);
	json_decref(o);
	if (!*leaf) {
		free(*body);
		*body = NULL;
		return pl_error_set(err, PL_ENOMEM, "entry", "out of memory");
	}
	return PL_OK;
}

/* ---- the rules ---- */

/* Only the named members, each of the given JSON type; "salt" always allowed. */
static const char *only_keys(json_t *o, const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		int known = strcmp(k, "salt") == 0 && json_is_string(v);
		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(k, keys[i]) == 0;
		if (!known)
			return k;
	}
	return NULL;
}

static int rule(pl_error *err, uint64_t index, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rule(pl_error *err, uint64_t index, const char *fmt, ...)
{
	char where[64], msg[PL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(where, sizeof where, "entry %llu", (unsigned long long)index);
	return pl_error_set(err, PL_EINPUT, where, "%s", msg);
}

static int check_party(pl__state *st, uint64_t idx, json_t *b, pl_error *err)
{
	static const char *const keys[] = {"id", "key", "name", "role"};
	const char *bad = only_keys(b, keys, 4);
	const char *id = str_of(b, "id"), *vk = str_of(b, "key"), *name = str_of(b, "name"),
		   *role = str_of(b, "role");
	if (bad)
		return rule(err, idx, "party body: unknown member '%s'", bad);
	if (!id || !vk || !name || !role)
		return rule(err, idx, "party body needs strings id, key, name and role");
	if (strcmp(role, "delegation") && strcmp(role, "inspectorate") && strcmp(role, "observer"))
		return rule(err, idx, "party role '%s' is not delegation, inspectorate or observer",
			    role);
	pl_key k;
	if (pl_key_parse_vkey(vk, &k, NULL) != PL_OK || strcmp(k.name, id) != 0)
		return rule(err, idx, "party '%s': key is not a verifier key named after the id",
			    id);
	if (pl__state_party(st, id) || strcmp(id, st->log_key.name) == 0 ||
	    strcmp(id, PL_LEDGER_PUBLIC_CHANNEL) == 0)
		return rule(err, idx, "party '%s' is already registered (or a reserved name)", id);
	if (st->nparties == st->cparties) {
		size_t nc = st->cparties ? 2 * st->cparties : 8;
		void *p = realloc(st->parties, nc * sizeof *st->parties);
		if (!p)
			return pl_error_set(err, PL_ENOMEM, "ledger", "out of memory");
		st->parties = p;
		st->cparties = nc;
	}
	pl__party *np = &st->parties[st->nparties++];
	memset(np, 0, sizeof *np);
	np->key = k;
	snprintf(np->role, sizeof np->role, "%s", role);
	return PL_OK;
}

static int check_members(pl__state *st, uint64_t idx, json_t *m, int min)
{
	if (!json_is_array(m) || json_array_size(m) < (size_t)min || json_array_size(m) > 64)
		return -1;
	for (size_t i = 0; i < json_array_size(m); i++) {
		const char *p = json_string_value(json_array_get(m, i));
		if (!p || !pl__state_party(st, p))
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(p, json_string_value(json_array_get(m, j))) == 0)
				return -1;
	}
	(void)idx;
	return 0;
}

static int check_channel(pl__state *st, uint64_t idx, json_t *b, pl_error *err)
{
	static const char *const keys[] = {"id", "members", "name"};
	const char *bad = only_keys(b, keys, 3);
	const char *id = str_of(b, "id");
	json_t *m = json_object_get(b, "members");
	if (bad)
		return rule(err, idx, "channel body: unknown member '%s'", bad);
	if (!id || !pl__name_ok(id) || !json_is_string(json_object_get(b, "name")))
		return rule(err, idx, "channel body needs a valid id and a name");
	if (pl__state_channel(st, id) || strcmp(id, PL_LEDGER_PUBLIC_CHANNEL) == 0)
		return rule(err, idx, "channel '%s' exists already", id);
	if (check_members(st, idx, m, 2) != 0)
		return rule(err, idx,
			    "channel '%s': members must be 2 to 64 distinct registered parties",
			    id);
	if (st->nchannels == st->cchannels) {
		size_t nc = st->cchannels ? 2 * st->cchannels : 8;
		void *p = realloc(st->channels, nc * sizeof *st->channels);
		if (!p)
			return pl_error_set(err, PL_ENOMEM, "ledger", "out of memory");
		st->channels = p;
		st->cchannels = nc;
	}
	pl__channel *c = &st->channels[st->nchannels];
	memset(c, 0, sizeof *c);
	snprintf(c->id, sizeof c->id, "%s", id);
	c->members = calloc(json_array_size(m), sizeof *c->members);
	if (!c->members)
		return pl_error_set(err, PL_ENOMEM, "ledger", "out of memory");
	for (size_t i = 0; i < json_array_size(m); i++) {
		c->members[i] = strdup(json_string_value(json_array_get(m, i)));
		if (!c->members[i])
			return pl_error_set(err, PL_ENOMEM, "ledger", "out of memory");
		c->nmembers++;
	}
	st->nchannels++;
	return PL_OK;
}

static int check_commitment(pl__state *st, const pl__record *r, uint64_t idx, json_t *b,
			    pl_error *err)
{
	static const char *const keys[] = {"action", "deadline",     "note",
					   "to",     "verification", "verifiers"};
	const char *bad = only_keys(b, keys, 6);
	json_t *dl = json_object_get(b, "deadline"), *to = json_object_get(b, "to"),
	       *vs = json_object_get(b, "verifiers"), *note = json_object_get(b, "note");
	const char *action = str_of(b, "action");
	if (bad)
		return rule(err, idx, "commitment body: unknown member '%s'", bad);
	if (!action || !*action || strlen(action) > 255 ||
	    !json_is_string(json_object_get(b, "verification")))
		return rule(err, idx,
			    "a commitment needs an action (1-255 bytes) and the verification "
			    "that will count");
	if (dl && (!json_is_string(dl) || pl__time_parse(json_string_value(dl), NULL) != 0))
		return rule(err, idx, "commitment deadline is not YYYY-MM-DDTHH:MM:SSZ");
	if (note && !json_is_string(note))
		return rule(err, idx, "commitment note must be a string");
	if (to && check_members(st, idx, to, 1) != 0)
		return rule(err, idx, "commitment 'to' must list registered parties");
	if (vs && check_members(st, idx, vs, 1) != 0)
		return rule(err, idx, "commitment 'verifiers' must list registered parties");
	for (size_t i = 0; vs && i < json_array_size(vs); i++)
		if (!pl__state_is_member(st, r->channel, json_string_value(json_array_get(vs, i))))
			return rule(err, idx, "verifier '%s' is not a member of the channel",
				    json_string_value(json_array_get(vs, i)));
	return PL_OK;
}

static int check_reference(const pl__record *r, uint64_t idx, json_t *b, pl__find_commit find,
			   void *ctx, pl__commit_ref *ref, pl_error *err)
{
	const char *c = str_of(b, "commitment");
	uint8_t h[PL_HASH_SIZE];
	if (!c || pl__unhex(c, h, PL_HASH_SIZE) != 0)
		return rule(err, idx, "'commitment' must be a commitment's leaf hash in hex");
	if (!find || find(ctx, h, idx, ref) != 0)
		return rule(err, idx, "no earlier commitment has the leaf hash %s", c);
	if (strcmp(ref->channel, r->channel) != 0)
		return rule(err, idx, "the commitment is in channel '%s', not this one",
			    ref->channel);
	/* times of one fixed UTC form compare as strings */
	if (!ref->time[0] || strcmp(r->time, ref->time) < 0)
		return rule(err, idx,
			    "backdated: dated %s, before the commitment it refers to (entry %llu, "
			    "dated %s); a %s may not be dated before its commitment",
			    r->time, (unsigned long long)ref->index,
			    ref->time[0] ? ref->time : "unreadable", pl_entry_kind_name(r->kind));
	return PL_OK;
}

static int check_verification(const pl__record *r, uint64_t idx, json_t *b, pl__find_commit find,
			      void *ctx, pl_error *err)
{
	static const char *const keys[] = {"commitment", "evidence", "note", "result"};
	const char *bad = only_keys(b, keys, 4);
	const char *res = str_of(b, "result"), *ev = str_of(b, "evidence");
	uint8_t h[PL_HASH_SIZE];
	pl__commit_ref ref;
	if (bad)
		return rule(err, idx, "verification body: unknown member '%s'", bad);
	if (!res || (strcmp(res, "verified") && strcmp(res, "partial") && strcmp(res, "violated")))
		return rule(err, idx, "verification result must be verified, partial or violated");
	if (!ev || pl__unhex(ev, h, PL_HASH_SIZE) != 0)
		return rule(err, idx,
			    "verification evidence must be the SHA-256 (hex) of the evidence");
	if (json_object_get(b, "note") && !json_is_string(json_object_get(b, "note")))
		return rule(err, idx, "verification note must be a string");
	if (check_reference(r, idx, b, find, ctx, &ref, err) != PL_OK)
		return PL_EINPUT;
	if (strcmp(ref.author, r->author) == 0)
		return rule(err, idx, "%s may not verify its own commitment", r->author);
	if (ref.verifiers[0]) {
		char q[PL_LEDGER_NAME_MAX + 3];
		snprintf(q, sizeof q, "\"%s\"", r->author);
		if (!strstr(ref.verifiers, q))
			return rule(err, idx, "%s is not a verifier named by the commitment",
				    r->author);
	}
	return PL_OK;
}

static int check_withdrawal(const pl__record *r, uint64_t idx, json_t *b, pl__find_commit find,
			    void *ctx, pl_error *err)
{
	static const char *const keys[] = {"commitment", "reason"};
	const char *bad = only_keys(b, keys, 2);
	pl__commit_ref ref;
	if (bad)
		return rule(err, idx, "withdrawal body: unknown member '%s'", bad);
	if (!json_is_string(json_object_get(b, "reason")))
		return rule(err, idx, "a withdrawal needs a reason");
	if (check_reference(r, idx, b, find, ctx, &ref, err) != PL_OK)
		return PL_EINPUT;
	if (strcmp(ref.author, r->author) != 0)
		return rule(err, idx, "only %s may withdraw its commitment", ref.author);
	return PL_OK;
}

static int check_author(const pl__state *st, const pl__record *r, uint64_t idx, const pl_key **key,
			pl_error *err)
{
	if (r->kind == PL_ENTRY_PARTY || r->kind == PL_ENTRY_CHANNEL) {
		if (strcmp(r->author, st->log_key.name) != 0)
			return rule(err, idx,
				    "only the log key registers parties and channels (not "
				    "%s)",
				    r->author);
		if (strcmp(r->channel, PL_LEDGER_PUBLIC_CHANNEL) != 0)
			return rule(err, idx, "parties and channels are registered in public");
		*key = &st->log_key;
		return PL_OK;
	}
	const pl__party *p = pl__state_party(st, r->author);
	if (!p)
		return rule(err, idx, "author '%s' is not a registered party", r->author);
	if (strcmp(r->channel, PL_LEDGER_PUBLIC_CHANNEL) != 0 && !pl__state_channel(st, r->channel))
		return rule(err, idx, "no channel '%s'", r->channel);
	if (!pl__state_is_member(st, r->channel, r->author))
		return rule(err, idx, "%s is not a member of this channel", r->author);
	*key = &p->key;
	return PL_OK;
}

static int check_sig(const pl__state *st, const pl__record *r, uint64_t idx, const char *leaf,
		     const pl_key *key, pl_error *err)
{
	char *unsig = unsigned_leaf(leaf);
	size_t mlen = 0;
	char *msg = unsig ? pl__signed_message(st->origin, unsig, &mlen) : NULL;
	int bad = !msg ||
		  crypto_sign_verify_detached(r->sig, (const uint8_t *)msg, mlen, key->pub) != 0;
	free(msg);
	free(unsig);
	if (bad)
		return rule(err, idx, "the signature of %s does not verify", r->author);
	return PL_OK;
}

int pl__entry_presign(const pl__state *st, const char *leaf, uint8_t pub[32])
{
	pl__record rec;
	pl_error e;
	const pl_key *key = NULL;
	pl_error_clear(&e);
	/* leaf is canonical: pl__signed_doc_parse wrote it */
	if (record_parse(leaf, strlen(leaf), 0, &rec, &e) != PL_OK ||
	    check_author(st, &rec, 0, &key, &e) != PL_OK ||
	    check_sig(st, &rec, 0, leaf, key, &e) != PL_OK)
		return -1;
	memcpy(pub, key->pub, 32);
	return 0;
}

int pl__entry_check(pl__state *st, uint64_t index, const char *leaf, const char *body, int full,
		    pl__find_commit find, void *ctx, pl__record *rec, pl_error *err)
{
	return pl__entry_check_verified(st, index, leaf, body, full, NULL, find, ctx, rec, err);
}

int pl__entry_check_verified(pl__state *st, uint64_t index, const char *leaf, const char *body,
			     int full, const uint8_t *verified, pl__find_commit find, void *ctx,
			     pl__record *rec, pl_error *err)
{
	/* verified: leaf and body were written canonically by
	 * pl__signed_doc_parse, and the signature held under that key
	 * (pl__entry_presign, on another handle of the same log) */
	int canon = full && !verified;
	if (record_parse(leaf, strlen(leaf), canon, rec, err) != PL_OK)
		return PL_EINPUT;
	const pl_key *key = NULL;
	if (check_author(st, rec, index, &key, err) != PL_OK)
		return PL_EINPUT;
	int known = verified && sodium_memcmp(verified, key->pub, 32) == 0;
	if (full && !known && check_sig(st, rec, index, leaf, key, err) != PL_OK)
		return PL_EINPUT;
	uint8_t h[PL_HASH_SIZE];
	if (strlen(body) > PL_LEDGER_BODY_MAX)
		return rule(err, index, "the body is longer than %d bytes", PL_LEDGER_BODY_MAX);
	pl__sha256(h, (const uint8_t *)body, strlen(body));
	if (sodium_memcmp(h, rec->body_hash, PL_HASH_SIZE) != 0)
		return rule(err, index, "the body does not match the hash in the leaf record");
	const char *why = NULL;
	json_t *b = pl__parse_canonical(body, strlen(body), canon, &why);
	if (!b || !json_is_object(b)) {
		json_decref(b);
		return rule(err, index, "the body is not a canonical JSON object");
	}
	int rc = PL_OK;
	switch (rec->kind) {
	case PL_ENTRY_PARTY: rc = check_party(st, index, b, err); break;
	case PL_ENTRY_CHANNEL: rc = check_channel(st, index, b, err); break;
	case PL_ENTRY_COMMITMENT: rc = check_commitment(st, rec, index, b, err); break;
	case PL_ENTRY_VERIFICATION: rc = check_verification(rec, index, b, find, ctx, err); break;
	case PL_ENTRY_WITHDRAWAL: rc = check_withdrawal(rec, index, b, find, ctx, err); break;
	case PL_ENTRY_STATEMENT: {
		const char *bad = only_keys(b, (const char *const[]){"text"}, 1);
		if (bad)
			rc = rule(err, index, "statement body: unknown member '%s'", bad);
		else if (!json_is_string(json_object_get(b, "text")))
			rc = rule(err, index, "a statement body is {\"text\": \"...\"}");
		break;
	}
	default: rc = rule(err, index, "unknown kind");
	}
	json_decref(b);
	return rc;
}
