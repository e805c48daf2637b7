/*
 * fuzz_url.c - libFuzzer target for the HTTP request-target parser: the
 * path split into percent-decoded segments and the query into parameters.
 *
 * Every decoded segment and parameter must be valid UTF-8 without control
 * characters, which is what the handlers rely on; any other outcome but a
 * crash, a sanitizer report or a leak is fine.
 */
#include "http/http_internal.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
	if (!s || !il_utf8_valid(s, strlen(s)))
		__builtin_trap();
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il__http_request req;
	if (size > IL__HTTP_MAX_URI)
		return 0;
	memset(&req, 0, sizeof(req));
	il_arena_init(&req.arena, 4096, 1u << 20);
	req.raw = il_arena_strndup(&req.arena, (const char *)data, size);
	if (req.raw && strlen(req.raw) == size) {
		req.raw_len = size;
		if (il__http_parse_target(&req) == IL_OK) {
			if (req.nseg > IL__HTTP_MAX_SEGMENTS || req.nparams > IL__HTTP_MAX_PARAMS)
				__builtin_trap();
			for (size_t i = 0; i < req.nseg; i++)
				check_text(req.seg[i]);
			for (size_t i = 0; i < req.nparams; i++) {
				check_text(req.params[i].name);
				check_text(req.params[i].value);
			}
		}
	}
	il_arena_release(&req.arena);
	return 0;
}
