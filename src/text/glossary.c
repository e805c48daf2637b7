/*
 * glossary.c - the bilingual glossary: Chinese <-> English term pairs that
 * let a Chinese query reach English documents and the reverse.
 *
 * Files: every glossary/NAME.tsv of the data directory, read in name order
 * at il_text_open().  UTF-8 (a BOM is skipped), LF or CRLF lines; blank
 * lines and lines whose first non-blank character is '#' are skipped (the
 * header comment names where the pairs come from); every other line is
 *     中文<TAB>English[<TAB>weight]
 * with the weight a decimal in 0..1 (default 0.5): how strongly the
 * translation counts relative to the original term.  A term may have
 * several translations on separate lines, in either column.  A line with a
 * wrong number of fields, an empty term, a bad weight, invalid UTF-8, more
 * than 4096 bytes or a side of more than 32 words is IL_EFORMAT naming the
 * file and line.  Each line is one pair (il_text_glossary_size()) and works
 * both ways; the columns only say which language is expected where.
 *
 * Keys: both sides are analysed like a query without expansion (normalised,
 * Chinese segmented precisely, English stemmed), and a side's key is its
 * tokens' terms joined by il__key_add(): Latin words separated by one
 * space, Chinese words (and a Chinese word and its Latin neighbour) joined
 * directly, punctuation as 0x1F.  The query side builds keys over its own
 * tokens the same way, so what matches is:
 *   - any case, width, traditional or simplified spelling of the same text;
 *   - English inflections that Snowball reduces to one stem ("petroleum
 *     machine" and "Petroleum Machines" -> "petroleum machin"), but not
 *     words Snowball keeps apart ("machinery" -> "machineri"): a glossary
 *     that wants both lists both;
 *   - Chinese text regardless of where the segmenter cut it, because the
 *     words of a span are joined without separators ("石油机械" matches the
 *     query 石油/机械 as well as 石油机械), provided the span starts and ends
 *     on token boundaries;
 *   - stop words are part of a key ("oil and gas" needs its "and"), and a
 *     hyphenated word matches only a hyphenated entry ("wear-resistant").
 *
 * Storage: keys in an il_strmap to an entry; an entry chains its
 * translations (in file order); a translation is a run of pre-analysed
 * tokens whose terms sit back to back in one buffer.  Nothing is analysed
 * at query time.  Read-only after loading.
 *
 * Depends on: base, analyzer.c (il__analyze in plain mode, il__text_reserve).
 */
#include "text_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4096
#define MAX_WORDS 32
#define MAX_FILE (64u * 1024u * 1024u)
#define DEFAULT_WEIGHT 0.5f

struct gtok {
	uint32_t off, len; /* in terms */
	unsigned char kind; /* enum il_token_kind */
	unsigned char flags; /* IL_TOKF_STOP, IL_TOKF_SUBWORD */
};

struct gtr {
	uint32_t tok, ntok; /* in toks */
	float weight;
	int64_t next; /* the entry's next translation, or -1 */
};

struct gent {
	int64_t first, last; /* in trs */
};

struct il__glossary {
	struct il_strmap keys; /* key -> index in ents */
	struct gent *ents;
	size_t nents, capents;
	struct gtr *trs;
	size_t ntrs, captrs;
	struct gtok *toks;
	size_t ntoks, captoks;
	struct il_buf terms;
	size_t pairs, max_words, max_key;
};

/* One side of a line, analysed. */
struct side {
	const char *text;
	struct il_buf terms;
	struct stok {
		size_t off, len, start, end;
		enum il_token_kind kind;
		unsigned flags;
	} * t;
	size_t n, cap, words;
	struct il_buf key;
};

int il__key_add(struct il_buf *key, const char *term, size_t len, bool han, bool prev_han, bool gap)
{
	int rc = IL_OK;
	if (key->len > 0) {
		if (gap)
			rc = il_buf_addc(key, 0x1F);
		else if (!han && !prev_han)
			rc = il_buf_addc(key, ' ');
	}
	return rc ? rc : il_buf_add(key, term, len);
}

static int side_collect(const struct il_token *tok, void *ctx)
{
	struct side *s = ctx;
	struct stok *st;
	int rc;
	if ((rc = il__text_reserve((void **)&s->t, &s->cap, s->n + 1, sizeof(*s->t), 64)) != IL_OK)
		return rc;
	st = &s->t[s->n];
	st->off = s->terms.len;
	st->len = tok->term_len;
	st->start = tok->start;
	st->end = tok->end;
	st->kind = tok->kind;
	st->flags = tok->flags & (IL_TOKF_STOP | IL_TOKF_SUBWORD);
	if ((rc = il_buf_add(&s->terms, tok->term, tok->term_len)) != IL_OK)
		return rc;
	s->n++;
	if (!(tok->flags & IL_TOKF_COLOCATED))
		s->words++;
	return IL_OK;
}

