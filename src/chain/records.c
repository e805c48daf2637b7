/*
 * records.c - the helpers src/chain shares: records copied out of the
 * store, the region tree, the links of chains in tree order, list values
 * and JSON bits.
 *
 * The chain module works on whole chains and whole regions at a time, a few
 * thousand records, so it copies what it needs into arrays and computes in
 * memory instead of asking the store per link.
 */
#include "chain_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void il__recs_release(struct il__recs *v)
{
	for (size_t i = 0; i < v->n; i++)
		il_record_release(&v->r[i]);
	free(v->r);
	memset(v, 0, sizeof(*v));
}

static int add_copy(const struct il_record *r, void *ctx)
{
	struct il__recs *v = ctx;
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 64, bytes;
		struct il_record *grown;
		if (!il_size_mul(cap, sizeof(*grown), &bytes) || !(grown = il_realloc(v->r, bytes)))
			return IL_ENOMEM;
		v->r = grown;
		v->cap = cap;
	}
	int rc = il_record_copy(&v->r[v->n], r);
	if (!rc)
		v->n++;
	return rc;
}

int il__recs_load(struct il_store *s, const struct il_query *q, struct il__recs *out)
{
	/* the store lists in insertion order; lookups need id order */
	int rc = il_store_list(s, q, add_copy, out, NULL);
	if (!rc && out->n > 1)
		qsort(out->r, out->n, sizeof(*out->r), il__cmp_record_id);
	return rc;
}

int il__cmp_record_id(const void *a, const void *b)
{
	return strcmp(((const struct il_record *)a)->id, ((const struct il_record *)b)->id);
}

