/*
 * snapload.c - il_index_load: a snapshot file (format in snapshot.c)
 * decoded into the in-memory arrays.
 *
 * The file is mapped read-only, its header and checksums checked
 * (il__snap_check), then the sections read in one pass each: counters,
 * document keys, documents (with the bitmaps, the key table and each
 * forward list's place), regions, and the terms in file order with their
 * postings, each group of IL__BLOCK becoming one block laid out as
 * compaction lays it out (streams exact, side by side).  Every value read
 * is checked before use and every section must end where its last value
 * does, so a bad file is IL_EFORMAT naming the file and what is wrong;
 * allocations are bounded by what the file's bytes could encode, so a
 * crafted count cannot ask for more memory than the file justifies.
 *
 * Depends on: base, index_internal.h, snapshot.h, snapcodec.h, POSIX (mmap).
 */
#include "index/snapshot.h"
#include "index/snapcodec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct grp;

/*
 * What a posting needs of its document while postings are decoded, in one
 * 32-byte record (aligned, in huge pages, asked for PREFETCH postings
 * ahead) instead of the document's 48 bytes plus scattered counters:
 * postings visit documents far apart, and at a million documents waiting
 * for their cache lines and page walks was most of the load time.  k[f] is field
 * f's share of tf~ per occurrence, w_f / (1 - b + b * len_f / ref_avg_f),
 * rounded up, so sum tf_f * k[f] is a bound of the posting's tf~ (at most a
 * float's rounding above il__tfn's).
 */
struct ldoc {
	_Alignas(32) uint64_t cur; /* where its forward list's next entry goes in fwd */
	uint32_t last; /* the last term written to it */
	uint32_t n; /* entries written */
	float k[IL_IF__COUNT];
};

/* Decoding: the index being made, the sections, and scratch reused. */
struct dec {
	struct il_index *ix;
	const char *path;
	struct il__rd r[IL__S_COUNT];
	struct il__arr key; /* the key being front-decoded */
	struct il__arr vals; /* uint32_t positions of a group */
	struct ldoc *ld; /* per document, while postings are decoded (mapped) */
	size_t ld_len;
	struct grp *grp; /* the group being decoded */
};

/* The next front-coded key into dc->key (NUL-terminated): IL_OK, IL_ENOMEM,
 * or IL_EFORMAT without a message (the caller names the key). */
static int get_key(struct dec *dc, struct il__rd *r, size_t max)
{
	uint32_t shared, len;
	const unsigned char *p;
	int rc;
	if (!il__rd_u32(r, &shared) || !il__rd_u32(r, &len) || shared > dc->key.len ||
	    len > max - shared || !il__rd_bytes(r, len, &p) || shared + len == 0)
		return IL_EFORMAT;
	dc->key.len = shared;
	if ((rc = il__arr_add(&dc->key, p, len)) != IL_OK ||
	    (rc = il__arr_reserve(&dc->key, 1)) != IL_OK)
		return rc;
	return IL_OK;
}

/* A dictionary of n keys of 1..max bytes; regions also read parents. */
static int get_dict(struct dec *dc, int s, struct il__dict *d, size_t max, struct il__arr *parent)
{
	struct il__rd *r = &dc->r[s];
	uint32_t n, id, p;
	bool added;
	int rc;
	if (!il__rd_u32(r, &n) || n > il__rd_left(r) / 2)
		return il__snap_bad(dc->path, "%s: count out of range", il__snap_section[s]);
	dc->key.len = 0;
	for (uint32_t i = 0; i < n; i++) {
		if ((rc = get_key(dc, r, max)) == IL_EFORMAT)
			return il__snap_bad(dc->path, "%s: key %u is malformed",
					    il__snap_section[s], i);
		if (rc)
			return rc;
		if ((rc = il__dict_add(d, dc->key.p, dc->key.len, &id, &added)) != IL_OK)
			return rc;
		if (!added)
			return il__snap_bad(dc->path, "%s: key %u is a duplicate",
					    il__snap_section[s], i);
		if (!parent)
			continue;
		if (!il__rd_u32(r, &p) || p > n)
			return il__snap_bad(dc->path, "%s: the parent of %u is out of range",
					    il__snap_section[s], i);
		p = p ? p - 1 : IL__NONE;
		if ((rc = il__arr_add(parent, &p, sizeof(p))) != IL_OK)
			return rc;
	}
	return IL_OK;
}

