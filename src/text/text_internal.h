/*
 * text_internal.h - what the files of src/text share.
 *
 * The analyzer is assembled from parts that each file owns:
 *   dict.c, segment.c   the compiled dictionary and Chinese segmentation
 *                       (il__dict_*, il_text_segment)
 *   normalize.c         NFKC, case folding, width, traditional -> simplified
 *   english.c           Latin words, numbers and codes, stemming, stop words
 *   glossary.c          zh <-> en term pairs and query expansion
 *   analyzer.c          il_text_open/close and the token streams
 */
#ifndef IL_TEXT_INTERNAL_H
#define IL_TEXT_INTERNAL_H

#include <innolink/text.h>

struct il__dict; /* the main dictionary (mapped) plus user words */
struct il__glossary;
struct il__normalizer;

struct il_text {
	struct il__dict *dict;
	struct il__glossary *glossary;
	struct il__normalizer *norm;
	unsigned flags;
	/* normalised stop words of both languages (English unstemmed) -> 1;
	 * read-only after il_text_open, so threads may look up concurrently */
	struct il_strmap stop;
};

/* Opens the compiled main dictionary under datadir (dict/main.dict) and the
 * user dictionaries dict/NAME.txt unless IL_TEXT_NO_USER_DICT.  IL_EIO,
 * IL_EFORMAT (naming file and line), IL_ENOMEM. */
int il__dict_open(const char *datadir, unsigned flags, struct il__dict **out);
void il__dict_close(struct il__dict *d);

/*
 * normalize.c: UTF-8, NFKC + case folding, width, traditional -> simplified.
 */

/* True when s[0..len) is well-formed UTF-8 (Unicode table 3-7: no
 * overlongs, surrogates or code points past U+10FFFF); else *bad is the
 * byte offset of the first invalid sequence. */
bool il__utf8_valid(const char *s, size_t len, size_t *bad);

