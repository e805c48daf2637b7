/*
 * fuzz_query.c - libFuzzer target for the search query syntax and its
 * evaluation: words, +required, -excluded, "phrases", field:term, any
 * bytes at all.
 *
 * Input: one byte of options, then the query text.  Option bits: 0 AND,
 * 1 include hidden, 2 no expansion, 3 achievements only, 4 region 4210,
 * 5 k = 1 (else 10), 6 a date range, 7 a chain link.  The index is a small
 * fixed corpus built on first use with a tokenizer of this file (ASCII
 * words lower-cased, every other code point a word, "the"/"of" stop words,
 * 泵 -> pump and 钻 -> drill bit as translations), so a run does not depend
 * on the dictionaries.
 *
 * Any answer but IL_OK, or IL_EINVAL for text that is not UTF-8, is a bug;
 * so are more than k hits, hits not best first, and a pruned answer that
 * differs from the exhaustive one (block-max WAND must be exact).
 */
#include "index/index_internal.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int tokenize(const char *text, size_t len, il_token_fn fn, void *ctx, bool query)
{
	uint32_t pos = 0;
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		size_t start = i, n;
		char term[64];
		struct il_token tok;
		int rc;
		if (c >= 0x80) {
			i += c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (i > len)
				i = len;
		} else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
			while (i < len && (((unsigned char)text[i] | 0x20) >= 'a' &&
					   ((unsigned char)text[i] | 0x20) <= 'z'))
				i++;
		} else {
			i++;
			continue;
		}
		n = i - start < sizeof(term) ? i - start : sizeof(term) - 1;
		for (size_t k = 0; k < n; k++)
			term[k] = (unsigned char)text[start + k] < 0x80
					  ? (char)(text[start + k] | 0x20)
					  : text[start + k];
		memset(&tok, 0, sizeof(tok));
		tok.term = term;
		tok.term_len = n;
		tok.start = start;
		tok.end = i;
		tok.pos = pos++;
		tok.kind = c >= 0x80 ? IL_TOK_HAN : IL_TOK_WORD;
		tok.flags = (n == 3 && memcmp(term, "the", 3) == 0) ||
					    (n == 2 && memcmp(term, "of", 2) == 0)
				    ? IL_TOKF_STOP
				    : 0;
		tok.weight = 1.0f;
		if ((rc = fn(&tok, ctx)) != 0)
			return rc;
		if (!query || c < 0x80)
			continue;
		const char *tr = NULL;
		if (n == 3 && memcmp(term, "泵", 3) == 0)
			tr = "pump";
		else if (n == 3 && memcmp(term, "钻", 3) == 0)
			tr = "drill bit";
		while (tr && *tr) {
			size_t w = strcspn(tr, " ");
			struct il_token x = tok;
			x.term = tr;
			x.term_len = w;
			x.kind = IL_TOK_WORD;
			x.flags = IL_TOKF_GLOSSARY | IL_TOKF_COLOCATED;
			x.weight = 0.6f;
			if ((rc = fn(&x, ctx)) != 0)
				return rc;
			tr += w;
			while (*tr == ' ')
				tr++;
		}
	}
	return 0;
}

static int tok_doc(void *ctx, const char *text, size_t len, il_token_fn fn, void *fnctx)
{
	(void)ctx;
	return tokenize(text, len, fn, fnctx, false);
}

static int tok_query(void *ctx, const char *text, size_t len, il_token_fn fn, void *fnctx)
{
	(void)ctx;
	return tokenize(text, len, fn, fnctx, true);
}

static struct il_index *corpus(void)
{
	static struct il_index *ix;
	static const char *const words[] = {"pump", "plunger", "wear", "coating", "drill", "bit",
					    "seal", "valve",   "the",  "泵",      "钻",    "rock"};
	if (ix)
		return ix;
	if (il_index_open(NULL, NULL, &ix) != IL_OK)
		__builtin_trap();
	il__index_set_tokenizer(ix, tok_doc, tok_query, NULL);
	il_index_region_parent(ix, "421002", "4210");
	for (unsigned i = 0; i < 600; i++) {
		char id[16], text[IL_IF__COUNT][128];
		const char *links[1] = {i % 3 ? "L1" : "L2"};
		struct il_index_doc d;
		memset(&d, 0, sizeof(d));
		for (unsigned f = 0; f < IL_IF__COUNT; f++) {
			size_t used = 0;
			unsigned nw = 1 + (i * 7 + f * 3) % 9;
			text[f][0] = '\0';
			for (unsigned w = 0; w < nw; w++)
				used += (size_t)snprintf(text[f] + used, sizeof(text[f]) - used,
							 "%s ", words[(i * 31 + w * 17 + f) % 12]);
			d.text[f] = text[f];
			d.len[f] = used;
		}
		snprintf(id, sizeof(id), "D%u", i);
		d.kind = i % 2 ? IL_KIND_ACHIEVEMENT : IL_KIND_DEMAND;
		d.id = id;
		d.region = i % 4 ? "421002" : "44";
		d.links = links;
		d.nlinks = 1;
		d.date = 19000 + (int32_t)i;
		d.hidden = i % 13 == 0;
		if (il_index_put(ix, &d) != IL_OK)
			__builtin_trap();
		if (i % 9 == 0)
			il_index_delete(ix, d.kind, id);
	}
	return ix;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct il_index *ix = corpus();
	struct il_index_query q;
	struct il_arena a, b;
	struct il_index_hit *hits = NULL, *all = NULL;
	size_t n = 0, na = 0, total = 0;
	unsigned opt;
	int rc, rc2;
	if (size == 0 || size > 65536)
		return 0;
	opt = data[0];
	il_index_query_init(&q, (const char *)data + 1, size - 1);
	q.op = opt & 1u ? IL_QUERY_AND : IL_QUERY_OR;
	q.include_hidden = opt & 2u;
	q.expand = !(opt & 4u);
	q.kinds = opt & 8u ? 1u << IL_KIND_ACHIEVEMENT : 0;
	q.region = opt & 16u ? "4210" : NULL;
	q.k = opt & 32u ? 1 : 10;
	if (opt & 64u) {
		q.date_from = 19100;
		q.date_to = 19400;
	}
	q.link = opt & 128u ? "L2" : NULL;
	il_arena_init(&a, 0, 0);
	il_arena_init(&b, 0, 0);
	rc = il_index_search(ix, &q, &a, &hits, &n, &total);
	rc2 = il__search(ix, &q, false, &b, &all, &na, NULL);
	if (rc != rc2)
		__builtin_trap();
	if (rc != IL_OK && !(rc == IL_EINVAL && !il_utf8_valid(q.text, q.len)))
		__builtin_trap();
	if (rc == IL_OK) {
		if (n > q.k || n != na || (n && total < n))
			__builtin_trap();
		for (size_t i = 0; i < n; i++) {
			if (strcmp(hits[i].id, all[i].id) != 0 || hits[i].score != all[i].score)
				__builtin_trap();
			if (i && hits[i].score > hits[i - 1].score)
				__builtin_trap();
		}
	}
	il_arena_release(&a);
	il_arena_release(&b);
	return 0;
}
