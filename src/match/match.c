/*
 * match.c - one match: the source made into a query, candidates of each
 * kind retrieved from the index, profiles aggregated from evidence, the
 * components scored, and the lists ranked.
 *
 * Retrieval.  The source's title, keywords and description (a person: the
 * fields, keywords and biography, and the titles and keywords of the
 * achievements they invented) form one OR query with glossary expansion,
 * cut to its most telling concepts when long (select.c).
 * Achievements and demands are candidates directly.  Experts,
 * institutions, agencies and enterprises are candidates through their own
 * documents (a person's fields and biography, an organization's products
 * and description) and through evidence: the achievements they invented or
 * own, the public demands they posted.  A candidate's raw text score is
 *
 *   raw = own + sum over its evidence j = 1, 2, ... (best first) of s_j / j
 *
 * the harmonic discount rewarding breadth (several relevant achievements)
 * without letting a prolific owner win on volume alone.
 *
 * Scaling.  value[text] = raw / max raw of its kind * best_k / best_all,
 * where best_k is the best single document score behind any candidate of
 * the kind: inside a kind the order is the raw order, and across kinds (the
 * blended list) a kind's top stands where its strongest piece of text
 * stands.
 *
 * Only the best POOL candidates of a kind by raw score are read from the
 * store and scored in full; the rest cannot be lifted past them by the
 * other components unless their weights outgrow text's, which the pool
 * size allows for (see docs/internals/match.md).
 *
 * Confidential demands: every index query leaves hidden documents out, so
 * they are neither results nor evidence.
 *
 * Depends on: base, model, text, store, index (public headers).
 */
#include "match/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RETRIEVE_K 100 /* documents retrieved per kind (or 3 * top) */
#define POOL_MIN 30 /* candidates per kind scored in full */
#define SOURCE_ACH_K 30 /* a person's achievements read into their profile */
#define QUERY_MAX (64u << 10) /* bytes of query text taken from the source */
#define BODY_CHARS 160 /* characters of a description in the query */

void il_match_query_init(struct il_match_query *q)
{
	memset(q, 0, sizeof(*q));
	q->from_kind = IL_KIND__COUNT;
	q->top = 10;
}

static unsigned offered(enum il_kind from)
{
	switch (from) {
	case IL_KIND_ACHIEVEMENT:
	case IL_KIND_PERSON:
		return 1u << IL_MATCH_ENTERPRISE | 1u << IL_MATCH_DEMAND;
	default:
		return 1u << IL_MATCH_ACHIEVEMENT | 1u << IL_MATCH_EXPERT |
		       1u << IL_MATCH_INSTITUTION | 1u << IL_MATCH_AGENCY;
	}
}

/* Which list an organization of this kind goes to, IL_MATCH__COUNT none. */
static enum il_match_kind org_list(const char *kind)
{
	static const char *const inst[] = {"university", "institute", "lab", "rnd"};
	if (!kind)
		return IL_MATCH__COUNT;
	for (size_t i = 0; i < sizeof(inst) / sizeof(inst[0]); i++)
		if (strcmp(kind, inst[i]) == 0)
			return IL_MATCH_INSTITUTION;
	if (strcmp(kind, "agency") == 0)
		return IL_MATCH_AGENCY;
	if (strcmp(kind, "enterprise") == 0)
		return IL_MATCH_ENTERPRISE;
	return IL_MATCH__COUNT;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Record cache of a run: each record read from the store once. */
int il__run_record(struct run *r, enum il_kind kind, const char *id, const struct il_record **out)
{
	char key[300];
	size_t klen = il__match_key(key, sizeof(key), kind, id);
	int64_t i = il_strmap_get(&r->recmap, key, klen);
	int rc;
	*out = NULL;
	if (i >= 0) {
		*out = r->recs[i].have ? &r->recs[i].rec : NULL;
		return IL_OK;
	}
	if ((rc = il__match_grow((void **)&r->recs, &r->caprecs, r->nrecs, sizeof(*r->recs))) != 0)
		return rc;
	struct cached *c = &r->recs[r->nrecs];
	rc = il_store_get(r->m->store, kind, id, &c->rec);
	c->have = rc == IL_OK;
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		rc = IL_OK;
	}
	if (rc)
		return rc;
	if ((rc = il_strmap_put(&r->recmap, key, klen, (int64_t)r->nrecs++, NULL)) != 0)
		return rc;
	*out = c->have ? &c->rec : NULL;
	return IL_OK;
}

