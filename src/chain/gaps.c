/*
 * gaps.c - where a region's industry and research meet on each chain link,
 * and what would fill a weak link.
 *
 * Per link (a top link includes its sub-links) and per region, the records
 * placed there are counted: enterprises and high-tech enterprises on the
 * industrial side; laboratories, R&D institutions (universities, research
 * institutes, new R&D institutions), experts, achievements and deals (signed
 * or later, on an achievement or demand placed on the link) on the
 * innovation side.  A record lies in a region by its own region, or by its
 * organization's (a person's affiliation, an achievement's owner).
 *
 * Two weighted sums follow, as docs/internals/chain.md gives them:
 *   industry   = enterprises + high_tech          (a high-tech one counts twice)
 *   innovation = 3 labs + 2 institutions + experts + achievements + 2 deals
 * and each is divided by its average over the region's peers (the regions
 * sharing its parent, the region included), so 1.0 means "as much as an
 * average city of the province".  A side is strong when it is at least
 * that average and not zero: an empty side is weak even if every peer's is
 * empty too.  Confidential demands are never counted: the store leaves
 * their placements out.
 */
#include "chain_internal.h"

#include <stdlib.h>
#include <string.h>

enum measure { M_ENT, M_HT, M_LAB, M_INST, M_EXP, M_ACH, M_DEAL, M__COUNT };

static const char *const measure_names[M__COUNT] = {
	"enterprises", "high_tech_enterprises", "laboratories", "rnd_institutions",
	"experts",     "achievements",          "deals",
};

struct ctx {
	struct il_store *s;
	struct il__regions regions;
	struct il__recs chains, links; /* links in tree order */
	struct il__recs orgs, persons, achievements, deals, placements;
	size_t *by_id; /* link indexes sorted by id, for lookups */
};

static void ctx_release(struct ctx *x)
{
	il__regions_release(&x->regions);
	il__recs_release(&x->chains);
	il__recs_release(&x->links);
	il__recs_release(&x->orgs);
	il__recs_release(&x->persons);
	il__recs_release(&x->achievements);
	il__recs_release(&x->deals);
	il__recs_release(&x->placements);
	free(x->by_id);
}

static const struct il__recs *sort_base;

static int cmp_by_id(const void *a, const void *b)
{
	return strcmp(sort_base->r[*(const size_t *)a].id, sort_base->r[*(const size_t *)b].id);
}

