/*
 * snapshot.c - the index as one file: a compact encoding written from the
 * in-memory arrays and decoded back into them at load.
 *
 * File layout (integers in the writer's byte order, which the header
 * records; another order is IL_EFORMAT, not a conversion):
 *   header   struct snap_header: magic "innoidx\n", format version, byte
 *            order mark, the sizes the encoding depends on, the store
 *            change sequence, the file size, a checksum of the body, the
 *            offset and length of each section, and a checksum of the
 *            header itself;
 *   body     the sections, each padded with zeros to a multiple of 8:
 *     meta     struct il__meta as it is in memory (parameters, reference
 *              averages, counters: the counters are checked against the
 *              documents at load);
 *     keys     the document keys in dictionary order, front-coded against
 *              the key before (varint shared prefix, varint suffix length,
 *              suffix bytes);
 *     docs     per document: kind and flags, its key (zigzag difference to
 *              the previous key + 1; 0 is none), the four field lengths,
 *              date and expiry day (zigzag differences to the previous
 *              document's);
 *     regions  the region tree: front-coded names, parent + 1 (0: a root);
 *     terms    the term dictionary sorted by bytes, front-coded, each with
 *              its number of postings (dead documents' included);
 *     post     per term in that order, its postings in groups of
 *              IL__BLOCK (the last one partial): document ids as a run of
 *              gaps (first from 0), a byte of the fields present in the
 *              group, and per such field a run of frequencies (0: absent);
 *     pos      per group, one run of every position delta of the group in
 *              the order the in-memory block keeps them.
 *   Runs are snapcodec.h's: varints for short ones, PFOR-packed with
 *   exceptions for groups of IL__RUN_PACK values and more.
 *
 * Everything derivable is left out and made again at load in one pass:
 * term ids (sorted order, so a loaded index numbers terms by their bytes),
 * blocks with their first/last document, counts and maxima (through
 * il__post_append, so each term's blocks and streams end up side by side
 * with no slack, as compaction leaves them), df, per-term maxima, forward
 * lists, the live/visible/kind bitmaps, the key -> document table and the
 * dictionaries' slot tables.  On SciFact that is about a third of what the
 * in-memory arrays hold; docs/internals/index.md has the sizes.
 *
 * The checksum is a 64-bit multiply-xorshift hash over 8-byte words; it
 * detects torn and corrupted files, not tampering.  Behind it the decoder
 * checks everything it reads (ids in range and increasing, runs inside
 * their section, dictionaries without duplicates, counters agreeing, every
 * section read to its end), so a file with a valid checksum but
 * inconsistent content is IL_EFORMAT naming the file and what is wrong,
 * never a crash.
 *
 * Saving writes "PATH.tmp-PID", fsyncs it and renames it over PATH: a
 * crash leaves the previous snapshot whole.
 *
 * Depends on: base, index_internal.h, snapcodec.h, POSIX (mmap, rename).
 */
#include "index/index_internal.h"
#include "index/snapcodec.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAP_MAGIC "innoidx\n"
/* 2: 32-byte blocks, one-byte postings, varint forward lists, no slots;
 * 3: documents carry their last live day;
 * 4: a compact encoding decoded at load instead of the arrays mapped */
#define SNAP_VERSION 4u
#define SNAP_BOM 0x01020304u

enum { S_META, S_KEYS, S_DOCS, S_REGIONS, S_TERMS, S_POST, S_POS, S_COUNT };

static const char *const section_name[S_COUNT] = {
	"counters", "document keys", "documents", "regions", "term dictionary",
	"doc ids and frequencies", "positions"};

struct snap_header {
	char magic[8];
	uint32_t version;
	uint32_t bom;
	uint32_t nsec;
	uint32_t header_size;
	uint32_t sizes[4]; /* meta, kinds, fields, block */
	int64_t seq;
	uint64_t file_size;
	uint64_t body_sum;
	uint64_t off[S_COUNT];
	uint64_t len[S_COUNT]; /* without the padding */
	uint64_t header_sum; /* of every byte before this field */
};
_Static_assert(sizeof(struct snap_header) % 8 == 0, "sections start on a word");

static void layout_sizes(uint32_t s[4])
{
	s[0] = sizeof(struct il__meta);
	s[1] = IL_KIND__COUNT;
	s[2] = IL_IF__COUNT;
	s[3] = IL__BLOCK;
}

static uint64_t sum_words(uint64_t h, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = 0;
		memcpy(&w, p + i, len - i >= 8 ? 8 : len - i);
		h ^= w;
		h *= 0x9e3779b97f4a7c15ull;
		h ^= h >> 31;
	}
	return h;
}

static uint64_t header_sum(const struct snap_header *h)
{
	return sum_words(0, (const unsigned char *)h, offsetof(struct snap_header, header_sum));
}

/* Bytes of a forward-list gap. */
static unsigned varint_len(uint32_t v)
{
	return v < 1u << 7 ? 1 : v < 1u << 14 ? 2 : v < 1u << 21 ? 3 : v < 1u << 28 ? 4 : 5;
}

