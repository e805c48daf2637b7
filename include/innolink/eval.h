/*
 * innolink/eval.h - retrieval quality: BEIR data sets, TREC run files and
 * the measures trec_eval computes, shared by `innolink eval`, the engine
 * benchmarks and the tests.
 *
 * A BEIR data set is three files:
 *   corpus.jsonl   one {"_id", "title", "text"} object per line (other keys,
 *                  nested "metadata" objects included, are ignored);
 *   queries.jsonl  one {"_id", "text"} object per line;
 *   qrels          "query-id<TAB>corpus-id<TAB>score" lines after a header
 *                  line, or TREC's four-column "qid 0 docid rel".
 * A run is, per query, a list of (docid, score); on disk it is TREC's
 * "qid Q0 docid rank score tag".
 *
 * The measures are those of trec_eval 9.0 (whose ndcg_cut discounts every
 * rank, the first included, by log2(rank + 1)), so numbers printed here and
 * by trec_eval on the same run file agree:
 *   - ranking: hits are ordered by score, highest first, equal scores by
 *     document id in DESCENDING strcmp() order; the rank column of a run
 *     file is ignored, as trec_eval ignores it;
 *   - ndcg@k (ndcg_cut.k): DCG = sum over ranks r <= k of rel(r) / log2(r + 1)
 *     with the relevance grade as gain (grades <= 0 add nothing); the ideal
 *     DCG puts every judged document of grade > 0 in grade order; ndcg =
 *     DCG / ideal DCG;
 *   - recall@k (recall.k): relevant documents (grade > 0) in the first k,
 *     divided by all relevant documents judged for the query;
 *   - mrr@k: 1 / rank of the first relevant document in the first k, 0 if
 *     none (trec_eval's recip_rank on the run cut at k).
 * Which queries count: those with at least one judged document of grade
 * > 0.  Queries without one are skipped, as BEIR does (trec_eval would
 * count them with 0); a query that has relevant documents but no hits in
 * the run counts with 0 (trec_eval -c).  Means are over the counted
 * queries.
 *
 * Depends on: base, text, index (il_eval_index_corpus, il_eval_search).
 */
#ifndef INNOLINK_EVAL_H
#define INNOLINK_EVAL_H

#include "base.h"
#include "index.h"

/* Hard limit on one line of a corpus, queries, qrels or run file. */
#define IL_EVAL_MAX_LINE (8u << 20)

/* One judged document of a query. */
struct il_eval_judgment {
	const char *docid;
	int rel; /* relevance grade; > 0 means relevant */
};

/* A query to evaluate, with its judgments. */
struct il_eval_topic {
	const char *id;
	const char *text; /* NULL when the queries file lacks this id: it scores 0 */
	size_t text_len;
	const struct il_eval_judgment *judged; /* sorted by docid (strcmp) */
	size_t njudged;
	size_t nrel; /* judgments with rel > 0; at least 1 */
};

/* The queries and judgments of a data set.  Every string is owned by the
 * set's arena and lives until il_eval_set_release(). */
struct il_eval_set {
	struct il_eval_topic *topics; /* queries-file order, then any judged ids
					 the queries file lacks, in qrels order */
	size_t ntopics;
	size_t nqueries; /* queries read from the queries file */
	size_t nqrels; /* judgment lines read */
	size_t nskipped; /* queries without a relevant judgment: not evaluated */
	size_t nmissing; /* topics without query text (see text above) */
	struct il_arena arena;
};

/*
 * Reads a queries file and a qrels file into *s (initialised by the call;
 * release it with il_eval_set_release() whatever this returns).  Qrels:
 * columns are split on tabs when the line has any, else on runs of blanks;
 * three columns are BEIR's (query, doc, grade), four TREC's (query,
 * iteration, doc, grade); a first line whose grade is not an integer is a
 * header.  The same (query, doc) twice with different grades is an error
 * (trec_eval refuses any repeat; an identical repeat is harmless and is
 * accepted).  Returns IL_EIO (cannot read), IL_EFORMAT (bad JSON, missing
 * "_id" or "text", a qrels line of another shape, a grade that is not an
 * integer, a conflicting repeat; the detail names file and line),
 * IL_ETOOBIG (a line over IL_EVAL_MAX_LINE), IL_ENOMEM.
 */
int il_eval_set_load(struct il_eval_set *s, const char *queries_path, const char *qrels_path);
void il_eval_set_release(struct il_eval_set *s);

/* One corpus document; everything is borrowed for the callback. */
struct il_eval_doc {
	const char *id, *title, *text; /* NUL-terminated; title and text may be "" */
	size_t id_len, title_len, text_len;
	const char *where; /* "corpus.jsonl:12" */
};

/* Called for each document; a non-zero return stops the walk and is returned. */
typedef int (*il_eval_doc_fn)(const struct il_eval_doc *doc, void *ctx);

