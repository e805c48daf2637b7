/*
 * search.c - query evaluation: BM25F scoring, filters, and exact top-k
 * with block-max WAND.
 *
 * Scoring (Robertson & Zaragoza, "The Probabilistic Relevance Framework:
 * BM25 and Beyond", 2009, section 3.6): for a document d and the query's
 * distinct terms t with query weight q_t (1, or the glossary weight of a
 * translation),
 *   score(d) = sum over t of q_t * idf(t) * tf~ / (k1 + tf~)
 *   tf~      = sum over fields f of w_f * tf_f / (1 - b + b * len_f / avg_f)
 *   idf(t)   = ln(1 + (N - df + 0.5) / (df + 0.5))
 * N and df count live documents; avg_f averages live documents.  Fields are
 * combined before saturation, which is what makes it BM25F rather than a
 * sum of per-field BM25s: a term in title and body does not score twice.
 * A field:term query keeps only that field's share of tf~.
 *
 * The sum runs over the query's concepts (struct il__qgroup), not over
 * every term: a concept scores the best of its members, a word, its
 * sub-words and its glossary translations (Lucene's DisjunctionMax).  So
 * "钻井泵" expanded to mud, pump and drill counts once in an English
 * document that has all three, as it does once in a Chinese one, and a
 * hyphenated word does not score again through its parts.  Concepts are
 * summed in query order and members taken in cursor order, the same in
 * every path, so pruned and exhaustive evaluation give bit-identical
 * scores.
 *
 * Ranking is by score, then by document id (older first); documents are
 * visited in id order, so a later document enters the top k only with a
 * strictly larger score than the k-th: that is what lets a bound equal to
 * the threshold prune.
 *
 * Top-k without scoring everything (Ding & Suel, "Faster top-k document
 * retrieval using block-max indexes", SIGIR 2011).  Each cursor has a
 * term bound U_t = q_t * idf * S(gamma * max_tfn) and, per block, the same
 * with the block's max_tfn, where S(x) = x / (k1 + x) is increasing and
 * gamma (postings.c) keeps the stored maxima safe under the current
 * averages.  A concept is a union of its members' cursors: its document is
 * the smallest of theirs, its bounds the largest of theirs.  With theta the
 * k-th best score so far:
 *   1. sort concepts by current document; the pivot is the first concept
 *      at which the running sum of bounds exceeds theta (extended over
 *      concepts on the same document) - no document before the pivot
 *      document can beat theta, since only the concepts before the pivot
 *      reach it;
 *   2. sum the block bounds of concepts up to the pivot at the pivot
 *      document; if that cannot beat theta, no document up to the end of
 *      the shortest of those blocks can either: jump all of them past it
 *      (or to the next concept's document, if sooner);
 *   3. otherwise, if the first concept sits on the pivot document, score
 *      it fully; else move the concepts before the pivot up to it.
 * A cursor shared by two concepts moves with either; that is safe because
 * every skip above is justified for all concepts at once.
 * Bounds are multiplied by 1 + 1e-9 against rounding, so a pruned document
 * can never have scored above theta: the result equals exhaustive scoring
 * (il__search with prune off, which the tests compare against).
 *
 * Required parts (AND, +word, phrases) switch to a conjunctive driver: the
 * required concepts leapfrog to a document all of them hold, then the same
 * block bound over every concept decides whether it is worth scoring, and
 * skips to the end of the shortest block when not.
 *
 * Filters (filter.c) are applied during traversal: a candidate the
 * filter does not allow is never scored, and the cursors jump to the next
 * allowed document, found 64 at a time in the AND of the live (or live and
 * visible) bitmap, the wanted kinds' bitmaps and the bitmaps of selective
 * filter values, then checked against the per-document region and status
 * of values held by many documents.  An unfiltered query reads the
 * visible bitmap as it is and allocates nothing.  The date range and
 * expiry are checked per candidate (one array read each); undated
 * documents fail any date filter, and a document whose last live day lies
 * before the query's day is left out unless the query includes expired
 * ones.  Expiry cannot be a bitmap built once: the day it is judged by
 * belongs to the query.
 *
 * *total is exact for exhaustive evaluation and for queries with required
 * parts (the conjunction visits every matching document; only scoring is
 * skipped).  For OR queries where pruning skipped documents it is an
 * estimate: the larger of the documents matched so far and the largest df
 * among the query terms scaled by the share of documents the filters allow.
 * The positions of a term in one field read for a phrase check stop at
 * MAX_PHRASE_POS: a phrase whose only occurrence lies past the 4096th
 * occurrence of its first word in a field is missed.
 *
 * Depends on: base, index_internal.h.
 */
