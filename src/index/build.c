/*
 * build.c - the index built from the store: every searchable record, the
 * region tree, and the chain links records are placed on.
 *
 * Three passes over the store, none holding more than two batches of its
 * records at a time (the build analyses on two threads, below): regions
 * (their parents feed il_index_region_parent, so a filter on a city
 * reaches its districts and parks); assignments (entity
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
 * Depends on: base, model, store, index_internal.h, pthreads.
 */
#include "index/index_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One placement: key = kind byte + entity id, both in the pool; k points
 * at it once the pool stops growing (il__places_sort). */
struct il__place {
	size_t key, klen, link;
	const char *k;
};

/* The searchable kinds, in the order a build indexes them. */
static const enum il_kind searchable[] = {IL_KIND_ORGANIZATION, IL_KIND_PERSON, IL_KIND_ACHIEVEMENT,
					  IL_KIND_DEMAND,       IL_KIND_CHAIN,  IL_KIND_LINK};

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
			return il_error_set(IL_ENOMEM,
					    "index: out of memory collecting placements");
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

/* Appends link to a grown-as-needed array. */
static int add_link(const char ***links, size_t *cap, size_t *n, const char *link)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16, bytes;
		const char **nl;
		if (!il_size_mul(ncap, sizeof(*nl), &bytes) ||
		    !(nl = il_realloc((void *)*links, bytes)))
			return il_error_set(IL_ENOMEM, "index: out of memory collecting links");
		*links = nl;
		*cap = ncap;
	}
	(*links)[(*n)++] = link;
	return IL_OK;
}

/* The document of record r with the links its kind gives it and those p
 * places it on: doc borrows from r and p, its links array is *links
 * (grown as needed, *cap its room).  The errors of
 * il_index_doc_from_record, IL_ENOMEM. */
static int record_doc(const struct il__places *p, const struct il_record *r,
		      struct il_index_doc *doc, const char ***links, size_t *cap)
{
	char key[IL_INDEX_MAX_ID + 2];
	size_t nl = 0, klen;
	int rc;
	if ((rc = il_index_doc_from_record(r, doc)) != IL_OK)
		return rc;
	for (size_t i = 0; i < doc->nlinks; i++)
		if ((rc = add_link(links, cap, &nl, doc->links[i])) != IL_OK)
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
			if ((rc = add_link(links, cap, &nl, pool_at(p, pl->link))) != IL_OK)
				return rc;
		}
	}
	doc->links = *links;
	doc->nlinks = nl;
	return IL_OK;
}

/* il_index_put of a record's document (analysed ahead when pre is not
 * NULL), its error detail prefixed with the record's kind and id. */
static int put_doc(struct il_index *ix, const struct il_record *r, const struct il_index_doc *doc,
		   struct il__pre *pre)
{
	int rc = pre ? il__index_put_pre(ix, doc, pre) : il_index_put(ix, doc);
	if (rc != IL_OK)
		il_error_prefix("%s %s", il_kind_info(r->kind)->name, r->id ? r->id : "?");
	return rc;
}

int il__index_put_record(struct il_index *ix, struct il__places *p, const struct il_record *r)
{
	struct il_index_doc doc;
	int rc;
	if ((rc = record_doc(p, r, &doc, &p->links, &p->lcap)) != IL_OK)
		return rc;
	return put_doc(ix, r, &doc, NULL);
}

/*
 * The build analyses on two threads.  Records come one at a time from the
 * store, valid only inside its callback, so they are copied into a batch of
 * BATCH slots; a full batch goes to a worker thread, which analyses its
 * documents (il__index_preanalyse: the analyzer only, never the index),
 * while this thread puts the batch before it, in order, replaying that
 * analysis, and copies the next records.  Tokenizing is most of a build,
 * so this nearly halves it on two cores; the index is exactly the one
 * sequential puts make (same documents, same order, same analysis).  When
 * the thread cannot be started, records are put one by one as they come.
 */
#define BATCH 256

struct slot {
	struct il_record rec;
	struct il_index_doc doc;
	const char **links;
	size_t lcap;
	struct il__pre pre;
};

struct batch {
	struct slot *s;
	size_t n;
};

struct worker {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const struct il_index *ix;
	struct batch *job; /* being analysed, or NULL */
	bool quit;
};

static void *work(void *vw)
{
	struct worker *w = vw;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->job && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->job)
			break;
		struct batch *b = w->job;
		pthread_mutex_unlock(&w->mu);
		for (size_t i = 0; i < b->n; i++)
			il__index_preanalyse(w->ix, &b->s[i].doc, &b->s[i].pre);
		pthread_mutex_lock(&w->mu);
		w->job = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void wait_idle(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->job)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

