/*
 * select.c - the query of a long source: its most telling concepts only.
 *
 * A demand's title, keywords and description opening (a person's profile
 * with the titles and keywords of their achievements) make a query of
 * some sixty words with their glossary translations; an OR search walks
 * the posting list of every one of them, and the common ones (of every
 * tenth record on a large store) cost the most while telling the least.
 * Like Lucene's MoreLikeThis, the source is analysed once and each
 * concept (a word with its sub-words, as the index's query parser groups
 * them) is weighed by
 *
 *   weight = tf(source) * idf(index)
 *
 * where tf counts the concept's occurrences in the source and idf is the
 * index's own (il_index_idf of the word's document frequency; a word the
 * index does not hold takes the best idf of its sub-words and glossary
 * translations, so a Chinese word reaching English documents only
 * through the glossary still counts; one that reaches nothing weighs 0).
 * A concept one of whose members is in more than cfg.query_max_df
 * documents is common: left out unless nothing else weighs anything.  Of
 * the rest the cfg.query_terms heaviest are kept, ties to the earlier.
 * The query becomes the source's own text of each kept concept's first
 * occurrence, in source order, and the text of every glossary term that
 * covers one (a multi-word term the user's glossary bridges is kept whole,
 * so the analyzer finds its translation again).  A source of no more
 * concepts than cfg.query_terms and none common keeps its text as it is.
 *
 * The kept text is what explain.c analyses for the glossary's `from`, so
 * term reasons name the source's words as they were written.
 *
 * Depends on: match_internal.h, run.h, the index's term statistics.
 */
#include "match/run.h"

#include <stdlib.h>
#include <string.h>

struct stok {
	size_t start, end;
	unsigned flags;
	int64_t concept; /* primary and sub-word: its concept; else -1 */
	const char *term;
	size_t len;
};

struct concept {
	double tf; /* occurrences, each weighted by its part of the source */
	size_t first; /* token of its first occurrence */
	double idf; /* 0: the index holds none of its members */
	size_t df; /* the largest document frequency of its members */
	double weight;
	bool primary_held; /* the word itself is in the index */
	bool common; /* a member is in more than query.max_df documents */
	bool keep;
};

struct select {
	struct run *r;
	struct stok *toks;
	size_t ntoks, captoks;
	struct concept *c;
	size_t nc, capc;
	struct il_strmap ix; /* term -> concept */
	int64_t last; /* the concept sub-words join, -1 after a stop word */
	size_t self; /* 1 when the source is itself a document of the index */
	size_t part; /* the part of the source being read */
	int rc;
};

static bool is_primary(unsigned flags)
{
	return !(flags & (IL_TOKF_GLOSSARY | IL_TOKF_COLOCATED));
}

/* The idf of a term of the source, 0 when no document but the source
 * holds it (`self`: the source's own words are in its own document), as
 * such a term can find nothing. */
static double held_idf(const struct select *s, const char *term, size_t len, size_t self,
		       size_t *df)
{
	*df = il_index_term_df(s->r->m->ix, term, len);
	return *df > self ? il_index_idf(s->r->m->ix, *df) : 0.0;
}

/* Raises a concept's idf to that of a member the index holds, and its df
 * to the member's (every member's postings are walked). */
static void member_idf(struct select *s, int64_t c, const char *term, size_t len, size_t self)
{
	size_t df;
	double idf = held_idf(s, term, len, self, &df);
	if (c < 0)
		return;
	if (!s->c[c].primary_held && idf > s->c[c].idf)
		s->c[c].idf = idf;
	if (df > s->c[c].df)
		s->c[c].df = df;
}

static int new_concept(struct select *s, const struct il_token *t, int64_t *out)
{
	int rc = il__match_grow((void **)&s->c, &s->capc, s->nc, sizeof(*s->c));
	if (rc)
		return rc;
	struct concept *c = &s->c[s->nc];
	memset(c, 0, sizeof(*c));
	c->first = s->ntoks;
	c->idf = held_idf(s, t->term, t->term_len, s->self, &c->df);
	c->primary_held = c->idf > 0;
	*out = (int64_t)s->nc;
	return il_strmap_put(&s->ix, t->term, t->term_len, (int64_t)s->nc++, NULL);
}

/* The weight of an occurrence at byte `at` (tokens come in text order). */
static double part_weight(struct select *s, size_t at)
{
	const struct run *r = s->r;
	while (s->part < r->nparts && r->parts[s->part].end <= at)
		s->part++;
	return s->part < r->nparts ? r->parts[s->part].weight : 1.0;
}

static int take(const struct il_token *t, void *ctx)
{
	struct select *s = ctx;
	int64_t c = -1;
	if (t->kind == IL_TOK_PUNCT || !t->term_len)
		return 0;
	if (is_primary(t->flags)) {
		if (t->flags & IL_TOKF_STOP) {
			s->last = -1;
			return 0;
		}
		c = il_strmap_get(&s->ix, t->term, t->term_len);
		if (c < 0 && (s->rc = new_concept(s, t, &c)) != IL_OK)
			return s->rc;
		s->c[c].tf += part_weight(s, t->start);
		s->last = c;
	} else if (!(t->flags & IL_TOKF_GLOSSARY)) {
		c = s->last; /* a sub-word belongs to its word */
		member_idf(s, c, t->term, t->term_len, s->self);
	}
	if ((s->rc = il__match_grow((void **)&s->toks, &s->captoks, s->ntoks, sizeof(*s->toks))))
		return s->rc;
	struct stok *k = &s->toks[s->ntoks++];
	k->start = t->start;
	k->end = t->end;
	k->flags = t->flags;
	k->concept = c;
	k->term = NULL;
	k->len = t->term_len;
	if ((t->flags & IL_TOKF_GLOSSARY) &&
	    !(k->term = il_arena_strndup(s->r->arena, t->term, t->term_len)))
		return s->rc = il_error_set(IL_ENOMEM, "match: out of memory");
	return 0;
}

