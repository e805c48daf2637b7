/*
 * english.c - Latin-script tokens (words, numbers, codes), Snowball
 * stemming and stop words.
 *
 * A token is a run of letters, digits and the combining marks after them,
 * continued across a joiner when the characters on both sides allow it:
 *   - a hyphen (-, U+2010..2013, U+2212, full-width －) between two letters
 *     or digits: "wear-resistant", "M10-3", "COVID-19";
 *   - a point (. or ．) between two digits: "3.5", "v1.2.3";
 *   - a comma between a number of one to three digits (or a group) and
 *     exactly three more digits: "1,200" and "1,200,000" are numbers, with
 *     the commas dropped from the term ("1200"), so both spellings meet;
 *   - & between two words of at most three letters: "R&D", "AT&T";
 *   - an apostrophe (', ’, ʼ) between two letters: "China's", "don't".
 * A number directly followed by % keeps it: "30%".  A standard body's code
 * (ISO, IEC, GB, GB/T, ASTM, API, DIN, EN, ...; any case) followed by one
 * space or hyphen and a number joins it into one code token: "ISO 9001",
 * "ISO-9001" and "ISO9001" all give "iso9001", "GB/T 19001-2016" gives
 * "gbt19001-2016".  Everything else (spaces, other punctuation, symbols)
 * separates tokens; "Co., Ltd." is the two words "co" and "ltd".
 *
 * Kinds and terms: letters and digits mixed, or digits with a hyphen, make
 * a code (IL_TOK_CODE: "Ti6Al4V" -> "ti6al4v", "5G" -> "5g"), digits alone
 * a number, letters alone a word.  Terms are the NFKC-casefolded text
 * (normalize.c).  Words made of a-z and apostrophes only are stemmed with
 * Snowball's English stemmer ("coatings" -> "coat"); other scripts, codes
 * and numbers are not.  A hyphenated word is one token whose term joins the
 * stems of its parts ("wear-resistant" -> "wear-resist"), followed by each
 * part colocated (IL_TOKF_SUBWORD), so "wear resistant" matches too; a code
 * with hyphens is followed by its hyphen-less spelling colocated
 * ("ti-6al-4v" and "ti6al4v").  Tokens longer than 255 bytes or 32 pieces
 * (hashes, base64, runs of marks) are skipped whole: nothing useful is
 * indexed from them and skipping keeps every step linear.
 *
 * Stop words are looked up on the normalised, unstemmed word ("it's",
 * "the"); the whole of a hyphenated word is never one, its parts may be.
 *
 * Stemmers: Snowball's sb_stemmer is not thread-safe, and creating one per
 * call costs an allocation, so each thread keeps one in thread-specific
 * storage, created on its first use and deleted when the thread exits.
 *
 * Depends on: base, normalize.c, utf8proc (categories), libstemmer.
 */
#include "text_internal.h"

#include <errno.h>
#include <libstemmer.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_PIECES 32
#define MAX_TOKEN_BYTES 255
/* Snowball's English rules only shorten suffixes; longer "words" are
 * chemical names or junk, cheaper left alone. */
#define MAX_STEM_BYTES 64
#define MAX_STOP_LINE 1024

enum join {
	J_NONE, /* the first piece */
	J_HYPHEN,
	J_DOT,
	J_COMMA, /* dropped from the term */
	J_AMP,
	J_APOS,
	J_CAT, /* a standard's prefix and its number: concatenated */
};

struct piece {
	size_t start, end;
	unsigned char join; /* enum join: what precedes this piece */
	bool letters, digits;
};

struct entok {
	size_t start, end;
	size_t n; /* pieces seen; only the first MAX_PIECES are kept */
	struct piece p[MAX_PIECES];
	bool pct, dropped, hyphen;
	enum il_token_kind kind;
};

