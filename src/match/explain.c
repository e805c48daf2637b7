/*
 * explain.c - why each result ranks where it does: matched terms with
 * snippets of the candidate's own text (in the language it was written in,
 * the term highlighted, with the source's term it translates when the
 * glossary bridged languages), the evidence behind a profile, shared chain
 * links, region, maturity and budget fit, freshness, feedback; and the
 * results as JSON for the API.
 *
 * A snippet is the text around the first occurrence of the term in the
 * field where it matched: SNIP_BEFORE characters before, SNIP_AFTER after,
 * "…" where it was cut, every matched term inside highlighted.  Finding
 * the occurrence re-analyses that field of that one record with the
 * document tokenizer, so the highlighted bytes are exactly what the index
 * matched (stems, sub-words and all).
 *
 * Depends on: match_internal.h, run.h, the index's record mapping.
 */
#include "match/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERMS 6 /* term reasons per result */
#define MAX_OCC 512 /* occurrences looked at per field */
#define SNIP_BEFORE 24 /* characters */
#define SNIP_AFTER 48

static const char ellipsis[] = "\xe2\x80\xa6"; /* … */

struct xlat_ctx {
	struct run *r;
	int rc;
};

static int take_token(const struct il_token *t, void *ctx)
{
	struct xlat_ctx *x = ctx;
	struct run *r = x->r;
	if (!(t->flags & IL_TOKF_GLOSSARY) || il_strmap_get(&r->xlat, t->term, t->term_len) >= 0)
		return IL_OK;
	const char *q = il_buf_cstr(&r->qtext);
	size_t end = t->end <= r->qtext.len ? t->end : r->qtext.len;
	size_t start = t->start < end ? t->start : end;
	char *from = il_arena_strndup(r->arena, q + start, end - start);
	if (!from || il__match_grow((void **)&r->xfrom, &r->capxfrom, r->nxfrom, sizeof(*r->xfrom)))
		return x->rc = il_error_set(IL_ENOMEM, "match: out of memory");
	r->xfrom[r->nxfrom] = from;
	return x->rc = il_strmap_put(&r->xlat, t->term, t->term_len, (int64_t)r->nxfrom++, NULL);
}

int il__run_terms(struct run *r)
{
	struct xlat_ctx x = {r, IL_OK};
	il_strmap_init(&r->xlat);
	int rc = il_text_tokenize_query(r->m->text, il_buf_cstr(&r->qtext), r->qtext.len,
					take_token, &x);
	return x.rc ? x.rc : rc;
}

void il__run_release_terms(struct run *r)
{
	il_strmap_release(&r->xlat);
	free(r->xfrom);
	r->xfrom = NULL;
}

struct reasons {
	struct run *r;
	struct il_match_reason *items;
	size_t n, cap;
};

static struct il_match_reason *add(struct reasons *rs, enum il_reason_type type)
{
	if (rs->n == rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 16;
		struct il_match_reason *p = il_arena_alloc(rs->r->arena, ncap * sizeof(*p));
		if (!p)
			return NULL;
		if (rs->n)
			memcpy(p, rs->items, rs->n * sizeof(*p));
		rs->items = p;
		rs->cap = ncap;
	}
	struct il_match_reason *x = &rs->items[rs->n++];
	memset(x, 0, sizeof(*x));
	x->type = type;
	return x;
}

struct occ {
	uint32_t start, end;
	const char *term;
};

struct occs {
	const struct il_index_hit *hit;
	struct occ *o;
	size_t n;
};

static int take_occ(const struct il_token *t, void *ctx)
{
	struct occs *s = ctx;
	if (s->n >= MAX_OCC)
		return 1;
	for (size_t i = 0; i < s->hit->nterms; i++) {
		const char *term = s->hit->terms[i].term;
		if (strlen(term) == t->term_len && memcmp(term, t->term, t->term_len) == 0) {
			s->o[s->n].start = (uint32_t)t->start;
			s->o[s->n].end = (uint32_t)t->end;
			s->o[s->n].term = term;
			s->n++;
			break;
		}
	}
	return 0;
}

