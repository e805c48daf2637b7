/*
 * analyzer.c - the analyzer (struct il_text) and its two token streams.
 *
 * il_text_open() assembles the parts in dependency order: the shared
 * normaliser (normalize.c), the dictionary (dict.c), the stop words
 * (stopwords/en.txt, stopwords/zh.txt; english.c) and the glossary
 * (glossary/NAME.tsv; glossary.c), whose keys need the other three.  A
 * missing stop list or glossary directory is empty, not an error, so a
 * data directory with only dict/ still opens.  With datadir NULL the data
 * is $INNOLINK_DATA when set, else the installed share directory
 * (IL_DICT_SHARE_DIR from the build), else the source tree's data/
 * (IL_DICT_SOURCE_DIR: a build that was not installed); the CLI passes its
 * own cli_data_dir().
 *
 * Tokenizing walks the ORIGINAL text once (after one validating pass, so
 * invalid UTF-8 yields IL_EENCODING and no token at all):
 *   - a run of Han characters is cut into chunks of at most IL__HAN_CHUNK
 *     bytes, each normalised (width, traditional -> simplified) with a
 *     per-character offset map, segmented by il_text_segment() (search
 *     mode for documents, precise for queries), and its words reported
 *     with offsets mapped back to the input.  The segmenter's words are
 *     ordered by start, longer first: a word that starts inside the
 *     previous primary word is its sub-word (COLOCATED | SUBWORD), so the
 *     long word always comes first and holds the position;
 *   - a letter or digit starts a Latin token (english.c);
 *   - anything else separates tokens.
 * Positions: 0 for the first token, +1 for every token not colocated.
 *
 * Queries are collected (terms copied into a per-call arena) and, once
 * enough are buffered (and at the end), the glossary is matched over the
 * primary tokens, longest match first; only the last few words, which a
 * span could still extend into, wait for more, so a long query needs the
 * memory of a window, not of its length.  At
 * each token the key is extended word by word (il__key_add) up to the
 * glossary's longest key, and the longest span whose key is an entry wins.
 * The span's tokens are reported, then the entry's translation tokens
 * (IL_TOKF_GLOSSARY | IL_TOKF_COLOCATED, at the span's last position,
 * with the span's offsets and the pair's weight; a term already in the
 * span or given twice is reported once, with the larger weight), and
 * matching resumes after the span.
 *
 * Memory: everything of a call lives in its struct run: buffers reused
 * from token to token and one arena for the query's terms, all freed at
 * the end of the call, so tokenizing does not allocate per token.  The
 * analyzer itself is read-only after il_text_open(), which is what lets
 * threads share it.
 *
 * Depends on: base, the other files of src/text.
 */
#include "text_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Where the bundled data is when the build says nothing (it passes the
 * installed and the source tree's data directories as IL_DICT_SHARE_DIR
 * and IL_DICT_SOURCE_DIR). */
#define DATADIR_FALLBACK "/usr/local/share/innolink"

/* Translations reported for one matched span at most: a guard against a
 * glossary listing hundreds of variants of one term. */
#define MAX_EXPANSION 256
/* Query words buffered before the decided ones are reported. */
#define FLUSH_WORDS 1024

struct seg {
	size_t start, end; /* in the normalised chunk */
};

struct qtok {
	const char *term; /* in the run's arena */
	size_t len, start, end;
	enum il_token_kind kind;
	unsigned flags;
	bool gap; /* punctuation between this primary token and the previous one */
};

struct xtok {
	const char *term;
	size_t len;
	enum il_token_kind kind;
	unsigned flags;
	float weight;
};

struct run {
	const struct il_text *t;
	const char *text;
	size_t len;
	enum il__mode mode;
	il_token_fn fn;
	void *ctx;
	uint32_t pos;
	bool started;
	struct il__en_state en;
	struct il_buf han; /* the normalised Han chunk */
	struct il__hanmap map;
	struct seg *segs;
	size_t nseg, capseg;
	/* query mode */
	struct qtok *q;
	size_t nq, capq, nprim, last_end, maxw;
	bool any_primary;
	struct il_arena arena, spare; /* q's terms; spare takes the kept tail */
	struct il_buf key;
	struct xtok *x;
	size_t nx;
};

