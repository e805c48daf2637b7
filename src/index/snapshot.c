/*
 * snapshot.c - the index as one file: saved array by array, loaded by
 * mapping it.
 *
 * File layout (all integers in the writer's byte order, which the header
 * records; another order is IL_EFORMAT, not a conversion):
 *   header   struct snap_header: magic "innoidx\n", format version, byte
 *            order mark, the sizes of the record structs (a build whose
 *            layout differs refuses the file), the store change sequence,
 *            the file size, a checksum of the body, the offset and length
 *            of every section, and a checksum of the header itself;
 *   body     the sections, each one flat array exactly as it is in
 *            memory, starting on a 64-byte boundary, zero padded; the
 *            dictionaries' slot tables are left out (derived data, made
 *            again at load from the entries).
 * The checksum is a 64-bit multiply-xorshift hash over 8-byte words; it
 * detects torn and corrupted files, not tampering.
 *
 * Loading maps the file MAP_PRIVATE with write permission, so nothing is
 * read up front beyond the checksum pass: the arrays point into the
 * mapping (il__arr with cap 0), pages fault in as searches touch them, and
 * the first write to a page copies it (tombstones, df) while arrays that
 * must grow are copied to the heap (il__arr_reserve).  Only the slot
 * tables are made on the heap at load, one pass over the keys.  After the checksum,
 * every offset and index the search follows is checked against the sizes
 * (blocks within the pools, chains only moving forward, keys NUL-ended,
 * forward lists naming real terms...), so even a file with a valid
 * checksum but inconsistent content is IL_EFORMAT, never a crash.
 *
 * Saving writes "PATH.tmp-PID", fsyncs it and renames it over PATH: a
 * crash leaves the previous snapshot whole.
 *
 * Depends on: base, index_internal.h, POSIX (mmap, rename).
 */
#include "index/index_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAP_MAGIC "innoidx\n"
/* 2: 32-byte blocks, one-byte postings, varint forward lists, no slots;
 * 3: documents carry their last live day */
#define SNAP_VERSION 3u
#define SNAP_BOM 0x01020304u
#define SNAP_ALIGN 64

enum {
	S_META,
	S_DOCS,
	S_FWD,
	S_LIVE,
	S_VISIBLE,
	S_KIND0,
	S_TPOOL = S_KIND0 + IL_KIND__COUNT,
	S_TENTS,
	S_TINFO,
	S_BLOCKS,
	S_POST,
	S_POS,
	S_KPOOL,
	S_KENTS,
	S_KEYDOC,
	S_RPOOL,
	S_RENTS,
	S_RPARENT,
	S_COUNT
};

struct snap_header {
	char magic[8];
	uint32_t version;
	uint32_t bom;
	uint32_t nsec;
	uint32_t header_size;
	uint32_t sizes[6]; /* meta, doc, term, block, dent, kinds */
	int64_t seq;
	uint64_t file_size;
	uint64_t body_sum;
	uint64_t off[S_COUNT];
	uint64_t len[S_COUNT];
	uint64_t header_sum; /* of every byte before this field */
};

