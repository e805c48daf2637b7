/*
 * test_routes.c - the router's table and web/openapi.json describe the same
 * API: every route under /api and /healthz is documented with each of its
 * methods, and the document names no path or method the router lacks.
 * (tests/e2e/test_http_openapi.py then asks the running server each
 * documented operation and checks the answer against the document.)
 */
#include "test.h"

#include "http/http_internal.h"

#include <jansson.h>

static const struct {
	unsigned m;
	const char *name;
} methods[] = {
	{IL__HTTP_GET, "get"},     {IL__HTTP_POST, "post"},     {IL__HTTP_PUT, "put"},
	{IL__HTTP_PATCH, "patch"}, {IL__HTTP_DELETE, "delete"},
};

static bool documented_route(const char *pattern)
{
	size_t n = strlen(pattern);
	return pattern[n - 1] != '*' && strcmp(pattern, "/") != 0;
}

static json_t *paths; /* of the document */

static void test_every_route_is_documented(void)
{
	size_t n;
	const struct il__http_route *r = il__http_routes(&n);
	for (size_t i = 0; i < n; i++) {
		json_t *item;
		if (!documented_route(r[i].pattern))
			continue;
		item = json_object_get(paths, r[i].pattern);
		if (!item) {
			printf("# route %s is not in the OpenAPI document\n", r[i].pattern);
			IL_CHECK(item != NULL);
			continue;
		}
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
			bool routed = (r[i].methods & methods[m].m) != 0;
			if (routed && !json_object_get(item, methods[m].name)) {
				printf("# %s %s is routed, not documented\n", methods[m].name,
				       r[i].pattern);
				IL_CHECK(!routed);
			}
		}
		/* HEAD goes with GET */
		IL_CHECK(!(r[i].methods & IL__HTTP_GET) || (r[i].methods & IL__HTTP_HEAD));
	}
}

/* Whether the router answers `method` at documented `path` with a route
 * of exactly that pattern (not a fallback). */
static bool routed(const char *path, const char *method)
{
	size_t n;
	const struct il__http_route *r = il__http_routes(&n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(r[i].pattern, path) != 0)
			continue;
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
			if (strcmp(methods[m].name, method) == 0 && (r[i].methods & methods[m].m))
				return true;
	}
	return false;
}

static void test_no_undocumented_route(void)
{
	const char *path, *method;
	json_t *item, *op;
	size_t count = 0;
	json_object_foreach(paths, path, item)
	{
		json_object_foreach(item, method, op)
		{
			if (strcmp(method, "parameters") == 0)
				continue;
			count++;
			if (!routed(path, method)) {
				printf("# %s %s is documented but not routed\n", method, path);
				IL_CHECK(false);
			}
			/* every operation names its answers, errors as problem documents */
			IL_CHECK(json_object_get(op, "responses") != NULL);
		}
	}
	IL_CHECK(count >= 20);
}

int main(void)
{
	json_error_t err;
	json_t *doc = json_load_file(IL_TEST_SRCDIR "/../web/openapi.json", 0, &err);
	if (!doc) {
		printf("# web/openapi.json: line %d: %s\n", err.line, err.text);
		IL_CHECK(doc != NULL);
		IL_DONE();
	}
	IL_CHECK_STR(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	paths = json_object_get(doc, "paths");
	IL_RUN(test_every_route_is_documented);
	IL_RUN(test_no_undocumented_route);
	json_decref(doc);
	IL_DONE();
}
