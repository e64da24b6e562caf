/* util.c - small helpers the ledger's files share: hex and base64 codecs,
 * canonical JSON, names, and days between times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "ledger/ledger_internal.h"

/* libsodium must be initialised before use; sodium_init() is idempotent and
 * thread-safe, so every entry point that may be first calls this. */
int pl__sodium(pl_error *err)
{
	if (sodium_init() < 0)
		return pl_error_set(err, PL_EINTERNAL, "libsodium", "cannot initialise libsodium");
	return PL_OK;
}

void pl__hex(const uint8_t *in, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, in, n);
}

int pl__unhex(const char *in, uint8_t *out, size_t n)
{
	size_t got = 0;
	if (strlen(in) != 2 * n)
		return -1;
	for (size_t i = 0; i < 2 * n; i++)
		if (!((in[i] >= '0' && in[i] <= '9') || (in[i] >= 'a' && in[i] <= 'f')))
			return -1; /* lower case only: one spelling per value */
	if (sodium_hex2bin(out, n, in, 2 * n, NULL, &got, NULL) != 0 || got != n)
		return -1;
	return 0;
}

void pl__b64(const uint8_t *in, size_t n, char *out, size_t size)
{
	sodium_bin2base64(out, size, in, n, sodium_base64_VARIANT_ORIGINAL);
}

/* Decodes standard padded base64 of exactly n bytes; refuses any other
 * spelling (whitespace, missing padding, non-zero trailing bits) so that a
 * value has one encoding only. */
int pl__unb64(const char *in, size_t inlen, uint8_t *out, size_t n)
{
	size_t got = 0;
	if (inlen != sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) - 1)
		return -1;
	if (sodium_base642bin(out, n, in, inlen, NULL, &got, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != n)
		return -1;
	char back[512];
	if (inlen >= sizeof back)
		return -1;
	pl__b64(out, n, back, sizeof back);
	return memcmp(back, in, inlen) == 0 ? 0 : -1;
}

/* Names of keys, parties, channels and logs: 1..PL_LEDGER_NAME_MAX of
 * [A-Za-z0-9._/:-]. */
int pl__name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > PL_LEDGER_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-' || c == '/' || c == ':'))
			return 0;
	}
	return 1;
}

double pl__time_days(const char *s)
{
	int64_t t;
	if (pl__time_parse(s, &t) != 0)
		return 0;
	/* whole days and the seconds into the day, added as fractions of a day */
	int64_t days = t / 86400 - (t % 86400 < 0);
	int64_t sec = t - days * 86400;
	return (double)days + (double)sec / 86400.0;
}

static int canon_check(json_t *v, int depth)
{
	if (depth > 32)
		return -1;
	if (json_is_real(v))
		return -1;
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		return (i > 9007199254740991LL || i < -9007199254740991LL) ? -1 : 0;
	}
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			for (const char *p = k; *p; p++)
				if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
					return -1;
			if (canon_check(x, depth + 1) != 0)
				return -1;
		}
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) if (canon_check(x, depth + 1) != 0) return -1;
	}
	return 0;
}

/* The canonical text of a JSON value (docs/ledger.md): no spaces, keys
 * sorted bytewise, integers only, UTF-8 kept as is.  NULL when the value
 * holds something canonical form does not allow. */
char *pl__canonical(json_t *v)
{
	if (canon_check(v, 0) != 0)
		return NULL;
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

/* Parses text that must already be canonical; NULL (and a reason) if not.
 * check = 0 skips the canonical test (text this process just wrote). */
json_t *pl__parse_canonical(const char *text, size_t len, int check, const char **why)
{
	json_error_t je;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!v) {
		*why = "not valid JSON";
		return NULL;
	}
	if (!check)
		return v;
	char *c = pl__canonical(v);
	if (!c) {
		*why = "holds a value canonical JSON does not allow (a fraction, a huge integer, a "
		       "non-ASCII key or nesting deeper than 32)";
		json_decref(v);
		return NULL;
	}
	int same = strlen(c) == len && memcmp(c, text, len) == 0;
	free(c);
	if (!same) {
		*why = "is not in canonical form (no spaces, keys sorted)";
		json_decref(v);
		return NULL;
	}
	return v;
}
