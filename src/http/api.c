/*
 * api.c - the reading side of the JSON API under /api/v1 and /healthz:
 * records by kind and id, lists, history, search over the server's index,
 * exports and the OpenAPI document.
 *
 * A confidential demand is shown only to those il_auth_may_see() lets see
 * it (its owner, operators, city operators of its region, the parties it
 * was matched with); everyone else never learns that it exists:
 *  - lists ask the store to leave confidential demands out (the store
 *    filters them before counting, so totals agree), and a demand that
 *    still came back confidential is dropped as a second line of defence;
 *  - by id and in history, a confidential demand answers the very 404 of
 *    a missing record, same detail and all;
 *  - history shows only the versions that were public, and none at all
 *    when the current version is confidential;
 *  - records of other kinds that name a confidential demand have the
 *    reference blanked (a deal's "demand") or, where the reference is the
 *    record's whole point (a match or an assignment of the demand), are
 *    not shown; a filter that names a confidential demand finds nothing.
 *    For the last case the store cannot yet leave such records out of a
 *    list's total (see docs/internals/http.md).
 *  - search asks the index without hidden documents (confidential
 *    demands are indexed hidden), and a hit whose stored record is
 *    confidential after all (made so since the index caught up) is
 *    dropped and not counted.
 * Page records are copied out of the store's walk before any of these
 * checks run, so the checks' own store reads never interleave with it.
 * Lists and search include confidential demands in what the store and the
 * index count only when every one they could return is visible to the
 * caller: for an operator, a demand list filtered on the caller's own
 * organization as owner, or a city operator's list of its own region.
 */
#include "http_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef IL_VERSION
#define IL_VERSION "unknown"
#endif

#define DEFAULT_LIMIT 20
#define MAX_LIMIT 200
#define MAX_OFFSET 1000000000u
#define PAGE_BYTES ((size_t)32 << 20)
#define RECORD_BYTES ((size_t)4 << 20)
#define MAX_VERSIONS 10000
#define SEARCH_DEFAULT_LIMIT 10
#define SEARCH_MAX_LIMIT 100
/* Hits with their matched terms: a query keeps at most
 * IL_INDEX_MAX_QUERY_TERMS terms, so 100 hits stay well inside this. */
#define SEARCH_ARENA_BYTES ((size_t)32 << 20)

/* Fields in which a record of another kind names a record of any kind by
 * the pair (kind, id): the record exists to say something about it. */
static const struct {
	enum il_kind kind;
	const char *kind_field, *id_field;
} pair_refs[] = {
	{IL_KIND_MATCH, "from_kind", "from_id"},
	{IL_KIND_MATCH, "to_kind", "to_id"},
	{IL_KIND_ASSIGNMENT, "entity_kind", "entity"},
};

struct page {
	struct il_record *recs;
	size_t n, cap;
};

static void page_release(struct page *p)
{
	for (size_t i = 0; i < p->n; i++)
		il_record_release(&p->recs[i]);
	free(p->recs);
	p->recs = NULL;
	p->n = p->cap = 0;
}

static int page_add(const struct il_record *r, void *ctx)
{
	struct page *p = ctx;
	if (p->n == MAX_VERSIONS)
		return il_error_set(IL_ETOOBIG, "more than %d records to show", MAX_VERSIONS);
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct il_record *v;
		if (!(v = il_realloc(p->recs, cap * sizeof(*v))))
			return il_error_set(IL_ENOMEM, "out of memory copying records");
		p->recs = v;
		p->cap = cap;
	}
	if (il_record_copy(&p->recs[p->n], r) != IL_OK)
		return il_error_set(IL_ENOMEM, "out of memory copying a record");
	p->n++;
	return IL_OK;
}

static bool is_confidential(const struct il_record *r)
{
	const char *v;
	if (r->kind != IL_KIND_DEMAND)
		return false;
	v = il_record_get(r, "visibility");
	return v && strcmp(v, "confidential") == 0;
}

/* Whether `id` names a demand the caller may not know of. */
static int demand_hidden(struct il__http_request *req, struct il_store *s, const char *id,
			 bool *hidden)
{
	struct il_record r;
	bool see = true;
	int rc;
	*hidden = false;
	memset(&r, 0, sizeof(r));
	rc = il_store_get(s, IL_KIND_DEMAND, id, &r);
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		return IL_OK;
	}
	if (rc)
		return rc;
	rc = il_auth_may_see(s, il__http_account(req), &r, &see);
	*hidden = !see;
	il_record_release(&r);
	return rc;
}

