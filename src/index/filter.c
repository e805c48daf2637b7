/*
 * filter.c - a query's filters, applied during traversal, and the
 * per-document filter values that keep them cheap.
 *
 * A document's region, chain links and status are indexed as postings of
 * filter-value terms (IL__ATTR_*).  Marking a value's postings into a
 * bitmap costs one posting per document holding it, which for a region
 * filter on a large index (a city holds a seventeenth of a province's
 * documents, and its districts and parks are further values to walk)
 * came to more than the whole unfiltered query.  Region and status are
 * single-valued, so the index also keeps each document's value as a term
 * id (struct il__ones), and a query on a value held by many documents
 * checks the candidate's value against the few term ids it allows (the
 * region and every region below it, found by walking the region tree up
 * from each known region: O(regions), independent of documents).  A
 * value held by few documents (below 1/SELECTIVE of the live ones) is
 * still marked from its postings: that is cheap, and a bitmap lets the
 * traversal skip 64 documents per word.  Chain links are many per
 * document and each held by few, so they are always marked.
 *
 * The per-document values are derived data, never saved: the first query
 * that needs them makes them from the postings, under the index's lock so
 * that concurrent searches make them once; a put extends them while they
 * exist; compaction (which renumbers documents and terms) drops them, and
 * a loaded snapshot starts without them.  Making them at a million
 * documents reads about a million postings, once.
 *
 * Depends on: base, index_internal.h.
 */
#include "index/index_internal.h"

#include <stdlib.h>
#include <string.h>

/* A value held by fewer than 1/SELECTIVE of the live documents is marked
 * from its postings rather than checked per candidate. */
#define SELECTIVE 32u

static const char *const one_prefix[IL__ONE__COUNT] = {IL__ATTR_REGION, IL__ATTR_STATUS};

static void ones_free(struct il__ones *o)
{
	for (int i = 0; i < IL__ONE__COUNT; i++)
		il__arr_release(&o->val[i]);
}

/* Sets val[d] = t for every posting of term t. */
static bool ones_mark(const struct il_index *ix, uint32_t t, uint32_t *val, uint32_t ndocs,
		      struct il__post *p)
{
	const struct il__block *blocks = IL__AT(ix->blocks, const struct il__block);
	for (uint32_t b = IL__AT(ix->tinfo, const struct il__term)[t].first; b != IL__NONE;
	     b = blocks[b].next) {
		if (!il__block_decode(ix, &blocks[b], p))
			return false;
		for (uint32_t i = 0; i < p->n; i++)
			if (p->doc[i] < ndocs)
				val[p->doc[i]] = t;
	}
	return true;
}

static int ones_make(struct il_index *ix)
{
	struct il__ones *o = &ix->ones;
	uint32_t ndocs = ix->m.ndocs, nterms = il__dict_size(&ix->terms);
	size_t bytes = (size_t)ndocs * sizeof(uint32_t);
	struct il__post *p = il_malloc(sizeof(*p));
	int rc = IL_OK;
	if (!p)
		return il_error_set(IL_ENOMEM, "index: out of memory for filter values");
	for (int i = 0; i < IL__ONE__COUNT && rc == IL_OK; i++) {
		o->val[i].len = 0;
		if ((rc = il__arr_reserve(&o->val[i], bytes ? bytes : 4)) == IL_OK) {
			memset(o->val[i].p, 0xff, bytes); /* IL__NONE */
			o->val[i].len = bytes;
		}
	}
	for (uint32_t t = 0; t < nterms && rc == IL_OK; t++) {
		size_t len;
		const char *k = il__dict_key(&ix->terms, t, &len);
		for (int i = 0; i < IL__ONE__COUNT; i++)
			if (len >= 2 && memcmp(k, one_prefix[i], 2) == 0 &&
			    !ones_mark(ix, t, IL__AT(o->val[i], uint32_t), ndocs, p))
				rc = il_error_set(IL_EFORMAT, "index: a corrupt posting block");
	}
	free(p);
	if (rc != IL_OK)
		ones_free(o);
	return rc;
}

