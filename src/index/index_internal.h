/*
 * index_internal.h - what the files of src/index share: the flat arrays the
 * index is made of, the block layout of its postings, and the hooks its
 * tests use.
 *
 * Layout (docs/internals/index.md has the whole picture):
 *   - every long-lived part is a struct il__arr, one flat byte array on
 *     the heap; snapshots are decoded into such arrays (snapload.c);
 *   - three string dictionaries (struct il__dict: terms, document keys,
 *     regions) map a byte string to a dense uint32 index;
 *   - documents (struct il__doc) are numbered densely from 0 in the order
 *     they were added; a replaced or deleted one stays as a dead hole
 *     until compaction renumbers;
 *   - each term owns a chain of blocks (struct il__block) of at most
 *     IL__BLOCK postings with increasing document ids; a block's bytes live
 *     in two pools, `post` (ids and frequencies) and `pos` (positions).
 *
 * Invariants: within a term's chain, blocks are in increasing document
 * order and only the last one may be partly filled or grow; df counts live
 * documents only, so scores do not depend on deletes not yet compacted;
 * max_tfn of a block is an upper bound of tf~ (see il__tfn) of every posting
 * in it under the reference averages ref_avg.
 *
 * Depends on: base, model, text (public headers).
 */
#ifndef IL_INDEX_INTERNAL_H
#define IL_INDEX_INTERNAL_H

#include <innolink/index.h>

#include <pthread.h>
#include <stdatomic.h>

#define IL__NONE UINT32_MAX
#define IL__END UINT32_MAX /* a cursor past its last posting */
#define IL__BLOCK 128
/* Document ids are uint32 with IL__NONE reserved. */
#define IL__MAX_DOCS (UINT32_MAX - 2u)
/* Terms longer than this are not indexed: no query could type them. */
#define IL__MAX_TERM 256
/* Filter values (region, chain link, status) are indexed as terms whose
 * first byte no tokenizer produces, so a query can never reach them. */
#define IL__ATTR_REGION "\x01r"
#define IL__ATTR_LINK "\x01l"
#define IL__ATTR_STATUS "\x01s"
#define IL__FIELD_ATTR IL_IF__COUNT /* pseudo field of filter values */

/* A flat byte array on the heap: cap bytes, the first len used. */
struct il__arr {
	unsigned char *p;
	size_t len;
	size_t cap;
};

/* Room for `extra` more bytes past len.
 * IL_ENOMEM, IL_ETOOBIG on size overflow. */
int il__arr_grow(struct il__arr *a, size_t extra);
/* The same, inline when the room is there already (once per token). */
static inline int il__arr_reserve(struct il__arr *a, size_t extra)
{
	if (a->cap && extra <= a->cap - a->len)
		return 0;
	return il__arr_grow(a, extra);
}
/* Asks for huge pages under [p, p + len) (a hint; nothing when the
 * system has none). */
void il__advise_huge(void *p, size_t len);
/* Appends bytes (reserve + copy). */
int il__arr_add(struct il__arr *a, const void *data, size_t len);
void il__arr_release(struct il__arr *a);
/* Bytes in use (len): what the index holds, not what the allocator
 * reserved for it to grow into. */
size_t il__arr_bytes(const struct il__arr *a);

#define IL__AT(arr, type) ((type *)(void *)(arr).p)
#define IL__COUNT(arr, type) ((arr).len / sizeof(type))

/* One dictionary entry: a key of `len` bytes at pool offset `off`, with a
 * NUL after it so keys can be handed out as C strings.  Pools stay below
 * 4 GiB (IL_ETOOBIG past that). */
struct il__dent {
	uint32_t off;
	uint32_t len;
};

/* Open addressing with linear probing, slots at most 3/4 full.  Entries
 * are never removed.  The slot table is derived from the entries:
 * snapshots leave it out and il__dict_rehash makes it again at load. */