static int field_index(const struct il_kind_info *k, const char *name)
{
	for (size_t i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

/*
 * Applies the caller's view to a record: *show is false when it must not
 * be shown at all; references to hidden demands are blanked in place.
 */
int il__http_view(struct il__http_request *req, struct il_store *s, struct il_record *r, bool *show)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	int rc;
	if ((rc = il_auth_may_see(s, il__http_account(req), r, show)) != IL_OK)
		return rc;
	for (size_t i = 0; i < sizeof(pair_refs) / sizeof(pair_refs[0]) && *show; i++) {
		const char *kind = il_record_get(r, pair_refs[i].kind_field);
		const char *id = il_record_get(r, pair_refs[i].id_field);
		enum il_kind ek;
		bool hidden;
		if (pair_refs[i].kind != r->kind || !kind || !id)
			continue;
		if (il_kind_parse(kind, &ek) != IL_OK) {
			il_error_clear();
			continue;
		}
		if (ek != IL_KIND_DEMAND)
			continue;
		if ((rc = demand_hidden(req, s, id, &hidden)) != IL_OK)
			return rc;
		if (hidden)
			*show = false;
	}
	for (size_t i = 0; i < k->nfields && *show; i++) {
		bool hidden;
		if (k->fields[i].type != IL_FT_REF || k->fields[i].ref != IL_KIND_DEMAND ||
		    !r->values[i])
			continue;
		if ((rc = demand_hidden(req, s, r->values[i], &hidden)) != IL_OK)
			return rc;
		if (hidden && (rc = il_record_set(r, i, "", 0)) != IL_OK)
			return rc;
	}
	return IL_OK;
}

/* Whether a filter on field `fi` with value `v` asks about a hidden demand. */
static int filter_names_hidden(struct il__http_request *req, struct il_store *s,
			       const struct il_kind_info *k, int fi, const char *v, bool *hidden)
{
	const struct il_field *f = &k->fields[fi];
	*hidden = false;
	if (f->type == IL_FT_REF && f->ref == IL_KIND_DEMAND)
		return demand_hidden(req, s, v, hidden);
	for (size_t i = 0; i < sizeof(pair_refs) / sizeof(pair_refs[0]); i++)
		if (pair_refs[i].kind == k->kind && strcmp(pair_refs[i].id_field, f->name) == 0)
			return demand_hidden(req, s, v, hidden);
	return IL_OK;
}

int il__http_missing(struct il__http_request *req, const struct il_kind_info *k, const char *id)
{
	/* The one wording for "missing" and "confidential": they must not differ. */
	return il_error_set(IL_ENOTFOUND, "no %s with id '%s'", k->name,
			    il__http_clean(req, id, 128));
}

int il__http_not_found(struct il__http_request *req, const struct il_kind_info *k, const char *id)
{
	return il__http_problem_code(req, il__http_missing(req, k, id));
}

static int too_big(struct il__http_request *req, size_t cap)
{
	return il__http_problem(req, IL_ETOOBIG, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL,
				"the answer would pass the %zu MiB limit; ask for fewer items",
				cap >> 20);
}

int il__http_parse_kind(struct il__http_request *req, const struct il_kind_info **out)
{
	enum il_kind kind;
	*out = NULL;
	if (il_kind_parse(req->args[0], &kind) != IL_OK) {
		il_error_set(IL_ENOTFOUND, "no kind '%s' in the API",
			     il__http_clean(req, req->args[0], 64));
		return IL_ENOTFOUND;
	}
	*out = il_kind_info(kind);
	return IL_OK;
}

static int parse_lang(struct il__http_request *req, const char *v)
{
	if (strcmp(v, "en") != 0 && strcmp(v, "zh") != 0)
		return il_error_set(IL_EINVAL, "lang must be 'en' or 'zh', not '%s'",
				    il__http_clean(req, v, 32));
	req->lang = strcmp(v, "zh") == 0 ? "zh" : "en";
	return IL_OK;
}

/* A whole number in [min, max]: digits only, so "-1", "+1", "1e3" and "" fail. */
static bool parse_count(const char *s, size_t min, size_t max, size_t *out)
{
	size_t n = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (size_t)(*s - '0');
		if (n > max)
			return false;
	}
	if (n < min)
		return false;
	*out = n;
	return true;
}

/* For routes whose only parameter is lang: anything else is a typo to report. */
static int only_lang(struct il__http_request *req)
{
	for (size_t i = 0; i < req->nparams; i++) {
		const struct il__http_param *p = &req->params[i];
		int rc;
		if (strcmp(p->name, "lang") != 0)
			return il_error_set(IL_EINVAL,
					    "unknown parameter '%s'; only lang is accepted here",
					    il__http_clean(req, p->name, 64));
		if (i > 0)
			return il_error_set(IL_EINVAL, "parameter 'lang' is given twice");
		if ((rc = parse_lang(req, p->value)) != IL_OK)
			return rc;
	}
	return IL_OK;
}

int il__http_api_health(struct il__http_request *req)
{
	struct il_store *s;
	struct il_buf b;
	int rc, version = 0;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "/healthz takes no parameters");
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	if ((rc = il_store_schema_version(s, &version)) != IL_OK)
		return rc;
	il_buf_init(&b, 4096);
	rc = il_buf_addf(&b, "{\"status\":\"ok\",\"schema\":%d,\"version\":", version);
	if (!rc)
		rc = il_json_string(&b, IL_VERSION, strlen(IL_VERSION));
	if (!rc)
		rc = il_buf_addc(&b, '}');
	if (!rc)
		rc = il__http_send_json(req, MHD_HTTP_OK, &b);
	il_buf_release(&b);
	return rc;
}

