/*
 * query.c - the query text syntax, parsed into cursors, required groups,
 * phrases and exclusions (struct il__query).
 *
 * Syntax, item by item, items separated by white space (ASCII, U+00A0,
 * U+3000):
 *   word            optional (OR) or required (IL_QUERY_AND)
 *   +word           required            -word    excluded
 *   "a phrase"      required, terms adjacent in one field (“ ” and ＂ too)
 *   -"a phrase"     excluded when the phrase occurs
 *   field:word      title: keywords: body: names: restrict a word or a
 *                   phrase to one field; combines with + and -
 * Full-width ＋ － and ： are read as + - and :.  Decisions on odd input:
 *   - an unbalanced quote is ignored, the rest is read as words: a query
 *     typed as `"drilling pump` searches the two words, never fails;
 *   - a lone + or - (followed by space or the end), or a field prefix with
 *     nothing after it, is ignored;
 *   - a word with no indexable term (punctuation, stop words only) adds
 *     nothing; a query with nothing left matches nothing (not an error);
 *   - a query with exclusions only matches nothing: exclusion narrows a
 *     result, it does not make one;
 *   - the first IL_INDEX_MAX_QUERY_TERMS distinct terms are kept, later
 *     ones ignored; text beyond IL_INDEX_MAX_QUERY_BYTES is IL_EINVAL, as
 *     is text that is not UTF-8 (the detail gives the byte offset).
 *
 * Consecutive plain words are analysed as one text, so the glossary can
 * match a term written as several words ("wear resistant coating") and
 * Chinese, written without spaces, is segmented as a whole.  Each primary
 * token opens a group: the token and, with expansion, every glossary
 * translation whose source span covers it (the analyzer reports a
 * translation with the offsets of the words it translates, colocated after
 * the last of them); search-mode sub-words join the group of their word.
 * A required group is satisfied by any member: "钻井泵" AND-ed is satisfied
 * by an English document saying "drilling pump".  Translations never enter
 * phrases or exclusions: those say exactly what was typed.
 *
 * Repeated terms are one cursor, with the largest weight among their
 * occurrences (BM25's query-frequency factor is left out on purpose: a
 * pasted paragraph repeating a word should not drown the others).
 *
 * Depends on: base, text, index_internal.h.
 */
#include "index/index_internal.h"

#include <string.h>

#define MAX_TOKENS 16384 /* analysed query tokens kept; a bound on work */
#define CUR_SLOTS 2048 /* hash slots for cursor de-duplication, > 2x the cap */

enum { SIGN_NONE, SIGN_PLUS, SIGN_MINUS };

struct clause {
	const char *s;
	size_t len;
	int sign;
	uint8_t field;
	bool phrase;
};

struct qtok {
	uint32_t tid; /* IL__NONE: not in the index (or only in dead documents) */
	uint32_t pos;
	size_t start, end;
	unsigned flags;
	float weight;
};

struct parser {
	const struct il_index *ix;
	const struct il_index_query *q;
	struct il_arena *a;
	struct il__query *out;
	uint32_t *slots; /* cursor hash: index + 1 */
	struct qtok *toks;
	size_t ntok, tcap, total_toks;
	uint32_t curcap, gcap, pcap, xcap;
	bool full; /* the distinct-term cap is reached */
	int rc;
};

static size_t ws_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
		return 1;
	if (n >= 2 && c == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	if (n >= 3 && c == 0xe3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

static size_t quote_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (c == '"')
		return 1;
	if (n >= 3 && c == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x9c || (unsigned char)s[2] == 0x9d))
		return 3;
	if (n >= 3 && c == 0xef && (unsigned char)s[1] == 0xbc && (unsigned char)s[2] == 0x82)
		return 3;
	return 0;
}

static size_t sign_len(const char *s, size_t n, int *sign)
{
	unsigned char c = (unsigned char)s[0];
	if (c == '+' || c == '-') {
		*sign = c == '+' ? SIGN_PLUS : SIGN_MINUS;
		return 1;
	}
	if (n >= 3 && c == 0xef && (unsigned char)s[1] == 0xbc &&
	    ((unsigned char)s[2] == 0x8b || (unsigned char)s[2] == 0x8d)) {
		*sign = (unsigned char)s[2] == 0x8b ? SIGN_PLUS : SIGN_MINUS;
		return 3;
	}
	return 0;
}