/* Standard bodies whose codes are written "ISO 9001": international,
 * national (GB, GJB and the Chinese industry prefixes JB machinery, HG
 * chemicals, SY petroleum, SH petrochemicals, YB metallurgy, NB energy, DL
 * power, JT transport, YD telecom, QC automotive, HJ environment) and
 * foreign ones common in Chinese technical texts. */
static const char *const std_prefixes[] = {
	"iso", "iec",  "gb",   "gjb", "jb", "hg",   "sy",   "sh",  "yb",   "nb",
	"dl",  "jt",   "yd",   "qc",  "hj", "astm", "asme", "api", "din",  "en",
	"jis", "ansi", "ieee", "sae", "ul", "bs",   "nace", "aws", "aisi",
};

enum il__cls il__classify(int32_t cp)
{
	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
			return IL__C_LETTER;
		if (cp >= '0' && cp <= '9')
			return IL__C_DIGIT;
		if (cp <= ' ' || cp == 0x7F)
			return IL__C_SPACE;
		return IL__C_OTHER;
	}
	if (il__is_han(cp))
		return IL__C_HAN;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return IL__C_LETTER;
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return IL__C_DIGIT;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return IL__C_MARK;
	case UTF8PROC_CATEGORY_CF:
		/* a soft hyphen or a joiner inside a word is invisible there:
		 * keep the word whole (normalisation removes it) */
		if (cp == 0xAD || cp == 0x200C || cp == 0x200D)
			return IL__C_MARK;
		return IL__C_SPACE;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		return IL__C_SPACE;
	default:
		return IL__C_OTHER;
	}
}

static bool is_hyphen(int32_t c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2013) || c == 0x2212 || c == 0xFE63 ||
	       c == 0xFF0D;
}

static bool is_dot(int32_t c)
{
	return c == '.' || c == 0xFF0E;
}

static bool is_apos(int32_t c)
{
	return c == '\'' || c == 0x2019 || c == 0x02BC || c == 0xFF07;
}

static bool is_amp(int32_t c)
{
	return c == '&' || c == 0xFF06;
}

static bool is_alnum(enum il__cls c)
{
	return c == IL__C_LETTER || c == IL__C_DIGIT;
}

/* Class of the character at s[i], or IL__C_SPACE past the end. */
static enum il__cls cls_at(const char *s, size_t len, size_t i, int32_t *cp, size_t *n)
{
	if (i >= len) {
		*cp = 0;
		*n = 0;
		return IL__C_SPACE;
	}
	*n = il__utf8_next(s, i, cp);
	return il__classify(*cp);
}

/* Extends a run of letters, digits and marks from s[i]; counts both. */
static size_t run_end(const char *s, size_t len, size_t i, size_t *nl, size_t *nd,
		      enum il__cls *last)
{
	while (i < len) {
		int32_t cp;
		size_t n = il__utf8_next(s, i, &cp);
		enum il__cls c = il__classify(cp);
		if (c == IL__C_LETTER)
			(*nl)++;
		else if (c == IL__C_DIGIT)
			(*nd)++;
		else if (c != IL__C_MARK)
			break;
		if (c != IL__C_MARK)
			*last = c;
		i += n;
	}
	return i;
}

/* True when s[i..] is a run of exactly `want` characters of class `c`
 * (marks allowed) that ends the token.  Looks at most want + 1 characters
 * ahead, so joiner decisions stay constant-time. */
static bool short_run(const char *s, size_t len, size_t i, enum il__cls c, size_t min, size_t max)
{
	size_t count = 0;
	while (i < len && count <= max) {
		int32_t cp;
		size_t n = il__utf8_next(s, i, &cp);
		enum il__cls k = il__classify(cp);
		if (k == c)
			count++;
		else if (k != IL__C_MARK)
			return count >= min && count <= max && !is_alnum(k);
		i += n;
	}
	return count >= min && count <= max;
}

