/*
 * test_english.c - Latin-script tokens: words, numbers and codes kept
 * whole, standard numbers joined, hyphenated words with their parts,
 * Snowball stems, stop words, offsets into the original text, and the
 * limits (over-long tokens, marks).
 */
#include "text_test.h"

static struct il_text *text;

static const char *doc(const char *s)
{
	return text_dump(text, s, false);
}

static void records(const char *s, struct recs *r)
{
	text_records(text, s, false, r);
}

static void test_codes_and_numbers(void)
{
	IL_CHECK_STR(doc("Ti6Al4V coatings, ISO 9001 and GB/T 19001-2016"),
		     "ti6al4v:C@0 coat:W@1 iso9001:C@2 and:W@3s gbt19001-2016:C@4 "
		     "gbt190012016:C@4cu");
	IL_CHECK_STR(doc("M10-3 5G PCB Co., Ltd."),
		     "m10-3:C@0 m103:C@0cu 5g:C@1 pcb:W@2 co:W@3 ltd:W@4");
	IL_CHECK_STR(doc("1,200 3.5 30% 1,2345 12,345,678 ２０２４ ５０％ 1,200.50"),
		     "1200:N@0 3.5:N@1 30%:N@2 1:N@3 2345:N@4 12345678:N@5 2024:N@6 50%:N@7 "
		     "1200.50:N@8");
	IL_CHECK_STR(doc("ISO-9001 iso9001 iso 9001 Ｔｉ６Ａｌ４Ｖ Ti-6Al-4V"),
		     "iso9001:C@0 iso9001:C@1 iso9001:C@2 ti6al4v:C@3 ti-6al-4v:C@4 ti6al4v:C@4cu");
	IL_CHECK_STR(doc("API 6A, EN 10204 3.1, ISO alone, SY/T 5587"),
		     "api6a:C@0 en10204:C@1 3.1:N@2 iso:W@3 alon:W@4 syt5587:C@5");
	IL_CHECK_STR(
		doc("COVID-19 1234-2008 v1.2.3 0.5mm"),
		"covid-19:C@0 covid19:C@0cu 1234-2008:C@1 12342008:C@1cu v1.2.3:C@2 0.5mm:C@3");

	struct recs r;
	records("  Ti6Al4V and ISO 9001.", &r);
	IL_CHECK_INT(r.n, 3);
	IL_CHECK_STR(r.t[0].term, "ti6al4v");
	IL_CHECK_INT(r.t[0].kind, IL_TOK_CODE);
	IL_CHECK_INT(r.t[0].start, 2);
	IL_CHECK_INT(r.t[0].end, 9);
	IL_CHECK_INT(r.t[0].flags, 0);
	IL_CHECK(r.t[0].weight == 1.0f);
	IL_CHECK_STR(r.t[2].term, "iso9001");
	IL_CHECK_INT(r.t[2].start, 14);
	IL_CHECK_INT(r.t[2].end, 22); /* the point after it is not part of it */
	IL_CHECK_INT(r.t[2].pos, 2);
}

static void test_words_and_stems(void)
{
	IL_CHECK_STR(doc("R&D China's don’t The COATINGS running machines machinery"),
		     "r&d:W@0 china:W@1 don't:W@2s the:W@3s coat:W@4 run:W@5 machin:W@6 "
		     "machineri:W@7");
	IL_CHECK_STR(doc("coatings coating coated"), "coat:W@0 coat:W@1 coat:W@2");
	IL_CHECK_STR(doc("e.g. U.S. café naïve Straße"),
		     "e:W@0 g:W@1 u:W@2 s:W@3 café:W@4 naïve:W@5 strass:W@6");
	IL_CHECK_STR(doc("wear-resistant state-of-the-art x-ray"),
		     "wear-resist:W@0 wear:W@0cu resist:W@0cu state-of-the-art:W@1 state:W@1cu "
		     "of:W@1cus the:W@1cus art:W@1cu x-ray:W@2 x:W@2cu ray:W@2cu");
	/* a dash that is not a hyphen separates */
	IL_CHECK_STR(doc("oil—gas oil – gas"), "oil:W@0 gas:W@1 oil:W@2 gas:W@3");

	struct recs r;
	records("wear-resistant", &r);
	IL_CHECK_INT(r.n, 3);
	IL_CHECK_INT(r.t[0].start, 0);
	IL_CHECK_INT(r.t[0].end, 14);
	IL_CHECK_INT(r.t[1].start, 0);
	IL_CHECK_INT(r.t[1].end, 4);
	IL_CHECK_INT(r.t[1].flags, IL_TOKF_COLOCATED | IL_TOKF_SUBWORD);
	IL_CHECK_STR(r.t[2].term, "resist");
	IL_CHECK_INT(r.t[2].start, 5);
	IL_CHECK_INT(r.t[2].end, 14);
	IL_CHECK_INT(r.t[2].pos, 0);
}