/* How much an occurrence in each part of the source counts when its
 * query is cut to the most telling concepts (select.c): the index's
 * default BM25F field weights, so a word of the title tells more than one
 * of the description. */
#define W_TITLE 3.0
#define W_KEYWORDS 2.0
#define W_BODY 1.0

/* Appends a field to the query, at most `chars` characters of it (0: all),
 * cut at a character boundary; its words count `weight` each. */
static int add_part(struct run *r, const char *s, size_t chars, double weight)
{
	if (!s || !*s || r->qtext.len > QUERY_MAX)
		return IL_OK;
	int rc = r->qtext.len ? il_buf_addc(&r->qtext, '\n') : IL_OK;
	for (const char *p = s; !rc && *p; p++) {
		if (chars && ((unsigned char)*p & 0xC0) != 0x80 && chars-- == 1)
			break;
		rc = il_buf_addc(&r->qtext, *p == ';' ? ' ' : *p);
	}
	if (!rc)
		rc = il__match_grow((void **)&r->parts, &r->capparts, r->nparts, sizeof(*r->parts));
	if (!rc)
		r->parts[r->nparts++] = (struct qpart){r->qtext.len, weight};
	return rc;
}

static int add_text(struct run *r, const char *s, double weight)
{
	return add_part(r, s, 0, weight);
}

/* A description or abstract enters the query by its opening only: its
 * first BODY_CHARS characters say what the record is about, and each
 * further word adds a posting list every search must walk (a whole
 * abstract made the query ten times slower on a large store). */
static int add_body(struct run *r, const char *s)
{
	return add_part(r, s, BODY_CHARS + 1, W_BODY);
}

/* A person's achievements: found by their name in the names field, kept
 * when the inventors list holds it exactly. */
static int add_person_achievements(struct run *r, const char *name)
{
	struct il_index_query q;
	struct il_index_hit *hits;
	size_t n;
	char qs[400];
	int rc;
	if (!name || strlen(name) > 300 || strchr(name, '"'))
		return IL_OK;
	snprintf(qs, sizeof(qs), "names:\"%s\"", name);
	il_index_query_init(&q, qs, strlen(qs));
	q.kinds = 1u << IL_KIND_ACHIEVEMENT;
	q.expand = false;
	q.k = SOURCE_ACH_K;
	if ((rc = il_index_search(r->m->ix, &q, r->arena, &hits, &n, NULL)) != 0)
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct il_record *a;
		if ((rc = il__run_record(r, IL_KIND_ACHIEVEMENT, hits[i].id, &a)) != 0 || !a)
			continue;
		const char *inv = il__match_get(a, "inventors");
		size_t len = strlen(name);
		for (const char *p = inv; p && *p; p += strcspn(p, ";"), p += *p == ';')
			if (strncmp(p, name, len) == 0 && (p[len] == ';' || !p[len])) {
				rc = add_text(r, il__match_get(a, "title"), W_TITLE);
				if (!rc)
					rc = add_text(r, il__match_get(a, "keywords"), W_KEYWORDS);
				break;
			}
	}
	return rc;
}

