/*
 * postings.c - postings in compressed blocks: appending, decoding, the
 * BM25F pieces that block maxima are made of, deletes and compaction.
 *
 * Appending.  Documents get increasing ids, so a new posting always goes
 * at the end of its term's chain: into the last block while it has fewer
 * than IL__BLOCK postings, else into a new one.  A block's two byte regions
 * (doc stream, position stream) are reserved with slack; when a region is
 * full it grows in place if it ends the pool, else it moves to the end of
 * the pool with twice the room and the old bytes become garbage.  Growth at
 * the end of the pool is exact (the pool itself grows by doubling), so
 * compaction, which appends one term at a time, leaves no slack at all.
 *
 * Block maxima.  Each block keeps max_tfn, the largest tf~ of its postings
 * computed with the reference averages ref_avg.  Scoring uses the current
 * averages avg; for a field norm n(a) = 1 - b + b * len / a and a >= r,
 *   n(r) / n(a) <= a / r,
 * because (1 - b) * a / r >= 1 - b and b * len / r = (a / r) * b * len / a.
 * So tf~ now <= gamma * max_tfn with gamma = max(1, max over f of
 * avg_f / ref_avg_f), and a smaller average only lowers tf~: the stored
 * maxima stay safe upper bounds whatever is added or deleted, at the price
 * of looser pruning until the next compaction makes them exact again.
 *
 * Deletes.  A dead document keeps its postings (a tombstone in the live
 * bitmap hides it) but leaves df and the length sums at once, through its
 * forward list of term ids, so scores never depend on how many deletes are
 * waiting for compaction.
 *
 * Compaction.  Runs when a quarter of the document ids (at least 64) are
 * dead, or garbage exceeds half of the pools (at least 1 MiB), or the
 * index has doubled since the last compaction (at least 1024 ids), or when
 * asked: a new index is assembled beside the old one (live documents
 * renumbered in order, terms without live postings dropped, exact maxima
 * under the current averages), then swapped in; if memory runs out the old
 * one is untouched.
 *
 * Depends on: base, index_internal.h.
 */
#include "index/index_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double il__idf(uint32_t n, uint32_t df)
{
	/* df > n only for a term whose documents are all being counted while
	 * dead; the +0.5 terms keep the ratio positive for df = n, and ln(1 + x)
	 * keeps idf > 0 even for a term in every document (Lucene's variant),
	 * so adding a matching term never lowers a score. */
	double dn = (double)n, ddf = (double)df;
	if (ddf > dn)
		ddf = dn;
	return log(1.0 + (dn - ddf + 0.5) / (ddf + 0.5));
}

void il__avg(const struct il__meta *m, double avg[IL_IF__COUNT])
{
	for (int f = 0; f < IL_IF__COUNT; f++) {
		double a = m->nlive ? (double)m->sum_len[f] / (double)m->nlive : 0.0;
		/* no live document has this field: nothing has tf > 0 in it either,
		 * any positive value keeps the formula finite */
		avg[f] = a > 1e-9 ? a : 1.0;
	}
}

double il__tfn(const struct il__meta *m, const double avg[IL_IF__COUNT], const uint32_t *tf,
	       const uint32_t *len, unsigned only)
{
	double sum = 0.0, b = m->b;
	for (unsigned f = 0; f < IL_IF__COUNT; f++) {
		if (!tf[f] || (only < IL_IF__COUNT && f != only))
			continue;
		double l = len[f] ? (double)len[f] : 1.0;
		sum += (double)m->weight[f] * (double)tf[f] / (1.0 - b + b * l / avg[f]);
	}
	return sum;
}

float il__round_up(double x)
{
	float f = (float)x;
	if ((double)f < x) {
		/* the next float up: for a finite f >= 0 its bit pattern + 1 */
		uint32_t u;
		if (!(f >= 0.0f) || isinf(f))
			return nextafterf(f, INFINITY);
		memcpy(&u, &f, sizeof(u));
		u++;
		memcpy(&f, &u, sizeof(f));
	}
	return f;
}

