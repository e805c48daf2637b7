/*
 * params.c - what the matching, chain and trade routes share: checking a
 * route's query parameters against the names it takes, whole numbers, the
 * If-Match of a workflow move, and reading a record as the caller may see
 * it (a confidential demand the caller may not see is the 404 of a
 * missing one, built by il__http_missing()).
 *
 * Depends on: http_internal.h (the public headers, libmicrohttpd).
 */
#include "http_internal.h"

#include <stdlib.h>
#include <string.h>

int il__http_params_check(struct il__http_request *req, const char *const *names, size_t n,
			  const char **values)
{
	for (size_t i = 0; i < n; i++)
		values[i] = NULL;
	for (size_t i = 0; i < req->nparams; i++) {
		const struct il__http_param *p = &req->params[i];
		size_t which = n;
		for (size_t k = 0; k < n; k++)
			if (strcmp(p->name, names[k]) == 0)
				which = k;
		if (which == n)
			return il_error_set(IL_EINVAL, "unknown parameter '%s' at %s",
					    il__http_clean(req, p->name, 64), req->instance);
		if (values[which])
			return il_error_set(IL_EINVAL, "parameter '%s' is given twice",
					    names[which]);
		values[which] = p->value;
		if (strcmp(p->name, "lang") != 0)
			continue;
		if (strcmp(p->value, "en") != 0 && strcmp(p->value, "zh") != 0)
			return il_error_set(IL_EINVAL, "lang must be 'en' or 'zh', not '%s'",
					    il__http_clean(req, p->value, 32));
		req->lang = strcmp(p->value, "zh") == 0 ? "zh" : "en";
	}
	return IL_OK;
}

int il__http_param_count(struct il__http_request *req, const char *name, const char *v, size_t min,
			 size_t max, size_t *out)
{
	size_t n = 0;
	const char *s = v;
	/* digits only, so "-1", "+1", "1e3" and "" fail */
	for (; *s && n <= max; s++) {
		if (*s < '0' || *s > '9')
			break;
		n = n * 10 + (size_t)(*s - '0');
	}
	if (!*v || *s || n < min || n > max)
		return il_error_set(IL_EINVAL,
				    "%s must be a whole number from %zu to %zu, not '%s'", name,
				    min, max, il__http_clean(req, v, 32));
	*out = n;
	return IL_OK;
}

int il__http_if_match(struct il__http_request *req, int64_t *out)
{
	const char *m =
		MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
	char *end;
	*out = -1;
	if (!m || strcmp(m, "*") == 0)
		return il__http_problem(
			req, IL_EPRECOND, MHD_HTTP_PRECONDITION_REQUIRED, NULL,
			"%s needs If-Match with the ETag of the version being changed "
			"(GET the record for it)",
			req->method);
	/* a weak or malformed tag matches no version: strong comparison */
	if (m[0] == '"' && m[1] >= '0' && m[1] <= '9') {
		long long v = strtoll(m + 1, &end, 10);
		if (end[0] == '"' && end[1] == '\0')
			*out = v;
	}
	return IL_OK;
}

int il__http_get_visible(struct il__http_request *req, struct il_store *s, enum il_kind kind,
			 const char *id, struct il_record *out)
{
	const struct il_kind_info *k = il_kind_info(kind);
	bool show = false;
	int rc;
	if (strlen(id) > 128)
		return il__http_missing(req, k, id);
	rc = il_store_get(s, kind, id, out);
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		return il__http_missing(req, k, id);
	}
	if (rc)
		return rc;
	if ((rc = il__http_view(req, s, out, &show)) == IL_OK && !show)
		rc = il__http_missing(req, k, id);
	if (rc)
		il_record_release(out);
	return rc;
}

int il__http_send_buf(struct il__http_request *req, int rc, struct il_buf *b)
{
	if (rc == IL_ETOOBIG)
		return il__http_problem(req, IL_ETOOBIG, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL,
					"the answer would pass its limit; ask for fewer items");
	if (rc)
		return rc;
	return il__http_send_json(req, MHD_HTTP_OK, b);
}
