/*
 * fuzz_normalize.c - libFuzzer target for il_text_normalize(): NFKC with
 * case folding, width, traditional -> simplified, UTF-8 validation.
 *
 * Any input must end in IL_OK with valid UTF-8 appended (normalising the
 * result again must not fail on its encoding) or in IL_EENCODING with
 * nothing appended; anything else, a crash, a sanitizer report or a leak
 * is a bug.  The analyzer is opened once and kept (reachable, so not a
 * leak) from the data directory $INNOLINK_DATA or, in the source tree,
 * the data/ beside this file.  Built with -fsanitize=fuzzer under IL_FUZZ,
 * else with driver.c, which replays fuzz/corpus/normalize/ as a CTest test.
 */
#include <innolink/text.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct il_text *analyzer(void)
{
	static struct il_text *t;
	static char dir[4096];
	const char *env = getenv("INNOLINK_DATA"), *slash;
	if (t)
		return t;
	if (env && *env) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else if ((slash = strrchr(__FILE__, '/')) != NULL) {
		/* __FILE__ is .../fuzz/fuzz_normalize.c: the data is ../data */
		snprintf(dir, sizeof(dir), "%.*s/../data", (int)(slash - __FILE__), __FILE__);
	} else {
		snprintf(dir, sizeof(dir), "../data");
	}
	if (il_text_open(dir, IL_TEXT_NO_GLOSSARY, &t) != IL_OK)
		__builtin_trap(); /* a fuzzer without its data tests nothing */
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_text *t = analyzer();
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