/* Decodes the character at s[i] of VALID UTF-8 into *cp; returns its length. */
static inline size_t il__utf8_next(const char *s, size_t i, int32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s + i;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xE0) {
		*cp = (int32_t)(((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu));
		return 2;
	}
	if (p[0] < 0xF0) {
		*cp = (int32_t)(((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
		return 3;
	}
	*cp = (int32_t)(((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
			(p[3] & 0x3Fu));
	return 4;
}

/* Han ideographs (and the radicals, iteration and zero marks that NFKC
 * turns into them): the characters the Chinese segmenter gets. */
bool il__is_han(int32_t cp);

/* Han runs are normalised and segmented in chunks of at most this many
 * bytes, which bounds the segmenter's work and memory per call. */
#define IL__HAN_CHUNK (64u * 1024u)

/* The end of the Han run that starts at s[i], cut at IL__HAN_CHUNK bytes. */
size_t il__han_run_end(const char *s, size_t len, size_t i);

/* Opens the process-wide normaliser (built from OpenCC's t2s.json on first
 * use, shared and reference-counted after that).  IL_EIO, IL_ENOMEM. */
int il__norm_open(struct il__normalizer **out);
void il__norm_close(struct il__normalizer *n);

/* A growable array of code points: utf8proc's working space. */
struct il__u32buf {
	int32_t *p;
	size_t cap;
};
void il__u32buf_release(struct il__u32buf *b);

/* Appends NFKC_Casefold (+ utf8proc's LUMP: dashes, quotes, spaces) of
 * the valid UTF-8 s[0..len) to out.  Meant for short spans (a word, a
 * piece of at most a few KiB); the caller splits longer text.  IL_ENOMEM,
 * IL_ETOOBIG (out's cap). */
int il__norm_latin(struct il__u32buf *scratch, const char *s, size_t len, struct il_buf *out);

/* Character offsets of a normalised Han chunk: char k starts at orig[k] in
 * the input and at norm[k] in the output; entry n is the end of both. */
struct il__hanmap {
	uint32_t *orig, *norm;
	size_t n, cap;
	struct il_buf tmp;
};
void il__hanmap_release(struct il__hanmap *m);
/* Offset in the input of the normalised offset `norm` (a char boundary). */
size_t il__hanmap_orig(const struct il__hanmap *m, size_t norm);

/* Normalises a Han chunk (valid UTF-8, at most IL__HAN_CHUNK bytes) into
 * out (reset first) and fills map.  IL_ENOMEM, IL_ETOOBIG. */
int il__norm_han(const struct il__normalizer *n, const char *s, size_t len, struct il_buf *out,
		 struct il__hanmap *map);

/* Scratch space for il__normalize(), reusable from call to call. */
struct il__norm_scratch {
	struct il__u32buf u;
	struct il_buf han;
	struct il__hanmap map;
};
void il__norm_scratch_init(struct il__norm_scratch *s);
void il__norm_scratch_release(struct il__norm_scratch *s);
/* il_text_normalize() of VALID UTF-8 with the caller's scratch. */
int il__normalize(const struct il__normalizer *n, struct il__norm_scratch *s, const char *text,
		  size_t len, struct il_buf *out);

/*
 * english.c: Latin words, numbers and codes; stemming; stop words.
 */

enum il__cls {
	IL__C_SPACE, /* white space, controls, invisible format characters */
	IL__C_OTHER, /* punctuation and symbols */
	IL__C_LETTER,
	IL__C_DIGIT,
	IL__C_MARK, /* combining marks (and joiners) that stay with a letter */
	IL__C_HAN,
};
enum il__cls il__classify(int32_t cp);

/* What a token is handed to: the analyzer's emitter.  tok->pos and
 * tok->weight are ignored; tok->term is borrowed for the call. */
typedef int (*il__emit_fn)(void *run, const struct il_token *tok);

struct sb_stemmer;
/* Scratch space of one tokenizing call for the English side. */
struct il__en_state {
	struct il_buf term, group, sub;
	struct il__u32buf u32;
	struct sb_stemmer *stemmer; /* this thread's, fetched on first use */
};
void il__en_state_init(struct il__en_state *s);
void il__en_state_release(struct il__en_state *s);

/* Scans the Latin token that starts at text[*i] (a letter or digit),
 * emits it (and its hyphen parts or variant, colocated) through emit, and
 * moves *i past it.  Returns emit's non-zero result or IL_ENOMEM. */
int il__en_token(const struct il_text *t, struct il__en_state *s, const char *text, size_t len,
		 size_t *i, il__emit_fn emit, void *run);

/* True when the normalised term is a stop word. */
bool il__is_stop(const struct il_text *t, const char *term, size_t len);

/* Adds the words of a stop list file (one per line, '#' comments) to
 * t->stop, normalised.  A missing file adds nothing.  IL_EIO, IL_EFORMAT
 * (file and line), IL_ENOMEM. */
int il__stop_load(struct il_text *t, const char *path);

/*
 * glossary.c: zh <-> en pairs, matched on normalised, stemmed keys.
 */

/* Loads the .tsv files of dir in name order (a missing dir is an empty
 * glossary), analysing each side with t, which must have its dictionary,
 * normaliser and stop words.  IL_EIO, IL_EFORMAT (file and line),
 * IL_ENOMEM. */
int il__glossary_load(const struct il_text *t, const char *dir, struct il__glossary **out);
void il__glossary_close(struct il__glossary *g);
size_t il__glossary_pairs(const struct il__glossary *g);
/* The most primary tokens any key has: how far a match may look ahead. */
size_t il__glossary_max_words(const struct il__glossary *g);
/* The entry whose key is key[0..len), or -1. */
int64_t il__glossary_find(const struct il__glossary *g, const char *key, size_t len);

/* Walks the translation tokens of an entry: term, kind, flags (STOP,
 * SUBWORD as analysed) and weight are set. */
struct il__gloss_iter {
	const struct il__glossary *g;
	int64_t tr;
	size_t tok;
};
void il__glossary_iter(const struct il__glossary *g, int64_t entry, struct il__gloss_iter *it);
bool il__glossary_next(struct il__gloss_iter *it, struct il_token *out);

/* Appends a token to a glossary key: Latin words are separated by one
 * space, Han words (and a Han word and its Latin neighbour) are joined
 * directly, and a gap (punctuation between the two tokens) is a 0x1F
 * byte, so keys compare equal exactly when the token sequences do. */
int il__key_add(struct il_buf *key, const char *term, size_t len, bool han, bool prev_han,
		bool gap);

/*
 * analyzer.c: the token streams.
 */

/* Grows the array *p of *cap elements of `size` bytes so that it holds at
 * least `need`: the capacity doubles, from `first` for an empty array.  On
 * failure *p and *cap are unchanged.  IL_ENOMEM (also when the size in
 * bytes would overflow). */
int il__text_reserve(void **p, size_t *cap, size_t need, size_t size, size_t first);

enum il__mode {
	IL__MODE_DOCUMENT, /* search segmentation, no glossary */
	IL__MODE_QUERY, /* precise segmentation and glossary expansion */
	IL__MODE_PLAIN, /* precise segmentation, no glossary (glossary keys) */
};
int il__analyze(const struct il_text *t, const char *text, size_t len, enum il__mode mode,
		il_token_fn fn, void *ctx);
/* True when text[from..to) holds anything but white space: punctuation
 * separates the tokens on its two sides (a glossary key may not span it
 * unless the key has it too). */
bool il__gap(const char *text, size_t from, size_t to);

#endif
