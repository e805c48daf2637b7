/*
 * test_index.c - the index on a tiny corpus whose BM25F scores are worked
 * out by hand; field, required, excluded and phrase queries; odd query
 * text; glossary weights; filters (kind, region tree, link, status, date,
 * hidden); updates and deletes; records mapped to documents; and the
 * allocation-failure loop over put and search.
 */
#include "index/index_test.h"

#include <time.h>

/*
 * The corpus (title | body), with the test tokenizer and the defaults
 * k1 = 1.2, b = 0.75, weights title 3, keywords 2, body 1, names 1:
 *   A  pump plunger | wear coating pump              title 2, body 3
 *   B  coating      | ceramic coating for pump       title 1, body 3 ("for" is a stop word)
 *   C  drill bit    | drill bit for hard rock        title 2, body 4
 * avg title = 5/3, avg body = 10/3, N = 3.
 */
static struct il_index *corpus(void)
{
	struct il_index *ix = tt_open();
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "A", "pump plunger", NULL, "wear coating pump",
			    NULL),
		     IL_OK);
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "B", "coating", NULL,
			    "ceramic coating for pump", NULL),
		     IL_OK);
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "C", "drill bit", NULL,
			    "drill bit for hard rock", NULL),
		     IL_OK);
	return ix;
}

/* BM25F by hand: norm = 1 - b + b * len / avg; tf~ = sum w * tf / norm;
 * score = idf * tf~ / (k1 + tf~); idf = ln(1 + (N - df + .5) / (df + .5)). */
static double norm(double len, double avg)
{
	return 1.0 - 0.75 + 0.75 * len / avg;
}

static double sat(double tfn)
{
	return tfn / (1.2 + tfn);
}

static void test_bm25f_by_hand(void)
{
	struct il_index *ix = corpus();
	struct il_index_query q;
	struct il_arena a;
	struct il_index_hit *hits;
	size_t n, total;
	double at = 5.0 / 3.0, ab = 10.0 / 3.0;
	double idf2 = log(1.0 + (3.0 - 2.0 + 0.5) / (2.0 + 0.5)); /* ln 1.6 = 0.4700036 */
	double idf1 = log(1.0 + (3.0 - 1.0 + 0.5) / (1.0 + 0.5)); /* ln(8/3) = 0.9808293 */
	/* "pump": A has it in title (len 2) and body (len 3), B in body (len 3) */
	/* A: 0.4700036 * 3.6897768 / 4.8897768 = 0.3546595 (norms 1.15, 0.925) */
	double a_pump = idf2 * sat(3.0 / norm(2, at) + 1.0 / norm(3, ab));
	/* B: 0.4700036 * 1.0810811 / 2.2810811 = 0.2227508 */
	double b_pump = idf2 * sat(1.0 / norm(3, ab));
	il_arena_init(&a, 0, 0);

	IL_CHECK_INT(il_index_size(ix), 3);
	il_index_query_init(&q, "pump", 4);
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_OK);
	IL_CHECK_INT(n, 2);
	IL_CHECK_INT(total, 2);
	if (n == 2) {
		IL_CHECK_STR(hits[0].id, "A");
		IL_CHECK_STR(hits[1].id, "B");
		IL_CHECK_INT(hits[0].kind, IL_KIND_ACHIEVEMENT);
		IL_CHECK_NEAR(hits[0].score, a_pump, 1e-6);
		IL_CHECK_NEAR(hits[0].score, 0.3546595, 1e-6);
		IL_CHECK_NEAR(hits[1].score, 0.2227508, 1e-6);
		IL_CHECK_NEAR(hits[1].score, b_pump, 1e-6);
		/* the explanation splits A's score between its two fields */
		IL_CHECK_INT(hits[0].nterms, 2);
		if (hits[0].nterms == 2) {
			IL_CHECK_STR(hits[0].terms[0].term, "pump");
			IL_CHECK_INT(hits[0].terms[0].field, IL_IF_TITLE);
			IL_CHECK_INT(hits[0].terms[1].field, IL_IF_BODY);
			IL_CHECK_NEAR(hits[0].terms[0].score + hits[0].terms[1].score, a_pump,
				      1e-6);
			IL_CHECK(!hits[0].terms[0].translated);
		}
	}

	/* two terms: C matches only "drill" (title 1, body 1), A only "pump" */
	double c_drill = idf1 * sat(3.0 / norm(2, at) + 1.0 / norm(4, ab));
	il_index_query_init(&q, "pump drill", 10);
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_OK);
	IL_CHECK_INT(n, 3);
	if (n == 3) {
		IL_CHECK_STR(hits[0].id, "C");
		IL_CHECK_NEAR(hits[0].score, c_drill, 1e-6);
		IL_CHECK_STR(hits[1].id, "A");
		IL_CHECK_NEAR(hits[1].score, a_pump, 1e-6);
	}

	/* title:coating keeps only the title share of tf~: B has it there */
	double b_title = idf2 * sat(3.0 / norm(1, at));
	il_index_query_init(&q, "title:coating", 13);
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, NULL), IL_OK);
	IL_CHECK_INT(n, 1);
	if (n == 1) {
		IL_CHECK_STR(hits[0].id, "B");
		IL_CHECK_NEAR(hits[0].score, b_title, 1e-6);
		IL_CHECK_INT(hits[0].nterms, 1);
		IL_CHECK_INT(hits[0].terms[0].field, IL_IF_TITLE);
	}

	/* k limits the hits, not the total */
	il_index_query_init(&q, "pump drill", 10);
	q.k = 1;
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_OK);
	IL_CHECK_INT(n, 1);
	IL_CHECK(total >= 1);
	il_arena_release(&a);
	il_index_close(ix);
}

