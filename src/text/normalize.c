/*
 * normalize.c - text normalisation for matching: UTF-8 validation, NFKC
 * with full case folding, full width to half width, traditional to
 * simplified Chinese.
 *
 * Latin text (everything but Han) goes through utf8proc with the options of
 * NFKC_Casefold (STABLE, COMPAT, COMPOSE, CASEFOLD, IGNORE: default
 * ignorables such as U+200B vanish) plus LUMP, which folds the dash, quote
 * and space variants onto ASCII so that "M10–3" and "M10-3" meet.  NFKC
 * already maps the full-width forms U+FF01..FF5E and the ideographic space
 * U+3000 to ASCII; CJK punctuation (。、「」) has no half-width equivalent in
 * Unicode (U+FF61 ｡ normalises the other way) and is kept.
 *
 * Han text is mapped character for character so that token offsets can be
 * carried back to the input: NFKC first (compatibility ideographs and
 * radicals become unified ideographs), then traditional -> simplified.
 * The conversion table is OpenCC's own t2s.json, asked once per process
 * for every ideograph (about 94,000 code points, ~70 ms) and kept as a
 * direct table for U+3400..U+9FFF plus a sorted list for the supplementary
 * planes.  A chunk that holds at least one traditional character is also
 * run through OpenCC as a whole, which applies its phrase table (乾燥 ->
 * 干燥 but 乾隆 stays); that result is used when it keeps the number of
 * characters, which it does for t2s phrases, else the table's.
 *
 * Invariants: the normaliser is shared by every analyzer of the process
 * and immutable once built, except the OpenCC handle, which OpenCC does
 * not document as thread-safe and is therefore used only under cc_lock.
 * Everything appended to an output buffer is valid UTF-8.
 *
 * Depends on: base, utf8proc, OpenCC (libopencc 1.1), pthreads.
 */
#include "text_internal.h"

#include <opencc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define NORM_OPTS                                                                                  \
	((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |                \
			     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_LUMP))

/* OpenCC finds a bare config name in its data directory; the absolute path
 * is where Debian's libopencc-data puts it, for builds whose OpenCC was
 * configured with another prefix. */
#define T2S_CONFIG "t2s.json"
#define T2S_CONFIG_DEBIAN "/usr/share/opencc/t2s.json"

/* The direct part of the table: Extension A and the URO, where all but a
 * few hundred of the ~4,100 traditional characters live. */
#define T2S_LO 0x3400
#define T2S_HI 0xA000

struct t2s_pair {
	uint32_t from, to;
};

struct il__normalizer {
	uint32_t *bmp; /* [cp - T2S_LO]: simplified code point, 0 = unchanged */
	struct t2s_pair *astral; /* sorted by from */
	size_t nastral, capastral;
	opencc_t cc; /* (opencc_t)-1 when not open */
	pthread_mutex_t cc_lock;
	bool lock_ok;
	unsigned long refs; /* under shared_lock */
};

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct il__normalizer *shared;

/* The code points asked of OpenCC: every block that holds ideographs it
 * converts (U+F900 compatibility ideographs are unified by NFKC first). */
static const struct {
	int32_t lo, hi;
} probe_ranges[] = {
	{0x3400, 0x9FFF}, /* Extension A, URO */
	{0x20000, 0x2EBEF}, /* Extensions B..F */
	{0x30000, 0x3134F}, /* Extension G */
};

bool il__utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		unsigned lo = 0x80, hi = 0xBF;
		size_t n;
		if (c < 0x80) {
			i++;
			continue;
		}
		/* Unicode table 3-7: the second byte's range is what rules out
		 * overlong forms (E0, F0), surrogates (ED) and > U+10FFFF (F4) */
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
		} else if (c == 0xE0) {
			n = 3;
			lo = 0xA0;
		} else if (c == 0xED) {
			n = 3;
			hi = 0x9F;
		} else if (c >= 0xE1 && c <= 0xEF) {
			n = 3;
		} else if (c == 0xF0) {
			n = 4;
			lo = 0x90;
		} else if (c == 0xF4) {
			n = 4;
			hi = 0x8F;
		} else if (c >= 0xF1 && c <= 0xF3) {
			n = 4;
		} else {
			goto invalid;
		}
		if (len - i < n || p[i + 1] < lo || p[i + 1] > hi)
			goto invalid;
		for (size_t k = 2; k < n; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				goto invalid;
		i += n;
	}
	return true;