/* The bytes reserved behind a stream of `len` bytes whose room nibble is e. */
static size_t room(size_t len, unsigned e)
{
	return e ? (size_t)1 << e : len;
}

/*
 * Makes room for a block region of `need` bytes that now holds `len` of the
 * room its nibble *e gives at *off: in place when it ends the pool (exactly,
 * so no slack is left: e becomes 0), else moved to the pool's end with the
 * room doubled and rounded to a power of two (exact when that is past
 * 1 << 15, the largest a nibble says).  *fresh (a region not yet placed,
 * len 0) puts it at the end, exactly.  Pools stay below 4 GiB, so offsets
 * fit 32 bits.  Atomic.
 */
static int region_grow(struct il__arr *pool, uint32_t *off, size_t len, unsigned *e, size_t need,
		       bool fresh, uint64_t *garbage)
{
	size_t cap = fresh ? 0 : room(len, *e), ncap;
	unsigned ne = 0;
	int rc;
	if (!fresh && need <= cap)
		return IL_OK;
	if (!fresh && *off + cap == pool->len) {
		if (pool->len + (need - cap) > UINT32_MAX)
			goto too_big;
		if ((rc = il__arr_reserve(pool, need - cap)) != IL_OK)
			return rc;
		pool->len += need - cap;
		*e = 0;
		return IL_OK;
	}
	ncap = need;
	if (!fresh) {
		size_t want = cap * 2 > need ? cap * 2 : need;
		while (((size_t)1 << ne) < want && ne < 16)
			ne++;
		if (ne <= 15)
			ncap = (size_t)1 << ne;
		else
			ne = 0;
	}
	if (pool->len + ncap > UINT32_MAX)
		goto too_big;
	if ((rc = il__arr_reserve(pool, ncap)) != IL_OK)
		return rc;
	if (!fresh) {
		memcpy(pool->p + pool->len, pool->p + *off, len);
		*garbage += cap;
	}
	*off = (uint32_t)pool->len;
	pool->len += ncap;
	*e = ne;
	return IL_OK;
too_big:
	return il_error_set(IL_ETOOBIG, "index: a postings pool would pass 4 GiB");
}

/* Appends a new block holding one posting to term t's chain. */
static int block_new(struct il_index *ix, struct il__term *term, uint32_t d,
		     const unsigned char *enc, size_t dl, const unsigned char *pos, size_t plen,
		     float mt)
{
	struct il__block nb;
	uint32_t nblocks = (uint32_t)IL__COUNT(ix->blocks, struct il__block);
	unsigned e = 0, pe = 0;
	int rc;
	if (nblocks >= IL__NONE - 1)
		return il_error_set(IL_ETOOBIG, "index: too many posting blocks");
	memset(&nb, 0, sizeof(nb));
	if ((rc = il__arr_reserve(&ix->blocks, sizeof(nb))) != IL_OK ||
	    (rc = region_grow(&ix->post, &nb.off, 0, &e, dl, true, &ix->m.garbage)) != IL_OK)
		return rc;
	if ((rc = region_grow(&ix->pos, &nb.poff, 0, &pe, plen, true, &ix->m.garbage)) != IL_OK) {
		/* the doc region just placed at the end is unused: give it back */
		ix->post.len -= dl;
		return rc;
	}
	nb.first_doc = nb.last_doc = d;
	nb.next = IL__NONE;
	memcpy(ix->post.p + nb.off, enc, dl);
	if (plen)
		memcpy(ix->pos.p + nb.poff, pos, plen);
	nb.len = (uint16_t)dl;
	nb.plen = (uint32_t)plen;
	nb.n = 1;
	nb.max_tfn = mt;
	memcpy(ix->blocks.p + ix->blocks.len, &nb, sizeof(nb));
	ix->blocks.len += sizeof(nb);
	if (term->last != IL__NONE)
		IL__AT(ix->blocks, struct il__block)[term->last].next = nblocks;
	else
		term->first = nblocks;
	term->last = nblocks;
	return IL_OK;
}