/* The score of the only hit of `text` whose id is `id`, or -1. */
static double score_of(const struct il_index *ix, const char *text, const char *id)
{
	struct il_index_query q;
	struct il_arena a;
	struct il_index_hit *hits;
	size_t n;
	double s = -1.0;
	il_arena_init(&a, 0, 0);
	il_index_query_init(&q, text, strlen(text));
	if (il_index_search(ix, &q, &a, &hits, &n, NULL) == IL_OK)
		for (size_t i = 0; i < n; i++)
			if (strcmp(hits[i].id, id) == 0)
				s = hits[i].score;
	il_arena_release(&a);
	return s;
}

/* The posting forms (one header byte for one field and tf <= 32, a field
 * mask and varints otherwise), forward lists taking a deleted document out
 * of df, and a snapshot answering and sizing as the index it was saved from. */
static void test_posting_forms(void)
{
	struct il_index *ix = tt_open(), *back = NULL;
	char p32[32 * 5 + 1] = "", p33[33 * 5 + 1] = "";
	for (int i = 0; i < 33; i++) {
		if (i < 32)
			strcat(p32, "pump ");
		strcat(p33, "pump ");
	}
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "P32", NULL, NULL, p32, NULL), IL_OK);
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "P33", NULL, NULL, p33, NULL), IL_OK);
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "PT", "pump", NULL, "pump", NULL), IL_OK);
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "X", NULL, NULL, "other words here", NULL),
		     IL_OK);
	/* N 4, df 3; title average 1/4, body (32 + 33 + 1 + 3) / 4 */
	double at = 0.25, ab = 69.0 / 4.0, idf = log(1.0 + (4.0 - 3.0 + 0.5) / (3.0 + 0.5));
	IL_CHECK_NEAR(score_of(ix, "pump", "P32"), idf * sat(32.0 / norm(32, ab)), 1e-6);
	IL_CHECK_NEAR(score_of(ix, "pump", "P33"), idf * sat(33.0 / norm(33, ab)), 1e-6);
	IL_CHECK_NEAR(score_of(ix, "pump", "PT"), idf * sat(3.0 / norm(1, at) + 1.0 / norm(1, ab)),
		      1e-6);

	/* the delete leaves df 2 of N 3 before any compaction */
	IL_CHECK_INT(il_index_delete(ix, IL_KIND_ACHIEVEMENT, "P33"), IL_OK);
	ab = 36.0 / 3.0;
	at = 1.0 / 3.0;
	idf = log(1.0 + (3.0 - 2.0 + 0.5) / (2.0 + 0.5));
	double want = idf * sat(32.0 / norm(32, ab));
	IL_CHECK_NEAR(score_of(ix, "pump", "P32"), want, 1e-6);
	IL_CHECK_NEAR(score_of(ix, "words", "X"),
		      log(1.0 + (3.0 - 1.0 + 0.5) / 1.5) * sat(1.0 / norm(3, ab)), 1e-6);
	IL_CHECK_INT(il_index_compact(ix), IL_OK);
	IL_CHECK_NEAR(score_of(ix, "pump", "P32"), want, 1e-6);

	IL_CHECK_INT(il_index_save(ix, IL_TEST_TMPDIR "/forms.idx", 7), IL_OK);
	IL_CHECK_INT(il_index_load(NULL, IL_TEST_TMPDIR "/forms.idx", &back, NULL), IL_OK);
	if (back) {
		il__index_set_tokenizer(back, tt_doc, tt_query, NULL);
		IL_CHECK_NEAR(score_of(back, "pump", "PT"), score_of(ix, "pump", "PT"), 0.0);
		IL_CHECK_NEAR(score_of(back, "pump", "P32"), want, 1e-6);
		/* bytes used, not reserved: the loaded copy holds what was saved */
		IL_CHECK_INT(il_index_memory(back), il_index_memory(ix));
		il_index_close(back);
	}
	il_index_close(ix);
}