/* A key front-coded against the previous one of its dictionary. */
static void put_key(struct il__wr *w, const char *prev, size_t plen, const char *key, size_t len)
{
	size_t shared = 0;
	while (shared < plen && shared < len && prev[shared] == key[shared])
		shared++;
	il__wr_u32(w, (uint32_t)shared);
	il__wr_u32(w, (uint32_t)(len - shared));
	il__wr_bytes(w, key + shared, len - shared);
}

/* A dictionary in index order, front-coded; regions add their parents. */
static void put_dict(struct il__wr *w, const struct il__dict *d, const uint32_t *parent)
{
	uint32_t n = il__dict_size(d);
	const char *prev = "";
	size_t plen = 0;
	il__wr_u32(w, n);
	for (uint32_t i = 0; i < n; i++) {
		size_t len;
		const char *key = il__dict_key(d, i, &len);
		put_key(w, prev, plen, key, len);
		if (parent)
			il__wr_u32(w, parent[i] == IL__NONE ? 0 : parent[i] + 1);
		prev = key;
		plen = len;
	}
}

/* Sorts a few term ids (a document's forward list) in place. */
static void sort_ids(uint32_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t x = v[i], j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * The bytes of document d's forward list once its terms are numbered by
 * rank (their order in the file), which is what loading will make: the
 * list read, renumbered and sorted again.  Dead documents get no list at
 * load (nothing reads it: deletes and compaction skip them), so 0.
 */
static int fwd_bytes(const struct il_index *ix, uint32_t d, const uint32_t *rank,
		     struct il__arr *ids, uint64_t *out)
{
	const struct il__doc *doc = &IL__AT(ix->docs, const struct il__doc)[d];
	const unsigned char *p = ix->fwd.p + doc->fwd_off, *end = ix->fwd.p + ix->fwd.len;
	uint32_t nterms = il__dict_size(&ix->terms), t = 0, gap, prev = 0, *v;
	int rc;
	*out = 0;
	if (!(doc->flags & IL__DOC_LIVE))
		return IL_OK;
	if (doc->fwd_off > ix->fwd.len)
		return il_error_set(IL_EFORMAT, "index: forward list of %u is out of range", d);
	ids->len = 0;
	if ((rc = il__arr_reserve(ids, (size_t)doc->fwd_n * sizeof(uint32_t))) != IL_OK)
		return rc;
	v = IL__AT(*ids, uint32_t);
	for (uint32_t i = 0; i < doc->fwd_n; i++) {
		if (!il__varint_get(&p, end, &gap) || gap >= nterms - t)
			return il_error_set(IL_EFORMAT, "index: forward list of %u names no term", d);
		t += gap;
		v[i] = rank[t];
	}
	sort_ids(v, doc->fwd_n);
	for (uint32_t i = 0; i < doc->fwd_n; i++) {
		*out += varint_len(v[i] - prev);
		prev = v[i];
	}
	return IL_OK;
}

static int put_docs(struct il__wr *w, const struct il_index *ix, const uint32_t *rank)
{
	const struct il__doc *docs = IL__AT(ix->docs, const struct il__doc);
	int64_t key = 0, date = INT32_MIN, expires = INT32_MAX;
	struct il__arr ids = {NULL, 0, 0};
	int rc = IL_OK;
	il__wr_u32(w, ix->m.ndocs);
	for (uint32_t d = 0; d < ix->m.ndocs && rc == IL_OK; d++) {
		const struct il__doc *doc = &docs[d];
		int64_t k = doc->key == IL__NONE ? 0 : (int64_t)doc->key + 1;
		uint64_t fwd;
		if ((rc = fwd_bytes(ix, d, rank, &ids, &fwd)) != IL_OK)
			break;
		il__wr_u32(w, (uint32_t)doc->kind << 2 | (doc->flags & 3u));
		il__wr_i64(w, k - key - 1);
		for (int f = 0; f < IL_IF__COUNT; f++)
			il__wr_u32(w, doc->len[f]);
		il__wr_i64(w, (int64_t)doc->date - date);
		il__wr_i64(w, (int64_t)doc->expires - expires);
		il__wr_u64(w, fwd);
		key = k;
		date = doc->date;
		expires = doc->expires;
	}
	il__arr_release(&ids);
	return rc;
}

/* The postings of one term gathered into groups of IL__BLOCK, whatever
 * blocks they come from, and each full group written out. */
struct group {
	uint32_t n, next; /* postings; the smallest id the next may have */
	uint32_t doc[IL__BLOCK];
	uint32_t tf[IL_IF__COUNT][IL__BLOCK]; /* by field, as runs are written */
	struct il__arr vals; /* uint32_t position deltas of the group */
};

static void group_flush(struct group *g, struct il__wr *post, struct il__wr *pos)
{
	uint32_t gaps[IL__BLOCK], base = g->next, mask = 0;
	if (!g->n)
		return;
	for (uint32_t i = 0; i < g->n; i++) {
		gaps[i] = g->doc[i] - base;
		base = g->doc[i] + 1;
	}
	g->next = base;
	il__wr_run(post, gaps, g->n, 0);
	for (unsigned f = 0; f < IL_IF__COUNT; f++)
		for (uint32_t i = 0; i < g->n && !(mask >> f & 1u); i++)
			if (g->tf[f][i])
				mask |= 1u << f;
	il__wr_byte(post, (unsigned char)mask);
	for (unsigned f = 0; f < IL_IF__COUNT; f++)
		if (mask >> f & 1u)
			il__wr_run(post, g->tf[f], g->n, 0);
	il__wr_run(pos, IL__AT(g->vals, const uint32_t), (uint32_t)IL__COUNT(g->vals, uint32_t), 1);
	g->n = 0;
	g->vals.len = 0;
}

static int inconsistent(uint32_t t, const char *what)
{
	return il_error_set(IL_EFORMAT, "index: postings of term %u: %s", t, what);
}

/* Adds posting i of decoded block b (positions read from *s) to the group. */
static int group_add(struct group *g, const struct il__post *p, uint32_t i,
		     const unsigned char **s, const unsigned char *end, uint32_t t)
{
	uint64_t cnt = 0;
	int rc;
	if (g->n && p->doc[i] <= g->doc[g->n - 1])
		return inconsistent(t, "document ids do not increase");
	g->doc[g->n] = p->doc[i];
	for (unsigned f = 0; f < IL_IF__COUNT; f++) {
		g->tf[f][g->n] = p->tf[i][f];
		cnt += p->tf[i][f];
	}
	g->n++;
	if (cnt > (size_t)(end - *s))
		return inconsistent(t, "positions end early");
	if ((rc = il__arr_reserve(&g->vals, (size_t)cnt * sizeof(uint32_t))) != IL_OK)
		return rc;
	for (uint64_t k = 0; k < cnt; k++) {
		uint32_t v;
		if (!il__varint_get(s, end, &v))
			return inconsistent(t, "positions end early");
		memcpy(g->vals.p + g->vals.len, &v, sizeof(v));
		g->vals.len += sizeof(v);
	}
	return IL_OK;
}

/* One term's postings (its chain, walked at most once per block). */
static int put_postings(const struct il_index *ix, uint32_t t, struct group *g,
			struct il__post *p, struct il__wr *post, struct il__wr *pos)
{
	const struct il__block *blocks = IL__AT(ix->blocks, const struct il__block);
	size_t nblocks = IL__COUNT(ix->blocks, struct il__block), seen = 0;
	uint32_t last_doc = 0;
	int rc;
	g->n = 0;
	g->next = 0;
	g->vals.len = 0;
	for (uint32_t bi = IL__AT(ix->tinfo, const struct il__term)[t].first; bi != IL__NONE;
	     bi = blocks[bi].next) {
		const struct il__block *b = &blocks[bi];
		const unsigned char *s, *end;
		if (bi >= nblocks || ++seen > nblocks || !il__block_decode(ix, b, p) ||
		    b->poff > ix->pos.len || b->plen > ix->pos.len - b->poff ||
		    b->last_doc >= ix->m.ndocs || (seen > 1 && b->first_doc <= last_doc))
			return inconsistent(t, "a block is out of range");
		last_doc = b->last_doc;
		s = ix->pos.p + b->poff;
		end = s + b->plen;
		for (uint32_t i = 0; i < p->n; i++) {
			if ((rc = group_add(g, p, i, &s, end, t)) != IL_OK)
				return rc;
			if (g->n == IL__BLOCK)
				group_flush(g, post, pos);
		}
		if (s != end)
			return inconsistent(t, "positions left over in a block");
	}
	group_flush(g, post, pos);
	return IL_OK;
}

/* Postings of every term counted over its chain. */
static uint32_t count_postings(const struct il_index *ix, uint32_t t)
{
	const struct il__block *blocks = IL__AT(ix->blocks, const struct il__block);
	size_t nblocks = IL__COUNT(ix->blocks, struct il__block), seen = 0;
	uint64_t n = 0;
	for (uint32_t bi = IL__AT(ix->tinfo, const struct il__term)[t].first;
	     bi != IL__NONE && bi < nblocks && ++seen <= nblocks; bi = blocks[bi].next)
		n += blocks[bi].n;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* A term as sorted for the file. */
struct tkey {
	const char *key;
	uint32_t len, id;
};

static int cmp_tkey(const void *a, const void *b)
{
	const struct tkey *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The terms in byte order (order[]) with their postings. */
static int put_terms(const struct il_index *ix, const struct tkey *order, struct il__wr *sec)
{
	uint32_t n = il__dict_size(&ix->terms);
	struct group *g = NULL;
	struct il__post *p = NULL;
	const char *prev = "";
	size_t plen = 0;
	int rc = IL_OK;
	if (!(g = il_calloc(1, sizeof(*g))) || !(p = il_malloc(sizeof(*p)))) {
		rc = il_error_set(IL_ENOMEM, "index snapshot: out of memory");
		goto done;
	}
	il__wr_u32(&sec[S_TERMS], n);
	for (uint32_t i = 0; i < n && rc == IL_OK; i++) {
		put_key(&sec[S_TERMS], prev, plen, order[i].key, order[i].len);
		il__wr_u32(&sec[S_TERMS], count_postings(ix, order[i].id));
		prev = order[i].key;
		plen = order[i].len;
		rc = put_postings(ix, order[i].id, g, p, &sec[S_POST], &sec[S_POS]);
	}
done:
	if (g)
		il__arr_release(&g->vals);
	free(g);
	free(p);
	return rc;
}

/* The terms sorted by bytes (*order) and each term's place among them
 * (*rank), both caller-freed.  IL_ENOMEM. */
static int sort_terms(const struct il_index *ix, struct tkey **order, uint32_t **rank)
{
	uint32_t n = il__dict_size(&ix->terms);
	*order = il_malloc(((size_t)n + 1) * sizeof(**order));
	*rank = il_malloc(((size_t)n + 1) * sizeof(**rank));
	if (!*order || !*rank)
		return il_error_set(IL_ENOMEM, "index snapshot: out of memory");
	for (uint32_t t = 0; t < n; t++) {
		size_t len;
		(*order)[t].key = il__dict_key(&ix->terms, t, &len);
		(*order)[t].len = (uint32_t)len;
		(*order)[t].id = t;
	}
	qsort(*order, n, sizeof(**order), cmp_tkey);
	for (uint32_t i = 0; i < n; i++)
		(*rank)[(*order)[i].id] = i;
	return IL_OK;
}

static int write_all(int fd, const void *p, size_t len, const char *path)
{
	const unsigned char *b = p;
	while (len) {
		ssize_t n = write(fd, b, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return il_error_set(IL_EIO, "%s: cannot write: %s", path, strerror(errno));
		}
		b += n;
		len -= (size_t)n;
	}
	return IL_OK;
}

/* Every section of ix, each padded to a word; the header's table filled. */
static int encode(const struct il_index *ix, struct il__wr sec[S_COUNT], struct snap_header *h)
{
	struct il__meta m = ix->m;
	struct tkey *order = NULL;
	uint32_t *rank = NULL;
	uint64_t at = sizeof(*h);
	int rc;
	m.garbage = 0; /* a loaded index has none */
	il__wr_bytes(&sec[S_META], &m, sizeof(m));
	put_dict(&sec[S_KEYS], &ix->keys, NULL);
	put_dict(&sec[S_REGIONS], &ix->regions, IL__AT(ix->region_parent, const uint32_t));
	if ((rc = sort_terms(ix, &order, &rank)) != IL_OK ||
	    (rc = put_docs(&sec[S_DOCS], ix, rank)) != IL_OK ||
	    (rc = put_terms(ix, order, sec)) != IL_OK)
		goto done;
	for (int s = 0; s < S_COUNT; s++) {
		h->off[s] = at;
		h->len[s] = sec[s].a.len;
		il__wr_pad8(&sec[s]);
		if ((rc = sec[s].rc) != IL_OK)
			goto done;
		at += sec[s].a.len;
		h->body_sum = sum_words(h->body_sum, sec[s].a.p, sec[s].a.len);
	}
	h->file_size = at;
done:
	free(order);
	free(rank);
	return rc;
}

static int write_file(const char *tmp, const struct snap_header *h,
		      const struct il__wr sec[S_COUNT])
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = IL_OK;
	if (fd < 0)
		return il_error_set(IL_EIO, "%s: cannot create: %s", tmp, strerror(errno));
	rc = write_all(fd, h, sizeof(*h), tmp);
	for (int s = 0; s < S_COUNT && rc == IL_OK; s++)
		rc = write_all(fd, sec[s].a.p, sec[s].a.len, tmp);
	if (rc == IL_OK && fsync(fd) != 0)
		rc = il_error_set(IL_EIO, "%s: cannot sync: %s", tmp, strerror(errno));
	if (close(fd) != 0 && rc == IL_OK)
		rc = il_error_set(IL_EIO, "%s: cannot close: %s", tmp, strerror(errno));
	return rc;
}

int il_index_save(const struct il_index *ix, const char *path, int64_t seq)
{
	struct snap_header h;
	struct il__wr sec[S_COUNT];
	char tmp[4096];
	int rc;

	if (!ix || !path)
		return il_error_set(IL_EINVAL, "il_index_save: missing argument");
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >= sizeof(tmp))
		return il_error_set(IL_EINVAL, "snapshot path too long: %s", path);
	memset(&h, 0, sizeof(h));
	memset(sec, 0, sizeof(sec));
	memcpy(h.magic, SNAP_MAGIC, 8);
	h.version = SNAP_VERSION;
	h.bom = SNAP_BOM;
	h.nsec = S_COUNT;
	h.header_size = sizeof(h);
	layout_sizes(h.sizes);
	h.seq = seq;
	if ((rc = encode(ix, sec, &h)) != IL_OK)
		goto done;
	h.header_sum = header_sum(&h);
	if ((rc = write_file(tmp, &h, sec)) != IL_OK) {
		unlink(tmp);
		goto done;
	}
	if (rename(tmp, path) != 0) {
		rc = il_error_set(IL_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
	}
done:
	for (int s = 0; s < S_COUNT; s++)
		il__arr_release(&sec[s].a);
	return rc;
}

struct grp;

/*
 * What a posting needs of its document while postings are decoded, in one
 * 32-byte record instead of the document's 48 bytes plus scattered
 * counters: postings visit documents far apart, and at a million documents
 * waiting for their cache lines was most of the load time.  k[f] is field
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
	struct il__rd r[S_COUNT];
	struct il__arr key; /* the key being front-decoded */
	struct il__arr vals; /* uint32_t positions of a group */
	struct il__arr enc; /* one posting's positions as varints */
	struct ldoc *ld; /* per document, while postings are decoded (mapped) */
	size_t ld_len;
	struct grp *grp; /* the group being decoded */
};

static int bad(const char *path, const char *fmt, ...) IL_PRINTF(2, 3);

static int bad(const char *path, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return il_error_set(IL_EFORMAT, "%s: not a usable index snapshot: %s", path, what);
}

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
		return bad(dc->path, "%s: count out of range", section_name[s]);
	dc->key.len = 0;
	for (uint32_t i = 0; i < n; i++) {
		if ((rc = get_key(dc, r, max)) == IL_EFORMAT)
			return bad(dc->path, "%s: key %u is malformed", section_name[s], i);
		if (rc)
			return rc;
		if ((rc = il__dict_add(d, dc->key.p, dc->key.len, &id, &added)) != IL_OK)
			return rc;
		if (!added)
			return bad(dc->path, "%s: key %u is a duplicate", section_name[s], i);
		if (!parent)
			continue;
		if (!il__rd_u32(r, &p) || p > n)
			return bad(dc->path, "%s: the parent of %u is out of range", section_name[s], i);
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
static void advise_huge(void *p, size_t len)
{
	uintptr_t page = 4096, a = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t e = ((uintptr_t)p + len) & ~(page - 1);
#ifdef MADV_HUGEPAGE
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)a;
	(void)e;
#endif
}

/* The ldoc records of ndocs documents, zeroed, 64-byte aligned so none
 * straddles two cache lines.  NULL when out of memory. */
static struct ldoc *ldocs_alloc(uint32_t ndocs, size_t *len)
{
	void *p;
	*len = ((size_t)ndocs + 1) * sizeof(struct ldoc);
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	advise_huge(p, *len);
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
	struct il__rd *r = &dc->r[S_DOCS];
	struct il__doc *doc = &IL__AT(ix->docs, struct il__doc)[d];
	uint32_t kf, nkeys = il__dict_size(&ix->keys), *key_doc = IL__AT(ix->key_doc, uint32_t);
	int64_t dk, dd, de, k, date, expires;
	uint64_t bit = (uint64_t)1 << (d & 63), fwd;
	struct ldoc *ld = &dc->ld[d];
	if (!il__rd_u32(r, &kf) || !il__rd_i64(r, &dk) || !il__rd_u32(r, &doc->len[0]) ||
	    !il__rd_u32(r, &doc->len[1]) || !il__rd_u32(r, &doc->len[2]) ||
	    !il__rd_u32(r, &doc->len[3]) || !il__rd_i64(r, &dd) || !il__rd_i64(r, &de) ||
	    !il__rd_u64(r, &fwd))
		return bad(dc->path, "documents: entry %u is malformed", d);
	k = prev[0] + 1 + dk;
	date = prev[1] + dd;
	expires = prev[2] + de;
	if ((kf >> 2) >= IL_KIND__COUNT || k < 0 || k > (int64_t)nkeys || date < INT32_MIN ||
	    date > INT32_MAX || expires < INT32_MIN || expires > INT32_MAX)
		return bad(dc->path, "documents: entry %u is out of range", d);
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
			return bad(dc->path, "documents: dead entry %u has a forward list", d);
		return IL_OK;
	}
	if (fwd > 5ull * UINT32_MAX)
		return bad(dc->path, "documents: entry %u has a forward list too long", d);
	*fwd_at += fwd;
	if (doc->key == IL__NONE || key_doc[doc->key] != IL__NONE)
		return bad(dc->path, "documents: live entry %u has no key of its own", d);
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
	struct il__rd *r = &dc->r[S_DOCS];
	uint32_t ndocs, nkeys = il__dict_size(&ix->keys);
	int64_t prev[3] = {0, INT32_MIN, INT32_MAX};
	uint64_t fwd = 0;
	size_t bytes;
	int rc;
	/* an entry takes at least 8 bytes, so the count is checked before
	 * anything is allocated for it */
	if (!il__rd_u32(r, &ndocs) || ndocs > IL__MAX_DOCS || ndocs > il__rd_left(r) / 8 ||
	    ndocs != saved->ndocs)
		return bad(dc->path, "documents: count out of range");
	bytes = (size_t)ndocs * sizeof(struct il__doc);
	if ((rc = il__arr_reserve(&ix->docs, bytes)) != IL_OK ||
	    (rc = il__arr_reserve(&ix->key_doc, (size_t)nkeys * sizeof(uint32_t))) != IL_OK ||
	    (rc = bitmaps_init(ix, ndocs)) != IL_OK ||
	    !(dc->ld = ldocs_alloc(ndocs, &dc->ld_len)))
		return rc ? rc : il_error_set(IL_ENOMEM, "index snapshot: out of memory");
	advise_huge(ix->docs.p, bytes);
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
	if (fwd > ((uint64_t)il__rd_left(&dc->r[S_POST]) + 1) * 5 * IL__BLOCK)
		return bad(dc->path, "documents: forward lists longer than the postings");
	if ((rc = il__arr_reserve(&ix->fwd, (size_t)fwd)) != IL_OK)
		return rc;
	ix->fwd.len = (size_t)fwd;
	advise_huge(ix->fwd.p, ix->fwd.len);

	if (ix->m.nlive != saved->nlive || ix->m.nhidden != saved->nhidden ||
	    memcmp(ix->m.sum_len, saved->sum_len, sizeof(saved->sum_len)) != 0)
		return bad(dc->path, "documents: counters disagree with the documents");
	return IL_OK;
}

