/* merkle.c - the RFC 6962 / RFC 9162 Merkle tree: hashing, an append-only
 * in-memory tree, inclusion and consistency proofs and their verification.
 *
 * The tree keeps every perfect subtree hash: level k holds the hashes of the
 * aligned subtrees of 2^k leaves, so the hash of any RFC 6962 subtree, and
 * thus any root or proof, costs O(log n) lookups and at most log n hashes. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/sha256.h"
#include "ledger/ledger_internal.h"

/* SHA-256 of a leaf (RFC 6962: 0x00 || data) and of a node
 * (0x01 || left || right), through core/sha256.h, which uses the CPU's
 * SHA instructions where there are some. */
void pl_merkle_leaf_hash(const void *data, size_t len, uint8_t out[PL_HASH_SIZE])
{
	static const uint8_t prefix = 0x00;
	pl__sha256_ctx st;
	pl__sha256_init(&st);
	pl__sha256_update(&st, &prefix, 1);
	pl__sha256_update(&st, data, len);
	pl__sha256_final(&st, out);
}

void pl_merkle_node_hash(const uint8_t left[PL_HASH_SIZE], const uint8_t right[PL_HASH_SIZE],
			 uint8_t out[PL_HASH_SIZE])
{
	uint8_t buf[1 + 2 * PL_HASH_SIZE];
	buf[0] = 0x01;
	memcpy(buf + 1, left, PL_HASH_SIZE);
	memcpy(buf + 1 + PL_HASH_SIZE, right, PL_HASH_SIZE);
	pl__sha256(out, buf, sizeof buf);
}

void pl_merkle_empty_root(uint8_t out[PL_HASH_SIZE])
{
	pl__sha256(out, NULL, 0);
}

/* The largest power of two strictly smaller than n (n >= 2). */
static uint64_t split_point(uint64_t n)
{
	uint64_t k = 1;
	while (k << 1 < n)
		k <<= 1;
	return k;
}

struct pl_merkle_tree {
	uint64_t size;
	int nlevels;
	uint8_t (*level[64])[PL_HASH_SIZE]; /* level[k][i]: leaves [i*2^k, (i+1)*2^k) */
	uint64_t cap[64];
};

int pl_merkle_tree_new(pl_merkle_tree **out, pl_error *err)
{
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	*out = calloc(1, sizeof **out);
	if (!*out)
		return pl_error_set(err, PL_ENOMEM, "merkle", "out of memory");
	return PL_OK;
}

void pl_merkle_tree_free(pl_merkle_tree *t)
{
	if (!t)
		return;
	for (int k = 0; k < t->nlevels; k++)
		free(t->level[k]);
	free(t);
}

uint64_t pl_merkle_tree_size(const pl_merkle_tree *t)
{
	return t->size;
}

static int push_level(pl_merkle_tree *t, int k, uint64_t idx, const uint8_t h[PL_HASH_SIZE])
{
	if (k >= t->nlevels)
		t->nlevels = k + 1;
	if (idx >= t->cap[k]) {
		uint64_t ncap = t->cap[k] ? t->cap[k] * 2 : 64;
		void *p = realloc(t->level[k], ncap * PL_HASH_SIZE);
		if (!p)
			return PL_ENOMEM;
		t->level[k] = p;
		t->cap[k] = ncap;
	}
	memcpy(t->level[k][idx], h, PL_HASH_SIZE);
	return PL_OK;
}

int pl_merkle_tree_append(pl_merkle_tree *t, const uint8_t leaf_hash[PL_HASH_SIZE], pl_error *err)
{
	uint64_t idx = t->size;
	uint8_t h[PL_HASH_SIZE];
	memcpy(h, leaf_hash, PL_HASH_SIZE);
	for (int k = 0;; k++) {
		if (push_level(t, k, idx, h) != PL_OK)
			return pl_error_set(err, PL_ENOMEM, "merkle", "out of memory");
		if ((idx & 1) == 0)
			break;
		pl_merkle_node_hash(t->level[k][idx - 1], t->level[k][idx], h);
		idx >>= 1;
	}
	t->size++;
	return PL_OK;
}

/* Forgets the leaves from size on (a failed batch); the stored perfect
 * subtrees below size stay valid and later appends overwrite the rest. */
