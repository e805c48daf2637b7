/*
 * test_tokens.c - the two token streams end to end: Chinese words from the
 * segmenter (search-mode sub-words colocated after their word, precise
 * queries), traditional and full-width input, mixed Chinese-English lines,
 * offsets into the original text, positions, stop flags, query expansion
 * on mixed lines, invalid UTF-8 (no token at all), a callback that stops,
 * allocation failures at every site, 10 MB inputs, and threads sharing one
 * analyzer.
 */
#include "text_test.h"

#include <pthread.h>
#include <time.h>

static struct il_text *text; /* the fixture glossary */
static struct il_text *plain; /* no glossary */

/* Tokens of s as a string; the caller frees it. */
static char *dump(struct il_text *t, const char *s, bool query)
{
	struct il_buf b;
	int rc;
	il_buf_init(&b, 0);
	rc = query ? il_text_tokenize_query(t, s, strlen(s), dump_tok, &b)
		   : il_text_tokenize_document(t, s, strlen(s), dump_tok, &b);
	if (rc != IL_OK)
		il_buf_addf(&b, " ERROR %s", il_errname(rc));
	return il_buf_detach(&b);
}

#define CHECK_DUMP(t, s, query, want)                                                              \
	do {                                                                                       \
		char *il__got = dump(t, s, query);                                                 \
		IL_CHECK_STR(il__got, want);                                                       \
		free(il__got);                                                                     \
	} while (0)
#define CHECK_DOC(t, s, want) CHECK_DUMP(t, s, false, want)
#define CHECK_QUERY(t, s, want) CHECK_DUMP(t, s, true, want)

static void records(const char *s, bool query, struct recs *r)
{
	text_records(text, s, query, r);
}

/* What every stream must satisfy, whatever the text. */
struct inv {
	size_t len, n, bad, last_start;
	uint32_t pos;
	char why[256];
};

static int check_inv(const struct il_token *t, void *ctx)
{
	struct inv *v = ctx;
	const char *why = NULL;
	bool colo = (t->flags & IL_TOKF_COLOCATED) != 0;
	if (t->term_len == 0 || !t->term)
		why = "empty term";
	else if (t->start >= t->end || t->end > v->len)
		why = "offsets outside the text";
	else if (v->n == 0 && (colo || t->pos != 0))
		why = "first token not at position 0";
	else if (v->n > 0 && colo && t->pos != v->pos)
		why = "colocated token moved";
	else if (v->n > 0 && !colo && t->pos != v->pos + 1)
		why = "position skipped";
	else if (!colo && t->start < v->last_start)
		why = "primary tokens out of order";
	else if (!(t->flags & IL_TOKF_GLOSSARY) && t->weight != 1.0f)
		why = "text token weight not 1";
	else if ((t->flags & IL_TOKF_GLOSSARY) && (!colo || t->weight < 0 || t->weight > 1))
		why = "bad glossary token";
	if (why && !v->bad++)
		snprintf(v->why, sizeof(v->why), "token %zu \"%.*s\": %s", v->n, (int)t->term_len,
			 t->term, why);
	if (!colo)
		v->last_start = t->start;
	v->pos = t->pos;
	v->n++;
	return 0;
}

static size_t check_invariants(struct il_text *t, const char *s, size_t len, bool query)
{
	struct inv v;
	memset(&v, 0, sizeof(v));
	v.len = len;
	IL_CHECK_INT(query ? il_text_tokenize_query(t, s, len, check_inv, &v)
			   : il_text_tokenize_document(t, s, len, check_inv, &v),
		     IL_OK);
	if (v.bad)
		printf("# %s\n", v.why);
	IL_CHECK_INT(v.bad, 0);
	return v.n;
}

static void test_chinese(void)
{
	/* documents: search mode, the long word first and its sub-words after */
	CHECK_DOC(plain, "钻井泵柱塞耐磨涂层", "钻井泵:H@0 钻井:H@0cu 柱塞:H@1 耐磨:H@2 涂层:H@3");
	CHECK_DOC(plain, "中国科学院武汉分院",
		  "中国科学院:H@0 中国:H@0cu 科学院:H@0cu 科学:H@0cu 学院:H@0cu 武汉:H@1 分院:H@2");
	/* queries: precise mode */
	CHECK_QUERY(plain, "中国科学院武汉分院", "中国科学院:H@0 武汉:H@1 分院:H@2");
	CHECK_QUERY(plain, "钻井泵柱塞耐磨涂层", "钻井泵:H@0 柱塞:H@1 耐磨:H@2 涂层:H@3");
	/* Chinese stop words are flagged and still reported */
	CHECK_DOC(plain, "我们的技术", "我们:H@0s 的:H@1s 技术:H@2");

	struct recs r;
	records("钻井泵，柱塞", false, &r);
	IL_CHECK_INT(r.n, 3);
	IL_CHECK_INT(r.t[0].start, 0);
	IL_CHECK_INT(r.t[0].end, 9);
	IL_CHECK_INT(r.t[1].start, 0);
	IL_CHECK_INT(r.t[1].end, 6);
	IL_CHECK_INT(r.t[1].flags, IL_TOKF_COLOCATED | IL_TOKF_SUBWORD);
	IL_CHECK_STR(r.t[2].term, "柱塞");
	IL_CHECK_INT(r.t[2].start, 12); /* after the full-width comma */
	IL_CHECK_INT(r.t[2].end, 18);
	IL_CHECK_INT(r.t[2].pos, 1);
	IL_CHECK_INT(r.t[2].kind, IL_TOK_HAN);
}