/*
 * Asks for huge pages under the large arrays decoding writes all over
 * (Linux's transparent huge pages in "madvise" mode): at a million
 * documents their 4 KiB pages number in the tens of thousands, and a TLB
 * miss per posting cost as much as the cache miss.  Advice only: the range
 * is rounded inwards to whole pages and failure changes nothing.
 */
/* The ldoc records of ndocs documents, zeroed, 64-byte aligned so none
 * straddles two cache lines.  NULL when out of memory. */
static struct ldoc *ldocs_alloc(uint32_t ndocs, size_t *len)
{
	void *p;
	*len = ((size_t)ndocs + 1) * sizeof(struct ldoc);
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	il__advise_huge(p, *len);
	return p;
}

static int bitmaps_init(struct il_index *ix, uint32_t ndocs)
{
	size_t bytes = (size_t)il__words(ndocs) * 8;
	struct il__arr *all[2 + IL_KIND__COUNT];
	int rc;
	all[0] = &ix->live;
	all[1] = &ix->visible;
	for (int k = 0; k < IL_KIND__COUNT; k++)
		all[2 + k] = &ix->kindbm[k];
	for (size_t i = 0; i < 2 + IL_KIND__COUNT; i++) {
		if ((rc = il__arr_reserve(all[i], bytes)) != IL_OK)
			return rc;
		memset(all[i]->p, 0, bytes);
		all[i]->len = bytes;
	}
	return IL_OK;
}

/* Document d read into docs[d]; its key and bits set. */
static int get_doc(struct dec *dc, uint32_t d, int64_t prev[3], uint64_t *fwd_at)
{
	struct il_index *ix = dc->ix;
	struct il__rd *r = &dc->r[IL__S_DOCS];
	struct il__doc *doc = &IL__AT(ix->docs, struct il__doc)[d];
	uint32_t kf, nkeys = il__dict_size(&ix->keys), *key_doc = IL__AT(ix->key_doc, uint32_t);
	int64_t dk, dd, de, k, date, expires;
	uint64_t bit = (uint64_t)1 << (d & 63), fwd;
	struct ldoc *ld = &dc->ld[d];
	if (!il__rd_u32(r, &kf) || !il__rd_i64(r, &dk) || !il__rd_u32(r, &doc->len[0]) ||
	    !il__rd_u32(r, &doc->len[1]) || !il__rd_u32(r, &doc->len[2]) ||
	    !il__rd_u32(r, &doc->len[3]) || !il__rd_i64(r, &dd) || !il__rd_i64(r, &de) ||
	    !il__rd_u64(r, &fwd))
		return il__snap_bad(dc->path, "documents: entry %u is malformed", d);
	k = prev[0] + 1 + dk;
	date = prev[1] + dd;
	expires = prev[2] + de;
	if ((kf >> 2) >= IL_KIND__COUNT || k < 0 || k > (int64_t)nkeys || date < INT32_MIN ||
	    date > INT32_MAX || expires < INT32_MIN || expires > INT32_MAX)
		return il__snap_bad(dc->path, "documents: entry %u is out of range", d);
	prev[0] = k;
	prev[1] = date;
	prev[2] = expires;
	doc->kind = (uint8_t)(kf >> 2);
	doc->flags = (uint8_t)(kf & 3u);
	doc->key = k ? (uint32_t)(k - 1) : IL__NONE;
	doc->date = (int32_t)date;
	doc->expires = (int32_t)expires;
	doc->fwd_off = ld->cur = *fwd_at;
	for (int f = 0; f < IL_IF__COUNT; f++) {
		double l = doc->len[f] ? (double)doc->len[f] : 1.0, b = ix->m.b;
		ld->k[f] = il__round_up((double)ix->m.weight[f] /
					(1.0 - b + b * l / ix->m.ref_avg[f]));
	}
	if (!(doc->flags & IL__DOC_LIVE)) {
		if (fwd)
			return il__snap_bad(dc->path, "documents: dead entry %u has a forward list",
					    d);
		return IL_OK;
	}
	if (fwd > 5ull * UINT32_MAX)
		return il__snap_bad(dc->path, "documents: entry %u has a forward list too long", d);
	*fwd_at += fwd;
	if (doc->key == IL__NONE || key_doc[doc->key] != IL__NONE)
		return il__snap_bad(dc->path, "documents: live entry %u has no key of its own", d);
	key_doc[doc->key] = d;
	ix->m.nlive++;
	for (int f = 0; f < IL_IF__COUNT; f++)
		ix->m.sum_len[f] += doc->len[f];
	IL__AT(ix->live, uint64_t)[d >> 6] |= bit;
	IL__AT(ix->kindbm[doc->kind], uint64_t)[d >> 6] |= bit;
	if (doc->flags & IL__DOC_HIDDEN)
		ix->m.nhidden++;
	else
		IL__AT(ix->visible, uint64_t)[d >> 6] |= bit;
	return IL_OK;
}

