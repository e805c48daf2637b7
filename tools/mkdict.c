/*
 * mkdict.c - compiles jieba's word list and HMM tables into main.dict.
 *
 *   mkdict DICT.TXT PROB_START.PY PROB_TRANS.PY PROB_EMIT.PY OUT.DICT
 *
 * DICT.TXT has "word freq [tag]" lines (UTF-8).  The three .py files are
 * jieba's finalseg parameters, Python dict literals of log-probabilities;
 * a small literal parser below reads them, so the build needs no Python.
 * The output layout is src/text/dict_format.h: a header, a character code
 * map, a double-array trie over the codes (the prefix structure the
 * segmenter walks to build its DAG), the word table with log-probabilities
 * and the HMM tables, all addressed by offsets so the library maps the file
 * and uses it in place.
 *
 * Invariants: the output is written to OUT.tmp and renamed, so a failed or
 * interrupted run never leaves a half-written dictionary behind; entries
 * are counted into the total as jieba counts them (every line, duplicates
 * included), and the last line of a duplicated word wins.  A host tool
 * built and run at build time: it depends on the C library only, and the
 * format header it shares with src/text/dict.c.
 */
#include "text/dict_format.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT (256u << 20) /* no input file of ours comes near this */

struct entry {
	const char *word; /* into the dict.txt buffer */
	uint32_t len;
	uint32_t line; /* later lines win over earlier duplicates */
	uint64_t freq;
	uint32_t tag;
	uint32_t *codes;
	uint32_t nchars;
	int32_t id; /* word index, -1 for a zero-frequency (prefix only) entry */
};

struct charinfo {
	uint32_t cp;
	uint64_t count;
};

struct trie {
	int32_t *base, *check, *word;
	uint32_t *nextfree; /* union-find: smallest free slot >= i */
	size_t cap, used_max;
	size_t multi_from; /* where searches for nodes with several children begin */
};

static const char *prog = "mkdict";

#ifdef __GNUC__
__attribute__((format(printf, 1, 2)))
#endif
static int
fail(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return fail("cannot open %s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			char *p;
			if (cap >= MAX_INPUT) {
				free(buf);
				fclose(f);
				return fail("%s: larger than %u bytes", path, MAX_INPUT);
			}
			cap = cap ? cap * 2 : 1u << 20;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				fclose(f);
				return fail("%s: out of memory reading %zu bytes", path, cap);
			}
			buf = p;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return fail("cannot read %s: %s", path, strerror(errno));
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* Strict UTF-8 decoding: no overlong forms, no surrogates, nothing above
 * U+10FFFF.  Returns the sequence length, 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] >= 0xE0 && s[0] <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		uint32_t c = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
			     (s[2] & 0x3F);
		if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		*cp = c;
		return 3;
	}
	if (s[0] >= 0xF0 && s[0] <= 0xF4 && n >= 4 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
		uint32_t c = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
			     ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		if (c < 0x10000 || c > 0x10FFFF)
			return 0;
		*cp = c;
		return 4;
	}
	return 0;
}

struct tagset {
	char name[255][8];
	uint32_t n;
};

static int tag_index(struct tagset *ts, const char *s, size_t len, uint32_t *out)
{
	if (len > 7)
		return -1;
	for (uint32_t i = 0; i < ts->n; i++)
		if (strlen(ts->name[i]) == len && memcmp(ts->name[i], s, len) == 0) {
			*out = i;
			return 0;
		}
	if (ts->n == 255)
		return -1;
	memcpy(ts->name[ts->n], s, len);
	ts->name[ts->n][len] = '\0';
	*out = ts->n++;
	return 0;
}