/* The positions of one group into dc->vals: cnt values. */
static int get_positions(struct dec *dc, uint64_t cnt, const char *term)
{
	struct il__rd *r = &dc->r[S_POS];
	int rc;
	/* every value costs at least a bit (snapcodec.h), so a count the
	 * section cannot hold is refused before allocating for it */
	if (cnt > (uint64_t)il__rd_left(r) * 8 + IL__RUN_PACK)
		return bad(dc->path, "positions of term '%s' run past the end", term);
	dc->vals.len = 0;
	if ((rc = il__arr_reserve(&dc->vals, (size_t)cnt * sizeof(uint32_t))) != IL_OK)
		return rc;
	if (!il__rd_run(r, IL__AT(dc->vals, uint32_t), (uint32_t)cnt, 1))
		return bad(dc->path, "positions of term '%s' are malformed", term);
	return IL_OK;
}

/* The header byte and frequencies of a posting in a block's doc stream, as
 * struct il__block describes them (the same bytes il__post_append writes). */
static size_t tf_header(unsigned char *p, const uint32_t tf[IL_IF__COUNT])
{
	unsigned mask = 0, nf = 0, last = 0;
	size_t n = 0;
	for (unsigned f = 0; f < IL_IF__COUNT; f++)
		if (tf[f]) {
			mask |= 1u << f;
			nf++;
			last = f;
		}
	if (nf == 1 && tf[last] <= 32) {
		p[0] = (unsigned char)(0x80u | last << 5 | (tf[last] - 1));
		return 1;
	}
	p[n++] = (unsigned char)mask;
	for (unsigned f = 0; f < IL_IF__COUNT; f++)
		if (tf[f])
			n += il__varint_put(p + n, tf[f]);
	return n;
}