static void test_operators(void)
{
	struct il_index *ix = corpus();
	struct il_index_query q;
	char buf[256];
	size_t total;

	IL_CHECK_STR(tt_ids(ix, "pump -ceramic"), "A");
	/* B's coating in its short title outweighs A's pump in title and body */
	IL_CHECK_STR(tt_ids(ix, "+pump coating"), "B A");
	IL_CHECK_STR(tt_ids(ix, "+pump plunger"), "A B");
	IL_CHECK_STR(tt_ids(ix, "+coating +plunger"), "A");
	IL_CHECK_STR(tt_ids(ix, "-pump"), ""); /* exclusions alone match nothing */
	IL_CHECK_STR(tt_ids(ix, "pump -title:pump"), "B");
	IL_CHECK_STR(tt_ids(ix, "body:pump"), "A B");
	IL_CHECK_STR(tt_ids(ix, "names:pump"), "");
	/* phrases: "coating pump" is adjacent in A's body only; in B a stop
	 * word sits between them, which "coating for pump" asks for */
	IL_CHECK_STR(tt_ids(ix, "\"coating pump\""), "A");
	IL_CHECK_STR(tt_ids(ix, "\"coating for pump\""), "B");
	IL_CHECK_STR(tt_ids(ix, "“coating pump”"), "A");
	IL_CHECK_STR(tt_ids(ix, "\"pump coating\""), "");
	IL_CHECK_STR(tt_ids(ix, "\"plunger wear\""), ""); /* never across fields */
	IL_CHECK_STR(tt_ids(ix, "pump -\"coating for pump\""), "A");
	IL_CHECK_STR(tt_ids(ix, "title:\"drill bit\""), "C");
	IL_CHECK_STR(tt_ids(ix, "body:\"bit hard\""), ""); /* "for" lies between */
	IL_CHECK_STR(tt_ids(ix, "\"drill zzz\""), ""); /* unknown word in a phrase */
	IL_CHECK_STR(tt_ids(ix, "pump -zzz"), "A B");
	IL_CHECK_STR(tt_ids(ix, "+zzz pump"), "");
	IL_CHECK_STR(tt_ids(ix, "TITLE:Coating"), "B");
	IL_CHECK_STR(tt_ids(ix, "pump －ceramic"), "A"); /* full-width minus */

	/* AND: every non-stop word; stop words never block a match */
	il_index_query_init(&q, "pump drill", 10);
	q.op = IL_QUERY_AND;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "");
	IL_CHECK_INT(total, 0);
	il_index_query_init(&q, "drill for the rock", 18);
	q.op = IL_QUERY_AND;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "C");
	IL_CHECK_INT(total, 1);
	il_index_query_init(&q, "coating pump", 12);
	q.op = IL_QUERY_AND;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "B A");
	IL_CHECK_INT(total, 2);
	il_index_close(ix);
}

static void test_odd_queries(void)
{
	struct il_index *ix = corpus();
	struct il_index_query q;
	struct il_arena a;
	struct il_index_hit *hits = NULL;
	size_t n = 7, total = 7;
	il_arena_init(&a, 0, 0);

	/* empty, blank, stop words only, punctuation: no hits, no error */
	const char *nothing[] = {"",     "   ",    "the of for", "-",       "+",       "- + -",
				 "\"\"", "title:", "!!! ???",    "\"the\"", "-\"the\""};
	for (size_t i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++) {
		il_index_query_init(&q, nothing[i], strlen(nothing[i]));
		IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_OK);
		IL_CHECK_INT(n, 0);
		IL_CHECK_INT(total, 0);
	}
	il_index_query_init(&q, NULL, 0);
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_OK);
	IL_CHECK_INT(n, 0);

	/* an unbalanced quote is ignored: the words are still searched */
	IL_CHECK_STR(tt_ids(ix, "\"pump plunger"), "A B");
	IL_CHECK_STR(tt_ids(ix, "pump \"ceramic"), "B A");
	IL_CHECK_STR(tt_ids(ix, "-\"ceramic pump"), "A"); /* = -ceramic pump */
	/* a lone sign, a sign before a space */
	IL_CHECK_STR(tt_ids(ix, "- pump"), "A B");
	IL_CHECK_STR(tt_ids(ix, "pump -"), "A B");

	/* invalid UTF-8: IL_EINVAL naming the byte */
	il_index_query_init(&q, "pump \xff", 6);
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "byte 5");
	il_index_query_init(&q, NULL, 3);
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_EINVAL);

	/* 10,000 terms: distinct unknown words, then a known one; then one
	 * word 10,000 times; both answer at once */
	{
		struct il_buf b = IL_BUF_INIT;
		clock_t t0 = clock();
		for (int i = 0; i < 10000; i++)
			il_buf_addf(&b, "w%d ", i);
		il_buf_adds(&b, "plunger");
		il_index_query_init(&q, b.ptr, b.len);
		IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_OK);
		IL_CHECK_INT(n, 1);
		il_buf_reset(&b);
		for (int i = 0; i < 10000; i++)
			il_buf_adds(&b, i % 2 ? "pump " : "+coating ");
		il_index_query_init(&q, b.ptr, b.len);
		IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_OK);
		IL_CHECK_INT(n, 2);
		IL_CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
		il_buf_release(&b);
	}
	/* more distinct known terms than the cap: the first ones are kept */
	{
		struct il_index *big = tt_open();
		struct il_buf b = IL_BUF_INIT;
		char id[16], text[32];
		for (int i = 0; i < 1100; i++) {
			snprintf(id, sizeof(id), "D%d", i);
			snprintf(text, sizeof(text), "t%d", i);
			IL_CHECK_INT(tt_put(big, IL_KIND_DEMAND, id, text, NULL, NULL, NULL),
				     IL_OK);
		}
		for (int i = 0; i < 1100; i++)
			il_buf_addf(&b, "t%d ", i);
		il_index_query_init(&q, b.ptr, b.len);
		q.k = 2000;
		IL_CHECK_INT(il_index_search(big, &q, &a, &hits, &n, &total), IL_OK);
		IL_CHECK_INT(n, IL_INDEX_MAX_QUERY_TERMS);
		il_buf_release(&b);
		il_index_close(big);
	}
	/* too long */
	{
		size_t len = IL_INDEX_MAX_QUERY_BYTES + 1;
		char *big = malloc(len);
		if (big) {
			memset(big, 'a', len);
			il_index_query_init(&q, big, len);
			IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, &total), IL_EINVAL);
			free(big);
		}
	}
	il_arena_release(&a);
	il_index_close(ix);
}