/* Documents, bitmaps and the key table; the counters checked. */
static int get_docs(struct dec *dc, const struct il__meta *saved)
{
	struct il_index *ix = dc->ix;
	struct il__rd *r = &dc->r[IL__S_DOCS];
	uint32_t ndocs, nkeys = il__dict_size(&ix->keys);
	int64_t prev[3] = {0, INT32_MIN, INT32_MAX};
	uint64_t fwd = 0;
	size_t bytes;
	int rc;
	/* an entry takes at least 8 bytes, so the count is checked before
	 * anything is allocated for it */
	if (!il__rd_u32(r, &ndocs) || ndocs > IL__MAX_DOCS || ndocs > il__rd_left(r) / 8 ||
	    ndocs != saved->ndocs)
		return il__snap_bad(dc->path, "documents: count out of range");
	bytes = (size_t)ndocs * sizeof(struct il__doc);
	if ((rc = il__arr_reserve(&ix->docs, bytes)) != IL_OK ||
	    (rc = il__arr_reserve(&ix->key_doc, (size_t)nkeys * sizeof(uint32_t))) != IL_OK ||
	    (rc = bitmaps_init(ix, ndocs)) != IL_OK || !(dc->ld = ldocs_alloc(ndocs, &dc->ld_len)))
		return rc ? rc : il_error_set(IL_ENOMEM, "index snapshot: out of memory");
	il__advise_huge(ix->docs.p, bytes);
	memset(ix->docs.p, 0, bytes);
	ix->docs.len = bytes;
	memset(ix->key_doc.p, 0xff, (size_t)nkeys * sizeof(uint32_t));
	ix->key_doc.len = (size_t)nkeys * sizeof(uint32_t);
	ix->m.ndocs = ndocs;
	for (uint32_t d = 0; d < ndocs; d++)
		if ((rc = get_doc(dc, d, prev, &fwd)) != IL_OK)
			return rc;
	/* an entry is at most 5 bytes and a posting, whose ids may pack into
	 * no bits, still costs a share of its group's width and mask bytes:
	 * a total the postings cannot fill is refused before allocating it */
	if (fwd > ((uint64_t)il__rd_left(&dc->r[IL__S_POST]) + 1) * 5 * IL__BLOCK)
		return il__snap_bad(dc->path, "documents: forward lists longer than the postings");
	if ((rc = il__arr_reserve(&ix->fwd, (size_t)fwd)) != IL_OK)
		return rc;
	ix->fwd.len = (size_t)fwd;
	il__advise_huge(ix->fwd.p, ix->fwd.len);

	if (ix->m.nlive != saved->nlive || ix->m.nhidden != saved->nhidden ||
	    memcmp(ix->m.sum_len, saved->sum_len, sizeof(saved->sum_len)) != 0)
		return il__snap_bad(dc->path, "documents: counters disagree with the documents");
	return IL_OK;
}

/* The positions of one group into dc->vals: cnt values. */
static int get_positions(struct dec *dc, uint64_t cnt, const char *term)
{
	struct il__rd *r = &dc->r[IL__S_POS];
	int rc;
	/* every value costs at least a bit (snapcodec.h), so a count the
	 * section cannot hold is refused before allocating for it */
	if (cnt > (uint64_t)il__rd_left(r) * 8 + IL__RUN_PACK || cnt > UINT32_MAX)
		return il__snap_bad(dc->path, "positions of term '%s' run past the end", term);
	dc->vals.len = 0;
	if ((rc = il__arr_reserve(&dc->vals, (size_t)cnt * sizeof(uint32_t))) != IL_OK)
		return rc;
	if (!il__rd_run(r, IL__AT(dc->vals, uint32_t), (uint32_t)cnt, 1))
		return il__snap_bad(dc->path, "positions of term '%s' are malformed", term);
	return IL_OK;
}

/* How many postings ahead put_stream asks for a document's struct ldoc. */
#define PREFETCH 16

/* A decoded group of postings of one term. */
struct grp {
	uint32_t n;
	uint32_t doc[IL__BLOCK];
	uint32_t tf[IL__BLOCK][IL_IF__COUNT];
};