int il__post_append(struct il_index *ix, uint32_t t, uint32_t d, const uint32_t tf[IL_IF__COUNT],
		    const unsigned char *pos, size_t plen, double tfn)
{
	struct il__term *term = &IL__AT(ix->tinfo, struct il__term)[t];
	struct il__block *b = NULL;
	unsigned char enc[IL__POST_MAX];
	size_t dl = 0;
	float mt = il__round_up(tfn);
	int rc;
	if (term->last != IL__NONE) {
		b = &IL__AT(ix->blocks, struct il__block)[term->last];
		if (b->n >= IL__BLOCK)
			b = NULL;
	}
	if (b)
		dl += il__varint_put(enc, d - b->last_doc);
	dl += il__encode_tf(enc + dl, tf);
	if (!b) {
		if ((rc = block_new(ix, term, d, enc, dl, pos, plen, mt)) != IL_OK)
			return rc;
	} else {
		size_t need = (size_t)b->len + dl, pneed = (size_t)b->plen + plen;
		unsigned e = b->logs & 15u, pe = b->logs >> 4;
		/* most appends fit the room already there */
		if (need > room(b->len, e)) {
			if ((rc = region_grow(&ix->post, &b->off, b->len, &e, need, false,
					      &ix->m.garbage)) != IL_OK)
				return rc;
			b->logs = (uint8_t)(pe << 4 | e);
		}
		if (pneed > room(b->plen, pe)) {
			if ((rc = region_grow(&ix->pos, &b->poff, b->plen, &pe, pneed, false,
					      &ix->m.garbage)) != IL_OK)
				return rc;
			b->logs = (uint8_t)(pe << 4 | e);
		}
		memcpy(ix->post.p + b->off + b->len, enc, dl);
		if (plen)
			memcpy(ix->pos.p + b->poff + b->plen, pos, plen);
		b->len = (uint16_t)need;
		b->plen = (uint32_t)pneed;
		b->n++;
		b->last_doc = d;
		if (mt > b->max_tfn)
			b->max_tfn = mt;
	}
	if (mt > term->max_tfn)
		term->max_tfn = mt;
	return IL_OK;
}

bool il__block_decode(const struct il_index *ix, const struct il__block *b, struct il__post *out)
{
	const unsigned char *p, *end;
	uint32_t doc = b->first_doc;
	if (b->n == 0 || b->n > IL__BLOCK || b->off > ix->post.len ||
	    b->len > ix->post.len - b->off)
		return false;
	p = ix->post.p + b->off;
	end = p + b->len;
	for (uint32_t i = 0; i < b->n; i++) {
		uint32_t delta, *tf = out->tf[i];
		if (i) {
			if (!il__varint_get(&p, end, &delta) || delta == 0 ||
			    delta > UINT32_MAX - doc)
				return false;
			doc += delta;
		}
		if (p >= end)
			return false;
		unsigned h = *p++;
		out->doc[i] = doc;
		memset(tf, 0, IL_IF__COUNT * sizeof(*tf));
		if (h & 0x80u) {
			tf[(h >> 5) & 3u] = (h & 31u) + 1;
			continue;
		}
		if (h & ~0x0fu)
			return false;
		for (unsigned f = 0; f < IL_IF__COUNT; f++)
			if ((h >> f) & 1u) {
				if (!il__varint_get(&p, end, &tf[f]) || tf[f] == 0)
					return false;
			}
	}
	out->n = b->n;
	return doc == b->last_doc;
}

bool il__block_positions(const struct il_index *ix, const struct il__block *b,
			 const struct il__post *p, uint32_t i, unsigned f, uint32_t *out,
			 uint32_t max, uint32_t *n)
{
	const unsigned char *s, *end;
	uint64_t skip = 0;
	uint32_t v, at = 0;
	*n = 0;
	if (b->poff > ix->pos.len || b->plen > ix->pos.len - b->poff || i >= p->n ||
	    f >= IL_IF__COUNT)
		return false;
	s = ix->pos.p + b->poff;
	end = s + b->plen;
	for (uint32_t j = 0; j < i; j++)
		for (unsigned g = 0; g < IL_IF__COUNT; g++)
			skip += p->tf[j][g];
	for (unsigned g = 0; g < f; g++)
		skip += p->tf[i][g];
	for (uint64_t k = 0; k < skip; k++)
		if (!il__varint_get(&s, end, &v))
			return false;
	for (uint32_t k = 0; k < p->tf[i][f]; k++) {
		if (!il__varint_get(&s, end, &v) || v > UINT32_MAX - at)
			return false;
		at += v;
		if (*n < max)
			out[(*n)++] = at;
	}
	return true;
}