int il__text_reserve(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t c, bytes;
	if (need <= *cap)
		return IL_OK;
	c = *cap ? *cap : first;
	while (c < need)
		if (!il_size_mul(c, 2, &c))
			return IL_ENOMEM;
	if (!il_size_mul(c, size, &bytes))
		return IL_ENOMEM;
	void *q = il_realloc(*p, bytes);
	if (!q)
		return IL_ENOMEM;
	*p = q;
	*cap = c;
	return IL_OK;
}

bool il__gap(const char *text, size_t from, size_t to)
{
	while (from < to) {
		int32_t cp;
		size_t n = il__utf8_next(text, from, &cp);
		if (il__classify(cp) != IL__C_SPACE)
			return true;
		from += n;
	}
	return false;
}

/* Hands a token to the caller with its position. */
static int deliver(struct run *r, const struct il_token *tok)
{
	struct il_token out = *tok;
	if (!r->started) {
		r->started = true;
		r->pos = 0;
		out.flags &= ~(unsigned)IL_TOKF_COLOCATED;
	} else if (!(tok->flags & IL_TOKF_COLOCATED)) {
		if (r->pos == UINT32_MAX)
			return il_error_set(IL_ETOOBIG, "more than %u tokens", UINT32_MAX);
		r->pos++;
	}
	out.pos = r->pos;
	return r->fn(&out, r->ctx);
}

static int expand(struct run *r, bool final);

static int buffer(struct run *r, const struct il_token *tok)
{
	struct qtok *q;
	char *term;
	int rc;
	if ((rc = il__text_reserve((void **)&r->q, &r->capq, r->nq + 1, sizeof(*r->q), 256)) !=
	    IL_OK)
		return rc;
	if (!(term = il_arena_strndup(&r->arena, tok->term, tok->term_len)))
		return IL_ENOMEM;
	q = &r->q[r->nq++];
	q->term = term;
	q->len = tok->term_len;
	q->start = tok->start;
	q->end = tok->end;
	q->kind = tok->kind;
	q->flags = tok->flags;
	q->gap = false;
	if (!(tok->flags & IL_TOKF_COLOCATED)) {
		q->gap = r->any_primary && il__gap(r->text, r->last_end, tok->start);
		r->any_primary = true;
		r->last_end = tok->end;
		/* a long query is expanded window by window, so its buffer stays
		 * bounded: everything but the last few words can be decided */
		if (++r->nprim >= FLUSH_WORDS + r->maxw)
			return expand(r, false);
	}
	return IL_OK;
}

static int emit(void *p, const struct il_token *tok)
{
	struct run *r = p;
	if (r->mode == IL__MODE_QUERY && r->maxw > 0)
		return buffer(r, tok);
	return deliver(r, tok);
}

