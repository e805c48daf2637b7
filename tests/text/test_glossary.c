/*
 * test_glossary.c - the zh <-> en glossary: loading (pair count, comments,
 * CRLF, traditional and full-width entries, duplicates), query expansion
 * both ways with weights, offsets and positions, matching on normalised and
 * stemmed keys, longest match first, punctuation gaps, and IL_EFORMAT for
 * bad lines naming file and line.
 */
#include "text_test.h"

/* A data directory whose glossary is the single file `name` holding `body`. */
static const char *gloss_dir(const char *name, const char *body)
{
	static char dir[1200];
	char path[1400];
	snprintf(dir, sizeof(dir), "%s/text-glossary-own", IL_TEST_TMPDIR);
	mkdir(dir, 0777);
	snprintf(path, sizeof(path), "%s/glossary", dir);
	mkdir(path, 0777);
	for (const char *const *old = (const char *const[]){"bad.tsv", "a.tsv", "b.tsv", NULL};
	     *old; old++) {
		snprintf(path, sizeof(path), "%s/glossary/%s", dir, *old);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/glossary/%s", dir, name);
	IL_CHECK(write_str(path, body));
	return dir;
}

static struct il_text *text;

static const char *query_with(struct il_text *t, const char *s)
{
	return text_dump(t, s, true);
}

static const char *query(const char *s)
{
	return query_with(text, s);
}

static void records_with(struct il_text *t, const char *s, struct recs *r)
{
	text_records(t, s, true, r);
}

/* The glossary tokens of r, concatenated (a Chinese translation's words
 * wherever the segmenter cut them). */
static const char *glossary_terms(const struct recs *r, float *weight)
{
	static char s[1024];
	s[0] = '\0';
	for (size_t i = 0; i < r->n && i < MAX_TOKS; i++) {
		if (r->t[i].flags & IL_TOKF_GLOSSARY) {
			strcat(s, r->t[i].term);
			*weight = r->t[i].weight;
		}
	}
	return s;
}

static bool near(float a, float b)
{
	return a - b < 1e-6f && b - a < 1e-6f;
}

static void test_loading(void)
{
	IL_CHECK_INT(il_text_glossary_size(text), 12);
	/* the bundled glossary loads too */
	struct il_text *full = NULL;
	IL_CHECK_INT(il_text_open(IL_TEST_SRCDIR "/../data", 0, &full), IL_OK);
	IL_CHECK(il_text_glossary_size(full) > 1000);
	il_text_close(full);
	/* no glossary: by flag, or by a data directory without one */
	struct il_text *none = NULL;
	IL_CHECK_INT(il_text_open(datadir("text-glossary"), IL_TEXT_NO_GLOSSARY, &none), IL_OK);
	IL_CHECK_INT(il_text_glossary_size(none), 0);
	IL_CHECK_STR(query_with(none, "石油"), "石油:H@0");
	il_text_close(none);
	char dir[1200];
	snprintf(dir, sizeof(dir), "%s/text-glossary-empty", IL_TEST_TMPDIR);
	mkdir(dir, 0777);
	IL_CHECK_INT(il_text_open(dir, 0, &none), IL_OK);
	IL_CHECK_INT(il_text_glossary_size(none), 0);
	il_text_close(none);
	IL_CHECK_INT(il_text_glossary_size(NULL), 0);
	/* NULL: the bundled data, which $INNOLINK_DATA overrides */
	setenv("INNOLINK_DATA", datadir("text-glossary"), 1);
	IL_CHECK_INT(il_text_open(NULL, 0, &none), IL_OK);
	IL_CHECK_INT(il_text_glossary_size(none), 12);
	il_text_close(none);
	unsetenv("INNOLINK_DATA");
	IL_CHECK_INT(il_text_open(NULL, 0, &none), IL_OK);
	IL_CHECK(il_text_glossary_size(none) > 1000);
	il_text_close(none);
}

static void test_chinese_to_english(void)
{
	struct recs r;
	IL_CHECK_STR(query("石油机械"),
		     "石油机械:H@0 petroleum:W@0cg machineri:W@0cg machin:W@0cg");
	records_with(text, "需要石油机械", &r);
	IL_CHECK_INT(r.n, 5);
	if (r.n == 5) {
		IL_CHECK_STR(r.t[2].term, "petroleum");
		IL_CHECK_INT(r.t[2].flags, IL_TOKF_GLOSSARY | IL_TOKF_COLOCATED);
		IL_CHECK_INT(r.t[2].pos, r.t[1].pos);
		IL_CHECK_INT(r.t[2].start, 6); /* the span of 石油机械 in the query */
		IL_CHECK_INT(r.t[2].end, 18);
		IL_CHECK(near(r.t[2].weight, 0.8f)); /* listed twice: the larger weight */
		IL_CHECK_STR(r.t[4].term, "machin");
		IL_CHECK(near(r.t[4].weight, 0.6f));
		IL_CHECK(near(r.t[1].weight, 1.0f));
	}
	/* traditional spelling, default weight */
	records_with(text, "鑽井泵", &r);
	IL_CHECK_INT(r.n, 3);
	if (r.n == 3) {
		IL_CHECK_STR(r.t[0].term, "钻井泵");
		IL_CHECK_STR(r.t[1].term, "drill");
		IL_CHECK_STR(r.t[2].term, "pump");
		IL_CHECK(near(r.t[1].weight, 0.5f));
		IL_CHECK_INT(r.t[2].end, 9);
	}
	IL_CHECK_STR(query("锂电池 回收"),
		     "锂电池:H@0 lithium:W@0cg batteri:W@0cg 回收:H@1 recycl:W@1cg");
	/* an entry written traditional and full width: 鑽井 / ＤＲＩＬＬＩＮＧ */
	records_with(text, "钻井", &r);
	IL_CHECK_INT(r.n, 2);
	IL_CHECK_STR(r.t[1].term, "drill");
	IL_CHECK(near(r.t[1].weight, 1.0f));
}

static void test_english_to_chinese(void)
{
	struct recs r;
	float w = 0;
	IL_CHECK_STR(query("Petroleum Machines"), "petroleum:W@0 machin:W@1 石油机械:H@1cg");
	IL_CHECK_STR(query("petroleum machinery"), "petroleum:W@0 machineri:W@1 石油机械:H@1cg");
	/* longest match first: not 石油 for "petroleum" */
	IL_CHECK_STR(query("PETROLEUM machinery, petroleum"),
		     "petroleum:W@0 machineri:W@1 石油机械:H@1cg petroleum:W@2 石油:H@2cg");
	IL_CHECK_STR(query("drilling pump"), "drill:W@0 pump:W@1 钻井泵:H@1cg");
	IL_CHECK_STR(query("pumping units"), "pump:W@0 unit:W@1 抽油机:H@1cg");
	IL_CHECK_STR(query("plunger"), "plunger:W@0 柱塞:H@0cg"); /* from a CRLF line */
	records_with(text, "a PCB", &r);
	IL_CHECK_STR(glossary_terms(&r, &w), "印制电路板");
	IL_CHECK(near(w, 0.7f));
	IL_CHECK_INT(r.t[r.n - 1].start, 2);
	IL_CHECK_INT(r.t[r.n - 1].end, 5);
	IL_CHECK_INT(r.t[r.n - 1].pos, 1);
	records_with(text, "lithium batteries", &r);
	IL_CHECK_STR(glossary_terms(&r, &w), "锂电池");
	IL_CHECK(near(w, 0.9f));
}

static void test_spans(void)
{
	struct recs r;
	float w = 0;
	/* a key of two Chinese words matches wherever the segmenter cuts */
	records_with(text, "耐磨涂层", &r);
	IL_CHECK_STR(glossary_terms(&r, &w), "wear-resistwearresistcoat");
	IL_CHECK(near(w, 0.7f));
	IL_CHECK_STR(query("wear-resistant coatings"),
		     "wear-resist:W@0 wear:W@0cu resist:W@0cu coat:W@1 耐磨:H@1cg 涂层:H@1cg");
	/* Latin and Chinese in one key, with or without a space */
	IL_CHECK_STR(query("5G基站"), "5g:C@0 基站:H@1 base:W@1cg station:W@1cg");
	IL_CHECK_STR(query("5G 基站"), "5g:C@0 基站:H@1 base:W@1cg station:W@1cg");
	IL_CHECK_STR(query("5G base station"), "5g:C@0 base:W@1 station:W@2 基站:H@2cg");
	/* punctuation breaks a span: 石油，机械 is not 石油机械 */
	IL_CHECK_STR(query("石油，机械"), "石油:H@0 petroleum:W@0cg 机械:H@1");
	/* a space is no break: the words still spell the key */
	IL_CHECK_STR(query("石油 机械"),
		     "石油:H@0 机械:H@1 petroleum:W@1cg machineri:W@1cg machin:W@1cg");
	IL_CHECK_STR(query("petroleum, machinery"), "petroleum:W@0 石油:H@0cg machineri:W@1");
	/* documents are never expanded */
	struct il_buf b;
	il_buf_init(&b, 0);
	IL_CHECK_INT(il_text_tokenize_document(text, "plunger", 7, dump_tok, &b), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&b), "plunger:W@0");
	il_buf_release(&b);
}

