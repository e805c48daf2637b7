/*
 * indicator.c - a region's indicator series and its progress against
 * targets.
 *
 * Published figures are indicator records (imported from CSV/XLSX like any
 * kind: bad rows are refused with their line).  What the platform's own
 * records can tell is computed when asked, never stored, so it cannot go
 * stale: deals signed (a deal in state signed or later, by the year it was
 * signed), their contract turnover, and the docking rate (the share of
 * public demands posted in a year that reached docking, agreement or
 * success; confidential demands are left out of the figure, as from every
 * count).
 */
#include "chain_internal.h"

#include <stdlib.h>
#include <string.h>

static int cmp_series(const void *a, const void *b)
{
	const struct il_record *x = a, *y = b;
	int c = strcmp(il_record_get(x, "region"), il_record_get(y, "region"));
	if (!c)
		c = strcmp(il_record_get(x, "name"), il_record_get(y, "name"));
	if (!c)
		c = strcmp(il_record_get(x, "period"), il_record_get(y, "period"));
	return c;
}

static bool same_series(const struct il_record *a, const struct il_record *b)
{
	return strcmp(il_record_get(a, "region"), il_record_get(b, "region")) == 0 &&
	       strcmp(il_record_get(a, "name"), il_record_get(b, "name")) == 0;
}

static void num_or_null(struct il_buf *out, int *rc, const char *key, const char *v)
{
	il__json_kf(out, rc, "%s%s", key, v ? v : "null");
}

static void series_head(struct il_buf *out, int *rc, const struct il_record *r, const char *sep)
{
	il__json_kv(out, rc, sep, il_record_get(r, "region"));
	il__json_kv(out, rc, ",\"name\":", il_record_get(r, "name"));
	il__json_kv(out, rc, ",\"label_zh\":", il_record_get(r, "label_zh"));
	il__json_kv(out, rc, ",\"label_en\":", il_record_get(r, "label_en"));
	il__json_kv(out, rc, ",\"unit\":", il_record_get(r, "unit"));
	il__json_kv(out, rc, ",\"chain\":", il_record_get(r, "chain"));
}

static int stored_series(struct il__recs *v, struct il_buf *out, size_t *nseries)
{
	int rc = IL_OK;
	if (v->n > 1)
		qsort(v->r, v->n, sizeof(*v->r), cmp_series);
	for (size_t i = 0; i < v->n && !rc; i++) {
		const struct il_record *r = &v->r[i];
		if (i == 0 || !same_series(&v->r[i - 1], r)) {
			if (i)
				il__json_kf(out, &rc, "]}");
			series_head(out, &rc, r,
				    (*nseries)++ ? ",\n{\"region\":" : "\n{\"region\":");
			il__json_kf(out, &rc, ",\"points\":[");
		} else {
			il__json_kf(out, &rc, ",");
		}
		il__json_kv(out, &rc, "{\"period\":", il_record_get(r, "period"));
		num_or_null(out, &rc, ",\"value\":", il_record_get(r, "value"));
		num_or_null(out, &rc, ",\"target\":", il_record_get(r, "target"));
		il__json_kv(out, &rc, ",\"source\":", il_record_get(r, "note"));
		il__json_kv(out, &rc, ",\"id\":", r->id);
		il__json_kf(out, &rc, "}");
	}
	if (v->n)
		il__json_kf(out, &rc, "]}");
	return rc;
}

#define MAX_YEARS 64

struct yearly {
	int year[MAX_YEARS];
	double a[MAX_YEARS], b[MAX_YEARS];
	size_t n;
};

static void yearly_add(struct yearly *y, const char *date, double a, double b)
{
	int year = date ? atoi(date) : 0;
	size_t i = 0;
	if (year < 1900 || year > 2999)
		return;
	while (i < y->n && y->year[i] != year)
		i++;
	if (i == y->n) {
		if (y->n == MAX_YEARS)
			return;
		/* keep the years in order */
		while (i > 0 && y->year[i - 1] > year) {
			y->year[i] = y->year[i - 1];
			y->a[i] = y->a[i - 1];
			y->b[i] = y->b[i - 1];
			i--;
		}
		y->year[i] = year;
		y->a[i] = y->b[i] = 0;
		y->n++;
	}
	y->a[i] += a;
	y->b[i] += b;
}

