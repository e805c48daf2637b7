/*
 * strmap.c - string keys to integer values.
 *
 * FNV-1a hashing; the hash is stored with each slot so that probing
 * compares strings only when hashes agree and growth needs no rehash of the
 * key bytes.
 */
#include <innolink/base.h>

#include <stdlib.h>
#include <string.h>

struct il_strmap_slot {
	const char *key; /* NULL: empty */
	size_t len;
	uint64_t hash;
	int64_t value;
};

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

void il_strmap_init(struct il_strmap *m)
{
	memset(m, 0, sizeof(*m));
	il_arena_init(&m->keys, 64 * 1024, 0);
}

void il_strmap_release(struct il_strmap *m)
{
	free(m->slots);
	il_arena_release(&m->keys);
	memset(m, 0, sizeof(*m));
}

static struct il_strmap_slot *find(struct il_strmap_slot *slots, size_t cap, const char *key,
				   size_t len, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	for (;; i = (i + 1) & (cap - 1)) {
		struct il_strmap_slot *s = &slots[i];
		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
	}
}

static int grow(struct il_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, bytes;
	if (!il_size_mul(cap, sizeof(struct il_strmap_slot), &bytes))
		return IL_ENOMEM;
	struct il_strmap_slot *slots = il_calloc(cap, sizeof(*slots));
	if (!slots)
		return IL_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		struct il_strmap_slot *o = &m->slots[i];
		if (o->key)
			*find(slots, cap, o->key, o->len, o->hash) = *o;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return IL_OK;
}

int il_strmap_put(struct il_strmap *m, const char *key, size_t len, int64_t value, int64_t *old)
{
	uint64_t h = hash(key, len);
	if ((m->len + 1) * 2 > m->cap) {
		int rc = grow(m);
		if (rc)
			return rc;
	}
	struct il_strmap_slot *s = find(m->slots, m->cap, key, len, h);
	if (old)
		*old = s->key ? s->value : -1;
	if (!s->key) {
		char *copy = il_arena_strndup(&m->keys, key, len);
		if (!copy)
			return IL_ENOMEM;
		s->key = copy;
		s->len = len;
		s->hash = h;
		m->len++;
	}
	s->value = value;
	return IL_OK;
}

int64_t il_strmap_get(const struct il_strmap *m, const char *key, size_t len)
{
	if (!m->cap)
		return -1;
	const struct il_strmap_slot *s = find(m->slots, m->cap, key, len, hash(key, len));
	return s->key ? s->value : -1;
}
