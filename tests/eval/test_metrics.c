/*
 * test_metrics.c - trec_eval's measures on lists worked out by hand, the
 * BEIR and TREC readers, and run files written and read back.
 *
 * Every expected value is derived here from the definitions (the formula
 * is written out next to the check), never taken from the program.
 */
#include "test.h"

#include <innolink/eval.h>
#include <math.h>

#define CHECK_NEAR(a, b)                                                                           \
	do {                                                                                       \
		double il__x = (a), il__y = (b);                                                   \
		il_test_checks++;                                                                  \
		if (fabs(il__x - il__y) > 1e-12) {                                                 \
			il_test_failures++;                                                        \
			printf("# %s:%d: %s == %.15f, expected %.15f\n", __FILE__, __LINE__, #a,   \
			       il__x, il__y);                                                      \
		}                                                                                  \
	} while (0)

/* Judgments must be sorted by docid, as il_eval_set_load leaves them. */
static const struct il_eval_judgment graded_j[] = {
	{"d1", 2}, {"d2", 1}, {"d3", 0}, {"d4", 1}, {"d9", -1},
};
static const struct il_eval_topic graded = {"q1", "text", 4, graded_j, 5, 3};

static void test_graded(void)
{
	/* given out of order: trec_eval ranks d3 (5), d1 (4), d5 (3), d2 (2) */
	struct il_eval_hit hits[] = {{"d1", 4}, {"d2", 2}, {"d3", 5}, {"d5", 3}};
	struct il_eval_measures m;
	IL_CHECK_INT(il_eval_measure(&graded, hits, 4, &m), IL_OK);
	IL_CHECK_STR(hits[0].docid, "d3");
	IL_CHECK_STR(hits[1].docid, "d1");
	IL_CHECK_STR(hits[3].docid, "d2");
	/* DCG: d1 (grade 2) at rank 2, d2 (grade 1) at rank 4; d3 is judged 0
	 * and d5 unjudged, both gain 0.  Ideal: 2, 1, 1 at ranks 1, 2, 3 (d9's
	 * negative grade is no gain). */
	double dcg = 2 / log2(3) + 1 / log2(5);
	double idcg = 2 / log2(2) + 1 / log2(3) + 1 / log2(4);
	CHECK_NEAR(m.ndcg10, dcg / idcg);
	/* 1.692536 / 3.130930, by hand to 6 places */
	IL_CHECK(fabs(m.ndcg10 - 0.540586) < 5e-7);
	CHECK_NEAR(m.recall100, 2.0 / 3.0); /* d1 and d2 of d1, d2, d4 */
	CHECK_NEAR(m.mrr10, 0.5); /* first relevant, d1, at rank 2 */
}

static void test_ties(void)
{
	/* equal scores: trec_eval puts the larger docid first, whatever order
	 * the engine gave */
	static const struct il_eval_judgment j[] = {{"a", 1}};
	static const struct il_eval_topic t = {"q", "x", 1, j, 1, 1};
	struct il_eval_hit hits[] = {{"a", 1.5}, {"b", 1.5}, {"c", 1.5}, {"z", 0.5}};
	struct il_eval_measures m;
	IL_CHECK_INT(il_eval_measure(&t, hits, 4, &m), IL_OK);
	IL_CHECK_STR(hits[0].docid, "c");
	IL_CHECK_STR(hits[1].docid, "b");
	IL_CHECK_STR(hits[2].docid, "a");
	IL_CHECK_STR(hits[3].docid, "z");
	CHECK_NEAR(m.ndcg10, (1 / log2(4)) / 1.0); /* rank 3 over an ideal rank 1 */
	CHECK_NEAR(m.ndcg10, 0.5);
	CHECK_NEAR(m.mrr10, 1.0 / 3.0);
	CHECK_NEAR(m.recall100, 1.0);
	/* the ids compare as strings: "10" < "9" */
	struct il_eval_hit num[] = {{"9", 2}, {"10", 2}};
	il_eval_sort(num, 2);
	IL_CHECK_STR(num[0].docid, "9");
}

