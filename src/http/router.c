/*
 * router.c - from method and path to a handler.
 *
 * Before either table, the caller is identified (session.c) and its rate
 * limits are applied (limit.c).  Then two tables, read top to bottom.
 * Guards run before routing and apply whenever their pattern and method
 * match: they hold the rules that must hold whatever resource is named (a
 * write to the API needs credentials, even to a path that does not exist,
 * so the answer does not tell which paths do); a guard that is satisfied
 * answers nothing and routing goes on.  Routes then pick the first entry whose pattern and method
 * match.  A path that some non-wildcard route matches, but not with this
 * method, is a 405 with an Allow header; wildcard routes (ending in "*") are
 * fallbacks and never turn a 404 into a 405.
 *
 * A pattern is a path whose segments are literals, "{name}" (any one
 * non-empty segment, captured into req->args in order) or a final "*"
 * (any number of segments, req->rest indexes the first).  Segments are
 * compared after percent-decoding.
 */
#include "http_internal.h"

#include <string.h>

static int not_found(struct il__http_request *req)
{
	return il__http_problem(req, IL_ENOTFOUND, 0, NULL, "no resource at %s", req->instance);
}

static const struct il__http_route guards[] = {
	{IL__HTTP_WRITE, "/api/*", il__http_guard_write},
};

/*
 * Literal paths come before the {kind} patterns that would take them; the
 * matching, chain and trade routes (match.c, chain.c, trade.c) before the
 * {kind}/{id}/history line.  web/openapi.json documents every line (a
 * test holds the two together).
 */
static const struct il__http_route routes[] = {
	{IL__HTTP_READ, "/healthz", il__http_api_health},
	{IL__HTTP_READ, "/api/v1", il__http_api_index},
	{IL__HTTP_READ, "/api/v1/openapi.json", il__http_api_openapi},
	{IL__HTTP_READ, "/api/v1/search", il__http_api_search},
	{IL__HTTP_READ, "/api/v1/session", il__http_session_get},
	{IL__HTTP_POST, "/api/v1/session", il__http_session_login},
	{IL__HTTP_DELETE, "/api/v1/session", il__http_session_logout},
	{IL__HTTP_READ, "/api/v1/tokens", il__http_tokens_list},
	{IL__HTTP_POST, "/api/v1/tokens", il__http_tokens_create},
	{IL__HTTP_DELETE, "/api/v1/tokens/{id}", il__http_tokens_revoke},
	{IL__HTTP_READ, "/api/v1/accounts", il__http_accounts_list},
	{IL__HTTP_POST, "/api/v1/accounts", il__http_accounts_create},
	{IL__HTTP_PATCH, "/api/v1/accounts/{name}", il__http_accounts_update},
	{IL__HTTP_READ, "/api/v1/export/{kind}", il__http_api_export},
	{IL__HTTP_POST, "/api/v1/import/{kind}", il__http_api_import},
	{IL__HTTP_READ, "/api/v1/match", il__http_match_text},
	{IL__HTTP_READ, "/api/v1/chain-maps", il__http_chain_maps},
	{IL__HTTP_READ, "/api/v1/chain-maps/{id}", il__http_chain_map},
	{IL__HTTP_READ, "/api/v1/notifications", il__http_notifications},
	{IL__HTTP_POST, "/api/v1/notifications/read", il__http_notifications_read},
	{IL__HTTP_READ, "/api/v1/figures", il__http_figures},
	{IL__HTTP_READ, "/api/v1/{kind}", il__http_api_list},
	{IL__HTTP_POST, "/api/v1/{kind}", il__http_api_create},
	{IL__HTTP_READ, "/api/v1/{kind}/{id}", il__http_api_get},
	{IL__HTTP_PUT | IL__HTTP_PATCH, "/api/v1/{kind}/{id}", il__http_api_update},
	{IL__HTTP_DELETE, "/api/v1/{kind}/{id}", il__http_api_delete},
	{IL__HTTP_READ, "/api/v1/{kind}/{id}/matches", il__http_match_record},
	{IL__HTTP_READ, "/api/v1/demands/{id}/feedback", il__http_feedback_list},
	{IL__HTTP_POST, "/api/v1/demands/{id}/feedback", il__http_feedback_add},
	{IL__HTTP_READ, "/api/v1/demands/{id}/docking", il__http_docking_get},
	{IL__HTTP_POST, "/api/v1/demands/{id}/docking", il__http_docking_move},
	{IL__HTTP_POST, "/api/v1/demands/{id}/ratings", il__http_docking_rate},
	{IL__HTTP_READ, "/api/v1/deals/{id}/workflow", il__http_deal_get},
	{IL__HTTP_POST, "/api/v1/deals/{id}/workflow", il__http_deal_move},
	{IL__HTTP_POST, "/api/v1/deals/{id}/milestones", il__http_deal_milestone},
	{IL__HTTP_READ, "/api/v1/chains/{id}/gaps", il__http_chain_gaps},
	{IL__HTTP_READ, "/api/v1/links/{id}/fill", il__http_chain_fill},
	{IL__HTTP_READ, "/api/v1/regions/{id}/indicators", il__http_region_indicators},
	{IL__HTTP_READ, "/api/v1/regions/{id}/targets", il__http_region_targets},
	{IL__HTTP_READ, "/api/v1/{kind}/{id}/history", il__http_api_history},
	{IL__HTTP_READ | IL__HTTP_WRITE, "/api/*", not_found}, /* never falls through to files */
	{IL__HTTP_READ, "/", il__http_static_root},
	{IL__HTTP_READ, "/*", il__http_static_file},
};