static bool state_in(const char *v, const char *const *set)
{
	for (size_t i = 0; v && set[i]; i++)
		if (strcmp(v, set[i]) == 0)
			return true;
	return false;
}

static void computed_series(struct il_buf *out, int *rc, size_t *nseries, const char *region,
			    const char *name, const char *zh, const char *en, const char *unit,
			    const struct yearly *y, int which)
{
	if (!y->n)
		return;
	il__json_kv(out, rc, (*nseries)++ ? ",\n{\"region\":" : "\n{\"region\":", region);
	il__json_kv(out, rc, ",\"name\":", name);
	il__json_kv(out, rc, ",\"label_zh\":", zh);
	il__json_kv(out, rc, ",\"label_en\":", en);
	il__json_kv(out, rc, ",\"unit\":", unit);
	il__json_kf(out, rc, ",\"chain\":null,\"points\":[");
	for (size_t i = 0; i < y->n; i++) {
		double v = which == 0    ? y->a[i]
			   : which == 1  ? y->b[i]
			   : y->b[i] > 0 ? 100.0 * y->a[i] / y->b[i]
					 : 0;
		il__json_kf(out, rc,
			    "%s{\"period\":\"%d\",\"value\":%.6g,\"target\":null,"
			    "\"source\":\"computed\",\"id\":null}",
			    i ? "," : "", y->year[i], v);
	}
	il__json_kf(out, rc, "]}");
}

static int computed_for(struct il_store *s, const struct il__regions *g, const char *region,
			const char *name, struct il_buf *out, size_t *nseries)
{
	static const char *const signed_states[] = {"signed", "registered", "performance",
						    "completed", NULL};
	static const char *const docked[] = {"docking", "agreed", "success", NULL};
	struct il__recs deals = {0}, demands = {0}, orgs = {0};
	struct yearly dy = {0}, my = {0};
	struct il_query q;
	int rc;
	il_query_init(&q, IL_KIND_DEAL);
	if ((rc = il__recs_load(s, &q, &deals)) != IL_OK)
		goto out;
	il_query_init(&q, IL_KIND_DEMAND); /* public demands only */
	q.region = region;
	if ((rc = il__recs_load(s, &q, &demands)) != IL_OK)
		goto out;
	il_query_init(&q, IL_KIND_ORGANIZATION);
	if ((rc = il__recs_load(s, &q, &orgs)) != IL_OK)
		goto out;
	for (size_t i = 0; i < deals.n; i++) {
		const struct il_record *d = &deals.r[i];
		const char *reg = il_record_get(d, "region"), *amount = il_record_get(d, "amount");
		ptrdiff_t buyer = il_record_get(d, "buyer")
					  ? il__recs_find(&orgs, il_record_get(d, "buyer"))
					  : -1;
		if (!reg && buyer >= 0)
			reg = il_record_get(&orgs.r[buyer], "region");
		if (state_in(il_record_get(d, "state"), signed_states) &&
		    il__regions_within(g, reg, region))
			yearly_add(&dy, il_record_get(d, "signed"), 1, amount ? atof(amount) : 0);
	}
	for (size_t i = 0; i < demands.n; i++)
		yearly_add(&my, il_record_get(&demands.r[i], "published"),
			   state_in(il_record_get(&demands.r[i], "status"), docked) ? 1 : 0, 1);
	if (!name || strcmp(name, "deals_signed") == 0)
		computed_series(out, &rc, nseries, region, "deals_signed", "技术合同签约数",
				"technology contracts signed", "项", &dy, 0);
	if (!name || strcmp(name, "contract_turnover") == 0)
		computed_series(out, &rc, nseries, region, "contract_turnover", "技术合同成交额",
				"technology contract turnover", "万元", &dy, 1);
	if (!name || strcmp(name, "docking_rate") == 0)
		computed_series(out, &rc, nseries, region, "docking_rate", "需求对接率",
				"docking rate of demands", "%", &my, 2);
out:
	il__recs_release(&deals);
	il__recs_release(&demands);
	il__recs_release(&orgs);
	return rc;
}

