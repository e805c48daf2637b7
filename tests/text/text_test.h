/*
 * text_test.h - what the tests of tests/text share: a private data
 * directory of the real stop lists and the fixture glossary, a token stream
 * dumped into one string to compare with IL_CHECK_STR, tokens recorded into
 * an array to check field by field, and writing whole files.
 *
 * Header-only for the test executables (tests/CMakeLists.txt builds each
 * test_*.c alone): the functions are static inline, so a test that does not
 * use one gets no unused-function warning.  Checks made here report this
 * file's line; the TAP line names the test that called.
 */
#ifndef INNOLINK_TEXT_TEST_H
#define INNOLINK_TEXT_TEST_H

#include <innolink/text.h>

#include "test.h"

#include <sys/stat.h>
#include <unistd.h>

/* A data directory of the real stop lists and the fixture glossary,
 * private to this test so parallel tests do not race.  It has no dict/, so
 * the segmenter uses the main dictionary alone (from the build tree): the
 * expected words do not change when data/dict/ gains user words.
 * Borrowed: a static buffer, valid until the next call. */
static inline const char *datadir(const char *name)
{
	static char dir[1024];
	static const char *const parts[][2] = {
		{"stopwords", "/../data/stopwords"},
		{"glossary", "/fixtures/text/glossary"},
	};
	struct stat st;
	snprintf(dir, sizeof(dir), "%s/%s", IL_TEST_TMPDIR, name);
	mkdir(dir, 0777);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char link[1200], target[1200];
		snprintf(target, sizeof(target), "%s%s", IL_TEST_SRCDIR, parts[i][1]);
		snprintf(link, sizeof(link), "%s/%s", dir, parts[i][0]);
		unlink(link);
		if (stat(target, &st) == 0)
			IL_CHECK(symlink(target, link) == 0);
	}
	return dir;
}

/* An il_token_fn appending "term:K@pos" + flags (c colocated, u subword,
 * g glossary, s stop) to the struct il_buf ctx, a space between tokens. */
static inline int dump_tok(const struct il_token *t, void *ctx)
{
	struct il_buf *b = ctx;
	static const char kinds[] = "WHNCP";
	if (b->len)
		il_buf_addc(b, ' ');
	il_buf_add(b, t->term, t->term_len);
	il_buf_addf(b, ":%c@%u", kinds[t->kind], (unsigned)t->pos);
	if (t->flags & IL_TOKF_COLOCATED)
		il_buf_addc(b, 'c');
	if (t->flags & IL_TOKF_SUBWORD)
		il_buf_addc(b, 'u');
	if (t->flags & IL_TOKF_GLOSSARY)
		il_buf_addc(b, 'g');
	if (t->flags & IL_TOKF_STOP)
		il_buf_addc(b, 's');
	return 0;
}

/* The tokens of s, a query or a document, as dump_tok writes them, after
 * "ERROR " when tokenizing failed.  Borrowed: a static buffer, valid until
 * the next call (so not for threads). */
static inline const char *text_dump(struct il_text *t, const char *s, bool query)
{
	static char last[4096];
	struct il_buf b;
	int rc;
	il_buf_init(&b, 0);
	rc = query ? il_text_tokenize_query(t, s, strlen(s), dump_tok, &b)
		   : il_text_tokenize_document(t, s, strlen(s), dump_tok, &b);
	snprintf(last, sizeof(last), "%s%s", rc ? "ERROR " : "", il_buf_cstr(&b));
	il_buf_release(&b);
	return last;
}

/* Tokens recorded field by field: the first MAX_TOKS are kept (terms cut
 * at 127 bytes), n counts them all. */
#define MAX_TOKS 64
struct rec {
	char term[128];
	size_t start, end;
	uint32_t pos;
	enum il_token_kind kind;
	unsigned flags;
	float weight;
};
struct recs {
	size_t n;
	struct rec t[MAX_TOKS];
};

/* An il_token_fn appending to the struct recs ctx. */
static inline int record(const struct il_token *t, void *ctx)
{
	struct recs *r = ctx;
	if (r->n < MAX_TOKS) {
		struct rec *x = &r->t[r->n];
		snprintf(x->term, sizeof(x->term), "%.*s", (int)t->term_len, t->term);
		x->start = t->start;
		x->end = t->end;
		x->pos = t->pos;
		x->kind = t->kind;
		x->flags = t->flags;
		x->weight = t->weight;
	}
	r->n++;
	return 0;
}

/* Records the tokens of s, a query or a document, into r (emptied first);
 * checks that tokenizing succeeds. */
static inline void text_records(struct il_text *t, const char *s, bool query, struct recs *r)
{
	memset(r, 0, sizeof(*r));
	IL_CHECK_INT(query ? il_text_tokenize_query(t, s, strlen(s), record, r)
			   : il_text_tokenize_document(t, s, strlen(s), record, r),
		     IL_OK);
}

/* Writes data[0..len) to path, replacing it; false when anything failed. */
static inline bool write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(data, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = false;
	return ok;
}

static inline bool write_str(const char *path, const char *s)
{
	return write_file(path, s, strlen(s));
}

#endif