/* Moves back or forward over `chars` UTF-8 characters from `at`. */
static size_t step_chars(const char *s, size_t len, size_t at, int chars)
{
	while (chars < 0 && at > 0) {
		at--;
		while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
			at--;
		chars++;
	}
	while (chars > 0 && at < len) {
		at++;
		while (at < len && ((unsigned char)s[at] & 0xC0) == 0x80)
			at++;
		chars--;
	}
	return at;
}

/* The part of a field an earlier snippet showed. */
struct window {
	size_t from, to;
};

/* The snippet around the first occurrence of `term` in text[0..len), unless
 * the window of an earlier term's snippet holds it (it is highlighted
 * there already). */
static int snippet(struct run *r, const char *text, size_t len, const struct occs *s,
		   const char *term, struct window *shown, struct il_match_reason *x)
{
	size_t first = SIZE_MAX;
	for (size_t i = 0; i < s->n; i++)
		if (s->o[i].term == term) {
			first = i;
			break;
		}
	if (first == SIZE_MAX)
		return IL_OK;
	if (s->o[first].start >= shown->from && s->o[first].end <= shown->to) {
		x->snippet = "";
		return IL_OK;
	}
	size_t from = step_chars(text, len, s->o[first].start, -SNIP_BEFORE);
	size_t to = step_chars(text, len, s->o[first].end, SNIP_AFTER);
	if (shown->to <= shown->from) {
		shown->from = from;
		shown->to = to;
	}
	size_t pre = from > 0 ? sizeof(ellipsis) - 1 : 0,
	       post = to < len ? sizeof(ellipsis) - 1 : 0;
	char *out = il_arena_alloc(r->arena, pre + (to - from) + post + 1);
	uint32_t *hl = il_arena_alloc(r->arena, 2 * (s->n ? s->n : 1) * sizeof(uint32_t));
	if (!out || !hl)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	memcpy(out, ellipsis, pre);
	memcpy(out + pre, text + from, to - from);
	memcpy(out + pre + (to - from), ellipsis, post);
	out[pre + (to - from) + post] = '\0';
	size_t nh = 0;
	/* occurrences come in text order; colocated sub-words overlap the
	 * word they lie in, so overlapping ranges merge */
	for (size_t i = 0; i < s->n; i++) {
		if (s->o[i].start < from || s->o[i].end > to)
			continue;
		uint32_t a = (uint32_t)(s->o[i].start - from + pre),
			 b = (uint32_t)(s->o[i].end - from + pre);
		if (nh && a <= hl[2 * nh - 1]) {
			if (b > hl[2 * nh - 1])
				hl[2 * nh - 1] = b;
			continue;
		}
		hl[2 * nh] = a;
		hl[2 * nh + 1] = b;
		nh++;
	}
	x->snippet = out;
	x->highlights = hl;
	x->nhighlights = nh;
	return IL_OK;
}

/* Term reasons of one hit (of record kind/id), with snippets. */
static int term_reasons(struct reasons *rs, const struct il_index_hit *h, const char *ref)
{
	struct run *r = rs->r;
	const struct il_record *rec;
	struct il_index_doc doc;
	struct occs occ[IL_IF__COUNT][2];
	struct window shown[IL_IF__COUNT][2];
	bool done[IL_IF__COUNT] = {false};
	const char *seen[MAX_TERMS];
	size_t nseen = 0;
	int rc = il__run_record(r, h->kind, h->id, &rec);
	memset(shown, 0, sizeof(shown));
	if (rc || !rec || il_index_doc_from_record(rec, &doc) != IL_OK) {
		il_error_clear();
		return rc;
	}
	for (size_t i = 0; i < h->nterms && nseen < MAX_TERMS && !rc; i++) {
		const struct il_index_term *t = &h->terms[i];
		bool dup = false;
		for (size_t j = 0; j < nseen; j++)
			dup |= strcmp(seen[j], t->term) == 0;
		if (dup)
			continue;
		seen[nseen++] = t->term;
		struct il_match_reason *x = add(rs, IL_REASON_TERM);
		if (!x)
			return il_error_set(IL_ENOMEM, "match: out of memory");
		x->term = t->term;
		x->field = t->field;
		x->translated = t->translated;
		x->value = t->score;
		x->ref_id = ref;
		if (t->translated) {
			int64_t k = il_strmap_get(&r->xlat, t->term, strlen(t->term));
			x->from = k >= 0 ? r->xfrom[k] : NULL;
		}
		unsigned f = (unsigned)t->field;
		if (f >= IL_IF__COUNT)
			continue;
		if (!done[f]) {
			done[f] = true;
			for (int part = 0; part < 2 && !rc; part++) {
				const char *text = part ? doc.text2[f] : doc.text[f];
				size_t len = part ? doc.len2[f] : doc.len[f];
				occ[f][part].hit = h;
				occ[f][part].n = 0;
				occ[f][part].o =
					il_arena_alloc(r->arena, MAX_OCC * sizeof(struct occ));
				if (!occ[f][part].o)
					return il_error_set(IL_ENOMEM, "match: out of memory");
				if (text && len)
					il_text_tokenize_document(r->m->text, text, len, take_occ,
								  &occ[f][part]);
			}
		}
		for (int part = 0; part < 2 && !x->snippet && !rc; part++)
			rc = snippet(r, part ? doc.text2[f] : doc.text[f],
				     part ? doc.len2[f] : doc.len[f], &occ[f][part], t->term,
				     &shown[f][part], x);
		/* "" marked a term an earlier snippet shows: it gets none */
		if (x->snippet && !*x->snippet)
			x->snippet = NULL;
	}
	il_error_clear();
	return rc;
}

