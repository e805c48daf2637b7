/*
 * arrays.c - the flat arrays and string dictionaries the index is built of.
 *
 * An il__arr grows by doubling, so appending is amortised O(1) and an
 * index of a million documents is a few dozen allocations, not one per
 * posting.
 *
 * il__dict maps byte strings to dense uint32 indexes: keys in one pool,
 * fixed-size entries, and a power-of-two slot table with linear probing kept
 * at most half full, so a lookup touches one or two slots on average.  An
 * entry is 8 bytes (offset and length); the hash (FNV-1a, 32 bits) is not
 * stored, so growing re-reads the keys, and the slot table is derived data
 * that snapshots leave out and loading makes again (il__dict_rehash).
 *
 * Invariants: len <= cap; every key in a pool is
 * followed by a NUL byte.
 * Depends on: base.
 */
#include "index/index_internal.h"

#include <stdlib.h>
#include <string.h>

int il__arr_grow(struct il__arr *a, size_t extra)
{
	size_t need, cap;
	if (!il_size_add(a->len, extra, &need))
		return il_error_set(IL_ETOOBIG, "index array of %zu + %zu bytes overflows", a->len,
				    extra);
	/* an empty array gets room too, so p is never NULL after a reserve */
	if (a->p && need <= a->cap)
		return IL_OK;
	cap = a->cap ? a->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	unsigned char *p = il_realloc(a->p, cap);
	if (!p)
		return il_error_set(IL_ENOMEM, "index: out of memory growing to %zu bytes", cap);
	a->p = p;
	a->cap = cap;
	return IL_OK;
}

int il__arr_add(struct il__arr *a, const void *data, size_t len)
{
	int rc = il__arr_reserve(a, len);
	if (rc)
		return rc;
	if (len)
		memcpy(a->p + a->len, data, len);
	a->len += len;
	return IL_OK;
}

void il__arr_release(struct il__arr *a)
{
	free(a->p);
	a->p = NULL;
	a->len = a->cap = 0;
}

size_t il__arr_bytes(const struct il__arr *a)
{
	return a->len;
}

uint32_t il__hash(const void *key, size_t len)
{
	/* eight bytes a step, each mixed by a multiply and a shift (the
	 * finaliser of splitmix64); slot tables are never saved, so the
	 * function may change between versions */
	const unsigned char *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)len, w;
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 29;
	}
	if (len >= 4) { /* two 4-byte reads, overlapping when len < 8 */
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + len - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else if (len) { /* first, middle and last byte */
		w = (uint64_t)p[0] << 16 | (uint64_t)p[len / 2] << 8 | p[len - 1];
	} else {
		w = 0;
	}
	h = (h ^ w) * 0x94d049bb133111ebull;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ (h >> 32));
}

static uint32_t find(const struct il__dict *d, const void *key, size_t len, uint32_t h)
{
	size_t nslots = IL__COUNT(d->slots, uint32_t);
	const uint32_t *slots = IL__AT(d->slots, const uint32_t);
	const struct il__dent *ents = IL__AT(d->ents, const struct il__dent);
	if (!nslots)
		return IL__NONE;
	for (size_t i = h & (nslots - 1);; i = (i + 1) & (nslots - 1)) {
		uint32_t s = slots[i];
		if (!s)
			return IL__NONE;
		const struct il__dent *e = &ents[s - 1];
		if (e->len == len && memcmp(d->pool.p + e->off, key, len) == 0)
			return s - 1;
	}
}

uint32_t il__dict_find(const struct il__dict *d, const void *key, size_t len)
{
	return find(d, key, len, il__hash(key, len));
}

/* Rebuilds the slot table with `nslots` slots from the keys. */
static int rehash(struct il__dict *d, size_t nslots)
{
	struct il__arr slots = {NULL, 0, 0};
	size_t bytes;
	const struct il__dent *ents = IL__AT(d->ents, const struct il__dent);
	uint32_t n = il__dict_size(d);
	int rc;
	if (!il_size_mul(nslots, sizeof(uint32_t), &bytes))
		return il_error_set(IL_ETOOBIG, "index dictionary of %zu slots", nslots);
	if ((rc = il__arr_reserve(&slots, bytes)) != IL_OK)
		return rc;
	memset(slots.p, 0, bytes);
	slots.len = bytes;
	uint32_t *s = IL__AT(slots, uint32_t);
	for (uint32_t e = 0; e < n; e++) {
		size_t i = il__hash(d->pool.p + ents[e].off, ents[e].len) & (nslots - 1);
		while (s[i])
			i = (i + 1) & (nslots - 1);
		s[i] = e + 1;
	}
	il__arr_release(&d->slots);
	d->slots = slots;
	return IL_OK;
}

int il__dict_rehash(struct il__dict *d)
{
	size_t nslots = 64;
	if (il__dict_size(d) == 0) {
		il__arr_release(&d->slots); /* as a new dictionary: slots come with a key */
		return IL_OK;
	}
	while (nslots < (size_t)il__dict_size(d) * 2)
		nslots *= 2;
	return rehash(d, nslots);
}

int il__dict_append(struct il__dict *d, const void *key, size_t len)
{
	struct il__dent e;
	int rc;
	if (il__dict_size(d) >= IL__NONE - 1 || len >= UINT32_MAX - 1 - d->pool.len)
		return il_error_set(IL_ETOOBIG, "index dictionary is full");
	if ((rc = il__arr_reserve(&d->ents, sizeof(e))) != IL_OK ||
	    (rc = il__arr_reserve(&d->pool, len + 1)) != IL_OK)
		return rc;
	e.off = (uint32_t)d->pool.len;
	e.len = (uint32_t)len;
	memcpy(d->pool.p + d->pool.len, key, len);
	d->pool.p[d->pool.len + len] = '\0';
	d->pool.len += len + 1;
	memcpy(d->ents.p + d->ents.len, &e, sizeof(e));
	d->ents.len += sizeof(e);
	return IL_OK;
}

int il__dict_add(struct il__dict *d, const void *key, size_t len, uint32_t *out, bool *added)
{
	uint32_t h = il__hash(key, len), i = find(d, key, len, h), n = il__dict_size(d);
	size_t nslots = IL__COUNT(d->slots, uint32_t);
	int rc;
	if (added)
		*added = false;
	if (i != IL__NONE) {
		*out = i;
		return IL_OK;
	}
	/* slots first: a failure after them leaves the same keys, in more slots */
	if ((size_t)(n + 1) * 2 > nslots && (rc = rehash(d, nslots ? nslots * 2 : 64)) != IL_OK)
		return rc;
	if ((rc = il__dict_append(d, key, len)) != IL_OK)
		return rc;
	nslots = IL__COUNT(d->slots, uint32_t);
	uint32_t *s = IL__AT(d->slots, uint32_t);
	size_t j = h & (nslots - 1);
	while (s[j])
		j = (j + 1) & (nslots - 1);
	s[j] = n + 1;
	*out = n;
	if (added)
		*added = true;
	return IL_OK;
}

const char *il__dict_key(const struct il__dict *d, uint32_t i, size_t *len)
{
	const struct il__dent *e = &IL__AT(d->ents, const struct il__dent)[i];
	if (len)
		*len = e->len;
	return (const char *)d->pool.p + e->off;
}

void il__dict_release(struct il__dict *d)
{
	il__arr_release(&d->pool);
	il__arr_release(&d->ents);
	il__arr_release(&d->slots);
}

size_t il__dict_bytes(const struct il__dict *d)
{
	return il__arr_bytes(&d->pool) + il__arr_bytes(&d->ents) + il__arr_bytes(&d->slots);
}
