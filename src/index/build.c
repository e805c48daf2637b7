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
 * Depends on: base, model, store, index_internal.h.
 */
#include "index/index_internal.h"

#include <stdlib.h>
#include <string.h>

/* One placement: key = kind byte + entity id, both in the pool; k points
 * at it once the pool stops growing. */
struct place {
	size_t key, klen, link;
	const char *k;
};

struct build {
	struct il_index *ix;
	struct il_buf pool; /* NUL-separated strings */
	struct place *pl;
	size_t npl, plcap;
	const char **links; /* links of the record being added */
	size_t lcap;
	size_t ndocs;
};

static int on_region(const struct il_record *r, void *vctx)
{
	struct build *b = vctx;
	const char *parent = il_record_get(r, "parent");
	int rc;
	if (!parent || !r->id)
		return IL_OK;
	if ((rc = il_index_region_parent(b->ix, r->id, parent)) != IL_OK)
		il_error_prefix("region %s", r->id);
	return rc;
}

static int on_assignment(const struct il_record *r, void *vctx)
{
	struct build *b = vctx;
	const char *ek = il_record_get(r, "entity_kind"), *ent = il_record_get(r, "entity");
	const char *link = il_record_get(r, "link");
	enum il_kind kind;
	struct place p;
	char kb;
	int rc;
	if (!ek || !ent || !link || il_kind_parse(ek, &kind) != IL_OK) {
		il_error_clear();
		return IL_OK; /* placements of things the index does not hold */
	}
	if (b->npl == b->plcap) {
		size_t ncap = b->plcap ? b->plcap * 2 : 256, bytes;
		struct place *np;
		if (!il_size_mul(ncap, sizeof(*np), &bytes) || !(np = il_realloc(b->pl, bytes)))
			return il_error_set(IL_ENOMEM, "index build: out of memory");
		b->pl = np;
		b->plcap = ncap;
	}
	kb = (char)kind;
	p.key = b->pool.len;
	p.k = NULL;
	p.klen = 1 + strlen(ent);
	if ((rc = il_buf_add(&b->pool, &kb, 1)) != IL_OK ||
	    (rc = il_buf_add(&b->pool, ent, strlen(ent) + 1)) != IL_OK)
		return rc;
	p.link = b->pool.len;
	if ((rc = il_buf_add(&b->pool, link, strlen(link) + 1)) != IL_OK)
		return rc;
	b->pl[b->npl++] = p;
	return IL_OK;
}

static const char *pool_at(const struct build *b, size_t off)
{
	return b->pool.ptr + off;
}

static int cmp_place(const void *x, const void *y)
{
	const struct place *a = x, *c = y;
	size_t n = a->klen < c->klen ? a->klen : c->klen;
	int r = memcmp(a->k, c->k, n);
	if (r)
		return r;
	return a->klen < c->klen ? -1 : a->klen > c->klen;
}

/* Index of the first placement of key, or npl. */
static size_t find_places(const struct build *b, const char *key, size_t klen)
{
	size_t lo = 0, hi = b->npl;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct place *p = &b->pl[mid];
		size_t n = p->klen < klen ? p->klen : klen;
		int r = memcmp(pool_at(b, p->key), key, n);
		if (r < 0 || (r == 0 && p->klen < klen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int add_link(struct build *b, size_t *n, const char *link)
{
	if (*n == b->lcap) {
		size_t ncap = b->lcap ? b->lcap * 2 : 16, bytes;
		const char **nl;
		if (!il_size_mul(ncap, sizeof(*nl), &bytes) ||
		    !(nl = il_realloc((void *)b->links, bytes)))
			return il_error_set(IL_ENOMEM, "index build: out of memory");
		b->links = nl;
		b->lcap = ncap;
	}
	b->links[(*n)++] = link;
	return IL_OK;
}

static int on_record(const struct il_record *r, void *vctx)
{
	struct build *b = vctx;
	struct il_index_doc doc;
	char key[IL_INDEX_MAX_ID + 2];
	size_t nl = 0, klen;
	int rc;
	if ((rc = il_index_doc_from_record(r, &doc)) != IL_OK)
		return rc;
	for (size_t i = 0; i < doc.nlinks; i++)
		if ((rc = add_link(b, &nl, doc.links[i])) != IL_OK)
			return rc;
	klen = r->id ? strlen(r->id) : 0;
	if (klen && klen <= IL_INDEX_MAX_ID) {
		key[0] = (char)r->kind;
		memcpy(key + 1, r->id, klen);
		klen++;
		for (size_t i = find_places(b, key, klen); i < b->npl; i++) {
			const struct place *p = &b->pl[i];
			if (p->klen != klen || memcmp(pool_at(b, p->key), key, klen) != 0)
				break;
			if ((rc = add_link(b, &nl, pool_at(b, p->link))) != IL_OK)
				return rc;
		}
	}
	doc.links = b->links;
	doc.nlinks = nl;
	if ((rc = il_index_put(b->ix, &doc)) != IL_OK) {
		il_error_prefix("%s %s", il_kind_info(r->kind)->name, r->id ? r->id : "?");
		return rc;
	}
	b->ndocs++;
	return IL_OK;
}

int il_index_build(struct il_index *ix, struct il_store *s)
{
	static const enum il_kind searchable[] = {IL_KIND_ORGANIZATION, IL_KIND_PERSON,
						  IL_KIND_ACHIEVEMENT,	IL_KIND_DEMAND,
						  IL_KIND_CHAIN,	IL_KIND_LINK};
	struct build b;
	struct il_query q;
	int rc;
	if (!ix || !s)
		return il_error_set(IL_EINVAL, "il_index_build: missing argument");
	memset(&b, 0, sizeof(b));
	b.ix = ix;
	il_buf_init(&b.pool, 0);

	il_query_init(&q, IL_KIND_REGION);
	if ((rc = il_store_list(s, &q, on_region, &b, NULL)) != IL_OK)
		goto cleanup;
	il_query_init(&q, IL_KIND_ASSIGNMENT);
	q.include_confidential = true;
	if ((rc = il_store_list(s, &q, on_assignment, &b, NULL)) != IL_OK)
		goto cleanup;
	for (size_t i = 0; i < b.npl; i++)
		b.pl[i].k = pool_at(&b, b.pl[i].key);
	if (b.npl > 1)
		qsort(b.pl, b.npl, sizeof(*b.pl), cmp_place);
	for (size_t i = 0; i < sizeof(searchable) / sizeof(searchable[0]); i++) {
		il_query_init(&q, searchable[i]);
		q.include_confidential = true;
		if ((rc = il_store_list(s, &q, on_record, &b, NULL)) != IL_OK)
			goto cleanup;
	}
	rc = il_index_compact(ix);

cleanup:
	il_buf_release(&b.pool);
	free(b.pl);
	free((void *)b.links);
	return rc;
}