static int load_indicators(struct il_store *s, const char *region, const char *name,
			   struct il__recs *out)
{
	struct il_query q;
	il_query_init(&q, IL_KIND_INDICATOR);
	q.region = region;
	if (name) {
		q.field[0] = "name";
		q.value[0] = name;
		q.nfilters = 1;
	}
	return il__recs_load(s, &q, out);
}

int il_indicator_series_json(struct il_store *s, const char *region, const char *name,
			     bool computed, struct il_buf *out)
{
	struct il__regions g;
	struct il__recs v = {0};
	size_t nseries = 0;
	int rc;
	if ((rc = il__regions_load(s, &g)) != IL_OK)
		return rc;
	if (region && il__recs_find(&g.all, region) < 0) {
		rc = il_error_set(IL_ENOTFOUND, "no region '%s'", region);
		goto out;
	}
	if ((rc = load_indicators(s, region, name, &v)) != IL_OK ||
	    (rc = il_buf_addc(out, '[')) != IL_OK || (rc = stored_series(&v, out, &nseries)))
		goto out;
	for (size_t i = 0; computed && i < g.all.n && !rc; i++) {
		/* every region asked about: the one given, or each top one */
		const char *id = g.all.r[i].id;
		if (region ? strcmp(id, region) == 0 : g.parent[i] == SIZE_MAX)
			rc = computed_for(s, &g, id, name, out, &nseries);
	}
	if (!rc)
		rc = il_buf_adds(out, "]\n");
out:
	il__recs_release(&v);
	il__regions_release(&g);
	return rc;
}

static void target_json(struct il_buf *out, int *rc, const struct il__recs *v, size_t t,
			size_t first, size_t end, size_t k)
{
	const struct il_record *tr = &v->r[t], *base = NULL, *latest = NULL;
	double target = atof(il_record_get(tr, "target"));
	for (size_t i = first; i < end; i++) {
		if (!il_record_get(&v->r[i], "value"))
			continue;
		if (!base)
			base = &v->r[i];
		latest = &v->r[i];
	}
	series_head(out, rc, tr, k ? ",\n{\"region\":" : "\n{\"region\":");
	il__json_kf(out, rc, ",\"target\":%s", il_record_get(tr, "target"));
	il__json_kv(out, rc, ",\"target_period\":", il_record_get(tr, "period"));
	num_or_null(out, rc, ",\"base\":", base ? il_record_get(base, "value") : NULL);
	il__json_kv(out, rc, ",\"base_period\":", base ? il_record_get(base, "period") : NULL);
	num_or_null(out, rc, ",\"latest\":", latest ? il_record_get(latest, "value") : NULL);
	il__json_kv(out, rc,
		    ",\"latest_period\":", latest ? il_record_get(latest, "period") : NULL);
	if (!latest || target == 0) {
		il__json_kf(out, rc, ",\"progress\":null}");
		return;
	}
	double b = atof(il_record_get(base, "value")), l = atof(il_record_get(latest, "value"));
	/* with a base below the target, progress is the share of the way from
	 * the base to the target covered so far; one figure alone can only be
	 * compared with the target itself */
	double p = base != latest && b < target ? (l - b) / (target - b) : l / target;
	il__json_kf(out, rc, ",\"progress\":%.4f}", p);
}

int il_indicator_targets_json(struct il_store *s, const char *region, struct il_buf *out)
{
	struct il__recs v = {0};
	size_t k = 0;
	int rc = IL_OK;
	if (region) {
		struct il_record r;
		if ((rc = il_store_get(s, IL_KIND_REGION, region, &r)) != IL_OK)
			return il_error_set(rc, "no region '%s'", region);
		il_record_release(&r);
	}
	if ((rc = load_indicators(s, region, NULL, &v)) != IL_OK)
		goto out;
	if (v.n > 1)
		qsort(v.r, v.n, sizeof(*v.r), cmp_series);
	rc = il_buf_addc(out, '[');
	for (size_t first = 0, end; first < v.n && !rc; first = end) {
		for (end = first + 1; end < v.n && same_series(&v.r[first], &v.r[end]);)
			end++;
		for (size_t t = first; t < end; t++)
			if (il_record_get(&v.r[t], "target"))
				target_json(out, &rc, &v, t, first, end, k++);
	}
	if (!rc)
		rc = il_buf_adds(out, "]\n");
out:
	il__recs_release(&v);
	return rc;
}
