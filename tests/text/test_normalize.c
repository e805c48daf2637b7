/*
 * test_normalize.c - il_text_normalize(): NFKC with case folding, full
 * width to half width, traditional to simplified (characters and OpenCC
 * phrases), invalid UTF-8 refused with its byte offset, output caps, and
 * long runs of combining marks in linear time.
 */
#include "text_test.h"

#include <time.h>

static struct il_text *text;
static char out[4096];

static const char *norm(const char *s)
{
	struct il_buf b;
	int rc;
	il_buf_init(&b, 0);
	rc = il_text_normalize(text, s, strlen(s), &b);
	snprintf(out, sizeof(out), "%s%s", rc ? "ERROR " : "", il_buf_cstr(&b));
	il_buf_release(&b);
	return out;
}

static void test_width_and_case(void)
{
	IL_CHECK_STR(norm("ＡＢＣ１２３"), "abc123");
	IL_CHECK_STR(norm("Ｔｉ６Ａｌ４Ｖ"), "ti6al4v");
	/* ideographic space and full-width punctuation become ASCII */
	IL_CHECK_STR(norm("a\xE3\x80\x80"
			  "b"),
		     "a b");
	IL_CHECK_STR(norm("，（）：；！？％＆＃"), ",():;!?%&#");
	/* CJK punctuation has no half-width form and stays */
	IL_CHECK_STR(norm("一。二、「三」"), "一。二、「三」");
	IL_CHECK_STR(norm("Straße ÉCOLE ﬁ Ⅳ ①"), "strasse école fi iv 1");
	/* dash and quote variants fold onto ASCII; zero-width space goes */
	IL_CHECK_STR(norm("M10\xE2\x80\x93"
			  "3 China\xE2\x80\x99s x\xE2\x80\x8By"),
		     "m10-3 china's xy");
	/* decomposed input composes */
	IL_CHECK_STR(norm("cafe\xCC\x81"), "café");
	IL_CHECK_STR(norm(""), "");
}

static void test_traditional(void)
{
	IL_CHECK_STR(norm("鑽井泵"), "钻井泵");
	IL_CHECK_STR(norm("石油機械與頭髮"), "石油机械与头发");
	/* OpenCC's phrases: 乾 is 干 in 乾燥 but stays in 乾隆 */
	IL_CHECK_STR(norm("乾燥"), "干燥");
	IL_CHECK_STR(norm("乾隆年間"), "乾隆年间");
	/* simplified text is left alone */
	IL_CHECK_STR(norm("钻井泵柱塞耐磨涂层"), "钻井泵柱塞耐磨涂层");
	/* a compatibility ideograph and a Kangxi radical are unified first */
	IL_CHECK_STR(norm("\xEF\xA4\x80\xE2\xBC\x88"), "岂人");
	/* mixed text keeps its Latin and spaces */
	IL_CHECK_STR(norm("鑽井泵 ＰＵＭＰ 5G基站"), "钻井泵 pump 5g基站");
}

static void test_invalid(void)
{
	static const struct {
		const char *text;
		size_t len, offset;
	} cases[] = {
		{"abc\xFF", 4, 3},
		{"ok \xC0\xAF", 5, 3}, /* overlong "/" */
		{"\xE0\x80\xAF", 3, 0}, /* overlong, three bytes */
		{"x\xED\xA0\x80", 4, 1}, /* a surrogate */
		{"\xF4\x90\x80\x80", 4, 0}, /* past U+10FFFF */
		{"钻井\xE6\xB3", 8, 6}, /* truncated at the end */
		{"\xE6\xB3"
		 "a",
		 3, 0}, /* truncated before ASCII */
		{"a\x80", 2, 1}, /* a lone continuation byte */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct il_buf b;
		char want[64];
		il_buf_init(&b, 0);
		il_buf_adds(&b, "kept");
		IL_CHECK_INT(il_text_normalize(text, cases[i].text, cases[i].len, &b),
			     IL_EENCODING);
		snprintf(want, sizeof(want), "at byte %zu", cases[i].offset);
		IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), want);
		IL_CHECK_STR(il_buf_cstr(&b), "kept"); /* nothing of the bad text */
		il_buf_release(&b);
	}
	/* a NUL byte is valid UTF-8 and kept */
	struct il_buf b;
	il_buf_init(&b, 0);
	IL_CHECK_INT(il_text_normalize(text, "A\0B", 3, &b), IL_OK);
	IL_CHECK_INT(b.len, 3);
	IL_CHECK(memcmp(b.ptr, "a\0b", 3) == 0);
	il_buf_release(&b);
	IL_CHECK_INT(il_text_normalize(NULL, "a", 1, &b), IL_EINVAL);
}

static void test_appends_and_caps(void)
{
	struct il_buf b;
	il_buf_init(&b, 0);
	il_buf_adds(&b, "x:");
	IL_CHECK_INT(il_text_normalize(text, "ＡＢ", strlen("ＡＢ"), &b), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&b), "x:ab");
	il_buf_release(&b);
	il_buf_init(&b, 8);
	IL_CHECK_INT(il_text_normalize(text, "钻井泵钻井泵", strlen("钻井泵钻井泵"), &b),
		     IL_ETOOBIG);
	il_buf_release(&b);
}

static void test_long_inputs(void)
{
	/* 1 MiB of combining marks after one letter, and 4 MiB of Han with
	 * traditional characters: both must stay linear */
	size_t n = 1u << 20;
	char *s = malloc(n + 1);
	struct il_buf b;
	clock_t t0 = clock();
	IL_CHECK(s != NULL);
	if (!s)
		return;
	s[0] = 'a';
	for (size_t i = 1; i + 1 < n; i += 2) {
		s[i] = '\xCC';
		s[i + 1] = '\x81';
	}
	il_buf_init(&b, 0);
	IL_CHECK_INT(il_text_normalize(text, s, n - (n % 2 == 0), &b), IL_OK);
	IL_CHECK(b.len > n / 2);
	il_buf_release(&b);
	free(s);
	n = 4u << 20;
	s = malloc(n + 16);
	IL_CHECK(s != NULL);
	if (!s)
		return;
	size_t len = 0;
	while (len < n) {
		memcpy(s + len, "鑽井泵機械", 15);
		len += 15;
	}
	il_buf_init(&b, 0);
	IL_CHECK_INT(il_text_normalize(text, s, len, &b), IL_OK);
	IL_CHECK_INT(b.len, len);
	IL_CHECK(memcmp(b.ptr, "钻井泵机械钻井泵", 24) == 0);
	IL_CHECK(memcmp(b.ptr + len - 15, "钻井泵机械", 15) == 0);
	il_buf_release(&b);
	free(s);
	/* generous: seconds under the sanitizers, a fraction without */
	IL_CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 60.0);
}

int main(void)
{
	int rc = il_text_open(datadir("text-normalize"), IL_TEXT_NO_GLOSSARY, &text);
	if (rc != IL_OK) {
		printf("Bail out! il_text_open: %s\n", il_error_detail(rc));
		return 1;
	}
	IL_RUN(test_width_and_case);
	IL_RUN(test_traditional);
	IL_RUN(test_invalid);
	IL_RUN(test_appends_and_caps);
	IL_RUN(test_long_inputs);
	il_text_close(text);
	IL_DONE();
}