int il__http_api_index(struct il__http_request *req)
{
	struct il_buf b;
	int rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "/api/v1 takes no parameters");
	il_buf_init(&b, 65536);
	rc = il_buf_adds(&b, "{\"version\":");
	if (!rc)
		rc = il_json_string(&b, IL_VERSION, strlen(IL_VERSION));
	if (!rc)
		rc = il_buf_adds(&b, ",\"kinds\":[");
	for (int i = 0; i < IL_KIND__COUNT && !rc; i++) {
		const struct il_kind_info *k = il_kind_info((enum il_kind)i);
		rc = il_buf_addf(&b, "%s{\"name\":\"%s\",\"plural\":\"%s\",\"zh\":", i ? "," : "",
				 k->name, k->plural);
		if (!rc)
			rc = il_json_string(&b, k->zh, strlen(k->zh));
		if (!rc)
			rc = il_buf_addf(&b, ",\"href\":\"/api/v1/%s\"}", k->plural);
	}
	if (!rc)
		rc = il_buf_adds(&b, "]}");
	if (!rc)
		rc = il__http_send_json(req, MHD_HTTP_OK, &b);
	il_buf_release(&b);
	return rc;
}

struct list_params {
	bool export; /* an export: takes format too */
	struct il_query q;
	struct il_record scratch; /* canonical forms of the filter values */
	bool hidden_filter; /* a filter names a confidential demand */
};

static int unknown_param(struct il__http_request *req, const struct il_kind_info *k,
			 const char *name, const char *why)
{
	char filters[512] = "";
	size_t n = 0;
	for (size_t i = 0; i < k->nfields; i++) {
		if (!(k->fields[i].flags & IL_FF_FILTER) ||
		    strcmp(k->fields[i].name, "region") == 0)
			continue;
		int w = snprintf(filters + n, sizeof(filters) - n, "%s%s", n ? ", " : "",
				 k->fields[i].name);
		if (w < 0 || (size_t)w >= sizeof(filters) - n)
			break;
		n += (size_t)w;
	}
	return il_error_set(IL_EINVAL,
			    "%s parameter '%s'; %s accepts offset, limit, region, q, lang%s%s", why,
			    il__http_clean(req, name, 64), k->plural, n ? " and the filters " : "",
			    filters);
}

/* A match list filtered on one demand by from_id (and from_kind=demand):
 * when the caller may see the demand, every match of it is the caller's to
 * see, so the store may count them. */
static int include_matches_of(struct il__http_request *req, struct il_store *s,
			      struct list_params *lp)
{
	const char *from = NULL, *from_kind = NULL;
	struct il_record d;
	bool see = false;
	int rc;
	for (size_t i = 0; i < lp->q.nfilters; i++) {
		if (strcmp(lp->q.field[i], "from_id") == 0)
			from = lp->q.value[i];
		else if (strcmp(lp->q.field[i], "from_kind") == 0)
			from_kind = lp->q.value[i];
	}
	if (!from || !from_kind || strcmp(from_kind, "demand") != 0)
		return IL_OK;
	rc = il_store_get(s, IL_KIND_DEMAND, from, &d);
	if (rc == IL_ENOTFOUND) { /* no such demand: nothing to widen */
		il_error_clear();
		return IL_OK;
	}
	if (rc)
		return rc;
	rc = il_auth_may_see(s, il__http_account(req), &d, &see);
	il_record_release(&d);
	lp->q.include_confidential = see;
	return rc;
}

/* Whether every confidential demand the query could find is one the caller
 * may see, so that the store may count them (see the top of the file). */
static int include_confidential(struct il__http_request *req, struct il_store *s,
				struct list_params *lp)
{
	const struct il_account *a = il__http_account(req);
	bool in = false;
	lp->q.include_confidential = il_auth_sees_all(a);
	if (lp->q.include_confidential || !a ||
	    (lp->q.kind != IL_KIND_DEMAND && lp->q.kind != IL_KIND_MATCH))
		return IL_OK;
	for (size_t i = 0; i < lp->q.nfilters; i++)
		if (a->org && strcmp(lp->q.field[i], "owner") == 0 &&
		    strcmp(lp->q.value[i], a->org) == 0)
			lp->q.include_confidential = true;
	if (lp->q.kind == IL_KIND_MATCH) /* the matches of a demand the caller sees */
		return include_matches_of(req, s, lp);
	if (il_account_role(a) == IL_ROLE_CITY_OPERATOR && lp->q.region) {
		int rc = il_auth_region_within(s, lp->q.region, a->region, &in);
		if (rc)
			return rc;
		lp->q.include_confidential |= in;
	}
	return IL_OK;
}