static void test_glossary_weights(void)
{
	struct il_index *ix = corpus();
	struct il_index_query q;
	struct il_arena a;
	struct il_index_hit *hits;
	size_t n;
	char buf[256], plain[256];
	il_arena_init(&a, 0, 0);

	/* 泵 reaches "pump" with weight 0.5: half of the plain scores */
	il_index_query_init(&q, "泵", strlen("泵"));
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, NULL), IL_OK);
	IL_CHECK_INT(n, 2);
	if (n == 2) {
		IL_CHECK_STR(hits[0].id, "A");
		IL_CHECK_NEAR(hits[0].score, 0.5 * 0.3546595, 1e-6);
		IL_CHECK(hits[0].nterms > 0 && hits[0].terms[0].translated);
	}
	q.expand = false;
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, NULL), IL_OK);
	IL_CHECK_INT(n, 0);

	/* AND: 泵 is satisfied by its translation; 钻 by either of "drill bit" */
	il_index_query_init(&q, "泵 coating", strlen("泵 coating"));
	q.op = IL_QUERY_AND;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), NULL), IL_OK);
	IL_CHECK_STR(buf, "B A");
	il_index_query_init(&q, "钻", strlen("钻"));
	q.op = IL_QUERY_AND;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), NULL), IL_OK);
	IL_CHECK_STR(buf, "C");
	/* a concept scores its best member once: a document with both 泵 and
	 * pump scores for 泵 as if "pump" were not asked for */
	{
		struct il_index *two = tt_open();
		char with[128], without[128];
		tt_put(two, IL_KIND_ACHIEVEMENT, "H", "泵 pump", NULL, NULL, NULL);
		tt_put(two, IL_KIND_ACHIEVEMENT, "I", "泵", NULL, NULL, NULL);
		tt_put(two, IL_KIND_ACHIEVEMENT, "J", "pump", NULL, NULL, NULL);
		il_index_query_init(&q, "泵", strlen("泵"));
		IL_CHECK_INT(tt_hits(two, &q, true, true, with, sizeof(with), NULL), IL_OK);
		q.expand = false;
		IL_CHECK_INT(tt_hits(two, &q, true, true, without, sizeof(without), NULL), IL_OK);
		/* H and I score as without expansion; J comes only through "pump" */
		IL_CHECK(strncmp(with, without, strlen(without)) == 0);
		IL_CHECK_CONTAINS(with, " J:");
		il_index_close(two);
	}
	/* the same word typed and translated counts once, at weight 1 */
	il_index_query_init(&q, "pump 泵", strlen("pump 泵"));
	IL_CHECK_INT(tt_hits(ix, &q, true, true, buf, sizeof(buf), NULL), IL_OK);
	il_index_query_init(&q, "pump", 4);
	IL_CHECK_INT(tt_hits(ix, &q, true, true, plain, sizeof(plain), NULL), IL_OK);
	IL_CHECK_STR(buf, plain);
	il_arena_release(&a);
	il_index_close(ix);
}

static int32_t day(int y, int m, int d)
{
	/* days since 1970-01-01, for the few dates below */
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int32_t)(timegm(&tm) / 86400);
}

static void filter_doc(struct il_index *ix, enum il_kind kind, const char *id, const char *region,
		       const char *link, const char *status, int32_t date, bool hidden)
{
	struct il_index_doc d;
	const char *links[1] = {link};
	tt_doc_init(&d, kind, id, "valve seal", NULL, "valve seal for pumps", NULL);
	d.region = region;
	d.links = link ? links : NULL;
	d.nlinks = link ? 1 : 0;
	d.status = status;
	d.date = date;
	d.hidden = hidden;
	IL_CHECK_INT(il_index_put(ix, &d), IL_OK);
}

