/* digest.h - SHA-256 as 64 lowercase hex digits, the form every parley
 * document records its inputs' hashes in ("input_sha256", a game's
 * "sha256"), and the few other bytes-level helpers a service needs:
 * constant-time comparison of secrets, wiping, random identifiers. */
#ifndef PARLEY_DIGEST_H
#define PARLEY_DIGEST_H

#include <stddef.h>

#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The SHA-256 of len bytes at data, as 64 hex digits and a NUL. */
void pl_sha256_hex(char out[65], const void *data, size_t len);

/* The SHA-256 of the bytes of the file at path.  PL_EINPUT (where: the path)
 * when it cannot be opened or read. */
int pl_sha256_file_hex(char out[65], const char *path, pl_error *err);

/* The SHA-256 of the bytes at a followed by those at b. */
void pl_sha256_hex2(char out[65], const void *a, size_t alen, const void *b, size_t blen);

/* 1 when the texts a and b are equal, in a time that depends on neither
 * (both are hashed, the hashes compared in constant time): a bearer
 * token's check. */
int pl_secret_equal(const char *a, const char *b);
/* Zeroes n bytes at p in a way the compiler keeps. */
void pl_secret_wipe(void *p, size_t n);
/* 2n lowercase hex digits of n fresh random bytes (n <= 64) and a NUL: an
 * identifier nobody can guess (a job's id). */
int pl_random_hex(char *out, size_t n, pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