static int parse_list_params(struct il__http_request *req, const struct il_kind_info *k,
			     struct il_store *s, struct list_params *lp)
{
	enum { P_OFFSET, P_LIMIT, P_REGION, P_Q, P_LANG, P_FORMAT, P__COUNT };
	static const char *const reserved[P__COUNT] = {"offset", "limit", "region",
						       "q",      "lang",  "format"};
	bool seen[P__COUNT] = {false}, seen_field[64] = {false};
	int rc;
	lp->q.limit = DEFAULT_LIMIT;
	for (size_t i = 0; i < req->nparams; i++) {
		const struct il__http_param *p = &req->params[i];
		int which = -1, fi;
		bool hidden;
		for (int r = 0; r < P__COUNT; r++)
			if (strcmp(p->name, reserved[r]) == 0)
				which = r;
		if (which >= 0) {
			if (seen[which])
				return il_error_set(IL_EINVAL, "parameter '%s' is given twice",
						    reserved[which]);
			seen[which] = true;
		}
		switch (which) {
		case P_OFFSET:
			if (!parse_count(p->value, 0, MAX_OFFSET, &lp->q.offset))
				return il_error_set(
					IL_EINVAL,
					"offset must be a whole number from 0 to %u, not '%s'",
					MAX_OFFSET, il__http_clean(req, p->value, 32));
			continue;
		case P_LIMIT:
			if (!parse_count(p->value, 1, MAX_LIMIT, &lp->q.limit))
				return il_error_set(
					IL_EINVAL,
					"limit must be a whole number from 1 to %d, not '%s'",
					MAX_LIMIT, il__http_clean(req, p->value, 32));
			continue;
		case P_REGION:
			if (!p->value[0])
				return il_error_set(IL_EINVAL, "region needs a region id");
			lp->q.region = p->value;
			continue;
		case P_Q:
			if (p->value[0])
				lp->q.prefix = p->value;
			continue;
		case P_LANG:
			if ((rc = parse_lang(req, p->value)) != IL_OK)
				return rc;
			continue;
		case P_FORMAT:
			if (!lp->export)
				return unknown_param(req, k, p->name, "unknown");
			continue;
		default:
			break;
		}
		fi = field_index(k, p->name);
		if (fi < 0)
			return unknown_param(req, k, p->name, "unknown");
		if (!(k->fields[fi].flags & IL_FF_FILTER))
			return unknown_param(req, k, p->name, "cannot filter on");
		if (fi >= 64 || seen_field[fi])
			return il_error_set(IL_EINVAL, "parameter '%s' is given twice", p->name);
		seen_field[fi] = true;
		if (lp->q.nfilters == IL_QUERY_MAX_FILTERS)
			return il_error_set(IL_EINVAL, "more than %d filters",
					    IL_QUERY_MAX_FILTERS);
		/* Filters compare canonical values, so "是", "true" and "1" all find
		 * high-tech enterprises; a value the field cannot hold is a 400. */
		if ((rc = il_record_set(&lp->scratch, (size_t)fi, p->value, strlen(p->value))) !=
		    IL_OK)
			return rc; /* IL_EINVAL naming the field and value, IL_ENOMEM */
		if (!lp->scratch.values[fi])
			return il_error_set(IL_EINVAL, "filter '%s' needs a value", p->name);
		lp->q.field[lp->q.nfilters] = k->fields[fi].name;
		lp->q.value[lp->q.nfilters] = lp->scratch.values[fi];
		lp->q.nfilters++;
		if ((rc = filter_names_hidden(req, s, k, fi, lp->scratch.values[fi], &hidden)) !=
		    IL_OK)
			return rc;
		if (hidden)
			lp->hidden_filter = true;
	}
	return include_confidential(req, s, lp);
}

/* The path and query of the page after this one: the request's own
 * parameters, re-encoded, with offset moved on. */
static int next_url(struct il__http_request *req, size_t next_offset, struct il_buf *out)
{
	struct il_buf u;
	bool first = true, had_offset = false;
	int rc;
	il_buf_init(&u, 2 * IL__HTTP_MAX_URI + 64);
	rc = il_buf_adds(&u, req->raw_path);
	for (size_t i = 0; i < req->nparams && !rc; i++) {
		const struct il__http_param *p = &req->params[i];
		rc = il_buf_addc(&u, first ? '?' : '&');
		first = false;
		if (!rc && strcmp(p->name, "offset") == 0) {
			rc = il_buf_addf(&u, "offset=%zu", next_offset);
			had_offset = true;
			continue;
		}
		if (!rc)
			rc = il__http_url_encode(&u, p->name);
		if (!rc)
			rc = il_buf_addc(&u, '=');
		if (!rc)
			rc = il__http_url_encode(&u, p->value);
	}
	if (!rc && !had_offset)
		rc = il_buf_addf(&u, "%coffset=%zu", first ? '?' : '&', next_offset);
	if (!rc)
		rc = il_json_string(out, u.ptr, u.len);
	il_buf_release(&u);
	return rc;
}

/* Sends a page built in `b`, or the problem that stopped building it. */
static int send_page(struct il__http_request *req, int rc, struct il_buf *b)
{
	if (rc == IL_ETOOBIG)
		return too_big(req, PAGE_BYTES);
	return rc ? rc : il__http_send_json(req, MHD_HTTP_OK, b);
}