void il__doc_kill(struct il_index *ix, uint32_t d)
{
	struct il__doc *doc = &IL__AT(ix->docs, struct il__doc)[d];
	struct il__term *terms = IL__AT(ix->tinfo, struct il__term);
	const unsigned char *fwd = ix->fwd.p + doc->fwd_off, *fend = ix->fwd.p + ix->fwd.len;
	uint64_t bit = (uint64_t)1 << (d & 63);
	uint32_t t = 0, gap;
	if (!(doc->flags & IL__DOC_LIVE))
		return;
	doc->flags &= (uint8_t)~IL__DOC_LIVE;
	ix->tidy = false;
	IL__AT(ix->live, uint64_t)[d >> 6] &= ~bit;
	IL__AT(ix->visible, uint64_t)[d >> 6] &= ~bit;
	IL__AT(ix->kindbm[doc->kind], uint64_t)[d >> 6] &= ~bit;
	ix->m.nlive--;
	if (doc->flags & IL__DOC_HIDDEN)
		ix->m.nhidden--;
	for (int f = 0; f < IL_IF__COUNT; f++)
		ix->m.sum_len[f] -= doc->len[f];
	/* snapshots checked every list at load; a put wrote the others */
	for (uint32_t i = 0; i < doc->fwd_n && il__varint_get(&fwd, fend, &gap); i++) {
		t += gap;
		if (terms[t].df)
			terms[t].df--;
	}
	if (doc->key != IL__NONE)
		IL__AT(ix->key_doc, uint32_t)[doc->key] = IL__NONE;
}

/* Appends a zeroed bitmap of `words` words. */
static int bitmap_init(struct il__arr *a, uint32_t words)
{
	size_t bytes = (size_t)words * 8;
	int rc = il__arr_reserve(a, bytes);
	if (rc)
		return rc;
	memset(a->p, 0, bytes);
	a->len = bytes;
	return IL_OK;
}

/* Length in bytes of the positions of one posting (sum of its tfs). */
static bool positions_len(const unsigned char *s, const unsigned char *end, uint64_t count,
			  size_t *len)
{
	const unsigned char *p = s;
	uint32_t v;
	for (uint64_t k = 0; k < count; k++)
		if (!il__varint_get(&p, end, &v))
			return false;
	*len = (size_t)(p - s);
	return true;
}

static void free_new(struct il_index *nx)
{
	il__arr_release(&nx->docs);
	il__arr_release(&nx->fwd);
	il__arr_release(&nx->live);
	il__arr_release(&nx->visible);
	for (int k = 0; k < IL_KIND__COUNT; k++)
		il__arr_release(&nx->kindbm[k]);
	il__dict_release(&nx->terms);
	il__arr_release(&nx->tinfo);
	il__arr_release(&nx->blocks);
	il__arr_release(&nx->post);
	il__arr_release(&nx->pos);
	il__dict_release(&nx->keys);
	il__arr_release(&nx->key_doc);
}