static int parse_words(const char *path, char *buf, size_t len, struct tagset *ts,
		       struct entry **out, size_t *nout, uint64_t *total)
{
	struct entry *e = NULL;
	size_t n = 0, cap = 0;
	uint32_t line = 0;
	char *p = buf, *end = buf + len;
	*total = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
		char *f[4];
		size_t fl[4], nf = 0;
		line++;
		if (eol > p && eol[-1] == '\r')
			eol--;
		for (char *q = p; q < eol && nf < 4;) {
			char *sp = memchr(q, ' ', (size_t)(eol - q));
			char *fe = sp ? sp : eol;
			if (fe > q) {
				f[nf] = q;
				fl[nf++] = (size_t)(fe - q);
			}
			q = fe + 1;
		}
		p = nl ? nl + 1 : end;
		if (nf == 0)
			continue;
		if (nf < 2 || nf > 3 || fl[0] > 255)
			return fail("%s:%u: expected 'word freq [tag]'", path, line);
		uint64_t freq = 0;
		for (size_t i = 0; i < fl[1]; i++) {
			if (f[1][i] < '0' || f[1][i] > '9' || freq > UINT32_MAX)
				return fail("%s:%u: frequency is not a number below 2^32", path,
					    line);
			freq = freq * 10 + (uint64_t)(f[1][i] - '0');
		}
		if (freq > UINT32_MAX)
			return fail("%s:%u: frequency is not a number below 2^32", path, line);
		if (n == cap) {
			cap = cap ? cap * 2 : 1u << 16;
			struct entry *ne = realloc(e, cap * sizeof(*e));
			if (!ne) {
				free(e);
				return fail("%s:%u: out of memory", path, line);
			}
			e = ne;
		}
		memset(&e[n], 0, sizeof(e[n]));
		e[n].word = f[0];
		e[n].len = (uint32_t)fl[0];
		e[n].line = line;
		e[n].freq = freq;
		if (tag_index(ts, nf == 3 ? f[2] : "", nf == 3 ? fl[2] : 0, &e[n].tag) != 0) {
			free(e);
			return fail("%s:%u: tag longer than 7 bytes or more than 255 tags", path,
				    line);
		}
		*total += freq;
		n++;
		*out = e; /* so the caller frees it on the errors below */
		*nout = n;
	}
	*out = e;
	*nout = n;
	return 0;
}

static int cmp_entry_text(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t m = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->word, y->word, m);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_entry_codes(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	uint32_t m = x->nchars < y->nchars ? x->nchars : y->nchars;
	for (uint32_t i = 0; i < m; i++)
		if (x->codes[i] != y->codes[i])
			return x->codes[i] < y->codes[i] ? -1 : 1;
	return x->nchars < y->nchars ? -1 : x->nchars > y->nchars;
}

struct pyparse {
	const char *path, *begin, *p, *end;
	double start[4], trans[4][4];
	double *emit[4]; /* by code point, NaN = absent; 0x110000 entries each */
};

static int state_index(uint32_t cp)
{
	switch (cp) {
	case 'B':
		return 0;
	case 'M':
		return 1;
	case 'E':
		return 2;
	case 'S':
		return 3;
	default:
		return -1;
	}
}

static void py_skip(struct pyparse *pp)
{
	while (pp->p < pp->end) {
		char c = *pp->p;
		if (c == '#') {
			while (pp->p < pp->end && *pp->p != '\n')
				pp->p++;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			pp->p++;
		} else {
			break;
		}
	}
}

static int py_error(struct pyparse *pp, const char *what)
{
	return fail("%s: byte %ld: %s", pp->path, (long)(pp->p - pp->begin), what);
}

