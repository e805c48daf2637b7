/*
 * beir.c - the files of an evaluation: a BEIR data set's corpus, queries
 * and qrels, and TREC run files, read and written.
 *
 * Every reader goes through one line reader with a hard cap
 * (IL_EVAL_MAX_LINE), skips a UTF-8 BOM and blank lines, and names
 * "file:line" in every error.  JSON lines are parsed with jansson directly
 * rather than through io.h's row reader, because BEIR corpora carry
 * nested "metadata" objects that a table row cannot hold and that we
 * ignore anyway.
 *
 * A set keeps only what scoring needs: the evaluated topics, each with its
 * judgments sorted by docid for binary search (metrics.c).  A run keeps
 * its hits per query in an array grown by doubling, its strings in an
 * arena, and sorts a query's hits into trec_eval's order when first asked.
 *
 * Depends on: base (and jansson).
 */
#include <innolink/eval.h>

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lines {
	FILE *f;
	const char *path;
	struct il_buf buf;
	size_t line; /* number of the line in buf, 1-based */
};

static int lines_open(struct lines *l, const char *path)
{
	memset(l, 0, sizeof(*l));
	l->path = path;
	il_buf_init(&l->buf, IL_EVAL_MAX_LINE);
	if (!(l->f = fopen(path, "rb")))
		return il_error_set(IL_EIO, "%s: %s", path, strerror(errno));
	return IL_OK;
}

static void lines_close(struct lines *l)
{
	if (l->f)
		fclose(l->f);
	l->f = NULL;
	il_buf_release(&l->buf);
}

/* Reads the next non-blank line into l->buf without its line end. */
static int lines_next(struct lines *l, bool *eof)
{
	char chunk[64 * 1024];
	int rc;
	*eof = false;
	for (;;) {
		bool any = false, nl = false;
		il_buf_reset(&l->buf);
		l->line++;
		while (!nl && fgets(chunk, sizeof(chunk), l->f)) {
			size_t n = strlen(chunk);
			any = true;
			if (n && chunk[n - 1] == '\n') {
				nl = true;
				n--;
			}
			if (l->buf.len + n > IL_EVAL_MAX_LINE)
				return il_error_set(IL_ETOOBIG, "%s:%zu: line longer than %u bytes",
						    l->path, l->line, IL_EVAL_MAX_LINE);
			if ((rc = il_buf_add(&l->buf, chunk, n)) != IL_OK)
				return rc;
		}
		if (ferror(l->f))
			return il_error_set(IL_EIO, "%s:%zu: read error", l->path, l->line);
		if (!any) {
			*eof = true;
			return IL_OK;
		}
		char *p = l->buf.ptr ? l->buf.ptr : "";
		size_t len = l->buf.len;
		if (len && p[len - 1] == '\r')
			p[--len] = '\0';
		l->buf.len = len;
		if (l->line == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			memmove(p, p + 3, len - 2);
			l->buf.len = len -= 3;
		}
		for (size_t i = 0; i < len; i++)
			if (p[i] != ' ' && p[i] != '\t')
				return IL_OK;
	}
}

/* Parses the current line as one JSON object (caller decrefs *out). */
static int line_json(struct lines *l, json_t **out)
{
	json_error_t err;
	json_t *o = json_loadb(l->buf.ptr, l->buf.len, 0, &err);
	*out = NULL;
	if (!o)
		return il_error_set(IL_EFORMAT, "%s:%zu: column %d: %s", l->path, l->line,
				    err.column, err.text);
	if (!json_is_object(o)) {
		json_decref(o);
		return il_error_set(IL_EFORMAT, "%s:%zu: expected a JSON object", l->path, l->line);
	}
	*out = o;
	return IL_OK;
}

/*
 * The text of o[key]: a string as is, an integer printed into num[32]
 * (BEIR ids are sometimes numbers), missing or null as "" unless required.
 */