/* A copy in the answer's arena: records are released when the run ends.
 * NULL stays NULL (and an exhausted arena gives NULL, which only loses
 * that string). */
static const char *dup(struct run *r, const char *s)
{
	return s ? il_arena_strdup(r->arena, s) : NULL;
}

static const char *rec_title(const struct il_record *rec)
{
	const struct il_kind_info *k = rec ? il_kind_info(rec->kind) : NULL;
	return k ? rec->values[k->title_field] : NULL;
}

static int evidence_reasons(struct reasons *rs, const struct cand *c)
{
	for (size_t i = 0; i < c->nev; i++) {
		const struct il_record *rec;
		int rc = il__run_record(rs->r, c->ev[i].kind, c->ev[i].hit->id, &rec);
		if (rc)
			return rc;
		struct il_match_reason *x = add(rs, IL_REASON_EVIDENCE);
		if (!x)
			return il_error_set(IL_ENOMEM, "match: out of memory");
		x->ref_kind = il_kind_info(c->ev[i].kind)->name;
		x->ref_id = c->ev[i].hit->id;
		x->ref_name = dup(rs->r, rec_title(rec));
		x->value = c->ev[i].hit->score;
	}
	return IL_OK;
}

static int chain_reasons(struct reasons *rs, const struct cand *c)
{
	const struct il_match *m = rs->r->m;
	for (size_t i = 0; i < c->nshared; i++) {
		struct il_match_reason *x = add(rs, IL_REASON_CHAIN_LINK);
		if (!x)
			return il_error_set(IL_ENOMEM, "match: out of memory");
		x->value = c->value[IL_MC_CHAIN];
		if (strncmp(c->shared[i], "code:", 5) == 0) {
			x->relation = "industry";
			x->detail = c->shared[i] + 5;
			continue;
		}
		int64_t l = il_strmap_get(&m->link_ix, c->shared[i], strlen(c->shared[i]));
		x->relation = "link";
		x->ref_id = c->shared[i];
		x->ref_name = l >= 0 ? m->links[l].name : NULL;
		x->detail = l >= 0 ? m->links[l].chain : NULL;
	}
	return IL_OK;
}