/* "title:" and friends at s: the prefix length and the field, else 0. */
static size_t field_len(const char *s, size_t n, uint8_t *field)
{
	static const char *const names[IL_IF__COUNT] = {"title", "keywords", "body", "names"};
	for (uint8_t f = 0; f < IL_IF__COUNT; f++) {
		size_t l = strlen(names[f]), colon = 0;
		if (n <= l)
			continue;
		bool same = true;
		for (size_t i = 0; i < l && same; i++) {
			char c = s[i];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			same = c == names[f][i];
		}
		if (!same)
			continue;
		if (s[l] == ':')
			colon = 1;
		else if (n - l >= 3 && (unsigned char)s[l] == 0xef &&
			 (unsigned char)s[l + 1] == 0xbc && (unsigned char)s[l + 2] == 0x9a)
			colon = 3;
		if (colon) {
			*field = f;
			return l + colon;
		}
	}
	return 0;
}

static int on_query_token(const struct il_token *tok, void *vctx)
{
	struct parser *p = vctx;
	const struct il_index *ix = p->ix;
	struct qtok *t;
	if (tok->kind == IL_TOK_PUNCT)
		return 0;
	if ((tok->flags & IL_TOKF_GLOSSARY) && !p->q->expand)
		return 0;
	if (p->total_toks >= MAX_TOKENS)
		return 0; /* the rest of a huge query is ignored */
	if (p->ntok == p->tcap) {
		size_t ncap = p->tcap ? p->tcap * 2 : 64;
		struct qtok *nt = il_arena_alloc(p->a, ncap * sizeof(*nt));
		if (!nt)
			return p->rc = il_error_set(IL_ENOMEM, "query: out of memory");
		if (p->ntok)
			memcpy(nt, p->toks, p->ntok * sizeof(*nt));
		p->toks = nt;
		p->tcap = ncap;
	}
	t = &p->toks[p->ntok++];
	p->total_toks++;
	t->tid = IL__NONE;
	if (tok->term_len && tok->term_len <= IL__MAX_TERM && !(tok->flags & IL_TOKF_STOP)) {
		uint32_t tid = il__dict_find(&ix->terms, tok->term, tok->term_len);
		if (tid != IL__NONE && IL__AT(ix->tinfo, const struct il__term)[tid].df > 0)
			t->tid = tid;
	}
	t->pos = tok->pos;
	t->start = tok->start;
	t->end = tok->end;
	t->flags = tok->flags;
	t->weight = tok->weight > 0.0f ? tok->weight : 1.0f;
	return 0;
}

/* The cursor for (tid, field, neg), added when new; IL__NONE when the cap
 * on distinct terms is reached. */
static uint32_t cursor(struct parser *p, uint32_t tid, uint8_t field, bool neg, float w,
		       bool translated)
{
	struct il__query *q = p->out;
	uint32_t h = (tid * 2654435761u) ^ ((uint32_t)field << 1) ^ (uint32_t)neg;
	for (uint32_t i = h & (CUR_SLOTS - 1);; i = (i + 1) & (CUR_SLOTS - 1)) {
		uint32_t s = p->slots[i];
		if (!s) {
			if (q->ncur >= IL_INDEX_MAX_QUERY_TERMS) {
				p->full = true;
				return IL__NONE;
			}
			struct il__qcur *c = &q->cur[q->ncur];
			c->tid = tid;
			c->field = field;
			c->neg = neg;
			c->weight = w;
			c->translated = translated;
			p->slots[i] = ++q->ncur;
			return q->ncur - 1;
		}
		struct il__qcur *c = &q->cur[s - 1];
		if (c->tid == tid && c->field == field && c->neg == neg) {
			if (w > c->weight)
				c->weight = w;
			c->translated = c->translated && translated;
			return s - 1;
		}
	}
}

/* Copies n uint32s into the arena. */
static const uint32_t *keep(struct parser *p, const uint32_t *v, uint32_t n)
{
	uint32_t *c = il_arena_alloc(p->a, (n ? n : 1) * sizeof(uint32_t));
	if (!c) {
		p->rc = il_error_set(IL_ENOMEM, "query: out of memory");
		return NULL;
	}
	memcpy(c, v, n * sizeof(uint32_t));
	return c;
}

/* Makes room for one more element of an arena array (cap doubles). */
static void *grow(struct parser *p, void *arr, uint32_t n, uint32_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	uint32_t ncap = *cap ? *cap * 2 : 8;
	void *na = il_arena_alloc(p->a, (size_t)ncap * size);
	if (!na) {
		p->rc = il_error_set(IL_ENOMEM, "query: out of memory");
		return NULL;
	}
	if (n)
		memcpy(na, arr, (size_t)n * size);
	*cap = ncap;
	return na;
}

