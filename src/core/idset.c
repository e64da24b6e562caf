/* idset.c - a set of ids by hash (util.h): open addressing with linear
 * probing over FNV-1a, doubled when half full, for the readers' duplicate
 * checks (a case of 100,000 actors is read in linear time). */
#include "core/util.h"

#include "parley/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pl__idset_slot {
	const char *id; /* NULL: empty */
	size_t idx;
	uint64_t hash;
};

static uint64_t id_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h ^ (h >> 32);
}

static void place(struct pl__idset_slot *slot, size_t cap, struct pl__idset_slot e)
{
	size_t at = (size_t)e.hash & (cap - 1);
	while (slot[at].id)
		at = (at + 1) & (cap - 1);
	slot[at] = e;
}

static int grow(pl__idset *s)
{
	size_t cap = s->cap ? 2 * s->cap : 64;
	struct pl__idset_slot *slot = calloc(cap, sizeof *slot);
	if (!slot)
		return PL_ENOMEM;
	for (size_t k = 0; k < s->cap; k++)
		if (s->slot[k].id)
			place(slot, cap, s->slot[k]);
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return PL_OK;
}

int pl__idset_add(pl__idset *s, const char *id, size_t idx, size_t *dup)
{
	*dup = SIZE_MAX;
	if (2 * (s->n + 1) > s->cap && grow(s))
		return PL_ENOMEM;
	uint64_t h = id_hash(id);
	size_t at = (size_t)h & (s->cap - 1);
	for (; s->slot[at].id; at = (at + 1) & (s->cap - 1))
		if (s->slot[at].hash == h && strcmp(s->slot[at].id, id) == 0) {
			*dup = s->slot[at].idx;
			return PL_OK;
		}
	s->slot[at] = (struct pl__idset_slot){id, idx, h};
	s->n++;
	return PL_OK;
}

size_t pl__idset_find(const pl__idset *s, const char *id)
{
	if (!s->cap)
		return SIZE_MAX;
	uint64_t h = id_hash(id);
	for (size_t at = (size_t)h & (s->cap - 1); s->slot[at].id; at = (at + 1) & (s->cap - 1))
		if (s->slot[at].hash == h && strcmp(s->slot[at].id, id) == 0)
			return s->slot[at].idx;
	return SIZE_MAX;
}

void pl__idset_free(pl__idset *s)
{
	free(s->slot);
	memset(s, 0, sizeof *s);
}