static ptrdiff_t link_index(const struct ctx *x, const char *id)
{
	size_t lo = 0, hi = x->links.n;
	while (id && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(x->links.r[x->by_id[mid]].id, id);
		if (c == 0)
			return (ptrdiff_t)x->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int load_kind(struct ctx *x, enum il_kind kind, struct il__recs *out)
{
	struct il_query q;
	il_query_init(&q, kind);
	return il__recs_load(x->s, &q, out);
}

static int ctx_load(struct ctx *x, struct il_store *s, const char *region, const char *chain)
{
	int rc;
	memset(x, 0, sizeof(*x));
	x->s = s;
	if ((rc = il__regions_load(s, &x->regions)) != IL_OK)
		return rc;
	if (region && il__recs_find(&x->regions.all, region) < 0)
		return il_error_set(IL_ENOTFOUND, "no region '%s' (see 'innolink list region')",
				    region);
	if ((rc = il__links_in_order(s, chain, &x->chains, &x->links)) ||
	    (rc = load_kind(x, IL_KIND_ORGANIZATION, &x->orgs)) ||
	    (rc = load_kind(x, IL_KIND_PERSON, &x->persons)) ||
	    (rc = load_kind(x, IL_KIND_ACHIEVEMENT, &x->achievements)) ||
	    (rc = load_kind(x, IL_KIND_DEAL, &x->deals)) ||
	    (rc = load_kind(x, IL_KIND_ASSIGNMENT, &x->placements)))
		return rc;
	if (!(x->by_id = il_calloc(x->links.n ? x->links.n : 1, sizeof(size_t))))
		return IL_ENOMEM;
	for (size_t i = 0; i < x->links.n; i++)
		x->by_id[i] = i;
	sort_base = &x->links;
	qsort(x->by_id, x->links.n, sizeof(size_t), cmp_by_id);
	return IL_OK;
}

static const struct il_record *find(const struct il__recs *v, const char *id)
{
	ptrdiff_t i = id ? il__recs_find(v, id) : -1;
	return i < 0 ? NULL : &v->r[i];
}

/* The placed record a placement names (organization, person, achievement),
 * or NULL for other kinds (demands are not strength). */
static const struct il_record *placed(const struct ctx *x, const struct il_record *a)
{
	const char *k = il_record_get(a, "entity_kind"), *id = il_record_get(a, "entity");
	if (!k)
		return NULL;
	if (strcmp(k, "organization") == 0)
		return find(&x->orgs, id);
	if (strcmp(k, "person") == 0)
		return find(&x->persons, id);
	if (strcmp(k, "achievement") == 0)
		return find(&x->achievements, id);
	return NULL;
}

/* A record's region: its own, else its organization's. */
static const char *region_of(const struct ctx *x, const struct il_record *r)
{
	const char *reg = il_record_get(r, "region");
	const struct il_record *org;
	if (reg)
		return reg;
	if (r->kind == IL_KIND_PERSON)
		org = find(&x->orgs, il_record_get(r, "affiliation"));
	else if (r->kind == IL_KIND_ACHIEVEMENT)
		org = find(&x->orgs, il_record_get(r, "owner"));
	else
		return NULL;
	return org ? il_record_get(org, "region") : NULL;
}

/* Which measure a placed record counts in (M__COUNT: none); a high-tech
 * enterprise also counts in M_HT, which the caller adds. */
static enum measure measure_of(const struct il_record *r)
{
	const char *kind;
	if (r->kind == IL_KIND_PERSON)
		return M_EXP;
	if (r->kind == IL_KIND_ACHIEVEMENT)
		return M_ACH;
	kind = il_record_get(r, "kind");
	if (!kind)
		return M__COUNT;
	if (strcmp(kind, "enterprise") == 0)
		return M_ENT;
	if (strcmp(kind, "lab") == 0)
		return M_LAB;
	if (strcmp(kind, "university") == 0 || strcmp(kind, "institute") == 0 ||
	    strcmp(kind, "rnd") == 0)
		return M_INST;
	return M__COUNT;
}

static bool deal_counts(const struct il_record *d)
{
	static const char *const done[] = {"signed", "registered", "performance", "completed",
					   NULL};
	const char *st = il_record_get(d, "state");
	for (size_t i = 0; st && done[i]; i++)
		if (strcmp(st, done[i]) == 0)
			return true;
	return false;
}

/* Adds n to measure m of link li and of every link above it. */
static void add_up(const struct ctx *x, size_t (*counts)[M__COUNT], ptrdiff_t li, enum measure m)
{
	for (size_t steps = 0; li >= 0 && steps <= x->links.n; steps++) {
		counts[li][m]++;
		li = link_index(x, il_record_get(&x->links.r[li], "parent"));
	}
}

/* counts[link][measure] for the records in `region`. */
static void count_region(const struct ctx *x, const char *region, size_t (*counts)[M__COUNT])
{
	memset(counts, 0, x->links.n * sizeof(*counts));
	for (size_t i = 0; i < x->placements.n; i++) {
		const struct il_record *a = &x->placements.r[i], *r = placed(x, a);
		ptrdiff_t li = link_index(x, il_record_get(a, "link"));
		enum measure m;
		if (li < 0 || !r || (m = measure_of(r)) == M__COUNT ||
		    !il__regions_within(&x->regions, region_of(x, r), region))
			continue;
		add_up(x, counts, li, m);
		if (m == M_ENT && il_record_get(r, "high_tech") &&
		    strcmp(il_record_get(r, "high_tech"), "1") == 0)
			add_up(x, counts, li, M_HT);
	}
	for (size_t d = 0; d < x->deals.n; d++) {
		const struct il_record *deal = &x->deals.r[d];
		const char *reg = il_record_get(deal, "region");
		const struct il_record *buyer = find(&x->orgs, il_record_get(deal, "buyer"));
		if (!reg && buyer)
			reg = il_record_get(buyer, "region");
		if (!deal_counts(deal) || !il__regions_within(&x->regions, reg, region))
			continue;
		const char *ach = il_record_get(deal, "achievement"),
			   *dem = il_record_get(deal, "demand");
		for (size_t i = 0; i < x->placements.n; i++) {
			const struct il_record *a = &x->placements.r[i];
			const char *k = il_record_get(a, "entity_kind"),
				   *e = il_record_get(a, "entity");
			bool on = k && e &&
				  ((ach && strcmp(k, "achievement") == 0 && strcmp(e, ach) == 0) ||
				   (dem && strcmp(k, "demand") == 0 && strcmp(e, dem) == 0));
			if (on)
				add_up(x, counts, link_index(x, il_record_get(a, "link")), M_DEAL);
		}
	}
}

static double industry_sum(const size_t *c)
{
	return (double)(c[M_ENT] + c[M_HT]);
}

static double innovation_sum(const size_t *c)
{
	return 3.0 * (double)c[M_LAB] + 2.0 * (double)c[M_INST] + (double)c[M_EXP] +
	       (double)c[M_ACH] + 2.0 * (double)c[M_DEAL];
}

const char *il_chain_class_name(enum il_chain_class c)
{
	static const char *const names[] = {"strong", "industry_only", "innovation_only", "weak"};
	return (unsigned)c < 4 ? names[c] : "weak";
}

static enum il_chain_class classify(double ind_raw, double ind, double inn_raw, double inn)
{
	bool i = ind_raw > 0 && ind >= 1.0, n = inn_raw > 0 && inn >= 1.0;
	return i && n ? IL_CHAIN_STRONG
	       : i    ? IL_CHAIN_INDUSTRY_ONLY
	       : n    ? IL_CHAIN_INNOVATION_ONLY
		      : IL_CHAIN_WEAK;
}

/* The peers of a region: the regions with the same parent (itself too). */
static size_t peers_of(const struct ctx *x, const char *region, size_t *out)
{
	ptrdiff_t me = il__recs_find(&x->regions.all, region);
	size_t n = 0;
	for (size_t i = 0; me >= 0 && i < x->regions.all.n; i++)
		if (x->regions.parent[i] == x->regions.parent[me])
			out[n++] = i;
	return n;
}

/* Per-measure peer averages of every link: avg[link][measure]. */
static int peer_average(const struct ctx *x, const size_t *peers, size_t npeers,
			double (*avg)[M__COUNT], double *avg_ind, double *avg_inn)
{
	size_t(*c)[M__COUNT] = il_calloc(x->links.n ? x->links.n : 1, sizeof(*c));
	if (!c)
		return IL_ENOMEM;
	memset(avg, 0, x->links.n * sizeof(*avg));
	for (size_t i = 0; i < x->links.n; i++)
		avg_ind[i] = avg_inn[i] = 0;
	for (size_t p = 0; p < npeers; p++) {
		count_region(x, x->regions.all.r[peers[p]].id, c);
		for (size_t i = 0; i < x->links.n; i++) {
			for (int m = 0; m < M__COUNT; m++)
				avg[i][m] += (double)c[i][m] / (double)npeers;
			avg_ind[i] += industry_sum(c[i]) / (double)npeers;
			avg_inn[i] += innovation_sum(c[i]) / (double)npeers;
		}
	}
	free(c);
	return IL_OK;
}

struct computed {
	size_t (*here)[M__COUNT];
	double (*avg)[M__COUNT];
	double *avg_ind, *avg_inn;
	size_t npeers;
};

static void computed_release(struct computed *c)
{
	free(c->here);
	free(c->avg);
	free(c->avg_ind);
	free(c->avg_inn);
}

static int compute(const struct ctx *x, const char *region, struct computed *c)
{
	size_t n = x->links.n ? x->links.n : 1, *peers;
	int rc;
	memset(c, 0, sizeof(*c));
	c->here = il_calloc(n, sizeof(*c->here));
	c->avg = il_calloc(n, sizeof(*c->avg));
	c->avg_ind = il_calloc(n, sizeof(double));
	c->avg_inn = il_calloc(n, sizeof(double));
	peers = il_calloc(x->regions.all.n + 1, sizeof(size_t));
	if (!c->here || !c->avg || !c->avg_ind || !c->avg_inn || !peers) {
		free(peers);
		computed_release(c);
		return IL_ENOMEM;
	}
	c->npeers = peers_of(x, region, peers);
	count_region(x, region, c->here);
	rc = peer_average(x, peers, c->npeers, c->avg, c->avg_ind, c->avg_inn);
	free(peers);
	if (rc)
		computed_release(c);
	return rc;
}

static double ratio(double here, double avg)
{
	return avg > 0 ? here / avg : 0;
}

static void fill_gap(const struct computed *c, size_t i, struct il_chain_gap *g)
{
	const size_t *h = c->here[i];
	g->here.enterprises = h[M_ENT];
	g->here.high_tech = h[M_HT];
	g->here.labs = h[M_LAB];
	g->here.institutions = h[M_INST];
	g->here.experts = h[M_EXP];
	g->here.achievements = h[M_ACH];
	g->here.deals = h[M_DEAL];
	g->here.industry = industry_sum(h);
	g->here.innovation = innovation_sum(h);
	g->peer_industry = c->avg_ind[i];
	g->peer_innovation = c->avg_inn[i];
	g->industry = ratio(g->here.industry, g->peer_industry);
	g->innovation = ratio(g->here.innovation, g->peer_innovation);
	g->cls = classify(g->here.industry, g->industry, g->here.innovation, g->innovation);
}

int il_chain_gaps(struct il_store *s, const char *region, const char *chain,
		  struct il_chain_gaps *out)
{
	struct ctx x;
	struct computed c;
	int rc;
	memset(out, 0, sizeof(*out));
	if (!region)
		return il_error_set(IL_EINVAL, "chain gaps: which region?");
	if ((rc = ctx_load(&x, s, region, chain)) || (rc = compute(&x, region, &c)))
		goto out;
	out->n = x.links.n;
	out->npeers = c.npeers;
	if (!(out->region = il_strdup(region)) ||
	    !(out->gaps = il_calloc(x.links.n ? x.links.n : 1, sizeof(*out->gaps)))) {
		rc = IL_ENOMEM;
	} else {
		for (size_t i = 0; i < x.links.n; i++)
			fill_gap(&c, i, &out->gaps[i]);
		/* the report keeps the links; the context gives them up */
		out->links = x.links.r;
		memset(&x.links, 0, sizeof(x.links));
		for (size_t i = 0; i < out->n; i++)
			out->gaps[i].link = &out->links[i];
	}
	computed_release(&c);
out:
	ctx_release(&x);
	if (rc)
		il_chain_gaps_release(out);
	return rc;
}

void il_chain_gaps_release(struct il_chain_gaps *g)
{
	for (size_t i = 0; g->links && i < g->n; i++)
		il_record_release(&g->links[i]);
	free(g->links);
	free(g->gaps);
	free(g->region);
	memset(g, 0, sizeof(*g));
}

static void gap_body_json(struct il_buf *out, int *rc, const struct il_chain_gap *g)
{
	const struct il_chain_counts *h = &g->here;
	il__json_kf(out, rc,
		    ",\"industry\":{\"enterprises\":%zu,\"high_tech_enterprises\":%zu,"
		    "\"output_value\":null,\"score\":%g,\"peer_average\":%.3f,\"strength\":%.3f}",
		    h->enterprises, h->high_tech, h->industry, g->peer_industry, g->industry);
	il__json_kf(
		out, rc,
		",\"innovation\":{\"laboratories\":%zu,\"rnd_institutions\":%zu,\"experts\":%zu,"
		"\"achievements\":%zu,\"deals\":%zu,\"score\":%g,\"peer_average\":%.3f,"
		"\"strength\":%.3f}",
		h->labs, h->institutions, h->experts, h->achievements, h->deals, h->innovation,
		g->peer_innovation, g->innovation);
	il__json_kf(out, rc, ",\"industrial_strength\":%.3f,\"innovation_strength\":%.3f",
		    g->industry, g->innovation);
	il__json_kv(out, rc, ",\"class\":", il_chain_class_name(g->cls));
}

static void link_head_json(struct il_buf *out, int *rc, const struct il_record *l,
			   const char *region, size_t npeers)
{
	il__json_kv(out, rc, "{\"link\":", l->id);
	il__json_kv(out, rc, ",\"chain\":", il_record_get(l, "chain"));
	il__json_kv(out, rc, ",\"name_zh\":", il_record_get(l, "name_zh"));
	il__json_kv(out, rc, ",\"name_en\":", il_record_get(l, "name_en"));
	il__json_kv(out, rc, ",\"segment\":", il_record_get(l, "segment"));
	il__json_kv(out, rc, ",\"parent\":", il_record_get(l, "parent"));
	il__json_kv(out, rc, ",\"region\":", region);
	il__json_kf(out, rc, ",\"peers\":%zu", npeers);
}

int il_chain_gaps_json(const struct il_chain_gaps *g, struct il_buf *out)
{
	int rc = IL_OK;
	il__json_kf(out, &rc, "[");
	for (size_t i = 0; i < g->n; i++) {
		il__json_kf(out, &rc, "%s", i ? ",\n" : "");
		link_head_json(out, &rc, g->gaps[i].link, g->region, g->npeers);
		gap_body_json(out, &rc, &g->gaps[i]);
		il__json_kf(out, &rc, "}");
	}
	il__json_kf(out, &rc, "]\n");
	return rc;
}

struct cand {
	const struct il_record *r;
	double rank; /* higher first */
	double confidence;
	const char *method;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return strcmp(x->r->id, y->r->id);
}

static double lab_rank(const struct il_record *r)
{
	static const char *const levels[] = {"national", "state_key", "provincial", "engineering",
					     NULL};
	const char *lv = il_record_get(r, "lab_level");
	for (size_t i = 0; lv && levels[i]; i++)
		if (strcmp(lv, levels[i]) == 0)
			return 4.0 - (double)i;
	return 0;
}

enum list_kind { L_LOCAL, L_EXPERTS, L_LABS, L_ACH, L_ATTRACT, L__COUNT };
static const char *const list_names[L__COUNT] = {
	"local_enterprises", "experts", "laboratories", "achievements", "enterprises_to_attract",
};

/* Which list a record placed on the link goes to, and its rank there. */
static enum list_kind list_of(const struct ctx *x, const struct il_record *r, const char *region,
			      double confidence, double *rank)
{
	enum measure m = measure_of(r);
	bool local = il__regions_within(&x->regions, region_of(x, r), region);
	const char *ht = il_record_get(r, "high_tech");
	const char *trl = il_record_get(r, "trl");
	*rank = confidence;
	switch (m) {
	case M_ENT:
		*rank += ht && strcmp(ht, "1") == 0 ? 1.0 : 0;
		return local ? L_LOCAL : L_ATTRACT;
	case M_LAB:
	case M_INST:
		*rank += lab_rank(r) + (m == M_LAB ? 1.0 : 0);
		return L_LABS;
	case M_EXP:
		return L_EXPERTS;
	case M_ACH:
		*rank += trl ? atof(trl) / 9.0 : 0;
		return L_ACH;
	default:
		return L__COUNT;
	}
}

static bool on_link(const struct ctx *x, const char *link, ptrdiff_t target)
{
	ptrdiff_t li = link_index(x, link);
	for (size_t steps = 0; li >= 0 && steps <= x->links.n; steps++) {
		if (li == target)
			return true;
		li = link_index(x, il_record_get(&x->links.r[li], "parent"));
	}
	return false;
}

static void cand_json(struct il_buf *out, int *rc, const struct ctx *x, const struct cand *c)
{
	const struct il_kind_info *k = il_kind_info(c->r->kind);
	const char *name = c->r->values[k->title_field];
	il__json_kv(out, rc, "{\"kind\":", k->name);
	il__json_kv(out, rc, ",\"id\":", c->r->id);
	il__json_kv(out, rc, ",\"name\":", name);
	il__json_kv(out, rc, ",\"region\":", region_of(x, c->r));
	il__json_kv(out, rc, ",\"method\":", c->method);
	il__json_kf(out, rc, ",\"confidence\":%.3f}", c->confidence);
}

static int lists_json(const struct ctx *x, const char *region, ptrdiff_t li, size_t limit,
		      struct il_buf *out)
{
	struct cand *c[L__COUNT];
	size_t n[L__COUNT] = {0};
	int rc = IL_OK;
	for (int l = 0; l < L__COUNT; l++)
		c[l] = il_calloc(x->placements.n + 1, sizeof(struct cand));
	for (int l = 0; l < L__COUNT; l++)
		if (!c[l])
			rc = IL_ENOMEM;
	for (size_t i = 0; i < x->placements.n && !rc; i++) {
		const struct il_record *a = &x->placements.r[i], *r = placed(x, a);
		const char *conf = il_record_get(a, "confidence");
		double rank, cf = conf ? atof(conf) : 1.0;
		enum list_kind l;
		if (!r || !on_link(x, il_record_get(a, "link"), li) ||
		    (l = list_of(x, r, region, cf, &rank)) == L__COUNT)
			continue;
		/* a record on two sub-links of the link is listed once */
		size_t j = 0;
		while (j < n[l] && c[l][j].r != r)
			j++;
		if (j < n[l]) {
			if (rank > c[l][j].rank)
				c[l][j].rank = rank;
			continue;
		}
		c[l][n[l]++] = (struct cand){r, rank, cf, il_record_get(a, "method")};
	}
	for (int l = 0; l < L__COUNT && !rc; l++) {
		qsort(c[l], n[l], sizeof(struct cand), cmp_cand);
		il__json_kf(out, &rc, ",\"%s\":[", list_names[l]);
		for (size_t j = 0; j < n[l] && j < limit; j++) {
			il__json_kf(out, &rc, "%s", j ? "," : "");
			cand_json(out, &rc, x, &c[l][j]);
		}
		il__json_kf(out, &rc, "]");
	}
	for (int l = 0; l < L__COUNT; l++)
		free(c[l]);
	return rc;
}

int il_chain_link_report_json(struct il_store *s, const char *region, const char *link,
			      size_t limit, struct il_buf *out)
{
	struct il_record l;
	struct computed c;
	struct ctx x;
	struct il_chain_gap g;
	ptrdiff_t li;
	int rc;
	if (!region)
		return il_error_set(IL_EINVAL, "chain gaps --link: which region?");
	if ((rc = il_store_get(s, IL_KIND_LINK, link, &l)) != IL_OK)
		return il_error_set(rc, "no chain link '%s'", link);
	rc = ctx_load(&x, s, region, il_record_get(&l, "chain"));
	il_record_release(&l);
	if (rc || (rc = compute(&x, region, &c)) != IL_OK)
		goto out;
	li = link_index(&x, link);
	fill_gap(&c, (size_t)li, &g);
	link_head_json(out, &rc, &x.links.r[li], region, c.npeers);
	gap_body_json(out, &rc, &g);
	il__json_kf(out, &rc, ",\"lacks\":[");
	for (int m = 0, k = 0; m < M__COUNT; m++) {
		if ((double)c.here[li][m] >= c.avg[li][m] && c.here[li][m] > 0)
			continue;
		il__json_kf(out, &rc, "%s{\"measure\":\"%s\",\"here\":%zu,\"peer_average\":%.3f}",
			    k++ ? "," : "", measure_names[m], c.here[li][m], c.avg[li][m]);
	}
	il__json_kf(out, &rc, "]");
	if (!rc)
		rc = lists_json(&x, region, li, limit ? limit : 10, out);
	il__json_kf(out, &rc, "}\n");
	computed_release(&c);
out:
	ctx_release(&x);
	return rc;
}