/* How many postings ahead a group's struct ldoc records are asked for. */
#define PREFETCH 16

/* A decoded group of postings of one term. */
struct grp {
	uint32_t n;
	uint32_t doc[IL__BLOCK];
	uint32_t tf[IL__BLOCK][IL_IF__COUNT];
};

/*
 * Appends group g as the next block of term t, laid out as compaction
 * lays it out (streams exact, at the ends of the pools), with its maximum
 * tf~ under ref_avg as il_index_put computes it; counts df and each
 * document's forward-list bytes (fill_forward writes the lists).
 */
static int emit_block(struct dec *dc, uint32_t t, const struct grp *g, const uint32_t *v)
{
	struct il_index *ix = dc->ix;
	const uint64_t *live = IL__AT(ix->live, const uint64_t);
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
	for (uint32_t i = 0; i < g->n && i < PREFETCH; i++)
		__builtin_prefetch(&dc->ld[g->doc[i]], 1);
	for (uint32_t i = 0; i < g->n; i++) {
		uint32_t d = g->doc[i];
		struct ldoc *ld = &dc->ld[d];
		double tfn = 0.0;
		float mt;
		if (i + PREFETCH < g->n)
			__builtin_prefetch(&dc->ld[g->doc[i + PREFETCH]], 1);
		/* the record asked for earlier says where the entry will go */
		if (i + PREFETCH / 2 < g->n)
			__builtin_prefetch(ix->fwd.p + dc->ld[g->doc[i + PREFETCH / 2]].cur, 1);
		for (unsigned f = 0; f < IL_IF__COUNT; f++)
			tfn += (double)g->tf[i][f] * (double)ld->k[f];
		mt = il__round_up(tfn);
		if (i)
			ix->post.len += il__varint_put(ix->post.p + ix->post.len, d - g->doc[i - 1]);
		ix->post.len += tf_header(ix->post.p + ix->post.len, g->tf[i]);
		if (mt > b.max_tfn)
			b.max_tfn = mt;
		if (!il__bit(live, d))
			continue;
		/* a live document's forward list: ids increase as terms do */
		if (varint_len(t - ld->last) > ix->fwd.len - ld->cur)
			return bad(dc->path, "documents: a forward list is longer than declared");
		ld->cur += il__varint_put(ix->fwd.p + ld->cur, t - ld->last);
		ld->last = t;
		ld->n++;
		term->df++;
	}
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
	struct il__rd *r = &dc->r[S_POST];
	uint32_t col[IL__BLOCK], ndocs = dc->ix->m.ndocs;
	struct grp *g = dc->grp;
	unsigned char mask;
	uint64_t cnt = 0;
	int rc;
	g->n = n;
	if (!il__rd_run(r, g->doc, n, 0) || !il__rd_byte(r, &mask) || mask > 15)
		return bad(dc->path, "postings of term '%s' are malformed", term);
	for (uint32_t i = 0; i < n; i++) {
		if (g->doc[i] >= ndocs || *next > ndocs - 1 - g->doc[i])
			return bad(dc->path, "postings of term '%s' name a document out of range",
				   term);
		g->doc[i] += *next;
		*next = g->doc[i] + 1;
		memset(g->tf[i], 0, sizeof(g->tf[i]));
	}
	for (unsigned f = 0; f < IL_IF__COUNT; f++) {
		if (!(mask >> f & 1u))
			continue;
		if (!il__rd_run(r, col, n, 0))
			return bad(dc->path, "frequencies of term '%s' are malformed", term);
		for (uint32_t i = 0; i < n; i++) {
			g->tf[i][f] = col[i];
			cnt += col[i];
		}
	}
	if ((rc = get_positions(dc, cnt, term)) != IL_OK)
		return rc;
	return emit_block(dc, t, g, IL__AT(dc->vals, const uint32_t));
}

