/*
 * test_segment.c - the Chinese segmenter: concrete cuts in precise and
 * search mode, numbers, dates, codes and punctuation, offsets that rebuild
 * the input, user dictionaries that take effect without a rebuild, damaged
 * main dictionaries, invalid UTF-8, a 10 MB line, threads sharing one
 * dictionary, and every allocation failing in turn.
 *
 * The dictionary is opened with il__dict_open() from the source tree's
 * data directory; main.dict comes from the build tree (IL_TEST_TMPDIR is
 * <build>/tests/tmp).
 */
#include "text/segment_internal.h"
#include "text_test.h"

#include <pthread.h>

#define DATADIR IL_TEST_SRCDIR "/../data"
#define BUILT_DICT IL_TEST_TMPDIR "/../../data/dict/main.dict"
#define TMPDATA IL_TEST_TMPDIR "/segdata"

struct collect {
	const char *text;
	struct il_buf out; /* words joined by single spaces */
	struct il_buf kinds; /* one letter per token: H W N C P */
	size_t n, last_end;
	bool ordered; /* precise mode: tokens in order, never overlapping */
	uint32_t max_pos;
	int stop_after; /* callback answer 42 after this many tokens (0: never) */
	int bad_term;
};

static int collect_fn(const struct il_token *tok, void *ctx)
{
	struct collect *c = ctx;
	static const char kind_letter[] = "WHNCP"; /* enum il_token_kind order */
	if (tok->term != c->text + tok->start || tok->term_len != tok->end - tok->start)
		c->bad_term++;
	if (tok->start < c->last_end || tok->end <= tok->start)
		c->ordered = false;
	c->last_end = tok->end;
	if (tok->pos > c->max_pos)
		c->max_pos = tok->pos;
	if (c->n++)
		il_buf_addc(&c->out, ' ');
	il_buf_add(&c->out, tok->term, tok->term_len);
	il_buf_addc(&c->kinds, kind_letter[tok->kind]);
	if (c->stop_after && c->n == (size_t)c->stop_after)
		return 42;
	return 0;
}

static struct il_text analyzer; /* only .dict is used by il_text_segment */

static int seg(const char *text, enum il_seg_mode mode, struct collect *c)
{
	memset(c, 0, sizeof(*c));
	c->text = text;
	c->ordered = true;
	il_buf_init(&c->out, 0);
	il_buf_init(&c->kinds, 0);
	return il_text_segment(&analyzer, text, strlen(text), mode, collect_fn, c);
}

static void release(struct collect *c)
{
	il_buf_release(&c->out);
	il_buf_release(&c->kinds);
}

/* The words of text in precise mode, joined by spaces (static buffer). */
static const char *cut(const char *text)
{
	static char result[4096];
	struct collect c;
	int rc = seg(text, IL_SEG_PRECISE, &c);
	snprintf(result, sizeof(result), "%s", rc ? il_errname(rc) : il_buf_cstr(&c.out));
	release(&c);
	return result;
}

static const char *kinds(const char *text)
{
	static char result[512];
	struct collect c;
	seg(text, IL_SEG_PRECISE, &c);
	snprintf(result, sizeof(result), "%s", il_buf_cstr(&c.kinds));
	release(&c);
	return result;
}

