/*
 * figures.c - the closed-loop figures of a region or chain over time:
 * demands posted, docking rate, median time to first response, deals by
 * type, contract turnover and satisfaction, plus each broker's median
 * response time.
 *
 * Everything is computed from the records in one pass over the demands and
 * one over the deals; the pipeline's facts (first responses, steps into
 * docking, ratings, assignment times) are loaded first into maps keyed by
 * demand id.  Definitions (docs/trade.md):
 *   docked        reached "docking" or beyond (status now, or any step)
 *   docking rate  docked / demands posted
 *   response      first move into "docking" minus when the demand was stored;
 *                 for a broker, minus when it was assigned to the broker
 *   turnover      sum of the amounts of deals signed in the period
 *                 (signed, registered, in performance or completed)
 *   satisfaction  mean of the ratings (1-5) of the demands of the period
 * Medians of an even count are the mean of the two middle values.
 */
#include "trade_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTYPES 5

static const char *const deal_types[NTYPES] = {"transfer", "licence", "joint", "service",
					       "consulting"};

struct times {
	int64_t *v;
	size_t n, cap;
};

struct bucket {
	char key[64]; /* "2025", "2025-04", or a city's id */
	char name[96]; /* the city's name, by city */
	size_t demands, docked, succeeded, deals, ratings;
	size_t by_type[NTYPES];
	double turnover, score_sum;
	struct times response;
};

struct agency {
	char *broker;
	size_t demands;
	struct times response;
};

struct figures {
	struct il_store *s;
	const struct il_trade_scope *scope;
	struct il_strmap response; /* demand -> seconds to first response */
	struct il_strmap docked; /* demands that stepped into docking */
	struct il_strmap ratings; /* demand -> score sum * 16 + count */
	struct il_strmap secret; /* confidential demands */
	struct il_strmap in_scope; /* demands counted */
	struct il_strmap buckets; /* period or city -> bucket index */
	struct il_strmap cities; /* region -> bucket index of its city */
	struct bucket *b;
	size_t nb, capb;
	struct bucket total;
	struct agency *ag;
	size_t nag, capag;
};

static int times_add(struct times *t, int64_t v)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		int64_t *grown = il_realloc(t->v, cap * sizeof(*grown));
		if (!grown)
			return IL_ENOMEM;
		t->v = grown;
		t->cap = cap;
	}
	t->v[t->n++] = v;
	return IL_OK;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Median in days; false when there is none. */
static bool median_days(struct times *t, double *out)
{
	if (!t->n)
		return false;
	qsort(t->v, t->n, sizeof(*t->v), cmp_i64);
	double mid = t->n % 2 ? (double)t->v[t->n / 2]
			      : ((double)t->v[t->n / 2 - 1] + (double)t->v[t->n / 2]) / 2.0;
	*out = mid / IL__DAY;
	return true;
}

static int map_put(struct il_strmap *m, const char *key, int64_t v)
{
	return il_strmap_put(m, key, strlen(key), v, NULL);
}

static int64_t map_get(const struct il_strmap *m, const char *key)
{
	return key ? il_strmap_get(m, key, strlen(key)) : -1;
}

static int load_response(const char *const *cols, void *vctx)
{
	struct figures *f = vctx;
	int64_t since, first;
	if (il__trade_time(cols[1], &since) || il__trade_time(cols[2], &first)) {
		il_error_clear();
		return IL_OK;
	}
	return map_put(&f->response, cols[0], first - since);
}

static int load_docked(const char *const *cols, void *vctx)
{
	return map_put(&((struct figures *)vctx)->docked, cols[0], 1);
}

static int load_secret(const char *const *cols, void *vctx)
{
	return map_put(&((struct figures *)vctx)->secret, cols[0], 1);
}

static int load_rating(const char *const *cols, void *vctx)
{
	struct figures *f = vctx;
	int64_t old = map_get(&f->ratings, cols[0]);
	int64_t v = (old < 0 ? 0 : old) + strtoll(cols[1], NULL, 10) * 16 + 1;
	return map_put(&f->ratings, cols[0], v);
}