/* The source: its record, query text and attributes. */
static int read_source(struct run *r)
{
	const struct il_match_query *q = r->q;
	const struct il_record *s;
	int rc;
	if (q->from_kind == IL_KIND__COUNT) {
		if (!q->text || !q->len)
			return il_error_set(IL_EINVAL, "match: empty text");
		if (q->len > QUERY_MAX)
			return il_error_set(IL_EINVAL, "match: text of %zu bytes, more than %u",
					    q->len, QUERY_MAX);
		if (!il_utf8_valid(q->text, q->len))
			return il_error_set(IL_EINVAL, "match: text: invalid UTF-8 at byte %zu",
					    il_utf8_prefix(q->text, q->len, NULL));
		r->src_trl = r->src_money = NAN;
		return il_buf_add(&r->qtext, q->text, q->len);
	}
	if (q->from_kind != IL_KIND_DEMAND && q->from_kind != IL_KIND_ACHIEVEMENT &&
	    q->from_kind != IL_KIND_PERSON)
		return il_error_set(IL_EINVAL,
				    "match: a %s is not matched (demand, achievement or "
				    "person)",
				    il_kind_info(q->from_kind) ? il_kind_info(q->from_kind)->name
							       : "record");
	if (!q->from_id)
		return il_error_set(IL_EINVAL, "match: which %s?",
				    il_kind_info(q->from_kind)->name);
	if ((rc = il__run_record(r, q->from_kind, q->from_id, &s)) != 0)
		return rc;
	const char *vis = s ? il__match_get(s, "visibility") : NULL;
	const char *owner =
		s ? il__match_get(s, q->from_kind == IL_KIND_PERSON ? "affiliation" : "owner")
		  : NULL;
	/* a confidential demand is not told apart from a missing one */
	if (!s || (vis && strcmp(vis, "confidential") == 0 && !q->operator_view &&
		   !(q->viewer && owner && strcmp(q->viewer, owner) == 0)))
		return il_error_set(IL_ENOTFOUND, "match: no %s '%s'",
				    il_kind_info(q->from_kind)->name, q->from_id);
	r->src = s;
	r->src_public = !(vis && strcmp(vis, "confidential") == 0);
	r->src_owner = owner;
	r->src_region = il__match_get(s, "region");
	r->src_codes = il__match_get(s, "industry_codes");
	r->src_trl = r->src_money = NAN;
	switch (q->from_kind) {
	case IL_KIND_DEMAND:
		r->src_title = il__match_get(s, "title");
		if (il__match_get(s, "trl_need"))
			r->src_trl = atof(il__match_get(s, "trl_need"));
		if (il__match_get(s, "budget"))
			r->src_money = atof(il__match_get(s, "budget"));
		rc = add_text(r, r->src_title, W_TITLE);
		if (!rc)
			rc = add_text(r, il__match_get(s, "keywords"), W_KEYWORDS);
		if (!rc)
			rc = add_body(r, il__match_get(s, "description"));
		break;
	case IL_KIND_ACHIEVEMENT:
		r->src_title = il__match_get(s, "title");
		if (il__match_get(s, "trl"))
			r->src_trl = atof(il__match_get(s, "trl"));
		if (il__match_get(s, "asking_price"))
			r->src_money = atof(il__match_get(s, "asking_price"));
		rc = add_text(r, r->src_title, W_TITLE);
		if (!rc)
			rc = add_text(r, il__match_get(s, "keywords"), W_KEYWORDS);
		if (!rc)
			rc = add_body(r, il__match_get(s, "abstract"));
		break;
	default:
		r->src_title = il__match_get(s, "name_zh");
		rc = add_text(r, il__match_get(s, "fields"), W_KEYWORDS);
		if (!rc)
			rc = add_text(r, il__match_get(s, "keywords"), W_KEYWORDS);
		if (!rc)
			rc = add_body(r, il__match_get(s, "bio"));
		/* the copy keeps the names valid while the record cache grows */
		char zh[200], en[200];
		snprintf(zh, sizeof(zh), "%s",
			 il__match_get(s, "name_zh") ? il__match_get(s, "name_zh") : "");
		snprintf(en, sizeof(en), "%s",
			 il__match_get(s, "name_en") ? il__match_get(s, "name_en") : "");
		if (!rc && *zh)
			rc = add_person_achievements(r, zh);
		if (!rc && *en && strcmp(en, zh) != 0)
			rc = add_person_achievements(r, en);
		/* records in the cache may have moved: look the source up again */
		if (!rc)
			rc = il__run_record(r, q->from_kind, q->from_id, &r->src);
		if (!rc && r->src) {
			r->src_owner = il__match_get(r->src, "affiliation");
			r->src_region = il__match_get(r->src, "region");
			r->src_title = il__match_get(r->src, "name_zh");
		}
		break;
	}
	return rc;
}

/* The source, its query cut to the most telling concepts. */
static int load_source(struct run *r)
{
	int rc = read_source(r);
	return rc ? rc : il__run_select(r);
}

