/*
 * classify.c - the text classifier that places records on chain links.
 *
 * Each link is one document of a private index (names as the title,
 * keywords and typical products as keywords, its chain's names as the
 * body), and a record's searchable text is the query: BM25F with glossary
 * expansion, so a Chinese link profile reaches an English abstract.  This
 * direction (the record against link documents) was measured against the
 * other (each link's profile as a query over an index of the records, a
 * record's links ranked by their share of each link's best score) on the
 * labelled companies of bench/chain: accuracy@1 0.129 against 0.127,
 * accuracy@3 0.204 against 0.167; and it ranks every link for one record
 * in one search, which is what placing a new record needs.
 *
 * Scores are not probabilities and vary with the query's length, so the
 * confidence is a logistic function of two things that do carry the
 * evidence: how much text matched (ln(1 + score)) and how close the guess
 * comes to the best one (score / best).  The coefficients were fitted by
 * bench/chain (logistic regression on the top-3 guesses for half of the
 * labelled companies; expected calibration error 0.028 on the other half).
 * Company names are short texts: a long abstract scores higher and so gets
 * a higher confidence than the fit has seen, which errs towards placing.
 */
#include "chain_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Logistic calibration, fitted by bench/chain (see docs/internals/chain.md):
 * confidence = 1 / (1 + exp(-(CAL_A ln(1 + s) + CAL_B s / best + CAL_C))). */
#define CAL_A 1.34
#define CAL_B 1.55
#define CAL_C -4.75

/* Query text beyond this is left out: a record's first few kilobytes say
 * what it is about, and the query stays cheap. */
#define MAX_QUERY_TEXT 8192

struct il_chain_classifier {
	const struct il_text *text;
	struct il_index *ix;
	struct il_arena arena; /* the last search's hits */
	struct il_index_hit *hits;
	struct il_buf query;
};

double il_chain_confidence(double score, double best)
{
	if (score <= 0 || best <= 0)
		return 0;
	double z = CAL_A * log1p(score) + CAL_B * (score / best) + CAL_C;
	return 1.0 / (1.0 + exp(-z));
}

int il_chain_classifier_new(const struct il_text *text, struct il_chain_classifier **out)
{
	struct il_chain_classifier *c = il_calloc(1, sizeof(*c));
	int rc;
	*out = NULL;
	if (!c)
		return IL_ENOMEM;
	c->text = text;
	il_arena_init(&c->arena, 16 * 1024, 0);
	il_buf_init(&c->query, 0);
	if ((rc = il_index_open(text, NULL, &c->ix)) != IL_OK) {
		il_chain_classifier_close(c);
		return rc;
	}
	*out = c;
	return IL_OK;
}

void il_chain_classifier_close(struct il_chain_classifier *c)
{
	if (!c)
		return;
	il_index_close(c->ix);
	il_arena_release(&c->arena);
	il_buf_release(&c->query);
	free(c);
}

static void set_field(struct il_index_doc *d, enum il_ifield f, const char *a, const char *b)
{
	d->text[f] = a;
	d->len[f] = a ? strlen(a) : 0;
	d->text2[f] = b;
	d->len2[f] = b ? strlen(b) : 0;
}

int il_chain_classifier_add(struct il_chain_classifier *c, const struct il_record *link,
			    const char *chain_name)
{
	struct il_index_doc d;
	if (!link || !link->id)
		return il_error_set(IL_EINVAL, "classifier: a link without an id");
	memset(&d, 0, sizeof(d));
	d.kind = IL_KIND_LINK;
	d.id = link->id;
	d.date = INT32_MIN;
	set_field(&d, IL_IF_TITLE, il_record_get(link, "name_zh"), il_record_get(link, "name_en"));
	set_field(&d, IL_IF_KEYWORDS, il_record_get(link, "keywords"),
		  il_record_get(link, "products"));
	set_field(&d, IL_IF_BODY, chain_name, NULL);
	return il_index_put(c->ix, &d);
}

