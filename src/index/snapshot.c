/*
 * snapshot.c - the index as one file: a compact encoding written from the
 * in-memory arrays (here) and decoded back into them at load (snapload.c).
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
 *              document's), the bytes of its forward list (0 when dead);
 *     regions  the region tree: front-coded names, parent + 1 (0: a root);
 *     terms    the term dictionary, front-coded, each with its number of
 *              postings (dead documents' included), ordered by that number
 *              in powers of eight (most first), then by bytes (cmp_tkey);
 *     post     per term in that order, its postings in groups of
 *              IL__BLOCK (the last one partial): document ids as a run of
 *              gaps (first from 0), a byte of the fields present in the
 *              group, and per such field a run of frequencies (0: absent);
 *     pos      per group, one run of every position delta of the group in
 *              the order the in-memory block keeps them.
 *   Runs are snapcodec.h's: varints for short ones, PFOR-packed with
 *   exceptions for groups of IL__RUN_PACK values and more.
 *
 * Everything derivable is left out and made again at load in one pass
 * (snapload.c): term ids (the file's order), block headers, df, per-term
 * maxima, the live/visible/kind bitmaps, the key -> document table and the
 * dictionaries' slot tables.
 * Forward lists are made too, but each live document's list length (in
 * bytes, under the file's term order) is stored, so loading writes them as
 * postings arrive instead of transposing in a second pass.  On SciFact the
 * file is about a third of the in-memory arrays; docs/internals/index.md
 * has the sizes.
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
 * Depends on: base, index_internal.h, snapshot.h, snapcodec.h, POSIX
 * (mmap, rename).
 */
#include "index/snapshot.h"
#include "index/snapcodec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const il__snap_section[IL__S_COUNT] = {
	"counters",        "document keys",           "documents", "regions",
	"term dictionary", "doc ids and frequencies", "positions",
};

void il__snap_layout(uint32_t s[4])
{
	s[0] = sizeof(struct il__meta);
	s[1] = IL_KIND__COUNT;
	s[2] = IL_IF__COUNT;
	s[3] = IL__BLOCK;
}

uint64_t il__snap_sum(uint64_t h, const unsigned char *p, size_t len)
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

uint64_t il__snap_header_sum(const struct il__snap_header *h)
{
	return il__snap_sum(0, (const unsigned char *)h,
			    offsetof(struct il__snap_header, header_sum));
}

int il__snap_bad(const char *path, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return il_error_set(IL_EFORMAT, "%s: not a usable index snapshot: %s", path, what);
}