static void test_precise(void)
{
	IL_CHECK_STR(cut("我来到北京清华大学"), "我 来到 北京 清华大学");
	IL_CHECK_STR(cut("他来到了网易杭研大厦"), "他 来到 了 网易 杭研 大厦"); /* 杭研: the HMM */
	IL_CHECK_STR(cut("小明硕士毕业于中国科学院计算所"), "小明 硕士 毕业 于 中国科学院 计算所");
	/* 5G基站 is in data/dict/industry.txt (without it: 5G 基站, below) */
	IL_CHECK_STR(cut("5G基站用高频PCB板"), "5G基站 用 高频 PCB 板");
	IL_CHECK_STR(kinds("5G基站用高频PCB板"), "HHHWH");
	IL_CHECK_STR(kinds("5G手机"), "CH");
	IL_CHECK_STR(cut("锂电池 recycling"), "锂电池 recycling");
	IL_CHECK_STR(kinds("锂电池 recycling"), "HW");
	/* the industry dictionary (data/dict/industry.txt) */
	IL_CHECK_STR(cut("钻井泵、压裂车和PDC钻头"), "钻井泵 、 压裂车 和 PDC钻头");
	IL_CHECK_STR(cut("加入降粘剂和缓蚀剂"), "加入 降粘剂 和 缓蚀剂");
	IL_CHECK_STR(cut("光纤预制棒和磷酸铁锂"), "光纤预制棒 和 磷酸铁锂");
	/* PKU conventions: names, 们, classifiers, transliterated names */
	IL_CHECK_STR(cut("江泽民会见朋友们"), "江 泽民 会见 朋友 们");
	IL_CHECK_STR(cut("三个国家和第一个"), "三 个 国家 和 第一 个");
	IL_CHECK_STR(cut("一个人"), "一个 人");
	IL_CHECK_STR(cut("二十多人"), "二十 多 人");
	IL_CHECK_STR(cut("会见了菲德尔·卡斯特罗"), "会见 了 菲德尔·卡斯特罗");
	/* whitespace separates and is never a token */
	IL_CHECK_STR(cut("  中国 \t 湖北\u3000荆州  "), "中国 湖北 荆州");
	IL_CHECK_STR(cut(""), "");
}

static void test_numbers(void)
{
	IL_CHECK_STR(cut("１９９８年１２月３１日"), "１９９８年 １２月 ３１日");
	IL_CHECK_STR(kinds("１９９８年１２月３１日"), "NNN");
	IL_CHECK_STR(cut("2024年3月5日8时30分"), "2024年 3月 5日 8时 30分");
	IL_CHECK_STR(cut("二○○一年十二月三十一日"), "二○○一年 十二月 三十一日");
	IL_CHECK_STR(cut("二００一年"), "二００一年");
	IL_CHECK_STR(cut("10年和100年"), "10 年 和 100 年"); /* years counted, not named */
	IL_CHECK_STR(cut("6月份"), "6月份");
	IL_CHECK_STR(cut("5分钟"), "5 分钟");
	IL_CHECK_STR(cut("增长25.6%，达到１２．５％"), "增长 25.6% ， 达到 １２．５％");
	IL_CHECK_STR(cut("1,200台"), "1,200 台");
	IL_CHECK_STR(cut("50万元和1.3万亿"), "50万 元 和 1.3万亿");
	IL_CHECK_STR(cut("气温－5℃"), "气温 －5 ℃");
	IL_CHECK_STR(cut("1998-2000年"), "1998 - 2000年");
	IL_CHECK_STR(cut("第三十二条和第242号"), "第三十二 条 和 第242 号");
	IL_CHECK_STR(cut("百分之八点五"), "百分之八点五");
	IL_CHECK_STR(kinds("百分之八点五"), "N");
	IL_CHECK_STR(cut("数十万人"), "数十万 人");
	IL_CHECK_STR(cut("3/4和8:30"), "3/4 和 8:30");
	/* codes, Latin words, addresses */
	IL_CHECK_STR(cut("M10-3型Ti6Al4V"), "M10-3 型 Ti6Al4V");
	IL_CHECK_STR(kinds("M10-3型Ti6Al4V"), "CHC");
	IL_CHECK_STR(cut("访问www.example.com或info@example.cn"),
		     "访问 www.example.com 或 info@example.cn");
	IL_CHECK_STR(cut("用C++和C#写"), "用 C++ 和 C# 写");
	IL_CHECK_STR(cut("ＩＳＯ９００１认证"), "ＩＳＯ９００１ 认证");
	IL_CHECK_STR(kinds("ISO9001 don't"), "CW");
	/* punctuation: a repeated dash or ellipsis is one token */
	IL_CHECK_STR(cut("好——真好……！！"), "好 —— 真 好 …… ！ ！");
	IL_CHECK_STR(kinds("好——真好……"), "HPHHP");
	IL_CHECK_STR(cut("（图片1张）"), "（ 图片 1 张 ）");
}