ptrdiff_t il__recs_find(const struct il__recs *v, const char *id)
{
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->r[mid].id, id);
		if (c == 0)
			return (ptrdiff_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int il__regions_load(struct il_store *s, struct il__regions *out)
{
	struct il_query q;
	int rc;
	memset(out, 0, sizeof(*out));
	il_query_init(&q, IL_KIND_REGION);
	if ((rc = il__recs_load(s, &q, &out->all)) != IL_OK)
		goto fail;
	if (!(out->parent = il_calloc(out->all.n ? out->all.n : 1, sizeof(size_t)))) {
		rc = IL_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < out->all.n; i++) {
		const char *p = il_record_get(&out->all.r[i], "parent");
		ptrdiff_t j = p ? il__recs_find(&out->all, p) : -1;
		out->parent[i] = j < 0 ? SIZE_MAX : (size_t)j;
	}
	return IL_OK;
fail:
	il__regions_release(out);
	return rc;
}

void il__regions_release(struct il__regions *g)
{
	il__recs_release(&g->all);
	free(g->parent);
	g->parent = NULL;
}

bool il__regions_within(const struct il__regions *g, const char *id, const char *outer)
{
	if (!id || !outer)
		return false;
	ptrdiff_t i = il__recs_find(&g->all, id);
	/* a region nested deeper than the table is long would be a cycle */
	for (size_t steps = 0; i >= 0 && steps <= g->all.n; steps++) {
		if (strcmp(g->all.r[i].id, outer) == 0)
			return true;
		size_t p = g->parent[i];
		i = p == SIZE_MAX ? -1 : (ptrdiff_t)p;
	}
	return strcmp(id, outer) == 0;
}

static int segment_rank(const char *seg)
{
	if (!seg)
		return 3;
	return strcmp(seg, "upstream") == 0 ? 0 : strcmp(seg, "midstream") == 0 ? 1 : 2;
}

static long long position_of(const struct il_record *r)
{
	const char *p = il_record_get(r, "position");
	return p ? atoll(p) : 0;
}

/* Top links by chain, segment, position, id; a sub-link sorts as its
 * parent's key, then after it by its own position. */
static int cmp_link(const struct il_record *a, const struct il_record *b)
{
	int c = strcmp(il_record_get(a, "chain"), il_record_get(b, "chain"));
	if (c)
		return c;
	if ((c = segment_rank(il_record_get(a, "segment")) -
		 segment_rank(il_record_get(b, "segment"))))
		return c;
	long long pa = position_of(a), pb = position_of(b);
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return strcmp(a->id, b->id);
}

static const struct il__recs *sort_links;

static int cmp_top(const void *x, const void *y)
{
	const size_t *a = x, *b = y;
	return cmp_link(&sort_links->r[*a], &sort_links->r[*b]);
}

/* Appends the index of link i and then, recursively, its sub-links. */
static int emit(const struct il__recs *all, const size_t *sorted, size_t i, size_t depth,
		struct il__recs *out)
{
	int rc = add_copy(&all->r[i], out);
	if (rc || depth > all->n)
		return rc;
	for (size_t k = 0; k < all->n && !rc; k++) {
		const char *p = il_record_get(&all->r[sorted[k]], "parent");
		if (p && strcmp(p, all->r[i].id) == 0)
			rc = emit(all, sorted, sorted[k], depth + 1, out);
	}
	return rc;
}

int il__links_in_order(struct il_store *s, const char *chain, struct il__recs *chains,
		       struct il__recs *links)
{
	struct il__recs all = {0};
	struct il_query q;
	size_t *sorted = NULL;
	int rc;
	memset(chains, 0, sizeof(*chains));
	memset(links, 0, sizeof(*links));
	il_query_init(&q, IL_KIND_CHAIN);
	q.chain = chain;
	if ((rc = il__recs_load(s, &q, chains)) != IL_OK)
		goto out;
	if (chain && chains->n == 0) {
		rc = il_error_set(IL_ENOTFOUND, "no chain '%s' (see 'innolink chain list')", chain);
		goto out;
	}
	il_query_init(&q, IL_KIND_LINK);
	q.chain = chain;
	if ((rc = il__recs_load(s, &q, &all)) != IL_OK)
		goto out;
	if (!(sorted = il_calloc(all.n ? all.n : 1, sizeof(size_t)))) {
		rc = IL_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < all.n; i++)
		sorted[i] = i;
	sort_links = &all;
	qsort(sorted, all.n, sizeof(size_t), cmp_top);
	for (size_t k = 0; k < all.n && !rc; k++) {
		const char *p = il_record_get(&all.r[sorted[k]], "parent");
		if (!p || il__recs_find(&all, p) < 0)
			rc = emit(&all, sorted, sorted[k], 0, links);
	}
out:
	free(sorted);
	il__recs_release(&all);
	if (rc) {
		il__recs_release(chains);
		il__recs_release(links);
	}
	return rc;
}

int il__each_item(const char *list, int (*fn)(const char *item, size_t len, void *ctx), void *ctx)
{
	if (!list || !*list)
		return IL_OK;
	return il_list_each(list, fn, ctx);
}

bool il__list_has(const char *list, const char *item, size_t len)
{
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && memcmp(p, item, len) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static int json_item(const char *item, size_t len, void *ctx)
{
	struct il_buf *out = ctx;
	int rc = IL_OK;
	if (out->len && out->ptr[out->len - 1] != '[')
		rc = il_buf_addc(out, ',');
	return rc ? rc : il_json_string(out, item, len);
}

int il__json_list(struct il_buf *out, const char *list)
{
	int rc = il_buf_addc(out, '[');
	if (!rc)
		rc = il__each_item(list, json_item, out);
	return rc ? rc : il_buf_addc(out, ']');
}

int il__json_str(struct il_buf *out, const char *s)
{
	return s ? il_json_string(out, s, strlen(s)) : il_buf_adds(out, "null");
}

void il__json_kv(struct il_buf *out, int *rc, const char *key, const char *value)
{
	if (!*rc)
		*rc = il_buf_adds(out, key);
	if (!*rc)
		*rc = il__json_str(out, value);
}

void il__json_kf(struct il_buf *out, int *rc, const char *fmt, ...)
{
	va_list ap;
	if (*rc)
		return;
	va_start(ap, fmt);
	*rc = il_buf_vaddf(out, fmt, ap);
	va_end(ap);
}
