/*
 * invert.c - the bulk inverter: how a load into an empty index in bulk
 * mode (il_index_bulk) gets its postings.
 *
 * A put normally appends each posting to its term's last block (postings.c),
 * which keeps the index searchable after every put but touches a block
 * header, a doc-stream tail and a position-stream tail per posting, moves
 * blocks as they grow, and leaves block maxima loose (under averages fitted
 * to the first document) until the compaction that ends a load rewrites
 * everything once more.  A bulk load into an empty index wants none of
 * that: nothing is searched until the load ends.  So while the inverter is
 * active (from il_index_bulk(ix, true) on an empty index to
 * il_index_bulk(ix, false) or the first il_index_compact):
 *
 *   - a put analyses the document and looks its terms up as always, then
 *     hands its tokens (term, field, position) and field lengths over to
 *     a second thread, in batches of about BATCH_TOKS tokens, and returns;
 *   - that thread gathers each term's positions of the document in a
 *     scratch buffer, then appends one entry per term to the term's byte
 *     chain in one slab: the gap to its previous document, the bytes of
 *     positions, the frequency header of struct il__block, the document's
 *     length in each field the term is in, and the positions;
 *   - and writes the document's forward list, its terms put in order
 *     through a two-level bitmap;
 *   - df and block maxima are left for the end.
 *
 * A chain is a list of slices of 16 << level bytes (level 0..9, one up per
 * slice, then 8 KiB each), the last 4 bytes of a full slice holding the
 * slab cell (16 bytes) where the next begins - the layout of Lucene's byte
 * slices, with the level kept in the chain's cursor instead of a marker
 * byte.  Slab cell 0 is never handed out: a cursor at cell 0 is a chain
 * with no slice yet.
 *
 * The end (il__inv_finish) waits for the thread, measures the averages,
 * and writes each chain as the blocks compaction would write: terms in id
 * order, blocks of IL__BLOCK postings side by side, exact maxima under
 * those averages (from the lengths in the chain, so no document record is
 * read), df counting live documents; the terms are split in two halves of
 * equal postings written at once on two threads.  With no dead document
 * the result is the compacted index byte for byte, so the
 * il_index_compact that ends a load has nothing left to do (ix->tidy).
 *
 * Failures.  A put that cannot hand its document over (out of memory)
 * fails before the document is committed, as any put.  The inverting side
 * puts back every chain cursor a document it could not finish moved
 * (struct inv_open.saved), keeps the failure, and inverts nothing more:
 * the next put and the end report it, and the load has failed (the index
 * is to be closed).  An end that fails otherwise leaves the chains as they
 * were and the index empty of postings, so it may be tried again.
 *
 * Depends on: base, index_internal.h.
 */
#include "index/index_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL 16u
#define TOP_LEVEL 9u
#define LINK 4u

/* Where a chain's next byte goes: slice `cell` of 16 << lev bytes, `used`
 * data bytes of it written. */
struct inv_chain {
	uint32_t cell;
	uint16_t used;
	uint8_t lev;
	uint8_t pad;
};

struct inv_term {
	struct inv_chain post;
	uint32_t cur; /* the document of its open posting, IL__NONE before any */
	uint32_t slot; /* that posting's entry in open[] */
	uint32_t last; /* the document of its last written posting (0 before) */
	uint32_t n; /* postings written */
};

/* A posting of the document being put, open until the document ends. */
struct inv_open {
	uint32_t t;
	uint32_t field; /* of the last position, IL_IF__COUNT before any */
	uint32_t prev; /* the last position (deltas are taken from it) */
	uint32_t plen; /* bytes of positions written */
	uint32_t tf[IL_IF__COUNT];
	uint32_t at; /* where its positions go in the document's pbuf */
	struct inv_term saved; /* the term before this document touched it */
};

/* Documents handed to the inverting thread together. */
#define BATCH_TOKS (1u << 16)

struct inv_doc {
	uint32_t d, n; /* the document and its tokens, following the last's */
	uint32_t len[IL_IF__COUNT]; /* its field lengths */
};

struct inv_batch {
	struct il__arr toks; /* struct il__tok3 */
	struct il__arr docs; /* struct inv_doc */
	uint32_t nterms; /* the dictionary's size when handed over */
};

/* A document's forward list in the inverter's own array, until the end. */
struct inv_fwd {
	uint64_t off;
	uint32_t n;
};