bool il__ones_ready(const struct il_index *cix)
{
	/* derived data: made once under the lock by whichever search needs
	 * it first; a write (exclusive) never runs beside this */
	struct il_index *ix = (struct il_index *)cix;
	bool ok;
	if (atomic_load_explicit(&ix->ones.ready, memory_order_acquire))
		return true;
	pthread_mutex_lock(&ix->ones.lock);
	ok = atomic_load_explicit(&ix->ones.ready, memory_order_relaxed);
	if (!ok) {
		struct il_error_saved e;
		il_error_save(&e);
		ok = ones_make(ix) == IL_OK;
		il_error_restore(&e); /* the query marks postings instead */
		atomic_store_explicit(&ix->ones.ready, ok, memory_order_release);
	}
	pthread_mutex_unlock(&ix->ones.lock);
	return ok;
}

int il__ones_reserve(struct il_index *ix)
{
	int rc;
	if (!atomic_load_explicit(&ix->ones.ready, memory_order_relaxed))
		return IL_OK;
	for (int i = 0; i < IL__ONE__COUNT; i++)
		if ((rc = il__arr_reserve(&ix->ones.val[i], sizeof(uint32_t))) != IL_OK)
			return rc;
	return IL_OK;
}

void il__ones_hole(struct il_index *ix)
{
	uint32_t none = IL__NONE;
	if (!atomic_load_explicit(&ix->ones.ready, memory_order_relaxed))
		return;
	for (int i = 0; i < IL__ONE__COUNT; i++) {
		memcpy(ix->ones.val[i].p + ix->ones.val[i].len, &none, sizeof(none));
		ix->ones.val[i].len += sizeof(none);
	}
}

void il__ones_set(struct il_index *ix, uint32_t d, const uint32_t val[IL__ONE__COUNT])
{
	if (!atomic_load_explicit(&ix->ones.ready, memory_order_relaxed))
		return;
	for (int i = 0; i < IL__ONE__COUNT; i++)
		IL__AT(ix->ones.val[i], uint32_t)[d] = val[i];
}

void il__ones_drop(struct il_index *ix)
{
	ones_free(&ix->ones);
	atomic_store_explicit(&ix->ones.ready, false, memory_order_relaxed);
}

size_t il__ones_bytes(const struct il_index *ix)
{
	size_t n = 0;
	for (int i = 0; i < IL__ONE__COUNT; i++)
		n += il__arr_bytes(&ix->ones.val[i]);
	return n;
}

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

/* A zeroed bitmap of the query's documents, added to the AND. */
static uint64_t *and_bitmap(struct il__filter *f, struct il_arena *a)
{
	size_t bytes = (size_t)f->words * 8;
	uint64_t *bm = il_arena_alloc(a, bytes ? bytes : 8);
	if (!bm)
		return NULL;
	memset(bm, 0, bytes ? bytes : 8);
	f->and_[f->nand++] = bm;
	return bm;
}

/* One single-valued filter (region or status) allowing term ids set[n]. */
static int add_one(const struct il_index *ix, struct il__filter *f, struct il_arena *a, int which,
		   const uint32_t *set, uint32_t n, uint64_t df, struct il__post **p)
{
	uint64_t *bm;
	int rc;
	if (df == 0) {
		f->empty = true;
		return IL_OK;
	}
	if (df * SELECTIVE >= ix->m.nlive && il__ones_ready(ix)) {
		f->one[f->none].val = IL__AT(ix->ones.val[which], const uint32_t);
		f->one[f->none].set = set;
		f->one[f->none].n = n;
		f->one[f->none].share = (double)df / (double)ix->m.nlive;
		f->none++;
		return IL_OK;
	}
	if (!*p && !(*p = il_arena_alloc(a, sizeof(**p))))
		return il_error_set(IL_ENOMEM, "search: out of memory");
	if (!(bm = and_bitmap(f, a)))
		return il_error_set(IL_ENOMEM, "search: out of memory");
	for (uint32_t i = 0; i < n; i++)
		if ((rc = mark_term(ix, set[i], bm, *p)) != IL_OK)
			return rc;
	return IL_OK;
}