int il__writer_flush(struct il_index *nx, struct il__writer *w, uint32_t t)
{
	struct il__term *term = &IL__AT(nx->tinfo, struct il__term)[t];
	uint32_t nblocks = (uint32_t)IL__COUNT(nx->blocks, struct il__block);
	int rc;
	if (!w->n)
		return IL_OK;
	if (nblocks >= IL__NONE - 1 || nx->post.len + w->len > UINT32_MAX ||
	    nx->pos.len > UINT32_MAX)
		return il_error_set(IL_ETOOBIG, "index: too many postings to compact");
	if ((rc = il__arr_reserve(&nx->blocks, sizeof(w->b))) != IL_OK)
		return rc;
	w->b.off = (uint32_t)nx->post.len;
	if ((rc = il__arr_add(&nx->post, w->buf, w->len)) != IL_OK)
		return rc;
	w->b.plen = (uint32_t)(nx->pos.len - w->b.poff);
	w->b.last_doc = w->last;
	w->b.next = IL__NONE;
	w->b.len = (uint16_t)w->len;
	w->b.n = (uint8_t)w->n;
	w->b.logs = 0;
	memcpy(nx->blocks.p + nx->blocks.len, &w->b, sizeof(w->b));
	nx->blocks.len += sizeof(w->b);
	if (term->last != IL__NONE)
		IL__AT(nx->blocks, struct il__block)[term->last].next = nblocks;
	else
		term->first = nblocks;
	term->last = nblocks;
	if (w->b.max_tfn > term->max_tfn)
		term->max_tfn = w->b.max_tfn;
	w->n = 0;
	w->len = 0;
	return IL_OK;
}

static int writer_add(struct il_index *nx, struct il__writer *w, uint32_t t, uint32_t d,
		      const uint32_t tf[IL_IF__COUNT], const unsigned char *pos, size_t plen,
		      double tfn)
{
	float mt = il__round_up(tfn);
	int rc;
	if (w->n == 0) {
		memset(&w->b, 0, sizeof(w->b));
		w->b.first_doc = d;
		w->b.poff = (uint32_t)nx->pos.len;
	} else {
		w->len += il__varint_put(w->buf + w->len, d - w->last);
	}
	if ((rc = il__arr_add(&nx->pos, pos, plen)) != IL_OK)
		return rc;
	w->len += il__encode_tf(w->buf + w->len, tf);
	w->last = d;
	if (mt > w->b.max_tfn)
		w->b.max_tfn = mt;
	if (++w->n == IL__BLOCK)
		return il__writer_flush(nx, w, t);
	return IL_OK;
}

/*
 * Copies term t's chain into nx as it is, for a compaction that renumbers
 * nothing (no dead document): the bytes of each block are what the writer
 * would produce again, since only a term's last block is ever partly
 * filled, so only the block maxima are made anew, exact under nx's
 * reference averages.  *df gets the postings copied.
 */
static int copy_term(const struct il_index *ix, struct il_index *nx, uint32_t t, uint32_t nt,
		     struct il__post *post, uint32_t *df)
{
	const struct il__block *blocks = IL__AT(ix->blocks, const struct il__block);
	const struct il__doc *docs = IL__AT(ix->docs, const struct il__doc);
	int rc;
	*df = 0;
	for (uint32_t bi = IL__AT(ix->tinfo, const struct il__term)[t].first; bi != IL__NONE;
	     bi = blocks[bi].next) {
		const struct il__block *b = &blocks[bi];
		struct il__term *term = &IL__AT(nx->tinfo, struct il__term)[nt];
		uint32_t nblocks = (uint32_t)IL__COUNT(nx->blocks, struct il__block);
		struct il__block nb = *b;
		double mt = 0.0;
		if (!il__block_decode(ix, b, post) || b->poff > ix->pos.len ||
		    b->plen > ix->pos.len - b->poff)
			return il_error_set(IL_EFORMAT, "index: corrupt block %u of term %u", bi,
					    t);
		for (uint32_t i = 0; i < post->n; i++) {
			if (post->doc[i] >= ix->m.ndocs)
				return il_error_set(IL_EFORMAT,
						    "index: corrupt block %u of term %u", bi, t);
			double x = il__tfn(&nx->m, nx->m.ref_avg, post->tf[i],
					   docs[post->doc[i]].len, IL_IF__COUNT);
			if (x > mt)
				mt = x;
		}
		if (nblocks >= IL__NONE - 1 || nx->post.len + b->len > UINT32_MAX ||
		    nx->pos.len + b->plen > UINT32_MAX)
			return il_error_set(IL_ETOOBIG, "index: too many postings to compact");
		nb.off = (uint32_t)nx->post.len;
		nb.poff = (uint32_t)nx->pos.len;
		nb.next = IL__NONE;
		nb.logs = 0;
		nb.max_tfn = il__round_up(mt);
		if ((rc = il__arr_reserve(&nx->blocks, sizeof(nb))) != IL_OK ||
		    (rc = il__arr_add(&nx->post, ix->post.p + b->off, b->len)) != IL_OK ||
		    (rc = il__arr_add(&nx->pos, ix->pos.p + b->poff, b->plen)) != IL_OK)
			return rc;
		memcpy(nx->blocks.p + nx->blocks.len, &nb, sizeof(nb));
		nx->blocks.len += sizeof(nb);
		if (term->last != IL__NONE)
			IL__AT(nx->blocks, struct il__block)[term->last].next = nblocks;
		else
			term->first = nblocks;
		term->last = nblocks;
		if (nb.max_tfn > term->max_tfn)
			term->max_tfn = nb.max_tfn;
		*df += post->n;
	}
	return IL_OK;
}

