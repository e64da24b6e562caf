/* request.c - signed requests: how a registered party proves who asks when
 * it reads a private entry over the API (docs/server.md).  The message a
 * party signs is "parley-request\n" METHOD "\n" PATH "\n" TIME "\n" with its
 * Ed25519 key; the server checks it against the key the ledger registered
 * for that party, within a window around its own clock. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledger/ledger_internal.h"

#define MSG_MAX 1200

static int request_message(char *msg, const char *method, const char *path, uint64_t t)
{
	int len = snprintf(msg, MSG_MAX, "parley-request\n%s\n%s\n%" PRIu64 "\n", method, path, t);
	return len < 0 || len >= MSG_MAX ? -1 : len;
}

int pl_request_sign(const pl_key *k, const char *method, const char *path, uint64_t time,
		    char **sig, pl_error *err)
{
	char msg[MSG_MAX];
	uint8_t s[64];
	*sig = NULL;
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	if (!k->has_secret)
		return pl_error_set(err, PL_EINPUT, k->name, "a secret key is needed to sign");
	int len = request_message(msg, method, path, time);
	if (len < 0)
		return pl_error_set(err, PL_EINPUT, path, "too long");
	crypto_sign_detached(s, NULL, (const unsigned char *)msg, (size_t)len, k->sec);
	size_t size = sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL);
	if (!(*sig = malloc(size)))
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	sodium_bin2base64(*sig, size, s, 64, sodium_base64_VARIANT_ORIGINAL);
	return PL_OK;
}

int pl_ledger_verify_request(const pl_ledger *lg, const char *party, const char *method,
			     const char *path, const char *time, const char *sig, uint64_t now,
			     pl_error *err)
{
	char *end = NULL;
	uint64_t t = time ? strtoull(time, &end, 10) : 0;
	uint8_t s[64];
	size_t got = 0;
	if (!party || !sig || !time || !end || *end || end == time)
		return pl_error_set(err, PL_EINPUT, "request",
				    "a signed request needs Parley-Party, Parley-Time (POSIX "
				    "seconds) and Parley-Signature");
	if (t + 300 < now || t > now + 300)
		return pl_error_set(err, PL_EINPUT, "Parley-Time",
				    "more than 300 seconds from the server's clock");
	if (sodium_base642bin(s, sizeof s, sig, strlen(sig), NULL, &got, NULL,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    got != sizeof s)
		return pl_error_set(err, PL_EINPUT, "Parley-Signature",
				    "not a base64 Ed25519 signature");
	const pl__party *p = pl__state_party(&lg->st, party);
	if (!p)
		return pl_error_set(err, PL_EINPUT, "Parley-Party",
				    "'%.128s' is not a registered party", party);
	char msg[MSG_MAX];
	int len = request_message(msg, method, path, t);
	if (len < 0 ||
	    crypto_sign_verify_detached(s, (const unsigned char *)msg, (size_t)len, p->key.pub))
		return pl_error_set(err, PL_EINPUT, "Parley-Signature",
				    "does not verify under the party's key");
	return PL_OK;
}
