/* keys.c - Ed25519 key pairs for parties, witnesses and the log, in the
 * C2SP signed-note encodings (verifier keys "name+id+base64(0x01||pub)" and
 * the matching "PRIVATE+KEY+..." secret key text). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/sha256.h"
#include "ledger/ledger_internal.h"
#include "parley/io.h"

#define KEY_FILE_MAX 4096

int pl_key_generate(const char *name, pl_key *out, pl_error *err)
{
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	memset(out, 0, sizeof *out);
	if (!pl__name_ok(name))
		return pl_error_set(err, PL_EINPUT, "key name",
				    "'%s' is not a valid name: use 1 to %d letters, digits and . _ "
				    "- / : (no spaces, no '+')",
				    name, PL_LEDGER_NAME_MAX);
	snprintf(out->name, sizeof out->name, "%s", name);
	crypto_sign_keypair(out->pub, out->sec);
	out->has_secret = 1;
	return PL_OK;
}

int pl_key_from_seed(const char *name, const uint8_t seed[32], pl_key *out, pl_error *err)
{
	if (pl_key_generate(name, out, err) != PL_OK)
		return PL_EINPUT;
	crypto_sign_seed_keypair(out->pub, out->sec, seed);
	return PL_OK;
}

void pl_key_wipe(pl_key *k)
{
	sodium_memzero(k->sec, sizeof k->sec);
	k->has_secret = 0;
}

uint32_t pl_key_id(const pl_key *k, uint8_t type)
{
	pl__sha256_ctx st;
	uint8_t h[32];
	pl__sha256_init(&st);
	pl__sha256_update(&st, (const uint8_t *)k->name, strlen(k->name));
	pl__sha256_update(&st, (const uint8_t *)"\n", 1);
	pl__sha256_update(&st, &type, 1);
	pl__sha256_update(&st, k->pub, 32);
	pl__sha256_final(&st, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

static int format_key(const pl_key *k, const uint8_t *material, int secret, char *buf, size_t size)
{
	uint8_t raw[33];
	char b64[64];
	raw[0] = 0x01;
	memcpy(raw + 1, material, 32);
	pl__b64(raw, 33, b64, sizeof b64);
	sodium_memzero(raw, sizeof raw);
	int n = snprintf(buf, size, "%s%s+%08x+%s", secret ? "PRIVATE+KEY+" : "", k->name,
			 (unsigned)pl_key_id(k, 0x01), b64);
	sodium_memzero(b64, sizeof b64);
	return (n < 0 || (size_t)n >= size) ? -1 : n;
}

int pl_key_format_vkey(const pl_key *k, char *buf, size_t size)
{
	return format_key(k, k->pub, 0, buf, size) < 0 ? PL_EINPUT : PL_OK;
}

/* Parses "[PRIVATE+KEY+]name+hexid+base64(0x01||32 bytes)". */
static int parse_key(const char *text, pl_key *out, const char *where, pl_error *err)
{
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	memset(out, 0, sizeof *out);
	int secret = strncmp(text, "PRIVATE+KEY+", 12) == 0;
	const char *p = secret ? text + 12 : text;
	const char *plus1 = strchr(p, '+');
	const char *plus2 = plus1 ? strchr(plus1 + 1, '+') : NULL;
	/* the base64 after the second '+' may itself hold '+' */
	if (!plus1 || !plus2 || (size_t)(plus1 - p) > PL_LEDGER_NAME_MAX || plus2 - plus1 != 9)
		return pl_error_set(err, PL_EINPUT, where,
				    "not a key: expected name+hexid+base64 (a signed-note key)");
	memcpy(out->name, p, (size_t)(plus1 - p));
	out->name[plus1 - p] = '\0';
	char idhex[9];
	memcpy(idhex, plus1 + 1, 8);
	idhex[8] = '\0';
	uint8_t raw[33], id[4];
	if (!pl__name_ok(out->name) || pl__unhex(idhex, id, 4) != 0 ||
	    pl__unb64(plus2 + 1, strlen(plus2 + 1), raw, 33) != 0 || raw[0] != 0x01)
		return pl_error_set(err, PL_EINPUT, where,
				    "not an Ed25519 key: bad name, key ID or base64 key");
	if (secret) {
		crypto_sign_seed_keypair(out->pub, out->sec, raw + 1);
		out->has_secret = 1;
	} else {
		memcpy(out->pub, raw + 1, 32);
	}
	sodium_memzero(raw, sizeof raw);
	uint32_t want =
		(uint32_t)id[0] << 24 | (uint32_t)id[1] << 16 | (uint32_t)id[2] << 8 | id[3];
	if (pl_key_id(out, 0x01) != want) {
		pl_key_wipe(out);
		return pl_error_set(err, PL_EINPUT, where,
				    "the key ID does not match the name and key");
	}
	return PL_OK;
}

int pl_key_parse_vkey(const char *text, pl_key *out, pl_error *err)
{
	if (strncmp(text, "PRIVATE+KEY+", 12) == 0)
		return pl_error_set(err, PL_EINPUT, "key",
				    "a secret key where a public key is due");
	return parse_key(text, out, "key", err);
}

int pl_key_read_file(const char *path, pl_key *out, pl_error *err)
{
	static const pl__file_kind kind = {
		.open_fail = "cannot open",
		.not_dir = "is a directory, not a key file",
		.limit = KEY_FILE_MAX,
		.noun = "a key file",
	};
	char *buf;
	size_t n;
	int rc = pl__read_file(path, &kind, &buf, &n, err);
	if (rc)
		return rc;
	size_t len = n;
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (strlen(buf) != len)
		rc = pl_error_set(err, PL_EINPUT, path, "holds a NUL byte");
	else
		rc = parse_key(buf, out, path, err);
	sodium_memzero(buf, n);
	free(buf);
	struct stat sb;
	if (rc == PL_OK && out->has_secret && stat(path, &sb) == 0 && (sb.st_mode & 077)) {
		pl_key_wipe(out);
		return pl_error_set(err, PL_EINPUT, path,
				    "a secret key readable by others is refused: chmod 600 it "
				    "(and consider it exposed)");
	}
	return rc;
}

int pl_key_write_secret(const pl_key *k, const char *path, pl_error *err)
{
	char buf[512];
	if (!k->has_secret)
		return pl_error_set(err, PL_EINPUT, path, "the key has no secret half");
	int n = format_key(k, k->sec, 1, buf, sizeof buf - 1);
	if (n < 0)
		return pl_error_set(err, PL_EINTERNAL, path, "key text too long");
	buf[n++] = '\n';
	int rc = pl_write_file_atomic_mode(path, buf, (size_t)n, 0600, err);
	sodium_memzero(buf, sizeof buf);
	return rc;
}

int pl_key_write_public(const pl_key *k, const char *path, pl_error *err)
{
	char buf[512];
	int n = format_key(k, k->pub, 0, buf, sizeof buf - 1);
	if (n < 0)
		return pl_error_set(err, PL_EINTERNAL, path, "key text too long");
	buf[n++] = '\n';
	return pl_write_file_atomic(path, buf, (size_t)n, err);
}