static int side_analyze(const struct il_text *t, struct side *s, const char *text, size_t len)
{
	size_t prev_end = 0;
	bool prev_han = false;
	int rc;
	s->text = text;
	s->n = s->words = 0;
	il_buf_reset(&s->terms);
	il_buf_reset(&s->key);
	if ((rc = il__analyze(t, text, len, IL__MODE_PLAIN, side_collect, s)) != IL_OK)
		return rc;
	for (size_t k = 0; k < s->n; k++) {
		const struct stok *st = &s->t[k];
		bool han = st->kind == IL_TOK_HAN;
		if (st->flags & IL_TOKF_SUBWORD)
			continue;
		rc = il__key_add(&s->key, il_buf_cstr(&s->terms) + st->off, st->len, han, prev_han,
				 il__gap(text, prev_end, st->start));
		if (rc != IL_OK)
			return rc;
		prev_end = st->end;
		prev_han = han;
	}
	return IL_OK;
}

static void side_release(struct side *s)
{
	il_buf_release(&s->terms);
	il_buf_release(&s->key);
	free(s->t);
}

static bool same_tokens(const struct il__glossary *g, const struct gtr *tr, const struct side *s)
{
	if (tr->ntok != s->n)
		return false;
	for (size_t k = 0; k < s->n; k++) {
		const struct gtok *gt = &g->toks[tr->tok + k];
		if (gt->len != s->t[k].len ||
		    memcmp(g->terms.ptr + gt->off, s->terms.ptr + s->t[k].off, gt->len) != 0)
			return false;
	}
	return true;
}

/* Adds `to` as a translation of the key of `from`. */
static int add_direction(struct il__glossary *g, const struct side *from, const struct side *to,
			 float weight)
{
	int64_t e = il__glossary_find(g, from->key.ptr, from->key.len);
	struct gtr *tr;
	int rc;
	if (e >= 0) {
		/* a pair listed twice (or twice after normalisation) keeps one
		 * translation with the larger weight */
		for (int64_t k = g->ents[e].first; k >= 0; k = g->trs[k].next) {
			if (same_tokens(g, &g->trs[k], to)) {
				if (weight > g->trs[k].weight)
					g->trs[k].weight = weight;
				return IL_OK;
			}
		}
	} else {
		if ((rc = il__text_reserve((void **)&g->ents, &g->capents, g->nents + 1,
					   sizeof(*g->ents), 64)))
			return rc;
		e = (int64_t)g->nents;
		if ((rc = il_strmap_put(&g->keys, from->key.ptr, from->key.len, e, NULL)) != IL_OK)
			return rc;
		g->ents[e].first = g->ents[e].last = -1;
		g->nents++;
		if (from->words > g->max_words)
			g->max_words = from->words;
		if (from->key.len > g->max_key)
			g->max_key = from->key.len;
	}
	if ((rc = il__text_reserve((void **)&g->trs, &g->captrs, g->ntrs + 1, sizeof(*g->trs),
				   64)) != IL_OK ||
	    (rc = il__text_reserve((void **)&g->toks, &g->captoks, g->ntoks + to->n,
				   sizeof(*g->toks), 64)))
		return rc;
	if (g->terms.len + to->terms.len > UINT32_MAX || g->ntoks + to->n > UINT32_MAX)
		return il_error_set(IL_ETOOBIG, "glossary larger than 4 GiB");
	tr = &g->trs[g->ntrs];
	tr->tok = (uint32_t)g->ntoks;
	tr->ntok = (uint32_t)to->n;
	tr->weight = weight;
	tr->next = -1;
	for (size_t k = 0; k < to->n; k++) {
		struct gtok *gt = &g->toks[g->ntoks + k];
		gt->off = (uint32_t)(g->terms.len + to->t[k].off);
		gt->len = (uint32_t)to->t[k].len;
		gt->kind = (unsigned char)to->t[k].kind;
		gt->flags = (unsigned char)to->t[k].flags;
	}
	if ((rc = il_buf_add(&g->terms, to->terms.ptr, to->terms.len)) != IL_OK)
		return rc;
	g->ntoks += to->n;
	if (g->ents[e].last >= 0)
		g->trs[g->ents[e].last].next = (int64_t)g->ntrs;
	else
		g->ents[e].first = (int64_t)g->ntrs;
	g->ents[e].last = (int64_t)g->ntrs;
	g->ntrs++;
	return IL_OK;
}