static void test_cutoffs(void)
{
	/* 12 relevant documents of grade 1 and one of grade 3; the run finds
	 * the grade-3 one at rank 11 and grade-1 ones at ranks 1 and 101 */
	static struct il_eval_judgment j[13];
	static char names[13][8];
	for (int i = 0; i < 13; i++) {
		snprintf(names[i], sizeof(names[i]), "r%02d", i);
		j[i].docid = names[i];
		j[i].rel = i == 12 ? 3 : 1;
	}
	const struct il_eval_topic t = {"q", "x", 1, j, 13, 13};
	struct il_eval_hit hits[101];
	static char other[101][8];
	for (int i = 0; i < 101; i++) {
		snprintf(other[i], sizeof(other[i]), "n%03d", i);
		hits[i].docid = other[i];
		hits[i].score = 1000 - i;
	}
	hits[0].docid = "r00";
	hits[10].docid = "r12";
	hits[100].docid = "r01";
	struct il_eval_measures m;
	IL_CHECK_INT(il_eval_measure(&t, hits, 101, &m), IL_OK);
	/* DCG@10 sees r00 only; the ideal is 3, then nine 1s at ranks 2..10 */
	double idcg = 3;
	for (int r = 2; r <= 10; r++)
		idcg += 1 / log2(r + 1);
	CHECK_NEAR(m.ndcg10, 1 / idcg);
	/* recall@100: r00 and r12 are in the first 100, r01 at 101 is not */
	CHECK_NEAR(m.recall100, 2.0 / 13.0);
	CHECK_NEAR(m.mrr10, 1.0);
	/* without a cutoff everything counts; with k = 10 the rank-11 hit does not */
	CHECK_NEAR(il_eval_recall(&t, hits, 101, 0), 3.0 / 13.0);
	CHECK_NEAR(il_eval_rr(&t, hits + 1, 100, 10), 1.0 / 10.0); /* r12 now at rank 10 */
	CHECK_NEAR(il_eval_rr(&t, hits + 1, 100, 9), 0.0);
	/* DCG without cutoff: 1 at rank 1, 3 at rank 11, 1 at rank 101 */
	double full_ideal = 3;
	for (int r = 2; r <= 13; r++)
		full_ideal += 1 / log2(r + 1);
	CHECK_NEAR(il_eval_ndcg(&t, hits, 101, 0), (1 + 3 / log2(12) + 1 / log2(102)) / full_ideal);
}

static void test_nothing_relevant(void)
{
	static const struct il_eval_judgment j[] = {{"a", 1}, {"b", 0}};
	static const struct il_eval_topic t = {"q", "x", 1, j, 2, 1};
	struct il_eval_hit hits[] = {{"b", 3}, {"c", 2}};
	struct il_eval_measures m;
	IL_CHECK_INT(il_eval_measure(&t, hits, 2, &m), IL_OK);
	CHECK_NEAR(m.ndcg10, 0);
	CHECK_NEAR(m.recall100, 0);
	CHECK_NEAR(m.mrr10, 0);
	IL_CHECK_INT(il_eval_measure(&t, hits, 0, &m), IL_OK); /* an empty list */
	CHECK_NEAR(m.ndcg10 + m.recall100 + m.mrr10, 0);
	IL_CHECK_INT(il_eval_grade(&t, "a"), 1);
	IL_CHECK_INT(il_eval_grade(&t, "zz"), 0); /* unjudged: not relevant */
	struct il_eval_hit dup[] = {{"a", 3}, {"c", 2}, {"a", 1}};
	IL_CHECK_INT(il_eval_measure(&t, dup, 3, &m), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "'a' is listed twice");
}

static const char *tmp_file(const char *name, const char *body)
{
	static char path[8][512];
	static int next;
	char *p = path[next++ % 8];
	snprintf(p, sizeof(path[0]), "%s/eval-%s", IL_TEST_TMPDIR, name);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(body, f);
		fclose(f);
	}
	return p;
}