static void test_traditional_and_width(void)
{
	struct recs r;
	CHECK_DOC(plain, "鑽井泵", "钻井泵:H@0 钻井:H@0cu");
	records("鑽井泵　ＰＣＢ板", false, &r);
	IL_CHECK_INT(r.n, 4);
	IL_CHECK_STR(r.t[0].term, "钻井泵");
	IL_CHECK_INT(r.t[0].end, 9);
	IL_CHECK_STR(r.t[2].term, "pcb");
	IL_CHECK_INT(r.t[2].start, 12);
	IL_CHECK_INT(r.t[2].end, 21);
	IL_CHECK_STR(r.t[3].term, "板");
	IL_CHECK_INT(r.t[3].start, 21);
	IL_CHECK_INT(r.t[3].end, 24);
	/* 㒓 becomes the four-byte 𠉂: the offsets after it are still the input's */
	const char *s = "\xE3\x92\x93钻井泵";
	records(s, true, &r);
	IL_CHECK(r.n >= 1);
	IL_CHECK_INT(r.t[r.n - 1 < MAX_TOKS ? r.n - 1 : 0].end, strlen(s));
	for (size_t i = 0; i < r.n && i < MAX_TOKS; i++) {
		IL_CHECK(r.t[i].start < r.t[i].end);
		if (strcmp(r.t[i].term, "钻井泵") == 0) {
			IL_CHECK_INT(r.t[i].start, 3);
			IL_CHECK_INT(r.t[i].end, 12);
		}
	}
	check_invariants(plain, s, strlen(s), false);
}

static void test_mixed_lines(void)
{
	struct recs r;
	CHECK_DOC(plain, "5G基站用高频PCB板", "5g:C@0 基站:H@1 用:H@2s 高频:H@3 pcb:W@4 板:H@5");
	CHECK_DOC(plain, "锂电池 recycling", "锂电池:H@0 锂电:H@0cu 电池:H@0cu recycl:W@1");
	CHECK_DOC(plain, "石油机械 petroleum machinery",
		  "石油机械:H@0 石油:H@0cu 油机:H@0cu 机械:H@0cu petroleum:W@1 machineri:W@2");
	records("5G基站用高频PCB板", false, &r);
	IL_CHECK_INT(r.n, 6);
	IL_CHECK_INT(r.t[0].start, 0);
	IL_CHECK_INT(r.t[0].end, 2);
	IL_CHECK_INT(r.t[0].kind, IL_TOK_CODE);
	IL_CHECK_INT(r.t[1].start, 2);
	IL_CHECK_INT(r.t[1].end, 8);
	IL_CHECK_INT(r.t[4].start, 17);
	IL_CHECK_INT(r.t[4].end, 20);
	IL_CHECK_INT(r.t[4].kind, IL_TOK_WORD);
	/* queries on mixed lines expand both ways */
	CHECK_QUERY(text, "锂电池 recycling",
		    "锂电池:H@0 lithium:W@0cg batteri:W@0cg recycl:W@1 回收:H@1cg");
	CHECK_QUERY(text, "石油机械 petroleum machinery",
		    "石油机械:H@0 petroleum:W@0cg machineri:W@0cg machin:W@0cg petroleum:W@1 "
		    "machineri:W@2 石油机械:H@2cg");
	records("石油机械 petroleum machinery", true, &r);
	IL_CHECK_INT(r.n, 7);
	IL_CHECK_INT(r.t[6].start, 13);
	IL_CHECK_INT(r.t[6].end, 32);
	IL_CHECK(r.t[6].weight > 0.79f && r.t[6].weight < 0.81f);
	IL_CHECK_INT(r.t[6].flags, IL_TOKF_GLOSSARY | IL_TOKF_COLOCATED);
}