static void add_piece(struct entok *t, size_t start, size_t end, unsigned char join, size_t nl,
		      size_t nd)
{
	if (t->n < MAX_PIECES) {
		struct piece *p = &t->p[t->n];
		p->start = start;
		p->end = end;
		p->join = join;
		p->letters = nl > 0;
		p->digits = nd > 0;
	}
	t->n++;
}

/* Scans one token from s[i] (a letter or a digit); returns its end. */
static size_t scan(const char *s, size_t len, size_t i, struct entok *t)
{
	unsigned char join = J_NONE;
	bool letters = false, digits = false, groupable = false;
	t->start = i;
	t->n = 0;
	t->pct = t->dropped = t->hyphen = false;
	for (;;) {
		size_t nl = 0, nd = 0, start = i, n1, n2;
		enum il__cls last = IL__C_OTHER, k2;
		int32_t c1, c2;
		unsigned char j = J_NONE;
		i = run_end(s, len, i, &nl, &nd, &last);
		add_piece(t, start, i, join, nl, nd);
		letters = letters || nl;
		digits = digits || nd;
		if (t->n == 1)
			groupable = nl == 0 && nd >= 1 && nd <= 3;
		else if (join != J_COMMA)
			groupable = false;
		if (i >= len)
			break;
		cls_at(s, len, i, &c1, &n1);
		k2 = cls_at(s, len, i + n1, &c2, &n2);
		if (is_hyphen(c1) && is_alnum(k2))
			j = J_HYPHEN;
		else if (is_dot(c1) && last == IL__C_DIGIT && k2 == IL__C_DIGIT)
			j = J_DOT;
		else if (c1 == ',' && groupable && short_run(s, len, i + n1, IL__C_DIGIT, 3, 3))
			j = J_COMMA;
		else if (is_amp(c1) && t->n == 1 && nd == 0 && nl <= 3 &&
			 short_run(s, len, i + n1, IL__C_LETTER, 1, 3))
			j = J_AMP;
		else if (is_apos(c1) && last == IL__C_LETTER && k2 == IL__C_LETTER)
			j = J_APOS;
		if (j == J_NONE)
			break;
		if (j == J_HYPHEN)
			t->hyphen = true;
		i += n1;
		join = j;
	}
	if (!letters && !t->hyphen && i < len) {
		int32_t c;
		size_t n;
		cls_at(s, len, i, &c, &n);
		if (c == '%' || c == 0xFF05) {
			t->pct = true;
			i += n;
		}
	}
	t->end = i;
	t->dropped = t->n > MAX_PIECES || t->end - t->start > MAX_TOKEN_BYTES;
	/* digits with points and grouping commas are a number; with a hyphen
	 * ("1234-2008", "2020-2024") they are a code, as is any mix */
	if (letters)
		t->kind = digits ? IL_TOK_CODE : IL_TOK_WORD;
	else
		t->kind = t->hyphen ? IL_TOK_CODE : IL_TOK_NUMBER;
	return i;
}

static pthread_once_t stem_once = PTHREAD_ONCE_INIT;
static pthread_key_t stem_key;
static bool stem_key_ok;

static void stem_free(void *p)
{
	sb_stemmer_delete(p);
}

static void stem_key_init(void)
{
	stem_key_ok = pthread_key_create(&stem_key, stem_free) == 0;
}

static struct sb_stemmer *thread_stemmer(void)
{
	struct sb_stemmer *s;
	pthread_once(&stem_once, stem_key_init);
	if (!stem_key_ok)
		return NULL;
	if ((s = pthread_getspecific(stem_key)) != NULL)
		return s;
	if ((s = sb_stemmer_new("english", NULL)) != NULL &&
	    pthread_setspecific(stem_key, s) != 0) {
		sb_stemmer_delete(s);
		s = NULL;
	}
	return s;
}

void il__en_state_init(struct il__en_state *s)
{
	il_buf_init(&s->term, 0);
	il_buf_init(&s->group, 0);
	il_buf_init(&s->sub, 0);
	s->u32.p = NULL;
	s->u32.cap = 0;
	s->stemmer = NULL;
}