/* Compares entry i of d with a key, as cmp_tkey orders terms. */
static int memcmp_keys(const struct il__dict *d, uint32_t i, const void *key, size_t len)
{
	size_t ilen;
	const char *k = il__dict_key(d, i, &ilen);
	int c = memcmp(k, key, ilen < len ? ilen : len);
	return c ? c : (ilen > len) - (ilen < len);
}

/* The dictionary in byte order, each term with its postings. */
static int get_terms(struct dec *dc)
{
	struct il_index *ix = dc->ix;
	struct il__rd *r = &dc->r[S_TERMS];
	struct il__term empty = {0, IL__NONE, IL__NONE, 0.0f};
	uint32_t n, npost;
	int rc;
	/* a term takes at least 3 bytes (shared, length, postings) */
	if (!il__rd_u32(r, &n) || n > il__rd_left(r) / 3)
		return bad(dc->path, "term dictionary: count out of range");
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
			return bad(dc->path, "term dictionary: entry %u is malformed", t);
		if (rc)
			return rc;
		/* in byte order, so no key repeats; the slots come after the last */
		if (t && memcmp_keys(&ix->terms, t - 1, dc->key.p, dc->key.len) >= 0)
			return bad(dc->path, "term dictionary: entry %u is out of order", t);
		if ((rc = il__dict_append(&ix->terms, dc->key.p, dc->key.len)) != IL_OK)
			return rc;
		term = il__dict_key(&ix->terms, t, NULL);
		if (npost > ix->m.ndocs)
			return bad(dc->path, "term '%s' has more postings than documents", term);
		for (uint32_t done = 0; done < npost; done += IL__BLOCK) {
			uint32_t g = npost - done < IL__BLOCK ? npost - done : IL__BLOCK;
			if ((rc = get_group(dc, t, g, &next, term)) != IL_OK)
				return rc;
		}
	}
	return il__dict_rehash(&ix->terms);
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
			return bad(dc->path, "documents: the forward list of %u disagrees with the "
					     "postings", d);
		docs[d].fwd_n = dc->ld[d].n;
	}
	return IL_OK;
}