int il__http_api_list(struct il__http_request *req)
{
	const struct il_kind_info *k;
	struct list_params lp;
	struct page page = {NULL, 0, 0};
	struct il_store *s;
	struct il_buf b;
	size_t total = 0, shown = 0;
	int rc;
	if ((rc = il__http_parse_kind(req, &k)) != IL_OK)
		return rc;
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	memset(&lp, 0, sizeof(lp));
	il_query_init(&lp.q, k->kind);
	il_buf_init(&b, PAGE_BYTES);
	if ((rc = il_record_init(&lp.scratch, k->kind)) != IL_OK) {
		il_buf_release(&b);
		return rc;
	}
	if ((rc = parse_list_params(req, k, s, &lp)) != IL_OK)
		goto cleanup;
	if (!lp.hidden_filter && (rc = il_store_list(s, &lp.q, page_add, &page, &total)) != IL_OK)
		goto cleanup;
	rc = il_buf_adds(&b, "{\"items\":[");
	for (size_t i = 0; i < page.n && !rc; i++) {
		bool show;
		if ((rc = il__http_view(req, s, &page.recs[i], &show)) != IL_OK || !show)
			continue;
		if (shown++ && (rc = il_buf_addc(&b, ',')) != IL_OK)
			break;
		rc = il_record_to_json(&page.recs[i], IL_JSON_LABELS, req->lang, &b);
	}
	if (!rc)
		rc = il_buf_addf(&b,
				 "],\"total\":%zu,\"offset\":%zu,\"limit\":%zu,\"next\":", total,
				 lp.q.offset, lp.q.limit);
	if (!rc)
		rc = lp.q.offset + lp.q.limit < total ? next_url(req, lp.q.offset + lp.q.limit, &b)
						      : il_buf_adds(&b, "null");
	if (!rc)
		rc = il_buf_addc(&b, '}');
	rc = send_page(req, rc, &b);
cleanup:
	page_release(&page);
	il_record_release(&lp.scratch);
	il_buf_release(&b);
	return rc;
}

static bool valid_id(const char *id)
{
	return strlen(id) <= 128; /* the store's limit: longer ones exist nowhere */
}

/* The prologue of a request for one record: its kind, no parameter but
 * lang, a plausible id, and this worker's store. */
static int record_request(struct il__http_request *req, const char *id,
			  const struct il_kind_info **k, struct il_store **s)
{
	int rc;
	if ((rc = il__http_parse_kind(req, k)) != IL_OK || (rc = only_lang(req)) != IL_OK)
		return rc;
	if (!valid_id(id))
		return il__http_not_found(req, *k, id);
	return il__http_store(req, s);
}

int il__http_api_get(struct il__http_request *req)
{
	const struct il_kind_info *k;
	struct il_store *s;
	struct il_record r;
	const char *id = req->args[1];
	bool show = false;
	int rc;
	if ((rc = record_request(req, id, &k, &s)) != IL_OK)
		return rc;
	memset(&r, 0, sizeof(r));
	rc = il_store_get(s, k->kind, id, &r);
	if (rc == IL_ENOTFOUND)
		return il__http_not_found(req, k, id);
	if (rc)
		return rc;
	if ((rc = il__http_view(req, s, &r, &show)) == IL_OK && !show)
		rc = il__http_not_found(req, k, id);
	else if (!rc)
		rc = il__http_send_record(req, MHD_HTTP_OK, &r, NULL);
	il_record_release(&r);
	return rc;
}

int il__http_api_history(struct il__http_request *req)
{
	const struct il_kind_info *k;
	struct il_store *s;
	struct page page = {NULL, 0, 0};
	struct il_buf b;
	const char *id = req->args[1];
	size_t shown = 0;
	bool show = false;
	int rc;
	if ((rc = record_request(req, id, &k, &s)) != IL_OK)
		return rc;
	rc = il_store_history(s, k->kind, id, page_add, &page);
	if (rc == IL_ENOTFOUND || (rc == IL_OK && page.n == 0)) {
		page_release(&page);
		return il__http_not_found(req, k, id);
	}
	if (rc) {
		page_release(&page);
		return rc == IL_ETOOBIG ? too_big(req, PAGE_BYTES) : rc;
	}
	il_buf_init(&b, PAGE_BYTES);
	/* The current version decides whether the record is known at all. */
	rc = il__http_view(req, s, &page.recs[page.n - 1], &show);
	if (!rc && !show) {
		rc = il__http_not_found(req, k, id);
		goto cleanup;
	}
	if (!rc)
		rc = il_buf_adds(&b, "{\"items\":[");
	for (size_t i = 0; i < page.n && !rc; i++) {
		if (i + 1 < page.n &&
		    ((rc = il__http_view(req, s, &page.recs[i], &show)) != IL_OK || !show))
			continue;
		if (shown++ && (rc = il_buf_addc(&b, ',')) != IL_OK)
			break;
		rc = il_record_to_json(&page.recs[i], IL_JSON_META | IL_JSON_LABELS, req->lang, &b);
	}
	if (!rc)
		rc = il_buf_adds(&b, "]}");
	rc = send_page(req, rc, &b);
cleanup:
	page_release(&page);
	il_buf_release(&b);
	return rc;
}

struct search_params {
	struct il_index_query q;
	const char *text; /* q as given, for the answer */
};