invalid:
	*bad = i;
	return false;
}

bool il__is_han(int32_t cp)
{
	if (cp < 0x2E80)
		return false;
	if (cp >= 0x4E00 && cp <= 0x9FFF) /* the URO first: nearly every hit */
		return true;
	return (cp >= 0x3400 && cp <= 0x4DBF) || /* Extension A */
	       (cp >= 0x2E80 && cp <= 0x2FDF) || /* radicals, Kangxi radicals */
	       cp == 0x3005 || cp == 0x3007 || /* 々 iteration mark, 〇 zero */
	       (cp >= 0x3021 && cp <= 0x3029) || /* Hangzhou numerals */
	       (cp >= 0x3038 && cp <= 0x303B) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || /* compatibility ideographs */
	       (cp >= 0x20000 && cp <= 0x323AF); /* Extensions B..H, compat supplement */
}

static int32_t t2s(const struct il__normalizer *n, int32_t cp)
{
	if (cp >= T2S_LO && cp < T2S_HI) {
		uint32_t to = n->bmp[cp - T2S_LO];
		return to ? (int32_t)to : cp;
	}
	if (cp >= 0x20000 && n->nastral) {
		size_t lo = 0, hi = n->nastral;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (n->astral[mid].from < (uint32_t)cp)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n->nastral && n->astral[lo].from == (uint32_t)cp)
			return (int32_t)n->astral[lo].to;
	}
	return cp;
}

static int record_pair(struct il__normalizer *n, int32_t from, int32_t to)
{
	if (from >= T2S_LO && from < T2S_HI) {
		n->bmp[from - T2S_LO] = (uint32_t)to;
		return IL_OK;
	}
	if (n->nastral == n->capastral) {
		size_t cap = n->capastral ? n->capastral * 2 : 256, bytes;
		if (!il_size_mul(cap, sizeof(*n->astral), &bytes))
			return IL_ENOMEM;
		struct t2s_pair *p = il_realloc(n->astral, bytes);
		if (!p)
			return IL_ENOMEM;
		n->astral = p;
		n->capastral = cap;
	}
	/* probed in ascending order, so the list stays sorted */
	n->astral[n->nastral].from = (uint32_t)from;
	n->astral[n->nastral].to = (uint32_t)to;
	n->nastral++;
	return IL_OK;
}

static int add_cp(struct il_buf *b, int32_t cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
	return il_buf_add(b, tmp, (size_t)n);
}

static void destroy(struct il__normalizer *n)
{
	if (n->cc != (opencc_t)-1)
		opencc_close(n->cc);
	if (n->lock_ok)
		pthread_mutex_destroy(&n->cc_lock);
	free(n->bmp);
	free(n->astral);
	free(n);
}

/* Asks OpenCC for every probed ideograph, one per line (a line break ends
 * any phrase, so each is converted on its own), and keeps those it
 * changes into exactly one other character. */
static int build_table(struct il__normalizer *n)
{
	struct il_buf in;
	char *conv = NULL;
	int rc = IL_OK;
	il_buf_init(&in, 0);
	for (size_t r = 0; r < sizeof(probe_ranges) / sizeof(probe_ranges[0]) && !rc; r++)
		for (int32_t cp = probe_ranges[r].lo; cp <= probe_ranges[r].hi && !rc; cp++)
			if ((rc = add_cp(&in, cp)) == IL_OK)
				rc = il_buf_addc(&in, '\n');
	if (rc)
		goto done;
	conv = opencc_convert_utf8(n->cc, in.ptr, in.len);
	if (!conv) {
		rc = il_error_set(IL_EIO, "OpenCC t2s conversion failed: %s", opencc_error());
		goto done;
	}
	const char *p = conv, *end = conv + strlen(conv);
	for (size_t r = 0; r < sizeof(probe_ranges) / sizeof(probe_ranges[0]) && !rc; r++) {
		for (int32_t cp = probe_ranges[r].lo; cp <= probe_ranges[r].hi && !rc; cp++) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t linelen, bad;
			int32_t to;
			if (!nl) {
				rc = il_error_set(IL_EIO, "OpenCC t2s: output ends early at U+%04X",
						  (unsigned)cp);
				break;
			}
			linelen = (size_t)(nl - p);
			if (linelen > 0 && linelen <= 4 && il__utf8_valid(p, linelen, &bad) &&
			    il__utf8_next(p, 0, &to) == linelen && to != cp)
				rc = record_pair(n, cp, to);
			p = nl + 1;
		}
	}