void il__en_state_release(struct il__en_state *s)
{
	il_buf_release(&s->term);
	il_buf_release(&s->group);
	il_buf_release(&s->sub);
	il__u32buf_release(&s->u32);
	s->stemmer = NULL; /* the thread's, not ours */
}

static bool stemmable(const char *w, size_t n)
{
	if (n == 0 || n > MAX_STEM_BYTES)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '\''))
			return false;
	return true;
}

/* Appends the stem of the normalised word w (or w itself) to out. */
static int stem_add(struct il__en_state *st, const char *w, size_t n, struct il_buf *out)
{
	const sb_symbol *r;
	if (!stemmable(w, n))
		return il_buf_add(out, w, n);
	if (!st->stemmer && !(st->stemmer = thread_stemmer()))
		return il_error_set(IL_ENOMEM, "cannot create the Snowball English stemmer");
	r = sb_stemmer_stem(st->stemmer, (const sb_symbol *)w, (int)n);
	if (!r)
		return il_error_set(IL_ENOMEM, "Snowball stemmer out of memory");
	return il_buf_add(out, r, (size_t)sb_stemmer_length(st->stemmer));
}

/* Appends the normalised text of pieces [a, b), joined as written (the
 * hyphens only when `hyphens`; grouping commas never). */
static int pieces_add(struct il__en_state *st, const char *s, const struct entok *t, size_t a,
		      size_t b, bool hyphens, struct il_buf *out)
{
	int rc = IL_OK;
	for (size_t k = a; k < b && rc == IL_OK; k++) {
		const struct piece *p = &t->p[k];
		if (k > a) {
			if (p->join == J_HYPHEN && hyphens)
				rc = il_buf_addc(out, '-');
			else if (p->join == J_DOT)
				rc = il_buf_addc(out, '.');
			else if (p->join == J_APOS)
				rc = il_buf_addc(out, '\'');
			else if (p->join == J_AMP)
				rc = il_buf_addc(out, '&');
		}
		if (rc == IL_OK)
			rc = il__norm_latin(&st->u32, s + p->start, p->end - p->start, out);
	}
	return rc;
}

static bool is_std_prefix(const char *w, size_t n)
{
	for (size_t k = 0; k < sizeof(std_prefixes) / sizeof(std_prefixes[0]); k++)
		if (strlen(std_prefixes[k]) == n && memcmp(std_prefixes[k], w, n) == 0)
			return true;
	return false;
}

static bool starts_with_digit(const char *s, const struct piece *p)
{
	int32_t cp;
	il__utf8_next(s, p->start, &cp);
	return il__classify(cp) == IL__C_DIGIT;
}

/* "ISO 9001", "GB/T 19001-2016": when the word token t is a standard
 * body's prefix followed by its number, merges the number into t and
 * returns the new end; else returns t->end unchanged. */