#include "index/index_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SAFETY (1.0 + 1e-9)
#define MAX_PHRASE_POS 4096 /* positions of one term in one field read for a phrase */

struct cur {
	uint32_t first; /* first block of the term */
	uint32_t blk; /* block being read, IL__NONE once exhausted */
	uint32_t sh; /* shallow block, for bounds */
	uint32_t i; /* posting within the decoded block */
	uint32_t doc; /* current document, IL__END once exhausted */
	bool decoded;
	uint8_t field;
	bool neg;
	double wi; /* query weight * idf */
	double ub; /* bound of the term's contribution */
	uint32_t df;
	struct il__post *p;
};

struct hent {
	double s;
	uint32_t d;
};

struct grp {
	const uint32_t *m; /* member cursors */
	uint32_t n;
	uint32_t doc; /* smallest member document, refreshed by grp_doc() */
	double ub; /* largest member bound */
};

struct eval {
	const struct il_index *ix;
	const struct il__block *blocks;
	const struct il__doc *docs;
	const struct il__query *q;
	struct cur *cur; /* one per query cursor, same index */
	struct grp *grp; /* one per concept, same index as q->groups */
	uint32_t ngrp;
	uint32_t *order; /* concepts, sorted by document (OR driver) */
	struct il__filter filter; /* allowed documents */
	bool date;
	int32_t from, to;
	int32_t today; /* expired before this day: left out; INT32_MIN keeps all */
	double avg[IL_IF__COUNT];
	double gamma, k1;
	bool prune;
	bool want_total;
	bool pruned; /* documents were skipped on bounds */
	struct hent *heap;
	size_t k, nheap;
	size_t matched;
	uint32_t *pos[1]; /* a phrase's read pointers */
	uint32_t *phpos; /* positions of each phrase term (MAX_PHRASE_POS each) */
	uint32_t *phn;
	struct il_arena *arena;
	int rc;
};

static double sat(double k1, double x)
{
	return x / (k1 + x);
}

static void cur_fail(struct eval *e, struct cur *c)
{
	if (!e->rc)
		e->rc = il_error_set(IL_EFORMAT, "index: a corrupt posting block");
	c->blk = IL__NONE;
	c->doc = IL__END;
}

/* Moves c to its first posting >= target (in its field, if it has one). */
static void seek(struct eval *e, struct cur *c, uint32_t target)
{
	if (c->doc != IL__END && c->doc >= target && c->decoded)
		return;
	while (c->blk != IL__NONE) {
		const struct il__block *b = &e->blocks[c->blk];
		if (b->last_doc < target) {
			c->blk = b->next;
			c->decoded = false;
			continue;
		}
		if (!c->decoded) {
			if (!il__block_decode(e->ix, b, c->p)) {
				cur_fail(e, c);
				return;
			}
			c->decoded = true;
			c->i = 0;
		}
		while (c->i < c->p->n &&
		       (c->p->doc[c->i] < target ||
			(c->field < IL_IF__COUNT && c->p->tf[c->i][c->field] == 0)))
			c->i++;
		if (c->i < c->p->n) {
			c->doc = c->p->doc[c->i];
			return;
		}
		c->blk = b->next;
		c->decoded = false;
	}
	c->doc = IL__END;
}

static void cur_reset(struct eval *e, struct cur *c)
{
	c->blk = c->sh = c->first;
	c->decoded = false;
	c->doc = 0;
	c->i = 0;
	seek(e, c, 0);
}

/* Moves the shallow pointer to the block that may hold target. */
static void shallow(struct eval *e, struct cur *c, uint32_t target)
{
	while (c->sh != IL__NONE && e->blocks[c->sh].last_doc < target)
		c->sh = e->blocks[c->sh].next;
}

static double block_ub(const struct eval *e, const struct cur *c)
{
	if (c->sh == IL__NONE)
		return 0.0;
	return c->wi * sat(e->k1, e->gamma * (double)e->blocks[c->sh].max_tfn) * SAFETY;
}