static int load_facts(struct figures *f)
{
	int rc = il_store_sql(f->s,
			      "SELECT demand, since, first_response FROM docking "
			      "WHERE first_response IS NOT NULL",
			      NULL, 0, 3, load_response, f);
	if (!rc)
		rc = il_store_sql(f->s,
				  "SELECT DISTINCT demand FROM docking_step WHERE to_state "
				  "IN ('docking', 'agreed', 'success')",
				  NULL, 0, 1, load_docked, f);
	if (!rc)
		rc = il_store_sql(f->s, "SELECT demand, score FROM rating", NULL, 0, 2, load_rating,
				  f);
	if (!rc)
		rc = il_store_sql(f->s, "SELECT id FROM demand WHERE visibility = 'confidential'",
				  NULL, 0, 1, load_secret, f);
	return rc;
}

static int bucket_for(struct figures *f, const char *key, const char *name, int64_t *out)
{
	int64_t i = map_get(&f->buckets, key);
	if (i < 0) {
		if (f->nb == f->capb) {
			size_t cap = f->capb ? f->capb * 2 : 16;
			struct bucket *grown = il_realloc(f->b, cap * sizeof(*grown));
			if (!grown)
				return IL_ENOMEM;
			f->b = grown;
			f->capb = cap;
		}
		i = (int64_t)f->nb++;
		memset(&f->b[i], 0, sizeof(f->b[i]));
		snprintf(f->b[i].key, sizeof(f->b[i].key), "%s", key);
		snprintf(f->b[i].name, sizeof(f->b[i].name), "%s", name);
		if (map_put(&f->buckets, key, i))
			return IL_ENOMEM;
	}
	*out = i;
	return IL_OK;
}

/* The bucket of a record: its period ("2025" or "2025-04" of `date`), or
 * the city its `region` lies in. */
static int bucket_of(struct figures *f, const char *date, const char *region, struct bucket **out)
{
	char key[64], name[96];
	int64_t i;
	int rc = IL_OK;
	if (f->scope->by != IL_BY_CITY) {
		size_t n = f->scope->by == IL_BY_MONTH ? 7 : 4;
		snprintf(key, sizeof(key), "%.*s", (int)n, date ? date : "");
		rc = bucket_for(f, key, "", &i);
	} else if ((i = map_get(&f->cities, region ? region : "")) < 0) {
		rc = il__trade_city(f->s, region, key, sizeof(key), name, sizeof(name));
		if (!rc && !key[0])
			snprintf(key, sizeof(key), "other");
		if (!rc)
			rc = bucket_for(f, key, name, &i);
		if (!rc)
			rc = map_put(&f->cities, region ? region : "", i);
	}
	if (!rc)
		*out = &f->b[i];
	return rc;
}

static bool is_docked(const struct figures *f, const struct il_record *d)
{
	const char *st = il_record_get(d, "status");
	if (st &&
	    (strcmp(st, "docking") == 0 || strcmp(st, "agreed") == 0 || strcmp(st, "success") == 0))
		return true;
	return map_get(&f->docked, d->id) >= 0;
}

static int count_demand_in(struct bucket *b, const struct figures *f, const struct il_record *d)
{
	const char *st = il_record_get(d, "status");
	int64_t resp = map_get(&f->response, d->id), rating = map_get(&f->ratings, d->id);
	b->demands++;
	b->docked += is_docked(f, d);
	b->succeeded += st && strcmp(st, "success") == 0;
	if (rating > 0) {
		b->ratings += (size_t)(rating % 16);
		b->score_sum += (double)(rating / 16);
	}
	return resp >= 0 ? times_add(&b->response, resp) : IL_OK;
}