/* Names of the searchable kinds, for a detail: "organization, person, ...". */
static void searchable_kinds(char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (int k = 0; k < IL_KIND__COUNT; k++) {
		int w;
		if (!il_index_kind_searchable((enum il_kind)k))
			continue;
		w = snprintf(out + n, size - n, "%s%s", n ? ", " : "",
			     il_kind_info((enum il_kind)k)->name);
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
}

/* kind=K[,K]: names, plurals or Chinese names of searchable kinds. */
static int parse_search_kinds(struct il__http_request *req, const char *v, unsigned *kinds)
{
	char known[256];
	const char *p = v;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[128];
		enum il_kind k;
		if (len == 0)
			return il_error_set(IL_EINVAL,
					    "kind needs a kind name between commas, not '%s'",
					    il__http_clean(req, v, 64));
		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
		}
		if (len >= sizeof(name) || il_kind_parse(name, &k) != IL_OK) {
			searchable_kinds(known, sizeof(known));
			return il_error_set(IL_EINVAL, "kind '%s' is unknown; search takes %s",
					    il__http_clean(req, len < sizeof(name) ? name : v, 64),
					    known);
		}
		if (!il_index_kind_searchable(k)) {
			searchable_kinds(known, sizeof(known));
			return il_error_set(IL_EINVAL,
					    "kind '%s' is not searchable; search takes %s",
					    il_kind_info(k)->name, known);
		}
		*kinds |= 1u << k;
		if (!end)
			return IL_OK;
		p = end + 1;
	}
}

static int parse_search_params(struct il__http_request *req, struct search_params *sp)
{
	enum { P_Q, P_KIND, P_REGION, P_LINK, P_OP, P_LIMIT, P_LANG, P__COUNT };
	static const char *const names[P__COUNT] = {"q",  "kind",  "region", "link",
						    "op", "limit", "lang"};
	bool seen[P__COUNT] = {false};
	int rc;
	il_index_query_init(&sp->q, NULL, 0);
	sp->q.k = SEARCH_DEFAULT_LIMIT;
	/* only an operator sees every confidential demand the index holds */
	sp->q.include_hidden = il_auth_sees_all(il__http_account(req));
	sp->text = NULL;
	for (size_t i = 0; i < req->nparams; i++) {
		const struct il__http_param *p = &req->params[i];
		int which = -1;
		for (int n = 0; n < P__COUNT; n++)
			if (strcmp(p->name, names[n]) == 0)
				which = n;
		if (which < 0)
			return il_error_set(
				IL_EINVAL,
				"unknown parameter '%s'; search accepts q, kind, region, "
				"link, op, limit and lang",
				il__http_clean(req, p->name, 64));
		if (seen[which])
			return il_error_set(IL_EINVAL, "parameter '%s' is given twice",
					    names[which]);
		seen[which] = true;
		switch (which) {
		case P_Q:
			sp->text = p->value;
			break;
		case P_KIND:
			if ((rc = parse_search_kinds(req, p->value, &sp->q.kinds)) != IL_OK)
				return rc;
			break;
		case P_REGION:
		case P_LINK:
			if (!p->value[0])
				return il_error_set(IL_EINVAL, "%s needs a%s id", names[which],
						    which == P_REGION ? " region" : " chain link");
			if (which == P_REGION)
				sp->q.region = p->value;
			else
				sp->q.link = p->value;
			break;
		case P_OP:
			if (strcmp(p->value, "and") == 0)
				sp->q.op = IL_QUERY_AND;
			else if (strcmp(p->value, "or") == 0)
				sp->q.op = IL_QUERY_OR;
			else
				return il_error_set(IL_EINVAL, "op must be 'and' or 'or', not '%s'",
						    il__http_clean(req, p->value, 32));
			break;
		case P_LIMIT:
			if (!parse_count(p->value, 1, SEARCH_MAX_LIMIT, &sp->q.k))
				return il_error_set(
					IL_EINVAL,
					"limit must be a whole number from 1 to %d, not '%s'",
					SEARCH_MAX_LIMIT, il__http_clean(req, p->value, 32));
			break;
		default: /* P_LANG */
			if ((rc = parse_lang(req, p->value)) != IL_OK)
				return rc;
			break;
		}
	}
	if (!sp->text)
		return il_error_set(IL_EINVAL, "parameter 'q' is required: the text to search for");
	if (!sp->text[0])
		return il_error_set(IL_EINVAL,
				    "parameter 'q' is empty: give the text to search for");
	sp->q.text = sp->text;
	sp->q.len = strlen(sp->text);
	return IL_OK;
}

/* A hit's title in the language asked for: kinds with Chinese and English
 * names give the one in `lang`, or the other when it is missing. */
static const char *record_title(const struct il_record *r, const char *lang)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	int zh = field_index(k, "name_zh"), en = field_index(k, "name_en");
	const char *t = NULL;
	if (zh >= 0 && en >= 0) {
		bool want_en = strcmp(lang, "en") == 0;
		t = r->values[want_en ? en : zh];
		if (!t)
			t = r->values[want_en ? zh : en];
	}
	if (!t && k->title_field >= 0 && (size_t)k->title_field < k->nfields)
		t = r->values[k->title_field];
	return t ? t : "";
}

static const char *ifield_name(enum il_ifield f)
{
	static const char *const names[IL_IF__COUNT] = {"title", "keywords", "body", "names"};
	return (unsigned)f < IL_IF__COUNT ? names[f] : "body";
}