static int check_meta(const struct il__meta *m, const char *path)
{
	if (!(m->k1 > 0.0f) || !isfinite(m->k1) || !(m->b >= 0.0f && m->b <= 1.0f))
		return bad(path, "BM25 parameters out of range");
	for (int f = 0; f < IL_IF__COUNT; f++)
		if (!(m->weight[f] >= 0.0f) || !isfinite(m->weight[f]) || !(m->ref_avg[f] > 1e-12) ||
		    !isfinite(m->ref_avg[f]))
			return bad(path, "field weights or reference averages out of range");
	return IL_OK;
}

/* The index from the sections; every section must be read to its end. */
static int decode(struct dec *dc)
{
	struct il_index *ix = dc->ix;
	struct il__meta saved;
	int rc;
	if (il__rd_left(&dc->r[S_META]) != sizeof(saved))
		return bad(dc->path, "counters section size");
	memcpy(&saved, dc->r[S_META].p, sizeof(saved));
	dc->r[S_META].p += sizeof(saved);
	if ((rc = check_meta(&saved, dc->path)) != IL_OK)
		return rc;
	ix->m.k1 = saved.k1;
	ix->m.b = saved.b;
	memcpy(ix->m.weight, saved.weight, sizeof(saved.weight));
	memcpy(ix->m.ref_avg, saved.ref_avg, sizeof(saved.ref_avg));
	ix->m.base = saved.base;
	if ((rc = get_dict(dc, S_KEYS, &ix->keys, IL_INDEX_MAX_ID + 1, NULL)) != IL_OK ||
	    (rc = get_docs(dc, &saved)) != IL_OK ||
	    (rc = get_dict(dc, S_REGIONS, &ix->regions, IL__MAX_TERM, &ix->region_parent)) != IL_OK)
		return rc;
	for (uint32_t k = 0; k < il__dict_size(&ix->keys); k++) {
		size_t klen;
		const char *key = il__dict_key(&ix->keys, k, &klen);
		if (klen < 2 || (unsigned char)key[0] >= IL_KIND__COUNT)
			return bad(dc->path, "document keys: key %u is malformed", k);
	}
	if ((rc = get_terms(dc)) != IL_OK || (rc = check_forward(dc)) != IL_OK)
		return rc;
	for (int s = 0; s < S_COUNT; s++)
		if (il__rd_left(&dc->r[s]))
			return bad(dc->path, "%s: %zu bytes left over", section_name[s],
				   il__rd_left(&dc->r[s]));
	return IL_OK;
}

