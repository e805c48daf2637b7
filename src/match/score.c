/*
 * score.c - the components of one candidate's score:
 *
 *   text       raw / max raw of its kind * best of its kind / best overall
 *   chain_link shared / min(|A|, |B|) over each side's set of chain links
 *              (placed by assignment, or sharing an industry code) and
 *              industry codes
 *   region     same city, same province, elsewhere (configured values)
 *   maturity   the achievement's TRL against the demand's need
 *   budget     the asking price against the budget
 *   freshness  0.5^(age / half-life) of the published date
 *   feedback   the pair's latest feedback (accepted 1 ... rejected -1),
 *              else half the mean of what other sources said of the target
 *
 * and score = sum of weight * value.  The formulas of the pure parts are
 * in features.c; this file reads the records they apply to.
 *
 * Depends on: match_internal.h, run.h.
 */
#include "match/run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct set {
	struct run *r;
	const char **items;
	size_t n, cap;
	int rc;
};

static int set_add(struct set *s, const char *item)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->items[i], item) == 0)
			return IL_OK;
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		const char **p = il_arena_alloc(s->r->arena, ncap * sizeof(*p));
		if (!p)
			return il_error_set(IL_ENOMEM, "match: out of memory");
		if (s->n)
			memcpy(p, s->items, s->n * sizeof(*p));
		s->items = p;
		s->cap = ncap;
	}
	s->items[s->n++] = item;
	return IL_OK;
}

static int add_link(uint32_t link, const char *via, void *ctx)
{
	struct set *s = ctx;
	(void)via;
	return set_add(s, s->r->m->links[link].id);
}

static int add_code(const char *item, size_t len, void *ctx)
{
	struct set *s = ctx;
	char *code = il_arena_alloc(s->r->arena, len + 6);
	if (!code)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	memcpy(code, "code:", 5);
	memcpy(code + 5, item, len);
	code[len + 5] = '\0';
	return set_add(s, code);
}

/* A record's chain links and industry codes ("code:3512"). */
static int record_set(struct run *r, enum il_kind kind, const char *id, const char *codes,
		      struct set *s)
{
	memset(s, 0, sizeof(*s));
	s->r = r;
	int rc = il__match_links_each(r->m, kind, id, codes, add_link, s);
	return rc ? rc : il_list_each(codes, add_code, s);
}

int il__run_source_links(struct run *r)
{
	struct set s;
	if (!r->src)
		return IL_OK;
	int rc = record_set(r, r->q->from_kind, r->q->from_id, r->src_codes, &s);
	r->src_links = s.items;
	r->nsrc_links = s.n;
	return rc;
}

static int take_feedback(const struct il_feedback *f, void *ctx)
{
	struct run *r = ctx;
	/* oldest first: a later action on the same target replaces it */
	for (size_t i = 0; i < r->nfb; i++)
		if (r->fb[i].kind == f->to_kind && strcmp(r->fb[i].id, f->to_id) == 0) {
			r->fb[i].action = f->action;
			r->fb[i].who = il_arena_strdup(r->arena, f->who ? f->who : "");
			r->fb[i].at = il_arena_strdup(r->arena, f->at ? f->at : "");
			return r->fb[i].who && r->fb[i].at
				       ? IL_OK
				       : il_error_set(IL_ENOMEM, "out of memory");
		}
	if (r->nfb % 16 == 0) {
		struct pair_feedback *p = il_arena_alloc(r->arena, (r->nfb + 16) * sizeof(*p));
		if (!p)
			return il_error_set(IL_ENOMEM, "match: out of memory");
		if (r->nfb)
			memcpy(p, r->fb, r->nfb * sizeof(*p));
		r->fb = p;
	}
	struct pair_feedback *p = &r->fb[r->nfb];
	p->kind = f->to_kind;
	p->action = f->action;
	p->id = il_arena_strdup(r->arena, f->to_id);
	p->who = il_arena_strdup(r->arena, f->who ? f->who : "");
	p->at = il_arena_strdup(r->arena, f->at ? f->at : "");
	if (!p->id || !p->who || !p->at)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	r->nfb++;
	return IL_OK;
}

int il__run_feedback(struct run *r)
{
	if (!r->src)
		return IL_OK;
	/* the source was allowed to the viewer, so its feedback is too */
	return il_match_feedback_list(r->m->store, r->q->from_kind, r->q->from_id, true,
				      take_feedback, r);
}