static const char *filtered(struct il_index *ix, struct il_index_query *q)
{
	static char buf[1024];
	size_t total = 0;
	if (tt_hits(ix, q, false, true, buf, sizeof(buf), &total) != IL_OK)
		return "error";
	/* with fewer matches than k, total counts exactly the hits */
	size_t words = 0;
	for (const char *p = buf; *p; p++)
		words += (p == buf || p[-1] == ' ') && *p != ' ';
	IL_CHECK_INT(total, words);
	return buf;
}

static void test_filters(void)
{
	struct il_index *ix = tt_open();
	struct il_index_query q;
	char buf[1024];
	size_t total;
	/* Hubei 42 > Jingzhou 4210 > Shashi 421002, and a park in Jingzhou */
	IL_CHECK_INT(il_index_region_parent(ix, "4210", "42"), IL_OK);
	IL_CHECK_INT(il_index_region_parent(ix, "421002", "4210"), IL_OK);
	IL_CHECK_INT(il_index_region_parent(ix, "P-JZ", "4210"), IL_OK);
	IL_CHECK_INT(il_index_region_parent(ix, "4201", "42"), IL_OK);
	IL_CHECK_INT(il_index_region_parent(ix, "42", "421002"), IL_EINVAL); /* a cycle */
	IL_CHECK_INT(il_index_region_parent(ix, "42", "42"), IL_EINVAL);

	filter_doc(ix, IL_KIND_ACHIEVEMENT, "a1", "421002", "L-PUMP", NULL, day(2024, 3, 5), false);
	filter_doc(ix, IL_KIND_ACHIEVEMENT, "a2", "4201", "L-SEAL", NULL, day(2023, 1, 1), false);
	filter_doc(ix, IL_KIND_DEMAND, "d1", "P-JZ", "L-PUMP", "new", day(2024, 6, 1), false);
	filter_doc(ix, IL_KIND_DEMAND, "d2", "4210", NULL, "docking", day(2025, 1, 1), true);
	filter_doc(ix, IL_KIND_ORGANIZATION, "o1", "44", NULL, NULL, INT32_MIN, false);
	/* a region given a parent after its documents were indexed */
	filter_doc(ix, IL_KIND_PERSON, "p1", "420100", NULL, "available", INT32_MIN, false);
	IL_CHECK_INT(il_index_region_parent(ix, "420100", "4201"), IL_OK);
	IL_CHECK_INT(il_index_size(ix), 6);

	il_index_query_init(&q, "valve", 5);
	IL_CHECK_STR(filtered(ix, &q), "a1 a2 d1 o1 p1"); /* d2 is hidden */
	q.include_hidden = true;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1 a2 d1 d2 o1 p1");
	IL_CHECK_INT(total, 6);

	il_index_query_init(&q, "valve", 5);
	q.kinds = 1u << IL_KIND_DEMAND;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "d1");
	q.include_hidden = true;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "d1 d2");
	q.kinds = (1u << IL_KIND_ACHIEVEMENT) | (1u << IL_KIND_ORGANIZATION);
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1 a2 o1");
	q.kinds = 1u << 30; /* no kind there is */
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "");

	/* region: a city reaches its districts and parks, a province all */
	il_index_query_init(&q, "valve", 5);
	q.region = "4210";
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1 d1");
	IL_CHECK_INT(total, 2);
	q.include_hidden = true;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1 d1 d2");
	q.region = "42";
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1 a2 d1 d2 p1");
	q.region = "421002";
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1");
	q.region = "4201";
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a2 p1");
	q.region = "9999"; /* matches nothing */
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "");
	IL_CHECK_INT(total, 0);

	/* link, status */
	il_index_query_init(&q, "valve", 5);
	q.link = "L-PUMP";
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1 d1");
	q.link = "L-NONE";
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "");
	il_index_query_init(&q, "valve", 5);
	q.status = "available";
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "p1");
	q.status = "docking";
	q.include_hidden = true;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "d2");

	/* dates: inclusive bounds; undated documents fail any date filter */
	il_index_query_init(&q, "valve", 5);
	q.date_from = day(2024, 1, 1);
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1 d1");
	q.date_to = day(2024, 3, 5);
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a1");
	q.date_from = INT32_MIN;
	q.date_to = day(2023, 12, 31);
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "a2");
	q.date_from = day(2025, 1, 1);
	q.date_to = day(2024, 1, 1); /* empty range */
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "");

	/* everything at once */
	il_index_query_init(&q, "valve seal", 10);
	q.op = IL_QUERY_AND;
	q.kinds = 1u << IL_KIND_DEMAND;
	q.region = "42";
	q.link = "L-PUMP";
	q.status = "new";
	q.date_from = day(2024, 6, 1);
	q.date_to = day(2024, 6, 1);
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, "d1");
	IL_CHECK_INT(total, 1);
	il_index_close(ix);
}