/* Adds a concept; the same members twice ("pump pump", a word typed and
 * also in a phrase) are one concept, required if either is. */
static void add_group(struct parser *p, const uint32_t *cur, uint32_t n, bool required)
{
	struct il__query *q = p->out;
	for (uint32_t g = 0; g < q->ngroups; g++) {
		struct il__qgroup *o = &q->groups[g];
		if (o->n == n && memcmp(o->cur, cur, n * sizeof(*cur)) == 0) {
			if (required && !o->required) {
				o->required = true;
				q->nrequired++;
			}
			return;
		}
	}
	if (!(q->groups = grow(p, q->groups, q->ngroups, &p->gcap, sizeof(*q->groups))))
		return;
	if (!(q->groups[q->ngroups].cur = keep(p, cur, n)))
		return;
	q->groups[q->ngroups].n = n;
	q->groups[q->ngroups++].required = required;
	q->nrequired += required;
}

/* Primary tokens: not a translation, not a sub-word sharing a position. */
static bool primary(const struct qtok *t)
{
	return !(t->flags & (IL_TOKF_GLOSSARY | IL_TOKF_COLOCATED));
}

/* A positive clause of words: groups, required or optional. */
static void words(struct parser *p, const struct clause *c, bool required)
{
	const struct qtok *t = p->toks;
	size_t n = p->ntok, sz = (n ? n : 1) * sizeof(uint32_t);
	/* gid[i]: the group of token i; gs, ge: the span of each group's word;
	 * pairs[j]: token pairs[j].t is a member of group pairs[j].g */
	struct pair {
		uint32_t g, t;
	} *pairs = NULL;
	uint32_t *gid = il_arena_alloc(p->a, sz), *first, *mem;
	size_t *gs = il_arena_alloc(p->a, n ? n * sizeof(size_t) : 1);
	size_t *ge = il_arena_alloc(p->a, n ? n * sizeof(size_t) : 1);
	uint32_t ngroups = 0, last = IL__NONE, npairs = 0, pcap = 0;
	if (!gid || !gs || !ge)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		gid[i] = IL__NONE;
		if (!primary(&t[i])) {
			if (!(t[i].flags & IL_TOKF_GLOSSARY) && last != IL__NONE)
				gid[i] = last; /* a sub-word joins its word */
			continue;
		}
		if (t[i].flags & IL_TOKF_STOP) {
			last = IL__NONE;
			continue;
		}
		gs[ngroups] = t[i].start;
		ge[ngroups] = t[i].end;
		gid[i] = last = ngroups++;
	}
	/* membership: a token in its own group; a translation in every group
	 * whose word lies inside the span it translates (those are the groups
	 * just before it, since it follows the span's last word) */
	last = IL__NONE;
	for (size_t i = 0; i < n; i++) {
		if (gid[i] != IL__NONE) {
			last = gid[i];
			if (!(pairs = grow(p, pairs, npairs, &pcap, sizeof(*pairs))))
				return;
			pairs[npairs].g = gid[i];
			pairs[npairs++].t = (uint32_t)i;
			continue;
		}
		if (!(t[i].flags & IL_TOKF_GLOSSARY))
			continue;
		for (uint32_t g = last; g != IL__NONE && gs[g] >= t[i].start;
		     g = g ? g - 1 : IL__NONE) {
			if (ge[g] > t[i].end)
				continue;
			if (!(pairs = grow(p, pairs, npairs, &pcap, sizeof(*pairs))))
				return;
			pairs[npairs].g = g;
			pairs[npairs++].t = (uint32_t)i;
		}
	}
	/* bucket the pairs by group (counting sort keeps token order) */
	if (!(first = il_arena_alloc(p->a, ((size_t)ngroups + 1) * sizeof(uint32_t))) ||
	    !(mem = il_arena_alloc(p->a, (npairs ? npairs : 1) * sizeof(uint32_t))))
		goto nomem;
	memset(first, 0, ((size_t)ngroups + 1) * sizeof(uint32_t));
	for (uint32_t j = 0; j < npairs; j++)
		first[pairs[j].g + 1]++;
	for (uint32_t g = 0; g < ngroups; g++)
		first[g + 1] += first[g];
	{
		uint32_t *fill = il_arena_alloc(p->a, (ngroups ? ngroups : 1) * sizeof(uint32_t));
		if (!fill)
			goto nomem;
		memcpy(fill, first, (ngroups ? ngroups : 1) * sizeof(uint32_t));
		for (uint32_t j = 0; j < npairs; j++)
			mem[fill[pairs[j].g]++] = pairs[j].t;
	}
	for (uint32_t g = 0; g < ngroups && !p->full; g++) {
		uint32_t nm = 0, *cur = mem + first[g];
		for (uint32_t j = first[g]; j < first[g + 1]; j++) {
			const struct qtok *tk = &t[mem[j]];
			if (tk->tid == IL__NONE)
				continue;
			uint32_t k = cursor(p, tk->tid, c->field, false, tk->weight,
					    (tk->flags & IL_TOKF_GLOSSARY) != 0);
			if (k == IL__NONE)
				break;
			bool dup = false;
			for (uint32_t x = 0; x < nm && !dup; x++)
				dup = cur[x] == k;
			if (!dup)
				cur[nm++] = k; /* cur trails j: overwriting read entries only */
		}
		if (p->full)
			break;
		if (nm == 0) {
			if (required)
				p->out->none = true; /* a required word nothing holds */
			continue;
		}
		/* members in cursor order, so equal concepts compare equal */
		for (uint32_t x = 1; x < nm; x++)
			for (uint32_t y = x; y > 0 && cur[y - 1] > cur[y]; y--) {
				uint32_t tmp = cur[y];
				cur[y] = cur[y - 1];
				cur[y - 1] = tmp;
			}
		add_group(p, cur, nm, required);
	}
	/* a translation of stop words only still counts, optionally */
	for (uint32_t j = 0; j < npairs; j++)
		gid[pairs[j].t] = 0; /* gid is free now: 0 marks a member */
	for (size_t i = 0; i < n && !p->full && !required; i++) {
		if (gid[i] == 0 || !(t[i].flags & IL_TOKF_GLOSSARY) || t[i].tid == IL__NONE)
			continue;
		uint32_t k = cursor(p, t[i].tid, c->field, false, t[i].weight, true);
		if (k != IL__NONE)
			add_group(p, &k, 1, false);
	}
	return;