done:
	if (conv)
		opencc_convert_utf8_free(conv);
	il_buf_release(&in);
	return rc;
}

static int build(struct il__normalizer **out)
{
	struct il__normalizer *n = il_calloc(1, sizeof(*n));
	int rc;
	if (!n)
		return IL_ENOMEM;
	n->cc = (opencc_t)-1;
	if (!(n->bmp = il_calloc(T2S_HI - T2S_LO, sizeof(*n->bmp)))) {
		rc = IL_ENOMEM;
		goto fail;
	}
	if (pthread_mutex_init(&n->cc_lock, NULL) != 0) {
		rc = il_error_set(IL_ENOMEM, "cannot create the OpenCC lock");
		goto fail;
	}
	n->lock_ok = true;
	n->cc = opencc_open(T2S_CONFIG);
	if (n->cc == (opencc_t)-1)
		n->cc = opencc_open(T2S_CONFIG_DEBIAN);
	if (n->cc == (opencc_t)-1) {
		rc = il_error_set(IL_EIO, "cannot open the OpenCC configuration %s (%s): %s",
				  T2S_CONFIG, T2S_CONFIG_DEBIAN, opencc_error());
		goto fail;
	}
	if ((rc = build_table(n)) != IL_OK)
		goto fail;
	*out = n;
	return IL_OK;
fail:
	destroy(n);
	return rc;
}

int il__norm_open(struct il__normalizer **out)
{
	int rc = IL_OK;
	pthread_mutex_lock(&shared_lock);
	if (!shared)
		rc = build(&shared);
	if (rc == IL_OK) {
		shared->refs++;
		*out = shared;
	}
	pthread_mutex_unlock(&shared_lock);
	return rc;
}

void il__norm_close(struct il__normalizer *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&shared_lock);
	if (--n->refs == 0) {
		if (shared == n)
			shared = NULL;
		destroy(n);
	}
	pthread_mutex_unlock(&shared_lock);
}

void il__u32buf_release(struct il__u32buf *b)
{
	free(b->p);
	b->p = NULL;
	b->cap = 0;
}

static int u32_reserve(struct il__u32buf *b, size_t n)
{
	size_t cap, bytes;
	if (n <= b->cap)
		return IL_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < n)
		if (!il_size_mul(cap, 2, &cap))
			return IL_ENOMEM;
	if (!il_size_mul(cap, sizeof(*b->p), &bytes))
		return IL_ENOMEM;
	int32_t *p = il_realloc(b->p, bytes);
	if (!p)
		return IL_ENOMEM;
	b->p = p;
	b->cap = cap;
	return IL_OK;
}

int il__norm_latin(struct il__u32buf *u, const char *s, size_t len, struct il_buf *out)
{
	utf8proc_ssize_t need, bytes;
	size_t i;
	int rc;
	for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == len) {
		/* ASCII: NFKC_Casefold is lower-casing, and IGNORE and LUMP
		 * touch nothing below U+0080 */
		if ((rc = il_buf_grow(out, len)) != IL_OK)
			return rc;
		for (i = 0; i < len; i++) {
			char c = s[i];
			out->ptr[out->len + i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		}
		out->len += len;
		out->ptr[out->len] = '\0';
		return IL_OK;
	}
	if (len > (size_t)PTRDIFF_MAX / 8)
		return il_error_set(IL_ETOOBIG, "text of %zu bytes is too long to normalise", len);
	if ((rc = u32_reserve(u, len + 1)) != IL_OK)
		return rc;
	for (;;) {
		need = utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
						 u->p, (utf8proc_ssize_t)u->cap, NORM_OPTS, NULL,
						 NULL);
		if (need < 0)
			return il_error_set(IL_EENCODING, "cannot normalise: %s",
					    utf8proc_errmsg(need));
		/* utf8proc_reencode() wants one code point of room beyond the
		 * input to terminate the UTF-8 it writes over the buffer */
		if ((size_t)need < u->cap)
			break;
		if ((rc = u32_reserve(u, (size_t)need + 1)) != IL_OK)
			return rc;
	}
	if (need == 0)
		return IL_OK;
	bytes = utf8proc_reencode(u->p, need, NORM_OPTS);
	if (bytes < 0)
		return il_error_set(IL_EENCODING, "cannot normalise: %s", utf8proc_errmsg(bytes));
	return il_buf_add(out, u->p, (size_t)bytes);
}