/*
 * The doc stream of group g (term t) at the end of `post`, with the
 * group's largest tf~ bound; each live document's forward list gets t and
 * the term's df counts it.  Room was reserved by the caller.
 */
static int put_stream(struct dec *dc, uint32_t t, const struct grp *g, float *max_tfn)
{
	struct il_index *ix = dc->ix;
	const uint64_t *live = IL__AT(ix->live, const uint64_t);
	struct il__term *term = &IL__AT(ix->tinfo, struct il__term)[t];
	for (uint32_t i = 0; i < g->n && i < PREFETCH; i++)
		__builtin_prefetch(&dc->ld[g->doc[i]], 1);
	for (uint32_t i = 0; i < g->n; i++) {
		uint32_t d = g->doc[i];
		struct ldoc *ld = &dc->ld[d];
		double tfn = 0.0;
		if (i + PREFETCH < g->n)
			__builtin_prefetch(&dc->ld[g->doc[i + PREFETCH]], 1);
		/* the record asked for earlier says where the entry will go */
		if (i + PREFETCH / 2 < g->n)
			__builtin_prefetch(ix->fwd.p + dc->ld[g->doc[i + PREFETCH / 2]].cur, 1);
		for (unsigned f = 0; f < IL_IF__COUNT; f++)
			tfn += (double)g->tf[i][f] * (double)ld->k[f];
		if (il__round_up(tfn) > *max_tfn)
			*max_tfn = il__round_up(tfn);
		if (i)
			ix->post.len +=
				il__varint_put(ix->post.p + ix->post.len, d - g->doc[i - 1]);
		ix->post.len += il__encode_tf(ix->post.p + ix->post.len, g->tf[i]);
		if (!il__bit(live, d))
			continue;
		/* ids increase as the terms are read in order */
		if (il__varint_len(t - ld->last) > ix->fwd.len - ld->cur)
			return il__snap_bad(dc->path,
					    "documents: a forward list is longer than declared");
		ld->cur += il__varint_put(ix->fwd.p + ld->cur, t - ld->last);
		ld->last = t;
		ld->n++;
		term->df++;
	}
	return IL_OK;
}

/*
 * Appends group g, with the positions v of its postings, as the next block
 * of term t, laid out as compaction lays it out (streams exact, at the
 * ends of the pools).
 */
static int emit_block(struct dec *dc, uint32_t t, const struct grp *g, const uint32_t *v)
{
	struct il_index *ix = dc->ix;
	struct il__term *term = &IL__AT(ix->tinfo, struct il__term)[t];
	uint32_t nblocks = (uint32_t)IL__COUNT(ix->blocks, struct il__block);
	struct il__block b;
	uint64_t cnt = 0;
	int rc;
	for (uint32_t i = 0; i < g->n; i++)
		for (unsigned f = 0; f < IL_IF__COUNT; f++)
			cnt += g->tf[i][f];
	if (nblocks >= IL__NONE - 1 || ix->post.len + (size_t)g->n * IL__POST_MAX > UINT32_MAX ||
	    ix->pos.len + cnt * 5 > UINT32_MAX)
		return il_error_set(IL_ETOOBIG, "index snapshot %s: postings pass 4 GiB", dc->path);
	if ((rc = il__arr_reserve(&ix->blocks, sizeof(b))) != IL_OK ||
	    (rc = il__arr_reserve(&ix->post, (size_t)g->n * IL__POST_MAX)) != IL_OK ||
	    (rc = il__arr_reserve(&ix->pos, (size_t)cnt * 5)) != IL_OK)
		return rc;
	memset(&b, 0, sizeof(b));
	b.off = (uint32_t)ix->post.len;
	b.poff = (uint32_t)ix->pos.len;
	b.first_doc = g->doc[0];
	b.last_doc = g->doc[g->n - 1];
	b.next = IL__NONE;
	b.n = (uint8_t)g->n;
	if ((rc = put_stream(dc, t, g, &b.max_tfn)) != IL_OK)
		return rc;
	for (uint64_t k = 0; k < cnt; k++)
		ix->pos.len += il__varint_put(ix->pos.p + ix->pos.len, v[k]);
	b.len = (uint16_t)(ix->post.len - b.off);
	b.plen = (uint32_t)(ix->pos.len - b.poff);
	memcpy(ix->blocks.p + ix->blocks.len, &b, sizeof(b));
	ix->blocks.len += sizeof(b);
	if (term->last != IL__NONE)
		IL__AT(ix->blocks, struct il__block)[term->last].next = nblocks;
	else
		term->first = nblocks;
	term->last = nblocks;
	if (b.max_tfn > term->max_tfn)
		term->max_tfn = b.max_tfn;
	return IL_OK;
}