static void test_set_load(void)
{
	/* q2 has only a grade-0 judgment and q3 none: both are skipped; q4 is
	 * judged but has no text: it is kept and scores 0 */
	const char *queries =
		tmp_file("queries.jsonl", "\xEF\xBB\xBF{\"_id\": \"q1\", \"text\": \"alpha\"}\n"
					  "\n"
					  "{\"_id\": 2, \"text\": \"beta\", \"metadata\": {}}\n"
					  "{\"_id\": \"q3\", \"text\": \"gamma\"}\n");
	const char *qrels = tmp_file("qrels.tsv", "query-id\tcorpus-id\tscore\n"
						  "q4\td9\t1\n"
						  "q1\td2\t2\n"
						  "2\td1\t0\n"
						  "q1\td1\t1\n"
						  "q1\td1\t1\n");
	struct il_eval_set s;
	IL_CHECK_INT(il_eval_set_load(&s, queries, qrels), IL_OK);
	IL_CHECK_INT(s.nqueries, 3);
	IL_CHECK_INT(s.nqrels, 5);
	IL_CHECK_INT(s.ntopics, 2);
	IL_CHECK_INT(s.nskipped, 2);
	IL_CHECK_INT(s.nmissing, 1);
	if (s.ntopics == 2) {
		IL_CHECK_STR(s.topics[0].id, "q1");
		IL_CHECK_STR(s.topics[0].text, "alpha");
		IL_CHECK_INT(s.topics[0].njudged, 2); /* the identical repeat is dropped */
		IL_CHECK_STR(s.topics[0].judged[0].docid, "d1");
		IL_CHECK_INT(s.topics[0].judged[1].rel, 2);
		IL_CHECK_STR(s.topics[1].id, "q4");
		IL_CHECK(s.topics[1].text == NULL);
	}
	/* a run that finds d2 then d1 for q1 and nothing for q4 */
	struct il_eval_run *r;
	struct il_eval_measures mean;
	IL_CHECK_INT(il_eval_run_open(&r), IL_OK);
	IL_CHECK_INT(il_eval_run_add(r, "q1", "d1", 1.0), IL_OK);
	IL_CHECK_INT(il_eval_run_add(r, "q1", "d2", 2.0), IL_OK);
	IL_CHECK_INT(il_eval_run_add(r, "q3", "d7", 2.0), IL_OK); /* not evaluated */
	IL_CHECK_INT(il_eval_score(&s, r, &mean), IL_OK);
	/* q1 is ideal (grade 2 then 1): ndcg 1, recall 1, rr 1; q4 scores 0 */
	CHECK_NEAR(mean.ndcg10, 0.5);
	CHECK_NEAR(mean.recall100, 0.5);
	CHECK_NEAR(mean.mrr10, 0.5);
	il_eval_run_close(r);
	il_eval_set_release(&s);

	/* TREC's four columns, blank-separated */
	qrels = tmp_file("qrels.trec", "q1 0 d1 1\nq1 0 d5 3\n");
	IL_CHECK_INT(il_eval_set_load(&s, queries, qrels), IL_OK);
	IL_CHECK_INT(s.ntopics, 1);
	if (s.ntopics == 1)
		IL_CHECK_INT(il_eval_grade(&s.topics[0], "d5"), 3);
	il_eval_set_release(&s);

	qrels = tmp_file("qrels-bad.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td1\t2\n");
	IL_CHECK_INT(il_eval_set_load(&s, queries, qrels), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT),
			  "qrels-bad.tsv:3: query 'q1', document 'd1'");
	il_eval_set_release(&s);
	qrels = tmp_file("qrels-bad2.tsv", "q1\td1\t1\nq1\td2\thigh\n");
	IL_CHECK_INT(il_eval_set_load(&s, queries, qrels), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "qrels-bad2.tsv:2: grade 'high'");
	il_eval_set_release(&s);
	qrels = tmp_file("qrels-bad3.tsv", "q1\td1\n");
	IL_CHECK_INT(il_eval_set_load(&s, queries, qrels), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "found 2 columns");
	il_eval_set_release(&s);
	queries = tmp_file("queries-bad.jsonl", "{\"_id\": \"q1\"}\n");
	qrels = tmp_file("qrels-ok.tsv", "q1\td1\t1\n");
	IL_CHECK_INT(il_eval_set_load(&s, queries, qrels), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "queries-bad.jsonl:1: \"text\" is missing");
	il_eval_set_release(&s);
	IL_CHECK_INT(il_eval_set_load(&s, "/nonexistent/q.jsonl", qrels), IL_EIO);
	il_eval_set_release(&s);
}

struct seen {
	int n;
	char ids[4][16];
	size_t title_len[4];
};