static double threshold(const struct eval *e)
{
	if (!e->prune || e->nheap < e->k)
		return -1.0;
	return e->heap[0].s;
}

static bool worse(const struct hent *a, const struct hent *b)
{
	return a->s < b->s || (a->s == b->s && a->d > b->d);
}

static void push(struct eval *e, uint32_t d, double s)
{
	struct hent h = {s, d};
	size_t i;
	if (e->k == 0)
		return;
	if (e->nheap < e->k) {
		i = e->nheap++;
		while (i > 0 && worse(&h, &e->heap[(i - 1) / 2])) {
			e->heap[i] = e->heap[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		e->heap[i] = h;
		return;
	}
	if (!worse(&e->heap[0], &h))
		return;
	i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct hent *best = &h;
		if (l < e->nheap && worse(&e->heap[l], best)) {
			m = l;
			best = &e->heap[l];
		}
		if (r < e->nheap && worse(&e->heap[r], best))
			m = r;
		if (m == i)
			break;
		e->heap[i] = e->heap[m];
		i = m;
	}
	e->heap[i] = h;
}

static uint32_t next_allowed(const struct eval *e, uint32_t from)
{
	return il__filter_next(&e->filter, from);
}

static bool allowed(const struct eval *e, uint32_t d)
{
	return il__filter_has(&e->filter, d);
}

static double contribution(struct eval *e, const struct cur *c, uint32_t d)
{
	double tfn = il__tfn(&e->ix->m, e->avg, c->p->tf[c->i], e->docs[d].len, c->field);
	return c->wi * sat(e->k1, tfn);
}

/* The member of group g that scores best at d (all members positioned at
 * or past d), or IL__NONE; *best gets its contribution. */
static uint32_t grp_best(struct eval *e, const struct grp *g, uint32_t d, double *best)
{
	uint32_t arg = IL__NONE;
	*best = 0.0;
	for (uint32_t j = 0; j < g->n; j++) {
		struct cur *c = &e->cur[g->m[j]];
		if (c->doc != d)
			continue;
		double x = contribution(e, c, d);
		if (arg == IL__NONE || x > *best) {
			*best = x;
			arg = g->m[j];
		}
	}
	return arg;
}

static double score(struct eval *e, uint32_t d)
{
	double s = 0.0, x;
	for (uint32_t g = 0; g < e->ngrp; g++)
		if (e->grp[g].doc == d && grp_best(e, &e->grp[g], d, &x) != IL__NONE)
			s += x;
	return s;
}

static uint32_t grp_doc(struct eval *e, struct grp *g)
{
	uint32_t d = IL__END;
	for (uint32_t j = 0; j < g->n; j++)
		if (e->cur[g->m[j]].doc < d)
			d = e->cur[g->m[j]].doc;
	return g->doc = d;
}

static void grp_seek(struct eval *e, struct grp *g, uint32_t target)
{
	for (uint32_t j = 0; j < g->n; j++)
		seek(e, &e->cur[g->m[j]], target);
	grp_doc(e, g);
}

/* Bound of g's contribution to documents from d to *end (lowered to the
 * end of the shortest member block). */
static double grp_block_ub(struct eval *e, struct grp *g, uint32_t d, uint32_t *end)
{
	double ub = 0.0;
	for (uint32_t j = 0; j < g->n; j++) {
		struct cur *c = &e->cur[g->m[j]];
		shallow(e, c, d);
		if (c->sh == IL__NONE)
			continue;
		double b = block_ub(e, c);
		if (b > ub)
			ub = b;
		if (e->blocks[c->sh].last_doc < *end)
			*end = e->blocks[c->sh].last_doc;
	}
	return ub;
}

/* Reads the positions of cursor j (at its document) in field f. */
static uint32_t positions(struct eval *e, uint32_t j, unsigned f, uint32_t *out)
{
	struct cur *c = &e->cur[j];
	uint32_t n = 0;
	if (!c->p->tf[c->i][f])
		return 0;
	if (!il__block_positions(e->ix, &e->blocks[c->blk], c->p, c->i, f, out, MAX_PHRASE_POS,
				 &n)) {
		cur_fail(e, c);
		return 0;
	}
	return n;
}

/* Whether the phrase's terms (all at d) occur at their distances in one field. */
static bool phrase_at(struct eval *e, const struct il__qphrase *ph)
{
	for (unsigned f = 0; f < IL_IF__COUNT; f++) {
		bool ok = true;
		if (ph->field < IL_IF__COUNT && f != ph->field)
			continue;
		for (uint32_t j = 0; j < ph->n && ok; j++)
			ok = (e->phn[j] = positions(e, ph->cur[j], f,
						    e->phpos + (size_t)j * MAX_PHRASE_POS)) > 0;
		if (!ok)
			continue;
		uint32_t *at = e->pos[0];
		memset(at, 0, ph->n * sizeof(uint32_t));
		for (uint32_t x = 0; x < e->phn[0]; x++) {
			uint32_t p0 = e->phpos[x];
			bool all = true;
			for (uint32_t j = 1; j < ph->n && all; j++) {
				const uint32_t *pj = e->phpos + (size_t)j * MAX_PHRASE_POS;
				uint64_t want = (uint64_t)p0 + ph->rel[j];
				while (at[j] < e->phn[j] && pj[at[j]] < want)
					at[j]++;
				all = at[j] < e->phn[j] && pj[at[j]] == want;
			}
			if (all)
				return true;
		}
	}
	return false;
}

/* Every condition but the required groups (which the drivers guarantee). */
static bool accept(struct eval *e, uint32_t d)
{
	const struct il__query *q = e->q;
	if (e->docs[d].expires < e->today)
		return false;
	if (e->date) {
		int32_t date = e->docs[d].date;
		if (date == INT32_MIN || date < e->from || date > e->to)
			return false;
	}
	for (uint32_t x = 0; x < q->nexcl; x++) {
		bool all = true;
		for (uint32_t j = 0; j < q->excl[x].n && all; j++) {
			struct cur *c = &e->cur[q->excl[x].cur[j]];
			seek(e, c, d);
			all = c->doc == d;
		}
		if (all)
			return false;
	}
	for (uint32_t x = 0; x < q->nphrases; x++) {
		const struct il__qphrase *ph = &q->phrases[x];
		bool all = true;
		for (uint32_t j = 0; j < ph->n && all; j++) {
			struct cur *c = &e->cur[ph->cur[j]];
			seek(e, c, d);
			all = c->doc == d;
		}
		if (ph->neg ? all && phrase_at(e, ph) : !(all && phrase_at(e, ph)))
			return false;
	}
	return true;
}

static void found(struct eval *e, uint32_t d)
{
	if (!accept(e, d))
		return;
	e->matched++;
	push(e, d, score(e, d));
}

/* Orders concepts by current document (insertion sort: after a step only
 * a few moved, so this is close to linear). */
static void sort_order(struct eval *e)
{
	for (uint32_t i = 0; i < e->ngrp; i++)
		grp_doc(e, &e->grp[i]);
	for (uint32_t i = 1; i < e->ngrp; i++) {
		uint32_t x = e->order[i], dx = e->grp[x].doc, j = i;
		while (j > 0 && e->grp[e->order[j - 1]].doc > dx) {
			e->order[j] = e->order[j - 1];
			j--;
		}
		e->order[j] = x;
	}
}

#define G(i) (&e->grp[e->order[i]])

static void run_or(struct eval *e)
{
	uint32_t n = e->ngrp;
	while (!e->rc) {
		double theta, acc = 0.0;
		uint32_t p = IL__NONE, d;
		sort_order(e);
		theta = threshold(e);
		for (uint32_t i = 0; i < n; i++) {
			if (G(i)->doc == IL__END)
				break;
			acc += G(i)->ub;
			if (acc > theta) {
				p = i;
				break;
			}
		}
		if (p == IL__NONE) {
			if (theta >= 0.0 && G(0)->doc != IL__END)
				e->pruned = true;
			break;
		}
		d = G(p)->doc;
		while (p + 1 < n && G(p + 1)->doc == d)
			p++;
		if (p > 0 && G(0)->doc < d)
			e->pruned = true;
		if (!allowed(e, d)) {
			uint32_t d2 = next_allowed(e, d + 1);
			if (d2 == IL__END)
				break;
			for (uint32_t i = 0; i <= p; i++)
				grp_seek(e, G(i), d2);
			continue;
		}
		if (theta >= 0.0) {
			double bsum = 0.0;
			uint32_t end = IL__END - 1;
			for (uint32_t i = 0; i <= p; i++)
				bsum += grp_block_ub(e, G(i), d, &end);
			if (bsum <= theta) {
				/* nothing up to the end of the shortest block, nor
				 * before the next concept's document, can beat theta */
				uint32_t nd = end + 1;
				if (p + 1 < n && G(p + 1)->doc < nd)
					nd = G(p + 1)->doc;
				if (nd <= d)
					nd = d + 1;
				e->pruned = true;
				for (uint32_t i = 0; i <= p; i++)
					grp_seek(e, G(i), nd);
				continue;
			}
		}
		if (G(0)->doc == d) {
			found(e, d);
			for (uint32_t i = 0; i <= p; i++)
				grp_seek(e, G(i), d + 1);
		} else {
			for (uint32_t i = 0; i < p; i++)
				if (G(i)->doc < d)
					grp_seek(e, G(i), d);
		}
	}
}

#undef G

static void run_and(struct eval *e)
{
	const struct il__query *q = e->q;
	double total_ub = 0.0;
	uint32_t d = 0;
	for (uint32_t g = 0; g < e->ngrp; g++)
		total_ub += e->grp[g].ub;
	while (!e->rc) {
		uint32_t maxd;
		/* leapfrog until every required concept has a member on d */
		for (;;) {
			maxd = d;
			for (uint32_t g = 0; g < e->ngrp; g++) {
				if (!q->groups[g].required)
					continue;
				grp_seek(e, &e->grp[g], d);
				if (e->grp[g].doc == IL__END)
					return;
				if (e->grp[g].doc > maxd)
					maxd = e->grp[g].doc;
			}
			if (maxd == d)
				break;
			d = maxd;
		}
		if (!allowed(e, d)) {
			uint32_t d2 = next_allowed(e, d + 1);
			if (d2 == IL__END)
				return;
			d = d2;
			continue;
		}
		double theta = threshold(e);
		if (theta >= 0.0) {
			if (total_ub <= theta && !e->want_total)
				return;
			double bsum = 0.0;
			uint32_t end = IL__END - 1;
			for (uint32_t g = 0; g < e->ngrp; g++)
				bsum += grp_block_ub(e, &e->grp[g], d, &end);
			if (bsum <= theta) {
				if (e->want_total) {
					/* count it, but do not score it */
					if (accept(e, d))
						e->matched++;
				} else if (end > d) {
					d = end + 1;
					continue;
				}
				if (d >= IL__END - 1)
					return;
				d++;
				continue;
			}
		}
		for (uint32_t g = 0; g < e->ngrp; g++)
			grp_seek(e, &e->grp[g], d);
		found(e, d);
		if (d >= IL__END - 1)
			return;
		d++;
	}
}

static int cmp_hent(const void *a, const void *b)
{
	const struct hent *x = a, *y = b;
	if (x->s != y->s)
		return x->s > y->s ? -1 : 1;
	return x->d < y->d ? -1 : x->d > y->d;
}

static int cmp_term(const void *a, const void *b)
{
	const struct il_index_term *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->field < y->field ? -1 : x->field > y->field;
}

/* The matched terms of each hit, with their share of its score. */
static int explain(struct eval *e, struct il_index_hit *hits, const struct hent *ents, size_t n)
{
	const struct il_index *ix = e->ix;
	const struct il__meta *m = &ix->m;
	size_t *byd = il_arena_alloc(e->arena, (n ? n : 1) * sizeof(size_t));
	if (!byd)
		return il_error_set(IL_ENOMEM, "search: out of memory");
	/* cursors only go forward: visit hits in document order */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && ents[byd[j - 1]].d > ents[i].d) {
			byd[j] = byd[j - 1];
			j--;
		}
		byd[j] = i;
	}
	for (uint32_t j = 0; j < e->q->ncur; j++)
		if (!e->cur[j].neg)
			cur_reset(e, &e->cur[j]);
	struct il_index_term *scratch =
		il_arena_alloc(e->arena, ((size_t)e->ngrp * IL_IF__COUNT + 1) * sizeof(*scratch));
	if (!scratch)
		return il_error_set(IL_ENOMEM, "search: out of memory");
	for (size_t x = 0; x < n && !e->rc; x++) {
		size_t h = byd[x];
		uint32_t d = ents[h].d, nt = 0;
		const uint32_t *len = e->docs[d].len;
		struct il_index_term *terms = scratch;
		for (uint32_t g = 0; g < e->ngrp; g++) {
			double contrib;
			grp_seek(e, &e->grp[g], d);
			uint32_t j = e->grp[g].doc == d ? grp_best(e, &e->grp[g], d, &contrib)
							: IL__NONE;
			if (j == IL__NONE)
				continue;
			struct cur *c = &e->cur[j];
			const struct il__qcur *qc = &e->q->cur[j];
			const uint32_t *tf = c->p->tf[c->i];
			double tfn = il__tfn(m, e->avg, tf, len, c->field);
			size_t klen;
			const char *key = il__dict_key(&ix->terms, qc->tid, &klen);
			char *copy = il_arena_strndup(e->arena, key, klen);
			if (!copy)
				return il_error_set(IL_ENOMEM, "search: out of memory");
			for (unsigned f = 0; f < IL_IF__COUNT; f++) {
				if (!tf[f] || (c->field < IL_IF__COUNT && f != c->field))
					continue;
				uint32_t one[IL_IF__COUNT] = {0};
				one[f] = tf[f];
				double part = il__tfn(m, e->avg, one, len, f);
				terms[nt].term = copy;
				terms[nt].field = (enum il_ifield)f;
				terms[nt].score = (float)(tfn > 0 ? contrib * part / tfn : 0.0);
				terms[nt].translated = qc->translated;
				nt++;
			}
		}
		qsort(terms, nt, sizeof(*terms), cmp_term);
		if (!(terms = il_arena_alloc(e->arena, (nt ? nt : 1) * sizeof(*terms))))
			return il_error_set(IL_ENOMEM, "search: out of memory");
		memcpy(terms, scratch, nt * sizeof(*terms));
		hits[h].terms = terms;
		hits[h].nterms = nt;
	}
	return e->rc;
}

