/*
 * innolink/text.h - bilingual text analysis: normalisation, English words
 * and stems, Chinese word segmentation, and the zh<->en glossary.
 *
 * One token stream serves the index, the matcher and the chain classifier,
 * in the manner of SQLite FTS5's tokenizer callback: each token carries the
 * term to index (normalised; English stemmed), its byte offsets in the
 * original text (for highlighting), its position, its kind and flags.
 * Tokens that share a position with the one before them (search-mode
 * sub-words of a long Chinese word, glossary translations of a query term)
 * carry IL_TOKF_COLOCATED.
 *
 * An analyzer (struct il_text) is built once from the data directory and is
 * then read-only: any number of threads may tokenize with one analyzer at
 * the same time.
 *
 * Depends on: base.
 */
#ifndef INNOLINK_TEXT_H
#define INNOLINK_TEXT_H

#include "base.h"

enum il_token_kind {
	IL_TOK_WORD, /* an English (Latin-script) word, stemmed */
	IL_TOK_HAN, /* a Chinese word */
	IL_TOK_NUMBER, /* 2024, 3.5, 1,200, ５０ */
	IL_TOK_CODE, /* letters and digits mixed, kept whole: M10-3, Ti6Al4V, 5G, ISO9001 */
	IL_TOK_PUNCT, /* punctuation: reported only by il_text_segment, never indexed */
};

enum il_token_flag {
	IL_TOKF_COLOCATED = 1u << 0, /* same position as the previous token */
	IL_TOKF_SUBWORD = 1u << 1, /* search mode: a dictionary word inside a longer one */
	IL_TOKF_GLOSSARY = 1u << 2, /* a translation added by the glossary */
	IL_TOKF_STOP = 1u << 3, /* a stop word (still reported; the index may skip it) */
};

struct il_token {
	const char *term; /* normalised (and for English stemmed) term; borrowed for the callback */
	size_t term_len;
	size_t start, end; /* byte offsets of the source text in the ORIGINAL input */
	uint32_t pos; /* position: 0, 1, 2 ...; colocated tokens repeat it */
	enum il_token_kind kind;
	unsigned flags; /* enum il_token_flag */
	float weight; /* 1 for text; the glossary's weight for translations */
};

/* Called for each token; a non-zero return stops tokenizing and is returned. */
typedef int (*il_token_fn)(const struct il_token *tok, void *ctx);

struct il_text;

enum il_text_flag {
	IL_TEXT_NO_GLOSSARY = 1u << 0, /* do not load data/glossary */
	IL_TEXT_NO_USER_DICT = 1u << 1, /* do not load data/dict/NAME.txt */
};

/*
 * Builds an analyzer from `datadir` (the directory holding dict/ and
 * glossary/; NULL: the bundled data).  The compiled main dictionary is
 * mapped read-only; user dictionaries (dict/NAME.txt: "word [freq]" lines) and
 * glossaries (glossary/NAME.tsv) are read at open, so editing them takes effect
 * without a rebuild.  IL_EIO, IL_EFORMAT (a bad dictionary or glossary
 * line: the detail names file and line), IL_ENOMEM.  Close with
 * il_text_close().
 */
int il_text_open(const char *datadir, unsigned flags, struct il_text **out);
void il_text_close(struct il_text *t);

/*
 * Tokenizes text to be indexed: Chinese in search mode (long words also
 * yield their dictionary sub-words, colocated), English stemmed, stop words
 * flagged.  `text` must be valid UTF-8: IL_EENCODING names the byte offset
 * of the first invalid sequence and no token is produced.
 */
int il_text_tokenize_document(const struct il_text *t, const char *text, size_t len, il_token_fn fn,
			      void *ctx);

/*
 * Tokenizes a query: Chinese in precise mode, and each term's glossary
 * translations added at the same position with their (lower) weight, so a
 * Chinese query reaches English documents and the reverse.
 */
int il_text_tokenize_query(const struct il_text *t, const char *text, size_t len, il_token_fn fn,
			   void *ctx);

enum il_seg_mode {
	IL_SEG_PRECISE, /* one segmentation, for queries and display */
	IL_SEG_SEARCH, /* also the dictionary words inside long words */
};

/*
 * Segments text as written (no normalisation of what is reported): fn gets
 * each word and punctuation run with its byte offsets in `text`; kind and
 * offsets are set, term points into `text`.  This is what `innolink
 * segment` prints, one space between words.  IL_EENCODING as above.
 */
int il_text_segment(const struct il_text *t, const char *text, size_t len, enum il_seg_mode mode,
		    il_token_fn fn, void *ctx);

/*
 * Normalises text for matching: NFKC, case folding, full-width to
 * half-width, traditional to simplified Chinese.  Appends to `out`.
 * IL_EENCODING (byte offset of the first invalid sequence), IL_ENOMEM.
 */
int il_text_normalize(const struct il_text *t, const char *text, size_t len, struct il_buf *out);

/* Number of glossary pairs loaded (for stats and tests). */
size_t il_text_glossary_size(const struct il_text *t);

#endif
