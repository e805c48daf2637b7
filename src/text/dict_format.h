/*
 * dict_format.h - the layout of the compiled main dictionary (main.dict).
 *
 * tools/mkdict.c writes this file at build time from jieba's dict.txt and
 * its HMM tables; src/text/dict.c maps it read-only and uses it in place,
 * without parsing.  docs/internals/text-segmentation.md describes it.
 *
 * Invariants: every section starts at a multiple of 8 bytes and lies inside
 * the file; everything is little-endian and addressed by offsets, never by
 * pointers; `checksum` covers every byte after the header.  The reader
 * checks all of that, and every index stored in the sections, before it
 * uses the file, so a corrupt or hostile file is IL_EFORMAT and never a
 * crash.  Depends on the C library only (it is shared with a host tool).
 */
#ifndef IL_TEXT_DICT_FORMAT_H
#define IL_TEXT_DICT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define IL__DICT_MAGIC "ILDICT1\n"
#define IL__DICT_VERSION 1u
#define IL__DICT_BYTE_ORDER 0x01020304u /* as the writing host stores it */

/* jieba's "impossible" log-probability of an HMM event it never saw; kept
 * finite (not -inf) so that sums compare the way jieba's do. */
#define IL__HMM_MIN_LOGP (-3.14e100)

/* The longest dictionary word mkdict accepts, in characters; the segmenter
 * never looks further ahead than this. */
#define IL__DICT_MAX_CHARS 64

enum il__dict_section {
	IL__SEC_CMAP_BMP, /* uint16_t[65536]: code of each BMP code point, 0 = none */
	IL__SEC_CMAP_BIG, /* struct il__dict_bigchar[nbig], sorted by cp */
	IL__SEC_SLOTS, /* struct il__dict_slot[nslots]: the double-array trie */
	IL__SEC_WORDS, /* struct il__dict_word[nwords], in code order */
	IL__SEC_WTAGS, /* uint8_t[nwords]: index into TAGS of each word's tag */
	IL__SEC_STRINGS, /* the words' UTF-8 text, each NUL-terminated */
	IL__SEC_TAGS, /* char[ntags][8]: part-of-speech names ("n", "nr", ...) */
	IL__SEC_HMM, /* double start[4], trans[4][4], emit[4][ncodes]; B M E S */
	IL__SEC__COUNT
};

struct il__dict_header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint64_t file_size;
	uint64_t checksum; /* il__dict_checksum() of bytes [sizeof header, file_size) */
	uint64_t total_freq; /* sum of every entry's frequency, as jieba counts it */
	double log_total; /* log(total_freq) */
	uint32_t nwords; /* entries with frequency > 0 */
	uint32_t nslots;
	uint32_t ncodes; /* character codes 0..ncodes-1; 0 is "not in the dictionary" */
	uint32_t nbig;
	uint32_t max_chars; /* longest word, in characters */
	uint32_t ntags;
	uint64_t sec_off[IL__SEC__COUNT];
	uint64_t sec_size[IL__SEC__COUNT];
};

struct il__dict_bigchar {
	uint32_t cp;
	uint32_t code;
};

/*
 * Double-array trie over character codes (Aoe 1989): the child of node s
 * for code c is t = base[s] + c when t < nslots and check[t] == s.  The
 * root is slot 0; a free slot has check == -1.  `word` is the index of the
 * word ending at this node, or -1 for a node that is only a prefix.
 */
struct il__dict_slot {
	int32_t base;
	int32_t check;
	int32_t word;
};

struct il__dict_word {
	double logp; /* log(freq) - log(total_freq) */
	uint32_t freq;
	uint32_t str; /* offset of the NUL-terminated text in STRINGS */
};

/*
 * FNV-1a, 64 bits, over the data taken as little-endian 64-bit words (the
 * tail zero-padded to a whole word): a corrupt byte anywhere changes it,
 * and it runs at memory speed on the ~20 MB file.
 */
static inline uint64_t il__dict_checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w = 0;
		for (unsigned k = 0; k < 8; k++)
			w |= (uint64_t)p[i + k] << (8 * k);
		h = (h ^ w) * 1099511628211ull;
	}
	if (i < n) {
		uint64_t w = 0;
		for (unsigned k = 0; i + k < n; k++)
			w |= (uint64_t)p[i + k] << (8 * k);
		h = (h ^ w) * 1099511628211ull;
	}
	return h;
}

#endif
