/*
 * arrays.c - the flat arrays and string dictionaries the index is built of.
 *
 * An il__arr grows by doubling, so appending is amortised O(1) and an
 * index of a million documents is a few dozen allocations, not one per
 * posting.
 *
 * il__dict maps byte strings to dense uint32 indexes: keys in one pool,
 * fixed-size entries, and a power-of-two slot table with linear probing kept
 * at most 3/4 full.  An entry is 8 bytes (offset and length).  A slot
 * (16 bytes, struct il__dslot) holds the entry index + 1, the key's hash
 * and length, and its first 8 bytes: a probe that meets another key moves
 * on without reading that key, a key of up to 8 bytes (most terms) is
 * found in its slot alone, one cache line, and growing needs no key at
 * all.  The slot table is derived data that snapshots leave out and
 * loading makes again (il__dict_rehash).
 *
 * Invariants: len <= cap; every key in a pool is
 * followed by a NUL byte.
 * Depends on: base.
 */
#include "index/index_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Arrays this large ask for huge pages: the slab, pools and document
 * records of a large index are written and read at random, and 2 MiB
 * pages keep their addresses in the TLB. */
#define HUGE_FROM ((size_t)8 << 20)

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
	if (cap >= HUGE_FROM)
		il__advise_huge(p, cap);
	return IL_OK;
}

void il__advise_huge(void *p, size_t len)
{
	uintptr_t page = 4096, a = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t e = ((uintptr_t)p + len) & ~(page - 1);
#ifdef MADV_HUGEPAGE
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)a;
	(void)e;
#endif
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

/* Keys this long or shorter are told apart by their slot alone: its head
 * holds all of their bytes (on a little-endian machine, where key_head
 * puts byte i at bits 8i). */
#define SHORT_KEY IL__DICT_SHORT
#define MAX_SLOTS ((size_t)1 << 28) /* slot numbers come from 28 bits of hash */

/* A key's first 8 bytes as a number, zero above its length: two loads
 * that overlap (OR of equal bytes) for 4..7 bytes, three bytes for 1..3. */
static inline uint64_t key_head(const unsigned char *p, size_t len)
{
	uint64_t x = 0;
	uint32_t a, b;
	if (len >= 8) {
		memcpy(&x, p, 8);
	} else if (len >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + len - 4, 4);
		x = (uint64_t)a | (uint64_t)b << (8 * (len - 4));
	} else if (len) {
		x = (uint64_t)p[0] | (uint64_t)p[len / 2] << (8 * (len / 2)) |
		    (uint64_t)p[len - 1] << (8 * (len - 1));
	}
	return x;
}

static uint32_t hash_long(const void *key, size_t len)
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

uint32_t il__dict_hash(const void *key, size_t len, uint64_t *head)
{
	*head = key_head(key, len);
	/* up to 8 bytes (most terms): one multiply of the key's bytes as a
	 * number, high half kept (multiplicative hashing; the length mixed in
	 * tells apart keys that differ only by trailing zero bytes) */
	if (len <= 8) {
		uint64_t x = (*head ^ (uint64_t)len << 59) * 0x9e3779b97f4a7c15ull;
		return (uint32_t)(x >> 32);
	}
	return hash_long(key, len);
}

/* The hash with the key's length (up to 15) in its low 4 bits; the slot
 * number comes from the bits above. */
static inline uint32_t key_tag(uint32_t h, size_t len)
{
	return (h & ~15u) | (len < 15 ? (uint32_t)len : 15u);
}

/* memcmp(a, b, n) == 0 without the call for keys of up to 16 bytes: two
 * loads of 8 (or 4) bytes each side, overlapping when n is not their sum. */
static inline bool key_eq(const unsigned char *a, const unsigned char *b, size_t n)
{
	uint64_t x, y, u, v;
	if (n >= 8 && n <= 16) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	return memcmp(a, b, n) == 0;
}