struct il__dslot {
	uint32_t tag; /* the key's hash, its low 4 bits replaced by its length (max 15) */
	uint32_t e; /* entry index + 1; 0: empty */
	uint64_t head; /* the key's first 8 bytes, zero past its end */
};

struct il__dict {
	struct il__arr pool; /* key bytes */
	struct il__arr ents; /* struct il__dent */
	struct il__arr slots; /* struct il__dslot, a power of two of them */
};

/* Keys this long or shorter are all in their head (below), byte i at
 * bits 8i, on a little-endian machine: its bytes in memory are the key. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define IL__DICT_SHORT 8u
#else
#define IL__DICT_SHORT 0u
#endif

/* A key's hash, and its head (first 8 bytes, zero past its end): what a
 * lookup computes first. */
uint32_t il__dict_hash(const void *key, size_t len, uint64_t *head);
/* Starts loading the slot where a lookup of hash h begins. */
static inline void il__dict_prefetch(const struct il__dict *d, uint32_t h)
{
	size_t n = d->slots.len / sizeof(struct il__dslot);
	if (n)
		__builtin_prefetch(d->slots.p + ((h >> 4) & (n - 1)) * sizeof(struct il__dslot));
}
static inline uint32_t il__dict_size(const struct il__dict *d)
{
	return (uint32_t)IL__COUNT(d->ents, struct il__dent);
}
/* Index of key, or IL__NONE. */
uint32_t il__dict_find(const struct il__dict *d, const void *key, size_t len);
/* Index of key, added when new (*added tells, may be NULL).  IL_ENOMEM,
 * IL_ETOOBIG. */
int il__dict_add(struct il__dict *d, const void *key, size_t len, uint32_t *out, bool *added);
/* The same with the key's hash and head from il__dict_hash. */
int il__dict_add_hashed(struct il__dict *d, const void *key, size_t len, uint32_t h, uint64_t head,
			uint32_t *out, bool *added);
/* Appends key as a new entry without looking it up or touching the slot
 * table (loading: the caller knows keys are distinct and rehashes after the
 * last).  IL_ENOMEM, IL_ETOOBIG. */
int il__dict_append(struct il__dict *d, const void *key, size_t len);
/* The key of entry i (NUL-terminated); *len may be NULL. */
const char *il__dict_key(const struct il__dict *d, uint32_t i, size_t *len);
void il__dict_release(struct il__dict *d);
/* Makes the slot table from the entries (at load).  IL_ENOMEM, IL_ETOOBIG. */
int il__dict_rehash(struct il__dict *d);
size_t il__dict_bytes(const struct il__dict *d);

struct il__term {
	uint32_t df; /* live documents holding the term */
	uint32_t first, last; /* block chain, IL__NONE when empty */
	float max_tfn; /* the largest max_tfn of its blocks */
};

/*
 * A block of up to IL__BLOCK postings of one term, 32 bytes.  Doc stream at
 * post[off, off+len): for each posting, the difference to the previous
 * document id as a varint (omitted for the first, which is first_doc), then
 * a header byte: 1ffttttt (high bit set) says field ff alone holds the
 * term, ttttt + 1 times (1..32); 0000mmmm says field f holds it when bit f
 * of mmmm is set, each such field's frequency following as a varint
 * (mmmm = 0: a filter value).  Position stream at pos[poff, poff+plen): for each posting
 * and each of its fields in field order, tf positions as varint deltas (the
 * first from 0).
 *
 * The room reserved behind each stream, so the last block of a term can
 * take more postings in place, is in `logs`: low nibble for the doc
 * stream, high nibble for the positions; 0 means exactly len (no slack),
 * e > 0 means 1 << e bytes.  A posting takes at most IL__POST_MAX bytes, so
 * len fits 16 bits; pools stay below 4 GiB (IL_ETOOBIG past that).
 */