void pl__merkle_truncate(pl_merkle_tree *t, uint64_t size)
{
	if (size < t->size)
		t->size = size;
}

int pl_merkle_tree_leaf(const pl_merkle_tree *t, uint64_t index, uint8_t out[PL_HASH_SIZE])
{
	if (index >= t->size)
		return PL_EINPUT;
	memcpy(out, t->level[0][index], PL_HASH_SIZE);
	return PL_OK;
}

/* MTH(D[lo:hi]) for a range the RFC 6962 recursion can reach (hi <= size). */
static void subtree_hash(const pl_merkle_tree *t, uint64_t lo, uint64_t hi,
			 uint8_t out[PL_HASH_SIZE])
{
	uint64_t n = hi - lo;
	if ((n & (n - 1)) == 0) {
		int k = 0;
		while ((UINT64_C(1) << k) < n)
			k++;
		memcpy(out, t->level[k][lo >> k], PL_HASH_SIZE);
		return;
	}
	uint64_t k = split_point(n);
	uint8_t l[PL_HASH_SIZE], r[PL_HASH_SIZE];
	subtree_hash(t, lo, lo + k, l);
	subtree_hash(t, lo + k, hi, r);
	pl_merkle_node_hash(l, r, out);
}

int pl_merkle_tree_root(const pl_merkle_tree *t, uint64_t size, uint8_t out[PL_HASH_SIZE],
			pl_error *err)
{
	if (size > t->size)
		return pl_error_set(err, PL_EINPUT, "merkle",
				    "tree size %llu is larger than the tree (%llu leaves)",
				    (unsigned long long)size, (unsigned long long)t->size);
	if (size == 0)
		pl_merkle_empty_root(out);
	else
		subtree_hash(t, 0, size, out);
	return PL_OK;
}

/* RFC 6962 section 2.1.1 PATH(m, D[lo:hi]), written leaf first. */
static size_t path(const pl_merkle_tree *t, uint64_t m, uint64_t lo, uint64_t hi,
		   uint8_t (*out)[PL_HASH_SIZE], size_t n)
{
	if (hi - lo == 1)
		return n;
	uint64_t k = split_point(hi - lo);
	if (m < lo + k) {
		n = path(t, m, lo, lo + k, out, n);
		subtree_hash(t, lo + k, hi, out[n]);
	} else {
		n = path(t, m, lo + k, hi, out, n);
		subtree_hash(t, lo, lo + k, out[n]);
	}
	return n + 1;
}

int pl_merkle_tree_inclusion_proof(const pl_merkle_tree *t, uint64_t index, uint64_t size,
				   uint8_t (*proof)[PL_HASH_SIZE], size_t *len, pl_error *err)
{
	if (size > t->size || index >= size)
		return pl_error_set(err, PL_EINPUT, "merkle",
				    "no inclusion proof for leaf %llu in a tree of %llu leaves "
				    "(the log holds %llu)",
				    (unsigned long long)index, (unsigned long long)size,
				    (unsigned long long)t->size);
	*len = path(t, index, 0, size, proof, 0);
	return PL_OK;
}

/* RFC 6962 section 2.1.2 SUBPROOF(m, D[lo:hi], b). */
static size_t subproof(const pl_merkle_tree *t, uint64_t m, uint64_t lo, uint64_t hi, int b,
		       uint8_t (*out)[PL_HASH_SIZE], size_t n)
{
	uint64_t sz = hi - lo;
	if (m == sz) {
		if (!b)
			subtree_hash(t, lo, hi, out[n++]);
		return n;
	}
	uint64_t k = split_point(sz);
	if (m <= k) {
		n = subproof(t, m, lo, lo + k, b, out, n);
		subtree_hash(t, lo + k, hi, out[n]);
	} else {
		n = subproof(t, m - k, lo + k, hi, 0, out, n);
		subtree_hash(t, lo, lo + k, out[n]);
	}
	return n + 1;
}

int pl_merkle_tree_consistency_proof(const pl_merkle_tree *t, uint64_t size1, uint64_t size2,
				     uint8_t (*proof)[PL_HASH_SIZE], size_t *len, pl_error *err)
{
	if (size2 > t->size || size1 > size2)
		return pl_error_set(err, PL_EINPUT, "merkle",
				    "no consistency proof from size %llu to size %llu "
				    "(the log holds %llu leaves)",
				    (unsigned long long)size1, (unsigned long long)size2,
				    (unsigned long long)t->size);
	*len = 0;
	if (size1 == 0 || size1 == size2)
		return PL_OK;
	*len = subproof(t, size1, 0, size2, 1, proof, 0);
	return PL_OK;
}

