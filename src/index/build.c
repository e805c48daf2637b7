/*
 * build.c - the index built from the store: every searchable record, the
 * region tree, and the chain links records are placed on.
 *
 * Three passes over the store, none holding more than one record at a
 * time from it: regions (their parents feed il_index_region_parent, so a
 * filter on a city reaches its districts and parks); assignments (entity
 * kind, entity id, link), collected into one sorted flat array so each
 * document finds its links by binary search; then each searchable kind,
 * confidential demands included (they become hidden documents, which a
 * query sees only with include_hidden).  A final compaction gives exact
 * block maxima and drops the garbage that appending leaves.
 *
 * The placements array and the per-record and per-region steps are shared
 * with sync.c (il__places_*, il__index_put_record, il__index_put_region),
 * so a record caught up from the change log becomes exactly the document a
 * build would have made of it.
 *
 * Depends on: base, model, store, index_internal.h.
 */
#include "index/index_internal.h"

#include <stdlib.h>
#include <string.h>

/* One placement: key = kind byte + entity id, both in the pool; k points
 * at it once the pool stops growing (il__places_sort). */
struct il__place {
	size_t key, klen, link;
	const char *k;
};

/* The searchable kinds, in the order a build indexes them. */
static const enum il_kind searchable[] = {IL_KIND_ORGANIZATION, IL_KIND_PERSON,
					  IL_KIND_ACHIEVEMENT,	IL_KIND_DEMAND,
					  IL_KIND_CHAIN,	IL_KIND_LINK};

bool il_index_kind_searchable(enum il_kind kind)
{
	for (size_t i = 0; i < sizeof(searchable) / sizeof(searchable[0]); i++)
		if (searchable[i] == kind)
			return true;
	return false;
}

void il__places_init(struct il__places *p)
{
	memset(p, 0, sizeof(*p));
	il_buf_init(&p->pool, 0);
}

void il__places_release(struct il__places *p)
{
	il_buf_release(&p->pool);
	free(p->pl);
	free((void *)p->links);
	memset(p, 0, sizeof(*p));
}

int il__index_put_region(struct il_index *ix, const struct il_record *r)
{
	const char *parent = il_record_get(r, "parent");
	int rc;
	if (!r->id)
		return IL_OK;
	if (!parent) {
		/* a region that lost its parent (an update) becomes a root */
		uint32_t c = il__dict_find(&ix->regions, r->id, strlen(r->id));
		if (c != IL__NONE)
			IL__AT(ix->region_parent, uint32_t)[c] = IL__NONE;
		return IL_OK;
	}
	if ((rc = il_index_region_parent(ix, r->id, parent)) != IL_OK)
		il_error_prefix("region %s", r->id);
	return rc;
}

static int on_region(const struct il_record *r, void *ix)
{
	return il__index_put_region(ix, r);
}

int il__places_add(struct il__places *p, const struct il_record *r)
{
	const char *ek = il_record_get(r, "entity_kind"), *ent = il_record_get(r, "entity");
	const char *link = il_record_get(r, "link");
	enum il_kind kind;
	struct il__place pl;
	char kb;
	int rc;
	if (!ek || !ent || !link || il_kind_parse(ek, &kind) != IL_OK) {
		il_error_clear();
		return IL_OK; /* placements of things the index does not hold */
	}
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 256, bytes;
		struct il__place *np;
		if (!il_size_mul(ncap, sizeof(*np), &bytes) || !(np = il_realloc(p->pl, bytes)))
			return il_error_set(IL_ENOMEM, "index: out of memory collecting placements");
		p->pl = np;
		p->cap = ncap;
	}
	kb = (char)kind;
	pl.key = p->pool.len;
	pl.k = NULL;
	pl.klen = 1 + strlen(ent);
	if ((rc = il_buf_add(&p->pool, &kb, 1)) != IL_OK ||
	    (rc = il_buf_add(&p->pool, ent, strlen(ent) + 1)) != IL_OK)
		return rc;
	pl.link = p->pool.len;
	if ((rc = il_buf_add(&p->pool, link, strlen(link) + 1)) != IL_OK)
		return rc;
	p->pl[p->n++] = pl;
	return IL_OK;
}

static int on_assignment(const struct il_record *r, void *p)
{
	return il__places_add(p, r);
}

static const char *pool_at(const struct il__places *p, size_t off)
{
	return p->pool.ptr + off;
}

static int cmp_place(const void *x, const void *y)
{
	const struct il__place *a = x, *c = y;
	size_t n = a->klen < c->klen ? a->klen : c->klen;
	int r = memcmp(a->k, c->k, n);
	if (r)
		return r;
	return a->klen < c->klen ? -1 : a->klen > c->klen;
}

