/*
 * bench_quality.c - retrieval quality of innolink beside SQLite FTS5 and
 * Xapian on one BEIR data set (SciFact in bench/engine/run.sh), in one
 * table, every run scored by the same code (innolink/eval.h: trec_eval's
 * ndcg_cut.10, recall.100 and recip_rank cut at 10).
 *
 *   innolink  the in-memory index at its default parameters (BM25F,
 *             k1 1.2, b 0.75, title weight 3), OR query, no glossary
 *             expansion: exactly `innolink eval`;
 *   FTS5      fts5(id UNINDEXED, title, text, tokenize='porter'); the
 *             query is the claim's words, each quoted, joined with OR,
 *             ranked by bm25() (the setting data/README.md reports);
 *   Xapian    a run file written by xapian_eval (BM25Weight defaults,
 *             English stemmer), given with --xapian-run.
 *
 * usage: bench_quality DATASET_DIR [--xapian-run FILE] [--datadir DIR]
 * DATASET_DIR holds corpus.jsonl, queries.jsonl and qrels.tsv.
 */
#include <innolink/eval.h>
#include <innolink/index.h>
#include <innolink/text.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, int rc)
{
	fprintf(stderr, "bench_quality: %s: %s\n", what, il_error_detail(rc));
	return 1;
}

struct row {
	const char *engine;
	struct il_eval_measures m;
	double build_s, query_ms;
	bool have;
};

static void print_row(const struct row *r)
{
	if (!r->have) {
		printf("%-44s %8s %11s %8s\n", r->engine, "-", "-", "-");
		return;
	}
	printf("%-44s %8.4f %11.4f %8.4f", r->engine, r->m.ndcg10, r->m.recall100, r->m.mrr10);
	if (r->build_s > 0)
		printf("   (index %.2f s, %.2f ms/query)", r->build_s, r->query_ms);
	printf("\n");
}

static int run_innolink(const char *dir, const char *datadir, const struct il_eval_set *set,
			struct row *out)
{
	char corpus[4096];
	struct il_text *text = NULL;
	struct il_index *ix = NULL;
	struct il_eval_run *run = NULL;
	struct il_eval_opts o;
	int rc;
	snprintf(corpus, sizeof(corpus), "%s/corpus.jsonl", dir);
	il_eval_opts_init(&o);
	double t0 = now();
	if ((rc = il_text_open(datadir, IL_TEXT_NO_GLOSSARY, &text)) ||
	    (rc = il_index_open(text, NULL, &ix)) ||
	    (rc = il_eval_index_corpus(ix, corpus, NULL)) || (rc = il_eval_run_open(&run)))
		goto done;
	double t1 = now();
	if ((rc = il_eval_search(ix, set, &o, run)))
		goto done;
	double t2 = now();
	if ((rc = il_eval_score(set, run, &out->m)))
		goto done;
	out->build_s = t1 - t0;
	out->query_ms = set->ntopics ? (t2 - t1) * 1e3 / (double)set->ntopics : 0;
	out->have = true;
done:
	il_eval_run_close(run);
	il_index_close(ix);
	il_text_close(text);
	return rc;
}

static int fts_put(const struct il_eval_doc *d, void *ctx)
{
	sqlite3_stmt *ins = ctx;
	sqlite3_bind_text(ins, 1, d->id, (int)d->id_len, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, d->title, (int)d->title_len, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, d->text, (int)d->text_len, SQLITE_STATIC);
	int rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	return rc == SQLITE_DONE ? IL_OK : il_error_set(IL_ESTORE, "%s: insert failed", d->where);
}

/* The words of text ("\w+": ASCII letters and digits, and any non-ASCII
 * byte), each quoted, joined with OR: a bag-of-words query that FTS5's
 * query syntax cannot misread. */
static void or_of_words(const char *text, struct il_buf *q)
{
	const unsigned char *p = (const unsigned char *)text;
	il_buf_reset(q);
	while (*p) {
		size_t n = 0;
		while (p[n] && (p[n] >= 0x80 || (p[n] >= '0' && p[n] <= '9') ||
				((p[n] | 0x20) >= 'a' && (p[n] | 0x20) <= 'z')))
			n++;
		if (n) {
			il_buf_adds(q, q->len ? " OR \"" : "\"");
			il_buf_add(q, p, n);
			il_buf_addc(q, '"');
			p += n;
		} else {
			p++;
		}
	}
}