static void expect_bad(const char *body, const char *detail)
{
	struct il_text *t = NULL;
	int rc = il_text_open(gloss_dir("bad.tsv", body), 0, &t);
	IL_CHECK_INT(rc, IL_EFORMAT);
	IL_CHECK(t == NULL);
	IL_CHECK_CONTAINS(il_error_detail(rc), "glossary/bad.tsv:3: ");
	IL_CHECK_CONTAINS(il_error_detail(rc), detail);
	il_text_close(t);
}

static void test_bad_lines(void)
{
	const char *head = "# test\n石油\tpetroleum\n";
	char body[4096];
#define BAD(line, detail)                                                                          \
	do {                                                                                       \
		snprintf(body, sizeof(body), "%s%s\n", head, line);                                \
		expect_bad(body, detail);                                                          \
	} while (0)
	BAD("石油机械", "no tab");
	BAD("a\tb\t0.5\tx", "more than 3");
	BAD("石油\tpetroleum\t1.5", "weight \"1.5\"");
	BAD("石油\tpetroleum\tabc", "weight \"abc\"");
	BAD("石油\tpetroleum\t", "weight \"\"");
	BAD("石油\tpetroleum\t-0.1", "weight");
	BAD("\tpetroleum", "empty Chinese term");
	BAD("石油\t  ", "empty English term");
	BAD("石油\tpetrol\xFF", "invalid UTF-8 at column 14");
	BAD("，。\tpetroleum", "has no words");
	BAD("石油\ta b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g",
	    "33 words, more than 32");
#undef BAD
	char longline[6000];
	memset(longline, 'x', 5000);
	longline[5000] = '\0';
	{
		struct il_buf b;
		il_buf_init(&b, 0);
		il_buf_addf(&b, "%s%s\tlong\n", head, longline);
		expect_bad(il_buf_cstr(&b), "longer than 4096 bytes");
		il_buf_release(&b);
	}
}

