/*
 * innolink/index.h - the in-memory inverted index under every search and
 * match.
 *
 * Documents are records of the searchable kinds (organization, person,
 * achievement, demand, chain link, ...), each analysed into fields (title,
 * keywords, body, names) by the text module's document token stream.
 * Postings live in compressed blocks of 128 documents, each block carrying
 * the largest BM25F contribution any of its documents can get, so top-k
 * retrieval (block-max WAND) skips blocks that cannot enter the results: a
 * query with a very frequent term costs little more than one without.
 * Filters (kind, region with its sub-regions, chain link, status, date
 * range, expiry) are applied during traversal, not after.
 *
 * The store is the system of record; the index is derived from it
 * (il_index_build) and kept current from the store's change log
 * (il_index_catch_up), or by il_index_put / il_index_delete directly.  The
 * change sequence an index reflects travels with it: il_index_build and
 * il_index_load report it, il_index_catch_up advances it, il_index_save
 * writes it into a snapshot file, which lets a server start without
 * re-analysing every record.
 *
 * Thread safety: any number of threads may search at once; writes
 * (put/delete/build/load) need exclusive access (the caller holds a
 * write lock, e.g. a pthread_rwlock).
 *
 * Depends on: base, model, text, store (il_index_build and
 * il_index_catch_up only read it).
 */
#ifndef INNOLINK_INDEX_H
#define INNOLINK_INDEX_H

#include "base.h"
#include "model.h"
#include "store.h"
#include "text.h"

enum il_ifield {
	IL_IF_TITLE, /* title or name */
	IL_IF_KEYWORDS, /* keywords, fields of expertise, products */
	IL_IF_BODY, /* abstract, description, biography */
	IL_IF_NAMES, /* owner, inventors, affiliation, aliases */
	IL_IF__COUNT
};

struct il_index_config {
	float k1; /* BM25 term-frequency saturation, default 1.2 */
	float b; /* length normalisation, default 0.75 */
	float weight[IL_IF__COUNT]; /* BM25F field weights, default 3, 2, 1, 1 */
};

/* Fills the defaults. */
void il_index_config_init(struct il_index_config *cfg);

/* One document as the index sees it.  Strings are borrowed for the call. */
struct il_index_doc {
	enum il_kind kind;
	const char *id;
	const char *text[IL_IF__COUNT]; /* each may be NULL */
	size_t len[IL_IF__COUNT];
	const char *region; /* region id, or NULL */
	const char *const *links; /* chain link ids it is placed on */
	size_t nlinks;
	const char *status; /* e.g. a demand's docking state, or NULL */
	int32_t date; /* days since 1970-01-01 (published/signed), or INT32_MIN */
	bool hidden; /* confidential: kept out of results unless the query allows */
	/* The last day it is live, in days since 1970-01-01: a query judging
	 * by a later day leaves it out.  0 (a zero-initialised doc) or
	 * INT32_MAX: it never expires. */
	int32_t expires;
	/* A second text per field, indexed after text[f] as if it followed it
	 * (a phrase never spans the two): how one field takes two record values
	 * (an organization's Chinese and English names) without copying them.
	 * Each may be NULL; zero-initialise the struct so unused ones are. */
	const char *text2[IL_IF__COUNT];
	size_t len2[IL_IF__COUNT];
};

/* Maps a stored record onto index fields (which field of each kind goes
 * where is documented in docs/internals/index.md).  Strings in *out borrow
 * from r.  An achievement or demand expires after its "expires" date
 * (il_record_live_until with no period: one without the date stays).
 * IL_EINVAL for a kind that is not searchable. */
int il_index_doc_from_record(const struct il_record *r, struct il_index_doc *out);
/* Whether records of `kind` become documents: organization, person,
 * achievement, demand, chain and link. */
bool il_index_kind_searchable(enum il_kind kind);

struct il_index;

/* An empty index analysing text with `text` (borrowed for the index's life).
 * `cfg` may be NULL for the defaults.  IL_ENOMEM. */
int il_index_open(const struct il_text *text, const struct il_index_config *cfg,
		  struct il_index **out);
void il_index_close(struct il_index *ix);

/* Adds or replaces a document (by kind and id).  IL_EINVAL (no id, an id
 * longer than IL_INDEX_MAX_ID bytes, a kind out of range), IL_EENCODING,
 * IL_ETOOBIG (a text over IL_INDEX_MAX_TEXT bytes, or 2^32 - 2 documents
 * written since the last compaction), IL_ENOMEM.  A failed put leaves the
 * index as it was, apart from space reclaimed by the next compaction. */
int il_index_put(struct il_index *ix, const struct il_index_doc *doc);
/* Removes a document; IL_ENOTFOUND if it is not there. */
int il_index_delete(struct il_index *ix, enum il_kind kind, const char *id);
/* Number of live documents. */
size_t il_index_size(const struct il_index *ix);

