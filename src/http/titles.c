/*
 * titles.c - the titles of search hits, kept between searches.
 *
 * A search answers with each hit's title, which the index does not hold;
 * reading ten records from the store for it cost more than the search
 * itself.  The server keeps, per (kind, id), the record's title in either
 * language and whether it is a confidential demand, valid for one store
 * change sequence: the first request that sees the index at a newer
 * sequence empties the cache, so a title or a visibility changed in the
 * store is never served stale past the catch-up that brings the change
 * into the index.  A confidential demand's entry says only that: the
 * caller then reads the record to decide whether it may be shown.
 *
 * One mutex guards the cache; a lookup holds it for a hash probe and a
 * copy.  At most MAX_ENTRIES are kept; past that the cache starts again.
 */
#include "http_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 65536

struct entry {
	const char *zh, *en; /* in the cache's arena; never NULL */
	bool confidential;
};

struct il__http_titles {
	pthread_mutex_t lock;
	int64_t seq;
	struct il_strmap map; /* "kind:id" -> index into v */
	struct il_arena strings;
	struct entry *v;
	size_t n, cap;
};

int il__http_titles_open(struct il__http_titles **out)
{
	struct il__http_titles *t = il_calloc(1, sizeof(*t));
	*out = NULL;
	if (!t)
		return il_error_set(IL_ENOMEM, "out of memory for the title cache");
	pthread_mutex_init(&t->lock, NULL);
	il_strmap_init(&t->map);
	il_arena_init(&t->strings, 65536, 0);
	t->seq = -1;
	*out = t;
	return IL_OK;
}

static void reset(struct il__http_titles *t, int64_t seq)
{
	il_strmap_release(&t->map);
	il_strmap_init(&t->map);
	il_arena_release(&t->strings);
	il_arena_init(&t->strings, 65536, 0);
	t->n = 0;
	t->seq = seq;
}

void il__http_titles_close(struct il__http_titles *t)
{
	if (!t)
		return;
	il_strmap_release(&t->map);
	il_arena_release(&t->strings);
	free(t->v);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static size_t key(char *buf, size_t size, enum il_kind kind, const char *id)
{
	size_t n = strlen(id);
	if (n + 4 > size)
		return 0;
	buf[0] = (char)('A' + kind);
	buf[1] = ':';
	memcpy(buf + 2, id, n + 1);
	return n + 2;
}

bool il__http_titles_get(struct il__http_titles *t, int64_t seq, enum il_kind kind, const char *id,
			 const char *lang, struct il_arena *arena, const char **title,
			 bool *confidential)
{
	char k[160];
	size_t len = key(k, sizeof(k), kind, id);
	bool found = false;
	int64_t at;
	if (!len)
		return false;
	pthread_mutex_lock(&t->lock);
	if (t->seq == seq && (at = il_strmap_get(&t->map, k, len)) >= 0) {
		const struct entry *e = &t->v[at];
		*title = il_arena_strdup(arena, strcmp(lang, "en") == 0 ? e->en : e->zh);
		*confidential = e->confidential;
		found = *title != NULL;
	}
	pthread_mutex_unlock(&t->lock);
	return found;
}

void il__http_titles_put(struct il__http_titles *t, int64_t seq, enum il_kind kind, const char *id,
			 const char *zh, const char *en, bool confidential)
{
	char k[160];
	size_t len = key(k, sizeof(k), kind, id);
	struct entry e;
	if (!len)
		return;
	pthread_mutex_lock(&t->lock);
	if (seq > t->seq || t->n >= MAX_ENTRIES)
		reset(t, seq > t->seq ? seq : t->seq);
	if (seq < t->seq || il_strmap_get(&t->map, k, len) >= 0)
		goto done; /* an older view, or known already */
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct entry *v = il_realloc(t->v, cap * sizeof(*v));
		if (!v)
			goto done; /* a cache may forget */
		t->v = v;
		t->cap = cap;
	}
	e.zh = il_arena_strdup(&t->strings, zh);
	e.en = il_arena_strdup(&t->strings, en);
	e.confidential = confidential;
	if (e.zh && e.en && il_strmap_put(&t->map, k, len, (int64_t)t->n, NULL) == IL_OK)
		t->v[t->n++] = e;
done:
	pthread_mutex_unlock(&t->lock);
}