/* One group of n postings of term t; *next is the smallest id allowed. */
static int get_group(struct dec *dc, uint32_t t, uint32_t n, uint32_t *next, const char *term)
{
	struct il__rd *r = &dc->r[IL__S_POST];
	uint32_t col[IL__BLOCK], ndocs = dc->ix->m.ndocs;
	struct grp *g = dc->grp;
	unsigned char mask;
	uint64_t cnt = 0;
	int rc;
	g->n = n;
	if (!il__rd_run(r, g->doc, n, 0) || !il__rd_byte(r, &mask) || mask > 15)
		return il__snap_bad(dc->path, "postings of term '%s' are malformed", term);
	for (uint32_t i = 0; i < n; i++) {
		if (g->doc[i] >= ndocs || *next > ndocs - 1 - g->doc[i])
			return il__snap_bad(dc->path,
					    "postings of term '%s' name a document out of range",
					    term);
		g->doc[i] += *next;
		*next = g->doc[i] + 1;
		memset(g->tf[i], 0, sizeof(g->tf[i]));
	}
	for (unsigned f = 0; f < IL_IF__COUNT; f++) {
		if (!(mask >> f & 1u))
			continue;
		if (!il__rd_run(r, col, n, 0))
			return il__snap_bad(dc->path, "frequencies of term '%s' are malformed",
					    term);
		for (uint32_t i = 0; i < n; i++) {
			g->tf[i][f] = col[i];
			cnt += col[i];
		}
	}
	if ((rc = get_positions(dc, cnt, term)) != IL_OK)
		return rc;
	return emit_block(dc, t, g, IL__AT(dc->vals, const uint32_t));
}

/* The term dictionary in file order, each term with its postings. */
static int get_terms(struct dec *dc)
{
	struct il_index *ix = dc->ix;
	struct il__rd *r = &dc->r[IL__S_TERMS];
	struct il__term empty = {0, IL__NONE, IL__NONE, 0.0f};
	uint32_t n, npost;
	int rc;
	/* a term takes at least 3 bytes (shared, length, postings) */
	if (!il__rd_u32(r, &n) || n > il__rd_left(r) / 3)
		return il__snap_bad(dc->path, "term dictionary: count out of range");
	if ((rc = il__arr_reserve(&ix->tinfo, (size_t)n * sizeof(empty))) != IL_OK)
		return rc;
	for (uint32_t t = 0; t < n; t++)
		memcpy(ix->tinfo.p + (size_t)t * sizeof(empty), &empty, sizeof(empty));
	ix->tinfo.len = (size_t)n * sizeof(empty);
	dc->key.len = 0;
	for (uint32_t t = 0; t < n; t++) {
		uint32_t next = 0;
		const char *term;
		if ((rc = get_key(dc, r, IL__MAX_TERM + 2)) == IL_EFORMAT || !il__rd_u32(r, &npost))
			return il__snap_bad(dc->path, "term dictionary: entry %u is malformed", t);
		if (rc)
			return rc;
		/* the slot table comes after the last, duplicates are found then */
		if ((rc = il__dict_append(&ix->terms, dc->key.p, dc->key.len)) != IL_OK)
			return rc;
		term = il__dict_key(&ix->terms, t, NULL);
		if (npost > ix->m.ndocs)
			return il__snap_bad(dc->path, "term '%s' has more postings than documents",
					    term);
		for (uint32_t done = 0; done < npost; done += IL__BLOCK) {
			uint32_t g = npost - done < IL__BLOCK ? npost - done : IL__BLOCK;
			if ((rc = get_group(dc, t, g, &next, term)) != IL_OK)
				return rc;
		}
	}
	if ((rc = il__dict_rehash(&ix->terms)) != IL_OK)
		return rc;
	for (uint32_t t = 0; t < n; t++) {
		size_t len;
		const char *key = il__dict_key(&ix->terms, t, &len);
		if (il__dict_find(&ix->terms, key, len) != t)
			return il__snap_bad(dc->path, "term dictionary: '%s' is a duplicate", key);
	}
	return IL_OK;
}