int il_chain_classifier_open(const struct il_text *text, struct il_store *s,
			     struct il_chain_classifier **out)
{
	struct il__recs chains, links;
	struct il_buf name = IL_BUF_INIT;
	int rc = il__links_in_order(s, NULL, &chains, &links);
	*out = NULL;
	if (rc)
		return rc;
	if ((rc = il_chain_classifier_new(text, out)) != IL_OK)
		goto out;
	for (size_t i = 0; i < links.n && !rc; i++) {
		ptrdiff_t ch = il__recs_find(&chains, il_record_get(&links.r[i], "chain"));
		il_buf_reset(&name);
		if (ch >= 0)
			rc = il_buf_addf(&name, "%s %s", il_record_get(&chains.r[ch], "name_zh"),
					 il_record_get(&chains.r[ch], "name_en")
						 ? il_record_get(&chains.r[ch], "name_en")
						 : "");
		if (!rc)
			rc = il_chain_classifier_add(*out, &links.r[i], il_buf_cstr(&name));
	}
	if (!rc)
		rc = il_index_compact((*out)->ix);
	if (rc) {
		il_chain_classifier_close(*out);
		*out = NULL;
	}
out:
	il_buf_release(&name);
	il__recs_release(&chains);
	il__recs_release(&links);
	return rc;
}

/* Query operators (+ - " :) in a record's text are read as text. */
static void neutralise_operators(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '+' || s[i] == '-' || s[i] == '"' || s[i] == ':')
			s[i] = ' ';
}

int il_chain_classify_text(struct il_chain_classifier *c, const char *text, size_t len, size_t k,
			   struct il_chain_guess *out, size_t *n)
{
	struct il_index_query q;
	size_t nhits = 0;
	int rc;
	*n = 0;
	if (len > MAX_QUERY_TEXT)
		len = il_utf8_prefix(text, MAX_QUERY_TEXT, NULL);
	il_buf_reset(&c->query);
	if ((rc = il_buf_add(&c->query, text, len)) != IL_OK)
		return rc;
	neutralise_operators(c->query.ptr, c->query.len);
	il_arena_release(&c->arena);
	il_arena_init(&c->arena, 16 * 1024, 0);
	il_index_query_init(&q, il_buf_cstr(&c->query), c->query.len);
	q.kinds = 1u << IL_KIND_LINK;
	q.k = k;
	if ((rc = il_index_search(c->ix, &q, &c->arena, &c->hits, &nhits, NULL)) != IL_OK)
		return rc;
	for (size_t i = 0; i < nhits && i < k; i++) {
		out[i].link = c->hits[i].id;
		out[i].score = c->hits[i].score;
		out[i].confidence = il_chain_confidence(c->hits[i].score, c->hits[0].score);
	}
	*n = nhits < k ? nhits : k;
	return IL_OK;
}

/* Whether a field's text says what the record is about: names of persons
 * and the people behind an achievement say who, not what. */
static bool topical(enum il_kind kind, const char *field)
{
	if (strcmp(field, "aliases") == 0 || strcmp(field, "inventors") == 0)
		return false;
	return kind != IL_KIND_PERSON || strncmp(field, "name_", 5) != 0;
}

int il_chain_classify(struct il_chain_classifier *c, const struct il_record *r, size_t k,
		      struct il_chain_guess *out, size_t *n)
{
	const struct il_kind_info *ki = il_kind_info(r->kind);
	struct il_buf text = IL_BUF_INIT;
	int rc = IL_OK;
	*n = 0;
	for (size_t f = 0; f < ki->nfields && !rc && text.len < MAX_QUERY_TEXT; f++) {
		const char *v = r->values[f];
		if (!v || !(ki->fields[f].flags & IL_FF_SEARCH) ||
		    !topical(r->kind, ki->fields[f].name))
			continue;
		if (text.len)
			rc = il_buf_addc(&text, ' ');
		if (!rc)
			rc = il_buf_adds(&text, v);
	}
	if (!rc && text.len)
		rc = il_chain_classify_text(c, text.ptr, text.len, k, out, n);
	il_buf_release(&text);
	return rc;
}