static void test_search(void)
{
	struct collect c;
	IL_CHECK_INT(seg("华中科技大学", IL_SEG_SEARCH, &c), IL_OK);
	/* jieba's cut_for_search order: 2-grams, 3-grams, then the word */
	IL_CHECK_STR(il_buf_cstr(&c.out), "华中 中科 科技 大学 华中科 华中科技大学");
	IL_CHECK_INT(c.max_pos, 0); /* all colocated at position 0 */
	release(&c);

	IL_CHECK_INT(seg("中华人民共和国成立了", IL_SEG_SEARCH, &c), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&c.out), "中华 华人 人民 共和 共和国 中华人民共和国 成立 了");
	IL_CHECK_INT(c.max_pos, 2);
	release(&c);

	/* precise mode of the same text has no sub-words */
	IL_CHECK_STR(cut("华中科技大学"), "华中科技大学");
}

struct flagcheck {
	int n;
	unsigned flags[16];
	uint32_t pos[16];
};

static int flag_fn(const struct il_token *tok, void *ctx)
{
	struct flagcheck *f = ctx;
	if (f->n < 16) {
		f->flags[f->n] = tok->flags;
		f->pos[f->n] = tok->pos;
	}
	f->n++;
	return 0;
}

static void test_search_flags(void)
{
	struct flagcheck f;
	const char *text = "我在华中科技大学";
	memset(&f, 0, sizeof(f));
	IL_CHECK_INT(il_text_segment(&analyzer, text, strlen(text), IL_SEG_SEARCH, flag_fn, &f),
		     IL_OK);
	/* 我 在 | 华中 中科 科技 大学 华中科 | 华中科技大学 */
	IL_CHECK_INT(f.n, 8);
	IL_CHECK_INT(f.flags[0], 0);
	IL_CHECK_INT(f.pos[1], 1);
	IL_CHECK_INT(f.flags[2], IL_TOKF_SUBWORD); /* first sub-word takes the position */
	IL_CHECK_INT(f.pos[2], 2);
	IL_CHECK_INT(f.flags[3], IL_TOKF_SUBWORD | IL_TOKF_COLOCATED);
	IL_CHECK_INT(f.flags[6], IL_TOKF_SUBWORD | IL_TOKF_COLOCATED);
	IL_CHECK_INT(f.flags[7], IL_TOKF_COLOCATED); /* the word itself */
	IL_CHECK_INT(f.pos[7], 2);
}

/* Offsets rebuild the input: the tokens, in order, are the text with its
 * whitespace taken out. */
static void check_rebuild(const char *text, enum il_seg_mode mode)
{
	struct collect c;
	struct il_buf want = IL_BUF_INIT, got = IL_BUF_INIT;
	IL_CHECK_INT(seg(text, mode, &c), IL_OK);
	IL_CHECK_INT(c.bad_term, 0);
	if (mode == IL_SEG_PRECISE)
		IL_CHECK(c.ordered);
	for (const char *p = text; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			il_buf_addc(&want, *p);
	for (const char *p = il_buf_cstr(&c.out); *p; p++)
		if (*p != ' ')
			il_buf_addc(&got, *p);
	if (mode == IL_SEG_PRECISE)
		IL_CHECK_STR(il_buf_cstr(&got), il_buf_cstr(&want));
	release(&c);
	il_buf_release(&want);
	il_buf_release(&got);
}

static void test_offsets(void)
{
	check_rebuild(
		"荆州石油机械产业链：钻井泵、压裂车（2019年产值30亿元），增长12.5%！\n"
		"Jingzhou's PDC bits, M10-3 plungers; 华中科技大学 & 长江大学……\r\n"
		"二○○一年 ①② αβγ Ελλάδα ДНК カタカナ 한국어 😀👍🏽 e\u0301 x\u200dy",
		IL_SEG_PRECISE);
	check_rebuild("荆州石油机械产业链：华中科技大学 and 中华人民共和国", IL_SEG_SEARCH);
	/* every token of search mode points into the text */
	struct collect c;
	IL_CHECK_INT(seg("中华人民共和国成立", IL_SEG_SEARCH, &c), IL_OK);
	IL_CHECK_INT(c.bad_term, 0);
	release(&c);
}

static void test_encoding(void)
{
	static const struct {
		const char *text;
		size_t len, offset;
	} bad[] = {
		{"abc\xff"
		 "def",
		 7, 3},
		{"中国\xC0\xAF", 8, 6}, /* overlong '/' */
		{"湖北\xED\xA0\x80", 9, 6}, /* a UTF-16 surrogate */
		{"荆州\xF4\x90\x80\x80", 10, 6}, /* above U+10FFFF */
		{"武汉\xE4\xB8", 8, 6}, /* cut short */
		{"\x80", 1, 0},
		{"ok\xE4\xB8\x41", 5, 2},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct collect c;
		char want[64];
		memset(&c, 0, sizeof(c));
		c.text = bad[i].text;
		il_buf_init(&c.out, 0);
		il_buf_init(&c.kinds, 0);
		IL_CHECK_INT(il_text_segment(&analyzer, bad[i].text, bad[i].len, IL_SEG_PRECISE,
					     collect_fn, &c),
			     IL_EENCODING);
		IL_CHECK_INT(c.n, 0); /* no token at all */
		snprintf(want, sizeof(want), "byte offset %zu", bad[i].offset);
		IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), want);
		release(&c);
	}
	IL_CHECK_INT(il_text_segment(&analyzer, NULL, 0, IL_SEG_PRECISE, collect_fn, NULL), IL_OK);
	IL_CHECK_INT(il_text_segment(NULL, "x", 1, IL_SEG_PRECISE, collect_fn, NULL), IL_EINVAL);
	IL_CHECK_INT(il_text_segment(&analyzer, "x", 1, (enum il_seg_mode)7, collect_fn, NULL),
		     IL_EINVAL);
}

