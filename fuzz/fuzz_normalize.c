/*
 * fuzz_normalize.c - libFuzzer target for il_text_normalize(): NFKC with
 * case folding, width, traditional -> simplified, UTF-8 validation.
 *
 * Any input must end in IL_OK with valid UTF-8 appended (normalising the
 * result again must not fail on its encoding) or in IL_EENCODING with
 * nothing appended; anything else, a crash, a sanitizer report or a leak
 * is a bug.  The analyzer (without glossary) is opened once and kept, as
 * fuzz_text.h says.  Built with -fsanitize=fuzzer under IL_FUZZ, else with
 * driver.c, which replays fuzz/corpus/normalize/ as a CTest test.
 */
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_text *t = fuzz_analyzer(IL_TEXT_NO_GLOSSARY);
	struct il_buf out, again;
	int rc;
	il_buf_init(&out, 0);
	il_buf_init(&again, 0);
	rc = il_text_normalize(t, (const char *)data, size, &out);
	if (rc == IL_OK) {
		if (il_text_normalize(t, il_buf_cstr(&out), out.len, &again) == IL_EENCODING)
			__builtin_trap();
	} else if (rc != IL_EENCODING || out.len != 0) {
		__builtin_trap();
	}
	il_buf_release(&out);
	il_buf_release(&again);
	return 0;
}