/* Appends one hit as an item with its title, or nothing when its record is
 * gone or not for the caller; *shown tells which.  The title comes from the
 * server's cache when it holds the record at `seq` and the record is not a
 * confidential demand; otherwise from the store, which then fills the cache. */
static int add_hit(struct il__http_request *req, struct il_store *s, int64_t seq,
		   const struct il_index_hit *h, struct il_arena *arena, struct il_buf *b,
		   size_t *shown)
{
	struct il_record r;
	const char *title = NULL;
	bool confidential = false, cached;
	int rc = IL_OK;
	cached = il__http_titles_get(req->srv->titles, seq, h->kind, h->id, req->lang, arena,
				     &title, &confidential);
	if (!cached || confidential) {
		rc = il_store_get(s, h->kind, h->id, &r);
		if (rc == IL_ENOTFOUND) { /* deleted since the index caught up */
			il_error_clear();
			return IL_OK;
		}
		if (rc)
			return rc;
		il__http_titles_put(req->srv->titles, seq, h->kind, h->id, record_title(&r, "zh"),
				    record_title(&r, "en"), is_confidential(&r));
		if (is_confidential(&r)) {
			bool see = false;
			rc = il_auth_may_see(s, il__http_account(req), &r, &see);
			if (rc || !see) {
				il_record_release(&r);
				return rc;
			}
		}
		title = il_arena_strdup(arena, record_title(&r, req->lang));
		il_record_release(&r);
		if (!title)
			return il_error_set(IL_ENOMEM, "out of memory copying a title");
	}
	rc = il_buf_addf(b, "%s{\"kind\":\"%s\",\"id\":", *shown ? "," : "",
			 il_kind_info(h->kind)->name);
	if (!rc)
		rc = il_json_string(b, h->id, strlen(h->id));
	if (!rc)
		rc = il_buf_adds(b, ",\"title\":");
	if (!rc)
		rc = il_json_string(b, title, strlen(title));
	if (!rc)
		rc = il_buf_addf(b, ",\"score\":%.6f,\"terms\":[", (double)h->score);
	for (size_t t = 0; t < h->nterms && !rc; t++) {
		const struct il_index_term *term = &h->terms[t];
		rc = il_buf_adds(b, t ? ",{\"term\":" : "{\"term\":");
		if (!rc)
			rc = il_json_string(b, term->term, strlen(term->term));
		if (!rc)
			rc = il_buf_addf(b, ",\"field\":\"%s\",\"translated\":%s}",
					 ifield_name(term->field),
					 term->translated ? "true" : "false");
	}
	if (!rc)
		rc = il_buf_adds(b, "]}");
	if (!rc)
		(*shown)++;
	return rc;
}

int il__http_api_search(struct il__http_request *req)
{
	struct search_params sp;
	const struct il_index *ix;
	struct il_index_hit *hits = NULL;
	struct il_store *s;
	struct il_arena arena;
	struct il_buf b;
	size_t nhits = 0, total = 0, shown = 0;
	int64_t seq;
	int rc;
	if ((rc = parse_search_params(req, &sp)) != IL_OK)
		return rc;
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	il_arena_init(&arena, 0, SEARCH_ARENA_BYTES);
	if ((rc = il__http_index_acquire(req, s, &ix)) != IL_OK) {
		il_arena_release(&arena);
		return rc;
	}
	seq = atomic_load(&req->srv->index_seq); /* what the index reflects, under its lock */
	rc = il_index_search(ix, &sp.q, &arena, &hits, &nhits, &total);
	/* hit ids are the index's until its next write: copy them before the
	 * lock goes, so the store reads below hold no one up */
	for (size_t i = 0; i < nhits && !rc; i++)
		if (!(hits[i].id = il_arena_strdup(&arena, hits[i].id)))
			rc = il_error_set(IL_ENOMEM, "out of memory copying search hits");
	il__http_index_release(req);
	il_buf_init(&b, PAGE_BYTES);
	if (!rc)
		rc = il_buf_adds(&b, "{\"items\":[");
	for (size_t i = 0; i < nhits && !rc; i++)
		rc = add_hit(req, s, seq, &hits[i], &arena, &b, &shown);
	/* a hit dropped above was counted by the index; the total should not
	 * tell the public more than the items do */
	if (!rc)
		rc = il_buf_addf(&b, "],\"total\":%zu,\"query\":",
				 total > nhits - shown ? total - (nhits - shown) : shown);
	if (!rc)
		rc = il_json_string(&b, sp.text, strlen(sp.text));
	if (!rc)
		rc = il_buf_addc(&b, '}');
	rc = send_page(req, rc, &b);
	il_buf_release(&b);
	il_arena_release(&arena);
	return rc;
}