static int count_demand(const struct il_record *d, void *vctx)
{
	struct figures *f = vctx;
	struct bucket *b;
	const char *published = il_record_get(d, "published");
	int rc =
		bucket_of(f, published ? published : d->created_at, il_record_get(d, "region"), &b);
	if (!rc)
		rc = count_demand_in(b, f, d);
	if (!rc)
		rc = count_demand_in(&f->total, f, d);
	return rc ? rc : map_put(&f->in_scope, d->id, 1);
}

static void count_deal_in(struct bucket *b, const struct il_record *d)
{
	const char *type = il_record_get(d, "type"), *amount = il_record_get(d, "amount");
	b->deals++;
	for (size_t i = 0; type && i < NTYPES; i++)
		b->by_type[i] += strcmp(type, deal_types[i]) == 0;
	b->turnover += amount ? strtod(amount, NULL) : 0.0;
}

static int count_deal(const struct il_record *d, void *vctx)
{
	struct figures *f = vctx;
	const char *demand = il_record_get(d, "demand"), *state = il_record_get(d, "state");
	const char *signed_on = il_record_get(d, "signed");
	enum il_deal_state st;
	struct bucket *b;
	if (!state || il_trade_deal_state_parse(state, &st)) {
		il_error_clear();
		return IL_OK;
	}
	if (st < IL_DEAL_SIGNED || st > IL_DEAL_COMPLETED)
		return IL_OK;
	if (!f->scope->include_confidential && map_get(&f->secret, demand) >= 0)
		return IL_OK;
	if (f->scope->chain && map_get(&f->in_scope, demand) < 0)
		return IL_OK;
	int rc =
		bucket_of(f, signed_on ? signed_on : d->created_at, il_record_get(d, "region"), &b);
	if (rc)
		return rc;
	count_deal_in(b, d);
	count_deal_in(&f->total, d);
	return IL_OK;
}

static int agency_for(struct figures *f, const char *broker, struct agency **out)
{
	for (size_t i = 0; i < f->nag; i++)
		if (strcmp(f->ag[i].broker, broker) == 0) {
			*out = &f->ag[i];
			return IL_OK;
		}
	if (f->nag == f->capag) {
		size_t cap = f->capag ? f->capag * 2 : 8;
		struct agency *grown = il_realloc(f->ag, cap * sizeof(*grown));
		if (!grown)
			return IL_ENOMEM;
		f->ag = grown;
		f->capag = cap;
	}
	*out = &f->ag[f->nag];
	memset(*out, 0, sizeof(**out));
	if (!((*out)->broker = il_strdup(broker)))
		return IL_ENOMEM;
	f->nag++;
	return IL_OK;
}

static int count_agency(const char *const *cols, void *vctx)
{
	struct figures *f = vctx;
	struct agency *a;
	int64_t assigned, first;
	if (map_get(&f->in_scope, cols[1]) < 0)
		return IL_OK;
	int rc = agency_for(f, cols[0], &a);
	if (rc)
		return rc;
	a->demands++;
	if (!cols[2] || !cols[3] || il__trade_time(cols[2], &assigned) ||
	    il__trade_time(cols[3], &first)) {
		il_error_clear();
		return IL_OK;
	}
	return times_add(&a->response, first - assigned);
}

static int count_all(struct figures *f)
{
	static const char sql_agencies[] =
		"SELECT k.broker, k.demand, (SELECT min(at) FROM docking_step s WHERE s.demand = "
		"k.demand AND s.to_state = 'assigned'), k.first_response FROM docking k "
		"WHERE k.broker IS NOT NULL ORDER BY k.broker, k.demand";
	struct il_query q;
	int rc = load_facts(f);
	il_query_init(&q, IL_KIND_DEMAND);
	q.region = f->scope->region;
	q.chain = f->scope->chain;
	q.include_confidential = f->scope->include_confidential;
	if (!rc)
		rc = il_store_list(f->s, &q, count_demand, f, NULL);
	il_query_init(&q, IL_KIND_DEAL);
	q.region = f->scope->region;
	if (!rc)
		rc = il_store_list(f->s, &q, count_deal, f, NULL);
	if (!rc)
		rc = il_store_sql(f->s, sql_agencies, NULL, 0, 4, count_agency, f);
	return rc;
}