#define IL_INDEX_MAX_ID 1024 /* bytes of a document id */
#define IL_INDEX_MAX_TEXT (16u << 20) /* bytes of one field's text */

/*
 * Adds every searchable record of the store (organizations, persons,
 * achievements, demands, chains and links; confidential demands included,
 * marked hidden), the region tree (il_index_region_parent for each region
 * with a parent) and the chain links that assignment records place each
 * record on, then compacts.  Meant for an empty index; records already in it
 * are replaced.
 *
 * *seq (out, may be NULL; set only on success) receives the store's last
 * change as read BEFORE the first record: the index holds every change up
 * to it and perhaps some after it, which il_index_catch_up(ix, s, seq)
 * then applies again harmlessly.  So build + catch-up neither misses nor
 * loses a write, even with writers running meanwhile.  IL_ESTORE,
 * IL_EENCODING, IL_ENOMEM.
 */
int il_index_build(struct il_index *ix, struct il_store *s, int64_t *seq);

/*
 * Applies to the index every change of the store's log after *seq
 * (il_store_changes), oldest first, reading the changes in batches so the
 * memory it takes stays bounded however far behind the index is.  Each
 * record a change names is applied as it stands in the store now: a record
 * of a searchable kind that exists is put (il_index_doc_from_record, with
 * the chain links assignment records place it on, exactly as
 * il_index_build makes it); one that no longer exists (deleted later in
 * the log, or a delete) is deleted, a document already missing being no
 * error.  A region's change gives the region tree its parent
 * (il_index_region_parent).  An assignment's change re-puts the records it
 * places in any of its versions (il_store_history), so a record that lost
 * a link loses it in the index too.  Changes of other kinds are skipped.
 * Applying a change twice is harmless, and a record changed many times in
 * one batch is put once.
 *
 * *seq (in/out) advances to the last change applied: on success to the
 * store's last change; on failure to the end of the last batch applied in
 * full, so a later call resumes there.  A *seq past the store's last
 * change means the index was not derived from this store: IL_ECONFLICT,
 * nothing applied (rebuild instead).
 *
 * Needs exclusive access to the index, like il_index_put; `s` is only
 * read.  Assumes change sequence numbers become visible in increasing
 * order, which a store with one writer at a time (SQLite) guarantees.
 * IL_ECONFLICT, IL_ESTORE, IL_EENCODING, IL_ETOOBIG, IL_ENOMEM; IL_EINVAL
 * for a missing argument.
 */
int il_index_catch_up(struct il_index *ix, struct il_store *s, int64_t *seq);

/*
 * Rewrites the postings without deleted documents and with exact block
 * maxima; documents get new dense ids (hit ids stay valid only until a
 * write anyway).  put and delete call it themselves once a quarter of the
 * document ids are dead or half the postings bytes are garbage; build calls
 * it at the end.  On IL_ENOMEM the index is unchanged.
 */
int il_index_compact(struct il_index *ix);

/*
 * Bulk loading, for a load that ends with il_index_compact as
 * il_index_build does.  Turned on for an empty index, puts only gather
 * each term's postings, and turning it off (or il_index_compact) writes
 * them at once as the compacted index they make: until then the index
 * cannot be searched or saved (IL_EINVAL), and il_index_term_df counts 0.
 * Turned on for an index that has documents, puts stay searchable and
 * only skip the compactions an index that grows by appending makes for
 * itself (at each doubling, and for garbage left by moved blocks); dead
 * ids and ids running out still compact.  Turning it off can fail with
 * IL_ENOMEM or IL_ETOOBIG and the load stays pending: free memory and try
 * again, or close the index.
 */
int il_index_bulk(struct il_index *ix, bool on);

/* Tells the index that region `child` lies in `parent`, so a filter on the
 * parent matches documents of the child (and of its children). */
int il_index_region_parent(struct il_index *ix, const char *child, const char *parent);

enum il_query_op {
	IL_QUERY_OR, /* any term may match; ranked by BM25F */
	IL_QUERY_AND, /* every (non-stop) term must match */
};

struct il_index_query {
	const char *text; /* free text: words, +required, -excluded, "phrases",
			     field:term (title: keywords: body: names:) */
	size_t len;
	enum il_query_op op;
	unsigned kinds; /* bit (1u << kind) per kind; 0 = all kinds */
	const char *region; /* NULL = anywhere */
	const char *link; /* chain link id, NULL = any */
	const char *status; /* NULL = any */
	int32_t date_from, date_to; /* inclusive; INT32_MIN / INT32_MAX = open */
	bool include_hidden;
	/* The day (since 1970-01-01) expiry is judged by: documents whose
	 * `expires` lies before it are left out.  il_index_query_init sets
	 * today (il_time_now, so INNOLINK_NOW moves it). */
	int32_t today;
	bool include_expired; /* keep expired documents (an owner's own view) */
	bool expand; /* glossary expansion of query terms (cross-lingual) */
	size_t k; /* results wanted (top-k) */
};