/* A one-character string literal ('B', '\u4e00', "x"): its code point. */
static int py_char(struct pyparse *pp, uint32_t *cp)
{
	char q;
	py_skip(pp);
	if (pp->p >= pp->end || (*pp->p != '\'' && *pp->p != '"'))
		return py_error(pp, "expected a string");
	q = *pp->p++;
	if (pp->p < pp->end && *pp->p == '\\') {
		unsigned digits = 0;
		pp->p++;
		if (pp->p < pp->end && *pp->p == 'u')
			digits = 4;
		else if (pp->p < pp->end && *pp->p == 'U')
			digits = 8;
		if (digits) {
			uint32_t v = 0;
			pp->p++;
			for (unsigned i = 0; i < digits; i++, pp->p++) {
				char c = pp->p < pp->end ? *pp->p : 0;
				int d = c >= '0' && c <= '9'   ? c - '0'
					: c >= 'a' && c <= 'f' ? c - 'a' + 10
					: c >= 'A' && c <= 'F' ? c - 'A' + 10
							       : -1;
				if (d < 0)
					return py_error(pp, "bad \\u escape");
				v = v * 16 + (uint32_t)d;
			}
			*cp = v;
		} else if (pp->p < pp->end) {
			*cp = (unsigned char)*pp->p++;
		}
	} else {
		size_t n = utf8_decode((const unsigned char *)pp->p, (size_t)(pp->end - pp->p), cp);
		if (n == 0)
			return py_error(pp, "invalid UTF-8");
		pp->p += n;
	}
	if (*cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return py_error(pp, "not a Unicode scalar value");
	if (pp->p >= pp->end || *pp->p != q)
		return py_error(pp, "expected a one-character string");
	pp->p++;
	return 0;
}

static int py_expect(struct pyparse *pp, char c)
{
	py_skip(pp);
	if (pp->p >= pp->end || *pp->p != c) {
		char msg[32];
		snprintf(msg, sizeof(msg), "expected '%c'", c);
		return py_error(pp, msg);
	}
	pp->p++;
	return 0;
}

static int py_number(struct pyparse *pp, double *v)
{
	char *e;
	py_skip(pp);
	errno = 0;
	*v = strtod(pp->p, &e);
	if (e == pp->p || e > pp->end || !isfinite(*v))
		return py_error(pp, "expected a number");
	pp->p = e;
	return 0;
}

/* Does a ',' come next (then consumes it) before the closing brace? */
static bool py_more(struct pyparse *pp)
{
	py_skip(pp);
	if (pp->p < pp->end && *pp->p == ',') {
		pp->p++;
		py_skip(pp);
	}
	return pp->p < pp->end && *pp->p != '}';
}

/*
 * Reads "P = {...}" where the value nests `depth` dicts (1: state ->
 * number; 2: state -> key -> number) and stores each number through store().
 */
static int py_table(struct pyparse *pp, int depth,
		    int (*store)(struct pyparse *, int, uint32_t, double))
{
	const char *eq = strstr(pp->p, "P=");
	const char *eq2 = strstr(pp->p, "P =");
	if (!eq || (eq2 && eq2 < eq))
		eq = eq2;
	if (!eq)
		return py_error(pp, "no 'P =' assignment");
	pp->p = strchr(eq, '=') + 1;
	if (py_expect(pp, '{'))
		return 1;
	while (py_more(pp)) {
		uint32_t scp, kcp = 0;
		double v;
		int s;
		if (py_char(pp, &scp) || py_expect(pp, ':'))
			return 1;
		if ((s = state_index(scp)) < 0)
			return py_error(pp, "state is not one of B, M, E, S");
		if (depth == 1) {
			if (py_number(pp, &v) || store(pp, s, 0, v))
				return 1;
			continue;
		}
		if (py_expect(pp, '{'))
			return 1;
		while (py_more(pp)) {
			if (py_char(pp, &kcp) || py_expect(pp, ':') || py_number(pp, &v) ||
			    store(pp, s, kcp, v))
				return 1;
		}
		if (py_expect(pp, '}'))
			return 1;
	}
	return py_expect(pp, '}');
}

static int store_start(struct pyparse *pp, int s, uint32_t k, double v)
{
	(void)k;
	pp->start[s] = v;
	return 0;
}

static int store_trans(struct pyparse *pp, int s, uint32_t k, double v)
{
	int t = state_index(k);
	if (t < 0)
		return py_error(pp, "transition to a state that is not B, M, E, S");
	pp->trans[s][t] = v;
	return 0;
}

static int store_emit(struct pyparse *pp, int s, uint32_t k, double v)
{
	pp->emit[s][k] = v;
	return 0;
}

static int parse_py(struct pyparse *pp, const char *path, char *buf, size_t len, int depth,
		    int (*store)(struct pyparse *, int, uint32_t, double))
{
	pp->path = path;
	pp->begin = pp->p = buf;
	pp->end = buf + len;
	return py_table(pp, depth, store);
}

static uint32_t nf_find(struct trie *t, size_t i)
{
	size_t r = i;
	while (t->nextfree[r] != r)
		r = t->nextfree[r];
	while (t->nextfree[i] != r) {
		size_t nx = t->nextfree[i];
		t->nextfree[i] = (uint32_t)r;
		i = nx;
	}
	return (uint32_t)r;
}

/* Makes room for slot `need` and keeps the slot after it free, so the
 * "next free" chain always ends inside the arrays. */
static int trie_grow(struct trie *t, size_t need)
{
	size_t cap = t->cap ? t->cap : 1u << 20;
	while (cap <= need + 1)
		cap *= 2;
	if (cap == t->cap)
		return 0;
	if (cap > (size_t)INT32_MAX)
		return fail("trie: more than %d slots", INT32_MAX);
	int32_t *b = realloc(t->base, cap * sizeof(*b));
	if (b)
		t->base = b;
	int32_t *c = realloc(t->check, cap * sizeof(*c));
	if (c)
		t->check = c;
	int32_t *w = realloc(t->word, cap * sizeof(*w));
	if (w)
		t->word = w;
	uint32_t *nf = realloc(t->nextfree, cap * sizeof(*nf));
	if (nf)
		t->nextfree = nf;
	if (!b || !c || !w || !nf)
		return fail("trie: out of memory at %zu slots", cap);
	for (size_t i = t->cap; i < cap; i++) {
		t->base[i] = 0;
		t->check[i] = -1;
		t->word[i] = -1;
		t->nextfree[i] = (uint32_t)i;
	}
	t->cap = cap;
	return 0;
}

/*
 * Places the children of node s: the smallest base b >= 1 such that every
 * slot b + code is free.  Candidates come from the "next free slot"
 * union-find over the smallest child code, so the search skips filled
 * stretches instead of probing them one slot at a time.
 */
static int trie_place(struct trie *t, int32_t s, const uint32_t *codes, size_t k)
{
	if (k == 0)
		return 0;
	size_t span = codes[k - 1] - codes[0], p = (size_t)codes[0] + 1, probes = 0;
	if (k > 1 && p < t->multi_from)
		p = t->multi_from;
	if (trie_grow(t, p))
		return 1;
	for (;; probes++) {
		p = nf_find(t, p);
		if (trie_grow(t, p + span))
			return 1;
		size_t b = p - codes[0];
		bool ok = true;
		for (size_t i = 1; i < k && ok; i++)
			ok = t->check[b + codes[i]] == -1;
		if (ok) {
			/* the free slots a long search stepped over are holes that
			 * only single children fill: later searches for several
			 * children skip them (darts-clone closes such blocks) */
			if (k > 1 && probes > 32768)
				t->multi_from = p;
			t->base[s] = (int32_t)b;
			for (size_t i = 0; i < k; i++) {
				size_t x = b + codes[i];
				t->check[x] = s;
				t->nextfree[x] = (uint32_t)(x + 1);
				if (x + 1 > t->used_max)
					t->used_max = x + 1;
			}
			return 0;
		}
		p++;
	}
}

/* Builds the subtree of node s over entries [lo, hi), which share their
 * first `depth` codes. */
static int trie_build(struct trie *t, struct entry *e, size_t lo, size_t hi, uint32_t depth,
		      int32_t s)
{
	uint32_t *codes;
	size_t k = 0;
	if (lo < hi && e[lo].nchars == depth) {
		t->word[s] = e[lo].id;
		lo++;
	}
	if (lo == hi)
		return 0;
	for (size_t i = lo; i < hi; i++)
		if (i == lo || e[i - 1].codes[depth] != e[i].codes[depth])
			k++;
	if (!(codes = malloc(k * sizeof(*codes))))
		return fail("trie: out of memory (%zu children)", k);
	k = 0;
	for (size_t i = lo; i < hi; i++)
		if (k == 0 || codes[k - 1] != e[i].codes[depth])
			codes[k++] = e[i].codes[depth];
	int rc = trie_place(t, s, codes, k);
	free(codes);
	if (rc)
		return 1;
	int32_t b = t->base[s];
	for (size_t i = lo; i < hi;) {
		size_t j = i;
		uint32_t c = e[i].codes[depth];
		while (j < hi && e[j].codes[depth] == c)
			j++;
		if (trie_build(t, e, i, j, depth + 1, b + (int32_t)c))
			return 1;
		i = j;
	}
	return 0;
}

static int cmp_char(const void *a, const void *b)
{
	const struct charinfo *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->cp < y->cp ? -1 : x->cp > y->cp;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

int main(int argc, char **argv)
{
	struct pyparse pp;
	struct tagset ts;
	struct trie t;
	struct entry *e = NULL;
	struct charinfo *chars = NULL;
	uint32_t *code_of = NULL, *codebuf = NULL;
	char *dict = NULL, *pstart = NULL, *ptrans = NULL, *pemit = NULL;
	unsigned char *out = NULL;
	char tmp[4096];
	size_t dict_len, ls, lt, le, n = 0, m = 0, nchars = 0, ncodes;
	uint64_t total;
	int rc = 1;
	FILE *f = NULL;

	memset(&pp, 0, sizeof(pp));
	memset(&ts, 0, sizeof(ts));
	memset(&t, 0, sizeof(t));
	if (argc != 6) {
		fprintf(stderr,
			"usage: %s DICT.TXT PROB_START.PY PROB_TRANS.PY PROB_EMIT.PY "
			"OUT.DICT\n",
			prog);
		return 2;
	}
	if (read_file(argv[1], &dict, &dict_len) || read_file(argv[2], &pstart, &ls) ||
	    read_file(argv[3], &ptrans, &lt) || read_file(argv[4], &pemit, &le))
		goto cleanup;

	/* HMM: absent events are jieba's MIN_FLOAT */
	for (int s = 0; s < 4; s++) {
		pp.start[s] = IL__HMM_MIN_LOGP;
		for (int u = 0; u < 4; u++)
			pp.trans[s][u] = IL__HMM_MIN_LOGP;
		if (!(pp.emit[s] = malloc(0x110000 * sizeof(double)))) {
			fail("HMM tables: out of memory");
			goto cleanup;
		}
		for (size_t c = 0; c < 0x110000; c++)
			pp.emit[s][c] = NAN;
	}
	if (parse_py(&pp, argv[2], pstart, ls, 1, store_start) ||
	    parse_py(&pp, argv[3], ptrans, lt, 2, store_trans) ||
	    parse_py(&pp, argv[4], pemit, le, 2, store_emit))
		goto cleanup;

	if (tag_index(&ts, "", 0, &(uint32_t){0}) ||
	    parse_words(argv[1], dict, dict_len, &ts, &e, &n, &total))
		goto cleanup;
	if (n == 0 || total == 0) {
		fail("%s: no words", argv[1]);
		goto cleanup;
	}

	/* duplicates: the last line wins (as in jieba's dict) */
	qsort(e, n, sizeof(*e), cmp_entry_text);
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && e[m - 1].len == e[i].len &&
		    memcmp(e[m - 1].word, e[i].word, e[i].len) == 0)
			e[m - 1] = e[i];
		else
			e[m++] = e[i];
	}
	n = m;

	/* characters: codes by descending use, so the common ones sit close
	 * together at the front of the trie */
	if (!(code_of = calloc(0x110000, sizeof(*code_of))) ||
	    !(codebuf = malloc(dict_len * sizeof(*codebuf) + 4))) {
		fail("character table: out of memory");
		goto cleanup;
	}
	{
		uint64_t *count = calloc(0x110000, sizeof(*count));
		size_t used = 0;
		if (!count) {
			fail("character table: out of memory");
			goto cleanup;
		}
		for (size_t i = 0; i < n; i++) {
			const unsigned char *w = (const unsigned char *)e[i].word;
			uint32_t cp;
			e[i].codes = codebuf + used;
			for (size_t j = 0; j < e[i].len;) {
				size_t k = utf8_decode(w + j, e[i].len - j, &cp);
				if (k == 0) {
					free(count);
					fail("%s:%u: invalid UTF-8 in the word", argv[1],
					     e[i].line);
					goto cleanup;
				}
				j += k;
				count[cp]++;
				codebuf[used++] = cp;
				e[i].nchars++;
			}
			if (e[i].nchars > IL__DICT_MAX_CHARS) {
				free(count);
				fail("%s:%u: word longer than %d characters", argv[1], e[i].line,
				     IL__DICT_MAX_CHARS);
				goto cleanup;
			}
		}
		for (uint32_t cp = 0; cp < 0x110000; cp++) {
			bool in_emit = false;
			for (int s = 0; s < 4; s++)
				in_emit |= !isnan(pp.emit[s][cp]);
			if (count[cp] || in_emit)
				nchars++;
		}
		if (!(chars = malloc((nchars + 1) * sizeof(*chars)))) {
			free(count);
			fail("character table: out of memory");
			goto cleanup;
		}
		nchars = 0;
		for (uint32_t cp = 0; cp < 0x110000; cp++) {
			bool in_emit = false;
			for (int s = 0; s < 4; s++)
				in_emit |= !isnan(pp.emit[s][cp]);
			if (count[cp] || in_emit) {
				chars[nchars].cp = cp;
				chars[nchars++].count = count[cp];
			}
		}
		free(count);
	}
	qsort(chars, nchars, sizeof(*chars), cmp_char);
	ncodes = nchars + 1;
	if (ncodes > 65535) {
		fail("%s: %zu distinct characters, more than 65534", argv[1], nchars);
		goto cleanup;
	}
	for (size_t i = 0; i < nchars; i++)
		code_of[chars[i].cp] = (uint32_t)(i + 1);
	for (size_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < e[i].nchars; j++)
			e[i].codes[j] = code_of[e[i].codes[j]];

	/* word ids in code order: the word table is sorted the way the trie is */
	qsort(e, n, sizeof(*e), cmp_entry_codes);
	uint32_t nwords = 0, max_chars = 0;
	for (size_t i = 0; i < n; i++) {
		e[i].id = e[i].freq > 0 ? (int32_t)nwords++ : -1;
		if (e[i].nchars > max_chars)
			max_chars = e[i].nchars;
	}

	if (trie_grow(&t, 1))
		goto cleanup;
	t.check[0] = 0; /* the root is in use; it is nobody's child */
	t.nextfree[0] = 1;
	t.used_max = 1;
	if (trie_build(&t, e, 0, n, 0, 0))
		goto cleanup;

	/* layout */
	{
		struct il__dict_header h;
		size_t off = sizeof(h), strings = 0;
		memset(&h, 0, sizeof(h));
		for (size_t i = 0; i < n; i++)
			if (e[i].id >= 0)
				strings += e[i].len + 1;
		memcpy(h.magic, IL__DICT_MAGIC, 8);
		h.version = IL__DICT_VERSION;
		h.byte_order = IL__DICT_BYTE_ORDER;
		h.total_freq = total;
		h.log_total = log((double)total);
		h.nwords = nwords;
		h.nslots = (uint32_t)t.used_max;
		h.ncodes = (uint32_t)ncodes;
		h.max_chars = max_chars;
		h.ntags = ts.n;
		for (size_t i = 0; i < nchars; i++)
			if (chars[i].cp > 0xFFFF)
				h.nbig++;
		h.sec_size[IL__SEC_CMAP_BMP] = 65536 * sizeof(uint16_t);
		h.sec_size[IL__SEC_CMAP_BIG] = h.nbig * sizeof(struct il__dict_bigchar);
		h.sec_size[IL__SEC_SLOTS] = (uint64_t)h.nslots * sizeof(struct il__dict_slot);
		h.sec_size[IL__SEC_WORDS] = (uint64_t)nwords * sizeof(struct il__dict_word);
		h.sec_size[IL__SEC_WTAGS] = nwords;
		h.sec_size[IL__SEC_STRINGS] = strings;
		h.sec_size[IL__SEC_TAGS] = (uint64_t)ts.n * 8;
		h.sec_size[IL__SEC_HMM] = (4 + 16 + 4 * (uint64_t)ncodes) * sizeof(double);
		for (int s = 0; s < IL__SEC__COUNT; s++) {
			h.sec_off[s] = off;
			off = align8(off + h.sec_size[s]);
		}
		h.file_size = off;
		if (!(out = calloc(1, off))) {
			fail("output: out of memory for %zu bytes", off);
			goto cleanup;
		}

		uint16_t *bmp = (uint16_t *)(out + h.sec_off[IL__SEC_CMAP_BMP]);
		struct il__dict_bigchar *big =
			(struct il__dict_bigchar *)(out + h.sec_off[IL__SEC_CMAP_BIG]);
		size_t nb = 0;
		for (uint32_t cp = 0; cp < 0x110000; cp++) {
			if (!code_of[cp])
				continue;
			if (cp <= 0xFFFF) {
				bmp[cp] = (uint16_t)code_of[cp];
			} else {
				big[nb].cp = cp;
				big[nb++].code = code_of[cp];
			}
		}

		struct il__dict_slot *slots =
			(struct il__dict_slot *)(out + h.sec_off[IL__SEC_SLOTS]);
		for (size_t i = 0; i < t.used_max; i++) {
			slots[i].base = t.base[i];
			slots[i].check = t.check[i];
			slots[i].word = t.word[i];
		}

		struct il__dict_word *words =
			(struct il__dict_word *)(out + h.sec_off[IL__SEC_WORDS]);
		uint8_t *wtags = out + h.sec_off[IL__SEC_WTAGS];
		char *pool = (char *)(out + h.sec_off[IL__SEC_STRINGS]);
		size_t so = 0;
		for (size_t i = 0; i < n; i++) {
			if (e[i].id < 0)
				continue;
			struct il__dict_word *w = &words[e[i].id];
			/* jieba: log(freq) - log(total), computed the same way */
			w->logp = log((double)e[i].freq) - h.log_total;
			w->freq = (uint32_t)e[i].freq;
			w->str = (uint32_t)so;
			wtags[e[i].id] = (uint8_t)e[i].tag;
			memcpy(pool + so, e[i].word, e[i].len);
			so += e[i].len + 1;
		}
		memcpy(out + h.sec_off[IL__SEC_TAGS], ts.name, (size_t)ts.n * 8);

		double *hmm = (double *)(out + h.sec_off[IL__SEC_HMM]);
		for (int s = 0; s < 4; s++) {
			hmm[s] = pp.start[s];
			for (int u = 0; u < 4; u++)
				hmm[4 + s * 4 + u] = pp.trans[s][u];
			double *em = hmm + 20 + (size_t)s * ncodes;
			em[0] = IL__HMM_MIN_LOGP;
			for (size_t i = 0; i < nchars; i++) {
				double v = pp.emit[s][chars[i].cp];
				em[i + 1] = isnan(v) ? IL__HMM_MIN_LOGP : v;
			}
		}

		h.checksum = il__dict_checksum(out + sizeof(h), off - sizeof(h));
		memcpy(out, &h, sizeof(h));

		snprintf(tmp, sizeof(tmp), "%s.tmp", argv[5]);
		if (!(f = fopen(tmp, "wb")) || fwrite(out, 1, off, f) != off) {
			fail("cannot write %s: %s", tmp, strerror(errno));
			goto cleanup;
		}
		if (fclose(f) != 0) {
			f = NULL;
			fail("cannot write %s: %s", tmp, strerror(errno));
			goto cleanup;
		}
		f = NULL;
		if (rename(tmp, argv[5]) != 0) {
			fail("cannot rename %s to %s: %s", tmp, argv[5], strerror(errno));
			goto cleanup;
		}
		printf("%s: %u words, %zu characters, %u trie slots, %zu bytes\n", argv[5], nwords,
		       nchars, h.nslots, off);
	}
	rc = 0;

cleanup:
	if (f) {
		fclose(f);
		remove(tmp);
	}
	free(out);
	free(t.base);
	free(t.check);
	free(t.word);
	free(t.nextfree);
	for (int s = 0; s < 4; s++)
		free(pp.emit[s]);
	free(chars);
	free(code_of);
	free(codebuf);
	free(e);
	free(dict);
	free(pstart);
	free(ptrans);
	free(pemit);
	return rc;
}