int il__search(const struct il_index *ix, const struct il_index_query *q, bool prune,
	       struct il_arena *arena, struct il_index_hit **hits, size_t *nhits, size_t *total)
{
	struct il__query pq;
	struct eval e;
	struct il_index_hit *out = NULL;
	int rc;

	if (!hits || !nhits)
		return il_error_set(IL_EINVAL, "il_index_search: no result pointers");
	*hits = NULL;
	*nhits = 0;
	if (total)
		*total = 0;
	if (!ix || !q || !arena)
		return il_error_set(IL_EINVAL, "il_index_search: missing argument");
	if ((rc = il__query_parse(ix, q, arena, &pq)) != IL_OK)
		return rc;
	memset(&e, 0, sizeof(e));
	e.ix = ix;
	e.q = &pq;
	e.arena = arena;
	e.blocks = IL__AT(ix->blocks, const struct il__block);
	e.docs = IL__AT(ix->docs, const struct il__doc);
	e.k1 = ix->m.k1;
	e.prune = prune && q->k > 0;
	e.want_total = total != NULL;
	e.k = q->k < ix->m.nlive ? q->k : ix->m.nlive;
	e.date = q->date_from != INT32_MIN || q->date_to != INT32_MAX;
	e.from = q->date_from;
	e.to = q->date_to;
	e.today = q->include_expired ? INT32_MIN : q->today;
	e.ngrp = pq.ngroups;
	if (pq.none || e.ngrp == 0 || ix->m.nlive == 0 || q->date_from > q->date_to ||
	    (q->kinds && !(q->kinds & ((1u << IL_KIND__COUNT) - 1))))
		return IL_OK;