/* "0.7", "1", ".5", "0.": a plain decimal in 0..1 (not strtod, which
 * would follow the process locale and accept "nan", "1e-1", " 0x1"). */
static bool parse_weight(const char *s, size_t n, float *out)
{
	double v = 0, scale = 1;
	size_t i = 0, digits = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		v = v * 10 + (s[i] - '0');
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
			v += (s[i] - '0') * (scale /= 10);
	if (i != n || digits == 0 || v > 1.0)
		return false;
	*out = (float)v;
	return true;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int load_line(const struct il_text *t, struct il__glossary *g, const char *path,
		     size_t lineno, const char *line, size_t n, struct side *zh, struct side *en)
{
	const char *f[3];
	size_t fl[3], nf = 0, bad;
	const char *p = line, *end = line + n;
	float weight = DEFAULT_WEIGHT;
	int rc;
	if (n > MAX_LINE)
		return il_error_set(IL_EFORMAT, "%s:%zu: line longer than %d bytes", path, lineno,
				    MAX_LINE);
	if (!il__utf8_valid(line, n, &bad))
		return il_error_set(IL_EFORMAT, "%s:%zu: invalid UTF-8 at column %zu", path, lineno,
				    bad + 1);
	for (;;) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *fe = tab ? tab : end;
		if (nf == 3)
			return il_error_set(IL_EFORMAT,
					    "%s:%zu: more than 3 tab-separated fields (expected "
					    "中文<TAB>English[<TAB>weight])",
					    path, lineno);
		f[nf] = p;
		fl[nf] = (size_t)(fe - p);
		trim(&f[nf], &fl[nf]);
		nf++;
		if (!tab)
			break;
		p = tab + 1;
	}
	if (nf < 2)
		return il_error_set(IL_EFORMAT,
				    "%s:%zu: no tab between the terms (expected "
				    "中文<TAB>English[<TAB>weight])",
				    path, lineno);
	if (fl[0] == 0 || fl[1] == 0)
		return il_error_set(IL_EFORMAT, "%s:%zu: empty %s term", path, lineno,
				    fl[0] == 0 ? "Chinese" : "English");
	if (nf == 3 && !parse_weight(f[2], fl[2], &weight))
		return il_error_set(IL_EFORMAT,
				    "%s:%zu: weight \"%.*s\" is not a number from 0 to 1", path,
				    lineno, (int)(fl[2] > 40 ? 40 : fl[2]), f[2]);
	if ((rc = side_analyze(t, zh, f[0], fl[0])) != IL_OK ||
	    (rc = side_analyze(t, en, f[1], fl[1])) != IL_OK) {
		if (rc != IL_ENOMEM)
			il_error_prefix("%s:%zu", path, lineno);
		return rc;
	}
	for (int k = 0; k < 2; k++) {
		const struct side *s = k ? en : zh;
		if (s->words == 0)
			return il_error_set(IL_EFORMAT, "%s:%zu: \"%.*s\" has no words", path,
					    lineno, (int)fl[k], f[k]);
		if (s->words > MAX_WORDS)
			return il_error_set(IL_EFORMAT,
					    "%s:%zu: the %s term has %zu words, more than %d", path,
					    lineno, k ? "English" : "Chinese", s->words, MAX_WORDS);
	}
	g->pairs++;
	/* "PCB<TAB>PCB" would translate a term into itself */
	if (zh->key.len == en->key.len && memcmp(zh->key.ptr, en->key.ptr, zh->key.len) == 0)
		return IL_OK;
	if ((rc = add_direction(g, zh, en, weight)) != IL_OK)
		return rc;
	return add_direction(g, en, zh, weight);
}

static int read_file(const char *path, struct il_buf *b)
{
	char tmp[65536];
	size_t n;
	int rc = IL_OK;
	FILE *f = fopen(path, "rb");
	if (!f)
		return il_error_set(IL_EIO, "cannot open %s: %s", path, strerror(errno));
	il_buf_reset(b);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if ((rc = il_buf_add(b, tmp, n)) != IL_OK) {
			if (rc == IL_ETOOBIG)
				rc = il_error_set(IL_EFORMAT, "%s: larger than %u bytes", path,
						  MAX_FILE);
			break;
		}
	}
	if (rc == IL_OK && ferror(f))
		rc = il_error_set(IL_EIO, "cannot read %s: %s", path, strerror(errno));
	fclose(f);
	return rc;
}