void il__hanmap_release(struct il__hanmap *m)
{
	free(m->orig);
	free(m->norm);
	m->orig = m->norm = NULL;
	m->n = m->cap = 0;
	il_buf_release(&m->tmp);
}

static int map_push(struct il__hanmap *m, size_t k, size_t orig, size_t norm)
{
	if (k >= m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024, bytes;
		if (!il_size_mul(cap, sizeof(uint32_t), &bytes))
			return IL_ENOMEM;
		uint32_t *o = il_realloc(m->orig, bytes);
		if (!o)
			return IL_ENOMEM;
		m->orig = o;
		uint32_t *nn = il_realloc(m->norm, bytes);
		if (!nn)
			return IL_ENOMEM;
		m->norm = nn;
		m->cap = cap;
	}
	/* chunks are at most IL__HAN_CHUNK bytes (and a character at most
	 * doubles), so both offsets fit in 32 bits */
	m->orig[k] = (uint32_t)orig;
	m->norm[k] = (uint32_t)norm;
	return IL_OK;
}

size_t il__hanmap_orig(const struct il__hanmap *m, size_t norm)
{
	size_t lo = 0, hi = m->n + 1;
	if (!m->orig)
		return 0;
	/* the last entry whose normalised offset is <= norm */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->norm[mid] <= norm)
			lo = mid;
		else
			hi = mid;
	}
	return m->orig[lo];
}

static bool needs_nfkc(int32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x2F800 && cp <= 0x2FA1F);
}

static size_t count_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* The chunk's NFKC text in m->tmp goes through OpenCC whole; true when the
 * result replaced it in out (same number of characters). */
static bool convert_phrases(const struct il__normalizer *cn, struct il__hanmap *m,
			    struct il_buf *out, int *rc)
{
	/* the lock is the one mutable part of the shared normaliser */
	struct il__normalizer *n = (struct il__normalizer *)cn;
	char *conv;
	size_t clen, bad, j = 0;
	bool used = false;
	if (n->cc == (opencc_t)-1)
		return false;
	pthread_mutex_lock(&n->cc_lock);
	conv = opencc_convert_utf8(n->cc, m->tmp.ptr, m->tmp.len);
	pthread_mutex_unlock(&n->cc_lock);
	if (!conv)
		return false;
	clen = strlen(conv);
	if (il__utf8_valid(conv, clen, &bad) && count_chars(conv, clen) == m->n) {
		used = true;
		if ((*rc = il_buf_add(out, conv, clen)) == IL_OK) {
			for (size_t k = 0; k < m->n; k++) {
				int32_t cp;
				m->norm[k] = (uint32_t)j;
				j += il__utf8_next(conv, j, &cp);
			}
			m->norm[m->n] = (uint32_t)clen;
		}
	}
	opencc_convert_utf8_free(conv);
	return used;
}

