/*
 * test_text.c - the index with the real analyzer: Chinese documents found
 * by Chinese queries (search-mode sub-words included), a Chinese query
 * reaching an English document through the glossary and the reverse, AND
 * satisfied by translations, phrases over segmented Chinese, stop words,
 * and documents that are not UTF-8.
 *
 * The analyzer reads the real stop lists and the fixture glossary
 * tests/fixtures/index/glossary (not data/glossary, whose weights may
 * change), with the main dictionary from the build tree.
 */
#include "index/index_test.h"

#include <sys/stat.h>
#include <unistd.h>

static const char *datadir(void)
{
	static char dir[1024];
	static const char *const parts[][2] = {
		{"stopwords", "/../data/stopwords"},
		{"glossary", "/fixtures/index/glossary"},
	};
	snprintf(dir, sizeof(dir), "%s/index-text-data", IL_TEST_TMPDIR);
	mkdir(dir, 0777);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char link[1200], target[1200];
		snprintf(target, sizeof(target), "%s%s", IL_TEST_SRCDIR, parts[i][1]);
		snprintf(link, sizeof(link), "%s/%s", dir, parts[i][0]);
		unlink(link);
		IL_CHECK(symlink(target, link) == 0);
	}
	return dir;
}

static struct il_text *text;

static void add(struct il_index *ix, enum il_kind kind, const char *id, const char *title,
		const char *keywords, const char *body)
{
	struct il_index_doc d;
	tt_doc_init(&d, kind, id, title, keywords, body, NULL);
	IL_CHECK_INT(il_index_put(ix, &d), IL_OK);
}

static struct il_index *corpus(void)
{
	struct il_index *ix = NULL;
	IL_CHECK_INT(il_index_open(text, NULL, &ix), IL_OK);
	if (!ix)
		return NULL;
	add(ix, IL_KIND_ACHIEVEMENT, "Z1", "钻井泵柱塞耐磨涂层技术", "钻井泵;柱塞;耐磨涂层",
	    "采用超音速火焰喷涂碳化钨涂层，显著提高钻井泵柱塞的耐磨性和使用寿命。");
	add(ix, IL_KIND_ACHIEVEMENT, "Z2", "页岩气压裂返排液处理技术", "页岩气;返排液",
	    "针对页岩气开发中的压裂返排液，提出絮凝与膜分离组合处理工艺。");
	add(ix, IL_KIND_ACHIEVEMENT, "Z3", "柱塞泵密封结构", "柱塞泵;密封",
	    "一种用于注水柱塞泵的组合密封结构，减少泄漏。");
	add(ix, IL_KIND_ACHIEVEMENT, "E1", "Wear-resistant coating for drilling pump plungers",
	    "coating;plunger",
	    "An HVOF tungsten carbide coating extends plunger life in drilling mud pumps.");
	add(ix, IL_KIND_ACHIEVEMENT, "E2", "Recycling of lithium batteries", "battery",
	    "Hydrometallurgical recovery of cobalt and lithium from spent batteries.");
	add(ix, IL_KIND_DEMAND, "D1", "需要钻井泵柱塞耐磨技术", "钻井泵",
	    "我公司钻井泵柱塞磨损快，寻求耐磨涂层方案。");
	return ix;
}

static const char *ids(const struct il_index *ix, const char *query, enum il_query_op op,
		       bool expand)
{
	static char buf[1024];
	struct il_index_query q;
	il_index_query_init(&q, query, strlen(query));
	q.op = op;
	q.expand = expand;
	if (tt_hits(ix, &q, false, true, buf, sizeof(buf), NULL) != IL_OK)
		snprintf(buf, sizeof(buf), "error");
	return buf;
}