struct il__inv {
	/* the thread that puts, and the one that inverts, meet here */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th;
	bool threaded, busy, quit;
	struct inv_batch b[2]; /* filled by puts; the other one inverted */
	unsigned fill;
	/* the first failure of the inverting side, kept; msg is written
	 * before it is stored (release), read after it is loaded (acquire) */
	atomic_int rc;
	char msg[256];
	/* the inverting side's own */
	struct il__arr fwd; /* forward lists, as ix->fwd holds them */
	struct il__arr fdoc; /* struct inv_fwd per document */
	struct il__arr slab;
	struct il__arr terms; /* struct inv_term per term id */
	struct il__arr heads; /* uint32_t per term: the first cell of its chain */
	struct il__arr pbuf; /* the document's positions, each open posting's together */
	struct il__arr open; /* struct inv_open */
	/* the document's term ids as a bitmap over term ids (lo) with a
	 * bitmap of its non-zero words (hi): read in order, they are its
	 * forward list; both all zero between documents */
	struct il__arr lo, hi;
	/* bytes of positions and of postings written (a failed put's too:
	 * bounds for the room the end reserves) */
	uint64_t pbytes, dbytes;
	uint32_t d; /* the document being inverted */
	const uint32_t *len; /* its field lengths */
};

static size_t cap_of(unsigned lev)
{
	return ((size_t)CELL << lev) - LINK;
}

/* Starts a new slice for chain c (the first when c has none). */
static int slice_new(struct il__inv *v, struct inv_chain *c, uint32_t *head)
{
	unsigned lev = c->cell ? (c->lev < TOP_LEVEL ? c->lev + 1u : TOP_LEVEL) : 0u;
	size_t size = (size_t)CELL << lev;
	uint32_t cell;
	int rc;
	if (v->slab.len / CELL + size / CELL > UINT32_MAX)
		return il_error_set(IL_ETOOBIG, "index: a bulk load of more than 64 GiB");
	if ((rc = il__arr_reserve(&v->slab, size)) != IL_OK)
		return rc;
	cell = (uint32_t)(v->slab.len / CELL);
	v->slab.len += size;
	if (c->cell)
		memcpy(v->slab.p + (size_t)c->cell * CELL + cap_of(c->lev), &cell, LINK);
	else
		*head = cell;
	c->cell = cell;
	c->used = 0;
	c->lev = (uint8_t)lev;
	return IL_OK;
}

/* Appends n bytes to chain c. */
static int chain_write(struct il__inv *v, struct inv_chain *c, uint32_t *head,
		       const unsigned char *src, size_t n)
{
	for (;;) {
		size_t room = c->cell ? cap_of(c->lev) - c->used : 0;
		size_t k = n < room ? n : room;
		int rc;
		memcpy(v->slab.p + (size_t)c->cell * CELL + c->used, src, k);
		c->used = (uint16_t)(c->used + k);
		if (k == n)
			return IL_OK;
		src += k;
		n -= k;
		if ((rc = slice_new(v, c, head)) != IL_OK)
			return rc;
	}
}

/* Where chain c takes its next byte when its slice has room for n more,
 * else NULL (the caller writes through chain_write). */
static inline unsigned char *chain_at(const struct il__inv *v, const struct inv_chain *c, size_t n)
{
	if (c->cell && n <= cap_of(c->lev) - c->used)
		return v->slab.p + (size_t)c->cell * CELL + c->used;
	return NULL;
}

/* How many tokens (postings) ahead the inverter starts loading what it
 * will write to: far enough to hide a miss, near enough to stay cached. */
#define AHEAD 8

