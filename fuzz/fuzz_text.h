/*
 * fuzz_text.h - what the fuzz targets of the text analyzer share
 * (fuzz_normalize.c, fuzz_segment.c, fuzz_tokenize.c): the analyzer,
 * opened once, and the rule every token stream keeps for positions.
 *
 * The analyzer is opened on first use and kept (reachable, so not a leak)
 * from the data directory $INNOLINK_DATA or, in the source tree, the data/
 * beside fuzz/ (main.dict from the build tree).  A fuzzer without its data
 * tests nothing, so failing to open it traps.  Not a target itself:
 * fuzz/CMakeLists.txt builds only fuzz_*.c.
 */
#ifndef INNOLINK_FUZZ_TEXT_H
#define INNOLINK_FUZZ_TEXT_H

#include <innolink/text.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The analyzer opened with `flags` (il_text_open's); every call of one
 * target passes the same flags.  Borrowed, valid for the process. */
static inline struct il_text *fuzz_analyzer(unsigned flags)
{
	static struct il_text *t;
	static char dir[4096];
	const char *env = getenv("INNOLINK_DATA"), *slash;
	if (t)
		return t;
	if (env && *env) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else if ((slash = strrchr(__FILE__, '/')) != NULL) {
		/* __FILE__ is .../fuzz/fuzz_text.h: the data is ../data */
		snprintf(dir, sizeof(dir), "%.*s/../data", (int)(slash - __FILE__), __FILE__);
	} else {
		snprintf(dir, sizeof(dir), "../data");
	}
	if (il_text_open(dir, flags, &t) != IL_OK)
		__builtin_trap();
	return t;
}

/* True when tok's position follows from the n tokens before it, the last
 * at position `pos`: the first token is at 0, a colocated token repeats
 * the previous position and any other advances it by one. */
static inline bool fuzz_pos_ok(const struct il_token *tok, size_t n, uint32_t pos)
{
	bool colo = (tok->flags & IL_TOKF_COLOCATED) != 0;
	return n == 0 ? !colo && tok->pos == 0 : tok->pos == pos + (colo ? 0 : 1);
}

#endif