static int find_cand(struct run *r, enum il_match_kind mk, enum il_kind entity, const char *id,
		     struct cand **out)
{
	char key[300];
	size_t klen = il__match_key(key, sizeof(key), entity, id);
	int64_t i = il_strmap_get(&r->candmap, key, klen);
	int rc;
	if (i >= 0) {
		*out = &r->cands[i];
		return IL_OK;
	}
	if ((rc = il__match_grow((void **)&r->cands, &r->capcands, r->ncands, sizeof(*r->cands))))
		return rc;
	struct cand *c = &r->cands[r->ncands];
	memset(c, 0, sizeof(*c));
	c->mk = mk;
	c->entity = entity;
	if (!(c->id = il_arena_strdup(r->arena, id)))
		return il_error_set(IL_ENOMEM, "match: out of memory");
	if ((rc = il_strmap_put(&r->candmap, key, klen, (int64_t)r->ncands, NULL)) != 0)
		return rc;
	*out = &r->cands[r->ncands++];
	return IL_OK;
}

/* Whether a candidate is the source itself or belongs to its owner. */
static bool excluded(const struct run *r, enum il_kind entity, const char *id)
{
	if (r->q->from_id && entity == r->q->from_kind && strcmp(id, r->q->from_id) == 0)
		return true;
	return entity == IL_KIND_ORGANIZATION && r->src_owner && strcmp(id, r->src_owner) == 0;
}

/* Own documents and evidence of one kind are the same query when no
 * region filters the own ones: the second asks the first's answer. */
static int search(struct run *r, enum il_kind kind, bool filtered, size_t k,
		  struct il_index_hit **hits, size_t *n)
{
	struct il_index_query q;
	struct searched *was = &r->searched[kind];
	filtered = filtered && r->q->region;
	if (was->have && was->filtered == filtered && was->k >= k) {
		*hits = was->hits;
		*n = was->n < k ? was->n : k;
		return IL_OK;
	}
	il_index_query_init(&q, il_buf_cstr(&r->qtext), r->qtext.len);
	q.kinds = 1u << kind;
	q.region = filtered ? r->q->region : NULL;
	q.include_hidden = false;
	q.k = k;
	int rc = il_index_search(r->m->ix, &q, r->arena, hits, n, NULL);
	if (rc) {
		il_error_prefix("match: searching %s", il_kind_info(kind)->plural);
		return rc;
	}
	*was = (struct searched){*hits, *n, k, filtered, true};
	return IL_OK;
}

/* Adds evidence document `h` (scored s) to candidate c. */
static void add_evidence(struct cand *c, const struct il_index_hit *h, enum il_kind kind)
{
	c->nevidence++;
	c->raw += (double)h->score / (double)c->nevidence;
	if (h->score > c->best_single)
		c->best_single = h->score;
	if (c->nev < CAND_EVIDENCE) {
		c->ev[c->nev].hit = h;
		c->ev[c->nev].kind = kind;
		c->nev++;
	}
}

/* Documents retrieved per kind: a longer list needs more to fill it. */
static size_t own_k(const struct run *r)
{
	return r->q->top * 3 > RETRIEVE_K ? r->q->top * 3 : RETRIEVE_K;
}

static int own_hits(struct run *r, enum il_kind kind, unsigned want)
{
	struct il_index_hit *hits;
	size_t n;
	int rc = search(r, kind, true, own_k(r), &hits, &n);
	for (size_t i = 0; i < n && !rc; i++) {
		enum il_match_kind mk = kind == IL_KIND_PERSON        ? IL_MATCH_EXPERT
					: kind == IL_KIND_ACHIEVEMENT ? IL_MATCH_ACHIEVEMENT
					: kind == IL_KIND_DEMAND      ? IL_MATCH_DEMAND
								      : IL_MATCH__COUNT;
		struct cand *c;
		if (kind == IL_KIND_ORGANIZATION) {
			const struct il__org *o = il__match_org(r->m, hits[i].id);
			mk = org_list(o ? o->kind : NULL);
		}
		if (mk == IL_MATCH__COUNT || !(want & 1u << mk) || excluded(r, kind, hits[i].id))
			continue;
		if ((rc = find_cand(r, mk, kind, hits[i].id, &c)) != 0)
			break;
		c->own = &hits[i];
		c->raw += hits[i].score;
		if (hits[i].score > c->best_single)
			c->best_single = hits[i].score;
	}
	return rc;
}