static void figures_release(struct figures *f)
{
	struct il_strmap *maps[] = {&f->response, &f->docked,  &f->ratings, &f->secret,
				    &f->in_scope, &f->buckets, &f->cities};
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		il_strmap_release(maps[i]);
	for (size_t i = 0; i < f->nb; i++)
		free(f->b[i].response.v);
	free(f->b);
	free(f->total.response.v);
	for (size_t i = 0; i < f->nag; i++) {
		free(f->ag[i].broker);
		free(f->ag[i].response.v);
	}
	free(f->ag);
}

static int figures_init(struct figures *f, struct il_store *s, const struct il_trade_scope *scope)
{
	struct il_strmap *maps[] = {&f->response, &f->docked,  &f->ratings, &f->secret,
				    &f->in_scope, &f->buckets, &f->cities};
	memset(f, 0, sizeof(*f));
	f->s = s;
	f->scope = scope;
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		il_strmap_init(maps[i]);
	snprintf(f->total.key, sizeof(f->total.key), "total");
	return count_all(f);
}

static int cmp_bucket(const void *a, const void *b)
{
	return strcmp(((const struct bucket *)a)->key, ((const struct bucket *)b)->key);
}

/* The derived figures of a bucket, NAN-free: has_* says whether each exists. */
struct derived {
	double rate, median, satisfaction;
	bool has_rate, has_median, has_satisfaction;
};

static void derive(struct bucket *b, struct derived *d)
{
	d->has_rate = b->demands > 0;
	d->rate = d->has_rate ? (double)b->docked / (double)b->demands : 0.0;
	d->has_median = median_days(&b->response, &d->median);
	d->has_satisfaction = b->ratings > 0;
	d->satisfaction = d->has_satisfaction ? b->score_sum / (double)b->ratings : 0.0;
}

static int add_number(struct il_buf *out, const char *name, bool has, double v)
{
	return has ? il_buf_addf(out, ",\"%s\":%.4g", name, v)
		   : il_buf_addf(out, ",\"%s\":null", name);
}

static int bucket_json(struct il_buf *out, struct bucket *b, bool by_city)
{
	struct derived d;
	derive(b, &d);
	int rc = il_buf_adds(out, by_city ? "{\"region\":" : "{\"period\":");
	if (!rc)
		rc = il_json_string(out, b->key, strlen(b->key));
	if (!rc && by_city && b->name[0]) {
		rc = il_buf_adds(out, ",\"name\":");
		if (!rc)
			rc = il_json_string(out, b->name, strlen(b->name));
	}
	if (!rc)
		rc = il_buf_addf(out, ",\"demands\":%zu,\"docked\":%zu", b->demands, b->docked);
	if (!rc)
		rc = add_number(out, "docking_rate", d.has_rate, d.rate);
	if (!rc)
		rc = il_buf_addf(out, ",\"succeeded\":%zu", b->succeeded);
	if (!rc)
		rc = add_number(out, "median_response_days", d.has_median, d.median);
	if (!rc)
		rc = il_buf_addf(out, ",\"deals\":%zu,\"deals_by_type\":{", b->deals);
	for (size_t i = 0; i < NTYPES && !rc; i++)
		rc = il_buf_addf(out, "%s\"%s\":%zu", i ? "," : "", deal_types[i], b->by_type[i]);
	if (!rc)
		rc = il_buf_addf(out, "},\"turnover\":%.10g", b->turnover);
	if (!rc)
		rc = add_number(out, "satisfaction", d.has_satisfaction, d.satisfaction);
	if (!rc)
		rc = il_buf_addf(out, ",\"ratings\":%zu}", b->ratings);
	return rc;
}