static int compact(struct il_index *ix);

int il_index_bulk(struct il_index *ix, bool on)
{
	int rc = IL_OK;
	if (!ix)
		return il_error_set(IL_EINVAL, "il_index_bulk: no index");
	if (on && !ix->bulk && ix->m.ndocs == 0)
		rc = il__inv_start(ix);
	else if (!on)
		rc = il__inv_finish(ix);
	if (rc == IL_OK)
		ix->bulk = on;
	return rc;
}

int il_index_compact(struct il_index *ix)
{
	int rc;
	if (!ix)
		return il_error_set(IL_EINVAL, "il_index_compact: no index");
	if ((rc = il__inv_finish(ix)) != IL_OK)
		return rc;
	if (ix->tidy)
		return IL_OK;
	if ((rc = compact(ix)) == IL_OK)
		ix->tidy = true;
	return rc;
}

static int compact(struct il_index *ix)
{
	struct il_index nx;
	const struct il__doc *docs = IL__AT(ix->docs, const struct il__doc);
	const struct il__term *terms = IL__AT(ix->tinfo, const struct il__term);
	const struct il__block *blocks = IL__AT(ix->blocks, const struct il__block);
	uint32_t ndocs = ix->m.ndocs, nterms = il__dict_size(&ix->terms), nd = 0;
	uint32_t *dmap = NULL, *tmap = NULL;
	struct il__post *post = NULL;
	struct il__writer *w = NULL;
	double avg[IL_IF__COUNT];
	int rc = IL_OK;

	memset(&nx, 0, sizeof(nx));
	nx.m = ix->m;
	nx.m.ndocs = 0;
	nx.m.garbage = 0;
	il__avg(&ix->m, avg);
	for (int f = 0; f < IL_IF__COUNT; f++)
		nx.m.ref_avg[f] = avg[f];
	if (!(dmap = il_malloc(((size_t)ndocs + 1) * sizeof(uint32_t))) ||
	    !(tmap = il_malloc(((size_t)nterms + 1) * sizeof(uint32_t))) ||
	    !(post = il_malloc(sizeof(*post))) || !(w = il_calloc(1, sizeof(*w)))) {
		rc = il_error_set(IL_ENOMEM, "index compaction: out of memory");
		goto cleanup;
	}

	/* live documents, renumbered in order, with their keys */
	for (uint32_t d = 0; d < ndocs; d++) {
		dmap[d] = IL__NONE;
		if (docs[d].flags & IL__DOC_LIVE)
			dmap[d] = nd++;
	}
	if ((rc = il__arr_reserve(&nx.docs, (size_t)nd * sizeof(struct il__doc))) != IL_OK ||
	    (rc = bitmap_init(&nx.live, il__words(nd))) != IL_OK ||
	    (rc = bitmap_init(&nx.visible, il__words(nd))) != IL_OK)
		goto cleanup;
	for (int k = 0; k < IL_KIND__COUNT; k++)
		if ((rc = bitmap_init(&nx.kindbm[k], il__words(nd))) != IL_OK)
			goto cleanup;
	for (uint32_t d = 0; d < ndocs; d++) {
		struct il__doc doc;
		size_t klen;
		const char *key;
		uint32_t nk, nid = dmap[d];
		if (nid == IL__NONE)
			continue;
		doc = docs[d];
		key = il__dict_key(&ix->keys, doc.key, &klen);
		if ((rc = il__dict_add(&nx.keys, key, klen, &nk, NULL)) != IL_OK ||
		    (rc = il__arr_add(&nx.key_doc, &nid, sizeof(nid))) != IL_OK)
			goto cleanup;
		doc.key = nk;
		doc.fwd_off = 0; /* set with the forward lists below */
		memcpy(nx.docs.p + nx.docs.len, &doc, sizeof(doc));
		nx.docs.len += sizeof(doc);
		uint64_t bit = (uint64_t)1 << (nid & 63);
		IL__AT(nx.live, uint64_t)[nid >> 6] |= bit;
		if (!(doc.flags & IL__DOC_HIDDEN))
			IL__AT(nx.visible, uint64_t)[nid >> 6] |= bit;
		IL__AT(nx.kindbm[doc.kind], uint64_t)[nid >> 6] |= bit;
	}
	nx.m.ndocs = nd;
	nx.m.base = nd;

	/* terms with live postings, each chain re-encoded without the dead */
	for (uint32_t t = 0; t < nterms; t++) {
		struct il__term nt = {0, IL__NONE, IL__NONE, 0.0f};
		const char *key;
		size_t klen;
		uint32_t ntid, df = 0;
		tmap[t] = IL__NONE;
		if (terms[t].df == 0)
			continue;
		key = il__dict_key(&ix->terms, t, &klen);
		if ((rc = il__dict_add(&nx.terms, key, klen, &ntid, NULL)) != IL_OK ||
		    (rc = il__arr_add(&nx.tinfo, &nt, sizeof(nt))) != IL_OK)
			goto cleanup;
		tmap[t] = ntid;
		if (nd == ndocs) {
			if ((rc = copy_term(ix, &nx, t, ntid, post, &df)) != IL_OK)
				goto cleanup;
			IL__AT(nx.tinfo, struct il__term)[ntid].df = df;
			continue;
		}
		for (uint32_t bi = terms[t].first; bi != IL__NONE; bi = blocks[bi].next) {
			const struct il__block *b = &blocks[bi];
			const unsigned char *ps = ix->pos.p + b->poff, *pend = ps + b->plen;
			if (!il__block_decode(ix, b, post)) {
				rc = il_error_set(IL_EFORMAT, "index: corrupt block %u of term %u",
						  bi, t);
				goto cleanup;
			}
			for (uint32_t i = 0; i < post->n; i++) {
				uint64_t cnt = 0;
				size_t plen;
				uint32_t od = post->doc[i];
				for (int f = 0; f < IL_IF__COUNT; f++)
					cnt += post->tf[i][f];
				if (!positions_len(ps, pend, cnt, &plen)) {
					rc = il_error_set(IL_EFORMAT,
							  "index: corrupt positions in block %u",
							  bi);
					goto cleanup;
				}
				if (od < ndocs && dmap[od] != IL__NONE) {
					const struct il__doc *doc = &docs[od];
					double tfn = il__tfn(&nx.m, nx.m.ref_avg, post->tf[i],
							     doc->len, IL_IF__COUNT);
					if ((rc = writer_add(&nx, w, ntid, dmap[od], post->tf[i],
							     ps, plen, tfn)) != IL_OK)
						goto cleanup;
					df++;
				}
				ps += plen;
			}
		}
		if ((rc = il__writer_flush(&nx, w, ntid)) != IL_OK)
			goto cleanup;
		IL__AT(nx.tinfo, struct il__term)[ntid].df = df;
	}

	/* forward lists in the new term ids */
	for (uint32_t d = 0; d < ndocs; d++) {
		if (dmap[d] == IL__NONE)
			continue;
		const unsigned char *fwd = ix->fwd.p + docs[d].fwd_off;
		const unsigned char *fend = ix->fwd.p + ix->fwd.len;
		uint32_t t = 0, nt = 0, gap, n = 0;
		/* term renumbering keeps the order, so the lists stay sorted */
		if ((rc = il__arr_reserve(&nx.fwd, (size_t)docs[d].fwd_n * 5)) != IL_OK)
			goto cleanup;
		IL__AT(nx.docs, struct il__doc)[dmap[d]].fwd_off = nx.fwd.len;
		for (uint32_t i = 0; i < docs[d].fwd_n; i++) {
			if (!il__varint_get(&fwd, fend, &gap) || gap > nterms - t ||
			    (t += gap) >= nterms || tmap[t] == IL__NONE) {
				rc = il_error_set(IL_EFORMAT, "index: corrupt forward list of %u",
						  d);
				goto cleanup;
			}
			nx.fwd.len += il__varint_put(nx.fwd.p + nx.fwd.len, tmap[t] - nt);
			nt = tmap[t];
			n++;
		}
		IL__AT(nx.docs, struct il__doc)[dmap[d]].fwd_n = n;
	}

	/* swap: nothing below can fail */
	{
		struct il__dict regions = ix->regions;
		struct il__arr rparent = ix->region_parent;
		memset(&ix->regions, 0, sizeof(ix->regions));
		memset(&ix->region_parent, 0, sizeof(ix->region_parent));
		il__index_free_arrays(ix);
		ix->regions = regions;
		ix->region_parent = rparent;
		ix->m = nx.m;
		ix->docs = nx.docs;
		ix->fwd = nx.fwd;
		ix->live = nx.live;
		ix->visible = nx.visible;
		for (int k = 0; k < IL_KIND__COUNT; k++)
			ix->kindbm[k] = nx.kindbm[k];
		ix->terms = nx.terms;
		ix->tinfo = nx.tinfo;
		ix->blocks = nx.blocks;
		ix->post = nx.post;
		ix->pos = nx.pos;
		ix->keys = nx.keys;
		ix->key_doc = nx.key_doc;
		memset(&nx, 0, sizeof(nx));
	}

cleanup:
	free_new(&nx);
	free(dmap);
	free(tmap);
	free(post);
	free(w);
	return rc;
}

