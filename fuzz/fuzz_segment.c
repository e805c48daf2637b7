/*
 * fuzz_segment.c - libFuzzer target for the Chinese segmenter,
 * il_text_segment(), in precise and in search mode.
 *
 * Invariants checked (a violation traps): invalid UTF-8 gives IL_EENCODING
 * and no token, valid input IL_OK; every token is non-empty, inside the
 * input, its term is the input at its offsets, and its kind is known; in
 * precise mode the tokens come in order without overlapping and what lies
 * between them is whitespace only, so the tokens hold every other
 * character; in search mode the first token is at position 0 and a token
 * repeats the previous position exactly when it is colocated.  The data
 * directory is $INNOLINK_DATA or the source tree's data/ (main.dict from
 * the build tree).  Built with -fsanitize=fuzzer under IL_FUZZ, else with
 * driver.c, which replays fuzz/corpus/segment/ as a CTest test.
 */
#include "fuzz_text.h"

#include <utf8proc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	const uint8_t *data;
	size_t size, n, end;
	uint32_t pos;
	enum il_seg_mode mode;
};

/* Is [from, to) whitespace only (what the segmenter may leave out)? */
static bool blank(const uint8_t *p, size_t from, size_t to)
{
	while (from < to) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + from, (utf8proc_ssize_t)(to - from), &cp);
		if (n <= 0)
			return false;
		utf8proc_category_t c = utf8proc_category(cp);
		if (!(cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xFEFF ||
		      cp == 0x200B || c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
		      c == UTF8PROC_CATEGORY_ZP))
			return false;
		from += (size_t)n;
	}
	return true;
}

static int check(const struct il_token *tok, void *ctx)
{
	struct state *s = ctx;
	if (!tok->term || tok->start >= tok->end || tok->end > s->size ||
	    tok->term != (const char *)s->data + tok->start ||
	    tok->term_len != tok->end - tok->start || tok->kind > IL_TOK_PUNCT ||
	    tok->weight != 1.0f)
		__builtin_trap();
	if (s->mode == IL_SEG_PRECISE) {
		if (tok->flags || tok->start < s->end || !blank(s->data, s->end, tok->start) ||
		    tok->pos != s->n)
			__builtin_trap();
		s->end = tok->end;
	} else if (!fuzz_pos_ok(tok, s->n, s->pos)) {
		__builtin_trap();
	}
	s->pos = tok->pos;
	s->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_text *t = fuzz_analyzer(IL_TEXT_NO_GLOSSARY);
	bool valid = true;
	for (size_t i = 0; i < size;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(data + i, (utf8proc_ssize_t)(size - i), &cp);
		if (n <= 0) {
			valid = false;
			break;
		}
		i += (size_t)n;
	}
	for (int m = 0; m < 2; m++) {
		struct state s = {data, size, 0, 0, 0, m ? IL_SEG_SEARCH : IL_SEG_PRECISE};
		int rc = il_text_segment(t, (const char *)data, size, s.mode, check, &s);
		if (valid ? rc != IL_OK : (rc != IL_EENCODING || s.n != 0))
			__builtin_trap();
		if (valid && s.mode == IL_SEG_PRECISE && !blank(data, s.end, size))
			__builtin_trap();
	}
	return 0;
}
