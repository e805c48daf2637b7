/*
 * index_test.h - what the tests of tests/index share: a small tokenizer of
 * their own (so expected scores do not move when the dictionaries change),
 * documents put in one call, and search results flattened into a string
 * to compare with IL_CHECK_STR.
 *
 * The tokenizer: runs of ASCII letters and digits are words (lower-cased),
 * every non-ASCII code point is a word of its own, anything else separates;
 * "the", "of", "for" and "and" are stop words (reported with IL_TOKF_STOP,
 * holding a position).  Queries also get translations from a three-entry
 * glossary (泵 -> pump 0.5, 涂 -> coating 0.5, 钻 -> drill bit 0.8), colocated
 * with the word's offsets, as the real analyzer reports them.
 *
 * Header-only: everything is static inline (see tests/io/io_test.h).
 */
#ifndef INNOLINK_INDEX_TEST_H
#define INNOLINK_INDEX_TEST_H

#include <innolink/index.h>

#include "index/index_internal.h"
#include "test.h"

#include <math.h>

static inline bool tt_stop(const char *t, size_t n)
{
	static const char *const stop[] = {"the", "of", "for", "and"};
	for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		if (strlen(stop[i]) == n && memcmp(stop[i], t, n) == 0)
			return true;
	return false;
}

static inline int tt_run(const char *text, size_t len, il_token_fn fn, void *ctx, bool query)
{
	static const struct {
		const char *from, *to;
		float w;
	} gloss[] = {{"泵", "pump", 0.5f}, {"涂", "coating", 0.5f}, {"钻", "drill bit", 0.8f}};
	uint32_t pos = 0;
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		size_t start = i, n;
		char term[256];
		struct il_token tok;
		int rc;
		if (c >= 0x80) {
			n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
			i += n;
			if (i > len)
				i = len;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9')) {
			while (i < len && ((text[i] >= 'a' && text[i] <= 'z') ||
					   (text[i] >= 'A' && text[i] <= 'Z') ||
					   (text[i] >= '0' && text[i] <= '9')))
				i++;
		} else {
			i++;
			continue;
		}
		n = i - start < sizeof(term) ? i - start : sizeof(term) - 1;
		for (size_t k = 0; k < n; k++) {
			char ch = text[start + k];
			term[k] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
		}
		term[n] = '\0';
		memset(&tok, 0, sizeof(tok));
		tok.term = term;
		tok.term_len = n;
		tok.start = start;
		tok.end = i;
		tok.pos = pos;
		tok.kind = c >= 0x80 ? IL_TOK_HAN : IL_TOK_WORD;
		tok.flags = tt_stop(term, n) ? IL_TOKF_STOP : 0;
		tok.weight = 1.0f;
		if ((rc = fn(&tok, ctx)) != 0)
			return rc;
		for (size_t g = 0; query && g < sizeof(gloss) / sizeof(gloss[0]); g++) {
			if (strcmp(gloss[g].from, term) != 0)
				continue;
			const char *to = gloss[g].to;
			while (*to) {
				size_t w = strcspn(to, " ");
				struct il_token tr = tok;
				char t2[64];
				memcpy(t2, to, w);
				t2[w] = '\0';
				tr.term = t2;
				tr.term_len = w;
				tr.kind = IL_TOK_WORD;
				tr.flags = IL_TOKF_GLOSSARY | IL_TOKF_COLOCATED;
				tr.weight = gloss[g].w;
				if ((rc = fn(&tr, ctx)) != 0)
					return rc;
				to += w;
				while (*to == ' ')
					to++;
			}
		}
		pos++;
	}
	return 0;
}

static inline int tt_doc(void *ctx, const char *text, size_t len, il_token_fn fn, void *fnctx)
{
	(void)ctx;
	return tt_run(text, len, fn, fnctx, false);
}

static inline int tt_query(void *ctx, const char *text, size_t len, il_token_fn fn, void *fnctx)
{
	(void)ctx;
	return tt_run(text, len, fn, fnctx, true);
}

/* An empty index on the test tokenizer. */
static inline struct il_index *tt_open(void)
{
	struct il_index *ix = NULL;
	IL_CHECK_INT(il_index_open(NULL, NULL, &ix), IL_OK);
	if (ix)
		il__index_set_tokenizer(ix, tt_doc, tt_query, NULL);
	return ix;
}

/* A document with texts for title, keywords, body and names (each may be
 * NULL); other attributes at their defaults. */
static inline void tt_doc_init(struct il_index_doc *d, enum il_kind kind, const char *id,
			       const char *title, const char *keywords, const char *body,
			       const char *names)
{
	const char *t[IL_IF__COUNT] = {title, keywords, body, names};
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->id = id;
	d->date = INT32_MIN;
	for (int f = 0; f < IL_IF__COUNT; f++) {
		d->text[f] = t[f];
		d->len[f] = t[f] ? strlen(t[f]) : 0;
	}
}

static inline int tt_put(struct il_index *ix, enum il_kind kind, const char *id, const char *title,
			 const char *keywords, const char *body, const char *names)
{
	struct il_index_doc d;
	tt_doc_init(&d, kind, id, title, keywords, body, names);
	return il_index_put(ix, &d);
}

/* Runs q and writes "id id id" (scores with "%.5f" after ':' when
 * with_scores) into out; returns the search's code. */
static inline int tt_hits(const struct il_index *ix, const struct il_index_query *q,
			  bool with_scores, bool prune, char *out, size_t cap, size_t *total)
{
	struct il_arena a;
	struct il_index_hit *hits = NULL;
	size_t n = 0, used = 0;
	int rc;
	il_arena_init(&a, 0, 0);
	rc = il__search(ix, q, prune, &a, &hits, &n, total);
	out[0] = '\0';
	for (size_t i = 0; rc == IL_OK && i < n; i++) {
		int w = with_scores ? snprintf(out + used, cap - used, "%s%s:%.5f", i ? " " : "",
					       hits[i].id, (double)hits[i].score)
				    : snprintf(out + used, cap - used, "%s%s", i ? " " : "",
					       hits[i].id);
		if (w < 0 || (size_t)w >= cap - used)
			break;
		used += (size_t)w;
	}
	il_arena_release(&a);
	return rc;
}

/* The ids of a query's hits (OR, all kinds, k 10), into a static buffer. */
static inline const char *tt_ids(const struct il_index *ix, const char *text)
{
	static char buf[4096];
	struct il_index_query q;
	il_index_query_init(&q, text, strlen(text));
	if (tt_hits(ix, &q, false, true, buf, sizeof(buf), NULL) != IL_OK)
		snprintf(buf, sizeof(buf), "error: %s", il_error_detail(IL_EINVAL));
	return buf;
}

#define IL_CHECK_NEAR(a, b, eps)                                                                   \
	do {                                                                                       \
		double il__x = (double)(a), il__y = (double)(b);                                   \
		il_test_checks++;                                                                  \
		if (!(fabs(il__x - il__y) <= (eps))) {                                             \
			il_test_failures++;                                                        \
			printf("# %s:%d: %s == %.7f, expected %s == %.7f\n", __FILE__, __LINE__,   \
			       #a, il__x, #b, il__y);                                              \
		}                                                                                  \
	} while (0)

#endif