static void test_invalid_utf8(void)
{
	static const char bad[] = "石油 \xFF machinery";
	struct recs r;
	memset(&r, 0, sizeof(r));
	IL_CHECK_INT(il_text_tokenize_document(text, bad, sizeof(bad) - 1, record, &r),
		     IL_EENCODING);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), "at byte 7");
	IL_CHECK_INT(r.n, 0);
	IL_CHECK_INT(il_text_tokenize_query(text, bad, sizeof(bad) - 1, record, &r), IL_EENCODING);
	IL_CHECK_INT(r.n, 0);
	/* invalid at the very end, after many good tokens: still nothing */
	IL_CHECK_INT(il_text_tokenize_document(text, "a b c 钻井\xE6\xB3", 15, record, &r),
		     IL_EENCODING);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), "at byte 12");
	IL_CHECK_INT(r.n, 0);
	IL_CHECK_INT(il_text_tokenize_document(NULL, "a", 1, record, &r), IL_EINVAL);
	IL_CHECK_INT(il_text_tokenize_document(text, "a", 1, NULL, NULL), IL_EINVAL);
	IL_CHECK_INT(il_text_tokenize_document(text, NULL, 0, record, &r), IL_OK);
	IL_CHECK_INT(r.n, 0);
}

static int stop_after_two(const struct il_token *t, void *ctx)
{
	size_t *n = ctx;
	(void)t;
	return ++*n == 2 ? 42 : 0;
}

static void test_callback_stops(void)
{
	size_t n = 0;
	IL_CHECK_INT(il_text_tokenize_document(text, "钻井泵 a b c d", 13, stop_after_two, &n), 42);
	IL_CHECK_INT(n, 2);
	n = 0;
	IL_CHECK_INT(il_text_tokenize_query(text, "石油机械 a b c", 16, stop_after_two, &n), 42);
	IL_CHECK_INT(n, 2);
}

static int count_tok(const struct il_token *t, void *ctx)
{
	(void)t;
	(*(size_t *)ctx)++;
	return 0;
}

static void test_alloc_failures(void)
{
	const char *s = "鑽井泵柱塞 Ti6Al4V wear-resistant coatings, ISO 9001；"
			"中国科学院武汉分院 石油机械 petroleum machinery 1,200 5G基站";
	size_t want_doc = 0, want_query = 0;
	unsigned long n;
	int bad = 0;
	IL_CHECK_INT(il_text_tokenize_document(text, s, strlen(s), count_tok, &want_doc), IL_OK);
	IL_CHECK_INT(il_text_tokenize_query(text, s, strlen(s), count_tok, &want_query), IL_OK);
	for (int query = 0; query < 2; query++) {
		int rc = IL_ENOMEM;
		for (n = 1; n < 10000 && rc != IL_OK; n++) {
			size_t got = 0;
			il_alloc_fail_after(n);
			rc = query ? il_text_tokenize_query(text, s, strlen(s), count_tok, &got)
				   : il_text_tokenize_document(text, s, strlen(s), count_tok, &got);
			il_alloc_fail_after(0);
			if (rc != IL_OK && rc != IL_ENOMEM)
				bad++;
			if (rc == IL_OK && got != (query ? want_query : want_doc))
				bad++;
		}
		IL_CHECK_INT(rc, IL_OK);
		IL_CHECK(n > 3); /* some sites were really failed */
	}
	IL_CHECK_INT(bad, 0);
	/* and opening an analyzer (the fixture glossary) */
	int rc = IL_ENOMEM;
	const char *dir = datadir("text-tokens-open");
	for (n = 1; n < 20000 && rc != IL_OK; n++) {
		struct il_text *t = NULL;
		il_alloc_fail_after(n);
		rc = il_text_open(dir, IL_TEXT_NO_USER_DICT, &t);
		il_alloc_fail_after(0);
		if (rc != IL_OK && (rc != IL_ENOMEM || t != NULL))
			bad++;
		il_text_close(t);
	}
	IL_CHECK_INT(rc, IL_OK);
	IL_CHECK(n > 100); /* the stop lists and glossary lines were failed too */
	IL_CHECK_INT(bad, 0);
}

static int count_glossary(const struct il_token *t, void *ctx)
{
	size_t *n = ctx;
	n[0]++;
	if (t->flags & IL_TOKF_GLOSSARY) {
		n[1]++;
		if (t->term_len != strlen("石油机械") ||
		    memcmp(t->term, "石油机械", t->term_len) != 0)
			n[2]++;
	}
	return 0;
}

