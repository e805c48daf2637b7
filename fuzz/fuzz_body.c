/*
 * fuzz_body.c - libFuzzer target for the API's request bodies: JSON parsed
 * as the write handlers parse it, then applied to a record of every kind
 * as PUT and PATCH apply it.
 *
 * A body either fails with IL_EINVAL (naming the field) or IL_ENOMEM, or
 * leaves every set value valid UTF-8; any other outcome but a crash, a
 * sanitizer report or a leak is fine.
 */
#include "http/http_internal.h"

#include <jansson.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il__http_request req;
	json_t *j = NULL;
	if (size > (1u << 20))
		return 0;
	memset(&req, 0, sizeof(req));
	il_arena_init(&req.arena, 4096, 1u << 20);
	il_buf_init(&req.body, 1u << 20);
	if (il_buf_add(&req.body, data, size) == IL_OK && il__http_body_json(&req, &j) == IL_OK) {
		for (int k = 0; k < IL_KIND__COUNT; k++) {
			struct il_record r;
			const struct il_kind_info *info = il_kind_info((enum il_kind)k);
			int rc;
			if (il_record_init(&r, (enum il_kind)k) != IL_OK)
				break;
			rc = il__http_apply_body(&req, j, &r);
			if (rc != IL_OK && rc != IL_EINVAL && rc != IL_ENOMEM)
				__builtin_trap();
			for (size_t f = 0; rc == IL_OK && f < info->nfields; f++)
				if (r.values[f] && !il_utf8_valid(r.values[f], strlen(r.values[f])))
					__builtin_trap();
			il_record_release(&r);
		}
		json_decref(j);
	}
	il_error_clear();
	il_buf_release(&req.body);
	il_arena_release(&req.arena);
	return 0;
}