/*
 * Streams a corpus file without holding it in memory: fn gets each
 * document in file order.  "_id" may be a string or an integer; "title" and
 * "text" may be missing or null (then "").  *ndocs (may be NULL) gets the
 * number of documents passed to fn.  IL_EIO, IL_EFORMAT, IL_ETOOBIG,
 * IL_ENOMEM as for il_eval_set_load, or what fn returned.
 */
int il_eval_corpus_each(const char *path, il_eval_doc_fn fn, void *ctx, size_t *ndocs);

/* One retrieved document. */
struct il_eval_hit {
	const char *docid;
	double score;
};

/* Sorts hits into trec_eval's order (see above). */
void il_eval_sort(struct il_eval_hit *hits, size_t n);

/* The grade of docid for a topic; 0 when it is not judged. */
int il_eval_grade(const struct il_eval_topic *t, const char *docid);

/* The measures of one ranked list, hits already in trec_eval's order
 * (il_eval_sort).  k == 0 means no cutoff. */
double il_eval_ndcg(const struct il_eval_topic *t, const struct il_eval_hit *hits, size_t n,
		    size_t k);
double il_eval_recall(const struct il_eval_topic *t, const struct il_eval_hit *hits, size_t n,
		      size_t k);
double il_eval_rr(const struct il_eval_topic *t, const struct il_eval_hit *hits, size_t n,
		  size_t k);

/* The measures `innolink eval` reports: of one query, or their means. */
struct il_eval_measures {
	double ndcg10;
	double recall100;
	double mrr10;
};

/*
 * Sorts hits (in place) and measures them for one topic.  IL_EINVAL when
 * a document appears twice (trec_eval refuses such a run: the detail
 * names the query and the document).
 */
int il_eval_measure(const struct il_eval_topic *t, struct il_eval_hit *hits, size_t n,
		    struct il_eval_measures *out);

/* A run: ranked hits grouped by query id.  Strings added are copied. */
struct il_eval_run;

/* An empty run.  IL_ENOMEM.  Close with il_eval_run_close(). */
int il_eval_run_open(struct il_eval_run **out);
void il_eval_run_close(struct il_eval_run *r);
/* Adds one hit for a query.  IL_ENOMEM. */
int il_eval_run_add(struct il_eval_run *r, const char *qid, const char *docid, double score);
/*
 * Reads a TREC run file ("qid Q0 docid rank score [tag]", blank-separated)
 * into a new run.  IL_EIO, IL_EFORMAT (wrong number of columns, a score
 * that is not a number: the detail names file and line), IL_ETOOBIG,
 * IL_ENOMEM.
 */
int il_eval_run_read(const char *path, struct il_eval_run **out);
/* Number of queries with at least one hit. */
size_t il_eval_run_queries(const struct il_eval_run *r);
/* The hits of a query in trec_eval's order (sorted on first use), or none
 * (*n = 0).  Borrowed, valid until the next change to the run. */
void il_eval_run_hits(struct il_eval_run *r, const char *qid, const struct il_eval_hit **hits,
		      size_t *n);
/*
 * Writes the run in TREC form, queries in the order they were first added,
 * each query's hits in trec_eval's order ranked from 1, scores printed so
 * that reading them back gives the same doubles.  `tag` names the run
 * (e.g. "innolink").  IL_EIO (the detail names the path), IL_ENOMEM.
 */
int il_eval_run_write(struct il_eval_run *r, const char *path, const char *tag);

/*
 * Measures a run against a set: the means over the set's topics into
 * *mean (zeros when there is no topic).  IL_EINVAL as for
 * il_eval_measure.
 */
int il_eval_score(const struct il_eval_set *s, struct il_eval_run *r,
		  struct il_eval_measures *mean);

/* How il_eval_search queries the index. */
struct il_eval_opts {
	enum il_query_op op; /* default IL_QUERY_OR */
	bool expand; /* glossary expansion; default false */
	size_t k; /* hits per query; default 1000 (enough for recall@100 and a run) */
};

void il_eval_opts_init(struct il_eval_opts *o);

/*
 * Adds every document of a BEIR corpus to an index: "_id" is the id, kind
 * IL_KIND_ACHIEVEMENT, "title" goes to IL_IF_TITLE and "text" to
 * IL_IF_BODY.  *ndocs (may be NULL) gets the count.  The corpus reader's
 * errors, or the index's (IL_EENCODING, IL_ENOMEM) prefixed with where
 * the document is.
 */
int il_eval_index_corpus(struct il_index *ix, const char *corpus_path, size_t *ndocs);

/*
 * Runs the text of every topic of the set that has one as a query and adds
 * the hits to `run` under the topic's id.  IL_EINVAL (a query the index
 * refuses: the detail names the query id), IL_ENOMEM.
 */
int il_eval_search(const struct il_index *ix, const struct il_eval_set *s,
		   const struct il_eval_opts *o, struct il_eval_run *run);

#endif
