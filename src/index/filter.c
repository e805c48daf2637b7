/*
 * filter.c - a query's filters, applied during traversal, and the bitmaps
 * of frequent filter values that keep them cheap.
 *
 * A document's region, chain links and status are indexed as postings of
 * filter-value terms (IL__ATTR_*).  Marking a value's postings into a
 * bitmap costs one posting per document holding it, which for a region
 * filter on a large index (a city holds a seventeenth of a province's
 * documents, and each district and park below it is one more value to
 * walk) came to more than the whole unfiltered query.  So a value held by
 * at least 1/CACHE_SHARE of the live documents gets a bitmap of its
 * documents that outlives the query (struct il__fcache): for a region,
 * the documents of the region and of every region below it.  The first
 * query on the value marks it, under the cache's lock (concurrent searches
 * read the entries made so far without it); puts then set their bit in
 * every entry whose value the document holds; a change of the region tree
 * drops the region entries, compaction (which renumbers documents) drops
 * all, and a loaded snapshot starts with none.  Dead documents keep their
 * bits: the live and visible bitmaps, always in the AND, leave them out.
 * A rarer value is marked for the query alone: cheap, at most
 * 1/CACHE_SHARE of the documents.  The cache holds at most IL__FCACHE
 * entries; past that a value is marked per query, as before.
 *
 * Memory: an entry is one bit per document id.  Values of one kind that
 * each hold 1/CACHE_SHARE of the documents number at most CACHE_SHARE per
 * level of the region tree (a document has one region) and the cache is
 * bounded anyway: at a million documents IL__FCACHE entries are 32 MiB.
 *
 * Depends on: base, index_internal.h.
 */
#include "index/index_internal.h"

#include <stdlib.h>
#include <string.h>

/* A value held by at least 1/CACHE_SHARE of the live documents keeps a
 * bitmap across queries. */
#define CACHE_SHARE 256u

static const char *const attr_prefix[IL__FV__COUNT] = {IL__ATTR_REGION, IL__ATTR_LINK,
						       IL__ATTR_STATUS};

/* The term id of filter value prefix+value, or IL__NONE. */
static uint32_t value_term(const struct il_index *ix, const char *prefix, const char *value,
			   size_t vlen)
{
	char key[IL__MAX_TERM + 3];
	size_t plen = strlen(prefix);
	if (vlen > IL__MAX_TERM)
		return IL__NONE;
	memcpy(key, prefix, plen);
	memcpy(key + plen, value, vlen);
	return il__dict_find(&ix->terms, key, plen + vlen);
}