static void test_updates(void)
{
	struct il_index *ix = corpus();
	struct il_index_query q;
	char buf[256], before[256];
	size_t total;

	/* replace A: its old words go, its new ones come */
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "A", "diamond bit", NULL,
			    "drill bit for shale", NULL),
		     IL_OK);
	IL_CHECK_INT(il_index_size(ix), 3);
	IL_CHECK_STR(tt_ids(ix, "plunger"), "");
	IL_CHECK_STR(tt_ids(ix, "pump"), "B");
	IL_CHECK_STR(tt_ids(ix, "diamond"), "A");
	IL_CHECK_STR(tt_ids(ix, "bit"), "A C");
	/* the same id in another kind is another document */
	IL_CHECK_INT(tt_put(ix, IL_KIND_DEMAND, "A", "pump plunger", NULL, NULL, NULL), IL_OK);
	IL_CHECK_INT(il_index_size(ix), 4);
	IL_CHECK_STR(tt_ids(ix, "plunger"), "A");

	/* scores equal those of an index built from the current documents:
	 * df and lengths leave with deleted documents at once */
	{
		struct il_index *fresh = tt_open();
		tt_put(fresh, IL_KIND_ACHIEVEMENT, "B", "coating", NULL, "ceramic coating for pump",
		       NULL);
		tt_put(fresh, IL_KIND_ACHIEVEMENT, "C", "drill bit", NULL,
		       "drill bit for hard rock", NULL);
		tt_put(fresh, IL_KIND_ACHIEVEMENT, "A", "diamond bit", NULL, "drill bit for shale",
		       NULL);
		tt_put(fresh, IL_KIND_DEMAND, "A", "pump plunger", NULL, NULL, NULL);
		il_index_query_init(&q, "bit pump shale", 14);
		IL_CHECK_INT(tt_hits(ix, &q, true, true, buf, sizeof(buf), NULL), IL_OK);
		IL_CHECK_INT(tt_hits(fresh, &q, true, true, before, sizeof(before), NULL), IL_OK);
		IL_CHECK_STR(buf, before);
		il_index_close(fresh);
	}

	/* delete */
	IL_CHECK_INT(il_index_delete(ix, IL_KIND_ACHIEVEMENT, "B"), IL_OK);
	IL_CHECK_INT(il_index_delete(ix, IL_KIND_ACHIEVEMENT, "B"), IL_ENOTFOUND);
	IL_CHECK_INT(il_index_delete(ix, IL_KIND_PERSON, "C"), IL_ENOTFOUND);
	IL_CHECK_INT(il_index_size(ix), 3);
	IL_CHECK_STR(tt_ids(ix, "pump"), "A");
	IL_CHECK_STR(tt_ids(ix, "ceramic"), "");

	/* compaction renumbers but changes no answer */
	il_index_query_init(&q, "bit pump shale drill", 20);
	IL_CHECK_INT(tt_hits(ix, &q, true, true, before, sizeof(before), &total), IL_OK);
	IL_CHECK_INT(il_index_compact(ix), IL_OK);
	IL_CHECK_INT(tt_hits(ix, &q, true, true, buf, sizeof(buf), &total), IL_OK);
	IL_CHECK_STR(buf, before);
	{
		struct il_index_stats st;
		il_index_stats(ix, &st);
		IL_CHECK_INT(st.docs, 3);
		IL_CHECK_INT(st.dead, 0);
		IL_CHECK_INT(st.garbage_bytes, 0);
		IL_CHECK_INT(st.by_kind[IL_KIND_DEMAND], 1);
	}
	/* and the index takes more after it */
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "E", "pump", NULL, NULL, NULL), IL_OK);
	IL_CHECK_STR(tt_ids(ix, "pump"), "E A");

	/* many replacements trigger compaction on their own */
	for (int i = 0; i < 300; i++)
		IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "F", i % 2 ? "gear" : "gearbox", NULL,
				    NULL, NULL),
			     IL_OK);
	{
		struct il_index_stats st;
		il_index_stats(ix, &st);
		IL_CHECK(st.dead < 100);
		IL_CHECK_INT(st.docs, 5);
	}
	IL_CHECK_STR(tt_ids(ix, "gear gearbox"), "F");

	/* bad documents */
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "", "x", NULL, NULL, NULL), IL_EINVAL);
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, NULL, "x", NULL, NULL, NULL), IL_EINVAL);
	IL_CHECK_INT(tt_put(ix, (enum il_kind)99, "x", "x", NULL, NULL, NULL), IL_EINVAL);
	IL_CHECK_INT(il_index_size(ix), 5);
	il_index_close(ix);
}

