/*
 * fuzz_pgsql.c - libFuzzer target for the PostgreSQL driver's rewrite of
 * SQLite's dialect (src/store/pg.c), whose scanner walks quotes, comments
 * and dollar-quoted bodies that may never end.
 *
 * Checks beyond "no crash, no sanitizer report, no leak": every
 * placeholder found is numbered, so the output holds "$n" for the last n,
 * and an input without '?' has no parameters.
 */
#include "store/store_internal.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_buf in = IL_BUF_INIT, out = IL_BUF_INIT;
	int n = -1;
	if (il_buf_add(&in, data, size) != IL_OK)
		return 0;
	/* the driver gets C strings: an embedded NUL ends the text */
	const char *sql = il_buf_cstr(&in);
	if (il__pg_rewrite(sql, &out, &n) == IL_OK) {
		char last[16];
		if (n < 0 || (n > 0 && !strchr(sql, '?')))
			__builtin_trap();
		snprintf(last, sizeof(last), "$%d", n);
		if (n > 0 && !strstr(il_buf_cstr(&out), last))
			__builtin_trap();
	}
	il_buf_release(&in);
	il_buf_release(&out);
	return 0;
}