static bool has(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = list; (p = strstr(p, id)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void test_chinese(void)
{
	struct il_index *ix = corpus();
	const char *r;
	if (!ix)
		return;
	r = ids(ix, "钻井泵柱塞", IL_QUERY_OR, false);
	IL_CHECK(strncmp(r, "Z1 ", 3) == 0 || strncmp(r, "D1 ", 3) == 0);
	IL_CHECK(has(r, "Z1") && has(r, "D1") && has(r, "Z3"));
	r = ids(ix, "钻井泵柱塞", IL_QUERY_OR, true);
	IL_CHECK(has(r, "Z1") && has(r, "D1") && has(r, "Z3"));
	IL_CHECK(!has(r, "Z2") && !has(r, "E2"));
	/* search-mode sub-words: 涂层 inside 耐磨涂层, 钻井 inside 钻井泵 */
	r = ids(ix, "涂层", IL_QUERY_OR, false);
	IL_CHECK(has(r, "Z1") && has(r, "D1"));
	r = ids(ix, "钻井", IL_QUERY_OR, false);
	IL_CHECK(has(r, "Z1"));
	/* AND, phrases, exclusion over segmented Chinese */
	IL_CHECK_STR(ids(ix, "页岩气 返排液", IL_QUERY_AND, true), "Z2");
	r = ids(ix, "\"钻井泵柱塞\"", IL_QUERY_OR, false);
	IL_CHECK(has(r, "Z1") && has(r, "D1") && !has(r, "Z3"));
	r = ids(ix, "柱塞 -钻井泵", IL_QUERY_OR, false);
	IL_CHECK_STR(r, "Z3");
	r = ids(ix, "title:密封", IL_QUERY_OR, false);
	IL_CHECK_STR(r, "Z3");
	/* stop words only */
	IL_CHECK_STR(ids(ix, "的 是 了", IL_QUERY_OR, true), "");
	IL_CHECK_STR(ids(ix, "the of", IL_QUERY_AND, true), "");
	il_index_close(ix);
}

static void test_cross_lingual(void)
{
	struct il_index *ix = corpus();
	struct il_index_query q;
	struct il_arena a;
	struct il_index_hit *hits;
	size_t n;
	const char *r;
	if (!ix)
		return;
	/* a Chinese query reaches the English document through the glossary */
	r = ids(ix, "钻井泵柱塞", IL_QUERY_OR, true);
	IL_CHECK(has(r, "E1"));
	IL_CHECK(!has(ids(ix, "钻井泵柱塞", IL_QUERY_OR, false), "E1"));
	/* AND: each Chinese word is satisfied by its translation */
	r = ids(ix, "钻井泵柱塞", IL_QUERY_AND, true);
	IL_CHECK(has(r, "E1") && has(r, "Z1") && has(r, "D1"));
	IL_CHECK(!has(ids(ix, "钻井泵柱塞", IL_QUERY_AND, false), "E1"));
	/* and the reverse: English words reach the Chinese documents */
	r = ids(ix, "drilling pump plunger", IL_QUERY_OR, true);
	IL_CHECK(strncmp(r, "E1", 2) == 0);
	IL_CHECK(has(r, "Z1"));
	r = ids(ix, "shale gas", IL_QUERY_AND, true);
	IL_CHECK_STR(r, "Z2");
	IL_CHECK_STR(ids(ix, "shale gas", IL_QUERY_AND, false), "");

	/* the hit says which terms came through the glossary; a Chinese
	 * document scores the same with expansion on, since each concept
	 * counts its best member once */
	il_arena_init(&a, 0, 0);
	il_index_query_init(&q, "钻井泵柱塞", strlen("钻井泵柱塞"));
	q.kinds = 1u << IL_KIND_ACHIEVEMENT;
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, NULL), IL_OK);
	bool found = false;
	float z1 = -1;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(hits[i].id, "Z1") == 0) {
			z1 = hits[i].score;
			for (size_t t = 0; t < hits[i].nterms; t++)
				IL_CHECK(!hits[i].terms[t].translated);
		}
		if (strcmp(hits[i].id, "E1") != 0)
			continue;
		found = true;
		IL_CHECK(hits[i].nterms > 0);
		for (size_t t = 0; t < hits[i].nterms; t++)
			IL_CHECK(hits[i].terms[t].translated);
	}
	IL_CHECK(found);
	q.expand = false;
	IL_CHECK_INT(il_index_search(ix, &q, &a, &hits, &n, NULL), IL_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(hits[i].id, "Z1") == 0)
			IL_CHECK(hits[i].score == z1);
	il_arena_release(&a);
	il_index_close(ix);
}

static void test_bad_text(void)
{
	struct il_index *ix = NULL;
	struct il_index_doc d;
	IL_CHECK_INT(il_index_open(text, NULL, &ix), IL_OK);
	if (!ix)
		return;
	tt_doc_init(&d, IL_KIND_ACHIEVEMENT, "BAD", "good title", NULL, "bad \xc3\x28 body", NULL);
	IL_CHECK_INT(il_index_put(ix, &d), IL_EENCODING);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), "BAD");
	IL_CHECK_INT(il_index_size(ix), 0);
	IL_CHECK_STR(ids(ix, "good", IL_QUERY_OR, true), "");
	tt_doc_init(&d, IL_KIND_ACHIEVEMENT, "OK", "good title", NULL, "fine body", NULL);
	IL_CHECK_INT(il_index_put(ix, &d), IL_OK);
	IL_CHECK_STR(ids(ix, "good", IL_QUERY_OR, true), "OK");
	il_index_close(ix);
}

int main(void)
{
	int rc = il_text_open(datadir(), 0, &text);
	if (rc != IL_OK) {
		printf("Bail out! il_text_open: %s\n", il_error_detail(rc));
		return 1;
	}
	IL_RUN(test_chinese);
	IL_RUN(test_cross_lingual);
	IL_RUN(test_bad_text);
	il_text_close(text);
	IL_DONE();
}