	il__avg(&ix->m, e.avg);
	e.gamma = 1.0;
	for (int f = 0; f < IL_IF__COUNT; f++)
		if (e.avg[f] / ix->m.ref_avg[f] > e.gamma)
			e.gamma = e.avg[f] / ix->m.ref_avg[f];
	if ((rc = il__filter_init(ix, q, arena, &e.filter)) != IL_OK)
		return rc;
	if (e.filter.empty)
		return IL_OK;

	e.cur = il_arena_alloc(arena, pq.ncur * sizeof(*e.cur));
	e.grp = il_arena_alloc(arena, e.ngrp * sizeof(*e.grp));
	e.order = il_arena_alloc(arena, e.ngrp * sizeof(*e.order));
	e.heap = il_arena_alloc(arena, (e.k ? e.k : 1) * sizeof(*e.heap));
	if (!e.cur || !e.grp || !e.order || !e.heap)
		return il_error_set(IL_ENOMEM, "search: out of memory");
	for (uint32_t j = 0; j < pq.ncur; j++) {
		struct cur *c = &e.cur[j];
		const struct il__term *t = &IL__AT(ix->tinfo, const struct il__term)[pq.cur[j].tid];
		memset(c, 0, sizeof(*c));
		c->first = t->first;
		c->field = pq.cur[j].field;
		c->neg = pq.cur[j].neg;
		c->df = t->df;
		c->wi = (double)pq.cur[j].weight * il__idf(ix->m.nlive, t->df);
		c->ub = c->wi * sat(e.k1, e.gamma * (double)t->max_tfn) * SAFETY;
		if (!(c->p = il_arena_alloc(arena, sizeof(*c->p))))
			return il_error_set(IL_ENOMEM, "search: out of memory");
		cur_reset(&e, c);
	}
	for (uint32_t g = 0; g < e.ngrp; g++) {
		struct grp *gr = &e.grp[g];
		gr->m = pq.groups[g].cur;
		gr->n = pq.groups[g].n;
		gr->ub = 0.0;
		for (uint32_t j = 0; j < gr->n; j++)
			if (e.cur[gr->m[j]].ub > gr->ub)
				gr->ub = e.cur[gr->m[j]].ub;
		grp_doc(&e, gr);
		e.order[g] = g;
	}
	if (pq.nphrases) {
		uint32_t maxn = 1;
		for (uint32_t x = 0; x < pq.nphrases; x++)
			if (pq.phrases[x].n > maxn)
				maxn = pq.phrases[x].n;
		e.phpos = il_arena_alloc(arena, (size_t)maxn * MAX_PHRASE_POS * sizeof(uint32_t));
		e.phn = il_arena_alloc(arena, maxn * sizeof(uint32_t));
		e.pos[0] = il_arena_alloc(arena, maxn * sizeof(uint32_t));
		if (!e.phpos || !e.phn || !e.pos[0])
			return il_error_set(IL_ENOMEM, "search: out of memory");
	}
	if (e.rc)
		return e.rc;