static int seg_collect(const struct il_token *tok, void *ctx)
{
	struct run *r = ctx;
	int rc;
	/* the chunk holds only Han, but trust no offsets we did not make */
	if (tok->kind == IL_TOK_PUNCT || tok->end <= tok->start || tok->end > r->han.len)
		return IL_OK;
	if ((rc = il__text_reserve((void **)&r->segs, &r->capseg, r->nseg + 1, sizeof(*r->segs),
				   256)) != IL_OK)
		return rc;
	r->segs[r->nseg].start = tok->start;
	r->segs[r->nseg].end = tok->end;
	r->nseg++;
	return IL_OK;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

static int han_chunk(struct run *r, size_t a, size_t b)
{
	size_t pend = 0, ps = SIZE_MAX, pe = 0;
	bool have = false, sorted = true;
	int rc;
	if ((rc = il__norm_han(r->t->norm, r->text + a, b - a, &r->han, &r->map)) != IL_OK)
		return rc;
	r->nseg = 0;
	rc = il_text_segment(r->t, r->han.ptr, r->han.len,
			     r->mode == IL__MODE_DOCUMENT ? IL_SEG_SEARCH : IL_SEG_PRECISE,
			     seg_collect, r);
	if (rc != IL_OK)
		return rc;
	for (size_t k = 1; k < r->nseg && sorted; k++)
		sorted = cmp_seg(&r->segs[k - 1], &r->segs[k]) <= 0;
	if (!sorted)
		qsort(r->segs, r->nseg, sizeof(*r->segs), cmp_seg);
	for (size_t k = 0; k < r->nseg; k++) {
		const struct seg *s = &r->segs[k];
		struct il_token tok;
		if (s->start == ps && s->end == pe)
			continue;
		tok.flags = 0;
		if (have && s->start < pend) {
			tok.flags = IL_TOKF_COLOCATED | IL_TOKF_SUBWORD;
		} else {
			pend = s->end;
			have = true;
		}
		tok.term = r->han.ptr + s->start;
		tok.term_len = s->end - s->start;
		if (il__is_stop(r->t, tok.term, tok.term_len))
			tok.flags |= IL_TOKF_STOP;
		tok.start = a + il__hanmap_orig(&r->map, s->start);
		tok.end = a + il__hanmap_orig(&r->map, s->end);
		tok.pos = 0;
		tok.kind = IL_TOK_HAN;
		tok.weight = 1.0f;
		if ((rc = emit(r, &tok)) != IL_OK)
			return rc;
		ps = s->start;
		pe = s->end;
	}
	return IL_OK;
}

static size_t next_primary(const struct run *r, size_t j)
{
	for (j++; j < r->nq && (r->q[j].flags & IL_TOKF_COLOCATED); j++)
		;
	return j;
}

static int deliver_q(struct run *r, const struct qtok *q)
{
	struct il_token tok;
	tok.term = q->term;
	tok.term_len = q->len;
	tok.start = q->start;
	tok.end = q->end;
	tok.pos = 0;
	tok.kind = q->kind;
	tok.flags = q->flags;
	tok.weight = 1.0f;
	return deliver(r, &tok);
}

/* Reports the translations of glossary entry `entry` for the span of
 * query tokens [i, end). */
static int translations(struct run *r, size_t i, size_t end, int64_t entry)
{
	struct il__gloss_iter it;
	struct il_token g;
	size_t send = 0;
	int rc;
	if (!r->x && !(r->x = il_malloc(MAX_EXPANSION * sizeof(*r->x))))
		return IL_ENOMEM;
	r->nx = 0;
	il__glossary_iter(r->t->glossary, entry, &it);
	while (il__glossary_next(&it, &g)) {
		bool dup = false;
		for (size_t k = i; k < end && !dup; k++)
			dup = r->q[k].len == g.term_len &&
			      memcmp(r->q[k].term, g.term, g.term_len) == 0;
		for (size_t k = 0; k < r->nx && !dup; k++) {
			struct xtok *x = &r->x[k];
			if (x->len == g.term_len && memcmp(x->term, g.term, g.term_len) == 0) {
				dup = true;
				if (g.weight > x->weight)
					x->weight = g.weight;
			}
		}
		if (dup || r->nx == MAX_EXPANSION)
			continue;
		r->x[r->nx].term = g.term;
		r->x[r->nx].len = g.term_len;
		r->x[r->nx].kind = g.kind;
		r->x[r->nx].flags = g.flags;
		r->x[r->nx].weight = g.weight;
		r->nx++;
	}
	for (size_t k = i; k < end; k++)
		if (r->q[k].end > send)
			send = r->q[k].end;
	for (size_t k = 0; k < r->nx; k++) {
		const struct xtok *x = &r->x[k];
		struct il_token tok;
		tok.term = x->term;
		tok.term_len = x->len;
		tok.start = r->q[i].start;
		tok.end = send;
		tok.pos = 0;
		tok.kind = x->kind;
		tok.flags = IL_TOKF_GLOSSARY | IL_TOKF_COLOCATED |
			    (x->flags & (IL_TOKF_STOP | IL_TOKF_SUBWORD));
		tok.weight = x->weight;
		if ((rc = deliver(r, &tok)) != IL_OK)
			return rc;
	}
	return IL_OK;
}

/* Moves the undecided tail q[i..nq) to the front, its terms into a fresh
 * arena, so a long query keeps O(window) memory. */
static int keep_tail(struct run *r, size_t i)
{
	struct il_arena old = r->arena;
	if (i == 0)
		return IL_OK;
	memmove(r->q, r->q + i, (r->nq - i) * sizeof(*r->q));
	r->nq -= i;
	r->arena = r->spare;
	r->spare = old;
	for (size_t k = 0; k < r->nq; k++) {
		char *term = il_arena_strndup(&r->arena, r->q[k].term, r->q[k].len);
		if (!term)
			return IL_ENOMEM;
		r->q[k].term = term;
	}
	il_arena_release(&r->spare);
	return IL_OK;
}

/* Reports the buffered query tokens with their glossary translations,
 * longest match first over the primary tokens.  Unless `final`, stops at
 * the first token whose longest possible span (maxw words, and the
 * colocated tokens after the last) is not all buffered yet. */
static int expand(struct run *r, bool final)
{
	const struct il__glossary *g = r->t->glossary;
	size_t maxw = r->maxw, i = 0;
	int rc;
	while (i < r->nq) {
		size_t end = next_primary(r, i), words = 0, used = 0;
		int64_t entry = -1;
		bool prev_han = false;
		if (!final && r->nprim <= maxw)
			break;
		il_buf_reset(&r->key);
		for (size_t j = i; j < r->nq && words < maxw; j = next_primary(r, j)) {
			const struct qtok *q = &r->q[j];
			bool han = q->kind == IL_TOK_HAN;
			int64_t e;
			rc = il__key_add(&r->key, q->term, q->len, han, prev_han,
					 words > 0 && q->gap);
			if (rc != IL_OK)
				return rc;
			words++;
			prev_han = han;
			if ((e = il__glossary_find(g, r->key.ptr, r->key.len)) >= 0) {
				entry = e;
				end = next_primary(r, j);
				used = words;
			}
		}
		for (size_t k = i; k < end; k++)
			if ((rc = deliver_q(r, &r->q[k])) != IL_OK)
				return rc;
		if (entry >= 0 && (rc = translations(r, i, end, entry)) != IL_OK)
			return rc;
		r->nprim -= used ? used : 1;
		i = end;
	}
	return final ? IL_OK : keep_tail(r, i);
}

int il__analyze(const struct il_text *t, const char *text, size_t len, enum il__mode mode,
		il_token_fn fn, void *ctx)
{
	struct run r;
	size_t i = 0, bad;
	int rc = IL_OK;
	if (!t || !fn || (!text && len))
		return il_error_set(IL_EINVAL, "tokenize: no analyzer, text or callback");
	if (!il__utf8_valid(text, len, &bad))
		return il_error_set(IL_EENCODING, "invalid UTF-8 at byte %zu", bad);
	memset(&r, 0, sizeof(r));
	r.t = t;
	r.text = text;
	r.len = len;
	r.mode = mode;
	r.fn = fn;
	r.ctx = ctx;
	il__en_state_init(&r.en);
	il_buf_init(&r.han, 0);
	il_buf_init(&r.map.tmp, 0);
	il_buf_init(&r.key, 0);
	il_arena_init(&r.arena, 64 * 1024, 0);
	il_arena_init(&r.spare, 64 * 1024, 0);
	if (mode == IL__MODE_QUERY)
		r.maxw = il__glossary_max_words(t->glossary);
	while (i < len && rc == IL_OK) {
		int32_t cp;
		size_t n = il__utf8_next(text, i, &cp);
		enum il__cls c = il__classify(cp);
		if (c == IL__C_HAN) {
			size_t j = il__han_run_end(text, len, i);
			rc = han_chunk(&r, i, j);
			i = j;
		} else if (c == IL__C_LETTER || c == IL__C_DIGIT) {
			rc = il__en_token(t, &r.en, text, len, &i, emit, &r);
		} else {
			i += n;
		}
	}
	if (rc == IL_OK && r.maxw > 0)
		rc = expand(&r, true);
	il__en_state_release(&r.en);
	il_buf_release(&r.han);
	il__hanmap_release(&r.map);
	il_buf_release(&r.key);
	il_arena_release(&r.arena);
	il_arena_release(&r.spare);
	free(r.segs);
	free(r.q);
	free(r.x);
	return rc;
}

int il_text_tokenize_document(const struct il_text *t, const char *text, size_t len, il_token_fn fn,
			      void *ctx)
{
	return il__analyze(t, text, len, IL__MODE_DOCUMENT, fn, ctx);
}

int il_text_tokenize_query(const struct il_text *t, const char *text, size_t len, il_token_fn fn,
			   void *ctx)
{
	return il__analyze(t, text, len, IL__MODE_QUERY, fn, ctx);
}

#if defined(IL_DICT_SHARE_DIR) || defined(IL_DICT_SOURCE_DIR)
static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
#endif

/* The bundled data: $INNOLINK_DATA, else the installed share directory,
 * else (a build that was not installed) the source tree's data/. */
static const char *default_datadir(void)
{
	const char *env = getenv("INNOLINK_DATA");
	if (env && *env)
		return env;
#ifdef IL_DICT_SHARE_DIR
	if (is_dir(IL_DICT_SHARE_DIR))
		return IL_DICT_SHARE_DIR;
#endif
#ifdef IL_DICT_SOURCE_DIR
	if (is_dir(IL_DICT_SOURCE_DIR))
		return IL_DICT_SOURCE_DIR;
#endif
	return DATADIR_FALLBACK;
}

static int join_path(char *out, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size)
		return il_error_set(IL_EINVAL, "data path too long: %s/%s", dir, name);
	return IL_OK;
}