static void test_weights_and_duplicates(void)
{
	struct il_text *t = NULL;
	struct recs r;
	IL_CHECK_INT(il_text_open(gloss_dir("a.tsv", "\xEF\xBB\xBF# BOM, duplicates, self pair\n"
						     "石油\tpetroleum\t0.3\n"
						     "石油\tPetroleum\t.9\n"
						     "PCB\tPCB\n"
						     "回收\trecycling\t0.\n"
						     "柱塞\tplunger\t1\n"),
				  0, &t),
		     IL_OK);
	if (!t)
		return;
	IL_CHECK_INT(il_text_glossary_size(t), 5);
	records_with(t, "石油", &r);
	IL_CHECK_INT(r.n, 2);
	IL_CHECK(near(r.t[1].weight, 0.9f));
	IL_CHECK_STR(query_with(t, "PCB"), "pcb:W@0");
	records_with(t, "recycling plunger", &r);
	IL_CHECK_INT(r.n, 4);
	IL_CHECK(near(r.t[1].weight, 0.0f));
	IL_CHECK(near(r.t[3].weight, 1.0f));
	il_text_close(t);
}

int main(void)
{
	int rc = il_text_open(datadir("text-glossary"), 0, &text);
	if (rc != IL_OK) {
		printf("Bail out! il_text_open: %s\n", il_error_detail(rc));
		return 1;
	}
	IL_RUN(test_loading);
	IL_RUN(test_chinese_to_english);
	IL_RUN(test_english_to_chinese);
	IL_RUN(test_spans);
	IL_RUN(test_bad_lines);
	IL_RUN(test_weights_and_duplicates);
	il_text_close(text);
	IL_DONE();
}
