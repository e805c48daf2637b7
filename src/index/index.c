/*
 * index.c - the index handle: open and close, adding, replacing and
 * deleting documents, the region tree, statistics, and how a stored record
 * becomes an index document.
 *
 * A put analyses the document's fields into (term, field, position)
 * triples in a scratch array, sorts them, and appends one posting per
 * distinct term (postings.c).  Its steps are ordered so that a failure at
 * any point leaves the index as it was:
 *   1. every array that the commit writes grows first (document table,
 *      bitmaps, key table, forward list);
 *   2. the text is analysed; new terms enter the dictionary with df 0,
 *      which no search can tell from an absent term;
 *   3. the document id is taken as a dead hole, then its postings are
 *      appended: a failure here leaves postings of a dead document, the
 *      same state a delete leaves, cleaned by the next compaction;
 *   4. the commit, which cannot fail, makes it live, moves its key from
 *      the document it replaces (if any) and adds it to df and the length
 *      sums.
 * A put is thus "delete + add as a new id": replaced documents wait as
 * tombstones for compaction like deleted ones.
 *
 * Field lengths count the positions of non-stop words (a long Chinese word
 * and its search-mode sub-words share one position and count once).  Stop
 * words are not indexed, but they keep their positions, so a phrase with a
 * stop word inside still checks the distance across it.
 *
 * Depends on: base, model, text, index_internal.h.
 */
#include "index/index_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void il_index_config_init(struct il_index_config *cfg)
{
	static const float w[IL_IF__COUNT] = {3.0f, 2.0f, 1.0f, 1.0f};
	cfg->k1 = 1.2f;
	cfg->b = 0.75f;
	for (int f = 0; f < IL_IF__COUNT; f++)
		cfg->weight[f] = w[f];
}

/* The current day since 1970-01-01 (rounded down, also before 1970). */
static int32_t today(void)
{
	int64_t t = il_time_now_unix(), day = t / 86400 - (t % 86400 < 0);
	return day < INT32_MIN ? INT32_MIN : day > INT32_MAX ? INT32_MAX : (int32_t)day;
}

void il_index_query_init(struct il_index_query *q, const char *text, size_t len)
{
	memset(q, 0, sizeof(*q));
	q->text = text;
	q->len = len;
	q->op = IL_QUERY_OR;
	q->date_from = INT32_MIN;
	q->date_to = INT32_MAX;
	q->today = today();
	q->expand = true;
	q->k = 10;
}

static int check_config(const struct il_index_config *c)
{
	if (!(c->k1 > 0.0f) || !isfinite(c->k1))
		return il_error_set(IL_EINVAL, "index config: k1 must be a positive number, not %g",
				    (double)c->k1);
	if (!(c->b >= 0.0f && c->b <= 1.0f))
		return il_error_set(IL_EINVAL, "index config: b must be within 0..1, not %g",
				    (double)c->b);
	for (int f = 0; f < IL_IF__COUNT; f++)
		if (!(c->weight[f] >= 0.0f) || !isfinite(c->weight[f]))
			return il_error_set(IL_EINVAL,
					    "index config: weight of field %d must be >= 0, not %g",
					    f, (double)c->weight[f]);
	return IL_OK;
}

int il_index_open(const struct il_text *text, const struct il_index_config *cfg,
		  struct il_index **out)
{
	struct il_index_config def;
	struct il_index *ix;
	int rc;
	if (!out)
		return il_error_set(IL_EINVAL, "il_index_open: no result pointer");
	*out = NULL;
	if (!cfg) {
		il_index_config_init(&def);
		cfg = &def;
	}
	if ((rc = check_config(cfg)) != IL_OK)
		return rc;
	if (!(ix = il_calloc(1, sizeof(*ix))))
		return il_error_set(IL_ENOMEM, "il_index_open: out of memory");
	if (pthread_mutex_init(&ix->fcache.lock, NULL) != 0) {
		free(ix);
		return il_error_set(IL_ENOMEM, "il_index_open: cannot make a lock");
	}
	atomic_init(&ix->fcache.n, 0u);
	ix->text = text;
	ix->m.k1 = cfg->k1;
	ix->m.b = cfg->b;
	for (int f = 0; f < IL_IF__COUNT; f++) {
		ix->m.weight[f] = cfg->weight[f];
		ix->m.ref_avg[f] = 1.0;
	}
	*out = ix;
	return IL_OK;
}

void il_index_close(struct il_index *ix)
{
	if (!ix)
		return;
	il__index_free_arrays(ix);
	il__arr_release(&ix->pend);
	il__arr_release(&ix->pkeys);
	il__arr_release(&ix->scratch);
	il__arr_release(&ix->pscratch);
	il__arr_release(&ix->sortbuf);
	pthread_mutex_destroy(&ix->fcache.lock);
	free(ix);
}