static void test_long_query(void)
{
	/* 3,000 words: expansion runs window by window, and a span across a
	 * window's edge must match like any other */
	struct il_buf b;
	size_t n[3] = {0, 0, 0};
	il_buf_init(&b, 0);
	for (int i = 0; i < 1500; i++)
		il_buf_adds(&b, i % 2 ? "petroleum machinery " : "Petroleum, Machines ");
	IL_CHECK_INT(il_text_tokenize_query(text, b.ptr, b.len, count_glossary, n), IL_OK);
	/* "petroleum machinery" gains 石油机械; "Petroleum, Machines" has a
	 * comma inside, so only "petroleum" matches (石油) */
	IL_CHECK_INT(n[0], 4500);
	IL_CHECK_INT(n[1], 1500);
	IL_CHECK_INT(n[2], 750);
	check_invariants(text, b.ptr, b.len, true);
	il_buf_release(&b);
}

static char *big_text(size_t want, size_t *len)
{
	static const char *const para[] = {
		"本发明公开了一种钻井泵柱塞耐磨涂层及其制备方法，采用Ti6Al4V基体，"
		"符合ISO 9001质量体系要求。",
		"Wear-resistant coatings for drilling-pump plungers: 1,200 MPa, 30% longer "
		"life, M10-3 bolts.\n",
		"鑽井泵的壽命延長了3.5倍；５Ｇ基站用高频PCB板，锂电池 recycling。\n",
		"中国科学院武汉分院与湖北省技术转移中心合作，石油机械 petroleum machinery。\n",
	};
	char *s = malloc(want + 512);
	size_t n = 0;
	for (size_t i = 0; s && n < want; i++) {
		size_t l = strlen(para[i % 4]);
		memcpy(s + n, para[i % 4], l);
		n += l;
	}
	*len = n;
	return s;
}

static void test_ten_megabytes(void)
{
	size_t len, ndoc, nquery;
	char *s = big_text(10u << 20, &len);
	clock_t t0 = clock();
	IL_CHECK(s != NULL);
	if (!s)
		return;
	ndoc = check_invariants(text, s, len, false);
	nquery = check_invariants(text, s, len, true);
	/* about one token per 5 bytes of this text */
	IL_CHECK(ndoc > len / 10);
	IL_CHECK(nquery > len / 10);
	IL_CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 120.0);
	/* one Han run of 10 MB: cut into chunks, still every character */
	size_t k = 0;
	while (k + 6 <= len) {
		memcpy(s + k, k % 12 ? "钻井" : "機械", 6);
		k += 6;
	}
	ndoc = check_invariants(plain, s, k, false);
	IL_CHECK(ndoc >= k / 12);
	free(s);
}

struct job {
	const char *texts[4];
	char *want[4][2];
	int mismatches;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	for (int round = 0; round < 30; round++) {
		for (int i = 0; i < 4; i++) {
			for (int q = 0; q < 2; q++) {
				char *got = dump(text, j->texts[i], q);
				if (strcmp(got, j->want[i][q]) != 0)
					__atomic_add_fetch(&j->mismatches, 1, __ATOMIC_RELAXED);
				free(got);
			}
		}
	}
	return NULL;
}

static void test_threads(void)
{
	struct job j = {{"鑽井泵柱塞耐磨涂层 wear-resistant coatings", "乾燥 乾隆年間 石油機械",
			 "锂电池 recycling, lithium batteries", "5G基站用高频PCB板 ISO 9001"},
			{{NULL}},
			0};
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		for (int q = 0; q < 2; q++)
			j.want[i][q] = dump(text, j.texts[i], q);
	for (int i = 0; i < 4; i++)
		IL_CHECK_INT(pthread_create(&th[i], NULL, worker, &j), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	IL_CHECK_INT(j.mismatches, 0);
	for (int i = 0; i < 4; i++)
		for (int q = 0; q < 2; q++)
			free(j.want[i][q]);
}

int main(void)
{
	int rc = il_text_open(datadir("text-tokens"), 0, &text);
	if (rc == IL_OK)
		rc = il_text_open(datadir("text-tokens"), IL_TEXT_NO_GLOSSARY, &plain);
	if (rc != IL_OK) {
		printf("Bail out! il_text_open: %s\n", il_error_detail(rc));
		return 1;
	}
	IL_RUN(test_chinese);
	IL_RUN(test_traditional_and_width);
	IL_RUN(test_mixed_lines);
	IL_RUN(test_invalid_utf8);
	IL_RUN(test_callback_stops);
	IL_RUN(test_long_query);
	IL_RUN(test_alloc_failures);
	IL_RUN(test_ten_megabytes);
	IL_RUN(test_threads);
	il_text_close(plain);
	il_text_close(text);
	IL_DONE();
}
