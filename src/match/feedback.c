/*
 * feedback.c - what people said about matches: viewed, contacted, useful,
 * not useful, accepted, rejected.
 *
 * Each piece of feedback is one match record (kind "match": from_kind,
 * from_id, to_kind, to_id, state = the action, actor = who, created_at =
 * when, score = the pair's score then), never updated, so the records of a
 * source are its feedback log and the store's provenance and change log
 * apply to them like to any record.  The latest action of a source on a
 * target is what counts for that pair.
 *
 * The matcher keeps a summary per target (il__match_load_priors): the
 * mean value of the latest action of every source on it, over public
 * sources only, so what was said about a confidential demand's matches
 * never reaches anyone else's scores.
 *
 * Depends on: base, model, store (public headers).
 */
#include "match/match_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code, *zh;
	double value;
} actions[IL_FEEDBACK__COUNT] = {
	{"viewed", "已查看", 0.0},    {"contacted", "已联系", 0.3}, {"useful", "有用", 0.6},
	{"not_useful", "无用", -0.6}, {"accepted", "已接受", 1.0},  {"rejected", "已拒绝", -1.0},
};

const char *il_feedback_name(enum il_feedback_action a)
{
	return (unsigned)a < IL_FEEDBACK__COUNT ? actions[a].code : NULL;
}

int il_feedback_parse(const char *name, enum il_feedback_action *out)
{
	for (unsigned i = 0; name && i < IL_FEEDBACK__COUNT; i++)
		if (strcmp(name, actions[i].code) == 0 || strcmp(name, actions[i].zh) == 0) {
			*out = (enum il_feedback_action)i;
			return IL_OK;
		}
	return il_error_set(IL_ENOTFOUND,
			    "unknown feedback '%s' (viewed, contacted, useful, not_useful, "
			    "accepted, rejected)",
			    name ? name : "");
}

double il_feedback_value(enum il_feedback_action a)
{
	return (unsigned)a < IL_FEEDBACK__COUNT ? actions[a].value : 0;
}

static int set_field(struct il_record *r, const char *name, const char *value)
{
	return il_record_set_by_name(r, name, value, strlen(value));
}

int il_match_feedback(struct il_store *s, enum il_kind from_kind, const char *from_id,
		      enum il_kind to_kind, const char *to_id, enum il_feedback_action action,
		      const char *who, double score, char **id)
{
	struct il_record rec, check;
	char *newid = NULL, num[32];
	int rc;
	if (id)
		*id = NULL;
	if (!s || !from_id || !to_id || !il_kind_info(from_kind) || !il_kind_info(to_kind) ||
	    (unsigned)action >= IL_FEEDBACK__COUNT)
		return il_error_set(IL_EINVAL, "match feedback: missing argument");
	if (!who || !*who)
		return il_error_set(IL_EINVAL, "match feedback: who gives it?");
	if ((rc = il_store_get(s, from_kind, from_id, &check)) != 0)
		return rc;
	il_record_release(&check);
	if ((rc = il_store_get(s, to_kind, to_id, &check)) != 0)
		return rc;
	il_record_release(&check);
	if ((rc = il_record_init(&rec, IL_KIND_MATCH)) != 0)
		return rc;
	if ((rc = il_store_new_id(s, IL_KIND_MATCH, &newid)) != 0 ||
	    (rc = il_record_set_id(&rec, newid, strlen(newid))) != 0 ||
	    (rc = set_field(&rec, "from_kind", il_kind_info(from_kind)->name)) != 0 ||
	    (rc = set_field(&rec, "from_id", from_id)) != 0 ||
	    (rc = set_field(&rec, "to_kind", il_kind_info(to_kind)->name)) != 0 ||
	    (rc = set_field(&rec, "to_id", to_id)) != 0 ||
	    (rc = set_field(&rec, "state", il_feedback_name(action))) != 0 ||
	    (rc = set_field(&rec, "actor", who)) != 0)
		goto done;
	if (isfinite(score)) {
		snprintf(num, sizeof(num), "%.6f", score);
		if ((rc = set_field(&rec, "score", num)) != 0)
			goto done;
	}
	char source[200];
	snprintf(source, sizeof(source), "feedback:%s", who);
	enum il_put_result put;
	rc = il_store_put(s, &rec, IL_PUT_NEW_ONLY, source, &put);
done:
	il_record_release(&rec);
	if (!rc && id)
		*id = newid;
	else
		free(newid);
	return rc;
}

struct fb_row {
	int64_t rowid;
	struct il_feedback f;
};

struct fb_list {
	struct fb_row *rows;
	size_t n, cap;
	struct il_arena strs;
};