void il__places_sort(struct il__places *p)
{
	for (size_t i = 0; i < p->n; i++)
		p->pl[i].k = pool_at(p, p->pl[i].key);
	if (p->n > 1)
		qsort(p->pl, p->n, sizeof(*p->pl), cmp_place);
}

int il__places_load(struct il__places *p, struct il_store *s)
{
	struct il_query q;
	int rc;
	il_query_init(&q, IL_KIND_ASSIGNMENT);
	q.include_confidential = true;
	if ((rc = il_store_list(s, &q, on_assignment, p, NULL)) != IL_OK)
		return rc;
	il__places_sort(p);
	return IL_OK;
}

/* Index of the first placement of key, or n. */
static size_t find_places(const struct il__places *p, const char *key, size_t klen)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct il__place *pl = &p->pl[mid];
		size_t n = pl->klen < klen ? pl->klen : klen;
		int r = memcmp(pool_at(p, pl->key), key, n);
		if (r < 0 || (r == 0 && pl->klen < klen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int add_link(struct il__places *p, size_t *n, const char *link)
{
	if (*n == p->lcap) {
		size_t ncap = p->lcap ? p->lcap * 2 : 16, bytes;
		const char **nl;
		if (!il_size_mul(ncap, sizeof(*nl), &bytes) ||
		    !(nl = il_realloc((void *)p->links, bytes)))
			return il_error_set(IL_ENOMEM, "index: out of memory collecting links");
		p->links = nl;
		p->lcap = ncap;
	}
	p->links[(*n)++] = link;
	return IL_OK;
}

int il__index_put_record(struct il_index *ix, struct il__places *p, const struct il_record *r)
{
	struct il_index_doc doc;
	char key[IL_INDEX_MAX_ID + 2];
	size_t nl = 0, klen;
	int rc;
	if ((rc = il_index_doc_from_record(r, &doc)) != IL_OK)
		return rc;
	for (size_t i = 0; i < doc.nlinks; i++)
		if ((rc = add_link(p, &nl, doc.links[i])) != IL_OK)
			return rc;
	klen = r->id ? strlen(r->id) : 0;
	if (klen && klen <= IL_INDEX_MAX_ID) {
		key[0] = (char)r->kind;
		memcpy(key + 1, r->id, klen);
		klen++;
		for (size_t i = find_places(p, key, klen); i < p->n; i++) {
			const struct il__place *pl = &p->pl[i];
			if (pl->klen != klen || memcmp(pool_at(p, pl->key), key, klen) != 0)
				break;
			if ((rc = add_link(p, &nl, pool_at(p, pl->link))) != IL_OK)
				return rc;
		}
	}
	doc.links = p->links;
	doc.nlinks = nl;
	if ((rc = il_index_put(ix, &doc)) != IL_OK)
		il_error_prefix("%s %s", il_kind_info(r->kind)->name, r->id ? r->id : "?");
	return rc;
}

struct build {
	struct il_index *ix;
	struct il__places places;
};

static int on_record(const struct il_record *r, void *vctx)
{
	struct build *b = vctx;
	return il__index_put_record(b->ix, &b->places, r);
}

int il_index_build(struct il_index *ix, struct il_store *s, int64_t *seq)
{
	struct build b;
	struct il_query q;
	int64_t last = 0;
	int rc;
	if (!ix || !s)
		return il_error_set(IL_EINVAL, "il_index_build: missing argument");
	/* Read before the first record: every change up to `last` is committed,
	 * so the passes below see it; a change after it may or may not be seen,
	 * and il_index_catch_up from `last` applies it again, which is harmless
	 * (a put re-reads the record, a delete of a missing document is
	 * ignored).  Reading it after the passes could skip a change made
	 * between a pass and the read. */
	if ((rc = il_store_last_change(s, &last)) != IL_OK)
		return rc;
	b.ix = ix;
	il__places_init(&b.places);

	il_query_init(&q, IL_KIND_REGION);
	if ((rc = il_store_list(s, &q, on_region, ix, NULL)) != IL_OK)
		goto cleanup;
	if ((rc = il__places_load(&b.places, s)) != IL_OK)
		goto cleanup;
	for (size_t i = 0; i < sizeof(searchable) / sizeof(searchable[0]); i++) {
		il_query_init(&q, searchable[i]);
		q.include_confidential = true;
		if ((rc = il_store_list(s, &q, on_record, &b, NULL)) != IL_OK)
			goto cleanup;
	}
	if ((rc = il_index_compact(ix)) == IL_OK && seq)
		*seq = last;

cleanup:
	il__places_release(&b.places);
	return rc;
}