struct inv_ctx {
	struct run *r;
	const struct il_index_hit *h;
	const char *owner;
	int rc;
};

static int add_inventor(const char *item, size_t len, void *ctx)
{
	struct inv_ctx *x = ctx;
	const struct il__person *p = il__match_person_named(x->r->m, item, len, x->owner);
	struct cand *c;
	if (!p || excluded(x->r, IL_KIND_PERSON, p->id))
		return IL_OK;
	if (x->r->q->region && !il__match_region_within(x->r->m, p->region, x->r->q->region))
		return IL_OK;
	if ((x->rc = find_cand(x->r, IL_MATCH_EXPERT, IL_KIND_PERSON, p->id, &c)) != 0)
		return x->rc;
	add_evidence(c, x->h, IL_KIND_ACHIEVEMENT);
	return IL_OK;
}

/* Achievements (or demands) as evidence for their inventors and owners. */
static int evidence_hits(struct run *r, enum il_kind kind, unsigned want)
{
	struct il_index_hit *hits;
	size_t n;
	int rc = search(r, kind, false, own_k(r), &hits, &n);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct il_record *rec;
		if ((rc = il__run_record(r, kind, hits[i].id, &rec)) != 0 || !rec)
			continue;
		const char *owner = il__match_get(rec, "owner");
		const struct il__org *o = il__match_org(r->m, owner);
		enum il_match_kind mk = org_list(o ? o->kind : NULL);
		struct cand *c;
		if (o && mk != IL_MATCH__COUNT && (want & 1u << mk) &&
		    !excluded(r, IL_KIND_ORGANIZATION, o->id) &&
		    (!r->q->region || il__match_region_within(r->m, o->region, r->q->region))) {
			if ((rc = find_cand(r, mk, IL_KIND_ORGANIZATION, o->id, &c)) != 0)
				break;
			add_evidence(c, &hits[i], kind);
		}
		if (kind == IL_KIND_ACHIEVEMENT && (want & 1u << IL_MATCH_EXPERT)) {
			struct inv_ctx x = {r, &hits[i], owner, IL_OK};
			/* the list is read from a copy: the record cache may move */
			char *inv =
				il_arena_strdup(r->arena, il__match_get(rec, "inventors")
								  ? il__match_get(rec, "inventors")
								  : "");
			if (!inv)
				return il_error_set(IL_ENOMEM, "match: out of memory");
			il_list_each(inv, add_inventor, &x);
			rc = x.rc;
		}
	}
	return rc;
}

static int retrieve(struct run *r)
{
	unsigned want = r->kinds;
	int rc = IL_OK;
	if (want & 1u << IL_MATCH_ACHIEVEMENT)
		rc = own_hits(r, IL_KIND_ACHIEVEMENT, want);
	if (!rc && (want & 1u << IL_MATCH_DEMAND))
		rc = own_hits(r, IL_KIND_DEMAND, want);
	if (!rc && (want & 1u << IL_MATCH_EXPERT))
		rc = own_hits(r, IL_KIND_PERSON, want);
	if (!rc && (want & (1u << IL_MATCH_INSTITUTION | 1u << IL_MATCH_AGENCY |
			    1u << IL_MATCH_ENTERPRISE)))
		rc = own_hits(r, IL_KIND_ORGANIZATION, want);
	if (!rc && (want & (1u << IL_MATCH_EXPERT | 1u << IL_MATCH_INSTITUTION)))
		rc = evidence_hits(r, IL_KIND_ACHIEVEMENT, want);
	if (!rc && (want & 1u << IL_MATCH_ENTERPRISE))
		rc = evidence_hits(r, IL_KIND_DEMAND, want);
	return rc;
}

