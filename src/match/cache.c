/*
 * cache.c - the matcher handle and what it caches at open: the region tree
 * (each region's city and province), the chain links by industry code, the
 * organizations' kinds and regions, the persons by name, the placements of
 * records on chain links, and the feedback summary (feedback.c).
 *
 * These are small next to the index (one entry per region, link,
 * organization, person and placement) and turn per-candidate store reads
 * into array lookups, which is what keeps a match within milliseconds on a
 * large store.  Strings live in the matcher's arena.
 *
 * Depends on: base, model, store (public headers).
 */
#include "match/match_internal.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

/* Grows *arr (of *cap elements of `size`) to hold n + 1. */
int il__match_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return IL_OK;
	size_t ncap = *cap ? *cap * 2 : 64, bytes;
	if (!il_size_mul(ncap, size, &bytes))
		return il_error_set(IL_ENOMEM, "match: too many entries");
	void *p = il_realloc(*arr, bytes);
	if (!p)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	*arr = p;
	*cap = ncap;
	return IL_OK;
}

const char *il__match_strdup(struct il_match *m, const char *s)
{
	return s ? il_arena_strdup(&m->mem, s) : NULL;
}

/* "k:id" into buf (truncated ids cannot collide with real ones: ids are at
 * most 128 bytes). */