/* Prepares a query for text with defaults: OR, all kinds, no filters,
 * expired documents left out as of today, expansion on, k = 10. */
void il_index_query_init(struct il_index_query *q, const char *text, size_t len);

/* One matched term of a hit, for explanations. */
struct il_index_term {
	const char *term; /* as indexed */
	enum il_ifield field;
	float score; /* its share of the hit's score */
	bool translated; /* reached through the glossary */
};

struct il_index_hit {
	enum il_kind kind;
	const char *id; /* borrowed from the index, valid until its next write */
	float score;
	const struct il_index_term *terms; /* in the result arena */
	size_t nterms;
};

/* A query keeps its first IL_INDEX_MAX_QUERY_TERMS distinct terms (with
 * their glossary translations); the rest of its text is ignored, as a
 * search engine's clause limit would, but without failing the query. */
#define IL_INDEX_MAX_QUERY_TERMS 1024
/* Longer query text is refused with IL_EINVAL. */
#define IL_INDEX_MAX_QUERY_BYTES (1u << 20)

/*
 * Runs a query: up to q->k hits, best first, into an array allocated from
 * `arena` (*hits; *nhits their number), with the total number of matching
 * documents in *total when not NULL (for OR queries an estimate is allowed:
 * say so in the docs).  IL_EINVAL (a malformed query: the detail says
 * where), IL_ENOMEM.  An empty query, or one of only stop words, matches
 * nothing and is not an error.
 *
 * Hits are ranked by score, ties by document age (older first), and equal
 * what scoring every matching document would give.  *total is exact unless
 * the query is OR-only and pruning skipped documents (then an estimate; see
 * docs/internals/index.md).  Odd input never fails: an unbalanced quote is
 * ignored and the words after it are read as words, a lone + or - is
 * ignored; text that is not UTF-8 or longer than IL_INDEX_MAX_QUERY_BYTES
 * is IL_EINVAL (the detail names the byte offset or the length).  A query
 * of exclusions only matches nothing.  A phrase is always required.
 * Documents without a date fail any date filter.  Term strings of the
 * hits are copied into `arena`.
 */
int il_index_search(const struct il_index *ix, const struct il_index_query *q,
		    struct il_arena *arena, struct il_index_hit **hits, size_t *nhits,
		    size_t *total);

/* The number of live documents holding `term` (an analysed term, as the
 * text module's tokenizers report it: normalised, stemmed), hidden ones
 * included; 0 for a term the index does not hold or a NULL index.  Only
 * reads the index: safe beside searches. */
size_t il_index_term_df(const struct il_index *ix, const char *term, size_t len);
/* BM25's inverse document frequency of a term held by `df` documents, as
 * the index scores it: ln(1 + (N - df + 0.5) / (df + 0.5)) over the N live
 * documents (df is taken as at most N).  Always > 0 for a non-empty index. */
double il_index_idf(const struct il_index *ix, size_t df);

/* Writes a snapshot (a compact encoding; docs/internals/index.md); `seq` is
 * the store change sequence it reflects.  Written to a temporary file and
 * renamed, so a crash leaves the old one.  IL_EIO, IL_ENOMEM, IL_EFORMAT
 * (the index's own arrays are inconsistent). */
int il_index_save(const struct il_index *ix, const char *path, int64_t seq);
/* Reads a snapshot, decoding it into a new index that owns its memory.
 * IL_EIO, IL_EFORMAT (corrupt, truncated, or from another version; the
 * detail names the file and what is wrong), IL_ENOMEM, IL_ETOOBIG. */
int il_index_load(const struct il_text *text, const char *path, struct il_index **out,
		  int64_t *seq);

/* Bytes the index uses: the lengths of its arrays, not the room the
 * allocator reserved for them to grow into (for benchmarks and stats). */
size_t il_index_memory(const struct il_index *ix);

struct il_index_stats {
	size_t docs; /* live documents */
	size_t dead; /* deleted or replaced, not yet compacted away */
	size_t by_kind[IL_KIND__COUNT]; /* live documents per kind */
	size_t hidden; /* live hidden documents */
	size_t terms; /* distinct indexed terms (filter values excluded) */
	size_t postings; /* (term, document) pairs, dead ones included */
	size_t blocks;
	size_t postings_bytes; /* compressed doc ids and frequencies */
	size_t positions_bytes;
	size_t garbage_bytes; /* moved-out space awaiting compaction */
	size_t regions; /* regions known to the region tree */
	double avg_len[IL_IF__COUNT]; /* average field lengths, in tokens */
	size_t memory; /* il_index_memory() */
};

/* Fills *st. */
void il_index_stats(const struct il_index *ix, struct il_index_stats *st);

#endif