static inline uint32_t find(const struct il__dict *d, const void *key, size_t len, uint32_t h,
			    uint64_t head)
{
	size_t nslots = IL__COUNT(d->slots, struct il__dslot);
	const struct il__dslot *slots = IL__AT(d->slots, const struct il__dslot);
	const struct il__dent *ents = IL__AT(d->ents, const struct il__dent);
	uint32_t tag = key_tag(h, len);
	if (!nslots)
		return IL__NONE;
	for (size_t i = (h >> 4) & (nslots - 1);; i = (i + 1) & (nslots - 1)) {
		const struct il__dslot *s = &slots[i];
		if (!s->e)
			return IL__NONE;
		if (s->tag != tag || s->head != head)
			continue;
		if (len <= SHORT_KEY)
			return s->e - 1;
		const struct il__dent *e = &ents[s->e - 1];
		if (e->len == len && key_eq(d->pool.p + e->off, key, len))
			return s->e - 1;
	}
}

uint32_t il__dict_find(const struct il__dict *d, const void *key, size_t len)
{
	uint64_t head;
	uint32_t h = il__dict_hash(key, len, &head);
	return find(d, key, len, h, head);
}

/* Puts slot v in the first free slot from its own on. */
static void place(struct il__dslot *s, size_t nslots, const struct il__dslot *v)
{
	size_t i = (v->tag >> 4) & (nslots - 1);
	while (s[i].e)
		i = (i + 1) & (nslots - 1);
	s[i] = *v;
}

/* Rebuilds the slot table with `nslots` slots: from the old table when it
 * has every entry, else from the keys. */
static int rehash(struct il__dict *d, size_t nslots)
{
	struct il__arr slots = {NULL, 0, 0};
	size_t bytes, nold = IL__COUNT(d->slots, struct il__dslot);
	const struct il__dent *ents = IL__AT(d->ents, const struct il__dent);
	const struct il__dslot *old = IL__AT(d->slots, const struct il__dslot);
	uint32_t n = il__dict_size(d);
	int rc;
	if (nslots > MAX_SLOTS || !il_size_mul(nslots, sizeof(struct il__dslot), &bytes))
		return il_error_set(IL_ETOOBIG, "index dictionary of %zu slots", nslots);
	if ((rc = il__arr_reserve(&slots, bytes)) != IL_OK)
		return rc;
	memset(slots.p, 0, bytes);
	slots.len = bytes;
	struct il__dslot *s = IL__AT(slots, struct il__dslot);
	if (nold) {
		for (size_t i = 0; i < nold; i++)
			if (old[i].e)
				place(s, nslots, &old[i]);
	} else {
		for (uint32_t e = 0; e < n; e++) {
			const unsigned char *k = d->pool.p + ents[e].off;
			uint64_t head;
			uint32_t h = il__dict_hash(k, ents[e].len, &head);
			struct il__dslot v = {key_tag(h, ents[e].len), e + 1, head};
			place(s, nslots, &v);
		}
	}
	il__arr_release(&d->slots);
	d->slots = slots;
	return IL_OK;
}

/* At most 3/4 of the slots in use: probes stay short, and with four slots
 * to a cache line most end in the line they start in. */
static bool roomy(size_t n, size_t nslots)
{
	return n * 4 <= nslots * 3;
}

int il__dict_rehash(struct il__dict *d)
{
	size_t nslots = 64;
	il__arr_release(&d->slots); /* made from the keys */
	if (il__dict_size(d) == 0)
		return IL_OK; /* as a new dictionary: slots come with a key */
	while (!roomy(il__dict_size(d), nslots))
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
	uint64_t head;
	uint32_t h = il__dict_hash(key, len, &head);
	return il__dict_add_hashed(d, key, len, h, head, out, added);
}

int il__dict_add_hashed(struct il__dict *d, const void *key, size_t len, uint32_t h, uint64_t head,
			uint32_t *out, bool *added)
{
	uint32_t i = find(d, key, len, h, head), n = il__dict_size(d);
	size_t nslots = IL__COUNT(d->slots, struct il__dslot);
	int rc;
	if (added)
		*added = false;
	if (i != IL__NONE) {
		*out = i;
		return IL_OK;
	}
	/* slots first: a failure after them leaves the same keys, in more slots */
	if (!roomy((size_t)n + 1, nslots) && (rc = rehash(d, nslots ? nslots * 2 : 64)) != IL_OK)
		return rc;
	if ((rc = il__dict_append(d, key, len)) != IL_OK)
		return rc;
	struct il__dslot v = {key_tag(h, len), n + 1, head};
	place(IL__AT(d->slots, struct il__dslot), IL__COUNT(d->slots, struct il__dslot), &v);
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