int il__filter_init(const struct il_index *ix, const struct il_index_query *q,
		    struct il_arena *a, struct il__filter *f)
{
	unsigned all = (1u << IL_KIND__COUNT) - 1, kinds = q->kinds & all;
	struct il__post *p = NULL;
	uint32_t *set = NULL, n = 0, t;
	uint64_t df = 0;
	int rc;
	memset(f, 0, sizeof(*f));
	f->words = il__words(ix->m.ndocs);
	f->ndocs = ix->m.ndocs;
	f->and_[f->nand++] = IL__AT(q->include_hidden ? ix->live : ix->visible, const uint64_t);
	if (kinds && kinds != all)
		for (int k = 0; k < IL_KIND__COUNT; k++)
			if ((kinds >> k) & 1u)
				f->kinds[f->nkinds++] = IL__AT(ix->kindbm[k], const uint64_t);
	if (q->region) {
		if ((rc = region_terms(ix, q->region, a, &set, &n, &df)) != IL_OK ||
		    (rc = add_one(ix, f, a, IL__ONE_REGION, set, n, df, &p)) != IL_OK)
			return rc;
	}
	if (q->status && !f->empty) {
		t = value_term(ix, IL__ATTR_STATUS, q->status, strlen(q->status));
		if (!(set = il_arena_alloc(a, sizeof(*set))))
			return il_error_set(IL_ENOMEM, "search: out of memory");
		set[0] = t;
		df = t == IL__NONE ? 0 : IL__AT(ix->tinfo, const struct il__term)[t].df;
		if ((rc = add_one(ix, f, a, IL__ONE_STATUS, set, 1, df, &p)) != IL_OK)
			return rc;
	}
	if (q->link && !f->empty) {
		uint64_t *bm;
		t = value_term(ix, IL__ATTR_LINK, q->link, strlen(q->link));
		if (t == IL__NONE || IL__AT(ix->tinfo, const struct il__term)[t].df == 0) {
			f->empty = true;
			return IL_OK;
		}
		if ((!p && !(p = il_arena_alloc(a, sizeof(*p)))) || !(bm = and_bitmap(f, a)))
			return il_error_set(IL_ENOMEM, "search: out of memory");
		if ((rc = mark_term(ix, t, bm, p)) != IL_OK)
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

static inline bool in_set(const uint32_t *set, uint32_t n, uint32_t v)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (set[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && set[lo] == v;
}

static inline bool ones_pass(const struct il__filter *f, uint32_t d)
{
	for (uint32_t i = 0; i < f->none; i++)
		if (!in_set(f->one[i].set, f->one[i].n, f->one[i].val[d]))
			return false;
	return true;
}

uint32_t il__filter_next(const struct il__filter *f, uint32_t from)
{
	uint32_t w = from >> 6;
	uint64_t bits;
	if (f->empty || w >= f->words)
		return IL__END;
	bits = filter_word(f, w) & (~(uint64_t)0 << (from & 63));
	for (;;) {
		while (bits) {
			uint32_t d = (w << 6) + (uint32_t)__builtin_ctzll(bits);
			if (d >= f->ndocs)
				return IL__END;
			if (ones_pass(f, d))
				return d;
			bits &= bits - 1;
		}
		if (++w >= f->words)
			return IL__END;
		bits = filter_word(f, w);
	}
}

bool il__filter_has(const struct il__filter *f, uint32_t d)
{
	if (f->empty || d >= f->ndocs)
		return false;
	return ((filter_word(f, d >> 6) >> (d & 63)) & 1u) && ones_pass(f, d);
}

double il__filter_share(const struct il_index *ix, const struct il__filter *f)
{
	/* the bitmaps counted exactly, the per-document values by their df:
	 * an estimate that takes them as independent of the rest */
	double share;
	size_t n = 0;
	if (f->empty || !ix->m.nlive)
		return 0.0;
	for (uint32_t w = 0; w < f->words; w++)
		n += (size_t)__builtin_popcountll(filter_word(f, w));
	share = (double)n / (double)ix->m.nlive;
	for (uint32_t i = 0; i < f->none; i++)
		share *= f->one[i].share;
	return share < 1.0 ? share : 1.0;
}