nomem:
	p->rc = il_error_set(IL_ENOMEM, "query: out of memory");
}

/* Primary non-stop tokens of a clause with their positions: the terms of a
 * phrase or an exclusion.  *missing tells that one is not in the index. */
static uint32_t exact_terms(struct parser *p, uint32_t *tids, uint32_t *pos, bool *missing)
{
	uint32_t n = 0;
	*missing = false;
	for (size_t i = 0; i < p->ntok; i++) {
		const struct qtok *t = &p->toks[i];
		if (!primary(t) || (t->flags & IL_TOKF_STOP))
			continue;
		if (t->tid == IL__NONE)
			*missing = true;
		tids[n] = t->tid;
		pos[n++] = t->pos;
	}
	return n;
}

static void exact(struct parser *p, const struct clause *c)
{
	struct il__query *q = p->out;
	size_t sz = (p->ntok ? p->ntok : 1) * sizeof(uint32_t);
	uint32_t *tids = il_arena_alloc(p->a, sz), *pos = il_arena_alloc(p->a, sz);
	uint32_t *cur = il_arena_alloc(p->a, sz);
	bool missing, neg = c->sign == SIGN_MINUS;
	uint32_t n;
	if (!tids || !pos || !cur) {
		p->rc = il_error_set(IL_ENOMEM, "query: out of memory");
		return;
	}
	n = exact_terms(p, tids, pos, &missing);
	if (n == 0)
		return;
	if (missing) {
		/* a required phrase with an unknown word matches nothing; an
		 * exclusion that cannot occur excludes nothing */
		if (!neg)
			q->none = true;
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		if ((cur[i] = cursor(p, tids[i], c->field, neg, 1.0f, false)) == IL__NONE)
			return;
		pos[i] -= pos[0] <= pos[i] ? pos[0] : pos[i];
	}
	if (!neg)
		for (uint32_t i = 0; i < n; i++)
			add_group(p, &cur[i], 1, true);
	if (n == 1 || (!c->phrase && neg)) {
		if (neg) {
			if (!(q->excl = grow(p, q->excl, q->nexcl, &p->xcap, sizeof(*q->excl))) ||
			    !(q->excl[q->nexcl].cur = keep(p, cur, n)))
				return;
			q->excl[q->nexcl++].n = n;
		}
		return;
	}
	if (!(q->phrases = grow(p, q->phrases, q->nphrases, &p->pcap, sizeof(*q->phrases))))
		return;
	struct il__qphrase *ph = &q->phrases[q->nphrases];
	if (!(ph->cur = keep(p, cur, n)) || !(ph->rel = keep(p, pos, n)))
		return;
	ph->n = n;
	ph->field = c->field;
	ph->neg = neg;
	q->nphrases++;
}