static void test_doc_from_record(void)
{
	struct il_record r;
	struct il_index_doc d;
	IL_CHECK_INT(il_record_init(&r, IL_KIND_DEMAND), IL_OK);
	il_record_set_id(&r, "DEM-1", 5);
	il_record_set_by_name(&r, "title", "钻井泵柱塞", strlen("钻井泵柱塞"));
	il_record_set_by_name(&r, "description", "耐磨", strlen("耐磨"));
	il_record_set_by_name(&r, "keywords", "柱塞;涂层", strlen("柱塞;涂层"));
	il_record_set_by_name(&r, "visibility", "confidential", 12);
	il_record_set_by_name(&r, "published", "2024-03-05", 10);
	il_record_set_by_name(&r, "status", "docking", 7);
	il_record_set_by_name(&r, "region", "4210", 4);
	IL_CHECK_INT(il_index_doc_from_record(&r, &d), IL_OK);
	IL_CHECK_INT(d.kind, IL_KIND_DEMAND);
	IL_CHECK_STR(d.id, "DEM-1");
	IL_CHECK_STR(d.text[IL_IF_TITLE], "钻井泵柱塞");
	IL_CHECK_STR(d.text[IL_IF_BODY], "耐磨");
	IL_CHECK_STR(d.text[IL_IF_KEYWORDS], "柱塞;涂层");
	IL_CHECK(d.hidden);
	IL_CHECK_INT(d.date, day(2024, 3, 5));
	IL_CHECK_STR(d.status, "docking");
	IL_CHECK_STR(d.region, "4210");
	il_record_release(&r);

	IL_CHECK_INT(il_record_init(&r, IL_KIND_ORGANIZATION), IL_OK);
	il_record_set_id(&r, "ORG-1", 5);
	il_record_set_by_name(&r, "name_zh", "长江大学", strlen("长江大学"));
	il_record_set_by_name(&r, "name_en", "Yangtze University", 18);
	il_record_set_by_name(&r, "aliases", "长大", strlen("长大"));
	IL_CHECK_INT(il_index_doc_from_record(&r, &d), IL_OK);
	IL_CHECK_STR(d.text[IL_IF_TITLE], "长江大学");
	IL_CHECK_STR(d.text2[IL_IF_TITLE], "Yangtze University");
	IL_CHECK_STR(d.text[IL_IF_NAMES], "长大");
	IL_CHECK(!d.hidden);
	IL_CHECK_INT(d.date, INT32_MIN);
	il_record_release(&r);

	IL_CHECK_INT(il_record_init(&r, IL_KIND_LINK), IL_OK);
	il_record_set_id(&r, "LNK-1", 5);
	il_record_set_by_name(&r, "name_zh", "钻井装备", strlen("钻井装备"));
	IL_CHECK_INT(il_index_doc_from_record(&r, &d), IL_OK);
	IL_CHECK_INT(d.nlinks, 1);
	IL_CHECK_STR(d.links[0], "LNK-1");
	il_record_release(&r);

	IL_CHECK_INT(il_record_init(&r, IL_KIND_INDICATOR), IL_OK);
	IL_CHECK_INT(il_index_doc_from_record(&r, &d), IL_EINVAL);
	il_record_release(&r);

	/* a second text joins its field without a phrase across the two */
	struct il_index *ix = tt_open();
	struct il_index_doc two;
	tt_doc_init(&two, IL_KIND_ORGANIZATION, "O", "alpha", NULL, NULL, NULL);
	two.text2[IL_IF_TITLE] = "beta gamma";
	two.len2[IL_IF_TITLE] = 10;
	IL_CHECK_INT(il_index_put(ix, &two), IL_OK);
	IL_CHECK_STR(tt_ids(ix, "title:gamma"), "O");
	IL_CHECK_STR(tt_ids(ix, "\"beta gamma\""), "O");
	IL_CHECK_STR(tt_ids(ix, "\"alpha beta\""), "");
	il_index_close(ix);
}

/* put and search with the Nth allocation failing, for every N: each
 * failure is IL_ENOMEM, leaves the index answering as before, and leaks
 * nothing (the sanitizer build checks that). */