static int run_fts5(const char *dir, const struct il_eval_set *set, struct row *out)
{
	char corpus[4096];
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *sel = NULL;
	struct il_eval_run *run = NULL;
	struct il_buf q = IL_BUF_INIT;
	int rc = IL_ESTORE;
	snprintf(corpus, sizeof(corpus), "%s/corpus.jsonl", dir);
	double t0 = now();
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, text, "
			 "tokenize='porter'); BEGIN",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, ?3)", -1, &ins, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT id, bm25(t) FROM t WHERE t MATCH ?1 ORDER BY bm25(t) "
			       "LIMIT 1000",
			       -1, &sel, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_quality: sqlite: %s\n", sqlite3_errmsg(db));
		goto done;
	}
	if ((rc = il_eval_corpus_each(corpus, fts_put, ins, NULL)) != IL_OK ||
	    (rc = il_eval_run_open(&run)) != IL_OK)
		goto done;
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	double t1 = now();
	for (size_t i = 0; i < set->ntopics; i++) {
		const struct il_eval_topic *t = &set->topics[i];
		if (!t->text)
			continue;
		or_of_words(t->text, &q);
		if (!q.len)
			continue;
		sqlite3_bind_text(sel, 1, il_buf_cstr(&q), (int)q.len, SQLITE_STATIC);
		while ((rc = sqlite3_step(sel)) == SQLITE_ROW)
			/* bm25() is negative, better matches lower: negate for a score */
			if ((rc = il_eval_run_add(run, t->id,
						  (const char *)sqlite3_column_text(sel, 0),
						  -sqlite3_column_double(sel, 1))) != IL_OK)
				goto done;
		sqlite3_reset(sel);
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "bench_quality: fts5 query %s: %s\n", t->id,
				sqlite3_errmsg(db));
			rc = IL_ESTORE;
			goto done;
		}
	}
	double t2 = now();
	if ((rc = il_eval_score(set, run, &out->m)) != IL_OK)
		goto done;
	out->build_s = t1 - t0;
	out->query_ms = set->ntopics ? (t2 - t1) * 1e3 / (double)set->ntopics : 0;
	out->have = true;
done:
	il_buf_release(&q);
	il_eval_run_close(run);
	sqlite3_finalize(ins);
	sqlite3_finalize(sel);
	sqlite3_close(db);
	return rc;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *xrun = NULL, *datadir = NULL;
	char queries[4096], qrels[4096];
	struct il_eval_set set;
	struct row rows[3] = {
		{"innolink (BM25F, default parameters)", {0, 0, 0}, 0, 0, false},
		{"SQLite FTS5 (porter, bm25(), OR of words)", {0, 0, 0}, 0, 0, false},
		{"Xapian (BM25Weight, English stemmer, OR)", {0, 0, 0}, 0, 0, false},
	};
	int rc;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--xapian-run") == 0 && i + 1 < argc)
			xrun = argv[++i];
		else if (strcmp(argv[i], "--datadir") == 0 && i + 1 < argc)
			datadir = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else {
			fprintf(stderr, "usage: bench_quality DATASET_DIR [--xapian-run FILE] "
					"[--datadir DIR]\n");
			return 2;
		}
	}
	if (!dir) {
		fprintf(stderr,
			"usage: bench_quality DATASET_DIR [--xapian-run FILE] [--datadir DIR]\n");
		return 2;
	}
	snprintf(queries, sizeof(queries), "%s/queries.jsonl", dir);
	snprintf(qrels, sizeof(qrels), "%s/qrels.tsv", dir);
	if ((rc = il_eval_set_load(&set, queries, qrels)) != IL_OK) {
		il_eval_set_release(&set);
		return die("loading the data set", rc);
	}
	if ((rc = run_innolink(dir, datadir, &set, &rows[0])) != IL_OK)
		fprintf(stderr, "bench_quality: innolink: %s\n", il_error_detail(rc));
	if ((rc = run_fts5(dir, &set, &rows[1])) != IL_OK)
		fprintf(stderr, "bench_quality: fts5: %s\n", il_error_detail(rc));
	if (xrun) {
		struct il_eval_run *r;
		if ((rc = il_eval_run_read(xrun, &r)) == IL_OK &&
		    (rc = il_eval_score(&set, r, &rows[2].m)) == IL_OK)
			rows[2].have = true;
		else
			fprintf(stderr, "bench_quality: xapian run: %s\n", il_error_detail(rc));
		il_eval_run_close(r);
	}
	printf("%s: %zu queries with relevant documents (%zu skipped), %zu judgments\n", dir,
	       set.ntopics, set.nskipped, set.nqrels);
	printf("%-44s %8s %11s %8s\n", "engine", "ndcg@10", "recall@100", "mrr@10");
	for (int i = 0; i < 3; i++)
		print_row(&rows[i]);
	if (rows[1].have) {
		/* the harness check: data/README.md's reference figures for FTS5 */
		bool same = (int)(rows[1].m.ndcg10 * 1000 + 0.5) == 838 &&
			    (int)(rows[1].m.recall100 * 1000 + 0.5) == 975;
		if (strstr(dir, "scifact"))
			printf("FTS5 reference on SciFact (shared/data/README.md): ndcg@10 0.838, "
			       "recall@100 0.975 -> %s\n",
			       same ? "reproduced" : "NOT reproduced: check the harness");
	}
	il_eval_set_release(&set);
	return rows[0].have && rows[1].have ? 0 : 1;
}