static void test_unicode_forms(void)
{
	struct recs r;
	/* decomposed é composes; the offsets stay those of the input */
	records("cafe\xCC\x81 x", &r);
	IL_CHECK_INT(r.n, 2);
	IL_CHECK_STR(r.t[0].term, "café");
	IL_CHECK_INT(r.t[0].end, 6);
	/* a soft hyphen inside a word is invisible */
	records("coat\xC2\xADings", &r);
	IL_CHECK_INT(r.n, 1);
	IL_CHECK_STR(r.t[0].term, "coat");
	IL_CHECK_INT(r.t[0].end, 10);
	/* full-width letters, ideographic space, full-width punctuation */
	records("ＰＣＢ\xE3\x80\x80ＩＳＯ　９００１，ｏｋ", &r);
	IL_CHECK_INT(r.n, 3);
	IL_CHECK_STR(r.t[0].term, "pcb");
	IL_CHECK_INT(r.t[0].end, 9);
	IL_CHECK_STR(r.t[1].term, "iso9001");
	IL_CHECK_INT(r.t[1].kind, IL_TOK_CODE);
	IL_CHECK_STR(r.t[2].term, "ok");
	/* other scripts are words, not stemmed */
	IL_CHECK_STR(doc("Москва tests"), "москва:W@0 test:W@1");
}

static void test_limits(void)
{
	char buf[2048];
	struct recs r;
	/* a 300-letter "word" is skipped whole; what follows is found */
	memset(buf, 'a', 300);
	strcpy(buf + 300, " ok");
	records(buf, &r);
	IL_CHECK_INT(r.n, 1);
	IL_CHECK_STR(r.t[0].term, "ok");
	IL_CHECK_INT(r.t[0].start, 301);
	/* 255 bytes is still a token (left unstemmed: over 64 bytes) */
	memset(buf, 'b', 255);
	buf[255] = '\0';
	records(buf, &r);
	IL_CHECK_INT(r.n, 1);
	IL_CHECK_INT(strlen(r.t[0].term), 127); /* the record's cut */
	/* a letter with a thousand marks is one over-long token: skipped */
	strcpy(buf, "x");
	for (size_t i = 0; i < 500; i++)
		strcat(buf, "\xCC\x81");
	strcat(buf, " y");
	records(buf, &r);
	IL_CHECK_INT(r.n, 1);
	IL_CHECK_STR(r.t[0].term, "y");
	/* 40 hyphenated pieces: more than 32, skipped */
	buf[0] = '\0';
	for (size_t i = 0; i < 40; i++)
		strcat(buf, i ? "-a" : "a");
	records(buf, &r);
	IL_CHECK_INT(r.n, 0);
	IL_CHECK_STR(doc(""), "");
	IL_CHECK_STR(doc(" ,.;!? "), "");
}

static void test_stop_words(void)
{
	/* English stop words are matched unstemmed and are still reported */
	IL_CHECK_STR(doc("It's the one of them"), "it:W@0s the:W@1s one:W@2 of:W@3s them:W@4s");
	IL_CHECK_STR(doc("THE Between"), "the:W@0s between:W@1s");
	/* without stop lists nothing is flagged */
	struct il_text *bare = NULL;
	char dir[1200];
	snprintf(dir, sizeof(dir), "%s/text-english-bare", IL_TEST_TMPDIR);
	mkdir(dir, 0777);
	IL_CHECK_INT(il_text_open(dir, IL_TEXT_NO_GLOSSARY, &bare), IL_OK);
	if (bare) {
		struct il_buf b;
		il_buf_init(&b, 0);
		IL_CHECK_INT(il_text_tokenize_document(bare, "the coatings", 12, dump_tok, &b),
			     IL_OK);
		IL_CHECK_STR(il_buf_cstr(&b), "the:W@0 coat:W@1");
		il_buf_release(&b);
		il_text_close(bare);
	}
}

int main(void)
{
	int rc = il_text_open(datadir("text-english"), 0, &text);
	if (rc != IL_OK) {
		printf("Bail out! il_text_open: %s\n", il_error_detail(rc));
		return 1;
	}
	IL_RUN(test_codes_and_numbers);
	IL_RUN(test_words_and_stems);
	IL_RUN(test_unicode_forms);
	IL_RUN(test_limits);
	IL_RUN(test_stop_words);
	il_text_close(text);
	IL_DONE();
}