static double num(const struct il_record *rec, const char *field)
{
	const char *v = rec ? il__match_get(rec, field) : NULL;
	return v ? atof(v) : NAN;
}

static int chain_value(struct run *r, struct cand *c, const struct il_record *rec)
{
	struct set s;
	size_t shared = 0;
	if (!r->nsrc_links || !rec)
		return IL_OK;
	int rc = record_set(r, c->entity, c->id, il__match_get(rec, "industry_codes"), &s);
	/* the shared items are kept in s.items' first slots for the reasons */
	for (size_t i = 0; i < s.n && !rc; i++)
		for (size_t j = 0; j < r->nsrc_links; j++)
			if (strcmp(s.items[i], r->src_links[j]) == 0) {
				s.items[shared++] = s.items[i];
				break;
			}
	c->shared = s.items;
	c->nshared = shared;
	c->value[IL_MC_CHAIN] = il__match_chain_overlap(shared, s.n, r->nsrc_links);
	return rc;
}

static void feedback_value(struct run *r, struct cand *c)
{
	double sum;
	c->feedback = -1;
	il__match_prior(r->m, c->entity, c->id, &sum, &c->prior_n);
	for (size_t i = 0; i < r->nfb; i++) {
		if (r->fb[i].kind != c->entity || strcmp(r->fb[i].id, c->id) != 0)
			continue;
		if (!r->learning) {
			c->feedback = (int)r->fb[i].action;
			c->feedback_who = r->fb[i].who;
			c->feedback_at = r->fb[i].at;
			c->value[IL_MC_FEEDBACK] = il_feedback_value(r->fb[i].action);
			return;
		}
		/* learning from this very pair: its own action must not be a
		 * feature of it, in the prior either */
		if (r->src_public && c->prior_n) {
			sum -= il_feedback_value(r->fb[i].action);
			c->prior_n--;
		}
		break;
	}
	c->value[IL_MC_FEEDBACK] = c->prior_n ? sum / (double)c->prior_n / 2 : 0;
}

int il__run_score(struct run *r, struct cand *c)
{
	const struct il_match_config *cfg = &r->m->cfg;
	const struct il_record *rec;
	int rc = il__run_record(r, c->entity, c->id, &rec);
	if (rc)
		return rc;
	for (unsigned k = 0; k < IL_MC__COUNT; k++)
		c->value[k] = 0;
	if (r->max_raw[c->mk] > 0 && r->best_all > 0)
		c->value[IL_MC_TEXT] = c->raw / r->max_raw[c->mk] * (r->best[c->mk] / r->best_all);
	c->value[IL_MC_REGION] =
		il__match_region_value(cfg,
				       il__match_region_relation(r->m, r->src_region,
								 rec ? il__match_get(rec, "region")
								     : NULL));
	c->value[IL_MC_MATURITY] = 0.5;
	c->value[IL_MC_BUDGET] = 0.5;
	c->value[IL_MC_FRESHNESS] = 0.5;
	if (c->entity == IL_KIND_ACHIEVEMENT && r->q->from_kind != IL_KIND_ACHIEVEMENT) {
		c->value[IL_MC_MATURITY] =
			il__match_maturity(num(rec, "trl"), r->src_trl, cfg->trl_slack);
		c->value[IL_MC_BUDGET] = il__match_budget(num(rec, "asking_price"), r->src_money);
	} else if (c->entity == IL_KIND_DEMAND && r->q->from_kind == IL_KIND_ACHIEVEMENT) {
		c->value[IL_MC_MATURITY] =
			il__match_maturity(r->src_trl, num(rec, "trl_need"), cfg->trl_slack);
		c->value[IL_MC_BUDGET] = il__match_budget(r->src_money, num(rec, "budget"));
	}
	if (c->entity == IL_KIND_ACHIEVEMENT || c->entity == IL_KIND_DEMAND)
		c->value[IL_MC_FRESHNESS] =
			il__match_freshness(il__match_day(rec ? il__match_get(rec, "published")
							      : NULL),
					    r->today, cfg->half_life_days);
	if ((rc = chain_value(r, c, rec)) != 0)
		return rc;
	feedback_value(r, c);
	c->score = 0;
	for (unsigned k = 0; k < IL_MC__COUNT; k++)
		c->score += cfg->weight[k] * c->value[k];
	return IL_OK;
}