struct il__block {
	uint32_t off, poff;
	uint32_t plen;
	uint32_t first_doc, last_doc;
	uint32_t next; /* next block of the term, IL__NONE after the last */
	float max_tfn; /* bound of tf~ under ref_avg, rounded up */
	uint16_t len;
	uint8_t n; /* postings, 1..IL__BLOCK */
	uint8_t logs;
};

/* The largest doc-stream posting: a gap, the header, a varint per field. */
#define IL__POST_MAX (5 + 1 + 5 * IL_IF__COUNT)
_Static_assert(IL__BLOCK *IL__POST_MAX <= UINT16_MAX && IL__BLOCK <= UINT8_MAX,
	       "a block's doc stream length and count fit its header");
_Static_assert(IL_IF__COUNT == 4, "the one-field posting header has two bits of field");

enum { IL__DOC_LIVE = 1u << 0, IL__DOC_HIDDEN = 1u << 1 };

/* A document's forward list is its fwd_n term ids in increasing order at
 * fwd[fwd_off..], as varint gaps (the first from 0). */
struct il__doc {
	uint64_t fwd_off; /* byte offset in fwd */
	uint32_t fwd_n;
	uint32_t key; /* entry in ix->keys: kind byte + id */
	uint32_t len[IL_IF__COUNT]; /* field lengths in tokens */
	int32_t date;
	int32_t expires; /* last live day; INT32_MAX: never */
	uint8_t kind;
	uint8_t flags;
	uint16_t pad;
};

/* The counters of an index, saved as they are in a snapshot. */
struct il__meta {
	uint32_t ndocs; /* ids handed out: live and dead */
	uint32_t nlive;
	uint32_t nhidden; /* live and hidden */
	uint32_t base; /* ndocs right after the last compaction */
	float k1, b, weight[IL_IF__COUNT];
	uint64_t sum_len[IL_IF__COUNT]; /* over live documents */
	double ref_avg[IL_IF__COUNT]; /* the averages block maxima assume */
	uint64_t garbage; /* bytes of post and pos no block uses */
};

typedef int (*il__tokenize_fn)(void *ctx, const char *text, size_t len, il_token_fn fn,
			       void *fnctx);

/*
 * A document analysed ahead of its put, on another thread (build.c): the
 * tokens of each text il_index_put would analyse, in the same order, with
 * what the put reads of them.  A put given one replays them instead of
 * calling the analyzer, so the document is exactly what a plain put makes
 * of it; a text whose analysis failed ahead (an analyzer error, no memory)
 * is analysed again by the put, which then fails as a plain put would.
 */
struct il__pretok {
	uint32_t off, len; /* term bytes in pool */
	uint32_t pos;
	uint32_t kind, flags;
};

struct il__pre {
	struct il__arr toks; /* struct il__pretok */
	struct il__arr pool; /* term bytes */
	struct il__arr texts; /* uint32_t pairs per text: end in toks, failed */
	uint32_t next; /* the text the put reads next */
};

/*
 * Filter values held by many documents, each as a bitmap of its documents
 * (filter.c): what lets a region (with every region below it), chain link
 * or status filter skip 64 documents a word instead of walking the
 * value's postings for every query.  Derived, never saved: an entry is
 * made by the first query that needs it (under `lock`; searches read
 * entries [0, n) without it), kept by puts, dropped by compaction (which
 * renumbers documents) and, for regions, by a change of the region tree.
 */
enum { IL__FV_REGION, IL__FV_LINK, IL__FV_STATUS, IL__FV__COUNT };
#define IL__FCACHE 256

struct il__fentry {
	uint8_t attr; /* IL__FV_* */
	uint32_t rid; /* a region's index in ix->regions, IL__NONE when not in the tree */
	size_t len;
	struct il__arr bm; /* uint64_t words over document ids */
	char value[]; /* len bytes and a NUL */
};