int il__norm_han(const struct il__normalizer *n, const char *s, size_t len, struct il_buf *out,
		 struct il__hanmap *m)
{
	size_t i = 0, k = 0;
	bool trad = false;
	int rc;
	if (len > IL__HAN_CHUNK)
		return il_error_set(IL_ETOOBIG, "Han chunk of %zu bytes", len);
	il_buf_reset(out);
	il_buf_reset(&m->tmp);
	while (i < len) {
		int32_t cp, d[4];
		size_t clen = il__utf8_next(s, i, &cp);
		if ((rc = map_push(m, k, i, m->tmp.len)) != IL_OK)
			return rc;
		if (needs_nfkc(cp) && utf8proc_decompose_char(cp, d, 4, NORM_OPTS, NULL) == 1)
			cp = d[0]; /* one ideograph for one: offsets stay per character */
		if ((rc = add_cp(&m->tmp, cp)) != IL_OK)
			return rc;
		trad = trad || t2s(n, cp) != cp;
		i += clen;
		k++;
	}
	if ((rc = map_push(m, k, len, m->tmp.len)) != IL_OK)
		return rc;
	m->n = k;
	if (!trad)
		return il_buf_add(out, m->tmp.ptr, m->tmp.len);
	if (convert_phrases(n, m, out, &rc))
		return rc;
	for (k = 0; k < m->n; k++) {
		int32_t cp;
		il__utf8_next(m->tmp.ptr, m->norm[k], &cp);
		m->norm[k] = (uint32_t)out->len;
		if ((rc = add_cp(out, t2s(n, cp))) != IL_OK)
			return rc;
	}
	m->norm[m->n] = (uint32_t)out->len;
	return IL_OK;
}

size_t il__han_run_end(const char *s, size_t len, size_t i)
{
	size_t start = i;
	while (i < len) {
		int32_t cp;
		size_t n = il__utf8_next(s, i, &cp);
		if (!il__is_han(cp) || i - start + n > IL__HAN_CHUNK)
			break;
		i += n;
	}
	return i;
}

/* The end of the next piece of non-Han text to normalise in one go.
 * Pieces end before a Han character; past 1 KiB they end before an ASCII
 * character (no ASCII character reorders or composes with what precedes
 * it), past 64 KiB before any starter, and after 30 non-starters in a row
 * whatever comes (UAX #15's stream-safe limit), so that utf8proc's
 * reordering, quadratic in a run of marks, stays bounded. */
static size_t latin_piece_end(const char *s, size_t len, size_t i)
{
	size_t start = i, marks = 0;
	while (i < len) {
		int32_t cp;
		size_t n = il__utf8_next(s, i, &cp), used = i - start;
		if (cp < 0x80) {
			if (used >= 1024)
				break;
			marks = 0;
		} else {
			if (il__is_han(cp))
				break;
			if (utf8proc_get_property(cp)->combining_class == 0) {
				if (used >= 64 * 1024)
					break;
				marks = 0;
			} else if (++marks > 30) {
				break;
			}
		}
		i += n;
	}
	return i;
}

void il__norm_scratch_init(struct il__norm_scratch *s)
{
	s->u.p = NULL;
	s->u.cap = 0;
	il_buf_init(&s->han, 0);
	s->map.orig = s->map.norm = NULL;
	s->map.n = s->map.cap = 0;
	il_buf_init(&s->map.tmp, 0);
}

void il__norm_scratch_release(struct il__norm_scratch *s)
{
	il__u32buf_release(&s->u);
	il_buf_release(&s->han);
	il__hanmap_release(&s->map);
}

int il__normalize(const struct il__normalizer *n, struct il__norm_scratch *s, const char *text,
		  size_t len, struct il_buf *out)
{
	size_t i = 0;
	int rc = IL_OK;
	while (i < len && rc == IL_OK) {
		int32_t cp;
		size_t j;
		il__utf8_next(text, i, &cp);
		if (il__is_han(cp)) {
			j = il__han_run_end(text, len, i);
			if ((rc = il__norm_han(n, text + i, j - i, &s->han, &s->map)) == IL_OK)
				rc = il_buf_add(out, s->han.ptr, s->han.len);
		} else {
			j = latin_piece_end(text, len, i);
			rc = il__norm_latin(&s->u, text + i, j - i, out);
		}
		i = j;
	}
	return rc;
}

int il_text_normalize(const struct il_text *t, const char *text, size_t len, struct il_buf *out)
{
	struct il__norm_scratch s;
	size_t bad;
	int rc;
	if (!t || !out || (!text && len))
		return il_error_set(IL_EINVAL, "il_text_normalize: no analyzer, text or buffer");
	if (!il__utf8_valid(text, len, &bad))
		return il_error_set(IL_EENCODING, "invalid UTF-8 at byte %zu", bad);
	il__norm_scratch_init(&s);
	rc = il__normalize(t->norm, &s, text, len, out);
	il__norm_scratch_release(&s);
	return rc;
}