static void test_alloc_failures(void)
{
	struct il_index *ix = corpus();
	struct il_index_query q;
	char before[256], after[256];
	unsigned long n;
	int rc;
	il_index_query_init(&q, "pump coating \"coating pump\" -zzz", 32);
	IL_CHECK_INT(tt_hits(ix, &q, true, true, before, sizeof(before), NULL), IL_OK);
	IL_CHECK_STR(before, "A:0.57741");
	for (n = 1; n < 10000; n++) {
		struct il_index_doc d;
		const char *links[2] = {"L1", "L2"};
		tt_doc_init(&d, IL_KIND_ACHIEVEMENT, "G", "new coating pump design", "seal",
			    "a pump body of ceramic and steel", "someone");
		d.region = "4210";
		d.links = links;
		d.nlinks = 2;
		il_alloc_fail_after(n);
		rc = il_index_put(ix, &d);
		il_alloc_fail_after(0);
		if (rc == IL_OK)
			break;
		IL_CHECK_INT(rc, IL_ENOMEM);
		IL_CHECK_INT(il_index_size(ix), 3);
		IL_CHECK_INT(tt_hits(ix, &q, true, true, after, sizeof(after), NULL), IL_OK);
		IL_CHECK_STR(after, before);
	}
	IL_CHECK(n > 1);
	IL_CHECK_INT(il_index_size(ix), 4);
	IL_CHECK_STR(tt_ids(ix, "design"), "G");

	/* search, filtered by a region tree, with failures */
	IL_CHECK_INT(il_index_region_parent(ix, "4210", "42"), IL_OK);
	q.region = "42";
	IL_CHECK_INT(tt_hits(ix, &q, true, true, before, sizeof(before), NULL), IL_OK);
	IL_CHECK_CONTAINS(before, "G:");
	IL_CHECK(strchr(before, ' ') == NULL);
	for (n = 1; n < 10000; n++) {
		il_alloc_fail_after(n);
		rc = tt_hits(ix, &q, true, true, after, sizeof(after), NULL);
		il_alloc_fail_after(0);
		if (rc == IL_OK)
			break;
		IL_CHECK_INT(rc, IL_ENOMEM);
	}
	IL_CHECK(n > 1);
	IL_CHECK_STR(after, before);

	for (n = 1; n < 10000; n++) {
		il_alloc_fail_after(n);
		rc = il_index_compact(ix);
		il_alloc_fail_after(0);
		if (rc == IL_OK)
			break;
		IL_CHECK_INT(rc, IL_ENOMEM);
		IL_CHECK_INT(tt_hits(ix, &q, true, true, after, sizeof(after), NULL), IL_OK);
		IL_CHECK_STR(after, before);
	}
	IL_CHECK_INT(tt_hits(ix, &q, true, true, after, sizeof(after), NULL), IL_OK);
	IL_CHECK_STR(after, before);
	il_index_close(ix);

	for (n = 1; n < 100; n++) {
		struct il_index *o = NULL;
		il_alloc_fail_after(n);
		rc = il_index_open(NULL, NULL, &o);
		il_alloc_fail_after(0);
		il_index_close(o);
		if (rc == IL_OK)
			break;
		IL_CHECK_INT(rc, IL_ENOMEM);
	}
}

static void test_config(void)
{
	struct il_index_config cfg;
	struct il_index *ix = NULL;
	il_index_config_init(&cfg);
	IL_CHECK_NEAR(cfg.k1, 1.2, 1e-6);
	IL_CHECK_NEAR(cfg.b, 0.75, 1e-6);
	IL_CHECK_NEAR(cfg.weight[IL_IF_TITLE], 3, 0);
	IL_CHECK_NEAR(cfg.weight[IL_IF_KEYWORDS], 2, 0);
	cfg.b = 1.5f;
	IL_CHECK_INT(il_index_open(NULL, &cfg, &ix), IL_EINVAL);
	IL_CHECK(ix == NULL);
	il_index_config_init(&cfg);
	cfg.k1 = 0;
	IL_CHECK_INT(il_index_open(NULL, &cfg, &ix), IL_EINVAL);

	/* b = 0: no length normalisation, so a long body scores as a short one */
	il_index_config_init(&cfg);
	cfg.b = 0;
	IL_CHECK_INT(il_index_open(NULL, &cfg, &ix), IL_OK);
	il__index_set_tokenizer(ix, tt_doc, tt_query, NULL);
	tt_put(ix, IL_KIND_ACHIEVEMENT, "S", NULL, NULL, "pump", NULL);
	tt_put(ix, IL_KIND_ACHIEVEMENT, "L", NULL, NULL, "pump a b c d e f g h", NULL);
	{
		struct il_index_query q;
		char buf[128];
		il_index_query_init(&q, "pump", 4);
		IL_CHECK_INT(tt_hits(ix, &q, true, true, buf, sizeof(buf), NULL), IL_OK);
		double s = log(1.0 + 0.5 / 2.5) * 1.0 / 2.2;
		char want[128];
		snprintf(want, sizeof(want), "S:%.5f L:%.5f", s, s);
		IL_CHECK_STR(buf, want);
	}
	il_index_close(ix);
	{
		struct il_index_query q;
		il_index_query_init(&q, "x", 1);
		IL_CHECK_INT(q.k, 10);
		IL_CHECK(q.expand);
		IL_CHECK_INT(q.op, IL_QUERY_OR);
		IL_CHECK_INT(q.date_from, INT32_MIN);
		IL_CHECK_INT(q.date_to, INT32_MAX);
	}
}

int main(void)
{
	IL_RUN(test_bm25f_by_hand);
	IL_RUN(test_posting_forms);
	IL_RUN(test_operators);
	IL_RUN(test_odd_queries);
	IL_RUN(test_glossary_weights);
	IL_RUN(test_filters);
	IL_RUN(test_updates);
	IL_RUN(test_doc_from_record);
	IL_RUN(test_alloc_failures);
	IL_RUN(test_config);
	IL_DONE();
}