struct il__fcache {
	struct il__fentry *ent[IL__FCACHE];
	atomic_uint n;
	pthread_mutex_t lock;
};

struct il_index {
	const struct il_text *text;
	struct il__meta m;
	struct il__arr docs; /* struct il__doc [ndocs] */
	struct il__arr fwd; /* forward lists: varint gaps of term ids */
	struct il__arr live; /* uint64_t bitmap */
	struct il__arr visible; /* live and not hidden */
	struct il__arr kindbm[IL_KIND__COUNT];
	struct il__dict terms;
	struct il__arr tinfo; /* struct il__term per term */
	struct il__arr blocks; /* struct il__block */
	struct il__arr post, pos;
	struct il__dict keys; /* kind byte + id */
	struct il__arr key_doc; /* uint32_t per key: its live doc or IL__NONE */
	struct il__dict regions;
	struct il__arr region_parent; /* uint32_t per region, IL__NONE at a root */
	struct il__arr pend; /* put's tokens before their terms are looked up */
	struct il__arr pkeys; /* their term bytes */
	struct il__arr scratch; /* put's token list, reused */
	struct il__arr pscratch; /* put's encoded positions of one term, reused */
	struct il__arr sortbuf; /* put's second token list, for sorting */
	il__tokenize_fn tok_doc, tok_query; /* tests replace the analyzer */
	void *tok_ctx;
	struct il__pre *pre; /* the analysis a put replays, or NULL */
	struct il__fcache fcache;
	bool bulk; /* il_index_bulk: no compaction for growth alone */
	struct il__inv *inv; /* the bulk inverter while it is active, or NULL */
	/* compacted, or built by the inverter with no dead document: nothing
	 * a compaction would change (cleared by every put and delete) */
	bool tidy;
};

/* One analysed token of a document being put: its term, field (or
 * IL__FIELD_ATTR for a filter value) and position. */
struct il__tok3 {
	uint32_t term;
	uint32_t field;
	uint32_t pos;
};

/*
 * The bulk inverter (invert.c): il_index_bulk(ix, true) on an empty index
 * starts it; while it is active a put hands it the document's tokens
 * (il__inv_doc) instead of appending postings, and nothing may read the
 * postings until il__inv_finish has written them (il_index_bulk(ix, false)
 * or il_index_compact call it).
 */
struct il__inv;
/* IL_ENOMEM. */
int il__inv_start(struct il_index *ix);
/* Hands over document d's tokens, each term's in (field, position) order,
 * and its field lengths, to be inverted (on the inverter's thread, in put
 * order); its forward list comes with il__inv_finish.  IL_ENOMEM, IL_ETOOBIG: d is not handed
 * over; or the inverting side's failure, which ends the load. */
int il__inv_doc(struct il_index *ix, uint32_t d, const struct il__tok3 *toks, size_t n,
		const uint32_t len[IL_IF__COUNT]);
/* Waits for the inverting side, writes the postings as compacted blocks,
 * df and forward lists, and stops the inverter.  IL_ENOMEM, IL_ETOOBIG: the
 * postings are not written and the inverter stays (a failure of the
 * inverting side stays for good: the load failed). */
int il__inv_finish(struct il_index *ix);
/* Stops the inverter, dropping what it holds. */
void il__inv_free(struct il_index *ix);
/* IL_EINVAL naming `what` while the inverter is active, else IL_OK. */
int il__inv_busy(const struct il_index *ix, const char *what);

/* Replaces the analyzer with tokenizer callbacks (tests, fuzzing). */
void il__index_set_tokenizer(struct il_index *ix, il__tokenize_fn doc, il__tokenize_fn query,
			     void *ctx);
int il__index_tokenize_query(const struct il_index *ix, const char *text, size_t len,
			     il_token_fn fn, void *ctx);

static inline uint32_t il__words(uint32_t ndocs)
{
	return (uint32_t)(((uint64_t)ndocs + 63) / 64);
}