static int collect(const struct il_record *r, void *ctx)
{
	struct fb_list *l = ctx;
	enum il_feedback_action a;
	enum il_kind fk, tk;
	const char *fkn = il_record_get(r, "from_kind"), *tkn = il_record_get(r, "to_kind");
	const char *state = il_record_get(r, "state");
	if (!fkn || !tkn || !state || il_kind_parse(fkn, &fk) || il_kind_parse(tkn, &tk) ||
	    il_feedback_parse(state, &a)) {
		/* a match record that is not feedback (e.g. imported): skipped */
		il_error_clear();
		return IL_OK;
	}
	int rc = il__match_grow((void **)&l->rows, &l->cap, l->n, sizeof(*l->rows));
	if (rc)
		return rc;
	struct fb_row *row = &l->rows[l->n];
	row->rowid = r->rowid;
	row->f.from_kind = fk;
	row->f.to_kind = tk;
	row->f.action = a;
	row->f.from_id = il_arena_strdup(&l->strs, il_record_get(r, "from_id"));
	row->f.to_id = il_arena_strdup(&l->strs, il_record_get(r, "to_id"));
	row->f.who = il_arena_strdup(&l->strs,
				     il_record_get(r, "actor") ? il_record_get(r, "actor") : "");
	row->f.at = il_arena_strdup(&l->strs, r->created_at ? r->created_at : "");
	row->f.id = il_arena_strdup(&l->strs, r->id);
	if (!row->f.from_id || !row->f.to_id || !row->f.who || !row->f.at || !row->f.id)
		return il_error_set(IL_ENOMEM, "match: out of memory");
	l->n++;
	return IL_OK;
}

static int cmp_row(const void *a, const void *b)
{
	const struct fb_row *x = a, *y = b;
	return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

/* Every feedback record matching the filters, oldest first. */
static int load(struct il_store *s, enum il_kind from_kind, const char *from_id, bool confidential,
		struct fb_list *l)
{
	struct il_query q;
	memset(l, 0, sizeof(*l));
	il_arena_init(&l->strs, 0, 0);
	il_query_init(&q, IL_KIND_MATCH);
	q.include_confidential = confidential;
	if (from_id) {
		q.field[0] = "from_kind";
		q.value[0] = il_kind_info(from_kind)->name;
		q.field[1] = "from_id";
		q.value[1] = from_id;
		q.nfilters = 2;
	}
	int rc = il_store_list(s, &q, collect, l, NULL);
	if (!rc && l->n > 1)
		qsort(l->rows, l->n, sizeof(*l->rows), cmp_row);
	return rc;
}

static void release(struct fb_list *l)
{
	free(l->rows);
	il_arena_release(&l->strs);
}

int il__match_feedback_each(struct il_store *s, enum il_kind from_kind, const char *from_id,
			    bool confidential, int (*fn)(const struct il_feedback *f, void *ctx),
			    void *ctx)
{
	struct fb_list l;
	int rc = load(s, from_kind, from_id, confidential, &l);
	for (size_t i = 0; i < l.n && !rc; i++)
		rc = fn(&l.rows[i].f, ctx);
	release(&l);
	return rc;
}

int il_match_feedback_list(struct il_store *s, enum il_kind from_kind, const char *from_id,
			   bool confidential, int (*fn)(const struct il_feedback *f, void *ctx),
			   void *ctx)
{
	if (!s || !from_id || !il_kind_info(from_kind) || !fn)
		return il_error_set(IL_EINVAL, "match feedback: missing argument");
	return il__match_feedback_each(s, from_kind, from_id, confidential, fn, ctx);
}

int il__match_load_priors(struct il_match *m)
{
	struct fb_list l;
	struct il_strmap latest; /* "from|to" -> row of the latest action */
	struct il_buf key = IL_BUF_INIT;
	int rc = load(m->store, IL_KIND__COUNT, NULL, false, &l);
	il_strmap_init(&latest);
	for (size_t i = 0; i < l.n && !rc; i++) {
		const struct il_feedback *f = &l.rows[i].f;
		il_buf_reset(&key);
		rc = il_buf_addf(&key, "%d:%s|%d:%s", (int)f->from_kind, f->from_id,
				 (int)f->to_kind, f->to_id);
		if (!rc)
			rc = il_strmap_put(&latest, key.ptr, key.len, (int64_t)i, NULL);
	}
	for (size_t i = 0; i < l.n && !rc; i++) {
		const struct il_feedback *f = &l.rows[i].f;
		char tk[300];
		il_buf_reset(&key);
		if ((rc = il_buf_addf(&key, "%d:%s|%d:%s", (int)f->from_kind, f->from_id,
				      (int)f->to_kind, f->to_id)) != 0)
			break;
		if (il_strmap_get(&latest, key.ptr, key.len) != (int64_t)i)
			continue;
		size_t tlen = il__match_key(tk, sizeof(tk), f->to_kind, f->to_id);
		int64_t p = il_strmap_get(&m->prior_ix, tk, tlen);
		if (p < 0) {
			rc = il__match_grow((void **)&m->priors, &m->cappriors, m->npriors,
					    sizeof(*m->priors));
			if (rc)
				break;
			p = (int64_t)m->npriors++;
			m->priors[p].sum = 0;
			m->priors[p].n = 0;
			if ((rc = il_strmap_put(&m->prior_ix, tk, tlen, p, NULL)) != 0)
				break;
		}
		m->priors[p].sum += il_feedback_value(f->action);
		m->priors[p].n++;
	}
	il_buf_release(&key);
	il_strmap_release(&latest);
	release(&l);
	return rc;
}

double il__match_prior(const struct il_match *m, enum il_kind kind, const char *id, double *sum,
		       size_t *n)
{
	char tk[300];
	size_t tlen = il__match_key(tk, sizeof(tk), kind, id);
	int64_t p = il_strmap_get(&m->prior_ix, tk, tlen);
	*sum = p < 0 ? 0 : m->priors[p].sum;
	*n = p < 0 ? 0 : m->priors[p].n;
	return *n ? *sum / (double)*n : 0;
}
