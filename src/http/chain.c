/*
 * chain.c - chains, gaps and indicators over the API (docs/api.md,
 * "Chains"): every chain with its links, one chain's tree, a region's gap
 * analytics on a chain with each link's class, what would fill one link,
 * and a region's indicator series and targets.
 *
 * Each answer is the chain module's own JSON (innolink/chain.h), the same
 * the CLI prints with --json.  That module never counts, lists or places
 * a confidential demand in what it reports, so these reads are the same
 * for every caller and need no account.
 *
 * Depends on: http_internal.h, innolink/chain.h.
 */
#include "http_internal.h"

#include <innolink/chain.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define CHAIN_ANSWER_BYTES ((size_t)32 << 20)
#define FILL_MAX_LIMIT 100

/* A region that must be given: region=CODE. */
static int need_region(const char *v)
{
	if (!v || !v[0])
		return il_error_set(IL_EINVAL, "parameter 'region' is required: the region code "
					       "(e.g. 4210)");
	return IL_OK;
}

/* Runs `rc` (an append into b) and answers it. */
static int answer(struct il__http_request *req, int rc, struct il_buf *b)
{
	rc = il__http_send_buf(req, rc, b);
	il_buf_release(b);
	return rc;
}

static int lang_only(struct il__http_request *req, struct il_store **s)
{
	static const char *const names[] = {"lang"};
	const char *v[1];
	int rc = il__http_params_check(req, names, 1, v);
	return rc ? rc : il__http_store(req, s);
}

int il__http_chain_maps(struct il__http_request *req)
{
	struct il_store *s;
	struct il_buf b;
	int rc;
	if ((rc = lang_only(req, &s)) != IL_OK)
		return rc;
	il_buf_init(&b, CHAIN_ANSWER_BYTES);
	return answer(req, il_chain_list_json(s, NULL, NULL, true, &b), &b);
}

/* Appends the first item of the JSON array in `list`. */
static int first_item(const struct il_buf *list, struct il_buf *out)
{
	json_t *j = json_loadb(list->ptr, list->len, 0, NULL);
	char *text = json_is_array(j) ? json_dumps(json_array_get(j, 0), JSON_COMPACT) : NULL;
	int rc = text ? il_buf_adds(out, text) : il_error_set(IL_ENOMEM, "cannot copy the chain");
	free(text);
	json_decref(j);
	return rc;
}

int il__http_chain_map(struct il__http_request *req)
{
	struct il_store *s;
	struct il_buf list, b;
	int rc;
	if ((rc = lang_only(req, &s)) != IL_OK)
		return rc;
	il_buf_init(&list, CHAIN_ANSWER_BYTES);
	il_buf_init(&b, CHAIN_ANSWER_BYTES);
	rc = il_chain_list_json(s, req->args[0], NULL, true, &list);
	if (rc == IL_ENOTFOUND) {
		il_buf_release(&list);
		il_buf_release(&b);
		return il__http_missing(req, il_kind_info(IL_KIND_CHAIN), req->args[0]);
	}
	/* a list of the one chain: the answer is the chain itself */
	if (!rc)
		rc = first_item(&list, &b);
	il_buf_release(&list);
	return answer(req, rc, &b);
}

/* The library's array of links under the region and how many regions it
 * was compared with, as the API documents it. */
static int gaps_object(const struct il_chain_gaps *g, struct il_buf *out)
{
	json_t *r = json_string(g->region);
	char *region = r ? json_dumps(r, JSON_ENCODE_ANY) : NULL;
	int rc = region ? il_buf_addf(out, "{\"region\":%s,\"peers\":%zu,\"links\":", region,
				      g->npeers)
			: il_error_set(IL_ENOMEM, "cannot write the gaps");
	if (!rc)
		rc = il_chain_gaps_json(g, out);
	if (!rc)
		rc = il_buf_adds(out, "}");
	free(region);
	json_decref(r);
	return rc;
}

int il__http_chain_gaps(struct il__http_request *req)
{
	static const char *const names[] = {"region", "lang"};
	const char *v[2];
	struct il_chain_gaps g;
	struct il_store *s;
	struct il_buf b;
	int rc;
	if ((rc = il__http_params_check(req, names, 2, v)) != IL_OK ||
	    (rc = need_region(v[0])) != IL_OK || (rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	if ((rc = il_chain_gaps(s, v[0], req->args[0], &g)) != IL_OK)
		return rc;
	il_buf_init(&b, CHAIN_ANSWER_BYTES);
	rc = gaps_object(&g, &b);
	il_chain_gaps_release(&g);
	return answer(req, rc, &b);
}

int il__http_chain_fill(struct il__http_request *req)
{
	static const char *const names[] = {"region", "limit", "lang"};
	const char *v[3];
	struct il_store *s;
	struct il_buf b;
	size_t limit = 10;
	int rc;
	if ((rc = il__http_params_check(req, names, 3, v)) != IL_OK ||
	    (rc = need_region(v[0])) != IL_OK ||
	    (v[1] && (rc = il__http_param_count(req, "limit", v[1], 1, FILL_MAX_LIMIT, &limit))) ||
	    (rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	il_buf_init(&b, CHAIN_ANSWER_BYTES);
	return answer(req, il_chain_link_report_json(s, v[0], req->args[0], limit, &b), &b);
}

/* The region of the path, which must exist (the 404 of a missing one). */
static int region_arg(struct il__http_request *req, struct il_store *s)
{
	struct il_record r;
	int rc = il__http_get_visible(req, s, IL_KIND_REGION, req->args[0], &r);
	if (!rc)
		il_record_release(&r);
	return rc;
}

int il__http_region_indicators(struct il__http_request *req)
{
	static const char *const names[] = {"name", "computed", "lang"};
	const char *v[3];
	struct il_store *s;
	struct il_buf b;
	bool computed = true;
	int rc;
	if ((rc = il__http_params_check(req, names, 3, v)) != IL_OK)
		return rc;
	if (v[1]) {
		if (strcmp(v[1], "true") != 0 && strcmp(v[1], "false") != 0)
			return il_error_set(IL_EINVAL,
					    "computed must be 'true' or 'false', not '%s'",
					    il__http_clean(req, v[1], 32));
		computed = strcmp(v[1], "true") == 0;
	}
	if ((rc = il__http_store(req, &s)) != IL_OK || (rc = region_arg(req, s)) != IL_OK)
		return rc;
	il_buf_init(&b, CHAIN_ANSWER_BYTES);
	return answer(req, il_indicator_series_json(s, req->args[0], v[0], computed, &b), &b);
}

int il__http_region_targets(struct il__http_request *req)
{
	struct il_store *s;
	struct il_buf b;
	int rc;
	if ((rc = lang_only(req, &s)) != IL_OK || (rc = region_arg(req, s)) != IL_OK)
		return rc;
	il_buf_init(&b, CHAIN_ANSWER_BYTES);
	return answer(req, il_indicator_targets_json(s, req->args[0], &b), &b);
}