/* Whether primary token j holds a word glossary token g translates.  A
 * translation follows the last word of its span, so the words it covers
 * are the primary tokens just before it (covered_from gives the first). */
static bool covered(const struct select *s, size_t g, size_t j)
{
	const struct stok *t = &s->toks[j];
	return is_primary(t->flags) && t->concept >= 0 && t->start >= s->toks[g].start &&
	       t->end <= s->toks[g].end;
}

static size_t covered_from(const struct select *s, size_t g)
{
	size_t j = g;
	while (j > 0 &&
	       (!is_primary(s->toks[j - 1].flags) || s->toks[j - 1].start >= s->toks[g].start))
		j--;
	return j;
}

/* Concepts within the df cap first, then by weight, then by position. */
static int cmp_weight(const void *a, const void *b)
{
	const struct concept *x = *(const struct concept *const *)a;
	const struct concept *y = *(const struct concept *const *)b;
	if (x->common != y->common)
		return x->common ? 1 : -1;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

struct span {
	size_t start, end;
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

/* The kept concepts' first occurrences and the glossary terms covering
 * them, in source order, overlapping spans merged, as the new query. */
static int rewrite(struct select *s)
{
	struct run *r = s->r;
	struct span *sp = malloc((s->ntoks ? s->ntoks : 1) * sizeof(*sp));
	struct il_buf out;
	size_t n = 0;
	int rc = IL_OK;
	if (!sp)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	for (size_t i = 0; i < s->ntoks; i++) {
		const struct stok *t = &s->toks[i];
		bool want = false;
		if (is_primary(t->flags)) {
			want = s->c[t->concept].keep && s->c[t->concept].first == i;
		} else if (t->flags & IL_TOKF_GLOSSARY) {
			for (size_t j = covered_from(s, i); j < i; j++)
				if (covered(s, i, j))
					want |= s->c[s->toks[j].concept].keep &&
						s->c[s->toks[j].concept].first == j;
		}
		if (want)
			sp[n++] = (struct span){t->start, t->end};
	}
	qsort(sp, n, sizeof(*sp), cmp_span);
	il_buf_init(&out, 0);
	const char *q = il_buf_cstr(&r->qtext);
	size_t end = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		size_t from = sp[i].start > end ? sp[i].start : end;
		if (sp[i].end <= from)
			continue;
		if (from > end && out.len)
			rc = il_buf_addc(&out, ' ');
		if (!rc)
			rc = il_buf_add(&out, q + from, sp[i].end - from);
		end = sp[i].end;
	}
	free(sp);
	if (rc) {
		il_buf_release(&out);
		return rc;
	}
	il_buf_release(&r->qtext);
	r->qtext = out;
	return IL_OK;
}

/* Marks the concepts kept; *n (out) gets their number. */
static int choose(struct select *s, size_t keep, size_t *n)
{
	struct concept **by = malloc(s->nc * sizeof(*by));
	if (!by)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	/* a translation the index holds lends its idf to the words it covers */
	for (size_t g = 0; g < s->ntoks; g++)
		if (s->toks[g].flags & IL_TOKF_GLOSSARY) {
			for (size_t j = covered_from(s, g); j < g; j++)
				if (covered(s, g, j))
					member_idf(s, s->toks[j].concept, s->toks[g].term,
						   s->toks[g].len, 0);
		}
	size_t cap = s->r->m->cfg.query_max_df;
	for (size_t i = 0; i < s->nc; i++) {
		s->c[i].weight = s->c[i].tf * s->c[i].idf;
		s->c[i].common = cap && s->c[i].df > cap;
		by[i] = &s->c[i];
	}
	qsort(by, s->nc, sizeof(*by), cmp_weight);
	/* a common concept only when no other tells anything */
	for (*n = 0; *n < keep && *n < s->nc && by[*n]->weight > 0; ++*n) {
		if (*n > 0 && by[*n]->common)
			break;
		by[*n]->keep = true;
	}
	free(by);
	return IL_OK;
}

static bool common(const struct select *s)
{
	for (size_t i = 0; i < s->nc; i++)
		if (s->c[i].common && !s->c[i].keep)
			return true;
	return false;
}

int il__run_select(struct run *r)
{
	struct select s;
	size_t keep = r->m->cfg.query_terms, kept = 0;
	int rc;
	if (!keep || !r->qtext.len)
		return IL_OK;
	memset(&s, 0, sizeof(s));
	s.r = r;
	s.last = -1;
	s.self = r->q->from_kind != IL_KIND__COUNT;
	il_strmap_init(&s.ix);
	rc = il_text_tokenize_query(r->m->text, il_buf_cstr(&r->qtext), r->qtext.len, take, &s);
	if (s.rc)
		rc = s.rc;
	if (!rc && s.nc)
		rc = choose(&s, keep, &kept);
	/* a short source keeps its text unless a common concept went */
	if (!rc && kept < s.nc && (s.nc > keep || common(&s)))
		rc = rewrite(&s);
	free(s.toks);
	free(s.c);
	il_strmap_release(&s.ix);
	return rc;
}
