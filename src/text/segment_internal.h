/*
 * segment_internal.h - what dict.c, segment.c and hmm.c share.
 *
 * struct il__dict is the mapped main dictionary (dict_format.h) plus the
 * user dictionaries' overlay; once il__dict_open() returns it is never
 * written again, so threads share it freely.  The inline lookups below are
 * the segmenter's inner loop: each is a bounds-checked array access.
 *
 * Overlay values (il_strmap): -1 absent, 0 a prefix of some user word only,
 * otherwise ((freq + 1) << 8) | tag, so a user word of frequency 0 (one the
 * user removed) is still told apart from a bare prefix.
 *
 * Depends on: base, dict_format.h.
 */
#ifndef IL_TEXT_SEGMENT_INTERNAL_H
#define IL_TEXT_SEGMENT_INTERNAL_H

#include "dict_format.h"
#include "text_internal.h"

#include <stdbool.h>

#define IL__TAG_NONE 0xFF /* a user word whose tag the main dictionary lacks */

struct il__dict {
	void *map;
	size_t map_len;
	const uint16_t *cmap; /* [65536] */
	const struct il__dict_bigchar *big;
	uint32_t nbig;
	const struct il__dict_slot *slots;
	uint32_t nslots;
	const struct il__dict_word *words;
	const uint8_t *wtags;
	uint32_t nwords;
	const char *strings;
	uint64_t strings_len;
	const char (*tags)[8];
	uint32_t ntags;
	const double *hmm_start; /* [4] */
	const double *hmm_trans; /* [4][4] */
	const double *hmm_emit; /* [4][ncodes] */
	uint32_t ncodes;
	double log_total;
	uint64_t total_freq;
	uint32_t max_chars;
	int tag_nr, tag_m, tag_mq, tag_t; /* indexes of these tags, or -1 */

	struct il_strmap user;
	uint64_t user_first[65536 / 64]; /* BMP code points that start a user word */
	bool user_first_big; /* some user word starts outside the BMP */
	size_t user_words;
};

/* Character code of a code point; 0 when the dictionary has no such
 * character (no word contains it and the HMM never saw it). */
static inline uint32_t il__dict_code(const struct il__dict *d, uint32_t cp)
{
	if (cp <= 0xFFFF)
		return d->cmap[cp];
	uint32_t lo = 0, hi = d->nbig;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (d->big[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nbig && d->big[lo].cp == cp ? d->big[lo].code : 0;
}

/* The trie node reached from node s by character code c, or -1. */
static inline int32_t il__dict_child(const struct il__dict *d, int32_t s, uint32_t c)
{
	uint32_t t = (uint32_t)d->slots[s].base + c;
	if (c == 0 || t >= d->nslots || d->slots[t].check != s)
		return -1;
	return (int32_t)t;
}

/* Index of the word that ends at node s, or -1. */
static inline int32_t il__dict_word_at(const struct il__dict *d, int32_t s)
{
	return d->slots[s].word;
}

static inline bool il__dict_user_starts(const struct il__dict *d, uint32_t cp)
{
	if (d->user_words == 0)
		return false;
	if (cp > 0xFFFF)
		return d->user_first_big;
	return (d->user_first[cp >> 6] >> (cp & 63)) & 1;
}

#define IL__USER_FREQ(v) ((uint64_t)((v) >> 8) - 1)
#define IL__USER_TAG(v) ((int)((v)&0xFF))

/* What the dictionaries say about one string. */
struct il__dict_entry {
	bool found; /* a word with frequency > 0 */
	bool user; /* ... from a user dictionary */
	double logp;
	uint64_t freq;
	int tag; /* index into the main dictionary's tags, or -1 */
};

/* Looks s up as a whole word: user dictionaries first (a user frequency
 * of 0 hides the main dictionary's word), then the main dictionary. */
void il__dict_lookup(const struct il__dict *d, const char *s, size_t len,
		     struct il__dict_entry *out);

/*
 * Viterbi over the B/M/E/S states of jieba's character HMM: states[i]
 * gets 0..3 (B M E S) for each of the n character codes.  `back` is
 * scratch of 4 * n bytes.  Ties resolve as jieba's max() over (prob,
 * state) tuples does, so the result is jieba's.
 */
void il__hmm_viterbi(const struct il__dict *d, const uint16_t *codes, size_t n, uint8_t *back,
		     uint8_t *states);

enum { IL__HMM_B, IL__HMM_M, IL__HMM_E, IL__HMM_S };

/*
 * The log-probability of the best segmentation of s (the same DAG and
 * dynamic programming as il_text_segment, without the HMM), used to give a
 * user word without a frequency just enough weight to be cut whole, as
 * jieba's suggest_freq does.  IL_ENOMEM.
 */
int il__seg_best_logp(const struct il__dict *d, const char *s, size_t len, double *out);

/* Offset of the first byte that is not part of valid UTF-8 (overlong
 * forms, surrogates and code points above U+10FFFF are invalid), or len. */
size_t il__seg_utf8_check(const char *s, size_t len);

#endif