static int json_text(struct lines *l, json_t *o, const char *key, bool required, char num[32],
		     const char **s, size_t *len)
{
	json_t *v = json_object_get(o, key);
	if (json_is_string(v)) {
		*s = json_string_value(v);
		*len = json_string_length(v);
	} else if (json_is_integer(v)) {
		*len = (size_t)snprintf(num, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		*s = num;
	} else if ((!v || json_is_null(v)) && !required) {
		*s = "";
		*len = 0;
	} else {
		return il_error_set(IL_EFORMAT, "%s:%zu: \"%s\" %s", l->path, l->line, key,
				    v ? "must be a string" : "is missing");
	}
	if (required && *len == 0)
		return il_error_set(IL_EFORMAT, "%s:%zu: \"%s\" is empty", l->path, l->line, key);
	if (memchr(*s, '\0', *len))
		return il_error_set(IL_EFORMAT, "%s:%zu: \"%s\" holds a NUL character", l->path,
				    l->line, key);
	return IL_OK;
}

int il_eval_corpus_each(const char *path, il_eval_doc_fn fn, void *ctx, size_t *ndocs)
{
	struct lines l;
	char idnum[32], tnum[32], xnum[32], where[4200];
	size_t n = 0;
	json_t *o = NULL;
	bool eof;
	int rc;
	if (ndocs)
		*ndocs = 0;
	if ((rc = lines_open(&l, path)) != IL_OK)
		goto done;
	while ((rc = lines_next(&l, &eof)) == IL_OK && !eof) {
		struct il_eval_doc d;
		if ((rc = line_json(&l, &o)) != IL_OK ||
		    (rc = json_text(&l, o, "_id", true, idnum, &d.id, &d.id_len)) != IL_OK ||
		    (rc = json_text(&l, o, "title", false, tnum, &d.title, &d.title_len)) !=
			    IL_OK ||
		    (rc = json_text(&l, o, "text", false, xnum, &d.text, &d.text_len)) != IL_OK)
			goto done;
		snprintf(where, sizeof(where), "%s:%zu", path, l.line);
		d.where = where;
		if ((rc = fn(&d, ctx)) != IL_OK)
			goto done;
		json_decref(o);
		o = NULL;
		n++;
	}
done:
	json_decref(o);
	lines_close(&l);
	if (ndocs)
		*ndocs = n;
	return rc;
}

/* A query id while the set is read. */
struct slot {
	const char *id;
	const char *text;
	size_t text_len;
	size_t qline; /* line in the queries file, 0 when absent */
	size_t nrel;
};

struct qrel {
	size_t slot;
	const char *docid;
	int rel;
	size_t line;
};

struct loader {
	struct il_eval_set *s;
	struct il_strmap ids; /* query id -> slot */
	struct slot *slots;
	size_t nslots, capslots;
	struct qrel *qrels;
	size_t nq, capq;
};

/* Grows *arr (of elem-sized items, *cap of them) to hold one more. */
static int grow(void **arr, size_t *cap, size_t len, size_t elem)
{
	size_t ncap, bytes;
	void *p;
	if (len < *cap)
		return IL_OK;
	ncap = *cap ? *cap * 2 : 64;
	if (!il_size_mul(ncap, elem, &bytes) || !(p = il_realloc(*arr, bytes)))
		return IL_ENOMEM;
	*arr = p;
	*cap = ncap;
	return IL_OK;
}

static int slot_of(struct loader *ld, const char *id, size_t len, size_t *out)
{
	int64_t v = il_strmap_get(&ld->ids, id, len);
	int rc;
	if (v >= 0) {
		*out = (size_t)v;
		return IL_OK;
	}
	if ((rc = grow((void **)&ld->slots, &ld->capslots, ld->nslots, sizeof(*ld->slots))) !=
	    IL_OK)
		return rc;
	struct slot *sl = &ld->slots[ld->nslots];
	memset(sl, 0, sizeof(*sl));
	if (!(sl->id = il_arena_strndup(&ld->s->arena, id, len)) ||
	    il_strmap_put(&ld->ids, id, len, (int64_t)ld->nslots, NULL) != IL_OK)
		return IL_ENOMEM;
	*out = ld->nslots++;
	return IL_OK;
}

/* Splits a qrels or run line into fields: on tabs when it has any, else on
 * runs of blanks.  Returns the number of fields; only the first max are
 * stored in f. */
static size_t split(char *p, char **f, size_t max)
{
	bool tabs = strchr(p, '\t') != NULL;
	size_t n = 0;
	while (*p) {
		if (!tabs)
			while (*p == ' ')
				p++;
		if (!*p)
			break;
		if (n < max)
			f[n] = p;
		n++;
		p += strcspn(p, tabs ? "\t" : " \t");
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/* Trims the blanks around a tab-separated field in place. */
static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

static bool parse_int(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < INT_MIN || v > INT_MAX)
		return false;
	*out = (int)v;
	return true;
}

static int read_qrels(struct loader *ld, const char *path)
{
	struct lines l;
	bool eof;
	int rc;
	if ((rc = lines_open(&l, path)) != IL_OK)
		goto done;
	while ((rc = lines_next(&l, &eof)) == IL_OK && !eof) {
		char *f[4], *qid, *docid;
		size_t nf = split(l.buf.ptr, f, 4);
		int rel;
		if (nf != 3 && nf != 4) {
			rc = il_error_set(IL_EFORMAT,
					  "%s:%zu: expected 'query-id corpus-id score' or TREC's "
					  "'qid 0 docid rel', found %zu columns",
					  path, l.line, nf);
			goto done;
		}
		qid = trim(f[0]);
		docid = trim(f[nf - 2]);
		if (!parse_int(trim(f[nf - 1]), &rel)) {
			if (l.line == 1)
				continue; /* the header line */
			rc = il_error_set(IL_EFORMAT, "%s:%zu: grade '%s' is not an integer", path,
					  l.line, f[nf - 1]);
			goto done;
		}
		if (!*qid || !*docid) {
			rc = il_error_set(IL_EFORMAT, "%s:%zu: empty query or document id", path,
					  l.line);
			goto done;
		}
		size_t sl;
		if ((rc = slot_of(ld, qid, strlen(qid), &sl)) != IL_OK ||
		    (rc = grow((void **)&ld->qrels, &ld->capq, ld->nq, sizeof(*ld->qrels))) !=
			    IL_OK)
			goto done;
		struct qrel *q = &ld->qrels[ld->nq++];
		q->slot = sl;
		q->rel = rel;
		q->line = l.line;
		if (!(q->docid = il_arena_strdup(&ld->s->arena, docid))) {
			rc = IL_ENOMEM;
			goto done;
		}
		ld->s->nqrels++;
	}
done:
	lines_close(&l);
	return rc;
}

static int read_queries(struct loader *ld, const char *path)
{
	struct lines l;
	char num[32], tnum[32];
	json_t *o = NULL;
	bool eof;
	int rc;
	if ((rc = lines_open(&l, path)) != IL_OK)
		goto done;
	while ((rc = lines_next(&l, &eof)) == IL_OK && !eof) {
		const char *id, *text;
		size_t idlen, tlen, sl;
		if ((rc = line_json(&l, &o)) != IL_OK ||
		    (rc = json_text(&l, o, "_id", true, num, &id, &idlen)) != IL_OK ||
		    (rc = json_text(&l, o, "text", true, tnum, &text, &tlen)) != IL_OK ||
		    (rc = slot_of(ld, id, idlen, &sl)) != IL_OK)
			goto done;
		struct slot *s = &ld->slots[sl];
		if (s->qline) {
			rc = il_error_set(IL_EFORMAT, "%s:%zu: query '%s' is also on line %zu",
					  path, l.line, s->id, s->qline);
			goto done;
		}
		s->qline = l.line;
		s->text_len = tlen;
		if (!(s->text = il_arena_strndup(&ld->s->arena, text, tlen))) {
			rc = IL_ENOMEM;
			goto done;
		}
		ld->s->nqueries++;
		json_decref(o);
		o = NULL;
	}
done:
	json_decref(o);
	lines_close(&l);
	return rc;
}

static int cmp_qrel(const void *a, const void *b)
{
	const struct qrel *x = a, *y = b;
	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	int c = strcmp(x->docid, y->docid);
	if (c)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/* Topics with text in queries-file order, then the others in qrels order. */
static int cmp_topic_order(const void *a, const void *b, void *ctx)
{
	const struct slot *slots = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t lx = slots[x].qline ? slots[x].qline : SIZE_MAX;
	size_t ly = slots[y].qline ? slots[y].qline : SIZE_MAX;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return (x > y) - (x < y);
}

static int build_topics(struct loader *ld, const char *qrels_path)
{
	struct il_eval_set *s = ld->s;
	size_t *order = NULL, nt = 0, *first = NULL, *count = NULL;
	int rc = IL_OK;
	if (ld->nq > 1) /* qsort's array may not be NULL, even when empty */
		qsort(ld->qrels, ld->nq, sizeof(*ld->qrels), cmp_qrel);
	/* drop identical repeats, refuse conflicting ones */
	size_t w = 0;
	for (size_t i = 0; i < ld->nq; i++) {
		struct qrel *q = &ld->qrels[i];
		if (w && ld->qrels[w - 1].slot == q->slot &&
		    strcmp(ld->qrels[w - 1].docid, q->docid) == 0) {
			if (ld->qrels[w - 1].rel != q->rel)
				return il_error_set(IL_EFORMAT,
						    "%s:%zu: query '%s', document '%s': grade %d, "
						    "but line %zu says %d",
						    qrels_path, q->line, ld->slots[q->slot].id,
						    q->docid, q->rel, ld->qrels[w - 1].line,
						    ld->qrels[w - 1].rel);
			continue;
		}
		ld->qrels[w++] = *q;
	}
	ld->nq = w;
	if (ld->nslots) {
		order = il_calloc(ld->nslots, sizeof(*order));
		first = il_calloc(ld->nslots, sizeof(*first));
		count = il_calloc(ld->nslots, sizeof(*count));
		if (!order || !first || !count) {
			rc = IL_ENOMEM;
			goto done;
		}
	}
	for (size_t i = ld->nq; i-- > 0;) {
		struct qrel *q = &ld->qrels[i];
		first[q->slot] = i;
		count[q->slot]++;
		if (q->rel > 0)
			ld->slots[q->slot].nrel++;
	}
	for (size_t i = 0; i < ld->nslots; i++) {
		if (ld->slots[i].nrel)
			order[nt++] = i;
		else
			s->nskipped++;
	}
	if (nt > 1)
		qsort_r(order, nt, sizeof(*order), cmp_topic_order, ld->slots);
	if (nt && !(s->topics = il_arena_alloc(&s->arena, nt * sizeof(*s->topics)))) {
		rc = IL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < nt; i++) {
		struct slot *sl = &ld->slots[order[i]];
		struct il_eval_topic *t = &s->topics[i];
		struct il_eval_judgment *j;
		size_t n = count[order[i]];
		if (!(j = il_arena_alloc(&s->arena, n * sizeof(*j)))) {
			rc = IL_ENOMEM;
			goto done;
		}
		for (size_t k = 0; k < n; k++) {
			j[k].docid = ld->qrels[first[order[i]] + k].docid;
			j[k].rel = ld->qrels[first[order[i]] + k].rel;
		}
		t->id = sl->id;
		t->text = sl->text;
		t->text_len = sl->text_len;
		t->judged = j;
		t->njudged = n;
		t->nrel = sl->nrel;
		if (!sl->text)
			s->nmissing++;
	}
	s->ntopics = nt;
done:
	free(order);
	free(first);
	free(count);
	return rc;
}

int il_eval_set_load(struct il_eval_set *s, const char *queries_path, const char *qrels_path)
{
	struct loader ld;
	int rc;
	memset(s, 0, sizeof(*s));
	il_arena_init(&s->arena, 0, 0);
	memset(&ld, 0, sizeof(ld));
	ld.s = s;
	il_strmap_init(&ld.ids);
	if ((rc = read_qrels(&ld, qrels_path)) == IL_OK &&
	    (rc = read_queries(&ld, queries_path)) == IL_OK)
		rc = build_topics(&ld, qrels_path);
	il_strmap_release(&ld.ids);
	free(ld.slots);
	free(ld.qrels);
	if (rc)
		il_eval_set_release(s); /* a failed load leaves nothing to release */
	return rc;
}

void il_eval_set_release(struct il_eval_set *s)
{
	il_arena_release(&s->arena);
	s->topics = NULL;
	s->ntopics = 0;
}

struct qrun {
	const char *qid;
	struct il_eval_hit *hits;
	size_t n, cap;
	bool sorted;
};

struct il_eval_run {
	struct il_strmap ids; /* query id -> index in q */
	struct qrun *q;
	size_t nq, capq;
	struct il_arena arena; /* query and document ids */
};

int il_eval_run_open(struct il_eval_run **out)
{
	struct il_eval_run *r = il_calloc(1, sizeof(*r));
	*out = r;
	if (!r)
		return IL_ENOMEM;
	il_strmap_init(&r->ids);
	il_arena_init(&r->arena, 256 * 1024, 0);
	return IL_OK;
}

void il_eval_run_close(struct il_eval_run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nq; i++)
		free(r->q[i].hits);
	free(r->q);
	il_strmap_release(&r->ids);
	il_arena_release(&r->arena);
	free(r);
}

static struct qrun *run_find(const struct il_eval_run *r, const char *qid)
{
	int64_t v = il_strmap_get(&r->ids, qid, strlen(qid));
	return v < 0 ? NULL : &r->q[v];
}

int il_eval_run_add(struct il_eval_run *r, const char *qid, const char *docid, double score)
{
	struct qrun *q = run_find(r, qid);
	int rc;
	if (!q) {
		size_t len = strlen(qid);
		if ((rc = grow((void **)&r->q, &r->capq, r->nq, sizeof(*r->q))) != IL_OK)
			return rc;
		q = &r->q[r->nq];
		memset(q, 0, sizeof(*q));
		if (!(q->qid = il_arena_strndup(&r->arena, qid, len)) ||
		    il_strmap_put(&r->ids, qid, len, (int64_t)r->nq, NULL) != IL_OK)
			return IL_ENOMEM;
		r->nq++;
	}
	if ((rc = grow((void **)&q->hits, &q->cap, q->n, sizeof(*q->hits))) != IL_OK)
		return rc;
	if (!(q->hits[q->n].docid = il_arena_strdup(&r->arena, docid)))
		return IL_ENOMEM;
	q->hits[q->n++].score = score;
	q->sorted = false;
	return IL_OK;
}

size_t il_eval_run_queries(const struct il_eval_run *r)
{
	return r->nq;
}

void il_eval_run_hits(struct il_eval_run *r, const char *qid, const struct il_eval_hit **hits,
		      size_t *n)
{
	struct qrun *q = run_find(r, qid);
	*hits = NULL;
	*n = 0;
	if (!q)
		return;
	if (!q->sorted) {
		il_eval_sort(q->hits, q->n);
		q->sorted = true;
	}
	*hits = q->hits;
	*n = q->n;
}

int il_eval_run_read(const char *path, struct il_eval_run **out)
{
	struct il_eval_run *r = NULL;
	struct lines l;
	bool eof;
	int rc;
	*out = NULL;
	if ((rc = lines_open(&l, path)) != IL_OK || (rc = il_eval_run_open(&r)) != IL_OK)
		goto done;
	while ((rc = lines_next(&l, &eof)) == IL_OK && !eof) {
		char *f[6], *end;
		size_t nf = split(l.buf.ptr, f, 6);
		if (nf != 5 && nf != 6) {
			rc = il_error_set(
				IL_EFORMAT,
				"%s:%zu: expected 'qid Q0 docid rank score tag', found %zu "
				"columns",
				path, l.line, nf);
			goto done;
		}
		errno = 0;
		double score = strtod(f[4], &end);
		if (end == f[4] || *end || errno == ERANGE) {
			rc = il_error_set(IL_EFORMAT, "%s:%zu: score '%s' is not a number", path,
					  l.line, f[4]);
			goto done;
		}
		if ((rc = il_eval_run_add(r, f[0], f[2], score)) != IL_OK)
			goto done;
	}
done:
	lines_close(&l);
	if (rc != IL_OK) {
		il_eval_run_close(r);
		return rc;
	}
	*out = r;
	return IL_OK;
}

/* The shortest %g form (at least 6 digits) that strtod reads back as
 * exactly sc, so a run file ranks and ties as the run in memory did. */
static void format_score(double sc, char out[40])
{
	for (int p = 6; p <= 17; p++) {
		snprintf(out, 40, "%.*g", p, sc);
		if (strtod(out, NULL) == sc)
			return;
	}
}

int il_eval_run_write(struct il_eval_run *r, const char *path, const char *tag)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return il_error_set(IL_EIO, "%s: %s", path, strerror(errno));
	for (size_t i = 0; i < r->nq; i++) {
		struct qrun *q = &r->q[i];
		if (!q->sorted) {
			il_eval_sort(q->hits, q->n);
			q->sorted = true;
		}
		for (size_t k = 0; k < q->n; k++) {
			char num[40];
			format_score(q->hits[k].score, num);
			fprintf(f, "%s Q0 %s %zu %s %s\n", q->qid, q->hits[k].docid, k + 1, num,
				tag);
		}
	}
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad)
		return il_error_set(IL_EIO, "%s: write failed", path);
	return IL_OK;
}

int il_eval_score(const struct il_eval_set *s, struct il_eval_run *r, struct il_eval_measures *mean)
{
	struct il_eval_measures sum = {0, 0, 0}, m;
	int rc;
	memset(mean, 0, sizeof(*mean));
	for (size_t i = 0; i < s->ntopics; i++) {
		struct qrun *q = run_find(r, s->topics[i].id);
		if (!q)
			continue; /* nothing retrieved: 0 for every measure */
		if ((rc = il_eval_measure(&s->topics[i], q->hits, q->n, &m)) != IL_OK)
			return rc;
		q->sorted = true;
		sum.ndcg10 += m.ndcg10;
		sum.recall100 += m.recall100;
		sum.mrr10 += m.mrr10;
	}
	if (s->ntopics) {
		mean->ndcg10 = sum.ndcg10 / (double)s->ntopics;
		mean->recall100 = sum.recall100 / (double)s->ntopics;
		mean->mrr10 = sum.mrr10 / (double)s->ntopics;
	}
	return IL_OK;
}