const struct il__http_route *il__http_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

static const struct {
	const char *name;
	enum il__http_method m;
} methods[] = {
	{"GET", IL__HTTP_GET},         {"HEAD", IL__HTTP_HEAD},   {"POST", IL__HTTP_POST},
	{"PUT", IL__HTTP_PUT},         {"PATCH", IL__HTTP_PATCH}, {"DELETE", IL__HTTP_DELETE},
	{"OPTIONS", IL__HTTP_OPTIONS},
};

enum il__http_method il__http_method_parse(const char *method)
{
	/* Methods are case-sensitive (RFC 9110 section 9.1): "get" is not GET. */
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(method, methods[i].name) == 0)
			return methods[i].m;
	return IL__HTTP_OTHER;
}

static bool is_wildcard(const char *pattern)
{
	size_t n = strlen(pattern);
	return n >= 2 && pattern[n - 1] == '*' && pattern[n - 2] == '/';
}

/* Whether `pattern` matches the request's path; fills args and rest. */
static bool match(const char *pattern, struct il__http_request *req, const char **args,
		  size_t *nargs, size_t *rest)
{
	const char *p = pattern + 1;
	size_t i = 0;
	*nargs = 0;
	*rest = 0;
	if (*p == '\0')
		return req->nseg == 0;
	for (;;) {
		const char *end = strchr(p, '/');
		size_t plen = end ? (size_t)(end - p) : strlen(p);
		if (plen == 1 && p[0] == '*') {
			*rest = i;
			return true;
		}
		if (i == req->nseg)
			return false;
		if (p[0] == '{') {
			if (!req->seg[i][0])
				return false;
			if (*nargs < IL__HTTP_MAX_ARGS)
				args[(*nargs)++] = req->seg[i];
		} else if (strlen(req->seg[i]) != plen || memcmp(req->seg[i], p, plen) != 0) {
			return false;
		}
		i++;
		if (!end)
			return i == req->nseg;
		p = end + 1;
	}
}

static int run(struct il__http_request *req, const struct il__http_route *r, const char **args,
	       size_t nargs, size_t rest)
{
	int rc;
	req->route = r;
	memcpy(req->args, args, nargs * sizeof(*args));
	req->rest = rest;
	rc = r->handler(req);
	if (rc != IL_OK && !req->responded)
		rc = il__http_problem_code(req, rc);
	return rc;
}

static int not_allowed(struct il__http_request *req, unsigned allowed)
{
	char allow[96] = "";
	const char *extra[] = {MHD_HTTP_HEADER_ALLOW, allow, NULL};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (!(allowed & methods[i].m))
			continue;
		if (allow[0])
			strcat(allow, ", ");
		strcat(allow, methods[i].name);
	}
	return il__http_problem(req, IL_EMETHOD, 0, extra,
				"method %s is not allowed at %s; allowed: %s",
				il__http_clean(req, req->method, 32), req->instance, allow);
}

int il__http_dispatch(struct il__http_request *req)
{
	const char *args[IL__HTTP_MAX_ARGS];
	size_t nargs, rest;
	unsigned allowed = 0;
	int rc;
	il_error_clear(); /* a detail left by an earlier request on this thread */
	/* who asks (a bad token: 401), then how often they have (429) */
	if ((rc = il__http_authenticate(req)) != IL_OK)
		return req->responded ? rc : il__http_problem_code(req, rc);
	if ((rc = il__http_rate_limit(req)) != IL_OK || req->responded)
		return rc;
	/* a guard that lets the request through answers nothing */
	for (size_t i = 0; i < sizeof(guards) / sizeof(guards[0]); i++)
		if ((guards[i].methods & req->m) &&
		    match(guards[i].pattern, req, args, &nargs, &rest) &&
		    ((rc = run(req, &guards[i], args, nargs, rest)) != IL_OK || req->responded))
			return rc;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct il__http_route *r = &routes[i];
		if (!match(r->pattern, req, args, &nargs, &rest))
			continue;
		if (r->methods & req->m)
			return run(req, r, args, nargs, rest);
		if (!is_wildcard(r->pattern))
			allowed |= r->methods;
	}
	if (allowed)
		return not_allowed(req, allowed);
	return not_found(req);
}