/* memcpy for the few bytes a posting has, without the call. */
static inline void copy_small(unsigned char *dst, const unsigned char *src, size_t n)
{
	if (n > 32) {
		memcpy(dst, src, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

/* Starts loading the byte chain c writes next. */
static inline void prefetch_tail(const struct il__inv *v, const struct inv_chain *c)
{
	__builtin_prefetch(v->slab.p + (size_t)c->cell * CELL + c->used, 1);
}

/* Reads a chain from its first slice. */
struct inv_reader {
	const struct il__inv *v;
	uint32_t cell;
	size_t at;
	unsigned lev;
};

static void reader_init(struct inv_reader *r, const struct il__inv *v, uint32_t head)
{
	r->v = v;
	r->cell = head;
	r->at = 0;
	r->lev = 0;
}

/* Appends the whole of chain c, read by r from its start, to a. */
static int reader_drain(struct inv_reader *r, const struct inv_chain *c, struct il__arr *a)
{
	for (;;) {
		const unsigned char *s = r->v->slab.p + (size_t)r->cell * CELL;
		size_t n = r->cell == c->cell ? c->used : cap_of(r->lev);
		int rc = il__arr_add(a, s, n);
		if (rc != IL_OK || r->cell == c->cell)
			return rc;
		memcpy(&r->cell, s + n, LINK);
		if (r->lev < TOP_LEVEL)
			r->lev++;
	}
}

int il__inv_busy(const struct il_index *ix, const char *what)
{
	if (!ix->inv)
		return IL_OK;
	return il_error_set(IL_EINVAL, "%s: the index is in a bulk load; end it first", what);
}

/* Gives every term of the dictionary its state, new ones empty. */
static int cover_terms(struct il__inv *v, uint32_t nterms)
{
	uint32_t have = (uint32_t)IL__COUNT(v->terms, struct inv_term);
	size_t more = (size_t)(nterms - have);
	int rc;
	if (have >= nterms)
		return IL_OK;
	if ((rc = il__arr_reserve(&v->terms, more * sizeof(struct inv_term))) != IL_OK ||
	    (rc = il__arr_reserve(&v->heads, more * sizeof(uint32_t))) != IL_OK)
		return rc;
	struct inv_term *t = IL__AT(v->terms, struct inv_term) + have;
	memset(t, 0, more * sizeof(*t));
	for (size_t i = 0; i < more; i++)
		t[i].cur = IL__NONE;
	memset(v->heads.p + v->heads.len, 0, more * sizeof(uint32_t));
	v->terms.len += more * sizeof(struct inv_term);
	v->heads.len += more * sizeof(uint32_t);
	return IL_OK;
}

/* Grows a zeroed bitmap to `words` words. */
static int bits_cover(struct il__arr *a, size_t words)
{
	size_t have = a->len / 8;
	int rc;
	if (have >= words)
		return IL_OK;
	if ((rc = il__arr_reserve(a, (words - have) * 8)) != IL_OK)
		return rc;
	memset(a->p + a->len, 0, (words - have) * 8);
	a->len = words * 8;
	return IL_OK;
}

/* Opens term t's posting in the document (once per term and document). */
static void open_posting(struct il__inv *v, struct inv_term *st, uint32_t t)
{
	struct inv_open *o = IL__AT(v->open, struct inv_open) + IL__COUNT(v->open, struct inv_open);
	o->t = t;
	o->field = IL_IF__COUNT;
	o->prev = 0;
	o->plen = 0;
	o->at = 0;
	memset(o->tf, 0, sizeof(o->tf));
	o->saved = *st;
	st->cur = v->d;
	st->slot = (uint32_t)IL__COUNT(v->open, struct inv_open);
	v->open.len += sizeof(*o);
}

/*
 * Gathers each term's positions in the document: a first pass opens the
 * postings and counts their tokens (room: 5 bytes each in pbuf), a second
 * writes the positions as deltas into that room and counts frequencies.
 * The chains are not touched: each posting goes to its term's chain whole
 * at the document's end.
 */
static int add_tokens(struct il__inv *v, const struct il__tok3 *toks, size_t n)
{
	struct inv_term *terms = IL__AT(v->terms, struct inv_term);
	struct inv_open *o;
	size_t no, room = 0;
	int rc;
	for (size_t i = 0; i < n; i++) {
		struct inv_term *st = &terms[toks[i].term];
		if (i + 2 * AHEAD < n)
			__builtin_prefetch(&terms[toks[i + 2 * AHEAD].term], 1);
		if (st->cur != v->d)
			open_posting(v, st, toks[i].term);
		IL__AT(v->open, struct inv_open)[st->slot].at += 5;
	}
	o = IL__AT(v->open, struct inv_open);
	no = IL__COUNT(v->open, struct inv_open);
	for (size_t i = 0; i < no; i++) {
		uint32_t k = o[i].at;
		o[i].at = (uint32_t)room;
		room += k;
		/* the posting's chain tail, for the document's end */
		prefetch_tail(v, &terms[o[i].t].post);
	}
	v->pbuf.len = 0;
	if ((rc = il__arr_reserve(&v->pbuf, room)) != IL_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct il__tok3 *k = &toks[i];
		struct inv_open *p = &o[terms[k->term].slot];
		size_t len;
		if (k->field >= IL_IF__COUNT)
			continue; /* a filter value: a posting without positions */
		if (k->field != p->field) {
			p->field = k->field;
			p->prev = 0;
		} else if (k->pos == p->prev) {
			continue; /* the same term twice at one position */
		}
		len = il__varint_put(v->pbuf.p + p->at + p->plen, k->pos - p->prev);
		p->tf[k->field]++;
		p->plen += (uint32_t)len;
		p->prev = k->pos;
	}
	return IL_OK;
}

/* Writes every open posting to its term's chain: gap, bytes of positions,
 * frequency header, field lengths, positions. */
static int close_postings(struct il__inv *v)
{
	struct inv_term *terms = IL__AT(v->terms, struct inv_term);
	uint32_t *heads = IL__AT(v->heads, uint32_t);
	const struct inv_open *o = IL__AT(v->open, const struct inv_open);
	size_t n = IL__COUNT(v->open, struct inv_open);
	for (size_t i = 0; i < n; i++) {
		struct inv_term *st = &terms[o[i].t];
		unsigned char enc[5 + 5 + IL__POST_MAX + 5 * IL_IF__COUNT], *at;
		size_t len = il__varint_put(enc, v->d - st->last);
		int rc;
		len += il__varint_put(enc + len, o[i].plen);
		len += il__encode_tf(enc + len, o[i].tf);
		for (unsigned f = 0; f < IL_IF__COUNT; f++)
			if (o[i].tf[f])
				len += il__varint_put(enc + len, v->len[f]);
		if ((at = chain_at(v, &st->post, len + o[i].plen))) {
			copy_small(at, enc, len);
			copy_small(at + len, v->pbuf.p + o[i].at, o[i].plen);
			st->post.used = (uint16_t)(st->post.used + len + o[i].plen);
		} else if ((rc = chain_write(v, &st->post, &heads[o[i].t], enc, len)) != IL_OK ||
			   (rc = chain_write(v, &st->post, &heads[o[i].t], v->pbuf.p + o[i].at,
					     o[i].plen)) != IL_OK) {
			return rc;
		}
		st->last = v->d;
		st->n++;
		v->pbytes += o[i].plen;
		v->dbytes += len;
	}
	return IL_OK;
}

/* Writes the document's forward list (its open postings' terms, in id
 * order) at the end of v->fwd, which has room for it: each term's bit set
 * in a two-level bitmap, then the set bits read in order and cleared, so a
 * document costs its own terms plus one word per 4,096 term ids, not a
 * sort. */
static void write_fwd(struct il__inv *v, uint32_t d)
{
	const struct inv_open *o = IL__AT(v->open, const struct inv_open);
	uint32_t n = (uint32_t)IL__COUNT(v->open, struct inv_open), prev = 0;
	uint64_t *lo = IL__AT(v->lo, uint64_t), *hi = IL__AT(v->hi, uint64_t);
	size_t nhi = IL__COUNT(v->hi, uint64_t);
	struct inv_fwd *fd = &IL__AT(v->fdoc, struct inv_fwd)[d];
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t = o[i].t;
		lo[t >> 6] |= (uint64_t)1 << (t & 63);
		hi[t >> 12] |= (uint64_t)1 << ((t >> 6) & 63);
	}
	fd->off = v->fwd.len;
	fd->n = n;
	for (size_t j = 0; j < nhi && n; j++) {
		for (uint64_t w = hi[j]; w; w &= w - 1) {
			size_t k = j * 64 + (size_t)__builtin_ctzll(w);
			for (uint64_t x = lo[k]; x; x &= x - 1) {
				uint32_t t = (uint32_t)(k * 64 + (size_t)__builtin_ctzll(x));
				v->fwd.len += il__varint_put(v->fwd.p + v->fwd.len, t - prev);
				prev = t;
				n--;
			}
			lo[k] = 0;
		}
		hi[j] = 0;
	}
}

/* Inverts document d of n tokens.  On failure d has no posting. */
static int invert_doc(struct il__inv *v, const struct inv_doc *doc, const struct il__tok3 *toks,
		      uint32_t nterms)
{
	size_t have = IL__COUNT(v->fdoc, struct inv_fwd), n = doc->n;
	uint32_t d = doc->d;
	int rc;
	v->d = d;
	v->len = doc->len;
	v->open.len = 0;
	if ((rc = cover_terms(v, nterms)) != IL_OK ||
	    (rc = bits_cover(&v->lo, ((size_t)nterms + 63) / 64)) != IL_OK ||
	    (rc = bits_cover(&v->hi, ((size_t)nterms + 4095) / 4096)) != IL_OK ||
	    (rc = il__arr_reserve(&v->open, n * sizeof(struct inv_open))) != IL_OK ||

	    (rc = il__arr_reserve(&v->fwd, n * 5)) != IL_OK ||
	    (rc = il__arr_reserve(&v->fdoc, ((size_t)d + 1 - have) * sizeof(struct inv_fwd))) !=
		    IL_OK)
		return rc;
	/* documents before d that never came (their puts failed): no terms */
	memset(v->fdoc.p + v->fdoc.len, 0, ((size_t)d + 1 - have) * sizeof(struct inv_fwd));
	v->fdoc.len = ((size_t)d + 1) * sizeof(struct inv_fwd);
	if ((rc = add_tokens(v, toks, n)) != IL_OK || (rc = close_postings(v)) != IL_OK) {
		/* put every chain back where the document found it */
		struct inv_term *terms = IL__AT(v->terms, struct inv_term);
		const struct inv_open *o = IL__AT(v->open, const struct inv_open);
		for (size_t i = IL__COUNT(v->open, struct inv_open); i-- > 0;)
			terms[o[i].t] = o[i].saved;
		v->open.len = 0;
		return rc;
	}
	write_fwd(v, d);
	return IL_OK;
}

/* The inverting side's failure, IL_OK while there is none. */
static int inv_failed(const struct il__inv *v)
{
	return atomic_load_explicit(&v->rc, memory_order_acquire);
}

/* Inverts batch b's documents in order; a failure stops the load (kept in
 * v->rc with its message, for the putting side to report). */
static void invert_batch(struct il__inv *v, struct inv_batch *b)
{
	const struct il__tok3 *t = IL__AT(b->toks, const struct il__tok3);
	const struct inv_doc *docs = IL__AT(b->docs, const struct inv_doc);
	for (size_t i = 0; i < IL__COUNT(b->docs, struct inv_doc) && !inv_failed(v); i++) {
		int rc = invert_doc(v, &docs[i], t, b->nterms);
		if (rc != IL_OK) {
			snprintf(v->msg, sizeof(v->msg), "%s", il_error_detail(rc));
			atomic_store_explicit(&v->rc, rc, memory_order_release);
		}
		t += docs[i].n;
	}
	b->toks.len = b->docs.len = 0;
}

static void *invert_thread(void *arg)
{
	struct il__inv *v = arg;
	pthread_mutex_lock(&v->mu);
	for (;;) {
		while (!v->busy && !v->quit)
			pthread_cond_wait(&v->cv, &v->mu);
		if (!v->busy)
			break;
		pthread_mutex_unlock(&v->mu);
		invert_batch(v, &v->b[1 - v->fill]);
		pthread_mutex_lock(&v->mu);
		v->busy = false;
		pthread_cond_broadcast(&v->cv);
	}
	pthread_mutex_unlock(&v->mu);
	return NULL;
}

/* Waits until the inverting side has no batch. */
static void wait_idle(struct il__inv *v)
{
	if (!v->threaded)
		return;
	pthread_mutex_lock(&v->mu);
	while (v->busy)
		pthread_cond_wait(&v->cv, &v->mu);
	pthread_mutex_unlock(&v->mu);
}

/* Hands the batch being filled to the inverting side (inverts it here
 * without a thread) and starts filling the other. */
static void hand_over(struct il__inv *v, uint32_t nterms)
{
	struct inv_batch *full = &v->b[v->fill];
	if (!full->docs.len)
		return;
	full->nterms = nterms;
	if (!v->threaded) {
		invert_batch(v, full);
		return;
	}
	wait_idle(v);
	pthread_mutex_lock(&v->mu);
	v->fill = 1 - v->fill;
	v->busy = true;
	pthread_cond_broadcast(&v->cv);
	pthread_mutex_unlock(&v->mu);
}

/* The inverting side's failure, reported on this side. */
static int failed(const struct il__inv *v)
{
	return il_error_set(inv_failed(v), "%s", v->msg);
}

int il__inv_doc(struct il_index *ix, uint32_t d, const struct il__tok3 *toks, size_t n,
		const uint32_t len[IL_IF__COUNT])
{
	struct il__inv *v = ix->inv;
	struct inv_batch *b = &v->b[v->fill];
	struct inv_doc rec = {d, (uint32_t)n, {0}};
	int rc;
	memcpy(rec.len, len, sizeof(rec.len));
	if (inv_failed(v))
		return failed(v);
	if (n > UINT32_MAX)
		return il_error_set(IL_ETOOBIG, "index: a document of %zu tokens", n);
	if ((rc = il__arr_reserve(&b->docs, sizeof(rec))) != IL_OK ||
	    (rc = il__arr_add(&b->toks, toks, n * sizeof(*toks))) != IL_OK)
		return rc;
	memcpy(b->docs.p + b->docs.len, &rec, sizeof(rec));
	b->docs.len += sizeof(rec);
	if (IL__COUNT(b->toks, struct il__tok3) >= BATCH_TOKS)
		hand_over(v, il__dict_size(&ix->terms));
	return IL_OK;
}

/* Ends the inverting side: every batch inverted, the thread gone.  Its
 * failure, if any. */
static int drain(struct il_index *ix)
{
	struct il__inv *v = ix->inv;
	hand_over(v, il__dict_size(&ix->terms));
	wait_idle(v);
	if (v->threaded) {
		pthread_mutex_lock(&v->mu);
		v->quit = true;
		pthread_cond_broadcast(&v->cv);
		pthread_mutex_unlock(&v->mu);
		pthread_join(v->th, NULL);
		pthread_cond_destroy(&v->cv);
		pthread_mutex_destroy(&v->mu);
		v->threaded = false;
	}
	return inv_failed(v) ? failed(v) : IL_OK;
}

/* Gives the documents the forward lists the inverting side wrote. */
static void take_fwd(struct il_index *ix)
{
	struct il__inv *v = ix->inv;
	struct il__doc *docs = IL__AT(ix->docs, struct il__doc);
	const struct inv_fwd *fd = IL__AT(v->fdoc, const struct inv_fwd);
	size_t n = IL__COUNT(v->fdoc, struct inv_fwd);
	for (uint32_t d = 0; d < ix->m.ndocs; d++) {
		docs[d].fwd_off = d < n ? fd[d].off : 0;
		docs[d].fwd_n = d < n ? fd[d].n : 0;
	}
	il__arr_release(&ix->fwd);
	ix->fwd = v->fwd;
	memset(&v->fwd, 0, sizeof(v->fwd));
}

/* What the end of a load shares between its steps. */
struct finish {
	struct il_index *ix;
	struct il__inv *v;
	double avg[IL_IF__COUNT];
};

/*
 * The end writes the terms in two parts, on two threads: terms [t0, t1)
 * into `out`, the index itself for the first part and a scratch index
 * (blocks, pools and a term table of its own) for the second, which is
 * then appended to the first.
 */
struct part {
	const struct finish *f;
	struct il_index *out;
	uint32_t t0, t1;
	struct il__writer w;
	struct il__arr buf; /* one term's posting chain */
	int rc;
	char msg[256];
};

/* Room for everything the end writes, so that writing cannot fail. */
static int finish_reserve(struct finish *f)
{
	struct il_index *ix = f->ix;
	const struct inv_term *terms = IL__AT(f->v->terms, const struct inv_term);
	uint32_t nterms = il__dict_size(&ix->terms);
	uint64_t nblocks = 0;
	int rc;
	for (uint32_t t = 0; t < nterms; t++)
		nblocks += (terms[t].n + IL__BLOCK - 1) / IL__BLOCK;
	if (nblocks >= IL__NONE - 1 || f->v->pbytes > UINT32_MAX || f->v->dbytes > UINT32_MAX)
		return il_error_set(IL_ETOOBIG, "index: too many postings for one index");
	if ((rc = il__arr_reserve(&ix->blocks, (size_t)nblocks * sizeof(struct il__block))) !=
		    IL_OK ||
	    (rc = il__arr_reserve(&ix->post, (size_t)f->v->dbytes)) != IL_OK ||
	    (rc = il__arr_reserve(&ix->pos, (size_t)f->v->pbytes)) != IL_OK)
		return rc;
	return IL_OK;
}

/* Reads a posting's frequencies from its header (layout at struct
 * il__block); false past end. */
static bool read_tf(const unsigned char **p, const unsigned char *end, uint32_t tf[IL_IF__COUNT])
{
	unsigned h;
	memset(tf, 0, IL_IF__COUNT * sizeof(*tf));
	if (*p >= end)
		return false;
	h = *(*p)++;
	if (h & 0x80u) {
		tf[(h >> 5) & 3u] = (h & 31u) + 1;
		return true;
	}
	for (unsigned k = 0; k < IL_IF__COUNT; k++)
		if (((h >> k) & 1u) && !il__varint_get(p, end, &tf[k]))
			return false;
	return true;
}

/* il__tfn of a posting with its document's field lengths (the same
 * arithmetic, so the same double). */
static inline double tfn(const struct finish *f, const uint32_t tf[IL_IF__COUNT],
			 const uint32_t len[IL_IF__COUNT])
{
	double sum = 0.0, b = f->ix->m.b;
	for (unsigned k = 0; k < IL_IF__COUNT; k++)
		if (tf[k]) {
			double l = len[k] ? (double)len[k] : 1.0;
			sum += (double)f->ix->m.weight[k] * (double)tf[k] /
			       (1.0 - b + b * l / f->avg[k]);
		}
	return sum;
}

/* Writes term t's chains as blocks, and its df. */
static int finish_term(struct part *pt, uint32_t t)
{
	const struct finish *f = pt->f;
	struct il_index *ix = pt->out;
	const struct inv_term *st = &IL__AT(f->v->terms, const struct inv_term)[t];
	const uint32_t *heads = IL__AT(f->v->heads, const uint32_t);
	const uint64_t *live = IL__AT(f->ix->live, const uint64_t);
	struct il__writer *w = &pt->w;
	struct inv_reader r;
	const unsigned char *p, *end;
	uint32_t doc = 0, df = 0;
	double bmax = 0.0;
	int rc;
	pt->buf.len = 0;
	reader_init(&r, f->v, heads[t]);
	if ((rc = reader_drain(&r, &st->post, &pt->buf)) != IL_OK)
		return rc;
	p = pt->buf.p;
	end = p + pt->buf.len;
	w->n = 0;
	w->len = 0;
	for (uint32_t i = 0; i < st->n; i++) {
		uint32_t gap, plen, tf[IL_IF__COUNT], len[IL_IF__COUNT] = {0};
		const unsigned char *hdr, *hend = p;
		if (!il__varint_get(&p, end, &gap) || !il__varint_get(&p, end, &plen))
			return il_error_set(IL_EFORMAT, "index: a bulk posting of term %u is cut",
					    t);
		hdr = p;
		if (!read_tf(&p, end, tf))
			return il_error_set(IL_EFORMAT, "index: a bulk posting of term %u is cut",
					    t);
		hend = p;
		for (unsigned k = 0; k < IL_IF__COUNT; k++)
			if (tf[k] && !il__varint_get(&p, end, &len[k]))
				return il_error_set(IL_EFORMAT,
						    "index: a bulk posting of term %u is cut", t);
		if (plen > (size_t)(end - p))
			return il_error_set(IL_EFORMAT, "index: a bulk posting of term %u is cut",
					    t);
		doc += gap;
		if (w->n == 0) {
			memset(&w->b, 0, sizeof(w->b));
			w->b.first_doc = doc;
			w->b.poff = (uint32_t)ix->pos.len;
			bmax = 0.0;
		} else {
			w->len += il__varint_put(w->buf + w->len, gap);
		}
		while (hdr < hend)
			w->buf[w->len++] = *hdr++;
		/* the positions, straight to the pool */
		if (plen > UINT32_MAX - ix->pos.len)
			return il_error_set(IL_ETOOBIG, "index: a positions pool would pass 4 GiB");
		if ((rc = il__arr_reserve(&ix->pos, plen)) != IL_OK)
			return rc;
		memcpy(ix->pos.p + ix->pos.len, p, plen);
		ix->pos.len += plen;
		p += plen;
		double x = tfn(f, tf, len);
		if (x > bmax)
			bmax = x;
		w->last = doc;
		df += il__bit(live, doc);
		if (++w->n == IL__BLOCK || i + 1 == st->n) {
			w->b.max_tfn = il__round_up(bmax);
			if ((rc = il__writer_flush(ix, w, t)) != IL_OK)
				return rc;
		}
	}
	IL__AT(ix->tinfo, struct il__term)[t].df = df;
	return IL_OK;
}

/* Writes the part's terms; a failure goes to pt->rc and pt->msg. */
static void *finish_part(void *arg)
{
	struct part *pt = arg;
	for (uint32_t t = pt->t0; t < pt->t1 && pt->rc == IL_OK; t++)
		if ((pt->rc = finish_term(pt, t)) != IL_OK)
			snprintf(pt->msg, sizeof(pt->msg), "%s", il_error_detail(pt->rc));
	return NULL;
}

/* Where the second part starts: the term before which half the postings
 * lie. */
static uint32_t split_at(const struct finish *f, uint32_t nterms)
{
	const struct inv_term *terms = IL__AT(f->v->terms, const struct inv_term);
	uint64_t total = 0, sum = 0;
	uint32_t t = 0;
	for (uint32_t k = 0; k < nterms; k++)
		total += terms[k].n;
	while (t < nterms && sum * 2 < total)
		sum += terms[t++].n;
	return t;
}

/* A scratch index for the second part: every term empty. */
static int scratch_init(struct il_index *sx, uint32_t nterms)
{
	int rc;
	memset(sx, 0, sizeof(*sx));
	if ((rc = il__arr_reserve(&sx->tinfo, (size_t)nterms * sizeof(struct il__term))) != IL_OK)
		return rc;
	for (uint32_t t = 0; t < nterms; t++)
		IL__AT(sx->tinfo, struct il__term)
	[t] = (struct il__term){0, IL__NONE, IL__NONE, 0.0f};
	sx->tinfo.len = (size_t)nterms * sizeof(struct il__term);
	return IL_OK;
}

static void scratch_release(struct il_index *sx)
{
	il__arr_release(&sx->tinfo);
	il__arr_release(&sx->blocks);
	il__arr_release(&sx->post);
	il__arr_release(&sx->pos);
}

/* Appends the second part's blocks and pools to the index, renumbered. */
static int append_part(struct il_index *ix, const struct il_index *sx, uint32_t t0, uint32_t nterms)
{
	uint32_t nb = (uint32_t)IL__COUNT(ix->blocks, struct il__block);
	uint32_t post = (uint32_t)ix->post.len, pos = (uint32_t)ix->pos.len;
	size_t n = IL__COUNT(sx->blocks, struct il__block);
	struct il__term *terms = IL__AT(ix->tinfo, struct il__term);
	const struct il__term *st = IL__AT(sx->tinfo, const struct il__term);
	struct il__block *b;
	int rc;
	if ((uint64_t)nb + n >= IL__NONE - 1 || sx->post.len > UINT32_MAX - post ||
	    sx->pos.len > UINT32_MAX - pos)
		return il_error_set(IL_ETOOBIG, "index: too many postings for one index");
	if ((rc = il__arr_reserve(&ix->blocks, sx->blocks.len)) != IL_OK ||
	    (rc = il__arr_add(&ix->post, sx->post.p, sx->post.len)) != IL_OK ||
	    (rc = il__arr_add(&ix->pos, sx->pos.p, sx->pos.len)) != IL_OK)
		return rc;
	b = IL__AT(ix->blocks, struct il__block) + nb;
	if (n)
		memcpy(b, sx->blocks.p, sx->blocks.len);
	ix->blocks.len += sx->blocks.len;
	for (size_t i = 0; i < n; i++) {
		b[i].off += post;
		b[i].poff += pos;
		if (b[i].next != IL__NONE)
			b[i].next += nb;
	}
	for (uint32_t t = t0; t < nterms; t++) {
		terms[t] = st[t];
		if (terms[t].first != IL__NONE) {
			terms[t].first += nb;
			terms[t].last += nb;
		}
	}
	return IL_OK;
}

/* Writes every term, in two parts at once when a thread can be had. */
static int finish_terms(struct finish *f, uint32_t nterms)
{
	struct part a, b;
	struct il_index sx;
	pthread_t th;
	bool threaded;
	int rc;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if ((rc = scratch_init(&sx, nterms)) != IL_OK)
		return rc;
	a.f = b.f = f;
	a.out = f->ix;
	b.out = &sx;
	a.t1 = b.t0 = split_at(f, nterms);
	b.t1 = nterms;
	threaded = pthread_create(&th, NULL, finish_part, &b) == 0;
	finish_part(&a);
	if (threaded)
		pthread_join(th, NULL);
	else
		finish_part(&b);
	if ((rc = a.rc) != IL_OK)
		il_error_set(rc, "%s", a.msg);
	else if ((rc = b.rc) != IL_OK)
		il_error_set(rc, "%s", b.msg);
	else
		rc = append_part(f->ix, &sx, b.t0, nterms);
	il__arr_release(&a.buf);
	il__arr_release(&b.buf);
	scratch_release(&sx);
	return rc;
}

int il__inv_finish(struct il_index *ix)
{
	struct finish f;
	uint32_t nterms = il__dict_size(&ix->terms);
	int rc;
	if (!ix->inv)
		return IL_OK;
	if ((rc = drain(ix)) != IL_OK)
		return rc;
	memset(&f, 0, sizeof(f));
	f.ix = ix;
	f.v = ix->inv;
	il__avg(&ix->m, f.avg);
	if ((rc = cover_terms(f.v, nterms)) != IL_OK || (rc = finish_reserve(&f)) != IL_OK ||
	    (rc = finish_terms(&f, nterms)) != IL_OK)
		goto out;
	take_fwd(ix);
	for (int k = 0; k < IL_IF__COUNT; k++)
		ix->m.ref_avg[k] = f.avg[k];
	ix->m.garbage = 0;
	ix->m.base = ix->m.ndocs;
	ix->tidy = ix->m.nlive == ix->m.ndocs;
	il__inv_free(ix);
out:
	if (rc != IL_OK) {
		/* as before the end: no block, every term empty */
		struct il__term *terms = IL__AT(ix->tinfo, struct il__term);
		ix->blocks.len = ix->post.len = ix->pos.len = 0;
		for (uint32_t t = 0; t < nterms; t++)
			terms[t] = (struct il__term){0, IL__NONE, IL__NONE, 0.0f};
	}
	return rc;
}

int il__inv_start(struct il_index *ix)
{
	struct il__inv *v;
	if (ix->inv)
		return IL_OK;
	if (!(v = il_calloc(1, sizeof(*v))))
		return il_error_set(IL_ENOMEM, "index: out of memory for a bulk load");
	atomic_init(&v->rc, IL_OK);
	/* cell 0 stands for "no slice" */
	if (il__arr_reserve(&v->slab, CELL) != IL_OK) {
		free(v);
		return il_error_set(IL_ENOMEM, "index: out of memory for a bulk load");
	}
	v->slab.len = CELL;
	if (pthread_mutex_init(&v->mu, NULL) == 0) {
		if (pthread_cond_init(&v->cv, NULL) == 0) {
			v->threaded = pthread_create(&v->th, NULL, invert_thread, v) == 0;
			if (!v->threaded)
				pthread_cond_destroy(&v->cv);
		}
		if (!v->threaded)
			pthread_mutex_destroy(&v->mu);
	}
	ix->inv = v;
	return IL_OK;
}

void il__inv_free(struct il_index *ix)
{
	struct il__inv *v = ix->inv;
	if (!v)
		return;
	(void)drain(ix);
	for (int k = 0; k < 2; k++) {
		il__arr_release(&v->b[k].toks);
		il__arr_release(&v->b[k].docs);
	}
	il__arr_release(&v->fwd);
	il__arr_release(&v->fdoc);
	il__arr_release(&v->pbuf);
	il__arr_release(&v->slab);
	il__arr_release(&v->terms);
	il__arr_release(&v->heads);
	il__arr_release(&v->open);
	il__arr_release(&v->lo);
	il__arr_release(&v->hi);
	free(v);
	ix->inv = NULL;
}