static int fail(pl_error *err, const char *what)
{
	return pl_error_set(err, PL_EINPUT, "merkle proof", "%s", what);
}

/* RFC 9162 section 2.1.3.2. */
int pl_merkle_verify_inclusion(uint64_t index, uint64_t size, const uint8_t leaf[PL_HASH_SIZE],
			       const uint8_t (*proof)[PL_HASH_SIZE], size_t len,
			       const uint8_t root[PL_HASH_SIZE], pl_error *err)
{
	if (index >= size)
		return fail(err, "leaf index is not smaller than the tree size");
	uint64_t fn = index, sn = size - 1;
	uint8_t r[PL_HASH_SIZE];
	memcpy(r, leaf, PL_HASH_SIZE);
	size_t i = 0;
	for (; i < len && sn != 0; i++) {
		if ((fn & 1) || fn == sn) {
			pl_merkle_node_hash(proof[i], r, r);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			pl_merkle_node_hash(r, proof[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (i < len)
		return fail(err, "inclusion proof is longer than the tree is deep");
	if (sn != 0)
		return fail(err, "inclusion proof is shorter than the tree is deep");
	if (sodium_memcmp(r, root, PL_HASH_SIZE) != 0)
		return fail(err, "inclusion proof does not lead to the root hash");
	return PL_OK;
}

static int verify_consistency_path(uint64_t size1, uint64_t size2, const uint8_t *root1,
				   const uint8_t *root2, const uint8_t (*proof)[PL_HASH_SIZE],
				   size_t len, pl_error *err)
{
	const uint8_t(*p)[PL_HASH_SIZE] = proof;
	size_t n = len;
	int first_pow2 = (size1 & (size1 - 1)) == 0;
	uint64_t fn = size1 - 1, sn = size2 - 1;
	uint8_t fr[PL_HASH_SIZE], sr[PL_HASH_SIZE];
	if (first_pow2) {
		memcpy(fr, root1, PL_HASH_SIZE);
	} else {
		memcpy(fr, p[0], PL_HASH_SIZE);
		p++;
		n--;
	}
	memcpy(sr, fr, PL_HASH_SIZE);
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	size_t i = 0;
	for (; i < n && sn != 0; i++) {
		if ((fn & 1) || fn == sn) {
			pl_merkle_node_hash(p[i], fr, fr);
			pl_merkle_node_hash(p[i], sr, sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			pl_merkle_node_hash(sr, p[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (i < n)
		return fail(err, "consistency proof is too long");
	if (sn != 0)
		return fail(err, "consistency proof is too short");
	if (sodium_memcmp(fr, root1, PL_HASH_SIZE) != 0)
		return fail(err, "consistency proof does not lead to the old root hash");
	if (sodium_memcmp(sr, root2, PL_HASH_SIZE) != 0)
		return fail(err, "consistency proof does not lead to the new root hash");
	return PL_OK;
}

/* RFC 9162 section 2.1.4.2.  A proof from the empty tree proves nothing and
 * is refused (callers treat an empty old tree as trivially consistent), as
 * in the transparency-dev/merkle verifier. */
int pl_merkle_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t root1[PL_HASH_SIZE],
				 const uint8_t root2[PL_HASH_SIZE],
				 const uint8_t (*proof)[PL_HASH_SIZE], size_t len, pl_error *err)
{
	if (size1 > size2)
		return fail(err, "the old tree is larger than the new tree");
	if (size1 == 0)
		return fail(err, "a consistency proof from the empty tree proves nothing");
	if (size1 == size2) {
		if (len != 0)
			return fail(err, "a proof between equal sizes must be empty");
		if (sodium_memcmp(root1, root2, PL_HASH_SIZE) != 0)
			return fail(err, "two trees of the same size have different roots");
		return PL_OK;
	}
	if (len == 0)
		return fail(err, "consistency proof is empty");
	if (len > 128)
		return fail(err, "consistency proof is too long");
	return verify_consistency_path(size1, size2, root1, root2, proof, len, err);
}