static void clause(struct parser *p, const struct clause *c)
{
	int rc;
	p->ntok = 0;
	rc = il__index_tokenize_query(p->ix, c->s, c->len, on_query_token, p);
	if (p->rc)
		return;
	if (rc) {
		p->rc = rc;
		return;
	}
	if (c->phrase || c->sign == SIGN_MINUS)
		exact(p, c);
	else
		words(p, c, c->sign == SIGN_PLUS || p->q->op == IL_QUERY_AND);
}

int il__query_parse(const struct il_index *ix, const struct il_index_query *q, struct il_arena *a,
		    struct il__query *out)
{
	struct parser p;
	const char *s = q->text;
	size_t n = q->len, i = 0, bad;
	struct clause run = {NULL, 0, SIGN_NONE, IL_IF__COUNT, false};
	memset(out, 0, sizeof(*out));
	if (!s && n)
		return il_error_set(IL_EINVAL, "query: text is NULL but its length is %zu", n);
	if (n > IL_INDEX_MAX_QUERY_BYTES)
		return il_error_set(IL_EINVAL, "query: %zu bytes of text, more than the %u allowed",
				    n, IL_INDEX_MAX_QUERY_BYTES);
	if ((bad = il_utf8_prefix(s ? s : "", n, NULL)) != n)
		return il_error_set(IL_EINVAL, "query: invalid UTF-8 at byte %zu", bad);
	memset(&p, 0, sizeof(p));
	p.ix = ix;
	p.q = q;
	p.a = a;
	p.out = out;
	if (!(p.slots = il_arena_alloc(a, CUR_SLOTS * sizeof(uint32_t))) ||
	    !(out->cur = il_arena_alloc(a, IL_INDEX_MAX_QUERY_TERMS * sizeof(*out->cur))))
		return il_error_set(IL_ENOMEM, "query: out of memory");
	memset(p.slots, 0, CUR_SLOTS * sizeof(uint32_t));

	while (i < n && !p.rc && !p.full) {
		struct clause c = {NULL, 0, SIGN_NONE, IL_IF__COUNT, false};
		size_t w;
		if ((w = ws_len(s + i, n - i)) != 0) {
			i += w;
			continue;
		}
		if ((w = sign_len(s + i, n - i, &c.sign)) != 0) {
			if (i + w >= n || ws_len(s + i + w, n - i - w)) {
				i += w; /* a lone sign */
				continue;
			}
			i += w;
		}
		if ((w = field_len(s + i, n - i, &c.field)) != 0) {
			if (i + w >= n || ws_len(s + i + w, n - i - w)) {
				i += w; /* a field prefix with nothing after it */
				continue;
			}
			i += w;
		}
		if ((w = quote_len(s + i, n - i)) != 0) {
			size_t j = i + w, qw = 0;
			while (j < n && !(qw = quote_len(s + j, n - j)))
				j++;
			if (j < n) {
				c.s = s + i + w;
				c.len = j - (i + w);
				c.phrase = true;
				i = j + qw;
			} else {
				i += w; /* unbalanced: the quote is ignored */
			}
		}
		if (!c.phrase) {
			size_t j = i;
			while (j < n && !ws_len(s + j, n - j))
				j++;
			c.s = s + i;
			c.len = j - i;
			i = j;
			if (!c.len)
				continue;
		}
		if (c.sign == SIGN_NONE && c.field == IL_IF__COUNT && !c.phrase) {
			/* plain words run together, analysed as one text */
			if (!run.s)
				run.s = c.s;
			run.len = (size_t)(c.s + c.len - run.s);
			continue;
		}
		if (run.s) {
			clause(&p, &run);
			run.s = NULL;
			if (p.rc || p.full)
				break;
		}
		clause(&p, &c);
	}
	if (run.s && !p.rc && !p.full)
		clause(&p, &run);
	return p.rc;
}