void il__maybe_compact(struct il_index *ix)
{
	if (ix->inv)
		return; /* its end writes compacted blocks; dead ones go after */
	uint32_t dead = ix->m.ndocs - ix->m.nlive;
	size_t pools = ix->post.len + ix->pos.len;
	bool many_dead = dead >= 64 && (uint64_t)dead * 4 >= ix->m.ndocs;
	bool much_garbage = !ix->bulk && ix->m.garbage >= (1u << 20) && ix->m.garbage * 2 >= pools;
	/* near the end of the id space compaction is the only way on */
	bool ids_low = ix->m.ndocs >= IL__MAX_DOCS - 1024 && dead > 0;
	/* an index that doubled since its maxima were last made exact (by
	 * appending, under averages fitted to its first document) prunes with
	 * loose bounds: compacting at each doubling keeps them tight for a
	 * total cost of about one more pass over what was appended */
	bool grown = !ix->bulk && ix->m.ndocs >= 1024 && ix->m.ndocs / 2 >= ix->m.base;
	if (many_dead || much_garbage || ids_low || grown) {
		struct il_error_saved e;
		il_error_save(&e);
		/* best effort: on failure the index stays valid, only larger */
		if (il_index_compact(ix) != IL_OK)
			il_error_restore(&e);
	}
}

void il__index_free_arrays(struct il_index *ix)
{
	il__inv_free(ix);
	il__arr_release(&ix->docs);
	il__arr_release(&ix->fwd);
	il__arr_release(&ix->live);
	il__arr_release(&ix->visible);
	for (int k = 0; k < IL_KIND__COUNT; k++)
		il__arr_release(&ix->kindbm[k]);
	il__dict_release(&ix->terms);
	il__arr_release(&ix->tinfo);
	il__arr_release(&ix->blocks);
	il__arr_release(&ix->post);
	il__arr_release(&ix->pos);
	il__dict_release(&ix->keys);
	il__arr_release(&ix->key_doc);
	il__dict_release(&ix->regions);
	il__arr_release(&ix->region_parent);
	il__fcache_drop(ix, false);
}