void il__index_set_tokenizer(struct il_index *ix, il__tokenize_fn doc, il__tokenize_fn query,
			     void *ctx)
{
	ix->tok_doc = doc;
	ix->tok_query = query;
	ix->tok_ctx = ctx;
}

/* The tokens of the put's next text from its analysis ahead; false when
 * that text has to be analysed here (it failed ahead). */
static bool replay(const struct il_index *ix, il_token_fn fn, void *ctx, int *rc)
{
	struct il__pre *p = ix->pre;
	const uint32_t *texts = IL__AT(p->texts, const uint32_t);
	const struct il__pretok *t = IL__AT(p->toks, const struct il__pretok);
	uint32_t i = p->next++, from;
	if ((size_t)i * 2 >= IL__COUNT(p->texts, uint32_t) || texts[2 * i + 1])
		return false;
	from = i ? texts[2 * i - 2] : 0;
	*rc = IL_OK;
	for (uint32_t k = from; k < texts[2 * i] && *rc == IL_OK; k++) {
		struct il_token tok;
		memset(&tok, 0, sizeof(tok));
		tok.term = (const char *)p->pool.p + t[k].off;
		tok.term_len = t[k].len;
		tok.pos = t[k].pos;
		tok.kind = (enum il_token_kind)t[k].kind;
		tok.flags = t[k].flags;
		tok.weight = 1.0f;
		*rc = fn(&tok, ctx);
	}
	return true;
}

static int tokenize_doc(const struct il_index *ix, const char *text, size_t len, il_token_fn fn,
			void *ctx)
{
	int rc;
	if (ix->pre && replay(ix, fn, ctx, &rc))
		return rc;
	if (ix->tok_doc)
		return ix->tok_doc(ix->tok_ctx, text, len, fn, ctx);
	if (!ix->text)
		return il_error_set(IL_EINVAL, "index has no text analyzer");
	return il_text_tokenize_document(ix->text, text, len, fn, ctx);
}

int il__index_tokenize_query(const struct il_index *ix, const char *text, size_t len,
			     il_token_fn fn, void *ctx)
{
	if (ix->tok_query)
		return ix->tok_query(ix->tok_ctx, text, len, fn, ctx);
	if (!ix->text)
		return il_error_set(IL_EINVAL, "index has no text analyzer");
	return il_text_tokenize_query(ix->text, text, len, fn, ctx);
}

size_t il_index_size(const struct il_index *ix)
{
	return ix ? ix->m.nlive : 0;
}

struct put_ctx {
	struct il_index *ix;
	uint32_t field;
	uint32_t base; /* position of this text's first token */
	uint32_t next_base; /* a position past the last token seen, plus a gap */
	uint32_t len; /* positions of non-stop words in the field */
	int rc;
};

/*
 * A token whose term is not looked up yet.  Analysis only hashes each term
 * and starts loading its dictionary slot; the lookups come after the
 * document's last token (resolve), by then mostly from cache: a term not
 * in cache costs one wait for the document instead of one for each of
 * its tokens.
 */
struct pending {
	uint64_t head; /* a short key's bytes (IL__DICT_SHORT) */
	uint32_t h, len, off; /* hash, a longer key's bytes at pkeys[off..] */
	uint32_t field, pos;
};

/* Records a token of the document being put. */
static int add_triple(struct il_index *ix, const char *term, size_t len, uint32_t field,
		      uint32_t pos)
{
	struct pending p;
	int rc;
	if (ix->pkeys.len > UINT32_MAX - len)
		return il_error_set(IL_ETOOBIG, "index: a document with too many term bytes");
	if ((rc = il__arr_reserve(&ix->pend, sizeof(p))) != IL_OK ||
	    (rc = il__arr_reserve(&ix->pkeys, len)) != IL_OK)
		return rc;
	p.h = il__dict_hash(term, len, &p.head);
	il__dict_prefetch(&ix->terms, p.h);
	p.len = (uint32_t)len;
	p.off = (uint32_t)ix->pkeys.len;
	p.field = field;
	p.pos = pos;
	if (len > IL__DICT_SHORT) {
		memcpy(ix->pkeys.p + ix->pkeys.len, term, len);
		ix->pkeys.len += len;
	}
	memcpy(ix->pend.p + ix->pend.len, &p, sizeof(p));
	ix->pend.len += sizeof(p);
	return IL_OK;
}

/* Looks up (or adds, with df 0) the term of every pending token, into the
 * scratch list of triples; *ordered tells whether they are in (field,
 * position) order. */