static inline bool il__bit(const uint64_t *bm, uint32_t d)
{
	return (bm[d >> 6] >> (d & 63)) & 1u;
}

/* LEB128: at most 5 bytes for a uint32. */
static inline size_t il__varint_put(unsigned char *p, uint32_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* Reads a varint from [*p, end); false on a truncated or over-long one. */
static inline bool il__varint_get(const unsigned char **p, const unsigned char *end, uint32_t *out)
{
	uint32_t v = 0;
	for (unsigned shift = 0; shift < 35 && *p < end; shift += 7) {
		unsigned char c = *(*p)++;
		if (shift == 28 && c > 0x0f)
			return false;
		v |= (uint32_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

/* A block decoded for reading. */
struct il__post {
	uint32_t n;
	uint32_t doc[IL__BLOCK];
	uint32_t tf[IL__BLOCK][IL_IF__COUNT];
};

/* Decodes block b; false when its bytes are inconsistent. */
bool il__block_decode(const struct il_index *ix, const struct il__block *b, struct il__post *out);
/* Positions of posting i of decoded block b in field f into out (up to max;
 * *n gets the count).  false on inconsistent bytes. */
bool il__block_positions(const struct il_index *ix, const struct il__block *b,
			 const struct il__post *p, uint32_t i, unsigned f, uint32_t *out,
			 uint32_t max, uint32_t *n);

/*
 * BM25F's combined frequency of one posting (Robertson & Zaragoza 2009):
 *   tf~ = sum over fields f of  w_f * tf_f / (1 - b + b * len_f / avg_f)
 * `only` < IL_IF__COUNT keeps one field (field:term queries).  A field
 * length of 0 with a frequency above 0 (the term only inside a stop word's
 * sub-words) counts as 1 so the division stays finite.
 */
double il__tfn(const struct il__meta *m, const double avg[IL_IF__COUNT], const uint32_t *tf,
	       const uint32_t *len, unsigned only);
/* Current average field lengths, each at least 1e-9 above 0. */
void il__avg(const struct il__meta *m, double avg[IL_IF__COUNT]);
/* Inverse document frequency, always > 0:
 *   idf = ln(1 + (N - df + 0.5) / (df + 0.5)) */
double il__idf(uint32_t n, uint32_t df);
/* Rounds a non-negative double up to a float bound. */
float il__round_up(double x);

/*
 * Compaction and the end of a bulk load write one term at a time at the
 * end of the pools, so they assemble each block whole: a posting's doc
 * bytes go to buf, its positions straight to the end of `pos`, and a full
 * block (or the last of a term) is written with one copy and gets its
 * header then, exact (no room behind it).  b holds first_doc, poff (pos's
 * length at the block's first posting) and max_tfn as they are gathered.
 */
struct il__writer {
	unsigned char buf[IL__BLOCK * IL__POST_MAX];
	size_t len;
	uint32_t n, last;
	struct il__block b;
};

/* Appends w's block (if any) to term t's chain in ix and empties w.
 * IL_ENOMEM, IL_ETOOBIG. */
int il__writer_flush(struct il_index *ix, struct il__writer *w, uint32_t t);

/* Encodes the doc-stream part of a posting after its gap, the header byte
 * and the frequencies (layout at struct il__block), into p (room for 1 + 4
 * varints); returns the bytes written. */
static inline size_t il__encode_tf(unsigned char *p, const uint32_t tf[IL_IF__COUNT])
{
	unsigned mask = (unsigned)(tf[0] != 0) | (unsigned)(tf[1] != 0) << 1 |
			(unsigned)(tf[2] != 0) << 2 | (unsigned)(tf[3] != 0) << 3;
	size_t n = 0;
	if (mask && !(mask & (mask - 1))) {
		unsigned f = (unsigned)__builtin_ctz(mask);
		if (tf[f] <= 32) {
			p[0] = (unsigned char)(0x80u | f << 5 | (tf[f] - 1));
			return 1;
		}
	}
	p[n++] = (unsigned char)mask;
	for (unsigned f = 0; f < IL_IF__COUNT; f++)
		if (tf[f])
			n += il__varint_put(p + n, tf[f]);
	return n;
}

/*
 * Appends the posting of document d (greater than every document of term
 * t so far) with its frequencies per field (all 0 for a filter value) and
 * its encoded positions, growing the term's last block in place or opening
 * a new one.  tfn is tf~ under ref_avg.  Atomic: on IL_ENOMEM the term is as
 * it was (a moved block leaves garbage, nothing else).
 */
int il__post_append(struct il_index *ix, uint32_t t, uint32_t d, const uint32_t tf[IL_IF__COUNT],
		    const unsigned char *pos, size_t plen, double tfn);

/*
 * A parsed query (query.c), ready for evaluation (search.c).  Each distinct
 * (term, field, sign) gets one cursor; groups, phrases and exclusions name
 * cursors by index.  Everything lives in the query's arena.
 */
struct il__qcur {
	uint32_t tid;
	uint8_t field; /* IL_IF__COUNT: any field */
	bool neg; /* only tested for exclusion, never scored */
	bool translated; /* reached only through the glossary */
	float weight; /* 1, or the glossary weight of a translation */
};

/* One concept of the query: a word with its sub-words and, with expansion,
 * its translations.  It scores the best of its members in a document;
 * when required, a matching document holds at least one of them. */
struct il__qgroup {
	const uint32_t *cur;
	uint32_t n;
	bool required;
};

/* Terms at fixed distances within one field.  A positive phrase's cursors
 * are also required groups of one member; a negative one's are neg
 * cursors. */
struct il__qphrase {
	const uint32_t *cur;
	const uint32_t *rel; /* position relative to the first term */
	uint32_t n;
	uint8_t field; /* IL_IF__COUNT: any field, but all terms in the same one */
	bool neg;
};

/* Excluded: a document holding the terms of all these neg cursors. */
struct il__qexcl {
	const uint32_t *cur;
	uint32_t n;
};

struct il__query {
	struct il__qcur *cur;
	uint32_t ncur;
	struct il__qgroup *groups; /* every positive concept, in query order */
	uint32_t ngroups;
	uint32_t nrequired; /* groups with required set */
	struct il__qphrase *phrases;
	uint32_t nphrases;
	struct il__qexcl *excl;
	uint32_t nexcl;
	bool none; /* a required part is absent from the index: no document matches */
};

/* Parses q->text (syntax in docs/internals/index.md).  IL_EINVAL (not
 * UTF-8, too long), IL_ENOMEM, or an analyzer error. */
int il__query_parse(const struct il_index *ix, const struct il_index_query *q, struct il_arena *a,
		    struct il__query *out);

/* The filter value bitmaps (filter.c).  A put grows them to cover its id
 * first (IL_ENOMEM before anything changed), then sets its bit in those
 * whose value the document holds (cannot fail); a change of the region
 * tree drops the region entries, compaction all of them. */
int il__fcache_reserve(struct il_index *ix, uint32_t d);
void il__fcache_put(struct il_index *ix, uint32_t d, const struct il_index_doc *doc);
void il__fcache_drop(struct il_index *ix, bool regions_only);
size_t il__fcache_bytes(const struct il_index *ix);

/*
 * A query's filters, applied during traversal: the AND of up to five
 * bitmaps (live or visible; the region's, the chain link's and the
 * status's documents, cached or marked for the query) and the OR of the
 * wanted kinds' bitmaps.
 */
struct il__filter {
	const uint64_t *and_[1 + IL__FV__COUNT];
	uint32_t nand;
	const uint64_t *kinds[IL_KIND__COUNT];
	uint32_t nkinds; /* 0: any kind */
	uint32_t words, ndocs;
	bool empty; /* nothing can pass */
};

/* Prepares q's filters (arena memory).  IL_ENOMEM. */
int il__filter_init(const struct il_index *ix, const struct il_index_query *q, struct il_arena *a,
		    struct il__filter *f);
/* The first allowed document >= from, or IL__END. */
uint32_t il__filter_next(const struct il__filter *f, uint32_t from);
bool il__filter_has(const struct il__filter *f, uint32_t d);
/* The share of live documents allowed, for *total. */
double il__filter_share(const struct il_index *ix, const struct il__filter *f);

/* il_index_search with pruning on or off: off scores every candidate, the
 * reference the tests hold block-max WAND to. */
int il__search(const struct il_index *ix, const struct il_index_query *q, bool prune,
	       struct il_arena *arena, struct il_index_hit **hits, size_t *nhits, size_t *total);

/* Analyses doc into p as il_index_put would (p is reset first).  Reads
 * only the analyzer and the tokenizer hooks, never the index's arrays, so
 * it may run on another thread while the index is written. */
void il__index_preanalyse(const struct il_index *ix, const struct il_index_doc *doc,
			  struct il__pre *p);
/* il_index_put of doc with the analysis p made of it.  Its errors. */
int il__index_put_pre(struct il_index *ix, const struct il_index_doc *doc, struct il__pre *p);
void il__pre_release(struct il__pre *p);

/* Appends to `out` the bytes of each section of the snapshot at path, one
 * line each, for benchmarks.  The errors of il_index_load's header checks,
 * IL_ENOMEM. */
int il__snapshot_report(const char *path, struct il_buf *out);
/* Makes the header of the snapshot bytes data[0..size) agree with them
 * (file size, checksums), so tests and the fuzz target reach the checks
 * behind the checksums with content they changed.  Shorter than a header:
 * nothing. */
void il__snapshot_reseal(unsigned char *data, size_t size);

/* Marks doc d dead: bits, counters, df of its terms. */
void il__doc_kill(struct il_index *ix, uint32_t d);
/* Compacts when dead ids or garbage bytes warrant it (best effort). */
void il__maybe_compact(struct il_index *ix);
/* Frees every array (the mapping too) and zeroes them. */
void il__index_free_arrays(struct il_index *ix);

/*
 * The chain links that assignment records place documents on (build.c),
 * shared by il_index_build and il_index_catch_up: filled by
 * il__places_add (or all at once by il__places_load), sorted once by
 * il__places_sort, then read by il__index_put_record.  One pool of
 * strings and one flat array, not an allocation per placement.
 */
struct il__place;
struct il__places {
	struct il_buf pool; /* kind byte + entity id, link id; NUL-separated */
	struct il__place *pl;
	size_t n, cap;
	const char **links; /* scratch: the links of the record being put */
	size_t lcap;
};

void il__places_init(struct il__places *p);
void il__places_release(struct il__places *p);
/* Records the placement an assignment record states; one of an unknown
 * kind or with a field missing is ignored.  IL_ENOMEM. */
int il__places_add(struct il__places *p, const struct il_record *assignment);
/* Sorts after the last add, before the first lookup. */
void il__places_sort(struct il__places *p);
/* Adds every assignment of the store (confidential ones too) and sorts.
 * IL_ESTORE, IL_ENOMEM. */
int il__places_load(struct il__places *p, struct il_store *s);
/* Puts a record of a searchable kind as its document, with the links its
 * own kind gives it plus those `p` places it on.  The errors of
 * il_index_doc_from_record and il_index_put, the detail prefixed with the
 * record's kind and id. */
int il__index_put_record(struct il_index *ix, struct il__places *p, const struct il_record *r);
/* Gives the region tree a region record's parent (none: nothing to do).
 * The errors of il_index_region_parent. */
int il__index_put_region(struct il_index *ix, const struct il_record *region);

#endif