static void test_callback_stop(void)
{
	struct collect c;
	memset(&c, 0, sizeof(c));
	c.text = "我来到北京清华大学";
	c.stop_after = 2;
	il_buf_init(&c.out, 0);
	il_buf_init(&c.kinds, 0);
	IL_CHECK_INT(il_text_segment(&analyzer, c.text, strlen(c.text), IL_SEG_PRECISE, collect_fn,
				     &c),
		     42);
	IL_CHECK_INT(c.n, 2);
	release(&c);
}

static int count_fn(const struct il_token *tok, void *ctx)
{
	size_t *n = ctx;
	(void)tok;
	n[0]++;
	n[1] += tok->end - tok->start;
	return 0;
}

/* 10 MB without a space: finishes, covers every byte, in windows. */
static void test_long_line(void)
{
	static const char *const pieces[] = {
		"我来到北京清华大学研究压裂液和缓蚀剂",
		"一一一一一一一一一一一一一一一一一一一一", /* one long numeral */
		"中华中华中华中华中华中华中华中华中华中华", /* words overlapping all the way */
		"abcdefghij0123456789",
	};
	const size_t size = 10u << 20;
	char *text = malloc(size + 64);
	IL_CHECK(text != NULL);
	if (!text)
		return;
	for (size_t k = 0; k < sizeof(pieces) / sizeof(*pieces); k++) {
		size_t len = 0, plen = strlen(pieces[k]), n[2] = {0, 0};
		while (len + plen <= size) {
			memcpy(text + len, pieces[k], plen);
			len += plen;
		}
		text[len] = '\0';
		IL_CHECK_INT(il_text_segment(&analyzer, text, len, IL_SEG_PRECISE, count_fn, n),
			     IL_OK);
		IL_CHECK(n[0] > 0);
		IL_CHECK_INT(n[1], len);
	}
	free(text);
}