	if (pq.nrequired)
		run_and(&e);
	else
		run_or(&e);
	if (e.rc)
		return e.rc;

	qsort(e.heap, e.nheap, sizeof(*e.heap), cmp_hent);
	if (e.nheap) {
		if (!(out = il_arena_alloc(arena, e.nheap * sizeof(*out))))
			return il_error_set(IL_ENOMEM, "search: out of memory");
		for (size_t i = 0; i < e.nheap; i++) {
			const struct il__doc *doc = &e.docs[e.heap[i].d];
			out[i].kind = (enum il_kind)doc->kind;
			out[i].id = il__dict_key(&ix->keys, doc->key, NULL) + 1;
			out[i].score = (float)e.heap[i].s;
			out[i].terms = NULL;
			out[i].nterms = 0;
		}
		if ((rc = explain(&e, out, e.heap, e.nheap)) != IL_OK)
			return rc;
	}
	if (total) {
		size_t t = e.matched;
		if (e.pruned && !pq.nrequired) {
			uint32_t maxdf = 0;
			for (uint32_t j = 0; j < pq.ncur; j++)
				if (!e.cur[j].neg && e.cur[j].df > maxdf)
					maxdf = e.cur[j].df;
			double share = il__filter_share(ix, &e.filter);
			size_t est = (size_t)((double)maxdf * share + 0.5);
			if (est > t)
				t = est;
		}
		*total = t;
	}
	*hits = out;
	*nhits = e.nheap;
	return IL_OK;
}

int il_index_search(const struct il_index *ix, const struct il_index_query *q,
		    struct il_arena *arena, struct il_index_hit **hits, size_t *nhits,
		    size_t *total)
{
	if (ix && ix->inv)
		return il__inv_busy(ix, "il_index_search");
	return il__search(ix, q, true, arena, hits, nhits, total);
}
