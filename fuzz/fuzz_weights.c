/*
 * fuzz_weights.c - libFuzzer target for the match weights file
 * (data/match/weights.conf, DB.weights): il_match_config_parse.
 *
 * A parse that succeeds must give a configuration that writes and parses
 * back to itself; one that fails must leave the configuration untouched.
 * Any other outcome but a crash, a sanitizer report or a leak is fine.
 */
#include <innolink/match.h>

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_match_config c, before, again;
	struct il_buf b = IL_BUF_INIT;
	il_match_config_init(&c);
	before = c;
	if (il_match_config_parse(&c, (const char *)data, size, "fuzz") != IL_OK) {
		if (memcmp(&c, &before, sizeof(c)) != 0)
			__builtin_trap();
		return 0;
	}
	il_match_config_init(&again);
	if (il_match_config_write(&c, "fuzz", &b) != IL_OK ||
	    il_match_config_parse(&again, il_buf_cstr(&b), b.len, "written") != IL_OK)
		__builtin_trap();
	/* %.6g may round a value; writing again must then be stable */
	struct il_buf b2 = IL_BUF_INIT;
	if (il_match_config_write(&again, "fuzz", &b2) != IL_OK || b.len != b2.len ||
	    memcmp(b.ptr, b2.ptr, b.len) != 0)
		__builtin_trap();
	il_buf_release(&b);
	il_buf_release(&b2);
	return 0;
}