static size_t join_standard(struct il__en_state *st, const char *s, size_t len, struct entok *t,
			    int *rc)
{
	size_t j = t->end, n, slash_at = 0, slash_end = 0;
	int32_t c;
	enum il__cls k;
	struct entok num;
	if (t->p[0].digits || t->p[0].end - t->p[0].start > 15 ||
	    (t->n > 1 && (t->p[1].join != J_HYPHEN || !starts_with_digit(s, &t->p[1]))))
		return t->end;
	il_buf_reset(&st->sub);
	if ((*rc = pieces_add(st, s, t, 0, 1, true, &st->sub)) != IL_OK ||
	    !is_std_prefix(st->sub.ptr, st->sub.len))
		return t->end;
	if (t->n > 1) {
		/* "ISO-9001", already one token: the hyphen goes */
		t->p[1].join = J_CAT;
		t->hyphen = false;
		for (size_t q = 2; q < t->n; q++)
			t->hyphen = t->hyphen || t->p[q].join == J_HYPHEN;
		return t->end;
	}
	cls_at(s, len, j, &c, &n);
	if (c == '/' || c == 0xFF0F) {
		/* the recommended (/T) and guidance (/Z) series of GB and others */
		size_t n2, n3;
		int32_t c2, c3;
		cls_at(s, len, j + n, &c2, &n2);
		if (c2 == 't' || c2 == 'T' || c2 == 'z' || c2 == 'Z' || c2 == 0xFF34 ||
		    c2 == 0xFF54 || c2 == 0xFF3A || c2 == 0xFF5A) {
			if (!is_alnum(cls_at(s, len, j + n + n2, &c3, &n3))) {
				slash_at = j + n;
				slash_end = j + n + n2;
				j = slash_end;
				cls_at(s, len, j, &c, &n);
			}
		}
	}
	if (c == ' ' || c == 0x3000 || c == 0xA0 || is_hyphen(c))
		j += n;
	k = cls_at(s, len, j, &c, &n);
	if (k != IL__C_DIGIT)
		return t->end;
	scan(s, len, j, &num);
	if (num.dropped || num.pct || num.end - t->start > MAX_TOKEN_BYTES ||
	    t->n + (slash_at != 0) + num.n > MAX_PIECES)
		return t->end;
	if (slash_at)
		add_piece(t, slash_at, slash_end, J_CAT, 1, 0);
	for (size_t q = 0; q < num.n; q++) {
		add_piece(t, num.p[q].start, num.p[q].end, q == 0 ? J_CAT : num.p[q].join,
			  num.p[q].letters, num.p[q].digits);
	}
	t->hyphen = t->hyphen || num.hyphen;
	t->end = num.end;
	t->kind = IL_TOK_CODE;
	return t->end;
}

static int emit_tok(il__emit_fn emit, void *run, const struct il_buf *term, size_t start,
		    size_t end, enum il_token_kind kind, unsigned flags)
{
	struct il_token tok;
	tok.term = il_buf_cstr(term);
	tok.term_len = term->len;
	tok.start = start;
	tok.end = end;
	tok.pos = 0;
	tok.kind = kind;
	tok.flags = flags;
	tok.weight = 1.0f;
	return emit(run, &tok);
}

/* A word: one term of the stems of its hyphen groups, then each group
 * colocated when there are several. */
static int emit_word(const struct il_text *tx, struct il__en_state *st, const char *s,
		     const struct entok *t, il__emit_fn emit, void *run)
{
	size_t groups = 1, a, b;
	int rc;
	for (size_t k = 1; k < t->n; k++)
		groups += t->p[k].join == J_HYPHEN;
	il_buf_reset(&st->term);
	for (a = 0; a < t->n; a = b) {
		for (b = a + 1; b < t->n && t->p[b].join != J_HYPHEN; b++)
			;
		il_buf_reset(&st->group);
		if (a > 0 && (rc = il_buf_addc(&st->term, '-')) != IL_OK)
			return rc;
		if ((rc = pieces_add(st, s, t, a, b, false, &st->group)) != IL_OK ||
		    (rc = stem_add(st, st->group.ptr, st->group.len, &st->term)) != IL_OK)
			return rc;
	}
	if (groups == 1) {
		unsigned flags = il__is_stop(tx, st->group.ptr, st->group.len) ? IL_TOKF_STOP : 0;
		return emit_tok(emit, run, &st->term, t->start, t->end, IL_TOK_WORD, flags);
	}
	if ((rc = emit_tok(emit, run, &st->term, t->start, t->end, IL_TOK_WORD, 0)) != IL_OK)
		return rc;
	for (a = 0; a < t->n; a = b) {
		unsigned flags = IL_TOKF_COLOCATED | IL_TOKF_SUBWORD;
		for (b = a + 1; b < t->n && t->p[b].join != J_HYPHEN; b++)
			;
		il_buf_reset(&st->group);
		il_buf_reset(&st->sub);
		if ((rc = pieces_add(st, s, t, a, b, false, &st->group)) != IL_OK ||
		    (rc = stem_add(st, st->group.ptr, st->group.len, &st->sub)) != IL_OK)
			return rc;
		if (il__is_stop(tx, st->group.ptr, st->group.len))
			flags |= IL_TOKF_STOP;
		rc = emit_tok(emit, run, &st->sub, t->p[a].start, t->p[b - 1].end, IL_TOK_WORD,
			      flags);
		if (rc != IL_OK)
			return rc;
	}
	return IL_OK;
}