int il_text_open(const char *datadir, unsigned flags, struct il_text **out)
{
	struct il_text *t;
	char path[4096];
	int rc;
	if (!out)
		return il_error_set(IL_EINVAL, "il_text_open: no result pointer");
	*out = NULL;
	if (!datadir)
		datadir = default_datadir();
	if (!(t = il_calloc(1, sizeof(*t))))
		return IL_ENOMEM;
	t->flags = flags;
	il_strmap_init(&t->stop);
	if ((rc = il__norm_open(&t->norm)) != IL_OK ||
	    (rc = il__dict_open(datadir, flags, &t->dict)) != IL_OK)
		goto fail;
	if ((rc = join_path(path, sizeof(path), datadir, "stopwords/en.txt")) != IL_OK ||
	    (rc = il__stop_load(t, path)) != IL_OK ||
	    (rc = join_path(path, sizeof(path), datadir, "stopwords/zh.txt")) != IL_OK ||
	    (rc = il__stop_load(t, path)) != IL_OK)
		goto fail;
	if (!(flags & IL_TEXT_NO_GLOSSARY) &&
	    ((rc = join_path(path, sizeof(path), datadir, "glossary")) != IL_OK ||
	     (rc = il__glossary_load(t, path, &t->glossary)) != IL_OK))
		goto fail;
	*out = t;
	return IL_OK;
fail:
	il_text_close(t);
	return rc;
}

void il_text_close(struct il_text *t)
{
	if (!t)
		return;
	il__glossary_close(t->glossary);
	il_strmap_release(&t->stop);
	if (t->dict)
		il__dict_close(t->dict);
	il__norm_close(t->norm);
	free(t);
}

size_t il_text_glossary_size(const struct il_text *t)
{
	return t ? il__glossary_pairs(t->glossary) : 0;
}