static int resolve(struct il_index *ix, bool *ordered)
{
	const struct pending *p = IL__AT(ix->pend, const struct pending);
	size_t n = IL__COUNT(ix->pend, struct pending);
	struct il__tok3 *t;
	int rc;
	if ((rc = il__arr_reserve(&ix->scratch, n * sizeof(*t))) != IL_OK)
		return rc;
	t = IL__AT(ix->scratch, struct il__tok3);
	for (size_t i = 0; i < n; i++) {
		bool added;
		if ((rc = il__arr_reserve(&ix->tinfo, sizeof(struct il__term))) != IL_OK ||
		    (rc = il__dict_add_hashed(&ix->terms,
					      p[i].len > IL__DICT_SHORT ? ix->pkeys.p + p[i].off
									: (const void *)&p[i].head,
					      p[i].len, p[i].h, p[i].head, &t[i].term, &added)) !=
			    IL_OK)
			return rc;
		if (added) {
			struct il__term nt = {0, IL__NONE, IL__NONE, 0.0f};
			memcpy(ix->tinfo.p + ix->tinfo.len, &nt, sizeof(nt));
			ix->tinfo.len += sizeof(nt);
		}
		t[i].field = p[i].field;
		t[i].pos = p[i].pos;
		if (i && (p[i].field < p[i - 1].field ||
			  (p[i].field == p[i - 1].field && p[i].pos < p[i - 1].pos)))
			*ordered = false;
	}
	ix->scratch.len = n * sizeof(*t);
	return IL_OK;
}

static int on_doc_token(const struct il_token *tok, void *vctx)
{
	struct put_ctx *c = vctx;
	uint32_t pos;
	if (tok->kind == IL_TOK_PUNCT)
		return 0;
	if (tok->pos > UINT32_MAX - 2 - c->base)
		return c->rc = il_error_set(IL_ETOOBIG, "index: too many tokens in one field");
	pos = c->base + tok->pos;
	if (pos + 2 > c->next_base)
		c->next_base = pos + 2;
	if (!(tok->flags & (IL_TOKF_COLOCATED | IL_TOKF_STOP)))
		c->len++;
	if ((tok->flags & IL_TOKF_STOP) || tok->term_len == 0 || tok->term_len > IL__MAX_TERM)
		return 0;
	if ((c->rc = add_triple(c->ix, tok->term, tok->term_len, c->field, pos)) != IL_OK)
		return c->rc;
	return 0;
}