static void layout_sizes(uint32_t s[6])
{
	s[0] = sizeof(struct il__meta);
	s[1] = sizeof(struct il__doc);
	s[2] = sizeof(struct il__term);
	s[3] = sizeof(struct il__block);
	s[4] = sizeof(struct il__dent);
	s[5] = IL_KIND__COUNT;
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

/* The array behind each section (meta is written from a copy). */
static void sections(struct il_index *ix, struct il__arr *meta, struct il__arr *out[S_COUNT])
{
	out[S_META] = meta;
	out[S_DOCS] = &ix->docs;
	out[S_FWD] = &ix->fwd;
	out[S_LIVE] = &ix->live;
	out[S_VISIBLE] = &ix->visible;
	for (int k = 0; k < IL_KIND__COUNT; k++)
		out[S_KIND0 + k] = &ix->kindbm[k];
	out[S_TPOOL] = &ix->terms.pool;
	out[S_TENTS] = &ix->terms.ents;
	out[S_TINFO] = &ix->tinfo;
	out[S_BLOCKS] = &ix->blocks;
	out[S_POST] = &ix->post;
	out[S_POS] = &ix->pos;
	out[S_KPOOL] = &ix->keys.pool;
	out[S_KENTS] = &ix->keys.ents;
	out[S_KEYDOC] = &ix->key_doc;
	out[S_RPOOL] = &ix->regions.pool;
	out[S_RENTS] = &ix->regions.ents;
	out[S_RPARENT] = &ix->region_parent;
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

int il_index_save(const struct il_index *ix, const char *path, int64_t seq)
{
	static const unsigned char zeros[SNAP_ALIGN];
	struct snap_header h;
	struct il__arr meta, *sec[S_COUNT];
	char tmp[4096];
	uint64_t at = sizeof(h), sum = 0;
	int fd = -1, rc = IL_OK;

	if (!ix || !path)
		return il_error_set(IL_EINVAL, "il_index_save: missing argument");
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >= sizeof(tmp))
		return il_error_set(IL_EINVAL, "snapshot path too long: %s", path);
	meta.p = (unsigned char *)(uintptr_t)&ix->m;
	meta.len = sizeof(ix->m);
	meta.cap = 0;
	/* sections() wants a mutable index only to name its arrays */
	sections((struct il_index *)(uintptr_t)ix, &meta, sec);

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, SNAP_MAGIC, 8);
	h.version = SNAP_VERSION;
	h.bom = SNAP_BOM;
	h.nsec = S_COUNT;
	h.header_size = sizeof(h);
	layout_sizes(h.sizes);
	h.seq = seq;
	at = (at + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN;
	for (int s = 0; s < S_COUNT; s++) {
		h.off[s] = at;
		h.len[s] = sec[s]->len;
		at += (sec[s]->len + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN;
	}
	h.file_size = at;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return il_error_set(IL_EIO, "%s: cannot create: %s", tmp, strerror(errno));
	/* header last, once the body checksum is known */
	if (lseek(fd, (off_t)h.off[0], SEEK_SET) < 0) {
		rc = il_error_set(IL_EIO, "%s: cannot seek: %s", tmp, strerror(errno));
		goto fail;
	}
	for (int s = 0; s < S_COUNT; s++) {
		size_t len = sec[s]->len, pad = (SNAP_ALIGN - len % SNAP_ALIGN) % SNAP_ALIGN;
		if (len && (rc = write_all(fd, sec[s]->p, len, tmp)) != IL_OK)
			goto fail;
		if (pad && (rc = write_all(fd, zeros, pad, tmp)) != IL_OK)
			goto fail;
		/* every section and its padding is a whole number of words */
		if (len)
			sum = sum_words(sum, sec[s]->p, len - len % 8);
		if (len % 8) {
			unsigned char last[8] = {0};
			memcpy(last, sec[s]->p + len - len % 8, len % 8);
			sum = sum_words(sum, last, 8);
		}
		for (size_t z = (len + 7) / 8 * 8; z < len + pad; z += 8)
			sum = sum_words(sum, zeros, 8);
	}
	/* bytes between the header and the first section are zeros too */
	{
		uint64_t pre = 0;
		for (uint64_t z = sizeof(h); z < h.off[0]; z += 8)
			pre = sum_words(pre, zeros, 8);
		h.body_sum = sum ^ (pre * 0x9e3779b97f4a7c15ull);
	}
	h.header_sum = sum_words(0, (const unsigned char *)&h, offsetof(struct snap_header, header_sum));
	if (lseek(fd, 0, SEEK_SET) < 0 || (rc = write_all(fd, &h, sizeof(h), tmp)) != IL_OK ||
	    (rc = write_all(fd, zeros, (size_t)(h.off[0] - sizeof(h)), tmp)) != IL_OK) {
		if (!rc)
			rc = il_error_set(IL_EIO, "%s: cannot seek: %s", tmp, strerror(errno));
		goto fail;
	}
	if (fsync(fd) != 0) {
		rc = il_error_set(IL_EIO, "%s: cannot sync: %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = il_error_set(IL_EIO, "%s: cannot close: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		rc = il_error_set(IL_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		goto fail;
	}
	return IL_OK;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return rc;
}

static int bad(const char *path, const char *what)
{
	return il_error_set(IL_EFORMAT, "%s: not a usable index snapshot: %s", path, what);
}

static bool dict_ok(const struct il__dict *d)
{
	size_t n = IL__COUNT(d->ents, struct il__dent);
	const struct il__dent *e = IL__AT(d->ents, const struct il__dent);
	if (d->ents.len % sizeof(struct il__dent) || n >= IL__NONE || d->pool.len > UINT32_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (e[i].off > d->pool.len || e[i].len >= d->pool.len - e[i].off ||
		    d->pool.p[e[i].off + e[i].len] != '\0')
			return false;
	return true;
}

/* A block's stream of `len` bytes with room nibble e lies inside the pool. */
static bool region_ok(const struct il__arr *pool, uint32_t off, size_t len, unsigned e)
{
	size_t room = e ? (size_t)1 << e : len;
	return room >= len && off <= pool->len && room <= pool->len - off;
}

/* Every forward list reads as fwd_n increasing term ids below nterms. */
static bool fwd_ok(const struct il_index *ix, uint32_t nterms)
{
	const struct il__doc *docs = IL__AT(ix->docs, const struct il__doc);
	const unsigned char *end = ix->fwd.p + ix->fwd.len;
	for (uint32_t d = 0; d < ix->m.ndocs; d++) {
		const unsigned char *p;
		uint32_t t = 0, gap;
		if (docs[d].fwd_off > ix->fwd.len)
			return false;
		p = ix->fwd.p + docs[d].fwd_off;
		for (uint32_t i = 0; i < docs[d].fwd_n; i++) {
			if (!il__varint_get(&p, end, &gap) || (i && gap == 0) || gap >= nterms - t)
				return false;
			t += gap;
		}
	}
	return true;
}

static int validate(struct il_index *ix, const char *path)
{
	const struct il__meta *m = &ix->m;
	size_t nblocks = IL__COUNT(ix->blocks, struct il__block);
	uint32_t nterms, nkeys, nregions, live = 0, hidden = 0;
	const struct il__doc *docs = IL__AT(ix->docs, const struct il__doc);
	const struct il__block *blocks = IL__AT(ix->blocks, const struct il__block);

	if (!(m->k1 > 0.0f) || !isfinite(m->k1) || !(m->b >= 0.0f && m->b <= 1.0f))
		return bad(path, "BM25 parameters out of range");
	for (int f = 0; f < IL_IF__COUNT; f++)
		if (!(m->weight[f] >= 0.0f) || !isfinite(m->weight[f]) || !(m->ref_avg[f] > 1e-12) ||
		    !isfinite(m->ref_avg[f]))
			return bad(path, "field weights or reference averages out of range");
	if (ix->docs.len != (size_t)m->ndocs * sizeof(struct il__doc) || m->ndocs > IL__MAX_DOCS ||
	    m->nlive > m->ndocs || m->nhidden > m->nlive)
		return bad(path, "document table size");
	{
		size_t need = (size_t)il__words(m->ndocs) * 8;
		const struct il__arr *bms[2 + IL_KIND__COUNT];
		bms[0] = &ix->live;
		bms[1] = &ix->visible;
		for (int k = 0; k < IL_KIND__COUNT; k++)
			bms[2 + k] = &ix->kindbm[k];
		for (size_t i = 0; i < 2 + IL_KIND__COUNT; i++)
			if (bms[i]->len < need || bms[i]->len % 8)
				return bad(path, "bitmap size");
	}
	if (ix->tinfo.len % sizeof(struct il__term) ||
	    ix->blocks.len % sizeof(struct il__block) || ix->key_doc.len % sizeof(uint32_t) ||
	    ix->region_parent.len % sizeof(uint32_t))
		return bad(path, "array sizes");
	if (!dict_ok(&ix->terms) || !dict_ok(&ix->keys) || !dict_ok(&ix->regions))
		return bad(path, "a dictionary is inconsistent");
	nterms = il__dict_size(&ix->terms);
	nkeys = il__dict_size(&ix->keys);
	nregions = il__dict_size(&ix->regions);
	if (IL__COUNT(ix->tinfo, struct il__term) != nterms ||
	    IL__COUNT(ix->key_doc, uint32_t) != nkeys ||
	    IL__COUNT(ix->region_parent, uint32_t) != nregions || nblocks >= IL__NONE)
		return bad(path, "table sizes disagree");
	for (uint32_t d = 0; d < m->ndocs; d++) {
		const struct il__doc *doc = &docs[d];
		bool is_live = doc->flags & IL__DOC_LIVE;
		if (doc->kind >= IL_KIND__COUNT || (doc->flags & ~3u) ||
		    (doc->key == IL__NONE ? is_live : doc->key >= nkeys))
			return bad(path, "a document entry is out of range");
		if (is_live) {
			live++;
			hidden += (doc->flags & IL__DOC_HIDDEN) != 0;
		}
		if (il__bit(IL__AT(ix->live, const uint64_t), d) != is_live)
			return bad(path, "live bitmap disagrees with the document table");
	}
	if (live != m->nlive || hidden != m->nhidden)
		return bad(path, "live document count");
	if (!fwd_ok(ix, nterms))
		return bad(path, "a forward list names no term");
	for (uint32_t t = 0; t < nterms; t++) {
		const struct il__term *tm = &IL__AT(ix->tinfo, const struct il__term)[t];
		if ((tm->first == IL__NONE) != (tm->last == IL__NONE) ||
		    (tm->first != IL__NONE && (tm->first >= nblocks || tm->last >= nblocks)) ||
		    tm->df > m->nlive)
			return bad(path, "a term entry is out of range");
	}
	for (size_t i = 0; i < nblocks; i++) {
		const struct il__block *b = &blocks[i];
		/* a chain only moves forward: blocks are appended, never reordered */
		if (b->n == 0 || b->n > IL__BLOCK || !region_ok(&ix->post, b->off, b->len, b->logs & 15u) ||
		    !region_ok(&ix->pos, b->poff, b->plen, b->logs >> 4u) ||
		    (b->next != IL__NONE && (b->next <= i || b->next >= nblocks)) ||
		    b->first_doc > b->last_doc || b->last_doc >= m->ndocs ||
		    !(b->max_tfn >= 0.0f) || !isfinite(b->max_tfn))
			return bad(path, "a posting block is out of range");
	}
	for (uint32_t k = 0; k < nkeys; k++) {
		uint32_t d = IL__AT(ix->key_doc, const uint32_t)[k];
		size_t klen;
		il__dict_key(&ix->keys, k, &klen);
		if ((d != IL__NONE && d >= m->ndocs) || klen < 2)
			return bad(path, "a document key is out of range");
	}
	for (uint32_t r = 0; r < nregions; r++) {
		uint32_t p = IL__AT(ix->region_parent, const uint32_t)[r];
		if (p != IL__NONE && p >= nregions)
			return bad(path, "a region parent is out of range");
	}
	return IL_OK;
}

int il_index_load(const struct il_text *text, const char *path, struct il_index **out,
		  int64_t *seq)
{
	struct il_index_config cfg;
	struct il_index *ix = NULL;
	struct il__arr *sec[S_COUNT], meta = {NULL, 0, 0};
	struct snap_header h;
	struct stat st;
	unsigned char *map = MAP_FAILED;
	size_t size = 0;
	uint32_t sizes[6];
	int fd, rc;

	if (!path || !out)
		return il_error_set(IL_EINVAL, "il_index_load: missing argument");
	*out = NULL;
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
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return il_error_set(IL_EIO, "%s: cannot map: %s", path, strerror(errno));

	memcpy(&h, map, sizeof(h));
	layout_sizes(sizes);
	if (memcmp(h.magic, SNAP_MAGIC, 8) != 0) {
		rc = bad(path, "bad magic");
		goto fail;
	}
	if (h.version != SNAP_VERSION || h.bom != SNAP_BOM || h.nsec != S_COUNT ||
	    h.header_size != sizeof(h) || memcmp(h.sizes, sizes, sizeof(sizes)) != 0) {
		rc = bad(path, "written by another version or on another kind of machine");
		goto fail;
	}
	if (h.header_sum !=
	    sum_words(0, (const unsigned char *)&h, offsetof(struct snap_header, header_sum))) {
		rc = bad(path, "header checksum mismatch");
		goto fail;
	}
	if (h.file_size != size || size % 8) {
		rc = bad(path, "truncated or extended");
		goto fail;
	}
	{
		uint64_t sum = 0, pre = 0;
		if (h.off[0] < sizeof(h) || h.off[0] > size || h.off[0] % 8) {
			rc = bad(path, "section table out of range");
			goto fail;
		}
		for (uint64_t z = sizeof(h); z < h.off[0]; z += 8)
			pre = sum_words(pre, map + z, 8);
		sum = sum_words(0, map + h.off[0], size - (size_t)h.off[0]);
		if ((sum ^ (pre * 0x9e3779b97f4a7c15ull)) != h.body_sum) {
			rc = bad(path, "checksum mismatch (corrupt)");
			goto fail;
		}
	}
	for (int s = 0; s < S_COUNT; s++)
		if (h.off[s] % SNAP_ALIGN || h.off[s] < sizeof(h) || h.off[s] > size ||
		    h.len[s] > size - h.off[s]) {
			rc = bad(path, "section table out of range");
			goto fail;
		}
	if (h.len[S_META] != sizeof(struct il__meta)) {
		rc = bad(path, "counters section size");
		goto fail;
	}

	il_index_config_init(&cfg);
	if ((rc = il_index_open(text, &cfg, &ix)) != IL_OK)
		goto fail;
	sections(ix, &meta, sec);
	for (int s = 0; s < S_COUNT; s++) {
		sec[s]->p = map + h.off[s];
		sec[s]->len = (size_t)h.len[s];
		sec[s]->cap = 0;
	}
	memcpy(&ix->m, meta.p, sizeof(ix->m));
	ix->map = map;
	ix->map_len = size;
	map = MAP_FAILED;
	if ((rc = validate(ix, path)) != IL_OK || (rc = il__dict_rehash(&ix->terms)) != IL_OK ||
	    (rc = il__dict_rehash(&ix->keys)) != IL_OK ||
	    (rc = il__dict_rehash(&ix->regions)) != IL_OK)
		goto fail;
	if (seq)
		*seq = h.seq;
	*out = ix;
	return IL_OK;
fail:
	il_index_close(ix);
	if (map != MAP_FAILED)
		munmap(map, size);
	return rc;
}