static void hand_over(struct worker *w, struct batch *b)
{
	pthread_mutex_lock(&w->mu);
	w->job = b;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

struct build {
	struct il_index *ix;
	struct il__places places;
	struct batch b[2]; /* b[fill] takes records; the other was analysed */
	int fill;
	size_t ready; /* records of the other batch analysed and not yet put */
	bool threaded;
	struct worker w;
};

static void batch_clear(struct batch *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		il_record_release(&b->s[i].rec);
}

/* Puts the n analysed records of batch b in order, then frees the copies. */
static int put_batch(struct build *bd, struct batch *b, size_t n, bool analysed)
{
	int rc = IL_OK;
	for (size_t i = 0; i < n && rc == IL_OK; i++)
		rc = put_doc(bd->ix, &b->s[i].rec, &b->s[i].doc, analysed ? &b->s[i].pre : NULL);
	batch_clear(b, n);
	return rc;
}

/* The batch being filled is full: the worker takes it once done with the
 * one before, which this thread then puts. */
static int cycle(struct build *bd)
{
	struct batch *full = &bd->b[bd->fill], *done = &bd->b[1 - bd->fill];
	size_t nd = bd->ready;
	wait_idle(&bd->w);
	bd->ready = full->n;
	hand_over(&bd->w, full);
	bd->fill = 1 - bd->fill;
	done->n = 0;
	return put_batch(bd, done, nd, true);
}

static int on_record(const struct il_record *r, void *vctx)
{
	struct build *bd = vctx;
	struct batch *b = &bd->b[bd->fill];
	struct slot *sl;
	int rc;
	if (!bd->threaded)
		return il__index_put_record(bd->ix, &bd->places, r);
	sl = &b->s[b->n];
	if ((rc = il_record_copy(&sl->rec, r)) != IL_OK)
		return rc;
	if ((rc = record_doc(&bd->places, &sl->rec, &sl->doc, &sl->links, &sl->lcap)) != IL_OK) {
		il_record_release(&sl->rec);
		return rc;
	}
	if (++b->n == BATCH)
		return cycle(bd);
	return IL_OK;
}

/* Puts what is left, in order: the batch analysed last, then the one being
 * filled (analysed here).  On failure (rc) only frees. */
static int finish(struct build *bd, int rc)
{
	struct batch *fill = &bd->b[bd->fill], *done = &bd->b[1 - bd->fill];
	if (!bd->threaded)
		return rc;
	wait_idle(&bd->w);
	if (rc == IL_OK)
		rc = put_batch(bd, done, bd->ready, true);
	else
		batch_clear(done, bd->ready);
	bd->ready = 0;
	if (rc == IL_OK)
		rc = put_batch(bd, fill, fill->n, false);
	else
		batch_clear(fill, fill->n);
	fill->n = 0;
	return rc;
}

static void build_init(struct build *bd, struct il_index *ix)
{
	memset(bd, 0, sizeof(*bd));
	bd->ix = ix;
	il__places_init(&bd->places);
	bd->w.ix = ix;
	if (!(bd->b[0].s = il_calloc(BATCH, sizeof(struct slot))) ||
	    !(bd->b[1].s = il_calloc(BATCH, sizeof(struct slot))))
		return;
	pthread_mutex_init(&bd->w.mu, NULL);
	pthread_cond_init(&bd->w.cv, NULL);
	bd->threaded = pthread_create(&bd->w.th, NULL, work, &bd->w) == 0;
	if (!bd->threaded) {
		pthread_cond_destroy(&bd->w.cv);
		pthread_mutex_destroy(&bd->w.mu);
	}
}

static void build_release(struct build *bd)
{
	if (bd->threaded) {
		pthread_mutex_lock(&bd->w.mu);
		bd->w.quit = true;
		pthread_cond_broadcast(&bd->w.cv);
		pthread_mutex_unlock(&bd->w.mu);
		pthread_join(bd->w.th, NULL);
		pthread_cond_destroy(&bd->w.cv);
		pthread_mutex_destroy(&bd->w.mu);
	}
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; bd->b[k].s && i < BATCH; i++) {
			free((void *)bd->b[k].s[i].links);
			il__pre_release(&bd->b[k].s[i].pre);
		}
		free(bd->b[k].s);
	}
	il__places_release(&bd->places);
}

int il_index_build(struct il_index *ix, struct il_store *s, int64_t *seq)
{
	struct build bd;
	struct il_query q;
	int64_t last = 0;
	int rc, rc2;
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
	build_init(&bd, ix);
	if ((rc = il_index_bulk(ix, true)) != IL_OK) {
		build_release(&bd);
		return rc;
	}

	il_query_init(&q, IL_KIND_REGION);
	if ((rc = il_store_list(s, &q, on_region, ix, NULL)) != IL_OK)
		goto cleanup;
	if ((rc = il__places_load(&bd.places, s)) != IL_OK)
		goto cleanup;
	for (size_t i = 0; i < sizeof(searchable) / sizeof(searchable[0]); i++) {
		il_query_init(&q, searchable[i]);
		q.include_confidential = true;
		if ((rc = il_store_list(s, &q, on_record, &bd, NULL)) != IL_OK)
			break;
	}
	if ((rc = finish(&bd, rc)) == IL_OK && (rc = il_index_compact(ix)) == IL_OK && seq)
		*seq = last;

cleanup:
	if ((rc2 = il_index_bulk(ix, false)) != IL_OK) {
		il__inv_free(ix); /* out of memory: drop the postings gathered */
		if (rc == IL_OK)
			rc = rc2;
	}
	build_release(&bd);
	return rc;
}