static int scope_json(struct il_buf *out, const struct il_trade_scope *sc)
{
	int rc = il_buf_adds(out, "{\"scope\":{\"region\":");
	if (!rc)
		rc = sc->region ? il_json_string(out, sc->region, strlen(sc->region))
				: il_buf_adds(out, "null");
	if (!rc)
		rc = il_buf_adds(out, ",\"chain\":");
	if (!rc)
		rc = sc->chain ? il_json_string(out, sc->chain, strlen(sc->chain))
			       : il_buf_adds(out, "null");
	if (!rc)
		rc = il_buf_addf(out, ",\"by\":\"%s\",\"include_confidential\":%s}",
				 sc->by == IL_BY_MONTH  ? "month"
				 : sc->by == IL_BY_CITY ? "city"
							: "year",
				 sc->include_confidential ? "true" : "false");
	return rc;
}

static int agencies_json(struct il_buf *out, struct figures *f)
{
	int rc = il_buf_adds(out, ",\"agencies\":[");
	for (size_t i = 0; i < f->nag && !rc; i++) {
		struct agency *a = &f->ag[i];
		double med;
		bool has = median_days(&a->response, &med);
		rc = il_buf_addf(out, "%s{\"broker\":", i ? "," : "");
		if (!rc)
			rc = il_json_string(out, a->broker, strlen(a->broker));
		if (!rc)
			rc = il_buf_addf(out, ",\"demands\":%zu,\"responded\":%zu", a->demands,
					 a->response.n);
		if (!rc)
			rc = add_number(out, "median_response_days", has, med);
		if (!rc)
			rc = il_buf_addc(out, '}');
	}
	return rc ? rc : il_buf_addc(out, ']');
}

int il_trade_figures_json(struct il_store *s, const struct il_trade_scope *scope,
			  struct il_buf *out)
{
	struct figures f;
	int rc = figures_init(&f, s, scope);
	if (!rc) {
		qsort(f.b, f.nb, sizeof(*f.b), cmp_bucket);
		rc = scope_json(out, scope);
	}
	if (!rc)
		rc = il_buf_adds(out, scope->by == IL_BY_CITY ? ",\"cities\":[" : ",\"periods\":[");
	for (size_t i = 0; i < f.nb && !rc; i++)
		if (!(rc = i ? il_buf_addc(out, ',') : IL_OK))
			rc = bucket_json(out, &f.b[i], scope->by == IL_BY_CITY);
	if (!rc)
		rc = il_buf_adds(out, "],\"total\":");
	if (!rc)
		rc = bucket_json(out, &f.total, false);
	if (!rc)
		rc = agencies_json(out, &f);
	if (!rc)
		rc = il_buf_addc(out, '}');
	figures_release(&f);
	return rc;
}

#define FIG_COLS (10 + NTYPES)

static const char *const fig_headers[FIG_COLS] = {
	"统计期 period",
	"需求发布数 demands",
	"已对接 docked",
	"对接率 docking rate",
	"成功 succeeded",
	"首次响应中位天数 median response days",
	"技术合同数 deals",
	"技术转让 transfer",
	"许可 licence",
	"合作开发 joint",
	"技术服务 service",
	"技术咨询 consulting",
	"合同成交额(万元) turnover",
	"满意度 satisfaction",
	"评价数 ratings",
};

static int bucket_row(struct il_writer *w, struct bucket *b)
{
	char first[192];
	char cells[FIG_COLS][32];
	const char *v[FIG_COLS];
	struct derived d;
	derive(b, &d);
	if (b->name[0])
		snprintf(first, sizeof(first), "%s (%s)", b->name, b->key);
	else
		snprintf(first, sizeof(first), "%s", b->key);
	snprintf(cells[1], 32, "%zu", b->demands);
	snprintf(cells[2], 32, "%zu", b->docked);
	snprintf(cells[3], 32, "%.4g", d.rate);
	snprintf(cells[4], 32, "%zu", b->succeeded);
	snprintf(cells[5], 32, "%.4g", d.median);
	snprintf(cells[6], 32, "%zu", b->deals);
	for (size_t i = 0; i < NTYPES; i++)
		snprintf(cells[7 + i], 32, "%zu", b->by_type[i]);
	snprintf(cells[7 + NTYPES], 32, "%.10g", b->turnover);
	snprintf(cells[8 + NTYPES], 32, "%.4g", d.satisfaction);
	snprintf(cells[9 + NTYPES], 32, "%zu", b->ratings);
	for (size_t i = 0; i < FIG_COLS; i++)
		v[i] = cells[i];
	v[0] = first;
	v[3] = d.has_rate ? v[3] : NULL;
	v[5] = d.has_median ? v[5] : NULL;
	v[8 + NTYPES] = d.has_satisfaction ? v[8 + NTYPES] : NULL;
	return il_writer_row(w, v);
}

