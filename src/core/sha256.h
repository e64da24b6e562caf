/* sha256.h - SHA-256 for every module: the case and game hashes, digests
 * of files and the ledger's Merkle tree.
 *
 * Nettle's implementation: it picks the CPU's SHA instructions where there
 * are some (about 4.5 times libsodium's portable code on the 65-byte node
 * hashes that proofs are made of, and on long inputs), it needs no set-up
 * and no context on the heap, and its static archive adds a few dozen
 * relocations to the command, where OpenSSL's EVP, which the ledger used
 * before, brought 16,600 and their page faults to every start
 * (docs/benchmarks.md, "start-up"). */
#ifndef PL_CORE_SHA256_H
#define PL_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#define PL__SHA256_SIZE 32

typedef struct sha256_ctx pl__sha256_ctx;

static inline void pl__sha256_init(pl__sha256_ctx *s)
{
	sha256_init(s);
}

static inline void pl__sha256_update(pl__sha256_ctx *s, const void *data, size_t len)
{
	if (len)
		sha256_update(s, len, data);
}

static inline void pl__sha256_final(pl__sha256_ctx *s, uint8_t out[PL__SHA256_SIZE])
{
	sha256_digest(s, PL__SHA256_SIZE, out);
}

/* The hash of one buffer (data may be NULL when len is 0). */
static inline void pl__sha256(uint8_t out[PL__SHA256_SIZE], const void *data, size_t len)
{
	pl__sha256_ctx s;
	pl__sha256_init(&s);
	pl__sha256_update(&s, data, len);
	pl__sha256_final(&s, out);
}

#endif