int il__en_token(const struct il_text *tx, struct il__en_state *st, const char *s, size_t len,
		 size_t *i, il__emit_fn emit, void *run)
{
	struct entok t;
	int rc = IL_OK;
	*i = scan(s, len, *i, &t);
	if (t.dropped)
		return IL_OK;
	*i = join_standard(st, s, len, &t, &rc);
	if (rc != IL_OK)
		return rc;
	if (t.kind == IL_TOK_WORD)
		return emit_word(tx, st, s, &t, emit, run);
	il_buf_reset(&st->term);
	if ((rc = pieces_add(st, s, &t, 0, t.n, true, &st->term)) != IL_OK ||
	    (t.pct && (rc = il_buf_addc(&st->term, '%')) != IL_OK))
		return rc;
	if ((rc = emit_tok(emit, run, &st->term, t.start, t.end, t.kind, 0)) != IL_OK)
		return rc;
	if (t.kind != IL_TOK_CODE || !t.hyphen)
		return IL_OK;
	/* "Ti-6Al-4V" is also written "Ti6Al4V": index both spellings */
	il_buf_reset(&st->sub);
	if ((rc = pieces_add(st, s, &t, 0, t.n, false, &st->sub)) != IL_OK)
		return rc;
	return emit_tok(emit, run, &st->sub, t.start, t.end, IL_TOK_CODE,
			IL_TOKF_COLOCATED | IL_TOKF_SUBWORD);
}

bool il__is_stop(const struct il_text *t, const char *term, size_t len)
{
	return il_strmap_get(&t->stop, term, len) >= 0;
}

int il__stop_load(struct il_text *t, const char *path)
{
	char line[MAX_STOP_LINE + 2];
	struct il__norm_scratch scratch;
	struct il_buf key;
	size_t lineno = 0;
	int rc = IL_OK;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return IL_OK;
		return il_error_set(IL_EIO, "cannot open %s: %s", path, strerror(errno));
	}
	il_buf_init(&key, MAX_STOP_LINE * 4);
	il__norm_scratch_init(&scratch);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line), a = 0, bad;
		lineno++;
		if (n > MAX_STOP_LINE) {
			rc = il_error_set(IL_EFORMAT, "%s:%zu: line longer than %d bytes", path,
					  lineno, MAX_STOP_LINE);
			break;
		}
		if (lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
			a = 3;
		while (n > a && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
				 line[n - 1] == '\t'))
			n--;
		while (a < n && (line[a] == ' ' || line[a] == '\t'))
			a++;
		if (a == n || line[a] == '#')
			continue;
		if (!il__utf8_valid(line + a, n - a, &bad)) {
			rc = il_error_set(IL_EFORMAT, "%s:%zu: invalid UTF-8 at column %zu", path,
					  lineno, a + bad + 1);
			break;
		}
		il_buf_reset(&key);
		if ((rc = il__normalize(t->norm, &scratch, line + a, n - a, &key)) != IL_OK ||
		    (rc = il_strmap_put(&t->stop, il_buf_cstr(&key), key.len, 1, NULL)) != IL_OK)
			break;
	}
	if (rc == IL_OK && ferror(f))
		rc = il_error_set(IL_EIO, "cannot read %s", path);
	fclose(f);
	il__norm_scratch_release(&scratch);
	il_buf_release(&key);
	return rc;
}