static void test_user_dict(void)
{
	struct il__dict *d = NULL, *saved = analyzer.dict;
	mkdir(TMPDATA, 0755);
	mkdir(TMPDATA "/dict", 0755);
	remove(TMPDATA "/dict/main.dict");
	remove(TMPDATA "/dict/b.txt");
	IL_CHECK(write_str(TMPDATA "/dict/a.txt", "# test words\n\n清华园区\n"));
	IL_CHECK_INT(il__dict_open(TMPDATA, 0, &d), IL_OK);
	analyzer.dict = d;
	IL_CHECK_STR(cut("荆楚智造走进清华园区"), "荆楚 智造 走进 清华园区");
	il__dict_close(d);

	/* edited: a new word with a frequency and a tag, and one removed; no rebuild */
	IL_CHECK(write_str(TMPDATA "/dict/a.txt", "荆楚智造 50000 nz\r\n清华大学 0\n"));
	IL_CHECK_INT(il__dict_open(TMPDATA, 0, &d), IL_OK);
	analyzer.dict = d;
	IL_CHECK_STR(cut("荆楚智造走进清华园区"), "荆楚智造 走进 清华 园区");
	IL_CHECK_STR(cut("我来到北京清华大学"), "我 来到 北京 清华 大学");
	il__dict_close(d);

	/* IL_TEXT_NO_USER_DICT leaves them out */
	IL_CHECK_INT(il__dict_open(TMPDATA, IL_TEXT_NO_USER_DICT, &d), IL_OK);
	analyzer.dict = d;
	IL_CHECK_STR(cut("我来到北京清华大学"), "我 来到 北京 清华大学");
	IL_CHECK_STR(cut("5G基站用高频PCB板"), "5G 基站 用 高频 PCB 板");
	IL_CHECK_STR(kinds("5G基站用高频PCB板"), "CHHHWH");
	il__dict_close(d);
	analyzer.dict = saved;

	/* bad lines name the file and the line */
	static const struct {
		const char *content, *where;
	} bad[] = {
		{"好词\n坏词 12x\n", "b.txt:2: frequency '12x'"},
		{"a 1 n\nb 2 n extra\n", "b.txt:2: expected 'word [freq [tag]]'"},
		{"\n\n词 3 NR\n", "b.txt:3: tag 'NR'"},
		{"词 99999999999\n", "b.txt:1: frequency"},
		{"ok\nbad\xff\n", "b.txt:2: invalid UTF-8"},
		{"\x01x\n", "b.txt:1: control character"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		IL_CHECK(write_str(TMPDATA "/dict/b.txt", bad[i].content));
		d = NULL;
		IL_CHECK_INT(il__dict_open(TMPDATA, 0, &d), IL_EFORMAT);
		IL_CHECK(d == NULL);
		IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), bad[i].where);
	}
	remove(TMPDATA "/dict/b.txt");
}

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		*len = (size_t)n;
	fclose(f);
	return buf;
}

static int open_damaged(const void *data, size_t len)
{
	struct il__dict *d = NULL;
	int rc;
	IL_CHECK(write_file(TMPDATA "/dict/main.dict", data, len));
	rc = il__dict_open(TMPDATA, IL_TEXT_NO_USER_DICT, &d);
	if (rc == IL_OK)
		il__dict_close(d);
	return rc;
}

static void test_damaged_main(void)
{
	size_t len = 0;
	unsigned char *good = read_all(BUILT_DICT, &len), *bad;
	struct il__dict_header h;
	IL_CHECK(good != NULL && len > sizeof(h));
	if (!good || len <= sizeof(h))
		return;
	bad = malloc(len);
	mkdir(TMPDATA, 0755);
	mkdir(TMPDATA "/dict", 0755);
	memcpy(&h, good, sizeof(h));

	IL_CHECK_INT(open_damaged(good, len), IL_OK); /* the copy itself is fine */
	IL_CHECK_INT(open_damaged(good, len / 2), IL_EFORMAT); /* truncated */
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "main.dict: corrupt dictionary");
	IL_CHECK_INT(open_damaged(good, 100), IL_EFORMAT); /* shorter than the header */
	IL_CHECK_INT(open_damaged(good, 0), IL_EFORMAT);
	memcpy(bad, good, len);
	bad[len / 2] ^= 0x40; /* one bit flipped */
	IL_CHECK_INT(open_damaged(bad, len), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "checksum");
	memcpy(bad, good, len);
	bad[0] = 'X';
	IL_CHECK_INT(open_damaged(bad, len), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "magic");

	/* damage that keeps the checksum right: the structure is checked too */
	struct il__dict_header hh = h;
	memcpy(bad, good, len);
	struct il__dict_slot *slots = (struct il__dict_slot *)(bad + h.sec_off[IL__SEC_SLOTS]);
	slots[1].word = (int32_t)h.nwords + 5;
	hh.checksum = il__dict_checksum(bad + sizeof(hh), len - sizeof(hh));
	memcpy(bad, &hh, sizeof(hh));
	IL_CHECK_INT(open_damaged(bad, len), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "trie node");

	memcpy(bad, good, len);
	hh = h;
	hh.sec_off[IL__SEC_WORDS] = len + 8; /* a section past the end */
	memcpy(bad, &hh, sizeof(hh));
	IL_CHECK_INT(open_damaged(bad, len), IL_EFORMAT);

	memcpy(bad, good, len);
	hh = h;
	hh.nslots = h.nslots + 1; /* counts that disagree with the sizes */
	memcpy(bad, &hh, sizeof(hh));
	IL_CHECK_INT(open_damaged(bad, len), IL_EFORMAT);

	remove(TMPDATA "/dict/main.dict");
	free(bad);
	free(good);
}