static int attribute_reasons(struct reasons *rs, const struct cand *c, const struct il_record *rec)
{
	struct run *r = rs->r;
	const char *region = rec ? il__match_get(rec, "region") : NULL;
	int rel = il__match_region_relation(r->m, r->src_region, region);
	struct il_match_reason *x;
	static const char *const rels[] = {"elsewhere", "same_province", "same_city"};
	if (rel >= 0) {
		const struct il__region *g = il__match_region(r->m, region);
		if (!(x = add(rs, IL_REASON_REGION)))
			return il_error_set(IL_ENOMEM, "match: out of memory");
		x->relation = rels[rel];
		x->ref_id = dup(r, region);
		x->ref_name = g ? g->name : NULL;
		x->detail = dup(r, r->src_region);
		x->value = c->value[IL_MC_REGION];
	}
	bool ach = c->entity == IL_KIND_ACHIEVEMENT, dem = c->entity == IL_KIND_DEMAND;
	const char *trl = rec ? il__match_get(rec, ach ? "trl" : "trl_need") : NULL;
	const char *money = rec ? il__match_get(rec, ach ? "asking_price" : "budget") : NULL;
	if ((ach || dem) && trl && !isnan(r->src_trl)) {
		if (!(x = add(rs, IL_REASON_MATURITY)))
			return il_error_set(IL_ENOMEM, "match: out of memory");
		x->a = ach ? atof(trl) : r->src_trl;
		x->b = ach ? r->src_trl : atof(trl);
		x->value = c->value[IL_MC_MATURITY];
	}
	if ((ach || dem) && !isnan(r->src_money)) {
		if (!(x = add(rs, IL_REASON_BUDGET)))
			return il_error_set(IL_ENOMEM, "match: out of memory");
		/* no asking price means negotiable: a = -1 */
		x->a = ach ? (money ? atof(money) : -1) : r->src_money;
		x->b = ach ? r->src_money : (money ? atof(money) : -1);
		x->value = c->value[IL_MC_BUDGET];
	}
	const char *published = rec && (ach || dem) ? il__match_get(rec, "published") : NULL;
	if (published) {
		if (!(x = add(rs, IL_REASON_FRESHNESS)))
			return il_error_set(IL_ENOMEM, "match: out of memory");
		x->detail = dup(r, published);
		x->value = c->value[IL_MC_FRESHNESS];
	}
	if (c->feedback >= 0 || c->prior_n) {
		if (!(x = add(rs, IL_REASON_FEEDBACK)))
			return il_error_set(IL_ENOMEM, "match: out of memory");
		x->relation = c->feedback >= 0
				      ? il_feedback_name((enum il_feedback_action)c->feedback)
				      : "others";
		x->detail = c->feedback >= 0 ? c->feedback_who : NULL;
		x->ref_name = c->feedback >= 0 ? c->feedback_at : NULL;
		x->a = (double)c->prior_n;
		x->value = c->value[IL_MC_FEEDBACK];
	}
	return IL_OK;
}

static const char *subkind(const struct il_record *rec)
{
	if (!rec)
		return NULL;
	switch (rec->kind) {
	case IL_KIND_DEMAND:
		return il__match_get(rec, "status");
	case IL_KIND_ORGANIZATION:
	case IL_KIND_PERSON:
	case IL_KIND_ACHIEVEMENT:
		return il__match_get(rec, "kind");
	default:
		return NULL;
	}
}

int il__run_result(struct run *r, const struct cand *c, size_t rank, struct il_match_result *out)
{
	struct reasons rs = {r, NULL, 0, 0};
	const struct il_record *rec;
	int rc = il__run_record(r, c->entity, c->id, &rec);
	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	out->kind = c->mk;
	out->entity = c->entity;
	out->id = c->id;
	out->title = dup(r, rec_title(rec));
	out->subkind = dup(r, subkind(rec));
	out->owner = rec ? dup(r, il__match_get(rec, c->entity == IL_KIND_PERSON ? "affiliation"
										 : "owner"))
			 : NULL;
	out->score = c->score;
	out->rank = rank;
	for (unsigned k = 0; k < IL_MC__COUNT; k++) {
		out->value[k] = c->value[k];
		out->part[k] = r->m->cfg.weight[k] * c->value[k];
	}
	if (c->own)
		rc = term_reasons(&rs, c->own, NULL);
	else if (c->nev)
		rc = term_reasons(&rs, c->ev[0].hit, c->ev[0].hit->id);
	if (!rc)
		rc = evidence_reasons(&rs, c);
	if (!rc)
		rc = chain_reasons(&rs, c);
	/* the record may have moved in the cache while reasons were read */
	if (!rc)
		rc = il__run_record(r, c->entity, c->id, &rec);
	if (!rc)
		rc = attribute_reasons(&rs, c, rec);
	out->reasons = rs.items;
	out->nreasons = rs.n;
	return rc;
}