/* The header of a mapped file checked: magic, version, checksums, sections. */
static int check_header(const unsigned char *map, size_t size, const char *path,
			struct snap_header *h)
{
	uint32_t sizes[4];
	uint64_t end = sizeof(*h);
	memcpy(h, map, sizeof(*h));
	layout_sizes(sizes);
	if (memcmp(h->magic, SNAP_MAGIC, 8) != 0)
		return bad(path, "bad magic");
	if (h->version != SNAP_VERSION)
		return bad(path, "format version %u written by another version (this one reads %u)",
			   h->version, SNAP_VERSION);
	if (h->bom != SNAP_BOM || h->nsec != S_COUNT || h->header_size != sizeof(*h) ||
	    memcmp(h->sizes, sizes, sizeof(sizes)) != 0)
		return bad(path, "written by another version or on another kind of machine");
	if (h->header_sum != header_sum(h))
		return bad(path, "header checksum mismatch");
	if (h->file_size != size || size % 8)
		return bad(path, "truncated or extended (%zu bytes, the header says %llu)", size,
			   (unsigned long long)h->file_size);
	if (sum_words(0, map + sizeof(*h), size - sizeof(*h)) != h->body_sum)
		return bad(path, "checksum mismatch (corrupt)");
	for (int s = 0; s < S_COUNT; s++) {
		if (h->off[s] != end || h->len[s] > size - end)
			return bad(path, "section table out of range");
		end += (h->len[s] + 7) / 8 * 8;
	}
	if (end != size)
		return bad(path, "section table out of range");
	return IL_OK;
}