struct thread_arg {
	const char *text;
	const char *want;
	int ok;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;
	for (int i = 0; i < 200; i++) {
		struct collect c;
		memset(&c, 0, sizeof(c));
		c.text = a->text;
		il_buf_init(&c.out, 0);
		il_buf_init(&c.kinds, 0);
		il_text_segment(&analyzer, a->text, strlen(a->text), IL_SEG_SEARCH, collect_fn, &c);
		if (strcmp(il_buf_cstr(&c.out), a->want) == 0)
			a->ok++;
		release(&c);
	}
	return NULL;
}

/* One dictionary, four threads at once: it is only read. */
static void test_threads(void)
{
	pthread_t th[4];
	struct thread_arg args[4];
	const char *text = "华中科技大学的压裂液研究，2024年3月5日，增长25%";
	struct collect c;
	seg(text, IL_SEG_SEARCH, &c);
	for (int i = 0; i < 4; i++) {
		args[i].text = text;
		args[i].want = il_buf_cstr(&c.out);
		args[i].ok = 0;
		IL_CHECK_INT(pthread_create(&th[i], NULL, thread_main, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		IL_CHECK_INT(args[i].ok, 200);
	}
	release(&c);
}

/* Every allocation of opening (with a user dictionary) and of segmenting
 * fails in turn: IL_ENOMEM each time, no leak (the sanitizer build checks). */
static void test_alloc_failures(void)
{
	const char *text = "荆楚智造走进清华园区，华中科技大学的压裂液研究";
	unsigned long n;
	int oom = 0;
	mkdir(TMPDATA, 0755);
	mkdir(TMPDATA "/dict", 0755);
	remove(TMPDATA "/dict/main.dict");
	IL_CHECK(write_str(TMPDATA "/dict/a.txt", "荆楚智造 50000 nz\n清华园区\n长江大学 1000\n"));
	for (n = 1; n < 10000; n++) {
		struct il__dict *d = NULL;
		struct il_text t;
		size_t count[2] = {0, 0};
		il_alloc_fail_after(n);
		int rc = il__dict_open(TMPDATA, 0, &d);
		if (rc == IL_OK) {
			memset(&t, 0, sizeof(t));
			t.dict = d;
			rc = il_text_segment(&t, text, strlen(text), IL_SEG_SEARCH, count_fn,
					     count);
			il__dict_close(d);
		}
		il_alloc_fail_after(0);
		if (rc == IL_OK)
			break;
		if (rc != IL_ENOMEM) {
			IL_CHECK_INT(rc, IL_ENOMEM);
			break;
		}
		oom++;
	}
	IL_CHECK(oom > 3);
	IL_CHECK(n < 10000);
	remove(TMPDATA "/dict/a.txt");
}

int main(void)
{
	struct il__dict *d = NULL;
	int rc = il__dict_open(DATADIR, 0, &d);
	if (rc != IL_OK) {
		printf("not ok 1 - open the dictionary: %s\n1..1\n", il_error_detail(rc));
		return 1;
	}
	analyzer.dict = d;
	IL_RUN(test_precise);
	IL_RUN(test_numbers);
	IL_RUN(test_search);
	IL_RUN(test_search_flags);
	IL_RUN(test_offsets);
	IL_RUN(test_encoding);
	IL_RUN(test_callback_stop);
	IL_RUN(test_long_line);
	IL_RUN(test_user_dict);
	IL_RUN(test_damaged_main);
	IL_RUN(test_threads);
	IL_RUN(test_alloc_failures);
	il__dict_close(d);
	IL_DONE();
}