int il_trade_figures_export(struct il_store *s, const struct il_trade_scope *scope,
			    const char *path, enum il_format fmt)
{
	enum il_cell_type types[FIG_COLS];
	struct il_writer *w = NULL;
	struct figures f;
	for (size_t i = 0; i < FIG_COLS; i++)
		types[i] = i ? IL_CELL_NUMBER : IL_CELL_TEXT;
	const char *headers[FIG_COLS];
	memcpy(headers, fig_headers, sizeof(headers));
	if (scope->by == IL_BY_CITY)
		headers[0] = "地区 region";
	int rc = figures_init(&f, s, scope);
	if (!rc)
		rc = il_writer_open(path, fmt, NULL, "闭环指标 figures", FIG_COLS, headers, types,
				    &w);
	if (!rc)
		qsort(f.b, f.nb, sizeof(*f.b), cmp_bucket);
	for (size_t i = 0; i < f.nb && !rc; i++)
		rc = bucket_row(w, &f.b[i]);
	if (!rc)
		rc = bucket_row(w, &f.total);
	if (w) {
		int crc = il_writer_close(w);
		rc = rc ? rc : crc;
	}
	figures_release(&f);
	return rc;
}

/* A broker's name: an organization's Chinese name, else the broker text. */
static void broker_name(struct il_store *s, const char *broker, char *out, size_t size)
{
	struct il_record r;
	snprintf(out, size, "%s", broker);
	if (il_store_get(s, IL_KIND_ORGANIZATION, broker, &r) != IL_OK) {
		il_error_clear();
		return;
	}
	snprintf(out, size, "%s", il_record_get(&r, "name_zh"));
	il_record_release(&r);
}

static int agency_row(struct il_store *s, struct il_writer *w, struct agency *a)
{
	char name[192], demands[24], responded[24], median[32];
	double med;
	bool has = median_days(&a->response, &med);
	broker_name(s, a->broker, name, sizeof(name));
	snprintf(demands, sizeof(demands), "%zu", a->demands);
	snprintf(responded, sizeof(responded), "%zu", a->response.n);
	snprintf(median, sizeof(median), "%.4g", med);
	const char *v[] = {a->broker, name, demands, responded, has ? median : NULL};
	return il_writer_row(w, v);
}

int il_trade_agencies_export(struct il_store *s, const struct il_trade_scope *scope,
			     const char *path, enum il_format fmt)
{
	static const char *const headers[] = {"对接方 broker", "名称 name", "分派需求 demands",
					      "已响应 responded",
					      "首次响应中位天数 median response days"};
	static const enum il_cell_type types[] = {IL_CELL_TEXT, IL_CELL_TEXT, IL_CELL_NUMBER,
						  IL_CELL_NUMBER, IL_CELL_NUMBER};
	struct il_writer *w = NULL;
	struct figures f;
	int rc = figures_init(&f, s, scope);
	if (!rc)
		rc = il_writer_open(path, fmt, NULL, "响应时效 response", 5, headers, types, &w);
	for (size_t i = 0; i < f.nag && !rc; i++)
		rc = agency_row(s, w, &f.ag[i]);
	if (w) {
		int crc = il_writer_close(w);
		rc = rc ? rc : crc;
	}
	figures_release(&f);
	return rc;
}