/* Sets the bits of the documents holding term t. */
static int mark_term(const struct il_index *ix, uint32_t t, uint64_t *bm, struct il__post *p)
{
	const struct il__block *blocks = IL__AT(ix->blocks, const struct il__block);
	for (uint32_t b = IL__AT(ix->tinfo, const struct il__term)[t].first; b != IL__NONE;
	     b = blocks[b].next) {
		if (!il__block_decode(ix, &blocks[b], p))
			return il_error_set(IL_EFORMAT, "index: a corrupt posting block");
		for (uint32_t i = 0; i < p->n; i++)
			if (p->doc[i] < ix->m.ndocs)
				bm[p->doc[i] >> 6] |= (uint64_t)1 << (p->doc[i] & 63);
	}
	return IL_OK;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The term ids of a region and of every known region below it (sorted,
 * present in the index), into *set; *df gets the sum of their df. */
static int region_terms(const struct il_index *ix, const char *region, struct il_arena *a,
			uint32_t **set, uint32_t *n, uint64_t *df)
{
	const struct il__dict *rd = &ix->regions;
	const struct il__term *tinfo = IL__AT(ix->tinfo, const struct il__term);
	const uint32_t *par = IL__AT(ix->region_parent, const uint32_t);
	uint32_t nr = il__dict_size(rd), rid = il__dict_find(rd, region, strlen(region));
	uint32_t *out = il_arena_alloc(a, ((size_t)nr + 1) * sizeof(uint32_t)), t;
	if (!out)
		return il_error_set(IL_ENOMEM, "search: out of memory");
	*n = 0;
	*df = 0;
	if ((t = value_term(ix, IL__ATTR_REGION, region, strlen(region))) != IL__NONE)
		out[(*n)++] = t;
	for (uint32_t r = 0; r < nr && rid != IL__NONE; r++) {
		uint32_t steps = 0, up = par[r];
		size_t len;
		const char *name;
		while (up != IL__NONE && up != rid && steps++ < nr)
			up = par[up];
		if (up != rid)
			continue;
		name = il__dict_key(rd, r, &len);
		if ((t = value_term(ix, IL__ATTR_REGION, name, len)) != IL__NONE)
			out[(*n)++] = t;
	}
	qsort(out, *n, sizeof(*out), cmp_u32);
	for (uint32_t i = 0; i < *n; i++)
		*df += tinfo[out[i]].df;
	*set = out;
	return IL_OK;
}

static int make_bitmap(const struct il_index *ix, struct il__arr *bm, const uint32_t *set,
		       uint32_t n)
{
	size_t bytes = (size_t)il__words(ix->m.ndocs) * 8;
	struct il__post *p;
	int rc = IL_OK;
	if ((rc = il__arr_reserve(bm, bytes ? bytes : 8)) != IL_OK)
		return rc;
	memset(bm->p, 0, bytes);
	bm->len = bytes;
	if (!(p = il_malloc(sizeof(*p))))
		return il_error_set(IL_ENOMEM, "index: out of memory");
	for (uint32_t i = 0; i < n && rc == IL_OK; i++)
		rc = mark_term(ix, set[i], IL__AT(*bm, uint64_t), p);
	free(p);
	return rc;
}

static const struct il__fentry *cache_find(const struct il_index *ix, int attr, const char *value,
					   size_t len)
{
	unsigned n = atomic_load_explicit(&ix->fcache.n, memory_order_acquire);
	for (unsigned i = 0; i < n; i++) {
		const struct il__fentry *e = ix->fcache.ent[i];
		if (e->attr == attr && e->len == len && memcmp(e->value, value, len) == 0)
			return e;
	}
	return NULL;
}

/* The cached bitmap of a value, made now if missing; NULL when it cannot
 * be (the cache is full, no memory): the query marks it instead. */
static const uint64_t *cache_get(const struct il_index *cix, int attr, const char *value,
				 const uint32_t *set, uint32_t n)
{
	/* derived data, made under the lock by whichever search needs it
	 * first; writes (exclusive) never run beside a search */
	struct il_index *ix = (struct il_index *)cix;
	size_t len = strlen(value);
	const struct il__fentry *found = cache_find(ix, attr, value, len);
	struct il__fentry *e = NULL;
	unsigned at;
	if (found)
		return IL__AT(found->bm, const uint64_t);
	pthread_mutex_lock(&ix->fcache.lock);
	at = atomic_load_explicit(&ix->fcache.n, memory_order_relaxed);
	if ((found = cache_find(ix, attr, value, len)) == NULL && at < IL__FCACHE &&
	    (e = il_calloc(1, sizeof(*e) + len + 1)) != NULL) {
		struct il_error_saved saved;
		il_error_save(&saved);
		e->attr = (uint8_t)attr;
		e->len = len;
		memcpy(e->value, value, len);
		e->rid = attr == IL__FV_REGION ? il__dict_find(&ix->regions, value, len) : IL__NONE;
		if (make_bitmap(ix, &e->bm, set, n) == IL_OK) {
			ix->fcache.ent[at] = e;
			atomic_store_explicit(&ix->fcache.n, at + 1, memory_order_release);
			found = e;
		} else {
			il__arr_release(&e->bm);
			free(e);
		}
		il_error_restore(&saved); /* the query marks the postings itself */
	}
	pthread_mutex_unlock(&ix->fcache.lock);
	return found ? IL__AT(found->bm, const uint64_t) : NULL;
}

int il__fcache_reserve(struct il_index *ix, uint32_t d)
{
	unsigned n = atomic_load_explicit(&ix->fcache.n, memory_order_relaxed);
	size_t need = (size_t)il__words(d + 1) * 8;
	int rc;
	for (unsigned i = 0; i < n; i++) {
		struct il__arr *bm = &ix->fcache.ent[i]->bm;
		if (bm->len >= need)
			continue;
		if ((rc = il__arr_reserve(bm, need - bm->len)) != IL_OK)
			return rc;
		memset(bm->p + bm->len, 0, need - bm->len);
		bm->len = need;
	}
	return IL_OK;
}

/* Whether region rid lies in region `in` (or is it). */
static bool lies_in(const struct il_index *ix, uint32_t rid, uint32_t in)
{
	const uint32_t *par = IL__AT(ix->region_parent, const uint32_t);
	uint32_t nr = il__dict_size(&ix->regions);
	for (uint32_t steps = 0; rid != IL__NONE && steps <= nr; rid = par[rid], steps++)
		if (rid == in)
			return true;
	return false;
}

static bool doc_holds(const struct il_index *ix, const struct il__fentry *e,
		      const struct il_index_doc *doc, uint32_t doc_rid)
{
	switch (e->attr) {
	case IL__FV_REGION:
		if (!doc->region)
			return false;
		if (strlen(doc->region) == e->len && memcmp(doc->region, e->value, e->len) == 0)
			return true;
		return doc_rid != IL__NONE && e->rid != IL__NONE && lies_in(ix, doc_rid, e->rid);
	case IL__FV_STATUS:
		return doc->status && strlen(doc->status) == e->len &&
		       memcmp(doc->status, e->value, e->len) == 0;
	default:
		for (size_t i = 0; i < doc->nlinks; i++)
			if (doc->links[i] && strlen(doc->links[i]) == e->len &&
			    memcmp(doc->links[i], e->value, e->len) == 0)
				return true;
		return false;
	}
}

void il__fcache_put(struct il_index *ix, uint32_t d, const struct il_index_doc *doc)
{
	unsigned n = atomic_load_explicit(&ix->fcache.n, memory_order_relaxed);
	uint32_t doc_rid = IL__NONE;
	if (!n)
		return;
	if (doc->region && *doc->region)
		doc_rid = il__dict_find(&ix->regions, doc->region, strlen(doc->region));
	for (unsigned i = 0; i < n; i++) {
		struct il__fentry *e = ix->fcache.ent[i];
		if (doc_holds(ix, e, doc, doc_rid))
			IL__AT(e->bm, uint64_t)[d >> 6] |= (uint64_t)1 << (d & 63);
	}
}

void il__fcache_drop(struct il_index *ix, bool regions_only)
{
	unsigned n = atomic_load_explicit(&ix->fcache.n, memory_order_relaxed), kept = 0;
	for (unsigned i = 0; i < n; i++) {
		struct il__fentry *e = ix->fcache.ent[i];
		if (regions_only && e->attr != IL__FV_REGION) {
			ix->fcache.ent[kept++] = e;
			continue;
		}
		il__arr_release(&e->bm);
		free(e);
	}
	atomic_store_explicit(&ix->fcache.n, kept, memory_order_release);
}

size_t il__fcache_bytes(const struct il_index *ix)
{
	unsigned n = atomic_load_explicit(&ix->fcache.n, memory_order_relaxed);
	size_t bytes = 0;
	for (unsigned i = 0; i < n; i++)
		bytes += il__arr_bytes(&ix->fcache.ent[i]->bm);
	return bytes;
}

/* One filter on a value of `attr` whose documents are those of term ids
 * set[n] (df in all: df): its bitmap joins the AND. */
static int add_value(const struct il_index *ix, struct il__filter *f, struct il_arena *a, int attr,
		     const char *value, const uint32_t *set, uint32_t n, uint64_t df)
{
	const uint64_t *cached = NULL;
	uint64_t *bm;
	size_t bytes = (size_t)f->words * 8;
	struct il__post *p;
	int rc;
	if (df == 0) {
		f->empty = true;
		return IL_OK;
	}
	if (df * CACHE_SHARE >= ix->m.nlive && (cached = cache_get(ix, attr, value, set, n))) {
		f->and_[f->nand++] = cached;
		return IL_OK;
	}
	if (!(bm = il_arena_alloc(a, bytes ? bytes : 8)) || !(p = il_arena_alloc(a, sizeof(*p))))
		return il_error_set(IL_ENOMEM, "search: out of memory");
	memset(bm, 0, bytes ? bytes : 8);
	for (uint32_t i = 0; i < n; i++)
		if ((rc = mark_term(ix, set[i], bm, p)) != IL_OK)
			return rc;
	f->and_[f->nand++] = bm;
	return IL_OK;
}

int il__filter_init(const struct il_index *ix, const struct il_index_query *q, struct il_arena *a,
		    struct il__filter *f)
{
	unsigned all = (1u << IL_KIND__COUNT) - 1, kinds = q->kinds & all;
	const char *values[IL__FV__COUNT] = {q->region, q->link, q->status};
	int rc;
	memset(f, 0, sizeof(*f));
	f->words = il__words(ix->m.ndocs);
	f->ndocs = ix->m.ndocs;
	f->and_[f->nand++] = IL__AT(q->include_hidden ? ix->live : ix->visible, const uint64_t);
	if (kinds && kinds != all)
		for (int k = 0; k < IL_KIND__COUNT; k++)
			if ((kinds >> k) & 1u)
				f->kinds[f->nkinds++] = IL__AT(ix->kindbm[k], const uint64_t);
	for (int v = 0; v < IL__FV__COUNT && !f->empty; v++) {
		uint32_t *set, n = 0, t;
		uint64_t df = 0;
		if (!values[v])
			continue;
		if (v == IL__FV_REGION) {
			if ((rc = region_terms(ix, values[v], a, &set, &n, &df)) != IL_OK)
				return rc;
		} else {
			if (!(set = il_arena_alloc(a, sizeof(*set))))
				return il_error_set(IL_ENOMEM, "search: out of memory");
			t = value_term(ix, attr_prefix[v], values[v], strlen(values[v]));
			if (t != IL__NONE) {
				set[n++] = t;
				df = IL__AT(ix->tinfo, const struct il__term)[t].df;
			}
		}
		if ((rc = add_value(ix, f, a, v, values[v], set, n, df)) != IL_OK)
			return rc;
	}
	return IL_OK;
}

static inline uint64_t filter_word(const struct il__filter *f, uint32_t w)
{
	uint64_t bits = f->and_[0][w];
	for (uint32_t i = 1; i < f->nand; i++)
		bits &= f->and_[i][w];
	if (f->nkinds && bits) {
		uint64_t k = 0;
		for (uint32_t i = 0; i < f->nkinds; i++)
			k |= f->kinds[i][w];
		bits &= k;
	}
	return bits;
}

uint32_t il__filter_next(const struct il__filter *f, uint32_t from)
{
	uint32_t w = from >> 6, d;
	uint64_t bits;
	if (f->empty || w >= f->words)
		return IL__END;
	bits = filter_word(f, w) & (~(uint64_t)0 << (from & 63));
	while (!bits) {
		if (++w >= f->words)
			return IL__END;
		bits = filter_word(f, w);
	}
	d = (w << 6) + (uint32_t)__builtin_ctzll(bits);
	return d < f->ndocs ? d : IL__END;
}

bool il__filter_has(const struct il__filter *f, uint32_t d)
{
	if (f->empty || d >= f->ndocs)
		return false;
	return (filter_word(f, d >> 6) >> (d & 63)) & 1u;
}

double il__filter_share(const struct il_index *ix, const struct il__filter *f)
{
	size_t n = 0;
	if (f->empty || !ix->m.nlive)
		return 0.0;
	for (uint32_t w = 0; w < f->words; w++)
		n += (size_t)__builtin_popcountll(filter_word(f, w));
	return n < ix->m.nlive ? (double)n / (double)ix->m.nlive : 1.0;
}