size_t il__match_key(char *buf, size_t size, enum il_kind kind, const char *id)
{
	int n = snprintf(buf, size, "%d:%s", (int)kind, id ? id : "");
	return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

static int add_region(const struct il_record *r, void *ctx)
{
	struct il_match *m = ctx;
	int rc = il__match_grow((void **)&m->regions, &m->capregions, m->nregions,
				sizeof(*m->regions));
	if (rc)
		return rc;
	struct il__region *g = &m->regions[m->nregions];
	const char *level = il_record_get(r, "level");
	memset(g, 0, sizeof(*g));
	g->id = il__match_strdup(m, r->id);
	g->name = il__match_strdup(m, il_record_get(r, "name_zh"));
	g->parent_id = il__match_strdup(m, il_record_get(r, "parent"));
	g->level = !level                           ? 3
		   : strcmp(level, "province") == 0 ? 0
		   : strcmp(level, "city") == 0     ? 1
						    : 2;
	g->parent = g->city = g->province = -1;
	if (!g->id)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	return il_strmap_put(&m->region_ix, g->id, strlen(g->id), (int64_t)m->nregions++, NULL);
}

/* Each region's parent, city (the first city going up, or the region
 * right under a province) and province.  Walks stop after 64 steps, so a
 * cycle in bad data cannot hang. */
static void link_regions(struct il_match *m)
{
	for (size_t i = 0; i < m->nregions; i++) {
		struct il__region *g = &m->regions[i];
		if (g->parent_id)
			g->parent =
				il_strmap_get(&m->region_ix, g->parent_id, strlen(g->parent_id));
	}
	for (size_t i = 0; i < m->nregions; i++) {
		int64_t at = (int64_t)i, below = -1;
		for (int steps = 0; at >= 0 && steps < 64; steps++) {
			const struct il__region *g = &m->regions[at];
			if (g->level == 1 && m->regions[i].city < 0)
				m->regions[i].city = at;
			if (g->level == 0) {
				m->regions[i].province = at;
				if (m->regions[i].city < 0 && below >= 0)
					m->regions[i].city = below;
				break;
			}
			below = at;
			at = g->parent;
		}
	}
}

struct code_ctx {
	struct il_match *m;
	uint32_t link;
};

static int add_code(const char *item, size_t len, void *ctx)
{
	struct code_ctx *c = ctx;
	struct il_match *m = c->m;
	int rc = il__match_grow((void **)&m->code_entries, &m->capcode, m->ncode,
				sizeof(*m->code_entries));
	if (rc)
		return rc;
	int64_t head = il_strmap_get(&m->code_links, item, len);
	m->code_entries[m->ncode].link = c->link;
	m->code_entries[m->ncode].next = head;
	return il_strmap_put(&m->code_links, item, len, (int64_t)m->ncode++, NULL);
}

static int add_link(const struct il_record *r, void *ctx)
{
	struct il_match *m = ctx;
	int rc = il__match_grow((void **)&m->links, &m->caplinks, m->nlinks, sizeof(*m->links));
	if (rc)
		return rc;
	struct il__link *l = &m->links[m->nlinks];
	l->id = il__match_strdup(m, r->id);
	l->name = il__match_strdup(m, il_record_get(r, "name_zh"));
	l->chain = il__match_strdup(m, il_record_get(r, "chain"));
	if (!l->id)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	struct code_ctx c = {m, (uint32_t)m->nlinks};
	if ((rc = il_strmap_put(&m->link_ix, l->id, strlen(l->id), (int64_t)m->nlinks, NULL)) != 0)
		return rc;
	m->nlinks++;
	if ((rc = il_list_each(il_record_get(r, "industry_codes"), add_code, &c)) != 0)
		return rc;
	return il_list_each(il_record_get(r, "sw_codes"), add_code, &c);
}

static int add_org(const struct il_record *r, void *ctx)
{
	struct il_match *m = ctx;
	int rc = il__match_grow((void **)&m->orgs, &m->caporgs, m->norgs, sizeof(*m->orgs));
	if (rc)
		return rc;
	struct il__org *o = &m->orgs[m->norgs];
	o->id = il__match_strdup(m, r->id);
	o->kind = il__match_strdup(m, il_record_get(r, "kind"));
	o->region = il__match_strdup(m, il_record_get(r, "region"));
	if (!o->id)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	return il_strmap_put(&m->org_ix, o->id, strlen(o->id), (int64_t)m->norgs++, NULL);
}

static int add_person(const struct il_record *r, void *ctx)
{
	struct il_match *m = ctx;
	int rc = il__match_grow((void **)&m->persons, &m->cappersons, m->npersons,
				sizeof(*m->persons));
	if (rc)
		return rc;
	struct il__person *p = &m->persons[m->npersons];
	p->id = il__match_strdup(m, r->id);
	p->affiliation = il__match_strdup(m, il_record_get(r, "affiliation"));
	p->region = il__match_strdup(m, il_record_get(r, "region"));
	p->next_same[0] = p->next_same[1] = -1;
	p->name_zh = il__match_strdup(m, il_record_get(r, "name_zh"));
	p->name_en = il__match_strdup(m, il_record_get(r, "name_en"));
	if (!p->id)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	size_t i = m->npersons++;
	if ((rc = il_strmap_put(&m->person_ix, p->id, strlen(p->id), (int64_t)i, NULL)) != 0)
		return rc;
	/* next_same[0] chains persons sharing the Chinese name, [1] the English one */
	p->next_same[0] =
		p->name_zh ? il_strmap_get(&m->person_names, p->name_zh, strlen(p->name_zh)) : -1;
	if (p->name_zh && (rc = il_strmap_put(&m->person_names, p->name_zh, strlen(p->name_zh),
					      (int64_t)i, NULL)))
		return rc;
	if (p->name_en && (!p->name_zh || strcmp(p->name_en, p->name_zh) != 0)) {
		p->next_same[1] =
			il_strmap_get(&m->person_names_en, p->name_en, strlen(p->name_en));
		rc = il_strmap_put(&m->person_names_en, p->name_en, strlen(p->name_en), (int64_t)i,
				   NULL);
	}
	return rc;
}

static int add_placement(const struct il_record *r, void *ctx)
{
	struct il_match *m = ctx;
	const char *kind = il_record_get(r, "entity_kind"), *entity = il_record_get(r, "entity");
	const char *link = il_record_get(r, "link");
	enum il_kind k;
	char key[300];
	if (!kind || !entity || !link || il_kind_parse(kind, &k) != IL_OK) {
		il_error_clear();
		return IL_OK;
	}
	int64_t l = il_strmap_get(&m->link_ix, link, strlen(link));
	if (l < 0)
		return IL_OK;
	int rc = il__match_grow((void **)&m->places, &m->capplaces, m->nplaces, sizeof(*m->places));
	if (rc)
		return rc;
	size_t klen = il__match_key(key, sizeof(key), k, entity);
	m->places[m->nplaces].link = (uint32_t)l;
	m->places[m->nplaces].next = il_strmap_get(&m->place_ix, key, klen);
	return il_strmap_put(&m->place_ix, key, klen, (int64_t)m->nplaces++, NULL);
}

static int list_all(struct il_match *m, enum il_kind kind,
		    int (*fn)(const struct il_record *, void *))
{
	struct il_query q;
	il_query_init(&q, kind);
	q.include_confidential = kind == IL_KIND_ASSIGNMENT;
	return il_store_list(m->store, &q, fn, m, NULL);
}

int il_match_open(struct il_store *s, const struct il_index *ix, const struct il_text *text,
		  const struct il_match_config *cfg, struct il_match **out)
{
	struct il_match *m;
	int rc;
	*out = NULL;
	if (!s || !ix || !text)
		return il_error_set(IL_EINVAL, "il_match_open: missing argument");
	if (!(m = il_calloc(1, sizeof(*m))))
		return il_error_set(IL_ENOMEM, "match: out of memory");
	m->store = s;
	m->ix = ix;
	m->text = text;
	if (cfg)
		m->cfg = *cfg;
	else
		il_match_config_init(&m->cfg);
	il_arena_init(&m->mem, 0, 0);
	il_strmap_init(&m->region_ix);
	il_strmap_init(&m->link_ix);
	il_strmap_init(&m->code_links);
	il_strmap_init(&m->org_ix);
	il_strmap_init(&m->person_ix);
	il_strmap_init(&m->person_names);
	il_strmap_init(&m->person_names_en);
	il_strmap_init(&m->place_ix);
	il_strmap_init(&m->prior_ix);
	if ((rc = list_all(m, IL_KIND_REGION, add_region)) != 0 ||
	    (rc = list_all(m, IL_KIND_LINK, add_link)) != 0 ||
	    (rc = list_all(m, IL_KIND_ORGANIZATION, add_org)) != 0 ||
	    (rc = list_all(m, IL_KIND_PERSON, add_person)) != 0 ||
	    (rc = list_all(m, IL_KIND_ASSIGNMENT, add_placement)) != 0 ||
	    (rc = il__match_load_priors(m)) != 0) {
		il_error_prefix("match: loading the matcher's tables");
		il_match_close(m);
		return rc;
	}
	link_regions(m);
	*out = m;
	return IL_OK;
}

void il_match_close(struct il_match *m)
{
	if (!m)
		return;
	free(m->regions);
	free(m->links);
	free(m->code_entries);
	free(m->orgs);
	free(m->persons);
	free(m->places);
	free(m->priors);
	il_strmap_release(&m->region_ix);
	il_strmap_release(&m->link_ix);
	il_strmap_release(&m->code_links);
	il_strmap_release(&m->org_ix);
	il_strmap_release(&m->person_ix);
	il_strmap_release(&m->person_names);
	il_strmap_release(&m->person_names_en);
	il_strmap_release(&m->place_ix);
	il_strmap_release(&m->prior_ix);
	il_arena_release(&m->mem);
	free(m);
}

const struct il__region *il__match_region(const struct il_match *m, const char *id)
{
	int64_t i = id ? il_strmap_get(&m->region_ix, id, strlen(id)) : -1;
	return i < 0 ? NULL : &m->regions[i];
}

int il__match_region_relation(const struct il_match *m, const char *a, const char *b)
{
	const struct il__region *x = il__match_region(m, a), *y = il__match_region(m, b);
	if (!x || !y)
		return -1;
	if (x->city >= 0 && x->city == y->city)
		return 2;
	if (x->province >= 0 && x->province == y->province)
		return 1;
	return 0;
}

bool il__match_region_within(const struct il_match *m, const char *id, const char *area)
{
	int64_t at = id ? il_strmap_get(&m->region_ix, id, strlen(id)) : -1;
	if (id && area && strcmp(id, area) == 0)
		return true;
	for (int steps = 0; at >= 0 && steps < 64; steps++) {
		if (strcmp(m->regions[at].id, area) == 0)
			return true;
		at = m->regions[at].parent;
	}
	return false;
}

const struct il__org *il__match_org(const struct il_match *m, const char *id)
{
	int64_t i = id ? il_strmap_get(&m->org_ix, id, strlen(id)) : -1;
	return i < 0 ? NULL : &m->orgs[i];
}

const struct il__person *il__match_person(const struct il_match *m, const char *id)
{
	int64_t i = id ? il_strmap_get(&m->person_ix, id, strlen(id)) : -1;
	return i < 0 ? NULL : &m->persons[i];
}

/* The person named `name` (Chinese or English name as written), preferring
 * one affiliated with `owner` when several share the name. */
const struct il__person *il__match_person_named(const struct il_match *m, const char *name,
						size_t len, const char *owner)
{
	const struct il__person *first = NULL;
	for (int lang = 0; lang < 2; lang++) {
		const struct il_strmap *map = lang ? &m->person_names_en : &m->person_names;
		for (int64_t i = il_strmap_get(map, name, len), steps = 0; i >= 0 && steps < 1000;
		     i = m->persons[i].next_same[lang], steps++) {
			const struct il__person *p = &m->persons[i];
			if (owner && p->affiliation && strcmp(owner, p->affiliation) == 0)
				return p;
			if (!first)
				first = p;
		}
	}
	return first;
}

/* Calls fn with each link a record lies on: placed by an assignment, or
 * sharing one of its industry codes. */
int il__match_links_each(const struct il_match *m, enum il_kind kind, const char *id,
			 const char *codes, int (*fn)(uint32_t link, const char *via, void *ctx),
			 void *ctx)
{
	char key[300];
	size_t klen = il__match_key(key, sizeof(key), kind, id);
	int rc = IL_OK;
	for (int64_t p = il_strmap_get(&m->place_ix, key, klen); p >= 0 && !rc;
	     p = m->places[p].next)
		rc = fn(m->places[p].link, NULL, ctx);
	for (const char *c = codes; c && *c && !rc;) {
		size_t len = strcspn(c, ";");
		for (int64_t e = il_strmap_get(&m->code_links, c, len); e >= 0 && !rc;
		     e = m->code_entries[e].next) {
			char via[64];
			snprintf(via, sizeof(via), "%.*s", (int)(len < 60 ? len : 60), c);
			rc = fn(m->code_entries[e].link, via, ctx);
		}
		c += len + (c[len] == ';');
	}
	return rc;
}