static int load_file(const struct il_text *t, struct il__glossary *g, const char *path,
		     struct il_buf *data, struct side *zh, struct side *en)
{
	size_t pos = 0, lineno = 0;
	int rc = read_file(path, data);
	if (rc != IL_OK)
		return rc;
	if (data->len >= 3 && memcmp(data->ptr, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < data->len) {
		const char *line = data->ptr + pos;
		const char *nl = memchr(line, '\n', data->len - pos);
		size_t n = nl ? (size_t)(nl - line) : data->len - pos, a = 0;
		pos += n + (nl != NULL);
		lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		while (a < n && (line[a] == ' ' || line[a] == '\t'))
			a++;
		if (a == n || line[a] == '#')
			continue;
		if ((rc = load_line(t, g, path, lineno, line, n, zh, en)) != IL_OK)
			return rc;
	}
	return IL_OK;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .tsv files of dir, sorted; *names is NULL when dir does not exist. */
static int list_dir(const char *dir, char ***names, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	int rc = IL_OK;
	*names = NULL;
	*count = 0;
	if (!d) {
		if (errno == ENOENT)
			return IL_OK;
		return il_error_set(IL_EIO, "cannot open the glossary directory %s: %s", dir,
				    strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char *copy;
		if (e->d_name[0] == '.' || n < 5 || strcmp(e->d_name + n - 4, ".tsv") != 0)
			continue;
		if ((rc = il__text_reserve((void **)names, &cap, *count + 1, sizeof(**names),
					   64)) != IL_OK)
			break;
		if (!(copy = il_strdup(e->d_name))) {
			rc = IL_ENOMEM;
			break;
		}
		(*names)[(*count)++] = copy;
	}
	closedir(d);
	if (rc == IL_OK && *count > 1)
		qsort(*names, *count, sizeof(**names), cmp_names);
	return rc;
}

int il__glossary_load(const struct il_text *t, const char *dir, struct il__glossary **out)
{
	struct il__glossary *g;
	struct side zh, en;
	struct il_buf data;
	char **names = NULL;
	size_t count = 0;
	int rc;
	*out = NULL;
	if (!(g = il_calloc(1, sizeof(*g))))
		return IL_ENOMEM;
	il_strmap_init(&g->keys);
	il_buf_init(&g->terms, 0);
	memset(&zh, 0, sizeof(zh));
	memset(&en, 0, sizeof(en));
	il_buf_init(&zh.terms, 0);
	il_buf_init(&zh.key, 0);
	il_buf_init(&en.terms, 0);
	il_buf_init(&en.key, 0);
	il_buf_init(&data, MAX_FILE);
	if ((rc = list_dir(dir, &names, &count)) != IL_OK)
		goto cleanup;
	for (size_t k = 0; k < count && rc == IL_OK; k++) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[k]) >= sizeof(path))
			rc = il_error_set(IL_EINVAL, "glossary path too long: %s/%s", dir,
					  names[k]);
		else
			rc = load_file(t, g, path, &data, &zh, &en);
	}
cleanup:
	for (size_t k = 0; k < count; k++)
		free(names[k]);
	free(names);
	il_buf_release(&data);
	side_release(&zh);
	side_release(&en);
	if (rc != IL_OK) {
		il__glossary_close(g);
		return rc;
	}
	*out = g;
	return IL_OK;
}

void il__glossary_close(struct il__glossary *g)
{
	if (!g)
		return;
	il_strmap_release(&g->keys);
	il_buf_release(&g->terms);
	free(g->ents);
	free(g->trs);
	free(g->toks);
	free(g);
}

size_t il__glossary_pairs(const struct il__glossary *g)
{
	return g ? g->pairs : 0;
}

size_t il__glossary_max_words(const struct il__glossary *g)
{
	return g && g->nents ? g->max_words : 0;
}

int64_t il__glossary_find(const struct il__glossary *g, const char *key, size_t len)
{
	if (!g || len > g->max_key)
		return -1;
	return il_strmap_get(&g->keys, key, len);
}

void il__glossary_iter(const struct il__glossary *g, int64_t entry, struct il__gloss_iter *it)
{
	it->g = g;
	it->tr = entry >= 0 && (size_t)entry < g->nents ? g->ents[entry].first : -1;
	it->tok = 0;
}

bool il__glossary_next(struct il__gloss_iter *it, struct il_token *out)
{
	const struct il__glossary *g = it->g;
	while (it->tr >= 0) {
		const struct gtr *tr = &g->trs[it->tr];
		if (it->tok < tr->ntok) {
			const struct gtok *gt = &g->toks[tr->tok + it->tok++];
			out->term = g->terms.ptr + gt->off;
			out->term_len = gt->len;
			out->kind = (enum il_token_kind)gt->kind;
			out->flags = gt->flags;
			out->weight = tr->weight;
			return true;
		}
		it->tr = tr->next;
		it->tok = 0;
	}
	return false;
}
