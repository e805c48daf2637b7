/*
 * fuzz_tokenize.c - libFuzzer target for the token streams:
 * il_text_tokenize_document() and il_text_tokenize_query() (with the
 * bundled glossary, so expansion runs) over the same input.
 *
 * Every token must have a non-empty term and offsets inside the input;
 * the first token is at position 0, a colocated token repeats the previous
 * position and any other advances it by one; only glossary tokens weigh
 * other than 1.  Invalid UTF-8 must give IL_EENCODING and no token.  A
 * violation traps, as does any other error.  Data directory as in
 * fuzz_text.h.  Built with -fsanitize=fuzzer under IL_FUZZ, else with
 * driver.c, which replays fuzz/corpus/tokenize/ as a CTest test.
 */
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	size_t size, n;
	uint32_t pos;
};

static int check(const struct il_token *tok, void *ctx)
{
	struct state *s = ctx;
	bool colo = (tok->flags & IL_TOKF_COLOCATED) != 0;
	if (!tok->term || tok->term_len == 0 || tok->start >= tok->end || tok->end > s->size)
		__builtin_trap();
	if (!fuzz_pos_ok(tok, s->n, s->pos))
		__builtin_trap();
	if (!(tok->flags & IL_TOKF_GLOSSARY) ? tok->weight != 1.0f
					     : (!colo || tok->weight < 0 || tok->weight > 1))
		__builtin_trap();
	s->pos = tok->pos;
	s->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_text *t = fuzz_analyzer(0);
	for (int query = 0; query < 2; query++) {
		struct state s = {size, 0, 0};
		int rc = query ? il_text_tokenize_query(t, (const char *)data, size, check, &s)
			       : il_text_tokenize_document(t, (const char *)data, size, check, &s);
		if (rc != IL_OK && (rc != IL_EENCODING || s.n != 0))
			__builtin_trap();
	}
	return 0;
}