int il_index_load(const struct il_text *text, const char *path, struct il_index **out,
		  int64_t *seq)
{
	struct dec dc;
	struct il_index_config cfg;
	struct snap_header h;
	struct stat st;
	unsigned char *map = MAP_FAILED;
	size_t size = 0;
	int fd, rc;

	if (!path || !out)
		return il_error_set(IL_EINVAL, "il_index_load: missing argument");
	*out = NULL;
	memset(&dc, 0, sizeof(dc));
	dc.path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return il_error_set(IL_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = il_error_set(IL_EIO, "%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(h) ||
	    (uint64_t)st.st_size > SIZE_MAX / 2) {
		close(fd);
		return bad(path, "too short to hold a header");
	}
	size = (size_t)st.st_size;
	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return il_error_set(IL_EIO, "%s: cannot map: %s", path, strerror(errno));
	if ((rc = check_header(map, size, path, &h)) != IL_OK)
		goto done;
	for (int s = 0; s < S_COUNT; s++) {
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
	il__arr_release(&dc.enc);
	if (dc.ld)
		munmap(dc.ld, dc.ld_len);
	free(dc.grp);
	munmap(map, size);
	return rc;
}

void il__snapshot_reseal(unsigned char *data, size_t size)
{
	struct snap_header h;
	if (size < sizeof(h))
		return;
	memcpy(&h, data, sizeof(h));
	h.file_size = size;
	h.body_sum = sum_words(0, data + sizeof(h), size - sizeof(h));
	h.header_sum = header_sum(&h);
	memcpy(data, &h, sizeof(h));
}

int il__snapshot_report(const char *path, struct il_buf *out)
{
	struct snap_header h;
	struct stat st;
	unsigned char *map;
	size_t size;
	int fd, rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return il_error_set(IL_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(h)) {
		close(fd);
		return bad(path, "too short to hold a header");
	}
	size = (size_t)st.st_size;
	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return il_error_set(IL_EIO, "%s: cannot map: %s", path, strerror(errno));
	rc = check_header(map, size, path, &h);
	munmap(map, size);
	for (int s = 0; s < S_COUNT && rc == IL_OK; s++)
		rc = il_buf_addf(out, "  %-26s %12llu bytes %5.1f%%\n", section_name[s],
				 (unsigned long long)h.len[s], 100.0 * (double)h.len[s] / (double)size);
	if (rc == IL_OK)
		rc = il_buf_addf(out, "  %-26s %12zu bytes\n", "file", size);
	return rc;
}