int il__snap_check(const unsigned char *map, size_t size, const char *path,
		   struct il__snap_header *h)
{
	uint32_t sizes[4];
	uint64_t end = sizeof(*h);
	memcpy(h, map, sizeof(*h));
	il__snap_layout(sizes);
	if (memcmp(h->magic, IL__SNAP_MAGIC, 8) != 0)
		return il__snap_bad(path, "bad magic");
	if (h->version != IL__SNAP_VERSION)
		return il__snap_bad(
			path, "format version %u written by another version (this one reads %u)",
			h->version, IL__SNAP_VERSION);
	if (h->bom != IL__SNAP_BOM || h->nsec != IL__S_COUNT || h->header_size != sizeof(*h) ||
	    memcmp(h->sizes, sizes, sizeof(sizes)) != 0)
		return il__snap_bad(path,
				    "written by another version or on another kind of machine");
	if (h->header_sum != il__snap_header_sum(h))
		return il__snap_bad(path, "header checksum mismatch");
	if (h->file_size != size || size % 8)
		return il__snap_bad(path, "truncated or extended (%zu bytes, the header says %llu)",
				    size, (unsigned long long)h->file_size);
	if (il__snap_sum(0, map + sizeof(*h), size - sizeof(*h)) != h->body_sum)
		return il__snap_bad(path, "checksum mismatch (corrupt)");
	for (int s = 0; s < IL__S_COUNT; s++) {
		if (h->off[s] != end || h->len[s] > size - end)
			return il__snap_bad(path, "section table out of range");
		end += (h->len[s] + 7) / 8 * 8;
	}
	if (end != size)
		return il__snap_bad(path, "section table out of range");
	return IL_OK;
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

/*
 * A document's forward list as loading will make it: its terms numbered by
 * their place in the file, increasing.  Counted while the postings are
 * written (terms in file order), so its length in bytes is known for the
 * documents section; dead documents are not counted (loading gives them
 * no list).
 */
struct fwdc {
	uint32_t last; /* the last term counted */
	uint32_t bytes;
};

static void put_docs(struct il__wr *w, const struct il_index *ix, const struct fwdc *fwd)
{
	const struct il__doc *docs = IL__AT(ix->docs, const struct il__doc);
	int64_t key = 0, date = INT32_MIN, expires = INT32_MAX;
	il__wr_u32(w, ix->m.ndocs);
	for (uint32_t d = 0; d < ix->m.ndocs; d++) {
		const struct il__doc *doc = &docs[d];
		int64_t k = doc->key == IL__NONE ? 0 : (int64_t)doc->key + 1;
		il__wr_u32(w, (uint32_t)doc->kind << 2 | (doc->flags & 3u));
		il__wr_i64(w, k - key - 1);
		for (int f = 0; f < IL_IF__COUNT; f++)
			il__wr_u32(w, doc->len[f]);
		il__wr_i64(w, (int64_t)doc->date - date);
		il__wr_i64(w, (int64_t)doc->expires - expires);
		il__wr_u32(w, fwd[d].bytes);
		key = k;
		date = doc->date;
		expires = doc->expires;
	}
}

/* The postings of one term gathered into groups of IL__BLOCK, whatever
 * blocks they come from, and each full group written out. */
struct group {
	uint32_t n, next; /* postings; the smallest id the next may have */
	uint32_t rank; /* the term's place in the file */
	const uint64_t *live; /* the index's live bitmap */
	struct fwdc *fwd; /* per document */
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
	for (uint32_t i = 0; i < g->n; i++) {
		struct fwdc *c = &g->fwd[g->doc[i]];
		/* documents far apart: ask for their counters ahead */
		if (i + 16 < g->n)
			__builtin_prefetch(&g->fwd[g->doc[i + 16]], 1);
		if (!il__bit(g->live, g->doc[i]))
			continue;
		c->bytes += il__varint_len(g->rank - c->last);
		c->last = g->rank;
	}
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
static int group_add(struct group *g, const struct il__post *p, uint32_t i, const unsigned char **s,
		     const unsigned char *end, uint32_t t)
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
static int put_postings(const struct il_index *ix, uint32_t t, struct group *g, struct il__post *p,
			struct il__wr *post, struct il__wr *pos)
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
	uint32_t npost;
	unsigned bucket; /* bits of npost / 3: its power of eight */
};

/*
 * The file's term order, which becomes the loaded index's term ids: by
 * postings in powers of eight, most first, then by bytes.  Within a bucket
 * the keys front-code almost as well as in plain byte order (the large
 * buckets of rare terms hold most keys: SciFact's dictionary takes 6% more
 * bytes, powers of two took 11%); across buckets, frequent terms get small
 * ids, so the gaps in documents' forward lists (mostly frequent terms)
 * stay small: in plain byte order the loaded index took 3% more memory
 * than the saved one on SciFact, 6% at a million documents.
 */
static int cmp_tkey(const void *a, const void *b)
{
	const struct tkey *x = a, *y = b;
	int c;
	if (x->bucket != y->bucket)
		return x->bucket > y->bucket ? -1 : 1;
	c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The terms in file order (order[]) with their postings, counting the
 * forward lists they make into fwd. */
static int put_terms(const struct il_index *ix, const struct tkey *order, struct fwdc *fwd,
		     struct il__wr *sec)
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
	g->live = IL__AT(ix->live, const uint64_t);
	g->fwd = fwd;
	il__wr_u32(&sec[IL__S_TERMS], n);
	for (uint32_t i = 0; i < n && rc == IL_OK; i++) {
		put_key(&sec[IL__S_TERMS], prev, plen, order[i].key, order[i].len);
		il__wr_u32(&sec[IL__S_TERMS], order[i].npost);
		prev = order[i].key;
		plen = order[i].len;
		g->rank = i;
		rc = put_postings(ix, order[i].id, g, p, &sec[IL__S_POST], &sec[IL__S_POS]);
	}
done:
	if (g)
		il__arr_release(&g->vals);
	free(g);
	free(p);
	return rc;
}

/* The terms in file order (see cmp_tkey), caller-freed.  IL_ENOMEM. */
static int sort_terms(const struct il_index *ix, struct tkey **order)
{
	uint32_t n = il__dict_size(&ix->terms);
	if (!(*order = il_malloc(((size_t)n + 1) * sizeof(**order))))
		return il_error_set(IL_ENOMEM, "index snapshot: out of memory");
	for (uint32_t t = 0; t < n; t++) {
		struct tkey *k = &(*order)[t];
		size_t len;
		k->key = il__dict_key(&ix->terms, t, &len);
		k->len = (uint32_t)len;
		k->id = t;
		k->npost = count_postings(ix, t);
		k->bucket = 0;
		for (uint32_t v = k->npost; v; v >>= 1)
			k->bucket++;
		k->bucket /= 3;
	}
	qsort(*order, n, sizeof(**order), cmp_tkey);
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
static int encode(const struct il_index *ix, struct il__wr sec[IL__S_COUNT],
		  struct il__snap_header *h)
{
	struct il__meta m = ix->m;
	struct tkey *order = NULL;
	struct fwdc *fwd = NULL;
	uint64_t at = sizeof(*h);
	int rc;
	m.garbage = 0; /* a loaded index has none */
	il__wr_bytes(&sec[IL__S_META], &m, sizeof(m));
	put_dict(&sec[IL__S_KEYS], &ix->keys, NULL);
	put_dict(&sec[IL__S_REGIONS], &ix->regions, IL__AT(ix->region_parent, const uint32_t));
	if (!(fwd = il_calloc((size_t)ix->m.ndocs + 1, sizeof(*fwd)))) {
		rc = il_error_set(IL_ENOMEM, "index snapshot: out of memory");
		goto done;
	}
	if ((rc = sort_terms(ix, &order)) != IL_OK ||
	    (rc = put_terms(ix, order, fwd, sec)) != IL_OK)
		goto done;
	put_docs(&sec[IL__S_DOCS], ix, fwd);
	for (int s = 0; s < IL__S_COUNT; s++) {
		h->off[s] = at;
		h->len[s] = sec[s].a.len;
		il__wr_pad8(&sec[s]);
		if ((rc = sec[s].rc) != IL_OK)
			goto done;
		at += sec[s].a.len;
		h->body_sum = il__snap_sum(h->body_sum, sec[s].a.p, sec[s].a.len);
	}
	h->file_size = at;
done:
	free(order);
	free(fwd);
	return rc;
}

static int write_file(const char *tmp, const struct il__snap_header *h,
		      const struct il__wr sec[IL__S_COUNT])
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = IL_OK;
	if (fd < 0)
		return il_error_set(IL_EIO, "%s: cannot create: %s", tmp, strerror(errno));
	rc = write_all(fd, h, sizeof(*h), tmp);
	for (int s = 0; s < IL__S_COUNT && rc == IL_OK; s++)
		rc = write_all(fd, sec[s].a.p, sec[s].a.len, tmp);
	if (rc == IL_OK && fsync(fd) != 0)
		rc = il_error_set(IL_EIO, "%s: cannot sync: %s", tmp, strerror(errno));
	if (close(fd) != 0 && rc == IL_OK)
		rc = il_error_set(IL_EIO, "%s: cannot close: %s", tmp, strerror(errno));
	return rc;
}

int il_index_save(const struct il_index *ix, const char *path, int64_t seq)
{
	struct il__snap_header h;
	struct il__wr sec[IL__S_COUNT];
	char tmp[4096];
	int rc;

	if (!ix || !path)
		return il_error_set(IL_EINVAL, "il_index_save: missing argument");
	if ((rc = il__inv_busy(ix, "il_index_save")) != IL_OK)
		return rc;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >= sizeof(tmp))
		return il_error_set(IL_EINVAL, "snapshot path too long: %s", path);
	memset(&h, 0, sizeof(h));
	memset(sec, 0, sizeof(sec));
	memcpy(h.magic, IL__SNAP_MAGIC, 8);
	h.version = IL__SNAP_VERSION;
	h.bom = IL__SNAP_BOM;
	h.nsec = IL__S_COUNT;
	h.header_size = sizeof(h);
	il__snap_layout(h.sizes);
	h.seq = seq;
	if ((rc = encode(ix, sec, &h)) != IL_OK)
		goto done;
	h.header_sum = il__snap_header_sum(&h);
	if ((rc = write_file(tmp, &h, sec)) != IL_OK) {
		unlink(tmp);
		goto done;
	}
	if (rename(tmp, path) != 0) {
		rc = il_error_set(IL_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
	}
done:
	for (int s = 0; s < IL__S_COUNT; s++)
		il__arr_release(&sec[s].a);
	return rc;
}

void il__snapshot_reseal(unsigned char *data, size_t size)
{
	struct il__snap_header h;
	if (size < sizeof(h))
		return;
	memcpy(&h, data, sizeof(h));
	h.file_size = size;
	h.body_sum = il__snap_sum(0, data + sizeof(h), size - sizeof(h));
	h.header_sum = il__snap_header_sum(&h);
	memcpy(data, &h, sizeof(h));
}

int il__snap_open(const char *path, unsigned char **map, size_t *size, struct il__snap_header *h)
{
	struct stat st;
	unsigned char *m;
	int fd, rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return il_error_set(IL_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = il_error_set(IL_EIO, "%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(*h) ||
	    (uint64_t)st.st_size > SIZE_MAX / 2) {
		close(fd);
		return il__snap_bad(path, "too short to hold a header");
	}
	*size = (size_t)st.st_size;
	m = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return il_error_set(IL_EIO, "%s: cannot map: %s", path, strerror(errno));
	if ((rc = il__snap_check(m, *size, path, h)) != IL_OK) {
		munmap(m, *size);
		return rc;
	}
	*map = m;
	return IL_OK;
}

int il__snapshot_report(const char *path, struct il_buf *out)
{
	struct il__snap_header h;
	unsigned char *map;
	size_t size;
	int rc = il__snap_open(path, &map, &size, &h);
	if (rc == IL_OK)
		munmap(map, size);
	for (int s = 0; s < IL__S_COUNT && rc == IL_OK; s++)
		rc = il_buf_addf(out, "  %-26s %12llu bytes %5.1f%%\n", il__snap_section[s],
				 (unsigned long long)h.len[s],
				 100.0 * (double)h.len[s] / (double)size);
	if (rc == IL_OK)
		rc = il_buf_addf(out, "  %-26s %12zu bytes\n", "file", size);
	return rc;
}