static int cmp_tok3(const void *a, const void *b)
{
	const struct il__tok3 *x = a, *y = b;
	if (x->term != y->term)
		return x->term < y->term ? -1 : 1;
	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Whether the triples are in (field, position) order, as analysis emits
 * them. */
static bool triples_ordered(const struct il__tok3 *t, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (t[i].field < t[i - 1].field ||
		    (t[i].field == t[i - 1].field && t[i].pos < t[i - 1].pos))
			return false;
	return true;
}

/*
 * Sorts the put's triples by (term, field, position).  Analysis emits them
 * in (field, position) order, so when that holds a stable sort by term is
 * enough: an LSD radix sort, one byte per pass, skipping the bytes every
 * term id shares (most documents need two passes).  Otherwise qsort.
 * IL_ENOMEM before anything changed.
 */
static int sort_triples(struct il_index *ix)
{
	struct il__tok3 *in = IL__AT(ix->scratch, struct il__tok3), *out;
	size_t n = IL__COUNT(ix->scratch, struct il__tok3), count[256];
	uint32_t all_or = 0, all_and = UINT32_MAX;
	int rc;
	if (!triples_ordered(in, n)) {
		qsort(in, n, sizeof(*in), cmp_tok3);
		return IL_OK;
	}
	for (size_t i = 0; i < n; i++) {
		all_or |= in[i].term;
		all_and &= in[i].term;
	}
	ix->sortbuf.len = 0;
	if ((rc = il__arr_reserve(&ix->sortbuf, ix->scratch.len)) != IL_OK)
		return rc;
	for (unsigned shift = 0; shift < 32; shift += 8) {
		if ((((all_or ^ all_and) >> shift) & 0xffu) == 0)
			continue; /* every term has this byte: the order stays */
		out = IL__AT(ix->sortbuf, struct il__tok3);
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(in[i].term >> shift) & 0xffu]++;
		for (size_t b = 0, sum = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			out[count[(in[i].term >> shift) & 0xffu]++] = in[i];
		struct il__arr t = ix->scratch;
		ix->scratch = ix->sortbuf;
		ix->sortbuf = t;
		ix->scratch.len = n * sizeof(*in);
		in = out;
	}
	return IL_OK;
}

/* Adds the filter value prefix+value as a term of the pseudo field. */
static int add_attr(struct il_index *ix, const char *prefix, const char *value)
{
	char key[IL__MAX_TERM + 3];
	size_t plen = strlen(prefix), vlen = strlen(value);
	if (vlen == 0)
		return IL_OK;
	if (vlen > IL__MAX_TERM)
		return il_error_set(IL_EINVAL,
				    "index: filter value '%.40s...' is longer than %d bytes", value,
				    IL__MAX_TERM);
	memcpy(key, prefix, plen);
	memcpy(key + plen, value, vlen);
	return add_triple(ix, key, plen + vlen, IL__FIELD_ATTR, 0);
}

/* Records a token of a text analysed ahead (what on_doc_token reads). */
static int on_pre_token(const struct il_token *tok, void *vp)
{
	struct il__pre *p = vp;
	struct il__pretok t;
	int rc;
	if (tok->kind == IL_TOK_PUNCT)
		return 0; /* on_doc_token skips them */
	if (tok->term_len > UINT32_MAX - 1 - p->pool.len)
		return IL_ETOOBIG;
	t.off = (uint32_t)p->pool.len;
	t.len = (uint32_t)tok->term_len;
	t.pos = tok->pos;
	t.kind = (uint32_t)tok->kind;
	t.flags = tok->flags;
	if ((rc = il__arr_add(&p->pool, tok->term, tok->term_len)) != IL_OK ||
	    (rc = il__arr_add(&p->toks, &t, sizeof(t))) != IL_OK)
		return rc;
	return 0;
}

void il__index_preanalyse(const struct il_index *ix, const struct il_index_doc *doc,
			  struct il__pre *p)
{
	struct il_error_saved e;
	il_error_save(&e);
	p->toks.len = p->pool.len = p->texts.len = 0;
	p->next = 0;
	/* the texts analyse() tokenizes, in its order; it stops at a text
	 * that is too long, before tokenizing it */
	for (unsigned f = 0; f < IL_IF__COUNT; f++) {
		const char *texts[2] = {doc->text[f], doc->text2[f]};
		size_t lens[2] = {doc->len[f], doc->len2[f]};
		for (int part = 0; part < 2; part++) {
			size_t toks = p->toks.len, pool = p->pool.len;
			uint32_t rec[2];
			if (!texts[part] || !lens[part])
				continue;
			if (lens[part] > IL_INDEX_MAX_TEXT)
				goto done;
			rec[1] = ix->tok_doc ? (uint32_t)ix->tok_doc(ix->tok_ctx, texts[part],
								     lens[part], on_pre_token, p)
				 : ix->text  ? (uint32_t)il_text_tokenize_document(ix->text,
										   texts[part],
										   lens[part],
										   on_pre_token, p)
					     : 1u;
			if (rec[1]) {
				p->toks.len = toks; /* the put analyses this text itself */
				p->pool.len = pool;
			}
			rec[0] = (uint32_t)IL__COUNT(p->toks, struct il__pretok);
			if (il__arr_add(&p->texts, rec, sizeof(rec)) != IL_OK)
				goto done;
		}
	}
done:
	/* whatever failed here is analysed again, and reported, by the put */
	il_error_restore(&e);
}

int il__index_put_pre(struct il_index *ix, const struct il_index_doc *doc, struct il__pre *p)
{
	int rc;
	p->next = 0;
	ix->pre = p;
	rc = il_index_put(ix, doc);
	ix->pre = NULL;
	return rc;
}

void il__pre_release(struct il__pre *p)
{
	il__arr_release(&p->toks);
	il__arr_release(&p->pool);
	il__arr_release(&p->texts);
}

static int analyse(struct il_index *ix, const struct il_index_doc *doc, uint32_t len[IL_IF__COUNT],
		   bool *ordered)
{
	int rc;
	ix->scratch.len = ix->pend.len = ix->pkeys.len = 0;
	for (unsigned f = 0; f < IL_IF__COUNT; f++) {
		struct put_ctx c = {ix, f, 0, 0, 0, IL_OK};
		const char *texts[2] = {doc->text[f], doc->text2[f]};
		size_t lens[2] = {doc->len[f], doc->len2[f]};
		for (int part = 0; part < 2; part++) {
			if (!texts[part] || !lens[part])
				continue;
			if (lens[part] > IL_INDEX_MAX_TEXT)
				return il_error_set(IL_ETOOBIG,
						    "index: document '%s': field %u has %zu bytes, "
						    "more than %u",
						    doc->id, f, lens[part], IL_INDEX_MAX_TEXT);
			c.base = c.next_base;
			rc = tokenize_doc(ix, texts[part], lens[part], on_doc_token, &c);
			if (c.rc)
				return c.rc;
			if (rc) {
				il_error_prefix("document '%s'", doc->id);
				return rc;
			}
		}
		len[f] = c.len;
	}
	if (doc->region && (rc = add_attr(ix, IL__ATTR_REGION, doc->region)) != IL_OK)
		return rc;
	if (doc->status && (rc = add_attr(ix, IL__ATTR_STATUS, doc->status)) != IL_OK)
		return rc;
	for (size_t i = 0; i < doc->nlinks; i++)
		if (doc->links[i] && (rc = add_attr(ix, IL__ATTR_LINK, doc->links[i])) != IL_OK)
			return rc;
	*ordered = true;
	return resolve(ix, ordered);
}

/* Grows every bitmap to cover document id d. */
static int bitmaps_reserve(struct il_index *ix, uint32_t d)
{
	size_t need = (size_t)il__words(d + 1) * 8;
	struct il__arr *all[2 + IL_KIND__COUNT];
	int rc;
	all[0] = &ix->live;
	all[1] = &ix->visible;
	for (int k = 0; k < IL_KIND__COUNT; k++)
		all[2 + k] = &ix->kindbm[k];
	for (size_t i = 0; i < 2 + IL_KIND__COUNT; i++)
		if (all[i]->len < need &&
		    (rc = il__arr_reserve(all[i], need - all[i]->len)) != IL_OK)
			return rc;
	for (size_t i = 0; i < 2 + IL_KIND__COUNT; i++)
		if (all[i]->len < need) {
			memset(all[i]->p + all[i]->len, 0, need - all[i]->len);
			all[i]->len = need;
		}
	return IL_OK;
}

static int doc_key(const struct il_index_doc *doc, char *key, size_t *klen)
{
	size_t idlen;
	if (!doc->id || !(idlen = strlen(doc->id)))
		return il_error_set(IL_EINVAL, "index: a document without an id");
	if (idlen > IL_INDEX_MAX_ID)
		return il_error_set(IL_EINVAL,
				    "index: document id '%.40s...' is longer than %d bytes",
				    doc->id, IL_INDEX_MAX_ID);
	if ((unsigned)doc->kind >= IL_KIND__COUNT)
		return il_error_set(IL_EINVAL, "index: document '%s' has kind %d, out of range",
				    doc->id, (int)doc->kind);
	key[0] = (char)doc->kind;
	memcpy(key + 1, doc->id, idlen);
	*klen = idlen + 1;
	return IL_OK;
}

/* The postings of document d (a dead hole yet) from its sorted triples:
 * appended to each term's last block.  IL_ENOMEM, IL_ETOOBIG. */
static int append_postings(struct il_index *ix, uint32_t d, const struct il__tok3 *toks,
			   size_t ntok, const uint32_t len[IL_IF__COUNT])
{
	double scale[IL_IF__COUNT];
	int rc;
	if (ix->m.nlive == 0) {
		/* nothing live to stay safe for: fit the reference averages to
		 * this document until a compaction measures real ones */
		for (int f = 0; f < IL_IF__COUNT; f++)
			ix->m.ref_avg[f] = len[f] ? (double)len[f] : 1.0;
	}
	/* tf~ of each posting is sum of tf_f * scale_f: the field norms of
	 * il__tfn computed once per document (the bound differs from
	 * il__tfn's by rounding only, which the search's margin covers) */
	for (int f = 0; f < IL_IF__COUNT; f++) {
		double l = len[f] ? (double)len[f] : 1.0, b = ix->m.b;
		scale[f] = (double)ix->m.weight[f] / (1.0 - b + b * l / ix->m.ref_avg[f]);
	}
	/* room for every position of the document, so no term needs more */
	ix->pscratch.len = 0;
	if ((rc = il__arr_reserve(&ix->pscratch, ntok * 5)) != IL_OK)
		return rc;
	for (size_t i = 0; i < ntok;) {
		uint32_t tf[IL_IF__COUNT] = {0}, prev = 0;
		uint32_t t = toks[i].term, field = IL_IF__COUNT + 1;
		ix->pscratch.len = 0;
		for (; i < ntok && toks[i].term == t; i++) {
			if (toks[i].field >= IL_IF__COUNT)
				continue;
			if (toks[i].field != field) {
				field = toks[i].field;
				prev = 0;
			} else if (tf[field] && toks[i].pos == prev) {
				continue; /* the same term twice at one position */
			}
			tf[field]++;
			ix->pscratch.len += il__varint_put(ix->pscratch.p + ix->pscratch.len,
							   toks[i].pos - prev);
			prev = toks[i].pos;
		}
		double tfn = 0.0;
		for (int f = 0; f < IL_IF__COUNT; f++)
			tfn += (double)tf[f] * scale[f];
		if ((rc = il__post_append(ix, t, d, tf, ix->pscratch.p, ix->pscratch.len, tfn)) !=
		    IL_OK)
			return rc;
	}
	return IL_OK;
}

int il_index_put(struct il_index *ix, const struct il_index_doc *doc)
{
	char key[IL_INDEX_MAX_ID + 1];
	size_t klen, ntok, nterms = 0;
	uint64_t fwd_off;
	uint32_t len[IL_IF__COUNT] = {0}, kidx, d, nf = 0;
	struct il__tok3 *toks;
	struct il__doc nd;
	bool added, ordered = true;
	int rc;

	if (!ix || !doc)
		return il_error_set(IL_EINVAL, "il_index_put: no index or document");
	if ((rc = doc_key(doc, key, &klen)) != IL_OK)
		return rc;
	if (ix->m.ndocs >= IL__MAX_DOCS)
		return il_error_set(IL_ETOOBIG, "index: document ids exhausted; compact the index");

	/* 1. room for the commit */
	if ((rc = il__arr_reserve(&ix->docs, sizeof(struct il__doc))) != IL_OK ||
	    (rc = bitmaps_reserve(ix, ix->m.ndocs)) != IL_OK ||
	    (rc = il__arr_reserve(&ix->key_doc, sizeof(uint32_t))) != IL_OK ||
	    (rc = il__fcache_reserve(ix, ix->m.ndocs)) != IL_OK ||
	    (rc = il__dict_add(&ix->keys, key, klen, &kidx, &added)) != IL_OK)
		return rc;
	if (added) {
		uint32_t none = IL__NONE;
		memcpy(ix->key_doc.p + ix->key_doc.len, &none, sizeof(none));
		ix->key_doc.len += sizeof(none);
	}

	/* 2. analysis */
	if ((rc = analyse(ix, doc, len, &ordered)) != IL_OK)
		return rc;
	toks = IL__AT(ix->scratch, struct il__tok3);
	ntok = IL__COUNT(ix->scratch, struct il__tok3);
	if (ix->inv) {
		/* the inverter wants each term's tokens in (field, position)
		 * order, which analysis gives unless a tokenizer hook did not */
		if (!ordered)
			qsort(toks, ntok, sizeof(*toks), cmp_tok3);
	} else {
		if ((rc = sort_triples(ix)) != IL_OK)
			return rc;
		toks = IL__AT(ix->scratch, struct il__tok3);
		for (size_t i = 0; i < ntok; i++)
			if (i == 0 || toks[i].term != toks[i - 1].term)
				nterms++;
		if ((rc = il__arr_reserve(&ix->fwd, nterms * 5)) != IL_OK)
			return rc;
	}

	/* 3. a dead hole first, then the postings */
	d = ix->m.ndocs;
	memset(&nd, 0, sizeof(nd));
	nd.key = IL__NONE;
	nd.kind = (uint8_t)doc->kind;
	memcpy(ix->docs.p + ix->docs.len, &nd, sizeof(nd));
	ix->docs.len += sizeof(nd);
	ix->m.ndocs++;
	ix->tidy = false;
	fwd_off = ix->fwd.len;
	if (ix->inv)
		rc = il__inv_doc(ix, d, toks, ntok, len);
	else
		rc = append_postings(ix, d, toks, ntok, len);
	if (rc != IL_OK)
		return rc;

	/* 4. commit */
	{
		struct il__doc *dp = &IL__AT(ix->docs, struct il__doc)[d];
		struct il__term *terms = IL__AT(ix->tinfo, struct il__term);
		uint32_t *key_doc = IL__AT(ix->key_doc, uint32_t);
		uint64_t bit = (uint64_t)1 << (d & 63);
		uint32_t prev = 0;
		/* the inverter wrote the forward list; it counts df at the end */
		dp->fwd_off = fwd_off;
		for (size_t i = 0; i < ntok && !ix->inv; i++)
			if (i == 0 || toks[i].term != toks[i - 1].term) {
				ix->fwd.len += il__varint_put(ix->fwd.p + ix->fwd.len,
							      toks[i].term - prev);
				prev = toks[i].term;
				terms[toks[i].term].df++;
				nf++;
			}
		dp->fwd_n = nf;
		dp->key = kidx;
		memcpy(dp->len, len, sizeof(len));
		dp->date = doc->date;
		dp->expires = doc->expires ? doc->expires : INT32_MAX;
		dp->flags = IL__DOC_LIVE | (doc->hidden ? IL__DOC_HIDDEN : 0);
		if (key_doc[kidx] != IL__NONE)
			il__doc_kill(ix, key_doc[kidx]);
		key_doc[kidx] = d;
		IL__AT(ix->live, uint64_t)[d >> 6] |= bit;
		if (!doc->hidden)
			IL__AT(ix->visible, uint64_t)[d >> 6] |= bit;
		else
			ix->m.nhidden++;
		IL__AT(ix->kindbm[doc->kind], uint64_t)[d >> 6] |= bit;
		il__fcache_put(ix, d, doc);
		ix->m.nlive++;
		for (int f = 0; f < IL_IF__COUNT; f++)
			ix->m.sum_len[f] += len[f];
	}
	il__maybe_compact(ix);
	return IL_OK;
}

int il_index_delete(struct il_index *ix, enum il_kind kind, const char *id)
{
	struct il_index_doc probe;
	char key[IL_INDEX_MAX_ID + 1];
	size_t klen;
	uint32_t k, d;
	int rc;
	if (!ix)
		return il_error_set(IL_EINVAL, "il_index_delete: no index");
	memset(&probe, 0, sizeof(probe));
	probe.kind = kind;
	probe.id = id;
	if ((rc = doc_key(&probe, key, &klen)) != IL_OK)
		return rc;
	k = il__dict_find(&ix->keys, key, klen);
	if (k == IL__NONE || (d = IL__AT(ix->key_doc, uint32_t)[k]) == IL__NONE)
		return il_error_set(IL_ENOTFOUND, "index: no %s '%s'", il_kind_info(kind)->name,
				    id);
	il__doc_kill(ix, d);
	il__maybe_compact(ix);
	return IL_OK;
}

int il_index_region_parent(struct il_index *ix, const char *child, const char *parent)
{
	size_t clen, plen;
	uint32_t c, p, *par;
	bool added;
	int rc;
	if (!ix || !child || !parent)
		return il_error_set(IL_EINVAL, "il_index_region_parent: missing argument");
	clen = strlen(child);
	plen = strlen(parent);
	if (!clen || !plen || clen > IL__MAX_TERM || plen > IL__MAX_TERM)
		return il_error_set(IL_EINVAL, "index: region ids must be 1..%d bytes",
				    IL__MAX_TERM);
	if (strcmp(child, parent) == 0)
		return il_error_set(IL_EINVAL, "index: region '%s' cannot lie in itself", child);
	if ((rc = il__arr_reserve(&ix->region_parent, 2 * sizeof(uint32_t))) != IL_OK)
		return rc;
	for (int i = 0; i < 2; i++) {
		const char *s = i ? parent : child;
		uint32_t *out = i ? &p : &c;
		if ((rc = il__dict_add(&ix->regions, s, i ? plen : clen, out, &added)) != IL_OK)
			return rc;
		if (added) {
			uint32_t none = IL__NONE;
			/* cannot fail: reserved above for both */
			il__arr_add(&ix->region_parent, &none, sizeof(none));
		}
	}
	par = IL__AT(ix->region_parent, uint32_t);
	/* a cycle would make "lies in" loop forever: refuse it */
	for (uint32_t r = p, steps = 0; r != IL__NONE; r = par[r], steps++) {
		if (r == c || steps > il__dict_size(&ix->regions))
			return il_error_set(
				IL_EINVAL,
				"index: region '%s' cannot lie in '%s', which lies in it", child,
				parent);
	}
	if (par[c] != p) {
		par[c] = p;
		/* the documents under the regions above c changed */
		il__fcache_drop(ix, true);
	}
	return IL_OK;
}

size_t il_index_memory(const struct il_index *ix)
{
	size_t n;
	if (!ix)
		return 0;
	n = sizeof(*ix) + il__arr_bytes(&ix->docs) + il__arr_bytes(&ix->fwd) +
	    il__arr_bytes(&ix->live) + il__arr_bytes(&ix->visible) + il__dict_bytes(&ix->terms) +
	    il__arr_bytes(&ix->tinfo) + il__arr_bytes(&ix->blocks) + il__arr_bytes(&ix->post) +
	    il__arr_bytes(&ix->pos) + il__dict_bytes(&ix->keys) + il__arr_bytes(&ix->key_doc) +
	    il__dict_bytes(&ix->regions) + il__arr_bytes(&ix->region_parent);
	for (int k = 0; k < IL_KIND__COUNT; k++)
		n += il__arr_bytes(&ix->kindbm[k]);
	return n + il__fcache_bytes(ix);
}

void il_index_stats(const struct il_index *ix, struct il_index_stats *st)
{
	const struct il__doc *docs;
	const struct il__block *blocks;
	uint32_t nterms;
	double avg[IL_IF__COUNT];
	memset(st, 0, sizeof(*st));
	if (!ix)
		return;
	docs = IL__AT(ix->docs, const struct il__doc);
	blocks = IL__AT(ix->blocks, const struct il__block);
	st->docs = ix->m.nlive;
	st->dead = ix->m.ndocs - ix->m.nlive;
	st->hidden = ix->m.nhidden;
	for (uint32_t d = 0; d < ix->m.ndocs; d++)
		if (docs[d].flags & IL__DOC_LIVE)
			st->by_kind[docs[d].kind]++;
	nterms = il__dict_size(&ix->terms);
	for (uint32_t t = 0; t < nterms; t++) {
		size_t klen;
		const char *k = il__dict_key(&ix->terms, t, &klen);
		if (IL__AT(ix->tinfo, const struct il__term)[t].df && k[0] != '\x01')
			st->terms++;
	}
	st->blocks = IL__COUNT(ix->blocks, struct il__block);
	for (size_t b = 0; b < st->blocks; b++) {
		st->postings += blocks[b].n;
		st->postings_bytes += blocks[b].len;
		st->positions_bytes += blocks[b].plen;
	}
	st->garbage_bytes = (size_t)ix->m.garbage;
	st->regions = il__dict_size(&ix->regions);
	il__avg(&ix->m, avg);
	for (int f = 0; f < IL_IF__COUNT; f++)
		st->avg_len[f] = ix->m.nlive ? avg[f] : 0.0;
	st->memory = il_index_memory(ix);
}

static void set_text(struct il_index_doc *out, const struct il_record *r, enum il_ifield f,
		     const char *name, const char *name2)
{
	const char *v = il_record_get(r, name), *v2 = name2 ? il_record_get(r, name2) : NULL;
	if (!v) {
		v = v2;
		v2 = NULL;
	}
	out->text[f] = v;
	out->len[f] = v ? strlen(v) : 0;
	out->text2[f] = v2;
	out->len2[f] = v2 ? strlen(v2) : 0;
}

int il_index_doc_from_record(const struct il_record *r, struct il_index_doc *out)
{
	const char *vis;
	if (!r || !out)
		return il_error_set(IL_EINVAL, "il_index_doc_from_record: missing argument");
	memset(out, 0, sizeof(*out));
	out->kind = r->kind;
	out->id = r->id;
	out->date = INT32_MIN;
	switch (r->kind) {
	case IL_KIND_ORGANIZATION:
		set_text(out, r, IL_IF_TITLE, "name_zh", "name_en");
		set_text(out, r, IL_IF_KEYWORDS, "products", NULL);
		set_text(out, r, IL_IF_BODY, "description", NULL);
		set_text(out, r, IL_IF_NAMES, "aliases", NULL);
		out->region = il_record_get(r, "region");
		break;
	case IL_KIND_PERSON:
		set_text(out, r, IL_IF_TITLE, "name_zh", "name_en");
		set_text(out, r, IL_IF_KEYWORDS, "fields", "keywords");
		set_text(out, r, IL_IF_BODY, "bio", NULL);
		set_text(out, r, IL_IF_NAMES, "affiliation", NULL);
		out->region = il_record_get(r, "region");
		out->status = il_record_get(r, "availability");
		break;
	case IL_KIND_ACHIEVEMENT:
		set_text(out, r, IL_IF_TITLE, "title", NULL);
		set_text(out, r, IL_IF_KEYWORDS, "keywords", NULL);
		set_text(out, r, IL_IF_BODY, "abstract", NULL);
		set_text(out, r, IL_IF_NAMES, "owner", "inventors");
		out->region = il_record_get(r, "region");
		out->date = il_date_days(il_record_get(r, "published"));
		out->expires = il_record_live_until(r, 0);
		break;
	case IL_KIND_DEMAND:
		set_text(out, r, IL_IF_TITLE, "title", NULL);
		set_text(out, r, IL_IF_KEYWORDS, "keywords", NULL);
		set_text(out, r, IL_IF_BODY, "description", NULL);
		set_text(out, r, IL_IF_NAMES, "owner", NULL);
		out->region = il_record_get(r, "region");
		out->status = il_record_get(r, "status");
		out->date = il_date_days(il_record_get(r, "published"));
		out->expires = il_record_live_until(r, 0);
		vis = il_record_get(r, "visibility");
		out->hidden = vis && strcmp(vis, "confidential") == 0;
		break;
	case IL_KIND_CHAIN:
		set_text(out, r, IL_IF_TITLE, "name_zh", "name_en");
		set_text(out, r, IL_IF_BODY, "description", NULL);
		out->region = il_record_get(r, "region");
		break;
	case IL_KIND_LINK:
		set_text(out, r, IL_IF_TITLE, "name_zh", "name_en");
		set_text(out, r, IL_IF_KEYWORDS, "keywords", "products");
		set_text(out, r, IL_IF_NAMES, "chain", NULL);
		/* a link lies on itself, so a link filter finds it too */
		out->links = (const char *const *)&r->id;
		out->nlinks = r->id ? 1 : 0;
		break;
	default:
		return il_error_set(IL_EINVAL, "index: %s records are not searchable",
				    il_kind_info(r->kind) ? il_kind_info(r->kind)->name
							  : "unknown");
	}
	return IL_OK;
}