static int collect(const struct il_eval_doc *d, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 4) {
		snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s", d->id);
		s->title_len[s->n] = d->title_len;
	}
	s->n++;
	return IL_OK;
}

static void test_corpus(void)
{
	const char *corpus =
		tmp_file("corpus.jsonl", "{\"_id\": \"a\", \"title\": \"T\", \"text\": \"x\", "
					 "\"metadata\": {\"url\": \"u\"}}\n"
					 "{\"_id\": 17, \"text\": \"no title\"}\n"
					 "{\"_id\": \"c\", \"title\": null, \"text\": \"\"}\n");
	struct seen s;
	size_t n = 0;
	memset(&s, 0, sizeof(s));
	IL_CHECK_INT(il_eval_corpus_each(corpus, collect, &s, &n), IL_OK);
	IL_CHECK_INT(n, 3);
	IL_CHECK_STR(s.ids[0], "a");
	IL_CHECK_STR(s.ids[1], "17");
	IL_CHECK_INT(s.title_len[0], 1);
	IL_CHECK_INT(s.title_len[1], 0);
	corpus = tmp_file("corpus-bad.jsonl", "{\"_id\": \"a\"}\n{\"_id\": [1]}\n");
	IL_CHECK_INT(il_eval_corpus_each(corpus, collect, &s, &n), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT),
			  "corpus-bad.jsonl:2: \"_id\" must be a string");
	IL_CHECK_INT(n, 1);
	corpus = tmp_file("corpus-bad2.jsonl", "{\"_id\": \"a\"\n");
	IL_CHECK_INT(il_eval_corpus_each(corpus, collect, &s, &n), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "corpus-bad2.jsonl:1:");
}

static void test_run_files(void)
{
	struct il_eval_run *r, *back;
	const struct il_eval_hit *h;
	size_t n;
	char path[512];
	snprintf(path, sizeof(path), "%s/eval-run.txt", IL_TEST_TMPDIR);
	IL_CHECK_INT(il_eval_run_open(&r), IL_OK);
	/* a float score, a double one, and a tie */
	IL_CHECK_INT(il_eval_run_add(r, "q2", "d1", (double)1.1f), IL_OK);
	IL_CHECK_INT(il_eval_run_add(r, "q2", "d2", 0.1), IL_OK);
	IL_CHECK_INT(il_eval_run_add(r, "q2", "d3", 0.1), IL_OK);
	IL_CHECK_INT(il_eval_run_add(r, "q1", "x", 7), IL_OK);
	IL_CHECK_INT(il_eval_run_write(r, path, "innolink"), IL_OK);
	IL_CHECK_INT(il_eval_run_read(path, &back), IL_OK);
	IL_CHECK_INT(il_eval_run_queries(back), 2);
	il_eval_run_hits(back, "q2", &h, &n);
	IL_CHECK_INT(n, 3);
	if (n == 3) {
		IL_CHECK_STR(h[0].docid, "d1");
		IL_CHECK(h[0].score == (double)1.1f); /* exactly, not nearly */
		IL_CHECK_STR(h[1].docid, "d3"); /* the tie: larger docid first */
		IL_CHECK(h[2].score == 0.1);
	}
	il_eval_run_hits(back, "nope", &h, &n);
	IL_CHECK_INT(n, 0);
	il_eval_run_close(back);
	il_eval_run_close(r);
	FILE *f = fopen(path, "r");
	char line[256] = "";
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	/* 1.1f is 1.10000002384185791015625: 16 digits tell that double apart */
	IL_CHECK_STR(line, "q2 Q0 d1 1 1.100000023841858 innolink\n");
	const char *bad = tmp_file("run-bad.txt", "q1 Q0 d1 1 0.5 t\nq1 Q0 d2 2 high t\n");
	IL_CHECK_INT(il_eval_run_read(bad, &back), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "run-bad.txt:2: score 'high'");
	IL_CHECK(back == NULL);
}

int main(void)
{
	IL_RUN(test_graded);
	IL_RUN(test_ties);
	IL_RUN(test_cutoffs);
	IL_RUN(test_nothing_relevant);
	IL_RUN(test_set_load);
	IL_RUN(test_corpus);
	IL_RUN(test_run_files);
	IL_DONE();
}