int il__http_send_record(struct il__http_request *req, unsigned status, const struct il_record *r,
			 const char *location)
{
	char etag[32];
	const char *extra[] = {MHD_HTTP_HEADER_ETAG, etag,
			       location ? MHD_HTTP_HEADER_LOCATION : NULL, location, NULL};
	struct il_buf b;
	int rc;
	snprintf(etag, sizeof(etag), "\"%lld\"", (long long)r->version);
	il_buf_init(&b, RECORD_BYTES);
	rc = il_record_to_json(r, IL_JSON_META | IL_JSON_LABELS, req->lang, &b);
	if (rc == IL_ETOOBIG)
		rc = too_big(req, RECORD_BYTES);
	else if (!rc)
		rc = il__http_send(req, status, "application/json; charset=utf-8", &b, extra);
	il_buf_release(&b);
	return rc;
}

/* Sends a file of the web root, or 404 without one. */
static int send_web_file(struct il__http_request *req, const char *name, const char *type)
{
	struct il_buf path = IL_BUF_INIT;
	struct stat st;
	int fd = -1, rc;
	if (!req->srv->web_root)
		return il__http_problem(req, IL_ENOTFOUND, 0, NULL,
					"this server has no web root, so no %s", name);
	if ((rc = il_buf_addf(&path, "%s/%s", req->srv->web_root, name)) != IL_OK)
		return rc;
	fd = open(il_buf_cstr(&path), O_RDONLY | O_CLOEXEC);
	il_buf_release(&path);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return il__http_problem(req, IL_ENOTFOUND, 0, NULL,
					"%s is missing from the web root", name);
	}
	return il__http_send_fd(req, fd, (uint64_t)st.st_size, type, NULL);
}

int il__http_api_openapi(struct il__http_request *req)
{
	if (req->nparams)
		return il_error_set(IL_EINVAL, "the OpenAPI document takes no parameters");
	return send_web_file(req, "openapi.json", "application/json; charset=utf-8");
}

static const struct {
	const char *name, *ext, *type;
	enum il_format fmt;
} export_formats[] = {
	{"csv", "csv", "text/csv; charset=utf-8", IL_FMT_CSV},
	{"tsv", "tsv", "text/tab-separated-values; charset=utf-8", IL_FMT_TSV},
	{"jsonl", "jsonl", "application/jsonl; charset=utf-8", IL_FMT_JSONL},
	{"xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	 IL_FMT_XLSX},
};

/* Writes the export to an unlinked temporary file and sends it. */
static int send_export(struct il__http_request *req, struct il_store *s,
		       struct il_export_opts *opts, size_t f, const struct il_kind_info *k)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], disp[160];
	const char *extra[] = {"Content-Disposition", disp, NULL};
	struct stat st;
	int fd, rc;
	snprintf(path, sizeof(path), "%s/innolink-export-XXXXXX.%s", dir && dir[0] ? dir : "/tmp",
		 export_formats[f].ext);
	if ((fd = mkstemps(path, (int)strlen(export_formats[f].ext) + 1)) < 0)
		return il_error_set(IL_EIO, "cannot make a temporary file: %s", strerror(errno));
	rc = il_export_file(s, path, opts, NULL);
	unlink(path); /* the open descriptor keeps the file until it is sent */
	if (!rc && fstat(fd, &st) != 0)
		rc = il_error_set(IL_EIO, "cannot read the export back: %s", strerror(errno));
	if (rc) {
		close(fd);
		return rc;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.%s\"", k->plural,
		 export_formats[f].ext);
	return il__http_send_fd(req, fd, (uint64_t)st.st_size, export_formats[f].type, extra);
}

int il__http_api_export(struct il__http_request *req)
{
	const struct il_kind_info *k;
	struct il_export_opts opts;
	struct list_params lp;
	struct il_store *s;
	const char *fmt = il__http_param(req, "format");
	size_t f = 0, nf = sizeof(export_formats) / sizeof(export_formats[0]);
	int rc;
	if ((rc = il__http_parse_kind(req, &k)) != IL_OK)
		return rc;
	if (k->kind == IL_KIND_DEAL && !il_auth_sees_all(il__http_account(req)))
		return il__http_problem(req, IL_EPERM, 0, NULL,
					"deals are exported by operators only: they name demands "
					"that may be confidential");
	for (f = 0; fmt && f < nf && strcmp(fmt, export_formats[f].name) != 0; f++)
		;
	if (fmt && f == nf)
		return il_error_set(IL_EINVAL, "format must be csv, tsv, jsonl or xlsx, not '%s'",
				    il__http_clean(req, fmt, 32));
	if (!fmt)
		f = 0;
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	memset(&lp, 0, sizeof(lp));
	lp.export = true;
	il_query_init(&lp.q, k->kind);
	if ((rc = il_record_init(&lp.scratch, k->kind)) != IL_OK)
		return rc;
	if ((rc = parse_list_params(req, k, s, &lp)) == IL_OK) {
		memset(&opts, 0, sizeof(opts));
		opts.query = lp.q;
		if (!il__http_param(req, "limit"))
			opts.query.limit = 0;
		/* a filter naming a hidden demand finds nothing, as in a list: no
		 * title starts with a control character (il_record_set refuses
		 * them), so this prefix selects no record */
		if (lp.hidden_filter)
			opts.query.prefix = "\x01";
		opts.format = export_formats[f].fmt;
		opts.zh_headers = strcmp(req->lang, "zh") == 0;
		rc = send_export(req, s, &opts, f, k);
	}
	il_record_release(&lp.scratch);
	return rc;
}