/* Every forward list filled exactly as its document declared. */
static int check_forward(struct dec *dc)
{
	struct il_index *ix = dc->ix;
	struct il__doc *docs = IL__AT(ix->docs, struct il__doc);
	uint32_t ndocs = ix->m.ndocs;
	for (uint32_t d = 0; d < ndocs; d++) {
		uint64_t end = d + 1 < ndocs ? docs[d + 1].fwd_off : ix->fwd.len;
		if (dc->ld[d].cur != end)
			return il__snap_bad(dc->path,
					    "documents: the forward list of %u disagrees with the "
					    "postings",
					    d);
		docs[d].fwd_n = dc->ld[d].n;
	}
	return IL_OK;
}

static int check_meta(const struct il__meta *m, const char *path)
{
	if (!(m->k1 > 0.0f) || !isfinite(m->k1) || !(m->b >= 0.0f && m->b <= 1.0f))
		return il__snap_bad(path, "BM25 parameters out of range");
	for (int f = 0; f < IL_IF__COUNT; f++)
		if (!(m->weight[f] >= 0.0f) || !isfinite(m->weight[f]) ||
		    !(m->ref_avg[f] > 1e-12) || !isfinite(m->ref_avg[f]))
			return il__snap_bad(path,
					    "field weights or reference averages out of range");
	return IL_OK;
}

/* The index from the sections; every section must be read to its end. */
static int decode(struct dec *dc)
{
	struct il_index *ix = dc->ix;
	struct il__meta saved;
	int rc;
	if (il__rd_left(&dc->r[IL__S_META]) != sizeof(saved))
		return il__snap_bad(dc->path, "counters section size");
	memcpy(&saved, dc->r[IL__S_META].p, sizeof(saved));
	dc->r[IL__S_META].p += sizeof(saved);
	if ((rc = check_meta(&saved, dc->path)) != IL_OK)
		return rc;
	ix->m.k1 = saved.k1;
	ix->m.b = saved.b;
	memcpy(ix->m.weight, saved.weight, sizeof(saved.weight));
	memcpy(ix->m.ref_avg, saved.ref_avg, sizeof(saved.ref_avg));
	ix->m.base = saved.base;
	if ((rc = get_dict(dc, IL__S_KEYS, &ix->keys, IL_INDEX_MAX_ID + 1, NULL)) != IL_OK ||
	    (rc = get_docs(dc, &saved)) != IL_OK ||
	    (rc = get_dict(dc, IL__S_REGIONS, &ix->regions, IL__MAX_TERM, &ix->region_parent)) !=
		    IL_OK)
		return rc;
	for (uint32_t k = 0; k < il__dict_size(&ix->keys); k++) {
		size_t klen;
		const char *key = il__dict_key(&ix->keys, k, &klen);
		if (klen < 2 || (unsigned char)key[0] >= IL_KIND__COUNT)
			return il__snap_bad(dc->path, "document keys: key %u is malformed", k);
	}
	if ((rc = get_terms(dc)) != IL_OK || (rc = check_forward(dc)) != IL_OK)
		return rc;
	for (int s = 0; s < IL__S_COUNT; s++)
		if (il__rd_left(&dc->r[s]))
			return il__snap_bad(dc->path, "%s: %zu bytes left over",
					    il__snap_section[s], il__rd_left(&dc->r[s]));
	return IL_OK;
}

int il_index_load(const struct il_text *text, const char *path, struct il_index **out, int64_t *seq)
{
	struct dec dc;
	struct il_index_config cfg;
	struct il__snap_header h;
	unsigned char *map;
	size_t size;
	int rc;

	if (!path || !out)
		return il_error_set(IL_EINVAL, "il_index_load: missing argument");
	*out = NULL;
	memset(&dc, 0, sizeof(dc));
	dc.path = path;
	if ((rc = il__snap_open(path, &map, &size, &h)) != IL_OK)
		return rc;
	for (int s = 0; s < IL__S_COUNT; s++) {
		dc.r[s].p = map + h.off[s];
		dc.r[s].end = dc.r[s].p + h.len[s];
	}
	il_index_config_init(&cfg);
	if (!(dc.grp = il_malloc(sizeof(*dc.grp)))) {
		rc = il_error_set(IL_ENOMEM, "index snapshot: out of memory");
		goto done;
	}
	if ((rc = il_index_open(text, &cfg, &dc.ix)) != IL_OK || (rc = decode(&dc)) != IL_OK)
		goto done;
	if (seq)
		*seq = h.seq;
	*out = dc.ix;
	dc.ix = NULL;
done:
	il_index_close(dc.ix);
	il__arr_release(&dc.key);
	il__arr_release(&dc.vals);
	if (dc.ld)
		munmap(dc.ld, dc.ld_len);
	free(dc.grp);
	munmap(map, size);
	return rc;
}