static int cmp_raw(const void *a, const void *b)
{
	const struct cand *x = *(const struct cand *const *)a, *y = *(const struct cand *const *)b;
	if (x->raw != y->raw)
		return x->raw > y->raw ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int cmp_score(const void *a, const void *b)
{
	const struct cand *x = *(const struct cand *const *)a, *y = *(const struct cand *const *)b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->raw != y->raw)
		return x->raw > y->raw ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Per kind: candidates by raw score, cut to the pool. */
static int pools(struct run *r)
{
	for (size_t i = 0; i < r->ncands; i++) {
		struct cand *c = &r->cands[i];
		if (c->raw > r->max_raw[c->mk])
			r->max_raw[c->mk] = c->raw;
		if (c->best_single > r->best[c->mk])
			r->best[c->mk] = c->best_single;
		if (c->best_single > r->best_all)
			r->best_all = c->best_single;
		r->npool[c->mk]++;
	}
	for (unsigned k = 0; k < IL_MATCH__COUNT; k++) {
		if (!r->npool[k])
			continue;
		r->pool[k] = il_arena_alloc(r->arena, r->npool[k] * sizeof(struct cand *));
		if (!r->pool[k])
			return il_error_set(IL_ENOMEM, "match: out of memory");
		r->npool[k] = 0;
	}
	for (size_t i = 0; i < r->ncands; i++)
		r->pool[r->cands[i].mk][r->npool[r->cands[i].mk]++] = &r->cands[i];
	size_t keep = r->q->top * 3 > POOL_MIN ? r->q->top * 3 : POOL_MIN;
	for (unsigned k = 0; k < IL_MATCH__COUNT; k++) {
		if (r->npool[k] > 1)
			qsort(r->pool[k], r->npool[k], sizeof(struct cand *), cmp_raw);
		if (r->npool[k] > keep)
			r->npool[k] = keep;
	}
	return IL_OK;
}

static int rank(struct run *r)
{
	int rc = IL_OK;
	for (unsigned k = 0; k < IL_MATCH__COUNT && !rc; k++) {
		for (size_t i = 0; i < r->npool[k] && !rc; i++)
			rc = il__run_score(r, r->pool[k][i]);
		if (r->npool[k] > 1)
			qsort(r->pool[k], r->npool[k], sizeof(struct cand *), cmp_score);
		if (r->npool[k] > r->q->top)
			r->npool[k] = r->q->top;
	}
	return rc;
}

static int cmp_result(const void *a, const void *b)
{
	const struct il_match_result *x = *(const struct il_match_result *const *)a;
	const struct il_match_result *y = *(const struct il_match_result *const *)b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int answer(struct run *r, struct il_match_answer *out)
{
	size_t n = 0, at = 0;
	for (unsigned k = 0; k < IL_MATCH__COUNT; k++)
		n += r->npool[k];
	struct il_match_result *res = il_arena_alloc(r->arena, (n ? n : 1) * sizeof(*res));
	const struct il_match_result **best = il_arena_alloc(r->arena, (n ? n : 1) * sizeof(*best));
	if (!res || !best)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	for (unsigned k = 0; k < IL_MATCH__COUNT; k++) {
		out->count[k] = r->npool[k];
		for (size_t i = 0; i < r->npool[k]; i++, at++) {
			int rc = il__run_result(r, r->pool[k][i], i + 1, &res[at]);
			if (rc)
				return rc;
			best[at] = &res[at];
		}
	}
	if (n > 1)
		qsort(best, n, sizeof(*best), cmp_result);
	out->from_kind = r->q->from_kind;
	out->from_id = r->q->from_id ? il_arena_strdup(r->arena, r->q->from_id) : NULL;
	out->from_title = r->src_title ? il_arena_strdup(r->arena, r->src_title) : NULL;
	out->results = res;
	out->nresults = n;
	out->best = best;
	return IL_OK;
}

static void run_release(struct run *r)
{
	for (size_t i = 0; i < r->nrecs; i++)
		if (r->recs[i].have)
			il_record_release(&r->recs[i].rec);
	free(r->recs);
	free(r->cands);
	il_strmap_release(&r->recmap);
	il_strmap_release(&r->candmap);
	il_buf_release(&r->qtext);
	free(r->parts);
	il__run_release_terms(r);
}

int il__run_init(struct run *r, struct il_match *m, const struct il_match_query *q,
		 struct il_arena *arena)
{
	char now[21];
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->q = q;
	r->arena = arena;
	il_strmap_init(&r->recmap);
	il_strmap_init(&r->candmap);
	il_buf_init(&r->qtext, 0);
	il_time_now(now);
	r->today = il__match_day(now);
	if (!q->top || q->top > 1000)
		return il_error_set(IL_EINVAL, "match: top must be 1..1000, not %zu", q->top);
	unsigned can = offered(q->from_kind);
	if (q->kinds & ~can) {
		for (unsigned k = 0; k < IL_MATCH__COUNT; k++)
			if ((q->kinds & ~can) & 1u << k)
				return il_error_set(IL_EINVAL, "match: a %s is not matched to %s",
						    q->from_kind == IL_KIND__COUNT
							    ? "text"
							    : il_kind_info(q->from_kind)->name,
						    il_match_kind_name((enum il_match_kind)k));
		return il_error_set(IL_EINVAL, "match: unknown kinds");
	}
	r->kinds = q->kinds ? q->kinds : can;
	return IL_OK;
}

int il_match_run(struct il_match *m, const struct il_match_query *q, struct il_arena *arena,
		 struct il_match_answer *out)
{
	struct run r;
	double t0 = now_ms();
	int rc;
	memset(out, 0, sizeof(*out));
	if (!m || !q || !arena)
		return il_error_set(IL_EINVAL, "il_match_run: missing argument");
	if ((rc = il__run_init(&r, m, q, arena)) == IL_OK && (rc = load_source(&r)) == IL_OK &&
	    (rc = il__run_source_links(&r)) == IL_OK && (rc = il__run_feedback(&r)) == IL_OK &&
	    (rc = retrieve(&r)) == IL_OK && (rc = pools(&r)) == IL_OK && (rc = rank(&r)) == IL_OK &&
	    (rc = il__run_terms(&r)) == IL_OK)
		rc = answer(&r, out);
	run_release(&r);
	out->ms = now_ms() - t0;
	return rc;
}

static enum il_match_kind list_of(const struct il_match *m, enum il_kind kind, const char *id)
{
	const struct il__org *o;
	switch (kind) {
	case IL_KIND_ACHIEVEMENT:
		return IL_MATCH_ACHIEVEMENT;
	case IL_KIND_DEMAND:
		return IL_MATCH_DEMAND;
	case IL_KIND_PERSON:
		return IL_MATCH_EXPERT;
	case IL_KIND_ORGANIZATION:
		o = il__match_org(m, id);
		return org_list(o ? o->kind : NULL);
	default:
		return IL_MATCH__COUNT;
	}
}

int il__match_pair_values(struct il_match *m, enum il_kind from_kind, const char *from_id,
			  const enum il_kind *kinds, const char *const *ids, size_t n,
			  double (*values)[IL_MC__COUNT])
{
	struct il_match_query q;
	struct il_arena arena;
	struct run r;
	int rc;
	il_match_query_init(&q);
	q.from_kind = from_kind;
	q.from_id = from_id;
	q.operator_view = true;
	il_arena_init(&arena, 0, 0);
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < IL_MC__COUNT; k++)
			values[i][k] = NAN;
	if ((rc = il__run_init(&r, m, &q, &arena)) == IL_OK) {
		r.learning = true;
		if ((rc = load_source(&r)) == IL_OK && (rc = il__run_source_links(&r)) == IL_OK &&
		    (rc = il__run_feedback(&r)) == IL_OK)
			rc = retrieve(&r);
	}
	/* targets text did not retrieve are scored too, with no text */
	for (size_t i = 0; i < n && !rc; i++) {
		enum il_match_kind mk = list_of(m, kinds[i], ids[i]);
		struct cand *c;
		if (mk != IL_MATCH__COUNT && (r.kinds & 1u << mk))
			rc = find_cand(&r, mk, kinds[i], ids[i], &c);
	}
	if (!rc)
		rc = pools(&r);
	for (size_t i = 0; i < n && !rc; i++) {
		char key[300];
		size_t klen = il__match_key(key, sizeof(key), kinds[i], ids[i]);
		int64_t ci = il_strmap_get(&r.candmap, key, klen);
		if (ci < 0)
			continue;
		if ((rc = il__run_score(&r, &r.cands[ci])) == IL_OK)
			memcpy(values[i], r.cands[ci].value, sizeof(values[i]));
	}
	run_release(&r);
	il_arena_release(&arena);
	return rc;
}
