/*
 * search.c - an evaluation run against innolink's own index: a BEIR corpus
 * indexed as achievements, each topic's text run as a query.
 *
 * BEIR queries are natural-language text, not our query syntax, so the
 * characters that syntax gives a meaning to are neutralised first: quotes
 * (phrases), ':' (field:term), and '+' or '-' at the start of a word
 * (required, excluded), with their full-width forms.  A '-' inside a word
 * ("IL-6", "TNF-alpha") is kept, so the query is tokenized exactly as the
 * documents were.  A query longer than the index accepts is cut at the
 * last whole UTF-8 character that fits.
 *
 * Depends on: base, index, beir.c (runs), the corpus reader.
 */
#include <innolink/eval.h>

#include <stdlib.h>
#include <string.h>

void il_eval_opts_init(struct il_eval_opts *o)
{
	o->op = IL_QUERY_OR;
	o->expand = false;
	o->k = 1000;
}

static int put_doc(const struct il_eval_doc *d, void *ctx)
{
	struct il_index *ix = ctx;
	struct il_index_doc doc;
	int rc;
	memset(&doc, 0, sizeof(doc));
	doc.kind = IL_KIND_ACHIEVEMENT;
	doc.id = d->id;
	doc.text[IL_IF_TITLE] = d->title;
	doc.len[IL_IF_TITLE] = d->title_len;
	doc.text[IL_IF_BODY] = d->text;
	doc.len[IL_IF_BODY] = d->text_len;
	doc.date = INT32_MIN;
	if ((rc = il_index_put(ix, &doc)) != IL_OK)
		il_error_prefix("%s: document '%s'", d->where, d->id);
	return rc;
}

int il_eval_index_corpus(struct il_index *ix, const char *corpus_path, size_t *ndocs)
{
	return il_eval_corpus_each(corpus_path, put_doc, ix, ndocs);
}

static bool blank_before(const char *text, size_t i)
{
	char c = i ? text[i - 1] : ' ';
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(';
}

/* Copies text into out (len + 1 bytes) with the query syntax's operators
 * blanked out, byte for byte, so the length does not change: '"', ':' and
 * their full-width forms (U+201C, U+201D, U+FF02, U+FF1A) everywhere,
 * '+' and '-' at the start of a word, full-width U+FF0B and U+FF0D
 * everywhere. */
static void plain_text(const char *text, size_t len, char *out)
{
	memcpy(out, text, len);
	out[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c == '"' || c == ':' || ((c == '+' || c == '-') && blank_before(out, i))) {
			out[i] = ' ';
		} else if (i + 2 < len && c == 0xE2 && (unsigned char)out[i + 1] == 0x80 &&
			   ((unsigned char)out[i + 2] == 0x9C ||
			    (unsigned char)out[i + 2] == 0x9D)) {
			memset(out + i, ' ', 3);
		} else if (i + 2 < len && c == 0xEF && (unsigned char)out[i + 1] == 0xBC) {
			unsigned char d = (unsigned char)out[i + 2];
			if (d == 0x82 || d == 0x9A || d == 0x8B || d == 0x8D)
				memset(out + i, ' ', 3);
		}
	}
}

int il_eval_search(const struct il_index *ix, const struct il_eval_set *s,
		   const struct il_eval_opts *o, struct il_eval_run *run)
{
	struct il_arena arena;
	char *buf = NULL;
	size_t cap = 0;
	int rc = IL_OK;
	il_arena_init(&arena, 0, 0);
	for (size_t i = 0; i < s->ntopics && rc == IL_OK; i++) {
		const struct il_eval_topic *t = &s->topics[i];
		struct il_index_query q;
		struct il_index_hit *hits;
		size_t nhits = 0;
		if (!t->text)
			continue;
		if (t->text_len + 1 > cap) {
			char *nb = il_realloc(buf, t->text_len + 1);
			if (!nb) {
				rc = IL_ENOMEM;
				break;
			}
			buf = nb;
			cap = t->text_len + 1;
		}
		size_t len = t->text_len;
#ifdef IL_INDEX_MAX_QUERY_BYTES
		if (len > IL_INDEX_MAX_QUERY_BYTES) {
			len = IL_INDEX_MAX_QUERY_BYTES;
			while (len && ((unsigned char)t->text[len] & 0xC0) == 0x80)
				len--;
		}
#endif
		plain_text(t->text, len, buf);
		il_index_query_init(&q, buf, len);
		q.op = o->op;
		q.expand = o->expand;
		q.k = o->k;
		if ((rc = il_index_search(ix, &q, &arena, &hits, &nhits, NULL)) != IL_OK) {
			il_error_prefix("query '%s'", t->id);
			break;
		}
		for (size_t h = 0; h < nhits && rc == IL_OK; h++)
			rc = il_eval_run_add(run, t->id, hits[h].id, (double)hits[h].score);
		il_arena_release(&arena);
	}
	il_arena_release(&arena);
	free(buf);
	return rc;
}
